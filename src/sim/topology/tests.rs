use super::*;
use crate::sim::default_world::HOSTS;
use crate::sim::zone::{LookupError, RecordData, RecordType};

fn world() -> Topology {
    Topology::default_world()
}

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

fn cidr(text: &str) -> Ipv4Cidr {
    text.parse().unwrap()
}

fn id(topology: &Topology, name: &str) -> HostId {
    topology.host_id(name).unwrap()
}

/// The names of the hosts a packet visits, first sender to last receiver.
fn hosts_on_path(topology: &Topology, from: &str, to: Ipv4Addr) -> Vec<String> {
    let from = id(topology, from);
    let hops = topology.path(from, to).unwrap();
    std::iter::once(from)
        .chain(hops.iter().map(|hop| hop.to.host))
        .map(|host| topology.host_name(host))
        .collect()
}

/// Two routers and a laptop on a LAN: `lan` 10.1.0.0/24 (laptop .10, ra .1), `wire`
/// 10.9.0.0/30 between ra (.1) and rb (.2).
fn small() -> (Topology, LinkId, LinkId) {
    let mut topology = Topology::new();
    let lan = topology.add_link(new_link("lan", "10.1.0.0/24")).unwrap();
    let wire = topology.add_link(new_link("wire", "10.9.0.0/30")).unwrap();
    topology
        .add_host(NewHost {
            name: "laptop".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("10.1.0.10/24"), lan)],
            routes: vec![StaticRoute::default_via(ip("10.1.0.1"))],
        })
        .unwrap();
    topology
        .add_host(NewHost {
            name: "ra".into(),
            role: HostRole::Router,
            interfaces: vec![(cidr("10.1.0.1/24"), lan), (cidr("10.9.0.1/30"), wire)],
            routes: vec![StaticRoute::default_via(ip("10.9.0.2"))],
        })
        .unwrap();
    topology
        .add_host(NewHost {
            name: "rb".into(),
            role: HostRole::Router,
            interfaces: vec![(cidr("10.9.0.2/30"), wire)],
            routes: vec![StaticRoute::default_via(ip("10.9.0.1"))],
        })
        .unwrap();
    (topology, lan, wire)
}

fn new_link(name: &str, subnet: &str) -> NewLink {
    NewLink {
        name: name.into(),
        subnet: cidr(subnet),
        latency: SimDuration::from_micros(100),
        bits_per_second: 100_000_000,
    }
}

// ---- addresses ----

#[test]
fn cidr_parses_and_prints() {
    let address = cidr("192.0.2.10/24");
    assert_eq!(address.address(), ip("192.0.2.10"));
    assert_eq!(address.prefix_len(), 24);
    assert_eq!(address.to_string(), "192.0.2.10/24");
    assert_eq!(address.netmask(), ip("255.255.255.0"));
    assert_eq!(address.network(), cidr("192.0.2.0/24"));
}

#[test]
fn cidr_rejects_what_is_not_address_slash_prefix() {
    for text in [
        "192.0.2.10",
        "192.0.2.10/33",
        "192.0.2/24",
        "x/24",
        "192.0.2.1/",
    ] {
        let error = text.parse::<Ipv4Cidr>().unwrap_err();
        assert!(error.to_string().contains("ADDRESS/PREFIX"), "{text}");
    }
}

#[test]
fn cidr_contains_exactly_its_network() {
    let lan = cidr("198.51.100.0/24");
    assert!(lan.contains(ip("198.51.100.255")));
    assert!(!lan.contains(ip("198.51.101.0")));
    assert!(cidr("0.0.0.0/0").contains(ip("8.8.8.8")));
    assert!(cidr("10.0.12.1/32").contains(ip("10.0.12.1")));
    assert!(!cidr("10.0.12.1/32").contains(ip("10.0.12.2")));
    assert_eq!(cidr("10.0.12.2/30").netmask(), ip("255.255.255.252"));
}

#[test]
fn network_and_broadcast_addresses_are_reserved_except_on_tiny_links() {
    assert!(cidr("192.0.2.0/24").is_network_or_broadcast());
    assert!(cidr("192.0.2.255/24").is_network_or_broadcast());
    assert!(!cidr("192.0.2.1/24").is_network_or_broadcast());
    assert!(cidr("10.0.12.3/30").is_network_or_broadcast());
    assert!(!cidr("10.0.12.0/31").is_network_or_broadcast());
}

