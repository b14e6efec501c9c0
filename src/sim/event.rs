//! The world's append-only log of what happened, layer by layer: the record the timeline,
//! the lessons' checks and the determinism tests read (docs/ARCHITECTURE.md rule 4: an index
//! into the log is a position on the timeline).
//!
//! Each [`SimEvent`] carries the ids that lead to the rest of the story — its [`FrameId`] to
//! show the bytes in the layer inspector, its [`MessageId`] to follow a mail, its
//! [`ConnectionId`] to put an SMTP transcript together. Payloads are plain values (numbers,
//! addresses, strings, ids), so an event never points into the world's state.
//!
//! Layers are the five-layer teaching model (application, transport, network, data link,
//! physical), not a protocol version: "TCP/IP 5 layers" in the source article.
//!
//! Every event has two renderings: `summary(&topology)`, one English line with host and link
//! names for the CLI timeline, and `Display`, a canonical line with every field and only ids,
//! which [`EventLog::stable_hash`] hashes: the same seed and commands must give the same hash.

use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;

use super::id::{ConnectionId, FrameId, HostId, LinkId, MessageId};
use super::stable_hash::Fnv1a64;
use super::time::SimTime;
use super::topology::Topology;
use super::world::LookupId;
use super::zone::RecordType;
use crate::net::tcp::TcpState;
use crate::wire::dns::DnsRcode;
use crate::wire::ethernet::MacAddress;

pub use text::{Text, TextTable};

/// A layer of the five-layer teaching model, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    Application,
    Transport,
    Network,
    DataLink,
    Physical,
}

impl Layer {
    /// Its number in the model, physical = 1 to application = 5.
    pub fn number(self) -> u8 {
        match self {
            Layer::Application => 5,
            Layer::Transport => 4,
            Layer::Network => 3,
            Layer::DataLink => 2,
            Layer::Physical => 1,
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layer::Application => "application",
            Layer::Transport => "transport",
            Layer::Network => "network",
            Layer::DataLink => "data link",
            Layer::Physical => "physical",
        })
    }
}

/// Why a frame never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameLoss {
    /// The link's loss rate struck (drawn from the world's RNG).
    Noise,
    LinkDown,
    /// Nobody on the link has the destination MAC, or its host is switched off.
    NoReceiver,
}

impl fmt::Display for FrameLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrameLoss::Noise => "noise on the line",
            FrameLoss::LinkDown => "the link is down",
            FrameLoss::NoReceiver => "nobody there to receive it",
        })
    }
}

/// What happened to a mailbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailboxChange {
    Stored,
    /// Downloaded by a client (POP3 RETR, IMAP FETCH): still there unless deleted.
    Retrieved,
    /// Removed for good (POP3 DELE then QUIT, IMAP EXPUNGE).
    Deleted,
    /// Marked `\Seen` by a client (IMAP).
    Read,
    /// Marked unread again (IMAP `-FLAGS (\Seen)`).
    Unread,
    /// Marked `\Flagged` (IMAP).
    Flagged,
    /// Moved out of the INBOX into another folder (IMAP MOVE, or COPY then EXPUNGE).
    Moved,
}

impl fmt::Display for MailboxChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MailboxChange::Stored => "stored",
            MailboxChange::Retrieved => "retrieved",
            MailboxChange::Deleted => "deleted",
            MailboxChange::Read => "marked read",
            MailboxChange::Unread => "marked unread",
            MailboxChange::Flagged => "flagged",
            MailboxChange::Moved => "moved to another folder",
        })
    }
}

/// The two protocols a mail client reads its mailbox with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailboxProtocol {
    /// RFC 1939: download, usually delete; port 110.
    Pop3,
    /// RFC 9051: mail stays on the server, in folders, with flags; port 143.
    Imap,
}

impl MailboxProtocol {
    pub fn port(self) -> u16 {
        match self {
            MailboxProtocol::Pop3 => 110,
            MailboxProtocol::Imap => 143,
        }
    }

    /// The protocol served on `port`, if it is one of the two.
    pub fn on_port(port: u16) -> Option<MailboxProtocol> {
        [MailboxProtocol::Pop3, MailboxProtocol::Imap]
            .into_iter()
            .find(|protocol| protocol.port() == port)
    }
}

