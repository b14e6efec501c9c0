//! Each check in words, in the learner's language, for the lesson panel's check list
//! ("mx1.beta.example took the message's text"). Protocol words, codes, hosts and addresses
//! stay as they are on the wire.

use super::check::{Check, LearnerAction};
use crate::lang::Lang;
use crate::sim::event::{MailboxChange, MailboxProtocol};

impl Check {
    /// One short sentence saying what must have happened.
    pub fn describe(&self, lang: Lang) -> String {
        let pick = |en: &str, id: &str| lang.pick(en, id).to_string();
        match self {
            Check::SmtpCommand { verb, .. } => {
                format!("{} {verb}", pick("You sent", "Kamu mengirim"))
            }
            Check::SmtpReply {
                code,
                after: Some(after),
                ..
            } => format!(
                "{} {code} {} {after}",
                pick("The server answered", "Server menjawab"),
                pick("to", "untuk")
            ),
            Check::SmtpReply { code, .. } => {
                format!("{} {code}", pick("The server answered", "Server menjawab"))
            }
            Check::DataAccepted {
                server,
                after_reply,
                ..
            } => format!(
                "{} {}{}",
                server.as_deref().unwrap_or("SMTP"),
                pick("took the message's text (250)", "menerima isi pesan (250)"),
                after_reply
                    .map(|code| format!(" {} {code}", pick("after a", "setelah balasan")))
                    .unwrap_or_default()
            ),
            Check::MessageDelivered { mailbox } => format!(
                "{} {mailbox}",
                pick(
                    "A message reached the mailbox of",
                    "Pesan sampai di kotak surat"
                )
            ),
            Check::MessageBounced { status } => format!(
                "{}{}",
                pick("A message bounced", "Sebuah pesan memantul (bounce)"),
                status
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            ),
            Check::MessageDeferred { recipient } => format!(
                "{}{}",
                pick("Delivery was deferred", "Pengiriman ditunda"),
                recipient
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ),
            Check::MessageRelayed { next_hop } => format!(
                "{}{}",
                pick("A message was relayed", "Pesan diteruskan"),
                next_hop
                    .as_deref()
                    .map(|h| format!(" {} {h}", pick("to", "ke")))
                    .unwrap_or_default()
            ),
            Check::MxLookup { domain } => {
                format!("{} {domain}", pick("MX lookup for", "Pencarian MX untuk"))
            }
            Check::DeliveryAttempt { attempt } => format!(
                "{} {attempt}",
                pick("The queue made attempt", "Antrean melakukan percobaan ke-")
            )
            .replace("ke- ", "ke-"),
            Check::PacketForwarded { router } => format!(
                "{router} {}",
                pick("forwarded a packet", "meneruskan sebuah paket")
            ),
            Check::MailboxChanged { change, by } => {
                let what = match change {
                    MailboxChange::Stored => pick("stored", "disimpan"),
                    MailboxChange::Retrieved => pick("downloaded", "diunduh"),
                    MailboxChange::Deleted => pick("deleted", "dihapus"),
                    MailboxChange::Read => pick("marked read", "ditandai sudah dibaca"),
                    MailboxChange::Unread => pick("marked unread", "ditandai belum dibaca"),
                    MailboxChange::Flagged => pick("flagged", "ditandai penting"),
                    MailboxChange::Moved => pick("moved to a folder", "dipindah ke folder"),
                };
                let by = by
                    .map(|p| format!(" ({})", protocol_name(p)))
                    .unwrap_or_default();
                format!(
                    "{} {what}{by}",
                    pick("A message on the server was", "Pesan di server")
                )
            }
            Check::MailboxSynced { device, protocol } => format!(
                "{device} {} {}",
                pick("checked mail with", "memeriksa surat dengan"),
                protocol_name(*protocol)
            ),
            Check::DeviceMessages {
                device,
                count,
                read,
            } => {
                let state = match read {
                    Some(true) => pick(" read", " yang sudah dibaca"),
                    Some(false) => pick(" unread", " yang belum dibaca"),
                    None => String::new(),
                };
                format!(
                    "{device} {} {count} {}{state}",
                    pick("shows", "menampilkan"),
                    pick("message(s)", "pesan")
                )
            }
            Check::ReceivedHeaders { mailbox, count } => format!(
                "{} {mailbox} {} {count} Received:",
                pick("A message for", "Pesan untuk"),
                pick("carries", "membawa")
            ),
            Check::ReceivedFrom { mailbox, host } => format!(
                "{} {mailbox} {} {host}",
                pick("A message for", "Pesan untuk"),
                pick(
                    "has a Received: line from the address of",
                    "punya baris Received: dari alamat"
                )
            ),
            Check::Learner { action } => match action {
                LearnerAction::Inspected { protocol } => format!(
                    "{} {protocol}",
                    pick(
                        "You opened the layer inspector on",
                        "Kamu membuka inspektur layer pada"
                    )
                ),
                LearnerAction::Viewed { view } if view == "packet" => {
                    pick("You opened the packet view", "Kamu membuka tampilan paket")
                }
                LearnerAction::Viewed { .. } => {
                    pick("You opened the mail view", "Kamu membuka tampilan surat")
                }
                LearnerAction::Compared => pick(
                    "You looked at the comparison",
                    "Kamu melihat tabel perbandingan",
                ),
                LearnerAction::OpenedMessage => pick(
                    "You opened a stored message",
                    "Kamu membuka pesan yang tersimpan",
                ),
            },
        }
    }
}

