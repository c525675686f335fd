//! Time-out stays: at most 14 days, counted per year against the plan of six.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn stays_are_at_most_two_weeks_and_counted_against_the_plan() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kwikstaart").await;
    let path = format!("/api/v1/clients/{client}/timeout-stays");

    let stay = cm
        .post(
            &path,
            json!({"starts_on": "2026-03-01", "ends_on": "2026-03-15"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(stay["place"], "Het Hoogeland, Beekbergen");
    let refused = cm
        .post(
            &path,
            json!({"starts_on": "2026-06-01", "ends_on": "2026-06-16"}),
        )
        .await;
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap()
            .contains("at most 14 days")
    );
    refused.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "timeout_too_long");
    cm.post(
        &path,
        json!({"starts_on": "2026-11-20", "ends_on": "2026-11-27", "place": "Elders"}),
    )
    .await
    .assert(StatusCode::CREATED);
    cm.post(
        &path,
        json!({"starts_on": "2025-12-30", "ends_on": "2026-01-05"}),
    )
    .await
    .assert(StatusCode::CREATED);

    let listed = cm.get(&path).await.assert(StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 3);

    let coordinator = app.login_as(Role::Coordinator).await;
    let year = coordinator
        .get("/api/v1/timeout-stays?year=2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (year["planned"].clone(), year["count"].clone()),
        (json!(6), json!(2))
    );
    assert_eq!(year["stays"][0]["alias"], "Kwikstaart");
    cm.get("/api/v1/timeout-stays?year=2026")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let peer = app.login_as(Role::Peer).await;
    peer.post(
        &path,
        json!({"starts_on": "2026-04-01", "ends_on": "2026-04-02"}),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

/// Dates nobody on the team can mean (a stay in year 262142, a registration that expired
/// in year -1, which made a follow-up due in year -2) are refused, clearly.
#[tokio::test]
async fn dates_far_from_now_are_refused() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kwikstaart").await;
    cm.post(
        &format!("/api/v1/clients/{client}/timeout-stays"),
        json!({"starts_on": "+262142-01-01", "ends_on": "+262142-01-05", "place": "Overweeghuis"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.post(
        &format!("/api/v1/clients/{client}/registration-events"),
        json!({"kind": "granted", "on": "2026-11-01", "number": "R-1", "expires_on": "-0001-12-31"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.post(
        "/api/v1/clients",
        json!({"alias": "Roos", "region": "nijmegen", "intake_on": "1899-06-01"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(app.count("timeout_stays"), 0);
    assert_eq!(app.count("clients"), 1);
}
