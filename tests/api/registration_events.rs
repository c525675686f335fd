//! A client's registration as a history of events: who may record and read them, every
//! rule with its code, her registration fields following from them, taking the latest
//! back within a day, and ending every registration at once when the zone closes.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::helpers::{Session, TestApp, spawn_app, spawn_app_with};

pub(crate) fn events_path(client: i64) -> String {
    format!("/api/v1/clients/{client}/registration-events")
}

pub(crate) async fn record(session: &Session, client: i64, body: Value) -> Value {
    session
        .post(&events_path(client), body)
        .await
        .assert(StatusCode::CREATED)
}

pub(crate) async fn history(session: &Session, client: i64) -> Vec<Value> {
    session
        .get(&events_path(client))
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone()
}

pub(crate) async fn file(session: &Session, client: i64) -> Value {
    session
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK)
}

pub(crate) fn grant(on: &str, number: &str, expires_on: &str) -> Value {
    json!({"kind": "granted", "on": on, "number": number, "expires_on": expires_on})
}

#[tokio::test]
async fn her_registration_follows_from_her_events_newest_first() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Grutto").await;
    assert!(history(&coordinator, client).await.is_empty());

    record(
        &coordinator,
        client,
        json!({"kind": "applied", "on": "2026-01-05"}),
    )
    .await;
    let granted = record(
        &coordinator,
        client,
        grant("2026-02-01", "R-31", "2027-02-01"),
    )
    .await;
    assert_eq!(granted["kind"], "granted");
    assert_eq!(granted["number"], "R-31");
    assert_eq!(granted["expires_on"], "2027-02-01");
    assert_eq!(granted["can_undo"], true);
    assert!(granted["recorded_by_display_name"].is_string());
    let her = file(&coordinator, client).await;
    assert_eq!(her["registration_status"], "registered");
    assert_eq!(her["registration_number"], "R-31");
    assert_eq!(her["registration_date"], "2026-02-01");
    assert_eq!(her["registration_expires_on"], "2027-02-01");

    record(
        &coordinator,
        client,
        json!({"kind": "renewed", "on": "2026-11-20", "expires_on": "2027-11-20"}),
    )
    .await;
    let her = file(&coordinator, client).await;
    assert_eq!(her["registration_number"], "R-31");
    assert_eq!(her["registration_expires_on"], "2027-11-20");

    let events = history(&coordinator, client).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["renewed", "granted", "applied"]);
    let undoable: Vec<bool> = events.iter().map(|e| e["can_undo"] == true).collect();
    assert_eq!(undoable, [true, false, false]);

    record(
        &coordinator,
        client,
        json!({"kind": "ended", "on": "2026-11-23"}),
    )
    .await;
    let her = file(&coordinator, client).await;
    assert_eq!(her["registration_status"], "ended");
    assert_eq!(her["registration_expires_on"], Value::Null);
    assert!(
        trail(&app, client)
            .iter()
            .any(|e| e.event == "client.registration_events.read" && e.action == "R")
    );
}

