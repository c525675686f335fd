//! Accounts, teams and organisations (admin; coordinators see their own team's accounts).

use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::teams;
use crate::app::users::{self, Changes, NewUser};
use crate::db::queries::users::UserRow;
use crate::domain::code::Code;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(update_user)
        .service(list_teams)
        .service(create_team)
        .service(list_organisations);
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    id: i64,
    username: String,
    display_name: String,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    active: bool,
}

impl UserView {
    fn from_row(row: UserRow) -> Result<UserView, ApiError> {
        Ok(UserView {
            id: row.id,
            role: Role::from_stored(&row.role).map_err(ApiError::internal)?,
            username: row.username,
            display_name: row.display_name,
            team_id: row.team_id,
            organisation_id: row.organisation_id,
            active: row.active,
        })
    }
}

/// Accounts: all of them for the admin, the own team's for a coordinator.
#[utoipa::path(tag = "users", responses((status = 200, body = [UserView]), (status = 403, body = ErrorBody)))]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<UserView>>, ApiError> {
    users::list(&state, &who)
        .await?
        .into_iter()
        .map(UserView::from_row)
        .collect::<Result<_, _>>()
        .map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    username: String,
    display_name: Option<String>,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    /// Leave out to have the server generate one, returned once in the response.
    password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    user: UserView,
    /// Only when the server generated the password; shown this once.
    initial_password: Option<String>,
}

/// Create an account (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, body = CreatedUser),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "Username taken"),
        (status = 422, body = ErrorBody),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        role: body.role,
        team_id: body.team_id,
        organisation_id: body.organisation_id,
        password: body.password,
    };
    let created = users::create(&state, &who, new).await?;
    Ok(HttpResponse::Created().json(CreatedUser {
        user: UserView::from_row(created.user)?,
        initial_password: created.initial_password,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    display_name: Option<String>,
    role: Option<Role>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    team_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    organisation_id: Option<Option<i64>>,
    /// `false` disables the account and ends all its sessions.
    active: Option<bool>,
}

/// Change an account's name, role, team or organisation, or disable it (admin).
#[utoipa::path(
    tag = "users",
    request_body = UpdateUser,
    params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<UpdateUser>,
) -> Result<web::Json<UserView>, ApiError> {
    let id = UserId(path.into_inner());
    let body = body.into_inner();
    let changes = Changes {
        display_name: body.display_name,
        role: body.role,
        team_id: body.team_id,
        organisation_id: body.organisation_id,
        active: body.active,
    };
    let row = users::update(&state, &who, id, changes).await?;
    UserView::from_row(row).map(web::Json)
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
pub struct CreateTeam {
    name: String,
}

/// Create a team, e.g. "Stapteam Nijmegen" (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateTeam,
    responses((status = 201, body = TeamView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/teams")]
async fn create_team(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreateTeam>,
) -> Result<HttpResponse, ApiError> {
    let (id, name) = teams::create(&state, &who, &body.name).await?;
    Ok(HttpResponse::Created().json(TeamView { id, name }))
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
