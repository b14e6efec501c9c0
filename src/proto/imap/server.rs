//! One IMAP server session as a sans-IO state machine (RFC 9051 §3, §6; it announces
//! IMAP4rev1 and speaks what RFC 3501 clients expect, with LITERAL+, IDLE, UNSELECT and MOVE).
//!
//! States: not authenticated → authenticated (LOGIN, AUTHENTICATE PLAIN) → selected (SELECT,
//! EXAMINE) → logout. Feed client bytes with [`ImapServer::handle_input`] together with the
//! [`MailStore`] (split anywhere), then drain [`ImapServer::poll_output`]. The store is the
//! truth: the session keeps only its view of the selected folder (which UID has which message
//! number and which flags it last reported) and, before answering a command — or at once during
//! IDLE, when the caller calls [`ImapServer::notify`] — tells the client what other sessions
//! changed: `* n EXISTS` for new mail, `* n FETCH (FLAGS …)` for flags, `* n EXPUNGE` for
//! messages gone (never during FETCH, STORE or SEARCH, whose message numbers must hold,
//! RFC 9051 §7.5.1).

use std::collections::{BTreeSet, VecDeque};

use base64::Engine;

use super::command::{
    self, Command, CommandKind, FetchItem, SearchKey, Section, SequenceSet, StoreMode,
};
use super::reader::{CommandReader, Framed};
use super::response::{self, flag_list, untagged};
use super::store::{FolderStatus, MailStore, MessageMeta};
use crate::proto::login::Login;

/// What the server says it can do.
pub const CAPABILITIES: &str = "IMAP4rev1 AUTH=PLAIN LITERAL+ IDLE UNSELECT MOVE";

/// The system flags (RFC 9051 §2.3.2).
const SYSTEM_FLAGS: &str = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

/// The session's state (RFC 9051 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImapState {
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// The selected folder as this session last told the client about it.
struct Selected {
    folder: String,
    read_only: bool,
    /// Message number `n` is `messages[n - 1]`: its UID and the flags last reported.
    messages: Vec<(u32, BTreeSet<String>)>,
}

/// A command waiting for more from the client.
enum Waiting {
    /// IDLE until the client says DONE.
    Idle { tag: String },
    /// AUTHENTICATE PLAIN after its `+`, for the base64 credentials.
    Credentials { tag: String },
}

/// One IMAP session (sans-IO).
pub struct ImapServer {
    hostname: String,
    accounts: Vec<Login>,
    state: ImapState,
    user: Option<String>,
    selected: Option<Selected>,
    waiting: Option<Waiting>,
    reader: CommandReader,
    output: VecDeque<u8>,
}

impl ImapServer {
    /// A new session; its greeting is queued at once.
    pub fn new(hostname: &str, accounts: Vec<Login>) -> ImapServer {
        let mut server = ImapServer {
            hostname: hostname.to_string(),
            accounts,
            state: ImapState::NotAuthenticated,
            user: None,
            selected: None,
            waiting: None,
            reader: CommandReader::default(),
            output: VecDeque::new(),
        };
        server.send(&untagged(&format!(
            "OK [CAPABILITY {CAPABILITIES}] {hostname} IMAP server ready"
        )));
        server
    }

    pub fn state(&self) -> ImapState {
        self.state
    }

    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The selected folder, if any.
    pub fn selected_folder(&self) -> Option<&str> {
        self.selected.as_ref().map(|s| s.folder.as_str())
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        if self.output.is_empty() {
            None
        } else {
            Some(self.output.drain(..).collect())
        }
    }

    /// Reads what the client sent and answers it, using `store`.
    pub fn handle_input(&mut self, bytes: &[u8], store: &mut dyn MailStore) {
        if self.state == ImapState::Logout {
            return;
        }
        for framed in self.reader.read(bytes) {
            if self.state == ImapState::Logout {
                return;
            }
            match framed {
                Framed::ContinuationWanted => self.send(b"+ go ahead\r\n"),
                Framed::TooLong(start) => {
                    let tag = command::parse(&start)
                        .map(|c| c.tag)
                        .or_else(|e| e.tag.ok_or(()))
                        .unwrap_or_else(|()| "*".into());
                    self.tagged(&tag, "BAD", "command line or literal too long");
                }
                Framed::Command(bytes) => self.framed(&bytes, store),
            }
        }
    }

