//! Why a line is not a valid command (RFC 5321 §4.2.2 501/500 and §4.5.3.1 limits), with the
//! expected syntax for the learner.
//!
//! Building an error is cheap: it stores which message applies and, when the message quotes the
//! line, only the quoted part. The sentence is written when the error is shown.

use std::fmt;

use super::{Verb, MAX_COMMAND_LINE, MAX_DOMAIN, MAX_LOCAL_PART, MAX_PATH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandErrorKind {
    /// Not a command word this server knows (500).
    Unknown,
    /// The line does not follow the command's syntax (501 5.5.2).
    Syntax,
    /// A parameter is malformed or has a bad value (501 5.5.4).
    BadParameter,
    /// The line is longer than 512 octets with its CRLF (500).
    LineTooLong,
    /// A path or mailbox breaks RFC 5321 §4.1.2 or the §4.5.3.1 length limits (501 5.1.3/5.1.7).
    BadAddress,
}

/// Why a line is not a valid command; carries the expected syntax so the terminal can teach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    pub verb: Option<Verb>,
    pub kind: CommandErrorKind,
    detail: Detail,
}

/// How many octets of an unknown command word the message repeats.
const SHOWN_WORD: usize = 40;

/// Which explanation applies; the text is written by `Display`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Detail {
    /// A fixed hint such as "the address needs its closing >".
    Hint(&'static str),
    /// The first octets of a word that is no command, kept inline so no allocation is needed.
    UnknownWord {
        octets: [u8; SHOWN_WORD],
        len: u8,
    },
    LineTooLong,
    /// DATA, RSET, QUIT and STARTTLS stand alone.
    NoArguments(Verb),
    PathTooLong,
    LocalPartTooLong,
    DomainTooLong,
    /// `"<what the client wrote>"` followed by `then`, e.g. ` is not a valid domain`.
    Quoted {
        input: Box<str>,
        then: &'static str,
    },
}

impl CommandError {
    pub(super) fn new(verb: Verb, kind: CommandErrorKind, detail: Detail) -> Self {
        Self {
            verb: Some(verb),
            kind,
            detail,
        }
    }

    pub(super) fn syntax(verb: Verb, hint: &'static str) -> Self {
        Self::new(verb, CommandErrorKind::Syntax, Detail::Hint(hint))
    }

    pub(super) fn bad_address(verb: Verb, hint: &'static str) -> Self {
        Self::new(verb, CommandErrorKind::BadAddress, Detail::Hint(hint))
    }

    pub(super) fn bad_parameter(verb: Verb, hint: &'static str) -> Self {
        Self::new(verb, CommandErrorKind::BadParameter, Detail::Hint(hint))
    }

    /// An error whose message repeats part of the line: `"input" then`.
    pub(super) fn quoting(
        verb: Verb,
        kind: CommandErrorKind,
        input: &str,
        then: &'static str,
    ) -> Self {
        let input = input.into();
        Self::new(verb, kind, Detail::Quoted { input, then })
    }

    pub(super) fn unknown_command(word: &[u8]) -> Self {
        let shown = &word[..word.len().min(SHOWN_WORD)];
        let mut octets = [0; SHOWN_WORD];
        octets[..shown.len()].copy_from_slice(shown);
        Self {
            verb: None,
            kind: CommandErrorKind::Unknown,
            detail: Detail::UnknownWord {
                octets,
                len: shown.len() as u8,
            },
        }
    }

    pub(super) fn line_too_long() -> Self {
        Self {
            verb: None,
            kind: CommandErrorKind::LineTooLong,
            detail: Detail::LineTooLong,
        }
    }

    /// What is wrong, without the syntax line: `the address needs its closing >`.
    pub fn detail(&self) -> impl fmt::Display + '_ {
        DetailText(self)
    }
}

/// Learner text echoed in an error, with control characters (CR, LF, tabs …) shown as `?`
/// so the message stays one line.
struct Printable<'t>(&'t str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0
            .chars()
            .try_for_each(|c| fmt::Write::write_char(f, if c.is_control() { '?' } else { c }))
    }
}

/// Writes the detail of one error.
struct DetailText<'e>(&'e CommandError);

impl fmt::Display for DetailText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.detail {
            Detail::Hint(hint) => f.write_str(hint),
            Detail::UnknownWord { octets, len } => {
                let shown = String::from_utf8_lossy(&octets[..usize::from(*len)]);
                write!(f, "Command not recognized: \"{}\"", Printable(&shown))
            }
            Detail::LineTooLong => write!(
                f,
                "Line too long: a command line is at most {MAX_COMMAND_LINE} octets with its CRLF"
            ),
            Detail::NoArguments(verb) => write!(f, "{} takes no arguments", verb.name()),
            Detail::PathTooLong => write!(f, "the path is longer than {MAX_PATH} octets"),
            Detail::LocalPartTooLong => {
                write!(f, "the local part is longer than {MAX_LOCAL_PART} octets")
            }
            Detail::DomainTooLong => write!(f, "the domain is longer than {MAX_DOMAIN} octets"),
            Detail::Quoted { input, then } => write!(f, "\"{}\"{then}", Printable(input)),
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, self.verb) {
            (CommandErrorKind::Unknown | CommandErrorKind::LineTooLong, _) | (_, None) => {
                self.detail().fmt(f)
            }
            (_, Some(verb)) => write!(f, "Syntax: {} ({})", verb.syntax(), self.detail()),
        }
    }
}

impl std::error::Error for CommandError {}
