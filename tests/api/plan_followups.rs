//! The follow-ups her plan raises, driven by the sweep at chosen clock times: an action
//! past its due date for its owner, closed by finishing it; her plan's review three
//! months after her latest assessment; the aftercare check-ins three and six months
//! after a good exit, across a daylight-saving change.

use chrono::{NaiveDateTime, TimeDelta};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Session, TestApp};

pub(crate) async fn of_kind(session: &Session, kind: &str) -> Vec<Value> {
    session
        .get("/api/v1/followups?include_closed=true")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .cloned()
        .collect()
}

pub(crate) fn notices(app: &TestApp, kind: &str, user: i64) -> i64 {
    app.count(&format!(
        "notifications WHERE kind = '{kind}' AND user_id = {user}"
    ))
}

/// Moves the clock on to `at` (UTC).
pub(crate) fn advance_to(app: &TestApp, at: &str) {
    let at: NaiveDateTime = at.parse().unwrap();
    app.clock.advance(at - app.clock.now());
}

async fn goal_of(session: &Session, client: i64) -> i64 {
    session
        .post(
            &format!("/api/v1/clients/{client}/goals"),
            json!({"text": "Een eigen kamer", "domains": ["housing"]}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn action(session: &Session, client: i64, goal: i64, body: Value) -> i64 {
    session
        .post(
            &format!("/api/v1/clients/{client}/goals/{goal}/actions"),
            body,
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn an_action_past_its_due_date_opens_one_follow_up_for_its_owner() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Merel").await;
    let owner = app.login_as(Role::Casemanager).await;
    let goal = goal_of(&team.casemanager, team.client).await;
    let mine = json!({"what": "Bellen met de woningcorporatie", "owner_id": owner.user_id, "due_on": "2026-11-24"});
    let mine = action(&team.casemanager, team.client, goal, mine).await;
    let domus = team
        .casemanager
        .get("/api/v1/partners")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Domus")
        .unwrap()["id"]
        .clone();
    let theirs = json!({"what": "Intake", "partner_id": domus, "partner_contact": "Anouk", "due_on": "2026-11-24"});
    action(&team.casemanager, team.client, goal, theirs).await;

    // Due on Tuesday 24 November: past due from the start of Wednesday in Amsterdam.
    assert_eq!(sweep(&app).await.plan_actions_overdue, 0);
    advance_to(&app, "2026-11-24T22:59:59");
    assert_eq!(
        sweep(&app).await.plan_actions_overdue,
        0,
        "not a second early"
    );
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(sweep(&app).await.plan_actions_overdue, 2);
    assert_eq!(sweep(&app).await.plan_actions_overdue, 0, "only once");

    let opened = of_kind(&owner, "plan_action").await;
    assert_eq!(opened.len(), 2);
    let for_owner = opened
        .iter()
        .find(|f| f["owner_id"] == owner.user_id)
        .unwrap();
    assert!(for_owner["owner_name"].is_string());
    assert_eq!(for_owner["due_at"], "2026-11-25T00:00:00+01:00");
    let for_casemanagers = opened.iter().find(|f| f["owner_id"].is_null()).unwrap();
    assert_eq!(
        notices(&app, "plan_action", owner.user_id),
        1,
        "its owner is told"
    );
    assert_eq!(
        notices(&app, "plan_action", team.casemanager.user_id),
        1,
        "a partner's action: her casemanager is told, not of the owner's"
    );
    sweep(&app).await;
    assert_eq!(notices(&app, "plan_action", owner.user_id), 1, "once");

    owner
        .post(
            &format!("/api/v1/clients/{}/actions/{mine}/status", team.client),
            json!({"status": "done"}),
        )
        .await
        .assert(StatusCode::OK);
    let closed = team
        .casemanager
        .get(&format!("/api/v1/followups/{}", for_owner["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["status"], "closed");
    let last = closed["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["event"], "closed_action_finished");
    let other = team
        .casemanager
        .get(&format!("/api/v1/followups/{}", for_casemanagers["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(other["status"], "open");
}

#[tokio::test]
async fn her_plan_is_due_for_review_three_months_after_her_latest_assessment() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Fitis").await;
    let assess = |on: &'static str| {
        let session = &team.casemanager;
        let path = format!("/api/v1/clients/{}/assessments", team.client);
        async move {
            session
                .post(
                    &path,
                    json!({"on": on, "scores": [{"domain": "housing", "score": 2}]}),
                )
                .await
                .assert(StatusCode::CREATED);
        }
    };
    assess("2026-11-20").await;
    // 20 February 2027 starts at 23:00 UTC on the 19th.
    advance_to(&app, "2027-02-19T22:59:59");
    assert_eq!(sweep(&app).await.plan_reviews, 0);
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(sweep(&app).await.plan_reviews, 1);
    assert_eq!(sweep(&app).await.plan_reviews, 0, "only once");
    let review = of_kind(&team.casemanager, "plan_review").await;
    assert_eq!(review.len(), 1);
    assert_eq!(review[0]["due_at"], "2027-02-20T00:00:00+01:00");
    assert!(review[0]["owner_id"].is_null());
    assert_eq!(notices(&app, "plan_review", team.casemanager.user_id), 1);

    // The review is a new assessment: the reminder closes, the next is three months on.
    app.clock.advance(TimeDelta::days(1));
    assess("2027-02-20").await;
    assert_eq!(sweep(&app).await.plan_reviews, 0);
    let review = of_kind(&team.casemanager, "plan_review").await;
    assert_eq!(review[0]["status"], "closed");
    advance_to(&app, "2027-05-19T22:00:00");
    assert_eq!(sweep(&app).await.plan_reviews, 1, "20 May, summer time");
}

#[tokio::test]
async fn a_good_exit_gets_aftercare_check_ins_after_three_and_six_months() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Tapuit").await;
    let moved = team.casemanager.create_client("Putter").await;
    let close = |client: i64, reason: &'static str| {
        let session = &team.casemanager;
        async move {
            session
                .post(
                    &format!("/api/v1/clients/{client}/close"),
                    json!({"reason": reason, "exit_on": "2026-11-23"}),
                )
                .await
                .assert(StatusCode::OK);
        }
    };
    close(team.client, "regular_care").await;
    close(moved, "moved_away").await;

    // 23 February 2027 (winter time) starts at 23:00 UTC the day before.
    advance_to(&app, "2027-02-22T22:59:59");
    assert_eq!(sweep(&app).await.aftercare, 0);
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(sweep(&app).await.aftercare, 1);
    assert_eq!(sweep(&app).await.aftercare, 0, "only once");
    let first = of_kind(&team.casemanager, "aftercare").await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["client_id"], team.client);
    assert_eq!(first[0]["due_at"], "2027-02-23T00:00:00+01:00");
    assert_eq!(notices(&app, "aftercare", team.casemanager.user_id), 1);
    let closed = team
        .casemanager
        .post(
            &format!("/api/v1/followups/{}/close", first[0]["id"]),
            json!({"outcome": "Gaat goed, woont zelfstandig"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["outcome"], "Gaat goed, woont zelfstandig");

    // 23 May 2027 is in summer time: its day starts at 22:00 UTC.
    advance_to(&app, "2027-05-22T21:59:59");
    assert_eq!(sweep(&app).await.aftercare, 0);
    app.clock.advance(TimeDelta::seconds(1));
    assert_eq!(sweep(&app).await.aftercare, 1);
    let both = of_kind(&team.casemanager, "aftercare").await;
    assert_eq!(both.len(), 2);
    let second = both.iter().find(|f| f["status"] == "open").unwrap();
    assert_eq!(second["due_at"], "2027-05-23T00:00:00+02:00");
    assert!(
        both.iter().all(|f| f["client_id"] == team.client),
        "not after moving away"
    );
}
