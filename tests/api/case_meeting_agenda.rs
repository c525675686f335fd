//! The draft agenda of a case meeting, from a constructed team: exactly the clients with
//! an open stagnation, a follow-up escalated to the process director, out of view, a
//! referral waiting too long or a plan past its review date; one item each, and none of
//! another team's, of those settled, or of those already on the agenda.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::case_meetings::{plan_meeting, store_agenda};
use crate::helpers::{Session, spawn_app};

async fn client_with(session: &Session, alias: &str, extra: Value) -> i64 {
    let mut body = json!({"alias": alias, "region": "nijmegen"});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    session
        .post("/api/v1/clients", body)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn referral(session: &Session, client: i64, requested_on: &str) {
    session
        .post(
            &format!("/api/v1/clients/{client}/referrals"),
            json!({"kind": "diagnostics", "requested_on": requested_on}),
        )
        .await
        .assert(StatusCode::CREATED);
}

async fn assess(session: &Session, client: i64, on: &str) {
    session
        .post(
            &format!("/api/v1/clients/{client}/assessments"),
            json!({"on": on, "scores": [{"domain": "housing", "score": 2}]}),
        )
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn the_draft_picks_exactly_the_clients_with_a_reason_one_item_each() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let none = json!({});
    // Today is Monday 23 November 2026; out of view after 90 days, a referral waits 42.
    let stalled = client_with(&cm, "Ekster", none.clone()).await;
    cm.report_stagnation(stalled, "housing").await;
    referral(&cm, stalled, "2026-09-01").await;
    let settled = client_with(&cm, "Gaai", none.clone()).await;
    let closed = cm.report_stagnation(settled, "housing").await;
    director
        .post(
            &format!("/api/v1/stagnations/{closed}/close"),
            json!({"outcome": "Kamer gevonden"}),
        )
        .await
        .assert(StatusCode::OK);
    let escalated = client_with(&cm, "Havik", none.clone()).await;
    let reminder = cm
        .post(
            "/api/v1/followups",
            json!({"client_id": escalated, "due_at": "2026-11-23T10:00", "note": "bellen"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    cm.post(
        &format!("/api/v1/followups/{reminder}/escalate"),
        json!({"reason": "Geen gehoor, zorgen"}),
    )
    .await
    .assert(StatusCode::OK);
    let unseen = client_with(&cm, "Uil", json!({"intake_on": "2026-08-01"})).await;
    let recently_in = client_with(&cm, "Valk", json!({"intake_on": "2026-09-01"})).await;
    let waiting = client_with(&cm, "Buizerd", none.clone()).await;
    referral(&cm, waiting, "2026-10-12").await;
    let not_yet = client_with(&cm, "Sperwer", none.clone()).await;
    referral(&cm, not_yet, "2026-10-13").await;
    let review = client_with(&cm, "Reiger", none.clone()).await;
    assess(&cm, review, "2026-08-23").await;
    let reviewed = client_with(&cm, "Ooievaar", none.clone()).await;
    assess(&cm, reviewed, "2026-08-24").await;
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    let elsewhere = theirs.create_client("Kraai").await;
    theirs.report_stagnation(elsewhere, "housing").await;

    let meeting = plan_meeting(&coordinator, "2026-11-26T14:00").await;
    let draft_path = format!("/api/v1/case-meetings/{meeting}/draft");
    let drafted = coordinator.get(&draft_path).await.assert(StatusCode::OK);
    let picked: Vec<(i64, &str)> = drafted
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["client_id"].as_i64().unwrap(),
                d["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        picked,
        [
            (stalled, "stagnation"),
            (escalated, "escalation"),
            (unseen, "out_of_view"),
            (waiting, "referral_waiting"),
            (review, "plan_review"),
        ],
        "{drafted}"
    );
    let _ = (settled, recently_in, not_yet, reviewed);
    assert_eq!(drafted[0]["also"], json!(["referral_waiting"]));
    assert_eq!(
        (&drafted[0]["alias"], &drafted[0]["kind"]),
        (&json!("Ekster"), &json!("housing"))
    );
    assert_eq!(drafted[2]["since"], "2026-08-01");
    assert_eq!(drafted[3]["since"], "2026-10-12");
    assert_eq!(drafted[4]["since"], "2026-11-23");
    // Each client proposed is read; one not proposed is not.
    let drafted_reads = |client: i64| {
        app.count(&format!(
            "audit_log WHERE event = 'case_meeting.draft' AND client_id = {client}"
        ))
    };
    assert_eq!((drafted_reads(stalled), drafted_reads(settled)), (1, 0));

    // Taken over onto the agenda, a client is no longer proposed.
    store_agenda(
        &coordinator,
        meeting,
        json!([{"reason": "stagnation", "client_id": stalled}]),
    )
    .await;
    let again = coordinator.get(&draft_path).await.assert(StatusCode::OK);
    assert_eq!(again.as_array().unwrap().len(), 4);
    assert!(
        again
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["client_id"] != stalled)
    );
}
