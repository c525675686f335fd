//! The registration list, and the follow-up the sweep opens before a registration expires.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::flex_budget::set_clock;
use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, spawn_app, spawn_app_with};

async fn registered(session: &Session, alias: &str, code: &str, status: &str, expires: Value) {
    session
        .post(
            "/api/v1/clients",
            json!({"alias": alias, "code": code, "region": "nijmegen",
                   "registration_status": status, "registration_number": code,
                   "registration_date": "2025-11-01", "registration_expires_on": expires}),
        )
        .await
        .assert(StatusCode::CREATED);
}

fn codes(list: &Value) -> Vec<String> {
    list["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_registration_list_is_sorted_by_expiry_and_marks_what_expires_soon() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    registered(
        &coordinator,
        "Ekster",
        "R-A",
        "registered",
        json!("2027-03-01"),
    )
    .await;
    registered(
        &coordinator,
        "Gaai",
        "R-B",
        "registered",
        json!("2026-12-10"),
    )
    .await;
    registered(&coordinator, "Havik", "R-C", "applied", json!(null)).await;
    registered(
        &coordinator,
        "Kraai",
        "R-D",
        "registered",
        json!("2026-11-01"),
    )
    .await;
    registered(&coordinator, "Mus", "R-E", "none", json!(null)).await;
    registered(&coordinator, "Uil", "R-F", "refused", json!("2026-12-01")).await;
    registered(
        &coordinator,
        "Spreeuw",
        "R-G",
        "registered",
        json!("2026-12-23"),
    )
    .await;
    registered(
        &coordinator,
        "Valk",
        "R-H",
        "registered",
        json!("2026-12-24"),
    )
    .await;
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    registered(&theirs, "Zanger", "R-Z", "registered", json!("2026-11-30")).await;

    let all = coordinator
        .get("/api/v1/registrations")
        .await
        .assert(StatusCode::OK);
    assert_eq!(all["today"], "2026-11-23");
    assert_eq!(all["within_days"], 30);
    assert_eq!(codes(&all), ["R-D", "R-B", "R-G", "R-H", "R-A", "R-C"]);
    let days_left: Vec<Value> = all["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["days_left"].clone())
        .collect();
    assert_eq!(
        days_left,
        [
            json!(-22),
            json!(17),
            json!(30),
            json!(31),
            json!(98),
            json!(null)
        ]
    );
    let expiring: Vec<bool> = all["registrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["expiring"].as_bool().unwrap())
        .collect();
    assert_eq!(expiring, [true, true, true, false, false, false]);
    assert_eq!(all["registrations"][0]["alias"], "Kraai");
    assert_eq!(all["registrations"][5]["registration_status"], "applied");

    let soon = coordinator
        .get("/api/v1/registrations?expiring_only=true")
        .await
        .assert(StatusCode::OK);
    assert_eq!(codes(&soon), ["R-D", "R-B", "R-G"]);
    let wider = coordinator
        .get("/api/v1/registrations?within_days=100&expiring_only=true")
        .await
        .assert(StatusCode::OK);
    assert_eq!(codes(&wider), ["R-D", "R-B", "R-G", "R-H", "R-A"]);
    coordinator
        .get("/api/v1/registrations?within_days=367")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    coordinator
        .get("/api/v1/registrations?within_days=-1")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    assert_eq!(
        app.count("audit_log WHERE event = 'registration.list' AND action = 'E'"),
        3
    );
    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::ProcessDirector,
        Role::Municipality,
        Role::Admin,
    ] {
        app.login_as(role)
            .await
            .get("/api/v1/registrations")
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
}

async fn register_until(session: &Session, client: i64, expires_on: &str) {
    session
        .post(
            &format!("/api/v1/clients/{client}/registration-events"),
            json!({"kind": "granted", "on": "2026-11-20", "number": "R-1", "expires_on": expires_on}),
        )
        .await
        .assert(StatusCode::CREATED);
}

async fn expiry_followups(session: &Session) -> Vec<Value> {
    session
        .get("/api/v1/followups?include_closed=true")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "registration_expiry")
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_expiry_follow_up_opens_at_the_start_of_the_warning_day_once() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Zwaluw").await;
    register_until(&team.casemanager, team.client, "2026-12-24").await;

    // 30 days before 24 December is 24 November, which starts at 23:00 UTC.
    assert_eq!(sweep(&app).await.registrations_expiring, 0);
    app.clock
        .advance(TimeDelta::hours(3) + TimeDelta::minutes(29) + TimeDelta::seconds(59));
    assert_eq!(
        sweep(&app).await.registrations_expiring,
        0,
        "not a second early"
    );
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(sweep(&app).await.registrations_expiring, 1);
    assert_eq!(sweep(&app).await.registrations_expiring, 0, "only once");

    let opened = expiry_followups(&team.casemanager).await;
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0]["due_at"], "2026-11-24T00:00:00+01:00");
    assert_eq!(opened[0]["client_id"], team.client);
    let id = opened[0]["id"].as_i64().unwrap();
    let one = team
        .casemanager
        .get(&format!("/api/v1/followups/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(one["timeline"][0]["event"], "opened");
    assert_eq!(one["timeline"][0]["detail"], "expires on 2026-12-24");
    assert_eq!(one["timeline"][1]["event"], "notified");
    assert_eq!(
        app.count(&format!(
            "notifications WHERE kind = 'registration_expiry' AND user_id = {}",
            team.casemanager.user_id
        )),
        1,
        "her casemanager is told through the notifications pipeline"
    );

    // Seeing her does not renew her registration: the follow-up stays open.
    team.casemanager
        .record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(
        expiry_followups(&team.casemanager).await[0]["status"],
        "open"
    );

    // Unanswered, it goes to the coordinator, but never on to the process director.
    app.login_as(Role::ProcessDirector).await;
    app.clock.advance(TimeDelta::days(3));
    sweep(&app).await;
    app.clock.advance(TimeDelta::days(8));
    sweep(&app).await;
    let escalated = team
        .casemanager
        .get(&format!("/api/v1/followups/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(escalated["escalation_level"], 1);
    let events: Vec<&str> = escalated["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(events.contains(&"escalated_to_coordinator"));
    assert!(!events.contains(&"escalated_to_process_director"));

    // Closed by hand, it is not opened again for the same date.
    team.casemanager
        .post(
            &format!("/api/v1/followups/{id}/close"),
            json!({"outcome": "verlenging aangevraagd"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(sweep(&app).await.registrations_expiring, 0);
    assert_eq!(expiry_followups(&team.casemanager).await.len(), 1);
}

#[tokio::test]
async fn a_renewed_registration_gets_a_new_follow_up_at_its_own_time() {
    let app = spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
        s.registration_warning_days = 7;
    })
    .await;
    let team = team_with_client(&app, "Tapuit").await;
    register_until(&team.casemanager, team.client, "2026-11-28").await;
    assert_eq!(sweep(&app).await.registrations_expiring, 1);

    // Renewed until 10 April 2027: the old follow-up closes itself, a new one waits for
    // 3 April, which begins at 22:00 UTC on 2 April (summer time).
    register_until(&team.casemanager, team.client, "2027-04-10").await;
    let report = sweep(&app).await;
    assert_eq!(
        (report.registrations_changed, report.registrations_expiring),
        (1, 0)
    );
    let old = expiry_followups(&team.casemanager).await;
    assert_eq!(old.len(), 1);
    assert_eq!(old[0]["status"], "closed");
    assert_eq!(old[0]["outcome"], "registration_changed");

    set_clock(&app, 2027, 4, 2, 21, 59);
    assert_eq!(sweep(&app).await.registrations_expiring, 0);
    set_clock(&app, 2027, 4, 2, 22, 0);
    assert_eq!(sweep(&app).await.registrations_expiring, 1);
    assert_eq!(sweep(&app).await.registrations_expiring, 0);
    let both = expiry_followups(&team.coordinator).await;
    assert_eq!(both.len(), 2);
    let renewed = both.iter().find(|f| f["status"] == "open").unwrap();
    assert_eq!(renewed["due_at"], "2027-04-03T00:00:00+02:00");
}
