//! The terminal: a `role="log"` scrollback and a native `<input>` prompt.
//!
//! The scrollback is markup built from escaped text ([`entry_markup`]): what the learner
//! typed, and what a server echoed of it, can never become a tag. New lines are appended and
//! lines that leave are removed in place, so a screen reader announces only what is new; a
//! language switch redraws the log and reopens the explanations that were open.
//!
//! A typed line goes through the world like any other traffic: the terminal waits for the
//! reply, then the clock goes back to where the line was sent and plays the exchange, so the
//! map shows the segments that carried it (and the relay that a finished message sets off).
//! What arrives with nothing typed (IMAP IDLE news as the world plays on) is picked up as the
//! world changes.

use std::fmt::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use leptos::ev::{ClipboardEvent, KeyboardEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::i18n::{text, tr};
use super::playback::Clock;
use crate::lang::Lang;
use crate::proto::{imap, pop3, smtp::explain};
use crate::scene::markup::escape;
use crate::sim::world::World;
use crate::terminal::{labels, Entry, ImapResponse, LineKind, Pop3Reply, ScrollbackLine, Terminal};

/// The `<details>` the learner has open, by their `data-key`, so that markup drawn again
/// (in the other language, or with new mail) opens them again.
/// (Shared with the memos that draw markup, hence `Arc<Mutex<…>>`; the page has one thread.)
#[derive(Clone, Default)]
pub(super) struct OpenDetails(Arc<Mutex<Vec<String>>>);

impl OpenDetails {
    fn keys(&self) -> MutexGuard<'_, Vec<String>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn is_open(&self, key: &str) -> bool {
        self.keys().iter().any(|open| open == key)
    }

    /// Follows a `toggle` event (listened to in the capture phase: it does not bubble).
    /// Returns the element when the learner has just opened it, not when a redraw did.
    pub fn note(&self, ev: &web_sys::Event) -> Option<web_sys::HtmlDetailsElement> {
        let details = ev
            .target()?
            .dyn_into::<web_sys::HtmlDetailsElement>()
            .ok()?;
        let key = details.get_attribute("data-key")?;
        let mut open = self.keys();
        match (details.open(), open.iter().position(|k| *k == key)) {
            (true, None) => {
                open.push(key);
                Some(details)
            }
            (false, Some(index)) => {
                open.swap_remove(index);
                None
            }
            _ => None,
        }
    }
}

/// Which scrollback lines the log element holds: ids `from..to`, drawn in `lang`.
#[derive(Default)]
struct Shown {
    lang: Option<Lang>,
    from: u64,
    to: u64,
}

/// Brings the log element up to date with `lines`: lines only leave from the front (the
/// scrollback is full, or cleared) and arrive at the end, each drawn as one element.
fn sync_log(
    log: &web_sys::Element,
    lines: &[ScrollbackLine],
    lang: Lang,
    shown: Shown,
    open: &OpenDetails,
) -> Shown {
    let to = lines.last().map_or(shown.to, |line| line.id + 1);
    let from = lines.first().map_or(to, |line| line.id);
    let mut html = String::new();
    if shown.lang != Some(lang) {
        for line in lines {
            entry_markup(&mut html, line, lang, open);
        }
        log.set_inner_html(&html);
    } else {
        let first = lines.first().map_or(u64::MAX, |line| line.id);
        let gone = first.min(shown.to).saturating_sub(shown.from);
        for _ in 0..gone {
            if let Some(child) = log.first_element_child() {
                child.remove();
            }
        }
        for line in lines.iter().filter(|line| line.id >= shown.to) {
            entry_markup(&mut html, line, lang, open);
        }
        if gone == 0 && html.is_empty() {
            return shown;
        }
        let _ = log.insert_adjacent_html("beforeend", &html);
        // Keep the newest line in view.
        log.set_scroll_top(log.scroll_height());
    }
    Shown {
        lang: Some(lang),
        from,
        to,
    }
}

/// Scrolls an explanation that was just opened into view, so opening one near the bottom of
/// the log does not hide it below the prompt.
fn reveal(details: web_sys::HtmlDetailsElement) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    details.scroll_into_view_with_scroll_into_view_options(&options);
}

