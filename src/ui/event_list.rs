//! The event list: the world's log as text, one row per event (number, time, host, layer,
//! protocol, what happened), the text equivalent of the animated map for screen readers.
//!
//! A listbox whose rows are markup ([`event_list::markup`]) of at most [`WINDOW_ROWS`] rows:
//! when they only moved on, the rows gone at the top are removed and the new ones added at
//! the bottom ([`event_list::rows_update`]), else they are drawn anew; one delegated click
//! and keydown handler reads `data-index`. While following it shows the newest rows and stays scrolled to the
//! bottom; scrolling up, picking a row or the Earlier/Later buttons stop following and keep
//! the rows in place. Picking a row (click, arrow keys, Enter) sets `selected_event`.
//!
//! While the clock plays, the rows are drawn again at most every [`PLAYING_REDRAW_MS`]: a
//! hundred fresh rows to lay out on every animation frame would make the map stutter at 8×,
//! and nobody reads that fast. Paused, stepped or typed at, the list follows at once.

use leptos::ev::{Event, KeyboardEvent, MouseEvent};
use leptos::html::Ol;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::event_text::{event_text, reactive};
use super::playback::Clock;
use crate::lang::Lang;
use crate::scene::event_list::{self, layer_name, EventRow, Filter, Protocol, RowsUpdate, LAYERS};
use crate::scene::markup::element;
use crate::sim::event::Layer;
use crate::sim::world::World;

/// The most rows on the page at once.
const WINDOW_ROWS: usize = 100;
/// How far Page Up and Page Down move.
const PAGE_ROWS: isize = 10;
/// Wall-clock milliseconds between two redraws of the rows while the clock plays.
const PLAYING_REDRAW_MS: f64 = 250.0;

/// What the list shows now, and with which selection and language it was drawn.
struct Drawn {
    rows: Vec<EventRow>,
    selected: Option<usize>,
    lang: Lang,
}

