//! Tonight's tally: the counts on Turven's tiles (this shift and the whole team) and her
//! own contacts tonight, read from the server so they survive a reload.

use actix_web::{get, web};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::contact_view::{ContactView, view};
use crate::app::Identity;
use crate::app::tally::{self, Count, Here};
use crate::domain::ids::{LocationId, ShiftId};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(tonight);
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TonightQuery {
    /// The shift she is on; "here" counts its contacts.
    shift_id: Option<i64>,
    /// Without a shift: the place she tallies at.
    location_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CountView {
    /// At this shift (or place) tonight.
    here: i64,
    /// By the whole team tonight, anywhere.
    team: i64,
}

impl From<Count> for CountView {
    fn from(count: Count) -> Self {
        CountView {
            here: count.here,
            team: count.team,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientCountView {
    client_id: i64,
    #[serde(flatten)]
    count: CountView,
}

#[derive(Serialize, ToSchema)]
pub struct MyContactView {
    #[serde(flatten)]
    contact: ContactView,
    /// Until when she can still correct or delete it.
    correctable_until: DateTime<FixedOffset>,
}

#[derive(Serialize, ToSchema)]
pub struct TonightView {
    /// The evening: local noon to noon.
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    clients: Vec<ClientCountView>,
    anonymous: CountView,
    /// The caller's own contacts tonight, newest first.
    mine: Vec<MyContactView>,
}

/// Tonight's counts per client, here and team-wide, and the caller's own contacts tonight.
#[utoipa::path(
    tag = "contacts",
    params(TonightQuery),
    responses((status = 200, body = TonightView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/contacts/tonight")]
async fn tonight(
    state: web::Data<AppState>,
    who: Identity,
    query: web::Query<TonightQuery>,
) -> Result<web::Json<TonightView>, ApiError> {
    let here = match (query.shift_id, query.location_id) {
        (Some(shift), None) => Here::Shift(ShiftId(shift)),
        (None, Some(place)) => Here::Location(LocationId(place)),
        _ => {
            return Err(ApiError::invalid(
                "shift_or_location",
                "Give either shift_id or location_id.",
            ));
        }
    };
    let tonight = tally::tonight(&state, &who, here).await?;
    let zone = state.zone;
    Ok(web::Json(TonightView {
        from: zone.to_local(tonight.from),
        to: zone.to_local(tonight.to),
        clients: tonight
            .clients
            .into_iter()
            .map(|(client_id, count)| ClientCountView {
                client_id,
                count: count.into(),
            })
            .collect(),
        anonymous: tonight.anonymous.into(),
        mine: tonight
            .mine
            .into_iter()
            .map(|(row, until)| {
                Ok(MyContactView {
                    contact: view(zone, row)?,
                    correctable_until: zone.to_local(until),
                })
            })
            .collect::<Result<_, ApiError>>()?,
    }))
}
