//! Packet views: every layer of a frame as typed fields over real bytes, with parse and emit.
//! Plain Rust, no I/O; the simulation emits every frame through these so it exists as bytes.

pub mod tcp;
