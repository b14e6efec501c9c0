//! What the mail-reading services of one server (POP3 and IMAP on mx1.beta.example) share:
//! its name and domain, the accounts its SMTP policy knows, and the mailboxes its SMTP port
//! delivers into.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use kurir::mail::maildrop::Maildrops;
use kurir::proto::login::Login;
use kurir::proto::smtp::ServerPolicy;

use crate::cli::ServeOptions;

pub struct MailboxService {
    pub host_name: String,
    /// The domain of the accounts: user `budi` reads `budi@beta.example`.
    pub domain: String,
    pub accounts: Vec<Login>,
    pub maildrops: Arc<Mutex<Maildrops>>,
    pub idle_timeout: Duration,
    pub transcript: bool,
}

impl MailboxService {
    /// The mailboxes of the server `policy` describes, for its accounts.
    pub fn of(
        policy: &ServerPolicy,
        maildrops: Arc<Mutex<Maildrops>>,
        options: &ServeOptions,
    ) -> MailboxService {
        MailboxService {
            host_name: policy.host_name.clone(),
            domain: policy.local_domains.first().cloned().unwrap_or_default(),
            accounts: policy
                .accounts
                .iter()
                .map(|account| Login {
                    user: account.user.clone(),
                    password: account.password.clone(),
                })
                .collect(),
            maildrops,
            idle_timeout: options.idle_timeout,
            transcript: options.transcript,
        }
    }
}
