//! The simulated world Kurir teaches with. For now: the default teaching world's hosts,
//! accounts and the SMTP services on them (docs/ARCHITECTURE.md, "The default teaching world").

pub mod default_world;
