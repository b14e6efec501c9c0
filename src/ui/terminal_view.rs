//! The terminal: a `role="log"` scrollback and a native `<input>` prompt.
//!
//! Text the learner typed is only ever rendered as text nodes, never as markup.

use leptos::ev::{ClipboardEvent, KeyboardEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::i18n::text;
use crate::lang::Lang;
use crate::proto::smtp::{explain, Reply, Verb};
use crate::sim::world::World;
use crate::terminal::{Entry, LineKind, ScrollbackLine, Terminal};

#[component]
pub fn TerminalView(
    terminal: RwSignal<Terminal>,
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let input = RwSignal::new(String::new());
    let candidates = RwSignal::new(Vec::<String>::new());
    let log_ref = NodeRef::<html::Div>::new();

    // Keep the newest line in view whenever the scrollback grows.
    Effect::new(move |_| {
        terminal.with(|t| t.lines().last().map(|l| l.id));
        if let Some(log) = log_ref.get() {
            request_animation_frame(move || log.set_scroll_top(log.scroll_height()));
        }
    });

    let submit = move || {
        let line = input.get_untracked();
        input.set(String::new());
        candidates.set(Vec::new());
        world.update(|w| terminal.update(|t| t.submit(w, &line)));
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                submit();
            }
            "ArrowUp" => {
                ev.prevent_default();
                let current = input.get_untracked();
                if let Some(line) = terminal.try_update(|t| t.history_older(&current)).flatten() {
                    input.set(line);
                }
            }
            "ArrowDown" => {
                ev.prevent_default();
                if let Some(line) = terminal.try_update(|t| t.history_newer()).flatten() {
                    input.set(line);
                }
            }
            // Tab completes only what has been started; on an empty prompt it moves focus as usual.
            "Tab" if !ev.shift_key() && !input.get_untracked().is_empty() => {
                ev.prevent_default();
                let completion = terminal.with_untracked(|t| t.complete(&input.get_untracked()));
                if let Some(line) = completion.line {
                    input.set(line);
                }
                candidates.set(completion.candidates);
            }
            "Escape" => {
                ev.prevent_default();
                if let Some(log) = log_ref.get_untracked() {
                    let _ = log.focus();
                }
            }
            "l" | "L" if ev.ctrl_key() => {
                ev.prevent_default();
                terminal.update(Terminal::clear);
            }
            _ => {}
        }
    };

    let on_paste = move |ev: ClipboardEvent| {
        let Some(pasted) = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
        else {
            return;
        };
        if !pasted.contains('\n') {
            return;
        }
        ev.prevent_default();
        let text = format!("{}{}", input.get_untracked(), pasted.replace("\r\n", "\n"));
        input.set(String::new());
        world.update(|w| terminal.update(|t| t.submit_pasted(w, &text)));
    };

    let data_mode = move || terminal.with(Terminal::in_data_mode);

    view! {
        <section class="kr-term" aria-labelledby="kr-term-heading">
            <div class="kr-term__bar">
                <h2 id="kr-term-heading" class="kr-term__heading">{move || text(lang.get()).terminal_heading}</h2>
                <div class="kr-term__actions">
                    <button type="button" class="kr-button" data-testid="clear" on:click=move |_| terminal.update(Terminal::clear)>
                        {move || text(lang.get()).clear}
                    </button>
                    <button
                        type="button"
                        class="kr-button"
                        data-testid="disconnect"
                        disabled=move || !terminal.with(Terminal::is_connected)
                        on:click=move |_| world.update(|w| terminal.update(|t| t.disconnect(w)))
                    >
                        {move || text(lang.get()).disconnect}
                    </button>
                </div>
            </div>
            <div
                class="kr-term__log"
                role="log"
                aria-live="polite"
                aria-label=move || text(lang.get()).terminal_log_label
                tabindex="0"
                data-testid="terminal-log"
                node_ref=log_ref
            >
                <For
                    each=move || terminal.with(|t| t.lines().to_vec())
                    key=|line| line.id
                    children=move |line: ScrollbackLine| view! { <EntryView entry=line.entry lang/> }
                />
            </div>
            <Show when=move || !candidates.get().is_empty()>
                <p class="kr-term__candidates" data-testid="candidates">
                    <span class="kr-visually-hidden">{move || text(lang.get()).candidates}": "</span>
                    {move || candidates.get().join("   ")}
                </p>
            </Show>
            <Show when=data_mode>
                <p class="kr-term__data-hint" data-testid="data-hint">{move || text(lang.get()).data_mode_hint}</p>
            </Show>
            <form class="kr-term__prompt" on:submit=move |ev| ev.prevent_default()>
                <label class="kr-term__prompt-label" for="kr-terminal-input" data-testid="prompt">
                    <span class="kr-visually-hidden">{move || text(lang.get()).input_label}" "</span>
                    {move || terminal.with(Terminal::prompt)}
                </label>
                <input
                    id="kr-terminal-input"
                    class="kr-term__input"
                    class:kr-term__input--data=data_mode
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    enterkeyhint="send"
                    aria-describedby="kr-term-keys"
                    data-testid="terminal-input"
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev))
                    on:keydown=on_keydown
                    on:paste=on_paste
                />
            </form>
            <p id="kr-term-keys" class="kr-term__keys">{move || text(lang.get()).input_hint}</p>
        </section>
    }
}

