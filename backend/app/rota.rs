//! Making shifts from the weekly templates: one per template and local date, remembered as
//! such, so generating again (by the coordinator, or by the demo loader) adds only what is
//! missing.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::db::queries::rota::{self, TemplateRow};
use crate::db::queries::shifts::{self, NewShift};
use crate::domain::rota::{Pattern, Weekdays, parse_wall_time};
use crate::error::ApiError;
use crate::timezone::Zone;

#[derive(Serialize, ToSchema, Debug, PartialEq, Eq)]
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
