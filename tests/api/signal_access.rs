//! Who reaches which signal: the team records and reads its own, the coordinator triages
//! and records hand-offs, the process director reads those about clients escalated to
//! her (a follow-up or a stagnation), the municipality only counts, another team gets a
//! 404; each read and change in the audit trail, never with the signal's text.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::helpers::{Session, spawn_app};
use crate::signals::{SIGNALS, send_signal, violence};

async fn escalate(coordinator: &Session, client: i64) {
    let followup = coordinator
        .post(
            "/api/v1/followups",
            json!({"client_id": client, "due_at": "2026-11-25T10:00", "note": "woning"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coordinator
        .post(
            &format!("/api/v1/followups/{followup}/escalate"),
            json!({"reason": "Geen woonplek"}),
        )
        .await
        .assert(StatusCode::OK);
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn each_role_reaches_the_signals_it_needs_and_no_others() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let peer = app.login_as(Role::Peer).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let escalated = coordinator.create_client("Kwartel").await;
    let quiet = coordinator.create_client("Patrijs").await;
    escalate(&coordinator, escalated).await;
    let about_escalated = send_signal(&peer, json!({"kind": "violence", "client_id": escalated}))
        .await["id"]
        .as_i64()
        .unwrap();
    let about_quiet = send_signal(
        &casemanager,
        json!({"kind": "health_concern", "client_id": quiet}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let unknown_woman = send_signal(&peer, violence(&app, "Witte auto")).await["id"]
        .as_i64()
        .unwrap();

    for reader in [&coordinator, &casemanager, &peer] {
        let list = reader.get(SIGNALS).await.assert(StatusCode::OK);
        assert_eq!(ids(&list), [unknown_woman, about_quiet, about_escalated]);
        for id in [about_escalated, about_quiet, unknown_woman] {
            reader
                .get(&format!("{SIGNALS}/{id}"))
                .await
                .assert(StatusCode::OK);
        }
    }
    let list = director.get(SIGNALS).await.assert(StatusCode::OK);
    assert_eq!(ids(&list), [about_escalated]);
    director
        .get(&format!("{SIGNALS}/{about_escalated}"))
        .await
        .assert(StatusCode::OK);
    for id in [about_quiet, unknown_woman] {
        director
            .get(&format!("{SIGNALS}/{id}"))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let her_file = director
        .get(&format!("/api/v1/clients/{escalated}/signals"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(ids(&her_file), [about_escalated]);
    director
        .get(&format!("/api/v1/clients/{quiet}/signals"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The municipality and the administrator read no signal; they are counted for her.
    for role in [Role::Municipality, Role::Admin] {
        let outsider = app.login_as(role).await;
        outsider
            .get(SIGNALS)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
        outsider
            .get(&format!("{SIGNALS}/{unknown_woman}"))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }

    // Another team: nothing, as if none existed; its refusals in the trail.
    let other_team = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager, Role::Peer] {
        let stranger = app.login_in_team(role, Some(other_team)).await;
        assert_eq!(
            stranger.get(SIGNALS).await.assert(StatusCode::OK),
            json!([])
        );
        for id in [about_escalated, unknown_woman] {
            stranger
                .get(&format!("{SIGNALS}/{id}"))
                .await
                .assert_error(StatusCode::NOT_FOUND, "not_found");
        }
        stranger
            .post(SIGNALS, json!({"kind": "violence", "client_id": quiet}))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let stranger = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    stranger
        .patch(
            &format!("{SIGNALS}/{unknown_woman}"),
            json!({"status": "closed"}),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert!(
        trail(&app, quiet)
            .iter()
            .any(|e| e.event == "signal.create" && e.outcome == "denied")
    );
    assert!(app.count("audit_log WHERE event = 'signal.read' AND outcome = 'denied'") >= 6);
}

/// A stagnation puts her before the process director as an escalated follow-up does: her
/// file and the signals about her, listed and one by one, alike.
#[tokio::test]
async fn a_stagnation_shows_the_director_the_signals_about_her() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let stalled = coordinator.create_client("Grutto").await;
    let about_her =
        send_signal(&peer, json!({"kind": "violence", "client_id": stalled})).await["id"]
            .as_i64()
            .unwrap();
    let signal = format!("{SIGNALS}/{about_her}");
    director
        .get(&signal)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    coordinator.report_stagnation(stalled, "housing").await;
    let her_file = director
        .get(&format!("/api/v1/clients/{stalled}/signals"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(ids(&her_file), [about_her]);
    let list = director.get(SIGNALS).await.assert(StatusCode::OK);
    assert_eq!(ids(&list), [about_her]);
    director.get(&signal).await.assert(StatusCode::OK);
}

#[tokio::test]
async fn the_coordinator_triages_and_records_every_hand_off() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let client = coordinator.create_client("Wielewaal").await;
    let text = "Wordt gebracht door een man in een zwarte BMW";
    let signal = send_signal(
        &casemanager,
        json!({"kind": "trafficking", "client_id": client, "text": text}),
    )
    .await;
    let path = format!("{SIGNALS}/{}", signal["id"]);
    let new = coordinator
        .get(&format!("{SIGNALS}?status=new"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(ids(&new), [signal["id"].as_i64().unwrap()]);

    // Only the coordinator triages.
    for role in [Role::Casemanager, Role::Peer, Role::ProcessDirector] {
        let other = app.login_as(role).await;
        other
            .patch(&path, json!({"status": "assessed"}))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
        other
            .post(
                &format!("{path}/handoffs"),
                json!({"recipient": "police", "method": "phone"}),
            )
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    coordinator
        .patch(&path, json!({"status": "maybe"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let assessed = coordinator
        .patch(&path, json!({"status": "assessed"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(assessed["status"], "assessed");
    assert_eq!(assessed["closed_at"], Value::Null);

    let handed = coordinator
        .post(
            &format!("{path}/handoffs"),
            json!({"recipient": "trafficking_coordinator", "recipient_detail": "Regio Gelderland-Zuid", "method": "phone", "handed_at": "2026-11-23T20:00"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(handed["status"], "passed_on");
    let handoff = &handed["handoffs"][0];
    assert_eq!(handoff["recipient"], "trafficking_coordinator");
    assert_eq!(handoff["recipient_detail"], "Regio Gelderland-Zuid");
    assert_eq!(handoff["method"], "phone");
    assert_eq!(handoff["handed_at"], "2026-11-23T20:00:00+01:00");
    assert_eq!(handoff["recorded_by"], coordinator.user_id);
    coordinator
        .post(
            &format!("{path}/handoffs"),
            json!({"recipient": "police", "method": "email", "handed_at": "2026-11-24T09:00"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "handed_at_in_future");
    coordinator
        .post(
            &format!("{path}/handoffs"),
            json!({"recipient": "neighbour", "method": "phone"}),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");

    let closed = coordinator
        .patch(&path, json!({"status": "closed"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["closed_at"], "2026-11-23T20:30:00+01:00");
    // A hand-off recorded afterwards is kept, and leaves the signal closed.
    let later = coordinator
        .post(
            &format!("{path}/handoffs"),
            json!({"recipient": "comensha", "method": "email"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(later["status"], "closed");
    assert_eq!(later["handoffs"].as_array().unwrap().len(), 2);
    let seen_by_team = casemanager.get(&path).await.assert(StatusCode::OK);
    assert_eq!(seen_by_team["handoffs"], later["handoffs"]);

    // Her trail holds every change and read; no entry holds the signal's words.
    let events: Vec<(String, String)> = trail(&app, client)
        .into_iter()
        .filter(|e| e.event.starts_with("signal"))
        .map(|e| (e.event, e.action))
        .collect();
    for expected in [
        ("signal.create", "C"),
        ("signal.read", "R"),
        ("signal.update", "U"),
        ("signal.handoff.create", "C"),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned());
        assert!(events.contains(&expected), "{expected:?} not in {events:?}");
    }
    assert_eq!(app.count("audit_log WHERE detail LIKE '%BMW%'"), 0);
    assert_eq!(app.count("audit_log WHERE detail LIKE '%Gelderland%'"), 0);
}
