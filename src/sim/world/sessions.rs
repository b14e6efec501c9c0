//! SMTP sessions on simulated TCP connections: a client delivering one [`MailJob`] or several
//! in turn (one transaction and one message id each, the ids consecutive), a server
//! session per accepted connection, and filing what a server accepted in its [`MailStore`]
//! (RFC 5321 §4.4: final delivery adds `Return-Path:`).

use std::fmt;
use std::net::Ipv4Addr;

use super::mailbox_sessions::MailboxSession;
use super::{
    Applied, CommandError, Due, InteractiveStatus, Listener, World, EPOCH_UNIX_SECONDS, MSS,
};
use crate::net::tcp::{TcpConnection, TcpEvent, TcpState};
use crate::proto::smtp::{
    AcceptedMessage, ClientConfig, ClientEvent, MailJob, Outcome, PeerInfo, ServerEvent,
    SmtpClient, SmtpServer,
};
use crate::sim::default_world::{self, SUBMISSION_PORT};
use crate::sim::event::{EventKind, MailboxProtocol};
use crate::sim::id::{ConnectionId, HostId, MessageId};
use crate::sim::queue::EventId;
use crate::sim::time::{SimDuration, SimTime};

/// How a [`Command::SendMail`](super::Command::SendMail) ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailResult {
    /// The SMTP session ran; the client engine's verdict.
    Smtp(Outcome),
    /// The server host answered the SYN with a RST: nothing listens on that port.
    ConnectionRefused,
    /// No answer to the SYN after every retransmission (the host or the path is down).
    ConnectTimedOut,
    /// The sending host was switched off before the attempt ended.
    SenderWentDown,
}

impl MailResult {
    /// The server took the message for at least one recipient.
    pub fn is_delivered(&self) -> bool {
        matches!(self, MailResult::Smtp(Outcome::Delivered { .. }))
    }

    /// A failure that a later retry may cure (everything but a permanent SMTP refusal).
    pub fn is_temporary_failure(&self) -> bool {
        match self {
            MailResult::Smtp(Outcome::Delivered { .. }) => false,
            MailResult::Smtp(Outcome::Failed { failure, .. }) => {
                failure.severity() == crate::proto::smtp::Severity::Temporary
            }
            MailResult::Smtp(Outcome::NoRecipientAccepted { rejected }) => rejected
                .iter()
                .all(|r| r.severity() == crate::proto::smtp::Severity::Temporary),
            MailResult::ConnectionRefused
            | MailResult::ConnectTimedOut
            | MailResult::SenderWentDown => true,
        }
    }
}

impl fmt::Display for MailResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailResult::Smtp(Outcome::Delivered { accepted, .. }) => {
                f.write_str("delivered to ")?;
                for (index, address) in accepted.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(address)?;
                }
                Ok(())
            }
            MailResult::Smtp(Outcome::NoRecipientAccepted { rejected }) => {
                f.write_str("no recipient accepted:")?;
                for r in rejected {
                    write!(f, " {} ({})", r.address, r.reply.code.get())?;
                }
                Ok(())
            }
            MailResult::Smtp(Outcome::Failed { failure, .. }) => write!(f, "{failure}"),
            MailResult::ConnectionRefused => f.write_str("temporary failure: connection refused"),
            MailResult::ConnectTimedOut => {
                f.write_str("temporary failure: connection timed out (no answer to SYN)")
            }
            MailResult::SenderWentDown => f.write_str("temporary failure: the sender went down"),
        }
    }
}

/// What runs on top of a TCP connection.
pub(super) enum Application {
    Client(Box<SmtpClient>),
    /// No engine on this end: the bytes are what the learner types in the terminal
    /// (`telnet HOST PORT`), and what arrives is kept for the terminal to read (`interactive`).
    Interactive,
    /// A passive connection still in its handshake: the SMTP session (and its `220`) starts
    /// only once TCP is ESTABLISHED, so a SYN that is never completed greets nobody. The
    /// session takes the policy of the service listening on the connection's local port.
    Accepting,
    Server(Box<SmtpServer>),
    /// POP3 or IMAP, server or client (module `mailbox_sessions`).
    Mailbox(Box<MailboxSession>),
}

