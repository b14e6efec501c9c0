//! Kurir: a browser app that teaches how email really works.
//!
//! ```text
//!  ui/        (Leptos, web-sys)   draws state, sends learner input      — browser only
//!  scene/     what the network map shows: layout of hosts, links and areas
//!  terminal/  what the learner typed → local commands or protocol lines
//!  lesson/    guided lessons: data, checks over the world's log, progress
//!  sim/       the world: time, event queue, seeded RNG, topology, DNS zones, event log,
//!             and the default teaching world's hosts, accounts and services
//!  net/       transport logic of simulated hosts: the TCP connection state machine
//!  proto/     SMTP server and client engines: sans-IO (bytes in → bytes, events out)
//!  mail/      mail at rest: mailboxes and the outbound queue
//!  wire/      packet views over real bytes: Ethernet, ARP, IPv4, TCP, UDP, DNS, pcap
//! ```
//! Everything but `ui` is plain Rust: no browser crates, no clock, no unseeded randomness,
//! so `cargo test` runs it natively (docs/ARCHITECTURE.md).

pub mod lang;
pub mod lesson;
pub mod mail;
pub mod net;
pub mod proto;
pub mod scene;
pub mod sim;
pub mod terminal;
pub mod ui;
pub mod wire;
