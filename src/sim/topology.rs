//! The network as a description scenarios can change: hosts with their interfaces and
//! routes, the links between them, the DNS zones dns.example serves, and which mailboxes are
//! full. The World runs on it; it holds no time and no traffic.
//!
//! - An interface has a MAC address (`wire::ethernet::MacAddress`; locally administered, made
//!   from the host and interface numbers by [`interface_mac`], so the same in every run) and
//!   an IPv4 address with a prefix.
//! - A link is one Ethernet segment with a subnet: a point-to-point cable between two
//!   routers, or a LAN that every host of the subnet plugs into (as if through a switch the
//!   map does not draw). Frames on it share its latency, bandwidth and loss rate.
//! - Routing is static, the way a small site configures it: each host has its connected
//!   networks plus static routes; the longest matching prefix wins (RFC 1812 §5.2.4.3).
//!   Routers forward, other hosts do not (RFC 1122 §3.3.4 calls them non-forwarding hosts).
//!
//! Hosts and links are never removed, only taken down, so their ids stay valid for the
//! whole of a run and for every event in the log.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use super::default_world::{self, HostRole};
use super::id::{HostId, LinkId};
use super::rng::Probability;
use super::time::SimDuration;
use super::zone::Zones;
use crate::wire::ethernet::MacAddress;

/// The TTL a host gives the packets it sends, and so the most hops a path may take.
pub const DEFAULT_TTL: u8 = 64;

/// The world's MAC for interface `index` of `host`: `02:00:HH:HH:HH:II`, the host number
/// plus one in the middle bytes. The first byte `02` sets the locally administered bit and
/// clears the group bit (IEEE 802), so these never collide with a vendor's addresses, and a
/// learner can read host and interface off the address.
pub fn interface_mac(host: HostId, index: usize) -> MacAddress {
    let [_, high, middle, low] = (host.0 + 1).to_be_bytes();
    MacAddress([0x02, 0x00, high, middle, low, index as u8])
}

/// An IPv4 address with the length of its network prefix: `192.0.2.10/24` (RFC 4632).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Cidr {
    address: Ipv4Addr,
    prefix_len: u8,
}

impl Ipv4Cidr {
    /// `None` if `prefix_len` is over 32.
    pub fn new(address: Ipv4Addr, prefix_len: u8) -> Option<Ipv4Cidr> {
        (prefix_len <= 32).then_some(Ipv4Cidr {
            address,
            prefix_len,
        })
    }

    pub fn address(self) -> Ipv4Addr {
        self.address
    }

    pub fn prefix_len(self) -> u8 {
        self.prefix_len
    }

    /// The subnet mask: `255.255.255.0` for /24.
    pub fn netmask(self) -> Ipv4Addr {
        let bits = u32::MAX
            .checked_shl(32 - u32::from(self.prefix_len))
            .unwrap_or(0);
        Ipv4Addr::from(bits)
    }

    /// The network this address is in, with its host bits cleared: `192.0.2.0/24`.
    pub fn network(self) -> Ipv4Cidr {
        let masked = u32::from(self.address) & u32::from(self.netmask());
        Ipv4Cidr {
            address: Ipv4Addr::from(masked),
            prefix_len: self.prefix_len,
        }
    }

    /// Whether `address` is in this network.
    pub fn contains(self, address: Ipv4Addr) -> bool {
        let mask = u32::from(self.netmask());
        u32::from(address) & mask == u32::from(self.address) & mask
    }

    /// Whether this is the network's own address or its broadcast address, which no host
    /// may take (RFC 1122 §3.2.1.3). /31 and /32 have no such addresses (RFC 3021).
    pub fn is_network_or_broadcast(self) -> bool {
        if self.prefix_len >= 31 {
            return false;
        }
        let host_bits = !u32::from(self.netmask()) & u32::from(self.address);
        host_bits == 0 || host_bits == !u32::from(self.netmask())
    }
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix_len)
    }
}

/// Why text is not an `address/prefix`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv4CidrParseError {
    pub text: String,
}

impl fmt::Display for Ipv4CidrParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an address with a prefix; expected ADDRESS/PREFIX, e.g. 192.0.2.10/24",
            self.text
        )
    }
}

