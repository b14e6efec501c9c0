//! "Follow the stream": the lines a TCP connection carried, client and server in the order
//! they were sent, put back together from the segments' payloads the way the receiving TCP
//! does it (RFC 9293 §3.4: each byte's place is its sequence number minus the initial
//! sequence number of its SYN, minus one). Each line knows the frames that carried its bytes,
//! retransmissions included, so the inspector can jump from a line to its first frame.
//!
//! Only the frames the two ends sent are read: a router's copy of a segment on the next link
//! carries the same bytes again.

use std::fmt::Write;
use std::net::Ipv4Addr;

use super::markup::escape;
use crate::sim::event::EventKind;
use crate::sim::id::FrameId;
use crate::sim::world::World;
use crate::wire::ethernet::{EtherType, Frame};
use crate::wire::ipv4::{self, IpProtocol};
use crate::wire::tcp::{TcpFlags, TcpPacket};

/// Which end of the connection sent a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The end that sent the first SYN.
    Client,
    Server,
}

/// An IPv4 address and a port.
pub type Endpoint = (Ipv4Addr, u16);

/// One line of the conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamLine {
    pub side: Side,
    /// Without its line ending; control bytes shown escaped (`\t`).
    pub text: String,
    /// False for a last line whose end has not been sent yet.
    pub complete: bool,
    /// The frames that carried its bytes, in the order sent.
    pub frames: Vec<FrameId>,
    /// The index in the log of the event that sent its first frame.
    pub first_event: usize,
    /// Whether the frame the stream was followed from carried some of its bytes.
    pub current: bool,
}

/// A connection's conversation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcript {
    pub client: Endpoint,
    pub server: Endpoint,
    pub lines: Vec<StreamLine>,
}

/// One segment a connection's end sent.
struct Sent {
    event: usize,
    frame: FrameId,
    from: Endpoint,
    to: Endpoint,
    seq: u32,
    flags: TcpFlags,
    payload: Vec<u8>,
}

/// Reads a frame as a TCP segment.
fn segment(event: usize, frame: FrameId, bytes: &[u8]) -> Option<Sent> {
    let ethernet = Frame::new_checked(bytes).ok()?;
    if ethernet.ethertype() != EtherType::Ipv4 {
        return None;
    }
    let packet = ipv4::Packet::new_checked(ethernet.payload()).ok()?;
    if packet.protocol() != IpProtocol::Tcp {
        return None;
    }
    let tcp = TcpPacket::new_checked(packet.payload()).ok()?;
    Some(Sent {
        event,
        frame,
        from: (packet.src_addr(), tcp.src_port()),
        to: (packet.dst_addr(), tcp.dst_port()),
        seq: tcp.seq_number(),
        flags: tcp.flags(),
        payload: tcp.payload().to_vec(),
    })
}

/// The conversation of the TCP connection that the frame of event `index` belongs to;
/// `None` when that event has no frame or its frame is not TCP.
pub fn follow(world: &World, index: usize) -> Option<Transcript> {
    let events = world.events();
    let picked_frame = events.get(index)?.frame()?;
    let picked = segment(index, picked_frame, world.frame(picked_frame)?)?;
    let same_connection = |s: &Sent| {
        (s.from, s.to) == (picked.from, picked.to) || (s.to, s.from) == (picked.from, picked.to)
    };
    let topology = world.topology();
    let sent: Vec<Sent> = events
        .iter()
        .enumerate()
        .filter_map(|(event, e)| match e.kind {
            EventKind::FrameSent { host, frame, .. } => {
                let s = segment(event, frame, world.frame(frame)?)?;
                let own = topology.host(host).is_some_and(|h| h.owns(s.from.0));
                (own && same_connection(&s)).then_some(s)
            }
            _ => None,
        })
        .collect();
    // The same two ends may have talked before: the connection is the one opened by the
    // last SYN up to the picked event, and ends before the next one.
    let opens = |s: &Sent| s.flags.syn && !s.flags.ack;
    let start = sent
        .iter()
        .rposition(|s| opens(s) && s.event <= index)
        .unwrap_or(0);
    let end = sent[start..]
        .iter()
        .skip(1)
        .position(opens)
        .map_or(sent.len(), |n| start + 1 + n);
    let connection = &sent[start..end];
    let client = match connection.iter().find(|s| opens(s)) {
        Some(syn) => syn.from,
        // No SYN seen: the client is the end on the higher (ephemeral) port.
        None if picked.from.1 > picked.to.1 => picked.from,
        None => picked.to,
    };
    let server = if picked.from == client {
        picked.to
    } else {
        picked.from
    };
    let lines_of = |side: Side, end: Endpoint| {
        let from_end: Vec<&Sent> = connection.iter().filter(|s| s.from == end).collect();
        side_lines(side, &from_end, (picked.from == end).then_some(&picked))
    };
    let lines = interleave(
        lines_of(Side::Client, client),
        lines_of(Side::Server, server),
    );
    Some(Transcript {
        client,
        server,
        lines,
    })
}

