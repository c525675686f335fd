//! The audit trail: every read and change of client data leaves an entry, refusals and
//! sign-ins too. That entries cannot be changed afterwards: `audit_chain`.

use inbeeld::db::queries::audit::{EntryRow, for_client};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::audit_chain::verify;
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

#[tokio::test]
async fn every_read_of_a_client_leaves_a_complete_entry() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Kramsvogel").await;
    let doc = app.openapi_document().await;
    let mut reads = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/clients/{id}")
            || path.contains("}/") && path.matches('{').count() > 1
        {
            continue;
        }
        if operations.get("get").is_none() {
            continue;
        }
        let before = trail(&app, client).len();
        coordinator
            .get(&path.replace("{id}", &client.to_string()))
            .await
            .assert(StatusCode::OK);
        let entries = trail(&app, client);
        let added = &entries[before..];
        assert!(!added.is_empty(), "GET {path} left no audit entry");
        for entry in added {
            assert!(
                matches!(entry.action.as_str(), "R" | "E"),
                "GET {path}: action {}",
                entry.action
            );
            assert_eq!(entry.user_id, Some(coordinator.user_id), "GET {path}");
            assert_eq!(entry.role.as_deref(), Some("coordinator"), "GET {path}");
            assert!(entry.session_id.is_some(), "GET {path}");
            assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "GET {path}");
            assert_eq!(entry.outcome, "success", "GET {path}");
            assert_eq!(entry.source, "inbeeld", "GET {path}");
            assert!(
                entry.hash.is_some() && entry.prev_hash.is_some(),
                "GET {path}"
            );
        }
        reads += 1;
    }
    // The file, contacts, assignments, handovers, time-outs, expenses, trail, exports.
    assert!(reads >= 9, "only {reads} client reads found");
    assert!(verify(&app).is_ok());
}

/// Asserts that what happened since `before` left complete entries about `client` by `who`.
#[track_caller]
fn assert_logged(
    app: &TestApp,
    client: i64,
    before: usize,
    operation: &str,
    who: &crate::helpers::Session,
) -> usize {
    let entries = trail(app, client);
    let added = &entries[before..];
    assert!(!added.is_empty(), "{operation} left no audit entry");
    for entry in added {
        assert!(
            matches!(entry.action.as_str(), "C" | "R" | "U" | "D" | "E"),
            "{operation}: action {}",
            entry.action
        );
        assert_eq!(entry.user_id, Some(who.user_id), "{operation}");
        assert!(entry.role.is_some(), "{operation}");
        assert!(entry.session_id.is_some(), "{operation}");
        assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "{operation}");
        assert_eq!(entry.outcome, "success", "{operation}");
        assert_eq!(entry.source, "inbeeld", "{operation}");
        assert_eq!(entry.occurred_at, app.clock.now(), "{operation}");
        assert!(
            entry.hash.is_some() && entry.prev_hash.is_some(),
            "{operation}"
        );
    }
    entries.len()
}

