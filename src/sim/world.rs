//! The World: the simulated internet in one value. It owns the topology, the virtual clock, the
//! one seeded RNG, the queue of things due to happen, every frame ever sent (as bytes), each
//! host's network stack (ARP cache, TCP connections) and each mail server's mailboxes.
//! Protocol engines run inside it unchanged: [`TcpConnection`](crate::net::tcp::TcpConnection)
//! for TCP, [`SmtpClient`](crate::proto::smtp::SmtpClient) and
//! [`SmtpServer`](crate::proto::smtp::SmtpServer) for SMTP, [`MailStore`] for delivery.
//!
//! # Using it (after quinn-proto's test `Pair`)
//! - Build: [`World::new`] (a topology and a seed) or [`World::default_world`].
//! - Input: [`World::apply`] with a [`Command`] — the only way anything outside changes the
//!   world (docs/ARCHITECTURE.md rule 4). A command acts at [`World::now`]; what it starts
//!   happens as time moves.
//! - Time moves only when asked: [`World::step`] processes the next internal event (a frame
//!   arriving on an interface, a TCP timer firing) and jumps the clock to it;
//!   [`World::run_until`] steps up to a time and then sets the clock there;
//!   [`World::run_until_idle`] steps until nothing is left to do (bounded, so it cannot hang).
//! - Outputs: [`World::events`] (the append-only log), [`World::frame`] (any frame's bytes by
//!   the id the log gives), [`World::pcap`] and [`World::link_pcap`] (libpcap files, timestamps
//!   in virtual time), [`World::snapshot`] (a plain struct with `Display`),
//!   [`World::mail_store`] (what a mail server holds), [`World::outbound_queue`] (what it
//!   still has to pass on), [`World::mail_result`] (how a [`Command::SendMail`] or
//!   [`Command::Submit`] ended), [`World::mx_lookup_result`] (how an MX lookup ended).
//! - Rewind: every accepted command is kept with its time in [`World::command_log`];
//!   [`World::replay_to`] / [`World::rewind_to`] rebuild the world from its topology and seed
//!   to any position of the log, exactly (module `rewind`).
//! - MX lookups: [`Command::ResolveMx`] from the UI or the terminal, or
//!   [`World::start_mx_lookup`] from inside the world (the MTA's relay), both giving a
//!   [`LookupId`]; step the world, then read [`World::mx_lookup_result`] — `None` while the
//!   lookup runs, then an [`MxResolution`](crate::net::dns::MxResolution): the exchanges in
//!   the order to try (with addresses), `NullMx`, `NoSuchDomain` or `Temporary`. The log's
//!   `MxLookupFinished` marks the moment it ended.
//!
//! # What it models, and what is logged
//! - **Physical**: a frame takes its serialisation time (bits / bandwidth) plus the link's
//!   latency. It is lost when the link is down, when the link's loss rate strikes (drawn from
//!   the world's RNG), or when nobody up on the link has its destination MAC: `FrameLost`.
//!   Host and link switches: `HostStateChanged`, `LinkStateChanged`.
//! - **Data link**: every frame is emitted with the `wire` emitters into real bytes and logged
//!   as `FrameSent` on its link and `FrameReceived` at each receiver. Hosts find next-hop MACs
//!   with ARP (RFC 826): a broadcast `ArpRequest`, a unicast `ArpReply`; packets wait for the
//!   answer; the asker re-asks once a second, and after 3 unanswered requests drops what waited
//!   (`PacketDropped`, "host unreachable").
//! - **Network**: IPv4 with TTL 64. Routers forward (RFC 1812 §5.3.1): TTL − 1, a new header
//!   checksum, new source and destination MACs on the outgoing link, the same IP addresses —
//!   `PacketForwarded` with the TTL before and after. A packet no route, TTL or ARP answer can
//!   carry on is `PacketDropped`.
//! - **Transport**: a host delivers UDP datagrams (checksum verified) to port 53 of
//!   dns.example, or to the port an MX lookup of its own sends from; others are ignored.
//!   A host delivers TCP segments to the connection with the same (local
//!   address, local port, remote address, remote port). A SYN to a port where an SMTP service
//!   listens ([`default_world::smtp_service`]) opens a new passive connection, whose own SMTP
//!   server session (and its `220`) starts once the handshake reaches ESTABLISHED; a SYN to
//!   any other port is answered with a RST. Every state change is a
//!   `TcpStateChanged` (RFC 9293 names). Initial sequence numbers come from the world's RNG.
//! - **Application**: the client's command lines (`SmtpCommand`, at the client) and the
//!   server's replies (`SmtpReply`, at the server), each with its connection and message id;
//!   how the attempt ended (`MailAttemptFinished`); a message the server took is filed in that
//!   server's [`MailStore`]: `MessageDelivered` and `MailboxChanged` for local recipients,
//!   `MessageQueued` for the rest, which wait in the server's outbound queue.
//! - **Relay** (RFC 5321 §4.5.4, §5.1, §4.5.5; `relay`): every mail server host runs an
//!   [`OutboundQueue`](crate::mail::mta::OutboundQueue) ([`World::outbound_queue`]) with
//!   the default [`MtaPolicy`](crate::mail::mta::MtaPolicy) (30 min doubling to 4 h, 5 days).
//!   mail.alpha.example and mx2.beta.example also listen on port 25 ([`SMTP_RELAY_PORT`]).
//!   When an attempt is due the World looks the domain's MX up over DNS from the server
//!   itself, then runs an `SmtpClient` (pipelining when offered) against each exchange in
//!   order, moving on while the result says so (no connection, or a temporary failure of the
//!   whole transaction); a server that is itself an exchanger tries only the better ones, so
//!   the backup MX mx2 (whose store is only a queue) forwards to mx1 and never to itself. A
//!   domain the server is final for is delivered into its own mailboxes (that is how a bounce
//!   reaches ani). Logged: `DeliveryAttemptStarted`, `MessageRelayed` (next hop),
//!   `MessageDeferred` (with the retry time), `MessageBounced` (status `5.1.1`, `4.4.7` …),
//!   `BounceQueued` for the RFC 3464 report sent with `MAIL FROM:<>`, and the sessions
//!   themselves like any other. Each relay session gets a message id of its own; the queue's
//!   events carry the id of the message the server took.
//! - **Mail clients**: [`Command::Submit`] writes an RFC 5322 message and submits it with
//!   AUTH to the sender's submission server on port 587 — the UI's "Send".
//!   [`Command::Accept`] files a message that an SMTP engine outside the world took (the
//!   loopback bridge's submission port) as if the host's own server had accepted it.
//! - **DNS** (RFC 1035 over UDP, RFC 5321 §5.1): dns.example ([`DNS_SERVER_NAME`]) answers
//!   from the topology's zones with [`crate::net::dns::answer`]: authoritative, NXDOMAIN for
//!   a name that does not exist, an empty NOERROR for one without the asked type, the
//!   exchanges' A records as glue after an MX answer. A lookup
//!   ([`crate::net::dns::MxLookup`]) sends an MX query from an ephemeral port (query id from
//!   the world's RNG), then an A query for each exchange without glue; ties in preference are
//!   shuffled with the world's RNG. A query unanswered for [`DNS_TIMEOUT`] is sent once more;
//!   a second silence ends the lookup as `Temporary`, as does the asking host being switched
//!   off. Logged: `DnsQuery` at the asker and `DnsAnswer` at dns.example, each with the frame
//!   the datagram left in (logged when that frame is sent, after any ARP wait), and
//!   `MxLookupFinished`. The datagrams are ordinary frames, so they are in the pcap.
//!
//! # Determinism
//! No clock, no OS randomness, ordered maps only; queue ties break on insertion order. The
//! same topology, seed and commands at the same times give the same log (compare
//! [`EventLog::stable_hash`]) and the same capture bytes.
//!
//! Where things are: `network` (frames, ARP, IPv4 forwarding, TCP and UDP demultiplexing),
//! `frames` (every frame's bytes, in chunks, for [`World::frame`] and the captures),
//! `dns` (dns.example's service and the hosts' MX lookups), `rewind` (the command log and
//! [`World::replay_to`]: rebuild from the seed, exact to one event),
//! `sessions` (SMTP on TCP, submission, filing accepted mail), `relay` (the mail servers'
//! outbound queues: MX routing, retries, bounces), `snapshot` (the inspection view).

