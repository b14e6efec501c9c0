//! The panel that shows the open SMTP session: state, envelope so far, who is logged in.
//! It is markup built from escaped text ([`session_markup`]), drawn again when it changes.

use std::fmt::Write;

use leptos::prelude::*;

use super::i18n::{state_label, text};
use crate::lang::Lang;
use crate::scene::markup::{element, escape};
use crate::sim::world::World;
use crate::terminal::{SessionView, Terminal};

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
    let sender = match view.envelope.reverse_path.as_deref() {
        None => t.none_yet.to_string(),
        Some("") => t.null_sender.to_string(),
        Some(path) => format!("<{path}>"),
    };
    let recipients = if view.envelope.recipients.is_empty() {
        t.none_yet.to_string()
    } else {
        view.envelope
            .recipients
            .iter()
            .map(|r| format!("<{r}>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let facts = [
        (t.connection, None, format!("{}:{}", view.host, view.port)),
        (
            t.state,
            Some("session-state"),
            state_label(view.state, lang).to_string(),
        ),
        (
            t.logged_in_as,
            None,
            view.authenticated_as
                .clone()
                .unwrap_or_else(|| t.not_logged_in.to_string()),
        ),
        (t.sender, Some("session-sender"), sender),
        (t.recipients, Some("session-recipients"), recipients),
        (
            t.message_size,
            None,
            format!("{} {}", view.envelope.data_size, t.octets),
        ),
    ];
    html.push_str("<dl class=\"kr-facts\">");
    for (term, testid, value) in facts {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::smtp::{Envelope, SessionState};

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
            state: SessionState::Ready,
            envelope: Envelope {
                reverse_path: Some("ani@alpha.example".to_string()),
                recipients: vec!["<b>@beta.example".to_string()],
                data_size: 0,
            },
            authenticated_as: None,
        };
        let html = session_markup(Some(&view), Lang::En);
        assert!(html.contains("<dd>mx1.beta.example:25</dd>"));
        assert!(html.contains(r#"<dd data-testid="session-sender">&lt;ani@alpha.example&gt;</dd>"#));
        assert!(html.contains(
            r#"<dd data-testid="session-recipients">&lt;&lt;b&gt;@beta.example&gt;</dd>"#
        ));
        assert!(html.contains(r#"<dd data-testid="session-state">"#));
    }
}
