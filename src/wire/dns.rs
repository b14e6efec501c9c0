//! DNS messages (RFC 1035 §4.1): a 12-byte header (id, QR, opcode, AA, TC, RD, RA, RCODE and
//! four counts), then questions and the answer, authority and additional sections of resource
//! records (§3.2, §4.1.3). Record data is typed for A, NS, CNAME, PTR, MX (§3.3) and TXT;
//! any other type is carried as opaque bytes (RFC 3597). A null MX, `0 .` (RFC 7505), is an
//! MX record whose exchange is the root name.
//!
//! Names (§3.1) are sequences of labels of at most 63 bytes, at most 255 bytes on the wire.
//! Compression (§4.1.4) replaces a name's tail with a pointer to an earlier copy; the parser
//! accepts a pointer only if it points before the name (or pointed-to name) being read, so
//! every jump goes strictly backwards and hostile pointer loops end in `Malformed`, never in
//! a hang. Emit compresses owner names, MX exchanges and NS/CNAME/PTR targets.

use std::collections::BTreeMap;
use std::fmt;
use std::net::Ipv4Addr;
use std::ops::Range;
use std::str::FromStr;

use super::{Error, Result};

/// The longest a name may be on the wire, length bytes and final zero included (§2.3.4).
pub const MAX_NAME_LEN: usize = 255;
/// The longest a label may be (§2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// The longest a character-string (one piece of a TXT record) may be (§3.3).
pub const MAX_CHARACTER_STRING_LEN: usize = 255;

/// A domain name as its labels, case preserved (compare with `eq_ignore_ascii_case`).
/// Written as `mx1.beta.example`; the root is `.`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DnsName {
    labels: Vec<Vec<u8>>,
}

impl DnsName {
    /// The root name, `.`: the exchange of a null MX.
    pub fn root() -> DnsName {
        DnsName::default()
    }

    /// A name from its labels; `Malformed` if a label is empty or too long, or the name is.
    pub fn from_labels(labels: Vec<Vec<u8>>) -> Result<DnsName> {
        let name = DnsName { labels };
        let label_ok = |label: &Vec<u8>| !label.is_empty() && label.len() <= MAX_LABEL_LEN;
        if name.labels.iter().all(label_ok) && name.wire_len() <= MAX_NAME_LEN {
            Ok(name)
        } else {
            Err(Error::Malformed)
        }
    }

    pub fn labels(&self) -> impl Iterator<Item = &[u8]> {
        self.labels.iter().map(Vec::as_slice)
    }

    pub fn is_root(&self) -> bool {
        self.labels.is_empty()
    }

    /// Bytes on the wire without compression: a length byte per label, the labels, a zero.
    pub fn wire_len(&self) -> usize {
        self.labels
            .iter()
            .map(|label| 1 + label.len())
            .sum::<usize>()
            + 1
    }

    /// Whether two names are the same name: DNS compares ASCII letters without case (§2.3.3).
    pub fn eq_ignore_ascii_case(&self, other: &DnsName) -> bool {
        self.labels.len() == other.labels.len()
            && self
                .labels
                .iter()
                .zip(&other.labels)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }
}

/// Reads `mx1.beta.example`, with or without the final dot; `.` is the root.
impl FromStr for DnsName {
    type Err = Error;

    fn from_str(text: &str) -> Result<DnsName> {
        let text = text.strip_suffix('.').unwrap_or(text);
        if text.is_empty() {
            return Ok(DnsName::root());
        }
        DnsName::from_labels(
            text.split('.')
                .map(|label| label.as_bytes().to_vec())
                .collect(),
        )
    }
}

/// Labels joined by dots; bytes that are not printable ASCII, and `.` or `\` inside a
/// label, are written as `\DDD` (RFC 1035 §5.1) so the text is never ambiguous.
impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_root() {
            return f.write_str(".");
        }
        for (index, label) in self.labels.iter().enumerate() {
            if index > 0 {
                f.write_str(".")?;
            }
            for &byte in label {
                if byte.is_ascii_graphic() && byte != b'.' && byte != b'\\' {
                    write!(f, "{}", char::from(byte))?;
                } else {
                    write!(f, "\\{byte:03}")?;
                }
            }
        }
        Ok(())
    }
}

/// A record type (§3.2.2 and later RFCs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DnsType {
    A,
    Ns,
    Cname,
    Soa,
    Ptr,
    Mx,
    Txt,
    Aaaa,
    Unknown(u16),
}

impl From<u16> for DnsType {
    fn from(value: u16) -> Self {
        match value {
            1 => DnsType::A,
            2 => DnsType::Ns,
            5 => DnsType::Cname,
            6 => DnsType::Soa,
            12 => DnsType::Ptr,
            15 => DnsType::Mx,
            16 => DnsType::Txt,
            28 => DnsType::Aaaa,
            other => DnsType::Unknown(other),
        }
    }
}

