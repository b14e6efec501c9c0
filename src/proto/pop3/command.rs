//! POP3 command lines (RFC 1939 §3, RFC 2449 §4): a keyword of three or four letters, in any
//! case, then arguments separated by single spaces. A command line is at most 255 octets with
//! its CRLF, an argument at most 40.

use std::fmt;

/// The longest command line, CRLF included (RFC 2449 §4).
pub const MAX_COMMAND_LINE: usize = 255;
/// The longest argument (RFC 2449 §4).
pub const MAX_ARGUMENT: usize = 40;

/// A command the server knows, with its arguments checked for shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    User(String),
    Pass(String),
    /// `APOP name digest`: the MD5 of the greeting's timestamp and the password, in hex.
    Apop {
        name: String,
        digest: String,
    },
    Stat,
    /// `LIST` or `LIST msg`.
    List(Option<u32>),
    Retr(u32),
    Dele(u32),
    Noop,
    Rset,
    Quit,
    /// `TOP msg n`: the header and the first `n` lines of the body.
    Top(u32, u32),
    /// `UIDL` or `UIDL msg`.
    Uidl(Option<u32>),
    Capa,
}

impl Command {
    /// The keyword, as a reply or an event names it.
    pub fn keyword(&self) -> &'static str {
        match self {
            Command::User(_) => "USER",
            Command::Pass(_) => "PASS",
            Command::Apop { .. } => "APOP",
            Command::Stat => "STAT",
            Command::List(_) => "LIST",
            Command::Retr(_) => "RETR",
            Command::Dele(_) => "DELE",
            Command::Noop => "NOOP",
            Command::Rset => "RSET",
            Command::Quit => "QUIT",
            Command::Top(..) => "TOP",
            Command::Uidl(_) => "UIDL",
            Command::Capa => "CAPA",
        }
    }
}

/// Why a line is not a command, each with what to type instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    Empty,
    Unknown(String),
    /// The keyword is known; its arguments are missing, extra or not numbers.
    Syntax {
        keyword: &'static str,
        usage: &'static str,
    },
    ArgumentTooLong,
    /// A message number of 0, or one too large to be a number at all.
    BadNumber,
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Empty => f.write_str("empty command"),
            CommandError::Unknown(keyword) => write!(f, "unknown command {keyword}"),
            CommandError::Syntax { keyword, usage } => {
                write!(f, "wrong arguments for {keyword}, use: {usage}")
            }
            CommandError::ArgumentTooLong => {
                write!(f, "argument longer than {MAX_ARGUMENT} octets")
            }
            CommandError::BadNumber => f.write_str("message numbers start at 1"),
        }
    }
}

