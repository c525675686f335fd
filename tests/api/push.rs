//! Web Push end to end: subscriptions, real VAPID and aes128gcm delivery to the stand-in,
//! removal on 410, retries on 429 and 5xx, quiet hours, summaries, privacy of payloads.

use chrono::TimeDelta;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::Session;
use crate::push_service::{Device, PushService};

pub async fn register(session: &Session, service: &PushService, device: &Device) -> i64 {
    session
        .post(
            "/api/v1/push/subscriptions",
            device.subscription_json(service),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_casemanagers_phones_hear_of_an_absence_without_her_alias() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Nachtegaal").await;
    let phone = service.device("phone");
    let tablet = service.device("tablet");
    register(&team.casemanager, &service, &phone).await;
    register(&team.casemanager, &service, &tablet).await;
    let key = team
        .casemanager
        .get("/api/v1/push/public-key")
        .await
        .assert(StatusCode::OK)["public_key"]
        .as_str()
        .unwrap()
        .to_owned();

    app.clock.advance(TimeDelta::days(14));
    let report = sweep(&app).await;
    assert_eq!(report.delivery.sent, 2);
    let delivered = service.delivered();
    assert_eq!(delivered.len(), 2);
    let followup = team
        .casemanager
        .get("/api/v1/followups")
        .await
        .assert(StatusCode::OK)[0]["id"]
        .as_i64()
        .unwrap();
    for message in &delivered {
        assert_eq!(message.payload["title"], "InBeeld");
        assert_eq!(message.payload["body"], "1 cliënt al 14 dagen niet gezien");
        assert_eq!(message.payload["url"], format!("/#/opvolging/{followup}"));
        assert_eq!(message.ttl.as_deref(), Some("86400"));
        assert_eq!(message.vapid_key, key);
        assert!(!message.payload.to_string().contains("Nachtegaal"));
    }
    // Nothing more to send on the next sweeps.
    sweep(&app).await;
    sweep(&app).await;
    assert_eq!(service.delivered().len(), 2);
}

#[tokio::test]
async fn several_new_follow_ups_become_one_summary() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Grutto").await;
    for alias in ["Tureluur", "Kwikstaart"] {
        let client = team.casemanager.create_client(alias).await;
        team.coordinator
            .post(
                &format!("/api/v1/clients/{client}/casemanagers"),
                json!({"user_id": team.casemanager.user_id, "from_on": "2026-01-01"}),
            )
            .await
            .assert(StatusCode::CREATED);
    }
    register(&team.casemanager, &service, &service.device("phone")).await;
    app.clock.advance(TimeDelta::days(15));
    assert_eq!(sweep(&app).await.opened, 3);
    let delivered = service.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        delivered[0].payload["body"],
        "3 cliënten al 14 dagen niet gezien"
    );
    assert_eq!(delivered[0].payload["url"], "/#/opvolging");
    for alias in ["Grutto", "Tureluur", "Kwikstaart"] {
        assert!(!delivered[0].payload.to_string().contains(alias));
    }
}

#[tokio::test]
async fn a_gone_subscription_is_removed() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Boomklever").await;
    let old = service.device("old-phone");
    register(&team.casemanager, &service, &old).await;
    service.script("old-phone", &[(410, None)]);
    app.clock.advance(TimeDelta::days(14));
    let report = sweep(&app).await;
    assert_eq!(report.delivery.gone, 1);
    assert_eq!(app.count("push_subscriptions"), 0);
    let listed = team
        .casemanager
        .get("/api/v1/push/subscriptions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed, json!([]));
    assert_eq!(
        app.count("push_attempts WHERE outcome = 'gone' AND status_code = 410"),
        1
    );
}

#[tokio::test]
async fn busy_and_broken_push_services_are_retried_until_delivered() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Zanglijster").await;
    register(&team.casemanager, &service, &service.device("busy")).await;
    register(&team.casemanager, &service, &service.device("broken")).await;
    service.script("busy", &[(429, Some("120"))]);
    service.script("broken", &[(500, None), (503, None)]);
    app.clock.advance(TimeDelta::days(14));

    let first = sweep(&app).await;
    assert_eq!((first.delivery.sent, first.delivery.retried), (0, 2));
    // The 500 is retried after 30 s, then (503) after 60 s more; the 429 waits for its
    // Retry-After of 120 s.
    app.clock.advance(TimeDelta::seconds(31));
    let second = sweep(&app).await;
    assert_eq!((second.delivery.sent, second.delivery.retried), (0, 1));
    app.clock.advance(TimeDelta::seconds(50));
    let third = sweep(&app).await;
    assert_eq!(
        (third.delivery.sent, third.delivery.retried),
        (0, 0),
        "nothing due yet"
    );
    app.clock.advance(TimeDelta::seconds(15));
    assert_eq!(
        sweep(&app).await.delivery.sent,
        1,
        "the 5xx device, after backoff"
    );
    app.clock.advance(TimeDelta::seconds(30));
    assert_eq!(
        sweep(&app).await.delivery.sent,
        1,
        "the 429 device, after Retry-After"
    );
    let devices: Vec<String> = service.delivered().into_iter().map(|d| d.device).collect();
    assert_eq!(devices, ["broken", "busy"]);
    assert_eq!(service.requests(), 5);
    assert_eq!(app.count("push_attempts"), 5);
    assert_eq!(app.count("push_messages WHERE status = 'sent'"), 2);
}