impl From<DnsType> for u16 {
    fn from(value: DnsType) -> Self {
        match value {
            DnsType::A => 1,
            DnsType::Ns => 2,
            DnsType::Cname => 5,
            DnsType::Soa => 6,
            DnsType::Ptr => 12,
            DnsType::Mx => 15,
            DnsType::Txt => 16,
            DnsType::Aaaa => 28,
            DnsType::Unknown(other) => other,
        }
    }
}

/// The mnemonic (`MX`), or `TYPE99` for types without one (RFC 3597 §5).
impl fmt::Display for DnsType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsType::A => f.write_str("A"),
            DnsType::Ns => f.write_str("NS"),
            DnsType::Cname => f.write_str("CNAME"),
            DnsType::Soa => f.write_str("SOA"),
            DnsType::Ptr => f.write_str("PTR"),
            DnsType::Mx => f.write_str("MX"),
            DnsType::Txt => f.write_str("TXT"),
            DnsType::Aaaa => f.write_str("AAAA"),
            DnsType::Unknown(number) => write!(f, "TYPE{number}"),
        }
    }
}

/// A record class (§3.2.4): in practice always IN, the Internet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DnsClass {
    #[default]
    In,
    Unknown(u16),
}

impl From<u16> for DnsClass {
    fn from(value: u16) -> Self {
        match value {
            1 => DnsClass::In,
            other => DnsClass::Unknown(other),
        }
    }
}

impl From<DnsClass> for u16 {
    fn from(value: DnsClass) -> Self {
        match value {
            DnsClass::In => 1,
            DnsClass::Unknown(other) => other,
        }
    }
}

impl fmt::Display for DnsClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsClass::In => f.write_str("IN"),
            DnsClass::Unknown(number) => write!(f, "CLASS{number}"),
        }
    }
}

/// The kind of query (§4.1.1); 0 is the standard query.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DnsOpcode {
    #[default]
    Query,
    Unknown(u8),
}

impl DnsOpcode {
    fn from_bits(bits: u8) -> DnsOpcode {
        match bits {
            0 => DnsOpcode::Query,
            other => DnsOpcode::Unknown(other),
        }
    }

    fn bits(self) -> u8 {
        match self {
            DnsOpcode::Query => 0,
            DnsOpcode::Unknown(other) => other & 0x0f,
        }
    }
}

/// The outcome of a query (§4.1.1), named as `dig` prints it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DnsRcode {
    #[default]
    NoError,
    FormatError,
    ServerFailure,
    /// The name does not exist (NXDOMAIN).
    NameError,
    NotImplemented,
    Refused,
    Unknown(u8),
}

impl DnsRcode {
    fn from_bits(bits: u8) -> DnsRcode {
        match bits {
            0 => DnsRcode::NoError,
            1 => DnsRcode::FormatError,
            2 => DnsRcode::ServerFailure,
            3 => DnsRcode::NameError,
            4 => DnsRcode::NotImplemented,
            5 => DnsRcode::Refused,
            other => DnsRcode::Unknown(other),
        }
    }

    fn bits(self) -> u8 {
        match self {
            DnsRcode::NoError => 0,
            DnsRcode::FormatError => 1,
            DnsRcode::ServerFailure => 2,
            DnsRcode::NameError => 3,
            DnsRcode::NotImplemented => 4,
            DnsRcode::Refused => 5,
            DnsRcode::Unknown(other) => other & 0x0f,
        }
    }
}

impl fmt::Display for DnsRcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsRcode::NoError => f.write_str("NOERROR"),
            DnsRcode::FormatError => f.write_str("FORMERR"),
            DnsRcode::ServerFailure => f.write_str("SERVFAIL"),
            DnsRcode::NameError => f.write_str("NXDOMAIN"),
            DnsRcode::NotImplemented => f.write_str("NOTIMP"),
            DnsRcode::Refused => f.write_str("REFUSED"),
            DnsRcode::Unknown(number) => write!(f, "RCODE{number}"),
        }
    }
}

/// The data of a resource record, by type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DnsRecord {
    A(Ipv4Addr),
    Ns(DnsName),
    Cname(DnsName),
    Ptr(DnsName),
    /// A mail exchanger: lower preference is tried first (RFC 5321 §5.1). Preference 0 with
    /// the root as exchange is a null MX: the domain accepts no mail (RFC 7505).
    Mx {
        preference: u16,
        exchange: DnsName,
    },
    /// One or more character-strings of at most 255 bytes each; SPF and DMARC policies live
    /// here, split into pieces when longer.
    Txt(Vec<Vec<u8>>),
    /// Any other type, carried as opaque bytes (RFC 3597).
    Unknown {
        rtype: u16,
        data: Vec<u8>,
    },
}

impl DnsRecord {
    /// A null MX, `0 .` (RFC 7505).
    pub fn null_mx() -> DnsRecord {
        DnsRecord::Mx {
            preference: 0,
            exchange: DnsName::root(),
        }
    }

