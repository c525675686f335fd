//! The web app, embedded in the binary at build time: `cargo run --release` is all it
//! takes, no Node build step. Every asset carries a content-hash ETag and is revalidated
//! (`no-cache`), so a phone fetches a changed file at once and an unchanged one costs a 304;
//! the service worker keeps the shell for offline use.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use sha2::{Digest, Sha256};

struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($path:literal, $type:expr) => {
        Asset {
            path: $path,
            content_type: $type,
            body: include_bytes!(concat!("../pwa", $path)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// Every file of `pwa/`; a test checks none is missing.
static ASSETS: &[Asset] = &[
    asset!("/index.html", "text/html; charset=utf-8"),
    asset!("/manifest.webmanifest", "application/manifest+json"),
    asset!("/sw.js", JS),
    asset!("/css/app.css", "text/css; charset=utf-8"),
    asset!("/js/api.js", JS),
    asset!("/js/app.js", JS),
    asset!("/js/data.js", JS),
    asset!("/js/dom.js", JS),
    asset!("/js/forms.js", JS),
    asset!("/js/i18n.js", JS),
    asset!("/js/i18n/en.js", JS),
    asset!("/js/i18n/en/chain.js", JS),
    asset!("/js/i18n/en/errors.js", JS),
    asset!("/js/i18n/en/figures.js", JS),
    asset!("/js/i18n/en/office.js", JS),
    asset!("/js/i18n/en/plan.js", JS),
    asset!("/js/i18n/nl.js", JS),
    asset!("/js/i18n/nl/chain.js", JS),
    asset!("/js/i18n/nl/errors.js", JS),
    asset!("/js/i18n/nl/figures.js", JS),
    asset!("/js/i18n/nl/office.js", JS),
    asset!("/js/i18n/nl/plan.js", JS),
    asset!("/js/menu.js", JS),
    asset!("/js/online_forms.js", JS),
    asset!("/js/passkey.js", JS),
    asset!("/js/push.js", JS),
    asset!("/js/queue.js", JS),
    asset!("/js/signals.js", JS),
    asset!("/js/store.js", JS),
    asset!("/js/vault.js", JS),
    asset!("/js/weeks.js", JS),
    asset!("/js/screens/admin.js", JS),
    asset!("/js/screens/admin_accounts.js", JS),
    asset!("/js/screens/client.js", JS),
    asset!("/js/screens/client_casemanagers.js", JS),
    asset!("/js/screens/client_file.js", JS),
    asset!("/js/screens/client_goals.js", JS),
    asset!("/js/screens/client_import.js", JS),
    asset!("/js/screens/client_outreach.js", JS),
    asset!("/js/screens/client_referrals.js", JS),
    asset!("/js/screens/client_plan.js", JS),
    asset!("/js/screens/client_registration.js", JS),
    asset!("/js/screens/client_stagnations.js", JS),
    asset!("/js/screens/client_signals.js", JS),
    asset!("/js/screens/client_status.js", JS),
    asset!("/js/screens/client_tools.js", JS),
    asset!("/js/screens/clients.js", JS),
    asset!("/js/screens/director.js", JS),
    asset!("/js/screens/followups.js", JS),
    asset!("/js/screens/intake.js", JS),
    asset!("/js/screens/lock.js", JS),
    asset!("/js/screens/meeting_minutes.js", JS),
    asset!("/js/screens/meetings.js", JS),
    asset!("/js/screens/login.js", JS),
    asset!("/js/screens/partners.js", JS),
    asset!("/js/screens/password.js", JS),
    asset!("/js/screens/registrations.js", JS),
    asset!("/js/screens/report_pack.js", JS),
    asset!("/js/screens/reports.js", JS),
    asset!("/js/screens/rota.js", JS),
    asset!("/js/screens/settings.js", JS),
    asset!("/js/screens/signal_indicators.js", JS),
    asset!("/js/screens/signal_triage.js", JS),
    asset!("/js/screens/signal.js", JS),
    asset!("/js/screens/tally.js", JS),
    asset!("/js/screens/tally_mine.js", JS),
    asset!("/js/screens/team.js", JS),
    asset!("/js/screens/team_hours.js", JS),
    asset!("/js/screens/team_stays.js", JS),
    asset!("/js/screens/tonight.js", JS),
    asset!("/icons/icon-192.png", "image/png"),
    asset!("/icons/icon-512.png", "image/png"),
    asset!("/icons/maskable-512.png", "image/png"),
];

/// The paths of all embedded assets, for tests and the service worker's shell list.
pub fn asset_paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.path)
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Each asset's body as served and its ETag. The service worker is filled in here with
/// the shell's file list and a version hashed from every file, so any change to the app
/// installs a new worker and a fresh offline copy.
fn prepared() -> &'static [(Vec<u8>, String)] {
    static PREPARED: OnceLock<Vec<(Vec<u8>, String)>> = OnceLock::new();
    PREPARED.get_or_init(|| {
        let mut all = Sha256::new();
        for asset in ASSETS {
            all.update(asset.body);
        }
        let version = short_hash(&all.finalize());
        let shell: Vec<&str> = ASSETS
            .iter()
            .map(|a| a.path)
            .filter(|p| *p != "/sw.js")
            .collect();
        let shell = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
        ASSETS
            .iter()
            .map(|asset| {
                let body = if asset.path == "/sw.js" {
                    String::from_utf8_lossy(asset.body)
                        .replace("__VERSION__", &version)
                        .replace("__SHELL__", &shell)
                        .into_bytes()
                } else {
                    asset.body.to_vec()
                };
                let etag = format!("\"{}\"", short_hash(&body));
                (body, etag)
            })
            .collect()
    })
}

fn serve(req: &HttpRequest, path: &str) -> HttpResponse {
    let Some(position) = ASSETS.iter().position(|a| a.path == path) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("Niet gevonden.");
    };
    let asset = &ASSETS[position];
    let (body, etag) = &prepared()[position];
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"));
    if path == "/sw.js" {
        // The worker controls the whole app, though it lives at the root anyway.
        response.insert_header(("Service-Worker-Allowed", "/"));
    }
    if fresh {
        return response.finish();
    }
    response.content_type(asset.content_type).body(body.clone())
}

#[get("/")]
pub async fn index(req: HttpRequest) -> HttpResponse {
    serve(&req, "/index.html")
}

/// Any other embedded file.
#[get("/{path:.*}")]
pub async fn file(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    serve(&req, &format!("/{}", path.into_inner()))
}

mod translations;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn files_under(dir: &Path, root: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path, root, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(format!("/{relative}"));
            }
        }
    }

    #[test]
    fn every_file_of_the_app_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("pwa");
        let mut on_disk = Vec::new();
        files_under(&root, &root, &mut on_disk);
        on_disk.sort();
        let mut embedded: Vec<String> = asset_paths().map(str::to_owned).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn the_service_worker_knows_the_shell_and_its_version() {
        let position = ASSETS.iter().position(|a| a.path == "/sw.js").unwrap();
        let body = String::from_utf8(prepared()[position].0.clone()).unwrap();
        assert!(!body.contains("__VERSION__") && !body.contains("__SHELL__"));
        assert!(body.contains("\"/js/app.js\""));
        assert!(body.contains("\"/js/i18n/en.js\""));
        assert!(body.contains("\"/js/i18n/nl/office.js\""));
    }
}
