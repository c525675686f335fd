//! The follow-up sweep and push fan-out at scale (a benchmark, not a test):
//!
//!     cargo bench --bench sweep
//!
//! 1. 100,000 clients on SQLite; the sweep is timed with 1,000,000 and then 10,000,000
//!    contacts behind the same clients and the same overdue set (1 % of clients), once
//!    opening follow-ups and once as the steady-state sweep that finds nothing new. Its
//!    time should grow neither with the contacts nor with the clients: it reads only the
//!    clients due (`clients.absence_due_at`), so the same sweep at 1,000 clients (100
//!    contacts each, on a database of its own) is timed first, for the ratio. Both hold
//!    the rest of the casework the sweep looks at in the same proportions (registrations,
//!    assessments, closed files, referrals), none of it due.
//! 2. A cold start of the server binary on the 100,000 clients' database, to `/readyz`.
//! 3. 10,000 push messages delivered to the local push service stand-in (real VAPID and
//!    aes128gcm on both sides, in this one process), in messages per second, with the CPU
//!    time per message of the server's threads and of the stand-in's apart.
//!
//! Sizes: BENCH_CLIENTS, BENCH_CONTACTS, BENCH_SMALL_CLIENTS, BENCH_PUSH environment
//! variables; BENCH_PUSH_CONCURRENCY for the messages in flight (`push_concurrency`),
//! BENCH_PUSH_SERVICE_THREADS for the stand-in's worker threads (default 1);
//! BENCH_ONLY_PUSH=1 runs the push fan-out alone.

#[path = "sweep/cpu.rs"]
mod cpu;
#[path = "sweep/push.rs"]
mod push;
#[path = "../tests/api/push_service.rs"]
#[expect(dead_code, reason = "the benchmark uses part of the test stand-in")]
mod push_service;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta, TimeZone, Utc};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use inbeeld::app::followups::{absence, sweep};
use inbeeld::clock::Clock;
use inbeeld::config::Settings;
use inbeeld::db::{Db, DbConnection, DbError};
use inbeeld::domain::caseload::AbsenceRules;
use inbeeld::startup::{build_state, prepare_database};
use inbeeld::state::AppState;

