//! The yearly figures, checked against a data set counted by hand, including anonymous
//! visitors, inflow and outflow at the period's edges, and the municipality's view.

use chrono::NaiveDateTime;
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, shifts};
use inbeeld::domain::role::Role;
use inbeeld::timezone::Repeated;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

fn at(app: &TestApp, local: &str) -> NaiveDateTime {
    app.state
        .zone
        .parse_instant(local, Repeated::First)
        .unwrap()
}

struct Data {
    cirkel: i64,
}

/// A year in the life of the team, small enough to count on paper (see the expectations).
async fn year_2022(app: &TestApp) -> Data {
    let coordinator = app.login_as(Role::Coordinator).await;
    let mut ids = Vec::new();
    for (alias, intake) in [
        ("A", "2021-06-01"),
        ("B", "2022-03-01"), // new in 2022 by intake
        ("C", "2020-01-01"), // new in 2022 by her first contact, 00:30 on New Year's night
        ("D", "2019-01-01"), // left on the last day of 2022
        ("E", "2019-01-01"), // left on the first day of 2023
    ] {
        let client = coordinator
            .post(
                "/api/v1/clients",
                json!({"alias": alias, "region": "nijmegen", "intake_on": intake}),
            )
            .await
            .assert(StatusCode::CREATED);
        ids.push(client["id"].as_i64().unwrap());
    }
    for (client, exit) in [(ids[3], "2022-12-31"), (ids[4], "2023-01-01")] {
        coordinator
            .post(
                &format!("/api/v1/clients/{client}/close"),
                json!({"exit_on": exit, "reason": "stopped_sex_work"}),
            )
            .await
            .assert(StatusCode::OK);
    }
    let (cirkel, loods) = app.db_read(|conn| {
        Ok((
            locations::find_by_code(conn, "cirkel")?.id,
            locations::find_by_code(conn, "loods")?.id,
        ))
    });
    let now = app.clock.now();
    let user = coordinator.user_id;
    let shift = |from: &str, to: &str| shifts::NewShift {
        team_id: app.team,
        location_id: cirkel,
        starts_at: at(app, from),
        ends_at: at(app, to),
        min_staff: 1,
        template: None,
        created_by: user,
    };
    let checked_in = shift("2022-03-05T20:00", "2022-03-06T00:30");
    let checked_in_at = at(app, "2022-03-05T19:55");
    // Over the night the clocks went back in 2022; held because contacts were recorded.
    let with_contacts = shift("2022-10-29T20:00", "2022-10-30T02:00");
    let nobody_came = shift("2022-11-01T20:00", "2022-11-02T00:30"); // not held
    let last_years = shift("2021-12-31T20:00", "2022-01-01T00:30");
    let (held_by_check_in, held_by_contacts) = app.db_write(move |conn| {
        let held_by_check_in = shifts::create(conn, &checked_in, now)?.unwrap();
        shifts::add_staff(conn, held_by_check_in, user)?;
        shifts::set_check_in(conn, held_by_check_in, user, checked_in_at)?;
        let held_by_contacts = shifts::create(conn, &with_contacts, now)?.unwrap();
        shifts::create(conn, &nobody_came, now)?.unwrap();
        shifts::create(conn, &last_years, now)?.unwrap();
        Ok((held_by_check_in, held_by_contacts))
    });
    let contact =
        |client: Option<i64>, count: i32, place: i64, shift: Option<i64>, when: &str| NewContact {
            team_id: app.team,
            client_id: client,
            visitor_count: count,
            location_id: Some(place),
            shift_id: shift,
            seen_at: at(app, when),
            kind: "visit".into(),
            services: String::new(),
            note: None,
            recorded_by: user,
            created_at: now,
            updated_at: now,
        };
    let (a, b, c, d, e) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    let recorded = [
        contact(Some(a), 1, cirkel, None, "2021-11-10T20:00"),
        contact(
            Some(a),
            1,
            cirkel,
            Some(held_by_check_in),
            "2022-03-05T21:00",
        ),
        contact(
            Some(a),
            1,
            cirkel,
            Some(held_by_check_in),
            "2022-03-05T21:30",
        ),
        contact(Some(a), 1, loods, None, "2022-07-01T20:00"),
        contact(
            Some(b),
            1,
            cirkel,
            Some(held_by_check_in),
            "2022-03-05T22:00",
        ),
        contact(Some(c), 1, loods, None, "2022-01-01T00:30"),
        contact(Some(d), 1, loods, None, "2021-12-31T23:30"),
        contact(Some(e), 1, loods, None, "2023-01-01T00:10"),
        contact(None, 3, cirkel, Some(held_by_check_in), "2022-03-05T20:30"),
        contact(None, 2, cirkel, Some(held_by_contacts), "2022-10-30T02:30"),
        contact(None, 1, loods, None, "2022-12-31T23:59"),
    ];
    app.db_write(move |conn| {
        for new in &recorded {
            contacts::insert(conn, new)?;
        }
        Ok(())
    });
    Data { cirkel }
}

