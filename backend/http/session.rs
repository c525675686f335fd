//! Server-side sessions: a random token in an HttpOnly cookie, only its SHA-256 in the
//! database, idle and absolute timeouts checked on every request.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use super::address::client_address;
use crate::app::{Identity, session};
use crate::auth::token::token_hash;
use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name. Over https it carries the `__Host-` prefix, which browsers
/// accept only with `Secure`, `Path=/` and no `Domain`: no other site or subdomain can set
/// or shadow it. Plain-http localhost (development) cannot use the prefix and goes without.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-inbeeld_session"
    } else {
        "inbeeld_session"
    }
}

/// The session cookie lives as long as the session may (its absolute timeout): a phone
/// that closes the app, or whose OS kills it, comes back signed in, with its outbox intact.
pub fn session_cookie(token: &str, secure: bool, lifetime_hours: u32) -> Cookie<'static> {
    Cookie::build(cookie_name(secure), token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::hours(i64::from(
            lifetime_hours,
        )))
        .finish()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure, 0);
    cookie.make_removal();
    cookie
}

/// A signed-in user whose session may still lack its second factor: only the
/// second-factor endpoints take this; everything else takes `Identity`. A session that
/// must choose its password first gets `password_change_required` here too: the second
/// factor follows the new password.
#[derive(Debug, Clone)]
pub struct PartialIdentity {
    pub identity: Identity,
    /// The session has completed its second factor.
    pub second_factor_done: bool,
}

/// Her own account, for `GET /me` and `PUT /me/password`, nothing else.
///
/// How the one-time start password is enforced: signing in with it opens a session like
/// any other, but while her account `must_change_password`, every extractor refuses it
/// with 401 `password_change_required` except this one (and `LiveSession`, for signing
/// out). This one also takes a session still waiting for its second factor, provided it
/// must change the password: that comes first, then the second factor as always. So a
/// start password reaches nothing but choosing her own. The change still asks for the
/// current (start) password, as every change does: a session cookie alone sets nothing.
#[derive(Debug, Clone)]
pub struct OwnAccount {
    pub identity: Identity,
    /// Past the second factor, or none is required here.
    pub complete: bool,
    pub must_change_password: bool,
}

/// Any live session, also a locked one or one still waiting for its second factor: for
/// signing out and for unlocking, nothing else.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub identity: Identity,
    /// The session has completed its second factor.
    pub second_factor_done: bool,
    /// Past the second factor, or none is required here.
    pub complete: bool,
    pub must_change_password: bool,
    pub locked: bool,
}

impl LiveSession {
    /// Who she is once the session has her own password and its second factor, locked or
    /// not. A PIN is no second factor: unlocking only reopens a session that had both.
    pub fn complete_identity(&self) -> Result<&Identity, ApiError> {
        if self.must_change_password {
            return Err(ApiError::PasswordChangeRequired);
        }
        if !self.complete {
            return Err(ApiError::SecondFactorRequired);
        }
        Ok(&self.identity)
    }
}

impl FromRequest for Identity {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Identity, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = authenticate(req);
        let req = req.clone();
        Box::pin(async move {
            let live = found.await?;
            live.complete_identity()?;
            if live.locked {
                return Err(ApiError::Locked);
            }
            // For the middleware that writes refusals to the audit trail (`http::audit`).
            req.extensions_mut().insert(live.identity.clone());
            Ok(live.identity)
        })
    }
}

impl FromRequest for PartialIdentity {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<PartialIdentity, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = unlocked(req);
        Box::pin(async move {
            let live = found.await?;
            if live.must_change_password {
                return Err(ApiError::PasswordChangeRequired);
            }
            Ok(PartialIdentity {
                second_factor_done: live.second_factor_done,
                identity: live.identity,
            })
        })
    }
}

impl FromRequest for OwnAccount {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<OwnAccount, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = unlocked(req);
        Box::pin(async move {
            let live = found.await?;
            if !live.complete && !live.must_change_password {
                return Err(ApiError::SecondFactorRequired);
            }
            Ok(OwnAccount {
                identity: live.identity,
                complete: live.complete,
                must_change_password: live.must_change_password,
            })
        })
    }
}

impl FromRequest for LiveSession {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<LiveSession, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req))
    }
}

/// The session behind the request's cookie, refused while it is locked.
fn unlocked(req: &HttpRequest) -> impl Future<Output = Result<LiveSession, ApiError>> + 'static {
    let found = authenticate(req);
    async move {
        let live = found.await?;
        if live.locked {
            return Err(ApiError::Locked);
        }
        Ok(live)
    }
}

/// The session behind the request's cookie, checked for its timeouts and its lock
/// (`app::session::authenticate`).
fn authenticate(
    req: &HttpRequest,
) -> impl Future<Output = Result<LiveSession, ApiError>> + 'static {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (token, address) = match &state {
        Some(state) => (
            req.cookie(cookie_name(state.settings.secure_cookies()))
                .map(|c| c.value().to_owned()),
            client_address(req, state.settings.trusted_proxies.addresses()),
        ),
        None => (None, String::new()),
    };
    async move {
        let state = state.ok_or_else(|| ApiError::internal(anyhow::anyhow!("no state")))?;
        let token = token.ok_or(ApiError::Unauthenticated)?;
        let live = session::authenticate(&state, token_hash(&token)).await?;
        Ok(LiveSession {
            identity: Identity {
                user_id: live.user_id,
                role: live.role,
                team_id: live.team_id,
                session_id: live.session_id,
                address,
            },
            second_factor_done: live.second_factor_done,
            complete: live.complete,
            must_change_password: live.must_change_password,
            locked: live.locked,
        })
    }
}