#[component]
fn EntryView(entry: Entry, lang: RwSignal<Lang>) -> impl IntoView {
    match entry {
        Entry::Typed { text: typed, kind } => {
            let modifier = match kind {
                LineKind::Local => "local",
                LineKind::Command => "command",
                LineKind::MessageLine => "message",
            };
            view! {
                <div class=format!("kr-term__typed kr-term__typed--{modifier}") data-testid="typed">
                    <span class="kr-term__who" aria-hidden="true">{if kind == LineKind::MessageLine { "│ " } else { "› " }}</span>
                    <span class="kr-visually-hidden">{move || text(lang.get()).you_typed}" "</span>
                    <span>{typed}</span>
                </div>
            }
            .into_any()
        }
        Entry::Notice(notice) => view! {
            <div class="kr-term__notice" data-testid="notice">{move || notice.text(lang.get())}</div>
        }
        .into_any(),
        Entry::Reply { reply, answered } => view! { <ReplyView reply answered lang/> }.into_any(),
    }
}

/// Scrolls an explanation that was just opened into view, so opening one near the bottom of
/// the log does not hide it below the prompt.
fn reveal_when_opened(ev: leptos::ev::Event) {
    let Some(details) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    else {
        return;
    };
    if details.open() {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        details.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// A server reply as sent on the wire, its meaning on demand, and a hint when something failed.
#[component]
fn ReplyView(reply: Reply, answered: Option<Verb>, lang: RwSignal<Lang>) -> impl IntoView {
    let class = reply.code.class();
    let code = reply.code.get();
    let wire = reply.to_wire().trim_end().replace("\r\n", "\n");
    let explanation = {
        let reply = reply.clone();
        Memo::new(move |_| explain(&reply, answered, lang.get()))
    };
    view! {
        <div class=format!("kr-term__reply kr-term__reply--{class}xx") data-testid="reply" data-code=code.to_string()>
            <span class="kr-visually-hidden">{move || text(lang.get()).server_replied}</span>
            <pre class="kr-term__wire">{wire}</pre>
            <Show when=move || { class >= 4 }>
                <p class="kr-term__hint" data-testid="hint">
                    <strong>{move || text(lang.get()).what_next}": "</strong>
                    {move || explanation.get().next_step}
                </p>
            </Show>
            <details class="kr-explain" data-testid="explain" on:toggle=reveal_when_opened>
                <summary class="kr-explain__summary">{move || text(lang.get()).explain}</summary>
                <p class="kr-explain__code">{move || explanation.get().code}</p>
                {move || explanation.get().status.map(|status| view! { <p class="kr-explain__status">{status}</p> })}
                <p class="kr-explain__next">{move || explanation.get().next_step}</p>
            </details>
        </div>
    }
}
