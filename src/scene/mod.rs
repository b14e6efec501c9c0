//! What the network map shows, as plain values computed from the world: where hosts and
//! links sit ([`layout`]) and how fast virtual time runs while it plays ([`playback`]). The UI
//! draws these; it computes no geometry or pacing of its own.

pub mod layout;
pub mod playback;
