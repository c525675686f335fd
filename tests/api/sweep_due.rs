//! What the sweep opens once per key keeps, per row, when the sweep is to look at it
//! (`clients.review_due_on`, `clients.registration_due_on`,
//! `plan_actions.followup_due_on`, `referrals.waiting_since`,
//! `case_meeting_decisions.followup_due_on`), in the same transaction as every change that
//! decides it, so that a sweep reads only what is due. These tests read the stored moment
//! after each kind of change, and check that the sweep marks what it handled.

use chrono::NaiveDate;
use diesel::prelude::*;
use inbeeld::db::schema::{clients, plan_actions, referrals};
use reqwest::StatusCode;
use serde_json::json;

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, TestApp};
use crate::plan_followups::{advance_to, of_kind};

fn day(text: &str) -> Option<NaiveDate> {
    Some(text.parse().unwrap())
}

fn review_due(app: &TestApp, client: i64) -> Option<NaiveDate> {
    app.db_read(move |conn| {
        clients::table
            .find(client)
            .select(clients::review_due_on)
            .first(conn)
    })
}

fn registration_due(app: &TestApp, client: i64) -> Option<NaiveDate> {
    app.db_read(move |conn| {
        clients::table
            .find(client)
            .select(clients::registration_due_on)
            .first(conn)
    })
}

fn action_due(app: &TestApp, action: i64) -> Option<NaiveDate> {
    app.db_read(move |conn| {
        plan_actions::table
            .find(action)
            .select(plan_actions::followup_due_on)
            .first(conn)
    })
}

fn waiting_since(app: &TestApp, referral: i64) -> Option<NaiveDate> {
    app.db_read(move |conn| {
        referrals::table
            .find(referral)
            .select(referrals::waiting_since)
            .first(conn)
    })
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

async fn close_and_reopen(session: &Session, client: i64, between: impl FnOnce()) {
    let file = format!("/api/v1/clients/{client}");
    session
        .post(&format!("{file}/close"), json!({"reason": "moved_away"}))
        .await
        .assert(StatusCode::OK);
    between();
    session
        .post(&format!("{file}/reopen"), json!({}))
        .await
        .assert(StatusCode::OK);
}

#[tokio::test]
async fn her_review_moment_follows_assessments_the_day_set_by_hand_and_her_status() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Grutto").await;
    let (cm, client) = (&team.casemanager, team.client);
    assert_eq!(review_due(&app, client), None, "no plan to review");
    assess(cm, client, "2026-11-20").await;
    assert_eq!(review_due(&app, client), day("2027-02-20"));
    cm.put(
        &format!("/api/v1/clients/{client}/plan-review"),
        json!({"review_on": "2027-01-05"}),
    )
    .await
    .assert(StatusCode::OK);
    assert_eq!(review_due(&app, client), day("2027-01-05"));
    close_and_reopen(cm, client, || {
        assert_eq!(
            review_due(&app, client),
            None,
            "a closed file is not reviewed"
        );
    })
    .await;
    assert_eq!(review_due(&app, client), day("2027-01-05"));

    // The sweep opens it on its day and marks her handled.
    advance_to(&app, "2027-01-04T23:00:00");
    assert_eq!(sweep(&app).await.plan_reviews, 1);
    assert_eq!(review_due(&app, client), None);
    assert_eq!(sweep(&app).await.plan_reviews, 0);

    // The review is a new assessment: its reminder closes with it, the next is three months
    // on.
    assess(cm, client, "2027-01-05").await;
    assert_eq!(review_due(&app, client), day("2027-04-05"));
    let review = of_kind(cm, "plan_review").await;
    assert_eq!(review[0]["status"], "closed");
}

