//! `Db::write`: many writes share one transaction (group commit), yet each keeps its own
//! outcome; on PostgreSQL in four queues side by side, on one server or several.

use inbeeld::app::audit::{self, Action, Actor, Event, Outcome};
use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::domain::role::Role;
use inbeeld::error::ApiError;

use diesel::prelude::*;
use inbeeld::db::Db;
use inbeeld::db::schema::clients;

use reqwest::StatusCode;

use crate::audit_chain::verify;
use crate::helpers::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_committed_together_succeed_and_fail_alone() {
    let app = spawn_app().await;
    let (recorder, _) = app.create_user(Role::Casemanager, None);
    let (team, location, now) = (app.team, app.default_location(), app.clock.now());
    let count = |n: i32| NewContact {
        team_id: team,
        client_id: None,
        visitor_count: n,
        location_id: Some(location),
        shift_id: None,
        seen_at: now,
        kind: "visit".into(),
        services: String::new(),
        note: None,
        recorded_by: recorder,
        created_at: now,
        updated_at: now,
    };
    // 300 writes at once, each of two inserts; in every third the second insert names a
    // client that does not exist. Its first insert must go with it, and nobody else's.
    let mut writes = Vec::new();
    for i in 0..300 {
        let db = app.state.db.clone();
        let (first, mut second) = (count(1), count(2));
        writes.push(tokio::spawn(async move {
            db.write(move |conn| {
                let kept = contacts::insert(conn, &first)?;
                if i % 3 == 0 {
                    second.client_id = Some(999_999);
                    second.visitor_count = 1;
                }
                contacts::insert(conn, &second)?;
                Ok(kept.id)
            })
            .await
        }));
    }
    let (mut kept, mut refused) = (Vec::new(), 0);
    for write in writes {
        match write.await.unwrap() {
            Ok(id) => kept.push(id),
            Err(ApiError::Unprocessable { code, .. }) => {
                assert_eq!(code, "unknown_reference");
                refused += 1;
            }
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }
    assert_eq!((kept.len(), refused), (200, 100));
    // Exactly the answered writes are in the database, both of their rows.
    assert_eq!(app.count("contacts"), 400);
    kept.sort();
    kept.dedup();
    assert_eq!(kept.len(), 200);
}

/// A batch keeps its lane's head of the audit chain in memory: a write that rolls back
/// after its entry takes the head back with it, so the next write's entry follows the last
/// one kept, and the head written at the commit is the newest entry there is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_of_writes_that_roll_back_leave_the_chain_whole() {
    let app = spawn_app().await;
    let before = app.count("audit_log");
    let now = app.clock.now();
    let mut writes = Vec::new();
    for i in 0..300 {
        let db = app.state.db.clone();
        writes.push(tokio::spawn(async move {
            db.write(move |conn| -> Result<(), ApiError> {
                let event = Event::account("test.write", Action::Create);
                audit::record_by(conn, Actor::SYSTEM, now, &event, Outcome::Success)?;
                match i % 3 {
                    0 => Err(ApiError::invalid("refused", "Refused after its entry.")),
                    _ => Ok(()),
                }
            })
            .await
        }));
    }
    let mut kept = 0;
    for write in writes {
        kept += usize::from(write.await.unwrap().is_ok());
    }
    assert_eq!(kept, 200);
    assert_eq!(app.count("audit_log"), before + 200);
    let intact = verify(&app).expect("the chain holds");
    assert_eq!((intact.entries + intact.unchained) as i64, before + 200);
    // And a write after them follows on from the head written.
    app.login_as(Role::Casemanager).await;
    verify(&app).expect("the chain holds after the next write");
}

#[tokio::test]
async fn a_write_that_panics_is_refused_and_later_writes_go_on() {
    let app = spawn_app().await;
    let panicked = app
        .state
        .db
        .write(|_| -> Result<(), ApiError> { panic!("a bug in one write") })
        .await;
    assert!(panicked.is_err());
    let team = app.team;
    let later = app
        .state
        .db
        .write(move |conn| Ok::<_, ApiError>(inbeeld::db::queries::teams::exists(conn, team)?))
        .await;
    assert!(matches!(later, Ok(true)), "{later:?}");
}

/// Writes about the same clients, from two servers at once, each batch changing her row
/// in a different order: a client's writes take her queue everywhere, and each queue runs
/// one batch at a time across the servers, so none waits for another batch that waits for
/// it. A deadlock would roll one back: an error here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_changing_the_same_clients_never_deadlock() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    let mut ids = Vec::new();
    for name in [
        "Ekster", "Gaai", "Kauw", "Roek", "Raaf", "Spreeuw", "Merel", "Lijster",
    ] {
        ids.push(cm.create_client(name).await);
    }
    let url = app.state.settings.effective_database_url();
    let servers = [app.state.db.clone(), Db::connect(&url, 4).unwrap()];
    let mut writes = Vec::new();
    for round in 0..60 {
        for (n, db) in servers.iter().enumerate() {
            // One server goes through the clients forwards, the other backwards.
            let order: Vec<i64> = match n {
                0 => ids.clone(),
                _ => ids.iter().rev().copied().collect(),
            };
            for client in order {
                let db = db.clone();
                writes.push(tokio::spawn(async move {
                    db.write_for(client, move |conn| {
                        Ok::<_, ApiError>(
                            diesel::update(clients::table.find(client))
                                .set(clients::followup_threshold_days.eq(Some(10 + round % 5)))
                                .execute(conn)?,
                        )
                    })
                    .await
                }));
            }
        }
    }
    for write in writes {
        let changed: Result<usize, ApiError> = write.await.unwrap();
        assert_eq!(changed.unwrap(), 1, "a write was rolled back");
    }
}

/// A database server that restarts ends every connection: the pools find theirs dead when
/// they hand them out and open new ones, so requests go on, answered 503 "try again" at
/// worst, never 500.
#[tokio::test]
async fn connections_lost_with_the_database_server_are_replaced() {
    let app = spawn_app().await;
    let cm = app.login_as(Role::Casemanager).await;
    cm.get("/api/v1/clients").await.assert(StatusCode::OK);
    if app.state.settings.database_url.starts_with("postgres") {
        // What a restart of the database server does to every connection but this one.
        let ended = app.db_write(|conn| {
            diesel::sql_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .execute(conn)
        });
        assert!(ended > 0);
    }
    let mut statuses = Vec::new();
    for _ in 0..2 * app.state.settings.db_pool_size + 4 {
        statuses.push(cm.get("/api/v1/clients").await.status);
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
        "{statuses:?}"
    );
    assert!(
        refused <= app.state.settings.db_pool_size as usize,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().rev().take(4).all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
}
