//! The outbound queue of one mail server: mail it has accepted for other domains, kept until
//! every recipient is delivered or has failed (RFC 5321 §4.5.4 retry strategy, §4.5.4.1 sending
//! strategy, §5.1 routing, §6.1 reliable delivery; RFC 7505 null MX; RFC 3464 bounces).
//!
//! A plain state machine: no clock, no I/O, no randomness. The World drives it.
//!
//! # Driving it
//! 1. [`OutboundQueue::enqueue`] (or [`enqueue_accepted`](OutboundQueue::enqueue_accepted))
//!    when the server took a message for foreign recipients; the first attempt is due at once.
//! 2. At [`next_wakeup`](OutboundQueue::next_wakeup), ask [`due`](OutboundQueue::due) and call
//!    [`start_attempt`](OutboundQueue::start_attempt) for each id. The [`DeliveryAttempt`] has
//!    one [`Route`] per destination domain: its recipients and the ready [`MailJob`].
//! 3. For each route the World resolves the domain's MX (RFC 5321 §5.1: preference order, ties
//!    from the World's seeded RNG, implicit MX, null MX) and runs an `SmtpClient` against the
//!    exchanges in order. It moves on to the next exchange while
//!    [`DeliveryResult::try_next_exchange`] says so (no connection, or a temporary failure of
//!    the whole transaction), and reports the last result with
//!    [`record_result`](OutboundQueue::record_result) — exactly once per route.
//! 4. Every call returns the [`MtaEvent`]s to log. When the last route of an attempt is
//!    recorded the attempt round closes: deferred recipients get their next attempt time
//!    (or expire), newly failed recipients get one bounce, and a finished message leaves.
//!
//! # Retry schedule ([`MtaPolicy`])
//! After the n-th attempt the next one waits `first_retry × 2^(n−1)`, capped at
//! `max_retry_interval`: by default 30 min, 1 h, 2 h, 4 h, 4 h … (RFC 5321 §4.5.4.1 asks for
//! at least 30 minutes). A message may stay `max_lifetime` (default 5 days, §4.5.4.1 says 4–5):
//! the attempt that would come later is moved to the deadline itself (never closer than
//! `first_retry` to the one before), and if that one fails too, every still-deferred recipient
//! fails with `4.4.7` (RFC 3463: delivery time expired).
//!
//! # Bounces
//! One DSN (see [`dsn`](super::dsn)) per message per attempt round, covering every recipient
//! that failed in it, queued here with the null reverse-path to the original sender. A message
//! that is itself a bounce (null reverse-path) never bounces (RFC 5321 §4.5.5): its failures
//! end in [`MtaEvent::DoubleBounceDropped`].

use std::collections::BTreeMap;
use std::fmt;

use super::dsn::{delivery_status_notification, BounceReport, FailedRecipient};
use crate::proto::smtp::{
    AcceptedMessage, EnhancedStatus, FailureReason, ForwardPath, InvalidJob, MailJob, Mailbox,
    Outcome, RecipientStatus, Reply, ReplyCode, ReversePath, Severity,
};
use crate::sim::time::{SimDuration, SimTime};

/// A message's number in one server's queue, shown as `Q1`, `Q2` ….
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageId(u64);

impl MessageId {
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for MessageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q{}", self.0)
    }
}

/// How patient the queue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MtaPolicy {
    /// The wait after the first attempt; each later wait doubles.
    pub first_retry: SimDuration,
    /// The longest wait between two attempts.
    pub max_retry_interval: SimDuration,
    /// How long a message may stay before its deferred recipients fail with 4.4.7.
    pub max_lifetime: SimDuration,
}

impl Default for MtaPolicy {
    /// 30 minutes doubling up to 4 hours, 5 days in all (RFC 5321 §4.5.4.1).
    fn default() -> Self {
        Self {
            first_retry: SimDuration::from_mins(30),
            max_retry_interval: SimDuration::from_mins(4 * 60),
            max_lifetime: SimDuration::from_mins(5 * 24 * 60),
        }
    }
}

