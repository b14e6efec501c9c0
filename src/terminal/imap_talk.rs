//! The learner's side of an IMAP conversation (RFC 9051): every command starts with a tag she
//! chooses, and its completion comes back under the same tag, after any number of untagged
//! `*` lines. The terminal matches completions to commands by tag, notices a command typed
//! without one, follows literals she announces (`{n}`: the next line is data) and IDLE
//! (RFC 2177: after `+` the server speaks unasked until she sends DONE).

use super::console::{Entry, LineKind};
use super::imap_reader::{ImapKind, ImapReader};
use super::notice::Notice;
use crate::proto::imap::command::parse;
use crate::proto::imap::reader::literal_announcement;

/// The command names the server knows, as completion offers them and as the terminal
/// recognises a command typed where its tag should be.
pub const COMMAND_NAMES: [&str; 25] = [
    "CAPABILITY",
    "NOOP",
    "LOGOUT",
    "LOGIN",
    "AUTHENTICATE",
    "SELECT",
    "EXAMINE",
    "CREATE",
    "DELETE",
    "RENAME",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "LIST",
    "STATUS",
    "APPEND",
    "CLOSE",
    "UNSELECT",
    "EXPUNGE",
    "SEARCH",
    "FETCH",
    "STORE",
    "COPY",
    "MOVE",
    "UID",
    "IDLE",
];

/// Whether `word` names an IMAP command (in any case).
pub fn is_command_name(word: &str) -> bool {
    COMMAND_NAMES
        .iter()
        .any(|name| name.eq_ignore_ascii_case(word))
}

/// A command sent and not yet completed.
#[derive(Debug)]
struct Pending {
    /// Its tag, as the server reads it; `None` when the line had none it could read.
    tag: Option<String>,
    /// Its name, upper case (`FETCH` also for `UID FETCH`).
    name: String,
    /// A command typed where the tag belongs: what to say once the server answered it.
    tag_missing: Option<Notice>,
}

/// One IMAP conversation as the terminal follows it.
#[derive(Debug, Default)]
pub struct ImapTalk {
    reader: ImapReader,
    pending: Vec<Pending>,
    greeted: bool,
    /// The tag of the IDLE under way, once the server said `+`.
    idling: Option<String>,
    /// The last line announced a literal: the next line is its data.
    literal_next: bool,
    /// Commands sent, for the next tag completion offers.
    commands_sent: u32,
    /// Whether a literal from the server was explained already on this connection.
    literal_told: bool,
}

impl ImapTalk {
    pub fn is_idling(&self) -> bool {
        self.idling.is_some()
    }

    /// The tag completion puts before a command: `a1`, `a2`, …
    pub fn next_tag(&self) -> String {
        format!("a{}", self.commands_sent + 1)
    }

    pub fn line_kind(&self) -> LineKind {
        if self.literal_next {
            LineKind::MessageLine
        } else {
            LineKind::Command
        }
    }

    /// The learner sends `line`; returns what her machine says about it before it goes (a
    /// word on a missing tag comes after the server's answer, which it explains).
    pub fn sent(&mut self, line: &str) -> Vec<Entry> {
        let announces_literal = literal_announcement(line.as_bytes()).is_some();
        if self.idling.is_some() {
            return Vec::new();
        }
        if std::mem::replace(&mut self.literal_next, announces_literal) {
            return Vec::new();
        }
        let example = format!("{} {}", self.next_tag(), line.trim());
        self.commands_sent += 1;
        let mut tag_missing = None;
        let tag = match parse(line.as_bytes()) {
            Ok(command) => Some(command.tag),
            Err(error) => {
                if let Some(tag) = error.tag.as_deref().filter(|tag| is_command_name(tag)) {
                    tag_missing = Some(Notice::ImapTagMissing {
                        command: tag.to_ascii_uppercase(),
                        example: example.chars().take(80).collect(),
                    });
                }
                error.tag
            }
        };
        self.pending.push(Pending {
            tag,
            name: command_name(line),
            tag_missing,
        });
        Vec::new()
    }

