//! SMTP command lines: the verbs (RFC 5321 §4.1.1, AUTH from RFC 4954 §4, STARTTLS from
//! RFC 3207 §4) and a parser for one line without its CRLF.
//!
//! The parser follows the grammar of RFC 5321 §4.1.2 (paths, mailboxes, domains, address
//! literals; a source route `@a,@b:` is accepted and ignored as Appendix C asks) and the limits
//! of §4.5.3.1 (command line 512, local part 64, domain 255, path 256 octets). It knows the MAIL
//! parameters SIZE (RFC 1870) and BODY (RFC 6152); any other `keyword[=value]` is handed to the
//! server, which decides. Every error names the expected syntax so the terminal can teach it.
//!
//! It allocates only for the strings the parsed [`Command`] owns.

use std::fmt;

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
    pub detail: String,
}

impl CommandError {
    fn new(verb: Verb, kind: CommandErrorKind, detail: impl Into<String>) -> Self {
        Self {
            verb: Some(verb),
            kind,
            detail: detail.into(),
        }
    }

    fn syntax(verb: Verb, detail: impl Into<String>) -> Self {
        Self::new(verb, CommandErrorKind::Syntax, detail)
    }

    fn bad_address(verb: Verb, detail: impl Into<String>) -> Self {
        Self::new(verb, CommandErrorKind::BadAddress, detail)
    }

    fn bad_parameter(verb: Verb, detail: impl Into<String>) -> Self {
        Self::new(verb, CommandErrorKind::BadParameter, detail)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.kind, self.verb) {
            (CommandErrorKind::Unknown | CommandErrorKind::LineTooLong, _) | (_, None) => {
                f.write_str(&self.detail)
            }
            (_, Some(verb)) => write!(f, "Syntax: {} ({})", verb.syntax(), self.detail),
        }
    }
}

impl std::error::Error for CommandError {}

/// Parses one command line (without its CRLF).
pub fn parse_command(line: &[u8]) -> Result<Command, CommandError> {
    if line.len() > MAX_COMMAND_LINE - 2 {
        return Err(CommandError {
            verb: None,
            kind: CommandErrorKind::LineTooLong,
            detail: format!(
                "Line too long: a command line is at most {MAX_COMMAND_LINE} octets with its CRLF"
            ),
        });
    }
    let word_end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let (word, rest) = line.split_at(word_end);
    let Some(verb) = Verb::from_word(word) else {
        return Err(unknown_command(word));
    };
    let Ok(args) = std::str::from_utf8(rest) else {
        return Err(CommandError::syntax(
            verb,
            "the line contains bytes that are not UTF-8 text",
        ));
    };
    let args = args.trim_matches([' ', '\t']);
    match verb {
        Verb::Helo => Ok(Command::Helo {
            domain: parse_client_domain(verb, args)?,
        }),
        Verb::Ehlo => Ok(Command::Ehlo {
            domain: parse_client_domain(verb, args)?,
        }),
        Verb::Mail => parse_mail(args),
        Verb::Rcpt => parse_rcpt(args),
        Verb::Data => no_arguments(verb, args, Command::Data),
        Verb::Rset => no_arguments(verb, args, Command::Rset),
        Verb::Quit => no_arguments(verb, args, Command::Quit),
        Verb::StartTls => no_arguments(verb, args, Command::StartTls),
        // NOOP may carry a string, which the server ignores (RFC 5321 §4.1.1.9).
        Verb::Noop => Ok(Command::Noop),
        Verb::Vrfy => Ok(Command::Vrfy {
            target: required_argument(verb, args, "name whom to verify, e.g. VRFY ani")?,
        }),
        Verb::Expn => Ok(Command::Expn {
            list: required_argument(verb, args, "name the list to expand")?,
        }),
        Verb::Help => Ok(Command::Help {
            topic: (!args.is_empty()).then(|| args.to_string()),
        }),
        Verb::Auth => parse_auth(args),
    }
}

fn unknown_command(word: &[u8]) -> CommandError {
    let shown = String::from_utf8_lossy(&word[..word.len().min(40)]);
    CommandError {
        verb: None,
        kind: CommandErrorKind::Unknown,
        detail: format!("Command not recognized: \"{shown}\""),
    }
}

