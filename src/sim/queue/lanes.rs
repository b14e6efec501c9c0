//! Frames in flight, in the order they arrive: one first-in first-out lane per sender, and the
//! lanes' fronts kept in order.
//!
//! An interface sends one frame at a time, and every frame it sends crosses the same link, so
//! its frames arrive in the order it sent them: a lane only ever grows at the back and is
//! taken from the front, and the earliest frame of all is the earliest of the lanes' fronts.
//! The fronts, one per lane that holds any entry (a few dozen at most in the default world,
//! where a heap of every frame in flight would hold thousands), wait in a vector sorted
//! latest first: the earliest is its last element, so peeking and taking it cost a look at
//! the end, and a lane's next front goes in by a binary search.
//!
//! A lane only takes an entry that comes after its last one ([`Lanes::push_in_order`]);
//! anything else (a link made faster while frames are still on it, two senders given one
//! lane) goes to the queue's heap instead, so the order never depends on which lane a caller
//! picked.

use std::collections::VecDeque;

use super::EventId;

/// The arrivals waiting, in their lanes.
#[derive(Clone, Debug, Default)]
pub(super) struct Lanes {
    lanes: Vec<VecDeque<EventId>>,
    /// The front entry of every lane that holds any, sorted latest first.
    fronts: Vec<LaneFront>,
}

/// The entry at the front of `lane`.
#[derive(Clone, Copy, Debug)]
struct LaneFront {
    entry: EventId,
    lane: u32,
}

impl Lanes {
    /// Adds `entry` at the back of `lane` if it comes after every entry already there (and
    /// the lane number fits); `false`, and nothing changes, otherwise.
    pub(super) fn push_in_order(&mut self, lane: usize, entry: EventId) -> bool {
        let Ok(lane_number) = u32::try_from(lane) else {
            return false;
        };
        if self.lanes.len() <= lane {
            self.lanes.resize_with(lane + 1, VecDeque::new);
        }
        let queue = &mut self.lanes[lane];
        let was_empty = match queue.back() {
            Some(last) if last.key() >= entry.key() => return false,
            last => last.is_none(),
        };
        queue.push_back(entry);
        if was_empty {
            self.insert_front(LaneFront {
                entry,
                lane: lane_number,
            });
        }
        true
    }

    /// The earliest entry.
    pub(super) fn peek(&self) -> Option<EventId> {
        self.fronts.last().map(|front| front.entry)
    }

    /// Takes the earliest entry out.
    pub(super) fn pop(&mut self) -> Option<EventId> {
        let LaneFront { entry, lane } = self.fronts.pop()?;
        let queue = &mut self.lanes[lane as usize];
        queue.pop_front();
        if let Some(&next) = queue.front() {
            self.insert_front(LaneFront { entry: next, lane });
        }
        Some(entry)
    }

    /// Puts a lane's new front among the others, keeping them sorted latest first.
    fn insert_front(&mut self, front: LaneFront) {
        let key = front.entry.key();
        let position = self.fronts.partition_point(|other| other.entry.key() > key);
        self.fronts.insert(position, front);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::SimTime;

    fn entry(micros: u64, sequence: u64) -> EventId {
        EventId {
            at: SimTime::from_micros(micros),
            sequence,
            slot: sequence as u32,
        }
    }

    #[test]
    fn the_fronts_of_all_lanes_come_out_earliest_first() {
        let mut lanes = Lanes::default();
        for (lane, micros, sequence) in [(0, 10, 0), (3, 5, 1), (0, 12, 2), (3, 12, 3), (1, 11, 4)]
        {
            assert!(lanes.push_in_order(lane, entry(micros, sequence)));
        }
        assert_eq!(lanes.peek(), Some(entry(5, 1)));
        let order: Vec<u64> = std::iter::from_fn(|| lanes.pop())
            .map(|e| e.sequence)
            .collect();
        assert_eq!(order, [1, 0, 4, 2, 3]);
        assert_eq!(lanes.peek(), None);
        assert!(lanes.fronts.is_empty());
    }

    #[test]
    fn a_lane_refuses_an_entry_earlier_than_its_last() {
        let mut lanes = Lanes::default();
        assert!(lanes.push_in_order(2, entry(10, 5)));
        assert!(!lanes.push_in_order(2, entry(9, 6)), "earlier in time");
        assert!(
            !lanes.push_in_order(2, entry(10, 4)),
            "same time, earlier sequence"
        );
        assert!(
            !lanes.push_in_order(usize::MAX, entry(11, 8)),
            "no such lane number"
        );
        assert_eq!(lanes.pop(), Some(entry(10, 5)), "refused entries stay out");
        assert_eq!(lanes.pop(), None);
        assert!(
            lanes.push_in_order(2, entry(1, 9)),
            "an empty lane takes any"
        );
        assert!(lanes.push_in_order(2, entry(10, 10)));
        assert!(lanes.push_in_order(1, entry(1, 7)), "another lane is free");
    }

    /// The lane whose front is the earliest of all, in a plain model of the lanes.
    fn earliest_lane(model: &[VecDeque<EventId>]) -> Option<usize> {
        (0..model.len())
            .filter(|&lane| !model[lane].is_empty())
            .min_by_key(|&lane| model[lane][0].key())
    }

    proptest::proptest! {
        /// Any mix of pushes and pops gives what a scan of every lane's front gives, and a
        /// lane refuses exactly the entries that do not come after its last.
        #[test]
        fn prop_lanes_behave_like_a_scan_of_their_fronts(
            steps in proptest::collection::vec((0usize..6, 0u64..30, proptest::bool::ANY), 0..300)
        ) {
            let mut lanes = Lanes::default();
            let mut model = vec![VecDeque::new(); 6];
            for (sequence, (lane, micros, pop)) in steps.into_iter().enumerate() {
                if pop {
                    let expected = earliest_lane(&model).and_then(|lane| model[lane].pop_front());
                    proptest::prop_assert_eq!(lanes.pop(), expected);
                } else {
                    let candidate = entry(micros, sequence as u64);
                    let in_order = model[lane]
                        .back()
                        .is_none_or(|last: &EventId| last.key() < candidate.key());
                    proptest::prop_assert_eq!(lanes.push_in_order(lane, candidate), in_order);
                    if in_order {
                        model[lane].push_back(candidate);
                    }
                }
                let expected_front = earliest_lane(&model).map(|lane| model[lane][0]);
                proptest::prop_assert_eq!(lanes.peek(), expected_front);
            }
        }
    }
}
