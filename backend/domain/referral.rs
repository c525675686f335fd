//! Referrals and interventions: what the team asks of a partner for her (a diagnosis, a
//! place to live, a time-out, ...), and how long she waits for it. The waiting time follows
//! from the dates: from the request to the start, or to today while nothing has started.

use chrono::{Days, NaiveDate};

use super::Invalid;
use super::code::Code;

/// What is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralKind {
    Diagnostics,
    Treatment,
    HousingApplication,
    /// Beschermd Wonen (Licht): sheltered housing.
    ShelteredHousing,
    TimeOut,
    /// Support to leave sex work (KiSS).
    ExitSupport,
    DebtIncome,
    IdentityPapers,
    /// Back to the care of her home region.
    HomeRegion,
    Other,
}

impl Code for ReferralKind {
    const ALL: &'static [ReferralKind] = &[
        ReferralKind::Diagnostics,
        ReferralKind::Treatment,
        ReferralKind::HousingApplication,
        ReferralKind::ShelteredHousing,
        ReferralKind::TimeOut,
        ReferralKind::ExitSupport,
        ReferralKind::DebtIncome,
        ReferralKind::IdentityPapers,
        ReferralKind::HomeRegion,
        ReferralKind::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            ReferralKind::Diagnostics => "diagnostics",
            ReferralKind::Treatment => "treatment",
            ReferralKind::HousingApplication => "housing_application",
            ReferralKind::ShelteredHousing => "sheltered_housing",
            ReferralKind::TimeOut => "time_out",
            ReferralKind::ExitSupport => "exit_support",
            ReferralKind::DebtIncome => "debt_income",
            ReferralKind::IdentityPapers => "identity_papers",
            ReferralKind::HomeRegion => "home_region",
            ReferralKind::Other => "other",
        }
    }
}

/// How a referral ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralOutcome {
    /// What was asked for was given and ran its course (a diagnosis made, a stay done).
    Completed,
    /// She was placed or admitted and it goes on elsewhere (a home, a treatment).
    Placed,
    /// The partner said no.
    RefusedByPartner,
    /// She did not want it (any more).
    DeclinedByClient,
    /// It started and she stopped before its end.
    DroppedOut,
    /// The team withdrew the request (moved away, no longer needed).
    Withdrawn,
    Other,
}

impl Code for ReferralOutcome {
    const ALL: &'static [ReferralOutcome] = &[
        ReferralOutcome::Completed,
        ReferralOutcome::Placed,
        ReferralOutcome::RefusedByPartner,
        ReferralOutcome::DeclinedByClient,
        ReferralOutcome::DroppedOut,
        ReferralOutcome::Withdrawn,
        ReferralOutcome::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            ReferralOutcome::Completed => "completed",
            ReferralOutcome::Placed => "placed",
            ReferralOutcome::RefusedByPartner => "refused_by_partner",
            ReferralOutcome::DeclinedByClient => "declined_by_client",
            ReferralOutcome::DroppedOut => "dropped_out",
            ReferralOutcome::Withdrawn => "withdrawn",
            ReferralOutcome::Other => "other",
        }
    }
}

/// The days of a referral: asked for, begun, ended, with how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Course {
    pub requested_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub outcome: Option<ReferralOutcome>,
}

fn invalid(code: &'static str, message: &str) -> Invalid {
    Invalid::new(code, message)
}

impl Course {
    /// Checks the dates against each other and `today`: nothing in the future, nothing
    /// before the request, an end after the start, and an outcome exactly when it ended.
    pub fn check(self, today: NaiveDate) -> Result<Course, Invalid> {
        let days = [Some(self.requested_on), self.started_on, self.ended_on];
        if days.iter().flatten().any(|day| *day > today) {
            return Err(invalid(
                "date_in_future",
                "The day lies in the future: record what has happened.",
            ));
        }
        if days.iter().flatten().any(|day| *day < self.requested_on) {
            return Err(invalid(
                "before_request",
                "A referral cannot start or end before it was requested.",
            ));
        }
        if let (Some(started), Some(ended)) = (self.started_on, self.ended_on)
            && ended < started
        {
            return Err(invalid(
                "end_before_start",
                "A referral cannot end before it started.",
            ));
        }
        match (self.ended_on, self.outcome) {
            (Some(_), None) => Err(invalid(
                "outcome_required",
                "An ended referral needs its outcome.",
            )),
            (None, Some(_)) => Err(invalid(
                "outcome_without_end",
                "An outcome needs the day the referral ended.",
            )),
            _ => Ok(self),
        }
    }

    /// Days she waited: from the request to the start; while nothing has started, to the
    /// end (refused or withdrawn before it began) or to `today`.
    pub fn waiting_days(self, today: NaiveDate) -> i64 {
        let until = self.started_on.or(self.ended_on).unwrap_or(today);
        (until - self.requested_on).num_days()
    }

    /// Still waiting: neither started nor ended.
    pub fn is_waiting(self) -> bool {
        self.started_on.is_none() && self.ended_on.is_none()
    }
}

/// How long a referral may wait before her casemanagers get a follow-up: one number of
/// days for every kind, and longer (or shorter) ones for kinds with known waiting lists
/// (a housing application waits months). Set as `referral_wait_days` and
/// `referral_wait_days_by_kind` (`housing_application:180, sheltered_housing:120`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitDays {
    pub default: u32,
    pub by_kind: Vec<(ReferralKind, u32)>,
}