mod devices;
mod dns;
mod frames;
mod in_flight;
mod interactive;
mod mailbox_sessions;
mod network;
mod relay;
mod rewind;
mod sessions;
mod snapshot;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;

use super::default_world;
use super::event::{EventKind, EventLog, SimEvent};
use super::id::{ConnectionId, FrameId, HostId, LinkId, MessageId};
use super::id_map::IdMap;
use super::queue::EventQueue;
use super::rng::{Probability, SimRng};
use super::time::SimTime;
use super::topology::{InterfaceId, Topology, TopologyError};
use super::zone::ZoneError;
use crate::mail::mailbox::MailStore;
use crate::proto::imap::client::FolderAction;
use crate::proto::login::Login;
use crate::proto::smtp::{
    AcceptedMessage, Account, ClientConfig, InvalidJob, MailJob, ServerPolicy,
};
use crate::sim::event::MailboxProtocol;
use crate::wire::pcap::PcapWriter;

pub use devices::{DeviceMail, DeviceMessage, SessionEnd};
pub use dns::{LookupId, DNS_SERVER_NAME, DNS_TIMEOUT};
use frames::FrameStore;
pub use in_flight::Flight;
use in_flight::InFlight;
pub use interactive::{InteractiveConnection, InteractiveStatus};
use mailbox_sessions::MailboxService;
use network::HostStack;
pub use relay::SMTP_RELAY_PORT;
use relay::{Mta, Relay};
use rewind::History;
pub use rewind::{CommandLog, LoggedCommand, RewindError};
pub use sessions::MailResult;
use sessions::{Connection, ConnectionTable};
pub use snapshot::{ConnectionView, DeviceView, HostView, LinkView, MailServerView, WorldSnapshot};