/// Both ends' lines in the order their first frames were sent; each side's own order is
/// kept, so lines one frame carried stay together.
fn interleave(client: Vec<StreamLine>, server: Vec<StreamLine>) -> Vec<StreamLine> {
    let mut lines = Vec::with_capacity(client.len() + server.len());
    let mut server = server.into_iter().peekable();
    for line in client {
        while let Some(reply) = server.next_if(|reply| reply.first_event < line.first_event) {
            lines.push(reply);
        }
        lines.push(line);
    }
    lines.extend(server);
    lines
}

/// The lines one end sent, from its segments in the order sent.
fn side_lines(side: Side, segments: &[&Sent], picked: Option<&Sent>) -> Vec<StreamLine> {
    // The first data byte is numbered one after the SYN's sequence number.
    let base = segments
        .iter()
        .find(|s| s.flags.syn)
        .map(|s| s.seq.wrapping_add(1))
        .or_else(|| {
            segments
                .iter()
                .find(|s| !s.payload.is_empty())
                .map(|s| s.seq)
        });
    let Some(base) = base else {
        return Vec::new();
    };
    // Where each segment's data sits in the stream; a sequence number before the base
    // (wrapped around) is no data of this connection.
    let offset = |s: &Sent| {
        let offset = s.seq.wrapping_sub(base) as usize;
        (offset < 1 << 30).then_some(offset)
    };
    let mut stream: Vec<Option<u8>> = Vec::new();
    for s in segments {
        let Some(at) = offset(s) else { continue };
        if stream.len() < at + s.payload.len() {
            stream.resize(at + s.payload.len(), None);
        }
        for (slot, &byte) in stream[at..].iter_mut().zip(&s.payload) {
            slot.get_or_insert(byte);
        }
    }
    // Only what arrived without a gap is the stream so far.
    let stream: Vec<u8> = stream.into_iter().map_while(|byte| byte).collect();
    let picked = picked.and_then(|s| Some((offset(s)?, s.payload.len())));
    let mut lines = Vec::new();
    let mut start = 0;
    for line in stream.split_inclusive(|&byte| byte == b'\n') {
        let range = start..start + line.len();
        start = range.end;
        let carried: Vec<&&Sent> = segments
            .iter()
            .filter(|s| {
                offset(s).is_some_and(|at| at < range.end && at + s.payload.len() > range.start)
            })
            .collect();
        let Some(first) = carried.first() else {
            continue;
        };
        let text = line
            .strip_suffix(b"\r\n")
            .or_else(|| line.strip_suffix(b"\n"));
        lines.push(StreamLine {
            side,
            text: printable(text.unwrap_or(line)),
            complete: text.is_some(),
            frames: carried.iter().map(|s| s.frame).collect(),
            first_event: first.event,
            current: picked.is_some_and(|(at, len)| at < range.end && at + len > range.start),
        });
    }
    lines
}

