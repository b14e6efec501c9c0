//! One SMTP server session as a sans-IO state machine (RFC 5321 §3 and §4, extensions of
//! RFC 1870 SIZE, RFC 6152 8BITMIME, RFC 2920 PIPELINING, RFC 2034 ENHANCEDSTATUSCODES,
//! RFC 4954 AUTH with PLAIN (RFC 4616) and LOGIN, RFC 6409 submission).
//!
//! Feed client bytes with [`SmtpServer::handle_input`] (split anywhere), then drain
//! [`SmtpServer::poll_output`] (wire bytes) and [`SmtpServer::poll_event`] (what happened, one
//! `Replied` per reply, in order). Nothing here reads a clock or a random source: the time for
//! trace headers comes from [`SmtpServer::set_time`], queue ids from the session id.
//!
//! Choices a reader should know about:
//! - Command lines may end in a bare LF (telnet); message data may not. Only CRLF `.` CRLF ends
//!   DATA, so a bare-LF or bare-CR "end" can never split one message into two (SMTP smuggling,
//!   CVE-2023-51764). A message that contains any bare CR or LF is **rejected** at its real end
//!   with `550 5.6.0`, never normalised and passed on.
//! - A data line over 1000 octets (RFC 5321 §4.5.3.1.6) or a message over the SIZE limit is
//!   read to its end and then refused (`550 5.6.0`, `552 5.3.4`).
//! - STARTTLS is recognised but not offered (there is no TLS in the simulation): `502 5.5.1`.
//! - EXPN: this server has no mailing lists, so every name gets `550 5.1.1` saying so.
//! - A policy may limit how many messages each authenticated account sends per hour (a shared
//!   relay's rule): MAIL over the limit gets `451 4.7.1`. The count across sessions comes in
//!   with [`SmtpServer::set_sending_ledger`]; the session adds what it accepts itself.
//! - VRFY tells the truth about local users (RFC 5321 §3.5.3: `250` with the full mailbox,
//!   `550` unknown, `553` ambiguous); for a foreign address it answers `252` on the submission
//!   port (it would relay) and `550 5.7.1` on the relay port (it would not).
//! - Enhanced status codes go on every 2xx/4xx/5xx reply except the greeting and the EHLO/HELO
//!   reply, never on 3xx, and only when the extension is enabled in the policy.
//!
//! Where things are:
//! - `policy`: what makes one server differ from another (role, domains, accounts, extensions).
//! - `dispatch`: one command line in, the right handler called, syntax errors answered.
//! - `hello`: EHLO and HELO. `mail_transaction`: MAIL and RCPT. `data`: DATA and the message.
//! - `inquiry`: VRFY, EXPN and HELP. `auth`: AUTH PLAIN and LOGIN.
//! - `sending_limit`: the per-account hourly limit and the count it is checked against.

mod auth;
mod data;
mod dispatch;
mod hello;
mod inquiry;
mod mail_transaction;
mod policy;
mod sending_limit;

use std::collections::{BTreeSet, VecDeque};
use std::fmt;

use super::command::{Verb, MAX_COMMAND_LINE};
use super::reply::{Reply, ReplyCode};
use super::status::EnhancedStatus;
use crate::proto::line::{CommandLine, CommandLineReader, DataReader};

use auth::AuthExchange;
pub use policy::{Account, Accounts, Extensions, PeerInfo, PortRole, ServerPolicy};
pub use sending_limit::{LimitReached, SendingLedger, SendingLimit};

/// Session state, named as a learner would understand it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Greeting sent; waiting for EHLO/HELO.
    Greeted,
    /// Said hello; no mail transaction open.
    Ready,
    /// In an AUTH exchange, waiting for a base64 line.
    Authenticating,
    /// MAIL FROM accepted; waiting for RCPT TO.
    MailFrom,
    /// At least one recipient accepted; RCPT TO or DATA.
    RcptTo,
    /// After 354: collecting message lines until CRLF.CRLF.
    Data,
    /// QUIT answered or 421 sent; nothing more is read.
    Closed,
}

impl fmt::Display for SessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SessionState::Greeted => "greeted, waiting for EHLO",
            SessionState::Ready => "ready for MAIL FROM",
            SessionState::Authenticating => "authenticating",
            SessionState::MailFrom => "sender given, waiting for RCPT TO",
            SessionState::RcptTo => "recipients given, RCPT TO or DATA",
            SessionState::Data => "reading message data",
            SessionState::Closed => "closed",
        })
    }
}

