//! Her assessments of the life domains (ZRM): recording and reading them, every rule with
//! its code, correcting one within a day, her progress since intake, who may see scores,
//! and her assessments in her export and gone with her erasure.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::trail;
use crate::erasure::still_stored;
use crate::helpers::{Session, TestApp, spawn_app, spawn_app_with};

fn assessments_path(client: i64) -> String {
    format!("/api/v1/clients/{client}/assessments")
}

async fn assess(session: &Session, client: i64, body: Value) -> Value {
    session
        .post(&assessments_path(client), body)
        .await
        .assert(StatusCode::CREATED)
}

async fn progress(session: &Session, client: i64) -> Value {
    session
        .get(&format!("/api/v1/clients/{client}/progress"))
        .await
        .assert(StatusCode::OK)
}

/// Sessions that outlast the days a test moves the clock on.
async fn long_sessions() -> TestApp {
    spawn_app_with(|s| {
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await
}

fn domain<'a>(progress: &'a Value, code: &str) -> &'a Value {
    progress["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["domain"] == code)
        .unwrap()
}

#[tokio::test]
async fn her_progress_compares_each_domain_with_her_intake() {
    let app = long_sessions().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tapuit").await;
    let empty = progress(&cm, client).await;
    assert_eq!(empty["domains"].as_array().unwrap().len(), 13);
    assert_eq!(domain(&empty, "housing")["latest"], Value::Null);

    let intake = assess(
        &cm,
        client,
        json!({"on": "2026-08-01", "scores": [
            {"domain": "housing", "score": 1, "note": "Slaapt in de auto"},
            {"domain": "finances", "score": 3},
            {"domain": "substance_use", "score": 2},
            {"domain": "justice", "score": null, "note": "Niet besproken"},
        ]}),
    )
    .await;
    assert_eq!(intake["on"], "2026-08-01");
    assert_eq!(intake["can_correct"], true);
    let domains: Vec<&str> = intake["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["finances", "housing", "substance_use", "justice"]);
    assert_eq!(intake["scores"][3]["score"], Value::Null);

    app.clock.advance(TimeDelta::days(30));
    let later = assess(
        &cm,
        client,
        json!({"on": "2026-11-20", "scores": [
            {"domain": "housing", "score": 3},
            {"domain": "finances", "score": 2},
            {"domain": "substance_use", "score": 2},
            {"domain": "mental_health", "score": 2},
        ]}),
    )
    .await;
    let list = cm
        .get(&assessments_path(client))
        .await
        .assert(StatusCode::OK);
    let ids: Vec<&Value> = list.as_array().unwrap().iter().map(|a| &a["id"]).collect();
    assert_eq!(ids, [&later["id"], &intake["id"]], "newest first");
    assert_eq!(list[1]["can_correct"], false, "recorded 30 days ago");
    let one = cm
        .get(&format!("{}/{}", assessments_path(client), intake["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(one["scores"][1]["note"], "Slaapt in de auto");

    let now = progress(&cm, client).await;
    let housing = domain(&now, "housing");
    assert_eq!(
        (&housing["intake"], &housing["latest"]),
        (&json!(1), &json!(3))
    );
    assert_eq!(housing["change"], 2);
    assert_eq!(housing["trend"], "improved");
    assert_eq!(
        housing["points"],
        json!([{"on": "2026-08-01", "score": 1}, {"on": "2026-11-20", "score": 3}])
    );
    assert_eq!(domain(&now, "finances")["trend"], "declined");
    assert_eq!(domain(&now, "substance_use")["change"], 0);
    let mental = domain(&now, "mental_health");
    assert_eq!(
        (&mental["latest"], &mental["change"]),
        (&json!(2), &Value::Null)
    );
    assert_eq!(domain(&now, "justice")["latest"], Value::Null);
    assert_eq!(
        (&now["improved"], &now["declined"], &now["equal"]),
        (&json!(1), &json!(1), &json!(1))
    );

    let events: Vec<(String, String)> = trail(&app, client)
        .into_iter()
        .map(|e| (e.event, e.action))
        .collect();
    for (event, action) in [
        ("client.assessment.create", "C"),
        ("client.assessments.read", "R"),
        ("client.assessment.read", "R"),
        ("client.progress.read", "R"),
    ] {
        assert!(
            events.contains(&(event.to_owned(), action.to_owned())),
            "{event} in {events:?}"
        );
    }
}

#[tokio::test]
async fn a_score_out_of_range_a_future_day_or_an_unknown_domain_is_refused() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Roodborst").await;
    let path = assessments_path(client);
    let one = |domain: &str, score: Value| json!([{"domain": domain, "score": score}]);
    for (body, code) in [
        (
            json!({"on": "2026-11-23", "scores": one("housing", json!(6))}),
            "score_out_of_range",
        ),
        (
            json!({"on": "2026-11-23", "scores": one("housing", json!(0))}),
            "score_out_of_range",
        ),
        // Tomorrow in Amsterdam (it is 20:30 on the 23rd there).
        (
            json!({"on": "2026-11-24", "scores": one("housing", json!(3))}),
            "date_in_future",
        ),
        (
            json!({"on": "2026-11-23", "scores": one("wonen", json!(3))}),
            "unknown_domain",
        ),
        (
            json!({"on": "2026-11-23", "scores": one("housing", Value::Null)}),
            "nothing_scored",
        ),
        (
            json!({"on": "2026-11-23", "scores": [
                {"domain": "housing", "score": 2}, {"domain": "housing", "score": 3}
            ]}),
            "duplicate_domain",
        ),
        (
            json!({"on": "2026-11-23", "scores": [
                {"domain": "housing", "score": 2, "note": "x".repeat(501)}
            ]}),
            "validation_failed",
        ),
    ] {
        cm.post(&path, body)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    assert_eq!(app.count("assessments"), 0);
    assert_eq!(app.count("assessment_scores"), 0);
}

#[tokio::test]
async fn only_its_author_corrects_an_assessment_and_only_within_a_day() {
    let app = long_sessions().await;
    let cm = app.login_as(Role::Casemanager).await;
    let colleague = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Fitis").await;
    let first = assess(
        &cm,
        client,
        json!({"on": "2026-11-23", "scores": [{"domain": "housing", "score": 2}]}),
    )
    .await;
    let path = format!("{}/{}", assessments_path(client), first["id"]);
    let fixed = json!({"on": "2026-11-22", "scores": [
        {"domain": "housing", "score": 3, "note": "Toch een kamer"},
        {"domain": "time_use", "score": 2},
    ]});
    colleague
        .patch(&path, fixed.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let listed = colleague
        .get(&assessments_path(client))
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed[0]["can_correct"], false);

    app.clock.advance(TimeDelta::hours(23));
    let corrected = cm.patch(&path, fixed.clone()).await.assert(StatusCode::OK);
    assert_eq!(corrected["on"], "2026-11-22");
    assert_eq!(corrected["scores"].as_array().unwrap().len(), 2);
    assert_eq!(corrected["scores"][1]["score"], 3);
    assert!(corrected["corrected_at"].is_string());
    assert_eq!(app.count("assessments"), 1, "corrected, not added");
    assert_eq!(app.count("assessment_scores"), 2);
    cm.patch(
        &path,
        json!({"on": "2026-11-22", "scores": [{"domain": "housing", "score": 9}]}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "score_out_of_range");

    app.clock
        .advance(TimeDelta::hours(1) + TimeDelta::seconds(1));
    cm.patch(&path, fixed)
        .await
        .assert_error(StatusCode::CONFLICT, "too_late_to_correct");
    assert!(
        trail(&app, client)
            .iter()
            .any(|e| e.event == "client.assessment.update" && e.action == "U")
    );
    cm.patch(
        &format!("{}/{}", assessments_path(client), 999_999),
        json!({"on": "2026-11-22", "scores": [{"domain": "housing", "score": 2}]}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn scores_are_for_her_team_s_casemanagers_and_the_coordinator() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Gierzwaluw").await;
    let body = json!({"on": "2026-11-23", "scores": [{"domain": "housing", "score": 2}]});
    let recorded = assess(&coordinator, client, body.clone()).await;
    let list = assessments_path(client);
    let one = format!("{list}/{}", recorded["id"]);
    let progress_path = format!("/api/v1/clients/{client}/progress");

    let cm = app.login_as(Role::Casemanager).await;
    assess(&cm, client, body.clone()).await;
    for path in [&list, &one, &progress_path] {
        cm.get(path).await.assert(StatusCode::OK);
        coordinator.get(path).await.assert(StatusCode::OK);
    }
    // A peer worker sees her file, not her scores; nor does the process director, who
    // reads only what an escalation needs. Admin and municipality see no client at all.
    for role in [
        Role::Peer,
        Role::ProcessDirector,
        Role::Admin,
        Role::Municipality,
    ] {
        let session = app.login_as(role).await;
        for path in [&list, &one, &progress_path] {
            session
                .get(path)
                .await
                .assert_error(StatusCode::FORBIDDEN, "forbidden");
        }
        session
            .post(&list, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
        session
            .patch(&one, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let other_team = app.create_team("Stapteam Arnhem");
    for role in [Role::Coordinator, Role::Casemanager] {
        let theirs = app.login_in_team(role, Some(other_team)).await;
        for path in [&list, &one, &progress_path] {
            theirs
                .get(path)
                .await
                .assert_error(StatusCode::NOT_FOUND, "not_found");
        }
        theirs
            .post(&list, body.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
        theirs
            .patch(&one, body.clone())
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    // An assessment of another of the team's clients is not hers.
    let other = coordinator.create_client("Boomklever").await;
    coordinator
        .get(&format!("{}/{}", assessments_path(other), recorded["id"]))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("assessments"), 2);
}

#[tokio::test]
async fn her_assessments_are_in_her_export_and_gone_with_her_erasure() {
    const NOTE: &str = "Schulden bij de woningcorporatie afgelost";
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Putter").await;
    assess(
        &coordinator,
        client,
        json!({"on": "2026-11-20", "scores": [{"domain": "finances", "score": 4, "note": NOTE}]}),
    )
    .await;
    let export = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    let assessment = &export["assessments"][0];
    assert_eq!(assessment["on"], "2026-11-20");
    assert_eq!(assessment["scores"][0]["domain"], "finances");
    assert_eq!(assessment["scores"][0]["score"], 4);
    assert_eq!(assessment["scores"][0]["note"], NOTE);
    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    let text = csv.body.as_str().unwrap();
    assert!(text.contains(&format!(";note;{NOTE}\r\n")), "{text}");
    assert!(text.contains("\r\nassessments.scores;"), "{text}");
    assert!(text.contains(";on;2026-11-20\r\n"), "{text}");

    assert_eq!(still_stored(&app, &[NOTE]), [NOTE]);
    let code = coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK)["code"]
        .clone();
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "moved_away"}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/erase"),
            json!({"confirm_code": code}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(app.count("assessments"), 0);
    assert_eq!(app.count("assessment_scores"), 0);
    assert_eq!(still_stored(&app, &[NOTE]), Vec::<String>::new());
}

/// Sends an assessment as the phone's outbox does, with the item's key.
async fn send(session: &Session, client: i64, body: Value) -> crate::helpers::Reply {
    let key = [("Idempotency-Key", "5c0e3a6e-offline-1")];
    session
        .send(
            reqwest::Method::POST,
            &assessments_path(client),
            Some(body),
            &key,
        )
        .await
}

#[tokio::test]
async fn an_assessment_sent_again_with_its_key_is_recorded_once() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Zwarte Mees").await;
    let other = cm.create_client("Pimpelmees").await;
    let body = json!({"on": "2026-11-22", "scores": [{"domain": "housing", "score": 2}]});
    let first = send(&cm, client, body.clone()).await;
    assert!(first.headers.get("idempotent-replayed").is_none());
    let first = first.assert(StatusCode::CREATED);
    let again = send(&cm, client, body.clone()).await;
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.assert(StatusCode::CREATED)["id"], first["id"]);
    assert_eq!(app.count("assessments"), 1);
    assert_eq!(app.count("assessment_scores"), 1);
    send(
        &cm,
        client,
        json!({"on": "2026-11-22", "scores": [{"domain": "housing", "score": 3}]}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    send(&cm, other, body)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(app.count("assessments"), 1);
    let creates = trail(&app, client)
        .iter()
        .filter(|e| e.event == "client.assessment.create")
        .count();
    assert_eq!(creates, 1, "a replay is no second creation");
}
