//! Opvolging, Rooster, Cijfers and Team as the office uses them, in real headless
//! Chromium, driven by Playwright from `tests/e2e/office.mjs` (`chromium` says when it
//! runs and when it is ignored).

use chrono::{NaiveDate, TimeDelta, Utc};
use inbeeld::app::followups::sweep;
use inbeeld::db::queries::locations;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, Session, spawn_app_on_system_clock};

/// Plans a shift on `day`, 20:00 to 23:30 local, needing `min` staff.
async fn shift(coordinator: &Session, day: NaiveDate, location: i64, min: i32) -> i64 {
    coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": location, "starts_at": format!("{day}T20:00"),
                   "ends_at": format!("{day}T23:30"), "min_staff": min}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

/// The office screens as a casemanager, the process director and the coordinator use
/// them (`tests/e2e/office.mjs`): the follow-up list with its days and "Mijn cliënten",
/// escalating with a confirmation, the director's client page, the Rooster's week and
/// "Waar ben ik nodig", the coordinator's week grid, the figures per location without
/// bars for weeks to come, and the year's flex budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_office_screens_work_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let today = Utc::now().date_naive();
    let intake = |alias: &str, days: i64| json!({"alias": alias, "region": "nijmegen", "intake_on": today - TimeDelta::days(days)});
    // Never seen since their intakes: Kievit is the casemanager's (she took her in),
    // Zwaluw the coordinator's. Merel was seen today.
    let kievit = casemanager
        .post("/api/v1/clients", intake("Kievit", 16))
        .await;
    let kievit = kievit.assert(StatusCode::CREATED)["id"].as_i64().unwrap();
    coordinator
        .post("/api/v1/clients", intake("Zwaluw", 20))
        .await
        .assert(StatusCode::CREATED);
    let merel = coordinator.create_client("Merel").await;
    coordinator
        .record_contact(app.default_location(), merel)
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(sweep::run(&app.state).await.unwrap().opened, 2);

    // Tomorrow's shifts: at De Cirkel one still needing two, at De Loods one the
    // casemanager is on.
    let day = today + TimeDelta::days(1);
    let loods = app
        .db_read(|conn| locations::find_by_code(conn, "loods"))
        .id;
    let needed = shift(&coordinator, day, app.default_location(), 2).await;
    let covered = shift(&coordinator, day, loods, 1).await;
    coordinator
        .post(
            &format!("/api/v1/shifts/{covered}/staff"),
            json!({"user_id": casemanager.user_id}),
        )
        .await
        .assert(StatusCode::OK);

    run_script(
        "office.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_CASEMANAGER", casemanager.username.clone()),
            (
                "INBEELD_CASEMANAGER_RECOVERY",
                casemanager.recovery_codes.join(","),
            ),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes.join(","),
            ),
            ("INBEELD_DIRECTOR", director.username.clone()),
            (
                "INBEELD_DIRECTOR_RECOVERY",
                director.recovery_codes.join(","),
            ),
            ("INBEELD_KIEVIT", kievit.to_string()),
            ("INBEELD_SHIFT_DAY", day.to_string()),
            ("INBEELD_NEEDED_SHIFT", needed.to_string()),
            ("INBEELD_COVERED_SHIFT", covered.to_string()),
        ],
    )
    .await;

    // What the screens sent is what the server keeps.
    assert_eq!(
        app.count(&format!(
            "followups WHERE client_id = {kievit} AND escalation_level = 2 AND acknowledged_by = {}",
            casemanager.user_id
        )),
        1
    );
    assert_eq!(
        app.count(&format!("shift_staff WHERE shift_id = {needed}")),
        2,
        "the casemanager signed up, the coordinator put a colleague on"
    );
    assert_eq!(
        app.count("flex_budgets WHERE amount_cents = 150000"),
        1,
        "the budget set on the Team screen"
    );
}