fn size(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn sql_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

const BATCH: usize = 1_000;

fn insert_clients(db: &Db, clients: usize, now: NaiveDateTime) {
    db.write_blocking(move |conn| -> Result<(), DbError> {
        conn.batch_execute(&format!(
            "INSERT INTO teams (id, name, created_at) VALUES (1, 'Bench', '{now}');
             INSERT INTO users (id, username, display_name, password_hash, role, team_id, active, created_at)
             VALUES (1, 'bench.cm', 'Bench', 'x', 'casemanager', 1, 1, '{now}');",
            now = sql_time(now)
        ))?;
        for start in (0..clients).step_by(BATCH) {
            let rows: Vec<String> = (start..(start + BATCH).min(clients))
                .map(|i| {
                    format!(
                        "({id}, 1, 'B-{i}', 'Bench {i}', 'none', 'nijmegen', 'active', '2025-01-01', '{now}', '{now}')",
                        id = i + 1,
                        now = sql_time(now)
                    )
                })
                .collect();
            conn.batch_execute(&format!(
                "INSERT INTO clients (id, team_id, code, alias, registration_status, region, caseload_status, intake_on, created_at, updated_at) VALUES {}",
                rows.join(",")
            ))?;
        }
        Ok(conn.batch_execute(&format!(
            "INSERT INTO client_casemanagers (client_id, user_id, from_on, created_at)
             SELECT id, 1, '2025-01-01', '{}' FROM clients",
            sql_time(now)
        ))?)
    })
    .unwrap();
}

/// Adds `per_client` contacts to every client. The newest decides who is overdue: 1 in
/// 100 clients was last seen 20 days ago, the rest within the last 10 days. With
/// `older_only`, every contact lies before all existing ones (nobody's last contact moves).
/// The rest of the casework the sweep looks at, in proportion to the clients and none of
/// it due (the steady state): half registered, expiring 31 days to two years ahead; a
/// third with two assessments of the last eight months, the latest within the last
/// eighty days; one in ten closed to regular care one to three years ago; one in five with
/// a referral, requested in the last month or started.
fn insert_casework(db: &Db, now: NaiveDateTime) {
    let today = now.date();
    db.write_blocking(move |conn| -> Result<(), DbError> {
        Ok(conn.batch_execute(&format!(
            "UPDATE clients SET registration_status = 'registered',
                 registration_expires_on = date('{today}', '+' || (31 + id % 700) || ' days')
                 WHERE id % 2 = 0;
             UPDATE clients SET caseload_status = 'closed', exit_reason = 'regular_care',
                 exit_on = date('{today}', '-' || (365 + id % 730) || ' days')
                 WHERE id % 10 = 5;
             INSERT INTO assessments (client_id, assessed_on, recorded_by, recorded_at)
                 SELECT id, date('{today}', '-' || (id % 80) || ' days'), 1, '{now}'
                 FROM clients WHERE id % 3 = 0;
             INSERT INTO assessments (client_id, assessed_on, recorded_by, recorded_at)
                 SELECT id, date('{today}', '-' || (160 + id % 80) || ' days'), 1, '{now}'
                 FROM clients WHERE id % 3 = 0;
             INSERT INTO referrals (team_id, client_id, kind, requested_on, started_on, created_by, created_at, updated_at)
                 SELECT 1, id, 'housing_application', date('{today}', '-' || (id % 30) || ' days'),
                     CASE WHEN id % 10 = 0 THEN date('{today}', '-1 days') END, 1, '{now}', '{now}'
                 FROM clients WHERE id % 5 = 0;",
            now = sql_time(now)
        ))?)
    })
    .unwrap();
}

fn insert_contacts(
    db: &Db,
    clients: usize,
    per_client: usize,
    now: NaiveDateTime,
    older_only: bool,
    rules: AbsenceRules,
) {
    let mut rows = Vec::with_capacity(BATCH);
    let flush = |conn: &mut DbConnection, rows: &mut Vec<String>| {
        if !rows.is_empty() {
            conn.batch_execute(&format!(
                "INSERT INTO contacts (team_id, client_id, visitor_count, location_id, seen_at, kind, services, recorded_by, created_at, updated_at) VALUES {}",
                rows.join(",")
            ))
            .unwrap();
            rows.clear();
        }
    };
    db.write_blocking(move |conn| -> Result<(), DbError> {
        for client in 1..=clients {
            for k in 0..per_client {
                let seen = if older_only {
                    now - TimeDelta::days(40) - TimeDelta::hours(k as i64)
                } else if k == 0 {
                    let days = if client % 100 == 0 { 20 } else { (client % 10) as i64 };
                    now - TimeDelta::days(days)
                } else {
                    now - TimeDelta::days(21) - TimeDelta::hours(k as i64)
                };
                let at = sql_time(seen);
                rows.push(format!("(1, {client}, 1, 1, '{at}', 'visit', '', 1, '{at}', '{at}')"));
                if rows.len() == BATCH {
                    flush(conn, &mut rows);
                }
            }
        }
        flush(conn, &mut rows);
        conn.batch_execute(
            "UPDATE clients SET last_contact_at = (SELECT MAX(seen_at) FROM contacts WHERE contacts.client_id = clients.id)",
        )?;
        // Written past the app: when each absence falls due is computed as a start does.
        absence::rebuild(conn, &rules, now)?;
        Ok(())
    })
    .unwrap();
}

fn count(db: &Db, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    db.read_blocking(|conn| {
        Ok::<_, DbError>(
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<N>(conn)?,
        )
    })
    .unwrap()
    .n
}

async fn timed_sweep(state: &AppState) -> (Duration, usize) {
    let started = Instant::now();
    let report = sweep::run(state).await.unwrap();
    (started.elapsed(), report.opened)
}

/// The median of five sweeps that find nothing new (what runs every quarter hour).
async fn steady_sweep(state: &AppState) -> Duration {
    let mut times = Vec::new();
    for _ in 0..5 {
        times.push(timed_sweep(state).await.0);
    }
    times.sort();
    times[2]
}

/// Times the sweep at `clients` clients; returns its last steady-state time.
async fn sweep_benchmark(state: &AppState, clients: usize, contacts: usize) -> Duration {
    let now = state.clock.now();
    let (db, rules) = (&state.db, state.absence_rules());
    let started = Instant::now();
    insert_clients(db, clients, now);
    insert_casework(db, now);
    let first = 1_000_000.min(contacts).max(clients);
    insert_contacts(db, clients, first / clients, now, false, rules);
    println!(
        "setup: {clients} clients, {} contacts in {:.1} s",
        count(db, "contacts"),
        started.elapsed().as_secs_f64()
    );
    let mut rounds = vec![(count(db, "contacts"), Duration::ZERO, Duration::ZERO, 0)];
    let (opening, opened) = timed_sweep(state).await;
    let steady = steady_sweep(state).await;
    rounds[0] = (rounds[0].0, opening, steady, opened);
    if contacts > first {
        db.write_blocking(|conn| {
            Ok::<_, DbError>(conn.batch_execute(
                "DELETE FROM notifications; DELETE FROM followup_events; DELETE FROM followups;",
            )?)
        })
        .unwrap();
        let started = Instant::now();
        insert_contacts(db, clients, (contacts - first) / clients, now, true, rules);
        println!(
            "setup: grew to {} contacts in {:.1} s",
            count(db, "contacts"),
            started.elapsed().as_secs_f64()
        );
        let (opening, opened) = timed_sweep(state).await;
        let steady = steady_sweep(state).await;
        rounds.push((count(db, "contacts"), opening, steady, opened));
    }
    println!(
        "\n| contacts | clients | follow-ups opened | sweep opening them | steady-state sweep (median of 5) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for (contacts, opening, steady, opened) in &rounds {
        println!(
            "| {contacts} | {clients} | {opened} | {:.0} ms | {:.0} ms |",
            opening.as_secs_f64() * 1e3,
            steady.as_secs_f64() * 1e3
        );
    }
    if let [small, large] = rounds.as_slice() {
        println!(
            "\nsteady-state ratio {}x contacts: {:.2}x time",
            large.0 / small.0.max(1),
            large.2.as_secs_f64() / small.2.as_secs_f64()
        );
    }
    rounds.last().map_or(Duration::ZERO, |round| round.2)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let clients = size("BENCH_CLIENTS", 100_000);
    let contacts = size("BENCH_CONTACTS", 10_000_000);
    let small = size("BENCH_SMALL_CLIENTS", 1_000);
    let messages = size("BENCH_PUSH", 10_000);
    let workers = size("BENCH_PUSH_SERVICE_THREADS", 1);
    if std::env::var("BENCH_ONLY_PUSH").is_ok_and(|v| v == "1") {
        let (state, _dir) = bench_state();
        push::push_benchmark(&state, messages, workers).await;
        return;
    }
    let (small_state, _small_dir) = bench_state();
    let per_client = (contacts / clients).max(1);
    let steady_small = sweep_benchmark(&small_state, small, small * per_client).await;
    let (state, dir) = bench_state();
    let steady = sweep_benchmark(&state, clients, contacts).await;
    println!(
        "
steady-state sweep at {clients} clients against {small}: {:.2}x time",
        steady.as_secs_f64() / steady_small.as_secs_f64()
    );
    start_benchmark(dir.path(), clients).await;
    push::push_benchmark(&state, messages, workers).await;
}

/// A cold start of the server binary on the large database until `/readyz` answers: what
/// a restart costs the team.
async fn start_benchmark(dir: &Path, clients: usize) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let mut server = Command::new(env!("CARGO_BIN_EXE_inbeeld"))
        .env("INBEELD_DATA_DIR", dir)
        .env("INBEELD_BIND", format!("127.0.0.1:{port}"))
        .env("INBEELD_SWEEP_CRON", "")
        .env("INBEELD_DIGEST_CRON", "")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = format!("http://127.0.0.1:{port}/readyz");
    let http = reqwest::Client::new();
    loop {
        if let Ok(answer) = http.get(&ready).send().await
            && answer.status().is_success()
        {
            break;
        }
        if let Some(status) = server.try_wait().unwrap() {
            panic!("the server stopped before it was ready: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not ready in a minute"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    server.kill().unwrap();
    server.wait().unwrap();
    println!(
        "\ncold start to /readyz at {clients} clients: {:.0} ms",
        elapsed.as_secs_f64() * 1e3
    );
}

/// A server's state on an empty SQLite database of its own, on a fixed clock.
fn bench_state() -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        data_dir: dir.path().to_string_lossy().into_owned(),
        sweep_cron: inbeeld::domain::schedule::CronSchedule::disabled(),
        digest_cron: inbeeld::domain::schedule::CronSchedule::disabled(),
        // The fan-out goes to the push service stand-in on 127.0.0.1.
        push_allow_loopback: true,
        push_concurrency: size(
            "BENCH_PUSH_CONCURRENCY",
            Settings::default().push_concurrency as usize,
        ) as u32,
        ..Settings::default()
    };
    let db = prepare_database(&settings).unwrap();
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 19, 30, 0).unwrap());
    (build_state(settings, clock, db).unwrap(), dir)
}
