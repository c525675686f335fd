//! `spawn_app` and the vocabulary the tests are written in.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use diesel::{QueryResult, RunQueryDsl};
use inbeeld::app::accounts::{self, NewAccount};
use inbeeld::clock::Clock;
use inbeeld::config::Settings;
use inbeeld::db::queries::teams;
use inbeeld::db::{Db, DbConnection, DbError};
use inbeeld::domain::code::Code;
use inbeeld::domain::role::Role;
use inbeeld::domain::schedule::CronSchedule;
use inbeeld::startup::Application;
use inbeeld::state::AppState;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::postgres::PostgresDatabase;

/// Monday 23 November 2026, 20:30 in Amsterdam: an evening shift is on.
pub fn test_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 19, 30, 0).unwrap()
}

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub clock: Clock,
    pub team: i64,
    users: AtomicU32,
    _postgres: Option<PostgresDatabase>,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(tweak, Clock::manual(test_now())).await
}

/// For the browser: the phone stamps contacts with its own clock, so the server's must be real.
pub async fn spawn_app_on_system_clock(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    spawn(tweak, Clock::system()).await
}

async fn spawn(tweak: impl FnOnce(&mut Settings), clock: Clock) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().to_string_lossy().into_owned(),
        // Tests run sweeps themselves; no morning digest unless a test asks for one.
        sweep_cron: CronSchedule::disabled(),
        digest_cron: CronSchedule::disabled(),
        // Feature tests sign in with a password alone. `second_factor.rs` runs with the
        // production default (required) and checks that every endpoint but the
        // second-factor ones refuses a session without it.
        second_factor_required: false,
        // Feature tests move the clock by hours between requests; the lock after a few
        // idle minutes is tested in `devices.rs`, which sets it back.
        lock_minutes: 8 * 60,
        // Phones register at the push service stand-in on 127.0.0.1. `push_endpoints.rs`
        // runs with the production default (refused) and with the push hosts listed.
        push_allow_loopback: true,
        ..Settings::default()
    };
    let postgres = PostgresDatabase::from_env();
    if let Some(pg) = &postgres {
        settings.database_url = pg.url.clone();
    }
    tweak(&mut settings);
    let app = Application::build(settings, clock.clone()).await.unwrap();
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    let now = clock.now();
    let team = db_write(&state.db, move |conn| {
        teams::create(conn, "Stapteam Nijmegen", now)
    });
    TestApp {
        address,
        state,
        clock,
        team,
        users: AtomicU32::new(0),
        _postgres: postgres,
        _dir: dir,
    }
}

/// Runs `work` on one of `db`'s reading connections (on SQLite it cannot write) and
/// returns its answer; a database error fails the test.
#[track_caller]
pub fn db_read<T>(db: &Db, work: impl FnOnce(&mut DbConnection) -> QueryResult<T>) -> T {
    match db.read_blocking(|conn| Ok::<_, DbError>(work(conn)?)) {
        Ok(value) => value,
        Err(err) => panic!("reading from the database: {err}"),
    }
}

/// Runs `work` as one committed write transaction on `db` and returns its answer; a
/// database error fails the test.
#[track_caller]
pub fn db_write<T: Send + 'static>(
    db: &Db,
    work: impl FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
) -> T {
    match db.write_blocking(move |conn| Ok::<_, DbError>(work(conn)?)) {
        Ok(value) => value,
        Err(err) => panic!("writing to the database: {err}"),
    }
}

impl TestApp {
    /// `db_read` on the app's database: for queries that only read.
    #[track_caller]
    pub fn db_read<T>(&self, work: impl FnOnce(&mut DbConnection) -> QueryResult<T>) -> T {
        db_read(&self.state.db, work)
    }

