//! Push fan-out: messages delivered to the local push service stand-in, with real VAPID
//! signatures and aes128gcm bodies. The stand-in verifies and decrypts every one on its
//! own threads in this process; the server's CPU time is counted on the others (`cpu`).

use std::time::Instant;

use diesel::connection::SimpleConnection;
use inbeeld::db::DbError;
use inbeeld::db::queries::push;
use inbeeld::push::deliver::deliver_due;
use inbeeld::state::AppState;

use crate::push_service::PushService;
use crate::{cpu, sql_time};

/// Queues one message for each of `messages` devices, then times their delivery to a
/// stand-in answering on `workers` threads.
pub async fn push_benchmark(state: &AppState, messages: usize, workers: usize) {
    let service = PushService::start_with(workers).await;
    let now = state.clock.now();
    let phones: Vec<serde_json::Value> = (0..messages)
        .map(|i| service.device(&format!("d{i}")).subscription_json(&service))
        .collect();
    // The set-up in one write; only the delivery below is timed.
    state
        .db
        .write_blocking(move |conn| -> Result<(), DbError> {
            conn.batch_execute(&format!(
                "INSERT INTO users (id, username, display_name, password_hash, role, active, created_at)
                 VALUES (2, 'bench.push', 'Bench', 'x', 'municipality', 1, '{}')",
                sql_time(now)
            ))?;
            for json in &phones {
                let id = push::subscribe(
                    conn,
                    2,
                    json["endpoint"].as_str().unwrap(),
                    json["keys"]["p256dh"].as_str().unwrap(),
                    json["keys"]["auth"].as_str().unwrap(),
                    None,
                    now,
                )?;
                let subscription = push::find(conn, id)?.unwrap();
                push::enqueue(
                    conn,
                    &subscription,
                    r#"{"title":"InBeeld","body":"1 cliënt al 14 dagen niet gezien","url":"/#/opvolging/1","tag":"inbeeld"}"#,
                    false,
                    now,
                )?;
            }
            Ok(())
        })
        .unwrap();
    let (threads_before, process_before) = (cpu::threads(), cpu::process());
    let started = Instant::now();
    let mut sent = 0;
    loop {
        let report = deliver_due(&state.db, &state.push, &state.clock)
            .await
            .unwrap();
        if report.sent + report.retried + report.failed + report.gone == 0 {
            break;
        }
        sent += report.sent;
    }
    let elapsed = started.elapsed();
    let (server, stand_in) = cpu::split(&threads_before, &cpu::threads());
    let process = cpu::process().saturating_sub(process_before);
    assert_eq!(service.delivered().len(), messages);
    let per_message = |d: std::time::Duration| d.as_secs_f64() * 1e6 / sent.max(1) as f64;
    println!(
        "\npush fan-out: {sent} messages to the local stand-in in {:.2} s = {:.0} messages/s \
         (concurrency {}, the stand-in on {workers} thread(s))\n\
         CPU: the server's threads {:.2} s = {:.0} µs per message; the stand-in's (verifying \
         and decrypting, on actix-server's threads) {:.2} s = {:.0} µs per message; the \
         process {:.2} s",
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64(),
        state.push.concurrency,
        server.as_secs_f64(),
        per_message(server),
        stand_in.as_secs_f64(),
        per_message(stand_in),
        process.as_secs_f64(),
    );
}
