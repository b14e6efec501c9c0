//! The named scenarios end the way the lessons say they do: who got what, with which reply
//! codes, after how many attempts, through which server (RFC 5321 §4.4, §4.5.4.1, §5.1;
//! RFC 3464 bounces).

use kurir::mail::mailbox::StoredMessage;
use kurir::sim::event::{EventKind, SimEvent};
use kurir::sim::id::HostId;
use kurir::sim::scenario::{self, SCENARIOS};
use kurir::sim::time::{SimDuration, SimTime};
use kurir::sim::world::{MailResult, World};

fn run(name: &str) -> World {
    scenario::find(name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
        .run(None)
        .unwrap()
}

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

fn mailbox(world: &World, server: &str, address: &str) -> Vec<StoredMessage> {
    world
        .mail_store(host(world, server))
        .unwrap()
        .mailboxes()
        .find(|(a, _)| *a == address)
        .map(|(_, messages)| messages.iter().map(|held| held.message.clone()).collect())
        .unwrap_or_default()
}

fn the_only(messages: Vec<StoredMessage>) -> StoredMessage {
    assert_eq!(messages.len(), 1, "{messages:#?}");
    messages.into_iter().next().unwrap()
}

fn received_count(message: &StoredMessage) -> usize {
    message
        .header_fields()
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("Received"))
        .count()
}

/// The events on `server` that `pick` accepts, in order.
fn on<'a, T>(world: &'a World, server: &str, pick: impl Fn(&'a SimEvent) -> Option<T>) -> Vec<T> {
    let id = host(world, server);
    world
        .events()
        .iter()
        .filter(|e| e.host() == Some(id))
        .filter_map(pick)
        .collect()
}

fn relayed_to(world: &World, server: &str) -> Vec<(SimTime, String)> {
    on(world, server, |e| match &e.kind {
        EventKind::MessageRelayed { next_hop, .. } => Some((e.at, next_hop.to_string())),
        _ => None,
    })
}

/// When `server` tried to pass on the first message it queued (not the bounces it made).
fn attempts(world: &World, server: &str) -> Vec<SimTime> {
    let tries = on(world, server, |e| match &e.kind {
        EventKind::DeliveryAttemptStarted { message, .. } => Some((e.at, *message)),
        _ => None,
    });
    let first = tries.first().map(|(_, message)| *message);
    tries
        .into_iter()
        .filter(|(_, message)| Some(*message) == first)
        .map(|(at, _)| at)
        .collect()
}

fn replies(world: &World, server: &str) -> Vec<(u16, String)> {
    on(world, server, |e| match &e.kind {
        EventKind::SmtpReply { code, text, .. } => Some((*code, text.to_string())),
        _ => None,
    })
}

fn queues_are_empty(world: &World) {
    for name in ["mail.alpha.example", "mx1.beta.example", "mx2.beta.example"] {
        let queue = world.outbound_queue(host(world, name)).unwrap();
        assert!(queue.is_empty(), "{name} still queues {queue:#?}");
    }
}

#[test]
fn local_delivery_stays_on_mail_alpha() {
    let world = run("local-delivery");
    let message = the_only(mailbox(&world, "mail.alpha.example", "citra@alpha.example"));
    assert_eq!(
        message.header("Return-Path").as_deref(),
        Some("<ani@alpha.example>")
    );
    assert_eq!(received_count(&message), 1);
    assert_eq!(message.header("Subject").as_deref(), Some("Makan siang?"));
    assert!(relayed_to(&world, "mail.alpha.example").is_empty());
    assert!(
        !world
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::DnsQuery { .. })),
        "local mail needs no MX lookup"
    );
    queues_are_empty(&world);
}

#[test]
fn cross_domain_is_looked_up_by_mx_and_relayed_to_mx1() {
    let world = run("cross-domain");
    let lookups = on(&world, "mail.alpha.example", |e| match &e.kind {
        EventKind::MxLookupFinished {
            domain, outcome, ..
        } => Some((domain.clone(), outcome.clone())),
        _ => None,
    });
    assert_eq!(lookups.len(), 1);
    assert_eq!(lookups[0].0, "beta.example");
    assert!(
        lookups[0].1.starts_with("mx1.beta.example (10)"),
        "{lookups:?}"
    );
    let relayed = relayed_to(&world, "mail.alpha.example");
    assert_eq!(relayed.len(), 1);
    assert_eq!(relayed[0].1, "mx1.beta.example");

    let message = the_only(mailbox(&world, "mx1.beta.example", "budi@beta.example"));
    assert_eq!(received_count(&message), 2, "mail.alpha's and mx1's");
    let fields = message.header_fields();
    assert_eq!(fields[0].name, "Return-Path");
    assert_eq!(fields[0].value, "<ani@alpha.example>");
    assert!(
        fields[1].value.contains("by mx1.beta.example"),
        "{fields:?}"
    );
    assert!(
        fields[2].value.contains("by mail.alpha.example"),
        "{fields:?}"
    );
    assert_eq!(message.envelope_from, "ani@alpha.example");
    assert!(message.body().contains("Apa kabar?"));
    queues_are_empty(&world);
}

