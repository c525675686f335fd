//! Where the load benchmark's servers run: in the benchmark's own process (the default), or
//! with `BENCH_SERVER=process` each as the `inbeeld` binary in a process of its own, started
//! as a service would be (settings in its environment), so that the resident memory
//! measured is the server's alone, not the phones' and the ceiling's too.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use inbeeld::clock::Clock;
use inbeeld::config::{ENV_PREFIX, Settings};
use inbeeld::startup::{Application, build_state, prepare_database};
use inbeeld::state::AppState;

/// The servers the phones talk to, the first the one they all use, and the state the
/// benchmark sets up with and counts in (the database, the clock and the settings).
pub struct Servers {
    pub state: AppState,
    pub addresses: Vec<SocketAddr>,
    /// With `BENCH_SERVER=process`: the servers' processes, in the order of `addresses`.
    pub processes: Vec<ServerProcess>,
}

impl Servers {
    /// `instances` servers on the database of `settings`, in this process or, when
    /// `BENCH_SERVER=process`, in processes of their own (their logs in `logs`).
    pub async fn start(settings: Settings, instances: u64, logs: &Path) -> Servers {
        match std::env::var("BENCH_SERVER").as_deref() {
            Err(_) | Ok("" | "in-process") => Servers::in_this_process(settings, instances).await,
            Ok("process") => Servers::in_processes(settings, instances, logs).await,
            Ok(other) => panic!("BENCH_SERVER is `process` or `in-process`, not `{other}`"),
        }
    }

    async fn in_this_process(settings: Settings, instances: u64) -> Servers {
        let mut addresses = Vec::new();
        let mut state = None;
        for _ in 0..instances {
            let app = Application::build(settings.clone(), Clock::system())
                .await
                .unwrap();
            addresses.insert(0, SocketAddr::from(([127, 0, 0, 1], app.port())));
            state = Some(app.state().clone());
            tokio::spawn(app.run_until_stopped());
        }
        Servers {
            state: state.expect("at least one server"),
            addresses,
            processes: Vec::new(),
        }
    }

    /// The benchmark migrates the database and keeps a handle of its own on it (SQLite's
    /// write-ahead log lets two processes share the file); each server is then started on
    /// it, one after the other, each on a port that was free a moment before.
    async fn in_processes(settings: Settings, instances: u64, logs: &Path) -> Servers {
        let db = prepare_database(&settings).unwrap();
        let state = build_state(settings, Clock::system(), db).unwrap();
        let mut processes = Vec::new();
        for i in 0..instances {
            let log = logs.join(format!("server{i}.log"));
            processes.push(ServerProcess::start(&state.settings, &log).await);
        }
        Servers {
            state,
            addresses: processes.iter().map(|p| p.address).collect(),
            processes,
        }
    }

    /// The process whose memory is measured: the first server's, or this one (`None`).
    pub fn measured(&self) -> Option<u32> {
        self.processes.first().map(|p| p.child.id())
    }
}

/// `inbeeld serve` in a process of its own; killed when dropped, also when the benchmark
/// panics.
pub struct ServerProcess {
    child: Child,
    address: SocketAddr,
}

impl ServerProcess {
    async fn start(settings: &Settings, log: &Path) -> ServerProcess {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let mut command = Command::new(env!("CARGO_BIN_EXE_inbeeld"));
        // The benchmark's settings alone: one from the shell would reach the server and
        // not the benchmark's own handle on the database.
        for (name, _) in std::env::vars() {
            if name.starts_with(ENV_PREFIX) || name == "DATABASE_URL" {
                command.env_remove(name);
            }
        }
        // Without RUST_LOG it logs warnings only: a line per request is not what the
        // in-process server does either.
        if std::env::var_os("RUST_LOG").is_none() {
            command.env("RUST_LOG", "warn");
        }
        command
            .arg("serve")
            .env("INBEELD_BIND", address.to_string())
            .env("INBEELD_DATA_DIR", &settings.data_dir)
            .env("INBEELD_DATABASE_URL", &settings.database_url)
            .env("INBEELD_DB_POOL_SIZE", settings.db_pool_size.to_string())
            .env("INBEELD_SWEEP_CRON", "")
            .env("INBEELD_DIGEST_CRON", "")
            .env(
                "INBEELD_SECOND_FACTOR_REQUIRED",
                settings.second_factor_required.to_string(),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(log).unwrap());
        let mut server = ServerProcess {
            child: command.spawn().expect("the inbeeld binary starts"),
            address,
        };
        server.ready(log).await;
        server
    }

    /// Waits until the server answers /readyz, or fails with its log.
    async fn ready(&mut self, log: &Path) {
        let url = format!("http://{}/readyz", self.address);
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let log = || std::fs::read_to_string(log).unwrap_or_default();
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server process ended ({status}):\n{}", log());
            }
            if let Ok(reply) = client.get(&url).send().await
                && reply.status().is_success()
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server process was not ready within a minute:\n{}",
                log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