impl FromStr for Ipv4Cidr {
    type Err = Ipv4CidrParseError;

    fn from_str(text: &str) -> Result<Ipv4Cidr, Ipv4CidrParseError> {
        let error = || Ipv4CidrParseError {
            text: text.to_string(),
        };
        let (address, prefix_len) = text.split_once('/').ok_or_else(error)?;
        let address = address.parse().map_err(|_| error())?;
        let prefix_len = prefix_len.parse().map_err(|_| error())?;
        Ipv4Cidr::new(address, prefix_len).ok_or_else(error)
    }
}

/// One network interface of one host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InterfaceId {
    pub host: HostId,
    pub index: usize,
}

/// `host#2/eth1`.
impl fmt::Display for InterfaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/eth{}", self.host, self.index)
    }
}

/// A network interface: where a host meets a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// `eth0`, `eth1`, … in the order the host's interfaces were given.
    pub name: String,
    pub mac: MacAddress,
    pub address: Ipv4Cidr,
    pub link: LinkId,
}

/// "To reach `destination`, send to `gateway`": one line of a routing table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaticRoute {
    pub destination: Ipv4Cidr,
    pub gateway: Ipv4Addr,
}

impl StaticRoute {
    /// `0.0.0.0/0 via gateway`: everything not on a connected network.
    pub fn default_via(gateway: Ipv4Addr) -> StaticRoute {
        StaticRoute {
            destination: Ipv4Cidr {
                address: Ipv4Addr::UNSPECIFIED,
                prefix_len: 0,
            },
            gateway,
        }
    }
}

/// As `ip route` prints it: `default via 192.0.2.1`, `198.51.100.0/24 via 10.0.23.2`.
impl fmt::Display for StaticRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.destination.prefix_len == 0 {
            write!(f, "default via {}", self.gateway)
        } else {
            write!(f, "{} via {}", self.destination, self.gateway)
        }
    }
}

/// A host as the topology describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostSpec {
    pub name: String,
    pub role: HostRole,
    pub interfaces: Vec<Interface>,
    /// Static routes; connected networks are implied by the interfaces.
    pub routes: Vec<StaticRoute>,
    pub up: bool,
}

impl HostSpec {
    /// The address the learner sees for this host: its first interface's. For routers, the
    /// one on the network `default_world::HOSTS` lists them on.
    pub fn primary_address(&self) -> Ipv4Addr {
        self.interfaces[0].address.address
    }

    /// Whether `address` is one of this host's own.
    pub fn owns(&self, address: Ipv4Addr) -> bool {
        self.interfaces
            .iter()
            .any(|interface| interface.address.address == address)
    }

    pub fn forwards(&self) -> bool {
        self.role == HostRole::Router
    }
}

/// A link as the topology describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkSpec {
    pub name: String,
    /// The network every end's address is in.
    pub subnet: Ipv4Cidr,
    /// Propagation delay, end to end.
    pub latency: SimDuration,
    pub bits_per_second: u64,
    /// How likely a frame is lost on the way (drawn from the world's RNG).
    pub loss: Probability,
    pub up: bool,
    /// The interfaces plugged into this link, in the order they joined.
    pub ends: Vec<InterfaceId>,
}

/// A link to add: [`Topology::add_link`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLink {
    pub name: String,
    pub subnet: Ipv4Cidr,
    pub latency: SimDuration,
    pub bits_per_second: u64,
}

/// A host to add: [`Topology::add_host`]. Each interface is an address and the link it
/// plugs into; MACs and interface names are given out by the topology.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewHost {
    pub name: String,
    pub role: HostRole,
    pub interfaces: Vec<(Ipv4Cidr, LinkId)>,
    pub routes: Vec<StaticRoute>,
}