    pub fn is_null_mx(&self) -> bool {
        matches!(self, DnsRecord::Mx { preference: 0, exchange } if exchange.is_root())
    }

    /// A TXT record holding `text`, split into 255-byte character-strings as needed.
    pub fn txt(text: &str) -> DnsRecord {
        DnsRecord::Txt(
            text.as_bytes()
                .chunks(MAX_CHARACTER_STRING_LEN)
                .map(<[u8]>::to_vec)
                .collect(),
        )
    }

    pub fn rtype(&self) -> DnsType {
        match self {
            DnsRecord::A(_) => DnsType::A,
            DnsRecord::Ns(_) => DnsType::Ns,
            DnsRecord::Cname(_) => DnsType::Cname,
            DnsRecord::Ptr(_) => DnsType::Ptr,
            DnsRecord::Mx { .. } => DnsType::Mx,
            DnsRecord::Txt(_) => DnsType::Txt,
            DnsRecord::Unknown { rtype, .. } => DnsType::from(*rtype),
        }
    }
}

/// The type and data as in a zone file: `MX 10 mx1.beta.example`, `TXT "v=spf1 -all"`.
impl fmt::Display for DnsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.rtype())?;
        match self {
            DnsRecord::A(addr) => write!(f, "{addr}"),
            DnsRecord::Ns(name) | DnsRecord::Cname(name) | DnsRecord::Ptr(name) => {
                write!(f, "{name}")
            }
            DnsRecord::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            DnsRecord::Txt(strings) => {
                for (index, string) in strings.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" ")?;
                    }
                    f.write_str("\"")?;
                    for &byte in string {
                        match byte {
                            b'"' | b'\\' => write!(f, "\\{}", char::from(byte))?,
                            b' ' => f.write_str(" ")?,
                            _ if byte.is_ascii_graphic() => write!(f, "{}", char::from(byte))?,
                            _ => write!(f, "\\{byte:03}")?,
                        }
                    }
                    f.write_str("\"")?;
                }
                Ok(())
            }
            DnsRecord::Unknown { data, .. } => {
                write!(f, "\\# {}", data.len())?;
                if !data.is_empty() {
                    f.write_str(" ")?;
                }
                data.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
            }
        }
    }
}

/// A question (§4.1.2): which records of which name the client wants.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DnsQuestion {
    pub name: DnsName,
    pub qtype: DnsType,
    pub qclass: DnsClass,
}

impl fmt::Display for DnsQuestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name, self.qclass, self.qtype)
    }
}

/// A resource record (§4.1.3): an owner name, class, time to live and typed data.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DnsResourceRecord {
    pub name: DnsName,
    pub class: DnsClass,
    /// Seconds a resolver may cache the record.
    pub ttl: u32,
    pub record: DnsRecord,
}

/// As in a zone file: `beta.example 3600 IN MX 10 mx1.beta.example`.
impl fmt::Display for DnsResourceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.name, self.ttl, self.class, self.record
        )
    }
}

/// Byte ranges of the header fields; the layer inspector reads them too.
pub(super) mod field {
    use std::ops::Range;

    pub const ID: Range<usize> = 0..2;
    pub const FLAGS: Range<usize> = 2..4;
    pub const QUESTION_COUNT: Range<usize> = 4..6;
    pub const ANSWER_COUNT: Range<usize> = 6..8;
    pub const AUTHORITY_COUNT: Range<usize> = 8..10;
    pub const ADDITIONAL_COUNT: Range<usize> = 10..12;
}

/// The length of a DNS header.
pub const HEADER_LEN: usize = field::ADDITIONAL_COUNT.end;

const QR: u16 = 0x8000;
const AA: u16 = 0x0400;
const TC: u16 = 0x0200;
const RD: u16 = 0x0100;
const RA: u16 = 0x0080;

/// A whole DNS message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct DnsMessage {
    /// Chosen by the client; the response carries the same id.
    pub id: u16,
    /// QR: false for a query, true for a response.
    pub is_response: bool,
    pub opcode: DnsOpcode,
    /// AA: the answer comes from a server authoritative for the name.
    pub authoritative: bool,
    /// TC: the message was cut to fit (512 bytes over UDP); retry over TCP.
    pub truncated: bool,
    /// RD: the client asks the server to resolve recursively.
    pub recursion_desired: bool,
    /// RA: the server offers recursion.
    pub recursion_available: bool,
    pub rcode: DnsRcode,
    pub questions: Vec<DnsQuestion>,
    pub answers: Vec<DnsResourceRecord>,
    pub authorities: Vec<DnsResourceRecord>,
    pub additionals: Vec<DnsResourceRecord>,
}

impl DnsMessage {
    /// A standard query with recursion desired, as a stub resolver sends it.
    pub fn query(id: u16, name: DnsName, qtype: DnsType) -> DnsMessage {
        DnsMessage {
            id,
            recursion_desired: true,
            questions: vec![DnsQuestion {
                name,
                qtype,
                qclass: DnsClass::In,
            }],
            ..DnsMessage::default()
        }
    }

