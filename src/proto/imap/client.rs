//! A mail client's IMAP session as a sans-IO state machine: the client that keeps mail on the
//! server. It logs in, opens INBOX, asks for every message's UID and flags, and compares them
//! with what it knew from last time (its [`SyncState`]): messages new since then are fetched
//! with `BODY.PEEK[]` (reading them stays the learner's choice), flags changed elsewhere are
//! taken over, messages gone are forgotten. Then it carries out what the learner did on this
//! device — mark read, flag, delete, move — so every other device sees it, and logs out.
//! If the folder's UIDVALIDITY changed, nothing it knew holds any more and it starts over.
//!
//! Feed server bytes with [`ImapClient::handle_input`], then drain [`ImapClient::poll_output`]
//! and [`ImapClient::poll_event`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::reader::{CommandReader, Framed};

/// What a device knows of INBOX between sessions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    pub uid_validity: Option<u32>,
    /// Every message it has, by UID, with its flags.
    pub messages: BTreeMap<u32, BTreeSet<String>>,
}

/// Something the learner did on this device, to be done on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    AddFlag {
        uid: u32,
        flag: String,
    },
    RemoveFlag {
        uid: u32,
        flag: String,
    },
    /// Flag `\Deleted` and expunge.
    Delete {
        uid: u32,
    },
    MoveTo {
        uid: u32,
        folder: String,
    },
}

/// What happened, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImapClientEvent {
    /// A command went out (without CRLF; LOGIN's password shown as `****`).
    Sent {
        line: String,
    },
    /// A message this device did not have yet.
    Fetched {
        uid: u32,
        flags: BTreeSet<String>,
        content: Vec<u8>,
    },
    /// Another device changed a message's flags.
    FlagsChanged {
        uid: u32,
        flags: BTreeSet<String>,
    },
    /// A message is no longer on the server.
    Gone {
        uid: u32,
    },
    Finished(SyncOutcome),
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    Synced,
    /// The server answered `command` with NO or BAD: `reply` is its line.
    Refused {
        command: String,
        reply: String,
    },
    /// The server sent something this client cannot read, or went away.
    ProtocolError {
        line: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Greeting,
    Login,
    Select,
    ListFlags,
    FetchNew,
    Act,
    Logout,
    Done,
}

/// One IMAP client session (sans-IO).
pub struct ImapClient {
    user: String,
    password: String,
    state: SyncState,
    actions: VecDeque<Action>,
    step: Step,
    tag: u32,
    /// The tag and command (as shown) waiting for its tagged answer.
    pending: (String, String),
    /// UIDVALIDITY, UIDs and flags the server reported in this session.
    seen_validity: Option<u32>,
    listed: BTreeMap<u32, BTreeSet<String>>,
    /// A message was flagged `\Deleted`: EXPUNGE before LOGOUT.
    needs_expunge: bool,
    /// The action whose command is waiting for its answer.
    acting: Option<Action>,
    /// A MOVE was refused with `[TRYCREATE]`: its folder is being made, then it goes again.
    retrying: Option<Action>,
    reader: CommandReader,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<ImapClientEvent>,
}

