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
//! - VRFY tells the truth about local users (RFC 5321 §3.5.3: `250` with the full mailbox,
//!   `550` unknown, `553` ambiguous); for a foreign address it answers `252` on the submission
//!   port (it would relay) and `550 5.7.1` on the relay port (it would not).
//! - Enhanced status codes go on every 2xx/4xx/5xx reply except the greeting and the EHLO/HELO
//!   reply, never on 3xx, and only when the extension is enabled in the policy.

use std::collections::VecDeque;
use std::fmt;

use base64::Engine as _;

use super::command::{
    parse_command, parse_mailbox, Command, CommandError, CommandErrorKind, ForwardPath, Mailbox,
    ReversePath, Verb, MAX_COMMAND_LINE,
};
use super::reply::{Reply, ReplyCode};
use super::status::EnhancedStatus;
use super::trace::{received_header, TraceFields, TraceProtocol};
use crate::proto::line::{CommandLine, CommandLineReader, DataReader, ReceivedData};

/// Longest line of message data, CRLF included (RFC 5321 §4.5.3.1.6).
const MAX_TEXT_LINE: usize = 1000;
/// RFC 4954 §4 challenges for LOGIN: base64 of "Username:" and "Password:".
const LOGIN_USERNAME_CHALLENGE: &str = "VXNlcm5hbWU6";
const LOGIN_PASSWORD_CHALLENGE: &str = "UGFzc3dvcmQ6";

/// Which job this listening port does (RFC 6409 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRole {
    /// Port 25: accepts mail for its local domains from anyone; refuses to relay elsewhere.
    Relay,
    /// Port 587: its own users, after AUTH, may send to any domain.
    Submission,
}

/// A mailbox owner on this server; `user` is both the login name and the local part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub user: String,
    pub domain: String,
    pub password: String,
    pub display_name: String,
}

impl Account {
    fn address(&self) -> String {
        format!("{}@{}", self.user, self.domain)
    }
}

/// Which ESMTP extensions EHLO advertises. AUTH is offered only when the role is Submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extensions {
    pub size: bool,
    pub eight_bit_mime: bool,
    pub pipelining: bool,
    pub enhanced_status_codes: bool,
    pub help: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Self {
            size: true,
            eight_bit_mime: true,
            pipelining: true,
            enhanced_status_codes: true,
            help: true,
        }
    }
}

/// Everything that makes one server differ from another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPolicy {
    pub host_name: String,
    pub role: PortRole,
    pub local_domains: Vec<String>,
    pub accounts: Vec<Account>,
    /// SIZE limit in octets of the message as received (after dot-unstuffing, CRLF counted).
    pub max_message_size: u64,
    /// At least 100 (RFC 5321 §4.5.3.1.8); one more gets 452 4.5.3.
    pub max_recipients: usize,
    pub extensions: Extensions,
    /// Addresses ("dewi@beta.example") whose mailbox is full: RCPT gets 452 4.2.2.
    pub full_mailboxes: Vec<String>,
}

impl ServerPolicy {
    fn is_local_domain(&self, domain: &str) -> bool {
        self.local_domains
            .iter()
            .any(|local| local.eq_ignore_ascii_case(domain))
    }

    fn account_for(&self, mailbox: &Mailbox) -> Option<&Account> {
        self.accounts.iter().find(|a| {
            a.user.eq_ignore_ascii_case(&mailbox.local) && mailbox.is_in_domain(&a.domain)
        })
    }

    fn is_mailbox_full(&self, address: &str) -> bool {
        self.full_mailboxes
            .iter()
            .any(|full| full.eq_ignore_ascii_case(address))
    }
}

/// Who is connecting (for the greeting log and the Received: header) and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    /// The client's address as text ("192.0.2.10", "127.0.0.1").
    pub address: String,
    /// Its reverse-DNS name if known ("laptop-ani.alpha.example").
    pub name: Option<String>,
    /// A number unique per server for this connection; queue ids derive from it (no RNG).
    pub session_id: u64,
}

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

/// Where an AUTH exchange stands (RFC 4954 §4).
#[derive(Clone, Debug)]
enum AuthExchange {
    /// Sent `334 ` for PLAIN; waiting for `authzid NUL authcid NUL password` in base64.
    Plain,
    /// Sent the LOGIN username challenge.
    LoginUser,
    /// Sent the LOGIN password challenge.
    LoginPassword { user: String },
}

