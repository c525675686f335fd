//! Data rights under the GDPR: everything held about a client for a request of access.

pub mod export;
