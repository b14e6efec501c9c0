//! SMTP replies: a three-digit code, an optional enhanced status code, and one or more text
//! lines (RFC 5321 §4.2, multi-line form §4.2.1, limits §4.5.3.1.5; RFC 2034 puts the
//! enhanced status code at the start of every line).
//!
//! A `Reply` built with [`Reply::new`] or [`Reply::multiline`] is always well-formed on the
//! wire: text is reduced to printable ASCII (control characters, CR and LF inside a line become
//! `?`, RFC 5321 §4.2 `textstring`), and each line is cut so that it fits in 512 octets with
//! its CRLF. [`Reply::to_wire`] applies the same rules to a reply assembled by hand.

use std::fmt;

use super::decimal::Decimal;
use super::status::EnhancedStatus;

/// Longest reply line, CRLF included (RFC 5321 §4.5.3.1.5).
pub const MAX_REPLY_LINE: usize = 512;

/// A three-digit reply code 200..=599 (RFC 5321 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

impl ReplyCode {
    pub fn new(code: u16) -> Option<Self> {
        (200..=599).contains(&code).then_some(Self(code))
    }

    /// A code the engine itself chose; anything outside 200..=599 is a bug in the engine.
    pub(crate) const fn known(code: u16) -> Self {
        assert!(code >= 200 && code <= 599, "reply codes are 200..=599");
        Self(code)
    }

    pub fn get(self) -> u16 {
        self.0
    }

    /// First digit: 2 success, 3 intermediate, 4 transient failure, 5 permanent failure.
    pub fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// The three digits as they go on the wire.
    fn digits(self) -> [u8; 3] {
        let digit = |number: u16| b'0' + (number % 10) as u8;
        [digit(self.0 / 100), digit(self.0 / 10), digit(self.0)]
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A complete reply: code, optional enhanced status (carried on every line), text lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub code: ReplyCode,
    pub status: Option<EnhancedStatus>,
    pub lines: Vec<String>,
}

impl Reply {
    /// A one-line reply; `text` is made safe for the wire (see the module doc). Text that is
    /// safe already is kept as given, so a `String` moves in without a copy.
    pub fn new(code: ReplyCode, status: Option<EnhancedStatus>, text: impl Into<String>) -> Self {
        let text = text.into();
        let room = text_room(status);
        let line = if is_wire_safe(&text, room) {
            text
        } else {
            wire_safe_text(&text, room)
        };
        Self {
            code,
            status,
            lines: vec![line],
        }
    }

    /// A reply of several lines (`250-…` then `250 …`); each is made safe for the wire, and
    /// a `String` that is safe already moves in without a copy.
    pub fn multiline(
        code: ReplyCode,
        status: Option<EnhancedStatus>,
        lines: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let room = text_room(status);
        let mut lines: Vec<String> = lines
            .into_iter()
            .map(|line| {
                let line = line.into();
                if is_wire_safe(&line, room) {
                    line
                } else {
                    wire_safe_text(&line, room)
                }
            })
            .collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        Self {
            code,
            status,
            lines,
        }
    }

    /// The bytes on the wire: `250-…\r\n` … `250 …\r\n`.
    pub fn to_wire(&self) -> String {
        let mut wire = Vec::new();
        self.write_wire(&mut wire);
        ascii_string(wire)
    }

    /// Appends the bytes on the wire (as [`to_wire`](Self::to_wire) gives them) to `out`,
    /// without building a string first: how a server queues its output.
    pub fn write_wire(&self, out: &mut Vec<u8>) {
        self.write_lines(out, b"\r\n", b"\r\n");
    }

    /// Appends what `Display` prints (the wire lines, separated by `\n`, with no line end
    /// after the last) to `out`, without the formatting machinery: how a log keeps a reply.
    pub fn write_text(&self, out: &mut Vec<u8>) {
        self.write_lines(out, b"\n", b"");
    }

    /// Every line as on the wire, each followed by `line_end`, the last by `last_end`.
    fn write_lines(&self, out: &mut Vec<u8>, line_end: &[u8], last_end: &[u8]) {
        let mut prefix = LinePrefix::of(self.code, self.status);
        let room = text_room(self.status);
        let count = self.lines.len().max(1);
        out.reserve(self.written_len(line_end.len()));
        for index in 0..count {
            let text = self.lines.get(index).map_or("", String::as_str);
            let is_last = index + 1 == count;
            out.extend_from_slice(prefix.for_line(is_last, text.is_empty()));
            push_wire_safe(out, text, room);
            out.extend_from_slice(if is_last { last_end } else { line_end });
        }
    }

