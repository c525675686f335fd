//! Prometheus metrics at `/metrics`: requests and their latency per route, sweeps with
//! their duration and outcome, push deliveries by outcome, and push messages waiting for a
//! retry. Kept by hand in a few maps (no client library): the text format is simple and
//! this is all we count. Labels are route patterns and outcomes, never anything a user
//! typed.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::domain::sweep::SweepReport;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default, Clone)]
struct Histogram {
    /// Cumulative counts per bucket of `BUCKETS`.
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bucket, bound) in self.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }

    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {bucket}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

#[derive(Default)]
struct Counts {
    /// (method, route pattern, status) -> requests and their latency.
    requests: BTreeMap<(String, String, u16), Histogram>,
    /// "ok" or "error" -> sweeps and their duration.
    sweeps: BTreeMap<&'static str, Histogram>,
    /// Push delivery outcome -> messages.
    deliveries: BTreeMap<&'static str, u64>,
    /// What the sweeps did, by step.
    sweep_steps: BTreeMap<&'static str, u64>,
}

#[derive(Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Counts) -> T) -> T {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut counts)
    }

    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.with(|c| {
            c.requests
                .entry((method.to_owned(), route.to_owned(), status))
                .or_default()
                .observe(took.as_secs_f64());
        });
    }

    pub fn sweep(&self, report: Option<&SweepReport>, took: Duration) {
        self.with(|c| {
            let outcome = if report.is_some() { "ok" } else { "error" };
            c.sweeps
                .entry(outcome)
                .or_default()
                .observe(took.as_secs_f64());
            let Some(report) = report else { return };
            let delivery = &report.delivery;
            for (outcome, n) in [
                ("sent", delivery.sent),
                ("retried", delivery.retried),
                ("failed", delivery.failed),
                ("gone", delivery.gone),
            ] {
                *c.deliveries.entry(outcome).or_default() += n as u64;
            }
            for (step, n) in [
                ("opened", report.opened),
                ("notified", report.notified),
                ("escalated_to_coordinator", report.escalated_to_coordinator),
                (
                    "escalated_to_process_director",
                    report.escalated_to_process_director,
                ),
                ("digests", report.digests),
                ("shift_reminders", report.shift_reminders),
                ("withdrawn", report.withdrawn),
                ("dispatched", report.dispatched),
            ] {
                *c.sweep_steps.entry(step).or_default() += n as u64;
            }
        });
    }

    /// The Prometheus text exposition; `pending_retries` is read from the database by the
    /// caller at scrape time.
    pub fn render(&self, pending_retries: i64) -> String {
        let mut out = String::new();
        self.with(|c| {
            out.push_str("# HELP inbeeld_http_request_duration_seconds Requests by route pattern and status.\n");
            out.push_str("# TYPE inbeeld_http_request_duration_seconds histogram\n");
            for ((method, route, status), histogram) in &c.requests {
                let labels = format!("method=\"{method}\",route=\"{route}\",status=\"{status}\"");
                histogram.write(&mut out, "inbeeld_http_request_duration_seconds", &labels);
            }
            out.push_str("# HELP inbeeld_sweep_duration_seconds Follow-up sweeps by outcome.\n");
            out.push_str("# TYPE inbeeld_sweep_duration_seconds histogram\n");
            for (outcome, histogram) in &c.sweeps {
                let labels = format!("outcome=\"{outcome}\"");
                histogram.write(&mut out, "inbeeld_sweep_duration_seconds", &labels);
            }
            out.push_str("# HELP inbeeld_sweep_steps_total What the sweeps did, by step.\n");
            out.push_str("# TYPE inbeeld_sweep_steps_total counter\n");
            for (step, n) in &c.sweep_steps {
                let _ = writeln!(out, "inbeeld_sweep_steps_total{{step=\"{step}\"}} {n}");
            }
            out.push_str("# HELP inbeeld_push_deliveries_total Push messages by delivery outcome.\n");
            out.push_str("# TYPE inbeeld_push_deliveries_total counter\n");
            for (outcome, n) in &c.deliveries {
                let _ = writeln!(
                    out,
                    "inbeeld_push_deliveries_total{{outcome=\"{outcome}\"}} {n}"
                );
            }
        });
        out.push_str("# HELP inbeeld_push_pending Push messages waiting to be sent or retried.\n");
        out.push_str("# TYPE inbeeld_push_pending gauge\n");
        let _ = writeln!(out, "inbeeld_push_pending {pending_retries}");
        out
    }
}

/// Who may read `/metrics`: with a token configured, whoever sends it as a bearer token;
/// without one, only the machine itself (a scraper on localhost).
pub fn may_scrape(peer: Option<IpAddr>, authorization: Option<&str>, token: &str) -> bool {
    if token.is_empty() {
        return peer.is_some_and(|ip| ip.is_loopback());
    }
    authorization
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_a_token_and_only_the_token_with_one() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let remote: IpAddr = "192.0.2.7".parse().unwrap();
        assert!(may_scrape(Some(local), None, ""));
        assert!(!may_scrape(Some(remote), None, ""));
        assert!(!may_scrape(None, None, ""));
        assert!(may_scrape(Some(remote), Some("Bearer s3cret"), "s3cret"));
        assert!(!may_scrape(Some(local), None, "s3cret"));
        assert!(!may_scrape(Some(local), Some("Bearer wrong!"), "s3cret"));
    }

    #[test]
    fn histograms_are_cumulative() {
        let metrics = Metrics::default();
        metrics.request("GET", "/api/v1/me", 200, Duration::from_millis(3));
        metrics.request("GET", "/api/v1/me", 200, Duration::from_millis(30));
        let text = metrics.render(0);
        assert!(text.contains(
            "inbeeld_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",status=\"200\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "inbeeld_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/me\",status=\"200\",le=\"0.05\"} 2"
        ));
        assert!(text.contains(
            "inbeeld_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/me\",status=\"200\"} 2"
        ));
    }
}
