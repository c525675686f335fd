//! Her assessments of the life domains (ZRM) and her progress since intake: record one,
//! read them, correct one within a day.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::assessments::{self, AssessmentEntry, Recorded};
use crate::domain::day;
use crate::domain::ids::ClientId;
use crate::domain::plan::{
    Assessment, DomainProgress, DomainScore, LifeDomain, Point, Progress, Trend,
};
use crate::domain::text;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::body::Json;
use crate::http::idempotency::Keyed;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(add_assessment)
        .service(list_assessments)
        .service(progress)
        .service(one_assessment)
        .service(correct_assessment);
}

/// The longest note on one domain: a line or two, not her story.
const NOTE_MAX: usize = 500;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessment {
    /// The day of the assessment: not in the future.
    on: NaiveDate,
    /// The domains assessed, each at most once; a domain left out was not assessed.
    scores: Vec<NewDomainScore>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDomainScore {
    /// One of the 13 life domains (another word: 422 `unknown_domain`).
    domain: String,
    /// 1 acute problem … 5 fully self-reliant; null: not assessed (else 422
    /// `score_out_of_range`).
    score: Option<i64>,
    /// A short note (at most 500 characters).
    note: Option<String>,
}

impl NewAssessment {
    fn parse(self) -> Result<Assessment, ApiError> {
        let scores = self
            .scores
            .into_iter()
            .map(|s| {
                let note = text::optional("note", s.note.as_deref(), NOTE_MAX)?;
                Ok(DomainScore::parse(&s.domain, s.score, note)?)
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok(Assessment {
            on: day::day("on", self.on)?,
            scores,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct DomainScoreView {
    domain: LifeDomain,
    /// Null: named but not scored.
    score: Option<u8>,
    note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentView {
    id: i64,
    on: NaiveDate,
    /// The domains assessed, in the matrix's order.
    scores: Vec<DomainScoreView>,
    recorded_by_display_name: Option<String>,
    recorded_at: DateTime<FixedOffset>,
    /// When its author last corrected it.
    corrected_at: Option<DateTime<FixedOffset>>,
    /// The caller may correct it now: she recorded it, less than 24 hours ago.
    can_correct: bool,
}

impl From<AssessmentEntry> for AssessmentView {
    fn from(entry: AssessmentEntry) -> AssessmentView {
        AssessmentView {
            id: entry.id,
            on: entry.assessment.on,
            scores: entry
                .assessment
                .scores
                .into_iter()
                .map(|s| DomainScoreView {
                    domain: s.domain,
                    score: s.score.map(|score| score.get()),
                    note: s.note,
                })
                .collect(),
            recorded_by_display_name: entry.by_display_name,
            recorded_at: entry.recorded_at,
            corrected_at: entry.corrected_at,
            can_correct: entry.can_correct,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DomainProgressView {
    domain: LifeDomain,
    /// Her first score on this domain.
    intake: Option<u8>,
    latest: Option<u8>,
    /// Latest minus intake; null until the domain was scored twice.
    change: Option<i8>,
    trend: Option<Trend>,
    /// Every score over time, oldest first.
    points: Vec<Point>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressView {
    /// All 13 domains, in the matrix's order.
    domains: Vec<DomainProgressView>,
    /// How many domains went up, down or stayed equal since intake.
    improved: usize,
    declined: usize,
    equal: usize,
}

impl From<DomainProgress> for DomainProgressView {
    fn from(d: DomainProgress) -> DomainProgressView {
        DomainProgressView {
            domain: d.domain,
            intake: d.intake,
            latest: d.latest,
            change: d.change,
            trend: d.trend,
            points: d.points,
        }
    }
}

impl From<Progress> for ProgressView {
    fn from(p: Progress) -> ProgressView {
        ProgressView {
            domains: p.domains.into_iter().map(Into::into).collect(),
            improved: p.improved,
            declined: p.declined,
            equal: p.equal,
        }
    }
}

/// Record an assessment of her life domains (coordinator, casemanager of her team). With
/// an `Idempotency-Key` (the phone's outbox), a retry with the same key and body answers
/// the assessment it recorded and records nothing; the same key with another body is a
/// 422.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewAssessment,
    responses((status = 201, body = AssessmentView, description = "Recorded (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/assessments")]
async fn add_assessment(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    Keyed {
        body: parsed,
        retry,
    }: Keyed<NewAssessment>,
) -> Result<HttpResponse, ApiError> {
    let assessment = parsed.parse()?;
    let id = ClientId(path.into_inner());
    let mut response = HttpResponse::Created();
    let entry = match assessments::add(&state, &who, id, assessment, retry).await? {
        Recorded::New(entry) => entry,
        Recorded::Replay(entry) => {
            response.insert_header(("Idempotent-Replayed", "true"));
            entry
        }
    };
    Ok(response.json(AssessmentView::from(entry)))
}

/// Her assessments, newest first (coordinator, casemanagers of her team).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [AssessmentView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/assessments")]
async fn list_assessments(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<AssessmentView>>, ApiError> {
    let entries = assessments::list(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(entries.into_iter().map(Into::into).collect()))
}

/// One of her assessments.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("assessment_id" = i64, Path)),
    responses((status = 200, body = AssessmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/assessments/{assessment_id}")]
async fn one_assessment(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
) -> Result<web::Json<AssessmentView>, ApiError> {
    let (id, assessment_id) = path.into_inner();
    let entry = assessments::one(&state, &who, ClientId(id), assessment_id).await?;
    Ok(web::Json(entry.into()))
}

/// Correct an assessment (its author, within 24 hours: 409 `too_late_to_correct` after
/// that); its day and all its domains are replaced.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("assessment_id" = i64, Path)),
    request_body = NewAssessment,
    responses((status = 200, body = AssessmentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/assessments/{assessment_id}")]
async fn correct_assessment(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    body: Json<NewAssessment>,
) -> Result<web::Json<AssessmentView>, ApiError> {
    let (id, assessment_id) = path.into_inner();
    let assessment = body.into_inner().parse()?;
    let entry = assessments::correct(&state, &who, ClientId(id), assessment_id, assessment).await?;
    Ok(web::Json(entry.into()))
}

/// Her progress per life domain: intake, latest, the change and every score over time.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = ProgressView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/progress")]
async fn progress(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<ProgressView>, ApiError> {
    let progress = assessments::progress(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(progress.into()))
}
