//! Data rights over the client file: the export holds her categories, her exit and her
//! status history; erasure removes the notes and keeps what the figures count (her
//! categories, and each change of her status with its day and reason).

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

const EXIT: &str = "Is teruggegaan naar haar familie in Polen";

#[tokio::test]
async fn the_export_holds_her_categories_exit_and_status_history() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Wulp", "region": "mo_region", "intake_on": "2026-03-02",
                   "addiction": "yes", "sheltered_housing": true, "known_at_huiskamer": true}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    coordinator
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"caseload_status": "regular_care"}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "moved_away", "note": EXIT}),
        )
        .await
        .assert(StatusCode::OK);

    let doc = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    let her = &doc["client"];
    for (field, value) in [
        ("addiction", json!("yes")),
        ("sheltered_housing", json!(true)),
        ("known_at_huiskamer", json!(true)),
        ("caseload_status", json!("closed")),
        ("exit_on", json!("2026-11-23")),
        ("exit_reason", json!("moved_away")),
        ("exit_note", json!(EXIT)),
    ] {
        assert_eq!(her[field], value, "{field}");
    }
    let history: Vec<(&Value, &Value, &Value, &Value)> = doc["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (&e["change"], &e["on"], &e["reason"], &e["note"]))
        .collect();
    assert_eq!(
        history,
        [
            (
                &json!("intake"),
                &json!("2026-03-02"),
                &Value::Null,
                &Value::Null
            ),
            (
                &json!("to_regular_care"),
                &json!("2026-11-23"),
                &Value::Null,
                &Value::Null
            ),
            (
                &json!("closed"),
                &json!("2026-11-23"),
                &json!("moved_away"),
                &json!(EXIT)
            ),
        ],
        "oldest first, as the rest of the export"
    );
    assert_eq!(
        doc["status_history"][2]["recorded_by"],
        json!(coordinator.username)
    );

    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    let text = csv.body.as_str().unwrap();
    let closed_id = &doc["status_history"][2]["id"];
    for row in [
        format!("client;{client};addiction;yes"),
        format!("client;{client};sheltered_housing;true"),
        format!("client;{client};exit_reason;moved_away"),
        format!("client;{client};exit_note;{EXIT}"),
        format!("status_history;{closed_id};change;closed"),
        format!("status_history;{closed_id};note;{EXIT}"),
    ] {
        assert!(text.lines().any(|l| l == row), "missing {row} in\n{text}");
    }
}

#[tokio::test]
async fn erasure_keeps_what_the_figures_count_and_removes_the_notes() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Wulp", "region": "outside", "intake_on": "2026-02-02",
                   "addiction": "no", "sheltered_housing": true, "known_at_huiskamer": true}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "stopped_sex_work", "note": EXIT, "exit_on": "2026-11-02"}),
        )
        .await
        .assert(StatusCode::OK);
    let figures = |query: &'static str| {
        let coordinator = &coordinator;
        async move {
            let report = coordinator
                .get(&format!("/api/v1/reports?{query}"))
                .await
                .assert(StatusCode::OK);
            json!([
                report["caseload"],
                report["categories"],
                report["outflow"],
                report["out_of_view"],
                report["figures"]
            ])
        }
    };
    let before = [
        figures("period=2026-10").await,
        figures("period=2026-11").await,
    ];
    assert_eq!(
        before[0][0],
        json!({"active": 1, "regular_care": 0, "closed": 0})
    );
    assert_eq!(before[1][2]["stopped_sex_work"], 1);

    let erased = coordinator
        .post(
            &format!("/api/v1/clients/{client}/erase"),
            json!({"confirm_code": created["code"]}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(erased["status_changes_kept_without_notes"], 2);
    let after = [
        figures("period=2026-10").await,
        figures("period=2026-11").await,
    ];
    assert_eq!(before, after, "the figures stay true");
    assert_eq!(
        app.count(&format!(
            "client_status_changes WHERE client_id = {client} AND note IS NULL"
        )),
        2
    );
    assert_eq!(
        app.count(&format!(
            "clients WHERE id = {client} AND exit_note IS NULL AND addiction = 'no' \
             AND sheltered_housing AND known_at_huiskamer \
             AND exit_reason = 'stopped_sex_work' AND region = 'outside'"
        )),
        1
    );
    for suffix in ["", "/status-history", "/export"] {
        coordinator
            .get(&format!("/api/v1/clients/{client}{suffix}"))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
}
