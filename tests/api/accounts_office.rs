//! The admin's office for accounts: a new account's one-time start password (it expires,
//! and signing in with it reaches nothing but choosing her own password), a new start
//! password for a lost one, and a second factor reset for a lost phone. Invitation links:
//! `accounts_invitations.rs`.

use chrono::TimeDelta;
use diesel::RunQueryDsl;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp, spawn_app_with};
use crate::second_factor::only_these_open;

/// The app as shipped: every session needs its second factor.
async fn app() -> TestApp {
    spawn_app_with(|s| s.second_factor_required = true).await
}

/// The admin creates a casemanager of the default team; returns the answer.
async fn create_casemanager(app: &TestApp, admin: &Session, username: &str) -> Value {
    admin
        .post(
            "/api/v1/users",
            json!({"username": username, "display_name": "Fleur", "role": "casemanager", "team_id": app.team}),
        )
        .await
        .assert(StatusCode::CREATED)
}

/// Signs in with `password`; returns the session and the answer (a `Me` or an error).
async fn sign_in_with(
    app: &TestApp,
    username: &str,
    password: &str,
) -> (Session, StatusCode, Value) {
    let session = app.anonymous();
    let reply = session
        .post(
            "/api/v1/session",
            json!({"username": username, "password": password}),
        )
        .await;
    (session, reply.status, reply.body)
}

/// Her own password, chosen on the screen after signing in with a start password.
const HER_OWN: &str = "een eigen wachtwoord van Fleur";

/// What a session opened with a start password may do besides choosing its password.
const OPEN_BEFORE_CHOOSING: &[(&str, &str)] = &[
    ("get", "/api/v1/me"),
    ("put", "/api/v1/me/password"),
    ("delete", "/api/v1/session"),
];

#[tokio::test]
async fn a_start_password_reaches_nothing_but_choosing_her_own() {
    let app = app().await;
    let admin = app.login_as(Role::Admin).await;
    let created = create_casemanager(&app, &admin, "fleur").await;
    assert_eq!(created["user"]["role"], "casemanager");
    assert_eq!(created["user"]["team_id"], app.team);
    assert!(created["invitation_url"].is_null());
    let start = created["start_password"].as_str().unwrap().to_owned();
    assert_eq!(start.len(), 20);

    let (session, status, me) = sign_in_with(&app, "fleur", &start).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["second_factor"], "enrol");
    let me = session.get("/api/v1/me").await.assert(StatusCode::OK);
    assert_eq!(me["must_change_password"], true);
    assert_eq!(
        me["second_factor"], "enrol",
        "what follows the new password"
    );
    let checked = only_these_open(
        &app,
        &session,
        OPEN_BEFORE_CHOOSING,
        "password_change_required",
    )
    .await;
    assert!(checked > 60, "only {checked} endpoints checked");

    // Her own: not the start password again, not a weak one, and given the start password.
    let choose =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    session
        .put("/api/v1/me/password", choose(&start, &start))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "password_unchanged");
    session
        .put("/api/v1/me/password", choose(&start, "kort"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "weak_password");
    session
        .put(
            "/api/v1/me/password",
            choose("niet het startwachtwoord", HER_OWN),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    session
        .put("/api/v1/me/password", choose(&start, HER_OWN))
        .await
        .assert(StatusCode::NO_CONTENT);

    // Then the second factor as always, and then everything her role reaches.
    session
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "second_factor_required");
    app.enrol_authenticator(&session).await;
    let me = session.get("/api/v1/me").await.assert(StatusCode::OK);
    assert_eq!(me["must_change_password"], false);
    session.get("/api/v1/clients").await.assert(StatusCode::OK);

    // The start password is gone; hers works and never expires.
    let (_, status, _) = sign_in_with(&app, "fleur", &start).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.clock.advance(TimeDelta::days(60));
    let (_, status, me) = sign_in_with(&app, "fleur", HER_OWN).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (
            me["must_change_password"].as_bool(),
            me["second_factor"].as_str()
        ),
        (Some(false), Some("code"))
    );
}

