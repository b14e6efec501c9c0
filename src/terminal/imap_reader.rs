//! IMAP server output as the learner's terminal reads it (RFC 9051 §2.2.2, §7): one response
//! is a line ended by CRLF — unless the line ends in a literal's announcement `{n}`: then `n`
//! octets follow as they are (a FETCH BODY[] carries the whole message this way), and after
//! them the response goes on to the next CRLF. A response starts with `*` (data or news),
//! `+` (the server waits for more) or the tag of the command it completes.

use crate::proto::imap::reader::literal_announcement;

/// What kind of response a line is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImapKind {
    /// `* …`: data, news or the greeting.
    Untagged,
    /// `+ …`: a continuation request.
    Continuation,
    /// `tag OK|NO|BAD …`: the completion of the command with that tag.
    Tagged { tag: String },
}

/// One response as sent, literals included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImapResponse {
    /// The response's text: its lines joined by "\n", literal data in place.
    pub text: String,
    /// The sizes of the literals it carried, in order.
    pub literals: Vec<usize>,
    /// The command this response answers or belongs to (`FETCH`); `None` for the greeting.
    pub answered: Option<String>,
}

impl ImapResponse {
    /// The first line, where the tag and the status are.
    pub fn first_line(&self) -> &str {
        self.text.split('\n').next().unwrap_or_default()
    }

    pub fn kind(&self) -> ImapKind {
        match self.first_line().split(' ').next().unwrap_or_default() {
            "*" => ImapKind::Untagged,
            "+" => ImapKind::Continuation,
            tag => ImapKind::Tagged {
                tag: tag.to_string(),
            },
        }
    }

    /// The status word after the tag or `*`, upper case (`OK`, `NO`, `BAD`, `BYE`), or the
    /// data's name (`3` of `* 3 EXISTS` is not a status: `None`).
    pub fn status(&self) -> Option<String> {
        let word = self.first_line().split(' ').nth(1)?.to_ascii_uppercase();
        matches!(word.as_str(), "OK" | "NO" | "BAD" | "BYE" | "PREAUTH").then_some(word)
    }

    /// True for a refusal: `NO` or `BAD`, tagged or not.
    pub fn is_refusal(&self) -> bool {
        matches!(self.status().as_deref(), Some("NO" | "BAD"))
    }
}

/// Splits what an IMAP server sent into responses.
#[derive(Debug, Default)]
pub struct ImapReader {
    buffer: Vec<u8>,
}

impl ImapReader {
    /// Bytes that arrived from the server.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete response (its literals all arrived), with `answered` still unset.
    pub fn next_response(&mut self) -> Option<ImapResponse> {
        let (length, literals) = complete_response(&self.buffer)?;
        let bytes: Vec<u8> = self.buffer.drain(..length).collect();
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
        Some(ImapResponse {
            text,
            literals,
            answered: None,
        })
    }
}

/// The length of the first complete response in `buffer` and the sizes of its literals.
fn complete_response(buffer: &[u8]) -> Option<(usize, Vec<usize>)> {
    let mut at = 0;
    let mut literals = Vec::new();
    loop {
        let end = at + buffer.get(at..)?.iter().position(|&b| b == b'\n')?;
        let line = &buffer[at..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match literal_announcement(line) {
            Some((size, _)) => {
                at = (end + 1).checked_add(size)?;
                if at > buffer.len() {
                    return None;
                }
                literals.push(size);
            }
            None => return Some((end + 1, literals)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(reader: &mut ImapReader) -> Vec<ImapResponse> {
        std::iter::from_fn(|| reader.next_response()).collect()
    }

    #[test]
    fn untagged_continuation_and_tagged_lines_are_told_apart() {
        let mut reader = ImapReader::default();
        reader.push(
            b"* OK ready\r\n+ idling\r\na1 NO [AUTHENTICATIONFAILED] wrong\r\n* 3 EXISTS\r\n",
        );
        let got = all(&mut reader);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].kind(), ImapKind::Untagged);
        assert_eq!(got[0].status().as_deref(), Some("OK"));
        assert_eq!(got[1].kind(), ImapKind::Continuation);
        assert_eq!(got[2].kind(), ImapKind::Tagged { tag: "a1".into() });
        assert!(got[2].is_refusal());
        assert_eq!(got[3].status(), None);
    }

    #[test]
    fn a_literal_is_taken_whole_even_with_crlf_inside_and_split_anywhere() {
        let wire =
            b"* 1 FETCH (BODY[] {13}\r\nHi\r\n\r\nthere\r\n FLAGS (\\Seen))\r\na3 OK done\r\n";
        let mut reader = ImapReader::default();
        let mut got = Vec::new();
        for byte in wire {
            reader.push(&[*byte]);
            got.extend(all(&mut reader));
        }
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].literals, [13]);
        assert_eq!(
            got[0].text,
            "* 1 FETCH (BODY[] {13}\nHi\n\nthere\n FLAGS (\\Seen))"
        );
        assert_eq!(got[1].first_line(), "a3 OK done");
    }

    #[test]
    fn an_absurd_literal_waits_without_overflowing() {
        let mut reader = ImapReader::default();
        reader.push(b"* 1 FETCH (BODY[] {9999999999999999999}\r\nx\r\n");
        assert_eq!(reader.next_response(), None);
    }
}