/// One SMTP server session (sans-IO).
///
/// Inputs: [`handle_input`](Self::handle_input), [`set_time`](Self::set_time),
/// [`shutdown`](Self::shutdown). Outputs, to drain after every input:
/// [`poll_output`](Self::poll_output), [`poll_event`](Self::poll_event).
/// Getters: [`state`](Self::state), [`envelope`](Self::envelope), [`policy`](Self::policy),
/// [`authenticated_user`](Self::authenticated_user), [`is_closed`](Self::is_closed).
pub struct SmtpServer {
    policy: ServerPolicy,
    peer: PeerInfo,
    now: i64,
    state: SessionState,
    hello: Option<ClientHello>,
    envelope: Envelope,
    authenticated_user: Option<String>,
    auth_exchange: Option<AuthExchange>,
    command_lines: CommandLineReader,
    data: Option<DataReader>,
    /// Client bytes not yet used (a partial line).
    pending_input: Vec<u8>,
    output: Vec<u8>,
    events: VecDeque<ServerEvent>,
    messages_accepted: u64,
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
            authenticated_user: None,
            auth_exchange: None,
            command_lines: CommandLineReader::new(MAX_COMMAND_LINE),
            data: None,
            pending_input: Vec::new(),
            output: Vec::new(),
            events: VecDeque::new(),
            messages_accepted: 0,
        };
        let greeting = format!("{} ESMTP Kurir ready", server.policy.host_name);
        server.send(None, Reply::new(ReplyCode::known(220), None, &greeting));
        server
    }

    /// Bytes from the client, split anywhere.
    pub fn handle_input(&mut self, data: &[u8]) {
        if self.state == SessionState::Closed {
            return;
        }
        let mut input = std::mem::take(&mut self.pending_input);
        input.extend_from_slice(data);
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
        if self.state != SessionState::Closed {
            input.drain(..used);
            self.pending_input = input;
        }
    }

    /// Updates the time used in trace headers.
    pub fn set_time(&mut self, now: i64) {
        self.now = now;
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
        self.reply(None, 421, EnhancedStatus::SYSTEM_NOT_ACCEPTING, &text);
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
    fn reply(&mut self, to: Option<Verb>, code: u16, status: EnhancedStatus, text: &str) {
        let code = ReplyCode::known(code);
        let reply = Reply::new(code, self.status_for(code, status), text);
        self.send(to, reply);
    }

    /// Sends a reply that carries no enhanced status (220, 334, 354, EHLO/HELO).
    fn reply_plain(&mut self, to: Option<Verb>, code: u16, text: &str) {
        self.send(to, Reply::new(ReplyCode::known(code), None, text));
    }

    fn status_for(&self, code: ReplyCode, status: EnhancedStatus) -> Option<EnhancedStatus> {
        (self.policy.extensions.enhanced_status_codes && code.class() != 3).then_some(status)
    }

    fn send(&mut self, to: Option<Verb>, reply: Reply) {
        self.output.extend_from_slice(reply.to_wire().as_bytes());
        self.events.push_back(ServerEvent::Replied { to, reply });
    }

    fn close(&mut self) {
        self.state = SessionState::Closed;
        self.data = None;
        self.auth_exchange = None;
        self.pending_input = Vec::new();
        self.events.push_back(ServerEvent::Closed);
    }

    // ---- command dispatch -----------------------------------------------------------------

    fn handle_line(&mut self, line: &[u8]) {
        if self.state == SessionState::Authenticating {
            self.continue_auth(line);
            return;
        }
        match parse_command(line) {
            Ok(command) => self.handle_command(command),
            Err(error) => self.command_error(&error),
        }
    }

    fn line_too_long(&mut self) {
        if self.state == SessionState::Authenticating {
            self.end_auth_exchange();
            self.reply(
                Some(Verb::Auth),
                500,
                EnhancedStatus::new(5, 5, 6),
                "Authentication exchange line is too long; AUTH cancelled",
            );
        } else {
            let text = format!(
                "Line too long: a command line is at most {MAX_COMMAND_LINE} octets with its CRLF"
            );
            self.reply(None, 500, EnhancedStatus::SYNTAX_ERROR, &text);
        }
    }

    fn command_error(&mut self, error: &CommandError) {
        let (code, status) = match error.kind {
            CommandErrorKind::Unknown | CommandErrorKind::LineTooLong => {
                (500, EnhancedStatus::SYNTAX_ERROR)
            }
            CommandErrorKind::Syntax => (501, EnhancedStatus::SYNTAX_ERROR),
            CommandErrorKind::BadParameter => (501, EnhancedStatus::INVALID_ARGUMENTS),
            CommandErrorKind::BadAddress if error.verb == Some(Verb::Mail) => {
                (501, EnhancedStatus::BAD_SENDER_SYNTAX)
            }
            CommandErrorKind::BadAddress => (501, EnhancedStatus::BAD_DESTINATION_SYNTAX),
        };
        self.reply(error.verb, code, status, &error.to_string());
    }

    fn handle_command(&mut self, command: Command) {
        match command {
            Command::Helo { domain } => self.hello(domain, false),
            Command::Ehlo { domain } => self.hello(domain, true),
            Command::Mail { from, size, body_8bit, other_params } => self.mail(from, size, body_8bit, &other_params),
            Command::Rcpt { to, params } => self.rcpt(to, &params),
            Command::Data => self.data(),
            Command::Rset => {
                self.reset_transaction();
                self.reply(Some(Verb::Rset), 250, EnhancedStatus::OK, "Ok, transaction reset");
            }
            Command::Noop => self.reply(Some(Verb::Noop), 250, EnhancedStatus::OK, "Ok"),
            Command::Quit => {
                let text = format!("{} Service closing transmission channel", self.policy.host_name);
                self.reply(Some(Verb::Quit), 221, EnhancedStatus::OK, &text);
                self.close();
            }
            Command::Vrfy { target } => self.vrfy(&target),
            Command::Expn { list } => {
                let text = format!("{list}: no such mailing list; this server has no lists (try VRFY for a user)");
                self.reply(Some(Verb::Expn), 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, &text);
            }
            Command::Help { topic } => self.help(topic.as_deref()),
            Command::Auth { mechanism, initial_response } => self.auth(&mechanism, initial_response.as_deref()),
            Command::StartTls => self.reply(
                Some(Verb::StartTls),
                502,
                EnhancedStatus::INVALID_COMMAND,
                "STARTTLS not offered: this simulated network has no TLS (a real port 587 requires it)",
            ),
        }
    }

    /// Clears the envelope; an open transaction goes back to Ready (RFC 5321 §4.1.1.5).
    fn reset_transaction(&mut self) {
        self.envelope = Envelope::default();
        if matches!(
            self.state,
            SessionState::MailFrom | SessionState::RcptTo | SessionState::Data
        ) {
            self.state = SessionState::Ready;
        }
    }

    // ---- EHLO / HELO (RFC 5321 §4.1.1.1) ---------------------------------------------------

    fn hello(&mut self, domain: String, extended: bool) {
        self.envelope = Envelope::default();
        self.state = SessionState::Ready;
        let host = &self.policy.host_name;
        let greeting = format!("{host} greets {domain}");
        self.hello = Some(ClientHello { domain, extended });
        if !extended {
            self.reply_plain(Some(Verb::Helo), 250, &greeting);
            return;
        }
        let extensions = self.policy.extensions;
        let mut lines = vec![greeting];
        if extensions.size {
            lines.push(format!("SIZE {}", self.policy.max_message_size));
        }
        let advertised = [
            (extensions.eight_bit_mime, "8BITMIME"),
            (extensions.pipelining, "PIPELINING"),
            (extensions.enhanced_status_codes, "ENHANCEDSTATUSCODES"),
            (extensions.help, "HELP"),
            (self.policy.role == PortRole::Submission, "AUTH PLAIN LOGIN"),
        ];
        lines.extend(
            advertised
                .into_iter()
                .filter(|(offered, _)| *offered)
                .map(|(_, keyword)| keyword.to_string()),
        );
        let reply = Reply::multiline(
            ReplyCode::known(250),
            None,
            lines.iter().map(String::as_str),
        );
        self.send(Some(Verb::Ehlo), reply);
    }

    // ---- MAIL (RFC 5321 §4.1.1.2, RFC 1870, RFC 6152) --------------------------------------

    fn mail(
        &mut self,
        from: ReversePath,
        size: Option<u64>,
        body_8bit: bool,
        other_params: &[String],
    ) {
        let to = Some(Verb::Mail);
        match self.state {
            SessionState::Greeted => return self.reply(to, 503, EnhancedStatus::INVALID_COMMAND, "Bad sequence of commands: say EHLO first"),
            SessionState::MailFrom | SessionState::RcptTo => {
                return self.reply(to, 503, EnhancedStatus::INVALID_COMMAND, "Bad sequence of commands: a transaction is already open (finish it with DATA or RSET)")
            }
            _ => {}
        }
        if self.policy.role == PortRole::Submission && self.authenticated_user.is_none() {
            return self.reply(
                to,
                530,
                EnhancedStatus::SECURITY_OTHER,
                "Authentication required: AUTH first",
            );
        }
        let extensions = self.policy.extensions;
        let unsupported = other_params
            .first()
            .map(String::as_str)
            .or(size.filter(|_| !extensions.size).map(|_| "SIZE"))
            .or(body_8bit
                .then_some("BODY=8BITMIME")
                .filter(|_| !extensions.eight_bit_mime));
        if let Some(param) = unsupported {
            let text = format!(
                "Syntax: {} (parameter {param} is not supported here)",
                Verb::Mail.syntax()
            );
            return self.reply(to, 501, EnhancedStatus::INVALID_ARGUMENTS, &text);
        }
        let max = self.policy.max_message_size;
        if size.is_some_and(|declared| declared > max) {
            let text = format!("Message size exceeds fixed maximum message size of {max} octets");
            return self.reply(to, 552, EnhancedStatus::MESSAGE_TOO_BIG, &text);
        }
        let sender = match from {
            ReversePath::Null => String::new(),
            ReversePath::Mailbox(mailbox) => mailbox.to_string(),
        };
        let text = format!("Sender <{sender}> ok");
        self.envelope = Envelope {
            reverse_path: Some(sender),
            recipients: Vec::new(),
            data_size: 0,
        };
        self.state = SessionState::MailFrom;
        self.reply(to, 250, EnhancedStatus::SENDER_OK, &text);
    }

    // ---- RCPT (RFC 5321 §4.1.1.3, relay rules §3.6, limits §4.5.3.1.8) ----------------------

    fn rcpt(&mut self, forward_path: ForwardPath, params: &[String]) {
        let to = Some(Verb::Rcpt);
        if !matches!(self.state, SessionState::MailFrom | SessionState::RcptTo) {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: need MAIL FROM before RCPT TO",
            );
        }
        if let Some(param) = params.first() {
            let text = format!(
                "Syntax: {} (parameter {param} is not supported here)",
                Verb::Rcpt.syntax()
            );
            return self.reply(to, 501, EnhancedStatus::INVALID_ARGUMENTS, &text);
        }
        if self.envelope.recipients.len() >= self.policy.max_recipients {
            let text = format!(
                "Too many recipients: at most {} per message",
                self.policy.max_recipients
            );
            return self.reply(to, 452, EnhancedStatus::TOO_MANY_RECIPIENTS, &text);
        }
        let (address, note) = match forward_path {
            ForwardPath::Postmaster => ("Postmaster".to_string(), ""),
            ForwardPath::Mailbox(mailbox) => {
                let address = mailbox.to_string();
                if self.policy.is_local_domain(&mailbox.domain) {
                    let is_postmaster = mailbox.local.eq_ignore_ascii_case("postmaster");
                    if self.policy.account_for(&mailbox).is_none() && !is_postmaster {
                        let text =
                            format!("<{address}>: Recipient address rejected: no such user here");
                        return self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, &text);
                    }
                    if self.policy.is_mailbox_full(&address) {
                        let text = format!("<{address}>: Mailbox full, try again later");
                        return self.reply(to, 452, EnhancedStatus::MAILBOX_FULL, &text);
                    }
                    (address, "")
                } else if self.policy.role == PortRole::Relay {
                    let text = format!("<{address}>: Relay access denied");
                    return self.reply(to, 554, EnhancedStatus::NOT_AUTHORIZED, &text);
                } else {
                    (address, ", queued for relay")
                }
            }
        };
        let text = format!("Recipient <{address}> ok{note}");
        self.envelope.recipients.push(address);
        self.state = SessionState::RcptTo;
        self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, &text);
    }

    // ---- DATA (RFC 5321 §4.1.1.4, §4.5.2) ---------------------------------------------------

    fn data(&mut self) {
        let to = Some(Verb::Data);
        match self.state {
            SessionState::RcptTo => {
                self.data = Some(DataReader::new(self.policy.max_message_size, MAX_TEXT_LINE));
                self.state = SessionState::Data;
                self.reply_plain(to, 354, "End data with <CR><LF>.<CR><LF>");
            }
            SessionState::MailFrom => self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: no valid recipients yet, need RCPT TO before DATA",
            ),
            _ => self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: need MAIL FROM and RCPT TO before DATA",
            ),
        }
    }

    fn end_of_data(&mut self) {
        let Some(reader) = self.data.take() else {
            return;
        };
        let received = reader.finish();
        let to = Some(Verb::Data);
        if received.too_big {
            let text = format!(
                "Message too big: {} octets, the limit is {}",
                received.size, self.policy.max_message_size
            );
            self.reply(to, 552, EnhancedStatus::MESSAGE_TOO_BIG, &text);
        } else if received.bare_line_ending {
            self.reply(
                to,
                550,
                EnhancedStatus::MEDIA_ERROR,
                "Message contains bare CR or LF; every line must end with CRLF (RFC 5321 §2.3.8)",
            );
        } else if let Some(line) = received.first_long_line {
            let text = format!("Line {line} of the message is longer than {MAX_TEXT_LINE} octets (RFC 5321 §4.5.3.1.6)");
            self.reply(to, 550, EnhancedStatus::MEDIA_ERROR, &text);
        } else {
            self.accept_message(received);
        }
        self.reset_transaction();
    }

    fn accept_message(&mut self, received: ReceivedData) {
        self.messages_accepted += 1;
        let queue_id = format!("{:08X}{:04X}", self.peer.session_id, self.messages_accepted);
        let protocol = match (&self.hello, &self.authenticated_user) {
            (Some(hello), _) if !hello.extended => TraceProtocol::Smtp,
            (_, Some(_)) => TraceProtocol::Esmtpa,
            _ => TraceProtocol::Esmtp,
        };
        let header = received_header(&TraceFields {
            helo_domain: self
                .hello
                .as_ref()
                .map_or("unknown", |hello| hello.domain.as_str()),
            peer_name: self.peer.name.as_deref(),
            peer_address: &self.peer.address,
            host_name: &self.policy.host_name,
            protocol,
            queue_id: &queue_id,
            first_recipient: self.envelope.recipients.first().map_or("", String::as_str),
            now: self.now,
        });
        let mut content = header.into_bytes();
        content.extend_from_slice(&received.content);
        let message = AcceptedMessage {
            queue_id: queue_id.clone(),
            reverse_path: self.envelope.reverse_path.clone().unwrap_or_default(),
            recipients: self.envelope.recipients.clone(),
            content,
            authenticated_as: self.authenticated_user.clone(),
        };
        self.reply(
            Some(Verb::Data),
            250,
            EnhancedStatus::OK,
            &format!("Ok: queued as {queue_id}"),
        );
        self.events.push_back(ServerEvent::MessageAccepted(message));
    }

    // ---- VRFY (RFC 5321 §3.5.3, §4.1.1.6) ---------------------------------------------------

    fn vrfy(&mut self, target: &str) {
        let to = Some(Verb::Vrfy);
        let name = target
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(target);
        if name.contains('@') {
            let mailbox = match parse_mailbox(Verb::Vrfy, name) {
                Ok(mailbox) => mailbox,
                Err(error) => return self.command_error(&error),
            };
            if !self.policy.is_local_domain(&mailbox.domain) {
                return match self.policy.role {
                    PortRole::Submission => {
                        let text = format!(
                            "Cannot VRFY <{mailbox}>, but will accept message and attempt delivery"
                        );
                        self.reply(to, 252, EnhancedStatus::DESTINATION_VALID, &text)
                    }
                    PortRole::Relay => {
                        let text = format!(
                            "<{mailbox}>: not a domain of this server, and it does not relay"
                        );
                        self.reply(to, 550, EnhancedStatus::NOT_AUTHORIZED, &text)
                    }
                };
            }
            return match self.policy.account_for(&mailbox) {
                Some(account) => {
                    let text = format!("{} <{}>", account.display_name, account.address());
                    self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, &text)
                }
                None => {
                    let text = format!("<{mailbox}>: no such user here");
                    self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, &text)
                }
            };
        }
        let matches: Vec<&Account> = self
            .policy
            .accounts
            .iter()
            .filter(|a| a.user.eq_ignore_ascii_case(name))
            .collect();
        match matches.as_slice() {
            [account] => {
                let text = format!("{} <{}>", account.display_name, account.address());
                self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, &text);
            }
            [] if name.eq_ignore_ascii_case("postmaster") => {
                self.reply(
                    to,
                    252,
                    EnhancedStatus::DESTINATION_VALID,
                    "Cannot VRFY Postmaster, but will accept message and attempt delivery",
                );
            }
            [] => {
                let text = format!("{name}: no such user here");
                self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, &text);
            }
            several => {
                let addresses: Vec<String> = several
                    .iter()
                    .map(|a| format!("<{}>", a.address()))
                    .collect();
                let text = format!("User ambiguous: {name} could be {}", addresses.join(" or "));
                self.reply(to, 553, EnhancedStatus::new(5, 1, 4), &text);
            }
        }
    }

    // ---- HELP (RFC 5321 §4.1.1.8) -------------------------------------------------------------

    fn help(&mut self, topic: Option<&str>) {
        let to = Some(Verb::Help);
        if !self.policy.extensions.help {
            return self.reply(
                to,
                502,
                EnhancedStatus::INVALID_COMMAND,
                "HELP is not available on this server",
            );
        }
        let status = self.status_for(ReplyCode::known(214), EnhancedStatus::OK);
        let Some(topic) = topic else {
            let mut lines = vec!["Commands (HELP <command> explains one):".to_string()];
            lines.extend(Verb::ALL.iter().map(|verb| verb.syntax().to_string()));
            lines.push("End of HELP".to_string());
            let reply = Reply::multiline(
                ReplyCode::known(214),
                status,
                lines.iter().map(String::as_str),
            );
            return self.send(to, reply);
        };
        let word = topic.split([' ', ':']).next().unwrap_or(topic);
        match Verb::from_word(word.as_bytes()) {
            Some(verb) => {
                let text = format!("{} - {}", verb.syntax(), what_it_does(verb));
                self.send(to, Reply::new(ReplyCode::known(214), status, &text));
            }
            None => {
                let text = format!(
                    "HELP topic \"{topic}\" not recognized; type HELP for the list of commands"
                );
                self.reply(to, 504, EnhancedStatus::INVALID_COMMAND, &text);
            }
        }
    }

    // ---- AUTH (RFC 4954, RFC 4616 PLAIN, LOGIN) -----------------------------------------------

    fn auth(&mut self, mechanism: &str, initial_response: Option<&str>) {
        let to = Some(Verb::Auth);
        if self.policy.role == PortRole::Relay {
            return self.reply(
                to,
                502,
                EnhancedStatus::INVALID_COMMAND,
                "AUTH not available on this port: submit mail on port 587",
            );
        }
        if !self.hello.as_ref().is_some_and(|hello| hello.extended) {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: say EHLO first, AUTH is an ESMTP extension",
            );
        }
        if self.authenticated_user.is_some() {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: already authenticated",
            );
        }
        if self.state != SessionState::Ready {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: AUTH is not allowed inside a mail transaction",
            );
        }
        match (mechanism, initial_response) {
            ("PLAIN", None) => self.challenge(AuthExchange::Plain, ""),
            ("PLAIN", Some(response)) => {
                self.auth_response(AuthExchange::Plain, response.as_bytes())
            }
            ("LOGIN", None) => self.challenge(AuthExchange::LoginUser, LOGIN_USERNAME_CHALLENGE),
            ("LOGIN", Some(response)) => {
                self.auth_response(AuthExchange::LoginUser, response.as_bytes())
            }
            _ => {
                let text = format!("Unrecognized authentication type {mechanism}; this server offers PLAIN and LOGIN");
                self.reply(to, 504, EnhancedStatus::INVALID_ARGUMENTS, &text);
            }
        }
    }

    fn challenge(&mut self, exchange: AuthExchange, challenge: &str) {
        self.auth_exchange = Some(exchange);
        self.state = SessionState::Authenticating;
        self.reply_plain(Some(Verb::Auth), 334, challenge);
    }

    fn end_auth_exchange(&mut self) {
        self.auth_exchange = None;
        self.state = SessionState::Ready;
    }

    /// A line while Authenticating: the exchange ends here unless a new challenge follows.
    fn continue_auth(&mut self, line: &[u8]) {
        self.state = SessionState::Ready;
        if let Some(exchange) = self.auth_exchange.take() {
            self.auth_response(exchange, line);
        }
    }

    /// One base64 line of the client's side of the exchange; `*` cancels (RFC 4954 §4).
    fn auth_response(&mut self, exchange: AuthExchange, line: &[u8]) {
        let to = Some(Verb::Auth);
        let line = line.trim_ascii();
        if line == b"*" {
            return self.reply(
                to,
                501,
                EnhancedStatus::SECURITY_OTHER,
                "Authentication cancelled",
            );
        }
        // RFC 4954 §4: "=" is an empty initial response.
        let decoded = if line == b"=" {
            Ok(Vec::new())
        } else {
            base64::engine::general_purpose::STANDARD.decode(line)
        };
        let Ok(decoded) = decoded else {
            return self.reply(
                to,
                501,
                EnhancedStatus::SYNTAX_ERROR,
                "Invalid base64 data; AUTH cancelled",
            );
        };
        let Ok(text) = String::from_utf8(decoded) else {
            return self.reply(
                to,
                501,
                EnhancedStatus::SYNTAX_ERROR,
                "The decoded response is not UTF-8 text; AUTH cancelled",
            );
        };
        match exchange {
            AuthExchange::Plain => {
                let mut parts = text.split('\0');
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(authzid), Some(user), Some(password), None)
                        if authzid.is_empty() || authzid == user =>
                    {
                        self.verify(user, password)
                    }
                    (Some(_), Some(_), Some(_), None) => self.verify_failed(),
                    _ => self.reply(
                        to,
                        501,
                        EnhancedStatus::SYNTAX_ERROR,
                        "PLAIN expects base64 of: authorization-id NUL user NUL password",
                    ),
                }
            }
            AuthExchange::LoginUser => self.challenge(
                AuthExchange::LoginPassword { user: text },
                LOGIN_PASSWORD_CHALLENGE,
            ),
            AuthExchange::LoginPassword { user } => self.verify(&user, &text),
        }
    }

    /// `user` may be the login name (`ani`) or the full address (`ani@alpha.example`).
    fn verify(&mut self, user: &str, password: &str) {
        let account = self.policy.accounts.iter().find(|a| {
            (a.user.eq_ignore_ascii_case(user) || a.address().eq_ignore_ascii_case(user))
                && a.password == password
        });
        let Some(user) = account.map(|a| a.user.clone()) else {
            return self.verify_failed();
        };
        self.authenticated_user = Some(user.clone());
        self.reply(
            Some(Verb::Auth),
            235,
            EnhancedStatus::AUTH_SUCCEEDED,
            "Authentication successful",
        );
        self.events.push_back(ServerEvent::Authenticated { user });
    }

    fn verify_failed(&mut self) {
        self.reply(
            Some(Verb::Auth),
            535,
            EnhancedStatus::BAD_CREDENTIALS,
            "Authentication credentials invalid",
        );
    }
}