fn is_locally_administered_unicast(mac: MacAddress) -> bool {
    mac.octets()[0] & 0b11 == 0b10
}

#[test]
fn macs_are_locally_administered_unicast_and_name_their_interface() {
    let mac = interface_mac(HostId(2), 1);
    assert_eq!(mac.to_string(), "02:00:00:00:03:01");
    assert!(is_locally_administered_unicast(mac));
    assert_eq!(
        interface_mac(HostId(0x01ff), 0).to_string(),
        "02:00:00:02:00:00"
    );
}

// ---- the default world's invariants ----

#[test]
fn the_default_world_lists_hosts_as_default_world_hosts_does() {
    let topology = world();
    let listed: Vec<_> = topology
        .hosts()
        .map(|(id, host)| {
            (
                id.index(),
                host.name.as_str(),
                host.role,
                host.primary_address(),
            )
        })
        .collect();
    let expected: Vec<_> = HOSTS
        .iter()
        .enumerate()
        .map(|(index, host)| (index, host.name, host.role, ip(host.address)))
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn every_host_reaches_every_address_without_loops() {
    let topology = world();
    for (from, _) in topology.hosts() {
        for (_, target) in topology.hosts() {
            for interface in &target.interfaces {
                let destination = interface.address.address();
                let hops = topology
                    .path(from, destination)
                    .unwrap_or_else(|error| panic!("{error}"));
                let mut visited: Vec<HostId> = hops.iter().map(|hop| hop.to.host).collect();
                visited.push(from);
                let count = visited.len();
                visited.sort();
                visited.dedup();
                assert_eq!(visited.len(), count, "a host visited twice: a loop");
                assert!(
                    hops.len() <= 5,
                    "{} hops is more than the world needs",
                    hops.len()
                );
            }
        }
    }
}

#[test]
fn every_hop_is_a_real_link_between_its_two_interfaces() {
    let topology = world();
    let mx1 = ip("198.51.100.25");
    let hops = topology.path(id(&topology, "laptop-ani"), mx1).unwrap();
    for hop in &hops {
        assert_eq!(topology.link_between(hop.from, hop.to), Some(hop.link));
    }
    let links: Vec<_> = hops
        .iter()
        .map(|hop| topology.link_name(hop.link))
        .collect();
    assert_eq!(links, ["alpha-lan", "r1-r2", "r2-r3", "beta-lan"]);
}

#[test]
fn ani_to_budi_crosses_all_three_routers() {
    let topology = world();
    assert_eq!(
        hosts_on_path(&topology, "laptop-ani", ip("198.51.100.25")),
        ["laptop-ani", "r1", "r2", "r3", "mx1.beta.example"]
    );
    assert_eq!(
        hosts_on_path(&topology, "mx1.beta.example", ip("192.0.2.10")),
        ["mx1.beta.example", "r3", "r2", "r1", "laptop-ani"]
    );
}

#[test]
fn hosts_on_one_lan_talk_directly_and_the_core_is_one_router_away() {
    let topology = world();
    assert_eq!(
        hosts_on_path(&topology, "laptop-ani", ip("192.0.2.25")),
        ["laptop-ani", "mail.alpha.example"]
    );
    assert_eq!(
        hosts_on_path(&topology, "mail.alpha.example", ip("203.0.113.53")),
        ["mail.alpha.example", "r1", "r2", "dns.example"]
    );
    assert!(topology
        .path(id(&topology, "r2"), ip("203.0.113.1"))
        .unwrap()
        .is_empty());
}

#[test]
fn macs_and_addresses_are_unique() {
    let topology = world();
    let interfaces: Vec<_> = topology.all_interfaces().map(|(_, i)| i.clone()).collect();
    let mut macs: Vec<_> = interfaces.iter().map(|i| i.mac).collect();
    let mut addresses: Vec<_> = interfaces.iter().map(|i| i.address.address()).collect();
    macs.sort();
    macs.dedup();
    addresses.sort();
    addresses.dedup();
    assert_eq!(macs.len(), interfaces.len());
    assert_eq!(addresses.len(), interfaces.len());
    assert!(macs.iter().all(|&mac| is_locally_administered_unicast(mac)));
}

#[test]
fn every_link_end_is_in_the_link_subnet_and_knows_its_link() {
    let topology = world();
    for (link_id, link) in topology.links() {
        assert!(link.ends.len() >= 2, "{} joins nobody", link.name);
        for &end in &link.ends {
            let interface = topology.interface(end).unwrap();
            assert_eq!(interface.address.network(), link.subnet, "{}", link.name);
            assert_eq!(interface.link, link_id);
        }
    }
    let ends: usize = topology.links().map(|(_, link)| link.ends.len()).sum();
    assert_eq!(
        ends,
        topology.all_interfaces().count(),
        "every interface on one link"
    );
}

#[test]
fn routers_have_one_interface_per_network_they_join() {
    let topology = world();
    let summary = |name: &str| -> Vec<String> {
        let host = topology.host(id(&topology, name)).unwrap();
        host.interfaces
            .iter()
            .map(|i| format!("{} {} {}", i.name, i.address, topology.link_name(i.link)))
            .collect()
    };
    assert_eq!(
        summary("r1"),
        ["eth0 192.0.2.1/24 alpha-lan", "eth1 10.0.12.1/30 r1-r2"]
    );
    assert_eq!(
        summary("r2"),
        [
            "eth0 203.0.113.1/24 core",
            "eth1 10.0.12.2/30 r1-r2",
            "eth2 10.0.23.1/30 r2-r3"
        ]
    );
    assert_eq!(
        summary("r3"),
        ["eth0 198.51.100.1/24 beta-lan", "eth1 10.0.23.2/30 r2-r3"]
    );
    let transit = topology.link(topology.link_id("r2-r3").unwrap()).unwrap();
    assert_eq!(transit.ends.len(), 2);
    assert!(transit.latency > topology.link(LinkId(0)).unwrap().latency);
}

#[test]
fn the_default_world_prints_like_ip_addr_and_ip_route() {
    let text = world().to_string();
    assert!(text.starts_with(
        "laptop-ani [MailClient]\n  eth0 02:00:00:00:01:00 192.0.2.10/24 on alpha-lan\n  \
         default via 192.0.2.1\n"
    ));
    assert!(text.contains("r2 [Router]\n  eth0 02:00:00:00:04:00 203.0.113.1/24 on core\n"));
    assert!(text.contains("  198.51.100.0/24 via 10.0.23.2\n"));
    assert!(text.contains(
        "link beta-lan 198.51.100.0/24: 5 ends, latency 100 µs, 100000000 bit/s, loss 0 %\n"
    ));
    assert!(text.contains("link r1-r2 10.0.12.0/30: 2 ends, latency 10 ms,"));
}

// ---- routing decisions ----

#[test]
fn a_host_sends_off_link_traffic_to_its_gateway() {
    let topology = world();
    let ani = id(&topology, "laptop-ani");
    let next = topology.route(ani, ip("198.51.100.25")).unwrap();
    assert_eq!(next.address, ip("192.0.2.1"));
    assert!(next.via_gateway);
    assert_eq!(
        next.interface,
        InterfaceId {
            host: ani,
            index: 0
        }
    );
    assert_eq!(topology.link_name(next.link), "alpha-lan");
}

#[test]
fn a_host_sends_on_link_traffic_straight_to_the_destination() {
    let topology = world();
    let next = topology
        .route(id(&topology, "laptop-ani"), ip("192.0.2.25"))
        .unwrap();
    assert_eq!(next.address, ip("192.0.2.25"));
    assert!(!next.via_gateway);
}

#[test]
fn the_core_router_picks_the_interface_towards_each_lan() {
    let topology = world();
    let r2 = id(&topology, "r2");
    let to_alpha = topology.route(r2, ip("192.0.2.10")).unwrap();
    assert_eq!(
        (to_alpha.interface.index, to_alpha.address),
        (1, ip("10.0.12.1"))
    );
    let to_beta = topology.route(r2, ip("198.51.100.11")).unwrap();
    assert_eq!(
        (to_beta.interface.index, to_beta.address),
        (2, ip("10.0.23.2"))
    );
    assert_eq!(
        topology.route(r2, ip("8.8.8.8")),
        Err(RouteError::NoRoute {
            host: r2,
            destination: ip("8.8.8.8")
        })
    );
}

#[test]
fn the_longest_matching_prefix_wins() {
    let (mut topology, lan, _) = small();
    topology
        .add_host(NewHost {
            name: "special".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("10.1.0.20/24"), lan)],
            routes: vec![
                StaticRoute::default_via(ip("10.1.0.1")),
                StaticRoute {
                    destination: cidr("10.9.0.2/32"),
                    gateway: ip("10.1.0.10"),
                },
            ],
        })
        .unwrap();
    let special = id(&topology, "special");
    assert_eq!(
        topology.route(special, ip("10.9.0.2")).unwrap().address,
        ip("10.1.0.10")
    );
    assert_eq!(
        topology.route(special, ip("10.9.0.1")).unwrap().address,
        ip("10.1.0.1")
    );
}

