//! The messages one mail server holds: a mailbox per local address, plus the outbound queue of
//! mail it accepted for other domains (RFC 5321 §4.5.4: it keeps it until it can relay it).
//!
//! Final delivery prepends `Return-Path:` with the envelope sender (RFC 5321 §4.4).

use crate::mail::maildrop::{HeldMessage, Maildrops};
use crate::proto::smtp::AcceptedMessage;

/// One RFC 5322 header field, unfolded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderField {
    pub name: String,
    pub value: String,
}

/// A message as stored: the exact bytes, and where it is headed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMessage {
    pub queue_id: String,
    /// The envelope sender; "" for the null reverse-path of a bounce.
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub content: Vec<u8>,
}

impl StoredMessage {
    /// A message without an envelope: what a client stored itself (IMAP APPEND).
    pub fn from_content(content: Vec<u8>) -> StoredMessage {
        StoredMessage {
            queue_id: String::new(),
            envelope_from: String::new(),
            envelope_to: Vec::new(),
            content,
        }
    }

    /// Size in octets, CRLF counted, as POP3 and IMAP will report it.
    pub fn size(&self) -> usize {
        self.content.len()
    }

    /// The header section's fields in order, continuation lines unfolded (RFC 5322 §2.2.3).
    pub fn header_fields(&self) -> Vec<HeaderField> {
        let text = String::from_utf8_lossy(&self.content);
        let mut fields: Vec<HeaderField> = Vec::new();
        for line in text.split("\r\n") {
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some(last) = fields.last_mut() {
                    last.value.push(' ');
                    last.value.push_str(line.trim());
                }
                continue;
            }
            if let Some((name, value)) = line.split_once(':') {
                fields.push(HeaderField {
                    name: name.trim().to_string(),
                    value: value.trim().to_string(),
                });
            }
        }
        fields
    }

    /// The first header field called `name` (ignoring case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_fields()
            .into_iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map(|f| f.value)
    }

    /// The body: everything after the first empty line.
    pub fn body(&self) -> String {
        let text = String::from_utf8_lossy(&self.content);
        text.split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default()
    }
}

/// All the mail one server holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MailStore {
    mailboxes: Maildrops,
    outbound: Vec<StoredMessage>,
}

/// Where one accepted message goes: which recipients are local, which must be relayed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Disposition {
    /// Local recipients, lower-cased: each gets a copy in its mailbox.
    pub delivered_to: Vec<String>,
    /// Recipients in other domains: one copy waits in the outbound queue for all of them.
    pub queued_for: Vec<String>,
}

/// Tells local recipients from foreign ones by domain. An address without a domain is
/// `Postmaster`, which is always local (RFC 5321 §4.1.1.3).
pub fn route_recipients(recipients: &[String], local_domains: &[String]) -> Disposition {
    let mut disposition = Disposition::default();
    for recipient in recipients {
        // A byte search for the last `@` (ASCII, so a char boundary), as `rsplit_once` finds it.
        let is_local = match recipient.bytes().rposition(|b| b == b'@') {
            Some(at) => {
                let domain = &recipient[at + 1..];
                local_domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
            }
            None => true,
        };
        if is_local {
            disposition
                .delivered_to
                .push(recipient.to_ascii_lowercase());
        } else {
            disposition.queued_for.push(recipient.clone());
        }
    }
    disposition
}

/// The bytes final delivery stores: `Return-Path:` with the envelope sender, then the message
/// as accepted (RFC 5321 §4.4).
pub fn final_delivery_bytes(message: &AcceptedMessage) -> Vec<u8> {
    const BEFORE: &[u8] = b"Return-Path: <";
    const AFTER: &[u8] = b">\r\n";
    let sender = message.reverse_path.as_bytes();
    let mut content =
        Vec::with_capacity(BEFORE.len() + sender.len() + AFTER.len() + message.content.len());
    content.extend_from_slice(BEFORE);
    content.extend_from_slice(sender);
    content.extend_from_slice(AFTER);
    content.extend_from_slice(&message.content);
    content
}

