//! The PWA in real headless Chromium (Debian's `chromium`), driven by Playwright from
//! `tests/e2e/pwa.mjs`. Where Chromium or the e2e packages are missing, build.rs leaves out
//! the `inbeeld_browser` cfg and `cargo test` reports this test as ignored; with
//! `INBEELD_REQUIRE_BROWSER=1` (set by `.ci/run`) it runs anyway and fails on what is missing.

use std::path::Path;
use std::process::Command;

use chrono::{TimeDelta, Utc};
use diesel::RunQueryDsl;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// The Chromium build.rs found: `$CHROMIUM`, /usr/bin/chromium or `chromium` on PATH.
const CHROMIUM: Option<&str> = option_env!("INBEELD_CHROMIUM");

/// The Chromium to start, or why the browser test cannot run here.
fn chromium() -> Result<&'static str, String> {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let Some(chromium) = CHROMIUM else {
        return Err(
            "no Chromium was found when the tests were built (apt-get install chromium, or \
             set CHROMIUM to its path)"
                .into(),
        );
    };
    if !Path::new(chromium).exists() {
        return Err(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !e2e.join("node_modules/playwright-core").exists() {
        return Err("tests/e2e/node_modules is missing (npm ci --prefix tests/e2e)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("node is missing".into());
    }
    Ok(chromium)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_phone_app_works_in_chromium() {
    let chromium =
        chromium().unwrap_or_else(|reason| panic!("the browser test cannot run: {reason}"));
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
    let mut clients = Vec::new();
    for alias in aliases {
        clients.push(coordinator.create_client(alias).await);
    }
    let (user, username) = app.create_user(Role::Casemanager, None);
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
    let (_, director) = app.create_user(Role::ProcessDirector, None);
    // For the coordinator's Team screen: Lijster's registration expires in 20 days, and
    // the year's flex budget of EUR 1,000 has EUR 25 spent.
    let expires = (now + TimeDelta::days(20)).date_naive();
    coordinator
        .patch(
            &format!("/api/v1/clients/{}", clients[1]),
            json!({"registration_status": "registered", "registration_expires_on": expires}),
        )
        .await
        .assert(StatusCode::OK);
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

    // Lijster's casemanager is the phone's user; the coordinator will hand her over.
    coordinator
        .post(
            &format!("/api/v1/clients/{}/casemanagers", clients[1]),
            json!({"user_id": user, "from_on": "2026-01-01"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let (successor, _) = app.create_user(Role::Casemanager, None);

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/pwa.mjs");
    let mut command = Command::new("node");
    command
        .arg(script)
        .env("CHROMIUM", chromium)
        .env("INBEELD_URL", &app.address)
        .env("INBEELD_USER", &username)
        .env("INBEELD_PASSWORD", PASSWORD)
        .env("INBEELD_ALIASES", serde_json::to_string(&aliases).unwrap())
        .env("INBEELD_SIGNUP_SHIFT", tomorrow.to_string())
        .env("INBEELD_COORDINATOR", &coordinator.username)
        .env(
            "INBEELD_COORDINATOR_RECOVERY",
            &coordinator.recovery_codes[0],
        )
        .env("INBEELD_DIRECTOR", &director)
        .env("INBEELD_FOLLOWUP", followup.to_string())
        .env("INBEELD_CLIENT", clients[1].to_string());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "browser steps failed:\n{log}");
    println!("{log}");

    // One tap online, one whose answer was lost, twenty offline: exactly 22 at the server,
    // none twice; the tap made offline just before signing out was given up on purpose.
    assert_eq!(app.count("contacts"), 22);
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

/// The client file as the coordinator and a casemanager use it (`tests/e2e/client_file.mjs`):
/// intake, editing, regular care and Turven, reading offline, the lists out of view and
/// without a casemanager, closing with a reason and reopening, and the figures.
/// Both enrol their second factor here; the browser signs in with a recovery code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_client_file_works_in_chromium() {
    let chromium =
        chromium().unwrap_or_else(|reason| panic!("the browser test cannot run: {reason}"));
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let today = Utc::now().date_naive();
    let merel = coordinator.create_client("Merel").await;
    // Never seen since an intake four months ago: out of view.
    coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Kievit", "region": "nijmegen", "intake_on": today - TimeDelta::days(120)}),
        )
        .await
        .assert(StatusCode::CREATED);
    // Nobody is her casemanager any more.
    let zwaluw = coordinator.create_client("Zwaluw").await;
    let statement = format!("DELETE FROM client_casemanagers WHERE client_id = {zwaluw}");
    app.db_write(move |conn| diesel::sql_query(statement).execute(conn));
    // Seen tonight.
    coordinator
        .record_contact(app.default_location(), merel)
        .await
        .assert(StatusCode::CREATED);

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/client_file.mjs");
    let mut command = Command::new("node");
    command
        .arg(script)
        .env("CHROMIUM", chromium)
        .env("INBEELD_URL", &app.address)
        .env("INBEELD_PASSWORD", PASSWORD)
        .env("INBEELD_CASEMANAGER", &casemanager.username)
        .env(
            "INBEELD_CASEMANAGER_RECOVERY",
            &casemanager.recovery_codes[0],
        )
        .env("INBEELD_COORDINATOR", &coordinator.username)
        .env(
            "INBEELD_COORDINATOR_RECOVERY",
            &coordinator.recovery_codes[0],
        );
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "browser steps failed:\n{log}");
    println!("{log}");

    // What the screens sent is what the server keeps.
    assert_eq!(
        app.count(
            "clients WHERE alias = 'Roos' AND region = 'nijmegen' AND addiction = 'yes' \
             AND sheltered_housing AND known_at_huiskamer AND followup_threshold_days = 21 \
             AND caseload_status = 'active' AND exit_on IS NULL"
        ),
        1
    );
    assert_eq!(
        app.count(&format!(
            "clients WHERE id = {merel} AND caseload_status = 'closed' AND exit_reason = 'detained'"
        )),
        1
    );
}
