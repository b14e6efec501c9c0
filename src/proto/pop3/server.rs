//! One POP3 server session as a sans-IO state machine (RFC 1939, with CAPA, RESP-CODES and
//! AUTH-RESP-CODE of RFC 2449 and RFC 3206).
//!
//! Login is USER and PASS, or APOP (RFC 1939 §7): the greeting ends in a timestamp that is
//! new for every session (`<session.1@host>`), and the client proves it knows the password
//! by sending the MD5 digest of the timestamp followed by the password, so the password
//! itself never crosses the network.
//!
//! Feed client bytes with [`Pop3Server::handle_input`] (split anywhere), then drain
//! [`Pop3Server::poll_output`] and [`Pop3Server::poll_event`]. The maildrop is the caller's:
//! after a good `PASS` the session asks for it with [`Pop3Event::MaildropWanted`] and waits
//! (reading nothing more) until [`Pop3Server::grant_maildrop`] hands over its messages, or
//! [`Pop3Server::refuse_maildrop`] says another session holds it (`-ERR [IN-USE]`, RFC 2449
//! §8.1.1). Deletions are only marked; they happen when `QUIT` ends the TRANSACTION state
//! ([`Pop3Event::Committed`]) — a connection that drops without `QUIT` deletes nothing
//! (RFC 1939 §6).
//!
//! Sizes count every line ending as the two octets CRLF, as the message is stored; a message
//! is sent dot-stuffed (a line that starts with `.` gets one more) and ends with `.` CRLF.

use std::collections::VecDeque;

use md5::{Digest, Md5};

use super::command::{self, Command, CommandError, MAX_COMMAND_LINE};
use crate::proto::line::{CommandLine, CommandLineReader};
use crate::proto::login::Login;

/// The three states of RFC 1939 §3, and the moment between a good password and the maildrop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pop3State {
    /// Greeting sent: USER and PASS, CAPA, QUIT.
    Authorization,
    /// Password accepted; waiting for the maildrop to be locked for this session.
    OpeningMaildrop,
    /// Maildrop locked: STAT, LIST, RETR, DELE, TOP, UIDL, RSET, NOOP, QUIT.
    Transaction,
    /// QUIT answered: deletions done, nothing more is read.
    Update,
}

/// A message of the maildrop, as the session sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaildropMessage {
    /// Its unique id for UIDL: stays the same across sessions (RFC 1939 §7).
    pub uid: String,
    /// The stored bytes, CRLF line endings.
    pub content: Vec<u8>,
}

/// What happened in the session, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pop3Event {
    /// The server sent a status line: `+OK …` when `ok`, `-ERR …` otherwise, answering
    /// `command` (`None`: the greeting, or a line that was no command).
    Replied {
        command: Option<&'static str>,
        ok: bool,
        text: String,
    },
    /// `user` gave the right password: lock their maildrop and grant it, or refuse it.
    MaildropWanted { user: String },
    /// `QUIT` in the TRANSACTION state: remove these messages (indexes into the granted
    /// maildrop, from 0) and unlock the maildrop.
    Committed { user: String, deleted: Vec<usize> },
    /// The session is over; `committed` says whether deletions were made. Without `QUIT`,
    /// the caller unlocks the maildrop and deletes nothing.
    Closed { committed: bool },
}

/// One POP3 session (sans-IO).
pub struct Pop3Server {
    hostname: String,
    accounts: Vec<Login>,
    /// The greeting's `<…>` that APOP digests are made from.
    timestamp: String,
    state: Pop3State,
    /// The name from `USER`, waiting for `PASS`.
    pending_user: Option<String>,
    user: Option<String>,
    maildrop: Vec<MaildropMessage>,
    deleted: Vec<bool>,
    reader: CommandLineReader,
    /// Bytes received and not yet read as lines (held while the maildrop is being opened).
    input: Vec<u8>,
    output: VecDeque<u8>,
    events: VecDeque<Pop3Event>,
}

