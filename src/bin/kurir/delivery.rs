//! What happens to a message once the server has said `250`.
//!
//! Recipients in the server's own domains get a copy in their mailbox, with the `Return-Path:`
//! line that final delivery adds (RFC 5321 §4.4). Mail for other domains (only the submission
//! port accepts it) is relayed through serve's simulated world (`world_relay`) and stored where
//! it lands; without a world (or if the world cannot take it) it is parked in the outbound
//! folder instead, and the log says so.

use kurir::mail::mailbox::{final_delivery_bytes, route_recipients};
use kurir::proto::smtp::AcceptedMessage;

use crate::maildir::{mailbox_folder, MailDir, OUTBOUND_FOLDER};
use crate::world_relay::WorldRelay;

/// Delivers `message` and returns one log line per outcome.
pub fn deliver(
    message: &AcceptedMessage,
    local_domains: &[String],
    mail_dir: Option<&MailDir>,
    world: Option<&WorldRelay>,
) -> Vec<String> {
    let routes = route_recipients(&message.recipients, local_domains);
    let mut outcomes: Vec<String> = routes
        .delivered_to
        .iter()
        .map(|rcpt| deliver_locally(message, rcpt, mail_dir))
        .collect();
    if routes.queued_for.is_empty() {
        return outcomes;
    }
    match world.map(|w| w.relay(message, &routes.queued_for, mail_dir)) {
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

fn deliver_locally(
    message: &AcceptedMessage,
    recipient: &str,
    mail_dir: Option<&MailDir>,
) -> String {
    let Some(mail_dir) = mail_dir else {
        return format!("  → <{recipient}>: not stored (no --mail-dir)");
    };
    match mail_dir.store(
        &mailbox_folder(recipient),
        &message.queue_id,
        &final_delivery_bytes(message),
    ) {
        Ok(path) => format!("  → <{recipient}>: delivered to {}", path.display()),
        Err(e) => format!("  → <{recipient}>: NOT stored: {e}"),
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
        let outcomes = deliver(
            &message(&["citra@alpha.example", "budi@beta.example"]),
            &["alpha.example".into()],
            None,
            None,
        );
        assert_eq!(
            outcomes,
            [
                "  → <citra@alpha.example>: not stored (no --mail-dir)",
                "  → <budi@beta.example>: queued for relay (not delivered: no network in serve mode)",
            ]
        );
    }

    #[test]
    fn the_summary_names_queue_id_envelope_and_size() {
        assert_eq!(
            summary(&message(&["citra@alpha.example"])),
            "accepted Q7 from <ani@alpha.example> for <citra@alpha.example> (19 bytes, submitted by ani)"
        );
    }
}
