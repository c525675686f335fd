//! The coordinator brings the team's client list in from a spreadsheet: a preview that
//! writes nothing, an import that does what it showed, and again changes nothing.

use inbeeld::domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, spawn_app};

const PREVIEW: &str = "/api/v1/clients/import/preview";
const IMPORT: &str = "/api/v1/clients/import";
const TEMPLATE: &str = "/api/v1/clients/import/template.csv";

/// The Dutch form as Excel saves it: byte-order mark, `;`, CRLF, Dutch dates.
const DUTCH: &str = "\u{FEFF}Code;Roepnaam;Regio;Intakedatum;Buiten beeld na dagen;\
Registratienummer;Registratie verleend op;Registratie verloopt op\r\n\
NM-001;Roos;Nijmegen;15-03-2024;21;R-17;01-04-2024;01-04-2027\r\n\
NM-002;\"Lies; de tweede\";MO-regio;2024-05-01;;;;\r\n";

async fn send(who: &Session, path: &str, csv: &str) -> Value {
    who.post(path, json!({ "csv": csv }))
        .await
        .assert(StatusCode::OK)
}

fn actions(answer: &Value) -> Vec<(u64, String, String)> {
    answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["line"].as_u64().unwrap(),
                row["code"].as_str().unwrap().to_owned(),
                row["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(answer: &Value, code: &str) -> Value {
    answer["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {answer}"))
        .clone()
}

fn triples(items: &[(u64, &str, &str)]) -> Vec<(u64, String, String)> {
    items
        .iter()
        .map(|(l, c, a)| (*l, c.to_string(), a.to_string()))
        .collect()
}

/// Entries about one client or another (the per-request entries name no client).
fn client_entries(app: &TestApp) -> i64 {
    app.count("audit_log WHERE client_id IS NOT NULL")
}

async fn find(who: &Session, code: &str) -> Value {
    let list = who.get("/api/v1/clients").await.assert(StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no client {code}"))
        .clone()
}

#[tokio::test]
async fn the_preview_writes_nothing_and_the_import_creates_what_it_showed() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let (clients, entries) = (app.count("clients"), client_entries(&app));

    let preview = send(&coordinator, PREVIEW, DUTCH).await;
    assert_eq!(
        actions(&preview),
        triples(&[(2, "NM-001", "create"), (3, "NM-002", "create")])
    );
    assert_eq!(
        row(&preview, "NM-001")["changes"],
        json!([
            "alias",
            "region",
            "intake_on",
            "followup_threshold_days",
            "registration"
        ])
    );
    assert_eq!(
        preview["counts"],
        json!({"create": 2, "change": 0, "unchanged": 0, "error": 0})
    );
    assert_eq!(app.count("clients"), clients);
    assert_eq!(client_entries(&app), entries);

    let done = send(&coordinator, IMPORT, DUTCH).await;
    assert_eq!(actions(&done), actions(&preview));
    assert_eq!(app.count("clients"), clients + 2);
    let roos = find(&coordinator, "NM-001").await;
    assert_eq!(roos["alias"], "Roos");
    assert_eq!(roos["region"], "nijmegen");
    assert_eq!(roos["intake_on"], "2024-03-15");
    assert_eq!(roos["followup_threshold_days"], 21);
    assert_eq!(roos["caseload_status"], "active");
    assert_eq!(roos["registration_status"], "registered");
    assert_eq!(roos["registration_number"], "R-17");
    assert_eq!(roos["registration_date"], "2024-04-01");
    assert_eq!(roos["registration_expires_on"], "2027-04-01");
    let lies = find(&coordinator, "NM-002").await;
    assert_eq!(lies["alias"], "Lies; de tweede");
    assert_eq!(lies["region"], "mo_region");
    assert_eq!(lies["registration_status"], "none");
    // Nobody is made her casemanager: the coordinator assigns them afterwards.
    assert_eq!(app.count("client_casemanagers"), 0);
    // One entry per client created, naming the fields but not their values.
    let created = app.count("audit_log WHERE event = 'client.create' AND action = 'C'");
    assert_eq!(created, 2);
    assert_eq!(client_entries(&app), entries + 2);
}

