//! Ethernet II frames: destination and source MAC address, then the EtherType that says what
//! the payload is (0x0800 IPv4, 0x0806 ARP; registry in RFC 9542 §3). The preamble and the
//! frame check sequence belong to the hardware and are not part of these bytes, as in a pcap.

use std::fmt;

use super::network_order::NetworkOrder;
use super::{Error, Result};

/// A 48-bit Ethernet (MAC) address; shown as `aa:bb:cc:dd:ee:ff`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddress(pub [u8; 6]);

impl MacAddress {
    /// `ff:ff:ff:ff:ff:ff`: every host on the link receives it (used by ARP requests).
    pub const BROADCAST: MacAddress = MacAddress([0xff; 6]);
    /// `00:00:00:00:00:00`: "not known yet", the target hardware address of an ARP request.
    pub const UNSPECIFIED: MacAddress = MacAddress([0; 6]);

    /// The six bytes, as on the wire.
    pub const fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Whether every host on the link receives frames sent to this address.
    pub fn is_broadcast(&self) -> bool {
        *self == Self::BROADCAST
    }

    /// Whether the group bit (least significant bit of the first byte) is set.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// Reads an address from the first six bytes of `bytes`.
    fn from_slice(bytes: &[u8]) -> MacAddress {
        let mut octets = [0u8; 6];
        octets.copy_from_slice(&bytes[..6]);
        MacAddress(octets)
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// What an Ethernet frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EtherType {
    Ipv4,
    Arp,
    Unknown(u16),
}

impl From<u16> for EtherType {
    fn from(value: u16) -> Self {
        match value {
            0x0800 => EtherType::Ipv4,
            0x0806 => EtherType::Arp,
            other => EtherType::Unknown(other),
        }
    }
}

impl From<EtherType> for u16 {
    fn from(value: EtherType) -> Self {
        match value {
            EtherType::Ipv4 => 0x0800,
            EtherType::Arp => 0x0806,
            EtherType::Unknown(other) => other,
        }
    }
}

impl fmt::Display for EtherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = u16::from(*self);
        match self {
            EtherType::Ipv4 => write!(f, "IPv4 (0x{number:04x})"),
            EtherType::Arp => write!(f, "ARP (0x{number:04x})"),
            EtherType::Unknown(_) => write!(f, "unknown (0x{number:04x})"),
        }
    }
}

/// Byte ranges of the fields; the layer inspector reads them too.
pub(super) mod field {
    use std::ops::{Range, RangeFrom};

    pub const DESTINATION: Range<usize> = 0..6;
    pub const SOURCE: Range<usize> = 6..12;
    pub const ETHERTYPE: Range<usize> = 12..14;
    pub const PAYLOAD: RangeFrom<usize> = 14..;
}

/// The length of an Ethernet II header: two addresses and the EtherType.
pub const HEADER_LEN: usize = field::PAYLOAD.start;

/// A view of an Ethernet II frame over bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> Frame<T> {
    /// Wraps bytes without checking them; getters may panic if they are too short.
    pub const fn new_unchecked(buffer: T) -> Frame<T> {
        Frame { buffer }
    }

    /// Wraps bytes after checking that every getter can read its field.
    pub fn new_checked(buffer: T) -> Result<Frame<T>> {
        let frame = Self::new_unchecked(buffer);
        frame.check_len()?;
        Ok(frame)
    }

    /// Fails with `Truncated` if the bytes cannot hold the header.
    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    /// The bytes this view was made from.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn dst_addr(&self) -> MacAddress {
        MacAddress::from_slice(&self.buffer.as_ref()[field::DESTINATION])
    }

    pub fn src_addr(&self) -> MacAddress {
        MacAddress::from_slice(&self.buffer.as_ref()[field::SOURCE])
    }

    pub fn ethertype(&self) -> EtherType {
        EtherType::from(self.buffer.as_ref().read_u16(field::ETHERTYPE))
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[field::PAYLOAD]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Frame<T> {
    pub fn set_dst_addr(&mut self, addr: MacAddress) {
        self.buffer.as_mut()[field::DESTINATION].copy_from_slice(&addr.0);
    }

    pub fn set_src_addr(&mut self, addr: MacAddress) {
        self.buffer.as_mut()[field::SOURCE].copy_from_slice(&addr.0);
    }

    pub fn set_ethertype(&mut self, ethertype: EtherType) {
        self.buffer
            .as_mut()
            .write_u16(field::ETHERTYPE, u16::from(ethertype));
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[field::PAYLOAD]
    }
}

/// The header of an Ethernet II frame as values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EthernetRepr {
    pub src_addr: MacAddress,
    pub dst_addr: MacAddress,
    pub ethertype: EtherType,
}

