//! The admin's office in real headless Chromium, driven by Playwright from
//! `tests/e2e/admin.mjs` (`chromium` says when it runs and when it is ignored): from the
//! admin's first sign-in to a new casemanager on Turven with a password of her own.

use inbeeld::app::accounts::{NewAccount, create_blocking};
use inbeeld::db::queries::users::{self, UserChanges};
use inbeeld::domain::role::Role;

use crate::chromium::run_script;
use crate::helpers::{PASSWORD, TestApp, spawn_app_on_system_clock};

/// An account with a name as the admin's list shows it; returns its id.
fn colleague(app: &TestApp, username: &str, name: &str, role: Role) -> i64 {
    let team = role.needs_team().then_some(app.team);
    let account = NewAccount {
        username,
        display_name: Some(name),
        role,
        team_id: team,
        organisation_id: None,
        password: PASSWORD,
    };
    create_blocking(&app.state.db, &account, app.clock.now()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(inbeeld_browser),
    ignore = "needs Chromium and `npm ci --prefix tests/e2e`; see README"
)]
async fn the_admin_creates_an_account_in_chromium_and_it_signs_in() {
    // As shipped: the second factor required. The phone's codes follow its own clock.
    let app = spawn_app_on_system_clock(|s| s.second_factor_required = true).await;
    colleague(&app, "beheer", "Beheerder", Role::Admin);
    colleague(&app, "anouk", "Anouk Jansen", Role::Coordinator);
    colleague(&app, "sanne", "Sanne Bakker", Role::Casemanager);
    colleague(&app, "mirjam", "Mirjam de Wit", Role::Peer);
    colleague(&app, "karin", "Karin Visser", Role::ProcessDirector);
    let gone = colleague(&app, "lotte", "Lotte Smit", Role::Casemanager);
    app.db_write(move |conn| {
        let off = UserChanges {
            active: Some(false),
            ..UserChanges::default()
        };
        users::update(conn, gone, &off)
    });
    run_script(
        "admin.mjs",
        &app.address,
        &[
            ("INBEELD_ADMIN", "beheer".to_owned()),
            ("INBEELD_PASSWORD", PASSWORD.to_owned()),
        ],
    )
    .await;

    let fleur = app
        .db_read(|conn| users::find_by_username(conn, "fleur"))
        .expect("the account the admin made");
    assert_eq!(
        (
            fleur.role.as_str(),
            fleur.team_id,
            fleur.display_name.as_str()
        ),
        ("casemanager", Some(app.team), "Fleur de Vries")
    );
    assert!(!fleur.must_change_password && fleur.password_expires_at.is_none());
    let id = fleur.id;
    assert_eq!(
        app.count(&format!(
            "totp_secrets WHERE user_id = {id} AND confirmed_at IS NOT NULL"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE event = 'session.password_change' AND user_id = {id} \
             AND outcome = 'success'"
        )),
        1
    );
    assert_eq!(app.count("partners WHERE name = 'Veilig Thuis'"), 1);
}
