//! The commands the learner's own machine understands before any connection is open:
//! `help`, `clear`, `telnet HOST PORT` (or `connect HOST PORT`) and `quit`.

use crate::proto::smtp::Verb;

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
        word => match smtp_verb_named(word) {
            Some(verb) => LocalCommand::SmtpWhileDisconnected(verb),
            None => LocalCommand::Unknown(first.chars().take(40).collect()),
        },
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
    fn the_simple_commands() {
        assert_eq!(parse_local("help"), LocalCommand::Help);
        assert_eq!(parse_local("clear"), LocalCommand::Clear);
        assert_eq!(parse_local("QUIT"), LocalCommand::Quit);
        assert_eq!(parse_local("   "), LocalCommand::Empty);
        assert_eq!(parse_local("ls -la"), LocalCommand::Unknown("ls".into()));
    }
}
