//! The event list: every entry of the world's log as one row of a simulator-style list —
//! number, time, host, layer, protocol and a one-line summary in English or Bahasa Indonesia —
//! the text equivalent of the animated map.
//!
//! The protocol of a frame is read from its bytes, as Wireshark does: a frame carrying a DNS
//! query is DNS, a TCP segment with SMTP text in it is SMTP, a bare acknowledgement is TCP.
//! A [`Filter`] keeps the protocols and layers a learner picked, and [`window`] returns only the rows
//! around one position, so a log of 100,000 events is never rendered at once: the list costs
//! one markup string ([`markup`]) of at most a window's rows.

use std::fmt::{self, Write as _};

use super::event_words::prose_in;
use super::markup::escape;
use crate::lang::Lang;
use crate::sim::event::{EventKind, FrameLoss, Layer, MailboxChange, MailboxProtocol, SimEvent};
use crate::sim::id::FrameId;
use crate::sim::topology::Topology;
use crate::sim::world::World;
use crate::wire::ethernet::{EtherType, Frame};
use crate::wire::ipv4::{IpProtocol, Packet};
use crate::wire::tcp::TcpPacket;
use crate::wire::udp::UdpPacket;

/// The protocol a row is about, the tag a learner filters by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// Mail: SMTP commands and replies, and what the mail servers do with a message.
    Smtp,
    /// Reading mail by download: POP3 commands and replies, and the deletions they make.
    Pop3,
    /// Reading mail on the server: IMAP commands and responses, and the flags, moves and
    /// deletions they make.
    Imap,
    /// Name lookups: queries, answers, MX lookups and changed MX records.
    Dns,
    /// Connections: TCP state changes, and segments that carry no application data.
    Tcp,
    /// Packets: forwarding and dropping by routers, IP packets of no other protocol here.
    Ip,
    /// Address resolution on a LAN (RFC 826).
    Arp,
    /// The cables and the hosts on them: links and hosts going down or up, frames of no
    /// other protocol here.
    Ethernet,
}

impl Protocol {
    /// Top of the stack first, the order the filter's buttons come in.
    pub const ALL: [Protocol; 8] = [
        Protocol::Smtp,
        Protocol::Pop3,
        Protocol::Imap,
        Protocol::Dns,
        Protocol::Tcp,
        Protocol::Ip,
        Protocol::Arp,
        Protocol::Ethernet,
    ];

    /// The tag as network people write it.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Smtp => "SMTP",
            Protocol::Pop3 => "POP3",
            Protocol::Imap => "IMAP",
            Protocol::Dns => "DNS",
            Protocol::Tcp => "TCP",
            Protocol::Ip => "IP",
            Protocol::Arp => "ARP",
            Protocol::Ethernet => "Ethernet",
        }
    }

    /// One bit per protocol, for [`Filter`].
    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// Well-known ports of SMTP: relay, submission over TLS, submission (RFC 5321, 8314, 6409).
const SMTP_PORTS: [u16; 3] = [25, 465, 587];
const DNS_PORT: u16 = 53;

/// The tag of a mail-reading protocol.
fn reading(protocol: MailboxProtocol) -> Protocol {
    match protocol {
        MailboxProtocol::Pop3 => Protocol::Pop3,
        MailboxProtocol::Imap => Protocol::Imap,
    }
}

/// The protocol of the highest layer a frame's bytes show; bytes that cannot be read as far
/// as a layer count as the layer below.
pub fn frame_protocol(bytes: &[u8]) -> Protocol {
    let Ok(frame) = Frame::new_checked(bytes) else {
        return Protocol::Ethernet;
    };
    match frame.ethertype() {
        EtherType::Arp => Protocol::Arp,
        EtherType::Ipv4 => packet_protocol(frame.payload()),
        EtherType::Unknown(_) => Protocol::Ethernet,
    }
}

