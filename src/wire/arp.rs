//! ARP for IPv4 over Ethernet (RFC 826): "who has 10.0.0.1? tell 10.0.0.2" as a broadcast
//! request, and the unicast reply "10.0.0.1 is at aa:bb:cc:dd:ee:ff". The packet view reads
//! the Ethernet/IPv4 layout (6-byte hardware, 4-byte protocol addresses, 28 bytes in all);
//! `ArpRepr::parse` checks that the packet really says it has that layout.

use std::fmt;
use std::net::Ipv4Addr;

use super::ethernet::{EtherType, MacAddress};
use super::network_order::NetworkOrder;
use super::{Error, Result};

/// Hardware type 1: Ethernet.
const HARDWARE_ETHERNET: u16 = 1;
const ETHERNET_ADDR_LEN: u8 = 6;
const IPV4_ADDR_LEN: u8 = 4;

/// What an ARP packet asks or tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArpOperation {
    Request,
    Reply,
    Unknown(u16),
}

impl From<u16> for ArpOperation {
    fn from(value: u16) -> Self {
        match value {
            1 => ArpOperation::Request,
            2 => ArpOperation::Reply,
            other => ArpOperation::Unknown(other),
        }
    }
}

impl From<ArpOperation> for u16 {
    fn from(value: ArpOperation) -> Self {
        match value {
            ArpOperation::Request => 1,
            ArpOperation::Reply => 2,
            ArpOperation::Unknown(other) => other,
        }
    }
}

impl fmt::Display for ArpOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArpOperation::Request => f.write_str("request (1)"),
            ArpOperation::Reply => f.write_str("reply (2)"),
            ArpOperation::Unknown(number) => write!(f, "unknown ({number})"),
        }
    }
}

/// Byte ranges of the fields (Ethernet/IPv4 layout); the layer inspector reads them too.
pub(super) mod field {
    use std::ops::Range;

    pub const HARDWARE_TYPE: Range<usize> = 0..2;
    pub const PROTOCOL_TYPE: Range<usize> = 2..4;
    pub const HARDWARE_LEN: usize = 4;
    pub const PROTOCOL_LEN: usize = 5;
    pub const OPERATION: Range<usize> = 6..8;
    pub const SENDER_HARDWARE_ADDR: Range<usize> = 8..14;
    pub const SENDER_PROTOCOL_ADDR: Range<usize> = 14..18;
    pub const TARGET_HARDWARE_ADDR: Range<usize> = 18..24;
    pub const TARGET_PROTOCOL_ADDR: Range<usize> = 24..28;
}

/// The length of an ARP packet for IPv4 over Ethernet.
pub const PACKET_LEN: usize = field::TARGET_PROTOCOL_ADDR.end;

