//! The command-line parser: one line without its CRLF in, a [`CommandRef`] borrowing from it
//! out (RFC 5321 §4.1.1 commands, §4.1.2 argument syntax, §4.5.3.1 size limits; AUTH from
//! RFC 4954 §4; SIZE from RFC 1870 §6; BODY from RFC 6152 §2).
//!
//! It reads bytes, checks UTF-8 once for the arguments, compares keywords ignoring ASCII case
//! in place and never allocates on success; see [`super::error`] for the cheap errors.

use super::borrowed::{CommandRef, ForwardPathRef, MailboxRef, Parameters, ReversePathRef};
use super::error::{CommandError, CommandErrorKind, Detail};
use super::grammar::{
    domain_len, dot_string_len, is_address_literal, is_domain, is_local_part, split_parameter,
    words,
};
use super::{Verb, MAX_COMMAND_LINE, MAX_DOMAIN, MAX_LOCAL_PART, MAX_PATH};

/// Parses one command line (without its CRLF), borrowing the command's text from it.
pub fn parse_command_ref(line: &[u8]) -> Result<CommandRef<'_>, CommandError> {
    if line.len() > MAX_COMMAND_LINE - 2 {
        return Err(CommandError::line_too_long());
    }
    let word_end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let (word, rest) = line.split_at(word_end);
    let Some(verb) = Verb::from_word(word) else {
        return Err(CommandError::unknown_command(word));
    };
    // Space and tab are never part of a multi-byte character, so trimming first is safe.
    let Ok(args) = std::str::from_utf8(trim_blanks(rest)) else {
        return Err(CommandError::syntax(
            verb,
            "the line contains bytes that are not UTF-8 text",
        ));
    };
    match verb {
        Verb::Helo => Ok(CommandRef::Helo {
            domain: parse_client_domain(verb, args)?,
        }),
        Verb::Ehlo => Ok(CommandRef::Ehlo {
            domain: parse_client_domain(verb, args)?,
        }),
        Verb::Mail => parse_mail(args),
        Verb::Rcpt => parse_rcpt(args),
        Verb::Data => no_arguments(verb, args, CommandRef::Data),
        Verb::Rset => no_arguments(verb, args, CommandRef::Rset),
        Verb::Quit => no_arguments(verb, args, CommandRef::Quit),
        Verb::StartTls => no_arguments(verb, args, CommandRef::StartTls),
        // NOOP may carry a string, which the server ignores (RFC 5321 §4.1.1.9).
        Verb::Noop => Ok(CommandRef::Noop),
        Verb::Vrfy => Ok(CommandRef::Vrfy {
            target: required_argument(verb, args, "name whom to verify, e.g. VRFY ani")?,
        }),
        Verb::Expn => Ok(CommandRef::Expn {
            list: required_argument(verb, args, "name the list to expand")?,
        }),
        Verb::Help => Ok(CommandRef::Help {
            topic: (!args.is_empty()).then_some(args),
        }),
        Verb::Auth => parse_auth(args),
    }
}

/// Drops spaces and tabs at both ends.
fn trim_blanks(bytes: &[u8]) -> &[u8] {
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let start = bytes
        .iter()
        .position(|b| !is_blank(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_blank(b))
        .map_or(start, |last| last + 1);
    &bytes[start..end]
}

fn no_arguments<'a>(
    verb: Verb,
    args: &str,
    command: CommandRef<'a>,
) -> Result<CommandRef<'a>, CommandError> {
    if args.is_empty() {
        Ok(command)
    } else {
        Err(CommandError::new(
            verb,
            CommandErrorKind::Syntax,
            Detail::NoArguments(verb),
        ))
    }
}

fn required_argument<'a>(
    verb: Verb,
    args: &'a str,
    hint: &'static str,
) -> Result<&'a str, CommandError> {
    if args.is_empty() {
        Err(CommandError::syntax(verb, hint))
    } else {
        Ok(args)
    }
}

/// HELO/EHLO argument: one domain or address literal (RFC 5321 §4.1.1.1).
fn parse_client_domain(verb: Verb, args: &str) -> Result<&str, CommandError> {
    // Many real clients announce names with `_` (Windows host names); accepting them costs
    // nothing and the learner's telnet session should not fail on it.
    let valid = if args.starts_with('[') {
        is_address_literal(args)
    } else {
        is_domain(args.as_bytes(), true)
    };
    if valid && args.len() <= MAX_DOMAIN {
        return Ok(args);
    }
    // Neither an empty argument nor one with blanks is valid: find the most helpful message.
    if args.is_empty() {
        return Err(CommandError::syntax(
            verb,
            "say who you are, e.g. EHLO laptop-ani.alpha.example",
        ));
    }
    if args.bytes().any(|b| b == b' ' || b == b'\t') {
        return Err(CommandError::syntax(verb, "give exactly one domain name"));
    }
    Err(CommandError::quoting(
        verb,
        CommandErrorKind::Syntax,
        args,
        " is not a domain name or [address literal]",
    ))
}