/// Why a scenario edit was refused. The topology is unchanged when one is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopologyError {
    DuplicateName {
        name: String,
    },
    DuplicateAddress {
        address: Ipv4Addr,
    },
    NoInterfaces {
        host: String,
    },
    UnknownHost {
        host: HostId,
    },
    UnknownLink {
        link: LinkId,
    },
    /// The address is not in the subnet of the link it would plug into.
    WrongSubnet {
        address: Ipv4Cidr,
        subnet: Ipv4Cidr,
    },
    /// The network's own address or its broadcast address.
    ReservedAddress {
        address: Ipv4Cidr,
    },
    /// A route's gateway is on none of the host's own networks, so it cannot be reached.
    GatewayNotOnLink {
        gateway: Ipv4Addr,
    },
    /// A mailbox address without `@`.
    NotAMailbox {
        address: String,
    },
}

impl fmt::Display for TopologyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopologyError::DuplicateName { name } => {
                write!(f, "there is already a host or link called {name}")
            }
            TopologyError::DuplicateAddress { address } => {
                write!(f, "{address} is already taken by another interface")
            }
            TopologyError::NoInterfaces { host } => {
                write!(f, "{host} needs at least one interface to join the network")
            }
            TopologyError::UnknownHost { host } => write!(f, "there is no {host}"),
            TopologyError::UnknownLink { link } => write!(f, "there is no {link}"),
            TopologyError::WrongSubnet { address, subnet } => write!(
                f,
                "{address} is not in {subnet}, the network of the link it plugs into"
            ),
            TopologyError::ReservedAddress { address } => write!(
                f,
                "{address} is the network's own or broadcast address; no host may use it"
            ),
            TopologyError::GatewayNotOnLink { gateway } => write!(
                f,
                "gateway {gateway} is not on any of the host's own networks"
            ),
            TopologyError::NotAMailbox { address } => {
                write!(f, "{address:?} is not a mailbox; expected user@domain")
            }
        }
    }
}

/// Where a host sends a packet for some destination: out of which interface, onto which
/// link, to which neighbour's address (the one it asks ARP about).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextHop {
    pub interface: InterfaceId,
    pub link: LinkId,
    /// The destination itself when it is on a connected network, else the gateway.
    pub address: Ipv4Addr,
    pub via_gateway: bool,
}

/// One step of a path: a frame from one interface to another over a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathHop {
    pub from: InterfaceId,
    pub link: LinkId,
    pub to: InterfaceId,
}

/// Why a packet cannot get where it is going, in the terms ICMP uses (RFC 792).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteError {
    UnknownHost {
        host: HostId,
    },
    /// No route matches: "network unreachable".
    NoRoute {
        host: HostId,
        destination: Ipv4Addr,
    },
    /// No interface on the link has the next hop's address: ARP would go unanswered,
    /// "host unreachable".
    NoNeighbor {
        host: HostId,
        address: Ipv4Addr,
    },
    /// The packet reached a host that is not the destination and does not forward.
    NotForwarding {
        host: HostId,
        destination: Ipv4Addr,
    },
    /// The TTL ran out: a routing loop, "time exceeded".
    TtlExceeded {
        destination: Ipv4Addr,
    },
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnknownHost { host } => write!(f, "there is no {host}"),
            RouteError::NoRoute { host, destination } => write!(
                f,
                "{host} has no route to {destination} (network unreachable)"
            ),
            RouteError::NoNeighbor { host, address } => write!(
                f,
                "{host} finds nobody with address {address} on the link (host unreachable)"
            ),
            RouteError::NotForwarding { host, destination } => write!(
                f,
                "{host} is not a router and drops the packet for {destination}"
            ),
            RouteError::TtlExceeded { destination } => write!(
                f,
                "the packet for {destination} went round in circles until its TTL ran out"
            ),
        }
    }
}

/// The whole description: hosts, links, DNS zones and full mailboxes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Topology {
    hosts: Vec<HostSpec>,
    links: Vec<LinkSpec>,
    zones: Zones,
    /// Mailboxes that answer "452 4.2.2 mailbox full", lower-cased, in the order filled.
    full_mailboxes: Vec<String>,
}

impl Topology {
    /// An empty network.
    pub fn new() -> Topology {
        Topology::default()
    }

    // ---- reading ----

    pub fn hosts(&self) -> impl Iterator<Item = (HostId, &HostSpec)> {
        self.hosts
            .iter()
            .enumerate()
            .map(|(index, host)| (HostId(index as u32), host))
    }