#[tokio::test]
async fn the_same_file_again_changes_nothing_and_a_changed_row_names_its_fields() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    send(&coordinator, IMPORT, DUTCH).await;
    let (clients, entries) = (app.count("clients"), client_entries(&app));

    let again = send(&coordinator, IMPORT, DUTCH).await;
    assert_eq!(
        actions(&again),
        triples(&[(2, "NM-001", "unchanged"), (3, "NM-002", "unchanged")])
    );
    assert_eq!(app.count("clients"), clients);
    assert_eq!(client_entries(&app), entries);

    // The comma form, without a mark: Roos moved, Lies's intake date was wrong; an empty
    // cell keeps what she has.
    let changed = "code,roepnaam,regio,intakedatum\n\
        NM-001,Roos,buiten de regio,\n\
        NM-002,,,02-05-2024\n";
    let preview = send(&coordinator, PREVIEW, changed).await;
    assert_eq!(row(&preview, "NM-001")["action"], "change");
    assert_eq!(row(&preview, "NM-001")["changes"], json!(["region"]));
    assert_eq!(row(&preview, "NM-002")["changes"], json!(["intake_on"]));
    assert_eq!(client_entries(&app), entries);

    let done = send(&coordinator, IMPORT, changed).await;
    assert_eq!(
        done["counts"],
        json!({"create": 0, "change": 2, "unchanged": 0, "error": 0})
    );
    let roos = find(&coordinator, "NM-001").await;
    assert_eq!(roos["region"], "outside");
    assert_eq!(roos["intake_on"], "2024-03-15");
    assert_eq!(
        find(&coordinator, "NM-002").await["intake_on"],
        "2024-05-02"
    );
    assert_eq!(app.count("clients"), clients);
    let updates = app.count(&format!(
        "audit_log WHERE event = 'client.update' AND action = 'U' AND client_id = {} \
         AND detail LIKE '%\"region\"%'",
        roos["id"]
    ));
    assert_eq!(updates, 1);
    assert_eq!(client_entries(&app), entries + 2);
}

#[tokio::test]
async fn unreadable_rows_are_listed_with_line_and_reason_and_skipped() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let csv = "code;roepnaam;regio;intakedatum\n\
        NM-001;Roos;Nijmegen;31-02-2024\n\
        NM-002;Lies;Arnhem;\n\
        ;Anna;Nijmegen;\n\
        NM-004;Eva;Nijmegen;\n\
        NM-005;Mies;Nijmegen;\n\
        NM-004;Evi;Nijmegen;\n\
        NM-007;;Nijmegen;\n";
    let done = send(&coordinator, IMPORT, csv).await;
    let error = |code: &str| row(&done, code)["errors"].clone();
    let line = |code: &str| row(&done, code)["line"].clone();
    assert_eq!(
        error("NM-001"),
        json!([{"column": "intakedatum", "error": "bad_date"}])
    );
    assert_eq!(line("NM-001"), 2);
    assert_eq!(
        error("NM-002"),
        json!([{"column": "regio", "error": "unknown_region"}])
    );
    assert_eq!(
        error(""),
        json!([{"column": "code", "error": "missing_value"}])
    );
    assert_eq!(line(""), 4);
    let duplicates: Vec<&Value> = done["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "NM-004")
        .collect();
    assert_eq!(duplicates.len(), 2);
    for duplicate in duplicates {
        assert_eq!(duplicate["action"], "error");
        assert_eq!(
            duplicate["errors"],
            json!([{"column": "code", "error": "duplicate_code"}])
        );
    }
    // A new client needs a roepnaam, as at intake.
    assert_eq!(
        error("NM-007"),
        json!([{"column": "roepnaam", "error": "missing_value"}])
    );
    assert_eq!(
        done["counts"],
        json!({"create": 1, "change": 0, "unchanged": 0, "error": 6})
    );
    assert_eq!(app.count("clients"), 1);
    find(&coordinator, "NM-005").await;
}

#[tokio::test]
async fn a_grant_her_history_refuses_is_an_error_on_its_row_not_a_refused_file() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    send(&coordinator, IMPORT, DUTCH).await;
    // Roos's grant of 1 April 2024 is on record: an older one is no news; a grant in the
    // future has not happened.
    let csv = "code;roepnaam;regio;registratienummer;registratie verleend op;registratie verloopt op\n\
        NM-001;Roos;Nijmegen;R-16;01-01-2024;01-01-2027\n\
        NM-009;Fenna;Nijmegen;R-30;01-01-2098;01-01-2099\n\
        NM-010;Jet;Nijmegen;;;\n";
    let preview = send(&coordinator, PREVIEW, csv).await;
    let refused = |code: &str, error: &str| {
        let line = row(&preview, code);
        assert_eq!(line["action"], "error", "{code}");
        assert_eq!(
            line["errors"],
            json!([{"column": "registratie verleend op", "error": error}])
        );
    };
    refused("NM-001", "before_latest_event");
    refused("NM-009", "date_in_future");
    assert_eq!(row(&preview, "NM-010")["action"], "create");

    let events = app.count("registration_events");
    let done = send(&coordinator, IMPORT, csv).await;
    assert_eq!(
        done["counts"],
        json!({"create": 1, "change": 0, "unchanged": 0, "error": 2})
    );
    assert_eq!(app.count("registration_events"), events);
    assert_eq!(
        find(&coordinator, "NM-001").await["registration_number"],
        "R-17"
    );
    find(&coordinator, "NM-010").await;
}

