//! Changing her plan after the fact: an action's what, owner and due date (its follow-up
//! goes to the new owner, or closes when the day moves and opens again once the new day
//! has passed), a goal reached or dropped, each sent again from the outbox with its key
//! counting once, and who may change what.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Reply, Session, spawn_app};
use crate::plan_followups::{advance_to, notices, of_kind};
use crate::plan_goals::{add_action, add_goal, goals_path, partner};

fn action_path(client: i64, action: &Value) -> String {
    format!("/api/v1/clients/{client}/actions/{}", action["id"])
}

/// Sends a change as the phone's outbox does, with the item's key.
async fn patch_keyed(session: &Session, path: &str, body: Value, key: &str) -> Reply {
    session
        .send(
            reqwest::Method::PATCH,
            path,
            Some(body),
            &[("Idempotency-Key", key)],
        )
        .await
}

#[tokio::test]
async fn an_action_is_changed_and_its_follow_up_follows_the_owner_and_the_day() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Grasmus").await;
    let (cm, client) = (&team.casemanager, team.client);
    let colleague = app.login_as(Role::Casemanager).await;
    let goal = add_goal(
        cm,
        client,
        json!({"text": "Een eigen kamer", "domains": ["housing"]}),
    )
    .await;
    let action = add_action(
        cm,
        client,
        &goal,
        json!({"what": "Bellen met Talis", "owner_id": cm.user_id, "due_on": "2026-11-24"}),
    )
    .await;
    let path = action_path(client, &action);

    advance_to(&app, "2026-11-24T23:00:00");
    assert_eq!(sweep(&app).await.plan_actions_overdue, 1);
    let opened = of_kind(cm, "plan_action").await;
    assert_eq!(opened[0]["owner_id"], cm.user_id);

    // Another owner: the open follow-up is hers now, not a second one.
    let moved = cm
        .patch(&path, json!({"owner_id": colleague.user_id}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(moved["owner_id"], colleague.user_id);
    assert_eq!(moved["what"], "Bellen met Talis", "left out, kept");
    assert_eq!(moved["overdue"], true);
    let followup = format!("/api/v1/followups/{}", opened[0]["id"]);
    let reassigned = cm.get(&followup).await.assert(StatusCode::OK);
    assert_eq!(reassigned["owner_id"], colleague.user_id);
    assert_eq!(reassigned["status"], "open");
    sweep(&app).await;
    assert_eq!(
        notices(&app, "plan_action", colleague.user_id),
        1,
        "she is told"
    );
    assert_eq!(app.count("followups WHERE kind = 'plan_action'"), 1);

    // A later day: the follow-up closes, and the new day raises one once it has passed.
    let later = colleague
        .patch(
            &path,
            json!({"what": "Langs bij Talis", "due_on": "2026-12-01"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (&later["what"], &later["due_on"], &later["overdue"]),
        (
            &json!("Langs bij Talis"),
            &json!("2026-12-01"),
            &json!(false)
        )
    );
    let closed = cm.get(&followup).await.assert(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    let last = closed["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["event"], "closed_action_rescheduled");
    assert_eq!(sweep(&app).await.plan_actions_overdue, 0);
    advance_to(&app, "2026-12-01T22:59:59");
    assert_eq!(sweep(&app).await.plan_actions_overdue, 0);
    advance_to(&app, "2026-12-01T23:00:00");
    assert_eq!(
        sweep(&app).await.plan_actions_overdue,
        1,
        "past the new day"
    );
    assert_eq!(sweep(&app).await.plan_actions_overdue, 0, "once");
    let raised = of_kind(cm, "plan_action").await;
    let again = raised.iter().find(|f| f["status"] == "open").unwrap();
    assert_eq!(again["owner_id"], colleague.user_id);
    assert_eq!(again["due_at"], "2026-12-02T00:00:00+01:00");
    assert_eq!(notices(&app, "plan_action", colleague.user_id), 2);

    // To a partner, with its contact person: the follow-up goes to her casemanagers.
    let domus = json!(partner(cm, "Domus").await);
    let theirs = cm
        .patch(
            &path,
            json!({"partner_id": domus, "partner_contact": "Anouk"}),
        )
        .await
        .assert(StatusCode::OK);
    assert!(theirs["owner_id"].is_null());
    assert_eq!(
        (&theirs["partner_id"], &theirs["partner_contact"]),
        (&domus, &json!("Anouk"))
    );
    let for_team = cm
        .get(&format!("/api/v1/followups/{}", again["id"]))
        .await
        .assert(StatusCode::OK);
    assert!(for_team["owner_id"].is_null());
    let events: Vec<String> = trail(&app, client)
        .into_iter()
        .filter(|e| e.event == "client.action.update")
        .map(|e| e.action)
        .collect();
    assert_eq!(events, ["U", "U", "U"]);
}

#[tokio::test]
async fn an_action_change_that_breaks_a_rule_is_refused_with_its_code() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kneu").await;
    let goal = add_goal(
        &cm,
        client,
        json!({"text": "Werk", "domains": ["work_education"]}),
    )
    .await;
    let action = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Cv maken", "owner_id": cm.user_id, "due_on": "2026-12-01"}),
    )
    .await;
    let path = action_path(client, &action);
    let domus = json!(partner(&cm, "Domus").await);
    let elsewhere = app.create_team("Stapteam Arnhem");
    let stranger = app.login_in_team(Role::Casemanager, Some(elsewhere)).await;
    for (body, code) in [
        (json!({"what": "  "}), "validation_failed"),
        (json!({"what": "x".repeat(201)}), "validation_failed"),
        (json!({"due_on": "1999-12-01"}), "validation_failed"),
        (json!({"partner_id": domus}), "partner_contact_required"),
        (
            json!({"owner_id": cm.user_id, "partner_id": domus, "partner_contact": "Anouk"}),
            "one_owner",
        ),
        (json!({"partner_contact": "Anouk"}), "one_owner"),
        (json!({"owner_id": stranger.user_id}), "owner_not_in_team"),
        (
            json!({"partner_id": 999_999, "partner_contact": "Anouk"}),
            "unknown_partner",
        ),
    ] {
        cm.patch(&path, body.clone())
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    cm.patch(&path, json!({"due_on": "morgen"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let unchanged =
        cm.get(&goals_path(client)).await.assert(StatusCode::OK)[0]["actions"][0].clone();
    assert_eq!(
        (
            &unchanged["what"],
            &unchanged["due_on"],
            &unchanged["owner_id"]
        ),
        (&json!("Cv maken"), &json!("2026-12-01"), &json!(cm.user_id))
    );
}

#[tokio::test]
async fn a_goal_reached_and_an_action_changed_sent_again_with_their_key_count_once() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Appelvink").await;
    let goal = add_goal(
        &cm,
        client,
        json!({"text": "Schulden op een rij", "domains": ["finances"]}),
    )
    .await;
    let action = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Budgetcoach bellen", "owner_id": cm.user_id, "due_on": "2026-12-01"}),
    )
    .await;
    let goal_path = format!("{}/{}", goals_path(client), goal["id"]);
    let reached = patch_keyed(
        &cm,
        &goal_path,
        json!({"status": "reached"}),
        "goal-status-1",
    )
    .await;
    assert!(reached.headers.get("idempotent-replayed").is_none());
    let reached = reached.assert(StatusCode::OK);
    assert_eq!(
        (&reached["status"], &reached["status_on"]),
        (&json!("reached"), &json!("2026-11-23"))
    );
    let again = patch_keyed(
        &cm,
        &goal_path,
        json!({"status": "reached"}),
        "goal-status-1",
    )
    .await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.assert(StatusCode::OK)["status"], "reached");
    patch_keyed(
        &cm,
        &goal_path,
        json!({"status": "dropped"}),
        "goal-status-1",
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");

    let path = action_path(client, &action);
    let body = json!({"due_on": "2026-12-08"});
    let changed = patch_keyed(&cm, &path, body.clone(), "action-change-1")
        .await
        .assert(StatusCode::OK);
    assert_eq!(changed["due_on"], "2026-12-08");
    let replayed = patch_keyed(&cm, &path, body, "action-change-1").await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    // A key used for the goal's status is not a key for an action's change.
    patch_keyed(&cm, &path, json!({"what": "Anders"}), "goal-status-1")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    let changes = trail(&app, client)
        .iter()
        .filter(|e| e.event == "client.goal.update" || e.event == "client.action.update")
        .count();
    assert_eq!(changes, 2, "a replay is no second change");
}

#[tokio::test]
async fn only_her_team_s_casemanagers_and_coordinator_change_an_action() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Goudvink").await;
    let goal = add_goal(
        &cm,
        client,
        json!({"text": "Rust", "domains": ["mental_health"]}),
    )
    .await;
    let action = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Huisarts bellen", "owner_id": cm.user_id, "due_on": "2026-12-01"}),
    )
    .await;
    let path = action_path(client, &action);
    let change = json!({"what": "Anders"});
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .patch(&path, change.clone())
        .await
        .assert(StatusCode::OK);
    for role in [
        Role::Peer,
        Role::Admin,
        Role::Municipality,
        Role::ProcessDirector,
    ] {
        let refused = app.login_as(role).await.patch(&path, change.clone()).await;
        assert!(
            matches!(
                refused.status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ),
            "{role:?}: {}",
            refused.status
        );
    }
    let elsewhere = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager] {
        app.login_in_team(role, Some(elsewhere))
            .await
            .patch(&path, change.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    // An action of another of the team's clients is not hers.
    let other = cm.create_client("Sijs").await;
    cm.patch(&action_path(other, &action), change)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
