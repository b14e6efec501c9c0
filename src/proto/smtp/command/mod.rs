//! SMTP command lines: the verbs (RFC 5321 §4.1.1, AUTH from RFC 4954 §4, STARTTLS from
//! RFC 3207 §4) and a parser for one line without its CRLF.
//!
//! The parser follows the grammar of RFC 5321 §4.1.2 (paths, mailboxes, domains, address
//! literals; a source route `@a,@b:` is accepted and ignored as Appendix C asks) and the limits
//! of §4.5.3.1 (command line 512, local part 64, domain 255, path 256 octets). It knows the MAIL
//! parameters SIZE (RFC 1870) and BODY (RFC 6152); any other `keyword[=value]` is handed to the
//! server, which decides. Every error names the expected syntax so the terminal can teach it.
//!
//! Two forms of the same parse:
//! - [`parse_command_ref`] gives a [`CommandRef`] that borrows from the line and allocates
//!   nothing (the server's hot path);
//! - [`parse_command`] gives an owned [`Command`], built from the borrowed one.
//!
//! - [`borrowed`]: the borrowed command and its parts.
//! - [`error`]: why a line is not a command, with the text built only when shown.
//! - [`parser`]: the byte-level parser.
//! - [`grammar`]: the RFC 5321 §4.1.2/§4.1.3 character classes and validators.

use std::fmt;

mod borrowed;
mod error;
mod grammar;
mod parser;

pub use borrowed::{CommandRef, ForwardPathRef, MailboxRef, Parameters, ReversePathRef};
pub use error::{CommandError, CommandErrorKind};
pub use parser::parse_command_ref;
pub(crate) use parser::parse_mailbox;

/// Longest command line, CRLF included (RFC 5321 §4.5.3.1.4).
pub const MAX_COMMAND_LINE: usize = 512;
/// Longest local part (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART: usize = 64;
/// Longest domain (RFC 5321 §4.5.3.1.2).
pub const MAX_DOMAIN: usize = 255;
/// Longest path, angle brackets included (RFC 5321 §4.5.3.1.3).
pub const MAX_PATH: usize = 256;

/// An SMTP command verb (RFC 5321 §4.1.1, RFC 4954 AUTH, RFC 3207 STARTTLS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verb {
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    Auth,
    StartTls,
}

impl Verb {
    /// Every verb, in the order HELP lists them (used for Tab completion too).
    pub const ALL: [Verb; 13] = [
        Verb::Helo,
        Verb::Ehlo,
        Verb::Mail,
        Verb::Rcpt,
        Verb::Data,
        Verb::Rset,
        Verb::Noop,
        Verb::Quit,
        Verb::Vrfy,
        Verb::Expn,
        Verb::Help,
        Verb::Auth,
        Verb::StartTls,
    ];

