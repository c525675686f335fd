//! Ending every registration at once, when the zone closes: one action for the
//! coordinator, checked against the count she confirmed, in one transaction.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::spawn_app;
use crate::registration_events::{file, grant, record};

#[tokio::test]
async fn ending_every_registration_at_once_checks_the_count_and_writes_one_transaction() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let registered = coordinator.create_client("Kluut").await;
    record(
        &coordinator,
        registered,
        grant("2026-01-01", "R-1", "2027-01-01"),
    )
    .await;
    let applied = coordinator.create_client("Bergeend").await;
    record(
        &coordinator,
        applied,
        json!({"kind": "applied", "on": "2026-11-01"}),
    )
    .await;
    let refused = coordinator.create_client("Smient").await;
    record(
        &coordinator,
        refused,
        json!({"kind": "refused", "on": "2026-11-01"}),
    )
    .await;
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    let their_client = theirs.create_client("Tafeleend").await;
    record(
        &theirs,
        their_client,
        grant("2026-01-01", "R-1", "2027-01-01"),
    )
    .await;
    let before = app.count("registration_events");

    let body = |expected: i64| json!({"on": "2026-11-23", "expected_count": expected});
    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::Admin,
        Role::Municipality,
    ] {
        app.login_as(role)
            .await
            .post("/api/v1/registrations/end-all", body(2))
            .await
            .assert_error(StatusCode::FORBIDDEN, "forbidden");
    }
    coordinator
        .post("/api/v1/registrations/end-all", body(3))
        .await
        .assert_error(StatusCode::CONFLICT, "count_changed");
    coordinator
        .post(
            "/api/v1/registrations/end-all",
            json!({"on": "2026-11-24", "expected_count": 2}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "date_in_future");
    assert_eq!(app.count("registration_events"), before);

    let ended = coordinator
        .post("/api/v1/registrations/end-all", body(2))
        .await
        .assert(StatusCode::OK);
    assert_eq!(ended["ended"], 2);
    assert_eq!(app.count("registration_events"), before + 2);
    for client in [registered, applied] {
        assert_eq!(
            file(&coordinator, client).await["registration_status"],
            "ended"
        );
    }
    assert_eq!(
        file(&coordinator, refused).await["registration_status"],
        "refused"
    );
    assert_eq!(
        file(&theirs, their_client).await["registration_status"],
        "registered"
    );
    let list = coordinator
        .get("/api/v1/registrations")
        .await
        .assert(StatusCode::OK);
    assert_eq!(list["registrations"].as_array().unwrap().len(), 0);
    assert_eq!(
        app.count("audit_log WHERE event = 'registration.end_all' AND action = 'E'"),
        1
    );
    assert_eq!(
        app.count("audit_log WHERE event = 'client.registration_event.create'"),
        2 + 4
    );
}
