//! `kurir scenario list` and `kurir scenario run NAME [--pcap FILE] [--seed N]`: the named
//! teaching scenarios of [`kurir::sim::scenario`], run in virtual time, printed as a timeline
//! (time, host, layer, what happened) and the SMTP transcript of every session, with the
//! capture written as a libpcap file that Wireshark opens.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{flag_value, split_flag};
use kurir::sim::event::{EventKind, SimEvent};
use kurir::sim::id::MessageId;
use kurir::sim::scenario::{self, Scenario, SCENARIOS};
use kurir::sim::world::World;

pub const SCENARIO_USAGE: &str = "\
kurir scenario: run the named teaching scenarios of the simulated world

Usage:
  kurir scenario list
  kurir scenario run NAME [--pcap FILE] [--seed N]

Options:
  --pcap FILE   write every frame of the run to FILE (libpcap, opens in Wireshark)
  --seed N      use seed N instead of the scenario's own (the run is the same for the same N)
  -h, --help    show this text
";

/// Exit status for a command line that could not be understood.
const USAGE_ERROR: u8 = 2;

/// What `kurir scenario` was asked.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    Help,
    List,
    Run {
        scenario: &'static Scenario,
        pcap: Option<PathBuf>,
        seed: Option<u64>,
    },
}

/// Runs `kurir scenario` with the arguments after `scenario`.
pub fn main(args: &[String]) -> ExitCode {
    match parse(args) {
        Ok(Request::Help) => {
            emit(SCENARIO_USAGE);
            ExitCode::SUCCESS
        }
        Ok(Request::List) => {
            emit(&list());
            ExitCode::SUCCESS
        }
        Ok(Request::Run {
            scenario,
            pcap,
            seed,
        }) => match scenario.run(seed) {
            Ok(world) => {
                emit(&report(scenario, &world));
                if let Some(path) = pcap {
                    if let Err(e) = std::fs::write(&path, world.pcap()) {
                        eprintln!("kurir scenario: cannot write {}: {e}", path.display());
                        return ExitCode::FAILURE;
                    }
                    emit(&format!(
                        "capture: {} frames written to {}\n",
                        world.frame_count(),
                        path.display()
                    ));
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kurir scenario: {} cannot run: {e}", scenario.name);
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("kurir scenario: {message}; see `kurir scenario --help`");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error worth a panic.
fn emit(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn parse(args: &[String]) -> Result<Request, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("missing `list` or `run NAME`".to_string());
    };
    match command.as_str() {
        "-h" | "--help" | "help" => Ok(Request::Help),
        "list" => match rest.first() {
            None => Ok(Request::List),
            Some(extra) => Err(format!("`list` takes no arguments, got `{extra}`")),
        },
        "run" => parse_run(rest),
        other => Err(format!(
            "unknown subcommand `{other}` (expected `list` or `run`)"
        )),
    }
}

fn parse_run(args: &[String]) -> Result<Request, String> {
    let mut name = None;
    let mut pcap = None;
    let mut seed = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = split_flag(arg);
        let mut value = |flag: &str| {
            flag_value(&inline_value, &mut args).ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(Request::Help),
            "--pcap" => pcap = Some(PathBuf::from(value("--pcap")?)),
            "--seed" => {
                let text = value("--seed")?;
                seed = Some(text.parse::<u64>().map_err(|_| {
                    format!(
                        "`--seed {text}`: expected a whole number from 0 to {}",
                        u64::MAX
                    )
                })?);
            }
            _ if flag.starts_with('-') => return Err(format!("unknown option `{arg}`")),
            _ if name.is_none() => name = Some(arg.clone()),
            _ => return Err(format!("one scenario at a time (got `{arg}` too)")),
        }
    }
    let name = name.ok_or_else(|| {
        format!(
            "`run` needs a scenario name, one of: {}",
            scenario::names().join(", ")
        )
    })?;
    let scenario = scenario::find(&name).ok_or_else(|| {
        format!(
            "no scenario called `{name}`; the scenarios are: {}",
            scenario::names().join(", ")
        )
    })?;
    Ok(Request::Run {
        scenario,
        pcap,
        seed,
    })
}

/// Every scenario's name and description, one a line.
fn list() -> String {
    let width = SCENARIOS.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for scenario in &SCENARIOS {
        let _ = writeln!(text, "{:width$}  {}", scenario.name, scenario.description);
    }
    text
}

/// The timeline, then the SMTP transcripts.
fn report(scenario: &Scenario, world: &World) -> String {
    let topology = world.topology();
    let mut text = String::new();
    let _ = writeln!(text, "scenario {}: {}", scenario.name, scenario.description);
    let _ = writeln!(text, "\nTimeline ({} events)", world.events().len());
    for event in world.events() {
        let host = event
            .host()
            .map_or_else(|| "-".to_string(), |h| topology.host_name(h));
        let _ = writeln!(
            text,
            "{:>14}  {:<19} {:<11} {}",
            event.at.since_start().to_string(),
            host,
            event.layer().to_string(),
            event.summary(topology)
        );
    }
    let _ = writeln!(text, "\nSMTP transcripts");
    for (message, lines) in transcripts(world.events()) {
        let client = lines.iter().find_map(|e| match &e.kind {
            EventKind::SmtpCommand { host, .. } => Some(topology.host_name(*host)),
            _ => None,
        });
        let server = lines.iter().find_map(|e| match &e.kind {
            EventKind::SmtpReply { host, .. } => Some(topology.host_name(*host)),
            _ => None,
        });
        let _ = writeln!(
            text,
            "\n{message}: {} -> {}",
            client.unwrap_or_else(|| "?".into()),
            server.unwrap_or_else(|| "?".into())
        );
        for event in lines {
            match &event.kind {
                EventKind::SmtpCommand { line, .. } => {
                    let _ = writeln!(text, "  C: {line}");
                }
                EventKind::SmtpReply { text: reply, .. } => {
                    for line in reply.lines() {
                        let _ = writeln!(text, "  S: {line}");
                    }
                }
                _ => {}
            }
        }
    }
    text
}

/// The SMTP lines of each session (client and server share the message id), in the order
/// the sessions began.
fn transcripts(events: &[SimEvent]) -> Vec<(MessageId, Vec<&SimEvent>)> {
    let mut order: Vec<MessageId> = Vec::new();
    let mut lines: BTreeMap<MessageId, Vec<&SimEvent>> = BTreeMap::new();
    for event in events {
        let message = match &event.kind {
            EventKind::SmtpCommand { message, .. } | EventKind::SmtpReply { message, .. } => {
                *message
            }
            _ => continue,
        };
        let Some(message) = message else { continue };
        if !lines.contains_key(&message) {
            order.push(message);
        }
        lines.entry(message).or_default().push(event);
    }
    order
        .into_iter()
        .map(|m| (m, lines.remove(&m).unwrap_or_default()))
        .collect()
}