    pub fn links(&self) -> impl Iterator<Item = (LinkId, &LinkSpec)> {
        self.links
            .iter()
            .enumerate()
            .map(|(index, link)| (LinkId(index as u32), link))
    }

    pub fn host(&self, id: HostId) -> Option<&HostSpec> {
        self.hosts.get(id.index())
    }

    pub fn link(&self, id: LinkId) -> Option<&LinkSpec> {
        self.links.get(id.index())
    }

    pub fn interface(&self, id: InterfaceId) -> Option<&Interface> {
        self.host(id.host)?.interfaces.get(id.index)
    }

    /// The host called `name`, ignoring ASCII case and a trailing dot.
    pub fn host_id(&self, name: &str) -> Option<HostId> {
        let name = name.strip_suffix('.').unwrap_or(name);
        self.hosts()
            .find(|(_, host)| host.name.eq_ignore_ascii_case(name))
            .map(|(id, _)| id)
    }

    pub fn link_id(&self, name: &str) -> Option<LinkId> {
        self.links()
            .find(|(_, link)| link.name.eq_ignore_ascii_case(name))
            .map(|(id, _)| id)
    }

    /// The host's name, or its id if there is no such host: for log lines.
    pub fn host_name(&self, id: HostId) -> String {
        self.host(id)
            .map_or_else(|| id.to_string(), |host| host.name.clone())
    }

    /// The link's name, or its id if there is no such link: for log lines.
    pub fn link_name(&self, id: LinkId) -> String {
        self.link(id)
            .map_or_else(|| id.to_string(), |link| link.name.clone())
    }

    fn all_interfaces(&self) -> impl Iterator<Item = (InterfaceId, &Interface)> {
        self.hosts().flat_map(|(host_id, host)| {
            host.interfaces
                .iter()
                .enumerate()
                .map(move |(index, interface)| {
                    let id = InterfaceId {
                        host: host_id,
                        index,
                    };
                    (id, interface)
                })
        })
    }

    /// The interface that has `address`, anywhere in the world.
    pub fn interface_with_address(&self, address: Ipv4Addr) -> Option<InterfaceId> {
        self.all_interfaces()
            .find(|(_, interface)| interface.address.address == address)
            .map(|(id, _)| id)
    }

    /// The interface on `link` that has `address`: who answers an ARP request there.
    pub fn neighbor_with_address(&self, link: LinkId, address: Ipv4Addr) -> Option<InterfaceId> {
        self.link(link)?.ends.iter().copied().find(|&end| {
            self.interface(end)
                .is_some_and(|i| i.address.address == address)
        })
    }

    /// The interface on `link` that has `mac`: where a switch delivers a unicast frame.
    pub fn neighbor_with_mac(&self, link: LinkId, mac: MacAddress) -> Option<InterfaceId> {
        self.link(link)?
            .ends
            .iter()
            .copied()
            .find(|&end| self.interface(end).is_some_and(|i| i.mac == mac))
    }

    /// The link that joins two interfaces, if they are on the same one.
    pub fn link_between(&self, a: InterfaceId, b: InterfaceId) -> Option<LinkId> {
        let link = self.interface(a)?.link;
        (a != b && self.interface(b)?.link == link).then_some(link)
    }

    // ---- routing ----

    /// Where `host` sends a packet for `destination`: the longest prefix that matches, among
    /// its connected networks and its static routes; a connected network wins a tie. Only
    /// the configuration counts: whether links and hosts are up is for the World to find out.
    pub fn route(&self, host: HostId, destination: Ipv4Addr) -> Result<NextHop, RouteError> {
        let spec = self.host(host).ok_or(RouteError::UnknownHost { host })?;
        let connected = spec
            .interfaces
            .iter()
            .enumerate()
            .filter(|(_, interface)| interface.address.contains(destination))
            .map(|(index, interface)| (interface.address.prefix_len, index, destination, false));
        let via_gateway = spec
            .routes
            .iter()
            .filter(|route| route.destination.contains(destination))
            .filter_map(|route| {
                let index = spec
                    .interfaces
                    .iter()
                    .position(|interface| interface.address.contains(route.gateway))?;
                Some((route.destination.prefix_len, index, route.gateway, true))
            });
        // Only a strictly longer prefix replaces the best so far, so the first of equals
        // (connected before static, table order within each) wins a tie.
        let mut best: Option<(u8, usize, Ipv4Addr, bool)> = None;
        for candidate in connected.chain(via_gateway) {
            if best.is_none_or(|(prefix_len, ..)| candidate.0 > prefix_len) {
                best = Some(candidate);
            }
        }
        let (_, index, address, via_gateway) =
            best.ok_or(RouteError::NoRoute { host, destination })?;
        Ok(NextHop {
            interface: InterfaceId { host, index },
            link: spec.interfaces[index].link,
            address,
            via_gateway,
        })
    }

