//! Shifts in local time: across midnight, across daylight saving, check-in and check-out.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn an_evening_shift_over_the_october_change_lasts_seven_hours() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let loods = {
        let locations = coordinator
            .get("/api/v1/locations")
            .await
            .assert(StatusCode::OK);
        locations
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["code"] == "loods")
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": loods, "starts_at": "2026-10-24T20:00", "ends_at": "2026-10-25T02:00"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(shift["starts_at"], "2026-10-24T20:00:00+02:00");
    assert_eq!(shift["ends_at"], "2026-10-25T02:00:00+01:00");
    assert_eq!(shift["duration_minutes"], 7 * 60);

    // Listed under the local date it starts on, and under the day it ends on.
    for day in ["2026-10-24", "2026-10-25"] {
        let listed = coordinator
            .get(&format!("/api/v1/shifts?from={day}&to={day}"))
            .await
            .assert(StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 1, "{day}");
    }
    let before = coordinator
        .get("/api/v1/shifts?from=2026-10-23&to=2026-10-23")
        .await
        .assert(StatusCode::OK);
    assert_eq!(before, json!([]));
}

#[tokio::test]
async fn the_march_change_shortens_a_night_and_skipped_times_are_refused() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cirkel = app.default_location();
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": cirkel, "starts_at": "2026-03-28T20:00", "ends_at": "2026-03-29T04:00"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(shift["duration_minutes"], 7 * 60);
    coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": cirkel, "starts_at": "2026-03-28T20:00", "ends_at": "2026-03-29T02:30"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_time");
}

#[tokio::test]
async fn impossible_shifts_are_refused() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cirkel = app.default_location();
    for (starts, ends) in [
        ("2026-11-23T20:00", "2026-11-23T19:00"),
        ("2026-11-23T20:00", "2026-11-23T20:00"),
        ("2026-11-23T20:00", "2026-11-25T02:00"),
    ] {
        coordinator
            .post(
                "/api/v1/shifts",
                json!({"location_id": cirkel, "starts_at": starts, "ends_at": ends}),
            )
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_shift_times");
    }
    coordinator
        .post("/api/v1/shifts", json!({"location_id": 9999, "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_location");
    assert_eq!(app.count("shifts"), 0);
}

/// A shift in year 0, -1, 9999 or 10000 is nobody's evening, and its local time with
/// offset is not valid RFC 3339 (offsets such as `+00:18`, years such as `+10000`):
/// instants a request carries lie between 2000 and 2100.
#[tokio::test]
async fn a_shift_in_an_implausible_year_is_refused() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cirkel = app.default_location();
    for (starts, ends) in [
        ("0000-11-23T20:00", "0000-11-24T00:30"),
        ("-0001-11-23T20:00", "-0001-11-24T00:30"),
        ("9999-11-23T20:00", "9999-11-24T00:30"),
        ("+10000-11-23T20:00:00+01:00", "+10000-11-24T00:30:00+01:00"),
        ("1999-12-31T20:00", "2000-01-01T00:30"),
    ] {
        coordinator
            .post(
                "/api/v1/shifts",
                json!({"location_id": cirkel, "starts_at": starts, "ends_at": ends}),
            )
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_time");
    }
    assert_eq!(app.count("shifts"), 0);
}

#[tokio::test]
async fn staff_check_in_and_out_of_tonights_shift() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let cirkel = app.default_location();
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": cirkel, "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let with_staff = coordinator
        .post(
            &format!("/api/v1/shifts/{shift}/staff"),
            json!({"user_id": peer.user_id}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(with_staff["staff"][0]["user_id"], peer.user_id);

    peer.post(&format!("/api/v1/shifts/{shift}/check-out"), json!({}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_checked_in");
    let checked_in = peer
        .post(&format!("/api/v1/shifts/{shift}/check-in"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        checked_in["staff"][0]["checked_in_at"],
        "2026-11-23T20:30:00+01:00"
    );

    // A contact at the shift takes the shift's location.
    let contact = peer
        .post(
            "/api/v1/contacts",
            json!({"anonymous_count": 2, "shift_id": shift}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(contact["location_id"], cirkel);
    let at_shift = peer
        .get(&format!("/api/v1/shifts/{shift}/contacts"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(at_shift.as_array().unwrap().len(), 1);

    app.clock.advance(TimeDelta::hours(4));
    let checked_out = peer
        .post(&format!("/api/v1/shifts/{shift}/check-out"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        checked_out["staff"][0]["checked_out_at"],
        "2026-11-24T00:30:00+01:00"
    );

    // A casemanager who was not on the rota but came anyway is added on check-in.
    let walk_in = app.login_as(Role::Casemanager).await;
    let shift_now = walk_in
        .post(&format!("/api/v1/shifts/{shift}/check-in"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(shift_now["staff"].as_array().unwrap().len(), 2);

    // The next morning check-in is closed.
    app.clock.advance(TimeDelta::hours(10));
    let late = app.sign_in(&walk_in.username).await;
    late.post(&format!("/api/v1/shifts/{shift}/check-in"), json!({}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_not_now");
}

#[tokio::test]
async fn only_team_members_are_put_on_shifts() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let other_team = app.create_team("Stapteam Arnhem");
    let (stranger, _) = app.create_user(Role::Casemanager, Some(other_team));
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": app.default_location(), "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coordinator
        .post(
            &format!("/api/v1/shifts/{shift}/staff"),
            json!({"user_id": stranger}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_a_team_member");
    coordinator
        .delete(&format!("/api/v1/shifts/{shift}/staff/{stranger}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
