//! DNS over the simulated network: dns.example answers UDP port 53 from the topology's zones
//! ([`crate::net::dns::answer_bytes`]), and any host can look up a domain's mail exchangers
//! ([`crate::net::dns::MxLookup`]) with real UDP datagrams that cross ARP and the routers.

use std::fmt;
use std::net::Ipv4Addr;

use super::{Applied, CommandError, Due, World};
use crate::net::dns::{answer_bytes, record_type_of, MxLookup, MxResolution, DNS_PORT};
use crate::sim::event::EventKind;
use crate::sim::id::{FrameId, HostId};
use crate::sim::queue::EventId;
use crate::sim::time::{SimDuration, SimTime};
use crate::wire::dns::DnsMessage;
use crate::wire::ipv4::IpProtocol;
use crate::wire::udp::UdpRepr;

/// The host that serves the zones and that every host asks.
pub const DNS_SERVER_NAME: &str = "dns.example";
/// How long a host waits for a DNS response before it asks again (once), then gives up.
pub const DNS_TIMEOUT: SimDuration = SimDuration::from_secs(2);

/// One MX lookup a host made; see [`World::start_mx_lookup`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LookupId(pub u32);

impl crate::sim::id_map::DenseId for LookupId {
    fn index(self) -> usize {
        self.0 as usize
    }

    fn from_index(index: usize) -> LookupId {
        LookupId(index as u32)
    }
}

/// Compact and stable, for the canonical log text: `lookup#3`.
impl fmt::Display for LookupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lookup#{}", self.0)
    }
}

/// A lookup under way or finished.
#[derive(Clone, Debug)]
pub(super) struct LookupState {
    host: HostId,
    /// The address and port the queries leave from; answers come back to them.
    local: (Ipv4Addr, u16),
    server: Ipv4Addr,
    resolver: MxLookup,
    timer: Option<EventId>,
}

impl World {
    /// [`Command::SetMx`](super::Command::SetMx): replaces `domain`'s MX records in the
    /// zones dns.example serves, and logs the change at dns.example.
    pub(super) fn set_mx(
        &mut self,
        domain: &str,
        exchanges: &[(u16, String)],
    ) -> Result<Applied, CommandError> {
        let server = self
            .topology
            .host_id(DNS_SERVER_NAME)
            .ok_or_else(|| CommandError::NoAddress(DNS_SERVER_NAME.to_string()))?;
        let pairs: Vec<(u16, &str)> = exchanges
            .iter()
            .map(|(preference, name)| (*preference, name.as_str()))
            .collect();
        self.topology
            .zones_mut()
            .set_mx(domain, &pairs)
            .map_err(CommandError::Zone)?;
        self.record(EventKind::MxChanged {
            host: server,
            domain: domain.to_ascii_lowercase().into(),
            records: exchanges
                .iter()
                .map(|(preference, name)| format!("{preference} {name}"))
                .collect(),
        });
        Ok(Applied::Done)
    }

    /// Starts an MX lookup (RFC 5321 §5.1) of `domain` by `host`: UDP queries to dns.example,
    /// retried once after [`DNS_TIMEOUT`]. Follow it in the log (`DnsQuery`, `DnsAnswer`,
    /// `MxLookupFinished`); its outcome is [`World::mx_lookup_result`] once it is over.
    pub fn start_mx_lookup(
        &mut self,
        host: HostId,
        domain: &str,
    ) -> Result<LookupId, CommandError> {
        let Some(spec) = self.topology.host(host) else {
            return Err(CommandError::UnknownHost(host));
        };
        if !spec.up {
            return Err(CommandError::HostDown(spec.name.clone()));
        }
        let local_address = spec.primary_address();
        let server = self
            .topology
            .host_id(DNS_SERVER_NAME)
            .and_then(|id| self.topology.host(id))
            .map(|server| server.primary_address())
            .ok_or_else(|| CommandError::NoAddress(DNS_SERVER_NAME.to_string()))?;
        let port = self.stacks[host.index()].ephemeral_port();
        let resolver = MxLookup::new(domain, &mut self.rng);
        let id = self.next_lookup;
        self.next_lookup = LookupId(id.0 + 1);
        self.lookups.insert(
            id,
            LookupState {
                host,
                local: (local_address, port),
                server,
                resolver,
                timer: None,
            },
        );
        self.pump_lookup(id);
        Ok(id)
    }

    /// How an MX lookup ended; `None` while it is under way (or for an unknown id).
    pub fn mx_lookup_result(&self, lookup: LookupId) -> Option<&MxResolution> {
        self.lookups.get(&lookup)?.resolver.result()
    }

    /// A UDP datagram for `host`: a query for dns.example, or a response for a lookup.
    pub(super) fn datagram_arrives(
        &mut self,
        host: HostId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        datagram: UdpRepr,
    ) {
        if datagram.dst_port == DNS_PORT && self.is_dns_server(host) {
            self.serve_query(host, src, dst, datagram);
            return;
        }
        let Some(id) = self.lookup_bound_to(host, dst, datagram.dst_port) else {
            return;
        };
        let Ok(response) = DnsMessage::parse(&datagram.payload) else {
            return;
        };
        let Some(state) = self.lookups.get_mut(&id) else {
            return;
        };
        if datagram.src_port != DNS_PORT || src != state.server {
            return;
        }
        if state.resolver.handle_response(&response, &mut self.rng) {
            if let Some(timer) = state.timer.take() {
                self.queue.cancel(timer);
            }
            self.pump_lookup(id);
        }
    }

