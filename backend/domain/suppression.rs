//! Which cells of a table of counts may leave the team. A count below `report::SMALL` could
//! point at one woman, so it is suppressed (primary suppression). A table also holds
//! totals with their parts (all contacts, named and anonymous; the closures and their
//! reasons); when exactly one cell of such a group is suppressed, it is the total minus the
//! others, so a second cell of the group is suppressed too (secondary suppression): the
//! smallest one left, which gives away the least. A second suppression can break open
//! another group the cell belongs to, so the rule runs until no group has a single
//! suppressed cell.

use super::report::SMALL;

/// A total and the cells that add up to it, as positions in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub total: usize,
    pub parts: Vec<usize>,
}

impl Group {
    pub fn new(total: usize, parts: impl IntoIterator<Item = usize>) -> Group {
        Group {
            total,
            parts: parts.into_iter().collect(),
        }
    }

    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// For each of `values`, whether it is suppressed: below `SMALL`, or suppressed so that a
/// suppressed cell of one of `groups` cannot be worked out from the others.
pub fn suppressed(values: &[i64], groups: &[Group]) -> Vec<bool> {
    let mut hidden: Vec<bool> = values.iter().map(|value| *value < SMALL).collect();
    loop {
        let mut changed = false;
        for group in groups {
            let hidden_in_group = group.cells().filter(|cell| hidden[*cell]).count();
            if hidden_in_group != 1 {
                continue;
            }
            let smallest_shown = group
                .cells()
                .filter(|cell| !hidden[*cell])
                .min_by_key(|cell| (values[*cell], *cell));
            if let Some(cell) = smallest_shown {
                hidden[cell] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_and_large_ones_shown() {
        assert_eq!(
            suppressed(&[0, 4, 5, 120], &[]),
            vec![true, true, false, false]
        );
    }

    #[test]
    fn a_single_small_part_takes_the_smallest_other_part_with_it() {
        // Total 30 of parts 3, 12, 15: 3 would be 30 - 12 - 15, so 12 goes too.
        let groups = [Group::new(0, [1, 2, 3])];
        assert_eq!(
            suppressed(&[30, 3, 12, 15], &groups),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn two_small_parts_need_nothing_more() {
        let groups = [Group::new(0, [1, 2, 3])];
        assert_eq!(
            suppressed(&[27, 3, 4, 20], &groups),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn a_small_total_hides_one_part_as_well() {
        // Total 4 of parts 4 and 0: both parts are small already.
        let groups = [Group::new(0, [1, 2])];
        assert_eq!(suppressed(&[4, 4, 0], &groups), vec![true, true, true]);
        // A total of one part: the part is the total.
        let groups = [Group::new(0, [1])];
        assert_eq!(suppressed(&[3, 3], &groups), vec![true, true]);
    }

    #[test]
    fn a_total_shown_with_all_its_parts_hidden_is_fine() {
        let groups = [Group::new(0, [1, 2])];
        assert_eq!(suppressed(&[7, 3, 4], &groups), vec![false, true, true]);
    }

    #[test]
    fn a_second_suppression_spreads_to_the_groups_the_cell_is_in() {
        // Contacts 40 = named 37 + anonymous 3; named 37 = at the Loods 30 + at De Cirkel 7.
        // Anonymous is small, so named goes with it; then De Cirkel goes with named.
        let groups = [Group::new(0, [1, 2]), Group::new(1, [3, 4])];
        assert_eq!(
            suppressed(&[40, 37, 3, 30, 7], &groups),
            vec![false, true, true, false, true]
        );
    }

    #[test]
    fn no_group_is_left_with_one_suppressed_cell() {
        // A ladder of overlapping groups, checked by the property rather than by hand.
        let values = [50, 45, 5, 40, 5, 2, 38, 30, 8];
        let groups = [
            Group::new(0, [1, 2]),
            Group::new(1, [3, 4]),
            Group::new(3, [5, 6]),
            Group::new(6, [7, 8]),
        ];
        let hidden = suppressed(&values, &groups);
        assert!(hidden[5]);
        for group in &groups {
            assert_ne!(group.cells().filter(|cell| hidden[*cell]).count(), 1);
        }
    }
}
