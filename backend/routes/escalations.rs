//! Escalation (opschaling): a follow-up escalated by hand to the process director, and her
//! list of the follow-ups escalated to her, by the sweep or by hand.

use actix_web::{get, post, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::followup_view::FollowupView;
use crate::app::Identity;
use crate::app::escalations::{self, EscalatedFollowup};
use crate::domain::escalation;
use crate::domain::ids::FollowupId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;
use crate::timezone::Zone;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(escalate).service(list_escalations);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Escalate {
    /// Why it goes up, e.g. "geen contact meer, zorgen over woning". For the director's
    /// eyes in the app; never sent in a push.
    reason: String,
}

/// "Opschalen": escalate a follow-up to the process director, with a reason (the
/// coordinator, or a casemanager responsible for it). She is notified once, by push,
/// without the client's alias.
#[utoipa::path(
    tag = "followups",
    params(("id" = i64, Path)),
    request_body = Escalate,
    responses((status = 200, body = FollowupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/followups/{id}/escalate")]
async fn escalate(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<Escalate>,
) -> Result<web::Json<FollowupView>, ApiError> {
    // A role without the right is refused before her reason is looked at.
    who.require(Role::edits_clients)?;
    let reason = escalation::reason(&body.reason)?;
    let id = FollowupId(path.into_inner());
    let followup = escalations::escalate(&state, &who, id, reason).await?;
    Ok(web::Json(FollowupView::new(
        state.zone,
        followup.row,
        followup.alias,
        Some(followup.timeline),
    )))
}

#[derive(Serialize, ToSchema)]
pub struct EscalationView {
    /// The follow-up, with its status, outcome and timeline.
    #[serde(flatten)]
    followup: FollowupView,
    /// The client's internal code.
    code: String,
    team_id: i64,
    /// When it reached the process director.
    escalated_at: Option<DateTime<FixedOffset>>,
    /// `sweep` (nobody closed it in time) or `by_hand` (opgeschaald).
    escalated_how: String,
    /// Who escalated it by hand.
    escalated_by: Option<i64>,
    /// Why, when escalated by hand.
    reason: Option<String>,
}

/// The follow-ups escalated to the process director: unclosed ones first, then those
/// closed in the last 30 days with their outcome; newest escalation first. The process
/// director sees every team's, a coordinator her own team's.
#[utoipa::path(
    tag = "followups",
    responses((status = 200, body = [EscalationView]), (status = 403, body = ErrorBody))
)]
#[get("/escalations")]
async fn list_escalations(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<EscalationView>>, ApiError> {
    let list = escalations::list(&state, &who).await?;
    let zone = state.zone;
    Ok(web::Json(
        list.into_iter().map(|e| escalation_view(zone, e)).collect(),
    ))
}

fn escalation_view(zone: Zone, escalated: EscalatedFollowup) -> EscalationView {
    let row = escalated.escalated;
    EscalationView {
        escalated_at: escalated.escalated_at.map(|at| zone.to_local(at)),
        escalated_how: if escalated.by_hand {
            "by_hand"
        } else {
            "sweep"
        }
        .to_owned(),
        escalated_by: escalated.escalated_by,
        reason: escalated.reason,
        code: row.code,
        team_id: row.followup.team_id,
        followup: FollowupView::new(zone, row.followup, row.alias, Some(escalated.timeline)),
    }
}
