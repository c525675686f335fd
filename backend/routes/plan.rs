//! Her goals and the actions under them: set a goal, change it (her words, its domains, or
//! reached or dropped), add an action, change it (what, who, by when), mark an action done
//! or dropped. Every write takes an `Idempotency-Key`, as the phone's outbox sends it.

use actix_web::{HttpResponse, HttpResponseBuilder, get, patch, post, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::plan::{
    self, Action, ActionChangeInput, Goal, GoalChangeInput, NewActionInput, NewGoalInput, Written,
};
use crate::domain::code::Code;
use crate::domain::ids::ClientId;
use crate::domain::plan::{ActionOwner, ActionStatus, GoalDomains, GoalStatus, LifeDomain};
use crate::domain::{day, text};
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::http::idempotency::Keyed;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_goals)
        .service(add_goal)
        .service(change_goal)
        .service(add_action)
        .service(change_action)
        .service(set_action_status);
}

/// A goal in her own words: a sentence or two.
const GOAL_MAX: usize = 300;
/// What an action is: one line.
const WHAT_MAX: usize = 200;
/// A partner's contact person: a name, perhaps a phone number.
const CONTACT_MAX: usize = 100;

#[derive(Serialize, ToSchema)]
pub struct ActionView {
    id: i64,
    goal_id: i64,
    what: String,
    /// The team member who does it, or null for a partner.
    owner_id: Option<i64>,
    owner_name: Option<String>,
    partner_id: Option<i64>,
    partner_name: Option<String>,
    /// The named contact person at the partner.
    partner_contact: Option<String>,
    due_on: NaiveDate,
    /// open, done or dropped.
    status: String,
    /// The day it was done or dropped.
    status_on: Option<NaiveDate>,
    /// Past its due date and still open.
    overdue: bool,
}

