//! The mail servers' outbound queues at work (RFC 5321 §4.5.4 retries, §5.1 MX routing, §6.1
//! responsibility, §4.5.5 bounces with the null reverse-path): each mail server host has an
//! [`OutboundQueue`]; the World wakes it when an attempt is due, looks the recipient domain's
//! MX up over the simulated DNS, runs an [`SmtpClient`](crate::proto::smtp::SmtpClient) to
//! each exchange in order over simulated TCP to port 25, and reports the result back.
//!
//! Choices a reader should know about:
//! - A host that is one of a domain's exchangers — by name, or by address under another name —
//!   only tries the exchangers with a lower preference than its own (RFC 5321 §5.1), so
//!   mx2.beta.example hands beta.example mail to mx1 and never to itself: it is a backup MX,
//!   its store only a queue.
//! - A domain the host is the final destination for (alpha.example on mail.alpha.example) is
//!   delivered into the host's own mailboxes without a lookup: that is how a bounce reaches
//!   ani.
//! - A mail server that is switched off does not relay; its queue wakes again when it is back.

use std::collections::BTreeMap;

use super::{Applied, Due, LookupId, MailResult, World, EPOCH_UNIX_SECONDS};
use crate::mail::mailbox::Disposition;
use crate::mail::mta::{
    Calendar, ConnectionFailure, DeliveryResult, MessageId as QueueId, MtaEvent, MtaPolicy,
    OutboundQueue, Route,
};
use crate::net::dns::{MxExchange, MxResolution};
use crate::proto::imap::response::date_time;
use crate::proto::smtp::trace::rfc5322_date;
use crate::proto::smtp::{
    AcceptedMessage, Account, ClientConfig, Extensions, PortRole, SendingLedger, ServerPolicy,
};
use crate::sim::default_world::{self, ALPHA_DOMAIN, BETA_DOMAIN, RELAY_HOST};
use crate::sim::event::{EventKind, MailboxChange};
use crate::sim::id::{HostId, MessageId};
use crate::sim::id_map::{DenseId, IdMap};
use crate::sim::queue::EventId;
use crate::sim::time::SimTime;
use crate::sim::topology::HostSpec;

/// The port mail servers relay to each other on (RFC 5321 §4.5.4, RFC 8314 §3.1).
pub const SMTP_RELAY_PORT: u16 = 25;

/// The MTA of one mail server host.
pub(super) struct Mta {
    pub(super) queue: OutboundQueue,
    /// The domains whose mail ends here, in this host's mailboxes.
    pub(super) final_domains: Vec<String>,
    wakeup: Option<(SimTime, EventId)>,
    /// The world's message id each queued message is followed by in the log.
    origins: BTreeMap<QueueId, MessageId>,
    /// What each account has sent through a service of this host that has a sending limit,
    /// counted from the messages its sessions accepted.
    sent: SendingLedger,
}

/// One route of one attempt: a domain's recipients, and the exchanges left to try.
struct RouteDelivery {
    host: HostId,
    queued: QueueId,
    route: Route,
    exchanges: Vec<MxExchange>,
    next: usize,
}

/// A route delivery's number while it runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct DeliveryKey(u64);

impl DenseId for DeliveryKey {
    fn index(self) -> usize {
        self.0 as usize
    }

    fn from_index(index: usize) -> DeliveryKey {
        DeliveryKey(index as u64)
    }
}

/// The relay's state in the World.
#[derive(Default)]
pub(super) struct Relay {
    deliveries: IdMap<DeliveryKey, RouteDelivery>,
    next_delivery: DeliveryKey,
    lookups: IdMap<LookupId, DeliveryKey>,
    /// The client attempt (by the world's message id) each running delivery waits for.
    attempts: IdMap<MessageId, (DeliveryKey, String)>,
}

/// A relay service on port 25: takes mail for `domain` from anyone.
fn relay_policy(host_name: &str, domain: &str, accounts: Vec<Account>) -> ServerPolicy {
    ServerPolicy {
        host_name: host_name.to_string(),
        role: PortRole::Relay,
        local_domains: vec![domain.to_string()],
        accounts: accounts.into(),
        max_message_size: default_world::MAX_MESSAGE_SIZE,
        max_recipients: default_world::MAX_RECIPIENTS,
        extensions: Extensions::default(),
        full_mailboxes: Vec::new(),
        sending_limit: None,
    }
}