    /// Every hop a packet from `from` to `destination` takes, walking next hops as the
    /// routers would, at most [`DEFAULT_TTL`] of them. Empty if `from` owns `destination`.
    pub fn path(&self, from: HostId, destination: Ipv4Addr) -> Result<Vec<PathHop>, RouteError> {
        let mut hops = Vec::new();
        let mut current = from;
        for _ in 0..=DEFAULT_TTL {
            let host = self
                .host(current)
                .ok_or(RouteError::UnknownHost { host: current })?;
            if host.owns(destination) {
                return Ok(hops);
            }
            if current != from && !host.forwards() {
                return Err(RouteError::NotForwarding {
                    host: current,
                    destination,
                });
            }
            let next = self.route(current, destination)?;
            let to = self.neighbor_with_address(next.link, next.address).ok_or(
                RouteError::NoNeighbor {
                    host: current,
                    address: next.address,
                },
            )?;
            hops.push(PathHop {
                from: next.interface,
                link: next.link,
                to,
            });
            current = to.host;
        }
        Err(RouteError::TtlExceeded { destination })
    }

    // ---- DNS and mailboxes ----

    /// The zones dns.example serves.
    pub fn zones(&self) -> &Zones {
        &self.zones
    }

    /// To change DNS data: `topology.zones_mut().set_mx(...)`.
    pub fn zones_mut(&mut self) -> &mut Zones {
        &mut self.zones
    }

    /// The mailboxes that are full, lower-cased, in the order they were filled.
    pub fn full_mailboxes(&self) -> &[String] {
        &self.full_mailboxes
    }

    pub fn is_mailbox_full(&self, address: &str) -> bool {
        self.full_mailboxes
            .iter()
            .any(|full| full.eq_ignore_ascii_case(address))
    }

    /// Marks a mailbox full, so its server answers 452 until it is emptied.
    pub fn fill_mailbox(&mut self, address: &str) -> Result<(), TopologyError> {
        if !address.contains('@') {
            return Err(TopologyError::NotAMailbox {
                address: address.to_string(),
            });
        }
        if !self.is_mailbox_full(address) {
            self.full_mailboxes.push(address.to_ascii_lowercase());
        }
        Ok(())
    }

    /// Makes room in a mailbox again; returns whether it was full.
    pub fn empty_mailbox(&mut self, address: &str) -> bool {
        let before = self.full_mailboxes.len();
        self.full_mailboxes
            .retain(|full| !full.eq_ignore_ascii_case(address));
        self.full_mailboxes.len() != before
    }

    // ---- scenario edits ----

    fn name_taken(&self, name: &str) -> bool {
        self.host_id(name).is_some() || self.link_id(name).is_some()
    }

    /// Adds an empty link; hosts plug into it with [`Topology::add_host`].
    pub fn add_link(&mut self, link: NewLink) -> Result<LinkId, TopologyError> {
        if self.name_taken(&link.name) {
            return Err(TopologyError::DuplicateName { name: link.name });
        }
        let id = LinkId(self.links.len() as u32);
        self.links.push(LinkSpec {
            name: link.name,
            subnet: link.subnet.network(),
            latency: link.latency,
            bits_per_second: link.bits_per_second,
            loss: Probability::NEVER,
            up: true,
            ends: Vec::new(),
        });
        Ok(id)
    }

