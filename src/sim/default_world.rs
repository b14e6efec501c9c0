//! The default teaching world: the hosts, accounts and mail services that lessons, the
//! terminal, `kurir serve`, the docs and the tests all share.
//!
//! Names are from RFC 2606's reserved `.example`; addresses from the documentation ranges of
//! RFC 5737 (192.0.2.0/24 alpha's LAN, 198.51.100.0/24 beta's LAN, 203.0.113.0/24 the core).
//! [`topology`] lays these hosts out as a network, with the DNS zones the world serves.

use std::net::Ipv4Addr;

use super::id::LinkId;
use super::time::SimDuration;
use super::topology::{Ipv4Cidr, NewHost, NewLink, StaticRoute, Topology};
use super::world::Command;
use super::zone::{self, RecordData, ResourceRecord, Zones};
use crate::proto::smtp::{Account, Extensions, PortRole, ServerPolicy};

/// What a host is for, as the map and the terminal describe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostRole {
    MailClient,
    MailServer,
    Router,
    Dns,
}

/// One host of the default world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Host {
    pub name: &'static str,
    pub role: HostRole,
    pub address: &'static str,
}

/// Every host, in the order the world lists them.
pub const HOSTS: [Host; 11] = [
    Host {
        name: "laptop-ani",
        role: HostRole::MailClient,
        address: "192.0.2.10",
    },
    Host {
        name: "mail.alpha.example",
        role: HostRole::MailServer,
        address: "192.0.2.25",
    },
    Host {
        name: "r1",
        role: HostRole::Router,
        address: "192.0.2.1",
    },
    Host {
        name: "r2",
        role: HostRole::Router,
        address: "203.0.113.1",
    },
    Host {
        name: "r3",
        role: HostRole::Router,
        address: "198.51.100.1",
    },
    Host {
        name: "dns.example",
        role: HostRole::Dns,
        address: "203.0.113.53",
    },
    Host {
        name: "mx1.beta.example",
        role: HostRole::MailServer,
        address: "198.51.100.25",
    },
    Host {
        name: "mx2.beta.example",
        role: HostRole::MailServer,
        address: "198.51.100.26",
    },
    Host {
        name: "laptop-budi",
        role: HostRole::MailClient,
        address: "198.51.100.10",
    },
    Host {
        name: "phone-budi",
        role: HostRole::MailClient,
        address: "198.51.100.11",
    },
    Host {
        name: "relay.example",
        role: HostRole::MailServer,
        address: "203.0.113.25",
    },
];

/// The host the learner's terminal runs on.
pub const LEARNER_HOST: &str = "laptop-ani";

/// What ani's mail client on laptop-ani does when she presses Send: submit `subject` and
/// `body` to `to` as ani@alpha.example, logged in as ani/ani123. `None` when the world has
/// no laptop-ani.
pub fn ani_presses_send(
    topology: &Topology,
    to: &[&str],
    subject: &str,
    body: &str,
) -> Option<Command> {
    Some(Command::Submit {
        from_host: topology.host_id(LEARNER_HOST)?,
        user: "ani".into(),
        password: "ani123".into(),
        from: "ani@alpha.example".into(),
        to: to.iter().map(|address| address.to_string()).collect(),
        subject: subject.into(),
        body: body.into(),
    })
}

pub const ALPHA_DOMAIN: &str = "alpha.example";
pub const BETA_DOMAIN: &str = "beta.example";

/// Largest message the world's servers take (SIZE, RFC 1870): 10 MiB.
pub const MAX_MESSAGE_SIZE: u64 = 10 * 1024 * 1024;
/// Recipients per transaction: RFC 5321 §4.5.3.1.8's minimum.
pub const MAX_RECIPIENTS: usize = 100;

/// Looks a host up by name, ignoring ASCII case and a trailing dot.
pub fn host(name: &str) -> Option<&'static Host> {
    let name = name.strip_suffix('.').unwrap_or(name);
    HOSTS.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

