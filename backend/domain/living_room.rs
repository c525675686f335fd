//! The drop-in living room's own four figures (Huiskamer De Cirkel: the locations of kind
//! `living_room`), as the municipality's yearly report asks for them (2022: 2,215 visits,
//! 26 unique clients, 2 new, 7 left), counted in the report pack whatever location it is
//! asked for:
//!
//! - visits: every contact there in the period, a known woman's as one and an entry of
//!   anonymous visitors as their number, as `contacts.total` counts them;
//! - unique clients: the known women among them;
//! - inflow: a woman whose first contact ever at the living room falls in the period, also
//!   when the team has known her for years elsewhere (anonymous visitors are not counted);
//! - outflow: a woman whose file was closed with an exit day in the period and who came to
//!   the living room in the twelve months up to that day. Closing her file is the recorded
//!   decision that she left; "she stopped coming" could only be known long afterwards and
//!   would change a past period's figure. A woman who stays away while her file is open is
//!   out of view, not outflow.

use chrono::{Months, NaiveDate};

/// How far before her exit a visit to the living room makes her closure its outflow.
pub const OUTFLOW_LOOKBACK_MONTHS: u32 = 12;

/// The local days [first, last] in which a visit counts for a closure on `exit_on`.
pub fn outflow_window(exit_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = exit_on
        .checked_sub_months(Months::new(OUTFLOW_LOOKBACK_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    (first, exit_on)
}

/// Whether a woman closed on `exit_on` who came to the living room on `visit_days`
/// (local) left the living room.
pub fn left_the_living_room(
    exit_on: NaiveDate,
    visit_days: impl IntoIterator<Item = NaiveDate>,
) -> bool {
    let (first, last) = outflow_window(exit_on);
    visit_days
        .into_iter()
        .any(|day| first <= day && day <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_visit_in_the_twelve_months_up_to_her_exit_makes_her_outflow() {
        let exit = day("2026-12-31");
        assert_eq!(outflow_window(exit), (day("2025-12-31"), exit));
        assert!(left_the_living_room(exit, [day("2025-12-31")]));
        assert!(left_the_living_room(exit, [day("2026-12-31")]));
        assert!(!left_the_living_room(exit, [day("2025-12-30")]));
        // A visit after her file was closed is no reason to count her leaving.
        assert!(!left_the_living_room(exit, [day("2027-01-01")]));
        assert!(!left_the_living_room(exit, []));
        // The 29th of February a year back is the 28th.
        assert_eq!(outflow_window(day("2028-02-29")).0, day("2027-02-28"));
    }
}
