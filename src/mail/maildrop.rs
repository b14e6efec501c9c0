//! Mailboxes as the reading protocols see them. Each address has folders — `INBOX`, where
//! delivery puts mail, and any the user creates over IMAP — and every message in a folder
//! has a unique id that never changes and is never reused (IMAP's UID within a UIDVALIDITY,
//! RFC 9051 §2.3.1.1; POP3's UIDL, RFC 1939 §7), its flags (`\Seen`, `\Deleted`, …) and the
//! date it arrived. POP3 reads only the INBOX, under an exclusive lock (RFC 1939 §8: a second
//! session is refused while one is open, so two clients never delete under each other).
//!
//! [`DomainMail`] lends one domain's mailboxes to the IMAP server engine, whose users log in
//! with the local part of their address.

use std::collections::{BTreeMap, BTreeSet};

use crate::mail::mailbox::StoredMessage;
use crate::proto::imap::store::{FolderStatus, MailStore, MessageMeta};
use crate::proto::pop3::MaildropMessage;

/// The folder delivery fills.
pub const INBOX: &str = "INBOX";

/// One message in a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldMessage {
    /// Counts up from 1 in its folder; a deleted message's id is never given out again.
    pub uid: u32,
    pub flags: BTreeSet<String>,
    /// When it arrived, as IMAP writes dates (` 1-Jan-2026 10:00:00 +0000`).
    pub internal_date: String,
    /// The bytes as final delivery stored them (CRLF line endings), with their envelope.
    pub message: StoredMessage,
    /// The caller's own number for the message (the simulated world's message id); 0 for
    /// mail a client put there itself (IMAP APPEND).
    pub origin: u64,
}

impl HeldMessage {
    pub fn is_seen(&self) -> bool {
        self.flags.contains(SEEN)
    }
}

/// The flag of a message that has been read (RFC 9051 §2.3.2).
pub const SEEN: &str = "\\Seen";

/// One folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    /// Changes only if the folder's ids start over (never, here).
    uid_validity: u32,
    uid_next: u32,
    messages: Vec<HeldMessage>,
}

impl Folder {
    fn new(uid_validity: u32) -> Folder {
        Folder {
            uid_validity,
            uid_next: 1,
            messages: Vec::new(),
        }
    }

    fn add(&mut self, held: HeldMessage) -> u32 {
        let uid = self.uid_next;
        self.uid_next += 1;
        self.messages.push(HeldMessage { uid, ..held });
        uid
    }

    pub fn messages(&self) -> &[HeldMessage] {
        &self.messages
    }

    fn status(&self) -> FolderStatus {
        FolderStatus {
            uid_validity: self.uid_validity,
            uid_next: self.uid_next,
            messages: self
                .messages
                .iter()
                .map(|m| MessageMeta {
                    uid: m.uid,
                    flags: m.flags.clone(),
                    size: m.message.content.len(),
                    internal_date: m.internal_date.clone(),
                })
                .collect(),
        }
    }
}

/// Why a session cannot open a maildrop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockError {
    /// Session `holder` has it open.
    InUse { holder: u64 },
}

/// One address's mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maildrop {
    folders: BTreeMap<String, Folder>,
    /// Each folder made gets the next UIDVALIDITY, so a folder deleted and made again under
    /// the same name never looks like the old one to a client.
    next_uid_validity: u32,
    locked_by: Option<u64>,
}

impl Default for Maildrop {
    fn default() -> Self {
        Maildrop {
            folders: BTreeMap::from([(INBOX.to_string(), Folder::new(1))]),
            next_uid_validity: 2,
            locked_by: None,
        }
    }
}

impl Maildrop {
    /// Files `content` in the INBOX, unread; returns its uid.
    pub fn deliver(&mut self, content: Vec<u8>, internal_date: String) -> u32 {
        self.deliver_message(StoredMessage::from_content(content), internal_date, 0)
    }

    /// Files `message` in the INBOX, unread, under the caller's number `origin`; returns
    /// its uid.
    pub fn deliver_message(
        &mut self,
        message: StoredMessage,
        internal_date: String,
        origin: u64,
    ) -> u32 {
        self.inbox_mut().add(HeldMessage {
            uid: 0,
            flags: BTreeSet::new(),
            internal_date,
            message,
            origin,
        })
    }

