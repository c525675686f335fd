//! Clients: pseudonymous files, search by alias, status changes, casemanagers.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_new_client_needs_only_an_alias_and_a_region() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let created = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "  Nachtegaal ", "region": "mo_region"}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(created["alias"], "Nachtegaal");
    assert_eq!(created["registration_status"], "none");
    assert_eq!(created["caseload_status"], "active");
    assert_eq!(created["intake_on"], "2026-11-23");
    assert_eq!(created["effective_threshold_days"], 14);
    assert!(created["code"].as_str().unwrap().starts_with("C-"));

    let registered = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Kwikstaart", "code": "NM-014", "region": "nijmegen",
                   "registration_status": "registered", "registration_number": "R-77",
                   "registration_expires_on": "2027-05-01", "followup_threshold_days": 7}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(registered["effective_threshold_days"], 7);
    cm.post(
        "/api/v1/clients",
        json!({"alias": "Ander", "code": "NM-014", "region": "nijmegen"}),
    )
    .await
    .assert_error(StatusCode::CONFLICT, "client_code_taken");
}

#[tokio::test]
async fn bad_client_input_is_refused_clearly() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for (body, status, code) in [
        (
            json!({"alias": "", "region": "nijmegen"}),
            422,
            "validation_failed",
        ),
        (
            json!({"alias": "x".repeat(41), "region": "nijmegen"}),
            422,
            "validation_failed",
        ),
        (
            json!({"alias": "Roos", "region": "amsterdam"}),
            400,
            "bad_json",
        ),
        (json!({"alias": "Roos"}), 400, "bad_json"),
        (
            json!({"alias": "Roos", "region": "nijmegen", "bsn": "123456782"}),
            400,
            "bad_json",
        ),
        (
            json!({"alias": "Roos", "region": "nijmegen", "followup_threshold_days": 0}),
            422,
            "validation_failed",
        ),
        (
            json!({"alias": "Roos", "region": "nijmegen", "code": "a b"}),
            422,
            "validation_failed",
        ),
    ] {
        let reply = cm.post("/api/v1/clients", body.clone()).await;
        assert_eq!(reply.status.as_u16(), status, "{body}: {}", reply.body);
        assert_eq!(reply.body["error"], code, "{body}");
    }
    assert_eq!(app.count("clients"), 0);
}

/// A right-to-left override makes "Roos\u{202E}kiP" show as "RoosPik": an alias must
/// show as what it is, so writing-direction and invisible format characters are refused.
#[tokio::test]
async fn an_alias_cannot_pretend_to_be_another() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for alias in [
        "Roos\u{202E}kiP",
        "\u{2066}Roos",
        "Ro\u{200F}os",
        "Ro\u{200B}os",
    ] {
        let reply = cm
            .post(
                "/api/v1/clients",
                json!({"alias": alias, "region": "nijmegen"}),
            )
            .await;
        reply.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    assert_eq!(app.count("clients"), 0);
    cm.post(
        "/api/v1/clients",
        json!({"alias": "Zoë", "region": "nijmegen"}),
    )
    .await
    .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn clients_are_found_by_part_of_their_alias() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    for alias in ["Merel", "Zanglijster", "Lijster", "100%_echt"] {
        cm.create_client(alias).await;
    }
    let aliases = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c["alias"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = cm.get("/api/v1/clients").await.assert(StatusCode::OK);
    assert_eq!(
        aliases(all),
        ["100%_echt", "Lijster", "Merel", "Zanglijster"]
    );
    let search = |q: &str| json!({"q": q});
    let found = cm
        .post("/api/v1/clients/search", search("LIJST"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(aliases(found), ["Lijster", "Zanglijster"]);
    let literal = cm
        .post("/api/v1/clients/search", search("%_"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(aliases(literal), ["100%_echt"]);
    cm.post("/api/v1/clients/search", search(" "))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    // An alias never travels in a URL: the query string takes no search term.
    cm.get("/api/v1/clients?q=Merel")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    cm.get("/api/v1/clients?status=gone")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
}

#[tokio::test]
async fn closing_and_reopening_a_client() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let client = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Wielewaal", "region": "nijmegen", "intake_on": "2026-11-01"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    coordinator
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"caseload_status": "closed"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "use_close");
    let closed = coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"exit_on": "2026-11-20", "reason": "moved_away"}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(closed["caseload_status"], "closed");
    assert_eq!(closed["exit_on"], "2026-11-20");
    let active = coordinator
        .get("/api/v1/clients?status=active")
        .await
        .assert(StatusCode::OK);
    assert_eq!(active, json!([]));
    let reopened = coordinator
        .post(&format!("/api/v1/clients/{client}/reopen"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(reopened["caseload_status"], "active");
    assert_eq!(reopened["exit_on"], Value::Null);

    // Her registration changes only through her registration events.
    coordinator
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"followup_threshold_days": 21, "registration_status": "applied"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "use_registration_events");
    let patched = coordinator
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"followup_threshold_days": 21}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(patched["effective_threshold_days"], 21);
    let reset = coordinator
        .patch(
            &format!("/api/v1/clients/{client}"),
            json!({"followup_threshold_days": null}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(reset["effective_threshold_days"], 14);
    assert_eq!(reset["registration_status"], "none");
}

#[tokio::test]
async fn a_warm_handover_lets_two_casemanagers_overlap() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let (old, _) = app.create_user(Role::Casemanager, None);
    let (new, _) = app.create_user(Role::Casemanager, None);
    let (peer, _) = app.create_user(Role::Peer, None);
    // Registered by the coordinator for her casemanager, who has known her since her intake.
    let client = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "IJsvogel", "region": "nijmegen", "intake_on": "2025-01-01", "casemanager_id": old}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/clients/{client}/casemanagers");
    let first = coordinator.get(&path).await.assert(StatusCode::OK)[0].clone();
    assert_eq!(first["user_id"], old);
    coordinator
        .post(&path, json!({"user_id": new, "from_on": "2026-12-01"}))
        .await
        .assert(StatusCode::CREATED);
    coordinator
        .patch(
            &format!("{path}/{}", first["id"]),
            json!({"until_on": "2026-12-15"}),
        )
        .await
        .assert(StatusCode::OK);
    coordinator
        .post(&path, json!({"user_id": peer}))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "not_a_casemanager");
    coordinator
        .post(
            &path,
            json!({"user_id": new, "from_on": "2026-12-01", "until_on": "2026-11-01"}),
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let listed = coordinator.get(&path).await.assert(StatusCode::OK);
    assert_eq!(
        listed,
        json!([
            {"id": first["id"], "user_id": old, "display_name": listed[0]["display_name"], "from_on": "2025-01-01", "until_on": "2026-12-15"},
            {"id": listed[1]["id"], "user_id": new, "display_name": listed[1]["display_name"], "from_on": "2026-12-01", "until_on": null},
        ])
    );
}