#[test]
fn a_connected_network_wins_a_tie_with_a_static_route() {
    let (mut topology, lan, _) = small();
    topology
        .add_host(NewHost {
            name: "odd".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("10.1.0.30/24"), lan)],
            routes: vec![StaticRoute {
                destination: cidr("10.1.0.0/24"),
                gateway: ip("10.1.0.1"),
            }],
        })
        .unwrap();
    let next = topology
        .route(id(&topology, "odd"), ip("10.1.0.10"))
        .unwrap();
    assert!(!next.via_gateway);
}

#[test]
fn routers_pointing_at_each_other_loop_until_the_ttl_runs_out() {
    let (topology, ..) = small();
    let destination = ip("172.16.0.1");
    assert_eq!(
        topology.path(id(&topology, "laptop"), destination),
        Err(RouteError::TtlExceeded { destination })
    );
}

#[test]
fn a_host_that_is_not_a_router_does_not_forward() {
    let (mut topology, lan, _) = small();
    topology
        .add_host(NewHost {
            name: "misconfigured".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("10.1.0.40/24"), lan)],
            routes: vec![StaticRoute::default_via(ip("10.1.0.10"))],
        })
        .unwrap();
    let error = topology
        .path(id(&topology, "misconfigured"), ip("10.9.0.2"))
        .unwrap_err();
    assert_eq!(
        error,
        RouteError::NotForwarding {
            host: id(&topology, "laptop"),
            destination: ip("10.9.0.2")
        }
    );
    assert!(error.to_string().contains("not a router"));
}

