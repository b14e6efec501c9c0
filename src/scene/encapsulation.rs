//! What happens to a frame's layers where it is, as an ordered list of steps the inspector
//! animates: the sender wraps the application's data in a transport, a network and a data
//! link header and sends the bits; a router unwraps down to the network layer, looks the
//! destination up, lowers the TTL (RFC 791 §3.2; RFC 1812 §5.3.1) and writes new MAC addresses
//! for the next link before it wraps the packet again; the receiver unwraps up to the
//! application's line. Plain data, computed from the dissector's layer tree.

use std::net::Ipv4Addr;

use super::field_notes::layer_name;
use super::value_words::value_in;
use crate::lang::Lang;
use crate::sim::event::EventKind;
use crate::sim::id::FrameId;
use crate::sim::topology::HostSpec;
use crate::sim::world::World;
use crate::wire::ethernet::{EtherType, Frame};
use crate::wire::ipv4;
use crate::wire::layers::{dissect, LayerKind, LayerTree};

/// Where the frame is being looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The host whose IP address (or, for ARP, MAC address) the frame comes from.
    Sender,
    /// A router between the two ends: neither address is its own.
    Router,
    /// The host the packet is for.
    Receiver,
}

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The sending program hands its data to the transport layer.
    Write,
    /// A layer puts its header in front of what it was given.
    Wrap,
    /// A layer reads its header and takes it off.
    Unwrap,
    /// A router looks the destination address up in its routing table.
    Route,
    /// A router lowers the TTL by one and computes the header checksum again.
    LowerTtl,
    /// A router writes the MAC addresses of the next link.
    NewMacs,
    /// The receiving program gets the data.
    Read,
}

/// One step of the animation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    pub layer: LayerKind,
    /// `TCP`, `IPv4`, `Ethernet II`, `SMTP`, …
    pub protocol: String,
    /// The header's size for [`Action::Wrap`] and [`Action::Unwrap`]; 0 otherwise.
    pub header_bytes: usize,
    /// The values the step is about: `49152 → 587`, `64 → 63`, the SMTP line.
    pub detail: String,
    /// The frame as it stands after the step, outermost box first: what the learner sees
    /// wrapped and unwrapped.
    pub picture: Vec<Block>,
}

/// One box of a step's picture: a layer, named by its protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub layer: LayerKind,
    /// `Ethernet II`, `IPv4 · TTL 63`, `TCP`, `SMTP`, `336 bits`.
    pub label: String,
}

impl Step {
    /// The step in one sentence.
    pub fn describe(&self, lang: Lang) -> String {
        let (en, id) = match (self.action, self.layer) {
            (Action::Write, _) => (
                "{layer}: the program hands down {protocol} “{detail}”",
                "{layer}: program menyerahkan {protocol} “{detail}”",
            ),
            (Action::Read, _) => (
                "{layer}: the program receives {protocol} “{detail}”",
                "{layer}: program menerima {protocol} “{detail}”",
            ),
            (Action::Wrap, LayerKind::Physical) => (
                "{layer}: sent as bits — {detail}",
                "{layer}: dikirim sebagai bit — {detail}",
            ),
            (Action::Unwrap, LayerKind::Physical) => (
                "{layer}: the bits arrive — {detail}",
                "{layer}: bit-bitnya tiba — {detail}",
            ),
            (Action::Wrap, _) => (
                "{layer}: {protocol} puts its {n}-byte header in front — {detail}",
                "{layer}: {protocol} menaruh header {n} byte di depan — {detail}",
            ),
            (Action::Unwrap, _) => (
                "{layer}: the {n}-byte {protocol} header is read and taken off — {detail}",
                "{layer}: header {protocol} {n} byte dibaca lalu dilepas — {detail}",
            ),
            (Action::Route, _) => (
                "{layer}: the router looks {detail} up in its routing table",
                "{layer}: router mencari {detail} di tabel routing-nya",
            ),
            (Action::LowerTtl, _) => (
                "{layer}: TTL {detail}, one less for this router; the header checksum is computed again",
                "{layer}: TTL {detail}, berkurang satu di router ini; checksum header dihitung ulang",
            ),
            (Action::NewMacs, _) => (
                "{layer}: new MAC addresses for the next link — {detail}; the IP addresses stay",
                "{layer}: alamat MAC baru untuk link berikutnya — {detail}; alamat IP tetap",
            ),
        };
        // One substitution routine for every sentence keeps the page's code small.
        lang.pick(en, id)
            .replace("{layer}", layer_name(self.layer, lang))
            .replace("{protocol}", &self.protocol)
            .replace("{n}", &self.header_bytes.to_string())
            .replace("{detail}", &value_in(&self.detail, lang))
    }
}

