//! One TCP connection endpoint as a sans-IO state machine (RFC 9293).
//!
//! Read alongside:
//! - RFC 9293 §3.3.1 (the send and receive sequence variables: `SND.UNA`, `SND.NXT`, `RCV.NXT`…),
//!   §3.3.2 (the state diagram: the names [`TcpState`] prints), §3.4 (sequence numbers count
//!   bytes; SYN and FIN each take one), §3.5 (the three-way handshake, resets), §3.6 (closing,
//!   TIME-WAIT), §3.7.1 (the MSS option, 536 when it is absent), §3.8.6 (windows, zero-window
//!   probes, receiver silly-window avoidance), §3.10 (event processing: `handle_segment` walks
//!   the "SEGMENT ARRIVES" steps in the RFC's order), §3.10.7.1 (what a closed port answers:
//!   [`reply_to_closed_port`]).
//! - RFC 6298 §5: the retransmission timer rules, with a fixed initial RTO instead of RTT
//!   measurement.
//! - RFC 5961 §3–§4, folded into RFC 9293 §3.10.7.4: a RST or SYN that is not exactly where it
//!   should be gets a "challenge ACK" instead of tearing the connection down.
//!
//! # Simplifications, on purpose
//! - **Retransmission is go-back-N.** When the timer expires, `SND.NXT` goes back to `SND.UNA`
//!   and everything after it is sent again, cut afresh at the MSS. The RTO starts at
//!   [`INITIAL_RTO_US`] (1 s), doubles on every expiry up to [`MAX_RTO_US`], and falls back to
//!   1 s when new data is acknowledged; after [`MAX_RETRANSMISSIONS`] retries the connection
//!   ends with [`TcpEvent::TimedOut`]. A SYN nobody answers is therefore sent at 0, 1, 3, 7, 15
//!   and 31 s and gives up at 63 s.
//! - **Out-of-order segments are dropped** and answered with an ACK for what has arrived in
//!   order; the go-back-N sender fills the gap. Duplicates are dropped and re-acknowledged too.
//! - **Zero windows are probed** with one byte on the retransmission timer; a peer that
//!   answers with a still-closed window resets the retry count, so a slow reader never times
//!   the connection out (RFC 9293 §3.8.6.1).
//! - **No delayed ACKs**: anything that carries data or FIN is acknowledged at once.
//! - **Fixed buffers**: the receive buffer holds [`RECEIVE_BUFFER_CAPACITY`] bytes and the window
//!   field always shows its free space (no window scaling). The send buffer has no limit.
//! - **TIME-WAIT lasts 2 × [`MSL_US`]** with a simulation-sized MSL of 5 s (the RFC's is two
//!   minutes), long enough to re-acknowledge a FIN the peer sends again after 1, 2, 4 or 8 s;
//!   each retransmitted FIN restarts it.
//! - Data carried on a SYN is not queued (the peer sends it again); there is no urgent data, no
//!   congestion control, no Nagle, no FIN-WAIT-2 timeout and no keep-alive.

use std::collections::VecDeque;
use std::fmt;

use crate::wire::tcp::{TcpFlags, TcpRepr};

/// The first retransmission timeout, in µs (RFC 6298 §2.1: 1 second).
pub const INITIAL_RTO_US: u64 = 1_000_000;
/// The longest the retransmission timeout grows by doubling (RFC 6298 §2.5 allows ≥ 60 s).
pub const MAX_RTO_US: u64 = 60_000_000;
/// Retransmissions of the same data before the connection gives up with `TimedOut`.
pub const MAX_RETRANSMISSIONS: u32 = 5;
/// Maximum segment lifetime of the simulation, in µs: a simulated network holds no segment for
/// long, so 5 s stands in for the RFC's two minutes and keeps TIME-WAIT short enough to watch.
pub const MSL_US: u64 = 5_000_000;
/// How long a connection stays in TIME-WAIT (RFC 9293 §3.6: 2 × MSL).
pub const TIME_WAIT_US: u64 = 2 * MSL_US;
/// Bytes the receive buffer holds; the window field advertises what is free of it.
pub const RECEIVE_BUFFER_CAPACITY: usize = 65_535;
/// The send MSS assumed when a SYN carries no MSS option (RFC 9293 §3.7.1, IPv4).
pub const DEFAULT_MSS: u16 = 536;
/// Bytes the send and receive buffers hold before they first grow: a few command lines or
/// replies, so a short session never grows them.
const INITIAL_BUFFER_BYTES: usize = 512;

/// The connection states of RFC 9293 §3.3.2; `Display` prints the RFC's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TcpState {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        })
    }
}

