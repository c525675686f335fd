//! Accounts and their rights in the audit trail (NEN 7513): creating an account, changing
//! its role, team, organisation or state, handing out a start password or resetting its
//! second factor, and creating teams, locations and partners each leave an entry saying
//! who did it, from where, whose account it was and what changed (never a password). The
//! command line's changes too, as the command line's.

use inbeeld::db::queries::audit::{EntryRow, page_after};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::audit_chain::verify;
use crate::helpers::{Session, TestApp, spawn_app};
use crate::process::{inbeeld, user_add};

/// The entries whose event starts with one of `prefixes`, oldest first.
fn entries_about(app: &TestApp, prefixes: &[&str]) -> Vec<EntryRow> {
    app.db_read(|conn| page_after(conn, 0, 10_000))
        .into_iter()
        .filter(|e| prefixes.iter().any(|p| e.event.starts_with(p)))
        .collect()
}

/// What an entry says changed, as JSON.
fn detail(entry: &EntryRow) -> Value {
    let text = entry.detail.as_deref().unwrap_or_else(|| {
        panic!("{} has no detail", entry.event);
    });
    serde_json::from_str(text).unwrap()
}

/// Asserts that `entry` is a complete entry of `event` by `who` from the test's address.
#[track_caller]
fn assert_by(entry: &EntryRow, event: &str, action: &str, who: &Session) {
    assert_eq!(entry.event, event);
    assert_eq!(entry.action, action, "{event}");
    assert_eq!(entry.outcome, "success", "{event}");
    assert_eq!(entry.user_id, Some(who.user_id), "{event}");
    assert_eq!(entry.role.as_deref(), Some("admin"), "{event}");
    assert!(entry.session_id.is_some(), "{event}");
    assert_eq!(entry.address.as_deref(), Some("127.0.0.1"), "{event}");
    assert_eq!(entry.client_id, None, "{event}");
    assert!(entry.hash.is_some(), "{event}");
}

