//! Protocol engines: sans-IO state machines that turn bytes in into bytes and events out.
//!
//! They know nothing of hosts, links or clocks (ARCHITECTURE.md rule 3): the simulated world,
//! the learner's terminal and the native loopback bridge all drive the same engine.
//!
//! - [`login`]: the credentials the mail-reading servers accept.
//! - [`line`]: CRLF line framing and SMTP message data (dot-stuffing, end of data).
//! - [`smtp`]: the SMTP server and client engines, their commands, replies and explanations.
//! - [`pop3`]: the POP3 server and client engines, with which a mail client fetches its mail.
//! - [`imap`]: IMAP's command framing and parsing, the start of its engines.

pub mod imap;
pub mod line;
pub mod login;
pub mod pop3;
pub mod smtp;
