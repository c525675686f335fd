//! A case meeting in real headless Chromium, driven by Playwright from
//! `tests/e2e/meeting.mjs` (`chromium` says when it runs and when it is ignored).

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// The coordinator plans yesterday's meeting, takes over the proposed agenda, records a
/// decision for a casemanager due yesterday, prints the minutes and moves a time-out stay
/// on Team; after the sweep the casemanager finds the follow-up in her Opvolging.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn a_case_meeting_decision_reaches_its_owner_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let client = casemanager.create_client("Wielewaal").await;
    casemanager.report_stagnation(client, "housing").await;
    let code = casemanager
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK)["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = app.state.zone.local_date(app.clock.now());
    let yesterday = today - TimeDelta::days(1);
    let day = |n: i64| (today + TimeDelta::days(n)).to_string();
    let stay = coordinator
        .post(
            &format!("/api/v1/clients/{client}/timeout-stays"),
            json!({"starts_on": day(1), "ends_on": day(7)}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();

    run_script(
        "meeting.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
            ),
            ("INBEELD_CASEMANAGER", casemanager.username.clone()),
            ("INBEELD_CASEMANAGER_ID", casemanager.user_id.to_string()),
            (
                "INBEELD_CASEMANAGER_RECOVERY",
                casemanager.recovery_codes[0].clone(),
            ),
            ("INBEELD_CODE", code),
            ("INBEELD_YESTERDAY", yesterday.to_string()),
            ("INBEELD_STAY_FROM", day(2)),
            ("INBEELD_STAY_UNTIL", day(8)),
        ],
    )
    .await;

    assert_eq!(
        app.count(&format!(
            "case_meeting_decisions WHERE client_id = {client} AND owner_id = {} AND what = 'Voordragen bij Domus'",
            casemanager.user_id
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "followups WHERE kind = 'meeting_decision' AND owner_id = {} AND client_id = {client}",
            casemanager.user_id
        )),
        1
    );
    assert_eq!(
        app.count("case_meeting_items WHERE reason = 'free' AND title = 'Winterregeling'"),
        1
    );
    assert_eq!(
        app.count(&format!(
            "timeout_stays WHERE id = {stay} AND starts_on = '{}' AND ends_on = '{}'",
            day(2),
            day(8)
        )),
        1,
        "the stay moved from Team"
    );
}
