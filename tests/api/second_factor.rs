//! The second factor with the production default (required): a password alone reaches
//! nothing but the second-factor endpoints; TOTP codes work once; recovery codes too.

use chrono::TimeDelta;
use inbeeld::auth::totp;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::generated::well_formed;
use crate::helpers::{PASSWORD, Session, TestApp, spawn_app, spawn_app_with};

async fn app() -> TestApp {
    spawn_app_with(|s| s.second_factor_required = true).await
}

/// Signs in with the password only; returns the session and what it still needs.
async fn password_only(app: &TestApp, username: &str) -> (Session, String) {
    let mut session = app.anonymous();
    let me = session
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert(StatusCode::OK);
    session.user_id = me["id"].as_i64().unwrap();
    (session, me["second_factor"].as_str().unwrap().to_owned())
}

fn unix(app: &TestApp) -> i64 {
    app.clock.now().and_utc().timestamp()
}

/// Enrols an authenticator app; returns its secret and the recovery codes.
async fn enrol(app: &TestApp, session: &Session) -> (String, Vec<String>) {
    let started = session
        .post("/api/v1/me/totp", json!({}))
        .await
        .assert(StatusCode::OK);
    let secret = started["secret"].as_str().unwrap().to_owned();
    assert!(
        started["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/InBeeld:")
    );
    assert!(started["qr_svg"].as_str().unwrap().contains("<svg"));
    let code = totp::code_at(&secret, unix(app)).unwrap();
    let confirmed = session
        .post("/api/v1/me/totp/confirm", json!({"code": code}))
        .await
        .assert(StatusCode::OK);
    let codes = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (secret, codes)
}

async fn give(session: &Session, body: Value) -> StatusCode {
    session
        .post("/api/v1/session/second-factor", body)
        .await
        .status
}

/// Endpoints a session without its second factor may use.
const OPEN_BEFORE_SECOND_FACTOR: &[(&str, &str)] = &[
    ("get", "/api/v1/me/second-factor"),
    ("post", "/api/v1/session/second-factor"),
    ("post", "/api/v1/me/totp"),
    ("post", "/api/v1/me/totp/confirm"),
    ("delete", "/api/v1/session"),
];

/// Walks every operation of the OpenAPI document that needs a session, except `open`, with
/// `session` and asserts each answers 401 `refusal`; returns how many it checked.
pub(crate) async fn only_these_open(
    app: &TestApp,
    session: &Session,
    open: &[(&str, &str)],
    refusal: &str,
) -> usize {
    let anonymous = app.anonymous();
    let doc = anonymous
        .get("/api/v1/openapi.json")
        .await
        .assert(StatusCode::OK);
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if open.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let concrete: String = path
                .split('/')
                .map(|part| if part.starts_with('{') { "1" } else { part })
                .collect::<Vec<_>>()
                .join("/");
            let query: Vec<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| {
                    let value = match (p["schema"]["type"].as_str(), p["schema"]["format"].as_str())
                    {
                        (_, Some("date")) => "2026-11-23",
                        (Some("integer"), _) => "2026",
                        _ => "x",
                    };
                    format!("{}={value}", p["name"].as_str().unwrap())
                })
                .collect();
            let concrete = if query.is_empty() {
                concrete
            } else {
                format!("{concrete}?{}", query.join("&"))
            };
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| json!({}));
            let signed_out = anonymous
                .send(method.clone(), &concrete, body.clone(), &[])
                .await;
            if signed_out.status != StatusCode::UNAUTHORIZED {
                continue; // public: the sign-in itself, the calendar feed, the key
            }
            let mut reply = session.send(method.clone(), &concrete, body, &[]).await;
            // actix reads the body and the session side by side, and a body it cannot
            // parse may answer first: then try bodies that fit the schema.
            let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
            for seed in 0..20 {
                if reply.body["error"] != "bad_json" || schema.is_null() {
                    break;
                }
                let body = well_formed(&doc, schema, seed);
                reply = session
                    .send(method.clone(), &concrete, Some(body), &[])
                    .await;
            }
            assert_eq!(
                (reply.status, reply.body["error"].as_str()),
                (StatusCode::UNAUTHORIZED, Some(refusal)),
                "{method} {path} let the session through: {}",
                reply.body
            );
            checked += 1;
        }
    }
    checked
}

