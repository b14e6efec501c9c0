//! The layer inspector: the frame of the picked event as five nested layer boxes with every
//! field explained, its bytes as a hex dump (hovering or focusing a field lights up its bytes,
//! hovering a byte lights up its field), the encapsulation steps where the frame is, and
//! "Follow the stream" for its TCP connection. Everything it shows is built in
//! `crate::scene` as escaped markup and set with `inner_html`; one delegated handler per
//! container reads the `data-*` attributes, so the panel adds few reactive nodes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::lang::Lang;
use crate::scene::encapsulation::{steps_at_event, steps_markup};
use crate::scene::inspector::{highlight_css, Inspection};
use crate::scene::markup::element;
use crate::scene::transcript::follow;
use crate::sim::world::World;

/// The inspector's words in one language; a missing translation does not compile.
struct InspectorText {
    heading: &'static str,
    pick_event: &'static str,
    no_frame: &'static str,
    steps_heading: &'static str,
    show_all_steps: &'static str,
    layers_heading: &'static str,
    hex_label: &'static str,
    follow_stream: &'static str,
    not_tcp: &'static str,
    client: &'static str,
    server: &'static str,
    frame_of: &'static str,
}

const EN: InspectorText = InspectorText {
    heading: "Layer inspector",
    pick_event: "Pick an event in the timeline to see its frame, layer by layer.",
    no_frame:
        "This event has no frame of its own. Pick a frame that was sent, received or forwarded.",
    steps_heading: "What happens to it here",
    show_all_steps: "Show all steps",
    layers_heading: "Layers, outside in",
    hex_label: "The frame's bytes in hexadecimal, 16 to a row, with the text they spell",
    follow_stream: "Follow the stream",
    not_tcp: "This frame is not part of a TCP connection, so there is no stream to follow.",
    client: "Client",
    server: "Server",
    frame_of: "bytes on",
};

const ID: InspectorText = InspectorText {
    heading: "Pemeriksa lapisan",
    pick_event: "Pilih satu kejadian di timeline untuk melihat frame-nya, lapis demi lapis.",
    no_frame: "Kejadian ini tidak punya frame sendiri. Pilih frame yang dikirim, diterima, atau diteruskan.",
    steps_heading: "Apa yang terjadi padanya di sini",
    show_all_steps: "Tampilkan semua langkah",
    layers_heading: "Lapisan, dari luar ke dalam",
    hex_label: "Byte frame ini dalam heksadesimal, 16 per baris, dengan teks yang dibentuknya",
    follow_stream: "Ikuti alirannya",
    not_tcp: "Frame ini bukan bagian dari koneksi TCP, jadi tidak ada aliran untuk diikuti.",
    client: "Klien",
    server: "Server",
    frame_of: "byte di",
};

fn words(lang: Lang) -> &'static InspectorText {
    lang.pick(&EN, &ID)
}

/// The `data-*` attribute `name` of the element the event happened on or its closest
/// ancestor that has one.
fn data_of(ev: &web_sys::Event, name: &str) -> Option<String> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target
        .closest(&format!("[{name}]"))
        .ok()??
        .get_attribute(name)
}