impl From<Action> for ActionView {
    fn from(action: Action) -> ActionView {
        let row = action.listed.row;
        ActionView {
            id: row.id,
            goal_id: row.goal_id,
            what: row.what,
            owner_id: row.owner_id,
            owner_name: action.listed.owner_name,
            partner_id: row.partner_id,
            partner_name: action.listed.partner_name,
            partner_contact: row.partner_contact,
            due_on: row.due_on,
            status: action.status.as_str().to_owned(),
            status_on: row.status_on,
            overdue: action.overdue,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GoalView {
    id: i64,
    /// In her own words.
    text: String,
    /// The life domains it is about, in the matrix's order.
    domains: Vec<LifeDomain>,
    /// open, reached or dropped.
    status: String,
    set_on: NaiveDate,
    /// The day it was reached or dropped.
    status_on: Option<NaiveDate>,
    /// Its actions by due date (a peer worker sees the open ones only).
    actions: Vec<ActionView>,
}

impl From<Goal> for GoalView {
    fn from(goal: Goal) -> GoalView {
        GoalView {
            id: goal.row.id,
            text: goal.row.body,
            domains: goal.domains.get().to_vec(),
            status: goal.status.as_str().to_owned(),
            set_on: goal.row.set_on,
            status_on: goal.row.status_on,
            actions: goal.actions.into_iter().map(Into::into).collect(),
        }
    }
}

/// `response` with what was written; a replay says so in `Idempotent-Replayed`.
fn answer<T, V: Serialize + From<T>>(
    mut response: HttpResponseBuilder,
    written: Written<T>,
) -> HttpResponse {
    let done = match written {
        Written::New(done) => done,
        Written::Replay(done) => {
            response.insert_header(("Idempotent-Replayed", "true"));
            done
        }
    };
    response.json(V::from(done))
}

fn goal_status(code: &str) -> Result<GoalStatus, ApiError> {
    GoalStatus::from_code(code).ok_or_else(|| {
        ApiError::invalid(
            "validation_failed",
            "status must be open, reached or dropped.",
        )
    })
}

fn action_status(code: &str) -> Result<ActionStatus, ApiError> {
    ActionStatus::from_code(code).ok_or_else(|| {
        ApiError::invalid("validation_failed", "status must be open, done or dropped.")
    })
}

/// Her goals, oldest first, with their actions (everyone who may read her file; a peer
/// worker sees the open actions only).
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path)),
    responses((status = 200, body = [GoalView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/clients/{id}/goals")]
async fn list_goals(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
) -> Result<web::Json<Vec<GoalView>>, ApiError> {
    let goals = plan::goals(&state, &who, ClientId(path.into_inner())).await?;
    Ok(web::Json(goals.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGoalBody {
    /// Her goal in her own words (at most 300 characters).
    text: String,
    /// One or more of the 13 life domains.
    domains: Vec<String>,
    /// The day she set it: not in the future; today when left out.
    set_on: Option<NaiveDate>,
}

/// Set a goal for her (coordinator, casemanager of her team). With an `Idempotency-Key`
/// (the phone's outbox), a retry with the same key and body answers the goal it set.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewGoalBody,
    responses((status = 201, body = GoalView, description = "Set (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/goals")]
async fn add_goal(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<i64>,
    Keyed { body, retry }: Keyed<NewGoalBody>,
) -> Result<HttpResponse, ApiError> {
    let goal = NewGoalInput {
        text: text::bounded("text", &body.text, GOAL_MAX)?,
        domains: GoalDomains::parse(&body.domains)?,
        set_on: day::maybe("set_on", body.set_on)?,
    };
    let id = ClientId(path.into_inner());
    let written = plan::add_goal(&state, &who, id, goal, retry).await?;
    Ok(answer::<_, GoalView>(HttpResponse::Created(), written))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalChangeBody {
    text: Option<String>,
    domains: Option<Vec<String>>,
    /// open, reached or dropped.
    status: Option<String>,
}

/// Change a goal: her words, its domains, or its status (coordinator, casemanager of her
/// team). A field left out keeps its value. With an `Idempotency-Key`, a retry with the
/// same key and body changes nothing more and answers the goal as it is.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("goal_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = GoalChangeBody,
    responses((status = 200, body = GoalView, description = "Changed (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/goals/{goal_id}")]
async fn change_goal(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    Keyed { body, retry }: Keyed<GoalChangeBody>,
) -> Result<HttpResponse, ApiError> {
    let change = GoalChangeInput {
        text: body
            .text
            .map(|t| text::bounded("text", &t, GOAL_MAX))
            .transpose()?,
        domains: body.domains.map(|d| GoalDomains::parse(&d)).transpose()?,
        status: body.status.as_deref().map(goal_status).transpose()?,
    };
    let (id, goal_id) = path.into_inner();
    let written = plan::change_goal(&state, &who, ClientId(id), goal_id, change, retry).await?;
    Ok(answer::<_, GoalView>(HttpResponse::Ok(), written))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActionBody {
    /// What is to be done (at most 200 characters).
    what: String,
    /// A casemanager or the coordinator of her team; or else:
    owner_id: Option<i64>,
    /// A partner organisation (from /partners) ...
    partner_id: Option<i64>,
    /// ... and its contact person, by name (at most 100 characters).
    partner_contact: Option<String>,
    due_on: NaiveDate,
}

/// Add an action under one of her goals (coordinator, casemanager of her team). With an
/// `Idempotency-Key`, a retry with the same key and body answers the action it added.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("goal_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NewActionBody,
    responses((status = 201, body = ActionView, description = "Added (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/goals/{goal_id}/actions")]
async fn add_action(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    Keyed { body, retry }: Keyed<NewActionBody>,
) -> Result<HttpResponse, ApiError> {
    let contact = text::optional(
        "partner_contact",
        body.partner_contact.as_deref(),
        CONTACT_MAX,
    )?;
    let action = NewActionInput {
        what: text::bounded("what", &body.what, WHAT_MAX)?,
        owner: ActionOwner::parse(body.owner_id, body.partner_id, contact)?,
        due_on: day::day("due_on", body.due_on)?,
    };
    let (id, goal_id) = path.into_inner();
    let written = plan::add_action(&state, &who, ClientId(id), goal_id, action, retry).await?;
    Ok(answer::<_, ActionView>(HttpResponse::Created(), written))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionChangeBody {
    /// What is to be done (at most 200 characters).
    what: Option<String>,
    /// A new owner: a casemanager or the coordinator of her team; or else:
    owner_id: Option<i64>,
    /// a partner organisation (from /partners) ...
    partner_id: Option<i64>,
    /// ... and its contact person, by name (at most 100 characters).
    partner_contact: Option<String>,
    /// A new due date: a follow-up the old one raised is closed.
    due_on: Option<NaiveDate>,
}

/// Change one of her actions: what, who does it, or by when (coordinator, casemanager of
/// her team). A field left out keeps its value; a new owner is given whole (`owner_id`,
/// or `partner_id` with `partner_contact`). With an `Idempotency-Key`, a retry with the
/// same key and body changes nothing more and answers the action as it is.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("action_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = ActionChangeBody,
    responses((status = 200, body = ActionView, description = "Changed (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[patch("/clients/{id}/actions/{action_id}")]
async fn change_action(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    Keyed { body, retry }: Keyed<ActionChangeBody>,
) -> Result<HttpResponse, ApiError> {
    let contact = text::optional(
        "partner_contact",
        body.partner_contact.as_deref(),
        CONTACT_MAX,
    )?;
    let new_owner = body.owner_id.is_some() || body.partner_id.is_some() || contact.is_some();
    let change = ActionChangeInput {
        what: body
            .what
            .map(|w| text::bounded("what", &w, WHAT_MAX))
            .transpose()?,
        owner: new_owner
            .then(|| ActionOwner::parse(body.owner_id, body.partner_id, contact))
            .transpose()?,
        due_on: day::maybe("due_on", body.due_on)?,
    };
    let (id, action_id) = path.into_inner();
    let written = plan::change_action(&state, &who, ClientId(id), action_id, change, retry).await?;
    Ok(answer::<_, ActionView>(HttpResponse::Ok(), written))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionStatusBody {
    /// open, done or dropped.
    status: String,
}

/// Mark one of her actions done, dropped or open again (coordinator, casemanager of her
/// team). With an `Idempotency-Key`, a retry with the same key and body changes nothing
/// more and answers the action as it is.
#[utoipa::path(
    tag = "clients",
    params(("id" = i64, Path), ("action_id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = ActionStatusBody,
    responses((status = 200, body = ActionView, description = "Changed (or replayed)"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/clients/{id}/actions/{action_id}/status")]
async fn set_action_status(
    state: web::Data<AppState>,
    who: Identity,
    path: web::Path<(i64, i64)>,
    Keyed { body, retry }: Keyed<ActionStatusBody>,
) -> Result<HttpResponse, ApiError> {
    let status = action_status(&body.status)?;
    let (id, action_id) = path.into_inner();
    let written =
        plan::set_action_status(&state, &who, ClientId(id), action_id, status, retry).await?;
    Ok(answer::<_, ActionView>(HttpResponse::Ok(), written))
}