#[tokio::test]
async fn an_actions_moment_follows_its_due_day_and_status() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Kwartel").await;
    let (cm, client) = (&team.casemanager, team.client);
    let goal = cm
        .post(
            &format!("/api/v1/clients/{client}/goals"),
            json!({"text": "Een eigen kamer", "domains": ["housing"]}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let action = cm
        .post(
            &format!("/api/v1/clients/{client}/goals/{goal}/actions"),
            json!({"what": "Bellen", "owner_id": cm.user_id, "due_on": "2026-11-24"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(action_due(&app, action), day("2026-11-24"));
    let path = format!("/api/v1/clients/{client}/actions/{action}");
    cm.patch(&path, json!({"due_on": "2026-11-26"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(action_due(&app, action), day("2026-11-26"));
    close_and_reopen(cm, client, || {}).await;
    assert_eq!(action_due(&app, action), day("2026-11-26"));

    advance_to(&app, "2026-11-26T23:00:00");
    assert_eq!(sweep(&app).await.plan_actions_overdue, 1);
    assert_eq!(action_due(&app, action), None, "handled");
    // Moved to a later day, it is due again on that day; done, never.
    cm.patch(&path, json!({"due_on": "2026-12-01"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(action_due(&app, action), day("2026-12-01"));
    cm.post(&format!("{path}/status"), json!({"status": "done"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(action_due(&app, action), None);
}

#[tokio::test]
async fn a_referrals_moment_follows_its_course_and_her_status() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Tureluur").await;
    let (cm, client) = (&team.casemanager, team.client);
    let path = format!("/api/v1/clients/{client}/referrals");
    let referral = cm
        .post(
            &path,
            json!({"kind": "diagnostics", "requested_on": "2026-10-13"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(waiting_since(&app, referral), day("2026-10-13"));

    // Her file closed: the sweep passes over it; reopened, it is looked at again.
    close_and_reopen(cm, client, || {}).await;
    assert_eq!(waiting_since(&app, referral), day("2026-10-13"));
    assert_eq!(sweep(&app).await.referrals_waiting, 0, "41 days");
    assert_eq!(waiting_since(&app, referral), day("2026-10-13"));
    // 42 days from 13 October: from the start of 24 November, 23:00 UTC.
    advance_to(&app, "2026-11-23T23:00:00");
    assert_eq!(sweep(&app).await.referrals_waiting, 1);
    assert_eq!(waiting_since(&app, referral), None, "handled");

    let second = cm
        .post(
            &path,
            json!({"kind": "treatment", "requested_on": "2026-11-20"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(waiting_since(&app, second), day("2026-11-20"));
    cm.patch(
        &format!("{path}/{second}"),
        json!({"started_on": "2026-11-24"}),
    )
    .await
    .assert(StatusCode::OK);
    assert_eq!(
        waiting_since(&app, second),
        None,
        "started: nothing to wait for"
    );
}

#[tokio::test]
async fn a_change_of_her_registration_is_looked_at_by_the_next_sweep() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Kluut").await;
    let (cm, client) = (&team.casemanager, team.client);
    let register_until = |expires_on: &'static str| async move {
        cm.post(
            &format!("/api/v1/clients/{client}/registration-events"),
            json!({"kind": "granted", "on": "2026-11-20", "number": "R-1", "expires_on": expires_on}),
        )
        .await
        .assert(StatusCode::CREATED);
    };
    assert_eq!(registration_due(&app, client), None, "not registered");
    register_until("2026-12-24").await;
    assert_eq!(
        registration_due(&app, client),
        day("2026-11-23"),
        "the change"
    );
    assert_eq!(sweep(&app).await.registrations_expiring, 0);
    assert_eq!(
        registration_due(&app, client),
        day("2026-12-24"),
        "then her expiry day"
    );
    advance_to(&app, "2026-11-24T23:00:00");
    assert_eq!(sweep(&app).await.registrations_expiring, 1);
    assert_eq!(registration_due(&app, client), None, "handled");

    // Renewed: the next sweep closes the old reminder and waits for the new day.
    register_until("2027-12-24").await;
    let report = sweep(&app).await;
    assert_eq!(
        (report.registrations_changed, report.registrations_expiring),
        (1, 0)
    );
    assert_eq!(registration_due(&app, client), day("2027-12-24"));
    close_and_reopen(cm, client, || {}).await;
    assert_eq!(sweep(&app).await.registrations_changed, 0);
    assert_eq!(registration_due(&app, client), day("2027-12-24"));
}
