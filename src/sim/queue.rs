//! The world's event queue: what happens next, in virtual time.
//!
//! Items come out ordered by `(time, sequence number)`, the shape turmoil's scheduler uses:
//! the sequence number grows with every `schedule`, so two items due at the same microsecond
//! come out in the order they were scheduled, never in an order a hash or an allocator chose
//! (docs/ARCHITECTURE.md rule 2).
//!
//! The items wait in a slab of reusable slots, so scheduling and popping allocate nothing once
//! the slab has grown. Frames arriving, one per frame and so the busiest part, wait in one
//! first-in first-out lane per sending interface (module `lanes`), as an interface's frames
//! arrive in the order it sent them: finding the next is a look at the end of the lanes'
//! fronts, kept sorted. Timers wait in a heap with four children per node (half the depth of
//! a binary heap) of `(time, sequence, slot)` entries, with the rare arrival that comes before
//! one already in its lane. `pop` takes the earlier of the two fronts.
//!
//! Cancelling (a TCP retransmission timer stopped by an ACK, an SMTP retry made moot) empties
//! the item's slot at once; its entry, which no longer matches a live slot, is skipped when it
//! reaches the front. Moving a pending item later ([`EventQueue::reschedule`]) only changes its
//! slot; its old entry goes back into the heap with the new key when it reaches the front.
//! Both fronts are always due as they stand, so `len`, `peek_time` and `iter` never see
//! cancelled or moved work; as a cancel or a move changes one slot, only a front that stands
//! for that slot needs a look afterwards.

use super::time::SimTime;

mod lanes;

use lanes::Lanes;

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
        self.sift_up(self.entries.len() - 1, entry);
    }

    /// Puts `entry` at `index` or above it, moving larger parents down.
    fn sift_up(&mut self, mut index: usize, entry: EventId) {
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
        self.replace_top(last);
        Some(top)
    }

    /// Takes the top out and puts `entry` in: the hole the top leaves moves down along the
    /// smallest children to the bottom, then `entry` moves up from there. What goes in at
    /// the top (the heap's last entry, a timer moved later) mostly belongs near the bottom,
    /// so this spares comparing it at every level on the way down.
    fn replace_top(&mut self, entry: EventId) {
        let mut hole = 0;
        while let Some((child, _)) = self.smallest_child(hole) {
            self.entries[hole] = self.entries[child];
            hole = child;
        }
        self.sift_up(hole, entry);
    }

    /// Puts `entry` at `index` or below it, moving smaller children up.
    fn sift_down(&mut self, mut index: usize, entry: EventId) {
        let key = entry.key();
        while let Some((child, child_key)) = self.smallest_child(index) {
            if key <= child_key {
                break;
            }
            self.entries[index] = self.entries[child];
            index = child;
        }
        self.entries[index] = entry;
    }

    /// The child of `index` with the smallest key, and that key, if `index` has children.
    fn smallest_child(&self, index: usize) -> Option<(usize, u128)> {
        let first = index * ARITY + 1;
        let children = self.entries.get(first..)?;
        let (offset, key) = match children.first_chunk::<ARITY>() {
            // Every node but the last has all its children: a fixed number of comparisons.
            Some(all) => smallest_key(all),
            None => smallest_key(children),
        }?;
        Some((first + offset, key))
    }

    /// Takes `entries` in any order and restores the heap order.
    fn rebuild(&mut self, entries: Vec<EventId>) {
        self.entries = entries;
        if self.entries.len() > 1 {
            for index in (0..=(self.entries.len() - 2) / ARITY).rev() {
                let entry = self.entries[index];
                self.sift_down(index, entry);
            }
        }
    }
}

/// The position and the key of the smallest of `entries`, if there are any.
fn smallest_key(entries: &[EventId]) -> Option<(usize, u128)> {
    entries
        .iter()
        .map(|entry| entry.key())
        .enumerate()
        .min_by_key(|&(_, key)| key)
}