impl MtaPolicy {
    /// The wait after the `attempts`-th attempt (counted from 1).
    pub fn retry_interval(&self, attempts: u32) -> SimDuration {
        let doublings = attempts.saturating_sub(1).min(32);
        self.first_retry
            .saturating_mul(1 << doublings)
            .min(self.max_retry_interval)
    }
}

/// Turns virtual time into the RFC 5322 date-times a bounce carries.
///
/// `format` is the RFC 5322 §3.3 formatter over Unix seconds. The one Kurir has lives in
/// `proto::smtp::trace` and is private to `proto::smtp`; the World passes it in once it is
/// visible to the crate.
#[derive(Clone, Copy, Debug)]
pub struct Calendar {
    /// The Unix time of [`SimTime::ZERO`].
    pub epoch_unix_seconds: i64,
    pub format: fn(i64) -> String,
}

impl Calendar {
    pub fn date(&self, time: SimTime) -> String {
        let seconds = i64::try_from(time.as_micros() / 1_000_000).unwrap_or(i64::MAX);
        (self.format)(self.epoch_unix_seconds.saturating_add(seconds))
    }
}

/// Why a recipient is not (yet) delivered: the reply that says so, real or made up here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// The DSN's `Status:`: the reply's enhanced status, `4.4.7` after expiry.
    pub status: EnhancedStatus,
    /// The reply: the server's own, or one the queue wrote for a failure without a reply
    /// (connection refused, no such domain, null MX …).
    pub reply: Reply,
    /// The server that answered, when one did.
    pub remote_mta: Option<String>,
}

/// Where one recipient stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecipientState {
    /// Not tried yet.
    Pending,
    /// Handed over: `remote_mta` took responsibility (`None`: delivered locally).
    Delivered { remote_mta: Option<String> },
    /// Failed temporarily; tried again at the message's next attempt.
    Deferred(Diagnosis),
    /// Failed for good; the sender was told (unless the message is a bounce).
    Failed(Diagnosis),
}

impl RecipientState {
    fn is_open(&self) -> bool {
        matches!(self, RecipientState::Pending | RecipientState::Deferred(_))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedRecipient {
    pub address: String,
    pub state: RecipientState,
}

impl QueuedRecipient {
    /// The domain the recipient's MX is looked up for, lower-cased ("" for none).
    pub fn domain(&self) -> String {
        self.address
            .rsplit_once('@')
            .map_or(String::new(), |(_, domain)| domain.to_ascii_lowercase())
    }
}

/// One message in the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedMessage {
    pub id: MessageId,
    /// The envelope sender; "" for the null reverse-path of a bounce.
    pub reverse_path: String,
    pub recipients: Vec<QueuedRecipient>,
    /// The RFC 5322 message, CRLF line endings, as accepted (trace headers included).
    pub content: Vec<u8>,
    pub arrived: SimTime,
    pub attempts: u32,
    pub next_attempt: SimTime,
    /// The attempt under way: routes not reported yet, recipients failed in it.
    round: Option<Round>,
}

impl QueuedMessage {
    /// A bounce: sent with `MAIL FROM:<>`, never bounced itself.
    pub fn is_bounce(&self) -> bool {
        self.reverse_path.is_empty()
    }

    /// True while an attempt is under way.
    pub fn in_flight(&self) -> bool {
        self.round.is_some()
    }

    fn is_finished(&self) -> bool {
        !self.recipients.iter().any(|r| r.state.is_open())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Round {
    /// Domain → indices of its recipients, for the routes not reported yet.
    outstanding: BTreeMap<String, Vec<usize>>,
    newly_failed: Vec<usize>,
}

/// What to do for one message now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryAttempt {
    pub message: MessageId,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub routes: Vec<Route>,
}

/// The recipients of one domain, and the job that delivers to them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Lower-cased; the name whose MX records the World looks up.
    pub domain: String,
    pub recipients: Vec<String>,
    pub job: MailJob,
}

/// How a connection to an exchange failed before SMTP could say anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionFailure {
    /// The host answered the SYN with RST: nothing listens on port 25.
    Refused,
    /// No SYN-ACK came back in time.
    TimedOut,
    /// No IP route to the exchange, or its name has no address.
    NoRoute,
}

