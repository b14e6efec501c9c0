//! The layer tree the inspector shows for one Ethernet frame, in the five-layer teaching model
//! (physical, data link, network, transport, application): each layer's protocol and fields,
//! every field with its name, its value as text and the bytes it occupies in the frame, so the
//! UI can highlight them. The physical layer is the frame as bits and its time on the wire
//! (the preamble, frame check sequence and inter-frame gap are not counted, as in a pcap).
//!
//! Any bytes are accepted: what can be read is shown, and a layer that cannot be read carries
//! a `problem` and leaves the rest of the frame marked as `unparsed`. Nothing here panics.

use std::fmt;
use std::net::Ipv4Addr;
use std::ops::Range;

use super::arp::{self, ArpPacket, ArpRepr};
use super::dns;
use super::ethernet::{self, EtherType, Frame};
use super::ipv4::{self, IpProtocol, Ipv4Repr};
use super::tcp::{self, TcpOptions, TcpPacket};
use super::udp::{self, UdpPacket};
use super::Error;

/// A layer of the five-layer teaching model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayerKind {
    Physical,
    DataLink,
    Network,
    Transport,
    Application,
}

impl LayerKind {
    /// The layer's number in the five-layer model, 1 (physical) to 5 (application).
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LayerKind::Physical => "Physical",
            LayerKind::DataLink => "Data link",
            LayerKind::Network => "Network",
            LayerKind::Transport => "Transport",
            LayerKind::Application => "Application",
        })
    }
}

/// One field of a layer: `TTL`, `64`, bytes 22..23 of the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerField {
    pub name: String,
    pub value: String,
    /// Where the field is in the frame.
    pub range: Range<usize>,
}

/// One layer of a frame: its protocol, the bytes it covers and its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub kind: LayerKind,
    /// `Ethernet II`, `ARP`, `IPv4`, `TCP`, `UDP`, `DNS`, `SMTP`, `Data`, …
    pub protocol: String,
    pub range: Range<usize>,
    pub fields: Vec<LayerField>,
    /// Why the layer could not be read completely (truncated, bad checksum, …).
    pub problem: Option<String>,
}

/// A frame as layers, physical first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerTree {
    pub layers: Vec<Layer>,
    /// Bytes no layer could read, if any: from the first problem to the end of the frame.
    pub unparsed: Option<Range<usize>>,
}

impl LayerTree {
    /// The layer of a given kind, if the frame reached it.
    pub fn layer(&self, kind: LayerKind) -> Option<&Layer> {
        self.layers.iter().find(|layer| layer.kind == kind)
    }
}

/// Reads `frame` into layers. `bits_per_second` is the bandwidth of the link it travels on,
/// for its time on the wire; 0 means unknown.
pub fn dissect(frame: &[u8], bits_per_second: u64) -> LayerTree {
    let mut dissector = Dissector {
        frame,
        layers: Vec::new(),
        unparsed: None,
    };
    dissector.physical(bits_per_second);
    dissector.ethernet();
    LayerTree {
        layers: dissector.layers,
        unparsed: dissector.unparsed,
    }
}

/// The time `bits` take on a link of `bits_per_second`, in nanoseconds (rounded down).
pub fn wire_time_nanos(bits: u64, bits_per_second: u64) -> Option<u64> {
    let nanos = u128::from(bits) * 1_000_000_000 / u128::from(bits_per_second).max(1);
    (bits_per_second > 0).then(|| u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// Well-known TCP ports of the text protocols Kurir teaches, by name.
fn text_protocol(port: u16) -> Option<&'static str> {
    match port {
        25 | 465 | 587 => Some("SMTP"),
        110 => Some("POP3"),
        143 => Some("IMAP"),
        _ => None,
    }
}

const DNS_PORT: u16 = 53;

struct Dissector<'a> {
    frame: &'a [u8],
    layers: Vec<Layer>,
    unparsed: Option<Range<usize>>,
}

/// Collects a layer's fields, with ranges relative to where the layer starts in the frame.
struct Fields {
    base: usize,
    fields: Vec<LayerField>,
}

impl Fields {
    fn new(base: usize) -> Fields {
        Fields {
            base,
            fields: Vec::new(),
        }
    }

