//! Erasure for good: the figures of the past stay true, nothing of her is left in the
//! database files, and retention erases exactly the clients closed longer than the period.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::RunQueryDsl;
use diesel::sql_types::Text;
use inbeeld::db::Backend;
use inbeeld::db::queries::audit::for_client;
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, shifts};
use inbeeld::domain::role::Role;
use inbeeld::timezone::Repeated;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::data_rights::{
    ALIAS, NOTE, PLACE, REFERRAL_NOTE, REGISTRATION, REMINDER, client_with_a_history,
};
use crate::helpers::{Session, TestApp, spawn_app};

fn at(app: &TestApp, local: &str) -> NaiveDateTime {
    app.state
        .zone
        .parse_instant(local, Repeated::First)
        .unwrap()
}

async fn new_client(coordinator: &Session, alias: &str, intake: &str) -> (i64, String) {
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": alias, "region": "nijmegen", "intake_on": intake}),
        )
        .await
        .assert(StatusCode::CREATED);
    (
        created["id"].as_i64().unwrap(),
        created["code"].as_str().unwrap().to_owned(),
    )
}

async fn close(coordinator: &Session, client: i64, exit_on: &str) {
    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"exit_on": exit_on, "reason": "moved_away"}),
        )
        .await
        .assert(StatusCode::OK);
}

/// Every figure the team reports on 2025 and 2026, and the time-out stays counted.
async fn all_figures(coordinator: &Session, cirkel: i64) -> Vec<Value> {
    let mut figures = Vec::new();
    for query in [
        "reports?period=2025".to_owned(),
        "reports?period=2026".to_owned(),
        "reports?period=2026-01".to_owned(),
        "reports?period=2026-03".to_owned(),
        format!("reports?period=2025&location_id={cirkel}"),
        "reports/weekly?period=2026-01".to_owned(),
        "timeout-stays?year=2025".to_owned(),
        "timeout-stays?year=2026".to_owned(),
    ] {
        let mut reply = coordinator
            .get(&format!("/api/v1/{query}"))
            .await
            .assert(StatusCode::OK);
        // The time-out list names the client; the count is the figure.
        if let Some(stays) = reply.get_mut("stays") {
            *stays = json!(stays.as_array().unwrap().len());
        }
        figures.push(reply);
    }
    figures
}

