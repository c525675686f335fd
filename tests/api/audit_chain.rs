//! The audit trail cannot be changed afterwards: the database refuses changes and young
//! deletions, the hash chain shows any tampering with what it cannot refuse, and old
//! entries are pruned from the chain's start with the chain intact.

use chrono::{Months, TimeDelta};
use diesel::RunQueryDsl;
use futures::future::join_all;
use inbeeld::app::audit::chain::{self, Broken, Intact};
use inbeeld::db::DbError;
use inbeeld::db::queries::audit::EntryRow;
use inbeeld::domain::role::Role;
use inbeeld::jobs::retention;
use reqwest::StatusCode;

use crate::audit::{events, owned, trail};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::process::inbeeld;

/// Runs `statement` in a write of its own; `true` when the database refused it (an
/// error of the statement itself, not of the way to the database).
fn refused(app: &TestApp, statement: impl Into<String>) -> bool {
    let statement = statement.into();
    let outcome = app
        .state
        .db
        .write_blocking(move |conn| Ok::<_, DbError>(diesel::sql_query(statement).execute(conn)?));
    match outcome {
        Ok(_) => false,
        Err(DbError::Query(_)) => true,
        Err(err) => panic!("writing to the database: {err}"),
    }
}

#[tokio::test]
async fn audit_entries_cannot_be_changed_or_deleted() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.create_client("Boomklever").await;
    let before = app.count("audit_log");
    // Each in a write of its own: on PostgreSQL a refused statement ends its transaction.
    let update = refused(&app, "UPDATE audit_log SET outcome = 'forged'");
    let delete = refused(&app, "DELETE FROM audit_log");
    assert!(update, "UPDATE must be refused");
    assert!(delete, "DELETE must be refused");
    assert_eq!(app.count("audit_log"), before);
}

fn on_postgres(app: &TestApp) -> bool {
    app.state.settings.database_url.starts_with("postgres")
}

/// What a database administrator could do: switch off the triggers that guard the trail.
fn disarm_triggers(app: &TestApp) {
    let statements: &[&str] = if on_postgres(app) {
        &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"]
    } else {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    app.db_write(move |conn| {
        for statement in statements {
            diesel::sql_query(*statement).execute(conn)?;
        }
        Ok(())
    });
}

fn tamper(app: &TestApp, statement: &str) {
    let statement = statement.to_owned();
    assert_eq!(
        app.db_write(move |conn| diesel::sql_query(statement).execute(conn)),
        1
    );
}

pub(crate) fn verify(app: &TestApp) -> Result<Intact, Broken> {
    app.state.db.read_blocking(chain::verify).unwrap()
}

/// `inbeeld audit verify` on the test app's database: (succeeded, stdout + stderr).
fn verify_command(app: &TestApp) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = inbeeld(dir.path());
    command
        .env("INBEELD_DATA_DIR", &app.state.settings.data_dir)
        .env("INBEELD_DATABASE_URL", &app.state.settings.database_url)
        .args(["audit", "verify"]);
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

async fn busy_trail(app: &TestApp) -> Vec<i64> {
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Grutto").await;
    let location = app.default_location();
    // Concurrent audited reads and writes: the chain must not fork (on PostgreSQL the
    // writers really run side by side).
    let path = format!("/api/v1/clients/{client}");
    let reads = (0..20).map(|_| cm.get(&path));
    let writes = (0..20).map(|_| cm.record_contact(location, client));
    let (reads, writes) = futures::join!(join_all(reads), join_all(writes));
    for reply in reads {
        reply.assert(StatusCode::OK);
    }
    for reply in writes {
        reply.assert(StatusCode::CREATED);
    }
    trail(app, client).iter().map(|e| e.id).collect()
}

#[tokio::test]
async fn the_trail_is_a_hash_chain_that_tampering_breaks() {
    let app = spawn_app().await;
    let ids = busy_trail(&app).await;
    let intact = verify(&app).expect("an untouched trail verifies");
    assert_eq!(intact.entries, app.count("audit_log") as u64);
    assert_eq!(intact.unchained, 0);
    // The command counts before it writes its own entry.
    let all = app.count("audit_log");
    let (ok, printed) = verify_command(&app);
    assert!(ok, "{printed}");
    assert!(printed.contains(&intact.head), "{printed}");
    assert!(
        printed.contains(&format!("checked {all} of {all} entries")),
        "{printed}"
    );

    disarm_triggers(&app);
    let changed = ids[10];
    tamper(
        &app,
        &format!("UPDATE audit_log SET address = '10.1.2.3' WHERE id = {changed}"),
    );
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, Some(changed));
    assert!(broken.reason.contains("changed"), "{broken}");
    let (ok, printed) = verify_command(&app);
    assert!(!ok);
    assert!(printed.contains(&format!("entry {changed}")), "{printed}");
}

