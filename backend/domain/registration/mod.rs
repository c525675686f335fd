//! A client's registration for the zone as a history of events (applied, granted, refused,
//! expired, renewed, ended): which event may follow which, her current registration that
//! follows from them, and who may take the latest one back.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::Invalid;
use super::client::RegistrationStatus;
use super::code::Code;

/// What happened to her registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Applied,
    Granted,
    Refused,
    Expired,
    Renewed,
    Ended,
}

impl Code for EventKind {
    const ALL: &'static [Self] = &[
        Self::Applied,
        Self::Granted,
        Self::Refused,
        Self::Expired,
        Self::Renewed,
        Self::Ended,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Expired => "expired",
            Self::Renewed => "renewed",
            Self::Ended => "ended",
        }
    }
}

impl EventKind {
    /// A grant or a renewal runs until an expiry date.
    pub fn is_dated(self) -> bool {
        matches!(self, Self::Granted | Self::Renewed)
    }
}

/// One event as recorded: its kind, its day, and for a grant or renewal the number and
/// the last day it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    pub on: NaiveDate,
    pub number: Option<String>,
    pub expires_on: Option<NaiveDate>,
}

/// Her registration as it stands after her events, as the client's fields keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    /// `Expired` only after an `expired` event; a grant whose date has passed is
    /// `Registered` here and shown as expired (`status_on`).
    pub status: RegistrationStatus,
    pub number: Option<String>,
    /// The day of the application, refusal or first grant.
    pub date: Option<NaiveDate>,
    /// The last day the registration is valid.
    pub expires_on: Option<NaiveDate>,
}

impl Current {
    pub const NONE: Current = Current {
        status: RegistrationStatus::None,
        number: None,
        date: None,
        expires_on: None,
    };

    /// Her registration after `events`, oldest first.
    pub fn after(events: &[Event]) -> Current {
        events
            .iter()
            .fold(Current::NONE, |now, event| now.then(event))
    }

    fn then(self, event: &Event) -> Current {
        let on = Some(event.on);
        match event.kind {
            EventKind::Applied | EventKind::Refused => Current {
                status: if event.kind == EventKind::Applied {
                    RegistrationStatus::Applied
                } else {
                    RegistrationStatus::Refused
                },
                number: None,
                date: on,
                expires_on: None,
            },
            EventKind::Granted => Current {
                status: RegistrationStatus::Registered,
                number: event.number.clone(),
                date: on,
                expires_on: event.expires_on,
            },
            EventKind::Renewed => Current {
                status: RegistrationStatus::Registered,
                number: event.number.clone().or(self.number),
                date: self.date.or(on),
                expires_on: event.expires_on,
            },
            // Valid until the day before it expired, at the latest.
            EventKind::Expired => Current {
                status: RegistrationStatus::Expired,
                expires_on: event
                    .on
                    .pred_opt()
                    .map(|last| self.expires_on.map_or(last, |e| e.min(last))),
                ..self
            },
            EventKind::Ended => Current {
                status: RegistrationStatus::Ended,
                expires_on: None,
                ..self
            },
        }
    }

    /// The status the client's row stores: an expired grant stays `registered` with its
    /// past expiry date, which every reader shows as expired.
    pub fn stored_status(&self) -> RegistrationStatus {
        match self.status {
            RegistrationStatus::Expired => RegistrationStatus::Registered,
            status => status,
        }
    }

    /// A grant she has, running or run out.
    fn has_grant(&self) -> bool {
        matches!(
            self.status,
            RegistrationStatus::Registered | RegistrationStatus::Expired
        )
    }
}

/// The status to show today: a registration whose last valid day has passed is expired.
pub fn status_on(
    stored: RegistrationStatus,
    expires_on: Option<NaiveDate>,
    today: NaiveDate,
) -> RegistrationStatus {
    match (stored, expires_on) {
        (RegistrationStatus::Registered, Some(last)) if last < today => RegistrationStatus::Expired,
        (status, _) => status,
    }
}

