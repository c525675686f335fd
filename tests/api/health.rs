//! `/healthz` says the process is up; `/readyz` that the database answers with this
//! binary's schema.

use diesel::RunQueryDsl;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn ready_only_while_the_database_has_this_binarys_schema() {
    let app = spawn_app().await;
    let anyone = app.anonymous();
    let up = anyone.get("/healthz").await;
    assert_eq!((up.status, up.body.as_str()), (StatusCode::OK, Some("ok")));
    let ready = anyone.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, Some("ready"))
    );

    // As if an older binary's database: the newest migration is not applied.
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query(
        "DELETE FROM __diesel_schema_migrations WHERE version = \
         (SELECT MAX(version) FROM __diesel_schema_migrations)",
    )
    .execute(&mut conn)
    .unwrap();
    let pending = anyone.get("/readyz").await;
    assert_eq!(
        (pending.status, pending.body.as_str()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Some("database migrations pending")
        )
    );
}
