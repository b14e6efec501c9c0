//! The command line of `kurir`: usage texts and a hand-written parser for the few flags.
//!
//! Errors are values with a `Display` that names the flag and what it expects; `main` prints
//! them and exits with status 2, the usual code for a usage error.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "\
kurir: real SMTP engines from the Kurir teaching world, on your own machine

Usage:
  kurir serve [OPTIONS]   serve the world's SMTP servers on loopback ports
  kurir bench [OPTIONS]   measure how fast the simulated world delivers mail
  kurir scenario list     the named teaching scenarios
  kurir scenario run NAME [--pcap FILE] [--seed N]
                          run one: timeline, SMTP transcripts, capture
  kurir --help            show this text

Run `kurir serve --help` for the options of serve.
Run `kurir bench --help` for the options of bench.
Run `kurir scenario --help` for the options of scenario.
";

pub const BENCH_USAGE: &str = "\
kurir bench: messages per second through the simulated world, against Postfix on loopback

Usage:
  kurir bench [--messages N] [--recipients R] [--per-session S] [--quick]
              [--postfix-dir DIR]

Options:
  --messages N         messages per run, laptop-ani to mx1.beta.example:25 [default: 2000]
  --recipients R       recipients per message, 1 to 100, each a mailbox of its own
                       [default: runs with 1 and with 100]
  --per-session S      messages one SMTP session carries, a transaction each, as an MTA
                       with a backlog for one server does (smtp-source -d); 1 opens a
                       connection per message [default: runs with 1 and with 100]
  --quick              20 messages per run unless --messages says otherwise (for tests)
  --postfix-dir DIR    also run Postfix's smtp-source -> smtp-sink over loopback, from a
                       package extracted with `apt-get download postfix; dpkg-deb -x *.deb DIR`
                       [default: skip the anchor]
  -h, --help           show this text

Every combination of the recipient counts and session sizes is one run. Prints a table,
then `KURIR_METRIC name=value recipients=R per_session=S` lines for scripts.
";

pub const SERVE_USAGE: &str = "\
kurir serve: talk to the teaching world's SMTP, POP3 and IMAP servers with real mail clients

Usage:
  kurir serve [--smtp ADDR] [--submission ADDR] [--pop3 ADDR] [--imap ADDR]
              [--mail-dir DIR] [--idle-timeout SECS] [--quiet]

Options:
  --smtp ADDR          mx1.beta.example, port 25 role: takes mail for budi and dewi
                       @beta.example from anyone, refuses to relay [default: 127.0.0.1:2525]
  --submission ADDR    mail.alpha.example, port 587 role: ani/ani123 and citra/citra123
                       send anywhere after AUTH PLAIN or LOGIN [default: 127.0.0.1:2587]
  --pop3 ADDR          mx1.beta.example's POP3: budi/budi123 and dewi/dewi123 read the
                       mail --smtp delivered to them [default: 127.0.0.1:2110]
  --imap ADDR          mx1.beta.example's IMAP over the same mailboxes, with folders and
                       flags shared by every session [default: 127.0.0.1:2143]
  --mail-dir DIR       also store mail as DIR/<recipient>/<queue id>.eml; mail for other
                       domains is relayed inside the simulated world and stored where it
                       lands (a bounce in the sender's folder) [default: memory only]
  --idle-timeout SECS  close a silent session after SECS seconds (SMTP with 421, IMAP with
                       BYE, POP3 deleting nothing) [default: 300]
  --quiet              log sessions and messages, not every command and reply
  -h, --help           show this text

Port 0 picks a free port; the log's first lines say which. Stop with Ctrl-C.
";

const DEFAULT_SMTP: &str = "127.0.0.1:2525";
const DEFAULT_SUBMISSION: &str = "127.0.0.1:2587";
const DEFAULT_POP3: &str = "127.0.0.1:2110";
const DEFAULT_IMAP: &str = "127.0.0.1:2143";
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    Help(&'static str),
    Serve(ServeOptions),
    Bench(BenchOptions),
    /// `kurir scenario …`: the arguments after `scenario`, parsed by its own module.
    Scenario(Vec<String>),
}

/// The settings of `kurir bench`; `None` means the documented default.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BenchOptions {
    pub messages: Option<usize>,
    pub recipients: Option<usize>,
    pub per_session: Option<usize>,
    pub quick: bool,
    pub postfix_dir: Option<PathBuf>,
}

/// The settings of `kurir serve`.
#[derive(Debug, PartialEq, Eq)]
pub struct ServeOptions {
    pub smtp: SocketAddr,
    pub submission: SocketAddr,
    pub pop3: SocketAddr,
    pub imap: SocketAddr,
    pub mail_dir: Option<PathBuf>,
    pub idle_timeout: Duration,
    /// Log every command and reply (`C:` / `S:` lines), not only sessions and messages.
    pub transcript: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            smtp: DEFAULT_SMTP.parse().expect("valid default address"),
            submission: DEFAULT_SUBMISSION.parse().expect("valid default address"),
            pop3: DEFAULT_POP3.parse().expect("valid default address"),
            imap: DEFAULT_IMAP.parse().expect("valid default address"),
            mail_dir: None,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            transcript: true,
        }
    }
}

