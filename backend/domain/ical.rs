//! A personal iCalendar feed (RFC 5545) of one worker's shifts, for the phone's calendar.
//! Times are local with `TZID` and a `VTIMEZONE` built from the zone's own transitions;
//! only shift times and places go in, never anything about a client.

use std::fmt::Write;

use chrono::{NaiveDateTime, Offset, TimeDelta, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use crate::timezone::Zone;

/// One shift as a calendar event.
pub struct Event {
    pub uid: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub summary: String,
    pub location: String,
    pub cancelled: bool,
}

/// The whole feed. `stamp` is when it was made (DTSTAMP, UTC).
pub fn feed(zone: Zone, name: &str, events: &[Event], stamp: NaiveDateTime) -> String {
    let mut out = Lines::default();
    out.push("BEGIN:VCALENDAR");
    out.push("VERSION:2.0");
    out.push("PRODID:-//InBeeld//Rooster//NL");
    out.push("CALSCALE:GREGORIAN");
    out.push("METHOD:PUBLISH");
    out.push(&format!("X-WR-CALNAME:{}", escape(name)));
    out.push(&format!("X-WR-TIMEZONE:{}", zone.0.name()));
    let earliest = events.iter().map(|e| e.starts_at).min().unwrap_or(stamp);
    let latest = events.iter().map(|e| e.ends_at).max().unwrap_or(stamp);
    timezone(&mut out, zone.0, earliest, latest);
    for event in events {
        out.push("BEGIN:VEVENT");
        out.push(&format!("UID:{}", escape(&event.uid)));
        out.push(&format!("DTSTAMP:{}", utc_stamp(stamp)));
        out.push(&date_time("DTSTART", zone.0, event.starts_at));
        out.push(&date_time("DTEND", zone.0, event.ends_at));
        out.push(&format!("SUMMARY:{}", escape(&event.summary)));
        out.push(&format!("LOCATION:{}", escape(&event.location)));
        let status = if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        out.push(&format!("STATUS:{status}"));
        out.push("END:VEVENT");
    }
    out.push("END:VCALENDAR");
    out.0
}

/// Content lines: CRLF-terminated, folded at 75 octets without splitting a character.
#[derive(Default)]
struct Lines(String);

impl Lines {
    fn push(&mut self, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn utc_stamp(utc: NaiveDateTime) -> String {
    utc.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Local time with TZID, except a wall time that occurs twice (the October change):
/// RFC 5545 reads that as the first occurrence, so it is written in UTC to stay exact.
fn date_time(property: &str, tz: Tz, utc: NaiveDateTime) -> String {
    let wall = tz.from_utc_datetime(&utc).naive_local();
    match tz.from_local_datetime(&wall) {
        chrono::LocalResult::Single(_) => {
            format!(
                "{property};TZID={}:{}",
                tz.name(),
                wall.format("%Y%m%dT%H%M%S")
            )
        }
        _ => format!("{property}:{}", utc_stamp(utc)),
    }
}

/// A VTIMEZONE with the observance in force at `from` and one observance per transition
/// up to `to`, found from the zone database rather than written out by hand.
fn timezone(out: &mut Lines, tz: Tz, from: NaiveDateTime, to: NaiveDateTime) {
    out.push("BEGIN:VTIMEZONE");
    out.push(&format!("TZID:{}", tz.name()));
    let start = from - TimeDelta::days(1);
    let initial = offset_seconds(tz, start);
    observance(out, tz, start, initial, initial);
    let mut before = initial;
    let mut at = start;
    while at < to + TimeDelta::days(1) {
        let next = at + TimeDelta::hours(1);
        let after = offset_seconds(tz, next);
        if after != before {
            let change = (0..=60)
                .map(|minute| at + TimeDelta::minutes(minute))
                .find(|t| offset_seconds(tz, *t) == after)
                .unwrap_or(next);
            observance(out, tz, change, before, after);
            before = after;
        }
        at = next;
    }
    out.push("END:VTIMEZONE");
}

fn offset_seconds(tz: Tz, utc: NaiveDateTime) -> i32 {
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

fn observance(out: &mut Lines, tz: Tz, utc: NaiveDateTime, from: i32, to: i32) {
    let offset = tz.offset_from_utc_datetime(&utc);
    let kind = if offset.dst_offset().is_zero() {
        "STANDARD"
    } else {
        "DAYLIGHT"
    };
    out.push(&format!("BEGIN:{kind}"));
    // DTSTART of an observance is the wall time of the change in the offset before it.
    let local = utc + TimeDelta::seconds(i64::from(from));
    out.push(&format!("DTSTART:{}", local.format("%Y%m%dT%H%M%S")));
    out.push(&format!("TZOFFSETFROM:{}", format_offset(from)));
    out.push(&format!("TZOFFSETTO:{}", format_offset(to)));
    if let Some(abbreviation) = offset.abbreviation() {
        out.push(&format!("TZNAME:{abbreviation}"));
    }
    out.push(&format!("END:{kind}"));
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    let mut out = String::new();
    let _ = write!(out, "{sign}{:02}{:02}", minutes / 60, minutes % 60);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::utc;

    fn shift(starts: &str, ends: &str) -> Event {
        Event {
            uid: "shift-1@inbeeld".into(),
            starts_at: utc(starts),
            ends_at: utc(ends),
            summary: "Dienst De Loods".into(),
            location: "De Loods, Nijmegen; achter".into(),
            cancelled: false,
        }
    }

    #[test]
    fn lines_are_folded_at_75_octets_on_character_boundaries() {
        let mut lines = Lines::default();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        lines.push(&long);
        for line in lines.0.split("\r\n") {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = lines.0.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }

    #[test]
    fn the_repeated_october_hour_is_written_in_utc() {
        let tz = chrono_tz::Europe::Amsterdam;
        // 02:00 local on 25 October occurs twice; the end of a 20:00-02:00 night is the second.
        assert_eq!(
            date_time("DTEND", tz, utc("2026-10-25T01:00")),
            "DTEND:20261025T010000Z"
        );
        assert_eq!(
            date_time("DTSTART", tz, utc("2026-10-24T18:00")),
            "DTSTART;TZID=Europe/Amsterdam:20261024T200000"
        );
    }

    #[test]
    fn the_timezone_lists_both_changes_of_the_year() {
        let zone = Zone(chrono_tz::Europe::Amsterdam);
        let text = feed(
            zone,
            "Rooster",
            &[
                shift("2026-03-01T19:00", "2026-03-01T23:00"),
                shift("2026-11-01T19:00", "2026-11-01T23:00"),
            ],
            utc("2026-11-23T10:00"),
        );
        assert!(text.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"
        ));
        assert!(text.contains(
            "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET"
        ));
        assert!(text.contains("LOCATION:De Loods\\, Nijmegen\\; achter\r\n"));
    }
}
