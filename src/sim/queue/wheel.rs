//! Frames in flight, by the microsecond they arrive: a ring of [`WINDOW`] buckets, one per
//! microsecond, and a bitmap of the buckets that hold any. A frame arrives at most a crossing
//! (latency plus serialisation, about 11 ms on the default world's slowest link) after it is
//! sent, so nearly every arrival fits the window; finding the next one is a few bit scans
//! instead of a heap's sifting.
//!
//! Every entry lies in `[floor, floor + WINDOW)`, where `floor` is the time of the item the
//! queue gave out last, so the buckets from `floor`'s, round the ring, are in time order. One
//! bucket holds one microsecond, and entries join it in the order they were scheduled, which
//! is their sequence order: the front of the first full bucket is the earliest entry.

use std::collections::VecDeque;

use super::EventId;
use crate::sim::time::SimTime;

/// Buckets in the ring: microseconds ahead of `floor` an entry may be due.
pub(super) const WINDOW: usize = 1 << 14;
const WORD_BITS: usize = u64::BITS as usize;
/// Words of the bitmap of full buckets.
const WORDS: usize = WINDOW / WORD_BITS;
/// Emptied buckets kept for reuse, and the most room one may keep.
const SPARES: usize = 64;
const SPARE_CAPACITY: usize = 8;

/// The arrivals waiting, in their buckets.
#[derive(Clone, Debug)]
pub(super) struct Wheel {
    /// Empty until the first entry, then [`WINDOW`] buckets.
    buckets: Vec<VecDeque<EventId>>,
    /// Bit `b` of word `b / 64`: bucket `b` holds an entry.
    full: Vec<u64>,
    /// Bit `w` of word `w / 64`: word `w` of `full` has a bit set.
    summary: [u64; WORDS / WORD_BITS],
    /// The time of the item the queue gave out last: no entry is earlier.
    floor: SimTime,
    /// The first full bucket from `floor`'s, round the ring: where the earliest entry is.
    earliest: Option<usize>,
    /// Small emptied buckets, for the next buckets that fill: most hold one or two frames, and
    /// a fresh allocation per frame would cost more than the wheel's own work.
    spare: Vec<VecDeque<EventId>>,
}

impl Default for Wheel {
    fn default() -> Self {
        Wheel {
            buckets: Vec::new(),
            full: Vec::new(),
            summary: [0; WORDS / WORD_BITS],
            floor: SimTime::ZERO,
            earliest: None,
            spare: Vec::new(),
        }
    }
}

impl Wheel {
    /// Whether an entry due at `at` can wait in the ring.
    pub(super) fn accepts(&self, at: SimTime) -> bool {
        at >= self.floor && at.as_micros() - self.floor.as_micros() < WINDOW as u64
    }

    /// Adds an entry [`accepts`](Self::accepts) took, after those already due at its time.
    pub(super) fn push(&mut self, entry: EventId) {
        if self.buckets.is_empty() {
            self.buckets = (0..WINDOW).map(|_| VecDeque::new()).collect();
            self.full = vec![0; WORDS];
        }
        let bucket = bucket_of(entry.at);
        let slot = &mut self.buckets[bucket];
        if slot.capacity() == 0 {
            if let Some(spare) = self.spare.pop() {
                *slot = spare;
            }
        }
        slot.push_back(entry);
        self.full[bucket / WORD_BITS] |= 1 << (bucket % WORD_BITS);
        self.summary[bucket / WORD_BITS / WORD_BITS] |= 1 << (bucket / WORD_BITS % WORD_BITS);
        let start = bucket_of(self.floor);
        let ahead = |bucket: usize| (bucket + WINDOW - start) % WINDOW;
        if self
            .earliest
            .is_none_or(|earliest| ahead(bucket) < ahead(earliest))
        {
            self.earliest = Some(bucket);
        }
    }

    /// The earliest entry.
    pub(super) fn peek(&self) -> Option<EventId> {
        self.buckets[self.earliest?].front().copied()
    }

