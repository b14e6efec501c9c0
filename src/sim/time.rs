//! Virtual time: the simulation's only clock (docs/ARCHITECTURE.md rule 2).
//!
//! The world never reads a real clock. Time starts at [`SimTime::ZERO`] and moves only when the
//! world jumps to its next event, so a 30-minute SMTP retry (RFC 5321 §4.5.4.1) costs nothing
//! to wait for. The resolution is one microsecond: fine enough for a frame's time on a
//! 100 Mbit/s link (a 64-byte frame takes 5.12 µs), coarse enough that `u64` lasts 584,000
//! years.
//!
//! Arithmetic saturates instead of wrapping: adding to [`SimTime::MAX`] stays at `MAX` (a
//! timer that never fires), and a duration never goes below zero. Where a caller must know
//! that a bound was hit, the `checked_*` forms return `None`.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

const MICROS_PER_MILLI: u64 = 1_000;
const MICROS_PER_SECOND: u64 = 1_000_000;
const MICROS_PER_MINUTE: u64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: u64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: u64 = 24 * MICROS_PER_HOUR;

/// A point in virtual time: microseconds since the world started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

/// A length of virtual time, in microseconds. Never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(u64);

impl SimTime {
    /// The moment the world starts.
    pub const ZERO: SimTime = SimTime(0);
    /// The end of time: a deadline that never comes.
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_micros(micros: u64) -> SimTime {
        SimTime(micros)
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Time elapsed since the world started.
    pub const fn since_start(self) -> SimDuration {
        SimDuration(self.0)
    }

    /// `self + duration`, or `None` past [`SimTime::MAX`].
    pub fn checked_add(self, duration: SimDuration) -> Option<SimTime> {
        self.0.checked_add(duration.0).map(SimTime)
    }

    /// How long after `earlier` this is; zero if `earlier` is in fact later.
    pub fn saturating_duration_since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    pub const MAX: SimDuration = SimDuration(u64::MAX);

    pub const fn from_micros(micros: u64) -> SimDuration {
        SimDuration(micros)
    }

    /// Saturates at [`SimDuration::MAX`].
    pub const fn from_millis(millis: u64) -> SimDuration {
        SimDuration(millis.saturating_mul(MICROS_PER_MILLI))
    }

    /// Saturates at [`SimDuration::MAX`].
    pub const fn from_secs(secs: u64) -> SimDuration {
        SimDuration(secs.saturating_mul(MICROS_PER_SECOND))
    }

    /// Saturates at [`SimDuration::MAX`].
    pub const fn from_mins(mins: u64) -> SimDuration {
        SimDuration(mins.saturating_mul(MICROS_PER_MINUTE))
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// `self + other`, or `None` past [`SimDuration::MAX`].
    pub fn checked_add(self, other: SimDuration) -> Option<SimDuration> {
        self.0.checked_add(other.0).map(SimDuration)
    }

    /// `self × factor`, saturating: for back-off (`retry × 2ⁿ`) that must not wrap to zero.
    pub const fn saturating_mul(self, factor: u64) -> SimDuration {
        SimDuration(self.0.saturating_mul(factor))
    }

    /// How long `bits` take to serialise at `bits_per_second`, rounded up to the next
    /// microsecond so that no frame takes zero time. A zero rate means the bits never arrive.
    pub fn to_transmit(bits: u64, bits_per_second: u64) -> SimDuration {
        if bits_per_second == 0 {
            return SimDuration::MAX;
        }
        // Every frame asks this: stay in 64 bits unless the product would not fit.
        if let Some(micros) = bits.checked_mul(MICROS_PER_SECOND) {
            return SimDuration(micros.div_ceil(bits_per_second));
        }
        let micros = u128::from(bits) * u128::from(MICROS_PER_SECOND);
        let micros = micros.div_ceil(u128::from(bits_per_second));
        SimDuration(u64::try_from(micros).unwrap_or(u64::MAX))
    }
}

/// Saturates at [`SimTime::MAX`].
impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, duration: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(duration.0))
    }
}

/// Saturates at [`SimTime::MAX`].
impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, duration: SimDuration) {
        *self = *self + duration;
    }
}

/// Saturates at [`SimDuration::MAX`].
impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(other.0))
    }
}

/// Saturates at zero: a duration is never negative.
impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, other: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(other.0))
    }
}

/// Writes `micros` as a decimal number of `unit`s, without trailing zeros: 12.345, 1.5, 30.
fn write_decimal(f: &mut fmt::Formatter<'_>, micros: u64, unit: u64) -> fmt::Result {
    let whole = micros / unit;
    let fraction = micros % unit;
    if fraction == 0 {
        return write!(f, "{whole}");
    }
    let digits = unit.ilog10() as usize;
    let fraction = format!("{fraction:0digits$}");
    write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
}

/// For learners: the largest unit that fits, in the units a mail log uses.
/// `250 µs`, `12.345 ms`, `1.5 s`, `30 min`, `2 min 5.5 s`, `4 h 30 min`, `5 d`.
impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.0;
        if micros < MICROS_PER_MILLI {
            return write!(f, "{micros} µs");
        }
        if micros < MICROS_PER_SECOND {
            write_decimal(f, micros, MICROS_PER_MILLI)?;
            return f.write_str(" ms");
        }
        if micros < MICROS_PER_MINUTE {
            write_decimal(f, micros, MICROS_PER_SECOND)?;
            return f.write_str(" s");
        }
        let parts = [
            (micros / MICROS_PER_DAY, "d"),
            (micros % MICROS_PER_DAY / MICROS_PER_HOUR, "h"),
            (micros % MICROS_PER_HOUR / MICROS_PER_MINUTE, "min"),
        ];
        let mut separator = "";
        for (count, unit) in parts {
            if count > 0 {
                write!(f, "{separator}{count} {unit}")?;
                separator = " ";
            }
        }
        let below_a_minute = micros % MICROS_PER_MINUTE;
        if below_a_minute > 0 {
            f.write_str(separator)?;
            write_decimal(f, below_a_minute, MICROS_PER_SECOND)?;
            f.write_str(" s")?;
        }
        Ok(())
    }
}

