//! Crash safety: the server killed with SIGKILL under write load, and a sweep
//! killed half-way, then started again on the same database. Nothing acknowledged is lost
//! and nothing is done twice. Runs on SQLite, or on PostgreSQL when the tests are told to.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use diesel::RunQueryDsl;
use inbeeld::app::accounts::{self, NewAccount};
use inbeeld::app::followups::absence;
use inbeeld::clock::Clock;
use inbeeld::config::Settings;
use inbeeld::db::Db;
use inbeeld::db::queries::clients::{self, NewClient};
use inbeeld::db::queries::{push, teams, users};
use inbeeld::domain::caseload::AbsenceRules;
use inbeeld::domain::role::Role;
use inbeeld::timezone::Zone;
use serde_json::{Value, json};

use crate::helpers::{db_read, db_write};
use crate::postgres::PostgresDatabase;
use crate::process::{demo_password, inbeeld, serving_with};
use crate::push_service::PushService;

/// Where the child processes keep their data: a SQLite file in a temporary folder, or a
/// fresh PostgreSQL database.
struct Store {
    dir: tempfile::TempDir,
    postgres: Option<PostgresDatabase>,
}

impl Store {
    fn new() -> Store {
        Store {
            dir: tempfile::tempdir().unwrap(),
            postgres: PostgresDatabase::from_env(),
        }
    }

    fn command(&self) -> Command {
        let mut command = inbeeld(self.dir.path());
        if let Some(pg) = &self.postgres {
            command.env("INBEELD_DATABASE_URL", &pg.url);
        }
        command
    }

    /// The same database, opened by the test itself.
    fn db(&self) -> Db {
        let url = match &self.postgres {
            Some(pg) => pg.url.clone(),
            None => self.dir.path().join("inbeeld.db").display().to_string(),
        };
        Db::connect(&url, 2).unwrap()
    }

    fn count(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        db_read(&self.db(), |conn| {
            diesel::sql_query(sql).get_result::<Count>(conn)
        })
        .n
    }
}

fn sigkill(child: &mut Child) {
    // `Child::kill` is SIGKILL on Unix: no shutdown code runs.
    child.kill().unwrap();
    child.wait().unwrap();
}

/// One tally tap as the phone keeps it in its outbox: the key and body it will retry with,
/// and the contact id once the server has acknowledged it.
#[derive(Clone)]
struct Tap {
    key: String,
    body: Value,
    acknowledged: Option<i64>,
}

async fn signed_in(base: &str, password: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let reply = http
        .post(format!("{base}/session"))
        .json(&json!({"username": "demo.anna", "password": password}))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "sign-in: {}", reply.status());
    http
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_contacts_survive_sigkill_and_replays_add_nothing() {
    let store = Store::new();
    let demo = store.command().arg("demo").output().unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let password = demo_password(&demo.stdout);
    let mut server = serving_with(store.command());
    let base = format!("http://127.0.0.1:{}/api/v1", server.port());
    let http = signed_in(&base, &password).await;
    let clients: Vec<i64> = http
        .get(format!("{base}/clients"))
        .send()
        .await
        .unwrap()
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    let before = store.count("SELECT COUNT(*) AS n FROM contacts");

    // Eight phones tap as fast as the server answers, until it dies.
    let taps: Arc<Mutex<Vec<Tap>>> = Arc::default();
    let mut writers = Vec::new();
    for phone in 0..8 {
        let (http, base, taps, clients) =
            (http.clone(), base.clone(), taps.clone(), clients.clone());
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let tap = Tap {
                    key: format!("phone{phone}-tap{n}"),
                    body: json!({"client_id": clients[(phone * 7 + n) % clients.len()], "location_id": 1}),
                    acknowledged: None,
                };
                let index = {
                    let mut taps = taps.lock().unwrap();
                    taps.push(tap.clone());
                    taps.len() - 1
                };
                let sent = http
                    .post(format!("{base}/contacts"))
                    .header("Idempotency-Key", &tap.key)
                    .json(&tap.body)
                    .send()
                    .await;
                let Ok(reply) = sent else { break };
                assert_eq!(reply.status(), 201, "before the crash");
                let Ok(contact) = reply.json::<Value>().await else {
                    break;
                };
                taps.lock().unwrap()[index].acknowledged = contact["id"].as_i64();
            }
        }));
    }
    let acknowledged = |taps: &Mutex<Vec<Tap>>| {
        taps.lock()
            .unwrap()
            .iter()
            .filter(|t| t.acknowledged.is_some())
            .count()
    };
    let started = Instant::now();
    while acknowledged(&taps) < 300 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    sigkill(&mut server.child);
    for writer in writers {
        writer.await.unwrap();
    }
    let taps = taps.lock().unwrap().clone();
    let acked: Vec<&Tap> = taps.iter().filter(|t| t.acknowledged.is_some()).collect();
    assert!(acked.len() >= 300, "only {} acknowledged", acked.len());
    assert!(
        acked.len() < taps.len(),
        "the kill should leave taps unanswered"
    );

    // Started again: every acknowledged contact is there.
    let mut server = serving_with(store.command());
    let base = format!("http://127.0.0.1:{}/api/v1", server.port());
    let ids: Vec<String> = acked
        .iter()
        .map(|t| t.acknowledged.unwrap().to_string())
        .collect();
    assert_eq!(
        store.count(&format!(
            "SELECT COUNT(*) AS n FROM contacts WHERE id IN ({})",
            ids.join(",")
        )),
        acked.len() as i64,
        "acknowledged contacts lost in the crash"
    );

    // The phones retry their whole outbox: acknowledged taps come back as replays of the
    // same contact, the rest are recorded now, and none twice.
    let http = signed_in(&base, &password).await;
    let mut recorded = BTreeSet::new();
    for tap in &taps {
        let reply = http
            .post(format!("{base}/contacts"))
            .header("Idempotency-Key", &tap.key)
            .json(&tap.body)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 201);
        let replayed = reply.headers().contains_key("idempotent-replayed");
        let id = reply.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        if let Some(acked) = tap.acknowledged {
            assert!(replayed, "{} was recorded again", tap.key);
            assert_eq!(id, acked);
        }
        assert!(recorded.insert(id), "two taps became contact {id}");
    }
    assert_eq!(
        store.count("SELECT COUNT(*) AS n FROM contacts"),
        before + taps.len() as i64,
        "every tap is one contact"
    );
    sigkill(&mut server.child);
}

