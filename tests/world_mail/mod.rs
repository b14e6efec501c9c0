//! What the world's property tests share: a schedule of learner changes (sending as ani from
//! any mail client, switching servers, routers and dns.example off and on, pulling cables,
//! adding noise, filling dewi's mailbox), running it on a world, and the check that no mail
//! was lost silently: each recipient of each message ani sent ends delivered into its own
//! mailbox (once), bounced back to ani (RFC 5321 §4.5.5, RFC 3464), still in a queue, or
//! refused at submission, and the log says which. A second copy or end is allowed only where
//! the log shows a server's `250` that its client never heard (RFC 1047's duplicate).

use std::collections::{BTreeMap, BTreeSet};

use kurir::mail::mta::RecipientState;
use kurir::proto::smtp::Outcome;
use kurir::sim::default_world::HostRole;
use kurir::sim::event::EventKind;
use kurir::sim::id::{HostId, LinkId, MessageId};
use kurir::sim::rng::Probability;
use kurir::sim::time::{SimDuration, SimTime};
use kurir::sim::world::{Applied, Command, MailResult, World};
use proptest::prelude::*;

pub const RECIPIENTS: [&str; 5] = [
    "budi@beta.example",
    "dewi@beta.example",
    "citra@alpha.example",
    "nobody@beta.example",
    "x@nonexistent.example",
];
const SWITCHED_HOSTS: [&str; 4] = ["mx1.beta.example", "mx2.beta.example", "r2", "dns.example"];
/// The servers that run an outbound queue: where mail can still wait.
const QUEUEING_SERVERS: [&str; 3] = ["mail.alpha.example", "mx2.beta.example", "mx1.beta.example"];
/// Long enough for the queue's 5-day lifetime to run out after the last change.
const RUN_FOR: SimDuration = SimDuration::from_mins(6 * 24 * 60);
/// Far above what a run needs (a few hundred thousand steps), so a busy loop fails the test.
const STEP_LIMIT: usize = 2_000_000;

/// One learner action, with indices into the lists above (links and senders wrap around
/// whatever the world has).
#[derive(Clone, Debug)]
pub enum Change {
    /// ani sends from the `sender`th mail client of the world, with her own credentials.
    Send {
        sender: usize,
        recipients: Vec<usize>,
    },
    HostUp {
        host: usize,
        up: bool,
    },
    LinkUp {
        link: usize,
        up: bool,
    },
    LinkLoss {
        link: usize,
        percent: u32,
    },
    DewiFull {
        full: bool,
    },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (0..8usize, proptest::collection::vec(0..RECIPIENTS.len(), 1..=3))
            .prop_map(|(sender, recipients)| Change::Send { sender, recipients }),
        2 => (0..SWITCHED_HOSTS.len(), any::<bool>()).prop_map(|(host, up)| Change::HostUp { host, up }),
        1 => (0..8usize, any::<bool>()).prop_map(|(link, up)| Change::LinkUp { link, up }),
        1 => (0..8usize, 0u32..=30).prop_map(|(link, percent)| Change::LinkLoss { link, percent }),
        1 => any::<bool>().prop_map(|full| Change::DewiFull { full }),
    ]
}

/// Changes at minutes since the start, within the first two hours.
pub fn schedule() -> impl Strategy<Value = Vec<(u64, Change)>> {
    proptest::collection::vec((0u64..120, change()), 1..6).prop_map(|mut changes| {
        changes.sort_by_key(|(minute, _)| *minute);
        changes
    })
}

pub fn host(world: &World, name: &str) -> HostId {
    world
        .topology()
        .host_id(name)
        .unwrap_or_else(|| panic!("the world has no {name}"))
}

fn link(world: &World, index: usize) -> LinkId {
    let links: Vec<LinkId> = world.topology().links().map(|(id, _)| id).collect();
    links[index % links.len()]
}

/// The world's mail clients, in host order: laptop-ani first.
fn mail_clients(world: &World) -> Vec<(HostId, String)> {
    world
        .topology()
        .hosts()
        .filter(|(_, spec)| spec.role == HostRole::MailClient)
        .map(|(id, spec)| (id, spec.name.clone()))
        .collect()
}

/// One message ani handed to mail.alpha's submission port.
struct Submitted {
    /// Its `Message-ID:` value, which every copy and every bounce about it carries.
    message_id: String,
    /// The recipients the submission server took.
    accepted: Vec<String>,
}

/// A finished run: the world and what the checks need to know about its history.
pub struct Finished {
    pub world: World,
    submitted: Vec<Submitted>,
    /// The content of every bounce ever queued, by its host and its id in the log: a bounce
    /// that is dropped leaves the queue, and only the log says it was.
    bounces: BTreeMap<(HostId, MessageId), Vec<u8>>,
}

/// A world being run, with what the run has seen so far.
struct Runner {
    world: World,
    steps: usize,
    /// How many log events [`Runner::keep_new_bounces`] has looked at.
    logged: usize,
    bounces: BTreeMap<(HostId, MessageId), Vec<u8>>,
}

