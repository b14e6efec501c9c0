//! A mail client's IMAP session as a sans-IO state machine: the client that keeps mail on the
//! server. It logs in, asks which folders there are (`LIST "" "*"`), and syncs each in turn,
//! INBOX first: it opens the folder, asks for every message's UID and flags, and compares them
//! with what it knew from last time (its [`SyncState`]): messages new since then are fetched
//! with `BODY.PEEK[]` (reading them stays the learner's choice), flags changed elsewhere are
//! taken over, messages gone are forgotten, and so are folders the server no longer has. In
//! each folder it then carries out what the learner did there on this device — mark read,
//! flag, delete, move — so every other device sees it, and at the end it logs out. If a
//! folder's UIDVALIDITY changed, nothing it knew of that folder holds any more and it starts
//! that folder over (RFC 9051 §2.3.1.1).
//!
//! Feed server bytes with [`ImapClient::handle_input`], then drain [`ImapClient::poll_output`]
//! and [`ImapClient::poll_event`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::reader::{CommandReader, Framed};

/// The folder every account has (RFC 9051 §5.1).
pub const INBOX: &str = "INBOX";

/// What a device knows of the server's folders between sessions, by folder name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    pub folders: BTreeMap<String, FolderState>,
}

/// What a device knows of one folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderState {
    pub uid_validity: Option<u32>,
    /// Every message it has, by UID, with its flags.
    pub messages: BTreeMap<u32, BTreeSet<String>>,
}

impl SyncState {
    /// The folders, INBOX first and the others by name, as a mail client lists them.
    pub fn folder_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.folders.keys().cloned().collect();
        sort_inbox_first(&mut names);
        names
    }
}

/// INBOX first, then the other folders by name.
fn sort_inbox_first(names: &mut [String]) {
    names.sort_by(|a, b| (a.as_str() != INBOX, a).cmp(&(b.as_str() != INBOX, b)));
}

/// Something the learner did to a message on this device, to be done on the server.
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

/// An [`Action`] on a message in `folder` (UIDs are per folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderAction {
    pub folder: String,
    pub action: Action,
}

