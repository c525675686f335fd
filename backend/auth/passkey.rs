//! Passkeys (WebAuthn, by webauthn-rs): the phone's fingerprint, face or PIN as the way in.
//! A passkey sign-in requires user verification, so it is two factors at once (the phone,
//! and what unlocks it) and completes the session's second factor.
//!
//! The relying party is the host of `public_origin`; without one (local development) it
//! is `localhost` on any port. Browsers refuse WebAuthn on a bare IP address.

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use url::Url;
use webauthn_rs::prelude::{CredentialID, Uuid};
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// Builds the relying party for `public_origin` (empty: `http://localhost`, any port).
pub fn relying_party(public_origin: &str) -> anyhow::Result<Webauthn> {
    let (origin, any_port) = if public_origin.is_empty() {
        (Url::parse("http://localhost")?, true)
    } else {
        (
            Url::parse(public_origin).context("setting public_origin is not a URL")?,
            false,
        )
    };
    let rp_id = origin
        .host_str()
        .context("setting public_origin has no host")?
        .to_owned();
    WebauthnBuilder::new(&rp_id, &origin)
        .context("public_origin cannot be a WebAuthn relying party")?
        .rp_name("InBeeld")
        .allow_any_port(any_port)
        .build()
        .context("WebAuthn set-up failed")
}

/// The stable WebAuthn user handle of a user: her id, nothing that names her.
pub fn user_handle(user_id: i64) -> Uuid {
    Uuid::from_u64_pair(0x696e_6265_656c_6400, user_id as u64)
}

/// A credential id as stored and looked up: its base64url text.
pub fn credential_key(id: &CredentialID) -> String {
    URL_SAFE_NO_PAD.encode(AsRef::<[u8]>::as_ref(id))
}
