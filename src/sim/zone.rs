//! The DNS data the world serves from dns.example: zones of A, MX, PTR and TXT records, and
//! the answers a lookup gets from them.
//!
//! Plain types in the vocabulary of RFC 1035 §3.2 (a resource record is a name, a TTL and
//! typed data) with MX preference from RFC 1035 §3.3.9 and reverse names under `in-addr.arpa`
//! (§3.5). The bytes on the wire are `wire::dns`'s job; this is what those bytes say. Names
//! are compared without regard to ASCII case or a trailing dot (RFC 1035 §2.3.3, §3.1).
//!
//! A name that no zone holds is NXDOMAIN, as if the resolver had asked the rest of the
//! internet and heard that the domain does not exist: the simulated world is all there is.

use std::fmt;
use std::net::Ipv4Addr;

/// The TTL every record of the teaching world carries: one hour.
pub const DEFAULT_TTL: u32 = 3600;

/// The record types the world serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordType {
    A,
    Mx,
    Ptr,
    Txt,
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordType::A => "A",
            RecordType::Mx => "MX",
            RecordType::Ptr => "PTR",
            RecordType::Txt => "TXT",
        })
    }
}

/// What a record says. Domain names are kept lower-case, without the trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecordData {
    A(Ipv4Addr),
    /// Lower preference is tried first (RFC 5321 §5.1). Exchange `""` is the root: the null
    /// MX of RFC 7505, "this domain takes no mail".
    Mx {
        preference: u16,
        exchange: String,
    },
    Ptr(String),
    Txt(String),
}

impl RecordData {
    pub fn record_type(&self) -> RecordType {
        match self {
            RecordData::A(_) => RecordType::A,
            RecordData::Mx { .. } => RecordType::Mx,
            RecordData::Ptr(_) => RecordType::Ptr,
            RecordData::Txt(_) => RecordType::Txt,
        }
    }
}

/// In zone-file form: `MX 10 mx1.beta.example.`, `TXT "v=spf1 -all"`.
impl fmt::Display for RecordData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordData::A(address) => write!(f, "A {address}"),
            RecordData::Mx {
                preference,
                exchange,
            } => write!(f, "MX {preference} {exchange}."),
            RecordData::Ptr(name) => write!(f, "PTR {name}."),
            RecordData::Txt(text) => write!(f, "TXT {text:?}"),
        }
    }
}

/// One resource record: who it is about, how long it may be cached, what it says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceRecord {
    pub name: String,
    pub ttl: u32,
    pub data: RecordData,
}

impl ResourceRecord {
    /// A record with the world's [`DEFAULT_TTL`]; names are normalised.
    pub fn new(name: &str, data: RecordData) -> ResourceRecord {
        let data = match data {
            RecordData::Mx {
                preference,
                exchange,
            } => RecordData::Mx {
                preference,
                exchange: normalize(&exchange),
            },
            RecordData::Ptr(target) => RecordData::Ptr(normalize(&target)),
            other => other,
        };
        ResourceRecord {
            name: normalize(name),
            ttl: DEFAULT_TTL,
            data,
        }
    }
}

/// As a zone-file line: `beta.example. 3600 IN MX 10 mx1.beta.example.`
impl fmt::Display for ResourceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}. {} IN {}", self.name, self.ttl, self.data)
    }
}

/// Why a lookup found nothing; the two answers RFC 2308 tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupError {
    /// No such name (RCODE 3, NXDOMAIN).
    NoSuchName,
    /// The name exists but has no record of the type asked for (NODATA): for MX, the cue for
    /// the implicit MX of RFC 5321 §5.1.
    NoRecordOfThatType,
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LookupError::NoSuchName => "no such domain name (NXDOMAIN)",
            LookupError::NoRecordOfThatType => "the name has no record of that type (NODATA)",
        })
    }
}

/// Why a record could not be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoneError {
    /// The name belongs to none of the world's zones.
    OutsideEveryZone { name: String },
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZoneError::OutsideEveryZone { name } => {
                write!(f, "{name} is in none of the zones dns.example serves")
            }
        }
    }
}