impl fmt::Display for MailboxProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MailboxProtocol::Pop3 => "POP3",
            MailboxProtocol::Imap => "IMAP",
        })
    }
}

/// What happened. Field names say who: `host` is where it happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    // ---- physical ----
    LinkStateChanged {
        link: LinkId,
        up: bool,
    },
    HostStateChanged {
        host: HostId,
        up: bool,
    },
    FrameLost {
        host: HostId,
        link: LinkId,
        frame: FrameId,
        cause: FrameLoss,
    },
    // ---- data link ----
    FrameSent {
        host: HostId,
        link: LinkId,
        frame: FrameId,
        source: MacAddress,
        destination: MacAddress,
        ethertype: u16,
        bytes: u32,
    },
    FrameReceived {
        host: HostId,
        link: LinkId,
        frame: FrameId,
    },
    /// "Who has `target`? Tell `sender`", broadcast (RFC 826).
    ArpRequest {
        host: HostId,
        frame: FrameId,
        sender: Ipv4Addr,
        target: Ipv4Addr,
    },
    /// "`address` is at `mac`", sent back to the asker.
    ArpReply {
        host: HostId,
        frame: FrameId,
        address: Ipv4Addr,
        mac: MacAddress,
    },
    // ---- network ----
    /// A router passed a packet on: the same IP addresses in a new frame, one TTL less.
    PacketForwarded {
        host: HostId,
        received: FrameId,
        sent: FrameId,
        source: Ipv4Addr,
        destination: Ipv4Addr,
        ttl_before: u8,
        ttl_after: u8,
    },
    PacketDropped {
        host: HostId,
        frame: FrameId,
        source: Ipv4Addr,
        destination: Ipv4Addr,
        reason: Text,
    },
    // ---- transport ----
    /// A TCP connection moved between RFC 9293 states (`SYN-SENT`, `ESTABLISHED`, …).
    TcpStateChanged {
        host: HostId,
        connection: ConnectionId,
        from: TcpState,
        to: TcpState,
    },
    // ---- application ----
    DnsQuery {
        host: HostId,
        frame: FrameId,
        query_id: u16,
        name: Text,
        record_type: RecordType,
    },
    /// `answers` in zone-file form (`MX 10 mx1.beta.example.`); `rcode` as RFC 1035 names it
    /// (`NOERROR`, `NXDOMAIN`).
    DnsAnswer {
        host: HostId,
        frame: FrameId,
        query_id: u16,
        name: Text,
        record_type: RecordType,
        rcode: DnsRcode,
        answers: Box<[String]>,
    },
    /// A host's MX lookup for `domain` ended; `outcome` in words, e.g.
    /// `mx1.beta.example (10) 198.51.100.25, mx2.beta.example (20) 198.51.100.26` or
    /// `no such domain (NXDOMAIN)`.
    MxLookupFinished {
        host: HostId,
        lookup: LookupId,
        domain: Text,
        outcome: Text,
    },
    /// One command line a client sent, without CRLF.
    SmtpCommand {
        host: HostId,
        connection: ConnectionId,
        message: Option<MessageId>,
        line: Text,
    },
    /// One reply a server sent (all its lines, joined by `\n`), with its code.
    SmtpReply {
        host: HostId,
        connection: ConnectionId,
        message: Option<MessageId>,
        code: u16,
        text: Text,
    },
    /// A mail client's attempt to hand `message` over ended: `delivered` when the server took
    /// it (250 after the final `.`); `outcome` says what happened in words, e.g. "temporary
    /// failure: connection refused".
    MailAttemptFinished {
        host: HostId,
        connection: ConnectionId,
        message: MessageId,
        delivered: bool,
        outcome: Text,
    },
    MessageQueued {
        host: HostId,
        message: MessageId,
        queue_id: Text,
    },
    /// A mail server's queue starts its `attempt`-th try (counted from 1) to pass a
    /// message on to the `domains` (comma-separated) it still has recipients in.
    DeliveryAttemptStarted {
        host: HostId,
        message: MessageId,
        queue_id: Text,
        attempt: u32,
        domains: Text,
    },
    /// A delivery status notification (RFC 3464) was queued on `host` for `to`, the original
    /// sender, with the null reverse-path `MAIL FROM:<>`.
    BounceQueued {
        host: HostId,
        message: MessageId,
        queue_id: Text,
        to: Text,
    },
    MessageDeferred {
        host: HostId,
        message: MessageId,
        recipient: Text,
        reason: Text,
        retry_at: SimTime,
    },
    /// Handed to the next mail server, `next_hop` (an MX host name).
    MessageRelayed {
        host: HostId,
        message: MessageId,
        next_hop: Text,
    },
    MessageDelivered {
        host: HostId,
        message: MessageId,
        mailbox: Text,
    },
    /// Given up on: `status` is the enhanced status code (RFC 3463), e.g. `5.1.1`, `4.4.7`.
    MessageBounced {
        host: HostId,
        message: MessageId,
        recipient: Text,
        status: Text,
        reason: Text,
    },
    /// `messages_now` counts the mailbox's INBOX after the change.
    MailboxChanged {
        host: HostId,
        mailbox: Text,
        message: MessageId,
        change: MailboxChange,
        messages_now: u32,
        /// The reading protocol whose client made the change; `None` for delivery.
        by: Option<MailboxProtocol>,
    },
    /// The MX records of `domain` were replaced on the DNS server `host`: `records` in
    /// zone-file form (`10 mx1.beta.example`), empty when the domain now has none.
    MxChanged {
        host: HostId,
        domain: Text,
        records: Vec<String>,
    },
    /// One command line a mail-reading client sent (POP3 or IMAP), without CRLF; a client
    /// engine shows passwords as `****`, a learner's typing is kept as she typed it.
    MailboxCommand {
        host: HostId,
        connection: ConnectionId,
        protocol: MailboxProtocol,
        line: Text,
    },
    /// One line a POP3 or IMAP server sent, without CRLF: a status line (`+OK …`, `a1 OK …`)
    /// or an untagged IMAP response, a literal in it shown by its size (`{342}`).
    MailboxReply {
        host: HostId,
        connection: ConnectionId,
        protocol: MailboxProtocol,
        line: Text,
    },
    /// A device's mail client received a whole message from `server` (POP3 `RETR`, an IMAP
    /// `FETCH` of its body): the end of its trip from the mailbox to the device.
    MessageDownloaded {
        host: HostId,
        server: HostId,
        connection: ConnectionId,
        protocol: MailboxProtocol,
    },
    /// A device's mail client ended a session with its server: `ok` when it logged in and
    /// did all it meant to; `outcome` in words ("2 downloaded, 2 deleted on the server").
    MailboxSynced {
        host: HostId,
        connection: ConnectionId,
        protocol: MailboxProtocol,
        ok: bool,
        outcome: Text,
    },
}

