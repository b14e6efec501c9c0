//! DNS for the simulated hosts, sans-IO: the authoritative server that dns.example runs over
//! its zones (RFC 1035 §4.3.2: AA set, NXDOMAIN for a name that does not exist, NOERROR with
//! an empty answer for a name without records of the asked type), and the mail exchanger
//! lookup an MTA does before it relays (RFC 5321 §5.1, RFC 7505 for the null MX).
//!
//! Neither part reads a clock or owns randomness: the World sends the bytes, keeps the
//! timers, and lends its [`SimRng`] for query ids and for shuffling MX ties.
//!
//! [`MxLookup`] in order: [`MxLookup::new`] makes the MX query; [`MxLookup::poll_query`]
//! hands out the query to send (again after a timeout); [`MxLookup::handle_response`] takes
//! what came back and may make an A query for an exchange without glue;
//! [`MxLookup::handle_timeout`] asks once more, then gives up with
//! [`MxResolution::Temporary`]; [`MxLookup::result`] is the outcome once there is one.

use std::fmt;
use std::net::Ipv4Addr;

use crate::sim::rng::SimRng;
use crate::sim::zone::{normalize, LookupError, RecordData, RecordType, ResourceRecord, Zones};
use crate::wire::dns::{
    DnsClass, DnsMessage, DnsName, DnsOpcode, DnsQuestion, DnsRcode, DnsRecord, DnsResourceRecord,
    DnsType, HEADER_LEN,
};

/// The port a DNS server listens on (RFC 1035 §4.2.1).
pub const DNS_PORT: u16 = 53;

/// How many times a query is sent before the lookup gives up: the first try and one retry.
pub const QUERY_ATTEMPTS: u8 = 2;

// ---- the server ----

/// The response an authoritative server for `zones` gives to `query`. A message that is
/// itself a response gets `None` (never answer an answer); anything else gets a response.
pub fn answer(zones: &Zones, query: &DnsMessage) -> Option<DnsMessage> {
    if query.is_response {
        return None;
    }
    let mut response = DnsMessage::response_to(query);
    response.authoritative = true;
    if query.opcode != DnsOpcode::Query {
        response.rcode = DnsRcode::NotImplemented;
        return Some(response);
    }
    let [question] = query.questions.as_slice() else {
        response.rcode = DnsRcode::FormatError;
        return Some(response);
    };
    if question.qclass != DnsClass::In {
        response.rcode = DnsRcode::Refused;
        return Some(response);
    }
    let name = question.name.to_string();
    let found = match record_type_of(question.qtype) {
        Some(record_type) => zones.lookup(&name, record_type),
        // A type the zones never hold: the name's existence still decides NXDOMAIN.
        None => zones
            .lookup(&name, RecordType::A)
            .and(Err(LookupError::NoRecordOfThatType)),
    };
    match found {
        Ok(records) => {
            response.answers = records
                .into_iter()
                .filter_map(|r| resource_record(&question.name, r))
                .collect();
            response.additionals = glue_for(zones, &response.answers);
        }
        Err(LookupError::NoSuchName) => response.rcode = DnsRcode::NameError,
        Err(LookupError::NoRecordOfThatType) => {}
    }
    Some(response)
}

/// [`answer`] on bytes: a query that cannot be read gets FORMERR when at least its header
/// (and so its id) is there, and nothing otherwise. Never panics, whatever the bytes.
pub fn answer_bytes(zones: &Zones, bytes: &[u8]) -> Option<Vec<u8>> {
    let response = match DnsMessage::parse(bytes) {
        Ok(query) => answer(zones, &query)?,
        Err(_) => {
            if bytes.len() < HEADER_LEN || bytes[2] & 0x80 != 0 {
                return None;
            }
            DnsMessage {
                id: u16::from_be_bytes([bytes[0], bytes[1]]),
                is_response: true,
                authoritative: true,
                rcode: DnsRcode::FormatError,
                ..DnsMessage::default()
            }
        }
    };
    response.emit().ok()
}