    /// The folders, by name (INBOX among them).
    pub fn folders(&self) -> impl Iterator<Item = (&str, &Folder)> {
        self.folders
            .iter()
            .map(|(name, folder)| (name.as_str(), folder))
    }

    /// Messages in every folder.
    pub fn message_count(&self) -> usize {
        self.folders.values().map(|f| f.messages.len()).sum()
    }

    /// The INBOX's messages.
    pub fn messages(&self) -> &[HeldMessage] {
        self.folders.get(INBOX).map_or(&[], |f| f.messages())
    }

    pub fn folder(&self, name: &str) -> Option<&Folder> {
        self.folders.get(name)
    }

    /// Opens the INBOX for POP3 session `session`: its messages, each with the UIDL string
    /// that names it across sessions.
    pub fn lock(&mut self, session: u64) -> Result<Vec<MaildropMessage>, LockError> {
        match self.locked_by {
            Some(holder) if holder != session => Err(LockError::InUse { holder }),
            _ => {
                self.locked_by = Some(session);
                let inbox = self.inbox_mut();
                let validity = inbox.uid_validity;
                Ok(inbox
                    .messages
                    .iter()
                    .map(|message| MaildropMessage {
                        uid: uidl(validity, message.uid),
                        content: message.message.content.clone(),
                    })
                    .collect())
            }
        }
    }

    /// Ends `session`'s hold, first removing the messages of its snapshot at `deleted`
    /// (indexes into what [`lock`](Self::lock) gave it). Mail delivered meanwhile stays.
    /// Returns the messages removed.
    pub fn unlock(
        &mut self,
        session: u64,
        snapshot: &[MaildropMessage],
        deleted: &[usize],
    ) -> Vec<HeldMessage> {
        if self.locked_by != Some(session) {
            return Vec::new();
        }
        let gone: Vec<&str> = deleted
            .iter()
            .filter_map(|&index| snapshot.get(index))
            .map(|message| message.uid.as_str())
            .collect();
        let inbox = self.inbox_mut();
        let validity = inbox.uid_validity;
        let (removed, kept) = std::mem::take(&mut inbox.messages)
            .into_iter()
            .partition(|message| gone.contains(&uidl(validity, message.uid).as_str()));
        inbox.messages = kept;
        self.locked_by = None;
        removed
    }

    /// Whether a POP3 session holds the lock.
    pub fn is_locked(&self) -> bool {
        self.locked_by.is_some()
    }

    fn inbox_mut(&mut self) -> &mut Folder {
        self.folders
            .entry(INBOX.to_string())
            .or_insert_with(|| Folder::new(1))
    }
}

/// POP3's unique id for message `uid`: printable, and unique across UIDVALIDITY changes.
fn uidl(uid_validity: u32, uid: u32) -> String {
    format!("{uid_validity}.{uid}")
}

/// The mailboxes of one server, by lower-cased address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maildrops {
    by_address: BTreeMap<String, Maildrop>,
}

impl Maildrops {
    /// Files `content` in `address`'s INBOX (made on first delivery); returns its uid.
    pub fn deliver(&mut self, address: &str, content: Vec<u8>, internal_date: String) -> u32 {
        self.maildrop(address).deliver(content, internal_date)
    }

    /// `address`'s mail, made empty if it had none yet.
    pub fn maildrop(&mut self, address: &str) -> &mut Maildrop {
        self.by_address
            .entry(address.to_ascii_lowercase())
            .or_default()
    }

    /// Every address's mail, in address order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Maildrop)> {
        self.by_address
            .iter()
            .map(|(address, maildrop)| (address.as_str(), maildrop))
    }

    /// `address`'s mail, if any was ever delivered or made.
    pub fn get(&self, address: &str) -> Option<&Maildrop> {
        self.by_address.get(&address.to_ascii_lowercase())
    }
}

/// One domain's mailboxes as the IMAP server engine sees them: user `budi` is
/// `budi@<domain>`.
pub struct DomainMail<'a> {
    pub maildrops: &'a mut Maildrops,
    pub domain: &'a str,
    /// The date new messages (APPEND, COPY) get.
    pub now: String,
}

impl DomainMail<'_> {
    fn address(&self, user: &str) -> String {
        format!("{user}@{}", self.domain)
    }

    fn folder_mut(&mut self, user: &str, folder: &str) -> Option<&mut Folder> {
        let address = self.address(user);
        self.maildrops.maildrop(&address).folders.get_mut(folder)
    }
}