fn account(user: &str, domain: &str, display_name: &str) -> Account {
    Account {
        user: user.to_string(),
        domain: domain.to_string(),
        password: format!("{user}123"),
        display_name: display_name.to_string(),
    }
}

/// ani and citra on alpha.example; budi and dewi on beta.example. Passwords are `<user>123`.
pub fn accounts_of(domain: &str) -> Vec<Account> {
    match domain {
        ALPHA_DOMAIN => vec![
            account("ani", ALPHA_DOMAIN, "Ani"),
            account("citra", ALPHA_DOMAIN, "Citra"),
        ],
        BETA_DOMAIN => vec![
            account("budi", BETA_DOMAIN, "Budi"),
            account("dewi", BETA_DOMAIN, "Dewi"),
        ],
        _ => Vec::new(),
    }
}

fn policy(host_name: &str, role: PortRole, domain: &str) -> ServerPolicy {
    ServerPolicy {
        host_name: host_name.to_string(),
        role,
        local_domains: vec![domain.to_string()],
        accounts: accounts_of(domain),
        max_message_size: MAX_MESSAGE_SIZE,
        max_recipients: MAX_RECIPIENTS,
        extensions: Extensions::default(),
        full_mailboxes: Vec::new(),
    }
}

/// beta.example's primary MX, port 25: takes mail for budi and dewi from anyone.
pub fn mx1_beta_relay() -> ServerPolicy {
    policy("mx1.beta.example", PortRole::Relay, BETA_DOMAIN)
}

/// alpha.example's message submission agent, port 587: ani and citra send after AUTH.
pub fn mail_alpha_submission() -> ServerPolicy {
    policy("mail.alpha.example", PortRole::Submission, ALPHA_DOMAIN)
}

/// The SMTP service listening on `host:port`, if there is one the learner can reach.
pub fn smtp_service(host_name: &str, port: u16) -> Option<ServerPolicy> {
    let host = host(host_name)?;
    match (host.name, port) {
        ("mx1.beta.example", 25) => Some(mx1_beta_relay()),
        ("mail.alpha.example", 587) => Some(mail_alpha_submission()),
        _ => None,
    }
}

/// Every (host, port) with an SMTP service, for help texts and completion.
pub const SMTP_SERVICES: [(&str, u16); 2] = [("mx1.beta.example", 25), ("mail.alpha.example", 587)];

/// The mail servers whose users read their mail over POP3 (110) and IMAP (143), each with
/// the domain of its accounts.
pub const MAILBOX_SERVERS: [(&str, &str); 2] = [
    ("mail.alpha.example", ALPHA_DOMAIN),
    ("mx1.beta.example", BETA_DOMAIN),
];

/// Whose mail a device's mail client reads, and from which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reader {
    pub user: &'static str,
    pub password: &'static str,
    pub server: &'static str,
}

/// budi reads his mail from mx1.beta.example on both his devices.
pub fn reader_of(device: &str) -> Option<Reader> {
    match device {
        "laptop-budi" | "phone-budi" => Some(Reader {
            user: "budi",
            password: "budi123",
            server: "mx1.beta.example",
        }),
        _ => None,
    }
}

/// What a link is, and so how fast: Ethernet LANs and the core at 100 Mbit/s and 100 µs,
/// the long-haul transit links between routers at 10 Mbit/s and 10 ms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Lan,
    Transit,
}

/// `(name, subnet, kind)` of every link, left to right on the map, so link ids read that way.
const LINKS: [(&str, &str, LinkKind); 5] = [
    ("alpha-lan", "192.0.2.0/24", LinkKind::Lan),
    ("r1-r2", "10.0.12.0/30", LinkKind::Transit),
    ("core", "203.0.113.0/24", LinkKind::Lan),
    ("r2-r3", "10.0.23.0/30", LinkKind::Transit),
    ("beta-lan", "198.51.100.0/24", LinkKind::Lan),
];