    /// An empty response to `query`: same id, opcode, RD and questions; the caller fills
    /// the rcode and the sections.
    pub fn response_to(query: &DnsMessage) -> DnsMessage {
        DnsMessage {
            id: query.id,
            is_response: true,
            opcode: query.opcode,
            recursion_desired: query.recursion_desired,
            questions: query.questions.clone(),
            ..DnsMessage::default()
        }
    }

    /// Reads a message. Never panics and never loops, whatever the bytes.
    pub fn parse(bytes: &[u8]) -> Result<DnsMessage> {
        parse_with_ranges(bytes).map(|(message, _)| message)
    }

    /// The message as bytes, with name compression.
    /// `Malformed` if a section has more than 65 535 entries, a TXT piece exceeds 255 bytes,
    /// or record data exceeds 65 535 bytes.
    pub fn emit(&self) -> Result<Vec<u8>> {
        let mut writer = Writer::default();
        writer.u16(self.id);
        writer.u16(self.flags());
        for count in [
            self.questions.len(),
            self.answers.len(),
            self.authorities.len(),
            self.additionals.len(),
        ] {
            writer.u16(u16::try_from(count).map_err(|_| Error::Malformed)?);
        }
        for question in &self.questions {
            writer.name(&question.name);
            writer.u16(question.qtype.into());
            writer.u16(question.qclass.into());
        }
        for record in self.records() {
            writer.resource_record(record)?;
        }
        Ok(writer.bytes)
    }

    /// Answers, then authority, then additional records.
    pub fn records(&self) -> impl Iterator<Item = &DnsResourceRecord> {
        self.answers
            .iter()
            .chain(&self.authorities)
            .chain(&self.additionals)
    }

    fn flags(&self) -> u16 {
        let bit = |set: bool, mask: u16| if set { mask } else { 0 };
        bit(self.is_response, QR)
            | u16::from(self.opcode.bits()) << 11
            | bit(self.authoritative, AA)
            | bit(self.truncated, TC)
            | bit(self.recursion_desired, RD)
            | bit(self.recursion_available, RA)
            | u16::from(self.rcode.bits())
    }
}

/// A one-line summary as Wireshark's Info column shows it:
/// `Standard query response 0x1a2b MX beta.example MX 10 mx1.beta.example`.
impl fmt::Display for DnsMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match (self.opcode, self.is_response) {
            (DnsOpcode::Query, false) => "Standard query",
            (DnsOpcode::Query, true) => "Standard query response",
            (DnsOpcode::Unknown(_), false) => "Query",
            (DnsOpcode::Unknown(_), true) => "Response",
        };
        write!(f, "{kind} 0x{:04x}", self.id)?;
        if self.rcode != DnsRcode::NoError {
            write!(f, " {}", self.rcode)?;
        }
        for question in &self.questions {
            write!(f, " {} {}", question.qtype, question.name)?;
        }
        for answer in &self.answers {
            write!(f, " {}", answer.record)?;
        }
        Ok(())
    }
}

/// Parses a message and also returns the byte range of each question and record, in order
/// (questions, answers, authorities, additionals), for the layer inspector.
pub(super) fn parse_with_ranges(bytes: &[u8]) -> Result<(DnsMessage, Vec<Range<usize>>)> {
    let mut reader = Reader {
        message: bytes,
        position: 0,
    };
    let id = reader.u16()?;
    let flags = reader.u16()?;
    let question_count = reader.u16()?;
    let mut record_counts = [0u16; 3];
    for count in &mut record_counts {
        *count = reader.u16()?;
    }
    let mut ranges = Vec::new();
    let mut questions = Vec::new();
    for _ in 0..question_count {
        let start = reader.position;
        questions.push(DnsQuestion {
            name: reader.name()?,
            qtype: DnsType::from(reader.u16()?),
            qclass: DnsClass::from(reader.u16()?),
        });
        ranges.push(start..reader.position);
    }
    let mut sections: [Vec<DnsResourceRecord>; 3] = Default::default();
    for (section, count) in sections.iter_mut().zip(record_counts) {
        for _ in 0..count {
            let start = reader.position;
            section.push(reader.resource_record()?);
            ranges.push(start..reader.position);
        }
    }
    let [answers, authorities, additionals] = sections;
    let message = DnsMessage {
        id,
        is_response: flags & QR != 0,
        opcode: DnsOpcode::from_bits(((flags >> 11) & 0x0f) as u8),
        authoritative: flags & AA != 0,
        truncated: flags & TC != 0,
        recursion_desired: flags & RD != 0,
        recursion_available: flags & RA != 0,
        rcode: DnsRcode::from_bits((flags & 0x0f) as u8),
        questions,
        answers,
        authorities,
        additionals,
    };
    Ok((message, ranges))
}