    /// The store changed (another session, new mail): during IDLE the client hears it now.
    pub fn notify(&mut self, store: &dyn MailStore) {
        if matches!(self.waiting, Some(Waiting::Idle { .. })) {
            self.report_changes(store, true);
        }
    }

    fn framed(&mut self, bytes: &[u8], store: &mut dyn MailStore) {
        match self.waiting.take() {
            Some(Waiting::Idle { tag }) => {
                if bytes.eq_ignore_ascii_case(b"DONE") {
                    self.tagged(&tag, "OK", "IDLE terminated");
                } else {
                    self.waiting = Some(Waiting::Idle { tag: tag.clone() });
                    self.send(&untagged("BAD only DONE ends IDLE"));
                }
            }
            Some(Waiting::Credentials { tag }) => self.credentials(&tag, bytes),
            None => match command::parse(bytes) {
                Ok(command) => self.execute(command, store),
                Err(error) => {
                    let tag = error.tag.unwrap_or_else(|| "*".into());
                    self.tagged(&tag, "BAD", &error.message);
                }
            },
        }
    }

    fn execute(&mut self, command: Command, store: &mut dyn MailStore) {
        let Command { tag, kind } = command;
        use CommandKind::*;
        match (self.state, kind) {
            (_, Capability) => {
                self.send(&untagged(&format!("CAPABILITY {CAPABILITIES}")));
                self.tagged(&tag, "OK", "CAPABILITY completed");
            }
            (_, Noop) => {
                self.report_changes(store, true);
                self.tagged(&tag, "OK", "NOOP completed");
            }
            (_, Logout) => {
                self.send(&untagged(&format!(
                    "BYE {} IMAP server logging out",
                    self.hostname
                )));
                self.tagged(&tag, "OK", "LOGOUT completed");
                self.state = ImapState::Logout;
            }
            (ImapState::NotAuthenticated, Login { user, password }) => {
                self.log_in(&tag, &user, &password)
            }
            (
                ImapState::NotAuthenticated,
                AuthenticatePlain {
                    initial: Some(initial),
                },
            ) => self.credentials(&tag, initial.as_bytes()),
            (ImapState::NotAuthenticated, AuthenticatePlain { initial: None }) => {
                self.send(b"+ \r\n");
                self.waiting = Some(Waiting::Credentials { tag });
            }
            (ImapState::NotAuthenticated, _) => {
                self.tagged(&tag, "BAD", "log in first: a1 LOGIN budi budi123")
            }
            (_, Login { .. } | AuthenticatePlain { .. }) => {
                self.tagged(&tag, "BAD", "already logged in")
            }
            (_, Select(folder)) => self.select(&tag, &folder, false, store),
            (_, Examine(folder)) => self.select(&tag, &folder, true, store),
            (_, List { reference, pattern }) => self.list(&tag, &reference, &pattern, store),
            (_, Status { mailbox, items }) => self.status(&tag, &mailbox, &items, store),
            (_, Create(folder)) => {
                let result = store.create(self.user_name(), &folder);
                self.done(&tag, result, "CREATE");
            }
            (_, Delete(folder)) => {
                let result = if folder == "INBOX" {
                    Err("INBOX cannot be deleted".to_string())
                } else {
                    store.delete(self.user_name(), &folder)
                };
                self.done(&tag, result, "DELETE");
            }
            (_, Rename { from, to }) => {
                let result = store.rename(self.user_name(), &from, &to);
                self.done(&tag, result, "RENAME");
            }
            (_, Subscribe(_) | Unsubscribe(_)) => {
                // Every folder counts as subscribed: LSUB and LIST agree.
                self.tagged(&tag, "OK", "completed")
            }
            (
                _,
                Append {
                    mailbox,
                    flags,
                    message,
                },
            ) => {
                let user = self.user_name().to_string();
                let flags: BTreeSet<String> = flags.into_iter().collect();
                match store.append(&user, &mailbox, message, flags) {
                    Some(_) => {
                        self.report_changes(store, false);
                        self.tagged(&tag, "OK", "APPEND completed");
                    }
                    None => self.tagged(&tag, "NO", "[TRYCREATE] no such folder; CREATE it first"),
                }
            }
            (_, Idle) => {
                self.send(b"+ idling\r\n");
                self.waiting = Some(Waiting::Idle { tag });
                self.report_changes(store, true);
            }
            (ImapState::Authenticated, _) => {
                self.tagged(&tag, "BAD", "no folder selected: SELECT INBOX first")
            }
            (ImapState::Selected, kind) => self.selected_command(&tag, kind, store),
            (ImapState::Logout, _) => {}
        }
    }

