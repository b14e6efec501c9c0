//! IPv4 headers (RFC 791 §3.1): version and header length, total length, identification,
//! flags and fragment offset, time to live, protocol, header checksum, addresses. The checksum
//! covers the header only; it is verified on parse and computed on emit. A router decrements
//! the TTL (RFC 1122 §3.2.1.7, RFC 1812 §5.3.1) and must then recompute the checksum.
//! Options are skipped on parse and never emitted; fragments are recognised but not reassembled.

use std::fmt;
use std::net::Ipv4Addr;

use super::checksum;
use super::network_order::NetworkOrder;
use super::{Error, Result};

/// What the payload of an IPv4 packet is (the "protocol" field, IANA protocol numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IpProtocol {
    Icmp,
    Tcp,
    Udp,
    Unknown(u8),
}

impl From<u8> for IpProtocol {
    fn from(value: u8) -> Self {
        match value {
            1 => IpProtocol::Icmp,
            6 => IpProtocol::Tcp,
            17 => IpProtocol::Udp,
            other => IpProtocol::Unknown(other),
        }
    }
}

impl From<IpProtocol> for u8 {
    fn from(value: IpProtocol) -> Self {
        match value {
            IpProtocol::Icmp => 1,
            IpProtocol::Tcp => 6,
            IpProtocol::Udp => 17,
            IpProtocol::Unknown(other) => other,
        }
    }
}

impl fmt::Display for IpProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = u8::from(*self);
        match self {
            IpProtocol::Icmp => write!(f, "ICMP ({number})"),
            IpProtocol::Tcp => write!(f, "TCP ({number})"),
            IpProtocol::Udp => write!(f, "UDP ({number})"),
            IpProtocol::Unknown(_) => write!(f, "unknown ({number})"),
        }
    }
}

/// Byte ranges of the fields; the layer inspector reads them too.
pub(super) mod field {
    use std::ops::Range;

    pub const VERSION_AND_HEADER_LEN: usize = 0;
    pub const DSCP_AND_ECN: usize = 1;
    pub const TOTAL_LEN: Range<usize> = 2..4;
    pub const IDENTIFICATION: Range<usize> = 4..6;
    pub const FLAGS_AND_FRAGMENT_OFFSET: Range<usize> = 6..8;
    pub const TTL: usize = 8;
    pub const PROTOCOL: usize = 9;
    pub const CHECKSUM: Range<usize> = 10..12;
    pub const SRC_ADDR: Range<usize> = 12..16;
    pub const DST_ADDR: Range<usize> = 16..20;
}

/// The length of an IPv4 header without options.
pub const HEADER_LEN: usize = field::DST_ADDR.end;

const DONT_FRAGMENT: u16 = 0x4000;
const MORE_FRAGMENTS: u16 = 0x2000;
const FRAGMENT_OFFSET: u16 = 0x1fff;

