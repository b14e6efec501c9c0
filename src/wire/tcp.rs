//! TCP segments (RFC 9293 §3.1): the typed form the connection state machine works with,
//! and the packet view over the bytes. The checksum covers a pseudo-header (source and
//! destination IPv4 address, protocol 6, TCP length) and the whole segment; options follow
//! RFC 9293 §3.2: End of Option List, No-Operation and Maximum Segment Size (kind 2, length 4)
//! are understood, any other option is skipped by its length byte.

use std::fmt;
use std::net::Ipv4Addr;

use super::checksum;
use super::ipv4::IpProtocol;
use super::network_order::NetworkOrder;
use super::{Error, Result};

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

impl TcpFlags {
    pub const SYN: TcpFlags = TcpFlags {
        syn: true,
        ..TcpFlags::NONE
    };
    pub const SYN_ACK: TcpFlags = TcpFlags {
        syn: true,
        ack: true,
        ..TcpFlags::NONE
    };
    pub const ACK: TcpFlags = TcpFlags {
        ack: true,
        ..TcpFlags::NONE
    };
    pub const PSH_ACK: TcpFlags = TcpFlags {
        psh: true,
        ack: true,
        ..TcpFlags::NONE
    };
    pub const FIN_ACK: TcpFlags = TcpFlags {
        fin: true,
        ack: true,
        ..TcpFlags::NONE
    };
    pub const RST: TcpFlags = TcpFlags {
        rst: true,
        ..TcpFlags::NONE
    };
    pub const RST_ACK: TcpFlags = TcpFlags {
        rst: true,
        ack: true,
        ..TcpFlags::NONE
    };
    const NONE: TcpFlags = TcpFlags {
        cwr: false,
        ece: false,
        urg: false,
        ack: false,
        psh: false,
        rst: false,
        syn: false,
        fin: false,
    };

    /// The flags from the flags byte of the header (byte 13: CWR is the high bit, FIN the low).
    pub const fn from_byte(byte: u8) -> TcpFlags {
        TcpFlags {
            cwr: byte & 0x80 != 0,
            ece: byte & 0x40 != 0,
            urg: byte & 0x20 != 0,
            ack: byte & 0x10 != 0,
            psh: byte & 0x08 != 0,
            rst: byte & 0x04 != 0,
            syn: byte & 0x02 != 0,
            fin: byte & 0x01 != 0,
        }
    }

    /// The flags byte of the header.
    pub const fn to_byte(self) -> u8 {
        (self.cwr as u8) << 7
            | (self.ece as u8) << 6
            | (self.urg as u8) << 5
            | (self.ack as u8) << 4
            | (self.psh as u8) << 3
            | (self.rst as u8) << 2
            | (self.syn as u8) << 1
            | self.fin as u8
    }

    /// The names of the set flags, in the order Wireshark lists them.
    fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (self.fin, "FIN"),
            (self.syn, "SYN"),
            (self.rst, "RST"),
            (self.psh, "PSH"),
            (self.ack, "ACK"),
            (self.urg, "URG"),
            (self.ece, "ECE"),
            (self.cwr, "CWR"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
    }
}

/// Shows the set flags as Wireshark does, e.g. `SYN, ACK`; `none` when no flag is set.
impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names = self.names();
        match names.next() {
            None => f.write_str("none"),
            Some(first) => {
                f.write_str(first)?;
                names.try_for_each(|name| write!(f, ", {name}"))
            }
        }
    }
}

/// Byte ranges of the fields; the layer inspector reads them too.
pub(super) mod field {
    use std::ops::Range;

    pub const SRC_PORT: Range<usize> = 0..2;
    pub const DST_PORT: Range<usize> = 2..4;
    pub const SEQ_NUMBER: Range<usize> = 4..8;
    pub const ACK_NUMBER: Range<usize> = 8..12;
    pub const DATA_OFFSET: usize = 12;
    pub const FLAGS: usize = 13;
    pub const WINDOW: Range<usize> = 14..16;
    pub const CHECKSUM: Range<usize> = 16..18;
    pub const URGENT_POINTER: Range<usize> = 18..20;
}

/// The length of a TCP header without options.
pub const HEADER_LEN: usize = field::URGENT_POINTER.end;

/// Option kinds (RFC 9293 §3.2).
mod option_kind {
    pub const END_OF_LIST: u8 = 0;
    pub const NO_OPERATION: u8 = 1;
    pub const MAXIMUM_SEGMENT_SIZE: u8 = 2;
}
const MSS_OPTION_LEN: usize = 4;

