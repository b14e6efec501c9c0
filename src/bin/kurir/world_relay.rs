//! Mail for other domains, relayed inside the simulated world.
//!
//! `kurir serve` keeps one [`World`] (the default teaching world, seed [`WORLD_SEED`]) behind a
//! mutex. When the submission port accepts a message for recipients outside alpha.example, it
//! is handed to that world as if mail.alpha.example's own server had said `250`
//! ([`Command::Accept`]); the world's MTA looks the domain's MX up over simulated DNS and
//! relays over simulated TCP, and the world runs for [`RELAY_WINDOW`] of virtual time. The
//! log then says what happened (relayed to mx1.beta.example with its reply, deferred, or
//! bounced — e.g. a domain the world has no zone for), and every message that landed in a
//! mailbox of the world meanwhile (budi's copy, or the bounce to ani) is written to
//! `DIR/<mailbox>/<queue id>.eml` exactly as the world's server stored it: `Return-Path:`,
//! the receiving server's `Received:`, then mail.alpha.example's.
//!
//! The dates of the world's `Received:` lines are virtual time (from 2026-01-01). Mail the
//! world defers stays in its queue and is retried as later relays move its clock on.

use std::collections::BTreeMap;
use std::sync::Mutex;

use kurir::proto::smtp::AcceptedMessage;
use kurir::sim::event::{EventKind, SimEvent};
use kurir::sim::id::{HostId, MessageId};
use kurir::sim::time::SimDuration;
use kurir::sim::world::{Applied, Command, World};

use crate::maildir::{mailbox_folder, MailDir};

/// The seed of serve's world: fixed, so a serve session is reproducible.
pub const WORLD_SEED: u64 = 1;
/// How much virtual time the world runs for after taking a message.
pub const RELAY_WINDOW: SimDuration = SimDuration::from_mins(10);
/// The host whose MTA takes the submission port's mail.
const SUBMISSION_HOST: &str = "mail.alpha.example";

/// The world of one serve process.
pub struct WorldRelay {
    world: Mutex<World>,
}

impl Default for WorldRelay {
    fn default() -> Self {
        WorldRelay {
            world: Mutex::new(World::default_world(WORLD_SEED)),
        }
    }
}

impl WorldRelay {
    /// Relays `message` to `recipients` (all outside the submission host's domains) through
    /// the world; returns the log lines, or `Err` with why the world could not take it.
    pub fn relay(
        &self,
        message: &AcceptedMessage,
        recipients: &[String],
        mail_dir: Option<&MailDir>,
    ) -> Result<Vec<String>, String> {
        // A panic in another session cannot leave the world half-stepped: every step is whole.
        let mut world = self.world.lock().unwrap_or_else(|p| p.into_inner());
        let host = world
            .topology()
            .host_id(SUBMISSION_HOST)
            .ok_or_else(|| format!("the world has no {SUBMISSION_HOST}"))?;
        let first_event = world.events().len();
        let before = mailbox_counts(&world);
        let accepted = AcceptedMessage {
            recipients: recipients.to_vec(),
            ..message.clone()
        };
        let applied = world
            .apply(Command::Accept {
                host,
                message: accepted,
            })
            .map_err(|e| e.to_string())?;
        let Applied::Accepted { message: id } = applied else {
            return Err("the world did not take the message".into());
        };
        let until = world.now() + RELAY_WINDOW;
        world.run_until(until);
        let mut lines = outcomes(&world, first_event, host, id);
        lines.extend(store_new_mail(&world, &before, mail_dir));
        Ok(lines)
    }
}

/// How many messages each mailbox of each mail server holds.
fn mailbox_counts(world: &World) -> BTreeMap<(HostId, String), usize> {
    let mut counts = BTreeMap::new();
    for (host, _) in world.topology().hosts() {
        if let Some(store) = world.mail_store(host) {
            for (mailbox, messages) in store.mailboxes() {
                counts.insert((host, mailbox.to_string()), messages.len());
            }
        }
    }
    counts
}

/// What the world's log says happened to message `id` of `host`'s queue.
fn outcomes(world: &World, first_event: usize, host: HostId, id: MessageId) -> Vec<String> {
    let topology = world.topology();
    let name = |h: HostId| topology.host_name(h);
    let events = &world.events()[first_event..];
    let mut lines = Vec::new();
    for (index, event) in events.iter().enumerate() {
        match &event.kind {
            EventKind::MessageQueued {
                host: at, queue_id, ..
            } if *at == host && event.message() == Some(id) => lines.push(format!(
                "  → queued in the world at {} as {queue_id}",
                name(*at)
            )),
            EventKind::MessageRelayed {
                message, next_hop, ..
            } if *message == id => {
                let reply = last_reply(&events[..index], topology.host_id(next_hop));
                lines.push(format!("  → relayed to {next_hop}: {reply}"));
            }
            EventKind::MessageDeferred {
                message,
                recipient,
                reason,
                retry_at,
                ..
            } if *message == id => lines.push(format!(
                "  → <{recipient}>: deferred ({reason}), retry at {retry_at}"
            )),
            EventKind::MessageBounced {
                host: at,
                message,
                recipient,
                status,
                reason,
            } if *message == id => lines.push(format!(
                "  → <{recipient}>: bounced by {} ({status}): {reason}",
                name(*at)
            )),
            EventKind::BounceQueued { host: at, to, .. } if *at == host => {
                lines.push(format!("  → bounce queued at {} for <{to}>", name(*at)))
            }
            _ => {}
        }
    }
    if lines.is_empty() {
        lines.push("  → the world logged nothing for it".into());
    }
    lines
}

/// The last reply `server` sent before the relay was logged: the one to the final `.`.
fn last_reply(events: &[SimEvent], server: Option<HostId>) -> String {
    events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::SmtpReply {
                host, code, text, ..
            } if Some(*host) == server => Some(if text.starts_with(&code.to_string()) {
                text.to_string()
            } else {
                format!("{code} {text}")
            }),
            _ => None,
        })
        .unwrap_or_else(|| "(no reply logged)".into())
}

/// Writes every message that arrived in a world mailbox since `before`; one line each.
fn store_new_mail(
    world: &World,
    before: &BTreeMap<(HostId, String), usize>,
    mail_dir: Option<&MailDir>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for (host, spec) in world.topology().hosts() {
        let Some(store) = world.mail_store(host) else {
            continue;
        };
        for (mailbox, messages) in store.mailboxes() {
            let seen = before
                .get(&(host, mailbox.to_string()))
                .copied()
                .unwrap_or(0);
            for stored in messages.iter().skip(seen) {
                let head = format!("  → <{mailbox}>: delivered by {}", spec.name);
                lines.push(match mail_dir {
                    None => format!("{head}, not stored (no --mail-dir)"),
                    Some(dir) => {
                        match dir.store(
                            &mailbox_folder(mailbox),
                            &stored.message.queue_id,
                            &stored.message.content,
                        ) {
                            Ok(path) => format!("{head} to {}", path.display()),
                            Err(e) => format!("{head}, NOT stored: {e}"),
                        }
                    }
                });
            }
        }
    }
    lines
}
