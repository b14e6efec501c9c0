//! SMTP (RFC 5321) with the ESMTP extensions Kurir offers: SIZE (RFC 1870), 8BITMIME (RFC 6152),
//! PIPELINING (RFC 2920), ENHANCEDSTATUSCODES (RFC 2034, codes from RFC 3463/5248), HELP and,
//! on the submission port, AUTH PLAIN/LOGIN (RFC 4954, RFC 6409), with an optional sending limit
//! per account (`451 4.7.1`, RFC 3463 §3.8).
//!
//! - [`command`]: command verbs and the line parser (RFC 5321 §4.1).
//! - [`reply`]: reply codes and well-formed reply lines (RFC 5321 §4.2).
//! - [`status`]: enhanced status codes and their titles (RFC 3463).
//! - [`server`]: the server session, a sans-IO state machine (RFC 5321 §3, §4).
//! - [`client`]: the client session that delivers one message (RFC 5321 §3, §4; RFC 2920).
//! - [`explain`]: what a reply means and what to type next, in English and Indonesian.

pub mod client;
pub mod command;
mod decimal;
pub mod explain;
pub mod reply;
pub mod server;
pub mod status;
pub(crate) mod trace;

pub use client::{
    ClientConfig, ClientEvent, ClientState, Credentials, FailureReason, InvalidJob, MailJob,
    OfferedExtensions, Outcome, RecipientStatus, RejectedRecipient, ReplyReader, Severity,
    SmtpClient, Stage, TransactionFailure,
};
pub use command::{
    parse_command, parse_command_ref, Command, CommandError, CommandErrorKind, CommandRef,
    ForwardPath, ForwardPathRef, Mailbox, MailboxRef, Parameters, ReversePath, ReversePathRef,
    Verb,
};
pub use explain::{explain, Explanation};
pub use reply::{Reply, ReplyCode, ReplyParseError};
pub use server::{
    AcceptedMessage, Account, Accounts, Envelope, Extensions, LimitReached, PeerInfo, PortRole,
    SendingLedger, SendingLimit, ServerEvent, ServerPolicy, SessionState, SmtpServer,
};
pub use status::EnhancedStatus;
