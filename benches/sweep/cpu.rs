//! CPU time per thread, read from Linux's /proc: the push benchmark charges the server
//! with its own threads only. The push service stand-in runs on actix-server's threads
//! (its acceptor and its worker), whose verification and decryption a real push service
//! does on its own machines.

use std::collections::HashMap;
use std::time::Duration;

/// The CPU time so far of every live thread of this process, with its name, by thread id.
pub struct Threads(HashMap<u32, (String, Duration)>);

/// Reads every thread's `schedstat` (its first figure is the nanoseconds it ran).
pub fn threads() -> Threads {
    let mut threads = HashMap::new();
    for entry in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let Some(id) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let read = |file: &str| std::fs::read_to_string(entry.path().join(file)).ok();
        let ran = read("schedstat")
            .and_then(|s| s.split_whitespace().next().and_then(|ns| ns.parse().ok()));
        if let Some(ns) = ran {
            let name = read("comm").unwrap_or_default().trim_end().to_owned();
            threads.insert(id, (name, Duration::from_nanos(ns)));
        }
    }
    Threads(threads)
}

/// Whether a thread (by its name, which Linux cuts to 15 bytes) is the stand-in's.
fn is_stand_in(name: &str) -> bool {
    name.starts_with("actix-server")
}

/// What the threads ran between `before` and `after`: (the server's, the stand-in's).
/// A thread that ended in between is missing from both; `process` counts it.
pub fn split(before: &Threads, after: &Threads) -> (Duration, Duration) {
    let (mut server, mut stand_in) = (Duration::ZERO, Duration::ZERO);
    for (id, (name, ran)) in &after.0 {
        let earlier = before.0.get(id).map_or(Duration::ZERO, |(_, ran)| *ran);
        let spent = ran.saturating_sub(earlier);
        if is_stand_in(name) {
            stand_in += spent;
        } else {
            server += spent;
        }
    }
    (server, stand_in)
}

/// The whole process's CPU time, user and system, ended threads included (`/proc/self/stat`
/// counts it in ticks of 1/100 s, Linux's `USER_HZ`).
pub fn process() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis: utime and stime are the 12th
    // and 13th of them.
    let fields: Vec<u64> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}