#[test]
fn unknown_user_bounces_to_ani_with_a_null_sender_dsn() {
    let world = run("unknown-user-bounce");
    assert!(replies(&world, "mx1.beta.example")
        .iter()
        .any(|(code, text)| *code == 550 && text.contains("5.1.1")));
    let bounced = on(&world, "mail.alpha.example", |e| match &e.kind {
        EventKind::MessageBounced {
            recipient, status, ..
        } => Some((recipient.to_string(), status.to_string())),
        _ => None,
    });
    assert_eq!(
        bounced,
        [("nobody@beta.example".to_string(), "5.1.1".to_string())]
    );
    assert!(mailbox(&world, "mx1.beta.example", "nobody@beta.example").is_empty());

    let dsn = the_only(mailbox(&world, "mail.alpha.example", "ani@alpha.example"));
    assert_eq!(dsn.envelope_from, "", "a bounce is sent with MAIL FROM:<>");
    assert_eq!(dsn.header("Return-Path").as_deref(), Some("<>"));
    let content_type = dsn.header("Content-Type").unwrap();
    assert!(
        content_type.starts_with("multipart/report"),
        "{content_type}"
    );
    assert!(content_type.contains("delivery-status"), "{content_type}");
    let body = dsn.body();
    assert!(body.contains("Status: 5.1.1"), "{body}");
    assert!(body.contains("nobody@beta.example"), "{body}");
    queues_are_empty(&world);
}

#[test]
fn a_full_mailbox_defers_and_retries_at_least_30_minutes_apart() {
    let world = run("mailbox-full-retry");
    let deferred = on(&world, "mail.alpha.example", |e| match &e.kind {
        EventKind::MessageDeferred {
            recipient, reason, ..
        } => Some((recipient.clone(), reason.clone())),
        _ => None,
    });
    assert_eq!(deferred.len(), 2, "{deferred:?}");
    for (recipient, reason) in &deferred {
        assert_eq!(recipient, "dewi@beta.example");
        assert!(reason.starts_with("452 4.2.2"), "{reason}");
    }
    let attempts = attempts(&world, "mail.alpha.example");
    assert_eq!(attempts.len(), 3, "{attempts:?}");
    for pair in attempts.windows(2) {
        assert!(
            pair[1].as_micros() - pair[0].as_micros() >= SimDuration::from_mins(30).as_micros()
        );
    }
    let message = the_only(mailbox(&world, "mx1.beta.example", "dewi@beta.example"));
    assert_eq!(received_count(&message), 2);
    queues_are_empty(&world);
}

#[test]
fn the_backup_mx_queues_while_mx1_is_down_and_forwards_when_it_is_back() {
    let world = run("primary-mx-down-backup-mx");
    let from_alpha = relayed_to(&world, "mail.alpha.example");
    assert_eq!(from_alpha.len(), 1);
    assert_eq!(from_alpha[0].1, "mx2.beta.example");

    let mx2 = host(&world, "mx2.beta.example");
    assert_eq!(
        world.mail_store(mx2).unwrap().mailboxes().count(),
        0,
        "the backup MX delivers nothing itself"
    );
    let mx1_back = world
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::HostStateChanged { up: true, .. }))
        .map(|e| e.at)
        .unwrap();
    let from_mx2 = relayed_to(&world, "mx2.beta.example");
    assert_eq!(from_mx2.len(), 1);
    assert_eq!(from_mx2[0].1, "mx1.beta.example");
    assert!(from_mx2[0].0 > mx1_back);
    let deferred_on_mx2 = on(&world, "mx2.beta.example", |e| match &e.kind {
        EventKind::MessageDeferred { .. } => Some(()),
        _ => None,
    });
    assert!(
        !deferred_on_mx2.is_empty(),
        "mx2 retried while mx1 was down"
    );

    let message = the_only(mailbox(&world, "mx1.beta.example", "budi@beta.example"));
    assert_eq!(received_count(&message), 3, "mail.alpha, mx2, mx1");
    assert_eq!(
        message.header("Return-Path").as_deref(),
        Some("<ani@alpha.example>")
    );
    queues_are_empty(&world);
}