#[test]
fn a_gateway_nobody_has_is_unreachable() {
    let (mut topology, lan, _) = small();
    topology
        .add_host(NewHost {
            name: "lost".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("10.1.0.50/24"), lan)],
            routes: vec![StaticRoute::default_via(ip("10.1.0.254"))],
        })
        .unwrap();
    assert_eq!(
        topology.path(id(&topology, "lost"), ip("10.9.0.2")),
        Err(RouteError::NoNeighbor {
            host: id(&topology, "lost"),
            address: ip("10.1.0.254")
        })
    );
}

#[test]
fn unknown_hosts_have_no_routes() {
    let topology = world();
    let nobody = HostId(99);
    assert_eq!(
        topology.route(nobody, ip("192.0.2.1")),
        Err(RouteError::UnknownHost { host: nobody })
    );
    assert!(topology.path(nobody, ip("192.0.2.1")).is_err());
}

// ---- neighbours and links ----

#[test]
fn link_between_finds_shared_links_only() {
    let topology = world();
    let eth0 = |name| InterfaceId {
        host: id(&topology, name),
        index: 0,
    };
    let alpha_lan = topology.link_id("alpha-lan");
    assert_eq!(
        topology.link_between(eth0("laptop-ani"), eth0("r1")),
        alpha_lan
    );
    assert_eq!(
        topology.link_between(eth0("laptop-ani"), eth0("mx1.beta.example")),
        None
    );
    assert_eq!(
        topology.link_between(eth0("laptop-ani"), eth0("laptop-ani")),
        None
    );
    let r1_transit = InterfaceId {
        host: id(&topology, "r1"),
        index: 1,
    };
    let r2_transit = InterfaceId {
        host: id(&topology, "r2"),
        index: 1,
    };
    assert_eq!(
        topology.link_between(r1_transit, r2_transit),
        topology.link_id("r1-r2")
    );
}

