//! A contact (visit): one client seen, or a count of anonymous visitors.

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Invalid;
use super::code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Visit,
    SeenAtZone,
    Outreach,
    Phone,
    HomeVisit,
    Appointment,
}

impl ContactKind {
    /// A visit or a sighting happens at a location; the rest may happen outside a shift,
    /// keeping her in view without counting as a visit to a location.
    pub fn needs_location(self) -> bool {
        matches!(self, Self::Visit | Self::SeenAtZone)
    }
}

impl Code for ContactKind {
    const ALL: &'static [Self] = &[
        Self::Visit,
        Self::SeenAtZone,
        Self::Outreach,
        Self::Phone,
        Self::HomeVisit,
        Self::Appointment,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::SeenAtZone => "seen_at_zone",
            Self::Outreach => "outreach",
            Self::Phone => "phone",
            Self::HomeVisit => "home_visit",
            Self::Appointment => "appointment",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Condoms,
    NeedleExchange,
    Information,
    StiCheck,
    Contraception,
    Meal,
    Conversation,
}

impl Code for Service {
    const ALL: &'static [Self] = &[
        Self::Condoms,
        Self::NeedleExchange,
        Self::Information,
        Self::StiCheck,
        Self::Contraception,
        Self::Meal,
        Self::Conversation,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Condoms => "condoms",
            Self::NeedleExchange => "needle_exchange",
            Self::Information => "information",
            Self::StiCheck => "sti_check",
            Self::Contraception => "contraception",
            Self::Meal => "meal",
            Self::Conversation => "conversation",
        }
    }
}

/// Services are stored as one comma-separated, de-duplicated, ordered text column.
pub fn services_to_stored(services: &[Service]) -> String {
    Service::ALL
        .iter()
        .filter(|s| services.contains(s))
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn services_from_stored(stored: &str) -> anyhow::Result<Vec<Service>> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(Service::from_stored)
        .collect()
}

/// How many anonymous visitors one entry may count (a busy evening, not a typo of 1000).
pub const MAX_ANONYMOUS_COUNT: i64 = 100;

pub fn anonymous_count(count: i64) -> Result<i32, Invalid> {
    if (1..=MAX_ANONYMOUS_COUNT).contains(&count) {
        Ok(count as i32)
    } else {
        Err(Invalid::new(
            "validation_failed",
            format!("anonymous_count must be between 1 and {MAX_ANONYMOUS_COUNT}."),
        ))
    }
}

/// Phones' clocks drift; a contact stamped this far ahead of the server still counts as now.
pub const CLOCK_SKEW_ALLOWANCE: TimeDelta = TimeDelta::seconds(120);

/// A contact may be entered late, up to `max_back_days`, but never dated in the future.
pub fn check_seen_at(
    seen_at: NaiveDateTime,
    now: NaiveDateTime,
    max_back_days: u32,
) -> Result<(), Invalid> {
    if seen_at > now + CLOCK_SKEW_ALLOWANCE {
        return Err(Invalid::new(
            "seen_at_in_future",
            "seen_at lies in the future; a contact can only be recorded once it happened.",
        ));
    }
    if seen_at < now - TimeDelta::days(i64::from(max_back_days)) {
        return Err(Invalid::new(
            "seen_at_too_old",
            format!(
                "seen_at is more than {max_back_days} days ago; late entries are accepted up to {max_back_days} days back."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
    }

    #[test]
    fn seen_at_window() {
        let now = t("2026-11-23T21:00");
        assert!(check_seen_at(now, now, 30).is_ok());
        assert!(check_seen_at(t("2026-10-24T21:00"), now, 30).is_ok());
        assert_eq!(
            check_seen_at(t("2026-10-24T20:59"), now, 30)
                .unwrap_err()
                .code,
            "seen_at_too_old"
        );
        assert_eq!(
            check_seen_at(t("2026-11-23T21:05"), now, 30)
                .unwrap_err()
                .code,
            "seen_at_in_future"
        );
    }

    #[test]
    fn services_are_stored_in_a_fixed_order_without_duplicates() {
        let stored = services_to_stored(&[Service::Meal, Service::Condoms, Service::Meal]);
        assert_eq!(stored, "condoms,meal");
        assert_eq!(
            services_from_stored(&stored).unwrap(),
            vec![Service::Condoms, Service::Meal]
        );
        assert_eq!(services_from_stored("").unwrap(), vec![]);
    }
}