/// One TCP connection endpoint in the world, with its application.
pub(super) struct Connection {
    pub(super) host: HostId,
    pub(super) local: (Ipv4Addr, u16),
    pub(super) remote: (Ipv4Addr, u16),
    pub(super) tcp: TcpConnection,
    pub(super) app: Application,
    /// The message the session is about now: a client's current job, or what the server is
    /// taking from it.
    pub(super) message: MessageId,
    /// How many messages a client still has to send after `message` (their ids follow it).
    later_messages: usize,
    timer: Option<(u64, EventId)>,
    /// An SMTP client's wait for its next reply; restarted whenever the session moves.
    reply_timer: Option<EventId>,
    /// `close` was asked of TCP.
    closing: bool,
    /// The three-way handshake completed once.
    established: bool,
}

/// The open connections, by id: a slot per id ever given out (ids count up from 0), so the
/// hot path takes a connection out and puts it back without a search or a tree rebalance.
#[derive(Default)]
pub(super) struct ConnectionTable {
    slots: Vec<Option<Box<Connection>>>,
}

impl ConnectionTable {
    pub(super) fn get(&self, id: &ConnectionId) -> Option<&Connection> {
        self.slots.get(id.index())?.as_deref()
    }

    pub(super) fn get_mut(&mut self, id: &ConnectionId) -> Option<&mut Connection> {
        self.slots.get_mut(id.index())?.as_deref_mut()
    }

    pub(super) fn remove(&mut self, id: &ConnectionId) -> Option<Box<Connection>> {
        self.slots.get_mut(id.index())?.take()
    }

    pub(super) fn insert(&mut self, id: ConnectionId, connection: Box<Connection>) {
        let index = id.index();
        if index >= self.slots.len() {
            self.slots.resize_with(index + 1, || None);
        }
        self.slots[index] = Some(connection);
    }

    /// The open connections in id order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (ConnectionId, &Connection)> {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            let id = ConnectionId(u32::try_from(index).ok()?);
            Some((id, slot.as_deref()?))
        })
    }
}

impl Connection {
    pub(super) fn key(&self) -> (Ipv4Addr, u16, Ipv4Addr, u16) {
        (self.local.0, self.local.1, self.remote.0, self.remote.1)
    }

    pub(super) fn state(&self) -> TcpState {
        self.tcp.state()
    }
}

impl World {
    pub(super) fn start_mail(
        &mut self,
        from_host: HostId,
        to_host: HostId,
        port: u16,
        config: ClientConfig,
        job: MailJob,
    ) -> Result<Applied, CommandError> {
        let (connection, messages) =
            self.start_mail_session(from_host, (to_host, port), config, vec![job])?;
        Ok(Applied::MailStarted {
            message: messages.start,
            connection,
        })
    }

    /// [`Command::SendMails`](super::Command::SendMails): one session, a transaction per job.
    pub(super) fn start_mails(
        &mut self,
        from_host: HostId,
        to_host: HostId,
        port: u16,
        config: ClientConfig,
        jobs: Vec<MailJob>,
    ) -> Result<Applied, CommandError> {
        let (connection, messages) =
            self.start_mail_session(from_host, (to_host, port), config, jobs)?;
        Ok(Applied::MailsStarted {
            first: messages.start,
            count: (messages.end.0 - messages.start.0) as usize,
            connection,
        })
    }

    /// Opens a connection from `from_host` to the server and starts a client that hands
    /// over `jobs`; the connection and the jobs' message ids.
    fn start_mail_session(
        &mut self,
        from_host: HostId,
        (to_host, port): (HostId, u16),
        config: ClientConfig,
        jobs: Vec<MailJob>,
    ) -> Result<(ConnectionId, std::ops::Range<MessageId>), CommandError> {
        let (local_address, remote_address) = self.connection_addresses(from_host, to_host)?;
        let later_messages = jobs.len().saturating_sub(1);
        let client = SmtpClient::with_jobs(config, jobs).map_err(CommandError::InvalidJob)?;
        let (connection, message) = self.open_active(
            from_host,
            (local_address, remote_address, port),
            Application::Client(Box::new(client)),
        );
        // The ids after the first go to the later jobs, in order.
        let mut end = message.next();
        for _ in 0..later_messages {
            end = end.next();
        }
        self.next_message = end;
        if let Some(opened) = self.connections.get_mut(&connection) {
            opened.later_messages = later_messages;
        }
        Ok((connection, message..end))
    }