/// When absences fall due by the default settings, which the sweep process runs with.
fn default_rules() -> AbsenceRules {
    let settings = Settings::default();
    AbsenceRules {
        thresholds: settings.absence_thresholds(),
        zone: Zone(settings.zone().unwrap()),
    }
}

const CASEMANAGERS: usize = 12;
const CLIENTS_EACH: usize = 5;
/// The sweep's deliveries in flight at once (`push_concurrency`).
const IN_FLIGHT: usize = 4;
/// Messages the push service answers before it holds the rest (see the sweep's kill).
const HELD_AFTER: usize = 6;

/// Twelve casemanagers with a phone each, five clients each, none seen for 20 days.
fn overdue_caseloads(store: &Store, service: &PushService) {
    let db = store.db();
    let now = Clock::system().now();
    let long_ago = now - TimeDelta::days(20);
    let team = db_write(&db, move |conn| {
        teams::create(conn, "Stapteam Nijmegen", now)
    });
    for m in 0..CASEMANAGERS {
        let username = format!("casemanager{m}");
        let user = accounts::create_blocking(
            &db,
            &NewAccount {
                username: &username,
                display_name: None,
                role: Role::Casemanager,
                team_id: Some(team),
                organisation_id: None,
                password: "correct horse battery staple",
            },
            now,
        )
        .unwrap();
        let phone = service.device(&username).subscription_json(service);
        db_write(&db, move |conn| {
            // This test runs on the system clock, at whatever hour CI starts it: the
            // default quiet hours (23:00-08:00) would hold every message back at night.
            users::set_quiet_hours(conn, user, "00:00", "00:00")?;
            push::subscribe(
                conn,
                user,
                phone["endpoint"].as_str().unwrap(),
                phone["keys"]["p256dh"].as_str().unwrap(),
                phone["keys"]["auth"].as_str().unwrap(),
                None,
                now,
            )?;
            for c in 0..CLIENTS_EACH {
                let client = clients::create(
                    conn,
                    &NewClient {
                        team_id: team,
                        code: format!("C-{m}-{c}"),
                        alias: format!("Cliënt {m}-{c}"),
                        registration_status: "none".into(),
                        registration_number: None,
                        registration_date: None,
                        registration_expires_on: None,
                        region: "nijmegen".into(),
                        caseload_status: "active".into(),
                        intake_on: Some(long_ago.date()),
                        exit_on: None,
                        followup_threshold_days: None,
                        created_at: long_ago,
                        updated_at: long_ago,
                        addiction: "unknown".into(),
                        sheltered_housing: false,
                        known_at_huiskamer: false,
                        exit_reason: None,
                        exit_note: None,
                    },
                )?;
                clients::assign(conn, client, user, long_ago.date(), None, now)?;
                // Written past the app, so her moment is computed as the app would.
                absence::refresh(conn, client, &default_rules())?;
            }
            Ok(())
        });
    }
}

