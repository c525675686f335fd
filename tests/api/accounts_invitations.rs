//! Invitation links: the admin creates an account with `start: invitation`, the link holds a
//! random token (only its hash is stored), and whoever opens it chooses the password once,
//! before the link's date; then she signs in and enrols her second factor as always.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app_with};

/// The admin invites `username` as a peer of the default team; returns the answer.
async fn invite(app: &TestApp, admin: &Session, username: &str) -> Value {
    admin
        .post(
            "/api/v1/users",
            json!({"username": username, "role": "peer", "team_id": app.team, "start": "invitation"}),
        )
        .await
        .assert(StatusCode::CREATED)
}

/// The token at the end of an invitation link.
fn token_of(created: &Value) -> String {
    let url = created["invitation_url"].as_str().unwrap();
    url.rsplit('/').next().unwrap().to_owned()
}

const HERS: &str = "mijn eigen lange wachtwoord";

#[tokio::test]
async fn an_invitation_link_sets_her_password_once() {
    let app = spawn_app_with(|s| s.second_factor_required = true).await;
    let admin = app.login_as(Role::Admin).await;
    let created = invite(&app, &admin, "noor").await;
    assert!(created["start_password"].is_null());
    let url = created["invitation_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/#/uitnodiging/", app.address)),
        "{url}"
    );
    let token = token_of(&created);
    assert!(token.len() >= 40, "{token}");
    // Only its hash is kept.
    assert_eq!(app.count("invitations"), 1);
    assert_eq!(
        app.count(&format!("invitations WHERE token_hash = '{token}'")),
        0
    );

    let anonymous = app.anonymous();
    let accept = |token: &str, password: &str| {
        let (path, body) = (
            format!("/api/v1/invitations/{token}"),
            json!({"password": password}),
        );
        let anonymous = &anonymous;
        async move { anonymous.post(&path, body).await }
    };
    accept(&token, "te kort")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "weak_password");
    accept("geen-echte-uitnodiging", HERS)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let accepted = accept(&token, HERS).await.assert(StatusCode::OK);
    assert_eq!(accepted, json!({"username": "noor"}));
    accept(&token, "nog een ander wachtwoord")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("invitations"), 0);

    // She signs in with it and enrols, as on any first sign-in: no change forced.
    let session = app.anonymous();
    let me = session
        .post(
            "/api/v1/session",
            json!({"username": "noor", "password": HERS}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(me["must_change_password"], false);
    assert_eq!(me["second_factor"], "enrol");
    app.enrol_authenticator(&session).await;
    session.get("/api/v1/clients").await.assert(StatusCode::OK);

    // Accepting is in the trail as her own act, from where she opened it.
    let account = created["user"]["id"].as_i64().unwrap();
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE event = 'account.invitation_accept' AND outcome = 'success' \
             AND user_id = {account} AND role = 'peer' AND session_id IS NULL \
             AND address = '127.0.0.1'"
        )),
        1
    );
    let detail = app.count(&format!(
        "audit_log WHERE event = 'account.create' AND detail LIKE '%\"password\":\"invitation\"%' \
         AND detail LIKE '%\"account\":{account}%'"
    ));
    assert_eq!(detail, 1);
}

#[tokio::test]
async fn an_invitation_expires_and_a_new_way_in_replaces_it() {
    let app = spawn_app_with(|s| s.invitation_days = 7).await;
    let admin = app.login_as(Role::Admin).await;
    let late = token_of(&invite(&app, &admin, "laat").await);
    let replaced = invite(&app, &admin, "vervangen").await;
    let disabled = invite(&app, &admin, "uit").await;

    // Nobody signs in before she chose a password: none is known.
    let session = app.anonymous();
    let reply = session
        .post(
            "/api/v1/session",
            json!({"username": "laat", "password": ""}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    // A new start password replaces the invitation; a disabled account is invited no more.
    let id = replaced["user"]["id"].as_i64().unwrap();
    admin
        .post(&format!("/api/v1/users/{id}/start-password"), json!({}))
        .await
        .assert(StatusCode::OK);
    let id = disabled["user"]["id"].as_i64().unwrap();
    admin
        .patch(&format!("/api/v1/users/{id}"), json!({"active": false}))
        .await
        .assert(StatusCode::OK);
    let anonymous = app.anonymous();
    for token in [token_of(&replaced), token_of(&disabled)] {
        anonymous
            .post(
                &format!("/api/v1/invitations/{token}"),
                json!({"password": HERS}),
            )
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }

    // An invited account chooses her own password: the admin gives none.
    admin
        .post(
            "/api/v1/users",
            json!({"username": "fout", "role": "peer", "team_id": app.team,
                   "start": "invitation", "password": "een wachtwoord van de beheerder"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    app.clock.advance(TimeDelta::days(7));
    anonymous
        .post(
            &format!("/api/v1/invitations/{late}"),
            json!({"password": HERS}),
        )
        .await
        .assert_error(StatusCode::GONE, "invitation_expired");
}
