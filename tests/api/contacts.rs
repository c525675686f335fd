//! Recording contacts: idempotent retries, back-dating, corrections.

use chrono::TimeDelta;
use futures::future::join_all;
use inbeeld::domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_retry_with_the_same_key_records_once_and_answers_the_same() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Zwaluw").await;
    let body = json!({"client_id": client, "location_id": app.default_location(), "services": ["condoms", "meal"]});
    let key = [("Idempotency-Key", "tap-0001")];

    let first = cm
        .send(Method::POST, "/api/v1/contacts", Some(body.clone()), &key)
        .await;
    let second = cm
        .send(Method::POST, "/api/v1/contacts", Some(body.clone()), &key)
        .await;
    assert_eq!(second.headers.get("idempotent-replayed").unwrap(), "true");
    assert!(first.headers.get("idempotent-replayed").is_none());
    assert_eq!(
        first.assert(StatusCode::CREATED),
        second.assert(StatusCode::CREATED)
    );
    assert_eq!(app.count("contacts"), 1);

    // The same key with keys in another order is the same request.
    let reordered = json!({"services": ["condoms", "meal"], "location_id": app.default_location(), "client_id": client});
    cm.send(Method::POST, "/api/v1/contacts", Some(reordered), &key)
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(app.count("contacts"), 1);
}

/// The phone's outbox may send a tap again long after it was recorded (the answer was lost
/// on the way): what has changed since, here its location closed, does not turn the
/// recorded tap into a refusal.
#[tokio::test]
async fn a_retry_after_its_location_closed_still_gets_what_was_recorded() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let admin = app.login_as(Role::Admin).await;
    let client = cm.create_client("Kievit").await;
    let location = admin.create_location("haven", "De Haven", "outreach").await;
    let body = json!({"client_id": client, "location_id": location});
    let key = [("Idempotency-Key", "tap-0003")];
    let first = cm
        .send(Method::POST, "/api/v1/contacts", Some(body.clone()), &key)
        .await
        .assert(StatusCode::CREATED);
    admin
        .patch(
            &format!("/api/v1/locations/{location}"),
            json!({"active": false}),
        )
        .await
        .assert(StatusCode::OK);

    let again = cm
        .send(Method::POST, "/api/v1/contacts", Some(body.clone()), &key)
        .await;
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    assert_eq!(again.assert(StatusCode::CREATED), first);
    // A new tap there is refused, and nothing more is recorded.
    cm.post("/api/v1/contacts", body)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "inactive_location");
    assert_eq!(app.count("contacts"), 1);
}

#[tokio::test]
async fn reusing_a_key_for_another_request_is_refused() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Reiger").await;
    let key = [("Idempotency-Key", "tap-0002")];
    let location = app.default_location();
    cm.send(
        Method::POST,
        "/api/v1/contacts",
        Some(json!({"client_id": client, "location_id": location})),
        &key,
    )
    .await
    .assert(StatusCode::CREATED);
    cm.send(
        Method::POST,
        "/api/v1/contacts",
        Some(json!({"anonymous_count": 2, "location_id": location})),
        &key,
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused");
    assert_eq!(app.count("contacts"), 1);

    // Keys belong to a user: a colleague may use the same key for her own tap.
    let peer = app.login_as(Role::Peer).await;
    peer.send(
        Method::POST,
        "/api/v1/contacts",
        Some(json!({"client_id": client, "location_id": location})),
        &key,
    )
    .await
    .assert(StatusCode::CREATED);
    assert_eq!(app.count("contacts"), 2);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_record_once() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Kievit").await;
    let body = json!({"client_id": client, "location_id": app.default_location()});
    let key = [("Idempotency-Key", "tap-race")];
    let replies = join_all(
        (0..8).map(|_| cm.send(Method::POST, "/api/v1/contacts", Some(body.clone()), &key)),
    )
    .await;
    let ids: Vec<_> = replies
        .into_iter()
        .map(|r| r.assert(StatusCode::CREATED)["id"].clone())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(app.count("contacts"), 1);
}

#[tokio::test]
async fn late_entries_are_accepted_up_to_thirty_days_and_never_from_the_future() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Specht").await;
    let location = app.default_location();
    let at =
        |seen_at: &str| json!({"client_id": client, "location_id": location, "seen_at": seen_at});

    // Now is 2026-11-23 20:30 in Amsterdam.
    let late = cm
        .post("/api/v1/contacts", at("2026-11-20T22:15"))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(late["seen_at"], "2026-11-20T22:15:00+01:00");
    cm.post("/api/v1/contacts", at("2026-10-24T21:31"))
        .await
        .assert(StatusCode::CREATED);
    cm.post("/api/v1/contacts", at("2026-10-24T21:29"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "seen_at_too_old");
    cm.post("/api/v1/contacts", at("2026-11-23T21:00"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "seen_at_in_future");
    cm.post("/api/v1/contacts", at("2026-11-23T19:40:00Z"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "seen_at_in_future");
    cm.post("/api/v1/contacts", at("gisteravond"))
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_time");
    assert_eq!(app.count("contacts"), 2);
}

#[tokio::test]
async fn anonymous_visitors_are_counted_without_a_client() {
    let app = spawn_app().await;
    let peer = app.login_as(Role::Peer).await;
    let location = app.default_location();
    let recorded = peer
        .post(
            "/api/v1/contacts",
            json!({"anonymous_count": 3, "location_id": location}),
        )
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(recorded["anonymous_count"], 3);
    assert_eq!(recorded["client_id"], serde_json::Value::Null);
    for bad in [
        json!({"anonymous_count": 0, "location_id": location}),
        json!({"anonymous_count": 101, "location_id": location}),
        json!({"location_id": location}),
        json!({"anonymous_count": 1, "client_id": 1, "location_id": location}),
        json!({"anonymous_count": 1}),
    ] {
        let reply = peer.post("/api/v1/contacts", bad.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            reply.body
        );
    }
    assert_eq!(app.count("contacts"), 1);
}

#[tokio::test]
async fn the_recorder_may_correct_or_delete_within_a_day() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let wrong = cm.create_client("Vink").await;
    let right = cm.create_client("Mees").await;
    let location = app.default_location();
    let id = cm
        .record_contact(location, wrong)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();

    let colleague = app.login_as(Role::Casemanager).await;
    colleague
        .patch(
            &format!("/api/v1/contacts/{id}"),
            json!({"client_id": right}),
        )
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");

    let fixed = cm
        .patch(
            &format!("/api/v1/contacts/{id}"),
            json!({"client_id": right, "note": "kort gesproken", "services": ["conversation"]}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(fixed["client_id"], right);
    assert_eq!(fixed["services"], json!(["conversation"]));
    let of_right = cm
        .get(&format!("/api/v1/clients/{right}/contacts"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(of_right.as_array().unwrap().len(), 1);

    app.clock.advance(TimeDelta::hours(25));
    let next_day = app.sign_in(&cm.username).await;
    next_day
        .delete(&format!("/api/v1/contacts/{id}"))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(app.count("contacts"), 1);
}

#[tokio::test]
async fn a_mistaken_tap_is_deleted_by_its_recorder() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Putter").await;
    let id = cm
        .record_contact(app.default_location(), client)
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    cm.delete(&format!("/api/v1/contacts/{id}"))
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(app.count("contacts"), 0);
    cm.delete(&format!("/api/v1/contacts/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}
