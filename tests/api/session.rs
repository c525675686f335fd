//! Signing in and out: cookies, timeouts, throttling, and the cross-site guard.

use chrono::TimeDelta;
use inbeeld::config::TrustedProxies;
use inbeeld::db::queries::login_failures::{Of, recent};
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with};

/// Signs in without a cookie store and returns the raw session cookie (`name=value`).
async fn raw_cookie(app: &TestApp, username: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/session", app.address))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "plain http on localhost: {set_cookie}"
    );
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn me_with(app: &TestApp, cookie: &str) -> StatusCode {
    reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.address))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure() {
    let app = spawn_app_with(|s| s.public_origin = "https://inbeeld.example.org".into()).await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/session", app.address))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "__Host-inbeeld_session=",
        "Secure",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
    ] {
        assert!(set_cookie.contains(part), "{part} missing: {set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let pair = set_cookie.split(';').next().unwrap().to_owned();
    assert_eq!(me_with(&app, &pair).await, StatusCode::OK);
    // The bare name is not read when the prefix is in use: it could be set by a sibling site.
    let bare = pair.replacen("__Host-", "", 1);
    assert_eq!(me_with(&app, &bare).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_sign_in_gets_a_new_session_and_logout_ends_it() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let first = raw_cookie(&app, &username).await;
    let second = raw_cookie(&app, &username).await;
    assert_ne!(first, second);
    assert_eq!(me_with(&app, &first).await, StatusCode::OK);

    let logout = reqwest::Client::new()
        .delete(format!("{}/api/v1/session", app.address))
        .header("Cookie", &first)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        logout.headers()["clear-site-data"],
        "\"cache\", \"storage\"",
        "the browser wipes what it kept"
    );
    assert_eq!(me_with(&app, &first).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me_with(&app, &second).await,
        StatusCode::OK,
        "other devices stay signed in"
    );
}

#[tokio::test]
async fn sessions_end_after_idle_and_absolute_timeouts() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Peer, None);
    let cookie = raw_cookie(&app, &username).await;
    // Active all evening and night: every 7 hours a request keeps the session alive...
    for _ in 0..3 {
        app.clock.advance(TimeDelta::hours(7));
        assert_eq!(me_with(&app, &cookie).await, StatusCode::OK);
    }
    // ...until a day after sign-in.
    app.clock.advance(TimeDelta::hours(4));
    assert_eq!(me_with(&app, &cookie).await, StatusCode::UNAUTHORIZED);

    let idle = raw_cookie(&app, &username).await;
    app.clock
        .advance(TimeDelta::hours(8) + TimeDelta::minutes(1));
    assert_eq!(me_with(&app, &idle).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let phone = raw_cookie(&app, &username).await;
    let laptop = app.sign_in(&username).await;
    laptop
        .send(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({"current_password": "wrong password here", "new_password": "een nieuw lang wachtwoord"})),
            &[],
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    laptop
        .send(
            Method::PUT,
            "/api/v1/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "kort"})),
            &[],
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "weak_password");
    // Long enough, but one of the passwords leaked most often: refused all the same.
    laptop
        .put(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "Qwerty123456"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "weak_password");
    laptop
        .send(
            Method::PUT,
            "/api/v1/me/password",
            Some(
                json!({"current_password": PASSWORD, "new_password": "een nieuw lang wachtwoord"}),
            ),
            &[],
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(me_with(&app, &phone).await, StatusCode::UNAUTHORIZED);
    laptop.get("/api/v1/me").await.assert(StatusCode::OK);
    app.anonymous()
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let app = spawn_app().await;
    let admin = app.login_as(Role::Admin).await;
    let (id, username) = app.create_user(Role::Casemanager, None);
    let cookie = raw_cookie(&app, &username).await;
    admin
        .patch(&format!("/api/v1/users/{id}"), json!({"active": false}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(me_with(&app, &cookie).await, StatusCode::UNAUTHORIZED);
    app.anonymous()
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let guest = app.anonymous();
    for _ in 0..5 {
        guest
            .post(
                "/api/v1/session",
                json!({"username": username, "password": "not the password"}),
            )
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let locked = guest
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await;
    let retry_after: u64 = locked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "{retry_after}");
    locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");

    app.clock.advance(TimeDelta::minutes(16));
    guest
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert(StatusCode::OK);
}

#[tokio::test]
async fn one_address_cannot_try_many_accounts() {
    let app = spawn_app().await;
    let guest = app.anonymous();
    for n in 0..20 {
        // Names no account can have count too: a NUL (which PostgreSQL cannot even
        // compare), an overlong name, letters outside the username alphabet.
        let username = match n % 4 {
            0 => format!("gok\u{0}{n}"),
            1 => "g".repeat(300),
            2 => format!("Gök {n}"),
            _ => format!("gok{n}"),
        };
        guest
            .post(
                "/api/v1/session",
                json!({"username": username, "password": "raden maar"}),
            )
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let (_, username) = app.create_user(Role::Peer, None);
    // X-Forwarded-For is not trusted, so it cannot reset the address count.
    guest
        .send(
            Method::POST,
            "/api/v1/session",
            Some(json!({"username": username, "password": PASSWORD})),
            &[("X-Forwarded-For", "203.0.113.9")],
        )
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_counts_on_its_own() {
    // The test client plays the local reverse proxy (127.0.0.1), which appends the
    // address it saw to X-Forwarded-For.
    let app =
        spawn_app_with(|s| s.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap()).await;
    let guest = app.anonymous();
    let (_, username) = app.create_user(Role::Peer, None);
    let guest = &guest;
    let sign_in = |password: &'static str, forwarded: &'static str| {
        let body = json!({"username": username, "password": password});
        async move {
            let headers = [("X-Forwarded-For", forwarded)];
            guest
                .send(Method::POST, "/api/v1/session", Some(body), &headers)
                .await
        }
    };
    for _ in 0..4 {
        // What the attacker puts in the header herself comes first; the proxy's comes last.
        sign_in("raden maar", "198.51.100.1, 203.0.113.9")
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let since = app.clock.now() - TimeDelta::hours(1);
    let failures = app.db_read(|conn| recent(conn, Of::Address("203.0.113.9"), since));
    assert_eq!(failures.count, 4);
    // Another colleague behind the same proxy signs in; the audit trail has her address.
    sign_in(PASSWORD, "203.0.113.10")
        .await
        .assert(StatusCode::OK);
    let entries = app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 100));
    let addresses: Vec<_> = entries
        .iter()
        .filter(|e| e.event.starts_with("session."))
        .map(|e| e.address.as_deref())
        .collect();
    assert_eq!(
        addresses,
        [Some("203.0.113.9"); 4]
            .into_iter()
            .chain([Some("203.0.113.10")])
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let body = json!({"alias": "Grutto", "region": "nijmegen"});
    cm.send(
        Method::POST,
        "/api/v1/clients",
        Some(body.clone()),
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    cm.send(
        Method::POST,
        "/api/v1/clients",
        Some(body.clone()),
        &[("Origin", "https://evil.example")],
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.count("clients"), 0);

    let own_origin = app.address.clone();
    cm.send(
        Method::POST,
        "/api/v1/clients",
        Some(body),
        &[
            ("Sec-Fetch-Site", "same-origin"),
            ("Origin", own_origin.as_str()),
        ],
    )
    .await
    .assert(StatusCode::CREATED);
    // Reading is never blocked by the guard (and SameSite=Strict keeps the cookie home).
    cm.send(
        Method::GET,
        "/api/v1/clients",
        None,
        &[("Sec-Fetch-Site", "cross-site")],
    )
    .await
    .assert(StatusCode::OK);
}

/// Two servers on one database, sharing no memory: a session made on one works on the
/// other, and logging out on the other ends it on both.
#[tokio::test]
async fn a_session_from_one_server_works_on_another() {
    let app = spawn_app().await;
    let second =
        inbeeld::startup::Application::build((*app.state.settings).clone(), app.clock.clone())
            .await
            .unwrap();
    let other = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    let (_, username) = app.create_user(Role::Casemanager, None);
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = http
        .post(format!("{}/api/v1/session", app.address))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    // The cookie is for 127.0.0.1, whatever the port: the same browser, another server.
    let me = http.get(format!("{other}/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let out = http
        .delete(format!("{other}/api/v1/session"))
        .header("Origin", other.as_str())
        .send()
        .await
        .unwrap();
    assert!(out.status().is_success(), "{}", out.status());
    let gone = http
        .get(format!("{}/api/v1/me", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_sees_her_devices_and_ends_a_lost_one() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let phone = "Mozilla/5.0 (Linux; Android 14; SM-A145R) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    let lost = reqwest::Client::new()
        .post(format!("{}/api/v1/session", app.address))
        .header("User-Agent", phone)
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let lost = lost.headers()["set-cookie"].to_str().unwrap();
    let lost = lost.split(';').next().unwrap().to_owned();
    let office = app.sign_in(&username).await;

    let listed = office
        .get("/api/v1/me/sessions")
        .await
        .assert(StatusCode::OK);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["current"], true);
    let on_phone = listed.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(on_phone["device"], "Chrome op Android");
    assert_eq!(on_phone["address"], "127.0.0.1");

    // Nobody ends another user's session: it does not exist for her.
    let other = app.login_as(Role::Casemanager).await;
    other
        .delete(&format!("/api/v1/me/sessions/{}", on_phone["id"]))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(me_with(&app, &lost).await, StatusCode::OK);

    office
        .delete(&format!("/api/v1/me/sessions/{}", on_phone["id"]))
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(me_with(&app, &lost).await, StatusCode::UNAUTHORIZED);
    let listed = office
        .get("/api/v1/me/sessions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