#[tokio::test]
async fn a_removed_entry_or_a_lost_end_is_found() {
    let app = spawn_app().await;
    busy_trail(&app).await;
    disarm_triggers(&app);
    let all = app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 1_000));
    // The newest entry of every lane: losing any of them shows.
    let mut ends: Vec<&EntryRow> = Vec::new();
    for entry in all.iter().rev() {
        if !ends.iter().any(|end| end.lane == entry.lane) {
            ends.push(entry);
        }
    }
    if on_postgres(&app) {
        assert!(ends.len() > 1, "parallel writes use several lanes");
    }
    let end = ends[ends.len() - 1];
    tamper(
        &app,
        &format!("DELETE FROM audit_log WHERE id = {}", end.id),
    );
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, None, "{broken}");
    assert!(
        broken.reason.contains(&format!("lane {}", end.lane)),
        "{broken}"
    );

    // An entry in the middle of its lane: the next one of that lane no longer follows.
    let (removed, next) = all
        .iter()
        .skip(5)
        .find_map(|e| {
            let next = all.iter().find(|n| n.id > e.id && n.lane == e.lane)?;
            (next.id != end.id).then_some((e.id, next.id))
        })
        .unwrap();
    tamper(&app, &format!("DELETE FROM audit_log WHERE id = {removed}"));
    let broken = verify(&app).unwrap_err();
    assert_eq!(broken.entry_id, Some(next));
    assert!(broken.reason.contains("removed"), "{broken}");
}

#[tokio::test]
async fn entries_are_kept_five_years_and_then_pruned_with_the_chain_intact() {
    // The database's guard uses its own clock: the old entries are written six years back.
    let app = spawn_app().await;
    app.clock.advance(-TimeDelta::days(6 * 366));
    let cm = app.login_as(Role::Casemanager).await;
    let client = cm.create_client("Tapuit").await;
    app.clock.advance(TimeDelta::days(6 * 366));
    let coordinator = app.login_as(Role::Coordinator).await;
    coordinator
        .get(&format!("/api/v1/clients/{client}"))
        .await
        .assert(StatusCode::OK);
    let before = app.count("audit_log");

    // A young entry cannot be deleted, not even by hand.
    {
        let young = "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)";
        assert!(refused(&app, young));
    }

    let (pruned, head) = retention::prune_audit_trail(&app.state).await.unwrap();
    // The casemanager's account, her sign-in and the client's creation, six years back.
    assert_eq!(pruned, 3);
    assert_eq!(app.count("audit_log"), before - 3 + 1);
    let intact = verify(&app).expect("the chain holds after pruning");
    assert_eq!(intact.head, head.head);
    let kept = trail(&app, client);
    assert_eq!(events(&kept), owned(&[("client.read", "R", "success")]));

    // Nothing more to prune: the trail is as it was.
    assert_eq!(retention::prune_audit_trail(&app.state).await.unwrap().0, 0);
    assert!(verify(&app).is_ok());
}

#[tokio::test]
async fn a_longer_retention_keeps_more() {
    let app = spawn_app_with(|s| s.audit_retention_years = 10).await;
    app.clock.advance(-TimeDelta::days(6 * 366));
    let cm = app.login_as(Role::Casemanager).await;
    cm.create_client("Kwak").await;
    app.clock.advance(TimeDelta::days(6 * 366));
    let before = app.count("audit_log");
    assert_eq!(retention::prune_audit_trail(&app.state).await.unwrap().0, 0);
    assert_eq!(app.count("audit_log"), before);
}

/// The pruning point as someone with the database would set it: every lane to entry `id`,
/// each resuming after its own newest entry up to it, as if everything up to it had been
/// pruned.
fn move_pruning_point(id: i64) -> String {
    format!(
        "UPDATE audit_chain SET pruned_through_id = {id}, \
         pruned_through_hash = (SELECT hash FROM audit_log \
         WHERE lane = audit_chain.id AND id <= {id} ORDER BY id DESC LIMIT 1)"
    )
}

/// Also switches off the guard of the chain's pruning point, when there is one.
fn disarm_chain_trigger(app: &TestApp) {
    let statement = if on_postgres(app) {
        "ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_prunes_forward"
    } else {
        "DROP TRIGGER audit_chain_prunes_forward"
    };
    app.db_write(move |conn| diesel::sql_query(statement).execute(conn));
}

