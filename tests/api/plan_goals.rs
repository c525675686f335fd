//! Her goals and the actions under them: setting and changing them, every rule with its
//! code, and who may see what (peers see goals and open actions; scores only when the
//! coordinator allows it). The outbox's retries, her export and her erasure are in
//! `plan_goal_records`.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::helpers::{Session, spawn_app};

pub(crate) fn goals_path(client: i64) -> String {
    format!("/api/v1/clients/{client}/goals")
}

pub(crate) async fn add_goal(session: &Session, client: i64, body: Value) -> Value {
    session
        .post(&goals_path(client), body)
        .await
        .assert(StatusCode::CREATED)
}

pub(crate) async fn add_action(session: &Session, client: i64, goal: &Value, body: Value) -> Value {
    session
        .post(
            &format!("{}/{}/actions", goals_path(client), goal["id"]),
            body,
        )
        .await
        .assert(StatusCode::CREATED)
}

pub(crate) fn status_path(client: i64, action: &Value) -> String {
    format!("/api/v1/clients/{client}/actions/{}/status", action["id"])
}

pub(crate) async fn partner(who: &Session, name: &str) -> i64 {
    let partners = who.get("/api/v1/partners").await.assert(StatusCode::OK);
    partners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn her_goals_carry_actions_with_an_owner_a_due_date_and_a_status() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Merel").await;
    let goal = add_goal(
        &cm,
        client,
        json!({"text": "Ik wil een eigen kamer", "domains": ["housing", "finances", "housing"]}),
    )
    .await;
    assert_eq!(goal["text"], "Ik wil een eigen kamer");
    assert_eq!(goal["domains"], json!(["finances", "housing"]));
    assert_eq!(goal["status"], "open");
    assert_eq!(goal["set_on"], "2026-11-23");
    assert_eq!(goal["actions"], json!([]));

    let mine = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Inschrijven bij de woningcorporatie", "owner_id": cm.user_id, "due_on": "2026-11-20"}),
    )
    .await;
    assert_eq!(mine["owner_id"], cm.user_id);
    assert!(mine["owner_name"].is_string());
    assert_eq!(mine["overdue"], true, "due last Friday, still open");
    let domus = partner(&cm, "Domus").await;
    let theirs = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Intakegesprek", "partner_id": domus, "partner_contact": "Anouk de Vries", "due_on": "2026-12-15"}),
    )
    .await;
    assert_eq!(
        (&theirs["partner_name"], &theirs["partner_contact"]),
        (&json!("Domus"), &json!("Anouk de Vries"))
    );
    assert_eq!(theirs["overdue"], false);

    let done = cm
        .post(&status_path(client, &mine), json!({"status": "done"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (&done["status"], &done["status_on"], &done["overdue"]),
        (&json!("done"), &json!("2026-11-23"), &json!(false))
    );
    let reached = cm
        .patch(
            &format!("{}/{}", goals_path(client), goal["id"]),
            json!({"status": "reached", "text": "Een eigen kamer, in Nijmegen"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(reached["status"], "reached");
    assert_eq!(reached["status_on"], "2026-11-23");
    assert_eq!(reached["domains"], json!(["finances", "housing"]));
    assert_eq!(reached["actions"].as_array().unwrap().len(), 2);

    let listed = cm.get(&goals_path(client)).await.assert(StatusCode::OK);
    assert_eq!(listed[0]["text"], "Een eigen kamer, in Nijmegen");
    assert_eq!(listed[0]["actions"][0]["id"], mine["id"], "by due date");
    let events: Vec<(String, String)> = trail(&app, client)
        .into_iter()
        .map(|e| (e.event, e.action))
        .collect();
    for (event, action) in [
        ("client.goal.create", "C"),
        ("client.action.create", "C"),
        ("client.action.update", "U"),
        ("client.goal.update", "U"),
        ("client.plan.read", "R"),
    ] {
        assert!(
            events.contains(&(event.to_owned(), action.to_owned())),
            "{event} in {events:?}"
        );
    }
}

#[tokio::test]
async fn a_goal_or_action_that_breaks_a_rule_is_refused_with_its_code() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Spreeuw").await;
    let path = goals_path(client);
    for (body, code) in [
        (json!({"text": "Werk", "domains": []}), "no_domain"),
        (
            json!({"text": "Werk", "domains": ["werk"]}),
            "unknown_domain",
        ),
        (
            json!({"text": " ", "domains": ["housing"]}),
            "validation_failed",
        ),
        (
            json!({"text": "Werk", "domains": ["housing"], "set_on": "2026-11-24"}),
            "date_in_future",
        ),
    ] {
        cm.post(&path, body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    assert_eq!(app.count("plan_goals"), 0);

    let goal = add_goal(
        &cm,
        client,
        json!({"text": "Werk", "domains": ["work_education"]}),
    )
    .await;
    let actions = format!("{path}/{}/actions", goal["id"]);
    let peer = app.create_user(Role::Peer, None).0;
    let other_team = app.create_team("Stapteam Arnhem");
    let stranger = app.create_user(Role::Casemanager, Some(other_team)).0;
    let domus = partner(&cm, "Domus").await;
    let due = "2026-12-01";
    for (body, code) in [
        (json!({"what": "Bellen", "due_on": due}), "one_owner"),
        (
            json!({"what": "Bellen", "owner_id": cm.user_id, "partner_id": domus, "partner_contact": "Anouk", "due_on": due}),
            "one_owner",
        ),
        (
            json!({"what": "Bellen", "partner_id": domus, "due_on": due}),
            "partner_contact_required",
        ),
        (
            json!({"what": "Bellen", "partner_id": 999_999, "partner_contact": "Anouk", "due_on": due}),
            "unknown_partner",
        ),
        (
            json!({"what": "Bellen", "owner_id": peer, "due_on": due}),
            "owner_not_in_team",
        ),
        (
            json!({"what": "Bellen", "owner_id": stranger, "due_on": due}),
            "owner_not_in_team",
        ),
    ] {
        cm.post(&actions, body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    cm.post(
        &format!("{path}/999999/actions"),
        json!({"what": "Bellen", "owner_id": cm.user_id, "due_on": due}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    let action = add_action(
        &cm,
        client,
        &goal,
        json!({"what": "Bellen", "owner_id": cm.user_id, "due_on": due}),
    )
    .await;
    cm.post(&status_path(client, &action), json!({"status": "klaar"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.patch(
        &format!("{path}/{}", goal["id"]),
        json!({"status": "gehaald"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.count("plan_actions"), 1);
}

#[tokio::test]
async fn peers_see_goals_and_open_actions_and_scores_only_when_the_coordinator_allows() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Zanglijster").await;
    let goal = add_goal(
        &coordinator,
        client,
        json!({"text": "Minder gebruiken", "domains": ["substance_use"]}),
    )
    .await;
    let open = json!({"what": "Afspraak bij de verslavingszorg", "owner_id": coordinator.user_id, "due_on": "2026-12-01"});
    let open = add_action(&coordinator, client, &goal, open).await;
    let finished =
        json!({"what": "Gesprek", "owner_id": coordinator.user_id, "due_on": "2026-11-20"});
    let finished = add_action(&coordinator, client, &goal, finished).await;
    coordinator
        .post(&status_path(client, &finished), json!({"status": "done"}))
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/assessments"),
            json!({"on": "2026-11-23", "scores": [{"domain": "substance_use", "score": 2, "note": "Dagelijks"}]}),
        )
        .await
        .assert(StatusCode::CREATED);

    let peer = app.login_as(Role::Peer).await;
    let seen = peer.get(&goals_path(client)).await.assert(StatusCode::OK);
    assert_eq!(seen[0]["text"], "Minder gebruiken");
    let ids: Vec<&Value> = seen[0]["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["id"])
        .collect();
    assert_eq!(ids, [&open["id"]], "open actions only");
    let scores = [
        format!("/api/v1/clients/{client}/assessments"),
        format!("/api/v1/clients/{client}/progress"),
    ];
    for path in &scores {
        peer.get(path)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    peer.post(
        &goals_path(client),
        json!({"text": "Iets", "domains": ["housing"]}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    peer.post(&status_path(client, &open), json!({"status": "done"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let setting = "/api/v1/team/plan-access";
    assert_eq!(
        peer.get(setting).await.assert(StatusCode::OK)["peers_see_scores"],
        false
    );
    for session in [&peer, &app.login_as(Role::Casemanager).await] {
        session
            .put(setting, json!({"peers_see_scores": true}))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    coordinator
        .put(setting, json!({"peers_see_scores": true}))
        .await
        .assert(StatusCode::OK);
    for path in &scores {
        peer.get(path).await.assert(StatusCode::OK);
    }
    let listed = peer.get(&scores[0]).await.assert(StatusCode::OK);
    assert_eq!(listed[0]["scores"][0]["note"], "Dagelijks");
    // Reading is all the setting gives.
    peer.post(
        &scores[0],
        json!({"on": "2026-11-23", "scores": [{"domain": "housing", "score": 2}]}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");

    // Another team's coordinator turns it on for her own team only.
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    theirs
        .put(setting, json!({"peers_see_scores": false}))
        .await
        .assert(StatusCode::OK);
    peer.get(&scores[1]).await.assert(StatusCode::OK);
}

#[tokio::test]
async fn another_team_finds_no_plan_and_other_roles_none_at_all() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Houtduif").await;
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
        json!({"what": "Time-out regelen", "owner_id": cm.user_id, "due_on": "2026-12-01"}),
    )
    .await;
    let goal_path = format!("{}/{}", goals_path(client), goal["id"]);
    let new_goal = json!({"text": "X", "domains": ["housing"]});
    let new_action = json!({"what": "X", "owner_id": cm.user_id, "due_on": "2026-12-01"});
    let other_team = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager, Role::Peer] {
        let theirs = app.login_in_team(role, Some(other_team)).await;
        theirs
            .get(&goals_path(client))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        if role == Role::Peer {
            continue;
        }
        theirs
            .post(&goals_path(client), new_goal.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        theirs
            .patch(&goal_path, json!({"status": "dropped"}))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        theirs
            .post(&format!("{goal_path}/actions"), new_action.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        theirs
            .post(&status_path(client, &action), json!({"status": "done"}))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    for role in [Role::Admin, Role::Municipality, Role::ProcessDirector] {
        let session = app.login_as(role).await;
        let refused = session.get(&goals_path(client)).await;
        assert!(
            matches!(
                refused.status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
            ),
            "{role:?}: {}",
            refused.status
        );
        session
            .post(&goals_path(client), new_goal.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // A goal or action of another of the team's clients is not hers.
    let other = cm.create_client("Turkse Tortel").await;
    cm.patch(
        &format!("{}/{}", goals_path(other), goal["id"]),
        json!({"status": "dropped"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.post(&status_path(other, &action), json!({"status": "done"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("plan_goals"), 1);
    assert_eq!(app.count("plan_actions"), 1);
}