    fn add(&mut self, name: &str, value: impl fmt::Display, range: Range<usize>) {
        self.fields.push(LayerField {
            name: name.to_owned(),
            value: value.to_string(),
            range: self.base + range.start..self.base + range.end,
        });
    }

    fn add_byte(&mut self, name: &str, value: impl fmt::Display, at: usize) {
        self.add(name, value, at..at + 1);
    }
}

fn checksum_text(value: u16, good: bool) -> String {
    if good {
        format!("0x{value:04x} (correct)")
    } else {
        format!("0x{value:04x} (incorrect: the bytes were damaged)")
    }
}

impl Dissector<'_> {
    fn push(
        &mut self,
        kind: LayerKind,
        protocol: &str,
        range: Range<usize>,
        fields: Fields,
        problem: Option<String>,
    ) {
        self.layers.push(Layer {
            kind,
            protocol: protocol.to_owned(),
            range,
            fields: fields.fields,
            problem,
        });
    }

    /// Adds a layer that could not be read and marks everything from `start` as unparsed.
    fn unreadable(
        &mut self,
        kind: LayerKind,
        protocol: &str,
        start: usize,
        fields: Fields,
        error: Error,
    ) {
        let range = start..self.frame.len();
        self.push(
            kind,
            protocol,
            range.clone(),
            fields,
            Some(error.to_string()),
        );
        self.unparsed = Some(range);
    }

    fn physical(&mut self, bits_per_second: u64) {
        let len = self.frame.len();
        let bits = len as u64 * 8;
        let mut fields = Fields::new(0);
        fields.add("Frame length", format!("{len} bytes"), 0..len);
        fields.add("Bits", format!("{bits} bits"), 0..len);
        let time = match wire_time_nanos(bits, bits_per_second) {
            Some(nanos) => format!(
                "{}.{:03} µs at {}",
                nanos / 1000,
                nanos % 1000,
                Bandwidth(bits_per_second)
            ),
            None => "unknown (no bandwidth given)".to_owned(),
        };
        fields.add("Time on the wire", time, 0..len);
        self.push(LayerKind::Physical, "Physical", 0..len, fields, None);
    }

    fn ethernet(&mut self) {
        let mut fields = Fields::new(0);
        let frame = match Frame::new_checked(self.frame) {
            Ok(frame) => frame,
            Err(error) => {
                return self.unreadable(LayerKind::DataLink, "Ethernet II", 0, fields, error)
            }
        };
        let destination = frame.dst_addr();
        let note = if destination.is_broadcast() {
            " (broadcast: every host on the link)"
        } else {
            ""
        };
        fields.add(
            "Destination",
            format!("{destination}{note}"),
            ethernet::field::DESTINATION,
        );
        fields.add("Source", frame.src_addr(), ethernet::field::SOURCE);
        fields.add("Type", frame.ethertype(), ethernet::field::ETHERTYPE);
        let payload_start = ethernet::HEADER_LEN;
        let used = match frame.ethertype() {
            EtherType::Arp => self.arp(payload_start),
            EtherType::Ipv4 => self.ipv4(payload_start),
            EtherType::Unknown(_) => {
                let mut data = Fields::new(payload_start);
                let len = frame.payload().len();
                data.add("Data", format!("{len} bytes"), 0..len);
                self.push(
                    LayerKind::Network,
                    "Data",
                    payload_start..self.frame.len(),
                    data,
                    None,
                );
                len
            }
        };
        // Bytes after the packet: Ethernet pads frames to its 60-byte minimum.
        let padding_start = payload_start + used;
        if padding_start < self.frame.len() && self.unparsed.is_none() {
            let padding = padding_start..self.frame.len();
            fields.add("Padding", format!("{} bytes", padding.len()), padding);
        }
        // The layers above were pushed first; the data link layer goes right after physical.
        let layer = Layer {
            kind: LayerKind::DataLink,
            protocol: "Ethernet II".to_owned(),
            range: 0..self.frame.len(),
            fields: fields.fields,
            problem: None,
        };
        self.layers.insert(1, layer);
    }

    /// Returns how many bytes the ARP packet used.
    fn arp(&mut self, start: usize) -> usize {
        let mut fields = Fields::new(start);
        let packet = match ArpPacket::new_checked(&self.frame[start..]) {
            Ok(packet) => packet,
            Err(error) => {
                self.unreadable(LayerKind::Network, "ARP", start, fields, error);
                return self.frame.len() - start;
            }
        };
        fields.add(
            "Hardware type",
            packet.hardware_type(),
            arp::field::HARDWARE_TYPE,
        );
        fields.add(
            "Protocol type",
            packet.protocol_type(),
            arp::field::PROTOCOL_TYPE,
        );
        fields.add_byte(
            "Hardware size",
            packet.hardware_len(),
            arp::field::HARDWARE_LEN,
        );
        fields.add_byte(
            "Protocol size",
            packet.protocol_len(),
            arp::field::PROTOCOL_LEN,
        );
        fields.add("Operation", packet.operation(), arp::field::OPERATION);
        fields.add(
            "Sender MAC address",
            packet.sender_hardware_addr(),
            arp::field::SENDER_HARDWARE_ADDR,
        );
        fields.add(
            "Sender IP address",
            packet.sender_protocol_addr(),
            arp::field::SENDER_PROTOCOL_ADDR,
        );
        fields.add(
            "Target MAC address",
            packet.target_hardware_addr(),
            arp::field::TARGET_HARDWARE_ADDR,
        );
        fields.add(
            "Target IP address",
            packet.target_protocol_addr(),
            arp::field::TARGET_PROTOCOL_ADDR,
        );
        let problem = match ArpRepr::parse(&packet) {
            Ok(repr) => {
                fields.add("Meaning", repr, 0..arp::PACKET_LEN);
                None
            }
            Err(error) => Some(error.to_string()),
        };
        self.push(
            LayerKind::Network,
            "ARP",
            start..start + arp::PACKET_LEN,
            fields,
            problem,
        );
        arp::PACKET_LEN
    }

    /// Returns how many bytes the IPv4 packet used (its total length).
    fn ipv4(&mut self, start: usize) -> usize {
        let mut fields = Fields::new(start);
        let packet = match ipv4::Packet::new_checked(&self.frame[start..]) {
            Ok(packet) => packet,
            Err(error) => {
                self.unreadable(LayerKind::Network, "IPv4", start, fields, error);
                return self.frame.len() - start;
            }
        };
        use ipv4::field;
        let header_len = usize::from(packet.header_len());
        fields.add_byte("Version", packet.version(), field::VERSION_AND_HEADER_LEN);
        fields.add_byte(
            "Header length",
            format!("{header_len} bytes"),
            field::VERSION_AND_HEADER_LEN,
        );
        fields.add_byte(
            "Differentiated services",
            format!("DSCP {}, ECN {}", packet.dscp(), packet.ecn()),
            field::DSCP_AND_ECN,
        );
        fields.add(
            "Total length",
            format!("{} bytes", packet.total_len()),
            field::TOTAL_LEN,
        );
        fields.add(
            "Identification",
            format!("0x{0:04x} ({0})", packet.identification()),
            field::IDENTIFICATION,
        );
        let flags = match (packet.dont_fragment(), packet.more_fragments()) {
            (true, _) => "Don't fragment",
            (false, true) => "More fragments",
            (false, false) => "none",
        };
        fields.add("Flags", flags, field::FLAGS_AND_FRAGMENT_OFFSET);
        fields.add(
            "Fragment offset",
            packet.fragment_offset(),
            field::FLAGS_AND_FRAGMENT_OFFSET,
        );
        fields.add_byte("Time to live", packet.ttl(), field::TTL);
        fields.add_byte("Protocol", packet.protocol(), field::PROTOCOL);
        fields.add(
            "Header checksum",
            checksum_text(packet.checksum(), packet.verify_checksum()),
            field::CHECKSUM,
        );
        fields.add("Source address", packet.src_addr(), field::SRC_ADDR);
        fields.add("Destination address", packet.dst_addr(), field::DST_ADDR);
        if header_len > ipv4::HEADER_LEN {
            fields.add(
                "Options",
                format!("{} bytes", header_len - ipv4::HEADER_LEN),
                ipv4::HEADER_LEN..header_len,
            );
        }
        let total_len = usize::from(packet.total_len());
        let problem = Ipv4Repr::parse(&packet).err();
        self.push(
            LayerKind::Network,
            "IPv4",
            start..start + total_len,
            fields,
            problem.map(|error| error.to_string()),
        );
        // A wrong version or a fragment means the payload is not a whole transport segment.
        if matches!(problem, None | Some(Error::BadChecksum)) {
            let addresses = (packet.src_addr(), packet.dst_addr());
            let payload_start = start + header_len;
            let payload = packet.payload();
            match packet.protocol() {
                IpProtocol::Tcp => self.tcp(payload_start, payload, addresses),
                IpProtocol::Udp => self.udp(payload_start, payload, addresses),
                IpProtocol::Icmp | IpProtocol::Unknown(_) => {
                    self.data(LayerKind::Transport, payload_start, payload)
                }
            }
        }
        total_len
    }

    fn tcp(&mut self, start: usize, segment: &[u8], (src_addr, dst_addr): (Ipv4Addr, Ipv4Addr)) {
        let mut fields = Fields::new(start);
        let packet = match TcpPacket::new_checked(segment) {
            Ok(packet) => packet,
            Err(error) => {
                return self.unreadable(LayerKind::Transport, "TCP", start, fields, error)
            }
        };
        use tcp::field;
        let header_len = usize::from(packet.header_len());
        fields.add("Source port", packet.src_port(), field::SRC_PORT);
        fields.add("Destination port", packet.dst_port(), field::DST_PORT);
        fields.add("Sequence number", packet.seq_number(), field::SEQ_NUMBER);
        fields.add(
            "Acknowledgment number",
            packet.ack_number(),
            field::ACK_NUMBER,
        );
        fields.add_byte(
            "Header length",
            format!("{header_len} bytes"),
            field::DATA_OFFSET,
        );
        fields.add_byte(
            "Flags",
            format!("0x{:02x} ({})", packet.flags().to_byte(), packet.flags()),
            field::FLAGS,
        );
        fields.add("Window", packet.window_len(), field::WINDOW);
        let good = packet.verify_checksum(src_addr, dst_addr);
        fields.add(
            "Checksum",
            checksum_text(packet.checksum(), good),
            field::CHECKSUM,
        );
        fields.add(
            "Urgent pointer",
            packet.urgent_pointer(),
            field::URGENT_POINTER,
        );
        let mut problem = (!good).then(|| Error::BadChecksum.to_string());
        for option in TcpOptions::new(packet.options()) {
            match option {
                Ok((range, option)) => {
                    let range = tcp::HEADER_LEN + range.start..tcp::HEADER_LEN + range.end;
                    fields.add("Option", option, range);
                }
                Err(error) => problem = Some(error.to_string()),
            }
        }
        self.push(
            LayerKind::Transport,
            "TCP",
            start..start + segment.len(),
            fields,
            problem,
        );
        let payload = packet.payload();
        if payload.is_empty() {
            return;
        }
        let payload_start = start + header_len;
        let server_port = [packet.dst_port(), packet.src_port()]
            .into_iter()
            .find_map(|port| text_protocol(port).map(|name| (port, name)));
        match server_port {
            Some((port, name)) => {
                self.text_lines(name, payload_start, payload, packet.dst_port() == port)
            }
            None => self.data(LayerKind::Application, payload_start, payload),
        }
    }

    fn udp(&mut self, start: usize, datagram: &[u8], (src_addr, dst_addr): (Ipv4Addr, Ipv4Addr)) {
        let mut fields = Fields::new(start);
        let packet = match UdpPacket::new_checked(datagram) {
            Ok(packet) => packet,
            Err(error) => {
                return self.unreadable(LayerKind::Transport, "UDP", start, fields, error)
            }
        };
        use udp::field;
        fields.add("Source port", packet.src_port(), field::SRC_PORT);
        fields.add("Destination port", packet.dst_port(), field::DST_PORT);
        fields.add("Length", format!("{} bytes", packet.len()), field::LENGTH);
        let good = packet.verify_checksum(src_addr, dst_addr);
        let checksum = match packet.checksum() {
            0 => "0x0000 (none: the sender did not compute one)".to_owned(),
            value => checksum_text(value, good),
        };
        fields.add("Checksum", checksum, field::CHECKSUM);
        let problem = (!good).then(|| Error::BadChecksum.to_string());
        self.push(
            LayerKind::Transport,
            "UDP",
            start..start + usize::from(packet.len()),
            fields,
            problem,
        );
        let payload = packet.payload();
        let payload_start = start + udp::HEADER_LEN;
        if packet.src_port() == DNS_PORT || packet.dst_port() == DNS_PORT {
            self.dns(payload_start, payload);
        } else if !payload.is_empty() {
            self.data(LayerKind::Application, payload_start, payload);
        }
    }

    fn dns(&mut self, start: usize, message: &[u8]) {
        let mut fields = Fields::new(start);
        if message.len() >= dns::HEADER_LEN {
            let word = |range: Range<usize>| {
                u16::from_be_bytes([message[range.start], message[range.start + 1]])
            };
            use dns::field;
            fields.add(
                "Transaction ID",
                format!("0x{:04x}", word(field::ID)),
                field::ID,
            );
            fields.add(
                "Flags",
                format!("0x{:04x}", word(field::FLAGS)),
                field::FLAGS,
            );
            fields.add(
                "Questions",
                word(field::QUESTION_COUNT),
                field::QUESTION_COUNT,
            );
            fields.add("Answer RRs", word(field::ANSWER_COUNT), field::ANSWER_COUNT);
            fields.add(
                "Authority RRs",
                word(field::AUTHORITY_COUNT),
                field::AUTHORITY_COUNT,
            );
            fields.add(
                "Additional RRs",
                word(field::ADDITIONAL_COUNT),
                field::ADDITIONAL_COUNT,
            );
        }
        let (message_repr, ranges) = match dns::parse_with_ranges(message) {
            Ok(parsed) => parsed,
            Err(error) => {
                return self.unreadable(LayerKind::Application, "DNS", start, fields, error)
            }
        };
        let kind = if message_repr.is_response {
            "Response"
        } else {
            "Query"
        };
        fields.add(
            "Message",
            format!("{kind}, {}", message_repr.rcode),
            dns::field::FLAGS,
        );
        let questions = message_repr
            .questions
            .iter()
            .map(|question| ("Question", question.to_string()));
        let sections = [
            ("Answer", &message_repr.answers),
            ("Authority", &message_repr.authorities),
            ("Additional", &message_repr.additionals),
        ];
        let records = sections.into_iter().flat_map(|(name, records)| {
            records.iter().map(move |record| (name, record.to_string()))
        });
        for ((name, value), range) in questions.chain(records).zip(ranges) {
            fields.add(name, value, range);
        }
        self.push(
            LayerKind::Application,
            "DNS",
            start..start + message.len(),
            fields,
            None,
        );
    }

    /// A text protocol's payload as lines; `from_client` names them commands, else replies.
    fn text_lines(&mut self, protocol: &str, start: usize, payload: &[u8], from_client: bool) {
        let mut fields = Fields::new(start);
        let name = if from_client { "Command" } else { "Reply" };
        let mut offset = 0;
        for line in payload.split_inclusive(|&byte| byte == b'\n') {
            let text = line
                .strip_suffix(b"\r\n")
                .or_else(|| line.strip_suffix(b"\n"));
            let value = match text {
                Some(text) => printable(text),
                None => format!("{} (continues in the next segment)", printable(line)),
            };
            fields.add(name, value, offset..offset + line.len());
            offset += line.len();
        }
        self.push(
            LayerKind::Application,
            protocol,
            start..start + payload.len(),
            fields,
            None,
        );
    }

    fn data(&mut self, kind: LayerKind, start: usize, payload: &[u8]) {
        let mut fields = Fields::new(start);
        fields.add("Data", format!("{} bytes", payload.len()), 0..payload.len());
        self.push(kind, "Data", start..start + payload.len(), fields, None);
    }
}

