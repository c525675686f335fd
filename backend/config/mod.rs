//! Typed settings, loaded once: built-in defaults < optional TOML file < `INBEELD_*`
//! environment variables. The defaults below are the single source for `--help` and README.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::caseload::Thresholds;
use crate::domain::referral::WaitDays;
use crate::domain::schedule::{CronSchedule, Schedules};

mod describe;
mod proxies;
mod push_hosts;
mod referral_waits;

pub use describe::describe_settings;
pub use proxies::TrustedProxies;
pub use push_hosts::PushHosts;
pub use referral_waits::ReferralWaitsByKind;

/// NEN 7513: an access log is kept at least five years. The database's own trigger refuses
/// to delete younger entries, whatever the setting says.
pub const AUDIT_RETENTION_MIN_YEARS: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub bind: String,
    pub database_url: String,
    pub data_dir: String,
    pub time_zone: String,
    pub public_origin: String,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub lock_minutes: u32,
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    pub login_lockout_minutes: u32,
    pub trusted_proxies: TrustedProxies,
    pub second_factor_required: bool,
    pub invitation_days: u32,
    pub backdate_max_days: u32,
    pub correction_window_hours: u32,
    pub followup_threshold_days: u32,
    pub followup_ack_days: u32,
    pub followup_escalation_days: u32,
    pub regular_care_threshold_days: u32,
    pub out_of_view_days: u32,
    pub registration_warning_days: u32,
    pub referral_wait_days: u32,
    pub referral_wait_days_by_kind: ReferralWaitsByKind,
    pub sweep_cron: CronSchedule,
    pub digest_cron: CronSchedule,
    pub shift_reminder_minutes: u32,
    pub retention_months: u32,
    pub signal_retention_months: u32,
    pub audit_retention_years: u32,
    pub vapid_subject: String,
    pub push_ttl_hours: u32,
    pub push_max_attempts: u32,
    pub push_timeout_seconds: u32,
    pub push_concurrency: u32,
    pub push_hosts: PushHosts,
    pub push_allow_loopback: bool,
    pub push_max_devices: u32,
    pub db_pool_size: u32,
    pub max_body_kb: u32,
    pub request_timeout_seconds: u32,
    pub log_format: String,
    pub metrics_token: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            bind: "127.0.0.1:8080".into(),
            database_url: String::new(),
            data_dir: "data".into(),
            time_zone: "Europe/Amsterdam".into(),
            public_origin: String::new(),
            session_idle_minutes: 8 * 60,
            session_absolute_hours: 24,
            lock_minutes: 10,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_lockout_minutes: 15,
            trusted_proxies: TrustedProxies::default(),
            second_factor_required: true,
            invitation_days: 7,
            backdate_max_days: 30,
            correction_window_hours: 24,
            followup_threshold_days: 14,
            followup_ack_days: 3,
            followup_escalation_days: 7,
            regular_care_threshold_days: 60,
            out_of_view_days: 90,
            registration_warning_days: 30,
            referral_wait_days: 42,
            referral_wait_days_by_kind: ReferralWaitsByKind::default(),
            sweep_cron: CronSchedule::parse("0 */15 * * * *")
                .unwrap_or_else(|_| CronSchedule::disabled()),
            digest_cron: CronSchedule::parse("0 0 9 * * *")
                .unwrap_or_else(|_| CronSchedule::disabled()),
            shift_reminder_minutes: 120,
            retention_months: 24,
            signal_retention_months: 12,
            audit_retention_years: AUDIT_RETENTION_MIN_YEARS,
            vapid_subject: "mailto:beheer@example.org".into(),
            push_ttl_hours: 24,
            push_max_attempts: 5,
            push_timeout_seconds: 10,
            push_concurrency: 16,
            push_hosts: PushHosts::default(),
            push_allow_loopback: false,
            push_max_devices: 10,
            db_pool_size: 8,
            max_body_kb: 64,
            request_timeout_seconds: DEFAULT_REQUEST_TIMEOUT_SECONDS,
            log_format: "text".into(),
            metrics_token: String::new(),
        }
    }
}

pub const ENV_PREFIX: &str = "INBEELD_";

/// Also what `http::deadline` allows when it runs without the app's settings.
pub const DEFAULT_REQUEST_TIMEOUT_SECONDS: u32 = 30;

