//! The case meeting (casusoverleg): the coordinator plans it and keeps its agenda, her
//! casemanagers record summaries and decisions, the minutes name clients by code; who
//! may do what on every endpoint, another team's meeting missing, and the trail.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit::{events, owned, trail};
use crate::helpers::{Session, TestApp, spawn_app};

pub(crate) async fn plan_meeting(coordinator: &Session, starts_at: &str) -> i64 {
    coordinator
        .post(
            "/api/v1/case-meetings",
            json!({"starts_at": starts_at, "location": "Zorg- en Veiligheidshuis, zaal 2"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn partner_id(session: &Session, name: &str) -> i64 {
    session
        .get("/api/v1/partners")
        .await
        .assert(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Stores an agenda and answers the meeting.
pub(crate) async fn store_agenda(coordinator: &Session, meeting: i64, items: Value) -> Value {
    coordinator
        .put(
            &format!("/api/v1/case-meetings/{meeting}/agenda"),
            json!({ "items": items }),
        )
        .await
        .assert(StatusCode::OK)
}

fn item_ids(meeting: &Value) -> Vec<i64> {
    meeting["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// Every endpoint, each caller: the coordinator plans and keeps the agenda, her
/// casemanagers read and record, everyone else is refused, another team finds nothing.
#[tokio::test]
async fn who_may_do_what_with_a_case_meeting() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Roek").await;
    let meeting = plan_meeting(&coordinator, "2026-11-26T14:00").await;
    let agenda = store_agenda(
        &coordinator,
        meeting,
        json!([{"reason": "client", "client_id": client}]),
    )
    .await;
    let item = item_ids(&agenda)[0];
    let base = format!("/api/v1/case-meetings/{meeting}");
    let summary = format!("{base}/items/{item}/summary");
    let decisions = format!("{base}/items/{item}/decisions");
    let new_meeting = json!({"starts_at": "2026-12-10T14:00", "location": "Kantoor"});
    let decision =
        json!({"what": "Huisvesting bellen", "owner_id": cm.user_id, "due_on": "2026-12-01"});

    // The casemanager: reads and records, neither plans nor keeps the agenda, nor asks
    // for the internal copy.
    cm.get("/api/v1/case-meetings").await.assert(StatusCode::OK);
    cm.get(&base).await.assert(StatusCode::OK);
    cm.get(&format!("{base}/minutes"))
        .await
        .assert(StatusCode::OK);
    cm.put(&summary, json!({"summary": "Besproken"}))
        .await
        .assert(StatusCode::OK);
    cm.post(&decisions, decision.clone())
        .await
        .assert(StatusCode::CREATED);
    for refused in [
        cm.post("/api/v1/case-meetings", new_meeting.clone()).await,
        cm.get(&format!("{base}/draft")).await,
        cm.put(&format!("{base}/agenda"), json!({"items": []}))
            .await,
        cm.get(&format!("{base}/minutes?internal=true")).await,
    ] {
        refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    coordinator
        .get(&format!("{base}/minutes?internal=true"))
        .await
        .assert(StatusCode::OK);

    // Peers, the admin, the process director and the municipality: nothing of this.
    for role in [
        Role::Peer,
        Role::Admin,
        Role::ProcessDirector,
        Role::Municipality,
    ] {
        let other = app.login_as(role).await;
        for refused in [
            other.get("/api/v1/case-meetings").await,
            other
                .post("/api/v1/case-meetings", new_meeting.clone())
                .await,
            other.get(&base).await,
            other.get(&format!("{base}/draft")).await,
            other
                .put(&format!("{base}/agenda"), json!({"items": []}))
                .await,
            other.put(&summary, json!({"summary": "x"})).await,
            other.post(&decisions, decision.clone()).await,
            other.get(&format!("{base}/minutes")).await,
        ] {
            refused.assert_error(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    app.anonymous()
        .get(&base)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    // Another team's coordinator and casemanager: as if it did not exist.
    let other_team = app.create_team("Stapteam Arnhem");
    let their_coordinator = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    let their_cm = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    for missing in [
        their_coordinator.get(&base).await,
        their_coordinator.get(&format!("{base}/draft")).await,
        their_coordinator
            .put(&format!("{base}/agenda"), json!({"items": []}))
            .await,
        their_coordinator
            .get(&format!("{base}/minutes?internal=true"))
            .await,
        their_cm.put(&summary, json!({"summary": "x"})).await,
        their_cm.post(&decisions, decision.clone()).await,
        their_cm.get(&format!("{base}/minutes")).await,
    ] {
        missing.assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    let theirs = their_coordinator
        .get("/api/v1/case-meetings")
        .await
        .assert(StatusCode::OK);
    assert_eq!(theirs, json!([]), "another team's meetings are not listed");
    // Nor can her coordinator put another team's client on the agenda.
    let elsewhere = their_cm.create_client("Kauw").await;
    coordinator
        .put(
            &format!("{base}/agenda"),
            json!({"items": [{"item_id": item}, {"reason": "client", "client_id": elsewhere}]}),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    assert!(trail(&app, elsewhere).iter().any(|e| e.outcome == "denied"));
}

#[tokio::test]
async fn the_coordinator_plans_keeps_the_agenda_and_the_team_records_decisions() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let merel = cm.create_client("Merel").await;
    let lijster = cm.create_client("Lijster").await;
    let ribw = partner_id(&coordinator, "RIBW").await;
    let domus = partner_id(&coordinator, "Domus").await;

    let planned = coordinator
        .post(
            "/api/v1/case-meetings",
            json!({"starts_at": "2026-11-26T14:00", "location": "ZVH", "partner_ids": [domus, ribw, ribw]}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(planned["starts_at"], "2026-11-26T14:00:00+01:00");
    let names: Vec<&str> = planned["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Domus", "RIBW"]);
    coordinator
        .post(
            "/api/v1/case-meetings",
            json!({"starts_at": "2026-11-26T14:00", "location": "ZVH", "partner_ids": [999_999]}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_partner");
    coordinator
        .post(
            "/api/v1/case-meetings",
            json!({"starts_at": "gisteren", "location": "ZVH"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_time");
    let meeting = planned["id"].as_i64().unwrap();
    let base = format!("/api/v1/case-meetings/{meeting}");

    // Add two clients and a free subject, then reorder and remove one.
    let first = store_agenda(
        &coordinator,
        meeting,
        json!([
            {"reason": "stagnation", "client_id": merel},
            {"reason": "client", "client_id": lijster, "title": "Na haar verhuizing"},
            {"reason": "free", "title": "Winterregeling nachtopvang"},
        ]),
    )
    .await;
    let ids = item_ids(&first);
    let [m, l, free] = ids[..] else {
        panic!("three items: {first}")
    };
    assert_eq!(first["items"][0]["client_label"], "Merel");
    let second = store_agenda(
        &coordinator,
        meeting,
        json!([{"item_id": free}, {"item_id": m}]),
    )
    .await;
    assert_eq!(item_ids(&second), [free, m]);
    for (bad, code) in [
        (json!([{"reason": "free"}]), "validation_failed"),
        (
            json!([{"reason": "free", "client_id": merel, "title": "x"}]),
            "agenda_item_client",
        ),
        (json!([{"reason": "client"}]), "agenda_item_client"),
        (json!([{"item_id": l}]), "unknown_agenda_item"),
        (json!([{"item_id": m}, {"item_id": m}]), "validation_failed"),
        (
            json!([{"reason": "gossip", "client_id": merel}]),
            "validation_failed",
        ),
    ] {
        coordinator
            .put(&format!("{base}/agenda"), json!({ "items": bad }))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }

    // During the meeting her casemanager records the discussion and two decisions.
    let item_path = format!("{base}/items/{m}");
    cm.put(
        &format!("{item_path}/summary"),
        json!({"summary": "Wacht nog op Domus"}),
    )
    .await
    .assert(StatusCode::OK);
    let decided = cm
        .post(
            &format!("{item_path}/decisions"),
            json!({"what": "Domus bellen", "owner_id": cm.user_id, "due_on": "2026-12-01"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(decided["summary"], "Wacht nog op Domus");
    assert_eq!(decided["decisions"][0]["owner_id"], cm.user_id);
    cm.post(
        &format!("{item_path}/decisions"),
        json!({"what": "Intake plannen", "partner_id": domus, "partner_contact": "Anouk", "due_on": "2026-11-26"}),
    )
    .await
    .assert(StatusCode::CREATED);
    for (bad, code) in [
        (
            json!({"what": "Te vroeg", "owner_id": cm.user_id, "due_on": "2026-11-25"}),
            "due_before_meeting",
        ),
        (
            json!({"what": "Niemand", "due_on": "2026-12-01"}),
            "one_owner",
        ),
        (
            json!({"what": "Zonder naam", "partner_id": domus, "due_on": "2026-12-01"}),
            "partner_contact_required",
        ),
        (
            json!({"what": "Buitenstaander", "owner_id": app.login_as(Role::Peer).await.user_id, "due_on": "2026-12-01"}),
            "owner_not_in_team",
        ),
    ] {
        cm.post(&format!("{item_path}/decisions"), bad)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    coordinator
        .put(
            &format!("{base}/agenda"),
            json!({"items": [{"item_id": free}]}),
        )
        .await
        .assert_error(StatusCode::CONFLICT, "agenda_item_has_decisions");
    cm.put(
        &format!("{base}/items/999999/summary"),
        json!({"summary": "x"}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");

    // The minutes name her by code; the coordinator's internal copy by alias.
    let code = cm
        .get(&format!("/api/v1/clients/{merel}"))
        .await
        .assert(StatusCode::OK)["code"]
        .clone();
    let minutes = cm
        .get(&format!("{base}/minutes"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(minutes["names_aliases"], false);
    assert_eq!(minutes["items"][1]["client_label"], code);
    assert!(!minutes.to_string().contains("Merel"));
    assert_eq!(minutes["items"][1]["decisions"][1]["partner_name"], "Domus");
    let internal = coordinator
        .get(&format!("{base}/minutes?internal=true"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(internal["items"][1]["client_label"], "Merel");

    // Her trail: each change and each opening of what shows her.
    let mine = events(&trail(&app, merel));
    for expected in owned(&[
        ("case_meeting.agenda.update", "U", "success"),
        ("case_meeting.read", "R", "success"),
        ("case_meeting.item.update", "U", "success"),
        ("case_meeting.decision.create", "C", "success"),
        ("case_meeting.minutes", "R", "success"),
        ("case_meeting.minutes.internal", "R", "success"),
    ]) {
        assert!(mine.contains(&expected), "{expected:?} in {mine:?}");
    }
    let lijster_trail = events(&trail(&app, lijster));
    assert!(
        !lijster_trail.iter().any(|e| e.0 == "case_meeting.minutes"),
        "removed from the agenda, not on the minutes"
    );
    let opened = app.count("audit_log WHERE event = 'case_meeting.minutes' AND client_id IS NULL");
    assert_eq!(opened, 1);
    cm.get(&base).await.assert(StatusCode::OK);
    let listed = cm.get("/api/v1/case-meetings").await.assert(StatusCode::OK);
    assert_eq!(listed[0]["id"], meeting);
    assert_eq!(listed[0]["items"], json!([]));
}

pub(crate) fn followups_of_kind(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!("followups WHERE kind = '{kind}'"))
}
