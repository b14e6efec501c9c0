//! Tests of the server session, grouped by the state they start in (RFC 5321 §3, §4.1.1), with
//! the client harness they share.

mod auth;
mod data;
mod greeted;
mod mail_transaction;
mod properties;
mod sending_limit;
mod session;

use super::*;

const BETA: &str = "beta.example";

fn account(user: &str, domain: &str, display_name: &str) -> Account {
    Account {
        user: user.into(),
        domain: domain.into(),
        password: format!("{user}123"),
        display_name: display_name.into(),
    }
}

fn policy(host_name: &str, role: PortRole, domain: &str, users: [(&str, &str); 2]) -> ServerPolicy {
    ServerPolicy {
        host_name: host_name.into(),
        role,
        local_domains: vec![domain.into()],
        accounts: users
            .iter()
            .map(|(user, name)| account(user, domain, name))
            .collect(),
        max_message_size: 10_000,
        max_recipients: 100,
        extensions: Extensions::default(),
        full_mailboxes: vec!["Dewi@Beta.Example".into()],
        sending_limit: None,
    }
}

fn relay_policy() -> ServerPolicy {
    policy(
        "mx1.beta.example",
        PortRole::Relay,
        BETA,
        [("budi", "Budi"), ("dewi", "Dewi")],
    )
}

fn submission_policy() -> ServerPolicy {
    policy(
        "mail.alpha.example",
        PortRole::Submission,
        "alpha.example",
        [("ani", "Ani"), ("citra", "Citra")],
    )
}

fn peer() -> PeerInfo {
    PeerInfo {
        address: "192.0.2.10".into(),
        name: Some("laptop-ani.alpha.example".into()),
        session_id: 7,
    }
}

/// A client talking to one server; the greeting is already read.
struct Client {
    server: SmtpServer,
}

impl Client {
    fn new(policy: ServerPolicy) -> Self {
        let mut client = Self {
            server: SmtpServer::new(policy, peer(), 1_700_000_000),
        };
        client.output();
        client.events();
        client
    }

    fn relay() -> Self {
        Self::new(relay_policy())
    }

    fn submission() -> Self {
        Self::new(submission_policy())
    }

    /// A relay session after EHLO and MAIL FROM.
    fn relay_in_transaction() -> Self {
        let mut client = Self::relay();
        client.say("EHLO mx.alpha.example\r\nMAIL FROM:<ani@alpha.example>\r\n");
        client.events();
        client
    }

    /// A relay session after EHLO, MAIL FROM and one accepted RCPT TO.
    fn relay_ready_for_data() -> Self {
        let mut client = Self::relay_in_transaction();
        client.say("RCPT TO:<budi@beta.example>\r\n");
        client
    }

    /// A submission session after EHLO and AUTH as ani.
    fn submission_authenticated() -> Self {
        let mut client = Self::submission();
        let replies =
            client.say("EHLO laptop-ani.alpha.example\r\nAUTH PLAIN AGFuaQBhbmkxMjM=\r\n");
        assert_eq!(codes(&replies), [250, 235]);
        client.events();
        client
    }

    fn output(&mut self) -> String {
        let bytes = self.server.poll_output().unwrap_or_default();
        String::from_utf8(bytes).expect("replies are ASCII")
    }

    fn events(&mut self) -> Vec<ServerEvent> {
        std::iter::from_fn(|| self.server.poll_event()).collect()
    }

    /// Sends `input`; returns the replies it produced, checking they match the wire bytes.
    fn say(&mut self, input: &str) -> Vec<Reply> {
        self.server.handle_input(input.as_bytes());
        let wire = self.output();
        let replies = replies_of(&wire);
        let events = self.events();
        let replied: Vec<Reply> = events
            .iter()
            .filter_map(|e| {
                if let ServerEvent::Replied { reply, .. } = e {
                    Some(reply.clone())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(replies, replied, "events and wire agree");
        // Put back the non-reply events for tests that look at them.
        self.server.events.extend(
            events
                .into_iter()
                .filter(|e| !matches!(e, ServerEvent::Replied { .. })),
        );
        replies
    }

    /// Sends `input`; expects exactly one reply.
    fn one(&mut self, input: &str) -> Reply {
        let mut replies = self.say(input);
        assert_eq!(replies.len(), 1, "{input:?} → {replies:?}");
        replies.remove(0)
    }
}

/// Splits wire bytes into complete replies and parses each.
fn replies_of(wire: &str) -> Vec<Reply> {
    let mut replies = Vec::new();
    let mut start = 0;
    for (offset, line) in wire.split_inclusive("\r\n").scan(0, |pos, line| {
        let at = *pos;
        *pos += line.len();
        Some((at, line))
    }) {
        if line.as_bytes().get(3) != Some(&b'-') {
            let end = offset + line.len();
            replies.push(Reply::parse(&wire[start..end]).expect("well-formed reply"));
            start = end;
        }
    }
    assert_eq!(start, wire.len(), "no partial reply");
    replies
}

fn codes(replies: &[Reply]) -> Vec<u16> {
    replies.iter().map(|r| r.code.get()).collect()
}

fn status(reply: &Reply) -> Option<String> {
    reply.status.map(|s| s.to_string())
}

fn assert_reply(reply: &Reply, code: u16, enhanced: &str) {
    assert_eq!(
        (reply.code.get(), status(reply).as_deref()),
        (code, Some(enhanced)),
        "{reply}"
    );
}

fn accepted(client: &mut Client) -> Vec<AcceptedMessage> {
    client
        .events()
        .into_iter()
        .filter_map(|e| {
            if let ServerEvent::MessageAccepted(m) = e {
                Some(m)
            } else {
                None
            }
        })
        .collect()
}