#[component]
pub fn EventList(
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    selected_event: RwSignal<Option<usize>>,
    clock: Clock,
) -> impl IntoView {
    let filter = RwSignal::new(Filter::ALL);
    // Bumped when the rows should follow the world: at once, or while playing at most every
    // PLAYING_REDRAW_MS; the end of playing brings the last redraw.
    let redraw = RwSignal::new(0_u64);
    Effect::new(move |drawn_at: Option<f64>| {
        world.track();
        let playing = clock.playing.get();
        let now = js_sys::Date::now();
        match drawn_at {
            Some(at) if playing && now - at < PLAYING_REDRAW_MS => at,
            _ => {
                redraw.update(|n| *n += 1);
                now
            }
        }
    });
    // `None` follows the newest events; `Some(i)` keeps the rows around event `i`.
    let anchor = RwSignal::new(None::<usize>);
    let list = NodeRef::<Ol>::new();

    let window = Memo::new(move |_| {
        let lang = lang.get();
        let (filter, around) = (filter.get(), anchor.get());
        redraw.track();
        world.with_untracked(|w| event_list::window(w, filter, around, WINDOW_ROWS, lang))
    });

    // Draws the rows (when they only moved on, just the new ones: the rows kept are not laid
    // out again), then points assistive technology at the selected row and scrolls to the
    // newest rows, or to the selected one.
    Effect::new(move |drawn: Option<Option<Drawn>>| {
        let next = window.get();
        let (selected, lang) = (selected_event.get(), lang.get());
        let following = anchor.get().is_none();
        let list = list.get()?;
        let drawn = drawn
            .flatten()
            .filter(|drawn| drawn.selected == selected && drawn.lang == lang);
        let update = match &drawn {
            Some(drawn) => event_list::rows_update(&drawn.rows, &next, selected, lang),
            None => RowsUpdate::Redraw(event_list::markup(&next, selected, lang)),
        };
        match update {
            RowsUpdate::Same => {}
            RowsUpdate::Shift { drop, append } => {
                for _ in 0..drop {
                    if let Some(row) = list.first_element_child() {
                        row.remove();
                    }
                }
                let _ = list.insert_adjacent_html("beforeend", &append);
            }
            RowsUpdate::Redraw(html) => list.set_inner_html(&html),
        }
        let drawn = Drawn {
            rows: next.rows,
            selected,
            lang,
        };
        let selected = selected
            .and_then(|index| {
                list.query_selector(&format!("#{}", event_list::row_id(index)))
                    .ok()
            })
            .flatten()
            .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok());
        match &selected {
            Some(row) => {
                let _ = list.set_attribute("aria-activedescendant", &row.id());
            }
            None => {
                let _ = list.remove_attribute("aria-activedescendant");
            }
        }
        if following {
            list.set_scroll_top(list.scroll_height());
        } else if let Some(row) = selected {
            let (top, height) = (row.offset_top(), row.offset_height());
            let (scrolled, visible) = (list.scroll_top(), list.client_height());
            if top < scrolled {
                list.set_scroll_top(top);
            } else if top + height > scrolled + visible {
                list.set_scroll_top(top + height - visible);
            }
        }
        Some(drawn)
    });

    // Stops following without moving the rows on screen.
    let hold = move || {
        if anchor.get_untracked().is_none() {
            let filter = filter.get_untracked();
            let centre =
                world.with_untracked(|w| event_list::newest_centre(w, filter, WINDOW_ROWS));
            anchor.set(centre);
        }
    };
    let pick = move |index: usize| {
        hold();
        selected_event.set(Some(index));
        let shown = list.get_untracked().is_some_and(|list| {
            list.query_selector(&format!("#{}", event_list::row_id(index)))
                .ok()
                .flatten()
                .is_some()
        });
        if !shown {
            anchor.set(Some(index));
        }
    };
    let on_click = move |ev: MouseEvent| {
        let index = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("[data-index]").ok().flatten())
            .and_then(|row| row.get_attribute("data-index"))
            .and_then(|index| index.parse().ok());
        if let Some(index) = index {
            pick(index);
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        let by = match ev.key().as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            "PageDown" => PAGE_ROWS,
            "PageUp" => -PAGE_ROWS,
            "Home" => isize::MIN,
            "End" => isize::MAX,
            "Enter" | " " => 0,
            _ => return,
        };
        ev.prevent_default();
        let filter = filter.get_untracked();
        // With nothing picked yet, start from the rows in view.
        let (from, by) = match selected_event.get_untracked() {
            Some(index) => (index, by),
            None => (anchor.get_untracked().unwrap_or(usize::MAX), 0),
        };
        if let Some(index) = world.with_untracked(|w| event_list::step(w, filter, from, by)) {
            pick(index);
        }
    };
    let on_scroll = move |_: Event| {
        let Some(list) = list.get_untracked() else {
            return;
        };
        let at_bottom = list.scroll_top() + list.client_height() + 4 >= list.scroll_height();
        if !at_bottom {
            hold();
        }
    };
    // Moves the rows half a window back (`-1`) or on (`1`).
    let page = move |direction: isize| {
        hold();
        let filter = filter.get_untracked();
        let centre = anchor.get_untracked().unwrap_or(usize::MAX);
        let by = direction * (WINDOW_ROWS / 2) as isize;
        let moved = world.with_untracked(|w| event_list::step(w, filter, centre, by));
        if moved.is_some() {
            anchor.set(moved);
        }
    };

    let columns = move || {
        let mut html = String::new();
        for title in event_text(lang.get()).columns {
            element(&mut html, "span", title);
        }
        html
    };

    let filter_button = move |protocol: Option<Protocol>| {
        let pressed = move || {
            let filter = filter.get();
            protocol.map_or(filter.is_all(), |p| filter.picks(p))
        };
        let toggle = move |_| {
            filter.update(|f| *f = protocol.map_or(Filter::ALL, |p| f.toggled(p)));
        };
        let id = protocol.map_or("all", Protocol::name).to_ascii_lowercase();
        view! {
            <button
                type="button"
                class="kr-events__filter"
                data-testid=format!("event-filter-{id}")
                aria-pressed=move || pressed().to_string()
                on:click=toggle
            >
                {move || protocol.map_or(event_text(lang.get()).all, Protocol::name)}
            </button>
        }
    };

    let layer_button = move |layer: Layer| {
        let pressed = move || filter.get().picks_layer(layer);
        let toggle = move |_| filter.update(|f| *f = f.toggled_layer(layer));
        view! {
            <button
                type="button"
                class="kr-events__filter"
                data-testid=format!("event-layer-{}", layer.number())
                aria-pressed=move || pressed().to_string()
                on:click=toggle
            >
                {move || layer_name(layer, lang.get())}
            </button>
        }
    };

    view! {
        <section class="kr-panel kr-events" aria-labelledby="kr-events-heading" data-testid="events">
            <h2 id="kr-events-heading" class="kr-panel__heading">{reactive(lang, |t| t.heading)}</h2>
            <div class="kr-events__bar">
                <div class="kr-events__filters" role="group" aria-label=reactive(lang, |t| t.filter_label)>
                    {filter_button(None)}
                    {Protocol::ALL.into_iter().map(|p| filter_button(Some(p))).collect_view()}
                </div>
                <div class="kr-events__filters" role="group" aria-label=reactive(lang, |t| t.layer_filter_label)>
                    {LAYERS.into_iter().map(layer_button).collect_view()}
                </div>
                <button
                    type="button"
                    class="kr-button"
                    data-testid="event-follow"
                    aria-pressed=move || anchor.get().is_none().to_string()
                    on:click=move |_| if anchor.get_untracked().is_none() { hold() } else { anchor.set(None) }
                >
                    {reactive(lang, |t| t.follow)}
                </button>
            </div>
            <div class="kr-events__columns" aria-hidden="true" inner_html=columns></div>
            <ol
                class="kr-events__list"
                node_ref=list
                role="listbox"
                tabindex="0"
                data-testid="event-list"
                aria-label=reactive(lang, |t| t.list_label)
                aria-describedby="kr-events-keys"
                data-empty=reactive(lang, |t| t.empty)
                on:click=on_click
                on:keydown=on_key
                on:scroll=on_scroll
            ></ol>
            <div class="kr-events__bar">
                <button type="button" class="kr-button" data-testid="event-earlier" on:click=move |_| page(-1)>
                    {reactive(lang, |t| t.earlier)}
                </button>
                <button type="button" class="kr-button" data-testid="event-later" on:click=move |_| page(1)>
                    {reactive(lang, |t| t.later)}
                </button>
                <p id="kr-events-keys" class="kr-events__keys">{reactive(lang, |t| t.keys_hint)}</p>
            </div>
        </section>
    }
}
