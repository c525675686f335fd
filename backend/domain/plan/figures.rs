//! The municipality's view of the plans, aggregated only: per life domain, how many women
//! improved, stayed equal or declined between their first and latest assessment in a
//! period (a woman counts for a domain when it was scored at least twice in it).

use std::collections::BTreeMap;

use super::{LifeDomain, Progress, Scored, Trend};
use crate::domain::code::Code;

/// How many women went each way on one domain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trends {
    pub improved: i64,
    pub equal: i64,
    pub declined: i64,
}

/// Per domain, in the matrix's order, from the period's scores of every woman (`(client,
/// score)`, in any order).
pub fn trends_per_domain(scores: &[(i64, Scored)]) -> Vec<(LifeDomain, Trends)> {
    let mut per_client: BTreeMap<i64, Vec<Scored>> = BTreeMap::new();
    for (client, scored) in scores {
        per_client.entry(*client).or_default().push(*scored);
    }
    let mut counts: BTreeMap<LifeDomain, Trends> = LifeDomain::ALL
        .iter()
        .map(|&domain| (domain, Trends::default()))
        .collect();
    for scores in per_client.values() {
        for domain in Progress::from_scores(scores).domains {
            let Some(counted) = counts.get_mut(&domain.domain) else {
                continue;
            };
            match domain.trend {
                Some(Trend::Improved) => counted.improved += 1,
                Some(Trend::Equal) => counted.equal += 1,
                Some(Trend::Declined) => counted.declined += 1,
                None => {}
            }
        }
    }
    counts.into_iter().collect()
}
