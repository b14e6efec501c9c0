//! The mail clients of the devices (laptop-budi, phone-budi): what each has on it, and the
//! sessions it opens to read mail ([`Command::CheckMail`](super::Command::CheckMail)).
//!
//! With POP3 a device downloads each message and, in the classic habit, deletes it from the
//! server, so the other device later finds nothing; left on the server, only what is new is
//! downloaded, by unique id (RFC 1939 §7). Reading a POP3 message is this device's business
//! only. With IMAP the mail stays on the server: a device copies what is new, takes over the
//! flags other devices set, forgets what is gone, and sends what the learner did here (read,
//! flag, delete, move) so the other device sees it at its next sync (RFC 9051). An IMAP
//! client shows the server's folders and syncs every one; a POP3 download lands in the
//! device's own INBOX, since POP3 knows no folders.

use std::collections::BTreeSet;

use super::mailbox_sessions::MailboxSession;
use super::sessions::Application;
use super::{Applied, CommandError, World};
use crate::mail::maildrop::SEEN;
use crate::proto::imap::client::{
    FolderAction, ImapClient, ImapClientEvent, SyncOutcome, SyncState, INBOX,
};
use crate::proto::pop3::{FetchMode, FetchOutcome, Pop3Client};
use crate::sim::event::{EventKind, MailboxProtocol};
use crate::sim::id::{ConnectionId, HostId};

/// A message on a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceMessage {
    /// How it came: a POP3 download or an IMAP copy.
    pub protocol: MailboxProtocol,
    /// The folder it is in: an IMAP folder on the server, or INBOX for a POP3 download.
    pub folder: String,
    /// POP3's unique id (`1.3`) or IMAP's UID (`3`, unique within its folder).
    pub id: String,
    pub content: Vec<u8>,
    /// IMAP: the flags on the server as last synced. POP3: this device's own, `\Seen` once
    /// the learner opened it here.
    pub flags: BTreeSet<String>,
}

impl DeviceMessage {
    pub fn is_seen(&self) -> bool {
        self.flags.contains(SEEN)
    }

    /// The IMAP UID, for an IMAP copy.
    pub fn uid(&self) -> Option<u32> {
        match self.protocol {
            MailboxProtocol::Imap => self.id.parse().ok(),
            MailboxProtocol::Pop3 => None,
        }
    }
}

/// How a device's last session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionEnd {
    pub protocol: MailboxProtocol,
    pub connection: ConnectionId,
    /// It logged in and did all it meant to.
    pub ok: bool,
    /// In words, as logged (`2 downloaded, 2 deleted from the server, 0 left there`).
    pub outcome: String,
}

/// Everything one device's mail client holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceMail {
    /// Oldest first.
    pub messages: Vec<DeviceMessage>,
    /// The server's folders as the last IMAP session listed them, INBOX first; empty before
    /// an IMAP session, and for a device that only used POP3.
    pub folders: Vec<String>,
    /// POP3 unique ids downloaded before (leave-on-server mode downloads only new ones).
    pop3_seen: BTreeSet<String>,
    imap: SyncState,
    /// Counts of the IMAP session under way: new, changed elsewhere, gone.
    imap_counts: (usize, usize, usize),
    pub last: Option<SessionEnd>,
    /// A session is open.
    pub busy: bool,
}

impl World {
    /// [`Command::CheckMail`](super::Command::CheckMail).
    pub(super) fn check_mail(
        &mut self,
        host: HostId,
        server: HostId,
        (user, password): (&str, &str),
        protocol: MailboxProtocol,
        keep_on_server: bool,
        actions: Vec<FolderAction>,
    ) -> Result<Applied, CommandError> {
        let (local_address, remote_address) = self.connection_addresses(host, server)?;
        let device = self.devices.get_or_insert_with(host, Default::default);
        let session = match protocol {
            MailboxProtocol::Pop3 => {
                let mode = if keep_on_server {
                    FetchMode::LeaveOnServer
                } else {
                    FetchMode::DownloadAndDelete
                };
                let seen = device.pop3_seen.clone();
                MailboxSession::Pop3Client(Pop3Client::new(user, password, mode, seen))
            }
            MailboxProtocol::Imap => {
                let known = device.imap.clone();
                device.imap_counts = (0, 0, 0);
                MailboxSession::ImapClient(ImapClient::new(user, password, known, actions))
            }
        };
        device.busy = true;
        let (connection, _) = self.open_active(
            host,
            (local_address, remote_address, protocol.port()),
            Application::Mailbox(Box::new(session)),
        );
        Ok(Applied::Connected { connection })
    }

