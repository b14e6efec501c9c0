//! Identifiers of the things in the world, as newtypes so a frame number cannot be passed
//! where a message number is meant. Each is a plain index given out in order of creation,
//! so the same seed and commands give the same ids.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id as an index into the list it was given out from.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id given out after this one.
            pub fn next(self) -> $name {
                $name(self.0 + 1)
            }
        }

        impl crate::sim::id_map::DenseId for $name {
            fn index(self) -> usize {
                self.0 as usize
            }

            fn from_index(index: usize) -> $name {
                $name(index as u32)
            }
        }

        /// Compact and stable, for the canonical log text: `host#3`.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "#{}"), self.0)
            }
        }
    };
}

id_type!(
    /// A host of the topology: a laptop, a server, a router.
    HostId,
    "host"
);
id_type!(
    /// A link of the topology: one Ethernet segment.
    LinkId,
    "link"
);
id_type!(
    /// One Ethernet frame as it crossed one link. A router forwarding a packet sends a new
    /// frame (new MACs), so a packet that crosses three links has three frame ids.
    FrameId,
    "frame"
);
id_type!(
    /// One mail message from submission to delivery or bounce, across every server it visits.
    MessageId,
    "msg"
);
id_type!(
    /// One TCP connection, and so one SMTP session over it.
    ConnectionId,
    "conn"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_their_kind_and_number() {
        assert_eq!(HostId(3).to_string(), "host#3");
        assert_eq!(LinkId(0).to_string(), "link#0");
        assert_eq!(FrameId(12).to_string(), "frame#12");
        assert_eq!(MessageId(4).to_string(), "msg#4");
        assert_eq!(ConnectionId(2).to_string(), "conn#2");
    }

    #[test]
    fn ids_count_up_and_index_their_list() {
        let first = FrameId(0);
        assert_eq!(first.next(), FrameId(1));
        assert_eq!(HostId(7).index(), 7);
        assert!(first < first.next());
    }
}
