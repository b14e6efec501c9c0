//! relay.example as a shared relay (smarthost) in the default world, end to end: ani submits on
//! its port 587 with AUTH, the relay looks up the MX and hands the message to mx1.beta.example
//! from its own address, which the `Received:` line there records; each customer may send five
//! messages an hour (the sixth gets `451 4.7.1`), while ani's own server, mail.alpha.example,
//! has no such limit.

use kurir::mail::maildrop::HeldMessage;
use kurir::proto::smtp::{ClientConfig, ForwardPath, MailJob, Mailbox, Outcome, ReversePath};
use kurir::sim::default_world::{ani_presses_send, RELAY_MESSAGES_PER_HOUR};
use kurir::sim::event::EventKind;
use kurir::sim::id::{HostId, MessageId};
use kurir::sim::time::{SimDuration, SimTime};
use kurir::sim::world::{Applied, Command, MailResult, World};
use kurir::terminal::{Entry, Terminal};

const RELAY_ADDRESS: &str = "203.0.113.25";

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

fn mailbox(address: &str) -> Mailbox {
    let (local, domain) = address.split_once('@').unwrap();
    Mailbox {
        local: local.into(),
        domain: domain.into(),
    }
}

/// `from` on `device`, logged in as `user`, submits a message to budi on relay.example:587.
fn through_relay(world: &mut World, device: &str, from: &str, user: &str) -> MessageId {
    let job = MailJob {
        reverse_path: ReversePath::Mailbox(mailbox(from)),
        recipients: vec![ForwardPath::Mailbox(mailbox("budi@beta.example"))],
        content: format!(
            "From: <{from}>\r\nTo: <budi@beta.example>\r\nSubject: Halo\r\n\r\nHai.\r\n"
        )
        .into_bytes(),
    };
    let command = Command::SendMail {
        from_host: host(world, device),
        to_host: host(world, "relay.example"),
        port: 587,
        client: ClientConfig::new(device).with_credentials(user, format!("{user}123")),
        job,
    };
    match world.apply(command).unwrap() {
        Applied::MailStarted { message, .. } => message,
        other => panic!("expected a mail attempt, got {other:?}"),
    }
}

/// Lets `minutes` of simulated time pass.
fn wait(world: &mut World, minutes: u64) {
    let until = world.now() + SimDuration::from_micros(minutes * 60_000_000);
    world.run_until(until);
}

fn ani_through_relay(world: &mut World) -> MailResult {
    let message = through_relay(world, "laptop-ani", "ani@alpha.example", "ani");
    wait(world, 2);
    world
        .mail_result(message)
        .cloned()
        .expect("the attempt ended")
}

fn budis_mail(world: &World) -> Vec<HeldMessage> {
    let mx1 = host(world, "mx1.beta.example");
    world
        .mail_store(mx1)
        .unwrap()
        .mailboxes()
        .find(|(address, _)| *address == "budi@beta.example")
        .map_or_else(Vec::new, |(_, messages)| messages.to_vec())
}

/// The `Received:` values of a message, newest (topmost) first.
fn received(message: &HeldMessage) -> Vec<String> {
    message
        .message
        .header_fields()
        .into_iter()
        .filter(|field| field.name.eq_ignore_ascii_case("Received"))
        .map(|field| field.value)
        .collect()
}

