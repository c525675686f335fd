//! `/healthz` says the process is up; `/readyz` that the database answers with this
//! binary's schema; `/metrics` counts for Prometheus, for this machine or a token holder.

use diesel::RunQueryDsl;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn ready_only_while_the_database_has_this_binarys_schema() {
    let app = spawn_app().await;
    let anyone = app.anonymous();
    let up = anyone.get("/healthz").await;
    assert_eq!((up.status, up.body.as_str()), (StatusCode::OK, Some("ok")));
    let ready = anyone.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, Some("ready"))
    );

    // As if an older binary's database: the newest migration is not applied.
    app.db_write(|conn| {
        diesel::sql_query(
            "DELETE FROM __diesel_schema_migrations WHERE version = \
             (SELECT MAX(version) FROM __diesel_schema_migrations)",
        )
        .execute(conn)
    });
    let pending = anyone.get("/readyz").await;
    assert_eq!(
        (pending.status, pending.body.as_str()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Some("database migrations pending")
        )
    );
}

#[tokio::test]
async fn metrics_count_requests_sweeps_and_pushes_for_this_machine_only() {
    let app = spawn_app().await;
    let cm = app.login_as(inbeeld::domain::role::Role::Casemanager).await;
    cm.get("/api/v1/me").await;
    cm.get("/api/v1/me").await;
    inbeeld::app::followups::sweep::run(&app.state)
        .await
        .unwrap();
    let scrape = app.anonymous().get("/metrics").await;
    assert_eq!(scrape.status, StatusCode::OK);
    let text = scrape.body.as_str().unwrap().to_owned();
    for expected in [
        "inbeeld_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2",
        "inbeeld_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/session\",status=\"200\"} 1",
        "inbeeld_sweep_duration_seconds_count{outcome=\"ok\"} 1",
        "inbeeld_push_deliveries_total{outcome=\"sent\"} 0",
        "inbeeld_sweep_steps_total{step=\"opened\"} 0",
        "inbeeld_push_pending 0",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

#[tokio::test]
async fn with_a_metrics_token_only_its_bearer_may_scrape() {
    let app = crate::helpers::spawn_app_with(|s| s.metrics_token = "scrape-me-0123".into()).await;
    let anyone = app.anonymous();
    assert_eq!(anyone.get("/metrics").await.status, StatusCode::FORBIDDEN);
    let wrong = anyone
        .send(
            reqwest::Method::GET,
            "/metrics",
            None,
            &[("Authorization", "Bearer scrape-me-9999")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let right = anyone
        .send(
            reqwest::Method::GET,
            "/metrics",
            None,
            &[("Authorization", "Bearer scrape-me-0123")],
        )
        .await;
    assert_eq!(right.status, StatusCode::OK);
}