fn no_arguments(verb: Verb, args: &str, command: Command) -> Result<Command, CommandError> {
    if args.is_empty() {
        Ok(command)
    } else {
        Err(CommandError::syntax(
            verb,
            format!("{} takes no arguments", verb.name()),
        ))
    }
}

fn required_argument(verb: Verb, args: &str, hint: &str) -> Result<String, CommandError> {
    if args.is_empty() {
        Err(CommandError::syntax(verb, hint))
    } else {
        Ok(args.to_string())
    }
}

/// HELO/EHLO argument: one domain or address literal (RFC 5321 §4.1.1.1).
fn parse_client_domain(verb: Verb, args: &str) -> Result<String, CommandError> {
    if args.is_empty() {
        return Err(CommandError::syntax(
            verb,
            "say who you are, e.g. EHLO laptop-ani.alpha.example",
        ));
    }
    if args.bytes().any(|b| b == b' ' || b == b'\t') {
        return Err(CommandError::syntax(verb, "give exactly one domain name"));
    }
    // Many real clients announce names with `_` (Windows host names); accepting them costs
    // nothing and the learner's telnet session should not fail on it.
    let valid = if args.starts_with('[') {
        is_address_literal(args)
    } else {
        is_domain(args, true)
    };
    if !valid || args.len() > MAX_DOMAIN {
        return Err(CommandError::syntax(
            verb,
            format!("\"{args}\" is not a domain name or [address literal]"),
        ));
    }
    Ok(args.to_string())
}

/// `MAIL FROM:<reverse-path> [SP mail-parameters]` (RFC 5321 §4.1.1.2, §4.1.2; RFC 1870; RFC 6152).
fn parse_mail(args: &str) -> Result<Command, CommandError> {
    let verb = Verb::Mail;
    let after_from = strip_keyword(args, "FROM:")
        .ok_or_else(|| CommandError::syntax(verb, "write FROM: right after MAIL"))?;
    let (path, params) = split_path(verb, after_from)?;
    let from = match parse_path(verb, path)? {
        None => ReversePath::Null,
        Some(mailbox) => ReversePath::Mailbox(mailbox),
    };
    let mut size = None;
    let mut body_8bit = false;
    let mut other_params = Vec::new();
    for param in params.split(' ').filter(|p| !p.is_empty()) {
        let (keyword, value) = split_parameter(verb, param)?;
        if keyword.eq_ignore_ascii_case("SIZE") {
            size = Some(parse_size(value)?);
        } else if keyword.eq_ignore_ascii_case("BODY") {
            body_8bit = match value {
                Some(v) if v.eq_ignore_ascii_case("8BITMIME") => true,
                Some(v) if v.eq_ignore_ascii_case("7BIT") => false,
                _ => {
                    return Err(CommandError::bad_parameter(
                        verb,
                        "BODY is BODY=7BIT or BODY=8BITMIME",
                    ))
                }
            };
        } else {
            other_params.push(param.to_string());
        }
    }
    Ok(Command::Mail {
        from,
        size,
        body_8bit,
        other_params,
    })
}

/// `RCPT TO:<forward-path> [SP rcpt-parameters]`, `<Postmaster>` included (RFC 5321 §4.1.1.3).
fn parse_rcpt(args: &str) -> Result<Command, CommandError> {
    let verb = Verb::Rcpt;
    let after_to = strip_keyword(args, "TO:")
        .ok_or_else(|| CommandError::syntax(verb, "write TO: right after RCPT"))?;
    let (path, params) = split_path(verb, after_to)?;
    let to = if path.eq_ignore_ascii_case("Postmaster") {
        ForwardPath::Postmaster
    } else {
        match parse_path(verb, path)? {
            Some(mailbox) => ForwardPath::Mailbox(mailbox),
            None => {
                return Err(CommandError::bad_address(
                    verb,
                    "<> is only for the sender of a bounce; name a recipient",
                ))
            }
        }
    };
    let mut collected = Vec::new();
    for param in params.split(' ').filter(|p| !p.is_empty()) {
        split_parameter(verb, param)?;
        collected.push(param.to_string());
    }
    Ok(Command::Rcpt {
        to,
        params: collected,
    })
}

