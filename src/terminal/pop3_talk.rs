//! The learner's side of a POP3 conversation (RFC 1939): every line she sends awaits one
//! reply; multi-line replies are shown un-stuffed, with a word on the dots taken off.

use super::console::Entry;
use super::notice::Notice;
use super::pop3_reader::Pop3Reader;

/// One POP3 conversation as the terminal follows it.
#[derive(Default)]
pub struct Pop3Talk {
    reader: Pop3Reader,
}

impl Pop3Talk {
    /// The learner sends `line`: one more reply to wait for.
    pub fn sent(&mut self, line: &str) {
        self.reader.sent(line);
    }

    /// Bytes from the server: the replies complete so far.
    pub fn received(&mut self, bytes: &[u8]) -> Vec<Entry> {
        self.reader.push(bytes);
        let mut entries = Vec::new();
        while let Some(reply) = self.reader.next_reply() {
            let unstuffed = reply.unstuffed;
            entries.push(Entry::Pop3(reply));
            if unstuffed > 0 {
                entries.push(Entry::Notice(Notice::DotsTakenOff { lines: unstuffed }));
            }
        }
        entries
    }
}
