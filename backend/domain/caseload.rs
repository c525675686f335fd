//! A client's place in the caseload: the changes of her status that her history keeps, the
//! exit date a closure may carry, the threshold her absence follow-ups wait for, and when
//! she counts as out of view.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use super::Invalid;
use super::client::CaseloadStatus;
use super::code::Code;
use crate::timezone::Zone;

/// One change of her caseload status, as her status history records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusChange {
    /// Her file was made: the team's own caseload.
    Intake,
    /// Handed to regular care, still monitored.
    ToRegularCare,
    /// Back from regular care to the team's own caseload.
    ToOwnCaseload,
    Closed,
    Reopened,
}

impl Code for StatusChange {
    const ALL: &'static [Self] = &[
        Self::Intake,
        Self::ToRegularCare,
        Self::ToOwnCaseload,
        Self::Closed,
        Self::Reopened,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::ToRegularCare => "to_regular_care",
            Self::ToOwnCaseload => "to_own_caseload",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
        }
    }
}

impl StatusChange {
    /// Her status after the change.
    pub fn status(self) -> CaseloadStatus {
        match self {
            Self::Intake | Self::ToOwnCaseload | Self::Reopened => CaseloadStatus::Active,
            Self::ToRegularCare => CaseloadStatus::RegularCare,
            Self::Closed => CaseloadStatus::Closed,
        }
    }

    /// The change that moves an open file from `from` to `to` (a file is closed and
    /// reopened through their own actions): `None` when nothing changes.
    pub fn between_open(from: CaseloadStatus, to: CaseloadStatus) -> Option<StatusChange> {
        match (from, to) {
            (CaseloadStatus::Active, CaseloadStatus::RegularCare) => Some(Self::ToRegularCare),
            (CaseloadStatus::RegularCare, CaseloadStatus::Active) => Some(Self::ToOwnCaseload),
            _ => None,
        }
    }
}

/// Her status on a day, from her history: the last change dated on or before it
/// (`changes` in the order they were recorded). `None` before her intake.
pub fn status_on(changes: &[(StatusChange, NaiveDate)], day: NaiveDate) -> Option<CaseloadStatus> {
    changes
        .iter()
        .enumerate()
        .filter(|(_, (_, on))| *on <= day)
        .max_by_key(|(order, (_, on))| (*on, *order))
        .map(|(_, (change, _))| change.status())
}

/// The exit date of a closure: not in the future, and not before her last status change
/// (her intake, or her latest move), so that her history stays in order.
pub fn exit_date(
    exit_on: NaiveDate,
    today: NaiveDate,
    last_change_on: Option<NaiveDate>,
) -> Result<NaiveDate, Invalid> {
    if exit_on > today {
        return Err(Invalid::new(
            "exit_date_in_future",
            "exit_on lies in the future: close her file on the day she left, or today.",
        ));
    }
    if let Some(last) = last_change_on.filter(|last| exit_on < *last) {
        return Err(Invalid::new(
            "exit_date_before_last_change",
            format!("exit_on lies before her last status change, on {last}."),
        ));
    }
    Ok(exit_on)
}

/// The days without contact before an absence follow-up opens: her own setting, else the
/// default of her status (regular care is looked at less often).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub default: i64,
    pub regular_care: i64,
}

impl Thresholds {
    pub fn for_client(self, status: CaseloadStatus, own: Option<i32>) -> i64 {
        match (own, status) {
            (Some(days), _) => i64::from(days),
            (None, CaseloadStatus::RegularCare) => self.regular_care,
            (None, _) => self.default,
        }
    }
}

/// What decides when her absence follow-up falls due: the default thresholds, and the
/// zone her intake day begins in. The moment is kept per client (`absence_due_at`) so the
/// sweep reads only the clients due; a server started with other rules computes every
/// moment again (`fingerprint`).
#[derive(Debug, Clone, Copy)]
pub struct AbsenceRules {
    pub thresholds: Thresholds,
    pub zone: Zone,
}

impl AbsenceRules {
    /// When the follow-up for her current absence falls due; `None` for a closed file.
    pub fn due_at(
        &self,
        status: CaseloadStatus,
        own_threshold: Option<i32>,
        last_contact_at: Option<NaiveDateTime>,
        intake_on: Option<NaiveDate>,
        created_at: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        if status == CaseloadStatus::Closed {
            return None;
        }
        let since = absent_since(last_contact_at, intake_on, created_at, self.zone);
        Some(since + TimeDelta::days(self.thresholds.for_client(status, own_threshold)))
    }

    /// The rules as text, stored beside the moments computed with them.
    pub fn fingerprint(&self) -> String {
        format!(
            "default={};regular_care={};zone={}",
            self.thresholds.default,
            self.thresholds.regular_care,
            self.zone.0.name()
        )
    }
}

/// What a change to her contacts expects her absence moment to become, worked out from
/// what was read of her before the write, so that the write can set it with her last
/// contact in one statement (and set it again only if it finds her otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedDue {
    /// Not worked out before the write: the write computes it from what it finds.
    Unknown,
    /// Worked out: the moment, or none at all (a closed file has no absence follow-up).
    At(Option<NaiveDateTime>),
}

