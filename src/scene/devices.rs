//! budi's two devices as the page shows them: what the learner's buttons ask the world to do
//! ([`check_mail`], [`message_command`]: a POP3 or IMAP session to mx1.beta.example, RFC 1939
//! and RFC 9051, or reading a POP3 download on the device), and each device's messages and
//! last session as escaped markup ([`device_markup`]) with one button per thing to do. A
//! device that has synced with IMAP shows the server's folders, each with its messages.

use std::fmt::Write;

use super::event_words::prose_in;
use super::markup::escape;
use crate::lang::Lang;
use crate::mail::mailbox::StoredMessage;
use crate::mail::maildrop::SEEN;
use crate::proto::imap::client::{Action, FolderAction};
use crate::sim::event::MailboxProtocol;
use crate::sim::world::{Command, DeviceMessage, World};

/// budi's devices, each with a mail client.
pub const DEVICES: [&str; 2] = ["laptop-budi", "phone-budi"];
/// The server budi reads his mail from, and his login there.
pub const SERVER: &str = "mx1.beta.example";
const USER: &str = "budi";
const PASSWORD: &str = "budi123";
/// The folder "Archive" moves a message into (the name RFC 6154's `\Archive` suggests).
pub const ARCHIVE: &str = "Archive";
const FLAGGED: &str = "\\Flagged";

/// What the learner can do to one message on a device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageAction {
    Read,
    Flag,
    Unflag,
    Archive,
    Delete,
}

impl MessageAction {
    const ALL: [MessageAction; 5] = [
        MessageAction::Read,
        MessageAction::Flag,
        MessageAction::Unflag,
        MessageAction::Archive,
        MessageAction::Delete,
    ];

    /// Its name in the markup (`data-act`).
    pub fn code(self) -> &'static str {
        match self {
            MessageAction::Read => "read",
            MessageAction::Flag => "flag",
            MessageAction::Unflag => "unflag",
            MessageAction::Archive => "archive",
            MessageAction::Delete => "delete",
        }
    }

    pub fn from_code(code: &str) -> Option<MessageAction> {
        MessageAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// "Check mail" on `device`: a session with `protocol`; POP3 deletes what it downloads
/// unless `keep_on_server`.
pub fn check_mail(
    world: &World,
    device: &str,
    protocol: MailboxProtocol,
    keep_on_server: bool,
) -> Option<Command> {
    session(world, device, protocol, keep_on_server, Vec::new())
}

fn session(
    world: &World,
    device: &str,
    protocol: MailboxProtocol,
    keep_on_server: bool,
    actions: Vec<FolderAction>,
) -> Option<Command> {
    let topology = world.topology();
    Some(Command::CheckMail {
        host: topology.host_id(device)?,
        server: topology.host_id(SERVER)?,
        user: USER.to_string(),
        password: PASSWORD.to_string(),
        protocol,
        keep_on_server,
        actions,
    })
}

/// What doing `action` to message `id` in `folder` on `device` is: reading a POP3 download is
/// this device's business only; everything done to an IMAP copy is an IMAP session that does
/// it on the server. `None` for an action the message's protocol does not offer.
pub fn message_command(
    world: &World,
    device: &str,
    (folder, id): (&str, &str),
    action: MessageAction,
) -> Option<Command> {
    let host = world.topology().host_id(device)?;
    let message = world
        .device_mail(host)?
        .messages
        .iter()
        .find(|m| m.folder == folder && m.id == id)?;
    let Some(uid) = message.uid() else {
        return (action == MessageAction::Read).then(|| Command::ReadOnDevice {
            host,
            id: id.to_string(),
        });
    };
    let flag = |flag: &str| flag.to_string();
    let imap_action = match action {
        MessageAction::Read => Action::AddFlag {
            uid,
            flag: flag(SEEN),
        },
        MessageAction::Flag => Action::AddFlag {
            uid,
            flag: flag(FLAGGED),
        },
        MessageAction::Unflag => Action::RemoveFlag {
            uid,
            flag: flag(FLAGGED),
        },
        MessageAction::Archive if folder != ARCHIVE => Action::MoveTo {
            uid,
            folder: ARCHIVE.to_string(),
        },
        MessageAction::Archive => return None,
        MessageAction::Delete => Action::Delete { uid },
    };
    let action = FolderAction {
        folder: folder.to_string(),
        action: imap_action,
    };
    session(world, device, MailboxProtocol::Imap, false, vec![action])
}

/// The device panel's words in one language.
pub struct DeviceWords<'a> {
    pub empty: &'a str,
    /// Under a server folder with no messages in it.
    pub folder_empty: &'a str,
    pub from: &'a str,
    pub no_subject: &'a str,
    pub unread: &'a str,
    pub read: &'a str,
    pub flagged: &'a str,
    /// The buttons, in [`MessageAction`] order: read, flag, unflag, archive, delete.
    pub actions: [&'a str; 5],
    pub last_session: &'a str,
    pub session_ok: &'a str,
    pub session_failed: &'a str,
    pub checking: &'a str,
}

/// The messages on `device`, newest first: under a heading per server folder once the device
/// has synced with IMAP, else in one list. Buttons carry `data-act`, `data-folder` and
/// `data-id`, and an id of their own so focus can come back to them after a redraw; while a
/// session is open they are `aria-disabled`.
pub fn device_markup(world: &World, device: &str, words: &DeviceWords) -> String {
    let mut html = String::new();
    let mail = world
        .topology()
        .host_id(device)
        .and_then(|host| world.device_mail(host));
    let busy = mail.is_some_and(|m| m.busy);
    let messages = mail.map_or(&[][..], |m| &m.messages);
    let folders = mail.map_or(&[][..], |m| &m.folders);
    if folders.is_empty() {
        message_list(&mut html, device, messages.iter(), busy, words, words.empty);
        return html;
    }
    for folder in folders {
        let in_folder = || messages.iter().filter(move |m| &m.folder == folder);
        let _ = write!(
            html,
            "<h4 class=\"kr-device__folder\" data-testid=\"device-folder\" data-folder=\"{}\">\
{} <span class=\"kr-device__count\">({})</span></h4>",
            escape(folder),
            escape(folder),
            in_folder().count()
        );
        message_list(
            &mut html,
            device,
            in_folder(),
            busy,
            words,
            words.folder_empty,
        );
    }
    html
}

fn message_list<'a>(
    html: &mut String,
    device: &str,
    messages: impl DoubleEndedIterator<Item = &'a DeviceMessage>,
    busy: bool,
    words: &DeviceWords,
    empty: &str,
) {
    let mut messages = messages.rev().peekable();
    if messages.peek().is_none() {
        let _ = write!(
            html,
            "<p class=\"kr-panel__empty\" data-testid=\"device-empty\">{}</p>",
            escape(empty)
        );
        return;
    }
    html.push_str("<ul class=\"kr-device__list\">");
    for message in messages {
        message_item(html, device, message, busy, words);
    }
    html.push_str("</ul>");
}

