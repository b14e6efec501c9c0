//! The panel that shows what each server stored: mailboxes per address with their folders
//! (INBOX first, then the ones made over IMAP) and the outbound queue, every message with
//! whether it was read (IMAP's `\Seen`), its headers (the Received: trace first) and body.
//!
//! The panel is markup built from escaped text ([`mail_markup`]): a subject or a body can
//! carry any HTML a learner typed, and it is shown as text. Messages the learner opened stay
//! open when the panel is drawn again. A folder lists its newest [`LISTED_PER_FOLDER`]
//! messages and says how many earlier ones it leaves out.

use std::fmt::Write;

use leptos::prelude::*;

use wasm_bindgen::JsCast;

use super::course::LearnerLog;
use super::i18n::{text, UiText};
use super::terminal_view::OpenDetails;
use crate::lang::Lang;
use crate::lesson::check::LearnerAction;
use crate::mail::mailbox::StoredMessage;
use crate::mail::maildrop::INBOX;
use crate::scene::markup::{element, escape};
use crate::sim::world::World;

/// The newest messages of a folder the panel lists; a mass mailing leaves a thousand in
/// each, and the panel stays readable (and quick to draw) with the newest only.
const LISTED_PER_FOLDER: usize = 10;

#[component]
pub fn MailPanel(world: RwSignal<World>, lang: RwSignal<Lang>) -> impl IntoView {
    let open = OpenDetails::default();
    let learner = use_context::<LearnerLog>();
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
                let opened = ev
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                    .is_some_and(|details| details.open());
                if let (true, Some(learner)) = (opened, learner) {
                    learner.record(LearnerAction::OpenedMessage);
                }
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
    for (host_id, store) in world.mail_stores() {
        // What still waits in the server's queue (delivered mail has left it).
        let waiting: Vec<StoredMessage> = world
            .outbound_queue(host_id)
            .map(|queue| {
                queue
                    .messages()
                    .map(|queued| StoredMessage {
                        queue_id: queued.id.to_string(),
                        envelope_from: queued.reverse_path.clone(),
                        envelope_to: queued
                            .recipients
                            .iter()
                            .map(|r| r.address.clone())
                            .collect(),
                        content: queued.content.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if store.maildrops().iter().next().is_none() && waiting.is_empty() {
            continue;
        }
        empty = false;
        let host = world.topology().host_name(host_id);
        html.push_str("<div class=\"kr-mail__server\"><h3 class=\"kr-mail__host\">");
        html.push_str(&escape(&host));
        html.push_str("</h3>");
        for (address, maildrop) in store.maildrops().iter() {
            let inbox = maildrop.folder(INBOX).into_iter().map(|f| (INBOX, f));
            let others = maildrop.folders().filter(|(name, _)| *name != INBOX);
            for (name, folder) in inbox.chain(others) {
                let shown = escape(address);
                let messages = folder.messages();
                let _ = write!(
                    html,
                    "<h4 class=\"kr-mail__box\" data-testid=\"mailbox\" data-address=\"{shown}\" \
                     data-folder=\"{}\">{shown}",
                    escape(name)
                );
                if name != INBOX {
                    let _ = write!(html, " › {} {}", escape(t.folder), escape(name));
                }
                let _ = write!(html, " ({})</h4>", messages.len());
                let earlier = messages.len().saturating_sub(LISTED_PER_FOLDER);
                if earlier > 0 {
                    let _ = write!(
                        html,
                        "<p class=\"kr-mail__earlier\">{earlier} {}</p>",
                        escape(t.earlier_not_listed)
                    );
                }
                let messages = messages[earlier..]
                    .iter()
                    .map(|held| (&held.message, Some(held.is_seen())));
                message_list(
                    &mut html,
                    &format!("{host} {address} {name}"),
                    messages,
                    t,
                    open,
                );
            }
        }
        if !waiting.is_empty() {
            let _ = write!(
                html,
                "<h4 class=\"kr-mail__box\" data-testid=\"outbound\">{}</h4>",
                escape(t.outbound_queue)
            );
            let queued = waiting.iter().map(|message| (message, None));
            message_list(&mut html, &host, queued, t, open);
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

/// The messages of one folder or queue, each with whether it was read (`None` in a queue);
/// `place` tells apart the same message in two places.
fn message_list<'a>(
    html: &mut String,
    place: &str,
    messages: impl Iterator<Item = (&'a StoredMessage, Option<bool>)>,
    t: &UiText,
    open: &OpenDetails,
) {
    html.push_str("<ul class=\"kr-mail__list\">");
    for (message, seen) in messages {
        let key = format!("{place} {}", message.queue_id);
        let subject = message
            .header("Subject")
            .unwrap_or_else(|| t.no_subject.to_string());
        let from = message
            .header("From")
            .unwrap_or_else(|| format!("<{}>", message.envelope_from));
        let mut meta = format!(
            "{from} · {} {} · {} {}",
            t.envelope_to,
            message.envelope_to.join(", "),
            message.size(),
            t.octets
        );
        match seen {
            Some(true) => meta = format!("{} · {meta}", t.read),
            Some(false) => meta = format!("● {} · {meta}", t.unread),
            None => {}
        }
        let _ = write!(
            html,
            "<li class=\"kr-mail__message\" data-testid=\"mail-message\"{}><details data-key=\"{}\"{}>\
             <summary class=\"kr-mail__summary\"><span class=\"kr-mail__subject\">{}</span>\
             <span class=\"kr-mail__meta\">{}</span></summary><dl class=\"kr-mail__headers\">",
            seen.map_or(String::new(), |seen| format!(" data-seen=\"{seen}\"")),
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
            [(&stored, Some(false))].into_iter(),
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
    fn folders_after_the_inbox_and_read_state_are_shown() {
        use crate::scene::devices::{check_mail, message_command, MessageAction};
        use crate::sim::default_world::ani_presses_send;
        use crate::sim::event::MailboxProtocol;

        let mut world = World::default_world(6);
        for subject in ["Satu", "Dua"] {
            let send =
                ani_presses_send(world.topology(), &["budi@beta.example"], subject, "x").unwrap();
            world.apply(send).unwrap();
            world.run_until_idle();
        }
        let check = check_mail(&world, "phone-budi", MailboxProtocol::Imap, false).unwrap();
        world.apply(check).unwrap();
        world.run_until_idle();
        let archive =
            message_command(&world, "phone-budi", ("INBOX", "1"), MessageAction::Archive).unwrap();
        world.apply(archive).unwrap();
        world.run_until_idle();
        let html = mail_markup(&world, text(Lang::En), &OpenDetails::default());
        let inbox = html
            .find("data-folder=\"INBOX\">budi@beta.example (1)</h4>")
            .unwrap();
        let archived = html
            .find("data-folder=\"Archive\">budi@beta.example › folder Archive (1)</h4>")
            .unwrap();
        assert!(inbox < archived);
        assert!(html.contains(
            "data-seen=\"false\"><details data-key=\"mx1.beta.example budi@beta.example INBOX"
        ));
        assert!(html.contains("● unread · "));
    }

    #[test]
    fn a_message_without_subject_or_from_says_so() {
        let mut html = String::new();
        message_list(
            &mut html,
            "q",
            [(&message("\r\nHi\r\n"), None)].into_iter(),
            text(Lang::En),
            &OpenDetails::default(),
        );
        assert!(html.contains(&escape(text(Lang::En).no_subject)));
        assert!(html.contains("&lt;ani@alpha.example&gt; · "));
    }

    #[test]
    fn a_long_folder_lists_its_newest_messages_and_counts_the_rest() {
        use crate::sim::campaign::{self, Campaign};

        let campaign = Campaign {
            messages: LISTED_PER_FOLDER + 2,
            recipients_per_message: 1,
            // One at a time: they arrive in the order they are numbered.
            batch: 1,
            messages_per_session: 1,
        };
        let world = campaign::run(campaign, 1).unwrap().world;
        let html = mail_markup(&world, text(Lang::En), &OpenDetails::default());
        let listed = html
            .matches("data-key=\"mx1.beta.example budi@beta.example INBOX")
            .count();
        assert_eq!(listed, LISTED_PER_FOLDER);
        assert!(html.contains("budi@beta.example (12)</h4><p class=\"kr-mail__earlier\">2 earlier"));
        // The newest is listed, the first is not.
        assert!(html.contains("Bench 11"));
        assert!(!html.contains("Bench 1<"));
    }
}
