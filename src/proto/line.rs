//! Line framing shared by the text protocols: command lines ended by CRLF, and the message
//! data of SMTP's DATA command (RFC 5321 §2.3.8 lines, §4.5.2 dot-stuffing, §4.1.1.4 end of
//! data, §4.5.3.1 line limits).
//!
//! Command mode is lenient: a bare LF also ends a line (a learner on telnet may send one), and
//! a trailing CR before it is dropped. Data mode is strict, because of SMTP smuggling
//! (CVE-2023-51764): only CRLF `.` CRLF ends the data. A bare CR or bare LF anywhere in the data
//! is remembered and never ends anything, so the server can refuse the message at the real end.
//!
//! The sending side, [`encode_message_data`], is strict in what it writes: every line ends in
//! CRLF (a bare CR or LF in the message becomes CRLF, so no receiver can mistake it for an end),
//! one dot is added before every line that starts with `.`, and CRLF `.` CRLF closes the data.

/// What [`CommandLineReader::next_line`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandLine<'a> {
    /// A whole line, without its line ending.
    Complete(&'a [u8]),
    /// A line longer than the limit ended; its bytes were thrown away.
    TooLong,
}

/// Splits a byte stream into command lines of at most `max_line` octets (line ending included).
#[derive(Clone, Debug)]
pub struct CommandLineReader {
    max_line: usize,
    /// Inside an over-long line: drop bytes until its LF.
    discarding: bool,
}

impl CommandLineReader {
    pub fn new(max_line: usize) -> Self {
        Self {
            max_line,
            discarding: false,
        }
    }

    /// Looks for the next line at the start of `input`. Returns how many bytes were used and
    /// the line, if one ended; unused bytes must be offered again with more input appended.
    pub fn next_line<'a>(&mut self, input: &'a [u8]) -> (usize, Option<CommandLine<'a>>) {
        match input.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                let used = lf + 1;
                if std::mem::take(&mut self.discarding) {
                    return (used, Some(CommandLine::TooLong));
                }
                let line = &input[..lf];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                // Counted as if it ended in CRLF, whatever it really ended in.
                if line.len() + 2 > self.max_line {
                    (used, Some(CommandLine::TooLong))
                } else {
                    (used, Some(CommandLine::Complete(line)))
                }
            }
            // Past the limit without an LF: drop what we have so memory stays bounded.
            None if self.discarding || input.len() >= self.max_line => {
                self.discarding = true;
                (input.len(), None)
            }
            None => (0, None),
        }
    }
}

/// Where the data reader is within the current line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DataPosition {
    /// After CRLF (or right after the 354): a `.` here is special.
    LineStart,
    /// The line began with `.`, not yet passed on.
    LeadingDot,
    /// The line is `.` CR so far: an LF now ends the data.
    LeadingDotCr,
    InLine,
    /// A CR inside a line, waiting to see whether an LF follows.
    InLineCr,
    /// CRLF `.` CRLF was read.
    Finished,
}

/// The message as the data reader collected it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedData {
    /// Dot-unstuffed data, CRLF line endings, without the final `.` line. Empty when too big.
    pub content: Vec<u8>,
    /// Octets of `content` as received, even past the limit.
    pub size: u64,
    pub too_big: bool,
    /// A CR or LF that was not part of a CRLF pair appeared somewhere.
    pub bare_line_ending: bool,
    /// The first line (counted from 1) longer than the line limit, if any.
    pub first_long_line: Option<usize>,
}

/// Room the collected data starts with: a short message never makes it grow.
const DATA_ROOM: usize = 1024;

/// Collects SMTP message data until CRLF `.` CRLF, removing one leading dot per line.
#[derive(Clone, Debug)]
pub struct DataReader {
    position: DataPosition,
    max_size: u64,
    max_line: usize,
    /// Number of the line being read, from 1.
    line_number: usize,
    /// Octets of the current line as sent (leading dot and CR included).
    line_octets: usize,
    content: Vec<u8>,
    size: u64,
    bare_line_ending: bool,
    first_long_line: Option<usize>,
    unstuffed_lines: Vec<usize>,
}

