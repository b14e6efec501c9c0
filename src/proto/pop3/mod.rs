//! POP3, the Post Office Protocol (RFC 1939, extensions of RFC 2449): how a mail client
//! fetches the mail that SMTP delivered into a mailbox — log in, list, download, delete.
//!
//! - [`command`]: the command lines a client sends, parsed and checked for shape.
//! - [`server`]: one server session as a sans-IO state machine over a maildrop the caller
//!   locks and hands over.
//! - [`explain`]: what each reply means and what to type next, in English and Indonesian.
//! - [`client`]: a mail client's session that downloads the maildrop, then deletes what it
//!   downloaded or leaves it on the server.

pub mod client;
pub mod command;
pub mod explain;
pub mod server;

pub use client::{FetchMode, FetchOutcome, Pop3Client, Pop3ClientEvent};
pub use server::{MaildropMessage, Pop3Event, Pop3Server, Pop3State};