fn packet_protocol(bytes: &[u8]) -> Protocol {
    let Ok(packet) = Packet::new_checked(bytes) else {
        return Protocol::Ip;
    };
    let either_port = |source: u16, destination: u16, ports: &[u16]| {
        ports.contains(&source) || ports.contains(&destination)
    };
    match packet.protocol() {
        IpProtocol::Udp => match UdpPacket::new_checked(packet.payload()) {
            Ok(udp) if either_port(udp.src_port(), udp.dst_port(), &[DNS_PORT]) => Protocol::Dns,
            _ => Protocol::Ip,
        },
        IpProtocol::Tcp => {
            let Ok(tcp) = TcpPacket::new_checked(packet.payload()) else {
                return Protocol::Tcp;
            };
            let (source, destination) = (tcp.src_port(), tcp.dst_port());
            if tcp.payload().is_empty() {
                Protocol::Tcp
            } else if either_port(source, destination, &SMTP_PORTS) {
                Protocol::Smtp
            } else if either_port(source, destination, &[DNS_PORT]) {
                Protocol::Dns
            } else if let Some(protocol) =
                MailboxProtocol::on_port(source).or(MailboxProtocol::on_port(destination))
            {
                reading(protocol)
            } else {
                Protocol::Tcp
            }
        }
        IpProtocol::Icmp | IpProtocol::Unknown(_) => Protocol::Ip,
    }
}

/// The protocol of an event: from its kind, or for a frame moving (sent, received, lost,
/// forwarded) from the frame's bytes in `world`.
pub fn protocol(event: &SimEvent, world: &World) -> Protocol {
    use EventKind::*;
    let of_frame =
        |frame: FrameId, otherwise: Protocol| world.frame(frame).map_or(otherwise, frame_protocol);
    match &event.kind {
        LinkStateChanged { .. } | HostStateChanged { .. } => Protocol::Ethernet,
        FrameLost { frame, .. } | FrameSent { frame, .. } | FrameReceived { frame, .. } => {
            of_frame(*frame, Protocol::Ethernet)
        }
        PacketForwarded { sent, .. } => of_frame(*sent, Protocol::Ip),
        ArpRequest { .. } | ArpReply { .. } => Protocol::Arp,
        PacketDropped { .. } => Protocol::Ip,
        TcpStateChanged { .. } => Protocol::Tcp,
        DnsQuery { .. } | DnsAnswer { .. } | MxLookupFinished { .. } | MxChanged { .. } => {
            Protocol::Dns
        }
        SmtpCommand { .. }
        | SmtpReply { .. }
        | MailAttemptFinished { .. }
        | MessageQueued { .. }
        | DeliveryAttemptStarted { .. }
        | BounceQueued { .. }
        | MessageDeferred { .. }
        | MessageRelayed { .. }
        | MessageDelivered { .. }
        | MessageBounced { .. }
        | MailboxChanged { by: None, .. } => Protocol::Smtp,
        MailboxChanged {
            by: Some(protocol), ..
        }
        | MailboxCommand { protocol, .. }
        | MailboxReply { protocol, .. }
        | MessageDownloaded { protocol, .. }
        | MailboxSynced { protocol, .. } => reading(*protocol),
    }
}

/// The protocols and the layers a learner picked. In each of the two, none picked admits
/// all, so the list is never empty by accident; picking some admits only those. A row shows
/// when both its protocol and its layer are admitted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    protocols: u8,
    layers: u8,
}

impl Filter {
    /// Nothing picked: every event shows.
    pub const ALL: Filter = Filter {
        protocols: 0,
        layers: 0,
    };

    /// Only `protocols`, on every layer.
    pub fn only(protocols: &[Protocol]) -> Filter {
        Filter {
            protocols: protocols.iter().fold(0, |bits, p| bits | p.bit()),
            layers: 0,
        }
    }

    /// This filter with `protocol` picked if it was not, and dropped if it was.
    pub fn toggled(self, protocol: Protocol) -> Filter {
        Filter {
            protocols: self.protocols ^ protocol.bit(),
            ..self
        }
    }

    /// This filter with `layer` picked if it was not, and dropped if it was.
    pub fn toggled_layer(self, layer: Layer) -> Filter {
        Filter {
            layers: self.layers ^ layer_bit(layer),
            ..self
        }
    }

