//! The frames on the wire at this moment: sent, not yet arrived. The map draws each one
//! between its sender and its receivers at the fraction of its crossing that has passed, and
//! the player slows time down to the shortest crossing in flight (`scene::playback`).
//! A frame lost on its link never starts its crossing, so it is never in flight.

use super::World;
use crate::sim::id::{FrameId, HostId, LinkId};
use crate::sim::time::{SimDuration, SimTime};
use crate::sim::topology::{InterfaceId, Topology};
use crate::wire::ethernet::MacAddress;

/// One frame crossing a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flight {
    pub frame: FrameId,
    pub link: LinkId,
    /// The sending interface.
    pub from: InterfaceId,
    /// The frame's destination MAC: one neighbour, or everyone for a broadcast.
    pub destination: MacAddress,
    /// When its first bit goes onto the wire: when it was sent, or later if its interface
    /// was still sending the frame before.
    pub sent: SimTime,
    pub arrives: SimTime,
}

impl Flight {
    /// How much of the crossing has passed at `now`, from 0 to 1.
    pub fn progress(&self, now: SimTime) -> f32 {
        let whole = self
            .arrives
            .saturating_duration_since(self.sent)
            .as_micros();
        let done = now.saturating_duration_since(self.sent).as_micros();
        (done as f32 / whole.max(1) as f32).min(1.0)
    }

    pub fn crossing(&self) -> SimDuration {
        self.arrives.saturating_duration_since(self.sent)
    }

    /// The hosts the frame is heading for: every other host on the link for a broadcast,
    /// the one with the destination MAC otherwise.
    pub fn receivers(&self, topology: &Topology) -> Vec<HostId> {
        let Some(link) = topology.link(self.link) else {
            return Vec::new();
        };
        if self.destination.is_broadcast() {
            link.ends
                .iter()
                .filter(|end| **end != self.from)
                .map(|end| end.host)
                .collect()
        } else {
            topology
                .neighbor_with_mac(self.link, self.destination)
                .map(|end| vec![end.host])
                .unwrap_or_default()
        }
    }
}

/// The frames sent lately, oldest first. Arrived ones are swept out whenever the list has
/// doubled since the last sweep, so keeping it costs nothing per frame on average.
#[derive(Clone, Debug, Default)]
pub(super) struct InFlight {
    flights: Vec<Flight>,
    sweep_at: usize,
}

/// The smallest list that is swept.
const FIRST_SWEEP: usize = 64;

impl InFlight {
    /// Adds a frame handed to its interface at `now`; it starts onto the wire at its `sent`,
    /// which is later when the interface is still sending the frame before.
    pub(super) fn sent(&mut self, now: SimTime, flight: Flight) {
        if self.flights.len() >= self.sweep_at.max(FIRST_SWEEP) {
            self.flights.retain(|f| f.arrives > now);
            self.sweep_at = 2 * self.flights.len();
        }
        self.flights.push(flight);
    }
}

impl World {
    /// The frames on the wire now: sent, and arriving later than now.
    pub fn frames_in_flight(&self) -> impl Iterator<Item = &Flight> {
        let now = self.now;
        self.in_flight
            .flights
            .iter()
            .filter(move |f| f.sent <= now && f.arrives > now)
    }

    /// The shortest whole crossing among the frames on the wire now.
    pub fn shortest_crossing_in_flight(&self) -> Option<SimDuration> {
        self.frames_in_flight().map(Flight::crossing).min()
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::time::{SimDuration, SimTime};
    use crate::sim::world::{Command, World};

    #[test]
    fn a_syn_is_in_flight_between_sending_and_arrival_then_gone() {
        let mut world = World::default_world(2);
        let laptop = world.topology().host_id("laptop-ani").unwrap();
        let mx1 = world.topology().host_id("mx1.beta.example").unwrap();
        world
            .apply(Command::Connect {
                from_host: laptop,
                to_host: mx1,
                port: 25,
            })
            .unwrap();
        // The first frame is laptop-ani's ARP request, broadcast on alpha-lan.
        let flights: Vec<_> = world.frames_in_flight().cloned().collect();
        assert_eq!(flights.len(), 1);
        let arp = &flights[0];
        assert_eq!(arp.from.host, laptop);
        let mut receivers: Vec<String> = arp
            .receivers(world.topology())
            .into_iter()
            .map(|host| world.topology().host_name(host))
            .collect();
        receivers.sort();
        assert_eq!(
            receivers,
            ["mail.alpha.example", "r1"],
            "the broadcast is heard by all"
        );
        assert_eq!(world.shortest_crossing_in_flight(), Some(arp.crossing()));
        assert_eq!(arp.progress(arp.sent), 0.0);
        let half = SimDuration::from_micros(arp.crossing().as_micros() / 2);
        world.run_until(arp.sent.checked_add(half).unwrap());
        assert!((arp.progress(world.now()) - 0.5).abs() < 0.01);
        world.run_until(arp.arrives);
        assert!(world
            .frames_in_flight()
            .all(|f| f.frame != arp.frame && f.sent >= arp.arrives));
        world.run_until_idle();
        assert_eq!(world.frames_in_flight().count(), 0);
        assert!(world.now() > SimTime::ZERO);
    }

    #[test]
    fn a_frame_sent_while_its_interface_is_busy_waits_its_turn_out_of_sight() {
        // mx1 sends its 221 and then its FIN at once: the FIN waits for the 221 to leave.
        let mut world = crate::sim::world::tests::world();
        let mail = crate::sim::world::tests::mail_to_budi(&world);
        world.apply(mail).unwrap();
        let mut waited = 0;
        while world.step() {
            let now = world.now();
            for flight in &world.in_flight.flights {
                if flight.sent > now {
                    waited += 1;
                    assert!(world.frames_in_flight().all(|f| f.frame != flight.frame));
                }
                // Each frame starts once the one before it from the same interface has left,
                // so it arrives after it too.
                let before = world
                    .in_flight
                    .flights
                    .iter()
                    .rfind(|f| f.from == flight.from && f.frame < flight.frame);
                if let Some(before) = before {
                    assert!(before.sent < flight.sent && before.arrives < flight.arrives);
                }
            }
        }
        assert!(waited > 0, "some frame had to wait for the one before it");
    }
}