    /// Adds a host, up, plugged into the links its interfaces name.
    pub fn add_host(&mut self, host: NewHost) -> Result<HostId, TopologyError> {
        self.check_new_host(&host)?;
        let id = HostId(self.hosts.len() as u32);
        let mut interfaces = Vec::with_capacity(host.interfaces.len());
        for (index, &(address, link)) in host.interfaces.iter().enumerate() {
            self.links[link.index()]
                .ends
                .push(InterfaceId { host: id, index });
            interfaces.push(Interface {
                name: format!("eth{index}"),
                mac: interface_mac(id, index),
                address,
                link,
            });
        }
        self.hosts.push(HostSpec {
            name: host.name,
            role: host.role,
            interfaces,
            routes: host.routes,
            up: true,
        });
        Ok(id)
    }

    fn check_new_host(&self, host: &NewHost) -> Result<(), TopologyError> {
        if self.name_taken(&host.name) {
            return Err(TopologyError::DuplicateName {
                name: host.name.clone(),
            });
        }
        if host.interfaces.is_empty() {
            return Err(TopologyError::NoInterfaces {
                host: host.name.clone(),
            });
        }
        for (position, &(address, link)) in host.interfaces.iter().enumerate() {
            let subnet = self
                .link(link)
                .ok_or(TopologyError::UnknownLink { link })?
                .subnet;
            if address.network() != subnet {
                return Err(TopologyError::WrongSubnet { address, subnet });
            }
            if address.is_network_or_broadcast() {
                return Err(TopologyError::ReservedAddress { address });
            }
            let taken_here = host.interfaces[..position]
                .iter()
                .any(|(earlier, _)| earlier.address == address.address);
            if taken_here || self.interface_with_address(address.address).is_some() {
                return Err(TopologyError::DuplicateAddress {
                    address: address.address,
                });
            }
        }
        for route in &host.routes {
            let reachable = host
                .interfaces
                .iter()
                .any(|(address, _)| address.contains(route.gateway));
            if !reachable {
                return Err(TopologyError::GatewayNotOnLink {
                    gateway: route.gateway,
                });
            }
        }
        Ok(())
    }

    /// Switches a host on or off: a server that is down answers nothing, not even ARP.
    pub fn set_host_up(&mut self, host: HostId, up: bool) -> Result<(), TopologyError> {
        let spec = self
            .hosts
            .get_mut(host.index())
            .ok_or(TopologyError::UnknownHost { host })?;
        spec.up = up;
        Ok(())
    }

    /// Plugs a link in or pulls it out: frames on a link that is down are lost.
    pub fn set_link_up(&mut self, link: LinkId, up: bool) -> Result<(), TopologyError> {
        self.link_mut(link)?.up = up;
        Ok(())
    }

    /// Sets how likely the link loses a frame.
    pub fn set_link_loss(&mut self, link: LinkId, loss: Probability) -> Result<(), TopologyError> {
        self.link_mut(link)?.loss = loss;
        Ok(())
    }

    fn link_mut(&mut self, link: LinkId) -> Result<&mut LinkSpec, TopologyError> {
        self.links
            .get_mut(link.index())
            .ok_or(TopologyError::UnknownLink { link })
    }

    /// The default teaching world of docs/ARCHITECTURE.md, laid out as
    /// [`default_world::topology`] describes.
    pub fn default_world() -> Topology {
        default_world::topology()
    }
}

/// Like `ip addr` and `ip route` on every host, then the links: for the CLI and for tests.
impl fmt::Display for Topology {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (_, host) in self.hosts() {
            let state = if host.up { "" } else { " (down)" };
            writeln!(f, "{} [{:?}]{state}", host.name, host.role)?;
            for interface in &host.interfaces {
                writeln!(
                    f,
                    "  {} {} {} on {}",
                    interface.name,
                    interface.mac,
                    interface.address,
                    self.link_name(interface.link)
                )?;
            }
            for route in &host.routes {
                writeln!(f, "  {route}")?;
            }
        }
        for (_, link) in self.links() {
            let state = if link.up { "" } else { " (down)" };
            writeln!(
                f,
                "link {} {}: {} ends, latency {}, {} bit/s, loss {}{state}",
                link.name,
                link.subnet,
                link.ends.len(),
                link.latency,
                link.bits_per_second,
                link.loss
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
