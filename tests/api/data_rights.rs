//! Data rights: the export for a request of access (JSON and CSV), who may export and
//! erase, and what erasing a client asks for and leaves.

use inbeeld::db::queries::audit::for_client;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

pub const ALIAS: &str = "Zwartkopmeesje";
pub const NOTE: &str = "slaapt onder de Waalbrug sinds oktober";
pub const REMINDER: &str = "bellen over haar woning";
pub const PLACE: &str = "bij haar zus in Arnhem";
pub const REGISTRATION: &str = "REG-2291";
pub const REFERRAL_NOTE: &str = "afgewezen: eerst schulden regelen";

/// A client with something in every table that can hold her data.
pub struct Story {
    pub coordinator: Session,
    pub cm: Session,
    pub client: i64,
    pub code: String,
    pub contact: i64,
}

pub async fn client_with_a_history(app: &TestApp) -> Story {
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({
                "alias": ALIAS, "region": "nijmegen", "intake_on": "2024-05-01",
                "registration_status": "registered", "registration_number": REGISTRATION,
                "registration_date": "2024-05-01", "registration_expires_on": "2027-05-01",
                "casemanager_id": cm.user_id,
            }),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    let contact = cm
        .send(
            Method::POST,
            "/api/v1/contacts",
            Some(json!({
                "client_id": client, "location_id": app.default_location(),
                "services": ["needle_exchange", "condoms"], "note": NOTE,
            })),
            &[("Idempotency-Key", "tik-1")],
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    cm.post(
        "/api/v1/followups",
        json!({"client_id": client, "due_at": "2026-11-23T20:00", "note": REMINDER}),
    )
    .await
    .assert(StatusCode::CREATED);
    // The reminder is due: the sweep queues a notification about it.
    inbeeld::app::followups::sweep::run(&app.state)
        .await
        .unwrap();
    cm.post(
        &format!("/api/v1/clients/{client}/timeout-stays"),
        json!({"starts_on": "2026-10-01", "ends_on": "2026-10-08", "place": PLACE}),
    )
    .await
    .assert(StatusCode::CREATED);
    cm.post(
        &format!("/api/v1/clients/{client}/referrals"),
        json!({"kind": "housing_application", "requested_on": "2026-09-01",
               "ended_on": "2026-10-15", "outcome": "refused_by_partner",
               "outcome_note": REFERRAL_NOTE}),
    )
    .await
    .assert(StatusCode::CREATED);
    cm.get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    Story {
        coordinator,
        cm,
        client,
        code: created["code"].as_str().unwrap().to_owned(),
        contact,
    }
}

#[tokio::test]
async fn the_coordinator_exports_everything_held_about_a_client_as_json_and_csv() {
    let app = spawn_app().await;
    let story = client_with_a_history(&app).await;
    let (client, cm) = (story.client, &story.cm);
    let successor = app.login_as(Role::Casemanager).await;
    story
        .coordinator
        .post(
            &format!("/api/v1/clients/{client}/handover"),
            json!({"to_user_id": successor.user_id, "overlap_until": "2026-11-30", "note": "Belt liever dan dat ze langskomt"}),
        )
        .await
        .assert(StatusCode::CREATED);
    cm.post(
        &format!("/api/v1/clients/{client}/flex-expenses"),
        json!({"amount_cents": 1995, "category": "sleeping_gear", "description": "Slaapzak"}),
    )
    .await
    .assert(StatusCode::CREATED);

    let reply = story
        .coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await;
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert_eq!(
        reply.headers["content-disposition"],
        format!("attachment; filename=\"inbeeld-client-{client}.json\"").as_str()
    );
    let doc = reply.assert(StatusCode::OK);
    assert_eq!(doc["exported_at"], "2026-11-23T20:30:00+01:00");
    let her = &doc["client"];
    assert_eq!(her["code"], story.code.as_str());
    assert_eq!(
        (
            &her["alias"],
            &her["registration_number"],
            &her["intake_on"]
        ),
        (&json!(ALIAS), &json!(REGISTRATION), &json!("2024-05-01"))
    );
    assert_eq!(doc["casemanagers"][0]["casemanager"], cm.username);
    let granted = &doc["registration_events"][0];
    assert_eq!(
        (&granted["kind"], &granted["number"], &granted["on"]),
        (
            &json!("granted"),
            &json!(REGISTRATION),
            &json!("2024-05-01")
        )
    );
    let contact = &doc["contacts"][0];
    assert_eq!(contact["id"], story.contact);
    assert_eq!(contact["note"], NOTE);
    assert_eq!(contact["services"], json!(["condoms", "needle_exchange"]));
    assert_eq!(contact["location"], "Huiskamer De Cirkel");
    assert_eq!(contact["recorded_by"], cm.username);
    let followup = &doc["followups"][0];
    assert_eq!(followup["note"], REMINDER);
    let events: Vec<&Value> = followup["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["event"])
        .collect();
    assert_eq!(events, [&json!("created"), &json!("notified")]);
    assert_eq!(doc["timeout_stays"][0]["place"], PLACE);
    assert_eq!(
        (
            &doc["referrals"][0]["kind"],
            &doc["referrals"][0]["outcome_note"]
        ),
        (&json!("housing_application"), &json!(REFERRAL_NOTE))
    );
    assert_eq!(
        doc["handovers"][0]["note"],
        "Belt liever dan dat ze langskomt"
    );
    assert_eq!(doc["handovers"][0]["to_casemanager"], successor.username);
    assert_eq!(
        (
            &doc["flex_expenses"][0]["description"],
            &doc["flex_expenses"][0]["amount_cents"]
        ),
        (&json!("Slaapzak"), &json!(1995))
    );
    let trail: Vec<(&Value, &Value)> = doc["audit_trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (&e["event"], &e["user"]))
        .collect();
    assert!(trail.contains(&(&json!("contact.create"), &json!(cm.username))));
    assert!(trail.contains(&(&json!("client.read"), &json!(cm.username))));

    let csv = story
        .coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(csv.headers["cache-control"], "no-store");
    assert_eq!(
        csv.headers["content-disposition"],
        format!("attachment; filename=\"inbeeld-client-{client}.csv\"").as_str()
    );
    let text = csv.body.as_str().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{FEFF}onderdeel;record;veld;waarde");
    assert_eq!(lines[1], "export;;exported_at;2026-11-23T20:30:00+01:00");
    let contact = story.contact;
    for row in [
        format!("client;{client};alias;{ALIAS}"),
        format!("client;{client};registration_number;{REGISTRATION}"),
        format!("contacts;{contact};note;{NOTE}"),
        format!("contacts;{contact};services;condoms, needle_exchange"),
        format!(
            "timeout_stays;{};place;{PLACE}",
            doc["timeout_stays"][0]["id"]
        ),
        format!(
            "followups.events;{};event;created",
            followup["events"][0]["id"]
        ),
        format!(
            "flex_expenses;{};description;Slaapzak",
            doc["flex_expenses"][0]["id"]
        ),
    ] {
        assert!(lines.contains(&row.as_str()), "missing {row} in\n{text}");
    }
    // The JSON export before it is already in the trail.
    assert!(text.contains(";event;client.export\r\n"), "{text}");

    let entries = app.db_read(|conn| for_client(conn, client));
    let exports: Vec<_> = entries
        .iter()
        .filter(|e| e.event == "client.export")
        .map(|e| (e.action.as_str(), e.user_id, e.outcome.as_str()))
        .collect();
    let by = Some(story.coordinator.user_id);
    assert_eq!(exports, [("E", by, "success"), ("E", by, "success")]);
}

#[tokio::test]
async fn only_the_coordinator_exports_or_erases_and_refusals_are_logged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Putter", "region": "nijmegen"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    let erase = json!({"confirm_code": created["code"]});
    let requests = [
        (
            Method::GET,
            format!("/api/v1/clients/{client}/export"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/clients/{client}/export.csv"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/clients/{client}/erase"),
            Some(erase.clone()),
        ),
    ];
    let other_team = app.create_team("Stapteam Arnhem");
    let mut callers = Vec::new();
    for role in [
        Role::Admin,
        Role::Casemanager,
        Role::Peer,
        Role::ProcessDirector,
        Role::Municipality,
    ] {
        callers.push((app.login_as(role).await, StatusCode::FORBIDDEN));
    }
    let outsider = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    callers.push((outsider, StatusCode::NOT_FOUND));
    callers.push((app.anonymous(), StatusCode::UNAUTHORIZED));
    for (caller, expected) in &callers {
        for (method, path, body) in &requests {
            let reply = caller.send(method.clone(), path, body.clone(), &[]).await;
            assert_eq!(reply.status, *expected, "{method} {path}: {}", reply.body);
        }
    }
    // Five roles and the other team's coordinator, three requests each; signed out is no one.
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE client_id = {client} AND outcome = 'denied'"
        )),
        18
    );
    coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
}

