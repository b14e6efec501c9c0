use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use super::*;
use crate::net::tcp::TcpState;
use crate::sim::default_world::ani_presses_send;
use crate::sim::id::{ConnectionId, HostId, LinkId, MessageId};
use crate::sim::time::SimTime;
use crate::sim::world::LookupId;
use crate::sim::zone::RecordType;
use crate::wire::ethernet::MacAddress;

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

/// One event of every kind the log knows.
fn one_of_each() -> Vec<SimEvent> {
    use EventKind::*;
    let (ani, mail_alpha, r2, mx1) = (HostId(0), HostId(1), HostId(3), HostId(6));
    let mac = MacAddress([2, 0, 0, 0, 0, 1]);
    let message = MessageId(0);
    let kinds = vec![
        LinkStateChanged {
            link: LinkId(4),
            up: false,
        },
        HostStateChanged {
            host: mx1,
            up: true,
        },
        FrameLost {
            host: r2,
            link: LinkId(1),
            frame: FrameId(9),
            cause: FrameLoss::Noise,
        },
        FrameSent {
            host: ani,
            link: LinkId(0),
            frame: FrameId(1),
            source: mac,
            destination: MacAddress::BROADCAST,
            ethertype: 0x0806,
            bytes: 42,
        },
        FrameReceived {
            host: mail_alpha,
            link: LinkId(0),
            frame: FrameId(1),
        },
        ArpRequest {
            host: ani,
            frame: FrameId(1),
            sender: ip("192.0.2.10"),
            target: ip("192.0.2.25"),
        },
        ArpReply {
            host: mail_alpha,
            frame: FrameId(2),
            address: ip("192.0.2.25"),
            mac,
        },
        PacketForwarded {
            host: r2,
            received: FrameId(5),
            sent: FrameId(6),
            source: ip("192.0.2.25"),
            destination: ip("198.51.100.25"),
            ttl_before: 63,
            ttl_after: 62,
        },
        PacketDropped {
            host: r2,
            frame: FrameId(7),
            source: ip("192.0.2.25"),
            destination: ip("8.8.8.8"),
            reason: "no route (network unreachable)".into(),
        },
        TcpStateChanged {
            host: ani,
            connection: ConnectionId(0),
            from: TcpState::SynSent,
            to: TcpState::Established,
        },
        DnsQuery {
            host: mail_alpha,
            frame: FrameId(10),
            query_id: 4660,
            name: "beta.example".into(),
            record_type: RecordType::Mx,
        },
        DnsAnswer {
            host: mail_alpha,
            frame: FrameId(11),
            query_id: 4660,
            name: "beta.example".into(),
            record_type: RecordType::Mx,
            rcode: crate::wire::dns::DnsRcode::NoError,
            answers: vec!["MX 10 mx1.beta.example.".into()].into(),
        },
        MxLookupFinished {
            host: mail_alpha,
            lookup: LookupId(0),
            domain: "beta.example".into(),
            outcome: "mx1.beta.example (10) 198.51.100.25".into(),
        },
        SmtpCommand {
            host: mail_alpha,
            connection: ConnectionId(1),
            message: Some(message),
            line: "MAIL FROM:<ani@alpha.example>".into(),
        },
        SmtpReply {
            host: mx1,
            connection: ConnectionId(1),
            message: None,
            code: 250,
            text: "250-mx1.beta.example\n250 PIPELINING".into(),
        },
        MailAttemptFinished {
            host: mail_alpha,
            connection: ConnectionId(1),
            message,
            delivered: true,
            outcome: "250 2.0.0 queued".into(),
        },
        MessageQueued {
            host: mail_alpha,
            message,
            queue_id: "A1".into(),
        },
        DeliveryAttemptStarted {
            host: mail_alpha,
            message,
            queue_id: "A1".into(),
            attempt: 2,
            domains: "beta.example".into(),
        },
        BounceQueued {
            host: mail_alpha,
            message,
            queue_id: "A2".into(),
            to: "ani@alpha.example".into(),
        },
        MessageDeferred {
            host: mail_alpha,
            message,
            recipient: "budi@beta.example".into(),
            reason: "connection refused".into(),
            retry_at: SimTime::from_micros(1_800_000_000),
        },
        MessageRelayed {
            host: mail_alpha,
            message,
            next_hop: "mx1.beta.example".into(),
        },
        MessageDelivered {
            host: mx1,
            message,
            mailbox: "budi@beta.example".into(),
        },
        MessageBounced {
            host: mx1,
            message,
            recipient: "nobody@beta.example".into(),
            status: "5.1.1".into(),
            reason: "no such user".into(),
        },
        MailboxChanged {
            host: mx1,
            mailbox: "budi@beta.example".into(),
            message,
            change: MailboxChange::Stored,
            messages_now: 1,
            by: None,
        },
        MxChanged {
            host: HostId(5),
            domain: "beta.example".into(),
            records: vec!["10 mx1.beta.example".into()],
        },
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| SimEvent::new(SimTime::from_micros(i as u64 * 100), kind))
        .collect()
}