/// What happened to a connection, for the application and the world's log.
///
/// Every arrival in CLOSED comes with exactly one ending event: `Closed`, `Reset`, `Refused` or
/// `TimedOut`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TcpEvent {
    /// The connection moved from one RFC 9293 state to another.
    StateChanged { from: TcpState, to: TcpState },
    /// The three-way handshake completed (ESTABLISHED reached).
    Connected,
    /// `len` new in-order bytes are waiting in [`TcpConnection::recv`].
    DataReceived { len: usize },
    /// The peer's FIN arrived: it will send nothing more.
    PeerClosed,
    /// The connection ended in order (both FINs acknowledged) or by a local `close`/`abort`.
    Closed,
    /// The peer reset an open connection.
    Reset,
    /// The peer answered our SYN with a RST: nothing listens on that port.
    Refused,
    /// Retransmissions ran out without an acknowledgement (for a SYN: the host is down).
    TimedOut,
}

impl fmt::Display for TcpEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TcpEvent::StateChanged { from, to } => write!(f, "{from} → {to}"),
            TcpEvent::Connected => f.write_str("connection established"),
            TcpEvent::DataReceived { len } => write!(f, "received {len} bytes"),
            TcpEvent::PeerClosed => f.write_str("peer closed its side (FIN)"),
            TcpEvent::Closed => f.write_str("connection closed"),
            TcpEvent::Reset => f.write_str("connection reset by peer"),
            TcpEvent::Refused => f.write_str("connection refused"),
            TcpEvent::TimedOut => f.write_str("connection timed out"),
        }
    }
}

/// Why `send` or `close` was refused; `Display` gives the RFC 9293 §3.10 wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpError {
    /// The connection is CLOSED.
    ConnectionDoesNotExist,
    /// A listening endpoint has no peer to send to yet.
    ForeignSocketUnspecified,
    /// `close` was already called (or the connection is past it).
    ConnectionClosing,
}

impl fmt::Display for TcpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TcpError::ConnectionDoesNotExist => "error: connection does not exist",
            TcpError::ForeignSocketUnspecified => "error: foreign socket unspecified",
            TcpError::ConnectionClosing => "error: connection closing",
        })
    }
}

impl std::error::Error for TcpError {}

/// What a TCP with no connection for `segment` sends back (RFC 9293 §3.10.7.1): nothing to a
/// RST; `<SEQ=SEG.ACK><CTL=RST>` to a segment with ACK; otherwise
/// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>` — which is how a SYN to a closed port is refused.
#[must_use]
pub fn reply_to_closed_port(segment: &TcpRepr) -> Option<TcpRepr> {
    if segment.flags.rst {
        return None;
    }
    let (seq, ack, flags) = if segment.flags.ack {
        (
            segment.ack,
            0,
            TcpFlags {
                rst: true,
                ..TcpFlags::default()
            },
        )
    } else {
        let ack = segment.seq.wrapping_add(sequence_length(segment));
        (
            0,
            ack,
            TcpFlags {
                rst: true,
                ack: true,
                ..TcpFlags::default()
            },
        )
    };
    Some(TcpRepr {
        src_port: segment.dst_port,
        dst_port: segment.src_port,
        seq,
        ack,
        flags,
        window: 0,
        ..TcpRepr::default()
    })
}

/// `SEG.LEN`: the sequence numbers a segment occupies, SYN and FIN counting one each.
fn sequence_length(segment: &TcpRepr) -> u32 {
    (segment.payload.len() as u32)
        .wrapping_add(u32::from(segment.flags.syn))
        .wrapping_add(u32::from(segment.flags.fin))
}

/// The bytes of `range` in `buffer`, copied slice by slice rather than byte by byte.
fn bytes_of(buffer: &VecDeque<u8>, range: std::ops::Range<usize>) -> Vec<u8> {
    let (front, back) = buffer.as_slices();
    let mut bytes = Vec::with_capacity(range.len());
    if range.start < front.len() {
        bytes.extend_from_slice(&front[range.start..range.end.min(front.len())]);
    }
    if range.end > front.len() {
        bytes.extend_from_slice(
            &back[range.start.saturating_sub(front.len())..range.end - front.len()],
        );
    }
    bytes
}

/// `a < b` in sequence space, which wraps at 2³² (RFC 9293 §3.4).
fn seq_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// `a ≤ b` in sequence space.
fn seq_le(a: u32, b: u32) -> bool {
    a == b || seq_lt(a, b)
}

/// Which OPEN created the connection: decides what a RST in SYN-RECEIVED means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opening {
    Active,
    Passive,
}

/// The one timer a connection needs at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Timer {
    Idle,
    /// Sequence space is in flight; at `at` the oldest unacknowledged byte is overdue.
    Retransmit {
        at: u64,
    },
    /// TIME-WAIT ends at `until`.
    TimeWait {
        until: u64,
    },
}

