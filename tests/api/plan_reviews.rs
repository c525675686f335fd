//! Her plan's review date set by hand: it replaces the three months after her latest
//! assessment until she is assessed again, raises its reminder on its own day (and a moved
//! day closes the reminder of the old one), shows in the coordinator's overview, and only
//! her team's casemanagers and coordinator set it.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, spawn_app};
use crate::plan_followups::{advance_to, of_kind};

fn review_path(client: i64) -> String {
    format!("/api/v1/clients/{client}/plan-review")
}

async fn set_review(session: &Session, client: i64, on: Value) -> Value {
    session
        .put(&review_path(client), json!({"review_on": on}))
        .await
        .assert(StatusCode::OK)
}

async fn assess(session: &Session, client: i64, on: &str) {
    session
        .post(
            &format!("/api/v1/clients/{client}/assessments"),
            json!({"on": on, "scores": [{"domain": "housing", "score": 2}]}),
        )
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn a_review_day_set_by_hand_holds_until_she_is_assessed_again() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Roodborst").await;
    let (cm, client) = (&team.casemanager, team.client);
    let none = cm.get(&review_path(client)).await.assert(StatusCode::OK);
    assert_eq!(
        none,
        json!({"review_on": null, "by_hand": false, "latest_assessment": null})
    );
    assess(cm, client, "2026-11-20").await;
    let default = cm.get(&review_path(client)).await.assert(StatusCode::OK);
    assert_eq!(
        (&default["review_on"], &default["by_hand"]),
        (&json!("2027-02-20"), &json!(false))
    );
    cm.put(&review_path(client), json!({"review_on": "2026-11-22"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "date_in_past");
    cm.put(&review_path(client), json!({"review_on": "2100-01-01"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let set = set_review(cm, client, json!("2027-01-05")).await;
    assert_eq!(
        set,
        json!({"review_on": "2027-01-05", "by_hand": true, "latest_assessment": "2026-11-20"})
    );

    // 5 January starts at 23:00 UTC the day before.
    advance_to(&app, "2027-01-04T22:59:59");
    assert_eq!(sweep(&app).await.plan_reviews, 0);
    advance_to(&app, "2027-01-04T23:00:00");
    assert_eq!(sweep(&app).await.plan_reviews, 1);
    let raised = of_kind(cm, "plan_review").await;
    assert_eq!(raised[0]["due_at"], "2027-01-05T00:00:00+01:00");
    let overview = team
        .coordinator
        .get("/api/v1/plans/overdue")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        overview["reviews"],
        json!([{"client_id": client, "alias": "Roodborst", "latest_assessment": "2026-11-20", "review_on": "2027-01-05"}])
    );

    // Moved on: the reminder of the old day closes; the new day raises its own.
    set_review(cm, client, json!("2027-01-12")).await;
    let moved = of_kind(cm, "plan_review").await;
    assert_eq!(moved[0]["status"], "closed");
    assert_eq!(sweep(&app).await.plan_reviews, 0);
    let overview = team.coordinator.get("/api/v1/plans/overdue").await;
    assert_eq!(overview.assert(StatusCode::OK)["reviews"], json!([]));
    advance_to(&app, "2027-01-11T23:00:00");
    assert_eq!(sweep(&app).await.plan_reviews, 1);

    // The review itself: a new assessment; the next is three months on again.
    assess(cm, client, "2027-01-12").await;
    let after = cm.get(&review_path(client)).await.assert(StatusCode::OK);
    assert_eq!(
        after,
        json!({"review_on": "2027-04-12", "by_hand": false, "latest_assessment": "2027-01-12"})
    );
    sweep(&app).await;
    let reviews = of_kind(cm, "plan_review").await;
    assert!(
        reviews.iter().all(|r| r["status"] == "closed"),
        "{reviews:?}"
    );

    // Set and taken back: three months after her latest assessment.
    set_review(cm, client, json!("2027-03-01")).await;
    let back = set_review(cm, client, Value::Null).await;
    assert_eq!(
        (&back["review_on"], &back["by_hand"]),
        (&json!("2027-04-12"), &json!(false))
    );
}

#[tokio::test]
async fn a_plan_without_assessments_is_reviewed_on_the_day_set() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Zanglijster").await;
    set_review(&team.casemanager, team.client, json!("2026-12-01")).await;
    advance_to(&app, "2026-11-30T23:00:00");
    assert_eq!(sweep(&app).await.plan_reviews, 1);
    let overview = team
        .coordinator
        .get("/api/v1/plans/overdue")
        .await
        .assert(StatusCode::OK);
    assert_eq!(overview["reviews"][0]["latest_assessment"], Value::Null);
    assert_eq!(overview["reviews"][0]["review_on"], "2026-12-01");
}

#[tokio::test]
async fn only_her_team_s_casemanagers_and_coordinator_set_the_review_day() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Heggenmus").await;
    let body = json!({"review_on": "2027-01-05"});
    app.login_as(Role::Coordinator)
        .await
        .put(&review_path(client), body.clone())
        .await
        .assert(StatusCode::OK);
    let peer = app.login_as(Role::Peer).await;
    let read = peer.get(&review_path(client)).await.assert(StatusCode::OK);
    assert_eq!(read["review_on"], "2027-01-05", "the team reads it");
    peer.put(&review_path(client), body.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    for role in [Role::Admin, Role::Municipality, Role::ProcessDirector] {
        let session = app.login_as(role).await;
        for refused in [
            session.get(&review_path(client)).await,
            session.put(&review_path(client), body.clone()).await,
        ] {
            assert!(
                matches!(
                    refused.status,
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                ),
                "{role:?}: {}",
                refused.status
            );
        }
    }
    let elsewhere = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager, Role::Peer] {
        let theirs = app.login_in_team(role, Some(elsewhere)).await;
        theirs
            .get(&review_path(client))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        if role != Role::Peer {
            theirs
                .put(&review_path(client), body.clone())
                .await
                .assert_error(StatusCode::NOT_FOUND, "not_found");
        }
    }
}
