//! The team's follow-up list as the phone shows it: each with her alias, how many days
//! she has not been seen, her casemanagers today, and who took it on. One follow-up's page
//! shows the same (`actions::get`).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::app::Identity;
use crate::app::audit::{self, Event};
use crate::db::DbConnection;
use crate::db::queries::followup_people;
use crate::db::queries::followups::{self, FollowupRow};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// A person named on the list.
#[derive(Clone)]
pub struct Person {
    pub user_id: i64,
    pub display_name: String,
}

/// One follow-up on the list.
pub struct Listed {
    pub row: FollowupRow,
    pub alias: String,
    /// Whole local days since she was last seen (or taken in), for an absence.
    pub days_unseen: Option<i64>,
    pub casemanagers: Vec<Person>,
    pub acknowledged_by: Option<Person>,
    /// The one person it is addressed to instead of her casemanagers.
    pub owner: Option<Person>,
}

/// The team's follow-ups, most urgent first. Care roles read their team's.
pub async fn list(
    state: &AppState,
    who: &Identity,
    include_closed: bool,
) -> Result<Vec<Listed>, ApiError> {
    who.require(Role::is_care_role)?;
    let team = who.team()?;
    let zone = state.zone;
    let event = Event::search("followup.list");
    audit::read_logged(state, who, event, move |conn, _, now| {
        let rows = followups::for_team(conn, team, include_closed)?;
        with_people(conn, rows, zone, now)
    })
    .await
}

/// `rows` with the days she went unseen, her casemanagers today and who took each on.
pub(super) fn with_people(
    conn: &mut DbConnection,
    rows: Vec<(FollowupRow, String)>,
    zone: Zone,
    now: NaiveDateTime,
) -> Result<Vec<Listed>, ApiError> {
    let today = zone.local_date(now);
    let clients: Vec<i64> = rows.iter().map(|(row, _)| row.client_id).collect();
    let mut casemanagers: HashMap<i64, Vec<Person>> = HashMap::new();
    for (client, user_id, display_name) in followup_people::casemanagers_of(conn, &clients, today)?
    {
        casemanagers.entry(client).or_default().push(Person {
            user_id,
            display_name,
        });
    }
    let takers: Vec<i64> = rows
        .iter()
        .flat_map(|(r, _)| [r.acknowledged_by, r.owner_id])
        .flatten()
        .collect();
    let names: HashMap<i64, String> = followup_people::display_names(conn, &takers)?
        .into_iter()
        .collect();
    let person = |id: i64| {
        names.get(&id).map(|name| Person {
            user_id: id,
            display_name: name.clone(),
        })
    };
    Ok(rows
        .into_iter()
        .map(|(row, alias)| Listed {
            days_unseen: row
                .absent_since
                .map(|since| (today - zone.local_date(since)).num_days()),
            casemanagers: casemanagers
                .get(&row.client_id)
                .cloned()
                .unwrap_or_default(),
            acknowledged_by: row.acknowledged_by.and_then(person),
            owner: row.owner_id.and_then(person),
            row,
            alias,
        })
        .collect())
}
