//! The offline store's device key, the lock and the PIN, and revoking a device.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::TimeDelta;
use futures::future::join_all;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Reply, Session, TestApp, spawn_app_with};

/// The app as shipped: locks after ten idle minutes.
async fn spawn() -> TestApp {
    spawn_app_with(|s| s.lock_minutes = 10).await
}

/// What the phone derives from a PIN and sends instead of it.
fn proof(byte: u8) -> String {
    URL_SAFE_NO_PAD.encode([byte; 32])
}

async fn claim(session: &Session, device: Option<&str>) -> Value {
    session
        .post("/api/v1/me/device", json!({ "device": device }))
        .await
        .assert(StatusCode::OK)
}

async fn unlock(session: &Session, byte: u8) -> Reply {
    session
        .post("/api/v1/session/unlock", json!({ "proof": proof(byte) }))
        .await
}

async fn set_pin(session: &Session, byte: u8) {
    session
        .put("/api/v1/me/device/pin", json!({ "proof": proof(byte) }))
        .await
        .assert(StatusCode::NO_CONTENT);
}

async fn status(app: &TestApp, device: &str) -> bool {
    app.anonymous()
        .post("/api/v1/device/status", json!({ "device": device }))
        .await
        .assert(StatusCode::OK)["revoked"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn a_device_key_is_handed_only_to_its_own_users_live_sessions() {
    let app = spawn().await;
    let phone = app.login_as(Role::Casemanager).await;
    let first = claim(&phone, None).await;
    let device = first["device"].as_str().unwrap();
    let key = URL_SAFE_NO_PAD
        .decode(first["store_key"].as_str().unwrap())
        .unwrap();
    assert_eq!(key.len(), 32);
    assert_eq!(first["pin"], false);
    assert_eq!(first["lock_minutes"], 10);

    // The same device again (a new session after the old one timed out): the same key.
    let again = app.sign_in(&phone.username).await;
    assert_eq!(claim(&again, Some(device)).await, first);
    // Another device of hers gets another key.
    let other = claim(&again, None).await;
    assert_ne!(other["store_key"], first["store_key"]);

    // Someone else naming her device gets nothing.
    let colleague = app.login_as(Role::Casemanager).await;
    colleague
        .post("/api/v1/me/device", json!({ "device": device }))
        .await
        .assert_error(StatusCode::GONE, "device_revoked");
    colleague
        .post("/api/v1/me/device", json!({ "device": "x".repeat(65) }))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_device");
    // A NUL byte, which PostgreSQL refuses in text, is refused before it gets there.
    for path in ["/api/v1/me/device", "/api/v1/device/status"] {
        colleague
            .post(path, json!({ "device": "ab\u{0}cd" }))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_device");
    }
    app.anonymous()
        .post("/api/v1/me/device", json!({ "device": device }))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(
        app.count("audit_log WHERE event = 'device.register'"),
        2,
        "each new device is in the audit trail"
    );
}

#[tokio::test]
async fn an_idle_session_locks_and_the_pin_unlocks_it() {
    let app = spawn().await;
    let phone = app.login_as(Role::Casemanager).await;
    phone
        .put("/api/v1/me/device/pin", json!({ "proof": proof(7) }))
        .await
        .assert_error(StatusCode::CONFLICT, "no_device");
    let key = claim(&phone, None).await["store_key"].clone();
    phone
        .put("/api/v1/me/device/pin", json!({ "proof": "1234" }))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_proof");
    set_pin(&phone, 7).await;

    // Nine quiet minutes: still open. Eleven: locked, for everything.
    app.clock.advance(TimeDelta::minutes(9));
    phone.get("/api/v1/me").await.assert(StatusCode::OK);
    app.clock.advance(TimeDelta::minutes(11));
    for path in ["/api/v1/me", "/api/v1/clients", "/api/v1/me/sessions"] {
        phone
            .get(path)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "locked");
    }
    phone
        .post("/api/v1/me/device", json!({ "device": null }))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "locked");
    // A request while locked is no activity: an hour later it is still locked, not ended.
    app.clock.advance(TimeDelta::hours(1));
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "locked");

    unlock(&phone, 8)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "wrong_pin");
    let unlocked = unlock(&phone, 7).await.assert(StatusCode::OK);
    assert_eq!(unlocked["store_key"], key);
    assert_eq!(unlocked["pin"], true);
    phone.get("/api/v1/clients").await.assert(StatusCode::OK);

    // The lock button locks at once; signing out still works when locked.
    phone
        .post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "locked");
    unlock(&phone, 7).await.assert(StatusCode::OK);
    assert_eq!(
        app.count("audit_log WHERE event = 'session.unlock' AND outcome = 'failed'"),
        1
    );
    assert_eq!(
        app.count("audit_log WHERE event = 'session.unlock' AND outcome = 'success'"),
        2
    );
    phone
        .post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    phone
        .delete("/api/v1/session")
        .await
        .assert(StatusCode::NO_CONTENT);
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn five_wrong_pins_remove_the_pin_and_end_the_session() {
    let app = spawn().await;
    let phone = app.login_as(Role::Peer).await;
    unlock(&phone, 1)
        .await
        .assert_error(StatusCode::CONFLICT, "no_pin");
    let device = claim(&phone, None).await;
    set_pin(&phone, 1).await;
    phone
        .post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    for wrong in 2..6 {
        unlock(&phone, wrong)
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "wrong_pin");
    }
    unlock(&phone, 6)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    // Gone, also for the right PIN.
    unlock(&phone, 1)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    // Signing in again reopens the same store (the key is kept), without a PIN.
    let again = app.sign_in(&phone.username).await;
    let reopened = claim(&again, device["device"].as_str()).await;
    assert_eq!(reopened["store_key"], device["store_key"]);
    assert_eq!(reopened["pin"], false);
}

