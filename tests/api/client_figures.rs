//! The clients' side of the figures, counted exactly: the caseload at the period's end
//! by status (from the status history), the categories of the clients not closed then,
//! the period's outflow by exit reason, and how many were out of view; in JSON and CSV,
//! and for the municipality below 5 "<5", the rest rounded to 5.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::spawn_app_for_weeks;
use crate::helpers::{Session, spawn_app};

async fn create(session: &Session, body: Value) -> i64 {
    session
        .post("/api/v1/clients", body)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

async fn report(session: &Session, query: &str) -> Value {
    session
        .get(&format!("/api/v1/reports?{query}"))
        .await
        .assert(StatusCode::OK)
}

/// The four groups of a report, as one object to compare.
fn clients_side(report: &Value) -> Value {
    json!({
        "caseload": report["caseload"],
        "categories": report["categories"],
        "outflow": report["outflow"],
        "out_of_view": report["out_of_view"],
    })
}

/// The exact counts of the clients' side, each group in the report's order.
struct Counts {
    /// Active, regular care, closed.
    caseload: [i64; 3],
    /// Nijmegen, MO region, outside.
    region: [i64; 3],
    /// Yes, no, unknown.
    addiction: [i64; 3],
    /// Sheltered housing, known at the Huiskamer, registered.
    known: [i64; 3],
    /// Moved away, to regular care (the other reasons are none).
    outflow: [i64; 2],
    out_of_view: i64,
}

/// Asserts that `report`'s clients' side shows `counts`.
fn assert_counts(report: &Value, counts: &Counts) {
    let [active, regular_care, closed] = counts.caseload;
    let [nijmegen, mo_region, outside] = counts.region;
    let [yes, no, unknown] = counts.addiction;
    let [sheltered, huiskamer, registered] = counts.known;
    let [moved_away, to_regular_care] = counts.outflow;
    let expected = json!({
        "caseload": {"active": active, "regular_care": regular_care, "closed": closed},
        "categories": {
            "region": {"nijmegen": nijmegen, "mo_region": mo_region, "outside": outside},
            "addiction": {"yes": yes, "no": no, "unknown": unknown},
            "sheltered_housing": sheltered, "known_at_huiskamer": huiskamer,
            "registered": registered,
        },
        "outflow": {"regular_care": to_regular_care, "moved_away": moved_away,
                    "stopped_sex_work": 0, "detained": 0, "deceased": 0, "other": 0},
        "out_of_view": counts.out_of_view,
    });
    assert_eq!(clients_side(report), expected);
}

#[tokio::test]
async fn the_caseload_at_the_periods_end_its_categories_outflow_and_out_of_view() {
    let app = spawn_app_for_weeks().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    // Registered, sheltered, known at the Huiskamer; seen today; to regular care in December.
    let merel = create(
        &coordinator,
        json!({"alias": "Merel", "region": "nijmegen", "intake_on": "2026-01-10",
               "addiction": "yes", "sheltered_housing": true, "known_at_huiskamer": true,
               "registration_status": "registered", "registration_number": "R-1",
               "registration_date": "2026-01-10", "registration_expires_on": "2027-01-10"}),
    )
    .await;
    coordinator
        .record_contact(app.default_location(), merel)
        .await
        .assert(StatusCode::CREATED);
    // Never seen since February; in regular care from today.
    let lijster = create(
        &coordinator,
        json!({"alias": "Lijster", "region": "mo_region", "intake_on": "2026-02-01", "addiction": "no"}),
    )
    .await;
    coordinator
        .patch(
            &format!("/api/v1/clients/{lijster}"),
            json!({"caseload_status": "regular_care"}),
        )
        .await
        .assert(StatusCode::OK);
    // Left in November.
    let zwaluw = create(
        &coordinator,
        json!({"alias": "Zwaluw", "region": "outside", "intake_on": "2026-03-01"}),
    )
    .await;
    coordinator
        .post(
            &format!("/api/v1/clients/{zwaluw}/close"),
            json!({"reason": "moved_away", "exit_on": "2026-11-10"}),
        )
        .await
        .assert(StatusCode::OK);
    // Her intake is planned for December.
    create(
        &coordinator,
        json!({"alias": "Reiger", "region": "nijmegen", "intake_on": "2026-12-01"}),
    )
    .await;
    // Left to regular care at the end of 2025.
    let kievit = create(
        &coordinator,
        json!({"alias": "Kievit", "region": "nijmegen", "intake_on": "2025-06-01", "addiction": "yes"}),
    )
    .await;
    coordinator
        .post(
            &format!("/api/v1/clients/{kievit}/close"),
            json!({"reason": "regular_care", "exit_on": "2025-12-31"}),
        )
        .await
        .assert(StatusCode::OK);
    // Another team's client counts only for the city.
    let arnhem = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(arnhem)).await;
    create(
        &theirs,
        json!({"alias": "Specht", "region": "nijmegen", "intake_on": "2026-05-01"}),
    )
    .await;

    app.clock.advance(TimeDelta::days(17)); // 10 December
    coordinator
        .patch(
            &format!("/api/v1/clients/{merel}"),
            json!({"caseload_status": "regular_care"}),
        )
        .await
        .assert(StatusCode::OK);

    let november = report(&coordinator, "period=2026-11").await;
    let counts_november = Counts {
        caseload: [1, 1, 2],
        region: [1, 1, 0],
        addiction: [1, 1, 0],
        known: [1, 1, 1],
        outflow: [1, 0],
        out_of_view: 1,
    };
    assert_counts(&november, &counts_november);
    assert_eq!(november["figures"]["clients_left"], 1);
    // Team-wide, like inflow and outflow, whatever location is asked for.
    let cirkel = app.default_location();
    let at_cirkel = report(
        &coordinator,
        &format!("period=2026-11&location_id={cirkel}"),
    )
    .await;
    assert_counts(&at_cirkel, &counts_november);

    // December runs: counted now.
    let december = report(&coordinator, "period=2026-12").await;
    let counts_december = Counts {
        caseload: [1, 2, 2],
        region: [2, 1, 0],
        addiction: [1, 1, 1],
        known: [1, 1, 1],
        outflow: [0, 0],
        out_of_view: 1,
    };
    assert_counts(&december, &counts_december);
    let last_year = report(&coordinator, "period=2025").await;
    let counts_last_year = Counts {
        caseload: [0, 0, 1],
        region: [0, 0, 0],
        addiction: [0, 0, 0],
        known: [0, 0, 0],
        outflow: [0, 1],
        out_of_view: 0,
    };
    assert_counts(&last_year, &counts_last_year);

    let csv = coordinator
        .get("/api/v1/reports/figures.csv?period=2026-11")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.body.as_str().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for row in [
        "clients_left;1",
        "caseload.active;1",
        "caseload.regular_care;1",
        "caseload.closed;2",
        "categories.region.mo_region;1",
        "categories.region.outside;0",
        "categories.addiction.yes;1",
        "categories.sheltered_housing;1",
        "categories.known_at_huiskamer;1",
        "categories.registered;1",
        "outflow.moved_away;1",
        "outflow.deceased;0",
        "out_of_view;1",
    ] {
        assert!(lines.contains(&row), "missing {row} in\n{text}");
    }

    // The city, protected: every one of these counts is small.
    let municipality = app.login_as(Role::Municipality).await;
    let city = report(&municipality, "period=2026-11").await;
    assert_eq!(city["caseload"]["active"], "<5");
    assert_eq!(city["categories"]["region"]["nijmegen"], "<5");
    assert_eq!(city["out_of_view"], "<5");
}

