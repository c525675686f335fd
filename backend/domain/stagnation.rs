//! Stagnation (a stalled case): the coordinator or her casemanager escalates a client's
//! case, not a single follow-up, to the process director of the Zorg- en Veiligheidshuis,
//! with its kind and a reason. She answers with an agreed action (its owner, a date) or
//! closes it with an outcome. Each step is an event on its timeline.

use chrono::NaiveDate;

use super::code::Code;
use super::{Invalid, text};

pub const REASON_MAX: usize = 500;
pub const OWNER_MAX: usize = 80;

/// Where the case is stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StagnationKind {
    Housing,
    /// A waiting list for care.
    CareWaitingList,
    /// She avoids or refuses care.
    CareAvoidance,
    Safety,
    Money,
    Justice,
    Other,
}

impl Code for StagnationKind {
    const ALL: &'static [StagnationKind] = &[
        StagnationKind::Housing,
        StagnationKind::CareWaitingList,
        StagnationKind::CareAvoidance,
        StagnationKind::Safety,
        StagnationKind::Money,
        StagnationKind::Justice,
        StagnationKind::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            StagnationKind::Housing => "housing",
            StagnationKind::CareWaitingList => "care_waiting_list",
            StagnationKind::CareAvoidance => "care_avoidance",
            StagnationKind::Safety => "safety",
            StagnationKind::Money => "money",
            StagnationKind::Justice => "justice",
            StagnationKind::Other => "other",
        }
    }
}

/// Where a stagnation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagnationStatus {
    /// Reported, not answered yet.
    Open,
    /// An action is agreed; it stays with the process director until she closes it.
    Answered,
    Closed,
}

impl StagnationStatus {
    pub const NOT_CLOSED: [StagnationStatus; 2] =
        [StagnationStatus::Open, StagnationStatus::Answered];

    /// The stored codes of `statuses`, for a query's `IN (...)`.
    pub fn codes(statuses: &[StagnationStatus]) -> Vec<&'static str> {
        statuses.iter().map(|s| s.as_str()).collect()
    }
}

impl Code for StagnationStatus {
    const ALL: &'static [StagnationStatus] = &[
        StagnationStatus::Open,
        StagnationStatus::Answered,
        StagnationStatus::Closed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            StagnationStatus::Open => "open",
            StagnationStatus::Answered => "answered",
            StagnationStatus::Closed => "closed",
        }
    }
}

/// A step on a stagnation's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StagnationEvent {
    /// Escalated, with the reason as detail.
    Reported,
    /// An action agreed: the action as detail, with its owner and date.
    Answered,
    /// Closed, with the outcome as detail.
    Closed,
}

impl Code for StagnationEvent {
    const ALL: &'static [StagnationEvent] = &[
        StagnationEvent::Reported,
        StagnationEvent::Answered,
        StagnationEvent::Closed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            StagnationEvent::Reported => "reported",
            StagnationEvent::Answered => "answered",
            StagnationEvent::Closed => "closed",
        }
    }
}

/// What the process director agrees: an action, who carries it out (a team member or a
/// partner, by name), and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreedAction {
    pub action: String,
    pub owner: String,
    pub due_on: NaiveDate,
}

impl AgreedAction {
    /// Checks the texts and that the date is not already past.
    pub fn parse(
        action: &str,
        owner: &str,
        due_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<AgreedAction, Invalid> {
        let action = text::bounded("action", action, REASON_MAX)?;
        let owner = text::bounded("owner", owner, OWNER_MAX)?;
        if due_on < today {
            return Err(Invalid::new(
                "date_in_past",
                "The agreed date lies in the past.",
            ));
        }
        Ok(AgreedAction {
            action,
            owner,
            due_on,
        })
    }
}

/// Why a case is escalated, or how it ended: required, at most `REASON_MAX` characters.
pub fn reason(field: &str, raw: &str) -> Result<String, Invalid> {
    text::bounded(field, raw, REASON_MAX)
}

/// Age buckets of open stagnations in the overview: under 4 weeks, 4 to 12, over 12.
pub fn age_bucket(days_open: i64) -> &'static str {
    match days_open {
        ..28 => "under_4_weeks",
        28..84 => "4_to_12_weeks",
        _ => "over_12_weeks",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn an_agreed_action_needs_its_owner_and_a_date_not_past() {
        let today = day("2026-11-23");
        let agreed = AgreedAction::parse(" Woonplek zoeken ", "Domus", today, today).unwrap();
        assert_eq!(agreed.action, "Woonplek zoeken");
        assert_eq!(
            AgreedAction::parse("Bellen", "Domus", day("2026-11-22"), today)
                .unwrap_err()
                .code,
            "date_in_past"
        );
        assert!(AgreedAction::parse("Bellen", " ", today, today).is_err());
        assert!(AgreedAction::parse("", "Domus", today, today).is_err());
    }

    #[test]
    fn open_stagnations_age_in_three_buckets() {
        assert_eq!(age_bucket(0), "under_4_weeks");
        assert_eq!(age_bucket(27), "under_4_weeks");
        assert_eq!(age_bucket(28), "4_to_12_weeks");
        assert_eq!(age_bucket(84), "over_12_weeks");
    }
}
