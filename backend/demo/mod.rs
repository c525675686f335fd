//! `inbeeld demo`: clearly fictional demo data (bird names as aliases, a team called
//! "Stapteam Demo"), so the app can be shown and tried without any real person in it.

use std::fmt;

use anyhow::bail;
use chrono::{NaiveDateTime, TimeDelta};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::app::accounts::{self, NewAccount, Prepared};
use crate::app::audit::Actor;
use crate::app::followups::{absence, review};
use crate::app::registration_events;
use crate::app::rota;
use crate::app::teams as app_teams;
use crate::auth::password::random_password;
use crate::db::queries::assessments;
use crate::db::queries::client_status::{self, NewStatusChange};
use crate::db::queries::clients;
use crate::db::queries::contacts::{self, NewContact};
use crate::db::queries::rota::{self as templates, TemplateFields};
use crate::db::queries::shifts;
use crate::db::queries::{locations, teams};
use crate::db::{Db, DbConnection};
use crate::domain::caseload::{AbsenceRules, ExpectedDue};
use crate::domain::client::CaseloadStatus;
use crate::domain::code::Code;
use crate::domain::contact::{ContactKind, Service, services_to_stored};
use crate::domain::role::Role;
use crate::error::ApiError;

mod files;
mod signals;

use files::demo_file;

pub const TEAM_NAME: &str = "Stapteam Demo";

/// Invented aliases: Dutch bird names, not names of people.
pub const ALIASES: [&str; 20] = [
    "Merel",
    "Lijster",
    "Zwaluw",
    "Reiger",
    "Kievit",
    "Specht",
    "Vink",
    "Roodborst",
    "Mees",
    "Wielewaal",
    "IJsvogel",
    "Grutto",
    "Tureluur",
    "Kwikstaart",
    "Putter",
    "Sijs",
    "Goudhaan",
    "Boomklever",
    "Nachtegaal",
    "Zanglijster",
];

const WEEKS: i64 = 6;

pub struct Summary {
    pub password: String,
    pub usernames: Vec<&'static str>,
    pub clients: usize,
    pub shifts: usize,
    pub contacts: usize,
    pub signals: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Loaded demo data: team `{TEAM_NAME}`, {} clients, {} shifts, {} contacts, {} signals.",
            self.clients, self.shifts, self.contacts, self.signals
        )?;
        writeln!(
            f,
            "Accounts (all with password {}): {}",
            self.password,
            self.usernames.join(", ")
        )
    }
}

/// The demo's accounts, one for every role: username, display name, role. The first four
/// are the team (coordinator first, then the casemanagers); the rest work outside it.
const PEOPLE: [(&str, &str, Role); 7] = [
    ("demo.coordinator", "Coördinator (demo)", Role::Coordinator),
    ("demo.anna", "Anna (demo)", Role::Casemanager),
    ("demo.bas", "Bas (demo)", Role::Casemanager),
    ("demo.ervaring", "Ervaringsdeskundige (demo)", Role::Peer),
    (
        "demo.procesregie",
        "Procesregisseur (demo)",
        Role::ProcessDirector,
    ),
    ("demo.gemeente", "Gemeente (demo)", Role::Municipality),
    ("demo.beheer", "Beheerder (demo)", Role::Admin),
];

/// How many of `PEOPLE` belong to the team.
const TEAM_SIZE: usize = 4;

