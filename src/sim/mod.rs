//! The simulated world Kurir teaches with: plain Rust, no clock, no OS randomness
//! (docs/ARCHITECTURE.md rules 1–2).
//!
//! - `default_world`: the teaching world's hosts, accounts and SMTP services, and its network
//!   laid out as a [`topology::Topology`].
//! - `time`: virtual time ([`time::SimTime`], [`time::SimDuration`]) in microseconds.
//! - `rng`: the world's one seeded random source (PCG32) and [`rng::Probability`].
//! - `queue`: the event queue, ordered by (time, sequence number).
//! - `id`: the newtype ids of hosts, links, frames, messages and connections.
//! - `id_map`: [`id_map::IdMap`], a map keyed by such an id, a vector slot per id.
//! - `topology`: hosts, interfaces, links, routes; the edits scenarios make; routing answers.
//! - `zone`: the DNS zones dns.example serves (A, MX, PTR, TXT) and lookups in them.
//! - `event`: the append-only log of typed events, by layer, with a stable hash.
//! - `scenario`: named teaching scenarios as data ([`scenario::SCENARIOS`]), run to a
//!   finished [`world::World`].
//! - `stable_hash`: FNV-1a, the hash that is the same in every run.
//! - `world`: the [`world::World`] that runs it all: frames, ARP, IP, TCP, SMTP
//!   sessions, DNS and the mail servers' relaying queues.

pub mod campaign;
pub mod default_world;
pub mod event;
pub mod id;
pub mod id_map;
pub mod queue;
pub mod rng;
pub mod scenario;
pub mod stable_hash;
pub mod time;
pub mod topology;
pub mod world;
pub mod zone;
