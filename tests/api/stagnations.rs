//! Stagnations: a stalled case escalated to the process director, her answer and her
//! closing it, each on the timeline, in the trail, and told once without client data; who
//! sees what; and the Top 15&15 mark she sees.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

fn notified(app: &TestApp, kind: &str, who: &Session) -> i64 {
    app.count(&format!(
        "notifications WHERE kind = '{kind}' AND user_id = {}",
        who.user_id
    ))
}

fn events(stagnation: &Value) -> Vec<String> {
    stagnation["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn her_casemanager_reports_the_director_answers_and_closes_and_each_is_told_once() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let client = cm.create_client("Wulp").await;
    let client_path = format!("/api/v1/clients/{client}");
    // Before anything is escalated to her, the director does not find her.
    director
        .get(&client_path)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let reported = cm
        .post(
            &format!("{client_path}/stagnations"),
            json!({"kind": "housing", "reason": "Al een half jaar geen plek"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let id = reported["id"].as_i64().unwrap();
    assert_eq!(
        (reported["status"].clone(), reported["kind"].clone()),
        (json!("open"), json!("housing"))
    );
    assert_eq!(events(&reported), ["reported"]);
    assert_eq!(
        reported["timeline"][0]["detail"],
        "Al een half jaar geen plek"
    );
    assert_eq!(notified(&app, "stagnation_reported", &director), 1);
    let queued: Vec<(Option<i64>, Option<i64>)> = app.db_read(|conn| {
        use diesel::prelude::*;
        use inbeeld::db::schema::notifications::dsl::*;
        notifications
            .filter(kind.eq("stagnation_reported"))
            .select((client_id, followup_id))
            .load(conn)
    });
    assert_eq!(
        queued,
        [(Some(client), None)],
        "a link to her page, no text"
    );

    // Top 15&15: her casemanager marks her; the director sees the mark and her file now.
    cm.patch(&client_path, json!({"top15": true}))
        .await
        .assert(StatusCode::OK);
    let file = director.get(&client_path).await.assert(StatusCode::OK);
    assert_eq!(
        (file["alias"].clone(), file["top15"].clone()),
        (json!("Wulp"), json!(true))
    );
    let listed = director
        .get("/api/v1/stagnations")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        (listed[0]["alias"].clone(), listed[0]["top15"].clone()),
        (json!("Wulp"), json!(true))
    );

    let path = format!("/api/v1/stagnations/{id}");
    director
        .post(
            &format!("{path}/answer"),
            json!({"action": "Voordragen voor Skeave Huse", "owner": "Domus", "due_on": "2026-11-22"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "date_in_past");
    let answered = director
        .post(
            &format!("{path}/answer"),
            json!({"action": "Voordragen voor Skeave Huse", "owner": "Domus", "due_on": "2026-12-07"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            answered["status"].clone(),
            answered["action_owner"].clone(),
            answered["action_due_on"].clone()
        ),
        (json!("answered"), json!("Domus"), json!("2026-12-07"))
    );
    assert_eq!(notified(&app, "stagnation_answered", &cm), 1);
    assert_eq!(notified(&app, "stagnation_answered", &coordinator), 1);
    assert_eq!(notified(&app, "stagnation_answered", &director), 0);

    let closed = director
        .post(
            &format!("{path}/close"),
            json!({"outcome": "Kamer bij Skeave Huse"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(events(&closed), ["reported", "answered", "closed"]);
    assert_eq!(closed["timeline"][1]["action_owner"], "Domus");
    assert_eq!(closed["outcome"], "Kamer bij Skeave Huse");
    director
        .post(&format!("{path}/close"), json!({"outcome": "Nog eens"}))
        .await
        .assert_error(StatusCode::CONFLICT, "stagnation_closed");
    assert_eq!(
        notified(&app, "stagnation_answered", &cm),
        2,
        "one per step"
    );
    assert_eq!(
        notified(&app, "stagnation_reported", &director),
        1,
        "told once"
    );

    // Her casemanager sees the answer on her page.
    let hers = cm
        .get(&format!("{client_path}/stagnations"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(hers[0]["agreed_action"], "Voordragen voor Skeave Huse");
    for (event, count) in [
        ("stagnation.create", 1),
        ("stagnation.answer", 1),
        ("stagnation.close", 1),
    ] {
        assert_eq!(
            app.count(&format!(
                "audit_log WHERE client_id = {client} AND event = '{event}' AND outcome = 'success'"
            )),
            count,
            "{event}"
        );
    }
}

#[tokio::test]
async fn only_her_team_and_the_director_see_stagnations() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kievit").await;
    let body = json!({"kind": "care_avoidance", "reason": "Weigert elke afspraak"});
    let reports = format!("/api/v1/clients/{client}/stagnations");

    // A casemanager of the team who is not hers, and the director, may not report.
    let colleague = app.login_as(Role::Casemanager).await;
    colleague
        .post(&reports, body.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let director = app.login_as(Role::ProcessDirector).await;
    let refused = director.post(&reports, body.clone()).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&refused.status),
        "the director reported: {}",
        refused.status
    );
    let coordinator = app.login_as(Role::Coordinator).await;
    let id = coordinator
        .post(&reports, body)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let one = format!("/api/v1/stagnations/{id}");

    colleague.get(&one).await.assert(StatusCode::OK);
    director.get(&one).await.assert(StatusCode::OK);
    for role in [Role::Peer, Role::Municipality, Role::Admin] {
        let other = app.login_as(role).await;
        for path in [&reports, &one, &"/api/v1/stagnations".to_owned()] {
            other
                .get(path)
                .await
                .assert_error(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    theirs
        .get(&reports)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    theirs
        .get(&one)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let listed = theirs
        .get("/api/v1/stagnations")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 0);
    // Only the director answers.
    coordinator
        .post(&format!("{one}/close"), json!({"outcome": "zelf opgelost"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    director
        .post("/api/v1/stagnations/999999/close", json!({"outcome": "x"}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.post(&reports, json!({"kind": "castle", "reason": "x"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.post(&reports, json!({"kind": "money", "reason": "  "}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.count("stagnations"), 1);
}