fn protocol_name(protocol: MailboxProtocol) -> &'static str {
    match protocol {
        MailboxProtocol::Pop3 => "POP3",
        MailboxProtocol::Imap => "IMAP",
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::Lang;
    use crate::lesson::catalog::Course;

    #[test]
    fn every_check_of_the_course_reads_in_both_languages() {
        let course = Course::load().unwrap();
        for lesson in &course.lessons {
            for step in &lesson.steps {
                for check in &step.checks {
                    let (en, id) = (check.describe(Lang::En), check.describe(Lang::Id));
                    assert!(!en.is_empty() && !id.is_empty());
                    assert_ne!(en, id, "{check:?}");
                }
            }
        }
    }

    #[test]
    fn a_reply_check_names_code_and_command() {
        let check: crate::lesson::check::Check =
            serde_json::from_str(r#"{"kind":"smtp_reply","code":250,"after":"EHLO"}"#).unwrap();
        assert_eq!(check.describe(Lang::En), "The server answered 250 to EHLO");
        assert_eq!(check.describe(Lang::Id), "Server menjawab 250 untuk EHLO");
        let attempt: crate::lesson::check::Check =
            serde_json::from_str(r#"{"kind":"delivery_attempt","attempt":2}"#).unwrap();
        assert_eq!(
            attempt.describe(Lang::Id),
            "Antrean melakukan percobaan ke-2"
        );
    }

    #[test]
    fn a_retry_and_a_trace_check_say_what_they_wait_for() {
        let retry: crate::lesson::check::Check = serde_json::from_str(
            r#"{"kind":"data_accepted","server":"relay.example","after_reply":451}"#,
        )
        .unwrap();
        assert_eq!(
            retry.describe(Lang::En),
            "relay.example took the message's text (250) after a 451"
        );
        assert_eq!(
            retry.describe(Lang::Id),
            "relay.example menerima isi pesan (250) setelah balasan 451"
        );
        let trace: crate::lesson::check::Check = serde_json::from_str(
            r#"{"kind":"received_from","mailbox":"budi@beta.example","host":"relay.example"}"#,
        )
        .unwrap();
        assert_eq!(
            trace.describe(Lang::Id),
            "Pesan untuk budi@beta.example punya baris Received: dari alamat relay.example"
        );
    }
}