#[test]
fn arp_and_switching_find_the_neighbour_on_the_link() {
    let topology = world();
    let beta_lan = topology.link_id("beta-lan").unwrap();
    let mx2 = id(&topology, "mx2.beta.example");
    let found = topology.neighbor_with_address(beta_lan, ip("198.51.100.26"));
    assert_eq!(
        found,
        Some(InterfaceId {
            host: mx2,
            index: 0
        })
    );
    assert_eq!(
        topology.neighbor_with_address(beta_lan, ip("192.0.2.25")),
        None
    );
    let mac = topology.interface(found.unwrap()).unwrap().mac;
    assert_eq!(topology.neighbor_with_mac(beta_lan, mac), found);
    assert_eq!(
        topology.neighbor_with_mac(beta_lan, MacAddress::BROADCAST),
        None
    );
    assert_eq!(
        topology.interface_with_address(ip("10.0.23.1")),
        Some(InterfaceId {
            host: id(&topology, "r2"),
            index: 2
        })
    );
}

// ---- scenario edits ----

#[test]
fn an_added_host_joins_the_lan_and_is_reachable_from_everywhere() {
    let mut topology = world();
    let alpha_lan = topology.link_id("alpha-lan").unwrap();
    let citra = topology
        .add_host(NewHost {
            name: "laptop-citra".into(),
            role: HostRole::MailClient,
            interfaces: vec![(cidr("192.0.2.11/24"), alpha_lan)],
            routes: vec![StaticRoute::default_via(ip("192.0.2.1"))],
        })
        .unwrap();
    assert_eq!(citra, HostId(HOSTS.len() as u32));
    let host = topology.host(citra).unwrap();
    assert_eq!(host.interfaces[0].mac.to_string(), "02:00:00:00:0c:00");
    assert!(host.up);
    assert!(topology
        .link(alpha_lan)
        .unwrap()
        .ends
        .contains(&InterfaceId {
            host: citra,
            index: 0
        }));
    for (from, _) in topology.hosts() {
        assert!(topology.path(from, ip("192.0.2.11")).is_ok());
    }
}

#[test]
fn adding_a_host_checks_names_addresses_and_gateways() {
    let mut topology = world();
    let alpha_lan = topology.link_id("alpha-lan").unwrap();
    let attempt = |name: &str, address: &str, link: LinkId, gateway: &str| NewHost {
        name: name.into(),
        role: HostRole::MailClient,
        interfaces: vec![(cidr(address), link)],
        routes: vec![StaticRoute::default_via(ip(gateway))],
    };
    let cases = [
        (
            attempt("R1", "192.0.2.99/24", alpha_lan, "192.0.2.1"),
            TopologyError::DuplicateName { name: "R1".into() },
        ),
        (
            attempt("new", "192.0.2.25/24", alpha_lan, "192.0.2.1"),
            TopologyError::DuplicateAddress {
                address: ip("192.0.2.25"),
            },
        ),
        (
            attempt("new", "198.51.100.99/24", alpha_lan, "198.51.100.1"),
            TopologyError::WrongSubnet {
                address: cidr("198.51.100.99/24"),
                subnet: cidr("192.0.2.0/24"),
            },
        ),
        (
            attempt("new", "192.0.2.99/16", alpha_lan, "192.0.2.1"),
            TopologyError::WrongSubnet {
                address: cidr("192.0.2.99/16"),
                subnet: cidr("192.0.2.0/24"),
            },
        ),
        (
            attempt("new", "192.0.2.255/24", alpha_lan, "192.0.2.1"),
            TopologyError::ReservedAddress {
                address: cidr("192.0.2.255/24"),
            },
        ),
        (
            attempt("new", "192.0.2.99/24", alpha_lan, "203.0.113.1"),
            TopologyError::GatewayNotOnLink {
                gateway: ip("203.0.113.1"),
            },
        ),
        (
            attempt("new", "192.0.2.99/24", LinkId(42), "192.0.2.1"),
            TopologyError::UnknownLink { link: LinkId(42) },
        ),
    ];
    let before = topology.clone();
    for (new_host, expected) in cases {
        assert_eq!(topology.add_host(new_host), Err(expected));
    }
    let mut lonely = attempt("lonely", "192.0.2.99/24", alpha_lan, "192.0.2.1");
    lonely.interfaces.clear();
    lonely.routes.clear();
    assert_eq!(
        topology.add_host(lonely),
        Err(TopologyError::NoInterfaces {
            host: "lonely".into()
        })
    );
    assert_eq!(topology, before, "a refused edit changes nothing");
}

