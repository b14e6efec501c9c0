//! `kurir`, the native command line of Kurir.
//!
//! `kurir serve` is the loopback bridge: the teaching world's SMTP, POP3 and IMAP servers on real TCP ports,
//! so real mail clients can talk to them (docs/ARCHITECTURE.md, rule 3). Unlike the simulated
//! core, this binary may read the system clock: it hands the engine the time for `Received:`.
//!
//! `kurir scenario` runs the named teaching scenarios in virtual time (no clock there).

mod bench;
mod cli;
mod clock;
mod delivery;
mod imap_session;
mod log;
mod mailbox_service;
mod maildir;
mod pop3_session;
mod scenario;
mod serve;
mod session;
mod world_relay;

use std::process::ExitCode;

use cli::Invocation;

/// The world allocates and frees small blocks all the time (SMTP lines, replies, events):
/// mimalloc does that in fewer instructions than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status for a command line that could not be understood.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::parse(&args) {
        Ok(Invocation::Help(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok(Invocation::Serve(options)) => match serve::run(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kurir: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Invocation::Bench(options)) => match bench::run(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kurir bench: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Invocation::Scenario(args)) => scenario::main(&args),
        Err(e) => {
            eprintln!("kurir: {e}; {}", e.hint());
            ExitCode::from(USAGE_ERROR)
        }
    }
}
