//! Reading mail in the world: POP3 (port 110, RFC 1939) and IMAP (port 143, RFC 9051) on the
//! mail servers, and the mail clients of the devices, on simulated TCP connections like SMTP.
//!
//! A server session reads and changes its host's mailboxes ([`crate::mail::maildrop`]): a POP3
//! session locks the user's maildrop when the password is right and, at `QUIT`, removes what
//! was marked (a connection that ends any other way deletes nothing); an IMAP session works on
//! the folders directly, and every other IMAP session on the host hears of the change (in IDLE
//! at once, otherwise before its next command's answer). What changed for a delivered message
//! (deleted, read, flagged, moved) is logged as [`EventKind::MailboxChanged`], by protocol.
//!
//! A client session is a device's mail client ([`crate::proto::pop3::Pop3Client`],
//! [`crate::proto::imap::client::ImapClient`]); what it fetched and learned lands in the
//! device's [`DeviceMail`](super::devices::DeviceMail).
//!
//! Both ends log their lines: commands as [`EventKind::MailboxCommand`], server lines as
//! [`EventKind::MailboxReply`] (an IMAP literal shown by its size).

use std::collections::BTreeSet;

use super::sessions::{close, Application, Connection};
use super::World;
use crate::mail::maildrop::{DomainMail, Maildrop, INBOX, SEEN};
use crate::proto::imap::client::{ImapClient, ImapClientEvent};
use crate::proto::imap::response::{date_time, shown_lines};
use crate::proto::imap::server::{ImapServer, ImapState};
use crate::proto::login::Login;
use crate::proto::pop3::{MaildropMessage, Pop3Client, Pop3ClientEvent, Pop3Event, Pop3Server};
use crate::sim::default_world;
use crate::sim::event::{EventKind, MailboxChange, MailboxProtocol};
use crate::sim::id::{ConnectionId, HostId, MessageId};

/// The `\Flagged` system flag (RFC 9051 §2.3.2).
const FLAGGED: &str = "\\Flagged";

/// A mail-reading service a server offers: the protocol, and whose mailboxes it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MailboxService {
    pub(super) protocol: MailboxProtocol,
    pub(super) host_name: String,
    /// Users log in with the local part: `budi` reads `budi@<domain>`.
    pub(super) domain: String,
    pub(super) accounts: Vec<Login>,
}

impl MailboxService {
    /// `protocol` on `host_name` for the accounts of `domain`.
    pub(super) fn new(protocol: MailboxProtocol, host_name: &str, domain: &str) -> Self {
        MailboxService {
            protocol,
            host_name: host_name.to_string(),
            domain: domain.to_string(),
            accounts: default_world::accounts_of(domain)
                .into_iter()
                .map(|account| Login {
                    user: account.user,
                    password: account.password,
                })
                .collect(),
        }
    }
}

/// What runs on a POP3 or IMAP connection, at either end.
pub(super) enum MailboxSession {
    Pop3Server {
        server: Pop3Server,
        domain: String,
        /// The maildrop this session locked, and what the engine was given of it.
        hold: Option<Pop3Hold>,
    },
    ImapServer {
        server: ImapServer,
        domain: String,
    },
    Pop3Client(Pop3Client),
    ImapClient(ImapClient),
}

pub(super) struct Pop3Hold {
    address: String,
    snapshot: Vec<MaildropMessage>,
}

impl MailboxSession {
    /// A new server session of `service`; its greeting is queued at once.
    pub(super) fn server(service: &MailboxService, session: u64) -> MailboxSession {
        match service.protocol {
            MailboxProtocol::Pop3 => MailboxSession::Pop3Server {
                server: Pop3Server::new(&service.host_name, service.accounts.clone(), session),
                domain: service.domain.clone(),
                hold: None,
            },
            MailboxProtocol::Imap => MailboxSession::ImapServer {
                server: ImapServer::new(&service.host_name, service.accounts.clone()),
                domain: service.domain.clone(),
            },
        }
    }

    pub(super) fn protocol(&self) -> MailboxProtocol {
        match self {
            MailboxSession::Pop3Server { .. } | MailboxSession::Pop3Client(_) => {
                MailboxProtocol::Pop3
            }
            MailboxSession::ImapServer { .. } | MailboxSession::ImapClient(_) => {
                MailboxProtocol::Imap
            }
        }
    }

