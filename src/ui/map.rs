//! The network map: the world's drawing ([`map_svg::draw`]) with one invisible button per
//! host on top — click, tap, Enter or Space picks it — and, below, the picked host's card.
//! The drawing and the card are markup strings built from escaped text, so the map costs one
//! DOM update per change instead of hundreds of reactive nodes.

use std::fmt::Write;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::i18n::{role_label, text, UiText};
use crate::lang::Lang;
use crate::scene::host_card::HostCard;
use crate::scene::layout::MapLayout;
use crate::scene::map_svg::{self, px, HostState};
use crate::scene::markup::{element, escape};
use crate::sim::id::HostId;
use crate::sim::world::World;

fn host_states(world: &World, layout: &MapLayout) -> Vec<HostState> {
    layout
        .hosts
        .iter()
        .filter_map(|spot| HostCard::of(world, spot.host))
        .map(|card| HostState {
            host: card.host,
            up: card.up,
            held: card.messages_held(),
        })
        .collect()
}

#[component]
pub fn NetworkMap(
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    selected_host: RwSignal<Option<HostId>>,
) -> impl IntoView {
    // Memos, so that the DOM changes only when the picture does, not at every step.
    let layout = Memo::new(move |_| world.with(|w| MapLayout::of(w.topology())));
    let drawing = Memo::new(move |_| {
        let internet = text(lang.get()).internet;
        world.with(|w| layout.with(|l| map_svg::draw(l, &host_states(w, l), internet)))
    });
    let view_box = move || layout.with(|l| format!("0 0 {} {}", px(l.width), px(l.height)));

    let buttons = move || {
        layout.with(|l| {
            l.hosts
                .iter()
                .map(|spot| {
                    let host = spot.host;
                    let name = spot.name.clone();
                    let role = spot.role;
                    let label = move || {
                        let lang = lang.get();
                        let up = world.with(|w| w.topology().host(host).is_some_and(|h| h.up));
                        let state = if up { "" } else { text(lang).host_down };
                        format!("{name}, {} {state}", role_label(role, lang))
                            .trim_end()
                            .to_string()
                    };
                    let select = move || {
                        selected_host
                            .update(|s| *s = if *s == Some(host) { None } else { Some(host) })
                    };
                    let on_key = move |ev: KeyboardEvent| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            select();
                        }
                    };
                    view! {
                        <circle
                            class="kr-map__button"
                            cx=px(spot.at.x)
                            cy=px(spot.at.y)
                            r="30"
                            role="button"
                            tabindex="0"
                            data-host=spot.name.clone()
                            aria-label=label
                            aria-pressed=move || (selected_host.get() == Some(host)).to_string()
                            on:click=move |_| select()
                            on:keydown=on_key
                        />
                    }
                })
                .collect_view()
        })
    };

    let card_html = Memo::new(move |_| {
        let lang = lang.get();
        let card = selected_host
            .get()
            .and_then(|host| world.with(|w| HostCard::of(w, host)));
        match card {
            Some(card) => card_markup(&card, text(lang), lang),
            None => {
                let mut html = String::new();
                element(&mut html, "p", text(lang).pick_a_host);
                html
            }
        }
    });

    view! {
        <section class="kr-panel kr-map" aria-labelledby="kr-map-heading" data-testid="map">
            <h2 id="kr-map-heading" class="kr-panel__heading">{move || text(lang.get()).map_heading}</h2>
            <svg class="kr-map__svg" viewBox=view_box role="group" aria-label=move || text(lang.get()).map_label>
                <g inner_html=drawing/>
                <g>{buttons}</g>
            </svg>
            <div class="kr-hostcard" data-testid="host-card" aria-live="polite" inner_html=card_html></div>
        </section>
    }
}

/// The host card as HTML: name, role and state, interfaces, routes, DNS records, queue,
/// mailboxes; every value escaped.
fn card_markup(card: &HostCard, t: &UiText, lang: Lang) -> String {
    let mut html = String::new();
    element(&mut html, "h3", &card.name);
    let state = if card.up { t.host_up } else { t.host_down };
    element(
        &mut html,
        "p",
        &format!("{} · {state}", role_label(card.role, lang)),
    );
    let mut list = |title: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        element(&mut html, "h4", title);
        html.push_str("<ul>");
        for item in items {
            let _ = write!(html, "<li><code>{}</code></li>", escape(&item));
        }
        html.push_str("</ul>");
    };
    list(
        t.interfaces,
        card.interfaces
            .iter()
            .map(|i| format!("{} {} · MAC {} · {}", i.name, i.address, i.mac, i.link))
            .collect(),
    );
    list(t.routing_table, card.routes.clone());
    list(t.dns_records, card.dns_records.clone());
    list(
        t.outbound_queue,
        card.queue
            .iter()
            .map(|q| {
                format!(
                    "<{}> → {} · {} {}",
                    q.from,
                    q.to.join(", "),
                    q.attempts,
                    t.attempts
                )
            })
            .collect(),
    );
    list(
        t.mailboxes,
        card.mailboxes
            .iter()
            .map(|(address, count)| format!("{address}: {count}"))
            .collect(),
    );
    html
}
