//! SMTP smuggling (CVE-2023-51764 and kin) over a real socket: only CRLF "." CRLF ends DATA
//! (RFC 5321 §4.1.1.4). A fake ending built from bare LF or bare CR must never let a second,
//! smuggled transaction through: one DATA stores at most one message, never two.

mod common;

use common::{Kurir, RawSmtp};

/// Endings that some servers have taken for the end of data.
const FAKE_ENDINGS: [&str; 5] = ["\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\r.\r"];

fn smuggling_data(fake_ending: &str) -> Vec<u8> {
    format!(
        "Subject: innocent\r\n\r\nHello{fake_ending}\
MAIL FROM:<x@evil.example>\r\n\
RCPT TO:<budi@beta.example>\r\n\
DATA\r\n\
From: ceo@beta.example\r\n\
Subject: smuggled\r\n\r\nPay now.\r\n\
.\r\n"
    )
    .into_bytes()
}

/// Sends one DATA with a smuggling attempt and lets the session end; returns the server's replies.
fn attempt_smuggling(kurir: &Kurir, fake_ending: &str) -> String {
    let mut client = RawSmtp::connect(kurir.relay);
    client.expect("EHLO attacker.example", "250");
    client.expect("MAIL FROM:<ani@alpha.example>", "250");
    client.expect("RCPT TO:<budi@beta.example>", "250");
    client.expect("DATA", "354");
    client.send(&smuggling_data(fake_ending));
    client.send(b"QUIT\r\n");
    let mut replies = String::new();
    while !replies.starts_with("221") && !replies.contains("\n221 ") {
        replies.push_str(&client.read_reply());
    }
    replies
}

#[test]
fn a_fake_end_of_data_never_smuggles_a_second_message() {
    let kurir = Kurir::start();
    for fake_ending in FAKE_ENDINGS {
        let before = kurir.mailbox("budi@beta.example").len();
        let replies = attempt_smuggling(&kurir, fake_ending);
        let stored = kurir.mailbox("budi@beta.example");
        assert!(
            stored.len() - before <= 1,
            "{fake_ending:?}: {} messages from one DATA; replies: {replies:?}",
            stored.len() - before
        );
        for message in &stored {
            assert!(
                !message.starts_with(b"Return-Path: <x@evil.example>"),
                "{fake_ending:?}: the smuggled sender got through"
            );
        }
    }
}
