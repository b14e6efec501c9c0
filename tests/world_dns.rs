//! MX lookups over the simulated network: real UDP datagrams from a host, through ARP and the
//! routers, to dns.example and back (RFC 1035 over UDP, RFC 5321 §5.1 routing, RFC 7505).

mod common;

use std::net::Ipv4Addr;

use common::tshark;
use kurir::net::dns::{MxExchange, MxResolution};
use kurir::sim::event::EventKind;
use kurir::sim::id::HostId;
use kurir::sim::time::SimTime;
use kurir::sim::topology::Topology;
use kurir::sim::world::{Applied, Command, LookupId, World, DNS_TIMEOUT};
use kurir::sim::zone::RecordType;
use kurir::wire::dns::DnsRcode;

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

fn resolve(world: &mut World, from: &str, domain: &str) -> LookupId {
    let command = Command::ResolveMx {
        from_host: host(world, from),
        domain: domain.into(),
    };
    match world.apply(command).unwrap() {
        Applied::LookupStarted { lookup } => lookup,
        other => panic!("expected a lookup, got {other:?}"),
    }
}

/// A default world in which laptop-ani resolved `domain`, run until nothing is left to do.
fn resolved(seed: u64, domain: &str) -> (World, MxResolution) {
    let mut world = World::default_world(seed);
    let lookup = resolve(&mut world, "laptop-ani", domain);
    assert!(world.run_until_idle());
    let result = world.mx_lookup_result(lookup).cloned().expect("finished");
    (world, result)
}

fn beta_exchanges() -> MxResolution {
    MxResolution::Exchanges(vec![
        MxExchange {
            preference: 10,
            name: "mx1.beta.example".into(),
            address: Some(Ipv4Addr::new(198, 51, 100, 25)),
        },
        MxExchange {
            preference: 20,
            name: "mx2.beta.example".into(),
            address: Some(Ipv4Addr::new(198, 51, 100, 26)),
        },
    ])
}

#[test]
fn laptop_ani_resolves_beta_over_the_network() {
    let (world, result) = resolved(5, "beta.example");
    assert_eq!(result, beta_exchanges());
    let (ani, dns) = (host(&world, "laptop-ani"), host(&world, "dns.example"));
    let query = world
        .events()
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::DnsQuery {
                host,
                frame,
                query_id,
                name,
                record_type: RecordType::Mx,
            } if *host == ani && name == "beta.example" => Some((*frame, *query_id)),
            _ => None,
        })
        .expect("laptop-ani asked for beta.example MX");
    let answer = world
        .events()
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::DnsAnswer {
                host,
                frame,
                query_id,
                rcode,
                answers,
                ..
            } if *host == dns && *query_id == query.1 => Some((*frame, *rcode, answers.clone())),
            _ => None,
        })
        .expect("dns.example answered");
    assert_eq!(answer.1, DnsRcode::NoError);
    assert_eq!(
        *answer.2,
        ["MX 10 mx1.beta.example", "MX 20 mx2.beta.example"]
    );
    // The frames the events name hold UDP datagrams to and from port 53.
    let query_bytes = world.frame(query.0).unwrap();
    assert_eq!(query_bytes[12..14], [0x08, 0x00]);
    assert_eq!(query_bytes[14 + 9], 17, "IPv4 protocol UDP");
    assert_eq!(query_bytes[14 + 20 + 2..14 + 20 + 4], 53u16.to_be_bytes());
    let answer_bytes = world.frame(answer.0).unwrap();
    assert_eq!(answer_bytes[14 + 20..14 + 20 + 2], 53u16.to_be_bytes());
    // Both ways the datagrams crossed r1 and r2.
    for router in ["r1", "r2"] {
        let r = host(&world, router);
        let forwarded = world
            .events()
            .iter()
            .filter(|e| matches!(e.kind, EventKind::PacketForwarded { host, .. } if host == r))
            .count();
        assert!(forwarded >= 2, "{router} forwarded {forwarded} packets");
    }
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::MxLookupFinished { host, domain, .. } if *host == ani && domain == "beta.example"
    )));
}

