//! Integration tests: the real HTTP app on a real database (a temporary SQLite file, or a
//! fresh PostgreSQL database when `INBEELD_TEST_POSTGRES_URL` is set). One test binary.

mod access;
mod audit;
mod browser;
mod calendar;
mod cli;
mod clients;
mod contacts;
mod crash;
mod data_rights;
mod devices;
mod erasure;
mod escalations;
mod files;
mod flex_budget;
mod flex_budget_access;
mod followups;
mod generated;
mod group_commit;
mod handovers;
mod health;
mod helpers;
mod limits;
mod openapi;
mod passkeys;
mod process;
mod push;
mod push_service;
mod registrations;
mod reports;
mod rota;
mod schema;
mod second_factor;
mod session;
mod shifts;
mod timeout_stays;
