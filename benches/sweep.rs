//! The follow-up sweep and push fan-out at scale (a benchmark, not a test):
//!
//!     cargo bench --bench sweep
//!
//! 1. 100,000 clients on SQLite; the sweep is timed with 1,000,000 and then 10,000,000
//!    contacts behind the same clients and the same overdue set (1 % of clients), once
//!    opening follow-ups and once as the steady-state sweep that finds nothing new. Its
//!    time should grow neither with the contacts nor with the clients: each step reads
//!    only what is due (`clients.absence_due_at` and the other due moments), so the same
//!    sweep at 1,000 clients (100 contacts each, on a database of its own) is timed first,
//!    for the ratio, and each step's time is printed. Both hold the rest of the casework
//!    the sweep looks at in the same proportions (registrations, assessments, closed
//!    files, referrals, her plan's actions, case-meeting decisions, the follow-ups of the
//!    past), none of it newly due.
//! 2. A cold start of the server binary on the 100,000 clients' database, to `/readyz`.
//! 3. 10,000 push messages delivered to the local push service stand-in (real VAPID and
//!    aes128gcm on both sides, in this one process), in messages per second, with the CPU
//!    time per message of the server's threads and of the stand-in's apart.
//!
//! Sizes: BENCH_CLIENTS, BENCH_CONTACTS, BENCH_SMALL_CLIENTS, BENCH_PUSH environment
//! variables; BENCH_PUSH_CONCURRENCY for the messages in flight (`push_concurrency`),
//! BENCH_PUSH_SERVICE_THREADS for the stand-in's worker threads (default 1);
//! BENCH_ONLY_PUSH=1 runs the push fan-out alone.

#[path = "sweep/casework.rs"]
mod casework;
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

/// The time of each step of a sweep, in the order they ran.
type Steps = Vec<(&'static str, Duration)>;

async fn timed_sweep(state: &AppState) -> (Duration, usize, Steps) {
    let started = Instant::now();
    let report = sweep::run(state).await.unwrap();
    (started.elapsed(), report.opened, report.steps)
}

/// The median of 21 sweeps that find nothing new (what runs every quarter hour), with
/// the steps of that sweep.
async fn steady_sweep(state: &AppState) -> (Duration, Steps) {
    let mut runs = Vec::new();
    for _ in 0..21 {
        let (took, _, steps) = timed_sweep(state).await;
        runs.push((took, steps));
    }
    runs.sort_by_key(|run| run.0);
    runs.swap_remove(10)
}

/// Each step's time in the steady-state sweep at the small and the large size, and in the
/// sweep opening the follow-ups at the large size, side by side.
fn print_steps(small: &Steps, large: &Steps, opening: &Steps) {
    println!("\n| step | steady, small | steady, large | opening, large |");
    println!("| --- | ---: | ---: | ---: |");
    let ms = |took: &Duration| took.as_secs_f64() * 1e3;
    for (((name, a), (_, b)), (_, c)) in small.iter().zip(large).zip(opening) {
        println!(
            "| {name} | {:.3} ms | {:.3} ms | {:.1} ms |",
            ms(a),
            ms(b),
            ms(c)
        );
    }
}

/// Times the sweep at `clients` clients; returns its last steady-state time and steps, and
/// the steps of the last sweep that opened the follow-ups.
async fn sweep_benchmark(
    state: &AppState,
    clients: usize,
    contacts: usize,
) -> (Duration, Steps, Steps) {
    let now = state.clock.now();
    let (db, rules) = (&state.db, state.absence_rules());
    let started = Instant::now();
    insert_clients(db, clients, now);
    casework::insert(db, now);
    let first = 1_000_000.min(contacts).max(clients);
    insert_contacts(db, clients, first / clients, now, false, rules);
    println!(
        "setup: {clients} clients, {} contacts in {:.1} s",
        count(db, "contacts"),
        started.elapsed().as_secs_f64()
    );
    let mut rounds = vec![(count(db, "contacts"), Duration::ZERO, Duration::ZERO, 0)];
    let (opening, opened, mut opening_steps) = timed_sweep(state).await;
    let (steady, mut steps) = steady_sweep(state).await;
    rounds[0] = (rounds[0].0, opening, steady, opened);
    if contacts > first {
        // What the sweeps opened goes; the casework's follow-ups of the past stay.
        db.write_blocking(move |conn| {
            Ok::<_, DbError>(conn.batch_execute(&format!(
                "DELETE FROM notifications;
                 DELETE FROM followup_events WHERE followup_id IN
                     (SELECT id FROM followups WHERE created_at >= '{now}');
                 DELETE FROM followups WHERE created_at >= '{now}';",
                now = sql_time(now)
            ))?)
        })
        .unwrap();
        let started = Instant::now();
        insert_contacts(db, clients, (contacts - first) / clients, now, true, rules);
        println!(
            "setup: grew to {} contacts in {:.1} s",
            count(db, "contacts"),
            started.elapsed().as_secs_f64()
        );
        let (opening, opened, last_opening) = timed_sweep(state).await;
        let (steady, last_steps) = steady_sweep(state).await;
        (steps, opening_steps) = (last_steps, last_opening);
        rounds.push((count(db, "contacts"), opening, steady, opened));
    }
    println!(
        "\n| contacts | clients | follow-ups opened | sweep opening them | steady-state sweep (median of 21) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for (contacts, opening, steady, opened) in &rounds {
        println!(
            "| {contacts} | {clients} | {opened} | {:.0} ms | {:.2} ms |",
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
    let steady = rounds.last().map_or(Duration::ZERO, |round| round.2);
    (steady, steps, opening_steps)
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
    let (steady_small, steps_small, _) =
        sweep_benchmark(&small_state, small, small * per_client).await;
    let (state, dir) = bench_state();
    let (steady, steps, opening) = sweep_benchmark(&state, clients, contacts).await;
    print_steps(&steps_small, &steps, &opening);
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
        // Set by the build script for the browser test; the server refuses settings it
        // does not know.
        .env_remove("INBEELD_CHROMIUM")
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