/// `(router, link, address)`: the routers' interfaces on the transit links. Their interfaces
/// on the LANs are the addresses HOSTS lists.
const TRANSIT_INTERFACES: [(&str, &str, &str); 4] = [
    ("r1", "r1-r2", "10.0.12.1/30"),
    ("r2", "r1-r2", "10.0.12.2/30"),
    ("r2", "r2-r3", "10.0.23.1/30"),
    ("r3", "r2-r3", "10.0.23.2/30"),
];

/// `(router, destination, gateway)`: r2, the core, knows both LANs; the edge routers
/// send everything else to r2.
const ROUTER_ROUTES: [(&str, &str, &str); 4] = [
    ("r1", "0.0.0.0/0", "10.0.12.2"),
    ("r2", "192.0.2.0/24", "10.0.12.1"),
    ("r2", "198.51.100.0/24", "10.0.23.2"),
    ("r3", "0.0.0.0/0", "10.0.23.1"),
];

/// The SPF policy of each mail domain: only its own servers send its mail.
const SPF: [(&str, &str); 2] = [
    (ALPHA_DOMAIN, "v=spf1 ip4:192.0.2.25 -all"),
    (
        BETA_DOMAIN,
        "v=spf1 ip4:198.51.100.25 ip4:198.51.100.26 -all",
    ),
];

const MX: [(&str, u16, &str); 3] = [
    (ALPHA_DOMAIN, 10, "mail.alpha.example"),
    (BETA_DOMAIN, 10, "mx1.beta.example"),
    (BETA_DOMAIN, 20, "mx2.beta.example"),
];

fn cidr(text: &str) -> Ipv4Cidr {
    text.parse()
        .expect("the default world's networks are written correctly")
}

fn address(text: &str) -> Ipv4Addr {
    text.parse()
        .expect("the default world's addresses are written correctly")
}

/// The network of the default world: HOSTS on three LANs joined by three routers.
///
/// ```text
///  alpha-lan 192.0.2.0/24     core 203.0.113.0/24     beta-lan 198.51.100.0/24
///    laptop-ani          .10    dns.example    .53      mx1.beta.example   .25
///    mail.alpha.example  .25    relay.example  .25      mx2.beta.example   .26
///    r1                  .1     r2             .1       laptop-budi        .10
///                                                       phone-budi         .11
///                                                       r3                 .1
///
///  r1 .1 ── r1-r2 10.0.12.0/30 ── .2 r2 .1 ── r2-r3 10.0.23.0/30 ── .2 r3
/// ```
///
/// LANs and the core use RFC 5737's documentation networks, as HOSTS does. The two transit
/// links between routers use /30s from RFC 1918's private 10.0.0.0/8, numbered after the
/// routers they join (10.0.12.0/30 joins r1 and r2), as a provider numbers its backbone.
/// A router's eth0 is the address HOSTS lists: the one its LAN sees as gateway.
///
/// Every `expect` inside guards a constant of this module and the tests build this world,
/// so none can fire for a learner.
pub fn topology() -> Topology {
    let mut topology = Topology::new();
    let mut lans = Vec::new();
    for (name, subnet, kind) in LINKS {
        let (latency, bits_per_second) = match kind {
            LinkKind::Lan => (SimDuration::from_micros(100), 100_000_000),
            LinkKind::Transit => (SimDuration::from_millis(10), 10_000_000),
        };
        let link = topology
            .add_link(NewLink {
                name: name.to_string(),
                subnet: cidr(subnet),
                latency,
                bits_per_second,
            })
            .expect("link names are distinct");
        if kind == LinkKind::Lan {
            lans.push((cidr(subnet), link));
        }
    }
    let gateway_of = |subnet: Ipv4Cidr| {
        HOSTS
            .iter()
            .filter(|host| host.role == HostRole::Router)
            .map(|router| address(router.address))
            .find(|&router| subnet.contains(router))
            .expect("every LAN has a router")
    };
    for host in HOSTS {
        let primary = address(host.address);
        let &(subnet, lan) = lans
            .iter()
            .find(|(subnet, _)| subnet.contains(primary))
            .expect("every host in HOSTS is on one of the LANs");
        let primary = Ipv4Cidr::new(primary, subnet.prefix_len()).expect("prefix ≤ 32");
        let mut interfaces = vec![(primary, lan)];
        let routes = if host.role == HostRole::Router {
            interfaces.extend(
                TRANSIT_INTERFACES
                    .iter()
                    .filter(|(router, ..)| *router == host.name)
                    .map(|&(_, link, interface_address)| {
                        let link = topology.link_id(link).expect("a transit link");
                        (cidr(interface_address), link)
                    }),
            );
            ROUTER_ROUTES
                .iter()
                .filter(|(router, ..)| *router == host.name)
                .map(|&(_, destination, gateway)| StaticRoute {
                    destination: cidr(destination),
                    gateway: address(gateway),
                })
                .collect()
        } else {
            vec![StaticRoute::default_via(gateway_of(subnet))]
        };
        topology
            .add_host(NewHost {
                name: host.name.to_string(),
                role: host.role,
                interfaces,
                routes,
            })
            .expect("the default world's hosts are consistent");
    }
    add_zones(topology.zones_mut(), &lans);
    topology
}

