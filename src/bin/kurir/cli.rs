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
  kurir --help            show this text

Run `kurir serve --help` for the options of serve.
";

pub const SERVE_USAGE: &str = "\
kurir serve: talk to the teaching world's SMTP servers with real mail clients

Usage:
  kurir serve [--smtp ADDR] [--submission ADDR] [--mail-dir DIR] [--idle-timeout SECS] [--quiet]

Options:
  --smtp ADDR          mx1.beta.example, port 25 role: takes mail for budi and dewi
                       @beta.example from anyone, refuses to relay [default: 127.0.0.1:2525]
  --submission ADDR    mail.alpha.example, port 587 role: ani/ani123 and citra/citra123
                       send anywhere after AUTH PLAIN or LOGIN [default: 127.0.0.1:2587]
  --mail-dir DIR       store mail as DIR/<recipient>/<queue id>.eml, and mail for other
                       domains as DIR/outbound/<queue id>.eml [default: log only, store nothing]
  --idle-timeout SECS  close a silent session with 421 after SECS seconds [default: 300]
  --quiet              log sessions and messages, not every command and reply
  -h, --help           show this text

Port 0 picks a free port; the log's first lines say which. Stop with Ctrl-C.
";

const DEFAULT_SMTP: &str = "127.0.0.1:2525";
const DEFAULT_SUBMISSION: &str = "127.0.0.1:2587";
const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// What the user asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    Help(&'static str),
    Serve(ServeOptions),
}

/// The settings of `kurir serve`.
#[derive(Debug, PartialEq, Eq)]
pub struct ServeOptions {
    pub smtp: SocketAddr,
    pub submission: SocketAddr,
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
        Some((command, _)) if command.starts_with('-') => {
            Err(UsageError::UnknownFlag(command.clone()))
        }
        Some((command, _)) => Err(UsageError::UnknownCommand(command.clone())),
    }
}

fn is_help(arg: &str) -> bool {
    arg == "--help" || arg == "-h" || arg == "help"
}

fn parse_serve(args: &[String]) -> Result<Invocation, UsageError> {
    let mut options = ServeOptions::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &'static str| {
            inline_value
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or(UsageError::MissingValue(name))
        };
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help(SERVE_USAGE)),
            "--smtp" => options.smtp = parse_address("--smtp", value("--smtp")?)?,
            "--submission" => {
                options.submission = parse_address("--submission", value("--submission")?)?
            }
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
        assert_eq!(options.mail_dir, None);
        assert_eq!(options.idle_timeout, Duration::from_secs(300));
        assert!(options.transcript);
    }

    #[test]
    fn flags_take_values_after_a_space_or_an_equals_sign() {
        let options = serve_options("serve --smtp 127.0.0.1:0 --submission=[::1]:2587 --mail-dir /tmp/m --idle-timeout=5 --quiet");
        assert_eq!(options.smtp.to_string(), "127.0.0.1:0");
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
