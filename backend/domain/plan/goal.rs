//! Her goals, in her own words, each linked to one or more life domains, and the actions
//! under a goal: what, who does it (one of the team, or a partner organisation and its
//! contact person), by when, and where each stands.

use chrono::NaiveDate;

use super::LifeDomain;
use crate::domain::Invalid;
use crate::domain::code::Code;

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalStatus {
    Open,
    Reached,
    Dropped,
}

impl Code for GoalStatus {
    const ALL: &'static [Self] = &[Self::Open, Self::Reached, Self::Dropped];

    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Reached => "reached",
            Self::Dropped => "dropped",
        }
    }
}

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    Open,
    Done,
    Dropped,
}

impl Code for ActionStatus {
    const ALL: &'static [Self] = &[Self::Open, Self::Done, Self::Dropped];

    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }
}

/// The day a status took effect: set when a goal or action leaves `open`, cleared when it
/// opens again, kept when the status does not change.
pub fn status_on(
    open_before: bool,
    open_now: bool,
    before: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match (open_before, open_now) {
        (_, true) => None,
        (true, false) => Some(today),
        (false, false) => before.or(Some(today)),
    }
}

/// The life domains a goal is linked to: at least one, each once, in the matrix's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDomains(Vec<LifeDomain>);

impl GoalDomains {
    /// From the codes a request names: an unknown code is 422 `unknown_domain`, none at
    /// all 422 `no_domain`; a code named twice counts once.
    pub fn parse(codes: &[String]) -> Result<GoalDomains, Invalid> {
        let mut domains = codes
            .iter()
            .map(|code| {
                LifeDomain::from_code(code).ok_or_else(|| {
                    Invalid::new(
                        "unknown_domain",
                        format!("`{code}` is not one of the 13 life domains."),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        domains.sort();
        domains.dedup();
        if domains.is_empty() {
            return Err(Invalid::new(
                "no_domain",
                "Link the goal to at least one life domain.",
            ));
        }
        Ok(GoalDomains(domains))
    }

    /// As stored: the codes joined by `,`.
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn from_stored(text: &str) -> anyhow::Result<GoalDomains> {
        let domains = text
            .split(',')
            .map(LifeDomain::from_stored)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(GoalDomains(domains))
    }

    pub fn get(&self) -> &[LifeDomain] {
        &self.0
    }
}

/// Who does an action: one of her team (a casemanager or the coordinator), or a partner
/// organisation with a named contact person there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOwner {
    Member(i64),
    Partner { partner_id: i64, contact: String },
}

impl ActionOwner {
    /// From a request's `owner_id`, `partner_id` and `partner_contact`: exactly one of
    /// the team member and the partner (422 `one_owner`), a partner with its contact
    /// person (422 `partner_contact_required`).
    pub fn parse(
        owner_id: Option<i64>,
        partner_id: Option<i64>,
        contact: Option<String>,
    ) -> Result<ActionOwner, Invalid> {
        match (owner_id, partner_id, contact) {
            (Some(owner), None, None) => Ok(ActionOwner::Member(owner)),
            (None, Some(partner_id), Some(contact)) => Ok(ActionOwner::Partner {
                partner_id,
                contact,
            }),
            (None, Some(_), None) => Err(Invalid::new(
                "partner_contact_required",
                "Name the contact person at the partner organisation.",
            )),
            _ => Err(Invalid::new(
                "one_owner",
                "An action is done by one of the team or by a partner organisation, \
                 not both and not nobody.",
            )),
        }
    }
}

/// Whether an action is past its due date unfinished on `today`.
pub fn is_overdue(status: ActionStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status == ActionStatus::Open && due_on < today
}