/// `inbeeld followups sweep` with the push service stand-in (on 127.0.0.1) and its
/// subject, and a short lease.
fn sweep_command(store: &Store) -> Command {
    let mut command = store.command();
    command
        .args(["followups", "sweep"])
        .env(
            "INBEELD_VAPID_SUBJECT",
            crate::push_service::EXPECTED_SUBJECT,
        )
        .env("INBEELD_PUSH_ALLOW_LOOPBACK", "true")
        // A claimed batch is hidden for this times its rounds plus two: the crashed sweep's
        // twelve messages, four at a time, are free again after 5 s.
        .env("INBEELD_PUSH_TIMEOUT_SECONDS", "1")
        .env("INBEELD_PUSH_CONCURRENCY", IN_FLIGHT.to_string());
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sweep_killed_half_way_loses_and_doubles_no_notification() {
    let store = Store::new();
    // The first sweep creates the database: nothing to do yet.
    let first = sweep_command(&store).output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let service = PushService::start().await;
    overdue_caseloads(&store, &service);
    // Each message waits 300 ms for its answer, and every one after the sixth is delivered
    // but not answered: the kill comes while some are delivered and unanswered, the worst
    // moment, and before the rest are sent, however slowly this machine runs.
    service.answer_after(Duration::from_millis(300));
    service.hold_answers_after(Some(HELD_AFTER));

    let mut sweep = sweep_command(&store)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Killed once the first held message is delivered: the sender then has at most
    // IN_FLIGHT messages delivered and unanswered, and none of the rest sent.
    while service.requests() <= HELD_AFTER && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let delivered_before_kill = service.delivered().len();
    sigkill(&mut sweep);
    assert!(
        (1..CASEMANAGERS).contains(&delivered_before_kill),
        "the kill should fall half-way through delivery, after {delivered_before_kill}"
    );

    // The next sweeps finish the work: the first at once, the next after the lease of the
    // messages the killed one had claimed.
    service.answer_after(Duration::ZERO);
    service.hold_answers_after(None);
    for wait in [Duration::ZERO, Duration::from_millis(5500)] {
        tokio::time::sleep(wait).await;
        let output = sweep_command(&store).output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let total = (CASEMANAGERS * CLIENTS_EACH) as i64;
    assert_eq!(
        store.count("SELECT COUNT(*) AS n FROM followups WHERE kind = 'absence'"),
        total
    );
    assert_eq!(
        store.count("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'absence'"),
        total,
        "one notification per follow-up and casemanager"
    );
    assert_eq!(
        store.count("SELECT COUNT(*) AS n FROM notifications WHERE dispatched_at IS NULL"),
        0
    );
    let messages = store.count("SELECT COUNT(*) AS n FROM push_messages");
    assert_eq!(
        store.count("SELECT COUNT(*) AS n FROM push_messages WHERE status = 'sent'"),
        messages,
        "every message delivered"
    );

    // What the phones got: every message, each under its own Topic. A message sent again
    // after the crash carries the same Topic (the push service replaces the queued one)
    // and the same payload and tag (the phone replaces the shown one), so each phone shows
    // each follow-up once. Only messages in flight at the kill can arrive twice.
    let delivered = service.delivered();
    let mut by_topic: BTreeMap<String, Vec<&crate::push_service::Delivered>> = BTreeMap::new();
    for message in &delivered {
        by_topic
            .entry(message.topic.clone().expect("every message has a Topic"))
            .or_default()
            .push(message);
    }
    assert_eq!(by_topic.len() as i64, messages, "a message never delivered");
    let mut absences_shown: HashMap<String, i64> = HashMap::new();
    let mut twice = 0;
    for copies in by_topic.values() {
        let first = copies[0];
        for copy in &copies[1..] {
            assert_eq!(copy.device, first.device);
            assert_eq!(copy.payload, first.payload);
        }
        twice += copies.len() - 1;
        let body = first.payload["body"].as_str().unwrap();
        let count: i64 = body.split(' ').next().unwrap().parse().unwrap();
        *absences_shown.entry(first.device.clone()).or_default() += count;
    }
    assert!(
        twice <= IN_FLIGHT,
        "{twice} messages sent again; at most {IN_FLIGHT} were in flight"
    );
    assert_eq!(absences_shown.len(), CASEMANAGERS);
    for (phone, shown) in absences_shown {
        assert_eq!(
            shown, CLIENTS_EACH as i64,
            "{phone} heard of {shown} clients"
        );
    }
}
