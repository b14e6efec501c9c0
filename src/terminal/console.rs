//! The learner's terminal on laptop-ani: a scrollback of what she typed, what the server
//! replied and what her machine said; the prompt's history; and, once she connected, one live
//! SMTP session with a server of the default world, whose accepted mail lands in that server's
//! store. Plain Rust: the UI only renders `Terminal`'s entries and forwards keystrokes.

use std::collections::BTreeMap;

use super::completion::{complete, Completion, CompletionContext};
use super::history::History;
use super::local_command::{parse_local, LocalCommand};
use super::notice::Notice;
use crate::mail::mailbox::MailStore;
use crate::proto::smtp::{Envelope, PeerInfo, Reply, ServerEvent, SessionState, SmtpServer, Verb};
use crate::sim::default_world::{host, smtp_service, ALPHA_DOMAIN, LEARNER_HOST};

/// How a line the learner typed was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// A command for laptop-ani itself.
    Local,
    /// A protocol command sent to the server.
    Command,
    /// A message line sent after 354.
    MessageLine,
}

/// One item of the scrollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Typed {
        text: String,
        kind: LineKind,
    },
    Reply {
        reply: Reply,
        answered: Option<Verb>,
    },
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
    pub state: SessionState,
    pub envelope: Envelope,
    pub authenticated_as: Option<String>,
}

struct Connection {
    host: &'static str,
    port: u16,
    server: SmtpServer,
}

/// How many scrollback entries are kept; the oldest fall off.
const SCROLLBACK_CAPACITY: usize = 1000;

