//! Builds the application: database, migrations, routes, server. Tests use the same path
//! with port 0.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use chrono::NaiveDateTime;
use utoipa_actix_web::{AppExt, scope};

use crate::app::accounts;
use crate::app::followups::absence;
use crate::auth::password;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Backend, Db};
use crate::error::ApiError;
use crate::http::origin::refuse_cross_site;
use crate::push::deliver::Pusher;
use crate::push::subscription::EndpointPolicy;
use crate::push::vapid::VapidKeys;
use crate::state::AppState;
use crate::timezone::Zone;
use crate::{http, pwa, routes, telemetry};

/// Opens the database named by the settings (creating the SQLite folder and file for the
/// service's user alone) and migrates it.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.effective_database_url();
    if Backend::of_url(&url) == Backend::Sqlite {
        private_sqlite_file(Path::new(&url))?;
    }
    let db = Db::connect(&url, settings.db_pool_size)
        .with_context(|| format!("cannot open the {:?} database", Backend::of_url(&url)))?;
    let applied = db.run_migrations()?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(db)
}

/// Creates the SQLite file's folder (0700) and the file itself (0600) when they are not
/// there, whatever the umask: they hold aliases, notes, second-factor secrets and the VAPID
/// key. SQLite gives the write-ahead log and its index the database file's mode.
fn private_sqlite_file(file: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = file.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        private_folder(dir)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", file.display())),
    }
}

/// Creates `dir` (and its parents) for the service's user alone, when it is not there.
fn private_folder(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create data folder {}", dir.display()))
}

/// Where the first start leaves the password of `admin`, in the data folder.
const FIRST_ADMIN_FILE: &str = "first-admin-password.txt";

/// On a fresh database, creates the account `admin` with a random password, which goes
/// to `<data_dir>/first-admin-password.txt` (0600) and nowhere else: what a service prints
/// or logs ends up in the journal. Returns that file when it did. The password is written
/// before the account exists (so there is never an admin whose password nobody has), to a
/// file of this process's own, which takes the final name once the account is created.
pub fn first_admin(
    settings: &Settings,
    db: &Db,
    now: NaiveDateTime,
) -> anyhow::Result<Option<PathBuf>> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let failed = |e: ApiError| anyhow::anyhow!("creating the first admin failed: {e}");
    if !accounts::none_yet(db).map_err(failed)? {
        return Ok(None);
    }
    let folder = std::path::absolute(&settings.data_dir)
        .with_context(|| format!("cannot find data folder {}", settings.data_dir))?;
    let unwritable = || {
        format!(
            "cannot write the first admin's password in {} (set data_dir to a folder this \
             user may write, or create the first admin with `inbeeld user add`)",
            folder.display()
        )
    };
    private_folder(&folder).with_context(unwritable)?;
    let file = folder.join(FIRST_ADMIN_FILE);
    let pending = folder.join(format!("{FIRST_ADMIN_FILE}.{}", std::process::id()));
    let secret = password::random_password();
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&pending)
        .and_then(|mut out| {
            out.write_all(format!("{secret}\n").as_bytes())?;
            out.sync_all()
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&pending);
        return Err(e).with_context(unwritable);
    }
    match accounts::bootstrap_admin(db, &secret, now) {
        Ok(true) => {
            std::fs::rename(&pending, &file).with_context(|| {
                format!(
                    "the first admin's password is in {}: it could not be moved to {}",
                    pending.display(),
                    file.display()
                )
            })?;
            Ok(Some(file))
        }
        created => {
            // Another start was quicker, or creating it failed: the password is no one's.
            let _ = std::fs::remove_file(&pending);
            created.map(|_| None).map_err(failed)
        }
    }
}