/// The zone's type for a wire type the zones can hold.
pub fn record_type_of(qtype: DnsType) -> Option<RecordType> {
    match qtype {
        DnsType::A => Some(RecordType::A),
        DnsType::Mx => Some(RecordType::Mx),
        DnsType::Ptr => Some(RecordType::Ptr),
        DnsType::Txt => Some(RecordType::Txt),
        _ => None,
    }
}

/// The wire type of a zone type.
pub fn dns_type_of(record_type: RecordType) -> DnsType {
    match record_type {
        RecordType::A => DnsType::A,
        RecordType::Mx => DnsType::Mx,
        RecordType::Ptr => DnsType::Ptr,
        RecordType::Txt => DnsType::Txt,
    }
}

/// A zone record as a wire record owned by `owner` (the name as the query spelt it).
fn resource_record(owner: &DnsName, record: &ResourceRecord) -> Option<DnsResourceRecord> {
    let data = match &record.data {
        RecordData::A(address) => DnsRecord::A(*address),
        RecordData::Mx {
            preference,
            exchange,
        } => DnsRecord::Mx {
            preference: *preference,
            exchange: exchange.parse().ok()?,
        },
        RecordData::Ptr(target) => DnsRecord::Ptr(target.parse().ok()?),
        RecordData::Txt(text) => DnsRecord::txt(text),
    };
    Some(DnsResourceRecord {
        name: owner.clone(),
        class: DnsClass::In,
        ttl: record.ttl,
        record: data,
    })
}

/// The A records of every exchange in `answers` that the zones know: the additional section
/// that spares the client a second query (RFC 1035 §3.3.9).
fn glue_for(zones: &Zones, answers: &[DnsResourceRecord]) -> Vec<DnsResourceRecord> {
    let mut glue = Vec::new();
    for record in answers {
        let DnsRecord::Mx { exchange, .. } = &record.record else {
            continue;
        };
        if exchange.is_root() {
            continue;
        }
        let Ok(addresses) = zones.lookup(&exchange.to_string(), RecordType::A) else {
            continue;
        };
        glue.extend(
            addresses
                .into_iter()
                .filter_map(|a| resource_record(exchange, a)),
        );
    }
    glue
}

// ---- the MX lookup ----

/// One mail exchanger, in the order to try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MxExchange {
    pub preference: u16,
    /// Lower case, without the final dot: `mx1.beta.example`.
    pub name: String,
    /// `None` when the exchange has no A record: skip it.
    pub address: Option<Ipv4Addr>,
}

impl fmt::Display for MxExchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.preference)?;
        match self.address {
            Some(address) => write!(f, " {address}"),
            None => f.write_str(" no address"),
        }
    }
}

/// Where mail for a domain goes (RFC 5321 §5.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MxResolution {
    /// Try these in order: lowest preference first, ties in a random order. A domain without
    /// MX records but with an address is its own exchange at preference 0 (implicit MX).
    Exchanges(Vec<MxExchange>),
    /// The domain publishes `MX 0 .` (RFC 7505), or only MX records that name the root: it
    /// accepts no mail; bounce with `556 5.1.10`.
    NullMx,
    /// NXDOMAIN: the domain does not exist; a permanent failure.
    NoSuchDomain,
    /// No usable answer (server down, timeout, SERVFAIL): try again later.
    Temporary,
}

impl fmt::Display for MxResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MxResolution::Exchanges(exchanges) => {
                let list: Vec<String> = exchanges.iter().map(ToString::to_string).collect();
                f.write_str(&list.join(", "))
            }
            MxResolution::NullMx => f.write_str("null MX: the domain accepts no mail"),
            MxResolution::NoSuchDomain => f.write_str("no such domain (NXDOMAIN)"),
            MxResolution::Temporary => f.write_str("no answer from DNS: retry later"),
        }
    }
}

/// Sorts by preference; equal preferences are shuffled with `rng` so that load spreads over
/// them (RFC 5321 §5.1), the same way for the same seed.
pub fn order_by_preference(exchanges: &mut [MxExchange], rng: &mut SimRng) {
    exchanges.sort_by_key(|e| e.preference);
    let mut start = 0;
    while start < exchanges.len() {
        let preference = exchanges[start].preference;
        let end = exchanges[start..]
            .iter()
            .position(|e| e.preference != preference)
            .map_or(exchanges.len(), |offset| start + offset);
        rng.shuffle(&mut exchanges[start..end]);
        start = end;
    }
}

