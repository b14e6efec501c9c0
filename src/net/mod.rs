//! Transport and network logic of the simulated hosts: connection state machines, resolvers
//! and routing. Sans-IO like the protocol engines: segments in, segments and events out.

pub mod dns;
pub mod tcp;