impl MailStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Files `message`: a copy with `Return-Path:` into each local recipient's INBOX (arrived
    /// at `internal_date`, as IMAP writes dates, under the caller's number `origin`), one copy
    /// of the rest into the outbound queue. Addresses without a domain (`Postmaster`) are local.
    pub fn accept(
        &mut self,
        message: &AcceptedMessage,
        local_domains: &[String],
        (internal_date, origin): (&str, u64),
    ) -> Disposition {
        let disposition = route_recipients(&message.recipients, local_domains);
        for recipient in &disposition.delivered_to {
            let stored = StoredMessage {
                queue_id: message.queue_id.clone(),
                envelope_from: message.reverse_path.clone(),
                envelope_to: vec![recipient.clone()],
                content: final_delivery_bytes(message),
            };
            self.mailboxes.maildrop(recipient).deliver_message(
                stored,
                internal_date.to_string(),
                origin,
            );
        }
        if !disposition.queued_for.is_empty() {
            self.outbound.push(StoredMessage {
                queue_id: message.queue_id.clone(),
                envelope_from: message.reverse_path.clone(),
                envelope_to: disposition.queued_for.clone(),
                content: message.content.clone(),
            });
        }
        disposition
    }

    /// Every mailbox's INBOX, by address, in address order (a mailbox once made stays,
    /// even when emptied).
    pub fn mailboxes(&self) -> impl Iterator<Item = (&str, &[HeldMessage])> {
        self.mailboxes
            .iter()
            .map(|(address, maildrop)| (address, maildrop.messages()))
    }

    /// The mailboxes with their folders, flags and locks, as POP3 and IMAP use them.
    pub fn maildrops(&self) -> &Maildrops {
        &self.mailboxes
    }

    pub fn maildrops_mut(&mut self) -> &mut Maildrops {
        &mut self.mailboxes
    }

    pub fn outbound(&self) -> &[StoredMessage] {
        &self.outbound
    }

    /// Messages in every folder of every mailbox, and in the outbound queue.
    pub fn message_count(&self) -> usize {
        self.mailboxes
            .iter()
            .map(|(_, maildrop)| maildrop.message_count())
            .sum::<usize>()
            + self.outbound.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &str = "28-Nov-2026 10:00:00 +0000";

    fn accepted(recipients: &[&str], content: &str) -> AcceptedMessage {
        AcceptedMessage {
            queue_id: "Q1".into(),
            reverse_path: "ani@alpha.example".into(),
            recipients: recipients.iter().map(|r| r.to_string()).collect(),
            content: content.as_bytes().to_vec(),
            authenticated_as: None,
        }
    }

    #[test]
    fn local_recipients_get_a_copy_with_return_path() {
        let mut store = MailStore::new();
        let local = vec!["beta.example".to_string()];
        let d = store.accept(
            &accepted(
                &["budi@beta.example", "Dewi@Beta.Example"],
                "Subject: hi\r\n\r\nbody\r\n",
            ),
            &local,
            (DATE, 1),
        );
        assert_eq!(d.delivered_to, ["budi@beta.example", "dewi@beta.example"]);
        let (address, messages) = store.mailboxes().next().unwrap();
        assert_eq!(address, "budi@beta.example");
        assert!(messages[0]
            .message
            .content
            .starts_with(b"Return-Path: <ani@alpha.example>\r\nSubject: hi\r\n"));
        assert_eq!(store.message_count(), 2);
    }

    #[test]
    fn foreign_recipients_wait_in_one_outbound_copy() {
        let mut store = MailStore::new();
        let d = store.accept(
            &accepted(&["x@gamma.example", "y@gamma.example"], "\r\n"),
            &["alpha.example".into()],
            (DATE, 1),
        );
        assert_eq!(d.queued_for.len(), 2);
        assert_eq!(store.outbound().len(), 1);
        assert_eq!(store.outbound()[0].envelope_to.len(), 2);
    }

    #[test]
    fn postmaster_without_a_domain_is_local() {
        let mut store = MailStore::new();
        let d = store.accept(
            &accepted(&["Postmaster"], "\r\n"),
            &["beta.example".into()],
            (DATE, 1),
        );
        assert_eq!(d.delivered_to, ["postmaster"]);
    }

    #[test]
    fn headers_are_unfolded_and_the_body_follows_the_blank_line() {
        let message = StoredMessage {
            queue_id: "Q".into(),
            envelope_from: String::new(),
            envelope_to: vec![],
            content: b"Received: from a\r\n\tby b; date\r\nSubject: Halo\r\n\r\nIsi pesan\r\n"
                .to_vec(),
        };
        assert_eq!(
            message.header("received").as_deref(),
            Some("from a by b; date")
        );
        assert_eq!(message.header("Subject").as_deref(), Some("Halo"));
        assert_eq!(message.body(), "Isi pesan\r\n");
        assert_eq!(message.size(), message.content.len());
    }
}