    /// `db_write` on the app's database: for anything that changes it.
    #[track_caller]
    pub fn db_write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
    ) -> T {
        db_write(&self.state.db, work)
    }

    pub fn create_team(&self, name: &str) -> i64 {
        let (name, now) = (name.to_owned(), self.clock.now());
        self.db_write(move |conn| teams::create(conn, &name, now))
    }

    /// Creates an account and returns (id, username).
    pub fn create_user(&self, role: Role, team: Option<i64>) -> (i64, String) {
        let n = self.users.fetch_add(1, Ordering::SeqCst);
        let username = format!("{}{n}", role.as_str().replace('_', ""));
        let team = team.or((role.needs_team()).then_some(self.team));
        let id = accounts::create_blocking(
            &self.state.db,
            &NewAccount {
                username: &username,
                display_name: None,
                role,
                team_id: team,
                organisation_id: None,
                password: PASSWORD,
            },
            self.clock.now(),
        )
        .unwrap();
        (id, username)
    }

    pub fn anonymous(&self) -> Session {
        Session {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            base: self.address.clone(),
            user_id: 0,
            username: String::new(),
            recovery_codes: Vec::new(),
        }
    }

    /// A signed-in user with `role` in the default team.
    pub async fn login_as(&self, role: Role) -> Session {
        self.login_in_team(role, None).await
    }

    pub async fn login_in_team(&self, role: Role, team: Option<i64>) -> Session {
        let (_, username) = self.create_user(role, team);
        self.sign_in(&username).await
    }

    /// A new session for an existing account.
    pub async fn sign_in(&self, username: &str) -> Session {
        let mut session = self.anonymous();
        let me = session
            .post(
                "/api/v1/session",
                json!({"username": username, "password": PASSWORD}),
            )
            .await
            .assert(StatusCode::OK);
        session.user_id = me["id"].as_i64().unwrap();
        session.username = username.to_owned();
        match me["second_factor"].as_str() {
            Some("enrol") => session.recovery_codes = self.enrol_authenticator(&session).await,
            step => assert_eq!(
                step,
                Some("none"),
                "signing in with a code: see second_factor.rs"
            ),
        }
        session
    }

    /// Enrols an authenticator app for a session that asks for it (an app requiring the
    /// second factor); returns the recovery codes.
    pub async fn enrol_authenticator(&self, session: &Session) -> Vec<String> {
        let started = session
            .post("/api/v1/me/totp", json!({}))
            .await
            .assert(StatusCode::OK);
        let secret = started["secret"].as_str().unwrap();
        let now = self.clock.now().and_utc().timestamp();
        let code = inbeeld::auth::totp::code_at(secret, now).unwrap();
        let confirmed = session
            .post("/api/v1/me/totp/confirm", json!({"code": code}))
            .await
            .assert(StatusCode::OK);
        confirmed["recovery_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    }

    /// Number of rows in a table (optionally `"table WHERE ..."`), straight from the database.
    /// The API's own description, as the server serves it.
    pub async fn openapi_document(&self) -> Value {
        self.anonymous()
            .get("/api/v1/openapi.json")
            .await
            .assert(StatusCode::OK)
    }

    /// Someone signed out, and someone signed in in every role.
    pub async fn every_caller(&self) -> Vec<Session> {
        let mut callers = vec![self.anonymous()];
        for role in [
            Role::Casemanager,
            Role::Coordinator,
            Role::Peer,
            Role::Admin,
            Role::Municipality,
            Role::ProcessDirector,
        ] {
            callers.push(self.login_as(role).await);
        }
        callers
    }

    pub fn count(&self, table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        self.db_read(|conn| {
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(conn)
        })
        .n
    }

    pub fn default_location(&self) -> i64 {
        self.db_read(|conn| inbeeld::db::queries::locations::find_by_code(conn, "cirkel"))
            .id
    }
}

pub struct Session {
    pub http: reqwest::Client,
    base: String,
    pub user_id: i64,
    pub username: String,
    /// When the app requires a second factor: the codes from enrolling at sign-in.
    pub recovery_codes: Vec<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn assert(self, expected: StatusCode) -> Value {
        assert_eq!(
            self.status, expected,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }

    /// Asserts a JSON error with this status and code.
    #[track_caller]
    pub fn assert_error(self, expected: StatusCode, code: &str) {
        let body = self.assert(expected);
        assert_eq!(body["error"], code, "body: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

impl Session {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None, &[]).await
    }

    /// Ends her one other session (a lost phone), from this one.
    pub async fn end_other_session(&self) {
        let sessions = self.get("/api/v1/me/sessions").await.assert(StatusCode::OK);
        let other = sessions
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["current"] == false)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        self.delete(&format!("/api/v1/me/sessions/{other}"))
            .await
            .assert(StatusCode::NO_CONTENT);
    }

    /// Reports her case as stalled (a stagnation of `kind`) and returns its id.
    pub async fn report_stagnation(&self, client: i64, kind: &str) -> i64 {
        self.post(
            &format!("/api/v1/clients/{client}/stagnations"),
            json!({"kind": kind, "reason": "Loopt vast"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
            .as_i64()
            .unwrap()
    }

    /// Creates a client in the caller's team and returns her id.
    pub async fn create_client(&self, alias: &str) -> i64 {
        self.post(
            "/api/v1/clients",
            json!({"alias": alias, "region": "nijmegen"}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
            .as_i64()
            .unwrap()
    }

    /// A new location (as the admin), active.
    pub async fn create_location(&self, code: &str, name: &str, kind: &str) -> i64 {
        self.post(
            "/api/v1/locations",
            json!({"code": code, "name": name, "kind": kind}),
        )
        .await
        .assert(StatusCode::CREATED)["id"]
            .as_i64()
            .unwrap()
    }

    /// Records a contact with a client at De Cirkel.
    pub async fn record_contact(&self, location: i64, client: i64) -> Reply {
        self.post(
            "/api/v1/contacts",
            json!({"client_id": client, "location_id": location}),
        )
        .await
    }
}

/// Waits until `condition` holds, asking every 10 ms, and fails naming `what` if it still
/// does not after ten seconds: for what a test sees only from outside (a child process, a
/// socket, a log), instead of sleeping for a guessed while.
#[track_caller]
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    const PATIENCE: Duration = Duration::from_secs(10);
    let deadline = Instant::now() + PATIENCE;
    while !condition() {
        assert!(
            Instant::now() < deadline,
            "gave up after {PATIENCE:?} waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
