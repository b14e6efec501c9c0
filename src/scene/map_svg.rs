//! The network map's drawing as SVG markup: domain areas, links, host icons by role, names,
//! the number of messages a host holds and a cross over a host that is switched off. The UI
//! puts it under the hosts' (invisible) buttons; it holds no interactive parts itself.

use std::fmt::Write;

use super::layout::{AreaLabel, LinkShape, MapLayout};
use super::markup::escape;
use crate::sim::default_world::HostRole;
use crate::sim::id::{HostId, LinkId};

/// What the drawing shows of one host's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostState {
    pub host: HostId,
    pub up: bool,
    /// Messages in its queue and mailboxes.
    pub held: usize,
}

/// The SVG elements (no `<svg>` wrapper) for `layout`; an area without a mail domain is
/// labelled `internet_label`; `highlight` is the link of the frame the learner picked.
pub fn draw(
    layout: &MapLayout,
    states: &[HostState],
    internet_label: &str,
    highlight: Option<LinkId>,
) -> String {
    let mut svg = String::new();
    for area in &layout.areas {
        let label = match &area.label {
            AreaLabel::Domain(domain) => domain.as_str(),
            AreaLabel::Internet => internet_label,
        };
        let r = area.rect;
        let _ = write!(
            svg,
            r#"<g class="kr-map__area"><rect x="{}" y="{}" width="{}" height="{}" rx="14"/><text x="{}" y="{}">{}</text></g>"#,
            px(r.x),
            px(r.y),
            px(r.width),
            px(r.height),
            px(r.x + 10.0),
            px(r.y + 20.0),
            escape(label)
        );
    }
    for link in &layout.links {
        let _ = write!(
            svg,
            r#"<g class="kr-map__link{}" data-link="{}">"#,
            if highlight == Some(link.link) {
                " kr-map__link--picked"
            } else {
                ""
            },
            escape(&link.name)
        );
        match &link.shape {
            LinkShape::Bus { top, bottom, drops } => {
                // The bus reaches a little past its outermost drops, along its own direction.
                let (dx, dy) = (bottom.x - top.x, bottom.y - top.y);
                let length = dx.hypot(dy).max(1.0);
                let (ex, ey) = (dx / length * BUS_OVERHANG, dy / length * BUS_OVERHANG);
                let _ = write!(
                    svg,
                    r#"<line class="kr-map__bus" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                    px(top.x - ex),
                    px(top.y - ey),
                    px(bottom.x + ex),
                    px(bottom.y + ey)
                );
                for drop in drops {
                    let _ = write!(
                        svg,
                        r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                        px(drop.at_host.x),
                        px(drop.at_host.y),
                        px(drop.at_bus.x),
                        px(drop.at_bus.y)
                    );
                }
            }
            LinkShape::Line { from, to } => {
                let _ = write!(
                    svg,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                    px(from.x),
                    px(from.y),
                    px(to.x),
                    px(to.y)
                );
            }
        }
        svg.push_str("</g>");
    }
    for spot in &layout.hosts {
        let state = states.iter().find(|s| s.host == spot.host);
        let up = state.is_none_or(|s| s.up);
        let _ = write!(
            svg,
            r#"<g class="kr-map__host kr-map__host--{}{}" transform="translate({} {})">{}<text class="kr-map__name" y="{}">{}</text>"#,
            role_class(spot.role),
            if up { "" } else { " kr-map__host--down" },
            px(spot.at.x),
            px(spot.at.y),
            icon(spot.role),
            px(spot.label_drop),
            escape(&spot.name)
        );
        if let Some(held) = state.map(|s| s.held).filter(|&held| held > 0) {
            let count = badge_count(held);
            // A circle holds two digits; `99+` gets a pill as tall as the circle.
            let shape = if count.len() > 2 {
                r#"<rect x="-16" y="-11" width="32" height="22" rx="11"/>"#
            } else {
                r#"<circle r="11"/>"#
            };
            let _ = write!(
                svg,
                r#"<g class="kr-map__badge" transform="translate(20 -22)">{shape}<text y="4">{count}</text></g>"#
            );
        }
        if !up {
            svg.push_str(r#"<path class="kr-map__down" d="M-18 -18 L18 18 M18 -18 L-18 18"/>"#);
        }
        svg.push_str("</g>");
    }
    svg
}

/// The count a host's badge shows: up to 99 as it is, more as `99+` (the host card tells the
/// exact number).
fn badge_count(held: usize) -> String {
    if held > 99 {
        "99+".to_string()
    } else {
        held.to_string()
    }
}

/// How far a bus reaches past its outermost drops.
const BUS_OVERHANG: f32 = 12.0;

/// A coordinate in whole map units: the map needs no finer detail, and integers keep float
/// formatting out of the page.
pub fn px(value: f32) -> i32 {
    value.round() as i32
}

/// The CSS modifier of a role: `kr-map__host--server`.
fn role_class(role: HostRole) -> &'static str {
    match role {
        HostRole::MailClient => "client",
        HostRole::MailServer => "server",
        HostRole::Router => "router",
        HostRole::Dns => "dns",
    }
}