#[test]
fn mx1_refuses_to_relay_for_a_stranger() {
    let world = run("open-relay-refused");
    let refused = replies(&world, "mx1.beta.example");
    assert!(
        refused
            .iter()
            .any(|(code, text)| *code == 554 && text.contains("5.7.1 ")),
        "{refused:?}"
    );
    let result = world
        .events()
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::MailAttemptFinished { message, .. } => world.mail_result(*message),
            _ => None,
        })
        .unwrap();
    assert!(!result.is_delivered());
    assert!(!result.is_temporary_failure());
    assert!(matches!(result, MailResult::Smtp(_)));
    let mx1 = host(&world, "mx1.beta.example");
    assert_eq!(world.mail_store(mx1).unwrap().message_count(), 0);
    assert!(world.outbound_queue(mx1).unwrap().is_empty());
}

#[test]
fn with_both_mx_down_the_message_expires_after_5_days_with_4_4_7() {
    let world = run("server-down-expiry");
    let attempts = attempts(&world, "mail.alpha.example");
    let first = attempts.first().unwrap().as_micros();
    for pair in attempts.windows(2) {
        let gap = pair[1].as_micros() - pair[0].as_micros();
        assert!(
            gap >= SimDuration::from_mins(30).as_micros(),
            "{attempts:?}"
        );
    }
    let five_days = SimDuration::from_mins(5 * 24 * 60).as_micros();
    let last_attempt = attempts.last().unwrap().as_micros();
    assert!(last_attempt - first >= five_days - SimDuration::from_secs(1).as_micros());

    let bounced = on(&world, "mail.alpha.example", |e| match &e.kind {
        EventKind::MessageBounced { status, .. } => Some((e.at, status.clone())),
        _ => None,
    });
    assert_eq!(bounced.len(), 1);
    assert_eq!(bounced[0].1, "4.4.7");
    assert!(bounced[0].0.as_micros() >= five_days);

    let dsn = the_only(mailbox(&world, "mail.alpha.example", "ani@alpha.example"));
    assert_eq!(dsn.envelope_from, "");
    assert!(dsn.body().contains("Status: 4.4.7"), "{}", dsn.body());
    assert!(mailbox(&world, "mx1.beta.example", "budi@beta.example").is_empty());
    queues_are_empty(&world);
}

#[test]
fn the_same_seed_gives_the_same_run() {
    for scenario in &SCENARIOS {
        let a = scenario.run(None).unwrap();
        let b = scenario.run(None).unwrap();
        assert_eq!(
            a.log().stable_hash(),
            b.log().stable_hash(),
            "{}",
            scenario.name
        );
        assert_eq!(a.pcap(), b.pcap(), "{}", scenario.name);
    }
}

/// Every message a server queued is, by the log, relayed, delivered or bounced — or still
/// in that server's queue.
#[test]
fn every_queued_message_ends_delivered_bounced_or_still_queued() {
    for scenario in &SCENARIOS {
        let world = scenario.run(None).unwrap();
        for queued in world.events() {
            let EventKind::MessageQueued { host, message, .. } = queued.kind else {
                continue;
            };
            let ended = world.events().iter().any(|e| {
                e.host() == Some(host)
                    && e.message() == Some(message)
                    && matches!(
                        e.kind,
                        EventKind::MessageRelayed { .. }
                            | EventKind::MessageDelivered { .. }
                            | EventKind::MessageBounced { .. }
                    )
            });
            let waiting = !world.outbound_queue(host).unwrap().is_empty();
            assert!(
                ended || waiting,
                "{}: {message} queued on {} has no end",
                scenario.name,
                world.topology().host_name(host)
            );
        }
    }
}

#[test]
fn scenario_names_are_unique_and_described() {
    let names = scenario::names();
    for (i, name) in names.iter().enumerate() {
        assert!(!names[..i].contains(name), "{name} twice");
    }
    for scenario in &SCENARIOS {
        assert!(!scenario.description.is_empty());
        assert!(!scenario.description.contains('\n'));
    }
    assert!(names.len() >= 7);
}