/// Zones for `example`, the two mail domains and the reverse of each /24; A and PTR
/// records for every server (mail servers and dns.example); MX; SPF and DMARC.
fn add_zones(zones: &mut Zones, lans: &[(Ipv4Cidr, LinkId)]) {
    for origin in ["example", ALPHA_DOMAIN, BETA_DOMAIN] {
        zones.add_zone(origin);
    }
    for (subnet, _) in lans {
        zones.add_zone(&zone::reverse_zone_of_slash_24(subnet.address()));
    }
    let mut records = Vec::new();
    for &(domain, preference, exchange) in &MX {
        let mx = RecordData::Mx {
            preference,
            exchange: exchange.to_string(),
        };
        records.push(ResourceRecord::new(domain, mx));
    }
    for (domain, policy) in SPF {
        records.push(ResourceRecord::new(domain, RecordData::Txt(policy.into())));
        let dmarc = RecordData::Txt("v=DMARC1; p=reject".into());
        records.push(ResourceRecord::new(&format!("_dmarc.{domain}"), dmarc));
    }
    let servers = HOSTS
        .iter()
        .filter(|host| matches!(host.role, HostRole::MailServer | HostRole::Dns));
    for server in servers {
        let ip = address(server.address);
        records.push(ResourceRecord::new(server.name, RecordData::A(ip)));
        let ptr = RecordData::Ptr(server.name.to_string());
        records.push(ResourceRecord::new(&zone::reverse_name(ip), ptr));
    }
    for record in records {
        zones
            .add_record(record)
            .expect("every default record is inside a default zone");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_service_exists() {
        for (host, port) in SMTP_SERVICES {
            let policy = smtp_service(host, port).expect("listed service");
            assert_eq!(policy.host_name, host);
        }
    }

    #[test]
    fn hosts_are_found_case_insensitively_with_a_trailing_dot() {
        assert_eq!(
            host("MX1.Beta.Example.").map(|h| h.name),
            Some("mx1.beta.example")
        );
        assert!(host("mx9.beta.example").is_none());
    }

    #[test]
    fn ports_without_a_service_are_closed() {
        assert!(smtp_service("mx1.beta.example", 587).is_none());
        assert!(smtp_service("r2", 25).is_none());
        assert!(smtp_service("nowhere.example", 25).is_none());
    }

    #[test]
    fn accounts_follow_the_world() {
        let beta: Vec<_> = accounts_of(BETA_DOMAIN)
            .into_iter()
            .map(|a| (a.user, a.password))
            .collect();
        assert_eq!(
            beta,
            [
                ("budi".into(), "budi123".into()),
                ("dewi".into(), "dewi123".into())
            ]
        );
        assert_eq!(mail_alpha_submission().role, PortRole::Submission);
        assert_eq!(mx1_beta_relay().role, PortRole::Relay);
    }
}
