//! The lower layers of every host: frames on links, ARP (RFC 826), IPv4 sending and router
//! forwarding (RFC 791, RFC 1812 §5.3.1), and handing TCP segments to connections.
//!
//! A next hop that does not answer ARP is given up on as a real host does (RFC 1122 §2.3.2.2:
//! the queue of waiting packets is small and must not be kept forever; Linux asks 3 times,
//! 1 s apart): after [`ARP_TRIES`] unanswered requests its waiting packets are dropped, each
//! logged as `PacketDropped`, and the next packet for it starts asking afresh.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv4Addr;

use super::in_flight::Flight;
use super::{Due, World, MSS};
use crate::net::tcp::{reply_to_closed_port, TcpConnection};
use crate::sim::event::{EventKind, FrameLoss, Text};
use crate::sim::id::{ConnectionId, FrameId, HostId};
use crate::sim::queue::EventId;
use crate::sim::time::{SimDuration, SimTime};
use crate::sim::topology::{InterfaceId, NextHop, RouteError};
use crate::wire::arp::{ArpOperation, ArpPacket, ArpRepr};
use crate::wire::ethernet::{self, EtherType, EthernetRepr, Frame, MacAddress};
use crate::wire::ipv4::{self, IpProtocol, Ipv4Repr, Packet};
use crate::wire::tcp::{TcpPacket, TcpRepr};
use crate::wire::udp::{UdpPacket, UdpRepr};
use rustc_hash::FxBuildHasher;

/// How long a host waits for an ARP reply before it asks again (Linux `retrans_time_ms`).
const ARP_RETRY: SimDuration = SimDuration::from_secs(1);
/// Requests sent for one address before its waiting packets are dropped (Linux
/// `mcast_solicit`).
const ARP_TRIES: u8 = 3;
/// Packets kept per unresolved address; the oldest is dropped beyond this.
const ARP_QUEUE_LIMIT: usize = 3;

/// Arrival lanes in the event queue per host: one per interface, the last shared by any beyond
/// (a shared lane is only slower, never out of order).
const LANES_PER_HOST: usize = 4;

/// The event queue's arrival lane for the frames `interface` sends: they arrive in the order
/// it sent them, one at a time on its wire.
fn arrival_lane(interface: InterfaceId) -> usize {
    interface.host.index() * LANES_PER_HOST + interface.index.min(LANES_PER_HOST - 1)
}

/// An IPv4 packet waiting for its next hop's MAC.
#[derive(Clone, Debug)]
struct PendingPacket {
    bytes: Vec<u8>,
    /// For a forwarded packet: the frame it came in and its TTL before and after.
    forwarded: Option<(FrameId, u8, u8)>,
    /// An event to log once the packet leaves in a frame, with that frame's id filled in
    /// (a DNS query may first wait for ARP, so its frame id is not known when it is made).
    announce: Option<EventKind>,
}

/// Who waits for one ARP answer, and how often it was asked for.
#[derive(Clone, Debug)]
struct ArpWait {
    /// Requests sent so far.
    tries: u8,
    /// The last request, for the log of a drop.
    last_request: FrameId,
    /// When to ask again or give up.
    timer: EventId,
    packets: Vec<PendingPacket>,
}

/// A TCP flow as a host sees it: (local address, local port, remote address, remote port).
pub(super) type FlowKey = (Ipv4Addr, u16, Ipv4Addr, u16);

/// One host's network state.
#[derive(Clone, Debug, Default)]
pub(super) struct HostStack {
    arp_cache: BTreeMap<Ipv4Addr, MacAddress>,
    arp_waits: BTreeMap<Ipv4Addr, ArpWait>,
    /// (local address, local port, remote address, remote port) → connection. Hashed, as
    /// every segment looks its connection up here; nothing depends on its order.
    pub(super) connections: HashMap<FlowKey, ConnectionId, FxBuildHasher>,
    /// Next hops found so far, by destination address. The world never changes interfaces
    /// or routes once built, so an answer [`Topology::route`](crate::sim::topology::Topology::route)
    /// gave stays true.
    routes: HashMap<u32, NextHop, FxBuildHasher>,
    next_ephemeral: u16,
    next_identification: u16,
    /// When each interface (by index) finishes putting its last frame on the wire: an
    /// interface sends one frame at a time, so a frame handed to it while it is busy waits
    /// its turn, and frames leave (and arrive) in the order they were sent.
    sending_until: Vec<SimTime>,
}

