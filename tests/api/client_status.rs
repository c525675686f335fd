//! Her caseload status over time: closing with a reason and a sensible exit date,
//! reopening, moves to and from regular care, and the status history that keeps them all.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::audit::trail;
use crate::followups::spawn_app_for_weeks;
use crate::helpers::{Session, spawn_app};

async fn history(session: &Session, client: i64) -> Vec<Value> {
    session
        .get(&format!("/api/v1/clients/{client}/status-history"))
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone()
}

/// Each entry's change, day, reason and note, newest first.
fn changes(entries: &[Value]) -> Vec<(String, String, Value, Value)> {
    entries
        .iter()
        .map(|e| {
            (
                e["change"].as_str().unwrap().to_owned(),
                e["on"].as_str().unwrap().to_owned(),
                e["reason"].clone(),
                e["note"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn closing_needs_a_reason_and_an_exit_date_between_her_last_change_and_today() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Merel", "region": "nijmegen", "intake_on": "2026-11-01"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let close = format!("/api/v1/clients/{client}/close");
    for (body, status, code) in [
        (json!({}), 422, "exit_reason_required"),
        (
            json!({"exit_on": "2026-11-20"}),
            422,
            "exit_reason_required",
        ),
        (json!({"reason": null}), 422, "exit_reason_required"),
        (json!({"reason": "vanished"}), 400, "bad_json"),
        (
            json!({"reason": "other", "exit_on": "2026-11-24"}),
            422,
            "exit_date_in_future",
        ),
        (
            json!({"reason": "other", "exit_on": "2026-10-31"}),
            422,
            "exit_date_before_last_change",
        ),
        (
            json!({"reason": "other", "exit_on": "1999-01-01"}),
            422,
            "validation_failed",
        ),
        (
            json!({"reason": "other", "exit_on": "2026-11-31"}),
            400,
            "bad_json",
        ),
        (
            json!({"reason": "other", "note": "x".repeat(201)}),
            422,
            "validation_failed",
        ),
        (
            json!({"reason": "other", "note": "Ro\u{202E}os"}),
            422,
            "validation_failed",
        ),
        (json!({"reason": "other", "why": "-"}), 400, "bad_json"),
    ] {
        let reply = cm.post(&close, body.clone()).await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {}", reply.body);
        assert_eq!(reply.body["error"], code, "{body}");
        assert!(
            reply.body["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{body}"
        );
    }
    assert_eq!(history(&cm, client).await.len(), 1, "only her intake");

    let closed = cm
        .post(
            &close,
            json!({"reason": "moved_away", "exit_on": "2026-11-01", "note": "  Terug naar Zwolle "}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            &closed["caseload_status"],
            &closed["exit_on"],
            &closed["exit_reason"],
            &closed["exit_note"]
        ),
        (
            &json!("closed"),
            &json!("2026-11-01"),
            &json!("moved_away"),
            &json!("Terug naar Zwolle")
        )
    );
    cm.post(&close, json!({"reason": "other"}))
        .await
        .assert_error(StatusCode::CONFLICT, "client_closed");
    cm.patch(
        &format!("/api/v1/clients/{client}"),
        json!({"caseload_status": "active"}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "client_closed");
    cm.patch(
        &format!("/api/v1/clients/{client}"),
        json!({"caseload_status": "closed"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "use_close");

    let reopen = format!("/api/v1/clients/{client}/reopen");
    let reopened = cm.post(&reopen, json!({})).await.assert(StatusCode::OK);
    for field in ["exit_on", "exit_reason", "exit_note"] {
        assert_eq!(reopened[field], Value::Null, "{field}");
    }
    assert_eq!(reopened["caseload_status"], "active");
    cm.post(&reopen, json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "client_open");
    // Today is her last change now: an exit date before it is refused.
    cm.post(&close, json!({"reason": "other", "exit_on": "2026-11-22"}))
        .await
        .assert_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "exit_date_before_last_change",
        );
}

#[tokio::test]
async fn every_change_of_her_status_is_in_her_history_newest_first() {
    let app = spawn_app_for_weeks().await;
    let cm = app.login_as(Role::Casemanager).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Roodborst", "code": "NM-001", "region": "nijmegen", "intake_on": "2026-01-05"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    cm.create_client("Mees").await;
    let file = format!("/api/v1/clients/{client}");
    let moved = cm
        .patch(&file, json!({"caseload_status": "regular_care"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(moved["caseload_status"], "regular_care");
    // The same status again is no change.
    cm.patch(&file, json!({"caseload_status": "regular_care"}))
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(2));
    coordinator
        .patch(&file, json!({"caseload_status": "active"}))
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("{file}/close"),
            json!({"reason": "detained", "note": "Zit vast tot maart"}),
        )
        .await
        .assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(1));
    cm.post(&format!("{file}/reopen"), json!({}))
        .await
        .assert(StatusCode::OK);

    let entries = history(&coordinator, client).await;
    assert_eq!(
        changes(&entries),
        [
            (
                "reopened".into(),
                "2026-11-26".into(),
                Value::Null,
                Value::Null
            ),
            (
                "closed".into(),
                "2026-11-25".into(),
                json!("detained"),
                json!("Zit vast tot maart")
            ),
            (
                "to_own_caseload".into(),
                "2026-11-25".into(),
                Value::Null,
                Value::Null
            ),
            (
                "to_regular_care".into(),
                "2026-11-23".into(),
                Value::Null,
                Value::Null
            ),
            (
                "intake".into(),
                "2026-01-05".into(),
                Value::Null,
                Value::Null
            ),
        ]
    );
    let statuses: Vec<&Value> = entries.iter().map(|e| &e["status"]).collect();
    assert_eq!(
        statuses,
        ["active", "closed", "active", "regular_care", "active"]
    );
    let by: Vec<&Value> = entries.iter().map(|e| &e["by_display_name"]).collect();
    assert_eq!(
        by,
        [
            &json!(cm.username),
            &json!(coordinator.username),
            &json!(coordinator.username),
            &json!(cm.username),
            &json!(cm.username)
        ]
    );
    assert_eq!(entries[0]["recorded_at"], "2026-11-26T20:30:00+01:00");
    assert_eq!(entries[4]["recorded_at"], "2026-11-23T20:30:00+01:00");

    // Correcting her intake date moves her intake in the history.
    cm.patch(&file, json!({"intake_on": "2026-01-12"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(history(&cm, client).await[4]["on"], "2026-01-12");

    // A change that fails leaves no history: the move and the refused code are one write.
    cm.patch(
        &file,
        json!({"caseload_status": "regular_care", "code": code_of_mees(&cm).await}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "client_code_taken");
    assert_eq!(history(&cm, client).await.len(), 5);
    let file_now = cm.get(&file).await.assert(StatusCode::OK);
    assert_eq!(file_now["caseload_status"], "active");

    // Every read of the history is in her audit trail, by whoever read it.
    let reads: Vec<(Option<i64>, String)> = trail(&app, client)
        .into_iter()
        .filter(|e| e.event == "client.status_history.read")
        .map(|e| (e.user_id, e.action))
        .collect();
    assert_eq!(
        reads,
        [
            (Some(coordinator.user_id), "R".to_owned()),
            (Some(cm.user_id), "R".to_owned()),
            (Some(cm.user_id), "R".to_owned()),
        ]
    );
}

async fn code_of_mees(cm: &Session) -> String {
    let found = cm
        .post("/api/v1/clients/search", json!({"q": "Mees"}))
        .await
        .assert(StatusCode::OK);
    found[0]["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn only_the_team_that_edits_files_closes_and_reopens_them() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Putter").await;
    let elsewhere = app.create_team("Stapteam Arnhem");
    let mut callers = Vec::new();
    for role in [
        Role::Admin,
        Role::Municipality,
        Role::Peer,
        Role::ProcessDirector,
    ] {
        callers.push((app.login_as(role).await, 403));
    }
    callers.push((
        app.login_in_team(Role::Coordinator, Some(elsewhere)).await,
        404,
    ));
    callers.push((
        app.login_in_team(Role::Casemanager, Some(elsewhere)).await,
        404,
    ));
    callers.push((app.anonymous(), 401));
    let requests = [
        (
            Method::POST,
            format!("/api/v1/clients/{client}/close"),
            Some(json!({"reason": "other"})),
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{client}/reopen"),
            Some(json!({})),
        ),
        (
            Method::PATCH,
            format!("/api/v1/clients/{client}"),
            Some(json!({"caseload_status": "regular_care", "addiction": "yes"})),
        ),
    ];
    for (caller, expected) in &callers {
        for (method, path, body) in &requests {
            let reply = caller.send(method.clone(), path, body.clone(), &[]).await;
            assert_eq!(
                reply.status.as_u16(),
                *expected,
                "{method} {path}: {}",
                reply.body
            );
        }
    }
    // Four roles refused by their role, two outsiders by need-to-know, three requests
    // each: every refusal is in her trail.
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE client_id = {client} AND outcome = 'denied'"
        )),
        18
    );
    let file = coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (&file["caseload_status"], &file["addiction"]),
        (&json!("active"), &json!("unknown"))
    );
    assert_eq!(history(&coordinator, client).await.len(), 1);
}
