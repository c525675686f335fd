//! Regular care stays in view: a client handed to regular care gets absence follow-ups
//! after a period of her own status (60 days unless set otherwise, her own threshold still
//! winning), and they go to the team's coordinators, who monitor her, not to her
//! casemanagers.

use chrono::TimeDelta;
use diesel::prelude::*;
use inbeeld::db::schema::{followups, notifications};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{Team, spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{TestApp, spawn_app_with};

/// Who was told of each absence follow-up, by client, in the order they were told.
fn told_of_absences(app: &TestApp) -> Vec<(i64, i64)> {
    app.db_read(|conn| {
        notifications::table
            .inner_join(
                followups::table.on(followups::id.nullable().eq(notifications::followup_id)),
            )
            .filter(notifications::kind.eq("absence"))
            .order((notifications::id, notifications::user_id))
            .select((followups::client_id, notifications::user_id))
            .load(conn)
    })
}

async fn to_regular_care(team: &Team, body: Value) -> Value {
    team.casemanager
        .patch(&format!("/api/v1/clients/{}", team.client), body)
        .await
        .assert(StatusCode::OK)
}

#[tokio::test]
async fn after_sixty_days_unseen_her_coordinators_are_told_not_her_casemanager() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Merel").await;
    let other_coordinator = app.login_as(Role::Coordinator).await;
    let file = to_regular_care(&team, json!({"caseload_status": "regular_care"})).await;
    assert_eq!(file["effective_threshold_days"], 60);
    assert_eq!(file["followup_threshold_days"], Value::Null);

    app.clock.advance(TimeDelta::days(59));
    let report = sweep(&app).await;
    assert_eq!(report.opened, 0, "59 days unseen is not yet 60");
    app.clock.advance(TimeDelta::days(1));
    let report = sweep(&app).await;
    assert_eq!((report.opened, report.notified), (1, 1));
    assert_eq!(sweep(&app).await.opened, 0, "opened once");
    let mut told = told_of_absences(&app);
    told.sort_unstable();
    assert_eq!(
        told,
        [
            (team.client, team.coordinator.user_id),
            (team.client, other_coordinator.user_id)
        ]
    );
    let open = team
        .coordinator
        .get("/api/v1/followups")
        .await
        .assert(StatusCode::OK);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["kind"], "absence");
    assert_eq!(open[0]["client_id"], team.client);
    assert_eq!(open[0]["absent_since"], "2026-11-23T20:30:00+01:00");
}

#[tokio::test]
async fn back_in_her_own_caseload_she_is_her_casemanagers_again() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Lijster").await;
    to_regular_care(&team, json!({"caseload_status": "regular_care"})).await;
    let back = to_regular_care(&team, json!({"caseload_status": "active"})).await;
    assert_eq!(back["effective_threshold_days"], 14);
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.opened, 1);
    assert_eq!(
        told_of_absences(&app),
        [(team.client, team.casemanager.user_id)]
    );
}

#[tokio::test]
async fn her_own_threshold_still_wins_in_regular_care() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Zwaluw").await;
    let file = to_regular_care(
        &team,
        json!({"caseload_status": "regular_care", "followup_threshold_days": 21}),
    )
    .await;
    assert_eq!(file["effective_threshold_days"], 21);
    app.clock
        .advance(TimeDelta::days(21) - TimeDelta::minutes(1));
    assert_eq!(sweep(&app).await.opened, 0);
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(sweep(&app).await.opened, 1);
    assert_eq!(
        told_of_absences(&app),
        [(team.client, team.coordinator.user_id)]
    );
}

#[tokio::test]
async fn the_period_of_regular_care_is_a_setting() {
    let app = spawn_app_with(|s| {
        s.regular_care_threshold_days = 30;
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await;
    let team = team_with_client(&app, "Reiger").await;
    let file = to_regular_care(&team, json!({"caseload_status": "regular_care"})).await;
    assert_eq!(file["effective_threshold_days"], 30);
    let listed = team
        .coordinator
        .get("/api/v1/clients?status=regular_care")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed[0]["effective_threshold_days"], 30);
    app.clock.advance(TimeDelta::days(29));
    assert_eq!(sweep(&app).await.opened, 0);
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(sweep(&app).await.opened, 1);
}
