//! The rota: templates made into shifts across daylight saving, editing single shifts,
//! signing up and withdrawing, the gap list, handover notes and shift reminders.

use chrono::{TimeDelta, TimeZone, Utc};
use inbeeld::app::followups::sweep;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app, spawn_app_with};

fn location(app: &TestApp, code: &str) -> i64 {
    app.db_read(|conn| inbeeld::db::queries::locations::find_by_code(conn, code))
        .id
}

async fn plan(coordinator: &Session, location: i64, starts: &str, ends: &str, min: i32) -> Value {
    coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": location, "starts_at": starts, "ends_at": ends, "min_staff": min}),
        )
        .await
        .assert(StatusCode::CREATED)
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().unwrap()
}

async fn shifts_between(session: &Session, from: &str, to: &str) -> Vec<Value> {
    session
        .get(&format!("/api/v1/shifts?from={from}&to={to}"))
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn templates_make_the_rota_across_both_daylight_saving_changes() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let (loods, cirkel) = (location(&app, "loods"), location(&app, "cirkel"));
    coordinator
        .post(
            "/api/v1/rota/templates",
            json!({"location_id": cirkel, "weekdays": [1, 2, 3, 4, 5], "starts": "20:00", "ends": "00:30", "min_staff": 2}),
        )
        .await
        .assert(StatusCode::CREATED);
    let saturday = coordinator
        .post(
            "/api/v1/rota/templates",
            json!({"location_id": loods, "weekdays": [6], "starts": "20:00", "ends": "02:00", "min_staff": 3}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(saturday["weekdays"], json!([6]));

    // The week of the March 2027 change (Sunday 28 March): the Saturday night loses an hour.
    let made = coordinator
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-03-22", "to": "2027-03-28"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(made, json!({"created": 6, "existing": 0}));
    let march = shifts_between(&coordinator, "2027-03-22", "2027-03-28").await;
    assert_eq!(march.len(), 6);
    let night = march.iter().find(|s| s["location_id"] == loods).unwrap();
    assert_eq!(night["starts_at"], "2027-03-27T20:00:00+01:00");
    // 02:00 does not exist that night: the shift ends at the first instant after the jump.
    assert_eq!(night["ends_at"], "2027-03-28T03:00:00+02:00");
    assert_eq!(night["duration_minutes"], 6 * 60);
    assert_eq!(night["min_staff"], 3);
    let monday = march.iter().find(|s| s["location_id"] == cirkel).unwrap();
    assert_eq!(monday["starts_at"], "2027-03-22T20:00:00+01:00");
    assert_eq!(monday["ends_at"], "2027-03-23T00:30:00+01:00");
    assert_eq!(monday["min_staff"], 2);

    // The October 2027 change (Sunday 31 October): the Saturday night gains an hour.
    coordinator
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-10-25", "to": "2027-10-31"}),
        )
        .await
        .assert(StatusCode::OK);
    let october = shifts_between(&coordinator, "2027-10-30", "2027-10-30").await;
    let night = october.iter().find(|s| s["location_id"] == loods).unwrap();
    assert_eq!(night["starts_at"], "2027-10-30T20:00:00+02:00");
    assert_eq!(night["ends_at"], "2027-10-31T02:00:00+01:00");
    assert_eq!(night["duration_minutes"], 7 * 60);

    // Edit single shifts: move one, cancel another. Generating again brings neither back.
    let moved = coordinator
        .patch(
            &format!("/api/v1/shifts/{}", id(monday)),
            json!({"starts_at": "2027-03-22T19:00", "ends_at": "2027-03-22T23:00", "min_staff": 1}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(moved["starts_at"], "2027-03-22T19:00:00+01:00");
    assert_eq!(moved["min_staff"], 1);
    let tuesday = march
        .iter()
        .find(|s| s["starts_at"] == "2027-03-23T20:00:00+01:00")
        .unwrap();
    let cancelled = coordinator
        .post(&format!("/api/v1/shifts/{}/cancel", id(tuesday)), json!({}))
        .await
        .assert(StatusCode::OK);
    assert!(cancelled["cancelled_at"].is_string());
    coordinator
        .patch(
            &format!("/api/v1/shifts/{}", id(tuesday)),
            json!({"starts_at": "2027-03-23T19:00", "ends_at": "2027-03-23T23:00"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_cancelled");
    let again = coordinator
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-03-15", "to": "2027-03-28"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(again, json!({"created": 6, "existing": 6}));
    assert_eq!(
        shifts_between(&coordinator, "2027-03-22", "2027-03-28")
            .await
            .len(),
        6
    );

    // A template switched off makes nothing more; shifts it made stay.
    coordinator
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/rota/templates/{}", id(&saturday)),
            Some(json!({"location_id": loods, "weekdays": [6], "starts": "20:00", "ends": "02:00", "min_staff": 3, "active": false})),
            &[],
        )
        .await
        .assert(StatusCode::OK);
    let off = coordinator
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-04-03", "to": "2027-04-04"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(off, json!({"created": 0, "existing": 0}));
}

#[tokio::test]
async fn nonsense_templates_and_periods_are_refused_and_only_the_coordinator_plans() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cirkel = app.default_location();
    for (body, code) in [
        (
            json!({"location_id": cirkel, "weekdays": [], "starts": "20:00", "ends": "00:30", "min_staff": 2}),
            "validation_failed",
        ),
        (
            json!({"location_id": cirkel, "weekdays": [8], "starts": "20:00", "ends": "00:30", "min_staff": 2}),
            "validation_failed",
        ),
        (
            json!({"location_id": cirkel, "weekdays": [1], "starts": "8 uur", "ends": "00:30", "min_staff": 2}),
            "bad_time",
        ),
        (
            json!({"location_id": cirkel, "weekdays": [1], "starts": "06:00", "ends": "23:00", "min_staff": 2}),
            "bad_shift_times",
        ),
        (
            json!({"location_id": cirkel, "weekdays": [1], "starts": "20:00", "ends": "00:30", "min_staff": 0}),
            "validation_failed",
        ),
        (
            json!({"location_id": 999, "weekdays": [1], "starts": "20:00", "ends": "00:30", "min_staff": 2}),
            "unknown_location",
        ),
    ] {
        coordinator
            .post("/api/v1/rota/templates", body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    coordinator
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-01-01", "to": "2028-06-30"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_range");
    let casemanager = app.login_as(Role::Casemanager).await;
    casemanager
        .post(
            "/api/v1/rota/templates",
            json!({"location_id": cirkel, "weekdays": [1], "starts": "20:00", "ends": "00:30", "min_staff": 2}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    casemanager
        .post(
            "/api/v1/rota/generate",
            json!({"from": "2027-01-01", "to": "2027-01-07"}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let municipality = app.login_as(Role::Municipality).await;
    municipality
        .get("/api/v1/rota/templates")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    municipality
        .get("/api/v1/rota/gaps")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

/// (shift id, staff missing) on the gap list for the week of the test clock.
async fn gaps(session: &Session) -> Vec<(i64, i64)> {
    session
        .get("/api/v1/rota/gaps?from=2026-11-23&to=2026-11-29")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["shift"]["id"].as_i64().unwrap(),
                g["missing"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn staff_sign_up_and_withdraw_and_the_gap_list_shows_what_is_missing() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let first = app.login_as(Role::Casemanager).await;
    let second = app.login_as(Role::Peer).await;
    let cirkel = app.default_location();
    // The clock stands at Monday 23 November 2026, 20:30.
    let tomorrow = plan(
        &coordinator,
        cirkel,
        "2026-11-24T20:00",
        "2026-11-25T00:30",
        2,
    )
    .await;
    let thursday = plan(
        &coordinator,
        cirkel,
        "2026-11-26T20:00",
        "2026-11-27T00:30",
        1,
    )
    .await;
    let tonight = plan(
        &coordinator,
        cirkel,
        "2026-11-23T20:00",
        "2026-11-24T00:30",
        2,
    )
    .await;
    // Tonight has started but is still short: someone can still come and check in.
    let (t, tue, thu) = (id(&tonight), id(&tomorrow), id(&thursday));
    assert_eq!(gaps(&first).await, vec![(t, 2), (tue, 2), (thu, 1)]);

    let signed = first
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(signed["staff"][0]["user_id"], first.user_id);
    assert_eq!(gaps(&second).await, vec![(t, 2), (tue, 1), (thu, 1)]);
    second
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(gaps(&second).await, vec![(t, 2), (thu, 1)]);
    // Signing up twice is harmless.
    let twice = second
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(twice["staff"].as_array().unwrap().len(), 2);

    let withdrawn = second
        .delete(&format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)))
        .await
        .assert(StatusCode::OK);
    assert_eq!(withdrawn["staff"].as_array().unwrap().len(), 1);
    assert_eq!(gaps(&second).await, vec![(t, 2), (tue, 1), (thu, 1)]);
    second
        .delete(&format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // A cancelled shift is no gap and takes no sign-ups.
    coordinator
        .post(
            &format!("/api/v1/shifts/{}/cancel", id(&thursday)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(gaps(&second).await, vec![(t, 2), (tue, 1)]);
    second
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&thursday)),
            json!({}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_cancelled");
    second
        .post(
            &format!("/api/v1/shifts/{}/check-in", id(&thursday)),
            json!({}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_cancelled");

    // Once a shift has started: check in, not sign up; no withdrawing.
    second
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&tonight)),
            json!({}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_started");
    coordinator
        .post(
            &format!("/api/v1/shifts/{}/staff", id(&tonight)),
            json!({"user_id": second.user_id}),
        )
        .await
        .assert(StatusCode::OK);
    second
        .delete(&format!("/api/v1/shifts/{}/sign-up", id(&tonight)))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_started");

    // Another team's shift does not exist for us.
    let other_team = app.create_team("Arnhem");
    let stranger = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    stranger
        .post(
            &format!("/api/v1/shifts/{}/sign-up", id(&tomorrow)),
            json!({}),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        stranger
            .get("/api/v1/rota/gaps?from=2026-11-23&to=2026-11-29")
            .await
            .assert(StatusCode::OK),
        json!([])
    );
}

#[tokio::test]
async fn a_handover_note_reaches_the_next_shift_at_the_same_location() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let worker = app.login_as(Role::Casemanager).await;
    let bystander = app.login_as(Role::Casemanager).await;
    let (loods, cirkel) = (location(&app, "loods"), location(&app, "cirkel"));
    let monday = plan(
        &coordinator,
        cirkel,
        "2026-11-23T20:00",
        "2026-11-24T00:30",
        1,
    )
    .await;
    let loods_monday = plan(
        &coordinator,
        loods,
        "2026-11-23T21:00",
        "2026-11-24T02:00",
        1,
    )
    .await;
    let tuesday = plan(
        &coordinator,
        cirkel,
        "2026-11-24T20:00",
        "2026-11-25T00:30",
        1,
    )
    .await;
    worker
        .post(
            &format!("/api/v1/shifts/{}/check-in", id(&monday)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);

    let note = "Merel vroeg naar de huisarts; morgen even nabellen.";
    let written = worker
        .put(
            &format!("/api/v1/shifts/{}/handover", id(&monday)),
            json!({"note": note}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(written["own"]["note"], note);
    bystander
        .put(
            &format!("/api/v1/shifts/{}/handover", id(&monday)),
            json!({"note": "not mine to write"}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    worker
        .put(
            &format!("/api/v1/shifts/{}/handover", id(&monday)),
            json!({"note": "x".repeat(2001)}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let next = bystander
        .get(&format!("/api/v1/shifts/{}/handover", id(&tuesday)))
        .await
        .assert(StatusCode::OK);
    assert_eq!(next["previous"]["note"], note);
    assert_eq!(next["previous"]["shift_id"], id(&monday));
    assert!(next["own"].is_null());
    // The Loods has its own handover; a note at De Cirkel is not for it.
    let elsewhere = bystander
        .get(&format!("/api/v1/shifts/{}/handover", id(&loods_monday)))
        .await
        .assert(StatusCode::OK);
    assert!(elsewhere["previous"].is_null());
    // Reading and writing a note, which may name a client, are in the audit trail.
    assert_eq!(
        app.count("audit_log WHERE event = 'shift.handover.write'"),
        1
    );
    assert_eq!(
        app.count("audit_log WHERE event = 'shift.handover.read'"),
        2
    );
    // A month after its shift the note is cleared: it may name a client.
    let clear = || inbeeld::jobs::retention::clear_old_handover_notes(&app.state);
    app.clock.advance(TimeDelta::days(30));
    assert_eq!(
        clear().await.unwrap(),
        0,
        "Monday's shift ended less than 30 days ago"
    );
    app.clock.advance(TimeDelta::hours(5));
    assert_eq!(clear().await.unwrap(), 1);
    assert_eq!(app.count("shifts WHERE handover_note IS NOT NULL"), 0);
    let municipality = app.login_as(Role::Municipality).await;
    municipality
        .get(&format!("/api/v1/shifts/{}/handover", id(&tuesday)))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn staff_are_reminded_once_before_their_shift() {
    let app = spawn_app_with(|s| s.shift_reminder_minutes = 120).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let first = app.login_as(Role::Casemanager).await;
    let second = app.login_as(Role::Peer).await;
    let cirkel = app.default_location();
    // Tuesday 24 November 20:00 local is 19:00 UTC.
    let tuesday = plan(
        &coordinator,
        cirkel,
        "2026-11-24T20:00",
        "2026-11-25T00:30",
        2,
    )
    .await;
    let wednesday = plan(
        &coordinator,
        cirkel,
        "2026-11-25T20:00",
        "2026-11-26T00:30",
        2,
    )
    .await;
    for shift in [&tuesday, &wednesday] {
        for worker in [&first, &second] {
            worker
                .post(&format!("/api/v1/shifts/{}/sign-up", id(shift)), json!({}))
                .await
                .assert(StatusCode::OK);
        }
    }
    coordinator
        .post(
            &format!("/api/v1/shifts/{}/cancel", id(&wednesday)),
            json!({}),
        )
        .await
        .assert(StatusCode::OK);
    let reminders = || app.count("notifications WHERE kind = 'shift_reminder'");

    let advance_to =
        |at: chrono::DateTime<Utc>| app.clock.advance(at.naive_utc() - app.clock.now());
    advance_to(Utc.with_ymd_and_hms(2026, 11, 24, 16, 59, 0).unwrap());
    assert_eq!(sweep::run(&app.state).await.unwrap().shift_reminders, 0);
    app.clock.advance(TimeDelta::minutes(1));
    let report = sweep::run(&app.state).await.unwrap();
    assert_eq!(report.shift_reminders, 2);
    assert_eq!(
        app.count(&format!(
            "notifications WHERE kind = 'shift_reminder' AND user_id IN ({}, {})",
            first.user_id, second.user_id
        )),
        2
    );
    app.clock.advance(TimeDelta::minutes(15));
    assert_eq!(sweep::run(&app.state).await.unwrap().shift_reminders, 0);

    // Moved to later the same evening: a new start, a new reminder when it comes near.
    let coordinator = app.sign_in(&coordinator.username).await;
    coordinator
        .patch(
            &format!("/api/v1/shifts/{}", id(&tuesday)),
            json!({"starts_at": "2026-11-24T21:00", "ends_at": "2026-11-25T01:00"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(sweep::run(&app.state).await.unwrap().shift_reminders, 0);
    app.clock.advance(TimeDelta::minutes(45));
    assert_eq!(sweep::run(&app.state).await.unwrap().shift_reminders, 2);
    // The cancelled Wednesday never reminds anyone.
    advance_to(Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap());
    assert_eq!(sweep::run(&app.state).await.unwrap().shift_reminders, 0);
    assert_eq!(reminders(), 4);
}
