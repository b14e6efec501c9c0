//! Where everything sits on the network map, computed from the topology alone.
//!
//! Links are laid out left to right in id order (the default world numbers them that way:
//! alpha-lan, r1-r2, core, r2-r3, beta-lan), one column each. A link with hosts other than
//! routers on it is a LAN, drawn as a vertical bus with its hosts stacked beside it (left of
//! the bus in the left half of the map, right of it in the right half) and joined to it by a
//! short drop. A router sits at the mean column of the links it joins, so a point-to-point
//! link between two routers is a straight line. Each LAN is framed by an area labelled with
//! its mail domain (mail.alpha.example → alpha.example), or as the internet when it has none.
//!
//! Units are SVG user units of a `0 0 width height` view box; the UI scales it to the screen.

use crate::sim::default_world::HostRole;
use crate::sim::id::{HostId, LinkId};
use crate::sim::topology::Topology;

/// Horizontal distance between two link columns.
const COLUMN_WIDTH: f32 = 160.0;
/// Room left of the first column and right of the last one, for hosts and their labels.
const SIDE_MARGIN: f32 = 150.0;
/// How far a LAN's hosts sit from its bus.
const HOST_OFFSET: f32 = 70.0;
/// Vertical distance between two hosts on one LAN.
const ROW_HEIGHT: f32 = 95.0;
/// Room above the first row and below the last one (area labels, host labels).
const TOP_MARGIN: f32 = 70.0;
/// How far an area reaches past the hosts it frames.
const AREA_PADDING: f32 = 45.0;
/// How far below a host's centre its name's baseline sits.
const LABEL_DROP: f32 = 44.0;
/// The extra drop of every other name in a row.
const LABEL_STAGGER: f32 = 16.0;

/// A point in map units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    fn lerp(self, other: Point, t: f32) -> Point {
        Point::new(
            self.x + (other.x - self.x) * t,
            self.y + (other.y - self.y) * t,
        )
    }
}

/// An axis-aligned rectangle in map units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn contains(&self, point: Point) -> bool {
        (self.x..=self.x + self.width).contains(&point.x)
            && (self.y..=self.y + self.height).contains(&point.y)
    }
}

/// One host's place.
#[derive(Clone, Debug, PartialEq)]
pub struct HostSpot {
    pub host: HostId,
    pub name: String,
    pub role: HostRole,
    pub at: Point,
    /// How far below the icon its name goes: staggered where hosts stand side by side, so
    /// long names do not run into each other.
    pub label_drop: f32,
}

/// How a link is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkShape {
    /// A shared segment: a vertical bus from `top` to `bottom`, and one drop per host from
    /// the host to the bus.
    Bus {
        top: Point,
        bottom: Point,
        drops: Vec<Drop>,
    },
    /// A point-to-point link: a straight line.
    Line { from: Point, to: Point },
}

/// Where a host meets a bus.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drop {
    pub host: HostId,
    pub at_host: Point,
    pub at_bus: Point,
}

/// One link's place.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkSpot {
    pub link: LinkId,
    pub name: String,
    pub shape: LinkShape,
}

/// What an area is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaLabel {
    /// The mail domain served on this LAN, e.g. `alpha.example`.
    Domain(String),
    /// A LAN with no mail domain of its own: the shared middle of the internet.
    Internet,
}

/// A framed region of the map around one LAN.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub link: LinkId,
    pub label: AreaLabel,
    pub rect: Rect,
}

/// The whole map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLayout {
    pub width: f32,
    pub height: f32,
    pub hosts: Vec<HostSpot>,
    pub links: Vec<LinkSpot>,
    pub areas: Vec<Area>,
}

/// Which way the map runs: left to right on wide screens, top to bottom on phones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orientation {
    Across,
    Down,
}