    /// Whether `protocol` is picked (a button shows it pressed).
    pub fn picks(self, protocol: Protocol) -> bool {
        self.protocols & protocol.bit() != 0
    }

    /// Whether `layer` is picked.
    pub fn picks_layer(self, layer: Layer) -> bool {
        self.layers & layer_bit(layer) != 0
    }

    pub fn is_all(self) -> bool {
        self == Filter::ALL
    }

    /// Whether rows of `protocol` on `layer` show.
    pub fn admits(self, protocol: Protocol, layer: Layer) -> bool {
        (self.protocols == 0 || self.picks(protocol))
            && (self.layers == 0 || self.picks_layer(layer))
    }

    fn admits_event(self, event: &SimEvent, world: &World) -> bool {
        self.admits(protocol(event, world), event.layer())
    }
}

/// The layers a learner can filter by, top of the stack first.
pub const LAYERS: [Layer; 5] = [
    Layer::Application,
    Layer::Transport,
    Layer::Network,
    Layer::DataLink,
    Layer::Physical,
];

fn layer_bit(layer: Layer) -> u8 {
    1 << layer.number()
}

/// One row of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    /// The event's index in the log: its position on the timeline.
    pub index: usize,
    /// `t = 12.345 ms`.
    pub time: String,
    /// Where it happened: the host, or for a link changing state the link.
    pub place: String,
    pub layer: Layer,
    pub protocol: Protocol,
    pub summary: String,
}

impl EventRow {
    /// The row of event `index` of `world`'s log, if there is such an event.
    pub fn of(world: &World, index: usize, lang: Lang) -> Option<EventRow> {
        let event = world.events().get(index)?;
        Some(EventRow::with_protocol(
            event,
            world.topology(),
            index,
            protocol(event, world),
            lang,
        ))
    }

    fn with_protocol(
        event: &SimEvent,
        topology: &Topology,
        index: usize,
        protocol: Protocol,
        lang: Lang,
    ) -> EventRow {
        let place = match (&event.kind, event.host()) {
            (_, Some(host)) => topology.host_name(host),
            (EventKind::LinkStateChanged { link, .. }, None) => topology.link_name(*link),
            (_, None) => String::new(),
        };
        EventRow {
            index,
            time: event.at.to_string(),
            place,
            layer: event.layer(),
            protocol,
            summary: summary(event, topology, lang),
        }
    }
}

/// The name of a layer of the five-layer model.
pub fn layer_name(layer: Layer, lang: Lang) -> &'static str {
    match layer {
        Layer::Application => lang.pick("application", "aplikasi"),
        Layer::Transport => lang.pick("transport", "transpor"),
        Layer::Network => lang.pick("network", "jaringan"),
        Layer::DataLink => lang.pick("data link", "data link"),
        Layer::Physical => lang.pick("physical", "fisik"),
    }
}

fn ethertype_name(ethertype: u16) -> String {
    match EtherType::from(ethertype) {
        EtherType::Ipv4 => "IPv4".to_string(),
        EtherType::Arp => "ARP".to_string(),
        EtherType::Unknown(other) => format!("EtherType {other:#06x}"),
    }
}

fn loss_cause(cause: FrameLoss, lang: Lang) -> &'static str {
    match cause {
        FrameLoss::Noise => lang.pick("noise on the line", "gangguan di kabel"),
        FrameLoss::LinkDown => lang.pick("the link is down", "link-nya putus"),
        FrameLoss::NoReceiver => {
            lang.pick("nobody there to receive it", "tidak ada yang menerimanya")
        }
    }
}

fn mailbox_change(change: MailboxChange, lang: Lang) -> &'static str {
    match change {
        MailboxChange::Stored => lang.pick("stored", "disimpan"),
        MailboxChange::Retrieved => lang.pick("retrieved", "diambil"),
        MailboxChange::Deleted => lang.pick("deleted", "dihapus"),
        MailboxChange::Read => lang.pick("marked read", "ditandai sudah dibaca"),
        MailboxChange::Unread => lang.pick("marked unread", "ditandai belum dibaca"),
        MailboxChange::Flagged => lang.pick("flagged", "ditandai penting"),
        MailboxChange::Moved => lang.pick("moved to another folder", "dipindahkan ke folder lain"),
    }
}