impl HostStack {
    /// Reserves the wire of interface `index` for `on_the_wire`, from `now` or once the
    /// frame before has left, whichever is later; returns when this frame starts.
    fn reserve_wire(&mut self, index: usize, now: SimTime, on_the_wire: SimDuration) -> SimTime {
        if self.sending_until.len() <= index {
            self.sending_until.resize(index + 1, SimTime::ZERO);
        }
        let start = now.max(self.sending_until[index]);
        self.sending_until[index] = start.checked_add(on_the_wire).unwrap_or(SimTime::MAX);
        start
    }

    /// The next ephemeral port, counting up from 49152 and wrapping.
    pub(super) fn ephemeral_port(&mut self) -> u16 {
        let port = super::FIRST_EPHEMERAL_PORT + self.next_ephemeral;
        self.next_ephemeral = (self.next_ephemeral + 1) % (u16::MAX - super::FIRST_EPHEMERAL_PORT);
        port
    }
}

impl World {
    /// A host was switched off: everything it knew is gone.
    pub(super) fn forget_host_state(&mut self, host: HostId) {
        let Some(stack) = self.stacks.get_mut(host.index()) else {
            return;
        };
        // In flow order, as the log of what ends with them must not depend on hashing.
        let mut flows: Vec<(FlowKey, ConnectionId)> = stack
            .connections
            .iter()
            .map(|(&key, &id)| (key, id))
            .collect();
        flows.sort_unstable();
        let connections: Vec<ConnectionId> = flows.into_iter().map(|(_, id)| id).collect();
        let arp_timers: Vec<EventId> = stack.arp_waits.values().map(|w| w.timer).collect();
        *stack = HostStack {
            next_ephemeral: stack.next_ephemeral,
            next_identification: stack.next_identification,
            ..HostStack::default()
        };
        for id in connections {
            self.drop_connection(id);
        }
        for timer in arp_timers {
            self.queue.cancel(timer);
        }
        self.abandon_lookups(host);
    }

    // ---- sending ----

    /// Sends a TCP segment from `host` as an IPv4 packet.
    pub(super) fn send_segment(
        &mut self,
        host: HostId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        segment: &TcpRepr,
    ) {
        // The TCP checksum covers a length that must fit 16 bits; a longer segment cannot be
        // emitted at all.
        if u16::try_from(segment.buffer_len()).is_err() {
            return;
        }
        self.send_ip_with(
            host,
            (src, dst, IpProtocol::Tcp),
            segment.buffer_len(),
            |bytes| {
                // Cannot fail: the buffer has the segment's length, checked above.
                let _ = segment.emit(&mut TcpPacket::new_unchecked(bytes), src, dst);
            },
            None,
        );
    }

    /// Sends `payload` from `host` in an IPv4 packet; `announce` is logged with the frame the
    /// packet leaves in.
    pub(super) fn send_ip(
        &mut self,
        host: HostId,
        src: Ipv4Addr,
        dst: Ipv4Addr,
        protocol: IpProtocol,
        payload: &[u8],
        announce: Option<EventKind>,
    ) {
        self.send_ip_with(
            host,
            (src, dst, protocol),
            payload.len(),
            |bytes| bytes.copy_from_slice(payload),
            announce,
        );
    }

