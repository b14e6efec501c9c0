//! The world's event queue: what happens next, in virtual time.
//!
//! Items come out ordered by `(time, sequence number)`, the shape turmoil's scheduler uses:
//! the sequence number grows with every `schedule`, so two items due at the same microsecond
//! come out in the order they were scheduled, never in an order a hash or an allocator chose
//! (docs/ARCHITECTURE.md rule 2).
//!
//! A heap with four children per node orders `(time, sequence, slot)` entries (half the depth
//! of a binary heap; the world pops one entry per frame, so this is its busiest structure); the
//! items themselves wait in a slab of reusable slots, so scheduling and popping allocate
//! nothing once the slab has grown.
//! Cancelling (a TCP retransmission timer stopped by an ACK, an SMTP retry made moot) empties
//! the item's slot at once; its heap entry, which no longer matches a live slot, is skipped
//! when it reaches the top. The top of the heap is always live, so `len`, `peek_time` and
//! `iter` never see cancelled work.

use super::time::SimTime;

/// Stale heap entries tolerated beyond the live ones before a sweep: small heaps are not
/// worth sweeping.
const STALE_SWEEP_MIN: usize = 64;

/// The ticket `schedule` returns, to cancel that item later. Not a position in the event
/// log: it names work still to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId {
    at: SimTime,
    sequence: u64,
    /// Where the item waits in the slab.
    slot: u32,
}

impl EventId {
    /// When the item is due.
    pub fn at(self) -> SimTime {
        self.at
    }

    /// The order items come out in, as one number: time, then sequence (which is unique).
    fn key(self) -> u128 {
        u128::from(self.at.as_micros()) << 64 | u128::from(self.sequence)
    }
}

/// Children per node of the heap.
const ARITY: usize = 4;

/// A min-heap of [`EventId`]s by [`EventId::key`], four children per node.
#[derive(Clone, Debug, Default)]
struct QuadHeap {
    entries: Vec<EventId>,
}

impl QuadHeap {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn peek(&self) -> Option<EventId> {
        self.entries.first().copied()
    }

    fn push(&mut self, entry: EventId) {
        self.entries.push(entry);
        let mut index = self.entries.len() - 1;
        let key = entry.key();
        while index > 0 {
            let parent = (index - 1) / ARITY;
            if self.entries[parent].key() <= key {
                break;
            }
            self.entries[index] = self.entries[parent];
            index = parent;
        }
        self.entries[index] = entry;
    }

    fn pop(&mut self) -> Option<EventId> {
        let last = self.entries.pop()?;
        let Some(&top) = self.entries.first() else {
            return Some(last);
        };
        self.sift_down(0, last);
        Some(top)
    }

    /// Puts `entry` at `index` or below it, moving smaller children up.
    fn sift_down(&mut self, mut index: usize, entry: EventId) {
        let key = entry.key();
        let len = self.entries.len();
        loop {
            let first = index * ARITY + 1;
            if first >= len {
                break;
            }
            let mut smallest = first;
            let mut smallest_key = self.entries[first].key();
            for child in first + 1..(first + ARITY).min(len) {
                let child_key = self.entries[child].key();
                if child_key < smallest_key {
                    smallest = child;
                    smallest_key = child_key;
                }
            }
            if key <= smallest_key {
                break;
            }
            self.entries[index] = self.entries[smallest];
            index = smallest;
        }
        self.entries[index] = entry;
    }

    /// Keeps the entries `keep` accepts, and restores the heap order.
    fn retain(&mut self, keep: impl FnMut(&EventId) -> bool) {
        self.entries.retain(keep);
        if self.entries.len() > 1 {
            for index in (0..=(self.entries.len() - 2) / ARITY).rev() {
                let entry = self.entries[index];
                self.sift_down(index, entry);
            }
        }
    }

    fn iter(&self) -> impl Iterator<Item = EventId> + '_ {
        self.entries.iter().copied()
    }
}

/// One place in the slab: the item scheduled with `sequence`, or `None` once it ran or was
/// cancelled (the slot is then free for reuse).
#[derive(Clone, Debug)]
struct Slot<T> {
    sequence: u64,
    item: Option<T>,
}

/// Pending items of type `T`, each due at a [`SimTime`].
#[derive(Clone, Debug)]
pub struct EventQueue<T> {
    /// Earliest first; entries whose slot no longer holds their sequence are stale.
    heap: QuadHeap,
    slots: Vec<Slot<T>>,
    free_slots: Vec<u32>,
    live: usize,
    next_sequence: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            heap: QuadHeap::default(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            live: 0,
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
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let filled = Slot {
            sequence,
            item: Some(item),
        };
        let slot = match self.free_slots.pop() {
            Some(slot) => {
                self.slots[slot as usize] = filled;
                slot
            }
            None => {
                self.slots.push(filled);
                u32::try_from(self.slots.len() - 1).expect("fewer than 2^32 items pending")
            }
        };
        let id = EventId { at, sequence, slot };
        self.heap.push(id);
        self.live += 1;
        id
    }

