//! What an audience may see of the team's figures. The team's own coordinator sees them as
//! counted; outside the team a small group could be re-identified, so below 5 a figure is
//! only "<5", and every other count is rounded to a multiple of 5, so that a cell shown as
//! "<5" cannot be recovered as its total minus the other cells: named plus anonymous
//! contacts, the locations of the city, the months of a quarter.

/// Counts under this are shown as "<5" outside the team.
pub const SMALL: i64 = 5;
/// Counts from `SMALL` up are rounded to the nearest multiple of this outside the team.
pub const ROUND_TO: i64 = 5;

/// How exactly an audience sees the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// Every figure as counted.
    Exact,
    /// Below `SMALL` "<5", every other count rounded to the nearest multiple of `ROUND_TO`.
    Protected,
}

impl Disclosure {
    /// The multiple counts are rounded to, if they are.
    pub fn rounded_to(self) -> Option<i64> {
        match self {
            Disclosure::Exact => None,
            Disclosure::Protected => Some(ROUND_TO),
        }
    }
}

/// A figure as its audience sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shown {
    Count(i64),
    /// Rounded to one decimal.
    Decimal(f64),
    /// Below `SMALL`, for an audience that sees no small numbers.
    Small,
}

/// A count as `disclosure` shows it. Rounding every count, totals and cells alike, protects
/// each group whichever answers hold its other cells: a total and its cells are often
/// asked for apart (a quarter and its months, the city and each location), where no answer
/// could see which cell another suppressed.
pub fn count(value: i64, disclosure: Disclosure) -> Shown {
    match disclosure {
        Disclosure::Exact => Shown::Count(value),
        Disclosure::Protected if value < SMALL => Shown::Small,
        Disclosure::Protected => Shown::Count((value + ROUND_TO / 2) / ROUND_TO * ROUND_TO),
    }
}

/// `total / over` to one decimal (0 over nothing), "<5" when the exact average lies below
/// `SMALL` and the audience sees no small numbers.
pub fn average(total: i64, over: i64, disclosure: Disclosure) -> Shown {
    let average = if over == 0 {
        0.0
    } else {
        total as f64 / over as f64
    };
    if disclosure == Disclosure::Protected && average < SMALL as f64 {
        Shown::Small
    } else {
        Shown::Decimal((average * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Disclosure::{Exact, Protected};

    #[test]
    fn outside_the_team_small_counts_are_hidden_and_the_rest_rounded() {
        assert_eq!(count(0, Protected), Shown::Small);
        assert_eq!(count(4, Protected), Shown::Small);
        assert_eq!(count(5, Protected), Shown::Count(5));
        assert_eq!(count(7, Protected), Shown::Count(5));
        assert_eq!(count(8, Protected), Shown::Count(10));
        assert_eq!(count(2213, Protected), Shown::Count(2215));
        assert_eq!(count(0, Exact), Shown::Count(0));
        assert_eq!(count(2213, Exact), Shown::Count(2213));
        assert_eq!(Protected.rounded_to(), Some(5));
        assert_eq!(Exact.rounded_to(), None);
    }

    #[test]
    fn averages_below_five_are_hidden_outside_the_team() {
        assert_eq!(average(7, 2, Exact), Shown::Decimal(3.5));
        assert_eq!(average(7, 2, Protected), Shown::Small);
        assert_eq!(average(0, 0, Exact), Shown::Decimal(0.0));
        assert_eq!(average(100, 3, Protected), Shown::Decimal(33.3));
    }
}