    fn selected_command(&mut self, tag: &str, kind: CommandKind, store: &mut dyn MailStore) {
        use CommandKind::*;
        match kind {
            Close => {
                if !self.read_only() {
                    self.expunge_deleted(store, None, false);
                }
                self.selected = None;
                self.state = ImapState::Authenticated;
                self.tagged(tag, "OK", "CLOSE completed");
            }
            Unselect => {
                self.selected = None;
                self.state = ImapState::Authenticated;
                self.tagged(tag, "OK", "UNSELECT completed");
            }
            Expunge => {
                if self.refuse_if_read_only(tag) {
                    return;
                }
                self.expunge_deleted(store, None, true);
                self.report_changes(store, true);
                self.tagged(tag, "OK", "EXPUNGE completed");
            }
            Search { keys, uid } => {
                self.report_changes(store, false);
                let found = self.search(&keys, uid, store);
                let numbers: Vec<String> = found.iter().map(u32::to_string).collect();
                let line = format!("SEARCH {}", numbers.join(" "));
                self.send(&untagged(line.trim_end()));
                self.tagged(tag, "OK", "SEARCH completed");
            }
            Fetch { set, items, uid } => {
                self.report_changes(store, false);
                for number in self.numbers(&set, uid) {
                    self.fetch(number, &items, uid, store);
                }
                self.tagged(tag, "OK", "FETCH completed");
            }
            Store {
                set,
                mode,
                silent,
                flags,
                uid,
            } => {
                if self.refuse_if_read_only(tag) {
                    return;
                }
                self.report_changes(store, false);
                let flags: BTreeSet<String> = flags.into_iter().collect();
                for number in self.numbers(&set, uid) {
                    self.store_flags(number, mode, &flags, silent, uid, store);
                }
                self.tagged(tag, "OK", "STORE completed");
            }
            Copy { set, mailbox, uid } => self.copy(tag, &set, &mailbox, uid, store, false),
            Move { set, mailbox, uid } => self.copy(tag, &set, &mailbox, uid, store, true),
            // Every other command was answered before the state was looked at.
            _ => self.tagged(tag, "BAD", "not available in this state"),
        }
    }

    // ---- authentication ----

    fn log_in(&mut self, tag: &str, user: &str, password: &str) {
        let known = self
            .accounts
            .iter()
            .any(|a| a.user == user && a.password == password);
        if known {
            self.user = Some(user.to_string());
            self.state = ImapState::Authenticated;
            self.tagged(tag, "OK", &format!("[CAPABILITY {CAPABILITIES}] logged in"));
        } else {
            self.tagged(
                tag,
                "NO",
                "[AUTHENTICATIONFAILED] wrong user name or password",
            );
        }
    }

    /// AUTHENTICATE PLAIN's base64 of `authzid NUL user NUL password` (RFC 4616).
    fn credentials(&mut self, tag: &str, base64: &[u8]) {
        if base64 == b"*" {
            return self.tagged(tag, "BAD", "AUTHENTICATE cancelled");
        }
        let decoded = base64::engine::general_purpose::STANDARD.decode(base64);
        let parts: Option<(String, String)> = decoded.ok().and_then(|bytes| {
            let mut fields = bytes.split(|&b| b == 0);
            let (_authzid, user, password) = (fields.next()?, fields.next()?, fields.next()?);
            Some((
                String::from_utf8(user.to_vec()).ok()?,
                String::from_utf8(password.to_vec()).ok()?,
            ))
        });
        match parts {
            Some((user, password)) => self.log_in(tag, &user, &password),
            None => self.tagged(tag, "BAD", "not base64 of \\0user\\0password (RFC 4616)"),
        }
    }

    // ---- folders ----

