//! A signal sent as a warning: an urgent push at once to everyone else on tonight's
//! shifts (inside their quiet hours too) and to the coordinator (after hers), once per
//! person and device; nothing of its text in the payload; Vanavond lists tonight's
//! warnings until the last shift ends.

use std::time::Duration;

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep};
use crate::helpers::{Session, TestApp};
use crate::push::register;
use crate::push_service::PushService;

/// Waits (without blocking the server, which runs on this test's runtime) until the
/// stand-in has received `count` messages, then a moment more to catch any extra one.
async fn delivered(service: &PushService, count: usize) -> Vec<crate::push_service::Delivered> {
    for _ in 0..500 {
        if service.delivered().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    service.delivered()
}

async fn quiet_from_eight_to_eight(session: &Session) {
    session
        .send(
            Method::PUT,
            "/api/v1/me/quiet-hours",
            Some(json!({"start": "20:00", "end": "08:00"})),
            &[],
        )
        .await
        .assert(StatusCode::OK);
}

/// Tonight's shift at the default location, 20:00 to 00:30 (the tests' now is 20:30).
async fn tonight(app: &TestApp, coordinator: &Session, staff: &[&Session]) -> i64 {
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": app.default_location(),
                   "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    for member in staff {
        coordinator
            .post(
                &format!("/api/v1/shifts/{shift}/staff"),
                json!({"user_id": member.user_id}),
            )
            .await
            .assert(StatusCode::OK);
    }
    shift
}

fn warning(text: &str) -> Value {
    json!({"kind": "dangerous_customer", "text": text, "warning": true})
}

#[tokio::test]
async fn a_warning_reaches_everyone_on_shift_once_inside_quiet_hours() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let sender = app.login_as(Role::Peer).await;
    let rostered = app.login_as(Role::Casemanager).await;
    let walk_in = app.login_as(Role::Casemanager).await;
    let gone_home = app.login_as(Role::Peer).await;
    let off_shift = app.login_as(Role::Casemanager).await;
    let shift = tonight(&app, &coordinator, &[&sender, &rostered, &gone_home]).await;
    for checking_in in [&sender, &walk_in, &gone_home] {
        checking_in
            .post(&format!("/api/v1/shifts/{shift}/check-in"), json!({}))
            .await
            .assert(StatusCode::OK);
    }
    gone_home
        .post(&format!("/api/v1/shifts/{shift}/check-out"), json!({}))
        .await
        .assert(StatusCode::OK);
    for (session, devices) in [
        (&coordinator, &["coordinator"][..]),
        (&sender, &["sender"]),
        (&rostered, &["rostered-phone", "rostered-tablet"]),
        (&walk_in, &["walk-in"]),
        (&gone_home, &["gone-home"]),
        (&off_shift, &["off-shift"]),
    ] {
        quiet_from_eight_to_eight(session).await;
        for device in devices {
            register(session, &service, &service.device(device)).await;
        }
    }

    let body = warning("Rode Opel, steeds rondjes");
    let sent = sender
        .send(
            Method::POST,
            "/api/v1/signals",
            Some(body.clone()),
            &[("Idempotency-Key", "warning-1")],
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(sent["warning"], true);
    // The phone's outbox sends it again: nobody hears of it twice.
    sender
        .send(
            Method::POST,
            "/api/v1/signals",
            Some(body),
            &[("Idempotency-Key", "warning-1")],
        )
        .await
        .assert(StatusCode::CREATED);

    let mut devices: Vec<String> = delivered(&service, 3)
        .await
        .into_iter()
        .map(|message| {
            assert_eq!(message.payload["body"], "Waarschuwing: open InBeeld");
            assert_eq!(message.payload["url"], "/#/vanavond");
            assert_eq!(message.urgency.as_deref(), Some("high"));
            assert!(!message.payload.to_string().contains("Opel"));
            message.device
        })
        .collect();
    devices.sort();
    assert_eq!(
        devices,
        ["rostered-phone", "rostered-tablet", "walk-in"],
        "everyone on shift but the sender, inside quiet hours, once per device"
    );

    // The coordinator is not on shift: hers waits for her quiet hours to end.
    app.clock.advance(TimeDelta::minutes(11 * 60 + 31));
    sweep(&app).await;
    sweep(&app).await;
    let after_night = delivered(&service, 4).await;
    assert_eq!(after_night.len(), 4);
    assert_eq!(after_night[3].device, "coordinator");
}

#[tokio::test]
async fn vanavond_lists_tonights_warnings_until_the_last_shift_ends() {
    let app = spawn_app_for_weeks().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    tonight(&app, &coordinator, &[&peer]).await;
    peer.post("/api/v1/signals", warning("Witte bus zonder ramen"))
        .await
        .assert(StatusCode::CREATED);
    peer.post(
        "/api/v1/signals",
        json!({"kind": "new_face", "text": "Nieuwe vrouw bij de Loods"}),
    )
    .await
    .assert(StatusCode::CREATED);

    let listed = casemanager
        .get("/api/v1/signals/warnings")
        .await
        .assert(StatusCode::OK);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["kind"], "dangerous_customer");
    assert_eq!(listed[0]["text"], "Witte bus zonder ramen");

    let elsewhere = app.create_team("Stapteam Arnhem");
    let other_team = app.login_in_team(Role::Casemanager, Some(elsewhere)).await;
    assert_eq!(
        other_team
            .get("/api/v1/signals/warnings")
            .await
            .assert(StatusCode::OK),
        json!([])
    );
    for role in [Role::Municipality, Role::ProcessDirector] {
        app.login_as(role)
            .await
            .get("/api/v1/signals/warnings")
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }

    // 00:29 the shift is still on; at 00:30 it has ended, and so has the warning.
    app.clock.advance(TimeDelta::minutes(3 * 60 + 59));
    let late = app.sign_in(&casemanager.username).await;
    let still = late
        .get("/api/v1/signals/warnings")
        .await
        .assert(StatusCode::OK);
    assert_eq!(still.as_array().unwrap().len(), 1);
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(
        late.get("/api/v1/signals/warnings")
            .await
            .assert(StatusCode::OK),
        json!([])
    );
}

#[tokio::test]
async fn only_violence_or_a_dangerous_customer_is_a_warning() {
    let app = spawn_app_for_weeks().await;
    let peer = app.login_as(Role::Peer).await;
    peer.post(
        "/api/v1/signals",
        json!({"kind": "new_face", "text": "Onbekende vrouw", "warning": true}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "warning_not_for_kind");
    assert_eq!(app.count("signals"), 0);
    let violence = peer
        .post(
            "/api/v1/signals",
            json!({"kind": "violence", "text": "Ruzie bij de Loods", "warning": true}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(violence["warning"], true);
    // With nobody on shift tonight it shows on Vanavond for the rest of the evening.
    let listed = peer
        .get("/api/v1/signals/warnings")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
}
