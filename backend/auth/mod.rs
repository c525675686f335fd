//! Who is asking: passwords, sessions, the client's address, and the cross-site guard.

pub mod address;
pub mod device;
pub mod origin;
pub mod passkey;
pub mod password;
pub mod session;
pub mod totp;

pub use session::{LiveSession, PartialIdentity};
