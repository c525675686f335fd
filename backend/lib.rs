//! InBeeld keeps women who do street sex work in view of the outreach workers who care for
//! them: shifts, contacts, follow-ups. See docs/architecture.md for the map of this crate.

pub mod app;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod pdf;
pub mod push;
pub mod pwa;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod timezone;
