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
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn event(kind: EventKind, on: &str) -> Event {
        Event {
            kind,
            on: day(on),
            number: None,
            expires_on: None,
        }
    }

    fn grant(on: &str, number: &str, expires: &str) -> Event {
        Event {
            number: Some(number.into()),
            expires_on: Some(day(expires)),
            ..event(EventKind::Granted, on)
        }
    }

    fn renewal(on: &str, expires: &str) -> Event {
        Event {
            expires_on: Some(day(expires)),
            ..event(EventKind::Renewed, on)
        }
    }

    const TODAY: &str = "2026-11-23";

    fn code(result: Result<Event, Invalid>) -> &'static str {
        result.map(|_| "ok").unwrap_or_else(|e| e.code)
    }

    #[test]
    fn her_registration_follows_from_her_events() {
        assert_eq!(Current::after(&[]), Current::NONE);
        let history = [
            event(EventKind::Applied, "2025-01-05"),
            grant("2025-02-01", "R-1", "2026-02-01"),
            renewal("2026-01-20", "2027-01-20"),
        ];
        let current = Current::after(&history);
        assert_eq!(current.status, RegistrationStatus::Registered);
        assert_eq!(current.number.as_deref(), Some("R-1"));
        assert_eq!(current.date, Some(day("2025-02-01")));
        assert_eq!(current.expires_on, Some(day("2027-01-20")));

        let mut expired = history.to_vec();
        expired.push(event(EventKind::Expired, "2026-06-01"));
        let current = Current::after(&expired);
        assert_eq!(current.status, RegistrationStatus::Expired);
        assert_eq!(current.stored_status(), RegistrationStatus::Registered);
        assert_eq!(current.expires_on, Some(day("2026-05-31")));

        let mut ended = history.to_vec();
        ended.push(event(EventKind::Ended, "2026-06-01"));
        let current = Current::after(&ended);
        assert_eq!(current.status, RegistrationStatus::Ended);
        assert_eq!(current.expires_on, None);
        assert_eq!(current.number.as_deref(), Some("R-1"));

        let refused = Current::after(&[event(EventKind::Refused, "2026-03-01")]);
        assert_eq!(refused.status, RegistrationStatus::Refused);
        assert_eq!(refused.date, Some(day("2026-03-01")));
    }

    #[test]
    fn a_grant_past_its_last_day_shows_as_expired() {
        let registered = RegistrationStatus::Registered;
        let last = Some(day("2026-11-22"));
        assert_eq!(
            status_on(registered, last, day("2026-11-22")),
            RegistrationStatus::Registered
        );
        assert_eq!(
            status_on(registered, last, day("2026-11-23")),
            RegistrationStatus::Expired
        );
        assert_eq!(
            status_on(RegistrationStatus::Applied, last, day("2027-01-01")),
            RegistrationStatus::Applied
        );
    }

    #[test]
    fn each_rule_has_its_code() {
        let today = day(TODAY);
        let granted = [grant("2026-01-01", "R-1", "2027-01-01")];
        assert_eq!(
            code(check(grant("2026-11-23", "R-2", "2027-11-23"), today, &[])),
            "ok"
        );
        assert_eq!(
            code(check(
                Event {
                    number: None,
                    ..grant("2026-11-01", "R", "2027-11-01")
                },
                today,
                &[]
            )),
            "validation_failed"
        );
        assert_eq!(
            code(check(
                event(EventKind::Renewed, "2026-11-01"),
                today,
                &granted
            )),
            "validation_failed"
        );
        assert_eq!(
            code(check(
                Event {
                    expires_on: Some(day("2027-01-01")),
                    ..event(EventKind::Applied, "2026-11-01")
                },
                today,
                &[]
            )),
            "validation_failed"
        );
        assert_eq!(
            code(check(grant("2026-11-24", "R", "2027-11-24"), today, &[])),
            "date_in_future"
        );
        assert_eq!(
            code(check(grant("2026-11-01", "R", "2026-11-01"), today, &[])),
            "expiry_before_grant"
        );
        assert_eq!(
            code(check(renewal("2025-12-31", "2027-06-01"), today, &granted)),
            "before_latest_event"
        );
        assert_eq!(
            code(check(renewal("2026-01-01", "2027-06-01"), today, &granted)),
            "ok",
            "the same day as the latest event"
        );
        for kind in [EventKind::Expired, EventKind::Ended] {
            assert_eq!(
                code(check(event(kind, "2026-11-01"), today, &[])),
                "not_registered"
            );
        }
        assert_eq!(
            code(check(renewal("2026-11-01", "2027-11-01"), today, &[])),
            "not_registered"
        );
        let applied = [event(EventKind::Applied, "2026-10-01")];
        assert_eq!(
            code(check(
                event(EventKind::Ended, "2026-11-01"),
                today,
                &applied
            )),
            "ok",
            "an application can be ended when the zone closes"
        );
        let expired = [granted[0].clone(), event(EventKind::Expired, "2026-10-01")];
        assert_eq!(
            code(check(
                event(EventKind::Expired, "2026-11-01"),
                today,
                &expired
            )),
            "not_registered"
        );
        assert_eq!(
            code(check(renewal("2026-11-01", "2027-11-01"), today, &expired)),
            "ok"
        );
    }

    #[test]
    fn only_the_latest_event_within_a_day_by_its_recorder_or_a_coordinator() {
        let at = day(TODAY).and_hms_opt(10, 0, 0).unwrap();
        let recorded = Recorded {
            is_latest: true,
            recorded_by: Some(7),
            recorded_at: at,
        };
        assert_eq!(may_undo(&recorded, 7, false, at + UNDO_WINDOW), Ok(()));
        assert_eq!(
            may_undo(
                &recorded,
                7,
                false,
                at + UNDO_WINDOW + TimeDelta::seconds(1)
            ),
            Err(UndoRefusal::TooLate)
        );
        assert_eq!(
            may_undo(&recorded, 8, false, at),
            Err(UndoRefusal::NotYours)
        );
        assert_eq!(may_undo(&recorded, 8, true, at), Ok(()));
        let older = Recorded {
            is_latest: false,
            ..recorded
        };
        assert_eq!(may_undo(&older, 7, true, at), Err(UndoRefusal::NotLatest));
    }

    #[test]
    fn a_period_counts_its_events_and_the_grants_that_ran_out_in_it() {
        let (first, last) = (day("2026-01-01"), day("2026-12-31"));
        let today = day(TODAY);
        let history = [
            event(EventKind::Applied, "2025-12-01"),
            grant("2026-01-10", "R-1", "2026-03-01"),
            renewal("2026-04-01", "2026-11-01"),
        ];
        // Applied before the period; granted; ran out on 1 March, renewed a month late;
        // ran out again on 1 November.
        assert_eq!(
            in_period(&history, first, last, today),
            [
                EventKind::Granted,
                EventKind::Expired,
                EventKind::Renewed,
                EventKind::Expired
            ]
        );
        // Renewed in time: no expiry; a last day still to come: none yet.
        let in_time = [
            grant("2026-01-10", "R-1", "2026-03-01"),
            renewal("2026-02-20", "2026-12-01"),
        ];
        assert_eq!(
            in_period(&in_time, first, last, today),
            [EventKind::Granted, EventKind::Renewed]
        );
        // A recorded expiry counts once, on its own day.
        let recorded = [
            grant("2026-01-10", "R-1", "2026-03-01"),
            event(EventKind::Expired, "2026-03-05"),
        ];
        assert_eq!(
            in_period(&recorded, first, last, today),
            [EventKind::Granted, EventKind::Expired]
        );
        assert!(in_period(&recorded, day("2027-01-01"), day("2027-12-31"), today).is_empty());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.as_str()), Some(*kind));
        }
        assert_eq!(EventKind::from_code("registered"), None);
    }
}
