//! Her assessments of the life domains (ZRM): recording one, reading them, correcting one
//! within a day of recording it, and her progress since intake. Scores and their notes
//! are for the casemanagers of her team and the coordinator, and for the team's peer
//! workers when the coordinator allows it (`teams.peers_see_scores`): anyone else is
//! refused (403), a client of another team is missing (404).

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use super::Identity;
use super::access::{self, Need};
use super::audit::{self, Action, Event, Outcome};
use super::followups::review;
use super::retry::Retry;
use crate::db::DbConnection;
use crate::db::queries::assessments::{self as queries, NewAssessment, NewScore};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::plan::{
    self, Assessment, CorrectionRefusal, DomainScore, LifeDomain, Progress, Score, Scored,
};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::timezone::Zone;

/// One assessment as the team sees it.
pub struct AssessmentEntry {
    pub id: i64,
    pub assessment: Assessment,
    pub by_display_name: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
    pub corrected_at: Option<DateTime<FixedOffset>>,
    /// The caller may correct it now: she recorded it, less than 24 hours ago.
    pub can_correct: bool,
}

/// Scores are recorded by her casemanagers and the coordinator; the role check comes
/// first, so a peer learns nothing of whether there are any.
fn scores_role(who: &Identity) -> Result<(), ApiError> {
    who.require(Role::edits_clients)
}

/// Scores are read by her casemanagers and the coordinator, and by the team's peer
/// workers when the coordinator lets them.
async fn may_read_scores(state: &AppState, who: &Identity) -> Result<(), ApiError> {
    if who.role == Role::Peer && super::teams::peers_see_scores(state, who).await? {
        return Ok(());
    }
    scores_role(who)
}

fn new_scores(assessment_id: i64, assessment: &Assessment) -> Vec<NewScore> {
    assessment
        .scores
        .iter()
        .map(|s| NewScore {
            assessment_id,
            domain: s.domain.as_str().to_owned(),
            score: s.score.map(|score| i32::from(score.get())),
            note: s.note.clone(),
        })
        .collect()
}

fn domain_score(row: &queries::ScoreRow) -> Result<DomainScore, ApiError> {
    Ok(DomainScore {
        domain: LifeDomain::from_stored(&row.domain).map_err(ApiError::internal)?,
        score: row
            .score
            .map(|s| Score::parse(i64::from(s)))
            .transpose()
            .map_err(ApiError::internal)?,
        note: row.note.clone(),
    })
}

