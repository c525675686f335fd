//! Referrals and interventions: recorded per client, followed from request to start and
//! end, with the waiting time that follows from the dates; need-to-know and the trail.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

fn day(app: &TestApp, days_ago: i64) -> String {
    (app.state.zone.local_date(app.clock.now()) - TimeDelta::days(days_ago)).to_string()
}

async fn partner(who: &Session, name: &str) -> i64 {
    let partners = who.get("/api/v1/partners").await.assert(StatusCode::OK);
    partners
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no partner {name}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_referral_waits_from_its_request_until_it_starts_and_ends_with_an_outcome() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kwikstaart").await;
    let path = format!("/api/v1/clients/{client}/referrals");
    let domus = partner(&cm, "Domus").await;

    let made = cm
        .post(
            &path,
            json!({"kind": "housing_application", "partner_id": domus, "requested_on": day(&app, 50)}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(made["partner_name"], "Domus");
    assert_eq!(
        (made["waiting"].clone(), made["waiting_days"].clone()),
        (json!(true), json!(50))
    );
    let id = made["id"].as_i64().unwrap();

    // It started ten days ago: she waited forty days.
    let started = cm
        .patch(
            &format!("{path}/{id}"),
            json!({"started_on": day(&app, 10)}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (started["waiting"].clone(), started["waiting_days"].clone()),
        (json!(false), json!(40))
    );
    // An end needs its outcome, and the outcome stays with the end.
    cm.patch(&format!("{path}/{id}"), json!({"ended_on": day(&app, 1)}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "outcome_required");
    let ended = cm
        .patch(
            &format!("{path}/{id}"),
            json!({"ended_on": day(&app, 1), "outcome": "placed", "outcome_note": "kamer in Lent"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (ended["outcome"].clone(), ended["partner_name"].clone()),
        (json!("placed"), json!("Domus"))
    );
    cm.patch(&format!("{path}/{id}"), json!({"ended_on": null}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "outcome_without_end");

    let listed: Value = cm.get(&path).await.assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["outcome_note"], "kamer in Lent");
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE client_id = {client} AND event LIKE 'referral.%'"
        )),
        4,
        "create, two changes, a read: a refused change changes nothing, and leaves nothing"
    );
}

#[tokio::test]
async fn impossible_referrals_are_refused_with_a_reason() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Boomklever").await;
    let path = format!("/api/v1/clients/{client}/referrals");
    let refused = |body: Value, code: &'static str| {
        let (cm, path) = (&cm, &path);
        async move {
            cm.post(path, body)
                .await
                .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
        }
    };
    refused(
        json!({"kind": "castle", "requested_on": day(&app, 3)}),
        "validation_failed",
    )
    .await;
    refused(
        json!({"kind": "time_out", "requested_on": day(&app, -1)}),
        "date_in_future",
    )
    .await;
    refused(
        json!({"kind": "time_out", "requested_on": day(&app, 3), "started_on": day(&app, 4)}),
        "before_request",
    )
    .await;
    refused(
        json!({"kind": "diagnostics", "requested_on": day(&app, 9), "started_on": day(&app, 3), "ended_on": day(&app, 5), "outcome": "completed"}),
        "end_before_start",
    )
    .await;
    refused(
        json!({"kind": "other", "requested_on": day(&app, 3), "outcome": "nope", "ended_on": day(&app, 1)}),
        "validation_failed",
    )
    .await;
    assert_eq!(app.count("referrals"), 0);
}

#[tokio::test]
async fn only_her_team_sees_her_referrals_and_only_those_who_edit_her_file_record_them() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Grasmus").await;
    let path = format!("/api/v1/clients/{client}/referrals");
    let body = json!({"kind": "time_out", "requested_on": day(&app, 2)});
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .post(&path, body.clone())
        .await
        .assert(StatusCode::CREATED);
    coordinator.get(&path).await.assert(StatusCode::OK);

    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    theirs
        .get(&path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    theirs
        .post(&path, body.clone())
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    for role in [Role::Municipality, Role::Admin, Role::Peer] {
        let other = app.login_as(role).await;
        let refused = other.post(&path, body.clone()).await;
        assert!(
            [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&refused.status),
            "{role:?} recorded a referral: {}",
            refused.status
        );
    }
    assert_eq!(app.count("referrals"), 1);
}