    /// Takes the earliest entry out.
    pub(super) fn pop(&mut self) -> Option<EventId> {
        let bucket = self.earliest?;
        let entry = self.buckets[bucket].pop_front();
        if self.buckets[bucket].is_empty() {
            // A burst of frames due at one microsecond must not hold its room for good: every
            // bucket is used again and again, and all of them would keep their largest burst.
            // A few small ones wait in `spare` instead.
            let emptied = std::mem::take(&mut self.buckets[bucket]);
            if emptied.capacity() <= SPARE_CAPACITY && self.spare.len() < SPARES {
                self.spare.push(emptied);
            }
            let word = bucket / WORD_BITS;
            self.full[word] &= !(1 << (bucket % WORD_BITS));
            if self.full[word] == 0 {
                self.summary[word / WORD_BITS] &= !(1 << (word % WORD_BITS));
            }
            self.earliest = self.first_full();
        }
        entry
    }

    /// The queue gave out an item due at `at`, the earliest of all: no entry is earlier, so
    /// the order of the buckets from the new floor's is the same.
    pub(super) fn advance_to(&mut self, at: SimTime) {
        self.floor = self.floor.max(at);
    }

    /// The first full bucket from `floor`'s, round the ring.
    fn first_full(&self) -> Option<usize> {
        if self.full.is_empty() {
            return None;
        }
        let start = bucket_of(self.floor);
        self.first_full_from(start)
            .or_else(|| self.first_full_from(0).filter(|&bucket| bucket < start))
    }

    /// The first full bucket at `start` or after it, up to the end of the ring.
    fn first_full_from(&self, start: usize) -> Option<usize> {
        let word = start / WORD_BITS;
        let bits = self.full[word] & (u64::MAX << (start % WORD_BITS));
        if bits != 0 {
            return Some(word * WORD_BITS + bits.trailing_zeros() as usize);
        }
        let next_word = self.first_full_word_from(word + 1)?;
        Some(next_word * WORD_BITS + self.full[next_word].trailing_zeros() as usize)
    }

    /// The first word of `full` with a bit set, at `start` or after it.
    fn first_full_word_from(&self, start: usize) -> Option<usize> {
        if start >= WORDS {
            return None;
        }
        let first = start / WORD_BITS;
        let masked = self.summary[first] & (u64::MAX << (start % WORD_BITS));
        std::iter::once(masked)
            .chain(self.summary[first + 1..].iter().copied())
            .enumerate()
            .find(|&(_, bits)| bits != 0)
            .map(|(offset, bits)| (first + offset) * WORD_BITS + bits.trailing_zeros() as usize)
    }
}

fn bucket_of(at: SimTime) -> usize {
    (at.as_micros() % WINDOW as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(micros: u64, sequence: u64) -> EventId {
        EventId {
            at: SimTime::from_micros(micros),
            sequence,
            slot: sequence as u32,
        }
    }

    fn drain(wheel: &mut Wheel) -> Vec<u64> {
        std::iter::from_fn(|| wheel.pop())
            .map(|entry| entry.sequence)
            .collect()
    }

    #[test]
    fn small_emptied_buckets_are_reused_and_a_burst_gives_its_room_back() {
        let mut wheel = Wheel::default();
        for sequence in 0..200 {
            wheel.push(entry(sequence, sequence));
        }
        assert_eq!(drain(&mut wheel), (0..200).collect::<Vec<_>>());
        assert_eq!(wheel.spare.len(), SPARES, "no more than SPARES are kept");
        for sequence in 200..210 {
            wheel.push(entry(300 + sequence, sequence));
        }
        assert_eq!(
            wheel.spare.len(),
            SPARES - 10,
            "each new bucket took a spare"
        );
        assert_eq!(drain(&mut wheel), (200..210).collect::<Vec<_>>());

        // A hundred frames due at one microsecond: the big bucket is dropped once empty.
        let spares = wheel.spare.len();
        for sequence in 0..100 {
            wheel.push(entry(1_000, 1_000 + sequence));
        }
        assert_eq!(drain(&mut wheel), (1_000..1_100).collect::<Vec<_>>());
        assert_eq!(wheel.spare.len(), spares - 1);
        assert!(wheel.spare.iter().all(|d| d.capacity() <= SPARE_CAPACITY));
        assert!(wheel.buckets.iter().all(|d| d.capacity() == 0));
    }
}