#[tokio::test]
async fn erasure_leaves_the_reports_and_time_out_counts_unchanged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    // Appelvink: new in 2025 by intake, left in March 2026. Casarca: known since 2018,
    // first seen in January 2026 (inflow by first contact), left in April 2026.
    let (appelvink, appelvink_code) = new_client(&coordinator, "Appelvink", "2025-02-01").await;
    let (casarca, casarca_code) = new_client(&coordinator, "Casarca", "2018-01-01").await;
    let (baardman, _) = new_client(&coordinator, "Baardman", "2024-05-01").await;
    let (cirkel, loods) = app.db_read(|conn| {
        Ok((
            locations::find_by_code(conn, "cirkel")?.id,
            locations::find_by_code(conn, "loods")?.id,
        ))
    });
    let now = app.clock.now();
    let user = coordinator.user_id;
    let planned = shifts::NewShift {
        team_id: app.team,
        location_id: cirkel,
        starts_at: at(&app, "2025-09-01T20:00"),
        ends_at: at(&app, "2025-09-02T00:30"),
        min_staff: 1,
        template: None,
        created_by: user,
    };
    let shift = app
        .db_write(move |conn| shifts::create(conn, &planned, now))
        .unwrap();
    let mut recorded = Vec::new();
    for (client, count, place, shift, when) in [
        (Some(appelvink), 1, loods, None, "2025-03-10T21:00"),
        (Some(appelvink), 1, cirkel, Some(shift), "2025-09-01T21:00"),
        (Some(appelvink), 1, cirkel, None, "2026-01-15T22:00"),
        (Some(casarca), 1, loods, None, "2026-01-20T23:30"),
        (Some(baardman), 1, loods, None, "2025-03-10T21:30"),
        (Some(baardman), 1, cirkel, None, "2026-05-01T20:30"),
        (None, 4, cirkel, Some(shift), "2025-09-01T22:00"),
        (None, 2, loods, None, "2026-01-20T23:00"),
    ] {
        recorded.push(NewContact {
            team_id: app.team,
            client_id: client,
            visitor_count: count,
            location_id: Some(place),
            shift_id: shift,
            seen_at: at(&app, when),
            kind: "visit".into(),
            services: "condoms,sti_check".into(),
            note: client.map(|_| "vertelde over haar situatie".to_owned()),
            recorded_by: user,
            created_at: now,
            updated_at: now,
        });
    }
    app.db_write(move |conn| {
        for new in &recorded {
            contacts::insert(conn, new)?;
        }
        Ok(())
    });
    for (client, starts_on, ends_on) in [
        (appelvink, "2025-06-01", "2025-06-10"),
        (appelvink, "2026-02-01", "2026-02-05"),
        (baardman, "2026-07-01", "2026-07-03"),
    ] {
        coordinator
            .post(
                &format!("/api/v1/clients/{client}/timeout-stays"),
                json!({"starts_on": starts_on, "ends_on": ends_on}),
            )
            .await
            .assert(StatusCode::CREATED);
    }
    close(&coordinator, appelvink, "2026-03-31").await;
    close(&coordinator, casarca, "2026-04-30").await;

    let before = all_figures(&coordinator, cirkel).await;
    // The data set is what the comparison is about: both women count in it.
    assert_eq!(
        before[0]["figures"]["unique_clients"], 2,
        "2025: Appelvink, Baardman"
    );
    assert_eq!(
        before[0]["figures"]["new_clients"], 2,
        "2025: Appelvink by intake, Baardman by her first contact"
    );
    assert_eq!(before[1]["figures"]["new_clients"], 1, "2026: Casarca");
    assert_eq!(before[1]["figures"]["clients_left"], 2);
    assert_eq!(before[6]["count"], 1);
    assert_eq!(before[7]["count"], 2);

    for (client, code) in [(appelvink, appelvink_code), (casarca, casarca_code)] {
        coordinator
            .post(
                &format!("/api/v1/clients/{client}/erase"),
                json!({"confirm_code": code}),
            )
            .await
            .assert(StatusCode::OK);
    }
    assert_eq!(all_figures(&coordinator, cirkel).await, before);
    assert_eq!(
        app.count("contacts WHERE client_id IS NOT NULL AND note IS NOT NULL"),
        2,
        "only Baardman's notes are left"
    );
}

