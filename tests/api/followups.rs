//! Follow-ups: the 14-day rule, closing on contact, reminders, snoozes, escalation.

use chrono::TimeDelta;
use inbeeld::app::followups::sweep;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app_with};

/// A coordinator, a casemanager, and a client of hers (hers since she registered her),
/// seen at the start of the test.
pub struct Team {
    pub coordinator: Session,
    pub casemanager: Session,
    pub client: i64,
}

pub async fn team_with_client(app: &TestApp, alias: &str) -> Team {
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let client = casemanager.create_client(alias).await;
    casemanager
        .record_contact(app.default_location(), client)
        .await
        .assert(StatusCode::CREATED);
    Team {
        coordinator,
        casemanager,
        client,
    }
}

/// A test app whose sessions outlast the weeks these tests let pass.
pub async fn spawn_app_for_weeks() -> TestApp {
    spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await
}

pub async fn sweep(app: &TestApp) -> inbeeld::domain::sweep::SweepReport {
    sweep::run(&app.state).await.unwrap()
}

async fn followups_of(session: &Session) -> Vec<Value> {
    session
        .get("/api/v1/followups?include_closed=true")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_client_unseen_for_fourteen_days_gets_one_follow_up() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Merel").await;

    app.clock.advance(TimeDelta::days(14) - TimeDelta::hours(1));
    assert_eq!(
        sweep(&app).await.opened,
        0,
        "13 days 23 hours is not yet overdue"
    );
    app.clock.advance(TimeDelta::hours(1));
    assert_eq!(sweep(&app).await.opened, 1);
    assert_eq!(
        sweep(&app).await.opened,
        0,
        "opened once, not at every sweep"
    );
    app.clock.advance(TimeDelta::days(3));
    assert_eq!(sweep(&app).await.opened, 0);

    let all = followups_of(&team.casemanager).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["kind"], "absence");
    assert_eq!(all[0]["status"], "open");
    assert_eq!(all[0]["client_id"], team.client);
    assert_eq!(all[0]["absent_since"], "2026-11-23T20:30:00+01:00");
}

#[tokio::test]
async fn a_clients_own_threshold_overrides_the_default() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Lijster").await;
    let other = team.casemanager.create_client("Zwaluw").await;
    team.casemanager
        .record_contact(app.default_location(), other)
        .await
        .assert(StatusCode::CREATED);
    team.casemanager
        .patch(
            &format!("/api/v1/clients/{}", team.client),
            json!({"followup_threshold_days": 7}),
        )
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(7));
    assert_eq!(sweep(&app).await.opened, 1);
    let open = followups_of(&team.casemanager).await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["client_id"], team.client);
}

#[tokio::test]
async fn a_never_seen_client_counts_from_her_intake() {
    let app = spawn_app_for_weeks().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.post(
        "/api/v1/clients",
        json!({"alias": "Reiger", "region": "nijmegen", "intake_on": "2026-11-09"}),
    )
    .await
    .assert(StatusCode::CREATED);
    // Intake 9 November 00:00 local; now 23 November 20:30: more than 14 days.
    assert_eq!(sweep(&app).await.opened, 1);
}

#[tokio::test]
async fn seeing_her_closes_the_follow_up_and_says_by_whom() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Kievit").await;
    app.clock.advance(TimeDelta::days(15));
    sweep(&app).await;
    let peer = app.login_as(Role::Peer).await;
    peer.record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);

    let closed = &followups_of(&team.casemanager).await[0];
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_by"], peer.user_id);
    assert_eq!(closed["outcome"], "seen");
    let detail = team
        .casemanager
        .get(&format!("/api/v1/followups/{}", closed["id"]))
        .await
        .assert(StatusCode::OK);
    let events: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["opened", "notified", "closed_by_contact"]);

    // A new absence starts from that contact.
    app.clock.advance(TimeDelta::days(13));
    assert_eq!(sweep(&app).await.opened, 0);
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(sweep(&app).await.opened, 1);
}

#[tokio::test]
async fn a_deleted_contact_moves_last_seen_back() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Specht").await;
    app.clock.advance(TimeDelta::days(10));
    let late = team
        .casemanager
        .record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);
    let client = team
        .casemanager
        .get(&format!("/api/v1/clients/{}", team.client))
        .await
        .assert(StatusCode::OK);
    assert_eq!(client["last_contact_at"], "2026-12-03T20:30:00+01:00");
    team.casemanager
        .delete(&format!("/api/v1/contacts/{}", late["id"]))
        .await
        .assert(StatusCode::NO_CONTENT);
    app.clock.advance(TimeDelta::days(4));
    assert_eq!(
        sweep(&app).await.opened,
        1,
        "14 days after the remaining contact"
    );
}

#[tokio::test]
async fn concurrent_sweeps_open_and_notify_once() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Vink").await;
    app.clock.advance(TimeDelta::days(20));
    let reports = futures::future::join_all((0..4).map(|_| sweep::run(&app.state))).await;
    let opened: usize = reports.iter().map(|r| r.as_ref().unwrap().opened).sum();
    let notified: usize = reports.iter().map(|r| r.as_ref().unwrap().notified).sum();
    assert_eq!(opened, 1);
    assert_eq!(notified, 1);
    assert_eq!(app.count("followups"), 1);
    assert_eq!(app.count("notifications"), 1);
    drop(team);
}