/// Unix time at the world's [`SimTime::ZERO`] (2026-01-01T00:00:00Z), for the dates in
/// `Received:` headers.
pub const EPOCH_UNIX_SECONDS: i64 = 1_767_225_600;
/// The first ephemeral port a host gives out (RFC 6335 §6: 49152–65535).
pub const FIRST_EPHEMERAL_PORT: u16 = 49_152;
/// The MSS every host advertises: a 1500-byte Ethernet MTU less 40 bytes of IPv4 and TCP.
pub const MSS: u16 = 1460;
/// How many internal events [`World::run_until_idle`] processes at most before it gives up.
pub const IDLE_STEP_LIMIT: usize = 5_000_000;

/// What the UI, the terminal and the tests ask the world to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open a TCP connection from `from_host` to `to_host:port` and hand `job` over with an
    /// SMTP client configured by `client`.
    SendMail {
        from_host: HostId,
        to_host: HostId,
        port: u16,
        client: ClientConfig,
        job: MailJob,
    },
    /// The same with several jobs over one connection, a transaction each in the order given
    /// (RFC 5321 §3.3), as an MTA hands over all it has queued for one server: the messages
    /// get consecutive ids, one per job, and each its own [`World::mail_result`].
    SendMails {
        from_host: HostId,
        to_host: HostId,
        port: u16,
        client: ClientConfig,
        jobs: Vec<MailJob>,
    },
    /// Switch a host on or off. A host switched off forgets its connections and ARP cache.
    SetHostUp { host: HostId, up: bool },
    /// Plug a link in or pull it out.
    SetLinkUp { link: LinkId, up: bool },
    /// Change how likely a frame is lost on a link.
    SetLinkLoss { link: LinkId, loss: Probability },
    /// Look up where mail for `domain` goes, from `from_host`, by asking dns.example over
    /// UDP; see [`World::start_mx_lookup`].
    ResolveMx { from_host: HostId, domain: String },
    /// What a mail client's "Send" does: write an RFC 5322 message (Date, From, To, Subject,
    /// Message-ID) and submit it with AUTH to the submission port (587) of the server whose
    /// domain `from` is in (RFC 6409). Its end is [`World::mail_result`].
    Submit {
        from_host: HostId,
        user: String,
        password: String,
        from: String,
        to: Vec<String>,
        subject: String,
        body: String,
    },
    /// Fill a mailbox (its server answers `452 4.2.2` until it is emptied) or empty it.
    SetMailboxFull { address: String, full: bool },
    /// Open a mailbox for `account` on `host`, as its administrator adds a user: the host's
    /// SMTP services take mail for it and its POP3 and IMAP services let it log in. The
    /// host must keep mail for the account's domain.
    AddAccount { host: HostId, account: Account },
    /// A message an SMTP server engine took outside the simulation (`kurir serve`'s
    /// submission port): `host` files it as if its own server had just said `250` to it —
    /// recipients in its final domains into its mailboxes, the rest into its outbound queue,
    /// which relays them by MX like any other mail. Its id is [`Applied::Accepted`].
    Accept {
        host: HostId,
        message: AcceptedMessage,
    },
    /// The terminal's `telnet HOST PORT`: open a TCP connection from `from_host` to
    /// `to_host:port` with nothing but the learner on this end; see module `interactive`.
    Connect {
        from_host: HostId,
        to_host: HostId,
        port: u16,
    },
    /// Bytes the learner typed on a [`Command::Connect`]ed connection, sent as they are.
    Type {
        connection: ConnectionId,
        bytes: Vec<u8>,
    },
    /// Close a [`Command::Connect`]ed connection from the learner's end (FIN).
    Hangup { connection: ConnectionId },
    /// Replace `domain`'s MX records on dns.example with `exchanges` (preference, host
    /// name), as the domain's administrator would. Empty: no MX, so mail falls back to the
    /// domain's address; `[(0, ".")]`: a null MX. Queued mail looks them up afresh at its
    /// next attempt.
    SetMx {
        domain: String,
        exchanges: Vec<(u16, String)>,
    },
    /// A device's mail client reads `user`'s mailbox on `server`: with POP3 it downloads what
    /// is new and deletes it from the server unless `keep_on_server`; with IMAP it syncs every
    /// folder and does `actions` in theirs on the server (mark read, flag, delete, move). What the
    /// device holds is [`World::device_mail`]; the session ends with
    /// [`EventKind::MailboxSynced`].
    CheckMail {
        host: HostId,
        server: HostId,
        user: String,
        password: String,
        protocol: MailboxProtocol,
        keep_on_server: bool,
        actions: Vec<FolderAction>,
    },
    /// The learner opened a POP3-downloaded message on `host`: it is read there, and only
    /// there. `id` is its unique id.
    ReadOnDevice { host: HostId, id: String },
}