impl MailStore for DomainMail<'_> {
    fn folders(&self, user: &str) -> Vec<String> {
        match self.maildrops.get(&self.address(user)) {
            Some(maildrop) => maildrop.folders.keys().cloned().collect(),
            None => vec![INBOX.to_string()],
        }
    }

    fn status(&self, user: &str, folder: &str) -> Option<FolderStatus> {
        match self.maildrops.get(&self.address(user)) {
            Some(maildrop) => maildrop.folders.get(folder).map(Folder::status),
            None => (folder == INBOX).then(|| Folder::new(1).status()),
        }
    }

    fn content(&self, user: &str, folder: &str, uid: u32) -> Option<Vec<u8>> {
        let maildrop = self.maildrops.get(&self.address(user))?;
        let folder = maildrop.folders.get(folder)?;
        let held = folder.messages.iter().find(|m| m.uid == uid)?;
        Some(held.message.content.clone())
    }

    fn set_flags(&mut self, user: &str, folder: &str, uid: u32, flags: BTreeSet<String>) -> bool {
        let Some(folder) = self.folder_mut(user, folder) else {
            return false;
        };
        match folder.messages.iter_mut().find(|m| m.uid == uid) {
            Some(message) => {
                message.flags = flags;
                true
            }
            None => false,
        }
    }

    fn append(
        &mut self,
        user: &str,
        folder: &str,
        content: Vec<u8>,
        flags: BTreeSet<String>,
    ) -> Option<u32> {
        let held = HeldMessage {
            uid: 0,
            flags,
            internal_date: self.now.clone(),
            message: StoredMessage::from_content(content),
            origin: 0,
        };
        Some(self.folder_mut(user, folder)?.add(held))
    }

    fn copy(&mut self, user: &str, from: &str, uid: u32, to: &str) -> Option<u32> {
        let address = self.address(user);
        let maildrop = self.maildrops.maildrop(&address);
        let held = maildrop
            .folders
            .get(from)?
            .messages
            .iter()
            .find(|m| m.uid == uid)?
            .clone();
        Some(maildrop.folders.get_mut(to)?.add(held))
    }

    fn expunge(&mut self, user: &str, folder: &str, uids: &[u32]) {
        if let Some(folder) = self.folder_mut(user, folder) {
            folder.messages.retain(|m| !uids.contains(&m.uid));
        }
    }

    fn create(&mut self, user: &str, folder: &str) -> Result<(), String> {
        let address = self.address(user);
        let maildrop = self.maildrops.maildrop(&address);
        if maildrop.folders.contains_key(folder) {
            return Err(format!("[ALREADYEXISTS] {folder} exists already"));
        }
        let validity = maildrop.next_uid_validity;
        maildrop.next_uid_validity += 1;
        maildrop
            .folders
            .insert(folder.to_string(), Folder::new(validity));
        Ok(())
    }

    fn delete(&mut self, user: &str, folder: &str) -> Result<(), String> {
        let address = self.address(user);
        match self.maildrops.maildrop(&address).folders.remove(folder) {
            Some(_) => Ok(()),
            None => Err(format!("[NONEXISTENT] there is no folder {folder}")),
        }
    }

    fn rename(&mut self, user: &str, from: &str, to: &str) -> Result<(), String> {
        let address = self.address(user);
        let maildrop = self.maildrops.maildrop(&address);
        if maildrop.folders.contains_key(to) {
            return Err(format!("[ALREADYEXISTS] {to} exists already"));
        }
        let validity = maildrop.next_uid_validity;
        maildrop.next_uid_validity += 1;
        if from == INBOX {
            // RFC 9051 §6.3.6: INBOX's mail moves to the new folder and INBOX stays, empty.
            let inbox = maildrop.inbox_mut();
            let moved = Folder {
                uid_validity: validity,
                uid_next: inbox.uid_next,
                messages: std::mem::take(&mut inbox.messages),
            };
            maildrop.folders.insert(to.to_string(), moved);
            return Ok(());
        }
        let Some(mut moved) = maildrop.folders.remove(from) else {
            return Err(format!("[NONEXISTENT] there is no folder {from}"));
        };
        moved.uid_validity = validity;
        maildrop.folders.insert(to.to_string(), moved);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
