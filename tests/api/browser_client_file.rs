//! The client file in real headless Chromium, driven by Playwright from
//! `tests/e2e/client_file.mjs` (`chromium` says when it runs and when it is ignored).

use chrono::{TimeDelta, Utc};
use diesel::RunQueryDsl;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

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

    run_script(
        "client_file.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_CASEMANAGER", casemanager.username.clone()),
            (
                "INBEELD_CASEMANAGER_RECOVERY",
                casemanager.recovery_codes[0].clone(),
            ),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
            ),
        ],
    )
    .await;

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
