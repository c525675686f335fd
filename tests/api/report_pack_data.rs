//! Two years in the life of a team, for the report pack's figures counted by hand:
//! contacts at the edges of New Year's night and across the spring's daylight-saving
//! change, anonymous visitors, services given, women who came to De Cirkel before the
//! period and one who left after her last visit there, a woman moved to regular care
//! during the year, referrals that wait across the end of a year, hours on shift against
//! contracted hours.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, shifts};
use inbeeld::domain::role::Role;
use inbeeld::timezone::Repeated;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp};

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

/// A contact recorded straight into the database: client (none: anonymous), visitors,
/// location, shift, local time, services as stored.
type Seen<'a> = (Option<i64>, i32, i64, Option<i64>, &'a str, &'a str);

fn record(app: &TestApp, by: i64, seen: &[Seen]) {
    let now = app.clock.now();
    let rows: Vec<NewContact> = seen
        .iter()
        .map(
            |&(client, visitors, place, shift, when, services)| NewContact {
                team_id: app.team,
                client_id: client,
                visitor_count: visitors,
                location_id: Some(place),
                shift_id: shift,
                seen_at: at(app, when),
                kind: "visit".into(),
                services: services.into(),
                note: None,
                recorded_by: by,
                created_at: now,
                updated_at: now,
            },
        )
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
    pub loods: i64,
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
    let stagnation = coordinator.report_stagnation(a, "housing").await;
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
    // A came to De Cirkel first at midnight of New Year's night 2026, B on the night of
    // the spring change. D came in November 2024 and again in January 2026, within twelve
    // months of her exit on the last day of 2026. E came the day before the twelve months
    // up to her exit on the last day of 2025.
    record(
        app,
        cm.user_id,
        &[
            (Some(d), 1, cirkel, None, "2024-11-15T21:00", ""),
            (Some(e), 1, cirkel, None, "2024-12-30T21:00", ""),
            (None, 4, loods, None, "2024-12-31T23:45", ""),
            (None, 2, loods, None, "2025-01-01T00:15", "condoms"),
            (Some(a), 1, loods, None, "2025-12-31T23:30", "conversation"),
            (Some(a), 1, cirkel, None, "2026-01-01T00:00", "meal"),
            (Some(a), 1, loods, None, "2026-01-01T00:30", ""),
            (Some(d), 1, cirkel, None, "2026-01-10T21:00", ""),
            (
                None,
                3,
                cirkel,
                Some(dst_night),
                "2026-03-28T21:00",
                "condoms",
            ),
            (Some(b), 1, cirkel, Some(dst_night), "2026-03-28T22:00", ""),
            (
                Some(a),
                1,
                cirkel,
                Some(dst_night),
                "2026-03-29T03:30",
                "condoms,sti_check",
            ),
            (Some(a), 1, loods, None, "2026-12-20T21:00", "conversation"),
            (None, 1, loods, Some(new_years_eve), "2026-12-31T23:59", ""),
            (Some(a), 1, loods, None, "2027-01-01T00:10", ""),
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
        loods,
    }
}
