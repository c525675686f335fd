//! The report pack, checked field by field against two years in the life of a team,
//! counted by hand: contacts at the edges of New Year's night and across the spring's
//! daylight-saving change, anonymous visitors, a woman moved to regular care during the
//! year, referrals that wait across the end of a year, hours on shift against contracted
//! hours; the same period a year before beside it.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, shifts};
use inbeeld::domain::role::Role;
use inbeeld::timezone::Repeated;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

pub(crate) fn at(app: &TestApp, local: &str) -> NaiveDateTime {
    app.state
        .zone
        .parse_instant(local, Repeated::First)
        .unwrap()
}

pub(crate) async fn create(session: &Session, body: Value) -> i64 {
    session
        .post("/api/v1/clients", body)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

/// A pack's figures by key: (this period, the year before).
pub(crate) fn by_key(pack: &Value) -> BTreeMap<String, (Value, Value)> {
    pack["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let key = row["key"].as_str().unwrap().to_owned();
            (key, (row["value"].clone(), row["year_before"].clone()))
        })
        .collect()
}

/// A shift at `location` from `from` to `to` (local), staffed by `staff` if given, checked
/// in and perhaps out.
struct Stint<'a> {
    location: i64,
    from: &'a str,
    to: &'a str,
    staff: Option<(i64, &'a str, Option<&'a str>)>,
}

fn shift(app: &TestApp, by: i64, stint: Stint) -> i64 {
    let new = shifts::NewShift {
        team_id: app.team,
        location_id: stint.location,
        starts_at: at(app, stint.from),
        ends_at: at(app, stint.to),
        min_staff: 1,
        template: None,
        created_by: by,
    };
    let now = app.clock.now();
    let staff = stint
        .staff
        .map(|(user, inn, out)| (user, at(app, inn), out.map(|out| at(app, out))));
    app.db_write(move |conn| {
        let id = shifts::create(conn, &new, now)?.unwrap();
        if let Some((user, inn, out)) = staff {
            shifts::add_staff(conn, id, user)?;
            shifts::set_check_in(conn, id, user, inn)?;
            if let Some(out) = out {
                shifts::set_check_out(conn, id, user, out)?;
            }
        }
        Ok(id)
    })
}

/// Contacts recorded straight into the database: (client or none, visitors, location,
/// shift, local time).
/// A contact: client (none: anonymous), visitors, location, shift, local time.
type Seen<'a> = (Option<i64>, i32, i64, Option<i64>, &'a str);

fn record(app: &TestApp, by: i64, seen: &[Seen]) {
    let now = app.clock.now();
    let rows: Vec<NewContact> = seen
        .iter()
        .map(|&(client, visitors, place, shift, when)| NewContact {
            team_id: app.team,
            client_id: client,
            visitor_count: visitors,
            location_id: Some(place),
            shift_id: shift,
            seen_at: at(app, when),
            kind: "visit".into(),
            services: String::new(),
            note: None,
            recorded_by: by,
            created_at: now,
            updated_at: now,
        })
        .collect();
    app.db_write(move |conn| {
        for row in &rows {
            contacts::insert(conn, row)?;
        }
        Ok(())
    });
}

pub(crate) struct Team {
    pub coordinator: Session,
    pub casemanager: Session,
    pub cirkel: i64,
}