    pub(super) fn is_server(&self) -> bool {
        matches!(
            self,
            MailboxSession::Pop3Server { .. } | MailboxSession::ImapServer { .. }
        )
    }
}

/// One delivered message as a change-watcher sees it: folder, uid, the world's message id
/// and flags.
type Seen = Vec<(String, u32, u64, BTreeSet<String>)>;

fn seen_in(maildrop: Option<&Maildrop>) -> Seen {
    let Some(maildrop) = maildrop else {
        return Vec::new();
    };
    maildrop
        .folders()
        .flat_map(|(name, folder)| {
            folder
                .messages()
                .iter()
                .filter(|held| held.origin != 0)
                .map(move |held| (name.to_string(), held.uid, held.origin, held.flags.clone()))
        })
        .collect()
}

/// What happened to each INBOX message between `before` and `after`.
fn changes(before: &Seen, after: &Seen) -> Vec<(u64, MailboxChange)> {
    let mut found = Vec::new();
    for (folder, uid, origin, flags) in before.iter().filter(|m| m.0 == INBOX) {
        let now = after.iter().find(|m| m.0 == *folder && m.1 == *uid);
        let Some((_, _, _, flags_now)) = now else {
            let filed_elsewhere = |seen: &Seen| {
                seen.iter()
                    .filter(|m| m.0 != INBOX && m.2 == *origin)
                    .count()
            };
            let change = if filed_elsewhere(after) > filed_elsewhere(before) {
                MailboxChange::Moved
            } else {
                MailboxChange::Deleted
            };
            found.push((*origin, change));
            continue;
        };
        let gained = |flag: &str| !flags.contains(flag) && flags_now.contains(flag);
        if gained(SEEN) {
            found.push((*origin, MailboxChange::Read));
        } else if flags.contains(SEEN) && !flags_now.contains(SEEN) {
            found.push((*origin, MailboxChange::Unread));
        }
        if gained(FLAGGED) {
            found.push((*origin, MailboxChange::Flagged));
        }
    }
    found
}

impl World {
    /// Client bytes reached a server session, or server bytes a client.
    pub(super) fn mailbox_received(
        &mut self,
        host: HostId,
        id: ConnectionId,
        session: &mut MailboxSession,
        data: &[u8],
    ) {
        match session {
            MailboxSession::Pop3Server { server, .. } => server.handle_input(data),
            MailboxSession::Pop3Client(client) => client.handle_input(data),
            MailboxSession::ImapClient(client) => client.handle_input(data),
            MailboxSession::ImapServer { server, domain } => {
                let address = server.user().map(|user| format!("{user}@{domain}"));
                let before = address.as_deref().map(|a| self.seen_on(host, a));
                let now = date_time(self.unix_now());
                let store = self.mail_stores.get_or_insert_with(host, Default::default);
                server.handle_input(
                    data,
                    &mut DomainMail {
                        maildrops: store.maildrops_mut(),
                        domain,
                        now,
                    },
                );
                if let (Some(address), Some(before)) = (address, before) {
                    let after = self.seen_on(host, &address);
                    if before != after {
                        let found = changes(&before, &after);
                        self.log_mailbox_changes(host, &address, found, MailboxProtocol::Imap);
                        self.notify_imap_sessions(host, Some(id));
                    }
                }
            }
        }
    }

    fn seen_on(&self, host: HostId, address: &str) -> Seen {
        seen_in(
            self.mail_stores
                .get(&host)
                .and_then(|store| store.maildrops().get(address)),
        )
    }

    fn log_mailbox_changes(
        &mut self,
        host: HostId,
        address: &str,
        found: Vec<(u64, MailboxChange)>,
        by: MailboxProtocol,
    ) {
        if found.is_empty() {
            return;
        }
        let messages_now = self
            .mail_stores
            .get(&host)
            .and_then(|store| store.maildrops().get(address))
            .map_or(0, |maildrop| maildrop.messages().len() as u32);
        let mailbox = self.log.text(address);
        for (origin, change) in found {
            let Ok(message) = u32::try_from(origin) else {
                continue;
            };
            self.record(EventKind::MailboxChanged {
                host,
                mailbox: mailbox.clone(),
                message: MessageId(message),
                change,
                messages_now,
                by: Some(by),
            });
        }
    }

