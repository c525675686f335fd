//! The personal calendar feed, read back by an independent iCalendar parser.

use chrono::{DateTime, TimeZone, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Session, TestApp, spawn_app};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn instant(value: Option<DatePerhapsTime>) -> DateTime<Utc> {
    match value {
        Some(DatePerhapsTime::DateTime(at)) => at.try_into_utc().unwrap(),
        other => panic!("not a date-time: {other:?}"),
    }
}

/// Downloads the feed at `url` without any cookie, as a calendar app would.
async fn fetch(app: &TestApp, url: &str) -> (StatusCode, String) {
    let path = url.split_once("/api/v1/").unwrap().1;
    let response = reqwest::get(format!("{}/api/v1/{path}", app.address))
        .await
        .unwrap();
    let status = response.status();
    if status == StatusCode::OK {
        assert_eq!(
            response.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
    }
    (status, response.text().await.unwrap())
}

async fn new_feed(worker: &Session) -> String {
    let feed = worker
        .post("/api/v1/me/calendar", json!({}))
        .await
        .assert(StatusCode::CREATED);
    let url = feed["url"].as_str().unwrap().to_owned();
    assert!(
        feed["webcal_url"]
            .as_str()
            .unwrap()
            .starts_with("webcal://")
    );
    url
}

#[tokio::test]
async fn my_shifts_reach_my_phone_calendar_at_a_secret_revocable_address() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let worker = app.login_as(Role::Casemanager).await;
    let colleague = app.login_as(Role::Casemanager).await;
    worker.create_client("Merel").await;
    let cirkel = app.default_location();
    let mut planned = Vec::new();
    // The night of the October change (7 hours), an ordinary evening, the night of the
    // March change (5 hours), and an evening that gets cancelled.
    for (starts, ends) in [
        ("2026-10-24T20:00", "2026-10-25T02:00"),
        ("2026-12-01T20:00", "2026-12-02T00:30"),
        ("2027-03-27T20:00", "2027-03-28T04:00"),
        ("2026-12-03T20:00", "2026-12-04T00:30"),
    ] {
        let shift = coordinator
            .post(
                "/api/v1/shifts",
                json!({"location_id": cirkel, "starts_at": starts, "ends_at": ends}),
            )
            .await
            .assert(StatusCode::CREATED);
        let id = shift["id"].as_i64().unwrap();
        coordinator
            .post(
                &format!("/api/v1/shifts/{id}/staff"),
                json!({"user_id": worker.user_id}),
            )
            .await
            .assert(StatusCode::OK);
        planned.push(id);
    }
    coordinator
        .post(&format!("/api/v1/shifts/{}/cancel", planned[3]), json!({}))
        .await
        .assert(StatusCode::OK);
    // A colleague's shift is not in my feed.
    let theirs = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": cirkel, "starts_at": "2026-12-05T20:00", "ends_at": "2026-12-06T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED);
    coordinator
        .post(
            &format!("/api/v1/shifts/{}/staff", theirs["id"]),
            json!({"user_id": colleague.user_id}),
        )
        .await
        .assert(StatusCode::OK);

    let status = worker
        .get("/api/v1/me/calendar")
        .await
        .assert(StatusCode::OK);
    assert_eq!(status["active"], false);
    let url = new_feed(&worker).await;
    let (code, text) = fetch(&app, &url).await;
    assert_eq!(code, StatusCode::OK);
    assert!(!text.contains("Merel"));
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"));

    let calendar: Calendar = text.parse().unwrap();
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 4);
    let event = |id: i64| {
        events
            .iter()
            .find(|e| e.get_uid() == Some(&format!("shift-{id}@inbeeld")))
            .unwrap()
    };
    let expected = [
        (utc(2026, 10, 24, 18, 0), utc(2026, 10, 25, 1, 0)),
        (utc(2026, 12, 1, 19, 0), utc(2026, 12, 1, 23, 30)),
        (utc(2027, 3, 27, 19, 0), utc(2027, 3, 28, 2, 0)),
        (utc(2026, 12, 3, 19, 0), utc(2026, 12, 3, 23, 30)),
    ];
    for (id, (starts, ends)) in planned.iter().zip(expected) {
        let e = event(*id);
        assert_eq!(instant(e.get_start()), starts, "start of {id}");
        assert_eq!(instant(e.get_end()), ends, "end of {id}");
        assert_eq!(e.get_summary(), Some("Dienst Huiskamer De Cirkel"));
    }
    // Ordinary times are local with the zone, as the phone shows them.
    assert_eq!(
        event(planned[1]).get_start(),
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone {
            date_time: "2026-12-01T20:00:00".parse().unwrap(),
            tzid: "Europe/Amsterdam".into(),
        }))
    );
    assert_eq!(
        event(planned[3]).property_value("STATUS"),
        Some("CANCELLED")
    );
    assert_eq!(
        event(planned[1]).property_value("STATUS"),
        Some("CONFIRMED")
    );

    // A new address replaces the old one; revoking ends it.
    let replaced = new_feed(&worker).await;
    assert_ne!(replaced, url);
    assert_eq!(fetch(&app, &url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&app, &replaced).await.0, StatusCode::OK);
    // Only a hash of the secret is stored.
    let secret = replaced
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics");
    assert_eq!(app.count("calendar_feeds"), 1);
    assert_eq!(
        app.count(&format!("calendar_feeds WHERE token_hash = '{secret}'")),
        0
    );
    worker
        .delete("/api/v1/me/calendar")
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(fetch(&app, &replaced).await.0, StatusCode::NOT_FOUND);
    let status = worker
        .get("/api/v1/me/calendar")
        .await
        .assert(StatusCode::OK);
    assert_eq!(status["active"], false);
}
