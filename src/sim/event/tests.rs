use super::*;
use crate::sim::time::SimDuration;
use crate::sim::topology::interface_mac;

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

fn at(micros: u64) -> SimTime {
    SimTime::from_micros(micros)
}

const ANI: HostId = HostId(0);
const MAIL_ALPHA: HostId = HostId(1);
const R2: HostId = HostId(3);
const MX1: HostId = HostId(6);
const ALPHA_LAN: LinkId = LinkId(0);

fn mac(host: HostId) -> MacAddress {
    interface_mac(host, 0)
}

/// One event of every kind, in a plausible order.
fn one_of_each() -> Vec<SimEvent> {
    use EventKind::*;
    let kinds = vec![
        LinkStateChanged {
            link: LinkId(4),
            up: false,
        },
        HostStateChanged {
            host: MX1,
            up: true,
        },
        FrameLost {
            host: R2,
            link: LinkId(1),
            frame: FrameId(9),
            cause: FrameLoss::Noise,
        },
        FrameSent {
            host: ANI,
            link: ALPHA_LAN,
            frame: FrameId(1),
            source: mac(ANI),
            destination: MacAddress::BROADCAST,
            ethertype: 0x0806,
            bytes: 42,
        },
        FrameReceived {
            host: MAIL_ALPHA,
            link: ALPHA_LAN,
            frame: FrameId(1),
        },
        ArpRequest {
            host: ANI,
            frame: FrameId(1),
            sender: ip("192.0.2.10"),
            target: ip("192.0.2.25"),
        },
        ArpReply {
            host: MAIL_ALPHA,
            frame: FrameId(2),
            address: ip("192.0.2.25"),
            mac: mac(MAIL_ALPHA),
        },
        PacketForwarded {
            host: R2,
            received: FrameId(5),
            sent: FrameId(6),
            source: ip("192.0.2.25"),
            destination: ip("198.51.100.25"),
            ttl_before: 63,
            ttl_after: 62,
        },
        PacketDropped {
            host: R2,
            frame: FrameId(7),
            source: ip("192.0.2.25"),
            destination: ip("8.8.8.8"),
            reason: "no route (network unreachable)".into(),
        },
        TcpStateChanged {
            host: ANI,
            connection: ConnectionId(0),
            from: TcpState::SynSent,
            to: TcpState::Established,
        },
        DnsQuery {
            host: MAIL_ALPHA,
            frame: FrameId(10),
            query_id: 4660,
            name: "beta.example".into(),
            record_type: RecordType::Mx,
        },
        DnsAnswer {
            host: MAIL_ALPHA,
            frame: FrameId(11),
            query_id: 4660,
            name: "beta.example".into(),
            record_type: RecordType::Mx,
            rcode: crate::wire::dns::DnsRcode::NoError,
            answers: vec![
                "MX 10 mx1.beta.example.".into(),
                "MX 20 mx2.beta.example.".into(),
            ]
            .into(),
        },
        SmtpCommand {
            host: MAIL_ALPHA,
            connection: ConnectionId(1),
            message: Some(MessageId(0)),
            line: "MAIL FROM:<ani@alpha.example>".into(),
        },
        SmtpReply {
            host: MX1,
            connection: ConnectionId(1),
            message: None,
            code: 250,
            text: "250-mx1.beta.example\n250 PIPELINING".into(),
        },
        MessageQueued {
            host: MAIL_ALPHA,
            message: MessageId(0),
            queue_id: "A1".into(),
        },
        MessageDeferred {
            host: MAIL_ALPHA,
            message: MessageId(0),
            recipient: "dewi@beta.example".into(),
            reason: "452 4.2.2 mailbox full".into(),
            retry_at: SimTime::ZERO + SimDuration::from_mins(30),
        },
        MessageRelayed {
            host: MAIL_ALPHA,
            message: MessageId(0),
            next_hop: "mx1.beta.example".into(),
        },
        MessageDelivered {
            host: MX1,
            message: MessageId(0),
            mailbox: "budi@beta.example".into(),
        },
        MessageBounced {
            host: MX1,
            message: MessageId(1),
            recipient: "nobody@beta.example".into(),
            status: "5.1.1".into(),
            reason: "no such user".into(),
        },
        MailboxChanged {
            host: MX1,
            mailbox: "budi@beta.example".into(),
            message: MessageId(0),
            change: MailboxChange::Stored,
            messages_now: 1,
            by: None,
        },
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(index, kind)| SimEvent::new(at(index as u64 * 1_000), kind))
        .collect()
}

