//! One SMTP client session as a sans-IO state machine: it hands one message, or several in
//! turn (one mail transaction each, RFC 5321 §3.3), to one server, the way an MTA relays (RFC
//! 5321 §3.1–§3.3, §3.8, §4.1 commands, §4.2 replies, §4.5.2 dot-stuffing, §4.5.3.2 timeouts)
//! and a mail client submits (RFC 6409 with AUTH PLAIN of RFC 4954 §4 and RFC 4616). It uses
//! what the EHLO reply offers: PIPELINING (RFC 2920 §3.1), SIZE (RFC 1870 §4–§6), 8BITMIME
//! (RFC 6152 §3). Reply classes and enhanced status codes (RFC 3463) end in an [`Outcome`]
//! that says, per recipient, delivered, retry or bounce.
//!
//! # Driving it (after quinn-proto's connection)
//! - Construct with [`SmtpClient::new`] (one job) or [`SmtpClient::with_jobs`] (several, for
//!   one server) as soon as the TCP connection is open.
//! - Inputs: [`handle_input`](SmtpClient::handle_input) with server bytes (split anywhere),
//!   [`connection_closed`](SmtpClient::connection_closed) when the peer goes away,
//!   [`handle_timeout`](SmtpClient::handle_timeout) when the driver's reply timer fires.
//! - After every input, drain the outputs: [`poll_output`](SmtpClient::poll_output) (bytes to
//!   write, one call = one write, so a pipelined group is one write) and
//!   [`poll_event`](SmtpClient::poll_event) (the transcript and the outcome, in order).
//! - [`reply_timeout`](SmtpClient::reply_timeout) says how long RFC 5321 §4.5.3.2 lets the
//!   awaited reply take; the driver keeps the clock (ARCHITECTURE.md rule 3), restarting the
//!   timer whenever bytes move.
//! - Getters: [`state`](SmtpClient::state), [`offered_extensions`](SmtpClient::offered_extensions),
//!   [`outcome`](SmtpClient::outcome), [`is_closed`](SmtpClient::is_closed).
//!
//! # Choices a reader should know about
//! - EHLO first; a 5xx to it falls back to HELO (§3.2), a 4xx is a temporary failure.
//! - AUTH PLAIN is used only when credentials are set *and* the server offers it; otherwise the
//!   session goes on without AUTH and the server decides (a submission server answers 530).
//! - With PIPELINING, MAIL, every RCPT and DATA go out as one group (DATA ends a group, RFC 2920
//!   §3.1) and the replies are read in order. If DATA still gets 354 although no recipient was
//!   accepted, only the final `.` is sent (RFC 2920 §3.1).
//! - The message is refused locally (permanent, MAIL never sent) when it exceeds the announced
//!   SIZE, or has 8-bit octets and 8BITMIME is not offered (RFC 6152 §3 forbids sending it).
//! - A `421` at any point is the server closing the channel (§3.8): temporary, no QUIT.
//! - A malformed or out-of-place reply is a protocol error: temporary failure, then QUIT.
//! - Each job's outcome ([`ClientEvent::Finished`]) is reported as soon as it is known, in the
//!   order of the jobs; [`ClientEvent::Closed`] ends the session (221 received, 421, timeout or
//!   connection lost).
//! - With several jobs, the next transaction starts once the last one's outcome is known (RFC
//!   5321 §3.3), after RSET (§4.1.1.5) if the server may still hold part of it. A refusal of
//!   one transaction (a 4xx or 5xx to MAIL, RCPT, DATA or the final `.`, or a check made before
//!   MAIL) fails that job alone; what ends the session (no greeting, no hello, AUTH refused,
//!   421, a protocol error, a timeout, a lost connection) fails every job not yet finished.
//! - Message lines are written strictly: bare CR or LF in the content become CRLF (§2.3.8, SMTP
//!   smuggling), so no receiver can see an early end of data.
//! - More recipients than the server takes (452 4.5.3, or 552 from older servers) are reported
//!   as temporary per-recipient failures; the MTA retries them in a later transaction
//!   (§4.5.3.1.10).
//!
//! Where things are: `offered` reads the EHLO keywords, `reply_reader` assembles replies,
//! `transaction` handles MAIL, RCPT, DATA and the content, `outcome` holds the result types.