/// One zone: the records under an origin (`beta.example`), in the order they were added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    pub origin: String,
    pub records: Vec<ResourceRecord>,
}

impl Zone {
    fn holds(&self, name: &str) -> bool {
        name == self.origin
            || name
                .strip_suffix(self.origin.as_str())
                .is_some_and(|label| label.ends_with('.'))
    }
}

/// As a zone file: `$ORIGIN` and one record a line.
impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "$ORIGIN {}.", self.origin)?;
        for record in &self.records {
            writeln!(f, "{record}")?;
        }
        Ok(())
    }
}

/// Every zone the world's DNS server answers for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Zones {
    zones: Vec<Zone>,
}

impl Zones {
    pub fn new() -> Zones {
        Zones::default()
    }

    /// Starts serving an empty zone (nothing changes if it is served already).
    pub fn add_zone(&mut self, origin: &str) {
        let origin = normalize(origin);
        if !self.zones.iter().any(|zone| zone.origin == origin) {
            self.zones.push(Zone {
                origin,
                records: Vec::new(),
            });
        }
    }

    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// The zone with the longest origin that holds `name` (so `alpha.example` wins over
    /// `example` for `mail.alpha.example`).
    fn zone_index_of(&self, name: &str) -> Option<usize> {
        self.zones
            .iter()
            .enumerate()
            .filter(|(_, zone)| zone.holds(name))
            .max_by_key(|(_, zone)| zone.origin.len())
            .map(|(index, _)| index)
    }

    /// Adds a record to the zone its name belongs to.
    pub fn add_record(&mut self, record: ResourceRecord) -> Result<(), ZoneError> {
        let Some(index) = self.zone_index_of(&record.name) else {
            return Err(ZoneError::OutsideEveryZone { name: record.name });
        };
        self.zones[index].records.push(record);
        Ok(())
    }

    /// Removes every record of `record_type` at `name`; returns how many went.
    pub fn remove_records(&mut self, name: &str, record_type: RecordType) -> usize {
        let name = normalize(name);
        let Some(index) = self.zone_index_of(&name) else {
            return 0;
        };
        let records = &mut self.zones[index].records;
        let before = records.len();
        records.retain(|record| record.name != name || record.data.record_type() != record_type);
        before - records.len()
    }

    /// Replaces `domain`'s MX records with `exchanges` as (preference, host) pairs. An empty
    /// list leaves the domain without MX, so mail falls back to its A record (RFC 5321 §5.1);
    /// `[(0, ".")]` is a null MX (RFC 7505).
    pub fn set_mx(&mut self, domain: &str, exchanges: &[(u16, &str)]) -> Result<(), ZoneError> {
        let domain = normalize(domain);
        if self.zone_index_of(&domain).is_none() {
            return Err(ZoneError::OutsideEveryZone { name: domain });
        }
        self.remove_records(&domain, RecordType::Mx);
        for &(preference, exchange) in exchanges {
            let data = RecordData::Mx {
                preference,
                exchange: exchange.to_string(),
            };
            self.add_record(ResourceRecord::new(&domain, data))?;
        }
        Ok(())
    }

    /// The records of `record_type` at `name`, in zone order (an MTA sorts MX by preference
    /// itself, shuffling ties with the world's RNG).
    pub fn lookup(
        &self,
        name: &str,
        record_type: RecordType,
    ) -> Result<Vec<&ResourceRecord>, LookupError> {
        let name = normalize(name);
        let index = self.zone_index_of(&name).ok_or(LookupError::NoSuchName)?;
        let at_name: Vec<&ResourceRecord> = self.zones[index]
            .records
            .iter()
            .filter(|record| record.name == name)
            .collect();
        if at_name.is_empty() {
            return Err(LookupError::NoSuchName);
        }
        let answers: Vec<&ResourceRecord> = at_name
            .into_iter()
            .filter(|record| record.data.record_type() == record_type)
            .collect();
        if answers.is_empty() {
            return Err(LookupError::NoRecordOfThatType);
        }
        Ok(answers)
    }