    /// [`Command::ReadOnDevice`](super::Command::ReadOnDevice): the learner opened a POP3
    /// message on this device; only this device knows.
    pub(super) fn read_on_device(
        &mut self,
        host: HostId,
        id: &str,
    ) -> Result<Applied, CommandError> {
        let message = self
            .devices
            .get_mut(&host)
            .and_then(|device| {
                device
                    .messages
                    .iter_mut()
                    .find(|m| m.protocol == MailboxProtocol::Pop3 && m.id == id)
            })
            .ok_or_else(|| CommandError::NoSuchMessage(id.to_string()))?;
        message.flags.insert(SEEN.to_string());
        Ok(Applied::Done)
    }

    /// What a device's mail client holds; `None` before its first session.
    pub fn device_mail(&self, host: HostId) -> Option<&DeviceMail> {
        self.devices.get(&host)
    }

    pub(super) fn device_downloaded(&mut self, host: HostId, uid: String, content: Vec<u8>) {
        let device = self.devices.get_or_insert_with(host, Default::default);
        device.messages.push(DeviceMessage {
            protocol: MailboxProtocol::Pop3,
            folder: INBOX.to_string(),
            id: uid,
            content,
            flags: BTreeSet::new(),
        });
    }

    pub(super) fn device_fetched(
        &mut self,
        host: HostId,
        connection: ConnectionId,
        seen: BTreeSet<String>,
        outcome: &FetchOutcome,
    ) {
        let (ok, words) = match outcome {
            FetchOutcome::Fetched {
                downloaded,
                deleted,
                left,
            } => (
                true,
                format!(
                    "{downloaded} downloaded, {deleted} deleted from the server, {left} left there"
                ),
            ),
            FetchOutcome::Refused { command, reply } => {
                (false, format!("refused at {command}: {reply}"))
            }
            FetchOutcome::ProtocolError { line } => (false, format!("protocol error: {line}")),
        };
        let device = self.devices.get_or_insert_with(host, Default::default);
        device.pop3_seen = seen;
        self.session_ended(host, connection, MailboxProtocol::Pop3, ok, words);
    }

    pub(super) fn device_synced_event(
        &mut self,
        host: HostId,
        connection: ConnectionId,
        state: &SyncState,
        event: ImapClientEvent,
    ) {
        let device = self.devices.get_or_insert_with(host, Default::default);
        let imap_copy =
            |m: &DeviceMessage, folder: &str, uid: u32| m.folder == folder && m.uid() == Some(uid);
        match event {
            ImapClientEvent::Sent { .. } => {}
            ImapClientEvent::Folders { names } => device.folders = names,
            ImapClientEvent::Fetched {
                folder,
                uid,
                flags,
                content,
            } => {
                device.imap_counts.0 += 1;
                device.messages.push(DeviceMessage {
                    protocol: MailboxProtocol::Imap,
                    folder,
                    id: uid.to_string(),
                    content,
                    flags,
                });
            }
            ImapClientEvent::FlagsChanged { folder, uid, flags } => {
                device.imap_counts.1 += 1;
                if let Some(message) = device
                    .messages
                    .iter_mut()
                    .find(|m| imap_copy(m, &folder, uid))
                {
                    message.flags = flags;
                }
            }
            ImapClientEvent::Gone { folder, uid } => {
                device.imap_counts.2 += 1;
                device.messages.retain(|m| !imap_copy(m, &folder, uid));
            }
            ImapClientEvent::Finished(outcome) => {
                // What this device did itself (read, flag, delete, move) is in the state.
                device.imap = state.clone();
                device.folders = state.folder_names();
                device.messages.retain_mut(|m| {
                    let Some(uid) = m.uid() else { return true };
                    let known = state.folders.get(&m.folder);
                    match known.and_then(|folder| folder.messages.get(&uid)) {
                        Some(flags) => {
                            m.flags.clone_from(flags);
                            true
                        }
                        None => false,
                    }
                });
                let (new, changed, gone) = device.imap_counts;
                let (ok, words) = match outcome {
                    SyncOutcome::Synced => (
                        true,
                        format!("{new} new, {changed} changed elsewhere, {gone} gone"),
                    ),
                    SyncOutcome::Refused { command, reply } => {
                        (false, format!("refused at {command}: {reply}"))
                    }
                    SyncOutcome::ProtocolError { line } => {
                        (false, format!("protocol error: {line}"))
                    }
                };
                self.session_ended(host, connection, MailboxProtocol::Imap, ok, words);
            }
        }
    }

    fn session_ended(
        &mut self,
        host: HostId,
        connection: ConnectionId,
        protocol: MailboxProtocol,
        ok: bool,
        words: String,
    ) {
        let device = self.devices.get_or_insert_with(host, Default::default);
        device.busy = false;
        device.last = Some(SessionEnd {
            protocol,
            connection,
            ok,
            outcome: words.clone(),
        });
        let outcome = self.log.text(&words);
        self.record(EventKind::MailboxSynced {
            host,
            connection,
            protocol,
            ok,
            outcome,
        });
    }
}
