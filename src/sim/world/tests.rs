use super::*;
use crate::net::tcp::TcpState;
use crate::proto::smtp::{ForwardPath, Mailbox, ReversePath};
use crate::sim::event::FrameLoss;
use crate::sim::time::SimDuration;
use crate::wire::ethernet::MacAddress;

pub(super) fn world() -> World {
    World::default_world(11)
}

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

fn mail_to(world: &World, server: &str, port: u16, to: &str) -> Command {
    let (local, domain) = to.split_once('@').unwrap();
    Command::SendMail {
        from_host: host(world, "laptop-ani"),
        to_host: host(world, server),
        port,
        client: ClientConfig::new("laptop-ani.alpha.example"),
        job: MailJob {
            reverse_path: ReversePath::Null,
            recipients: vec![ForwardPath::Mailbox(Mailbox {
                local: local.into(),
                domain: domain.into(),
            })],
            content: b"Subject: t\r\n\r\nx\r\n".to_vec(),
        },
    }
}

/// laptop-ani's mail to budi@beta.example, straight to mx1.beta.example's port 25.
pub(super) fn mail_to_budi(world: &World) -> Command {
    mail_to(world, "mx1.beta.example", 25, "budi@beta.example")
}

/// The world once laptop-ani's mail to budi@beta.example has run until nothing is left to do.
fn world_after_mail_to_budi() -> World {
    let mut world = world();
    world.apply(mail_to_budi(&world)).unwrap();
    world.run_until_idle();
    world
}

#[test]
fn a_new_world_is_quiet_until_a_command() {
    let mut world = world();
    assert!(!world.step());
    assert!(world.run_until_idle());
    assert!(world.events().is_empty());
    world.run_until(SimTime::from_micros(5_000_000));
    assert_eq!(world.now(), SimTime::from_micros(5_000_000));
}

#[test]
fn arp_asks_by_broadcast_and_answers_by_unicast() {
    let world = world_after_mail_to_budi();
    let sent = world
        .events()
        .iter()
        .position(|e| matches!(e.kind, EventKind::FrameSent { .. }))
        .unwrap();
    let EventKind::FrameSent {
        destination, frame, ..
    } = world.events()[sent].kind
    else {
        unreachable!();
    };
    assert_eq!(destination, MacAddress::BROADCAST);
    assert!(matches!(
        world.events()[sent + 1].kind,
        EventKind::ArpRequest { frame: f, .. } if f == frame
    ));
    let reply = world
        .events()
        .iter()
        .find_map(|e| match e.kind {
            EventKind::ArpReply { frame, .. } => Some(frame),
            _ => None,
        })
        .unwrap();
    assert!(!world.frame(reply).unwrap()[..6].iter().all(|&b| b == 0xff));
}

#[test]
fn a_frame_takes_serialisation_plus_latency() {
    let mut world = world();
    world
        .apply(mail_to(
            &world,
            "mail.alpha.example",
            587,
            "citra@alpha.example",
        ))
        .unwrap();
    assert!(world.step());
    // A 42-byte ARP frame at 100 Mbit/s: 336 bits take 4 µs (rounded up), plus 100 µs.
    assert_eq!(world.now(), SimTime::from_micros(4 + 100));
}

#[test]
fn frames_on_a_down_link_are_lost_and_logged() {
    let mut world = world();
    let link = world.topology().link_id("alpha-lan").unwrap();
    world.apply(Command::SetLinkUp { link, up: false }).unwrap();
    let Applied::MailStarted { message, .. } = world.apply(mail_to_budi(&world)).unwrap() else {
        panic!("a mail attempt starts");
    };
    assert!(world.run_until_idle());
    assert_eq!(
        world.mail_result(message),
        Some(&MailResult::ConnectTimedOut)
    );
    assert!(world.events().iter().any(|e| matches!(
        e.kind,
        EventKind::FrameLost {
            cause: FrameLoss::LinkDown,
            ..
        }
    )));
}

