//! Warm handover: an overlap in which both casemanagers answer for her, both told by push
//! without her alias, the note on her file, and the refusals.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, TestApp, spawn_app};
use crate::push_service::PushService;

const NOTE: &str = "Slaapt bij haar zus in Lindenholt; bel na 14:00, nooit 's ochtends.";

fn handover_path(client: i64) -> String {
    format!("/api/v1/clients/{client}/handover")
}

async fn hand_over(by: &Session, client: i64, to: i64, until: &str) -> Value {
    by.post(
        &handover_path(client),
        json!({"to_user_id": to, "overlap_until": until, "note": NOTE}),
    )
    .await
    .assert(StatusCode::CREATED)
}

async fn register_phone(session: &Session, service: &PushService, name: &str) {
    let device = service.device(name);
    session
        .post(
            "/api/v1/push/subscriptions",
            device.subscription_json(service),
        )
        .await
        .assert(StatusCode::CREATED);
}

/// The bodies pushed to one device so far.
fn pushed_to(service: &PushService, device: &str) -> Vec<Value> {
    service
        .delivered()
        .into_iter()
        .filter(|m| m.device == device)
        .map(|m| m.payload)
        .collect()
}

/// Who was told about absences of this client, in order.
fn absence_recipients(app: &TestApp) -> Vec<i64> {
    use diesel::prelude::*;
    use inbeeld::db::schema::notifications;
    app.db_read(|conn| {
        notifications::table
            .filter(notifications::kind.eq("absence"))
            .order((notifications::id, notifications::user_id))
            .select(notifications::user_id)
            .load(conn)
    })
}

#[tokio::test]
async fn both_casemanagers_answer_for_her_during_the_overlap_and_only_the_new_one_after() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Nachtegaal").await;
    let old = &team.casemanager;
    let new = app.login_as(Role::Casemanager).await;
    register_phone(old, &service, "old").await;
    register_phone(&new, &service, "new").await;

    let handover = hand_over(old, team.client, new.user_id, "2026-12-10").await;
    assert_eq!(handover["from_user_id"], old.user_id);
    assert_eq!(handover["to_user_id"], new.user_id);
    assert_eq!(handover["starts_on"], "2026-11-23");
    assert_eq!(handover["overlap_until"], "2026-12-10");
    let assignments = team
        .coordinator
        .get(&format!("/api/v1/clients/{}/casemanagers", team.client))
        .await
        .assert(StatusCode::OK);
    let spans: Vec<(i64, Value)> = assignments
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["user_id"].as_i64().unwrap(), a["until_on"].clone()))
        .collect();
    assert_eq!(
        spans,
        [
            (old.user_id, json!("2026-12-10")),
            (new.user_id, Value::Null)
        ]
    );

    // Both are told at the next sweep, and the push names nobody.
    sweep(&app).await;
    let to_new = pushed_to(&service, "new");
    let to_old = pushed_to(&service, "old");
    assert_eq!(to_new.len(), 1);
    assert_eq!(to_old.len(), 1);
    assert_eq!(
        to_new[0]["body"],
        "Warme overdracht: er is een cliënt aan je overgedragen"
    );
    assert_eq!(
        to_old[0]["body"],
        "Warme overdracht: je draagt een cliënt over"
    );
    for payload in [&to_new[0], &to_old[0]] {
        assert_eq!(payload["url"], format!("/#/client/{}", team.client));
        let text = payload.to_string();
        assert!(!text.contains("Nachtegaal") && !text.contains("Lindenholt"));
    }
    sweep(&app).await;
    assert_eq!(
        service.delivered().len(),
        2,
        "told once, not at every sweep"
    );

    // 7 December, inside the overlap: her absence reaches both phones.
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.notified, 1);
    let mut told = absence_recipients(&app);
    told.sort_unstable();
    assert_eq!(told, [old.user_id, new.user_id]);
    for device in ["old", "new"] {
        let last = pushed_to(&service, device).pop().unwrap();
        assert_eq!(last["body"], "1 cliënt al 14 dagen niet gezien");
    }

    // Seen again; 21 December, after the overlap, only the new casemanager hears.
    new.record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.notified, 1);
    assert_eq!(absence_recipients(&app)[2..], [new.user_id]);
    assert_eq!(pushed_to(&service, "old").len(), 2);
    assert_eq!(pushed_to(&service, "new").len(), 3);
}

#[tokio::test]
async fn the_note_is_on_her_file_for_both_and_every_step_is_audit_logged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let old = app.login_as(Role::Casemanager).await;
    let new = app.login_as(Role::Casemanager).await;
    // She who registers a client is her casemanager.
    let client = old.create_client("Lijster").await;
    // The coordinator hands over for her: with one casemanager, hers is the one.
    let made = hand_over(&coordinator, client, new.user_id, "2026-12-07").await;
    assert_eq!(made["created_by"], coordinator.user_id);

    let path = format!("/api/v1/clients/{client}/handovers");
    for reader in [&old, &new] {
        let listed = reader.get(&path).await.assert(StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["note"], NOTE);
        assert_eq!(listed[0]["from_user_id"], old.user_id);
        assert_eq!(listed[0]["to_display_name"], new.username);
    }
    let outsider = app
        .login_in_team(Role::Casemanager, Some(app.create_team("Stapteam Arnhem")))
        .await;
    outsider
        .get(&path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let trail = app.db_read(|conn| inbeeld::db::queries::audit::for_client(conn, client));
    let handover_events: Vec<(Option<i64>, &str, &str, &str)> = trail
        .iter()
        .filter(|e| e.event.starts_with("client.handover"))
        .map(|e| {
            (
                e.user_id,
                e.event.as_str(),
                e.action.as_str(),
                e.outcome.as_str(),
            )
        })
        .collect();
    assert_eq!(
        handover_events,
        [
            (Some(coordinator.user_id), "client.handover", "U", "success"),
            (Some(old.user_id), "client.handovers.read", "R", "success"),
            (Some(new.user_id), "client.handovers.read", "R", "success"),
            (
                Some(outsider.user_id),
                "client.handovers.read",
                "R",
                "denied"
            ),
        ]
    );
}

