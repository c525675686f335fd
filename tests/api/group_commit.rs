//! `Db::write`: on SQLite many writes share one transaction (group commit), yet each keeps
//! its own outcome. On PostgreSQL each has its own transaction; the outcomes are the same.

use inbeeld::db::queries::contacts::{self, NewContact};
use inbeeld::domain::role::Role;
use inbeeld::error::ApiError;

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
