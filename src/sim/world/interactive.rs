//! Connections the learner drives by hand: the terminal's `telnet HOST PORT` from her host.
//!
//! [`Command::Connect`](super::Command::Connect) makes an active open like any other client
//! (SYN, SYN-ACK, ACK on the wire, every state change logged), but no engine runs on the
//! learner's end: [`Command::Type`](super::Command::Type) puts her bytes into TCP as they are,
//! and whatever arrives is kept in order for the terminal to read with
//! [`World::interactive`]. The server end is an ordinary session of the world (SMTP, POP3
//! or IMAP), so a message the learner sends by hand is filed, relayed and delivered like any
//! other, and a message she deletes over POP3 is gone for every client.
//!
//! A terminal waits for an answer the way a person does, by letting time run:
//! [`World::interactive_settled`] says when nothing is left in flight on the connection (every
//! byte either side sent is acknowledged, and a closing connection has closed), so a caller
//! steps the world until then.

use std::net::Ipv4Addr;

use super::mailbox_sessions::MailboxSession;
use super::sessions::{close, Application};
use super::{Applied, CommandError, World};
use crate::net::tcp::TcpState;
use crate::proto::imap::server::ImapServer;
use crate::proto::pop3::Pop3Server;
use crate::proto::smtp::SmtpServer;
use crate::sim::event::EventKind;
use crate::sim::id::{ConnectionId, HostId, MessageId};
use crate::sim::time::SimTime;

/// Where a hand-driven connection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InteractiveStatus {
    /// The SYN is out; no answer yet.
    Connecting,
    /// The three-way handshake completed.
    Established,
    /// Closed in order (FIN both ways), or dropped because the learner's host went down.
    Closed,
    /// The server host answered the SYN with a RST: nothing listens on that port.
    Refused,
    /// No answer to the SYN after every retransmission.
    TimedOut,
    /// The connection was reset or gave up after it was established.
    Reset,
}

/// What the world keeps for the terminal about one hand-driven connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractiveConnection {
    /// The learner's host.
    pub host: HostId,
    /// The server's address and port.
    pub remote: (Ipv4Addr, u16),
    pub status: InteractiveStatus,
    pub opened_at: SimTime,
    pub established_at: Option<SimTime>,
    /// Every byte that arrived, in order; the terminal keeps its own read position.
    pub received: Vec<u8>,
    /// The messages the server took on this connection, each under its own id, oldest first.
    pub handed_over: Vec<MessageId>,
}

impl World {
    /// [`Command::Connect`](super::Command::Connect).
    pub(super) fn connect_by_hand(
        &mut self,
        from_host: HostId,
        to_host: HostId,
        port: u16,
    ) -> Result<Applied, CommandError> {
        let (local_address, remote_address) = self.connection_addresses(from_host, to_host)?;
        let connection = self.next_connection;
        self.interactive.insert(
            connection,
            InteractiveConnection {
                host: from_host,
                remote: (remote_address, port),
                status: InteractiveStatus::Connecting,
                opened_at: self.now,
                established_at: None,
                received: Vec::new(),
                handed_over: Vec::new(),
            },
        );
        let (opened, _) = self.open_active(
            from_host,
            (local_address, remote_address, port),
            Application::Interactive,
        );
        debug_assert_eq!(opened, connection);
        Ok(Applied::Connected { connection })
    }