struct Reader<'a> {
    message: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self.position.checked_add(len).ok_or(Error::Truncated)?;
        let bytes = self
            .message
            .get(self.position..end)
            .ok_or(Error::Truncated)?;
        self.position = end;
        Ok(bytes)
    }

    fn u16(&mut self) -> Result<u16> {
        let bytes = self.bytes(2)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn u32(&mut self) -> Result<u32> {
        let bytes = self.bytes(4)?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn name(&mut self) -> Result<DnsName> {
        let (name, end) = read_name(self.message, self.position)?;
        self.position = end;
        Ok(name)
    }

    fn resource_record(&mut self) -> Result<DnsResourceRecord> {
        let name = self.name()?;
        let rtype = self.u16()?;
        let class = DnsClass::from(self.u16()?);
        let ttl = self.u32()?;
        let data_len = usize::from(self.u16()?);
        let data_start = self.position;
        let data = self.bytes(data_len)?;
        let data_end = self.position;
        // A name inside record data may point anywhere earlier in the message, but must end
        // exactly where the record data ends.
        let name_filling_data = |start: usize| -> Result<DnsName> {
            match read_name(self.message, start)? {
                (name, end) if end == data_end => Ok(name),
                _ => Err(Error::Malformed),
            }
        };
        let record = match DnsType::from(rtype) {
            DnsType::A => match data {
                &[a, b, c, d] => DnsRecord::A(Ipv4Addr::new(a, b, c, d)),
                _ => return Err(Error::Malformed),
            },
            DnsType::Ns => DnsRecord::Ns(name_filling_data(data_start)?),
            DnsType::Cname => DnsRecord::Cname(name_filling_data(data_start)?),
            DnsType::Ptr => DnsRecord::Ptr(name_filling_data(data_start)?),
            DnsType::Mx => match data {
                [high, low, _, ..] => DnsRecord::Mx {
                    preference: u16::from_be_bytes([*high, *low]),
                    exchange: name_filling_data(data_start + 2)?,
                },
                _ => return Err(Error::Malformed),
            },
            DnsType::Txt => DnsRecord::Txt(character_strings(data)?),
            _ => DnsRecord::Unknown {
                rtype,
                data: data.to_vec(),
            },
        };
        Ok(DnsResourceRecord {
            name,
            class,
            ttl,
            record,
        })
    }
}

/// Reads the name starting at `start`; returns it and the position just after it (after the
/// first pointer, if it was compressed).
fn read_name(message: &[u8], start: usize) -> Result<(DnsName, usize)> {
    let mut labels = Vec::new();
    let mut wire_len = 1;
    let mut position = start;
    // Where the run of labels being read began: a pointer must go strictly before it.
    let mut run_start = start;
    let mut end_after_first_pointer = None;
    loop {
        let len_byte = *message.get(position).ok_or(Error::Truncated)?;
        match len_byte & 0xc0 {
            0x00 if len_byte == 0 => {
                let end = end_after_first_pointer.unwrap_or(position + 1);
                return Ok((DnsName { labels }, end));
            }
            0x00 => {
                let len = usize::from(len_byte);
                wire_len += 1 + len;
                if wire_len > MAX_NAME_LEN {
                    return Err(Error::Malformed);
                }
                let label = message
                    .get(position + 1..position + 1 + len)
                    .ok_or(Error::Truncated)?;
                labels.push(label.to_vec());
                position += 1 + len;
            }
            0xc0 => {
                let low = *message.get(position + 1).ok_or(Error::Truncated)?;
                let target = usize::from(u16::from_be_bytes([len_byte & 0x3f, low]));
                if target >= run_start {
                    return Err(Error::Malformed);
                }
                end_after_first_pointer.get_or_insert(position + 2);
                run_start = target;
                position = target;
            }
            // 0x40 and 0x80: extended and reserved label types (RFC 6891 §5).
            _ => return Err(Error::Malformed),
        }
    }
}

fn character_strings(mut data: &[u8]) -> Result<Vec<Vec<u8>>> {
    let mut strings = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        let len = usize::from(len);
        if rest.len() < len {
            return Err(Error::Malformed);
        }
        strings.push(rest[..len].to_vec());
        data = &rest[len..];
    }
    Ok(strings)
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
    /// Where each name suffix already written starts, for compression pointers.
    suffix_offsets: BTreeMap<Vec<Vec<u8>>, u16>,
}

impl Writer {
    /// Pointers have 14 bits: names written after this offset cannot be pointed to.
    const MAX_POINTER: usize = 0x3fff;

    fn u16(&mut self, value: u16) {
        self.bytes.extend_from_slice(&value.to_be_bytes());
    }

    fn name(&mut self, name: &DnsName) {
        for index in 0..name.labels.len() {
            let suffix = &name.labels[index..];
            if let Some(&offset) = self.suffix_offsets.get(suffix) {
                self.u16(0xc000 | offset);
                return;
            }
            if let Ok(offset) = u16::try_from(self.bytes.len()) {
                if usize::from(offset) <= Self::MAX_POINTER {
                    self.suffix_offsets.insert(suffix.to_vec(), offset);
                }
            }
            let label = &name.labels[index];
            self.bytes.push(label.len() as u8);
            self.bytes.extend_from_slice(label);
        }
        self.bytes.push(0);
    }

