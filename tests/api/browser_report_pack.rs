//! The report pack on Cijfers in real headless Chromium, driven by Playwright from
//! `tests/e2e/report_pack.mjs` (`chromium` says when it runs and when it is ignored).

use inbeeld::domain::role::Role;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};
use crate::report_pack_access::january;

/// The coordinator opens the first quarter's pack with its exact figures and downloads the
/// PDF; the municipality opens the same pack with small numbers hidden.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_report_pack_opens_on_cijfers_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    january(&app).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let municipality = app.login_as(Role::Municipality).await;
    run_script(
        "report_pack.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
            ),
            ("INBEELD_MUNICIPALITY", municipality.username.clone()),
            (
                "INBEELD_MUNICIPALITY_RECOVERY",
                municipality.recovery_codes[0].clone(),
            ),
        ],
    )
    .await;
    assert!(app.count("audit_log WHERE event = 'report.pack'") >= 2);
}
