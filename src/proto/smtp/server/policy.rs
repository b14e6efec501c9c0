//! What makes one server differ from another: its port's role (RFC 6409 §3 submission versus
//! RFC 5321 §3.6 relaying), local domains, accounts, limits (RFC 5321 §4.5.3.1, and a shared
//! relay's sending limit per account) and the ESMTP extensions EHLO advertises (RFC 1870,
//! RFC 6152, RFC 2920, RFC 2034); and who is connecting.

use super::sending_limit::SendingLimit;
use crate::proto::smtp::command::MailboxRef;

/// Which job this listening port does (RFC 6409 §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRole {
    /// Port 25: accepts mail for its local domains from anyone; refuses to relay elsewhere.
    Relay,
    /// Port 587: its own users, after AUTH, may send to any domain.
    Submission,
}

/// A mailbox owner on this server; `user` is both the login name and the local part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub user: String,
    pub domain: String,
    pub password: String,
    pub display_name: String,
}

impl Account {
    /// `user@domain`.
    pub fn address(&self) -> String {
        format!("{}@{}", self.user, self.domain)
    }
}

/// Which ESMTP extensions EHLO advertises. AUTH is offered only when the role is Submission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extensions {
    pub size: bool,
    pub eight_bit_mime: bool,
    pub pipelining: bool,
    pub enhanced_status_codes: bool,
    pub help: bool,
}

impl Default for Extensions {
    fn default() -> Self {
        Self {
            size: true,
            eight_bit_mime: true,
            pipelining: true,
            enhanced_status_codes: true,
            help: true,
        }
    }
}

/// Everything that makes one server differ from another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPolicy {
    pub host_name: String,
    pub role: PortRole,
    pub local_domains: Vec<String>,
    pub accounts: Vec<Account>,
    /// SIZE limit in octets of the message as received (after dot-unstuffing, CRLF counted).
    pub max_message_size: u64,
    /// At least 100 (RFC 5321 §4.5.3.1.8); one more gets 452 4.5.3.
    pub max_recipients: usize,
    pub extensions: Extensions,
    /// Addresses ("dewi@beta.example") whose mailbox is full: RCPT gets 452 4.2.2.
    pub full_mailboxes: Vec<String>,
    /// Messages an authenticated account may send per hour; over it, MAIL gets 451 4.7.1.
    pub sending_limit: Option<SendingLimit>,
}

impl ServerPolicy {
    pub(super) fn is_local_domain(&self, domain: &str) -> bool {
        self.local_domains
            .iter()
            .any(|local| local.eq_ignore_ascii_case(domain))
    }

    pub(super) fn account_for(&self, mailbox: &MailboxRef<'_>) -> Option<&Account> {
        self.accounts
            .iter()
            .find(|a| a.user.eq_ignore_ascii_case(mailbox.local) && mailbox.is_in_domain(&a.domain))
    }

    pub(super) fn is_mailbox_full(&self, address: &str) -> bool {
        self.full_mailboxes
            .iter()
            .any(|full| full.eq_ignore_ascii_case(address))
    }
}

/// Who is connecting (for the greeting log and the Received: header) and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerInfo {
    /// The client's address as text ("192.0.2.10", "127.0.0.1").
    pub address: String,
    /// Its reverse-DNS name if known ("laptop-ani.alpha.example").
    pub name: Option<String>,
    /// A number unique per server for this connection; queue ids derive from it (no RNG).
    pub session_id: u64,
}