#[test]
fn one_new_host_cannot_use_an_address_twice() {
    let (mut topology, lan, _) = small();
    let twice = NewHost {
        name: "twice".into(),
        role: HostRole::Router,
        interfaces: vec![(cidr("10.1.0.60/24"), lan), (cidr("10.1.0.60/24"), lan)],
        routes: Vec::new(),
    };
    assert_eq!(
        topology.add_host(twice),
        Err(TopologyError::DuplicateAddress {
            address: ip("10.1.0.60")
        })
    );
}

#[test]
fn links_are_named_once() {
    let mut topology = world();
    assert_eq!(
        topology.add_link(new_link("core", "172.16.0.0/24")),
        Err(TopologyError::DuplicateName {
            name: "core".into()
        })
    );
    assert_eq!(
        topology.add_link(new_link("laptop-ani", "172.16.0.0/24")),
        Err(TopologyError::DuplicateName {
            name: "laptop-ani".into()
        })
    );
    let link = topology.add_link(new_link("dmz", "172.16.0.7/24")).unwrap();
    assert_eq!(topology.link(link).unwrap().subnet, cidr("172.16.0.0/24"));
}

#[test]
fn links_and_hosts_go_down_and_come_back() {
    let mut topology = world();
    let mx1 = id(&topology, "mx1.beta.example");
    let transit = topology.link_id("r2-r3").unwrap();
    topology.set_host_up(mx1, false).unwrap();
    topology.set_link_up(transit, false).unwrap();
    assert!(!topology.host(mx1).unwrap().up);
    assert!(!topology.link(transit).unwrap().up);
    assert!(topology
        .to_string()
        .contains("mx1.beta.example [MailServer] (down)\n"));
    topology.set_host_up(mx1, true).unwrap();
    topology.set_link_up(transit, true).unwrap();
    assert_eq!(topology, world());
}

#[test]
fn a_link_loses_frames_at_the_rate_a_scenario_sets() {
    let mut topology = world();
    let core = topology.link_id("core").unwrap();
    assert_eq!(topology.link(core).unwrap().loss, Probability::NEVER);
    topology
        .set_link_loss(core, Probability::from_percent(20))
        .unwrap();
    assert_eq!(
        topology.link(core).unwrap().loss,
        Probability::from_percent(20)
    );
}

#[test]
fn edits_to_unknown_links_and_hosts_are_refused() {
    let mut topology = world();
    let ghost_link = LinkId(77);
    let ghost_host = HostId(77);
    let unknown_link = Err(TopologyError::UnknownLink { link: ghost_link });
    assert_eq!(topology.set_link_up(ghost_link, false), unknown_link);
    assert_eq!(
        topology.set_link_loss(ghost_link, Probability::ALWAYS),
        unknown_link
    );
    assert_eq!(
        topology.set_host_up(ghost_host, false),
        Err(TopologyError::UnknownHost { host: ghost_host })
    );
    assert_eq!(topology.host_name(ghost_host), "host#77");
    assert_eq!(topology.link_name(ghost_link), "link#77");
}

#[test]
fn mailboxes_fill_and_empty_ignoring_case() {
    let mut topology = world();
    topology.fill_mailbox("Dewi@Beta.Example").unwrap();
    topology.fill_mailbox("dewi@beta.example").unwrap();
    assert_eq!(topology.full_mailboxes(), ["dewi@beta.example"]);
    assert!(topology.is_mailbox_full("DEWI@beta.example"));
    assert!(!topology.is_mailbox_full("budi@beta.example"));
    assert_eq!(
        topology.fill_mailbox("dewi"),
        Err(TopologyError::NotAMailbox {
            address: "dewi".into()
        })
    );
    assert!(topology.empty_mailbox("dewi@BETA.example"));
    assert!(!topology.empty_mailbox("dewi@beta.example"));
    assert!(topology.full_mailboxes().is_empty());
}

#[test]
fn hosts_are_found_by_name_ignoring_case_and_a_trailing_dot() {
    let topology = world();
    assert_eq!(topology.host_id("MX2.Beta.Example."), Some(HostId(7)));
    assert_eq!(topology.host_id("mx9.beta.example"), None);
    assert_eq!(topology.link_id("Beta-LAN"), topology.link_id("beta-lan"));
}

// ---- DNS of the default world ----

