//! The partner organisations of the care chain: shipped with the partners the team works
//! with, read by the admin and the field roles, kept by the admin and coordinators, and
//! never deleted while something refers to one.

use diesel::RunQueryDsl;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, spawn_app};

const SHIPPED: [&str; 12] = [
    "Domus",
    "GGD Bijzondere Zorg",
    "GGD Seksuele Gezondheid",
    "Het Hoogeland",
    "Huis op de Muur",
    "Huiskamer De Cirkel",
    "KiSS",
    "Overweeghuis",
    "Politie",
    "RIBW",
    "Skeave Huse",
    "Zorg- en Veiligheidshuis",
];

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect()
}

async fn add(who: &Session, name: &str) -> Value {
    who.post("/api/v1/partners", json!({"name": name}))
        .await
        .assert(StatusCode::CREATED)
}

#[tokio::test]
async fn the_partners_are_shipped_and_read_by_the_admin_and_the_field_roles() {
    let app = spawn_app().await;
    let callers = app.every_caller().await;
    // Signed out, casemanager, coordinator, peer, admin, municipality, process director.
    let reads = [401, 200, 200, 200, 200, 403, 403];
    let writes = [401, 403, 201, 403, 201, 403, 403];
    for (caller, read) in callers.iter().zip(reads) {
        let reply = caller.get("/api/v1/partners").await;
        assert_eq!(reply.status.as_u16(), read, "{}", caller.username);
        if read == 200 {
            assert_eq!(names(&reply.body), SHIPPED);
            assert!(reply.body[0]["active"] == true && reply.body[0]["id"].is_i64());
        }
    }
    for (caller, write) in callers.iter().zip(writes) {
        let name = format!("Partner van {}", caller.username);
        let reply = caller.post("/api/v1/partners", json!({"name": name})).await;
        assert_eq!(reply.status.as_u16(), write, "{}", caller.username);
    }
    // Changing and deleting: the same two roles.
    let partner = add(&callers[4], "Veilig Thuis").await["id"]
        .as_i64()
        .unwrap();
    let changes = [401, 403, 200, 403, 200, 403, 403];
    for (caller, status) in callers.iter().zip(changes) {
        let reply = caller
            .patch(
                &format!("/api/v1/partners/{partner}"),
                json!({"active": true}),
            )
            .await;
        assert_eq!(reply.status.as_u16(), status, "{}", caller.username);
    }
    let deletes = [401, 403, 204, 403, 404, 403, 403];
    for (caller, status) in callers.iter().zip(deletes) {
        let reply = caller.delete(&format!("/api/v1/partners/{partner}")).await;
        assert_eq!(reply.status.as_u16(), status, "{}", caller.username);
    }
}

#[tokio::test]
async fn a_coordinator_renames_and_retires_partners_and_every_change_is_logged() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let created = add(&coordinator, "  Veilig Thuis  ").await;
    assert_eq!(created["name"], "Veilig Thuis");
    assert_eq!(created["active"], true);
    let id = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/partners/{id}");
    let patch = |body: Value| coordinator.patch(&path, body);

    let retired = patch(json!({"name": "Veilig Thuis Gelderland-Zuid", "active": false}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        retired,
        json!({"id": id, "name": "Veilig Thuis Gelderland-Zuid", "active": false})
    );
    // An inactive partner stays in the list, marked.
    let list = coordinator
        .get("/api/v1/partners")
        .await
        .assert(StatusCode::OK);
    let found: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == id)
        .collect();
    assert_eq!(found[0]["active"], false);

    // Names are unique, trimmed and bounded; unknown partners and fields are refused.
    coordinator
        .post("/api/v1/partners", json!({"name": "Politie"}))
        .await
        .assert_error(StatusCode::CONFLICT, "partner_exists");
    patch(json!({"name": "RIBW"}))
        .await
        .assert_error(StatusCode::CONFLICT, "partner_exists");
    for name in ["", "   ", &"x".repeat(81)] {
        coordinator
            .post("/api/v1/partners", json!({"name": name}))
            .await
            .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    patch(json!({"kind": "housing"}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    coordinator
        .patch("/api/v1/partners/9999", json!({"active": false}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    coordinator
        .delete(&format!("/api/v1/partners/{id}"))
        .await
        .assert(StatusCode::NO_CONTENT);
    coordinator
        .delete(&format!("/api/v1/partners/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let logged = |event: &str| {
        app.count(&format!(
            "audit_log WHERE event = '{event}' AND user_id = {} AND role = 'coordinator' \
             AND outcome = 'success' AND detail LIKE '%\"partner\":{id}%'",
            coordinator.user_id
        ))
    };
    assert_eq!(
        (
            logged("partner.create"),
            logged("partner.change"),
            logged("partner.delete")
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_partner_something_refers_to_is_not_deleted() {
    let app = spawn_app().await;
    let admin = app.login_as(Role::Admin).await;
    let id = add(&admin, "Veilig Thuis").await["id"].as_i64().unwrap();
    // Nothing in InBeeld refers to a partner yet; a table that does (as referrals will)
    // stands in for it, with the database's foreign key behind the explicit check.
    app.db_write(move |conn| {
        diesel::sql_query(
            "CREATE TABLE partner_references (partner_id BIGINT NOT NULL REFERENCES partners (id))",
        )
        .execute(conn)?;
        diesel::sql_query(format!(
            "INSERT INTO partner_references (partner_id) VALUES ({id})"
        ))
        .execute(conn)
    });
    admin
        .delete(&format!("/api/v1/partners/{id}"))
        .await
        .assert_error(StatusCode::CONFLICT, "partner_in_use");
    assert_eq!(app.count(&format!("partners WHERE id = {id}")), 1);
    assert_eq!(app.count("audit_log WHERE event = 'partner.delete'"), 0);
    // Set inactive instead, it stays for the history that names it.
    admin
        .patch(&format!("/api/v1/partners/{id}"), json!({"active": false}))
        .await
        .assert(StatusCode::OK);
}
