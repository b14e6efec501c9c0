//! What a lesson step checks: pure functions over what the learner made happen — the world's
//! event log and state, and what she did in the page (opened the inspector, switched the map's
//! view). Hosts are named as on the map; a check naming a host the world lacks never holds.

use std::net::Ipv4Addr;

use serde::Deserialize;

use crate::mail::maildrop::HeldMessage;
use crate::sim::event::{EventKind, MailboxChange, MailboxProtocol, SimEvent};
use crate::sim::id::{HostId, MessageId};
use crate::sim::world::World;

/// Something the learner did in the page that the world's log does not show.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum LearnerAction {
    /// Opened the layer inspector on a frame whose highest layer is `protocol` (`SMTP`,
    /// `TCP`, `DNS`, …).
    Inspected { protocol: String },
    /// Switched the map to `view`: `mail` or `packet`.
    Viewed { view: String },
    /// Opened the comparison of SMTP, POP3 and IMAP.
    Compared,
    /// Opened a stored message in a mailbox to read its header lines.
    OpenedMessage,
}

impl LearnerAction {
    /// The same action, protocol and view names compared without case.
    fn matches(&self, done: &LearnerAction) -> bool {
        match (self, done) {
            (Self::Inspected { protocol: a }, Self::Inspected { protocol: b })
            | (Self::Viewed { view: a }, Self::Viewed { view: b }) => a.eq_ignore_ascii_case(b),
            (Self::Compared, Self::Compared) | (Self::OpenedMessage, Self::OpenedMessage) => true,
            _ => false,
        }
    }
}

/// One condition of a step.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// A client (on host `from`, if given) sent a command line starting with `verb`.
    SmtpCommand {
        verb: String,
        #[serde(default)]
        from: Option<String>,
    },
    /// A server answered `code`; with `after`, the client's last command for that message
    /// started with it; with `from`, the client was on that host.
    SmtpReply {
        code: u16,
        #[serde(default)]
        after: Option<String>,
        #[serde(default)]
        from: Option<String>,
    },
    /// A server took a message's text: `250` after `354` on the same message (RFC 5321
    /// §4.1.1.4), from a client on `from` if given, by server `server` if given; with
    /// `after_reply`, only once some server had answered that code (`451`: a later try went
    /// through) to a client on `from`, or to any client.
    DataAccepted {
        #[serde(default)]
        from: Option<String>,
        #[serde(default)]
        server: Option<String>,
        #[serde(default)]
        after_reply: Option<u16>,
    },
    MessageDelivered {
        mailbox: String,
    },
    /// A message was bounced, with enhanced status `status` (e.g. `5.1.1`) if given.
    MessageBounced {
        #[serde(default)]
        status: Option<String>,
    },
    MessageDeferred {
        #[serde(default)]
        recipient: Option<String>,
    },
    MessageRelayed {
        #[serde(default)]
        next_hop: Option<String>,
    },
    MxLookup {
        domain: String,
    },
    /// A mail server's queue began its `attempt`-th try (counted from 1) for a message.
    DeliveryAttempt {
        attempt: u32,
    },
    /// Router `router` passed a packet on (TTL − 1, new MACs).
    PacketForwarded {
        router: String,
    },
    MailboxChanged {
        change: MailboxChange,
        #[serde(default)]
        by: Option<MailboxProtocol>,
    },
    /// A device's mail client ended a session with `protocol`, successfully.
    MailboxSynced {
        device: String,
        protocol: MailboxProtocol,
    },
    /// `device` holds at least `count` messages (read ones only, or unread ones only, if
    /// `read` is given).
    DeviceMessages {
        device: String,
        count: usize,
        #[serde(default)]
        read: Option<bool>,
    },
    /// A message in `mailbox` carries at least `count` `Received:` lines.
    ReceivedHeaders {
        mailbox: String,
        count: usize,
    },
    /// A message in `mailbox` carries a `Received:` line whose `from` clause names an address
    /// of `host` (`[203.0.113.25]`): a server took it from that host (RFC 5321 §4.4).
    ReceivedFrom {
        mailbox: String,
        host: String,
    },
    Learner {
        action: LearnerAction,
    },
}

/// What a check looks at.
pub struct Observed<'a> {
    pub world: &'a World,
    pub learner: &'a [LearnerAction],
    /// Only events from this position of the log on count (a step's hints look at what
    /// happened during the step).
    pub from_event: usize,
    /// Likewise for the learner's actions.
    pub from_action: usize,
}