mod offered;
mod outcome;
mod reply_reader;
mod transaction;

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use base64::Engine as _;

use super::command::{parse_command, CommandError, ForwardPath, ReversePath, Verb};
use super::reply::{Reply, ReplyParseError};
use crate::proto::line::{encode_message_data, OutgoingData};

pub use offered::OfferedExtensions;
pub use outcome::{
    FailureReason, Outcome, RecipientStatus, RejectedRecipient, Severity, Stage, TransactionFailure,
};
pub use reply_reader::ReplyReader;

/// A user name and password for AUTH PLAIN (RFC 4616 §2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

/// Who the client is and how it talks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientConfig {
    /// The client host's domain name, given in EHLO/HELO (RFC 5321 §4.1.1.1).
    pub hello_name: String,
    /// Authenticate with AUTH PLAIN when the server offers it (submission, RFC 6409 §4).
    pub credentials: Option<Credentials>,
    /// Send MAIL, RCPT and DATA as one group when the server offers PIPELINING (RFC 2920).
    pub use_pipelining: bool,
}

impl ClientConfig {
    /// A relaying MTA: no credentials, pipelining when offered.
    pub fn new(hello_name: impl Into<String>) -> Self {
        Self {
            hello_name: hello_name.into(),
            credentials: None,
            use_pipelining: true,
        }
    }

    /// The same, authenticating as `user` (a mail client submitting on port 587).
    pub fn with_credentials(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            credentials: Some(Credentials {
                user: user.into(),
                password: password.into(),
            }),
            ..self
        }
    }
}

/// One message to hand over: the envelope (RFC 5321 §2.3.1) and the content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailJob {
    /// The sender; [`ReversePath::Null`] (`<>`) for bounces, which must never bounce (§4.5.5).
    pub reverse_path: ReversePath,
    pub recipients: Vec<ForwardPath>,
    /// An RFC 5322 message with CRLF line endings, not dot-stuffed.
    pub content: Vec<u8>,
}

/// Why a job cannot be sent at all; found before a byte is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidJob {
    /// A session was asked to carry no job at all.
    NoJobs,
    NoRecipients,
    /// A command built from the config or the job would not be a valid command line.
    BadCommand {
        line: String,
        error: CommandError,
    },
    /// AUTH PLAIN separates the user and the password with NUL (RFC 4616 §2).
    NulInCredentials,
}

impl fmt::Display for InvalidJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidJob::NoJobs => f.write_str("a session needs at least one message to send"),
            InvalidJob::NoRecipients => f.write_str("a message needs at least one recipient"),
            InvalidJob::BadCommand { line, error } => write!(f, "{line:?}: {error}"),
            InvalidJob::NulInCredentials => {
                f.write_str("a user name or password for AUTH PLAIN cannot contain NUL")
            }
        }
    }
}

impl std::error::Error for InvalidJob {}

/// Where the session is, named as a learner would understand it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientState {
    /// Connected; waiting for the server's 220 greeting.
    AwaitingGreeting,
    /// EHLO or HELO sent.
    Hello,
    /// AUTH sent.
    Authenticating,
    /// MAIL, RCPT and DATA: giving the envelope.
    Envelope,
    /// RSET sent: clearing what the server kept of a failed transaction before the next.
    Resetting,
    /// The content and its final `.` sent; waiting for the server to take the message.
    MessageSent,
    /// The outcome is known and QUIT sent; waiting for 221.
    Quitting,
    Closed,
}

impl fmt::Display for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientState::AwaitingGreeting => "waiting for the greeting",
            ClientState::Hello => "saying hello",
            ClientState::Authenticating => "authenticating",
            ClientState::Envelope => "giving the envelope",
            ClientState::Resetting => "resetting for the next message",
            ClientState::MessageSent => "message sent, waiting for acceptance",
            ClientState::Quitting => "quitting",
            ClientState::Closed => "closed",
        })
    }
}