/// A view of an ARP packet over bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> ArpPacket<T> {
    /// Wraps bytes without checking them; getters may panic if they are too short.
    pub const fn new_unchecked(buffer: T) -> ArpPacket<T> {
        ArpPacket { buffer }
    }

    /// Wraps bytes after checking that every getter can read its field.
    pub fn new_checked(buffer: T) -> Result<ArpPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// Fails with `Truncated` if the bytes cannot hold an Ethernet/IPv4 ARP packet.
    pub fn check_len(&self) -> Result<()> {
        if self.buffer.as_ref().len() < PACKET_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn read_mac(&self, range: std::ops::Range<usize>) -> MacAddress {
        let mut octets = [0u8; 6];
        octets.copy_from_slice(&self.buffer.as_ref()[range]);
        MacAddress(octets)
    }

    fn read_ipv4(&self, range: std::ops::Range<usize>) -> Ipv4Addr {
        let b = &self.buffer.as_ref()[range];
        Ipv4Addr::new(b[0], b[1], b[2], b[3])
    }

    pub fn hardware_type(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::HARDWARE_TYPE)
    }

    pub fn protocol_type(&self) -> EtherType {
        EtherType::from(self.buffer.as_ref().read_u16(field::PROTOCOL_TYPE))
    }

    pub fn hardware_len(&self) -> u8 {
        self.buffer.as_ref()[field::HARDWARE_LEN]
    }

    pub fn protocol_len(&self) -> u8 {
        self.buffer.as_ref()[field::PROTOCOL_LEN]
    }

    pub fn operation(&self) -> ArpOperation {
        ArpOperation::from(self.buffer.as_ref().read_u16(field::OPERATION))
    }

    pub fn sender_hardware_addr(&self) -> MacAddress {
        self.read_mac(field::SENDER_HARDWARE_ADDR)
    }

    pub fn sender_protocol_addr(&self) -> Ipv4Addr {
        self.read_ipv4(field::SENDER_PROTOCOL_ADDR)
    }

    pub fn target_hardware_addr(&self) -> MacAddress {
        self.read_mac(field::TARGET_HARDWARE_ADDR)
    }

    pub fn target_protocol_addr(&self) -> Ipv4Addr {
        self.read_ipv4(field::TARGET_PROTOCOL_ADDR)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> ArpPacket<T> {
    fn write(&mut self, range: std::ops::Range<usize>, bytes: &[u8]) {
        self.buffer.as_mut()[range].copy_from_slice(bytes);
    }

    pub fn set_hardware_type(&mut self, hardware_type: u16) {
        self.buffer
            .as_mut()
            .write_u16(field::HARDWARE_TYPE, hardware_type);
    }

    pub fn set_protocol_type(&mut self, protocol_type: EtherType) {
        self.buffer
            .as_mut()
            .write_u16(field::PROTOCOL_TYPE, u16::from(protocol_type));
    }

    pub fn set_hardware_len(&mut self, len: u8) {
        self.buffer.as_mut()[field::HARDWARE_LEN] = len;
    }

    pub fn set_protocol_len(&mut self, len: u8) {
        self.buffer.as_mut()[field::PROTOCOL_LEN] = len;
    }

    pub fn set_operation(&mut self, operation: ArpOperation) {
        self.buffer
            .as_mut()
            .write_u16(field::OPERATION, u16::from(operation));
    }

    pub fn set_sender_hardware_addr(&mut self, addr: MacAddress) {
        self.write(field::SENDER_HARDWARE_ADDR, &addr.octets());
    }

    pub fn set_sender_protocol_addr(&mut self, addr: Ipv4Addr) {
        self.write(field::SENDER_PROTOCOL_ADDR, &addr.octets());
    }

    pub fn set_target_hardware_addr(&mut self, addr: MacAddress) {
        self.write(field::TARGET_HARDWARE_ADDR, &addr.octets());
    }

    pub fn set_target_protocol_addr(&mut self, addr: Ipv4Addr) {
        self.write(field::TARGET_PROTOCOL_ADDR, &addr.octets());
    }
}

/// An ARP packet for IPv4 over Ethernet as values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArpRepr {
    pub operation: ArpOperation,
    pub sender_hardware_addr: MacAddress,
    pub sender_protocol_addr: Ipv4Addr,
    /// In a request, not known yet: all zeros.
    pub target_hardware_addr: MacAddress,
    pub target_protocol_addr: Ipv4Addr,
}

impl ArpRepr {
    /// "Who has `target`? Tell `sender`": sent to the Ethernet broadcast address.
    pub fn request(
        sender_hardware_addr: MacAddress,
        sender_protocol_addr: Ipv4Addr,
        target_protocol_addr: Ipv4Addr,
    ) -> ArpRepr {
        ArpRepr {
            operation: ArpOperation::Request,
            sender_hardware_addr,
            sender_protocol_addr,
            target_hardware_addr: MacAddress::UNSPECIFIED,
            target_protocol_addr,
        }
    }

    /// The answer to `request` from the host that owns its target address.
    pub fn reply_to(request: &ArpRepr, own_hardware_addr: MacAddress) -> ArpRepr {
        ArpRepr {
            operation: ArpOperation::Reply,
            sender_hardware_addr: own_hardware_addr,
            sender_protocol_addr: request.target_protocol_addr,
            target_hardware_addr: request.sender_hardware_addr,
            target_protocol_addr: request.sender_protocol_addr,
        }
    }

    /// Reads a packet; `Unsupported` unless it is ARP for IPv4 over Ethernet.
    pub fn parse<T: AsRef<[u8]>>(packet: &ArpPacket<T>) -> Result<ArpRepr> {
        packet.check_len()?;
        if packet.hardware_type() != HARDWARE_ETHERNET
            || packet.protocol_type() != EtherType::Ipv4
            || packet.hardware_len() != ETHERNET_ADDR_LEN
            || packet.protocol_len() != IPV4_ADDR_LEN
        {
            return Err(Error::Unsupported);
        }
        Ok(ArpRepr {
            operation: packet.operation(),
            sender_hardware_addr: packet.sender_hardware_addr(),
            sender_protocol_addr: packet.sender_protocol_addr(),
            target_hardware_addr: packet.target_hardware_addr(),
            target_protocol_addr: packet.target_protocol_addr(),
        })
    }

