//! Mail at rest: what a server keeps after it said `250` to the end of data.

pub mod dsn;
pub mod mailbox;
pub mod maildrop;
pub mod mta;
