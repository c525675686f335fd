//! The audit trail: every read and change of client data leaves an entry, refusals too,
//! and entries cannot be changed afterwards.

use chrono::TimeDelta;
use diesel::RunQueryDsl;
use futures::future::join_all;
use inbeeld::app::audit::chain::{self, Broken, Intact};
use inbeeld::db::DbError;
use inbeeld::db::queries::audit::{EntryRow, for_client};
use inbeeld::domain::role::Role;
use inbeeld::jobs::retention;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::process::inbeeld;

fn trail(app: &TestApp, client: i64) -> Vec<EntryRow> {
    app.db_read(|conn| for_client(conn, client))
}

/// Runs `statement` in a write of its own; `true` when the database refused it (an
/// error of the statement itself, not of the way to the database).
fn refused(app: &TestApp, statement: &'static str) -> bool {
    let outcome = app
        .state
        .db
        .write_blocking(move |conn| Ok::<_, DbError>(diesel::sql_query(statement).execute(conn)?));
    match outcome {
        Ok(_) => false,
        Err(DbError::Query(_)) => true,
        Err(err) => panic!("writing to the database: {err}"),
    }
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
    let before = app.count("audit_log");
    // Each in a write of its own: on PostgreSQL a refused statement ends its transaction.
    let update = refused(&app, "UPDATE audit_log SET outcome = 'forged'");
    let delete = refused(&app, "DELETE FROM audit_log");
    assert!(update, "UPDATE must be refused");
    assert!(delete, "DELETE must be refused");
    assert_eq!(app.count("audit_log"), before);
}

fn on_postgres(app: &TestApp) -> bool {
    app.state.settings.database_url.starts_with("postgres")
}

/// What a database administrator could do: switch off the triggers that guard the trail.
fn disarm_triggers(app: &TestApp) {
    let statements: &[&str] = if on_postgres(app) {
        &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
    } else {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    app.db_write(move |conn| {
        for statement in statements {
            diesel::sql_query(*statement).execute(conn)?;
        }
        Ok(())
    });
}

fn tamper(app: &TestApp, statement: &str) {
    let statement = statement.to_owned();
    assert_eq!(
        app.db_write(move |conn| diesel::sql_query(statement).execute(conn)),
        1
    );
}

fn verify(app: &TestApp) -> Result<Intact, Broken> {
    app.state.db.read_blocking(chain::verify).unwrap()
}

/// `inbeeld audit verify` on the test app's database: (succeeded, stdout + stderr).
fn verify_command(app: &TestApp) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = inbeeld(dir.path());
    command
        .env("INBEELD_DATA_DIR", &app.state.settings.data_dir)
        .env("INBEELD_DATABASE_URL", &app.state.settings.database_url)
        .args(["audit", "verify"]);
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn busy_trail(app: &TestApp) -> Vec<i64> {
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Grutto").await;
    let location = app.default_location();
    // Concurrent audited reads and writes: the chain must not fork (on PostgreSQL the
    // writers really run side by side).
    let path = format!("/api/v1/clients/{client}");
    let reads = (0..20).map(|_| cm.get(&path));
    let writes = (0..20).map(|_| cm.record_contact(location, client));
    let (reads, writes) = futures::join!(join_all(reads), join_all(writes));
    for reply in reads {
        reply.assert(StatusCode::OK);
    }
    for reply in writes {
        reply.assert(StatusCode::CREATED);
    }
    trail(app, client).iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn the_trail_is_a_hash_chain_that_tampering_breaks() {
    let app = spawn_app().await;
    let ids = busy_trail(&app).await;
    let intact = verify(&app).expect("an untouched trail verifies");
    assert_eq!(intact.entries, app.count("audit_log") as u64);
    assert_eq!(intact.unchained, 0);
    let (ok, printed) = verify_command(&app);
    assert!(ok, "{printed}");
    assert!(printed.contains(&intact.head), "{printed}");

    disarm_triggers(&app);
    let changed = ids[10];
    tamper(
        &app,
        &format!("UPDATE audit_log SET address = '10.1.2.3' WHERE id = {changed}"),
    );
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, Some(changed));
    assert!(broken.reason.contains("changed"), "{broken}");
    let (ok, printed) = verify_command(&app);
    assert!(!ok);
    assert!(printed.contains(&format!("entry {changed}")), "{printed}");
}

#[tokio::test]
async fn a_removed_entry_or_a_lost_end_is_found() {
    let app = spawn_app().await;
    let ids = busy_trail(&app).await;
    disarm_triggers(&app);
    let newest: i64 = ids[ids.len() - 1];
    let all = app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 1_000));
    assert_eq!(all.last().unwrap().id, newest);

    tamper(&app, &format!("DELETE FROM audit_log WHERE id = {newest}"));
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, None, "{broken}");

    let removed = ids[5];
    let next = all.iter().find(|e| e.id > removed).unwrap().id;
    tamper(&app, &format!("DELETE FROM audit_log WHERE id = {removed}"));
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, Some(next));
    assert!(broken.reason.contains("removed"), "{broken}");
}

#[tokio::test]
async fn entries_are_kept_five_years_and_then_pruned_with_the_chain_intact() {
    // The database's guard uses its own clock: the old entries are written six years back.
    let app = spawn_app().await;
    app.clock.advance(-TimeDelta::days(6 * 366));
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tapuit").await;
    app.clock.advance(TimeDelta::days(6 * 366));
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    let before = app.count("audit_log");

    // A young entry cannot be deleted, not even by hand.
    {
        let young = "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)";
        assert!(refused(&app, young));
    }

    let (pruned, head) = retention::prune_audit_trail(&app.state).await.unwrap();
    // The casemanager's sign-in and the client's creation, six years back.
    assert_eq!(pruned, 2);
    assert_eq!(app.count("audit_log"), before - 2 + 1);
    let intact = verify(&app).expect("the chain holds after pruning");
    assert_eq!(intact.head, head);
    let kept = trail(&app, client);
    assert_eq!(events(&kept), owned(&[("client.read", "R", "success")]));

    // Nothing more to prune: the trail is as it was.
    assert_eq!(retention::prune_audit_trail(&app.state).await.unwrap().0, 0);
    assert!(verify(&app).is_ok());
}

#[tokio::test]
async fn a_longer_retention_keeps_more() {
    let app = spawn_app_with(|s| s.audit_retention_years = 10).await;
    app.clock.advance(-TimeDelta::days(6 * 366));
    let cm = app.login_as(Role::Casemanager).await;
    cm.create_client("Kwak").await;
    app.clock.advance(TimeDelta::days(6 * 366));
    let before = app.count("audit_log");
    assert_eq!(retention::prune_audit_trail(&app.state).await.unwrap().0, 0);
    assert_eq!(app.count("audit_log"), before);
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
    assert!(
        entries
            .iter()
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
    let doc = app
        .anonymous()
        .get("/api/v1/openapi.json")
        .await
        .assert(StatusCode::OK);
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
    let doc = app
        .anonymous()
        .get("/api/v1/openapi.json")
        .await
        .assert(StatusCode::OK);
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
