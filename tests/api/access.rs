//! Need-to-know: the role-by-endpoint matrix and the cross-team 404.

use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app};

const ROLES: [Role; 6] = [
    Role::Admin,
    Role::Coordinator,
    Role::Casemanager,
    Role::Peer,
    Role::ProcessDirector,
    Role::Municipality,
];

struct Row {
    method: Method,
    path: String,
    body: fn(usize) -> Option<Value>,
    /// Expected status per role, in the order of `ROLES`, then for a signed-out caller.
    expect: [u16; 7],
}

fn none(_: usize) -> Option<Value> {
    None
}

#[tokio::test]
async fn every_role_reaches_exactly_what_it_needs() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator.create_client("Merel").await;
    let cirkel = app.default_location();
    let shift = coordinator
        .post(
            "/api/v1/shifts",
            json!({"location_id": cirkel, "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();

    let rows = [
        Row {
            method: Method::GET,
            path: "/api/v1/clients".into(),
            body: none,
            expect: [403, 200, 200, 200, 200, 403, 401],
        },
        Row {
            method: Method::POST,
            path: "/api/v1/clients".into(),
            body: |i| Some(json!({"alias": format!("Vink{i}"), "region": "nijmegen"})),
            expect: [403, 201, 201, 403, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}"),
            body: none,
            expect: [403, 200, 200, 200, 404, 403, 401],
        },
        Row {
            method: Method::PATCH,
            path: format!("/api/v1/clients/{client}"),
            body: |_| Some(json!({"region": "mo_region"})),
            expect: [403, 200, 200, 403, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}/contacts"),
            body: none,
            expect: [403, 200, 200, 200, 404, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}/casemanagers"),
            body: none,
            expect: [403, 200, 200, 200, 404, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}/status-history"),
            body: none,
            expect: [403, 200, 200, 200, 404, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}/handovers"),
            body: none,
            expect: [403, 200, 200, 200, 404, 403, 401],
        },
        Row {
            method: Method::GET,
            path: "/api/v1/escalations".into(),
            body: none,
            expect: [403, 200, 403, 403, 200, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/clients/{client}/audit"),
            body: none,
            expect: [403, 200, 403, 403, 403, 403, 401],
        },
        Row {
            method: Method::POST,
            path: "/api/v1/contacts".into(),
            body: |_| None,
            expect: [403, 201, 201, 201, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: "/api/v1/shifts".into(),
            body: none,
            expect: [403, 200, 200, 200, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: format!("/api/v1/shifts/{shift}/contacts"),
            body: none,
            expect: [403, 200, 200, 200, 403, 403, 401],
        },
        Row {
            method: Method::POST,
            path: "/api/v1/shifts".into(),
            body: |_| None,
            expect: [403, 201, 403, 403, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: "/api/v1/users".into(),
            body: none,
            expect: [200, 200, 403, 403, 403, 403, 401],
        },
        Row {
            method: Method::POST,
            path: "/api/v1/users".into(),
            body: |i| Some(json!({"username": format!("nieuw{i}"), "role": "municipality"})),
            expect: [201, 403, 403, 403, 403, 403, 401],
        },
        Row {
            method: Method::POST,
            path: "/api/v1/locations".into(),
            body: |i| {
                Some(json!({"code": format!("plek{i}"), "name": "Station", "kind": "outreach"}))
            },
            expect: [201, 403, 403, 403, 403, 403, 401],
        },
        Row {
            method: Method::GET,
            path: "/api/v1/locations".into(),
            body: none,
            expect: [200, 200, 200, 200, 200, 200, 401],
        },
        Row {
            method: Method::GET,
            path: "/api/v1/me".into(),
            body: none,
            expect: [200, 200, 200, 200, 200, 200, 401],
        },
    ];

    let mut sessions: Vec<Session> = Vec::new();
    for role in ROLES {
        sessions.push(app.login_as(role).await);
    }
    sessions.push(app.anonymous());

    let mut failures = Vec::new();
    for row in &rows {
        for (i, session) in sessions.iter().enumerate() {
            let body = match (row.path.as_str(), &row.method) {
                ("/api/v1/contacts", &Method::POST) => {
                    Some(json!({"client_id": client, "location_id": cirkel}))
                }
                ("/api/v1/shifts", &Method::POST) => Some(
                    json!({"location_id": cirkel, "starts_at": "2026-11-25T20:00", "ends_at": "2026-11-26T02:00"}),
                ),
                ("/api/v1/followups", &Method::POST) => Some(
                    json!({"client_id": client, "due_at": "2026-11-25T10:00", "note": "bellen"}),
                ),
                _ => (row.body)(i),
            };
            let reply = session.send(row.method.clone(), &row.path, body, &[]).await;
            if reply.status.as_u16() != row.expect[i] {
                let who = ROLES
                    .get(i)
                    .map_or("signed out".to_owned(), |r| format!("{r:?}"));
                failures.push(format!(
                    "{} {} as {who}: expected {}, got {} ({})",
                    row.method, row.path, row.expect[i], reply.status, reply.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix broken:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn another_teams_client_does_not_exist_for_you() {
    let app = spawn_app().await;
    let ours = app.login_as(Role::Coordinator).await;
    let client = ours.create_client("Lijster").await;
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    let location = app.default_location();

    for suffix in [
        "",
        "/contacts",
        "/casemanagers",
        "/audit",
        "/status-history",
    ] {
        let path = format!("/api/v1/clients/{client}{suffix}");
        let foreign = theirs.get(&path).await;
        let missing = theirs.get(&format!("/api/v1/clients/999999{suffix}")).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            foreign.body, missing.body,
            "a foreign client must look like a missing one"
        );
    }
    theirs
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"alias": "Gekaapt"}),
        )
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    theirs
        .record_contact(location, client)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let listed = theirs.get("/api/v1/clients").await.assert(StatusCode::OK);
    assert_eq!(listed, json!([]));

    // Our own view is unchanged.
    let mine = ours
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(mine["alias"], "Lijster");
}

#[tokio::test]
async fn another_teams_shift_does_not_exist_for_you() {
    let app = spawn_app().await;
    let ours = app.login_as(Role::Coordinator).await;
    let shift = ours
        .post(
            "/api/v1/shifts",
            json!({"location_id": app.default_location(), "starts_at": "2026-11-23T20:00", "ends_at": "2026-11-24T00:30"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let other_team = app.create_team("Stapteam Arnhem");
    let theirs = app.login_in_team(Role::Casemanager, Some(other_team)).await;
    theirs
        .get(&format!("/api/v1/shifts/{shift}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    theirs
        .post(&format!("/api/v1/shifts/{shift}/check-in"), json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let week = theirs.get("/api/v1/shifts").await.assert(StatusCode::OK);
    assert_eq!(week, json!([]));
}
