//! Assembles server bytes, split anywhere, into whole replies (RFC 5321 §4.2, multi-line form
//! §4.2.1, line limit §4.5.3.1.5).
//!
//! Lenient where it costs nothing: a line may end in a bare LF. Strict where memory or sense is
//! at stake: a line over 512 octets, non-ASCII text or more than [`MAX_REPLY_LINES`] lines in one
//! reply is an error, and the reader starts afresh after it.

use crate::proto::line::{CommandLine, CommandLineReader};
use crate::proto::smtp::reply::{Reply, ReplyLines, ReplyParseError, MAX_REPLY_LINE};

/// More lines than any real EHLO reply has; bounds the memory a hostile server can take.
pub(super) const MAX_REPLY_LINES: usize = 128;

/// Turns the bytes a server sent into replies; used by the client engine and by the
/// learner's terminal.
#[derive(Clone, Debug)]
pub struct ReplyReader {
    lines: CommandLineReader,
    /// Bytes received and not yet part of a complete line.
    unread: Vec<u8>,
    reply: PartialReply,
}

/// The reply being assembled, its lines checked as they come as [`Reply::parse`] checks them.
#[derive(Clone, Debug, Default)]
struct PartialReply {
    lines: ReplyLines,
    /// Why the first line that did not read failed, reported once the reply ends.
    error: Option<ReplyParseError>,
    line_count: usize,
}

impl Default for ReplyReader {
    fn default() -> Self {
        Self::new()
    }
}

impl ReplyReader {
    pub fn new() -> Self {
        Self {
            lines: CommandLineReader::new(MAX_REPLY_LINE),
            // Room for a line of the longest length, so replies of ordinary lines never
            // make these grow.
            unread: Vec::with_capacity(MAX_REPLY_LINE),
            reply: PartialReply {
                // Room for the lines of a usual EHLO reply, so its list never grows.
                lines: ReplyLines::with_capacity(8),
                ..PartialReply::default()
            },
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.unread.extend_from_slice(bytes);
    }

    /// The next complete reply, or why the next one is unreadable; `None` until more bytes come.
    pub fn next_reply(&mut self) -> Option<Result<Reply, ReplyParseError>> {
        let mut used = 0;
        let mut found = None;
        while found.is_none() {
            let (line_used, line) = self.lines.next_line(&self.unread[used..]);
            used += line_used;
            found = match line {
                Some(CommandLine::Complete(line)) => self.reply.take_line(line),
                Some(CommandLine::TooLong) => Some(Err(self.reply.fail(format!(
                    "a reply line is longer than {MAX_REPLY_LINE} octets"
                )))),
                None => break,
            };
        }
        self.unread.drain(..used);
        found
    }
}

impl PartialReply {
    /// Adds one line; returns the reply when it was the last line.
    fn take_line(&mut self, line: &[u8]) -> Option<Result<Reply, ReplyParseError>> {
        let Ok(text) = std::str::from_utf8(line) else {
            return Some(Err(self.fail("a reply is ASCII text".into())));
        };
        self.line_count += 1;
        let is_last = line.get(3) != Some(&b'-');
        if self.error.is_none() {
            self.error = self.lines.push_line(text, is_last).err();
        }
        if !is_last {
            if self.line_count >= MAX_REPLY_LINES {
                return Some(Err(
                    self.fail(format!("a reply has more than {MAX_REPLY_LINES} lines"))
                ));
            }
            return None;
        }
        let reply = match self.error.take() {
            Some(error) => Err(error),
            None => self.lines.finish(),
        };
        self.reset();
        Some(reply)
    }

    /// Drops the reply being assembled: its reader starts afresh after `detail`.
    fn fail(&mut self, detail: String) -> ReplyParseError {
        self.reset();
        ReplyParseError(detail)
    }

    fn reset(&mut self) {
        self.lines.clear();
        self.error = None;
        self.line_count = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(reader: &mut ReplyReader) -> Vec<Result<Reply, ReplyParseError>> {
        std::iter::from_fn(|| reader.next_reply()).collect()
    }

    #[test]
    fn multiline_reply_split_at_every_offset_is_one_reply() {
        let wire = b"250-mx1.beta.example greets x\r\n250-PIPELINING\r\n250 SIZE 100\r\n";
        for split in 0..=wire.len() {
            let mut reader = ReplyReader::new();
            reader.push(&wire[..split]);
            let mut replies = read_all(&mut reader);
            reader.push(&wire[split..]);
            replies.extend(read_all(&mut reader));
            assert_eq!(replies.len(), 1, "split at {split}");
            let reply = replies.remove(0).expect("well-formed");
            assert_eq!(reply.lines.len(), 3);
        }
    }

    #[test]
    fn bare_lf_line_endings_are_tolerated() {
        let mut reader = ReplyReader::new();
        reader.push(b"250-a\n250 b\n221 bye\r\n");
        let replies = read_all(&mut reader);
        assert_eq!(replies.len(), 2);
        assert_eq!(
            replies[0].as_ref().map(|r| r.lines.clone()),
            Ok(vec!["a".to_string(), "b".to_string()])
        );
    }

    #[test]
    fn a_bad_reply_is_an_error_and_the_next_one_reads() {
        let mut reader = ReplyReader::new();
        reader.push(b"hello\r\n\xff\xfe\r\n250 ok\r\n");
        let replies = read_all(&mut reader);
        assert_eq!(replies.len(), 3);
        assert!(replies[0].is_err() && replies[1].is_err());
        assert!(replies[2].is_ok());
    }

    #[test]
    fn endless_continuation_lines_are_cut_off() {
        let mut reader = ReplyReader::new();
        reader.push("250-x\r\n".repeat(MAX_REPLY_LINES).as_bytes());
        let replies = read_all(&mut reader);
        assert_eq!(replies.len(), 1);
        assert!(replies[0].is_err());
    }

    #[test]
    fn over_long_line_is_an_error() {
        let mut reader = ReplyReader::new();
        reader.push(format!("250 {}\r\n250 ok\r\n", "a".repeat(600)).as_bytes());
        let replies = read_all(&mut reader);
        assert_eq!(replies.len(), 2);
        assert!(replies[0].is_err() && replies[1].is_ok());
    }
}
