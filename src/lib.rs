//! Kurir: a browser app that teaches how email really works.
//!
//! ```text
//!  ui/        (Leptos, web-sys)   draws state, sends learner input      — browser only
//!  terminal/  what the learner typed → local commands or protocol lines
//!  sim/       the default teaching world: hosts, accounts, the servers on them
//!  proto/     SMTP engine: sans-IO state machines (bytes in → bytes, events out)
//! ```
//! Everything but `ui` is plain Rust: no browser crates, no clock, no unseeded randomness,
//! so `cargo test` runs it natively (docs/ARCHITECTURE.md).

pub mod lang;
pub mod mail;
pub mod net;
pub mod proto;
pub mod sim;
pub mod terminal;
pub mod ui;
pub mod wire;