    /// Bytes from the server: the responses complete so far.
    pub fn received(&mut self, bytes: &[u8]) -> Vec<Entry> {
        self.reader.push(bytes);
        let mut entries = Vec::new();
        while let Some(mut response) = self.reader.next_response() {
            let mut idle_began = false;
            let mut after = None;
            response.answered = match response.kind() {
                ImapKind::Continuation => {
                    let last = self.pending.last();
                    if last.is_some_and(|p| p.name == "IDLE") {
                        self.idling = last.and_then(|p| p.tag.clone());
                        idle_began = true;
                    }
                    last.map(|p| p.name.clone())
                }
                ImapKind::Untagged if !std::mem::replace(&mut self.greeted, true) => None,
                ImapKind::Untagged => {
                    let untagged_answer = (response.status().as_deref() == Some("BAD"))
                        .then(|| self.pending.iter().position(|p| p.tag.is_none()))
                        .flatten();
                    match untagged_answer {
                        Some(index) => {
                            let pending = self.pending.remove(index);
                            after = pending.tag_missing;
                            Some(pending.name)
                        }
                        None => self.pending.first().map(|p| p.name.clone()),
                    }
                }
                ImapKind::Tagged { tag } => {
                    if self.idling.as_deref() == Some(tag.as_str()) {
                        self.idling = None;
                    }
                    let index = self
                        .pending
                        .iter()
                        .position(|p| p.tag.as_deref() == Some(tag.as_str()));
                    index.map(|index| {
                        let pending = self.pending.remove(index);
                        after = pending.tag_missing;
                        pending.name
                    })
                }
            };
            let literal = response.literals.first().copied();
            entries.push(Entry::Imap(response));
            entries.extend(after.map(Entry::Notice));
            if idle_began {
                entries.push(Entry::Notice(Notice::Idling));
            }
            if let Some(size) = literal.filter(|_| !self.literal_told) {
                self.literal_told = true;
                entries.push(Entry::Notice(Notice::ImapLiteral { size }));
            }
        }
        entries
    }
}

/// The command's name: the word after the tag, upper case (after `UID`, the word after it);
/// cut short, so garbage does not become a long label.
fn command_name(line: &str) -> String {
    let mut words = line.split(' ').skip(1);
    let mut name = words.next().unwrap_or_default().to_ascii_uppercase();
    if name == "UID" {
        name = words.next().unwrap_or_default().to_ascii_uppercase();
    }
    name.chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(entries: &[Entry]) -> Vec<Option<String>> {
        entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Imap(response) => Some(response.answered.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn completions_are_matched_to_their_commands_by_tag() {
        let mut talk = ImapTalk::default();
        assert!(answered(&talk.received(b"* OK ready\r\n"))[0].is_none());
        assert!(talk.sent("a1 LOGIN budi budi123").is_empty());
        talk.sent("a2 UID FETCH 1 FLAGS");
        let got = talk.received(b"* 1 FETCH (FLAGS () UID 1)\r\na2 OK done\r\na1 OK in\r\n");
        assert_eq!(
            answered(&got),
            [
                Some("LOGIN".into()),
                Some("FETCH".into()),
                Some("LOGIN".into())
            ]
        );
        assert_eq!(talk.next_tag(), "a3");
    }

    #[test]
    fn a_command_typed_without_a_tag_gets_a_kind_word() {
        let mut talk = ImapTalk::default();
        talk.received(b"* OK ready\r\n");
        assert!(talk.sent("LOGIN budi budi123").is_empty());
        talk.sent("hello there");
        let got =
            talk.received(b"LOGIN BAD unknown command BUDI\r\nhello BAD unknown command THERE\r\n");
        assert_eq!(got.len(), 3, "a word after the first answer only: {got:?}");
        assert_eq!(
            got[1],
            Entry::Notice(Notice::ImapTagMissing {
                command: "LOGIN".into(),
                example: "a1 LOGIN budi budi123".into()
            })
        );
    }

    #[test]
    fn an_untagged_bad_answers_a_line_without_a_readable_tag() {
        let mut talk = ImapTalk::default();
        talk.received(b"* OK ready\r\n");
        talk.sent("a1 NOOP");
        talk.sent("(x");
        let got = talk.received(b"a1 OK NOOP completed\r\n* BAD tag expected\r\n");
        assert_eq!(answered(&got), [Some("NOOP".into()), Some("".into())]);
        assert!(talk.pending.is_empty());
    }

    #[test]
    fn idle_lasts_from_its_continuation_to_its_completion() {
        let mut talk = ImapTalk::default();
        talk.received(b"* OK ready\r\n");
        talk.sent("a5 IDLE");
        let got = talk.received(b"+ idling\r\n");
        assert!(talk.is_idling());
        assert!(got.contains(&Entry::Notice(Notice::Idling)));
        talk.received(b"* 2 EXISTS\r\n");
        assert!(talk.sent("DONE").is_empty());
        talk.received(b"a5 OK IDLE terminated\r\n");
        assert!(!talk.is_idling());
    }

    #[test]
    fn a_literal_the_learner_announces_makes_the_next_line_data() {
        let mut talk = ImapTalk::default();
        talk.received(b"* OK ready\r\n");
        talk.sent("a1 LOGIN {4}");
        assert_eq!(talk.line_kind(), LineKind::MessageLine);
        talk.sent("budi budi123");
        assert_eq!(talk.line_kind(), LineKind::Command);
        assert_eq!(talk.pending.len(), 1);
    }
}
