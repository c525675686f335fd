//! How an `ApiError` is answered: its status, `{"error": code, "message": text}`, and for
//! a need-to-know refusal the event the audit middleware writes (`http::audit`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::audit::Event;
use crate::error::ApiError;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`.
    pub error: String,
    /// Human-readable explanation.
    pub message: String,
}

/// On a response refused by a need-to-know check: the event to write as denied.
#[derive(Clone, Copy)]
pub struct Denial(pub Event);

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self.answer() {
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = self.answer()
        {
            response.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        let mut response = response.json(ErrorBody {
            error: self.code().to_owned(),
            message: self.message(),
        });
        if let ApiError::Denied { event, .. } = self {
            response.extensions_mut().insert(Denial(*event));
        }
        response
    }
}
