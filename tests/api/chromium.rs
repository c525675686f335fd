//! What the browser tests share: the Chromium build.rs found, and running a Playwright
//! script of `tests/e2e` in it. Where Chromium or the e2e packages are missing, build.rs
//! leaves out the `inbeeld_browser` cfg and `cargo test` reports the browser tests as
//! ignored; with `INBEELD_REQUIRE_BROWSER=1` (set by `.ci/run`) they run anyway and fail on
//! what is missing.

use std::path::Path;
use std::process::Command;

/// The Chromium build.rs found: `$CHROMIUM`, /usr/bin/chromium or `chromium` on PATH.
const CHROMIUM: Option<&str> = option_env!("INBEELD_CHROMIUM");

/// The Chromium to start, or why the browser tests cannot run here.
fn chromium() -> Result<&'static str, String> {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let Some(chromium) = CHROMIUM else {
        return Err(
            "no Chromium was found when the tests were built (apt-get install chromium, or \
             set CHROMIUM to its path)"
                .into(),
        );
    };
    if !Path::new(chromium).exists() {
        return Err(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !e2e.join("node_modules/playwright-core").exists() {
        return Err("tests/e2e/node_modules is missing (npm ci --prefix tests/e2e)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("node is missing".into());
    }
    Ok(chromium)
}

/// Runs `tests/e2e/<script>` in Chromium against the server at `url`, with `env` besides;
/// fails the test with the script's output unless it succeeds, and prints that output.
pub async fn run_script(script: &str, url: &str, env: &[(&str, String)]) {
    let chromium =
        chromium().unwrap_or_else(|reason| panic!("the browser test cannot run: {reason}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e")
        .join(script);
    let mut command = Command::new("node");
    command
        .arg(path)
        .env("CHROMIUM", chromium)
        .env("INBEELD_URL", url);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "browser steps failed:\n{log}");
    println!("{log}");
}
