//! What moves on the map at the current moment, as SVG markup: in the packet view every frame
//! on the wire, a dot coloured by protocol on its way from sender to receiver (with its TTL
//! when it carries IPv4); in the mail view every message between two mail agents, an envelope
//! on the straight line from client to server. Positions are pure functions of the world's
//! virtual time: draw the same moment twice and the picture is the same.

use std::fmt::Write;

use super::layout::{MapLayout, Point};
use super::mail_hops::mail_hops;
use super::map_svg::px;
use crate::sim::world::World;
use crate::wire::ethernet::{EtherType, Frame};
use crate::wire::ipv4::{IpProtocol, Packet};
use crate::wire::tcp::TcpPacket;
use crate::wire::udp::UdpPacket;

/// Which map the learner looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapView {
    /// Only mail agents; messages move as envelopes, hop by hop.
    Mail,
    /// Every frame on every link.
    Packets,
}

/// What a frame carries, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carried {
    Arp,
    Dns,
    Smtp,
    /// TCP without payload to or from an SMTP port counts as SMTP too; other TCP is this.
    Tcp,
    Other,
}

impl Carried {
    /// The CSS modifier: `kr-map__frame--smtp`.
    pub fn class(self) -> &'static str {
        match self {
            Carried::Arp => "arp",
            Carried::Dns => "dns",
            Carried::Smtp => "smtp",
            Carried::Tcp => "tcp",
            Carried::Other => "other",
        }
    }
}

/// The SMTP ports the world listens on (RFC 5321 relay, RFC 6409 submission).
const SMTP_PORTS: [u16; 2] = [25, 587];
const DNS_PORT: u16 = 53;

/// What `bytes` (a whole Ethernet frame) carries, and its IPv4 TTL if any.
pub fn classify(bytes: &[u8]) -> (Carried, Option<u8>) {
    let Ok(frame) = Frame::new_checked(bytes) else {
        return (Carried::Other, None);
    };
    match frame.ethertype() {
        EtherType::Arp => (Carried::Arp, None),
        EtherType::Ipv4 => {
            let Ok(packet) = Packet::new_checked(frame.payload()) else {
                return (Carried::Other, None);
            };
            let ttl = Some(packet.ttl());
            let carried = match packet.protocol() {
                IpProtocol::Udp => match UdpPacket::new_checked(packet.payload()) {
                    Ok(udp) if udp.src_port() == DNS_PORT || udp.dst_port() == DNS_PORT => {
                        Carried::Dns
                    }
                    _ => Carried::Other,
                },
                IpProtocol::Tcp => match TcpPacket::new_checked(packet.payload()) {
                    Ok(tcp)
                        if SMTP_PORTS.contains(&tcp.src_port())
                            || SMTP_PORTS.contains(&tcp.dst_port()) =>
                    {
                        Carried::Smtp
                    }
                    Ok(_) => Carried::Tcp,
                    Err(_) => Carried::Other,
                },
                _ => Carried::Other,
            };
            (carried, ttl)
        }
        _ => (Carried::Other, None),
    }
}

/// One frame drawn on its way to one receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameMark {
    pub at: Point,
    pub carried: Carried,
    pub ttl: Option<u8>,
}

/// One message drawn between two mail agents.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeMark {
    pub at: Point,
    /// The host adding its `Received:` line when the envelope arrives.
    pub to: String,
}

/// Every frame on the wire now, at its place.
pub fn frame_marks(world: &World, layout: &MapLayout) -> Vec<FrameMark> {
    let now = world.now();
    let mut marks = Vec::new();
    for flight in world.frames_in_flight() {
        let (carried, ttl) = world
            .frame(flight.frame)
            .map_or((Carried::Other, None), classify);
        let progress = flight.progress(now);
        for receiver in flight.receivers(world.topology()) {
            if let Some(path) = layout.path(flight.link, flight.from.host, receiver) {
                marks.push(FrameMark {
                    at: path.point_at(progress),
                    carried,
                    ttl,
                });
            }
        }
    }
    marks
}

/// Every message between two mail agents now, at its place.
pub fn envelope_marks(world: &World, layout: &MapLayout) -> Vec<EnvelopeMark> {
    let now = world.now();
    mail_hops(world.events())
        .into_iter()
        .filter_map(|hop| {
            let progress = hop.progress(now)?;
            if progress >= 1.0 {
                return None;
            }
            let from = layout.host(hop.from)?.at;
            let to = layout.host(hop.to)?;
            Some(EnvelopeMark {
                at: Point::new(
                    from.x + (to.at.x - from.x) * progress,
                    from.y + (to.at.y - from.y) * progress,
                ),
                to: to.name.clone(),
            })
        })
        .collect()
}

