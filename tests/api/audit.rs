//! The audit trail: every read and change of client data leaves an entry, refusals and
//! sign-ins too. That entries cannot be changed afterwards: `audit_chain`.

use inbeeld::db::queries::audit::{EntryRow, for_client};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

pub(crate) fn trail(app: &TestApp, client: i64) -> Vec<EntryRow> {
    app.db_read(|conn| for_client(conn, client))
}

pub(crate) fn events(entries: &[EntryRow]) -> Vec<(String, String, String)> {
    entries
        .iter()
        .map(|e| (e.event.clone(), e.action.clone(), e.outcome.clone()))
        .collect()
}

pub(crate) fn owned(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[tokio::test]
async fn reads_and_changes_of_a_client_are_logged_with_who_when_and_where() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tureluur").await;
    cm.get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    cm.patch(
        &format!("/api/v1/clients/{client}"),
        json!({"region": "outside"}),
    )
    .await
    .assert(StatusCode::OK);
    cm.post(
        "/api/v1/contacts",
        json!({"client_id": client, "location_id": app.default_location(), "note": "vertrouwelijke notitie"}),
    )
    .await
    .assert(StatusCode::CREATED);
    cm.get(&format!("/api/v1/clients/{client}/contacts"))
        .await
        .assert(StatusCode::OK);

    let entries = trail(&app, client);
    assert_eq!(
        events(&entries),
        owned(&[
            ("client.create", "C", "success"),
            ("client.read", "R", "success"),
            ("client.update", "U", "success"),
            ("contact.create", "C", "success"),
            ("client.contacts.read", "R", "success"),
        ])
    );
    for entry in &entries {
        assert_eq!(entry.user_id, Some(cm.user_id));
        assert_eq!(entry.role.as_deref(), Some("casemanager"));
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"));
        assert!(entry.session_id.is_some());
        assert_eq!(entry.source, "inbeeld");
        assert_eq!(entry.occurred_at, app.clock.now());
    }
}

#[tokio::test]
async fn refused_access_is_logged_and_searches_too() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Sijs").await;
    let outsider = app
        .login_in_team(Role::Casemanager, Some(app.create_team("Stapteam Arnhem")))
        .await;
    outsider
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::NOT_FOUND);
    let municipality = app.login_as(Role::Municipality).await;
    municipality
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::FORBIDDEN);

    let entries = trail(&app, client);
    let denied: Vec<_> = entries.iter().filter(|e| e.outcome == "denied").collect();
    assert_eq!(denied.len(), 2);
    assert_eq!(denied[0].user_id, Some(outsider.user_id));
    assert_eq!(denied[1].role.as_deref(), Some("municipality"));

    let before = app.count("audit_log");
    cm.post("/api/v1/clients/search", json!({"q": "si"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(app.count("audit_log"), before + 1);
}

#[tokio::test]
async fn the_coordinator_reads_a_clients_trail_and_that_is_logged_too() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Goudhaan").await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let shown = coordinator
        .get(&format!("/api/v1/clients/{client}/audit"))
        .await
        .assert(StatusCode::OK);
    let shown = shown.as_array().unwrap();
    assert_eq!(shown[0]["event"], "client.create");
    assert_eq!(shown[0]["display_name"], cm.username);
    assert_eq!(shown[0]["at"], "2026-11-23T20:30:00+01:00");
    assert_eq!(shown.last().unwrap()["event"], "client.audit.read");
    assert!(!shown.iter().any(|e| e.to_string().contains("Goudhaan")));
}

#[tokio::test]
async fn sign_ins_failed_sign_ins_and_sign_outs_are_logged() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let wrong = app
        .anonymous()
        .post(
            "/api/v1/session",
            json!({"username": cm.username, "password": "not the password at all"}),
        )
        .await;
    wrong.assert_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    cm.delete("/api/v1/session")
        .await
        .assert(StatusCode::NO_CONTENT);

    let entries = app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 100));
    let sessions: Vec<_> = entries
        .iter()
        .filter(|e| e.event.starts_with("session."))
        .map(|e| (e.event.as_str(), e.outcome.as_str(), e.user_id))
        .collect();
    assert_eq!(
        sessions,
        [
            ("session.sign_in", "success", Some(cm.user_id)),
            ("session.sign_in", "failed", Some(cm.user_id)),
            ("session.sign_out", "success", Some(cm.user_id)),
        ]
    );
    assert!(entries.iter().all(|e| e.client_id.is_none()));
    // Her account was made on the command line (the test's set-up), which has no address.
    assert!(
        entries
            .iter()
            .filter(|e| e.event != "account.create")
            .all(|e| e.address.as_deref() == Some("127.0.0.1"))
    );
}

#[tokio::test]
async fn every_refused_request_is_logged_once() {
    let app = spawn_app().await;
    let peer = app.login_as(Role::Peer).await;
    // A role check outside client data: the accounts list is the admin's.
    peer.get("/api/v1/users")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Roodborst").await;
    // A refusal about a client is logged with her id, by the handler, and not again.
    let municipality = app.login_as(Role::Municipality).await;
    municipality
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::FORBIDDEN);

    let denied: Vec<(String, Option<i64>, Option<i64>)> = app
        .db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 100))
        .into_iter()
        .filter(|e| e.outcome == "denied")
        .map(|e| (e.event, e.user_id, e.client_id))
        .collect();
    assert_eq!(
        denied,
        [
            ("request.refused".to_owned(), Some(peer.user_id), None),
            (
                "client.read".to_owned(),
                Some(municipality.user_id),
                Some(client)
            ),
        ]
    );
}