/// What became of one route, as the World reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryResult {
    /// An SMTP session with `exchange` ended with `outcome`.
    Smtp { exchange: String, outcome: Outcome },
    /// No SMTP session could start (every exchange tried; `exchange` is the last one).
    Unreachable {
        exchange: String,
        failure: ConnectionFailure,
    },
    /// The MX lookup itself failed for now (no answer from the resolver, SERVFAIL).
    DnsTemporaryFailure,
    /// The domain does not exist (NXDOMAIN): permanent, 5.1.2.
    NoSuchDomain,
    /// The domain publishes `MX 0 .` (RFC 7505): it takes no mail, permanent, 556 5.1.10.
    NullMx,
    /// The job could not be built into SMTP commands (a malformed address): permanent, 5.1.3.
    InvalidJob(InvalidJob),
    /// The domain turned out to be local; the World stored the message in the mailboxes.
    DeliveredLocally,
    /// This server is the domain's best MX (or ties with it) but not its final destination:
    /// no better exchange is left, so the mail would only come back here. Permanent, 5.4.6
    /// (RFC 5321 §5.1: the message MUST be returned as undeliverable).
    LoopsBackToMyself,
}

impl DeliveryResult {
    /// Whether the World should try the domain's next exchange before reporting: it could not
    /// connect, or the whole transaction failed temporarily (RFC 5321 §5.1).
    pub fn try_next_exchange(&self) -> bool {
        match self {
            DeliveryResult::Unreachable { .. } => true,
            DeliveryResult::Smtp {
                outcome: Outcome::Failed { failure, rejected },
                ..
            } => failure.severity() == Severity::Temporary && rejected.is_empty(),
            _ => false,
        }
    }
}

/// What the queue did, for the World's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MtaEvent {
    Queued {
        message: MessageId,
        reverse_path: String,
        recipients: Vec<String>,
        is_bounce: bool,
    },
    AttemptStarted {
        message: MessageId,
        attempt: u32,
        domains: Vec<String>,
    },
    Delivered {
        message: MessageId,
        recipients: Vec<String>,
        remote_mta: Option<String>,
    },
    Deferred {
        message: MessageId,
        recipients: Vec<String>,
        reply: Reply,
        next_attempt: SimTime,
    },
    Failed {
        message: MessageId,
        recipients: Vec<String>,
        reply: Reply,
    },
    /// The message stayed its maximum lifetime; `recipients` fail with 4.4.7.
    Expired {
        message: MessageId,
        recipients: Vec<String>,
    },
    BounceGenerated {
        bounce: MessageId,
        original: MessageId,
        recipients: Vec<String>,
    },
    /// A bounce could not be delivered: it is dropped, never bounced (RFC 5321 §4.5.5).
    DoubleBounceDropped {
        message: MessageId,
        recipients: Vec<String>,
    },
    /// Every recipient is delivered or failed: the message left the queue.
    Finished { message: MessageId },
}

/// The outbound queue of one mail server (see the module doc for the order of calls).
#[derive(Clone, Debug)]
pub struct OutboundQueue {
    host: String,
    policy: MtaPolicy,
    calendar: Calendar,
    messages: BTreeMap<MessageId, QueuedMessage>,
    next_id: u64,
}

