//! How fast simulated time runs while the map plays: wall-clock milliseconds in, virtual
//! time out (docs/ARCHITECTURE.md rule 2: the UI turns animation-frame time × speed into
//! virtual time; positions are then pure functions of virtual time).
//!
//! Real time would show nothing: a frame crosses a LAN in about 0.2 ms and a transit link in
//! 10 ms, and a retry waits 30 minutes. So the rate adapts to what is on the wire. While
//! frames are in flight, the shortest of their crossings takes [`CROSSING_MS`] at 1× (longer
//! crossings take proportionally longer, so what is faster on the wire still looks faster).
//! While nothing is in flight, the gap to the next event is closed in [`IDLE_GAP_MS`] at 1×:
//! a 30-minute wait for a retry is over in a moment. The speed multiplies both. One
//! animation frame never steps past the next event, so a short frame starting inside a long
//! one's crossing is never skipped: the next frame slows down for it.

use crate::sim::time::{SimDuration, SimTime};

/// Wall-clock milliseconds the shortest crossing in flight takes at 1×.
pub const CROSSING_MS: f64 = 900.0;
/// Wall-clock milliseconds a quiet gap between events takes at 1×.
pub const IDLE_GAP_MS: f64 = 300.0;
/// The speeds a learner picks from.
pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
/// A frame of the browser longer than this (a background tab coming back) counts as this
/// long, so the picture does not leap.
const LONGEST_FRAME_MS: f64 = 100.0;

/// What the world looks like at the current moment, as far as pacing goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    pub now: SimTime,
    /// When the last event before (or at) `now` happened: where a quiet gap began.
    pub last_event: SimTime,
    /// When the next internal event is due, if anything is left to happen.
    pub next_event: Option<SimTime>,
    /// The shortest whole crossing (send to arrival) among the frames on the wire now.
    pub shortest_in_flight: Option<SimDuration>,
}

/// The virtual time to show after `elapsed_ms` of wall-clock time at `speed`: never past
/// the next event, never before `now`. With nothing left to happen, time stands still.
pub fn advance(pace: Pace, elapsed_ms: f64, speed: f64) -> SimTime {
    let Some(next_event) = pace.next_event else {
        return pace.now;
    };
    // Also refuses NaN: a comparison with NaN is false.
    let moving = elapsed_ms > 0.0 && speed > 0.0;
    if !moving {
        return pace.now;
    }
    let elapsed_ms = elapsed_ms.min(LONGEST_FRAME_MS);
    let micros_per_ms = match pace.shortest_in_flight {
        Some(crossing) => crossing.as_micros() as f64 / CROSSING_MS,
        None => {
            let gap = next_event.saturating_duration_since(pace.last_event.min(pace.now));
            gap.as_micros() as f64 / IDLE_GAP_MS
        }
    };
    // At least a microsecond, so playing always moves.
    let step = (micros_per_ms * elapsed_ms * speed).round().max(1.0);
    let step = if step >= u64::MAX as f64 {
        u64::MAX
    } else {
        step as u64
    };
    pace.now
        .checked_add(SimDuration::from_micros(step))
        .map_or(next_event, |target| target.min(next_event))
        .max(pace.now)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAN_CROSSING: SimDuration = SimDuration::from_micros(220);
    const TRANSIT_CROSSING: SimDuration = SimDuration::from_micros(11_200);

    fn at(micros: u64) -> SimTime {
        SimTime::from_micros(micros)
    }

    fn in_flight(now: u64, crossing: SimDuration) -> Pace {
        Pace {
            now: at(now),
            last_event: at(now),
            next_event: Some(at(now + 1_000_000)),
            shortest_in_flight: Some(crossing),
        }
    }

    /// Wall-clock milliseconds, in 16 ms animation frames, until `crossing` has passed.
    fn ms_to_cross(crossing: SimDuration, speed: f64) -> f64 {
        let mut pace = in_flight(0, crossing);
        let mut ms = 0.0;
        while pace.now < at(crossing.as_micros()) {
            pace.now = advance(pace, 16.0, speed);
            ms += 16.0;
        }
        ms
    }

    #[test]
    fn the_shortest_crossing_in_flight_takes_about_a_second_at_1x() {
        for crossing in [LAN_CROSSING, TRANSIT_CROSSING] {
            let ms = ms_to_cross(crossing, 1.0);
            assert!(
                (CROSSING_MS - 50.0..CROSSING_MS + 50.0).contains(&ms),
                "{ms} ms"
            );
        }
    }

    #[test]
    fn speed_scales_the_pace() {
        let slow = ms_to_cross(TRANSIT_CROSSING, 0.25);
        let fast = ms_to_cross(TRANSIT_CROSSING, 8.0);
        assert!(slow > 3_000.0, "{slow}");
        assert!(fast < 150.0, "{fast}");
    }

    #[test]
    fn a_quiet_half_hour_passes_in_a_moment_and_stops_at_the_next_event() {
        let retry = at(30 * 60 * 1_000_000);
        let mut pace = Pace {
            now: at(0),
            last_event: at(0),
            next_event: Some(retry),
            shortest_in_flight: None,
        };
        let mut frames = 0;
        while pace.now < retry {
            let next = advance(pace, 16.0, 1.0);
            assert!(next <= retry, "stepped past the event");
            pace.now = next;
            frames += 1;
            assert!(frames < 30, "the gap takes too long");
        }
    }

    #[test]
    fn one_animation_frame_never_steps_past_the_next_event() {
        let pace = Pace {
            now: at(1_000),
            last_event: at(900),
            next_event: Some(at(1_050)),
            shortest_in_flight: Some(TRANSIT_CROSSING),
        };
        assert_eq!(advance(pace, 16.0, 8.0), at(1_050));
    }

    #[test]
    fn nothing_left_to_happen_or_no_time_elapsed_stands_still() {
        let idle = Pace {
            now: at(5),
            last_event: at(5),
            next_event: None,
            shortest_in_flight: None,
        };
        assert_eq!(advance(idle, 16.0, 1.0), at(5));
        let busy = in_flight(5, LAN_CROSSING);
        for (ms, speed) in [(0.0, 1.0), (-3.0, 1.0), (f64::NAN, 1.0), (16.0, 0.0)] {
            assert_eq!(advance(busy, ms, speed), at(5), "{ms} ms at {speed}×");
        }
    }

    #[test]
    fn a_long_pause_of_the_tab_counts_as_one_short_frame() {
        let pace = in_flight(0, TRANSIT_CROSSING);
        assert_eq!(
            advance(pace, 60_000.0, 1.0),
            advance(pace, LONGEST_FRAME_MS, 1.0)
        );
    }

    #[test]
    fn playing_always_moves_even_at_the_slowest_pace() {
        let pace = in_flight(0, SimDuration::from_micros(1));
        assert!(advance(pace, 1.0, 0.25) > at(0));
    }
}