    /// Every IMAP session on `host` but `except` learns the mailboxes changed; one waiting
    /// in IDLE answers at once.
    pub(super) fn notify_imap_sessions(&mut self, host: HostId, except: Option<ConnectionId>) {
        let listening: Vec<ConnectionId> = self
            .imap_sessions
            .iter()
            .filter(|(on, id)| *on == host && Some(*id) != except)
            .map(|(_, id)| *id)
            .collect();
        for id in listening {
            let Some(connection) = self.connections.get_mut(&id) else {
                continue;
            };
            let Application::Mailbox(session) = &mut connection.app else {
                continue;
            };
            let MailboxSession::ImapServer { server, domain } = &mut **session else {
                continue;
            };
            let Some(store) = self.mail_stores.get_mut(&host) else {
                continue;
            };
            server.notify(&DomainMail {
                maildrops: store.maildrops_mut(),
                domain,
                now: String::new(),
            });
            self.drive(id);
        }
    }

    /// Drains a mailbox session's output and events; `true` if anything moved.
    pub(super) fn run_mailbox(&mut self, connection: &mut Connection, id: ConnectionId) -> bool {
        let host = connection.host;
        let server = self
            .topology
            .interface_with_address(connection.remote.0)
            .map_or(host, |interface| interface.host);
        let Application::Mailbox(session) = &mut connection.app else {
            return false;
        };
        let protocol = session.protocol();
        let mut output = Vec::new();
        let mut lines = Vec::new();
        let mut finished = false;
        match &mut **session {
            MailboxSession::Pop3Server {
                server,
                domain,
                hold,
            } => {
                while let Some(event) = server.poll_event() {
                    match event {
                        Pop3Event::Replied { ok, text, .. } => {
                            let sign = if ok { "+OK" } else { "-ERR" };
                            lines.push(if text.is_empty() {
                                sign.to_string()
                            } else {
                                format!("{sign} {text}")
                            });
                        }
                        Pop3Event::MaildropWanted { user } => {
                            let address = format!("{user}@{domain}");
                            let session_id = u64::from(id.0);
                            let store = self.mail_stores.get_or_insert_with(host, Default::default);
                            match store.maildrops_mut().maildrop(&address).lock(session_id) {
                                Ok(snapshot) => {
                                    *hold = Some(Pop3Hold {
                                        address,
                                        snapshot: snapshot.clone(),
                                    });
                                    server.grant_maildrop(snapshot);
                                }
                                Err(_) => server.refuse_maildrop(),
                            }
                        }
                        Pop3Event::Committed { deleted, .. } => {
                            if let Some(hold) = hold.take() {
                                self.release_pop3(host, id, hold, &deleted);
                            }
                        }
                        Pop3Event::Closed { .. } => finished = true,
                    }
                }
                while let Some(bytes) = server.poll_output() {
                    output.push(bytes);
                }
            }
            MailboxSession::ImapServer { server, .. } => {
                while let Some(bytes) = server.poll_output() {
                    lines.extend(shown_lines(&bytes));
                    output.push(bytes);
                }
                finished = server.state() == ImapState::Logout;
            }
            MailboxSession::Pop3Client(client) => {
                while let Some(bytes) = client.poll_output() {
                    output.push(bytes);
                }
                while let Some(event) = client.poll_event() {
                    match event {
                        Pop3ClientEvent::Sent { line } => lines.push(line),
                        Pop3ClientEvent::Received { .. } => {}
                        Pop3ClientEvent::Downloaded { uid, content } => {
                            self.record(EventKind::MessageDownloaded {
                                host,
                                server,
                                connection: id,
                                protocol,
                            });
                            self.device_downloaded(host, uid, content)
                        }
                        Pop3ClientEvent::Finished(outcome) => {
                            self.device_fetched(host, id, client.seen().clone(), &outcome)
                        }
                    }
                }
                finished = client.is_finished();
            }
            MailboxSession::ImapClient(client) => {
                while let Some(bytes) = client.poll_output() {
                    output.push(bytes);
                }
                let mut events = Vec::new();
                while let Some(event) = client.poll_event() {
                    match event {
                        ImapClientEvent::Sent { line } => lines.push(line),
                        other => events.push(other),
                    }
                }
                let state = client.state().clone();
                for event in events {
                    if matches!(event, ImapClientEvent::Fetched { .. }) {
                        self.record(EventKind::MessageDownloaded {
                            host,
                            server,
                            connection: id,
                            protocol,
                        });
                    }
                    self.device_synced_event(host, id, &state, event);
                }
                finished = client.is_finished();
            }
        }
        let progressed = !output.is_empty() || !lines.is_empty();
        for line in lines {
            let line = self.log.text(&line);
            let kind = if session.is_server() {
                EventKind::MailboxReply {
                    host,
                    connection: id,
                    protocol,
                    line,
                }
            } else {
                EventKind::MailboxCommand {
                    host,
                    connection: id,
                    protocol,
                    line,
                }
            };
            self.record(kind);
        }
        for bytes in output {
            let _ = connection.tcp.send(&bytes);
        }
        if finished {
            close(connection);
        }
        progressed
    }

