//! Signals recorded in a few taps: defaults, every rule with its code, the trafficking
//! indicators of the team's checklist (which its coordinator edits), and a signal sent
//! again from the outbox recorded once.

use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

pub(crate) const SIGNALS: &str = "/api/v1/signals";

pub(crate) async fn send_signal(session: &Session, body: Value) -> Value {
    session
        .post(SIGNALS, body)
        .await
        .assert(StatusCode::CREATED)
}

/// A violent customer at the default location, tonight.
pub(crate) fn violence(app: &TestApp, text: &str) -> Value {
    json!({"kind": "dangerous_customer", "location_id": app.default_location(), "text": text})
}

pub(crate) async fn indicator_ids(session: &Session) -> Vec<i64> {
    session
        .get("/api/v1/signal-indicators")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_peer_records_a_signal_and_her_team_reads_it() {
    let app = spawn_app().await;
    let peer = app.login_as(Role::Peer).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let signal = send_signal(&peer, violence(&app, "Blauwe bestelbus, sloeg een vrouw")).await;
    assert_eq!(signal["kind"], "dangerous_customer");
    assert_eq!(signal["status"], "new");
    // Now, in Amsterdam's time: the tests' clock stands at 20:30 on 23 November.
    assert_eq!(signal["occurred_at"], "2026-11-23T20:30:00+01:00");
    assert_eq!(signal["location_id"], app.default_location());
    assert_eq!(signal["client_id"], Value::Null);
    assert_eq!(signal["recorded_by"], peer.user_id);
    assert_eq!(signal["handoffs"], json!([]));

    let listed = casemanager.get(SIGNALS).await.assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["text"], "Blauwe bestelbus, sloeg een vrouw");
    let id = signal["id"].as_i64().unwrap();
    let one = casemanager
        .get(&format!("{SIGNALS}/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        one["recorded_by_display_name"],
        signal["recorded_by_display_name"]
    );
    let filtered = casemanager
        .get(&format!("{SIGNALS}?status=closed"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(filtered, json!([]));

    // A new face, described, an hour earlier in wall time.
    let new_face = send_signal(
        &peer,
        json!({"kind": "new_face", "occurred_at": "2026-11-23T19:30", "description": "Jonge vrouw, rode jas, spreekt Engels"}),
    )
    .await;
    assert_eq!(new_face["occurred_at"], "2026-11-23T19:30:00+01:00");
    assert_eq!(new_face["location_id"], Value::Null);
    assert_eq!(new_face["text"], "");
}

#[tokio::test]
async fn every_rule_of_a_signal_has_its_code() {
    let app = spawn_app().await;
    let peer = app.login_as(Role::Peer).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Merel").await;
    let indicator = indicator_ids(&peer).await[0];
    let location = app.default_location();
    use StatusCode as S;
    for (body, status, code) in [
        (json!({"kind": "burglary"}), S::BAD_REQUEST, "bad_json"),
        (
            json!({"kind": "violence", "colour": "red"}),
            S::BAD_REQUEST,
            "bad_json",
        ),
        (
            json!({"kind": "violence", "occurred_at": "2026-11-23T21:00"}),
            S::UNPROCESSABLE_ENTITY,
            "occurred_at_in_future",
        ),
        (
            json!({"kind": "violence", "occurred_at": "2025-11-01T21:00"}),
            S::UNPROCESSABLE_ENTITY,
            "occurred_at_too_old",
        ),
        (
            json!({"kind": "violence", "occurred_at": "gisteren"}),
            S::UNPROCESSABLE_ENTITY,
            "bad_time",
        ),
        (
            json!({"kind": "violence", "indicator_ids": [indicator]}),
            S::UNPROCESSABLE_ENTITY,
            "indicators_not_allowed",
        ),
        (
            json!({"kind": "trafficking", "indicator_ids": [indicator + 1000]}),
            S::UNPROCESSABLE_ENTITY,
            "unknown_indicator",
        ),
        (
            json!({"kind": "new_face", "client_id": client, "description": "lang haar"}),
            S::UNPROCESSABLE_ENTITY,
            "client_or_description",
        ),
        (
            json!({"kind": "violence", "text": "x".repeat(1001)}),
            S::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"kind": "violence", "description": "x".repeat(301)}),
            S::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"kind": "violence", "shift_id": 999_999}),
            S::UNPROCESSABLE_ENTITY,
            "unknown_shift",
        ),
        (
            json!({"kind": "violence", "location_id": location, "text": "a\u{202E}b"}),
            S::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            json!({"kind": "violence", "client_id": 999_999}),
            S::NOT_FOUND,
            "not_found",
        ),
    ] {
        peer.post(SIGNALS, body).await.assert_error(status, code);
    }
    assert_eq!(app.count("signals"), 0);
    let client_signal = send_signal(
        &peer,
        json!({"kind": "health_concern", "client_id": client}),
    )
    .await;
    assert_eq!(client_signal["client_id"], client);

    for role in [Role::Admin, Role::Municipality, Role::ProcessDirector] {
        let outsider = app.login_as(role).await;
        outsider
            .post(SIGNALS, violence(&app, "auto"))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    app.anonymous()
        .post(SIGNALS, violence(&app, "auto"))
        .await
        .assert(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn trafficking_signs_tick_the_checklist_the_coordinator_keeps() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let checklist = casemanager
        .get("/api/v1/signal-indicators")
        .await
        .assert(StatusCode::OK);
    assert_eq!(checklist.as_array().unwrap().len(), 5);
    assert_eq!(checklist[1]["label"], "Ze wordt gebracht en gehaald");
    let ids = indicator_ids(&casemanager).await;

    let added = coordinator
        .post(
            "/api/v1/signal-indicators",
            json!({"label": "Ze heeft geen eigen telefoon"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(added["active"], true);
    let path = format!("/api/v1/signal-indicators/{}", ids[0]);
    coordinator
        .patch(&path, json!({"label": "Iemand houdt haar paspoort"}))
        .await
        .assert(StatusCode::OK);
    let signal = send_signal(
        &casemanager,
        json!({"kind": "trafficking", "indicator_ids": [ids[0], ids[1], ids[1]], "text": "Wordt om 23:00 opgehaald"}),
    )
    .await;
    let ticked: Vec<&str> = signal["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        ticked,
        ["Iemand houdt haar paspoort", "Ze wordt gebracht en gehaald"]
    );

    // Retired: no longer offered, not to be ticked, still on the signal it was ticked on.
    let retired = coordinator
        .patch(&path, json!({"active": false}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(retired["active"], false);
    assert!(!indicator_ids(&casemanager).await.contains(&ids[0]));
    let all = coordinator
        .get("/api/v1/signal-indicators?with_retired=true")
        .await
        .assert(StatusCode::OK);
    assert_eq!(all.as_array().unwrap().len(), 6);
    casemanager
        .post(
            SIGNALS,
            json!({"kind": "trafficking", "indicator_ids": [ids[0]]}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_indicator");
    let again = casemanager
        .get(&format!("{SIGNALS}/{}", signal["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(again["indicators"], signal["indicators"]);

    // Only the coordinator edits, and only her own team's list.
    casemanager
        .post("/api/v1/signal-indicators", json!({"label": "iets"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    coordinator
        .post("/api/v1/signal-indicators", json!({"label": "  "}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let other_team = app.create_team("Stapteam Arnhem");
    let stranger = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    stranger
        .patch(&path, json!({"active": true}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(indicator_ids(&stranger).await.len(), 5);
    stranger
        .post(
            SIGNALS,
            json!({"kind": "trafficking", "indicator_ids": [ids[1]]}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_indicator");
}

#[tokio::test]
async fn a_signal_sent_again_from_the_outbox_is_recorded_once() {
    let app = spawn_app().await;
    let peer = app.login_as(Role::Peer).await;
    let body = violence(&app, "Grijze Golf, kenteken begint met 12");
    let key = [("Idempotency-Key", "signal-7f3a")];
    let first = peer
        .send(Method::POST, SIGNALS, Some(body.clone()), &key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = peer
        .send(Method::POST, SIGNALS, Some(body.clone()), &key)
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(app.count("signals"), 1);
    assert_eq!(
        app.count("audit_log WHERE event = 'signal.create'"),
        1,
        "the replay is no second signal in the trail"
    );

    let other = violence(&app, "Iets anders");
    peer.send(Method::POST, SIGNALS, Some(other), &key)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    // The key is the phone's user's own: a colleague's same key is her own signal.
    let colleague = app.login_as(Role::Peer).await;
    let hers = colleague
        .send(Method::POST, SIGNALS, Some(body), &key)
        .await;
    assert_eq!(hers.status, StatusCode::CREATED);
    assert_ne!(hers.body["id"], first.body["id"]);
    peer.send(
        Method::POST,
        SIGNALS,
        Some(json!({"kind": "violence"})),
        &[("Idempotency-Key", "")],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_idempotency_key");
    assert_eq!(app.count("signals"), 2);
}
