//! The process director's side of a stagnation: an agreed action (what, who, by when), or
//! closing it with an outcome. Each is a step on its timeline and in the audit trail, and
//! the client's team is told: the coordinators and her casemanagers, once per step.

use super::{Stagnation, reread, tell};
use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::notify::Notifier;
use crate::db::DbConnection;
use crate::db::queries::{followups, stagnations};
use crate::domain::notification::NotificationKind;
use crate::domain::role::Role;
use crate::domain::stagnation::{AgreedAction, StagnationEvent};
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// What the process director does with a stagnation.
pub enum Answer {
    /// The raw texts and date, checked against today in the transaction.
    Agree {
        action: String,
        owner: String,
        due_on: chrono::NaiveDate,
    },
    Close {
        outcome: String,
    },
}

fn closed_already() -> ApiError {
    ApiError::conflict("stagnation_closed", "This stagnation is closed already.")
}

/// Her team's coordinators and her casemanagers today, each once.
fn her_team(
    conn: &mut DbConnection,
    team: i64,
    client: i64,
    zone: Zone,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<Vec<i64>> {
    let mut users = followups::team_members_with_role(conn, team, Role::Coordinator)?;
    users.extend(followups::casemanagers_on(
        conn,
        client,
        zone.local_date(now),
    )?);
    users.sort_unstable();
    users.dedup();
    Ok(users)
}

/// Answers stagnation `id` (the process director): agrees an action, or closes it. A
/// closed stagnation is 409 `stagnation_closed`.
pub async fn answer(
    state: &AppState,
    who: &Identity,
    id: i64,
    answer: Answer,
) -> Result<Stagnation, ApiError> {
    who.require(|role| role == Role::ProcessDirector)?;
    let (who, now, zone) = (who.clone(), state.clock.now(), state.zone);
    state
        .db
        .write(move |conn| {
            let found = stagnations::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let (name, step) = match answer {
                Answer::Agree { .. } => ("stagnation.answer", StagnationEvent::Answered),
                Answer::Close { .. } => ("stagnation.close", StagnationEvent::Closed),
            };
            let event = Event::on(name, Action::Update, found.client_id);
            access::client(conn, &who, now, found.client_id, Need::Read, &event)?;
            let step_id = match answer {
                Answer::Agree {
                    action,
                    owner,
                    due_on,
                } => {
                    let agreed =
                        AgreedAction::parse(&action, &owner, due_on, zone.local_date(now))?;
                    if !stagnations::answer(conn, id, &agreed, now)? {
                        return Err(closed_already());
                    }
                    let detail = Some(agreed.action.as_str());
                    stagnations::add_event(conn, id, now, step, who.user_id, detail, Some(&agreed))?
                }
                Answer::Close { outcome } => {
                    if !stagnations::close(conn, id, &outcome, now)? {
                        return Err(closed_already());
                    }
                    stagnations::add_event(conn, id, now, step, who.user_id, Some(&outcome), None)?
                }
            };
            let team = her_team(conn, found.team_id, found.client_id, zone, now)?;
            let notifier = Notifier::load(conn, now, zone)?;
            let told = (step_id, NotificationKind::StagnationAnswered);
            tell(conn, &notifier, &team, told, found.client_id)?;
            let answered = reread(conn, id)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(answered)
        })
        .await
}