#[tokio::test]
async fn outside_the_team_the_counts_are_rounded_to_five_and_small_ones_hidden() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    for (i, alias) in [
        "Vink", "Mees", "Sijs", "Putter", "Specht", "Grutto", "Kievit", "Roek",
    ]
    .iter()
    .enumerate()
    {
        let region = if i < 2 { "outside" } else { "nijmegen" };
        create(
            &coordinator,
            json!({"alias": alias, "region": region, "intake_on": "2026-01-05", "known_at_huiskamer": true}),
        )
        .await;
    }
    let expected = json!({
        "caseload": {"active": 10, "regular_care": "<5", "closed": "<5"},
        "categories": {
            "region": {"nijmegen": 5, "mo_region": "<5", "outside": "<5"},
            "addiction": {"yes": "<5", "no": "<5", "unknown": 10},
            "sheltered_housing": "<5", "known_at_huiskamer": 10, "registered": "<5",
        },
        "outflow": {"regular_care": "<5", "moved_away": "<5", "stopped_sex_work": "<5",
                    "detained": "<5", "deceased": "<5", "other": "<5"},
        "out_of_view": 10,
    });
    let municipality = app.login_as(Role::Municipality).await;
    let city = report(&municipality, "period=2026").await;
    assert_eq!(city["rounded_to"], 5);
    assert_eq!(clients_side(&city), expected);
    let passed_on = report(&coordinator, "period=2026&protected=true").await;
    assert_eq!(clients_side(&passed_on), expected);
    let exact = report(&coordinator, "period=2026").await;
    assert_eq!(exact["caseload"]["active"], 8);
    assert_eq!(exact["categories"]["region"]["nijmegen"], 6);
    assert_eq!(exact["out_of_view"], 8);
    let csv = municipality
        .get("/api/v1/reports/figures.csv?period=2026")
        .await;
    let text = csv.body.as_str().unwrap();
    assert!(text.contains("\ncaseload.active;10\r\n"), "{text}");
    assert!(text.contains("\ncaseload.closed;<5\r\n"), "{text}");
}
