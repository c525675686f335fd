//! Small numbers stay hidden from whoever sees no small numbers: figures are given for fixed
//! periods only, so two answers never differ by a few days, and a total minus the other
//! cells of its group does not give a cell shown as "<5".

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::locations;
use inbeeld::domain::role::Role;
use inbeeld::timezone::Repeated;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

fn at(app: &TestApp, local: &str) -> NaiveDateTime {
    app.state
        .zone
        .parse_instant(local, Repeated::First)
        .unwrap()
}

#[tokio::test]
async fn overlapping_ranges_are_refused_so_one_intake_date_stays_hidden() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    // Six women came in during the first half of 2026, the last on 15 June.
    for (alias, intake) in [
        ("A", "2026-02-10"),
        ("B", "2026-03-05"),
        ("C", "2026-04-01"),
        ("D", "2026-05-20"),
        ("E", "2026-06-02"),
        ("F", "2026-06-15"),
    ] {
        coordinator
            .post(
                "/api/v1/clients",
                json!({"alias": alias, "region": "nijmegen", "intake_on": intake}),
            )
            .await
            .assert(StatusCode::CREATED);
    }
    let municipality = app.login_as(Role::Municipality).await;
    // The attack: 1 January to 14 June against 1 January to 15 June gives her intake date.
    for to in ["2026-06-14", "2026-06-15"] {
        for path in [
            "reports",
            "reports/figures.csv",
            "reports/weekly",
            "reports/weekly.csv",
        ] {
            municipality
                .get(&format!("/api/v1/{path}?from=2026-01-01&to={to}"))
                .await
                .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
        }
    }
    // Nor in other words, nor malformed, nor without a period.
    for query in [
        "year=2026",
        "month=2026-06",
        "week=2026-W24",
        "period=2026-06&from=2026-06-01",
        "period=2026-06-15",
        "period=2026-01-01%2F2026-06-14",
        "period=2025-W53",
        "period=2026-Q5",
        "location_id=1",
    ] {
        municipality
            .get(&format!("/api/v1/reports?{query}"))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
    }
    // The team's own coordinator asks for the same periods (her figures are exact).
    coordinator
        .get("/api/v1/reports?from=2026-01-01&to=2026-06-14")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
    coordinator
        .get("/api/v1/reports/weekly?from=2026-06-01&to=2026-06-14")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");

    // What there is to see: fixed periods, which never differ by a day or two.
    let figure = |reply: Value| reply["figures"]["new_clients"].clone();
    for (period, new_clients) in [
        ("2026-06", json!("<5")),
        ("2026-W24", json!("<5")),
        ("2026-W25", json!("<5")),
        ("2026-Q1", json!("<5")),
        ("2026-Q2", json!("<5")),
        ("2026", json!(5)),
    ] {
        let reply = municipality
            .get(&format!("/api/v1/reports?period={period}"))
            .await
            .assert(StatusCode::OK);
        assert_eq!(reply["period"], period);
        assert_eq!(figure(reply), new_clients, "{period}");
    }
}

/// The values a figure shown as `shown` may stand for (among 0 to 200), for whoever knows
/// the rule: exact when `rounded_to` is null, otherwise rounded to the nearest multiple of
/// `rounded_to`; "<5" below 5.
fn could_be(shown: &Value, rounded_to: &Value) -> BTreeSet<i64> {
    (0..=200)
        .filter(|&value| match shown {
            Value::String(text) if text == "<5" => value < 5,
            Value::Number(number) => {
                let number = number.as_i64().unwrap();
                match rounded_to.as_i64() {
                    None => value == number,
                    Some(step) => value >= 5 && (value - number).abs() <= step / 2,
                }
            }
            other => panic!("not a figure: {other}"),
        })
        .collect()
}