/// What a command started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The change is made (and logged).
    Done,
    /// A mail attempt is under way: follow `message` in the log; its end is
    /// [`World::mail_result`].
    MailStarted {
        message: MessageId,
        connection: ConnectionId,
    },
    /// A session for several messages is under way: `count` ids from `first` on, one per job
    /// in the order of the jobs; the end of each is [`World::mail_result`].
    MailsStarted {
        first: MessageId,
        count: usize,
        connection: ConnectionId,
    },
    /// An MX lookup is under way: its end is [`World::mx_lookup_result`].
    LookupStarted { lookup: LookupId },
    /// A [`Command::Accept`]ed message is filed: follow `message` in the log.
    Accepted { message: MessageId },
    /// A [`Command::Connect`] sent its SYN: read what arrives with [`World::interactive`].
    Connected { connection: ConnectionId },
}

/// Why a command was refused; the world is unchanged when one is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    Topology(TopologyError),
    UnknownHost(HostId),
    /// The host that should send is switched off.
    HostDown(String),
    /// The destination host has no address to connect to.
    NoAddress(String),
    InvalidJob(InvalidJob),
    /// The host runs no mail server (no MTA) to take a message.
    NotAMailServer(String),
    /// The connection is not a hand-driven one that is still open.
    NotConnected(ConnectionId),
    /// The DNS change was refused (the domain is in no zone dns.example serves).
    Zone(ZoneError),
    /// The device holds no message with that id.
    NoSuchMessage(String),
    /// The host keeps no mailboxes for the domain: (host, domain).
    NotFinalForDomain(String, String),
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Topology(error) => error.fmt(f),
            CommandError::UnknownHost(host) => write!(f, "there is no {host}"),
            CommandError::HostDown(name) => write!(f, "{name} is switched off"),
            CommandError::NoAddress(name) => write!(f, "{name} has no address to connect to"),
            CommandError::InvalidJob(error) => write!(f, "the message cannot be sent: {error}"),
            CommandError::NotAMailServer(name) => write!(f, "{name} runs no mail server"),
            CommandError::Zone(error) => error.fmt(f),
            CommandError::NotConnected(connection) => {
                write!(f, "connection {connection} is not open for typing")
            }
            CommandError::NoSuchMessage(id) => write!(f, "there is no message {id} here"),
            CommandError::NotFinalForDomain(host, domain) => {
                write!(f, "{host} keeps no mailboxes for {domain}")
            }
        }
    }
}

