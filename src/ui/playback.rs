//! Control of time: restart, step back, play/pause, step, speed and a scrubber over the event
//! log, and the animation-frame loop that turns wall-clock time into virtual time while
//! playing ([`playback::advance`]), and "+1 h", which lets an hour of simulated time pass at
//! once (a sending limit's new hour, a queue's later retry). Every jump is exact: going back
//! rebuilds the world from its seed and replays it to the chosen event (docs/SIMULATION.md).

use leptos::prelude::*;

use super::i18n::{text, tr};
use crate::lang::Lang;
use crate::scene::mail_hops::mail_hops;
use crate::scene::playback::{self, Pace, SPEEDS};
use crate::sim::time::{SimDuration, SimTime};
use crate::sim::world::World;

/// What the controls share with the rest of the page.
#[derive(Clone, Copy)]
pub struct Clock {
    pub playing: RwSignal<bool>,
    /// An index into [`SPEEDS`].
    pub speed: RwSignal<usize>,
    /// The longest the log has been on this timeline: how far the scrubber reaches forward
    /// after a step back.
    pub horizon: RwSignal<usize>,
}

impl Clock {
    pub fn new() -> Clock {
        Clock {
            playing: RwSignal::new(false),
            speed: RwSignal::new(2),
            horizon: RwSignal::new(0),
        }
    }

    /// Starts the animation-frame loop; it runs only while `playing`.
    pub fn play(self, world: RwSignal<World>) {
        if self.playing.get_untracked() {
            return;
        }
        self.playing.set(true);
        frame(self, world, js_sys::Date::now());
    }

    /// Goes to event `position` of the timeline, back (by replay) or forward.
    pub fn seek(self, world: RwSignal<World>, position: usize) {
        world.update(|w| {
            let len = w.events().len();
            if position < len {
                let _ = w.rewind_to(position);
            } else {
                while w.events().len() < position && w.step() {}
            }
        });
        self.note_length(world);
    }

    /// Before a learner's action (a typed line, Send): back to the end of the timeline. After
    /// a step back the world stands at an earlier event, and acting there would branch the
    /// timeline and drop what came later — the terminal's open connection among it.
    pub fn catch_up(self, world: RwSignal<World>) {
        let end = self.horizon.get_untracked();
        if world.with_untracked(|w| w.events().len()) < end {
            self.seek(world, end);
        }
    }

    /// After an action that ran the world ahead (the terminal waits for every reply): back to
    /// `from`, the log's length before the action, and play from there, so the map shows the
    /// frames that carried it and whatever it set going (a relay, a bounce). Under
    /// `prefers-reduced-motion` the world stays at the end state and plays on from there.
    pub fn replay_since(self, world: RwSignal<World>, from: usize) {
        self.note_length(world);
        let grew = world.with_untracked(|w| w.events().len() > from);
        // Less motion asked for: the end state stays, nothing is played back.
        if grew && !prefers_reduced_motion() {
            world.update(|w| {
                let _ = w.rewind_to(from);
            });
        }
        if grew || world.with_untracked(|w| w.next_event_at().is_some()) {
            self.play(world);
        }
    }

    /// Notes how far the log reaches now, for the scrubber.
    pub fn note_length(self, world: RwSignal<World>) {
        let len = world.with_untracked(|w| w.events().len());
        self.horizon.update(|h| *h = (*h).max(len));
    }
}

/// One animation frame: advance virtual time by the wall-clock time since `last`, then ask
/// for the next frame while still playing. Under `prefers-reduced-motion` nothing glides:
/// the world jumps from one event to the next every [`REDUCED_MOTION_STEP_MS`] / speed.
fn frame(clock: Clock, world: RwSignal<World>, last: f64) {
    request_animation_frame(move || {
        if !clock.playing.get_untracked() {
            return;
        }
        let now_ms = js_sys::Date::now();
        let speed = SPEEDS[clock.speed.get_untracked().min(SPEEDS.len() - 1)];
        let reduced = prefers_reduced_motion();
        if reduced && now_ms - last < REDUCED_MOTION_STEP_MS / speed {
            return frame(clock, world, last);
        }
        let mut finished = false;
        world.update(|w| {
            let pace = Pace {
                now: w.now(),
                last_event: w.events().last().map_or(SimTime::ZERO, |e| e.at),
                next_event: w.next_event_at(),
                shortest_in_flight: w.shortest_crossing_in_flight(),
            };
            finished = pace.next_event.is_none();
            if reduced {
                w.step();
            } else {
                w.run_until(playback::advance(pace, now_ms - last, speed));
            }
        });
        clock.note_length(world);
        if finished {
            clock.playing.set(false);
        } else {
            frame(clock, world, now_ms);
        }
    });
}

