//! Who reaches the report pack and what leaves the team with it: the municipality sees the
//! city's pack with small counts, and what would give them away, as "<5", no names and no
//! caseload per casemanager; only whole years, quarters and months; nobody else but the
//! coordinator reads it; the CSV in the Dutch spreadsheet form.

use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::report_pack_data::{at, by_key, create};

/// One woman seen six times in January 2026, and two anonymous visitors.
pub(crate) async fn january(app: &TestApp) {
    let coordinator = app.login_as(Role::Coordinator).await;
    let merel = create(
        &coordinator,
        json!({"alias": "Merel", "region": "nijmegen", "intake_on": "2020-01-01"}),
    )
    .await;
    let location = app.default_location();
    let (team, by, now) = (app.team, coordinator.user_id, app.clock.now());
    let seen: Vec<_> = (1..=6)
        .map(|day| (Some(merel), 1, format!("2026-01-0{day}T21:00")))
        .chain([(None, 2, "2026-01-10T21:00".to_owned())])
        .map(
            |(client, visitors, when)| inbeeld::db::queries::contacts::NewContact {
                team_id: team,
                client_id: client,
                visitor_count: visitors,
                location_id: Some(location),
                shift_id: None,
                seen_at: at(app, &when),
                kind: "visit".into(),
                services: String::new(),
                note: None,
                recorded_by: by,
                created_at: now,
                updated_at: now,
            },
        )
        .collect();
    app.db_write(move |conn| {
        for row in &seen {
            inbeeld::db::queries::contacts::insert(conn, row)?;
        }
        Ok(())
    });
}

const Q1: &str = "/api/v1/reports/pack?from=2026-01-01&to=2026-03-31";

#[tokio::test]
async fn the_municipality_sees_no_small_number_nor_what_gives_one_away() {
    let app = spawn_app().await;
    january(&app).await;
    let municipality = app.login_as(Role::Municipality).await;
    let pack = municipality.get(Q1).await.assert(StatusCode::OK);
    assert_eq!(pack["protected"], true);
    assert_eq!(pack["casemanagers"], Value::Null);
    let figures = by_key(&pack);
    // 8 contacts: 6 named and 2 anonymous. The 2 are small; 6 would give them away as
    // 8 - 6, so it is hidden too; the total is rounded to 10.
    assert_eq!(figures["contacts.total"].0, json!(10));
    assert_eq!(figures["contacts.anonymous"].0, json!("<5"));
    assert_eq!(figures["contacts.named"].0, json!("<5"));
    assert_eq!(figures["contacts.unique_clients"].0, json!("<5"));
    assert_eq!(figures["clients.caseload.active"].0, json!("<5"));
    // All at De Cirkel: 8 visits rounded to 10, one woman hidden; no services recorded.
    assert_eq!(figures["living_room.visits"], (json!(10), json!("<5")));
    assert_eq!(figures["living_room.unique_clients"].0, json!("<5"));
    assert_eq!(figures["living_room.new_clients"].0, json!("<5"));
    assert_eq!(figures["services.cirkel.condoms"].0, json!("<5"));
    // Zero is small too; plans and budgets are no woman's number.
    assert_eq!(figures["signals.total"].0, json!("<5"));
    assert_eq!(figures["care.timeout_stays_planned_per_year"].0, json!(6));
    let text = pack.to_string();
    assert!(!text.contains("Merel"), "{text}");

    // The coordinator's pack as it may leave the team is the same.
    let coordinator = app.login_as(Role::Coordinator).await;
    let exact = coordinator.get(Q1).await.assert(StatusCode::OK);
    assert_eq!(by_key(&exact)["contacts.named"].0, json!(6));
    let protected = coordinator
        .get(&format!("{Q1}&protected=true"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(protected["figures"], pack["figures"]);

    let csv = municipality
        .send(Method::GET, &Q1.replace("/pack?", "/pack.csv?"), None, &[])
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("inbeeld-pakket-2026-Q1.csv")
    );
    let text = csv.body.as_str().unwrap().to_owned();
    assert!(
        text.starts_with(
            "\u{FEFF}cijfer;waarde;jaar_eerder\r\nperiod;2026-Q1;2025-Q1\r\n\
             from;2026-01-01;2025-01-01\r\nto;2026-03-31;2025-03-31\r\nlocation;;\r\n\
             protected;ja;\r\ncontacts.total;10;<5\r\ncontacts.named;<5;<5\r\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\r\ncare.timeout_stays_planned_per_year;6;6\r\n"),
        "{text}"
    );
    assert!(
        !text.contains("Merel") && !text.contains("\ncasemanager."),
        "{text}"
    );
    assert!(
        app.count("audit_log WHERE event = 'report.pack'") >= 4,
        "every pack read is in the trail"
    );
}

#[tokio::test]
async fn only_whole_years_quarters_and_months_and_only_for_coordinator_and_municipality() {
    let app = spawn_app().await;
    let municipality = app.login_as(Role::Municipality).await;
    for query in [
        "from=2026-01-01&to=2026-06-14",
        "from=2026-01-02&to=2026-12-31",
        "from=2026-06-29&to=2026-07-05",
        "from=2026-01-01",
        "from=2026-13-01&to=2026-13-31",
        "",
    ] {
        municipality
            .get(&format!("/api/v1/reports/pack?{query}"))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
    }
    municipality
        .get("/api/v1/reports/pack?from=2026-04-01&to=2026-04-30&location_id=999")
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unknown_location");
    let month = municipality
        .get("/api/v1/reports/pack?from=2026-04-01&to=2026-04-30")
        .await
        .assert(StatusCode::OK);
    assert_eq!(month["year_before"]["period"], "2025-04");
    // Of what is new, the municipality reaches the pack alone.
    let casemanager = app.login_as(Role::Casemanager).await;
    municipality
        .put(
            &format!("/api/v1/users/{}/contracted-hours", casemanager.user_id),
            json!({"hours_per_week": 40}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::ProcessDirector,
        Role::Admin,
    ] {
        let session = app.login_as(role).await;
        for path in [
            "/api/v1/reports/pack?from=2026-01-01&to=2026-12-31",
            "/api/v1/reports/pack.csv?from=2026-01-01&to=2026-12-31",
        ] {
            session
                .get(path)
                .await
                .assert_error(StatusCode::FORBIDDEN, "forbidden");
        }
    }
    // Contracted hours: the team's coordinator, within reason, for her own team.
    let coordinator = app.login_as(Role::Coordinator).await;
    let path = format!("/api/v1/users/{}/contracted-hours", casemanager.user_id);
    coordinator
        .put(&path, json!({"hours_per_week": 61}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    casemanager
        .put(&path, json!({"hours_per_week": 40}))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    let elsewhere = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(elsewhere)).await;
    theirs
        .put(&path, json!({"hours_per_week": 40}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    coordinator
        .put(&path, json!({"hours_per_week": 36}))
        .await
        .assert(StatusCode::OK);
    let listed = coordinator
        .get("/api/v1/users")
        .await
        .assert(StatusCode::OK);
    let hers = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|user| user["id"] == casemanager.user_id)
        .unwrap();
    assert_eq!(hers["contracted_hours_per_week"], 36);
}
