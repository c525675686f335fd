//! The flex budget: the year's balance in local time, overspending flagged, validation and
//! the CSV export.

use chrono::{TimeZone, Utc};
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::followups::spawn_app_for_weeks;
use crate::helpers::{Reply, Session, TestApp, spawn_app};

pub async fn set_budget(session: &Session, year: i32, cents: i64) -> Reply {
    session
        .send(
            Method::PUT,
            &format!("/api/v1/flex-budget/{year}"),
            Some(json!({ "amount_cents": cents })),
            &[],
        )
        .await
}

pub async fn spend(session: &Session, client: i64, body: Value) -> Reply {
    session
        .post(&format!("/api/v1/clients/{client}/flex-expenses"), body)
        .await
}

pub fn slaapzak(cents: i64) -> Value {
    json!({"amount_cents": cents, "category": "sleeping_gear", "description": "slaapzak"})
}

/// Sets the manual clock to a UTC instant.
pub fn set_clock(app: &TestApp, y: i32, mo: u32, d: u32, h: u32, mi: u32) {
    let target = Utc
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .naive_utc();
    app.clock.advance(target - app.clock.now());
}

#[tokio::test]
async fn the_remaining_budget_follows_the_local_calendar_year() {
    let app = spawn_app_for_weeks().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Roodborst").await;
    set_budget(&coordinator, 2026, 50_000)
        .await
        .assert(StatusCode::OK);
    set_budget(&coordinator, 2027, 60_000)
        .await
        .assert(StatusCode::OK);

    // 23:59 on 31 December in Amsterdam: still 2026.
    set_clock(&app, 2026, 12, 31, 22, 59);
    let late = spend(&cm, client, slaapzak(10_000))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(late["expense"]["spent_on"], "2026-12-31");
    assert_eq!(late["budget"]["year"], 2026);
    assert_eq!(late["budget"]["remaining_cents"], 40_000);

    // 00:30 on 1 January in Amsterdam is 2027, although UTC still says 31 December.
    set_clock(&app, 2026, 12, 31, 23, 30);
    let early = spend(
        &cm,
        client,
        json!({"amount_cents": 2_550, "category": "food", "description": "ontbijt"}),
    )
    .await
    .assert(StatusCode::CREATED);
    assert_eq!(early["expense"]["spent_on"], "2027-01-01");
    assert_eq!(early["expense"]["recorded_at"], "2027-01-01T00:30:00+01:00");
    assert_eq!(early["budget"]["year"], 2027);
    assert_eq!(early["budget"]["remaining_cents"], 57_450);

    // A receipt from 31 December entered on 1 January counts against 2026.
    spend(
        &cm,
        client,
        json!({"spent_on": "2026-12-31", "amount_cents": 1_000, "category": "transport", "description": "buskaart"}),
    )
    .await
    .assert(StatusCode::CREATED);

    let y2026 = coordinator
        .get("/api/v1/flex-budget/2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        y2026,
        json!({"year": 2026, "budget_cents": 50_000, "budget_set": true, "spent_cents": 11_000,
               "remaining_cents": 39_000, "over_budget": false})
    );
    let y2027 = cm
        .get("/api/v1/flex-budget/2027")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            y2027["spent_cents"].clone(),
            y2027["remaining_cents"].clone()
        ),
        (json!(2_550), json!(57_450))
    );

    let listed = coordinator
        .get("/api/v1/flex-expenses?year=2026")
        .await
        .assert(StatusCode::OK);
    let amounts: Vec<i64> = listed["expenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount_cents"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [10_000, 1_000]);
    assert_eq!(listed["budget"]["spent_cents"], 11_000);
    let hers_2027 = cm
        .get(&format!("/api/v1/clients/{client}/flex-expenses?year=2027"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(hers_2027.as_array().unwrap().len(), 1);
    assert_eq!(hers_2027[0]["category"], "food");
    let hers_all = cm
        .get(&format!("/api/v1/clients/{client}/flex-expenses"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(hers_all.as_array().unwrap().len(), 3);
    assert_eq!(hers_all[0]["spent_on"], "2027-01-01", "newest first");
}

#[tokio::test]
async fn an_expense_beyond_the_budget_is_recorded_and_flagged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kievit").await;

    let unbudgeted = spend(&cm, client, slaapzak(500))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(unbudgeted["budget"]["budget_set"], false);
    assert_eq!(unbudgeted["budget"]["over_budget"], true);

    set_budget(&coordinator, 2026, 10_000)
        .await
        .assert(StatusCode::OK);
    let within = spend(&cm, client, slaapzak(9_500))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(within["budget"]["remaining_cents"], 0);
    assert_eq!(within["budget"]["over_budget"], false);
    let over = spend(&cm, client, slaapzak(1))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(over["budget"]["remaining_cents"], -1);
    assert_eq!(over["budget"]["over_budget"], true);
    assert_eq!(app.count("flex_expenses"), 3, "the overspend is recorded");

    // Raising the budget is a replacement, not a second budget.
    let raised = set_budget(&coordinator, 2026, 12_000)
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            raised["remaining_cents"].clone(),
            raised["over_budget"].clone()
        ),
        (json!(1_999), json!(false))
    );
    assert_eq!(app.count("flex_budgets"), 1);
}

