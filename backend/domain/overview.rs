//! The process director's overview, without names: how the caseload stands, which
//! stagnations are open and how long, which referrals wait and how long (median per partner
//! and kind), how many women are Top 15&15 and how many are out of view.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::stagnation::age_bucket;

/// The middle of `days` (the mean of the two middle ones for an even count), to one
/// decimal; `None` for none.
pub fn median(mut days: Vec<i64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let mid = days.len() / 2;
    let middle = if days.len() % 2 == 1 {
        days[mid] as f64
    } else {
        (days[mid - 1] + days[mid]) as f64 / 2.0
    };
    Some((middle * 10.0).round() / 10.0)
}

/// Open stagnations per kind, each counted in its age bucket (`age_bucket`).
pub fn stagnations_by_kind_and_age(
    open: &[(String, NaiveDate)],
    today: NaiveDate,
) -> BTreeMap<String, BTreeMap<&'static str, i64>> {
    let mut counts: BTreeMap<String, BTreeMap<&'static str, i64>> = BTreeMap::new();
    for (kind, reported_on) in open {
        let bucket = age_bucket((today - *reported_on).num_days());
        *counts
            .entry(kind.clone())
            .or_default()
            .entry(bucket)
            .or_default() += 1;
    }
    counts
}

/// Waiting referrals per (partner, kind): how many, and the median days they have waited.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingGroup {
    pub partner: Option<String>,
    pub kind: String,
    pub count: i64,
    pub median_waiting_days: f64,
}

pub fn waiting_referrals(
    waiting: Vec<(Option<String>, String, NaiveDate)>,
    today: NaiveDate,
) -> Vec<WaitingGroup> {
    let mut groups: BTreeMap<(Option<String>, String), Vec<i64>> = BTreeMap::new();
    for (partner, kind, requested_on) in waiting {
        groups
            .entry((partner, kind))
            .or_default()
            .push((today - requested_on).num_days());
    }
    groups
        .into_iter()
        .map(|((partner, kind), days)| WaitingGroup {
            partner,
            kind,
            count: days.len() as i64,
            median_waiting_days: median(days).unwrap_or(0.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![50, 10, 30]), Some(30.0));
        assert_eq!(median(vec![10, 40, 20, 31]), Some(25.5));
    }

    #[test]
    fn referrals_wait_per_partner_and_kind() {
        let today = day("2026-11-23");
        let groups = waiting_referrals(
            vec![
                (
                    Some("Domus".into()),
                    "housing_application".into(),
                    day("2026-11-13"),
                ),
                (
                    Some("Domus".into()),
                    "housing_application".into(),
                    day("2026-10-24"),
                ),
                (None, "diagnostics".into(), day("2026-11-20")),
            ],
            today,
        );
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].partner, None);
        assert_eq!((groups[1].count, groups[1].median_waiting_days), (2, 20.0));
    }

    #[test]
    fn open_stagnations_are_counted_by_kind_and_age() {
        let today = day("2026-11-23");
        let counts = stagnations_by_kind_and_age(
            &[
                ("housing".into(), day("2026-11-20")),
                ("housing".into(), day("2026-08-01")),
                ("safety".into(), day("2026-10-20")),
            ],
            today,
        );
        assert_eq!(counts["housing"]["under_4_weeks"], 1);
        assert_eq!(counts["housing"]["over_12_weeks"], 1);
        assert_eq!(counts["safety"]["4_to_12_weeks"], 1);
    }
}
