//! The world's one seeded random number generator (docs/ARCHITECTURE.md rule 2).
//!
//! The algorithm is PCG32 — PCG-XSH-RR with 64-bit state and 32-bit output — as published by
//! Melissa O'Neill in the PCG paper and the `pcg-c-basic` reference code (pcg-random.org).
//! Seeding follows `pcg32_srandom_r(seed, stream)` with the stream fixed at 54, the one the
//! reference demo uses, so `SimRng::new(42)` reproduces the published `pcg32-demo` output
//! exactly (see the tests). Bounded numbers use the demo's `pcg32_boundedrand_r` rejection
//! method, so they carry no modulo bias and match its published coin flips, dice and shuffle.
//!
//! Nothing here reads the OS or a clock: the same seed always gives the same world.

use std::fmt;
use std::ops::Range;

/// PCG's 64-bit LCG multiplier (Knuth's MMIX constant, as in the reference code).
const MULTIPLIER: u64 = 6_364_136_223_846_793_005;
/// The stream `pcg32-demo` selects; any value gives an independent sequence.
const STREAM: u64 = 54;

/// A deterministic pseudo-random source: PCG32 (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRng {
    state: u64,
    increment: u64,
}

impl SimRng {
    /// The generator for `seed`; equal seeds give equal sequences.
    pub fn new(seed: u64) -> SimRng {
        let mut rng = SimRng {
            state: 0,
            increment: (STREAM << 1) | 1,
        };
        rng.next_u32();
        rng.state = rng.state.wrapping_add(seed);
        rng.next_u32();
        rng
    }

    /// The next 32 uniformly distributed bits.
    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(MULTIPLIER).wrapping_add(self.increment);
        // XSH-RR: xorshift the high bits down, then rotate by the top five bits.
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rotation = (old >> 59) as u32;
        xorshifted.rotate_right(rotation)
    }

    /// The next 64 uniformly distributed bits: two draws, the first as the low half.
    pub fn next_u64(&mut self) -> u64 {
        let low = u64::from(self.next_u32());
        let high = u64::from(self.next_u32());
        (high << 32) | low
    }

    /// A uniform number in `0..bound` without modulo bias: draws below `2³² mod bound` are
    /// rejected, so every remainder is equally likely. `below(0)` is 0.
    pub fn below(&mut self, bound: u32) -> u32 {
        if bound == 0 {
            return 0;
        }
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let draw = self.next_u32();
            if draw >= threshold {
                return draw % bound;
            }
        }
    }

    /// A uniform number in `range` (half-open); an empty range gives its start.
    pub fn range(&mut self, range: Range<u32>) -> u32 {
        let width = range.end.saturating_sub(range.start);
        range.start + self.below(width)
    }

    /// True with probability `p`, e.g. whether a link loses this frame. [`Probability::NEVER`]
    /// and [`Probability::ALWAYS`] decide without a draw, so a lossless world leaves the
    /// sequence untouched for everything else.
    pub fn chance(&mut self, p: Probability) -> bool {
        match p.per_million() {
            0 => false,
            Probability::PER_MILLION_MAX.. => true,
            per_million => self.below(Probability::PER_MILLION_MAX) < per_million,
        }
    }

    /// Puts `items` in a uniformly random order (Fisher–Yates, from the back, as
    /// `pcg32-demo` deals its cards): how equal-preference MX hosts are tried
    /// (RFC 5321 §5.1).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for remaining in (2..=items.len()).rev() {
            let bound = u32::try_from(remaining).unwrap_or(u32::MAX);
            let chosen = self.below(bound) as usize;
            items.swap(chosen, remaining - 1);
        }
    }
}

/// A probability in millionths, exact and hashable: a link's loss rate, say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Probability(u32);

impl Probability {
    const PER_MILLION_MAX: u32 = 1_000_000;
    pub const NEVER: Probability = Probability(0);
    pub const ALWAYS: Probability = Probability(Self::PER_MILLION_MAX);

