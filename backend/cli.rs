//! The command line: `serve` (default), `migrate`, `backup`, `user add`, `demo`,
//! `followups sweep`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::app::accounts::{self, NewAccount};
use crate::app::followups::sweep;
use crate::app::{audit, teams};
use crate::clock::Clock;
use crate::config::{Settings, describe_settings};
use crate::domain::code::Code;
use crate::domain::role::Role;
use crate::startup::{Application, build_state, first_admin, prepare_database};
use crate::{demo, jobs, telemetry};

#[derive(Parser, Debug)]
#[command(
    name = "inbeeld",
    version,
    about = "InBeeld: keeps vulnerable people in view."
)]
#[command(after_help = describe_settings())]
pub struct Cli {
    /// TOML file with settings (also INBEELD_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to FILE, also while the server runs.
    /// Restore: stop the server and put the copy in place of <data_dir>/inbeeld.db.
    Backup {
        /// Where to write the copy; must not exist yet.
        file: PathBuf,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load clearly fictional demo data: one team, 20 clients, six weeks of shifts.
    Demo,
    /// Follow-ups.
    Followups {
        #[command(subcommand)]
        command: FollowupCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the audit trail's hash chain from its first entry to its newest and say how
    /// many entries it checked of how many there are; exits with an error naming the first
    /// broken link, if any, or the entries left at or below the chain's pruning point.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum FollowupCommand {
    /// Run the follow-up sweep once, as the scheduler does, and print what it did.
    Sweep,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// admin, coordinator, casemanager, peer, process_director or municipality.
        #[arg(long)]
        role: String,
        /// Team name; created if it does not exist yet. Required for field roles.
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    let config_file = cli
        .config
        .or_else(|| std::env::var_os("INBEELD_CONFIG").map(PathBuf::from));
    let settings = Settings::load(config_file.as_deref(), std::env::vars())?;
    telemetry::init(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            // Opening the database applies what is pending.
            prepare_database(&settings)?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Backup { file } => {
            prepare_database(&settings)?.snapshot_to(&file)?;
            println!("Backup written to {}.", file.display());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    team,
                    display_name,
                },
        } => add_user(
            &settings,
            &username,
            &role,
            team.as_deref(),
            display_name.as_deref(),
        ),
        Command::Followups {
            command: FollowupCommand::Sweep,
        } => actix_web::rt::System::new().block_on(async move {
            let db = prepare_database(&settings)?;
            let state = build_state(settings, Clock::system(), db)?;
            let report = sweep::run(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = prepare_database(&settings)?;
            let checked = db.read_blocking(audit::chain::verify)?;
            // Reading the trail is itself an entry in it, whatever the outcome.
            let outcome = match checked {
                Ok(_) => audit::Outcome::Success,
                Err(_) => audit::Outcome::Failed,
            };
            let (event, now) = (
                audit::Event::account("audit.verify", audit::Action::Read),
                Clock::system().now(),
            );
            db.write_blocking(move |conn| {
                let by = audit::Actor::COMMAND_LINE;
                Ok::<_, anyhow::Error>(audit::record_by(conn, by, now, &event, outcome)?)
            })?;
            let intact = checked.map_err(|broken| anyhow::anyhow!("{broken}"))?;
            println!(
                "The audit trail is intact: checked {} of {} entries ({} from before the chain).\nHead: {}",
                intact.entries + intact.unchained,
                intact.total,
                intact.unchained,
                intact.head
            );
            Ok(())
        }
        Command::Demo => actix_web::rt::System::new().block_on(async move {
            let db = prepare_database(&settings)?;
            let clock = Clock::system();
            let state = build_state(settings, clock.clone(), db)?;
            let summary = demo::load(&state.db, clock.now(), state.absence_rules())?;
            // One sweep, as the scheduler would run it, so that "last seen", the follow-ups
            // and the figures agree from the first screen on.
            let swept = sweep::run(&state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{summary}Swept once: {} absence and {} registration follow-ups opened.",
                swept.opened, swept.registrations_expiring
            );
            Ok(())
        }),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let clock = Clock::system();
        let app = Application::build(settings, clock.clone()).await?;
        let port = app.port();
        if let Some(file) = first_admin(&app.state().settings, &app.state().db, clock.now())? {
            // Where it is, never the password: what a service prints ends up in the journal.
            println!(
                "\nFirst start: created account `admin`; its password is in\n\n    {}\n\n\
                 readable by this service's user alone.\n\n\
                 Next: open {} and sign in as `admin` with that password. Set up the second \
                 step with an authenticator app, then delete the file. Under Beheer, create \
                 the team, its locations and an account for everyone on it.\n",
                file.display(),
                app.state().settings.address_to_open(port)
            );
        }
        if !app.state().settings.second_factor_required {
            tracing::warn!(
                "INBEELD_SECOND_FACTOR_REQUIRED is off: a password alone signs in; only for a \
                 demo or local development, never with real client data"
            );
        }
        if !app.state().settings.secure_cookies() {
            tracing::warn!(
                "INBEELD_PUBLIC_ORIGIN is not https: the session cookie goes without Secure and \
                 without the __Host- prefix; fine on this machine, never for phones on a network"
            );
        }
        if app.state().settings.vapid_subject == Settings::default().vapid_subject {
            tracing::warn!(
                "INBEELD_VAPID_SUBJECT is the placeholder; set a real mailto: or https: contact, \
                 or some push services (Apple's) refuse the notifications"
            );
        }
        // Kept alive while the server runs; the ticks stop with the process.
        let _scheduler = jobs::start(app.state().clone()).await?;
        tracing::info!(port, "InBeeld is listening");
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn add_user(
    settings: &Settings,
    username: &str,
    role: &str,
    team: Option<&str>,
    display_name: Option<&str>,
) -> anyhow::Result<()> {
    let Some(role) = Role::from_code(role) else {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        bail!("unknown role `{role}`; use one of {}", known.join(", "));
    };
    let password = read_password()?;
    let db = prepare_database(settings)?;
    let now = Clock::system().now();
    let team_id = match team {
        None => None,
        Some(name) => {
            let (id, created) = teams::find_or_create_blocking(&db, name, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if created {
                println!("Created team `{}`.", team.unwrap_or_default());
            }
            Some(id)
        }
    };
    accounts::create_blocking(
        &db,
        &NewAccount {
            username,
            display_name,
            role,
            team_id,
            organisation_id: None,
            password: &password,
        },
        now,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Created account `{}` ({}).",
        username.trim().to_lowercase(),
        role.as_str()
    );
    Ok(())
}

/// The password is one line on standard input (prompted for when it is a terminal).
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 12 characters): ");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