#[tokio::test]
async fn a_handover_is_refused_with_a_clear_reason_that_never_repeats_the_note() {
    let app = spawn_app().await;
    let team = team_with_client(&app, "Merel").await;
    let cm = &team.casemanager;
    let client = team.client;
    let colleague = app.login_as(Role::Casemanager).await;
    let refuse = |to: i64, until: &'static str, note: &'static str| async move {
        cm.post(
            &handover_path(client),
            json!({"to_user_id": to, "overlap_until": until, "note": note}),
        )
        .await
    };

    refuse(cm.user_id, "2026-12-01", NOTE)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "handover_to_self");
    refuse(colleague.user_id, "2026-11-22", NOTE)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "overlap_in_past");
    let too_long = refuse(colleague.user_id, "2027-01-23", NOTE).await;
    assert!(
        too_long.body["message"]
            .as_str()
            .unwrap()
            .contains("60 days")
    );
    too_long.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "overlap_too_long");
    refuse(colleague.user_id, "2026-12-01", "   ")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.post(
        &handover_path(client),
        json!({"to_user_id": colleague.user_id, "overlap_until": "2026-12-01"}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_json");

    let (peer, _) = app.create_user(Role::Peer, None);
    let (other_team_cm, _) =
        app.create_user(Role::Casemanager, Some(app.create_team("Stapteam Arnhem")));
    let (director, _) = app.create_user(Role::ProcessDirector, None);
    let gone = app.login_as(Role::Casemanager).await;
    let admin = app.login_as(Role::Admin).await;
    admin
        .patch(
            &format!("/api/v1/users/{}", gone.user_id),
            json!({"active": false}),
        )
        .await
        .assert(StatusCode::OK);
    for target in [
        peer,
        team.coordinator.user_id,
        other_team_cm,
        director,
        gone.user_id,
        999_999,
    ] {
        let reply = refuse(target, "2026-12-01", NOTE).await;
        assert!(!reply.body.to_string().contains("Lindenholt"));
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_a_casemanager");
    }

    // Already her casemanager: nothing to hand over to.
    team.coordinator
        .post(
            &format!("/api/v1/clients/{client}/casemanagers"),
            json!({"user_id": colleague.user_id}),
        )
        .await
        .assert(StatusCode::CREATED);
    refuse(colleague.user_id, "2026-12-01", NOTE)
        .await
        .assert_error(StatusCode::CONFLICT, "already_casemanager");

    // One handover at a time per assignment.
    let third = app.login_as(Role::Casemanager).await;
    hand_over(cm, client, third.user_id, "2026-12-01").await;
    let fourth = app.login_as(Role::Casemanager).await;
    refuse(fourth.user_id, "2026-12-01", NOTE)
        .await
        .assert_error(StatusCode::CONFLICT, "handover_pending");
    assert_eq!(app.count("handovers"), 1);
}

#[tokio::test]
async fn only_the_coordinator_and_a_current_casemanager_hand_her_over() {
    let app = spawn_app().await;
    let team = team_with_client(&app, "Kievit").await;
    let client = team.client;
    let target = app.login_as(Role::Casemanager).await;
    let body = json!({"to_user_id": target.user_id, "overlap_until": "2026-12-01", "note": NOTE});

    let bystander = app.login_as(Role::Casemanager).await;
    bystander
        .post(&handover_path(client), body.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let mut on_behalf = body.clone();
    on_behalf["from_user_id"] = json!(team.casemanager.user_id);
    bystander
        .post(&handover_path(client), on_behalf.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    for role in [Role::Peer, Role::ProcessDirector, Role::Municipality] {
        app.login_as(role)
            .await
            .post(&handover_path(client), body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let elsewhere = app
        .login_in_team(Role::Coordinator, Some(app.create_team("Stapteam Arnhem")))
        .await;
    elsewhere
        .post(&handover_path(client), body.clone())
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let denied = app.count(&format!(
        "audit_log WHERE event = 'client.handover' AND outcome = 'denied' AND client_id = {client}"
    ));
    assert_eq!(denied, 6, "every refusal is on the trail");

    // With two casemanagers the coordinator says whose assignment goes.
    team.coordinator
        .post(
            &format!("/api/v1/clients/{client}/casemanagers"),
            json!({"user_id": bystander.user_id}),
        )
        .await
        .assert(StatusCode::CREATED);
    team.coordinator
        .post(&handover_path(client), body.clone())
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "from_user_required");
    let mut not_hers = body.clone();
    not_hers["from_user_id"] = json!(target.user_id);
    team.coordinator
        .post(&handover_path(client), not_hers)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_current_casemanager");
    let made = team
        .coordinator
        .post(&handover_path(client), on_behalf)
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(made["from_user_id"], team.casemanager.user_id);
    assert_eq!(made["to_user_id"], target.user_id);
}
