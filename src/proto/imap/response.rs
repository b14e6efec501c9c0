//! Writing IMAP response data (RFC 9051 §7, §9): strings quoted or as literals, flag lists,
//! and a message's ENVELOPE built from its header fields.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::proto::smtp::trace::{civil_from_days, MONTHS};

/// `text` as an IMAP string: quoted when it can be, a literal `{n}` CRLF text otherwise
/// (it holds CR, LF, a NUL or non-ASCII octets).
pub fn string(text: &[u8]) -> Vec<u8> {
    let quotable = text
        .iter()
        .all(|&b| b != b'\r' && b != b'\n' && b != 0 && b.is_ascii());
    if quotable {
        let mut out = Vec::with_capacity(text.len() + 2);
        out.push(b'"');
        for &b in text {
            if b == b'"' || b == b'\\' {
                out.push(b'\\');
            }
            out.push(b);
        }
        out.push(b'"');
        out
    } else {
        literal(text)
    }
}

/// `{n}` CRLF and the octets.
pub fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{{{}}}\r\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out
}

/// `NIL` for nothing, a string otherwise.
pub fn nstring(text: Option<&str>) -> Vec<u8> {
    match text {
        Some(text) => string(text.as_bytes()),
        None => b"NIL".to_vec(),
    }
}

/// `(\Seen \Flagged)`.
pub fn flag_list(flags: &BTreeSet<String>) -> String {
    let mut out = String::from("(");
    for (i, flag) in flags.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(flag);
    }
    out.push(')');
    out
}

/// The header section of `message`, fields unfolded: (name, value).
pub fn header_fields(message: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(message);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split("\r\n") {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    fields
}

/// Where the header ends: the offset just after the blank line (or the whole message).
pub fn header_end(message: &[u8]) -> usize {
    message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(message.len(), |at| at + 4)
}

/// The ENVELOPE of RFC 9051 §7.5.2: date, subject, from, sender, reply-to, to, cc, bcc,
/// in-reply-to, message-id. Sender and reply-to default to from, as the RFC says.
pub fn envelope(message: &[u8]) -> Vec<u8> {
    let fields = header_fields(message);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let from = addresses(field("From"));
    let or_from = |name| {
        let list = addresses(field(name));
        if list == b"NIL" {
            from.clone()
        } else {
            list
        }
    };
    let mut out = b"(".to_vec();
    let parts: [Vec<u8>; 10] = [
        nstring(field("Date")),
        nstring(field("Subject")),
        from.clone(),
        or_from("Sender"),
        or_from("Reply-To"),
        addresses(field("To")),
        addresses(field("Cc")),
        addresses(field("Bcc")),
        nstring(field("In-Reply-To")),
        nstring(field("Message-ID")),
    ];
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(part);
    }
    out.push(b')');
    out
}

/// An address list as `((name NIL mailbox host) …)`, or `NIL`.
fn addresses(value: Option<&str>) -> Vec<u8> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return b"NIL".to_vec();
    };
    let mut out = b"(".to_vec();
    for one in value.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let (name, address) = match (one.rfind('<'), one.rfind('>')) {
            (Some(open), Some(close)) if open < close => {
                let name = one[..open].trim().trim_matches('"');
                ((!name.is_empty()).then_some(name), &one[open + 1..close])
            }
            _ => (None, one),
        };
        let (mailbox, host) = address.split_once('@').unwrap_or((address, ""));
        out.push(b'(');
        out.extend_from_slice(&nstring(name));
        out.extend_from_slice(b" NIL ");
        out.extend_from_slice(&string(mailbox.as_bytes()));
        out.push(b' ');
        out.extend_from_slice(&string(host.as_bytes()));
        out.push(b')');
    }
    out.push(b')');
    out
}

