//! Whatever a scenario does to the default world's description before it starts — extra mail
//! clients and servers on its LANs, a side router between alpha's and beta's LANs (with a
//! stub LAN behind it that the core has no route back to), MX records for alpha.example and
//! beta.example with other preferences, ties, only the backup, exchanges that do not exist,
//! have no address, point at a host without an SMTP service or at the sender itself, a null
//! MX (RFC 7505) or no MX at all (the implicit MX of RFC 5321 §5.1), lossy links — and
//! whatever the learner then changes while it runs, nothing panics and no mail is lost
//! silently: each recipient of each message ani sends ends delivered into its own mailbox
//! (once), bounced back to ani, still in a queue, or refused at submission, and the log says
//! which (`world_mail` holds the check). The same seed and the same description give the
//! same run.

mod world_mail;

use std::net::Ipv4Addr;

use kurir::sim::default_world::HostRole;
use kurir::sim::rng::Probability;
use kurir::sim::time::SimDuration;
use kurir::sim::topology::{Ipv4Cidr, NewHost, NewLink, StaticRoute, Topology};
use kurir::sim::world::World;
use kurir::sim::zone::{reverse_name, RecordData, ResourceRecord};
use proptest::prelude::*;
use world_mail::{check_no_mail_lost, run, schedule};

/// A LAN of the default world an extra host can join: link, first three octets, router.
#[derive(Clone, Copy, Debug)]
enum Lan {
    Alpha,
    Core,
    Beta,
}

impl Lan {
    fn link(self) -> &'static str {
        match self {
            Lan::Alpha => "alpha-lan",
            Lan::Core => "core",
            Lan::Beta => "beta-lan",
        }
    }

    fn address(self, last: u8) -> Ipv4Addr {
        let [a, b, c] = match self {
            Lan::Alpha => [192, 0, 2],
            Lan::Core => [203, 0, 113],
            Lan::Beta => [198, 51, 100],
        };
        Ipv4Addr::new(a, b, c, last)
    }
}

/// Mail servers the description may add. None of them runs an SMTP service: the world gives
/// services to the default world's servers only, so a connection to port 25 is refused.
const SPARE_SERVERS: [(&str, Lan, u8); 3] = [
    ("mx3.beta.example", Lan::Beta, 27),
    ("mail2.alpha.example", Lan::Alpha, 26),
    ("backup.example", Lan::Core, 26),
];

/// The side router r4: on alpha-lan and beta-lan at `.4`, and on the stub LAN if there is one.
const SIDE_ROUTER_OCTET: u8 = 4;
const STUB_LAN: &str = "stub-lan";
const STUB_ROUTER: Ipv4Addr = Ipv4Addr::new(10, 0, 45, 1);

/// Where `alias.example`'s A record points.
#[derive(Clone, Copy, Debug)]
enum AliasTarget {
    Mx1,
    Mx2,
    MailAlpha,
    /// In beta's LAN, but no host has it: ARP goes unanswered.
    Unassigned,
    /// In no network the routers know.
    Unrouted,
    /// r1's end of the r1-r2 cable: a router, no SMTP service.
    RouterTransit,
}

impl AliasTarget {
    fn address(self) -> Ipv4Addr {
        match self {
            AliasTarget::Mx1 => Ipv4Addr::new(198, 51, 100, 25),
            AliasTarget::Mx2 => Ipv4Addr::new(198, 51, 100, 26),
            AliasTarget::MailAlpha => Ipv4Addr::new(192, 0, 2, 25),
            AliasTarget::Unassigned => Ipv4Addr::new(198, 51, 100, 99),
            AliasTarget::Unrouted => Ipv4Addr::new(100, 64, 0, 1),
            AliasTarget::RouterTransit => Ipv4Addr::new(10, 0, 12, 1),
        }
    }
}

fn alias_target() -> impl Strategy<Value = AliasTarget> {
    prop_oneof![
        Just(AliasTarget::Mx1),
        Just(AliasTarget::Mx2),
        Just(AliasTarget::MailAlpha),
        Just(AliasTarget::Unassigned),
        Just(AliasTarget::Unrouted),
        Just(AliasTarget::RouterTransit),
    ]
}

/// What an MX record may name.
#[derive(Clone, Copy, Debug)]
enum Exchange {
    Mx1,
    Mx2,
    /// Takes mail for alpha.example only.
    MailAlpha,
    /// Has an address, runs no SMTP service.
    Relay,
    /// One of [`SPARE_SERVERS`]: maybe on the network, maybe in DNS, maybe neither.
    Spare(usize),
    /// `alias.example`: another name for [`AliasTarget`].
    Alias,
    /// A name no zone has: NXDOMAIN.
    Missing,
    /// A name outside every zone the world serves.
    Elsewhere,
    /// A name that exists with only a TXT record: no address.
    NoAddress,
    /// `.`: with preference 0 and alone a null MX, beside others ignored (RFC 7505 §3).
    Root,
}