/// The terminal and the mail servers it can reach.
pub struct Terminal {
    lines: Vec<ScrollbackLine>,
    next_id: u64,
    history: History,
    connection: Option<Connection>,
    stores: BTreeMap<&'static str, MailStore>,
    sessions_opened: u64,
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
            stores: BTreeMap::new(),
            sessions_opened: 0,
        };
        terminal.push(Entry::Notice(Notice::Welcome));
        terminal
    }

    pub fn lines(&self) -> &[ScrollbackLine] {
        &self.lines
    }

    /// The learner submits one line at virtual/real time `now` (Unix seconds).
    pub fn submit(&mut self, line: &str, now: i64) {
        let line = line.trim_end_matches(['\r', '\n']);
        if self.connection.is_some() {
            let kind = if self.in_data_mode() {
                LineKind::MessageLine
            } else {
                LineKind::Command
            };
            if kind == LineKind::Command {
                self.history.push(line);
            }
            self.push(Entry::Typed {
                text: line.to_string(),
                kind,
            });
            self.send_to_server(line, now);
        } else {
            self.history.push(line);
            self.push(Entry::Typed {
                text: line.to_string(),
                kind: LineKind::Local,
            });
            self.run_local(line);
        }
    }

    /// Pasted text: each line is submitted in turn, as a real terminal would send them.
    pub fn submit_pasted(&mut self, text: &str, now: i64) {
        let text = text.strip_suffix('\n').unwrap_or(text);
        for line in text.split('\n') {
            self.submit(line, now);
        }
    }

    /// Ctrl+L or `clear`: empties the scrollback (the connection stays open).
    pub fn clear(&mut self) {
        self.lines.clear();
    }

    /// Drops the connection without QUIT, like closing the telnet window.
    pub fn disconnect(&mut self) {
        if let Some(connection) = self.connection.take() {
            self.push(Entry::Notice(Notice::Disconnected {
                host: connection.host.to_string(),
            }));
        }
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
        self.connection
            .as_ref()
            .is_some_and(|c| c.server.state() == SessionState::Data)
    }

    /// The prompt label: where the typed line will go.
    pub fn prompt(&self) -> String {
        match &self.connection {
            None => format!("{LEARNER_HOST}$"),
            Some(c) if c.server.state() == SessionState::Data => "data>".to_string(),
            Some(c) => format!("{}:{}>", c.host, c.port),
        }
    }

    pub fn session(&self) -> Option<SessionView> {
        self.connection.as_ref().map(|c| SessionView {
            host: c.host.to_string(),
            port: c.port,
            state: c.server.state(),
            envelope: c.server.envelope().clone(),
            authenticated_as: c.server.authenticated_user().map(str::to_string),
        })
    }

    /// The mail held by `host` (empty if it holds none yet).
    pub fn store(&self, host: &str) -> Option<&MailStore> {
        self.stores.get(host)
    }

    /// Every server that holds mail, by host name.
    pub fn stores(&self) -> impl Iterator<Item = (&str, &MailStore)> {
        self.stores.iter().map(|(host, store)| (*host, store))
    }

    fn completion_context(&self) -> CompletionContext {
        match &self.connection {
            None => CompletionContext::Local,
            Some(_) if self.in_data_mode() => CompletionContext::Data,
            Some(_) => CompletionContext::Smtp,
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

    fn run_local(&mut self, line: &str) {
        let notice = match parse_local(line) {
            LocalCommand::Empty => return,
            LocalCommand::Clear => return self.clear(),
            LocalCommand::Help => Notice::Help,
            LocalCommand::Quit => Notice::NotConnected,
            LocalCommand::ConnectUsage => Notice::ConnectUsage,
            LocalCommand::SmtpWhileDisconnected(verb) => Notice::SmtpWhileDisconnected(verb),
            LocalCommand::Unknown(word) => Notice::UnknownLocal(word),
            LocalCommand::Connect { host, port } => return self.connect(&host, port),
        };
        self.push(Entry::Notice(notice));
    }

    fn connect(&mut self, host_name: &str, port: u16) {
        let Some(server_host) = host(host_name) else {
            return self.push(Entry::Notice(Notice::UnknownHost {
                host: host_name.chars().take(64).collect(),
            }));
        };
        let Some(policy) = smtp_service(server_host.name, port) else {
            return self.push(Entry::Notice(Notice::ConnectionRefused {
                host: server_host.name.to_string(),
                port,
            }));
        };
        self.sessions_opened += 1;
        let learner_address = host(LEARNER_HOST).map_or("", |h| h.address);
        let peer = PeerInfo {
            address: learner_address.to_string(),
            name: Some(format!("{LEARNER_HOST}.{ALPHA_DOMAIN}")),
            session_id: self.sessions_opened,
        };
        self.push(Entry::Notice(Notice::Connecting {
            host: server_host.name.to_string(),
            port,
            address: server_host.address.to_string(),
        }));
        self.connection = Some(Connection {
            host: server_host.name,
            port,
            server: SmtpServer::new(policy, peer, 0),
        });
        self.drain_server();
    }

    fn send_to_server(&mut self, line: &str, now: i64) {
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        connection.server.set_time(now);
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        connection.server.handle_input(&bytes);
        self.drain_server();
    }

    /// Moves everything the server produced into the scrollback and the mail store.
    fn drain_server(&mut self) {
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        while connection.server.poll_output().is_some() {}
        let host = connection.host;
        let local_domains = connection.server.policy().local_domains.clone();
        let mut closed = false;
        let mut entries = Vec::new();
        while let Some(event) = connection.server.poll_event() {
            match event {
                ServerEvent::Replied { to, reply } => entries.push(Entry::Reply {
                    reply,
                    answered: to,
                }),
                ServerEvent::DotUnstuffed { line } => {
                    entries.push(Entry::Notice(Notice::DotUnstuffed { line }))
                }
                ServerEvent::MessageAccepted(message) => {
                    let disposition = self
                        .stores
                        .entry(host)
                        .or_default()
                        .accept(&message, &local_domains);
                    if !disposition.delivered_to.is_empty() {
                        entries.push(Entry::Notice(Notice::Delivered {
                            queue_id: message.queue_id.clone(),
                            recipients: disposition.delivered_to,
                        }));
                    }
                    if !disposition.queued_for.is_empty() {
                        entries.push(Entry::Notice(Notice::QueuedForRelay {
                            queue_id: message.queue_id,
                            recipients: disposition.queued_for,
                        }));
                    }
                }
                ServerEvent::Authenticated { .. } => {}
                ServerEvent::Closed => closed = true,
            }
        }
        if closed {
            self.connection = None;
            entries.push(Entry::Notice(Notice::ConnectionClosed {
                host: host.to_string(),
            }));
        }
        for entry in entries {
            self.push(entry);
        }
    }
}
