//! Which tests that need something from outside Rust can run here. The browser test
//! (`tests/api/browser.rs`) needs Chromium and the Playwright packages of `tests/e2e`; the
//! schema comparison (`tests/api/schema.rs`) needs a PostgreSQL server. Where one is
//! missing, its cfg is left out and the test is compiled as `#[ignore]` with the reason, so
//! `cargo test` counts it as ignored rather than passing it silently. `.ci/run` sets
//! `INBEELD_REQUIRE_BROWSER=1` and `INBEELD_TEST_POSTGRES_URL`, which turn them on whatever
//! is found here: there a missing prerequisite fails the test.
//!
//! The cfgs reach every target of the package, so a change in what is found (or in those
//! variables) rebuilds this crate, though none of its dependencies.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(inbeeld_browser)");
    println!("cargo::rustc-check-cfg=cfg(inbeeld_postgres)");
    println!("cargo::rustc-check-cfg=cfg(inbeeld_pdftotext)");
    for var in [
        "INBEELD_REQUIRE_BROWSER",
        "INBEELD_TEST_POSTGRES_URL",
        "CHROMIUM",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }

    let chromium = chromium();
    if let Some(path) = &chromium {
        // The browser test hands it to tests/e2e/pwa.mjs.
        println!("cargo::rustc-env=INBEELD_CHROMIUM={}", path.display());
    }
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let playwright = root.join("tests/e2e/node_modules/playwright-core/package.json");
    watch(&playwright, &root.join("tests/e2e"));
    let required = env::var("INBEELD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    if required || (chromium.is_some() && playwright.is_file()) {
        println!("cargo::rustc-cfg=inbeeld_browser");
    }
    if required || pdftotext() {
        println!("cargo::rustc-cfg=inbeeld_pdftotext");
    }

    // As tests/api/helpers.rs reads it: set and not empty.
    if env::var_os("INBEELD_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=inbeeld_postgres");
    }
}

/// The Chromium the browser test is to start: `$CHROMIUM` (which tests/e2e/pwa.mjs reads
/// too), else Debian's /usr/bin/chromium, else `chromium` on PATH. PATH itself is not
/// watched: a different PATH in another shell would rebuild the crate each time.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        if !path.is_file() {
            // Not watched: a fix will most likely change the variable.
            println!(
                "cargo::warning=CHROMIUM={} is not a file: the browser test is left out",
                path.display()
            );
            return None;
        }
        watch(&path, &path);
        return Some(path);
    }
    let debian = Path::new("/usr/bin/chromium");
    let found = if debian.is_file() {
        Some(debian.to_path_buf())
    } else {
        env::var_os("PATH")
            .iter()
            .flat_map(env::split_paths)
            .map(|dir| dir.join("chromium"))
            .find(|path| path.is_file())
    };
    match &found {
        Some(path) => watch(path, path),
        None => watch(debian, Path::new("/usr/bin")),
    }
    found
}

/// Whether `pdftotext` is there to read a PDF back: Debian's /usr/bin/pdftotext, else one
/// on PATH.
fn pdftotext() -> bool {
    let debian = Path::new("/usr/bin/pdftotext");
    watch(debian, Path::new("/usr/bin"));
    debian.is_file()
        || env::var_os("PATH")
            .iter()
            .flat_map(env::split_paths)
            .any(|dir| dir.join("pdftotext").is_file())
}

/// Reruns this script when `path` changes or goes or, while it is missing, when anything is
/// created in `folder`. Cargo reruns a build script on every build while a path it watches
/// does not exist, and then rebuilds the crate each time; a folder it scans whole, so
/// `folder` is a small one the path would appear in (creating an entry changes a folder's
/// modification time, which Cargo sees), never a wider ancestor such as `/`.
fn watch(path: &Path, folder: &Path) {
    if path.exists() {
        println!("cargo::rerun-if-changed={}", path.display());
    } else if folder.is_dir() {
        println!("cargo::rerun-if-changed={}", folder.display());
    }
}
