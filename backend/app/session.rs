//! Sessions: finding the one behind a request (timeouts, the lock), signing in with a
//! password, opening a session once she has proved who she is, and ending sessions.

use chrono::{NaiveDateTime, TimeDelta};

use crate::app::audit::{self, Action, Actor, Event, Outcome};
use crate::app::{Identity, read_own, slow, throttle};
use crate::auth::password;
use crate::db::DbConnection;
use crate::db::queries::users::{self, UserRow};
use crate::db::queries::{devices, login_failures, passkeys, second_factor, sessions};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a session that has had only a password may wait for its second factor:
/// enough to find the phone and open the app, not an evening.
const SECOND_FACTOR_WITHIN: TimeDelta = TimeDelta::minutes(10);

/// Refreshing `last_seen_at` at most this often keeps reads from becoming writes.
const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

/// A live session, as found for a request.
pub struct Live {
    pub session_id: i64,
    pub user_id: i64,
    pub role: Role,
    pub team_id: Option<i64>,
    /// The session has completed its second factor.
    pub second_factor_done: bool,
    /// Past the second factor, or none is required here.
    pub complete: bool,
    /// Signed in with a start password not yet replaced (see `http::session::OwnAccount`).
    pub must_change_password: bool,
    pub locked: bool,
}

/// The session whose token hashes to `token_hash`, checked for its timeouts and its lock.
/// Finding it is a read; an expired one is deleted, and a used one touched (at most once
/// a minute), each in a small write of its own.
pub async fn authenticate(state: &AppState, token_hash: String) -> Result<Live, ApiError> {
    let now = state.clock.now();
    let settings = &state.settings;
    let idle = TimeDelta::minutes(i64::from(settings.session_idle_minutes));
    let absolute = TimeDelta::hours(i64::from(settings.session_absolute_hours));
    let lock_after = TimeDelta::minutes(i64::from(settings.lock_minutes));
    let required = settings.second_factor_required;
    let found = state
        .db
        .read(move |conn| Ok::<_, ApiError>(sessions::find_active_with_user(conn, &token_hash)?))
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    let session = found.session_id;
    let complete = !required || found.second_factor_at.is_some();
    let unfinished = !complete && now - found.created_at > SECOND_FACTOR_WITHIN;
    let expired = now - found.last_seen_at > idle
        || now - found.created_at > absolute
        || !found.user_active
        || unfinished;
    if expired {
        state
            .db
            .write(move |conn| Ok::<_, ApiError>(sessions::delete(conn, session)?))
            .await?;
        return Err(ApiError::Unauthenticated);
    }
    // Idle past the lock time locks a complete session (one still waiting for its second
    // factor ends instead, above). A locked session's requests are not activity: only
    // unlocking is.
    let locked = complete && (found.locked_at.is_some() || now - found.last_seen_at > lock_after);
    if !locked && now - found.last_seen_at > TOUCH_EVERY {
        state
            .db
            .write(move |conn| Ok::<_, ApiError>(sessions::touch(conn, session, now)?))
            .await?;
    }
    Ok(Live {
        session_id: session,
        user_id: found.user_id,
        role: found.role,
        team_id: found.team_id,
        second_factor_done: found.second_factor_at.is_some(),
        complete,
        must_change_password: found.must_change_password,
        locked,
    })
}

/// Where a sign-in comes from, and the session it opens if it succeeds.
pub struct Arrival {
    pub address: String,
    /// As `auth::device::describe` names it.
    pub device: String,
    /// The hash of the new session's token (the cookie holds the token).
    pub token_hash: String,
}

/// What a session still needs before it reaches anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorStep {
    /// Nothing: the second factor is done, or not required here.
    None,
    /// The code from the enrolled authenticator app.
    Code,
    /// Enrolling an authenticator app first.
    Enrol,
    /// She has passkeys and no app: a passkey sign-in instead.
    Passkey,
}

pub struct SignedIn {
    pub user: UserRow,
    pub step: SecondFactorStep,
}

