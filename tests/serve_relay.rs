//! `kurir serve` relays through its simulated world: mail a real client submits on
//! mail.alpha.example's submission port for another domain is relayed by the world's MTA (MX
//! lookup, SMTP to mx1.beta.example) and lands in the recipient's mailbox folder exactly as mx1
//! stored it; mail for a domain the world does not know comes back as a bounce.

mod common;

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use common::{run_client_ok, Kurir, RawSmtp, LOG_DELAY};

const BODY: &str = "Halo Budi,\r\nini lewat dunia simulasi.\r\nSalam, Ani\r\n";

/// Python's smtplib logs in as ani on the submission port and sends to budi@beta.example.
const SEND_TO_BUDI: &str = r#"
import smtplib, sys
port = int(sys.argv[1])
message = ("From: Ani <ani@alpha.example>\r\nTo: Budi <budi@beta.example>\r\n"
           "Subject: Lewat relay\r\n\r\n" + sys.argv[2])
with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
    smtp.ehlo("laptop-ani")
    smtp.login("ani", "ani123")
    refused = smtp.sendmail("ani@alpha.example", ["budi@beta.example"], message)
    assert not refused, refused
"#;

/// Waits for `count` files in a mailbox folder (the log and the files trail the 250 slightly).
fn wait_for_mailbox(kurir: &Kurir, mailbox: &str, count: usize) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + LOG_DELAY;
    loop {
        let messages = kurir.mailbox(mailbox);
        if messages.len() >= count || Instant::now() > deadline {
            return messages;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

fn received_lines(stored: &str) -> Vec<String> {
    let header = stored.split("\r\n\r\n").next().unwrap_or_default();
    let mut fields: Vec<String> = Vec::new();
    for line in header.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.push_str(line);
            }
        } else {
            fields.push(line.to_string());
        }
    }
    fields
        .into_iter()
        .filter(|f| f.starts_with("Received: "))
        .collect()
}

#[test]
fn smtplib_submission_to_budi_is_relayed_into_his_mailbox() {
    let kurir = Kurir::start();
    run_client_ok(
        Command::new("python3")
            .arg("-c")
            .arg(SEND_TO_BUDI)
            .arg(kurir.submission.port().to_string())
            .arg(BODY),
    );
    let messages = wait_for_mailbox(&kurir, "budi@beta.example", 1);
    assert_eq!(messages.len(), 1, "log: {:#?}", kurir.log());
    let stored = String::from_utf8(messages[0].clone()).unwrap();
    assert!(
        stored.starts_with("Return-Path: <ani@alpha.example>\r\n"),
        "{stored}"
    );
    let received = received_lines(&stored);
    assert_eq!(received.len(), 2, "{stored}");
    assert!(received[0].contains("by mx1.beta.example"), "{stored}");
    assert!(received[0].contains("for <budi@beta.example>"), "{stored}");
    assert!(received[1].contains("by mail.alpha.example"), "{stored}");
    assert!(stored.ends_with(BODY), "{stored}");
    assert!(stored.contains("Subject: Lewat relay\r\n"));
    assert!(kurir.outbound().is_empty());
    assert!(kurir.wait_for_log("relayed to mx1.beta.example: 250", LOG_DELAY));
    assert!(kurir.wait_for_log(
        "<budi@beta.example>: delivered by mx1.beta.example to ",
        LOG_DELAY
    ));
}

#[test]
fn mail_for_an_unknown_domain_bounces_back_to_ani() {
    let kurir = Kurir::start();
    let mut smtp = RawSmtp::connect(kurir.submission);
    smtp.expect("EHLO laptop-ani", "250");
    smtp.expect("AUTH PLAIN AGFuaQBhbmkxMjM=", "235");
    smtp.expect("MAIL FROM:<ani@alpha.example>", "250");
    smtp.expect("RCPT TO:<someone@nowhere.example>", "250");
    smtp.expect("DATA", "354");
    smtp.expect("Subject: Ke mana?\r\n\r\nHalo?\r\n.", "250");
    smtp.expect("QUIT", "221");
    assert!(
        kurir.wait_for_log(
            "<someone@nowhere.example>: bounced by mail.alpha.example (5.",
            LOG_DELAY
        ),
        "log: {:#?}",
        kurir.log()
    );
    assert!(kurir.wait_for_log(
        "bounce queued at mail.alpha.example for <ani@alpha.example>",
        LOG_DELAY
    ));
    // The report (RFC 3464, MAIL FROM:<>) is delivered into ani's own mailbox.
    let bounces = wait_for_mailbox(&kurir, "ani@alpha.example", 1);
    assert_eq!(bounces.len(), 1, "log: {:#?}", kurir.log());
    let bounce = String::from_utf8_lossy(&bounces[0]);
    assert!(bounce.starts_with("Return-Path: <>\r\n"), "{bounce}");
    assert!(bounce.contains("someone@nowhere.example"), "{bounce}");
    assert!(kurir.outbound().is_empty());
}
