//! Referrals and interventions: recorded and followed per client by the roles that edit
//! her file (her casemanagers, the coordinator), read by those who may read it. Client
//! data: every read and change is audit-logged (`referral.read`, `referral.create`,
//! `referral.change`). The dates are checked together (`domain::referral::Course`), in the
//! transaction, against the day it is in Amsterdam.

use chrono::NaiveDate;

use crate::app::Identity;
use crate::app::access;
use crate::app::audit::Action;
use crate::db::queries::referral_waits;
use crate::db::queries::referrals::{self, CourseChange, NewReferral, ReferralRow};
use crate::domain::code::Code;
use crate::domain::ids::{ClientId, PartnerId};
use crate::domain::referral::{Course, ReferralKind, ReferralOutcome};
use crate::error::ApiError;
use crate::state::AppState;

/// A referral to record.
pub struct Referral {
    pub kind: ReferralKind,
    pub partner: Option<PartnerId>,
    pub course: Course,
    pub outcome_note: Option<String>,
}

/// A change to a referral: each field given replaces the stored one (`Some(None)` clears
/// it); the whole course is checked again.
#[derive(Default)]
pub struct Change {
    pub partner: Option<Option<PartnerId>>,
    pub started_on: Option<Option<NaiveDate>>,
    pub ended_on: Option<Option<NaiveDate>>,
    pub outcome: Option<Option<ReferralOutcome>>,
    pub outcome_note: Option<Option<String>>,
}

/// A referral as stored, with the course it describes.
pub struct Recorded {
    pub row: ReferralRow,
    pub course: Course,
}

fn recorded(row: ReferralRow) -> Result<Recorded, ApiError> {
    let outcome = match &row.outcome {
        Some(code) => Some(ReferralOutcome::from_stored(code).map_err(ApiError::internal)?),
        None => None,
    };
    let course = Course {
        requested_on: row.requested_on,
        started_on: row.started_on,
        ended_on: row.ended_on,
        outcome,
    };
    Ok(Recorded { row, course })
}

/// Records a referral for `client` (coordinator, casemanager).
pub async fn record(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    referral: Referral,
) -> Result<Recorded, ApiError> {
    let zone = state.zone;
    let event = ("referral.create", Action::Create);
    access::change_of_client(state, who, client, event, move |conn, found, who, now| {
        let course = referral.course.check(zone.local_date(now))?;
        let id = referrals::insert(
            conn,
            &NewReferral {
                team_id: found.team_id,
                client_id: client.get(),
                kind: referral.kind.as_str(),
                partner_id: referral.partner.map(PartnerId::get),
                requested_on: course.requested_on,
                started_on: course.started_on,
                ended_on: course.ended_on,
                outcome: course.outcome.map(ReferralOutcome::as_str),
                outcome_note: referral.outcome_note.as_deref(),
                created_by: who.user_id,
                created_at: now,
                updated_at: now,
            },
        )?;
        recorded(referrals::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)?)
    })
    .await
}

/// Changes referral `id` of `client`: it started, it ended with an outcome, another
/// partner took it on (coordinator, casemanager). Started or ended, it no longer waits: its
/// waiting follow-up, if any, closes.
pub async fn change(
    state: &AppState,
    who: &Identity,
    client: ClientId,
    id: i64,
    change: Change,
) -> Result<Recorded, ApiError> {
    let zone = state.zone;
    let event = ("referral.change", Action::Update);
    access::change_of_client(state, who, client, event, move |conn, _, who, now| {
        let stored = referrals::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)?;
        let before = recorded(stored)?;
        let course = Course {
            started_on: change.started_on.unwrap_or(before.course.started_on),
            ended_on: change.ended_on.unwrap_or(before.course.ended_on),
            outcome: change.outcome.unwrap_or(before.course.outcome),
            ..before.course
        }
        .check(zone.local_date(now))?;
        let partner = change
            .partner
            .map(|p| p.map(PartnerId::get))
            .unwrap_or(before.row.partner_id);
        let note = change.outcome_note.unwrap_or(before.row.outcome_note);
        referrals::change(
            conn,
            id,
            &CourseChange {
                partner_id: partner,
                started_on: course.started_on,
                ended_on: course.ended_on,
                outcome: course.outcome.map(ReferralOutcome::as_str),
                outcome_note: note.as_deref(),
                updated_at: now,
            },
        )?;
        if !course.is_waiting() {
            referral_waits::close_settled(conn, id, who.user_id, now)?;
        }
        recorded(referrals::find(conn, client.get(), id)?.ok_or(ApiError::NotFound)?)
    })
    .await
}

/// `client`'s referrals, the latest request first.
pub async fn of_client(
    state: &AppState,
    who: &Identity,
    client: ClientId,
) -> Result<Vec<Recorded>, ApiError> {
    access::read_of_client(state, who, client, "referral.read", move |conn| {
        referrals::for_client(conn, client.get())?
            .into_iter()
            .map(recorded)
            .collect()
    })
    .await
}
