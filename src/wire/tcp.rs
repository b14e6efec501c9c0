//! TCP segments (RFC 9293 §3.1): the typed form the connection state machine works with.

/// The control bits of a TCP header (RFC 9293 §3.1), in header order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TcpFlags {
    pub cwr: bool,
    pub ece: bool,
    pub urg: bool,
    pub ack: bool,
    pub psh: bool,
    pub rst: bool,
    pub syn: bool,
    pub fin: bool,
}

/// A TCP segment as its fields: what `parse` reads from bytes and `emit` writes to bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TcpRepr {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub ack: u32,
    pub flags: TcpFlags,
    pub window: u16,
    /// The MSS option (kind 2), sent on SYN segments.
    pub mss: Option<u16>,
    pub payload: Vec<u8>,
}
