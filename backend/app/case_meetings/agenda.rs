//! The agenda of a case meeting: the draft InBeeld proposes from the team's current
//! state, and the agenda the coordinator stores (reordered, added to, items removed).

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, TimeDelta};

use super::{Meeting, about_no_client, clients_on, load, meeting_of_team, record_reads};
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::db::queries::case_meetings::{self as queries, NewItem};
use crate::db::queries::clients::{self, ListFilter, Scope};
use crate::db::queries::{escalations, plan_reviews, referral_waits, stagnations};
use crate::domain::case_meeting::{AgendaLine, AgendaReason, check_agenda, plans_meetings};
use crate::domain::caseload;
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::escalation;
use crate::domain::followup::FollowupStatus;
use crate::domain::referral::ReferralKind;
use crate::domain::stagnation::StagnationStatus;
use crate::error::ApiError;
use crate::state::AppState;

/// A client the draft proposes, for the first of her reasons in the order of
/// `AgendaReason`; `also` holds her other reasons.
pub struct DraftItem {
    pub reason: AgendaReason,
    pub also: Vec<AgendaReason>,
    pub client_id: i64,
    pub alias: String,
    pub code: String,
    /// Since when the reason holds: the stagnation reported, the escalated follow-up
    /// due, last seen, the referral requested, the review date.
    pub since: NaiveDate,
    /// The stagnation's or the referral's kind, or the escalated follow-up's.
    pub kind: Option<String>,
}

struct Pick {
    reason: AgendaReason,
    client_id: i64,
    since: NaiveDate,
    kind: Option<String>,
}

/// The draft agenda of meeting `id` (the coordinator): her team's clients with a reason
/// to be discussed, one item each, the clients already on the agenda left out. What
/// picks a client:
/// - a stagnation of hers that is not closed (`stagnations::listed`);
/// - a follow-up of hers escalated to the process director and not closed
///   (`escalations::list`);
/// - she is out of view: no named contact for `out_of_view_days` (`caseload::out_of_view`,
///   as the client list says);
/// - a referral of hers neither started nor ended for longer than its kind's waiting
///   period (`referral_waits`, the rule of the sweep's waiting follow-up);
/// - her plan's review date has come (three months after her latest assessment, or the
///   day set by hand: `ReviewBasis::review_on`, as the coordinator's plan overview says).
///
/// Ordered by reason, then the longest-standing first. A read of each client proposed.
pub async fn draft(state: &AppState, who: &Identity, id: i64) -> Result<Vec<DraftItem>, ApiError> {
    who.require(plans_meetings)?;
    let (reader, now, zone) = (who.clone(), state.clock.now(), state.zone);
    let out_of_view_days = i64::from(state.settings.out_of_view_days);
    let waits = state.settings.referral_waits();
    state
        .db
        .write(move |conn| {
            let event = Event::search("case_meeting.draft");
            let meeting = meeting_of_team(conn, &reader, id, event)?;
            let team = meeting.team_id;
            let today = zone.local_date(now);
            let closed_after = escalation::visible_closed_after(now);
            let files = clients::list(
                conn,
                &ListFilter {
                    scope: Scope::Team(team),
                    search: None,
                    caseload_status: None,
                },
            )?;
            let mut picks = Vec::new();
            for s in stagnations::listed(conn, Some(team), closed_after)? {
                if s.status != StagnationStatus::Closed.as_str() {
                    picks.push(Pick {
                        reason: AgendaReason::Stagnation,
                        client_id: s.client_id,
                        since: zone.local_date(s.reported_at),
                        kind: Some(s.kind),
                    });
                }
            }
            for e in escalations::list(conn, Some(team), closed_after)? {
                if e.followup.status != FollowupStatus::Closed.as_str() {
                    picks.push(Pick {
                        reason: AgendaReason::Escalation,
                        client_id: e.followup.client_id,
                        since: zone.local_date(e.followup.due_at),
                        kind: Some(e.followup.kind),
                    });
                }
            }
            for file in &files {
                let status = CaseloadStatus::from_stored(&file.caseload_status)
                    .map_err(ApiError::internal)?;
                let since = caseload::absent_since(
                    file.last_contact_at,
                    file.intake_on,
                    file.created_at,
                    zone,
                );
                if caseload::out_of_view(status, since, now, out_of_view_days) {
                    picks.push(Pick {
                        reason: AgendaReason::OutOfView,
                        client_id: file.id,
                        since: zone.local_date(since),
                        kind: None,
                    });
                }
            }
            for r in referral_waits::waiting_of_team(conn, team)? {
                let kind = ReferralKind::from_stored(&r.kind).map_err(ApiError::internal)?;
                let due_at = zone.start_of_day(r.requested_on)
                    + TimeDelta::days(i64::from(waits.for_kind(kind)));
                if due_at <= now {
                    picks.push(Pick {
                        reason: AgendaReason::ReferralWaiting,
                        client_id: r.client_id,
                        since: r.requested_on,
                        kind: Some(r.kind),
                    });
                }
            }
            for (client_id, _, basis) in plan_reviews::of_open_files(conn, Some(team))? {
                match basis.review_on() {
                    Some(review_on) if review_on <= today => {
                        picks.push(Pick {
                            reason: AgendaReason::PlanReview,
                            client_id,
                            since: review_on,
                            kind: None,
                        });
                    }
                    _ => {}
                }
            }
            let on_agenda: BTreeSet<i64> = queries::items_of(conn, id)?
                .iter()
                .filter_map(|i| i.client_id)
                .collect();
            let names: HashMap<i64, (String, String)> = files
                .into_iter()
                .map(|f| (f.id, (f.alias, f.code)))
                .collect();
            picks.sort_by_key(|p| (p.reason, p.since, p.client_id));
            let mut drafted: Vec<DraftItem> = Vec::new();
            for pick in picks {
                if on_agenda.contains(&pick.client_id) {
                    continue;
                }
                if let Some(item) = drafted.iter_mut().find(|d| d.client_id == pick.client_id) {
                    if item.reason != pick.reason && !item.also.contains(&pick.reason) {
                        item.also.push(pick.reason);
                    }
                    continue;
                }
                let Some((alias, code)) = names.get(&pick.client_id).cloned() else {
                    continue;
                };
                drafted.push(DraftItem {
                    reason: pick.reason,
                    also: Vec::new(),
                    client_id: pick.client_id,
                    alias,
                    code,
                    since: pick.since,
                    kind: pick.kind,
                });
            }
            audit::record(conn, &reader, now, &event, Outcome::Success)?;
            let shown: BTreeSet<i64> = drafted.iter().map(|d| d.client_id).collect();
            record_reads(conn, &reader, now, "case_meeting.draft", &shown)?;
            Ok(drafted)
        })
        .await
}