#[tokio::test]
async fn a_password_alone_reaches_nothing_but_the_second_factor() {
    let app = app().await;
    let (_, username) = app.create_user(Role::Coordinator, Some(app.team));
    let (partial, step) = password_only(&app, &username).await;
    assert_eq!(step, "enrol");
    let checked = only_these_open(
        &app,
        &partial,
        OPEN_BEFORE_SECOND_FACTOR,
        "second_factor_required",
    )
    .await;
    assert!(checked > 60, "only {checked} endpoints checked");

    // Enrolled, the same session reaches everything its role does.
    enrol(&app, &partial).await;
    partial.get("/api/v1/clients").await.assert(StatusCode::OK);
    let me = partial.get("/api/v1/me").await.assert(StatusCode::OK);
    assert_eq!(me["second_factor"], "none");
}

#[tokio::test]
async fn each_code_works_once_and_never_after_a_newer_one() {
    let app = app().await;
    let (_, username) = app.create_user(Role::Casemanager, Some(app.team));
    let (first, _) = password_only(&app, &username).await;
    let (secret, _) = enrol(&app, &first).await;
    let used = totp::code_at(&secret, unix(&app)).unwrap();

    // A new sign-in in the same 30 seconds: the code just used at enrolment is refused.
    let (second, step) = password_only(&app, &username).await;
    assert_eq!(step, "code");
    assert_eq!(
        give(&second, json!({"code": used})).await,
        StatusCode::UNAUTHORIZED
    );
    second
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "second_factor_required");

    // The next step's code works, once.
    app.clock.advance(TimeDelta::seconds(30));
    let fresh = totp::code_at(&secret, unix(&app)).unwrap();
    assert_eq!(
        give(&second, json!({"code": fresh})).await,
        StatusCode::NO_CONTENT
    );
    second.get("/api/v1/me").await.assert(StatusCode::OK);
    let (third, _) = password_only(&app, &username).await;
    assert_eq!(
        give(&third, json!({"code": fresh})).await,
        StatusCode::UNAUTHORIZED
    );
    // The previous step's code is still within the drift allowed, but older than the
    // last one used: refused.
    assert_eq!(
        give(&third, json!({"code": used})).await,
        StatusCode::UNAUTHORIZED
    );

    // Two requests racing with one new code: exactly one wins.
    app.clock.advance(TimeDelta::seconds(30));
    let raced = totp::code_at(&secret, unix(&app)).unwrap();
    let (fourth, _) = password_only(&app, &username).await;
    let (a, b) = futures::join!(
        give(&third, json!({"code": raced})),
        give(&fourth, json!({"code": raced}))
    );
    let mut outcomes = [a, b];
    outcomes.sort();
    assert_eq!(outcomes, [StatusCode::NO_CONTENT, StatusCode::UNAUTHORIZED]);

    // Codes from two steps away are outside the drift allowed.
    app.clock.advance(TimeDelta::seconds(30));
    let (fifth, _) = password_only(&app, &username).await;
    let stale = totp::code_at(&secret, unix(&app) - 60).unwrap();
    assert_eq!(
        give(&fifth, json!({"code": stale})).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn recovery_codes_work_once_and_guessing_locks_the_account() {
    let app = app().await;
    let (_, username) = app.create_user(Role::Peer, Some(app.team));
    let (first, _) = password_only(&app, &username).await;
    let (_, codes) = enrol(&app, &first).await;
    assert_eq!(codes.len(), 10);

    let (second, _) = password_only(&app, &username).await;
    let typed = codes[0].to_lowercase().replace('-', " ");
    assert_eq!(
        give(&second, json!({"recovery_code": typed})).await,
        StatusCode::NO_CONTENT
    );
    let status = second
        .get("/api/v1/me/second-factor")
        .await
        .assert(StatusCode::OK);
    assert_eq!(status["recovery_codes_left"], 9);
    let (third, _) = password_only(&app, &username).await;
    assert_eq!(
        give(&third, json!({"recovery_code": codes[0]})).await,
        StatusCode::UNAUTHORIZED
    );

    // Wrong codes count as failed sign-ins: after five, even a right one must wait.
    for guess in ["000000", "111111", "222222", "333333"] {
        assert_eq!(
            give(&third, json!({"code": guess})).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = third
        .post(
            "/api/v1/session/second-factor",
            json!({"recovery_code": codes[1]}),
        )
        .await;
    locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
}

#[tokio::test]
async fn removing_the_app_asks_for_the_password_and_enrolment_starts_over() {
    let app = app().await;
    let (_, username) = app.create_user(Role::Casemanager, Some(app.team));
    let (session, _) = password_only(&app, &username).await;
    enrol(&app, &session).await;
    // Enrolling a second app over the first is refused: remove it first.
    session
        .post("/api/v1/me/totp", json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "totp_enrolled");
    session
        .send(
            Method::DELETE,
            "/api/v1/me/totp",
            Some(json!({"password": "niet het wachtwoord"})),
            &[],
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    session
        .send(
            Method::DELETE,
            "/api/v1/me/totp",
            Some(json!({"password": PASSWORD})),
            &[],
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    let (next, step) = password_only(&app, &username).await;
    assert_eq!(step, "enrol");
    next.delete("/api/v1/session")
        .await
        .assert(StatusCode::NO_CONTENT);

    let trail: Vec<String> = {
        app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 100))
            .into_iter()
            .filter(|e| e.event.contains("second_factor"))
            .map(|e| format!("{} {}", e.event, e.outcome))
            .collect()
    };
    assert_eq!(
        trail,
        [
            "second_factor.totp.start success",
            "second_factor.totp.confirm success",
            "second_factor.totp.remove failed",
            "second_factor.totp.remove success",
        ]
    );
}

#[tokio::test]
async fn a_password_alone_cannot_add_an_app_to_an_account_with_a_passkey() {
    let app = app().await;
    let (user, username) = app.create_user(Role::Casemanager, Some(app.team));
    {
        // A passkey as registration leaves it (its content does not matter here).
        let sql = format!(
            "INSERT INTO passkeys (user_id, name, credential_id, credential, created_at) \
             VALUES ({user}, 'Mijn telefoon', 'AAAA', '{{}}', '2026-11-23 19:00:00')"
        );
        app.db_write(move |conn| diesel::RunQueryDsl::execute(diesel::sql_query(sql), conn));
    }
    let (thief, step) = password_only(&app, &username).await;
    assert_eq!(step, "passkey");
    thief
        .post("/api/v1/me/totp", json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "passkey_enrolled");
    assert_eq!(app.count("totp_secrets"), 0);
}

#[tokio::test]
async fn a_password_only_session_waits_ten_minutes_for_its_second_factor() {
    let app = app().await;
    let (_, username) = app.create_user(Role::Casemanager, Some(app.team));
    let (session, _) = password_only(&app, &username).await;
    app.clock.advance(TimeDelta::minutes(9));
    session
        .get("/api/v1/me/second-factor")
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::minutes(2));
    session
        .get("/api/v1/me/second-factor")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.count("sessions"), 0);
}

/// The app learns, before anyone signs in, whether this server asks for the second step:
/// without it, every screen shows a banner saying it is fit for a demo only.
#[tokio::test]
async fn before_signing_in_the_app_learns_whether_the_second_step_is_asked() {
    let demo = spawn_app().await;
    let rules = demo
        .anonymous()
        .get("/api/v1/sign-in-rules")
        .await
        .assert(StatusCode::OK);
    assert_eq!(rules["second_factor_required"], false);
    let real = app().await;
    let rules = real
        .anonymous()
        .get("/api/v1/sign-in-rules")
        .await
        .assert(StatusCode::OK);
    assert_eq!(rules["second_factor_required"], true);
}