#[component]
pub fn TerminalView(
    terminal: RwSignal<Terminal>,
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
    clock: Clock,
) -> impl IntoView {
    let input = RwSignal::new(String::new());
    // What the terminal does to the world happens at the end of the timeline; the terminal
    // waits for each reply, then the clock plays the exchange back on the map.
    let act = move |action: &dyn Fn(&mut Terminal, &mut World)| {
        clock.catch_up(world);
        let before = world.with_untracked(|w| w.events().len());
        world.update(|w| terminal.update(|t| action(t, w)));
        clock.replay_since(world, before);
    };
    let candidates = RwSignal::new(Vec::<String>::new());
    let log_ref = NodeRef::<html::Div>::new();
    let open = OpenDetails::default();

    Effect::new({
        let open = open.clone();
        move |shown: Option<Shown>| {
            let lang = lang.get();
            let shown = shown.unwrap_or_default();
            match log_ref.get() {
                Some(log) => terminal.with(|t| sync_log(&log, t.lines(), lang, shown, &open)),
                None => shown,
            }
        }
    });

    // IDLE news arrives while the world plays, with nothing typed: look when the world moves.
    Effect::new(move |_| {
        let has_news = world.with(|w| terminal.with_untracked(|t| t.has_news(w)));
        if has_news {
            world.with_untracked(|w| {
                terminal.update(|t| {
                    t.poll(w);
                })
            });
        }
    });

    let submit = move || {
        let line = input.get_untracked();
        input.set(String::new());
        candidates.set(Vec::new());
        act(&|t, w| t.submit(w, &line));
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
        // A whole pasted message would take minutes to play back: only its last line is.
        clock.catch_up(world);
        let last_line_from = world
            .try_update(|w| terminal.try_update(|t| t.submit_pasted(w, &text)))
            .flatten();
        if let Some(from) = last_line_from {
            clock.replay_since(world, from);
        }
    };

    let data_mode = move || terminal.with(Terminal::in_data_mode);
    let idling = move || terminal.with(Terminal::is_idling);
    let prompt_hint = move || match idling() {
        true => labels::idle_hint(lang.get()),
        false => text(lang.get()).data_mode_hint,
    };

    view! {
        <section class="kr-term" aria-labelledby="kr-term-heading">
            <div class="kr-term__bar">
                <h2 id="kr-term-heading" class="kr-term__heading">{tr(lang, |t| t.terminal_heading)}</h2>
                <div class="kr-term__actions">
                    <button type="button" class="kr-button" data-testid="clear" on:click=move |_| terminal.update(Terminal::clear)>
                        {tr(lang, |t| t.clear)}
                    </button>
                    <button
                        type="button"
                        class="kr-button"
                        data-testid="disconnect"
                        disabled=move || !terminal.with(Terminal::is_connected)
                        on:click=move |_| act(&|t, w| t.disconnect(w))
                    >
                        {tr(lang, |t| t.disconnect)}
                    </button>
                </div>
            </div>
            <div
                class="kr-term__log"
                role="log"
                aria-live="polite"
                aria-label=tr(lang, |t| t.terminal_log_label)
                tabindex="0"
                data-testid="terminal-log"
                node_ref=log_ref
                on:toggle:capture=move |ev| {
                    if let Some(details) = open.note(&ev) {
                        reveal(details);
                    }
                }
            ></div>
            <p class="kr-term__candidates" data-testid="candidates" hidden=move || candidates.with(Vec::is_empty)>
                <span class="kr-visually-hidden">{tr(lang, |t| t.candidates)}": "</span>
                {move || candidates.get().join("   ")}
            </p>
            <p class="kr-term__data-hint" data-testid="data-hint" hidden=move || !data_mode() && !idling()>{prompt_hint}</p>
            <form class="kr-term__prompt" on:submit=move |ev| ev.prevent_default()>
                <label class="kr-term__prompt-label" for="kr-terminal-input" data-testid="prompt">
                    <span class="kr-visually-hidden">{tr(lang, |t| t.input_label)}" "</span>
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
            <p id="kr-term-keys" class="kr-term__keys">{tr(lang, |t| t.input_hint)}</p>
        </section>
    }
}

