//! The learner's terminal on laptop-ani: a scrollback of what she typed, what the server
//! replied and what her machine said; the prompt's history; and, once she connected, one live
//! TCP connection through the simulated world ([`Command::Connect`]). Her lines go onto the
//! wire as she typed them (plus CRLF), like telnet; what comes back is read in the protocol of
//! the port she connected to ([`Talk`]: SMTP, POP3 or IMAP) and explained. Between two lines
//! the terminal lets simulated time run until nothing is in flight on the connection
//! ([`World::interactive_settled`]), so every reply has arrived; what arrives later (IMAP
//! IDLE news) is picked up by [`Terminal::poll`]. Plain Rust: the UI only renders
//! `Terminal`'s entries and forwards keystrokes.

use std::net::Ipv4Addr;

use super::completion::{complete, Completion, CompletionContext};
use super::history::History;
use super::imap_reader::ImapResponse;
use super::local_command::{parse_local, LocalCommand};
use super::notice::Notice;
use super::pop3_reader::Pop3Reply;
use super::talk::Talk;
use crate::proto::imap::server::ImapState;
use crate::proto::pop3::Pop3State;
use crate::proto::smtp::{Envelope, Reply, SessionState, Verb};
use crate::sim::default_world::LEARNER_HOST;
use crate::sim::event::EventKind;
use crate::sim::id::{ConnectionId, HostId, MessageId};
use crate::sim::time::SimDuration;
use crate::sim::world::{Applied, Command, CommandError, InteractiveStatus, World};

/// How a line the learner typed was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A command for laptop-ani itself.
    Local,
    /// A protocol command sent to the server.
    Command,
    /// Data sent as part of something bigger: a message line after 354, an IMAP literal.
    MessageLine,
}

/// One item of the scrollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Typed {
        text: String,
        kind: LineKind,
    },
    /// An SMTP reply and the command it answers.
    Reply {
        reply: Reply,
        answered: Option<Verb>,
    },
    /// A POP3 status line, with the body of a multi-line reply.
    Pop3(Pop3Reply),
    /// An IMAP response, literals included.
    Imap(ImapResponse),
    Notice(Notice),
}

/// An entry with an id that stays the same while it is on screen (for keyed rendering).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScrollbackLine {
    pub id: u64,
    pub entry: Entry,
}

/// What the side panel shows about the open session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionView {
    pub host: String,
    pub port: u16,
    pub details: SessionDetails,
}

/// The session as its server sees it, per protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionDetails {
    Smtp {
        state: SessionState,
        envelope: Envelope,
        authenticated_as: Option<String>,
    },
    Pop3 {
        state: Pop3State,
        user: Option<String>,
        /// Messages not marked for deletion, and their octets (in TRANSACTION).
        messages: Option<(usize, usize)>,
    },
    Imap {
        state: ImapState,
        user: Option<String>,
        folder: Option<String>,
        idling: bool,
    },
}

/// The open connection, as the terminal sees it from the learner's end.
struct Connection {
    id: ConnectionId,
    host: String,
    port: u16,
    /// How much of the world's received bytes has been shown.
    read: usize,
    talk: Talk,
    /// How many of the messages the server took have been announced.
    announced: usize,
    /// Where the log was when the terminal last looked.
    events_seen: usize,
}

/// How many scrollback entries are kept; the oldest fall off.
const SCROLLBACK_CAPACITY: usize = 1000;
/// How long the terminal lets simulated time run for one line at most: past the 63 s a
/// connect takes to time out, and many retransmissions of a lost segment.
const WAIT_LIMIT: SimDuration = SimDuration::from_secs(120);
/// A bound on the world's steps for one line, so a busy world cannot hang the terminal.
const STEP_LIMIT: usize = 200_000;

/// The terminal of laptop-ani; the world it talks through is passed to each call.
pub struct Terminal {
    lines: Vec<ScrollbackLine>,
    next_id: u64,
    history: History,
    connection: Option<Connection>,
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

impl Terminal {
    /// A fresh terminal greeting the learner.
    pub fn new() -> Self {
        let mut terminal = Terminal {
            lines: Vec::new(),
            next_id: 0,
            history: History::new(),
            connection: None,
        };
        terminal.push(Entry::Notice(Notice::Welcome));
        terminal
    }

