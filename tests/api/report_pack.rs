//! The report pack, checked field by field against two years in the life of a team
//! counted by hand (`report_pack_data`), the same period a year before beside it; the
//! drop-in living room's four figures whatever location is asked for.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;
use crate::report_pack_data::{by_key, two_years};

/// Every figure of `pack`: those named in `expected` as given, every other one 0 (a
/// median: null).
fn assert_figures(pack: &BTreeMap<String, (Value, Value)>, expected: &[(&str, Value, Value)]) {
    let named: BTreeMap<&str, (&Value, &Value)> = expected
        .iter()
        .map(|(key, now, before)| (*key, (now, before)))
        .collect();
    for key in named.keys() {
        assert!(pack.contains_key(*key), "{key} is missing");
    }
    for (key, (now, before)) in pack {
        let zero = if key.ends_with("median_wait_days") {
            Value::Null
        } else {
            json!(0)
        };
        let (want_now, want_before) = named.get(key.as_str()).copied().unwrap_or((&zero, &zero));
        assert_eq!((now, before), (want_now, want_before), "{key}");
    }
}

#[tokio::test]
async fn the_pack_counts_a_year_and_the_year_before_field_by_field() {
    let app = spawn_app().await;
    let team = two_years(&app).await;
    let pack = team
        .coordinator
        .get("/api/v1/reports/pack?from=2026-01-01&to=2026-12-31")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (&pack["period"], &pack["from"], &pack["to"]),
        (&json!("2026"), &json!("2026-01-01"), &json!("2026-12-31"))
    );
    assert_eq!(
        pack["year_before"],
        json!({"period": "2025", "from": "2025-01-01", "to": "2025-12-31"})
    );
    assert_eq!(pack["protected"], false);
    assert_eq!(pack["location"], Value::Null);
    assert_eq!(
        pack["casemanagers"],
        json!([{"name": team.casemanager.username, "clients": 2}]) // A and B; D closed
    );
    assert_eq!(
        pack["figures"][0]["key"], "contacts.total",
        "the pack's order"
    );
    let rows = [
        // 2026: A at 00:00 and 00:30 on New Year's night, D on 10 January, A and B on the
        // night of the spring change, A on 20 December; anonymous 3 that night and 1 at
        // 23:59 on New Year's Eve. 2025: A at 23:30 on New Year's Eve, 2 anonymous at 00:15
        // on New Year's night 2025.
        ("contacts.total", json!(10), json!(3)),
        ("contacts.named", json!(6), json!(1)),
        ("contacts.anonymous", json!(4), json!(2)),
        ("contacts.unique_clients", json!(3), json!(1)),
        ("contacts.shifts_held", json!(2), json!(1)),
        (
            "contacts.average_visitors_per_shift",
            json!(3.0),
            json!(0.0),
        ), // (5 + 1) / 2
        ("contacts.new_clients", json!(1), json!(1)), // B by intake; A by intake
        ("contacts.clients_left", json!(1), json!(1)), // D; E
        // De Cirkel in 2026: A at midnight, D, the spring night's 3 anonymous, B and A.
        ("living_room.visits", json!(7), json!(0)),
        ("living_room.unique_clients", json!(3), json!(0)), // A, B, D
        // A and B came first in 2026; D first came in 2024.
        ("living_room.new_clients", json!(2), json!(0)),
        // D closed on 31 December 2026, there on 10 January; E closed on 31 December 2025,
        // last there on 30 December 2024: a day before the twelve months.
        ("living_room.clients_left", json!(1), json!(0)),
        ("services.cirkel.condoms", json!(4), json!(0)), // 3 anonymous and A
        ("services.cirkel.sti_check", json!(1), json!(0)),
        ("services.cirkel.meal", json!(1), json!(0)), // at midnight: 2026's
        ("services.loods.conversation", json!(1), json!(1)),
        ("services.loods.condoms", json!(0), json!(2)), // 2 anonymous at 00:15
        ("clients.caseload.total", json!(4), json!(3)),
        ("clients.caseload.open", json!(2), json!(2)),
        ("clients.caseload.active", json!(1), json!(2)), // A; A and D
        ("clients.caseload.regular_care", json!(1), json!(0)), // B since 23 November
        ("clients.caseload.closed", json!(2), json!(1)),
        ("clients.region.nijmegen", json!(1), json!(2)),
        ("clients.region.mo_region", json!(1), json!(0)),
        ("clients.addiction.yes", json!(1), json!(1)),
        ("clients.addiction.no", json!(1), json!(0)),
        ("clients.addiction.unknown", json!(0), json!(1)),
        // B unseen since March; D unseen since November 2024.
        ("clients.out_of_view", json!(1), json!(1)),
        ("clients.outflow.moved_away", json!(1), json!(0)),
        ("clients.outflow.stopped_sex_work", json!(0), json!(1)),
        ("care.timeout_stays", json!(1), json!(0)),
        ("care.timeout_days", json!(10), json!(0)),
        ("care.timeout_stays_planned_per_year", json!(6), json!(6)),
        ("care.sheltered_housing_nights", json!(92), json!(0)), // 1 October to New Year
        ("care.sheltered_housing_budget_weeks", json!(18), json!(18)),
        ("care.flex_spent_cents", json!(2_500), json!(0)),
        ("care.flex_spent_cents.clothing", json!(2_500), json!(0)),
        ("care.flex_budget_cents", json!(50_000), json!(0)),
        ("plan.housing.improved", json!(1), json!(0)),
        ("referrals.sheltered_housing.requested", json!(1), json!(0)),
        ("referrals.sheltered_housing.started", json!(1), json!(0)),
        (
            "referrals.sheltered_housing.median_wait_days",
            json!(30.0),
            Value::Null,
        ),
        // Asked for in 2025, begun in 2026: waiting at the end of 2025.
        ("referrals.diagnostics.requested", json!(0), json!(1)),
        ("referrals.diagnostics.started", json!(1), json!(0)),
        (
            "referrals.diagnostics.median_wait_days",
            json!(75.0),
            Value::Null,
        ),
        ("referrals.diagnostics.waiting_at_end", json!(0), json!(1)),
        // Asked for in November 2026, begun in January 2027.
        (
            "referrals.housing_application.requested",
            json!(1),
            json!(0),
        ),
        (
            "referrals.housing_application.waiting_at_end",
            json!(1),
            json!(0),
        ),
        ("stagnations.opened", json!(1), json!(0)),
        ("stagnations.resolved", json!(1), json!(0)),
        ("signals.total", json!(1), json!(0)),
        ("signals.dangerous_customer", json!(1), json!(0)),
        ("staffing.coordinator.hours_on_shift", json!(7), json!(0)),
        (
            "staffing.coordinator.contracted_hours",
            json!(834),
            json!(834),
        ), // 16 × 365 / 7
        ("staffing.casemanager.hours_on_shift", json!(6), json!(5)), // 6 h; 4 h 30 min
        (
            "staffing.casemanager.contracted_hours",
            json!(1_669),
            json!(1_669),
        ), // 32 × 365 / 7
    ];
    assert_figures(&by_key(&pack), &rows);

    // A quarter: the first of 2026, across New Year's night and the spring change.
    let q1 = team
        .coordinator
        .get("/api/v1/reports/pack?from=2026-01-01&to=2026-03-31")
        .await
        .assert(StatusCode::OK);
    assert_eq!(q1["period"], "2026-Q1");
    let q1 = by_key(&q1);
    assert_eq!(q1["contacts.total"], (json!(8), json!(2))); // 2025-Q1: the 2 at 00:15
    assert_eq!(q1["contacts.named"], (json!(5), json!(0)));
    assert_eq!(q1["living_room.visits"], (json!(7), json!(0)));
    assert_eq!(q1["living_room.new_clients"], (json!(2), json!(0)));
    // D's exit is in the fourth quarter.
    assert_eq!(q1["living_room.clients_left"], (json!(0), json!(0)));
}