/// What happened, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImapClientEvent {
    /// A command went out (without CRLF; LOGIN's password shown as `****`).
    Sent {
        line: String,
    },
    /// The folders the server listed, INBOX first.
    Folders {
        names: Vec<String>,
    },
    /// A message this device did not have yet.
    Fetched {
        folder: String,
        uid: u32,
        flags: BTreeSet<String>,
        content: Vec<u8>,
    },
    /// Another device changed a message's flags.
    FlagsChanged {
        folder: String,
        uid: u32,
        flags: BTreeSet<String>,
    },
    /// A message is no longer on the server, or no longer in this folder.
    Gone {
        folder: String,
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
    List,
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
    /// What the learner did, in order, each done once its folder is open.
    actions: Vec<FolderAction>,
    step: Step,
    tag: u32,
    /// The tag and command (as shown) waiting for its tagged answer.
    pending: (String, String),
    /// The folders the server listed, in the order they came.
    listed_folders: Vec<String>,
    /// The folders still to sync, and the one open now.
    to_sync: VecDeque<String>,
    open: String,
    /// UIDVALIDITY, UIDs and flags the server reported for the open folder.
    seen_validity: Option<u32>,
    listed: BTreeMap<u32, BTreeSet<String>>,
    /// The open folder's actions still to do.
    folder_actions: VecDeque<Action>,
    /// A message in the open folder was flagged `\Deleted`: EXPUNGE before leaving it.
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
    pub fn new(
        user: &str,
        password: &str,
        state: SyncState,
        actions: Vec<FolderAction>,
    ) -> ImapClient {
        ImapClient {
            user: user.to_string(),
            password: password.to_string(),
            state,
            actions,
            step: Step::Greeting,
            tag: 0,
            pending: (String::new(), "greeting".into()),
            listed_folders: Vec::new(),
            to_sync: VecDeque::new(),
            open: String::new(),
            seen_validity: None,
            listed: BTreeMap::new(),
            folder_actions: VecDeque::new(),
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
                    let line = format!("CREATE {}", astring(&folder));
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
            // The folder now exists: it is synced too, after the ones listed.
            if let Action::MoveTo { folder, .. } = &action {
                self.state.folders.entry(folder.clone()).or_default();
                if !self.to_sync.contains(folder) && *folder != self.open {
                    self.to_sync.push_back(folder.clone());
                }
            }
            let line = action_command(&action);
            self.send(&line, &line);
            return;
        }
        self.next();
    }

    /// `* …` lines: the greeting, LIST, UIDVALIDITY, FETCH data.
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
        if self.step == Step::List {
            if let Some(folder) = list_response(&text) {
                self.listed_folders.push(folder);
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
                        self.open_state()
                            .messages
                            .insert(fetch.uid, fetch.flags.clone());
                        self.events.push_back(ImapClientEvent::Fetched {
                            folder: self.open.clone(),
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
                self.step = Step::List;
                self.send("LIST \"\" \"*\"", "LIST \"\" \"*\"");
            }
            Step::List => {
                self.plan_folders();
                self.next_folder();
            }
            Step::Select => {
                let seen_validity = self.seen_validity;
                let known = self.open_state();
                if known.uid_validity != seen_validity {
                    // Another UIDVALIDITY: the UIDs this device knows name other messages now.
                    *known = FolderState {
                        uid_validity: seen_validity,
                        messages: BTreeMap::new(),
                    };
                }
                self.step = Step::ListFlags;
                self.send("UID FETCH 1:* (FLAGS)", "UID FETCH 1:* (FLAGS)");
            }
            Step::ListFlags => {
                self.compare();
                let known = self.state.folders.get(&self.open);
                let new: Vec<String> = self
                    .listed
                    .keys()
                    .filter(|uid| !known.is_some_and(|f| f.messages.contains_key(uid)))
                    .map(u32::to_string)
                    .collect();
                self.step = Step::FetchNew;
                if new.is_empty() {
                    return self.next();
                }
                let line = format!("UID FETCH {} (FLAGS BODY.PEEK[])", new.join(","));
                self.send(&line, &line);
            }
            Step::FetchNew | Step::Act => match self.folder_actions.pop_front() {
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
                None => self.next_folder(),
            },
            Step::Logout | Step::Done => {}
        }
    }

    /// After LIST: forget the folders the server no longer has, and line up the ones to sync,
    /// INBOX first. A folder the learner acted in but the server did not list is tried too, so
    /// the server's answer says why the action could not be done.
    fn plan_folders(&mut self) {
        let mut listed = std::mem::take(&mut self.listed_folders);
        sort_inbox_first(&mut listed);
        self.events.push_back(ImapClientEvent::Folders {
            names: listed.clone(),
        });
        let gone: Vec<String> = self
            .state
            .folders
            .keys()
            .filter(|folder| !listed.contains(folder))
            .cloned()
            .collect();
        for folder in gone {
            let messages = self.state.folders.remove(&folder).unwrap_or_default();
            for uid in messages.messages.into_keys() {
                let folder = folder.clone();
                self.events.push_back(ImapClientEvent::Gone { folder, uid });
            }
        }
        let acted_in = self.actions.iter().map(|a| &a.folder);
        let mut order: Vec<String> = listed.iter().chain(acted_in).cloned().collect();
        sort_inbox_first(&mut order);
        order.dedup();
        self.to_sync = order.into();
    }

    /// Opens the next folder to sync, or logs out when all are done.
    fn next_folder(&mut self) {
        let Some(folder) = self.to_sync.pop_front() else {
            self.step = Step::Logout;
            self.send("LOGOUT", "LOGOUT");
            return;
        };
        self.folder_actions = self
            .actions
            .iter()
            .filter(|a| a.folder == folder)
            .map(|a| a.action.clone())
            .collect();
        self.open = folder;
        self.seen_validity = None;
        self.listed.clear();
        self.step = Step::Select;
        let line = format!("SELECT {}", astring(&self.open));
        self.send(&line, &line);
    }

    /// What this device knows of the open folder.
    fn open_state(&mut self) -> &mut FolderState {
        self.state.folders.entry(self.open.clone()).or_default()
    }

    /// Flags changed and messages gone, between what this device knew of the open folder and
    /// the server's list.
    fn compare(&mut self) {
        let folder = self.open.clone();
        let listed = std::mem::take(&mut self.listed);
        let known = self.open_state();
        let gone: Vec<u32> = known
            .messages
            .keys()
            .filter(|uid| !listed.contains_key(uid))
            .copied()
            .collect();
        let mut events = Vec::new();
        for uid in gone {
            known.messages.remove(&uid);
            let folder = folder.clone();
            events.push(ImapClientEvent::Gone { folder, uid });
        }
        for (uid, flags) in &listed {
            if let Some(mine) = known.messages.get_mut(uid) {
                if mine != flags {
                    mine.clone_from(flags);
                    events.push(ImapClientEvent::FlagsChanged {
                        folder: folder.clone(),
                        uid: *uid,
                        flags: flags.clone(),
                    });
                }
            }
        }
        self.events.extend(events);
        self.listed = listed;
    }

    /// What an action does to this device's own copy, once the server has it.
    fn apply_locally(&mut self, action: &Action) {
        let messages = &mut self.open_state().messages;
        match action {
            Action::AddFlag { uid, flag } => {
                if let Some(flags) = messages.get_mut(uid) {
                    flags.insert(flag.clone());
                }
            }
            Action::RemoveFlag { uid, flag } => {
                if let Some(flags) = messages.get_mut(uid) {
                    flags.remove(flag);
                }
            }
            Action::Delete { uid } => {
                messages.remove(uid);
                self.needs_expunge = true;
            }
            Action::MoveTo { uid, .. } => {
                messages.remove(uid);
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
        Action::MoveTo { uid, folder } => format!("UID MOVE {uid} {}", astring(folder)),
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A folder name as an atom when it can be one (`INBOX`), else quoted (RFC 9051 §9 astring).
fn astring(text: &str) -> String {
    let atom = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b));
    if atom {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// The folder name in a `LIST (attributes) delimiter name` response, unless the folder
/// cannot be opened (`\Noselect`, `\NonExistent`) or the name is not a plain string.
fn list_response(text: &str) -> Option<String> {
    let rest = text.strip_prefix("LIST (")?;
    let (attributes, rest) = rest.split_once(')')?;
    let unselectable = attributes
        .split_whitespace()
        .any(|a| a.eq_ignore_ascii_case("\\Noselect") || a.eq_ignore_ascii_case("\\NonExistent"));
    if unselectable {
        return None;
    }
    // The hierarchy delimiter: a quoted character or NIL.
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('"') {
        Some(quoted) => {
            let escaped = usize::from(quoted.starts_with('\\'));
            let close = escaped + quoted.get(escaped + 1..)?.find('"')? + 1;
            quoted.get(close + 1..)?
        }
        None => rest.strip_prefix("NIL")?,
    };
    let name = rest.trim();
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next()? } else { c });
            }
            Some(out)
        }
        None if !name.is_empty() && !name.contains(['{', ' ']) => Some(name.to_string()),
        None => None,
    }
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