/// What happened, in order: the transcript, each recipient's fate, the outcome, the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// A command line went out (`line` without its CRLF).
    Sent {
        verb: Verb,
        line: String,
    },
    /// The message content went out: `size` octets before stuffing, and the lines that got an
    /// extra leading dot (RFC 5321 §4.5.2).
    SentMessage {
        size: u64,
        dot_stuffed_lines: Vec<usize>,
    },
    /// A reply came in, answering `answered` (`None`: the greeting, or nothing was awaited).
    /// The reply to the content's final `.` answers [`Verb::Data`], as on the server side.
    Received {
        reply: Reply,
        answered: Option<Verb>,
    },
    /// Bytes that are not a well-formed reply.
    MalformedReply(ReplyParseError),
    RecipientAccepted {
        address: String,
    },
    RecipientRejected {
        address: String,
        reply: Reply,
        severity: Severity,
    },
    /// A job's outcome; comes once per job, in the order of the jobs, before QUIT.
    Finished(Outcome),
    /// The session is over; the driver closes the connection.
    Closed,
}

/// What a reply in the queue will answer (RFC 2920: replies come in the order of commands).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Awaiting {
    Greeting,
    Ehlo,
    Helo,
    Auth,
    Mail,
    /// RCPT for the job's recipient at this index.
    Rcpt(usize),
    Data,
    EndOfData,
    Rset,
    Quit,
}

impl Awaiting {
    fn verb(self) -> Option<Verb> {
        Some(match self {
            Awaiting::Greeting => return None,
            Awaiting::Ehlo => Verb::Ehlo,
            Awaiting::Helo => Verb::Helo,
            Awaiting::Auth => Verb::Auth,
            Awaiting::Mail => Verb::Mail,
            Awaiting::Rcpt(_) => Verb::Rcpt,
            Awaiting::Data | Awaiting::EndOfData => Verb::Data,
            Awaiting::Rset => Verb::Rset,
            Awaiting::Quit => Verb::Quit,
        })
    }

    fn stage(self) -> Stage {
        match self {
            Awaiting::Greeting => Stage::Greeting,
            Awaiting::Ehlo | Awaiting::Helo => Stage::Hello,
            Awaiting::Auth => Stage::Authentication,
            // RSET only comes before the next job's MAIL.
            Awaiting::Mail | Awaiting::Rset => Stage::MailFrom,
            Awaiting::Rcpt(_) => Stage::Recipients,
            Awaiting::Data => Stage::Data,
            // QUIT is only sent once the outcome is known; its stage is never reported.
            Awaiting::EndOfData | Awaiting::Quit => Stage::EndOfData,
        }
    }

    /// RFC 5321 §4.5.3.2: 5 minutes for the greeting, MAIL and RCPT, 2 for DATA's 354, 10 for
    /// the end of data; the RFC names none for EHLO, AUTH and QUIT, so they get 5 too.
    fn timeout(self) -> Duration {
        const MINUTE: u64 = 60;
        Duration::from_secs(match self {
            Awaiting::Data => 2 * MINUTE,
            Awaiting::EndOfData => 10 * MINUTE,
            _ => 5 * MINUTE,
        })
    }
}

/// A [`MailJob`] checked and made ready for the wire.
struct PreparedJob {
    reverse_path: String,
    /// The recipients as written in RCPT TO, without angle brackets; each address moves on
    /// into the outcome (and leaves an empty string) once its RCPT is answered.
    recipients: Vec<String>,
    message: OutgoingData,
    message_has_8bit: bool,
}

impl PreparedJob {
    /// Checks every command line the job needs with the command parser, so none can carry
    /// CR, LF or a malformed address onto the wire.
    fn new(job: MailJob) -> Result<Self, InvalidJob> {
        let reverse_path = match &job.reverse_path {
            ReversePath::Null => String::new(),
            ReversePath::Mailbox(mailbox) => mailbox.to_string(),
        };
        let recipients: Vec<String> = job
            .recipients
            .iter()
            .map(|path| match path {
                ForwardPath::Postmaster => "Postmaster".to_string(),
                ForwardPath::Mailbox(mailbox) => mailbox.to_string(),
            })
            .collect();
        let mail = path_line("MAIL FROM:<", &reverse_path, 0);
        let rcpt_lines = recipients.iter().map(|to| path_line("RCPT TO:<", to, 0));
        for line in std::iter::once(mail).chain(rcpt_lines) {
            check_command_line(line)?;
        }
        Ok(Self {
            reverse_path,
            recipients,
            message: encode_message_data(&job.content),
            message_has_8bit: !job.content.is_ascii(),
        })
    }
}