impl std::error::Error for CommandError {}

/// Something due at a moment of virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Due {
    /// The last bit of `frame` reaches interface `to`.
    FrameArrives { frame: FrameId, to: InterfaceId },
    /// A TCP connection's retransmission or TIME-WAIT timer.
    TcpTimer { connection: ConnectionId },
    /// An SMTP client waited too long for a reply (RFC 5321 §4.5.3.2).
    SmtpReplyTimer { connection: ConnectionId },
    /// An ARP request from `interface` for `address` went unanswered too long.
    ArpTimer {
        interface: InterfaceId,
        address: Ipv4Addr,
    },
    /// A DNS query of an MX lookup went unanswered too long.
    DnsTimer { lookup: LookupId },
    /// A mail server's outbound queue has an attempt due.
    MtaWakeup { host: HostId },
}

/// The simulated internet; see the module doc for the order of calls.
pub struct World {
    /// The topology as given to [`World::new`], for rewinds.
    initial: Topology,
    history: History,
    topology: Topology,
    now: SimTime,
    rng: SimRng,
    queue: EventQueue<Due>,
    log: EventLog,
    frames: FrameStore,
    stacks: Vec<HostStack>,
    /// Boxed: `drive` takes a connection out and puts it back per segment, and a
    /// connection (TCP buffers, SMTP state) is too big to move by value that often.
    connections: ConnectionTable,
    next_connection: ConnectionId,
    next_message: MessageId,
    /// The services listening, by host and port.
    listeners: BTreeMap<(HostId, u16), Listener>,
    /// Sessions each server host has opened, for queue ids.
    server_sessions: IdMap<HostId, u64>,
    /// Which message a TCP flow carries, by (client address, client port, server address,
    /// server port): how the server side learns the id the client side was given.
    flows: BTreeMap<(Ipv4Addr, u16, Ipv4Addr, u16), MessageId>,
    mail_stores: IdMap<HostId, MailStore>,
    mail_results: IdMap<MessageId, MailResult>,
    lookups: IdMap<LookupId, dns::LookupState>,
    next_lookup: LookupId,
    /// Each mail server's MTA: its outbound queue and the domains it is final for.
    mtas: IdMap<HostId, Mta>,
    relay: Relay,
    /// The connections the learner drives by hand, kept after they close.
    interactive: IdMap<ConnectionId, InteractiveConnection>,
    in_flight: InFlight,
    /// What each device's mail client holds.
    devices: IdMap<HostId, DeviceMail>,
    /// The open IMAP server sessions, by host: who hears of a mailbox change.
    imap_sessions: Vec<(HostId, ConnectionId)>,
    /// The Unix second of the last delivery and its date as IMAP writes it.
    arrival_date: (i64, String),
}

