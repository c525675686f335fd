//! The partner organisations of the care chain (Zorg- en Veiligheidshuis, GGD, police,
//! housing, ...): not users, but what the team refers women to. Every field role and the
//! admin read the list; the admin and coordinators keep it, each change an audit entry
//! saying what changed (`partner.create`, `partner.change`, `partner.delete`).

use serde_json::{Map, Value, json};

use crate::app::Identity;
use crate::app::audit::{self, Action, Event};
use crate::db::DbConnection;
use crate::db::is_foreign_key_violation;
use crate::db::queries::partners::{self, PartnerChanges, PartnerRow};
use crate::domain::ids::PartnerId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// Who reads the list: the admin and the field roles, who refer.
fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Coordinator | Role::Casemanager | Role::Peer
    )
}

/// Who keeps the list: the admin and coordinators. Asked by every such use case, and by a
/// handler before it judges the input, so that a role refused is told so whatever it sent.
pub fn require_keeper(who: &Identity) -> Result<(), ApiError> {
    who.require(|r| matches!(r, Role::Admin | Role::Coordinator))
}

/// All partners, by name, the inactive ones too (marked).
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<PartnerRow>, ApiError> {
    who.require(may_read)?;
    state
        .db
        .read(|conn| Ok::<_, ApiError>(partners::list(conn)?))
        .await
}

fn name_taken(err: diesel::result::Error) -> ApiError {
    super::taken(
        err,
        "partner_exists",
        "A partner organisation with that name exists already.",
    )
}

/// Adds a partner; `name` checked already. 409 when the name is taken.
pub async fn add(state: &AppState, who: &Identity, name: String) -> Result<PartnerRow, ApiError> {
    require_keeper(who)?;
    let event = Event::account("partner.create", Action::Create);
    audit::change_logged(state, who, event, move |conn, _| {
        let id = partners::create(conn, &name).map_err(name_taken)?;
        let detail = json!({"partner": id, "name": name, "active": true});
        Ok((partners::find(conn, id)?, detail))
    })
    .await
}

/// Renames a partner or sets it (in)active; `name` checked already.
pub async fn change(
    state: &AppState,
    who: &Identity,
    id: PartnerId,
    changes: PartnerChanges,
) -> Result<PartnerRow, ApiError> {
    require_keeper(who)?;
    let (event, id) = (Event::account("partner.change", Action::Update), id.get());
    audit::change_logged(state, who, event, move |conn, _| {
        partners::find(conn, id)?;
        partners::update(conn, id, &changes).map_err(name_taken)?;
        Ok((partners::find(conn, id)?, changed(id, &changes)))
    })
    .await
}

/// Deletes a partner nothing refers to; one that is referred to is set inactive instead
/// (409 `partner_in_use`), so the history that names it stays whole.
pub async fn delete(state: &AppState, who: &Identity, id: PartnerId) -> Result<(), ApiError> {
    require_keeper(who)?;
    let (event, id) = (Event::account("partner.delete", Action::Delete), id.get());
    audit::change_logged(state, who, event, move |conn, _| {
        let partner = partners::find(conn, id)?;
        if in_use(conn, id)? {
            return Err(in_use_answer());
        }
        partners::delete(conn, id).map_err(|err| {
            // The database's foreign keys stand behind `in_use`: a table that refers to
            // partners and is missing there is refused all the same.
            if is_foreign_key_violation(&err) {
                in_use_answer()
            } else {
                err.into()
            }
        })?;
        Ok(((), json!({"partner": id, "name": partner.name})))
    })
    .await
}

/// Whether anything refers to partner `id`. Nothing does yet: each table that will (the
/// referrals of the care chain first) adds its `EXISTS` here, so that deleting a partner
/// it names is refused with a clear answer.
fn in_use(_conn: &mut DbConnection, _id: i64) -> Result<bool, ApiError> {
    Ok(false)
}

fn in_use_answer() -> ApiError {
    ApiError::conflict(
        "partner_in_use",
        "Something still refers to this partner organisation; set it inactive instead.",
    )
}

/// What the audit entry of a change says: which partner, and each new value.
fn changed(id: i64, changes: &PartnerChanges) -> Value {
    let mut detail = Map::new();
    detail.insert("partner".into(), id.into());
    if let Some(name) = &changes.name {
        detail.insert("name".into(), name.as_str().into());
    }
    if let Some(active) = changes.active {
        detail.insert("active".into(), active.into());
    }
    Value::Object(detail)
}