/// A view of an IPv4 packet over bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Wraps bytes without checking them; getters may panic if they are too short.
    pub const fn new_unchecked(buffer: T) -> Packet<T> {
        Packet { buffer }
    }

    /// Wraps bytes after checking that every getter, `payload` included, can read its field.
    pub fn new_checked(buffer: T) -> Result<Packet<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// Fails with `Truncated` if the bytes are shorter than the header or the total length,
    /// and with `Malformed` if the header length or total length cannot be right.
    pub fn check_len(&self) -> Result<()> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated);
        }
        let header_len = usize::from(self.header_len());
        let total_len = usize::from(self.total_len());
        if header_len < HEADER_LEN || total_len < header_len {
            Err(Error::Malformed)
        } else if len < total_len {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn version(&self) -> u8 {
        self.buffer.as_ref()[field::VERSION_AND_HEADER_LEN] >> 4
    }

    /// The header length in bytes (the IHL field counts 32-bit words).
    pub fn header_len(&self) -> u8 {
        (self.buffer.as_ref()[field::VERSION_AND_HEADER_LEN] & 0x0f) * 4
    }

    pub fn dscp(&self) -> u8 {
        self.buffer.as_ref()[field::DSCP_AND_ECN] >> 2
    }

    pub fn ecn(&self) -> u8 {
        self.buffer.as_ref()[field::DSCP_AND_ECN] & 0x03
    }

    /// Header plus payload, in bytes.
    pub fn total_len(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::TOTAL_LEN)
    }

    pub fn identification(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::IDENTIFICATION)
    }

    pub fn dont_fragment(&self) -> bool {
        self.buffer
            .as_ref()
            .read_u16(field::FLAGS_AND_FRAGMENT_OFFSET)
            & DONT_FRAGMENT
            != 0
    }

    pub fn more_fragments(&self) -> bool {
        self.buffer
            .as_ref()
            .read_u16(field::FLAGS_AND_FRAGMENT_OFFSET)
            & MORE_FRAGMENTS
            != 0
    }

    /// The fragment offset in bytes (the field counts 8-byte units).
    pub fn fragment_offset(&self) -> u16 {
        (self
            .buffer
            .as_ref()
            .read_u16(field::FLAGS_AND_FRAGMENT_OFFSET)
            & FRAGMENT_OFFSET)
            * 8
    }

    pub fn ttl(&self) -> u8 {
        self.buffer.as_ref()[field::TTL]
    }

    pub fn protocol(&self) -> IpProtocol {
        IpProtocol::from(self.buffer.as_ref()[field::PROTOCOL])
    }

    pub fn checksum(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::CHECKSUM)
    }

    pub fn src_addr(&self) -> Ipv4Addr {
        let b = &self.buffer.as_ref()[field::SRC_ADDR];
        Ipv4Addr::new(b[0], b[1], b[2], b[3])
    }

    pub fn dst_addr(&self) -> Ipv4Addr {
        let b = &self.buffer.as_ref()[field::DST_ADDR];
        Ipv4Addr::new(b[0], b[1], b[2], b[3])
    }

    /// Whether the header checksum matches the header bytes.
    pub fn verify_checksum(&self) -> bool {
        let header = &self.buffer.as_ref()[..usize::from(self.header_len())];
        checksum::is_valid(checksum::data_sum(header))
    }

    /// The bytes after the header, up to the total length (anything after that, such as
    /// Ethernet padding, is not part of the packet).
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[usize::from(self.header_len())..usize::from(self.total_len())]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    /// Sets the version to 4 and the header length (in bytes, a multiple of 4).
    pub fn set_version_and_header_len(&mut self, header_len: u8) {
        self.buffer.as_mut()[field::VERSION_AND_HEADER_LEN] = 0x40 | (header_len / 4);
    }

    pub fn set_dscp_and_ecn(&mut self, dscp: u8, ecn: u8) {
        self.buffer.as_mut()[field::DSCP_AND_ECN] = (dscp << 2) | (ecn & 0x03);
    }

    pub fn set_total_len(&mut self, total_len: u16) {
        self.buffer.as_mut().write_u16(field::TOTAL_LEN, total_len);
    }

    pub fn set_identification(&mut self, identification: u16) {
        self.buffer
            .as_mut()
            .write_u16(field::IDENTIFICATION, identification);
    }

    /// Sets the flags and offset of an unfragmented packet, with or without Don't Fragment.
    pub fn set_unfragmented(&mut self, dont_fragment: bool) {
        self.buffer.as_mut().write_u16(
            field::FLAGS_AND_FRAGMENT_OFFSET,
            if dont_fragment { DONT_FRAGMENT } else { 0 },
        );
    }

    pub fn set_ttl(&mut self, ttl: u8) {
        self.buffer.as_mut()[field::TTL] = ttl;
    }

    pub fn set_protocol(&mut self, protocol: IpProtocol) {
        self.buffer.as_mut()[field::PROTOCOL] = protocol.into();
    }

    pub fn set_checksum(&mut self, checksum: u16) {
        self.buffer.as_mut().write_u16(field::CHECKSUM, checksum);
    }

    pub fn set_src_addr(&mut self, addr: Ipv4Addr) {
        self.buffer.as_mut()[field::SRC_ADDR].copy_from_slice(&addr.octets());
    }

    pub fn set_dst_addr(&mut self, addr: Ipv4Addr) {
        self.buffer.as_mut()[field::DST_ADDR].copy_from_slice(&addr.octets());
    }

    /// Computes the header checksum and writes it.
    pub fn fill_checksum(&mut self) {
        self.set_checksum(0);
        let header = &self.buffer.as_ref()[..usize::from(self.header_len())];
        let checksum = checksum::internet_checksum(header);
        self.set_checksum(checksum);
    }

    /// What a router does on forwarding (RFC 1812 §5.3.1): lowers the TTL by one and
    /// updates the checksum for the one word that changed (RFC 1624), which gives what
    /// summing the header again would. Returns the new TTL, or `None` — leaving the packet as
    /// it was — when the TTL is already 0 or 1 and the packet must be dropped instead.
    pub fn decrement_ttl(&mut self) -> Option<u8> {
        let ttl = self.ttl();
        if ttl <= 1 {
            return None;
        }
        // The TTL shares its 16-bit word with the protocol number.
        let protocol = self.buffer.as_ref()[field::PROTOCOL];
        let old_word = u16::from_be_bytes([ttl, protocol]);
        let new_word = u16::from_be_bytes([ttl - 1, protocol]);
        self.set_ttl(ttl - 1);
        self.set_checksum(checksum::update(self.checksum(), old_word, new_word));
        Some(ttl - 1)
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        let range = usize::from(self.header_len())..usize::from(self.total_len());
        &mut self.buffer.as_mut()[range]
    }
}

