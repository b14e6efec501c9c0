//! Packet views: every layer of a frame as typed fields over real bytes, with parse and emit.
//! Plain Rust, no I/O, no clock; the simulation emits every frame through these so it exists
//! as bytes that the inspector can show and Wireshark can open.
//!
//! Each protocol has two halves, after smoltcp: a *packet view* (`Packet<T: AsRef<[u8]>>`)
//! whose getters read fields straight from the bytes and whose `new_checked` guarantees no
//! getter can panic, and a *repr* (`…Repr`) holding the fields as Rust values, with `parse`
//! (view → repr, checking what the RFC requires) and `emit` (repr → view).
//!
//! | file | follows |
//! |---|---|
//! | [`checksum`] | RFC 1071 (Internet checksum), RFC 1624 (incremental update), RFC 9293 §3.1 and RFC 768 (pseudo-header) |
//! | [`ethernet`] | Ethernet II / DIX framing (IEEE 802.3 clause 3.2.6 type field), EtherTypes from RFC 9542 |
//! | [`arp`] | RFC 826 (ARP for IPv4 over Ethernet) |
//! | [`ipv4`] | RFC 791 §3.1 (header), RFC 1122 §3.2.1.7 (TTL) |
//! | [`tcp`] | RFC 9293 §3.1 (header, checksum), §3.2 (options: EOL, NOP, MSS) |
//! | [`udp`] | RFC 768, RFC 1122 §4.1.3.4 (checksum) |
//! | [`dns`] | RFC 1035 §3.1–§3.3, §4.1 (messages, compression), RFC 7505 (null MX), RFC 3597 (unknown types) |
//! | [`pcap`] | the classic libpcap file format (draft-ietf-opsawg-pcap), linktype 1 (Ethernet) |
//! | [`layers`] | the five-layer teaching model: a frame as a tree of named fields with byte ranges |

use std::fmt;

pub mod arp;
pub mod checksum;
pub mod dns;
pub mod ethernet;
pub mod ipv4;
pub mod layers;
mod network_order;
pub mod pcap;
pub mod tcp;
pub mod udp;

#[cfg(test)]
mod samples;

/// Why bytes could not be read as a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// The bytes end before the header (or a length field) says they should.
    Truncated,
    /// A field holds a value the protocol does not allow (bad version, length, label, option).
    Malformed,
    /// The checksum does not match the bytes: they were damaged on the way.
    BadChecksum,
    /// Valid, but something this simulator does not model (e.g. IP fragments, non-IPv4 ARP).
    Unsupported,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Error::Truncated => "truncated: the packet ends before its header says it should",
            Error::Malformed => "malformed: a field holds a value the protocol does not allow",
            Error::BadChecksum => "bad checksum: the bytes were damaged on the way",
            Error::Unsupported => "unsupported: valid, but not something this simulator models",
        })
    }
}

impl std::error::Error for Error {}

/// The result of reading a packet.
pub type Result<T> = core::result::Result<T, Error>;
