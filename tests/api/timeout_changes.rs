//! Time-out stays after they are registered: other dates, how it went (once it began),
//! cancelled (on record, no longer counted); and Beschermd Wonen Licht in weeks against the
//! team's yearly budget.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_stay_gets_its_outcome_once_begun_and_a_cancelled_one_no_longer_counts() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tapuit").await;
    let path = format!("/api/v1/clients/{client}/timeout-stays");
    let stay = |starts: &str, ends: &str| {
        let (cm, path) = (&cm, &path);
        let body = json!({"starts_on": starts, "ends_on": ends});
        async move {
            cm.post(path, body).await.assert(StatusCode::CREATED)["id"]
                .as_i64()
                .unwrap()
        }
    };
    // Today is 23 November 2026.
    let begun = stay("2026-11-20", "2026-11-27").await;
    let planned = stay("2026-12-01", "2026-12-05").await;

    let done = cm
        .patch(
            &format!("{path}/{begun}"),
            json!({"outcome": "left_early", "outcome_note": "na drie nachten weg", "ends_on": "2026-11-23"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            done["outcome"].clone(),
            done["ends_on"].clone(),
            done["cancelled"].clone()
        ),
        (json!("left_early"), json!("2026-11-23"), json!(false))
    );
    cm.patch(
        &format!("{path}/{planned}"),
        json!({"outcome": "completed"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "outcome_before_start");
    cm.patch(
        &format!("{path}/{planned}"),
        json!({"ends_on": "2026-12-20"}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "timeout_too_long");
    cm.patch(&format!("{path}/{planned}"), json!({"outcome": "castle"}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let cancelled = cm
        .post(&format!("{path}/{planned}/cancel"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(cancelled["cancelled"], true);
    cm.post(&format!("{path}/{planned}/cancel"), json!({}))
        .await
        .assert_error(StatusCode::CONFLICT, "timeout_cancelled");
    cm.patch(&format!("{path}/{planned}"), json!({"place": "Elders"}))
        .await
        .assert_error(StatusCode::CONFLICT, "timeout_cancelled");

    let coordinator = app.login_as(Role::Coordinator).await;
    let year = coordinator
        .get("/api/v1/timeout-stays?year=2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(year["count"], 1, "the cancelled stay is not counted");
    assert_eq!(
        year["stays"].as_array().unwrap().len(),
        2,
        "but it is listed"
    );
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE client_id = {client} AND event IN ('timeout_stay.change', 'timeout_stay.cancel')"
        )),
        2,
        "one change, one cancel: refusals change nothing and leave no success behind"
    );

    // Need-to-know: another team's coordinator finds nothing, a peer may not.
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    theirs
        .post(&format!("{path}/{begun}/cancel"), json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let peer = app.login_as(Role::Peer).await;
    peer.patch(&format!("{path}/{begun}"), json!({"place": "Elders"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    // Another client's stay through her path is not hers.
    let other = cm.create_client("Roodborst").await;
    cm.post(
        &format!("/api/v1/clients/{other}/timeout-stays/{begun}/cancel"),
        json!({}),
    )
    .await
    .assert_error(StatusCode::NOT_FOUND, "not_found");
}

async fn referral(cm: &crate::helpers::Session, client: i64, body: Value) {
    cm.post(&format!("/api/v1/clients/{client}/referrals"), body)
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn sheltered_housing_is_counted_in_weeks_against_the_years_budget() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Fuut").await;
    let path = "/api/v1/sheltered-housing-budget/2026";
    let seed = coordinator.get(path).await.assert(StatusCode::OK);
    assert_eq!(
        (
            seed["budget_weeks"].clone(),
            seed["budget_set"].clone(),
            seed["used_nights"].clone()
        ),
        (json!(18), json!(false), json!(0))
    );

    // Running since 24 October: 30 nights up to today (23 November).
    referral(
        &cm,
        client,
        json!({"kind": "sheltered_housing", "requested_on": "2026-10-01", "started_on": "2026-10-24"}),
    )
    .await;
    // Across the new year: only its 7 nights in 2026 count.
    referral(
        &cm,
        client,
        json!({"kind": "sheltered_housing", "requested_on": "2025-12-01", "started_on": "2025-12-25",
               "ended_on": "2026-01-08", "outcome": "completed"}),
    )
    .await;
    // Still waiting, or another kind: nothing used.
    referral(
        &cm,
        client,
        json!({"kind": "sheltered_housing", "requested_on": "2026-11-01"}),
    )
    .await;
    referral(
        &cm,
        client,
        json!({"kind": "treatment", "requested_on": "2026-01-01", "started_on": "2026-01-02"}),
    )
    .await;
    let used = cm.get(path).await.assert(StatusCode::OK);
    assert_eq!(
        (used["used_nights"].clone(), used["used_weeks"].clone()),
        (json!(37), json!(5.3))
    );

    let set = coordinator
        .put(path, json!({"weeks": 4}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            set["budget_weeks"].clone(),
            set["budget_set"].clone(),
            set["over_budget"].clone()
        ),
        (json!(4), json!(true), json!(true))
    );
    coordinator
        .put(path, json!({"weeks": 521}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    cm.put(path, json!({"weeks": 30}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    for role in [Role::Peer, Role::Municipality, Role::ProcessDirector] {
        app.login_as(role)
            .await
            .get(path)
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    // Another team has its own weeks.
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    let own = theirs.get(path).await.assert(StatusCode::OK);
    assert_eq!(
        (own["budget_weeks"].clone(), own["used_nights"].clone()),
        (json!(18), json!(0))
    );
    assert_eq!(
        app.count("audit_log WHERE event = 'sheltered_housing_budget.set'"),
        1
    );
}
