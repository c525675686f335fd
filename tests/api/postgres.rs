//! Databases of their own on the PostgreSQL server named by `INBEELD_TEST_POSTGRES_URL`,
//! made for one test and dropped after it.

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, PgConnection, RunQueryDsl};
/// A throw-away PostgreSQL database for one test, dropped afterwards.
/// A fresh PostgreSQL database for one test, dropped with it.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl PostgresDatabase {
    /// A new database when `INBEELD_TEST_POSTGRES_URL` asks for PostgreSQL.
    pub fn from_env() -> Option<PostgresDatabase> {
        test_postgres_admin_url().map(|url| PostgresDatabase::create(&url))
    }

    fn create(admin_url: &str) -> PostgresDatabase {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "inbeeld_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            rand_suffix()
        );
        let mut admin = PgConnection::establish(admin_url).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        PostgresDatabase {
            admin_url: admin_url.to_owned(),
            url: database_url(admin_url, &name),
            name,
        }
    }
}

/// `INBEELD_TEST_POSTGRES_URL`, without TLS: libpq brings in OpenSSL for TLS, and
/// OpenSSL 3 frees its state at process exit while pool threads may still use it, which
/// now and then aborted the test binary after every test had passed (a known libpq and
/// OpenSSL problem; see diesel-rs/diesel#3441). The test server is on this machine.
pub fn test_postgres_admin_url() -> Option<String> {
    let url = std::env::var("INBEELD_TEST_POSTGRES_URL").ok()?;
    if url.is_empty() || url.contains("sslmode=") {
        return (!url.is_empty()).then_some(url);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{separator}sslmode=disable"))
}

/// `admin_url` with its database name replaced by `name` (its options kept).
pub fn database_url(admin_url: &str, name: &str) -> String {
    let (address, options) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(a, o)| (a, Some(o)));
    let base = address.rsplit_once('/').map_or(address, |(b, _)| b);
    match options {
        Some(options) => format!("{base}/{name}?{options}"),
        None => format!("{base}/{name}"),
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}
