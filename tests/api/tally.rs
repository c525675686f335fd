//! Tonight's tally: counts per client here and team-wide, anonymous visitors, and one's own
//! contacts tonight with their correction window.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

/// Tonight's evening shift at the default location (20:00-02:00; it is 20:30 now).
async fn shift_tonight(app: &TestApp) -> i64 {
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": app.default_location(), "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T02:00"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn tap(who: &Session, body: Value) -> i64 {
    who.post("/api/v1/contacts", body)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

fn count_of(tonight: &Value, client: i64) -> (i64, i64) {
    tonight["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == client)
        .map(|c| (c["here"].as_i64().unwrap(), c["team"].as_i64().unwrap()))
        .unwrap_or((0, 0))
}

#[tokio::test]
async fn tonight_counts_here_and_team_wide_and_lists_my_own_taps() {
    let app = spawn_app().await;
    let shift = shift_tonight(&app).await;
    let me = app.login_as(Role::Peer).await;
    let colleague = app.login_as(Role::Casemanager).await;
    let merel = colleague.create_client("Merel").await;
    let elsewhere = app.db_read(|conn| {
        use diesel::prelude::*;
        use inbeeld::db::schema::locations;
        locations::table
            .filter(locations::id.ne(app.default_location()))
            .select(locations::id)
            .first::<i64>(conn)
    });

    let mine = tap(&me, json!({"client_id": merel, "shift_id": shift})).await;
    tap(&colleague, json!({"client_id": merel, "shift_id": shift})).await;
    tap(
        &colleague,
        json!({"client_id": merel, "location_id": elsewhere}),
    )
    .await;
    tap(&me, json!({"anonymous_count": 2, "shift_id": shift})).await;
    // Last night's contact is not tonight's.
    tap(
        &me,
        json!({"client_id": merel, "shift_id": shift, "seen_at": "2026-11-22T23:00"}),
    )
    .await;

    let tonight = me
        .get(&format!("/api/v1/contacts/tonight?shift_id={shift}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(count_of(&tonight, merel), (2, 3));
    assert_eq!(tonight["anonymous"], json!({"here": 2, "team": 2}));
    assert_eq!(tonight["from"], "2026-11-23T12:00:00+01:00");
    assert_eq!(tonight["to"], "2026-11-24T12:00:00+01:00");
    let own = tonight["mine"].as_array().unwrap();
    assert_eq!(own.len(), 2, "{own:?}");
    assert_eq!(own[0]["anonymous_count"], 2);
    assert_eq!(own[1]["id"], mine);
    assert_eq!(own[1]["correctable_until"], "2026-11-24T20:30:00+01:00");

    // Seen from the other place, without a shift.
    let there = colleague
        .get(&format!("/api/v1/contacts/tonight?location_id={elsewhere}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(count_of(&there, merel), (1, 3));
    assert_eq!(there["mine"].as_array().unwrap().len(), 2);

    // After midnight it is still the same evening.
    app.clock.advance(chrono::TimeDelta::hours(5));
    let late = me
        .get(&format!("/api/v1/contacts/tonight?shift_id={shift}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(count_of(&late, merel), (2, 3));
    // The next afternoon a new evening has begun.
    app.clock.advance(chrono::TimeDelta::hours(12));
    let me = app.sign_in(&me.username).await;
    let next = me
        .get(&format!("/api/v1/contacts/tonight?shift_id={shift}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(next["clients"], json!([]));
}

#[tokio::test]
async fn tonight_is_for_the_field_of_the_own_team_and_is_audit_logged() {
    let app = spawn_app().await;
    let shift = shift_tonight(&app).await;
    let peer = app.login_as(Role::Peer).await;
    let path = format!("/api/v1/contacts/tonight?shift_id={shift}");
    let before = app.count("audit_log WHERE event = 'contacts.tonight.read'");
    peer.get(&path).await.assert(StatusCode::OK);
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE event = 'contacts.tonight.read' AND user_id = {} \
             AND action = 'E' AND outcome = 'success'",
            peer.user_id
        )),
        before + 1
    );

    for role in [Role::Municipality, Role::ProcessDirector, Role::Admin] {
        let outsider = app.login_as(role).await;
        let reply = outsider.get(&path).await;
        assert!(
            matches!(reply.status, StatusCode::FORBIDDEN),
            "{role:?}: {}",
            reply.status
        );
    }

    let other_team = app.create_team("Elders");
    let stranger = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    stranger
        .get(&path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    for bad in [
        "/api/v1/contacts/tonight",
        "/api/v1/contacts/tonight?shift_id=1&location_id=1",
    ] {
        peer.get(bad)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "shift_or_location");
    }
    peer.get("/api/v1/contacts/tonight?shift_id=zes")
        .await
        .assert(StatusCode::BAD_REQUEST);
}