/// `Ok` if `line` parses as a command.
fn check_command_line(line: String) -> Result<(), InvalidJob> {
    match parse_command(line.as_bytes()) {
        Ok(_) => Ok(()),
        Err(error) => Err(InvalidJob::BadCommand { line, error }),
    }
}

/// One SMTP client session delivering one [`MailJob`] or several in turn (sans-IO); see the
/// module doc for the order of calls.
pub struct SmtpClient {
    config: ClientConfig,
    /// The job of the transaction under way (or the last one, once all are finished).
    job: PreparedJob,
    /// The jobs still to send after it, in order.
    jobs_after: VecDeque<PreparedJob>,
    /// The current job's outcome is known.
    decided: bool,
    /// MAIL went out and its transaction did not end with a reply to the final `.`: the
    /// server may still hold part of it, so the next job begins with RSET.
    transaction_open: bool,
    state: ClientState,
    offered: OfferedExtensions,
    pipelining: bool,
    awaiting: VecDeque<Awaiting>,
    replies: ReplyReader,
    accepted: Vec<String>,
    rejected: Vec<RejectedRecipient>,
    /// With pipelining, MAIL failed and the replies to the rest of the group are still coming.
    envelope_failure: Option<TransactionFailure>,
    outcome: Option<Outcome>,
    output: Vec<u8>,
    events: VecDeque<ClientEvent>,
}

impl SmtpClient {
    /// Starts a session on a fresh connection that hands over `job`: waits for the greeting.
    /// Every command line the job needs is checked with the command parser first, so none can
    /// carry CR, LF or a malformed address onto the wire.
    pub fn new(config: ClientConfig, job: MailJob) -> Result<Self, InvalidJob> {
        Self::with_jobs(config, vec![job])
    }

    /// The same for several jobs to one server, one transaction each, in the order given (RFC
    /// 5321 §3.3), as an MTA hands over the mail it has queued for a server.
    pub fn with_jobs(config: ClientConfig, jobs: Vec<MailJob>) -> Result<Self, InvalidJob> {
        if jobs.iter().any(|job| job.recipients.is_empty()) {
            return Err(InvalidJob::NoRecipients);
        }
        if config.credentials.as_ref().is_some_and(|credentials| {
            credentials.user.contains('\0') || credentials.password.contains('\0')
        }) {
            return Err(InvalidJob::NulInCredentials);
        }
        check_command_line(command_line("EHLO ", &config.hello_name))?;
        let mut jobs_after = jobs
            .into_iter()
            .map(PreparedJob::new)
            .collect::<Result<VecDeque<_>, _>>()?;
        let job = jobs_after.pop_front().ok_or(InvalidJob::NoJobs)?;
        let most_recipients = std::iter::once(&job)
            .chain(&jobs_after)
            .map(|job| job.recipients.len())
            .max()
            .unwrap_or_default();
        // Room for a pipelined group's replies (MAIL, every RCPT, DATA) and one more.
        let mut awaiting = VecDeque::with_capacity(most_recipients + 3);
        awaiting.push_back(Awaiting::Greeting);
        let accepted = Vec::with_capacity(most_recipients);
        Ok(Self {
            config,
            job,
            jobs_after,
            decided: false,
            transaction_open: false,
            state: ClientState::AwaitingGreeting,
            offered: OfferedExtensions::default(),
            pipelining: false,
            awaiting,
            replies: ReplyReader::new(),
            accepted,
            rejected: Vec::new(),
            envelope_failure: None,
            outcome: None,
            output: Vec::new(),
            // Room for what one reply usually sets off, so short sessions never grow it.
            events: VecDeque::with_capacity(8),
        })
    }

