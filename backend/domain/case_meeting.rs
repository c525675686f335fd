//! The case meeting (casusoverleg): why an item is on the agenda, what a stored agenda
//! looks like, and who plans, reads and records. The coordinator plans the meeting and
//! keeps its agenda; her casemanagers read it and record what was discussed and decided,
//! as they do in her plan. No one else sees meetings: they name clients and partners.

use super::code::Code;
use super::role::Role;
use super::{Invalid, text};

pub const LOCATION_MAX: usize = 120;
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2000;
pub const WHAT_MAX: usize = 200;
pub const CONTACT_MAX: usize = 100;
/// An agenda longer than this is no meeting's: a bound on what one request may store.
pub const AGENDA_MAX: usize = 100;

/// Why an item is on the agenda: one of the five things the draft picks from the team's
/// current state, a client the coordinator added herself, or a free subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgendaReason {
    /// An open stagnation of hers (reported, not closed).
    Stagnation,
    /// An open follow-up of hers escalated to the process director.
    Escalation,
    /// She is out of view.
    OutOfView,
    /// A referral of hers has waited longer than its kind may.
    ReferralWaiting,
    /// Her plan is overdue for review.
    PlanReview,
    /// The coordinator put her on the agenda herself.
    Client,
    /// A subject about no one client.
    Free,
}

impl Code for AgendaReason {
    const ALL: &'static [AgendaReason] = &[
        AgendaReason::Stagnation,
        AgendaReason::Escalation,
        AgendaReason::OutOfView,
        AgendaReason::ReferralWaiting,
        AgendaReason::PlanReview,
        AgendaReason::Client,
        AgendaReason::Free,
    ];

    fn as_str(self) -> &'static str {
        match self {
            AgendaReason::Stagnation => "stagnation",
            AgendaReason::Escalation => "escalation",
            AgendaReason::OutOfView => "out_of_view",
            AgendaReason::ReferralWaiting => "referral_waiting",
            AgendaReason::PlanReview => "plan_review",
            AgendaReason::Client => "client",
            AgendaReason::Free => "free",
        }
    }
}

/// One line of the agenda the coordinator stores, in its place: an item already on it
/// (kept with its summary and decisions), or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaLine {
    Kept(i64),
    New {
        reason: AgendaReason,
        client_id: Option<i64>,
        title: String,
    },
}

impl AgendaLine {
    /// A new line: a free subject names no client and has a title; every other reason is
    /// about one client (422 `agenda_item_client`).
    pub fn new_item(
        reason: AgendaReason,
        client_id: Option<i64>,
        title: Option<&str>,
    ) -> Result<AgendaLine, Invalid> {
        let title = match text::optional("title", title, TITLE_MAX)? {
            Some(title) => title,
            None if reason == AgendaReason::Free => {
                return Err(Invalid::new(
                    "validation_failed",
                    "A free subject needs a title.",
                ));
            }
            None => String::new(),
        };
        if (reason == AgendaReason::Free) != client_id.is_none() {
            return Err(Invalid::new(
                "agenda_item_client",
                "A free subject names no client; every other item is about one client.",
            ));
        }
        Ok(AgendaLine::New {
            reason,
            client_id,
            title,
        })
    }
}

/// Checks an agenda's length and that no kept item is listed twice.
pub fn check_agenda(lines: &[AgendaLine]) -> Result<(), Invalid> {
    if lines.len() > AGENDA_MAX {
        return Err(Invalid::new(
            "validation_failed",
            format!("An agenda holds at most {AGENDA_MAX} items."),
        ));
    }
    let mut kept: Vec<i64> = lines
        .iter()
        .filter_map(|line| match line {
            AgendaLine::Kept(id) => Some(*id),
            AgendaLine::New { .. } => None,
        })
        .collect();
    let listed = kept.len();
    kept.sort_unstable();
    kept.dedup();
    if kept.len() != listed {
        return Err(Invalid::new(
            "validation_failed",
            "An item stands on the agenda once.",
        ));
    }
    Ok(())
}

/// Plans meetings and keeps their agendas.
pub fn plans_meetings(role: Role) -> bool {
    role.coordinates()
}

/// Reads the team's meetings and records summaries and decisions.
pub fn takes_part(role: Role) -> bool {
    role.edits_clients()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_subject_names_no_client_and_a_client_item_needs_one() {
        assert!(AgendaLine::new_item(AgendaReason::Free, None, Some("Winterregeling")).is_ok());
        let refused = [
            AgendaLine::new_item(AgendaReason::Free, Some(3), Some("Winterregeling")),
            AgendaLine::new_item(AgendaReason::Client, None, None),
            AgendaLine::new_item(AgendaReason::Free, None, Some("  ")),
        ];
        assert!(refused.iter().all(Result::is_err));
        assert_eq!(
            AgendaLine::new_item(AgendaReason::Stagnation, Some(3), None),
            Ok(AgendaLine::New {
                reason: AgendaReason::Stagnation,
                client_id: Some(3),
                title: String::new()
            })
        );
    }

    #[test]
    fn an_item_stands_on_the_agenda_once() {
        let twice = [AgendaLine::Kept(4), AgendaLine::Kept(4)];
        assert!(check_agenda(&twice).is_err());
        assert!(check_agenda(&[AgendaLine::Kept(4), AgendaLine::Kept(5)]).is_ok());
    }
}