    /// The addresses an active open from `from_host` to `to_host` uses: the source address
    /// of the interface the route leaves by, and the destination's primary address.
    pub(super) fn connection_addresses(
        &self,
        from_host: HostId,
        to_host: HostId,
    ) -> Result<(Ipv4Addr, Ipv4Addr), CommandError> {
        let from = self
            .topology
            .host(from_host)
            .ok_or(CommandError::UnknownHost(from_host))?;
        if !from.up {
            return Err(CommandError::HostDown(from.name.clone()));
        }
        let to = self
            .topology
            .host(to_host)
            .ok_or(CommandError::UnknownHost(to_host))?;
        let remote_address = to.primary_address();
        let local_address = self
            .topology
            .route(from_host, remote_address)
            .ok()
            .and_then(|next| self.topology.interface(next.interface))
            .map(|interface| interface.address.address())
            .ok_or_else(|| CommandError::NoAddress(to.name.clone()))?;
        Ok((local_address, remote_address))
    }

    /// An active open from `host` (local address, remote address, remote port) with `app` on
    /// top: an ephemeral port, an ISS from the world's RNG, a new message id the server side
    /// learns through `flows`, and the SYN on its way.
    pub(super) fn open_active(
        &mut self,
        host: HostId,
        (local_address, remote_address, port): (Ipv4Addr, Ipv4Addr, u16),
        app: Application,
    ) -> (ConnectionId, MessageId) {
        let local_port = self.stacks[host.index()].ephemeral_port();
        let message = self.next_message;
        self.next_message = message.next();
        let iss = self.rng.next_u32();
        let tcp = TcpConnection::connect(local_port, port, iss, MSS);
        self.flows
            .insert((local_address, local_port, remote_address, port), message);
        let id = self.add_connection(Connection {
            host,
            local: (local_address, local_port),
            remote: (remote_address, port),
            tcp,
            app,
            message,
            later_messages: 0,
            timer: None,
            reply_timer: None,
            closing: false,
            established: false,
        });
        self.drive(id);
        (id, message)
    }

