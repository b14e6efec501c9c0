//! A parsed command line that borrows its text from the line (RFC 5321 §4.1.1 verbs, §4.1.2
//! paths and `esmtp-param`s), so parsing allocates nothing; [`CommandRef::into_owned`] gives
//! the owned [`Command`] when the text must outlive the line.

use std::fmt;

use super::grammar::words;
use super::{Command, ForwardPath, Mailbox, ReversePath, Verb};

/// `local-part@domain` as written on the line (RFC 5321 §4.1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailboxRef<'a> {
    pub local: &'a str,
    pub domain: &'a str,
}

impl MailboxRef<'_> {
    /// True when `domain` names the same domain as this mailbox's (ASCII case ignored).
    pub fn is_in_domain(&self, domain: &str) -> bool {
        self.domain.eq_ignore_ascii_case(domain)
    }

    pub fn into_owned(self) -> Mailbox {
        Mailbox {
            local: self.local.to_string(),
            domain: self.domain.to_string(),
        }
    }
}

impl fmt::Display for MailboxRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

/// The MAIL sender: a mailbox, or `<>` for bounces (RFC 5321 §4.5.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReversePathRef<'a> {
    Null,
    Mailbox(MailboxRef<'a>),
}

/// The RCPT recipient: a mailbox, or `<Postmaster>` without a domain (RFC 5321 §4.1.1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardPathRef<'a> {
    Postmaster,
    Mailbox(MailboxRef<'a>),
}

/// The `keyword[=value]` parameters of a MAIL or RCPT line, already checked against
/// RFC 5321 §4.1.2, read one by one from the line instead of collected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Parameters<'a> {
    /// The text after the path: parameters separated by one or more spaces.
    text: &'a str,
    /// MAIL's SIZE and BODY are parsed into their own fields, so they are not listed again.
    skip_size_and_body: bool,
}

impl<'a> Parameters<'a> {
    pub(super) fn new(text: &'a str, skip_size_and_body: bool) -> Self {
        Self {
            text,
            skip_size_and_body,
        }
    }

    /// Each parameter as written, e.g. `RET=HDRS`, in line order.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a {
        let skip_size_and_body = self.skip_size_and_body;
        words(self.text).filter(move |param| !(skip_size_and_body && is_size_or_body(param)))
    }

    pub fn first(&self) -> Option<&'a str> {
        self.iter().next()
    }
}

fn is_size_or_body(param: &str) -> bool {
    let keyword = param.split_once('=').map_or(param, |(keyword, _)| keyword);
    keyword.eq_ignore_ascii_case("SIZE") || keyword.eq_ignore_ascii_case("BODY")
}

/// One parsed command line, borrowing from it; mirrors [`Command`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandRef<'a> {
    Helo {
        domain: &'a str,
    },
    Ehlo {
        domain: &'a str,
    },
    Mail {
        from: ReversePathRef<'a>,
        size: Option<u64>,
        body_8bit: bool,
        /// Parameters other than SIZE and BODY.
        other_params: Parameters<'a>,
    },
    Rcpt {
        to: ForwardPathRef<'a>,
        params: Parameters<'a>,
    },
    Data,
    Rset,
    Quit,
    Noop,
    Vrfy {
        target: &'a str,
    },
    Expn {
        list: &'a str,
    },
    Help {
        topic: Option<&'a str>,
    },
    Auth {
        /// As typed; mechanism names are case-insensitive (RFC 4954 §4), the owned form
        /// upper-cases them.
        mechanism: &'a str,
        initial_response: Option<&'a str>,
    },
    StartTls,
}

impl CommandRef<'_> {
    pub fn verb(&self) -> Verb {
        match self {
            CommandRef::Helo { .. } => Verb::Helo,
            CommandRef::Ehlo { .. } => Verb::Ehlo,
            CommandRef::Mail { .. } => Verb::Mail,
            CommandRef::Rcpt { .. } => Verb::Rcpt,
            CommandRef::Data => Verb::Data,
            CommandRef::Rset => Verb::Rset,
            CommandRef::Quit => Verb::Quit,
            CommandRef::Noop => Verb::Noop,
            CommandRef::Vrfy { .. } => Verb::Vrfy,
            CommandRef::Expn { .. } => Verb::Expn,
            CommandRef::Help { .. } => Verb::Help,
            CommandRef::Auth { .. } => Verb::Auth,
            CommandRef::StartTls => Verb::StartTls,
        }
    }

    /// The same command with owned text.
    pub fn into_owned(self) -> Command {
        match self {
            CommandRef::Helo { domain } => Command::Helo {
                domain: domain.to_string(),
            },
            CommandRef::Ehlo { domain } => Command::Ehlo {
                domain: domain.to_string(),
            },
            CommandRef::Mail {
                from,
                size,
                body_8bit,
                other_params,
            } => Command::Mail {
                from: match from {
                    ReversePathRef::Null => ReversePath::Null,
                    ReversePathRef::Mailbox(mailbox) => ReversePath::Mailbox(mailbox.into_owned()),
                },
                size,
                body_8bit,
                other_params: other_params.iter().map(str::to_string).collect(),
            },
            CommandRef::Rcpt { to, params } => Command::Rcpt {
                to: match to {
                    ForwardPathRef::Postmaster => ForwardPath::Postmaster,
                    ForwardPathRef::Mailbox(mailbox) => ForwardPath::Mailbox(mailbox.into_owned()),
                },
                params: params.iter().map(str::to_string).collect(),
            },
            CommandRef::Data => Command::Data,
            CommandRef::Rset => Command::Rset,
            CommandRef::Quit => Command::Quit,
            CommandRef::Noop => Command::Noop,
            CommandRef::Vrfy { target } => Command::Vrfy {
                target: target.to_string(),
            },
            CommandRef::Expn { list } => Command::Expn {
                list: list.to_string(),
            },
            CommandRef::Help { topic } => Command::Help {
                topic: topic.map(str::to_string),
            },
            CommandRef::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: mechanism.to_ascii_uppercase(),
                initial_response: initial_response.map(str::to_string),
            },
            CommandRef::StartTls => Command::StartTls,
        }
    }
}
