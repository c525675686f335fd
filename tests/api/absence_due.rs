//! When her absence falls due is kept per client (`clients.absence_due_at`) in the same
//! transaction as every change that decides it, so that the sweep reads only the clients
//! due. These tests read the stored moment after each kind of change, and check that the
//! sweep marks what it handled and that a start with other thresholds computes anew.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use inbeeld::app::followups::{self, absence};
use inbeeld::db::schema::clients;
use inbeeld::domain::caseload::{AbsenceRules, ExpectedDue, Thresholds};
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{TestApp, test_now};

fn due_of(app: &TestApp, client: i64) -> Option<NaiveDateTime> {
    app.db_read(move |conn| {
        clients::table
            .find(client)
            .select(clients::absence_due_at)
            .first(conn)
    })
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

#[tokio::test]
async fn her_moment_follows_her_contacts_threshold_and_status() {
    let app = spawn_app_for_weeks().await;
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm
        .post(
            "/api/v1/clients",
            json!({"alias": "Kievit", "region": "nijmegen", "intake_on": "2026-11-09"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();
    // Never seen: 14 days from the start of her intake day (midnight in Amsterdam, UTC+1).
    assert_eq!(due_of(&app, client), Some(at("2026-11-22T23:00")));

    cm.record_contact(app.default_location(), client)
        .await
        .assert(StatusCode::CREATED);
    let seen = test_now().naive_utc();
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(14)));

    let file = format!("/api/v1/clients/{client}");
    cm.patch(&file, json!({"followup_threshold_days": 7}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(7)));
    cm.patch(
        &file,
        json!({"followup_threshold_days": null, "caseload_status": "regular_care"}),
    )
    .await
    .assert(StatusCode::OK);
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(60)));

    cm.post(&format!("{file}/close"), json!({"reason": "moved_away"}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(due_of(&app, client), None, "a closed file falls due never");
    cm.post(&format!("{file}/reopen"), json!({}))
        .await
        .assert(StatusCode::OK);
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(14)));
}

#[tokio::test]
async fn the_sweep_marks_her_handled_and_an_absence_closed_by_hand_counts_again() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Wulp").await;
    app.clock.advance(TimeDelta::days(15));
    assert_eq!(sweep(&app).await.opened, 1);
    assert_eq!(due_of(&app, team.client), None);
    assert_eq!(sweep(&app).await.opened, 0);

    let followup = team
        .casemanager
        .get("/api/v1/followups")
        .await
        .assert(StatusCode::OK)[0]["id"]
        .as_i64()
        .unwrap();
    team.casemanager
        .post(
            &format!("/api/v1/followups/{followup}/close"),
            json!({"outcome": "gebeld, ze is op vakantie"}),
        )
        .await
        .assert(StatusCode::OK);
    // Closed without seeing her: her absence is due again, but the same absence is not
    // opened twice.
    let since = test_now().naive_utc();
    assert_eq!(due_of(&app, team.client), Some(since + TimeDelta::days(14)));
    assert_eq!(sweep(&app).await.opened, 0);
    assert_eq!(due_of(&app, team.client), None);

    team.casemanager
        .record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);
    let seen = app.clock.now();
    assert_eq!(due_of(&app, team.client), Some(seen + TimeDelta::days(14)));
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.opened, 1, "her next absence opens anew");
}

#[tokio::test]
async fn a_start_with_other_thresholds_computes_every_moment_again() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Grutto").await;
    let seen = test_now().naive_utc();
    assert_eq!(due_of(&app, team.client), Some(seen + TimeDelta::days(14)));
    let longer = AbsenceRules {
        thresholds: Thresholds {
            default: 30,
            regular_care: 60,
        },
        zone: app.state.zone,
    };
    let now = app.clock.now();
    let (first, again) = app.db_write(move |conn| {
        let first = absence::rebuild_if_changed(conn, &longer, now)?;
        let again = absence::rebuild_if_changed(conn, &longer, now)?;
        Ok((first, again))
    });
    assert_eq!(first, Some(1));
    assert_eq!(again, None, "the same rules compute nothing");
    assert_eq!(due_of(&app, team.client), Some(seen + TimeDelta::days(30)));
}

/// A tally tap writes the moment it expects from what it read of her before the write, in
/// the same statement as her last contact; when her file changed in between (her own
/// threshold, here), what the write finds wins.
#[tokio::test]
async fn a_tap_that_expected_another_moment_stores_the_right_one() {
    let app = spawn_app_for_weeks().await;
    let team = team_with_client(&app, "Tureluur").await;
    let seen = test_now().naive_utc();
    let (by, _) = app.create_user(Role::Casemanager, None);
    let (client, now, rules) = (team.client, app.clock.now(), app.state.absence_rules());
    let wrong = ExpectedDue::At(Some(seen + TimeDelta::days(3)));
    app.db_write(move |conn| followups::contact_changed(conn, client, by, now, &rules, wrong));
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(14)));
    let right = ExpectedDue::At(Some(seen + TimeDelta::days(14)));
    app.db_write(move |conn| followups::contact_changed(conn, client, by, now, &rules, right));
    assert_eq!(due_of(&app, client), Some(seen + TimeDelta::days(14)));
}
