//! The panel that shows what each server stored: mailboxes per address and the outbound queue,
//! every message with its headers (the Received: trace first) and its body.
//!
//! The panel is markup built from escaped text ([`mail_markup`]): a subject or a body can
//! carry any HTML a learner typed, and it is shown as text. Messages the learner opened stay
//! open when the panel is drawn again.

use std::fmt::Write;

use leptos::prelude::*;

use super::i18n::{text, UiText};
use super::terminal_view::OpenDetails;
use crate::lang::Lang;
use crate::mail::mailbox::StoredMessage;
use crate::scene::markup::{element, escape};
use crate::sim::world::World;

#[component]
pub fn MailPanel(world: RwSignal<World>, lang: RwSignal<Lang>) -> impl IntoView {
    let open = OpenDetails::default();
    let html = Memo::new({
        let open = open.clone();
        move |_| {
            let t = text(lang.get());
            world.with(|w| mail_markup(w, t, &open))
        }
    });
    view! {
        <section
            class="kr-panel"
            aria-labelledby="kr-mail-heading"
            data-testid="mail-panel"
            inner_html=html
            on:toggle:capture=move |ev| {
                open.note(&ev);
            }
        ></section>
    }
}

/// The panel's content: its heading, then per server that holds mail its mailboxes and
/// outbound queue.
fn mail_markup(world: &World, t: &UiText, open: &OpenDetails) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<h2 id=\"kr-mail-heading\" class=\"kr-panel__heading\">{}</h2>",
        escape(t.mail_heading)
    );
    let mut empty = true;
    for (host, store) in world.mail_stores() {
        if store.message_count() == 0 {
            continue;
        }
        empty = false;
        let host = world.topology().host_name(host);
        html.push_str("<div class=\"kr-mail__server\"><h3 class=\"kr-mail__host\">");
        html.push_str(&escape(&host));
        html.push_str("</h3>");
        for (address, messages) in store.mailboxes() {
            let shown = escape(address);
            let _ = write!(
                html,
                "<h4 class=\"kr-mail__box\" data-testid=\"mailbox\" data-address=\"{shown}\">{shown} ({})</h4>",
                messages.len()
            );
            let messages = messages.iter().map(|held| &held.message);
            message_list(&mut html, &format!("{host} {address}"), messages, t, open);
        }
        if !store.outbound().is_empty() {
            let _ = write!(
                html,
                "<h4 class=\"kr-mail__box\" data-testid=\"outbound\">{}</h4>",
                escape(t.outbound_queue)
            );
            message_list(&mut html, &host, store.outbound().iter(), t, open);
        }
        html.push_str("</div>");
    }
    if empty {
        html.push_str("<p class=\"kr-panel__empty\">");
        html.push_str(&escape(t.no_mail));
        html.push_str("</p>");
    }
    html
}

/// The messages of one mailbox or queue; `place` tells apart the same message in two places.
fn message_list<'a>(
    html: &mut String,
    place: &str,
    messages: impl Iterator<Item = &'a StoredMessage>,
    t: &UiText,
    open: &OpenDetails,
) {
    html.push_str("<ul class=\"kr-mail__list\">");
    for message in messages {
        let key = format!("{place} {}", message.queue_id);
        let subject = message
            .header("Subject")
            .unwrap_or_else(|| t.no_subject.to_string());
        let from = message
            .header("From")
            .unwrap_or_else(|| format!("<{}>", message.envelope_from));
        let meta = format!(
            "{from} · {} {} · {} {}",
            t.envelope_to,
            message.envelope_to.join(", "),
            message.size(),
            t.octets
        );
        let _ = write!(
            html,
            "<li class=\"kr-mail__message\" data-testid=\"mail-message\"><details data-key=\"{}\"{}>\
             <summary class=\"kr-mail__summary\"><span class=\"kr-mail__subject\">{}</span>\
             <span class=\"kr-mail__meta\">{}</span></summary><dl class=\"kr-mail__headers\">",
            escape(&key),
            if open.is_open(&key) { " open" } else { "" },
            escape(&subject),
            escape(&meta)
        );
        for field in message.header_fields() {
            let _ = write!(html, "<dt>{}:</dt>", escape(&field.name));
            element(html, "dd", &field.value);
        }
        html.push_str("</dl><pre class=\"kr-mail__body\">");
        html.push_str(&escape(&message.body()));
        html.push_str("</pre></details></li>");
    }
    html.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(content: &str) -> StoredMessage {
        StoredMessage {
            queue_id: "Q1".to_string(),
            envelope_from: "ani@alpha.example".to_string(),
            envelope_to: vec!["budi@beta.example".to_string()],
            content: content.as_bytes().to_vec(),
        }
    }

    #[test]
    fn subject_headers_and_body_are_shown_as_text() {
        let payload = r#"<img src=x onerror="alert(1)">"#;
        let mut html = String::new();
        let stored = message(&format!(
            "Subject: {payload}\r\nX-Note: {payload}\r\n\r\n{payload}\r\n"
        ));
        message_list(
            &mut html,
            "mx1 budi",
            [stored].iter(),
            text(Lang::En),
            &OpenDetails::default(),
        );
        assert!(!html.contains("<img"));
        // The subject (in the summary and as a header field), the other field and the body.
        assert_eq!(html.matches(&escape(payload)).count(), 4);
        assert!(html.contains("<dt>X-Note:</dt>"));
        assert!(html.contains(r#"<details data-key="mx1 budi Q1">"#));
    }

    #[test]
    fn a_message_without_subject_or_from_says_so() {
        let mut html = String::new();
        message_list(
            &mut html,
            "q",
            [message("\r\nHi\r\n")].iter(),
            text(Lang::En),
            &OpenDetails::default(),
        );
        assert!(html.contains(&escape(text(Lang::En).no_subject)));
        assert!(html.contains("&lt;ani@alpha.example&gt; · "));
    }
}
