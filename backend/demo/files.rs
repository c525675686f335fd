//! The demo clients' files: statuses, categories, registrations, status histories and
//! assessments of the life domains spread so that every list and figure has something
//! to show.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rand::Rng;
use rand::rngs::StdRng;

use crate::db::queries::clients::NewClient;
use crate::domain::caseload::StatusChange;
use crate::domain::client::{Addiction, CaseloadStatus, ExitReason, Region, RegistrationStatus};
use crate::domain::code::Code;
use crate::domain::plan::LifeDomain;
use crate::domain::registration::{Event, EventKind};

/// A demo client's file: most in the team's own caseload, three in regular care, three
/// closed with a reason, one reopened after she came back; categories spread over all.
pub(super) struct DemoFile {
    pub(super) status: CaseloadStatus,
    registration: RegistrationStatus,
    pub(super) intake: NaiveDate,
    expires: NaiveDate,
    exit: Option<(NaiveDate, ExitReason)>,
    /// Closed once (moved away), reopened when she came back.
    came_back: bool,
    index: usize,
}

pub(super) fn demo_file(index: usize, today: NaiveDate, rng: &mut StdRng) -> DemoFile {
    let status = match index {
        0..=13 => CaseloadStatus::Active,
        14..=16 => CaseloadStatus::RegularCare,
        _ => CaseloadStatus::Closed,
    };
    let exit_reason = [
        ExitReason::RegularCare,
        ExitReason::MovedAway,
        ExitReason::StoppedSexWork,
    ];
    DemoFile {
        status,
        registration: match index % 4 {
            0 | 1 => RegistrationStatus::Registered,
            2 => RegistrationStatus::None,
            _ => RegistrationStatus::Applied,
        },
        intake: today - TimeDelta::days(rng.gen_range(60..900)),
        expires: today + TimeDelta::days(rng.gen_range(20..400)),
        exit: (status == CaseloadStatus::Closed).then(|| {
            let on = today - TimeDelta::days(rng.gen_range(1..30));
            (on, exit_reason[index % 3])
        }),
        came_back: index == 12,
        index,
    }
}

impl DemoFile {
    pub(super) fn client(&self, team: i64, alias: &str, now: NaiveDateTime) -> NewClient {
        let region = match self.index % 7 {
            3 => Region::Outside,
            0 | 5 => Region::MoRegion,
            _ => Region::Nijmegen,
        };
        let addiction = [
            Addiction::Yes,
            Addiction::Yes,
            Addiction::No,
            Addiction::Unknown,
        ];
        NewClient {
            team_id: team,
            code: format!("DEMO-{:02}", self.index + 1),
            alias: alias.to_owned(),
            // Her registration follows from her events (`registration_events`).
            registration_status: RegistrationStatus::None.as_str().to_owned(),
            registration_number: None,
            registration_date: None,
            registration_expires_on: None,
            region: region.as_str().to_owned(),
            caseload_status: self.status.as_str().to_owned(),
            intake_on: Some(self.intake),
            exit_on: self.exit.map(|(on, _)| on),
            followup_threshold_days: None,
            created_at: now,
            updated_at: now,
            addiction: addiction[self.index % 4].as_str().to_owned(),
            sheltered_housing: self.index % 6 == 1,
            known_at_huiskamer: self.index % 4 != 3,
            exit_reason: self.exit.map(|(_, reason)| reason.as_str().to_owned()),
            exit_note: None,
        }
    }

    /// Her registration events, oldest first: applied at intake, for a registration
    /// granted two weeks later.
    pub(super) fn registration_events(&self) -> Vec<Event> {
        let applied = Event {
            kind: EventKind::Applied,
            on: self.intake,
            number: None,
            expires_on: None,
        };
        match self.registration {
            RegistrationStatus::Applied => vec![applied],
            RegistrationStatus::Registered => vec![
                applied,
                Event {
                    kind: EventKind::Granted,
                    on: self.intake + TimeDelta::days(14),
                    number: Some(format!("R-{}", 100 + self.index)),
                    expires_on: Some(self.expires),
                },
            ],
            _ => Vec::new(),
        }
    }

    /// Her status history, oldest first.
    pub(super) fn history(&self) -> Vec<(StatusChange, NaiveDate, Option<ExitReason>)> {
        let mut history = vec![(StatusChange::Intake, self.intake, None)];
        let halfway = self.intake + (self.exit.map_or(self.intake, |(on, _)| on) - self.intake) / 2;
        if self.status == CaseloadStatus::RegularCare {
            history.push((
                StatusChange::ToRegularCare,
                self.intake + TimeDelta::days(45),
                None,
            ));
        }
        if self.came_back {
            let left = self.intake + TimeDelta::days(20);
            history.push((StatusChange::Closed, left, Some(ExitReason::MovedAway)));
            history.push((StatusChange::Reopened, left + TimeDelta::days(30), None));
        }
        if let Some((on, reason)) = self.exit {
            if reason == ExitReason::RegularCare {
                history.push((StatusChange::ToRegularCare, halfway, None));
            }
            history.push((StatusChange::Closed, on, Some(reason)));
        }
        history
    }

    /// Her assessments of the life domains: one soon after intake and, for the own
    /// caseload, one three months on, with most domains a step better and one worse.
    pub(super) fn assessments(&self, today: NaiveDate) -> Vec<(NaiveDate, Vec<(LifeDomain, u8)>)> {
        if self.status == CaseloadStatus::Closed {
            return Vec::new();
        }
        let first_on = self.intake + TimeDelta::days(7);
        let first: Vec<(LifeDomain, u8)> = LifeDomain::ALL
            .iter()
            .enumerate()
            .map(|(at, &domain)| (domain, 1 + u8::try_from((self.index + at) % 4).unwrap_or(0)))
            .collect();
        let later_on = first_on + TimeDelta::days(91);
        if self.status != CaseloadStatus::Active || later_on > today {
            return vec![(first_on, first)];
        }
        let later = first
            .iter()
            .enumerate()
            .map(|(at, &(domain, score))| match at % 5 {
                0..=2 => (domain, (score + 1).min(5)),
                3 => (domain, score.saturating_sub(1).max(1)),
                _ => (domain, score),
            })
            .collect();
        vec![(first_on, first), (later_on, later)]
    }
}
