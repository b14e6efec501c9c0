//! The learner's terminal, as plain logic: what she typed becomes a local command or a protocol
//! line; history, completion and the scrollback live here so they are tested natively.

pub mod completion;
pub mod console;
pub mod history;
pub mod local_command;
pub mod notice;

pub use console::{Entry, LineKind, ScrollbackLine, SessionView, Terminal};
pub use notice::Notice;