/// The steps for the frame of event `index` of the world's log, where that event happened;
/// empty when the event has no frame.
pub fn steps_at_event(world: &World, index: usize) -> Vec<Step> {
    let Some(event) = world.events().get(index) else {
        return Vec::new();
    };
    let tree = |id: FrameId| {
        world.frame(id).map(|bytes| {
            let speed = world
                .frame_link(id)
                .and_then(|link| world.topology().link(link))
                .map_or(0, |link| link.bits_per_second);
            dissect(bytes, speed)
        })
    };
    if let EventKind::PacketForwarded { received, sent, .. } = event.kind {
        return match tree(received) {
            Some(received) => router_steps(&received, tree(sent).as_ref()),
            None => Vec::new(),
        };
    }
    let (Some(frame), Some(host)) = (
        event.frame(),
        event.host().and_then(|host| world.topology().host(host)),
    ) else {
        return Vec::new();
    };
    let (Some(bytes), Some(own)) = (world.frame(frame), tree(frame)) else {
        return Vec::new();
    };
    match place_of(host, bytes) {
        Place::Sender => sender_steps(&own),
        Place::Receiver => receiver_steps(&own),
        Place::Router => {
            let forwarding = world.events().iter().find_map(|event| match event.kind {
                EventKind::PacketForwarded { received, sent, .. }
                    if received == frame || sent == frame =>
                {
                    Some((received, sent))
                }
                _ => None,
            });
            match forwarding.and_then(|(received, sent)| Some((tree(received)?, tree(sent)))) {
                Some((received, sent)) => router_steps(&received, sent.as_ref()),
                None => router_steps(&own, None),
            }
        }
    }
}

/// Where `host` stands to `frame`: it sent it, it is its receiver, or it only passes it on.
pub fn place_of(host: &HostSpec, frame: &[u8]) -> Place {
    let Ok(ethernet) = Frame::new_checked(frame) else {
        return Place::Receiver;
    };
    if ethernet.ethertype() == EtherType::Ipv4 {
        if let Ok(packet) = ipv4::Packet::new_checked(ethernet.payload()) {
            let (source, destination): (Ipv4Addr, Ipv4Addr) =
                (packet.src_addr(), packet.dst_addr());
            return if host.owns(source) {
                Place::Sender
            } else if host.owns(destination) {
                Place::Receiver
            } else {
                Place::Router
            };
        }
    }
    let source = ethernet.src_addr();
    if host
        .interfaces
        .iter()
        .any(|interface| interface.mac == source)
    {
        Place::Sender
    } else {
        Place::Receiver
    }
}

/// At the sender: the application's data, then one header per layer, then the bits.
pub fn sender_steps(tree: &LayerTree) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(application) = application_step(tree, Action::Write) {
        steps.push(application);
    }
    for kind in [
        LayerKind::Transport,
        LayerKind::Network,
        LayerKind::DataLink,
    ] {
        steps.extend(header_step(tree, kind, Action::Wrap));
    }
    steps.extend(physical_step(tree, Action::Wrap));
    steps
}

/// At the receiver: the bits, then one header per layer taken off, then the data.
pub fn receiver_steps(tree: &LayerTree) -> Vec<Step> {
    let mut steps: Vec<Step> = physical_step(tree, Action::Unwrap).into_iter().collect();
    for kind in [
        LayerKind::DataLink,
        LayerKind::Network,
        LayerKind::Transport,
    ] {
        steps.extend(header_step(tree, kind, Action::Unwrap));
    }
    steps.extend(application_step(tree, Action::Read));
    steps
}

