//! Signals (signalering): what a worker noticed at the zone and the team passes on to the
//! police and supervisors. Their kinds, the coordinator's triage statuses, to whom and
//! how a signal is handed off, and how long its text is kept once it is closed.

use chrono::{Months, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Invalid;
use super::code::Code;

/// What was noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// A woman not seen at the zone before (the trend the municipality asks about).
    NewFace,
    Violence,
    /// A customer who is a danger to the women.
    DangerousCustomer,
    /// Signs of exploitation or human trafficking; the indicator checklist applies.
    Trafficking,
    HealthConcern,
    OtherTrend,
}

impl Code for SignalKind {
    const ALL: &'static [Self] = &[
        Self::NewFace,
        Self::Violence,
        Self::DangerousCustomer,
        Self::Trafficking,
        Self::HealthConcern,
        Self::OtherTrend,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::NewFace => "new_face",
            Self::Violence => "violence",
            Self::DangerousCustomer => "dangerous_customer",
            Self::Trafficking => "trafficking",
            Self::HealthConcern => "health_concern",
            Self::OtherTrend => "other_trend",
        }
    }
}

/// Where the coordinator's triage stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignalStatus {
    New,
    Assessed,
    PassedOn,
    Closed,
}

impl Code for SignalStatus {
    const ALL: &'static [Self] = &[Self::New, Self::Assessed, Self::PassedOn, Self::Closed];

    fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Assessed => "assessed",
            Self::PassedOn => "passed_on",
            Self::Closed => "closed",
        }
    }
}

impl SignalStatus {
    /// The status after a hand-off is recorded: a signal handed off is passed on, unless
    /// the coordinator closed it already (a hand-off recorded afterwards does not reopen it).
    pub fn after_handoff(self) -> SignalStatus {
        match self {
            Self::Closed => Self::Closed,
            _ => Self::PassedOn,
        }
    }
}

/// To whom a signal is passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Police,
    /// The region's human-trafficking coordinator.
    TraffickingCoordinator,
    /// The national coordination centre against human trafficking.
    Comensha,
    Supervisor,
    Partner,
}

impl Code for Recipient {
    const ALL: &'static [Self] = &[
        Self::Police,
        Self::TraffickingCoordinator,
        Self::Comensha,
        Self::Supervisor,
        Self::Partner,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Police => "police",
            Self::TraffickingCoordinator => "trafficking_coordinator",
            Self::Comensha => "comensha",
            Self::Supervisor => "supervisor",
            Self::Partner => "partner",
        }
    }
}

/// How a signal was passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffMethod {
    Phone,
    Email,
    InPerson,
    /// In a case meeting or another consultation.
    Meeting,
    Other,
}

impl Code for HandoffMethod {
    const ALL: &'static [Self] = &[
        Self::Phone,
        Self::Email,
        Self::InPerson,
        Self::Meeting,
        Self::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Email => "email",
            Self::InPerson => "in_person",
            Self::Meeting => "meeting",
            Self::Other => "other",
        }
    }
}

/// The trafficking indicators a new team starts with; its coordinator edits the list.
pub const DEFAULT_INDICATORS: [&str; 5] = [
    "Iemand anders beheert haar geld of papieren",
    "Ze wordt gebracht en gehaald",
    "Ze heeft een schuld bij iemand",
    "Ze weet niet waar ze is of kan niet voor zichzelf spreken",
    "Tekenen van controle, angst of letsel",
];

/// How far back a signal may be dated: noticed on a shift, written down within the year.
pub const BACKDATE_MAX_DAYS: i64 = 365;

/// When the signal happened, checked against `now`: not in the future (a phone's clock
/// may run a few minutes ahead), not more than `BACKDATE_MAX_DAYS` ago.
pub fn occurred_at(at: NaiveDateTime, now: NaiveDateTime) -> Result<NaiveDateTime, Invalid> {
    if at > now + TimeDelta::minutes(5) {
        return Err(Invalid::new(
            "occurred_at_in_future",
            "occurred_at lies in the future.",
        ));
    }
    if at < now - TimeDelta::days(BACKDATE_MAX_DAYS) {
        return Err(Invalid::new(
            "occurred_at_too_old",
            format!("occurred_at may lie at most {BACKDATE_MAX_DAYS} days back."),
        ));
    }
    Ok(at)
}