#[test]
fn mail_alpha_resolves_alpha_to_itself() {
    let mut world = World::default_world(3);
    let lookup = resolve(&mut world, "mail.alpha.example", "alpha.example");
    world.run_until_idle();
    let MxResolution::Exchanges(exchanges) = world.mx_lookup_result(lookup).unwrap() else {
        panic!("alpha.example has an MX");
    };
    assert_eq!(exchanges[0].name, "mail.alpha.example");
    let own = world
        .topology()
        .host(host(&world, "mail.alpha.example"))
        .unwrap()
        .primary_address();
    assert_eq!(exchanges[0].address, Some(own));
}

#[test]
fn an_unknown_domain_does_not_exist() {
    let (world, result) = resolved(5, "nonexistent.example");
    assert_eq!(result, MxResolution::NoSuchDomain);
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::DnsAnswer {
            rcode: DnsRcode::NameError,
            ..
        }
    )));
}

#[test]
fn a_null_mx_set_in_the_zones_means_no_mail() {
    let mut topology = Topology::default_world();
    topology
        .zones_mut()
        .set_mx("beta.example", &[(0, ".")])
        .unwrap();
    let mut world = World::new(topology, 5);
    let lookup = resolve(&mut world, "laptop-ani", "beta.example");
    world.run_until_idle();
    assert_eq!(world.mx_lookup_result(lookup), Some(&MxResolution::NullMx));
}

#[test]
fn a_dns_server_that_is_down_gives_temporary_after_one_retry() {
    let mut world = World::default_world(5);
    let dns = host(&world, "dns.example");
    world
        .apply(Command::SetHostUp {
            host: dns,
            up: false,
        })
        .unwrap();
    let started = world.now();
    let lookup = resolve(&mut world, "laptop-ani", "beta.example");
    world.run_until(SimTime::from_micros(started.as_micros() + 1_000_000));
    assert_eq!(world.mx_lookup_result(lookup), None, "still waiting");
    assert!(world.run_until_idle());
    assert_eq!(
        world.mx_lookup_result(lookup),
        Some(&MxResolution::Temporary)
    );
    let queries = world
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::DnsQuery { .. }))
        .count();
    assert_eq!(queries, 2, "the first try and one retry");
    let finished = world
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::MxLookupFinished { .. }))
        .unwrap();
    let waited = finished.at.as_micros() - started.as_micros();
    assert!(
        waited >= 2 * DNS_TIMEOUT.as_micros(),
        "gave up after {waited} µs"
    );
}

#[test]
fn the_same_seed_gives_the_same_log() {
    let (a, _) = resolved(42, "beta.example");
    let (b, _) = resolved(42, "beta.example");
    assert_eq!(a.log().stable_hash(), b.log().stable_hash());
    assert_eq!(a.pcap(), b.pcap());
    let (c, _) = resolved(43, "beta.example");
    assert_ne!(
        a.log().stable_hash(),
        c.log().stable_hash(),
        "query ids differ"
    );
}

#[test]
fn tshark_decodes_the_mx_query_and_answer() {
    let (world, _) = resolved(9, "beta.example");
    let path = std::env::temp_dir().join(format!("kurir-dns-{}.pcap", std::process::id()));
    std::fs::write(&path, world.pcap()).unwrap();
    let file = path.to_str().unwrap();
    let verbose = tshark(&[
        "-r",
        file,
        "-o",
        "udp.check_checksum:TRUE",
        "-o",
        "ip.check_checksum:TRUE",
        "-V",
    ]);
    // The Info column, as Wireshark's packet list shows it.
    let summary = tshark(&["-r", file]);
    std::fs::remove_file(&path).ok();
    for bad in [
        "Malformed",
        "Bad checksum",
        "incorrect",
        "[Checksum Status: Bad]",
    ] {
        assert!(!verbose.contains(bad), "tshark found {bad:?}");
    }
    assert!(verbose.contains("Standard query"), "{verbose}");
    assert!(verbose.contains("type MX"), "{verbose}");
    assert!(
        verbose.contains("type MX, class IN, preference 10, mx mx1.beta.example"),
        "{verbose}"
    );
    assert!(summary.contains("Standard query response"), "{summary}");
    assert!(summary.contains("MX 10 mx1.beta.example"), "{summary}");
    assert!(summary.contains("MX 20 mx2.beta.example"), "{summary}");
}
