//! The one place `kurir serve` reads the wall clock: for the dates of `Received:` headers and
//! of mail as IMAP reports it. The simulated world never comes here (ARCHITECTURE.md rule 2).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 UTC (0 if the clock is set before it).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}