/// One entry of the log: when, and what.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SimEvent {
    pub at: SimTime,
    pub kind: EventKind,
}

impl SimEvent {
    pub fn new(at: SimTime, kind: EventKind) -> SimEvent {
        SimEvent { at, kind }
    }

    pub fn layer(&self) -> Layer {
        use EventKind::*;
        match self.kind {
            LinkStateChanged { .. } | HostStateChanged { .. } | FrameLost { .. } => Layer::Physical,
            FrameSent { .. } | FrameReceived { .. } | ArpRequest { .. } | ArpReply { .. } => {
                Layer::DataLink
            }
            PacketForwarded { .. } | PacketDropped { .. } => Layer::Network,
            TcpStateChanged { .. } => Layer::Transport,
            DnsQuery { .. }
            | DnsAnswer { .. }
            | MxLookupFinished { .. }
            | MxChanged { .. }
            | SmtpCommand { .. }
            | SmtpReply { .. }
            | MailAttemptFinished { .. }
            | MessageQueued { .. }
            | DeliveryAttemptStarted { .. }
            | BounceQueued { .. }
            | MessageDeferred { .. }
            | MessageRelayed { .. }
            | MessageDelivered { .. }
            | MessageBounced { .. }
            | MailboxChanged { .. }
            | MailboxCommand { .. }
            | MailboxReply { .. }
            | MessageDownloaded { .. }
            | MailboxSynced { .. } => Layer::Application,
        }
    }