    pub const fn buffer_len(&self) -> usize {
        PACKET_LEN
    }

    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(&self, packet: &mut ArpPacket<T>) {
        packet.set_hardware_type(HARDWARE_ETHERNET);
        packet.set_protocol_type(EtherType::Ipv4);
        packet.set_hardware_len(ETHERNET_ADDR_LEN);
        packet.set_protocol_len(IPV4_ADDR_LEN);
        packet.set_operation(self.operation);
        packet.set_sender_hardware_addr(self.sender_hardware_addr);
        packet.set_sender_protocol_addr(self.sender_protocol_addr);
        packet.set_target_hardware_addr(self.target_hardware_addr);
        packet.set_target_protocol_addr(self.target_protocol_addr);
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![0u8; PACKET_LEN];
        self.emit(&mut ArpPacket::new_unchecked(&mut bytes[..]));
        bytes
    }
}

/// As Wireshark says it: `Who has 10.0.0.1? Tell 10.0.0.2`, `10.0.0.1 is at 02:…`.
impl fmt::Display for ArpRepr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation {
            ArpOperation::Request => write!(
                f,
                "Who has {}? Tell {}",
                self.target_protocol_addr, self.sender_protocol_addr
            ),
            ArpOperation::Reply => write!(
                f,
                "{} is at {}",
                self.sender_protocol_addr, self.sender_hardware_addr
            ),
            ArpOperation::Unknown(number) => write!(
                f,
                "ARP operation {number} from {}",
                self.sender_protocol_addr
            ),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    const ANI_MAC: MacAddress = MacAddress([0x02, 0x00, 0x00, 0x00, 0x00, 0x0a]);
    const GATEWAY_MAC: MacAddress = MacAddress([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
    const ANI_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 10);
    const GATEWAY_IP: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);

    static REQUEST_BYTES: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, // Ethernet, IPv4, 6, 4, request
        0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 10, 0, 0, 10, // sender
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 1, // target
    ];

    static REPLY_BYTES: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02, // Ethernet, IPv4, 6, 4, reply
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 0, 1, // sender
        0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 10, 0, 0, 10, // target
    ];

    #[test]
    fn test_parse() {
        let packet = ArpPacket::new_checked(&REQUEST_BYTES[..]).unwrap();
        assert_eq!(packet.operation(), ArpOperation::Request);
        assert_eq!(
            ArpRepr::parse(&packet),
            Ok(ArpRepr::request(ANI_MAC, ANI_IP, GATEWAY_IP))
        );
    }

    #[test]
    fn test_emit() {
        let request = ArpRepr::request(ANI_MAC, ANI_IP, GATEWAY_IP);
        assert_eq!(request.to_bytes(), REQUEST_BYTES);
        assert_eq!(
            ArpRepr::reply_to(&request, GATEWAY_MAC).to_bytes(),
            REPLY_BYTES
        );
    }

    #[test]
    fn test_display() {
        let request = ArpRepr::request(ANI_MAC, ANI_IP, GATEWAY_IP);
        assert_eq!(request.to_string(), "Who has 10.0.0.1? Tell 10.0.0.10");
        assert_eq!(
            ArpRepr::reply_to(&request, GATEWAY_MAC).to_string(),
            "10.0.0.1 is at 02:00:00:00:00:01"
        );
    }

    #[test]
    fn test_other_layouts_are_unsupported() {
        assert_eq!(
            ArpPacket::new_checked(&REQUEST_BYTES[..27]),
            Err(Error::Truncated)
        );
        let mut bytes = REQUEST_BYTES;
        bytes[2] = 0x86; // protocol type 0x86dd: IPv6
        bytes[3] = 0xdd;
        assert_eq!(
            ArpRepr::parse(&ArpPacket::new_checked(&bytes[..]).unwrap()),
            Err(Error::Unsupported)
        );
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(packet) = ArpPacket::new_checked(&bytes[..]) {
                if let Ok(repr) = ArpRepr::parse(&packet) {
                    prop_assert_eq!(&repr.to_bytes()[..], &bytes[..PACKET_LEN]);
                }
            }
        }
    }
}
