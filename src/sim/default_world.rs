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
use super::world::{Command, World, EPOCH_UNIX_SECONDS};
use super::zone::{self, RecordData, ResourceRecord, Zones};
use crate::proto::smtp::trace::rfc5322_date;
use crate::proto::smtp::{
    Account, ClientConfig, Extensions, ForwardPath, MailJob, Mailbox, PortRole, ReversePath,
    SendingLimit, ServerPolicy,
};

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
    let [ani, ..] = SENDERS;
    Some(Command::Submit {
        from_host: topology.host_id(ani.device)?,
        user: ani.user.into(),
        password: ani.password.into(),
        from: ani.address.into(),
        to: to.iter().map(|address| address.to_string()).collect(),
        subject: subject.into(),
        body: body.into(),
    })
}

/// Someone whose mail client sends from a device of the world, and how it logs in to the
/// submission servers it sends through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailSender {
    pub address: &'static str,
    pub device: &'static str,
    pub user: &'static str,
    pub password: &'static str,
}

/// ani on laptop-ani; Budi's online shop, toko.example, whose order mail goes out from his
/// laptop through relay.example.
pub const SENDERS: [MailSender; 2] = [
    MailSender {
        address: "ani@alpha.example",
        device: LEARNER_HOST,
        user: "ani",
        password: "ani123",
    },
    MailSender {
        address: "toko@toko.example",
        device: "laptop-budi",
        user: "toko",
        password: "toko123",
    },
];

/// The sender with that address (ASCII case ignored).
pub fn sender(address: &str) -> Option<&'static MailSender> {
    SENDERS
        .iter()
        .find(|sender| sender.address.eq_ignore_ascii_case(address))
}

/// What `sender`'s mail client does when it sends through `server`'s submission port (587)
/// instead of its own domain's server, as when relay.example is set as the outgoing server:
/// the message written at the world's time, submitted with AUTH. `None` when the world lacks
/// the device or the server.
pub fn sends_through(
    world: &World,
    sender: &MailSender,
    server: &str,
    to: &[String],
    subject: &str,
    body: &str,
) -> Option<Command> {
    let topology = world.topology();
    let from_host = topology.host_id(sender.device)?;
    let to_host = topology.host_id(server)?;
    let hello_name = topology.host_name(from_host);
    let micros = world.now().as_micros();
    let unix_now = EPOCH_UNIX_SECONDS + (micros / 1_000_000) as i64;
    let domain = domain_of(sender.address);
    let message_id = format!("{micros}.{hello_name}@{domain}");
    let job = written_mail(unix_now, sender.address, to, subject, body, &message_id);
    let client = ClientConfig::new(hello_name).with_credentials(sender.user, sender.password);
    Some(Command::SendMail {
        from_host,
        to_host,
        port: SUBMISSION_PORT,
        client,
        job,
    })
}

/// The message a mail client of the world writes, in the envelope it sends it in: RFC 5322
/// Date, From, To, Subject and Message-ID (`message_id` is written inside angle brackets),
/// plain UTF-8 text with CRLF line ends; reverse-path `from`, one recipient per address of
/// `to`. An address without `@` is all local part, which the client engine refuses.
pub fn written_mail(
    unix_now: i64,
    from: &str,
    to: &[String],
    subject: &str,
    body: &str,
    message_id: &str,
) -> MailJob {
    let mut content = format!(
        "Date: {}\r\nFrom: <{from}>\r\nTo: {}\r\nSubject: {subject}\r\n\
         Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n",
        rfc5322_date(unix_now),
        to.iter()
            .map(|address| format!("<{address}>"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    for line in body.lines() {
        content.push_str(line);
        content.push_str("\r\n");
    }
    MailJob {
        reverse_path: ReversePath::Mailbox(mailbox_of(from)),
        recipients: to
            .iter()
            .map(|address| ForwardPath::Mailbox(mailbox_of(address)))
            .collect(),
        content: content.into_bytes(),
    }
}

/// The domain of `local@domain` ("" without an `@`).
pub fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, domain)| domain)
}

fn mailbox_of(address: &str) -> Mailbox {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    Mailbox {
        local: local.to_string(),
        domain: domain.to_string(),
    }
}

pub const ALPHA_DOMAIN: &str = "alpha.example";
pub const BETA_DOMAIN: &str = "beta.example";
/// Budi's shop: a customer of relay.example beside ani, with no mail server of its own.
pub const SHOP_DOMAIN: &str = "toko.example";