/// A small icon centred on (0, 0), about 40 units across.
fn icon(role: HostRole) -> &'static str {
    match role {
        // A laptop: screen and base.
        HostRole::MailClient => {
            r#"<g class="kr-map__icon"><rect x="-16" y="-16" width="32" height="22" rx="3"/><path d="M-22 10 H22 L18 16 H-18 Z"/></g>"#
        }
        // A server: three stacked units.
        HostRole::MailServer => {
            r#"<g class="kr-map__icon"><rect x="-15" y="-20" width="30" height="12" rx="2"/><rect x="-15" y="-6" width="30" height="12" rx="2"/><rect x="-15" y="8" width="30" height="12" rx="2"/></g>"#
        }
        // A router: a disc with arrows out.
        HostRole::Router => {
            r#"<g class="kr-map__icon"><circle r="18"/><path class="kr-map__glyph" d="M-10 0 H10 M0 -10 V10 M6 -4 L10 0 L6 4 M-4 -6 L0 -10 L4 -6"/></g>"#
        }
        // DNS: a globe.
        HostRole::Dns => {
            r#"<g class="kr-map__icon"><circle r="18"/><path class="kr-map__glyph" d="M-18 0 H18 M0 -18 C-9 -9 -9 9 0 18 M0 -18 C9 -9 9 9 0 18"/></g>"#
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::topology::Topology;

    #[test]
    fn the_drawing_names_every_host_and_link_and_the_internet() {
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        let svg = draw(&layout, &[], "internet", None);
        for (_, host) in topology.hosts() {
            assert!(
                svg.contains(&format!(">{}</text>", host.name)),
                "{}",
                host.name
            );
        }
        for (_, link) in topology.links() {
            assert!(svg.contains(&format!("data-link=\"{}\"", link.name)));
        }
        assert!(svg.contains(">internet</text>"));
        assert!(svg.contains(">alpha.example</text>"));
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
    }

    #[test]
    fn a_host_that_is_off_is_crossed_out_and_mail_held_is_counted() {
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        let mx1 = topology.host_id("mx1.beta.example").unwrap();
        let svg = draw(
            &layout,
            &[HostState {
                host: mx1,
                up: false,
                held: 3,
            }],
            "internet",
            None,
        );
        assert_eq!(svg.matches("kr-map__host--down").count(), 1);
        assert_eq!(svg.matches("kr-map__down").count(), 1);
        assert!(svg.contains("<text y=\"4\">3</text>"));
    }

    #[test]
    fn a_badge_past_99_says_99_plus_on_a_pill() {
        assert_eq!(badge_count(99), "99");
        assert_eq!(badge_count(100), "99+");
        assert_eq!(badge_count(100_000), "99+");
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        let mx1 = topology.host_id("mx1.beta.example").unwrap();
        let state = |held| HostState {
            host: mx1,
            up: true,
            held,
        };
        let svg = draw(&layout, &[state(100_000)], "internet", None);
        assert!(svg.contains(r#"rx="11"/><text y="4">99+</text>"#));
        let svg = draw(&layout, &[state(42)], "internet", None);
        assert!(svg.contains(r#"<circle r="11"/><text y="4">42</text>"#));
    }

    #[test]
    fn the_picked_link_is_marked() {
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        let core = topology.link_id("core").unwrap();
        let svg = draw(&layout, &[], "internet", Some(core));
        assert_eq!(svg.matches("kr-map__link--picked").count(), 1);
        assert!(svg.contains(r#"kr-map__link kr-map__link--picked" data-link="core""#));
    }

    #[test]
    fn labels_are_escaped() {
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        let svg = draw(&layout, &[], "<i>net</i>", None);
        assert!(svg.contains("&lt;i&gt;net&lt;/i&gt;"));
        assert!(!svg.contains("<i>"));
    }
}