/// The kebab-case tag of an event's canonical line: one per kind.
fn kind_tag(event: &SimEvent) -> String {
    event.to_string().split(' ').nth(1).unwrap().to_string()
}

/// ani sends budi (another domain) one message; the world runs until nothing is left to do.
fn cross_domain() -> World {
    after_ani_sends_to("budi@beta.example")
}

/// The default world after ani sent one message to `recipient` and everything settled.
fn after_ani_sends_to(recipient: &str) -> World {
    let mut world = World::default_world(1);
    let send = ani_presses_send(world.topology(), &[recipient], "Halo", "Apa kabar?");
    world.apply(send.unwrap()).unwrap();
    world.run_until_idle();
    world
}

fn all_rows(world: &World, filter: Filter) -> Vec<EventRow> {
    window(world, filter, None, usize::MAX / 4, Lang::En).rows
}

fn frame_bytes(world: &World, frame: FrameId) -> &[u8] {
    world.frame(frame).unwrap()
}

#[test]
fn every_kind_of_event_has_a_summary_in_both_languages_and_they_differ() {
    let events = one_of_each();
    let kinds: BTreeSet<String> = events.iter().map(kind_tag).collect();
    assert_eq!(kinds.len(), events.len(), "one event per kind");
    let topology = Topology::default_world();
    for event in &events {
        let en = summary(event, &topology, Lang::En);
        let id = summary(event, &topology, Lang::Id);
        assert!(!en.trim().is_empty() && !id.trim().is_empty(), "{event}");
        assert_ne!(en, id, "{event}");
    }
}

#[test]
fn summaries_name_hosts_and_links_and_keep_protocol_words() {
    let topology = Topology::default_world();
    let events = one_of_each();
    let text = |tag: &str, lang| {
        let event = events.iter().find(|e| kind_tag(e) == tag).unwrap();
        summary(event, &topology, lang)
    };
    assert_eq!(
        text("host-state", Lang::En),
        "mx1.beta.example is switched on again"
    );
    assert_eq!(
        text("host-state", Lang::Id),
        "mx1.beta.example menyala lagi"
    );
    assert_eq!(
        text("smtp-command", Lang::Id),
        "klien mengirim: MAIL FROM:<ani@alpha.example>"
    );
    assert_eq!(
        text("smtp-reply", Lang::En),
        "server replies: 250-mx1.beta.example / 250 PIPELINING"
    );
    assert!(text("frame-lost", Lang::En).contains("r1-r2"));
    assert!(text("tcp-state", Lang::Id).contains("SYN-SENT"));
}

#[test]
fn every_layer_has_a_name_in_both_languages() {
    let layers = [
        Layer::Application,
        Layer::Transport,
        Layer::Network,
        Layer::DataLink,
        Layer::Physical,
    ];
    let names: BTreeSet<_> = layers.iter().map(|l| layer_name(*l, Lang::Id)).collect();
    assert_eq!(names.len(), layers.len());
    assert_eq!(layer_name(Layer::Network, Lang::En), "network");
    assert_eq!(layer_name(Layer::Network, Lang::Id), "jaringan");
}