/// What a cell may be, given what is shown of it, of its group's total and of the group's
/// other cells (cells adding up to the total).
fn cell_given_the_rest(
    cell: &Value,
    total: &Value,
    others: &[&Value],
    rounded_to: &Value,
) -> BTreeSet<i64> {
    let mut sums = BTreeSet::from([0]);
    for other in others {
        let values = could_be(other, rounded_to);
        sums = sums
            .iter()
            .flat_map(|sum| values.iter().map(move |value| sum + value))
            .filter(|sum| *sum <= 200)
            .collect();
    }
    let totals = could_be(total, rounded_to);
    could_be(cell, rounded_to)
        .into_iter()
        .filter(|value| sums.iter().any(|sum| totals.contains(&(value + sum))))
        .collect()
}

#[tokio::test]
async fn a_small_cell_is_not_its_total_minus_the_other_cells() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Merel", "region": "nijmegen", "intake_on": "2025-01-01"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let (cirkel, loods) = app.db_read(|conn| {
        Ok((
            locations::find_by_code(conn, "cirkel")?.id,
            locations::find_by_code(conn, "loods")?.id,
        ))
    });
    let (team, user, now) = (app.team, coordinator.user_id, app.clock.now());
    let contact = |client: Option<i64>, visitors: i32, location: i64, when: String| NewContact {
        team_id: team,
        client_id: client,
        visitor_count: visitors,
        location_id: Some(location),
        shift_id: None,
        seen_at: at(&app, &when),
        kind: "visit".into(),
        services: String::new(),
        note: None,
        recorded_by: user,
        created_at: now,
        updated_at: now,
    };
    // January 10 contacts and February 2, at De Cirkel; March 22 at De Cirkel and three
    // anonymous visitors at De Loods.
    let mut recorded = Vec::new();
    for (month, count) in [("01", 10), ("02", 2), ("03", 22)] {
        for day in 1..=count {
            let when = format!("2026-{month}-{day:02}T21:00");
            recorded.push(contact(Some(client), 1, cirkel, when));
        }
    }
    recorded.push(contact(None, 3, loods, "2026-03-14T22:00".into()));
    app.db_write(move |conn| {
        for new in &recorded {
            contacts::insert(conn, new)?;
        }
        Ok(())
    });

    let municipality = app.login_as(Role::Municipality).await;
    let get = |query: String| {
        let session = &municipality;
        async move {
            session
                .get(&format!("/api/v1/reports?{query}"))
                .await
                .assert(StatusCode::OK)
        }
    };
    let march = get("period=2026-03".into()).await;
    let rounded_to = march["rounded_to"].clone();
    assert_eq!(rounded_to, 5);
    let f = &march["figures"];
    assert_eq!(f["contacts_anonymous"], "<5");
    // One answer: contacts are named plus anonymous.
    let anonymous = cell_given_the_rest(
        &f["contacts_anonymous"],
        &f["contacts"],
        &[&f["contacts_named"]],
        &rounded_to,
    );
    assert!(anonymous.contains(&3), "{anonymous:?}");
    assert!(
        anonymous.len() > 1,
        "{f}: anonymous visitors are {anonymous:?}"
    );

    // Locations add up to the city's total.
    let at_cirkel = get(format!("period=2026-03&location_id={cirkel}")).await;
    let at_loods = get(format!("period=2026-03&location_id={loods}")).await;
    assert_eq!(at_loods["figures"]["contacts"], "<5");
    let loods_contacts = cell_given_the_rest(
        &at_loods["figures"]["contacts"],
        &f["contacts"],
        &[&at_cirkel["figures"]["contacts"]],
        &rounded_to,
    );
    assert!(loods_contacts.len() > 1, "De Loods: {loods_contacts:?}");

    // Months add up to their quarter.
    let january = get("period=2026-01".into()).await;
    let february = get("period=2026-02".into()).await;
    let quarter = get("period=2026-Q1".into()).await;
    assert_eq!(february["figures"]["contacts"], "<5");
    let february_contacts = cell_given_the_rest(
        &february["figures"]["contacts"],
        &quarter["figures"]["contacts"],
        &[&january["figures"]["contacts"], &f["contacts"]],
        &rounded_to,
    );
    assert!(
        february_contacts.len() > 1,
        "February: {february_contacts:?}"
    );

    // The team's own coordinator sees her figures exactly, or, to pass them on, as the
    // municipality does.
    let exact = coordinator
        .get("/api/v1/reports?period=2026-03")
        .await
        .assert(StatusCode::OK);
    assert_eq!(exact["rounded_to"], Value::Null);
    assert_eq!(
        (
            &exact["figures"]["contacts"],
            &exact["figures"]["contacts_named"],
            &exact["figures"]["contacts_anonymous"]
        ),
        (&json!(25), &json!(22), &json!(3))
    );
    let to_pass_on = coordinator
        .get("/api/v1/reports?period=2026-03&protected=true")
        .await
        .assert(StatusCode::OK);
    assert_eq!(to_pass_on, march);
    // The process director is not the reports' audience.
    app.login_as(Role::ProcessDirector)
        .await
        .get("/api/v1/reports?period=2026-03")
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn a_weekly_bar_is_a_whole_iso_week_whatever_period_it_is_drawn_for() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let (team, user, now, cirkel) = (
        app.team,
        coordinator.user_id,
        app.clock.now(),
        app.default_location(),
    );
    // Anonymous visitors: one on Sunday 28 June, three on Monday 29 June and three on
    // Wednesday 1 July 2026 (the week of 29 June has its Thursday in July).
    let recorded: Vec<NewContact> = [
        ("2026-06-28T21:00", 1),
        ("2026-06-29T21:00", 3),
        ("2026-07-01T21:00", 3),
    ]
    .into_iter()
    .map(|(when, visitors)| NewContact {
        team_id: team,
        client_id: None,
        visitor_count: visitors,
        location_id: Some(cirkel),
        shift_id: None,
        seen_at: at(&app, when),
        kind: "visit".into(),
        services: String::new(),
        note: None,
        recorded_by: user,
        created_at: now,
        updated_at: now,
    })
    .collect();
    app.db_write(move |conn| {
        for new in &recorded {
            contacts::insert(conn, new)?;
        }
        Ok(())
    });
    let bars = |period: &'static str| {
        let session = &coordinator;
        async move {
            session
                .get(&format!("/api/v1/reports/weekly?period={period}"))
                .await
                .assert(StatusCode::OK)
        }
    };
    let june = bars("2026-06").await;
    let weeks: Vec<&Value> = june
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["week"])
        .collect();
    assert_eq!(weeks, ["2026-W23", "2026-W24", "2026-W25", "2026-W26"]);
    assert_eq!(
        june[3],
        json!({"week": "2026-W26", "week_start": "2026-06-22", "contacts": 1})
    );
    let july = bars("2026-07").await;
    assert_eq!(july.as_array().unwrap().len(), 5);
    let week_27 = json!({"week": "2026-W27", "week_start": "2026-06-29", "contacts": 6});
    assert_eq!(july[0], week_27);
    assert_eq!(bars("2026-W27").await, json!([week_27]));
    let year = bars("2026").await;
    assert_eq!(year.as_array().unwrap().len(), 53);
    assert_eq!(year[26], week_27);
    // The week's own figures say the same.
    let report = coordinator
        .get("/api/v1/reports?period=2026-W27")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            &report["from"],
            &report["to"],
            &report["figures"]["contacts"]
        ),
        (&json!("2026-06-29"), &json!("2026-07-05"), &json!(6))
    );
    let csv = coordinator
        .get("/api/v1/reports/weekly.csv?period=2026-07")
        .await;
    assert_eq!(
        csv.headers["content-disposition"],
        "attachment; filename=\"inbeeld-weeks-2026-07.csv\""
    );
    let text = csv.body.as_str().unwrap();
    assert!(
        text.starts_with(
            "\u{FEFF}week;weekbegin;contacten\r\n2026-W27;2026-06-29;6\r\n2026-W28;2026-07-06;0\r\n"
        ),
        "{text}"
    );
}
