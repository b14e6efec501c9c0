//! What the map shows about one host when the learner picks it: its role and state, its
//! interfaces (name, MAC, address, link), its routing table, the DNS records it serves, the
//! mail waiting in its outbound queue and the mail in its mailboxes — all as plain text values
//! read from the world at the current moment.

use crate::sim::default_world::HostRole;
use crate::sim::id::HostId;
use crate::sim::world::{World, DNS_SERVER_NAME};

/// One interface, as `ip addr` would list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceLine {
    pub name: String,
    pub mac: String,
    /// `192.0.2.10/24`.
    pub address: String,
    pub link: String,
}

/// A message waiting in the outbound queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedLine {
    pub from: String,
    pub to: Vec<String>,
    pub attempts: u32,
}

/// Everything the host panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostCard {
    pub host: HostId,
    pub name: String,
    pub role: HostRole,
    pub up: bool,
    pub interfaces: Vec<InterfaceLine>,
    /// Connected networks first (`192.0.2.0/24 dev eth0`), then static routes
    /// (`default via 192.0.2.1`).
    pub routes: Vec<String>,
    /// The zone records a DNS server answers from, zone-file lines; empty for other hosts.
    pub dns_records: Vec<String>,
    pub queue: Vec<QueuedLine>,
    /// (address, messages) of each mailbox that holds mail.
    pub mailboxes: Vec<(String, usize)>,
}

impl HostCard {
    /// The card of `host`, or `None` when the world has no such host.
    pub fn of(world: &World, host: HostId) -> Option<HostCard> {
        let topology = world.topology();
        let spec = topology.host(host)?;
        let interfaces = spec
            .interfaces
            .iter()
            .map(|interface| InterfaceLine {
                name: interface.name.clone(),
                mac: interface.mac.to_string(),
                address: interface.address.to_string(),
                link: topology.link_name(interface.link),
            })
            .collect();
        let connected = spec
            .interfaces
            .iter()
            .map(|interface| format!("{} dev {}", interface.address.network(), interface.name));
        let routes = connected
            .chain(spec.routes.iter().map(ToString::to_string))
            .collect();
        let dns_records = if spec.name == DNS_SERVER_NAME {
            topology
                .zones()
                .zones()
                .iter()
                .flat_map(|zone| zone.records.iter().map(ToString::to_string))
                .collect()
        } else {
            Vec::new()
        };
        let queue = world
            .outbound_queue(host)
            .map(|queue| {
                queue
                    .messages()
                    .map(|message| QueuedLine {
                        from: message.reverse_path.clone(),
                        to: message
                            .recipients
                            .iter()
                            .map(|r| r.address.clone())
                            .collect(),
                        attempts: message.attempts,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mailboxes = world
            .mail_store(host)
            .map(|store| {
                store
                    .mailboxes()
                    .map(|(address, messages)| (address.to_string(), messages.len()))
                    .collect()
            })
            .unwrap_or_default();
        Some(HostCard {
            host,
            name: spec.name.clone(),
            role: spec.role,
            up: spec.up,
            interfaces,
            routes,
            dns_records,
            queue,
            mailboxes,
        })
    }
}

/// Messages `host` holds, in its outbound queue and its mailboxes, or on it as a device
/// that read mail: the map's badge. Cheap enough to ask at every step.
pub fn messages_held(world: &World, host: HostId) -> usize {
    let queued = world.outbound_queue(host).map_or(0, |queue| queue.len());
    let stored = world.mail_store(host).map_or(0, |store| {
        store.mailboxes().map(|(_, messages)| messages.len()).sum()
    });
    let on_device = world
        .device_mail(host)
        .map_or(0, |device| device.messages.len());
    queued + stored + on_device
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::default_world::ani_presses_send;
    use crate::sim::event::MailboxProtocol;
    use crate::sim::world::Command;

    fn card(world: &World, name: &str) -> HostCard {
        HostCard::of(world, world.topology().host_id(name).unwrap()).unwrap()
    }

    #[test]
    fn a_laptop_shows_its_interface_and_its_default_route() {
        let world = World::default_world(1);
        let ani = card(&world, "laptop-ani");
        assert_eq!(ani.role, HostRole::MailClient);
        assert!(ani.up);
        assert_eq!(ani.interfaces.len(), 1);
        assert_eq!(ani.interfaces[0].address, "192.0.2.10/24");
        assert_eq!(ani.interfaces[0].link, "alpha-lan");
        assert_eq!(
            ani.routes,
            ["192.0.2.0/24 dev eth0", "default via 192.0.2.1"]
        );
        assert!(ani.dns_records.is_empty());
    }

    #[test]
    fn a_router_lists_every_interface_and_the_dns_server_its_zones() {
        let world = World::default_world(1);
        assert_eq!(card(&world, "r2").interfaces.len(), 3);
        let dns = card(&world, "dns.example");
        assert!(dns
            .dns_records
            .iter()
            .any(|record| record.contains("MX") && record.contains("mx1.beta.example")));
    }

    #[test]
    fn delivered_mail_shows_up_in_the_mailbox_count() {
        let mut world = World::default_world(1);
        let send = ani_presses_send(world.topology(), &["citra@alpha.example"], "Halo", "Hai");
        world.apply(send.unwrap()).unwrap();
        world.run_until_idle();
        let server = card(&world, "mail.alpha.example");
        assert_eq!(server.mailboxes, [("citra@alpha.example".to_string(), 1)]);
        assert_eq!(messages_held(&world, server.host), 1);
        assert!(server.queue.is_empty());
    }

    #[test]
    fn mail_downloaded_with_pop3_moves_from_the_servers_badge_to_the_devices() {
        let mut world = World::default_world(1);
        let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Halo", "Hai");
        world.apply(send.unwrap()).unwrap();
        world.run_until_idle();
        let host = |name| world.topology().host_id(name).unwrap();
        let (mx1, laptop) = (host("mx1.beta.example"), host("laptop-budi"));
        assert_eq!(messages_held(&world, mx1), 1);
        assert_eq!(messages_held(&world, laptop), 0);
        world
            .apply(Command::CheckMail {
                host: laptop,
                server: mx1,
                user: "budi".into(),
                password: "budi123".into(),
                protocol: MailboxProtocol::Pop3,
                keep_on_server: false,
                actions: Vec::new(),
            })
            .unwrap();
        world.run_until_idle();
        assert_eq!(messages_held(&world, mx1), 0);
        assert_eq!(messages_held(&world, laptop), 1);
    }

    #[test]
    fn a_switched_off_host_says_so_and_an_unknown_one_has_no_card() {
        let mut world = World::default_world(1);
        let r2 = world.topology().host_id("r2").unwrap();
        world
            .apply(Command::SetHostUp {
                host: r2,
                up: false,
            })
            .unwrap();
        assert!(!card(&world, "r2").up);
        assert!(HostCard::of(&world, HostId(999)).is_none());
    }
}