    /// Builds an IPv4 packet of `payload_len` bytes of payload, which `write_payload` fills
    /// in, in a lent buffer, and sends it on: the packet is built once and copied once, into
    /// the frame store.
    fn send_ip_with(
        &mut self,
        host: HostId,
        (src, dst, protocol): (Ipv4Addr, Ipv4Addr, IpProtocol),
        payload_len: usize,
        write_payload: impl FnOnce(&mut [u8]),
        announce: Option<EventKind>,
    ) {
        let stack = &mut self.stacks[host.index()];
        let identification = stack.next_identification;
        stack.next_identification = identification.wrapping_add(1);
        let header = Ipv4Repr {
            src_addr: src,
            dst_addr: dst,
            protocol,
            payload_len,
            ttl: Ipv4Repr::DEFAULT_TTL,
            identification,
            dont_fragment: true,
        };
        if u16::try_from(header.buffer_len()).is_err() {
            return;
        }
        let mut packet = self.frames.lend_buffer();
        packet.resize(header.buffer_len(), 0);
        if header
            .emit(&mut Packet::new_unchecked(&mut packet[..]))
            .is_ok()
        {
            write_payload(&mut packet[ipv4::HEADER_LEN..]);
            self.route_packet(host, &packet, None, announce);
        }
        self.frames.return_buffer(packet);
    }

    /// Sends an IPv4 packet on towards its destination: finds the next hop, then its MAC.
    /// `forwarded` is set for a packet a router passes on: the frame it came in and its TTL
    /// before and after.
    fn route_packet(
        &mut self,
        host: HostId,
        packet: &[u8],
        forwarded: Option<(FrameId, u8, u8)>,
        announce: Option<EventKind>,
    ) {
        let view = Packet::new_unchecked(packet);
        let (source, destination) = (view.src_addr(), view.dst_addr());
        let next = match self.route(host, destination) {
            Ok(next) => next,
            Err(error) => {
                if let Some((frame, ..)) = forwarded {
                    self.record(EventKind::PacketDropped {
                        host,
                        frame,
                        source,
                        destination,
                        reason: error.to_string().into(),
                    });
                }
                return;
            }
        };
        match self.stacks[host.index()]
            .arp_cache
            .get(&next.address)
            .copied()
        {
            Some(mac) => self.emit_ip_frame(next.interface, mac, packet, forwarded, announce),
            None => self.wait_for_arp(
                next.interface,
                next.address,
                PendingPacket {
                    bytes: packet.to_vec(),
                    forwarded,
                    announce,
                },
            ),
        }
    }

    /// Where `host` sends a packet for `destination`, as
    /// [`Topology::route`](crate::sim::topology::Topology::route) says; asked once
    /// per destination and remembered.
    fn route(&mut self, host: HostId, destination: Ipv4Addr) -> Result<NextHop, RouteError> {
        let key = u32::from(destination);
        if let Some(&next) = self.stacks[host.index()].routes.get(&key) {
            return Ok(next);
        }
        let next = self.topology.route(host, destination)?;
        self.stacks[host.index()].routes.insert(key, next);
        Ok(next)
    }

    fn emit_ip_frame(
        &mut self,
        interface: InterfaceId,
        mac: MacAddress,
        packet: &[u8],
        forwarded: Option<(FrameId, u8, u8)>,
        announce: Option<EventKind>,
    ) {
        let frame = self.transmit(interface, mac, EtherType::Ipv4, packet);
        if let Some(mut event) = announce {
            if let EventKind::DnsQuery { frame: sent, .. }
            | EventKind::DnsAnswer { frame: sent, .. } = &mut event
            {
                *sent = frame;
            }
            self.record(event);
        }
        if let Some((received, ttl_before, ttl_after)) = forwarded {
            let view = Packet::new_unchecked(packet);
            self.record(EventKind::PacketForwarded {
                host: interface.host,
                received,
                sent: frame,
                source: view.src_addr(),
                destination: view.dst_addr(),
                ttl_before,
                ttl_after,
            });
        }
    }