impl MapLayout {
    /// Lays out `topology` running `orientation`: `Down` is `Across` mirrored on the diagonal,
    /// so alpha sits at the top and beta at the bottom.
    pub fn oriented(topology: &Topology, orientation: Orientation) -> MapLayout {
        let layout = MapLayout::of(topology);
        match orientation {
            Orientation::Across => layout,
            Orientation::Down => layout.transposed(),
        }
    }

    fn transposed(self) -> MapLayout {
        let flip = |p: Point| Point::new(p.y, p.x);
        let mut hosts: Vec<HostSpot> = self
            .hosts
            .into_iter()
            .map(|spot| HostSpot {
                at: flip(spot.at),
                ..spot
            })
            .collect();
        // Hosts of one LAN now stand in a row: every other name one line lower.
        for i in 0..hosts.len() {
            let row_before = hosts[..i]
                .iter()
                .filter(|other| other.at.y == hosts[i].at.y && other.at.x < hosts[i].at.x)
                .count()
                + hosts[i + 1..]
                    .iter()
                    .filter(|other| other.at.y == hosts[i].at.y && other.at.x < hosts[i].at.x)
                    .count();
            if row_before % 2 == 1 {
                hosts[i].label_drop = LABEL_DROP + LABEL_STAGGER;
            }
        }
        MapLayout {
            width: self.height,
            height: self.width + LABEL_STAGGER,
            hosts,
            links: self
                .links
                .into_iter()
                .map(|link| LinkSpot {
                    shape: match link.shape {
                        LinkShape::Bus { top, bottom, drops } => LinkShape::Bus {
                            top: flip(top),
                            bottom: flip(bottom),
                            drops: drops
                                .into_iter()
                                .map(|d| Drop {
                                    at_host: flip(d.at_host),
                                    at_bus: flip(d.at_bus),
                                    ..d
                                })
                                .collect(),
                        },
                        LinkShape::Line { from, to } => LinkShape::Line {
                            from: flip(from),
                            to: flip(to),
                        },
                    },
                    ..link
                })
                .collect(),
            areas: self
                .areas
                .into_iter()
                .map(|area| Area {
                    rect: Rect {
                        x: area.rect.y,
                        y: area.rect.x,
                        width: area.rect.height,
                        height: area.rect.width,
                    },
                    ..area
                })
                .collect(),
        }
    }