impl Exchange {
    fn name(self) -> &'static str {
        match self {
            Exchange::Mx1 => "mx1.beta.example",
            Exchange::Mx2 => "mx2.beta.example",
            Exchange::MailAlpha => "mail.alpha.example",
            Exchange::Relay => "relay.example",
            Exchange::Spare(index) => SPARE_SERVERS[index].0,
            Exchange::Alias => "alias.example",
            Exchange::Missing => "mx9.beta.example",
            Exchange::Elsewhere => "mx.elsewhere.test",
            Exchange::NoAddress => "_dmarc.beta.example",
            Exchange::Root => ".",
        }
    }
}

fn exchange() -> impl Strategy<Value = Exchange> {
    prop_oneof![
        3 => Just(Exchange::Mx1),
        3 => Just(Exchange::Mx2),
        1 => Just(Exchange::MailAlpha),
        1 => Just(Exchange::Relay),
        1 => (0..SPARE_SERVERS.len()).prop_map(Exchange::Spare),
        2 => Just(Exchange::Alias),
        1 => Just(Exchange::Missing),
        1 => Just(Exchange::Elsewhere),
        1 => Just(Exchange::NoAddress),
        1 => Just(Exchange::Root),
    ]
}

/// A domain's MX records.
#[derive(Clone, Debug)]
enum MxSet {
    /// As the default world has them.
    Unchanged,
    /// (preference, exchange) pairs; preferences from a small set, so ties are common. With
    /// an A record on the domain too, which must not be used while it has MX records.
    Records {
        records: Vec<(u16, Exchange)>,
        with_address: bool,
    },
    /// `MX 0 .`: the domain takes no mail (RFC 7505).
    Null,
    /// No MX at all; with an A record (to `alias.example`'s target) the domain is its own
    /// exchange, without one there is nowhere to deliver (RFC 5321 §5.1).
    Implicit { with_address: bool },
}

fn mx_set(unchanged_weight: u32) -> impl Strategy<Value = MxSet> {
    let record = (prop::sample::select(vec![0u16, 10, 10, 20]), exchange());
    prop_oneof![
        unchanged_weight => Just(MxSet::Unchanged),
        4 => (proptest::collection::vec(record, 1..=3), any::<bool>())
            .prop_map(|(records, with_address)| MxSet::Records { records, with_address }),
        1 => Just(MxSet::Null),
        2 => any::<bool>().prop_map(|with_address| MxSet::Implicit { with_address }),
    ]
}

/// An extra mail client: which LAN, and whether it uses the side router as its gateway
/// (when there is one and it is on that LAN).
#[derive(Clone, Copy, Debug)]
enum Guest {
    On {
        lan: Lan,
        via_side_router: bool,
    },
    /// On the stub LAN behind the side router (only when there is one).
    Stub,
}

