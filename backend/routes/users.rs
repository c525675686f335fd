//! Accounts (admin; coordinators see their own team's accounts): creating one with a
//! one-time start password or an invitation link, changing or disabling it, and handing
//! out a new start password or a fresh second factor.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::double_option;
use crate::app::Identity;
use crate::app::contracted_hours;
use crate::app::credentials;
use crate::app::users::{self, Changes, NewUser, Start};
use crate::db::queries::users::UserRow;
use crate::domain::code::Code;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::origin::public_origin;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(update_user)
        .service(set_contracted_hours)
        .service(new_start_password)
        .service(reset_second_factor);
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
    /// The hours a week she is contracted for (set by her coordinator); null when unset.
    contracted_hours_per_week: Option<i32>,
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
            contracted_hours_per_week: row.contracted_hours_per_week,
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
    /// How she gets in the first time; `password` when left out.
    #[serde(default)]
    start: StartWith,
    /// With `start: password`: the start password, to choose it yourself. Left out, the
    /// server makes one up and returns it once.
    password: Option<String>,
}

#[derive(Deserialize, ToSchema, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum StartWith {
    /// A one-time start password: it expires after `invitation_days`, and signing in with
    /// it reaches nothing but choosing her own password (then the second factor).
    #[default]
    Password,
    /// An invitation link, which works once until `invitation_days` have passed: she
    /// chooses her password through it.
    Invitation,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    user: UserView,
    /// The start password the server made up; shown this once, never again.
    start_password: Option<String>,
    /// `<origin>/#/uitnodiging/<token>`, with `start: invitation`; shown this once.
    invitation_url: Option<String>,
}

/// Create an account (admin), with a one-time start password or an invitation link.
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
    req: HttpRequest,
    body: Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    users::require_admin(&who)?;
    let body = body.into_inner();
    let start = match (body.start, body.password) {
        (StartWith::Password, password) => Start::Password(password),
        (StartWith::Invitation, None) => Start::Invitation,
        (StartWith::Invitation, Some(_)) => {
            return Err(ApiError::invalid(
                "validation_failed",
                "An invited account chooses its own password: leave out password.",
            ));
        }
    };
    let new = NewUser {
        username: body.username,
        display_name: body.display_name,
        role: body.role,
        team_id: body.team_id,
        organisation_id: body.organisation_id,
        start,
    };
    let created = users::create(&state, &who, new).await?;
    let origin = public_origin(&state, &req);
    Ok(HttpResponse::Created().json(CreatedUser {
        user: UserView::from_row(created.user)?,
        start_password: created.start_password,
        invitation_url: created
            .invitation_token
            .map(|token| format!("{origin}/#/uitnodiging/{token}")),
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
pub struct StartPassword {
    /// The new one-time start password; shown this once, never again.
    start_password: String,
}

/// Give an account a new one-time start password (a lost password; admin, not for her own
/// account): her old password and any invitation stop working, and her sessions end and
/// her devices are revoked. Her second factor stays.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path)),
    responses((status = 200, body = StartPassword), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/users/{id}/start-password")]
async fn new_start_password(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<StartPassword>, ApiError> {
    let start_password =
        credentials::new_start_password(&state, &who, UserId(path.into_inner())).await?;
    Ok(web::Json(StartPassword { start_password }))
}

/// Reset an account's second factor (a lost phone; admin, not for her own account): her
/// authenticator app, recovery codes and passkeys are removed, her sessions end and her
/// devices are revoked. She enrols anew at her next sign-in.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/users/{id}/second-factor/reset")]
async fn reset_second_factor(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    credentials::reset_second_factor(&state, &who, UserId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractedHours {
    /// Hours a week, 0 to 60; null clears them.
    hours_per_week: Option<i32>,
}

/// Set the hours a week an account of the team is contracted for (coordinator), which the
/// report pack sets the hours on shift against.
#[utoipa::path(
    tag = "users",
    request_body = ContractedHours,
    params(("id" = i64, Path)),
    responses((status = 200, body = ContractedHours), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[put("/users/{id}/contracted-hours")]
async fn set_contracted_hours(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<ContractedHours>,
) -> Result<web::Json<ContractedHours>, ApiError> {
    let id = UserId(path.into_inner());
    let hours_per_week =
        contracted_hours::set(&state, &who, id, body.into_inner().hours_per_week).await?;
    Ok(web::Json(ContractedHours { hours_per_week }))
}
