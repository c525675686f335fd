//! The `inbeeld` binary: help, `user add`, `demo`, `backup`, `followups sweep`.

use std::io::Write;
use std::process::{Command, Stdio};

use inbeeld::db::Db;
use inbeeld::db::queries::{teams, users};
use inbeeld::domain::code::Code;
use inbeeld::domain::role::Role;

use crate::helpers::{db_read, wait_until};
use crate::process::{demo_password, inbeeld, serving, serving_with, user_add};

#[test]
fn user_add_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let output = user_add(
        inbeeld(dir.path()),
        "Fleur",
        "casemanager",
        "Stapteam Nijmegen",
        "een lang genoeg wachtwoord",
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("Created team `Stapteam Nijmegen`"),
        "{printed}"
    );

    let db = Db::connect(dir.path().join("inbeeld.db").to_str().unwrap(), 1).unwrap();
    let (user, team) = db_read(&db, |conn| {
        Ok((
            users::find_by_username(conn, "fleur")?.unwrap(),
            teams::find_by_name(conn, "Stapteam Nijmegen")?.unwrap(),
        ))
    });
    assert_eq!(user.role, "casemanager");
    assert_eq!(user.team_id, Some(team.id));
    assert!(inbeeld::auth::password::verify(
        "een lang genoeg wachtwoord",
        &user.password_hash
    ));

    // A weak password or a missing team is refused with a reason.
    let refused = inbeeld(dir.path())
        .args([
            "user",
            "add",
            "--username",
            "kort",
            "--role",
            "peer",
            "--team",
            "Stapteam Nijmegen",
        ])
        .stdin(Stdio::piped())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("12 characters"));
}

#[test]
fn help_lists_every_setting_with_its_default() {
    let dir = tempfile::tempdir().unwrap();
    let output = inbeeld(dir.path()).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "INBEELD_BIND",
        "127.0.0.1:8080",
        "INBEELD_TIME_ZONE",
        "Europe/Amsterdam",
        "INBEELD_BACKDATE_MAX_DAYS",
        "INBEELD_FOLLOWUP_THRESHOLD_DAYS",
        "serve",
        "migrate",
        "demo",
    ] {
        assert!(help.contains(expected), "--help lacks {expected}:\n{help}");
    }
}

/// Counts the rows of `table` (with a `WHERE` clause, if it has one) in the SQLite
/// database of the data folder `dir`.
fn count(dir: &std::path::Path, table: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let db = Db::connect(dir.join("inbeeld.db").to_str().unwrap(), 1).unwrap();
    db_read(&db, |conn| {
        diesel::RunQueryDsl::get_result::<Count>(
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")),
            conn,
        )
    })
    .n
}

/// The demo holds an account for every role, and "last seen", the follow-ups and the
/// figures agree from the start: last contacts follow from the contacts, and one sweep has
/// opened a follow-up for everyone in the team's own caseload out of view.
#[test]
fn demo_data_loads_once_and_agrees_with_itself() {
    let dir = tempfile::tempdir().unwrap();
    let first = inbeeld(dir.path()).arg("demo").output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let printed = String::from_utf8_lossy(&first.stdout);
    assert!(printed.contains("20 clients"), "{printed}");
    for role in Role::ALL {
        let role = role.as_str();
        let accounts = count(dir.path(), &format!("users WHERE role = '{role}'"));
        assert!(accounts >= 1, "no {role} account");
    }
    let path = dir.path();
    let seen = "clients WHERE id IN (SELECT client_id FROM contacts)";
    assert!(count(path, seen) > 10);
    assert_eq!(
        count(path, &format!("{seen} AND last_contact_at IS NULL")),
        0,
        "last seen follows from the contacts"
    );
    let absent = count(
        path,
        "clients c WHERE caseload_status = 'active' AND NOT EXISTS (SELECT 1 FROM contacts \
         WHERE client_id = c.id AND seen_at > datetime('now', '-14 days'))",
    );
    let followed = count(path, "followups WHERE kind = 'absence' AND status = 'open'");
    assert!(
        absent > 0,
        "six weeks of random visits leave someone out of view"
    );
    assert_eq!(followed, absent, "one sweep opened a follow-up for each");
    assert!(
        printed.contains(&format!("Swept once: {followed} absence")),
        "{printed}"
    );
    let again = inbeeld(dir.path()).arg("demo").output().unwrap();
    assert!(!again.status.success());
}

