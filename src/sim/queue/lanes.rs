//! Frames in flight, in the order they arrive: one first-in first-out lane per sender, and a
//! heap of the lanes' fronts.
//!
//! An interface sends one frame at a time, and every frame it sends crosses the same link, so
//! its frames arrive in the order it sent them: a lane only ever grows at the back and is
//! taken from the front, and the earliest frame of all is the earliest of the lanes' fronts.
//! The heap holds one entry per lane that holds any, a few dozen in the default world, where a
//! heap of every frame in flight would hold thousands.
//!
//! A lane only takes an entry that comes no earlier than its last one
//! ([`Lanes::accepts`]); anything else (a link made faster while frames are still on it, two
//! senders given one lane) goes to the queue's heap instead, so the order never depends on
//! which lane a caller picked.

use std::collections::binary_heap::PeekMut;
use std::collections::{BinaryHeap, VecDeque};

use super::EventId;

/// The arrivals waiting, in their lanes.
#[derive(Clone, Debug, Default)]
pub(super) struct Lanes {
    lanes: Vec<VecDeque<EventId>>,
    /// `(key of the front entry, lane)` of every lane that holds an entry, earliest on top.
    fronts: BinaryHeap<std::cmp::Reverse<(u128, u32)>>,
}

impl Lanes {
    /// Whether `entry` can wait in `lane`: it comes after every entry already there.
    pub(super) fn accepts(&self, lane: usize, entry: EventId) -> bool {
        u32::try_from(lane).is_ok()
            && self
                .lanes
                .get(lane)
                .and_then(VecDeque::back)
                .is_none_or(|last| last.key() < entry.key())
    }

    /// Adds an entry [`accepts`](Self::accepts) took, at the back of its lane.
    pub(super) fn push(&mut self, lane: usize, entry: EventId) {
        if self.lanes.len() <= lane {
            self.lanes.resize_with(lane + 1, VecDeque::new);
        }
        let queue = &mut self.lanes[lane];
        if queue.is_empty() {
            // `accepts` checked the lane number fits.
            self.fronts
                .push(std::cmp::Reverse((entry.key(), lane as u32)));
        }
        queue.push_back(entry);
    }

    /// The earliest entry.
    pub(super) fn peek(&self) -> Option<EventId> {
        let std::cmp::Reverse((_, lane)) = self.fronts.peek()?;
        self.lanes[*lane as usize].front().copied()
    }

    /// Takes the earliest entry out.
    pub(super) fn pop(&mut self) -> Option<EventId> {
        let mut top = self.fronts.peek_mut()?;
        let lane = top.0 .1;
        let queue = &mut self.lanes[lane as usize];
        let entry = queue.pop_front();
        match queue.front() {
            Some(next) => top.0 = (next.key(), lane),
            None => {
                PeekMut::pop(top);
            }
        }
        entry
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
            assert!(lanes.accepts(lane, entry(micros, sequence)));
            lanes.push(lane, entry(micros, sequence));
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
        lanes.push(2, entry(10, 5));
        assert!(!lanes.accepts(2, entry(9, 6)), "earlier in time");
        assert!(
            !lanes.accepts(2, entry(10, 4)),
            "same time, earlier sequence"
        );
        assert!(lanes.accepts(2, entry(10, 6)));
        assert!(lanes.accepts(1, entry(1, 7)), "another lane is free");
        assert!(
            !lanes.accepts(usize::MAX, entry(11, 8)),
            "no such lane number"
        );
    }
}