impl DataReader {
    /// `max_size` bounds the kept content; `max_line` is the longest line with its CRLF.
    pub fn new(max_size: u64, max_line: usize) -> Self {
        Self {
            position: DataPosition::LineStart,
            max_size,
            max_line,
            line_number: 1,
            line_octets: 0,
            content: Vec::with_capacity(DATA_ROOM),
            size: 0,
            bare_line_ending: false,
            first_long_line: None,
            unstuffed_lines: Vec::new(),
        }
    }

    /// Reads data from `input`, stopping right after the end of data. Returns the bytes used.
    pub fn feed(&mut self, input: &[u8]) -> usize {
        let mut index = 0;
        while let Some(&byte) = input.get(index) {
            let rest = &input[index..];
            index += match self.position {
                DataPosition::Finished => return index,
                DataPosition::LineStart if byte == b'.' => {
                    self.line_octets += 1;
                    self.position = DataPosition::LeadingDot;
                    1
                }
                DataPosition::LineStart | DataPosition::InLine => self.in_line(rest),
                DataPosition::LeadingDot if byte == b'\r' => {
                    self.line_octets += 1;
                    self.position = DataPosition::LeadingDotCr;
                    1
                }
                DataPosition::LeadingDot => {
                    self.unstuff();
                    self.in_line(rest)
                }
                DataPosition::LeadingDotCr if byte == b'\n' => {
                    self.position = DataPosition::Finished;
                    return index + 1;
                }
                DataPosition::LeadingDotCr => {
                    // `.` CR x: the line goes on, so its dot was stuffing and the CR was bare.
                    self.unstuff();
                    self.bare_cr();
                    self.in_line(rest)
                }
                DataPosition::InLineCr if byte == b'\n' => {
                    self.keep(b"\r\n");
                    if self.line_octets + 1 > self.max_line && self.first_long_line.is_none() {
                        self.first_long_line = Some(self.line_number);
                    }
                    self.line_number += 1;
                    self.line_octets = 0;
                    self.position = DataPosition::LineStart;
                    1
                }
                DataPosition::InLineCr => {
                    self.bare_cr();
                    self.in_line(rest)
                }
            };
        }
        input.len()
    }

    pub fn is_finished(&self) -> bool {
        self.position == DataPosition::Finished
    }

    /// Octets of message content so far (after unstuffing, CRLF counted).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Lines (from 1) whose leading dot was removed since the last call.
    pub fn take_unstuffed_lines(&mut self) -> Vec<usize> {
        std::mem::take(&mut self.unstuffed_lines)
    }

    pub fn finish(self) -> ReceivedData {
        ReceivedData {
            too_big: self.size > self.max_size,
            content: self.content,
            size: self.size,
            bare_line_ending: self.bare_line_ending,
            first_long_line: self.first_long_line,
        }
    }

    /// Reads what `rest` (not empty) starts with inside a line: a CR, a bare LF, or the run of
    /// other bytes up to the next of those, kept in one piece. Returns the bytes used.
    fn in_line(&mut self, rest: &[u8]) -> usize {
        self.position = DataPosition::InLine;
        let used = match rest[0] {
            b'\r' => {
                self.position = DataPosition::InLineCr;
                1
            }
            b'\n' => {
                self.bare_line_ending = true;
                self.keep(b"\n");
                1
            }
            _ => {
                let run = rest
                    .iter()
                    .position(|&b| b == b'\r' || b == b'\n')
                    .unwrap_or(rest.len());
                self.keep(&rest[..run]);
                run
            }
        };
        self.line_octets += used;
        used
    }

    /// A CR that turned out not to be followed by LF.
    fn bare_cr(&mut self) {
        self.bare_line_ending = true;
        self.keep(b"\r");
    }

    fn unstuff(&mut self) {
        self.unstuffed_lines.push(self.line_number);
    }

