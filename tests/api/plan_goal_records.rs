//! Her goals and actions as records: sent again from the phone's outbox with their key
//! they count once, they (and a review day set by hand) are in her export (JSON and CSV),
//! and gone with her erasure.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::erasure::still_stored;
use crate::helpers::{Reply, Session, spawn_app};
use crate::plan_goals::{add_action, add_goal, goals_path, status_path};

/// Sends a write as the phone's outbox does, with the item's key.
async fn send(session: &Session, path: &str, body: Value, key: &str) -> Reply {
    session
        .send(
            reqwest::Method::POST,
            path,
            Some(body),
            &[("Idempotency-Key", key)],
        )
        .await
}

#[tokio::test]
async fn goals_actions_and_status_changes_sent_again_with_their_key_count_once() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Boerenzwaluw").await;
    let body = json!({"text": "Papieren op orde", "domains": ["finances"]});
    let path = goals_path(client);
    let first = send(&cm, &path, body.clone(), "goal-1").await;
    assert!(first.headers.get("idempotent-replayed").is_none());
    let first = first.assert(StatusCode::CREATED);
    let again = send(&cm, &path, body.clone(), "goal-1").await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.assert(StatusCode::CREATED)["id"], first["id"]);
    send(
        &cm,
        &path,
        json!({"text": "Anders", "domains": ["finances"]}),
        "goal-1",
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(app.count("plan_goals"), 1);

    let actions = format!("{path}/{}/actions", first["id"]);
    let action =
        json!({"what": "ID-kaart aanvragen", "owner_id": cm.user_id, "due_on": "2026-12-01"});
    let made = send(&cm, &actions, action.clone(), "action-1")
        .await
        .assert(StatusCode::CREATED);
    let replayed = send(&cm, &actions, action.clone(), "action-1").await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    assert_eq!(replayed.assert(StatusCode::CREATED)["id"], made["id"]);
    // A key used for a goal is not a key for an action.
    send(&cm, &actions, action, "goal-1")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(app.count("plan_actions"), 1);

    let status = status_path(client, &made);
    let done = send(&cm, &status, json!({"status": "done"}), "status-1")
        .await
        .assert(StatusCode::OK);
    assert_eq!(done["status"], "done");
    let replayed = send(&cm, &status, json!({"status": "done"}), "status-1").await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    send(&cm, &status, json!({"status": "dropped"}), "status-1")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    let changes = trail(&app, client)
        .iter()
        .filter(|e| e.event.starts_with("client.goal.") || e.event.starts_with("client.action."))
        .count();
    assert_eq!(changes, 3, "a replay is no second change");
}

#[tokio::test]
async fn her_goals_are_in_her_export_and_gone_with_her_erasure() {
    const GOAL: &str = "Ik wil mijn dochter weer zien";
    const ACTION: &str = "Bemiddeling via Veilig Thuis aanvragen";
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Kauw").await;
    let goal = add_goal(
        &coordinator,
        client,
        json!({"text": GOAL, "domains": ["domestic_relations", "social_network"]}),
    )
    .await;
    add_action(
        &coordinator,
        client,
        &goal,
        json!({"what": ACTION, "owner_id": coordinator.user_id, "due_on": "2026-12-10"}),
    )
    .await;
    let export = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    let exported = &export["goals"][0];
    assert_eq!(exported["text"], GOAL);
    assert_eq!(
        exported["domains"],
        json!(["domestic_relations", "social_network"])
    );
    assert_eq!(exported["actions"][0]["what"], ACTION);
    assert_eq!(exported["actions"][0]["due_on"], "2026-12-10");
    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    let text = csv.body.as_str().unwrap();
    assert!(text.contains(&format!(";text;{GOAL}\r\n")), "{text}");
    assert!(text.contains("\r\ngoals.actions;"), "{text}");
    assert!(text.contains(&format!(";what;{ACTION}\r\n")), "{text}");
    assert!(
        text.contains(";domains;domestic_relations, social_network\r\n"),
        "{text}"
    );

    assert_eq!(still_stored(&app, &[GOAL, ACTION]), [GOAL, ACTION]);
    coordinator
        .put(
            &format!("/api/v1/clients/{client}/plan-review"),
            json!({"review_on": "2027-01-05"}),
        )
        .await
        .assert(StatusCode::OK);
    let export = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(export["plan_review"]["review_on"], "2027-01-05");
    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    let text = csv.body.as_str().unwrap();
    assert!(
        text.contains("\r\nplan_review;;review_on;2027-01-05\r\n"),
        "{text}"
    );
    let code = coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK)["code"]
        .clone();
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "moved_away"}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/erase"),
            json!({"confirm_code": code}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(app.count("plan_goals"), 0);
    assert_eq!(app.count("plan_actions"), 0);
    assert_eq!(app.count("plan_reviews"), 0);
    assert_eq!(still_stored(&app, &[GOAL, ACTION]), Vec::<String>::new());
}
