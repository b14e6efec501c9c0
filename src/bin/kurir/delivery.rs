//! What happens to a message once the server has said `250`.
//!
//! Recipients in the server's own domains get a copy in their mailbox, with the `Return-Path:`
//! line that final delivery adds (RFC 5321 §4.4): in the mailboxes POP3 reads when the service
//! has them (mx1.beta.example's), and as a file under `--mail-dir` when one is given. Mail for other domains (only the submission
//! port accepts it) is relayed through serve's simulated world (`world_relay`) and stored where
//! it lands; without a world (or if the world cannot take it) it is parked in the outbound
//! folder instead, and the log says so.

use std::sync::Mutex;

use kurir::mail::mailbox::{final_delivery_bytes, route_recipients};
use kurir::mail::maildrop::Maildrops;
use kurir::proto::imap::response::date_time;
use kurir::proto::smtp::AcceptedMessage;

use crate::clock::unix_now;
use crate::maildir::{mailbox_folder, MailDir, OUTBOUND_FOLDER};
use crate::world_relay::WorldRelay;

/// Where a service keeps what it accepts.
#[derive(Clone, Copy)]
pub struct Stores<'a> {
    pub mail_dir: Option<&'a MailDir>,
    /// The mailboxes the service's POP3 reads, if it has any.
    pub maildrops: Option<&'a Mutex<Maildrops>>,
    pub world: Option<&'a WorldRelay>,
}

/// Delivers `message` and returns one log line per outcome.
pub fn deliver(message: &AcceptedMessage, local_domains: &[String], stores: Stores) -> Vec<String> {
    let mail_dir = stores.mail_dir;
    let routes = route_recipients(&message.recipients, local_domains);
    let mut outcomes: Vec<String> = routes
        .delivered_to
        .iter()
        .map(|rcpt| deliver_locally(message, rcpt, stores))
        .collect();
    if routes.queued_for.is_empty() {
        return outcomes;
    }
    match stores
        .world
        .map(|w| w.relay(message, &routes.queued_for, mail_dir))
    {
        Some(Ok(lines)) => outcomes.extend(lines),
        Some(Err(why)) => {
            outcomes.push(format!("  → the simulated world cannot relay it: {why}"));
            outcomes.push(queue_for_relay(message, &routes.queued_for, mail_dir));
        }
        None => outcomes.push(queue_for_relay(message, &routes.queued_for, mail_dir)),
    }
    outcomes
}

/// The log line that announces an accepted message.
pub fn summary(message: &AcceptedMessage) -> String {
    let recipients: Vec<String> = message
        .recipients
        .iter()
        .map(|rcpt| format!("<{rcpt}>"))
        .collect();
    let submitter = match &message.authenticated_as {
        Some(user) => format!(", submitted by {user}"),
        None => String::new(),
    };
    format!(
        "accepted {} from <{}> for {} ({} bytes{submitter})",
        message.queue_id,
        message.reverse_path,
        recipients.join(", "),
        message.content.len()
    )
}

fn deliver_locally(message: &AcceptedMessage, recipient: &str, stores: Stores) -> String {
    let content = final_delivery_bytes(message);
    let in_maildrop = stores.maildrops.map(|maildrops| {
        let mut maildrops = maildrops.lock().unwrap_or_else(|p| p.into_inner());
        maildrops.deliver(recipient, content.clone(), date_time(unix_now()))
    });
    let for_pop3 = match in_maildrop {
        Some(uid) => format!("in the mailbox POP3 reads (uid {uid}); "),
        None => String::new(),
    };
    let Some(mail_dir) = stores.mail_dir else {
        return format!("  → <{recipient}>: {for_pop3}not stored on disk (no --mail-dir)");
    };
    match mail_dir.store(&mailbox_folder(recipient), &message.queue_id, &content) {
        Ok(path) => format!(
            "  → <{recipient}>: {for_pop3}delivered to {}",
            path.display()
        ),
        Err(e) => format!("  → <{recipient}>: {for_pop3}NOT stored on disk: {e}"),
    }
}

fn queue_for_relay(
    message: &AcceptedMessage,
    recipients: &[String],
    mail_dir: Option<&MailDir>,
) -> String {
    let recipients: Vec<String> = recipients.iter().map(|rcpt| format!("<{rcpt}>")).collect();
    let head = format!(
        "  → {}: queued for relay (not delivered: no network in serve mode)",
        recipients.join(", ")
    );
    match mail_dir.map(|dir| dir.store(OUTBOUND_FOLDER, &message.queue_id, &message.content)) {
        None => head,
        Some(Ok(path)) => format!("{head}, kept in {}", path.display()),
        Some(Err(e)) => format!("{head}, NOT stored: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(recipients: &[&str]) -> AcceptedMessage {
        AcceptedMessage {
            queue_id: "Q7".into(),
            reverse_path: "ani@alpha.example".into(),
            recipients: recipients.iter().map(|r| r.to_string()).collect(),
            content: b"Subject: hi\r\n\r\nhi\r\n".to_vec(),
            authenticated_as: Some("ani".into()),
        }
    }

    #[test]
    fn without_a_mail_dir_every_outcome_is_still_logged() {
        let stores = Stores {
            mail_dir: None,
            maildrops: None,
            world: None,
        };
        let outcomes = deliver(
            &message(&["citra@alpha.example", "budi@beta.example"]),
            &["alpha.example".into()],
            stores,
        );
        assert_eq!(
            outcomes,
            [
                "  → <citra@alpha.example>: not stored on disk (no --mail-dir)",
                "  → <budi@beta.example>: queued for relay (not delivered: no network in serve mode)",
            ]
        );
    }

    #[test]
    fn local_mail_goes_into_the_mailboxes_pop3_reads() {
        let maildrops = Mutex::new(Maildrops::default());
        let stores = Stores {
            mail_dir: None,
            maildrops: Some(&maildrops),
            world: None,
        };
        let outcomes = deliver(
            &message(&["budi@beta.example"]),
            &["beta.example".into()],
            stores,
        );
        assert_eq!(
            outcomes,
            ["  → <budi@beta.example>: in the mailbox POP3 reads (uid 1); not stored on disk (no --mail-dir)"]
        );
        let mut maildrops = maildrops.into_inner().unwrap();
        let held = maildrops.maildrop("budi@beta.example").messages();
        assert!(held[0]
            .message
            .content
            .starts_with(b"Return-Path: <ani@alpha.example>\r\n"));
    }

    #[test]
    fn the_summary_names_queue_id_envelope_and_size() {
        assert_eq!(
            summary(&message(&["citra@alpha.example"])),
            "accepted Q7 from <ani@alpha.example> for <citra@alpha.example> (19 bytes, submitted by ani)"
        );
    }
}