#[test]
fn filtering_by_dns_on_a_cross_domain_run_returns_only_dns_events() {
    let world = cross_domain();
    let rows = all_rows(&world, Filter::only(&[Protocol::Dns]));
    assert!(rows.iter().all(|row| row.protocol == Protocol::Dns));
    let shown: BTreeSet<usize> = rows.iter().map(|row| row.index).collect();
    // Every DNS event is there, and so is every frame that carried a DNS message, on the
    // first link and, passed on by routers, on the links after it.
    let mut dns_frames = BTreeSet::new();
    for event in world.events() {
        match event.kind {
            EventKind::DnsQuery { frame, .. } | EventKind::DnsAnswer { frame, .. } => {
                dns_frames.insert(frame);
            }
            EventKind::PacketForwarded { received, sent, .. } if dns_frames.contains(&received) => {
                dns_frames.insert(sent);
            }
            _ => {}
        }
    }
    assert!(!dns_frames.is_empty());
    for (index, event) in world.events().iter().enumerate() {
        let dns = match &event.kind {
            EventKind::DnsQuery { .. }
            | EventKind::DnsAnswer { .. }
            | EventKind::MxLookupFinished { .. } => true,
            EventKind::FrameSent { frame, .. }
            | EventKind::FrameReceived { frame, .. }
            | EventKind::PacketForwarded { sent: frame, .. } => dns_frames.contains(frame),
            EventKind::SmtpCommand { .. }
            | EventKind::SmtpReply { .. }
            | EventKind::ArpRequest { .. }
            | EventKind::TcpStateChanged { .. } => false,
            _ => continue,
        };
        assert_eq!(shown.contains(&index), dns, "{event}");
    }
}

#[test]
fn no_filter_shows_every_event_and_two_protocols_show_both() {
    let world = cross_domain();
    assert_eq!(all_rows(&world, Filter::ALL).len(), world.events().len());
    let smtp = all_rows(&world, Filter::only(&[Protocol::Smtp])).len();
    let dns = all_rows(&world, Filter::only(&[Protocol::Dns])).len();
    let both = all_rows(&world, Filter::only(&[Protocol::Smtp, Protocol::Dns]));
    assert!(smtp > 0 && dns > 0);
    assert_eq!(both.len(), smtp + dns);
    assert!(both.windows(2).all(|pair| pair[0].index < pair[1].index));
}

#[test]
fn a_frame_is_tagged_with_the_highest_protocol_its_bytes_show() {
    let world = cross_domain();
    let mut seen = BTreeSet::new();
    for event in world.events() {
        let EventKind::FrameSent { frame, .. } = event.kind else {
            continue;
        };
        let bytes = frame_bytes(&world, frame);
        let tag = protocol(event, &world);
        seen.insert(tag);
        let ethernet = Frame::new_checked(bytes).unwrap();
        if ethernet.ethertype() == EtherType::Arp {
            assert_eq!(tag, Protocol::Arp);
            continue;
        }
        let packet = Packet::new_checked(ethernet.payload()).unwrap();
        if packet.protocol() == IpProtocol::Tcp {
            let segment = TcpPacket::new_checked(packet.payload()).unwrap();
            let expected = if segment.payload().is_empty() {
                Protocol::Tcp
            } else {
                Protocol::Smtp
            };
            assert_eq!(tag, expected, "{event}");
        } else {
            assert_eq!(tag, Protocol::Dns, "{event}");
        }
    }
    let expected = [Protocol::Smtp, Protocol::Dns, Protocol::Tcp, Protocol::Arp];
    assert_eq!(seen, expected.into_iter().collect());
}

#[test]
fn a_router_forwarding_a_dns_packet_is_dns_and_an_smtp_segment_is_smtp() {
    let world = cross_domain();
    let forwarded: BTreeSet<Protocol> = world
        .events()
        .iter()
        .filter(|event| matches!(event.kind, EventKind::PacketForwarded { .. }))
        .map(|event| protocol(event, &world))
        .collect();
    assert!(forwarded.contains(&Protocol::Dns), "{forwarded:?}");
    assert!(forwarded.contains(&Protocol::Smtp), "{forwarded:?}");
    assert!(
        !forwarded.contains(&Protocol::Arp),
        "ARP never crosses a router"
    );
}