#[test]
fn commands_for_unknown_or_switched_off_hosts_are_refused() {
    let mut world = world();
    let ani = host(&world, "laptop-ani");
    assert!(world
        .apply(Command::SetHostUp {
            host: HostId(999),
            up: false
        })
        .is_err());
    world
        .apply(Command::SetHostUp {
            host: ani,
            up: false,
        })
        .unwrap();
    let error = world.apply(mail_to_budi(&world)).unwrap_err();
    assert_eq!(error.to_string(), "laptop-ani is switched off");
}

#[test]
fn ephemeral_ports_count_up_from_49152() {
    let mut world = world();
    for expected in [49_152, 49_153] {
        world.apply(mail_to_budi(&world)).unwrap();
        let snapshot = world.snapshot();
        let last = snapshot.connections.last().unwrap();
        assert_eq!(last.local.1, expected);
        assert_eq!(last.state, crate::net::tcp::TcpState::SynSent);
    }
}

#[test]
fn the_snapshot_shows_mailboxes_after_delivery() {
    let world = world_after_mail_to_budi();
    let snapshot = world.snapshot();
    let mx1 = snapshot
        .mail_servers
        .iter()
        .find(|s| s.host == "mx1.beta.example")
        .unwrap();
    assert_eq!(mx1.mailboxes, [("budi@beta.example".to_string(), 1)]);
    let text = snapshot.to_string();
    assert!(text.contains("budi@beta.example: 1 message(s)"), "{text}");
    assert!(text.contains("connections:\n  (none)"), "{text}");
}

#[test]
fn a_link_capture_holds_only_that_links_frames() {
    let mut world = world();
    world
        .apply(mail_to(
            &world,
            "mail.alpha.example",
            587,
            "citra@alpha.example",
        ))
        .unwrap();
    world.run_until_idle();
    let alpha = world.topology().link_id("alpha-lan").unwrap();
    let core = world.topology().link_id("core").unwrap();
    assert_eq!(world.link_pcap(alpha), world.pcap());
    assert_eq!(
        world.link_pcap(core).len(),
        crate::wire::pcap::FILE_HEADER_LEN
    );
}

// ---- DNS ----

fn lookup(world: &mut World, from: &str, domain: &str) -> LookupId {
    let from_host = host(world, from);
    match world.apply(Command::ResolveMx {
        from_host,
        domain: domain.into(),
    }) {
        Ok(Applied::LookupStarted { lookup }) => lookup,
        other => panic!("expected a lookup, got {other:?}"),
    }
}

#[test]
fn a_name_that_is_no_domain_ends_at_once_without_a_frame() {
    let mut world = world();
    let id = lookup(&mut world, "laptop-ani", "a..b");
    assert_eq!(
        world.mx_lookup_result(id),
        Some(&crate::net::dns::MxResolution::NoSuchDomain)
    );
    assert_eq!(world.frame_count(), 0);
    assert!(matches!(
        world.events().last().unwrap().kind,
        EventKind::MxLookupFinished { .. }
    ));
}

#[test]
fn a_lookup_from_a_host_switched_off_ends_temporary_and_stays_quiet() {
    let mut world = world();
    let id = lookup(&mut world, "laptop-ani", "beta.example");
    world.run_until(SimTime::from_micros(100));
    let ani = host(&world, "laptop-ani");
    world
        .apply(Command::SetHostUp {
            host: ani,
            up: false,
        })
        .unwrap();
    assert_eq!(
        world.mx_lookup_result(id),
        Some(&crate::net::dns::MxResolution::Temporary)
    );
    world.run_until_idle();
    let queries = world
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::DnsQuery { .. }))
        .count();
    assert!(queries <= 1, "no retry from a host that is off");
}

#[test]
fn a_lookup_from_a_host_that_is_off_is_refused() {
    let mut world = world();
    let ani = host(&world, "laptop-ani");
    world
        .apply(Command::SetHostUp {
            host: ani,
            up: false,
        })
        .unwrap();
    assert!(matches!(
        world.start_mx_lookup(ani, "beta.example"),
        Err(CommandError::HostDown(_))
    ));
}