/// The time since the world started, as a [`SimDuration`] reads: `t = 12.345 ms`.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t = {}", self.since_start())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(duration: SimDuration) -> String {
        duration.to_string()
    }

    #[test]
    fn durations_below_a_millisecond_show_microseconds() {
        assert_eq!(shown(SimDuration::ZERO), "0 µs");
        assert_eq!(shown(SimDuration::from_micros(999)), "999 µs");
    }

    #[test]
    fn milliseconds_keep_only_significant_decimals() {
        assert_eq!(shown(SimDuration::from_micros(12_345)), "12.345 ms");
        assert_eq!(shown(SimDuration::from_micros(12_300)), "12.3 ms");
        assert_eq!(shown(SimDuration::from_millis(1)), "1 ms");
        assert_eq!(shown(SimDuration::from_micros(1_001)), "1.001 ms");
    }

    #[test]
    fn seconds_show_up_to_microsecond_precision() {
        assert_eq!(shown(SimDuration::from_millis(1_500)), "1.5 s");
        assert_eq!(shown(SimDuration::from_micros(59_000_001)), "59.000001 s");
    }

    #[test]
    fn long_durations_are_split_into_units() {
        assert_eq!(shown(SimDuration::from_mins(30)), "30 min");
        assert_eq!(shown(SimDuration::from_millis(125_500)), "2 min 5.5 s");
        assert_eq!(shown(SimDuration::from_mins(270)), "4 h 30 min");
        assert_eq!(shown(SimDuration::from_mins(5 * 24 * 60)), "5 d");
        assert_eq!(shown(SimDuration::from_secs(86_401)), "1 d 1 s");
    }

    #[test]
    fn a_time_reads_as_the_time_since_start() {
        assert_eq!(SimTime::from_micros(12_345).to_string(), "t = 12.345 ms");
        assert_eq!(SimTime::ZERO.to_string(), "t = 0 µs");
    }

    #[test]
    fn adding_past_the_end_of_time_saturates() {
        let late = SimTime::MAX + SimDuration::from_secs(1);
        assert_eq!(late, SimTime::MAX);
        assert_eq!(SimTime::MAX.checked_add(SimDuration::from_micros(1)), None);
        let mut now = SimTime::from_micros(u64::MAX - 1);
        now += SimDuration::from_micros(5);
        assert_eq!(now, SimTime::MAX);
    }

    #[test]
    fn unit_constructors_saturate_instead_of_wrapping() {
        assert_eq!(SimDuration::from_mins(u64::MAX), SimDuration::MAX);
        assert_eq!(SimDuration::from_secs(u64::MAX / 2), SimDuration::MAX);
        assert_eq!(SimDuration::from_millis(u64::MAX), SimDuration::MAX);
    }

    #[test]
    fn durations_never_go_negative() {
        let short = SimDuration::from_millis(1);
        let long = SimDuration::from_millis(2);
        assert_eq!(short - long, SimDuration::ZERO);
        assert_eq!(long - short, short);
        let (early, late) = (SimTime::from_micros(10), SimTime::from_micros(25));
        assert_eq!(
            late.saturating_duration_since(early),
            SimDuration::from_micros(15)
        );
        assert_eq!(early.saturating_duration_since(late), SimDuration::ZERO);
    }

    #[test]
    fn duration_sums_saturate_or_report_overflow() {
        assert_eq!(
            SimDuration::MAX + SimDuration::from_micros(1),
            SimDuration::MAX
        );
        assert_eq!(
            SimDuration::MAX.checked_add(SimDuration::from_micros(1)),
            None
        );
        assert_eq!(
            SimDuration::from_micros(2).checked_add(SimDuration::from_micros(3)),
            Some(SimDuration::from_micros(5))
        );
    }

    #[test]
    fn back_off_doubling_saturates() {
        let retry = SimDuration::from_mins(30);
        assert_eq!(retry.saturating_mul(4), SimDuration::from_mins(120));
        assert_eq!(retry.saturating_mul(u64::MAX), SimDuration::MAX);
    }

    #[test]
    fn transmission_time_follows_the_link_rate() {
        // A minimum Ethernet frame (64 bytes) on 100 Mbit/s: 5.12 µs, rounded up to 6 µs.
        assert_eq!(
            SimDuration::to_transmit(64 * 8, 100_000_000),
            SimDuration::from_micros(6)
        );
        // 1500 bytes at 10 Mbit/s: exactly 1.2 ms.
        assert_eq!(
            SimDuration::to_transmit(1500 * 8, 10_000_000),
            SimDuration::from_micros(1_200)
        );
        assert_eq!(SimDuration::to_transmit(8, 0), SimDuration::MAX);
        assert!(SimDuration::to_transmit(0, 1_000).is_zero());
    }

    #[test]
    fn times_order_by_their_microseconds() {
        let start = SimTime::ZERO;
        let later = start + SimDuration::from_micros(1);
        assert!(start < later);
        assert_eq!(later.as_micros(), 1);
        assert_eq!(later.since_start(), SimDuration::from_micros(1));
    }
}