#[tokio::test]
async fn every_change_of_a_client_leaves_a_complete_entry() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let (casemanager, _) = app.create_user(Role::Casemanager, None);
    let (successor, _) = app.create_user(Role::Casemanager, None);
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Grutto", "region": "nijmegen"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    let code = created["code"].as_str().unwrap().to_owned();
    let mut covered: Vec<(&str, &str)> = vec![("post", "/api/v1/clients")];
    let mut seen = assert_logged(&app, client, 0, "POST /clients", &coordinator);

    let c = format!("/api/v1/clients/{client}");
    let location = app.default_location();
    macro_rules! step {
        ($method:literal, $template:literal, $path:expr, $body:expr, $status:expr) => {{
            let reply = coordinator
                .send(
                    reqwest::Method::from_bytes($method.to_uppercase().as_bytes()).unwrap(),
                    &$path,
                    $body,
                    &[],
                )
                .await
                .assert($status);
            let operation = concat!($method, " ", $template);
            seen = assert_logged(&app, client, seen, operation, &coordinator);
            covered.push(($method, $template));
            reply
        }};
    }
    use StatusCode as S;
    step!(
        "patch",
        "/api/v1/clients/{id}",
        c.clone(),
        Some(json!({"region": "outside"})),
        S::OK
    );
    let assignment = step!(
        "post",
        "/api/v1/clients/{id}/casemanagers",
        format!("{c}/casemanagers"),
        Some(json!({"user_id": casemanager, "from_on": "2026-11-01"})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "post",
        "/api/v1/clients/{id}/handover",
        format!("{c}/handover"),
        Some(
            json!({"to_user_id": successor, "overlap_until": "2026-11-30", "note": "Belt liever"})
        ),
        S::CREATED
    );
    step!(
        "patch",
        "/api/v1/clients/{id}/casemanagers/{assignment_id}",
        format!("{c}/casemanagers/{assignment}"),
        Some(json!({"until_on": "2026-11-30"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/flex-expenses",
        format!("{c}/flex-expenses"),
        Some(json!({"amount_cents": 1250, "category": "clothing", "description": "Regenjas"})),
        S::CREATED
    );
    step!(
        "post",
        "/api/v1/clients/{id}/timeout-stays",
        format!("{c}/timeout-stays"),
        Some(json!({"starts_on": "2026-11-24", "ends_on": "2026-11-30"})),
        S::CREATED
    );
    let contact = step!(
        "post",
        "/api/v1/contacts",
        "/api/v1/contacts",
        Some(json!({"client_id": client, "location_id": location})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "patch",
        "/api/v1/contacts/{id}",
        format!("/api/v1/contacts/{contact}"),
        Some(json!({"note": "later bijgewerkt"})),
        S::OK
    );
    step!(
        "delete",
        "/api/v1/contacts/{id}",
        format!("/api/v1/contacts/{contact}"),
        None,
        S::NO_CONTENT
    );
    let followup = step!(
        "post",
        "/api/v1/followups",
        "/api/v1/followups",
        Some(json!({"client_id": client, "due_at": "2026-11-25T10:00", "note": "bellen"})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    let f = format!("/api/v1/followups/{followup}");
    step!(
        "post",
        "/api/v1/followups/{id}/acknowledge",
        format!("{f}/acknowledge"),
        Some(json!({})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/followups/{id}/snooze",
        format!("{f}/snooze"),
        Some(json!({"until": "2026-12-10T09:00", "reason": "later"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/followups/{id}/escalate",
        format!("{f}/escalate"),
        Some(json!({"reason": "Geen woonplek"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/followups/{id}/close",
        format!("{f}/close"),
        Some(json!({"outcome": "gebeld"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/close",
        format!("{c}/close"),
        Some(json!({"exit_on": "2026-11-23"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/reopen",
        format!("{c}/reopen"),
        Some(json!({})),
        S::OK
    );
    coordinator
        .post(&format!("{c}/close"), json!({}))
        .await
        .assert(StatusCode::OK);
    step!(
        "post",
        "/api/v1/clients/{id}/erase",
        format!("{c}/erase"),
        Some(json!({"confirm_code": code})),
        S::OK
    );
    assert!(
        seen > covered.len(),
        "{seen} entries for {} operations",
        covered.len()
    );

    // Every write on a client's file in the API is among the steps above. Not about one
    // client: a search (one entry without a client id, `refused_access_is_logged_and_
    // searches_too`) and the sweep (which audits each follow-up it raises: followups.rs).
    let doc = app.openapi_document().await;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let about_clients = ["/api/v1/clients", "/api/v1/contacts", "/api/v1/followups"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
            && !["/api/v1/followups/sweep", "/api/v1/clients/search"].contains(&path.as_str());
        for method in operations.as_object().unwrap().keys() {
            if about_clients && method != "get" {
                assert!(
                    covered.contains(&(method.as_str(), path.as_str())),
                    "{method} {path} is not walked by this test"
                );
            }
        }
    }
    assert!(verify(&app).is_ok());
}