impl OutboundQueue {
    /// An empty queue on `host` (the name in `Reporting-MTA` and `MAILER-DAEMON@`).
    pub fn new(host: impl Into<String>, policy: MtaPolicy, calendar: Calendar) -> Self {
        Self {
            host: host.into(),
            policy,
            calendar,
            messages: BTreeMap::new(),
            next_id: 1,
        }
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn policy(&self) -> &MtaPolicy {
        &self.policy
    }

    pub fn get(&self, id: MessageId) -> Option<&QueuedMessage> {
        self.messages.get(&id)
    }

    /// The messages still queued, oldest id first.
    pub fn messages(&self) -> impl Iterator<Item = &QueuedMessage> {
        self.messages.values()
    }

    pub fn len(&self) -> usize {
        self.messages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Queues a message for `recipients`; its first attempt is due at `now`.
    pub fn enqueue(
        &mut self,
        reverse_path: impl Into<String>,
        recipients: &[String],
        content: Vec<u8>,
        now: SimTime,
    ) -> (MessageId, Vec<MtaEvent>) {
        let id = MessageId(self.next_id);
        self.next_id += 1;
        let message = QueuedMessage {
            id,
            reverse_path: reverse_path.into(),
            recipients: recipients
                .iter()
                .map(|address| QueuedRecipient {
                    address: address.clone(),
                    state: RecipientState::Pending,
                })
                .collect(),
            content,
            arrived: now,
            attempts: 0,
            next_attempt: now,
            round: None,
        };
        let event = MtaEvent::Queued {
            message: id,
            reverse_path: message.reverse_path.clone(),
            recipients: recipients.to_vec(),
            is_bounce: message.is_bounce(),
        };
        self.messages.insert(id, message);
        (id, vec![event])
    }

    /// Queues what an SMTP server accepted, for the `recipients` it must relay (the
    /// `queued_for` of [`route_recipients`](super::mailbox::route_recipients)).
    pub fn enqueue_accepted(
        &mut self,
        message: &AcceptedMessage,
        recipients: &[String],
        now: SimTime,
    ) -> (MessageId, Vec<MtaEvent>) {
        self.enqueue(
            message.reverse_path.clone(),
            recipients,
            message.content.clone(),
            now,
        )
    }

    /// Messages whose next attempt is due at `now`, earliest first.
    pub fn due(&self, now: SimTime) -> Vec<MessageId> {
        let mut due: Vec<(SimTime, MessageId)> = self
            .messages
            .values()
            .filter(|m| !m.in_flight() && m.next_attempt <= now)
            .map(|m| (m.next_attempt, m.id))
            .collect();
        due.sort();
        due.into_iter().map(|(_, id)| id).collect()
    }

    /// When the next attempt is due; `None` when nothing waits.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        self.messages
            .values()
            .filter(|m| !m.in_flight())
            .map(|m| m.next_attempt)
            .min()
    }

    /// Starts an attempt: every pending or deferred recipient, grouped by domain. `None` if
    /// the message is unknown or an attempt is already under way.
    pub fn start_attempt(
        &mut self,
        id: MessageId,
        now: SimTime,
    ) -> Option<(DeliveryAttempt, Vec<MtaEvent>)> {
        let message = self.messages.get_mut(&id)?;
        if message.in_flight() {
            return None;
        }
        message.attempts += 1;
        let mut outstanding: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, recipient) in message.recipients.iter().enumerate() {
            if recipient.state.is_open() {
                outstanding
                    .entry(recipient.domain())
                    .or_default()
                    .push(index);
            }
        }
        let reverse_path = reverse_path_of(&message.reverse_path);
        let routes: Vec<Route> = outstanding
            .iter()
            .map(|(domain, indices)| {
                let recipients: Vec<String> = indices
                    .iter()
                    .map(|&i| message.recipients[i].address.clone())
                    .collect();
                Route {
                    domain: domain.clone(),
                    job: MailJob {
                        reverse_path: reverse_path.clone(),
                        recipients: recipients.iter().map(|r| forward_path_of(r)).collect(),
                        content: message.content.clone(),
                    },
                    recipients,
                }
            })
            .collect();
        let attempt = DeliveryAttempt {
            message: id,
            attempt: message.attempts,
            routes,
        };
        message.round = Some(Round {
            outstanding,
            newly_failed: Vec::new(),
        });
        let mut events = vec![MtaEvent::AttemptStarted {
            message: id,
            attempt: attempt.attempt,
            domains: attempt.routes.iter().map(|r| r.domain.clone()).collect(),
        }];
        if attempt.routes.is_empty() {
            events.extend(self.close_round(id, now));
        }
        Some((attempt, events))
    }

