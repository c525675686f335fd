//! The weekly rota: templates per location, making shifts from them for a period, and the
//! gap list of shifts below their minimum staffing. Generating makes one shift per template
//! and local date, remembered as such, so generating again (by the coordinator, or by the
//! demo loader) adds only what is missing.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::shifts::{Dates, Shift, planner_team, with_staff, worker_team};
use crate::app::Identity;
use crate::app::locations;
use crate::db::DbConnection;
use crate::db::queries::rota::{self, TemplateFields, TemplateRow};
use crate::db::queries::shifts::{self, NewShift};
use crate::domain::ids::{LocationId, TeamId};
use crate::domain::rota::{Pattern, Weekdays, format_wall_time, parse_wall_time};
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// The longest period one generation may cover.
const MAX_GENERATE_DAYS: i64 = 366;

#[derive(Debug, PartialEq, Eq)]
pub struct Generated {
    /// Shifts made.
    pub created: usize,
    /// Template dates that already had their shift (also when it was moved or cancelled).
    pub existing: usize,
}

/// Makes the shifts of `team`'s active templates for the local dates `from..=to`.
pub fn generate(
    conn: &mut DbConnection,
    zone: Zone,
    team: i64,
    (from, to): (NaiveDate, NaiveDate),
    by: i64,
    now: NaiveDateTime,
) -> Result<Generated, ApiError> {
    let templates: Vec<TemplateRow> = rota::templates_of(conn, team)?
        .into_iter()
        .filter(|t| t.active)
        .collect();
    let ids: Vec<i64> = templates.iter().map(|t| t.id).collect();
    let done = shifts::template_dates(conn, &ids, from, to)?;
    let mut result = Generated {
        created: 0,
        existing: 0,
    };
    for template in &templates {
        for slot in pattern_of(template)?.slots(zone, from, to) {
            if done.contains(&(template.id, slot.date)) {
                result.existing += 1;
                continue;
            }
            let new = NewShift {
                team_id: team,
                location_id: template.location_id,
                starts_at: slot.starts_at,
                ends_at: slot.ends_at,
                min_staff: template.min_staff,
                template: Some((template.id, slot.date)),
                created_by: by,
            };
            // A generation running at the same moment may have made it just now.
            match shifts::create(conn, &new, now)? {
                Some(_) => result.created += 1,
                None => result.existing += 1,
            }
        }
    }
    Ok(result)
}

/// A stored template's pattern (checked when stored, so a failure here is a bug).
fn pattern_of(template: &TemplateRow) -> Result<Pattern, ApiError> {
    let time = |text: &str| -> Result<NaiveTime, ApiError> {
        parse_wall_time("template", text).map_err(ApiError::internal)
    };
    Pattern::new(
        Weekdays::from_stored(&template.weekdays),
        time(&template.starts_local)?,
        time(&template.ends_local)?,
    )
    .map_err(ApiError::internal)
}

/// The weekly templates of the caller's team.
pub async fn templates(state: &AppState, who: &Identity) -> Result<Vec<TemplateRow>, ApiError> {
    let team = worker_team(who)?;
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(rota::templates_of(conn, team.get())?))
        .await
}

/// A weekly template, its pattern and staffing checked already.
pub struct Template {
    pub location: LocationId,
    pub pattern: Pattern,
    pub min_staff: i32,
    pub active: bool,
}

/// A template as stored.
struct Stored {
    location_id: i64,
    weekdays: String,
    starts: String,
    ends: String,
    min_staff: i32,
    active: bool,
}

impl Stored {
    fn of(template: Template) -> Stored {
        Stored {
            location_id: template.location.get(),
            weekdays: template.pattern.weekdays.to_stored(),
            starts: format_wall_time(template.pattern.starts),
            ends: format_wall_time(template.pattern.ends),
            min_staff: template.min_staff,
            active: template.active,
        }
    }

    fn fields(&self) -> TemplateFields<'_> {
        TemplateFields {
            location_id: self.location_id,
            weekdays: &self.weekdays,
            starts_local: &self.starts,
            ends_local: &self.ends,
            min_staff: self.min_staff,
            active: self.active,
        }
    }
}

fn find_template(conn: &mut DbConnection, id: i64, team: TeamId) -> Result<TemplateRow, ApiError> {
    rota::find_template(conn, id, team.get())?.ok_or(ApiError::NotFound)
}

/// Adds a weekly template at a location in use (coordinator).
pub async fn add_template(
    state: &AppState,
    who: &Identity,
    template: Template,
) -> Result<TemplateRow, ApiError> {
    let team = planner_team(who)?;
    let stored = Stored::of(template);
    let (by, now) = (who.user_id, state.clock.now());
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            locations::require_active(conn, stored.location_id)?;
            let id = rota::create_template(conn, team.get(), &stored.fields(), by, now)?;
            find_template(conn, id, team)
        })
        .await
}

/// Changes template `id` of the caller's team (coordinator). Shifts already made from it
/// stay as they are.
pub async fn change_template(
    state: &AppState,
    who: &Identity,
    id: i64,
    template: Template,
) -> Result<TemplateRow, ApiError> {
    let team = planner_team(who)?;
    let stored = Stored::of(template);
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            find_template(conn, id, team)?;
            locations::require_active(conn, stored.location_id)?;
            rota::update_template(conn, id, &stored.fields())?;
            find_template(conn, id, team)
        })
        .await
}

/// Makes the shifts of every active template of the caller's team for the local dates
/// `from..=to` (coordinator).
pub async fn generate_period(
    state: &AppState,
    who: &Identity,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Generated, ApiError> {
    let team = planner_team(who)?;
    if to < from || (to - from).num_days() >= MAX_GENERATE_DAYS {
        return Err(ApiError::invalid(
            "bad_range",
            format!("`to` must be on or after `from`, within {MAX_GENERATE_DAYS} days."),
        ));
    }
    let (zone, by, now) = (state.zone, who.user_id, state.clock.now());
    state
        .db
        .write(move |conn| generate(conn, zone, team.get(), (from, to), by, now))
        .await
}

/// A shift on the gap list.
pub struct Gap {
    /// How many more staff the shift needs.
    pub missing: i32,
    pub shift: Shift,
}

/// Shifts of the caller's team on the given dates that have not ended, are not cancelled
/// and have fewer staff than they need. A shift under way stays on the list: someone can
/// still come and check in.
pub async fn gaps(state: &AppState, who: &Identity, dates: Dates) -> Result<Vec<Gap>, ApiError> {
    let team = worker_team(who)?;
    let now = state.clock.now();
    let (start, end) = dates.span(state.zone, now)?;
    let open = state
        .db
        .read(move |conn| -> Result<_, ApiError> {
            let open: Vec<_> = shifts::overlapping(conn, team.get(), start.max(now), end)?
                .into_iter()
                .filter(|s| s.cancelled_at.is_none())
                .collect();
            with_staff(conn, open)
        })
        .await?;
    Ok(open
        .into_iter()
        .filter_map(|shift| {
            let missing = shift.missing_staff();
            (missing > 0).then_some(Gap { missing, shift })
        })
        .collect())
}
