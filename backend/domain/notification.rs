//! Notifications as codes: what a queued notification is about, and the key that makes
//! queuing it happen once. Sweeps run concurrently, on two servers, again after downtime;
//! every one of them must compute the same key for the same notice, so the key has one
//! owner, here.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

use super::code::Code;
use super::followup::{EscalationLevel, FollowupKind};

/// What a notification is about; the push payload counts them per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// A follow-up's notice: its kind.
    Followup(FollowupKind),
    /// A follow-up escalated by the sweep because nobody answered it.
    Escalation,
    /// A follow-up someone escalated on purpose (to the process director).
    EscalatedByHand,
    Digest,
    ShiftReminder,
    /// A client was handed over to the recipient.
    HandoverIn,
    /// A client the recipient handed over was taken on.
    HandoverOut,
    /// A signal sent as a warning: an acute danger at the zone tonight.
    SignalWarning,
    /// A stalled case was escalated to the process director.
    StagnationReported,
    /// The process director answered or closed a stagnation.
    StagnationAnswered,
}

impl Code for NotificationKind {
    const ALL: &'static [NotificationKind] = &[
        NotificationKind::Followup(FollowupKind::Absence),
        NotificationKind::Followup(FollowupKind::Reminder),
        NotificationKind::Followup(FollowupKind::RegistrationExpiry),
        NotificationKind::Followup(FollowupKind::ReferralWaiting),
        NotificationKind::Followup(FollowupKind::PlanAction),
        NotificationKind::Followup(FollowupKind::PlanReview),
        NotificationKind::Followup(FollowupKind::Aftercare),
        NotificationKind::Followup(FollowupKind::MeetingDecision),
        NotificationKind::Escalation,
        NotificationKind::EscalatedByHand,
        NotificationKind::Digest,
        NotificationKind::ShiftReminder,
        NotificationKind::HandoverIn,
        NotificationKind::HandoverOut,
        NotificationKind::SignalWarning,
        NotificationKind::StagnationReported,
        NotificationKind::StagnationAnswered,
    ];

    fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Followup(kind) => kind.as_str(),
            NotificationKind::Escalation => "escalation",
            NotificationKind::EscalatedByHand => "escalation_by_hand",
            NotificationKind::Digest => "digest",
            NotificationKind::ShiftReminder => "shift_reminder",
            NotificationKind::HandoverIn => "handover_in",
            NotificationKind::HandoverOut => "handover_out",
            NotificationKind::SignalWarning => "signal_warning",
            NotificationKind::StagnationReported => "stagnation_reported",
            NotificationKind::StagnationAnswered => "stagnation_answered",
        }
    }
}

/// The de-duplication key of one notification to one user: queuing it a second time
/// with the same key does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKey {
    /// A follow-up's notice; `round` is the end of its last snooze (0 before any), so a
    /// notice after a snooze is a new one.
    Notice {
        followup: i64,
        round: i64,
        user: i64,
    },
    Escalation {
        followup: i64,
        level: EscalationLevel,
        user: i64,
    },
    Digest {
        day: NaiveDate,
        user: i64,
    },
    /// A shift's reminder, per start time: a moved shift is reminded again.
    ShiftReminder {
        shift: i64,
        starts_at: NaiveDateTime,
        user: i64,
    },
    Handover {
        handover: i64,
        direction: NotificationKind,
        user: i64,
    },
    /// A warning reaches each recipient once, however often it is sent again.
    Warning {
        signal: i64,
        user: i64,
    },
    /// A step on a stagnation's timeline (reported, answered, closed), told once.
    Stagnation {
        event: i64,
        user: i64,
    },
}

impl NotificationKey {
    /// The notice round of a follow-up snoozed until `snoozed_until` (or never).
    pub fn round(snoozed_until: Option<NaiveDateTime>) -> i64 {
        snoozed_until.map_or(0, |t| t.and_utc().timestamp())
    }
}

impl fmt::Display for NotificationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            NotificationKey::Notice {
                followup,
                round,
                user,
            } => write!(f, "followup:{followup}:notice:{round}:{user}"),
            NotificationKey::Escalation {
                followup,
                level,
                user,
            } => write!(
                f,
                "followup:{followup}:escalation:{}:{user}",
                level.stored()
            ),
            NotificationKey::Digest { day, user } => write!(f, "digest:{day}:{user}"),
            NotificationKey::ShiftReminder {
                shift,
                starts_at,
                user,
            } => write!(
                f,
                "shift:{shift}:reminder:{}:{user}",
                starts_at.and_utc().timestamp()
            ),
            NotificationKey::Handover {
                handover,
                direction,
                user,
            } => write!(f, "handover:{handover}:{}:{user}", direction.as_str()),
            NotificationKey::Warning { signal, user } => {
                write!(f, "signal:{signal}:warning:{user}")
            }
            NotificationKey::Stagnation { event, user } => {
                write!(f, "stagnation_event:{event}:{user}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys already stored must still match after any change here: notifications queued
    /// before an upgrade would otherwise be sent again.
    #[test]
    fn keys_keep_their_stored_form() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let starts_at = day.and_hms_opt(19, 0, 0).unwrap();
        let keys = [
            (
                NotificationKey::Notice {
                    followup: 7,
                    round: 0,
                    user: 3,
                },
                "followup:7:notice:0:3",
            ),
            (
                NotificationKey::Escalation {
                    followup: 7,
                    level: EscalationLevel::ProcessDirector,
                    user: 3,
                },
                "followup:7:escalation:2:3",
            ),
            (
                NotificationKey::Digest { day, user: 3 },
                "digest:2026-11-23:3",
            ),
            (
                NotificationKey::ShiftReminder {
                    shift: 5,
                    starts_at,
                    user: 3,
                },
                "shift:5:reminder:1795460400:3",
            ),
            (
                NotificationKey::Handover {
                    handover: 9,
                    direction: NotificationKind::HandoverIn,
                    user: 3,
                },
                "handover:9:handover_in:3",
            ),
            (
                NotificationKey::Warning { signal: 4, user: 3 },
                "signal:4:warning:3",
            ),
            (
                NotificationKey::Stagnation { event: 4, user: 3 },
                "stagnation_event:4:3",
            ),
        ];
        for (key, stored) in keys {
            assert_eq!(key.to_string(), stored);
        }
        assert_eq!(
            NotificationKind::from_code("registration_expiry"),
            Some(NotificationKind::Followup(FollowupKind::RegistrationExpiry))
        );
    }
}