    /// Where it happened; `None` only for a link changing state.
    pub fn host(&self) -> Option<HostId> {
        use EventKind::*;
        match self.kind {
            LinkStateChanged { .. } => None,
            HostStateChanged { host, .. }
            | FrameLost { host, .. }
            | FrameSent { host, .. }
            | FrameReceived { host, .. }
            | ArpRequest { host, .. }
            | ArpReply { host, .. }
            | PacketForwarded { host, .. }
            | PacketDropped { host, .. }
            | TcpStateChanged { host, .. }
            | DnsQuery { host, .. }
            | DnsAnswer { host, .. }
            | MxLookupFinished { host, .. }
            | SmtpCommand { host, .. }
            | SmtpReply { host, .. }
            | MailAttemptFinished { host, .. }
            | MessageQueued { host, .. }
            | DeliveryAttemptStarted { host, .. }
            | BounceQueued { host, .. }
            | MessageDeferred { host, .. }
            | MessageRelayed { host, .. }
            | MessageDelivered { host, .. }
            | MessageBounced { host, .. }
            | MailboxChanged { host, .. }
            | MxChanged { host, .. }
            | MailboxCommand { host, .. }
            | MailboxReply { host, .. }
            | MessageDownloaded { host, .. }
            | MailboxSynced { host, .. } => Some(host),
        }
    }

    /// The frame whose bytes show this event; a forwarded packet's is the frame sent on.
    pub fn frame(&self) -> Option<FrameId> {
        use EventKind::*;
        match self.kind {
            FrameLost { frame, .. }
            | FrameSent { frame, .. }
            | FrameReceived { frame, .. }
            | ArpRequest { frame, .. }
            | ArpReply { frame, .. }
            | PacketDropped { frame, .. }
            | DnsQuery { frame, .. }
            | DnsAnswer { frame, .. } => Some(frame),
            PacketForwarded { sent, .. } => Some(sent),
            _ => None,
        }
    }

    /// The mail message this event is part of.
    pub fn message(&self) -> Option<MessageId> {
        use EventKind::*;
        match self.kind {
            SmtpCommand { message, .. } | SmtpReply { message, .. } => message,
            MailAttemptFinished { message, .. }
            | MessageQueued { message, .. }
            | DeliveryAttemptStarted { message, .. }
            | BounceQueued { message, .. }
            | MessageDeferred { message, .. }
            | MessageRelayed { message, .. }
            | MessageDelivered { message, .. }
            | MessageBounced { message, .. }
            | MailboxChanged { message, .. } => Some(message),
            _ => None,
        }
    }

    /// The TCP connection (and SMTP session) this event is part of.
    pub fn connection(&self) -> Option<ConnectionId> {
        use EventKind::*;
        match self.kind {
            TcpStateChanged { connection, .. }
            | SmtpCommand { connection, .. }
            | SmtpReply { connection, .. }
            | MailAttemptFinished { connection, .. }
            | MailboxCommand { connection, .. }
            | MailboxReply { connection, .. }
            | MessageDownloaded { connection, .. }
            | MailboxSynced { connection, .. } => Some(connection),
            _ => None,
        }
    }

