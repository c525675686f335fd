//! Proving who someone is: passwords (with the leaked-password list), TOTP codes,
//! passkeys, device keys and session tokens. No HTTP here: the session cookie, the
//! client's address and the cross-site guard are `http`'s.

pub mod device;
pub mod passkey;
pub mod password;
pub mod token;
pub mod totp;