#[tokio::test]
async fn a_start_password_works_until_the_invitation_days_have_passed() {
    let app = spawn_app_with(|s| s.invitation_days = 2).await;
    let admin = app.login_as(Role::Admin).await;
    let early = create_casemanager(&app, &admin, "vroeg").await["start_password"]
        .as_str()
        .unwrap()
        .to_owned();
    let late = create_casemanager(&app, &admin, "laat").await["start_password"]
        .as_str()
        .unwrap()
        .to_owned();

    app.clock
        .advance(TimeDelta::days(2) - TimeDelta::minutes(1));
    let (in_time, status, me) = sign_in_with(&app, "vroeg", &early).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["must_change_password"], true);

    app.clock.advance(TimeDelta::minutes(1));
    let (_, status, body) = sign_in_with(&app, "laat", &late).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("start_password_expired"))
    );
    // Only the right password learns that it expired.
    let (_, status, body) = sign_in_with(&app, "laat", "een heel ander wachtwoord").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_credentials"))
    );
    // An expired start password is a failed sign-in in the trail.
    let account = app.db_read(|conn| inbeeld::db::queries::users::find_by_username(conn, "laat"));
    let account = account.unwrap().id;
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE event = 'session.sign_in' AND outcome = 'failed' AND user_id = {account}"
        )),
        2
    );

    // Past the date no new session opens with it; one opened in time may still choose.
    let (_, status, _) = sign_in_with(&app, "vroeg", &early).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    in_time
        .put(
            "/api/v1/me/password",
            json!({"current_password": early, "new_password": HER_OWN}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    let (_, status, _) = sign_in_with(&app, "vroeg", HER_OWN).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_start_password_ends_her_sessions_and_keeps_her_second_factor() {
    let app = app().await;
    let admin = app.login_as(Role::Admin).await;
    let phone = app.login_as(Role::Casemanager).await;
    let device = phone
        .post("/api/v1/me/device", json!({"device": null}))
        .await
        .assert(StatusCode::OK)["device"]
        .as_str()
        .unwrap()
        .to_owned();

    let start = admin
        .post(
            &format!("/api/v1/users/{}/start-password", phone.user_id),
            json!({}),
        )
        .await
        .assert(StatusCode::OK)["start_password"]
        .as_str()
        .unwrap()
        .to_owned();
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let revoked = app
        .anonymous()
        .post("/api/v1/device/status", json!({"device": device}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(revoked["revoked"], true);

    // Her old password no longer works; the start password makes her choose, then asks
    // for the app she already has.
    let (_, status, _) = sign_in_with(&app, &phone.username, PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (session, status, me) = sign_in_with(&app, &phone.username, &start).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["second_factor"], "code");
    session
        .put(
            "/api/v1/me/password",
            json!({"current_password": start, "new_password": HER_OWN}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    let code = phone.recovery_codes[0].clone();
    session
        .post(
            "/api/v1/session/second-factor",
            json!({"recovery_code": code}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    session.get("/api/v1/clients").await.assert(StatusCode::OK);

    // Not for her own account, nor for one that does not exist.
    admin
        .post(
            &format!("/api/v1/users/{}/start-password", admin.user_id),
            json!({}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "own_account");
    admin
        .post("/api/v1/users/9999/start-password", json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn a_second_factor_reset_removes_app_codes_and_passkeys_and_ends_her_sessions() {
    let app = app().await;
    let admin = app.login_as(Role::Admin).await;
    let phone = app.login_as(Role::Peer).await;
    let user = phone.user_id;
    app.db_write(move |conn| {
        diesel::sql_query(format!(
            "INSERT INTO passkeys (user_id, name, credential_id, credential, created_at) \
             VALUES ({user}, 'Telefoon', 'abc', '{{}}', '2026-11-01 12:00:00')"
        ))
        .execute(conn)
    });
    let held = |table: &str| app.count(&format!("{table} WHERE user_id = {user}"));
    assert_eq!(
        (
            held("totp_secrets"),
            held("recovery_codes"),
            held("passkeys")
        ),
        (1, 10, 1)
    );

    admin
        .post(
            &format!("/api/v1/users/{user}/second-factor/reset"),
            json!({}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(
        (
            held("totp_secrets"),
            held("recovery_codes"),
            held("passkeys"),
            held("sessions")
        ),
        (0, 0, 0, 0)
    );
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    // Her password still works; she enrols anew.
    let (session, status, me) = sign_in_with(&app, &phone.username, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["second_factor"], "enrol");
    assert_eq!(me["must_change_password"], false);
    app.enrol_authenticator(&session).await;
    session.get("/api/v1/clients").await.assert(StatusCode::OK);

    admin
        .post(
            &format!("/api/v1/users/{}/second-factor/reset", admin.user_id),
            json!({}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "own_account");
}

#[tokio::test]
async fn only_the_admin_hands_out_ways_in_and_renames_teams() {
    let app = spawn_app_with(|_| {}).await;
    let (target, _) = app.create_user(Role::Casemanager, None);
    let mut callers = app.every_caller().await;
    let admin = callers.remove(4);
    let paths = [
        (
            "post",
            format!("/api/v1/users/{target}/start-password"),
            json!({}),
        ),
        (
            "post",
            format!("/api/v1/users/{target}/second-factor/reset"),
            json!({}),
        ),
        (
            "patch",
            format!("/api/v1/teams/{}", app.team),
            json!({"name": "Stapteam Noord"}),
        ),
        (
            "post",
            "/api/v1/users".to_owned(),
            json!({"username": "nieuw", "role": "peer", "team_id": app.team, "start": "invitation"}),
        ),
    ];
    for (method, path, body) in &paths {
        for caller in &callers {
            let reply = match *method {
                "post" => caller.post(path, body.clone()).await,
                _ => caller.patch(path, body.clone()).await,
            };
            let expected = if caller.user_id == 0 { 401 } else { 403 };
            assert_eq!(
                reply.status.as_u16(),
                expected,
                "{method} {path} by {}",
                caller.username
            );
        }
    }
    // The admin's answers, and what a team rename checks.
    let expected = [200, 204, 200, 201];
    for ((method, path, body), status) in paths.iter().zip(expected) {
        let reply = match *method {
            "post" => admin.post(path, body.clone()).await,
            _ => admin.patch(path, body.clone()).await,
        };
        assert_eq!(
            reply.status.as_u16(),
            status,
            "{method} {path}: {}",
            reply.body
        );
    }
    let other = app.create_team("Stapteam Zuid");
    let rename = |team: i64, name: &str| {
        let (path, body) = (format!("/api/v1/teams/{team}"), json!({"name": name}));
        let admin = &admin;
        async move { admin.patch(&path, body).await }
    };
    let renamed = rename(app.team, " Stapteam Nijmegen-Noord ")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        renamed,
        json!({"id": app.team, "name": "Stapteam Nijmegen-Noord"})
    );
    rename(other, "Stapteam Nijmegen-Noord")
        .await
        .assert_error(StatusCode::CONFLICT, "team_exists");
    rename(other, "  ")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    rename(9999, "Stapteam Elders")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let teams = admin.get("/api/v1/teams").await.assert(StatusCode::OK);
    assert!(
        teams
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "Stapteam Nijmegen-Noord")
    );
}
