//! SMTP, POP3 and IMAP side by side (RFC 5321, RFC 1939, RFC 9051): six points of comparison
//! — port, direction, where mail is kept, several devices, folders and flags, offline use — and
//! which of them the learner has seen happen in the simulator, decided from the world's event
//! log and the devices' state ([`experienced`]). The table is markup with every text escaped
//! ([`comparison_markup`]).

use std::fmt::Write;

use super::devices::DEVICES;
use super::markup::escape;
use crate::sim::event::{EventKind, MailboxChange, MailboxProtocol};
use crate::sim::id::HostId;
use crate::sim::world::{DeviceMail, World};

/// The table's columns, in order.
pub const PROTOCOLS: [&str; 3] = ["SMTP", "POP3", "IMAP"];

/// The rows, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    Port,
    Direction,
    WhereKept,
    SeveralDevices,
    FoldersAndFlags,
    Offline,
}

impl Aspect {
    pub const ALL: [Aspect; 6] = [
        Aspect::Port,
        Aspect::Direction,
        Aspect::WhereKept,
        Aspect::SeveralDevices,
        Aspect::FoldersAndFlags,
        Aspect::Offline,
    ];
}

/// Whether a row says something about a protocol that can be seen happen: SMTP neither
/// serves several devices nor keeps folders or flags.
pub fn applies(aspect: Aspect, column: usize) -> bool {
    column != 0 || !matches!(aspect, Aspect::SeveralDevices | Aspect::FoldersAndFlags)
}

/// Per row (in [`Aspect::ALL`] order) and column (in [`PROTOCOLS`] order): seen happen.
pub type Experienced = [[bool; 3]; 6];

/// What the learner has seen happen so far. A cell lights when:
/// - port: a session of that protocol took place (SMTP command, POP3 or IMAP command);
/// - direction: SMTP pushed a message on (a client's attempt delivered, or a relay); POP3 or
///   IMAP pulled at least one message to a device;
/// - where kept: SMTP filed a message in a mailbox; POP3 deleted a message from the server
///   after downloading it; a device holds an IMAP copy whose original is still on the server;
/// - several devices: with POP3, a device checked after another one's download deleted the
///   mail; with IMAP, both devices synced and one took over a change made elsewhere;
/// - folders and flags: a POP3 message read on one device is still unread on the other; IMAP
///   moved or flagged a message on the server;
/// - offline: a server queued mail it could not pass on yet; a POP3 download was read on the
///   device; an IMAP device sent what was done on it (read, flag, move, delete) to the server.
pub fn experienced(world: &World) -> Experienced {
    let mut lit = [[false; 3]; 6];
    let mut set = |aspect: Aspect, column: usize| lit[aspect as usize][column] = true;
    // POP3 deletions not yet followed by the deleting device's own end of session.
    let mut pop3_deleted_pending = false;
    let mut pop3_deleter: Option<HostId> = None;
    let mut imap_synced: Vec<HostId> = Vec::new();
    let mut imap_changed_elsewhere = false;
    for event in world.events() {
        match &event.kind {
            EventKind::SmtpCommand { .. } => set(Aspect::Port, 0),
            EventKind::MailAttemptFinished {
                delivered: true, ..
            }
            | EventKind::MessageRelayed { .. } => set(Aspect::Direction, 0),
            EventKind::MessageDelivered { .. } => set(Aspect::WhereKept, 0),
            EventKind::MessageDeferred { .. } => set(Aspect::Offline, 0),
            EventKind::MailboxCommand { protocol, .. } => set(Aspect::Port, column(*protocol)),
            EventKind::MailboxChanged {
                change,
                by: Some(by),
                ..
            } => match (by, change) {
                (MailboxProtocol::Pop3, MailboxChange::Deleted) => {
                    set(Aspect::WhereKept, 1);
                    pop3_deleted_pending = true;
                }
                (MailboxProtocol::Imap, MailboxChange::Moved | MailboxChange::Flagged) => {
                    set(Aspect::FoldersAndFlags, 2);
                    set(Aspect::Offline, 2);
                }
                (
                    MailboxProtocol::Imap,
                    MailboxChange::Read | MailboxChange::Unread | MailboxChange::Deleted,
                ) => set(Aspect::Offline, 2),
                _ => {}
            },
            EventKind::MailboxSynced {
                host,
                protocol,
                ok: true,
                outcome,
                ..
            } => match protocol {
                MailboxProtocol::Pop3 => {
                    if counted(outcome, "downloaded") > 0 {
                        set(Aspect::Direction, 1);
                    }
                    if std::mem::take(&mut pop3_deleted_pending) {
                        pop3_deleter = Some(*host);
                    } else if pop3_deleter.is_some_and(|deleter| deleter != *host) {
                        set(Aspect::SeveralDevices, 1);
                    }
                }
                MailboxProtocol::Imap => {
                    if counted(outcome, "new") > 0 {
                        set(Aspect::Direction, 2);
                    }
                    if !imap_synced.contains(host) {
                        imap_synced.push(*host);
                    }
                    if counted(outcome, "changed elsewhere") + counted(outcome, "gone") > 0 {
                        imap_changed_elsewhere = true;
                    }
                }
            },
            _ => {}
        }
    }
    if imap_changed_elsewhere && imap_synced.len() >= 2 {
        set(Aspect::SeveralDevices, 2);
    }
    let devices: Vec<&DeviceMail> = DEVICES
        .iter()
        .filter_map(|name| world.device_mail(world.topology().host_id(name)?))
        .collect();
    let pop3_read: Vec<&str> = devices
        .iter()
        .flat_map(|device| &device.messages)
        .filter(|m| m.protocol == MailboxProtocol::Pop3 && m.is_seen())
        .map(|m| m.id.as_str())
        .collect();
    if !pop3_read.is_empty() {
        set(Aspect::Offline, 1);
    }
    let unread_elsewhere = devices.iter().any(|device| {
        device.messages.iter().any(|m| {
            m.protocol == MailboxProtocol::Pop3
                && !m.is_seen()
                && pop3_read.contains(&m.id.as_str())
        })
    });
    if unread_elsewhere {
        set(Aspect::FoldersAndFlags, 1);
    }
    if imap_copy_on_server(world, &devices) {
        set(Aspect::WhereKept, 2);
    }
    lit
}