/// The transaction so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `None` before MAIL; `Some("")` for the null reverse-path `<>`.
    pub reverse_path: Option<String>,
    pub recipients: Vec<String>,
    /// Octets of message data collected so far (during DATA).
    pub data_size: u64,
}

/// A message this server took responsibility for (after `250` to the end of data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptedMessage {
    pub queue_id: String,
    /// "" for the null reverse-path.
    pub reverse_path: String,
    pub recipients: Vec<String>,
    /// The message as it will be stored/relayed: our `Received:` line first, then the data as
    /// received after dot-unstuffing, CRLF line endings, without the final `.` line.
    pub content: Vec<u8>,
    /// The authenticated user who submitted it (submission port), if any.
    pub authenticated_as: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerEvent {
    /// The server sent `reply`, answering `to` (`None`: the greeting or a 421 shutdown).
    Replied {
        to: Option<Verb>,
        reply: Reply,
    },
    /// A data line started with "." and one dot was removed (RFC 5321 §4.5.2). `line` counts from 1.
    DotUnstuffed {
        line: usize,
    },
    MessageAccepted(AcceptedMessage),
    Authenticated {
        user: String,
    },
    Closed,
}

/// How the client said hello.
#[derive(Clone, Debug)]
struct ClientHello {
    domain: String,
    extended: bool,
}

/// One SMTP server session (sans-IO).
///
/// Inputs: [`handle_input`](Self::handle_input), [`set_time`](Self::set_time),
/// [`set_sending_ledger`](Self::set_sending_ledger), [`shutdown`](Self::shutdown). Outputs, to
/// drain after every input: [`poll_output`](Self::poll_output), [`poll_event`](Self::poll_event).
/// Getters: [`state`](Self::state), [`envelope`](Self::envelope), [`policy`](Self::policy),
/// [`authenticated_user`](Self::authenticated_user), [`is_closed`](Self::is_closed).
pub struct SmtpServer {
    policy: ServerPolicy,
    peer: PeerInfo,
    now: i64,
    state: SessionState,
    hello: Option<ClientHello>,
    envelope: Envelope,
    /// The mailboxes the envelope's recipients name, as [`SmtpServer::recipient_key`] writes
    /// them: how a recipient named twice is found without comparing it with every other.
    /// Emptied by the first RCPT of each transaction.
    recipient_keys: BTreeSet<String>,
    authenticated_user: Option<String>,
    auth_exchange: Option<AuthExchange>,
    command_lines: CommandLineReader,
    data: Option<DataReader>,
    /// Client bytes not yet used (a partial line).
    pending_input: Vec<u8>,
    output: Vec<u8>,
    events: VecDeque<ServerEvent>,
    messages_accepted: u64,
    /// What each account has sent this hour, for the policy's sending limit.
    sent: SendingLedger,
}

impl SmtpServer {
    /// Starts a session: queues the `220` greeting. `now` is Unix seconds for Received: dates.
    pub fn new(policy: ServerPolicy, peer: PeerInfo, now: i64) -> Self {
        let mut server = Self {
            policy,
            peer,
            now,
            state: SessionState::Greeted,
            hello: None,
            envelope: Envelope::default(),
            recipient_keys: BTreeSet::new(),
            authenticated_user: None,
            auth_exchange: None,
            command_lines: CommandLineReader::new(MAX_COMMAND_LINE),
            data: None,
            // Room for a command line of the longest length, so input never grows it.
            pending_input: Vec::with_capacity(MAX_COMMAND_LINE),
            output: Vec::new(),
            // Room for the replies to a pipelined group, so a short session never grows it.
            events: VecDeque::with_capacity(4),
            messages_accepted: 0,
            sent: SendingLedger::default(),
        };
        let greeting = joined(&[&server.policy.host_name, " ESMTP Kurir ready"]);
        server.send(None, Reply::new(ReplyCode::known(220), None, greeting));
        server
    }

    /// Bytes from the client, split anywhere.
    pub fn handle_input(&mut self, data: &[u8]) {
        if self.state == SessionState::Closed {
            return;
        }
        if self.pending_input.is_empty() {
            // The usual case: whole lines, read where they are without a copy.
            let used = self.read(data);
            if self.state != SessionState::Closed {
                self.pending_input.extend_from_slice(&data[used..]);
            }
            return;
        }
        let mut input = std::mem::take(&mut self.pending_input);
        input.extend_from_slice(data);
        let used = self.read(&input);
        if self.state != SessionState::Closed {
            input.drain(..used);
            self.pending_input = input;
        }
    }