impl EthernetRepr {
    pub fn parse<T: AsRef<[u8]>>(frame: &Frame<T>) -> Result<EthernetRepr> {
        frame.check_len()?;
        Ok(EthernetRepr {
            src_addr: frame.src_addr(),
            dst_addr: frame.dst_addr(),
            ethertype: frame.ethertype(),
        })
    }

    pub const fn header_len(&self) -> usize {
        HEADER_LEN
    }

    /// The frame length for a payload of `payload_len` bytes.
    pub const fn buffer_len(&self, payload_len: usize) -> usize {
        HEADER_LEN + payload_len
    }

    /// Writes the header; the payload bytes are left for the caller.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, frame: &mut Frame<T>) {
        frame.set_dst_addr(self.dst_addr);
        frame.set_src_addr(self.src_addr);
        frame.set_ethertype(self.ethertype);
    }

    /// A whole frame: this header followed by `payload`.
    pub fn frame_with_payload(&self, payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0u8; self.buffer_len(payload.len())];
        let mut frame = Frame::new_unchecked(&mut bytes[..]);
        self.emit(&mut frame);
        frame.payload_mut().copy_from_slice(payload);
        bytes
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    static FRAME_BYTES: [u8; 18] = [
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02, // destination
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, // source
        0x08, 0x00, // IPv4
        0xaa, 0xbb, 0xcc, 0xdd, // payload
    ];

    fn repr() -> EthernetRepr {
        EthernetRepr {
            dst_addr: MacAddress([0x02, 0, 0, 0, 0, 0x02]),
            src_addr: MacAddress([0x02, 0, 0, 0, 0, 0x01]),
            ethertype: EtherType::Ipv4,
        }
    }

    #[test]
    fn test_parse() {
        let frame = Frame::new_checked(&FRAME_BYTES[..]).unwrap();
        assert_eq!(frame.dst_addr(), MacAddress([0x02, 0, 0, 0, 0, 0x02]));
        assert_eq!(frame.ethertype(), EtherType::Ipv4);
        assert_eq!(frame.payload(), &[0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(EthernetRepr::parse(&frame), Ok(repr()));
    }

    #[test]
    fn test_emit() {
        assert_eq!(
            repr().frame_with_payload(&[0xaa, 0xbb, 0xcc, 0xdd]),
            FRAME_BYTES
        );
    }

    #[test]
    fn test_truncated() {
        assert_eq!(
            Frame::new_checked(&FRAME_BYTES[..13]),
            Err(Error::Truncated)
        );
        assert!(Frame::new_checked(&FRAME_BYTES[..14]).is_ok());
    }

    #[test]
    fn test_display() {
        assert_eq!(
            MacAddress([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]).to_string(),
            "aa:bb:cc:dd:ee:ff"
        );
        assert_eq!(EtherType::Arp.to_string(), "ARP (0x0806)");
        assert_eq!(EtherType::from(0x86dd).to_string(), "unknown (0x86dd)");
        assert!(MacAddress::BROADCAST.is_broadcast() && MacAddress::BROADCAST.is_multicast());
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(frame) = Frame::new_checked(&bytes[..]) {
                let repr = EthernetRepr::parse(&frame).unwrap();
                prop_assert_eq!(repr.frame_with_payload(frame.payload()), bytes.clone());
            }
        }
    }
}
