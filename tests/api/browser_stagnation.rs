//! A stagnation in real headless Chromium, driven by Playwright from
//! `tests/e2e/stagnation.mjs` (`chromium` says when it runs and when it is ignored).

use chrono::TimeDelta;
use inbeeld::domain::role::Role;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// Her casemanager reports a stalled case, the process director answers it with an agreed
/// action, and the casemanager sees the answer; both are told once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn a_stagnation_goes_to_the_director_and_back_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let casemanager = app.login_as(Role::Casemanager).await;
    let director = app.login_as(Role::ProcessDirector).await;
    let client = casemanager.create_client("Grutto").await;
    let due = app.state.zone.local_date(app.clock.now()) + TimeDelta::days(14);

    run_script(
        "stagnation.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_CASEMANAGER", casemanager.username.clone()),
            (
                "INBEELD_CASEMANAGER_RECOVERY",
                casemanager.recovery_codes[0].clone(),
            ),
            (
                "INBEELD_CASEMANAGER_RECOVERY_AGAIN",
                casemanager.recovery_codes[1].clone(),
            ),
            ("INBEELD_DIRECTOR", director.username.clone()),
            (
                "INBEELD_DIRECTOR_RECOVERY",
                director.recovery_codes[0].clone(),
            ),
            ("INBEELD_CLIENT", client.to_string()),
            ("INBEELD_DUE", due.to_string()),
        ],
    )
    .await;

    assert_eq!(
        app.count(&format!(
            "stagnations WHERE client_id = {client} AND status = 'answered' AND action_owner = 'Domus'"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "notifications WHERE kind = 'stagnation_reported' AND user_id = {}",
            director.user_id
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "notifications WHERE kind = 'stagnation_answered' AND user_id = {}",
            casemanager.user_id
        )),
        1
    );
}