#[tokio::test]
async fn erasure_needs_a_closed_client_and_her_code_typed_again() {
    let app = spawn_app().await;
    let story = client_with_a_history(&app).await;
    let (client, coordinator) = (story.client, &story.coordinator);
    let path = format!("/api/v1/clients/{client}/erase");
    coordinator
        .post(&path, json!({"confirm_code": story.code}))
        .await
        .assert_error(StatusCode::CONFLICT, "client_not_closed");
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "deceased"}),
        )
        .await
        .assert(StatusCode::OK);
    let wrong = coordinator
        .post(&path, json!({"confirm_code": "NM-999"}))
        .await;
    assert!(!wrong.body.to_string().contains("NM-999"));
    wrong.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "confirmation_mismatch");
    coordinator
        .post(&path, json!({}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let kept_trail = app.count(&format!("audit_log WHERE client_id = {client}"));

    let erased = coordinator
        .post(&path, json!({"confirm_code": story.code}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        erased,
        json!({
            "client_id": client,
            "contacts_kept_as_counts": 1,
            "followups_deleted": 1,
            "casemanager_assignments_deleted": 1,
            "timeout_stays_kept_as_counts": 1,
            "referrals_kept_as_counts": 1,
            "stagnations_kept_as_counts": 0,
            "case_meeting_items_deleted": 0,
            "handovers_deleted": 0,
            "flex_expenses_kept_as_amounts": 0,
            "status_changes_kept_without_notes": 2,
            "signals_kept_as_counts": 0,
        })
    );
    for gone in [
        "followups",
        "followup_events",
        "notifications",
        "client_casemanagers",
        "idempotency_keys",
        "registration_events",
        "contacts WHERE note IS NOT NULL OR services <> ''",
        "referrals WHERE outcome_note IS NOT NULL",
    ] {
        assert_eq!(app.count(gone), 0, "{gone}");
    }
    assert_eq!(app.count("contacts"), 1);
    assert_eq!(app.count("referrals"), 1, "kept for the waiting times");
    // Her trail stays, by id only, with the erasure at its end.
    assert_eq!(
        app.count(&format!("audit_log WHERE client_id = {client}")),
        kept_trail + 1
    );
    let last = app.db_read(|conn| for_client(conn, client)).pop().unwrap();
    assert_eq!(
        (last.event.as_str(), last.action.as_str(), last.user_id),
        ("client.erase", "D", Some(coordinator.user_id))
    );

    // She is gone for everyone, and so is the way back to her data.
    for path in [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/clients/{client}/export"),
    ] {
        coordinator.get(&path).await.assert(StatusCode::NOT_FOUND);
    }
    coordinator
        .post(&path, json!({"confirm_code": story.code}))
        .await
        .assert(StatusCode::NOT_FOUND);
    let closed = coordinator
        .get("/api/v1/clients?status=closed")
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed, json!([]));
    story
        .cm
        .patch(
            &format!("/api/v1/contacts/{}", story.contact),
            json!({"note": "toch nog iets"}),
        )
        .await
        .assert(StatusCode::NOT_FOUND);
    let stays = coordinator
        .get("/api/v1/timeout-stays?year=2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(stays["count"], 1);
    assert_eq!(stays["stays"][0]["place"], "");
    assert_ne!(stays["stays"][0]["alias"], ALIAS);
}
