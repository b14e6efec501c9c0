//! The character classes and small validators of RFC 5321 §4.1.2 (`Dot-string`,
//! `Quoted-string`, `Domain`, `esmtp-param`) and §4.1.3 (address literals), working on bytes
//! with one table look-up per octet.

use super::MAX_DOMAIN;

/// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
const ATEXT: u8 = 1 << 0;
/// Letters and digits (`Let-dig`).
const LET_DIG: u8 = 1 << 1;
/// What a domain label may hold: `Let-dig` and `-`; `_` is handled by the caller.
const LABEL: u8 = 1 << 2;
/// `esmtp-keyword` after its first octet: `Let-dig` and `-`.
const KEYWORD: u8 = LABEL;
/// `esmtp-value`: printable ASCII but `=` (%d33-60 / %d62-126).
const VALUE: u8 = 1 << 3;
const UNDERSCORE: u8 = 1 << 4;

const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        let mut class = 0;
        if b.is_ascii_alphanumeric() {
            class |= ATEXT | LET_DIG | LABEL;
        }
        if matches!(b, b'!' | b'#'..=b'\'' | b'*' | b'+' | b'-' | b'/' | b'=' | b'?' | b'^'..=b'`' | b'{'..=b'~')
        {
            class |= ATEXT;
        }
        if b == b'-' {
            class |= LABEL;
        }
        if b == b'_' {
            class |= UNDERSCORE;
        }
        if b >= 33 && b <= 126 && b != b'=' {
            class |= VALUE;
        }
        table[byte] = class;
        byte += 1;
    }
    table
};

fn is(byte: u8, class: u8) -> bool {
    CLASSES[usize::from(byte)] & class != 0
}

/// The index of the first octet from `from` on that is in none of `classes`.
fn skip(bytes: &[u8], from: usize, classes: u8) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| !is(b, classes))
        .map_or(bytes.len(), |offset| from + offset)
}

/// `Dot-string / Quoted-string` (RFC 5321 §4.1.2).
pub(super) fn is_local_part(local: &[u8]) -> bool {
    match local {
        [b'"', inner @ .., b'"'] => is_quoted_content(inner),
        [b'"', ..] => false,
        _ => is_dot_string(local),
    }
}

/// Atoms of `atext` joined by single dots, none empty.
fn is_dot_string(text: &[u8]) -> bool {
    dot_string_len(text) == Some(text.len())
}

/// How long the `Dot-string` at the start of `bytes` is, up to the first octet that is neither
/// `atext` nor `.`; `None` when an atom there is empty.
pub(super) fn dot_string_len(bytes: &[u8]) -> Option<usize> {
    let mut atom_start = 0;
    loop {
        let end = skip(bytes, atom_start, ATEXT);
        if end == atom_start {
            return None;
        }
        match bytes.get(end) {
            Some(b'.') => atom_start = end + 1,
            _ => return Some(end),
        }
    }
}

/// The inside of a `Quoted-string`: printable ASCII, `"` and `\` only escaped.
fn is_quoted_content(inner: &[u8]) -> bool {
    let mut escaped = false;
    for &byte in inner {
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
}

/// Dot-separated labels of letters, digits and inner hyphens (RFC 5321 `Domain`), at most 63
/// octets each.
pub(super) fn is_domain(domain: &[u8], allow_underscore: bool) -> bool {
    domain.len() <= MAX_DOMAIN && domain_len(domain, allow_underscore) == Some(domain.len())
}

/// How long the domain at the start of `bytes` is, up to the first octet that can be in no
/// label and is not `.`; `None` when a label there is empty, too long or has an outer `-`.
pub(super) fn domain_len(bytes: &[u8], allow_underscore: bool) -> Option<usize> {
    let class = if allow_underscore {
        LABEL | UNDERSCORE
    } else {
        LABEL
    };
    let mut label_start = 0;
    loop {
        let end = skip(bytes, label_start, class);
        match &bytes[label_start..end] {
            [first, .., last] if *first != b'-' && *last != b'-' && end - label_start <= 63 => {}
            [single] if *single != b'-' => {}
            _ => return None,
        }
        match bytes.get(end) {
            Some(b'.') => label_start = end + 1,
            _ => return Some(end),
        }
    }
}

/// `[192.0.2.10]` or `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3).
pub(super) fn is_address_literal(text: &str) -> bool {
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

/// The words of `text` between runs of spaces (`SP` separates parameters, RFC 5321 §4.1.2).
pub(crate) fn words(mut text: &str) -> impl Iterator<Item = &str> {
    std::iter::from_fn(move || {
        let bytes = text.as_bytes();
        let start = bytes.iter().position(|&b| b != b' ')?;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |length| start + length);
        let word = &text[start..end];
        text = &text[end..];
        Some(word)
    })
}

/// `esmtp-keyword ["=" esmtp-value]` (RFC 5321 §4.1.2): the keyword and the value, if valid.
pub(super) fn split_parameter(param: &str) -> Option<(&str, Option<&str>)> {
    let (keyword, value) = match param.bytes().position(|b| b == b'=') {
        Some(equals) => (&param[..equals], Some(&param[equals + 1..])),
        None => (param, None),
    };
    let keyword_ok = match keyword.as_bytes() {
        [first, rest @ ..] => is(*first, LET_DIG) && rest.iter().all(|&b| is(b, KEYWORD)),
        [] => false,
    };
    let value_ok = value.is_none_or(|v| !v.is_empty() && v.bytes().all(|b| is(b, VALUE)));
    (keyword_ok && value_ok).then_some((keyword, value))
}
