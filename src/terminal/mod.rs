//! The learner's terminal, as plain logic: what she typed becomes a local command or a protocol
//! line (SMTP, POP3 or IMAP, by the port connected to); history, completion and the scrollback
//! live here so they are tested natively.

pub mod completion;
pub mod console;
pub mod history;
pub mod imap_reader;
pub mod imap_talk;
pub mod labels;
pub mod local_command;
pub mod notice;
pub mod pop3_reader;
pub mod pop3_talk;
pub mod smtp_talk;
pub mod talk;

pub use console::{Entry, LineKind, ScrollbackLine, SessionDetails, SessionView, Terminal};
pub use imap_reader::ImapResponse;
pub use notice::Notice;
pub use pop3_reader::Pop3Reply;
