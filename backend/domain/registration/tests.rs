//! The registration rules, case by case.

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
