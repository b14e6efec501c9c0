//! Where one IMAP command ends (RFC 9051 §2.2.1, §4.3). A command is a line ended by CRLF —
//! unless the line ends in a literal's announcement, `{n}` or `{n+}`: then `n` octets of
//! literal data follow, and after them the rest of the command goes on. For a synchronizing
//! literal `{n}` the server first sends a continuation request (`+ …`) so the client knows it
//! may go on; a non-synchronizing one `{n+}` (RFC 7888, LITERAL+) needs none.
//!
//! A bare LF ends a line too (a learner on telnet may send one). Limits keep memory bounded:
//! a line longer than [`MAX_LINE`] or a literal larger than [`MAX_LITERAL`] makes the reader
//! skip to the end of that command and report it.

/// The longest line of a command, CRLF included, outside literals.
pub const MAX_LINE: usize = 8 * 1024;
/// The largest literal (an APPENDed message, mostly).
pub const MAX_LITERAL: usize = 10 * 1024 * 1024;

/// What the reader found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Framed {
    /// A whole command: its lines with their CRLFs and its literals' data, as sent (a bare LF
    /// is kept as it came). The last line's line ending is removed.
    Command(Vec<u8>),
    /// A synchronizing literal was announced: send `+ …` so the client sends its data.
    ContinuationWanted,
    /// A line or literal over the limits; the command is skipped to its end. The bytes are
    /// the command's start (enough to find its tag).
    TooLong(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Reading a line; `line_start` is where it began in the command.
    Line { line_start: usize },
    /// Taking `left` more octets of literal data.
    Literal { left: usize },
    /// Over a limit: dropping bytes until the line that ends the command (no literal data is
    /// sent for an oversized literal the server refused to take).
    Skipping,
}

/// Splits a byte stream into IMAP commands.
#[derive(Clone, Debug)]
pub struct CommandReader {
    command: Vec<u8>,
    mode: Mode,
    /// The start of the command, kept for a [`Framed::TooLong`] report.
    skipped_start: Vec<u8>,
}

impl Default for CommandReader {
    fn default() -> Self {
        CommandReader {
            command: Vec::new(),
            mode: Mode::Line { line_start: 0 },
            skipped_start: Vec::new(),
        }
    }
}

impl CommandReader {
    /// Reads `input`; returns what it found, in order. Bytes after the last complete command
    /// are kept for the next call.
    pub fn read(&mut self, input: &[u8]) -> Vec<Framed> {
        let mut found = Vec::new();
        let mut rest = input;
        while !rest.is_empty() {
            match self.mode {
                Mode::Literal { left } => {
                    let take = left.min(rest.len());
                    self.command.extend_from_slice(&rest[..take]);
                    rest = &rest[take..];
                    self.mode = if take == left {
                        Mode::Line {
                            line_start: self.command.len(),
                        }
                    } else {
                        Mode::Literal { left: left - take }
                    };
                }
                Mode::Skipping => match rest.iter().position(|&b| b == b'\n') {
                    Some(lf) => {
                        rest = &rest[lf + 1..];
                        self.mode = Mode::Line { line_start: 0 };
                        found.push(Framed::TooLong(std::mem::take(&mut self.skipped_start)));
                    }
                    None => rest = &[],
                },
                Mode::Line { line_start } => match rest.iter().position(|&b| b == b'\n') {
                    Some(lf) => {
                        self.command.extend_from_slice(&rest[..=lf]);
                        rest = &rest[lf + 1..];
                        if self.command.len() - line_start > MAX_LINE {
                            self.start_skipping(false);
                            self.mode = Mode::Line { line_start: 0 };
                            found.push(Framed::TooLong(std::mem::take(&mut self.skipped_start)));
                            continue;
                        }
                        self.line_ended(line_start, &mut found);
                    }
                    None => {
                        self.command.extend_from_slice(rest);
                        rest = &[];
                        if self.command.len() - line_start > MAX_LINE {
                            self.start_skipping(true);
                        }
                    }
                },
            }
        }
        found
    }

    /// A line (from `line_start`, LF included) is complete: a literal follows, or the
    /// command is done.
    fn line_ended(&mut self, line_start: usize, found: &mut Vec<Framed>) {
        let line = &self.command[line_start..];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match literal_announcement(line) {
            Some((size, _)) if size > MAX_LITERAL => {
                // The client waits for a continuation that never comes (synchronizing) or
                // sends data we drop up to the next line end (non-synchronizing).
                self.start_skipping(false);
                self.mode = Mode::Line { line_start: 0 };
                found.push(Framed::TooLong(std::mem::take(&mut self.skipped_start)));
            }
            Some((size, synchronizing)) => {
                if synchronizing {
                    found.push(Framed::ContinuationWanted);
                }
                self.mode = if size == 0 {
                    Mode::Line {
                        line_start: self.command.len(),
                    }
                } else {
                    Mode::Literal { left: size }
                };
            }
            None => {
                let mut command = std::mem::take(&mut self.command);
                let end = command.len() - (self.command_line_ending(&command));
                command.truncate(end);
                self.mode = Mode::Line { line_start: 0 };
                found.push(Framed::Command(command));
            }
        }
    }