impl<'a> Observed<'a> {
    /// Everything that happened so far.
    pub fn all(world: &'a World, learner: &'a [LearnerAction]) -> Observed<'a> {
        Observed {
            world,
            learner,
            from_event: 0,
            from_action: 0,
        }
    }

    fn events(&self) -> &'a [SimEvent] {
        let events = self.world.events();
        &events[self.from_event.min(events.len())..]
    }

    fn host(&self, name: &str) -> Option<HostId> {
        self.world.topology().host_id(name)
    }

    /// `wanted` is absent, or names `host`.
    fn is(&self, wanted: &Option<String>, host: HostId) -> bool {
        wanted
            .as_deref()
            .is_none_or(|name| self.host(name) == Some(host))
    }
}

/// One SMTP reply as a dialogue shows it: the server's host, its code, the message it belongs to,
/// the client's last command for that message before it, and the client's host.
struct Exchange<'a> {
    host: HostId,
    code: u16,
    message: MessageId,
    last_command: Option<&'a str>,
    client: Option<HostId>,
}

/// Every SMTP reply of the log from `seen.from_event` on, paired in one pass with what the
/// client had said (commands before that position count for the pairing).
fn exchanges<'a>(seen: &Observed<'a>) -> impl Iterator<Item = Exchange<'a>> + use<'a> {
    let from_event = seen.from_event;
    let mut last: Vec<Option<&'a str>> = Vec::new();
    let mut client: Vec<Option<HostId>> = Vec::new();
    seen.world
        .events()
        .iter()
        .enumerate()
        .filter_map(move |(index, event)| match &event.kind {
            EventKind::SmtpCommand {
                host,
                message: Some(message),
                line,
                ..
            } => {
                let slot = message.index();
                if last.len() <= slot {
                    last.resize(slot + 1, None);
                    client.resize(slot + 1, None);
                }
                last[slot] = Some(&**line);
                client[slot].get_or_insert(*host);
                None
            }
            EventKind::SmtpReply {
                host,
                code,
                message: Some(message),
                ..
            } if index >= from_event => Some(Exchange {
                host: *host,
                code: *code,
                message: *message,
                last_command: last.get(message.index()).copied().flatten(),
                client: client.get(message.index()).copied().flatten(),
            }),
            _ => None,
        })
}

fn starts_with_ignoring_case(line: &str, prefix: &str) -> bool {
    line.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

impl Check {
    /// Whether it holds for what was observed.
    pub fn holds(&self, seen: &Observed) -> bool {
        let offset = seen.from_event.min(seen.world.events().len());
        let mut events = seen
            .events()
            .iter()
            .enumerate()
            .map(|(i, e)| (offset + i, e));
        match self {
            Check::SmtpCommand { verb, from } => events.any(|(_, e)| match &e.kind {
                EventKind::SmtpCommand { host, line, .. } => {
                    seen.is(from, *host) && starts_with_ignoring_case(line, verb)
                }
                _ => false,
            }),
            Check::SmtpReply { code, after, from } => exchanges(seen).any(|reply| {
                reply.code == *code
                    && after.as_deref().is_none_or(|verb| {
                        reply
                            .last_command
                            .is_some_and(|line| starts_with_ignoring_case(line, verb))
                    })
                    && (from.is_none() || reply.client.is_some_and(|c| seen.is(from, c)))
            }),
            Check::DataAccepted {
                from,
                server,
                after_reply,
            } => data_accepted(seen, from, server, *after_reply),
            Check::MessageDelivered { mailbox } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MessageDelivered { mailbox: m, .. }
                    if m.eq_ignore_ascii_case(mailbox))
            }),
            Check::MessageBounced { status } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MessageBounced { status: s, .. }
                    if status.as_deref().is_none_or(|wanted| **s == *wanted))
            }),
            Check::MessageDeferred { recipient } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MessageDeferred { recipient: r, .. }
                    if recipient.as_deref().is_none_or(|wanted| r.eq_ignore_ascii_case(wanted)))
            }),
            Check::MessageRelayed { next_hop } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MessageRelayed { next_hop: n, .. }
                    if next_hop.as_deref().is_none_or(|wanted| n.eq_ignore_ascii_case(wanted)))
            }),
            Check::MxLookup { domain } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MxLookupFinished { domain: d, .. }
                    if d.eq_ignore_ascii_case(domain))
            }),
            Check::DeliveryAttempt { attempt } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::DeliveryAttemptStarted { attempt: a, .. }
                    if a == attempt)
            }),
            Check::PacketForwarded { router } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::PacketForwarded { host, .. }
                    if seen.host(router) == Some(*host))
            }),
            Check::MailboxChanged { change, by } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MailboxChanged { change: c, by: b, .. }
                    if c == change && (by.is_none() || b == by))
            }),
            Check::MailboxSynced { device, protocol } => events.any(|(_, e)| {
                matches!(&e.kind, EventKind::MailboxSynced { host, protocol: p, ok: true, .. }
                    if p == protocol && seen.host(device) == Some(*host))
            }),
            Check::DeviceMessages {
                device,
                count,
                read,
            } => seen
                .host(device)
                .and_then(|host| seen.world.device_mail(host))
                .is_some_and(|mail| {
                    let matching = mail
                        .messages
                        .iter()
                        .filter(|m| read.is_none_or(|read| m.is_seen() == read))
                        .count();
                    matching >= *count && (*count > 0 || !mail.messages.is_empty())
                }),
            Check::ReceivedHeaders { mailbox, count } => {
                received_headers(seen.world, mailbox).is_some_and(|most| most >= *count)
            }
            Check::ReceivedFrom { mailbox, host } => received_from(seen, mailbox, host),
            Check::Learner { action } => seen.learner[seen.from_action.min(seen.learner.len())..]
                .iter()
                .any(|done| action.matches(done)),
        }
    }
}