/// At a router: up to the network layer and back down, with `sent` the frame it put on the
/// next link (none when it dropped the packet).
pub fn router_steps(received: &LayerTree, sent: Option<&LayerTree>) -> Vec<Step> {
    let mut steps: Vec<Step> = physical_step(received, Action::Unwrap)
        .into_iter()
        .collect();
    steps.extend(header_step(received, LayerKind::DataLink, Action::Unwrap));
    let Some(network) = received.layer(LayerKind::Network) else {
        return steps;
    };
    let destination = value(received, LayerKind::Network, "Destination address");
    steps.push(Step {
        action: Action::Route,
        layer: LayerKind::Network,
        protocol: network.protocol.clone(),
        header_bytes: 0,
        detail: destination.to_owned(),
        picture: picture(received, |kind| kind >= LayerKind::Network),
    });
    // From here the packet is the one sent on: one TTL less, new MACs.
    let rewritten = sent.unwrap_or(received);
    let ttl_before = value(received, LayerKind::Network, "Time to live");
    let ttl_after = match sent {
        Some(sent) => value(sent, LayerKind::Network, "Time to live").to_owned(),
        None => ttl_before
            .parse::<u8>()
            .map_or_else(|_| String::new(), |ttl| ttl.saturating_sub(1).to_string()),
    };
    steps.push(Step {
        action: Action::LowerTtl,
        layer: LayerKind::Network,
        protocol: network.protocol.clone(),
        header_bytes: 0,
        detail: format!("{ttl_before} → {ttl_after}"),
        picture: picture(rewritten, |kind| kind >= LayerKind::Network),
    });
    let Some(sent) = sent else {
        return steps;
    };
    steps.push(Step {
        action: Action::NewMacs,
        layer: LayerKind::DataLink,
        protocol: protocol(sent, LayerKind::DataLink),
        header_bytes: 0,
        detail: mac_detail(sent),
        picture: picture(sent, |kind| kind >= LayerKind::Network),
    });
    steps.extend(header_step(sent, LayerKind::DataLink, Action::Wrap));
    steps.extend(physical_step(sent, Action::Wrap));
    steps
}

/// The value of field `name` in layer `kind`, or "" when the frame has none.
fn value<'t>(tree: &'t LayerTree, kind: LayerKind, name: &str) -> &'t str {
    tree.layer(kind)
        .and_then(|layer| layer.fields.iter().find(|field| field.name == name))
        .map_or("", |field| field.value.as_str())
}

fn protocol(tree: &LayerTree, kind: LayerKind) -> String {
    tree.layer(kind)
        .map(|layer| layer.protocol.clone())
        .unwrap_or_default()
}

fn mac_detail(tree: &LayerTree) -> String {
    format!(
        "{} → {}",
        value(tree, LayerKind::DataLink, "Source"),
        value(tree, LayerKind::DataLink, "Destination")
    )
}

/// A header's step; its size is where the layer inside it begins (or the whole layer, for
/// the innermost one, such as ARP or a TCP segment without data).
fn header_step(tree: &LayerTree, kind: LayerKind, action: Action) -> Option<Step> {
    let layer = tree.layer(kind)?;
    let inner = tree
        .layers
        .iter()
        .filter(|other| other.kind > kind)
        .map(|other| other.range.start)
        .min();
    let header_bytes = inner.unwrap_or(layer.range.end) - layer.range.start;
    let field = |name| value(tree, kind, name);
    let detail = match (kind, layer.protocol.as_str()) {
        (LayerKind::DataLink, _) => mac_detail(tree),
        (LayerKind::Network, "IPv4") => format!(
            "{} → {}, TTL {}",
            field("Source address"),
            field("Destination address"),
            field("Time to live")
        ),
        (LayerKind::Network, "ARP") => field("Meaning").to_owned(),
        (LayerKind::Transport, "TCP") => format!(
            "{} → {}, {}",
            field("Source port"),
            field("Destination port"),
            field("Flags")
        ),
        (LayerKind::Transport, "UDP") => {
            format!("{} → {}", field("Source port"), field("Destination port"))
        }
        _ => String::new(),
    };
    Some(Step {
        action,
        layer: kind,
        protocol: layer.protocol.clone(),
        header_bytes,
        detail,
        picture: picture(tree, |inner| match action {
            Action::Unwrap => inner > kind,
            _ => inner >= kind,
        }),
    })
}