fn guest() -> impl Strategy<Value = Guest> {
    let lan = prop_oneof![Just(Lan::Alpha), Just(Lan::Core), Just(Lan::Beta)];
    prop_oneof![
        3 => (lan, any::<bool>()).prop_map(|(lan, via_side_router)| Guest::On { lan, via_side_router }),
        1 => Just(Guest::Stub),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SideRouter {
    None,
    /// r4 joins alpha-lan and beta-lan.
    Bridge,
    /// r4 also has the stub LAN behind it.
    BridgeWithStub,
}

/// Edits to the default world's description, made before the world starts.
#[derive(Clone, Debug)]
struct Description {
    guests: Vec<Guest>,
    /// Per spare server: `None` not added; `Some(in_dns)` on its LAN, with A and PTR records
    /// when `in_dns`.
    spares: [Option<bool>; 3],
    side_router: SideRouter,
    alias: AliasTarget,
    alpha_mx: MxSet,
    beta_mx: MxSet,
    /// (link index, wrapping around the links, percent of frames lost).
    loss: Vec<(usize, u32)>,
}

fn description() -> impl Strategy<Value = Description> {
    (
        proptest::collection::vec(guest(), 0..=3),
        proptest::array::uniform3(proptest::option::of(any::<bool>())),
        prop_oneof![
            Just(SideRouter::None),
            Just(SideRouter::Bridge),
            Just(SideRouter::BridgeWithStub),
        ],
        alias_target(),
        mx_set(3),
        mx_set(1),
        proptest::collection::vec((0..8usize, 0u32..=20), 0..=3),
    )
        .prop_map(
            |(guests, spares, side_router, alias, alpha_mx, beta_mx, loss)| Description {
                guests,
                spares,
                side_router,
                alias,
                alpha_mx,
                beta_mx,
                loss,
            },
        )
}

fn cidr(address: Ipv4Addr, prefix_len: u8) -> Ipv4Cidr {
    Ipv4Cidr::new(address, prefix_len).unwrap()
}

/// A host's A record and its PTR, as the default world has for its servers.
fn add_address_records(topology: &mut Topology, name: &str, address: Ipv4Addr) {
    let zones = topology.zones_mut();
    zones
        .add_record(ResourceRecord::new(name, RecordData::A(address)))
        .unwrap();
    let ptr = RecordData::Ptr(name.to_string());
    zones
        .add_record(ResourceRecord::new(&reverse_name(address), ptr))
        .unwrap();
}

/// Gives `domain` the MX records `mx` describes; its A record, when it gets one, points where
/// `alias.example` does.
fn set_mx(topology: &mut Topology, domain: &str, mx: &MxSet, alias: AliasTarget) {
    let zones = topology.zones_mut();
    let with_address = match mx {
        MxSet::Unchanged => false,
        MxSet::Records {
            records,
            with_address,
        } => {
            let records: Vec<(u16, &str)> = records
                .iter()
                .map(|&(preference, exchange)| (preference, exchange.name()))
                .collect();
            zones.set_mx(domain, &records).unwrap();
            *with_address
        }
        MxSet::Null => {
            zones.set_mx(domain, &[(0, ".")]).unwrap();
            false
        }
        MxSet::Implicit { with_address } => {
            zones.set_mx(domain, &[]).unwrap();
            *with_address
        }
    };
    if with_address {
        let a = RecordData::A(alias.address());
        zones.add_record(ResourceRecord::new(domain, a)).unwrap();
    }
}

/// The default world with the description's edits; every edit is valid by construction, so
/// the topology must take each one.
fn topology(description: &Description) -> Topology {
    let mut topology = Topology::default_world();
    let lan = |topology: &Topology, lan: Lan| topology.link_id(lan.link()).unwrap();

    if description.side_router != SideRouter::None {
        let mut interfaces = vec![
            (
                cidr(Lan::Alpha.address(SIDE_ROUTER_OCTET), 24),
                lan(&topology, Lan::Alpha),
            ),
            (
                cidr(Lan::Beta.address(SIDE_ROUTER_OCTET), 24),
                lan(&topology, Lan::Beta),
            ),
        ];
        if description.side_router == SideRouter::BridgeWithStub {
            let stub = topology
                .add_link(NewLink {
                    name: STUB_LAN.into(),
                    subnet: cidr(STUB_ROUTER, 24),
                    latency: SimDuration::from_micros(100),
                    bits_per_second: 100_000_000,
                })
                .unwrap();
            interfaces.push((cidr(STUB_ROUTER, 24), stub));
        }
        topology
            .add_host(NewHost {
                name: "r4".into(),
                role: HostRole::Router,
                interfaces,
                routes: vec![StaticRoute::default_via(Lan::Alpha.address(1))],
            })
            .unwrap();
    }

    for (index, &spare) in description.spares.iter().enumerate() {
        let Some(in_dns) = spare else { continue };
        let (name, on, last) = SPARE_SERVERS[index];
        let address = on.address(last);
        topology
            .add_host(NewHost {
                name: name.into(),
                role: HostRole::MailServer,
                interfaces: vec![(cidr(address, 24), lan(&topology, on))],
                routes: vec![StaticRoute::default_via(on.address(1))],
            })
            .unwrap();
        if in_dns {
            add_address_records(&mut topology, name, address);
        }
    }

    let stub = topology.link_id(STUB_LAN);
    for (index, guest) in description.guests.iter().enumerate() {
        let last = 100 + index as u8;
        let (address, link, gateway) = match *guest {
            Guest::Stub => match stub {
                Some(stub) => (cidr(Ipv4Addr::new(10, 0, 45, last), 24), stub, STUB_ROUTER),
                None => continue,
            },
            Guest::On {
                lan: on,
                via_side_router,
            } => {
                let side_router = description.side_router != SideRouter::None
                    && matches!(on, Lan::Alpha | Lan::Beta);
                let gateway = if via_side_router && side_router {
                    on.address(SIDE_ROUTER_OCTET)
                } else {
                    on.address(1)
                };
                (cidr(on.address(last), 24), lan(&topology, on), gateway)
            }
        };
        topology
            .add_host(NewHost {
                name: format!("guest-{index}"),
                role: HostRole::MailClient,
                interfaces: vec![(address, link)],
                routes: vec![StaticRoute::default_via(gateway)],
            })
            .unwrap();
    }

    let alias = RecordData::A(description.alias.address());
    topology
        .zones_mut()
        .add_record(ResourceRecord::new("alias.example", alias))
        .unwrap();
    let alias = description.alias;
    set_mx(&mut topology, "alpha.example", &description.alpha_mx, alias);
    set_mx(&mut topology, "beta.example", &description.beta_mx, alias);

    let links: Vec<_> = topology.links().map(|(id, _)| id).collect();
    for &(link, percent) in &description.loss {
        topology
            .set_link_loss(
                links[link % links.len()],
                Probability::from_percent(percent),
            )
            .unwrap();
    }
    topology
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_message_ends_delivered_bounced_queued_or_refused(
        seed in any::<u64>(),
        description in description(),
        schedule in schedule(),
    ) {
        let finished = run(World::new(topology(&description), seed), &schedule);
        check_no_mail_lost(&finished)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn the_same_seed_and_description_give_the_same_run(
        seed in any::<u64>(),
        description in description(),
        schedule in schedule(),
    ) {
        let a = run(World::new(topology(&description), seed), &schedule);
        let b = run(World::new(topology(&description), seed), &schedule);
        prop_assert_eq!(a.world.log().stable_hash(), b.world.log().stable_hash());
        prop_assert_eq!(a.world.pcap(), b.world.pcap());
    }
}
