//! What the network map shows, as plain values computed from the world: where hosts and
//! links sit ([`layout`]), what a picked host holds ([`host_card`]), the drawing itself ([`map_svg`]) and how fast virtual time runs while it plays ([`playback`]). The UI
//! draws these; it computes no geometry or pacing of its own.

pub mod host_card;
pub mod layout;
pub mod mail_hops;
pub mod map_svg;
pub mod motion;
pub mod markup;
pub mod playback;