#[tokio::test]
async fn a_code_of_another_team_is_a_new_client_in_hers() {
    let app = spawn_app().await;
    let other_team = app.create_team("Team Oost");
    let elsewhere = app.login_in_team(Role::Coordinator, Some(other_team)).await;
    send(
        &elsewhere,
        IMPORT,
        "code;roepnaam;regio\nNM-001;Ander;Nijmegen\n",
    )
    .await;
    let coordinator = app.login_as(Role::Coordinator).await;

    let done = send(&coordinator, IMPORT, DUTCH).await;
    assert_eq!(row(&done, "NM-001")["action"], "create");
    assert_eq!(find(&coordinator, "NM-001").await["alias"], "Roos");
    assert_eq!(find(&elsewhere, "NM-001").await["alias"], "Ander");
    assert_eq!(app.count("clients WHERE code = 'NM-001'"), 2);
}

#[tokio::test]
async fn files_that_are_no_client_list_are_refused_whole() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    for (csv, code) in [
        // What a browser makes of a file saved as Latin-1.
        ("code;roepnaam\nNM-1;Ren\u{FFFD}e\n", "csv_not_utf8"),
        ("", "csv_empty"),
        ("naam;regio\nRoos;Nijmegen\n", "csv_no_code_column"),
    ] {
        for path in [PREVIEW, IMPORT] {
            coordinator
                .post(path, json!({ "csv": csv }))
                .await
                .assert_error(StatusCode::UNPROCESSABLE_ENTITY, code);
        }
    }
    assert_eq!(app.count("clients"), 0);
}

#[tokio::test]
async fn a_list_of_five_hundred_clients_fits_in_one_request() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let mut csv = String::from(
        "\u{FEFF}code;roepnaam;regio;intakedatum;buiten beeld na dagen;registratienummer;\
         registratie verleend op;registratie verloopt op\r\n",
    );
    for n in 0..500 {
        csv.push_str(&format!(
            "NM-{n:04};Roepnaam nummer {n:04} met een lange naam;MO-regio;01-02-2025;30;\
             REGISTRATIE-2025-{n:06}-NIJMEGEN-ZONE;01-02-2025;01-02-2026\r\n"
        ));
    }
    assert!(csv.len() > 64 * 1024, "{} bytes", csv.len());
    let done = send(&coordinator, IMPORT, &csv).await;
    assert_eq!(done["counts"]["create"], 500);
    assert_eq!(app.count("clients"), 500);
}

#[tokio::test]
async fn only_the_coordinator_imports_and_gets_the_template() {
    let app = spawn_app().await;
    let coordinator = app.login_as(Role::Coordinator).await;
    let template = coordinator
        .http
        .get(format!("{}{TEMPLATE}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), StatusCode::OK);
    assert_eq!(
        template.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let bytes = template.bytes().await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.starts_with("\u{FEFF}code;roepnaam;regio;intakedatum;buiten beeld na dagen;"),
        "{text}"
    );
    // The template, filled in as it comes, imports.
    let done = send(&coordinator, PREVIEW, &text).await;
    assert_eq!(done["counts"]["create"], 1, "{done}");

    for role in [
        Role::Casemanager,
        Role::Peer,
        Role::Admin,
        Role::ProcessDirector,
        Role::Municipality,
    ] {
        let other = app.login_as(role).await;
        for path in [PREVIEW, IMPORT] {
            let reply = other.post(path, json!({ "csv": DUTCH })).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role:?} {path}");
        }
        assert_eq!(other.get(TEMPLATE).await.status, StatusCode::FORBIDDEN);
    }
    let anonymous = app.anonymous();
    assert_eq!(
        anonymous.post(IMPORT, json!({ "csv": DUTCH })).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count("clients"), 0);
}
