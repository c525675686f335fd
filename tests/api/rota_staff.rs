//! Who is on a shift: signing up and withdrawing, the gap list, handover notes from one
//! shift to the next, and shift reminders. Templates and planning: `rota`.

use chrono::{TimeDelta, TimeZone, Utc};
use inbeeld::app::followups::sweep;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Session, spawn_app, spawn_app_with};
use crate::rota::{id, location, plan};

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