fn physical_step(tree: &LayerTree, action: Action) -> Option<Step> {
    let layer = tree.layer(LayerKind::Physical)?;
    let field = |name| value(tree, LayerKind::Physical, name);
    Some(Step {
        action,
        layer: LayerKind::Physical,
        protocol: layer.protocol.clone(),
        header_bytes: 0,
        detail: format!("{}, {}", field("Bits"), field("Time on the wire")),
        picture: picture(tree, |kind| {
            action != Action::Unwrap || kind > LayerKind::Physical
        }),
    })
}

/// The data the application hands over or gets: its first line (and how many follow), a
/// DNS question, or the size of data that is no protocol Kurir reads.
fn application_step(tree: &LayerTree, action: Action) -> Option<Step> {
    let layer = tree.layer(LayerKind::Application)?;
    let first = layer
        .fields
        .iter()
        .find(|field| {
            matches!(
                field.name.as_str(),
                "Command" | "Reply" | "Question" | "Data"
            )
        })
        .or(layer.fields.first())?;
    let more = layer
        .fields
        .iter()
        .filter(|field| field.name == first.name)
        .count()
        - 1;
    let detail = match more {
        0 => first.value.clone(),
        more => format!("{} (+{more})", first.value),
    };
    Some(Step {
        action,
        layer: LayerKind::Application,
        protocol: layer.protocol.clone(),
        header_bytes: 0,
        detail,
        picture: picture(tree, |kind| kind == LayerKind::Application),
    })
}

/// The boxes of the layers of `tree` that `shown` keeps, outermost first.
fn picture(tree: &LayerTree, shown: impl Fn(LayerKind) -> bool) -> Vec<Block> {
    tree.layers
        .iter()
        .filter(|layer| shown(layer.kind))
        .map(|layer| Block {
            layer: layer.kind,
            label: match (layer.kind, layer.protocol.as_str()) {
                (LayerKind::Physical, _) => value(tree, LayerKind::Physical, "Bits").to_owned(),
                (LayerKind::Network, "IPv4") => {
                    format!(
                        "IPv4 · TTL {}",
                        value(tree, LayerKind::Network, "Time to live")
                    )
                }
                _ => layer.protocol.clone(),
            },
        })
        .collect()
}