    /// [`Command::Submit`](super::Command::Submit): the message a mail client writes, handed
    /// to the submission server of the sender's domain with AUTH.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn submit(
        &mut self,
        from_host: HostId,
        user: &str,
        password: &str,
        from: &str,
        to: &[String],
        subject: &str,
        body: &str,
    ) -> Result<Applied, CommandError> {
        let domain = default_world::domain_of(from);
        let server = self
            .listeners
            .iter()
            .find(|((_, port), listener)| {
                *port == SUBMISSION_PORT
                    && matches!(listener, Listener::Smtp(policy) if policy
                        .local_domains
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(domain)))
            })
            .map(|((host, _), _)| *host)
            .ok_or_else(|| {
                CommandError::NoAddress(format!("a submission server for {domain:?}"))
            })?;
        let hello_name = self.topology.host_name(from_host);
        let message_id = format!("{}.{hello_name}@{domain}", self.next_message.0);
        let job =
            default_world::written_mail(self.unix_now(), from, to, subject, body, &message_id);
        let config = ClientConfig::new(hello_name).with_credentials(user, password);
        self.start_mail(from_host, server, SUBMISSION_PORT, config, job)
    }

    /// A SYN reached a listening SMTP port: a new passive connection, whose server session
    /// starts when the handshake completes ([`World::start_server_session`]).
    pub(super) fn open_server_session(
        &mut self,
        host: HostId,
        key: (Ipv4Addr, u16, Ipv4Addr, u16),
        tcp: TcpConnection,
    ) -> ConnectionId {
        let (local_address, local_port, remote_address, remote_port) = key;
        let message =
            match self
                .flows
                .get(&(remote_address, remote_port, local_address, local_port))
            {
                Some(&message) => message,
                None => {
                    let message = self.next_message;
                    self.next_message = message.next();
                    message
                }
            };
        self.add_connection(Connection {
            host,
            local: (local_address, local_port),
            remote: (remote_address, remote_port),
            tcp,
            app: Application::Accepting,
            message,
            later_messages: 0,
            timer: None,
            reply_timer: None,
            closing: false,
            established: false,
        })
    }

    /// The handshake of a passive connection completed: the session of the service on its
    /// port begins, and greets.
    fn start_server_session(&mut self, connection: &mut Connection, id: ConnectionId) {
        if !matches!(connection.app, Application::Accepting) {
            return;
        }
        let policy = match self.listeners.get(&(connection.host, connection.local.1)) {
            Some(Listener::Smtp(policy)) => policy,
            Some(Listener::Mailbox(service)) => {
                let session = MailboxSession::server(service, u64::from(id.0));
                if service.protocol == MailboxProtocol::Imap {
                    self.imap_sessions.push((connection.host, id));
                }
                connection.app = Application::Mailbox(Box::new(session));
                return;
            }
            None => return,
        };
        let mut policy = policy.clone();
        policy.full_mailboxes = self.topology.full_mailboxes().to_vec();
        let session = self
            .server_sessions
            .get_or_insert_with(connection.host, || 0);
        *session += 1;
        let remote_address = connection.remote.0;
        let peer = PeerInfo {
            address: dotted_quad(remote_address),
            name: self
                .topology
                .interface_with_address(remote_address)
                .map(|i| self.topology.host_name(i.host)),
            session_id: *session,
        };
        let server = SmtpServer::new(policy, peer, self.unix_now());
        connection.app = Application::Server(Box::new(server));
    }

    fn add_connection(&mut self, connection: Connection) -> ConnectionId {
        let id = self.next_connection;
        self.next_connection = id.next();
        self.stacks[connection.host.index()]
            .connections
            .insert(connection.key(), id);
        self.connections.insert(id, Box::new(connection));
        id
    }

    pub(super) fn unix_now(&self) -> i64 {
        EPOCH_UNIX_SECONDS + (self.now.as_micros() / 1_000_000) as i64
    }

    pub(super) fn segment_for_connection(
        &mut self,
        id: ConnectionId,
        segment: crate::wire::tcp::TcpRepr,
    ) {
        let now = self.now.as_micros();
        if let Some(connection) = self.connections.get_mut(&id) {
            connection.tcp.handle_segment(segment, now);
            self.drive(id);
        }
    }

    /// The server never answered in time: the client gives up without QUIT, as RFC 5321
    /// §4.5.3.2 asks, so an attempt cannot wait forever on a peer whose TCP already gave up.
    pub(super) fn smtp_reply_timer_fires(&mut self, id: ConnectionId) {
        if let Some(connection) = self.connections.get_mut(&id) {
            connection.reply_timer = None;
            if let Application::Client(client) = &mut connection.app {
                client.handle_timeout();
            }
            self.drive(id);
        }
    }

    /// Re-arms the SMTP reply timer after the client moved (sent or received), and stops it
    /// when the client awaits nothing.
    fn rearm_reply_timer(&mut self, connection: &mut Connection, id: ConnectionId, moved: bool) {
        let Application::Client(client) = &connection.app else {
            return;
        };
        let timeout = client.reply_timeout();
        if !moved && (timeout.is_none() == connection.reply_timer.is_none()) {
            return;
        }
        let at =
            timeout.map(|timeout| self.now + SimDuration::from_micros(timeout.as_micros() as u64));
        connection.reply_timer = self.set_timer(
            connection.reply_timer.take(),
            at,
            Due::SmtpReplyTimer { connection: id },
        );
    }

    /// Moves the `pending` timer to `at` (exactly as cancelling it and scheduling `due` anew
    /// would, without the churn), schedules `due` at `at` if none is pending, or stops the
    /// timer when `at` is `None`. The timer from now on, if any.
    fn set_timer(
        &mut self,
        pending: Option<EventId>,
        at: Option<SimTime>,
        due: Due,
    ) -> Option<EventId> {
        let Some(at) = at else {
            if let Some(event) = pending {
                self.queue.cancel(event);
            }
            return None;
        };
        let moved = pending.and_then(|event| self.queue.reschedule(event, at));
        Some(moved.unwrap_or_else(|| self.queue.schedule(at, due)))
    }

    pub(super) fn tcp_timer_fires(&mut self, id: ConnectionId) {
        let now = self.now.as_micros();
        if let Some(connection) = self.connections.get_mut(&id) {
            connection.timer = None;
            connection.tcp.handle_timeout(now);
            self.drive(id);
        }
    }

    /// Forgets a connection without a word on the wire (its host went down).
    pub(super) fn drop_connection(&mut self, id: ConnectionId) {
        if let Some(mut connection) = self.connections.remove(&id) {
            if let Some((_, event)) = connection.timer {
                self.queue.cancel(event);
            }
            if let Some(event) = connection.reply_timer {
                self.queue.cancel(event);
            }
            match connection.app {
                Application::Client(_) => {
                    self.finish_every_attempt(&connection, id, MailResult::SenderWentDown)
                }
                Application::Interactive => self.interactive_ended(id, InteractiveStatus::Closed),
                Application::Mailbox(_) => self.mailbox_connection_ended(&mut connection, id),
                Application::Accepting | Application::Server(_) => {}
            }
        }
    }

    /// Moves everything that can move: TCP events to the application, application bytes to
    /// TCP, TCP segments to the network; then sets the timer and forgets a finished connection.
    pub(super) fn drive(&mut self, id: ConnectionId) {
        let Some(mut connection) = self.connections.remove(&id) else {
            return;
        };
        let now = self.now;
        let mut application_moved = false;
        loop {
            let mut progressed = false;
            while let Some(event) = connection.tcp.poll_event() {
                progressed = true;
                self.on_tcp_event(&mut connection, id, event);
            }
            let moved = self.run_application(&mut connection, id);
            application_moved |= moved;
            progressed |= moved;
            while let Some(segment) = connection.tcp.poll_segment(now.as_micros()) {
                progressed = true;
                self.send_segment(
                    connection.host,
                    connection.local.0,
                    connection.remote.0,
                    &segment,
                );
            }
            if !progressed {
                break;
            }
        }
        self.rearm_reply_timer(&mut connection, id, application_moved);
        let wanted = connection.tcp.poll_timeout();
        if wanted != connection.timer.map(|(at, _)| at) {
            let pending = connection.timer.take().map(|(_, event)| event);
            let at_time = wanted.map(|at| SimTime::from_micros(at).max(now));
            let event = self.set_timer(pending, at_time, Due::TcpTimer { connection: id });
            connection.timer = wanted.zip(event);
        }
        if connection.tcp.state() == TcpState::Closed {
            self.mailbox_connection_ended(&mut connection, id);
            if let Some((_, event)) = connection.timer.take() {
                self.queue.cancel(event);
            }
            if let Some(event) = connection.reply_timer.take() {
                self.queue.cancel(event);
            }
            self.stacks[connection.host.index()]
                .connections
                .remove(&connection.key());
        } else {
            self.connections.insert(id, connection);
        }
    }

    fn on_tcp_event(&mut self, connection: &mut Connection, id: ConnectionId, event: TcpEvent) {
        let host = connection.host;
        match event {
            TcpEvent::StateChanged { from, to } => self.record(EventKind::TcpStateChanged {
                host,
                connection: id,
                from,
                to,
            }),
            TcpEvent::DataReceived { .. } => {
                let unix_now = self.unix_now();
                let app = &mut connection.app;
                connection.tcp.recv_with(|data| match app {
                    Application::Client(client) => client.handle_input(data),
                    Application::Interactive => self.interactive_received(id, data),
                    Application::Server(server) => {
                        server.set_time(unix_now);
                        if server.policy().sending_limit.is_some() {
                            if let Some(ledger) = self.sending_ledger(host) {
                                server.set_sending_ledger(ledger);
                            }
                        }
                        server.handle_input(data);
                    }
                    Application::Mailbox(session) => self.mailbox_received(host, id, session, data),
                    // TCP hands data over only once ESTABLISHED, when the session has begun.
                    Application::Accepting => {}
                });
            }
            TcpEvent::PeerClosed => match &mut connection.app {
                Application::Client(client) => client.connection_closed(),
                Application::Mailbox(session) if !session.is_server() => {
                    self.mailbox_connection_ended(connection, id)
                }
                // The peer said all it will say: close our side too (telnet does the same).
                Application::Interactive
                | Application::Server(_)
                | Application::Mailbox(_)
                | Application::Accepting => close(connection),
            },
            TcpEvent::Refused => {
                self.mailbox_connection_ended(connection, id);
                self.finish_every_attempt(connection, id, MailResult::ConnectionRefused);
                self.interactive_ended(id, InteractiveStatus::Refused);
            }
            TcpEvent::TimedOut if !connection.established => {
                self.mailbox_connection_ended(connection, id);
                self.finish_every_attempt(connection, id, MailResult::ConnectTimedOut);
                self.interactive_ended(id, InteractiveStatus::TimedOut);
            }
            TcpEvent::Closed | TcpEvent::Reset | TcpEvent::TimedOut => {
                if let Application::Client(client) = &mut connection.app {
                    client.connection_closed();
                }
                self.mailbox_connection_ended(connection, id);
                let status = match event {
                    TcpEvent::Closed => InteractiveStatus::Closed,
                    _ => InteractiveStatus::Reset,
                };
                self.interactive_ended(id, status);
            }
            TcpEvent::Connected => {
                connection.established = true;
                self.interactive_established(id);
                self.start_server_session(connection, id);
            }
        }
    }

    /// Drains the application's output and events; `true` if anything moved.
    fn run_application(&mut self, connection: &mut Connection, id: ConnectionId) -> bool {
        let mut progressed = false;
        let host = connection.host;
        let message = connection.message;
        match &mut connection.app {
            Application::Client(client) => {
                while let Some(bytes) = client.poll_output() {
                    progressed = true;
                    let _ = connection.tcp.send(&bytes);
                }
                // The jobs whose outcome came, each with its message: the commands that follow
                // an outcome belong to the next job's message.
                let mut finished = Vec::new();
                let mut message = message;
                let mut closed = false;
                while let Some(event) = client.poll_event() {
                    progressed = true;
                    match event {
                        ClientEvent::Sent { line, .. } => {
                            let line = self.log.text(&line);
                            self.record(EventKind::SmtpCommand {
                                host,
                                connection: id,
                                message: Some(message),
                                line,
                            })
                        }
                        ClientEvent::Finished(outcome) => {
                            finished.push((message, outcome));
                            if finished.len() <= connection.later_messages {
                                message = message.next();
                            }
                        }
                        ClientEvent::Closed => closed = true,
                        _ => {}
                    }
                }
                for (message, outcome) in finished {
                    self.finish_attempt(connection, id, message, MailResult::Smtp(outcome));
                }
                self.follow_message(connection, message);
                if closed {
                    close(connection);
                }
            }
            Application::Accepting | Application::Interactive => {}
            Application::Mailbox(_) => progressed = self.run_mailbox(connection, id),
            Application::Server(server) => {
                while let Some(bytes) = server.poll_output() {
                    progressed = true;
                    let _ = connection.tcp.send(&bytes);
                }
                let mut closed = false;
                let mut accepted = Vec::new();
                while let Some(event) = server.poll_event() {
                    progressed = true;
                    match event {
                        ServerEvent::Replied { reply, .. } => {
                            // As `Display` prints it: the lines joined with `\n`.
                            let mut written = self.frames.lend_buffer();
                            reply.write_text(&mut written);
                            let text = std::str::from_utf8(&written)
                                .expect("replies are written in ASCII");
                            let text = self.log.text(text.trim_end());
                            self.frames.return_buffer(written);
                            self.record(EventKind::SmtpReply {
                                host,
                                connection: id,
                                message: Some(message),
                                code: reply.code.get(),
                                text,
                            })
                        }
                        ServerEvent::MessageAccepted(message) => accepted.push(message),
                        ServerEvent::Closed => closed = true,
                        _ => {}
                    }
                }
                // Cloned only when there is mail to file: this runs for every segment.
                let local_domains = if accepted.is_empty() {
                    Vec::new()
                } else {
                    server.policy().local_domains.clone()
                };
                let limited = server.policy().sending_limit.is_some();
                for accepted in accepted {
                    if let (true, Some(user)) = (limited, &accepted.authenticated_as) {
                        self.count_sent(host, user);
                    }
                    self.file_message(host, connection.message, &accepted, &local_domains);
                    self.handed_over_by_hand(connection);
                }
                if closed {
                    close(connection);
                }
            }
        }
        progressed
    }

    /// Records how the attempt of a client's `message` ended, once.
    fn finish_attempt(
        &mut self,
        connection: &Connection,
        id: ConnectionId,
        message: MessageId,
        result: MailResult,
    ) {
        if !matches!(connection.app, Application::Client(_))
            || self.mail_results.contains_key(&message)
        {
            return;
        }
        let mut text = String::with_capacity(64);
        // Writing to a String cannot fail.
        let _ = fmt::Write::write_fmt(&mut text, format_args!("{result}"));
        let outcome = self.log.text(&text);
        self.record(EventKind::MailAttemptFinished {
            host: connection.host,
            connection: id,
            message,
            delivered: result.is_delivered(),
            outcome,
        });
        self.relay_attempt_finished(message, &result);
        self.mail_results.insert(message, result);
    }

    /// The connection ended before its SMTP session could: every message the client was to
    /// send ends with `result`.
    fn finish_every_attempt(
        &mut self,
        connection: &Connection,
        id: ConnectionId,
        result: MailResult,
    ) {
        let mut message = connection.message;
        for _ in 0..connection.later_messages {
            self.finish_attempt(connection, id, message, result.clone());
            message = message.next();
        }
        self.finish_attempt(connection, id, message, result);
    }

    /// The client of `connection` is on to the job of `message` (the one after those whose
    /// outcome came): its session, and the server's end of it, are about that message now.
    fn follow_message(&mut self, connection: &mut Connection, message: MessageId) {
        if message == connection.message {
            return;
        }
        let moved_on = message.0 - connection.message.0;
        connection.message = message;
        connection.later_messages -= moved_on as usize;
        let server_end = self
            .topology
            .interface_with_address(connection.remote.0)
            .and_then(|interface| {
                let (local, remote) = (connection.local, connection.remote);
                self.stacks[interface.host.index()]
                    .connections
                    .get(&(remote.0, remote.1, local.0, local.1))
                    .copied()
            });
        if let Some(server) = server_end.and_then(|server| self.connections.get_mut(&server)) {
            server.message = message;
        }
    }

    /// [`Command::Accept`](super::Command::Accept): files a message taken outside the world
    /// as `host`'s own server would have, under a new message id.
    pub(super) fn accept_external(
        &mut self,
        host: HostId,
        accepted: &AcceptedMessage,
    ) -> Result<Applied, CommandError> {
        let name = self
            .topology
            .host(host)
            .map(|h| h.name.clone())
            .ok_or(CommandError::UnknownHost(host))?;
        let Some(final_domains) = self.final_domains(host) else {
            return Err(CommandError::NotAMailServer(name));
        };
        if !self.host_is_up(host) {
            return Err(CommandError::HostDown(name));
        }
        let message = self.next_message;
        self.next_message = message.next();
        self.file_message(host, message, accepted, &final_domains);
        Ok(Applied::Accepted { message })
    }

    /// Final delivery for the recipients in the domains this host is final for (its policy's
    /// local domains when it runs no MTA), the outbound queue for the rest.
    fn file_message(
        &mut self,
        host: HostId,
        message: MessageId,
        accepted: &AcceptedMessage,
        local_domains: &[String],
    ) {
        let final_domains = self
            .final_domains(host)
            .unwrap_or_else(|| local_domains.to_vec());
        let queued_for = self.store_locally(host, message, accepted, &final_domains);
        if queued_for.is_empty() {
            return;
        }
        if self.mtas.contains_key(&host) {
            self.enqueue_for_relay(host, message, accepted, &queued_for);
        } else {
            self.record(EventKind::MessageQueued {
                host,
                message,
                queue_id: accepted.queue_id.clone().into(),
            });
        }
    }
}