    /// Bytes from the server, split anywhere.
    pub fn handle_input(&mut self, bytes: &[u8]) {
        if self.state == ClientState::Closed {
            return;
        }
        self.replies.push(bytes);
        while self.state != ClientState::Closed {
            match self.replies.next_reply() {
                Some(Ok(reply)) => self.handle_reply(reply),
                Some(Err(error)) => self.handle_malformed_reply(error),
                None => break,
            }
        }
    }

    /// The server went away. For every job whose outcome is not known yet this is a temporary
    /// failure (RFC 5321 §4.1.1.4: a message is the server's only after its 250 to the final
    /// `.`).
    pub fn connection_closed(&mut self) {
        if self.state == ClientState::Closed {
            return;
        }
        let stage = self.current_stage();
        self.fail_every_job_left(stage, FailureReason::ConnectionLost);
        self.close();
    }

    /// The awaited reply did not come within [`reply_timeout`](Self::reply_timeout): the
    /// session ends without QUIT, as the server is not listening (RFC 5321 §4.5.3.2).
    pub fn handle_timeout(&mut self) {
        if self.state == ClientState::Closed {
            return;
        }
        let stage = self.current_stage();
        self.fail_every_job_left(stage, FailureReason::TimedOut);
        self.close();
    }

    /// How long to wait for the awaited reply, `None` when nothing is awaited.
    pub fn reply_timeout(&self) -> Option<Duration> {
        self.awaiting.front().map(|awaiting| awaiting.timeout())
    }