impl Runner {
    fn run_until(&mut self, until: SimTime) {
        while self.world.next_event_at().is_some_and(|at| at <= until) {
            assert!(self.steps < STEP_LIMIT, "the world keeps itself busy");
            self.world.step();
            self.steps += 1;
            self.keep_new_bounces();
        }
    }

    /// Keeps the content of each bounce the log has announced since the last look.
    fn keep_new_bounces(&mut self) {
        let events = self.world.events();
        for event in &events[self.logged..] {
            let EventKind::BounceQueued {
                host,
                message,
                queue_id,
                ..
            } = &event.kind
            else {
                continue;
            };
            let queued = self
                .world
                .outbound_queue(*host)
                .and_then(|queue| queue.messages().find(|m| m.id.to_string() == *queue_id))
                .unwrap_or_else(|| panic!("{queue_id} was logged as queued but is in no queue"));
            self.bounces
                .insert((*host, *message), queued.content.clone());
        }
        self.logged = events.len();
    }

    /// The command a change stands for, and the sender's name when it sends.
    fn command(&self, change: &Change) -> (Command, Option<String>) {
        let world = &self.world;
        match change {
            Change::Send { sender, recipients } => {
                let clients = mail_clients(world);
                let (from_host, name) = clients[sender % clients.len()].clone();
                let submit = Command::Submit {
                    from_host,
                    user: "ani".into(),
                    password: "ani123".into(),
                    from: "ani@alpha.example".into(),
                    to: recipients.iter().map(|&r| RECIPIENTS[r].into()).collect(),
                    subject: "Tes".into(),
                    body: "Halo".into(),
                };
                (submit, Some(name))
            }
            Change::HostUp { host: h, up } => {
                let host = host(world, SWITCHED_HOSTS[*h]);
                (Command::SetHostUp { host, up: *up }, None)
            }
            Change::LinkUp { link: l, up } => {
                let link = link(world, *l);
                (Command::SetLinkUp { link, up: *up }, None)
            }
            Change::LinkLoss { link: l, percent } => {
                let link = link(world, *l);
                let loss = Probability::from_percent(*percent);
                (Command::SetLinkLoss { link, loss }, None)
            }
            Change::DewiFull { full } => {
                let address = "dewi@beta.example".into();
                (
                    Command::SetMailboxFull {
                        address,
                        full: *full,
                    },
                    None,
                )
            }
        }
    }
}

/// Runs the schedule on `world`, then long enough for every queue to give up. Panics if a
/// submission never ends or the log does not say how it ended.
pub fn run(world: World, schedule: &[(u64, Change)]) -> Finished {
    let mut runner = Runner {
        world,
        steps: 0,
        logged: 0,
        bounces: BTreeMap::new(),
    };
    let mut started = Vec::new();
    for (minute, change) in schedule {
        runner.run_until(SimTime::ZERO + SimDuration::from_mins(*minute));
        let (command, sender) = runner.command(change);
        if let Ok(Applied::MailStarted { message, .. }) = runner.world.apply(command) {
            if let Some(sender) = sender {
                started.push((message, sender));
            }
        }
        runner.keep_new_bounces();
    }
    runner.run_until(SimTime::ZERO + RUN_FOR);

    let world = runner.world;
    let mut submitted = Vec::new();
    for (message, sender) in started {
        let result = world
            .mail_result(message)
            .unwrap_or_else(|| panic!("the submission of {message} never ended"));
        let finished = world.events().iter().any(|e| {
            matches!(e.kind, EventKind::MailAttemptFinished { message: m, delivered, .. }
                if m == message && delivered == result.is_delivered())
        });
        assert!(finished, "the log does not say how {message} ended");
        if let MailResult::Smtp(Outcome::Delivered { accepted, .. }) = result {
            submitted.push(Submitted {
                message_id: format!("<{}.{sender}@alpha.example>", message.0),
                accepted: accepted.clone(),
            });
        }
    }
    Finished {
        world,
        submitted,
        bounces: runner.bounces,
    }
}

/// The server whose mailboxes hold `address`'s mail.
fn final_server(address: &str) -> Option<&'static str> {
    match address.rsplit_once('@')?.1 {
        "alpha.example" => Some("mail.alpha.example"),
        "beta.example" => Some("mx1.beta.example"),
        _ => None,
    }
}

/// Every mailbox copy of `message_id` in the world, as (server, mailbox).
fn copies(world: &World, message_id: &str) -> Vec<(String, String)> {
    let topology = world.topology();
    topology
        .hosts()
        .filter_map(|(id, spec)| Some((spec.name.as_str(), world.mail_store(id)?)))
        .flat_map(|(server, store)| {
            store.mailboxes().flat_map(move |(mailbox, messages)| {
                messages
                    .iter()
                    .filter(|m| m.message.header("Message-ID").as_deref() == Some(message_id))
                    .map(move |_| (server.to_string(), mailbox.to_string()))
            })
        })
        .collect()
}