    fn keep(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        if self.size <= self.max_size {
            self.content.extend_from_slice(bytes);
        } else if !self.content.is_empty() {
            // It will be refused; do not hold megabytes for nothing.
            self.content = Vec::new();
        }
    }
}

/// A message ready to follow a `354` reply (RFC 5321 §4.1.1.4, §4.5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingData {
    /// The bytes to write: dot-stuffed lines, then `.` CRLF.
    pub wire: Vec<u8>,
    /// Octets the receiver will count after removing the stuffing (RFC 1870 SIZE counts these).
    pub size: u64,
    /// Lines (from 1) that got an extra leading dot.
    pub dot_stuffed_lines: Vec<usize>,
}

/// Dot-stuffs `content` for DATA: every line ends in CRLF (bare CR, bare LF and a missing final
/// line ending become CRLF), a line starting with `.` gets one more, and `.` CRLF ends the data.
pub fn encode_message_data(content: &[u8]) -> OutgoingData {
    let mut wire = Vec::with_capacity(content.len() + content.len() / 64 + 5);
    let mut dot_stuffed_lines = Vec::new();
    let mut line_number = 1;
    let mut at_line_start = true;
    let mut index = 0;
    while index < content.len() {
        let byte = content[index];
        index += 1;
        if at_line_start && byte == b'.' {
            wire.push(b'.');
            dot_stuffed_lines.push(line_number);
        }
        match byte {
            b'\r' | b'\n' => {
                if byte == b'\r' && content.get(index) == Some(&b'\n') {
                    index += 1;
                }
                wire.extend_from_slice(b"\r\n");
                line_number += 1;
                at_line_start = true;
            }
            _ => {
                wire.push(byte);
                at_line_start = false;
            }
        }
    }
    if !at_line_start {
        wire.extend_from_slice(b"\r\n");
    }
    let size = (wire.len() - dot_stuffed_lines.len()) as u64;
    wire.extend_from_slice(b".\r\n");
    OutgoingData {
        wire,
        size,
        dot_stuffed_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<Result<Vec<u8>, ()>> {
        let mut reader = CommandLineReader::new(16);
        let mut found = Vec::new();
        let mut rest = input;
        loop {
            let (used, line) = reader.next_line(rest);
            rest = &rest[used..];
            match line {
                Some(CommandLine::Complete(line)) => found.push(Ok(line.to_vec())),
                Some(CommandLine::TooLong) => found.push(Err(())),
                None if used == 0 || rest.is_empty() => return found,
                None => {}
            }
        }
    }

    #[test]
    fn command_lines_end_in_crlf_or_bare_lf() {
        assert_eq!(
            lines(b"NOOP\r\nQUIT\nRSET"),
            [Ok(b"NOOP".to_vec()), Ok(b"QUIT".to_vec())]
        );
    }

    #[test]
    fn command_line_at_the_limit_is_kept() {
        // 14 octets + CRLF = 16 = the limit.
        assert_eq!(
            lines(b"aaaaaaaaaaaaaa\r\n"),
            [Ok(b"aaaaaaaaaaaaaa".to_vec())]
        );
        assert_eq!(
            lines(b"aaaaaaaaaaaaaaa\r\nok\r\n"),
            [Err(()), Ok(b"ok".to_vec())]
        );
    }

    #[test]
    fn over_long_partial_line_is_dropped_until_its_lf() {
        let mut reader = CommandLineReader::new(16);
        assert_eq!(reader.next_line(b"aaaaaaaaaaaaaaaaaaaa"), (20, None));
        assert_eq!(reader.next_line(b"bbbb"), (4, None));
        assert_eq!(
            reader.next_line(b"b\r\nQUIT\r\n"),
            (3, Some(CommandLine::TooLong))
        );
        assert_eq!(
            reader.next_line(b"QUIT\r\n"),
            (6, Some(CommandLine::Complete(b"QUIT")))
        );
    }

    #[test]
    fn partial_line_waits_for_more() {
        let mut reader = CommandLineReader::new(16);
        assert_eq!(reader.next_line(b"QUI"), (0, None));
    }

    fn read_all(input: &[u8]) -> (usize, DataReader) {
        let mut reader = DataReader::new(1 << 20, 1000);
        let used = reader.feed(input);
        (used, reader)
    }

    #[test]
    fn data_ends_at_crlf_dot_crlf_only() {
        let (used, reader) = read_all(b"Subject: hi\r\n\r\nbody\r\n.\r\nMAIL FROM:<>\r\n");
        assert!(reader.is_finished());
        assert_eq!(used, 24);
        let data = reader.finish();
        assert_eq!(data.content, b"Subject: hi\r\n\r\nbody\r\n");
        assert!(!data.bare_line_ending);
    }

    #[test]
    fn data_that_is_only_the_end_marker_is_empty() {
        let (used, reader) = read_all(b".\r\n");
        assert_eq!(used, 3);
        assert_eq!(reader.finish().content, b"");
    }

    #[test]
    fn one_leading_dot_is_removed() {
        let (_, mut reader) = read_all(b"..\r\n...x\r\n.y\r\nno.dot\r\n.\r\n");
        assert_eq!(reader.take_unstuffed_lines(), [1, 2, 3]);
        assert_eq!(reader.finish().content, b".\r\n..x\r\ny\r\nno.dot\r\n");
    }

    #[test]
    fn bare_endings_never_end_data() {
        for ending in [
            &b"\n.\n"[..],
            b"\n.\r\n",
            b"\r.\r",
            b"\r\n.\n",
            b"\r\n.\r",
            b"\r.\r\n",
            b"\n.\r",
        ] {
            let mut input = b"x".to_vec();
            input.extend_from_slice(ending);
            input.extend_from_slice(b"MAIL FROM:<>\r\n");
            let (used, reader) = read_all(&input);
            assert!(!reader.is_finished(), "{ending:?}");
            assert_eq!(used, input.len());
            assert!(reader.finish().bare_line_ending, "{ending:?}");
        }
    }

    #[test]
    fn long_data_line_is_reported_by_number() {
        let mut reader = DataReader::new(1 << 20, 10);
        reader.feed(b"12345678\r\n123456789\r\nok\r\n.\r\n");
        assert_eq!(reader.finish().first_long_line, Some(2));
    }

    #[test]
    fn oversized_data_is_counted_but_not_kept() {
        let mut reader = DataReader::new(4, 1000);
        reader.feed(b"abc\r\ndef\r\n.\r\n");
        let data = reader.finish();
        assert!(data.too_big);
        assert_eq!(data.size, 10);
        assert!(data.content.is_empty());
    }

    #[test]
    fn encoding_doubles_leading_dots_and_ends_with_the_dot_line() {
        let content = b".\r\n..\r\n.x\r\nno.dot\r\n";
        let data = encode_message_data(content);
        assert_eq!(data.wire, b"..\r\n...\r\n..x\r\nno.dot\r\n.\r\n");
        assert_eq!(data.dot_stuffed_lines, [1, 2, 3]);
        // The receiver counts the content as it was before stuffing.
        assert_eq!(data.size, content.len() as u64);
    }

    #[test]
    fn encoding_ends_the_last_line_and_repairs_bare_line_endings() {
        assert_eq!(
            encode_message_data(b"a\nb\rc").wire,
            b"a\r\nb\r\nc\r\n.\r\n"
        );
        assert_eq!(encode_message_data(b"a\n.\n").wire, b"a\r\n..\r\n.\r\n");
        assert_eq!(encode_message_data(b"").wire, b".\r\n");
    }

    #[test]
    fn encoded_data_reads_back_as_the_content() {
        let content = b"Subject: dots\r\n\r\n.\r\n..\r\n.x\r\n\r\n.\r\nend\r\n";
        let data = encode_message_data(content);
        let mut reader = DataReader::new(1 << 20, 1000);
        assert_eq!(reader.feed(&data.wire), data.wire.len());
        assert!(reader.is_finished());
        let received = reader.finish();
        assert_eq!(received.content, content);
        assert_eq!(received.size, data.size);
        assert!(!received.bare_line_ending);
    }
}