/// The OpenAPI document, collected from the same route registrations the server uses.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .service(scope::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    doc.info.title = "InBeeld API".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.contact = None;
    doc.info.license = Some(utoipa::openapi::License::new("EUPL-1.2"));
    doc.info.description = Some(
        "Shifts, contacts and follow-ups for outreach care. Times are RFC 3339 in the \
         configured zone; errors are {\"error\": code, \"message\": text}."
            .into(),
    );
    http::openapi::document_shared_answers(&mut doc);
    doc
}

/// Everything handlers and jobs share, including the VAPID keys (created on first start).
pub fn build_state(settings: Settings, clock: Clock, db: Db) -> anyhow::Result<AppState> {
    let now = clock.now();
    let vapid = db.write_blocking(move |conn| VapidKeys::load_or_create(conn, now))?;
    let push = Pusher::new(
        vapid.signature_builder()?,
        settings.vapid_subject.clone(),
        settings.push_ttl_hours * 3600,
        Duration::from_secs(u64::from(settings.push_timeout_seconds)),
        settings.push_max_attempts as i32,
        settings.push_concurrency as usize,
        EndpointPolicy::from_settings(&settings),
    )?;
    let state = AppState {
        zone: Zone(settings.zone()?),
        webauthn: Arc::new(crate::auth::passkey::relying_party(
            &settings.public_origin,
        )?),
        settings: Arc::new(settings),
        clock,
        db,
        vapid,
        push: Arc::new(push),
        metrics: Arc::default(),
    };
    // Moments computed with other thresholds or another zone (or none yet) are computed
    // again before the first request or sweep reads them.
    let rules = state.absence_rules();
    let rebuilt = state
        .db
        .write_blocking(move |conn| -> Result<_, ApiError> {
            Ok(absence::rebuild_if_changed(conn, &rules, now)?)
        })?;
    if let Some(clients) = rebuilt {
        tracing::info!(clients, "absence moments computed for the thresholds set");
    }
    Ok(state)
}

pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
}

impl Application {
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<Application> {
        let db = prepare_database(&settings)?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        Application::with_database(settings, clock, db, listener)
    }

    pub fn with_database(
        settings: Settings,
        clock: Clock,
        db: Db,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let state = build_state(settings, clock, db)?;
        let openapi_json = Arc::new(openapi().to_json()?);
        let data = web::Data::new(state.clone());
        let body_limit = state.settings.max_body_kb as usize * 1024;
        let https = state.settings.secure_cookies();
        let request_timeout =
            std::time::Duration::from_secs(u64::from(state.settings.request_timeout_seconds));
        let server = HttpServer::new(move || {
            let openapi_json = openapi_json.clone();
            App::new()
                .wrap(from_fn(crate::http::audit::log_refusals))
                .wrap(from_fn(http::deadline))
                .wrap(from_fn(telemetry::log_request))
                .wrap(http::security_headers(https))
                .wrap(Compress::default())
                .app_data(data.clone())
                .app_data(http::json_config(body_limit))
                .app_data(web::PayloadConfig::new(body_limit))
                .app_data(http::query_config())
                .app_data(http::path_config())
                .into_utoipa_app()
                .service(
                    scope::scope("/api/v1")
                        .wrap(from_fn(refuse_cross_site))
                        .wrap(http::api_headers())
                        .route(
                            "/openapi.json",
                            web::get().to(move || {
                                let json = openapi_json.clone();
                                async move {
                                    HttpResponse::Ok()
                                        .content_type("application/json")
                                        .body(json.as_str().to_owned())
                                }
                            }),
                        )
                        .configure(routes::configure)
                        .default_service(web::to(http::api_not_found)),
                )
                .into_app()
                .service(http::healthz)
                .service(http::readyz)
                .service(http::metrics)
                .service(pwa::index)
                .service(pwa::file)
        })
        // A request head must arrive in time; `http::deadline` bounds the rest.
        .client_request_timeout(request_timeout)
        .listen(listener)?
        .shutdown_timeout(20)
        .run();
        Ok(Application {
            server,
            port,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for tests that need the database or clock directly.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