#[tokio::test]
async fn creating_and_changing_accounts_is_logged_with_what_changed() {
    let app = spawn_app().await;
    let admin = app.login_as(Role::Admin).await;
    let other_team = app.create_team("Stapteam Arnhem");
    let chosen = "een wachtwoord dat zij koos";
    let created = admin
        .post(
            "/api/v1/users",
            json!({"username": "ilse", "role": "coordinator", "team_id": app.team, "password": chosen}),
        )
        .await
        .assert(StatusCode::CREATED);
    let account = created["user"]["id"].as_i64().unwrap();
    admin
        .post(
            "/api/v1/users",
            json!({"username": "noor", "role": "peer", "team_id": app.team}),
        )
        .await
        .assert(StatusCode::CREATED);
    admin
        .patch(
            &format!("/api/v1/users/{account}"),
            json!({"role": "casemanager", "team_id": other_team}),
        )
        .await
        .assert(StatusCode::OK);
    admin
        .patch(
            &format!("/api/v1/users/{account}"),
            json!({"active": false}),
        )
        .await
        .assert(StatusCode::OK);
    // Refused and invalid changes change nothing and leave no change entry.
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .patch(&format!("/api/v1/users/{account}"), json!({"active": true}))
        .await
        .assert(StatusCode::FORBIDDEN);
    admin
        .patch(
            &format!("/api/v1/users/{account}"),
            json!({"role": "peer", "team_id": null}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "team_required");

    let entries = entries_about(&app, &["account."]);
    let by_admin: Vec<&EntryRow> = entries
        .iter()
        .filter(|e| e.user_id == Some(admin.user_id))
        .collect();
    assert_eq!(by_admin.len(), 4, "{entries:#?}");
    assert_by(by_admin[0], "account.create", "C", &admin);
    assert_eq!(
        detail(by_admin[0]),
        json!({
            "account": account, "username": "ilse", "role": "coordinator",
            "team": app.team, "organisation": null, "active": true, "password": "chosen",
        })
    );
    assert_by(by_admin[1], "account.create", "C", &admin);
    assert_eq!(detail(by_admin[1])["password"], "generated");
    assert_by(by_admin[2], "account.change", "U", &admin);
    assert_eq!(
        detail(by_admin[2]),
        json!({"account": account, "role": "casemanager", "team": other_team})
    );
    assert_by(by_admin[3], "account.change", "U", &admin);
    assert_eq!(
        detail(by_admin[3]),
        json!({"account": account, "active": false})
    );
    for entry in &entries {
        let text = entry.detail.as_deref().unwrap_or_default();
        assert!(!text.contains(chosen), "a password in the trail: {text}");
        assert!(
            !text.contains("$argon2"),
            "a password hash in the trail: {text}"
        );
    }
    // The coordinator's refusal is an entry of its own, not a change.
    assert!(
        !entries
            .iter()
            .any(|e| e.user_id == Some(coordinator.user_id))
    );
    assert!(verify(&app).is_ok());
}

#[tokio::test]
async fn teams_locations_and_partners_are_logged_and_no_admin_write_is_left_out() {
    let app = spawn_app().await;
    let admin = app.login_as(Role::Admin).await;
    let mut covered: Vec<(&str, &str)> = Vec::new();

    let team = admin
        .post("/api/v1/teams", json!({"name": "Stapteam Arnhem"}))
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    covered.push(("post", "/api/v1/teams"));
    let location = admin.create_location("haven", "De Haven", "outreach").await;
    covered.push(("post", "/api/v1/locations"));
    admin
        .patch(
            &format!("/api/v1/locations/{location}"),
            json!({"name": "De Oude Haven", "active": false}),
        )
        .await
        .assert(StatusCode::OK);
    covered.push(("patch", "/api/v1/locations/{id}"));
    let account = admin
        .post(
            "/api/v1/users",
            json!({"username": "mila", "role": "casemanager", "team_id": team}),
        )
        .await
        .assert(StatusCode::CREATED)["user"]["id"]
        .as_i64()
        .unwrap();
    covered.push(("post", "/api/v1/users"));
    admin
        .patch(
            &format!("/api/v1/users/{account}"),
            json!({"display_name": "Mila B."}),
        )
        .await
        .assert(StatusCode::OK);
    covered.push(("patch", "/api/v1/users/{id}"));
    admin
        .patch(
            &format!("/api/v1/teams/{team}"),
            json!({"name": "Stapteam Arnhem-Zuid"}),
        )
        .await
        .assert(StatusCode::OK);
    covered.push(("patch", "/api/v1/teams/{id}"));
    let start = admin
        .post(
            &format!("/api/v1/users/{account}/start-password"),
            json!({}),
        )
        .await
        .assert(StatusCode::OK)["start_password"]
        .as_str()
        .unwrap()
        .to_owned();
    covered.push(("post", "/api/v1/users/{id}/start-password"));
    admin
        .post(
            &format!("/api/v1/users/{account}/second-factor/reset"),
            json!({}),
        )
        .await
        .assert(StatusCode::NO_CONTENT);
    covered.push(("post", "/api/v1/users/{id}/second-factor/reset"));
    let partner = admin
        .post("/api/v1/partners", json!({"name": "Veilig Thuis"}))
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    covered.push(("post", "/api/v1/partners"));
    admin
        .patch(
            &format!("/api/v1/partners/{partner}"),
            json!({"active": false}),
        )
        .await
        .assert(StatusCode::OK);
    covered.push(("patch", "/api/v1/partners/{id}"));
    admin
        .delete(&format!("/api/v1/partners/{partner}"))
        .await
        .assert(StatusCode::NO_CONTENT);
    covered.push(("delete", "/api/v1/partners/{id}"));

    let entries = entries_about(&app, &["team.", "location.", "account.", "partner."]);
    let by_admin: Vec<&EntryRow> = entries
        .iter()
        .filter(|e| e.user_id == Some(admin.user_id))
        .collect();
    assert_eq!(by_admin.len(), 11, "{entries:#?}");
    assert_by(by_admin[0], "team.create", "C", &admin);
    assert_eq!(
        detail(by_admin[0]),
        json!({"team": team, "name": "Stapteam Arnhem"})
    );
    assert_by(by_admin[1], "location.create", "C", &admin);
    assert_eq!(
        detail(by_admin[1]),
        json!({"location": location, "code": "haven", "name": "De Haven", "kind": "outreach", "active": true})
    );
    assert_by(by_admin[2], "location.change", "U", &admin);
    assert_eq!(
        detail(by_admin[2]),
        json!({"location": location, "name": "De Oude Haven", "active": false})
    );
    assert_by(by_admin[4], "account.change", "U", &admin);
    assert_eq!(
        detail(by_admin[4]),
        json!({"account": account, "display_name": "Mila B."})
    );
    let expected = [
        (
            "team.change",
            "U",
            json!({"team": team, "name": "Stapteam Arnhem-Zuid"}),
        ),
        ("account.start_password", "U", json!({"account": account})),
        (
            "account.second_factor_reset",
            "D",
            json!({"account": account}),
        ),
        (
            "partner.create",
            "C",
            json!({"partner": partner, "name": "Veilig Thuis", "active": true}),
        ),
        (
            "partner.change",
            "U",
            json!({"partner": partner, "active": false}),
        ),
        (
            "partner.delete",
            "D",
            json!({"partner": partner, "name": "Veilig Thuis"}),
        ),
    ];
    for (entry, (event, action, what)) in by_admin[5..].iter().zip(expected) {
        assert_by(entry, event, action, &admin);
        assert_eq!(detail(entry), what, "{event}");
    }
    for entry in &entries {
        assert!(!entry.detail.as_deref().unwrap_or_default().contains(&start));
    }

    // The coordinator sets the hours a colleague is contracted for: a change of an account.
    let coordinator = app.login_as(Role::Coordinator).await;
    let colleague = app.login_as(Role::Casemanager).await;
    coordinator
        .put(
            &format!("/api/v1/users/{}/contracted-hours", colleague.user_id),
            json!({"hours_per_week": 24}),
        )
        .await
        .assert(StatusCode::OK);
    covered.push(("put", "/api/v1/users/{id}/contracted-hours"));
    let by_coordinator: Vec<EntryRow> = entries_about(&app, &["account."])
        .into_iter()
        .filter(|e| e.user_id == Some(coordinator.user_id))
        .collect();
    assert_eq!(by_coordinator.len(), 1, "{by_coordinator:#?}");
    let entry = &by_coordinator[0];
    assert_eq!(
        (entry.event.as_str(), entry.action.as_str()),
        ("account.contracted_hours", "U")
    );
    assert_eq!(entry.role.as_deref(), Some("coordinator"));
    assert!(entry.hash.is_some() && entry.client_id.is_none());
    assert_eq!(
        detail(entry),
        json!({"account": colleague.user_id, "hours_per_week": 24})
    );

    // Every write the API offers on accounts, teams, organisations, partners and
    // locations is walked above, so a new one cannot go unlogged unnoticed.
    let doc = app.openapi_document().await;
    let kept_by_admin = [
        "/api/v1/users",
        "/api/v1/teams",
        "/api/v1/organisations",
        "/api/v1/partners",
    ];
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let about_rights = kept_by_admin.iter().any(|p| path.starts_with(p))
            || path.starts_with("/api/v1/locations");
        for method in operations.as_object().unwrap().keys() {
            if about_rights && method != "get" {
                assert!(
                    covered.contains(&(method.as_str(), path.as_str())),
                    "{method} {path} is not walked by this test"
                );
            }
        }
    }
    assert!(verify(&app).is_ok());
}