fn summaries() -> Vec<String> {
    let topology = Topology::default_world();
    one_of_each().iter().map(|e| e.summary(&topology)).collect()
}

#[test]
fn summaries_name_hosts_and_links_in_one_line() {
    assert_eq!(
        summaries(),
        [
            "link beta-lan is down",
            "mx1.beta.example is up again",
            "frame#9 lost on r1-r2: noise on the line",
            "sends frame#1 on alpha-lan: 02:00:00:00:01:00 → ff:ff:ff:ff:ff:ff, ARP, 42 bytes",
            "receives frame#1 from alpha-lan",
            "ARP: who has 192.0.2.25? Tell 192.0.2.10",
            "ARP: 192.0.2.25 is at 02:00:00:00:02:00",
            "forwards 192.0.2.25 → 198.51.100.25, TTL 63 → 62, new MACs",
            "drops 192.0.2.25 → 8.8.8.8: no route (network unreachable)",
            "TCP conn#0: SYN-SENT → ESTABLISHED",
            "DNS query 4660: MX beta.example?",
            "DNS answer 4660: MX beta.example → NOERROR: MX 10 mx1.beta.example., \
             MX 20 mx2.beta.example.",
            "C: MAIL FROM:<ani@alpha.example>",
            "S: 250-mx1.beta.example / 250 PIPELINING",
            "msg#0 queued as A1",
            "msg#0 to dewi@beta.example deferred (452 4.2.2 mailbox full); retry at t = 30 min",
            "msg#0 relayed to mx1.beta.example",
            "msg#0 delivered to budi@beta.example",
            "msg#1 to nobody@beta.example bounced, 5.1.1: no such user",
            "mailbox budi@beta.example: msg#0 stored, 1 now",
        ]
    );
}

#[test]
fn every_event_sits_on_its_layer() {
    let layers: Vec<u8> = one_of_each().iter().map(|e| e.layer().number()).collect();
    assert_eq!(
        layers,
        [1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]
    );
    let names: Vec<String> = [
        Layer::Application,
        Layer::Transport,
        Layer::Network,
        Layer::DataLink,
        Layer::Physical,
    ]
    .iter()
    .map(Layer::to_string)
    .collect();
    assert_eq!(
        names,
        [
            "application",
            "transport",
            "network",
            "data link",
            "physical"
        ]
    );
}

#[test]
fn events_lead_to_their_frame_message_and_connection() {
    let events = one_of_each();
    let forwarded = &events[7];
    assert_eq!(forwarded.frame(), Some(FrameId(6)), "the frame sent on");
    assert_eq!(forwarded.host(), Some(R2));
    let command = &events[12];
    assert_eq!(command.message(), Some(MessageId(0)));
    assert_eq!(command.connection(), Some(ConnectionId(1)));
    assert_eq!(command.frame(), None);
    let reply = &events[13];
    assert_eq!(
        reply.message(),
        None,
        "a greeting belongs to no message yet"
    );
    assert_eq!(events[0].host(), None, "a link is nobody's");
    assert_eq!(events[10].frame(), Some(FrameId(10)));
    assert_eq!(events[19].message(), Some(MessageId(0)));
    let with_frames = events.iter().filter(|e| e.frame().is_some()).count();
    assert_eq!(with_frames, 9);
}

#[test]
fn canonical_lines_carry_every_field_with_ids_only() {
    let lines: Vec<String> = one_of_each().iter().map(SimEvent::to_string).collect();
    assert_eq!(lines[0], "0 link-state link=link#4 up=false");
    assert_eq!(
        lines[3],
        "3000 frame-sent host=host#0 link=link#0 frame=frame#1 src=02:00:00:00:01:00 \
         dst=ff:ff:ff:ff:ff:ff ethertype=0x0806 bytes=42"
    );
    assert_eq!(
        lines[7],
        "7000 packet-forwarded host=host#3 received=frame#5 sent=frame#6 src=192.0.2.25 \
         dst=198.51.100.25 ttl=63->62"
    );
    assert_eq!(
        lines[11],
        "11000 dns-answer host=host#1 frame=frame#11 id=4660 name=\"beta.example\" type=MX \
         rcode=NOERROR answers=[\"MX 10 mx1.beta.example.\", \"MX 20 mx2.beta.example.\"]"
    );
    assert_eq!(
        lines[12],
        "12000 smtp-command host=host#1 connection=conn#1 message=msg#0 \
         line=\"MAIL FROM:<ani@alpha.example>\""
    );
    assert_eq!(
        lines[13],
        "13000 smtp-reply host=host#6 connection=conn#1 message=none code=250 \
         text=\"250-mx1.beta.example\\n250 PIPELINING\""
    );
    assert_eq!(
        lines[15],
        "15000 message-deferred host=host#1 message=msg#0 recipient=\"dewi@beta.example\" \
         reason=\"452 4.2.2 mailbox full\" retry-at=1800000000"
    );
    assert!(lines.iter().all(|line| !line.contains('\n')));
    let mut tags: Vec<&str> = lines
        .iter()
        .map(|line| line.split(' ').nth(1).unwrap())
        .collect();
    tags.sort();
    tags.dedup();
    assert_eq!(tags.len(), lines.len(), "every kind has its own tag");
}

