//! The panel that shows the open session: for SMTP the state, the envelope so far and who is
//! logged in; for POP3 the state, the user and the maildrop; for IMAP the state, the user
//! and the selected folder.
//! It is markup built from escaped text ([`session_markup`]), drawn again when it changes.

use std::fmt::Write;

use leptos::prelude::*;

use super::i18n::{state_label, text};
use crate::lang::Lang;
use crate::proto::smtp::{Envelope, SessionState};
use crate::scene::markup::{element, escape};
use crate::sim::world::World;
use crate::terminal::labels;
use crate::terminal::{SessionDetails, SessionView, Terminal};

#[component]
pub fn SessionPanel(
    terminal: RwSignal<Terminal>,
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let html = Memo::new(move |_| {
        let lang = lang.get();
        let session = world.with(|w| terminal.with(|t| t.session(w)));
        session_markup(session.as_ref(), lang)
    });
    view! {
        <section class="kr-panel" aria-labelledby="kr-session-heading" data-testid="session-panel" inner_html=html></section>
    }
}

/// The panel's heading, then the session's facts (or that there is none).
fn session_markup(session: Option<&SessionView>, lang: Lang) -> String {
    let t = text(lang);
    let mut html = String::new();
    let _ = write!(
        html,
        "<h2 id=\"kr-session-heading\" class=\"kr-panel__heading\">{}</h2>",
        escape(t.session_heading)
    );
    let Some(view) = session else {
        html.push_str("<p class=\"kr-panel__empty\">");
        html.push_str(&escape(t.not_connected));
        html.push_str("</p>");
        return html;
    };
    let connection = (t.connection, None, format!("{}:{}", view.host, view.port));
    let facts = match &view.details {
        SessionDetails::Smtp {
            state,
            envelope,
            authenticated_as,
        } => smtp_facts(state, envelope, authenticated_as.as_deref(), lang),
        SessionDetails::Pop3 {
            state,
            user,
            messages,
        } => vec![
            (labels::protocol(lang), None, "POP3".to_string()),
            (
                t.state,
                Some("session-state"),
                labels::pop3_state(*state, lang).to_string(),
            ),
            logged_in(user.as_deref(), lang),
            (
                labels::mailbox(lang),
                Some("session-maildrop"),
                match messages {
                    Some((count, octets)) => labels::messages(*count, *octets, lang),
                    None => labels::not_open(lang).to_string(),
                },
            ),
        ],
        SessionDetails::Imap {
            state,
            user,
            folder,
            idling,
        } => {
            let state = match idling {
                true => labels::idle(lang),
                false => labels::imap_state(*state, lang),
            };
            vec![
                (labels::protocol(lang), None, "IMAP".to_string()),
                (t.state, Some("session-state"), state.to_string()),
                logged_in(user.as_deref(), lang),
                (
                    labels::folder(lang),
                    Some("session-folder"),
                    folder
                        .clone()
                        .unwrap_or_else(|| labels::no_folder(lang).to_string()),
                ),
            ]
        }
    };
    html.push_str("<dl class=\"kr-facts\">");
    for (term, testid, value) in std::iter::once(connection).chain(facts) {
        element(&mut html, "dt", term);
        match testid {
            Some(testid) => {
                let _ = write!(html, "<dd data-testid=\"{testid}\">{}</dd>", escape(&value));
            }
            None => element(&mut html, "dd", &value),
        }
    }
    html.push_str("</dl>");
    html
}

/// One fact of the panel: its term, its test hook, its value.
type Fact = (&'static str, Option<&'static str>, String);

fn logged_in(user: Option<&str>, lang: Lang) -> Fact {
    let t = text(lang);
    (
        t.logged_in_as,
        Some("session-user"),
        user.map_or_else(|| t.not_logged_in.to_string(), str::to_string),
    )
}

/// An SMTP session: its state, who logged in, and the envelope so far.
fn smtp_facts(
    state: &SessionState,
    envelope: &Envelope,
    authenticated_as: Option<&str>,
    lang: Lang,
) -> Vec<Fact> {
    let t = text(lang);
    let sender = match envelope.reverse_path.as_deref() {
        None => t.none_yet.to_string(),
        Some("") => t.null_sender.to_string(),
        Some(path) => format!("<{path}>"),
    };
    let recipients = if envelope.recipients.is_empty() {
        t.none_yet.to_string()
    } else {
        envelope
            .recipients
            .iter()
            .map(|r| format!("<{r}>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        (
            t.state,
            Some("session-state"),
            state_label(*state, lang).to_string(),
        ),
        logged_in(authenticated_as, lang),
        (t.sender, Some("session-sender"), sender),
        (t.recipients, Some("session-recipients"), recipients),
        (
            t.message_size,
            None,
            format!("{} {}", envelope.data_size, t.octets),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::imap::server::ImapState;

    #[test]
    fn without_a_session_the_panel_says_how_to_begin() {
        let html = session_markup(None, Lang::En);
        assert!(html.contains(r#"<h2 id="kr-session-heading""#));
        assert!(html.contains(&escape(text(Lang::En).not_connected)));
    }

    #[test]
    fn the_envelope_is_shown_as_text_with_its_test_hooks() {
        let view = SessionView {
            host: "mx1.beta.example".to_string(),
            port: 25,
            details: SessionDetails::Smtp {
                state: SessionState::Ready,
                envelope: Envelope {
                    reverse_path: Some("ani@alpha.example".to_string()),
                    recipients: vec!["<b>@beta.example".to_string()],
                    data_size: 0,
                },
                authenticated_as: None,
            },
        };
        let html = session_markup(Some(&view), Lang::En);
        assert!(html.contains("<dd>mx1.beta.example:25</dd>"));
        assert!(html.contains(r#"<dd data-testid="session-sender">&lt;ani@alpha.example&gt;</dd>"#));
        assert!(html.contains(
            r#"<dd data-testid="session-recipients">&lt;&lt;b&gt;@beta.example&gt;</dd>"#
        ));
        assert!(html.contains(r#"<dd data-testid="session-state">"#));
    }

    #[test]
    fn an_imap_session_shows_its_user_and_folder() {
        let view = SessionView {
            host: "mx1.beta.example".to_string(),
            port: 143,
            details: SessionDetails::Imap {
                state: ImapState::Selected,
                user: Some("budi".to_string()),
                folder: Some("INBOX".to_string()),
                idling: false,
            },
        };
        let html = session_markup(Some(&view), Lang::En);
        assert!(html.contains(r#"<dd data-testid="session-user">budi</dd>"#));
        assert!(html.contains(r#"<dd data-testid="session-folder">INBOX</dd>"#));
        assert!(html.contains("<dd>IMAP</dd>"));
    }
}