#[tokio::test]
async fn retries_end_after_the_maximum_attempts() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "IJsvogel").await;
    register(&team.casemanager, &service, &service.device("dead")).await;
    service.script("dead", &[(500, None); 10]);
    app.clock.advance(TimeDelta::days(14));
    for _ in 0..8 {
        sweep(&app).await;
        app.clock.advance(TimeDelta::hours(1));
    }
    assert_eq!(service.requests(), 5);
    assert_eq!(app.count("push_messages WHERE status = 'failed'"), 1);
}

#[tokio::test]
async fn notifications_in_quiet_hours_arrive_when_they_end() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Merel").await;
    register(&team.casemanager, &service, &service.device("phone")).await;
    let me = team
        .casemanager
        .send(
            reqwest::Method::PUT,
            "/api/v1/me/quiet-hours",
            Some(json!({"start": "22:00", "end": "07:30"})),
            &[],
        )
        .await
        .assert(StatusCode::OK);
    assert_eq!(me["quiet_hours"], json!({"start": "22:00", "end": "07:30"}));
    // 14 days later at 22:30 local: inside the quiet hours.
    app.clock.advance(TimeDelta::days(14) + TimeDelta::hours(2));
    let report = sweep(&app).await;
    assert_eq!((report.opened, report.delivery.sent), (1, 0));
    app.clock
        .advance(TimeDelta::hours(8) + TimeDelta::minutes(59));
    assert_eq!(sweep(&app).await.delivery.sent, 0, "07:29 is still quiet");
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(
        sweep(&app).await.delivery.sent,
        1,
        "07:30: delivered, not lost"
    );
    team.casemanager
        .send(
            reqwest::Method::PUT,
            "/api/v1/me/quiet-hours",
            Some(json!({"start": "25:00", "end": "07:30"})),
            &[],
        )
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
}

#[tokio::test]
async fn a_notice_held_back_by_quiet_hours_is_dropped_once_she_is_seen() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Roodborst").await;
    register(&team.casemanager, &service, &service.device("phone")).await;
    team.casemanager
        .send(
            reqwest::Method::PUT,
            "/api/v1/me/quiet-hours",
            Some(json!({"start": "22:00", "end": "08:00"})),
            &[],
        )
        .await
        .assert(StatusCode::OK);
    // 22:30 on day 14: the follow-up opens, its notice waits for 08:00.
    app.clock.advance(TimeDelta::days(14) + TimeDelta::hours(2));
    let report = sweep(&app).await;
    assert_eq!(
        (report.opened, report.notified, report.delivery.sent),
        (1, 1, 0)
    );
    // 23:30: a colleague sees her, which closes the follow-up.
    app.clock.advance(TimeDelta::hours(1));
    let peer = app.login_as(Role::Peer).await;
    peer.record_contact(app.default_location(), team.client)
        .await
        .assert(StatusCode::CREATED);
    app.clock
        .advance(TimeDelta::hours(8) + TimeDelta::minutes(30));
    let report = sweep(&app).await;
    assert_eq!((report.withdrawn, report.delivery.sent), (1, 0));
    assert!(service.delivered().is_empty(), "no false alarm at 08:00");
    assert_eq!(app.count("push_messages"), 0);
    assert_eq!(sweep(&app).await.withdrawn, 0, "withdrawn once");
}

#[tokio::test]
async fn escalations_are_urgent_and_reach_the_coordinator() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Sijs").await;
    register(&team.coordinator, &service, &service.device("coordinator")).await;
    app.clock.advance(TimeDelta::days(17));
    // Opened and (as nobody answered for three days since... ) escalated over two sweeps.
    sweep(&app).await;
    app.clock.advance(TimeDelta::days(3));
    sweep(&app).await;
    let delivered = service.delivered();
    let escalation = delivered.last().unwrap();
    assert_eq!(escalation.urgency.as_deref(), Some("high"));
    assert!(
        escalation.payload["body"]
            .as_str()
            .unwrap()
            .contains("opgeschaalde")
    );
}