/// One option of a TCP header, as read from the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpOption<'a> {
    EndOfList,
    NoOperation,
    MaxSegmentSize(u16),
    /// An option this simulator does not interpret (window scale, SACK, timestamps, …).
    Unknown {
        kind: u8,
        data: &'a [u8],
    },
}

impl fmt::Display for TcpOption<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcpOption::EndOfList => f.write_str("End of option list"),
            TcpOption::NoOperation => f.write_str("No-operation"),
            TcpOption::MaxSegmentSize(mss) => write!(f, "Maximum segment size: {mss} bytes"),
            TcpOption::Unknown { kind, data } => write!(f, "kind {kind}, {} bytes", data.len()),
        }
    }
}

/// Walks the options area of a TCP header. Yields each option with its byte range inside
/// the options area; stops after End of Option List, and yields one `Err(Malformed)` (then
/// stops) when a length byte is missing, too small or runs past the area.
#[derive(Clone, Debug)]
pub struct TcpOptions<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> TcpOptions<'a> {
    pub fn new(bytes: &'a [u8]) -> TcpOptions<'a> {
        TcpOptions { bytes, offset: 0 }
    }

    fn read(&self) -> Result<(TcpOption<'a>, usize)> {
        let rest = &self.bytes[self.offset..];
        match rest[0] {
            option_kind::END_OF_LIST => Ok((TcpOption::EndOfList, 1)),
            option_kind::NO_OPERATION => Ok((TcpOption::NoOperation, 1)),
            kind => {
                let len = usize::from(*rest.get(1).ok_or(Error::Malformed)?);
                if len < 2 || len > rest.len() {
                    return Err(Error::Malformed);
                }
                let data = &rest[2..len];
                let option = match (kind, data) {
                    (option_kind::MAXIMUM_SEGMENT_SIZE, [high, low]) => {
                        TcpOption::MaxSegmentSize(u16::from_be_bytes([*high, *low]))
                    }
                    (option_kind::MAXIMUM_SEGMENT_SIZE, _) => return Err(Error::Malformed),
                    _ => TcpOption::Unknown { kind, data },
                };
                Ok((option, len))
            }
        }
    }
}

impl<'a> Iterator for TcpOptions<'a> {
    type Item = Result<(std::ops::Range<usize>, TcpOption<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.bytes.len() {
            return None;
        }
        let start = self.offset;
        match self.read() {
            Ok((option, len)) => {
                // After End of Option List comes only padding: nothing more to read.
                self.offset = if option == TcpOption::EndOfList {
                    self.bytes.len()
                } else {
                    start + len
                };
                Some(Ok((start..start + len, option)))
            }
            Err(error) => {
                self.offset = self.bytes.len();
                Some(Err(error))
            }
        }
    }
}

