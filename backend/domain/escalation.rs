//! Escalation (opschaling): a follow-up nobody resolves goes up, to the team's coordinator
//! (level 1) and then to the process director of the Zorg- en Veiligheidshuis (level 2).
//! The director sees a client only through a follow-up escalated to her.

use chrono::{NaiveDateTime, TimeDelta};

use super::{Invalid, text};

/// After an escalated follow-up is closed, the director still sees it (and its client)
/// this long, to read its outcome; then her access lapses.
pub const VISIBLE_AFTER_CLOSING_DAYS: i64 = 30;

pub const REASON_MAX: usize = 500;

/// Follow-ups closed before this moment no longer show the director their client.
pub fn visible_closed_after(now: NaiveDateTime) -> NaiveDateTime {
    now - TimeDelta::days(VISIBLE_AFTER_CLOSING_DAYS)
}

/// Why a follow-up is escalated by hand; required, it is what the director acts on.
pub fn reason(raw: &str) -> Result<String, Invalid> {
    text::bounded("reason", raw, REASON_MAX)
}
