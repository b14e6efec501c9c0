//! The mass mailing: a teacher's load test in the learner's own world. laptop-ani sends the
//! chosen number of messages, each to the chosen number of beta.example mailboxes, straight to
//! mx1 on port 25, a connection for each message or several messages one after another on a
//! connection (RFC 5321 §3.3) ([`campaign::run_in`]), and the panel reports what it took
//! ([`campaign_report`]). Everything it made stays in the world: the event list reaches every
//! event of it and the inspector opens any of its frames.
//!
//! The run holds the tab for as long as it takes (about two seconds for 100,000 recipients):
//! the panel says so first, and starts the run once that has been drawn.

use std::time::Duration;

use leptos::prelude::*;

use super::course::Simulator;
use super::i18n::{text, tr, UiText};
use crate::lang::Lang;
use crate::scene::campaign_report::{self, grouped, TabCost};
use crate::scene::markup::escape;
use crate::sim::campaign::{self, Campaign, CampaignOutcome, StartMark};

/// The message counts offered.
const MESSAGE_CHOICES: [usize; 3] = [10, 100, 1_000];
/// The recipients per message offered.
const RECIPIENT_CHOICES: [usize; 3] = [1, 10, 100];
/// The messages one connection carries, a transaction each (RFC 5321 §3.3).
const PER_CONNECTION_CHOICES: [usize; 3] = [1, 10, 100];
/// Messages started at one virtual moment before the world runs until each has its answer and
/// its connection is closed.
const BATCH: usize = 100;

/// Where the panel is.
#[derive(Clone, PartialEq)]
enum Run {
    NotYet,
    Running,
    Done(CampaignOutcome, TabCost),
    Failed(String),
}

impl Run {
    /// What the panel says about it, as markup in `lang`.
    fn markup(&self, lang: Lang) -> String {
        let t = text(lang);
        let line = |words: &str| format!("<p>{}</p>", escape(words));
        match self {
            Run::NotYet => String::new(),
            Run::Running => line(t.campaign_running),
            Run::Failed(error) => line(&format!("{} {error}", t.campaign_failed)),
            Run::Done(outcome, cost) => {
                let figures = campaign_report::report(outcome, *cost, lang);
                line(t.campaign_done) + &campaign_report::markup(&figures)
            }
        }
    }
}

#[component]
pub fn CampaignPanel(sim: Simulator, lang: RwSignal<Lang>) -> impl IntoView {
    let messages = RwSignal::new(MESSAGE_CHOICES[2]);
    let recipients = RwSignal::new(RECIPIENT_CHOICES[2]);
    let per_connection = RwSignal::new(PER_CONNECTION_CHOICES[0]);
    let run = RwSignal::new(Run::NotYet);

    let start = move |_| {
        if run.get_untracked() == Run::Running {
            return;
        }
        run.set(Run::Running);
        let chosen = Campaign {
            messages: messages.get_untracked(),
            recipients_per_message: recipients.get_untracked(),
            batch: BATCH,
            messages_per_session: per_connection.get_untracked(),
        };
        // Two frames' time for "Simulating…" to be drawn before the tab is busy.
        set_timeout(
            move || {
                sim.clock.playing.set(false);
                sim.clock.catch_up(sim.world);
                let started = js_sys::Date::now();
                let result = sim.world.try_update(|world| {
                    let start = StartMark::of(world);
                    campaign::run_in(world, chosen)
                        .map(|delivered| campaign::outcome(world, chosen, start, delivered))
                });
                let cost = TabCost {
                    millis: (js_sys::Date::now() - started).max(0.0) as u64,
                    memory_bytes: linear_memory_bytes(),
                };
                sim.clock.note_length(sim.world);
                run.set(match result {
                    Some(Ok(outcome)) => Run::Done(outcome, cost),
                    Some(Err(error)) => Run::Failed(error),
                    None => Run::Failed(String::new()),
                });
            },
            Duration::from_millis(40),
        );
    };
    let status = Memo::new(move |_| run.with(|run| run.markup(lang.get())));

    view! {
        <section class="kr-panel kr-campaign" aria-labelledby="kr-campaign-heading" data-testid="campaign">
            <h2 id="kr-campaign-heading" class="kr-panel__heading">{tr(lang, |t| t.campaign_heading)}</h2>
            <p class="kr-campaign__intro">{tr(lang, |t| t.campaign_intro)}</p>
            <div class="kr-campaign__choices">
                <CountChoice lang label=|t| t.campaign_messages testid="campaign-messages" choices=MESSAGE_CHOICES value=messages/>
                <CountChoice lang label=|t| t.campaign_recipients testid="campaign-recipients" choices=RECIPIENT_CHOICES value=recipients/>
                <CountChoice lang label=|t| t.campaign_per_connection testid="campaign-per-connection" choices=PER_CONNECTION_CHOICES value=per_connection/>
            </div>
            <button
                type="button"
                class="kr-button kr-button--primary"
                data-testid="campaign-run"
                aria-disabled=move || (run.get() == Run::Running).to_string()
                on:click=start
            >
                {tr(lang, |t| t.campaign_run)}
            </button>
            <div role="status" data-testid="campaign-status" inner_html=status></div>
        </section>
    }
}

/// A labelled menu of counts, written the language's way (1,000 or 1.000).
#[component]
fn CountChoice(
    lang: RwSignal<Lang>,
    label: fn(&UiText) -> &'static str,
    testid: &'static str,
    choices: [usize; 3],
    value: RwSignal<usize>,
) -> impl IntoView {
    view! {
        <label>
            {tr(lang, label)}
            <select
                data-testid=testid
                on:change=move |ev| {
                    if let Ok(picked) = event_target_value(&ev).parse() {
                        value.set(picked);
                    }
                }
                prop:value=move || value.get().to_string()
            >
                {choices
                    .into_iter()
                    .map(|count| {
                        let shown = move || grouped(count as u64, lang.get());
                        view! { <option value=count.to_string()>{shown}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The page's WebAssembly memory in bytes (it only grows, so this is its peak so far).
#[cfg(target_arch = "wasm32")]
fn linear_memory_bytes() -> Option<u64> {
    Some(core::arch::wasm32::memory_size::<0>() as u64 * 65_536)
}

/// Outside a browser there is no WebAssembly memory to read.
#[cfg(not(target_arch = "wasm32"))]
fn linear_memory_bytes() -> Option<u64> {
    None
}
