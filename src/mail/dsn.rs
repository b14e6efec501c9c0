//! The bounce: a delivery status notification that tells a sender which recipients did not get
//! the message and why (RFC 3464 fields inside an RFC 6522 `multipart/report`).
//!
//! The report has three parts: a short human text in English and Bahasa Indonesia, the
//! machine-readable `message/delivery-status` (one block for the reporting MTA, one per failed
//! recipient: `Final-Recipient`, `Action: failed`, `Status`, `Remote-MTA`, `Diagnostic-Code`),
//! and the original message's header section as `text/rfc822-headers` (RFC 6522 §4).
//!
//! It goes out with the null reverse-path `MAIL FROM:<>` (RFC 5321 §4.5.5) so that it can never
//! cause another bounce; `Auto-Submitted: auto-replied` (RFC 3834 §5) says the same to people.
//! Lines end in CRLF and stay under 998 octets (RFC 5322 §2.1.1); the boundary is built from
//! the message ids, never from a random source, so a replayed world writes the same bytes.

use crate::lang::Lang;
use crate::proto::smtp::{EnhancedStatus, Reply};

/// One recipient the report is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedRecipient {
    pub address: String,
    /// The `Status:` field: the reply's enhanced status, or `4.4.7` for an expired message.
    pub status: EnhancedStatus,
    /// The reply that made delivery fail (for an expired message, the last one seen).
    pub diagnostic: Reply,
    /// The server that gave `diagnostic`, when a server gave it.
    pub remote_mta: Option<String>,
}

/// Everything one bounce says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BounceReport<'a> {
    /// The host writing the report (`Reporting-MTA`, `From: MAILER-DAEMON@…`).
    pub reporting_host: &'a str,
    /// The bounce's own queue id and the failed message's: they make the boundary and
    /// `Message-ID` unique and repeatable.
    pub bounce_id: &'a str,
    pub original_id: &'a str,
    /// The failed message's envelope sender, who gets the report.
    pub original_sender: &'a str,
    /// RFC 5322 date-times: when the report is written and when the message arrived.
    pub date: &'a str,
    pub arrival_date: &'a str,
    pub recipients: &'a [FailedRecipient],
    /// The failed message as queued; only its header section is returned.
    pub original_content: &'a [u8],
}

/// The `Subject:` of every bounce, in the words most mail systems use.
pub const BOUNCE_SUBJECT: &str = "Undelivered Mail Returned to Sender";