/// What the lookup waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    /// The MX records of the domain.
    Mx,
    /// The address of the exchange at this index.
    Address(usize),
    Finished(MxResolution),
}

/// The MX lookup of one domain as a state machine; see the module doc for the calls.
#[derive(Clone, Debug)]
pub struct MxLookup {
    domain: String,
    step: Step,
    exchanges: Vec<MxExchange>,
    /// The query in flight.
    query: DnsMessage,
    /// Times the current query was handed out.
    sent: u8,
    /// Whether the current query waits to be handed out.
    to_send: bool,
}

impl MxLookup {
    /// Starts the lookup of `domain`'s mail exchangers. A name that is not a valid domain
    /// name finishes at once as [`MxResolution::NoSuchDomain`].
    pub fn new(domain: &str, rng: &mut SimRng) -> MxLookup {
        let domain = normalize(domain);
        let mut lookup = MxLookup {
            domain: domain.clone(),
            step: Step::Mx,
            exchanges: Vec::new(),
            query: DnsMessage::default(),
            sent: 0,
            to_send: false,
        };
        match domain.parse::<DnsName>() {
            Ok(name) if !name.is_root() => lookup.ask(name, DnsType::Mx, rng),
            _ => lookup.step = Step::Finished(MxResolution::NoSuchDomain),
        }
        lookup
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The outcome, once the lookup is over.
    pub fn result(&self) -> Option<&MxResolution> {
        match &self.step {
            Step::Finished(resolution) => Some(resolution),
            _ => None,
        }
    }

    /// The query to send now, once per attempt.
    #[must_use]
    pub fn poll_query(&mut self) -> Option<DnsMessage> {
        if !self.to_send || self.result().is_some() {
            return None;
        }
        self.to_send = false;
        self.sent += 1;
        Some(self.query.clone())
    }

    /// No response came in time: ask again, or give up after [`QUERY_ATTEMPTS`].
    pub fn handle_timeout(&mut self) {
        if self.result().is_some() {
            return;
        }
        if self.sent >= QUERY_ATTEMPTS {
            self.finish(MxResolution::Temporary);
        } else {
            self.to_send = true;
        }
    }

    /// The asker went away (its host was switched off): the lookup ends without an answer.
    pub fn abandon(&mut self) {
        if self.result().is_none() {
            self.finish(MxResolution::Temporary);
        }
    }

    /// A response arrived. `false` (and nothing changes) when it does not answer the query
    /// in flight: another id or another question.
    pub fn handle_response(&mut self, response: &DnsMessage, rng: &mut SimRng) -> bool {
        if self.result().is_some()
            || !response.is_response
            || response.id != self.query.id
            || !same_questions(&response.questions, &self.query.questions)
        {
            return false;
        }
        match self.step {
            Step::Mx => self.mx_answered(response, rng),
            Step::Address(index) => {
                if response.rcode == DnsRcode::ServerFailure {
                    self.finish(MxResolution::Temporary);
                } else {
                    self.exchanges[index].address = first_address(response);
                    self.next_address(index + 1, rng);
                }
            }
            Step::Finished(_) => {}
        }
        true
    }

    fn mx_answered(&mut self, response: &DnsMessage, rng: &mut SimRng) {
        match response.rcode {
            DnsRcode::NoError => {}
            DnsRcode::NameError => return self.finish(MxResolution::NoSuchDomain),
            _ => return self.finish(MxResolution::Temporary),
        }
        let records: Vec<(u16, &DnsName)> = response
            .answers
            .iter()
            .filter_map(|r| match &r.record {
                DnsRecord::Mx {
                    preference,
                    exchange,
                } => Some((*preference, exchange)),
                _ => None,
            })
            .collect();
        // RFC 7505 §3: a null MX is the only MX of its domain; one beside others is ignored.
        // Records that all name the root leave no host to take the domain's mail either, and
        // its own address must not stand in: only a domain without MX records has an implicit
        // MX (RFC 5321 §5.1).
        if !records.is_empty() && records.iter().all(|(_, exchange)| exchange.is_root()) {
            return self.finish(MxResolution::NullMx);
        }
        self.exchanges = records
            .into_iter()
            .filter(|(_, exchange)| !exchange.is_root())
            .map(|(preference, exchange)| MxExchange {
                preference,
                name: normalize(&exchange.to_string()),
                address: glue(response, exchange),
            })
            .collect();
        if self.exchanges.is_empty() {
            // No MX: the domain itself, if it has an address (RFC 5321 §5.1 implicit MX).
            self.exchanges.push(MxExchange {
                preference: 0,
                name: self.domain.clone(),
                address: None,
            });
        }
        order_by_preference(&mut self.exchanges, rng);
        self.next_address(0, rng);
    }

    /// Asks for the address of the first exchange from `index` on that has no glue.
    fn next_address(&mut self, index: usize, rng: &mut SimRng) {
        let missing = (index..self.exchanges.len()).find(|&i| self.exchanges[i].address.is_none());
        let Some(index) = missing else {
            return self.finish_with_exchanges();
        };
        match self.exchanges[index].name.parse::<DnsName>() {
            Ok(name) => {
                self.step = Step::Address(index);
                self.ask(name, DnsType::A, rng);
            }
            Err(_) => self.next_address(index + 1, rng),
        }
    }

    fn finish_with_exchanges(&mut self) {
        let implicit_without_address = matches!(
            self.exchanges.as_slice(),
            [only] if only.name == self.domain && only.preference == 0 && only.address.is_none()
        );
        if implicit_without_address {
            // Neither MX nor A: nowhere to deliver to.
            self.finish(MxResolution::NoSuchDomain);
        } else {
            let exchanges = std::mem::take(&mut self.exchanges);
            self.finish(MxResolution::Exchanges(exchanges));
        }
    }

    fn ask(&mut self, name: DnsName, qtype: DnsType, rng: &mut SimRng) {
        let id = rng.next_u32() as u16;
        self.query = DnsMessage::query(id, name, qtype);
        self.sent = 0;
        self.to_send = true;
    }

    fn finish(&mut self, resolution: MxResolution) {
        self.step = Step::Finished(resolution);
        self.to_send = false;
    }
}

fn same_questions(a: &[DnsQuestion], b: &[DnsQuestion]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.qtype == y.qtype && x.qclass == y.qclass && x.name.eq_ignore_ascii_case(&y.name)
        })
}

