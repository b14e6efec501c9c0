//! Whatever a learner does to the default world — switching servers, routers and dns.example
//! off and on, pulling cables, adding noise, filling dewi's mailbox — no mail is lost
//! silently: each recipient of each message ani sends ends delivered into its mailbox (once),
//! bounced back to ani (RFC 5321 §4.5.5, RFC 3464), still in a queue, or refused at
//! submission, and the log says which. The same seed and the same changes give the same run.

use kurir::proto::smtp::Outcome;
use kurir::sim::event::EventKind;
use kurir::sim::id::{HostId, LinkId};
use kurir::sim::rng::Probability;
use kurir::sim::time::{SimDuration, SimTime};
use kurir::sim::world::{Applied, Command, World};
use proptest::prelude::*;

const RECIPIENTS: [&str; 5] = [
    "budi@beta.example",
    "dewi@beta.example",
    "citra@alpha.example",
    "nobody@beta.example",
    "x@nonexistent.example",
];
const SWITCHED_HOSTS: [&str; 4] = ["mx1.beta.example", "mx2.beta.example", "r2", "dns.example"];
/// Long enough for the queue's 5-day lifetime to run out after the last change.
const RUN_FOR: SimDuration = SimDuration::from_mins(6 * 24 * 60);
/// Far above what a run needs (a few hundred thousand steps), so a busy loop fails the test.
const STEP_LIMIT: usize = 2_000_000;

/// One learner action, with indices into the lists above.
#[derive(Clone, Debug)]
enum Change {
    Send { recipients: Vec<usize> },
    HostUp { host: usize, up: bool },
    LinkUp { link: usize, up: bool },
    LinkLoss { link: usize, percent: u32 },
    DewiFull { full: bool },
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => proptest::collection::vec(0..RECIPIENTS.len(), 1..=3)
            .prop_map(|recipients| Change::Send { recipients }),
        2 => (0..SWITCHED_HOSTS.len(), any::<bool>()).prop_map(|(host, up)| Change::HostUp { host, up }),
        1 => (0..5usize, any::<bool>()).prop_map(|(link, up)| Change::LinkUp { link, up }),
        1 => (0..5usize, 0u32..=30).prop_map(|(link, percent)| Change::LinkLoss { link, percent }),
        1 => any::<bool>().prop_map(|full| Change::DewiFull { full }),
    ]
}

/// Changes at minutes since the start, within the first two hours.
fn schedule() -> impl Strategy<Value = Vec<(u64, Change)>> {
    proptest::collection::vec((0u64..120, change()), 1..6).prop_map(|mut changes| {
        changes.sort_by_key(|(minute, _)| *minute);
        changes
    })
}

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

fn link(world: &World, index: usize) -> LinkId {
    let links: Vec<LinkId> = world.topology().links().map(|(id, _)| id).collect();
    links[index % links.len()]
}

/// One message ani handed to mail.alpha's submission port.
struct Submitted {
    /// Its `Message-ID:` value, which every copy and every bounce about it carries.
    message_id: String,
    /// The recipients the submission server took.
    accepted: Vec<String>,
}

/// Runs the schedule; returns the finished world and what was submitted.
fn run(seed: u64, schedule: &[(u64, Change)]) -> (World, Vec<Submitted>) {
    let mut world = World::default_world(seed);
    let mut started = Vec::new();
    let mut steps = 0;
    let mut run_until = |world: &mut World, until: SimTime| {
        while world.next_event_at().is_some_and(|at| at <= until) {
            assert!(steps < STEP_LIMIT, "the world keeps itself busy");
            world.step();
            steps += 1;
        }
    };
    for (minute, change) in schedule {
        run_until(&mut world, SimTime::ZERO + SimDuration::from_mins(*minute));
        let command = match change {
            Change::Send { recipients } => Command::Submit {
                from_host: host(&world, "laptop-ani"),
                user: "ani".into(),
                password: "ani123".into(),
                from: "ani@alpha.example".into(),
                to: recipients.iter().map(|&r| RECIPIENTS[r].into()).collect(),
                subject: "Tes".into(),
                body: "Halo".into(),
            },
            Change::HostUp { host: h, up } => Command::SetHostUp {
                host: host(&world, SWITCHED_HOSTS[*h]),
                up: *up,
            },
            Change::LinkUp { link: l, up } => Command::SetLinkUp {
                link: link(&world, *l),
                up: *up,
            },
            Change::LinkLoss { link: l, percent } => Command::SetLinkLoss {
                link: link(&world, *l),
                loss: Probability::from_percent(*percent),
            },
            Change::DewiFull { full } => Command::SetMailboxFull {
                address: "dewi@beta.example".into(),
                full: *full,
            },
        };
        if let Ok(Applied::MailStarted { message, .. }) = world.apply(command) {
            started.push(message);
        }
    }
    run_until(&mut world, SimTime::ZERO + RUN_FOR);

    let mut submitted = Vec::new();
    for message in started {
        let result = world
            .mail_result(message)
            .unwrap_or_else(|| panic!("the submission of {message} never ended"));
        let finished = world.events().iter().any(|e| {
            matches!(e.kind, EventKind::MailAttemptFinished { message: m, delivered, .. }
                if m == message && delivered == result.is_delivered())
        });
        assert!(finished, "the log does not say how {message} ended");
        if let kurir::sim::world::MailResult::Smtp(Outcome::Delivered { accepted, .. }) = result {
            submitted.push(Submitted {
                message_id: format!("<{}.laptop-ani@alpha.example>", message.0),
                accepted: accepted.clone(),
            });
        }
    }
    (world, submitted)
}