/// The report as an RFC 5322 message with CRLF line endings, ready to be queued.
pub fn delivery_status_notification(report: &BounceReport<'_>) -> Vec<u8> {
    let human = human_text(report);
    let status = delivery_status(report);
    let headers = original_headers(report.original_content);
    let boundary = boundary(report, &[&human, &status, &headers]);
    let human_encoding = if human.is_ascii() { "7bit" } else { "8bit" };

    let mut out = String::new();
    out.push_str(&format!(
        "From: Mail Delivery System <MAILER-DAEMON@{host}>\r\n\
         To: <{sender}>\r\n\
         Subject: {BOUNCE_SUBJECT}\r\n\
         Date: {date}\r\n\
         Message-ID: <{bounce}.{original}@{host}>\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status;\r\n\
         \tboundary=\"{boundary}\"\r\n\
         \r\n\
         This is a MIME-encapsulated message.\r\n\
         \r\n",
        host = report.reporting_host,
        sender = report.original_sender,
        date = report.date,
        bounce = report.bounce_id,
        original = report.original_id,
    ));
    let parts = [
        (
            format!(
                "Content-Type: text/plain; charset=utf-8\r\n\
                 Content-Transfer-Encoding: {human_encoding}\r\n"
            ),
            human,
        ),
        (
            "Content-Type: message/delivery-status\r\n".to_string(),
            status,
        ),
        ("Content-Type: text/rfc822-headers\r\n".to_string(), headers),
    ];
    // The CRLF before each delimiter belongs to the delimiter (RFC 2046 §5.1.1), so every
    // body gets one more to keep its own last line ending.
    for (part_headers, body) in parts {
        out.push_str(&format!("--{boundary}\r\n{part_headers}\r\n{body}\r\n"));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out.into_bytes()
}

/// A boundary from the ids; lengthened until no part contains it (RFC 2046 §5.1.1).
fn boundary(report: &BounceReport<'_>, parts: &[&str]) -> String {
    let mut boundary = format!("=_kurir_{}_{}", report.bounce_id, report.original_id);
    while parts.iter().any(|part| part.contains(&boundary)) {
        boundary.push('_');
    }
    boundary
}

/// One line per failed recipient in both languages, with what its status code means.
fn human_text(report: &BounceReport<'_>) -> String {
    let host = report.reporting_host;
    let mut text = format!(
        "This is the mail system at {host}.\r\n\
         \r\n\
         I'm sorry: your message could not be delivered to the recipients below.\r\n\
         Nothing more will be tried for them. The reason is under each address.\r\n\
         \r\n"
    );
    push_recipient_lines(&mut text, report.recipients, Lang::En);
    text.push_str(&format!(
        "\r\n\
         --- Bahasa Indonesia ---\r\n\
         \r\n\
         Ini adalah sistem surat di {host}.\r\n\
         \r\n\
         Mohon maaf: pesan Anda tidak dapat dikirim ke penerima di bawah ini.\r\n\
         Tidak akan dicoba lagi untuk mereka. Alasannya ada di bawah tiap alamat.\r\n\
         \r\n"
    ));
    push_recipient_lines(&mut text, report.recipients, Lang::Id);
    text
}

fn push_recipient_lines(text: &mut String, recipients: &[FailedRecipient], lang: Lang) {
    for recipient in recipients {
        let said_by = match &recipient.remote_mta {
            Some(host) => lang.pick(format!("{host} said"), format!("{host} menjawab")),
            None => lang.pick("reason".to_string(), "alasan".to_string()),
        };
        text.push_str(&format!(
            "<{}>\r\n  {said_by}: {}\r\n  {}: {}\r\n",
            recipient.address,
            one_line(&recipient.diagnostic),
            recipient.status,
            recipient.status.title(lang),
        ));
    }
}

/// The `message/delivery-status` body (RFC 3464 §2.2, §2.3): per-message fields, then a block
/// per recipient, blocks separated by an empty line.
fn delivery_status(report: &BounceReport<'_>) -> String {
    let mut body = format!(
        "Reporting-MTA: dns; {}\r\nX-Kurir-Queue-ID: {}\r\nArrival-Date: {}\r\n",
        report.reporting_host, report.original_id, report.arrival_date
    );
    for recipient in report.recipients {
        body.push_str(&format!(
            "\r\nFinal-Recipient: rfc822; {}\r\nAction: failed\r\nStatus: {}\r\n",
            recipient.address, recipient.status
        ));
        if let Some(host) = &recipient.remote_mta {
            body.push_str(&format!("Remote-MTA: dns; {host}\r\n"));
        }
        body.push_str(&diagnostic_code(&recipient.diagnostic));
    }
    body
}

/// `Diagnostic-Code: smtp; 550 5.1.1 …`; the lines of a multi-line reply are folded onto
/// continuation lines, so each stays as short as the reply line it came from.
fn diagnostic_code(reply: &Reply) -> String {
    let wire = reply.to_wire();
    let mut lines = wire.split_terminator("\r\n");
    let mut field = format!("Diagnostic-Code: smtp; {}\r\n", lines.next().unwrap_or(""));
    for line in lines {
        field.push_str(&format!(" {line}\r\n"));
    }
    field
}

/// A reply on one line for people: code, status, the text lines joined.
fn one_line(reply: &Reply) -> String {
    let mut line = reply.code.to_string();
    if let Some(status) = reply.status {
        line.push_str(&format!(" {status}"));
    }
    for text in reply.lines.iter().filter(|text| !text.is_empty()) {
        line.push(' ');
        line.push_str(text);
    }
    line
}

/// The header section of `content` up to (not including) the empty line, CRLF-terminated.
fn original_headers(content: &[u8]) -> String {
    let text = String::from_utf8_lossy(content);
    let section = match text.split_once("\r\n\r\n") {
        Some((headers, _)) => headers,
        None => text.trim_end_matches("\r\n"),
    };
    if section.is_empty() {
        String::new()
    } else {
        format!("{section}\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::smtp::ReplyCode;

    fn no_such_user() -> FailedRecipient {
        FailedRecipient {
            address: "nobody@beta.example".into(),
            status: EnhancedStatus::BAD_DESTINATION_MAILBOX,
            diagnostic: Reply::new(
                ReplyCode::new(550).unwrap(),
                Some(EnhancedStatus::BAD_DESTINATION_MAILBOX),
                "No such user here",
            ),
            remote_mta: Some("mx1.beta.example".into()),
        }
    }

    fn report_for(recipients: &[FailedRecipient]) -> Vec<u8> {
        delivery_status_notification(&BounceReport {
            reporting_host: "mail.alpha.example",
            bounce_id: "Q2",
            original_id: "Q1",
            original_sender: "ani@alpha.example",
            date: "Mon, 1 Jan 2024 00:30:00 +0000",
            arrival_date: "Mon, 1 Jan 2024 00:00:00 +0000",
            recipients,
            original_content: b"Received: from laptop-ani\r\n\tby mail.alpha.example\r\n\
                Subject: Halo Budi\r\n\r\nIsi pesan\r\n",
        })
    }

    /// Splits a MIME message into (headers, body) at the first empty line.
    fn split(text: &str) -> (&str, &str) {
        text.split_once("\r\n\r\n").unwrap()
    }

    #[test]
    fn every_line_ends_in_crlf_and_fits_998_octets() {
        let bytes = report_for(&[no_such_user()]);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
            assert!(line.len() <= 998);
        }
    }

    #[test]
    fn top_headers_address_the_sender_from_mailer_daemon() {
        let text = String::from_utf8(report_for(&[no_such_user()])).unwrap();
        let (headers, _) = split(&text);
        assert!(headers.contains("From: Mail Delivery System <MAILER-DAEMON@mail.alpha.example>"));
        assert!(headers.contains("To: <ani@alpha.example>"));
        assert!(headers.contains("Subject: Undelivered Mail Returned to Sender"));
        assert!(headers.contains("Date: Mon, 1 Jan 2024 00:30:00 +0000"));
        assert!(headers.contains("Auto-Submitted: auto-replied"));
        assert!(headers.contains("MIME-Version: 1.0"));
        assert!(headers.contains(
            "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"=_kurir_Q2_Q1\""
        ));
    }

    #[test]
    fn the_report_has_three_parts_in_rfc_6522_order() {
        let text = String::from_utf8(report_for(&[no_such_user()])).unwrap();
        let (_, body) = split(&text);
        let delimiter = "--=_kurir_Q2_Q1";
        assert!(body.ends_with(&format!("{delimiter}--\r\n")));
        let parts: Vec<&str> = body
            .split(&format!("{delimiter}\r\n"))
            .skip(1)
            .map(|part| part.trim_end_matches(&format!("{delimiter}--\r\n")))
            .map(|part| part.strip_suffix("\r\n").expect("the delimiter's own CRLF"))
            .collect();
        assert_eq!(parts.len(), 3);
        let content_types: Vec<&str> = parts
            .iter()
            .map(|part| split(part).0.lines().next().unwrap())
            .collect();
        assert_eq!(
            content_types,
            [
                "Content-Type: text/plain; charset=utf-8",
                "Content-Type: message/delivery-status",
                "Content-Type: text/rfc822-headers",
            ]
        );
        let (_, original) = split(parts[2]);
        assert_eq!(
            original,
            "Received: from laptop-ani\r\n\tby mail.alpha.example\r\nSubject: Halo Budi\r\n"
        );
    }

    #[test]
    fn delivery_status_names_recipient_status_remote_mta_and_diagnostic() {
        let text = String::from_utf8(report_for(&[no_such_user()])).unwrap();
        assert!(text.contains(
            "Reporting-MTA: dns; mail.alpha.example\r\nX-Kurir-Queue-ID: Q1\r\n\
             Arrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n\
             Final-Recipient: rfc822; nobody@beta.example\r\nAction: failed\r\nStatus: 5.1.1\r\n\
             Remote-MTA: dns; mx1.beta.example\r\n\
             Diagnostic-Code: smtp; 550 5.1.1 No such user here\r\n"
        ));
    }

    #[test]
    fn the_human_part_speaks_english_and_indonesian() {
        let text = String::from_utf8(report_for(&[no_such_user()])).unwrap();
        assert!(text.contains("could not be delivered"));
        assert!(text.contains("tidak dapat dikirim"));
        assert_eq!(text.matches("<nobody@beta.example>\r\n").count(), 2);
        assert!(text.contains("mx1.beta.example said: 550 5.1.1 No such user here"));
        assert!(text.contains("mx1.beta.example menjawab: 550 5.1.1 No such user here"));
        assert!(text.contains(&format!(
            "5.1.1: {}",
            EnhancedStatus::BAD_DESTINATION_MAILBOX.title(Lang::Id)
        )));
    }

    #[test]
    fn a_multi_line_diagnostic_is_folded() {
        let mut recipient = no_such_user();
        recipient.diagnostic = Reply::multiline(
            ReplyCode::new(550).unwrap(),
            Some(EnhancedStatus::BAD_DESTINATION_MAILBOX),
            ["No such user", "Try another address"],
        );
        let text = String::from_utf8(report_for(&[recipient])).unwrap();
        assert!(text.contains(
            "Diagnostic-Code: smtp; 550-5.1.1 No such user\r\n 550 5.1.1 Try another address\r\n"
        ));
    }

    #[test]
    fn a_local_failure_has_no_remote_mta() {
        let mut recipient = no_such_user();
        recipient.remote_mta = None;
        let text = String::from_utf8(report_for(&[recipient])).unwrap();
        assert!(!text.contains("Remote-MTA"));
        assert!(text.contains("reason: 550 5.1.1"));
        assert!(text.contains("alasan: 550 5.1.1"));
    }

    #[test]
    fn the_boundary_avoids_text_that_contains_it() {
        let bytes = delivery_status_notification(&BounceReport {
            reporting_host: "h",
            bounce_id: "B",
            original_id: "O",
            original_sender: "s@x.example",
            date: "d",
            arrival_date: "a",
            recipients: &[no_such_user()],
            original_content: b"X-Trick: =_kurir_B_O\r\n\r\n",
        });
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("boundary=\"=_kurir_B_O_\""));
    }
}