    /// How many bytes [`write_lines`](Self::write_lines) writes at most when each line ends
    /// in `line_end` bytes: a code, a separator, the status and a space, the text (made safe,
    /// never longer), the line end.
    fn written_len(&self, line_end: usize) -> usize {
        let status = if self.status.is_some() {
            STATUS_TEXT_MAX + 1
        } else {
            0
        };
        let texts: usize = self.lines.iter().map(String::len).sum();
        self.lines.len().max(1) * (4 + status + line_end) + texts
    }

    /// Parses one complete reply (all its lines, CRLF-terminated).
    pub fn parse(wire: &str) -> Result<Reply, ReplyParseError> {
        let body = wire
            .strip_suffix("\r\n")
            .ok_or_else(|| ReplyParseError("a reply ends with CRLF".into()))?;
        // Sized up front: one line more than the line ends inside, at most.
        let mut reply = ReplyLines::with_capacity(1 + body.bytes().filter(|&b| b == b'\n').count());
        let mut raw_lines = CrlfLines(Some(body)).peekable();
        while let Some(raw) = raw_lines.next() {
            reply.push_line(raw, raw_lines.peek().is_none())?;
        }
        reply.finish()
    }
}

/// A reply read one line at a time, each checked as it comes: how [`Reply::parse`] reads a
/// text and the client's reply reader reads lines from the network, without joining them
/// into one text first. The reader keeps one for all its replies, so the list of lines
/// grows once, not once per reply.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReplyLines {
    code: Option<ReplyCode>,
    /// The first line's enhanced status code, and how it is printed at the start of a line.
    status: Option<(EnhancedStatus, StatusText)>,
    lines: Vec<String>,
}

impl ReplyLines {
    /// Room for `lines` lines before the list grows.
    pub(crate) fn with_capacity(lines: usize) -> Self {
        Self {
            lines: Vec::with_capacity(lines),
            ..Self::default()
        }
    }

    /// Reads one line without its line ending; `is_last` says whether it ends the reply.
    pub(crate) fn push_line(&mut self, raw: &str, is_last: bool) -> Result<(), ReplyParseError> {
        let (line_code, text) = split_reply_line(raw, is_last)?;
        match self.code {
            None => {
                self.code = Some(line_code);
                self.status =
                    leading_status(line_code, text).map(|status| (status, StatusText::of(status)));
            }
            Some(first) if first != line_code => {
                return Err(ReplyParseError(format!(
                    "line {} has code {line_code}, the reply started with {first}",
                    self.lines.len() + 1
                )));
            }
            Some(_) => {}
        }
        let text = match &self.status {
            Some((_, printed)) => strip_status(text, printed),
            None => text,
        };
        self.lines.push(text.to_string());
        Ok(())
    }

    /// The reply of the lines read so far; the lines are taken, ready for the next reply.
    pub(crate) fn finish(&mut self) -> Result<Reply, ReplyParseError> {
        let code = self
            .code
            .take()
            .ok_or_else(|| ReplyParseError("empty reply".into()))?;
        // A list sized for exactly these lines moves into the reply as it is; otherwise the
        // reply gets one of its exact size and this one keeps its room.
        let lines = if self.lines.len() == self.lines.capacity() {
            std::mem::take(&mut self.lines)
        } else {
            self.lines.drain(..).collect()
        };
        Ok(Reply {
            code,
            status: self.status.take().map(|(status, _)| status),
            lines,
        })
    }

    /// Drops the lines read so far.
    pub(crate) fn clear(&mut self) {
        self.code = None;
        self.status = None;
        self.lines.clear();
    }
}

/// The pieces of a text between CRLFs, as `split("\r\n")` gives them, found with a byte
/// search for LF rather than a substring search.
struct CrlfLines<'a>(Option<&'a str>);

impl<'a> Iterator for CrlfLines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        let bytes = rest.as_bytes();
        let mut from = 0;
        while let Some(offset) = bytes[from..].iter().position(|&b| b == b'\n') {
            let lf = from + offset;
            if lf > 0 && bytes[lf - 1] == b'\r' {
                self.0 = Some(&rest[lf + 1..]);
                return Some(&rest[..lf - 1]);
            }
            from = lf + 1;
        }
        self.0 = None;
        Some(rest)
    }
}

impl fmt::Display for Reply {
    /// The reply as a terminal shows it: the wire lines, separated by `\n`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = Vec::new();
        self.write_text(&mut text);
        f.write_str(&ascii_string(text))
    }
}

/// Why a text is not one complete, well-formed reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyParseError(pub String);