/// Signs in with a username and password. `username` is `None` for a name no account can
/// have: looked up nowhere, it is a failed sign-in counted against the address. The
/// attempt is counted before the password is checked (`throttle::attempt`). A start
/// password past its date is a failed sign-in too, answered `start_password_expired` (only
/// to whoever typed it right); one still good opens a session that must choose her own
/// password first.
pub async fn sign_in(
    state: &AppState,
    username: Option<String>,
    password: String,
    arrival: Arrival,
) -> Result<SignedIn, ApiError> {
    let now = state.clock.now();
    let settings = state.settings.clone();
    let address = arrival.address.clone();
    let found = state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            // A success forgets it with the account's other failures (`open_session`).
            throttle::attempt(conn, &settings, username.as_deref(), &address, now)?;
            Ok(match &username {
                Some(name) => users::find_by_username(conn, name)?,
                None => None,
            })
        })
        .await?;
    let (found, verified) = slow::run(move || {
        let verified = match &found {
            Some(user) => password::verify(&password, &user.password_hash) && user.active,
            None => {
                password::verify_against_nothing(&password);
                false
            }
        };
        (found, verified)
    })
    .await?;
    let required = state.settings.second_factor_required;
    state
        .db
        .write(move |conn| -> Result<_, ApiError> {
            let event = Event::account("session.sign_in", Action::Execute);
            let expired = |user: &UserRow| user.password_expires_at.is_some_and(|at| at <= now);
            let user = match found {
                Some(user) if verified && !expired(&user) => user,
                tried => {
                    let actor = Actor::signing_in(
                        tried.as_ref().map(|u| (u.id, u.role.as_str())),
                        None,
                        &arrival.address,
                    );
                    audit::record_by(conn, actor, now, &event, Outcome::Failed)?;
                    return Ok(Err(match tried {
                        Some(user) if verified && expired(&user) => ApiError::StartPasswordExpired,
                        _ => ApiError::BadCredentials,
                    }));
                }
            };
            open_session(conn, &user, &arrival, None, now, &event)?;
            let step = second_factor_step(conn, user.id, required)?;
            Ok(Ok(SignedIn { user, step }))
        })
        .await?
}

/// What a session of `user` still needs for its second factor, `required` or not here.
pub fn second_factor_step(
    conn: &mut DbConnection,
    user: i64,
    required: bool,
) -> Result<SecondFactorStep, ApiError> {
    Ok(if !required {
        SecondFactorStep::None
    } else if second_factor::has_app(conn, user)? {
        SecondFactorStep::Code
    } else if passkeys::count_for_user(conn, user)? > 0 {
        SecondFactorStep::Passkey
    } else {
        SecondFactorStep::Enrol
    })
}

/// Opens a session for `user`, who has just proved who she is: her failed sign-ins are
/// forgotten and the sign-in (`event`) is audited with the new session. `second_factor_at`
/// when the proof was both factors at once. Inside the caller's write.
pub fn open_session(
    conn: &mut DbConnection,
    user: &UserRow,
    arrival: &Arrival,
    second_factor_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    event: &Event,
) -> Result<i64, ApiError> {
    login_failures::clear_for_username(conn, &user.username)?;
    let origin = sessions::Origin {
        address: &arrival.address,
        device: &arrival.device,
    };
    let session_id = sessions::create(
        conn,
        &arrival.token_hash,
        user.id,
        now,
        &origin,
        second_factor_at,
    )?;
    let actor = Actor::signing_in(
        Some((user.id, user.role.as_str())),
        Some(session_id),
        &arrival.address,
    );
    audit::record_by(conn, actor, now, event, Outcome::Success)?;
    Ok(session_id)
}

/// Signs out: ends this session and revokes its device (the key to the phone's offline
/// store is erased).
pub async fn sign_out(state: &AppState, who: &Identity) -> Result<(), ApiError> {
    let now = state.clock.now();
    let event = Event::account("session.sign_out", Action::Execute);
    audit::write_logged(state, who, now, event, move |conn, who| {
        devices::revoke_of_session(conn, who.session_id, now)?;
        sessions::delete(conn, who.session_id)?;
        Ok(())
    })
    .await
}

/// The user's live sessions (the devices she is signed in on), the most recently used
/// first.
pub async fn list(state: &AppState, who: &Identity) -> Result<Vec<sessions::SessionRow>, ApiError> {
    let now = state.clock.now();
    let idle = TimeDelta::minutes(i64::from(state.settings.session_idle_minutes));
    let absolute = TimeDelta::hours(i64::from(state.settings.session_absolute_hours));
    let rows = read_own(state, who, sessions::list_for_user).await?;
    Ok(rows
        .into_iter()
        // Expired ones are deleted when next used; they are no longer a way in.
        .filter(|row| now - row.last_seen_at <= idle && now - row.created_at <= absolute)
        .collect())
}

/// Ends one of the user's own sessions, e.g. on a lost phone, and revokes its device; a
/// session of someone else does not exist for her.
pub async fn end(state: &AppState, who: &Identity, session: i64) -> Result<(), ApiError> {
    let now = state.clock.now();
    let event = Event::account("session.end", Action::Execute);
    audit::write_logged(state, who, now, event, move |conn, who| {
        if !sessions::is_own(conn, who.user_id, session)? {
            return Err(ApiError::NotFound);
        }
        devices::revoke_of_session(conn, session, now)?;
        sessions::delete(conn, session)?;
        Ok(())
    })
    .await
}