/// The port-25 services the relay adds to [`default_world::SMTP_SERVICES`]: mail.alpha's
/// MTA (so replies and bounces can come home) and beta's backup MX, which takes beta.example
/// mail only to queue it for mx1.
pub(super) fn relay_services() -> Vec<(&'static str, u16, ServerPolicy)> {
    vec![
        (
            "mail.alpha.example",
            SMTP_RELAY_PORT,
            relay_policy(
                "mail.alpha.example",
                ALPHA_DOMAIN,
                default_world::accounts_of(ALPHA_DOMAIN),
            ),
        ),
        (
            "mx2.beta.example",
            SMTP_RELAY_PORT,
            relay_policy(
                "mx2.beta.example",
                BETA_DOMAIN,
                default_world::accounts_of(BETA_DOMAIN),
            ),
        ),
    ]
}

/// The MTA a mail server host runs: its final domains, none for a backup MX or the shared
/// relay (which relays all it takes, from its own address).
pub(super) fn mta_for(host_name: &str) -> Option<Mta> {
    let final_domains = match host_name {
        "mail.alpha.example" => vec![ALPHA_DOMAIN.to_string()],
        "mx1.beta.example" => vec![BETA_DOMAIN.to_string()],
        "mx2.beta.example" | RELAY_HOST => Vec::new(),
        _ => return None,
    };
    let calendar = Calendar {
        epoch_unix_seconds: EPOCH_UNIX_SECONDS,
        format: rfc5322_date,
    };
    Some(Mta {
        queue: OutboundQueue::new(host_name, MtaPolicy::default(), calendar),
        final_domains,
        wakeup: None,
        origins: BTreeMap::new(),
        sent: SendingLedger::default(),
    })
}

/// Whether an MX record names `own`, by its name or by one of its addresses (a record may
/// call it by another name).
fn is_own(exchange: &MxExchange, own: &HostSpec) -> bool {
    exchange.name.eq_ignore_ascii_case(&own.name)
        || exchange.address.is_some_and(|address| own.owns(address))
}

/// The exchanges, in the order given, that a relay on `own` may hand mail to (RFC 5321 §5.1):
/// those with an address, and, when `own` is itself among them — by its name or by one of its
/// addresses, since a record may call it by another name — only those preferred strictly
/// over its best record: "all records at that preference level and higher-numbered ones MUST
/// be discarded", so mail never loops back to the host or between equal exchangers.
fn exchanges_to_try(exchanges: Vec<MxExchange>, own: &HostSpec) -> Vec<MxExchange> {
    let own_preference = exchanges
        .iter()
        .filter(|exchange| is_own(exchange, own))
        .map(|exchange| exchange.preference)
        .min();
    exchanges
        .into_iter()
        .filter(|exchange| own_preference.is_none_or(|own| exchange.preference < own))
        .filter(|exchange| exchange.address.is_some())
        .collect()
}

impl World {
    /// The outbound queue of a mail server host (`None` for a host that relays nothing).
    pub fn outbound_queue(&self, host: HostId) -> Option<&OutboundQueue> {
        self.mtas.get(&host).map(|mta| &mta.queue)
    }

    /// What each account has sent through `host`, for a service of its with a sending limit.
    pub(super) fn sending_ledger(&self, host: HostId) -> Option<&SendingLedger> {
        self.mtas.get(&host).map(|mta| &mta.sent)
    }

    /// A session of `host` with a sending limit accepted a message from `user`: one more
    /// against the limit, in the current hour.
    pub(super) fn count_sent(&mut self, host: HostId, user: &str) {
        let now = self.unix_now();
        if let Some(mta) = self.mtas.get_mut(&host) {
            mta.sent.record(user, now);
        }
    }

    /// The domains `host` delivers into its own mailboxes, when it runs an MTA.
    pub(super) fn final_domains(&self, host: HostId) -> Option<Vec<String>> {
        self.mtas.get(&host).map(|mta| mta.final_domains.clone())
    }

    /// A server session took `accepted`; its foreign recipients go into the host's queue.
    pub(super) fn enqueue_for_relay(
        &mut self,
        host: HostId,
        message: MessageId,
        accepted: &AcceptedMessage,
        recipients: &[String],
    ) {
        let now = self.now;
        let Some(mta) = self.mtas.get_mut(&host) else {
            return;
        };
        let (queued, events) = mta.queue.enqueue_accepted(accepted, recipients, now);
        mta.origins.insert(queued, message);
        self.log_mta_events(host, events);
        self.schedule_mta_wakeup(host);
    }

