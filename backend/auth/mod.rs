//! Who is asking: passwords, sessions, sign-in throttling and the cross-site guard.

pub mod origin;
pub mod password;
pub mod session;

pub use session::Identity;
