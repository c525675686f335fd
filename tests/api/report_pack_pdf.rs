//! The report pack's PDF, read back by an independent tool (`pdftotext` of poppler): the
//! period, the location, how the figures are counted, the figures beside the year before,
//! in Dutch with its ë and é; the municipality's without a name in it.

use std::process::Command;

use inbeeld::domain::role::Role;
use reqwest::StatusCode;

use crate::helpers::{Session, TestApp, spawn_app};
use crate::report_pack_access::january;
use crate::report_pack_data::two_years;

/// The pack of `query` as PDF, as the text `pdftotext -layout` reads in it.
async fn pdf_text(app: &TestApp, session: &Session, query: &str) -> String {
    let reply = session
        .http
        .get(format!("{}/api/v1/reports/pack.pdf?{query}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    assert_eq!(reply.headers()["content-type"], "application/pdf");
    let bytes = reply.bytes().await.unwrap();
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The two columns after the first line that starts with `label`: this period, the year
/// before.
fn columns<'a>(text: &'a str, label: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|line| line.starts_with(label))
        .unwrap_or_else(|| panic!("no line {label} in\n{text}"));
    line[label.len()..]
        .split("  ")
        .map(str::trim)
        .filter(|cell| !cell.is_empty())
        .collect()
}

#[tokio::test]
#[cfg_attr(
    not(inbeeld_pdftotext),
    ignore = "needs pdftotext: apt-get install poppler-utils; see README"
)]
async fn the_pack_reads_back_as_a_dutch_a4_document() {
    let app = spawn_app().await;
    let team = two_years(&app).await;
    let text = pdf_text(&app, &team.coordinator, "from=2026-01-01&to=2026-12-31").await;
    for line in [
        "InBeeld verantwoording 2026",
        "Periode: 2026 (2026-01-01 tot en met 2026-12-31).",
        "Locatie: alle locaties.",
        "Vergeleken met dezelfde periode een jaar eerder: 2025 (2025-01-01 tot en met 2025-12-31).",
        "Caseload en categorieën",
        "Voortgang op de leefgebieden (ZRM)",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    // How a figure is counted, with its é.
    assert!(text.contains("telt één uur minder of meer"), "{text}");
    assert_eq!(columns(&text, "Met bekende vrouwen"), ["6", "1"]);
    // De Cirkel's own figures, and a service by the location's name.
    assert!(text.contains("Huiskamer De Cirkel"), "{text}");
    assert_eq!(columns(&text, "Bezoeken"), ["7", "0"]);
    assert_eq!(columns(&text, "Huiskamer De Cirkel: condooms"), ["4", "0"]);
    assert_eq!(columns(&text, "De Loods: condooms"), ["0", "2"]);
    assert_eq!(columns(&text, "Anonieme bezoekers"), ["4", "2"]);
    assert_eq!(
        columns(&text, "Gemiddeld bezoek per dienst"),
        ["3,0", "0,0"]
    );
    assert_eq!(columns(&text, "Caseload: eigen caseload"), ["1", "2"]);
    assert_eq!(
        columns(&text, "Flexbudget van het jaar"),
        ["€ 500,00", "€ 0,00"]
    );
    assert_eq!(
        columns(&text, "Diagnostiek: mediane wachttijd (dagen)"),
        ["75,0", "–"]
    );
    assert_eq!(columns(&text, "Coördinator: uren op dienst"), ["7", "0"]);
    assert_eq!(columns(&text, "Huisvesting: verbeterd"), ["1", "0"]);
    assert!(text.contains("Caseload per casemanager"), "{text}");
    assert_eq!(columns(&text, &team.casemanager.username), ["2"]);
}

#[tokio::test]
#[cfg_attr(
    not(inbeeld_pdftotext),
    ignore = "needs pdftotext: apt-get install poppler-utils; see README"
)]
async fn the_municipality_pdf_holds_no_small_number_and_no_name() {
    let app = spawn_app().await;
    january(&app).await;
    let municipality = app.login_as(Role::Municipality).await;
    let text = pdf_text(&app, &municipality, "from=2026-01-01&to=2026-03-31").await;
    assert!(
        text.contains("Periode: 2026-Q1 (2026-01-01 tot en met 2026-03-31)."),
        "{text}"
    );
    assert!(text.contains("afgerond op 5"), "{text}");
    assert_eq!(columns(&text, "Totaal"), ["10", "<5"]);
    assert_eq!(columns(&text, "Met bekende vrouwen"), ["<5", "<5"]);
    assert!(
        !text.contains("Merel") && !text.contains("Caseload per casemanager"),
        "{text}"
    );
}