fn mx_of(topology: &Topology, domain: &str) -> Vec<(u16, String)> {
    topology
        .zones()
        .lookup(domain, RecordType::Mx)
        .unwrap()
        .into_iter()
        .filter_map(|record| match &record.data {
            RecordData::Mx {
                preference,
                exchange,
            } => Some((*preference, exchange.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_mail_domains_have_the_mx_records_of_the_architecture() {
    let topology = world();
    assert_eq!(
        mx_of(&topology, "alpha.example"),
        [(10, "mail.alpha.example".to_string())]
    );
    assert_eq!(
        mx_of(&topology, "beta.example"),
        [
            (10, "mx1.beta.example".to_string()),
            (20, "mx2.beta.example".to_string())
        ]
    );
}

#[test]
fn every_server_resolves_both_ways_to_its_own_address() {
    let topology = world();
    let servers = topology
        .hosts()
        .filter(|(_, host)| matches!(host.role, HostRole::MailServer | HostRole::Dns));
    let mut count = 0;
    for (_, server) in servers {
        let address = server.primary_address();
        assert_eq!(
            topology.zones().addresses_of(&server.name),
            Ok(vec![address])
        );
        assert_eq!(topology.zones().name_of(address), Ok(server.name.clone()));
        count += 1;
    }
    assert_eq!(count, 5);
    assert_eq!(
        topology.zones().addresses_of("laptop-ani"),
        Err(LookupError::NoSuchName),
        "clients are not in DNS"
    );
}

#[test]
fn every_mx_exchange_has_an_address() {
    let topology = world();
    for domain in ["alpha.example", "beta.example"] {
        for (_, exchange) in mx_of(&topology, domain) {
            assert!(
                topology.zones().addresses_of(&exchange).is_ok(),
                "{exchange}"
            );
        }
    }
}

#[test]
fn both_mail_domains_publish_spf_and_dmarc() {
    let topology = world();
    let txt = |name: &str| -> Vec<String> {
        topology
            .zones()
            .lookup(name, RecordType::Txt)
            .unwrap()
            .into_iter()
            .map(|record| record.data.to_string())
            .collect()
    };
    assert_eq!(
        txt("alpha.example"),
        ["TXT \"v=spf1 ip4:192.0.2.25 ip4:203.0.113.25 -all\""]
    );
    assert_eq!(
        txt("beta.example"),
        ["TXT \"v=spf1 ip4:198.51.100.25 ip4:198.51.100.26 -all\""]
    );
    assert_eq!(txt("_dmarc.beta.example"), ["TXT \"v=DMARC1; p=reject\""]);
}

#[test]
fn a_scenario_can_point_beta_mail_at_the_backup_only() {
    let mut topology = world();
    topology
        .zones_mut()
        .set_mx("beta.example", &[(10, "mx2.beta.example")])
        .unwrap();
    assert_eq!(
        mx_of(&topology, "beta.example"),
        [(10, "mx2.beta.example".to_string())]
    );
    assert_eq!(mx_of(&topology, "alpha.example").len(), 1);
}

// ---- what learners read ----

#[test]
fn refusals_explain_themselves() {
    let messages = [
        TopologyError::WrongSubnet {
            address: cidr("198.51.100.99/24"),
            subnet: cidr("192.0.2.0/24"),
        }
        .to_string(),
        TopologyError::GatewayNotOnLink {
            gateway: ip("203.0.113.1"),
        }
        .to_string(),
        TopologyError::ReservedAddress {
            address: cidr("192.0.2.255/24"),
        }
        .to_string(),
        RouteError::NoRoute {
            host: HostId(3),
            destination: ip("8.8.8.8"),
        }
        .to_string(),
        RouteError::TtlExceeded {
            destination: ip("172.16.0.1"),
        }
        .to_string(),
    ];
    assert_eq!(
        messages,
        [
            "198.51.100.99/24 is not in 192.0.2.0/24, the network of the link it plugs into",
            "gateway 203.0.113.1 is not on any of the host's own networks",
            "192.0.2.255/24 is the network's own or broadcast address; no host may use it",
            "host#3 has no route to 8.8.8.8 (network unreachable)",
            "the packet for 172.16.0.1 went round in circles until its TTL ran out",
        ]
    );
}

#[test]
fn interfaces_are_written_host_slash_name() {
    let interface = InterfaceId {
        host: HostId(3),
        index: 2,
    };
    assert_eq!(interface.to_string(), "host#3/eth2");
    let topology = world();
    assert_eq!(topology.interface(interface).unwrap().name, "eth2");
}