/// Why the command line could not be understood.
#[derive(Debug, PartialEq, Eq)]
pub enum UsageError {
    MissingCommand,
    UnknownCommand(String),
    UnknownFlag(String),
    MissingValue(&'static str),
    BadValue {
        flag: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsageError::MissingCommand => write!(f, "missing command (try `kurir serve`)"),
            UsageError::UnknownCommand(command) => write!(f, "unknown command `{command}`"),
            UsageError::UnknownFlag(flag) => write!(f, "unknown option `{flag}`"),
            UsageError::MissingValue(flag) => write!(f, "`{flag}` needs a value"),
            UsageError::BadValue {
                flag,
                value,
                expected,
            } => {
                write!(f, "`{flag} {value}`: expected {expected}")
            }
        }
    }
}

impl UsageError {
    /// Where to read more: the usage text that covers the failing part.
    pub fn hint(&self) -> &'static str {
        match self {
            UsageError::MissingCommand | UsageError::UnknownCommand(_) => "see `kurir --help`",
            UsageError::MissingValue(flag) | UsageError::BadValue { flag, .. }
                if BENCH_FLAGS.contains(flag) =>
            {
                "see `kurir bench --help`"
            }
            _ => "see `kurir serve --help`",
        }
    }
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Invocation, UsageError> {
    match args.split_first() {
        None => Err(UsageError::MissingCommand),
        Some((first, _)) if is_help(first) => Ok(Invocation::Help(USAGE)),
        Some((command, rest)) if command == "serve" => parse_serve(rest),
        Some((command, rest)) if command == "bench" => parse_bench(rest),
        Some((command, rest)) if command == "scenario" => Ok(Invocation::Scenario(rest.to_vec())),
        Some((command, _)) if command.starts_with('-') => {
            Err(UsageError::UnknownFlag(command.clone()))
        }
        Some((command, _)) => Err(UsageError::UnknownCommand(command.clone())),
    }
}

/// An argument read as a flag: `--flag=value` carries its value inline; any other argument
/// stands alone.
pub fn split_flag(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
        _ => (arg, None),
    }
}

/// The value of the flag just read: the one written inline, or else the next argument.
pub fn flag_value(
    inline_value: &Option<String>,
    rest: &mut std::slice::Iter<String>,
) -> Option<String> {
    inline_value.clone().or_else(|| rest.next().cloned())
}

fn is_help(arg: &str) -> bool {
    arg == "--help" || arg == "-h" || arg == "help"
}

fn parse_serve(args: &[String]) -> Result<Invocation, UsageError> {
    let mut options = ServeOptions::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = split_flag(arg);
        let mut value = |name: &'static str| {
            flag_value(&inline_value, &mut args).ok_or(UsageError::MissingValue(name))
        };
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help(SERVE_USAGE)),
            "--smtp" => options.smtp = parse_address("--smtp", value("--smtp")?)?,
            "--submission" => {
                options.submission = parse_address("--submission", value("--submission")?)?
            }
            "--pop3" => options.pop3 = parse_address("--pop3", value("--pop3")?)?,
            "--imap" => options.imap = parse_address("--imap", value("--imap")?)?,
            "--mail-dir" => options.mail_dir = Some(PathBuf::from(value("--mail-dir")?)),
            "--idle-timeout" => {
                options.idle_timeout = parse_idle_timeout(value("--idle-timeout")?)?
            }
            "--quiet" => options.transcript = false,
            _ => return Err(UsageError::UnknownFlag(arg.clone())),
        }
    }
    Ok(Invocation::Serve(options))
}

/// The flags of `kurir bench` that take a value.
const BENCH_FLAGS: [&str; 4] = [
    "--messages",
    "--recipients",
    "--per-session",
    "--postfix-dir",
];

fn parse_bench(args: &[String]) -> Result<Invocation, UsageError> {
    let mut options = BenchOptions::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = split_flag(arg);
        let mut value = |name: &'static str| {
            flag_value(&inline_value, &mut args).ok_or(UsageError::MissingValue(name))
        };
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help(BENCH_USAGE)),
            "--messages" => {
                options.messages = Some(parse_count(
                    "--messages",
                    value("--messages")?,
                    usize::MAX,
                    "a whole number of messages, at least 1",
                )?)
            }
            "--recipients" => {
                options.recipients = Some(parse_count(
                    "--recipients",
                    value("--recipients")?,
                    MAX_BENCH_RECIPIENTS,
                    "a whole number from 1 to 100 (RFC 5321's minimum limit per message)",
                )?)
            }
            "--per-session" => {
                options.per_session = Some(parse_count(
                    "--per-session",
                    value("--per-session")?,
                    usize::MAX,
                    "a whole number of messages per session, at least 1",
                )?)
            }
            "--quick" => options.quick = true,
            "--postfix-dir" => options.postfix_dir = Some(PathBuf::from(value("--postfix-dir")?)),
            _ => return Err(UsageError::UnknownFlag(arg.clone())),
        }
    }
    Ok(Invocation::Bench(options))
}