/// One place in the slab: the item scheduled with `sequence` for `at`, or `None` once it ran
/// or was cancelled (the slot is then free for reuse). `entry_at` and `entry_sequence` are the
/// key of the entry (in the heap or a lane) that stands for the item: its own key, or an
/// earlier one it was moved on from. Every entry takes a sequence number no other entry has,
/// so `entry_sequence` alone tells that entry from any other. `entry_in_lane` tells where
/// that entry waits: in a lane, or in the heap.
#[derive(Clone, Debug)]
struct Slot<T> {
    at: SimTime,
    sequence: u64,
    entry_at: SimTime,
    entry_sequence: u64,
    entry_in_lane: bool,
    item: Option<T>,
}

impl<T> Slot<T> {
    /// Whether the entry that stands for the item waits in a lane with the item's own key:
    /// cancelling or moving the item then makes one more lane entry stale.
    fn entry_due_in_lane(&self) -> bool {
        self.entry_in_lane && self.sequence == self.entry_sequence
    }
}

/// What a heap entry stands for, now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EntryState {
    /// Its item is due at exactly this key.
    Due,
    /// Its item was moved to a later key: the entry goes back into the heap with that key.
    Moved(EventId),
    /// Its item ran, was cancelled, or is stood for by another entry.
    Stale,
}

/// Pending items of type `T`, each due at a [`SimTime`].
///
/// Arrivals wait in [`Lanes`], one per sender, timers (and the rare arrival that would come
/// before one already in its lane) in a heap; both share one sequence, and `pop` takes the earlier of
/// their fronts, so items come out in the order one heap would give.
///
/// A timer that moves later ([`EventQueue::reschedule`], every ACK moves the retransmission
/// timer) keeps its entry: the item takes its new key in its slot, and only when the old
/// entry reaches the front does it go back into the heap with that key. As an entry never
/// comes before the key of its item, the items still come out in exactly the order of their
/// keys.
#[derive(Clone, Debug)]
pub struct EventQueue<T> {
    /// Earliest first; the front of each is always [`EntryState::Due`].
    timers: QuadHeap,
    arrivals: Lanes,
    slots: Vec<Slot<T>>,
    free_slots: Vec<u32>,
    live: usize,
    /// Entries in the lanes that no longer stand due for their item (it was cancelled or
    /// moved): while there are none, the lanes' front needs no look after a change.
    stale_in_lanes: usize,
    next_sequence: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            timers: QuadHeap::default(),
            arrivals: Lanes::default(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            live: 0,
            stale_in_lanes: 0,
            next_sequence: 0,
        }
    }
}