/// Whether some queue still has to pass `message_id` on to `address`.
fn still_queued(world: &World, address: &str, message_id: &str) -> bool {
    let header = format!("Message-ID: {message_id}\r\n");
    QUEUEING_SERVERS
        .iter()
        .flat_map(|name| world.outbound_queue(host(world, name)).unwrap().messages())
        .filter(|queued| !queued.is_bounce())
        .filter(|queued| String::from_utf8_lossy(&queued.content).contains(&header))
        .flat_map(|queued| &queued.recipients)
        .any(|r| {
            r.address == address
                && matches!(
                    r.state,
                    RecipientState::Pending | RecipientState::Deferred(_)
                )
        })
}

fn logged_delivery(world: &World, address: &str) -> bool {
    world.events().iter().any(
        |e| matches!(&e.kind, EventKind::MessageDelivered { mailbox, .. } if mailbox == address),
    )
}

fn logged_bounce(world: &World, address: &str) -> bool {
    world.events().iter().any(
        |e| matches!(&e.kind, EventKind::MessageBounced { recipient, .. } if recipient == address),
    )
}

fn logged_queueing(world: &World) -> bool {
    world
        .events()
        .iter()
        .any(|e| matches!(e.kind, EventKind::MessageQueued { .. }))
}

/// Whether a report about `message_id` failing for `address` exists: in ani's mailbox, on its
/// way there in a queue, or dropped as an undeliverable bounce (which the log records).
fn bounce_report(run: &Finished, address: &str, message_id: &str) -> bool {
    let world = &run.world;
    let about = |content: &[u8]| {
        let text = String::from_utf8_lossy(content);
        text.contains(&format!("Message-ID: {message_id}\r\n"))
            && text.contains(&format!("Final-Recipient: rfc822; {address}\r\n"))
    };
    let alpha = host(world, "mail.alpha.example");
    let in_mailbox = world
        .mail_store(alpha)
        .unwrap()
        .mailboxes()
        .filter(|(mailbox, _)| *mailbox == "ani@alpha.example")
        .flat_map(|(_, messages)| messages)
        .any(|m| about(&m.message.content));
    let in_queue = QUEUEING_SERVERS
        .iter()
        .flat_map(|name| world.outbound_queue(host(world, name)).unwrap().messages())
        .any(|queued| queued.is_bounce() && about(&queued.content));
    let dropped = world.events().iter().any(|e| match &e.kind {
        EventKind::MessageBounced {
            host,
            message,
            recipient,
            status,
            ..
        } => {
            recipient == "ani@alpha.example"
                && status == "-"
                && run
                    .bounces
                    .get(&(*host, *message))
                    .is_some_and(|content| about(content))
        }
        _ => false,
    });
    in_mailbox || in_queue || dropped
}

/// How many times a server took responsibility for mail that may reach `address` (filed it
/// in that mailbox, or queued it) while its client never heard the `250` and so counts the
/// attempt as failed. Each is a copy the client sends again: the duplicate of RFC 1047 that
/// RFC 5321 §4.1.1.4 warns about, which no sender can rule out on a lossy path.
fn unheard_acceptances(world: &World, address: &str) -> usize {
    let unheard: BTreeSet<MessageId> = world
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::MailAttemptFinished {
                message,
                delivered: false,
                ..
            } => Some(message),
            _ => None,
        })
        .collect();
    let taken: BTreeSet<MessageId> = world
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MessageDelivered {
                message, mailbox, ..
            } if mailbox == address => Some(*message),
            EventKind::MessageQueued { message, .. } => Some(*message),
            _ => None,
        })
        .collect();
    unheard.intersection(&taken).count()
}

/// Every accepted recipient of every submitted message ends exactly one way, and the log
/// says which; no copy lands in a mailbox it was not sent to. Only an acceptance whose `250`
/// never reached its client (see [`unheard_acceptances`]) may add a second copy or a second
/// end (a copy delivered and a bounce for the one that went on).
pub fn check_no_mail_lost(run: &Finished) -> Result<(), TestCaseError> {
    let world = &run.world;
    for message in &run.submitted {
        let copies = copies(world, &message.message_id);
        for (server, mailbox) in &copies {
            prop_assert!(
                message.accepted.contains(mailbox) && final_server(mailbox) == Some(server),
                "{} landed in {mailbox} on {server}",
                message.message_id
            );
        }
        for address in &message.accepted {
            let copies = copies.iter().filter(|(_, m)| m == address).count();
            let unheard = unheard_acceptances(world, address);
            prop_assert!(
                copies <= 1 + unheard,
                "{} reached {address} {copies} times",
                message.message_id
            );
            let delivered = copies > 0;
            let queued = still_queued(world, address, &message.message_id);
            let bounced = bounce_report(run, address, &message.message_id);
            let ends = [delivered, queued, bounced].iter().filter(|&&e| e).count();
            prop_assert!(
                ends == 1 || (ends > 1 && unheard > 0),
                "{} to {}: delivered {}, queued {}, bounced {}",
                &message.message_id,
                address,
                delivered,
                queued,
                bounced
            );
            if delivered {
                prop_assert!(logged_delivery(world, address));
            }
            if queued {
                prop_assert!(logged_queueing(world));
            }
            if bounced {
                prop_assert!(logged_bounce(world, address));
            }
        }
    }
    Ok(())
}