impl Pop3Server {
    /// A new session on `hostname`; its greeting is queued at once. `session` must differ
    /// between sessions: it makes the greeting's APOP timestamp unique.
    pub fn new(hostname: &str, accounts: Vec<Login>, session: u64) -> Pop3Server {
        let timestamp = format!("<session.{session}@{hostname}>");
        let mut server = Pop3Server {
            hostname: hostname.to_string(),
            accounts,
            timestamp: timestamp.clone(),
            state: Pop3State::Authorization,
            pending_user: None,
            user: None,
            maildrop: Vec::new(),
            deleted: Vec::new(),
            reader: CommandLineReader::new(MAX_COMMAND_LINE),
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
        };
        let greeting = format!("{hostname} POP3 server ready {timestamp}");
        server.status(None, true, &greeting);
        server
    }

    pub fn state(&self) -> Pop3State {
        self.state
    }

    /// The logged-in user, once the password was accepted.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Messages not marked deleted, and their octets.
    pub fn stat(&self) -> (usize, usize) {
        self.live()
            .fold((0, 0), |(n, size), (_, m)| (n + 1, size + m.content.len()))
    }

    /// Reads what the client sent; anything after `QUIT` is ignored.
    pub fn handle_input(&mut self, bytes: &[u8]) {
        if self.state == Pop3State::Update {
            return;
        }
        self.input.extend_from_slice(bytes);
        self.read_lines();
    }

    /// The maildrop of the user who just logged in, locked for this session.
    pub fn grant_maildrop(&mut self, messages: Vec<MaildropMessage>) {
        if self.state != Pop3State::OpeningMaildrop {
            return;
        }
        self.deleted = vec![false; messages.len()];
        self.maildrop = messages;
        self.state = Pop3State::Transaction;
        let (count, size) = self.stat();
        let text = format!(
            "maildrop locked and ready, {} ({size} octets)",
            count_messages(count)
        );
        self.status(Some("PASS"), true, &text);
        self.read_lines();
    }

    /// Another session holds the maildrop: the login fails and the session may try again.
    pub fn refuse_maildrop(&mut self) {
        if self.state != Pop3State::OpeningMaildrop {
            return;
        }
        self.state = Pop3State::Authorization;
        self.user = None;
        self.status(
            Some("PASS"),
            false,
            "[IN-USE] the maildrop is open in another session; close that one first",
        );
        self.read_lines();
    }

    /// The connection is gone without `QUIT`: nothing is deleted.
    pub fn connection_lost(&mut self) {
        if self.state != Pop3State::Update {
            self.state = Pop3State::Update;
            self.events
                .push_back(Pop3Event::Closed { committed: false });
        }
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        if self.output.is_empty() {
            None
        } else {
            Some(self.output.drain(..).collect())
        }
    }

    pub fn poll_event(&mut self) -> Option<Pop3Event> {
        self.events.pop_front()
    }

