//! What makes one server differ from another: its port's role (RFC 6409 §3 submission versus
//! RFC 5321 §3.6 relaying), local domains, accounts, limits (RFC 5321 §4.5.3.1, and a shared
//! relay's sending limit per account) and the ESMTP extensions EHLO advertises (RFC 1870,
//! RFC 6152, RFC 2920, RFC 2034); and who is connecting.

use std::collections::BTreeMap;
use std::sync::Arc;

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

/// A server's accounts, shared (every session takes a copy of its server's policy, and a
/// server may keep many mailboxes) and indexed by user name, so finding a recipient's account
/// is a lookup, not a pass over all of them.
#[derive(Clone, Debug, Default)]
pub struct Accounts(Arc<AccountIndex>);

#[derive(Debug, Default)]
struct AccountIndex {
    list: Vec<Account>,
    /// Lowercased user → the positions in `list` of the accounts with that user name (one
    /// per domain).
    by_user: BTreeMap<String, Vec<usize>>,
}

impl Accounts {
    /// Every account, in the order given.
    pub fn iter(&self) -> std::slice::Iter<'_, Account> {
        self.0.list.iter()
    }

    /// These accounts and `account` after them.
    pub fn with(&self, account: Account) -> Accounts {
        self.iter().cloned().chain([account]).collect()
    }

    /// The account of `user` in `domain`, both without regard to case.
    pub fn find(&self, user: &str, domain: &str) -> Option<&Account> {
        self.0
            .by_user
            .get(&user.to_ascii_lowercase())?
            .iter()
            .map(|&index| &self.0.list[index])
            .find(|account| account.domain.eq_ignore_ascii_case(domain))
    }
}

impl FromIterator<Account> for Accounts {
    fn from_iter<I: IntoIterator<Item = Account>>(accounts: I) -> Self {
        let list: Vec<Account> = accounts.into_iter().collect();
        let mut by_user: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, account) in list.iter().enumerate() {
            by_user
                .entry(account.user.to_ascii_lowercase())
                .or_default()
                .push(index);
        }
        Accounts(Arc::new(AccountIndex { list, by_user }))
    }
}

impl From<Vec<Account>> for Accounts {
    fn from(accounts: Vec<Account>) -> Self {
        accounts.into_iter().collect()
    }
}

/// Two lists of accounts are equal when they hold the same accounts in the same order.
impl PartialEq for Accounts {
    fn eq(&self, other: &Self) -> bool {
        self.0.list == other.0.list
    }
}

impl Eq for Accounts {}

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
    pub accounts: Accounts,
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
        self.accounts.find(mailbox.local, mailbox.domain)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn account(user: &str, domain: &str) -> Account {
        Account {
            user: user.into(),
            domain: domain.into(),
            password: format!("{user}123"),
            display_name: user.into(),
        }
    }

    #[test]
    fn an_account_is_found_by_user_and_domain_in_any_case() {
        let accounts: Accounts = vec![
            account("budi", "beta.example"),
            account("Budi", "gamma.example"),
            account("dewi", "beta.example"),
        ]
        .into();
        let found = |user, domain| accounts.find(user, domain).map(|a| a.domain.as_str());
        assert_eq!(found("BUDI", "Beta.Example"), Some("beta.example"));
        assert_eq!(found("budi", "GAMMA.example"), Some("gamma.example"));
        assert_eq!(found("dewi", "gamma.example"), None);
        assert_eq!(found("eka", "beta.example"), None);
    }

    #[test]
    fn with_adds_one_account_and_leaves_the_original_as_it_was() {
        let before: Accounts = vec![account("budi", "beta.example")].into();
        let after = before.with(account("eka", "beta.example"));
        assert!(before.find("eka", "beta.example").is_none());
        assert_eq!(
            after.iter().map(|a| a.user.as_str()).collect::<Vec<_>>(),
            ["budi", "eka"]
        );
        assert_ne!(before, after);
        assert_eq!(after, after.iter().cloned().collect());
    }
}
