//! Her plan in real headless Chromium, driven by Playwright from `tests/e2e/plan.mjs`
//! (`chromium` says when it runs and when it is ignored).

use inbeeld::domain::role::Role;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// A casemanager scores a client's life domains on her page, scores again offline, comes
/// back online, and finds both assessments once at the server, with a chart per domain;
/// a goal and an action added offline reach the server once each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn her_plan_works_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let client = casemanager.create_client("Wielewaal").await;

    run_script(
        "plan.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_CASEMANAGER", casemanager.username.clone()),
            (
                "INBEELD_CASEMANAGER_RECOVERY",
                casemanager.recovery_codes[0].clone(),
            ),
            ("INBEELD_CLIENT", client.to_string()),
        ],
    )
    .await;

    // The offline assessment reached the server once.
    assert_eq!(
        app.count(&format!("assessments WHERE client_id = {client}")),
        2
    );
    assert_eq!(
        app.count("assessment_scores WHERE domain = 'housing' AND score = 3"),
        1
    );
    assert_eq!(
        app.count("assessment_scores WHERE note = 'Slaapt bij wisselende kennissen'"),
        1
    );
    assert_eq!(
        app.count(&format!(
            "plan_goals WHERE client_id = {client} AND body = 'Ik wil een eigen kamer'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "plan_actions WHERE client_id = {client} AND status = 'done'"
        )),
        1
    );
}
