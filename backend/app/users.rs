//! Accounts as the admin keeps them; coordinators see their own team's accounts. Every
//! new account and every change of one is an audit entry saying whose account and what
//! changed (`account.create` in `accounts`, `account.change` here). A new account gets in
//! with a one-time start password or an invitation link; handing out a new start password
//! and resetting the second factor live in `credentials`.

use serde_json::{Map, Value, json};

use crate::app::Identity;
use crate::app::accounts::{self, NewAccount};
use crate::app::audit::{self, Action, Event};
use crate::app::{credentials, slow};
use crate::auth::password::random_password;
use crate::auth::token::new_token;
use crate::db::queries::users::{self, UserRow};
use crate::db::queries::{devices, invitations, sessions};
use crate::domain::code::Code;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::domain::text;
use crate::error::ApiError;
use crate::state::AppState;

/// Accounts: all of them for the admin, the own team's for a coordinator.
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<UserRow>, ApiError> {
    let team = match who.role {
        Role::Admin => None,
        Role::Coordinator => Some(who.team()?),
        _ => {
            return Err(ApiError::Forbidden(
                "Only admins and coordinators list accounts.",
            ));
        }
    };
    state
        .db
        .read(move |conn| Ok::<_, ApiError>(users::list(conn, team)?))
        .await
}

/// Only the admin creates and changes accounts. Asked by every such use case, and by a
/// handler before it judges the input, so that a role refused is told so whatever it sent.
pub fn require_admin(who: &Identity) -> Result<(), ApiError> {
    who.require(|r| r == Role::Admin)
}

/// An account as the admin asks for it.
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub team_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub start: Start,
}

/// How a new account gets in the first time.
pub enum Start {
    /// A one-time start password: as the admin chose it, or (`None`) made up by InBeeld
    /// and shown once. It expires after `invitation_days`, and signing in with it reaches
    /// nothing but choosing her own.
    Password(Option<String>),
    /// An invitation link, shown once: she chooses her password through it.
    Invitation,
}

pub struct Created {
    pub user: UserRow,
    /// The start password InBeeld made up, if it did: shown this once.
    pub start_password: Option<String>,
    /// Her invitation's token, if she is invited: shown this once, in a link.
    pub invitation_token: Option<String>,
}

/// Creates an account (admin).
pub async fn create(state: &AppState, who: &Identity, new: NewUser) -> Result<Created, ApiError> {
    require_admin(who)?;
    let now = state.clock.now();
    let expires_at = now + credentials::start_lifetime(state);
    let (secret, shown) = match &new.start {
        Start::Password(Some(chosen)) => (chosen.clone(), None),
        Start::Password(None) => {
            let made_up = random_password();
            (made_up.clone(), Some(made_up))
        }
        // Known to nobody: until she chooses hers, no password signs her in.
        Start::Invitation => (random_password(), None),
    };
    let invited = matches!(new.start, Start::Invitation);
    let prepared = slow::run(move || {
        accounts::prepare(&NewAccount {
            username: &new.username,
            display_name: new.display_name.as_deref(),
            role: new.role,
            team_id: new.team_id,
            organisation_id: new.organisation_id,
            password: &secret,
        })
    })
    .await??;
    let prepared = match (&shown, invited) {
        (_, true) => prepared.invited(),
        (Some(_), _) => prepared
            .with_generated_password()
            .as_start_password(expires_at),
        (None, _) => prepared.as_start_password(expires_at),
    };
    let invitation = invited.then(new_token);
    let token_hash = invitation.as_ref().map(|(_, hash)| hash.clone());
    let by = who.clone();
    let user = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let id = accounts::insert(conn, &prepared, by.actor(), now)?;
            if let Some(hash) = &token_hash {
                invitations::create(conn, id, hash, now, expires_at)?;
            }
            Ok(users::find(conn, id)?)
        })
        .await?;
    Ok(Created {
        user,
        start_password: shown,
        invitation_token: invitation.map(|(token, _)| token),
    })
}

/// What the admin changes in an account; `None` leaves a field as it is.
pub struct Changes {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` takes her out of her team.
    pub team_id: Option<Option<i64>>,
    pub organisation_id: Option<Option<i64>>,
    /// `false` disables the account and ends all its sessions.
    pub active: Option<bool>,
}

/// Changes an account's name, role, team or organisation, or disables it (admin).
pub async fn update(
    state: &AppState,
    who: &Identity,
    id: UserId,
    changes: Changes,
) -> Result<UserRow, ApiError> {
    require_admin(who)?;
    let display_name = changes
        .display_name
        .as_deref()
        .map(|n| text::bounded("display_name", n, 80))
        .transpose()?;
    let (event, id) = (Event::account("account.change", Action::Update), id.get());
    audit::change_logged(state, who, event, move |conn, now| {
        let current = users::find(conn, id)?;
        let role = match changes.role {
            Some(role) => role,
            None => Role::from_stored(&current.role).map_err(ApiError::internal)?,
        };
        let team = changes.team_id.unwrap_or(current.team_id);
        accounts::check_role_team(conn, role, team)?;
        accounts::check_organisation(conn, changes.organisation_id.flatten())?;
        let detail = changed(id, &changes, display_name.as_deref());
        let stored = users::UserChanges {
            display_name,
            role: changes.role.map(|r| r.as_str().to_owned()),
            team_id: changes.team_id,
            organisation_id: changes.organisation_id,
            active: changes.active,
        };
        users::update(conn, id, &stored)?;
        if changes.active == Some(false) || changes.role.is_some() || changes.team_id.is_some() {
            // A disabled account, or one whose access changed, signs in afresh, and
            // what her phones kept under the old access becomes unreadable.
            devices::revoke_for_user(conn, id, now)?;
            sessions::delete_for_user(conn, id, None)?;
        }
        Ok((users::find(conn, id)?, detail))
    })
    .await
}

/// What the audit entry of a change says: whose account, and the new value of each field
/// the admin changed (a team or organisation taken away is `null`).
fn changed(id: i64, changes: &Changes, display_name: Option<&str>) -> Value {
    let mut detail = Map::new();
    detail.insert("account".into(), id.into());
    if let Some(name) = display_name {
        detail.insert("display_name".into(), name.into());
    }
    if let Some(role) = changes.role {
        detail.insert("role".into(), role.as_str().into());
    }
    if let Some(team) = changes.team_id {
        detail.insert("team".into(), json!(team));
    }
    if let Some(organisation) = changes.organisation_id {
        detail.insert("organisation".into(), json!(organisation));
    }
    if let Some(active) = changes.active {
        detail.insert("active".into(), active.into());
    }
    Value::Object(detail)
}
