//! Field workers under load (a benchmark, not a test):
//!
//!     cargo bench --bench load
//!     INBEELD_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench load
//!
//! BENCH_USERS signed-in workers (default 50) each send requests back to back over real
//! HTTP: 90 % contact writes (a tally tap with its own Idempotency-Key), 5 % client list,
//! 5 % client page. It reports throughput and p50/p95/p99 latency per kind. On the same
//! database, as many tasks insert the same contacts straight through diesel: the ceiling
//! the HTTP path is compared with. The two take turns (BENCH_ROUNDS, default 4) for
//! BENCH_SECONDS (default 20) each in all. Server, database and load share this one process
//! and its cores, in one run. The database pool has the shipped size unless BENCH_POOL
//! says otherwise. It prints the process's resident memory (before the load, at the end of
//! the busiest HTTP turn, and its peak).
//!
//! With BENCH_SERVER=process the server is the `inbeeld` binary in a process of its own
//! (`inbeeld serve`, its settings in INBEELD_* variables, on the same database), still on
//! the same cores; the benchmark sets up through its own handle on the database and HTTP,
//! and the resident memory printed is the server process's own (/proc/<pid>/status).
//! RUST_LOG reaches that server (unset, it logs warnings only); one that does not get
//! ready within a minute fails the run with its log. It is killed at the end, or when the
//! benchmark panics.
//!
//! With BENCH_INSTANCES=2 (PostgreSQL only) a second server runs on the same database, and
//! each round has a third turn: the same phones, half of them on each server. At the end
//! the contacts in the database are counted against the writes acknowledged: none doubled,
//! none lost.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use hyper::header::{self, HeaderValue};
use inbeeld::app::accounts::{self, NewAccount};
use inbeeld::config::Settings;
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::db::queries::{locations, teams};
use inbeeld::db::{Access, ConnectionManager, DbError, Pool};
use inbeeld::domain::role::Role;
use inbeeld::http::session::cookie_name;
use inbeeld::state::AppState;
use serde_json::json;

#[path = "load/phones.rs"]
mod phones;
#[path = "load/server.rs"]
mod server;
#[path = "load/stats.rs"]
mod stats;

use phones::{Requests, over_http};
use server::Servers;
use stats::{Latencies, peak_resident_mb, report, resident_mb, size};

const PASSWORD: &str = "load benchmark password";

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
    let instances = size("BENCH_INSTANCES", 1);
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().to_string_lossy().into_owned(),
        sweep_cron: inbeeld::domain::schedule::CronSchedule::disabled(),
        digest_cron: inbeeld::domain::schedule::CronSchedule::disabled(),
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
    assert!(
        instances == 1 || (instances == 2 && backend == "PostgreSQL"),
        "BENCH_INSTANCES=2 needs INBEELD_BENCH_POSTGRES_URL: two servers share a database there"
    );
    let servers = Servers::start(settings, instances, dir.path()).await;
    let (address, second) = (servers.addresses[0], servers.addresses.get(1).copied());
    let measured = servers.measured();
    let base = format!("http://{address}/api/v1");
    let state = servers.state.clone();
    // The ceiling's own connections: the same manager and pool size as the server's, but
    // past its doors (no group commit, no audit), each insert committed alone.
    let raw: Pool = diesel::r2d2::Pool::builder()
        .max_size(state.settings.db_pool_size)
        .build(ConnectionManager::new(
            &state.settings.effective_database_url(),
            Access::ReadWrite,
        ))
        .unwrap();

    let (team, location, coordinator) = {
        let now = state.clock.now();
        let (team, location) = state
            .db
            .write_blocking(move |conn| {
                let team = teams::create(conn, "Load", now)?;
                let location = locations::find_by_code(conn, "cirkel")?.id;
                Ok::<_, DbError>((team, location))
            })
            .unwrap();
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
    let mut cookies = Vec::new();
    for i in 0..users {
        let name = format!("load.worker{i}");
        account(&state, &name, Role::Casemanager, team);
        cookies.push(session_cookie(&base, &name).await);
    }

    // The two paths take turns, BENCH_ROUNDS times each, so that both meet the same machine:
    // on a shared machine the ceiling measured alone, twenty seconds later, moved by a
    // fifth from run to run, and the ratio with it.
    let rounds = size("BENCH_ROUNDS", 4).max(1);
    let turn = Duration::from_secs_f64(seconds as f64 / rounds as f64);
    println!(
        "{backend}: {users} workers over HTTP, then {users} tasks inserting straight \
         through diesel, taking {rounds} turns each, {seconds} s in all for each path"
    );
    let keys = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(Requests::new(&clients, location));
    let mut all = Latencies::default();
    let mut both = Latencies::default();
    let fields = Fields {
        team,
        location,
        recorded_by: coordinator,
    };
    let mut raw_samples = Vec::new();
    let before_load = resident_mb(measured);
    let mut under_load: Option<f64> = None;
    let mut turn_ended = || {
        if let Some(now) = resident_mb(measured) {
            under_load = Some(under_load.map_or(now, |was: f64| was.max(now)));
        }
    };
    for _ in 0..rounds {
        all.add(over_http(&[address], &cookies, &requests, &keys, turn).await);
        turn_ended();
        if let Some(second) = second {
            both.add(over_http(&[address, second], &cookies, &requests, &keys, turn).await);
            turn_ended();
        }
        raw_samples
            .extend(straight_through_diesel(&state, &raw, &clients, fields, users, turn).await);
    }
    let secs = seconds as f64;
    let acknowledged = all.writes.len() + both.writes.len() + raw_samples.len();
    let http_rate = report("writes", all.writes, secs);
    report("client list", all.lists, secs);
    report("client page", all.pages, secs);
    println!("{:>12}: {}", "errors", all.errors);
    let raw_rate = report("raw inserts", raw_samples, secs);
    println!(
        "{:>12}: the HTTP path writes at {:.0} % of the raw database rate",
        "ratio",
        100.0 * http_rate / raw_rate
    );
    if second.is_some() {
        println!("two servers on the same database, half of the phones on each:");
        let two_rate = report("writes", both.writes, secs);
        report("client list", both.lists, secs);
        report("client page", both.pages, secs);
        println!("{:>12}: {}", "errors", both.errors);
        println!(
            "{:>12}: two servers write {:.2}x what one does",
            "ratio",
            two_rate / http_rate
        );
    }
    let stored = state.db.read_blocking(contacts_stored).unwrap();
    println!(
        "{:>12}: {stored} in the database, {acknowledged} acknowledged",
        "contacts"
    );
    assert_eq!(
        stored as usize, acknowledged,
        "every acknowledged contact is stored once"
    );
    let peak = peak_resident_mb(measured);
    if let (Some(before), Some(after), Some(peak)) = (before_load, under_load, peak) {
        if measured.is_some() {
            println!(
                "{:>12}: the server's own process: {before:.0} MB resident before the load, \
                 {after:.0} MB at most at the end of an HTTP turn, {peak:.0} MB at its peak",
                "memory"
            );
        } else {
            println!(
                "{:>12}: {before:.0} MB resident before the load, {after:.0} MB at the end of \
                 the busiest HTTP turn (server and phones), {peak:.0} MB at the peak of the \
                 whole run (the ceiling's turns included)",
                "memory"
            );
        }
    }
}