#[tokio::test]
async fn de_cirkel_has_its_four_figures_whatever_location_is_asked_for() {
    let app = spawn_app().await;
    let team = two_years(&app).await;
    let year = "/api/v1/reports/pack?from=2026-01-01&to=2026-12-31";
    let cirkel = team
        .coordinator
        .get(&format!("{year}&location_id={}", team.cirkel))
        .await
        .assert(StatusCode::OK);
    assert_eq!(cirkel["location"], "Huiskamer De Cirkel");
    assert_eq!(
        cirkel["location_names"],
        json!({"cirkel": "Huiskamer De Cirkel"})
    );
    let at_cirkel = by_key(&cirkel);
    for (key, now) in [
        ("contacts.total", json!(7)),
        ("contacts.named", json!(4)),
        ("contacts.anonymous", json!(3)),
        ("contacts.shifts_held", json!(1)),
        ("contacts.average_visitors_per_shift", json!(5.0)),
        ("signals.total", json!(1)),
        ("clients.caseload.total", json!(4)), // the clients stay team-wide
        ("services.cirkel.condoms", json!(4)),
    ] {
        assert_eq!(at_cirkel[key].0, now, "{key}");
    }
    assert!(!at_cirkel.contains_key("services.loods.conversation"));
    // At the Loods, or anywhere: De Cirkel's own four are the same.
    let loods = team
        .coordinator
        .get(&format!("{year}&location_id={}", team.loods))
        .await
        .assert(StatusCode::OK);
    let all = team.coordinator.get(year).await.assert(StatusCode::OK);
    let at_loods = by_key(&loods);
    let everywhere = by_key(&all);
    assert_eq!(at_loods["contacts.total"].0, json!(3)); // A twice, 1 anonymous
    assert_eq!(at_loods["services.loods.conversation"].0, json!(1));
    assert!(!at_loods.contains_key("services.cirkel.condoms"));
    for (key, now) in [
        ("living_room.visits", json!(7)),
        ("living_room.unique_clients", json!(3)),
        ("living_room.new_clients", json!(2)),
        ("living_room.clients_left", json!(1)),
    ] {
        for pack in [&at_cirkel, &at_loods, &everywhere] {
            assert_eq!(pack[key].0, now, "{key}");
        }
    }
    assert_eq!(
        all["location_names"],
        json!({"cirkel": "Huiskamer De Cirkel", "loods": "De Loods"})
    );
}
