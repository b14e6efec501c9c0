//! What the network map shows, as plain values computed from the world: where hosts and
//! links sit ([`layout`]). The UI draws these; it computes no geometry of its own.

pub mod layout;