impl ImapClient {
    pub fn new(user: &str, password: &str, state: SyncState, actions: Vec<Action>) -> ImapClient {
        ImapClient {
            user: user.to_string(),
            password: password.to_string(),
            state,
            actions: actions.into(),
            step: Step::Greeting,
            tag: 0,
            pending: (String::new(), "greeting".into()),
            seen_validity: None,
            listed: BTreeMap::new(),
            needs_expunge: false,
            acting: None,
            retrying: None,
            reader: CommandReader::default(),
            output: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Done
    }

    /// What this device knows now: keep it for the next session.
    pub fn state(&self) -> &SyncState {
        &self.state
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<ImapClientEvent> {
        self.events.pop_front()
    }

    pub fn handle_input(&mut self, bytes: &[u8]) {
        for framed in self.reader.read(bytes) {
            if self.step == Step::Done {
                return;
            }
            match framed {
                // A response's literal needs no continuation: its data follows at once.
                Framed::ContinuationWanted => {}
                Framed::TooLong(start) => {
                    let line = String::from_utf8_lossy(&start).into_owned();
                    self.finish(SyncOutcome::ProtocolError { line });
                }
                Framed::Command(response) => self.response(&response),
            }
        }
    }

    /// The connection closed before the session ended.
    pub fn connection_closed(&mut self) {
        if self.step != Step::Done {
            let line = "connection closed before LOGOUT".to_string();
            self.finish(SyncOutcome::ProtocolError { line });
        }
    }

    fn response(&mut self, response: &[u8]) {
        if let Some(data) = response.strip_prefix(b"* ") {
            return self.untagged(data);
        }
        let text = String::from_utf8_lossy(response).into_owned();
        let (tag, command) = self.pending.clone();
        let Some(status) = text.strip_prefix(&format!("{tag} ")) else {
            return self.finish(SyncOutcome::ProtocolError { line: text });
        };
        if self.step == Step::Logout {
            return self.finish(SyncOutcome::Synced);
        }
        if !status.starts_with("OK") {
            // RFC 9051 §6.4.7: the folder a message is moved to is missing; make it, as a mail
            // client makes its Archive the first time it is used, and move again.
            if let Some(Action::MoveTo { uid, folder }) = self.acting.take() {
                if status.contains("[TRYCREATE]") {
                    let line = format!("CREATE {}", quoted(&folder));
                    self.retrying = Some(Action::MoveTo { uid, folder });
                    self.send(&line, &line);
                    return;
                }
            }
            self.finish_after_logout(SyncOutcome::Refused {
                command,
                reply: text,
            });
            return;
        }
        if let Some(action) = self.retrying.take() {
            let line = action_command(&action);
            self.send(&line, &line);
            return;
        }
        self.next();
    }

    /// `* …` lines: the greeting, EXISTS, UIDVALIDITY, FETCH data.
    fn untagged(&mut self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        if self.step == Step::Greeting {
            if text.starts_with("OK") {
                self.next();
            } else {
                self.finish(SyncOutcome::ProtocolError {
                    line: format!("* {text}"),
                });
            }
            return;
        }
        if let Some(code) = text.strip_prefix("OK [UIDVALIDITY ") {
            self.seen_validity = code.split(']').next().and_then(|n| n.trim().parse().ok());
            return;
        }
        if let Some(fetch) = fetch_response(data) {
            match self.step {
                Step::ListFlags => {
                    self.listed.insert(fetch.uid, fetch.flags);
                }
                Step::FetchNew => {
                    if let Some(content) = fetch.body {
                        self.state.messages.insert(fetch.uid, fetch.flags.clone());
                        self.events.push_back(ImapClientEvent::Fetched {
                            uid: fetch.uid,
                            flags: fetch.flags,
                            content,
                        });
                    }
                }
                _ => {}
            }
        }
    }

    /// The previous command is done: the next one.
    fn next(&mut self) {
        match self.step {
            Step::Greeting => {
                self.step = Step::Login;
                let line = format!("LOGIN {} {}", quoted(&self.user), quoted(&self.password));
                let shown = format!("LOGIN {} ****", quoted(&self.user));
                self.send(&line, &shown);
            }
            Step::Login => {
                self.step = Step::Select;
                self.send("SELECT INBOX", "SELECT INBOX");
            }
            Step::Select => {
                if self.seen_validity != self.state.uid_validity {
                    // Another UIDVALIDITY: the UIDs this device knows name other messages now.
                    self.state = SyncState {
                        uid_validity: self.seen_validity,
                        messages: BTreeMap::new(),
                    };
                }
                self.step = Step::ListFlags;
                self.send("UID FETCH 1:* (FLAGS)", "UID FETCH 1:* (FLAGS)");
            }
            Step::ListFlags => {
                self.compare();
                let new: Vec<String> = self
                    .listed
                    .keys()
                    .filter(|uid| !self.state.messages.contains_key(uid))
                    .map(u32::to_string)
                    .collect();
                if new.is_empty() {
                    self.step = Step::FetchNew;
                    return self.next();
                }
                self.step = Step::FetchNew;
                let line = format!("UID FETCH {} (FLAGS BODY.PEEK[])", new.join(","));
                self.send(&line, &line);
            }
            Step::FetchNew | Step::Act => match self.actions.pop_front() {
                Some(action) => {
                    self.step = Step::Act;
                    let line = action_command(&action);
                    self.apply_locally(&action);
                    self.send(&line, &line);
                    self.acting = Some(action);
                }
                None if std::mem::take(&mut self.needs_expunge) => {
                    self.step = Step::Act;
                    self.send("EXPUNGE", "EXPUNGE");
                }
                None => {
                    self.step = Step::Logout;
                    self.send("LOGOUT", "LOGOUT");
                }
            },
            Step::Logout | Step::Done => {}
        }
    }

    /// Flags changed and messages gone, between what this device knew and the server's list.
    fn compare(&mut self) {
        let gone: Vec<u32> = self
            .state
            .messages
            .keys()
            .filter(|uid| !self.listed.contains_key(uid))
            .copied()
            .collect();
        for uid in gone {
            self.state.messages.remove(&uid);
            self.events.push_back(ImapClientEvent::Gone { uid });
        }
        for (uid, flags) in &self.listed {
            if let Some(known) = self.state.messages.get_mut(uid) {
                if known != flags {
                    *known = flags.clone();
                    self.events.push_back(ImapClientEvent::FlagsChanged {
                        uid: *uid,
                        flags: flags.clone(),
                    });
                }
            }
        }
    }

    /// What an action does to this device's own copy, once the server has it.
    fn apply_locally(&mut self, action: &Action) {
        match action {
            Action::AddFlag { uid, flag } => {
                if let Some(flags) = self.state.messages.get_mut(uid) {
                    flags.insert(flag.clone());
                }
            }
            Action::RemoveFlag { uid, flag } => {
                if let Some(flags) = self.state.messages.get_mut(uid) {
                    flags.remove(flag);
                }
            }
            Action::Delete { uid } => {
                self.state.messages.remove(uid);
                self.needs_expunge = true;
            }
            Action::MoveTo { uid, .. } => {
                self.state.messages.remove(uid);
            }
        }
    }

    fn send(&mut self, line: &str, shown: &str) {
        self.tag += 1;
        let tag = format!("k{}", self.tag);
        self.pending = (tag.clone(), shown.to_string());
        self.events.push_back(ImapClientEvent::Sent {
            line: format!("{tag} {shown}"),
        });
        self.output
            .push_back(format!("{tag} {line}\r\n").into_bytes());
    }

    fn finish_after_logout(&mut self, outcome: SyncOutcome) {
        self.step = Step::Logout;
        self.send("LOGOUT", "LOGOUT");
        self.events.push_back(ImapClientEvent::Finished(outcome));
        self.step = Step::Done;
    }

    fn finish(&mut self, outcome: SyncOutcome) {
        self.step = Step::Done;
        self.events.push_back(ImapClientEvent::Finished(outcome));
    }
}

/// The IMAP command that does `action` by UID.
fn action_command(action: &Action) -> String {
    match action {
        Action::AddFlag { uid, flag } => format!("UID STORE {uid} +FLAGS.SILENT ({flag})"),
        Action::RemoveFlag { uid, flag } => format!("UID STORE {uid} -FLAGS.SILENT ({flag})"),
        // Flagged now, removed by the EXPUNGE the session sends before LOGOUT.
        Action::Delete { uid } => format!("UID STORE {uid} +FLAGS.SILENT (\\Deleted)"),
        Action::MoveTo { uid, folder } => format!("UID MOVE {uid} {}", quoted(folder)),
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The parts of a `n FETCH (…)` response this client uses.
struct FetchData {
    uid: u32,
    flags: BTreeSet<String>,
    body: Option<Vec<u8>>,
}

/// Reads `n FETCH (UID u FLAGS (…) BODY[] {len}CRLF…)`, in any order of its items.
fn fetch_response(data: &[u8]) -> Option<FetchData> {
    let space = data.iter().position(|&b| b == b' ')?;
    let rest = data[space + 1..].strip_prefix(b"FETCH (")?;
    let mut uid = None;
    let mut flags = BTreeSet::new();
    let mut body = None;
    let mut at = 0;
    while at < rest.len() {
        let item = &rest[at..];
        if let Some(after) = item.strip_prefix(b"UID ") {
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            uid = std::str::from_utf8(&after[..digits]).ok()?.parse().ok();
            at += 4 + digits;
        } else if let Some(after) = item.strip_prefix(b"FLAGS (") {
            let close = after.iter().position(|&b| b == b')')?;
            let list = String::from_utf8_lossy(&after[..close]);
            flags = list.split_whitespace().map(str::to_string).collect();
            at += 7 + close + 1;
        } else if let Some(after) = item.strip_prefix(b"BODY[] {") {
            let close = after.iter().position(|&b| b == b'}')?;
            let size: usize = std::str::from_utf8(&after[..close]).ok()?.parse().ok()?;
            let start = 8 + close + 1 + 2; // past "}" and CRLF
            body = Some(item.get(start..start + size)?.to_vec());
            at += start + size;
        } else {
            at += 1;
        }
    }
    Some(FetchData {
        uid: uid?,
        flags,
        body,
    })
}

#[cfg(test)]
mod tests;