/// Appends one scrollback line as a single element: what was typed, a notice, or a server
/// reply as sent on the wire with its meaning on demand and a hint when something failed.
fn entry_markup(html: &mut String, line: &ScrollbackLine, lang: Lang, open: &OpenDetails) {
    let t = text(lang);
    match &line.entry {
        Entry::Typed { text: typed, kind } => {
            let (modifier, prompt) = match kind {
                LineKind::Local => ("local", "› "),
                LineKind::Command => ("command", "› "),
                LineKind::MessageLine => ("message", "│ "),
            };
            let _ = write!(
                html,
                "<div class=\"kr-term__typed kr-term__typed--{modifier}\" data-testid=\"typed\">\
                 <span class=\"kr-term__who\" aria-hidden=\"true\">{prompt}</span>\
                 <span class=\"kr-visually-hidden\">{} </span><span>{}</span></div>",
                escape(t.you_typed),
                escape(typed)
            );
        }
        Entry::Notice(notice) => {
            let _ = write!(
                html,
                "<div class=\"kr-term__notice\" data-testid=\"notice\">{}</div>",
                escape(&notice.text(lang))
            );
        }
        Entry::Pop3(reply) => pop3_markup(html, line.id, reply, lang, open),
        Entry::Imap(response) => imap_markup(html, line.id, response, lang, open),
        Entry::Reply { reply, answered } => {
            let class = reply.code.class();
            let wire = reply.to_wire();
            let explanation = explain(reply, *answered, lang);
            let _ = write!(
                html,
                "<div class=\"kr-term__reply kr-term__reply--{class}xx\" data-testid=\"reply\" data-code=\"{}\">\
                 <span class=\"kr-visually-hidden\">{}</span><pre class=\"kr-term__wire\">{}</pre>",
                reply.code.get(),
                escape(t.server_replied),
                escape(&wire.trim_end().replace("\r\n", "\n"))
            );
            let next_step = escape(&explanation.next_step);
            if class >= 4 {
                let _ = write!(
                    html,
                    "<p class=\"kr-term__hint\" data-testid=\"hint\"><strong>{}: </strong>{next_step}</p>",
                    escape(t.what_next)
                );
            }
            let key = line.id.to_string();
            let _ = write!(
                html,
                "<details class=\"kr-explain\" data-testid=\"explain\" data-key=\"{key}\"{}>\
                 <summary class=\"kr-explain__summary\">{}</summary><p class=\"kr-explain__code\">{}</p>",
                if open.is_open(&key) { " open" } else { "" },
                escape(t.explain),
                escape(&explanation.code)
            );
            if let Some(status) = &explanation.status {
                let _ = write!(
                    html,
                    "<p class=\"kr-explain__status\">{}</p>",
                    escape(status)
                );
            }
            let _ = write!(
                html,
                "<p class=\"kr-explain__next\">{next_step}</p></details></div>"
            );
        }
    }
}

/// What a reply is made of on screen: its wire text, its look, and its explanation.
struct ReplyShown<'a> {
    /// `2` success, `3` intermediate or news, `5` refusal: the reply colours of SMTP.
    class: u8,
    /// The `data-status` hook: `+OK`, `-ERR`, `OK`, `NO`, `BAD`, `*`, `+`.
    status: &'a str,
    wire: &'a str,
    meaning: &'a str,
    next_step: &'a str,
}

/// A POP3 reply: the status line and the un-stuffed body, explained; a hint after `-ERR`.
fn pop3_markup(html: &mut String, id: u64, reply: &Pop3Reply, lang: Lang, open: &OpenDetails) {
    let explanation = pop3::explain::explain(&reply.status, reply.answered.as_deref(), lang);
    let mut wire = reply.status.clone();
    for body_line in reply.body.iter().flatten() {
        wire.push('\n');
        wire.push_str(body_line);
    }
    let (class, status) = match reply.is_ok() {
        true => (2, "+OK"),
        false => (5, "-ERR"),
    };
    let shown = ReplyShown {
        class,
        status,
        wire: &wire,
        meaning: explanation.meaning,
        next_step: explanation.next_step,
    };
    reply_markup(html, id, &shown, lang, open);
}

/// An IMAP response: untagged data plainly; the greeting, BYE, continuations and completions
/// explained; a hint after NO or BAD.
fn imap_markup(
    html: &mut String,
    id: u64,
    response: &ImapResponse,
    lang: Lang,
    open: &OpenDetails,
) {
    let first_line = response.first_line();
    let explanation = imap::explain::explain(first_line, response.answered.as_deref(), lang);
    let status = response.status();
    let (class, status) = match (first_line.split(' ').next(), status.as_deref()) {
        (_, Some(refusal @ ("NO" | "BAD"))) => (5, refusal),
        (Some("+"), _) => (3, "+"),
        (Some("*"), Some("OK")) if response.answered.is_none() => (2, "OK"),
        (Some("*"), Some("BYE")) => (3, "BYE"),
        (Some("*"), _) => (3, "*"),
        (_, Some(ok)) => (2, ok),
        (_, None) => (5, "?"),
    };
    if status == "*" {
        let _ = write!(
            html,
            "<div class=\"kr-term__reply kr-term__reply--3xx\" data-testid=\"reply\" data-status=\"*\">\
             <span class=\"kr-visually-hidden\">{}</span><pre class=\"kr-term__wire\">{}</pre></div>",
            escape(text(lang).server_replied),
            escape(&response.text)
        );
        return;
    }
    let shown = ReplyShown {
        class,
        status,
        wire: &response.text,
        meaning: explanation.meaning,
        next_step: explanation.next_step,
    };
    reply_markup(html, id, &shown, lang, open);
}