/// One line for `HELP <command>`.
fn what_it_does(verb: Verb) -> &'static str {
    match verb {
        Verb::Helo => "says hello with your host name (plain SMTP, no extensions)",
        Verb::Ehlo => "says hello with your host name; the reply lists the extensions offered",
        Verb::Mail => "starts a message and names the sender (<> for bounces)",
        Verb::Rcpt => "names one recipient; repeat it for each recipient",
        Verb::Data => "after 354, send the message; end it with a line holding only \".\"",
        Verb::Rset => "cancels the current message, keeps the connection",
        Verb::Noop => "does nothing; checks that the server is still there",
        Verb::Quit => "ends the session; the server closes the connection",
        Verb::Vrfy => "asks whether a user or address exists here",
        Verb::Expn => "asks for the members of a mailing list",
        Verb::Help => "shows the commands, or explains one",
        Verb::Auth => "logs in on the submission port 587 (PLAIN or LOGIN)",
        Verb::StartTls => "would switch to TLS encryption; not offered in this simulation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BETA: &str = "beta.example";

    fn account(user: &str, domain: &str, display_name: &str) -> Account {
        Account {
            user: user.into(),
            domain: domain.into(),
            password: format!("{user}123"),
            display_name: display_name.into(),
        }
    }

    fn policy(
        host_name: &str,
        role: PortRole,
        domain: &str,
        users: [(&str, &str); 2],
    ) -> ServerPolicy {
        ServerPolicy {
            host_name: host_name.into(),
            role,
            local_domains: vec![domain.into()],
            accounts: users
                .iter()
                .map(|(user, name)| account(user, domain, name))
                .collect(),
            max_message_size: 10_000,
            max_recipients: 100,
            extensions: Extensions::default(),
            full_mailboxes: vec!["Dewi@Beta.Example".into()],
        }
    }

    fn relay_policy() -> ServerPolicy {
        policy(
            "mx1.beta.example",
            PortRole::Relay,
            BETA,
            [("budi", "Budi"), ("dewi", "Dewi")],
        )
    }

    fn submission_policy() -> ServerPolicy {
        policy(
            "mail.alpha.example",
            PortRole::Submission,
            "alpha.example",
            [("ani", "Ani"), ("citra", "Citra")],
        )
    }

    fn peer() -> PeerInfo {
        PeerInfo {
            address: "192.0.2.10".into(),
            name: Some("laptop-ani.alpha.example".into()),
            session_id: 7,
        }
    }

    /// A client talking to one server; the greeting is already read.
    struct Client {
        server: SmtpServer,
    }

    impl Client {
        fn new(policy: ServerPolicy) -> Self {
            let mut client = Self {
                server: SmtpServer::new(policy, peer(), 1_700_000_000),
            };
            client.output();
            client.events();
            client
        }

        fn relay() -> Self {
            Self::new(relay_policy())
        }

        fn submission() -> Self {
            Self::new(submission_policy())
        }

        /// A relay session after EHLO and MAIL FROM.
        fn relay_in_transaction() -> Self {
            let mut client = Self::relay();
            client.say("EHLO mx.alpha.example\r\nMAIL FROM:<ani@alpha.example>\r\n");
            client.events();
            client
        }

        /// A submission session after EHLO and AUTH as ani.
        fn submission_authenticated() -> Self {
            let mut client = Self::submission();
            let replies =
                client.say("EHLO laptop-ani.alpha.example\r\nAUTH PLAIN AGFuaQBhbmkxMjM=\r\n");
            assert_eq!(codes(&replies), [250, 235]);
            client.events();
            client
        }

        fn output(&mut self) -> String {
            let bytes = self.server.poll_output().unwrap_or_default();
            String::from_utf8(bytes).expect("replies are ASCII")
        }

        fn events(&mut self) -> Vec<ServerEvent> {
            std::iter::from_fn(|| self.server.poll_event()).collect()
        }

        /// Sends `input`; returns the replies it produced, checking they match the wire bytes.
        fn say(&mut self, input: &str) -> Vec<Reply> {
            self.server.handle_input(input.as_bytes());
            let wire = self.output();
            let replies = replies_of(&wire);
            let events = self.events();
            let replied: Vec<Reply> = events
                .iter()
                .filter_map(|e| {
                    if let ServerEvent::Replied { reply, .. } = e {
                        Some(reply.clone())
                    } else {
                        None
                    }
                })
                .collect();
            assert_eq!(replies, replied, "events and wire agree");
            // Put back the non-reply events for tests that look at them.
            self.server.events.extend(
                events
                    .into_iter()
                    .filter(|e| !matches!(e, ServerEvent::Replied { .. })),
            );
            replies
        }

        /// Sends `input`; expects exactly one reply.
        fn one(&mut self, input: &str) -> Reply {
            let mut replies = self.say(input);
            assert_eq!(replies.len(), 1, "{input:?} → {replies:?}");
            replies.remove(0)
        }
    }

    /// Splits wire bytes into complete replies and parses each.
    fn replies_of(wire: &str) -> Vec<Reply> {
        let mut replies = Vec::new();
        let mut start = 0;
        for (offset, line) in wire.split_inclusive("\r\n").scan(0, |pos, line| {
            let at = *pos;
            *pos += line.len();
            Some((at, line))
        }) {
            if line.as_bytes().get(3) != Some(&b'-') {
                let end = offset + line.len();
                replies.push(Reply::parse(&wire[start..end]).expect("well-formed reply"));
                start = end;
            }
        }
        assert_eq!(start, wire.len(), "no partial reply");
        replies
    }

    fn codes(replies: &[Reply]) -> Vec<u16> {
        replies.iter().map(|r| r.code.get()).collect()
    }

    fn status(reply: &Reply) -> Option<String> {
        reply.status.map(|s| s.to_string())
    }

    fn assert_reply(reply: &Reply, code: u16, enhanced: &str) {
        assert_eq!(
            (reply.code.get(), status(reply).as_deref()),
            (code, Some(enhanced)),
            "{reply}"
        );
    }

    fn accepted(client: &mut Client) -> Vec<AcceptedMessage> {
        client
            .events()
            .into_iter()
            .filter_map(|e| {
                if let ServerEvent::MessageAccepted(m) = e {
                    Some(m)
                } else {
                    None
                }
            })
            .collect()
    }

    // ---- greeting and Greeted ----

    #[test]
    fn test_new_greets_with_220_and_no_enhanced_code() {
        let mut server = SmtpServer::new(relay_policy(), peer(), 0);
        assert_eq!(
            server.poll_output(),
            Some(b"220 mx1.beta.example ESMTP Kurir ready\r\n".to_vec())
        );
        assert!(
            matches!(server.poll_event(), Some(ServerEvent::Replied { to: None, reply }) if reply.code.get() == 220)
        );
        assert_eq!(server.state(), SessionState::Greeted);
    }

    #[test]
    fn test_greeted_mail_is_a_sequence_error() {
        let reply = Client::relay().one("MAIL FROM:<ani@alpha.example>\r\n");
        assert_reply(&reply, 503, "5.5.1");
        assert!(reply.lines[0].contains("EHLO"));
    }

    #[test]
    fn test_greeted_rcpt_and_data_are_sequence_errors() {
        let mut client = Client::relay();
        for line in ["RCPT TO:<budi@beta.example>\r\n", "DATA\r\n"] {
            assert_reply(&client.one(line), 503, "5.5.1");
        }
        assert_eq!(client.server.state(), SessionState::Greeted);
    }

    #[test]
    fn test_greeted_allows_noop_rset_help_vrfy() {
        let mut client = Client::relay();
        assert_eq!(
            codes(&client.say("NOOP\r\nRSET\r\nHELP MAIL\r\nVRFY budi\r\n")),
            [250, 250, 214, 250]
        );
        assert_eq!(client.server.state(), SessionState::Greeted);
    }

    #[test]
    fn test_greeted_ehlo_on_relay_lists_extensions_without_auth() {
        let reply = Client::relay().one("EHLO mx.alpha.example\r\n");
        assert_eq!(reply.code.get(), 250);
        assert_eq!(reply.status, None);
        assert_eq!(
            reply.lines,
            [
                "mx1.beta.example greets mx.alpha.example",
                "SIZE 10000",
                "8BITMIME",
                "PIPELINING",
                "ENHANCEDSTATUSCODES",
                "HELP"
            ]
        );
    }

    #[test]
    fn test_greeted_ehlo_on_submission_offers_auth() {
        let reply = Client::submission().one("EHLO laptop-ani.alpha.example\r\n");
        assert_eq!(
            reply.lines.last().map(String::as_str),
            Some("AUTH PLAIN LOGIN")
        );
    }

    #[test]
    fn test_greeted_ehlo_advertises_only_enabled_extensions() {
        let mut policy = relay_policy();
        policy.extensions = Extensions {
            size: false,
            eight_bit_mime: false,
            pipelining: true,
            enhanced_status_codes: false,
            help: false,
        };
        let reply = Client::new(policy).one("EHLO x\r\n");
        assert_eq!(reply.lines, ["mx1.beta.example greets x", "PIPELINING"]);
    }

    #[test]
    fn test_greeted_helo_is_one_line() {
        let mut client = Client::relay();
        client.server.handle_input(b"HELO old.example\r\n");
        assert_eq!(
            client.output(),
            "250 mx1.beta.example greets old.example\r\n"
        );
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_greeted_auth_before_ehlo_is_a_sequence_error() {
        assert_reply(
            &Client::submission().one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"),
            503,
            "5.5.1",
        );
    }

    // ---- Ready ----

    #[test]
    fn test_ready_mail_from_opens_a_transaction() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        let reply = client.one("MAIL FROM:<ani@alpha.example> SIZE=500 BODY=8BITMIME\r\n");
        assert_reply(&reply, 250, "2.1.0");
        assert_eq!(client.server.state(), SessionState::MailFrom);
        assert_eq!(
            client.server.envelope().reverse_path.as_deref(),
            Some("ani@alpha.example")
        );
    }

    #[test]
    fn test_ready_null_reverse_path_is_accepted_for_bounces() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        assert_reply(&client.one("MAIL FROM:<>\r\n"), 250, "2.1.0");
        assert_eq!(client.server.envelope().reverse_path.as_deref(), Some(""));
    }

    #[test]
    fn test_ready_mail_declared_size_over_the_limit_is_552() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        assert_reply(
            &client.one("MAIL FROM:<ani@alpha.example> SIZE=10001\r\n"),
            552,
            "5.3.4",
        );
        assert_reply(
            &client.one("MAIL FROM:<ani@alpha.example> SIZE=10000\r\n"),
            250,
            "2.1.0",
        );
    }

    #[test]
    fn test_ready_mail_bad_parameters_are_501_5_5_4_with_syntax() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        for line in [
            "MAIL FROM:<a@alpha.example> RET=HDRS\r\n",
            "MAIL FROM:<a@alpha.example> SIZE=lots\r\n",
        ] {
            let reply = client.one(line);
            assert_reply(&reply, 501, "5.5.4");
            assert!(
                reply.lines[0]
                    .starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]"),
                "{reply}"
            );
        }
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_ready_mail_parameter_of_a_disabled_extension_is_refused() {
        let mut policy = relay_policy();
        policy.extensions.size = false;
        let mut client = Client::new(policy);
        client.say("EHLO x\r\n");
        assert_reply(
            &client.one("MAIL FROM:<a@alpha.example> SIZE=10\r\n"),
            501,
            "5.5.4",
        );
    }

    #[test]
    fn test_ready_mail_malformed_is_501_5_5_2() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        let reply = client.one("MAIL FROM ani@alpha.example\r\n");
        assert_reply(&reply, 501, "5.5.2");
        assert!(
            reply.lines[0].starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]")
        );
    }

    #[test]
    fn test_ready_mail_bad_sender_address_is_501_5_1_7() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        let long_local = "a".repeat(65);
        assert_reply(
            &client.one(&format!("MAIL FROM:<{long_local}@alpha.example>\r\n")),
            501,
            "5.1.7",
        );
    }

    #[test]
    fn test_ready_submission_mail_before_auth_is_530() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        let reply = client.one("MAIL FROM:<ani@alpha.example>\r\n");
        assert_reply(&reply, 530, "5.7.0");
        assert!(reply.lines[0].contains("Authentication required"));
    }

    #[test]
    fn test_ready_rcpt_before_mail_is_503() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        assert_reply(&client.one("RCPT TO:<budi@beta.example>\r\n"), 503, "5.5.1");
    }

    // ---- MailFrom ----

    #[test]
    fn test_mail_from_nested_mail_is_503() {
        assert_reply(
            &Client::relay_in_transaction().one("MAIL FROM:<x@alpha.example>\r\n"),
            503,
            "5.5.1",
        );
    }

    #[test]
    fn test_mail_from_data_without_recipient_is_503() {
        let mut client = Client::relay_in_transaction();
        assert_reply(&client.one("DATA\r\n"), 503, "5.5.1");
        assert_eq!(client.server.state(), SessionState::MailFrom);
    }

    #[test]
    fn test_mail_from_rcpt_local_user_is_250_2_1_5() {
        let mut client = Client::relay_in_transaction();
        assert_reply(&client.one("RCPT TO:<Budi@BETA.example>\r\n"), 250, "2.1.5");
        assert_eq!(client.server.state(), SessionState::RcptTo);
        assert_eq!(client.server.envelope().recipients, ["Budi@BETA.example"]);
    }

    #[test]
    fn test_mail_from_rcpt_unknown_local_user_is_550_5_1_1_naming_the_address() {
        let mut client = Client::relay_in_transaction();
        let reply = client.one("RCPT TO:<eko@beta.example>\r\n");
        assert_reply(&reply, 550, "5.1.1");
        assert!(reply.lines[0].contains("eko@beta.example"));
        assert_eq!(client.server.state(), SessionState::MailFrom);
    }

    #[test]
    fn test_mail_from_rcpt_foreign_domain_on_relay_is_denied() {
        let reply = Client::relay_in_transaction().one("RCPT TO:<ani@alpha.example>\r\n");
        assert_reply(&reply, 554, "5.7.1");
        assert!(reply.lines[0].contains("Relay access denied"));
    }

    #[test]
    fn test_mail_from_rcpt_postmaster_is_accepted() {
        let mut client = Client::relay_in_transaction();
        assert_eq!(
            codes(&client.say("RCPT TO:<Postmaster>\r\nRCPT TO:<postmaster@beta.example>\r\n")),
            [250, 250]
        );
        assert_eq!(
            client.server.envelope().recipients,
            ["Postmaster", "postmaster@beta.example"]
        );
    }

    #[test]
    fn test_mail_from_rcpt_full_mailbox_is_452_4_2_2() {
        assert_reply(
            &Client::relay_in_transaction().one("RCPT TO:<dewi@beta.example>\r\n"),
            452,
            "4.2.2",
        );
    }

    #[test]
    fn test_mail_from_rcpt_bad_address_is_501_5_1_3() {
        let long_local = "b".repeat(65);
        assert_reply(
            &Client::relay_in_transaction()
                .one(&format!("RCPT TO:<{long_local}@beta.example>\r\n")),
            501,
            "5.1.3",
        );
    }

    #[test]
    fn test_mail_from_rcpt_parameters_are_refused() {
        assert_reply(
            &Client::relay_in_transaction().one("RCPT TO:<budi@beta.example> NOTIFY=NEVER\r\n"),
            501,
            "5.5.4",
        );
    }

    #[test]
    fn test_mail_from_recipient_101_is_452_4_5_3() {
        let mut client = Client::relay_in_transaction();
        let hundred = "RCPT TO:<budi@beta.example>\r\n".repeat(100);
        assert!(client.say(&hundred).iter().all(|r| r.code.get() == 250));
        assert_reply(&client.one("RCPT TO:<budi@beta.example>\r\n"), 452, "4.5.3");
        assert_eq!(client.server.envelope().recipients.len(), 100);
    }

    #[test]
    fn test_mail_from_submission_foreign_recipient_is_queued_for_relay() {
        let mut client = Client::submission_authenticated();
        client.say("MAIL FROM:<ani@alpha.example>\r\n");
        let reply = client.one("RCPT TO:<budi@beta.example>\r\n");
        assert_reply(&reply, 250, "2.1.5");
        assert!(reply.lines[0].contains("relay"));
        assert_reply(&client.one("RCPT TO:<eko@alpha.example>\r\n"), 550, "5.1.1");
    }

    // ---- RcptTo and Data ----

    fn relay_ready_for_data() -> Client {
        let mut client = Client::relay_in_transaction();
        client.say("RCPT TO:<budi@beta.example>\r\n");
        client
    }

    #[test]
    fn test_rcpt_to_data_is_354_without_enhanced_code() {
        let mut client = relay_ready_for_data();
        client.server.handle_input(b"DATA\r\n");
        assert_eq!(client.output(), "354 End data with <CR><LF>.<CR><LF>\r\n");
        assert_eq!(client.server.state(), SessionState::Data);
    }

    #[test]
    fn test_data_end_accepts_the_message_with_a_received_header() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\n");
        let reply = client.one("Subject: hi\r\n\r\nHalo Budi\r\n.\r\n");
        assert_reply(&reply, 250, "2.0.0");
        assert_eq!(reply.lines, ["Ok: queued as 000000070001"]);
        let messages = accepted(&mut client);
        assert_eq!(messages.len(), 1);
        let message = &messages[0];
        assert_eq!(message.queue_id, "000000070001");
        assert_eq!(message.reverse_path, "ani@alpha.example");
        assert_eq!(message.recipients, ["budi@beta.example"]);
        assert_eq!(message.authenticated_as, None);
        let content = String::from_utf8(message.content.clone()).expect("text");
        assert_eq!(
            content,
            "Received: from mx.alpha.example (laptop-ani.alpha.example [192.0.2.10])\r\n\tby mx1.beta.example (Kurir) with ESMTP id 000000070001\r\n\tfor <budi@beta.example>; Tue, 14 Nov 2023 22:13:20 +0000\r\nSubject: hi\r\n\r\nHalo Budi\r\n"
        );
        assert_eq!(client.server.state(), SessionState::Ready);
        assert_eq!(client.server.envelope(), &Envelope::default());
    }

    #[test]
    fn test_data_reply_comes_before_message_accepted() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\n");
        client.server.handle_input(b"x\r\n.\r\n");
        let events = client.events();
        assert!(
            matches!(
                events.as_slice(),
                [
                    ServerEvent::Replied {
                        to: Some(Verb::Data),
                        ..
                    },
                    ServerEvent::MessageAccepted(_)
                ]
            ),
            "{events:?}"
        );
    }

    #[test]
    fn test_data_queue_ids_count_messages_per_session() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\none\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\ntwo\r\n.\r\n");
        let ids: Vec<String> = accepted(&mut client)
            .into_iter()
            .map(|m| m.queue_id)
            .collect();
        assert_eq!(ids, ["000000070001", "000000070002"]);
    }

    #[test]
    fn test_data_dot_unstuffing_emits_events() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\n");
        client.say("..hidden\r\nplain\r\n.x\r\n.\r\n");
        let events = client.events();
        let unstuffed: Vec<usize> = events
            .iter()
            .filter_map(|e| {
                if let ServerEvent::DotUnstuffed { line } = e {
                    Some(*line)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(unstuffed, [1, 3]);
        let message = events
            .into_iter()
            .find_map(|e| {
                if let ServerEvent::MessageAccepted(m) = e {
                    Some(m)
                } else {
                    None
                }
            })
            .expect("accepted");
        assert!(message.content.ends_with(b"\r\n.hidden\r\nplain\r\nx\r\n"));
    }

    #[test]
    fn test_data_too_big_is_552_after_the_end() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\n");
        let line = format!("{}\r\n", "x".repeat(98));
        assert!(client.say(&line.repeat(101)).is_empty(), "keeps reading");
        assert_eq!(client.server.envelope().data_size, 10_100);
        assert_reply(&client.one(".\r\n"), 552, "5.3.4");
        assert!(accepted(&mut client).is_empty());
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_data_line_over_1000_octets_is_refused_at_the_end() {
        let mut client = relay_ready_for_data();
        client.say("DATA\r\n");
        let ok_line = format!("{}\r\n", "a".repeat(998));
        let long_line = format!("{}\r\n", "a".repeat(999));
        let reply = client.one(&format!("{ok_line}{long_line}.\r\n"));
        assert_reply(&reply, 550, "5.6.0");
        assert!(reply.lines[0].contains("Line 2"), "{reply}");
    }

    #[test]
    fn test_data_after_helo_is_traced_as_smtp() {
        let mut client = Client::relay();
        client.say(
            "HELO old.example\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nx\r\n.\r\n",
        );
        let content = accepted(&mut client).remove(0).content;
        assert!(String::from_utf8_lossy(&content).contains(" with SMTP id "));
    }

    #[test]
    fn test_data_after_auth_is_traced_as_esmtpa() {
        let mut client = Client::submission_authenticated();
        client.say(
            "MAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nx\r\n.\r\n",
        );
        let message = accepted(&mut client).remove(0);
        assert!(String::from_utf8_lossy(&message.content).contains(" with ESMTPA id "));
        assert_eq!(message.authenticated_as.as_deref(), Some("ani"));
    }

    // ---- SMTP smuggling (CVE-2023-51764) ----

    const SMUGGLING_ENDINGS: [&str; 7] = [
        "\n.\n", "\n.\r\n", "\r.\r", "\r\n.\n", "\r\n.\r", "\r.\r\n", "\n.\r",
    ];

    /// One DATA that tries to smuggle a second message behind a fake end of data.
    fn smuggling_session(ending: &str) -> String {
        format!(
            "EHLO x\r\nMAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nSubject: one\r\n\r\nfirst{ending}MAIL FROM:<admin@beta.example>\r\nRCPT TO:<dewi@beta.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nsecond\r\n.\r\nQUIT\r\n"
        )
    }

    fn run_split(input: &[u8], split: &[usize]) -> (Vec<Reply>, Vec<AcceptedMessage>) {
        let mut client = Client::relay();
        let mut replies = Vec::new();
        let mut from = 0;
        for &to in split.iter().chain(std::iter::once(&input.len())) {
            client.server.handle_input(&input[from..to]);
            from = to;
        }
        for event in client.events() {
            match event {
                ServerEvent::Replied { reply, .. } => replies.push(reply),
                ServerEvent::MessageAccepted(message) => return (replies, vec![message]),
                _ => {}
            }
        }
        (replies, Vec::new())
    }

    #[test]
    fn test_data_smuggled_endings_never_split_a_message() {
        for ending in SMUGGLING_ENDINGS {
            let (replies, messages) = run_split(smuggling_session(ending).as_bytes(), &[]);
            assert!(messages.is_empty(), "{ending:?}: nothing is accepted");
            assert_eq!(
                codes(&replies),
                [250, 250, 250, 354, 550, 221],
                "{ending:?}"
            );
            assert_eq!(status(&replies[4]).as_deref(), Some("5.6.0"));
        }
    }

    #[test]
    fn test_data_smuggling_split_at_every_byte_gives_the_same_replies() {
        for ending in SMUGGLING_ENDINGS {
            let input = smuggling_session(ending);
            let whole = run_split(input.as_bytes(), &[]);
            for at in 0..=input.len() {
                assert_eq!(
                    run_split(input.as_bytes(), &[at]),
                    whole,
                    "{ending:?} split at {at}"
                );
            }
        }
    }

    #[test]
    fn test_data_session_fed_one_byte_at_a_time() {
        let input = "EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\n..a\r\nb\r\n.\r\nQUIT\r\n";
        let whole = run_split(input.as_bytes(), &[]);
        assert_eq!(whole.1.len(), 1);
        let every_byte: Vec<usize> = (1..input.len()).collect();
        assert_eq!(run_split(input.as_bytes(), &every_byte), whole);
    }

    // ---- Authenticating ----

    #[test]
    fn test_ready_auth_plain_with_initial_response() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        let reply = client.one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n");
        assert_reply(&reply, 235, "2.7.0");
        assert_eq!(client.server.authenticated_user(), Some("ani"));
        assert!(client
            .events()
            .contains(&ServerEvent::Authenticated { user: "ani".into() }));
    }

    #[test]
    fn test_ready_auth_plain_with_empty_challenge() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        client.server.handle_input(b"AUTH PLAIN\r\n");
        assert_eq!(client.output(), "334 \r\n");
        client.events();
        assert_eq!(client.server.state(), SessionState::Authenticating);
        assert_reply(&client.one("AGFuaQBhbmkxMjM=\r\n"), 235, "2.7.0");
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_ready_auth_login_challenges_for_user_then_password() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        let user_prompt = client.one("AUTH LOGIN\r\n");
        assert_eq!(
            (
                user_prompt.code.get(),
                user_prompt.status,
                user_prompt.lines
            ),
            (334, None, vec!["VXNlcm5hbWU6".to_string()])
        );
        let password_prompt = client.one("Y2l0cmE=\r\n");
        assert_eq!(password_prompt.lines, ["UGFzc3dvcmQ6"]);
        assert_reply(&client.one("Y2l0cmExMjM=\r\n"), 235, "2.7.0");
        assert_eq!(client.server.authenticated_user(), Some("citra"));
    }

    #[test]
    fn test_authenticating_star_cancels() {
        let mut client = Client::submission();
        client.say("EHLO x\r\nAUTH LOGIN\r\n");
        assert_reply(&client.one("*\r\n"), 501, "5.7.0");
        assert_eq!(client.server.state(), SessionState::Ready);
        assert_eq!(client.server.authenticated_user(), None);
    }

    #[test]
    fn test_authenticating_bad_base64_is_501() {
        let mut client = Client::submission();
        client.say("EHLO x\r\nAUTH PLAIN\r\n");
        assert_reply(&client.one("not base64!\r\n"), 501, "5.5.2");
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_ready_auth_bad_credentials_is_535() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        // "\0ani\0wrong"
        assert_reply(&client.one("AUTH PLAIN AGFuaQB3cm9uZw==\r\n"), 535, "5.7.8");
        assert_eq!(client.server.authenticated_user(), None);
    }

    #[test]
    fn test_ready_auth_with_full_address_as_user() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        // "\0ani@alpha.example\0ani123"
        assert_reply(
            &client.one("AUTH PLAIN AGFuaUBhbHBoYS5leGFtcGxlAGFuaTEyMw==\r\n"),
            235,
            "2.7.0",
        );
    }

    #[test]
    fn test_ready_auth_unknown_mechanism_is_504() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        assert_reply(&client.one("AUTH CRAM-MD5\r\n"), 504, "5.5.4");
    }

    #[test]
    fn test_authenticated_auth_again_is_503() {
        assert_reply(
            &Client::submission_authenticated().one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"),
            503,
            "5.5.1",
        );
    }

    #[test]
    fn test_mail_from_auth_inside_a_transaction_is_503() {
        let mut client = Client::submission();
        client.say("EHLO x\r\n");
        // A transaction needs AUTH first here; forget the login to reach the transaction check.
        client.say("AUTH PLAIN AGFuaQBhbmkxMjM=\r\nMAIL FROM:<ani@alpha.example>\r\n");
        client.server.authenticated_user = None;
        assert_reply(&client.one("AUTH LOGIN\r\n"), 503, "5.5.1");
    }

    #[test]
    fn test_relay_auth_is_502() {
        let mut client = Client::relay();
        client.say("EHLO x\r\n");
        assert_reply(&client.one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"), 502, "5.5.1");
    }

    #[test]
    fn test_authenticating_line_too_long_cancels() {
        let mut client = Client::submission();
        client.say("EHLO x\r\nAUTH PLAIN\r\n");
        assert_reply(
            &client.one(&format!("{}\r\n", "A".repeat(600))),
            500,
            "5.5.6",
        );
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    // ---- pipelining ----

    #[test]
    fn test_pipelined_commands_are_answered_in_order() {
        let mut client = relay_ready_for_data();
        let replies = client.say("RSET\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nRCPT TO:<eko@beta.example>\r\nDATA\r\nhi\r\n.\r\nNOOP\r\n");
        assert_eq!(codes(&replies), [250, 250, 250, 550, 354, 250, 250]);
    }

    #[test]
    fn test_pipelined_lines_after_a_refused_data_are_commands() {
        let mut client = Client::relay_in_transaction();
        let replies = client.say("RCPT TO:<eko@beta.example>\r\nDATA\r\nSubject: x\r\nQUIT\r\n");
        assert_eq!(codes(&replies), [550, 503, 500, 221]);
        assert!(client.server.is_closed());
    }

    // ---- any state ----

    #[test]
    fn test_rset_clears_the_envelope() {
        let mut client = relay_ready_for_data();
        assert_reply(&client.one("RSET\r\n"), 250, "2.0.0");
        assert_eq!(client.server.envelope(), &Envelope::default());
        assert_eq!(client.server.state(), SessionState::Ready);
    }

    #[test]
    fn test_second_ehlo_resets_the_transaction() {
        let mut client = relay_ready_for_data();
        client.say("EHLO again.example\r\n");
        assert_eq!(client.server.state(), SessionState::Ready);
        assert!(client.server.envelope().recipients.is_empty());
    }

    #[test]
    fn test_noop_is_250_2_0_0() {
        assert_reply(&Client::relay().one("NOOP hello\r\n"), 250, "2.0.0");
    }

    #[test]
    fn test_quit_closes_and_ignores_later_input() {
        let mut client = Client::relay();
        client.server.handle_input(b"QUIT\r\nNOOP\r\n");
        assert_eq!(
            client.output(),
            "221 2.0.0 mx1.beta.example Service closing transmission channel\r\n"
        );
        assert!(client.events().ends_with(&[ServerEvent::Closed]));
        client.server.handle_input(b"NOOP\r\n");
        assert_eq!(client.server.poll_output(), None);
        assert_eq!(client.server.state(), SessionState::Closed);
    }

    #[test]
    fn test_shutdown_sends_421_and_closes() {
        let mut client = relay_ready_for_data();
        client.server.shutdown();
        assert_eq!(
            client.output(),
            "421 4.3.2 mx1.beta.example Service shutting down, closing transmission channel\r\n"
        );
        let events = client.events();
        assert!(matches!(
            events.as_slice(),
            [ServerEvent::Replied { to: None, .. }, ServerEvent::Closed]
        ));
        client.server.shutdown();
        assert_eq!(client.server.poll_output(), None, "only once");
    }

    #[test]
    fn test_vrfy_local_user_shows_the_mailbox() {
        let mut client = Client::relay();
        let reply = client.one("VRFY budi\r\n");
        assert_reply(&reply, 250, "2.1.5");
        assert_eq!(reply.lines, ["Budi <budi@beta.example>"]);
        assert_eq!(
            client.one("VRFY <Dewi@beta.example>\r\n").lines,
            ["Dewi <dewi@beta.example>"]
        );
    }

    #[test]
    fn test_vrfy_unknown_and_foreign() {
        let mut client = Client::relay();
        assert_reply(&client.one("VRFY eko\r\n"), 550, "5.1.1");
        assert_reply(&client.one("VRFY eko@beta.example\r\n"), 550, "5.1.1");
        assert_reply(&client.one("VRFY ani@alpha.example\r\n"), 550, "5.7.1");
        let mut submission = Client::submission();
        let reply = submission.one("VRFY budi@beta.example\r\n");
        assert_reply(&reply, 252, "2.1.5");
        assert!(reply.lines[0].starts_with("Cannot VRFY"));
    }

    #[test]
    fn test_vrfy_ambiguous_user_is_553() {
        let mut policy = relay_policy();
        policy.local_domains.push("gamma.example".into());
        policy
            .accounts
            .push(account("budi", "gamma.example", "Budi G"));
        assert_reply(&Client::new(policy).one("VRFY budi\r\n"), 553, "5.1.4");
    }

    #[test]
    fn test_vrfy_without_argument_teaches_syntax() {
        let reply = Client::relay().one("VRFY\r\n");
        assert_reply(&reply, 501, "5.5.2");
        assert!(reply.lines[0].starts_with("Syntax: VRFY"));
    }

    #[test]
    fn test_expn_says_there_are_no_lists() {
        let reply = Client::relay().one("EXPN staff\r\n");
        assert_reply(&reply, 550, "5.1.1");
        assert!(reply.lines[0].contains("no such mailing list"));
    }

    #[test]
    fn test_help_lists_every_command() {
        let reply = Client::relay().one("HELP\r\n");
        assert_eq!(reply.code.get(), 214);
        assert_eq!(status(&reply).as_deref(), Some("2.0.0"));
        for verb in Verb::ALL {
            assert!(
                reply.lines.iter().any(|line| line == verb.syntax()),
                "{verb}"
            );
        }
    }

    #[test]
    fn test_help_topic_explains_one_command() {
        let mut client = Client::relay();
        let reply = client.one("HELP mail\r\n");
        assert_reply(&reply, 214, "2.0.0");
        assert!(reply.lines[0].starts_with("MAIL FROM:<reverse-path>"));
        assert_reply(&client.one("HELP teleport\r\n"), 504, "5.5.1");
    }

    #[test]
    fn test_help_disabled_is_502() {
        let mut policy = relay_policy();
        policy.extensions.help = false;
        assert_reply(&Client::new(policy).one("HELP\r\n"), 502, "5.5.1");
    }

    #[test]
    fn test_starttls_is_recognised_but_not_offered() {
        let reply = Client::submission().one("STARTTLS\r\n");
        assert_reply(&reply, 502, "5.5.1");
        assert!(reply.lines[0].contains("not offered"));
    }

    #[test]
    fn test_unknown_command_is_500() {
        assert_reply(&Client::relay().one("HACK the planet\r\n"), 500, "5.5.2");
    }

    #[test]
    fn test_line_too_long_is_500_and_the_session_goes_on() {
        let mut client = Client::relay();
        let replies = client.say(&format!("NOOP {}\r\nNOOP\r\n", "x".repeat(600)));
        assert_reply(&replies[0], 500, "5.5.2");
        assert!(replies[0].lines[0].starts_with("Line too long"));
        assert_eq!(codes(&replies), [500, 250]);
    }

    #[test]
    fn test_bare_lf_command_lines_are_accepted() {
        assert_eq!(codes(&Client::relay().say("EHLO x\nNOOP\n")), [250, 250]);
    }

    #[test]
    fn test_non_utf8_command_is_refused_without_panic() {
        let mut client = Client::relay();
        client.server.handle_input(b"EHLO \xff\xfe\r\n\xc3\x28\r\n");
        let replies = replies_of(&client.output());
        assert_eq!(codes(&replies), [501, 500]);
    }

    #[test]
    fn test_echoed_text_is_sanitised() {
        let mut client = Client::relay();
        client.server.handle_input(b"VRFY a\x07b\x1b[31m\r\n");
        assert_eq!(client.output(), "550 5.1.1 a?b?[31m: no such user here\r\n");
    }

    #[test]
    fn test_without_enhanced_status_codes_no_reply_carries_one() {
        let mut policy = relay_policy();
        policy.extensions.enhanced_status_codes = false;
        let mut client = Client::new(policy);
        let replies = client.say(
            "EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<eko@beta.example>\r\nRSET\r\nHELP\r\nQUIT\r\n",
        );
        assert_eq!(codes(&replies), [250, 250, 550, 250, 214, 221]);
        assert!(replies.iter().all(|r| r.status.is_none()));
    }

    #[test]
    fn test_session_state_display_is_readable() {
        assert_eq!(
            SessionState::Greeted.to_string(),
            "greeted, waiting for EHLO"
        );
        assert_eq!(SessionState::Closed.to_string(), "closed");
    }

    /// Random input must never panic the server, and everything it writes must be a
    /// well-formed reply by our parser and by an independent one (smtp-proto).
    mod properties {
        use super::*;
        use proptest::prelude::*;

        const PLAUSIBLE_LINES: &[&str] = &[
            "EHLO laptop-ani.alpha.example",
            "HELO x",
            "EHLO",
            "MAIL FROM:<ani@alpha.example>",
            "MAIL FROM:<> SIZE=100",
            "MAIL FROM:<ani@alpha.example> SIZE=99999999",
            "MAIL FROM:<ani@alpha.example> FOO=BAR",
            "MAIL FROM:ani",
            "RCPT TO:<budi@beta.example>",
            "RCPT TO:<dewi@beta.example>",
            "RCPT TO:<eko@beta.example>",
            "RCPT TO:<ani@alpha.example>",
            "RCPT TO:<Postmaster>",
            "RCPT TO:<>",
            "DATA",
            "Subject: hi",
            "",
            ".",
            "..dot",
            "RSET",
            "NOOP",
            "VRFY budi",
            "VRFY <ani@alpha.example>",
            "EXPN staff",
            "HELP",
            "HELP RCPT",
            "AUTH PLAIN AGFuaQBhbmkxMjM=",
            "AUTH PLAIN",
            "AUTH LOGIN",
            "YW5p",
            "YW5pMTIz",
            "*",
            "AUTH XOAUTH2",
            "STARTTLS",
            "QUIT",
        ];

        fn line() -> impl Strategy<Value = Vec<u8>> {
            let text = prop_oneof![
                4 => proptest::sample::select(PLAUSIBLE_LINES).prop_map(|l| l.as_bytes().to_vec()),
                1 => "[ -~]{0,80}".prop_map(String::into_bytes),
                1 => proptest::collection::vec(any::<u8>(), 0..40),
                1 => (proptest::sample::select(PLAUSIBLE_LINES), "[ -~\u{e9}\u{1F4E7}]{0,600}").prop_map(|(l, tail)| format!("{l}{tail}").into_bytes()),
            ];
            let ending =
                prop_oneof![6 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b"\r"[..])];
            (text, ending).prop_map(|(mut text, ending)| {
                text.extend_from_slice(ending);
                text
            })
        }

        fn session_input() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                3 => proptest::collection::vec(line(), 0..30).prop_map(|lines| lines.concat()),
                1 => proptest::collection::vec(any::<u8>(), 0..1500),
            ]
        }

        /// Feeds `input` in pieces of the given sizes and checks every reply written.
        fn check_session(
            policy: ServerPolicy,
            input: &[u8],
            piece_sizes: &[usize],
        ) -> Result<(), TestCaseError> {
            let mut server = SmtpServer::new(policy, peer(), 0);
            let mut rest = input;
            for &size in piece_sizes.iter().cycle().take(input.len() + 1) {
                let (piece, tail) = rest.split_at(size.clamp(1, 64).min(rest.len()));
                server.handle_input(piece);
                rest = tail;
                if rest.is_empty() {
                    break;
                }
            }
            server.shutdown();
            let wire = server.poll_output().unwrap_or_default();
            let mut expected_wire = Vec::new();
            while let Some(event) = server.poll_event() {
                let ServerEvent::Replied { reply, .. } = event else {
                    continue;
                };
                let text = reply.to_wire();
                expected_wire.extend_from_slice(text.as_bytes());
                prop_assert_eq!(Reply::parse(&text), Ok(reply.clone()));
                for line in text.split_inclusive("\r\n") {
                    prop_assert!(line.len() <= 512, "line of {} octets", line.len());
                }
                let class = reply.code.class();
                prop_assert!((2..=5).contains(&class));
                match reply.status {
                    Some(status) => {
                        prop_assert_eq!(status.class, class);
                        prop_assert_ne!(class, 3);
                    }
                    None => prop_assert!(
                        matches!(reply.code.get(), 220 | 250 | 334 | 354),
                        "{}",
                        reply
                    ),
                }
                let oracle = smtp_proto::response::parser::ResponseReceiver::default()
                    .parse(&mut text.as_bytes().iter());
                let oracle = oracle.map_err(|e| {
                    TestCaseError::fail(format!("smtp-proto rejects {text:?}: {e:?}"))
                })?;
                prop_assert_eq!(oracle.code, reply.code.get());
                if let Some(status) = reply.status {
                    prop_assert_eq!(
                        oracle.esc.map(u16::from),
                        [u16::from(status.class), status.subject, status.detail]
                    );
                }
            }
            prop_assert_eq!(
                wire,
                expected_wire,
                "wire bytes are exactly the replies, in order"
            );
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn relay_never_panics_and_writes_well_formed_replies(input in session_input(), pieces in proptest::collection::vec(1usize..64, 1..8)) {
                check_session(relay_policy(), &input, &pieces)?;
            }

            #[test]
            fn submission_never_panics_and_writes_well_formed_replies(input in session_input(), pieces in proptest::collection::vec(1usize..64, 1..8)) {
                check_session(submission_policy(), &input, &pieces)?;
            }

            #[test]
            fn parse_command_never_panics(line in proptest::collection::vec(any::<u8>(), 0..600)) {
                let _ = parse_command(&line);
            }
        }
    }
}