/// Indicators belong to signs of trafficking only.
pub fn check_indicators(kind: SignalKind, count: usize) -> Result<(), Invalid> {
    if count > 0 && kind != SignalKind::Trafficking {
        return Err(Invalid::new(
            "indicators_not_allowed",
            "Indicators belong to a signal of trafficking only.",
        ));
    }
    Ok(())
}

/// A warning (pushed at once to everyone on tonight's shifts) is for an acute danger at
/// the zone: violence, or a dangerous customer there now. Other kinds are for triage.
pub fn check_warning(kind: SignalKind, warning: bool) -> Result<(), Invalid> {
    if warning && !matches!(kind, SignalKind::Violence | SignalKind::DangerousCustomer) {
        return Err(Invalid::new(
            "warning_not_for_kind",
            "Only a signal of violence or a dangerous customer can be sent as a warning.",
        ));
    }
    Ok(())
}

/// Signals closed before this wall time have their text erased: `months` after closing,
/// counted on the local calendar (`now` is local wall time too).
pub fn text_kept_after(now: NaiveDateTime, months: u32) -> NaiveDateTime {
    now.checked_sub_months(Months::new(months)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::utc;

    #[test]
    fn codes_are_stable_and_round_trip() {
        assert_eq!(SignalKind::from_code("new_face"), Some(SignalKind::NewFace));
        assert_eq!(SignalKind::from_code("trafficing"), None);
        assert_eq!(SignalStatus::PassedOn.as_str(), "passed_on");
        assert_eq!(
            Recipient::from_code("trafficking_coordinator"),
            Some(Recipient::TraffickingCoordinator)
        );
        assert_eq!(HandoffMethod::InPerson.as_str(), "in_person");
    }

    #[test]
    fn a_handoff_passes_a_signal_on_but_never_reopens_it() {
        assert_eq!(SignalStatus::New.after_handoff(), SignalStatus::PassedOn);
        assert_eq!(
            SignalStatus::Assessed.after_handoff(),
            SignalStatus::PassedOn
        );
        assert_eq!(SignalStatus::Closed.after_handoff(), SignalStatus::Closed);
    }

    #[test]
    fn a_signal_is_dated_within_the_year_and_not_ahead() {
        let now = utc("2026-11-30T21:00");
        assert!(occurred_at(utc("2026-11-30T21:04"), now).is_ok());
        assert_eq!(
            occurred_at(utc("2026-11-30T21:06"), now).unwrap_err().code,
            "occurred_at_in_future"
        );
        assert!(occurred_at(utc("2025-11-30T21:00"), now).is_ok());
        assert_eq!(
            occurred_at(utc("2025-11-30T20:59"), now).unwrap_err().code,
            "occurred_at_too_old"
        );
    }

    #[test]
    fn only_trafficking_takes_indicators() {
        assert!(check_indicators(SignalKind::Trafficking, 3).is_ok());
        assert!(check_indicators(SignalKind::Violence, 0).is_ok());
        assert!(check_indicators(SignalKind::Violence, 1).is_err());
    }

    #[test]
    fn only_an_acute_danger_is_a_warning() {
        assert!(check_warning(SignalKind::Violence, true).is_ok());
        assert!(check_warning(SignalKind::DangerousCustomer, true).is_ok());
        assert!(check_warning(SignalKind::NewFace, false).is_ok());
        for kind in [
            SignalKind::NewFace,
            SignalKind::Trafficking,
            SignalKind::HealthConcern,
            SignalKind::OtherTrend,
        ] {
            assert_eq!(
                check_warning(kind, true).unwrap_err().code,
                "warning_not_for_kind"
            );
        }
    }

    #[test]
    fn text_is_kept_the_configured_months_after_closing() {
        let now = utc("2027-11-30T03:00");
        assert_eq!(text_kept_after(now, 12), utc("2026-11-30T03:00"));
        // The end of a longer month falls back to the last day of the shorter one.
        assert_eq!(
            text_kept_after(utc("2027-03-31T03:00"), 1),
            utc("2027-02-28T03:00")
        );
    }
}
