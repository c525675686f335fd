//! The sign-in throttle holds whatever the door and however many guesses arrive at once:
//! each attempt is counted before its password or code is checked, so a burst of guesses
//! for one account is checked no more often than the limit allows; and the password asked
//! again when signed in (a password change, removing a factor) counts the same way.

use chrono::TimeDelta;
use futures::future::join_all;
use inbeeld::auth::totp;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Reply, Session, TestApp, spawn_app, spawn_app_with};

/// Guesses sent at once in each burst.
const BURST: usize = 40;
/// `login_failures_per_account`'s default, which these tests keep.
const LIMIT: usize = 5;

/// Sends the same request `BURST` times at once, each with its own `body(n)`, and returns
/// the answers.
async fn burst(
    session: &Session,
    method: Method,
    path: &str,
    body: impl Fn(usize) -> Value,
) -> Vec<Reply> {
    join_all((0..BURST).map(|n| session.send(method.clone(), path, Some(body(n)), &[]))).await
}

/// How many answers had each status: (checked and wrong, refused by the throttle).
fn tally(replies: &[Reply], wrong: StatusCode) -> (usize, usize) {
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    let checked = statuses.iter().filter(|s| **s == wrong).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, statuses.len(), "{statuses:?}");
    (checked, refused)
}

fn failed_entries(app: &TestApp, event: &str) -> i64 {
    app.count(&format!(
        "audit_log WHERE event = '{event}' AND outcome = 'failed'"
    ))
}

fn failures_of(app: &TestApp, username: &str) -> i64 {
    app.count(&format!("login_failures WHERE username = '{username}'"))
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_is_checked_no_more_often_than_the_limit() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let guest = app.anonymous();
    let replies = burst(
        &guest,
        Method::POST,
        "/api/v1/session",
        |n| json!({"username": username, "password": format!("geraden wachtwoord {n}")}),
    )
    .await;
    let (checked, refused) = tally(&replies, StatusCode::UNAUTHORIZED);
    assert_eq!(
        (checked, refused),
        (LIMIT, BURST - LIMIT),
        "only the first five guesses are checked"
    );
    assert_eq!(failed_entries(&app, "session.sign_in"), LIMIT as i64);
    assert_eq!(failures_of(&app, &username), LIMIT as i64);
    // The right password after the burst waits like any other.
    guest
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
}

#[tokio::test]
async fn a_burst_of_wrong_codes_is_checked_no_more_often_than_the_limit() {
    let app = spawn_app_with(|s| s.second_factor_required = true).await;
    let (_, username) = app.create_user(Role::Peer, None);
    let enrolled = app.sign_in(&username).await;
    let secret =
        app.db_read(|conn| inbeeld::db::queries::second_factor::find_totp(conn, enrolled.user_id));
    let secret = secret.unwrap().secret;
    let right = totp::code_at(&secret, app.clock.now().and_utc().timestamp()).unwrap();
    // A second phone: the password, then a burst of codes (never the right one).
    let phone = app.anonymous();
    let me = phone
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(me["second_factor"], "code");
    let wrong: Vec<String> = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .filter(|code| *code != right)
        .take(BURST)
        .collect();
    let replies = burst(
        &phone,
        Method::POST,
        "/api/v1/session/second-factor",
        |n| json!({"code": wrong[n]}),
    )
    .await;
    let (checked, refused) = tally(&replies, StatusCode::UNAUTHORIZED);
    assert_eq!((checked, refused), (LIMIT, BURST - LIMIT));
    assert_eq!(
        failed_entries(&app, "session.second_factor.totp"),
        LIMIT as i64
    );
    phone
        .post("/api/v1/session/second-factor", json!({"code": right}))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
}

fn change_password(password: &str) -> Value {
    json!({"current_password": password, "new_password": "een nieuw lang wachtwoord"})
}

#[tokio::test]
async fn the_password_asked_again_counts_as_a_failed_sign_in() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    // Someone holding her unlocked phone guesses the password.
    let phone = app.sign_in(&username).await;
    for n in 0..3 {
        phone
            .put(
                "/api/v1/me/password",
                change_password(&format!("misschien dit {n}")),
            )
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    for n in 0..2 {
        phone
            .send(
                Method::DELETE,
                "/api/v1/me/totp",
                Some(json!({"password": format!("of anders dit {n}")})),
                &[],
            )
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    assert_eq!(failures_of(&app, &username), LIMIT as i64);
    // Each failure is in the trail as what was tried, by the session that tried it.
    assert_eq!(failed_entries(&app, "session.password_change"), 3);
    assert_eq!(failed_entries(&app, "second_factor.totp.remove"), 2);

    // The account is locked now: for the right password too, at every door.
    phone
        .put("/api/v1/me/password", change_password(PASSWORD))
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    phone
        .send(
            Method::DELETE,
            "/api/v1/me/totp",
            Some(json!({"password": PASSWORD})),
            &[],
        )
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    app.anonymous()
        .post(
            "/api/v1/session",
            json!({"username": username, "password": PASSWORD}),
        )
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "too_many_requests");

    // When the window has passed, the right password works again.
    app.clock.advance(TimeDelta::minutes(16));
    phone
        .put("/api/v1/me/password", change_password(PASSWORD))
        .await
        .assert(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_asked_again_is_checked_no_more_often_than_the_limit() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Casemanager, None);
    let phone = app.sign_in(&username).await;
    let replies = burst(&phone, Method::PUT, "/api/v1/me/password", |n| {
        change_password(&format!("geraden wachtwoord {n}"))
    })
    .await;
    let (checked, refused) = tally(&replies, StatusCode::UNAUTHORIZED);
    assert_eq!((checked, refused), (LIMIT, BURST - LIMIT));
    assert_eq!(failures_of(&app, &username), LIMIT as i64);
}