/// `192.0.2.10`, as `Ipv4Addr` displays it, written octet by octet: every server session
/// records its peer's address.
fn dotted_quad(address: Ipv4Addr) -> String {
    let mut text = String::with_capacity(15);
    for (index, octet) in address.octets().into_iter().enumerate() {
        if index > 0 {
            text.push('.');
        }
        if octet >= 100 {
            text.push(char::from(b'0' + octet / 100));
        }
        if octet >= 10 {
            text.push(char::from(b'0' + octet / 10 % 10));
        }
        text.push(char::from(b'0' + octet % 10));
    }
    text
}

/// Asks TCP for an orderly close, once.
pub(super) fn close(connection: &mut Connection) {
    if !connection.closing {
        connection.closing = true;
        let _ = connection.tcp.close();
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    #[test]
    fn a_dotted_quad_reads_as_ipv4addr_displays_it() {
        for address in [
            Ipv4Addr::new(192, 0, 2, 10),
            Ipv4Addr::new(203, 0, 113, 25),
            Ipv4Addr::new(0, 0, 0, 0),
            Ipv4Addr::new(255, 255, 255, 255),
            Ipv4Addr::new(10, 100, 9, 199),
        ] {
            assert_eq!(super::dotted_quad(address), address.to_string());
        }
    }
}
