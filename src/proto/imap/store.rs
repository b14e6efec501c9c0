//! What the IMAP server engine needs of the mail it serves, as a trait its caller implements:
//! a user's folders, each with a UIDVALIDITY, the next UID, and its messages' UIDs, flags and
//! bytes (RFC 9051 §2.3.1.1, §2.3.2). The engine keeps no mail of its own, so two sessions
//! over the same store see each other's changes.

use std::collections::BTreeSet;

/// A message as the engine sees it in a folder listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageMeta {
    pub uid: u32,
    /// System flags (`\Seen`, `\Answered`, `\Flagged`, `\Deleted`, `\Draft`) and keywords.
    pub flags: BTreeSet<String>,
    /// Octets, CRLF counted as two.
    pub size: usize,
    /// When the server received it, as IMAP writes dates: `28-Nov-2026 10:00:00 +0000`.
    pub internal_date: String,
}

/// One folder's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderStatus {
    pub uid_validity: u32,
    pub uid_next: u32,
    /// In UID order, which is also message-number order.
    pub messages: Vec<MessageMeta>,
}

/// The mail of every user of one server.
pub trait MailStore {
    /// `user`'s folders; `INBOX` is always one of them.
    fn folders(&self, user: &str) -> Vec<String>;
    fn status(&self, user: &str, folder: &str) -> Option<FolderStatus>;
    fn content(&self, user: &str, folder: &str, uid: u32) -> Option<Vec<u8>>;
    /// Replaces a message's flags; `false` if there is no such message.
    fn set_flags(&mut self, user: &str, folder: &str, uid: u32, flags: BTreeSet<String>) -> bool;
    /// Adds a message; its UID, or `None` if there is no such folder.
    fn append(
        &mut self,
        user: &str,
        folder: &str,
        content: Vec<u8>,
        flags: BTreeSet<String>,
    ) -> Option<u32>;
    /// Copies message `uid` of `from` into folder `to` under a new UID, its flags and
    /// internal date kept (RFC 9051 §6.4.7); the new UID, or `None` if either is missing.
    fn copy(&mut self, user: &str, from: &str, uid: u32, to: &str) -> Option<u32>;
    /// Removes the messages with these UIDs for good.
    fn expunge(&mut self, user: &str, folder: &str, uids: &[u32]);
    /// Errors are the words of a `NO` reply.
    fn create(&mut self, user: &str, folder: &str) -> Result<(), String>;
    fn delete(&mut self, user: &str, folder: &str) -> Result<(), String>;
    fn rename(&mut self, user: &str, from: &str, to: &str) -> Result<(), String>;
}