#[tokio::test]
async fn the_yearly_report_counts_what_happened_in_the_local_year() {
    let app = spawn_app().await;
    let data = year_2022(&app).await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let report = coordinator
        .get("/api/v1/reports?period=2022")
        .await
        .assert(StatusCode::OK);
    assert_eq!(report["period"], "2022");
    assert_eq!(report["rounded_to"], json!(null));
    assert_eq!(report["from"], "2022-01-01");
    assert_eq!(report["to"], "2022-12-31");
    assert_eq!(
        report["figures"],
        json!({
            "contacts": 11,           // 5 named + 6 anonymous visitors
            "contacts_named": 5,      // A three times, B once, C at 00:30 on 1 January
            "contacts_anonymous": 6,  // 3 + 2 + 1 at 23:59 on 31 December
            "unique_clients": 3,      // A, B, C
            "new_clients": 2,         // B by intake, C by first contact
            "clients_left": 1,        // D; E left on 1 January 2023
            "shifts_held": 2,         // one checked in, one with contacts
            "average_visitors_per_shift": 4.0, // (2 + 1 + 3) + 2 visitors over 2 shifts
        })
    );

    let at_cirkel = coordinator
        .get(&format!(
            "/api/v1/reports?period=2022&location_id={}",
            data.cirkel
        ))
        .await
        .assert(StatusCode::OK);
    assert_eq!(at_cirkel["figures"]["contacts"], 8);
    assert_eq!(at_cirkel["figures"]["unique_clients"], 2);

    let march = coordinator
        .get("/api/v1/reports?period=2022-03")
        .await
        .assert(StatusCode::OK);
    assert_eq!(march["figures"]["contacts"], 6);
    assert_eq!(march["figures"]["new_clients"], 1);
    let week = coordinator
        .get("/api/v1/reports?period=2022-W09")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (week["from"].clone(), week["to"].clone()),
        (json!("2022-02-28"), json!("2022-03-06"))
    );
    assert_eq!(week["figures"]["contacts"], 6);

    // The year's ISO weeks, each whole: C's contact on New Year's night 2022 lies in the
    // last week of 2021, E's on New Year's night 2023 in the last week of 2022.
    let bars = coordinator
        .get("/api/v1/reports/weekly?period=2022")
        .await
        .assert(StatusCode::OK);
    let bars = bars.as_array().unwrap();
    assert_eq!(bars.len(), 52);
    assert_eq!(
        bars[0],
        json!({"week": "2022-W01", "week_start": "2022-01-03", "contacts": 0})
    );
    assert!(bars.contains(&json!({"week": "2022-W09", "week_start": "2022-02-28", "contacts": 6})));
    assert_eq!(
        bars[51],
        json!({"week": "2022-W52", "week_start": "2022-12-26", "contacts": 2})
    );
    assert_eq!(
        bars.iter()
            .map(|b| b["contacts"].as_i64().unwrap())
            .sum::<i64>(),
        11
    );

    coordinator
        .get("/api/v1/reports?period=2022&month=2022-01")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
    coordinator
        .get("/api/v1/reports?from=2022-01-01&to=2022-02-01")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
}

#[tokio::test]
async fn the_municipality_sees_only_aggregates_with_small_numbers_hidden() {
    let app = spawn_app().await;
    year_2022(&app).await;
    let municipality = app.login_as(Role::Municipality).await;
    let report = municipality
        .get("/api/v1/reports?period=2022")
        .await
        .assert(StatusCode::OK);
    assert_eq!(report["rounded_to"], 5);
    // Below 5 "<5", the rest rounded to the nearest multiple of 5.
    assert_eq!(
        report["figures"],
        json!({
            "contacts": 10,
            "contacts_named": 5,
            "contacts_anonymous": 5,
            "unique_clients": "<5",
            "new_clients": "<5",
            "clients_left": "<5",
            "shifts_held": "<5",
            "average_visitors_per_shift": "<5",
        })
    );
    let csv = municipality
        .send(
            reqwest::Method::GET,
            "/api/v1/reports/figures.csv?period=2022",
            None,
            &[],
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.body.as_str().unwrap().to_owned();
    assert!(
        text.starts_with(
            "\u{FEFF}cijfer;waarde\r\nperiod;2022\r\nfrom;2022-01-01\r\nto;2022-12-31\r\nrounded_to;5\r\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("contacts;10\r\n") && text.contains("unique_clients;<5\r\n"),
        "{text}"
    );

    let weeks = municipality
        .send(
            reqwest::Method::GET,
            "/api/v1/reports/weekly.csv?period=2022",
            None,
            &[],
        )
        .await;
    assert_eq!(weeks.status, StatusCode::OK);
    let text = weeks.body.as_str().unwrap().to_owned();
    // One week of 2022 had 6 contacts (shown as 5); every other week fewer than 5.
    assert!(
        text.starts_with("\u{FEFF}week;weekbegin;contacten\r\n2022-W01;2022-01-03;<5\r\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 52);
    assert!(text.contains("\n2022-W09;2022-02-28;5\r\n"), "{text}");
    assert_eq!(text.matches(";<5\r\n").count(), 51, "{text}");

    // Nothing else is within reach.
    for path in [
        "/api/v1/clients",
        "/api/v1/clients/1",
        "/api/v1/clients/1/contacts",
        "/api/v1/shifts",
        "/api/v1/rota/gaps",
        "/api/v1/rota/templates",
        "/api/v1/shifts/1/handover",
        "/api/v1/me/calendar",
        "/api/v1/followups",
        "/api/v1/users",
        "/api/v1/teams",
    ] {
        let reply = municipality.get(path).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
    }
    municipality
        .post("/api/v1/clients/search", json!({"q": "A"}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let casemanager = app.login_as(Role::Casemanager).await;
    casemanager
        .get("/api/v1/reports?period=2022")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}