    fn select(&mut self, tag: &str, folder: &str, read_only: bool, store: &dyn MailStore) {
        self.selected = None;
        self.state = ImapState::Authenticated;
        let Some(status) = store.status(self.user_name(), folder) else {
            return self.tagged(tag, "NO", "no such folder; LIST shows them");
        };
        let unseen = status
            .messages
            .iter()
            .position(|m| !m.flags.contains("\\Seen"));
        self.send(&untagged(&format!("{} EXISTS", status.messages.len())));
        self.send(&untagged("0 RECENT"));
        self.send(&untagged(&format!("FLAGS ({SYSTEM_FLAGS})")));
        self.send(&untagged(&format!(
            "OK [PERMANENTFLAGS ({SYSTEM_FLAGS} \\*)] flags stay"
        )));
        if let Some(first) = unseen {
            self.send(&untagged(&format!(
                "OK [UNSEEN {}] first unseen",
                first + 1
            )));
        }
        self.send(&untagged(&format!(
            "OK [UIDVALIDITY {}] UIDs valid",
            status.uid_validity
        )));
        self.send(&untagged(&format!(
            "OK [UIDNEXT {}] next UID",
            status.uid_next
        )));
        self.selected = Some(Selected {
            folder: folder.to_string(),
            read_only,
            messages: status
                .messages
                .into_iter()
                .map(|m| (m.uid, m.flags))
                .collect(),
        });
        self.state = ImapState::Selected;
        let (code, name) = if read_only {
            ("READ-ONLY", "EXAMINE")
        } else {
            ("READ-WRITE", "SELECT")
        };
        self.tagged(tag, "OK", &format!("[{code}] {name} completed"));
    }

    fn list(&mut self, tag: &str, reference: &str, pattern: &str, store: &dyn MailStore) {
        if pattern.is_empty() {
            // The hierarchy delimiter and root (RFC 9051 §6.3.9).
            self.send(&untagged("LIST (\\Noselect) \"/\" \"\""));
            return self.tagged(tag, "OK", "LIST completed");
        }
        let pattern = format!("{reference}{pattern}");
        for folder in store.folders(self.user_name()) {
            if matches_pattern(&pattern, &folder) {
                let mut line = b"* LIST (\\HasNoChildren) \"/\" ".to_vec();
                line.extend(response::string(folder.as_bytes()));
                line.extend(b"\r\n");
                self.send(&line);
            }
        }
        self.tagged(tag, "OK", "LIST completed");
    }

    fn status(&mut self, tag: &str, folder: &str, items: &[String], store: &dyn MailStore) {
        let Some(status) = store.status(self.user_name(), folder) else {
            return self.tagged(tag, "NO", "no such folder");
        };
        let mut values = Vec::new();
        for item in items {
            let value = match item.as_str() {
                "MESSAGES" => status.messages.len(),
                "UNSEEN" => status
                    .messages
                    .iter()
                    .filter(|m| !m.flags.contains("\\Seen"))
                    .count(),
                "UIDNEXT" => status.uid_next as usize,
                "UIDVALIDITY" => status.uid_validity as usize,
                "RECENT" => 0,
                "SIZE" => status.messages.iter().map(|m| m.size).sum(),
                other => return self.tagged(tag, "BAD", &format!("STATUS does not know {other}")),
            };
            values.push(format!("{item} {value}"));
        }
        let mut line = b"* STATUS ".to_vec();
        line.extend(response::string(folder.as_bytes()));
        line.extend(format!(" ({})\r\n", values.join(" ")).as_bytes());
        self.send(&line);
        self.tagged(tag, "OK", "STATUS completed");
    }

    // ---- messages ----

    /// Message numbers (from 1) that `set` names, by number or, with `uid`, by UID.
    fn numbers(&self, set: &SequenceSet, uid: bool) -> Vec<usize> {
        let Some(selected) = &self.selected else {
            return Vec::new();
        };
        let count = selected.messages.len();
        if uid {
            let largest = selected.messages.last().map_or(0, |(uid, _)| *uid);
            (1..=count)
                .filter(|&n| set.contains(selected.messages[n - 1].0, largest))
                .collect()
        } else {
            (1..=count)
                .filter(|&n| set.contains(n as u32, count as u32))
                .collect()
        }
    }

