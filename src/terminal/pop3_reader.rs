//! POP3 replies as the learner's terminal reads them (RFC 1939 §3): a status line, `+OK …` or
//! `-ERR …`. After `+OK`, the answers to LIST and UIDL without an argument, RETR, TOP and CAPA
//! (RFC 2449 §5) go on with lines up to one that is only "."; a line of that body that starts
//! with "." was sent with one more dot (dot-stuffing), which the terminal takes off again.

use std::collections::VecDeque;

use crate::proto::pop3::command::{parse, Command};

/// One reply the server sent, with the body of a multi-line reply un-stuffed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pop3Reply {
    /// The status line as sent, without its line ending.
    pub status: String,
    /// The keyword of the command it answers (`RETR`); `None` for the greeting.
    pub answered: Option<String>,
    /// The lines of a multi-line reply, each as the message has it (one dot fewer where the
    /// server doubled it); `None` for a single-line reply.
    pub body: Option<Vec<String>>,
    /// How many body lines came with a doubled dot.
    pub unstuffed: usize,
}

impl Pop3Reply {
    pub fn is_ok(&self) -> bool {
        self.status.starts_with("+OK")
    }
}

/// What the terminal expects back for one line it sent.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Awaited {
    keyword: Option<String>,
    multi_line: bool,
}

/// The keyword and shape of the answer to `line`: the longer keywords of a mistyped line are
/// cut, so a long line of garbage does not become a long label.
fn awaited_for(line: &str) -> Awaited {
    let keyword = line
        .split(' ')
        .next()
        .filter(|word| !word.is_empty())
        .map(|word| {
            word.chars()
                .take(12)
                .collect::<String>()
                .to_ascii_uppercase()
        });
    let multi_line = matches!(
        parse(line),
        Ok(Command::List(None)
            | Command::Uidl(None)
            | Command::Retr(_)
            | Command::Top(..)
            | Command::Capa)
    );
    Awaited {
        keyword,
        multi_line,
    }
}

/// Splits what a POP3 server sent into replies, knowing which command each one answers.
#[derive(Debug)]
pub struct Pop3Reader {
    buffer: Vec<u8>,
    /// One entry per line sent and not yet answered, oldest first; the greeting first of all.
    awaiting: VecDeque<Awaited>,
    /// A multi-line reply whose closing "." has not arrived yet.
    open: Option<Pop3Reply>,
}

impl Default for Pop3Reader {
    fn default() -> Self {
        Self::new()
    }
}

impl Pop3Reader {
    /// A reader waiting for the greeting.
    pub fn new() -> Self {
        Pop3Reader {
            buffer: Vec::new(),
            awaiting: VecDeque::from([Awaited {
                keyword: None,
                multi_line: false,
            }]),
            open: None,
        }
    }

    /// The learner sent `line`: one more reply to wait for.
    pub fn sent(&mut self, line: &str) {
        self.awaiting.push_back(awaited_for(line));
    }

    /// Bytes that arrived from the server.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete reply, if one has arrived.
    pub fn next_reply(&mut self) -> Option<Pop3Reply> {
        loop {
            let line = self.next_line()?;
            if let Some(open) = self.open.as_mut() {
                if line == "." {
                    return self.open.take();
                }
                let body = open.body.get_or_insert_with(Vec::new);
                match line.strip_prefix('.') {
                    Some(unstuffed) => {
                        open.unstuffed += 1;
                        body.push(unstuffed.to_string());
                    }
                    None => body.push(line),
                }
                continue;
            }
            let awaited = self.awaiting.pop_front().unwrap_or(Awaited {
                keyword: None,
                multi_line: false,
            });
            let reply = Pop3Reply {
                body: None,
                unstuffed: 0,
                answered: awaited.keyword,
                status: line,
            };
            if awaited.multi_line && reply.is_ok() {
                self.open = Some(Pop3Reply {
                    body: Some(Vec::new()),
                    ..reply
                });
                continue;
            }
            return Some(reply);
        }
    }

    /// One line from the buffer, without CRLF (or a bare LF).
    fn next_line(&mut self) -> Option<String> {
        let end = self.buffer.iter().position(|&b| b == b'\n')?;
        let line: Vec<u8> = self.buffer.drain(..=end).collect();
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Some(String::from_utf8_lossy(line).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replies(reader: &mut Pop3Reader) -> Vec<Pop3Reply> {
        std::iter::from_fn(|| reader.next_reply()).collect()
    }

    #[test]
    fn the_greeting_then_one_status_line_per_command() {
        let mut reader = Pop3Reader::new();
        reader.sent("USER budi");
        reader.push(b"+OK ready <1@mx1>\r\n+OK budi: now send PASS\r\n");
        let got = replies(&mut reader);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].answered, None);
        assert_eq!(got[1].answered.as_deref(), Some("USER"));
        assert!(got[1].is_ok() && got[1].body.is_none());
    }

    #[test]
    fn a_retrieved_message_is_unstuffed_and_ends_at_the_lone_dot() {
        let mut reader = Pop3Reader::new();
        reader.push(b"+OK hi\r\n");
        reader.sent("retr 1");
        reader.push(b"+OK 30 octets\r\nSubject: x\r\n\r\n..dot\r\n");
        assert_eq!(replies(&mut reader).len(), 1, "the greeting only");
        reader.push(b"last\r\n.\r\n");
        let retr = reader.next_reply().expect("the whole message");
        assert_eq!(retr.answered.as_deref(), Some("RETR"));
        assert_eq!(
            retr.body.as_deref(),
            Some(&["Subject: x", "", ".dot", "last"].map(String::from)[..])
        );
        assert_eq!(retr.unstuffed, 1);
    }

    #[test]
    fn a_refused_multi_line_command_is_one_line_and_a_numbered_list_is_one_line_too() {
        let mut reader = Pop3Reader::new();
        reader.push(b"+OK hi\r\n");
        for line in ["RETR 1", "LIST 1", "LIST", "CAPA"] {
            reader.sent(line);
        }
        reader.push(b"-ERR log in first\r\n+OK 1 120\r\n+OK 1 message\r\n1 120\r\n.\r\n");
        reader.push(b"+OK capability list follows\r\nUSER\r\n.\r\n");
        let got = replies(&mut reader);
        assert_eq!(got.len(), 5);
        assert!(!got[1].is_ok() && got[1].body.is_none());
        assert!(got[2].body.is_none());
        assert_eq!(got[3].body.as_deref(), Some(&["1 120".to_string()][..]));
        assert_eq!(got[4].answered.as_deref(), Some("CAPA"));
    }

    #[test]
    fn garbage_is_answered_under_its_first_word_cut_short() {
        let mut reader = Pop3Reader::new();
        reader.push(b"+OK hi\r\n");
        reader.sent(&"x".repeat(300));
        reader.sent("");
        reader.push(b"-ERR line too long\r\n-ERR empty command\r\n");
        let got = replies(&mut reader);
        assert_eq!(got[1].answered.as_deref(), Some("XXXXXXXXXXXX"));
        assert_eq!(got[2].answered, None);
    }
}
