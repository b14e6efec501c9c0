//! The panel that shows what each server stored: mailboxes per address and the outbound queue,
//! every message with its headers (the Received: trace first) and its body.

use leptos::prelude::*;

use super::i18n::text;
use crate::lang::Lang;
use crate::mail::mailbox::StoredMessage;
use crate::sim::world::World;

/// One server's mail, copied out of the world for rendering.
#[derive(Clone, PartialEq)]
struct ServerMail {
    host: String,
    mailboxes: Vec<(String, Vec<StoredMessage>)>,
    outbound: Vec<StoredMessage>,
}

fn collect(world: &World) -> Vec<ServerMail> {
    world
        .mail_stores()
        .filter(|(_, store)| store.message_count() > 0)
        .map(|(host, store)| ServerMail {
            host: world.topology().host_name(host),
            mailboxes: store
                .mailboxes()
                .map(|(address, messages)| (address.to_string(), messages.to_vec()))
                .collect(),
            outbound: store.outbound().to_vec(),
        })
        .collect()
}

#[component]
pub fn MailPanel(world: RwSignal<World>, lang: RwSignal<Lang>) -> impl IntoView {
    let servers = Memo::new(move |_| world.with(collect));
    view! {
        <section class="kr-panel" aria-labelledby="kr-mail-heading" data-testid="mail-panel">
            <h2 id="kr-mail-heading" class="kr-panel__heading">{move || text(lang.get()).mail_heading}</h2>
            {move || {
                let servers = servers.get();
                if servers.is_empty() {
                    return view! { <p class="kr-panel__empty">{text(lang.get()).no_mail}</p> }.into_any();
                }
                servers
                    .into_iter()
                    .map(|server| {
                        view! {
                            <div class="kr-mail__server">
                                <h3 class="kr-mail__host">{server.host}</h3>
                                {server
                                    .mailboxes
                                    .into_iter()
                                    .map(|(address, messages)| view! {
                                        <h4 class="kr-mail__box" data-testid="mailbox" data-address=address.clone()>
                                            {format!("{address} ({})", messages.len())}
                                        </h4>
                                        <MessageList messages lang/>
                                    })
                                    .collect_view()}
                                {(!server.outbound.is_empty()).then(|| view! {
                                    <h4 class="kr-mail__box" data-testid="outbound">{move || text(lang.get()).outbound_queue}</h4>
                                    <MessageList messages=server.outbound.clone() lang/>
                                })}
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn MessageList(messages: Vec<StoredMessage>, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <ul class="kr-mail__list">
            {messages.into_iter().map(|message| view! { <MessageItem message lang/> }).collect_view()}
        </ul>
    }
}

#[component]
fn MessageItem(message: StoredMessage, lang: RwSignal<Lang>) -> impl IntoView {
    let subject = message.header("Subject");
    let from = message
        .header("From")
        .unwrap_or_else(|| format!("<{}>", message.envelope_from));
    let fields = message.header_fields();
    let body = message.body();
    let size = message.size();
    let to = message.envelope_to.join(", ");
    view! {
        <li class="kr-mail__message" data-testid="mail-message">
            <details>
                <summary class="kr-mail__summary">
                    <span class="kr-mail__subject">{move || subject.clone().unwrap_or_else(|| text(lang.get()).no_subject.to_string())}</span>
                    <span class="kr-mail__meta">{move || format!("{from} · {} {to} · {size} {}", text(lang.get()).envelope_to, text(lang.get()).octets)}</span>
                </summary>
                <dl class="kr-mail__headers">
                    {fields
                        .into_iter()
                        .map(|field| view! { <dt>{field.name}":"</dt><dd>{field.value}</dd> })
                        .collect_view()}
                </dl>
                <pre class="kr-mail__body">{body}</pre>
            </details>
        </li>
    }
}