    fn command_line_ending(&self, command: &[u8]) -> usize {
        if command.ends_with(b"\r\n") {
            2
        } else {
            usize::from(command.ends_with(b"\n"))
        }
    }

    fn start_skipping(&mut self, until_line_end: bool) {
        let keep = self.command.len().min(64);
        self.skipped_start = self.command[..keep].to_vec();
        self.command.clear();
        if until_line_end {
            self.mode = Mode::Skipping;
        }
    }
}

/// `{n}` or `{n+}` at the end of a line: the size and whether it is synchronizing.
pub fn literal_announcement(line: &[u8]) -> Option<(usize, bool)> {
    let inner = line.strip_suffix(b"}")?;
    let open = inner.iter().rposition(|&b| b == b'{')?;
    let (digits, synchronizing) = match inner[open + 1..].strip_suffix(b"+") {
        Some(digits) => (digits, false),
        None => (&inner[open + 1..], true),
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let size = std::str::from_utf8(digits).ok()?.parse::<u64>().ok()?;
    Some((usize::try_from(size).unwrap_or(usize::MAX), synchronizing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(reader: &mut CommandReader, input: &[u8]) -> Vec<Framed> {
        reader.read(input)
    }

    #[test]
    fn a_line_is_a_command() {
        let mut reader = CommandReader::default();
        assert_eq!(
            read_all(&mut reader, b"a1 NOOP\r\na2 CAPABILITY\n"),
            [
                Framed::Command(b"a1 NOOP".to_vec()),
                Framed::Command(b"a2 CAPABILITY".to_vec())
            ]
        );
    }

    #[test]
    fn a_synchronizing_literal_asks_for_a_continuation_then_takes_its_octets() {
        let mut reader = CommandReader::default();
        assert_eq!(
            read_all(&mut reader, b"a LOGIN {4}\r\n"),
            [Framed::ContinuationWanted]
        );
        assert_eq!(read_all(&mut reader, b"bu"), []);
        assert_eq!(
            read_all(&mut reader, b"di secret\r\n"),
            [Framed::Command(b"a LOGIN {4}\r\nbudi secret".to_vec())]
        );
    }

    #[test]
    fn a_literal_may_hold_crlf_and_a_non_synchronizing_one_needs_no_continuation() {
        let mut reader = CommandReader::default();
        let input = b"a APPEND INBOX {8+}\r\nHi\r\nYo\r\n\r\nb NOOP\r\n";
        assert_eq!(
            read_all(&mut reader, input),
            [
                Framed::Command(b"a APPEND INBOX {8+}\r\nHi\r\nYo\r\n".to_vec()),
                Framed::Command(b"b NOOP".to_vec())
            ]
        );
    }

    #[test]
    fn input_split_anywhere_frames_the_same() {
        let input = b"a LOGIN {4}\r\nbudi {7}\r\nbudi123\r\nb SELECT INBOX\r\n";
        let mut whole = CommandReader::default();
        let expected = whole.read(input);
        let mut split = CommandReader::default();
        let mut got = Vec::new();
        for byte in input {
            got.extend(split.read(&[*byte]));
        }
        assert_eq!(got, expected);
        // Two continuation requests (one per synchronizing literal), two commands.
        assert_eq!(expected.len(), 4);
    }

    #[test]
    fn an_over_long_line_is_reported_and_the_next_command_is_read() {
        let mut reader = CommandReader::default();
        let mut input = b"a1 SELECT ".to_vec();
        input.extend(vec![b'x'; MAX_LINE + 10]);
        input.extend(b"\r\na2 NOOP\r\n");
        let found = reader.read(&input);
        assert!(matches!(&found[0], Framed::TooLong(start) if start.starts_with(b"a1 SELECT")));
        assert_eq!(found[1], Framed::Command(b"a2 NOOP".to_vec()));
    }

    #[test]
    fn a_huge_literal_is_refused_without_waiting_for_its_data() {
        let mut reader = CommandReader::default();
        let found = reader.read(b"a APPEND INBOX {99999999999}\r\nb NOOP\r\n");
        assert!(matches!(&found[0], Framed::TooLong(start) if start.starts_with(b"a APPEND")));
        assert_eq!(found[1], Framed::Command(b"b NOOP".to_vec()));
    }

    #[test]
    fn literal_announcements_are_read_only_at_the_end_of_a_line() {
        assert_eq!(literal_announcement(b"a LOGIN {12}"), Some((12, true)));
        assert_eq!(literal_announcement(b"a APPEND x {3+}"), Some((3, false)));
        assert_eq!(literal_announcement(b"a NOOP"), None);
        assert_eq!(literal_announcement(b"a X {}"), None);
        assert_eq!(literal_announcement(b"a X {1a}"), None);
        assert_eq!(literal_announcement(b"a X {4} y"), None);
    }
}