/// An IPv4 header as values (no options, never fragmented).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Repr {
    pub src_addr: Ipv4Addr,
    pub dst_addr: Ipv4Addr,
    pub protocol: IpProtocol,
    /// The length of the payload (TCP segment, UDP datagram) in bytes.
    pub payload_len: usize,
    pub ttl: u8,
    pub identification: u16,
    pub dont_fragment: bool,
}

impl Ipv4Repr {
    /// The TTL a host starts with (the common default of Linux and Windows hosts).
    pub const DEFAULT_TTL: u8 = 64;

    /// Reads a header, verifying version and checksum. Fragments are `Unsupported`.
    pub fn parse<T: AsRef<[u8]>>(packet: &Packet<T>) -> Result<Ipv4Repr> {
        packet.check_len()?;
        if packet.version() != 4 {
            return Err(Error::Malformed);
        }
        if !packet.verify_checksum() {
            return Err(Error::BadChecksum);
        }
        if packet.more_fragments() || packet.fragment_offset() != 0 {
            return Err(Error::Unsupported);
        }
        Ok(Ipv4Repr {
            src_addr: packet.src_addr(),
            dst_addr: packet.dst_addr(),
            protocol: packet.protocol(),
            payload_len: packet.payload().len(),
            ttl: packet.ttl(),
            identification: packet.identification(),
            dont_fragment: packet.dont_fragment(),
        })
    }

    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    pub const fn buffer_len(&self) -> usize {
        HEADER_LEN + self.payload_len
    }

