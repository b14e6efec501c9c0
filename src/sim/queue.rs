//! The world's event queue: what happens next, in virtual time.
//!
//! Items come out ordered by `(time, sequence number)`, the shape turmoil's scheduler uses:
//! the sequence number grows with every `schedule`, so two items due at the same microsecond
//! come out in the order they were scheduled, never in an order a hash or an allocator chose
//! (docs/ARCHITECTURE.md rule 2).
//!
//! The queue is a `BTreeMap` keyed by `(time, sequence)`. Cancelling (a TCP retransmission
//! timer stopped by an ACK, an SMTP retry made moot) removes the item at once, so `len`,
//! `peek_time` and `iter` never see cancelled work.

use std::collections::BTreeMap;

use super::time::SimTime;

/// The ticket `schedule` returns, to cancel that item later. Not a position in the event
/// log: it names work still to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    at: SimTime,
    sequence: u64,
}

impl EventId {
    /// When the item is due.
    pub fn at(self) -> SimTime {
        self.at
    }
}

/// Pending items of type `T`, each due at a [`SimTime`].
#[derive(Clone, Debug)]
pub struct EventQueue<T> {
    pending: BTreeMap<EventId, T>,
    next_sequence: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            pending: BTreeMap::new(),
            next_sequence: 0,
        }
    }
}

impl<T> EventQueue<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, due at `at`. Among items due at the same time it comes out last.
    pub fn schedule(&mut self, at: SimTime, item: T) -> EventId {
        let id = EventId {
            at,
            sequence: self.next_sequence,
        };
        self.next_sequence += 1;
        self.pending.insert(id, item);
        id
    }

    /// Removes a pending item and gives it back; `None` if it already ran or was cancelled.
    pub fn cancel(&mut self, id: EventId) -> Option<T> {
        self.pending.remove(&id)
    }

    /// When the next item is due, if any: where `step()` jumps the clock to.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.pending.first_key_value().map(|(id, _)| id.at)
    }

    /// The earliest item, with its time.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        self.pending.pop_first().map(|(id, item)| (id.at, item))
    }

    /// The earliest item if it is due no later than `limit`: the loop of `run_until(limit)`.
    pub fn pop_due(&mut self, limit: SimTime) -> Option<(SimTime, T)> {
        match self.peek_time() {
            Some(at) if at <= limit => self.pop(),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Pending items in the order they will come out, for snapshots.
    pub fn iter(&self) -> impl Iterator<Item = (SimTime, &T)> {
        self.pending.iter().map(|(id, item)| (id.at, item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(micros: u64) -> SimTime {
        SimTime::from_micros(micros)
    }

    fn drain<T>(queue: &mut EventQueue<T>) -> Vec<(u64, T)> {
        std::iter::from_fn(|| queue.pop())
            .map(|(time, item)| (time.as_micros(), item))
            .collect()
    }

    #[test]
    fn items_come_out_in_time_order() {
        let mut queue = EventQueue::new();
        queue.schedule(at(30), "retry");
        queue.schedule(at(10), "syn");
        queue.schedule(at(20), "syn-ack");
        assert_eq!(
            drain(&mut queue),
            [(10, "syn"), (20, "syn-ack"), (30, "retry")]
        );
    }

    #[test]
    fn ties_break_by_insertion_order() {
        let mut queue = EventQueue::new();
        for name in ["first", "second", "third"] {
            queue.schedule(at(5), name);
        }
        queue.schedule(at(1), "earlier");
        queue.schedule(at(5), "fourth");
        assert_eq!(
            drain(&mut queue),
            [
                (1, "earlier"),
                (5, "first"),
                (5, "second"),
                (5, "third"),
                (5, "fourth")
            ]
        );
    }

    #[test]
    fn a_cancelled_item_never_comes_out() {
        let mut queue = EventQueue::new();
        queue.schedule(at(1), "ack");
        let timer = queue.schedule(at(2), "retransmit");
        queue.schedule(at(3), "fin");
        assert_eq!(queue.cancel(timer), Some("retransmit"));
        assert_eq!(queue.len(), 2);
        assert_eq!(drain(&mut queue), [(1, "ack"), (3, "fin")]);
    }

    #[test]
    fn cancelling_twice_or_after_running_does_nothing() {
        let mut queue = EventQueue::new();
        let ran = queue.schedule(at(1), 'a');
        let cancelled = queue.schedule(at(2), 'b');
        assert_eq!(queue.pop(), Some((at(1), 'a')));
        assert_eq!(queue.cancel(ran), None);
        assert_eq!(queue.cancel(cancelled), Some('b'));
        assert_eq!(queue.cancel(cancelled), None);
        assert!(queue.is_empty());
    }

    #[test]
    fn peek_time_skips_cancelled_items() {
        let mut queue = EventQueue::new();
        let early = queue.schedule(at(1), ());
        queue.schedule(at(9), ());
        assert_eq!(queue.peek_time(), Some(at(1)));
        queue.cancel(early);
        assert_eq!(queue.peek_time(), Some(at(9)));
        assert_eq!(EventQueue::<()>::new().peek_time(), None);
    }

    #[test]
    fn pop_due_stops_at_the_limit_inclusive() {
        let mut queue = EventQueue::new();
        queue.schedule(at(10), 'a');
        queue.schedule(at(20), 'b');
        assert_eq!(queue.pop_due(at(9)), None);
        assert_eq!(queue.pop_due(at(10)), Some((at(10), 'a')));
        assert_eq!(queue.pop_due(at(19)), None);
        assert_eq!(queue.len(), 1);
    }

    #[test]
    fn ids_remember_when_their_item_is_due() {
        let mut queue = EventQueue::new();
        let id = queue.schedule(at(42), ());
        assert_eq!(id.at(), at(42));
        assert_ne!(id, queue.schedule(at(42), ()));
    }

    #[test]
    fn iter_shows_pending_items_in_pop_order() {
        let mut queue = EventQueue::new();
        queue.schedule(at(2), 'b');
        queue.schedule(at(1), 'a');
        queue.schedule(at(2), 'c');
        let shown: Vec<_> = queue.iter().map(|(t, c)| (t.as_micros(), *c)).collect();
        assert_eq!(shown, drain(&mut queue));
    }

    #[test]
    fn the_same_schedule_gives_the_same_order_every_time() {
        let run = || {
            let mut rng = crate::sim::rng::SimRng::new(77);
            let mut queue = EventQueue::new();
            for item in 0..500u32 {
                queue.schedule(at(u64::from(rng.below(50))), item);
            }
            drain(&mut queue)
        };
        let first = run();
        assert_eq!(first, run());
        assert!(first.windows(2).all(|pair| pair[0] <= pair[1]));
    }
}