    /// Queues a packet until `address` answers; the first packet sends the question and
    /// starts the retry timer, later ones only wait (the oldest goes beyond the limit).
    fn wait_for_arp(&mut self, interface: InterfaceId, address: Ipv4Addr, pending: PendingPacket) {
        let stack = &mut self.stacks[interface.host.index()];
        if let Some(wait) = stack.arp_waits.get_mut(&address) {
            wait.packets.push(pending);
            if wait.packets.len() > ARP_QUEUE_LIMIT {
                wait.packets.remove(0);
            }
            return;
        }
        let Some(last_request) = self.send_arp_request(interface, address) else {
            return;
        };
        let timer = self.schedule_arp_timer(interface, address);
        self.stacks[interface.host.index()].arp_waits.insert(
            address,
            ArpWait {
                tries: 1,
                last_request,
                timer,
                packets: vec![pending],
            },
        );
    }

    /// No answer from `address` within [`ARP_RETRY`]: ask again, or after [`ARP_TRIES`]
    /// requests drop what waited for it (the host is unreachable).
    pub(super) fn arp_timer_fires(&mut self, interface: InterfaceId, address: Ipv4Addr) {
        let stack = &mut self.stacks[interface.host.index()];
        let Some(wait) = stack.arp_waits.get(&address) else {
            return;
        };
        if wait.tries < ARP_TRIES {
            let Some(request) = self.send_arp_request(interface, address) else {
                return;
            };
            let timer = self.schedule_arp_timer(interface, address);
            if let Some(wait) = self.stacks[interface.host.index()]
                .arp_waits
                .get_mut(&address)
            {
                wait.tries += 1;
                wait.last_request = request;
                wait.timer = timer;
            }
            return;
        }
        let Some(wait) = stack.arp_waits.remove(&address) else {
            return;
        };
        let reason = Text::from(format!(
            "host unreachable: no ARP reply from {address} after {} requests",
            wait.tries
        ));
        for pending in wait.packets {
            let packet = Packet::new_unchecked(&pending.bytes[..]);
            self.record(EventKind::PacketDropped {
                host: interface.host,
                // A forwarded packet names the frame it came in; a packet of the host's own,
                // the request that went unanswered.
                frame: pending
                    .forwarded
                    .map_or(wait.last_request, |(frame, ..)| frame),
                source: packet.src_addr(),
                destination: packet.dst_addr(),
                reason: reason.clone(),
            });
        }
    }

    fn schedule_arp_timer(&mut self, interface: InterfaceId, address: Ipv4Addr) -> EventId {
        let at = self.now.checked_add(ARP_RETRY).unwrap_or(SimTime::MAX);
        self.queue
            .schedule(at, Due::ArpTimer { interface, address })
    }

    /// Broadcasts "who has `address`?" from `interface`; the frame, or `None` for an interface
    /// the topology does not know.
    fn send_arp_request(&mut self, interface: InterfaceId, address: Ipv4Addr) -> Option<FrameId> {
        let own = self.topology.interface(interface).cloned()?;
        let request = ArpRepr::request(own.mac, own.address.address(), address);
        let frame = self.transmit(
            interface,
            MacAddress::BROADCAST,
            EtherType::Arp,
            &request.to_bytes(),
        );
        self.record(EventKind::ArpRequest {
            host: interface.host,
            frame,
            sender: own.address.address(),
            target: address,
        });
        Some(frame)
    }