/// A POP3 or IMAP reply as one element: the wire text, a hint when refused, the explanation
/// on demand.
fn reply_markup(html: &mut String, id: u64, shown: &ReplyShown, lang: Lang, open: &OpenDetails) {
    let t = text(lang);
    let next_step = escape(shown.next_step);
    let _ = write!(
        html,
        "<div class=\"kr-term__reply kr-term__reply--{}xx\" data-testid=\"reply\" data-status=\"{}\">\
         <span class=\"kr-visually-hidden\">{}</span><pre class=\"kr-term__wire\">{}</pre>",
        shown.class,
        escape(shown.status),
        escape(t.server_replied),
        escape(shown.wire)
    );
    if shown.class >= 4 {
        let _ = write!(
            html,
            "<p class=\"kr-term__hint\" data-testid=\"hint\"><strong>{}: </strong>{next_step}</p>",
            escape(t.what_next)
        );
    }
    let key = id.to_string();
    let _ = write!(
        html,
        "<details class=\"kr-explain\" data-testid=\"explain\" data-key=\"{key}\"{}>\
         <summary class=\"kr-explain__summary\">{}</summary><p class=\"kr-explain__code\">{}</p>\
         <p class=\"kr-explain__next\">{next_step}</p></details></div>",
        if open.is_open(&key) { " open" } else { "" },
        escape(t.explain),
        escape(shown.meaning),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::smtp::{Reply, Verb};
    use crate::terminal::Notice;

    fn markup(entry: Entry, lang: Lang, open: &OpenDetails) -> String {
        let mut html = String::new();
        entry_markup(&mut html, &ScrollbackLine { id: 7, entry }, lang, open);
        html
    }

    #[test]
    fn what_the_learner_typed_is_shown_as_text() {
        let payload = r#"<img src=x onerror="alert(1)"><script>alert(2)</script>"#;
        let html = markup(
            Entry::Typed {
                text: payload.to_string(),
                kind: LineKind::Local,
            },
            Lang::En,
            &OpenDetails::default(),
        );
        assert!(html.contains(&escape(payload)));
        assert!(!html.contains("<img") && !html.contains("<script"));
        assert!(html.starts_with(
            r#"<div class="kr-term__typed kr-term__typed--local" data-testid="typed">"#
        ));
    }

    #[test]
    fn a_failed_reply_carries_its_code_a_hint_and_an_explanation() {
        let reply = Reply::parse("550 5.1.1 <nobody@beta.example>: no such user\r\n").unwrap();
        let html = markup(
            Entry::Reply {
                reply,
                answered: Some(Verb::Rcpt),
            },
            Lang::En,
            &OpenDetails::default(),
        );
        assert!(html.contains(r#"data-testid="reply" data-code="550""#));
        assert!(html.contains("&lt;nobody@beta.example&gt;"));
        assert!(html.contains(r#"data-testid="hint""#));
        assert!(html.contains(r#"<details class="kr-explain" data-testid="explain" data-key="7">"#));
        assert!(html.contains("5.1.1"));
    }

    #[test]
    fn a_success_needs_no_hint_and_an_open_explanation_stays_open() {
        let open = OpenDetails::default();
        open.keys().push("7".to_string());
        let reply = Reply::parse("250 OK\r\n").unwrap();
        let html = markup(
            Entry::Reply {
                reply,
                answered: None,
            },
            Lang::Id,
            &open,
        );
        assert!(!html.contains("data-testid=\"hint\""));
        assert!(html.contains(r#"data-key="7" open>"#));
    }

    #[test]
    fn a_notice_is_one_element_of_escaped_text() {
        let html = markup(
            Entry::Notice(Notice::Welcome),
            Lang::En,
            &OpenDetails::default(),
        );
        assert!(html.starts_with(r#"<div class="kr-term__notice" data-testid="notice">Welcome"#));
        assert!(html.ends_with("</div>"));
        assert_eq!(html.matches("<div").count(), 1);
    }
}