fn contacts_stored(conn: &mut inbeeld::db::DbConnection) -> Result<i64, DbError> {
    use diesel::QueryDsl;
    use inbeeld::db::schema::contacts;
    Ok(contacts::table.count().get_result(conn)?)
}

/// What every raw insert shares with the taps.
#[derive(Clone, Copy)]
struct Fields {
    team: i64,
    location: i64,
    recorded_by: i64,
}

/// `tasks` tasks insert the same contacts as the taps straight through diesel for `turn`,
/// each in its own transaction: the ceiling.
async fn straight_through_diesel(
    state: &AppState,
    raw: &Pool,
    clients: &Arc<Vec<i64>>,
    fields: Fields,
    tasks: u64,
    turn: Duration,
) -> Vec<Duration> {
    let deadline = Instant::now() + turn;
    let mut running = Vec::new();
    for i in 0..tasks {
        let (state, raw, clients) = (state.clone(), raw.clone(), clients.clone());
        running.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut n = i as usize;
            while Instant::now() < deadline {
                n += 1;
                let now = state.clock.now();
                let contact = NewContact {
                    team_id: fields.team,
                    client_id: Some(clients[n % clients.len()]),
                    visitor_count: 1,
                    location_id: Some(fields.location),
                    shift_id: None,
                    seen_at: now,
                    kind: "visit".into(),
                    services: String::new(),
                    note: None,
                    recorded_by: fields.recorded_by,
                    created_at: now,
                    updated_at: now,
                };
                let started = Instant::now();
                let pool = raw.clone();
                let inserted = tokio::task::spawn_blocking(move || {
                    let mut conn = pool.get().map_err(|e| e.to_string())?;
                    contacts::insert(&mut conn, &contact).map_err(|e| e.to_string())
                })
                .await;
                if matches!(inserted, Ok(Ok(_))) {
                    samples.push(started.elapsed());
                }
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for task in running {
        samples.extend(task.await.unwrap());
    }
    samples
}

fn account(state: &AppState, username: &str, role: Role, team: i64) -> i64 {
    let (username, now) = (username.to_owned(), state.clock.now());
    accounts::create_blocking(
        &state.db,
        &NewAccount {
            username: &username,
            display_name: None,
            role,
            team_id: Some(team),
            organisation_id: None,
            password: PASSWORD,
        },
        now,
    )
    .unwrap()
}

/// Signs in and returns the session cookie to send (`name=value`).
async fn session_cookie(base: &str, username: &str) -> HeaderValue {
    let reply = reqwest::Client::new()
        .post(format!("{base}/session"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "sign-in: {}", reply.status());
    let cookie = reply
        .cookies()
        .find(|c| c.name() == cookie_name(false))
        .expect("a session cookie");
    HeaderValue::try_from(format!("{}={}", cookie.name(), cookie.value())).unwrap()
}

/// A reqwest client signed in as `username`, for setting up.
async fn signed_in(base: &str, username: &str) -> reqwest::Client {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::COOKIE, session_cookie(base, username).await);
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}