/// Text as a learner should see it: control bytes and invalid UTF-8 escaped, never hidden.
fn printable(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A bandwidth as `100 Mbit/s`.
struct Bandwidth(u64);

impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bits = self.0;
        let units = [
            (1_000_000_000, "Gbit/s"),
            (1_000_000, "Mbit/s"),
            (1_000, "kbit/s"),
        ];
        match units
            .iter()
            .find(|(size, _)| bits >= *size && bits.is_multiple_of(*size))
        {
            Some((size, unit)) => write!(f, "{} {unit}", bits / size),
            None => write!(f, "{bits} bit/s"),
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::wire::samples::sample_frames;
    use proptest::prelude::*;

    const FAST_ETHERNET: u64 = 100_000_000;

    fn protocols(tree: &LayerTree) -> Vec<&str> {
        tree.layers
            .iter()
            .map(|layer| layer.protocol.as_str())
            .collect()
    }

    fn field<'t>(tree: &'t LayerTree, protocol: &str, name: &str) -> &'t LayerField {
        let layer = tree
            .layers
            .iter()
            .find(|layer| layer.protocol == protocol)
            .unwrap();
        layer
            .fields
            .iter()
            .find(|field| field.name == name)
            .unwrap()
    }

    #[test]
    fn test_arp_request() {
        let frame = &sample_frames()[0];
        let tree = dissect(frame, FAST_ETHERNET);
        assert_eq!(protocols(&tree), ["Physical", "Ethernet II", "ARP"]);
        assert_eq!(tree.layer(LayerKind::Network).unwrap().range, 14..42);
        assert!(field(&tree, "Ethernet II", "Destination")
            .value
            .starts_with("ff:ff:ff:ff:ff:ff (broadcast"));
        assert_eq!(
            field(&tree, "ARP", "Meaning").value,
            "Who has 10.0.0.53? Tell 10.0.0.10"
        );
        let target = field(&tree, "ARP", "Target IP address");
        assert_eq!(
            (target.value.as_str(), &frame[target.range.clone()]),
            ("10.0.0.53", &[10, 0, 0, 53][..])
        );
        assert_eq!(tree.unparsed, None);
    }

    #[test]
    fn test_physical_layer_is_bits_and_time_on_the_wire() {
        let tree = dissect(&sample_frames()[0], FAST_ETHERNET);
        // 42 bytes = 336 bits; at 100 Mbit/s each bit takes 10 ns.
        assert_eq!(field(&tree, "Physical", "Bits").value, "336 bits");
        assert_eq!(
            field(&tree, "Physical", "Time on the wire").value,
            "3.360 µs at 100 Mbit/s"
        );
        assert_eq!(wire_time_nanos(12_000, 10_000_000), Some(1_200_000));
        assert_eq!(Bandwidth(1_000_000_000).to_string(), "1 Gbit/s");
        assert_eq!(Bandwidth(1_500_000).to_string(), "1500 kbit/s");
        assert_eq!(Bandwidth(999).to_string(), "999 bit/s");
        let unknown = dissect(&sample_frames()[0], 0);
        assert_eq!(
            field(&unknown, "Physical", "Time on the wire").value,
            "unknown (no bandwidth given)"
        );
    }

    #[test]
    fn test_dns_answer() {
        let frame = &sample_frames()[3];
        let tree = dissect(frame, FAST_ETHERNET);
        assert_eq!(
            protocols(&tree),
            ["Physical", "Ethernet II", "IPv4", "UDP", "DNS"]
        );
        assert_eq!(
            field(&tree, "IPv4", "Header checksum").value,
            "0x2660 (correct)"
        );
        assert!(field(&tree, "UDP", "Checksum").value.ends_with("(correct)"));
        let answer = field(&tree, "DNS", "Answer");
        assert_eq!(answer.value, "beta.example 3600 IN MX 10 mx1.beta.example");
        // The answer's owner name is a compression pointer to the question's name.
        assert_eq!(
            &frame[answer.range.start..answer.range.start + 2],
            &[0xc0, 0x0c]
        );
        assert_eq!(answer.range.end, frame.len());
    }

    #[test]
    fn test_tcp_syn_shows_mss_option() {
        let frame = &sample_frames()[4];
        let tree = dissect(frame, FAST_ETHERNET);
        assert_eq!(protocols(&tree), ["Physical", "Ethernet II", "IPv4", "TCP"]);
        assert_eq!(field(&tree, "TCP", "Flags").value, "0x02 (SYN)");
        let option = field(&tree, "TCP", "Option");
        assert_eq!(option.value, "Maximum segment size: 1460 bytes");
        assert_eq!(&frame[option.range.clone()], &[2, 4, 0x05, 0xb4]);
    }

    #[test]
    fn test_smtp_command_line() {
        let frame = &sample_frames()[8];
        let tree = dissect(frame, FAST_ETHERNET);
        assert_eq!(
            protocols(&tree),
            ["Physical", "Ethernet II", "IPv4", "TCP", "SMTP"]
        );
        let command = field(&tree, "SMTP", "Command");
        assert_eq!(command.value, "EHLO laptop-ani.alpha.example");
        assert_eq!(
            &frame[command.range.clone()],
            b"EHLO laptop-ani.alpha.example\r\n"
        );
        let greeting = dissect(&sample_frames()[7], FAST_ETHERNET);
        assert_eq!(
            field(&greeting, "SMTP", "Reply").value,
            "220 mail.alpha.example ESMTP Kurir"
        );
    }

    #[test]
    fn test_partial_line_and_control_bytes_are_shown() {
        let mut fields = Fields::new(0);
        fields.add("x", printable(b"MAIL\tFROM:\x00"), 0..1);
        assert_eq!(fields.fields[0].value, "MAIL\\tFROM:\\u{0}");
        let mut dissector = Dissector {
            frame: &[],
            layers: Vec::new(),
            unparsed: None,
        };
        dissector.text_lines("SMTP", 0, b"250-first\r\n250 sec", false);
        let values: Vec<_> = dissector.layers[0]
            .fields
            .iter()
            .map(|field| field.value.as_str())
            .collect();
        assert_eq!(
            values,
            ["250-first", "250 sec (continues in the next segment)"]
        );
    }

    #[test]
    fn test_ethernet_padding_is_marked() {
        let mut frame = sample_frames()[0].clone();
        frame.resize(60, 0);
        let tree = dissect(&frame, FAST_ETHERNET);
        let padding = field(&tree, "Ethernet II", "Padding");
        assert_eq!(
            (padding.value.as_str(), padding.range.clone()),
            ("18 bytes", 42..60)
        );
    }

    #[test]
    fn test_damaged_segment_shows_bad_checksum() {
        let mut frame = sample_frames()[8].clone();
        let last = frame.len() - 3;
        frame[last] ^= 0x20;
        let tree = dissect(&frame, FAST_ETHERNET);
        let tcp = tree.layer(LayerKind::Transport).unwrap();
        assert_eq!(tcp.problem, Some(Error::BadChecksum.to_string()));
        assert!(field(&tree, "TCP", "Checksum").value.contains("incorrect"));
        // The data is still shown: a learner sees what arrived.
        assert!(tree.layer(LayerKind::Application).is_some());
    }

    #[test]
    fn test_every_cut_frame_reports_a_problem() {
        for frame in sample_frames() {
            for len in 0..frame.len() {
                let tree = dissect(&frame[..len], FAST_ETHERNET);
                assert!(
                    tree.layers.iter().any(|layer| layer.problem.is_some()),
                    "cut at {len}: {tree:?}"
                );
                assert!(tree.unparsed.is_some(), "cut at {len}");
            }
        }
    }

    #[test]
    fn test_every_field_points_inside_its_frame() {
        for frame in sample_frames() {
            let tree = dissect(&frame, FAST_ETHERNET);
            assert_eq!(tree.unparsed, None);
            for layer in &tree.layers {
                assert_eq!(layer.problem, None, "{layer:?}");
                assert!(layer.range.end <= frame.len());
                for field in &layer.fields {
                    assert!(
                        field.range.start < field.range.end && field.range.end <= frame.len(),
                        "{field:?}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn prop_dissect_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..120), bits_per_second in any::<u64>()) {
            let tree = dissect(&bytes, bits_per_second);
            for field in tree.layers.iter().flat_map(|layer| &layer.fields) {
                prop_assert!(field.range.end <= bytes.len());
            }
        }

        #[test]
        fn prop_damaged_frames_never_panic(frame_index in 0usize..9, at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut frame = sample_frames()[frame_index].clone();
            let at = at.index(frame.len());
            frame[at] = byte;
            let tree = dissect(&frame, FAST_ETHERNET);
            for field in tree.layers.iter().flat_map(|layer| &layer.fields) {
                prop_assert!(field.range.end <= frame.len());
            }
        }
    }
}
