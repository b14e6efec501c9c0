//! The default teaching world: the hosts, accounts and mail services that lessons, the
//! terminal, `kurir serve`, the docs and the tests all share.
//!
//! Names are from RFC 2606's reserved `.example`; addresses from the documentation ranges of
//! RFC 5737 (192.0.2.0/24 alpha's LAN, 198.51.100.0/24 beta's LAN, 203.0.113.0/24 the core).

use crate::proto::smtp::{Account, Extensions, PortRole, ServerPolicy};

/// What a host is for, as the map and the terminal describe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostRole {
    MailClient,
    MailServer,
    Router,
    Dns,
}

/// One host of the default world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Host {
    pub name: &'static str,
    pub role: HostRole,
    pub address: &'static str,
}

/// Every host, in the order the world lists them.
pub const HOSTS: [Host; 11] = [
    Host {
        name: "laptop-ani",
        role: HostRole::MailClient,
        address: "192.0.2.10",
    },
    Host {
        name: "mail.alpha.example",
        role: HostRole::MailServer,
        address: "192.0.2.25",
    },
    Host {
        name: "r1",
        role: HostRole::Router,
        address: "192.0.2.1",
    },
    Host {
        name: "r2",
        role: HostRole::Router,
        address: "203.0.113.1",
    },
    Host {
        name: "r3",
        role: HostRole::Router,
        address: "198.51.100.1",
    },
    Host {
        name: "dns.example",
        role: HostRole::Dns,
        address: "203.0.113.53",
    },
    Host {
        name: "mx1.beta.example",
        role: HostRole::MailServer,
        address: "198.51.100.25",
    },
    Host {
        name: "mx2.beta.example",
        role: HostRole::MailServer,
        address: "198.51.100.26",
    },
    Host {
        name: "laptop-budi",
        role: HostRole::MailClient,
        address: "198.51.100.10",
    },
    Host {
        name: "phone-budi",
        role: HostRole::MailClient,
        address: "198.51.100.11",
    },
    Host {
        name: "relay.example",
        role: HostRole::MailServer,
        address: "203.0.113.25",
    },
];

/// The host the learner's terminal runs on.
pub const LEARNER_HOST: &str = "laptop-ani";

pub const ALPHA_DOMAIN: &str = "alpha.example";
pub const BETA_DOMAIN: &str = "beta.example";

/// Largest message the world's servers take (SIZE, RFC 1870): 10 MiB.
pub const MAX_MESSAGE_SIZE: u64 = 10 * 1024 * 1024;
/// Recipients per transaction: RFC 5321 §4.5.3.1.8's minimum.
pub const MAX_RECIPIENTS: usize = 100;

/// Looks a host up by name, ignoring ASCII case and a trailing dot.
pub fn host(name: &str) -> Option<&'static Host> {
    let name = name.strip_suffix('.').unwrap_or(name);
    HOSTS.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

fn account(user: &str, domain: &str, display_name: &str) -> Account {
    Account {
        user: user.to_string(),
        domain: domain.to_string(),
        password: format!("{user}123"),
        display_name: display_name.to_string(),
    }
}

/// ani and citra on alpha.example; budi and dewi on beta.example. Passwords are `<user>123`.
pub fn accounts_of(domain: &str) -> Vec<Account> {
    match domain {
        ALPHA_DOMAIN => vec![
            account("ani", ALPHA_DOMAIN, "Ani"),
            account("citra", ALPHA_DOMAIN, "Citra"),
        ],
        BETA_DOMAIN => vec![
            account("budi", BETA_DOMAIN, "Budi"),
            account("dewi", BETA_DOMAIN, "Dewi"),
        ],
        _ => Vec::new(),
    }
}

fn policy(host_name: &str, role: PortRole, domain: &str) -> ServerPolicy {
    ServerPolicy {
        host_name: host_name.to_string(),
        role,
        local_domains: vec![domain.to_string()],
        accounts: accounts_of(domain),
        max_message_size: MAX_MESSAGE_SIZE,
        max_recipients: MAX_RECIPIENTS,
        extensions: Extensions::default(),
        full_mailboxes: Vec::new(),
    }
}

/// beta.example's primary MX, port 25: takes mail for budi and dewi from anyone.
pub fn mx1_beta_relay() -> ServerPolicy {
    policy("mx1.beta.example", PortRole::Relay, BETA_DOMAIN)
}

/// alpha.example's message submission agent, port 587: ani and citra send after AUTH.
pub fn mail_alpha_submission() -> ServerPolicy {
    policy("mail.alpha.example", PortRole::Submission, ALPHA_DOMAIN)
}

/// The SMTP service listening on `host:port`, if there is one the learner can reach.
pub fn smtp_service(host_name: &str, port: u16) -> Option<ServerPolicy> {
    let host = host(host_name)?;
    match (host.name, port) {
        ("mx1.beta.example", 25) => Some(mx1_beta_relay()),
        ("mail.alpha.example", 587) => Some(mail_alpha_submission()),
        _ => None,
    }
}

/// Every (host, port) with an SMTP service, for help texts and completion.
pub const SMTP_SERVICES: [(&str, u16); 2] = [("mx1.beta.example", 25), ("mail.alpha.example", 587)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_service_exists() {
        for (host, port) in SMTP_SERVICES {
            let policy = smtp_service(host, port).expect("listed service");
            assert_eq!(policy.host_name, host);
        }
    }

    #[test]
    fn hosts_are_found_case_insensitively_with_a_trailing_dot() {
        assert_eq!(
            host("MX1.Beta.Example.").map(|h| h.name),
            Some("mx1.beta.example")
        );
        assert!(host("mx9.beta.example").is_none());
    }

    #[test]
    fn ports_without_a_service_are_closed() {
        assert!(smtp_service("mx1.beta.example", 587).is_none());
        assert!(smtp_service("r2", 25).is_none());
        assert!(smtp_service("nowhere.example", 25).is_none());
    }

    #[test]
    fn accounts_follow_the_world() {
        let beta: Vec<_> = accounts_of(BETA_DOMAIN)
            .into_iter()
            .map(|a| (a.user, a.password))
            .collect();
        assert_eq!(
            beta,
            [
                ("budi".into(), "budi123".into()),
                ("dewi".into(), "dewi123".into())
            ]
        );
        assert_eq!(mail_alpha_submission().role, PortRole::Submission);
        assert_eq!(mx1_beta_relay().role, PortRole::Relay);
    }
}