/// Text as a learner should see it: control bytes and invalid UTF-8 escaped, never hidden.
fn printable(bytes: &[u8]) -> String {
    let mut text = String::new();
    for c in String::from_utf8_lossy(bytes).chars() {
        if c.is_control() {
            text.extend(c.escape_default());
        } else {
            text.push(c);
        }
    }
    text
}

impl Transcript {
    /// The conversation as HTML: a heading naming both ends, then one button per line that
    /// carries `data-event`, the log index of the line's first frame. `client` and `server`
    /// name the two ends.
    pub fn markup(&self, client: &str, server: &str) -> String {
        let mut html = String::new();
        let _ = write!(
            html,
            r#"<p class="kr-stream__ends"><span class="kr-stream__end kr-stream__end--client">{} {}:{}</span> ⇄ <span class="kr-stream__end kr-stream__end--server">{} {}:{}</span></p><ol class="kr-stream__lines">"#,
            escape(client),
            self.client.0,
            self.client.1,
            escape(server),
            self.server.0,
            self.server.1
        );
        for line in &self.lines {
            let (modifier, mark) = match line.side {
                Side::Client => ("client", "C:"),
                Side::Server => ("server", "S:"),
            };
            let _ = write!(
                html,
                r#"<li class="kr-stream__line kr-stream__line--{modifier}{}"><button type="button" data-event="{}" data-testid="stream-line"><span class="kr-stream__mark">{mark}</span> {}{}</button></li>"#,
                if line.current {
                    " kr-stream__line--current"
                } else {
                    ""
                },
                line.first_event,
                escape(&line.text),
                if line.complete { "" } else { " …" },
            );
        }
        html.push_str("</ol>");
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::inspector::tests::submitted_world;

    /// The log index of the first frame laptop-ani sent whose bytes contain `needle`.
    fn sent_with(world: &World, needle: &[u8]) -> usize {
        world
            .events()
            .iter()
            .position(|event| match event.kind {
                EventKind::FrameSent { frame, .. } => world
                    .frame(frame)
                    .is_some_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle)),
                _ => false,
            })
            .unwrap()
    }

    fn texts(transcript: &Transcript, side: Side) -> Vec<&str> {
        transcript
            .lines
            .iter()
            .filter(|line| line.side == side)
            .map(|line| line.text.as_str())
            .collect()
    }

    #[test]
    fn the_submission_session_reads_as_a_conversation() {
        let world = submitted_world();
        let transcript = follow(&world, sent_with(&world, b"EHLO ")).unwrap();
        assert_eq!(transcript.server, ("192.0.2.25".parse().unwrap(), 587));
        assert_eq!(
            transcript.client.0,
            "192.0.2.10".parse::<Ipv4Addr>().unwrap()
        );
        let lines: Vec<(Side, &str)> = transcript
            .lines
            .iter()
            .map(|line| (line.side, line.text.as_str()))
            .collect();
        assert!(
            lines[0].0 == Side::Server && lines[0].1.starts_with("220 "),
            "{lines:?}"
        );
        assert!(lines[1].0 == Side::Client && lines[1].1.starts_with("EHLO "));
        let client = texts(&transcript, Side::Client);
        for expected in [
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<budi@beta.example>",
            "DATA",
            ".",
            "QUIT",
        ] {
            assert!(
                client.iter().any(|line| line.starts_with(expected)),
                "{expected} in {client:?}"
            );
        }
        assert!(client.contains(&"Subject: Halo Budi"));
        assert!(texts(&transcript, Side::Server)
            .iter()
            .any(|line| line.starts_with("221")));
        assert!(transcript.lines.iter().all(|line| line.complete));
        // Each server reply comes after the client line it answers.
        let position = |side: Side, prefix: &str| {
            transcript
                .lines
                .iter()
                .position(|line| line.side == side && line.text.starts_with(prefix))
                .unwrap()
        };
        assert!(position(Side::Client, "DATA") < position(Side::Server, "354"));
        assert!(position(Side::Client, "QUIT") < position(Side::Server, "221"));
    }

    #[test]
    fn every_line_links_to_frames_that_carry_its_bytes_and_to_their_first_event() {
        let world = submitted_world();
        let picked = sent_with(&world, b"RCPT TO:");
        let transcript = follow(&world, picked).unwrap();
        for line in &transcript.lines {
            let first = &world.events()[line.first_event];
            assert_eq!(first.frame(), Some(line.frames[0]));
            let bytes = world.frame(line.frames[0]).unwrap();
            let start = match line.text.get(..4).unwrap_or(&line.text) {
                "" => "\r\n",
                start => start,
            };
            assert!(
                bytes.windows(start.len()).any(|w| w == start.as_bytes()),
                "{line:?}"
            );
        }
        // With PIPELINING (RFC 2920) one segment carries MAIL, RCPT and DATA together.
        let picked_frame = world.events()[picked].frame().unwrap();
        let current: Vec<&str> = transcript
            .lines
            .iter()
            .filter(|line| line.current)
            .map(|line| line.text.as_str())
            .collect();
        assert_eq!(
            current,
            [
                "MAIL FROM:<ani@alpha.example> SIZE=235",
                "RCPT TO:<budi@beta.example>",
                "DATA"
            ]
        );
        assert!(transcript
            .lines
            .iter()
            .filter(|line| line.current)
            .all(|line| line.frames.contains(&picked_frame)));
    }

    #[test]
    fn a_router_copy_follows_the_same_relay_connection() {
        let world = submitted_world();
        let forwarded = world
            .events()
            .iter()
            .position(|event| {
                matches!(event.kind, EventKind::PacketForwarded { sent, .. }
                    if world.frame(sent).is_some_and(|b| b.windows(5).any(|w| w == b"EHLO ")))
            })
            .unwrap();
        let transcript = follow(&world, forwarded).unwrap();
        assert_eq!(transcript.server.1, 25);
        assert!(texts(&transcript, Side::Client).contains(&"RCPT TO:<budi@beta.example>"));
        assert!(transcript
            .lines
            .iter()
            .any(|line| line.current && line.text.starts_with("EHLO ")));
    }

    #[test]
    fn frames_without_tcp_have_no_stream() {
        let world = submitted_world();
        let dns = world
            .events()
            .iter()
            .position(|event| matches!(event.kind, EventKind::DnsQuery { .. }))
            .unwrap();
        assert_eq!(follow(&world, dns), None);
        let no_frame = world
            .events()
            .iter()
            .position(|event| event.frame().is_none())
            .unwrap();
        assert_eq!(follow(&world, no_frame), None);
    }

    #[test]
    fn the_markup_escapes_lines_and_marks_sides() {
        let transcript = Transcript {
            client: ("192.0.2.10".parse().unwrap(), 49152),
            server: ("192.0.2.25".parse().unwrap(), 587),
            lines: vec![
                StreamLine {
                    side: Side::Client,
                    text: "MAIL FROM:<ani@alpha.example>".into(),
                    complete: true,
                    frames: vec![FrameId(7)],
                    first_event: 42,
                    current: true,
                },
                StreamLine {
                    side: Side::Server,
                    text: "250 2.1.0".into(),
                    complete: false,
                    frames: vec![FrameId(9)],
                    first_event: 44,
                    current: false,
                },
            ],
        };
        let html = transcript.markup("Klien", "Server");
        assert!(html.contains("Klien 192.0.2.10:49152"));
        assert!(html.contains(r#"kr-stream__line--client kr-stream__line--current"><button type="button" data-event="42""#));
        assert!(html.contains("&lt;ani@alpha.example&gt;"));
        assert!(html.contains("250 2.1.0 …"));
        assert_eq!(printable(b"a\tb\xff"), "a\\tb\u{fffd}");
    }
}