    /// `n` in a million; above a million means always.
    pub const fn from_per_million(n: u32) -> Probability {
        if n > Self::PER_MILLION_MAX {
            Self::ALWAYS
        } else {
            Probability(n)
        }
    }

    /// `n` percent; above 100 means always.
    pub const fn from_percent(n: u32) -> Probability {
        Self::from_per_million(n.saturating_mul(10_000))
    }

    pub const fn per_million(self) -> u32 {
        self.0
    }
}

/// As a percentage with only the decimals that matter: `0 %`, `2.5 %`, `100 %`.
impl fmt::Display for Probability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let fraction = self.0 % 10_000;
        if fraction == 0 {
            return write!(f, "{whole} %");
        }
        let fraction = format!("{fraction:04}");
        write!(f, "{whole}.{} %", fraction.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One round of O'Neill's `pcg32-demo`: six raw numbers, 65 coins, 33 dice, 52 cards.
    struct DemoRound {
        numbers: [u32; 6],
        coins: String,
        rolls: Vec<u32>,
        cards: Vec<String>,
    }

    fn play_demo_round(rng: &mut SimRng) -> DemoRound {
        let numbers = std::array::from_fn(|_| rng.next_u32());
        let coins = (0..65)
            .map(|_| if rng.below(2) == 1 { 'H' } else { 'T' })
            .collect();
        let rolls = (0..33).map(|_| rng.below(6) + 1).collect();
        let mut deck: Vec<usize> = (0..52).collect();
        rng.shuffle(&mut deck);
        let cards = deck
            .iter()
            .map(|card| {
                let number = b"A23456789TJQK"[card / 4] as char;
                let suit = b"hcds"[card % 4] as char;
                format!("{number}{suit}")
            })
            .collect();
        DemoRound {
            numbers,
            coins,
            rolls,
            cards,
        }
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn seed_42_reproduces_round_1_of_the_pcg32_demo() {
        let round = play_demo_round(&mut SimRng::new(42));
        assert_eq!(
            round.numbers,
            [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]
        );
        assert_eq!(
            round.coins,
            "HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT"
        );
        assert_eq!(
            round.rolls,
            [
                3, 4, 1, 1, 2, 2, 3, 2, 4, 3, 2, 4, 3, 3, 5, 2, 3, 1, 3, 1, 5, 1, 4, 1, 5, 6, 4, 6,
                6, 2, 6, 3, 3
            ]
        );
        assert_eq!(
            round.cards,
            words(
                "Qd Ks 6d 3s 3d 4c 3h Td Kc 5c Jh Kd Jd As 4s 4h Ad Th Ac Jc 7s Qs \
                 2s 7h Kh 2d 6c Ah 4d Qh 9h 6s 5s 2c 9c Ts 8d 9s 3c 8c Js 5d 2h 6h \
                 7d 8s 9d 5h 8h Qc 7c Tc"
            )
        );
    }

    #[test]
    fn seed_42_reproduces_round_5_of_the_pcg32_demo() {
        let mut rng = SimRng::new(42);
        for _ in 1..5 {
            play_demo_round(&mut rng);
        }
        let round = play_demo_round(&mut rng);
        assert_eq!(
            round.numbers,
            [0xfcef7cd6, 0x1b488b5a, 0xd0daf7ea, 0x1d9a70f7, 0x241a37cf, 0x9a3857b7]
        );
        assert_eq!(
            round.coins,
            "HHHHTHHTTHTTHHHTTTHHTHTHTTTTHTTHTHTTTHHHTHTHTTHTTHTHHTHTHHHTHTHTT"
        );
        assert_eq!(
            round.rolls,
            [
                5, 4, 1, 2, 6, 1, 3, 1, 5, 6, 3, 6, 2, 1, 4, 4, 5, 2, 1, 5, 6, 5, 6, 4, 4, 4, 5, 2,
                6, 4, 3, 5, 6
            ]
        );
        assert_eq!(
            round.cards,
            words(
                "4d 9s Qc 9h As Qs 7s 4c Kd 6h 6s 2c 8c 5d 7h 5h Jc 3s 7c Jh Js Ks \
                 Tc Jd Kc Th 3h Ts Qh Ad Td 3c Ah 2d 3d 5c Ac 8s 5s 9c 2h 6c 6d Kh \
                 Qd 8d 7d 2s 8h 4h 9d 4s"
            )
        );
    }

    #[test]
    fn a_64_bit_draw_is_two_32_bit_draws_low_half_first() {
        let mut rng = SimRng::new(42);
        assert_eq!(rng.next_u64(), 0x7b47f409_a15c02b7);
    }

    #[test]
    fn equal_seeds_give_equal_sequences_and_different_seeds_differ() {
        let draws = |seed| {
            let mut rng = SimRng::new(seed);
            (0..16).map(|_| rng.next_u32()).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        assert_ne!(draws(0), draws(u64::MAX));
    }

    #[test]
    fn bounded_draws_stay_in_bounds_and_cover_them() {
        let mut rng = SimRng::new(1);
        let mut seen = [0u32; 7];
        for _ in 0..7_000 {
            seen[rng.below(7) as usize] += 1;
        }
        // Each face expects 1000; a biased or broken generator falls far outside this band.
        assert!(seen.iter().all(|&n| (850..1150).contains(&n)), "{seen:?}");
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn ranges_are_half_open_and_empty_ranges_give_their_start() {
        let mut rng = SimRng::new(3);
        for _ in 0..1_000 {
            assert!((10..13).contains(&rng.range(10..13)));
        }
        assert_eq!(rng.range(5..5), 5);
        assert_eq!(rng.range(u32::MAX - 1..u32::MAX), u32::MAX - 1);
    }

    #[test]
    fn chance_of_never_and_always_needs_no_draw() {
        let mut rng = SimRng::new(9);
        let untouched = rng.clone();
        assert!(!rng.chance(Probability::NEVER));
        assert!(rng.chance(Probability::ALWAYS));
        assert_eq!(rng, untouched);
    }

    #[test]
    fn chance_follows_the_probability() {
        let mut rng = SimRng::new(11);
        let losses = (0..10_000)
            .filter(|_| rng.chance(Probability::from_percent(10)))
            .count();
        assert!((900..1100).contains(&losses), "{losses}");
    }

    #[test]
    fn shuffle_keeps_every_item_and_handles_tiny_slices() {
        let mut rng = SimRng::new(5);
        let mut hosts = ["mx1", "mx2", "mx3", "mx4"];
        rng.shuffle(&mut hosts);
        let mut sorted = hosts;
        sorted.sort();
        assert_eq!(sorted, ["mx1", "mx2", "mx3", "mx4"]);
        let mut empty: [u8; 0] = [];
        rng.shuffle(&mut empty);
        let mut one = [1];
        rng.shuffle(&mut one);
        assert_eq!(one, [1]);
    }

    #[test]
    fn shuffle_gives_every_order_of_a_tie() {
        let mut rng = SimRng::new(21);
        let mut first_seen = [0u32; 3];
        for _ in 0..3_000 {
            let mut tie = [0usize, 1, 2];
            rng.shuffle(&mut tie);
            first_seen[tie[0]] += 1;
        }
        assert!(
            first_seen.iter().all(|&n| (900..1100).contains(&n)),
            "{first_seen:?}"
        );
    }

    #[test]
    fn probabilities_clamp_and_read_as_percentages() {
        assert_eq!(Probability::from_percent(250), Probability::ALWAYS);
        assert_eq!(
            Probability::from_per_million(2_000_000),
            Probability::ALWAYS
        );
        assert_eq!(Probability::from_per_million(25_000).to_string(), "2.5 %");
        assert_eq!(Probability::from_per_million(1).to_string(), "0.0001 %");
        assert_eq!(Probability::NEVER.to_string(), "0 %");
        assert_eq!(Probability::ALWAYS.to_string(), "100 %");
    }
}