#[test]
fn the_query_is_logged_with_the_frame_it_left_in_after_arp() {
    let mut world = world();
    lookup(&mut world, "laptop-ani", "beta.example");
    world.run_until_idle();
    let (index, frame) = world
        .events()
        .iter()
        .enumerate()
        .find_map(|(i, e)| match e.kind {
            EventKind::DnsQuery { frame, .. } => Some((i, frame)),
            _ => None,
        })
        .unwrap();
    assert!(matches!(
        world.events()[index - 1].kind,
        EventKind::FrameSent { frame: f, .. } if f == frame
    ));
    assert!(world.events()[..index]
        .iter()
        .any(|e| matches!(e.kind, EventKind::ArpReply { .. })));
}

fn submit(world: &World, password: &str, to: &str) -> Command {
    Command::Submit {
        from_host: host(world, "laptop-ani"),
        user: "ani".into(),
        password: password.into(),
        from: "ani@alpha.example".into(),
        to: vec![to.into()],
        subject: "Halo".into(),
        body: "Apa kabar?".into(),
    }
}

#[test]
fn submit_writes_a_dated_message_and_sends_it_with_auth() {
    let mut world = world();
    world
        .apply(submit(&world, "ani123", "citra@alpha.example"))
        .unwrap();
    world.run_until_idle();
    let store = world
        .mail_store(host(&world, "mail.alpha.example"))
        .unwrap();
    let (_, messages) = store.mailboxes().next().unwrap();
    let message = &messages[0].message;
    assert_eq!(message.header("Subject").as_deref(), Some("Halo"));
    assert_eq!(
        message.header("Date").as_deref(),
        Some("Thu, 1 Jan 2026 00:00:00 +0000")
    );
    assert!(message.header("Message-ID").is_some());
    assert_eq!(message.body(), "Apa kabar?\r\n");
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::SmtpCommand { line, .. } if line.starts_with("AUTH PLAIN")
    )));
}

#[test]
fn submit_with_a_wrong_password_is_refused_and_nothing_is_queued() {
    let mut world = world();
    let Applied::MailStarted { message, .. } = world
        .apply(submit(&world, "wrong", "budi@beta.example"))
        .unwrap()
    else {
        panic!("expected a mail attempt");
    };
    world.run_until_idle();
    let result = world.mail_result(message).unwrap();
    assert!(!result.is_delivered());
    assert!(!result.is_temporary_failure(), "{result}");
    let alpha = host(&world, "mail.alpha.example");
    assert!(world.outbound_queue(alpha).unwrap().is_empty());
    assert_eq!(world.mail_store(alpha).unwrap().message_count(), 0);
}

#[test]
fn a_relay_waits_while_its_server_is_off_and_resumes_when_it_is_back() {
    let mut world = world();
    world
        .apply(submit(&world, "ani123", "budi@beta.example"))
        .unwrap();
    // The message is taken within milliseconds; switch the server off before it can relay.
    let alpha = host(&world, "mail.alpha.example");
    while world.outbound_queue(alpha).unwrap().is_empty() {
        assert!(world.step());
    }
    world
        .apply(Command::SetHostUp {
            host: alpha,
            up: false,
        })
        .unwrap();
    world.run_until(SimTime::from_micros(3_600_000_000));
    assert_eq!(world.outbound_queue(alpha).unwrap().len(), 1);
    world
        .apply(Command::SetHostUp {
            host: alpha,
            up: true,
        })
        .unwrap();
    world.run_until_idle();
    assert!(world.outbound_queue(alpha).unwrap().is_empty());
    let mx1 = world.mail_store(host(&world, "mx1.beta.example")).unwrap();
    assert_eq!(mx1.mailboxes().count(), 1);
}

/// The source ports of the SYNs (without ACK) `from` put on the wire, in order.
fn syn_ports_from(world: &World, from: HostId) -> Vec<u16> {
    use crate::wire::ethernet::Frame;
    use crate::wire::ipv4::Packet;
    use crate::wire::tcp::TcpPacket;
    world
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::FrameSent { host, frame, .. } if host == from => world.frame(frame),
            _ => None,
        })
        .filter_map(|bytes| {
            let ethernet = Frame::new_checked(bytes).ok()?;
            let packet = Packet::new_checked(ethernet.payload()).ok()?;
            let tcp = TcpPacket::new_checked(packet.payload()).ok()?;
            let flags = tcp.flags();
            (flags.syn && !flags.ack).then(|| tcp.src_port())
        })
        .collect()
}