/// `template` with `{0}` … `{9}` replaced by `args` shown: both languages of a summary
/// share one list of values, so each kind of event is formatted once, whatever the word order
/// of the language (one small function instead of a `format!` per language keeps the
/// WebAssembly small). A placeholder without a value is left out.
fn fill(template: &str, args: &[&dyn fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digit = after.as_bytes().first().filter(|b| b.is_ascii_digit());
        match (digit, after.as_bytes().get(1)) {
            (Some(digit), Some(b'}')) => {
                if let Some(arg) = args.get(usize::from(digit - b'0')) {
                    let _ = write!(out, "{arg}");
                }
                rest = &after[2..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What happened, in one line of `lang`, naming hosts and links. Protocol words (SYN,
/// `MAIL FROM`, NXDOMAIN), addresses and what servers said stay as they are on the wire.
pub fn summary(event: &SimEvent, topology: &Topology, lang: Lang) -> String {
    use EventKind::*;
    let pick = |en, id| lang.pick(en, id);
    match &event.kind {
        LinkStateChanged { link, up } => fill(
            if *up {
                pick("link {0} is up again", "link {0} tersambung lagi")
            } else {
                pick("link {0} is down", "link {0} putus")
            },
            &[&topology.link_name(*link)],
        ),
        HostStateChanged { host, up } => fill(
            if *up {
                pick("{0} is switched on again", "{0} menyala lagi")
            } else {
                pick("{0} is switched off", "{0} dimatikan")
            },
            &[&topology.host_name(*host)],
        ),
        FrameLost {
            link, frame, cause, ..
        } => fill(
            pick("{0} lost on {1}: {2}", "{0} hilang di {1}: {2}"),
            &[frame, &topology.link_name(*link), &loss_cause(*cause, lang)],
        ),
        FrameSent {
            link,
            frame,
            source,
            destination,
            ethertype,
            bytes,
            ..
        } => fill(
            pick(
                "sends {0} on {1}: {2} → {3}, {4}, {5} bytes",
                "mengirim {0} lewat {1}: {2} → {3}, {4}, {5} byte",
            ),
            &[
                frame,
                &topology.link_name(*link),
                source,
                destination,
                &ethertype_name(*ethertype),
                bytes,
            ],
        ),
        FrameReceived { link, frame, .. } => fill(
            pick("receives {0} from {1}", "menerima {0} dari {1}"),
            &[frame, &topology.link_name(*link)],
        ),
        ArpRequest { sender, target, .. } => fill(
            pick(
                "ARP: who has {0}? Tell {1}",
                "ARP: siapa yang punya {0}? Kabari {1}",
            ),
            &[target, sender],
        ),
        ArpReply { address, mac, .. } => fill(
            pick("ARP: {0} is at {1}", "ARP: {0} ada di {1}"),
            &[address, mac],
        ),
        PacketForwarded {
            source,
            destination,
            ttl_before,
            ttl_after,
            ..
        } => fill(
            pick(
                "forwards {0} → {1}, TTL {2} → {3}, new MACs",
                "meneruskan {0} → {1}, TTL {2} → {3}, dengan MAC baru",
            ),
            &[source, destination, ttl_before, ttl_after],
        ),
        PacketDropped {
            source,
            destination,
            reason,
            ..
        } => fill(
            pick("drops {0} → {1}: {2}", "membuang {0} → {1}: {2}"),
            &[source, destination, &prose_in(&reason.to_string(), lang)],
        ),
        TcpStateChanged {
            connection,
            from,
            to,
            ..
        } => fill(
            pick(
                "TCP {0} goes from {1} to {2}",
                "TCP {0} berpindah dari {1} ke {2}",
            ),
            &[connection, from, to],
        ),
        DnsQuery {
            query_id,
            name,
            record_type,
            ..
        } => fill(
            pick(
                "DNS query {0}: {1} of {2}?",
                "kueri DNS {0}: {1} milik {2}?",
            ),
            &[query_id, record_type, name],
        ),
        DnsAnswer {
            query_id,
            name,
            record_type,
            rcode,
            answers,
            ..
        } => fill(
            if answers.is_empty() {
                pick(
                    "DNS answer {0}: {1} of {2} → {3}",
                    "jawaban DNS {0}: {1} milik {2} → {3}",
                )
            } else {
                pick(
                    "DNS answer {0}: {1} of {2} → {3}: {4}",
                    "jawaban DNS {0}: {1} milik {2} → {3}: {4}",
                )
            },
            &[query_id, record_type, name, rcode, &answers.join(", ")],
        ),
        MxLookupFinished {
            lookup,
            domain,
            outcome,
            ..
        } => fill(
            pick(
                "MX lookup {0} for {1} done: {2}",
                "pencarian MX {0} untuk {1} selesai: {2}",
            ),
            &[lookup, domain, &prose_in(&outcome.to_string(), lang)],
        ),
        SmtpCommand { line, .. } => fill(pick("client sends: {0}", "klien mengirim: {0}"), &[line]),
        SmtpReply { text, .. } => fill(
            pick("server replies: {0}", "server membalas: {0}"),
            &[&text.replace('\n', " / ")],
        ),
        MailAttemptFinished {
            message,
            delivered,
            outcome,
            ..
        } => fill(
            if *delivered {
                pick("{0} handed over: {1}", "{0} berhasil diserahkan: {1}")
            } else {
                pick("{0} not handed over: {1}", "{0} gagal diserahkan: {1}")
            },
            &[message, &prose_in(&outcome.to_string(), lang)],
        ),
        MessageQueued {
            message, queue_id, ..
        } => fill(
            pick("{0} queued as {1}", "{0} masuk antrean sebagai {1}"),
            &[message, queue_id],
        ),
        DeliveryAttemptStarted {
            message,
            queue_id,
            attempt,
            domains,
            ..
        } => fill(
            pick(
                "{0} ({1}): delivery attempt {2} to {3}",
                "{0} ({1}): percobaan pengiriman ke-{2} ke {3}",
            ),
            &[message, queue_id, attempt, domains],
        ),
        BounceQueued {
            message,
            queue_id,
            to,
            ..
        } => fill(
            pick(
                "bounce {0} queued as {1} for {2}, sent with MAIL FROM:<> \
                 (a bounce never bounces)",
                "bounce {0} masuk antrean sebagai {1} untuk {2}, dikirim dengan \
                 MAIL FROM:<> (bounce tidak pernah dipantulkan lagi)",
            ),
            &[message, queue_id, to],
        ),
        MessageDeferred {
            message,
            recipient,
            reason,
            retry_at,
            ..
        } => fill(
            pick(
                "{0} to {1} deferred ({2}); retry at {3}",
                "{0} untuk {1} ditunda ({2}); dicoba lagi pada {3}",
            ),
            &[
                message,
                recipient,
                &prose_in(&reason.to_string(), lang),
                retry_at,
            ],
        ),
        MessageRelayed {
            message, next_hop, ..
        } => fill(
            pick("{0} relayed to {1}", "{0} diteruskan ke {1}"),
            &[message, next_hop],
        ),
        MessageDelivered {
            message, mailbox, ..
        } => fill(
            pick(
                "{0} delivered to the mailbox of {1}",
                "{0} sampai di kotak surat {1}",
            ),
            &[message, mailbox],
        ),
        MessageBounced {
            message,
            recipient,
            status,
            reason,
            ..
        } => fill(
            pick(
                "{0} to {1} bounced, {2}: {3}",
                "{0} untuk {1} gagal dan dipantulkan (bounce), {2}: {3}",
            ),
            &[
                message,
                recipient,
                status,
                &prose_in(&reason.to_string(), lang),
            ],
        ),
        MailboxChanged {
            mailbox,
            message,
            change,
            messages_now,
            ..
        } => fill(
            pick(
                "mailbox {0}: {1} {2}; it holds {3} now",
                "kotak surat {0}: {1} {2}; sekarang berisi {3}",
            ),
            &[
                mailbox,
                message,
                &mailbox_change(*change, lang),
                messages_now,
            ],
        ),
        MxChanged {
            domain, records, ..
        } => fill(
            if records.is_empty() {
                pick(
                    "{0} has no MX records now",
                    "{0} sekarang tidak punya record MX",
                )
            } else {
                pick("{0} MX is now {1}", "MX {0} sekarang {1}")
            },
            &[domain, &records.join(", ")],
        ),
        MailboxCommand { protocol, line, .. } => fill(
            pick("{0} command: {1}", "perintah {0}: {1}"),
            &[protocol, line],
        ),
        MailboxReply { protocol, line, .. } => fill(
            pick("{0} reply: {1}", "balasan {0}: {1}"),
            &[protocol, line],
        ),
        MessageDownloaded {
            server, protocol, ..
        } => fill(
            pick(
                "a message arrived from {0} ({1})",
                "sebuah pesan tiba dari {0} ({1})",
            ),
            &[&topology.host_name(*server), protocol],
        ),
        MailboxSynced {
            protocol,
            ok,
            outcome,
            ..
        } => fill(
            if *ok {
                pick(
                    "the mail client's {0} session ended: {1}",
                    "sesi {0} aplikasi surel selesai: {1}",
                )
            } else {
                pick(
                    "the mail client's {0} session failed: {1}",
                    "sesi {0} aplikasi surel gagal: {1}",
                )
            },
            &[protocol, &prose_in(&outcome.to_string(), lang)],
        ),
    }
}

/// The rows around one position of the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Oldest first.
    pub rows: Vec<EventRow>,
    /// Whether rows that match come before the first row.
    pub earlier: bool,
    /// Whether rows that match come after the last row.
    pub later: bool,
}

/// At most `max` rows that `filter` admits, centred on event `around` (the newest when
/// `None`); near either end of the log the window fills from the other side. Only the
/// events it needs are looked at, not the whole log.
pub fn window(
    world: &World,
    filter: Filter,
    around: Option<usize>,
    max: usize,
    lang: Lang,
) -> Window {
    let events = world.events();
    let Some(last) = events.len().checked_sub(1) else {
        return Window {
            rows: Vec::new(),
            earlier: false,
            later: false,
        };
    };
    let anchor = around.map_or(last, |index| index.min(last));
    let matching = |index: &usize| {
        let event = &events[*index];
        let protocol = protocol(event, world);
        filter
            .admits(protocol, event.layer())
            .then_some((*index, protocol))
    };
    // One more than could be shown on each side, to know whether there is more.
    let before: Vec<_> = (0..=anchor)
        .rev()
        .filter_map(|i| matching(&i))
        .take(max + 1)
        .collect();
    let after: Vec<_> = (anchor + 1..=last)
        .filter_map(|i| matching(&i))
        .take(max + 1)
        .collect();
    let (shown_before, shown_after) = (before.len().min(max), after.len().min(max));
    let take_before = shown_before.min((max - max / 2).max(max - shown_after));
    let take_after = shown_after.min(max - take_before);
    let row = |&(index, protocol): &(usize, Protocol)| {
        EventRow::with_protocol(&events[index], world.topology(), index, protocol, lang)
    };
    let mut rows: Vec<EventRow> = before[..take_before].iter().rev().map(row).collect();
    rows.extend(after[..take_after].iter().map(row));
    Window {
        rows,
        earlier: before.len() > take_before,
        later: after.len() > take_after,
    }
}

/// The event `by` matching events away from `from` (back when negative), stopping at the
/// first or last one `filter` admits; `from` itself counts when it matches and `by` is 0.
/// `None` when no event matches.
pub fn step(world: &World, filter: Filter, from: usize, by: isize) -> Option<usize> {
    let events = world.events();
    let last = events.len().checked_sub(1)?;
    let from = from.min(last);
    let admits = |index: &usize| filter.admits_event(&events[*index], world);
    let wanted = by.unsigned_abs().max(1);
    let found = if by < 0 {
        (0..from).rev().filter(admits).take(wanted).last()
    } else {
        let start = if by == 0 { from } else { from + 1 };
        (start..=last).filter(admits).take(wanted).last()
    };
    // Nothing further that way: stay on the nearest match (at `from`, or the other way).
    found
        .or_else(|| Some(from).filter(admits))
        .or_else(|| (0..from).rev().find(admits))
        .or_else(|| (from..=last).find(admits))
}

/// Where to centre a window of `max` rows so that it shows the newest rows now and keeps
/// them in place while the log grows: to stop following without the list jumping.
pub fn newest_centre(world: &World, filter: Filter, max: usize) -> Option<usize> {
    let newest = step(world, filter, usize::MAX, 0)?;
    let back = isize::try_from(max / 2).unwrap_or(isize::MAX);
    step(world, filter, newest, -back)
}

/// The `id` of the row of event `index`, for `aria-activedescendant`.
pub fn row_id(index: usize) -> String {
    format!("kr-event-{index}")
}

/// The rows as `<li role="option">` markup for a listbox, the selected row marked with
/// `aria-selected="true"`. The number shown counts from 1; `data-index` is the index in the
/// log, `data-layer` the layer's number in the five-layer model, and `id` is [`row_id`].
pub fn markup(window: &Window, selected: Option<usize>, lang: Lang) -> String {
    rows_markup(&window.rows, selected, lang)
}

fn rows_markup(rows: &[EventRow], selected: Option<usize>, lang: Lang) -> String {
    let mut html = String::with_capacity(rows.len() * 240);
    for row in rows {
        let _ = write!(
            html,
            "<li role=\"option\" id=\"{}\" class=\"kr-events__row\" data-index=\"{}\" \
             data-protocol=\"{}\" data-layer=\"{}\" aria-selected=\"{}\">\
             <span class=\"kr-events__n\">{}</span> \
             <span class=\"kr-events__time\">{}</span> \
             <span class=\"kr-events__place\">{}</span> \
             <span class=\"kr-events__layer\">{}</span> \
             <span class=\"kr-events__protocol\">{}</span> \
             <span class=\"kr-events__summary\">{}</span></li>",
            row_id(row.index),
            row.index,
            row.protocol.name(),
            row.layer.number(),
            selected == Some(row.index),
            row.index + 1,
            escape(&row.time),
            escape(&row.place),
            layer_name(row.layer, lang),
            row.protocol.name(),
            escape(&row.summary),
        );
    }
    html
}

/// How the rows on screen become the next window's, drawn with the same selection and
/// language: while following, the newest rows only move on, so the rows that scrolled out at
/// the top are dropped and the new ones added at the bottom; the rows kept are not laid out
/// again. Anything else is drawn anew.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowsUpdate {
    Same,
    /// Remove the first `drop` rows, then add `append` (markup) at the end.
    Shift {
        drop: usize,
        append: String,
    },
    /// Replace every row with this markup.
    Redraw(String),
}

/// What to do to the list showing `shown` so that it shows `next`.
pub fn rows_update(
    shown: &[EventRow],
    next: &Window,
    selected: Option<usize>,
    lang: Lang,
) -> RowsUpdate {
    let redraw = || RowsUpdate::Redraw(markup(next, selected, lang));
    let Some(first) = next.rows.first() else {
        return if shown.is_empty() {
            RowsUpdate::Same
        } else {
            redraw()
        };
    };
    let Some(drop) = shown.iter().position(|row| row.index == first.index) else {
        return redraw();
    };
    let kept = &shown[drop..];
    if !next.rows.starts_with(kept) {
        return redraw();
    }
    let added = &next.rows[kept.len()..];
    if drop == 0 && added.is_empty() {
        return RowsUpdate::Same;
    }
    RowsUpdate::Shift {
        drop,
        append: rows_markup(added, selected, lang),
    }
}

#[cfg(test)]
mod tests;