/// A `250` that follows a `354` for the same message (and, with `after_reply`, follows a reply
/// with that code to the client).
fn data_accepted(
    seen: &Observed,
    from: &Option<String>,
    server: &Option<String>,
    after_reply: Option<u16>,
) -> bool {
    let mut waiting_for_text: Vec<MessageId> = Vec::new();
    let mut refused_before = after_reply.is_none();
    for reply in exchanges(seen) {
        let by_client = from.is_none() || reply.client.is_some_and(|c| seen.is(from, c));
        if by_client && Some(reply.code) == after_reply {
            refused_before = true;
        }
        match reply.code {
            354 => waiting_for_text.push(reply.message),
            250 if waiting_for_text.contains(&reply.message) => {
                if by_client && refused_before && seen.is(server, reply.host) {
                    return true;
                }
                waiting_for_text.retain(|m| *m != reply.message);
            }
            _ => waiting_for_text.retain(|m| *m != reply.message),
        }
    }
    false
}

/// The most `Received:` lines any message in `mailbox` carries, on whichever server holds it.
fn received_headers(world: &World, mailbox: &str) -> Option<usize> {
    let count = |held: &HeldMessage| {
        held.message
            .header_fields()
            .iter()
            .filter(|field| field.name.eq_ignore_ascii_case("Received"))
            .count()
    };
    world
        .mail_stores()
        .flat_map(|(_, store)| store.mailboxes())
        .filter(|(address, _)| address.eq_ignore_ascii_case(mailbox))
        .flat_map(|(_, messages)| messages.iter().map(count))
        .max()
}

/// Whether a message in `mailbox` has a `Received: from helo (name [address])` with an address
/// of `host`. Only the address in parentheses counts: the server saw it on the connection,
/// while the HELO name (which may be an address literal) is whatever the client claimed.
fn received_from(seen: &Observed, mailbox: &str, host: &str) -> bool {
    let Some(host) = seen
        .host(host)
        .and_then(|id| seen.world.topology().host(id))
    else {
        return false;
    };
    let from_host = |value: &str| {
        value
            .split_once('(')
            .and_then(|(_, seen_on_the_connection)| seen_on_the_connection.split_once('['))
            .and_then(|(_, rest)| rest.split_once(']'))
            .and_then(|(address, _)| address.parse::<Ipv4Addr>().ok())
            .is_some_and(|address| host.owns(address))
    };
    seen.world
        .mail_stores()
        .flat_map(|(_, store)| store.mailboxes())
        .filter(|(address, _)| address.eq_ignore_ascii_case(mailbox))
        .flat_map(|(_, messages)| messages.iter())
        .flat_map(|held| held.message.header_fields())
        .any(|field| field.name.eq_ignore_ascii_case("Received") && from_host(&field.value))
}

#[cfg(test)]
mod tests;