/// Reads one command line (without its line ending).
pub fn parse(line: &str) -> Result<Command, CommandError> {
    let mut words = line.split(' ');
    let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
    let args: Vec<&str> = words.collect();
    if keyword.is_empty() {
        return Err(CommandError::Empty);
    }
    if args.iter().any(|arg| arg.len() > MAX_ARGUMENT) {
        return Err(CommandError::ArgumentTooLong);
    }
    let usage = |keyword, usage| CommandError::Syntax { keyword, usage };
    let number = |arg: &str| -> Result<u32, CommandError> {
        if arg.is_empty() || !arg.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CommandError::BadNumber);
        }
        match arg.parse::<u32>() {
            Ok(0) | Err(_) => Err(CommandError::BadNumber),
            Ok(n) => Ok(n),
        }
    };
    match (keyword.as_str(), args.as_slice()) {
        ("USER", [name]) if !name.is_empty() => Ok(Command::User(name.to_string())),
        ("USER", _) => Err(usage("USER", "USER name")),
        // A password may hold spaces (RFC 1939 §7): everything after the keyword.
        ("PASS", [_, ..]) => Ok(Command::Pass(line[5..].to_string())),
        ("PASS", _) => Err(usage("PASS", "PASS secret")),
        ("APOP", [name, digest])
            if !name.is_empty()
                && digest.len() == 32
                && digest.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Ok(Command::Apop {
                name: name.to_string(),
                digest: digest.to_ascii_lowercase(),
            })
        }
        ("APOP", _) => Err(usage("APOP", "APOP name digest (32 hex digits)")),
        ("STAT", []) => Ok(Command::Stat),
        ("LIST", []) => Ok(Command::List(None)),
        ("LIST", [msg]) => Ok(Command::List(Some(number(msg)?))),
        ("RETR", [msg]) => Ok(Command::Retr(number(msg)?)),
        ("DELE", [msg]) => Ok(Command::Dele(number(msg)?)),
        ("NOOP", []) => Ok(Command::Noop),
        ("RSET", []) => Ok(Command::Rset),
        ("QUIT", []) => Ok(Command::Quit),
        ("TOP", [msg, lines]) => {
            let lines = match lines.parse::<u32>() {
                Ok(n) if lines.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(usage("TOP", "TOP msg lines")),
            };
            Ok(Command::Top(number(msg)?, lines))
        }
        ("UIDL", []) => Ok(Command::Uidl(None)),
        ("UIDL", [msg]) => Ok(Command::Uidl(Some(number(msg)?))),
        ("CAPA", []) => Ok(Command::Capa),
        ("STAT", _) => Err(usage("STAT", "STAT")),
        ("LIST", _) => Err(usage("LIST", "LIST or LIST msg")),
        ("RETR", _) => Err(usage("RETR", "RETR msg")),
        ("DELE", _) => Err(usage("DELE", "DELE msg")),
        ("NOOP", _) => Err(usage("NOOP", "NOOP")),
        ("RSET", _) => Err(usage("RSET", "RSET")),
        ("QUIT", _) => Err(usage("QUIT", "QUIT")),
        ("TOP", _) => Err(usage("TOP", "TOP msg lines")),
        ("UIDL", _) => Err(usage("UIDL", "UIDL or UIDL msg")),
        ("CAPA", _) => Err(usage("CAPA", "CAPA")),
        (other, _) => Err(CommandError::Unknown(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_read_in_any_case_with_their_arguments() {
        assert_eq!(parse("user budi"), Ok(Command::User("budi".into())));
        assert_eq!(parse("LIST"), Ok(Command::List(None)));
        assert_eq!(parse("list 2"), Ok(Command::List(Some(2))));
        assert_eq!(parse("Top 1 0"), Ok(Command::Top(1, 0)));
        assert_eq!(parse("UIDL 3"), Ok(Command::Uidl(Some(3))));
        assert_eq!(parse("capa"), Ok(Command::Capa));
        assert_eq!(
            parse("APOP budi C4C9334BAC560ECC979E58001B3E22FB"),
            Ok(Command::Apop {
                name: "budi".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb".into()
            })
        );
        assert!(matches!(
            parse("APOP budi xyz"),
            Err(CommandError::Syntax { .. })
        ));
    }

    #[test]
    fn a_password_keeps_its_spaces() {
        assert_eq!(
            parse("PASS my secret"),
            Ok(Command::Pass("my secret".into()))
        );
    }

    #[test]
    fn wrong_arguments_say_how_the_command_goes() {
        assert_eq!(
            parse("RETR"),
            Err(CommandError::Syntax {
                keyword: "RETR",
                usage: "RETR msg"
            })
        );
        assert_eq!(parse("RETR 0"), Err(CommandError::BadNumber));
        assert_eq!(parse("RETR x"), Err(CommandError::BadNumber));
        assert_eq!(parse("RETR 99999999999"), Err(CommandError::BadNumber));
        assert_eq!(parse("DELE -1"), Err(CommandError::BadNumber));
        assert!(matches!(parse("STAT 1"), Err(CommandError::Syntax { .. })));
        assert!(matches!(parse("TOP 1"), Err(CommandError::Syntax { .. })));
        assert_eq!(parse("HELO x"), Err(CommandError::Unknown("HELO".into())));
        assert_eq!(parse(""), Err(CommandError::Empty));
        assert_eq!(
            parse(&format!("USER {}", "a".repeat(41))),
            Err(CommandError::ArgumentTooLong)
        );
    }
}
