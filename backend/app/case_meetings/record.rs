//! What a case meeting records per agenda item: the discussion's summary and the
//! decisions taken, each with an owner and a due date (the coordinator and her team's
//! casemanagers; they take part as they do in a client's plan).

use super::{Item, meeting_of_team, with_decisions};
use crate::app::Identity;
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::plan;
use crate::db::DbConnection;
use crate::db::queries::case_meetings::{self as queries, ItemRow, NewDecision};
use crate::domain::case_meeting::takes_part;
use crate::domain::plan::ActionOwner;
use crate::error::ApiError;
use crate::state::AppState;

/// A decision to record: what, who carries it out, by when.
pub struct NewDecisionInput {
    pub what: String,
    pub owner: ActionOwner,
    pub due_on: chrono::NaiveDate,
}

/// Runs `change` on item `item_id` of meeting `meeting_id` of the caller's team, then
/// writes `name` as an entry about the item's client (or about no client), and answers
/// the item as it is now.
async fn change_item<F>(
    state: &AppState,
    who: &Identity,
    (meeting_id, item_id): (i64, i64),
    (name, action): (&'static str, Action),
    change: F,
) -> Result<Item, ApiError>
where
    F: FnOnce(
            &mut DbConnection,
            &Identity,
            &ItemRow,
            chrono::NaiveDateTime,
        ) -> Result<(), ApiError>
        + Send
        + 'static,
{
    who.require(takes_part)?;
    let (who, now) = (who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let about_meeting = Event {
                name,
                action,
                client_id: None,
            };
            meeting_of_team(conn, &who, meeting_id, about_meeting)?;
            let find = |conn: &mut DbConnection| -> Result<ItemRow, ApiError> {
                queries::items_of(conn, meeting_id)?
                    .into_iter()
                    .find(|i| i.id == item_id)
                    .ok_or(ApiError::NotFound)
            };
            let item = find(conn)?;
            change(conn, &who, &item, now)?;
            let item = vec![find(conn)?];
            let item = with_decisions(conn, item)?.remove(0);
            let event = Event {
                client_id: item.row.client_id,
                ..about_meeting
            };
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(item)
        })
        .await
}

/// Records the summary of the discussion of one item (replacing the one before).
pub async fn summarise(
    state: &AppState,
    who: &Identity,
    meeting_item: (i64, i64),
    summary: String,
) -> Result<Item, ApiError> {
    let event = ("case_meeting.item.update", Action::Update);
    change_item(
        state,
        who,
        meeting_item,
        event,
        move |conn, _, item, now| {
            queries::set_summary(conn, item.id, &summary, now)?;
            Ok(())
        },
    )
    .await
}

/// Records a decision taken on one item. Its owner is an active casemanager or
/// coordinator of the team, or an active partner with a named contact person; it is due
/// on or after the meeting's day (422 `due_before_meeting`).
pub async fn decide(
    state: &AppState,
    who: &Identity,
    meeting_item: (i64, i64),
    decision: NewDecisionInput,
) -> Result<Item, ApiError> {
    let zone = state.zone;
    let event = ("case_meeting.decision.create", Action::Create);
    change_item(
        state,
        who,
        meeting_item,
        event,
        move |conn, who, item, now| {
            let meeting = queries::find_in_team(conn, item.meeting_id, who.team()?)?
                .ok_or(ApiError::NotFound)?;
            if decision.due_on < zone.local_date(meeting.starts_at) {
                return Err(ApiError::invalid(
                    "due_before_meeting",
                    "A decision is due on or after the day of the meeting.",
                ));
            }
            plan::check_owner(conn, meeting.team_id, &decision.owner)?;
            let (owner_id, partner_id, contact) = match &decision.owner {
                ActionOwner::Member(user) => (Some(*user), None, None),
                ActionOwner::Partner {
                    partner_id,
                    contact,
                } => (None, Some(*partner_id), Some(contact.as_str())),
            };
            queries::insert_decision(
                conn,
                &NewDecision {
                    item_id: item.id,
                    client_id: item.client_id,
                    what: &decision.what,
                    owner_id,
                    partner_id,
                    partner_contact: contact,
                    due_on: decision.due_on,
                    created_by: who.user_id,
                },
                now,
            )?;
            Ok(())
        },
    )
    .await
}
