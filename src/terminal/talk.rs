//! Which protocol the learner speaks on her connection, chosen by the port she connected to:
//! 110 is POP3 (RFC 1939), 143 is IMAP (RFC 9051), and everything else — 25 and 587 in this
//! world — SMTP (RFC 5321).

use super::completion::CompletionContext;
use super::console::{Entry, LineKind};
use super::imap_talk::ImapTalk;
use super::pop3_talk::Pop3Talk;
use super::smtp_talk::SmtpTalk;
use crate::sim::event::MailboxProtocol;

/// The conversation on the open connection.
pub enum Talk {
    Smtp(SmtpTalk),
    Pop3(Pop3Talk),
    Imap(ImapTalk),
}

impl Talk {
    /// The conversation a server on `port` expects.
    pub fn for_port(port: u16) -> Talk {
        match MailboxProtocol::on_port(port) {
            Some(MailboxProtocol::Pop3) => Talk::Pop3(Pop3Talk::default()),
            Some(MailboxProtocol::Imap) => Talk::Imap(ImapTalk::default()),
            None => Talk::Smtp(SmtpTalk::default()),
        }
    }

    /// How the next line the learner types is used.
    pub fn line_kind(&self) -> LineKind {
        match self {
            Talk::Smtp(smtp) => smtp.line_kind(),
            Talk::Pop3(_) => LineKind::Command,
            Talk::Imap(imap) => imap.line_kind(),
        }
    }

    /// The learner sends `line`; returns what her machine says about it first.
    pub fn sent(&mut self, line: &str) -> Vec<Entry> {
        match self {
            Talk::Smtp(smtp) => smtp.sent(line),
            Talk::Pop3(pop3) => {
                pop3.sent(line);
                Vec::new()
            }
            Talk::Imap(imap) => imap.sent(line),
        }
    }

    /// Bytes from the server, read as this protocol's replies.
    pub fn received(&mut self, bytes: &[u8]) -> Vec<Entry> {
        match self {
            Talk::Smtp(smtp) => smtp.received(bytes),
            Talk::Pop3(pop3) => pop3.received(bytes),
            Talk::Imap(imap) => imap.received(bytes),
        }
    }

    pub fn completion_context(&self) -> CompletionContext {
        match self {
            Talk::Smtp(smtp) if smtp.in_data_mode() => CompletionContext::Data,
            Talk::Smtp(_) => CompletionContext::Smtp,
            Talk::Pop3(_) => CompletionContext::Pop3,
            Talk::Imap(imap) if imap.is_idling() => CompletionContext::Idle,
            Talk::Imap(imap) if imap.line_kind() == LineKind::MessageLine => {
                CompletionContext::Data
            }
            Talk::Imap(imap) => CompletionContext::Imap {
                next_tag: imap.next_tag(),
            },
        }
    }

    /// The prompt while the line goes somewhere special: message text, or DONE for IDLE.
    pub fn special_prompt(&self) -> Option<&'static str> {
        match self {
            Talk::Smtp(smtp) if smtp.in_data_mode() => Some("data>"),
            Talk::Imap(imap) if imap.is_idling() => Some("idle>"),
            _ => None,
        }
    }
}
