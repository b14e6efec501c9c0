//! The parser as it was before the borrowing rewrite, kept only as a reference: property tests
//! check that [`super::parse_command`] gives the same command, or the same error and message,
//! for every line (RFC 5321 §4.1 grammar, §4.5.3.1 limits).

use super::*;

/// The reference parser's error: kind, verb and the full message as shown.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct OracleError {
    pub verb: Option<Verb>,
    pub kind: CommandErrorKind,
    pub detail: String,
}

impl OracleError {
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

    /// The message as `CommandError`'s `Display` writes it.
    pub(super) fn message(&self) -> String {
        match (self.kind, self.verb) {
            (CommandErrorKind::Unknown | CommandErrorKind::LineTooLong, _) | (_, None) => {
                self.detail.clone()
            }
            (_, Some(verb)) => format!("Syntax: {} ({})", verb.syntax(), self.detail),
        }
    }
}

/// Parses one command line (without its CRLF).
pub(super) fn parse_command(line: &[u8]) -> Result<Command, OracleError> {
    if line.len() > MAX_COMMAND_LINE - 2 {
        return Err(OracleError {
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
        return Err(OracleError::syntax(
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

fn unknown_command(word: &[u8]) -> OracleError {
    let shown = String::from_utf8_lossy(&word[..word.len().min(40)]);
    OracleError {
        verb: None,
        kind: CommandErrorKind::Unknown,
        detail: format!("Command not recognized: \"{shown}\""),
    }
}

fn no_arguments(verb: Verb, args: &str, command: Command) -> Result<Command, OracleError> {
    if args.is_empty() {
        Ok(command)
    } else {
        Err(OracleError::syntax(
            verb,
            format!("{} takes no arguments", verb.name()),
        ))
    }
}

fn required_argument(verb: Verb, args: &str, hint: &str) -> Result<String, OracleError> {
    if args.is_empty() {
        Err(OracleError::syntax(verb, hint))
    } else {
        Ok(args.to_string())
    }
}

/// HELO/EHLO argument: one domain or address literal (RFC 5321 §4.1.1.1).
fn parse_client_domain(verb: Verb, args: &str) -> Result<String, OracleError> {
    if args.is_empty() {
        return Err(OracleError::syntax(
            verb,
            "say who you are, e.g. EHLO laptop-ani.alpha.example",
        ));
    }
    if args.bytes().any(|b| b == b' ' || b == b'\t') {
        return Err(OracleError::syntax(verb, "give exactly one domain name"));
    }
    // Many real clients announce names with `_` (Windows host names); accepting them costs
    // nothing and the learner's telnet session should not fail on it.
    let valid = if args.starts_with('[') {
        is_address_literal(args)
    } else {
        is_domain(args, true)
    };
    if !valid || args.len() > MAX_DOMAIN {
        return Err(OracleError::syntax(
            verb,
            format!("\"{args}\" is not a domain name or [address literal]"),
        ));
    }
    Ok(args.to_string())
}

/// `MAIL FROM:<reverse-path> [SP mail-parameters]` (RFC 5321 §4.1.1.2, §4.1.2; RFC 1870; RFC 6152).
fn parse_mail(args: &str) -> Result<Command, OracleError> {
    let verb = Verb::Mail;
    let after_from = strip_keyword(args, "FROM:")
        .ok_or_else(|| OracleError::syntax(verb, "write FROM: right after MAIL"))?;
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
                    return Err(OracleError::bad_parameter(
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
fn parse_rcpt(args: &str) -> Result<Command, OracleError> {
    let verb = Verb::Rcpt;
    let after_to = strip_keyword(args, "TO:")
        .ok_or_else(|| OracleError::syntax(verb, "write TO: right after RCPT"))?;
    let (path, params) = split_path(verb, after_to)?;
    let to = if path.eq_ignore_ascii_case("Postmaster") {
        ForwardPath::Postmaster
    } else {
        match parse_path(verb, path)? {
            Some(mailbox) => ForwardPath::Mailbox(mailbox),
            None => {
                return Err(OracleError::bad_address(
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
fn parse_auth(args: &str) -> Result<Command, OracleError> {
    let verb = Verb::Auth;
    let mut words = args.split(' ').filter(|w| !w.is_empty());
    let Some(mechanism) = words.next() else {
        return Err(OracleError::syntax(
            verb,
            "name a mechanism, e.g. AUTH PLAIN",
        ));
    };
    let initial_response = words.next().map(str::to_string);
    if words.next().is_some() {
        return Err(OracleError::syntax(
            verb,
            "at most a mechanism and one initial response",
        ));
    }
    let is_mechanism_name = mechanism.len() <= 20
        && mechanism
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !is_mechanism_name {
        return Err(OracleError::syntax(
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
fn split_path(verb: Verb, text: &str) -> Result<(&str, &str), OracleError> {
    let Some(inside) = text.strip_prefix('<') else {
        return Err(OracleError::syntax(
            verb,
            "put the address in angle brackets, e.g. <ani@alpha.example>",
        ));
    };
    let Some(close) = closing_bracket(inside) else {
        return Err(OracleError::syntax(verb, "the address needs its closing >"));
    };
    let (path, rest) = inside.split_at(close);
    if path.len() + 2 > MAX_PATH {
        return Err(OracleError::bad_address(
            verb,
            format!("the path is longer than {MAX_PATH} octets"),
        ));
    }
    let rest = &rest[1..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return Err(OracleError::syntax(
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
fn parse_path(verb: Verb, path: &str) -> Result<Option<Mailbox>, OracleError> {
    if path.is_empty() {
        return match verb {
            Verb::Mail => Ok(None),
            _ => Err(OracleError::bad_address(
                verb,
                "an empty path <> names nobody",
            )),
        };
    }
    // RFC 5321 Appendix C: accept a source route and ignore it.
    let mailbox = if path.starts_with('@') {
        let colon = path
            .find(':')
            .ok_or_else(|| OracleError::bad_address(verb, "a source route ends with ':'"))?;
        &path[colon + 1..]
    } else {
        path
    };
    parse_mailbox(verb, mailbox).map(Some)
}

/// `Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
fn parse_mailbox(verb: Verb, text: &str) -> Result<Mailbox, OracleError> {
    if !text.is_ascii() {
        return Err(OracleError::bad_address(
            verb,
            "non-ASCII addresses need SMTPUTF8, which this server does not offer",
        ));
    }
    let Some(at) = text.rfind('@') else {
        return Err(OracleError::bad_address(
            verb,
            format!("\"{text}\" has no @domain: write local-part@domain"),
        ));
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    if local.is_empty() {
        return Err(OracleError::bad_address(verb, "the part before @ is empty"));
    }
    if local.len() > MAX_LOCAL_PART {
        return Err(OracleError::bad_address(
            verb,
            format!("the local part is longer than {MAX_LOCAL_PART} octets"),
        ));
    }
    if domain.len() > MAX_DOMAIN {
        return Err(OracleError::bad_address(
            verb,
            format!("the domain is longer than {MAX_DOMAIN} octets"),
        ));
    }
    if !is_local_part(local) {
        return Err(OracleError::bad_address(
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
        return Err(OracleError::bad_address(
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
fn split_parameter(verb: Verb, param: &str) -> Result<(&str, Option<&str>), OracleError> {
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
        Err(OracleError::bad_parameter(
            verb,
            format!("\"{param}\" is not a parameter: write KEYWORD or KEYWORD=value"),
        ))
    }
}

/// `SIZE=<octets>` (RFC 1870 §6): up to 20 digits.
fn parse_size(value: Option<&str>) -> Result<u64, OracleError> {
    value
        .filter(|v| v.len() <= 20 && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            OracleError::bad_parameter(Verb::Mail, "SIZE needs a number of octets, e.g. SIZE=2048")
        })
}
