//! Her plan in real headless Chromium, driven by Playwright from `tests/e2e/plan.mjs`
//! (`chromium` says when it runs and when it is ignored).

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// A casemanager scores a client's life domains on her page, scores again offline, comes
/// back online, and finds both assessments once at the server, with a chart per domain;
/// a goal and an action added offline reach the server once each; the action is changed
/// and done, the goal reached and the review day set; the municipality reads the
/// progress per life domain, and the coordinator finds another client's plan overdue for
/// review and her action past due on the Team screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn her_plan_works_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let municipality = app.login_as(Role::Municipality).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = casemanager.create_client("Wielewaal").await;
    // Another client, scored long ago, with an action long past its due date.
    let late = casemanager.create_client("Kwartel").await;
    casemanager
        .post(
            &format!("/api/v1/clients/{late}/assessments"),
            json!({"on": "2020-01-06", "scores": [{"domain": "finances", "score": 2}]}),
        )
        .await
        .assert(StatusCode::CREATED);
    let goal = casemanager
        .post(
            &format!("/api/v1/clients/{late}/goals"),
            json!({"text": "Schulden regelen", "domains": ["finances"], "set_on": "2020-01-06"}),
        )
        .await
        .assert(StatusCode::CREATED);
    casemanager
        .post(
            &format!("/api/v1/clients/{late}/goals/{}/actions", goal["id"]),
            json!({"what": "Afspraak bij de schuldhulp", "owner_id": casemanager.user_id, "due_on": "2020-02-03"}),
        )
        .await
        .assert(StatusCode::CREATED);

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
            ("INBEELD_MUNICIPALITY", municipality.username.clone()),
            (
                "INBEELD_MUNICIPALITY_RECOVERY",
                municipality.recovery_codes[0].clone(),
            ),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
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
            "plan_actions WHERE client_id = {client} AND status = 'done' \
             AND what = 'Inschrijven bij Talis' AND due_on = '2030-01-15'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "plan_goals WHERE client_id = {client} AND status = 'reached'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "plan_reviews WHERE client_id = {client} AND review_on = '2030-02-01'"
        )),
        1
    );
}