fn mail_between(world: &World, from: &str, to: &str) -> Command {
    let mut command = mail_to(world, to, 25, "budi@beta.example");
    if let Command::SendMail { from_host, .. } = &mut command {
        *from_host = host(world, from);
    }
    command
}

#[test]
fn packets_for_a_neighbour_that_never_answers_arp_are_dropped_after_three_requests() {
    let mut world = world();
    let (mx1, mx2) = (
        host(&world, "mx1.beta.example"),
        host(&world, "mx2.beta.example"),
    );
    world
        .apply(Command::SetHostUp {
            host: mx1,
            up: false,
        })
        .unwrap();
    let Applied::MailStarted { message, .. } = world
        .apply(mail_between(&world, "mx2.beta.example", "mx1.beta.example"))
        .unwrap()
    else {
        unreachable!();
    };
    world.run_until_idle();
    assert_eq!(
        world.mail_result(message),
        Some(&MailResult::ConnectTimedOut)
    );
    let first_burst: Vec<SimTime> = world
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ArpRequest { host, .. } if host == mx2))
        .map(|e| e.at)
        .take(3)
        .collect();
    assert_eq!(
        first_burst
            .windows(2)
            .map(|w| w[1].saturating_duration_since(w[0]))
            .collect::<Vec<_>>(),
        [SimDuration::from_secs(1); 2]
    );
    let dropped = world
        .events()
        .iter()
        .find(|e| matches!(&e.kind, EventKind::PacketDropped { host, .. } if *host == mx2))
        .expect("the SYN waiting for mx1's MAC is dropped");
    assert_eq!(dropped.at, first_burst[0] + SimDuration::from_secs(3));
    assert!(matches!(&dropped.kind,
        EventKind::PacketDropped { reason, .. } if reason.contains("host unreachable")));

    // mx1 comes back and mx2 tries again: only the new attempt's SYNs go out.
    let before = syn_ports_from(&world, mx2);
    world
        .apply(Command::SetHostUp {
            host: mx1,
            up: true,
        })
        .unwrap();
    world
        .apply(mail_between(&world, "mx2.beta.example", "mx1.beta.example"))
        .unwrap();
    world.run_until_idle();
    let after = &syn_ports_from(&world, mx2)[before.len()..];
    assert!(!after.is_empty());
    assert!(
        after.iter().all(|port| !before.contains(port)),
        "a SYN of the attempt that timed out went out: {after:?} after {before:?}"
    );
}

#[test]
fn a_syn_whose_handshake_never_completes_is_not_greeted() {
    let mut world = world();
    let (laptop, mx1) = (host(&world, "laptop-ani"), host(&world, "mx1.beta.example"));
    let src = world.topology().host(laptop).unwrap().primary_address();
    let dst = world.topology().host(mx1).unwrap().primary_address();
    // A SYN no connection of the laptop sent (a stale one): the laptop resets the SYN-ACK.
    let syn = crate::wire::tcp::TcpRepr {
        src_port: 40_000,
        dst_port: 25,
        seq: 1,
        flags: crate::wire::tcp::TcpFlags::SYN,
        window: 1024,
        mss: Some(MSS),
        ..Default::default()
    };
    world.send_segment(laptop, src, dst, &syn);
    world.run_until_idle();
    assert!(world.events().iter().any(|e| matches!(e.kind,
        EventKind::TcpStateChanged { host, to: TcpState::SynReceived, .. } if host == mx1)));
    assert!(
        !world
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::SmtpReply { .. })),
        "a 220 was logged that never went on the wire"
    );
}

