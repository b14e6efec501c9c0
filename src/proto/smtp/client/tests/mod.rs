//! Tests of the client session against the real server engine (a quinn-style `Pair` that
//! shuffles bytes both ways until both sides are idle) and against scripted replies for what
//! the server engine never says. Grouped by where the session is when the fact shows.

mod delivery;
mod failures;
mod properties;
mod scripted;
mod several_jobs;

use super::*;
use crate::proto::smtp::command::Mailbox;
use crate::proto::smtp::server::{
    AcceptedMessage, PeerInfo, ServerEvent, ServerPolicy, SmtpServer,
};
use crate::sim::default_world::{mail_alpha_submission, mx1_beta_relay};

/// The time the server writes in its Received: line.
const NOW: i64 = 1_700_000_000;

const LETTER: &str = "From: Ani <ani@alpha.example>\r\nTo: Budi <budi@beta.example>\r\nSubject: Halo\r\n\r\nHalo Budi, apa kabar?\r\n";

fn mailbox(address: &str) -> Mailbox {
    let (local, domain) = address.split_once('@').expect("local@domain");
    Mailbox {
        local: local.into(),
        domain: domain.into(),
    }
}

/// A job from `from` ("" for `<>`) to `to`, carrying `content`.
fn job(from: &str, to: &[&str], content: &str) -> MailJob {
    MailJob {
        reverse_path: if from.is_empty() {
            ReversePath::Null
        } else {
            ReversePath::Mailbox(mailbox(from))
        },
        recipients: to
            .iter()
            .map(|address| ForwardPath::Mailbox(mailbox(address)))
            .collect(),
        content: content.as_bytes().to_vec(),
    }
}

/// mail.alpha.example relaying to another domain's MX.
fn relaying_mta() -> ClientConfig {
    ClientConfig::new("mail.alpha.example")
}

/// Ani's mail client on her laptop, submitting on port 587.
fn mail_client_of_ani(password: &str) -> ClientConfig {
    ClientConfig::new("laptop-ani.alpha.example").with_credentials("ani", password)
}

fn peer() -> PeerInfo {
    PeerInfo {
        address: "192.0.2.25".into(),
        name: Some("mail.alpha.example".into()),
        session_id: 7,
    }
}

/// A client connected to a server in memory.
struct Pair {
    client: SmtpClient,
    server: SmtpServer,
    /// What each `poll_output` of the client gave: one entry per write.
    client_writes: Vec<Vec<u8>>,
    client_events: Vec<ClientEvent>,
    server_events: Vec<ServerEvent>,
}

impl Pair {
    fn new(policy: ServerPolicy, config: ClientConfig, job: MailJob) -> Self {
        Self::with_jobs(policy, config, vec![job])
    }

    /// A client that hands over `jobs` in one session.
    fn with_jobs(policy: ServerPolicy, config: ClientConfig, jobs: Vec<MailJob>) -> Self {
        Self {
            client: SmtpClient::with_jobs(config, jobs).expect("valid jobs"),
            server: SmtpServer::new(policy, peer(), NOW),
            client_writes: Vec::new(),
            client_events: Vec::new(),
            server_events: Vec::new(),
        }
    }

    /// Delivers what each side wrote to the other; false when nothing moved.
    fn step(&mut self) -> bool {
        let mut moved = false;
        if let Some(bytes) = self.server.poll_output() {
            self.client.handle_input(&bytes);
            moved = true;
        }
        if self.server.is_closed() && !self.client.is_closed() {
            self.client.connection_closed();
            moved = true;
        }
        if let Some(bytes) = self.client.poll_output() {
            self.server.handle_input(&bytes);
            self.client_writes.push(bytes);
            moved = true;
        }
        self.client_events
            .extend(std::iter::from_fn(|| self.client.poll_event()));
        self.server_events
            .extend(std::iter::from_fn(|| self.server.poll_event()));
        moved
    }

    /// Runs until both sides are idle.
    fn drive(&mut self) -> &mut Self {
        while self.step() {}
        self
    }

    /// Runs one message through `policy` and returns the finished pair.
    fn run(policy: ServerPolicy, config: ClientConfig, job: MailJob) -> Self {
        let mut pair = Self::new(policy, config, job);
        pair.drive();
        assert!(pair.client.is_closed(), "the session ends");
        pair
    }

    fn outcome(&self) -> &Outcome {
        self.client.outcome().expect("an outcome")
    }

    fn accepted_messages(&self) -> Vec<&AcceptedMessage> {
        self.server_events
            .iter()
            .filter_map(|event| match event {
                ServerEvent::MessageAccepted(message) => Some(message),
                _ => None,
            })
            .collect()
    }

    /// The verbs the client sent, in order.
    fn verbs_sent(&self) -> Vec<Verb> {
        sent_verbs(&self.client_events)
    }

    fn sent_message(&self) -> bool {
        self.client_events
            .iter()
            .any(|event| matches!(event, ClientEvent::SentMessage { .. }))
    }

    fn finished_events(&self) -> usize {
        self.client_events
            .iter()
            .filter(|event| matches!(event, ClientEvent::Finished(_)))
            .count()
    }
}

fn sent_verbs(events: &[ClientEvent]) -> Vec<Verb> {
    events
        .iter()
        .filter_map(|event| match event {
            ClientEvent::Sent { verb, .. } => Some(*verb),
            _ => None,
        })
        .collect()
}

/// The message as the server stored it, without the server's own Received: field (its first
/// line and the folded lines after it, which start with white space: RFC 5322 §2.2.3).
fn content_after_received_line(message: &AcceptedMessage) -> &[u8] {
    let text = &message.content[..];
    assert!(text.starts_with(b"Received: from "), "trace header first");
    let mut rest = text;
    loop {
        let line_end = rest
            .windows(2)
            .position(|pair| pair == b"\r\n")
            .expect("a whole header line");
        rest = &rest[line_end + 2..];
        if !rest.starts_with(b"\t") && !rest.starts_with(b" ") {
            return rest;
        }
    }
}

fn code_and_status(reply: &Reply) -> (u16, Option<String>) {
    (
        reply.code.get(),
        reply.status.map(|status| status.to_string()),
    )
}
