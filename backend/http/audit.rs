//! Refusals in the audit trail: NEN 7513 asks for refused authorizations. A need-to-know
//! refusal (`ApiError::Denied`) is written with the event it refused, after the refused
//! work has rolled back; any other 403 a signed-in user gets (a role check, say) as
//! `request.refused`. The answer waits for the entry.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::errors::Denial;
use crate::app::Identity;
use crate::app::audit;
use crate::domain::audit::{Action, Event};
use crate::state::AppState;

pub async fn log_refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let denial = res.response().extensions().get::<Denial>().copied();
    let event = match denial {
        Some(Denial(event)) => event,
        None if res.status() == StatusCode::FORBIDDEN => {
            Event::account("request.refused", Action::Execute)
        }
        None => return Ok(res),
    };
    let who = res.request().extensions().get::<Identity>().cloned();
    let state = res.request().app_data::<web::Data<AppState>>().cloned();
    if let (Some(who), Some(state)) = (who, state)
        && let Err(err) = audit::record_denied(&state, who, event).await
    {
        tracing::warn!(error = %err, "a refusal could not be written to the audit trail");
    }
    Ok(res)
}