impl WaitDays {
    /// The longest wait one can set: ten years.
    pub const MAX: u32 = 3650;

    /// Reads `kind:days` pairs separated by commas; an empty list sets no kind apart.
    pub fn parse_by_kind(list: &str) -> Result<Vec<(ReferralKind, u32)>, String> {
        let mut pairs: Vec<(ReferralKind, u32)> = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (code, days) = item
                .split_once(':')
                .ok_or_else(|| format!("`{item}` is not kind:days"))?;
            let kind = ReferralKind::from_code(code.trim())
                .ok_or_else(|| format!("`{}` is not a referral kind", code.trim()))?;
            let days: u32 = days
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=Self::MAX).contains(d))
                .ok_or_else(|| format!("`{item}`: days must be 1 to {}", Self::MAX))?;
            if pairs.iter().any(|(k, _)| *k == kind) {
                return Err(format!("`{}` is given twice", kind.as_str()));
            }
            pairs.push((kind, days));
        }
        Ok(pairs)
    }

    /// The days a referral of `kind` may wait.
    pub fn for_kind(&self, kind: ReferralKind) -> u32 {
        self.by_kind
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.default, |(_, days)| *days)
    }

    /// The latest request day of a referral of `kind` that can be due on `today`: one
    /// requested later has not waited its period yet (a day to spare: a wait that spans the
    /// autumn's clock change ends an hour early). The sweep reads only the referrals of
    /// each kind requested by then, from an index in that order, and checks each exactly.
    pub fn requested_by(&self, kind: ReferralKind, today: NaiveDate) -> NaiveDate {
        today
            .checked_sub_days(Days::new(u64::from(self.for_kind(kind)).saturating_sub(1)))
            .unwrap_or(NaiveDate::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn course(requested: &str, started: Option<&str>, ended: Option<&str>) -> Course {
        Course {
            requested_on: day(requested),
            started_on: started.map(day),
            ended_on: ended.map(day),
            outcome: ended.map(|_| ReferralOutcome::Completed),
        }
    }

    #[test]
    fn only_requests_older_than_their_kinds_wait_can_be_due() {
        let waits = WaitDays {
            default: 42,
            by_kind: vec![
                (ReferralKind::HousingApplication, 90),
                (ReferralKind::TimeOut, 7),
            ],
        };
        let today = day("2026-11-30");
        assert_eq!(
            waits.requested_by(ReferralKind::TimeOut, today),
            day("2026-11-24")
        );
        assert_eq!(
            waits.requested_by(ReferralKind::HousingApplication, today),
            day("2026-09-02")
        );
        assert_eq!(
            waits.requested_by(ReferralKind::Other, today),
            day("2026-10-20")
        );
        let plain = WaitDays {
            default: 42,
            by_kind: Vec::new(),
        };
        assert_eq!(
            plain.requested_by(ReferralKind::TimeOut, today),
            day("2026-10-20")
        );
    }

    #[test]
    fn the_waiting_time_runs_from_the_request_to_the_start_or_today() {
        let today = day("2026-11-30");
        assert_eq!(course("2026-10-01", None, None).waiting_days(today), 60);
        assert_eq!(
            course("2026-10-01", Some("2026-10-15"), None).waiting_days(today),
            14
        );
        // Refused before it began: she waited until the refusal.
        assert_eq!(
            course("2026-10-01", None, Some("2026-10-11")).waiting_days(today),
            10
        );
        assert!(course("2026-10-01", None, None).is_waiting());
        assert!(!course("2026-10-01", Some("2026-10-02"), None).is_waiting());
    }

    #[test]
    fn a_kind_may_wait_longer_than_the_default() {
        let parsed = WaitDays::parse_by_kind(" housing_application:180, time_out:7 ").unwrap();
        let waits = WaitDays {
            default: 42,
            by_kind: parsed,
        };
        assert_eq!(waits.for_kind(ReferralKind::HousingApplication), 180);
        assert_eq!(waits.for_kind(ReferralKind::TimeOut), 7);
        assert_eq!(waits.for_kind(ReferralKind::Diagnostics), 42);
        assert_eq!(WaitDays::parse_by_kind(""), Ok(vec![]));
        for bad in [
            "castle:10",
            "time_out",
            "time_out:0",
            "time_out:x",
            "time_out:1,time_out:2",
        ] {
            assert!(WaitDays::parse_by_kind(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_in_order_and_an_outcome_exactly_when_ended() {
        let today = day("2026-11-30");
        let refused = |c: Course| c.check(today).unwrap_err().code;
        assert!(
            course("2026-10-01", Some("2026-10-02"), Some("2026-11-01"))
                .check(today)
                .is_ok()
        );
        assert_eq!(refused(course("2026-12-01", None, None)), "date_in_future");
        assert_eq!(
            refused(course("2026-10-01", Some("2026-09-30"), None)),
            "before_request"
        );
        assert_eq!(
            refused(course("2026-10-01", Some("2026-10-20"), Some("2026-10-10"))),
            "end_before_start"
        );
        let mut open_end = course("2026-10-01", None, Some("2026-10-10"));
        open_end.outcome = None;
        assert_eq!(refused(open_end), "outcome_required");
        let mut early = course("2026-10-01", None, None);
        early.outcome = Some(ReferralOutcome::Placed);
        assert_eq!(refused(early), "outcome_without_end");
    }
}