/// The moving things of `view` as SVG elements (no wrapper).
pub fn draw(world: &World, layout: &MapLayout, view: MapView) -> String {
    let mut svg = String::new();
    match view {
        MapView::Packets => {
            for mark in frame_marks(world, layout) {
                let _ = write!(
                    svg,
                    r#"<g class="kr-map__frame kr-map__frame--{}" transform="translate({} {})"><circle r="7"/>"#,
                    mark.carried.class(),
                    px(mark.at.x),
                    px(mark.at.y)
                );
                if let Some(ttl) = mark.ttl {
                    let _ = write!(svg, r#"<text x="10" y="-8">TTL {ttl}</text>"#);
                }
                svg.push_str("</g>");
            }
        }
        MapView::Mail => {
            for mark in envelope_marks(world, layout) {
                let _ = write!(
                    svg,
                    r#"<g class="kr-map__envelope" transform="translate({} {})"><rect x="-14" y="-10" width="28" height="20" rx="2"/><path d="M-14 -10 L0 2 L14 -10"/></g>"#,
                    px(mark.at.x),
                    px(mark.at.y)
                );
            }
        }
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::default_world::ani_presses_send;
    use crate::sim::time::SimDuration;

    fn world_sending_ani_to_budi() -> World {
        let mut world = World::default_world(4);
        let send = ani_presses_send(
            world.topology(),
            &["budi@beta.example"],
            "Halo",
            "Apa kabar?",
        );
        world.apply(send.unwrap()).unwrap();
        world
    }

    #[test]
    fn the_first_frame_is_an_arp_broadcast_heard_by_two_hosts() {
        let world = world_sending_ani_to_budi();
        let layout = MapLayout::of(world.topology());
        let marks = frame_marks(&world, &layout);
        assert_eq!(marks.len(), 2);
        assert!(marks
            .iter()
            .all(|m| m.carried == Carried::Arp && m.ttl.is_none()));
        let ani = layout
            .host(world.topology().host_id("laptop-ani").unwrap())
            .unwrap()
            .at;
        assert!(marks.iter().all(|m| m.at == ani), "at the sender when sent");
    }

    #[test]
    fn a_frame_crossing_r2_shows_its_ttl_dropping_on_the_way() {
        let mut world = world_sending_ani_to_budi();
        let layout = MapLayout::of(world.topology());
        let mut ttls = std::collections::BTreeSet::new();
        let mut kinds = std::collections::BTreeSet::new();
        for _ in 0..2_000 {
            if !world.step() {
                break;
            }
            for mark in frame_marks(&world, &layout) {
                kinds.insert(mark.carried.class());
                if mark.carried == Carried::Smtp {
                    ttls.extend(mark.ttl);
                }
            }
        }
        assert!(ttls.contains(&64) && ttls.contains(&63) && ttls.contains(&62));
        for kind in ["arp", "dns", "smtp"] {
            assert!(kinds.contains(kind), "{kind} never seen: {kinds:?}");
        }
    }

    #[test]
    fn in_the_mail_view_an_envelope_moves_from_alpha_to_mx1() {
        let mut world = world_sending_ani_to_budi();
        let layout = MapLayout::of(world.topology());
        let alpha = layout
            .host(world.topology().host_id("mail.alpha.example").unwrap())
            .unwrap()
            .at;
        let mut seen_towards_mx1 = Vec::new();
        while world.step() {
            for mark in envelope_marks(&world, &layout) {
                if mark.to == "mx1.beta.example" {
                    seen_towards_mx1.push(mark.at.x);
                }
            }
        }
        assert!(!seen_towards_mx1.is_empty());
        assert!(seen_towards_mx1.iter().all(|&x| x >= alpha.x));
        assert!(
            seen_towards_mx1.windows(2).all(|w| w[0] <= w[1]),
            "the envelope only moves forward"
        );
        let svg = draw(&world, &layout, MapView::Mail);
        assert!(
            !svg.contains("kr-map__envelope"),
            "nothing moves once delivered"
        );
        world.run_until(world.now() + SimDuration::from_secs(1));
        assert!(draw(&world, &layout, MapView::Packets).is_empty());
    }

    #[test]
    fn garbage_is_classified_as_other() {
        assert_eq!(classify(&[1, 2, 3]), (Carried::Other, None));
    }
}
