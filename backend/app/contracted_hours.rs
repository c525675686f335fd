//! The hours a week an account of the team is contracted for, which the coordinator sets
//! and the report pack sets the hours on shift against.

use serde_json::json;

use crate::app::Identity;
use crate::app::audit;
use crate::db::queries::users;
use crate::domain::Invalid;
use crate::domain::audit::{Action, Event};
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// More than this in a week is a typing error.
pub const MAX_HOURS_PER_WEEK: i32 = 60;

/// Hours a week from 0 to `MAX_HOURS_PER_WEEK`.
pub fn check(hours_per_week: i32) -> Result<i32, Invalid> {
    if (0..=MAX_HOURS_PER_WEEK).contains(&hours_per_week) {
        Ok(hours_per_week)
    } else {
        Err(Invalid::new(
            "validation_failed",
            format!("hours_per_week must lie between 0 and {MAX_HOURS_PER_WEEK}."),
        ))
    }
}

/// Sets (or, with `None`, clears) the contracted hours of `account`, an account of the
/// coordinator's team (another team's: 404).
pub async fn set(
    state: &AppState,
    who: &Identity,
    account: UserId,
    hours_per_week: Option<i32>,
) -> Result<Option<i32>, ApiError> {
    who.require(Role::coordinates)?;
    let team = who.team()?;
    let hours = hours_per_week.map(check).transpose()?;
    let event = Event::account("account.contracted_hours", Action::Update);
    let id = account.get();
    audit::change_logged(state, who, event, move |conn, _| {
        if users::set_contracted_hours(conn, id, team, hours)? == 0 {
            return Err(ApiError::NotFound);
        }
        Ok((hours, json!({"account": id, "hours_per_week": hours})))
    })
    .await
}
