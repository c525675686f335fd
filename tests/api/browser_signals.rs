//! Signals in real headless Chromium, driven by Playwright from `tests/e2e/signals.mjs`
//! (`chromium` says when it runs and when it is ignored).

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, Session, TestApp, spawn_app_on_system_clock};
use crate::push::register;
use crate::push_service::PushService;

/// A shift going on now at the default location, with `staff` on it.
async fn shift_now(app: &TestApp, coordinator: &Session, staff: &[&Session]) {
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
    for member in staff {
        coordinator
            .post(
                &format!("/api/v1/shifts/{shift}/staff"),
                json!({"user_id": member.user_id}),
            )
            .await
            .assert(StatusCode::OK);
    }
}

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
    shift_now(&app, &coordinator, &[&peer]).await;
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

/// A peer sends a warning of a dangerous customer from Turven; the push the server sends a
/// colleague on tonight's shift says nothing of it, her service worker shows it, and her
/// Vanavond lists the warning with what it is about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn a_warning_from_turven_reaches_a_colleague_in_chromium() {
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    let service = PushService::start().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let colleague = app.login_as(Role::Casemanager).await;
    shift_now(&app, &coordinator, &[&peer, &colleague]).await;
    register(&colleague, &service, &service.device("colleague")).await;

    let env = |part: &str, who: &Session| {
        vec![
            ("INBEELD_PART", part.to_owned()),
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
            ("INBEELD_USER", who.username.clone()),
            ("INBEELD_RECOVERY", who.recovery_codes[0].clone()),
        ]
    };
    run_script("signals_warning.mjs", &app.address, &env("send", &peer)).await;

    // The push reaches her phone at once, saying nothing of the customer.
    let mut delivered = service.delivered();
    for _ in 0..250 {
        if !delivered.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        delivered = service.delivered();
    }
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    let payload = &delivered[0].payload;
    assert_eq!(payload["body"], "Waarschuwing: open InBeeld");
    assert!(!payload.to_string().contains("bestelbus"));
    assert_eq!(app.count("signals WHERE warning = TRUE"), 1);

    let mut receive = env("receive", &colleague);
    receive.push(("INBEELD_PUSH", payload.to_string()));
    run_script("signals_warning.mjs", &app.address, &receive).await;
}
