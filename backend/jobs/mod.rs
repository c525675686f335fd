//! Scheduling. tokio-cron-scheduler ticks once a minute in UTC; each tick checks the
//! configured cron expressions against the *local* wall time. This keeps schedules right
//! across daylight saving: its own time-zone jobs freeze the offset at creation and drift
//! an hour after a change (a known bug of tokio-cron-scheduler 0.15). Correctness never depends on the
//! tick: the sweep is idempotent and catches up on whatever is due.

pub mod retention;

use tokio_cron_scheduler::{Job, JobScheduler};

use crate::app::followups::sweep;
use crate::app::signals;
use crate::state::AppState;

/// Starts the minute tick. Returns the scheduler so it lives as long as the server.
pub async fn start(state: AppState) -> anyhow::Result<Option<JobScheduler>> {
    if !state.settings.schedules().is_enabled() {
        tracing::warn!("sweep and digest schedules are disabled");
        return Ok(None);
    }
    let scheduler = JobScheduler::new().await?;
    let job = Job::new_async("0 * * * * *", move |_, _| {
        let state = state.clone();
        Box::pin(async move { tick(&state).await })
    })?;
    scheduler.add(job).await?;
    scheduler.start().await?;
    Ok(Some(scheduler))
}

async fn tick(state: &AppState) {
    let now = state.clock.now().and_utc();
    if !state.settings.schedules().fires_at(now, state.zone) {
        return;
    }
    match sweep::run(state).await {
        Ok(report) => tracing::info!(?report, "follow-up sweep done"),
        Err(err) => tracing::warn!(error = %err, "follow-up sweep failed; the next one catches up"),
    }
    match retention::run(state).await {
        Ok(0) => {}
        Ok(erased) => tracing::info!(erased, "closed clients erased after the retention period"),
        Err(err) => tracing::warn!(error = %err, "retention sweep failed; the next one catches up"),
    }
    match retention::prune_audit_trail(state).await {
        // The head hash in the log pins the trail down: a rewritten chain would not end in
        // it. The pruning point there shows where the trail starts; it moves only by pruning.
        Ok((pruned, chain)) => tracing::info!(
            pruned,
            head = chain.head.as_str(),
            pruned_through = chain.pruned_through,
            "audit trail checked for retention"
        ),
        Err(err) => tracing::warn!(error = %err, "pruning the audit trail failed"),
    }
    match signals::retention::erase_expired_text(state).await {
        Ok(0) => {}
        Ok(erased) => tracing::info!(erased, "text of closed signals erased after retention"),
        Err(err) => {
            tracing::warn!(error = %err, "signal retention failed; the next one catches up")
        }
    }
    match retention::clear_old_handover_notes(state).await {
        Ok(0) => {}
        Ok(cleared) => tracing::info!(cleared, "old shift handover notes cleared"),
        Err(err) => tracing::warn!(error = %err, "clearing old handover notes failed"),
    }
}