/// Her assessments, newest first, with what `who` may correct at `now`.
fn entries_of(
    conn: &mut DbConnection,
    client_id: i64,
    who: &Identity,
    now: NaiveDateTime,
    zone: Zone,
) -> Result<Vec<AssessmentEntry>, ApiError> {
    let scores = queries::scores_of_client(conn, client_id)?;
    let mut entries = queries::of_client(conn, client_id)?
        .into_iter()
        .map(|(row, by_display_name)| {
            let scores = scores
                .iter()
                .filter(|s| s.assessment_id == row.id)
                .map(domain_score)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(AssessmentEntry {
                id: row.id,
                assessment: Assessment {
                    on: row.assessed_on,
                    scores,
                },
                by_display_name,
                recorded_at: zone.to_local(row.recorded_at),
                corrected_at: row.corrected_at.map(|at| zone.to_local(at)),
                can_correct: plan::may_correct(row.recorded_by, row.recorded_at, who.user_id, now)
                    .is_ok(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    entries.reverse();
    Ok(entries)
}

fn entry(
    conn: &mut DbConnection,
    client_id: i64,
    assessment_id: i64,
    who: &Identity,
    now: NaiveDateTime,
    zone: Zone,
) -> Result<AssessmentEntry, ApiError> {
    entries_of(conn, client_id, who, now, zone)?
        .into_iter()
        .find(|entry| entry.id == assessment_id)
        .ok_or(ApiError::NotFound)
}

/// What recording an assessment gave: a new one, or with a key used before, the one that
/// key recorded (a phone's retry whose answer was lost).
pub enum Recorded {
    New(AssessmentEntry),
    Replay(AssessmentEntry),
}

/// Records an assessment of her (coordinator, casemanager of her team); returns it. With
/// `retry`, a key this user used before answers what it recorded then (the same request:
/// a replay, written to the trail as a read) or 422 `idempotency_key_reused`.
pub async fn add(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    assessment: Assessment,
    retry: Option<Retry>,
) -> Result<Recorded, ApiError> {
    scores_role(who)?;
    let (zone, who, now) = (state.zone, who.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let created = Event::on("client.assessment.create", Action::Create, id.get());
            access::client(conn, &who, now, id.get(), Need::Edit, &created)?;
            if let Some(retry) = &retry
                && let Some(found) = queries::by_idempotency_key(conn, who.user_id, &retry.key)?
            {
                let (assessment_id, client_id, hash) = found;
                // The key used for another client was another request.
                retry.same_as(hash.as_deref().filter(|_| client_id == id.get()))?;
                let replayed = entry(conn, id.get(), assessment_id, &who, now, zone)?;
                let read = Event::on("client.assessment.read", Action::Read, id.get());
                audit::record(conn, &who, now, &read, Outcome::Success)?;
                return Ok(Recorded::Replay(replayed));
            }
            let assessment = plan::check(assessment, zone.local_date(now))?;
            let assessment_id = queries::insert(
                conn,
                &NewAssessment {
                    client_id: id.get(),
                    assessed_on: assessment.on,
                    recorded_by: Some(who.user_id),
                    recorded_at: now,
                    idempotency_key: retry.as_ref().map(|r| r.key.clone()),
                    request_hash: retry.map(|r| r.request_hash),
                },
            )?;
            queries::insert_scores(conn, &new_scores(assessment_id, &assessment))?;
            // Her plan's review day follows from her latest assessment.
            review::refresh(conn, id.get(), now, zone)?;
            let recorded = entry(conn, id.get(), assessment_id, &who, now, zone)?;
            audit::record(conn, &who, now, &created, Outcome::Success)?;
            Ok(Recorded::New(recorded))
        })
        .await
}

/// Her assessments, newest first; the read is audit-logged.
pub async fn list(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<Vec<AssessmentEntry>, ApiError> {
    may_read_scores(state, who).await?;
    let (zone, now, reader) = (state.zone, state.clock.now(), who.clone());
    access::read_of_client(state, who, id, "client.assessments.read", move |conn| {
        entries_of(conn, id.get(), &reader, now, zone)
    })
    .await
}

/// One of her assessments; the read is audit-logged.
pub async fn one(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    assessment_id: i64,
) -> Result<AssessmentEntry, ApiError> {
    may_read_scores(state, who).await?;
    let (zone, now, reader) = (state.zone, state.clock.now(), who.clone());
    access::read_of_client(state, who, id, "client.assessment.read", move |conn| {
        entry(conn, id.get(), assessment_id, &reader, now, zone)
    })
    .await
}

/// Corrects an assessment: its author, within 24 hours of recording it. Its day and all
/// its domains are replaced by `assessment`.
pub async fn correct(
    state: &AppState,
    who: &Identity,
    id: ClientId,
    assessment_id: i64,
    assessment: Assessment,
) -> Result<AssessmentEntry, ApiError> {
    scores_role(who)?;
    let zone = state.zone;
    let change = ("client.assessment.update", Action::Update);
    access::change_of_client(state, who, id, change, move |conn, _, who, now| {
        let (row, _) = queries::of_client(conn, id.get())?
            .into_iter()
            .find(|(row, _)| row.id == assessment_id)
            .ok_or(ApiError::NotFound)?;
        plan::may_correct(row.recorded_by, row.recorded_at, who.user_id, now).map_err(refusal)?;
        let assessment = plan::check(assessment, zone.local_date(now))?;
        let scores = new_scores(assessment_id, &assessment);
        queries::correct(conn, assessment_id, assessment.on, &scores, now)?;
        review::refresh(conn, id.get(), now, zone)?;
        entry(conn, id.get(), assessment_id, who, now, zone)
    })
    .await
}

fn refusal(refusal: CorrectionRefusal) -> ApiError {
    match refusal {
        CorrectionRefusal::TooLate => ApiError::conflict(
            "too_late_to_correct",
            "An assessment can be corrected within 24 hours of recording it; record a new one.",
        ),
        CorrectionRefusal::NotYours => {
            ApiError::Forbidden("Only who recorded this assessment can correct it.")
        }
    }
}

/// Her progress per life domain since intake; the read is audit-logged.
pub async fn progress(
    state: &AppState,
    who: &Identity,
    id: ClientId,
) -> Result<Progress, ApiError> {
    may_read_scores(state, who).await?;
    access::read_of_client(state, who, id, "client.progress.read", move |conn| {
        let dates: Vec<_> = queries::of_client(conn, id.get())?
            .into_iter()
            .map(|(row, _)| (row.id, row.assessed_on))
            .collect();
        let mut scored = Vec::new();
        for row in queries::scores_of_client(conn, id.get())? {
            let found = domain_score(&row)?;
            let on = dates.iter().find(|(a, _)| *a == row.assessment_id);
            if let (Some(score), Some(&(assessment_id, on))) = (found.score, on) {
                scored.push(Scored {
                    on,
                    assessment_id,
                    domain: found.domain,
                    score,
                });
            }
        }
        Ok(Progress::from_scores(&scored))
    })
    .await
}
