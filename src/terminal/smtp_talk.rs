//! The learner's side of an SMTP conversation (RFC 5321): which command each reply answers,
//! the message text after `354` up to the lone ".", and the answer to an AUTH challenge
//! after `334`. What arrives is read as SMTP replies (§4.2) and explained by the view.

use std::collections::VecDeque;

use super::console::{Entry, LineKind};
use super::notice::Notice;
use crate::proto::smtp::{parse_command_ref, ReplyReader, Verb};

/// One SMTP conversation as the terminal follows it.
pub struct SmtpTalk {
    replies: ReplyReader,
    /// The command each awaited reply answers, oldest first (`None`: the greeting, or a line
    /// the server cannot read as a command).
    awaiting: VecDeque<Option<Verb>>,
    /// After 354, until the learner sends the lone ".".
    data_mode: bool,
    /// The last reply was 334: the next line answers an AUTH challenge.
    auth_challenge: bool,
    /// Lines of the message text typed so far, for the dot-stuffing notice.
    message_lines: usize,
}

impl Default for SmtpTalk {
    fn default() -> Self {
        SmtpTalk {
            replies: ReplyReader::new(),
            awaiting: VecDeque::from([None]),
            data_mode: false,
            auth_challenge: false,
            message_lines: 0,
        }
    }
}

impl SmtpTalk {
    /// True after 354, while message lines are being collected.
    pub fn in_data_mode(&self) -> bool {
        self.data_mode
    }

    pub fn line_kind(&self) -> LineKind {
        if self.data_mode {
            LineKind::MessageLine
        } else {
            LineKind::Command
        }
    }

    /// The learner sends `line`; returns what her machine says about it.
    pub fn sent(&mut self, line: &str) -> Vec<Entry> {
        let mut notices = Vec::new();
        if self.data_mode {
            if line == "." {
                self.data_mode = false;
                self.awaiting.push_back(Some(Verb::Data));
            } else {
                self.message_lines += 1;
                if line.starts_with('.') {
                    notices.push(Entry::Notice(Notice::DotUnstuffed {
                        line: self.message_lines,
                    }));
                }
            }
        } else if std::mem::take(&mut self.auth_challenge) {
            self.awaiting.push_back(Some(Verb::Auth));
        } else {
            let verb = match parse_command_ref(line.as_bytes()) {
                Ok(command) => Some(command.verb()),
                Err(error) => error.verb,
            };
            self.awaiting.push_back(verb);
        }
        notices
    }

    /// Bytes from the server: the replies complete so far.
    pub fn received(&mut self, bytes: &[u8]) -> Vec<Entry> {
        self.replies.push(bytes);
        let mut entries = Vec::new();
        while let Some(reply) = self.replies.next_reply() {
            match reply {
                Ok(reply) => {
                    let answered = self.awaiting.pop_front().flatten();
                    match reply.code.get() {
                        354 => {
                            self.data_mode = true;
                            self.message_lines = 0;
                        }
                        334 => self.auth_challenge = true,
                        _ => {}
                    }
                    entries.push(Entry::Reply { reply, answered });
                }
                Err(error) => {
                    entries.push(Entry::Notice(Notice::UnreadableReply { detail: error.0 }))
                }
            }
        }
        entries
    }
}