    /// Removes a pending item and gives it back; `None` if it already ran or was cancelled.
    pub fn cancel(&mut self, id: EventId) -> Option<T> {
        let item = self.take(id)?;
        self.drop_stale_top();
        // Timers are cancelled far more often than they fire (every ACK moves the
        // retransmission timer): once stale entries outnumber live ones, sweep them out so
        // the heap stays as small as the work it holds.
        if self.heap.len() > 2 * self.live + STALE_SWEEP_MIN {
            let slots = &self.slots;
            self.heap.retain(|id| is_live(slots, *id));
        }
        Some(item)
    }

    /// When the next item is due, if any: where `step()` jumps the clock to.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|id| id.at)
    }

    /// The earliest item, with its time.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        let id = self.heap.pop()?;
        let item = self
            .take(id)
            .expect("the top of the heap is always a live item");
        self.drop_stale_top();
        Some((id.at, item))
    }

    /// The earliest item if it is due no later than `limit`: the loop of `run_until(limit)`.
    pub fn pop_due(&mut self, limit: SimTime) -> Option<(SimTime, T)> {
        match self.peek_time() {
            Some(at) if at <= limit => self.pop(),
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Pending items in the order they will come out, for snapshots.
    pub fn iter(&self) -> impl Iterator<Item = (SimTime, &T)> {
        let mut ids: Vec<EventId> = self
            .heap
            .iter()
            .filter(|&id| is_live(&self.slots, id))
            .collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(move |id| {
            let item = self.slots[id.slot as usize].item.as_ref()?;
            Some((id.at, item))
        })
    }

    /// Empties the item's slot (if it is still the one `id` names) and frees the slot.
    fn take(&mut self, id: EventId) -> Option<T> {
        let slot = self.slots.get_mut(id.slot as usize)?;
        if slot.sequence != id.sequence {
            return None;
        }
        let item = slot.item.take()?;
        self.free_slots.push(id.slot);
        self.live -= 1;
        Some(item)
    }

    /// Pops heap entries of cancelled items until the top is live (or the heap is empty).
    fn drop_stale_top(&mut self) {
        while let Some(id) = self.heap.peek() {
            if is_live(&self.slots, id) {
                break;
            }
            self.heap.pop();
        }
    }
}

/// Whether `id` still names the item in its slot (neither run nor cancelled).
fn is_live<T>(slots: &[Slot<T>], id: EventId) -> bool {
    slots
        .get(id.slot as usize)
        .is_some_and(|slot| slot.sequence == id.sequence && slot.item.is_some())
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
    fn an_old_ticket_never_cancels_the_item_that_reused_its_slot() {
        let mut queue = EventQueue::new();
        let old = queue.schedule(at(5), "timer");
        assert_eq!(queue.cancel(old), Some("timer"));
        let new = queue.schedule(at(5), "new timer");
        assert_eq!(queue.cancel(old), None);
        assert_eq!(queue.len(), 1);
        assert_eq!(queue.cancel(new), Some("new timer"));
        assert!(queue.is_empty());
        assert_eq!(queue.peek_time(), None);
    }

    #[test]
    fn cancelling_items_below_the_top_keeps_the_order() {
        let mut queue = EventQueue::new();
        let ids: Vec<EventId> = (0..20u64).map(|i| queue.schedule(at(i % 7), i)).collect();
        for id in ids.iter().skip(1).step_by(3) {
            queue.cancel(*id);
        }
        let expected: Vec<(u64, u64)> = {
            let mut kept: Vec<(u64, u64)> = (0..20u64)
                .filter(|i| i % 3 != 1)
                .map(|i| (i % 7, i))
                .collect();
            kept.sort();
            kept
        };
        assert_eq!(queue.len(), expected.len());
        let shown: Vec<(u64, u64)> = queue.iter().map(|(t, &i)| (t.as_micros(), i)).collect();
        assert_eq!(shown, expected);
        assert_eq!(drain(&mut queue), expected);
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

    proptest::proptest! {
        /// Any mix of scheduling, cancelling and popping gives what an ordered map of
        /// `(time, sequence)` gives.
        #[test]
        fn prop_the_queue_behaves_like_an_ordered_map(
            steps in proptest::collection::vec((0u8..3, 0u64..40, 0usize..64), 0..300)
        ) {
            let mut queue = EventQueue::new();
            let mut model = std::collections::BTreeMap::new();
            let mut ids = Vec::new();
            for (number, (action, time, pick)) in steps.into_iter().enumerate() {
                match action {
                    0 => {
                        let id = queue.schedule(at(time), number);
                        model.insert((time, number), number);
                        ids.push((id, (time, number)));
                    }
                    1 if !ids.is_empty() => {
                        let (id, key) = ids[pick % ids.len()];
                        proptest::prop_assert_eq!(queue.cancel(id), model.remove(&key));
                    }
                    _ => {
                        let expected = model.pop_first().map(|((t, _), item)| (at(t), item));
                        proptest::prop_assert_eq!(queue.pop(), expected);
                    }
                }
                proptest::prop_assert_eq!(queue.len(), model.len());
                proptest::prop_assert_eq!(
                    queue.peek_time(),
                    model.keys().next().map(|&(t, _)| at(t))
                );
            }
            let shown: Vec<usize> = queue.iter().map(|(_, &item)| item).collect();
            let expected: Vec<usize> = model.values().copied().collect();
            proptest::prop_assert_eq!(shown, expected);
        }
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