/// The submission port (RFC 6409 §3.1).
pub const SUBMISSION_PORT: u16 = 587;

/// The shared relay: a smarthost for customers of several domains.
pub const RELAY_HOST: &str = "relay.example";
/// How many messages each customer of relay.example may send per hour: few enough to reach
/// by hand.
pub const RELAY_MESSAGES_PER_HOUR: u32 = 5;

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

/// relay.example's customers: ani of alpha.example, who also has her own server, and Budi's
/// shop, toko.example, which has none. Passwords are `<user>123`.
pub fn relay_customers() -> Vec<Account> {
    vec![
        account("ani", ALPHA_DOMAIN, "Ani"),
        account("toko", SHOP_DOMAIN, "Toko Budi"),
    ]
}

fn policy(host_name: &str, role: PortRole, domain: &str) -> ServerPolicy {
    ServerPolicy {
        host_name: host_name.to_string(),
        role,
        local_domains: vec![domain.to_string()],
        accounts: accounts_of(domain).into(),
        max_message_size: MAX_MESSAGE_SIZE,
        max_recipients: MAX_RECIPIENTS,
        extensions: Extensions::default(),
        full_mailboxes: Vec::new(),
        sending_limit: None,
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

/// relay.example's submission port, 587: a shared relay (smarthost). Its customers send to any
/// domain after AUTH, each at most [`RELAY_MESSAGES_PER_HOUR`] messages an hour; it is the
/// final destination of no domain, so everything it takes is relayed by MX from its own
/// address.
pub fn relay_submission() -> ServerPolicy {
    ServerPolicy {
        host_name: RELAY_HOST.to_string(),
        role: PortRole::Submission,
        local_domains: Vec::new(),
        accounts: relay_customers().into(),
        max_message_size: MAX_MESSAGE_SIZE,
        max_recipients: MAX_RECIPIENTS,
        extensions: Extensions::default(),
        full_mailboxes: Vec::new(),
        sending_limit: Some(SendingLimit {
            messages_per_hour: RELAY_MESSAGES_PER_HOUR,
        }),
    }
}

/// The SMTP service listening on `host:port`, if there is one the learner can reach.
pub fn smtp_service(host_name: &str, port: u16) -> Option<ServerPolicy> {
    let host = host(host_name)?;
    match (host.name, port) {
        ("mx1.beta.example", 25) => Some(mx1_beta_relay()),
        ("mail.alpha.example", SUBMISSION_PORT) => Some(mail_alpha_submission()),
        (RELAY_HOST, SUBMISSION_PORT) => Some(relay_submission()),
        _ => None,
    }
}

/// Every (host, port) with an SMTP service, for help texts and completion.
pub const SMTP_SERVICES: [(&str, u16); 3] = [
    ("mx1.beta.example", 25),
    ("mail.alpha.example", SUBMISSION_PORT),
    (RELAY_HOST, SUBMISSION_PORT),
];

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

/// The SPF policy of each mail domain: only the servers that send its mail may. For alpha.example
/// that is its own server and relay.example, the smarthost ani may also send through.
const SPF: [(&str, &str); 2] = [
    (ALPHA_DOMAIN, "v=spf1 ip4:192.0.2.25 ip4:203.0.113.25 -all"),
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

    #[test]
    fn only_the_shared_relay_has_a_sending_limit() {
        let relay = relay_submission();
        assert_eq!(
            relay.sending_limit.map(|limit| limit.messages_per_hour),
            Some(RELAY_MESSAGES_PER_HOUR)
        );
        assert!(relay.local_domains.is_empty(), "it is final for no domain");
        let domains: Vec<_> = relay.accounts.iter().map(|a| a.domain.as_str()).collect();
        assert_eq!(
            domains,
            [ALPHA_DOMAIN, SHOP_DOMAIN],
            "customers of two domains"
        );
        assert_eq!(mail_alpha_submission().sending_limit, None);
        assert_eq!(mx1_beta_relay().sending_limit, None);
    }

    #[test]
    fn every_sender_is_a_customer_of_the_relay_on_a_device_of_the_world() {
        for sender in SENDERS {
            assert!(host(sender.device).is_some(), "{}", sender.device);
            let customer = relay_customers().into_iter().any(|account| {
                account.address() == sender.address
                    && account.user == sender.user
                    && account.password == sender.password
            });
            assert!(customer, "{}", sender.address);
        }
        assert_eq!(
            sender("TOKO@toko.example").map(|s| s.device),
            Some("laptop-budi")
        );
        assert!(sender("budi@beta.example").is_none());
    }
}
