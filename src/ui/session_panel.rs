//! The panel that shows the open SMTP session: state, envelope so far, who is logged in.

use leptos::prelude::*;

use super::i18n::{state_label, text};
use crate::lang::Lang;
use crate::sim::world::World;
use crate::terminal::Terminal;

#[component]
pub fn SessionPanel(
    terminal: RwSignal<Terminal>,
    world: RwSignal<World>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let session = Memo::new(move |_| world.with(|w| terminal.with(|t| t.session(w))));
    view! {
        <section class="kr-panel" aria-labelledby="kr-session-heading" data-testid="session-panel">
            <h2 id="kr-session-heading" class="kr-panel__heading">{move || text(lang.get()).session_heading}</h2>
            {move || {
                let t = text(lang.get());
                match session.get() {
                    None => view! { <p class="kr-panel__empty">{t.not_connected}</p> }.into_any(),
                    Some(view) => {
                        let sender = match view.envelope.reverse_path.as_deref() {
                            None => t.none_yet.to_string(),
                            Some("") => t.null_sender.to_string(),
                            Some(path) => format!("<{path}>"),
                        };
                        let recipients = if view.envelope.recipients.is_empty() {
                            t.none_yet.to_string()
                        } else {
                            view.envelope.recipients.iter().map(|r| format!("<{r}>")).collect::<Vec<_>>().join(", ")
                        };
                        view! {
                            <dl class="kr-facts">
                                <dt>{t.connection}</dt>
                                <dd>{format!("{}:{}", view.host, view.port)}</dd>
                                <dt>{t.state}</dt>
                                <dd data-testid="session-state">{state_label(view.state, lang.get())}</dd>
                                <dt>{t.logged_in_as}</dt>
                                <dd>{view.authenticated_as.unwrap_or_else(|| t.not_logged_in.to_string())}</dd>
                                <dt>{t.sender}</dt>
                                <dd data-testid="session-sender">{sender}</dd>
                                <dt>{t.recipients}</dt>
                                <dd data-testid="session-recipients">{recipients}</dd>
                                <dt>{t.message_size}</dt>
                                <dd>{format!("{} {}", view.envelope.data_size, t.octets)}</dd>
                            </dl>
                        }
                        .into_any()
                    }
                }
            }}
        </section>
    }
}