#[test]
fn bytes_that_cannot_be_read_count_as_the_layer_below() {
    assert_eq!(frame_protocol(&[]), Protocol::Ethernet);
    assert_eq!(frame_protocol(&[0xff; 10]), Protocol::Ethernet);
    let mut ipv4_header_only = vec![0u8; 14];
    ipv4_header_only[12..14].copy_from_slice(&[0x08, 0x00]);
    assert_eq!(frame_protocol(&ipv4_header_only), Protocol::Ip);
    let mut unknown = ipv4_header_only.clone();
    unknown[12..14].copy_from_slice(&[0x86, 0xdd]);
    assert_eq!(frame_protocol(&unknown), Protocol::Ethernet);
}

#[test]
fn the_filter_toggles_and_nothing_picked_admits_everything() {
    assert!(Protocol::ALL
        .iter()
        .all(|p| LAYERS.iter().all(|l| Filter::ALL.admits(*p, *l))));
    let dns = Filter::ALL.toggled(Protocol::Dns);
    assert_eq!(dns, Filter::only(&[Protocol::Dns]));
    assert!(dns.picks(Protocol::Dns) && !dns.is_all());
    assert!(Protocol::ALL
        .iter()
        .all(|p| dns.admits(*p, Layer::Application) == (*p == Protocol::Dns)));
    assert_eq!(dns.toggled(Protocol::Dns), Filter::ALL);
    let network = Filter::ALL.toggled_layer(Layer::Network);
    assert!(network.picks_layer(Layer::Network) && !network.is_all());
    assert!(LAYERS
        .iter()
        .all(|l| network.admits(Protocol::Tcp, *l) == (*l == Layer::Network)));
    assert_eq!(network.toggled_layer(Layer::Network), Filter::ALL);
}

#[test]
fn a_layer_and_a_protocol_together_admit_only_rows_with_both() {
    let world = cross_domain();
    let data_link = Filter::ALL.toggled_layer(Layer::DataLink);
    let rows = all_rows(&world, data_link);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row.layer == Layer::DataLink));
    let expected = world
        .events()
        .iter()
        .filter(|e| e.layer() == Layer::DataLink)
        .count();
    assert_eq!(
        rows.len(),
        expected,
        "every data-link event, of every protocol"
    );
    let dns_frames = all_rows(&world, data_link.toggled(Protocol::Dns));
    assert!(!dns_frames.is_empty() && dns_frames.len() < rows.len());
    assert!(dns_frames
        .iter()
        .all(|row| row.layer == Layer::DataLink && row.protocol == Protocol::Dns));
    let application_only = all_rows(&world, Filter::ALL.toggled_layer(Layer::Application));
    assert!(application_only
        .iter()
        .all(|row| row.layer == Layer::Application));
    assert!(application_only
        .iter()
        .any(|row| row.protocol == Protocol::Smtp));
}

#[test]
fn the_newest_window_ends_at_the_last_event_and_says_there_is_more_before() {
    let world = cross_domain();
    let last = world.events().len() - 1;
    let newest = window(&world, Filter::ALL, None, 10, Lang::En);
    let indexes: Vec<usize> = newest.rows.iter().map(|row| row.index).collect();
    assert_eq!(indexes, (last - 9..=last).collect::<Vec<_>>());
    assert!(newest.earlier && !newest.later);
}

#[test]
fn a_window_is_centred_on_its_position_and_fills_up_near_the_ends() {
    let world = cross_domain();
    let len = world.events().len();
    let middle = window(&world, Filter::ALL, Some(100), 10, Lang::En);
    let indexes: Vec<usize> = middle.rows.iter().map(|row| row.index).collect();
    assert_eq!(indexes, (96..106).collect::<Vec<_>>());
    assert!(middle.earlier && middle.later);

    let start = window(&world, Filter::ALL, Some(1), 10, Lang::En);
    assert_eq!(start.rows.first().map(|row| row.index), Some(0));
    assert_eq!(start.rows.len(), 10);
    assert!(!start.earlier && start.later);

    let end = window(&world, Filter::ALL, Some(len + 50), 10, Lang::En);
    assert_eq!(end, window(&world, Filter::ALL, None, 10, Lang::En));
}

