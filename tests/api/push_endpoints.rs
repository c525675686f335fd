//! Where the server may be made to send: endpoints only at the listed push services (this
//! machine only when a setting allows it), no redirects followed, a bounded number of
//! devices per account, an endpoint belongs to the account that registered it, and a
//! subscription to the phone it came from (it goes when that phone's device is revoked).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::TimeDelta;
use inbeeld::config::Settings;
use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::followups::{spawn_app_for_weeks, sweep, team_with_client};
use crate::helpers::{Reply, Session, spawn_app, spawn_app_with};
use crate::push_service::{Device, PushService};

/// A subscription of `device` (real keys) at `endpoint`.
fn at(endpoint: &str, device: &Device, service: &PushService) -> Value {
    let mut json = device.subscription_json(service);
    json["endpoint"] = json!(endpoint);
    json
}

async fn register(session: &Session, subscription: Value) -> Reply {
    session
        .post("/api/v1/push/subscriptions", subscription)
        .await
}

/// A local listener that counts the requests it gets and answers each with `status`
/// (and a `Location` when given).
struct Listener {
    base: String,
    requests: Arc<AtomicUsize>,
}

impl Listener {
    async fn start(status: u16, location: Option<String>) -> Listener {
        let requests = Arc::new(AtomicUsize::new(0));
        let counted = requests.clone();
        let server = HttpServer::new(move || {
            let (counted, location) = (counted.clone(), location.clone());
            App::new().default_service(web::to(move || {
                let (counted, location) = (counted.clone(), location.clone());
                async move {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let mut reply =
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
                    if let Some(location) = location {
                        reply.insert_header(("Location", location));
                    }
                    reply.finish()
                }
            }))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Listener {
            base: format!("http://127.0.0.1:{port}"),
            requests,
        }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn by_default_only_the_browsers_push_services_are_accepted() {
    let app =
        spawn_app_with(|s| s.push_allow_loopback = Settings::default().push_allow_loopback).await;
    let service = PushService::start().await;
    let device = service.device("phone");
    let peer = app.login_as(Role::Peer).await;
    let port = service.base.rsplit(':').next().unwrap().to_owned();
    for endpoint in [
        format!("{}/push/phone", service.base),
        format!("https://127.0.0.1:{port}/push/phone"),
        format!("http://localhost:{port}/push/phone"),
        "https://[::1]/push/phone".to_owned(),
        "https://10.1.2.3/push/phone".to_owned(),
        "https://192.168.1.1/push/phone".to_owned(),
        "https://169.254.169.254/latest/meta-data".to_owned(),
        "https://[fd00::1]/push/phone".to_owned(),
        "https://push.example.net/push/phone".to_owned(),
        "https://fcm.googleapis.com.attacker.example/fcm/send/abc".to_owned(),
        "https://notfcm.googleapis.com/fcm/send/abc".to_owned(),
        "https://fcm.googleapis.com:8443/fcm/send/abc".to_owned(),
    ] {
        let answer = register(&peer, at(&endpoint, &device, &service)).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint}"
        );
        assert_eq!(
            answer.body["error"], "push_service_not_allowed",
            "{endpoint}"
        );
    }
    register(
        &peer,
        at("http://fcm.googleapis.com/fcm/send/abc", &device, &service),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "bad_subscription");
    assert_eq!(app.count("push_subscriptions"), 0);

    for endpoint in [
        "https://fcm.googleapis.com/fcm/send/abc:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGx3Y",
        "https://wns2-db5p.notify.windows.com/w/?token=BQYAAA",
    ] {
        let created = register(&peer, at(endpoint, &device, &service))
            .await
            .assert(StatusCode::CREATED);
        assert!(endpoint.starts_with(created["push_service"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn the_push_hosts_setting_replaces_the_list() {
    let app = spawn_app_with(|s| {
        s.push_allow_loopback = false;
        s.push_hosts = inbeeld::config::PushHosts::parse("push.example.net").unwrap();
    })
    .await;
    let service = PushService::start().await;
    let device = service.device("phone");
    let cm = app.login_as(Role::Casemanager).await;
    register(
        &cm,
        at("https://eu.push.example.net/abc", &device, &service),
    )
    .await
    .assert(StatusCode::CREATED);
    register(
        &cm,
        at("https://fcm.googleapis.com/fcm/send/abc", &device, &service),
    )
    .await
    .assert_error(StatusCode::UNPROCESSABLE_ENTITY, "push_service_not_allowed");
}

#[tokio::test]
async fn a_redirect_from_the_push_service_is_not_followed() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    // Another service on this machine, which answers whatever reaches it.
    let inside = Listener::start(201, None).await;
    let redirecting = Listener::start(307, Some(format!("{}/internal/action", inside.base))).await;
    let team = team_with_client(&app, "Wielewaal").await;
    let device = service.device("phone");
    let id = register(
        &team.casemanager,
        at(
            &format!("{}/push/phone", redirecting.base),
            &device,
            &service,
        ),
    )
    .await
    .assert(StatusCode::CREATED)["id"]
        .as_i64()
        .unwrap();

    app.clock.advance(TimeDelta::days(14));
    let report = sweep(&app).await;
    assert_eq!(redirecting.requests(), 1);
    assert_eq!(inside.requests(), 0, "the redirect was followed");
    assert_eq!((report.delivery.sent, report.delivery.failed), (0, 1));
    assert_eq!(
        app.count("push_attempts WHERE outcome = 'failed' AND status_code = 307"),
        1
    );
    let listed = team
        .casemanager
        .get("/api/v1/push/subscriptions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["last_success_at"], Value::Null);
}

#[tokio::test]
async fn an_account_has_at_most_ten_devices() {
    let app = spawn_app().await;
    let service = PushService::start().await;
    let peer = app.login_as(Role::Peer).await;
    let devices: Vec<Device> = (0..11).map(|i| service.device(&format!("d{i}"))).collect();
    let mut ids = Vec::new();
    for device in &devices[..10] {
        let created = register(&peer, device.subscription_json(&service))
            .await
            .assert(StatusCode::CREATED);
        ids.push(created["id"].as_i64().unwrap());
    }
    register(&peer, devices[10].subscription_json(&service))
        .await
        .assert_error(StatusCode::CONFLICT, "too_many_devices");
    assert_eq!(app.count("push_subscriptions"), 10);
    // A device she has already is renewed, not refused.
    let again = register(&peer, devices[3].subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(again["id"], ids[3]);
    // Another account has places of its own.
    let colleague = app.login_as(Role::Peer).await;
    register(&colleague, devices[10].subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);
    colleague
        .delete(&format!(
            "/api/v1/push/subscriptions/{}",
            colleague
                .get("/api/v1/push/subscriptions")
                .await
                .assert(StatusCode::OK)[0]["id"]
        ))
        .await
        .assert(StatusCode::NO_CONTENT);
    // One removed makes room.
    peer.delete(&format!("/api/v1/push/subscriptions/{}", ids[0]))
        .await
        .assert(StatusCode::NO_CONTENT);
    register(&peer, devices[10].subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);
}

#[tokio::test]
async fn the_device_limit_is_a_setting() {
    let app = spawn_app_with(|s| s.push_max_devices = 2).await;
    let service = PushService::start().await;
    let cm = app.login_as(Role::Casemanager).await;
    for name in ["a", "b"] {
        register(&cm, service.device(name).subscription_json(&service))
            .await
            .assert(StatusCode::CREATED);
    }
    register(&cm, service.device("c").subscription_json(&service))
        .await
        .assert_error(StatusCode::CONFLICT, "too_many_devices");
}

#[tokio::test]
async fn an_endpoint_another_account_holds_is_not_taken_over() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Goudvink").await;
    let phone = service.device("phone");
    let id = register(&team.casemanager, phone.subscription_json(&service))
        .await
        .assert(StatusCode::CREATED)["id"]
        .clone();
    // A peer who learnt her endpoint registers it as his own.
    let peer = app.login_as(Role::Peer).await;
    let stolen = service.device("phone-stolen");
    let mut taken = stolen.subscription_json(&service);
    taken["endpoint"] = phone.subscription_json(&service)["endpoint"].clone();
    register(&peer, taken)
        .await
        .assert_error(StatusCode::CONFLICT, "endpoint_taken");
    assert_eq!(
        peer.get("/api/v1/push/subscriptions")
            .await
            .assert(StatusCode::OK),
        json!([])
    );

    // Her browser renews its keys: the same device, with the new keys.
    let renewed = service.device("phone");
    let again = register(&team.casemanager, renewed.subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);
    assert_eq!(again["id"], id);
    assert_eq!(app.count("push_subscriptions"), 1);

    // She still hears of her client, encrypted for the keys she has now.
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.delivery.sent, 1);
    let delivered = service.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].device, "phone");
}

/// Claims a device for the session, as the app does right after signing in.
async fn claim_device(session: &Session) {
    session
        .post("/api/v1/me/device", json!({ "device": null }))
        .await
        .assert(StatusCode::OK);
}

#[tokio::test]
async fn a_lost_phone_stops_getting_notifications_when_its_session_is_ended() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Roodborst").await;
    let phone = &team.casemanager;
    claim_device(phone).await;
    register(phone, service.device("phone").subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);
    let laptop = app.sign_in(&phone.username).await;
    claim_device(&laptop).await;
    register(
        &laptop,
        service.device("laptop").subscription_json(&service),
    )
    .await
    .assert(StatusCode::CREATED);
    assert_eq!(app.count("push_subscriptions"), 2);

    // The phone is lost: she ends its session from the laptop.
    laptop.end_other_session().await;
    let left = laptop
        .get("/api/v1/push/subscriptions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");

    // Her client out of view: only the laptop hears of it.
    app.clock.advance(TimeDelta::days(14));
    assert_eq!(sweep(&app).await.delivery.sent, 1);
    let delivered = service.delivered();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].device, "laptop");

    // Found again, the phone signs in anew and the app registers its browser again.
    let found = app.sign_in(&phone.username).await;
    claim_device(&found).await;
    register(&found, service.device("phone").subscription_json(&service))
        .await
        .assert(StatusCode::CREATED);

    // Signing out on the laptop revokes its device, and its subscription goes with it.
    laptop
        .delete("/api/v1/session")
        .await
        .assert(StatusCode::NO_CONTENT);
    let left = found
        .get("/api/v1/push/subscriptions")
        .await
        .assert(StatusCode::OK);
    assert_eq!(left.as_array().unwrap().len(), 1, "{left}");
    assert_eq!(
        app.count("push_subscriptions WHERE device_id IS NOT NULL"),
        1
    );
}

#[tokio::test]
async fn an_endpoint_stored_before_the_policy_is_not_sent_to() {
    let app = spawn_app_for_weeks().await;
    let service = PushService::start().await;
    let team = team_with_client(&app, "Kramsvogel").await;
    register(
        &team.casemanager,
        service.device("phone").subscription_json(&service),
    )
    .await
    .assert(StatusCode::CREATED);
    // The server restarted with the production default: the stored loopback endpoint is
    // kept, but nothing goes to it.
    let mut settings = (*app.state.settings).clone();
    settings.push_allow_loopback = false;
    let db = inbeeld::db::Db::connect(&settings.effective_database_url(), 2).unwrap();
    let restarted = inbeeld::startup::build_state(settings, app.clock.clone(), db).unwrap();
    app.clock.advance(TimeDelta::days(14));
    let report = inbeeld::app::followups::sweep::run(&restarted)
        .await
        .unwrap();
    assert_eq!((report.delivery.sent, report.delivery.failed), (0, 1));
    assert_eq!(service.requests(), 0);
    assert_eq!(app.count("push_subscriptions"), 1);
}
