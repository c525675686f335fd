//! The rota: templates made into shifts across daylight saving, editing single shifts, and
//! what is refused. Who is on the shifts: `rota_staff`.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

pub(crate) fn location(app: &TestApp, code: &str) -> i64 {
    app.db_read(|conn| inbeeld::db::queries::locations::find_by_code(conn, code))
        .id
}

pub(crate) async fn plan(
    coordinator: &Session,
    location: i64,
    starts: &str,
    ends: &str,
    min: i32,
) -> Value {
    coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": location, "starts_at": starts, "ends_at": ends, "min_staff": min}),
        )
        .await
        .assert(StatusCode::CREATED)
}

pub(crate) fn id(value: &Value) -> i64 {
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