    /// Lays out every host and link of `topology`, left to right.
    pub fn of(topology: &Topology) -> MapLayout {
        let links: Vec<LinkId> = topology.links().map(|(id, _)| id).collect();
        // Tables indexed by id (ids are dense indexes): cheaper in the page than maps.
        let link_slots = links.iter().map(|l| l.index() + 1).max().unwrap_or(0);
        let mut column_of = vec![0; link_slots];
        for (column, link) in links.iter().enumerate() {
            column_of[link.index()] = column;
        }
        let column_x = |column: f32| SIDE_MARGIN + column * COLUMN_WIDTH;
        let middle = (links.len().saturating_sub(1)) as f32 / 2.0;

        // The hosts of each LAN, in host order, routers apart.
        let mut lan_hosts: Vec<Vec<HostId>> = vec![Vec::new(); link_slots];
        for (host, spec) in topology.hosts() {
            if spec.role == HostRole::Router {
                continue;
            }
            if let Some(hosts) = spec
                .interfaces
                .first()
                .and_then(|i| lan_hosts.get_mut(i.link.index()))
            {
                hosts.push(host);
            }
        }
        let rows = lan_hosts.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = 2.0 * TOP_MARGIN + (rows - 1) as f32 * ROW_HEIGHT;
        let centre_y = height / 2.0;
        let width = 2.0 * SIDE_MARGIN + (links.len().max(1) - 1) as f32 * COLUMN_WIDTH;

        let host_slots = topology
            .hosts()
            .map(|(h, _)| h.index() + 1)
            .max()
            .unwrap_or(0);
        let mut positions: Vec<Point> = vec![Point::new(SIDE_MARGIN, centre_y); host_slots];
        for (link, hosts) in lan_hosts.iter().enumerate() {
            if hosts.is_empty() {
                continue;
            }
            let column = column_of[link] as f32;
            let side = if column < middle { -1.0 } else { 1.0 };
            let first_y = centre_y - (hosts.len() - 1) as f32 * ROW_HEIGHT / 2.0;
            for (row, &host) in hosts.iter().enumerate() {
                positions[host.index()] = Point::new(
                    column_x(column) + side * HOST_OFFSET,
                    first_y + row as f32 * ROW_HEIGHT,
                );
            }
        }
        for (host, spec) in topology.hosts() {
            if spec.role != HostRole::Router {
                continue;
            }
            let columns: Vec<f32> = spec
                .interfaces
                .iter()
                .filter_map(|i| column_of.get(i.link.index()))
                .map(|&c| c as f32)
                .collect();
            let column = if columns.is_empty() {
                middle
            } else {
                columns.iter().sum::<f32>() / columns.len() as f32
            };
            positions[host.index()] = Point::new(column_x(column), centre_y);
        }

        let hosts = topology
            .hosts()
            .map(|(host, spec)| HostSpot {
                host,
                name: spec.name.clone(),
                role: spec.role,
                at: positions[host.index()],
                label_drop: LABEL_DROP,
            })
            .collect();

        let mut link_spots = Vec::new();
        let mut areas = Vec::new();
        for (link, spec) in topology.links() {
            let ends: Vec<HostId> = spec.ends.iter().map(|end| end.host).collect();
            let bus_x = column_x(column_of[link.index()] as f32);
            let shape = if !lan_hosts[link.index()].is_empty() {
                let drops: Vec<Drop> = ends
                    .iter()
                    .map(|&host| {
                        let at_host = positions[host.index()];
                        Drop {
                            host,
                            at_host,
                            at_bus: Point::new(bus_x, at_host.y),
                        }
                    })
                    .collect();
                let top = drops.iter().map(|d| d.at_bus.y).fold(f32::MAX, f32::min);
                let bottom = drops.iter().map(|d| d.at_bus.y).fold(f32::MIN, f32::max);
                areas.push(area_around(topology, link, &drops));
                LinkShape::Bus {
                    top: Point::new(bus_x, top),
                    bottom: Point::new(bus_x, bottom),
                    drops,
                }
            } else {
                let from = ends
                    .first()
                    .map_or(Point::new(bus_x, centre_y), |h| positions[h.index()]);
                let to = ends.get(1).map_or(from, |h| positions[h.index()]);
                LinkShape::Line { from, to }
            };
            link_spots.push(LinkSpot {
                link,
                name: spec.name.clone(),
                shape,
            });
        }

        MapLayout {
            width,
            height,
            hosts,
            links: link_spots,
            areas,
        }
    }

    pub fn host(&self, host: HostId) -> Option<&HostSpot> {
        self.hosts.iter().find(|spot| spot.host == host)
    }

    pub fn link(&self, link: LinkId) -> Option<&LinkSpot> {
        self.links.iter().find(|spot| spot.link == link)
    }

    /// The way a frame travels on `link` from host `from` to host `to`: down the sender's
    /// drop, along the bus, up the receiver's drop; or straight along a point-to-point link.
    /// `None` when either host is not on the link.
    pub fn path(&self, link: LinkId, from: HostId, to: HostId) -> Option<Path> {
        match &self.link(link)?.shape {
            LinkShape::Bus { drops, .. } => {
                let start = drops.iter().find(|d| d.host == from)?;
                let end = drops.iter().find(|d| d.host == to)?;
                Some(Path::new(vec![
                    start.at_host,
                    start.at_bus,
                    end.at_bus,
                    end.at_host,
                ]))
            }
            LinkShape::Line { .. } => {
                let start = self.host(from)?.at;
                let end = self.host(to)?.at;
                Some(Path::new(vec![start, end]))
            }
        }
    }
}