    /// Bytes to write to the server.
    #[must_use]
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        (!self.output.is_empty()).then(|| std::mem::take(&mut self.output))
    }

    #[must_use]
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    pub fn state(&self) -> ClientState {
        self.state
    }

    /// What the server's EHLO reply offered (nothing before it, or after HELO).
    pub fn offered_extensions(&self) -> &OfferedExtensions {
        &self.offered
    }

    /// The outcome of the last job whose outcome is known (each is also sent as
    /// [`ClientEvent::Finished`]).
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    pub fn is_closed(&self) -> bool {
        self.state == ClientState::Closed
    }

    // ---- replies -------------------------------------------------------------------------

    /// Acts on `reply`, then puts it in the transcript ahead of whatever it caused: the
    /// handlers read it, and copy it only into a failure.
    fn handle_reply(&mut self, reply: Reply) {
        let awaiting = self.awaiting.pop_front();
        let position = self.events.len();
        self.react(awaiting, &reply);
        self.events.insert(
            position,
            ClientEvent::Received {
                reply,
                answered: awaiting.and_then(Awaiting::verb),
            },
        );
    }

    fn react(&mut self, awaiting: Option<Awaiting>, reply: &Reply) {
        if self.state == ClientState::Quitting {
            // Replies to commands sent before QUIT may still come; QUIT's own (or 421) ends it.
            if awaiting == Some(Awaiting::Quit) || matches!(reply.code.get(), 221 | 421) {
                self.close();
            }
            return;
        }
        let Some(awaiting) = awaiting else {
            let detail = format!("a reply when none was awaited: {reply}");
            return self.fail(self.current_stage(), FailureReason::ProtocolError(detail));
        };
        if reply.code.get() == 421 {
            // RFC 5321 §3.8: the server is closing the channel, so there is no QUIT to send.
            self.fail_every_job_left(awaiting.stage(), FailureReason::Rejected(reply.clone()));
            return self.close();
        }
        match awaiting {
            // RFC 5321 §3.1: 220 to go on; 554 (no service here) ends in QUIT.
            Awaiting::Greeting if reply.code.get() == 220 => {
                self.send_command(
                    Awaiting::Ehlo,
                    command_line("EHLO ", &self.config.hello_name),
                );
                self.set_state(ClientState::Hello);
            }
            Awaiting::Ehlo if reply.code.class() == 2 => {
                self.offered = OfferedExtensions::from_ehlo_reply(reply);
                self.after_hello();
            }
            // RFC 5321 §3.2: a server that does not know EHLO answers 5xx; HELO still works.
            Awaiting::Ehlo if reply.code.class() == 5 => {
                self.send_command(
                    Awaiting::Helo,
                    command_line("HELO ", &self.config.hello_name),
                );
            }
            Awaiting::Helo if reply.code.class() == 2 => self.after_hello(),
            // RFC 4954 §6: 235 authenticated; 535 bad credentials and 4xx are failures.
            Awaiting::Auth if reply.code.class() == 2 => self.start_transaction(),
            Awaiting::Mail => self.on_mail_reply(reply),
            Awaiting::Rcpt(index) => self.on_rcpt_reply(index, reply),
            Awaiting::Data => self.on_data_reply(reply),
            Awaiting::EndOfData => self.on_end_of_data_reply(reply),
            Awaiting::Rset if reply.code.class() == 2 => self.start_transaction(),
            // The server would not clear the session: no further transaction in it.
            Awaiting::Rset => {
                let reason =
                    FailureReason::ProtocolError(format!("{} does not answer RSET", reply.code));
                self.fail_session(Stage::MailFrom, reason);
            }
            Awaiting::Greeting | Awaiting::Ehlo | Awaiting::Helo | Awaiting::Auth => {
                self.give_up(awaiting.stage(), reply);
            }
            // Only sent while quitting, which returned above.
            Awaiting::Quit => self.close(),
        }
    }

    fn handle_malformed_reply(&mut self, error: ReplyParseError) {
        self.events
            .push_back(ClientEvent::MalformedReply(error.clone()));
        if self.state == ClientState::Quitting {
            return self.close();
        }
        let stage = self.current_stage();
        self.awaiting.pop_front();
        self.fail(stage, FailureReason::ProtocolError(error.0));
    }

    /// After 250 to EHLO or HELO: authenticate if asked to and offered, else open the
    /// transaction.
    fn after_hello(&mut self) {
        let credentials = self
            .config
            .credentials
            .as_ref()
            .filter(|_| self.offered.offers_auth("PLAIN"));
        match credentials {
            Some(Credentials { user, password }) => {
                // RFC 4616 §2: authzid NUL authcid NUL passwd; an empty authzid means "as authcid".
                let response = base64::engine::general_purpose::STANDARD
                    .encode(format!("\0{user}\0{password}"));
                // RFC 4954 §4: the initial response saves a round trip; AUTH ends a pipelined group.
                self.send_command(Awaiting::Auth, format!("AUTH PLAIN {response}"));
                self.set_state(ClientState::Authenticating);
            }
            None => self.start_transaction(),
        }
    }

    /// A reply that does not let the session go on: a 4xx or 5xx fails the transaction with
    /// it; any other code is out of place here, a protocol error.
    fn give_up(&mut self, stage: Stage, reply: &Reply) {
        let reason = if matches!(reply.code.class(), 4 | 5) {
            FailureReason::Rejected(reply.clone())
        } else {
            FailureReason::ProtocolError(format!("{} does not answer {stage}", reply.code))
        };
        self.fail(stage, reason);
    }

    fn current_stage(&self) -> Stage {
        // Something is awaited from construction until the session closes.
        self.awaiting
            .front()
            .map_or(Stage::Greeting, |awaiting| awaiting.stage())
    }

    // ---- the end -------------------------------------------------------------------------

    /// Reports the current job's failure, then goes on with the next job if the failure was
    /// this transaction's alone, or quits, failing every job left, if it ends the session.
    fn fail(&mut self, stage: Stage, reason: FailureReason) {
        if fails_only_the_transaction(stage, &reason) {
            self.decide_failure(stage, reason);
            self.next_job_or_quit();
        } else {
            self.fail_session(stage, reason);
        }
    }

    /// Fails every job left for `reason`, then quits.
    fn fail_session(&mut self, stage: Stage, reason: FailureReason) {
        self.fail_every_job_left(stage, reason);
        self.quit();
    }

    /// The current job (unless its outcome is known) fails at `stage`, and every job after
    /// it for the same reason: at the same stage if the session never got as far as a
    /// transaction, else at MAIL, which none of them reached.
    fn fail_every_job_left(&mut self, stage: Stage, reason: FailureReason) {
        let jobs_after = std::mem::take(&mut self.jobs_after);
        let later_stage = match stage {
            Stage::Greeting | Stage::Hello | Stage::Authentication => stage,
            Stage::MailFrom | Stage::Recipients | Stage::Data | Stage::EndOfData => Stage::MailFrom,
        };
        if !self.decided {
            self.decide_failure(stage, reason.clone());
        }
        for _ in jobs_after {
            self.decide_failure(later_stage, reason.clone());
        }
    }

    fn decide_failure(&mut self, stage: Stage, reason: FailureReason) {
        let rejected = std::mem::take(&mut self.rejected);
        self.decide(Outcome::Failed {
            failure: TransactionFailure { stage, reason },
            rejected,
        });
    }

    fn decide(&mut self, outcome: Outcome) {
        self.events
            .push_back(ClientEvent::Finished(outcome.clone()));
        self.outcome = Some(outcome);
        self.decided = true;
    }

    /// After a job's outcome: the next job's transaction (after RSET if the server may still
    /// hold part of the last one), or QUIT when no job is left.
    fn next_job_or_quit(&mut self) {
        if !self.take_next_job() {
            return self.quit();
        }
        if std::mem::take(&mut self.transaction_open) {
            // RFC 5321 §4.1.1.5: RSET aborts the transaction and clears its buffers.
            self.send_command(Awaiting::Rset, "RSET".into());
            self.set_state(ClientState::Resetting);
        } else {
            self.start_transaction();
        }
    }

    /// Makes the next job the current one; `false` if none is left.
    fn take_next_job(&mut self) -> bool {
        let Some(job) = self.jobs_after.pop_front() else {
            return false;
        };
        self.job = job;
        self.decided = false;
        self.accepted.clear();
        self.rejected.clear();
        self.envelope_failure = None;
        true
    }

    /// RFC 5321 §4.1.1.10: QUIT, then wait for 221.
    fn quit(&mut self) {
        self.send_command(Awaiting::Quit, "QUIT".into());
        self.set_state(ClientState::Quitting);
    }

    fn close(&mut self) {
        self.awaiting.clear();
        self.set_state(ClientState::Closed);
        self.events.push_back(ClientEvent::Closed);
    }

    // ---- output --------------------------------------------------------------------------

    /// Writes one command line and remembers that its reply is due.
    fn send_command(&mut self, awaiting: Awaiting, line: String) {
        // Every command answers to a verb; only the greeting, which is never sent, has none.
        let Some(verb) = awaiting.verb() else {
            return;
        };
        self.output.reserve(line.len() + 2);
        self.output.extend_from_slice(line.as_bytes());
        self.output.extend_from_slice(b"\r\n");
        self.awaiting.push_back(awaiting);
        self.events.push_back(ClientEvent::Sent { verb, line });
    }

    fn set_state(&mut self, state: ClientState) {
        self.state = state;
    }
}