    /// Keeps one wakeup in the queue at the time the host's next attempt is due.
    pub(super) fn schedule_mta_wakeup(&mut self, host: HostId) {
        let now = self.now;
        let up = self.host_is_up(host);
        let Some(mta) = self.mtas.get_mut(&host) else {
            return;
        };
        let wanted = if up {
            mta.queue.next_wakeup().map(|at| at.max(now))
        } else {
            None
        };
        if wanted == mta.wakeup.map(|(at, _)| at) {
            return;
        }
        if let Some((_, event)) = mta.wakeup.take() {
            self.queue.cancel(event);
        }
        if let Some(at) = wanted {
            let event = self.queue.schedule(at, Due::MtaWakeup { host });
            if let Some(mta) = self.mtas.get_mut(&host) {
                mta.wakeup = Some((at, event));
            }
        }
    }

    /// The host's queue is due: start an attempt for every message whose time has come.
    pub(super) fn mta_wakes(&mut self, host: HostId) {
        let now = self.now;
        let Some(mta) = self.mtas.get_mut(&host) else {
            return;
        };
        mta.wakeup = None;
        if !self.host_is_up(host) {
            return;
        }
        let due = self
            .mtas
            .get(&host)
            .map(|m| m.queue.due(now))
            .unwrap_or_default();
        for queued in due {
            let Some((attempt, events)) = self
                .mtas
                .get_mut(&host)
                .and_then(|mta| mta.queue.start_attempt(queued, now))
            else {
                continue;
            };
            self.log_mta_events(host, events);
            for route in attempt.routes {
                let key = self.relay.next_delivery;
                self.relay.next_delivery = DeliveryKey(key.0 + 1);
                self.relay.deliveries.insert(
                    key,
                    RouteDelivery {
                        host,
                        queued,
                        route,
                        exchanges: Vec::new(),
                        next: 0,
                    },
                );
                self.begin_route(key);
            }
        }
        self.schedule_mta_wakeup(host);
    }

