//! The world as plain values for inspection (after turmoil's `netstat`): which hosts and
//! links are up, which TCP connections are open and in what state, what each mail server holds
//! and what each device's mail client downloaded.

use std::fmt;
use std::net::Ipv4Addr;

use super::World;
use crate::net::tcp::TcpState;
use crate::sim::id::{ConnectionId, HostId, LinkId};
use crate::sim::rng::Probability;
use crate::sim::time::SimTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostView {
    pub id: HostId,
    pub name: String,
    pub up: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkView {
    pub id: LinkId,
    pub name: String,
    pub up: bool,
    pub loss: Probability,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionView {
    pub id: ConnectionId,
    pub host: String,
    pub local: (Ipv4Addr, u16),
    pub remote: (Ipv4Addr, u16),
    pub state: TcpState,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailServerView {
    pub host: String,
    /// (address, messages held), in address order.
    pub mailboxes: Vec<(String, usize)>,
    /// Messages waiting to be relayed.
    pub outbound: usize,
}

/// What a device's mail client holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceView {
    pub host: String,
    pub messages: usize,
    /// Messages not marked `\Seen` (IMAP: on the server as last synced; POP3: on this device).
    pub unread: usize,
}

/// Everything the UI draws besides the log, at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldSnapshot {
    pub now: SimTime,
    pub hosts: Vec<HostView>,
    pub links: Vec<LinkView>,
    /// Open connections, by id.
    pub connections: Vec<ConnectionView>,
    pub mail_servers: Vec<MailServerView>,
    /// Devices whose mail client has read mail, by host.
    pub devices: Vec<DeviceView>,
}

pub(super) fn take(world: &World) -> WorldSnapshot {
    let topology = &world.topology;
    WorldSnapshot {
        now: world.now,
        hosts: topology
            .hosts()
            .map(|(id, host)| HostView {
                id,
                name: host.name.clone(),
                up: host.up,
            })
            .collect(),
        links: topology
            .links()
            .map(|(id, link)| LinkView {
                id,
                name: link.name.clone(),
                up: link.up,
                loss: link.loss,
            })
            .collect(),
        connections: world
            .connections
            .iter()
            .map(|(id, connection)| ConnectionView {
                id,
                host: topology.host_name(connection.host),
                local: connection.local,
                remote: connection.remote,
                state: connection.state(),
            })
            .collect(),
        mail_servers: world
            .mail_stores
            .iter()
            .map(|(host, store)| MailServerView {
                host: topology.host_name(host),
                mailboxes: store
                    .mailboxes()
                    .map(|(address, messages)| (address.to_string(), messages.len()))
                    .collect(),
                outbound: store.outbound().len(),
            })
            .collect(),
        devices: world
            .devices
            .iter()
            .map(|(host, device)| DeviceView {
                host: topology.host_name(host),
                messages: device.messages.len(),
                unread: device.messages.iter().filter(|m| !m.is_seen()).count(),
            })
            .collect(),
    }
}

/// A plain-text report, one section per kind of thing.
impl fmt::Display for WorldSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "at {}", self.now)?;
        writeln!(f, "hosts:")?;
        for host in &self.hosts {
            let state = if host.up { "up" } else { "DOWN" };
            writeln!(f, "  {:<20} {state}", host.name)?;
        }
        writeln!(f, "links:")?;
        for link in &self.links {
            let state = if link.up { "up" } else { "DOWN" };
            writeln!(f, "  {:<20} {state}, loss {}", link.name, link.loss)?;
        }
        writeln!(f, "connections:")?;
        if self.connections.is_empty() {
            writeln!(f, "  (none)")?;
        }
        for c in &self.connections {
            writeln!(
                f,
                "  {} {:<20} {}:{} → {}:{} {}",
                c.id, c.host, c.local.0, c.local.1, c.remote.0, c.remote.1, c.state
            )?;
        }
        writeln!(f, "mail servers:")?;
        for server in &self.mail_servers {
            writeln!(f, "  {} (outbound queue: {})", server.host, server.outbound)?;
            for (address, count) in &server.mailboxes {
                writeln!(f, "    {address}: {count} message(s)")?;
            }
        }
        if !self.devices.is_empty() {
            writeln!(f, "devices:")?;
        }
        for device in &self.devices {
            writeln!(
                f,
                "  {}: {} message(s), {} unread",
                device.host, device.messages, device.unread
            )?;
        }
        Ok(())
    }
}
