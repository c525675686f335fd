//! The clients' side of a period's figures: the caseload at the period's end by status,
//! the categories of the clients not closed then, the outflow of the period by exit
//! reason, and how many open clients were out of view at its end (or now, for a period
//! still running), and the registration events of the period by kind. Categories are counted as her file holds them now: they have no
//! history.

use std::collections::BTreeMap;

use super::client::{Addiction, CaseloadStatus, ExitReason, Region};
use super::code::Code;
use super::registration::EventKind;
use super::report::{self, Disclosure, Shown};

/// A count per code, every code of the set present (zero when nobody has it).
pub type Tally<T> = BTreeMap<&'static str, T>;

/// Counts per code, every code present (0 when none).
pub fn tally<C: Code>(items: impl IntoIterator<Item = C>) -> Tally<i64> {
    let mut counts: Tally<i64> = C::ALL.iter().map(|code| (code.as_str(), 0)).collect();
    for item in items {
        *counts.entry(item.as_str()).or_default() += 1;
    }
    counts
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientFigures<T> {
    /// Every client with an intake by the period's end, by her status then.
    pub caseload: Tally<T>,
    /// Of the clients not closed at the period's end:
    pub region: Tally<T>,
    pub addiction: Tally<T>,
    pub sheltered_housing: T,
    pub known_at_huiskamer: T,
    pub registered: T,
    /// The clients closed in the period (`clients_left`), by exit reason.
    pub outflow: Tally<T>,
    /// Not closed and unseen for the out-of-view period at the period's end.
    pub out_of_view: T,
    /// Applications, grants, refusals, expiries, renewals and ends in the period
    /// (`registration::in_period`).
    pub registration_events: Tally<T>,
}

/// One client as the figures see her at the period's end.
#[derive(Debug, Clone, Copy)]
pub struct ClientAtEnd {
    pub status: CaseloadStatus,
    pub region: Region,
    pub addiction: Addiction,
    pub sheltered_housing: bool,
    pub known_at_huiskamer: bool,
    pub registered: bool,
    pub out_of_view: bool,
}

/// Counts `clients` (those with an intake by the period's end), the exit reasons of the
/// period's closures and its registration events.
pub fn count(
    clients: &[ClientAtEnd],
    closures: &[ExitReason],
    registration_events: &[EventKind],
) -> ClientFigures<i64> {
    let open: Vec<&ClientAtEnd> = clients
        .iter()
        .filter(|c| c.status != CaseloadStatus::Closed)
        .collect();
    let how_many = |keep: fn(&ClientAtEnd) -> bool| open.iter().filter(|c| keep(c)).count() as i64;
    ClientFigures {
        caseload: tally(clients.iter().map(|c| c.status)),
        region: tally(open.iter().map(|c| c.region)),
        addiction: tally(open.iter().map(|c| c.addiction)),
        sheltered_housing: how_many(|c| c.sheltered_housing),
        known_at_huiskamer: how_many(|c| c.known_at_huiskamer),
        registered: how_many(|c| c.registered),
        outflow: tally(closures.iter().copied()),
        out_of_view: how_many(|c| c.out_of_view),
        registration_events: tally(registration_events.iter().copied()),
    }
}

impl ClientFigures<i64> {
    /// Every count as `disclosure` shows it.
    pub fn shown(&self, disclosure: Disclosure) -> ClientFigures<Shown> {
        let show = |value: i64| report::count(value, disclosure);
        let each = |tally: &Tally<i64>| -> Tally<Shown> {
            tally
                .iter()
                .map(|(code, value)| (*code, show(*value)))
                .collect()
        };
        ClientFigures {
            caseload: each(&self.caseload),
            region: each(&self.region),
            addiction: each(&self.addiction),
            sheltered_housing: show(self.sheltered_housing),
            known_at_huiskamer: show(self.known_at_huiskamer),
            registered: show(self.registered),
            outflow: each(&self.outflow),
            out_of_view: show(self.out_of_view),
            registration_events: each(&self.registration_events),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(status: CaseloadStatus, region: Region) -> ClientAtEnd {
        ClientAtEnd {
            status,
            region,
            addiction: Addiction::Yes,
            sheltered_housing: true,
            known_at_huiskamer: false,
            registered: true,
            out_of_view: true,
        }
    }

    #[test]
    fn categories_count_only_the_clients_not_closed() {
        use CaseloadStatus::*;
        let clients = [
            client(Active, Region::Nijmegen),
            client(RegularCare, Region::Outside),
            client(Closed, Region::Nijmegen),
        ];
        let figures = count(
            &clients,
            &[ExitReason::Deceased, ExitReason::Deceased],
            &[EventKind::Granted],
        );
        assert_eq!(figures.caseload["active"], 1);
        assert_eq!(figures.caseload["regular_care"], 1);
        assert_eq!(figures.caseload["closed"], 1);
        assert_eq!(figures.region["nijmegen"], 1);
        assert_eq!(figures.region["mo_region"], 0);
        assert_eq!(figures.addiction["yes"], 2);
        assert_eq!(figures.sheltered_housing, 2);
        assert_eq!(figures.known_at_huiskamer, 0);
        assert_eq!(figures.out_of_view, 2);
        assert_eq!(figures.outflow["deceased"], 2);
        assert_eq!(figures.outflow.len(), ExitReason::ALL.len());
        assert_eq!(figures.registration_events["granted"], 1);
        assert_eq!(figures.registration_events["expired"], 0);
        let shown = figures.shown(Disclosure::Protected);
        assert_eq!(shown.caseload["active"], Shown::Small);
        assert_eq!(shown.registered, Shown::Small);
    }
}
