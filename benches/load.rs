//! Field workers under load (a benchmark, not a test):
//!
//!     cargo bench --bench load
//!     INBEELD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench load
//!
//! BENCH_USERS signed-in workers (default 50) each send requests back to back over real
//! HTTP for BENCH_SECONDS (default 20): 90 % contact writes (a tally tap with its own
//! Idempotency-Key), 5 % client list, 5 % client page. It reports throughput and
//! p50/p95/p99 latency per kind. Then, on the same database, as many tasks insert the same
//! contacts straight through diesel for as long: the ceiling the HTTP path is compared with.
//! Server, database and load share this one process and its cores, in one run. The
//! database pool has the shipped size unless BENCH_POOL says otherwise.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use inbeeld::accounts::{self, NewAccount};
use inbeeld::clock::Clock;
use inbeeld::config::Settings;
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, teams};
use inbeeld::domain::role::Role;
use inbeeld::startup::Application;
use inbeeld::state::AppState;
use serde_json::json;

const PASSWORD: &str = "load benchmark password";

fn size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Latencies {
    writes: Vec<Duration>,
    lists: Vec<Duration>,
    pages: Vec<Duration>,
    errors: u64,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>, seconds: f64) -> f64 {
    samples.sort();
    let rate = samples.len() as f64 / seconds;
    println!(
        "{name:>12}: {:>7} requests, {rate:>8.0}/s, p50 {:>6.1} ms, p95 {:>6.1} ms, p99 {:>6.1} ms",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.95),
        percentile(&samples, 0.99),
    );
    rate
}

/// A fresh PostgreSQL database when asked for, dropped at the end.
struct Postgres {
    admin: String,
    name: String,
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let users = size("BENCH_USERS", 50);
    let seconds = size("BENCH_SECONDS", 20);
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().to_string_lossy().into_owned(),
        sweep_cron: String::new(),
        digest_cron: String::new(),
        db_pool_size: size("BENCH_POOL", u64::from(Settings::default().db_pool_size)) as u32,
        // Each simulated phone signs in once with a password; the second factor is one
        // request per sign-in, not per tap, and is left out of the measurement.
        second_factor_required: false,
        ..Settings::default()
    };
    let _postgres = std::env::var("INBEELD_BENCH_POSTGRES_URL")
        .ok()
        .map(|admin| {
            let name = format!("inbeeld_load_{}", std::process::id());
            let mut conn = PgConnection::establish(&admin).unwrap();
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .unwrap();
            let base = admin.rsplit_once('/').unwrap().0;
            settings.database_url = format!("{base}/{name}");
            Postgres { admin, name }
        });
    let backend = if settings.database_url.is_empty() {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let app = Application::build(settings, Clock::system()).await.unwrap();
    let base = format!("http://127.0.0.1:{}/api/v1", app.port());
    let state: AppState = app.state().clone();
    tokio::spawn(app.run_until_stopped());

    let (team, location, coordinator) = {
        let mut conn = state.db.conn().unwrap();
        let now = state.clock.now();
        let team = teams::create(&mut conn, "Load", now).unwrap();
        let location = locations::find_by_code(&mut conn, "cirkel").unwrap().id;
        let coordinator = account(&state, "load.coordinator", Role::Coordinator, team);
        (team, location, coordinator)
    };
    let lead = signed_in(&base, "load.coordinator").await;
    let mut clients = Vec::new();
    for i in 0..200 {
        let created: serde_json::Value = lead
            .post(format!("{base}/clients"))
            .json(&json!({"alias": format!("Belasting {i}"), "region": "nijmegen"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        clients.push(created["id"].as_i64().unwrap());
    }
    let clients = Arc::new(clients);
    let mut workers = Vec::new();
    for i in 0..users {
        let name = format!("load.worker{i}");
        account(&state, &name, Role::Casemanager, team);
        workers.push(signed_in(&base, &name).await);
    }

    println!("{backend}: {users} workers for {seconds} s over HTTP");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let keys = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for (i, http) in workers.into_iter().enumerate() {
        let (base, clients, keys) = (base.clone(), clients.clone(), keys.clone());
        tasks.push(tokio::spawn(async move {
            let mut seen = Latencies::default();
            let mut n = i;
            while Instant::now() < deadline {
                n += 1;
                let client = clients[n % clients.len()];
                let started = Instant::now();
                let (ok, bucket) = match n % 20 {
                    0 => {
                        let r = http.get(format!("{base}/clients")).send().await;
                        (r.is_ok_and(|r| r.status().is_success()), &mut seen.lists)
                    }
                    1 => {
                        let r = http.get(format!("{base}/clients/{client}")).send().await;
                        (r.is_ok_and(|r| r.status().is_success()), &mut seen.pages)
                    }
                    _ => {
                        let key = format!("load-{}", keys.fetch_add(1, Ordering::Relaxed));
                        let r = http
                            .post(format!("{base}/contacts"))
                            .header("Idempotency-Key", key)
                            .json(&json!({"client_id": client, "location_id": location}))
                            .send()
                            .await;
                        (r.is_ok_and(|r| r.status().is_success()), &mut seen.writes)
                    }
                };
                if ok {
                    bucket.push(started.elapsed());
                } else {
                    seen.errors += 1;
                }
            }
            seen
        }));
    }
    let mut all = Latencies::default();
    for task in tasks {
        let seen = task.await.unwrap();
        all.writes.extend(seen.writes);
        all.lists.extend(seen.lists);
        all.pages.extend(seen.pages);
        all.errors += seen.errors;
    }
    let secs = seconds as f64;
    let http_rate = report("writes", all.writes, secs);
    report("client list", all.lists, secs);
    report("client page", all.pages, secs);
    println!("{:>12}: {}", "errors", all.errors);

    println!("{backend}: {users} tasks for {seconds} s inserting straight through diesel");
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for i in 0..users {
        let (state, clients) = (state.clone(), clients.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut n = i as usize;
            while Instant::now() < deadline {
                n += 1;
                let now = state.clock.now();
                let contact = NewContact {
                    team_id: team,
                    client_id: Some(clients[n % clients.len()]),
                    visitor_count: 1,
                    location_id: location,
                    shift_id: None,
                    seen_at: now,
                    kind: "visit".into(),
                    services: String::new(),
                    note: None,
                    recorded_by: coordinator,
                    created_at: now,
                    updated_at: now,
                };
                let started = Instant::now();
                if state
                    .db
                    .run(move |conn| Ok(contacts::insert(conn, &contact)?.id))
                    .await
                    .is_ok()
                {
                    samples.push(started.elapsed());
                }
            }
            samples
        }));
    }
    let mut raw = Vec::new();
    for task in tasks {
        raw.extend(task.await.unwrap());
    }
    let raw_rate = report("raw inserts", raw, secs);
    println!(
        "{:>12}: the HTTP path writes at {:.0} % of the raw database rate",
        "ratio",
        100.0 * http_rate / raw_rate
    );
}

fn account(state: &AppState, username: &str, role: Role, team: i64) -> i64 {
    let mut conn = state.db.conn().unwrap();
    accounts::create(
        &mut conn,
        &NewAccount {
            username,
            display_name: None,
            role,
            team_id: Some(team),
            organisation_id: None,
            password: PASSWORD,
        },
        state.clock.now(),
    )
    .unwrap()
}

async fn signed_in(base: &str, username: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let reply = http
        .post(format!("{base}/session"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "sign-in: {}", reply.status());
    http
}
