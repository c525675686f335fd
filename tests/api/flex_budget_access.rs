//! The flex budget's need-to-know: who may touch it, per team, and the audit trail of
//! every read and change of expenses.

use inbeeld::db::queries::audit::for_client;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::flex_budget::{set_budget, slaapzak, spend};
use crate::helpers::spawn_app;

#[tokio::test]
async fn only_the_coordinator_and_casemanagers_touch_the_flex_budget() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Fuut").await;
    let expenses = format!("/api/v1/clients/{client}/flex-expenses");
    let roles = [
        Role::Admin,
        Role::Coordinator,
        Role::Casemanager,
        Role::Peer,
        Role::ProcessDirector,
        Role::Municipality,
    ];
    // Expected status per role in the order above, then signed out.
    let rows: [(Method, &str, Option<Value>, [u16; 7]); 6] = [
        (
            Method::POST,
            &expenses,
            Some(slaapzak(100)),
            [403, 201, 201, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            &expenses,
            None,
            [403, 200, 200, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/flex-budget/2026",
            None,
            [403, 200, 200, 403, 403, 403, 401],
        ),
        (
            Method::PUT,
            "/api/v1/flex-budget/2026",
            Some(json!({"amount_cents": 100})),
            [403, 200, 403, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/flex-expenses?year=2026",
            None,
            [403, 200, 403, 403, 403, 403, 401],
        ),
        (
            Method::GET,
            "/api/v1/flex-expenses.csv?year=2026",
            None,
            [403, 200, 403, 403, 403, 403, 401],
        ),
    ];
    let mut sessions = Vec::new();
    for role in roles {
        sessions.push(app.login_as(role).await);
    }
    sessions.push(app.anonymous());
    let mut failures = Vec::new();
    for (method, path, body, expect) in &rows {
        for (i, session) in sessions.iter().enumerate() {
            let reply = session.send(method.clone(), path, body.clone(), &[]).await;
            if reply.status.as_u16() != expect[i] {
                failures.push(format!(
                    "{method} {path} as {:?}: expected {}, got {}",
                    roles.get(i),
                    expect[i],
                    reply.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Another team's client looks exactly like a missing one.
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    let foreign = spend(&theirs, client, slaapzak(100)).await;
    let missing = spend(&theirs, 999_999, slaapzak(100)).await;
    assert_eq!(foreign.body, missing.body);
    foreign.assert_error(StatusCode::NOT_FOUND, "not_found");
    theirs
        .get(&expenses)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let their_budget = theirs
        .get("/api/v1/flex-budget/2026")
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        (
            their_budget["budget_set"].clone(),
            their_budget["spent_cents"].clone()
        ),
        (json!(false), json!(0)),
        "budgets and expenses are per team"
    );
}

#[tokio::test]
async fn every_read_and_change_of_expenses_is_audit_logged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let cm = app.login_as(Role::Casemanager).await;
    let peer = app.login_as(Role::Peer).await;
    let client = cm.create_client("Wulp").await;

    spend(&cm, client, slaapzak(1_000))
        .await
        .assert(StatusCode::CREATED);
    cm.get(&format!("/api/v1/clients/{client}/flex-expenses"))
        .await
        .assert(StatusCode::OK);
    spend(&peer, client, slaapzak(1_000))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    peer.get(&format!("/api/v1/clients/{client}/flex-expenses"))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let trail: Vec<(String, String, String, Option<String>)> = app
        .db_read(|conn| for_client(conn, client))
        .into_iter()
        .filter(|e| e.event.starts_with("flex_expense"))
        .map(|e| (e.event, e.action, e.outcome, e.role))
        .collect();
    let entry = |event: &str, action: &str, outcome: &str, role: &str| {
        (
            event.to_owned(),
            action.to_owned(),
            outcome.to_owned(),
            Some(role.to_owned()),
        )
    };
    assert_eq!(
        trail,
        [
            entry("flex_expense.create", "C", "success", "casemanager"),
            entry("flex_expense.read", "R", "success", "casemanager"),
            entry("flex_expense.create", "C", "denied", "peer"),
            entry("flex_expense.read", "R", "denied", "peer"),
        ]
    );

    set_budget(&coordinator, 2026, 5_000)
        .await
        .assert(StatusCode::OK);
    coordinator
        .get("/api/v1/flex-expenses?year=2026")
        .await
        .assert(StatusCode::OK);
    coordinator
        .get("/api/v1/flex-expenses.csv?year=2026")
        .await
        .assert(StatusCode::OK);
    for (event, action) in [
        ("flex_budget.set", "U"),
        ("flex_expense.list", "E"),
        ("flex_expense.export", "E"),
    ] {
        assert_eq!(
            app.count(&format!(
                "audit_log WHERE event = '{event}' AND action = '{action}' \
                 AND role = 'coordinator' AND outcome = 'success'"
            )),
            1,
            "{event}"
        );
    }
}