    /// The IPv4 addresses of `name` (its A records).
    pub fn addresses_of(&self, name: &str) -> Result<Vec<Ipv4Addr>, LookupError> {
        let records = self.lookup(name, RecordType::A)?;
        Ok(records
            .iter()
            .filter_map(|record| match record.data {
                RecordData::A(address) => Some(address),
                _ => None,
            })
            .collect())
    }

    /// The name a reverse lookup of `address` gives (its PTR record).
    pub fn name_of(&self, address: Ipv4Addr) -> Result<String, LookupError> {
        let records = self.lookup(&reverse_name(address), RecordType::Ptr)?;
        records
            .iter()
            .find_map(|record| match &record.data {
                RecordData::Ptr(name) => Some(name.clone()),
                _ => None,
            })
            .ok_or(LookupError::NoRecordOfThatType)
    }
}

/// Every zone as a zone file, one after another.
impl fmt::Display for Zones {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for zone in &self.zones {
            write!(f, "{zone}")?;
        }
        Ok(())
    }
}

/// The `in-addr.arpa` name a PTR lookup asks for: `25.2.0.192.in-addr.arpa` (RFC 1035 §3.5).
pub fn reverse_name(address: Ipv4Addr) -> String {
    let [a, b, c, d] = address.octets();
    format!("{d}.{c}.{b}.{a}.in-addr.arpa")
}

/// The `in-addr.arpa` zone of a /24 network: `2.0.192.in-addr.arpa` for 192.0.2.0/24.
pub fn reverse_zone_of_slash_24(network: Ipv4Addr) -> String {
    let [a, b, c, _] = network.octets();
    format!("{c}.{b}.{a}.in-addr.arpa")
}