/// An INTERNALDATE (RFC 9051 §9, `date-time`): ` 1-Jan-2026 10:00:00 +0000`, the day
/// padded with a space; Unix seconds before 1970 count as 1970.
pub fn date_time(unix_seconds: i64) -> String {
    let seconds = unix_seconds.max(0);
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let of_day = seconds % 86_400;
    format!(
        "{day:>2}-{}-{year} {:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `* n EXISTS` and its kin, as lines.
pub fn untagged(text: &str) -> Vec<u8> {
    let mut line = String::with_capacity(text.len() + 4);
    let _ = write!(line, "* {text}\r\n");
    line.into_bytes()
}

/// Server output as a log shows it: one entry per response, without CRLF, each literal's
/// octets left out and its announced size kept (`* 1 FETCH (UID 3 BODY[] {342} …)`).
pub fn shown_lines(output: &[u8]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut rest = output;
    while !rest.is_empty() {
        let Some(end) = rest.windows(2).position(|pair| pair == b"\r\n") else {
            line.push_str(&String::from_utf8_lossy(rest));
            break;
        };
        let piece = &rest[..end];
        line.push_str(&String::from_utf8_lossy(piece));
        rest = &rest[end + 2..];
        match literal_size(piece) {
            Some(size) => {
                rest = &rest[size.min(rest.len())..];
                line.push_str(" …");
            }
            None => lines.push(std::mem::take(&mut line)),
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The size a line announces for the literal after it: `{342}` or `{342+}` at its end.
fn literal_size(line: &[u8]) -> Option<usize> {
    let open = line.strip_suffix(b"}")?;
    let start = open.iter().rposition(|&b| b == b'{')?;
    let digits = &open[start + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_lines_leave_literals_out_and_keep_their_size() {
        let output = b"* 1 FETCH (UID 3 BODY[] {8}\r\nab\r\n\r\ncd)\r\nk4 OK FETCH completed\r\n";
        assert_eq!(
            shown_lines(output),
            ["* 1 FETCH (UID 3 BODY[] {8} …)", "k4 OK FETCH completed"]
        );
        assert_eq!(shown_lines(b"* BYE"), ["* BYE"]);
        assert_eq!(
            shown_lines(b"* 1 FETCH {99}\r\nshort"),
            ["* 1 FETCH {99} …"]
        );
    }

    #[test]
    fn strings_are_quoted_or_sent_as_literals() {
        assert_eq!(string(b"Halo"), b"\"Halo\"");
        assert_eq!(string(br#"a "b" \c"#), br#""a \"b\" \\c""#);
        assert_eq!(string(b"two\r\nlines"), b"{10}\r\ntwo\r\nlines");
        assert_eq!(string("Sampai jumpa – Ani".as_bytes())[0], b'{');
        assert_eq!(nstring(None), b"NIL");
    }

    #[test]
    fn flags_are_a_parenthesized_list() {
        let flags: BTreeSet<String> = ["\\Seen".to_string(), "\\Flagged".into()].into();
        assert_eq!(flag_list(&flags), "(\\Flagged \\Seen)");
        assert_eq!(flag_list(&BTreeSet::new()), "()");
    }

    #[test]
    fn the_envelope_names_every_part_in_order() {
        let message = b"Date: Sat, 28 Nov 2026 10:00:00 +0700\r\n\
Subject: Halo Budi\r\n\
From: Ani <ani@alpha.example>\r\n\
To: budi@beta.example, \"Dewi\" <dewi@beta.example>\r\n\
Message-ID: <1@alpha.example>\r\n\r\nIsi\r\n";
        let envelope = String::from_utf8(envelope(message)).unwrap();
        assert_eq!(
            envelope,
            "(\"Sat, 28 Nov 2026 10:00:00 +0700\" \"Halo Budi\" \
((\"Ani\" NIL \"ani\" \"alpha.example\")) ((\"Ani\" NIL \"ani\" \"alpha.example\")) \
((\"Ani\" NIL \"ani\" \"alpha.example\")) \
((NIL NIL \"budi\" \"beta.example\")(\"Dewi\" NIL \"dewi\" \"beta.example\")) NIL NIL NIL \
\"<1@alpha.example>\")"
        );
    }

    #[test]
    fn internal_dates_pad_the_day_with_a_space() {
        assert_eq!(date_time(0), " 1-Jan-1970 00:00:00 +0000");
        assert_eq!(date_time(1_795_860_000), "28-Nov-2026 10:00:00 +0000");
    }

    #[test]
    fn the_header_ends_after_the_blank_line() {
        assert_eq!(header_end(b"A: b\r\n\r\nbody"), 8);
        assert_eq!(header_end(b"no blank line"), 13);
        let fields = header_fields(b"Subject: a\r\n long\r\nX: y\r\n\r\n");
        assert_eq!(fields[0], ("Subject".into(), "a long".into()));
    }
}