    /// Ends a POP3 hold: the messages at `deleted` go, the lock is released, and every IMAP
    /// session on the host hears of it.
    fn release_pop3(&mut self, host: HostId, id: ConnectionId, hold: Pop3Hold, deleted: &[usize]) {
        let Some(store) = self.mail_stores.get_mut(&host) else {
            return;
        };
        let removed = store.maildrops_mut().maildrop(&hold.address).unlock(
            u64::from(id.0),
            &hold.snapshot,
            deleted,
        );
        if removed.is_empty() {
            return;
        }
        let found = removed
            .iter()
            .filter(|held| held.origin != 0)
            .map(|held| (held.origin, MailboxChange::Deleted))
            .collect();
        self.log_mailbox_changes(host, &hold.address, found, MailboxProtocol::Pop3);
        self.notify_imap_sessions(host, None);
    }

    /// A mailbox connection ended other than by QUIT or LOGOUT (closed, reset, its host
    /// switched off): a POP3 lock is released with nothing deleted (RFC 1939 §6), a client
    /// learns the connection is gone.
    pub(super) fn mailbox_connection_ended(
        &mut self,
        connection: &mut Connection,
        id: ConnectionId,
    ) {
        let host = connection.host;
        let Application::Mailbox(session) = &mut connection.app else {
            return;
        };
        match &mut **session {
            MailboxSession::Pop3Server { server, hold, .. } => {
                server.connection_lost();
                if let Some(hold) = hold.take() {
                    self.release_pop3(host, id, hold, &[]);
                }
            }
            MailboxSession::ImapServer { .. } => self.imap_sessions.retain(|(_, open)| *open != id),
            MailboxSession::Pop3Client(client) => client.connection_closed(),
            MailboxSession::ImapClient(client) => client.connection_closed(),
        }
        self.run_mailbox(connection, id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(
        folder: &str,
        uid: u32,
        origin: u64,
        flags: &[&str],
    ) -> (String, u32, u64, BTreeSet<String>) {
        (
            folder.to_string(),
            uid,
            origin,
            flags.iter().map(|f| f.to_string()).collect(),
        )
    }

    #[test]
    fn a_message_gone_from_the_inbox_is_moved_when_another_folder_gained_it() {
        let before = vec![message(INBOX, 1, 7, &[]), message(INBOX, 2, 8, &[])];
        let after = vec![message(INBOX, 2, 8, &[]), message("Arsip", 1, 7, &[])];
        assert_eq!(changes(&before, &after), [(7, MailboxChange::Moved)]);
        let after = vec![message(INBOX, 2, 8, &[])];
        assert_eq!(changes(&before, &after), [(7, MailboxChange::Deleted)]);
    }

    #[test]
    fn flags_gained_and_lost_are_reported() {
        let before = vec![message(INBOX, 1, 7, &[]), message(INBOX, 2, 8, &[SEEN])];
        let after = vec![
            message(INBOX, 1, 7, &[SEEN, FLAGGED]),
            message(INBOX, 2, 8, &[]),
        ];
        assert_eq!(
            changes(&before, &after),
            [
                (7, MailboxChange::Read),
                (7, MailboxChange::Flagged),
                (8, MailboxChange::Unread)
            ]
        );
    }

    #[test]
    fn other_folders_are_not_watched() {
        let before = vec![message("Arsip", 1, 7, &[])];
        assert!(changes(&before, &Vec::new()).is_empty());
    }
}
