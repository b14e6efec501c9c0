//! Mailboxes as the reading protocols see them: every message under a unique id that never
//! changes and is never reused (POP3's UIDL, RFC 1939 §7; IMAP's UID within a UIDVALIDITY,
//! RFC 9051 §2.3.1.1), and POP3's exclusive lock on a maildrop (RFC 1939 §8: a second session
//! is refused while one is open, so two clients never delete under each other).

use std::collections::BTreeMap;

use crate::proto::pop3::MaildropMessage;

/// One message in a mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldMessage {
    /// Counts up from 1 in its mailbox; a deleted message's id is never given out again.
    pub uid: u32,
    /// The bytes as final delivery stored them, CRLF line endings.
    pub content: Vec<u8>,
}

/// Why a session cannot open a maildrop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockError {
    /// Session `holder` has it open.
    InUse { holder: u64 },
}

/// One address's mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maildrop {
    /// Changes only if the mailbox's ids start over (never, here); part of every POP3 UIDL.
    uid_validity: u32,
    uid_next: u32,
    messages: Vec<HeldMessage>,
    locked_by: Option<u64>,
}

impl Default for Maildrop {
    fn default() -> Self {
        Maildrop {
            uid_validity: 1,
            uid_next: 1,
            messages: Vec::new(),
            locked_by: None,
        }
    }
}

impl Maildrop {
    /// Files `content` as the newest message; returns its uid.
    pub fn deliver(&mut self, content: Vec<u8>) -> u32 {
        let uid = self.uid_next;
        self.uid_next += 1;
        self.messages.push(HeldMessage { uid, content });
        uid
    }

    pub fn messages(&self) -> &[HeldMessage] {
        &self.messages
    }

    /// The id the next delivered message will get.
    pub fn uid_next(&self) -> u32 {
        self.uid_next
    }

    /// Opens the maildrop for POP3 session `session`: its messages, each with the UIDL string
    /// that names it across sessions.
    pub fn lock(&mut self, session: u64) -> Result<Vec<MaildropMessage>, LockError> {
        match self.locked_by {
            Some(holder) if holder != session => Err(LockError::InUse { holder }),
            _ => {
                self.locked_by = Some(session);
                Ok(self
                    .messages
                    .iter()
                    .map(|message| MaildropMessage {
                        uid: self.uidl(message.uid),
                        content: message.content.clone(),
                    })
                    .collect())
            }
        }
    }

    /// Ends `session`'s hold, first removing the messages of its snapshot at `deleted`
    /// (indexes into what [`lock`](Self::lock) gave it). Mail delivered meanwhile stays.
    pub fn unlock(&mut self, session: u64, snapshot: &[MaildropMessage], deleted: &[usize]) {
        if self.locked_by != Some(session) {
            return;
        }
        let gone: Vec<&str> = deleted
            .iter()
            .filter_map(|&index| snapshot.get(index))
            .map(|message| message.uid.as_str())
            .collect();
        let validity = self.uid_validity;
        self.messages
            .retain(|message| !gone.contains(&uidl(validity, message.uid).as_str()));
        self.locked_by = None;
    }

    fn uidl(&self, uid: u32) -> String {
        uidl(self.uid_validity, uid)
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
    /// Files `content` in `address`'s mailbox (made on first delivery); returns its uid.
    pub fn deliver(&mut self, address: &str, content: Vec<u8>) -> u32 {
        self.by_address
            .entry(address.to_ascii_lowercase())
            .or_default()
            .deliver(content)
    }

    /// `address`'s mailbox, made empty if it had no mail yet.
    pub fn maildrop(&mut self, address: &str) -> &mut Maildrop {
        self.by_address
            .entry(address.to_ascii_lowercase())
            .or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_count_up_and_are_never_reused() {
        let mut mailbox = Maildrop::default();
        assert_eq!(mailbox.deliver(b"a\r\n".to_vec()), 1);
        assert_eq!(mailbox.deliver(b"b\r\n".to_vec()), 2);
        let snapshot = mailbox.lock(7).unwrap();
        mailbox.unlock(7, &snapshot, &[1]);
        assert_eq!(mailbox.deliver(b"c\r\n".to_vec()), 3);
        let uids: Vec<u32> = mailbox.messages().iter().map(|m| m.uid).collect();
        assert_eq!(uids, [1, 3]);
        assert_eq!(mailbox.uid_next(), 4);
    }

    #[test]
    fn a_second_session_is_locked_out_until_the_first_unlocks() {
        let mut mailbox = Maildrop::default();
        mailbox.deliver(b"a\r\n".to_vec());
        let snapshot = mailbox.lock(1).unwrap();
        assert_eq!(mailbox.lock(2), Err(LockError::InUse { holder: 1 }));
        mailbox.unlock(2, &snapshot, &[0]);
        assert_eq!(mailbox.messages().len(), 1, "only the holder unlocks");
        mailbox.unlock(1, &snapshot, &[]);
        assert!(mailbox.lock(2).is_ok());
    }

    #[test]
    fn deleting_goes_by_id_so_mail_delivered_meanwhile_stays() {
        let mut mailbox = Maildrop::default();
        mailbox.deliver(b"old\r\n".to_vec());
        let snapshot = mailbox.lock(1).unwrap();
        assert_eq!(snapshot[0].uid, "1.1");
        mailbox.deliver(b"new\r\n".to_vec());
        mailbox.unlock(1, &snapshot, &[0]);
        let left: Vec<&[u8]> = mailbox.messages().iter().map(|m| &m.content[..]).collect();
        assert_eq!(left, [b"new\r\n"]);
    }

    #[test]
    fn addresses_are_one_mailbox_whatever_their_case() {
        let mut drops = Maildrops::default();
        drops.deliver("Budi@Beta.Example", b"x\r\n".to_vec());
        assert_eq!(drops.maildrop("budi@beta.example").messages().len(), 1);
    }
}
