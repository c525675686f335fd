//! The demo's signals: a new face at the zone, a dangerous customer passed on to the
//! police and closed, and signs of exploitation about one of the demo's women with two
//! indicators ticked. Invented, like everything in the demo.

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::DbConnection;
use crate::db::queries::signals::{self, NewHandoff, NewSignal};
use crate::domain::code::Code;
use crate::domain::signal::{HandoffMethod, Recipient, SignalKind, SignalStatus};
use crate::error::ApiError;

/// Who did what in the demo team.
pub struct Team {
    pub id: i64,
    pub coordinator: i64,
    pub peer: i64,
    pub casemanager: i64,
}

/// Records the demo's signals; returns how many.
pub fn record(
    conn: &mut DbConnection,
    team: &Team,
    zone_location: i64,
    client: i64,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let signal = |kind: SignalKind, days_ago: i64, by: i64| NewSignal {
        team_id: team.id,
        kind: kind.as_str().to_owned(),
        status: SignalStatus::New.as_str().to_owned(),
        occurred_at: now - TimeDelta::days(days_ago) - TimeDelta::hours(2),
        location_id: Some(zone_location),
        client_id: None,
        description: None,
        body: String::new(),
        recorded_by: by,
        recorded_at: now - TimeDelta::days(days_ago),
        updated_at: now - TimeDelta::days(days_ago),
        warning: false,
    };
    signals::insert(
        conn,
        &NewSignal {
            description: Some("Jonge vrouw, groene jas, spreekt weinig Nederlands".to_owned()),
            body: "Voor het eerst gezien, werd door een man afgezet".to_owned(),
            ..signal(SignalKind::NewFace, 2, team.peer)
        },
    )?;
    let customer = signals::insert(
        conn,
        &NewSignal {
            body: "Klant in een grijze bestelbus (demo) was agressief".to_owned(),
            ..signal(SignalKind::DangerousCustomer, 9, team.peer)
        },
    )?;
    signals::insert_handoff(
        conn,
        &NewHandoff {
            signal_id: customer.id,
            recipient: Recipient::Police.as_str().to_owned(),
            recipient_detail: Some("Wijkagent (demo)".to_owned()),
            method: HandoffMethod::Phone.as_str().to_owned(),
            handed_at: now - TimeDelta::days(8),
            recorded_by: team.coordinator,
            recorded_at: now - TimeDelta::days(8),
        },
    )?;
    let closed_at = now - TimeDelta::days(7);
    signals::set_status(
        conn,
        customer.id,
        SignalStatus::Closed.as_str(),
        Some(closed_at),
        closed_at,
    )?;
    let exploited = signals::insert(
        conn,
        &NewSignal {
            client_id: Some(client),
            body: "Zegt dat ze haar verdiensten moet afgeven (demo)".to_owned(),
            ..signal(SignalKind::Trafficking, 4, team.casemanager)
        },
    )?;
    let checklist = signals::indicators(conn, team.id, false)?;
    let ticked: Vec<i64> = checklist.iter().take(3).skip(1).map(|i| i.id).collect();
    signals::mark_indicators(conn, exploited.id, &ticked)?;
    Ok(3)
}