impl<T> EventQueue<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, due at `at`: a timer, which may be moved or cancelled. Among items due
    /// at the same time it comes out last.
    pub fn schedule(&mut self, at: SimTime, item: T) -> EventId {
        let id = self.fill_slot(at, item);
        self.timers.push(id);
        id
    }

    /// Adds `item`, due at `at`: an arrival, due soon and seldom cancelled (a frame reaching
    /// its receiver), in `lane`, where items are mostly due in the order they are scheduled
    /// (the frames one interface sends). It comes out among timers exactly as if it were one,
    /// whatever the lane.
    pub fn schedule_arrival(&mut self, at: SimTime, lane: usize, item: T) -> EventId {
        let id = self.fill_slot(at, item);
        if self.arrivals.push_in_order(lane, id) {
            self.slots[id.slot as usize].entry_in_lane = true;
        } else {
            self.timers.push(id);
        }
        id
    }

    fn fill_slot(&mut self, at: SimTime, item: T) -> EventId {
        let sequence = self.take_sequence();
        let filled = Slot {
            at,
            sequence,
            entry_at: at,
            entry_sequence: sequence,
            entry_in_lane: false,
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
        self.live += 1;
        EventId { at, sequence, slot }
    }

    /// Moves a pending item to `at`, exactly as if it were cancelled and scheduled anew (it
    /// comes out last among the items due at `at` so far); `None`, and nothing changes, if
    /// it already ran or was cancelled.
    pub fn reschedule(&mut self, id: EventId, at: SimTime) -> Option<EventId> {
        let sequence = self.next_sequence;
        let slot = self.live_slot_mut(id)?;
        let lane_entry_goes_stale = slot.entry_due_in_lane();
        // The new sequence number is the largest yet, so only an earlier time comes before
        // the entry.
        let earlier_than_entry = at < slot.entry_at;
        slot.at = at;
        slot.sequence = sequence;
        self.take_sequence();
        if lane_entry_goes_stale {
            self.stale_in_lanes += 1;
        }
        let moved = EventId {
            at,
            sequence,
            slot: id.slot,
        };
        if earlier_than_entry {
            self.set_entry(moved);
            self.timers.push(moved);
        }
        self.settle_fronts_of(id.slot);
        Some(moved)
    }

    /// Removes a pending item and gives it back; `None` if it already ran or was cancelled.
    pub fn cancel(&mut self, id: EventId) -> Option<T> {
        let item = self.take(id)?;
        if self.slots[id.slot as usize].entry_due_in_lane() {
            self.stale_in_lanes += 1;
        }
        self.settle_fronts_of(id.slot);
        // Timers are cancelled often (an SMTP reply timer whenever the session moves): once
        // stale entries outnumber live ones, sweep them out so the heap stays as small as the
        // work it holds. (A lane sheds its own as its frames arrive.)
        if self.timers.len() > 2 * self.live + STALE_SWEEP_MIN {
            self.sweep();
        }
        Some(item)
    }

    /// When the next item is due, if any: where `step()` jumps the clock to.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.next_front().map(|(_, id)| id.at)
    }

    /// The earliest item, with its time.
    pub fn pop(&mut self) -> Option<(SimTime, T)> {
        let (source, id) = self.next_front()?;
        match source {
            Front::Arrivals => self.arrivals.pop(),
            Front::Timers => self.timers.pop(),
        };
        let item = self
            .take(id)
            .expect("the front of the heap and of the lanes is always a live item");
        // Only the front taken from changed (settling the lanes puts only due entries into
        // the heap, which leaves its top due).
        match source {
            Front::Arrivals => self.settle_arrivals(),
            Front::Timers => self.settle_timers(),
        }
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
        let mut pending: Vec<(SimTime, u64, &T)> = self
            .slots
            .iter()
            .filter_map(|slot| Some((slot.at, slot.sequence, slot.item.as_ref()?)))
            .collect();
        pending.sort_unstable_by_key(|&(at, sequence, _)| (at, sequence));
        pending.into_iter().map(|(at, _, item)| (at, item))
    }

    /// Where the next item comes from, and its entry, if any item is pending.
    fn next_front(&self) -> Option<(Front, EventId)> {
        match (self.arrivals.peek(), self.timers.peek()) {
            (Some(arrival), Some(timer)) if timer.key() < arrival.key() => {
                Some((Front::Timers, timer))
            }
            (Some(arrival), _) => Some((Front::Arrivals, arrival)),
            (None, Some(timer)) => Some((Front::Timers, timer)),
            (None, None) => None,
        }
    }

    fn take_sequence(&mut self) -> u64 {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        sequence
    }

    /// The slot of the item `id` names, if that item is still pending.
    fn live_slot_mut(&mut self, id: EventId) -> Option<&mut Slot<T>> {
        self.slots
            .get_mut(id.slot as usize)
            .filter(|slot| slot.sequence == id.sequence && slot.item.is_some())
    }

    /// Empties the item's slot (if it is still the one `id` names) and frees the slot.
    fn take(&mut self, id: EventId) -> Option<T> {
        let item = self.live_slot_mut(id)?.item.take()?;
        self.free_slots.push(id.slot);
        self.live -= 1;
        Some(item)
    }

    fn entry_state(&self, entry: EventId) -> EntryState {
        let slot = &self.slots[entry.slot as usize];
        if slot.entry_sequence != entry.sequence || slot.item.is_none() {
            EntryState::Stale
        } else if slot.sequence == entry.sequence {
            EntryState::Due
        } else {
            EntryState::Moved(EventId {
                at: slot.at,
                sequence: slot.sequence,
                slot: entry.slot,
            })
        }
    }

    /// Makes `entry`, which waits in the heap, stand for its item from now on.
    fn set_entry(&mut self, entry: EventId) {
        let slot = &mut self.slots[entry.slot as usize];
        slot.entry_at = entry.at;
        slot.entry_sequence = entry.sequence;
        slot.entry_in_lane = false;
    }

    /// After the item in `slot` was cancelled or moved: settles the fronts that stood for it,
    /// the only ones that can have stopped being due (a front is always due before).
    fn settle_fronts_of(&mut self, slot: u32) {
        if self.arrivals.peek().is_some_and(|front| front.slot == slot) {
            self.settle_arrivals();
        }
        if self.timers.peek().is_some_and(|top| top.slot == slot) {
            self.settle_timers();
        }
    }

    /// Drops stale entries from the lanes' front, and puts moved ones into the heap with
    /// their new key, until the front is due (or the lanes are empty). Nothing to do while
    /// every entry in the lanes is due, the common case.
    fn settle_arrivals(&mut self) {
        if self.stale_in_lanes > 0 {
            self.drop_stale_arrivals();
        }
    }

    /// [`settle_arrivals`](Self::settle_arrivals) once some lane holds a stale entry.
    fn drop_stale_arrivals(&mut self) {
        while self.stale_in_lanes > 0 {
            let Some(front) = self.arrivals.peek() else {
                break;
            };
            let state = self.entry_state(front);
            if state == EntryState::Due {
                break;
            }
            self.arrivals.pop();
            self.stale_in_lanes -= 1;
            if let EntryState::Moved(moved) = state {
                self.timers.push(moved);
                self.set_entry(moved);
            }
        }
    }

    /// Drops stale entries from the top of the heap, and puts moved ones back with their new
    /// key, until the top is due (or the heap is empty).
    fn settle_timers(&mut self) {
        while let Some(top) = self.timers.peek() {
            match self.entry_state(top) {
                EntryState::Due => break,
                EntryState::Stale => {
                    self.timers.pop();
                }
                EntryState::Moved(moved) => {
                    self.timers.replace_top(moved);
                    self.set_entry(moved);
                }
            }
        }
    }

    /// Drops the heap's stale entries and gives moved ones their item's key, in one pass.
    fn sweep(&mut self) {
        let mut entries = std::mem::take(&mut self.timers.entries);
        entries.retain_mut(|entry| match self.entry_state(*entry) {
            EntryState::Due => true,
            EntryState::Moved(moved) => {
                self.set_entry(moved);
                *entry = moved;
                true
            }
            EntryState::Stale => false,
        });
        self.timers.rebuild(entries);
    }
}