    /// [`Command::Type`](super::Command::Type): the bytes go into TCP as they are. Each
    /// complete line typed outside a message's text is logged as an `SmtpCommand`.
    pub(super) fn type_by_hand(
        &mut self,
        id: ConnectionId,
        bytes: &[u8],
    ) -> Result<Applied, CommandError> {
        let Some(connection) = self.connections.get_mut(&id) else {
            return Err(CommandError::NotConnected(id));
        };
        if !matches!(connection.app, Application::Interactive) {
            return Err(CommandError::NotConnected(id));
        }
        if connection.tcp.send(bytes).is_err() {
            return Err(CommandError::NotConnected(id));
        }
        let host = connection.host;
        let in_message_text = self
            .peer_smtp_session(id)
            .is_some_and(|server| server.state() == crate::proto::smtp::SessionState::Data);
        let message = self.peer_connection(id).map(|peer| peer.message);
        let reading = self.peer_connection(id).and_then(|peer| match &peer.app {
            Application::Mailbox(session) => Some(session.protocol()),
            _ => None,
        });
        if !in_message_text {
            for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let line = self.log.text(&String::from_utf8_lossy(line));
                self.record(match reading {
                    Some(protocol) => EventKind::MailboxCommand {
                        host,
                        connection: id,
                        protocol,
                        line,
                    },
                    None => EventKind::SmtpCommand {
                        host,
                        connection: id,
                        message,
                        line,
                    },
                });
            }
        }
        self.drive(id);
        Ok(Applied::Done)
    }

    /// [`Command::Hangup`](super::Command::Hangup): an orderly close from the learner's end
    /// (FIN), as closing a telnet window does.
    pub(super) fn hang_up(&mut self, id: ConnectionId) -> Result<Applied, CommandError> {
        let Some(connection) = self.connections.get_mut(&id) else {
            return Err(CommandError::NotConnected(id));
        };
        if !matches!(connection.app, Application::Interactive) {
            return Err(CommandError::NotConnected(id));
        }
        close(connection);
        self.drive(id);
        Ok(Applied::Done)
    }

    /// A hand-driven connection, by the id [`Command::Connect`](super::Command::Connect)
    /// gave; it stays readable after it closed.
    pub fn interactive(&self, id: ConnectionId) -> Option<&InteractiveConnection> {
        self.interactive.get(&id)
    }

    /// True when nothing is in flight on a hand-driven connection: it failed or closed, or it
    /// is established with every byte both ends sent acknowledged and no close under way.
    /// An unknown id is settled.
    pub fn interactive_settled(&self, id: ConnectionId) -> bool {
        let Some(interactive) = self.interactive.get(&id) else {
            return true;
        };
        match interactive.status {
            InteractiveStatus::Connecting => false,
            InteractiveStatus::Established => {
                let Some(connection) = self.connections.get(&id) else {
                    return true;
                };
                // Half-closed: one end's FIN is out, the other's is still to come.
                let closing =
                    matches!(connection.state(), TcpState::FinWait2 | TcpState::CloseWait);
                let peer_sending = self
                    .peer_connection(id)
                    .is_some_and(|peer| !peer.tcp.all_sent_acknowledged());
                !closing && connection.tcp.all_sent_acknowledged() && !peer_sending
            }
            InteractiveStatus::Closed
            | InteractiveStatus::Refused
            | InteractiveStatus::TimedOut
            | InteractiveStatus::Reset => true,
        }
    }

    /// The SMTP server session at the other end of a hand-driven connection, while both ends
    /// are open: what the terminal's session panel shows (state, envelope, login).
    pub fn peer_smtp_session(&self, id: ConnectionId) -> Option<&SmtpServer> {
        match &self.peer_connection(id)?.app {
            Application::Server(server) => Some(server),
            _ => None,
        }
    }

    /// The POP3 server session at the other end of a hand-driven connection, while both ends
    /// are open: what the terminal's session panel shows (state, user, messages).
    pub fn peer_pop3_session(&self, id: ConnectionId) -> Option<&Pop3Server> {
        match &self.peer_connection(id)?.app {
            Application::Mailbox(session) => match session.as_ref() {
                MailboxSession::Pop3Server { server, .. } => Some(server),
                _ => None,
            },
            _ => None,
        }
    }

    /// The IMAP server session at the other end of a hand-driven connection, while both ends
    /// are open: what the terminal's session panel shows (state, user, selected folder).
    pub fn peer_imap_session(&self, id: ConnectionId) -> Option<&ImapServer> {
        match &self.peer_connection(id)?.app {
            Application::Mailbox(session) => match session.as_ref() {
                MailboxSession::ImapServer { server, .. } => Some(server),
                _ => None,
            },
            _ => None,
        }
    }

    /// The other end of connection `id`, if it lives in this world.
    fn peer_connection(&self, id: ConnectionId) -> Option<&super::Connection> {
        let connection = self.connections.get(&id)?;
        let peer_host = self
            .topology
            .interface_with_address(connection.remote.0)?
            .host;
        let key = (
            connection.remote.0,
            connection.remote.1,
            connection.local.0,
            connection.local.1,
        );
        let peer = self.stacks.get(peer_host.index())?.connections.get(&key)?;
        self.connections.get(peer)
    }

    pub(super) fn interactive_received(&mut self, id: ConnectionId, data: &[u8]) {
        if let Some(interactive) = self.interactive.get_mut(&id) {
            interactive.received.extend_from_slice(data);
        }
    }

    pub(super) fn interactive_established(&mut self, id: ConnectionId) {
        let now = self.now;
        if let Some(interactive) = self.interactive.get_mut(&id) {
            interactive.status = InteractiveStatus::Established;
            interactive.established_at = Some(now);
        }
    }

    pub(super) fn interactive_ended(&mut self, id: ConnectionId, status: InteractiveStatus) {
        if let Some(interactive) = self.interactive.get_mut(&id) {
            if matches!(
                interactive.status,
                InteractiveStatus::Connecting | InteractiveStatus::Established
            ) {
                interactive.status = status;
            }
        }
    }

    /// A server session just filed the message it took under `server.message`. When the
    /// client end is driven by hand, the terminal learns that id, and the session's next
    /// message gets an id of its own (a learner may send several on one connection).
    pub(super) fn handed_over_by_hand(&mut self, server: &mut super::Connection) {
        let (local, remote) = (server.local, server.remote);
        let Some(client_host) = self
            .topology
            .interface_with_address(remote.0)
            .map(|interface| interface.host)
        else {
            return;
        };
        let key = (remote.0, remote.1, local.0, local.1);
        let Some(client) = self
            .stacks
            .get(client_host.index())
            .and_then(|stack| stack.connections.get(&key))
            .copied()
        else {
            return;
        };
        if let Some(interactive) = self.interactive.get_mut(&client) {
            interactive.handed_over.push(server.message);
            server.message = self.next_message;
            self.next_message = self.next_message.next();
        }
    }
}