/// How the device's last session ended, or that one is under way; `None` before the first.
pub fn session_line(
    world: &World,
    device: &str,
    words: &DeviceWords,
    lang: Lang,
) -> Option<String> {
    let host = world.topology().host_id(device)?;
    let mail = world.device_mail(host)?;
    if mail.busy {
        return Some(words.checking.to_string());
    }
    let last = mail.last.as_ref()?;
    let state = if last.ok {
        words.session_ok
    } else {
        words.session_failed
    };
    Some(format!(
        "{} ({}, {state}): {}",
        words.last_session,
        last.protocol,
        prose_in(&last.outcome, lang)
    ))
}

fn message_item(
    html: &mut String,
    device: &str,
    message: &DeviceMessage,
    busy: bool,
    words: &DeviceWords,
) {
    let stored = StoredMessage::from_content(message.content.clone());
    let subject = stored
        .header("Subject")
        .unwrap_or_else(|| words.no_subject.to_string());
    let from = stored.header("From").unwrap_or_default();
    let seen = message.is_seen();
    let flagged = message.flags.contains(FLAGGED);
    let _ =
        write!(
        html,
        "<li class=\"kr-device__message{}\" data-testid=\"device-message\" data-seen=\"{seen}\">\
         <p class=\"kr-device__subject\"><span class=\"kr-device__proto\">{}</span> {}</p>\
         <p class=\"kr-device__meta\">{} {} · <span class=\"kr-device__state\">{}</span>{}</p>",
        if seen { "" } else { " kr-device__message--unread" },
        message.protocol,
        escape(&subject),
        escape(words.from),
        escape(&from),
        if seen {
            escape(words.read)
        } else {
            format!("● {}", escape(words.unread))
        },
        if flagged {
            format!(" · <span class=\"kr-device__flag\">⚑ {}</span>", escape(words.flagged))
        } else {
            String::new()
        },
    );
    if seen {
        html.push_str("<pre class=\"kr-device__body\">");
        html.push_str(&escape(stored.body().trim_end()));
        html.push_str("</pre>");
    }
    html.push_str("<div class=\"kr-device__actions\">");
    let mut offered = Vec::new();
    if !seen {
        offered.push(MessageAction::Read);
    }
    if message.protocol == MailboxProtocol::Imap {
        offered.push(if flagged {
            MessageAction::Unflag
        } else {
            MessageAction::Flag
        });
        if message.folder != ARCHIVE {
            offered.push(MessageAction::Archive);
        }
        offered.push(MessageAction::Delete);
    }
    // An element id has no spaces: a folder's other characters become `_`.
    let folder_key: String = message
        .folder
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    for action in offered {
        let label = words.actions[action as usize];
        let _ = write!(
            html,
            "<button type=\"button\" class=\"kr-button\" id=\"kr-{device}-{}-{folder_key}-{}\" \
             data-act=\"{}\" data-folder=\"{}\" data-id=\"{}\" aria-label=\"{} — {}\"{}>{}</button>",
            action.code(),
            escape(&message.id),
            action.code(),
            escape(&message.folder),
            escape(&message.id),
            escape(label),
            escape(&subject),
            if busy { " aria-disabled=\"true\"" } else { "" },
            escape(label),
        );
    }
    html.push_str("</div></li>");
}

#[cfg(test)]
mod tests;
