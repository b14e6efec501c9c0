//! ani's mail client on laptop-ani: a form that writes a message and presses Send, which is
//! [`ani_presses_send`]: a `Command::Submit` (submission on port 587 with AUTH as ani).
//! Sending starts the clock, so the learner watches submission, the MX lookup, the relay and
//! the storage on the map.

use leptos::prelude::*;

use super::i18n::{text, tr};
use super::playback::Clock;
use crate::lang::Lang;
use crate::sim::default_world::ani_presses_send;
use crate::sim::world::{Applied, World};

/// The address ani's mail client sends from (it logs in as ani: [`ani_presses_send`]).
const SENDER: &str = "ani@alpha.example";
/// Recipients worth trying: local, relayed, a second mailbox, a user that does not exist,
/// a domain that does not exist.
const SUGGESTED: [&str; 5] = [
    "budi@beta.example",
    "citra@alpha.example",
    "dewi@beta.example",
    "nobody@beta.example",
    "someone@nonexistent.example",
];

/// On a phone the map is far above the form: bring it into view to watch the message go
/// (no scrolling when it is already visible).
fn bring_map_into_view() {
    let Some(map) = document().get_element_by_id("kr-map-heading") else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    map.scroll_into_view_with_scroll_into_view_options(&options);
}

#[component]
pub fn Compose(world: RwSignal<World>, lang: RwSignal<Lang>, clock: Clock) -> impl IntoView {
    let to = RwSignal::new(SUGGESTED[0].to_string());
    let subject = RwSignal::new(String::from("Halo Budi"));
    let body = RwSignal::new(String::from("Apa kabar? Sampai jumpa besok."));
    let status = RwSignal::new(String::new());

    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text(lang.get_untracked());
        let recipients: Vec<String> = to
            .get_untracked()
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|address| !address.is_empty())
            .map(str::to_string)
            .collect();
        if recipients.is_empty() {
            status.set(t.compose_no_recipient.to_string());
            return;
        }
        clock.catch_up(world);
        let result = world.try_update(|w| {
            let addresses: Vec<&str> = recipients.iter().map(String::as_str).collect();
            let send = ani_presses_send(
                w.topology(),
                &addresses,
                &subject.get_untracked(),
                &body.get_untracked(),
            )?;
            Some(w.apply(send))
        });
        match result.flatten() {
            Some(Ok(Applied::MailStarted { message, .. })) => {
                status.set(format!("{} ({message})", t.compose_sent));
                clock.play(world);
                bring_map_into_view();
            }
            Some(Ok(_)) => status.set(t.compose_sent.to_string()),
            Some(Err(error)) => status.set(format!("{}: {error}", t.compose_failed)),
            None => status.set(t.compose_failed.to_string()),
        }
    };

    view! {
        <section class="kr-panel kr-compose" aria-labelledby="kr-compose-heading" data-testid="compose">
            <h2 id="kr-compose-heading" class="kr-panel__heading">{tr(lang, |t| t.compose_heading)}</h2>
            <form on:submit=send>
                <p class="kr-compose__from">{tr(lang, |t| t.compose_from)} " " <code>{SENDER}</code></p>
                <label>
                    {tr(lang, |t| t.compose_to)}
                    <input type="text" list="kr-compose-suggestions" data-testid="compose-to" bind:value=to autocomplete="off"/>
                </label>
                <datalist id="kr-compose-suggestions">
                    {SUGGESTED.iter().map(|address| view! { <option value=*address></option> }).collect_view()}
                </datalist>
                <label>
                    {tr(lang, |t| t.compose_subject)}
                    <input type="text" data-testid="compose-subject" bind:value=subject/>
                </label>
                <label>
                    {tr(lang, |t| t.compose_body)}
                    <textarea rows="3" data-testid="compose-body" bind:value=body></textarea>
                </label>
                <button type="submit" class="kr-button kr-button--primary" data-testid="send">
                    {tr(lang, |t| t.compose_send)}
                </button>
                <p class="kr-compose__status" role="status" data-testid="compose-status">{move || status.get()}</p>
            </form>
        </section>
    }
}