/// Which front the next item comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Front {
    Arrivals,
    Timers,
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
    fn arrivals_and_timers_come_out_in_one_order() {
        let mut queue = EventQueue::new();
        queue.schedule(at(5), "timer at 5");
        queue.schedule_arrival(at(5), 0, "frame at 5");
        queue.schedule_arrival(at(2), 1, "frame at 2");
        queue.schedule(at(5), "second timer at 5");
        queue.schedule(at(1), "timer at 1");
        assert_eq!(queue.peek_time(), Some(at(1)));
        assert_eq!(
            drain(&mut queue),
            [
                (1, "timer at 1"),
                (2, "frame at 2"),
                (5, "timer at 5"),
                (5, "frame at 5"),
                (5, "second timer at 5")
            ]
        );
    }

    #[test]
    fn an_arrival_earlier_than_the_last_in_its_lane_still_comes_out_in_time_order() {
        let mut queue = EventQueue::new();
        queue.schedule_arrival(at(50), 0, "lane 0, late");
        queue.schedule_arrival(at(20), 0, "lane 0, earlier than the one before");
        queue.schedule_arrival(at(20), 1, "lane 1, same time, scheduled after");
        queue.schedule_arrival(at(50), 0, "lane 0, a tie with the first");
        queue.schedule(at(30), "timer");
        assert_eq!(
            queue.pop(),
            Some((at(20), "lane 0, earlier than the one before"))
        );
        queue.schedule_arrival(at(40), 0, "lane 0, after the pop");
        assert_eq!(
            drain(&mut queue),
            [
                (20, "lane 1, same time, scheduled after"),
                (30, "timer"),
                (40, "lane 0, after the pop"),
                (50, "lane 0, late"),
                (50, "lane 0, a tie with the first")
            ]
        );
    }

    #[test]
    fn arrivals_cancelled_or_moved_behind_the_front_of_their_lane_keep_the_order() {
        let mut queue = EventQueue::new();
        queue.schedule_arrival(at(10), 0, "first");
        let cancelled = queue.schedule_arrival(at(20), 0, "cancelled");
        let moved_later = queue.schedule_arrival(at(30), 0, "moved later");
        let moved_earlier = queue.schedule_arrival(at(40), 0, "moved earlier");
        queue.schedule_arrival(at(50), 0, "last");
        queue.schedule(at(35), "timer");
        assert_eq!(queue.cancel(cancelled), Some("cancelled"));
        assert!(queue.reschedule(moved_later, at(45)).is_some());
        assert!(queue.reschedule(moved_earlier, at(5)).is_some());
        assert_eq!(queue.len(), 5);
        assert_eq!(
            drain(&mut queue),
            [
                (5, "moved earlier"),
                (10, "first"),
                (35, "timer"),
                (45, "moved later"),
                (50, "last")
            ]
        );
    }

    #[test]
    fn a_moved_item_comes_out_as_if_scheduled_anew() {
        let mut queue = EventQueue::new();
        let timer = queue.schedule(at(5), "timer");
        queue.schedule(at(7), "frame");
        let later = queue.reschedule(timer, at(7)).unwrap();
        assert_eq!(later.at(), at(7));
        assert_eq!(queue.peek_time(), Some(at(7)));
        assert_eq!(
            queue.reschedule(timer, at(1)),
            None,
            "an old ticket moves nothing"
        );
        let earlier = queue.reschedule(later, at(3)).unwrap();
        queue.schedule(at(3), "tie");
        assert_eq!(queue.len(), 3);
        assert_eq!(drain(&mut queue), [(3, "timer"), (3, "tie"), (7, "frame")]);
        assert_eq!(queue.cancel(earlier), None);
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
        /// Any mix of scheduling, cancelling, moving and popping gives what an ordered map of
        /// `(time, sequence)` gives.
        #[test]
        fn prop_the_queue_behaves_like_an_ordered_map(
            steps in proptest::collection::vec((0u8..4, 0u64..40, 0usize..64), 0..300)
        ) {
            let mut queue = EventQueue::new();
            let mut model = std::collections::BTreeMap::new();
            let mut ids = Vec::new();
            for (number, (action, time, pick)) in steps.into_iter().enumerate() {
                // Some times far apart; arrivals in three lanes, each given items in and out
                // of order.
                let time = if pick % 3 == 0 { time * 1_499 } else { time };
                match action {
                    0 => {
                        let id = if pick % 2 == 0 {
                            queue.schedule(at(time), number)
                        } else {
                            queue.schedule_arrival(at(time), pick % 3, number)
                        };
                        model.insert((time, number), number);
                        ids.push((id, (time, number)));
                    }
                    1 if !ids.is_empty() => {
                        let (id, key) = ids[pick % ids.len()];
                        proptest::prop_assert_eq!(queue.cancel(id), model.remove(&key));
                    }
                    2 if !ids.is_empty() => {
                        let index = pick % ids.len();
                        let (id, key) = ids[index];
                        let moved = queue.reschedule(id, at(time));
                        proptest::prop_assert_eq!(moved.is_some(), model.contains_key(&key));
                        if let (Some(moved), Some(item)) = (moved, model.remove(&key)) {
                            model.insert((time, number), item);
                            ids[index] = (moved, (time, number));
                        }
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
