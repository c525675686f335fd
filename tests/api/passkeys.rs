//! Passkeys through the API: ceremonies, ownership, and removal with the password. The
//! browser test registers a real one (virtual authenticator) and signs in with it.

use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_registration_starts_with_options_for_this_site_and_finishes_once() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let started = cm
        .post("/api/v1/me/passkeys/register", json!({}))
        .await
        .assert(StatusCode::OK);
    let options = &started["options"]["publicKey"];
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["user"]["name"], cm.username);
    assert!(options["challenge"].as_str().unwrap().len() >= 43);
    // A user handle that does not name her: derived from her id only.
    assert!(
        !options["user"]["id"]
            .as_str()
            .unwrap()
            .contains(&cm.username)
    );

    // An answer that is no credential is refused, and the ceremony is used up.
    let ceremony = started["ceremony_id"].as_i64().unwrap();
    let garbage =
        json!({"ceremony_id": ceremony, "name": "Mijn telefoon", "credential": {"id": "x"}});
    cm.post("/api/v1/me/passkeys/register/finish", garbage.clone())
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_credential");
    // Someone else cannot finish her ceremony.
    let other = app.login_as(Role::Casemanager).await;
    let again = other
        .post("/api/v1/me/passkeys/register", json!({}))
        .await
        .assert(StatusCode::OK);
    let forged = json!({
        "ceremony_id": again["ceremony_id"],
        "name": "x",
        "credential": {
            "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
            "response": {"attestationObject": "AAAA", "clientDataJSON": "AAAA"}
        }
    });
    cm.post("/api/v1/me/passkeys/register/finish", forged)
        .await
        .assert_error(StatusCode::CONFLICT, "ceremony_expired");
    assert_eq!(app.count("passkeys"), 0);
}

#[tokio::test]
async fn signing_in_with_a_passkey_needs_an_account_that_has_one() {
    let app = spawn_app().await;
    let (_, username) = app.create_user(Role::Peer, None);
    let guest = app.anonymous();
    for name in [username.as_str(), "niemand"] {
        guest
            .post("/api/v1/session/passkey", json!({"username": name}))
            .await
            .assert_error(StatusCode::UNAUTHORIZED, "no_passkey");
    }
    // Each try counts as a failed sign-in of the address.
    assert_eq!(app.count("login_failures"), 2);
    guest
        .post(
            "/api/v1/session/passkey/finish",
            json!({"ceremony_id": 12345, "credential": {
                "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
                "response": {"authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA", "userHandle": null}
            }}),
        )
        .await
        .assert_error(StatusCode::CONFLICT, "ceremony_expired");
}

#[tokio::test]
async fn a_passkey_that_is_not_hers_cannot_be_renamed_or_removed() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.get("/api/v1/me/passkeys").await.assert(StatusCode::OK);
    cm.patch("/api/v1/me/passkeys/999", json!({"name": "Werktelefoon"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.send(
        Method::DELETE,
        "/api/v1/me/passkeys/999",
        Some(json!({"password": PASSWORD})),
        &[],
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.send(
        Method::DELETE,
        "/api/v1/me/passkeys/999",
        Some(json!({"password": "niet mijn wachtwoord"})),
        &[],
    )
    .await
    .assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
}

#[tokio::test]
async fn unlocking_with_a_passkey_needs_a_device_a_passkey_and_an_unlock_ceremony() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    // A session that never claimed a device has no store to unlock.
    cm.post("/api/v1/session/unlock/passkey", json!({}))
        .await
        .assert_error(StatusCode::GONE, "device_revoked");

    let phone = app.login_as(Role::Casemanager).await;
    phone
        .post("/api/v1/me/device", json!({ "device": null }))
        .await
        .assert(StatusCode::OK);
    let register = phone
        .post("/api/v1/me/passkeys/register", json!({}))
        .await
        .assert(StatusCode::OK);
    phone
        .post("/api/v1/session/lock", json!({}))
        .await
        .assert(StatusCode::NO_CONTENT);
    // Without a passkey she unlocks with her PIN.
    phone
        .post("/api/v1/session/unlock/passkey", json!({}))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "no_passkey");
    // A ceremony of another kind (here: registering) does not unlock, and is used up.
    let answer = json!({"ceremony_id": register["ceremony_id"], "credential": {
        "id": "AAAA", "rawId": "AAAA", "type": "public-key", "extensions": {},
        "response": {"authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA", "userHandle": null}
    }});
    phone
        .post("/api/v1/session/unlock/passkey/finish", answer)
        .await
        .assert_error(StatusCode::CONFLICT, "ceremony_expired");
    phone
        .post(
            "/api/v1/session/unlock/passkey/finish",
            json!({"ceremony_id": register["ceremony_id"], "credential": {"id": "x"}}),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_credential");
    // Still locked.
    phone
        .get("/api/v1/me/passkeys")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "locked");
}