    /// Delivers locally, or looks the domain's MX up.
    fn begin_route(&mut self, key: DeliveryKey) {
        let Some(delivery) = self.relay.deliveries.get(&key) else {
            return;
        };
        let (host, domain) = (delivery.host, delivery.route.domain.clone());
        let is_final = self.mtas.get(&host).is_some_and(|mta| {
            mta.final_domains
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&domain))
        });
        if is_final {
            self.deliver_locally(key);
            self.finish_route(key, DeliveryResult::DeliveredLocally);
            return;
        }
        match self.start_mx_lookup(host, &domain) {
            Ok(lookup) => {
                self.relay.lookups.insert(lookup, key);
            }
            Err(_) => self.finish_route(key, DeliveryResult::DnsTemporaryFailure),
        }
    }

    /// The route's domain is this host's own: a copy with `Return-Path:` in each mailbox.
    fn deliver_locally(&mut self, key: DeliveryKey) {
        let Some(delivery) = self.relay.deliveries.get(&key) else {
            return;
        };
        let (host, queued_id) = (delivery.host, delivery.queued);
        let message = self.origin_of(host, queued_id);
        let Some(delivery) = self.relay.deliveries.get(&key) else {
            return;
        };
        let Some(mta) = self.mtas.get(&host) else {
            return;
        };
        let Some(queued) = mta.queue.get(queued_id) else {
            return;
        };
        let accepted = AcceptedMessage {
            queue_id: delivery.queued.to_string(),
            reverse_path: queued.reverse_path.clone(),
            recipients: delivery.route.recipients.clone(),
            content: queued.content.clone(),
            authenticated_as: None,
        };
        let final_domains = mta.final_domains.clone();
        self.store_locally(host, message, &accepted, &final_domains);
    }

    /// An MX lookup ended: the hook [`World::lookup_finished`] calls.
    pub(super) fn relay_lookup_finished(&mut self, lookup: LookupId, resolution: MxResolution) {
        let Some(key) = self.relay.lookups.remove(&lookup) else {
            return;
        };
        match resolution {
            MxResolution::Exchanges(exchanges) => {
                let Some(delivery) = self.relay.deliveries.get_mut(&key) else {
                    return;
                };
                let Some(own) = self.topology.host(delivery.host) else {
                    return;
                };
                let listed_self = exchanges.iter().any(|exchange| is_own(exchange, own));
                delivery.exchanges = exchanges_to_try(exchanges, own);
                if listed_self && delivery.exchanges.is_empty() {
                    self.finish_route(key, DeliveryResult::LoopsBackToMyself);
                } else {
                    self.try_next_exchange(key, None);
                }
            }
            MxResolution::NullMx => self.finish_route(key, DeliveryResult::NullMx),
            MxResolution::NoSuchDomain => self.finish_route(key, DeliveryResult::NoSuchDomain),
            MxResolution::Temporary => self.finish_route(key, DeliveryResult::DnsTemporaryFailure),
        }
    }

    /// Opens an SMTP session to the next exchange, or reports `last` when none is left.
    fn try_next_exchange(&mut self, key: DeliveryKey, last: Option<DeliveryResult>) {
        let mut last = last;
        loop {
            let Some(delivery) = self.relay.deliveries.get_mut(&key) else {
                return;
            };
            let Some(exchange) = delivery.exchanges.get(delivery.next).cloned() else {
                let result = last.unwrap_or(DeliveryResult::Unreachable {
                    exchange: delivery.route.domain.clone(),
                    failure: ConnectionFailure::NoRoute,
                });
                self.finish_route(key, result);
                return;
            };
            delivery.next += 1;
            let (host, job) = (delivery.host, delivery.route.job.clone());
            let target = exchange
                .address
                .and_then(|address| self.topology.interface_with_address(address))
                .map(|interface| interface.host);
            let started = target.and_then(|to_host| {
                let config = ClientConfig::new(self.topology.host_name(host));
                self.start_mail(host, to_host, SMTP_RELAY_PORT, config, job)
                    .ok()
            });
            match started {
                Some(Applied::MailStarted { message, .. }) => {
                    self.relay.attempts.insert(message, (key, exchange.name));
                    return;
                }
                _ => {
                    last = Some(DeliveryResult::Unreachable {
                        exchange: exchange.name,
                        failure: ConnectionFailure::NoRoute,
                    });
                }
            }
        }
    }

    /// A relay's SMTP client attempt ended (the hook `finish_attempt` calls).
    pub(super) fn relay_attempt_finished(&mut self, message: MessageId, result: &MailResult) {
        let Some((key, exchange)) = self.relay.attempts.remove(&message) else {
            return;
        };
        let result = match result {
            MailResult::Smtp(outcome) => DeliveryResult::Smtp {
                exchange,
                outcome: outcome.clone(),
            },
            MailResult::ConnectionRefused => DeliveryResult::Unreachable {
                exchange,
                failure: ConnectionFailure::Refused,
            },
            MailResult::ConnectTimedOut | MailResult::SenderWentDown => {
                DeliveryResult::Unreachable {
                    exchange,
                    failure: ConnectionFailure::TimedOut,
                }
            }
        };
        if result.try_next_exchange() {
            self.try_next_exchange(key, Some(result));
        } else {
            self.finish_route(key, result);
        }
    }

    /// Reports a route's result to the queue, once, and logs what the queue did.
    fn finish_route(&mut self, key: DeliveryKey, result: DeliveryResult) {
        let Some(delivery) = self.relay.deliveries.remove(&key) else {
            return;
        };
        let now = self.now;
        let host = delivery.host;
        let Some(mta) = self.mtas.get_mut(&host) else {
            return;
        };
        let events = mta
            .queue
            .record_result(delivery.queued, &delivery.route.domain, result, now);
        self.log_mta_events(host, events);
        self.schedule_mta_wakeup(host);
    }

    /// Files a message into the mailboxes of its local recipients (`Return-Path:` added); the
    /// store keeps a copy of what is for other domains as the record of what it relays. Returns
    /// the recipients in other domains, for the outbound queue.
    pub(super) fn store_locally(
        &mut self,
        host: HostId,
        message: MessageId,
        accepted: &AcceptedMessage,
        final_domains: &[String],
    ) -> Vec<String> {
        let now = self.unix_now();
        if self.arrival_date.0 != now || self.arrival_date.1.is_empty() {
            // One date a second, however much mail arrives in it.
            self.arrival_date = (now, date_time(now));
        }
        let store = self.mail_stores.get_or_insert_with(host, Default::default);
        let arrived = &self.arrival_date.1;
        let Disposition {
            delivered_to,
            queued_for,
        } = store.accept(accepted, final_domains, (arrived, u64::from(message.0)));
        let counts: Vec<(String, u32)> = delivered_to
            .into_iter()
            .map(|mailbox| {
                let count = store
                    .maildrops()
                    .get(&mailbox)
                    .map_or(0, |maildrop| maildrop.messages().len() as u32);
                (mailbox, count)
            })
            .collect();
        let delivered = !counts.is_empty();
        for (mailbox, messages_now) in counts {
            let mailbox = self.log.text(&mailbox);
            self.record(EventKind::MessageDelivered {
                host,
                message,
                mailbox: mailbox.clone(),
            });
            self.record(EventKind::MailboxChanged {
                host,
                mailbox,
                message,
                change: MailboxChange::Stored,
                messages_now,
                by: None,
            });
        }
        if delivered {
            self.notify_imap_sessions(host, None);
        }
        queued_for
    }

    /// The world's message id for a queued message; a bounce gets a new one.
    fn origin_of(&mut self, host: HostId, queued: QueueId) -> MessageId {
        if let Some(&message) = self.mtas.get(&host).and_then(|m| m.origins.get(&queued)) {
            return message;
        }
        let message = self.next_message;
        self.next_message = message.next();
        if let Some(mta) = self.mtas.get_mut(&host) {
            mta.origins.insert(queued, message);
        }
        message
    }

    /// Logs that `host` gave up on each of `recipients` of the queued message.
    fn record_bounced(
        &mut self,
        host: HostId,
        queued: QueueId,
        recipients: Vec<String>,
        status: &str,
        reason: &str,
    ) {
        let message = self.origin_of(host, queued);
        let (status, reason) = (self.log.text(status), self.log.text(reason));
        for recipient in recipients {
            self.record(EventKind::MessageBounced {
                host,
                message,
                recipient: recipient.into(),
                status: status.clone(),
                reason: reason.clone(),
            });
        }
    }

    /// The queue's events as log entries.
    fn log_mta_events(&mut self, host: HostId, events: Vec<MtaEvent>) {
        for event in events {
            match event {
                MtaEvent::Queued {
                    message: queued,
                    recipients,
                    is_bounce,
                    ..
                } => {
                    let message = self.origin_of(host, queued);
                    self.record(EventKind::MessageQueued {
                        host,
                        message,
                        queue_id: queued.to_string().into(),
                    });
                    if is_bounce {
                        self.record(EventKind::BounceQueued {
                            host,
                            message,
                            queue_id: queued.to_string().into(),
                            to: recipients.join(", ").into(),
                        });
                    }
                }
                MtaEvent::AttemptStarted {
                    message: queued,
                    attempt,
                    domains,
                } => {
                    let message = self.origin_of(host, queued);
                    self.record(EventKind::DeliveryAttemptStarted {
                        host,
                        message,
                        queue_id: queued.to_string().into(),
                        attempt,
                        domains: domains.join(", ").into(),
                    });
                }
                MtaEvent::Delivered {
                    message: queued,
                    remote_mta: Some(next_hop),
                    ..
                } => {
                    let message = self.origin_of(host, queued);
                    self.record(EventKind::MessageRelayed {
                        host,
                        message,
                        next_hop: next_hop.into(),
                    });
                }
                // Local delivery logged MessageDelivered when it stored the copies.
                MtaEvent::Delivered {
                    remote_mta: None, ..
                }
                | MtaEvent::BounceGenerated { .. }
                | MtaEvent::Finished { .. } => {}
                MtaEvent::Deferred {
                    message: queued,
                    recipients,
                    reply,
                    next_attempt,
                } => {
                    let message = self.origin_of(host, queued);
                    for recipient in recipients {
                        self.record(EventKind::MessageDeferred {
                            host,
                            message,
                            recipient: recipient.into(),
                            reason: reply.to_string().into(),
                            retry_at: next_attempt,
                        });
                    }
                }
                MtaEvent::Failed {
                    message: queued,
                    recipients,
                    reply,
                } => {
                    let status = reply
                        .status
                        .map_or_else(|| reply.code.get().to_string(), |s| s.to_string());
                    self.record_bounced(host, queued, recipients, &status, &reply.to_string());
                }
                MtaEvent::Expired {
                    message: queued,
                    recipients,
                } => {
                    self.record_bounced(
                        host,
                        queued,
                        recipients,
                        "4.4.7",
                        "delivery time expired: still undeliverable after the queue's \
                         maximum lifetime",
                    );
                }
                MtaEvent::DoubleBounceDropped {
                    message: queued,
                    recipients,
                } => {
                    self.record_bounced(
                        host,
                        queued,
                        recipients,
                        "-",
                        "an undeliverable bounce is dropped, never bounced (RFC 5321 §4.5.5)",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;
    use crate::sim::default_world::ani_presses_send;
    use crate::sim::time::SimDuration;
    use crate::sim::topology::Topology;
    use crate::sim::zone::{RecordData, ResourceRecord};

    const MX1: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 25);
    const MX2: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 26);

    fn exchange(preference: u16, name: &str, address: Option<Ipv4Addr>) -> MxExchange {
        MxExchange {
            preference,
            name: name.to_string(),
            address,
        }
    }

    fn names(exchanges: &[MxExchange]) -> Vec<&str> {
        exchanges.iter().map(|e| e.name.as_str()).collect()
    }

    fn host_spec(name: &str) -> HostSpec {
        let topology = Topology::default_world();
        let id = topology.host_id(name).unwrap();
        topology.host(id).unwrap().clone()
    }

    fn mx2() -> HostSpec {
        host_spec("mx2.beta.example")
    }

    #[test]
    fn a_backup_mx_hands_mail_only_to_better_exchangers() {
        let listed = vec![
            exchange(10, "mx1.beta.example", Some(MX1)),
            exchange(20, "mx2.beta.example", Some(MX2)),
            exchange(
                30,
                "mx3.beta.example",
                Some(Ipv4Addr::new(198, 51, 100, 27)),
            ),
        ];
        assert_eq!(
            names(&exchanges_to_try(listed, &mx2())),
            ["mx1.beta.example"]
        );
    }

    #[test]
    fn an_exchanger_tied_with_itself_is_discarded_too() {
        // The tie order is random; either way the equal exchanger must go.
        for listed in [
            vec![
                exchange(10, "mx1.beta.example", Some(MX1)),
                exchange(10, "mx2.beta.example", Some(MX2)),
            ],
            vec![
                exchange(10, "mx2.beta.example", Some(MX2)),
                exchange(10, "mx1.beta.example", Some(MX1)),
            ],
        ] {
            assert!(exchanges_to_try(listed, &mx2()).is_empty());
        }
    }

    #[test]
    fn a_host_knows_itself_by_address_under_another_name() {
        let listed = vec![
            exchange(0, "alias.example", Some(MX2)),
            exchange(10, "mx1.beta.example", Some(MX1)),
        ];
        assert!(exchanges_to_try(listed, &mx2()).is_empty());
    }

    #[test]
    fn a_host_not_listed_tries_every_exchange_with_an_address() {
        let listed = vec![
            exchange(10, "mx1.beta.example", Some(MX1)),
            exchange(10, "mx9.beta.example", None),
            exchange(20, "relay.example", Some(Ipv4Addr::new(203, 0, 113, 25))),
        ];
        let alpha = host_spec("mail.alpha.example");
        assert_eq!(
            names(&exchanges_to_try(listed, &alpha)),
            ["mx1.beta.example", "relay.example"]
        );
    }

    /// beta.example's only MX is `alias.example`, which is mx2's address under another name:
    /// mail.alpha relays to mx2, and mx2 must see that the best MX is itself — not open
    /// connections to its own address, and not wait five days — and return the mail at once
    /// as looping back to itself (RFC 5321 §5.1, 5.4.6).
    #[test]
    fn a_backup_mx_that_is_the_best_mx_returns_the_mail_at_once() {
        let mut topology = Topology::default_world();
        let zones = topology.zones_mut();
        zones
            .add_record(ResourceRecord::new("alias.example", RecordData::A(MX2)))
            .unwrap();
        zones
            .set_mx("beta.example", &[(0, "alias.example")])
            .unwrap();
        let mut world = World::new(topology, 3);
        let mx2 = world.topology().host_id("mx2.beta.example").unwrap();
        let alpha = world.topology().host_id("mail.alpha.example").unwrap();
        let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Tes", "Halo");
        world.apply(send.unwrap()).unwrap();
        world.run_until(SimTime::ZERO + SimDuration::from_mins(10));

        assert!(world.events().iter().any(|e| matches!(
            &e.kind,
            EventKind::MessageBounced { host, recipient, status, .. }
                if *host == mx2 && recipient == "budi@beta.example" && status == "5.4.6"
        )));
        assert!(!world.events().iter().any(|e| matches!(
            &e.kind,
            EventKind::MessageDeferred { host, .. } if *host == mx2
        )));
        let reports = world
            .mail_store(alpha)
            .unwrap()
            .mailboxes()
            .find(|(address, _)| *address == "ani@alpha.example")
            .map_or(0, |(_, messages)| messages.len());
        assert_eq!(reports, 1, "ani gets the delivery status notification");
    }
}
