//! The registration events of a period in the figures: applications, grants, refusals,
//! expiries (recorded, or a grant that ran out in the period), renewals and ends; exact
//! for the coordinator, "<5" below 5 for the municipality, and in the CSV.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app};

async fn record(session: &Session, client: i64, body: Value) {
    session
        .post(
            &format!("/api/v1/clients/{client}/registration-events"),
            body,
        )
        .await
        .assert(StatusCode::CREATED);
}

fn grant(on: &str, expires_on: &str) -> Value {
    json!({"kind": "granted", "on": on, "number": "R-1", "expires_on": expires_on})
}

fn counts(
    applied: i64,
    granted: i64,
    refused: i64,
    expired: i64,
    renewed: i64,
    ended: i64,
) -> Value {
    json!({"applied": applied, "granted": granted, "refused": refused, "expired": expired,
           "renewed": renewed, "ended": ended})
}

#[tokio::test]
async fn a_period_counts_its_registration_events_and_the_grants_that_ran_out_in_it() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    // Applied, granted, ran out on 30 June, renewed in August.
    let a = coordinator.create_client("Roos").await;
    record(
        &coordinator,
        a,
        json!({"kind": "applied", "on": "2026-01-05"}),
    )
    .await;
    record(&coordinator, a, grant("2026-02-01", "2026-06-30")).await;
    record(
        &coordinator,
        a,
        json!({"kind": "renewed", "on": "2026-08-01", "expires_on": "2027-08-01"}),
    )
    .await;
    let b = coordinator.create_client("Lelie").await;
    record(
        &coordinator,
        b,
        json!({"kind": "refused", "on": "2026-11-02"}),
    )
    .await;
    // Granted last year, ran out on 10 November.
    let c = coordinator.create_client("Iris").await;
    record(&coordinator, c, grant("2025-01-01", "2026-11-10")).await;
    let d = coordinator.create_client("Dahlia").await;
    record(&coordinator, d, grant("2026-03-01", "2027-03-01")).await;
    record(
        &coordinator,
        d,
        json!({"kind": "ended", "on": "2026-11-20"}),
    )
    .await;
    // Another team's events count for the city, not for this team.
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    let e = theirs.create_client("Tulp").await;
    record(&theirs, e, json!({"kind": "applied", "on": "2026-11-03"})).await;

    let year = coordinator
        .get("/api/v1/reports?period=2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(year["registration_events"], counts(1, 2, 1, 2, 1, 1));
    let november = coordinator
        .get("/api/v1/reports?period=2026-11")
        .await
        .assert(StatusCode::OK);
    assert_eq!(november["registration_events"], counts(0, 0, 1, 1, 0, 1));
    let last_year = coordinator
        .get("/api/v1/reports?period=2025")
        .await
        .assert(StatusCode::OK);
    assert_eq!(last_year["registration_events"], counts(0, 1, 0, 0, 0, 0));

    let csv = coordinator
        .get("/api/v1/reports/figures.csv?period=2026")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    for row in [
        "registration_events.granted;2",
        "registration_events.expired;2",
        "registration_events.ended;1",
    ] {
        assert!(text.lines().any(|line| line == row), "{row} in\n{text}");
    }

    let municipality = app.login_as(Role::Municipality).await;
    let city = municipality
        .get("/api/v1/reports?period=2026")
        .await
        .assert(StatusCode::OK);
    let small = json!("<5");
    for kind in [
        "applied", "granted", "refused", "expired", "renewed", "ended",
    ] {
        assert_eq!(city["registration_events"][kind], small, "{kind}");
    }
}
