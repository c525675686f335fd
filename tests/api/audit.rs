//! The audit trail: every read and change of client data leaves an entry, refusals too,
//! and entries cannot be changed afterwards.

use diesel::RunQueryDsl;
use inbeeld::db::queries::audit::{EntryRow, for_client};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

fn trail(app: &TestApp, client: i64) -> Vec<EntryRow> {
    let mut conn = app.state.db.conn().unwrap();
    for_client(&mut conn, client).unwrap()
}

fn events(entries: &[EntryRow]) -> Vec<(String, String, String)> {
    entries
        .iter()
        .map(|e| (e.event.clone(), e.action.clone(), e.outcome.clone()))
        .collect()
}

fn owned(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
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
async fn audit_entries_cannot_be_changed_or_deleted() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.create_client("Boomklever").await;
    let mut conn = app.state.db.conn().unwrap();
    let update = diesel::sql_query("UPDATE audit_log SET outcome = 'forged'").execute(&mut conn);
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut conn);
    assert!(update.is_err(), "UPDATE must be refused");
    assert!(delete.is_err(), "DELETE must be refused");
    drop(conn);
    assert_eq!(app.count("audit_log"), 1);
}