    fn resource_record(&mut self, record: &DnsResourceRecord) -> Result<()> {
        self.name(&record.name);
        self.u16(record.record.rtype().into());
        self.u16(record.class.into());
        self.bytes.extend_from_slice(&record.ttl.to_be_bytes());
        let length_at = self.bytes.len();
        self.u16(0);
        match &record.record {
            DnsRecord::A(addr) => self.bytes.extend_from_slice(&addr.octets()),
            DnsRecord::Ns(name) | DnsRecord::Cname(name) | DnsRecord::Ptr(name) => self.name(name),
            DnsRecord::Mx {
                preference,
                exchange,
            } => {
                self.u16(*preference);
                self.name(exchange);
            }
            DnsRecord::Txt(strings) => {
                for string in strings {
                    let len = u8::try_from(string.len()).map_err(|_| Error::Malformed)?;
                    self.bytes.push(len);
                    self.bytes.extend_from_slice(string);
                }
            }
            DnsRecord::Unknown { data, .. } => self.bytes.extend_from_slice(data),
        }
        let data_len = self.bytes.len() - length_at - 2;
        let data_len = u16::try_from(data_len).map_err(|_| Error::Malformed)?;
        self.bytes[length_at..length_at + 2].copy_from_slice(&data_len.to_be_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    fn name(text: &str) -> DnsName {
        text.parse().unwrap()
    }

    // Query id 0x1a2b, RD, one question: beta.example IN MX.
    static MX_QUERY_BYTES: [u8; 30] = [
        0x1a, 0x2b, 0x01, 0x00, // id, flags: RD
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 1 question
        4, b'b', b'e', b't', b'a', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e', 0, // name
        0x00, 0x0f, 0x00, 0x01, // MX, IN
    ];

    // The answer: QR AA RD RA; beta.example MX 10 mx1.beta.example and MX 20 mx2, TTL 3600,
    // then mx1's address as an additional record. Names after the question are compressed:
    // 0xc00c points to "beta.example" at offset 12, 0xc02c to "mx1" + that at offset 44.
    static MX_RESPONSE_BYTES: [u8; 86] = [
        0x1a, 0x2b, 0x85, 0x80, // id, flags: QR AA RD RA, NOERROR
        0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, // 1 question, 2 answers, 1 additional
        4, b'b', b'e', b't', b'a', 7, b'e', b'x', b'a', b'm', b'p', b'l', b'e',
        0, // offset 12
        0x00, 0x0f, 0x00, 0x01, // MX, IN
        0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, // beta.example MX IN (offset 30)
        0x00, 0x00, 0x0e, 0x10, 0x00, 0x08, // TTL 3600, 8 bytes of data
        0x00, 0x0a, 3, b'm', b'x', b'1', 0xc0, 0x0c, // 10 mx1.beta.example ("mx1" at 44)
        0xc0, 0x0c, 0x00, 0x0f, 0x00, 0x01, // beta.example MX IN
        0x00, 0x00, 0x0e, 0x10, 0x00, 0x08, // TTL 3600, 8 bytes of data
        0x00, 0x14, 3, b'm', b'x', b'2', 0xc0, 0x0c, // 20 mx2.beta.example
        0xc0, 0x2c, 0x00, 0x01, 0x00, 0x01, // mx1.beta.example A IN
        0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, // TTL 3600, 4 bytes of data
        192, 0, 2, 25, // 192.0.2.25
    ];

    fn mx_query() -> DnsMessage {
        DnsMessage::query(0x1a2b, name("beta.example"), DnsType::Mx)
    }

    fn mx_response() -> DnsMessage {
        let record = |owner: &str, record| DnsResourceRecord {
            name: name(owner),
            class: DnsClass::In,
            ttl: 3600,
            record,
        };
        DnsMessage {
            authoritative: true,
            recursion_available: true,
            answers: vec![
                record(
                    "beta.example",
                    DnsRecord::Mx {
                        preference: 10,
                        exchange: name("mx1.beta.example"),
                    },
                ),
                record(
                    "beta.example",
                    DnsRecord::Mx {
                        preference: 20,
                        exchange: name("mx2.beta.example"),
                    },
                ),
            ],
            additionals: vec![record(
                "mx1.beta.example",
                DnsRecord::A(Ipv4Addr::new(192, 0, 2, 25)),
            )],
            ..DnsMessage::response_to(&mx_query())
        }
    }

    #[test]
    fn test_parse_query() {
        assert_eq!(DnsMessage::parse(&MX_QUERY_BYTES), Ok(mx_query()));
    }

    #[test]
    fn test_emit_query() {
        assert_eq!(mx_query().emit().unwrap(), MX_QUERY_BYTES);
    }

    #[test]
    fn test_parse_response() {
        assert_eq!(DnsMessage::parse(&MX_RESPONSE_BYTES), Ok(mx_response()));
    }

    #[test]
    fn test_emit_response_compresses_names() {
        assert_eq!(mx_response().emit().unwrap(), MX_RESPONSE_BYTES);
    }

    #[test]
    fn test_ranges_cover_each_entry() {
        let (_, ranges) = parse_with_ranges(&MX_RESPONSE_BYTES).unwrap();
        assert_eq!(ranges, vec![12..30, 30..50, 50..70, 70..86]);
    }

    #[test]
    fn test_null_mx_round_trip() {
        let mut response = DnsMessage::response_to(&mx_query());
        response.answers.push(DnsResourceRecord {
            name: name("nomail.example"),
            class: DnsClass::In,
            ttl: 300,
            record: DnsRecord::null_mx(),
        });
        let bytes = response.emit().unwrap();
        // The null MX data on the wire: preference 0, then the root name's single zero byte.
        assert_eq!(&bytes[bytes.len() - 5..], &[0x00, 0x03, 0x00, 0x00, 0x00]);
        let parsed = DnsMessage::parse(&bytes).unwrap();
        assert!(parsed.answers[0].record.is_null_mx());
        assert_eq!(parsed.answers[0].record.to_string(), "MX 0 .");
        assert_eq!(parsed, response);
    }

    #[test]
    fn test_txt_ptr_and_unknown_round_trip() {
        let long_spf = format!("v=spf1 {}-all", "ip4:192.0.2.0/24 ".repeat(16));
        let mut response =
            DnsMessage::response_to(&DnsMessage::query(7, name("alpha.example"), DnsType::Txt));
        for (owner, record) in [
            ("alpha.example", DnsRecord::txt(&long_spf)),
            (
                "25.2.0.192.in-addr.arpa",
                DnsRecord::Ptr(name("mx1.beta.example")),
            ),
            (
                "alpha.example",
                DnsRecord::Unknown {
                    rtype: 99,
                    data: vec![1, 2, 3],
                },
            ),
            ("www.alpha.example", DnsRecord::Cname(name("alpha.example"))),
        ] {
            response.answers.push(DnsResourceRecord {
                name: name(owner),
                class: DnsClass::In,
                ttl: 60,
                record,
            });
        }
        let DnsRecord::Txt(strings) = &response.answers[0].record else {
            unreachable!()
        };
        assert_eq!(
            strings.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![255, long_spf.len() - 255]
        );
        assert_eq!(DnsMessage::parse(&response.emit().unwrap()), Ok(response));
    }

    #[test]
    fn test_display() {
        assert_eq!(
            mx_response().to_string(),
            "Standard query response 0x1a2b MX beta.example MX 10 mx1.beta.example MX 20 mx2.beta.example"
        );
        assert_eq!(
            mx_response().answers[0].to_string(),
            "beta.example 3600 IN MX 10 mx1.beta.example"
        );
        assert_eq!(
            DnsRecord::txt("v=spf1 \"x\" -all").to_string(),
            r#"TXT "v=spf1 \"x\" -all""#
        );
        assert_eq!(
            DnsRecord::Unknown {
                rtype: 99,
                data: vec![0xab, 1]
            }
            .to_string(),
            r"TYPE99 \# 2 ab01"
        );
        let odd = DnsName::from_labels(vec![b"a.b".to_vec(), vec![0]]).unwrap();
        assert_eq!(odd.to_string(), r"a\046b.\000");
    }

    #[test]
    fn test_names() {
        assert_eq!(name("mx1.beta.example."), name("mx1.beta.example"));
        assert!(name(".").is_root());
        assert!(name("MX1.Beta.example").eq_ignore_ascii_case(&name("mx1.beta.example")));
        assert_eq!("a..b".parse::<DnsName>(), Err(Error::Malformed));
        assert_eq!(
            format!("{}.example", "x".repeat(64)).parse::<DnsName>(),
            Err(Error::Malformed)
        );
        let longest = ["x".repeat(63).as_str(); 4].join(".");
        assert_eq!(
            longest.parse::<DnsName>().map(|n| n.wire_len()),
            Err(Error::Malformed)
        );
        let fits = format!(
            "{}.{}",
            ["x".repeat(63).as_str(); 3].join("."),
            "x".repeat(61)
        );
        assert_eq!(
            fits.parse::<DnsName>().map(|n| n.wire_len()),
            Ok(MAX_NAME_LEN)
        );
    }

    #[test]
    fn test_pointer_loops_are_malformed() {
        let mut header = vec![0u8; 12];
        header[5] = 1; // one question
                       // A pointer to itself.
        let mut looping = header.clone();
        looping.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1]);
        assert_eq!(DnsMessage::parse(&looping), Err(Error::Malformed));
        // A label, then a pointer back to that label.
        let mut looping = header.clone();
        looping.extend_from_slice(&[1, b'a', 0xc0, 12, 0, 1, 0, 1]);
        assert_eq!(DnsMessage::parse(&looping), Err(Error::Malformed));
        // A pointer forward.
        let mut forward = header;
        forward.extend_from_slice(&[0xc0, 14, 0, 0, 1, 0, 1]);
        assert_eq!(DnsMessage::parse(&forward), Err(Error::Malformed));
    }