    fn fetch(&mut self, number: usize, items: &[FetchItem], uid: bool, store: &mut dyn MailStore) {
        let user = self.user_name().to_string();
        let Some(selected) = &self.selected else {
            return;
        };
        let (message_uid, _) = selected.messages[number - 1].clone();
        let folder = selected.folder.clone();
        let read_only = selected.read_only;
        let Some(meta) = find(store, &user, &folder, message_uid) else {
            return;
        };
        let mut flags = meta.flags.clone();
        let sets_seen = items.iter().any(|item| {
            matches!(
                item,
                FetchItem::Body { peek: false, .. }
                    | FetchItem::Rfc822(Section::Whole | Section::Text)
            )
        });
        if sets_seen && !read_only && flags.insert("\\Seen".to_string()) {
            store.set_flags(&user, &folder, message_uid, flags.clone());
        }
        let content = store
            .content(&user, &folder, message_uid)
            .unwrap_or_default();
        let mut parts: Vec<Vec<u8>> = Vec::new();
        let mut said_flags = false;
        let mut said_uid = false;
        for item in items {
            match item {
                FetchItem::Uid => said_uid = true,
                FetchItem::Flags => said_flags = true,
                FetchItem::InternalDate => {
                    parts.push(format!("INTERNALDATE \"{}\"", meta.internal_date).into_bytes())
                }
                FetchItem::Rfc822Size => {
                    parts.push(format!("RFC822.SIZE {}", meta.size).into_bytes())
                }
                FetchItem::Envelope => {
                    let mut part = b"ENVELOPE ".to_vec();
                    part.extend(response::envelope(&content));
                    parts.push(part);
                }
                FetchItem::Body { section, .. } => {
                    let name = match section {
                        Section::Whole => "BODY[]",
                        Section::Header => "BODY[HEADER]",
                        Section::Text => "BODY[TEXT]",
                    };
                    parts.push(section_part(name, *section, &content));
                }
                FetchItem::Rfc822(section) => {
                    let name = match section {
                        Section::Whole => "RFC822",
                        Section::Header => "RFC822.HEADER",
                        Section::Text => "RFC822.TEXT",
                    };
                    parts.push(section_part(name, *section, &content));
                }
            }
        }
        // A FETCH that set \Seen reports the new flags (RFC 9051 §6.4.5).
        if said_flags || (sets_seen && !read_only && !meta.flags.contains("\\Seen")) {
            parts.insert(0, format!("FLAGS {}", flag_list(&flags)).into_bytes());
        }
        if said_uid || uid {
            parts.insert(0, format!("UID {message_uid}").into_bytes());
        }
        if let Some(selected) = &mut self.selected {
            selected.messages[number - 1].1 = flags;
        }
        let mut line = format!("* {number} FETCH (").into_bytes();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                line.push(b' ');
            }
            line.extend(part);
        }
        line.extend(b")\r\n");
        self.send(&line);
    }

    fn store_flags(
        &mut self,
        number: usize,
        mode: StoreMode,
        given: &BTreeSet<String>,
        silent: bool,
        uid: bool,
        store: &mut dyn MailStore,
    ) {
        let user = self.user_name().to_string();
        let Some(selected) = &mut self.selected else {
            return;
        };
        let (message_uid, _) = selected.messages[number - 1].clone();
        let Some(meta) = find(store, &user, &selected.folder, message_uid) else {
            return;
        };
        let flags: BTreeSet<String> = match mode {
            StoreMode::Replace => given.clone(),
            StoreMode::Add => meta.flags.union(given).cloned().collect(),
            StoreMode::Remove => meta.flags.difference(given).cloned().collect(),
        };
        store.set_flags(&user, &selected.folder, message_uid, flags.clone());
        selected.messages[number - 1].1 = flags.clone();
        if !silent {
            let uid_part = if uid {
                format!("UID {message_uid} ")
            } else {
                String::new()
            };
            self.send(&untagged(&format!(
                "{number} FETCH ({uid_part}FLAGS {})",
                flag_list(&flags)
            )));
        }
    }

    fn copy(
        &mut self,
        tag: &str,
        set: &SequenceSet,
        folder: &str,
        uid: bool,
        store: &mut dyn MailStore,
        moving: bool,
    ) {
        if moving && self.refuse_if_read_only(tag) {
            return;
        }
        let user = self.user_name().to_string();
        if store.status(&user, folder).is_none() {
            return self.tagged(tag, "NO", "[TRYCREATE] no such folder; CREATE it first");
        }
        let numbers = self.numbers(set, uid);
        let Some(selected) = &self.selected else {
            return;
        };
        let source = selected.folder.clone();
        let uids: Vec<u32> = numbers
            .iter()
            .map(|&n| selected.messages[n - 1].0)
            .collect();
        for &message_uid in &uids {
            store.copy(&user, &source, message_uid, folder);
        }
        if moving {
            self.expunge_deleted(store, Some(&uids), true);
        }
        let name = if moving { "MOVE" } else { "COPY" };
        self.tagged(tag, "OK", &format!("{name} completed"));
    }

    /// Removes for good the messages flagged `\Deleted` (or, for MOVE, the given UIDs),
    /// telling the client `* n EXPUNGE` for each when `report`.
    fn expunge_deleted(&mut self, store: &mut dyn MailStore, only: Option<&[u32]>, report: bool) {
        let user = self.user_name().to_string();
        let Some(selected) = &mut self.selected else {
            return;
        };
        let Some(status) = store.status(&user, &selected.folder) else {
            return;
        };
        let gone: Vec<u32> = match only {
            Some(uids) => uids.to_vec(),
            None => status
                .messages
                .iter()
                .filter(|m| m.flags.contains("\\Deleted"))
                .map(|m| m.uid)
                .collect(),
        };
        store.expunge(&user, &selected.folder, &gone);
        let mut lines = Vec::new();
        // Each EXPUNGE renumbers the messages after it, so numbers are given one at a time.
        while let Some(index) = selected
            .messages
            .iter()
            .position(|(uid, _)| gone.contains(uid))
        {
            selected.messages.remove(index);
            lines.push(untagged(&format!("{} EXPUNGE", index + 1)));
        }
        if report {
            for line in lines {
                self.send(&line);
            }
        }
    }

    fn search(&self, key: &SearchKey, uid: bool, store: &dyn MailStore) -> Vec<u32> {
        let Some(selected) = &self.selected else {
            return Vec::new();
        };
        let user = self.user_name();
        let count = selected.messages.len() as u32;
        let largest_uid = selected.messages.last().map_or(0, |(uid, _)| *uid);
        let mut found = Vec::new();
        for (index, (message_uid, _)) in selected.messages.iter().enumerate() {
            let Some(meta) = find(store, user, &selected.folder, *message_uid) else {
                continue;
            };
            let content = store
                .content(user, &selected.folder, *message_uid)
                .unwrap_or_default();
            let message = Candidate {
                number: index as u32 + 1,
                count,
                largest_uid,
                meta: &meta,
                content: &content,
            };
            if message.matches(key) {
                found.push(if uid { *message_uid } else { index as u32 + 1 });
            }
        }
        found
    }

    // ---- what others changed ----

    /// Tells the client what changed in the selected folder since it last heard: new
    /// messages, flags, and (when `expunges` may be reported) messages gone.
    fn report_changes(&mut self, store: &dyn MailStore, expunges: bool) {
        let user = self.user_name().to_string();
        let Some(selected) = &mut self.selected else {
            return;
        };
        let Some(status) = store.status(&user, &selected.folder) else {
            return;
        };
        let mut lines = Vec::new();
        if expunges {
            while let Some(index) = selected
                .messages
                .iter()
                .position(|(uid, _)| !status.messages.iter().any(|m| m.uid == *uid))
            {
                selected.messages.remove(index);
                lines.push(untagged(&format!("{} EXPUNGE", index + 1)));
            }
        }
        for (index, (uid, flags)) in selected.messages.iter_mut().enumerate() {
            if let Some(now) = status.messages.iter().find(|m| m.uid == *uid) {
                if now.flags != *flags {
                    *flags = now.flags.clone();
                    lines.push(untagged(&format!(
                        "{} FETCH (FLAGS {})",
                        index + 1,
                        flag_list(flags)
                    )));
                }
            }
        }
        let known = selected.messages.last().map_or(0, |(uid, _)| *uid);
        let arrived: Vec<&MessageMeta> = status.messages.iter().filter(|m| m.uid > known).collect();
        if !arrived.is_empty() {
            for meta in arrived {
                selected.messages.push((meta.uid, meta.flags.clone()));
            }
            lines.push(untagged(&format!("{} EXISTS", selected.messages.len())));
        }
        for line in lines {
            self.send(&line);
        }
    }

    // ---- small pieces ----

    fn user_name(&self) -> &str {
        self.user.as_deref().unwrap_or_default()
    }

    fn read_only(&self) -> bool {
        self.selected.as_ref().is_some_and(|s| s.read_only)
    }

    fn refuse_if_read_only(&mut self, tag: &str) -> bool {
        if self.read_only() {
            self.tagged(tag, "NO", "[READ-ONLY] the folder was opened with EXAMINE");
        }
        self.read_only()
    }

    fn done(&mut self, tag: &str, result: Result<(), String>, name: &str) {
        match result {
            Ok(()) => self.tagged(tag, "OK", &format!("{name} completed")),
            Err(why) => self.tagged(tag, "NO", &why),
        }
    }

    fn tagged(&mut self, tag: &str, status: &str, text: &str) {
        self.send(format!("{tag} {status} {text}\r\n").as_bytes());
    }

    fn send(&mut self, bytes: &[u8]) {
        self.output.extend(bytes);
    }
}

