//! The coordinator's overview of her team's plans (overdue for review, actions past due)
//! and the municipality's aggregate of the plans per life domain, with the small-number
//! suppression of its other figures.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app};

async fn assess(session: &Session, client: i64, on: &str, scores: Value) {
    session
        .post(
            &format!("/api/v1/clients/{client}/assessments"),
            json!({"on": on, "scores": scores}),
        )
        .await
        .assert(StatusCode::CREATED);
}

async fn goal_with_action(session: &Session, client: i64, due_on: &str) -> i64 {
    let goal = session
        .post(
            &format!("/api/v1/clients/{client}/goals"),
            json!({"text": "Werk vinden", "domains": ["work_education"]}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .clone();
    session
        .post(
            &format!("/api/v1/clients/{client}/goals/{goal}/actions"),
            json!({"what": "Cv maken", "owner_id": session.user_id, "due_on": due_on}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_coordinator_sees_plans_overdue_for_review_and_actions_past_due() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let overdue = cm.create_client("Grutto").await;
    let recent = cm.create_client("Kievit").await;
    let housing = json!([{"domain": "housing", "score": 2}]);
    assess(&cm, overdue, "2026-08-01", housing.clone()).await;
    assess(&cm, recent, "2026-11-20", housing.clone()).await;
    let late = goal_with_action(&cm, recent, "2026-11-20").await;
    let done = goal_with_action(&cm, recent, "2026-11-19").await;
    cm.post(
        &format!("/api/v1/clients/{recent}/actions/{done}/status"),
        json!({"status": "done"}),
    )
    .await
    .assert(StatusCode::OK);
    goal_with_action(&cm, overdue, "2026-11-23").await;
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    let elsewhere = theirs.create_client("Wulp").await;
    assess(&theirs, elsewhere, "2026-01-01", housing).await;
    goal_with_action(&theirs, elsewhere, "2026-10-01").await;

    let seen = coordinator
        .get("/api/v1/plans/overdue")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        seen["reviews"],
        json!([{"client_id": overdue, "alias": "Grutto", "latest_assessment": "2026-08-01", "review_on": "2026-11-01"}])
    );
    let actions = seen["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["action_id"], late);
    assert_eq!(actions[0]["alias"], "Kievit");
    assert_eq!(actions[0]["due_on"], "2026-11-20");
    assert!(actions[0]["owner_name"].is_string());
    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::Municipality,
        Role::Admin,
    ] {
        app.login_as(role)
            .await
            .get("/api/v1/plans/overdue")
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
}

fn domain<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain"] == code)
        .unwrap()
}

#[tokio::test]
async fn the_municipality_sees_progress_per_domain_with_small_groups_hidden() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for (n, alias) in [
        "Rietgors",
        "Geelgors",
        "Ortolaan",
        "Sneeuwgors",
        "Grauwe Gors",
        "Kneu",
    ]
    .iter()
    .enumerate()
    {
        let client = cm.create_client(alias).await;
        // Six improve on housing; two of them stay equal on finances.
        let finances = if n < 2 { json!(3) } else { Value::Null };
        assess(
            &cm,
            client,
            "2026-06-01",
            json!([{"domain": "housing", "score": 1}, {"domain": "finances", "score": 3}]),
        )
        .await;
        assess(
            &cm,
            client,
            "2026-11-20",
            json!([{"domain": "housing", "score": 3}, {"domain": "finances", "score": finances}]),
        )
        .await;
    }
    // Scored once in 2026: no change to count.
    let once = cm.create_client("Putter").await;
    assess(
        &cm,
        once,
        "2025-12-01",
        json!([{"domain": "housing", "score": 1}]),
    )
    .await;
    assess(
        &cm,
        once,
        "2026-02-01",
        json!([{"domain": "housing", "score": 4}]),
    )
    .await;

    let path = "/api/v1/reports/plan-progress?period=2026";
    let city = app
        .login_as(Role::Municipality)
        .await
        .get(path)
        .await
        .assert(StatusCode::OK);
    assert_eq!(city["rounded_to"], 5);
    assert_eq!(city["domains"].as_array().unwrap().len(), 13);
    let housing = domain(&city, "housing");
    assert_eq!(
        (
            &housing["improved"],
            &housing["equal"],
            &housing["declined"]
        ),
        (&json!(5), &json!("<5"), &json!("<5"))
    );
    assert_eq!(domain(&city, "finances")["equal"], "<5");

    let coordinator = app.login_as(Role::Coordinator).await;
    let team = coordinator.get(path).await.assert(StatusCode::OK);
    assert_eq!(team["rounded_to"], Value::Null);
    assert_eq!(domain(&team, "housing")["improved"], 6);
    assert_eq!(domain(&team, "finances")["equal"], 2);
    assert_eq!(domain(&team, "justice")["improved"], 0);
    let protected = coordinator
        .get(&format!("{path}&protected=true"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(domain(&protected, "finances")["equal"], "<5");

    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::Admin,
        Role::ProcessDirector,
    ] {
        app.login_as(role)
            .await
            .get(path)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    app.login_as(Role::Municipality)
        .await
        .get("/api/v1/reports/plan-progress?period=2026-01-01")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
}