    pub fn lines(&self) -> &[ScrollbackLine] {
        &self.lines
    }

    /// The learner submits one line; simulated time runs until its answer has arrived.
    pub fn submit(&mut self, world: &mut World, line: &str) {
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(connection) = &self.connection {
            let kind = connection.talk.line_kind();
            if kind == LineKind::Command {
                self.history.push(line);
            }
            self.push(Entry::Typed {
                text: line.to_string(),
                kind,
            });
            self.send_line(world, line);
        } else {
            self.history.push(line);
            self.push(Entry::Typed {
                text: line.to_string(),
                kind: LineKind::Local,
            });
            self.run_local(world, line);
        }
    }

    /// Pasted text: each line is submitted in turn, as a real terminal would send them.
    /// Returns how long the world's event log was before the last line went, so a player
    /// can show that line's exchange rather than the whole paste.
    pub fn submit_pasted(&mut self, world: &mut World, text: &str) -> usize {
        let text = text.strip_suffix('\n').unwrap_or(text);
        let mut last_line_from = world.events().len();
        for line in text.split('\n') {
            last_line_from = world.events().len();
            self.submit(world, line);
        }
        last_line_from
    }

    /// Ctrl+L or `clear`: empties the scrollback (the connection stays open).
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Closes the connection without QUIT, like closing the telnet window: a FIN, and the
    /// server forgets the unfinished transaction.
    pub fn disconnect(&mut self, world: &mut World) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        // A connection the world already closed has nothing left to hang up.
        let _ = world.apply(Command::Hangup {
            connection: connection.id,
        });
        wait_until_settled(world, connection.id);
        self.push(Entry::Notice(Notice::Disconnected {
            host: connection.host,
        }));
    }

    pub fn history_older(&mut self, current: &str) -> Option<String> {
        self.history.older(current).map(str::to_string)
    }

    pub fn history_newer(&mut self) -> Option<String> {
        self.history.newer().map(str::to_string)
    }

    pub fn complete(&self, input: &str) -> Completion {
        complete(input, self.completion_context())
    }

    pub fn is_connected(&self) -> bool {
        self.connection.is_some()
    }

    /// True after 354, while message lines are being collected.
    pub fn in_data_mode(&self) -> bool {
        self.special_prompt() == Some("data>")
    }

    /// True during an IMAP IDLE: the server speaks unasked, and DONE ends it.
    pub fn is_idling(&self) -> bool {
        self.special_prompt() == Some("idle>")
    }