/// One end of a TCP connection: segments and application calls in, segments and events out.
///
/// It never touches a network, a clock or a random source: the caller passes the time (µs of
/// virtual time) and the initial sequence number, and moves the segments.
///
/// - Open with [`connect`](Self::connect) (active, sends a SYN) or [`listen`](Self::listen)
///   (passive, answers one SYN). A listener serves one connection: the world creates a fresh
///   one for every SYN that reaches a listening port, and answers SYNs to other ports with
///   [`reply_to_closed_port`].
/// - Getters: [`state`](Self::state), [`local_port`](Self::local_port),
///   [`remote_port`](Self::remote_port), [`mss`](Self::mss).
/// - Inputs: [`handle_segment`](Self::handle_segment) (a segment for this connection; segments
///   for other ports are ignored), [`handle_timeout`](Self::handle_timeout).
/// - Application calls: [`send`](Self::send), [`recv`](Self::recv), [`close`](Self::close),
///   [`abort`](Self::abort).
/// - Outputs: [`poll_segment`](Self::poll_segment), [`poll_event`](Self::poll_event),
///   [`poll_timeout`](Self::poll_timeout).
///
/// After any input or application call: drain `poll_event`, reading with `recv` when data has
/// arrived (so the ACK about to leave already shows the freed window); then drain
/// `poll_segment`, which takes the time because sending starts the retransmission timer; then
/// call `handle_timeout` when the time from `poll_timeout` comes. Once the state is CLOSED and
/// `poll_segment` returns `None`, the connection may be dropped.
#[derive(Clone, Debug)]
pub struct TcpConnection {
    state: TcpState,
    opening: Opening,
    local_port: u16,
    remote_port: u16,
    /// The MSS we advertise: the largest segment we accept.
    local_mss: u16,
    /// The MSS the peer advertised ([`DEFAULT_MSS`] until its SYN says otherwise).
    remote_mss: u16,

    /// ISS: our initial sequence number, taken by our SYN.
    iss: u32,
    /// SND.UNA: the oldest sequence number not yet acknowledged.
    snd_una: u32,
    /// SND.NXT: the next sequence number to send (goes back to SND.UNA on retransmission).
    snd_nxt: u32,
    /// The highest sequence number ever sent, so acknowledgements of data sent before a
    /// go-back-N rewind still count.
    snd_max: u32,
    /// SND.WND: the peer's advertised window.
    snd_wnd: u32,
    /// SND.WL1 / SND.WL2: the segment that last updated SND.WND.
    snd_wl1: u32,
    snd_wl2: u32,
    /// Application bytes not yet acknowledged; the first is at `data_start()`.
    send_buffer: VecDeque<u8>,
    /// The sequence number of our FIN, once `close` queued it.
    fin_seq: Option<u32>,

    /// RCV.NXT: the next sequence number expected from the peer.
    rcv_nxt: u32,
    /// In-order bytes the application has not read yet.
    receive_buffer: VecDeque<u8>,
    /// The window we last put on the wire, to decide when a window update is worth sending.
    advertised_window: u16,
    /// An ACK is owed to the peer (data, FIN, or a segment that had to be refused).
    ack_pending: bool,
    /// RSTs answering segments, sent before anything else and changing no state.
    control_replies: VecDeque<TcpRepr>,

    timer: Timer,
    /// The current retransmission timeout, µs.
    rto: u64,
    /// Retransmissions since something new was acknowledged.
    retransmissions: u32,
    events: VecDeque<TcpEvent>,
}

impl TcpConnection {
    /// Active open: a connection in SYN-SENT whose SYN (sequence number `iss`, MSS option
    /// `mss`) comes out of the first `poll_segment`. `iss` comes from the world's seeded RNG.
    pub fn connect(local_port: u16, remote_port: u16, iss: u32, mss: u16) -> Self {
        let mut connection = Self::closed(Opening::Active, local_port, remote_port, iss, mss);
        connection.set_state(TcpState::SynSent);
        connection
    }

    /// Passive open: a connection in LISTEN on `local_port` that answers the first SYN with a
    /// SYN-ACK numbered from `iss` and carrying MSS option `mss`.
    pub fn listen(local_port: u16, iss: u32, mss: u16) -> Self {
        let mut connection = Self::closed(Opening::Passive, local_port, 0, iss, mss);
        connection.set_state(TcpState::Listen);
        connection
    }

    fn closed(opening: Opening, local_port: u16, remote_port: u16, iss: u32, mss: u16) -> Self {
        TcpConnection {
            state: TcpState::Closed,
            opening,
            local_port,
            remote_port,
            // An MSS of 0 would make every data segment empty: a segment carries at least a byte.
            local_mss: mss.max(1),
            remote_mss: DEFAULT_MSS,
            iss,
            snd_una: iss,
            snd_nxt: iss,
            snd_max: iss,
            snd_wnd: 0,
            snd_wl1: 0,
            snd_wl2: 0,
            send_buffer: VecDeque::with_capacity(INITIAL_BUFFER_BYTES),
            fin_seq: None,
            rcv_nxt: 0,
            receive_buffer: VecDeque::with_capacity(INITIAL_BUFFER_BYTES),
            advertised_window: 0,
            ack_pending: false,
            control_replies: VecDeque::new(),
            timer: Timer::Idle,
            rto: INITIAL_RTO_US,
            retransmissions: 0,
            events: VecDeque::new(),
        }
    }

    pub fn state(&self) -> TcpState {
        self.state
    }

    pub fn local_port(&self) -> u16 {
        self.local_port
    }

    /// The peer's port (0 while listening).
    pub fn remote_port(&self) -> u16 {
        self.remote_port
    }