impl fmt::Display for ReplyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed SMTP reply: {}", self.0)
    }
}

impl std::error::Error for ReplyParseError {}

/// Octets left for text on one line: 512 minus CRLF, `NNN-` and `x.y.z `.
fn text_room(status: Option<EnhancedStatus>) -> usize {
    let status_len = status.map_or(0, |s| {
        let digits = |number: u16| number.checked_ilog10().map_or(1, |log| log as usize + 1);
        digits(u16::from(s.class)) + 1 + digits(s.subject) + 1 + digits(s.detail) + 1
    });
    MAX_REPLY_LINE - 2 - 4 - status_len
}

/// The longest enhanced status code as printed: `255.65535.65535`.
const STATUS_TEXT_MAX: usize = 15;

/// An enhanced status code as it is printed (`5.1.1`), without a heap allocation: replies
/// print it on every line.
#[derive(Clone, Debug)]
struct StatusText {
    bytes: [u8; STATUS_TEXT_MAX],
    len: usize,
}

impl StatusText {
    fn of(status: EnhancedStatus) -> StatusText {
        let mut text = StatusText {
            bytes: [b'.'; STATUS_TEXT_MAX],
            len: 0,
        };
        text.push_number(u16::from(status.class));
        // The dots are in place already.
        text.len += 1;
        text.push_number(status.subject);
        text.len += 1;
        text.push_number(status.detail);
        text
    }

