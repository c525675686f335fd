//! Signals in real headless Chromium, driven by Playwright from `tests/e2e/signals.mjs`
//! (`chromium` says when it runs and when it is ignored).

use chrono::{TimeDelta, Utc};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, spawn_app_on_system_clock};

/// A peer sends a signal from Turven without a network, comes back online, and the server
/// has it once; the coordinator finds it on Signalen, assesses it, records a hand-off and
/// adds an indicator; a signal about a known client shows on her page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn signals_work_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let client = coordinator.create_client("Merel").await;
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
            json!({"user_id": peer.user_id}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(
            "/api/v1/signals",
            json!({"kind": "health_concern", "client_id": client, "text": "Hoest al weken"}),
        )
        .await
        .assert(StatusCode::CREATED);

    run_script(
        "signals.mjs",
        &app.address,
        &[
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_PEER", peer.username.clone()),
            ("INBEELD_PEER_RECOVERY", peer.recovery_codes[0].clone()),
            ("INBEELD_COORDINATOR", coordinator.username.clone()),
            (
                "INBEELD_COORDINATOR_RECOVERY",
                coordinator.recovery_codes[0].clone(),
            ),
            ("INBEELD_CLIENT", client.to_string()),
        ],
    )
    .await;

    // The offline signal reached the server once, with its ticked indicator, assessed and
    // handed off by the coordinator.
    let sent = "signals WHERE kind = 'trafficking' AND description = 'Jong, rode jas, spreekt geen Nederlands'";
    assert_eq!(app.count(sent), 1);
    assert_eq!(app.count("signals"), 2);
    assert_eq!(app.count("signal_indicator_marks"), 1);
    assert_eq!(
        app.count("signals WHERE kind = 'trafficking' AND status = 'passed_on'"),
        1
    );
    assert_eq!(
        app.count(
            "signal_handoffs WHERE recipient = 'trafficking_coordinator' AND method = 'phone' \
             AND recipient_detail = 'Team mensenhandel Oost'"
        ),
        1
    );
    assert_eq!(
        app.count("signal_indicators WHERE label = 'Ze heeft geen eigen telefoon'"),
        1
    );
}