    /// Records what became of the route to `domain` in the attempt under way. A domain that is
    /// not outstanding (unknown message, no attempt, reported twice) changes nothing.
    pub fn record_result(
        &mut self,
        id: MessageId,
        domain: &str,
        result: DeliveryResult,
        now: SimTime,
    ) -> Vec<MtaEvent> {
        let Some(message) = self.messages.get_mut(&id) else {
            return Vec::new();
        };
        let Some(round) = message.round.as_mut() else {
            return Vec::new();
        };
        let Some(indices) = round.outstanding.remove(&domain.to_ascii_lowercase()) else {
            return Vec::new();
        };
        let mut delivered: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
        let mut failed: Vec<(Reply, Vec<String>)> = Vec::new();
        for index in indices {
            let recipient = &mut message.recipients[index];
            let state = fate(&result, &recipient.address, domain);
            match &state {
                RecipientState::Delivered { remote_mta } => delivered
                    .entry(remote_mta.clone())
                    .or_default()
                    .push(recipient.address.clone()),
                RecipientState::Failed(diagnosis) => {
                    group(&mut failed, &diagnosis.reply, &recipient.address);
                    round.newly_failed.push(index);
                }
                RecipientState::Pending | RecipientState::Deferred(_) => {}
            }
            recipient.state = state;
        }
        let round_done = round.outstanding.is_empty();
        let mut events: Vec<MtaEvent> = delivered
            .into_iter()
            .map(|(remote_mta, recipients)| MtaEvent::Delivered {
                message: id,
                recipients,
                remote_mta,
            })
            .collect();
        events.extend(
            failed
                .into_iter()
                .map(|(reply, recipients)| MtaEvent::Failed {
                    message: id,
                    recipients,
                    reply,
                }),
        );
        if round_done {
            events.extend(self.close_round(id, now));
        }
        events
    }

    /// Ends the attempt round: reschedules or expires what is deferred, bounces what failed,
    /// removes a finished message.
    fn close_round(&mut self, id: MessageId, now: SimTime) -> Vec<MtaEvent> {
        let mut events = Vec::new();
        let Some(message) = self.messages.get_mut(&id) else {
            return events;
        };
        let mut newly_failed = message.round.take().unwrap_or_default().newly_failed;
        let deadline = message
            .arrived
            .checked_add(self.policy.max_lifetime)
            .unwrap_or(SimTime::MAX);
        let open: Vec<usize> = (0..message.recipients.len())
            .filter(|&i| message.recipients[i].state.is_open())
            .collect();
        if !open.is_empty() && now >= deadline {
            for &index in &open {
                let recipient = &mut message.recipients[index];
                recipient.state = RecipientState::Failed(expired(&recipient.state));
                newly_failed.push(index);
            }
            events.push(MtaEvent::Expired {
                message: id,
                recipients: addresses(message, &open),
            });
        } else if !open.is_empty() {
            let wait = self.policy.retry_interval(message.attempts);
            let mut next = now.checked_add(wait).unwrap_or(SimTime::MAX);
            if next > deadline {
                let soonest = now
                    .checked_add(self.policy.first_retry)
                    .unwrap_or(SimTime::MAX);
                next = deadline.max(soonest);
            }
            message.next_attempt = next;
            let mut deferred: Vec<(Reply, Vec<String>)> = Vec::new();
            for &index in &open {
                let recipient = &message.recipients[index];
                if let RecipientState::Deferred(diagnosis) = &recipient.state {
                    group(&mut deferred, &diagnosis.reply, &recipient.address);
                }
            }
            events.extend(
                deferred
                    .into_iter()
                    .map(|(reply, recipients)| MtaEvent::Deferred {
                        message: id,
                        recipients,
                        reply,
                        next_attempt: next,
                    }),
            );
        }
        if !newly_failed.is_empty() {
            let recipients = addresses(message, &newly_failed);
            if message.is_bounce() {
                events.push(MtaEvent::DoubleBounceDropped {
                    message: id,
                    recipients,
                });
            } else {
                events.extend(self.bounce(id, &newly_failed, now));
            }
        }
        if self
            .messages
            .get(&id)
            .is_some_and(QueuedMessage::is_finished)
        {
            self.messages.remove(&id);
            events.push(MtaEvent::Finished { message: id });
        }
        events
    }