/// What listens on a host's port.
enum Listener {
    Smtp(ServerPolicy),
    Mailbox(MailboxService),
}

impl World {
    /// A world on `topology` whose randomness all comes from `seed`. Every SMTP service of
    /// [`default_world::SMTP_SERVICES`] whose host is in the topology listens.
    pub fn new(topology: Topology, seed: u64) -> World {
        let mut listeners = BTreeMap::new();
        let mut mail_stores = IdMap::default();
        for (name, port) in default_world::SMTP_SERVICES {
            if let (Some(host), Some(policy)) = (
                topology.host_id(name),
                default_world::smtp_service(name, port),
            ) {
                listeners.insert((host, port), Listener::Smtp(policy));
                mail_stores.insert(host, MailStore::new());
            }
        }
        for (name, port, policy) in relay::relay_services() {
            if let Some(host) = topology.host_id(name) {
                listeners
                    .entry((host, port))
                    .or_insert(Listener::Smtp(policy));
                mail_stores.get_or_insert_with(host, MailStore::new);
            }
        }
        for (name, domain) in default_world::MAILBOX_SERVERS {
            if let Some(host) = topology.host_id(name) {
                for protocol in [MailboxProtocol::Pop3, MailboxProtocol::Imap] {
                    let service = MailboxService::new(protocol, name, domain);
                    listeners.insert((host, protocol.port()), Listener::Mailbox(service));
                }
                mail_stores.get_or_insert_with(host, MailStore::new);
            }
        }
        let mtas = mail_stores
            .iter()
            .filter_map(|(host, _)| Some((host, relay::mta_for(&topology.host_name(host))?)))
            .collect();
        let stacks = topology.hosts().map(|_| HostStack::default()).collect();
        World {
            initial: topology.clone(),
            history: History {
                seed,
                ..History::default()
            },
            topology,
            now: SimTime::ZERO,
            rng: SimRng::new(seed),
            queue: EventQueue::new(),
            log: EventLog::new(),
            frames: FrameStore::default(),
            stacks,
            connections: ConnectionTable::default(),
            next_connection: ConnectionId(0),
            next_message: MessageId(0),
            listeners,
            server_sessions: IdMap::default(),
            flows: BTreeMap::new(),
            mail_stores,
            mail_results: IdMap::default(),
            lookups: IdMap::default(),
            next_lookup: LookupId(0),
            mtas,
            relay: Relay::default(),
            interactive: IdMap::default(),
            in_flight: InFlight::default(),
            devices: IdMap::default(),
            imap_sessions: Vec::new(),
            arrival_date: (0, String::new()),
        }
    }

    /// The default teaching world of docs/ARCHITECTURE.md.
    pub fn default_world(seed: u64) -> World {
        World::new(Topology::default_world(), seed)
    }

    // ---- getters ----

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// The log, oldest first; it only ever grows.
    pub fn events(&self) -> &[SimEvent] {
        self.log.events()
    }

    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// The bytes of a frame, as they went on the wire (Ethernet header first, no FCS).
    pub fn frame(&self, id: FrameId) -> Option<&[u8]> {
        self.frames.bytes(id)
    }

    /// The link a frame was sent on.
    pub fn frame_link(&self, id: FrameId) -> Option<LinkId> {
        self.frames.link(id)
    }

    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    /// Makes room in the log and the frame store for about `events` more events and `frames`
    /// more frames. A caller that knows how much it is about to run (a campaign, after its
    /// first batch) spares the log the copies and the twice-touched memory of growing by
    /// doubling; nothing else changes.
    pub fn reserve(&mut self, events: usize, frames: usize) {
        self.log.reserve(events);
        self.frames.reserve(frames);
    }

    /// Bytes the frame store holds on the heap: every frame's bytes and its record.
    pub fn frame_store_bytes(&self) -> usize {
        self.frames.heap_bytes()
    }

    /// Every frame on every link as a libpcap file, in the order sent, stamped with the
    /// virtual time each was put on its link.
    pub fn pcap(&self) -> Vec<u8> {
        self.capture(|_| true)
    }