#[test]
fn a_filtered_window_holds_at_most_its_size_of_matching_rows() {
    let world = cross_domain();
    let dns = Filter::only(&[Protocol::Dns]);
    let all_dns = all_rows(&world, dns);
    let some = window(&world, dns, Some(all_dns[6].index), 4, Lang::En);
    let indexes: Vec<usize> = some.rows.iter().map(|row| row.index).collect();
    let expected: Vec<usize> = all_dns[5..9].iter().map(|row| row.index).collect();
    assert_eq!(indexes, expected);
}

#[test]
fn an_empty_log_has_an_empty_window_and_nowhere_to_step() {
    let world = World::default_world(1);
    let empty = window(&world, Filter::ALL, None, 10, Lang::En);
    assert!(empty.rows.is_empty() && !empty.earlier && !empty.later);
    assert_eq!(step(&world, Filter::ALL, 0, 1), None);
    assert_eq!(markup(&empty, None, Lang::En), "");
}

#[test]
fn stepping_moves_between_matching_events_and_stops_at_the_ends() {
    let world = cross_domain();
    let dns = Filter::only(&[Protocol::Dns]);
    let indexes: Vec<usize> = all_rows(&world, dns).iter().map(|r| r.index).collect();
    let (first, last) = (indexes[0], *indexes.last().unwrap());
    assert_eq!(step(&world, dns, indexes[3], 1), Some(indexes[4]));
    assert_eq!(step(&world, dns, indexes[3], -2), Some(indexes[1]));
    assert_eq!(step(&world, dns, indexes[3], 0), Some(indexes[3]));
    assert_eq!(step(&world, dns, indexes[1], -10), Some(first));
    assert_eq!(step(&world, dns, last, 5), Some(last));
    assert_eq!(step(&world, dns, 0, isize::MIN), Some(first));
    assert_eq!(step(&world, dns, usize::MAX, 0), Some(last));
    // From an event the filter hides, the next one that way.
    let hidden = (first..last).find(|i| !indexes.contains(i)).unwrap();
    let next = indexes.iter().copied().find(|&i| i > hidden);
    assert_eq!(step(&world, dns, hidden, 1), next);
}

#[test]
fn rows_carry_index_time_place_layer_and_protocol() {
    let world = cross_domain();
    let row = EventRow::of(&world, 0, Lang::Id).unwrap();
    let event = &world.events()[0];
    assert_eq!(row.index, 0);
    assert_eq!(row.time, event.at.to_string());
    assert_eq!(row.place, "laptop-ani");
    assert_eq!(row.layer, event.layer());
    assert_eq!(row.summary, summary(event, world.topology(), Lang::Id));
    assert_eq!(EventRow::of(&world, world.events().len(), Lang::En), None);
}

#[test]
fn markup_is_escaped_and_marks_the_selected_row() {
    let world = cross_domain();
    let rows = window(&world, Filter::ALL, Some(20), 5, Lang::En);
    let html = markup(&rows, Some(20), Lang::En);
    assert_eq!(html.matches("role=\"option\"").count(), 5);
    assert_eq!(html.matches("aria-selected=\"true\"").count(), 1);
    let row = EventRow::of(&world, 20, Lang::En).unwrap();
    let (tag, layer) = (row.protocol.name(), row.layer.number());
    assert!(html.contains(&format!(
        "id=\"kr-event-20\" class=\"kr-events__row\" data-index=\"20\" \
         data-protocol=\"{tag}\" data-layer=\"{layer}\" aria-selected=\"true\">\
         <span class=\"kr-events__n\">21</span>"
    )));
    // SMTP lines hold `<` and `>`; none reaches the markup raw.
    let smtp = window(&world, Filter::only(&[Protocol::Smtp]), None, 500, Lang::En);
    let smtp_html = markup(&smtp, None, Lang::En);
    assert!(smtp_html.contains("MAIL FROM:&lt;ani@alpha.example&gt;"));
    assert!(!smtp_html.contains("<ani@"));
}