/// The server whose mailboxes hold `address`'s mail.
fn final_server(address: &str) -> Option<&'static str> {
    match address.rsplit_once('@')?.1 {
        "alpha.example" => Some("mail.alpha.example"),
        "beta.example" => Some("mx1.beta.example"),
        _ => None,
    }
}

/// How many copies of `message_id` the mailbox of `address` holds.
fn copies_in_mailbox(world: &World, address: &str, message_id: &str) -> usize {
    let Some(server) = final_server(address) else {
        return 0;
    };
    world
        .mail_store(host(world, server))
        .unwrap()
        .mailboxes()
        .filter(|(mailbox, _)| *mailbox == address)
        .flat_map(|(_, messages)| messages)
        .filter(|m| m.header("Message-ID").as_deref() == Some(message_id))
        .count()
}

/// Whether some queue still has to pass `message_id` on to `address`.
fn still_queued(world: &World, address: &str, message_id: &str) -> bool {
    let header = format!("Message-ID: {message_id}\r\n");
    ["mail.alpha.example", "mx2.beta.example", "mx1.beta.example"]
        .iter()
        .flat_map(|name| world.outbound_queue(host(world, name)).unwrap().messages())
        .filter(|queued| !queued.is_bounce())
        .filter(|queued| String::from_utf8_lossy(&queued.content).contains(&header))
        .flat_map(|queued| &queued.recipients)
        .any(|r| {
            r.address == address
                && matches!(
                    r.state,
                    kurir::mail::mta::RecipientState::Pending
                        | kurir::mail::mta::RecipientState::Deferred(_)
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
fn bounce_report(world: &World, address: &str, message_id: &str) -> bool {
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
        .any(|m| about(&m.content));
    let in_queue = ["mail.alpha.example", "mx2.beta.example", "mx1.beta.example"]
        .iter()
        .flat_map(|name| world.outbound_queue(host(world, name)).unwrap().messages())
        .any(|queued| queued.is_bounce() && about(&queued.content));
    let dropped = world.events().iter().any(|e| {
        matches!(&e.kind, EventKind::MessageBounced { recipient, status, .. }
            if recipient == "ani@alpha.example" && status == "-")
    });
    in_mailbox || in_queue || dropped
}

fn check_no_mail_lost(world: &World, submitted: &[Submitted]) -> Result<(), TestCaseError> {
    for message in submitted {
        for address in &message.accepted {
            let copies = copies_in_mailbox(world, address, &message.message_id);
            prop_assert!(
                copies <= 1,
                "{} reached {address} {copies} times",
                message.message_id
            );
            let delivered = copies == 1;
            let queued = still_queued(world, address, &message.message_id);
            let bounced = bounce_report(world, address, &message.message_id);
            let ends = [delivered, queued, bounced];
            prop_assert_eq!(
                ends.iter().filter(|&&e| e).count(),
                1,
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_message_ends_delivered_bounced_queued_or_refused(
        seed in any::<u64>(),
        schedule in schedule(),
    ) {
        let (world, submitted) = run(seed, &schedule);
        check_no_mail_lost(&world, &submitted)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn the_same_seed_and_changes_give_the_same_run(
        seed in any::<u64>(),
        schedule in schedule(),
    ) {
        let (a, _) = run(seed, &schedule);
        let (b, _) = run(seed, &schedule);
        prop_assert_eq!(a.log().stable_hash(), b.log().stable_hash());
        prop_assert_eq!(a.pcap(), b.pcap());
    }
}
