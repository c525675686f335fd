//! Locations: De Loods and De Cirkel are seeded; the admin adds and edits others.

use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::locations::{self, Changes, NewLocation, require_admin};
use crate::db::queries::locations::LocationRow;
use crate::domain::Invalid;
use crate::domain::code::Code;
use crate::domain::ids::LocationId;
use crate::domain::location::LocationKind;
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_locations)
        .service(create_location)
        .service(update_location);
}

#[derive(Serialize, ToSchema)]
pub struct LocationView {
    id: i64,
    code: String,
    name: String,
    kind: LocationKind,
    active: bool,
}

impl LocationView {
    fn from_row(row: LocationRow) -> Result<LocationView, ApiError> {
        Ok(LocationView {
            id: row.id,
            kind: LocationKind::from_stored(&row.kind).map_err(ApiError::internal)?,
            code: row.code,
            name: row.name,
            active: row.active,
        })
    }
}

/// All locations.
#[utoipa::path(tag = "locations", responses((status = 200, body = [LocationView]), (status = 401, body = ErrorBody)))]
#[get("/locations")]
async fn list_locations(
    state: web::Data<AppState>,
    _who: Identity,
) -> Result<web::Json<Vec<LocationView>>, ApiError> {
    locations::list(&state)
        .await?
        .into_iter()
        .map(LocationView::from_row)
        .collect::<Result<_, _>>()
        .map(web::Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLocation {
    /// Short stable code, e.g. `station`.
    code: String,
    name: String,
    kind: LocationKind,
}

fn parse_location_code(raw: &str) -> Result<String, Invalid> {
    let code = raw.trim();
    if (2..=24).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(code.to_owned())
    } else {
        Err(Invalid::new(
            "validation_failed",
            "code must be 2 to 24 lowercase letters, digits or _.",
        ))
    }
}

/// Add a location (admin).
#[utoipa::path(
    tag = "locations",
    request_body = CreateLocation,
    responses((status = 201, body = LocationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/locations")]
async fn create_location(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<CreateLocation>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&who)?;
    let new = NewLocation {
        code: parse_location_code(&body.code)?,
        name: text::bounded("name", &body.name, 80)?,
        kind: body.kind,
    };
    let row = locations::add(&state, &who, new).await?;
    Ok(HttpResponse::Created().json(LocationView::from_row(row)?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLocation {
    name: Option<String>,
    kind: Option<LocationKind>,
    /// `false` hides the location from new contacts and shifts; history stays.
    active: Option<bool>,
}

/// Rename, re-kind or deactivate a location (admin).
#[utoipa::path(
    tag = "locations",
    params(("id" = i64, Path)),
    request_body = UpdateLocation,
    responses((status = 200, body = LocationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/locations/{id}")]
async fn update_location(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    body: Json<UpdateLocation>,
) -> Result<web::Json<LocationView>, ApiError> {
    require_admin(&who)?;
    let changes = Changes {
        name: body
            .name
            .as_deref()
            .map(|n| text::bounded("name", n, 80))
            .transpose()?,
        kind: body.kind,
        active: body.active,
    };
    let row = locations::change(&state, &who, LocationId(path.into_inner()), changes).await?;
    LocationView::from_row(row).map(web::Json)
}