    #[test]
    fn test_names_too_long_through_pointers_are_malformed() {
        // Five names, each a 63-byte label and a pointer back to the one before: every jump
        // is legal, but the name read through them all is 5 × 64 + 1 bytes, over 255.
        let pointer_to = |offset: usize| [0xc0 | (offset >> 8) as u8, offset as u8];
        let mut bytes = vec![0u8; 12];
        bytes[5] = 1;
        let mut previous_start = None;
        for _ in 0..5 {
            let start = bytes.len();
            bytes.push(63);
            bytes.extend_from_slice(&[b'x'; 63]);
            match previous_start {
                Some(previous) => bytes.extend_from_slice(&pointer_to(previous)),
                None => bytes.push(0),
            }
            previous_start = Some(start);
        }
        let question_start = bytes.len();
        bytes.extend_from_slice(&pointer_to(previous_start.unwrap()));
        bytes.extend_from_slice(&[0, 15, 0, 1]);
        assert_eq!(read_name(&bytes, question_start), Err(Error::Malformed));
        let shorter = read_name(&bytes, 12 + 65).map(|(name, _)| name.wire_len());
        assert_eq!(shorter, Ok(2 * 64 + 1));
    }

    #[test]
    fn test_truncated() {
        for len in 0..MX_RESPONSE_BYTES.len() {
            assert_eq!(
                DnsMessage::parse(&MX_RESPONSE_BYTES[..len]),
                Err(Error::Truncated),
                "{len}"
            );
        }
    }