#[tokio::test]
async fn casemanagers_set_reminders_that_fall_due() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Mees").await;
    let reminder = team
        .casemanager
        .post(
            "/api/v1/followups",
            json!({"client_id": team.client, "due_at": "2026-11-25T10:00", "note": "bellen over woning"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(reminder["kind"], "reminder");
    assert_eq!(reminder["note"], "bellen over woning");
    assert_eq!(sweep(&app).await.notified, 0);
    app.clock.advance(TimeDelta::days(2));
    assert_eq!(sweep(&app).await.notified, 1);
    let peer = app.login_as(Role::Peer).await;
    peer.post(
        "/api/v1/followups",
        json!({"client_id": team.client, "due_at": "2026-11-26T10:00", "note": "x"}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn acknowledge_snooze_and_close() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Putter").await;
    app.clock.advance(TimeDelta::days(14));
    sweep(&app).await;
    let id = followups_of(&team.casemanager).await[0]["id"]
        .as_i64()
        .unwrap();
    let path = |action: &str| format!("/api/v1/followups/{id}/{action}");

    let acked = team
        .casemanager
        .post(&path("acknowledge"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(acked["status"], "acknowledged");
    assert_eq!(acked["acknowledged_by"], team.casemanager.user_id);

    team.casemanager
        .post(
            &path("snooze"),
            json!({"until": "2026-12-10T09:00", "reason": ""}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    team.casemanager
        .post(
            &path("snooze"),
            json!({"until": "2026-12-01T09:00", "reason": "x"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_time");
    let snoozed = team
        .casemanager
        .post(
            &path("snooze"),
            json!({"until": "2026-12-10T09:00", "reason": "in kliniek"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(snoozed["status"], "snoozed");
    assert_eq!(snoozed["snoozed_until"], "2026-12-10T09:00:00+01:00");

    // Asleep: no escalation, however long.
    app.clock.advance(TimeDelta::days(2));
    let report = sweep(&app).await;
    assert_eq!(
        report.escalated_to_coordinator + report.escalated_to_process_director,
        0
    );
    // Awake: open again and noticed again.
    app.clock.advance(TimeDelta::days(2));
    assert_eq!(sweep(&app).await.notified, 1);

    let closed = team
        .casemanager
        .post(
            &path("close"),
            json!({"outcome": "gesproken bij de huisarts"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    team.casemanager
        .post(&path("acknowledge"), json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "followup_closed");
    let events: Vec<String> = closed["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        [
            "opened",
            "notified",
            "acknowledged",
            "snoozed",
            "snooze_ended",
            "notified",
            "closed"
        ]
    );
}

#[tokio::test]
async fn an_unanswered_follow_up_escalates_to_coordinator_then_process_director() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Wielewaal").await;
    let (director, _) = app.create_user(Role::ProcessDirector, None);
    app.clock.advance(TimeDelta::days(14));
    sweep(&app).await;
    app.clock
        .advance(TimeDelta::days(3) - TimeDelta::minutes(1));
    assert_eq!(sweep(&app).await.escalated_to_coordinator, 0);
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(sweep(&app).await.escalated_to_coordinator, 1);
    assert_eq!(sweep(&app).await.escalated_to_coordinator, 0);
    app.clock.advance(TimeDelta::days(7));
    assert_eq!(sweep(&app).await.escalated_to_process_director, 1);

    let followup = &followups_of(&team.coordinator).await[0];
    assert_eq!(followup["escalation_level"], 2);
    let detail = team
        .coordinator
        .get(&format!("/api/v1/followups/{}", followup["id"]))
        .await
        .assert(StatusCode::OK);
    let timeline: Vec<(String, String)> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_owned(),
                e["at"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        timeline,
        [
            ("opened".to_owned(), "2026-12-07T20:30:00+01:00".to_owned()),
            (
                "notified".to_owned(),
                "2026-12-07T20:30:00+01:00".to_owned()
            ),
            (
                "escalated_to_coordinator".to_owned(),
                "2026-12-10T20:30:00+01:00".to_owned()
            ),
            (
                "escalated_to_process_director".to_owned(),
                "2026-12-17T20:30:00+01:00".to_owned()
            ),
        ]
    );
    let recipients: Vec<i64> = {
        use diesel::prelude::*;
        use inbeeld::db::schema::notifications;
        app.db_read(|conn| {
            notifications::table
                .filter(notifications::kind.eq("escalation"))
                .order(notifications::id)
                .select(notifications::user_id)
                .load(conn)
        })
    };
    assert_eq!(recipients, [team.coordinator.user_id, director]);
}

#[tokio::test]
async fn an_acknowledged_follow_up_skips_the_coordinator_but_not_the_director() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Sijs").await;
    app.create_user(Role::ProcessDirector, None);
    app.clock.advance(TimeDelta::days(14));
    sweep(&app).await;
    let id = followups_of(&team.casemanager).await[0]["id"]
        .as_i64()
        .unwrap();
    team.casemanager
        .post(&format!("/api/v1/followups/{id}/acknowledge"), json!({}))
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(4));
    assert_eq!(sweep(&app).await.escalated_to_coordinator, 0);
    app.clock.advance(TimeDelta::days(6));
    assert_eq!(sweep(&app).await.escalated_to_process_director, 1);
}

#[tokio::test]
async fn the_sweep_runs_on_demand_for_coordinators_and_admins_only() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Goudhaan").await;
    app.clock.advance(TimeDelta::days(14));
    team.casemanager
        .post("/api/v1/followups/sweep", json!({}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let report = team
        .coordinator
        .post("/api/v1/followups/sweep", json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(report["opened"], 1);
    let admin = app.login_as(Role::Admin).await;
    let again = admin
        .post("/api/v1/followups/sweep", json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(again["opened"], 0);
    // Another team's follow-up is not there for them.
    let outsider = app
        .login_in_team(Role::Coordinator, Some(app.create_team("Stapteam Arnhem")))
        .await;
    let id = followups_of(&team.casemanager).await[0]["id"].clone();
    outsider
        .get(&format!("/api/v1/followups/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
