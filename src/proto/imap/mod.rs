//! IMAP (RFC 9051, and what RFC 3501 clients still send): how a mail client works with mail
//! that stays on the server — folders, flags, several devices in step.
//!
//! - [`reader`]: where one command ends, literals (`{n}`, `{n+}`) included.
//! - [`command`]: a command read into its tag, name and arguments.

pub mod command;
pub mod reader;