/// The area framing a LAN's hosts and bus, labelled by the mail domain served there.
fn area_around(topology: &Topology, link: LinkId, drops: &[Drop]) -> Area {
    let points = drops.iter().flat_map(|d| [d.at_host, d.at_bus]);
    let (mut min, mut max) = (
        Point::new(f32::MAX, f32::MAX),
        Point::new(f32::MIN, f32::MIN),
    );
    for point in points {
        min = Point::new(min.x.min(point.x), min.y.min(point.y));
        max = Point::new(max.x.max(point.x), max.y.max(point.y));
    }
    let domain = drops
        .iter()
        .filter_map(|d| topology.host(d.host))
        .filter(|spec| spec.role == HostRole::MailServer)
        .find_map(|spec| {
            let (_, domain) = spec.name.split_once('.')?;
            domain.contains('.').then(|| domain.to_string())
        });
    Area {
        link,
        label: domain.map_or(AreaLabel::Internet, AreaLabel::Domain),
        rect: Rect {
            x: min.x - AREA_PADDING,
            y: min.y - AREA_PADDING,
            width: max.x - min.x + 2.0 * AREA_PADDING,
            height: max.y - min.y + 2.0 * AREA_PADDING,
        },
    }
}

/// A polyline something moves along.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    points: Vec<Point>,
    length: f32,
}