    /// The largest payload this end sends: the smaller of our MSS and the peer's.
    pub fn mss(&self) -> u16 {
        self.local_mss.min(self.remote_mss).max(1)
    }

    /// Queues application bytes; they leave in segments of at most [`mss`](Self::mss) bytes,
    /// within the peer's window, once the connection is established.
    pub fn send(&mut self, data: &[u8]) -> Result<(), TcpError> {
        match self.state {
            // Nothing to send on.
            TcpState::Closed => Err(TcpError::ConnectionDoesNotExist),
            // A listener does not know its peer yet.
            TcpState::Listen => Err(TcpError::ForeignSocketUnspecified),
            // Before and after the handshake, until close() queued the FIN.
            TcpState::SynSent
            | TcpState::SynReceived
            | TcpState::Established
            | TcpState::CloseWait
                if self.fin_seq.is_none() =>
            {
                self.send_buffer.extend(data);
                Ok(())
            }
            // Our FIN is queued or sent: nothing may follow it.
            _ => Err(TcpError::ConnectionClosing),
        }
    }

    /// Every byte handed to [`send`](Self::send), and our SYN and FIN if sent, was
    /// acknowledged by the peer: nothing of ours waits to leave or to be retransmitted.
    pub fn all_sent_acknowledged(&self) -> bool {
        self.send_buffer.is_empty()
            && !matches!(
                self.state,
                TcpState::SynSent
                    | TcpState::SynReceived
                    | TcpState::FinWait1
                    | TcpState::Closing
                    | TcpState::LastAck
            )
    }

    /// Takes every in-order byte received so far; may queue a window update for the peer.
    pub fn recv(&mut self) -> Vec<u8> {
        self.recv_with(<[u8]>::to_vec)
    }

    /// [`recv`](Self::recv) without a copy: lends every in-order byte received so far to
    /// `take`, then forgets them.
    pub fn recv_with<R>(&mut self, take: impl FnOnce(&[u8]) -> R) -> R {
        let taken = take(self.receive_buffer.make_contiguous());
        self.receive_buffer.clear();
        // Receiver-side silly window avoidance (RFC 9293 §3.8.6.2.2): announce the freed space
        // once it is worth a full segment or half the buffer. A sender facing a zero window
        // would otherwise wait for its next probe.
        let threshold = usize::from(self.local_mss).min(RECEIVE_BUFFER_CAPACITY / 2);
        let growth =
            usize::from(self.receive_window()).saturating_sub(usize::from(self.advertised_window));
        if self.accepts_text() && growth >= threshold {
            self.ack_pending = true;
        }
        taken
    }

    /// Asks for an orderly close: a FIN follows the queued data (RFC 9293 §3.10.4).
    pub fn close(&mut self) -> Result<(), TcpError> {
        match self.state {
            // Nothing to close.
            TcpState::Closed => Err(TcpError::ConnectionDoesNotExist),
            // Nothing was sent to anybody yet, or our SYN is unanswered: just stop.
            TcpState::Listen | TcpState::SynSent => {
                self.finish(TcpEvent::Closed);
                Ok(())
            }
            // The FIN waits for the handshake to complete; then we go straight to FIN-WAIT-1.
            TcpState::SynReceived if self.fin_seq.is_none() => {
                self.fin_seq = Some(self.data_end());
                Ok(())
            }
            // Our side closes first.
            TcpState::Established => {
                self.fin_seq = Some(self.data_end());
                self.set_state(TcpState::FinWait1);
                Ok(())
            }
            // The peer closed first; ours is the last FIN.
            TcpState::CloseWait => {
                self.fin_seq = Some(self.data_end());
                self.set_state(TcpState::LastAck);
                Ok(())
            }
            // close() was already called.
            TcpState::SynReceived
            | TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::Closing
            | TcpState::LastAck
            | TcpState::TimeWait => Err(TcpError::ConnectionClosing),
        }
    }

    /// Drops the connection at once, telling the peer with a RST where it has one
    /// (RFC 9293 §3.10.5).
    pub fn abort(&mut self) {
        match self.state {
            // Already gone.
            TcpState::Closed => {}
            // The peer holds no state for us that a RST would clear.
            TcpState::Listen | TcpState::SynSent => self.finish(TcpEvent::Closed),
            // The peer holds an open connection: reset it.
            TcpState::SynReceived
            | TcpState::Established
            | TcpState::FinWait1
            | TcpState::FinWait2
            | TcpState::CloseWait => {
                let reset = TcpFlags {
                    rst: true,
                    ack: true,
                    ..TcpFlags::default()
                };
                let rst = self.segment(self.snd_max, reset, Vec::new());
                self.control_replies.push_back(rst);
                self.finish(TcpEvent::Closed);
            }
            // Both sides are already closing: just forget the connection.
            TcpState::Closing | TcpState::LastAck | TcpState::TimeWait => {
                self.finish(TcpEvent::Closed)
            }
        }
    }