#[test]
fn followups_sweep_runs_once_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let output = inbeeld(dir.path())
        .args(["followups", "sweep"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["opened"], 0);
    assert_eq!(report["delivery"]["sent"], 0);
}

#[test]
fn a_backup_taken_while_the_server_writes_restores_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = serving(dir.path());
    // The demo loader writes through its own connection while the server holds the file.
    let demo = inbeeld(dir.path()).arg("demo").output().unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let copy = dir.path().join("copy.db");
    let backup = inbeeld(dir.path())
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let again = inbeeld(dir.path())
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is not overwritten"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // Restore: the copy becomes the database of a fresh data folder.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&copy, restored.path().join("inbeeld.db")).unwrap();
    for table in ["clients", "contacts", "shifts", "users", "server_keys"] {
        assert_eq!(
            count(restored.path(), table),
            count(dir.path(), table),
            "{table} in the restored copy"
        );
    }
    assert_eq!(count(restored.path(), "clients"), 20);
    let mut server = serving(restored.path());
    server.kill().unwrap();
    server.wait().unwrap();
}

/// With the demo data loaded and JSON logs on, a session of reading, searching and
/// recording leaves log lines that are all JSON, carry the request id the answer names,
/// and never hold an alias or a note.
#[tokio::test]
async fn logs_are_json_with_request_ids_and_never_name_a_client() {
    let dir = tempfile::tempdir().unwrap();
    let demo = inbeeld(dir.path()).arg("demo").output().unwrap();
    assert!(demo.status.success());
    let password = demo_password(&demo.stdout);
    let mut command = inbeeld(dir.path());
    command.env("INBEELD_LOG_FORMAT", "json");
    let mut server = serving_with(command);
    let port = server.port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let note = "Merel had een blauwe plek en wil naar de huisarts";

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    // The id each answer names, to wait for each request's log line below.
    let mut sent = Vec::new();
    let id_of = |answer: &reqwest::Response| {
        answer.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let signed_in = http
        .post(format!("{base}/session"))
        .json(&serde_json::json!({"username": "demo.anna", "password": password}))
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success());
    sent.push(id_of(&signed_in));
    let listed = http.get(format!("{base}/clients")).send().await.unwrap();
    sent.push(id_of(&listed));
    let clients: serde_json::Value = listed.json().await.unwrap();
    let merel = clients
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["alias"] == "Merel")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let searched = http
        .post(format!("{base}/clients/search"))
        .json(&serde_json::json!({"q": "Merel"}))
        .send()
        .await
        .unwrap();
    assert!(searched.status().is_success());
    sent.push(id_of(&searched));
    let recorded = http
        .post(format!("{base}/contacts"))
        .json(&serde_json::json!({"client_id": merel, "location_id": 1, "note": note}))
        .send()
        .await
        .unwrap();
    assert!(recorded.status().is_success());
    let id = id_of(&recorded);
    sent.push(id.clone());
    // A client's alias in a path or a bad body does not reach the log either.
    let refused = http
        .post(format!("{base}/contacts"))
        .json(&serde_json::json!({"client_id": "Merel", "note": note}))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());
    sent.push(id_of(&refused));
    let unknown = http
        .get(format!("{base}/clients/Merel"))
        .send()
        .await
        .unwrap();
    sent.push(id_of(&unknown));

    // Each request's line is written before its answer goes out, but reaches this test
    // through a pipe and a reading thread: wait for every one before stopping the server.
    let mut lines = server.startup;
    let mut logged = std::collections::HashSet::new();
    wait_until("every request of the session is in the log", || {
        for line in server.log.try_iter() {
            if let Ok(entry) = serde_json::from_str::<serde_json::Value>(&line)
                && entry["fields"]["message"] == "request"
                && let Some(id) = entry["span"]["id"].as_str()
            {
                logged.insert(id.to_owned());
            }
            lines.push(line);
        }
        sent.iter().all(|id| logged.contains(id))
    });
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    lines.extend(server.log.try_iter());
    assert!(lines.len() > 5, "{lines:#?}");
    let mut ids = Vec::new();
    for line in &lines {
        let entry: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|_| panic!("not a JSON log line: {line}"));
        for alias in inbeeld::demo::ALIASES {
            assert!(!line.contains(alias), "{alias} in the log: {line}");
        }
        assert!(!line.contains("blauwe plek"), "a note in the log: {line}");
        if entry["fields"]["message"] == "request" {
            ids.push(entry["span"]["id"].as_str().unwrap().to_owned());
        }
    }
    assert!(ids.contains(&id), "request {id} not logged: {lines:#?}");
}