/// The steps as an ordered list; each item carries its position in `--i` so the style sheet
/// can stagger them, its sentence, and its picture as boxes nested outermost first. Before
/// it, a button labelled `skip` (marked `data-skip`) with which the learner shows them all
/// at once; `still` when she has, so they come without animation.
pub fn steps_markup(steps: &[Step], lang: Lang, skip: &str, still: bool) -> String {
    use super::inspector::layer_class;
    use super::markup::escape;
    use std::fmt::Write;
    let mut html = format!(
        r#"<button type="button" class="kr-button kr-steps__skip" data-skip="" data-testid="skip-steps">{}</button><ol class="kr-steps{}" data-testid="encapsulation-steps">"#,
        escape(skip),
        if still { " kr-steps--still" } else { "" }
    );
    for (i, step) in steps.iter().enumerate() {
        let _ = write!(
            html,
            r#"<li class="kr-steps__step kr-steps__step--{}" style="--i:{i}">{}<span class="kr-pkt" aria-hidden="true">"#,
            layer_class(step.layer),
            escape(&step.describe(lang))
        );
        for block in &step.picture {
            let _ = write!(
                html,
                r#"<span class="kr-pkt__box kr-pkt__box--{}"><span class="kr-pkt__label">{}</span>"#,
                layer_class(block.layer),
                escape(&value_in(&block.label, lang))
            );
        }
        html.push_str(&"</span>".repeat(step.picture.len() + 1));
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::inspector::tests::submitted_world;

    fn actions(steps: &[Step]) -> Vec<(Action, LayerKind)> {
        steps.iter().map(|step| (step.action, step.layer)).collect()
    }

    /// The index of the first event of the log that `wanted` picks.
    fn first(world: &World, wanted: impl Fn(&EventKind) -> bool) -> usize {
        world
            .events()
            .iter()
            .position(|event| wanted(&event.kind))
            .unwrap()
    }

    fn host_is(world: &World, host: crate::sim::id::HostId, name: &str) -> bool {
        world.topology().host_name(host) == name
    }

    #[test]
    fn the_sender_wraps_the_smtp_line_layer_by_layer() {
        let world = submitted_world();
        let ehlo = first(&world, |kind| match kind {
            EventKind::FrameSent { host, frame, .. } => {
                host_is(&world, *host, "laptop-ani")
                    && world
                        .frame(*frame)
                        .is_some_and(|bytes| bytes.windows(5).any(|w| w == b"EHLO "))
            }
            _ => false,
        });
        let steps = steps_at_event(&world, ehlo);
        use Action::*;
        use LayerKind::*;
        assert_eq!(
            actions(&steps),
            [
                (Write, Application),
                (Wrap, Transport),
                (Wrap, Network),
                (Wrap, DataLink),
                (Wrap, Physical)
            ]
        );
        assert!(steps[0].detail.starts_with("EHLO laptop-ani"));
        assert_eq!(steps[1].header_bytes, 20);
        assert_eq!(steps[1].detail, "49152 → 587, 0x18 (PSH, ACK)");
        assert_eq!((steps[2].header_bytes, steps[3].header_bytes), (20, 14));
        assert!(steps[2]
            .detail
            .starts_with("192.0.2.10 → 192.0.2.25, TTL 64"));
        let text = steps[1].describe(Lang::Id);
        assert!(text.starts_with("Transport: TCP menaruh header 20 byte di depan"));
        // The picture grows one box per step, outermost first, ending in the bits.
        let pictures: Vec<Vec<&str>> = steps
            .iter()
            .map(|step| step.picture.iter().map(|b| b.label.as_str()).collect())
            .collect();
        assert_eq!(pictures[0], ["SMTP"]);
        assert_eq!(pictures[1], ["TCP", "SMTP"]);
        assert_eq!(pictures[2], ["IPv4 · TTL 64", "TCP", "SMTP"]);
        assert_eq!(pictures[3], ["Ethernet II", "IPv4 · TTL 64", "TCP", "SMTP"]);
        assert_eq!(pictures[4].len(), 5);
        assert!(pictures[4][0].ends_with(" bits"));
    }

    #[test]
    fn a_router_unwraps_to_the_network_lowers_the_ttl_and_changes_macs() {
        let world = submitted_world();
        let forwarded = first(&world, |kind| {
            matches!(kind, EventKind::PacketForwarded { .. })
        });
        let EventKind::PacketForwarded {
            received,
            sent,
            ttl_before,
            ttl_after,
            ..
        } = world.events()[forwarded].kind
        else {
            unreachable!()
        };
        let steps = steps_at_event(&world, forwarded);
        use Action::*;
        use LayerKind::*;
        assert_eq!(
            actions(&steps),
            [
                (Unwrap, Physical),
                (Unwrap, DataLink),
                (Route, Network),
                (LowerTtl, Network),
                (NewMacs, DataLink),
                (Wrap, DataLink),
                (Wrap, Physical)
            ]
        );
        assert_eq!(steps[3].detail, format!("{ttl_before} → {ttl_after}"));
        assert_eq!(ttl_after + 1, ttl_before);
        // Unwrapped to the IP header, which comes out one TTL lower, then wrapped again.
        let outermost: Vec<&str> = steps
            .iter()
            .map(|step| step.picture[0].label.as_str())
            .collect();
        let (before, after) = (
            format!("IPv4 · TTL {ttl_before}"),
            format!("IPv4 · TTL {ttl_after}"),
        );
        assert_eq!(outermost[1..5], [&before, &before, &after, &after]);
        assert_eq!(outermost[5], "Ethernet II");
        // What the IP packet carries is never opened.
        let innermost = &steps[0].picture.last().unwrap().label;
        assert!(steps
            .iter()
            .all(|step| &step.picture.last().unwrap().label == innermost));
        let mac = |id: FrameId| {
            let bytes = world.frame(id).unwrap();
            crate::wire::ethernet::MacAddress(bytes[6..12].try_into().unwrap()).to_string()
        };
        assert!(steps[1].detail.starts_with(&mac(received)));
        assert!(steps[4].detail.starts_with(&mac(sent)));
        assert_ne!(mac(received), mac(sent));
        // The same steps whether the learner picked the frame coming in or going out.
        let arrival = first(
            &world,
            |kind| matches!(kind, EventKind::FrameReceived { frame, .. } if *frame == received),
        );
        assert_eq!(steps_at_event(&world, arrival), steps);
    }

    #[test]
    fn the_receiver_unwraps_up_to_the_smtp_reply() {
        let world = submitted_world();
        let arrival = first(&world, |kind| match kind {
            EventKind::FrameReceived { host, frame, .. } => {
                host_is(&world, *host, "laptop-ani")
                    && world
                        .frame(*frame)
                        .is_some_and(|bytes| bytes.windows(4).any(|w| w == b"220 "))
            }
            _ => false,
        });
        let steps = steps_at_event(&world, arrival);
        use Action::*;
        use LayerKind::*;
        assert_eq!(
            actions(&steps),
            [
                (Unwrap, Physical),
                (Unwrap, DataLink),
                (Unwrap, Network),
                (Unwrap, Transport),
                (Read, Application)
            ]
        );
        assert!(steps[4].detail.starts_with("220 mail.alpha.example"));
        let boxes: Vec<usize> = steps.iter().map(|step| step.picture.len()).collect();
        assert_eq!(boxes, [4, 3, 2, 1, 1], "one box fewer per header taken off");
        assert!(steps[4]
            .describe(Lang::En)
            .contains("the program receives SMTP"));
    }

    #[test]
    fn an_arp_request_is_sent_from_the_network_layer_and_events_without_frames_have_no_steps() {
        let world = submitted_world();
        let request = first(&world, |kind| matches!(kind, EventKind::ArpRequest { .. }));
        let steps = steps_at_event(&world, request);
        assert_eq!(
            actions(&steps),
            [
                (Action::Wrap, LayerKind::Network),
                (Action::Wrap, LayerKind::DataLink),
                (Action::Wrap, LayerKind::Physical)
            ]
        );
        assert!(steps[0].detail.starts_with("Who has"));
        let no_frame = first(&world, |kind| {
            matches!(kind, EventKind::TcpStateChanged { .. })
        });
        assert!(steps_at_event(&world, no_frame).is_empty());
        assert!(steps_at_event(&world, usize::MAX).is_empty());
    }

    #[test]
    fn the_markup_lists_every_step_escaped_and_numbered() {
        let step = Step {
            action: Action::Write,
            layer: LayerKind::Application,
            protocol: "SMTP".into(),
            header_bytes: 0,
            detail: "MAIL FROM:<ani@alpha.example>".into(),
            picture: vec![Block {
                layer: LayerKind::Application,
                label: "SMTP".into(),
            }],
        };
        let html = steps_markup(&[step.clone(), step.clone()], Lang::En, "Show <all>", false);
        assert_eq!(html.matches("<li").count(), 2);
        assert!(html.contains(r#"style="--i:1""#));
        assert!(html.contains("&lt;ani@alpha.example&gt;"));
        assert!(html.starts_with("<button") && html.contains(">Show &lt;all&gt;</button>"));
        assert_eq!(html.matches("kr-pkt__box--application").count(), 2);
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count(),
            "every box is closed"
        );
        assert!(!html.contains("kr-steps--still"));
        let still = steps_markup(&[step], Lang::En, "Show all", true);
        assert!(still.contains(r#"<ol class="kr-steps kr-steps--still""#));
    }
}
