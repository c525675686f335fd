//! Warm handover (warme overdracht): a client passes from one casemanager to another with
//! an overlap in which both answer for her, and a note the new one reads on her file.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::handovers::{self, HandoverRequest};
use crate::db::queries::handovers::NamedHandover;
use crate::domain::handover::{self, Overlap};
use crate::domain::ids::{ClientId, UserId};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
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
    body: Json<HandoverBody>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let zone = state.zone;
    let today = zone.local_date(state.clock.now());
    let request = HandoverRequest {
        overlap: Overlap::parse(today, body.overlap_until)?,
        note: handover::note(&body.note)?,
        to: UserId(body.to_user_id),
        from: body.from_user_id.map(UserId),
    };
    let named = handovers::hand_over(&state, &who, ClientId(path.into_inner()), request).await?;
    Ok(HttpResponse::Created().json(view(zone, named)))
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
    let rows = handovers::list(&state, &who, ClientId(path.into_inner())).await?;
    let zone = state.zone;
    Ok(web::Json(
        rows.into_iter().map(|named| view(zone, named)).collect(),
    ))
}