/// `MAIL FROM:<reverse-path> [SP mail-parameters]` (RFC 5321 §4.1.1.2, §4.1.2; RFC 1870; RFC 6152).
fn parse_mail(args: &str) -> Result<CommandRef<'_>, CommandError> {
    let verb = Verb::Mail;
    let after_from = strip_keyword(args, "FROM:")
        .ok_or_else(|| CommandError::syntax(verb, "write FROM: right after MAIL"))?;
    let (from, params) = match split_plain_path(after_from) {
        Some((mailbox, params)) => (ReversePathRef::Mailbox(mailbox), params),
        None => {
            let (path, params) = split_path(verb, after_from)?;
            let from = if path.is_empty() {
                ReversePathRef::Null
            } else {
                ReversePathRef::Mailbox(parse_path(verb, path)?)
            };
            (from, params)
        }
    };
    let mut size = None;
    let mut body_8bit = false;
    for param in words(params) {
        let (keyword, value) = checked_parameter(verb, param)?;
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
        }
    }
    Ok(CommandRef::Mail {
        from,
        size,
        body_8bit,
        other_params: Parameters::new(params, true),
    })
}

/// `RCPT TO:<forward-path> [SP rcpt-parameters]`, `<Postmaster>` included (RFC 5321 §4.1.1.3).
fn parse_rcpt(args: &str) -> Result<CommandRef<'_>, CommandError> {
    let verb = Verb::Rcpt;
    let after_to = strip_keyword(args, "TO:")
        .ok_or_else(|| CommandError::syntax(verb, "write TO: right after RCPT"))?;
    let (to, params) = match split_plain_path(after_to) {
        Some((mailbox, params)) => (ForwardPathRef::Mailbox(mailbox), params),
        None => {
            let (path, params) = split_path(verb, after_to)?;
            let to = if path.eq_ignore_ascii_case("Postmaster") {
                ForwardPathRef::Postmaster
            } else if path.is_empty() {
                return Err(CommandError::bad_address(
                    verb,
                    "an empty path <> names nobody",
                ));
            } else {
                ForwardPathRef::Mailbox(parse_path(verb, path)?)
            };
            (to, params)
        }
    };
    for param in words(params) {
        checked_parameter(verb, param)?;
    }
    Ok(CommandRef::Rcpt {
        to,
        params: Parameters::new(params, false),
    })
}

/// `AUTH mechanism [SP initial-response]` (RFC 4954 §4).
fn parse_auth(args: &str) -> Result<CommandRef<'_>, CommandError> {
    let verb = Verb::Auth;
    let mut words = words(args);
    let Some(mechanism) = words.next() else {
        return Err(CommandError::syntax(
            verb,
            "name a mechanism, e.g. AUTH PLAIN",
        ));
    };
    let initial_response = words.next();
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
    Ok(CommandRef::Auth {
        mechanism,
        initial_response,
    })
}

/// Strips `FROM:` / `TO:` (any case) and the spaces some clients put after the colon.
fn strip_keyword<'a>(args: &'a str, keyword: &str) -> Option<&'a str> {
    let head = args.as_bytes().get(..keyword.len())?;
    // The keyword is ASCII, so a match ends on a character boundary.
    head.eq_ignore_ascii_case(keyword.as_bytes())
        .then(|| args[keyword.len()..].trim_start_matches(' '))
}

/// The usual `<local@domain> params` in one pass: a dot-string local part, one `@`, a domain
/// name, `>`, then nothing or a space. Anything else (quotes, address literals, source routes,
/// `<>`, `<Postmaster>`, mistakes) gives `None` and takes the general route
/// ([`split_path`], [`parse_path`]), which accepts exactly the same paths.
fn split_plain_path(text: &str) -> Option<(MailboxRef<'_>, &str)> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'<') {
        return None;
    }
    let local_start = 1;
    let at = local_start + dot_string_len(&bytes[local_start..])?;
    if bytes.get(at) != Some(&b'@') {
        return None;
    }
    let domain_start = at + 1;
    let close = domain_start + domain_len(&bytes[domain_start..], false)?;
    let fits = at - local_start <= MAX_LOCAL_PART
        && close - domain_start <= MAX_DOMAIN
        && close - local_start + 2 <= MAX_PATH;
    if !fits || bytes.get(close) != Some(&b'>') {
        return None;
    }
    let params = &text[close + 1..];
    if !(params.is_empty() || params.starts_with(' ')) {
        return None;
    }
    let local = &text[local_start..at];
    let domain = &text[domain_start..close];
    Some((MailboxRef { local, domain }, params))
}

