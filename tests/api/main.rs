//! Integration tests: the real HTTP app on a real database (a temporary SQLite file, or a
//! fresh PostgreSQL database when `INBEELD_TEST_POSTGRES_URL` is set). One test binary.

mod access;
mod audit;
mod browser;
mod cli;
mod clients;
mod contacts;
mod escalations;
mod followups;
mod handovers;
mod helpers;
mod openapi;
mod push;
mod push_service;
mod reports;
mod schema;
mod session;
mod shifts;
mod timeout_stays;