    /// The frames of one link, as a capture on that cable would show them.
    pub fn link_pcap(&self, link: LinkId) -> Vec<u8> {
        self.capture(|frame_link| frame_link == link)
    }

    fn capture(&self, keep: impl Fn(LinkId) -> bool) -> Vec<u8> {
        let mut writer = PcapWriter::new();
        for (link, sent_at, bytes) in self.frames.iter() {
            if keep(link) {
                writer.write_frame(sent_at.as_micros(), bytes);
            }
        }
        writer.into_bytes()
    }

    /// What a mail server holds (`None` for a host without an SMTP service).
    pub fn mail_store(&self, host: HostId) -> Option<&MailStore> {
        self.mail_stores.get(&host)
    }

    /// Every mail server's store, in host order.
    pub fn mail_stores(&self) -> impl Iterator<Item = (HostId, &MailStore)> {
        self.mail_stores.iter()
    }

    /// Whether the world still keeps connection `id`: until it is closed, and for the side
    /// that closed first until its TIME-WAIT is over.
    pub fn holds_connection(&self, id: ConnectionId) -> bool {
        self.connections.get(&id).is_some()
    }

    /// How a [`Command::SendMail`] ended; `None` while it is under way.
    pub fn mail_result(&self, message: MessageId) -> Option<&MailResult> {
        self.mail_results.get(&message)
    }

    // ---- input ----

    /// Applies a command at the current time and records it in the [`CommandLog`]. On a
    /// rewound world this drops the commands it would have re-applied: the timeline branches.
    pub fn apply(&mut self, command: Command) -> Result<Applied, CommandError> {
        self.release_held();
        self.history.script.clear();
        self.apply_logged(command)
    }

    fn apply_now(&mut self, command: Command) -> Result<Applied, CommandError> {
        match command {
            Command::SendMail {
                from_host,
                to_host,
                port,
                client,
                job,
            } => self.start_mail(from_host, to_host, port, client, job),
            Command::SendMails {
                from_host,
                to_host,
                port,
                client,
                jobs,
            } => self.start_mails(from_host, to_host, port, client, jobs),
            Command::ResolveMx { from_host, domain } => {
                let lookup = self.start_mx_lookup(from_host, &domain)?;
                Ok(Applied::LookupStarted { lookup })
            }
            Command::SetHostUp { host, up } => {
                self.topology
                    .set_host_up(host, up)
                    .map_err(CommandError::Topology)?;
                if !up {
                    self.forget_host_state(host);
                }
                self.record(EventKind::HostStateChanged { host, up });
                self.schedule_mta_wakeup(host);
                Ok(Applied::Done)
            }
            Command::SetLinkUp { link, up } => {
                self.topology
                    .set_link_up(link, up)
                    .map_err(CommandError::Topology)?;
                self.record(EventKind::LinkStateChanged { link, up });
                Ok(Applied::Done)
            }
            Command::Submit {
                from_host,
                user,
                password,
                from,
                to,
                subject,
                body,
            } => self.submit(from_host, &user, &password, &from, &to, &subject, &body),
            Command::SetMailboxFull { address, full } => {
                if full {
                    self.topology
                        .fill_mailbox(&address)
                        .map_err(CommandError::Topology)?;
                } else {
                    self.topology.empty_mailbox(&address);
                }
                Ok(Applied::Done)
            }
            Command::AddAccount { host, account } => self.add_account(host, account),
            Command::Accept { host, message } => self.accept_external(host, &message),
            Command::Connect {
                from_host,
                to_host,
                port,
            } => self.connect_by_hand(from_host, to_host, port),
            Command::Type { connection, bytes } => self.type_by_hand(connection, &bytes),
            Command::Hangup { connection } => self.hang_up(connection),
            Command::SetMx { domain, exchanges } => self.set_mx(&domain, &exchanges),
            Command::CheckMail {
                host,
                server,
                user,
                password,
                protocol,
                keep_on_server,
                actions,
            } => self.check_mail(
                host,
                server,
                (&user, &password),
                protocol,
                keep_on_server,
                actions,
            ),
            Command::ReadOnDevice { host, id } => self.read_on_device(host, &id),
            Command::SetLinkLoss { link, loss } => {
                self.topology
                    .set_link_loss(link, loss)
                    .map_err(CommandError::Topology)?;
                Ok(Applied::Done)
            }
        }
    }