    /// Puts a frame on the interface's link: stored, logged, and scheduled to arrive at every
    /// receiver unless it is lost.
    fn transmit(
        &mut self,
        interface: InterfaceId,
        destination: MacAddress,
        ethertype: EtherType,
        payload: &[u8],
    ) -> FrameId {
        let host = interface.host;
        let own = self
            .topology
            .interface(interface)
            .expect("frames leave from interfaces the topology gave out");
        let (source, link) = (own.mac, own.link);
        let mut header = [0u8; ethernet::HEADER_LEN];
        EthernetRepr {
            src_addr: source,
            dst_addr: destination,
            ethertype,
        }
        .emit(&mut Frame::new_unchecked(&mut header[..]));
        let frame = self.frames.push(link, self.now, &[&header, payload]);
        let length = header.len() + payload.len();
        self.record(EventKind::FrameSent {
            host,
            link,
            frame,
            source,
            destination,
            ethertype: ethertype.into(),
            bytes: length as u32,
        });
        let topology = &self.topology;
        let Some(spec) = topology.link(link) else {
            return frame;
        };
        let is_up = |end: InterfaceId| topology.host(end.host).is_some_and(|h| h.up);
        // The ends that would take the frame and are up: every other end for a broadcast,
        // the one with the destination MAC otherwise.
        let broadcast = destination.is_broadcast();
        let unicast_receiver = if broadcast {
            None
        } else {
            topology
                .neighbor_with_mac(link, destination)
                .filter(|&end| is_up(end))
        };
        let takes_broadcast = |end: InterfaceId| end != interface && is_up(end);
        let anyone_receives = if broadcast {
            spec.ends.iter().any(|&end| takes_broadcast(end))
        } else {
            unicast_receiver.is_some()
        };
        let on_the_wire = SimDuration::to_transmit(length as u64 * 8, spec.bits_per_second);
        // A frame on an up link takes the wire even if noise spoils it or no one takes it.
        let start = if spec.up {
            self.stacks[host.index()].reserve_wire(interface.index, self.now, on_the_wire)
        } else {
            self.now
        };
        let cause = if !spec.up {
            Some(FrameLoss::LinkDown)
        } else if self.rng.chance(spec.loss) {
            Some(FrameLoss::Noise)
        } else if !anyone_receives {
            Some(FrameLoss::NoReceiver)
        } else {
            None
        };
        if let Some(cause) = cause {
            self.record(EventKind::FrameLost {
                host,
                link,
                frame,
                cause,
            });
            return frame;
        }
        let arrival = start
            .checked_add(on_the_wire)
            .and_then(|t| t.checked_add(spec.latency))
            .unwrap_or(SimTime::MAX);
        let lane = arrival_lane(interface);
        if broadcast {
            for &to in &spec.ends {
                if takes_broadcast(to) {
                    self.queue
                        .schedule_arrival(arrival, lane, Due::FrameArrives { frame, to });
                }
            }
        } else if let Some(to) = unicast_receiver {
            self.queue
                .schedule_arrival(arrival, lane, Due::FrameArrives { frame, to });
        }
        self.in_flight.sent(
            self.now,
            Flight {
                frame,
                link,
                from: interface,
                destination,
                sent: start,
                arrives: arrival,
            },
        );
        frame
    }

    // ---- receiving ----

    pub(super) fn frame_arrives(&mut self, frame: FrameId, to: InterfaceId) {
        let host = to.host;
        let Some(link) = self.frames.link(frame) else {
            return;
        };
        if !self.host_is_up(host) || !self.topology.link(link).is_some_and(|l| l.up) {
            let cause = if self.host_is_up(host) {
                FrameLoss::LinkDown
            } else {
                FrameLoss::NoReceiver
            };
            self.record(EventKind::FrameLost {
                host,
                link,
                frame,
                cause,
            });
            return;
        }
        self.record(EventKind::FrameReceived { host, link, frame });
        // Handling the frame may send others (and so add to the frame store, which a borrow of
        // the stored bytes would forbid): the receiver reads a copy in a lent buffer, which a
        // router also rewrites into the packet it passes on.
        let mut bytes = self.frames.lend_buffer();
        bytes.extend_from_slice(self.frames.bytes(frame).unwrap_or_default());
        if let Ok(mut ethernet) = Frame::new_checked(&mut bytes[..]) {
            match ethernet.ethertype() {
                EtherType::Arp => self.arp_arrives(to, ethernet.payload()),
                EtherType::Ipv4 => self.ip_arrives(to, frame, ethernet.payload_mut()),
                EtherType::Unknown(_) => {}
            }
        }
        self.frames.return_buffer(bytes);
    }

