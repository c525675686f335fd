//! Escalation: the sweep's and by hand ("opschalen"), the process director's list, and her
//! need-to-know: escalated clients only, every other client missing on every endpoint.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, TestApp};
use crate::push_service::PushService;

const REASON: &str = "Geen contact meer sinds haar uitzetting, zorgen om haar veiligheid";

fn escalate_path(followup: i64) -> String {
    format!("/api/v1/followups/{followup}/escalate")
}

async fn escalations(session: &Session) -> Vec<Value> {
    session
        .get("/api/v1/escalations")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .clone()
}

async fn reminder(by: &Session, client: i64, due_at: &str) -> i64 {
    by.post(
        "/api/v1/followups",
        json!({"client_id": client, "due_at": due_at, "note": "bellen over woning"}),
    )
    .await
    .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

fn events(followup: &Value) -> Vec<String> {
    followup["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

/// How many escalation notifications `user` has had.
fn escalation_notices(app: &TestApp, user: i64) -> i64 {
    app.count(&format!(
        "notifications WHERE kind LIKE 'escalation%' AND user_id = {user}"
    ))
}

#[tokio::test]
async fn the_director_sees_the_sweeps_escalation_and_no_other_client_anywhere() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Wielewaal").await;
    let director = app.login_as(Role::ProcessDirector).await;
    let other = team.casemanager.create_client("Roodborst").await;
    // Not due in this test, so it never escalates.
    let other_reminder = reminder(&team.casemanager, other, "2027-06-01T10:00").await;
    assert_eq!(escalations(&director).await, Vec::<Value>::new());
    director
        .get(&format!("/api/v1/clients/{}", team.client))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // Wielewaal is not seen for 14 days, then nobody acts for 10 more; Roodborst is seen.
    app.clock.advance(TimeDelta::days(13));
    team.casemanager
        .record_contact(app.default_location(), other)
        .await
        .assert(StatusCode::CREATED);
    app.clock.advance(TimeDelta::days(1));
    sweep(&app).await;
    app.clock.advance(TimeDelta::days(10));
    assert_eq!(sweep(&app).await.escalated_to_process_director, 1);

    let listed = escalations(&director).await;
    assert_eq!(listed.len(), 1);
    let item = &listed[0];
    assert_eq!(item["client_id"], team.client);
    assert_eq!(item["alias"], "Wielewaal");
    assert!(item["code"].as_str().unwrap().starts_with("C-"));
    assert_eq!(item["status"], "open");
    assert_eq!(item["outcome"], Value::Null);
    assert_eq!(item["escalation_level"], 2);
    assert_eq!(item["escalated_how"], "sweep");
    assert_eq!(item["escalated_at"], "2026-12-17T20:30:00+01:00");
    assert_eq!(item["reason"], Value::Null);
    assert_eq!(
        events(item),
        [
            "opened",
            "notified",
            "escalated_to_coordinator",
            "escalated_to_process_director"
        ]
    );
    // The coordinator sees her team's escalations too.
    assert_eq!(escalations(&team.coordinator).await.len(), 1);

    // Her client: file, contacts, follow-up, list and search.
    let file = format!("/api/v1/clients/{}", team.client);
    let read = director.get(&file).await.assert(StatusCode::OK);
    assert_eq!(read["alias"], "Wielewaal");
    director
        .get(&format!("{file}/contacts"))
        .await
        .assert(StatusCode::OK);
    director
        .get(&format!("/api/v1/followups/{}", item["id"]))
        .await
        .assert(StatusCode::OK);
    let mine = director.get("/api/v1/clients").await.assert(StatusCode::OK);
    let ids: Vec<&Value> = mine.as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(ids, [&json!(team.client)]);

    // Any other client does not exist for her, exactly like a missing one.
    for suffix in [
        "",
        "/contacts",
        "/casemanagers",
        "/handovers",
        "/timeout-stays",
    ] {
        let foreign = director
            .get(&format!("/api/v1/clients/{other}{suffix}"))
            .await;
        let missing = director
            .get(&format!("/api/v1/clients/999999{suffix}"))
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{suffix}");
        assert_eq!(foreign.body, missing.body, "{suffix}");
    }
    let foreign = director
        .get(&format!("/api/v1/followups/{other_reminder}"))
        .await;
    let missing = director.get("/api/v1/followups/999999").await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.body, missing.body);
    for q in ["roodborst", "R"] {
        let found = director
            .post("/api/v1/clients/search", json!({"q": q}))
            .await
            .assert(StatusCode::OK);
        assert!(
            !found.to_string().contains("Roodborst"),
            "search {q}: {found}"
        );
    }
    let found = director
        .post("/api/v1/clients/search", json!({"q": "wiele"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(found.as_array().unwrap().len(), 1);
    director
        .get("/api/v1/followups")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    // Her reads and her refusals are on the trail.
    let trail = |client: i64, outcome: &str| {
        app.count(&format!(
            "audit_log WHERE user_id = {} AND client_id = {client} AND outcome = '{outcome}'",
            director.user_id
        ))
    };
    assert!(trail(team.client, "success") >= 4);
    assert_eq!(trail(other, "success"), 0);
    assert_eq!(trail(other, "denied"), 6);
}

#[tokio::test]
async fn escalating_by_hand_needs_a_reason_and_tells_the_director_once() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Zwaluw").await;
    let director = app.login_as(Role::ProcessDirector).await;
    let phone = service.device("director");
    director
        .post(
            "/api/v1/push/subscriptions",
            phone.subscription_json(&service),
        )
        .await
        .assert(StatusCode::CREATED);
    app.clock.advance(TimeDelta::days(14));
    sweep(&app).await;
    let followup = team
        .casemanager
        .get("/api/v1/followups")
        .await
        .assert(StatusCode::OK)[0]["id"]
        .as_i64()
        .unwrap();
    let path = escalate_path(followup);

    team.casemanager
        .post(&path, json!({"reason": "  "}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    team.casemanager
        .post(&path, json!({}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let escalated = team
        .casemanager
        .post(&path, json!({"reason": REASON}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(escalated["escalation_level"], 2);
    let last = escalated["timeline"].as_array().unwrap().last().unwrap();
    assert_eq!(last["event"], "escalated_by_hand");
    assert_eq!(last["detail"], REASON);
    assert_eq!(last["user_id"], team.casemanager.user_id);
    team.casemanager
        .post(&path, json!({"reason": REASON}))
        .await
        .assert_error(StatusCode::CONFLICT, "already_escalated");

    // One urgent push, without her alias or the reason; later sweeps add nothing.
    sweep(&app).await;
    app.clock.advance(TimeDelta::days(10));
    sweep(&app).await;
    let pushed = service.delivered();
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0].urgency.as_deref(), Some("high"));
    assert_eq!(pushed[0].payload["body"], "1 opvolging naar je opgeschaald");
    assert_eq!(pushed[0].payload["url"], format!("/#/opvolging/{followup}"));
    let text = pushed[0].payload.to_string();
    assert!(!text.contains("Zwaluw") && !text.contains("uitzetting"));
    assert_eq!(escalation_notices(&app, director.user_id), 1);
    assert_eq!(
        escalation_notices(&app, team.coordinator.user_id),
        0,
        "escalated past the coordinator's step"
    );

    let listed = escalations(&director).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["escalated_how"], "by_hand");
    assert_eq!(listed[0]["escalated_by"], team.casemanager.user_id);
    assert_eq!(listed[0]["reason"], REASON);
    assert_eq!(listed[0]["escalated_at"], "2026-12-07T20:30:00+01:00");
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE event = 'followup.escalate' AND outcome = 'success' AND client_id = {}",
            team.client
        )),
        1
    );
}

#[tokio::test]
async fn the_coordinator_and_responsible_casemanagers_escalate_nobody_else() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Putter").await;
    // A reminder answers to the one who set it.
    let followup = reminder(&team.casemanager, team.client, "2026-11-25T10:00").await;
    let path = escalate_path(followup);
    let body = json!({"reason": REASON});

    let colleague = app.login_as(Role::Casemanager).await;
    colleague
        .post(&path, body.clone())
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    for role in [Role::Peer, Role::ProcessDirector, Role::Admin] {
        app.login_as(role)
            .await
            .post(&path, body.clone())
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    let elsewhere = app
        .login_in_team(Role::Coordinator, Some(app.create_team("Stapteam Arnhem")))
        .await;
    elsewhere
        .post(&path, body.clone())
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    team.coordinator
        .post(&path, body.clone())
        .await
        .assert(StatusCode::OK);

    let closed = reminder(&team.casemanager, team.client, "2026-11-25T10:00").await;
    team.casemanager
        .post(
            &format!("/api/v1/followups/{closed}/close"),
            json!({"outcome": "gebeld"}),
        )
        .await
        .assert(StatusCode::OK);
    team.casemanager
        .post(&escalate_path(closed), body)
        .await
        .assert_error(StatusCode::CONFLICT, "followup_closed");
}

#[tokio::test]
async fn the_director_closes_what_was_escalated_to_her_and_her_view_lapses_a_month_later() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Goudvink").await;
    let director = app.login_as(Role::ProcessDirector).await;
    let escalated = reminder(&team.casemanager, team.client, "2026-11-25T10:00").await;
    let other = reminder(&team.casemanager, team.client, "2026-11-25T10:00").await;
    team.coordinator
        .post(&escalate_path(escalated), json!({"reason": REASON}))
        .await
        .assert(StatusCode::OK);

    let act = |id: i64, action: &'static str, body: Value| {
        let director = &director;
        async move {
            director
                .post(&format!("/api/v1/followups/{id}/{action}"), body)
                .await
        }
    };
    act(escalated, "acknowledge", json!({}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    act(
        escalated,
        "snooze",
        json!({"until": "2026-12-10T09:00", "reason": "later"}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
    // Her client's other follow-up she may read, not close.
    director
        .get(&format!("/api/v1/followups/{other}"))
        .await
        .assert(StatusCode::OK);
    act(other, "close", json!({"outcome": "x"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let outcome = "Besproken in het casusoverleg; GGD gaat langs bij haar zus";
    let closed = act(escalated, "close", json!({"outcome": outcome}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closed_by"], director.user_id);
    assert_eq!(events(&closed).last().unwrap(), "closed");

    let listed = escalations(&director).await;
    assert_eq!(listed[0]["status"], "closed");
    assert_eq!(listed[0]["outcome"], outcome);

    // Thirty days on she still reads the outcome; a day later the client is gone for her.
    let file = format!("/api/v1/clients/{}", team.client);
    app.clock.advance(TimeDelta::days(30));
    assert_eq!(escalations(&director).await.len(), 1);
    director.get(&file).await.assert(StatusCode::OK);
    app.clock.advance(TimeDelta::days(1));
    assert_eq!(escalations(&director).await, Vec::<Value>::new());
    director
        .get(&file)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let all = director.get("/api/v1/clients").await.assert(StatusCode::OK);
    assert_eq!(all, json!([]));
}