/// The first A record for `exchange` in the additional section.
fn glue(response: &DnsMessage, exchange: &DnsName) -> Option<Ipv4Addr> {
    response.additionals.iter().find_map(|r| match r.record {
        DnsRecord::A(address) if r.name.eq_ignore_ascii_case(exchange) => Some(address),
        _ => None,
    })
}

fn first_address(response: &DnsMessage) -> Option<Ipv4Addr> {
    if response.rcode != DnsRcode::NoError {
        return None;
    }
    response.answers.iter().find_map(|r| match r.record {
        DnsRecord::A(address) => Some(address),
        _ => None,
    })
}

/// Runs a whole lookup against `zones` directly, without a network: what the answer over
/// the wire would give. For tests and for explaining a routing decision.
pub fn resolve_mx(zones: &Zones, domain: &str, rng: &mut SimRng) -> MxResolution {
    let mut lookup = MxLookup::new(domain, rng);
    // Each round answers one query; a lookup asks at most one per exchange plus the MX query.
    for _ in 0..=u16::MAX {
        let Some(query) = lookup.poll_query() else {
            break;
        };
        match answer(zones, &query) {
            Some(response) => {
                lookup.handle_response(&response, rng);
            }
            None => lookup.handle_timeout(),
        }
    }
    lookup.result().cloned().unwrap_or(MxResolution::Temporary)
}

#[cfg(test)]
mod tests;
