//! The one sweep: open absence, registration-expiry and plan follow-ups (`plan`), notify,
//! escalate, queue
//! the morning digest, turn notifications into push messages, and deliver them. Every step
//! is idempotent and guarded by the database (unique keys, compare-and-set updates), so two
//! sweeps at once, two servers, or a sweep after downtime each send every notification once.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::notify::{Notice, Notifier, dispatch};
use super::{
    absence, meeting_decisions, plan as her_plan, referral_waiting, registration, responsible,
    review,
};
use crate::db::DbConnection;
use crate::db::queries::followups;
use crate::db::queries::notifications;
use crate::db::queries::shifts;
use crate::domain::caseload::AbsenceRules;
use crate::domain::code::Code;
use crate::domain::followup::{EscalationLevel, FollowupKind, FollowupStatus, TimelineEvent};
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::referral::WaitDays;
use crate::domain::role::Role;
use crate::domain::sweep::SweepReport;
use crate::error::ApiError;
use crate::push::deliver::deliver_due;
use crate::state::AppState;
use crate::timezone::Zone;

/// Runs the whole sweep at the clock's now.
pub async fn run(state: &AppState) -> Result<SweepReport, ApiError> {
    let started = std::time::Instant::now();
    let result = sweep(state).await;
    state.metrics.sweep(result.as_ref().ok(), started.elapsed());
    result
}

async fn sweep(state: &AppState) -> Result<SweepReport, ApiError> {
    let now = state.clock.now();
    let zone = state.zone;
    let rules = Rules {
        absence: state.absence_rules(),
        ack: TimeDelta::days(i64::from(state.settings.followup_ack_days)),
        further: TimeDelta::days(i64::from(state.settings.followup_escalation_days)),
        registration_warning_days: i64::from(state.settings.registration_warning_days),
        digest_day: state.settings.schedules().digest_day(now, zone),
        shift_reminder: TimeDelta::minutes(i64::from(state.settings.shift_reminder_minutes)),
        referral_waits: state.settings.referral_waits(),
    };
    // One transaction: a sweep that fails half-way leaves nothing half-done, and the next
    // one does it all again (every step is idempotent).
    let mut report = state
        .db
        .write(move |conn| plan(conn, now, zone, &rules))
        .await?;
    report.delivery = deliver_due(&state.db, &state.push, &state.clock).await?;
    Ok(report)
}

struct Rules {
    absence: AbsenceRules,
    ack: TimeDelta,
    further: TimeDelta,
    registration_warning_days: i64,
    digest_day: Option<NaiveDate>,
    /// How long before a shift its staff are reminded; zero disables.
    shift_reminder: TimeDelta,
    referral_waits: WaitDays,
}

/// Times each step of a sweep, for the report.
struct Steps {
    last: std::time::Instant,
    took: Vec<(&'static str, std::time::Duration)>,
}

impl Steps {
    fn start() -> Steps {
        Steps {
            last: std::time::Instant::now(),
            took: Vec::new(),
        }
    }

