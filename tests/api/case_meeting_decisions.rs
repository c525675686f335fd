//! Decisions of a case meeting: one past its due date opens one follow-up for its owner
//! (a partner's: for her casemanagers) and pushes once, without client data; a decision on
//! a free subject opens none. Her items are in her export and gone with her erasure; the
//! meeting stays.

use chrono::NaiveDateTime;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::case_meetings::{followups_of_kind, partner_id, plan_meeting, store_agenda};
use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::Session;
use crate::push_service::PushService;

async fn decide(session: &Session, meeting: i64, item: &Value, body: Value) {
    session
        .post(
            &format!(
                "/api/v1/case-meetings/{meeting}/items/{}/decisions",
                item["id"]
            ),
            body,
        )
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn a_decision_past_due_opens_one_follow_up_for_its_owner_and_pushes_once() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Merel").await;
    let owner = app.login_as(Role::Casemanager).await;
    let phone = service.device("owner");
    owner
        .post(
            "/api/v1/push/subscriptions",
            phone.subscription_json(&service),
        )
        .await
        .assert(StatusCode::CREATED);
    let meeting = plan_meeting(&team.coordinator, "2026-11-24T14:00").await;
    let agenda = store_agenda(
        &team.coordinator,
        meeting,
        json!([
            {"reason": "client", "client_id": team.client},
            {"reason": "free", "title": "Winterregeling"},
        ]),
    )
    .await;
    let (hers, free) = (&agenda["items"][0], &agenda["items"][1]);
    decide(
        &team.casemanager,
        meeting,
        hers,
        json!({"what": "Woningcorporatie bellen", "owner_id": owner.user_id, "due_on": "2026-11-25"}),
    )
    .await;
    let domus = partner_id(&team.casemanager, "Domus").await;
    decide(
        &team.casemanager,
        meeting,
        hers,
        json!({"what": "Intake", "partner_id": domus, "partner_contact": "Anouk", "due_on": "2026-11-25"}),
    )
    .await;
    decide(
        &team.coordinator,
        meeting,
        free,
        json!({"what": "Bedden navragen", "owner_id": owner.user_id, "due_on": "2026-11-25"}),
    )
    .await;

    // Due on Wednesday 25 November: past due from the start of Thursday in Amsterdam.
    let at = |text: &str| text.parse::<NaiveDateTime>().unwrap();
    app.clock
        .advance(at("2026-11-25T22:59:59") - app.clock.now());
    assert_eq!(
        sweep(&app).await.meeting_decisions_overdue,
        0,
        "not a second early"
    );
    app.clock
        .advance(at("2026-11-26T09:00:00") - app.clock.now());
    assert_eq!(
        sweep(&app).await.meeting_decisions_overdue,
        2,
        "none for the free subject"
    );
    assert_eq!(sweep(&app).await.meeting_decisions_overdue, 0, "only once");
    assert_eq!(followups_of_kind(&app, "meeting_decision"), 2);

    let mine: Vec<Value> = owner
        .get("/api/v1/followups")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "meeting_decision" && f["owner_id"] == owner.user_id)
        .cloned()
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (
            &mine[0]["owner_id"],
            &mine[0]["client_id"],
            &mine[0]["due_at"]
        ),
        (
            &json!(owner.user_id),
            &json!(team.client),
            &json!("2026-11-26T00:00:00+01:00")
        )
    );
    let for_casemanagers = app.count(&format!(
        "notifications WHERE kind = 'meeting_decision' AND user_id = {}",
        team.casemanager.user_id
    ));
    assert_eq!(
        for_casemanagers, 1,
        "a partner's decision: her casemanager is told"
    );

    sweep(&app).await;
    let pushed = service.delivered();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(
        pushed[0].payload["body"],
        "1 afspraak uit het casusoverleg is over de datum"
    );
    let text = pushed[0].payload.to_string();
    assert!(!text.contains("Merel") && !text.contains("Woningcorporatie"));
}

#[tokio::test]
async fn her_items_are_in_her_export_and_gone_with_her_erasure_the_meeting_stays() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Zwaluw").await;
    let (coordinator, client) = (&team.coordinator, team.client);
    let meeting = plan_meeting(coordinator, "2026-11-24T14:00").await;
    let agenda = store_agenda(
        coordinator,
        meeting,
        json!([
            {"reason": "client", "client_id": client},
            {"reason": "free", "title": "Winterregeling"},
        ]),
    )
    .await;
    let hers = &agenda["items"][0];
    coordinator
        .put(
            &format!(
                "/api/v1/case-meetings/{meeting}/items/{}/summary",
                hers["id"]
            ),
            json!({"summary": "Slaapt weer buiten"}),
        )
        .await
        .assert(StatusCode::OK);
    decide(
        coordinator,
        meeting,
        hers,
        json!({"what": "Nachtopvang regelen", "owner_id": team.casemanager.user_id, "due_on": "2026-11-30"}),
    )
    .await;

    let export = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    let items = &export["case_meeting_items"];
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(
        (&items[0]["meeting_id"], &items[0]["summary"]),
        (&json!(meeting), &json!("Slaapt weer buiten"))
    );
    assert_eq!(items[0]["decisions"][0]["what"], "Nachtopvang regelen");
    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await
        .assert(StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.contains("case_meeting_items;"), "{csv}");
    assert!(csv.contains("case_meeting_items.decisions;"), "{csv}");
    assert!(csv.contains("Nachtopvang regelen"));

    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "deceased"}),
        )
        .await
        .assert(StatusCode::OK);
    let code = export["client"]["code"].clone();
    let erased = coordinator
        .post(
            &format!("/api/v1/clients/{client}/erase"),
            json!({"confirm_code": code}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(erased["case_meeting_items_deleted"], 1);
    assert_eq!(app.count("case_meeting_decisions"), 0);
    assert_eq!(app.count("case_meetings"), 1, "the meeting stays");
    let left = coordinator
        .get(&format!("/api/v1/case-meetings/{meeting}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(left["items"].as_array().unwrap().len(), 1);
    assert_eq!(left["items"][0]["title"], "Winterregeling");
    assert!(!left.to_string().contains("Slaapt weer buiten"));
}