/// Loads the demo data in one write; refuses when it is there already.
pub fn load(db: &Db, now: NaiveDateTime, rules: AbsenceRules) -> anyhow::Result<Summary> {
    let password = random_password();
    // The passwords are hashed before the write, which they would hold up.
    let people = PEOPLE
        .iter()
        .map(|&(username, display_name, role)| {
            accounts::prepare(&NewAccount {
                username,
                display_name: Some(display_name),
                role,
                team_id: None,
                organisation_id: None,
                password: &password,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let loaded = db.write_blocking(move |conn| -> Result<_, ApiError> {
        if teams::find_by_name(conn, TEAM_NAME)?.is_some() {
            return Ok(None);
        }
        fill(conn, now, rules, people, password).map(Some)
    });
    match loaded {
        Ok(Some(summary)) => Ok(summary),
        Ok(None) => bail!("the demo data is loaded already (team `{TEAM_NAME}` exists)"),
        Err(e) => bail!("loading demo data failed: {e}"),
    }
}

fn fill(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    rules: AbsenceRules,
    people: Vec<Prepared>,
    password: String,
) -> Result<Summary, ApiError> {
    let zone = rules.zone;
    let mut rng = StdRng::seed_from_u64(2022);
    let team = app_teams::insert(conn, TEAM_NAME, Actor::COMMAND_LINE, now)?;
    let mut staff = Vec::new();
    for (index, account) in people.into_iter().enumerate() {
        let account = if index < TEAM_SIZE {
            account.in_team(team)
        } else {
            account
        };
        let id = accounts::insert(
            conn,
            &account.with_generated_password(),
            Actor::COMMAND_LINE,
            now,
        )?;
        if index < TEAM_SIZE {
            staff.push(id);
        }
    }
    let today = zone.local_date(now);
    let mut client_ids = Vec::new();
    for (index, alias) in ALIASES.iter().enumerate() {
        let file = demo_file(index, today, &mut rng);
        let id = clients::create(conn, &file.client(team, alias, now))?;
        for (change, on, reason) in file.history() {
            client_status::record(
                conn,
                &NewStatusChange {
                    client_id: id,
                    change: change.as_str().to_owned(),
                    changed_on: on,
                    reason: reason.map(|r| r.as_str().to_owned()),
                    note: None,
                    recorded_by: Some(staff[0]),
                    recorded_at: now,
                },
            )?;
        }
        for event in file.registration_events() {
            registration_events::record(conn, id, event, today, Some(staff[0]), now)?;
        }
        let casemanager = staff[1 + index % 2];
        clients::assign(conn, id, casemanager, file.intake, None, now)?;
        for (on, scores) in file.assessments(today) {
            let new = assessments::NewAssessment {
                client_id: id,
                assessed_on: on,
                recorded_by: Some(casemanager),
                recorded_at: now,
                idempotency_key: None,
                request_hash: None,
            };
            let assessment_id = assessments::insert(conn, &new)?;
            let scores: Vec<_> = scores
                .into_iter()
                .map(|(domain, score)| assessments::NewScore {
                    assessment_id,
                    domain: domain.as_str().to_owned(),
                    score: Some(i32::from(score)),
                    note: None,
                })
                .collect();
            assessments::insert_scores(conn, &scores)?;
        }
        review::refresh(conn, id, now, zone)?;
        if file.status != CaseloadStatus::Closed {
            client_ids.push(id);
        }
    }
    let loods = locations::find_by_code(conn, "loods")?.id;
    let cirkel = locations::find_by_code(conn, "cirkel")?.id;
    let first_day = today - TimeDelta::weeks(WEEKS);
    let last_day = today + TimeDelta::days(6);
    for (location, weekdays, starts, ends) in [
        (cirkel, "12345", "20:00", "00:30"),
        (loods, "1234567", "20:00", "02:00"),
    ] {
        let fields = TemplateFields {
            location_id: location,
            weekdays,
            starts_local: starts,
            ends_local: ends,
            min_staff: 2,
            active: true,
        };
        templates::create_template(conn, team, &fields, staff[0], now)?;
    }
    let made = rota::generate(conn, zone, team, (first_day, last_day), staff[0], now)?;
    let planned = shifts::overlapping(
        conn,
        team,
        zone.start_of_day(first_day),
        zone.start_of_day(last_day + TimeDelta::days(1)),
    )?;
    let mut contact_count = 0;
    // Two women of the own caseload drift out of view: not seen for three weeks, so the
    // demo shows what the alert is for.
    let drifting = [client_ids[12], client_ids[13]];
    let out_of_view_since = now - TimeDelta::weeks(3);
    for shift in planned {
        let (location, starts_at, ends_at) = (shift.location_id, shift.starts_at, shift.ends_at);
        // The week ahead is not fully staffed yet: some shifts show on the gap list.
        let how_many_staff = if ends_at > now {
            rng.gen_range(0..=2)
        } else {
            2
        };
        let on_shift: Vec<i64> = staff[1..]
            .choose_multiple(&mut rng, how_many_staff)
            .copied()
            .collect();
        for user in &on_shift {
            shifts::add_staff(conn, shift.id, *user)?;
        }
        if ends_at > now {
            continue;
        }
        for user in &on_shift {
            shifts::set_check_in(conn, shift.id, *user, starts_at)?;
            shifts::set_check_out(conn, shift.id, *user, ends_at)?;
        }
        let kind = if location == loods {
            ContactKind::SeenAtZone
        } else {
            ContactKind::Visit
        };
        let how_many = rng.gen_range(2..8);
        let seen: Vec<i64> = client_ids
            .iter()
            .filter(|client| starts_at < out_of_view_since || !drifting.contains(client))
            .copied()
            .collect::<Vec<_>>()
            .choose_multiple(&mut rng, how_many)
            .copied()
            .collect();
        let minutes = (ends_at - starts_at).num_minutes();
        for client in seen.iter().map(|c| Some(*c)).chain(
            (rng.gen_bool(0.5)).then_some(None), // now and then anonymous visitors
        ) {
            let seen_at = starts_at + TimeDelta::minutes(rng.gen_range(0..minutes));
            let services: Vec<Service> = Service::ALL
                .iter()
                .copied()
                .filter(|_| rng.gen_bool(0.3))
                .collect();
            contacts::insert(
                conn,
                &NewContact {
                    team_id: team,
                    client_id: client,
                    visitor_count: if client.is_some() {
                        1
                    } else {
                        rng.gen_range(1..4)
                    },
                    location_id: Some(location),
                    shift_id: Some(shift.id),
                    seen_at,
                    kind: kind.as_str().to_owned(),
                    services: services_to_stored(&services),
                    note: None,
                    recorded_by: on_shift[0],
                    created_at: seen_at,
                    updated_at: seen_at,
                },
            )?;
            contact_count += 1;
        }
    }
    let demo_team = signals::Team {
        id: team,
        coordinator: staff[0],
        casemanager: staff[1],
        peer: staff[3],
    };
    let signal_count = signals::record(conn, &demo_team, loods, client_ids[0], now)?;
    // "Last seen" and when her absence falls due follow from her contacts, as a tap keeps them.
    for client in client_ids {
        clients::refresh_last_contact(conn, client, ExpectedDue::Unknown)?;
        absence::refresh(conn, client, &rules)?;
    }
    Ok(Summary {
        password,
        usernames: PEOPLE.iter().map(|(u, _, _)| *u).collect(),
        clients: ALIASES.len(),
        shifts: made.created,
        contacts: contact_count,
        signals: signal_count,
    })
}