#[tokio::test]
async fn a_changed_entry_cannot_hide_behind_the_pruning_point() {
    let app = spawn_app().await;
    let ids = busy_trail(&app).await;
    disarm_triggers(&app);
    let changed = ids[10];
    tamper(
        &app,
        &format!("UPDATE audit_log SET address = '10.1.2.3', user_id = NULL WHERE id = {changed}"),
    );
    // Skipping the changed entry by calling it pruned: the database refuses while it and
    // the entries before it are still there.
    assert!(refused(&app, move_pruning_point(changed)));
    assert!(verify(&app).is_err());

    // Someone who also switches that guard off gets the pointer moved, and `verify` still
    // fails: entries at or below the pruning point were never pruned.
    disarm_chain_trigger(&app);
    let statement = move_pruning_point(changed);
    let lanes = app.count("audit_chain") as usize;
    assert_eq!(
        app.db_write(move |conn| diesel::sql_query(statement).execute(conn)),
        lanes
    );
    let below = app.count(&format!("audit_log WHERE id <= {changed}"));
    let all = app.count("audit_log");
    let broken = verify(&app).unwrap_err();
    assert!(broken.reason.contains("at or below"), "{broken}");
    let (ok, printed) = verify_command(&app);
    assert!(!ok, "{printed}");
    assert!(printed.contains(&format!("{below} entries")), "{printed}");
    assert!(
        printed.contains(&format!("checked {} of {all} entries", all - below)),
        "{printed}"
    );
}

#[tokio::test]
async fn the_pruning_point_moves_only_forward_and_only_over_pruned_entries() {
    let app = spawn_app().await;
    app.clock.advance(-TimeDelta::days(6 * 366));
    let cm = app.login_as(Role::Casemanager).await;
    cm.create_client("Kievit").await;
    app.clock.advance(TimeDelta::days(6 * 366));
    app.login_as(Role::Coordinator).await;
    let (pruned, _) = retention::prune_audit_trail(&app.state).await.unwrap();
    assert!(pruned > 0);
    let through = app.db_read(inbeeld::db::queries::audit::pruned_through);
    assert!(through.is_some());

    assert!(refused(
        &app,
        "UPDATE audit_chain SET pruned_through_id = NULL, pruned_through_hash = NULL"
    ));
    assert!(refused(
        &app,
        "UPDATE audit_chain SET pruned_through_id = pruned_through_id - 1"
    ));
    assert!(refused(
        &app,
        "UPDATE audit_chain SET pruned_through_hash = 'forged'"
    ));
    // Forward over entries that still exist.
    assert!(refused(
        &app,
        "UPDATE audit_chain SET pruned_through_id = (SELECT MAX(id) FROM audit_log)"
    ));
    assert!(refused(&app, "DELETE FROM audit_chain"));
    if on_postgres(&app) {
        // TRUNCATE passes row triggers.
        assert!(refused(&app, "TRUNCATE audit_chain"));
        assert!(refused(&app, "TRUNCATE audit_log"));
    }
    assert_eq!(
        app.db_read(inbeeld::db::queries::audit::pruned_through),
        through
    );
    assert!(verify(&app).is_ok());
}

#[tokio::test]
async fn pruning_keeps_what_the_retention_setting_keeps_though_the_database_would_allow_it() {
    let app = spawn_app_with(|s| s.audit_retention_years = 7).await;
    // Eight years back: past the setting. Six years back: past the database's five-year
    // floor, so only the setting keeps these.
    app.clock.advance(-TimeDelta::days(8 * 366));
    let old = app.login_as(Role::Casemanager).await;
    old.create_client("Wulp").await;
    app.clock.advance(TimeDelta::days(2 * 366));
    let kept = app.login_as(Role::Casemanager).await;
    let client = kept.create_client("Scholekster").await;
    app.clock.advance(TimeDelta::days(6 * 366));

    let six_years_back = app.count("audit_log");
    let (pruned, head) = retention::prune_audit_trail(&app.state).await.unwrap();
    assert!(pruned > 0);
    let left = app.count("audit_log");
    // What was pruned was eight years old; the six-year-old entries are all there.
    assert_eq!(
        events(&trail(&app, client)),
        owned(&[("client.create", "C", "success")])
    );
    assert_eq!(left, six_years_back - pruned as i64 + 1);
    let intact = verify(&app).unwrap();
    assert_eq!(intact.head, head.head);
    // The pruning is an entry saying how many, up to where, and the limit kept to.
    let newest = app.db_read(|conn| inbeeld::db::queries::audit::page_after(conn, 0, 1_000));
    let prune = newest.last().unwrap();
    assert_eq!(
        (prune.event.as_str(), prune.role.as_deref()),
        ("audit.prune", Some("system"))
    );
    let detail: serde_json::Value = serde_json::from_str(prune.detail.as_deref().unwrap()).unwrap();
    assert_eq!(detail["entries"], pruned);
    assert_eq!(detail["through"], head.pruned_through);
    let limit = app
        .clock
        .now()
        .checked_sub_months(Months::new(7 * 12))
        .unwrap();
    assert_eq!(detail["before"], serde_json::to_value(limit).unwrap());
}
