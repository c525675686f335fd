//! Teams (the admin creates and renames them; the admin and coordinators list them) and
//! the organisations accounts can belong to.

use actix_web::{HttpResponse, get, patch, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::teams;
use crate::domain::ids::TeamId;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_teams)
        .service(create_team)
        .service(rename_team)
        .service(list_organisations)
        .service(plan_access)
        .service(set_plan_access);
}

#[derive(Serialize, ToSchema)]
pub struct TeamView {
    id: i64,
    name: String,
}

/// Teams (admin and coordinators).
#[utoipa::path(tag = "users", responses((status = 200, body = [TeamView]), (status = 403, body = ErrorBody)))]
#[get("/teams")]
async fn list_teams(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<TeamView>>, ApiError> {
    let rows = teams::list(&state, &who).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|t| TeamView {
                id: t.id,
                name: t.name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamName {
    name: String,
}

/// Create a team, e.g. "Stapteam Nijmegen" (admin).
#[utoipa::path(
    tag = "users",
    request_body = TeamName,
    responses((status = 201, body = TeamView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/teams")]
async fn create_team(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<TeamName>,
) -> Result<HttpResponse, ApiError> {
    let (id, name) = teams::create(&state, &who, &body.name).await?;
    Ok(HttpResponse::Created().json(TeamView { id, name }))
}

/// Rename a team (admin).
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path)),
    request_body = TeamName,
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/teams/{id}")]
async fn rename_team(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<TeamName>,
) -> Result<web::Json<TeamView>, ApiError> {
    let id = TeamId(path.into_inner());
    let (id, name) = teams::rename(&state, &who, id, &body.name).await?;
    Ok(web::Json(TeamView { id, name }))
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    id: i64,
    name: String,
}

/// The care organisations and partners accounts can belong to.
#[utoipa::path(tag = "users", responses((status = 200, body = [OrganisationView]), (status = 401, body = ErrorBody)))]
#[get("/organisations")]
async fn list_organisations(
    state: web::Data<AppState>,
    _who: Identity,
) -> Result<web::Json<Vec<OrganisationView>>, ApiError> {
    let rows = teams::organisations(&state).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|(id, name)| OrganisationView { id, name })
            .collect(),
    ))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanAccess {
    /// The team's peer workers may read scores and their notes in her plan.
    peers_see_scores: bool,
}

/// What the team's peer workers may read of a plan (the team's coordinator,
/// casemanagers and peers).
#[utoipa::path(tag = "users", responses((status = 200, body = PlanAccess), (status = 403, body = ErrorBody)))]
#[get("/team/plan-access")]
async fn plan_access(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<PlanAccess>, ApiError> {
    let peers_see_scores = teams::peers_see_scores(&state, &who).await?;
    Ok(web::Json(PlanAccess { peers_see_scores }))
}

/// Let the team's peer workers read scores and their notes, or not (the team's
/// coordinator).
#[utoipa::path(
    tag = "users",
    request_body = PlanAccess,
    responses((status = 200, body = PlanAccess), (status = 403, body = ErrorBody))
)]
#[put("/team/plan-access")]
async fn set_plan_access(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<PlanAccess>,
) -> Result<web::Json<PlanAccess>, ApiError> {
    let peers_see_scores =
        teams::set_peers_see_scores(&state, &who, body.into_inner().peers_see_scores).await?;
    Ok(web::Json(PlanAccess { peers_see_scores }))
}
