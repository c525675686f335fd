//! The report pack as a table: every figure of a period under a stable key
//! (`contacts.total`, `clients.outflow.moved_away`), in the order the pack reads, with the
//! groups of a total and its parts. The coordinator sees it as counted; outside the team
//! the counts go through primary and secondary suppression (`suppression`), and what is
//! left is rounded to 5 like every other figure the municipality sees (`report::count`),
//! so that the pack and the other reports together still give away no small number.

use std::collections::BTreeMap;

use super::report::{self, Disclosure, Shown};
use super::suppression::{self, Group};

/// What a figure measures, which decides how it may be shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A number of women, contacts, stays, days: suppressed below 5 outside the team.
    Count(i64),
    /// `total / over` to one decimal, hidden outside the team when the count `over`
    /// (figure `over_cell`) is, or when the average is below 5 (as in `report::average`).
    Average {
        total: i64,
        over: i64,
        over_cell: usize,
    },
    /// A median of days, hidden outside the team when the count it is the median of
    /// (figure `of_cell`) is: the median of two waits is nearly one woman's wait.
    Median { value: Option<f64>, of_cell: usize },
    /// Money in cents, or a plan or budget the team set: no woman's number, always shown.
    Amount(i64),
}

/// The pack's figures as counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    keys: Vec<String>,
    measures: Vec<Measure>,
    groups: Vec<Group>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a figure; its position, to name it in a group or as a denominator.
    pub fn add(&mut self, key: impl Into<String>, measure: Measure) -> usize {
        self.keys.push(key.into());
        self.measures.push(measure);
        self.keys.len() - 1
    }

    pub fn count(&mut self, key: impl Into<String>, value: i64) -> usize {
        self.add(key, Measure::Count(value))
    }

    /// One count per code under `prefix` (`clients.outflow.` + `moved_away`), in order.
    pub fn counts(&mut self, prefix: &str, tally: &BTreeMap<&'static str, i64>) -> Vec<usize> {
        tally
            .iter()
            .map(|(code, value)| self.count(format!("{prefix}.{code}"), *value))
            .collect()
    }

    /// Declares that the counts `parts` add up to the count `total`.
    pub fn group(&mut self, total: usize, parts: impl IntoIterator<Item = usize>) {
        self.groups.push(Group::new(total, parts));
    }

    /// Every figure by key, as `disclosure` shows it; `None` for a median of nothing.
    pub fn shown(&self, disclosure: Disclosure) -> Vec<(String, Option<Shown>)> {
        let hidden = match disclosure {
            Disclosure::Exact => vec![false; self.measures.len()],
            Disclosure::Protected => {
                // Only counts take part; anything else counts as large.
                let values: Vec<i64> = self
                    .measures
                    .iter()
                    .map(|measure| match measure {
                        Measure::Count(value) => *value,
                        _ => i64::MAX,
                    })
                    .collect();
                suppression::suppressed(&values, &self.groups)
            }
        };
        self.keys
            .iter()
            .zip(&self.measures)
            .enumerate()
            .map(|(cell, (key, measure))| {
                let shown = match *measure {
                    Measure::Count(_) if hidden[cell] => Some(Shown::Small),
                    Measure::Count(value) => Some(report::count(value, disclosure)),
                    Measure::Average { over_cell, .. } if hidden[over_cell] => Some(Shown::Small),
                    Measure::Average { total, over, .. } => {
                        Some(report::average(total, over, disclosure))
                    }
                    Measure::Median { value: None, .. } => None,
                    Measure::Median { of_cell, .. } if hidden[of_cell] => Some(Shown::Small),
                    Measure::Median { value, .. } => value.map(Shown::Decimal),
                    Measure::Amount(value) => Some(Shown::Count(value)),
                };
                (key.clone(), shown)
            })
            .collect()
    }
}

/// The median of `values` (the mean of the middle two for an even number), none of none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    values.sort_unstable();
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[middle] as f64),
        _ => Some((values[middle - 1] + values[middle]) as f64 / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_numbers_of_waits() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [9, 3, 40]), Some(9.0));
        assert_eq!(median(&mut [10, 3, 4, 40]), Some(7.0));
    }

    fn sample() -> Table {
        let mut table = Table::new();
        let total = table.count("contacts.total", 42);
        let named = table.count("contacts.named", 39);
        let anonymous = table.count("contacts.anonymous", 3);
        table.group(total, [named, anonymous]);
        let shifts = table.count("contacts.shifts_held", 4);
        table.add(
            "contacts.average_visitors_per_shift",
            Measure::Average {
                total: 40,
                over: 4,
                over_cell: shifts,
            },
        );
        let started = table.count("referrals.housing_application.started", 6);
        table.add(
            "referrals.housing_application.median_wait_days",
            Measure::Median {
                value: Some(30.5),
                of_cell: started,
            },
        );
        table.add("flex.spent_cents", Measure::Amount(3));
        table
    }

    #[test]
    fn the_coordinator_sees_every_figure_as_counted() {
        let shown: BTreeMap<String, Option<Shown>> =
            sample().shown(Disclosure::Exact).into_iter().collect();
        assert_eq!(shown["contacts.anonymous"], Some(Shown::Count(3)));
        assert_eq!(shown["contacts.named"], Some(Shown::Count(39)));
        assert_eq!(
            shown["contacts.average_visitors_per_shift"],
            Some(Shown::Decimal(10.0))
        );
        assert_eq!(
            shown["referrals.housing_application.median_wait_days"],
            Some(Shown::Decimal(30.5))
        );
    }

    #[test]
    fn outside_the_team_small_counts_and_what_would_give_them_away_are_hidden() {
        let table = sample();
        let shown = table.shown(Disclosure::Protected);
        let keys: Vec<&str> = shown.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys[0], "contacts.total");
        let shown: BTreeMap<String, Option<Shown>> = shown.into_iter().collect();
        assert_eq!(shown["contacts.anonymous"], Some(Shown::Small));
        // 42 - 39 would be the 3 anonymous visitors.
        assert_eq!(shown["contacts.named"], Some(Shown::Small));
        assert_eq!(shown["contacts.total"], Some(Shown::Count(40)));
        // Over a hidden number of shifts the average would give it away.
        assert_eq!(
            shown["contacts.average_visitors_per_shift"],
            Some(Shown::Small)
        );
        assert_eq!(
            shown["referrals.housing_application.started"],
            Some(Shown::Count(5))
        );
        assert_eq!(
            shown["referrals.housing_application.median_wait_days"],
            Some(Shown::Decimal(30.5))
        );
        assert_eq!(shown["flex.spent_cents"], Some(Shown::Count(3)));
    }
}
