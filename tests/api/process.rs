//! The `inbeeld` binary as a child process: for the command line, signals and crashes.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// `inbeeld` with a clean environment and its data in `data_dir`.
pub fn inbeeld(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inbeeld"));
    command
        .env_clear()
        .env("INBEELD_DATA_DIR", data_dir)
        .env("INBEELD_BIND", "127.0.0.1:0")
        // The phones these tests play sign in with a password alone (see helpers.rs).
        .env("INBEELD_SECOND_FACTOR_REQUIRED", "false")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    command
}

/// Runs `user add` on `command` (an `inbeeld` with its environment) for an account with
/// `password` typed on its standard input, and asserts that it succeeded.
pub fn user_add(
    mut command: Command,
    username: &str,
    role: &str,
    team: &str,
    password: &str,
) -> Output {
    let mut child = command
        .args(["user", "add", "--username", username])
        .args(["--role", role, "--team", team])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A running `inbeeld serve`, with the log lines it writes (stderr) as they come.
pub struct Serving {
    pub child: Child,
    pub log: mpsc::Receiver<String>,
    /// The log lines up to and including "listening".
    pub startup: Vec<String>,
}

impl Serving {
    /// The port named by the "listening" line, in either log format.
    pub fn port(&self) -> u16 {
        let line = self.startup.last().unwrap();
        if let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) {
            return entry["fields"]["port"].as_u64().unwrap() as u16;
        }
        let digits: String = line
            .split("port=")
            .nth(1)
            .unwrap_or_else(|| panic!("no port in {line}"))
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    }
}

/// Starts `serve` and waits until its log says it is listening.
pub fn serving(data_dir: &Path) -> Child {
    serving_with(inbeeld(data_dir)).child
}

pub fn serving_with(mut command: Command) -> Serving {
    let mut child: Child = command
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    let mut startup = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(30)) {
        let listening = line.contains("InBeeld is listening");
        startup.push(line);
        if listening {
            return Serving {
                child,
                log: lines,
                startup,
            };
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    panic!("the server did not start; log: {startup:#?}");
}

/// The demo accounts' password, from what `inbeeld demo` printed.
pub fn demo_password(printed: &[u8]) -> String {
    String::from_utf8_lossy(printed)
        .split("password ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap()
        .to_owned()
}