    /// Queues one DSN to the sender of `id` about the recipients at `failed`.
    fn bounce(&mut self, id: MessageId, failed: &[usize], now: SimTime) -> Vec<MtaEvent> {
        let Some(message) = self.messages.get(&id) else {
            return Vec::new();
        };
        let recipients: Vec<FailedRecipient> = failed
            .iter()
            .filter_map(|&index| {
                let recipient = &message.recipients[index];
                match &recipient.state {
                    RecipientState::Failed(diagnosis) => Some(FailedRecipient {
                        address: recipient.address.clone(),
                        status: diagnosis.status,
                        diagnostic: diagnosis.reply.clone(),
                        remote_mta: diagnosis.remote_mta.clone(),
                    }),
                    _ => None,
                }
            })
            .collect();
        let bounce_id = MessageId(self.next_id);
        let content = delivery_status_notification(&BounceReport {
            reporting_host: &self.host,
            bounce_id: &bounce_id.to_string(),
            original_id: &id.to_string(),
            original_sender: &message.reverse_path,
            date: &self.calendar.date(now),
            arrival_date: &self.calendar.date(message.arrived),
            recipients: &recipients,
            original_content: &message.content,
        });
        let sender = vec![message.reverse_path.clone()];
        let (bounce, mut events) = self.enqueue("", &sender, content, now);
        events.push(MtaEvent::BounceGenerated {
            bounce,
            original: id,
            recipients: recipients.into_iter().map(|r| r.address).collect(),
        });
        events
    }
}

/// What `result` means for the recipient `address` of the route to `domain`.
fn fate(result: &DeliveryResult, address: &str, domain: &str) -> RecipientState {
    let local = |code: u16, status: EnhancedStatus, text: String| Diagnosis {
        status,
        reply: Reply::new(ReplyCode::known(code), Some(status), &text),
        remote_mta: None,
    };
    let diagnosis = match result {
        DeliveryResult::DeliveredLocally => return RecipientState::Delivered { remote_mta: None },
        DeliveryResult::Smtp { exchange, outcome } => match outcome.recipient_status(address) {
            Some(RecipientStatus::Delivered) => {
                return RecipientState::Delivered {
                    remote_mta: Some(exchange.clone()),
                }
            }
            Some(RecipientStatus::Failed { severity, reply }) => {
                let reply = match reply {
                    Some(reply) => reply.clone(),
                    None => reply_for_failure(outcome),
                };
                let status = reply.status.unwrap_or_else(|| default_status(&reply));
                let diagnosis = Diagnosis {
                    status,
                    reply,
                    remote_mta: Some(exchange.clone()),
                };
                return match severity {
                    Severity::Temporary => RecipientState::Deferred(diagnosis),
                    Severity::Permanent => RecipientState::Failed(diagnosis),
                };
            }
            None => local(
                451,
                EnhancedStatus::new(4, 3, 0),
                format!("{exchange} said nothing about this recipient"),
            ),
        },
        DeliveryResult::Unreachable { exchange, failure } => match failure {
            ConnectionFailure::Refused => local(
                421,
                EnhancedStatus::new(4, 4, 1),
                format!("connection to {exchange} port 25 refused"),
            ),
            ConnectionFailure::TimedOut => local(
                421,
                EnhancedStatus::new(4, 4, 1),
                format!("no answer from {exchange} port 25"),
            ),
            ConnectionFailure::NoRoute => local(
                421,
                EnhancedStatus::new(4, 4, 4),
                format!("no route to {exchange}"),
            ),
        },
        DeliveryResult::DnsTemporaryFailure => local(
            451,
            EnhancedStatus::new(4, 4, 3),
            format!("the MX lookup for {domain} failed for now"),
        ),
        DeliveryResult::NoSuchDomain => {
            return RecipientState::Failed(local(
                550,
                EnhancedStatus::new(5, 1, 2),
                format!("the domain {domain} does not exist"),
            ))
        }
        DeliveryResult::NullMx => {
            return RecipientState::Failed(local(
                556,
                EnhancedStatus::new(5, 1, 10),
                format!("{domain} does not accept mail (null MX)"),
            ))
        }
        DeliveryResult::LoopsBackToMyself => {
            return RecipientState::Failed(local(
                554,
                EnhancedStatus::new(5, 4, 6),
                format!("mail for {domain} loops back to myself"),
            ))
        }
        DeliveryResult::InvalidJob(error) => {
            return RecipientState::Failed(local(
                553,
                EnhancedStatus::BAD_DESTINATION_SYNTAX,
                error.to_string(),
            ))
        }
    };
    RecipientState::Deferred(diagnosis)
}

