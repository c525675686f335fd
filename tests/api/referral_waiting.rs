//! A referral that waits too long: one follow-up "wacht al N dagen" for her casemanagers
//! once its kind's waiting period has passed, closed when the referral starts or ends.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{sweep, team_with_client};
use crate::helpers::{Session, TestApp, spawn_app_with};

fn days_ago(app: &TestApp, days: i64) -> String {
    (app.state.zone.local_date(app.clock.now()) - TimeDelta::days(days)).to_string()
}

async fn waiting_followups(session: &Session) -> Vec<Value> {
    session
        .get("/api/v1/followups?include_closed=true")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "referral_waiting")
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_referral_waiting_its_period_opens_one_follow_up_that_closes_when_it_starts() {
    let app = spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 7;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 7;
        s.referral_wait_days_by_kind = "housing_application:180".to_owned().try_into().unwrap();
    })
    .await;
    let team = team_with_client(&app, "Putter").await;
    let cm = &team.casemanager;
    let path = format!("/api/v1/clients/{}/referrals", team.client);
    let referral = cm
        .post(
            &path,
            json!({"kind": "diagnostics", "requested_on": days_ago(&app, 41)}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    // A housing application waits longer before anyone is told.
    cm.post(
        &path,
        json!({"kind": "housing_application", "requested_on": days_ago(&app, 100)}),
    )
    .await
    .assert(StatusCode::CREATED);

    assert_eq!(sweep(&app).await.referrals_waiting, 0, "not at 41 days");
    assert!(waiting_followups(cm).await.is_empty());
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(sweep(&app).await.referrals_waiting, 1, "at 42 days");
    assert_eq!(sweep(&app).await.referrals_waiting, 0, "only once");

    let opened = waiting_followups(cm).await;
    assert_eq!(opened.len(), 1);
    assert_eq!(
        (opened[0]["client_id"].clone(), opened[0]["note"].clone()),
        (json!(team.client), json!("diagnostics"))
    );
    assert_eq!(opened[0]["days_unseen"], 42, "the days she has waited");
    assert_eq!(
        app.count(&format!(
            "notifications WHERE kind = 'referral_waiting' AND threshold_days = 42 AND user_id = {}",
            cm.user_id
        )),
        1,
        "her casemanager is told, with the days and nothing about her"
    );

    // It started: the follow-up closes with the change, and no sweep opens it again.
    cm.patch(
        &format!("{path}/{referral}"),
        json!({"started_on": days_ago(&app, 0)}),
    )
    .await
    .assert(StatusCode::OK);
    let id = opened[0]["id"].as_i64().unwrap();
    let closed = cm
        .get(&format!("/api/v1/followups/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_by"], cm.user_id);
    let events: Vec<&str> = closed["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["opened", "notified", "closed_referral_changed"]);
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(sweep(&app).await.referrals_waiting, 0);
    assert_eq!(waiting_followups(cm).await.len(), 1);
}

#[tokio::test]
async fn unanswered_it_goes_to_the_coordinator_but_not_to_the_process_director() {
    let app = spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 30;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 30;
    })
    .await;
    let team = team_with_client(&app, "Sijs").await;
    app.login_as(Role::ProcessDirector).await;
    team.casemanager
        .post(
            &format!("/api/v1/clients/{}/referrals", team.client),
            json!({"kind": "treatment", "requested_on": days_ago(&app, 42)}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(sweep(&app).await.referrals_waiting, 1);
    app.clock.advance(TimeDelta::days(12));
    // Her absence, twelve days on, is no business of this test: only the referral's level.
    sweep(&app).await;
    let followup = &waiting_followups(&team.coordinator).await[0];
    assert_eq!(
        followup["escalation_level"], 1,
        "the coordinator, no further"
    );
}
