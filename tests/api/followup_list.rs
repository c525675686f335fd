//! The follow-up list and one follow-up's page as the phone shows them: days unseen, her
//! casemanagers, who took it on.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};

fn only(list: Value) -> Value {
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

#[tokio::test]
async fn the_list_says_how_long_she_went_unseen_whose_she_is_and_who_took_it_on() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Kwikstaart").await;
    app.clock.advance(TimeDelta::days(16));
    assert_eq!(sweep(&app).await.opened, 1);

    let before = app.count("audit_log");
    let listed = only(
        team.coordinator
            .get("/api/v1/followups")
            .await
            .assert(StatusCode::OK),
    );
    assert_eq!(
        app.count("audit_log"),
        before + 1,
        "reading the list is logged"
    );
    assert_eq!(listed["kind"], "absence");
    assert_eq!(listed["days_unseen"], 16);
    let casemanagers = listed["casemanagers"].as_array().unwrap();
    assert_eq!(casemanagers.len(), 1);
    assert_eq!(casemanagers[0]["user_id"], team.casemanager.user_id);
    assert!(casemanagers[0]["display_name"].as_str().is_some());
    assert_eq!(listed["acknowledged_by_name"], Value::Null);

    let id = listed["id"].as_i64().unwrap();
    team.casemanager
        .post(&format!("/api/v1/followups/{id}/acknowledge"), json!({}))
        .await
        .assert(StatusCode::OK);
    let listed = only(
        team.coordinator
            .get("/api/v1/followups")
            .await
            .assert(StatusCode::OK),
    );
    assert_eq!(listed["acknowledged_by"], team.casemanager.user_id);
    assert_eq!(
        listed["acknowledged_by_name"], casemanagers[0]["display_name"],
        "the name of who took it on"
    );

    // Her page says the same, with its history.
    let one = team
        .casemanager
        .get(&format!("/api/v1/followups/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(one["days_unseen"], 16);
    assert_eq!(one["casemanagers"], listed["casemanagers"]);
    assert_eq!(one["acknowledged_by_name"], listed["acknowledged_by_name"]);
    let events: Vec<&str> = one["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events[0], "opened");
    assert_eq!(events.last(), Some(&"acknowledged"));
}

#[tokio::test]
async fn a_reminder_has_no_days_unseen_and_a_client_without_casemanager_none_named() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Boomklever").await;
    let due = (app.clock.now() + TimeDelta::days(2))
        .and_utc()
        .to_rfc3339();
    team.coordinator
        .post(
            "/api/v1/followups",
            json!({"client_id": team.client, "due_at": due, "note": "bellen"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let listed = only(
        team.casemanager
            .get("/api/v1/followups")
            .await
            .assert(StatusCode::OK),
    );
    assert_eq!(listed["kind"], "reminder");
    assert_eq!(listed["days_unseen"], Value::Null);
    assert_eq!(listed["casemanagers"].as_array().unwrap().len(), 1);

    // Her casemanager ends today: tomorrow she has none, and the list names none.
    let assignments = team
        .coordinator
        .get(&format!("/api/v1/clients/{}/casemanagers", team.client))
        .await
        .assert(StatusCode::OK);
    let assignment = assignments[0]["id"].as_i64().unwrap();
    let today = app.state.zone.local_date(app.clock.now());
    team.coordinator
        .patch(
            &format!("/api/v1/clients/{}/casemanagers/{assignment}", team.client),
            json!({ "until_on": today }),
        )
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(1));
    let listed = only(
        team.coordinator
            .get("/api/v1/followups")
            .await
            .assert(StatusCode::OK),
    );
    assert_eq!(listed["casemanagers"], json!([]));
}

#[tokio::test]
async fn only_the_teams_care_roles_read_the_list_and_another_team_sees_none_of_it() {
    let app = spawn_app_for_weeks().await;
    let _team = team_with_client(&app, "Grasmus").await;
    app.clock.advance(TimeDelta::days(15));
    assert_eq!(sweep(&app).await.opened, 1);

    let peer = app.login_as(Role::Peer).await;
    only(peer.get("/api/v1/followups").await.assert(StatusCode::OK));
    for role in [Role::Municipality, Role::Admin, Role::ProcessDirector] {
        app.login_as(role)
            .await
            .get("/api/v1/followups")
            .await
            .assert(StatusCode::FORBIDDEN);
    }
    let elsewhere = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(elsewhere)).await;
    assert_eq!(
        theirs.get("/api/v1/followups").await.assert(StatusCode::OK),
        json!([])
    );
}
