//! The PWA in real headless Chromium (Debian's `chromium`), driven by Playwright from
//! `tests/e2e/pwa.mjs` (`chromium` says when it runs and when it is ignored).

use chrono::{TimeDelta, Utc};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_phone_app_works_in_chromium() {
    // As in production: every sign-in needs a second factor. The script enrols each user's
    // authenticator app on her first sign-in and uses recovery codes after that.
    // As shipped: the second factor required, the lock after ten idle minutes.
    let app = spawn_app_on_system_clock(|s| {
        s.second_factor_required = true;
        s.lock_minutes = 10;
    })
    .await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let aliases = ["Merel", "Lijster", "Zwaluw"];
    let (user, username) = app.create_user(Role::Casemanager, None);
    let mut clients = Vec::new();
    for alias in aliases {
        // Lijster's casemanager is the phone's user (from her intake); the coordinator
        // will hand her over. The others are the coordinator's, who registered them.
        let casemanager = (alias == "Lijster").then_some(user);
        let body = json!({"alias": alias, "region": "nijmegen", "casemanager_id": casemanager});
        let created = coordinator.post("/api/v1/clients", body).await;
        clients.push(created.assert(StatusCode::CREATED)["id"].as_i64().unwrap());
    }
    let now = Utc::now();
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({
                "location_id": app.default_location(),
                "starts_at": (now - TimeDelta::hours(1)).to_rfc3339(),
                "ends_at": (now + TimeDelta::hours(4)).to_rfc3339(),
            }),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coordinator
        .post(
            &format!("/api/v1/shifts/{shift}/staff"),
            json!({"user_id": user}),
        )
        .await
        .assert(StatusCode::OK);

    // The previous shift at De Cirkel left a handover note; tomorrow's needs two people.
    let yesterday = coordinator
        .post(
            "/api/v1/shifts",
            json!({
                "location_id": app.default_location(),
                "starts_at": (now - TimeDelta::hours(26)).to_rfc3339(),
                "ends_at": (now - TimeDelta::hours(21)).to_rfc3339(),
            }),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coordinator
        .put(
            &format!("/api/v1/shifts/{yesterday}/handover"),
            json!({"note": "Sleutel van de kast ligt bij de beveiliging."}),
        )
        .await
        .assert(StatusCode::OK);
    let tomorrow = coordinator
        .post(
            "/api/v1/shifts",
            json!({
                "location_id": app.default_location(),
                "starts_at": (now + TimeDelta::hours(24)).to_rfc3339(),
                "ends_at": (now + TimeDelta::hours(28)).to_rfc3339(),
                "min_staff": 2,
            }),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();

    // A reminder about Zwaluw that the coordinator will escalate to the process director.
    let followup = coordinator
        .post(
            "/api/v1/followups",
            json!({"client_id": clients[2], "due_at": now.to_rfc3339(), "note": "Bellen over afspraak"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let director = app.login_as(Role::ProcessDirector).await;
    let (peer, municipality) = (
        app.login_as(Role::Peer).await,
        app.login_as(Role::Municipality).await,
    );
    // For the coordinator's Team screen: Lijster's registration expires in 20 days, and
    // the year's flex budget of EUR 1,000 has EUR 25 spent.
    let expires = (now + TimeDelta::days(20)).date_naive();
    coordinator
        .post(
            &format!("/api/v1/clients/{}/registration-events", clients[1]),
            json!({"kind": "granted", "on": now.date_naive() - TimeDelta::days(300),
                   "number": "R-12", "expires_on": expires}),
        )
        .await
        .assert(StatusCode::CREATED);
    coordinator
        .put(
            &format!("/api/v1/flex-budget/{}", now.format("%Y")),
            json!({"amount_cents": 100_000}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            &format!("/api/v1/clients/{}/flex-expenses", clients[1]),
            json!({"amount_cents": 2500, "category": "food", "description": "Boodschappen"}),
        )
        .await
        .assert(StatusCode::CREATED);

    let (successor, _) = app.create_user(Role::Casemanager, None);

    run_script(
        "pwa.mjs",
        &app.address,
        &[
            ("INBEELD_USER", username),
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_ALIASES", serde_json::to_string(&aliases).unwrap()),
            ("INBEELD_SIGNUP_SHIFT", tomorrow.to_string()),
            ("INBEELD_CLIENT", clients[1].to_string()),
        ],
    )
    .await;
    // Then the office: the coordinator's figures hold the shift's contacts.
    run_script(
        "coordinator.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_ALIASES", serde_json::to_string(&aliases).unwrap()),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
            ),
            ("INBEELD_DIRECTOR", director.username.clone()),
            (
                "INBEELD_DIRECTOR_RECOVERY",
                director.recovery_codes[0].clone(),
            ),
            ("INBEELD_PEER", peer.username.clone()),
            ("INBEELD_PEER_RECOVERY", peer.recovery_codes[0].clone()),
            ("INBEELD_MUNICIPALITY", municipality.username.clone()),
            (
                "INBEELD_MUNICIPALITY_RECOVERY",
                municipality.recovery_codes[0].clone(),
            ),
            ("INBEELD_FOLLOWUP", followup.to_string()),
            ("INBEELD_CLIENT", clients[1].to_string()),
        ],
    )
    .await;

    // One tap online, a double tap counted once and then deleted, one whose answer was
    // lost, twenty offline, and one by phone from her page: exactly 23 at the server, none
    // twice; the tap made offline just before signing out was given up on purpose.
    assert_eq!(app.count("contacts"), 23);
    assert_eq!(
        app.count("contacts WHERE location_id IS NULL AND kind = 'phone'"),
        1
    );
    let checked_in = coordinator
        .get(&format!("/api/v1/shifts/{shift}"))
        .await
        .assert(StatusCode::OK);
    assert!(checked_in["staff"][0]["checked_in_at"].is_string());
    let signed_up = coordinator
        .get(&format!("/api/v1/shifts/{tomorrow}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(signed_up["staff"][0]["user_id"], user);
    assert_eq!(
        app.count(&format!(
            "shifts WHERE id = {shift} AND handover_note = 'Rustige avond, niets over te dragen.'"
        )),
        1
    );
    assert_eq!(app.count("calendar_feeds"), 1);
    assert_eq!(
        app.count("flex_expenses WHERE amount_cents = 1250 AND category = 'clothing'"),
        1
    );
    assert_eq!(app.count("timeout_stays"), 1);
    assert_eq!(
        app.count(&format!(
            "handovers WHERE to_user_id = {successor} AND from_user_id = {user}"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "followups WHERE id = {followup} AND escalation_level = 2 AND status = 'closed' \
             AND outcome = 'Woonplek gevonden via het Zorg- en Veiligheidshuis'"
        )),
        1
    );
}
