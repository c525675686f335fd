//! What a sweep did, as counts: answered by `POST /followups/sweep`, printed by
//! `inbeeld followups sweep`, and counted in the metrics.

use serde::Serialize;

#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct SweepReport {
    /// Absence follow-ups opened.
    pub opened: usize,
    /// Follow-ups opened because a registration expires soon.
    pub registrations_expiring: usize,
    /// Registration follow-ups closed because the registration was renewed or ended.
    pub registrations_changed: usize,
    /// Follow-ups opened because a referral has waited longer than its kind may.
    pub referrals_waiting: usize,
    /// Follow-ups opened for actions of a plan past their due date.
    pub plan_actions_overdue: usize,
    /// Follow-ups opened because a plan is due for review.
    pub plan_reviews: usize,
    /// Aftercare check-ins opened after a good exit.
    pub aftercare: usize,
    /// Follow-ups opened for decisions of case meetings past their due date.
    pub meeting_decisions_overdue: usize,
    /// Follow-ups whose notice went out.
    pub notified: usize,
    pub escalated_to_coordinator: usize,
    pub escalated_to_process_director: usize,
    /// Users who got a morning digest queued.
    pub digests: usize,
    /// Staff reminded of a shift that starts soon.
    pub shift_reminders: usize,
    /// Notifications dropped unsent because their follow-up was closed or snoozed while
    /// they waited (for the end of quiet hours).
    pub withdrawn: usize,
    /// Users whose pending notifications became push messages.
    pub dispatched: usize,
    pub delivery: DeliveryReport,
    /// How long each step of the sweep took, in the order they ran (for the benchmark and
    /// the log, not the answer).
    #[serde(skip)]
    #[schema(ignore)]
    pub steps: Vec<(&'static str, std::time::Duration)>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub gone: usize,
}