/// Which of `needles` can still be found: in the SQLite file and its write-ahead log, or
/// on PostgreSQL in any text column of any table.
pub(crate) fn still_stored(app: &TestApp, needles: &[&str]) -> Vec<String> {
    let url = app.state.settings.effective_database_url();
    match Backend::of_url(&url) {
        Backend::Sqlite => {
            let mut bytes = std::fs::read(&url).unwrap();
            if let Ok(wal) = std::fs::read(format!("{url}-wal")) {
                bytes.extend(wal);
            }
            needles
                .iter()
                .filter(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
                .map(|n| n.to_string())
                .collect()
        }
        Backend::Postgres => {
            #[derive(diesel::QueryableByName)]
            struct Column {
                #[diesel(sql_type = Text)]
                table_name: String,
                #[diesel(sql_type = Text)]
                column_name: String,
            }
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            app.db_read(|conn| {
                let columns: Vec<Column> = diesel::sql_query(
                    "SELECT table_name::text AS table_name, column_name::text AS column_name \
                     FROM information_schema.columns WHERE table_schema = 'public' \
                     AND data_type IN ('text', 'character varying')",
                )
                .load(conn)?;
                assert!(columns.len() > 20, "every text column is searched");
                let mut found = Vec::new();
                for needle in needles {
                    for c in &columns {
                        let hits = diesel::sql_query(format!(
                            "SELECT COUNT(*) AS n FROM \"{}\" WHERE \"{}\" LIKE $1",
                            c.table_name, c.column_name
                        ))
                        .bind::<Text, _>(format!("%{needle}%"))
                        .get_result::<Count>(conn)?;
                        if hits.n > 0 {
                            found.push(needle.to_string());
                            break;
                        }
                    }
                }
                Ok(found)
            })
        }
    }
}

#[tokio::test]
async fn nothing_of_an_erased_client_is_left_in_the_database_files() {
    const HANDOVER: &str = "Overdracht: ze slaapt sinds kort bij een vriendin in Hatert";
    const EXPENSE: &str = "Winterjas voor de nachtelijke uren";
    const EXIT: &str = "Terug naar haar moeder in Emmen";
    let app = spawn_app().await;
    let story = client_with_a_history(&app).await;
    // Her file also holds a warm handover's note and a flex expense's description.
    let successor = app.login_as(Role::Casemanager).await;
    story
        .coordinator
        .post(
            &format!("/api/v1/clients/{}/handover", story.client),
            json!({"to_user_id": successor.user_id, "overlap_until": "2026-11-30", "note": HANDOVER}),
        )
        .await
        .assert(StatusCode::CREATED);
    story
        .coordinator
        .post(
            &format!("/api/v1/clients/{}/flex-expenses", story.client),
            json!({"amount_cents": 1250, "category": "clothing", "description": EXPENSE}),
        )
        .await
        .assert(StatusCode::CREATED);
    let needles = [
        ALIAS,
        NOTE,
        REMINDER,
        PLACE,
        REGISTRATION,
        REFERRAL_NOTE,
        HANDOVER,
        EXPENSE,
    ];
    // The search finds her while she is there, wherever SQLite keeps her.
    assert_eq!(still_stored(&app, &needles), needles);
    // Her exit note is on her file and in her status history.
    story
        .coordinator
        .post(
            &format!("/api/v1/clients/{}/close", story.client),
            json!({"reason": "moved_away", "note": EXIT}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(still_stored(&app, &[EXIT]), [EXIT]);
    story
        .coordinator
        .post(
            &format!("/api/v1/clients/{}/erase", story.client),
            json!({"confirm_code": story.code}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(still_stored(&app, &needles), Vec::<String>::new());
    assert_eq!(still_stored(&app, &[EXIT]), Vec::<String>::new());
    // The year's accounts still hold the amount.
    assert_eq!(app.count("flex_expenses WHERE amount_cents = 1250"), 1);
}

#[tokio::test]
async fn retention_erases_clients_closed_longer_than_the_period_and_no_one_else() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    // Today is 23 November 2026; the period is 24 months.
    let (long_gone, _) = new_client(&coordinator, "Kramsvogel", "2020-01-01").await;
    let (two_years, _) = new_client(&coordinator, "Koperwiek", "2020-01-01").await;
    let (active, _) = new_client(&coordinator, "Keep", "2020-01-01").await;
    let (regular_care, _) = new_client(&coordinator, "Kuifmees", "2020-01-01").await;
    close(&coordinator, long_gone, "2024-11-22").await;
    close(&coordinator, two_years, "2024-11-23").await;
    coordinator
        .patch(
            &format!("/api/v1/clients/{regular_care}"),
            json!({"caseload_status": "regular_care"}),
        )
        .await
        .assert(StatusCode::OK);
    let retention = || inbeeld::jobs::retention::run(&app.state);

    assert_eq!(retention().await.unwrap(), 1);
    assert_eq!(status(&coordinator, long_gone).await, StatusCode::NOT_FOUND);
    for kept in [two_years, active, regular_care] {
        assert_eq!(status(&coordinator, kept).await, StatusCode::OK);
    }
    assert_eq!(app.count("clients WHERE alias = 'Kramsvogel'"), 0);
    let erasure = app
        .db_read(|conn| for_client(conn, long_gone))
        .into_iter()
        .find(|e| e.event == "client.erase.retention")
        .unwrap();
    assert_eq!(erasure.action, "D");
    assert_eq!(erasure.role.as_deref(), Some("system"));
    assert_eq!(
        (erasure.user_id, erasure.session_id, erasure.address),
        (None, None, None)
    );
    assert_eq!(
        retention().await.unwrap(),
        0,
        "an erased client stays erased"
    );

    app.clock.advance(TimeDelta::days(1));
    assert_eq!(retention().await.unwrap(), 1);
    let coordinator = app.login_as(Role::Coordinator).await;
    assert_eq!(status(&coordinator, two_years).await, StatusCode::NOT_FOUND);
    assert_eq!(status(&coordinator, active).await, StatusCode::OK);
    assert_eq!(status(&coordinator, regular_care).await, StatusCode::OK);
}

async fn status(caller: &Session, client: i64) -> StatusCode {
    caller
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .status
}