/// Guesses sent at once are counted before they are checked: no more of them are checked
/// than the five wrong PINs allowed in a row, and the right PIN among them is too late.
#[tokio::test]
async fn a_burst_of_guessed_pins_is_checked_no_more_often_than_the_limit() {
    let app = spawn().await;
    let phone = app.login_as(Role::Casemanager).await;
    claim(&phone, None).await;
    set_pin(&phone, 1).await;
    phone
        .post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    let guesses = join_all((2..42).map(|byte| unlock(&phone, byte))).await;
    // Refused as wrong, or as too late: the session gone (401), or its PIN (409).
    let statuses: Vec<StatusCode> = guesses.iter().map(|reply| reply.status).collect();
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::CONFLICT].contains(s)),
        "{statuses:?}"
    );
    let checked = app.count("audit_log WHERE event = 'session.unlock' AND outcome = 'failed'");
    assert_eq!(checked, 5, "{statuses:?}");
    unlock(&phone, 1)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn a_right_pin_resets_the_count_of_wrong_ones() {
    let app = spawn().await;
    let phone = app.login_as(Role::Peer).await;
    claim(&phone, None).await;
    set_pin(&phone, 1).await;
    for _ in 0..3 {
        for _ in 0..4 {
            unlock(&phone, 9)
                .await
                .assert_error(StatusCode::UNAUTHORIZED, "wrong_pin");
        }
        unlock(&phone, 1).await.assert(StatusCode::OK);
    }
}

#[tokio::test]
async fn revoking_a_device_erases_its_key_and_ends_its_sessions() {
    let app = spawn().await;
    let phone = app.login_as(Role::Casemanager).await;
    let device = claim(&phone, None).await["device"]
        .as_str()
        .unwrap()
        .to_owned();
    let laptop = app.sign_in(&phone.username).await;
    assert!(!status(&app, &device).await);
    assert!(
        !status(&app, "no-such-device").await,
        "unknown is not revoked"
    );

    // A lost phone, ended from the laptop.
    laptop.end_other_session().await;
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert!(status(&app, &device).await);
    assert_eq!(
        app.count(&format!(
            "devices WHERE id = '{device}' AND store_key IS NULL AND pin_hash IS NULL"
        )),
        1,
        "the key is erased, not just flagged"
    );
    // Found again, the phone's old store stays closed: signing in makes a new one.
    let found = app.sign_in(&phone.username).await;
    found
        .post("/api/v1/me/device", json!({ "device": device }))
        .await
        .assert_error(StatusCode::GONE, "device_revoked");
    laptop.get("/api/v1/me").await.assert(StatusCode::OK);

    // Signing out revokes the device too.
    let laptop_device = claim(&laptop, None).await["device"]
        .as_str()
        .unwrap()
        .to_owned();
    laptop
        .delete("/api/v1/session")
        .await
        .assert(StatusCode::NO_CONTENT);
    assert!(status(&app, &laptop_device).await);

    // So does disabling the account, for all her devices.
    let kept = claim(&found, None).await["device"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.login_as(Role::Admin).await;
    admin
        .patch(
            &format!("/api/v1/users/{}", phone.user_id),
            json!({"active": false}),
        )
        .await
        .assert(StatusCode::OK);
    assert!(status(&app, &kept).await);
}

#[tokio::test]
async fn a_password_change_keeps_the_phones_store() {
    // Her queued work on another phone must survive: it unlocks after signing in again.
    let app = spawn().await;
    let phone = app.login_as(Role::Casemanager).await;
    let device = claim(&phone, None).await;
    let laptop = app.sign_in(&phone.username).await;
    laptop
        .put(
            "/api/v1/me/password",
            json!({"current_password": crate::helpers::PASSWORD, "new_password": "een nieuw lang wachtwoord"}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    phone
        .get("/api/v1/me")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert!(!status(&app, device["device"].as_str().unwrap()).await);
}

/// Endpoints a locked session may use.
const OPEN_WHEN_LOCKED: &[(&str, &str)] = &[
    ("post", "/api/v1/session/unlock"),
    ("post", "/api/v1/session/unlock/passkey"),
    ("post", "/api/v1/session/unlock/passkey/finish"),
    ("post", "/api/v1/session/lock"),
    ("delete", "/api/v1/session"),
];

#[tokio::test]
async fn a_locked_session_reaches_nothing_but_unlocking_and_signing_out() {
    let app = spawn().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    claim(&coordinator, None).await;
    set_pin(&coordinator, 3).await;
    app.clock.advance(TimeDelta::minutes(11));
    let checked =
        crate::second_factor::only_these_open(&app, &coordinator, OPEN_WHEN_LOCKED, "locked").await;
    assert!(checked > 60, "only {checked} endpoints checked");
    unlock(&coordinator, 3).await.assert(StatusCode::OK);
    coordinator
        .get("/api/v1/clients")
        .await
        .assert(StatusCode::OK);
}