/// `AUTH mechanism [SP initial-response]` (RFC 4954 §4).
fn parse_auth(args: &str) -> Result<Command, CommandError> {
    let verb = Verb::Auth;
    let mut words = args.split(' ').filter(|w| !w.is_empty());
    let Some(mechanism) = words.next() else {
        return Err(CommandError::syntax(
            verb,
            "name a mechanism, e.g. AUTH PLAIN",
        ));
    };
    let initial_response = words.next().map(str::to_string);
    if words.next().is_some() {
        return Err(CommandError::syntax(
            verb,
            "at most a mechanism and one initial response",
        ));
    }
    let is_mechanism_name = mechanism.len() <= 20
        && mechanism
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !is_mechanism_name {
        return Err(CommandError::syntax(
            verb,
            "a mechanism name is letters, digits, - and _",
        ));
    }
    Ok(Command::Auth {
        mechanism: mechanism.to_ascii_uppercase(),
        initial_response,
    })
}

/// Strips `FROM:` / `TO:` (any case) and the spaces some clients put after the colon.
fn strip_keyword<'a>(args: &'a str, keyword: &str) -> Option<&'a str> {
    let head = args.get(..keyword.len())?;
    head.eq_ignore_ascii_case(keyword)
        .then(|| args[keyword.len()..].trim_start_matches(' '))
}

/// Splits `<path> params` into the text inside the angle brackets and the parameters.
fn split_path(verb: Verb, text: &str) -> Result<(&str, &str), CommandError> {
    let Some(inside) = text.strip_prefix('<') else {
        return Err(CommandError::syntax(
            verb,
            "put the address in angle brackets, e.g. <ani@alpha.example>",
        ));
    };
    let Some(close) = closing_bracket(inside) else {
        return Err(CommandError::syntax(
            verb,
            "the address needs its closing >",
        ));
    };
    let (path, rest) = inside.split_at(close);
    if path.len() + 2 > MAX_PATH {
        return Err(CommandError::bad_address(
            verb,
            format!("the path is longer than {MAX_PATH} octets"),
        ));
    }
    let rest = &rest[1..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return Err(CommandError::syntax(
            verb,
            "put a space between the address and any parameter",
        ));
    }
    Ok((path, rest))
}

/// The `>` that closes a path, skipping any inside a quoted local part.
fn closing_bracket(inside: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (index, byte) in inside.bytes().enumerate() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_quotes => escaped = true,
            b'"' => in_quotes = !in_quotes,
            b'>' if !in_quotes => return Some(index),
            _ => {}
        }
    }
    None
}

/// The text between `<` and `>`: empty (null path) or `[source-route:]local@domain`.
fn parse_path(verb: Verb, path: &str) -> Result<Option<Mailbox>, CommandError> {
    if path.is_empty() {
        return match verb {
            Verb::Mail => Ok(None),
            _ => Err(CommandError::bad_address(
                verb,
                "an empty path <> names nobody",
            )),
        };
    }
    // RFC 5321 Appendix C: accept a source route and ignore it.
    let mailbox = if path.starts_with('@') {
        let colon = path
            .find(':')
            .ok_or_else(|| CommandError::bad_address(verb, "a source route ends with ':'"))?;
        &path[colon + 1..]
    } else {
        path
    };
    parse_mailbox(verb, mailbox).map(Some)
}

