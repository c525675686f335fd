//! Locations: where shifts are held and contacts recorded. De Loods and De Cirkel are
//! seeded; the admin adds and edits others, each an audit entry saying what changed.

use serde_json::{Map, Value, json};

use crate::app::Identity;
use crate::app::audit::{self, Action, Event};
use crate::db::DbConnection;
use crate::db::queries::locations::{self, LocationChanges, LocationRow};
use crate::domain::code::Code;
use crate::domain::ids::LocationId;
use crate::domain::location::LocationKind;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Refuses a location that does not exist or is no longer in use: nothing new is
/// recorded or planned there.
pub fn require_active(conn: &mut DbConnection, id: i64) -> Result<(), ApiError> {
    match locations::find(conn, id) {
        Ok(location) if location.active => Ok(()),
        Ok(_) => Err(ApiError::invalid(
            "inactive_location",
            "That location is no longer in use.",
        )),
        Err(diesel::result::Error::NotFound) => Err(ApiError::invalid(
            "unknown_location",
            "That location does not exist.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Only the admin adds and changes locations. Asked by every such use case, and by a
/// handler before it judges the input, so that a role refused is told so whatever it sent.
pub fn require_admin(who: &Identity) -> Result<(), ApiError> {
    who.require(|r| r == Role::Admin)
}

/// All locations, for anyone signed in.
pub async fn list(state: &AppState) -> Result<Vec<LocationRow>, ApiError> {
    state
        .db
        .read(|conn| Ok::<_, ApiError>(locations::list(conn)?))
        .await
}

/// A new location; `code` and `name` checked already.
pub struct NewLocation {
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
}

/// Adds a location (admin); 409 when its code is taken.
pub async fn add(
    state: &AppState,
    who: &Identity,
    new: NewLocation,
) -> Result<LocationRow, ApiError> {
    require_admin(who)?;
    let event = Event::account("location.create", Action::Create);
    audit::change_logged(state, who, event, move |conn, _| {
        let id = locations::create(conn, &new.code, &new.name, new.kind.as_str())
            .map_err(|e| super::taken(e, "location_exists", "A location with that code exists."))?;
        let row = locations::find(conn, id)?;
        let detail = json!({
            "location": id,
            "code": row.code,
            "name": row.name,
            "kind": row.kind,
            "active": row.active,
        });
        Ok((row, detail))
    })
    .await
}

/// What to change of a location; left out, it stays. `name` checked already.
pub struct Changes {
    pub name: Option<String>,
    pub kind: Option<LocationKind>,
    /// `false` hides it from new contacts and shifts; its history stays.
    pub active: Option<bool>,
}

/// Renames, re-kinds or deactivates location `id` (admin).
pub async fn change(
    state: &AppState,
    who: &Identity,
    id: LocationId,
    changes: Changes,
) -> Result<LocationRow, ApiError> {
    require_admin(who)?;
    let changes = LocationChanges {
        name: changes.name,
        kind: changes.kind.map(|k| k.as_str().to_owned()),
        active: changes.active,
    };
    let event = Event::account("location.change", Action::Update);
    audit::change_logged(state, who, event, move |conn, _| {
        locations::find(conn, id.get())?;
        locations::update(conn, id.get(), &changes)?;
        Ok((
            locations::find(conn, id.get())?,
            changed(id.get(), &changes),
        ))
    })
    .await
}

/// What the audit entry of a change says: which location, and each new value.
fn changed(id: i64, changes: &LocationChanges) -> Value {
    let mut detail = Map::new();
    detail.insert("location".into(), id.into());
    if let Some(name) = &changes.name {
        detail.insert("name".into(), name.as_str().into());
    }
    if let Some(kind) = &changes.kind {
        detail.insert("kind".into(), kind.as_str().into());
    }
    if let Some(active) = changes.active {
        detail.insert("active".into(), active.into());
    }
    Value::Object(detail)
}