impl Path {
    fn new(points: Vec<Point>) -> Path {
        let length = points.windows(2).map(|w| w[0].distance(w[1])).sum();
        Path { points, length }
    }

    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// The point `fraction` (0 = start, 1 = end, clamped) of the way along.
    pub fn point_at(&self, fraction: f32) -> Point {
        let fraction = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        let mut left = fraction * self.length;
        for pair in self.points.windows(2) {
            let step = pair[0].distance(pair[1]);
            if left <= step && step > 0.0 {
                return pair[0].lerp(pair[1], left / step);
            }
            left -= step;
        }
        self.points.last().copied().unwrap_or(Point::new(0.0, 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> (Topology, MapLayout) {
        let topology = Topology::default_world();
        let layout = MapLayout::of(&topology);
        (topology, layout)
    }

    fn at(layout: &MapLayout, topology: &Topology, name: &str) -> Point {
        layout.host(topology.host_id(name).unwrap()).unwrap().at
    }

    #[test]
    fn every_host_has_its_own_place_inside_the_map() {
        let (topology, layout) = layout();
        assert_eq!(layout.hosts.len(), topology.hosts().count());
        for (i, a) in layout.hosts.iter().enumerate() {
            assert!(a.at.x > 0.0 && a.at.x < layout.width, "{}", a.name);
            assert!(a.at.y > 0.0 && a.at.y < layout.height, "{}", a.name);
            for b in &layout.hosts[i + 1..] {
                assert!(
                    a.at.distance(b.at) >= 60.0,
                    "{} and {} overlap",
                    a.name,
                    b.name
                );
            }
        }
    }

    #[test]
    fn mail_flows_left_to_right_from_alpha_through_the_routers_to_beta() {
        let (topology, layout) = layout();
        let x = |name| at(&layout, &topology, name).x;
        assert!(x("laptop-ani") < x("r1"));
        assert!(x("mail.alpha.example") < x("r1"));
        assert!(x("r1") < x("r2") && x("r2") < x("r3"));
        assert!(x("r3") < x("mx1.beta.example"));
        assert_eq!(
            x("mx1.beta.example"),
            x("phone-budi"),
            "one LAN, one column"
        );
    }

    #[test]
    fn each_lan_is_framed_and_named_by_its_mail_domain() {
        let (topology, layout) = layout();
        let labels: Vec<&AreaLabel> = layout.areas.iter().map(|a| &a.label).collect();
        assert_eq!(
            labels,
            [
                &AreaLabel::Domain("alpha.example".into()),
                &AreaLabel::Internet,
                &AreaLabel::Domain("beta.example".into()),
            ]
        );
        for area in &layout.areas {
            let LinkShape::Bus { drops, .. } = &layout.link(area.link).unwrap().shape else {
                panic!("an area frames a LAN");
            };
            for drop in drops {
                assert!(
                    area.rect.contains(drop.at_host),
                    "{:?}",
                    topology.host_name(drop.host)
                );
            }
        }
    }

    #[test]
    fn point_to_point_links_join_their_routers() {
        let (topology, layout) = layout();
        let link = layout.link(topology.link_id("r2-r3").unwrap()).unwrap();
        assert_eq!(
            link.shape,
            LinkShape::Line {
                from: at(&layout, &topology, "r2"),
                to: at(&layout, &topology, "r3"),
            }
        );
    }

    #[test]
    fn a_frame_on_a_lan_goes_down_the_drop_along_the_bus_and_up() {
        let (topology, layout) = layout();
        let ani = topology.host_id("laptop-ani").unwrap();
        let r1 = topology.host_id("r1").unwrap();
        let lan = topology.link_id("alpha-lan").unwrap();
        let path = layout.path(lan, ani, r1).unwrap();
        assert_eq!(path.points().len(), 4);
        assert_eq!(path.point_at(0.0), at(&layout, &topology, "laptop-ani"));
        assert_eq!(path.point_at(1.0), at(&layout, &topology, "r1"));
        assert_eq!(path.point_at(-3.0), path.point_at(0.0));
        assert_eq!(path.point_at(f32::NAN), path.point_at(0.0));
        let mut previous = path.point_at(0.0);
        let mut travelled = 0.0;
        for step in 1..=1000 {
            let point = path.point_at(step as f32 / 1000.0);
            travelled += previous.distance(point);
            previous = point;
        }
        assert!(
            (travelled - path.length).abs() < 1.0,
            "moves at an even pace"
        );
        assert!(layout
            .path(lan, ani, topology.host_id("r3").unwrap())
            .is_none());
    }

    #[test]
    fn on_a_phone_the_map_runs_top_to_bottom() {
        let topology = Topology::default_world();
        let across = MapLayout::of(&topology);
        let down = MapLayout::oriented(&topology, Orientation::Down);
        assert_eq!(down.width, across.height);
        assert_eq!(
            down.height,
            across.width + LABEL_STAGGER,
            "room for staggered names"
        );
        let names_in_beta_row: Vec<f32> = down
            .hosts
            .iter()
            .filter(|spot| spot.name.contains("beta") || spot.name.contains("budi"))
            .map(|spot| spot.label_drop)
            .collect();
        assert!(names_in_beta_row.contains(&LABEL_DROP));
        assert!(names_in_beta_row.contains(&(LABEL_DROP + LABEL_STAGGER)));
        let y = |name| at(&down, &topology, name).y;
        assert!(y("laptop-ani") < y("r2") && y("r2") < y("mx1.beta.example"));
        for area in &down.areas {
            let LinkShape::Bus { drops, .. } = &down.link(area.link).unwrap().shape else {
                panic!("an area frames a LAN");
            };
            assert!(drops.iter().all(|d| area.rect.contains(d.at_host)));
        }
    }

    #[test]
    fn added_hosts_get_a_row_of_their_own() {
        use crate::sim::default_world::HostRole;
        use crate::sim::topology::NewHost;
        let mut topology = Topology::default_world();
        let lan = topology.link_id("alpha-lan").unwrap();
        topology
            .add_host(NewHost {
                name: "laptop-citra".into(),
                role: HostRole::MailClient,
                interfaces: vec![("192.0.2.11/24".parse().unwrap(), lan)],
                routes: vec![],
            })
            .unwrap();
        let layout = MapLayout::of(&topology);
        let citra = at(&layout, &topology, "laptop-citra");
        assert_eq!(citra.x, at(&layout, &topology, "laptop-ani").x);
        for spot in &layout.hosts {
            if spot.name != "laptop-citra" {
                assert!(spot.at.distance(citra) >= 60.0, "{} overlaps", spot.name);
            }
        }
    }
}