    /// Most parts of a status are one digit (`2.1.0`); those skip the general conversion.
    fn push_number(&mut self, number: u16) {
        if number < 10 {
            self.bytes[self.len] = b'0' + number as u8;
            self.len += 1;
        } else {
            let digits = Decimal::of(u64::from(number));
            self.bytes[self.len..self.len + digits.len()].copy_from_slice(&digits);
            self.len += digits.len();
        }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// The longest start of a line: code, separator, the longest status and a space.
const LINE_PREFIX_MAX: usize = 4 + STATUS_TEXT_MAX + 1;

/// What every line of one reply starts with (`250-2.1.0 `), put together once per reply.
struct LinePrefix {
    bytes: [u8; LINE_PREFIX_MAX],
    len: usize,
    has_status: bool,
}

impl LinePrefix {
    fn of(code: ReplyCode, status: Option<EnhancedStatus>) -> LinePrefix {
        let mut prefix = LinePrefix {
            bytes: [b' '; LINE_PREFIX_MAX],
            len: 4,
            has_status: status.is_some(),
        };
        prefix.bytes[..3].copy_from_slice(&code.digits());
        if let Some(status) = status {
            let printed = StatusText::of(status);
            let printed = printed.as_bytes();
            prefix.bytes[4..4 + printed.len()].copy_from_slice(printed);
            // The space after the status is already there.
            prefix.len += printed.len() + 1;
        }
        prefix
    }

    /// The start of one line: `-` after the code unless it is the last line, and the space
    /// after a status only when text follows.
    fn for_line(&mut self, is_last: bool, text_is_empty: bool) -> &[u8] {
        self.bytes[3] = if is_last { b' ' } else { b'-' };
        let len = if self.has_status && text_is_empty {
            self.len - 1
        } else {
            self.len
        };
        &self.bytes[..len]
    }
}

/// Bytes this module wrote, which are ASCII by construction, as a `String`.
fn ascii_string(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("replies are written in ASCII")
}

/// Appends `text` as [`wire_safe_text`] makes it; text that is already safe and fits, as
/// every engine-made reply line is, is copied as it is.
fn push_wire_safe(out: &mut Vec<u8>, text: &str, room: usize) {
    if is_wire_safe(text, room) {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.extend_from_slice(wire_safe_text(text, room).as_bytes());
    }
}

/// Whether `text` is printable ASCII that fits in `room` octets, so goes on the wire as it is.
/// Every byte is looked at (no early exit), which lets the compiler check many at once.
fn is_wire_safe(text: &str, room: usize) -> bool {
    text.len() <= room
        && text
            .bytes()
            .fold(true, |safe, b| safe & matches!(b, b' '..=b'~'))
}

/// Printable ASCII only (RFC 5321 `textstring`; tabs become spaces), at most `room` octets.
/// Text that had to be cut ends in `...` so the learner sees it was cut.
fn wire_safe_text(text: &str, room: usize) -> String {
    const ELLIPSIS: &str = "...";
    if is_wire_safe(text, room) {
        return text.to_string();
    }
    let mut safe = String::with_capacity(text.len().min(room));
    let mut chars = text.chars();
    for ch in chars.by_ref() {
        if safe.len() == room {
            safe.truncate(room - ELLIPSIS.len());
            safe.push_str(ELLIPSIS);
            return safe;
        }
        safe.push(match ch {
            ' '..='~' => ch,
            '\t' => ' ',
            _ => '?',
        });
    }
    safe
}

/// Splits `250-text` / `250 text` / `250` into the code and the text.
fn split_reply_line(raw: &str, is_last: bool) -> Result<(ReplyCode, &str), ReplyParseError> {
    let bytes = raw.as_bytes();
    if bytes.len() > MAX_REPLY_LINE - 2 {
        return Err(ReplyParseError(format!(
            "a line is longer than {MAX_REPLY_LINE} octets"
        )));
    }
    if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
        return Err(ReplyParseError(format!(
            "{raw:?} does not start with a three-digit code"
        )));
    }
    let number = bytes[..3]
        .iter()
        .fold(0, |number, digit| number * 10 + u16::from(digit - b'0'));
    let code = ReplyCode::new(number)
        .ok_or_else(|| ReplyParseError(format!("{} is not a reply code 200..599", &raw[..3])))?;
    let text = match (bytes.get(3), is_last) {
        (None, true) => "",
        (Some(b' '), true) | (Some(b'-'), false) => &raw[4..],
        (Some(b'-'), true) => {
            return Err(ReplyParseError(
                "the last line uses `-`, so the reply is not complete".into(),
            ))
        }
        _ => {
            return Err(ReplyParseError(format!(
                "{raw:?}: after the code comes `-` (more lines follow) or a space (last line)"
            )))
        }
    };
    // Every byte is looked at (no early exit), which lets the compiler check many at once.
    let has_control = if text.is_ascii() {
        text.bytes().fold(false, |found, b| {
            found | ((b < b' ') & (b != b'\t')) | (b == 0x7f)
        })
    } else {
        text.chars().any(|c| c.is_control() && c != '\t')
    };
    if has_control {
        return Err(ReplyParseError("control characters inside a line".into()));
    }
    Ok((code, text))
}

/// The enhanced status at the start of `text`, if its class matches the reply code (RFC 2034).
fn leading_status(code: ReplyCode, text: &str) -> Option<EnhancedStatus> {
    // A byte loop rather than a `char` search: the first word is short.
    let first_word_end = text.bytes().position(|b| b == b' ').unwrap_or(text.len());
    let candidate = &text[..first_word_end];
    EnhancedStatus::parse(candidate).filter(|status| status.class == code.class())
}

/// `text` without the status it starts with (`printed`) and the space after it.
fn strip_status<'a>(text: &'a str, printed: &StatusText) -> &'a str {
    let printed = printed.as_bytes();
    let rest = text
        .as_bytes()
        .starts_with(printed)
        .then(|| &text[printed.len()..]);
    match rest {
        Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_room_for_text_leaves_out_the_status_as_printed() {
        for (class, subject, detail) in [(2, 0, 0), (5, 1, 1), (4, 7, 100), (5, 65535, 65535)] {
            let status = EnhancedStatus::new(class, subject, detail);
            let printed = StatusText::of(status).as_bytes().len();
            assert_eq!(
                text_room(Some(status)),
                MAX_REPLY_LINE - 2 - 4 - printed - 1
            );
        }
        assert_eq!(text_room(None), MAX_REPLY_LINE - 2 - 4);
    }

    fn code(code: u16) -> ReplyCode {
        ReplyCode::new(code).expect("valid code")
    }

    #[test]
    fn reply_code_accepts_only_200_to_599() {
        assert_eq!(ReplyCode::new(199), None);
        assert_eq!(ReplyCode::new(600), None);
        assert_eq!(ReplyCode::new(250).map(ReplyCode::class), Some(2));
        assert_eq!(ReplyCode::new(354).map(ReplyCode::class), Some(3));
    }

    #[test]
    fn single_line_with_status_to_wire() {
        let reply = Reply::new(code(250), Some(EnhancedStatus::SENDER_OK), "Ok");
        assert_eq!(reply.to_wire(), "250 2.1.0 Ok\r\n");
    }

    #[test]
    fn multiline_uses_dash_then_space() {
        let reply = Reply::multiline(code(250), None, ["mx1 greets ani", "SIZE 100", "HELP"]);
        assert_eq!(
            reply.to_wire(),
            "250-mx1 greets ani\r\n250-SIZE 100\r\n250 HELP\r\n"
        );
    }

    #[test]
    fn status_is_carried_on_every_line() {
        let reply = Reply::multiline(code(214), Some(EnhancedStatus::OK), ["a", "b"]);
        assert_eq!(reply.to_wire(), "214-2.0.0 a\r\n214 2.0.0 b\r\n");
    }

    #[test]
    fn empty_text_has_no_trailing_garbage() {
        assert_eq!(Reply::new(code(334), None, "").to_wire(), "334 \r\n");
        assert_eq!(
            Reply::new(code(250), Some(EnhancedStatus::OK), "").to_wire(),
            "250 2.0.0\r\n"
        );
    }

    #[test]
    fn round_trip_through_parse() {
        for reply in [
            Reply::new(
                code(250),
                Some(EnhancedStatus::SENDER_OK),
                "Sender <ani@alpha.example> ok",
            ),
            Reply::multiline(
                code(250),
                None,
                [
                    "mx1.beta.example greets x",
                    "PIPELINING",
                    "AUTH PLAIN LOGIN",
                ],
            ),
            Reply::multiline(code(214), Some(EnhancedStatus::OK), ["one", "two", ""]),
            Reply::new(code(334), None, "VXNlcm5hbWU6"),
            Reply::new(code(354), None, "End data with <CR><LF>.<CR><LF>"),
            Reply::new(code(250), Some(EnhancedStatus::OK), ""),
            Reply::new(code(220), None, "mx1.beta.example ESMTP Kurir"),
        ] {
            assert_eq!(
                Reply::parse(&reply.to_wire()),
                Ok(reply.clone()),
                "{}",
                reply.to_wire()
            );
        }
    }

    #[test]
    fn parse_reads_a_status_only_when_its_class_matches() {
        let reply = Reply::parse("250 5.1.1 odd\r\n").expect("parses");
        assert_eq!(reply.status, None);
        assert_eq!(reply.lines, ["5.1.1 odd"]);
        let reply = Reply::parse("550 5.1.1 <x@beta.example>: no such user\r\n").expect("parses");
        assert_eq!(reply.status, Some(EnhancedStatus::BAD_DESTINATION_MAILBOX));
        assert_eq!(reply.lines, ["<x@beta.example>: no such user"]);
    }

    #[test]
    fn parse_rejects_broken_replies() {
        for bad in [
            "",
            "250 ok",
            "25 ok\r\n",
            "abc ok\r\n",
            "199 ok\r\n",
            "250-more\r\n",
            "250 a\r\n250 b\r\n",
            "250-a\r\n251 b\r\n",
            "250xok\r\n",
            "250 a\rb\r\n",
        ] {
            assert!(Reply::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parse_rejects_a_line_over_512_octets() {
        let wire = format!("250 {}\r\n", "a".repeat(MAX_REPLY_LINE));
        assert!(Reply::parse(&wire).is_err());
    }

    #[test]
    fn control_characters_are_neutralised() {
        let reply = Reply::new(
            code(501),
            Some(EnhancedStatus::SYNTAX_ERROR),
            "bad\r\n250 fake\0\tend",
        );
        assert_eq!(reply.to_wire(), "501 5.5.2 bad??250 fake? end\r\n");
    }

    #[test]
    fn non_ascii_text_becomes_question_marks() {
        let reply = Reply::new(code(550), None, "bü<é>");
        assert_eq!(reply.lines, ["b?<?>"]);
    }

    #[test]
    fn long_text_is_cut_to_512_octets_with_an_ellipsis() {
        let long = "é".repeat(600) + &"x".repeat(600);
        let reply = Reply::new(
            code(550),
            Some(EnhancedStatus::BAD_DESTINATION_MAILBOX),
            &long,
        );
        let wire = reply.to_wire();
        assert_eq!(wire.len(), MAX_REPLY_LINE);
        assert!(wire.ends_with("...\r\n"));
        assert_eq!(Reply::parse(&wire), Ok(reply));
    }

    #[test]
    fn to_wire_also_protects_hand_built_replies() {
        let reply = Reply {
            code: code(250),
            status: None,
            lines: vec!["a\nb".into(), "x".repeat(1000)],
        };
        let wire = reply.to_wire();
        assert!(wire
            .split("\r\n")
            .all(|line| line.len() + 2 <= MAX_REPLY_LINE));
        assert_eq!(wire.matches('\n').count(), 2);
        let empty = Reply {
            code: code(250),
            status: None,
            lines: Vec::new(),
        };
        assert_eq!(empty.to_wire(), "250 \r\n");
    }

    #[test]
    fn display_shows_lines_without_crlf() {
        let reply = Reply::multiline(code(250), None, ["a", "b"]);
        assert_eq!(reply.to_string(), "250-a\n250 b");
    }
}
