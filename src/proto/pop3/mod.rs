//! POP3, the Post Office Protocol (RFC 1939, extensions of RFC 2449): how a mail client
//! fetches the mail that SMTP delivered into a mailbox — log in, list, download, delete.
//!
//! - [`command`]: the command lines a client sends, parsed and checked for shape.
//! - [`server`]: one server session as a sans-IO state machine over a maildrop the caller
//!   locks and hands over.

pub mod command;
pub mod server;

pub use server::{MaildropMessage, Pop3Account, Pop3Event, Pop3Server, Pop3State};