    /// The command word alone: "HELO", "MAIL", "STARTTLS".
    pub fn name(self) -> &'static str {
        match self {
            Verb::Helo => "HELO",
            Verb::Ehlo => "EHLO",
            Verb::Mail => "MAIL",
            Verb::Rcpt => "RCPT",
            Verb::Data => "DATA",
            Verb::Rset => "RSET",
            Verb::Noop => "NOOP",
            Verb::Quit => "QUIT",
            Verb::Vrfy => "VRFY",
            Verb::Expn => "EXPN",
            Verb::Help => "HELP",
            Verb::Auth => "AUTH",
            Verb::StartTls => "STARTTLS",
        }
    }

    /// What the learner types: "HELO", "MAIL FROM:", "RCPT TO:", "STARTTLS" …
    pub fn keyword(self) -> &'static str {
        match self {
            Verb::Mail => "MAIL FROM:",
            Verb::Rcpt => "RCPT TO:",
            other => other.name(),
        }
    }

    /// The RFC syntax shown in 501 replies and hints, e.g. `MAIL FROM:<reverse-path> [SP <mail-parameters>]`.
    pub fn syntax(self) -> &'static str {
        match self {
            Verb::Helo => "HELO <domain>",
            Verb::Ehlo => "EHLO <domain or [address-literal]>",
            Verb::Mail => "MAIL FROM:<reverse-path> [SP <mail-parameters>]",
            Verb::Rcpt => "RCPT TO:<forward-path> [SP <rcpt-parameters>]",
            Verb::Data => "DATA",
            Verb::Rset => "RSET",
            Verb::Noop => "NOOP [SP <string>]",
            Verb::Quit => "QUIT",
            Verb::Vrfy => "VRFY <user name or mailbox>",
            Verb::Expn => "EXPN <mailing list>",
            Verb::Help => "HELP [SP <command>]",
            Verb::Auth => "AUTH <mechanism> [SP <initial-response>]",
            Verb::StartTls => "STARTTLS",
        }
    }

    /// Recognises a command word, ignoring ASCII case.
    pub fn from_word(word: &[u8]) -> Option<Verb> {
        const fn key(word: &[u8; 4]) -> u32 {
            u32::from_be_bytes(*word)
        }
        match word {
            [a, b, c, d] => {
                // Clearing bit 5 upper-cases ASCII letters; only the two cases of a letter map
                // to the same byte, so no other input can collide with a verb.
                let folded = u32::from_be_bytes([*a, *b, *c, *d]) & 0xDFDF_DFDF;
                Some(match folded {
                    k if k == key(b"HELO") => Verb::Helo,
                    k if k == key(b"EHLO") => Verb::Ehlo,
                    k if k == key(b"MAIL") => Verb::Mail,
                    k if k == key(b"RCPT") => Verb::Rcpt,
                    k if k == key(b"DATA") => Verb::Data,
                    k if k == key(b"RSET") => Verb::Rset,
                    k if k == key(b"NOOP") => Verb::Noop,
                    k if k == key(b"QUIT") => Verb::Quit,
                    k if k == key(b"VRFY") => Verb::Vrfy,
                    k if k == key(b"EXPN") => Verb::Expn,
                    k if k == key(b"HELP") => Verb::Help,
                    k if k == key(b"AUTH") => Verb::Auth,
                    _ => return None,
                })
            }
            _ if word.eq_ignore_ascii_case(b"STARTTLS") => Some(Verb::StartTls),
            _ => None,
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `local-part@domain` (RFC 5321 §4.1.2), domain kept as typed, compared case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    pub local: String,
    pub domain: String,
}

impl Mailbox {
    /// True when `domain` names the same domain as this mailbox's (ASCII case ignored).
    pub fn is_in_domain(&self, domain: &str) -> bool {
        self.domain.eq_ignore_ascii_case(domain)
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReversePath {
    Null,
    Mailbox(Mailbox),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ForwardPath {
    Postmaster,
    Mailbox(Mailbox),
}

/// One parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Helo {
        domain: String,
    },
    Ehlo {
        domain: String,
    },
    Mail {
        from: ReversePath,
        size: Option<u64>,
        body_8bit: bool,
        other_params: Vec<String>,
    },
    Rcpt {
        to: ForwardPath,
        params: Vec<String>,
    },
    Data,
    Rset,
    Quit,
    Noop,
    Vrfy {
        target: String,
    },
    Expn {
        list: String,
    },
    Help {
        topic: Option<String>,
    },
    Auth {
        mechanism: String,
        initial_response: Option<String>,
    },
    StartTls,
}

impl Command {
    pub fn verb(&self) -> Verb {
        match self {
            Command::Helo { .. } => Verb::Helo,
            Command::Ehlo { .. } => Verb::Ehlo,
            Command::Mail { .. } => Verb::Mail,
            Command::Rcpt { .. } => Verb::Rcpt,
            Command::Data => Verb::Data,
            Command::Rset => Verb::Rset,
            Command::Quit => Verb::Quit,
            Command::Noop => Verb::Noop,
            Command::Vrfy { .. } => Verb::Vrfy,
            Command::Expn { .. } => Verb::Expn,
            Command::Help { .. } => Verb::Help,
            Command::Auth { .. } => Verb::Auth,
            Command::StartTls => Verb::StartTls,
        }
    }
}

/// Parses one command line (without its CRLF) into an owned [`Command`].
pub fn parse_command(line: &[u8]) -> Result<Command, CommandError> {
    parse_command_ref(line).map(CommandRef::into_owned)
}

#[cfg(test)]
mod tests;