    /// Writes the header and its checksum; the payload bytes are left for the caller.
    /// Fails with `Malformed` if header and payload exceed the 65 535 bytes IPv4 allows.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut Packet<T>) -> Result<()> {
        let total_len = u16::try_from(self.buffer_len()).map_err(|_| Error::Malformed)?;
        if packet.buffer.as_ref().len() < self.buffer_len() {
            return Err(Error::Truncated);
        }
        packet.set_version_and_header_len(HEADER_LEN as u8);
        packet.set_dscp_and_ecn(0, 0);
        packet.set_total_len(total_len);
        packet.set_identification(self.identification);
        packet.set_unfragmented(self.dont_fragment);
        packet.set_ttl(self.ttl);
        packet.set_protocol(self.protocol);
        packet.set_src_addr(self.src_addr);
        packet.set_dst_addr(self.dst_addr);
        packet.fill_checksum();
        Ok(())
    }

    /// A whole packet: this header (with `payload_len` taken from `payload`) and `payload`.
    pub fn packet_with_payload(&self, payload: &[u8]) -> Result<Vec<u8>> {
        let repr = Ipv4Repr {
            payload_len: payload.len(),
            ..*self
        };
        let mut bytes = vec![0u8; repr.buffer_len()];
        let mut packet = Packet::new_unchecked(&mut bytes[..]);
        repr.emit(&mut packet)?;
        packet.payload_mut().copy_from_slice(payload);
        Ok(bytes)
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    // 10.0.0.1 → 10.0.0.2, TCP, 4 bytes of payload, TTL 64, id 0x1234, DF.
    // Checksum by hand: 4500+0018+1234+4000+4006+0a00+0001+0a00+0002 = 0xeb55 (no carry),
    // complemented 0x14aa.
    static PACKET_BYTES: [u8; 24] = [
        0x45, 0x00, 0x00, 0x18, // version 4, IHL 5, total length 24
        0x12, 0x34, 0x40, 0x00, // identification, DF
        0x40, 0x06, 0x14, 0xaa, // TTL 64, TCP, checksum
        0x0a, 0x00, 0x00, 0x01, // source
        0x0a, 0x00, 0x00, 0x02, // destination
        0xde, 0xad, 0xbe, 0xef, // payload
    ];

    fn repr() -> Ipv4Repr {
        Ipv4Repr {
            src_addr: Ipv4Addr::new(10, 0, 0, 1),
            dst_addr: Ipv4Addr::new(10, 0, 0, 2),
            protocol: IpProtocol::Tcp,
            payload_len: 4,
            ttl: 64,
            identification: 0x1234,
            dont_fragment: true,
        }
    }

    #[test]
    fn test_parse() {
        let packet = Packet::new_checked(&PACKET_BYTES[..]).unwrap();
        assert_eq!(packet.version(), 4);
        assert_eq!(packet.header_len(), 20);
        assert_eq!(packet.total_len(), 24);
        assert_eq!(packet.checksum(), 0x14aa);
        assert!(packet.verify_checksum());
        assert_eq!(packet.payload(), &[0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(Ipv4Repr::parse(&packet), Ok(repr()));
    }

    #[test]
    fn test_emit() {
        let bytes = repr()
            .packet_with_payload(&[0xde, 0xad, 0xbe, 0xef])
            .unwrap();
        assert_eq!(bytes, PACKET_BYTES);
    }

    #[test]
    fn test_bad_checksum_is_detected() {
        let mut bytes = PACKET_BYTES;
        bytes[8] = 0x3f; // TTL changed without recomputing the checksum
        let packet = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(Ipv4Repr::parse(&packet), Err(Error::BadChecksum));
    }

    #[test]
    fn test_router_decrements_ttl_and_keeps_checksum_valid() {
        let mut bytes = PACKET_BYTES;
        let mut packet = Packet::new_checked(&mut bytes[..]).unwrap();
        assert_eq!(packet.decrement_ttl(), Some(63));
        // By hand: TTL word 0x4006 → 0x3f06, the sum drops by 0x0100, so the checksum grows: 0x15aa.
        assert_eq!(packet.checksum(), 0x15aa);
        assert_eq!(Ipv4Repr::parse(&packet).map(|repr| repr.ttl), Ok(63));

        packet.set_ttl(1);
        packet.fill_checksum();
        assert_eq!(packet.decrement_ttl(), None);
        assert_eq!(packet.ttl(), 1);
    }

    #[test]
    fn test_the_updated_checksum_is_the_one_summing_the_header_gives_for_every_ttl() {
        for ttl in 2..=255 {
            let mut bytes = PACKET_BYTES;
            let mut packet = Packet::new_checked(&mut bytes[..]).unwrap();
            packet.set_ttl(ttl);
            packet.fill_checksum();
            assert_eq!(packet.decrement_ttl(), Some(ttl - 1));
            let updated = packet.checksum();
            packet.fill_checksum();
            assert_eq!(updated, packet.checksum(), "TTL {ttl}");
        }
    }

    #[test]
    fn test_ethernet_padding_is_not_payload() {
        let mut bytes = PACKET_BYTES.to_vec();
        bytes.extend_from_slice(&[0; 6]);
        let packet = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(packet.payload(), &[0xde, 0xad, 0xbe, 0xef]);
    }

    #[test]
    fn test_truncated_and_malformed() {
        assert_eq!(
            Packet::new_checked(&PACKET_BYTES[..19]),
            Err(Error::Truncated)
        );
        assert_eq!(
            Packet::new_checked(&PACKET_BYTES[..23]),
            Err(Error::Truncated)
        );
        let mut bytes = PACKET_BYTES;
        bytes[0] = 0x44; // IHL 4: a header shorter than 20 bytes
        assert_eq!(Packet::new_checked(&bytes[..]), Err(Error::Malformed));
        let mut bytes = PACKET_BYTES;
        bytes[0] = 0x65;
        let packet = Packet::new_checked(&bytes[..]).unwrap();
        assert_eq!(Ipv4Repr::parse(&packet), Err(Error::Malformed));
    }

    #[test]
    fn test_fragments_are_unsupported() {
        let mut bytes = PACKET_BYTES;
        let mut packet = Packet::new_unchecked(&mut bytes[..]);
        packet
            .buffer
            .write_u16(field::FLAGS_AND_FRAGMENT_OFFSET, MORE_FRAGMENTS);
        packet.fill_checksum();
        assert!(packet.more_fragments());
        assert_eq!(Ipv4Repr::parse(&packet), Err(Error::Unsupported));
    }

    #[test]
    fn test_too_long_is_refused() {
        let too_long = Ipv4Repr {
            payload_len: 65_516,
            ..repr()
        };
        let mut bytes = vec![0u8; too_long.buffer_len()];
        assert_eq!(
            too_long.emit(&mut Packet::new_unchecked(&mut bytes[..])),
            Err(Error::Malformed)
        );
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(packet) = Packet::new_checked(&bytes[..]) {
                let _ = (packet.dscp(), packet.ecn(), packet.fragment_offset(), packet.payload().len());
                if let Ok(repr) = Ipv4Repr::parse(&packet) {
                    prop_assert_eq!(repr.payload_len, packet.payload().len());
                }
            }
        }

        #[test]
        fn prop_round_trip(payload in proptest::collection::vec(any::<u8>(), 0..64), ttl in 1u8.., identification in any::<u16>(), dont_fragment in any::<bool>()) {
            let repr = Ipv4Repr { payload_len: payload.len(), ttl, identification, dont_fragment, ..repr() };
            let bytes = repr.packet_with_payload(&payload).unwrap();
            let packet = Packet::new_checked(&bytes[..]).unwrap();
            prop_assert_eq!(Ipv4Repr::parse(&packet), Ok(repr));
            prop_assert_eq!(packet.payload(), &payload[..]);
        }
    }
}
