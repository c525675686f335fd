//! Warm handover (warme overdracht): a client passes from one casemanager to another with
//! an overlap in which both answer for her, and a note the new one reads on her file.

use chrono::NaiveDateTime;
use diesel::OptionalExtension;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::notify::{Notice, Notifier};
use crate::db::DbConnection;
use crate::db::queries::clients::{self, AssignmentRow, ClientRow};
use crate::db::queries::handovers::{self, NamedHandover, NewHandover};
use crate::db::queries::users;
use crate::domain::code::Code;
use crate::domain::handover::Overlap;
use crate::domain::ids::{ClientId, UserId};
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// A handover as asked for: the overlap and note already checked.
pub struct HandoverRequest {
    /// The casemanager who takes her over.
    pub to: UserId,
    /// Whose assignment is handed over; the caller's own when not given.
    pub from: Option<UserId>,
    pub overlap: Overlap,
    pub note: String,
}

/// Hands the client over (the coordinator, or her current casemanager) and tells both
/// casemanagers.
pub async fn hand_over(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    request: HandoverRequest,
) -> Result<NamedHandover, ApiError> {
    let now = state.clock.now();
    let zone = state.zone;
    let who = who.clone();
    let client_id = client.get();
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let today = zone.local_date(now);
            let event = Event::on("client.handover", Action::Update, client_id);
            let client = access::client(conn, &who, now, client_id, Need::Edit, &event)?;
            let assignments = clients::assignments(conn, client_id)?;
            let current: Vec<&AssignmentRow> = assignments
                .iter()
                .filter(|a| a.from_on <= today && a.until_on.is_none_or(|until| until >= today))
                .collect();
            let from = match handed_over(&who, request.from.map(UserId::get), &current) {
                Ok(from) => from,
                Err(ApiError::Forbidden(message)) => {
                    return Err(ApiError::denied(event, ApiError::Forbidden(message)));
                }
                Err(refusal) => return Err(refusal),
            };
            let to = request.to.get();
            check_target(conn, &client, from, to, &current)?;
            let id = handovers::record(
                conn,
                &NewHandover {
                    client_id,
                    from_assignment: from.id,
                    from_user_id: from.user_id,
                    to_user_id: to,
                    starts_on: request.overlap.starts_on,
                    overlap_until: request.overlap.until,
                    note: &request.note,
                    created_by: who.user_id,
                },
                now,
            )?;
            notify_both(conn, zone, now, id, client_id, from.user_id, to)?;
            let recorded = handovers::for_client(conn, client_id)?
                .into_iter()
                .find(|h| h.handover.id == id)
                .ok_or(ApiError::NotFound)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(recorded)
        })
        .await
}

/// The current assignment being handed over. A casemanager hands over her own; the
/// coordinator names one, unless the client has only one casemanager.
fn handed_over<'a>(
    who: &Identity,
    from_user_id: Option<i64>,
    current: &[&'a AssignmentRow],
) -> Result<&'a AssignmentRow, ApiError> {
    let of = |user: i64| current.iter().copied().find(|a| a.user_id == user);
    if who.role.coordinates() {
        return match (from_user_id, current) {
            (Some(user), _) => of(user).ok_or_else(|| {
                ApiError::invalid(
                    "not_current_casemanager",
                    "from_user_id is not a current casemanager of this client.",
                )
            }),
            (None, [only]) => Ok(only),
            (None, _) => Err(ApiError::invalid(
                "from_user_required",
                "Say whose assignment is handed over (from_user_id): the client has no single current casemanager.",
            )),
        };
    }
    if from_user_id.is_some_and(|user| user != who.user_id) {
        return Err(ApiError::Forbidden(
            "A casemanager hands over only her own assignment.",
        ));
    }
    of(who.user_id).ok_or(ApiError::Forbidden(
        "Only the coordinator or a current casemanager of this client can hand her over.",
    ))
}

/// The new casemanager: someone else, an active casemanager of the client's team, not
/// assigned to her already. A handover already under way is finished first.
fn check_target(
    conn: &mut DbConnection,
    client: &ClientRow,
    from: &AssignmentRow,
    to_user_id: i64,
    current: &[&AssignmentRow],
) -> Result<(), ApiError> {
    if to_user_id == from.user_id {
        return Err(ApiError::invalid(
            "handover_to_self",
            "A client cannot be handed over to the casemanager who hands her over.",
        ));
    }
    if from.until_on.is_some() {
        return Err(ApiError::conflict(
            "handover_pending",
            "This assignment has an end date already: a handover is under way.",
        ));
    }
    let target = users::find(conn, to_user_id).optional()?;
    let eligible = target.is_some_and(|u| {
        u.active
            && u.team_id == Some(client.team_id)
            && Role::from_code(&u.role) == Some(Role::Casemanager)
    });
    if !eligible {
        return Err(ApiError::invalid(
            "not_a_casemanager",
            "A client can be handed over only to an active casemanager of her team.",
        ));
    }
    if current.iter().any(|a| a.user_id == to_user_id) {
        return Err(ApiError::conflict(
            "already_casemanager",
            "That casemanager is assigned to this client already.",
        ));
    }
    Ok(())
}

/// Tells both casemanagers, without the client's alias: the push says only that a client
/// was handed over, and opens her file in the app.
fn notify_both(
    conn: &mut DbConnection,
    zone: Zone,
    now: NaiveDateTime,
    handover_id: i64,
    client_id: i64,
    from: i64,
    to: i64,
) -> diesel::QueryResult<()> {
    let notifier = Notifier::load(conn, now, zone)?;
    for (user, kind) in [
        (to, NotificationKind::HandoverIn),
        (from, NotificationKind::HandoverOut),
    ] {
        let key = NotificationKey::Handover {
            handover: handover_id,
            direction: kind,
            user,
        };
        let notice = Notice {
            client_id: Some(client_id),
            ..Notice::new(user, key, kind)
        };
        notifier.queue(conn, &notice)?;
    }
    Ok(())
}

/// The client's handovers with their notes, newest first.
pub async fn list(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<NamedHandover>, ApiError> {
    let now = state.clock.now();
    let event = Event::on("client.handovers.read", Action::Read, client.get());
    let reader = who.clone();
    let rows = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            access::client(conn, &reader, now, client.get(), Need::Read, &event)?;
            Ok(handovers::for_client(conn, client.get())?)
        })
        .await?;
    audit::record_read(state, who.clone(), now, event).await?;
    Ok(rows)
}
