//! A signal holds third-party data: on her file for those who may read it, in her export,
//! erased with her; its text erased a set time after closing while its kind, time and
//! location stay countable; the municipality sees only counts per kind, protected.

use chrono::{TimeDelta, TimeZone, Utc};
use inbeeld::app::signals::retention::erase_expired_text;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app, spawn_app_with};
use crate::signals::{SIGNALS, indicator_ids, send_signal, violence};

async fn signals_report(session: &Session, period: &str) -> Value {
    session
        .get(&format!("/api/v1/reports?period={period}"))
        .await
        .assert(StatusCode::OK)["signals"]
        .clone()
}

async fn close(coordinator: &Session, id: &Value) {
    coordinator
        .patch(&format!("{SIGNALS}/{id}"), json!({"status": "closed"}))
        .await
        .assert(StatusCode::OK);
}

fn signal_row(app: &TestApp, id: &Value, column: &str) -> i64 {
    app.count(&format!("signals WHERE id = {id} AND {column}"))
}

#[tokio::test]
async fn her_signals_are_on_her_file_in_her_export_and_erased_with_her() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let created = coordinator
        .post(
            "/api/v1/clients",
            json!({"alias": "Roodborst", "region": "nijmegen"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let client = created["id"].as_i64().unwrap();
    let ticked = indicator_ids(&peer).await[2];
    let signal = send_signal(
        &peer,
        json!({"kind": "trafficking", "client_id": client, "location_id": app.default_location(),
               "text": "Moet elke avond 300 euro afdragen", "indicator_ids": [ticked]}),
    )
    .await;
    coordinator
        .post(
            &format!("{SIGNALS}/{}/handoffs", signal["id"]),
            json!({"recipient": "police", "recipient_detail": "Wijkagent Oost", "method": "in_person"}),
        )
        .await
        .assert(StatusCode::CREATED);
    let other = send_signal(&peer, violence(&app, "Man met honkbalknuppel")).await;

    let file = peer
        .get(&format!("/api/v1/clients/{client}/signals"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(
        file.as_array().unwrap().len(),
        1,
        "only the signals about her"
    );
    assert_eq!(file[0]["id"], signal["id"]);

    let export = coordinator
        .get(&format!("/api/v1/clients/{client}/export"))
        .await
        .assert(StatusCode::OK);
    let exported = &export["signals"][0];
    assert_eq!(exported["kind"], "trafficking");
    assert_eq!(exported["text"], "Moet elke avond 300 euro afdragen");
    assert_eq!(
        exported["indicators"],
        json!(["Ze heeft een schuld bij iemand"])
    );
    assert_eq!(
        exported["handoffs"][0]["recipient_detail"],
        "Wijkagent Oost"
    );
    let csv = coordinator
        .get(&format!("/api/v1/clients/{client}/export.csv"))
        .await;
    let text = csv.body.as_str().unwrap();
    let id = &signal["id"];
    for row in [
        format!("signals;{id};text;Moet elke avond 300 euro afdragen"),
        format!("signals;{id};indicators;Ze heeft een schuld bij iemand"),
        "signals.handoffs".to_owned(),
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(&row)),
            "missing {row} in\n{text}"
        );
    }

    coordinator
        .post(
            &format!("/api/v1/clients/{client}/close"),
            json!({"reason": "moved_away", "exit_on": "2026-11-23"}),
        )
        .await
        .assert(StatusCode::OK);
    let before = signals_report(&coordinator, "2026-11").await;
    let erased = coordinator
        .post(
            &format!("/api/v1/clients/{client}/erase"),
            json!({"confirm_code": created["code"]}),
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(erased["signals_kept_as_counts"], 1);
    let kept = coordinator
        .get(&format!("{SIGNALS}/{id}"))
        .await
        .assert(StatusCode::OK);
    assert_eq!(kept["kind"], "trafficking");
    assert_eq!(kept["text"], "");
    assert_eq!(kept["client_id"], Value::Null);
    assert_eq!(kept["indicators"], json!([]));
    assert_eq!(kept["handoffs"][0]["recipient"], "police");
    assert_eq!(kept["handoffs"][0]["recipient_detail"], Value::Null);
    assert!(kept["text_erased_at"].is_string());
    assert_eq!(app.count("signals WHERE body LIKE '%afdragen%'"), 0);
    assert_eq!(
        signals_report(&coordinator, "2026-11").await,
        before,
        "still counted"
    );
    let untouched = coordinator
        .get(&format!("{SIGNALS}/{}", other["id"]))
        .await
        .assert(StatusCode::OK);
    assert_eq!(untouched["text"], "Man met honkbalknuppel");
}

#[tokio::test]
async fn the_text_is_erased_twelve_months_after_closing_and_the_count_stays() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let peer = app.login_as(Role::Peer).await;
    let closed = send_signal(&peer, violence(&app, "Rode Opel, bedreigde Mieke")).await;
    let open = send_signal(
        &peer,
        json!({"kind": "new_face", "description": "Blond, kent de stad niet"}),
    )
    .await;
    close(&coordinator, &closed["id"]).await;

    // Twelve months after closing, to the minute: the text is still there.
    app.clock
        .advance(TimeDelta::days(365) - TimeDelta::minutes(1));
    assert_eq!(erase_expired_text(&app.state).await.unwrap(), 0);
    assert_eq!(signal_row(&app, &closed["id"], "body <> ''"), 1);
    app.clock.advance(TimeDelta::minutes(2));
    assert_eq!(erase_expired_text(&app.state).await.unwrap(), 1);
    assert_eq!(
        signal_row(
            &app,
            &closed["id"],
            "body = '' AND text_erased_at IS NOT NULL"
        ),
        1
    );
    // Never closed: kept, whatever its age. Running again erases nothing more.
    assert_eq!(signal_row(&app, &open["id"], "description IS NOT NULL"), 1);
    assert_eq!(erase_expired_text(&app.state).await.unwrap(), 0);
    assert_eq!(app.count("audit_log WHERE event = 'signal.retention'"), 1);

    // A year on, her session has long ended: a colleague asks for the figures.
    let coordinator = app.login_as(Role::Coordinator).await;
    let counted = signals_report(&coordinator, "2026-Q4").await;
    assert_eq!(counted["dangerous_customer"], 1);
    assert_eq!(counted["new_face"], 1);
    assert_eq!(counted["violence"], 0);
}

#[tokio::test]
async fn the_retention_period_is_a_setting_counted_in_local_time_across_dst() {
    let app = spawn_app_with(|s| s.signal_retention_months = 1).await;
    // Closed on 10 March 2027 at 21:00 in Amsterdam (20:00 UTC, winter time) ...
    let closing = Utc.with_ymd_and_hms(2027, 3, 10, 20, 0, 0).unwrap();
    app.clock.advance(closing.naive_utc() - app.clock.now());
    let coordinator = app.login_as(Role::Coordinator).await;
    let signal = send_signal(&coordinator, violence(&app, "Zwarte scooter")).await;
    close(&coordinator, &signal["id"]).await;
    // ... a month later is 10 April at 21:00 summer time, 19:00 UTC: not at 20:59.
    let month_later = Utc.with_ymd_and_hms(2027, 4, 10, 19, 0, 0).unwrap();
    app.clock
        .advance(month_later.naive_utc() - app.clock.now() - TimeDelta::minutes(1));
    assert_eq!(erase_expired_text(&app.state).await.unwrap(), 0);
    app.clock.advance(TimeDelta::minutes(2));
    assert_eq!(erase_expired_text(&app.state).await.unwrap(), 1);
}

#[tokio::test]
async fn the_municipality_sees_only_protected_counts_per_kind() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let municipality = app.login_as(Role::Municipality).await;
    for n in 0..7 {
        send_signal(&coordinator, violence(&app, &format!("auto {n}"))).await;
    }
    send_signal(&coordinator, json!({"kind": "new_face"})).await;
    let exact = signals_report(&coordinator, "2026-11").await;
    assert_eq!(
        exact,
        json!({"new_face": 1, "violence": 0, "dangerous_customer": 7, "trafficking": 0,
               "health_concern": 0, "other_trend": 0})
    );
    let city = signals_report(&municipality, "2026-Q4").await;
    assert_eq!(city["dangerous_customer"], 5, "rounded to 5");
    assert_eq!(city["new_face"], "<5");
    assert_eq!(city["trafficking"], "<5");
    let october = signals_report(&municipality, "2026-10").await;
    assert_eq!(october["dangerous_customer"], "<5");
    let csv = municipality
        .get("/api/v1/reports/figures.csv?period=2026-Q4")
        .await;
    let text = csv.body.as_str().unwrap();
    assert!(
        text.lines().any(|l| l == "signals.dangerous_customer;5"),
        "{text}"
    );
    assert!(!text.contains("auto"));
}