/// `Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
pub(crate) fn parse_mailbox(verb: Verb, text: &str) -> Result<Mailbox, CommandError> {
    if !text.is_ascii() {
        return Err(CommandError::bad_address(
            verb,
            "non-ASCII addresses need SMTPUTF8, which this server does not offer",
        ));
    }
    let Some(at) = text.rfind('@') else {
        return Err(CommandError::bad_address(
            verb,
            format!("\"{text}\" has no @domain: write local-part@domain"),
        ));
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if local.is_empty() {
        return Err(CommandError::bad_address(
            verb,
            "the part before @ is empty",
        ));
    }
    if local.len() > MAX_LOCAL_PART {
        return Err(CommandError::bad_address(
            verb,
            format!("the local part is longer than {MAX_LOCAL_PART} octets"),
        ));
    }
    if domain.len() > MAX_DOMAIN {
        return Err(CommandError::bad_address(
            verb,
            format!("the domain is longer than {MAX_DOMAIN} octets"),
        ));
    }
    if !is_local_part(local) {
        return Err(CommandError::bad_address(
            verb,
            format!("\"{local}\" is not a valid local part"),
        ));
    }
    let domain_ok = if domain.starts_with('[') {
        is_address_literal(domain)
    } else {
        is_domain(domain, false)
    };
    if !domain_ok {
        return Err(CommandError::bad_address(
            verb,
            format!("\"{domain}\" is not a valid domain"),
        ));
    }
    Ok(Mailbox {
        local: local.to_string(),
        domain: domain.to_string(),
    })
}

/// `Dot-string / Quoted-string` (RFC 5321 §4.1.2).
fn is_local_part(local: &str) -> bool {
    if let Some(quoted) = local.strip_prefix('"') {
        let Some(inner) = quoted.strip_suffix('"') else {
            return false;
        };
        let mut escaped = false;
        for byte in inner.bytes() {
            match byte {
                _ if escaped => {
                    escaped = false;
                    if !(32..=126).contains(&byte) {
                        return false;
                    }
                }
                b'\\' => escaped = true,
                b'"' => return false,
                32..=126 => {}
                _ => return false,
            }
        }
        !escaped
    } else {
        local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
    }
}

/// RFC 5322 `atext`.
fn is_atext(byte: u8) -> bool {
    matches!(byte, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'/' | b'=' | b'?' | b'^'..=b'`' | b'{'..=b'~')
}

/// Dot-separated labels of letters, digits and inner hyphens (RFC 5321 `Domain`), in one pass.
fn is_domain(domain: &str, allow_underscore: bool) -> bool {
    let bytes = domain.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_DOMAIN {
        return false;
    }
    let mut label_len = 0;
    let mut previous = b'.';
    for &byte in bytes {
        match byte {
            b'.' if label_len == 0 || previous == b'-' => return false,
            b'.' => label_len = 0,
            b'-' if label_len == 0 => return false,
            _ if byte.is_ascii_alphanumeric()
                || byte == b'-'
                || (allow_underscore && byte == b'_') =>
            {
                label_len += 1;
                if label_len > 63 {
                    return false;
                }
            }
            _ => return false,
        }
        previous = byte;
    }
    label_len > 0 && previous != b'-'
}

/// `[192.0.2.10]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3).
fn is_address_literal(text: &str) -> bool {
    let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
        return false;
    };
    match inner.get(..5) {
        Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
            inner[5..].parse::<std::net::Ipv6Addr>().is_ok()
        }
        _ => inner.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

/// `esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2).
fn split_parameter(verb: Verb, param: &str) -> Result<(&str, Option<&str>), CommandError> {
    let (keyword, value) = match param.split_once('=') {
        Some((keyword, value)) => (keyword, Some(value)),
        None => (param, None),
    };
    let keyword_ok = keyword
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && keyword
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let value_ok = value
        .is_none_or(|v| !v.is_empty() && v.bytes().all(|b| (33..=126).contains(&b) && b != b'='));
    if keyword_ok && value_ok {
        Ok((keyword, value))
    } else {
        Err(CommandError::bad_parameter(
            verb,
            format!("\"{param}\" is not a parameter: write KEYWORD or KEYWORD=value"),
        ))
    }
}

/// `SIZE=<octets>` (RFC 1870 §6): up to 20 digits.
fn parse_size(value: Option<&str>) -> Result<u64, CommandError> {
    value
        .filter(|v| v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            CommandError::bad_parameter(Verb::Mail, "SIZE needs a number of octets, e.g. SIZE=2048")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, CommandError> {
        parse_command(line.as_bytes())
    }

    fn kind(line: &str) -> CommandErrorKind {
        parse(line).expect_err(line).kind
    }

    fn mailbox(local: &str, domain: &str) -> Mailbox {
        Mailbox {
            local: local.into(),
            domain: domain.into(),
        }
    }

    #[test]
    fn verbs_are_case_insensitive() {
        for line in ["quit", "QUIT", "QuIt"] {
            assert_eq!(parse(line), Ok(Command::Quit));
        }
        assert_eq!(parse("starttls"), Ok(Command::StartTls));
    }

    #[test]
    fn every_verb_round_trips_its_name() {
        for verb in Verb::ALL {
            assert_eq!(Verb::from_word(verb.name().as_bytes()), Some(verb));
            assert_eq!(
                Verb::from_word(verb.name().to_lowercase().as_bytes()),
                Some(verb)
            );
            assert!(verb.syntax().starts_with(verb.name()));
            assert!(verb.keyword().starts_with(verb.name()));
        }
    }

    #[test]
    fn verbs_do_not_match_non_letters_that_fold_alike() {
        assert_eq!(Verb::from_word(b"H\x05LO"), None);
        assert_eq!(Verb::from_word(b"HEL"), None);
        assert_eq!(Verb::from_word(b"HELOO"), None);
    }

    #[test]
    fn unknown_command_is_named() {
        let error = parse("FOO bar").expect_err("unknown");
        assert_eq!(error.kind, CommandErrorKind::Unknown);
        assert_eq!(error.verb, None);
        assert!(error.to_string().contains("FOO"));
        assert_eq!(kind(""), CommandErrorKind::Unknown);
        assert_eq!(kind(" QUIT"), CommandErrorKind::Unknown);
    }

    #[test]
    fn helo_and_ehlo_take_one_domain() {
        assert_eq!(
            parse("EHLO laptop-ani.alpha.example"),
            Ok(Command::Ehlo {
                domain: "laptop-ani.alpha.example".into()
            })
        );
        assert_eq!(
            parse("HELO localhost"),
            Ok(Command::Helo {
                domain: "localhost".into()
            })
        );
        assert_eq!(
            parse("EHLO [192.0.2.10]"),
            Ok(Command::Ehlo {
                domain: "[192.0.2.10]".into()
            })
        );
        assert_eq!(
            parse("EHLO [IPv6:2001:db8::1]"),
            Ok(Command::Ehlo {
                domain: "[IPv6:2001:db8::1]".into()
            })
        );
        assert_eq!(
            parse("EHLO DESKTOP_42"),
            Ok(Command::Ehlo {
                domain: "DESKTOP_42".into()
            })
        );
    }

    #[test]
    fn helo_errors_teach_the_syntax() {
        for line in [
            "EHLO",
            "HELO",
            "EHLO a b",
            "EHLO -bad-",
            "EHLO a..b",
            "EHLO [999.1.1.1]",
            "EHLO x/y",
        ] {
            let error = parse(line).expect_err(line);
            assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
            assert!(error.to_string().starts_with("Syntax: "), "{line}: {error}");
        }
    }

    #[test]
    fn mail_from_with_parameters() {
        assert_eq!(
            parse("MAIL FROM:<ani@alpha.example> SIZE=2048 BODY=8BITMIME"),
            Ok(Command::Mail {
                from: ReversePath::Mailbox(mailbox("ani", "alpha.example")),
                size: Some(2048),
                body_8bit: true,
                other_params: vec![]
            })
        );
        assert_eq!(
            parse("mail from:<>"),
            Ok(Command::Mail {
                from: ReversePath::Null,
                size: None,
                body_8bit: false,
                other_params: vec![]
            })
        );
        assert_eq!(
            parse("MAIL FROM:<a@b.example> BODY=7bit RET=HDRS"),
            Ok(Command::Mail {
                from: ReversePath::Mailbox(mailbox("a", "b.example")),
                size: None,
                body_8bit: false,
                other_params: vec!["RET=HDRS".into()]
            })
        );
    }

    #[test]
    fn mail_from_is_lenient_about_a_space_after_the_colon() {
        assert!(matches!(
            parse("MAIL FROM: <ani@alpha.example>"),
            Ok(Command::Mail { .. })
        ));
    }

    #[test]
    fn mail_from_source_route_is_ignored() {
        assert!(
            matches!(parse("MAIL FROM:<@relay.example,@x.example:ani@alpha.example>"),
            Ok(Command::Mail { from: ReversePath::Mailbox(m), .. }) if m == mailbox("ani", "alpha.example"))
        );
    }

    #[test]
    fn mail_syntax_errors_show_the_expected_syntax() {
        for line in [
            "MAIL",
            "MAIL ani@alpha.example",
            "MAIL FROM:ani@alpha.example",
            "MAIL FROM:<ani@alpha.example",
            "MAIL FROM:<ani@alpha.example>SIZE=1",
            "MAIL TO:<a@b.example>",
        ] {
            let error = parse(line).expect_err(line);
            assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
            assert_eq!(error.verb, Some(Verb::Mail));
            assert!(
                error
                    .to_string()
                    .starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]"),
                "{error}"
            );
        }
    }

    #[test]
    fn mail_bad_parameters() {
        for line in [
            "MAIL FROM:<a@b.example> SIZE=big",
            "MAIL FROM:<a@b.example> SIZE",
            "MAIL FROM:<a@b.example> SIZE=123456789012345678901",
            "MAIL FROM:<a@b.example> BODY=BINARY",
            "MAIL FROM:<a@b.example> =x",
            "MAIL FROM:<a@b.example> X=",
            "MAIL FROM:<a@b.example> SIZE=-1",
        ] {
            assert_eq!(kind(line), CommandErrorKind::BadParameter, "{line}");
        }
    }

    #[test]
    fn address_limits_of_rfc_5321_section_4_5_3_1() {
        let local_64 = "a".repeat(64);
        assert!(parse(&format!("RCPT TO:<{local_64}@b.example>")).is_ok());
        assert_eq!(
            kind(&format!("RCPT TO:<{local_64}a@b.example>")),
            CommandErrorKind::BadAddress
        );
        let label = "d".repeat(63);
        let domain_255 = format!("{label}.{label}.{label}.{}", "d".repeat(63));
        assert_eq!(domain_255.len(), 255);
        // 1 + 1 + 255 + 2 = 259 > 256: the path limit bites before the domain limit.
        assert_eq!(
            kind(&format!("RCPT TO:<a@{domain_255}>")),
            CommandErrorKind::BadAddress
        );
        let domain_252 = &domain_255[3..];
        assert!(
            parse(&format!("RCPT TO:<a@{domain_252}>")).is_ok(),
            "path of exactly 256 octets"
        );
        assert_eq!(
            kind(&format!("RCPT TO:<ab@{domain_252}>")),
            CommandErrorKind::BadAddress
        );
    }

    #[test]
    fn bad_address_syntax() {
        for line in [
            "RCPT TO:<budi>",
            "RCPT TO:<@beta.example>",
            "RCPT TO:<budi@>",
            "RCPT TO:<bu di@beta.example>",
            "RCPT TO:<budi@beta..example>",
            "RCPT TO:<a..b@beta.example>",
            "RCPT TO:<>",
            "RCPT TO:<büdi@beta.example>",
            "RCPT TO:<@relay.example>",
        ] {
            assert_eq!(kind(line), CommandErrorKind::BadAddress, "{line}");
        }
    }

    #[test]
    fn quoted_local_parts_and_literals() {
        assert!(
            matches!(parse("RCPT TO:<\"ani b\"@alpha.example>"), Ok(Command::Rcpt { to: ForwardPath::Mailbox(m), .. }) if m.local == "\"ani b\"")
        );
        assert!(matches!(
            parse("RCPT TO:<\"a>b\"@alpha.example>"),
            Ok(Command::Rcpt { .. })
        ));
        assert!(matches!(
            parse("RCPT TO:<ani@[192.0.2.25]>"),
            Ok(Command::Rcpt { .. })
        ));
    }

    #[test]
    fn rcpt_to_postmaster_without_domain() {
        assert_eq!(
            parse("RCPT TO:<Postmaster>"),
            Ok(Command::Rcpt {
                to: ForwardPath::Postmaster,
                params: vec![]
            })
        );
        assert_eq!(
            parse("rcpt to:<POSTMASTER>"),
            Ok(Command::Rcpt {
                to: ForwardPath::Postmaster,
                params: vec![]
            })
        );
    }

    #[test]
    fn rcpt_keeps_parameters_for_the_server() {
        assert_eq!(
            parse("RCPT TO:<budi@beta.example> NOTIFY=NEVER"),
            Ok(Command::Rcpt {
                to: ForwardPath::Mailbox(mailbox("budi", "beta.example")),
                params: vec!["NOTIFY=NEVER".into()]
            })
        );
    }

    #[test]
    fn rcpt_syntax_errors() {
        for line in [
            "RCPT",
            "RCPT <budi@beta.example>",
            "RCPT TO budi@beta.example",
            "RCPT TO:budi@beta.example",
        ] {
            let error = parse(line).expect_err(line);
            assert_eq!(error.kind, CommandErrorKind::Syntax, "{line}");
            assert!(
                error.to_string().contains("RCPT TO:<forward-path>"),
                "{error}"
            );
        }
    }

    #[test]
    fn commands_without_arguments_refuse_them() {
        for line in ["DATA now", "RSET all", "QUIT please", "STARTTLS x"] {
            assert_eq!(kind(line), CommandErrorKind::Syntax, "{line}");
        }
        assert_eq!(parse("DATA "), Ok(Command::Data));
        assert_eq!(parse("NOOP anything goes"), Ok(Command::Noop));
    }

    #[test]
    fn vrfy_expn_help() {
        assert_eq!(
            parse("VRFY ani"),
            Ok(Command::Vrfy {
                target: "ani".into()
            })
        );
        assert_eq!(
            parse("VRFY <ani@alpha.example>"),
            Ok(Command::Vrfy {
                target: "<ani@alpha.example>".into()
            })
        );
        assert_eq!(kind("VRFY"), CommandErrorKind::Syntax);
        assert_eq!(kind("EXPN  "), CommandErrorKind::Syntax);
        assert_eq!(
            parse("EXPN staff"),
            Ok(Command::Expn {
                list: "staff".into()
            })
        );
        assert_eq!(parse("HELP"), Ok(Command::Help { topic: None }));
        assert_eq!(
            parse("HELP mail"),
            Ok(Command::Help {
                topic: Some("mail".into())
            })
        );
    }

    #[test]
    fn auth_mechanism_and_initial_response() {
        assert_eq!(
            parse("AUTH plain AGFuaQBhbmkxMjM="),
            Ok(Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: Some("AGFuaQBhbmkxMjM=".into())
            })
        );
        assert_eq!(
            parse("AUTH LOGIN"),
            Ok(Command::Auth {
                mechanism: "LOGIN".into(),
                initial_response: None
            })
        );
        for line in ["AUTH", "AUTH PLAIN a b", "AUTH PL@IN"] {
            assert_eq!(kind(line), CommandErrorKind::Syntax, "{line}");
        }
    }

    #[test]
    fn atext_is_exactly_rfc_5322s_set() {
        let specials = b"!#$%&'*+-/=?^_`{|}~";
        for byte in 0..=255u8 {
            assert_eq!(
                is_atext(byte),
                byte.is_ascii_alphanumeric() || specials.contains(&byte),
                "{byte}"
            );
        }
    }

    #[test]
    fn line_too_long() {
        let line = format!("NOOP {}", "x".repeat(505));
        assert_eq!(line.len(), 510);
        assert!(parse(&line).is_ok());
        assert_eq!(kind(&format!("{line}x")), CommandErrorKind::LineTooLong);
    }

    #[test]
    fn non_utf8_never_panics() {
        assert_eq!(
            parse_command(b"MAIL FROM:<\xff@x.example>")
                .expect_err("bad")
                .kind,
            CommandErrorKind::Syntax
        );
        assert_eq!(
            parse_command(b"\xff\xfe").expect_err("bad").kind,
            CommandErrorKind::Unknown
        );
        assert_eq!(
            parse_command(b"\xc3").expect_err("bad").kind,
            CommandErrorKind::Unknown
        );
    }
}