#[test]
fn the_log_hash_is_fnv1a_of_the_canonical_lines() {
    let mut log = EventLog::new();
    for event in one_of_each() {
        log.push(event);
    }
    let mut text = String::new();
    for event in log.events() {
        text.push_str(&event.to_string());
        text.push('\n');
    }
    let mut hasher = Fnv1a64::new();
    hasher.update(text.as_bytes());
    assert_eq!(log.stable_hash(), hasher.finish());
    assert_eq!(EventLog::new().stable_hash(), Fnv1a64::new().finish());
}

#[test]
fn equal_logs_hash_equal_and_any_change_shows() {
    let build = |events: Vec<SimEvent>| {
        let mut log = EventLog::new();
        events.into_iter().for_each(|event| {
            log.push(event);
        });
        log
    };
    let original = build(one_of_each());
    assert_eq!(original.stable_hash(), build(one_of_each()).stable_hash());

    let mut later = one_of_each();
    later[4].at = at(4_001);
    assert_ne!(original.stable_hash(), build(later).stable_hash());

    let mut other_ttl = one_of_each();
    if let EventKind::PacketForwarded { ttl_after, .. } = &mut other_ttl[7].kind {
        *ttl_after = 61;
    }
    assert_ne!(original.stable_hash(), build(other_ttl).stable_hash());

    let mut swapped = one_of_each();
    swapped.swap(4, 5);
    assert_ne!(original.stable_hash(), build(swapped).stable_hash());
}

#[test]
fn a_prefix_hash_compares_the_start_of_two_runs() {
    let events = one_of_each();
    let mut diverged = one_of_each();
    diverged[19].at = at(99_999);
    assert_eq!(stable_hash(&events[..19]), stable_hash(&diverged[..19]));
    assert_ne!(stable_hash(&events), stable_hash(&diverged));
}

#[test]
fn the_log_only_grows_and_indexes_are_positions() {
    let mut log = EventLog::new();
    assert!(log.is_empty());
    let events = one_of_each();
    let first = log.push(events[0].clone());
    let second = log.push(events[1].clone());
    assert_eq!((first, second), (0, 1));
    assert_eq!(log.len(), 2);
    assert_eq!(log.events()[second], events[1]);
}

#[test]
fn unknown_ethertypes_show_their_number() {
    assert_eq!(ethertype_name(0x0800), "IPv4");
    assert_eq!(ethertype_name(0x86dd), "EtherType 0x86dd");
}

#[test]
fn loss_causes_and_mailbox_changes_read_as_words() {
    assert_eq!(FrameLoss::LinkDown.to_string(), "the link is down");
    assert_eq!(
        FrameLoss::NoReceiver.to_string(),
        "nobody there to receive it"
    );
    assert_eq!(MailboxChange::Retrieved.to_string(), "retrieved");
    assert_eq!(MailboxChange::Deleted.to_string(), "deleted");
}

#[test]
fn a_finished_mail_attempt_names_its_message_and_connection() {
    let event = SimEvent::new(
        at(63_000_000),
        EventKind::MailAttemptFinished {
            host: ANI,
            connection: ConnectionId(0),
            message: MessageId(0),
            delivered: false,
            outcome: "temporary failure: connection refused".into(),
        },
    );
    assert_eq!(event.layer(), Layer::Application);
    assert_eq!(event.host(), Some(ANI));
    assert_eq!(event.message(), Some(MessageId(0)));
    assert_eq!(event.connection(), Some(ConnectionId(0)));
    assert_eq!(
        event.summary(&Topology::default_world()),
        "sending msg#0 ended: temporary failure: connection refused"
    );
    assert_eq!(
        event.to_string(),
        "63000000 mail-attempt-finished host=host#0 connection=conn#0 message=msg#0 \
         delivered=false outcome=\"temporary failure: connection refused\""
    );
}

#[test]
fn an_event_stays_within_48_bytes() {
    // The log keeps every event for as long as the world lives: its size is the log's size.
    assert!(std::mem::size_of::<SimEvent>() <= 48);
}