fn invalid(code: &'static str, message: impl Into<String>) -> Invalid {
    Invalid::new(code, message)
}

/// Checks a new event against the day and her history so far (oldest first).
pub fn check(event: Event, today: NaiveDate, history: &[Event]) -> Result<Event, Invalid> {
    let kind = event.kind;
    if !kind.is_dated() && (event.number.is_some() || event.expires_on.is_some()) {
        return Err(invalid(
            "validation_failed",
            "Only a grant or a renewal has a number and an expiry date.",
        ));
    }
    if kind == EventKind::Granted && event.number.is_none() {
        return Err(invalid("validation_failed", "A grant needs its number."));
    }
    let expires_on = match (kind.is_dated(), event.expires_on) {
        (true, None) => {
            return Err(invalid(
                "validation_failed",
                "A grant or a renewal needs its expiry date (expires_on).",
            ));
        }
        (_, expires_on) => expires_on,
    };
    if event.on > today {
        return Err(invalid(
            "date_in_future",
            "The day lies in the future: record what has happened.",
        ));
    }
    if expires_on.is_some_and(|last| last <= event.on) {
        return Err(invalid(
            "expiry_before_grant",
            "expires_on must lie after the day of the grant or renewal.",
        ));
    }
    if let Some(latest) = history.last().filter(|latest| event.on < latest.on) {
        return Err(invalid(
            "before_latest_event",
            format!(
                "The day lies before her latest registration event, on {}.",
                latest.on
            ),
        ));
    }
    let current = Current::after(history);
    let follows = match kind {
        EventKind::Renewed => current.has_grant(),
        EventKind::Expired => current.status == RegistrationStatus::Registered,
        EventKind::Ended => current.has_grant() || current.status == RegistrationStatus::Applied,
        EventKind::Applied | EventKind::Granted | EventKind::Refused => true,
    };
    if !follows {
        return Err(invalid(
            "not_registered",
            "She has no current registration to renew, let expire or end.",
        ));
    }
    Ok(event)
}

/// What of one client's history (oldest first) counts in the period `first..=last`: each
/// event dated in it, and each grant or renewal whose last valid day lies in it and
/// passed before `today` without a renewal, an end or a recorded expiry by then (an
/// expiry counted at that day).
pub fn in_period(
    history: &[Event],
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> Vec<EventKind> {
    let within = |day: NaiveDate| first <= day && day <= last;
    let mut counted = Vec::new();
    for (at, event) in history.iter().enumerate() {
        if within(event.on) {
            counted.push(event.kind);
        }
        let Some(expires_on) = event.expires_on.filter(|_| event.kind.is_dated()) else {
            continue;
        };
        let superseded = history
            .get(at + 1)
            .is_some_and(|next| next.on <= expires_on || next.kind == EventKind::Expired);
        if !superseded && within(expires_on) && expires_on < today {
            counted.push(EventKind::Expired);
        }
    }
    counted
}

/// How long the latest event can be taken back after it was recorded.
pub const UNDO_WINDOW: TimeDelta = TimeDelta::hours(24);

/// Why an event cannot be taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoRefusal {
    NotLatest,
    TooLate,
    /// Only who recorded it, or a coordinator.
    NotYours,
}

/// One event's record, to decide whether it can be taken back.
pub struct Recorded {
    pub is_latest: bool,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// Whether `user` (a coordinator or not) may take back the event `recorded` at `now`.
pub fn may_undo(
    recorded: &Recorded,
    user: i64,
    coordinator: bool,
    now: NaiveDateTime,
) -> Result<(), UndoRefusal> {
    if !recorded.is_latest {
        return Err(UndoRefusal::NotLatest);
    }
    if !coordinator && recorded.recorded_by != Some(user) {
        return Err(UndoRefusal::NotYours);
    }
    if now - recorded.recorded_at > UNDO_WINDOW {
        return Err(UndoRefusal::TooLate);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