    #[test]
    fn test_record_data_must_fit_its_length() {
        let mut bytes = MX_RESPONSE_BYTES;
        bytes[85] = 0; // unchanged length, changed address: still fine
        assert!(DnsMessage::parse(&bytes).is_ok());
        let mut bytes = MX_RESPONSE_BYTES.to_vec();
        bytes[81] = 5; // A record data of 5 bytes
        bytes.push(0);
        assert_eq!(DnsMessage::parse(&bytes), Err(Error::Malformed));
        let mut bytes = MX_RESPONSE_BYTES;
        bytes[41] = 9; // MX data longer than the exchange name
        assert!(DnsMessage::parse(&bytes).is_err());
    }

    fn arbitrary_name() -> impl Strategy<Value = DnsName> {
        proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..8), 0..4)
            .prop_map(|labels| DnsName::from_labels(labels).unwrap())
    }

    fn arbitrary_record() -> impl Strategy<Value = DnsResourceRecord> {
        let record = prop_oneof![
            any::<[u8; 4]>().prop_map(|octets| DnsRecord::A(Ipv4Addr::from(octets))),
            (any::<u16>(), arbitrary_name()).prop_map(|(preference, exchange)| DnsRecord::Mx {
                preference,
                exchange
            }),
            arbitrary_name().prop_map(DnsRecord::Ptr),
            proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..3)
                .prop_map(DnsRecord::Txt),
            proptest::collection::vec(any::<u8>(), 0..10)
                .prop_map(|data| DnsRecord::Unknown { rtype: 99, data }),
        ];
        (arbitrary_name(), any::<u32>(), record).prop_map(|(name, ttl, record)| DnsResourceRecord {
            name,
            class: DnsClass::In,
            ttl,
            record,
        })
    }

    proptest! {
        #[test]
        fn prop_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = DnsMessage::parse(&bytes);
        }

        #[test]
        fn prop_parse_never_panics_on_damaged_messages(index in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
            let mut bytes = MX_RESPONSE_BYTES.to_vec();
            let at = index.index(bytes.len());
            bytes[at] = byte;
            bytes.truncate(cut.index(bytes.len() + 1));
            let _ = DnsMessage::parse(&bytes);
        }

        #[test]
        fn prop_round_trip(id in any::<u16>(), flags in any::<[bool; 5]>(), rcode in 0u8..16,
                           question in arbitrary_name(), records in proptest::collection::vec(arbitrary_record(), 0..6)) {
            let [is_response, authoritative, truncated, recursion_desired, recursion_available] = flags;
            let mut message = DnsMessage {
                id, is_response, authoritative, truncated, recursion_desired, recursion_available,
                rcode: DnsRcode::from_bits(rcode),
                questions: vec![DnsQuestion { name: question, qtype: DnsType::Mx, qclass: DnsClass::In }],
                ..DnsMessage::default()
            };
            for (index, record) in records.into_iter().enumerate() {
                match index % 3 {
                    0 => message.answers.push(record),
                    1 => message.authorities.push(record),
                    _ => message.additionals.push(record),
                }
            }
            prop_assert_eq!(DnsMessage::parse(&message.emit().unwrap()), Ok(message));
        }
    }
}