    /// Processes a segment addressed to this connection (RFC 9293 §3.10.7).
    pub fn handle_segment(&mut self, segment: TcpRepr, now: u64) {
        if !self.is_addressed_to_us(&segment) {
            return;
        }
        match self.state {
            // A finished connection answers like a closed port.
            TcpState::Closed => self.control_replies.extend(reply_to_closed_port(&segment)),
            // Waiting for a SYN (§3.10.7.2).
            TcpState::Listen => self.on_segment_in_listen(segment),
            // Waiting for the SYN-ACK (§3.10.7.3).
            TcpState::SynSent => self.on_segment_in_syn_sent(segment, now),
            // SYN-RECEIVED and every later state share the eight steps of §3.10.7.4.
            _ => self.on_segment_in_synchronized_state(segment, now),
        }
    }

    /// Fires the retransmission or TIME-WAIT timer if it is due at `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        match self.timer {
            // Retries exhausted: the peer is unreachable (for a SYN: the host is down).
            Timer::Retransmit { at }
                if now >= at && self.retransmissions >= MAX_RETRANSMISSIONS =>
            {
                self.finish(TcpEvent::TimedOut);
            }
            // Go back N: resend from the oldest unacknowledged sequence number with a doubled
            // RTO (RFC 6298 §5.4–5.6); the next poll_segment restarts the timer.
            Timer::Retransmit { at } if now >= at => {
                self.retransmissions += 1;
                self.rto = (self.rto * 2).min(MAX_RTO_US);
                self.snd_nxt = self.snd_una;
                self.timer = Timer::Idle;
            }
            // 2 MSL have passed since the last FIN: no old segment can still arrive.
            Timer::TimeWait { until } if now >= until => self.finish(TcpEvent::Closed),
            // Nothing is due yet, or no timer runs.
            _ => {}
        }
    }

    /// The next segment to put on the wire, stamped with the time it leaves (`now`, µs),
    /// which starts the retransmission timer when the segment needs acknowledging.
    #[must_use]
    pub fn poll_segment(&mut self, now: u64) -> Option<TcpRepr> {
        if let Some(reply) = self.control_replies.pop_front() {
            return Some(reply);
        }
        let segment = match self.state {
            // No peer to talk to.
            TcpState::Closed | TcpState::Listen => None,
            // Our SYN (or SYN-ACK) is due: first time, or rewound for retransmission.
            TcpState::SynSent | TcpState::SynReceived if self.snd_nxt == self.iss => {
                Some(self.syn_segment())
            }
            // The SYN is out and we know nothing of the peer to acknowledge.
            TcpState::SynSent => None,
            // The SYN-ACK is out; data waits for ESTABLISHED.
            TcpState::SynReceived => self.ack_segment_if_pending(),
            // Synchronized: data first, then our FIN, else a bare ACK if one is owed.
            _ => self
                .next_data_segment()
                .or_else(|| self.fin_segment())
                .or_else(|| self.ack_segment_if_pending()),
        }?;
        self.on_transmit(&segment, now);
        Some(segment)
    }

    /// The next thing that happened, oldest first.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<TcpEvent> {
        self.events.pop_front()
    }

    /// When `handle_timeout` must next be called (µs), if a timer runs.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<u64> {
        match self.timer {
            Timer::Idle => None,
            Timer::Retransmit { at } => Some(at),
            Timer::TimeWait { until } => Some(until),
        }
    }

    // ----- state changes -------------------------------------------------------------------

    /// The only place the state changes, so every transition reaches the log.
    fn set_state(&mut self, to: TcpState) {
        let from = self.state;
        if from != to {
            self.state = to;
            self.events.push_back(TcpEvent::StateChanged { from, to });
        }
    }

    /// Enters CLOSED with its one ending event. Received bytes stay readable.
    fn finish(&mut self, ending: TcpEvent) {
        self.set_state(TcpState::Closed);
        self.events.push_back(ending);
        self.timer = Timer::Idle;
        self.send_buffer.clear();
        self.ack_pending = false;
    }

    fn establish(&mut self) {
        self.set_state(TcpState::Established);
        self.events.push_back(TcpEvent::Connected);
    }

    /// A passive connection whose half-open handshake was reset listens again (§3.10.7.4).
    fn return_to_listen(&mut self) {
        self.set_state(TcpState::Listen);
        let fresh = Self::closed(
            Opening::Passive,
            self.local_port,
            0,
            self.iss,
            self.local_mss,
        );
        *self = TcpConnection {
            state: self.state,
            events: std::mem::take(&mut self.events),
            ..fresh
        };
    }

    fn enter_time_wait(&mut self, now: u64) {
        self.set_state(TcpState::TimeWait);
        self.timer = Timer::TimeWait {
            until: now.saturating_add(TIME_WAIT_US),
        };
    }

    // ----- arriving segments ---------------------------------------------------------------

    fn is_addressed_to_us(&self, segment: &TcpRepr) -> bool {
        segment.dst_port == self.local_port
            && (self.state == TcpState::Listen || segment.src_port == self.remote_port)
    }

    fn on_segment_in_listen(&mut self, segment: TcpRepr) {
        // First: a RST can only concern an older connection.
        if segment.flags.rst {
            return;
        }
        // Second: nothing here could have been acknowledged.
        if segment.flags.ack {
            self.control_replies.extend(reply_to_closed_port(&segment));
            return;
        }
        // Third: a SYN opens the connection; the SYN-ACK goes out on the next poll_segment.
        if segment.flags.syn {
            self.remote_port = segment.src_port;
            self.remote_mss = segment.mss.unwrap_or(DEFAULT_MSS);
            self.rcv_nxt = segment.seq.wrapping_add(1);
            self.snd_wnd = u32::from(segment.window);
            self.set_state(TcpState::SynReceived);
        }
        // Anything else is dropped.
    }

    fn on_segment_in_syn_sent(&mut self, segment: TcpRepr, now: u64) {
        // First: an ACK must acknowledge our SYN.
        let ack_acceptable = seq_lt(self.iss, segment.ack) && seq_le(segment.ack, self.snd_max);
        if segment.flags.ack && !ack_acceptable {
            self.control_replies.extend(reply_to_closed_port(&segment));
            return;
        }
        // Second: a RST that acknowledges our SYN means nobody listens there.
        if segment.flags.rst {
            if segment.flags.ack {
                self.finish(TcpEvent::Refused);
            }
            return;
        }
        // Fourth: without a SYN there is nothing to synchronize with.
        if !segment.flags.syn {
            return;
        }
        self.remote_mss = segment.mss.unwrap_or(DEFAULT_MSS);
        self.rcv_nxt = segment.seq.wrapping_add(1);
        self.snd_wnd = u32::from(segment.window);
        self.snd_wl1 = segment.seq;
        self.snd_wl2 = segment.ack;
        if segment.flags.ack {
            // SYN-ACK: the handshake completes with our ACK.
            self.acknowledge(segment.ack, now);
            self.establish();
            self.ack_pending = true;
            let first_data = segment.seq.wrapping_add(1);
            self.accept_text(first_data, &segment.payload, segment.flags.fin, now);
        } else {
            // Simultaneous open: both sent SYNs. Send ours again, now as a SYN-ACK.
            self.snd_nxt = self.iss;
            self.set_state(TcpState::SynReceived);
        }
    }

    fn on_segment_in_synchronized_state(&mut self, segment: TcpRepr, now: u64) {
        // The peer's SYN again while we wait in SYN-RECEIVED: our SYN-ACK was lost. Resend it
        // now instead of waiting for our own timer.
        let is_peer_syn_again = segment.flags.syn
            && !segment.flags.ack
            && !segment.flags.rst
            && segment.seq.wrapping_add(1) == self.rcv_nxt;
        if self.state == TcpState::SynReceived && is_peer_syn_again {
            self.snd_nxt = self.iss;
            return;
        }

        // First: the sequence number must fall in the receive window.
        if !self.is_acceptable(segment.seq, sequence_length(&segment)) {
            if !segment.flags.rst {
                self.ack_pending = true;
                // A FIN sent again means our last ACK was lost: wait 2 MSL from now.
                if self.state == TcpState::TimeWait && segment.flags.fin {
                    self.timer = Timer::TimeWait {
                        until: now.saturating_add(TIME_WAIT_US),
                    };
                }
            }
            return;
        }

        // Second: RST. Only an exact match resets; anything else gets a challenge ACK.
        if segment.flags.rst {
            if segment.seq != self.rcv_nxt {
                self.ack_pending = true;
            } else if self.state == TcpState::SynReceived && self.opening == Opening::Passive {
                self.return_to_listen();
            } else if self.state == TcpState::SynReceived {
                self.finish(TcpEvent::Refused);
            } else {
                self.finish(TcpEvent::Reset);
            }
            return;
        }

        // Fourth: a SYN inside a synchronized connection gets a challenge ACK.
        if segment.flags.syn {
            self.ack_pending = true;
            return;
        }

        // Fifth: the ACK field.
        if !segment.flags.ack {
            return;
        }
        if !self.on_acknowledgement(&segment, now) {
            return;
        }

        // Seventh and eighth: the text, then the FIN.
        self.accept_text(segment.seq, &segment.payload, segment.flags.fin, now);
    }

    /// Step five of §3.10.7.4; returns whether processing of the segment goes on.
    fn on_acknowledgement(&mut self, segment: &TcpRepr, now: u64) -> bool {
        let ack = segment.ack;
        if self.state == TcpState::SynReceived {
            // Our SYN-ACK must be what is acknowledged.
            if !(seq_lt(self.snd_una, ack) && seq_le(ack, self.snd_max)) {
                self.control_replies.extend(reply_to_closed_port(segment));
                return false;
            }
            self.snd_wnd = u32::from(segment.window);
            self.snd_wl1 = segment.seq;
            self.snd_wl2 = ack;
            self.acknowledge(ack, now);
            self.establish();
            if self.fin_seq.is_some() {
                self.set_state(TcpState::FinWait1);
            }
            return true;
        }

        if seq_lt(self.snd_max, ack) {
            // Acknowledges something we never sent.
            self.ack_pending = true;
            return false;
        }
        if seq_lt(self.snd_una, ack) {
            self.acknowledge(ack, now);
        }
        // Older acknowledgements (duplicates) change nothing but may carry a window.
        self.update_send_window(segment);

        let fin_acknowledged = self.fin_seq.is_some_and(|fin| seq_lt(fin, self.snd_una));
        match self.state {
            // Our FIN is acknowledged; the peer may still send.
            TcpState::FinWait1 if fin_acknowledged => self.set_state(TcpState::FinWait2),
            // Both FINs are acknowledged.
            TcpState::Closing if fin_acknowledged => self.enter_time_wait(now),
            // The last FIN is acknowledged: done.
            TcpState::LastAck if fin_acknowledged => {
                self.finish(TcpEvent::Closed);
                return false;
            }
            // No state change from an acknowledgement.
            _ => {}
        }
        true
    }

    /// SND.UNA advances to `ack`: forget acknowledged bytes and restart or stop the timer
    /// (RFC 6298 §5.2–5.3).
    fn acknowledge(&mut self, ack: u32, now: u64) {
        let acknowledged_bytes = ack.wrapping_sub(self.data_start()) as usize;
        let drained = acknowledged_bytes.min(self.send_buffer.len());
        self.send_buffer.drain(..drained);
        self.snd_una = ack;
        if seq_lt(self.snd_nxt, ack) {
            self.snd_nxt = ack;
        }
        self.retransmissions = 0;
        self.rto = INITIAL_RTO_US;
        self.timer = if self.snd_una == self.snd_max {
            Timer::Idle
        } else {
            Timer::Retransmit {
                at: now.saturating_add(self.rto),
            }
        };
    }

    /// SND.WND follows the newest segment (the SND.WL1/SND.WL2 rule of §3.10.7.4).
    fn update_send_window(&mut self, segment: &TcpRepr) {
        let is_newer = seq_lt(self.snd_wl1, segment.seq)
            || (self.snd_wl1 == segment.seq && seq_le(self.snd_wl2, segment.ack));
        if !(is_newer && seq_le(segment.ack, self.snd_una)) {
            return;
        }
        let window_reopened = self.snd_wnd == 0 && segment.window > 0;
        self.snd_wnd = u32::from(segment.window);
        self.snd_wl1 = segment.seq;
        self.snd_wl2 = segment.ack;
        if self.snd_wnd == 0 {
            // The peer answers our probes with a closed window: it is alive, so keep probing
            // and never time out (RFC 9293 §3.8.6.1).
            self.retransmissions = 0;
        } else if window_reopened {
            // A probe byte sent into the closed window was dropped: send it again now.
            self.snd_nxt = self.snd_una;
        }
    }

    /// Steps seven and eight: keep in-order bytes that fit the buffer, then the FIN if it
    /// directly follows them. `seq` numbers the first payload byte.
    fn accept_text(&mut self, seq: u32, payload: &[u8], fin: bool, now: u64) {
        let needs_ack = !payload.is_empty() || fin;
        // An ACK is owed for anything that takes sequence space, kept or not.
        self.ack_pending |= needs_ack;
        // After the peer's FIN (or before the handshake) no text is expected;
        // out-of-order text is dropped for the sender to fill the gap.
        if !self.accepts_text() || seq_lt(self.rcv_nxt, seq) {
            return;
        }
        let already_received = self.rcv_nxt.wrapping_sub(seq) as usize;
        let fresh = payload.get(already_received..).unwrap_or_default();
        let room = RECEIVE_BUFFER_CAPACITY - self.receive_buffer.len();
        let kept = &fresh[..fresh.len().min(room)];
        if !kept.is_empty() {
            self.receive_buffer.extend(kept);
            self.rcv_nxt = self.rcv_nxt.wrapping_add(kept.len() as u32);
            self.events
                .push_back(TcpEvent::DataReceived { len: kept.len() });
        }
        let fin_seq = seq.wrapping_add(payload.len() as u32);
        if fin && fin_seq == self.rcv_nxt {
            self.rcv_nxt = self.rcv_nxt.wrapping_add(1);
            self.events.push_back(TcpEvent::PeerClosed);
            match self.state {
                // The peer closed first; the application closes when it is done.
                TcpState::Established => self.set_state(TcpState::CloseWait),
                // Both FINs crossed: ours is not acknowledged yet.
                TcpState::FinWait1 => self.set_state(TcpState::Closing),
                // Ours was acknowledged before: both directions are done.
                TcpState::FinWait2 => self.enter_time_wait(now),
                // accepts_text() admits no other state.
                _ => {}
            }
        }
    }

    /// The states in which the peer may still send text (§3.10.7.4, seventh step).
    fn accepts_text(&self) -> bool {
        matches!(
            self.state,
            TcpState::Established | TcpState::FinWait1 | TcpState::FinWait2
        )
    }

    /// The acceptance test of §3.10.7.4, first step.
    fn is_acceptable(&self, seq: u32, length: u32) -> bool {
        let window = u32::from(self.receive_window());
        let window_end = self.rcv_nxt.wrapping_add(window);
        let in_window = |n: u32| seq_le(self.rcv_nxt, n) && seq_lt(n, window_end);
        match (length, window) {
            (0, 0) => seq == self.rcv_nxt,
            (0, _) => in_window(seq),
            // A closed window still admits the ACK and RST of a segment at RCV.NXT; its text
            // is trimmed away later.
            (_, 0) => seq == self.rcv_nxt,
            _ => in_window(seq) || in_window(seq.wrapping_add(length - 1)),
        }
    }

    // ----- leaving segments ----------------------------------------------------------------

    /// The receive window: the free space of the receive buffer.
    fn receive_window(&self) -> u16 {
        let free = RECEIVE_BUFFER_CAPACITY.saturating_sub(self.receive_buffer.len());
        u16::try_from(free).unwrap_or(u16::MAX)
    }

    /// The sequence number of the first byte in `send_buffer`: right after our SYN until
    /// that is acknowledged, SND.UNA after.
    fn data_start(&self) -> u32 {
        match self.state {
            TcpState::Listen | TcpState::SynSent | TcpState::SynReceived => {
                self.iss.wrapping_add(1)
            }
            _ => self.snd_una,
        }
    }

    /// Where our FIN goes: right after the queued data.
    fn data_end(&self) -> u32 {
        self.data_start()
            .wrapping_add(self.send_buffer.len() as u32)
    }

    fn segment(&self, seq: u32, flags: TcpFlags, payload: Vec<u8>) -> TcpRepr {
        TcpRepr {
            src_port: self.local_port,
            dst_port: self.remote_port,
            seq,
            ack: if flags.ack { self.rcv_nxt } else { 0 },
            flags,
            window: self.receive_window(),
            payload,
            ..TcpRepr::default()
        }
    }

    fn syn_segment(&mut self) -> TcpRepr {
        // Everything we send after the peer's SYN carries ACK; our own first SYN cannot.
        let ack = self.state == TcpState::SynReceived;
        let flags = TcpFlags {
            syn: true,
            ack,
            ..TcpFlags::default()
        };
        let syn = TcpRepr {
            mss: Some(self.local_mss),
            ..self.segment(self.iss, flags, Vec::new())
        };
        self.snd_nxt = self.iss.wrapping_add(1);
        syn
    }

    /// The next MSS-sized piece of unsent data that fits the peer's window.
    fn next_data_segment(&mut self) -> Option<TcpRepr> {
        let in_flight = self.snd_nxt.wrapping_sub(self.snd_una) as usize;
        // None once the FIN is out: SND.NXT then lies past the data.
        let unsent = self.send_buffer.len().checked_sub(in_flight)?;
        if unsent == 0 {
            return None;
        }
        let usable = (self.snd_wnd as usize).saturating_sub(in_flight);
        let length = match usable {
            // A zero window with nothing in flight: probe it with one byte (RFC 9293 §3.8.6.1).
            0 if in_flight == 0 => 1,
            // The window is full; wait for acknowledgements.
            0 => return None,
            _ => unsent.min(usable).min(usize::from(self.mss())),
        };
        let payload = bytes_of(&self.send_buffer, in_flight..in_flight + length);
        // PSH marks the segment that empties the send buffer, as common stacks do.
        let psh = in_flight + length == self.send_buffer.len();
        let flags = TcpFlags {
            ack: true,
            psh,
            ..TcpFlags::default()
        };
        let segment = self.segment(self.snd_nxt, flags, payload);
        self.snd_nxt = self.snd_nxt.wrapping_add(length as u32);
        Some(segment)
    }

    /// Our FIN, when every queued byte is out.
    fn fin_segment(&mut self) -> Option<TcpRepr> {
        let fin_seq = self.fin_seq.filter(|&fin| fin == self.snd_nxt)?;
        let flags = TcpFlags {
            fin: true,
            ack: true,
            ..TcpFlags::default()
        };
        let segment = self.segment(fin_seq, flags, Vec::new());
        self.snd_nxt = fin_seq.wrapping_add(1);
        Some(segment)
    }

    fn ack_segment_if_pending(&self) -> Option<TcpRepr> {
        let flags = TcpFlags {
            ack: true,
            ..TcpFlags::default()
        };
        self.ack_pending
            .then(|| self.segment(self.snd_nxt, flags, Vec::new()))
    }

    /// Bookkeeping for every segment that leaves (other than replies to strangers).
    fn on_transmit(&mut self, segment: &TcpRepr, now: u64) {
        if seq_lt(self.snd_max, self.snd_nxt) {
            self.snd_max = self.snd_nxt;
        }
        if segment.flags.ack {
            self.ack_pending = false;
        }
        self.advertised_window = segment.window;
        // RFC 6298 §5.1: sending something that must be acknowledged starts an idle timer.
        if sequence_length(segment) > 0 && self.timer == Timer::Idle {
            self.timer = Timer::Retransmit {
                at: now.saturating_add(self.rto),
            };
        }
    }
}

#[cfg(test)]
mod pair;
#[cfg(test)]
mod tests;