    /// The step `name` just ended: returns its result, and keeps its time.
    fn done<T>(&mut self, name: &'static str, result: T) -> T {
        let now = std::time::Instant::now();
        self.took.push((name, now - self.last));
        self.last = now;
        result
    }
}

/// Everything up to the push outbox, in the database.
fn plan(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    zone: Zone,
    rules: &Rules,
) -> Result<SweepReport, ApiError> {
    let mut steps = Steps::start();
    let notifier = steps.done("notifier", Notifier::load(conn, now, zone)?);
    let today = zone.local_date(now);
    let registrations = steps.done(
        "registrations",
        registration::sweep(conn, now, zone, rules.registration_warning_days)?,
    );
    let mut report = SweepReport {
        registrations_changed: registrations.closed,
        registrations_expiring: registrations.opened,
        opened: steps.done("absences", absence::open_due(conn, now, &rules.absence)?),
        referrals_waiting: steps.done(
            "referrals_waiting",
            referral_waiting::open_due(conn, now, zone, &rules.referral_waits)?,
        ),
        plan_actions_overdue: steps.done(
            "plan_actions_overdue",
            her_plan::open_overdue_actions(conn, now, zone)?,
        ),
        plan_reviews: steps.done("plan_reviews", review::open_due(conn, now, zone)?),
        aftercare: steps.done("aftercare", her_plan::open_aftercare(conn, now, zone)?),
        meeting_decisions_overdue: steps.done(
            "meeting_decisions_overdue",
            meeting_decisions::open_past_due(conn, now, zone)?,
        ),
        ..SweepReport::default()
    };
    steps.done("wake_snoozed", followups::wake_snoozed(conn, now)?);
    report.notified = steps.done("notify", notify_due(conn, &notifier, today)?);
    let (coordinator, director) = steps.done("escalate", escalate(conn, &notifier, rules)?);
    report.escalated_to_coordinator = coordinator;
    report.escalated_to_process_director = director;
    if let Some(day) = rules.digest_day {
        report.digests = steps.done("digests", queue_digests(conn, &notifier, day)?);
    }
    if rules.shift_reminder > TimeDelta::zero() {
        report.shift_reminders = steps.done(
            "shift_reminders",
            queue_shift_reminders(conn, &notifier, rules.shift_reminder)?,
        );
    }
    report.withdrawn = steps.done("withdraw", notifications::withdraw_settled(conn, now)?);
    report.dispatched = steps.done("dispatch", dispatch(conn, now)?);
    report.steps = steps.took;
    Ok(report)
}

/// First notices (and notices after a snooze) for due follow-ups. Notifications are
/// queued before the follow-up is marked, so a crash in between loses nothing.
fn notify_due(
    conn: &mut DbConnection,
    notifier: &Notifier,
    today: NaiveDate,
) -> Result<usize, ApiError> {
    let mut notified = 0;
    for followup in followups::due_unnotified(conn, notifier.now)? {
        // A snooze gives the next notice a key of its own; concurrent sweeps agree on it.
        let round = NotificationKey::round(followup.snoozed_until);
        let threshold = followup
            .absent_since
            .map(|since| (followup.due_at - since).num_days() as i32);
        let kind = NotificationKind::Followup(
            FollowupKind::from_stored(&followup.kind).map_err(ApiError::internal)?,
        );
        let recipients = responsible(conn, &followup, today)?;
        for &user in &recipients {
            let key = NotificationKey::Notice {
                followup: followup.id,
                round,
                user,
            };
            let notice = Notice {
                followup_id: Some(followup.id),
                threshold_days: threshold,
                ..Notice::new(user, key, kind)
            };
            notifier.queue(conn, &notice)?;
        }
        if followups::mark_notified(conn, followup.id, notifier.now)? {
            // The number of people told: the app says it in their language.
            let detail = recipients.len().to_string();
            followups::add_event(
                conn,
                followup.id,
                notifier.now,
                TimelineEvent::Notified,
                None,
                Some(&detail),
            )?;
            notified += 1;
        }
    }
    Ok(notified)
}

/// Not acknowledged within `ack`: the team's coordinators. Still open `further` later:
/// the process director. Snoozed follow-ups do not escalate while they sleep.
fn escalate(
    conn: &mut DbConnection,
    notifier: &Notifier,
    rules: &Rules,
) -> Result<(usize, usize), ApiError> {
    let now = notifier.now;
    let to_coordinator = escalate_to(
        conn,
        notifier,
        Escalation {
            level: EscalationLevel::Coordinator,
            statuses: &[FollowupStatus::Open],
            noticed_before: now - rules.ack,
            event: TimelineEvent::EscalatedToCoordinator,
        },
    )?;
    let to_director = escalate_to(
        conn,
        notifier,
        Escalation {
            level: EscalationLevel::ProcessDirector,
            statuses: &[FollowupStatus::Open, FollowupStatus::Acknowledged],
            noticed_before: now - rules.ack - rules.further,
            event: TimelineEvent::EscalatedToProcessDirector,
        },
    )?;
    Ok((to_coordinator, to_director))
}

struct Escalation {
    level: EscalationLevel,
    /// Follow-ups in these states escalate.
    statuses: &'static [FollowupStatus],
    /// ...when their notice went out before this.
    noticed_before: NaiveDateTime,
    event: TimelineEvent,
}

/// The coordinator level goes to the team's coordinators, the next to the process
/// directors. The
/// notifications are queued before the level is raised, so a crash loses none.
fn escalate_to(
    conn: &mut DbConnection,
    notifier: &Notifier,
    step: Escalation,
) -> Result<usize, ApiError> {
    let mut escalated = 0;
    let kinds: Vec<FollowupKind> = FollowupKind::ALL
        .iter()
        .copied()
        .filter(|kind| {
            step.level != EscalationLevel::ProcessDirector || kind.escalates_to_process_director()
        })
        .collect();
    let candidates = followups::escalation_candidates(
        conn,
        step.statuses,
        step.level,
        &kinds,
        step.noticed_before,
    )?;
    for followup in candidates {
        let recipients = match step.level {
            EscalationLevel::ProcessDirector => {
                followups::users_with_role(conn, Role::ProcessDirector)?
            }
            _ => followups::team_members_with_role(conn, followup.team_id, Role::Coordinator)?,
        };
        for user in recipients {
            let key = NotificationKey::Escalation {
                followup: followup.id,
                level: step.level,
                user,
            };
            let notice = Notice {
                followup_id: Some(followup.id),
                urgent: true,
                ..Notice::new(user, key, NotificationKind::Escalation)
            };
            notifier.queue(conn, &notice)?;
        }
        if followups::raise_escalation(conn, followup.id, step.level)? {
            followups::add_event(conn, followup.id, notifier.now, step.event, None, None)?;
            escalated += 1;
        }
    }
    Ok(escalated)
}

/// One morning summary per user with unclosed follow-ups, once per day.
fn queue_digests(
    conn: &mut DbConnection,
    notifier: &Notifier,
    day: NaiveDate,
) -> Result<usize, ApiError> {
    // Once a day: later sweeps in the digest's window need not count every unclosed
    // follow-up again. Someone whose first follow-up opens after that is told of it by its
    // own notice, and has it in the next morning's digest.
    if notifications::digest_queued(conn, day)? {
        return Ok(0);
    }
    notifications::mark_digest_queued(conn, day, notifier.now)?;
    let mut open_per_user: BTreeMap<i64, i32> = BTreeMap::new();
    for followup in followups::all_unclosed(conn)? {
        for user in responsible(conn, &followup, day)? {
            *open_per_user.entry(user).or_default() += 1;
        }
    }
    let mut queued = 0;
    for (user, count) in open_per_user {
        let key = NotificationKey::Digest { day, user };
        let digest = Notice {
            item_count: count,
            ..Notice::new(user, key, NotificationKind::Digest)
        };
        if notifier.queue(conn, &digest)? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Reminds the staff of shifts starting within `lead`, once per shift, person and start
/// time (a moved shift is reminded again). Quiet hours do not hold a reminder back: it is
/// for a shift she signed up for, and after the start it would be useless.
fn queue_shift_reminders(
    conn: &mut DbConnection,
    notifier: &Notifier,
    lead: TimeDelta,
) -> Result<usize, ApiError> {
    let mut queued = 0;
    let now = notifier.now;
    for (shift, starts_at, user) in shifts::staff_starting_between(conn, now, now + lead)? {
        let key = NotificationKey::ShiftReminder {
            shift,
            starts_at,
            user,
        };
        let reminder = Notice {
            quiet_hours_apply: false,
            ..Notice::new(user, key, NotificationKind::ShiftReminder)
        };
        if notifier.queue(conn, &reminder)? {
            queued += 1;
        }
    }
    Ok(queued)
}