    /// [`Command::AddAccount`]: every service on `host` that keeps mail for the account's
    /// domain learns it (one that knows the user already is left as it is).
    fn add_account(&mut self, host: HostId, account: Account) -> Result<Applied, CommandError> {
        let mut added = false;
        for listener in self
            .listeners
            .range_mut((host, 0)..=(host, u16::MAX))
            .map(|(_, listener)| listener)
        {
            match listener {
                Listener::Smtp(policy) => {
                    if !policy
                        .local_domains
                        .iter()
                        .any(|domain| domain.eq_ignore_ascii_case(&account.domain))
                    {
                        continue;
                    }
                    added = true;
                    let known = policy
                        .accounts
                        .find(&account.user, &account.domain)
                        .is_some();
                    if !known {
                        policy.accounts = policy.accounts.with(account.clone());
                    }
                }
                Listener::Mailbox(service) => {
                    if !service.domain.eq_ignore_ascii_case(&account.domain) {
                        continue;
                    }
                    added = true;
                    if !service
                        .accounts
                        .iter()
                        .any(|login| login.user.eq_ignore_ascii_case(&account.user))
                    {
                        service.accounts.push(Login {
                            user: account.user.clone(),
                            password: account.password.clone(),
                        });
                    }
                }
            }
        }
        if added {
            Ok(Applied::Done)
        } else {
            Err(CommandError::NotFinalForDomain(
                self.topology.host_name(host),
                account.domain,
            ))
        }
    }

    // ---- time ----

    /// Processes the next internal event, moving the clock to it. `false` when nothing is
    /// left to do.
    pub fn step(&mut self) -> bool {
        self.release_held();
        if self.apply_scripted() {
            return true;
        }
        let Some((at, due)) = self.queue.pop() else {
            return false;
        };
        self.history.steps += 1;
        self.now = self.now.max(at);
        match due {
            Due::FrameArrives { frame, to } => self.frame_arrives(frame, to),
            Due::TcpTimer { connection } => self.tcp_timer_fires(connection),
            Due::SmtpReplyTimer { connection } => self.smtp_reply_timer_fires(connection),
            Due::ArpTimer { interface, address } => self.arp_timer_fires(interface, address),
            Due::DnsTimer { lookup } => self.dns_timer_fires(lookup),
            Due::MtaWakeup { host } => self.mta_wakes(host),
        }
        true
    }

    /// Processes everything due up to and including `until`, then sets the clock to `until`
    /// (if it is later than now).
    pub fn run_until(&mut self, until: SimTime) {
        while self.next_action_at().is_some_and(|at| at <= until) {
            self.step();
        }
        self.now = self.now.max(until);
    }

    /// Steps until nothing is left to do; `false` if [`IDLE_STEP_LIMIT`] steps were not enough
    /// (something keeps itself busy), so a caller never hangs.
    pub fn run_until_idle(&mut self) -> bool {
        for _ in 0..IDLE_STEP_LIMIT {
            if !self.step() {
                return true;
            }
        }
        self.queue.is_empty() && self.history.script.is_empty()
    }

    /// When the next internal event (or, after a rewind, re-applied command) is due, if any.
    pub fn next_event_at(&self) -> Option<SimTime> {
        self.next_action_at()
    }

    // ---- inspection ----

    /// Hosts, links, open connections and mailboxes as plain values.
    pub fn snapshot(&self) -> WorldSnapshot {
        snapshot::take(self)
    }

    // ---- shared helpers ----

    fn record(&mut self, kind: EventKind) {
        self.log.push(SimEvent::new(self.now, kind));
    }

    fn host_is_up(&self, host: HostId) -> bool {
        self.topology.host(host).is_some_and(|h| h.up)
    }
}
