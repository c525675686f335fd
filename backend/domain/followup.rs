//! Follow-ups as codes: what a follow-up is about, where it stands, and how far it has
//! been escalated. Each is stored as text (the level as a number) through one mapping.

use super::code::Code;

/// What a follow-up is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupKind {
    /// She has not been seen for her threshold (opened by the sweep).
    Absence,
    /// A reminder someone set for herself.
    Reminder,
    /// Her registration expires soon (opened by the sweep).
    RegistrationExpiry,
    /// A referral has waited longer than its kind may (opened by the sweep).
    ReferralWaiting,
    /// An action of her plan is past its due date (opened by the sweep, for its owner).
    PlanAction,
    /// Her plan is due for review (opened by the sweep).
    PlanReview,
    /// A check-in after a good exit (opened by the sweep).
    Aftercare,
    /// A decision of a case meeting about her is past its due date (opened by the sweep,
    /// for its owner).
    MeetingDecision,
}

impl FollowupKind {
    /// Whether an unanswered follow-up of this kind goes on to the process director. A
    /// registration about to expire is the coordinator's business (she keeps the list), and
    /// a referral that waits long is the team's to chase: a stalled case reaches the process
    /// director as a stagnation, reported on purpose. Her plan's follow-ups escalate as
    /// her absence does.
    pub fn escalates_to_process_director(self) -> bool {
        matches!(
            self,
            FollowupKind::Absence
                | FollowupKind::Reminder
                | FollowupKind::PlanAction
                | FollowupKind::PlanReview
                | FollowupKind::Aftercare
                | FollowupKind::MeetingDecision
        )
    }
}

impl Code for FollowupKind {
    const ALL: &'static [FollowupKind] = &[
        FollowupKind::Absence,
        FollowupKind::Reminder,
        FollowupKind::RegistrationExpiry,
        FollowupKind::ReferralWaiting,
        FollowupKind::PlanAction,
        FollowupKind::PlanReview,
        FollowupKind::Aftercare,
        FollowupKind::MeetingDecision,
    ];

    fn as_str(self) -> &'static str {
        match self {
            FollowupKind::Absence => "absence",
            FollowupKind::Reminder => "reminder",
            FollowupKind::RegistrationExpiry => "registration_expiry",
            FollowupKind::ReferralWaiting => "referral_waiting",
            FollowupKind::PlanAction => "plan_action",
            FollowupKind::PlanReview => "plan_review",
            FollowupKind::Aftercare => "aftercare",
            FollowupKind::MeetingDecision => "meeting_decision",
        }
    }
}

/// Where a follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupStatus {
    Open,
    Acknowledged,
    Snoozed,
    Closed,
}

impl FollowupStatus {
    /// Every status but closed: what still asks for someone's attention.
    pub const NOT_CLOSED: [FollowupStatus; 3] = [
        FollowupStatus::Open,
        FollowupStatus::Acknowledged,
        FollowupStatus::Snoozed,
    ];

    /// The stored codes of `statuses`, for a query's `IN (...)`.
    pub fn codes(statuses: &[FollowupStatus]) -> Vec<&'static str> {
        statuses.iter().map(|s| s.as_str()).collect()
    }
}

impl Code for FollowupStatus {
    const ALL: &'static [FollowupStatus] = &[
        FollowupStatus::Open,
        FollowupStatus::Acknowledged,
        FollowupStatus::Snoozed,
        FollowupStatus::Closed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            FollowupStatus::Open => "open",
            FollowupStatus::Acknowledged => "acknowledged",
            FollowupStatus::Snoozed => "snoozed",
            FollowupStatus::Closed => "closed",
        }
    }
}

/// What happened to a follow-up, as its timeline shows it (the app translates each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineEvent {
    /// Opened by the sweep.
    Opened,
    /// A reminder someone set.
    Created,
    /// Its notice went out (the detail says to how many).
    Notified,
    EscalatedToCoordinator,
    EscalatedToProcessDirector,
    EscalatedByHand,
    Acknowledged,
    Snoozed,
    SnoozeEnded,
    Closed,
    /// She was seen: a contact closed her absence.
    ClosedByContact,
    /// Her registration was renewed or ended.
    ClosedRegistrationChanged,
    /// The referral it was about started or ended.
    ClosedReferralChanged,
    /// The action it was about was done or dropped.
    ClosedActionFinished,
    /// The action it was about was moved to another day.
    ClosedActionRescheduled,
    /// A newer assessment reviewed her plan, or her plan's review date was moved.
    ClosedPlanReviewed,
}

impl Code for TimelineEvent {
    const ALL: &'static [TimelineEvent] = &[
        TimelineEvent::Opened,
        TimelineEvent::Created,
        TimelineEvent::Notified,
        TimelineEvent::EscalatedToCoordinator,
        TimelineEvent::EscalatedToProcessDirector,
        TimelineEvent::EscalatedByHand,
        TimelineEvent::Acknowledged,
        TimelineEvent::Snoozed,
        TimelineEvent::SnoozeEnded,
        TimelineEvent::Closed,
        TimelineEvent::ClosedByContact,
        TimelineEvent::ClosedRegistrationChanged,
        TimelineEvent::ClosedReferralChanged,
        TimelineEvent::ClosedActionFinished,
        TimelineEvent::ClosedActionRescheduled,
        TimelineEvent::ClosedPlanReviewed,
    ];

    fn as_str(self) -> &'static str {
        match self {
            TimelineEvent::Opened => "opened",
            TimelineEvent::Created => "created",
            TimelineEvent::Notified => "notified",
            TimelineEvent::EscalatedToCoordinator => "escalated_to_coordinator",
            TimelineEvent::EscalatedToProcessDirector => "escalated_to_process_director",
            TimelineEvent::EscalatedByHand => "escalated_by_hand",
            TimelineEvent::Acknowledged => "acknowledged",
            TimelineEvent::Snoozed => "snoozed",
            TimelineEvent::SnoozeEnded => "snooze_ended",
            TimelineEvent::Closed => "closed",
            TimelineEvent::ClosedByContact => "closed_by_contact",
            TimelineEvent::ClosedRegistrationChanged => "closed_registration_changed",
            TimelineEvent::ClosedReferralChanged => "closed_referral_changed",
            TimelineEvent::ClosedActionFinished => "closed_action_finished",
            TimelineEvent::ClosedActionRescheduled => "closed_action_rescheduled",
            TimelineEvent::ClosedPlanReviewed => "closed_plan_reviewed",
        }
    }
}

/// How far a follow-up has gone up (opschaling): nobody yet, the team's coordinators,
/// or the process director of the Zorg- en Veiligheidshuis. Stored as 0, 1, 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EscalationLevel {
    None,
    Coordinator,
    ProcessDirector,
}

impl EscalationLevel {
    pub fn stored(self) -> i32 {
        match self {
            EscalationLevel::None => 0,
            EscalationLevel::Coordinator => 1,
            EscalationLevel::ProcessDirector => 2,
        }
    }

    /// Reads a stored level back; the database's CHECK keeps it in 0..=2, and anything
    /// higher counts as the top.
    pub fn from_stored(level: i32) -> EscalationLevel {
        match level {
            i32::MIN..=0 => EscalationLevel::None,
            1 => EscalationLevel::Coordinator,
            _ => EscalationLevel::ProcessDirector,
        }
    }
}
