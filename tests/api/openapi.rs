//! The API describes itself, and bad input always gets a clear 4xx in one JSON shape.

use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn the_openapi_document_covers_every_endpoint() {
    let app = spawn_app().await;
    let doc = app.openapi_document().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("post", "/api/v1/session"),
        ("delete", "/api/v1/session"),
        ("get", "/api/v1/sign-in-rules"),
        ("get", "/api/v1/me"),
        ("put", "/api/v1/me/password"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("patch", "/api/v1/users/{id}"),
        ("put", "/api/v1/users/{id}/contracted-hours"),
        ("post", "/api/v1/users/{id}/start-password"),
        ("post", "/api/v1/users/{id}/second-factor/reset"),
        ("post", "/api/v1/invitations/{token}"),
        ("get", "/api/v1/teams"),
        ("post", "/api/v1/teams"),
        ("patch", "/api/v1/teams/{id}"),
        ("get", "/api/v1/team/plan-access"),
        ("put", "/api/v1/team/plan-access"),
        ("get", "/api/v1/organisations"),
        ("get", "/api/v1/partners"),
        ("post", "/api/v1/partners"),
        ("patch", "/api/v1/partners/{id}"),
        ("delete", "/api/v1/partners/{id}"),
        ("get", "/api/v1/clients"),
        ("post", "/api/v1/clients"),
        ("post", "/api/v1/clients/search"),
        ("post", "/api/v1/clients/import/preview"),
        ("post", "/api/v1/clients/import"),
        ("get", "/api/v1/clients/import/template.csv"),
        ("get", "/api/v1/clients/{id}"),
        ("patch", "/api/v1/clients/{id}"),
        ("post", "/api/v1/clients/{id}/close"),
        ("post", "/api/v1/clients/{id}/reopen"),
        ("get", "/api/v1/clients/{id}/status-history"),
        ("get", "/api/v1/clients/{id}/casemanagers"),
        ("post", "/api/v1/clients/{id}/casemanagers"),
        ("patch", "/api/v1/clients/{id}/casemanagers/{assignment_id}"),
        ("get", "/api/v1/clients/{id}/audit"),
        ("get", "/api/v1/clients/{id}/contacts"),
        ("get", "/api/v1/locations"),
        ("post", "/api/v1/locations"),
        ("patch", "/api/v1/locations/{id}"),
        ("get", "/api/v1/shifts"),
        ("post", "/api/v1/shifts"),
        ("get", "/api/v1/shifts/{id}"),
        ("post", "/api/v1/shifts/{id}/staff"),
        ("delete", "/api/v1/shifts/{id}/staff/{user_id}"),
        ("post", "/api/v1/shifts/{id}/check-in"),
        ("post", "/api/v1/shifts/{id}/check-out"),
        ("get", "/api/v1/shifts/{id}/contacts"),
        ("post", "/api/v1/contacts"),
        ("get", "/api/v1/contacts/tonight"),
        ("patch", "/api/v1/contacts/{id}"),
        ("delete", "/api/v1/contacts/{id}"),
        ("put", "/api/v1/me/quiet-hours"),
        ("get", "/api/v1/me/second-factor"),
        ("post", "/api/v1/session/second-factor"),
        ("post", "/api/v1/me/totp"),
        ("post", "/api/v1/me/totp/confirm"),
        ("delete", "/api/v1/me/totp"),
        ("get", "/api/v1/me/passkeys"),
        ("post", "/api/v1/me/passkeys/register"),
        ("post", "/api/v1/me/passkeys/register/finish"),
        ("patch", "/api/v1/me/passkeys/{id}"),
        ("delete", "/api/v1/me/passkeys/{id}"),
        ("post", "/api/v1/session/passkey"),
        ("post", "/api/v1/session/passkey/finish"),
        ("get", "/api/v1/me/sessions"),
        ("delete", "/api/v1/me/sessions/{id}"),
        ("post", "/api/v1/me/device"),
        ("put", "/api/v1/me/device/pin"),
        ("post", "/api/v1/session/lock"),
        ("post", "/api/v1/session/unlock"),
        ("post", "/api/v1/session/unlock/passkey"),
        ("post", "/api/v1/session/unlock/passkey/finish"),
        ("post", "/api/v1/device/status"),
        ("get", "/api/v1/followups"),
        ("post", "/api/v1/followups"),
        ("get", "/api/v1/followups/{id}"),
        ("post", "/api/v1/followups/{id}/acknowledge"),
        ("post", "/api/v1/followups/{id}/snooze"),
        ("post", "/api/v1/followups/{id}/close"),
        ("post", "/api/v1/followups/sweep"),
        ("get", "/api/v1/push/public-key"),
        ("post", "/api/v1/push/subscriptions"),
        ("get", "/api/v1/push/subscriptions"),
        ("delete", "/api/v1/push/subscriptions/{id}"),
        ("get", "/api/v1/reports"),
        ("get", "/api/v1/reports/figures.csv"),
        ("get", "/api/v1/reports/weekly"),
        ("get", "/api/v1/reports/weekly.csv"),
        ("get", "/api/v1/reports/pack"),
        ("get", "/api/v1/reports/pack.csv"),
        ("get", "/api/v1/reports/pack.pdf"),
        ("post", "/api/v1/clients/{id}/timeout-stays"),
        ("get", "/api/v1/clients/{id}/timeout-stays"),
        ("get", "/api/v1/timeout-stays"),
        ("patch", "/api/v1/clients/{id}/timeout-stays/{stay}"),
        ("post", "/api/v1/clients/{id}/timeout-stays/{stay}/cancel"),
        ("get", "/api/v1/sheltered-housing-budget/{year}"),
        ("put", "/api/v1/sheltered-housing-budget/{year}"),
        ("post", "/api/v1/clients/{id}/referrals"),
        ("get", "/api/v1/clients/{id}/referrals"),
        ("patch", "/api/v1/clients/{id}/referrals/{referral}"),
        ("post", "/api/v1/clients/{id}/stagnations"),
        ("get", "/api/v1/clients/{id}/stagnations"),
        ("get", "/api/v1/stagnations"),
        ("get", "/api/v1/stagnations/{id}"),
        ("post", "/api/v1/stagnations/{id}/answer"),
        ("post", "/api/v1/stagnations/{id}/close"),
        ("get", "/api/v1/case-meetings"),
        ("post", "/api/v1/case-meetings"),
        ("get", "/api/v1/case-meetings/{id}"),
        ("get", "/api/v1/case-meetings/{id}/draft"),
        ("put", "/api/v1/case-meetings/{id}/agenda"),
        ("put", "/api/v1/case-meetings/{id}/items/{item_id}/summary"),
        (
            "post",
            "/api/v1/case-meetings/{id}/items/{item_id}/decisions",
        ),
        ("get", "/api/v1/case-meetings/{id}/minutes"),
        ("get", "/api/v1/overview"),
        ("patch", "/api/v1/shifts/{id}"),
        ("post", "/api/v1/shifts/{id}/cancel"),
        ("post", "/api/v1/shifts/{id}/sign-up"),
        ("delete", "/api/v1/shifts/{id}/sign-up"),
        ("get", "/api/v1/shifts/{id}/handover"),
        ("put", "/api/v1/shifts/{id}/handover"),
        ("get", "/api/v1/rota/templates"),
        ("post", "/api/v1/rota/templates"),
        ("put", "/api/v1/rota/templates/{id}"),
        ("post", "/api/v1/rota/generate"),
        ("get", "/api/v1/rota/gaps"),
        ("get", "/api/v1/me/calendar"),
        ("post", "/api/v1/me/calendar"),
        ("delete", "/api/v1/me/calendar"),
        ("get", "/api/v1/calendar/{token}.ics"),
        ("get", "/api/v1/clients/{id}/export"),
        ("get", "/api/v1/clients/{id}/export.csv"),
        ("post", "/api/v1/clients/{id}/erase"),
        ("get", "/api/v1/flex-budget/{year}"),
        ("put", "/api/v1/flex-budget/{year}"),
        ("get", "/api/v1/flex-expenses"),
        ("get", "/api/v1/flex-expenses.csv"),
        ("post", "/api/v1/clients/{id}/flex-expenses"),
        ("get", "/api/v1/clients/{id}/flex-expenses"),
        ("get", "/api/v1/registrations"),
        ("post", "/api/v1/registrations/end-all"),
        ("post", "/api/v1/clients/{id}/registration-events"),
        ("get", "/api/v1/clients/{id}/registration-events"),
        ("post", "/api/v1/clients/{id}/assessments"),
        ("get", "/api/v1/clients/{id}/assessments"),
        ("get", "/api/v1/clients/{id}/assessments/{assessment_id}"),
        ("patch", "/api/v1/clients/{id}/assessments/{assessment_id}"),
        ("get", "/api/v1/clients/{id}/progress"),
        ("get", "/api/v1/clients/{id}/goals"),
        ("get", "/api/v1/plans/overdue"),
        ("get", "/api/v1/reports/plan-progress"),
        ("post", "/api/v1/clients/{id}/goals"),
        ("patch", "/api/v1/clients/{id}/goals/{goal_id}"),
        ("post", "/api/v1/clients/{id}/goals/{goal_id}/actions"),
        ("post", "/api/v1/clients/{id}/actions/{action_id}/status"),
        ("patch", "/api/v1/clients/{id}/actions/{action_id}"),
        ("get", "/api/v1/clients/{id}/plan-review"),
        ("put", "/api/v1/clients/{id}/plan-review"),
        (
            "delete",
            "/api/v1/clients/{id}/registration-events/{event_id}",
        ),
        ("post", "/api/v1/clients/{id}/handover"),
        ("get", "/api/v1/clients/{id}/handovers"),
        ("post", "/api/v1/followups/{id}/escalate"),
        ("get", "/api/v1/escalations"),
        ("post", "/api/v1/signals"),
        ("get", "/api/v1/signals"),
        ("get", "/api/v1/signals/warnings"),
        ("get", "/api/v1/signals/{id}"),
        ("patch", "/api/v1/signals/{id}"),
        ("post", "/api/v1/signals/{id}/handoffs"),
        ("get", "/api/v1/clients/{id}/signals"),
        ("get", "/api/v1/signal-indicators"),
        ("post", "/api/v1/signal-indicators"),
        ("patch", "/api/v1/signal-indicators/{id}"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    for (method, path) in expected {
        let operation = &paths[path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty())
        );
    }
    assert_eq!(
        documented,
        expected.len(),
        "an endpoint is missing from this test"
    );
}

#[tokio::test]
async fn malformed_input_gets_a_clear_4xx_never_a_500() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let not_json = cm
        .send(
            Method::POST,
            "/api/v1/clients",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    not_json.assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let big = json!({"alias": "a".repeat(70 * 1024), "region": "nijmegen"});
    cm.post("/api/v1/clients", big)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    cm.get("/api/v1/clients/not-a-number")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.get("/api/v1/clients/99999999999999999999")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.get("/api/v1/shifts?from=2026-13-01")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    cm.get("/api/v1/shifts?from=2026-11-01&to=2026-01-01")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_range");
    cm.get("/api/v1/nothing-here")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.send(
        Method::POST,
        "/api/v1/contacts",
        Some(json!({"anonymous_count": 1, "location_id": 1})),
        &[("Idempotency-Key", "")],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_idempotency_key");
    cm.post("/api/v1/contacts", json!(["not", "an", "object"]))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    app.anonymous()
        .post(
            "/api/v1/session",
            json!({"username": "x", "password": "y", "remember": true}),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");

    // The values sent are not echoed in the error: they could be an alias or a note.
    let reply = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Roos", "region": "Roosendaal"}),
        )
        .await;
    assert!(
        !reply.body.to_string().contains("Roosendaal"),
        "{}",
        reply.body
    );
    reply.assert_error(StatusCode::BAD_REQUEST, "bad_json");
    let reply = cm
        .post(
            "/api/v1/contacts",
            json!({"client_id": "Roos", "location_id": 1}),
        )
        .await;
    assert!(!reply.body.to_string().contains("Roos"), "{}", reply.body);
    reply.assert_error(StatusCode::BAD_REQUEST, "bad_json");
}

/// JSON Schema's integer is any whole number, `23206.0` too, and clients built from the
/// document may write one so: it is the integer. A fraction is still refused.
#[tokio::test]
async fn a_whole_number_with_a_decimal_point_is_an_integer() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Roos").await;
    let location = app.default_location() as f64;
    let recorded = cm
        .post(
            "/api/v1/contacts",
            json!({"client_id": client as f64, "location_id": location}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(recorded["client_id"], json!(client));
    cm.post(
        "/api/v1/contacts",
        json!({"client_id": client as f64 + 0.5, "location_id": location}),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_json");
}

/// The app needs no device features, no window of another site, and no form posted
/// elsewhere: the browser is told so, on the page and on the API alike.
#[tokio::test]
async fn the_browser_is_told_to_isolate_the_app_and_give_it_no_devices() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for reply in [
        cm.get("/api/v1/clients").await,
        app.anonymous().get("/").await,
    ] {
        let policy = reply.headers["permissions-policy"].to_str().unwrap();
        for feature in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(policy.contains(feature), "{feature} missing in {policy}");
        }
        assert_eq!(reply.headers["cross-origin-opener-policy"], "same-origin");
        assert_eq!(reply.headers["cross-origin-resource-policy"], "same-origin");
        let csp = reply.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("form-action 'self'"), "{csp}");
    }
}

#[tokio::test]
async fn responses_carry_security_headers_and_api_data_is_never_cached() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let reply = cm.get("/api/v1/clients").await;
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    let csp = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let page = app.anonymous().get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-security-policy"].to_str().is_ok());
    // Plain-http localhost: no HSTS, which browsers would ignore there anyway.
    assert!(!page.headers.contains_key("strict-transport-security"));
}

#[tokio::test]
async fn behind_https_every_response_asks_for_https_only() {
    let app = spawn_app_with(|s| s.public_origin = "https://inbeeld.example.org".into()).await;
    for path in [
        "/",
        "/api/v1/openapi.json",
        "/healthz",
        "/api/v1/no-such-thing",
    ] {
        let reply = app.anonymous().get(path).await;
        assert_eq!(
            reply.headers["strict-transport-security"], "max-age=31536000",
            "{path}"
        );
    }
}