/// A view of a TCP segment (header and data) over bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> TcpPacket<T> {
    /// Wraps bytes without checking them; getters may panic if they are too short.
    pub const fn new_unchecked(buffer: T) -> TcpPacket<T> {
        TcpPacket { buffer }
    }

    /// Wraps bytes after checking that every getter, options and payload included, can read.
    pub fn new_checked(buffer: T) -> Result<TcpPacket<T>> {
        let packet = Self::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// Fails with `Truncated` if the bytes are shorter than the header (options included),
    /// and with `Malformed` if the data offset is below five words.
    pub fn check_len(&self) -> Result<()> {
        let len = self.buffer.as_ref().len();
        if len < HEADER_LEN {
            Err(Error::Truncated)
        } else if usize::from(self.header_len()) < HEADER_LEN {
            Err(Error::Malformed)
        } else if len < usize::from(self.header_len()) {
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

    pub fn seq_number(&self) -> u32 {
        self.buffer.as_ref().read_u32(field::SEQ_NUMBER)
    }

    pub fn ack_number(&self) -> u32 {
        self.buffer.as_ref().read_u32(field::ACK_NUMBER)
    }

    /// The header length in bytes, options included (the data offset counts 32-bit words).
    pub fn header_len(&self) -> u8 {
        (self.buffer.as_ref()[field::DATA_OFFSET] >> 4) * 4
    }

    pub fn flags(&self) -> TcpFlags {
        TcpFlags::from_byte(self.buffer.as_ref()[field::FLAGS])
    }

    pub fn window_len(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::WINDOW)
    }

    pub fn checksum(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::CHECKSUM)
    }

    pub fn urgent_pointer(&self) -> u16 {
        self.buffer.as_ref().read_u16(field::URGENT_POINTER)
    }

    /// The bytes between the fixed header and the data.
    pub fn options(&self) -> &[u8] {
        &self.buffer.as_ref()[HEADER_LEN..usize::from(self.header_len())]
    }

    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[usize::from(self.header_len())..]
    }

    /// The folded sum of the pseudo-header and the whole segment (RFC 9293 §3.1).
    fn checksum_sum(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> Result<u16> {
        let segment = self.buffer.as_ref();
        let length = u16::try_from(segment.len()).map_err(|_| Error::Malformed)?;
        let pseudo =
            checksum::pseudo_header_sum(src_addr, dst_addr, IpProtocol::Tcp.into(), length);
        Ok(checksum::combine(&[pseudo, checksum::data_sum(segment)]))
    }

    /// Whether the checksum matches the segment sent from `src_addr` to `dst_addr`.
    pub fn verify_checksum(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> bool {
        self.checksum_sum(src_addr, dst_addr)
            .is_ok_and(checksum::is_valid)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> TcpPacket<T> {
    pub fn set_src_port(&mut self, port: u16) {
        self.buffer.as_mut().write_u16(field::SRC_PORT, port);
    }

    pub fn set_dst_port(&mut self, port: u16) {
        self.buffer.as_mut().write_u16(field::DST_PORT, port);
    }

    pub fn set_seq_number(&mut self, seq: u32) {
        self.buffer.as_mut().write_u32(field::SEQ_NUMBER, seq);
    }

    pub fn set_ack_number(&mut self, ack: u32) {
        self.buffer.as_mut().write_u32(field::ACK_NUMBER, ack);
    }

    /// Sets the header length in bytes (a multiple of 4); the reserved bits become zero.
    pub fn set_header_len(&mut self, header_len: u8) {
        self.buffer.as_mut()[field::DATA_OFFSET] = (header_len / 4) << 4;
    }

    pub fn set_flags(&mut self, flags: TcpFlags) {
        self.buffer.as_mut()[field::FLAGS] = flags.to_byte();
    }

    pub fn set_window_len(&mut self, window: u16) {
        self.buffer.as_mut().write_u16(field::WINDOW, window);
    }

    pub fn set_checksum(&mut self, checksum: u16) {
        self.buffer.as_mut().write_u16(field::CHECKSUM, checksum);
    }

    pub fn set_urgent_pointer(&mut self, pointer: u16) {
        self.buffer
            .as_mut()
            .write_u16(field::URGENT_POINTER, pointer);
    }

    pub fn options_mut(&mut self) -> &mut [u8] {
        let end = usize::from(self.header_len());
        &mut self.buffer.as_mut()[HEADER_LEN..end]
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        let start = usize::from(self.header_len());
        &mut self.buffer.as_mut()[start..]
    }

    /// Computes the checksum over the pseudo-header and the segment, and writes it.
    pub fn fill_checksum(&mut self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> Result<()> {
        self.set_checksum(0);
        let sum = self.checksum_sum(src_addr, dst_addr)?;
        self.set_checksum(checksum::finish(sum));
        Ok(())
    }
}

impl TcpRepr {
    /// Reads a segment sent from `src_addr` to `dst_addr`, verifying its checksum and options.
    /// The segment is all of `packet`'s bytes (the IPv4 payload).
    pub fn parse<T: AsRef<[u8]>>(
        packet: &TcpPacket<T>,
        src_addr: Ipv4Addr,
        dst_addr: Ipv4Addr,
    ) -> Result<TcpRepr> {
        packet.check_len()?;
        if !packet.verify_checksum(src_addr, dst_addr) {
            return Err(Error::BadChecksum);
        }
        let mut mss = None;
        for option in TcpOptions::new(packet.options()) {
            if let (_, TcpOption::MaxSegmentSize(size)) = option? {
                mss = Some(size);
            }
        }
        Ok(TcpRepr {
            src_port: packet.src_port(),
            dst_port: packet.dst_port(),
            seq: packet.seq_number(),
            ack: packet.ack_number(),
            flags: packet.flags(),
            window: packet.window_len(),
            mss,
            payload: packet.payload().to_vec(),
        })
    }

    /// The header length: 20 bytes, plus 4 for the MSS option when there is one.
    pub fn header_len(&self) -> usize {
        HEADER_LEN
            + if self.mss.is_some() {
                MSS_OPTION_LEN
            } else {
                0
            }
    }

    /// The segment length: header and payload.
    pub fn buffer_len(&self) -> usize {
        self.header_len() + self.payload.len()
    }

    /// Writes the whole segment (header, MSS option, payload) and its checksum for the
    /// addresses it travels between. `packet` must be exactly `buffer_len()` bytes long,
    /// since the checksum covers all of it.
    pub fn emit<T: AsRef<[u8]> + AsMut<[u8]>>(
        &self,
        packet: &mut TcpPacket<T>,
        src_addr: Ipv4Addr,
        dst_addr: Ipv4Addr,
    ) -> Result<()> {
        if packet.buffer.as_ref().len() != self.buffer_len() {
            return Err(Error::Truncated);
        }
        packet.set_src_port(self.src_port);
        packet.set_dst_port(self.dst_port);
        packet.set_seq_number(self.seq);
        packet.set_ack_number(self.ack);
        packet.set_header_len(self.header_len() as u8);
        packet.set_flags(self.flags);
        packet.set_window_len(self.window);
        packet.set_urgent_pointer(0);
        if let Some(mss) = self.mss {
            let [high, low] = mss.to_be_bytes();
            let option = [
                option_kind::MAXIMUM_SEGMENT_SIZE,
                MSS_OPTION_LEN as u8,
                high,
                low,
            ];
            packet.options_mut().copy_from_slice(&option);
        }
        packet.payload_mut().copy_from_slice(&self.payload);
        packet.fill_checksum(src_addr, dst_addr)
    }

    /// The segment as bytes, checksummed for the addresses it travels between.
    pub fn to_bytes(&self, src_addr: Ipv4Addr, dst_addr: Ipv4Addr) -> Result<Vec<u8>> {
        let mut bytes = vec![0u8; self.buffer_len()];
        self.emit(
            &mut TcpPacket::new_unchecked(&mut bytes[..]),
            src_addr,
            dst_addr,
        )?;
        Ok(bytes)
    }
}

/// One line as a learner reads it: `49152 → 25 [SYN] Seq=1000 Ack=0 Win=64240 MSS=1460 Len=0`.
impl fmt::Display for TcpRepr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} → {} [{}] Seq={} Ack={} Win={}",
            self.src_port, self.dst_port, self.flags, self.seq, self.ack, self.window
        )?;
        if let Some(mss) = self.mss {
            write!(f, " MSS={mss}")?;
        }
        write!(f, " Len={}", self.payload.len())
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    const SRC: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);
    const DST: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 2);

    // 49152 → 25, SYN, seq 1000, window 64240, MSS 1460.
    // Checksum by hand: pseudo-header 0a00+0001+0a00+0002+0006+0018 = 0x1421;
    // header c000+0019+0000+03e8+0000+0000+6002+faf0+0000+0000+0204+05b4 = 0x2_26ab,
    // folded 0x26ad; total 0x3ace; complemented 0xc531 (checked with Python's struct).
    static SYN_BYTES: [u8; 24] = [
        0xc0, 0x00, 0x00, 0x19, // ports 49152 → 25
        0x00, 0x00, 0x03, 0xe8, // seq 1000
        0x00, 0x00, 0x00, 0x00, // ack 0
        0x60, 0x02, 0xfa, 0xf0, // data offset 6 words, SYN, window 64240
        0xc5, 0x31, 0x00, 0x00, // checksum, urgent pointer
        0x02, 0x04, 0x05, 0xb4, // MSS 1460
    ];

    fn syn_repr() -> TcpRepr {
        TcpRepr {
            src_port: 49152,
            dst_port: 25,
            seq: 1000,
            ack: 0,
            flags: TcpFlags::SYN,
            window: 64240,
            mss: Some(1460),
            payload: Vec::new(),
        }
    }

    // 25 → 49152, PSH+ACK carrying "220\r\n", seq 5000, ack 1001, window 65535;
    // checksum 0x57fb (computed with Python's struct and socket.inet_aton).
    static DATA_BYTES: [u8; 25] = [
        0x00, 0x19, 0xc0, 0x00, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x03, 0xe9, 0x50, 0x18, 0xff,
        0xff, 0x57, 0xfb, 0x00, 0x00, b'2', b'2', b'0', b'\r', b'\n',
    ];

    fn data_repr() -> TcpRepr {
        TcpRepr {
            src_port: 25,
            dst_port: 49152,
            seq: 5000,
            ack: 1001,
            flags: TcpFlags::PSH_ACK,
            window: 65535,
            mss: None,
            payload: b"220\r\n".to_vec(),
        }
    }

    #[test]
    fn test_parse() {
        let packet = TcpPacket::new_checked(&SYN_BYTES[..]).unwrap();
        assert_eq!(packet.src_port(), 49152);
        assert_eq!(packet.header_len(), 24);
        assert_eq!(packet.flags(), TcpFlags::SYN);
        assert_eq!(packet.checksum(), 0xc531);
        assert!(packet.verify_checksum(SRC, DST));
        assert_eq!(TcpRepr::parse(&packet, SRC, DST), Ok(syn_repr()));

        let packet = TcpPacket::new_checked(&DATA_BYTES[..]).unwrap();
        assert_eq!(TcpRepr::parse(&packet, DST, SRC), Ok(data_repr()));
    }

    #[test]
    fn test_emit() {
        assert_eq!(syn_repr().to_bytes(SRC, DST).unwrap(), SYN_BYTES);
        assert_eq!(data_repr().to_bytes(DST, SRC).unwrap(), DATA_BYTES);
    }

    #[test]
    fn test_checksum_covers_the_pseudo_header() {
        let packet = TcpPacket::new_checked(&SYN_BYTES[..]).unwrap();
        let elsewhere = Ipv4Addr::new(10, 0, 0, 3);
        assert_eq!(
            TcpRepr::parse(&packet, SRC, elsewhere),
            Err(Error::BadChecksum)
        );
        let mut damaged = DATA_BYTES;
        damaged[22] = b'1';
        let packet = TcpPacket::new_checked(&damaged[..]).unwrap();
        assert_eq!(TcpRepr::parse(&packet, DST, SRC), Err(Error::BadChecksum));
    }

    #[test]
    fn test_options_skip_nop_and_unknown() {
        // NOP, NOP, SACK-permitted (kind 4 len 2), MSS 536, then EOL and padding.
        let options = [1, 1, 4, 2, 2, 4, 0x02, 0x18, 0, 0, 0, 0];
        let read: Vec<_> = TcpOptions::new(&options).collect();
        assert_eq!(
            read,
            vec![
                Ok((0..1, TcpOption::NoOperation)),
                Ok((1..2, TcpOption::NoOperation)),
                Ok((2..4, TcpOption::Unknown { kind: 4, data: &[] })),
                Ok((4..8, TcpOption::MaxSegmentSize(536))),
                Ok((8..9, TcpOption::EndOfList)),
            ]
        );
    }

    #[test]
    fn test_malformed_options() {
        for options in [
            &[2u8][..],
            &[2, 4, 5],
            &[8, 0],
            &[8, 1],
            &[2, 3, 5],
            &[30, 9, 0, 0],
        ] {
            let last = TcpOptions::new(options).last();
            assert_eq!(last, Some(Err(Error::Malformed)), "{options:?}");
        }
    }

    #[test]
    fn test_truncated() {
        assert_eq!(
            TcpPacket::new_checked(&SYN_BYTES[..19]),
            Err(Error::Truncated)
        );
        assert_eq!(
            TcpPacket::new_checked(&SYN_BYTES[..23]),
            Err(Error::Truncated)
        );
        let mut bytes = SYN_BYTES;
        bytes[12] = 0x40; // data offset 4 words
        assert_eq!(TcpPacket::new_checked(&bytes[..]), Err(Error::Malformed));
    }

    #[test]
    fn test_display() {
        assert_eq!(TcpFlags::SYN_ACK.to_string(), "SYN, ACK");
        assert_eq!(TcpFlags::FIN_ACK.to_string(), "FIN, ACK");
        assert_eq!(TcpFlags::default().to_string(), "none");
        assert_eq!(
            syn_repr().to_string(),
            "49152 → 25 [SYN] Seq=1000 Ack=0 Win=64240 MSS=1460 Len=0"
        );
    }

    #[test]
    fn test_flags_byte_round_trip() {
        for byte in 0..=u8::MAX {
            assert_eq!(TcpFlags::from_byte(byte).to_byte(), byte);
        }
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            if let Ok(mut packet) = TcpPacket::new_checked(bytes.clone()) {
                packet.fill_checksum(SRC, DST).unwrap();
                let _ = TcpOptions::new(packet.options()).count();
                if let Ok(repr) = TcpRepr::parse(&packet, SRC, DST) {
                    prop_assert_eq!(repr.payload.len(), packet.payload().len());
                }
            }
        }

        #[test]
        fn prop_round_trip(src_port in any::<u16>(), dst_port in any::<u16>(), seq in any::<u32>(), ack in any::<u32>(),
                           flags in any::<u8>(), window in any::<u16>(), mss in any::<Option<u16>>(),
                           payload in proptest::collection::vec(any::<u8>(), 0..64)) {
            let repr = TcpRepr { src_port, dst_port, seq, ack, flags: TcpFlags::from_byte(flags), window, mss, payload };
            let bytes = repr.to_bytes(SRC, DST).unwrap();
            let packet = TcpPacket::new_checked(&bytes[..]).unwrap();
            prop_assert_eq!(TcpRepr::parse(&packet, SRC, DST), Ok(repr));
        }
    }
}