/// A reply for a transaction that failed without one (RFC 3463 codes for each cause).
fn reply_for_failure(outcome: &Outcome) -> Reply {
    let Outcome::Failed { failure, .. } = outcome else {
        return Reply::new(
            ReplyCode::known(451),
            Some(EnhancedStatus::new(4, 3, 0)),
            "",
        );
    };
    let (code, status) = match &failure.reason {
        FailureReason::Rejected(reply) => return reply.clone(),
        FailureReason::MessageTooBig { .. } => (552, EnhancedStatus::MESSAGE_TOO_BIG),
        FailureReason::EightBitNotOffered => (554, EnhancedStatus::new(5, 6, 3)),
        FailureReason::ProtocolError(_) => (451, EnhancedStatus::new(4, 5, 0)),
        FailureReason::ConnectionLost | FailureReason::TimedOut => {
            (421, EnhancedStatus::new(4, 4, 2))
        }
    };
    Reply::new(ReplyCode::known(code), Some(status), failure.to_string())
}

/// `x.0.0` of the reply's class, for a server that sends no enhanced status.
fn default_status(reply: &Reply) -> EnhancedStatus {
    EnhancedStatus::new(reply.code.class(), 0, 0)
}

/// A deferred recipient's diagnosis at expiry: status 4.4.7, the last reply kept.
fn expired(state: &RecipientState) -> Diagnosis {
    let status = EnhancedStatus::new(4, 4, 7);
    match state {
        RecipientState::Deferred(last) => Diagnosis {
            status,
            ..last.clone()
        },
        _ => Diagnosis {
            status,
            reply: Reply::new(
                ReplyCode::known(421),
                Some(status),
                "delivery time expired before any attempt",
            ),
            remote_mta: None,
        },
    }
}

fn addresses(message: &QueuedMessage, indices: &[usize]) -> Vec<String> {
    indices
        .iter()
        .map(|&i| message.recipients[i].address.clone())
        .collect()
}

/// Adds `address` to the group of `reply`, keeping first-seen order.
fn group(groups: &mut Vec<(Reply, Vec<String>)>, reply: &Reply, address: &str) {
    match groups.iter_mut().find(|(seen, _)| seen == reply) {
        Some((_, addresses)) => addresses.push(address.to_string()),
        None => groups.push((reply.clone(), vec![address.to_string()])),
    }
}

fn mailbox_of(address: &str) -> Mailbox {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    Mailbox {
        local: local.to_string(),
        domain: domain.to_string(),
    }
}

fn reverse_path_of(address: &str) -> ReversePath {
    if address.is_empty() {
        ReversePath::Null
    } else {
        ReversePath::Mailbox(mailbox_of(address))
    }
}

fn forward_path_of(address: &str) -> ForwardPath {
    if address.eq_ignore_ascii_case("postmaster") {
        ForwardPath::Postmaster
    } else {
        ForwardPath::Mailbox(mailbox_of(address))
    }
}

#[cfg(test)]
mod tests;