    fn special_prompt(&self) -> Option<&'static str> {
        self.connection.as_ref()?.talk.special_prompt()
    }

    /// The prompt label: where the typed line will go.
    pub fn prompt(&self) -> String {
        match &self.connection {
            None => format!("{LEARNER_HOST}$"),
            Some(c) => match c.talk.special_prompt() {
                Some(prompt) => prompt.to_string(),
                None => format!("{}:{}>", c.host, c.port),
            },
        }
    }

    /// The open session as its server sees it: state, and envelope or mailbox, and login.
    pub fn session(&self, world: &World) -> Option<SessionView> {
        let connection = self.connection.as_ref()?;
        let id = connection.id;
        let details = match &connection.talk {
            Talk::Smtp(_) => {
                let server = world.peer_smtp_session(id);
                SessionDetails::Smtp {
                    state: server.map_or(SessionState::Greeted, |s| s.state()),
                    envelope: server.map(|s| s.envelope().clone()).unwrap_or_default(),
                    authenticated_as: server
                        .and_then(|s| s.authenticated_user().map(str::to_string)),
                }
            }
            Talk::Pop3(_) => {
                let server = world.peer_pop3_session(id);
                let state = server.map_or(Pop3State::Authorization, |s| s.state());
                SessionDetails::Pop3 {
                    state,
                    user: server.and_then(|s| s.user().map(str::to_string)),
                    messages: server
                        .filter(|_| state == Pop3State::Transaction)
                        .map(|s| s.stat()),
                }
            }
            Talk::Imap(imap) => {
                let server = world.peer_imap_session(id);
                SessionDetails::Imap {
                    state: server.map_or(ImapState::NotAuthenticated, |s| s.state()),
                    user: server.and_then(|s| s.user().map(str::to_string)),
                    folder: server.and_then(|s| s.selected_folder().map(str::to_string)),
                    idling: imap.is_idling(),
                }
            }
        };
        Some(SessionView {
            host: connection.host.clone(),
            port: connection.port,
            details,
        })
    }

    /// True when bytes arrived on the connection that [`Terminal::poll`] would show.
    pub fn has_news(&self, world: &World) -> bool {
        self.connection.as_ref().is_some_and(|connection| {
            world
                .interactive(connection.id)
                .is_some_and(|state| state.received.len() > connection.read)
        })
    }

    /// Shows what arrived on the connection since the terminal last looked, without sending
    /// anything (IMAP IDLE news as mail comes in). Returns whether anything new is shown.
    /// Only new bytes are taken: a world stepped back to an earlier moment shows nothing.
    pub fn poll(&mut self, world: &World) -> bool {
        let Some(connection) = self.connection.as_mut() else {
            return false;
        };
        let Some(fresh) = world
            .interactive(connection.id)
            .and_then(|state| state.received.get(connection.read..))
            .filter(|fresh| !fresh.is_empty())
        else {
            return false;
        };
        connection.read += fresh.len();
        let entries = connection.talk.received(fresh);
        let shown = !entries.is_empty();
        for entry in entries {
            self.push(entry);
        }
        shown
    }

    fn completion_context(&self) -> CompletionContext {
        match &self.connection {
            None => CompletionContext::Local,
            Some(c) => c.talk.completion_context(),
        }
    }

    fn push(&mut self, entry: Entry) {
        if self.lines.len() == SCROLLBACK_CAPACITY {
            self.lines.remove(0);
        }
        self.lines.push(ScrollbackLine {
            id: self.next_id,
            entry,
        });
        self.next_id += 1;
    }

    fn run_local(&mut self, world: &mut World, line: &str) {
        let notice = match parse_local(line) {
            LocalCommand::Empty => return,
            LocalCommand::Clear => return self.clear(),
            LocalCommand::Help => Notice::Help,
            LocalCommand::Quit => Notice::NotConnected,
            LocalCommand::ConnectUsage => Notice::ConnectUsage,
            LocalCommand::SmtpWhileDisconnected(verb) => Notice::SmtpWhileDisconnected(verb),
            LocalCommand::ReadingWhileDisconnected { protocol, command } => {
                Notice::ReadingWhileDisconnected { protocol, command }
            }
            LocalCommand::Unknown(word) => Notice::UnknownLocal(word),
            LocalCommand::Connect { host, port } => return self.connect(world, &host, port),
        };
        self.push(Entry::Notice(notice));
    }

    fn connect(&mut self, world: &mut World, host_name: &str, port: u16) {
        let Some((to_host, name, address)) = find_host(world, host_name) else {
            return self.push(Entry::Notice(Notice::UnknownHost {
                host: host_name.chars().take(64).collect(),
            }));
        };
        let Some(from_host) = world.topology().host_id(LEARNER_HOST) else {
            return self.push(Entry::Notice(Notice::NoLearnerHost));
        };
        let id = match world.apply(Command::Connect {
            from_host,
            to_host,
            port,
        }) {
            Ok(Applied::Connected { connection }) => connection,
            Err(CommandError::HostDown(_)) => {
                return self.push(Entry::Notice(Notice::LearnerHostDown));
            }
            Ok(_) | Err(_) => {
                return self.push(Entry::Notice(Notice::NoRoute { host: name }));
            }
        };
        let events_seen = world.events().len();
        wait_until_settled(world, id);
        let Some(state) = world.interactive(id) else {
            return;
        };
        let address = address.to_string();
        let notice = match state.status {
            InteractiveStatus::Established
            | InteractiveStatus::Closed
            | InteractiveStatus::Reset => {
                let handshake = state.established_at.map_or(SimDuration::ZERO, |at| {
                    at.saturating_duration_since(state.opened_at)
                });
                Notice::Connected {
                    host: name.clone(),
                    port,
                    address,
                    handshake_micros: handshake.as_micros(),
                }
            }
            InteractiveStatus::Refused => Notice::ConnectionRefused {
                host: name.clone(),
                port,
            },
            InteractiveStatus::TimedOut | InteractiveStatus::Connecting => {
                Notice::ConnectTimedOut {
                    host: name.clone(),
                    port,
                    address,
                    seconds: world
                        .now()
                        .saturating_duration_since(state.opened_at)
                        .as_micros()
                        / 1_000_000,
                }
            }
        };
        let established = matches!(notice, Notice::Connected { .. });
        self.push(Entry::Notice(notice));
        if !established {
            return;
        }
        self.connection = Some(Connection {
            id,
            host: name,
            port,
            read: 0,
            talk: Talk::for_port(port),
            announced: 0,
            events_seen,
        });
        self.take_arrivals(world);
    }

    fn send_line(&mut self, world: &mut World, line: &str) {
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        let notices = connection.talk.sent(line);
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        let id = connection.id;
        for notice in notices {
            self.push(notice);
        }
        if world
            .apply(Command::Type {
                connection: id,
                bytes,
            })
            .is_ok()
        {
            wait_until_settled(world, id);
        }
        self.take_arrivals(world);
    }

    /// Shows what arrived since the last look: replies, what the server did with a message,
    /// and the end of the connection.
    fn take_arrivals(&mut self, world: &World) {
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        let Some(state) = world.interactive(connection.id) else {
            // The world was rebuilt under the terminal (a rewind): the connection is gone.
            let host = connection.host.clone();
            self.connection = None;
            return self.push(Entry::Notice(Notice::ConnectionClosed { host }));
        };
        let mut entries = Vec::new();
        if let Some(fresh) = state.received.get(connection.read..) {
            entries = connection.talk.received(fresh);
            connection.read = state.received.len();
        }
        let handed_over = &state.handed_over[connection.announced.min(state.handed_over.len())..];
        let new_events = world.events().get(connection.events_seen..).unwrap_or(&[]);
        for &message in handed_over {
            entries.extend(filing_notices(new_events, message));
        }
        connection.announced = state.handed_over.len();
        connection.events_seen = world.events().len();
        if state.status != InteractiveStatus::Established {
            let host = connection.host.clone();
            entries.push(Entry::Notice(match state.status {
                InteractiveStatus::Closed => Notice::ConnectionClosed { host },
                _ => Notice::ConnectionLost { host },
            }));
            self.connection = None;
        }
        for entry in entries {
            self.push(entry);
        }
    }
}