    /// One line for the timeline, naming hosts and links; the timeline shows the time,
    /// the host and the layer in columns of their own.
    pub fn summary(&self, topology: &Topology) -> String {
        use EventKind::*;
        let on_or_off = |up: bool| if up { "up again" } else { "down" };
        match &self.kind {
            LinkStateChanged { link, up } => {
                format!("link {} is {}", topology.link_name(*link), on_or_off(*up))
            }
            HostStateChanged { host, up } => {
                format!("{} is {}", topology.host_name(*host), on_or_off(*up))
            }
            FrameLost {
                link, frame, cause, ..
            } => format!("{frame} lost on {}: {cause}", topology.link_name(*link)),
            FrameSent {
                link,
                frame,
                source,
                destination,
                ethertype,
                bytes,
                ..
            } => format!(
                "sends {frame} on {}: {source} → {destination}, {}, {bytes} bytes",
                topology.link_name(*link),
                ethertype_name(*ethertype)
            ),
            FrameReceived { link, frame, .. } => {
                format!("receives {frame} from {}", topology.link_name(*link))
            }
            ArpRequest { sender, target, .. } => format!("ARP: who has {target}? Tell {sender}"),
            ArpReply { address, mac, .. } => format!("ARP: {address} is at {mac}"),
            PacketForwarded {
                source,
                destination,
                ttl_before,
                ttl_after,
                ..
            } => format!(
                "forwards {source} → {destination}, TTL {ttl_before} → {ttl_after}, new MACs"
            ),
            PacketDropped {
                source,
                destination,
                reason,
                ..
            } => format!("drops {source} → {destination}: {reason}"),
            TcpStateChanged {
                connection,
                from,
                to,
                ..
            } => format!("TCP {connection}: {from} → {to}"),
            DnsQuery {
                query_id,
                name,
                record_type,
                ..
            } => format!("DNS query {query_id}: {record_type} {name}?"),
            DnsAnswer {
                query_id,
                name,
                record_type,
                rcode,
                answers,
                ..
            } => {
                let mut line = format!("DNS answer {query_id}: {record_type} {name} → {rcode}");
                if !answers.is_empty() {
                    let _ = write!(line, ": {}", answers.join(", "));
                }
                line
            }
            MxLookupFinished {
                lookup,
                domain,
                outcome,
                ..
            } => format!("MX lookup {lookup} for {domain}: {outcome}"),
            SmtpCommand { line, .. } => format!("C: {line}"),
            SmtpReply { text, .. } => format!("S: {}", text.replace('\n', " / ")),
            MailAttemptFinished {
                message, outcome, ..
            } => format!("sending {message} ended: {outcome}"),
            MessageQueued {
                message, queue_id, ..
            } => format!("{message} queued as {queue_id}"),
            DeliveryAttemptStarted {
                message,
                queue_id,
                attempt,
                domains,
                ..
            } => format!("{message} ({queue_id}): delivery attempt {attempt} to {domains}"),
            BounceQueued {
                message,
                queue_id,
                to,
                ..
            } => format!(
                "bounce {message} queued as {queue_id} for {to}, sent with MAIL FROM:<> \
                 (a bounce never bounces)"
            ),
            MessageDeferred {
                message,
                recipient,
                reason,
                retry_at,
                ..
            } => format!("{message} to {recipient} deferred ({reason}); retry at {retry_at}"),
            MessageRelayed {
                message, next_hop, ..
            } => format!("{message} relayed to {next_hop}"),
            MessageDelivered {
                message, mailbox, ..
            } => format!("{message} delivered to {mailbox}"),
            MessageBounced {
                message,
                recipient,
                status,
                reason,
                ..
            } => format!("{message} to {recipient} bounced, {status}: {reason}"),
            MailboxChanged {
                mailbox,
                message,
                change,
                messages_now,
                ..
            } => format!("mailbox {mailbox}: {message} {change}, {messages_now} now"),
            MxChanged {
                domain, records, ..
            } if records.is_empty() => format!("{domain} has no MX records now"),
            MxChanged {
                domain, records, ..
            } => format!("{domain} MX is now {}", records.join(", ")),
            MailboxCommand { protocol, line, .. } => format!("{protocol} command: {line}"),
            MailboxReply { protocol, line, .. } => format!("{protocol} reply: {line}"),
            MessageDownloaded {
                server, protocol, ..
            } => format!(
                "a message downloaded from {} with {protocol}",
                topology.host_name(*server)
            ),
            MailboxSynced {
                protocol, outcome, ..
            } => format!("{protocol} session ended: {outcome}"),
        }
    }
}

/// The name of an EtherType (IEEE 802.3 type field) the world sends.
fn ethertype_name(ethertype: u16) -> String {
    match ethertype {
        0x0800 => "IPv4".to_string(),
        0x0806 => "ARP".to_string(),
        other => format!("EtherType {other:#06x}"),
    }
}

