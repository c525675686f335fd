//! Importing the team's client list from CSV (coordinator): preview, import, template.
//! The file travels as text in a JSON body, under a limit of its own (`BODY_LIMIT`), so
//! that a list of a few thousand rows fits while other bodies keep `max_body_kb`.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::app::client_import::{self, ImportOutcome, RowAction};
use crate::domain::client_import::RowError;
use crate::domain::code::Code;
use crate::error::ApiError;
use crate::http::body::Json;
use crate::http::{ErrorBody, download, json_config};
use crate::state::AppState;

/// The largest import body: 2,000 full rows (`client_import::MAX_ROWS`) of about 250 bytes each,
/// with room for JSON's escapes.
const BODY_LIMIT: usize = 1024 * 1024;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope::scope("/clients/import")
            .app_data(json_config(BODY_LIMIT))
            .service(preview_import)
            .service(import_clients)
            .service(import_template),
    );
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The CSV file as text: `;` or `,` (from the header line), with or without a
    /// byte-order mark. The first line names the columns (see the template).
    csv: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportError {
    /// The Dutch header of the column, as in the template (e.g. `intakedatum`).
    column: &'static str,
    error: RowError,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRowView {
    /// The line in the file (the header is line 1).
    line: u64,
    /// The code cell as written.
    code: String,
    /// `create`, `change`, `unchanged` or `error`.
    action: String,
    /// For `create` the fields the row fills, for `change` those it changes:
    /// alias, region, intake_on, followup_threshold_days, registration.
    changes: Vec<&'static str>,
    errors: Vec<ImportError>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportCounts {
    create: usize,
    change: usize,
    unchanged: usize,
    error: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ImportView {
    rows: Vec<ImportRowView>,
    counts: ImportCounts,
    /// Headers of columns that were not read.
    ignored_columns: Vec<String>,
}

impl ImportView {
    fn from_outcome(outcome: ImportOutcome) -> ImportView {
        let count = |action| outcome.rows.iter().filter(|r| r.action == action).count();
        let counts = ImportCounts {
            create: count(RowAction::Create),
            change: count(RowAction::Change),
            unchanged: count(RowAction::Unchanged),
            error: count(RowAction::Error),
        };
        let rows = outcome
            .rows
            .into_iter()
            .map(|row| ImportRowView {
                line: row.line,
                code: row.code,
                action: row.action.as_str().to_owned(),
                changes: row.fields.iter().map(|f| f.as_str()).collect(),
                errors: row
                    .errors
                    .iter()
                    .map(|e| ImportError {
                        column: e.column.header(),
                        error: e.error,
                    })
                    .collect(),
            })
            .collect();
        ImportView {
            rows,
            counts,
            ignored_columns: outcome.ignored_columns,
        }
    }
}

/// What importing the file would do, row by row; writes nothing (coordinator).
#[utoipa::path(
    tag = "clients",
    request_body = ImportRequest,
    responses((status = 200, body = ImportView), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("/preview")]
async fn preview_import(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<ImportRequest>,
) -> Result<web::Json<ImportView>, ApiError> {
    let outcome = client_import::preview(&state, &who, body.into_inner().csv).await?;
    Ok(web::Json(ImportView::from_outcome(outcome)))
}

/// Import the file's readable rows in one transaction, skipping the unreadable ones, and
/// say what was done (coordinator). Rows are matched on the code within her team.
#[utoipa::path(
    tag = "clients",
    request_body = ImportRequest,
    responses((status = 200, body = ImportView), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[post("")]
async fn import_clients(
    state: web::Data<AppState>,
    who: Identity,
    body: Json<ImportRequest>,
) -> Result<web::Json<ImportView>, ApiError> {
    let outcome = client_import::apply(&state, &who, body.into_inner().csv).await?;
    Ok(web::Json(ImportView::from_outcome(outcome)))
}

/// The template to fill in: the Dutch headers, `;`-separated, with a byte-order mark so
/// that Excel with Dutch settings opens it as it should (coordinator).
#[utoipa::path(
    tag = "clients",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody))
)]
#[get("/template.csv")]
async fn import_template(who: Identity) -> Result<HttpResponse, ApiError> {
    let csv = client_import::template(&who)?;
    Ok(download::csv("inbeeld-clienten.csv").body(csv))
}
