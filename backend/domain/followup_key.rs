//! The de-duplication key of a follow-up the sweep opens: one follow-up per occasion, so
//! repeated and concurrent sweeps open nothing twice. The key also says the follow-up's
//! kind, so a key of one kind cannot be stored under another. The stored text of each
//! key is fixed: follow-ups opened by earlier versions are found again by it.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

use super::code::Code;
use super::followup::FollowupKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupKey {
    /// One per start of her absence.
    Absence { client: i64, since: NaiveDateTime },
    /// One per expiry date: a renewal with a new date gets its own.
    RegistrationExpiry { client: i64, expires_on: NaiveDate },
    /// The one a referral can have: a second request is a referral of its own.
    ReferralWaiting { referral: i64 },
    /// One per due date an action passed: moved to a later day, it is raised again then.
    PlanAction {
        client: i64,
        action: i64,
        due_on: NaiveDate,
    },
    /// One per review date of her plan.
    PlanReview { client: i64, review_on: NaiveDate },
    /// One per check-in after her exit, `months` after it.
    Aftercare {
        client: i64,
        exit_on: NaiveDate,
        months: u32,
    },
    /// The one a case meeting's decision about her can have.
    MeetingDecision { client: i64, decision: i64 },
}

impl FollowupKey {
    pub fn kind(self) -> FollowupKind {
        match self {
            FollowupKey::Absence { .. } => FollowupKind::Absence,
            FollowupKey::RegistrationExpiry { .. } => FollowupKind::RegistrationExpiry,
            FollowupKey::ReferralWaiting { .. } => FollowupKind::ReferralWaiting,
            FollowupKey::PlanAction { .. } => FollowupKind::PlanAction,
            FollowupKey::PlanReview { .. } => FollowupKind::PlanReview,
            FollowupKey::Aftercare { .. } => FollowupKind::Aftercare,
            FollowupKey::MeetingDecision { .. } => FollowupKind::MeetingDecision,
        }
    }

    /// The start that the keys of one action share, whatever due date raised them.
    pub fn plan_action_prefix(client: i64, action: i64) -> String {
        format!("{}:{client}:{action}:", FollowupKind::PlanAction.as_str())
    }
}

impl fmt::Display for FollowupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.kind().as_str();
        match *self {
            FollowupKey::Absence { client, since } => {
                let micros = since.and_utc().timestamp_micros();
                write!(f, "{kind}:{client}:{micros}")
            }
            FollowupKey::RegistrationExpiry { client, expires_on } => {
                write!(f, "{kind}:{client}:{expires_on}")
            }
            FollowupKey::ReferralWaiting { referral } => write!(f, "{kind}:{referral}"),
            FollowupKey::PlanAction {
                client,
                action,
                due_on,
            } => write!(f, "{}{due_on}", Self::plan_action_prefix(client, action)),
            FollowupKey::PlanReview { client, review_on } => {
                write!(f, "{kind}:{client}:{review_on}")
            }
            FollowupKey::Aftercare {
                client,
                exit_on,
                months,
            } => write!(f, "{kind}:{client}:{exit_on}:{months}"),
            FollowupKey::MeetingDecision { client, decision } => {
                write!(f, "{kind}:{client}:{decision}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The stored keys of follow-ups already open; changing one would open them again.
    #[test]
    fn each_key_reads_as_it_is_stored() {
        let since = day("2026-11-02").and_hms_opt(23, 0, 0).unwrap();
        let cases = [
            (
                FollowupKey::Absence { client: 7, since },
                "absence:7:1793660400000000",
            ),
            (
                FollowupKey::RegistrationExpiry {
                    client: 7,
                    expires_on: day("2027-03-01"),
                },
                "registration_expiry:7:2027-03-01",
            ),
            (
                FollowupKey::ReferralWaiting { referral: 12 },
                "referral_waiting:12",
            ),
            (
                FollowupKey::PlanAction {
                    client: 7,
                    action: 3,
                    due_on: day("2026-12-01"),
                },
                "plan_action:7:3:2026-12-01",
            ),
            (
                FollowupKey::PlanReview {
                    client: 7,
                    review_on: day("2027-01-15"),
                },
                "plan_review:7:2027-01-15",
            ),
            (
                FollowupKey::Aftercare {
                    client: 7,
                    exit_on: day("2026-06-30"),
                    months: 3,
                },
                "aftercare:7:2026-06-30:3",
            ),
            (
                FollowupKey::MeetingDecision {
                    client: 7,
                    decision: 9,
                },
                "meeting_decision:7:9",
            ),
        ];
        for (key, stored) in cases {
            assert_eq!(key.to_string(), stored);
            assert!(stored.starts_with(key.kind().as_str()), "{stored}");
        }
    }

    #[test]
    fn an_actions_keys_share_its_prefix_whatever_the_day() {
        let prefix = FollowupKey::plan_action_prefix(7, 3);
        for due_on in [day("2026-12-01"), day("2027-02-28")] {
            let key = FollowupKey::PlanAction {
                client: 7,
                action: 3,
                due_on,
            };
            assert!(key.to_string().starts_with(&prefix));
        }
        let other = FollowupKey::PlanAction {
            client: 7,
            action: 33,
            due_on: day("2026-12-01"),
        };
        assert!(!other.to_string().starts_with(&prefix));
    }
}