    /// Reads command lines and message data from `input` until it runs out, ends in a partial
    /// line or the session closes. Returns the bytes used.
    fn read(&mut self, input: &[u8]) -> usize {
        let mut used = 0;
        while used < input.len() && self.state != SessionState::Closed {
            let rest = &input[used..];
            if let Some(reader) = self.data.as_mut() {
                used += reader.feed(rest);
                self.envelope.data_size = reader.size();
                self.events.extend(
                    reader
                        .take_unstuffed_lines()
                        .into_iter()
                        .map(|line| ServerEvent::DotUnstuffed { line }),
                );
                if reader.is_finished() {
                    self.end_of_data();
                }
                continue;
            }
            let (line_used, line) = self.command_lines.next_line(rest);
            used += line_used;
            match line {
                Some(CommandLine::Complete(line)) => self.handle_line(line),
                Some(CommandLine::TooLong) => self.line_too_long(),
                None => break,
            }
        }
        used
    }

    /// Updates the time used in trace headers and for the sending limit.
    pub fn set_time(&mut self, now: i64) {
        self.now = now;
    }

    /// What each account has sent through this server so far, in every session: the count
    /// the policy's sending limit is checked against at MAIL.
    pub fn set_sending_ledger(&mut self, ledger: &SendingLedger) {
        self.sent.clone_from(ledger);
    }

    /// The server is going away: queues `421 4.3.2 … closing transmission channel` and closes.
    pub fn shutdown(&mut self) {
        if self.state == SessionState::Closed {
            return;
        }
        let text = format!(
            "{} Service shutting down, closing transmission channel",
            self.policy.host_name
        );
        self.reply(None, 421, EnhancedStatus::SYSTEM_NOT_ACCEPTING, text);
        self.close();
    }

    #[must_use]
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        (!self.output.is_empty()).then(|| std::mem::take(&mut self.output))
    }

    #[must_use]
    pub fn poll_event(&mut self) -> Option<ServerEvent> {
        self.events.pop_front()
    }

    pub fn state(&self) -> SessionState {
        self.state
    }

    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    pub fn policy(&self) -> &ServerPolicy {
        &self.policy
    }

    pub fn authenticated_user(&self) -> Option<&str> {
        self.authenticated_user.as_deref()
    }

    pub fn is_closed(&self) -> bool {
        self.state == SessionState::Closed
    }

    // ---- replies -------------------------------------------------------------------------

    /// Sends a one-line reply; `status` is dropped for 3xx and when ENHANCEDSTATUSCODES is off.
    fn reply(
        &mut self,
        to: Option<Verb>,
        code: u16,
        status: EnhancedStatus,
        text: impl Into<String>,
    ) {
        let code = ReplyCode::known(code);
        let reply = Reply::new(code, self.status_for(code, status), text);
        self.send(to, reply);
    }

    /// Sends a reply that carries no enhanced status (220, 334, 354, EHLO/HELO).
    fn reply_plain(&mut self, to: Option<Verb>, code: u16, text: impl Into<String>) {
        self.send(to, Reply::new(ReplyCode::known(code), None, text));
    }

    fn status_for(&self, code: ReplyCode, status: EnhancedStatus) -> Option<EnhancedStatus> {
        (self.policy.extensions.enhanced_status_codes && code.class() != 3).then_some(status)
    }

    fn send(&mut self, to: Option<Verb>, reply: Reply) {
        reply.write_wire(&mut self.output);
        self.events.push_back(ServerEvent::Replied { to, reply });
    }

    fn close(&mut self) {
        self.state = SessionState::Closed;
        self.data = None;
        self.auth_exchange = None;
        self.pending_input = Vec::new();
        self.events.push_back(ServerEvent::Closed);
    }
}

/// The pieces as one string, allocated once at its final size: how the hot replies are
/// written, without the formatting machinery.
fn joined(pieces: &[&str]) -> String {
    let mut text = String::with_capacity(pieces.iter().map(|piece| piece.len()).sum());
    for piece in pieces {
        text.push_str(piece);
    }
    text
}

#[cfg(test)]
mod tests;
