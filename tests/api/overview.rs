//! The process director's overview: the cases across the teams as counts, without names;
//! nobody else's.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app_with};

async fn client(cm: &Session, alias: &str, intake_on: &str) -> i64 {
    cm.post(
        "/api/v1/clients",
        json!({"alias": alias, "region": "nijmegen", "intake_on": intake_on}),
    )
    .await
    .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn refer(cm: &Session, client: i64, body: Value) {
    cm.post(&format!("/api/v1/clients/{client}/referrals"), body)
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn the_director_sees_counts_across_the_teams_and_no_names() {
    let app = spawn_app_with(|s| s.out_of_view_days = 30).await;
    let cm = app.login_as(Role::Casemanager).await;
    let director = app.login_as(Role::ProcessDirector).await;
    // Today is 23 November 2026. Roek was taken in 40 days ago and never seen.
    let roek = client(&cm, "Roek", "2026-10-14").await;
    let kauw = client(&cm, "Kauw", "2026-11-20").await;
    let gaai = client(&cm, "Gaai", "2026-11-20").await;
    cm.patch(&format!("/api/v1/clients/{kauw}"), json!({"top15": true}))
        .await
        .assert(StatusCode::OK);
    cm.patch(
        &format!("/api/v1/clients/{gaai}"),
        json!({"caseload_status": "regular_care"}),
    )
    .await
    .assert(StatusCode::OK);
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    let ekster = client(&theirs, "Ekster", "2026-11-21").await;
    theirs
        .post(
            &format!("/api/v1/clients/{ekster}/close"),
            json!({"reason": "moved_away"}),
        )
        .await
        .assert(StatusCode::OK);

    cm.report_stagnation(roek, "housing").await;
    let answered = cm.report_stagnation(kauw, "housing").await;
    let closed = cm.report_stagnation(gaai, "safety").await;
    director
        .post(
            &format!("/api/v1/stagnations/{answered}/answer"),
            json!({"action": "Overleg Domus", "owner": "Domus", "due_on": "2026-12-01"}),
        )
        .await
        .assert(StatusCode::OK);
    director
        .post(
            &format!("/api/v1/stagnations/{closed}/close"),
            json!({"outcome": "Opgelost"}),
        )
        .await
        .assert(StatusCode::OK);

    let domus =
        r#"{"kind": "housing_application", "partner_id": null, "requested_on": "2026-11-13"}"#;
    let mut at_domus: Value = serde_json::from_str(domus).unwrap();
    let partners = cm.get("/api/v1/partners").await.assert(StatusCode::OK);
    let domus_id = partners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Domus")
        .unwrap()["id"]
        .clone();
    at_domus["partner_id"] = domus_id.clone();
    refer(&cm, roek, at_domus.clone()).await;
    at_domus["requested_on"] = json!("2026-10-24");
    refer(&cm, kauw, at_domus).await;
    refer(
        &cm,
        kauw,
        json!({"kind": "diagnostics", "requested_on": "2026-11-18"}),
    )
    .await;
    // Started: no longer waiting.
    refer(
        &cm,
        roek,
        json!({"kind": "treatment", "partner_id": domus_id, "requested_on": "2026-09-01", "started_on": "2026-10-01"}),
    )
    .await;

    let overview = director
        .get("/api/v1/overview")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        overview["caseload"],
        json!({"active": 2, "regular_care": 1, "closed": 1})
    );
    assert_eq!(overview["out_of_view"], 1, "Roek");
    assert_eq!(overview["top15"], 1, "Kauw");
    assert_eq!(
        overview["open_stagnations"],
        json!({"housing": {"under_4_weeks": 2}}),
        "the answered one is still open; the closed one is not"
    );
    assert_eq!(
        overview["waiting_referrals"],
        json!([
            {"partner": null, "kind": "diagnostics", "count": 1, "median_waiting_days": 5.0},
            {"partner": "Domus", "kind": "housing_application", "count": 2, "median_waiting_days": 20.0},
        ])
    );
    let text = overview.to_string();
    for alias in ["Roek", "Kauw", "Gaai", "Ekster"] {
        assert!(!text.contains(alias), "{alias} named in the overview");
    }

    for role in [
        Role::Coordinator,
        Role::Casemanager,
        Role::Peer,
        Role::Municipality,
        Role::Admin,
    ] {
        app.login_as(role)
            .await
            .get("/api/v1/overview")
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
}