/// 2025 and 2026 of a small team (clock: 23 November 2026, later 10 January 2027).
pub(crate) async fn two_years(app: &TestApp) -> Team {
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let ok = StatusCode::OK;
    let (cirkel, loods) = app.db_read(|conn| {
        Ok((
            locations::find_by_code(conn, "cirkel")?.id,
            locations::find_by_code(conn, "loods")?.id,
        ))
    });
    // A: since June 2025, hers. B: new in February 2026, to regular care on 23 November.
    // D: since 2024, leaves on the last day of 2026. E: left on the last day of 2025.
    let a = create(
        &coordinator,
        json!({"alias": "A", "region": "nijmegen", "addiction": "yes",
        "intake_on": "2025-06-01", "casemanager_id": cm.user_id}),
    )
    .await;
    let b = create(
        &coordinator,
        json!({"alias": "B", "region": "mo_region", "addiction": "no",
        "intake_on": "2026-02-01", "casemanager_id": cm.user_id}),
    )
    .await;
    let d = create(
        &coordinator,
        json!({"alias": "D", "region": "nijmegen", "intake_on": "2024-01-01"}),
    )
    .await;
    let e = create(
        &coordinator,
        json!({"alias": "E", "region": "outside", "intake_on": "2024-01-01"}),
    )
    .await;
    coordinator
        .post(
            &format!("/api/v1/clients/{e}/close"),
            json!({"exit_on": "2025-12-31", "reason": "stopped_sex_work"}),
        )
        .await
        .assert(ok);
    coordinator
        .patch(
            &format!("/api/v1/clients/{b}"),
            json!({"caseload_status": "regular_care"}),
        )
        .await
        .assert(ok);
    for (user, hours) in [(cm.user_id, 32), (coordinator.user_id, 16)] {
        coordinator
            .put(
                &format!("/api/v1/users/{user}/contracted-hours"),
                json!({"hours_per_week": hours}),
            )
            .await
            .assert(ok);
    }
    let created = StatusCode::CREATED;
    cm.post(
        &format!("/api/v1/clients/{a}/timeout-stays"),
        json!({"starts_on": "2026-02-10", "ends_on": "2026-02-20", "place": "Het Hoogeland"}),
    )
    .await
    .assert(created);
    coordinator
        .put("/api/v1/flex-budget/2026", json!({"amount_cents": 50_000}))
        .await
        .assert(ok);
    cm.post(
        &format!("/api/v1/clients/{a}/flex-expenses"),
        json!({"spent_on": "2026-03-01",
        "amount_cents": 2_500, "category": "clothing", "description": "jas"}),
    )
    .await
    .assert(created);
    for (on, score) in [("2026-02-01", 2), ("2026-06-01", 3)] {
        cm.post(
            &format!("/api/v1/clients/{a}/assessments"),
            json!({"on": on, "scores": [{"domain": "housing", "score": score}]}),
        )
        .await
        .assert(created);
    }
    let referral = |client: i64, body: Value| {
        let cm = &cm;
        async move {
            cm.post(&format!("/api/v1/clients/{client}/referrals"), body)
                .await
                .assert(created)["id"]
                .as_i64()
                .unwrap()
        }
    };
    referral(b, json!({"kind": "sheltered_housing", "requested_on": "2026-09-01", "started_on": "2026-10-01"})).await;
    referral(
        d,
        json!({"kind": "diagnostics", "requested_on": "2025-11-01", "started_on": "2026-01-15"}),
    )
    .await;
    let waiting = referral(
        a,
        json!({"kind": "housing_application", "requested_on": "2026-11-01"}),
    )
    .await;
    let stagnation = coordinator
        .post(
            &format!("/api/v1/clients/{a}/stagnations"),
            json!({"kind": "housing", "reason": "Geen plek"}),
        )
        .await
        .assert(created)["id"]
        .as_i64()
        .unwrap();
    app.login_as(Role::ProcessDirector)
        .await
        .post(
            &format!("/api/v1/stagnations/{stagnation}/close"),
            json!({"outcome": "Kamer"}),
        )
        .await
        .assert(ok);
    let signal =
        json!({"kind": "dangerous_customer", "location_id": cirkel, "text": "Grijze auto"});
    let reply = cm
        .send(
            Method::POST,
            "/api/v1/signals",
            Some(signal),
            &[("Idempotency-Key", "pack-1")],
        )
        .await;
    assert_eq!(reply.status, created);

    // The night the clocks went forward: 19:55 to 04:00 local is 7 h 5 min.
    let dst_night = shift(
        app,
        coordinator.user_id,
        Stint {
            location: cirkel,
            from: "2026-03-28T20:00",
            to: "2026-03-29T04:00",
            staff: Some((
                coordinator.user_id,
                "2026-03-28T19:55",
                Some("2026-03-29T04:00"),
            )),
        },
    );
    // New Year's Eve: checked in, never out: counted to the shift's end, 6 h.
    let new_years_eve = shift(
        app,
        coordinator.user_id,
        Stint {
            location: loods,
            from: "2026-12-31T20:00",
            to: "2027-01-01T02:00",
            staff: Some((cm.user_id, "2026-12-31T20:00", None)),
        },
    );
    shift(
        app,
        coordinator.user_id,
        Stint {
            location: cirkel,
            from: "2026-05-01T20:00",
            to: "2026-05-02T00:00",
            staff: None,
        },
    );
    // 2025: 4 h 30 min.
    shift(
        app,
        coordinator.user_id,
        Stint {
            location: loods,
            from: "2025-06-10T20:00",
            to: "2025-06-11T00:30",
            staff: Some((cm.user_id, "2025-06-10T20:00", Some("2025-06-11T00:30"))),
        },
    );
    record(
        app,
        cm.user_id,
        &[
            (None, 4, loods, None, "2024-12-31T23:45"),
            (None, 2, loods, None, "2025-01-01T00:15"),
            (Some(a), 1, loods, None, "2025-12-31T23:30"),
            (Some(a), 1, loods, None, "2026-01-01T00:30"),
            (None, 3, cirkel, Some(dst_night), "2026-03-28T21:00"),
            (Some(b), 1, cirkel, Some(dst_night), "2026-03-28T22:00"),
            (Some(a), 1, cirkel, Some(dst_night), "2026-03-29T03:30"),
            (Some(a), 1, loods, None, "2026-12-20T21:00"),
            (None, 1, loods, Some(new_years_eve), "2026-12-31T23:59"),
            (Some(a), 1, loods, None, "2027-01-01T00:10"),
        ],
    );

    app.clock.advance(TimeDelta::days(48)); // Sunday 10 January 2027
    // Sessions last a day: both sign in again.
    let coordinator = app.sign_in(&coordinator.username).await;
    let cm = app.sign_in(&cm.username).await;
    coordinator
        .post(
            &format!("/api/v1/clients/{d}/close"),
            json!({"exit_on": "2026-12-31", "reason": "moved_away"}),
        )
        .await
        .assert(ok);
    cm.patch(
        &format!("/api/v1/clients/{a}/referrals/{waiting}"),
        json!({"started_on": "2027-01-05"}),
    )
    .await
    .assert(ok);
    Team {
        coordinator,
        casemanager: cm,
        cirkel,
    }
}

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
        // 2026: A at 00:30 on New Year's night, A and B on the night of the spring change,
        // A on 20 December; anonymous 3 that night and 1 at 23:59 on New Year's Eve. 2025:
        // A at 23:30 on New Year's Eve, 2 anonymous at 00:15 on New Year's night 2025.
        ("contacts.total", json!(8), json!(3)),
        ("contacts.named", json!(4), json!(1)),
        ("contacts.anonymous", json!(4), json!(2)),
        ("contacts.unique_clients", json!(2), json!(1)),
        ("contacts.shifts_held", json!(2), json!(1)),
        (
            "contacts.average_visitors_per_shift",
            json!(3.0),
            json!(0.0),
        ), // (5 + 1) / 2
        ("contacts.new_clients", json!(1), json!(1)), // B by intake; A by intake
        ("contacts.clients_left", json!(1), json!(1)), // D; E
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
        ("clients.out_of_view", json!(1), json!(1)), // B unseen since March; D never seen
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

    // At De Cirkel: the night of the spring change and the signal.
    let cirkel = team
        .coordinator
        .get(&format!(
            "/api/v1/reports/pack?from=2026-01-01&to=2026-12-31&location_id={}",
            team.cirkel
        ))
        .await
        .assert(StatusCode::OK);
    assert_eq!(cirkel["location"], "Huiskamer De Cirkel");
    let at_cirkel = by_key(&cirkel);
    for (key, now) in [
        ("contacts.total", json!(5)),
        ("contacts.named", json!(2)),
        ("contacts.anonymous", json!(3)),
        ("contacts.shifts_held", json!(1)),
        ("contacts.average_visitors_per_shift", json!(5.0)),
        ("signals.total", json!(1)),
        ("clients.caseload.total", json!(4)), // the clients stay team-wide
    ] {
        assert_eq!(at_cirkel[key].0, now, "{key}");
    }

    // A quarter: the first of 2026, across New Year's night and the spring change.
    let q1 = team
        .coordinator
        .get("/api/v1/reports/pack?from=2026-01-01&to=2026-03-31")
        .await
        .assert(StatusCode::OK);
    assert_eq!(q1["period"], "2026-Q1");
    let q1 = by_key(&q1);
    assert_eq!(q1["contacts.total"], (json!(6), json!(2))); // 2025-Q1: the 2 at 00:15
    assert_eq!(q1["contacts.named"], (json!(3), json!(0)));
}