/// `NAME {n}` and the octets of `section` of `content`.
fn section_part(name: &str, section: Section, content: &[u8]) -> Vec<u8> {
    let end = response::header_end(content);
    let bytes = match section {
        Section::Whole => content,
        Section::Header => &content[..end],
        Section::Text => &content[end..],
    };
    let mut part = format!("{name} ").into_bytes();
    part.extend(response::literal(bytes));
    part
}

/// A message's metadata from the store, by UID.
fn find(store: &dyn MailStore, user: &str, folder: &str, uid: u32) -> Option<MessageMeta> {
    let status: FolderStatus = store.status(user, folder)?;
    status.messages.into_iter().find(|m| m.uid == uid)
}

/// LIST's wildcards: `*` matches anything, `%` anything but the delimiter `/`.
fn matches_pattern(pattern: &str, name: &str) -> bool {
    fn go(pattern: &[u8], name: &[u8]) -> bool {
        match pattern.split_first() {
            None => name.is_empty(),
            Some((b'*', rest)) => (0..=name.len()).any(|i| go(rest, &name[i..])),
            Some((b'%', rest)) => (0..=name.len())
                .take_while(|&i| i == 0 || name[i - 1] != b'/')
                .any(|i| go(rest, &name[i..])),
            Some((c, rest)) => name.first() == Some(c) && go(rest, &name[1..]),
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

/// One message, as SEARCH looks at it.
struct Candidate<'a> {
    number: u32,
    count: u32,
    largest_uid: u32,
    meta: &'a MessageMeta,
    content: &'a [u8],
}

impl Candidate<'_> {
    fn matches(&self, key: &SearchKey) -> bool {
        let header = |name: &str, text: &str| {
            response::header_fields(self.content)
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case(name) && contains_ignoring_case(v, text))
        };
        let body = || {
            String::from_utf8_lossy(&self.content[response::header_end(self.content)..])
                .into_owned()
        };
        match key {
            SearchKey::All => true,
            SearchKey::Flag { flag, set } => self.meta.flags.contains(flag) == *set,
            SearchKey::From(text) => header("From", text),
            SearchKey::To(text) => header("To", text),
            SearchKey::Subject(text) => header("Subject", text),
            SearchKey::Body(text) => contains_ignoring_case(&body(), text),
            SearchKey::Text(text) => {
                contains_ignoring_case(&String::from_utf8_lossy(self.content), text)
            }
            SearchKey::Larger(size) => self.meta.size > *size as usize,
            SearchKey::Smaller(size) => self.meta.size < *size as usize,
            SearchKey::Uid(set) => set.contains(self.meta.uid, self.largest_uid),
            SearchKey::Sequence(set) => set.contains(self.number, self.count),
            SearchKey::Not(key) => !self.matches(key),
            SearchKey::Or(a, b) => self.matches(a) || self.matches(b),
            SearchKey::And(keys) => keys.iter().all(|k| self.matches(k)),
        }
    }
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

#[cfg(test)]
mod tests;