/// Whether a failure leaves the session fit for the next job: a refusal of this transaction
/// (a 4xx or 5xx to MAIL, RCPT, DATA or the final `.`, or a check made before MAIL) does;
/// anything else (no greeting, no hello, no AUTH, a protocol error, a lost connection, a
/// timeout) ends the session.
fn fails_only_the_transaction(stage: Stage, reason: &FailureReason) -> bool {
    let in_a_transaction = matches!(
        stage,
        Stage::MailFrom | Stage::Recipients | Stage::Data | Stage::EndOfData
    );
    let refused = matches!(
        reason,
        FailureReason::Rejected(_)
            | FailureReason::MessageTooBig { .. }
            | FailureReason::EightBitNotOffered
    );
    in_a_transaction && refused
}

/// `prefix` and `argument` as one command line, in a string of the right size.
fn command_line(prefix: &str, argument: &str) -> String {
    let mut line = String::with_capacity(prefix.len() + argument.len());
    line.push_str(prefix);
    line.push_str(argument);
    line
}

/// `prefix` (ending in `<`), `path` and `>`, with room for `parameters` more octets.
fn path_line(prefix: &str, path: &str, parameters: usize) -> String {
    let mut line = String::with_capacity(prefix.len() + path.len() + 1 + parameters);
    line.push_str(prefix);
    line.push_str(path);
    line.push('>');
    line
}

#[cfg(test)]
mod tests;