#[test]
fn the_greeting_follows_the_handshake() {
    let world = world_after_mail_to_budi();
    let established = world
        .events()
        .iter()
        .position(|e| {
            matches!(
                e.kind,
                EventKind::TcpStateChanged {
                    to: TcpState::Established,
                    ..
                }
            )
        })
        .unwrap();
    let greeting = world
        .events()
        .iter()
        .position(|e| matches!(e.kind, EventKind::SmtpReply { code: 220, .. }))
        .unwrap();
    assert!(established < greeting);
}

#[test]
fn a_null_mx_set_at_run_time_bounces_the_next_mail_and_is_logged() {
    let mut world = world();
    world
        .apply(Command::SetMx {
            domain: "beta.example".into(),
            exchanges: vec![(0, ".".into())],
        })
        .unwrap();
    assert!(matches!(
        &world.events()[0].kind,
        EventKind::MxChanged { domain, records, .. }
            if domain == "beta.example" && records == &["0 ."]
    ));
    world
        .apply(submit(&world, "ani123", "budi@beta.example"))
        .unwrap();
    world.run_until(SimTime::ZERO + SimDuration::from_mins(5));
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::MessageBounced { recipient, status, .. }
            if recipient == "budi@beta.example" && status == "5.1.10"
    )));
}

#[test]
fn mx_records_of_a_domain_no_zone_serves_are_refused_and_nothing_changes() {
    let mut world = world();
    let error = world
        .apply(Command::SetMx {
            domain: "gamma.test".into(),
            exchanges: vec![(10, "mx.gamma.test".into())],
        })
        .unwrap_err();
    assert!(matches!(error, CommandError::Zone(_)), "{error}");
    assert!(world.events().is_empty());
    assert!(world.command_log().is_empty());
}

#[test]
fn an_added_account_gets_mail_and_a_host_without_its_domain_refuses_it() {
    let mut world = world();
    let mx1 = host(&world, "mx1.beta.example");
    let eka = Account {
        user: "eka".into(),
        domain: "beta.example".into(),
        password: "eka123".into(),
        display_name: "Eka".into(),
    };
    let refused = mail_to(&world, "mx1.beta.example", 25, "eka@beta.example");
    world.apply(refused).unwrap();
    world.run_until_idle();
    let before = world.mail_store(mx1).unwrap().message_count();

    world
        .apply(Command::AddAccount {
            host: mx1,
            account: eka.clone(),
        })
        .unwrap();
    // Added twice: the second time changes nothing.
    world
        .apply(Command::AddAccount {
            host: mx1,
            account: eka.clone(),
        })
        .unwrap();
    let Applied::MailStarted { message, .. } = world
        .apply(mail_to(&world, "mx1.beta.example", 25, "eka@beta.example"))
        .unwrap()
    else {
        panic!("a mail attempt starts");
    };
    world.run_until_idle();
    assert!(world.mail_result(message).unwrap().is_delivered());
    assert_eq!(before, 0, "before, mx1 answered 550 and stored nothing");
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::MessageDelivered { mailbox, .. } if mailbox.as_str() == "eka@beta.example"
    )));

    let laptop = host(&world, "laptop-ani");
    assert_eq!(
        world
            .apply(Command::AddAccount {
                host: laptop,
                account: eka,
            })
            .unwrap_err()
            .to_string(),
        "laptop-ani keeps no mailboxes for beta.example"
    );
}

/// laptop-ani's letters to `recipients` of beta.example, one job each, over one session to
/// mx1.beta.example:`port`.
fn letters_over_one_session(world: &World, port: u16, recipients: &[&str]) -> Command {
    let jobs = recipients
        .iter()
        .map(|local| MailJob {
            reverse_path: ReversePath::Null,
            recipients: vec![ForwardPath::Mailbox(Mailbox {
                local: (*local).into(),
                domain: "beta.example".into(),
            })],
            content: format!("Subject: to {local}\r\n\r\nx\r\n").into_bytes(),
        })
        .collect();
    Command::SendMails {
        from_host: host(world, "laptop-ani"),
        to_host: host(world, "mx1.beta.example"),
        port,
        client: ClientConfig::new("laptop-ani.alpha.example"),
        jobs,
    }
}