    /// No answer in time: the lookup asks again or gives up.
    pub(super) fn dns_timer_fires(&mut self, id: LookupId) {
        let Some(state) = self.lookups.get_mut(&id) else {
            return;
        };
        state.timer = None;
        state.resolver.handle_timeout();
        self.pump_lookup(id);
    }

    /// A host was switched off: its lookups end without an answer.
    pub(super) fn abandon_lookups(&mut self, host: HostId) {
        let ids: Vec<LookupId> = self
            .lookups
            .iter()
            .filter(|(_, state)| state.host == host && state.resolver.result().is_none())
            .map(|(id, _)| id)
            .collect();
        for id in ids {
            if let Some(state) = self.lookups.get_mut(&id) {
                if let Some(timer) = state.timer.take() {
                    self.queue.cancel(timer);
                }
                state.resolver.abandon();
            }
            self.lookup_finished(id);
        }
    }

    fn is_dns_server(&self, host: HostId) -> bool {
        self.topology.host_id(DNS_SERVER_NAME) == Some(host)
    }

    fn lookup_bound_to(&self, host: HostId, address: Ipv4Addr, port: u16) -> Option<LookupId> {
        self.lookups
            .iter()
            .find(|(_, state)| {
                state.host == host
                    && state.local == (address, port)
                    && state.resolver.result().is_none()
            })
            .map(|(id, _)| id)
    }

    /// dns.example answers a query from its zones, back to where it came from.
    fn serve_query(&mut self, host: HostId, src: Ipv4Addr, dst: Ipv4Addr, datagram: UdpRepr) {
        let Some(bytes) = answer_bytes(self.topology.zones(), &datagram.payload) else {
            return;
        };
        let reply = UdpRepr {
            src_port: DNS_PORT,
            dst_port: datagram.src_port,
            payload: bytes,
        };
        let Ok(udp) = reply.to_bytes(dst, src) else {
            return;
        };
        let announce = DnsMessage::parse(&reply.payload).ok().and_then(|response| {
            let question = response.questions.first()?;
            Some(EventKind::DnsAnswer {
                host,
                frame: FrameId(0),
                query_id: response.id,
                name: question.name.to_string().into(),
                record_type: record_type_of(question.qtype)?,
                rcode: response.rcode,
                answers: response
                    .answers
                    .iter()
                    .map(|r| r.record.to_string())
                    .collect(),
            })
        });
        self.send_ip(host, dst, src, IpProtocol::Udp, &udp, announce);
    }

    /// Sends what the lookup wants sent, arms its timer, and logs its end.
    fn pump_lookup(&mut self, id: LookupId) {
        let Some(state) = self.lookups.get_mut(&id) else {
            return;
        };
        let host = state.host;
        let ((local, port), server) = (state.local, state.server);
        if let Some(query) = state.resolver.poll_query() {
            let at = self.now.checked_add(DNS_TIMEOUT).unwrap_or(SimTime::MAX);
            let timer = self.queue.schedule(at, Due::DnsTimer { lookup: id });
            if let Some(state) = self.lookups.get_mut(&id) {
                state.timer = Some(timer);
            }
            self.send_query(host, (local, port), server, &query);
        }
        if self
            .lookups
            .get(&id)
            .is_some_and(|s| s.resolver.result().is_some())
        {
            self.lookup_finished(id);
        }
    }

    fn send_query(
        &mut self,
        host: HostId,
        local: (Ipv4Addr, u16),
        server: Ipv4Addr,
        query: &DnsMessage,
    ) {
        let Ok(payload) = query.emit() else {
            return;
        };
        let datagram = UdpRepr {
            src_port: local.1,
            dst_port: DNS_PORT,
            payload,
        };
        let Ok(udp) = datagram.to_bytes(local.0, server) else {
            return;
        };
        let announce = query.questions.first().and_then(|question| {
            Some(EventKind::DnsQuery {
                host,
                frame: FrameId(0),
                query_id: query.id,
                name: question.name.to_string().into(),
                record_type: record_type_of(question.qtype)?,
            })
        });
        self.send_ip(host, local.0, server, IpProtocol::Udp, &udp, announce);
    }

    /// Logs how the lookup ended. The place where whoever waits for the lookup (the MTA's
    /// relay) learns of it.
    fn lookup_finished(&mut self, id: LookupId) {
        let Some(state) = self.lookups.get(&id) else {
            return;
        };
        let Some(result) = state.resolver.result() else {
            return;
        };
        let kind = EventKind::MxLookupFinished {
            host: state.host,
            lookup: id,
            domain: state.resolver.domain().into(),
            outcome: result.to_string().into(),
        };
        let resolution = result.clone();
        self.record(kind);
        self.relay_lookup_finished(id, resolution);
    }
}