fn column(protocol: MailboxProtocol) -> usize {
    match protocol {
        MailboxProtocol::Pop3 => 1,
        MailboxProtocol::Imap => 2,
    }
}

/// The number before `label` in a session's outcome as the world logs it (`2 downloaded,
/// 2 deleted from the server, 0 left there`; `1 new, 0 changed elsewhere, 0 gone`); 0 when
/// absent.
fn counted(outcome: &str, label: &str) -> usize {
    outcome
        .split(", ")
        .find_map(|part| {
            let (number, rest) = part.split_once(' ')?;
            (rest == label).then(|| number.parse().ok()).flatten()
        })
        .unwrap_or(0)
}

/// Some device holds an IMAP copy of a message still in a server INBOX.
fn imap_copy_on_server(world: &World, devices: &[&DeviceMail]) -> bool {
    let on_server: Vec<u32> = world
        .mail_stores()
        .flat_map(|(_, store)| store.maildrops().iter())
        .flat_map(|(_, maildrop)| maildrop.messages().iter().map(|m| m.uid))
        .collect();
    devices
        .iter()
        .flat_map(|device| &device.messages)
        .filter_map(|m| m.uid())
        .any(|uid| on_server.contains(&uid))
}

/// The table's words in one language.
pub struct TableWords<'a> {
    pub caption: &'a str,
    /// The corner cell, over the row headings.
    pub corner: &'a str,
    pub rows: &'a [&'a str; 6],
    pub cells: &'a [[&'a str; 3]; 6],
    /// What a lit cell says to a screen reader, and beside its marker.
    pub experienced: &'a str,
    pub not_yet: &'a str,
    /// What a cell of a row that does not apply says to a screen reader.
    pub not_applicable: &'a str,
}

/// The comparison as an HTML table: a lit cell carries a check mark and the words
/// `experienced`, an unlit one a hollow circle and `not_yet` for screen readers, one that
/// does not apply a dash and `not_applicable`.
pub fn comparison_markup(lit: &Experienced, words: &TableWords) -> String {
    let mut html = String::from("<table class=\"kr-compare__table\"><caption>");
    html.push_str(&escape(words.caption));
    let _ = write!(
        html,
        "</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(words.corner)
    );
    for protocol in PROTOCOLS {
        let _ = write!(html, "<th scope=\"col\">{protocol}</th>");
    }
    html.push_str("</tr></thead><tbody>");
    for (row, aspect) in Aspect::ALL.iter().enumerate() {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">{}</th>",
            escape(words.rows[row])
        );
        for (column, protocol) in PROTOCOLS.iter().enumerate() {
            let on = lit[*aspect as usize][column];
            let (mark, state) = match (applies(*aspect, column), on) {
                (false, _) => ("–", words.not_applicable),
                (true, true) => ("✓", words.experienced),
                (true, false) => ("○", words.not_yet),
            };
            let _ = write!(
                html,
                "<td class=\"kr-compare__cell{}\" data-testid=\"compare-{}-{}\" data-protocol=\"{protocol}\" \
                 data-lit=\"{on}\">\
                 <span class=\"kr-compare__mark\" aria-hidden=\"true\">{mark}</span>{}\
                 <span class=\"kr-compare__state{}\">{}</span></td>",
                if on { " kr-compare__cell--lit" } else { "" },
                row,
                protocol.to_ascii_lowercase(),
                escape(words.cells[row][column]),
                if on { "" } else { " kr-visually-hidden" },
                escape(state),
            );
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table>");
    html
}

#[cfg(test)]
mod tests;