/// Every failure reply relay.example sent, as the log writes it (`451 4.7.1 …`).
fn relay_refusals(world: &World) -> Vec<String> {
    let relay = host(world, "relay.example");
    world
        .events()
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::SmtpReply {
                host, code, text, ..
            } if *host == relay && *code >= 400 => Some(text.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn mail_through_the_relay_reaches_budi_from_the_relays_own_address() {
    let mut world = World::default_world(6);
    assert!(ani_through_relay(&mut world).is_delivered());
    wait(&mut world, 5);

    let relay = host(&world, "relay.example");
    assert!(world.events().iter().any(|event| matches!(
        &event.kind,
        EventKind::MessageRelayed { host, next_hop, .. }
            if *host == relay && &**next_hop == "mx1.beta.example"
    )));
    let mail = budis_mail(&world);
    assert_eq!(mail.len(), 1);
    let stamps = received(&mail[0]);
    assert_eq!(stamps.len(), 2, "{stamps:?}");
    assert!(
        stamps[0].starts_with(&format!(
            "from relay.example (relay.example [{RELAY_ADDRESS}]) by mx1.beta.example"
        )),
        "mx1 took it from the relay's address: {}",
        stamps[0]
    );
    assert!(
        stamps[1].starts_with("from laptop-ani (laptop-ani [192.0.2.10]) by relay.example")
            && stamps[1].contains(" with ESMTPA "),
        "the relay took it from ani, logged in: {}",
        stamps[1]
    );
    assert!(
        !stamps.iter().any(|stamp| stamp.contains("192.0.2.25")),
        "ani's own server is not on the way"
    );
}

#[test]
fn two_customers_share_the_relays_address() {
    let mut world = World::default_world(6);
    assert!(ani_through_relay(&mut world).is_delivered());
    let shop = through_relay(&mut world, "laptop-budi", "toko@toko.example", "toko");
    wait(&mut world, 5);
    assert!(world.mail_result(shop).unwrap().is_delivered());
    let mail = budis_mail(&world);
    assert_eq!(mail.len(), 2);
    for message in &mail {
        assert!(received(message)[0].contains(&format!("[{RELAY_ADDRESS}]")));
    }
}

#[test]
fn the_sixth_message_in_an_hour_is_refused_with_451_4_7_1_until_the_next_hour() {
    let mut world = World::default_world(6);
    for n in 1..=RELAY_MESSAGES_PER_HOUR {
        assert!(
            ani_through_relay(&mut world).is_delivered(),
            "message {n} of the hour"
        );
    }
    let sixth = ani_through_relay(&mut world);
    let MailResult::Smtp(Outcome::Failed { failure, .. }) = &sixth else {
        panic!("the sixth message is refused, not {sixth}");
    };
    assert!(sixth.is_temporary_failure(), "{failure}");
    let refusals = relay_refusals(&world);
    assert_eq!(
        refusals[0],
        "451 4.7.1 Sending limit reached: ani may send 5 messages per hour through \
         relay.example; try again after 01:00 UTC (in 50 min)"
    );

    let shop = through_relay(&mut world, "laptop-budi", "toko@toko.example", "toko");
    wait(&mut world, 2);
    assert!(
        world.mail_result(shop).unwrap().is_delivered(),
        "the shop's account has its own count"
    );

    world.run_until(SimTime::ZERO + SimDuration::from_secs(59 * 60 + 30));
    assert!(
        !ani_through_relay(&mut world).is_delivered(),
        "00:59:30 is the same hour"
    );
    assert!(
        ani_through_relay(&mut world).is_delivered(),
        "01:01:30 is a new hour"
    );
    wait(&mut world, 5);
    assert_eq!(
        budis_mail(&world).len(),
        7,
        "five, the shop's, and one in the new hour"
    );
}

#[test]
fn the_dedicated_server_has_no_such_limit() {
    let mut world = World::default_world(6);
    for n in 0..2 * RELAY_MESSAGES_PER_HOUR {
        let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Halo", "Hai.");
        let Applied::MailStarted { message, .. } = world.apply(send.unwrap()).unwrap() else {
            panic!("Send starts a submission");
        };
        wait(&mut world, 2);
        assert!(
            world.mail_result(message).unwrap().is_delivered(),
            "message {n}"
        );
    }
    wait(&mut world, 5);
    let mail = budis_mail(&world);
    assert_eq!(mail.len(), 2 * RELAY_MESSAGES_PER_HOUR as usize);
    for message in &mail {
        assert!(
            received(message)[0].contains("[192.0.2.25]"),
            "alpha's own address"
        );
    }
    let no_limit = world
        .events()
        .iter()
        .all(|event| !matches!(&event.kind, EventKind::SmtpReply { code, .. } if *code == 451));
    assert!(no_limit);
}

#[test]
fn the_learner_reaches_the_relay_from_laptop_ani_with_telnet() {
    let mut world = World::default_world(6);
    let mut terminal = Terminal::new();
    for line in [
        "telnet relay.example 587",
        "EHLO laptop-ani.alpha.example",
        "AUTH PLAIN AGFuaQBhbmkxMjM=",
        "MAIL FROM:<ani@alpha.example>",
        "RCPT TO:<budi@beta.example>",
        "DATA",
        "Subject: Lewat relay",
        "",
        "Halo Budi.",
        ".",
        "QUIT",
    ] {
        terminal.submit(&mut world, line);
    }
    let codes: Vec<u16> = terminal
        .lines()
        .iter()
        .filter_map(|line| match &line.entry {
            Entry::Reply { reply, .. } => Some(reply.code.get()),
            _ => None,
        })
        .collect();
    assert_eq!(codes, [220, 250, 235, 250, 250, 354, 250, 221]);
    wait(&mut world, 5);
    let mail = budis_mail(&world);
    assert_eq!(mail.len(), 1);
    assert!(received(&mail[0])[0].contains(&format!("[{RELAY_ADDRESS}]")));
}
