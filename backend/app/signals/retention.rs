//! Retention of signals: their text, the description of an unknown woman, the ticked
//! indicators and the names in their hand-offs are erased a configured number of months
//! (`signal_retention_months`, 12) after closing; kind, time and location stay countable.

use crate::app::audit;
use crate::db::queries::signals as queries;
use crate::domain::signal;
use crate::error::ApiError;
use crate::state::AppState;

/// Erases the text of the signals closed before the retention period; returns how many.
/// Runs with the retention sweep, as InBeeld itself, and writes one entry when it erased.
pub async fn erase_expired_text(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let months = state.settings.signal_retention_months;
    // Months are counted on Amsterdam's calendar and clock: closed at 21:00 in March,
    // erased at 21:00 in April, whatever the change to summer time between.
    let local_now = state.zone.to_local(now).naive_local();
    let closed_before = state
        .zone
        .from_wall_time_or_after(signal::text_kept_after(local_now, months));
    state
        .db
        .write(move |conn| {
            let erased = queries::erase_text_closed_before(conn, closed_before, now)?;
            if erased > 0 {
                let event = audit::Event::account("signal.retention", audit::Action::Update);
                let detail = serde_json::json!({"signals": erased, "closed_before": closed_before});
                audit::record_change(conn, audit::Actor::SYSTEM, now, &event, &detail)?;
            }
            Ok(erased)
        })
        .await
}
