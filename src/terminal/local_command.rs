//! The commands the learner's own machine understands before any connection is open:
//! `help`, `clear`, `telnet HOST PORT` (or `connect HOST PORT`) and `quit`. A mail command
//! typed before connecting (SMTP, POP3, or IMAP after its tag) is recognised, so the learner
//! hears where to connect first.

use super::imap_talk::is_command_name;
use crate::proto::smtp::Verb;
use crate::sim::event::MailboxProtocol;

/// POP3 keywords (RFC 1939) that are no SMTP verb and no local command.
const POP3_KEYWORDS: [&str; 9] = [
    "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "TOP", "UIDL",
];

/// A line typed at the local prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalCommand {
    Help,
    Clear,
    Connect {
        host: String,
        port: u16,
    },
    Quit,
    /// Nothing but spaces.
    Empty,
    /// `telnet`/`connect` without a host and a numeric port.
    ConnectUsage,
    /// An SMTP command typed before connecting: the learner needs to connect first.
    SmtpWhileDisconnected(Verb),
    /// A POP3 command, or an IMAP command after its tag, typed before connecting.
    ReadingWhileDisconnected {
        protocol: MailboxProtocol,
        command: String,
    },
    Unknown(String),
}

/// Reads one local command line.
pub fn parse_local(line: &str) -> LocalCommand {
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return LocalCommand::Empty;
    };
    match first.to_ascii_lowercase().as_str() {
        "help" | "?" => LocalCommand::Help,
        "clear" | "cls" => LocalCommand::Clear,
        "quit" | "exit" => LocalCommand::Quit,
        "telnet" | "connect" | "nc" => {
            let (Some(host), Some(port), None) = (words.next(), words.next(), words.next()) else {
                return LocalCommand::ConnectUsage;
            };
            match port.parse::<u16>() {
                Ok(port) if port > 0 => LocalCommand::Connect {
                    host: host.to_string(),
                    port,
                },
                _ => LocalCommand::ConnectUsage,
            }
        }
        word => {
            if let Some(verb) = smtp_verb_named(word) {
                return LocalCommand::SmtpWhileDisconnected(verb);
            }
            let reading = |protocol, command: &str| LocalCommand::ReadingWhileDisconnected {
                protocol,
                command: command.to_ascii_uppercase(),
            };
            if let Some(keyword) = POP3_KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(word)) {
                return reading(MailboxProtocol::Pop3, keyword);
            }
            match words.next() {
                Some(command) if is_command_name(command) => {
                    reading(MailboxProtocol::Imap, command)
                }
                _ => LocalCommand::Unknown(first.chars().take(40).collect()),
            }
        }
    }
}

fn smtp_verb_named(word: &str) -> Option<Verb> {
    let word = word.split(':').next().unwrap_or(word);
    Verb::ALL.into_iter().find(|verb| {
        verb.keyword()
            .split([' ', ':'])
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(word))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telnet_and_connect_take_a_host_and_a_port() {
        let expected = LocalCommand::Connect {
            host: "mx1.beta.example".into(),
            port: 25,
        };
        assert_eq!(parse_local("telnet mx1.beta.example 25"), expected);
        assert_eq!(parse_local("  CONNECT   mx1.beta.example 25 "), expected);
    }

    #[test]
    fn a_connect_without_a_good_port_explains_its_usage() {
        for line in [
            "telnet",
            "telnet mx1.beta.example",
            "telnet mx1.beta.example smtp",
            "telnet h 0",
            "telnet h 70000",
            "telnet a 25 extra",
        ] {
            assert_eq!(parse_local(line), LocalCommand::ConnectUsage, "{line}");
        }
    }

    #[test]
    fn smtp_commands_before_connecting_are_recognised() {
        assert_eq!(
            parse_local("EHLO me"),
            LocalCommand::SmtpWhileDisconnected(Verb::Ehlo)
        );
        assert_eq!(
            parse_local("mail from:<a@b>"),
            LocalCommand::SmtpWhileDisconnected(Verb::Mail)
        );
        assert_eq!(
            parse_local("RCPT TO:<a@b>"),
            LocalCommand::SmtpWhileDisconnected(Verb::Rcpt)
        );
    }

    #[test]
    fn pop3_and_tagged_imap_commands_before_connecting_are_recognised() {
        assert_eq!(
            parse_local("retr 1"),
            LocalCommand::ReadingWhileDisconnected {
                protocol: MailboxProtocol::Pop3,
                command: "RETR".into()
            }
        );
        assert_eq!(
            parse_local("a1 login budi budi123"),
            LocalCommand::ReadingWhileDisconnected {
                protocol: MailboxProtocol::Imap,
                command: "LOGIN".into()
            }
        );
        assert_eq!(parse_local("a1 b2"), LocalCommand::Unknown("a1".into()));
    }

    #[test]
    fn the_simple_commands() {
        assert_eq!(parse_local("help"), LocalCommand::Help);
        assert_eq!(parse_local("clear"), LocalCommand::Clear);
        assert_eq!(parse_local("QUIT"), LocalCommand::Quit);
        assert_eq!(parse_local("   "), LocalCommand::Empty);
        assert_eq!(parse_local("ls -la"), LocalCommand::Unknown("ls".into()));
    }
}
