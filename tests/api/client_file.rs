//! The client file: her categories, her first casemanager at intake, how many
//! casemanagers she has, whether she is out of view, and the list's filters on both.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::spawn_app_for_weeks;
use crate::helpers::{Session, spawn_app, spawn_app_with};

async fn create(session: &Session, body: Value) -> Value {
    session
        .post("/api/v1/clients", body)
        .await
        .assert(StatusCode::CREATED)
}

async fn out_of_view(session: &Session, id: i64) -> Value {
    session
        .get(&format!("/api/v1/clients/{id}"))
        .await
        .assert(StatusCode::OK)["out_of_view"]
        .clone()
}

async fn casemanagers_of(session: &Session, client: &Value) -> Vec<i64> {
    session
        .get(&format!("/api/v1/clients/{}/casemanagers", client["id"]))
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_new_client_has_categories_and_whoever_registers_her_as_casemanager() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let plain = create(&cm, json!({"alias": "Merel", "region": "nijmegen"})).await;
    for (field, value) in [
        ("addiction", json!("unknown")),
        ("sheltered_housing", json!(false)),
        ("known_at_huiskamer", json!(false)),
        ("caseload_status", json!("active")),
        ("exit_reason", Value::Null),
        ("exit_note", Value::Null),
        ("out_of_view", json!(false)),
        ("casemanager_count", json!(1)),
    ] {
        assert_eq!(plain[field], value, "{field}");
    }
    assert_eq!(casemanagers_of(&cm, &plain).await, [cm.user_id]);

    let coordinator = app.login_as(Role::Coordinator).await;
    let colleague = app.login_as(Role::Casemanager).await;
    let described = create(
        &coordinator,
        json!({"alias": "Lijster", "region": "outside", "addiction": "yes",
               "sheltered_housing": true, "known_at_huiskamer": true,
               "casemanager_id": colleague.user_id, "intake_on": "2026-10-01"}),
    )
    .await;
    assert_eq!(
        (
            &described["addiction"],
            &described["sheltered_housing"],
            &described["known_at_huiskamer"]
        ),
        (&json!("yes"), &json!(true), &json!(true))
    );
    assert_eq!(described["casemanager_count"], 1);
    let listed = coordinator
        .get(&format!("/api/v1/clients/{}/casemanagers", described["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed[0]["user_id"], colleague.user_id);
    assert_eq!(listed[0]["from_on"], "2026-10-01", "hers since the intake");
    assert_eq!(listed.as_array().unwrap().len(), 1);

    let changed = coordinator
        .patch(
            &format!("/api/v1/clients/{}", described["id"]),
            json!({"addiction": "no", "sheltered_housing": false}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(changed["addiction"], "no");
    assert_eq!(changed["sheltered_housing"], false);
    assert_eq!(changed["known_at_huiskamer"], true, "left as it was");
    let read = colleague
        .get(&format!("/api/v1/clients/{}", described["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(read, changed);
}

#[tokio::test]
async fn only_an_active_casemanager_or_coordinator_of_her_team_is_her_first_casemanager() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let (peer, _) = app.create_user(Role::Peer, None);
    let (admin, _) = app.create_user(Role::Admin, None);
    let (director, _) = app.create_user(Role::ProcessDirector, None);
    let elsewhere = app.create_team("Stapteam Arnhem");
    let (foreign, _) = app.create_user(Role::Casemanager, Some(elsewhere));
    let (coordinator, _) = app.create_user(Role::Coordinator, None);
    let (gone, _) = app.create_user(Role::Casemanager, None);
    let admin_session = app.login_as(Role::Admin).await;
    admin_session
        .patch(&format!("/api/v1/users/{gone}"), json!({"active": false}))
        .await
        .assert(StatusCode::OK);
    for user in [peer, admin, director, foreign, gone, 999_999] {
        cm.post(
            "/api/v1/clients",
            json!({"alias": "Zwaluw", "region": "nijmegen", "casemanager_id": user}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_a_casemanager");
    }
    assert_eq!(
        app.count("clients"),
        0,
        "nothing is left of a refused intake"
    );
    assert_eq!(app.count("client_status_changes"), 0);
    let hers = create(
        &cm,
        json!({"alias": "Zwaluw", "region": "nijmegen", "casemanager_id": coordinator}),
    )
    .await;
    assert_eq!(casemanagers_of(&cm, &hers).await, [coordinator]);
}

#[tokio::test]
async fn categories_must_be_known_codes() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for body in [
        json!({"alias": "Vink", "region": "nijmegen", "addiction": "sometimes"}),
        json!({"alias": "Vink", "region": "nijmegen", "sheltered_housing": "ja"}),
        json!({"alias": "Vink", "region": "nijmegen", "known_at_huiskamer": null}),
        json!({"alias": "Vink", "region": "nijmegen", "exit_reason": "deceased"}),
        json!({"alias": "Vink", "region": "nijmegen", "casemanager_id": "me"}),
    ] {
        cm.post("/api/v1/clients", body.clone())
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    }
    assert_eq!(app.count("clients"), 0);
    let client = cm.create_client("Vink").await;
    for body in [
        json!({"addiction": "YES"}),
        json!({"known_at_huiskamer": 1}),
        json!({"exit_reason": "other"}),
    ] {
        cm.patch(&format!("/api/v1/clients/{client}"), body)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    }
}

#[tokio::test]
async fn out_of_view_after_ninety_days_without_a_named_contact() {
    let app = spawn_app_for_weeks().await;
    let cm = app.login_as(Role::Casemanager).await;
    let seen = cm.create_client("Merel").await;
    cm.record_contact(app.default_location(), seen)
        .await
        .assert(StatusCode::CREATED);
    // Never seen: counted from her intake day (its start, local time).
    let never = create(
        &cm,
        json!({"alias": "Reiger", "region": "nijmegen", "intake_on": "2026-08-26"}),
    )
    .await;
    // 90 days after her intake day began is 23:00 tonight (the clocks went back in October).
    assert_eq!(never["out_of_view"], false, "89 days and 20.5 hours");
    let never = never["id"].as_i64().unwrap();
    app.clock.advance(TimeDelta::hours(4)); // 00:30 on 24 November
    assert_eq!(out_of_view(&cm, never).await, true);

    app.clock.advance(TimeDelta::days(90) - TimeDelta::hours(5));
    assert_eq!(out_of_view(&cm, seen).await, false, "an hour short");
    app.clock.advance(TimeDelta::hours(1));
    assert_eq!(out_of_view(&cm, seen).await, true);
    cm.post(
        &format!("/api/v1/clients/{seen}/close"),
        json!({"reason": "moved_away"}),
    )
    .await
    .assert(StatusCode::OK);
    assert_eq!(
        out_of_view(&cm, seen).await,
        false,
        "a closed file is an exit, not out of view"
    );
}

#[tokio::test]
async fn the_out_of_view_period_is_a_setting() {
    let app = spawn_app_with(|s| s.out_of_view_days = 30).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = create(
        &cm,
        json!({"alias": "Specht", "region": "nijmegen", "intake_on": "2026-10-24"}),
    )
    .await;
    assert_eq!(client["out_of_view"], true);
}

#[tokio::test]
async fn the_list_picks_out_clients_out_of_view_or_without_casemanager() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let seen = cm.create_client("Merel").await;
    cm.record_contact(app.default_location(), seen)
        .await
        .assert(StatusCode::CREATED);
    let unseen = create(
        &cm,
        json!({"alias": "Kievit", "region": "nijmegen", "intake_on": "2026-01-05"}),
    )
    .await["id"]
        .clone();
    let left_alone = create(
        &cm,
        json!({"alias": "Grutto", "region": "nijmegen", "intake_on": "2026-11-01"}),
    )
    .await["id"]
        .clone();
    let assignment = coordinator
        .get(&format!("/api/v1/clients/{left_alone}/casemanagers"))
        .await
        .assert(StatusCode::OK)[0]["id"]
        .clone();
    coordinator
        .patch(
            &format!("/api/v1/clients/{left_alone}/casemanagers/{assignment}"),
            json!({"until_on": "2026-11-22"}),
        )
        .await
        .assert(StatusCode::OK);
    let closed = create(
        &cm,
        json!({"alias": "Tureluur", "region": "nijmegen", "intake_on": "2025-01-05"}),
    )
    .await["id"]
        .clone();
    cm.post(
        &format!("/api/v1/clients/{closed}/close"),
        json!({"reason": "detained", "exit_on": "2025-06-01"}),
    )
    .await
    .assert(StatusCode::OK);

    let aliases = |reply: Value| -> Vec<String> {
        reply
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["alias"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &str| {
        let path = format!("/api/v1/clients{query}");
        let coordinator = &coordinator;
        async move { aliases(coordinator.get(&path).await.assert(StatusCode::OK)) }
    };
    assert_eq!(list("?out_of_view=true").await, ["Kievit"]);
    assert_eq!(
        list("?out_of_view=false").await,
        ["Grutto", "Merel", "Tureluur"]
    );
    assert_eq!(list("?without_casemanager=true").await, ["Grutto"]);
    assert_eq!(
        list("?without_casemanager=true&status=active").await,
        ["Grutto"]
    );
    assert_eq!(
        list("?without_casemanager=false&out_of_view=false&status=active").await,
        ["Merel"]
    );
    let all = coordinator
        .get("/api/v1/clients")
        .await
        .assert(StatusCode::OK);
    let counts: Vec<(&str, i64)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["alias"].as_str().unwrap(),
                c["casemanager_count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [("Grutto", 0), ("Kievit", 1), ("Merel", 1), ("Tureluur", 1)]
    );
    assert_eq!(unseen, all[1]["id"]);
    for bad in ["?out_of_view=yes", "?without_casemanager=1"] {
        coordinator
            .get(&format!("/api/v1/clients{bad}"))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    }
    // The filters are the team's own: another team lists nobody.
    let elsewhere = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(elsewhere)).await;
    let theirs = theirs
        .get("/api/v1/clients?out_of_view=true")
        .await
        .assert(StatusCode::OK);
    assert_eq!(theirs, json!([]));
}