/// The speeds as the menu shows them, one per entry of [`SPEEDS`] (written out: formatting
/// the floats would bring float printing into the page).
const SPEED_LABELS: [&str; SPEEDS.len()] = ["0.25×", "0.5×", "1×", "2×", "4×", "8×"];

/// Wall-clock milliseconds between two jumps at 1× when the learner asked for less motion.
const REDUCED_MOTION_STEP_MS: f64 = 400.0;

/// Whether the learner asked for less motion; asked every frame, so the query is made once.
fn prefers_reduced_motion() -> bool {
    thread_local! {
        static QUERY: Option<web_sys::MediaQueryList> = window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten();
    }
    QUERY.with(|query| query.as_ref().is_some_and(web_sys::MediaQueryList::matches))
}

#[component]
pub fn PlaybackBar(world: RwSignal<World>, lang: RwSignal<Lang>, clock: Clock) -> impl IntoView {
    let position = move || world.with(|w| w.events().len());
    let horizon = move || clock.horizon.get().max(position());
    let now = move || world.with(|w| w.now().to_string());
    // Marks on the timeline where a message starts a hop.
    let marks = Memo::new(move |_| {
        world.with(|w| {
            mail_hops(w.events())
                .iter()
                .map(|hop| format!(r#"<option value="{}"></option>"#, hop.start_event))
                .collect::<String>()
        })
    });
    let toggle = move |_| {
        if clock.playing.get_untracked() {
            clock.playing.set(false);
        } else {
            clock.play(world);
        }
    };
    let step = move |_| {
        clock.playing.set(false);
        world.update(|w| {
            w.step();
        });
        clock.note_length(world);
    };
    // From the end of the timeline: whatever falls due in the hour happens, and the clock
    // stands an hour later.
    let skip_hour = move |_| {
        clock.playing.set(false);
        clock.catch_up(world);
        world.update(|w| {
            let until = w.now() + SimDuration::from_secs(3600);
            w.run_until(until);
        });
        clock.note_length(world);
    };
    let back = move |_| {
        clock.playing.set(false);
        let len = world.with_untracked(|w| w.events().len());
        clock.seek(world, len.saturating_sub(1));
    };
    let restart = move |_| {
        clock.playing.set(false);
        clock.seek(world, 0);
    };
    let scrub = move |ev| {
        clock.playing.set(false);
        if let Ok(position) = event_target_value(&ev).parse::<usize>() {
            clock.seek(world, position);
        }
    };
    let set_speed = move |ev| {
        if let Ok(index) = event_target_value(&ev).parse::<usize>() {
            clock.speed.set(index.min(SPEEDS.len() - 1));
        }
    };

    view! {
        <div class="kr-playback" role="group" aria-label=tr(lang, |t| t.time_controls) data-testid="playback">
            <button type="button" class="kr-button" data-testid="restart" on:click=restart>
                {tr(lang, |t| t.restart)}
            </button>
            <button type="button" class="kr-button" data-testid="step-back" on:click=back>
                {tr(lang, |t| t.step_back)}
            </button>
            <button
                type="button"
                class="kr-button kr-button--primary"
                data-testid="play"
                aria-pressed=move || clock.playing.get().to_string()
                on:click=toggle
            >
                {move || if clock.playing.get() { text(lang.get()).pause } else { text(lang.get()).play }}
            </button>
            <button type="button" class="kr-button" data-testid="step" on:click=step>
                {tr(lang, |t| t.step)}
            </button>
            <button type="button" class="kr-button" data-testid="skip-hour"
                aria-label=tr(lang, |t| t.skip_hour_label) title=tr(lang, |t| t.skip_hour_label) on:click=skip_hour>
                {tr(lang, |t| t.skip_hour)}
            </button>
            <label class="kr-playback__speed">
                {tr(lang, |t| t.speed)}
                <select data-testid="speed" on:change=set_speed prop:value=move || clock.speed.get().to_string()>
                    {SPEED_LABELS
                        .iter()
                        .enumerate()
                        .map(|(index, label)| view! { <option value=index.to_string()>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="kr-playback__scrub">
                <span class="kr-visually-hidden">{tr(lang, |t| t.timeline)}</span>
                <datalist id="kr-timeline-marks" inner_html=marks></datalist>
                <input
                    type="range"
                    list="kr-timeline-marks"
                    min="0"
                    max=move || horizon().to_string()
                    prop:value=move || position().to_string()
                    data-testid="scrubber"
                    on:input=scrub
                />
            </label>
            <output class="kr-playback__time" data-testid="clock" aria-live="off">
                {now} " · " {move || format!("{} / {}", position(), horizon())}
            </output>
        </div>
    }
}
