//! Every operation of the API document that changes a client's file leaves a complete
//! audit entry: walked from the document, so a new endpoint cannot be missed (the reads:
//! `audit_reads.rs`).

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::audit::trail;
use crate::audit_chain::verify;
use crate::helpers::{TestApp, spawn_app};

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
    // A move to regular care and back, with her categories: status history in the same write.
    step!(
        "patch",
        "/api/v1/clients/{id}",
        c.clone(),
        Some(
            json!({"caseload_status": "regular_care", "addiction": "yes", "sheltered_housing": true})
        ),
        S::OK
    );
    step!(
        "patch",
        "/api/v1/clients/{id}",
        c.clone(),
        Some(json!({"caseload_status": "active", "known_at_huiskamer": true})),
        S::OK
    );
    let event = step!(
        "post",
        "/api/v1/clients/{id}/registration-events",
        format!("{c}/registration-events"),
        Some(json!({"kind": "applied", "on": "2026-11-20"})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "delete",
        "/api/v1/clients/{id}/registration-events/{event_id}",
        format!("{c}/registration-events/{event}"),
        None,
        S::NO_CONTENT
    );
    let assessment = step!(
        "post",
        "/api/v1/clients/{id}/assessments",
        format!("{c}/assessments"),
        Some(json!({"on": "2026-11-20", "scores": [{"domain": "housing", "score": 2}]})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "patch",
        "/api/v1/clients/{id}/assessments/{assessment_id}",
        format!("{c}/assessments/{assessment}"),
        Some(json!({"on": "2026-11-20", "scores": [{"domain": "housing", "score": 3}]})),
        S::OK
    );
    let goal = step!(
        "post",
        "/api/v1/clients/{id}/goals",
        format!("{c}/goals"),
        Some(json!({"text": "Een eigen kamer", "domains": ["housing"]})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "patch",
        "/api/v1/clients/{id}/goals/{goal_id}",
        format!("{c}/goals/{goal}"),
        Some(json!({"domains": ["housing", "finances"]})),
        S::OK
    );
    let action = step!(
        "post",
        "/api/v1/clients/{id}/goals/{goal_id}/actions",
        format!("{c}/goals/{goal}/actions"),
        Some(
            json!({"what": "Inschrijven", "owner_id": coordinator.user_id, "due_on": "2026-12-01"})
        ),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "patch",
        "/api/v1/clients/{id}/actions/{action_id}",
        format!("{c}/actions/{action}"),
        Some(json!({"what": "Inschrijven bij Talis", "due_on": "2026-12-08"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/actions/{action_id}/status",
        format!("{c}/actions/{action}/status"),
        Some(json!({"status": "done"})),
        S::OK
    );
    step!(
        "put",
        "/api/v1/clients/{id}/plan-review",
        format!("{c}/plan-review"),
        Some(json!({"review_on": "2027-01-15"})),
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
            json!({"to_user_id": successor, "from_user_id": casemanager, "overlap_until": "2026-11-30", "note": "Belt liever"})
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
    let stay = step!(
        "post",
        "/api/v1/clients/{id}/timeout-stays",
        format!("{c}/timeout-stays"),
        Some(json!({"starts_on": "2026-11-24", "ends_on": "2026-11-30"})),
        S::CREATED
    )["id"]
        .as_i64()
        .unwrap();
    step!(
        "patch",
        "/api/v1/clients/{id}/timeout-stays/{stay}",
        format!("{c}/timeout-stays/{stay}"),
        Some(json!({"ends_on": "2026-11-28"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/timeout-stays/{stay}/cancel",
        format!("{c}/timeout-stays/{stay}/cancel"),
        None,
        S::OK
    );
    let referral = step!(
        "post",
        "/api/v1/clients/{id}/referrals",
        format!("{c}/referrals"),
        Some(json!({"kind": "diagnostics", "requested_on": "2026-11-20"})),
        S::CREATED
    );
    step!(
        "patch",
        "/api/v1/clients/{id}/referrals/{referral}",
        format!("{c}/referrals/{}", referral["id"]),
        Some(json!({"started_on": "2026-11-23"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/clients/{id}/stagnations",
        format!("{c}/stagnations"),
        Some(json!({"kind": "housing", "reason": "Geen plek in de nachtopvang"})),
        S::CREATED
    );
    let meeting = coordinator
        .post(
            "/api/v1/case-meetings",
            json!({"starts_at": "2026-11-23T14:00", "location": "Kantoor"}),
        )
        .await
        .assert(S::CREATED)["id"]
        .as_i64()
        .unwrap();
    let m = format!("/api/v1/case-meetings/{meeting}");
    let item = step!(
        "put",
        "/api/v1/case-meetings/{id}/agenda",
        format!("{m}/agenda"),
        Some(json!({"items": [{"reason": "stagnation", "client_id": client}]})),
        S::OK
    )["items"][0]["id"]
        .as_i64()
        .unwrap();
    step!(
        "put",
        "/api/v1/case-meetings/{id}/items/{item_id}/summary",
        format!("{m}/items/{item}/summary"),
        Some(json!({"summary": "Besproken"})),
        S::OK
    );
    step!(
        "post",
        "/api/v1/case-meetings/{id}/items/{item_id}/decisions",
        format!("{m}/items/{item}/decisions"),
        Some(json!({"what": "Bellen", "owner_id": coordinator.user_id, "due_on": "2026-11-30"})),
        S::CREATED
    );
    step!(
        "get",
        "/api/v1/case-meetings/{id}/minutes",
        format!("{m}/minutes"),
        None,
        S::OK
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
        Some(json!({"exit_on": "2026-11-23", "reason": "moved_away"})),
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
        .post(&format!("{c}/close"), json!({"reason": "other"}))
        .await
        .assert(StatusCode::OK);
    step!(
        "post",
        "/api/v1/clients/import",
        "/api/v1/clients/import",
        Some(json!({"csv": format!("code;regio\n{code};Nijmegen\n")})),
        S::OK
    );
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
    // searches_too`), an import's preview (likewise, `client_import.rs`) and the sweep
    // (which audits each follow-up it raises: followups.rs).
    let doc = app.openapi_document().await;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let about_clients = [
            "/api/v1/clients",
            "/api/v1/contacts",
            "/api/v1/followups",
            "/api/v1/case-meetings/",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
            && ![
                "/api/v1/followups/sweep",
                "/api/v1/clients/search",
                "/api/v1/clients/import/preview",
            ]
            .contains(&path.as_str());
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