#[tokio::test]
async fn a_grant_past_its_last_day_shows_as_expired_and_an_expiry_can_be_recorded() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Kievit").await;
    record(
        &coordinator,
        client,
        grant("2025-11-01", "R-2", "2026-11-22"),
    )
    .await;
    assert_eq!(
        file(&coordinator, client).await["registration_status"],
        "expired"
    );
    let list = coordinator
        .get("/api/v1/registrations")
        .await
        .assert(StatusCode::OK);
    assert_eq!(list["registrations"][0]["registration_status"], "expired");

    let other = coordinator.create_client("Wulp").await;
    record(
        &coordinator,
        other,
        grant("2025-11-01", "R-3", "2027-11-01"),
    )
    .await;
    record(
        &coordinator,
        other,
        json!({"kind": "expired", "on": "2026-11-20"}),
    )
    .await;
    let her = file(&coordinator, other).await;
    assert_eq!(her["registration_status"], "expired");
    assert_eq!(her["registration_expires_on"], "2026-11-19");
    coordinator
        .post(
            &events_path(other),
            json!({"kind": "expired", "on": "2026-11-21"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_registered");
    record(
        &coordinator,
        other,
        json!({"kind": "renewed", "on": "2026-11-21", "expires_on": "2027-11-21"}),
    )
    .await;
    assert_eq!(
        file(&coordinator, other).await["registration_status"],
        "registered"
    );
}

#[tokio::test]
async fn every_rule_has_its_code_and_a_refused_event_writes_nothing() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tureluur").await;
    let path = events_path(client);
    for (body, code) in [
        (
            json!({"kind": "renewed", "on": "2026-11-01", "expires_on": "2027-11-01"}),
            "not_registered",
        ),
        (
            json!({"kind": "expired", "on": "2026-11-01"}),
            "not_registered",
        ),
        (
            json!({"kind": "ended", "on": "2026-11-01"}),
            "not_registered",
        ),
        (grant("2026-11-24", "R-1", "2027-11-24"), "date_in_future"),
        (
            grant("2026-11-01", "R-1", "2026-11-01"),
            "expiry_before_grant",
        ),
        (
            grant("2026-11-01", "R-1", "2026-10-01"),
            "expiry_before_grant",
        ),
        (
            json!({"kind": "granted", "on": "2026-11-01", "expires_on": "2027-11-01"}),
            "validation_failed",
        ),
        (
            json!({"kind": "granted", "on": "2026-11-01", "number": "R-1"}),
            "validation_failed",
        ),
        (
            json!({"kind": "registered", "on": "2026-11-01"}),
            "validation_failed",
        ),
        (
            json!({"kind": "applied", "on": "2026-11-01", "expires_on": "2027-11-01"}),
            "validation_failed",
        ),
        (
            grant("2026-11-01", &"9".repeat(41), "2027-11-01"),
            "validation_failed",
        ),
        (
            json!({"kind": "applied", "on": "1999-11-01"}),
            "validation_failed",
        ),
    ] {
        cm.post(&path, body.clone())
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    cm.post(&path, json!({"kind": "applied"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    assert_eq!(app.count("registration_events"), 0);

    record(&cm, client, grant("2026-11-10", "R-1", "2027-11-10")).await;
    cm.post(&path, json!({"kind": "ended", "on": "2026-11-09"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "before_latest_event");
    record(&cm, client, json!({"kind": "ended", "on": "2026-11-10"})).await;
    assert_eq!(app.count("registration_events"), 2);

    // Her registration changes only through her events.
    cm.patch(
        &format!("/api/v1/clients/{client}"),
        json!({"registration_number": "R-2"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "use_registration_events");
}

#[tokio::test]
async fn who_may_record_and_read_her_events() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Bonte Piet").await;
    record(
        &coordinator,
        client,
        json!({"kind": "applied", "on": "2026-11-01"}),
    )
    .await;
    let path = events_path(client);
    let body = json!({"kind": "refused", "on": "2026-11-20"});

    // Her casemanagers and the team's other casemanagers edit her file alike.
    let cm = app.login_as(Role::Casemanager).await;
    cm.get(&path).await.assert(StatusCode::OK);
    for role in [Role::Peer] {
        let session = app.login_as(role).await;
        session.get(&path).await.assert(StatusCode::OK);
        session
            .post(&path, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    for role in [Role::Admin, Role::Municipality] {
        let session = app.login_as(role).await;
        session
            .get(&path)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
        session
            .post(&path, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let director = app.login_as(Role::ProcessDirector).await;
    director
        .get(&path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let other_team = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager] {
        let theirs = app.login_in_team(role, Some(other_team)).await;
        theirs
            .get(&path)
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        theirs
            .post(&path, body.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    assert_eq!(app.count("registration_events"), 1);

    let refused = record(&cm, client, body).await;
    let entries = trail(&app, client);
    assert!(
        entries
            .iter()
            .any(|e| e.event == "client.registration_event.create"
                && e.action == "C"
                && e.user_id == Some(cm.user_id))
    );
    cm.delete(&format!("{path}/{}", refused["id"]))
        .await
        .assert(StatusCode::NO_CONTENT);
    assert!(
        trail(&app, client)
            .iter()
            .any(|e| e.event == "client.registration_event.delete" && e.action == "D")
    );
}

async fn long_sessions() -> TestApp {
    spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await
}

#[tokio::test]
async fn the_latest_event_is_taken_back_by_its_recorder_or_a_coordinator_within_a_day() {
    let app = long_sessions().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let other_cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Scholekster").await;
    let applied = record(&cm, client, json!({"kind": "applied", "on": "2026-10-01"})).await;
    let granted = record(&cm, client, grant("2026-11-01", "R-9", "2027-11-01")).await;
    let path = events_path(client);

    cm.delete(&format!("{path}/{}", applied["id"]))
        .await
        .assert_error(StatusCode::CONFLICT, "not_latest");
    assert_eq!(history(&other_cm, client).await[0]["can_undo"], false);
    other_cm
        .delete(&format!("{path}/{}", granted["id"]))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    cm.delete(&format!("{path}/999999"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Her registration falls back to the application.
    cm.delete(&format!("{path}/{}", granted["id"]))
        .await
        .assert(StatusCode::NO_CONTENT);
    let her = file(&cm, client).await;
    assert_eq!(her["registration_status"], "applied");
    assert_eq!(her["registration_number"], Value::Null);

    let granted = record(&cm, client, grant("2026-11-01", "R-9", "2027-11-01")).await;
    app.clock.advance(TimeDelta::hours(24));
    assert_eq!(history(&coordinator, client).await[0]["can_undo"], true);
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(history(&coordinator, client).await[0]["can_undo"], false);
    coordinator
        .delete(&format!("{path}/{}", granted["id"]))
        .await
        .assert_error(StatusCode::CONFLICT, "too_late_to_undo");
    assert_eq!(file(&cm, client).await["registration_status"], "registered");

    // A coordinator may take back a casemanager's latest event, the only one left included.
    let other = cm.create_client("Zilverplevier").await;
    let only = record(&cm, other, json!({"kind": "applied", "on": "2026-11-20"})).await;
    coordinator
        .delete(&format!("{}/{}", events_path(other), only["id"]))
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(file(&cm, other).await["registration_status"], "none");
}

#[tokio::test]
async fn a_registration_at_intake_is_her_first_event() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let created = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Kemphaan", "region": "nijmegen", "intake_on": "2026-11-02",
                   "registration_status": "registered", "registration_number": "R-5",
                   "registration_expires_on": "2027-11-02"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    assert_eq!(created["registration_status"], "registered");
    assert_eq!(created["registration_date"], "2026-11-02");
    let events = history(&cm, client).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["kind"], "granted");
    assert_eq!(events[0]["on"], "2026-11-02");
    cm.post(
        "/api/v1/clients",
        json!({"alias": "Grutto", "region": "nijmegen", "registration_status": "registered",
               "registration_expires_on": "2027-11-02"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}