/// Splits `<path> params` into the text inside the angle brackets and the parameters.
fn split_path(verb: Verb, text: &str) -> Result<(&str, &str), CommandError> {
    let Some(inside) = text.strip_prefix('<') else {
        return Err(CommandError::syntax(
            verb,
            "put the address in angle brackets, e.g. <ani@alpha.example>",
        ));
    };
    let Some(close) = closing_bracket(inside.as_bytes()) else {
        return Err(CommandError::syntax(
            verb,
            "the address needs its closing >",
        ));
    };
    let (path, rest) = inside.split_at(close);
    if path.len() + 2 > MAX_PATH {
        return Err(CommandError::new(
            verb,
            CommandErrorKind::BadAddress,
            Detail::PathTooLong,
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
fn closing_bracket(inside: &[u8]) -> Option<usize> {
    // Almost every path has no quotes: then the first `>` closes it.
    let first = inside.iter().position(|&b| b == b'>' || b == b'"')?;
    if inside[first] == b'>' {
        return Some(first);
    }
    let mut in_quotes = false;
    let mut escaped = false;
    for (index, &byte) in inside.iter().enumerate().skip(first) {
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

/// A non-empty path between `<` and `>`: `[source-route:]local@domain`.
fn parse_path(verb: Verb, path: &str) -> Result<MailboxRef<'_>, CommandError> {
    // RFC 5321 Appendix C: accept a source route and ignore it.
    let mailbox = if path.starts_with('@') {
        let colon = path
            .find(':')
            .ok_or_else(|| CommandError::bad_address(verb, "a source route ends with ':'"))?;
        &path[colon + 1..]
    } else {
        path
    };
    parse_mailbox(verb, mailbox)
}

/// `Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2).
pub(crate) fn parse_mailbox(verb: Verb, text: &str) -> Result<MailboxRef<'_>, CommandError> {
    if let Some(at) = text.bytes().rposition(|b| b == b'@') {
        let (local, domain) = (&text[..at], &text[at + 1..]);
        // Neither check accepts a non-ASCII octet, so a mailbox that passes needs no other.
        let valid = local.len() <= MAX_LOCAL_PART
            && is_local_part(local.as_bytes())
            && is_mailbox_domain(domain);
        if valid {
            return Ok(MailboxRef { local, domain });
        }
    }
    Err(mailbox_error(verb, text))
}

/// `Domain / address-literal` after the `@` of a mailbox.
fn is_mailbox_domain(domain: &str) -> bool {
    if domain.starts_with('[') {
        domain.len() <= MAX_DOMAIN && is_address_literal(domain)
    } else {
        is_domain(domain.as_bytes(), false)
    }
}

/// Why `text` is not a mailbox, checking in the order a learner fixes things.
#[cold]
fn mailbox_error(verb: Verb, text: &str) -> CommandError {
    if !text.is_ascii() {
        return CommandError::bad_address(
            verb,
            "non-ASCII addresses need SMTPUTF8, which this server does not offer",
        );
    }
    let Some(at) = text.rfind('@') else {
        return CommandError::quoting(
            verb,
            CommandErrorKind::BadAddress,
            text,
            " has no @domain: write local-part@domain",
        );
    };
    let (local, domain) = (&text[..at], &text[at + 1..]);
    let kind = CommandErrorKind::BadAddress;
    if local.is_empty() {
        return CommandError::bad_address(verb, "the part before @ is empty");
    }
    if local.len() > MAX_LOCAL_PART {
        return CommandError::new(verb, kind, Detail::LocalPartTooLong);
    }
    if domain.len() > MAX_DOMAIN {
        return CommandError::new(verb, kind, Detail::DomainTooLong);
    }
    if !is_local_part(local.as_bytes()) {
        return CommandError::quoting(verb, kind, local, " is not a valid local part");
    }
    // Everything else passed, so the domain is what fails.
    CommandError::quoting(verb, kind, domain, " is not a valid domain")
}

/// `esmtp-keyword ["=" esmtp-value]`, or a 501 5.5.4 that shows the parameter.
fn checked_parameter(verb: Verb, param: &str) -> Result<(&str, Option<&str>), CommandError> {
    split_parameter(param).ok_or_else(|| {
        CommandError::quoting(
            verb,
            CommandErrorKind::BadParameter,
            param,
            " is not a parameter: write KEYWORD or KEYWORD=value",
        )
    })
}

/// `SIZE=<octets>` (RFC 1870 §6): up to 20 digits that fit in 64 bits.
fn parse_size(value: Option<&str>) -> Result<u64, CommandError> {
    value
        .filter(|v| !v.is_empty() && v.len() <= 20)
        .and_then(|v| {
            v.bytes().try_fold(0u64, |total, byte| {
                let digit = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
                total.checked_mul(10)?.checked_add(u64::from(digit))
            })
        })
        .ok_or_else(|| {
            CommandError::bad_parameter(Verb::Mail, "SIZE needs a number of octets, e.g. SIZE=2048")
        })
}
