//! Creating accounts, shared by the API, `inbeeld user add`, the first-start admin and the
//! demo data, so every path applies the same rules and leaves the same audit entry.

use chrono::NaiveDateTime;
use serde_json::json;

use crate::app::audit::{self, Action, Actor, Event};
use crate::auth::password::{self, NewPassword};
use crate::db::queries::{teams, users};
use crate::db::{Db, DbConnection};
use crate::domain::Invalid;
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::domain::text;
use crate::error::ApiError;

/// A login name: 3 to 32 lowercase letters, digits, `.`, `_` or `-`.
pub fn parse_username(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(Invalid::new(
            "validation_failed",
            "username must be 3 to 32 letters, digits, `.`, `_` or `-`.",
        ))
    }
}

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: Option<&'a str>,
    pub role: Role,
    pub team_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub password: &'a str,
}

/// Refuses an organisation that does not exist (the database would, less kindly).
pub fn check_organisation(
    conn: &mut DbConnection,
    organisation: Option<i64>,
) -> Result<(), ApiError> {
    match organisation {
        Some(org) if !teams::organisation_exists(conn, org)? => Err(ApiError::invalid(
            "unknown_organisation",
            "That organisation does not exist.",
        )),
        _ => Ok(()),
    }
}

/// Checks that a role and team go together and the team exists.
pub fn check_role_team(
    conn: &mut DbConnection,
    role: Role,
    team_id: Option<i64>,
) -> Result<(), ApiError> {
    match team_id {
        None if role.needs_team() => Err(ApiError::invalid(
            "team_required",
            "Coordinators, casemanagers and peers belong to a team: give team_id.",
        )),
        Some(team) if !teams::exists(conn, team)? => Err(ApiError::invalid(
            "unknown_team",
            "That team does not exist.",
        )),
        _ => Ok(()),
    }
}

/// An account whose fields are checked and whose password is hashed: ready to be stored.
pub struct Prepared {
    username: String,
    display_name: String,
    password_hash: String,
    role: Role,
    team_id: Option<i64>,
    organisation_id: Option<i64>,
    /// Who knows the password: what the trail says of it.
    password_source: PasswordSource,
    /// `Some`: a one-time start password, good until then and only to choose her own.
    start_expires_at: Option<NaiveDateTime>,
}

/// Who knows a new account's password, as the trail records it (never the password).
#[derive(Clone, Copy)]
enum PasswordSource {
    /// Whoever created her chose it.
    Chosen,
    /// InBeeld made it up and showed it once, to whoever created her (to hand it over).
    Generated,
    /// Nobody: InBeeld made it up and kept it; she chooses hers through an invitation link.
    Invitation,
}

impl PasswordSource {
    fn as_str(self) -> &'static str {
        match self {
            PasswordSource::Chosen => "chosen",
            PasswordSource::Generated => "generated",
            PasswordSource::Invitation => "invitation",
        }
    }
}

impl Prepared {
    /// The same account in `team`, created in the same write.
    pub fn in_team(self, team: i64) -> Prepared {
        Prepared {
            team_id: Some(team),
            ..self
        }
    }

    /// The same account, whose password InBeeld made up: the trail says so.
    pub fn with_generated_password(self) -> Prepared {
        Prepared {
            password_source: PasswordSource::Generated,
            ..self
        }
    }

    /// The same account, whose password is a one-time start password until `expires_at`.
    pub fn as_start_password(self, expires_at: NaiveDateTime) -> Prepared {
        Prepared {
            start_expires_at: Some(expires_at),
            ..self
        }
    }

    /// The same account, whose password nobody knows: she is invited to choose one.
    pub fn invited(self) -> Prepared {
        Prepared {
            password_source: PasswordSource::Invitation,
            ..self
        }
    }
}

/// Checks what needs no database and hashes the password. The hash is slow on purpose:
/// call this off the async threads and before the write, never inside it.
pub fn prepare(account: &NewAccount) -> Result<Prepared, ApiError> {
    let username = parse_username(account.username)?;
    let display_name = match account.display_name {
        Some(name) => text::bounded("display_name", name, 80)?,
        None => username.clone(),
    };
    let new_password = NewPassword::parse(account.password)?;
    let password_hash = password::hash(new_password.as_str()).map_err(ApiError::internal)?;
    Ok(Prepared {
        username,
        display_name,
        password_hash,
        role: account.role,
        team_id: account.team_id,
        organisation_id: account.organisation_id,
        password_source: PasswordSource::Chosen,
        start_expires_at: None,
    })
}

/// Stores a prepared account once its role, team and organisation check out, with the
/// audit entry `account.create` by `by` saying whose account and with what rights; returns
/// its id. Inside the caller's write.
pub fn insert(
    conn: &mut DbConnection,
    account: &Prepared,
    by: Actor,
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    check_role_team(conn, account.role, account.team_id)?;
    check_organisation(conn, account.organisation_id)?;
    let id = users::create(
        conn,
        &users::NewUser {
            username: &account.username,
            display_name: &account.display_name,
            password_hash: &account.password_hash,
            role: account.role,
            team_id: account.team_id,
            organisation_id: account.organisation_id,
            start_password_expires_at: account.start_expires_at,
        },
        now,
    )
    .map_err(|e| super::taken(e, "username_taken", "That username is taken."))?;
    let detail = json!({
        "account": id,
        "username": account.username,
        "role": account.role.as_str(),
        "team": account.team_id,
        "organisation": account.organisation_id,
        "active": true,
        // Who knows it: chosen by whoever created her, made up and shown once, or known to
        // nobody until she chooses hers through her invitation.
        "password": account.password_source.as_str(),
    });
    let event = Event::account("account.create", Action::Create);
    audit::record_change(conn, by, now, &event, &detail)?;
    Ok(id)
}

/// Validates and creates an account in a write of its own; returns its id. For callers
/// without an async runtime (the command line, tests): it blocks for the hash and the
/// commit. The trail records it as the command line's.
pub fn create_blocking(db: &Db, account: &NewAccount, now: NaiveDateTime) -> Result<i64, ApiError> {
    let prepared = prepare(account)?;
    db.write_blocking(move |conn| insert(conn, &prepared, Actor::COMMAND_LINE, now))
}

/// Whether no account exists yet: then the first start creates `admin`. Blocks.
pub fn none_yet(db: &Db) -> Result<bool, ApiError> {
    Ok(db.read_blocking(|conn| Ok::<_, ApiError>(users::count(conn)?))? == 0)
}

/// Creates `admin` with `secret` (the first start's random password) if there is no
/// account yet; returns whether it did. Blocks, like `create_blocking`.
pub fn bootstrap_admin(db: &Db, secret: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    let admin = prepare(&NewAccount {
        username: "admin",
        display_name: Some("Beheerder"),
        role: Role::Admin,
        team_id: None,
        organisation_id: None,
        password: secret,
    })?
    .with_generated_password();
    db.write_blocking(move |conn| -> Result<_, ApiError> {
        // Counted again where it counts: another start may have been quicker.
        if users::count(conn)? > 0 {
            return Ok(false);
        }
        insert(conn, &admin, Actor::SYSTEM, now)?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(parse_username(" Fleur.K ").unwrap(), "fleur.k");
        assert!(parse_username("ab").is_err());
        assert!(parse_username("fleur k").is_err());
    }
}
