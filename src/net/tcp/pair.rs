//! Two connections wired together in memory under virtual time, for end-to-end tests (the
//! shape of quinn-proto's test `Pair`): `step` jumps to the next delivery or timer, `drive`
//! runs until nothing is left to happen. A drop rule can lose chosen segments.

use std::collections::VecDeque;

use super::{TcpConnection, TcpEvent, TcpState};
use crate::wire::tcp::TcpRepr;

/// One-way delay of the in-memory wire, µs.
pub const LATENCY_US: u64 = 10_000;
pub const CLIENT_PORT: u16 = 49_152;
pub const SERVER_PORT: u16 = 25;
pub const CLIENT_ISS: u32 = 1000;
pub const SERVER_ISS: u32 = 5000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

/// A segment as it left one side.
#[derive(Clone, Debug)]
pub struct Transmission {
    pub at: u64,
    pub from: Side,
    pub segment: TcpRepr,
    pub dropped: bool,
}

/// Decides whether a segment leaving `Side` is lost.
pub type DropRule = Box<dyn FnMut(Side, &TcpRepr) -> bool>;

/// Everything one side's application saw.
#[derive(Default)]
pub struct Observed {
    pub events: Vec<TcpEvent>,
    pub received: Vec<u8>,
}

impl Observed {
    pub fn states(&self) -> Vec<TcpState> {
        let mut states = Vec::new();
        for event in &self.events {
            if let TcpEvent::StateChanged { from, to } = event {
                if states.is_empty() {
                    states.push(*from);
                }
                states.push(*to);
            }
        }
        states
    }

    /// The events other than state changes.
    pub fn signals(&self) -> Vec<TcpEvent> {
        self.events
            .iter()
            .filter(|event| !matches!(event, TcpEvent::StateChanged { .. }))
            .filter(|event| !matches!(event, TcpEvent::DataReceived { .. }))
            .cloned()
            .collect()
    }
}

pub struct Pair {
    pub client: TcpConnection,
    pub server: TcpConnection,
    pub now: u64,
    pub wire: Vec<Transmission>,
    pub client_seen: Observed,
    pub server_seen: Observed,
    /// Whether the server's application reads what arrives (a full buffer closes the window).
    pub server_reads: bool,
    drop_rule: DropRule,
    in_flight: VecDeque<(u64, Side, TcpRepr)>,
}

impl Pair {
    /// A client connecting from port 49152 (ISS 1000) to a server listening on 25 (ISS 5000).
    pub fn new(client_mss: u16, server_mss: u16) -> Self {
        Pair {
            client: TcpConnection::connect(CLIENT_PORT, SERVER_PORT, CLIENT_ISS, client_mss),
            server: TcpConnection::listen(SERVER_PORT, SERVER_ISS, server_mss),
            now: 0,
            wire: Vec::new(),
            client_seen: Observed::default(),
            server_seen: Observed::default(),
            server_reads: true,
            drop_rule: Box::new(|_, _| false),
            in_flight: VecDeque::new(),
        }
    }

    pub fn with_drop_rule(mut self, rule: impl FnMut(Side, &TcpRepr) -> bool + 'static) -> Self {
        self.drop_rule = Box::new(rule);
        self
    }

    /// Moves time to the next delivery or timer and handles it; false when nothing is left.
    pub fn step(&mut self) -> bool {
        self.flush();
        let next_delivery = self.in_flight.front().map(|(at, _, _)| *at);
        let next = [
            next_delivery,
            self.client.poll_timeout(),
            self.server.poll_timeout(),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(next) = next else {
            return false;
        };
        self.now = self.now.max(next);
        while self
            .in_flight
            .front()
            .is_some_and(|(at, _, _)| *at <= self.now)
        {
            if let Some((_, to, segment)) = self.in_flight.pop_front() {
                match to {
                    Side::Client => self.client.handle_segment(segment, self.now),
                    Side::Server => self.server.handle_segment(segment, self.now),
                }
            }
        }
        self.client.handle_timeout(self.now);
        self.server.handle_timeout(self.now);
        self.flush();
        true
    }

    /// Steps until nothing is left to happen.
    pub fn drive(&mut self) {
        self.drive_until(|_| false);
    }

    /// Steps until `done` holds or nothing is left to happen.
    pub fn drive_until(&mut self, mut done: impl FnMut(&Pair) -> bool) {
        for _ in 0..100_000 {
            if done(self) || !self.step() {
                return;
            }
        }
        panic!("the pair never went idle: a livelock");
    }

    /// The segments that left `from`, lost or not.
    pub fn sent_by(&self, from: Side) -> Vec<&TcpRepr> {
        self.wire
            .iter()
            .filter(|transmission| transmission.from == from)
            .map(|transmission| &transmission.segment)
            .collect()
    }

    /// Collects each side's output and application-visible results until both are quiet.
    fn flush(&mut self) {
        loop {
            // Reading first: a read may owe the peer a window update, sent below.
            while let Some(event) = self.client.poll_event() {
                self.client_seen.events.push(event);
            }
            while let Some(event) = self.server.poll_event() {
                self.server_seen.events.push(event);
            }
            let client_bytes = self.client.recv();
            self.client_seen.received.extend(client_bytes);
            if self.server_reads {
                let server_bytes = self.server.recv();
                self.server_seen.received.extend(server_bytes);
            }
            let mut progress = false;
            for from in [Side::Client, Side::Server] {
                let now = self.now;
                while let Some(segment) = self.connection(from).poll_segment(now) {
                    progress = true;
                    let dropped = (self.drop_rule)(from, &segment);
                    if !dropped {
                        let to = match from {
                            Side::Client => Side::Server,
                            Side::Server => Side::Client,
                        };
                        let arrival = self.now + LATENCY_US;
                        self.in_flight.push_back((arrival, to, segment.clone()));
                    }
                    self.wire.push(Transmission {
                        at: self.now,
                        from,
                        segment,
                        dropped,
                    });
                }
            }
            if !progress {
                return;
            }
        }
    }

    fn connection(&mut self, side: Side) -> &mut TcpConnection {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }
}