/// When her absence began: her last (named) contact, else the start of her intake day,
/// else when her file was made.
pub fn absent_since(
    last_contact_at: Option<NaiveDateTime>,
    intake_on: Option<NaiveDate>,
    created_at: NaiveDateTime,
    zone: Zone,
) -> NaiveDateTime {
    last_contact_at
        .or_else(|| intake_on.map(|day| zone.start_of_day(day)))
        .unwrap_or(created_at)
}

/// Out of view: not closed, and unseen for `days` or more at `now` (a state to count and
/// act on, not an exit).
pub fn out_of_view(
    status: CaseloadStatus,
    absent_since: NaiveDateTime,
    now: NaiveDateTime,
    days: i64,
) -> bool {
    status != CaseloadStatus::Closed && absent_since + TimeDelta::days(days) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timezone::testing::{ams, utc};

    #[test]
    fn her_absence_falls_due_after_the_threshold_of_her_status_or_her_own() {
        let rules = AbsenceRules {
            thresholds: Thresholds {
                default: 14,
                regular_care: 60,
            },
            zone: ams(),
        };
        let seen = utc("2026-11-01T20:00");
        let created = utc("2026-10-01T10:00");
        let due = |status, own, last, intake| rules.due_at(status, own, last, intake, created);
        assert_eq!(
            due(CaseloadStatus::Active, None, Some(seen), None),
            Some(utc("2026-11-15T20:00"))
        );
        assert_eq!(
            due(CaseloadStatus::RegularCare, None, Some(seen), None),
            Some(utc("2026-12-31T20:00"))
        );
        assert_eq!(
            due(CaseloadStatus::RegularCare, Some(7), Some(seen), None),
            Some(utc("2026-11-08T20:00"))
        );
        assert_eq!(due(CaseloadStatus::Closed, None, Some(seen), None), None);
        // Never seen: from the start of her intake day in Amsterdam (summer time here).
        let intake = NaiveDate::from_ymd_opt(2026, 10, 20);
        assert_eq!(
            due(CaseloadStatus::Active, None, None, intake),
            Some(utc("2026-11-02T22:00"))
        );
        assert_eq!(
            due(CaseloadStatus::Active, None, None, None),
            Some(utc("2026-10-15T10:00"))
        );
        assert_eq!(
            rules.fingerprint(),
            "default=14;regular_care=60;zone=Europe/Amsterdam"
        );
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn her_status_on_a_day_is_her_last_change_by_then() {
        let history = [
            (StatusChange::Intake, day(2)),
            (StatusChange::ToRegularCare, day(10)),
            (StatusChange::Closed, day(10)),
            (StatusChange::Reopened, day(20)),
        ];
        assert_eq!(status_on(&history, day(1)), None);
        assert_eq!(status_on(&history, day(9)), Some(CaseloadStatus::Active));
        assert_eq!(status_on(&history, day(10)), Some(CaseloadStatus::Closed));
        assert_eq!(status_on(&history, day(25)), Some(CaseloadStatus::Active));
    }

    #[test]
    fn moves_between_open_statuses_only() {
        use CaseloadStatus::*;
        assert_eq!(
            StatusChange::between_open(Active, RegularCare),
            Some(StatusChange::ToRegularCare)
        );
        assert_eq!(
            StatusChange::between_open(RegularCare, Active),
            Some(StatusChange::ToOwnCaseload)
        );
        assert_eq!(StatusChange::between_open(Active, Active), None);
        for change in StatusChange::ALL {
            assert_eq!(StatusChange::from_code(change.as_str()), Some(*change));
        }
    }

    #[test]
    fn an_exit_date_lies_between_her_last_change_and_today() {
        assert_eq!(exit_date(day(20), day(23), Some(day(2))), Ok(day(20)));
        assert_eq!(exit_date(day(23), day(23), None), Ok(day(23)));
        let future = exit_date(day(24), day(23), Some(day(2))).unwrap_err();
        assert_eq!(future.code, "exit_date_in_future");
        let early = exit_date(day(1), day(23), Some(day(2))).unwrap_err();
        assert_eq!(early.code, "exit_date_before_last_change");
    }

    #[test]
    fn regular_care_waits_longer_unless_she_has_her_own_threshold() {
        let thresholds = Thresholds {
            default: 14,
            regular_care: 60,
        };
        assert_eq!(thresholds.for_client(CaseloadStatus::Active, None), 14);
        assert_eq!(thresholds.for_client(CaseloadStatus::RegularCare, None), 60);
        assert_eq!(
            thresholds.for_client(CaseloadStatus::RegularCare, Some(7)),
            7
        );
    }

    #[test]
    fn out_of_view_from_the_day_her_absence_reaches_the_limit() {
        let since = day(1).and_hms_opt(20, 0, 0).unwrap();
        let at = |d| day(d).and_hms_opt(20, 0, 0).unwrap();
        assert!(!out_of_view(CaseloadStatus::Active, since, at(10), 10));
        assert!(out_of_view(CaseloadStatus::Active, since, at(11), 10));
        assert!(out_of_view(CaseloadStatus::RegularCare, since, at(11), 10));
        assert!(!out_of_view(CaseloadStatus::Closed, since, at(30), 10));
    }
}