    fn arp_arrives(&mut self, to: InterfaceId, payload: &[u8]) {
        let Ok(packet) = ArpPacket::new_checked(payload) else {
            return;
        };
        let Ok(arp) = ArpRepr::parse(&packet) else {
            return;
        };
        let Some(own) = self.topology.interface(to).cloned() else {
            return;
        };
        if arp.target_protocol_addr != own.address.address() {
            return;
        }
        // RFC 826 "merge": the asker's address is learnt from its question.
        self.learn(to, arp.sender_protocol_addr, arp.sender_hardware_addr);
        if arp.operation == ArpOperation::Request {
            let reply = ArpRepr::reply_to(&arp, own.mac);
            let frame = self.transmit(
                to,
                arp.sender_hardware_addr,
                EtherType::Arp,
                &reply.to_bytes(),
            );
            self.record(EventKind::ArpReply {
                host: to.host,
                frame,
                address: own.address.address(),
                mac: own.mac,
            });
        }
    }

    /// Remembers a neighbour's MAC and sends what waited for it.
    fn learn(&mut self, interface: InterfaceId, address: Ipv4Addr, mac: MacAddress) {
        let stack = &mut self.stacks[interface.host.index()];
        stack.arp_cache.insert(address, mac);
        if let Some(wait) = stack.arp_waits.remove(&address) {
            self.queue.cancel(wait.timer);
            for pending in wait.packets {
                self.emit_ip_frame(
                    interface,
                    mac,
                    &pending.bytes,
                    pending.forwarded,
                    pending.announce,
                );
            }
        }
    }

    fn ip_arrives(&mut self, to: InterfaceId, frame: FrameId, payload: &mut [u8]) {
        let host = to.host;
        let Ok(packet) = Packet::new_checked(&payload[..]) else {
            return;
        };
        let Ok(header) = Ipv4Repr::parse(&packet) else {
            return;
        };
        let Some(spec) = self.topology.host(host) else {
            return;
        };
        if spec.owns(header.dst_addr) {
            match header.protocol {
                IpProtocol::Tcp => {
                    let Ok(tcp) = TcpPacket::new_checked(packet.payload()) else {
                        return;
                    };
                    if let Ok(segment) = TcpRepr::parse(&tcp, header.src_addr, header.dst_addr) {
                        self.segment_arrives(host, header.src_addr, header.dst_addr, segment);
                    }
                }
                IpProtocol::Udp => {
                    let Ok(udp) = UdpPacket::new_checked(packet.payload()) else {
                        return;
                    };
                    if let Ok(datagram) = UdpRepr::parse(&udp, header.src_addr, header.dst_addr) {
                        self.datagram_arrives(host, header.src_addr, header.dst_addr, datagram);
                    }
                }
                _ => {}
            }
            return;
        }
        if !spec.forwards() {
            return;
        }
        let total_len = usize::from(packet.total_len());
        let bytes = &mut payload[..total_len];
        let ttl_before = header.ttl;
        match Packet::new_unchecked(&mut *bytes).decrement_ttl() {
            Some(ttl_after) => {
                self.route_packet(host, bytes, Some((frame, ttl_before, ttl_after)), None);
            }
            None => self.record(EventKind::PacketDropped {
                host,
                frame,
                source: header.src_addr,
                destination: header.dst_addr,
                reason: "TTL exceeded in transit".into(),
            }),
        }
    }

    /// A segment for `host`: to its connection, to a new server session, or refused.
    fn segment_arrives(&mut self, host: HostId, src: Ipv4Addr, dst: Ipv4Addr, segment: TcpRepr) {
        let key = (dst, segment.dst_port, src, segment.src_port);
        if let Some(&id) = self.stacks[host.index()].connections.get(&key) {
            self.segment_for_connection(id, segment);
            return;
        }
        let is_opening = segment.flags.syn && !segment.flags.ack && !segment.flags.rst;
        if is_opening && self.listeners.contains_key(&(host, segment.dst_port)) {
            let iss = self.rng.next_u32();
            let tcp = TcpConnection::listen(segment.dst_port, iss, MSS);
            let id = self.open_server_session(host, key, tcp);
            self.segment_for_connection(id, segment);
            return;
        }
        if let Some(reset) = reply_to_closed_port(&segment) {
            self.send_segment(host, dst, src, &reset);
        }
    }
}