#[test]
fn several_messages_go_over_one_connection_each_under_its_own_id() {
    let mut world = world();
    let command = letters_over_one_session(&world, 25, &["budi", "nobody", "dewi"]);
    let Applied::MailsStarted {
        first,
        count,
        connection,
    } = world.apply(command).unwrap()
    else {
        panic!("a session for several messages starts");
    };
    assert!(world.run_until_idle());
    assert_eq!(count, 3);
    let ids = [first, first.next(), first.next().next()];
    let results: Vec<bool> = ids
        .iter()
        .map(|&id| world.mail_result(id).unwrap().is_delivered())
        .collect();
    assert_eq!(results, [true, false, true], "nobody@ is refused alone");
    let syns = world
        .events()
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::TcpStateChanged {
                    to: TcpState::SynSent,
                    ..
                }
            )
        })
        .count();
    assert_eq!(syns, 1, "one connection");
    // Each command and each reply names the message its transaction is about.
    let lines_of = |id: MessageId| -> Vec<String> {
        world
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SmtpCommand {
                    message,
                    line,
                    connection: c,
                    ..
                } if *message == Some(id) && *c == connection => Some(line.to_string()),
                EventKind::SmtpReply { message, code, .. } if *message == Some(id) => {
                    Some(code.to_string())
                }
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        lines_of(ids[0]),
        [
            "220",
            "EHLO laptop-ani.alpha.example",
            "250",
            "MAIL FROM:<> SIZE=23",
            "RCPT TO:<budi@beta.example>",
            "DATA",
            "250",
            "250",
            "354",
            "250"
        ]
    );
    assert_eq!(
        lines_of(ids[1]),
        [
            "MAIL FROM:<> SIZE=25",
            "RCPT TO:<nobody@beta.example>",
            "DATA",
            "250",
            "550",
            "503"
        ]
    );
    assert_eq!(
        lines_of(ids[2]),
        [
            "RSET",
            "250",
            "MAIL FROM:<> SIZE=23",
            "RCPT TO:<dewi@beta.example>",
            "DATA",
            "250",
            "250",
            "354",
            "250",
            "QUIT",
            "221"
        ]
    );
    let finished: Vec<MessageId> = world
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::MailAttemptFinished { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(finished, ids);
    let mx1 = host(&world, "mx1.beta.example");
    let maildrops = world.mail_store(mx1).unwrap().maildrops();
    assert_eq!(
        maildrops.get("budi@beta.example").unwrap().messages().len(),
        1
    );
    assert_eq!(
        maildrops.get("dewi@beta.example").unwrap().messages().len(),
        1
    );
}

#[test]
fn a_refused_connection_ends_every_message_it_was_to_carry() {
    let mut world = world();
    let command = letters_over_one_session(&world, 2525, &["budi", "dewi"]);
    let Applied::MailsStarted { first, count, .. } = world.apply(command).unwrap() else {
        panic!("a session for several messages starts");
    };
    assert!(world.run_until_idle());
    assert_eq!(count, 2);
    for id in [first, first.next()] {
        assert_eq!(world.mail_result(id), Some(&MailResult::ConnectionRefused));
    }
    assert!(world.mail_result(first.next().next()).is_none());
}

#[test]
fn a_session_without_jobs_is_refused() {
    let mut world = world();
    let command = letters_over_one_session(&world, 25, &[]);
    assert_eq!(
        world.apply(command),
        Err(CommandError::InvalidJob(InvalidJob::NoJobs))
    );
    assert!(world.events().is_empty());
}

#[test]
fn a_client_connection_is_held_until_its_time_wait_is_over() {
    let mut world = World::default_world(2);
    let Applied::MailStarted {
        message,
        connection,
    } = world.apply(mail_to_budi(&world)).unwrap()
    else {
        panic!("a mail attempt starts");
    };
    assert!(world.holds_connection(connection));
    while world.mail_result(message).is_none() {
        assert!(world.step());
    }
    // The client closes first: TIME-WAIT keeps it for a while after the answer.
    assert!(world.holds_connection(connection));
    assert!(world.run_until_idle());
    assert!(!world.holds_connection(connection));
}