#[tokio::test]
async fn bad_amounts_dates_and_texts_get_a_clear_4xx() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Grutto").await;
    let secret = "Grutto slaapt bij de brug";

    for cents in [0, -500, 500_001, i64::MAX] {
        let reply = spend(
            &cm,
            client,
            json!({"amount_cents": cents, "category": "food", "description": secret}),
        )
        .await;
        assert!(!reply.body.to_string().contains("brug"), "{}", reply.body);
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_amount");
    }
    for body in [
        json!({"amount_cents": 12.5, "category": "food", "description": "brood"}),
        json!({"amount_cents": "1250", "category": "food", "description": "brood"}),
        json!({"amount_cents": 9_223_372_036_854_775_808u64, "category": "food", "description": "brood"}),
        json!({"amount_cents": 1250, "category": "drugs", "description": "brood"}),
        json!({"amount_cents": 1250, "description": "brood"}),
        json!({"amount_cents": 1250, "category": "food", "description": "brood", "alias": "x"}),
    ] {
        spend(&cm, client, body)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    }
    let too_long = spend(
        &cm,
        client,
        json!({"amount_cents": 1250, "category": "food", "description": "b".repeat(201)}),
    )
    .await;
    assert!(
        too_long.body["message"]
            .as_str()
            .unwrap()
            .contains("at most 200")
    );
    too_long.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    spend(
        &cm,
        client,
        json!({"amount_cents": 1250, "category": "food", "description": "   "}),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    for day in ["2026-11-24", "2025-11-21"] {
        spend(
            &cm,
            client,
            json!({"spent_on": day, "amount_cents": 1250, "category": "food", "description": "brood"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_date");
    }
    assert_eq!(app.count("flex_expenses"), 0);

    set_budget(&coordinator, 2026, -1)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_amount");
    set_budget(&coordinator, 2026, 100_000_001)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_amount");
    set_budget(&coordinator, 1999, 100)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_period");
    coordinator
        .get("/api/v1/flex-expenses?year=twenty")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    assert_eq!(app.count("flex_budgets"), 0);
}

#[tokio::test]
async fn the_csv_export_holds_the_years_expenses_with_codes_not_aliases() {
    let app = spawn_app_for_weeks().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Scholekster", "code": "NM-014", "region": "nijmegen"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    spend(
        &cm,
        client,
        json!({"spent_on": "2026-03-02", "amount_cents": 4_995, "category": "clothing",
               "description": "jas, \"winter\" maat 40"}),
    )
    .await
    .assert(StatusCode::CREATED);
    spend(
        &cm,
        client,
        json!({"spent_on": "2026-11-20", "amount_cents": 5, "category": "other",
               "description": "=HYPERLINK(\"http://x\")"}),
    )
    .await
    .assert(StatusCode::CREATED);
    set_clock(&app, 2027, 1, 2, 12, 0);
    spend(&cm, client, slaapzak(2_000))
        .await
        .assert(StatusCode::CREATED);

    let reply = coordinator.get("/api/v1/flex-expenses.csv?year=2026").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        reply.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("inbeeld-flexbudget-2026.csv")
    );
    let csv = reply.body.as_str().unwrap().to_owned();
    let name = cm.username.clone();
    assert_eq!(
        csv,
        format!(
            "\u{FEFF}datum;cliëntcode;categorie;bedrag in centen;bedrag in euro;omschrijving;vastgelegd door\r\n\
             2026-03-02;NM-014;clothing;4995;49,95;\"jas, \"\"winter\"\" maat 40\";{name}\r\n\
             2026-11-20;NM-014;other;5;0,05;\"'=HYPERLINK(\"\"http://x\"\")\";{name}\r\n"
        )
    );
    assert!(!csv.contains("Scholekster"));
}