/// Lower-case, without the trailing dot: how the world stores and compares names.
pub fn normalize(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beta() -> Zones {
        let mut zones = Zones::new();
        zones.add_zone("example");
        zones.add_zone("beta.example.");
        zones.add_zone("100.51.198.in-addr.arpa");
        let records = [
            ResourceRecord::new("beta.example", mx(10, "mx1.beta.example")),
            ResourceRecord::new("beta.example", mx(20, "MX2.beta.example.")),
            ResourceRecord::new(
                "mx1.beta.example",
                RecordData::A(Ipv4Addr::new(198, 51, 100, 25)),
            ),
            ResourceRecord::new("relay.example", RecordData::Txt("hello".into())),
            ResourceRecord::new(
                "25.100.51.198.in-addr.arpa",
                RecordData::Ptr("mx1.beta.example".into()),
            ),
        ];
        for record in records {
            zones.add_record(record).unwrap();
        }
        zones
    }

    fn mx(preference: u16, exchange: &str) -> RecordData {
        RecordData::Mx {
            preference,
            exchange: exchange.into(),
        }
    }

    fn datas(records: Vec<&ResourceRecord>) -> Vec<RecordData> {
        records.into_iter().map(|r| r.data.clone()).collect()
    }

    #[test]
    fn mx_answers_keep_zone_order_and_normalised_names() {
        let zones = beta();
        let answers = zones.lookup("beta.example", RecordType::Mx).unwrap();
        assert_eq!(
            datas(answers),
            [mx(10, "mx1.beta.example"), mx(20, "mx2.beta.example")]
        );
    }

    #[test]
    fn names_match_without_case_or_trailing_dot() {
        let zones = beta();
        assert_eq!(
            zones.addresses_of("MX1.Beta.Example."),
            Ok(vec![Ipv4Addr::new(198, 51, 100, 25)])
        );
    }

    #[test]
    fn missing_names_and_missing_types_are_told_apart() {
        let zones = beta();
        assert_eq!(
            zones.lookup("mx9.beta.example", RecordType::A),
            Err(LookupError::NoSuchName)
        );
        assert_eq!(
            zones.lookup("mx1.beta.example", RecordType::Mx),
            Err(LookupError::NoRecordOfThatType)
        );
        assert_eq!(
            zones.lookup("gmail.com", RecordType::Mx),
            Err(LookupError::NoSuchName)
        );
    }

    #[test]
    fn the_most_specific_zone_holds_a_name() {
        let zones = beta();
        let beta_zone = &zones.zones()[1];
        assert_eq!(beta_zone.origin, "beta.example");
        assert_eq!(beta_zone.records.len(), 3);
        assert_eq!(zones.zones()[0].records.len(), 1, "only relay.example");
    }

    #[test]
    fn a_zone_does_not_hold_names_that_merely_end_like_it() {
        let mut zones = beta();
        let outside = ResourceRecord::new("alphabeta.example", RecordData::Txt("x".into()));
        zones.add_record(outside).unwrap();
        assert_eq!(zones.zones()[0].records.len(), 2, "went to `example`");
        let nowhere = ResourceRecord::new("example.org", RecordData::Txt("x".into()));
        assert_eq!(
            zones.add_record(nowhere),
            Err(ZoneError::OutsideEveryZone {
                name: "example.org".into()
            })
        );
    }

    #[test]
    fn set_mx_replaces_only_the_mx_records() {
        let mut zones = beta();
        zones
            .set_mx("beta.example", &[(5, "relay.example")])
            .unwrap();
        let answers = zones.lookup("beta.example", RecordType::Mx).unwrap();
        assert_eq!(datas(answers), [mx(5, "relay.example")]);
        assert!(zones.addresses_of("mx1.beta.example").is_ok());
    }

    #[test]
    fn an_empty_mx_list_leaves_the_name_without_mx() {
        let mut zones = beta();
        zones.set_mx("beta.example", &[]).unwrap();
        assert_eq!(
            zones.lookup("beta.example", RecordType::Mx),
            Err(LookupError::NoSuchName),
            "beta.example had only MX records"
        );
        assert!(zones
            .set_mx("example.org", &[(10, "mx.example.org")])
            .is_err());
    }

    #[test]
    fn a_null_mx_points_at_the_root() {
        let mut zones = beta();
        zones.set_mx("beta.example", &[(0, ".")]).unwrap();
        let answers = zones.lookup("beta.example", RecordType::Mx).unwrap();
        assert_eq!(answers[0].to_string(), "beta.example. 3600 IN MX 0 .");
        assert_eq!(datas(answers), [mx(0, "")]);
    }

    #[test]
    fn remove_records_counts_what_went() {
        let mut zones = beta();
        assert_eq!(zones.remove_records("beta.example", RecordType::Mx), 2);
        assert_eq!(zones.remove_records("beta.example", RecordType::Mx), 0);
        assert_eq!(zones.remove_records("example.org", RecordType::A), 0);
    }

    #[test]
    fn reverse_lookups_use_in_addr_arpa() {
        let mx1 = Ipv4Addr::new(198, 51, 100, 25);
        assert_eq!(reverse_name(mx1), "25.100.51.198.in-addr.arpa");
        assert_eq!(reverse_zone_of_slash_24(mx1), "100.51.198.in-addr.arpa");
        let zones = beta();
        assert_eq!(zones.name_of(mx1), Ok("mx1.beta.example".into()));
        assert_eq!(
            zones.name_of(Ipv4Addr::new(198, 51, 100, 99)),
            Err(LookupError::NoSuchName)
        );
    }

    #[test]
    fn zones_print_as_zone_files() {
        let mut zones = Zones::new();
        zones.add_zone("alpha.example");
        zones.add_zone("alpha.example");
        let spf = RecordData::Txt("v=spf1 ip4:192.0.2.25 -all".into());
        zones
            .add_record(ResourceRecord::new("alpha.example", spf))
            .unwrap();
        assert_eq!(
            zones.to_string(),
            "$ORIGIN alpha.example.\nalpha.example. 3600 IN TXT \"v=spf1 ip4:192.0.2.25 -all\"\n"
        );
    }

    #[test]
    fn failures_read_in_dns_terms() {
        assert_eq!(
            LookupError::NoSuchName.to_string(),
            "no such domain name (NXDOMAIN)"
        );
        assert_eq!(
            LookupError::NoRecordOfThatType.to_string(),
            "the name has no record of that type (NODATA)"
        );
        let outside = ZoneError::OutsideEveryZone {
            name: "example.org".into(),
        };
        assert_eq!(
            outside.to_string(),
            "example.org is in none of the zones dns.example serves"
        );
    }
}