impl Settings {
    /// Loads defaults, then `file` (if any), then the environment.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Settings> {
        let defaults = toml::Table::try_from(Settings::default())?;
        let mut merged = defaults.clone();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read config file {}", path.display()))?;
            let from_file: toml::Table = text
                .parse()
                .with_context(|| format!("config file {} is not valid TOML", path.display()))?;
            for (key, value) in from_file {
                if !defaults.contains_key(&key) {
                    bail!("unknown setting `{key}` in {}", path.display());
                }
                merged.insert(key, value);
            }
        }
        let env: Vec<(String, String)> = env.into_iter().collect();
        let plain_database_url = env.iter().find(|(k, _)| k == "DATABASE_URL");
        if let Some((_, url)) = plain_database_url {
            merged.insert("database_url".into(), toml::Value::String(url.clone()));
        }
        for (name, raw) in &env {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            let key = key.to_ascii_lowercase();
            if key == "config" {
                continue;
            }
            let Some(default) = defaults.get(&key) else {
                bail!("unknown setting in environment: {name}");
            };
            let value = match default {
                toml::Value::Integer(_) => toml::Value::Integer(
                    raw.trim()
                        .parse()
                        .with_context(|| format!("{name} must be a whole number"))?,
                ),
                toml::Value::Boolean(_) => toml::Value::Boolean(
                    raw.trim()
                        .parse()
                        .with_context(|| format!("{name} must be true or false"))?,
                ),
                _ => toml::Value::String(raw.clone()),
            };
            merged.insert(key, value);
        }
        let settings: Settings = merged.try_into().context("invalid settings")?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        self.zone()?;
        let positive = [
            ("session_idle_minutes", self.session_idle_minutes),
            ("session_absolute_hours", self.session_absolute_hours),
            ("lock_minutes", self.lock_minutes),
            (
                "login_failures_per_account",
                self.login_failures_per_account,
            ),
            (
                "login_failures_per_address",
                self.login_failures_per_address,
            ),
            ("login_lockout_minutes", self.login_lockout_minutes),
            ("followup_threshold_days", self.followup_threshold_days),
            ("followup_ack_days", self.followup_ack_days),
            ("out_of_view_days", self.out_of_view_days),
            ("retention_months", self.retention_months),
            ("signal_retention_months", self.signal_retention_months),
            ("push_ttl_hours", self.push_ttl_hours),
            ("push_max_attempts", self.push_max_attempts),
            ("push_timeout_seconds", self.push_timeout_seconds),
            ("push_concurrency", self.push_concurrency),
            ("push_max_devices", self.push_max_devices),
            ("db_pool_size", self.db_pool_size),
            ("max_body_kb", self.max_body_kb),
            ("request_timeout_seconds", self.request_timeout_seconds),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            bail!("setting {name} must be at least 1");
        }
        if self.lock_minutes > self.session_idle_minutes {
            bail!("setting lock_minutes must not exceed session_idle_minutes");
        }
        if !(AUDIT_RETENTION_MIN_YEARS..=100).contains(&self.audit_retention_years) {
            bail!(
                "setting audit_retention_years must be between {AUDIT_RETENTION_MIN_YEARS} and 100 (NEN 7513 asks for at least five years)"
            );
        }
        if !(1..=90).contains(&self.invitation_days) {
            bail!("setting invitation_days must be between 1 and 90");
        }
        if !(1..=365).contains(&self.regular_care_threshold_days) {
            bail!("setting regular_care_threshold_days must be between 1 and 365");
        }
        if !(1..=365).contains(&self.registration_warning_days) {
            bail!("setting registration_warning_days must be between 1 and 365");
        }
        if !(1..=WaitDays::MAX).contains(&self.referral_wait_days) {
            bail!(
                "setting referral_wait_days must be between 1 and {}",
                WaitDays::MAX
            );
        }
        if !(self.vapid_subject.starts_with("mailto:") || self.vapid_subject.starts_with("https:"))
        {
            bail!("setting vapid_subject must start with mailto: or https:");
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            bail!("setting log_format must be `text` or `json`");
        }
        Ok(())
    }

    /// The days without contact before an absence follow-up opens, by status.
    pub fn absence_thresholds(&self) -> Thresholds {
        Thresholds {
            default: i64::from(self.followup_threshold_days),
            regular_care: i64::from(self.regular_care_threshold_days),
        }
    }

    pub fn zone(&self) -> anyhow::Result<Tz> {
        self.time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("unknown time zone `{}`", self.time_zone))
    }

    /// The database URL in effect: the configured one, or the SQLite file in `data_dir`.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            self.sqlite_path().to_string_lossy().into_owned()
        } else {
            self.database_url.clone()
        }
    }

    pub fn sqlite_path(&self) -> PathBuf {
        Path::new(&self.data_dir).join("inbeeld.db")
    }

    /// How long each kind of referral may wait before her casemanagers get a follow-up.
    pub fn referral_waits(&self) -> WaitDays {
        self.referral_wait_days_by_kind
            .with_default(self.referral_wait_days)
    }

    /// When the sweep and the morning digest run.
    pub fn schedules(&self) -> Schedules {
        Schedules::new(&self.sweep_cron, &self.digest_cron)
    }

    /// Cookies get `Secure` when users reach InBeeld over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_origin.starts_with("https://")
    }

    /// The address a person opens to reach InBeeld listening on `port`: the public origin
    /// when one is set, else this machine by name (browsers offer passkeys to named sites
    /// only, so a loopback or wildcard address becomes `localhost`).
    pub fn address_to_open(&self, port: u16) -> String {
        if !self.public_origin.is_empty() {
            return self.public_origin.trim_end_matches('/').to_owned();
        }
        let host = match self.bind.rsplit_once(':') {
            Some((host, _)) => host.trim_start_matches('[').trim_end_matches(']'),
            None => self.bind.as_str(),
        };
        let host = match host {
            "" | "0.0.0.0" | "::" | "127.0.0.1" | "::1" => "localhost",
            named => named,
        };
        format!("http://{host}:{port}")
    }
}

#[cfg(test)]
mod tests;
