//! budi's laptop and phone side by side: per device a protocol (POP3 or IMAP), for POP3 whether
//! to leave a copy on the server, "Check mail", the messages it holds with what can be done to
//! each, and how its last session ended. A button applies its command to the world
//! ([`crate::scene::devices`]) and plays the session on the map, as Send does.
//!
//! The message list is one markup string; its buttons are handled by one click listener on
//! the list, and focus returns to the pressed button (or to "Check mail") after a redraw.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::i18n::{text, tr, UiText};
use super::playback::Clock;
use crate::lang::Lang;
use crate::scene::devices::{
    check_mail, device_markup, message_command, session_line, DeviceWords, MessageAction, DEVICES,
};
use crate::sim::event::MailboxProtocol;
use crate::sim::world::{Applied, Command, World};

fn words(t: &'static UiText) -> DeviceWords<'static> {
    DeviceWords {
        empty: t.device_empty,
        folder_empty: t.device_folder_empty,
        from: t.compose_from,
        no_subject: t.no_subject,
        unread: t.unread,
        read: t.read,
        flagged: t.flagged,
        actions: t.device_actions,
        last_session: t.last_session,
        session_ok: t.session_ok,
        session_failed: t.session_failed,
        checking: t.checking,
    }
}

#[component]
pub fn Devices(world: RwSignal<World>, lang: RwSignal<Lang>, clock: Clock) -> impl IntoView {
    view! {
        <section class="kr-panel kr-devices" aria-labelledby="kr-devices-heading" data-testid="devices">
            <h2 id="kr-devices-heading" class="kr-panel__heading">{tr(lang, |t| t.devices_heading)}</h2>
            <p class="kr-devices__intro">{tr(lang, |t| t.devices_intro)}</p>
            <div class="kr-devices__pair">
                {DEVICES.map(|device| view! { <Device device world lang clock/> }).collect_view()}
            </div>
        </section>
    }
}

/// Applies the command `make` builds from the world at the end of the timeline; a session
/// plays on the map.
fn run(world: RwSignal<World>, clock: Clock, make: impl FnOnce(&World) -> Option<Command>) {
    clock.catch_up(world);
    let applied = world.try_update(|w| {
        let command = make(w)?;
        w.apply(command).ok()
    });
    if let Some(Some(Applied::Connected { .. })) = applied {
        clock.play(world);
    }
}

/// Focus `id`, or else `fallback`, if the focused element was just redrawn away.
fn restore_focus(id: &str, fallback: &str) -> bool {
    let document = document();
    let lost = document
        .active_element()
        .is_none_or(|element| element.tag_name() == "BODY");
    if !lost {
        return false;
    }
    let target = document
        .get_element_by_id(id)
        .or_else(|| document.get_element_by_id(fallback))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    target.is_some_and(|element| element.focus().is_ok())
}

#[component]
fn Device(
    device: &'static str,
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    clock: Clock,
) -> impl IntoView {
    let protocol = RwSignal::new(MailboxProtocol::Pop3);
    let keep = RwSignal::new(false);
    let refocus = StoredValue::new(None::<String>);
    let check_id = format!("kr-{device}-check");
    let busy = move || {
        world.with(|w| {
            w.topology()
                .host_id(device)
                .and_then(|host| w.device_mail(host))
                .is_some_and(|mail| mail.busy)
        })
    };
    let list = Memo::new(move |_| {
        let t = text(lang.get());
        world.with(|w| device_markup(w, device, &words(t)))
    });
    let status = Memo::new(move |_| {
        let lang = lang.get();
        world.with(|w| session_line(w, device, &words(text(lang)), lang))
    });
    Effect::new({
        let check_id = check_id.clone();
        move |_| {
            list.track();
            if let Some(id) = refocus.get_value() {
                if restore_focus(&id, &check_id) && !untrack(busy) {
                    refocus.set_value(None);
                }
            }
        }
    });
    let check = move |_| {
        if busy() {
            return;
        }
        let (protocol, keep) = (protocol.get_untracked(), keep.get_untracked());
        run(world, clock, |w| check_mail(w, device, protocol, keep));
    };
    let act = move |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("button[data-act]").ok().flatten());
        let Some(button) = button else {
            return;
        };
        let action = button
            .get_attribute("data-act")
            .and_then(|code| MessageAction::from_code(&code));
        let folder = button.get_attribute("data-folder");
        let (Some(action), Some(folder), Some(id)) =
            (action, folder, button.get_attribute("data-id"))
        else {
            return;
        };
        if busy() {
            return;
        }
        refocus.set_value(Some(button.id()));
        run(world, clock, |w| {
            message_command(w, device, (&folder, &id), action)
        });
    };
    let protocols = [MailboxProtocol::Pop3, MailboxProtocol::Imap].map(|option| {
        let name = option.to_string();
        view! {
            <label class="kr-device__choice">
                <input
                    type="radio"
                    name=format!("kr-{device}-protocol")
                    data-testid=format!("protocol-{}", name.to_ascii_lowercase())
                    prop:checked=move || protocol.get() == option
                    on:change=move |_| protocol.set(option)
                />
                {name}
            </label>
        }
    });

    view! {
        <div class="kr-device" role="group" aria-labelledby=format!("kr-{device}-name") data-testid=format!("device-{device}")>
            <h3 id=format!("kr-{device}-name") class="kr-device__name">{device}</h3>
            <fieldset class="kr-device__protocol">
                <legend>{tr(lang, |t| t.protocol)}</legend>
                {protocols.into_iter().collect_view()}
            </fieldset>
            <label class="kr-device__keep" hidden=move || protocol.get() == MailboxProtocol::Imap>
                <input type="checkbox" data-testid="keep-on-server" bind:checked=keep/>
                {tr(lang, |t| t.keep_on_server)}
            </label>
            <button
                type="button"
                class="kr-button kr-button--primary"
                id=check_id
                data-testid="check-mail"
                aria-disabled=move || busy().then_some("true")
                on:click=check
            >
                {tr(lang, |t| t.check_mail)}
            </button>
            <div class="kr-device__mail" inner_html=list on:click=act></div>
            <p class="kr-device__last" role="status" data-testid="device-last">{move || status.get()}</p>
        </div>
    }
}
