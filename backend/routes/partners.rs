//! The partner organisations of the care chain: every field role and the admin read them,
//! the admin and coordinators keep the list.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::partners::{self, require_keeper};
use crate::db::queries::partners::{PartnerChanges, PartnerRow};
use crate::domain::ids::PartnerId;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_partners)
        .service(create_partner)
        .service(update_partner)
        .service(delete_partner);
}

#[derive(Serialize, ToSchema)]
pub struct PartnerView {
    id: i64,
    name: String,
    /// `false`: kept for the history that names it, no longer offered.
    active: bool,
}

impl From<PartnerRow> for PartnerView {
    fn from(row: PartnerRow) -> PartnerView {
        PartnerView {
            id: row.id,
            name: row.name,
            active: row.active,
        }
    }
}

/// The partner organisations, by name (the admin and the field roles).
#[utoipa::path(tag = "partners", responses((status = 200, body = [PartnerView]), (status = 403, body = ErrorBody)))]
#[get("/partners")]
async fn list_partners(
    state: web::Data<AppState>,
    who: Identity,
) -> Result<web::Json<Vec<PartnerView>>, ApiError> {
    let rows = partners::list(&state, &who).await?;
    Ok(web::Json(rows.into_iter().map(PartnerView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartner {
    name: String,
}

/// Add a partner organisation (admin, coordinator).
#[utoipa::path(
    tag = "partners",
    request_body = CreatePartner,
    responses((status = 201, body = PartnerView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/partners")]
async fn create_partner(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreatePartner>,
) -> Result<HttpResponse, ApiError> {
    require_keeper(&who)?;
    let name = text::bounded("name", &body.name, 80)?;
    let row = partners::add(&state, &who, name).await?;
    Ok(HttpResponse::Created().json(PartnerView::from(row)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePartner {
    name: Option<String>,
    /// `false`: no longer offered; the history that names it stays.
    active: Option<bool>,
}

/// Rename a partner organisation, or set it (in)active (admin, coordinator).
#[utoipa::path(
    tag = "partners",
    params(("id" = i64, Path)),
    request_body = UpdatePartner,
    responses((status = 200, body = PartnerView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/partners/{id}")]
async fn update_partner(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<UpdatePartner>,
) -> Result<web::Json<PartnerView>, ApiError> {
    require_keeper(&who)?;
    let changes = PartnerChanges {
        name: body
            .name
            .as_deref()
            .map(|n| text::bounded("name", n, 80))
            .transpose()?,
        active: body.active,
    };
    let row = partners::change(&state, &who, PartnerId(path.into_inner()), changes).await?;
    Ok(web::Json(PartnerView::from(row)))
}

/// Delete a partner organisation nothing refers to (admin, coordinator); 409
/// `partner_in_use` otherwise: set it inactive instead.
#[utoipa::path(
    tag = "partners",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[delete("/partners/{id}")]
async fn delete_partner(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    partners::delete(&state, &who, PartnerId(path.into_inner())).await?;
    Ok(HttpResponse::NoContent().finish())
}