#[test]
fn centring_on_the_newest_centre_shows_the_newest_rows() {
    let world = cross_domain();
    for filter in [Filter::ALL, Filter::only(&[Protocol::Dns])] {
        for max in [1, 10, 11, 100_000] {
            let centre = newest_centre(&world, filter, max);
            assert_eq!(
                window(&world, filter, centre, max, Lang::En).rows,
                window(&world, filter, None, max, Lang::En).rows,
                "{filter:?}, {max} rows"
            );
        }
    }
    assert_eq!(
        newest_centre(&World::default_world(1), Filter::ALL, 10),
        None
    );
}

#[test]
fn placeholders_are_filled_in_any_order_and_other_braces_kept() {
    assert_eq!(fill("{1} → {0}", &[&"a", &2]), "2 → a");
    assert_eq!(fill("{0}{0}", &[&"x"]), "xx");
    assert_eq!(fill("{a} {} {9} {", &[&1]), "{a} {}  {");
    assert_eq!(fill("MAIL FROM:<>", &[]), "MAIL FROM:<>");
}

#[test]
fn a_refused_recipient_reads_in_indonesian_apart_from_what_the_server_said() {
    let world = after_ani_sends_to("nobody@beta.example");
    let summaries: Vec<String> = window(&world, Filter::ALL, None, usize::MAX / 4, Lang::Id)
        .rows
        .into_iter()
        .map(|row| row.summary)
        .collect();
    let refused = summaries
        .iter()
        .find(|s| s.contains("gagal diserahkan"))
        .expect("mail.alpha.example's relay attempt is refused");
    assert!(refused.contains("550"), "{refused}");
    for english in [
        "permanent failure",
        "temporary failure",
        "no recipient accepted",
    ] {
        assert!(
            summaries.iter().all(|s| !s.contains(english)),
            "{english} left in Indonesian"
        );
    }
}

fn rows(world: &World, indices: std::ops::Range<usize>) -> Vec<EventRow> {
    indices
        .map(|index| EventRow::of(world, index, Lang::En).unwrap())
        .collect()
}

fn window_of(rows: Vec<EventRow>) -> Window {
    Window {
        rows,
        earlier: false,
        later: false,
    }
}

#[test]
fn following_rows_only_shift_and_the_rows_kept_are_not_drawn_again() {
    let world = cross_domain();
    let shown = rows(&world, 0..10);
    let next = window_of(rows(&world, 4..14));
    let RowsUpdate::Shift { drop, append } = rows_update(&shown, &next, None, Lang::En) else {
        panic!("a shift");
    };
    assert_eq!(drop, 4);
    assert_eq!(
        append,
        markup(&window_of(rows(&world, 10..14)), None, Lang::En)
    );
    // Only new rows at the bottom.
    let grown = window_of(rows(&world, 0..12));
    assert!(matches!(
        rows_update(&shown, &grown, None, Lang::En),
        RowsUpdate::Shift { drop: 0, .. }
    ));
    assert_eq!(
        rows_update(&shown, &window_of(shown.clone()), None, Lang::En),
        RowsUpdate::Same
    );
}

#[test]
fn anything_but_a_shift_is_drawn_anew() {
    let world = cross_domain();
    let shown = rows(&world, 10..20);
    let redraw = |next: Window| {
        let html = markup(&next, None, Lang::En);
        assert_eq!(
            rows_update(&shown, &next, None, Lang::En),
            RowsUpdate::Redraw(html)
        );
    };
    // Back to earlier rows (a step back, Earlier), rows that changed (another language, a
    // timeline replayed differently), a filter that skips some, and nothing at all.
    redraw(window_of(rows(&world, 5..15)));
    let mut changed = rows(&world, 12..22);
    changed[3].summary.push_str(" (again)");
    redraw(window_of(changed));
    let mut gap = rows(&world, 12..22);
    gap.remove(2);
    redraw(window_of(gap));
    assert_eq!(
        rows_update(&shown, &window_of(Vec::new()), None, Lang::En),
        RowsUpdate::Redraw(String::new())
    );
    assert_eq!(
        rows_update(&[], &window_of(Vec::new()), None, Lang::En),
        RowsUpdate::Same
    );
}
