//! Every operation of the API document that reads a client's file leaves a complete audit
//! entry: walked from the document, so a new endpoint cannot be missed (the changes:
//! `audit_coverage.rs`).

use inbeeld::domain::role::Role;
use reqwest::StatusCode;

use crate::audit::trail;
use crate::audit_chain::verify;
use crate::helpers::spawn_app;

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
    // The file, contacts, assignments, handovers, time-outs, expenses, trail, exports,
    // status history.
    assert!(reads >= 10, "only {reads} client reads found");
    assert!(verify(&app).is_ok());
}
