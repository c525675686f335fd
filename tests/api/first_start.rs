//! The first start of `inbeeld serve` on an empty database: it creates `admin` and writes
//! her password to a file only the service can read, never to its output.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use inbeeld::db::Db;
use inbeeld::db::queries::users;

use crate::helpers::db_read;
use crate::postgres::PostgresDatabase;
use crate::process::{inbeeld, serving_with};

/// Starts `serve`, stops it once it listens, and returns what it printed on stdout, what
/// it logged meanwhile (stderr), and the port it listened on.
fn output_until_listening(command: Command) -> (String, String, u16) {
    let mut serving = serving_with(command);
    let port = serving.port();
    serving.child.kill().unwrap();
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut serving.child.stdout.take().unwrap(), &mut printed).unwrap();
    serving.child.wait().unwrap();
    (printed, serving.startup.join("\n"), port)
}

/// The first start creates `admin` with a random password and writes it to a file only
/// the service's user may read: what it prints (under systemd, the journal's) says where,
/// never the password itself. On SQLite and on PostgreSQL alike, in the data folder.
#[test]
fn the_first_start_writes_the_admin_password_to_a_file_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    // Not there yet: made for the service's user alone.
    let data = dir.path().join("data");
    let postgres = PostgresDatabase::from_env();
    let command = || {
        let mut command = inbeeld(&data);
        if let Some(pg) = &postgres {
            command.env("INBEELD_DATABASE_URL", &pg.url);
        }
        command
    };
    let (printed, log, port) = output_until_listening(command());
    let file = data.join("first-admin-password.txt");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "data folder");
    assert_eq!(mode(&file), 0o600, "{}", file.display());
    let password = std::fs::read_to_string(&file).unwrap();
    let password = password.trim_end();
    assert_eq!(password.len(), 20);
    assert!(printed.contains("created account `admin`"), "{printed}");
    assert!(printed.contains(&file.display().to_string()), "{printed}");
    // Where to go next: the address to open, and what to do there.
    assert!(
        printed.contains(&format!(
            "open http://localhost:{port} and sign in as `admin`"
        )),
        "{printed}"
    );
    assert!(
        printed.contains("Under Beheer, create the team"),
        "{printed}"
    );
    assert!(!printed.contains(password), "printed: {printed}");
    assert!(!log.contains(password), "logged: {log}");
    let url = match &postgres {
        Some(pg) => pg.url.clone(),
        None => data.join("inbeeld.db").display().to_string(),
    };
    let admin = db_read(&Db::connect(&url, 1).unwrap(), |conn| {
        users::find_by_username(conn, "admin")
    })
    .unwrap();
    assert_eq!(admin.role, "admin");
    assert!(inbeeld::auth::password::verify(
        password,
        &admin.password_hash
    ));

    // Once only: a later start creates no one and leaves the file alone.
    let (second, _, _) = output_until_listening(command());
    assert!(!second.contains("admin"), "{second}");
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim_end(), password);
}

/// Where the password cannot be written, the first start stops before any account exists,
/// and says why: never an admin whose password nobody has.
#[test]
fn without_a_place_for_the_password_the_first_start_creates_no_admin() {
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, "").unwrap();
    let database = dir.path().join("inbeeld.db");
    let mut child = inbeeld(&blocked.join("data"))
        .env("INBEELD_DATABASE_URL", &database)
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("the server started without a place for the admin's password");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("inbeeld user add"), "{said}");
    let accounts = db_read(
        &Db::connect(database.to_str().unwrap(), 1).unwrap(),
        users::count,
    );
    assert_eq!(accounts, 0);
}