#[component]
pub fn Inspector(
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    selected_event: RwSignal<Option<usize>>,
) -> impl IntoView {
    // The picked event and its frame: the panel is rebuilt only when these change (another
    // pick, or a step back that rebuilt the world), not at every step of virtual time.
    let picked = Memo::new(move |_| {
        let index = selected_event.get()?;
        world.with(|w| Some((index, w.events().get(index)?.frame())))
    });
    // The style rule that lights up the hovered or focused field and its bytes.
    let highlight = RwSignal::new(String::new());
    let stream_open = RwSignal::new(false);
    // "Show all steps" pressed for this pick: the steps stay still, in either language,
    // until another frame is picked.
    let steps_still = RwSignal::new(false);
    Effect::new(move |_| {
        picked.track();
        steps_still.set(false);
    });

    let body = Memo::new(move |_| {
        let lang = lang.get();
        let t = words(lang);
        let mut html = String::new();
        match picked.get() {
            None => element(&mut html, "p", t.pick_event),
            Some((_, None)) => element(&mut html, "p", t.no_frame),
            Some((index, Some(frame))) => world.with_untracked(|w| {
                let Some(bytes) = w.frame(frame) else {
                    return;
                };
                let link = w.frame_link(frame).and_then(|l| w.topology().link(l));
                let speed = link.map_or(0, |l| l.bits_per_second);
                let name = link.map_or("", |l| l.name.as_str());
                element(
                    &mut html,
                    "p",
                    &format!("{frame} · {} {} {name}", bytes.len(), t.frame_of),
                );
                element(&mut html, "h3", t.steps_heading);
                let steps = steps_at_event(w, index);
                html.push_str(&steps_markup(
                    &steps,
                    lang,
                    t.show_all_steps,
                    steps_still.get(),
                ));
                element(&mut html, "h3", t.layers_heading);
                html.push_str(&Inspection::of(bytes, speed, lang).markup(lang, t.hex_label));
            }),
        }
        html
    });
    let mark = move |ev: web_sys::Event| {
        let Some(id) = data_of(&ev, "data-f").and_then(|id| id.parse::<usize>().ok()) else {
            return;
        };
        // A byte names its field; the field's row knows the field's whole range.
        let range = ev
            .current_target()
            .and_then(|c| c.dyn_into::<web_sys::Element>().ok())
            .and_then(|c| {
                c.query_selector(&format!(r#".kr-insp__field[data-f="{id}"]"#))
                    .ok()?
            })
            .and_then(|row| row.get_attribute("data-r"))
            .and_then(|r| {
                let (start, end) = r.split_once(',')?;
                Some(start.parse().ok()?..end.parse().ok()?)
            });
        if let Some(range) = range {
            highlight.set(highlight_css(id, &range));
        }
    };
    // "Show all steps": the list stops animating; the next pick brings a new list.
    let skip = move |ev: web_sys::Event| {
        if data_of(&ev, "data-skip").is_some() {
            steps_still.set(true);
        }
    };

    // A memo, so a step of virtual time that adds nothing to the stream leaves the DOM alone.
    let stream = Memo::new(move |_| {
        let mut html = String::new();
        if !stream_open.get() {
            return html;
        }
        let t = words(lang.get());
        let Some((index, _)) = picked.get() else {
            element(&mut html, "p", t.pick_event);
            return html;
        };
        match world.with(|w| follow(w, index)) {
            Some(transcript) => html = transcript.markup(t.client, t.server),
            None => element(&mut html, "p", t.not_tcp),
        }
        html
    });
    let pick_line = move |ev: web_sys::Event| {
        if let Some(index) = data_of(&ev, "data-event").and_then(|i| i.parse().ok()) {
            selected_event.set(Some(index));
        }
    };

    view! {
        <section class="kr-panel kr-insp" aria-labelledby="kr-insp-heading" data-testid="inspector">
            <h2 id="kr-insp-heading" class="kr-panel__heading">{move || words(lang.get()).heading}</h2>
            <style>{move || highlight.get()}</style>
            <div
                class="kr-insp__body"
                data-testid="inspector-body"
                inner_html=body
                on:mouseover=move |ev| mark(ev.into())
                on:focusin=move |ev| mark(ev.into())
                on:mouseleave=move |_| highlight.set(String::new())
                on:click=move |ev| skip(ev.into())
            ></div>
            <details
                class="kr-stream"
                data-testid="follow-stream"
                on:toggle=move |ev| {
                    let open = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                        .is_some_and(|details| details.open());
                    stream_open.set(open);
                }
            >
                <summary class="kr-stream__summary">{move || words(lang.get()).follow_stream}</summary>
                <div data-testid="stream" inner_html=stream on:click=move |ev| pick_line(ev.into())></div>
            </details>
        </section>
    }
}