/// Stores the agenda of meeting `id` (the coordinator) as `lines` say, in their order:
/// items kept keep their summary and decisions, new ones are added (a client of her own
/// team only), and items left out are removed, unless decisions were taken on them (409
/// `agenda_item_has_decisions`). An entry for each client added, removed or shown.
pub async fn store(
    state: &AppState,
    who: &Identity,
    id: i64,
    lines: Vec<AgendaLine>,
) -> Result<Meeting, ApiError> {
    who.require(plans_meetings)?;
    check_agenda(&lines)?;
    let (who, now) = (who.clone(), state.clock.now());
    const CHANGE: &str = "case_meeting.agenda.update";
    state
        .db
        .write(move |conn| {
            let event = about_no_client(CHANGE, Action::Update);
            let row = meeting_of_team(conn, &who, id, event)?;
            let items = queries::items_of(conn, id)?;
            let current = super::with_decisions(conn, items)?;
            let kept: BTreeSet<i64> = lines
                .iter()
                .filter_map(|line| match line {
                    AgendaLine::Kept(item) => Some(*item),
                    AgendaLine::New { .. } => None,
                })
                .collect();
            if kept
                .iter()
                .any(|k| !current.iter().any(|item| item.row.id == *k))
            {
                return Err(ApiError::invalid(
                    "unknown_agenda_item",
                    "That item is not on this meeting's agenda.",
                ));
            }
            let mut touched = BTreeSet::new();
            for item in current.iter().filter(|i| !kept.contains(&i.row.id)) {
                if !item.decisions.is_empty() {
                    return Err(ApiError::conflict(
                        "agenda_item_has_decisions",
                        "Decisions were taken on this item: it stays on the agenda.",
                    ));
                }
                queries::delete_item(conn, item.row.id)?;
                touched.extend(item.row.client_id);
            }
            for (ordinal, line) in (0..).zip(&lines) {
                match line {
                    AgendaLine::Kept(item) => {
                        queries::move_item(conn, *item, ordinal, now)?;
                    }
                    AgendaLine::New {
                        reason,
                        client_id,
                        title,
                    } => {
                        if let Some(client) = *client_id {
                            let about = Event::on(CHANGE, Action::Update, client);
                            access::client(conn, &who, now, client, Need::Read, &about)?;
                            touched.insert(client);
                        }
                        let new = NewItem {
                            meeting_id: id,
                            ordinal,
                            reason: reason.as_str(),
                            client_id: *client_id,
                            title,
                        };
                        queries::insert_item(conn, &new, now)?;
                    }
                }
            }
            let meeting = load(conn, row)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            for client in touched {
                let about = Event::on(CHANGE, Action::Update, client);
                audit::record(conn, &who, now, &about, Outcome::Success)?;
            }
            let shown = clients_on(&meeting.items);
            record_reads(conn, &who, now, "case_meeting.read", &shown)?;
            Ok(meeting)
        })
        .await
}
