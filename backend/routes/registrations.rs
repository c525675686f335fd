//! The coordinator's registration list: registrations and applications of her team's
//! clients, soonest expiry first, with those expiring within N days marked.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::audit::{self, Event, Outcome};
use crate::db::queries::registrations::{self, RegistrationRow};
use crate::domain::client::{CaseloadStatus, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(registration_list);
}

const MAX_WITHIN_DAYS: u32 = 366;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Days ahead that count as "expiring" (0 to 366); defaults to the
    /// `registration_warning_days` setting (30).
    within_days: Option<u32>,
    /// Only registrations that expire within those days, or have expired.
    #[serde(default)]
    expiring_only: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationView {
    client_id: i64,
    alias: String,
    code: String,
    caseload_status: CaseloadStatus,
    /// `applied` or `registered`.
    registration_status: RegistrationStatus,
    registration_number: Option<String>,
    registration_date: Option<NaiveDate>,
    registration_expires_on: Option<NaiveDate>,
    /// Days from today (local) to the expiry date; negative once expired.
    days_left: Option<i64>,
    /// Expires within `within_days`, or has expired.
    expiring: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationList {
    today: NaiveDate,
    within_days: u32,
    /// Soonest expiry first; those without an expiry date last.
    registrations: Vec<RegistrationView>,
}

fn view(row: RegistrationRow, today: NaiveDate, within: i64) -> Result<RegistrationView, ApiError> {
    let days_left = row
        .registration_expires_on
        .map(|day| (day - today).num_days());
    Ok(RegistrationView {
        client_id: row.client_id,
        alias: row.alias,
        code: row.code,
        caseload_status: CaseloadStatus::from_stored(&row.caseload_status)
            .map_err(ApiError::internal)?,
        registration_status: RegistrationStatus::from_stored(&row.registration_status)
            .map_err(ApiError::internal)?,
        registration_number: row.registration_number,
        registration_date: row.registration_date,
        registration_expires_on: row.registration_expires_on,
        days_left,
        expiring: days_left.is_some_and(|days| days <= within),
    })
}

/// The team's registrations and applications, soonest expiry first (coordinator).
#[utoipa::path(
    tag = "clients",
    params(ListQuery),
    responses((status = 200, body = RegistrationList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/registrations")]
async fn registration_list(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<ListQuery>,
) -> Result<web::Json<RegistrationList>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let within_days = query
        .within_days
        .unwrap_or(state.settings.registration_warning_days);
    if within_days > MAX_WITHIN_DAYS {
        return Err(ApiError::invalid(
            "validation_failed",
            format!("within_days must lie between 0 and {MAX_WITHIN_DAYS}."),
        ));
    }
    let expiring_only = query.expiring_only;
    let now = state.clock.now();
    let today = state.zone.local_date(now);
    let rows = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let rows = registrations::for_team(conn, team)?;
            audit::record(
                conn,
                &who,
                now,
                &Event::search("registration.list"),
                Outcome::Success,
            )?;
            Ok(rows)
        })
        .await?;
    let mut list = rows
        .into_iter()
        .map(|row| view(row, today, i64::from(within_days)))
        .collect::<Result<Vec<_>, _>>()?;
    if expiring_only {
        list.retain(|r| r.expiring);
    }
    list.sort_by(|a, b| {
        let key = |r: &RegistrationView| {
            (
                r.registration_expires_on.is_none(),
                r.registration_expires_on,
                r.code.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(web::Json(RegistrationList {
        today,
        within_days,
        registrations: list,
    }))
}