/// The canonical line: the time in µs, a kebab-case tag, then every field as `name=value`,
/// strings quoted and escaped. Stable across runs and platforms; hashed by the log.
impl fmt::Display for SimEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EventKind::*;
        write!(f, "{} ", self.at.as_micros())?;
        let message_text = |message: &Option<MessageId>| {
            message.map_or_else(|| "none".to_string(), |id| id.to_string())
        };
        match &self.kind {
            LinkStateChanged { link, up } => write!(f, "link-state link={link} up={up}"),
            HostStateChanged { host, up } => write!(f, "host-state host={host} up={up}"),
            FrameLost {
                host,
                link,
                frame,
                cause,
            } => write!(
                f,
                "frame-lost host={host} link={link} frame={frame} cause={cause:?}"
            ),
            FrameSent {
                host,
                link,
                frame,
                source,
                destination,
                ethertype,
                bytes,
            } => write!(
                f,
                "frame-sent host={host} link={link} frame={frame} src={source} \
                 dst={destination} ethertype={ethertype:#06x} bytes={bytes}"
            ),
            FrameReceived { host, link, frame } => {
                write!(f, "frame-received host={host} link={link} frame={frame}")
            }
            ArpRequest {
                host,
                frame,
                sender,
                target,
            } => write!(
                f,
                "arp-request host={host} frame={frame} sender={sender} target={target}"
            ),
            ArpReply {
                host,
                frame,
                address,
                mac,
            } => write!(
                f,
                "arp-reply host={host} frame={frame} address={address} mac={mac}"
            ),
            PacketForwarded {
                host,
                received,
                sent,
                source,
                destination,
                ttl_before,
                ttl_after,
            } => write!(
                f,
                "packet-forwarded host={host} received={received} sent={sent} src={source} \
                 dst={destination} ttl={ttl_before}->{ttl_after}"
            ),
            PacketDropped {
                host,
                frame,
                source,
                destination,
                reason,
            } => write!(
                f,
                "packet-dropped host={host} frame={frame} src={source} dst={destination} \
                 reason={reason:?}"
            ),
            TcpStateChanged {
                host,
                connection,
                from,
                to,
            } => write!(
                f,
                "tcp-state host={host} connection={connection} from={from} to={to}"
            ),
            DnsQuery {
                host,
                frame,
                query_id,
                name,
                record_type,
            } => write!(
                f,
                "dns-query host={host} frame={frame} id={query_id} name={name:?} \
                 type={record_type}"
            ),
            DnsAnswer {
                host,
                frame,
                query_id,
                name,
                record_type,
                rcode,
                answers,
            } => write!(
                f,
                "dns-answer host={host} frame={frame} id={query_id} name={name:?} \
                 type={record_type} rcode={rcode} answers={answers:?}"
            ),
            MxLookupFinished {
                host,
                lookup,
                domain,
                outcome,
            } => write!(
                f,
                "mx-lookup-finished host={host} lookup={lookup} domain={domain:?} \
                 outcome={outcome:?}"
            ),
            SmtpCommand {
                host,
                connection,
                message,
                line,
            } => write!(
                f,
                "smtp-command host={host} connection={connection} message={} line={line:?}",
                message_text(message)
            ),
            SmtpReply {
                host,
                connection,
                message,
                code,
                text,
            } => write!(
                f,
                "smtp-reply host={host} connection={connection} message={} code={code} \
                 text={text:?}",
                message_text(message)
            ),
            MailAttemptFinished {
                host,
                connection,
                message,
                delivered,
                outcome,
            } => write!(
                f,
                "mail-attempt-finished host={host} connection={connection} message={message} \
                 delivered={delivered} outcome={outcome:?}"
            ),
            MessageQueued {
                host,
                message,
                queue_id,
            } => write!(
                f,
                "message-queued host={host} message={message} queue-id={queue_id:?}"
            ),
            DeliveryAttemptStarted {
                host,
                message,
                queue_id,
                attempt,
                domains,
            } => write!(
                f,
                "delivery-attempt host={host} message={message} queue-id={queue_id:?} \
                 attempt={attempt} domains={domains:?}"
            ),
            BounceQueued {
                host,
                message,
                queue_id,
                to,
            } => write!(
                f,
                "bounce-queued host={host} message={message} queue-id={queue_id:?} to={to:?}"
            ),
            MessageDeferred {
                host,
                message,
                recipient,
                reason,
                retry_at,
            } => write!(
                f,
                "message-deferred host={host} message={message} recipient={recipient:?} \
                 reason={reason:?} retry-at={}",
                retry_at.as_micros()
            ),
            MessageRelayed {
                host,
                message,
                next_hop,
            } => write!(
                f,
                "message-relayed host={host} message={message} next-hop={next_hop:?}"
            ),
            MessageDelivered {
                host,
                message,
                mailbox,
            } => write!(
                f,
                "message-delivered host={host} message={message} mailbox={mailbox:?}"
            ),
            MessageBounced {
                host,
                message,
                recipient,
                status,
                reason,
            } => write!(
                f,
                "message-bounced host={host} message={message} recipient={recipient:?} \
                 status={status:?} reason={reason:?}"
            ),
            MailboxChanged {
                host,
                mailbox,
                message,
                change,
                messages_now,
                by,
            } => {
                write!(
                    f,
                    "mailbox-changed host={host} mailbox={mailbox:?} message={message} \
                     change={change:?} messages-now={messages_now}"
                )?;
                match by {
                    Some(protocol) => write!(f, " by={protocol}"),
                    None => Ok(()),
                }
            }
            MxChanged {
                host,
                domain,
                records,
            } => write!(
                f,
                "mx-changed host={host} domain={domain:?} records={records:?}"
            ),
            MailboxCommand {
                host,
                connection,
                protocol,
                line,
            } => write!(
                f,
                "mailbox-command host={host} connection={connection} protocol={protocol} \
                 line={line:?}"
            ),
            MailboxReply {
                host,
                connection,
                protocol,
                line,
            } => write!(
                f,
                "mailbox-reply host={host} connection={connection} protocol={protocol} \
                 line={line:?}"
            ),
            MessageDownloaded {
                host,
                server,
                connection,
                protocol,
            } => write!(
                f,
                "message-downloaded host={host} server={server} connection={connection} \
                 protocol={protocol}"
            ),
            MailboxSynced {
                host,
                connection,
                protocol,
                ok,
                outcome,
            } => write!(
                f,
                "mailbox-synced host={host} connection={connection} protocol={protocol} \
                 ok={ok} outcome={outcome:?}"
            ),
        }
    }
}

