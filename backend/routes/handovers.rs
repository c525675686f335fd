//! Warm handover (warme overdracht): a client passes from one casemanager to another with
//! an overlap in which both answer for her, and a note the new one reads on her file.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::OptionalExtension;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::access::{self, Need};
use crate::app::audit::{self, Action, Event, Outcome};
use crate::app::followups::notify::{Notice, Notifier};
use crate::db::queries::clients::{self, AssignmentRow, ClientRow};
use crate::db::queries::handovers::{self, NamedHandover, NewHandover};
use crate::db::queries::users;
use crate::db::{DbConnection, write_transaction};
use crate::domain::code::Code;
use crate::domain::handover::{self, Overlap};
use crate::domain::notification::{NotificationKey, NotificationKind};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(hand_over).service(client_handovers);
}

#[derive(Serialize, ToSchema)]
pub struct HandoverView {
    id: i64,
    client_id: i64,
    from_user_id: i64,
    from_display_name: String,
    to_user_id: i64,
    to_display_name: String,
    /// The first day of the new assignment.
    starts_on: NaiveDate,
    /// The last day of the old assignment: until then both answer for her.
    overlap_until: NaiveDate,
    note: String,
    created_by: i64,
    created_at: DateTime<FixedOffset>,
}

fn view(zone: Zone, named: NamedHandover) -> HandoverView {
    let row = named.handover;
    HandoverView {
        id: row.id,
        client_id: row.client_id,
        from_user_id: row.from_user_id,
        from_display_name: named.from_name,
        to_user_id: row.to_user_id,
        to_display_name: named.to_name,
        starts_on: row.starts_on,
        overlap_until: row.overlap_until,
        note: row.note,
        created_by: row.created_by,
        created_at: zone.to_local(row.created_at),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverBody {
    /// The casemanager who takes her over: an active casemanager of her team.
    to_user_id: i64,
    /// Local date: the last day the current casemanager still answers for her. From today
    /// until then both do; at most 60 days ahead.
    overlap_until: NaiveDate,
    /// What the new casemanager needs to know. Shown on her file, never sent in a push.
    note: String,
    /// Whose assignment is handed over: the caller's own by default. The coordinator names
    /// it when the client has more than one casemanager.
    from_user_id: Option<i64>,
}

/// Hand a client over to another casemanager with an overlap period and a note (the
/// coordinator, or the client's current casemanager). Both casemanagers are notified.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path)),
    request_body = HandoverBody,
    responses((status = 201, body = HandoverView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/handover")]
async fn hand_over(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: web::Json<HandoverBody>,
) -> Result<HttpResponse, ApiError> {
    let client_id = path.into_inner();
    let body = body.into_inner();
    let now = state.clock.now();
    let zone = state.zone;
    let today = zone.local_date(now);
    let overlap = Overlap::parse(today, body.overlap_until)?;
    let note = handover::note(&body.note)?;
    let named = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.handover", Action::Update, client_id);
            let client = access::client(conn, &who, now, client_id, Need::Edit, &event)?;
            let assignments = clients::assignments(conn, client_id)?;
            let current: Vec<&AssignmentRow> = assignments
                .iter()
                .filter(|a| a.from_on <= today && a.until_on.is_none_or(|until| until >= today))
                .collect();
            let from = match handed_over(&who, body.from_user_id, &current) {
                Ok(from) => from,
                Err(ApiError::Forbidden(message)) => {
                    return Err(ApiError::denied(event, ApiError::Forbidden(message)));
                }
                Err(refusal) => return Err(refusal),
            };
            check_target(conn, &client, from, body.to_user_id, &current)?;
            write_transaction(conn, |conn| {
                let id = handovers::record(
                    conn,
                    &NewHandover {
                        client_id,
                        from_assignment: from.id,
                        from_user_id: from.user_id,
                        to_user_id: body.to_user_id,
                        starts_on: overlap.starts_on,
                        overlap_until: overlap.until,
                        note: &note,
                        created_by: who.user_id,
                    },
                    now,
                )?;
                notify_both(
                    conn,
                    zone,
                    now,
                    id,
                    client_id,
                    from.user_id,
                    body.to_user_id,
                )?;
                audit::record(conn, &who, now, &event, Outcome::Success)?;
                handovers::for_client(conn, client_id)?
                    .into_iter()
                    .find(|h| h.handover.id == id)
                    .ok_or(ApiError::NotFound)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view(zone, named)))
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

/// A client's handovers with their notes, newest first.
#[utoipa::path(
    tag = "team tools",
    params(("id" = i64, Path)),
    responses((status = 200, body = [HandoverView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/handovers")]
async fn client_handovers(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<HandoverView>>, ApiError> {
    let client_id = path.into_inner();
    let now = state.clock.now();
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let event = Event::on("client.handovers.read", Action::Read, client_id);
            access::client(conn, &who, now, client_id, Need::Read, &event)?;
            let rows = handovers::for_client(conn, client_id)?;
            audit::record(conn, &who, now, &event, Outcome::Success)?;
            Ok(rows)
        })
        .await?;
    let zone = state.zone;
    Ok(web::Json(
        rows.into_iter().map(|named| view(zone, named)).collect(),
    ))
}
