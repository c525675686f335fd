//! The load benchmark's figures: sizes from the environment, latencies per kind of
//! request, percentiles and the printed line per kind.

use std::time::Duration;

pub fn size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
pub struct Latencies {
    pub writes: Vec<Duration>,
    pub lists: Vec<Duration>,
    pub pages: Vec<Duration>,
    pub errors: u64,
}

impl Latencies {
    pub fn add(&mut self, other: Latencies) {
        self.writes.extend(other.writes);
        self.lists.extend(other.lists);
        self.pages.extend(other.pages);
        self.errors += other.errors;
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

pub fn report(name: &str, mut samples: Vec<Duration>, seconds: f64) -> f64 {
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

/// The peak resident memory (VmHWM) of the process `pid`, or of this one (`None`), from
/// Linux's /proc.
pub fn peak_resident_mb(pid: Option<u32>) -> Option<f64> {
    status_mb(pid, "VmHWM:")
}

/// The resident memory (VmRSS) of the process `pid`, or of this one (`None`), now.
pub fn resident_mb(pid: Option<u32>) -> Option<f64> {
    status_mb(pid, "VmRSS:")
}

fn status_mb(pid: Option<u32>, field: &str) -> Option<f64> {
    let process = pid.map_or_else(|| "self".to_owned(), |pid| pid.to_string());
    let status = std::fs::read_to_string(format!("/proc/{process}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