/// The log itself: events are only ever appended, so an index stays a fixed point on the
/// timeline. Its texts come from its own [`TextTable`], so a line logged in every session is
/// kept once.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    events: Vec<SimEvent>,
    texts: TextTable,
}

/// Two logs are equal when their events are.
impl PartialEq for EventLog {
    fn eq(&self, other: &EventLog) -> bool {
        self.events == other.events
    }
}

impl Eq for EventLog {}

impl EventLog {
    pub fn new() -> EventLog {
        EventLog::default()
    }

    /// `text` for an event of this log, sharing the copy of an equal text logged before.
    pub fn text(&mut self, text: &str) -> Text {
        self.texts.text(text)
    }

    /// Makes room for `additional` more events at once, so that growing into them copies
    /// nothing.
    pub fn reserve(&mut self, additional: usize) {
        self.events.reserve_exact(additional);
    }

    /// Appends an event and returns its index.
    pub fn push(&mut self, event: SimEvent) -> usize {
        self.events.push(event);
        self.events.len() - 1
    }

    pub fn events(&self) -> &[SimEvent] {
        &self.events
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// FNV-1a over every event's canonical line, each ended by `\n`.
    pub fn stable_hash(&self) -> u64 {
        stable_hash(&self.events)
    }
}

/// FNV-1a over the canonical lines of `events`: pass a prefix of a log to compare the first
/// `n` events of two runs, as a rewind test does.
pub fn stable_hash(events: &[SimEvent]) -> u64 {
    let mut hasher = Fnv1a64::new();
    for event in events {
        // Writing to a hasher cannot fail.
        let _ = writeln!(hasher, "{event}");
    }
    hasher.finish()
}

#[cfg(test)]
mod tests;
mod text;