/// mx1.beta.example takes 100 recipients per message; the 101st gets 452.
const MAX_BENCH_RECIPIENTS: usize = 100;

fn parse_count(
    flag: &'static str,
    value: String,
    max: usize,
    expected: &'static str,
) -> Result<usize, UsageError> {
    match value.parse::<usize>() {
        Ok(count) if (1..=max).contains(&count) => Ok(count),
        _ => Err(UsageError::BadValue {
            flag,
            value,
            expected,
        }),
    }
}

fn parse_address(flag: &'static str, value: String) -> Result<SocketAddr, UsageError> {
    value.parse().map_err(|_| UsageError::BadValue {
        flag,
        value,
        expected: "IP:PORT, e.g. 127.0.0.1:2525",
    })
}

fn parse_idle_timeout(value: String) -> Result<Duration, UsageError> {
    match value.parse::<u64>() {
        Ok(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds)),
        _ => Err(UsageError::BadValue {
            flag: "--idle-timeout",
            value,
            expected: "a whole number of seconds, at least 1",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn serve_options(line: &str) -> ServeOptions {
        match parse(&args(line)) {
            Ok(Invocation::Serve(options)) => options,
            other => panic!("expected serve options for `{line}`, got {other:?}"),
        }
    }

    #[test]
    fn serve_without_flags_uses_the_documented_defaults() {
        let options = serve_options("serve");
        assert_eq!(options.smtp.to_string(), "127.0.0.1:2525");
        assert_eq!(options.submission.to_string(), "127.0.0.1:2587");
        assert_eq!(options.pop3.to_string(), "127.0.0.1:2110");
        assert_eq!(options.imap.to_string(), "127.0.0.1:2143");
        assert_eq!(options.mail_dir, None);
        assert_eq!(options.idle_timeout, Duration::from_secs(300));
        assert!(options.transcript);
    }

    #[test]
    fn flags_take_values_after_a_space_or_an_equals_sign() {
        let options = serve_options("serve --smtp 127.0.0.1:0 --submission=[::1]:2587 --pop3 127.0.0.1:0 --imap=127.0.0.1:0 --mail-dir /tmp/m --idle-timeout=5 --quiet");
        assert_eq!(options.smtp.to_string(), "127.0.0.1:0");
        assert_eq!(options.pop3.to_string(), "127.0.0.1:0");
        assert_eq!(options.imap.to_string(), "127.0.0.1:0");
        assert_eq!(options.submission.to_string(), "[::1]:2587");
        assert_eq!(options.mail_dir, Some(PathBuf::from("/tmp/m")));
        assert_eq!(options.idle_timeout, Duration::from_secs(5));
        assert!(!options.transcript);
    }

    #[test]
    fn help_is_offered_at_both_levels() {
        assert_eq!(parse(&args("--help")), Ok(Invocation::Help(USAGE)));
        assert_eq!(
            parse(&args("serve --smtp 127.0.0.1:1 -h")),
            Ok(Invocation::Help(SERVE_USAGE))
        );
    }

    #[test]
    fn bench_takes_counts_and_checks_them() {
        assert_eq!(
            parse(&args(
                "bench --messages=500 --recipients 100 --per-session 10 --quick --postfix-dir /tmp/p"
            )),
            Ok(Invocation::Bench(BenchOptions {
                messages: Some(500),
                recipients: Some(100),
                per_session: Some(10),
                quick: true,
                postfix_dir: Some(PathBuf::from("/tmp/p")),
            }))
        );
        let too_many = parse(&args("bench --recipients 101")).unwrap_err();
        assert!(matches!(
            too_many,
            UsageError::BadValue {
                flag: "--recipients",
                ..
            }
        ));
        assert_eq!(too_many.hint(), "see `kurir bench --help`");
        assert!(parse(&args("bench --messages 0")).is_err());
        assert!(parse(&args("bench --per-session 0")).is_err());
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(parse(&[]), Err(UsageError::MissingCommand));
        assert_eq!(
            parse(&args("relay")),
            Err(UsageError::UnknownCommand("relay".into()))
        );
        assert_eq!(
            parse(&args("serve --port 25")),
            Err(UsageError::UnknownFlag("--port".into()))
        );
        assert_eq!(
            parse(&args("serve --smtp")),
            Err(UsageError::MissingValue("--smtp"))
        );
        assert!(matches!(
            parse(&args("serve --smtp localhost")),
            Err(UsageError::BadValue { flag: "--smtp", .. })
        ));
        assert!(matches!(
            parse(&args("serve --idle-timeout 0")),
            Err(UsageError::BadValue {
                flag: "--idle-timeout",
                ..
            })
        ));
    }
}