#[tokio::test]
async fn the_morning_digest_goes_out_once_at_nine() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.digest_cron = inbeeld::domain::schedule::CronSchedule::parse("0 0 9 * * *").unwrap();
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Roodborst").await;
    register(&team.casemanager, &service, &service.device("phone")).await;
    app.clock.advance(TimeDelta::days(14));
    sweep(&app).await;
    // The next morning, 08:59 and then 09:00 local.
    app.clock
        .advance(TimeDelta::hours(12) + TimeDelta::minutes(29));
    sweep(&app).await;
    let before = service.delivered().len();
    let days_done = app.count("digest_days");
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(sweep(&app).await.digests, 1);
    app.clock.advance(TimeDelta::minutes(15));
    assert_eq!(sweep(&app).await.digests, 0);
    let delivered = service.delivered();
    assert_eq!(delivered.len(), before + 1);
    assert_eq!(
        delivered.last().unwrap().payload["body"],
        "Goedemorgen: 1 open opvolging"
    );
    // The day is marked done, so the later sweeps of its window skip the step; the next
    // morning has a digest of its own.
    assert_eq!(app.count("digest_days"), days_done + 1);
    app.clock
        .advance(TimeDelta::hours(24) - TimeDelta::minutes(15));
    assert_eq!(sweep(&app).await.digests, 1);
    assert_eq!(app.count("digest_days"), days_done + 2);
}

#[tokio::test]
async fn subscriptions_are_checked_and_belong_to_their_user() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let cm = app.login_as(Role::Casemanager).await;
    let device = service.device("phone");
    let mut insecure = device.subscription_json(&service);
    insecure["endpoint"] = json!("http://push.example.net/abc");
    cm.post("/api/v1/push/subscriptions", insecure)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_subscription");
    let mut bad_key = device.subscription_json(&service);
    bad_key["keys"]["p256dh"] = json!("BAAA");
    cm.post("/api/v1/push/subscriptions", bad_key)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_subscription");
    let mut bad_auth = device.subscription_json(&service);
    bad_auth["keys"]["auth"] = json!("c2hvcnQ");
    cm.post("/api/v1/push/subscriptions", bad_auth)
        .await
        .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_subscription");

    let id = register(&cm, &service, &device).await;
    let again = register(&cm, &service, &device).await;
    assert_eq!(
        app.count("push_subscriptions"),
        1,
        "the same browser twice is one device"
    );
    let listed = cm
        .get("/api/v1/push/subscriptions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed[0]["push_service"], service.base);
    let colleague = app.login_as(Role::Casemanager).await;
    colleague
        .delete(&format!("/api/v1/push/subscriptions/{again}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    cm.delete(&format!("/api/v1/push/subscriptions/{again}"))
        .await
        .assert(StatusCode::NO_CONTENT);
    assert_eq!(app.count("push_subscriptions"), 0);
    assert_ne!(id, 0);
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_notification_once() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Kievit").await;
    // Three clients of the coordinator's own: both have something to be told.
    for alias in ["Vink", "Mees", "Reiger"] {
        team.casemanager
            .post(
                "/api/v1/clients",
                json!({"alias": alias, "region": "nijmegen", "casemanager_id": team.coordinator.user_id}),
            )
            .await
            .assert(StatusCode::CREATED);
    }
    register(&team.casemanager, &service, &service.device("phone")).await;
    register(&team.coordinator, &service, &service.device("desk")).await;
    // A second server: its own pool and state, sharing nothing with the first but the database.
    let settings = (*app.state.settings).clone();
    let db = inbeeld::db::Db::connect(&settings.effective_database_url(), 4).unwrap();
    let other = inbeeld::startup::build_state(settings, app.clock.clone(), db).unwrap();
    assert_eq!(
        other.vapid.public_key(),
        app.state.vapid.public_key(),
        "one VAPID key for both"
    );

    app.clock.advance(TimeDelta::days(15));
    let (a, b, c, d) = tokio::join!(
        inbeeld::app::followups::sweep::run(&app.state),
        inbeeld::app::followups::sweep::run(&other),
        inbeeld::app::followups::sweep::run(&app.state),
        inbeeld::app::followups::sweep::run(&other),
    );
    let reports = [a.unwrap(), b.unwrap(), c.unwrap(), d.unwrap()];
    assert_eq!(reports.iter().map(|r| r.opened).sum::<usize>(), 4);
    // One summary per person, one message per device, each sent once.
    let mut devices: Vec<String> = service.delivered().into_iter().map(|d| d.device).collect();
    devices.sort();
    assert_eq!(devices, ["desk", "phone"]);
    assert_eq!(reports.iter().map(|r| r.delivery.sent).sum::<usize>(), 2);
}

#[tokio::test]
async fn a_hanging_push_service_does_not_hold_up_the_others() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.push_timeout_seconds = 1;
        s.session_idle_minutes = 60 * 24 * 365;
        s.lock_minutes = s.session_idle_minutes;
        s.session_absolute_hours = 24 * 365;
    })
    .await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Putter").await;
    register(&team.casemanager, &service, &service.device("hanging")).await;
    register(&team.casemanager, &service, &service.device("fine")).await;
    service.script("hanging", &[(0, None)]);
    app.clock.advance(TimeDelta::days(14));
    let report = sweep(&app).await;
    assert_eq!((report.delivery.sent, report.delivery.retried), (1, 1));
    let devices: Vec<String> = service.delivered().into_iter().map(|d| d.device).collect();
    assert_eq!(devices, ["fine"]);
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(
        sweep(&app).await.delivery.sent,
        1,
        "retried after the timeout"
    );
}