    fn read_lines(&mut self) {
        while matches!(
            self.state,
            Pop3State::Authorization | Pop3State::Transaction
        ) {
            let (used, line) = self.reader.next_line(&self.input);
            let line = line.map(|line| match line {
                CommandLine::Complete(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
                CommandLine::TooLong => None,
            });
            self.input.drain(..used);
            match line {
                None => return,
                Some(None) => self.status(
                    None,
                    false,
                    &format!("line too long: a command is at most {MAX_COMMAND_LINE} octets"),
                ),
                Some(Some(line)) => match command::parse(&line) {
                    Ok(command) => self.execute(command),
                    Err(error) => self.refuse_line(error),
                },
            }
        }
    }

    fn refuse_line(&mut self, error: CommandError) {
        let keyword = match &error {
            CommandError::Syntax { keyword, .. } => Some(*keyword),
            _ => None,
        };
        self.status(keyword, false, &error.to_string());
    }

    fn execute(&mut self, command: Command) {
        let keyword = Some(command.keyword());
        match (self.state, command) {
            (_, Command::Capa) => self.capabilities(),
            (_, Command::Noop) if self.state == Pop3State::Transaction => {
                self.status(keyword, true, "")
            }
            (Pop3State::Authorization, Command::User(name)) => {
                // The same answer for every name, so a stranger cannot probe for accounts.
                let text = format!("{name}: now send PASS");
                self.pending_user = Some(name);
                self.status(keyword, true, &text);
            }
            (Pop3State::Authorization, Command::Pass(password)) => self.check_password(password),
            (Pop3State::Authorization, Command::Apop { name, digest }) => {
                self.check_digest(name, &digest)
            }
            (Pop3State::Authorization, Command::Quit) => {
                self.state = Pop3State::Update;
                let text = format!("{} POP3 server signing off", self.hostname);
                self.status(keyword, true, &text);
                self.events
                    .push_back(Pop3Event::Closed { committed: false });
            }
            (Pop3State::Authorization, _) => {
                self.status(keyword, false, "log in first: USER name, then PASS secret")
            }
            (
                Pop3State::Transaction,
                Command::User(_) | Command::Pass(_) | Command::Apop { .. },
            ) => self.status(keyword, false, "already logged in"),
            (Pop3State::Transaction, command) => self.transaction(command),
            (Pop3State::OpeningMaildrop | Pop3State::Update, _) => {}
        }
    }

    fn check_password(&mut self, password: String) {
        let Some(user) = self.pending_user.take() else {
            return self.status(Some("PASS"), false, "give USER first, then PASS");
        };
        let known = self
            .accounts
            .iter()
            .any(|account| account.user == user && account.password == password);
        self.logged_in_or_refused(known.then_some(user), "PASS");
    }

    fn check_digest(&mut self, name: String, digest: &str) {
        let expected = |password: &str| {
            let sum = Md5::digest(format!("{}{password}", self.timestamp).as_bytes());
            sum.iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let known = self
            .accounts
            .iter()
            .any(|account| account.user == name && expected(&account.password) == digest);
        self.logged_in_or_refused(known.then_some(name), "APOP");
    }

    /// Asks for `user`'s maildrop, or says the login failed.
    fn logged_in_or_refused(&mut self, user: Option<String>, command: &'static str) {
        let Some(user) = user else {
            return self.status(
                Some(command),
                false,
                "[AUTH] wrong user name or password; start again with USER",
            );
        };
        self.state = Pop3State::OpeningMaildrop;
        self.user = Some(user.clone());
        self.events.push_back(Pop3Event::MaildropWanted { user });
    }

    fn transaction(&mut self, command: Command) {
        let keyword = Some(command.keyword());
        match command {
            Command::Stat => {
                let (count, size) = self.stat();
                self.status(keyword, true, &format!("{count} {size}"));
            }
            Command::List(None) => {
                let (count, size) = self.stat();
                let lines: Vec<String> = self
                    .live()
                    .map(|(number, m)| format!("{number} {}", m.content.len()))
                    .collect();
                let text = format!("{} ({size} octets)", count_messages(count));
                self.listing(keyword, &text, &lines);
            }
            Command::List(Some(number)) => {
                if let Some(message) = self.message(keyword, number) {
                    let text = format!("{number} {}", message.content.len());
                    self.status(keyword, true, &text);
                }
            }
            Command::Uidl(None) => {
                let lines: Vec<String> = self
                    .live()
                    .map(|(number, m)| format!("{number} {}", m.uid))
                    .collect();
                self.listing(keyword, "unique ids follow", &lines);
            }
            Command::Uidl(Some(number)) => {
                if let Some(message) = self.message(keyword, number) {
                    let text = format!("{number} {}", message.uid);
                    self.status(keyword, true, &text);
                }
            }
            Command::Retr(number) => {
                if let Some(message) = self.message(keyword, number) {
                    let content = message.content.clone();
                    let text = format!("{} octets", content.len());
                    self.status(keyword, true, &text);
                    self.send_dot_stuffed(&content);
                }
            }
            Command::Top(number, lines) => {
                if let Some(message) = self.message(keyword, number) {
                    let top = header_and_lines(&message.content, lines);
                    self.status(keyword, true, "top of message follows");
                    self.send_dot_stuffed(&top);
                }
            }
            Command::Dele(number) => {
                if self.message(keyword, number).is_some() {
                    self.deleted[number as usize - 1] = true;
                    let text = format!("message {number} marked; it goes at QUIT");
                    self.status(keyword, true, &text);
                }
            }
            Command::Rset => {
                self.deleted.iter_mut().for_each(|d| *d = false);
                let (count, size) = self.stat();
                let text = format!(
                    "nothing is marked now, {} ({size} octets)",
                    count_messages(count)
                );
                self.status(keyword, true, &text);
            }
            Command::Quit => self.quit(),
            Command::Noop
            | Command::Capa
            | Command::User(_)
            | Command::Pass(_)
            | Command::Apop { .. } => {}
        }
    }

    /// The UPDATE state (RFC 1939 §6): the marked messages go, the maildrop is released.
    fn quit(&mut self) {
        let deleted: Vec<usize> = (0..self.deleted.len())
            .filter(|&i| self.deleted[i])
            .collect();
        let (left, _) = self.stat();
        self.state = Pop3State::Update;
        let text = format!(
            "{} POP3 server signing off ({} deleted, {left} left)",
            self.hostname,
            deleted.len()
        );
        self.status(Some("QUIT"), true, &text);
        self.events.push_back(Pop3Event::Committed {
            user: self.user.clone().unwrap_or_default(),
            deleted,
        });
        self.events.push_back(Pop3Event::Closed { committed: true });
    }

    /// Message `number` (from 1) if it exists and is not marked deleted; otherwise the
    /// `-ERR` that says which.
    fn message(&mut self, keyword: Option<&'static str>, number: u32) -> Option<&MaildropMessage> {
        let index = number as usize - 1;
        match self.deleted.get(index) {
            None => {
                let count = self.maildrop.len();
                self.status(
                    keyword,
                    false,
                    &format!("no message {number}: the maildrop has {count}"),
                );
                None
            }
            Some(true) => {
                self.status(
                    keyword,
                    false,
                    &format!("message {number} is already deleted"),
                );
                None
            }
            Some(false) => self.maildrop.get(index),
        }
    }

    /// Messages not marked deleted, numbered from 1.
    fn live(&self) -> impl Iterator<Item = (usize, &MaildropMessage)> {
        self.maildrop
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.deleted[*i])
            .map(|(i, m)| (i + 1, m))
    }

    fn capabilities(&mut self) {
        let lines = [
            "USER",
            "TOP",
            "UIDL",
            "RESP-CODES",
            "AUTH-RESP-CODE",
            "PIPELINING",
            "IMPLEMENTATION Kurir",
        ]
        .map(String::from);
        self.listing(Some("CAPA"), "capability list follows", &lines);
    }

    fn status(&mut self, command: Option<&'static str>, ok: bool, text: &str) {
        let sign = if ok { "+OK" } else { "-ERR" };
        let line = if text.is_empty() {
            format!("{sign}\r\n")
        } else {
            format!("{sign} {text}\r\n")
        };
        self.output.extend(line.as_bytes());
        self.events.push_back(Pop3Event::Replied {
            command,
            ok,
            text: text.to_string(),
        });
    }

    /// `+OK text`, then one line each, then the lone dot.
    fn listing(&mut self, command: Option<&'static str>, text: &str, lines: &[String]) {
        self.status(command, true, text);
        for line in lines {
            self.output.extend(line.as_bytes());
            self.output.extend(b"\r\n");
        }
        self.output.extend(b".\r\n");
    }

    /// A message's lines, a dot doubled at the start of each line that has one, and `.` CRLF.
    fn send_dot_stuffed(&mut self, content: &[u8]) {
        for line in content.split_inclusive(|&b| b == b'\n') {
            if line.first() == Some(&b'.') {
                self.output.push_back(b'.');
            }
            self.output.extend(line);
        }
        if !content.is_empty() && !content.ends_with(b"\r\n") {
            self.output.extend(b"\r\n");
        }
        self.output.extend(b".\r\n");
    }
}

/// `1 message`, `2 messages`.
fn count_messages(count: usize) -> String {
    match count {
        1 => "1 message".to_string(),
        n => format!("{n} messages"),
    }
}

/// The header section, the blank line, and the first `lines` lines of the body (RFC 1939 §7).
fn header_and_lines(content: &[u8], lines: u32) -> Vec<u8> {
    let body_start = content
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(content.len(), |at| at + 4);
    let (header, body) = content.split_at(body_start);
    let mut top = header.to_vec();
    top.extend(
        body.split_inclusive(|&b| b == b'\n')
            .take(lines as usize)
            .flatten(),
    );
    top
}

#[cfg(test)]
mod tests;
