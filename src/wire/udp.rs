//! UDP datagrams (RFC 768): source port, destination port, length, checksum, data. Over IPv4
//! the checksum covers a pseudo-header (addresses, protocol 17, UDP length) and the datagram;
//! a zero checksum means "not computed" and is accepted, and a computed zero is sent as
//! 0xffff (RFC 768, RFC 1122 §4.1.3.4). DNS (RFC 1035 §4.2.1) rides on it.

use std::net::Ipv4Addr;

use super::checksum;
use super::ipv4::IpProtocol;
use super::network_order::NetworkOrder;
use super::{Error, Result};

/// Byte ranges of the fields; the layer inspector reads them too.
pub(super) mod field {
    use std::ops::Range;

    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const LENGTH: Range<usize> = 4..6;
    pub const CHECKSUM: Range<usize> = 6..8;
}

/// The length of a UDP header.
pub const HEADER_LEN: usize = field::CHECKSUM.end;

/// A view of a UDP datagram over bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UdpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> UdpPacket<T> {
    /// Wraps bytes without checking them; getters may panic if they are too short.
    pub const fn new_unchecked(buffer: T) -> UdpPacket<T> {
        UdpPacket { buffer }
    }

    /// Wraps bytes after checking that every getter, `payload` included, can read.
    pub fn new_checked(buffer: T) -> Result<UdpPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// Fails with `Truncated` if the bytes are shorter than the header or the length field,
    /// and with `Malformed` if the length field is shorter than the header.
    pub fn check_len(&self) -> Result<()> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            return Err(Error::Truncated);
        }
        let length = usize::from(self.len());
        if length < HEADER_LEN {
            Err(Error::Malformed)
        } else if len < length {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn src_port(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::SRC_PORT)
    }

    pub fn dst_port(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::DST_PORT)
    }

    /// The length field: header plus data, in bytes.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::LENGTH)
    }

    pub fn checksum(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::CHECKSUM)
    }

    /// The data, up to the length field.
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..usize::from(self.len())]
    }

    /// Whether the checksum is absent (zero) or matches the datagram sent from `src_addr`
    /// to `dst_addr`.
    pub fn verify_checksum(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> bool {
        self.checksum() == 0 || checksum::is_valid(self.checksum_sum(src_addr, dst_addr))
    }

    fn checksum_sum(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> u16 {
        let length = self.len();
        let datagram = &self.buffer.as_ref()[..usize::from(length)];
        let pseudo =
            checksum::pseudo_header_sum(src_addr, dst_addr, IpProtocol::Udp.into(), length);
        checksum::combine(&[pseudo, checksum::data_sum(datagram)])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> UdpPacket<T> {
    pub fn set_src_port(&mut self, port: u16) {
        self.buffer.as_mut().write_u16(field::SRC_PORT, port);
    }

    pub fn set_dst_port(&mut self, port: u16) {
        self.buffer.as_mut().write_u16(field::DST_PORT, port);
    }

    pub fn set_len(&mut self, length: u16) {
        self.buffer.as_mut().write_u16(field::LENGTH, length);
    }

    pub fn set_checksum(&mut self, checksum: u16) {
        self.buffer.as_mut().write_u16(field::CHECKSUM, checksum);
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        let end = usize::from(self.len());
        &mut self.buffer.as_mut()[HEADER_LEN..end]
    }

    /// Computes the checksum and writes it; a computed zero is sent as 0xffff, because zero
    /// on the wire means "no checksum".
    pub fn fill_checksum(&mut self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) {
        self.set_checksum(0);
        let checksum = match checksum::finish(self.checksum_sum(src_addr, dst_addr)) {
            0 => 0xffff,
            computed => computed,
        };
        self.set_checksum(checksum);
    }
}

/// A UDP datagram as values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UdpRepr {
    pub src_port: u16,
    pub dst_port: u16,
    pub payload: Vec<u8>,
}

impl UdpRepr {
    /// Reads a datagram sent from `src_addr` to `dst_addr`, verifying its checksum.
    pub fn parse<T: AsRef<[u8]>>(
        packet: &UdpPacket<T>,
        src_addr: Ipv4Addr,
        dst_addr: Ipv4Addr,
    ) -> Result<UdpRepr> {
        packet.check_len()?;
        if !packet.verify_checksum(src_addr, dst_addr) {
            return Err(Error::BadChecksum);
        }
        Ok(UdpRepr {
            src_port: packet.src_port(),
            dst_port: packet.dst_port(),
            payload: packet.payload().to_vec(),
        })
    }

    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    pub fn buffer_len(&self) -> usize {
        HEADER_LEN + self.payload.len()
    }

    /// Writes the whole datagram and its checksum; fails with `Malformed` if it would exceed
    /// the 65 535 bytes the length field can say, with `Truncated` if `packet` is too short.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(
        &self,
        packet: &mut UdpPacket<T>,
        src_addr: Ipv4Addr,
        dst_addr: Ipv4Addr,
    ) -> Result<()> {
        let length = u16::try_from(self.buffer_len()).map_err(|_| Error::Malformed)?;
        if packet.buffer.as_ref().len() < self.buffer_len() {
            return Err(Error::Truncated);
        }
        packet.set_src_port(self.src_port);
        packet.set_dst_port(self.dst_port);
        packet.set_len(length);
        packet.payload_mut().copy_from_slice(&self.payload);
        packet.fill_checksum(src_addr, dst_addr);
        Ok(())
    }

    /// The datagram as bytes, checksummed for the addresses it travels between.
    pub fn to_bytes(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> Result<Vec<u8>> {
        let mut bytes = vec![0u8; self.buffer_len()];
        self.emit(
            &mut UdpPacket::new_unchecked(&mut bytes[..]),
            src_addr,
            dst_addr,
        )?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    const SRC: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
    const DST: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 53);

    // 53000 → 53 carrying "abcd". Checksum by hand:
    // pseudo c0a8+010a+c0a8+0135+0011+000c = 0x1_83ac → 0x83ad;
    // datagram cf08+0035+000c+0000+6162+6364 = 0x1_940f → 0x9410;
    // 0x83ad + 0x9410 = 0x1_17bd → 0x17be, complemented 0xe841 (also checked with Python).
    static DATAGRAM_BYTES: [u8; 12] = [
        0xcf, 0x08, 0x00, 0x35, // ports 53000 → 53
        0x00, 0x0c, 0xe8, 0x41, // length 12, checksum
        b'a', b'b', b'c', b'd',
    ];

    fn repr() -> UdpRepr {
        UdpRepr {
            src_port: 53000,
            dst_port: 53,
            payload: b"abcd".to_vec(),
        }
    }

    #[test]
    fn test_parse() {
        let packet = UdpPacket::new_checked(&DATAGRAM_BYTES[..]).unwrap();
        assert_eq!(packet.len(), 12);
        assert_eq!(packet.checksum(), 0xe841);
        assert_eq!(UdpRepr::parse(&packet, SRC, DST), Ok(repr()));
    }

    #[test]
    fn test_emit() {
        assert_eq!(repr().to_bytes(SRC, DST).unwrap(), DATAGRAM_BYTES);
    }

    #[test]
    fn test_bad_checksum_is_detected() {
        let mut bytes = DATAGRAM_BYTES;
        bytes[11] = b'e';
        let packet = UdpPacket::new_checked(&bytes[..]).unwrap();
        assert_eq!(UdpRepr::parse(&packet, SRC, DST), Err(Error::BadChecksum));
    }

    #[test]
    fn test_zero_checksum_means_none() {
        let mut bytes = DATAGRAM_BYTES;
        bytes[6..8].copy_from_slice(&[0, 0]);
        let packet = UdpPacket::new_checked(&bytes[..]).unwrap();
        assert_eq!(
            UdpRepr::parse(&packet, SRC, Ipv4Addr::new(1, 2, 3, 4)),
            Ok(repr())
        );
    }

    #[test]
    fn test_computed_zero_is_sent_as_all_ones() {
        // Payload chosen so the sum is 0xffff: its complement would be zero.
        let sum_without = checksum::combine(&[
            checksum::pseudo_header_sum(SRC, DST, 17, 10),
            checksum::data_sum(&[0xcf, 0x08, 0x00, 0x35, 0x00, 0x0a]),
        ]);
        let filler = !sum_without;
        let repr = UdpRepr {
            payload: filler.to_be_bytes().to_vec(),
            ..repr()
        };
        let bytes = repr.to_bytes(SRC, DST).unwrap();
        assert_eq!(&bytes[6..8], &[0xff, 0xff]);
        let packet = UdpPacket::new_checked(&bytes[..]).unwrap();
        assert_eq!(UdpRepr::parse(&packet, SRC, DST), Ok(repr));
    }

    #[test]
    fn test_truncated_and_malformed() {
        assert_eq!(
            UdpPacket::new_checked(&DATAGRAM_BYTES[..7]),
            Err(Error::Truncated)
        );
        assert_eq!(
            UdpPacket::new_checked(&DATAGRAM_BYTES[..11]),
            Err(Error::Truncated)
        );
        let mut bytes = DATAGRAM_BYTES;
        bytes[5] = 7;
        assert_eq!(UdpPacket::new_checked(&bytes[..]), Err(Error::Malformed));
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(packet) = UdpPacket::new_checked(&bytes[..]) {
                let _ = UdpRepr::parse(&packet, SRC, DST);
            }
        }

        #[test]
        fn prop_round_trip(src_port in any::<u16>(), dst_port in any::<u16>(), payload in proptest::collection::vec(any::<u8>(), 0..64)) {
            let repr = UdpRepr { src_port, dst_port, payload };
            let bytes = repr.to_bytes(SRC, DST).unwrap();
            let packet = UdpPacket::new_checked(&bytes[..]).unwrap();
            prop_assert_eq!(UdpRepr::parse(&packet, SRC, DST), Ok(repr));
        }
    }
}