/// SIGTERM: the server stops taking connections, finishes the request in flight, and exits
/// cleanly.
#[test]
fn sigterm_lets_the_request_in_flight_finish() {
    use std::io::Read;
    use std::net::TcpStream;

    let dir = tempfile::tempdir().unwrap();
    let mut command = inbeeld(dir.path());
    command.env("INBEELD_LOG_FORMAT", "json");
    let mut server = serving_with(command);
    let port = server.port();

    // A sign-in whose body is still on its way when the signal comes. A first request on
    // the same connection makes sure the server has taken the connection up: on a busy
    // machine one only waiting in the listen queue would be dropped with the listener.
    let body = br#"{"username": "nobody", "password": "not the right one"}"#;
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(slow, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while !first.ends_with(b"\r\n\r\nok") {
        slow.read_exact(&mut byte).unwrap();
        first.push(byte[0]);
    }
    write!(
        slow,
        "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    slow.write_all(&body[..10]).unwrap();
    // The request is in flight once the server has read all that was sent: the kernel
    // holds none of it unacknowledged on this side nor unread on the server's.
    let own_port = slow.local_addr().unwrap().port();
    wait_until(
        "the server has read the request head and the first bytes of its body",
        || {
            queued(own_port, port).is_some_and(|(unacknowledged, _)| unacknowledged == 0)
                && queued(port, own_port).is_some_and(|(_, unread)| unread == 0)
        },
    );
    let term = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    // No new connections once stopping...
    wait_until("no new connection is accepted after SIGTERM", || {
        TcpStream::connect(("127.0.0.1", port)).is_err()
    });
    // ...but the one in flight gets its answer.
    slow.write_all(&body[10..]).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight was cut off: {answer:?}"
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}

/// The bytes the kernel holds for the loopback TCP connection from port `local` to port
/// `remote` (Linux's /proc/net/tcp): sent but not yet acknowledged, and received but not yet
/// read by the process.
fn queued(local: u16, remote: u16) -> Option<(u64, u64)> {
    let table = std::fs::read_to_string("/proc/net/tcp")
        .expect("/proc/net/tcp, the kernel's TCP table (this test needs Linux)");
    let port = |address: &str| u16::from_str_radix(address.rsplit_once(':')?.1, 16).ok();
    table.lines().skip(1).find_map(|row| {
        let fields: Vec<&str> = row.split_whitespace().collect();
        if port(fields.get(1)?)? != local || port(fields.get(2)?)? != remote {
            return None;
        }
        let (unacknowledged, unread) = fields.get(4)?.split_once(':')?;
        Some((
            u64::from_str_radix(unacknowledged, 16).ok()?,
            u64::from_str_radix(unread, 16).ok()?,
        ))
    })
}