#[tokio::test]
async fn accounts_added_on_the_command_line_are_logged_as_the_command_lines() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let mut command = inbeeld(dir.path());
    command
        .env("INBEELD_DATA_DIR", &app.state.settings.data_dir)
        .env("INBEELD_DATABASE_URL", &app.state.settings.database_url);
    let password = "een lang genoeg wachtwoord";
    user_add(command, "Fleur", "coordinator", "Stapteam Tiel", password);

    let entries = entries_about(&app, &["team.", "account."]);
    let from_cli: Vec<&EntryRow> = entries
        .iter()
        .filter(|e| e.role.as_deref() == Some("command_line"))
        .collect();
    let events: Vec<&str> = from_cli.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["team.create", "account.create"]);
    for entry in &from_cli {
        assert_eq!(entry.user_id, None);
        assert_eq!(entry.session_id, None);
        assert_eq!(entry.address, None);
        assert_eq!(entry.outcome, "success");
        assert!(!entry.detail.as_deref().unwrap().contains(password));
    }
    let team = detail(from_cli[0]);
    assert_eq!(team["name"], "Stapteam Tiel");
    let account = detail(from_cli[1]);
    assert_eq!(account["username"], "fleur");
    assert_eq!(account["role"], "coordinator");
    assert_eq!(account["team"], team["team"]);
    assert_eq!(account["password"], "chosen");
    assert!(verify(&app).is_ok());
}
