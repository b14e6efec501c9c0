//! The network map: the world's drawing ([`map_svg::draw`]) with one invisible button per
//! host on top — click, tap, Enter or Space picks it — and, below, the picked host's card.
//! The drawing and the card are markup strings built from escaped text, so the map costs one
//! DOM update per change instead of hundreds of reactive nodes.

use std::fmt::Write;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::course::LearnerLog;
use super::i18n::{role_label, text, tr, UiText};
use crate::lang::Lang;
use crate::lesson::check::LearnerAction;
use crate::scene::host_card::{messages_held, HostCard};
use crate::scene::layout::{MapLayout, Orientation};
use crate::scene::mail_hops::mail_hops;
use crate::scene::map_svg::{self, px, HostState};
use crate::scene::markup::{element, escape};
use crate::scene::motion::{self, MapView};
use crate::sim::id::HostId;
use crate::sim::world::World;

/// Up or down, and messages held (queue and mailboxes): cheap enough for every step.
fn host_states(world: &World, layout: &MapLayout) -> Vec<HostState> {
    layout
        .hosts
        .iter()
        .map(|spot| HostState {
            host: spot.host,
            up: world.topology().host(spot.host).is_some_and(|h| h.up),
            held: messages_held(world, spot.host),
        })
        .collect()
}

#[component]
pub fn NetworkMap(
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    selected_host: RwSignal<Option<HostId>>,
    selected_event: RwSignal<Option<usize>>,
) -> impl IntoView {
    let orientation = RwSignal::new(orientation_for_window());
    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        orientation.set(orientation_for_window());
    });
    // Memos, so that the DOM changes only when the picture does, not at every step.
    let layout = Memo::new(move |_| {
        let orientation = orientation.get();
        world.with(|w| MapLayout::oriented(w.topology(), orientation))
    });
    let drawing = Memo::new(move |_| {
        let internet = text(lang.get()).internet;
        world.with(|w| {
            let picked_link = selected_event
                .get()
                .and_then(|index| w.events().get(index))
                .and_then(|event| event.frame())
                .and_then(|frame| w.frame_link(frame));
            layout.with(|l| map_svg::draw(l, &host_states(w, l), internet, picked_link))
        })
    });
    let view_box = move || layout.with(|l| format!("0 0 {} {}", px(l.width), px(l.height)));
    let map_view = RwSignal::new(MapView::Packets);
    // Redrawn at every step: positions are functions of the world's virtual time.
    let moving = move || world.with(|w| layout.with(|l| motion::draw(w, l, map_view.get())));
    // The last hop a message completed, in words, for screen readers.
    let last_hop = Memo::new(move |_| {
        let t = text(lang.get());
        world.with(|w| {
            let now = w.now();
            mail_hops(w.events())
                .iter()
                .rev()
                .find(|hop| hop.arrived.is_some_and(|at| at <= now))
                .map(|hop| {
                    let name = |host| w.topology().host_name(host);
                    format!("{} → {}: {}", name(hop.from), name(hop.to), t.hop_done)
                })
                .unwrap_or_default()
        })
    });
    let learner = use_context::<LearnerLog>();
    let view_button = move |view: MapView, label: fn(&UiText) -> &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                class="kr-map__view"
                data-testid=id
                aria-pressed=move || (map_view.get() == view).to_string()
                on:click=move |_| {
                    map_view.set(view);
                    if let Some(learner) = learner {
                        learner.record(LearnerAction::Viewed {
                            view: match view {
                                MapView::Mail => "mail",
                                MapView::Packets => "packet",
                            }
                            .to_string(),
                        });
                    }
                }
            >
                {tr(lang, label)}
            </button>
        }
    };

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
            <div class="kr-map__bar">
                <h2 id="kr-map-heading" class="kr-panel__heading">{tr(lang, |t| t.map_heading)}</h2>
                <div class="kr-map__views" role="group" aria-label=tr(lang, |t| t.map_views)>
                    {view_button(MapView::Mail, |t| t.mail_view, "mail-view")}
                    {view_button(MapView::Packets, |t| t.packet_view, "packet-view")}
                </div>
            </div>
            <svg
                class=move || if map_view.get() == MapView::Mail { "kr-map__svg kr-map__svg--mail" } else { "kr-map__svg" }
                viewBox=view_box
                role="group"
                aria-label=tr(lang, |t| t.map_label)
            >
                <g inner_html=drawing/>
                <g inner_html=moving data-testid="moving"/>
                <g>{buttons}</g>
            </svg>
            <p class="kr-visually-hidden" aria-live="polite" data-testid="hop-announcement">{last_hop}</p>
            <div class="kr-hostcard" data-testid="host-card" aria-live="polite" inner_html=card_html></div>
        </section>
    }
}

/// Narrow windows (phones) get the map top to bottom, so that it fills their width.
fn orientation_for_window() -> Orientation {
    let width = window()
        .inner_width()
        .ok()
        .and_then(|width| width.as_f64())
        .unwrap_or(1024.0);
    if width < NARROW_WINDOW_PX {
        Orientation::Down
    } else {
        Orientation::Across
    }
}

/// Below this width (CSS pixels) the map runs top to bottom.
const NARROW_WINDOW_PX: f64 = 700.0;

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
