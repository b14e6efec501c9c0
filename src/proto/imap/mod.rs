//! IMAP (RFC 9051, and what RFC 3501 clients still send): how a mail client works with mail
//! that stays on the server — folders, flags, several devices in step.
//!
//! - [`reader`]: where one command ends, literals (`{n}`, `{n+}`) included.
//! - [`command`]: a command read into its tag, name and arguments.
//! - [`store`]: what the server engine needs of the mail it serves (its caller's store).
//! - [`response`]: strings, flag lists and ENVELOPEs as IMAP writes them.
//! - [`server`]: one server session as a sans-IO state machine.
//! - [`client`]: a mail client's session that keeps mail on the server and syncs a device.
//! - [`explain`]: what each response means and what to type next, in English and Indonesian.

pub mod client;
pub mod command;
pub mod explain;
pub mod reader;
pub mod response;
pub mod server;
pub mod store;