/// A host of the world by name (a trailing dot allowed) or by one of its IPv4 addresses:
/// its id, its name, and the address a connection goes to.
fn find_host(world: &World, wanted: &str) -> Option<(HostId, String, Ipv4Addr)> {
    let topology = world.topology();
    let id = match wanted.parse::<Ipv4Addr>() {
        Ok(address) => topology.interface_with_address(address)?.host,
        Err(_) => topology.host_id(wanted.strip_suffix('.').unwrap_or(wanted))?,
    };
    let host = topology.host(id)?;
    let address = match wanted.parse::<Ipv4Addr>() {
        Ok(address) => address,
        Err(_) => host.primary_address(),
    };
    Some((id, host.name.clone(), address))
}

/// Lets simulated time run until nothing is in flight on connection `id`, within
/// [`WAIT_LIMIT`] and [`STEP_LIMIT`].
fn wait_until_settled(world: &mut World, id: ConnectionId) {
    let deadline = world.now() + WAIT_LIMIT;
    for _ in 0..STEP_LIMIT {
        if world.interactive_settled(id) || world.next_event_at().is_none_or(|at| at > deadline) {
            return;
        }
        world.step();
    }
}

/// What the server did with `message`, from the log: stored in mailboxes, or queued to be
/// relayed on.
fn filing_notices(events: &[crate::sim::event::SimEvent], message: MessageId) -> Vec<Entry> {
    let mut delivered = Vec::new();
    let mut notices = Vec::new();
    for event in events {
        match &event.kind {
            EventKind::MessageDelivered {
                message: m,
                mailbox,
                ..
            } if *m == message => delivered.push(mailbox.to_string()),
            EventKind::MessageQueued {
                message: m,
                queue_id,
                ..
            } if *m == message => notices.push(Entry::Notice(Notice::QueuedForRelay {
                queue_id: queue_id.to_string(),
            })),
            _ => {}
        }
    }
    if !delivered.is_empty() {
        notices.insert(
            0,
            Entry::Notice(Notice::Delivered {
                recipients: delivered,
            }),
        );
    }
    notices
}
