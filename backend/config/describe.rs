//! What each setting means, for `inbeeld --help` (and the README's table).

use super::{ENV_PREFIX, Settings};

/// What each setting means; `describe_settings` and a test keep this in step with the fields.
pub(super) const DESCRIPTIONS: &[(&str, &str)] = &[
    ("bind", "Address and port the server listens on."),
    (
        "database_url",
        "postgres://... for PostgreSQL; empty means the SQLite file <data_dir>/inbeeld.db. DATABASE_URL is read too.",
    ),
    (
        "data_dir",
        "Folder for the SQLite database, and for first-admin-password.txt (the first start's admin password).",
    ),
    (
        "time_zone",
        "IANA zone in which shifts and dates are entered and shown.",
    ),
    (
        "public_origin",
        "The origin users reach InBeeld at (https://... behind a proxy); https turns on Secure cookies.",
    ),
    (
        "session_idle_minutes",
        "A session ends after this long without requests (covers a whole evening shift).",
    ),
    (
        "session_absolute_hours",
        "A session ends this long after sign-in, however active.",
    ),
    (
        "lock_minutes",
        "After this long without use the app locks (its offline store too): unlock with the device PIN or sign in again. At most session_idle_minutes.",
    ),
    (
        "login_failures_per_account",
        "Failed sign-ins per account within the lockout window before it is locked.",
    ),
    (
        "login_failures_per_address",
        "Failed sign-ins per network address within the lockout window before it is locked.",
    ),
    (
        "login_lockout_minutes",
        "Length of the sign-in throttling window.",
    ),
    (
        "trusted_proxies",
        "Reverse proxies whose X-Forwarded-For is believed (comma-separated IP addresses, e.g. 127.0.0.1 behind a local Caddy); empty believes nobody.",
    ),
    (
        "second_factor_required",
        "Sessions reach nothing but the second-factor screens until a code (TOTP) is given; turn off only for demos and local development (the server warns).",
    ),
    (
        "invitation_days",
        "Days a one-time start password or an invitation link works (1 to 90); used, it works no more.",
    ),
    (
        "backdate_max_days",
        "How far back a late contact entry may be dated.",
    ),
    (
        "correction_window_hours",
        "How long the recorder may correct or delete a contact.",
    ),
    (
        "followup_threshold_days",
        "Days without contact before a client counts as out of view (per-client override possible).",
    ),
    (
        "followup_ack_days",
        "Days a follow-up may stay unacknowledged before the coordinator is told.",
    ),
    (
        "followup_escalation_days",
        "Further days an open follow-up waits before it goes to the process director.",
    ),
    (
        "regular_care_threshold_days",
        "Days without contact before a client in regular care gets a follow-up, which goes to the team's coordinators (1 to 365; per-client override).",
    ),
    (
        "out_of_view_days",
        "Days without a named contact (or since her intake) after which an open client counts as out of view in her file, the list and the figures.",
    ),
    (
        "registration_warning_days",
        "Days before a registration expires that her casemanagers get a follow-up (1 to 365).",
    ),
    (
        "referral_wait_days",
        "Days a referral may wait (requested, not started or ended) before her casemanagers get a follow-up (1 to 3650).",
    ),
    (
        "referral_wait_days_by_kind",
        "Other waiting periods per referral kind, as kind:days separated by commas (e.g. housing_application:180, sheltered_housing:120); empty: referral_wait_days for all.",
    ),
    (
        "sweep_cron",
        "When the follow-up sweep runs (cron with seconds, local time); empty disables it.",
    ),
    (
        "digest_cron",
        "When the morning digest goes out (cron with seconds, local time); empty disables it.",
    ),
    (
        "shift_reminder_minutes",
        "How long before a shift its staff get a reminder push (sent by the sweep, so up to one sweep interval later); 0 disables.",
    ),
    (
        "retention_months",
        "Months after her exit date a closed client's personal data is erased (checked with every sweep).",
    ),
    (
        "signal_retention_months",
        "Months after closing a signal its text, description, indicators and hand-off names are erased; its kind, time and location stay countable (checked with every sweep).",
    ),
    (
        "audit_retention_years",
        "Years the audit trail keeps an entry before the sweep deletes it (at least 5, NEN 7513; the database refuses younger deletions).",
    ),
    (
        "vapid_subject",
        "Contact in VAPID signatures (mailto: or https:); push services may refuse a fake one.",
    ),
    (
        "push_ttl_hours",
        "How long a push service keeps an undelivered message.",
    ),
    (
        "push_max_attempts",
        "Delivery attempts per message before it is given up (429 and 5xx are retried).",
    ),
    (
        "push_timeout_seconds",
        "Time limit for one request to a push service.",
    ),
    ("push_concurrency", "Push requests in flight at once."),
    (
        "push_hosts",
        "Push services a device may register at (comma-separated host names; each covers the hosts under it): by default those of Chrome, Firefox, Safari and Edge. An endpoint elsewhere is refused, and nothing is sent to one stored before.",
    ),
    (
        "push_allow_loopback",
        "Also accept endpoints on this machine (127.0.0.1, ::1, localhost; http allowed): for tests and local development only.",
    ),
    (
        "push_max_devices",
        "Devices per account that may receive notifications (one more is refused).",
    ),
    ("db_pool_size", "Database connections in the pool."),
    ("max_body_kb", "Largest accepted JSON request body, in KiB."),
    (
        "request_timeout_seconds",
        "Time a client has to send its request head, and then the whole request: a slow or stalled client gets 408.",
    ),
    ("log_format", "text or json."),
    (
        "metrics_token",
        "Bearer token a Prometheus scraper sends for /metrics; empty means only this machine (loopback) may read it.",
    ),
];

/// The settings table shown by `inbeeld --help`: environment variable, default, meaning.
pub fn describe_settings() -> String {
    let defaults = toml::Table::try_from(Settings::default()).unwrap_or_default();
    let mut out = String::from(
        "Settings (defaults < TOML file given by --config or INBEELD_CONFIG < environment):\n",
    );
    for (key, meaning) in DESCRIPTIONS {
        let default = match defaults.get(*key) {
            Some(toml::Value::String(s)) if s.is_empty() => "(empty)".to_owned(),
            Some(toml::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        out.push_str(&format!(
            "  {ENV_PREFIX}{:<28} default {default}\n      {meaning}\n",
            key.to_ascii_uppercase()
        ));
    }
    out
}
