//! Contacts outside a shift (by phone, a home visit, on the street, an appointment): they
//! keep her in view but are no visit to a location. And the services a tap may carry.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::audit::{events, owned, trail};
use crate::helpers::spawn_app_with;

#[tokio::test]
async fn a_phone_call_keeps_her_in_view_without_counting_as_a_visit_to_a_location() {
    let app = spawn_app_with(|s| s.out_of_view_days = 30).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Grutto").await;
    let coordinator = app.login_as(Role::Coordinator).await;
    cm.record_contact(app.default_location(), client)
        .await
        .assert(StatusCode::CREATED);
    app.clock.advance(TimeDelta::days(40));
    let cm = app.sign_in(&cm.username).await;
    let file = cm
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(file["out_of_view"], true);

    let before = trail(&app, client).len();
    let call = cm
        .post(
            "/api/v1/contacts",
            json!({"client_id": client, "kind": "phone", "services": ["conversation"]}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(call["location_id"], json!(null));
    assert_eq!(call["kind"], "phone");
    assert_eq!(
        events(&trail(&app, client)[before..]),
        owned(&[("contact.create", "C", "success")])
    );
    let file = cm
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(file["out_of_view"], false);
    assert_eq!(file["last_contact_at"], call["seen_at"]);

    // The month's figures: a contact of the team, but none at De Cirkel.
    let coordinator = app.sign_in(&coordinator.username).await;
    let month = |location: Option<i64>| {
        let place = location
            .map(|l| format!("&location_id={l}"))
            .unwrap_or_default();
        format!("/api/v1/reports?period=2027-01{place}")
    };
    let team = coordinator.get(&month(None)).await.assert(StatusCode::OK);
    assert_eq!(team["figures"]["contacts"], 1, "{team}");
    let cirkel = coordinator
        .get(&month(Some(app.default_location())))
        .await
        .assert(StatusCode::OK);
    assert_eq!(cirkel["figures"]["contacts"], 0, "{cirkel}");
    assert_eq!(cirkel["figures"]["unique_clients"], 0, "{cirkel}");

    // Her tonight's tally counts it team-wide, nowhere "here".
    let tonight = cm
        .get(&format!(
            "/api/v1/contacts/tonight?location_id={}",
            app.default_location()
        ))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        tonight["clients"],
        json!([{"client_id": client, "here": 0, "team": 1}])
    );
}

#[tokio::test]
async fn only_named_contacts_of_an_outreach_kind_go_without_a_location() {
    let app = spawn_app_with(|_| {}).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Wulp").await;
    for bad in [
        json!({"client_id": client}),
        json!({"client_id": client, "kind": "visit"}),
        json!({"client_id": client, "kind": "seen_at_zone"}),
        json!({"anonymous_count": 2, "kind": "outreach"}),
    ] {
        cm.post("/api/v1/contacts", bad)
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "location_required");
    }
    let visit = cm
        .post(
            "/api/v1/contacts",
            json!({"client_id": client, "kind": "home_visit"}),
        )
        .await
        .assert(StatusCode::CREATED);
    cm.patch(
        &format!("/api/v1/contacts/{}", visit["id"]),
        json!({"kind": "visit"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "location_required");
    cm.patch(
        &format!("/api/v1/contacts/{}", visit["id"]),
        json!({"kind": "appointment"}),
    )
    .await
    .assert(StatusCode::OK);
    assert_eq!(app.count("contacts WHERE location_id IS NULL"), 1);

    // Another team's client is not there; roles outside care record nothing.
    let other = app.create_team("Elders");
    let stranger = app.login_in_team(Role::Casemanager, Some(other)).await;
    stranger
        .post(
            "/api/v1/contacts",
            json!({"client_id": client, "kind": "phone"}),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let municipality = app.login_as(Role::Municipality).await;
    municipality
        .post(
            "/api/v1/contacts",
            json!({"client_id": client, "kind": "phone"}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.count("contacts"), 1);
}

#[tokio::test]
async fn contraception_is_a_service_given_on_the_tap_or_added_after() {
    let app = spawn_app_with(|_| {}).await;
    let peer = app.login_as(Role::Peer).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tapuit").await;
    let tap = peer
        .post(
            "/api/v1/contacts",
            json!({"client_id": client, "location_id": app.default_location(), "services": ["contraception"]}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(tap["services"], json!(["contraception"]));
    let added = peer
        .patch(
            &format!("/api/v1/contacts/{}", tap["id"]),
            json!({"kind": "outreach", "services": ["meal", "contraception", "condoms"]}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        added["services"],
        json!(["condoms", "contraception", "meal"])
    );
    assert_eq!(added["kind"], "outreach");
    peer.patch(
        &format!("/api/v1/contacts/{}", tap["id"]),
        json!({"services": ["pil"]}),
    )
    .await
    .assert(StatusCode::BAD_REQUEST);
}
