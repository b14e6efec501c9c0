//! Python's smtplib, the standard library client, against `kurir serve` over loopback.
//!
//! Each test runs one case of tests/clients/smtplib_cases.py (which checks what the client
//! sees: codes, exceptions, EHLO keywords) and then checks what the server stored.

mod common;

use std::path::Path;
use std::process::Command;

use common::{run_client_ok, server_arg, Delivered, Kurir};

/// A message with what tends to break naive servers: a line that starts with a dot (smtplib
/// stuffs it, the server must unstuff it), trailing spaces, an empty line, UTF-8 text.
const MESSAGE: &[u8] = b"From: Ani <ani@alpha.example>\r\n\
To: Budi <budi@beta.example>\r\n\
Subject: Halo dari Ani\r\n\
\r\n\
Hai Budi,  \r\n\
.this line starts with a dot\r\n\
\r\n\
Salam, Ani \xe2\x80\x93 sampai jumpa\r\n";

fn run_case(kurir: &Kurir, case: &str) {
    let message = kurir.scratch_file("message.eml", MESSAGE);
    run_client_ok(smtplib_case(kurir, case).arg("--message").arg(&message));
}

fn smtplib_case(kurir: &Kurir, case: &str) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/smtplib_cases.py");
    let mut command = Command::new("python3");
    command.arg(script).arg(case);
    command.args([
        "--relay",
        &server_arg(kurir.relay),
        "--submission",
        &server_arg(kurir.submission),
    ]);
    command
}

fn the_only_message(messages: Vec<Vec<u8>>) -> Vec<u8> {
    assert_eq!(messages.len(), 1, "expected exactly one stored message");
    messages.into_iter().next().unwrap()
}

#[test]
fn mail_for_a_local_user_arrives_byte_exact() {
    let kurir = Kurir::start();
    run_case(&kurir, "relay_delivers_to_local_user");
    let delivered = Delivered::parse(&the_only_message(kurir.mailbox("budi@beta.example")));
    assert_eq!(
        delivered.return_path,
        "Return-Path: <ani@alpha.example>\r\n"
    );
    assert!(
        delivered.received.contains("by mx1.beta.example"),
        "{}",
        delivered.received
    );
    assert!(
        delivered.received.contains("for <budi@beta.example>"),
        "{}",
        delivered.received
    );
    assert_eq!(
        String::from_utf8_lossy(&delivered.message),
        String::from_utf8_lossy(MESSAGE)
    );
    assert_eq!(delivered.message, MESSAGE);
}

#[test]
fn an_unknown_mailbox_is_refused_with_550() {
    let kurir = Kurir::start();
    run_case(&kurir, "relay_refuses_unknown_user");
    assert!(kurir.all_stored().is_empty());
}

#[test]
fn port_25_refuses_to_relay_with_554_5_7_1() {
    let kurir = Kurir::start();
    run_case(&kurir, "relay_refuses_to_relay");
    assert!(kurir.all_stored().is_empty());
}

#[test]
fn submission_after_login_delivers_to_a_local_user() {
    let kurir = Kurir::start();
    run_case(&kurir, "submission_delivers_locally");
    let delivered = Delivered::parse(&the_only_message(kurir.mailbox("citra@alpha.example")));
    assert_eq!(
        delivered.return_path,
        "Return-Path: <ani@alpha.example>\r\n"
    );
    assert!(
        delivered.received.contains("by mail.alpha.example"),
        "{}",
        delivered.received
    );
    assert_eq!(delivered.message, MESSAGE);
    assert!(kurir.outbound().is_empty());
}

#[test]
fn submission_relays_mail_for_another_domain_through_the_world() {
    let kurir = Kurir::start();
    run_case(&kurir, "submission_queues_for_other_domains");
    // Nothing is parked: the world's mail.alpha.example relays it to mx1.beta.example, and it
    // lands in budi's mailbox behind two Received: lines (tests/serve_relay.rs has the rest).
    assert!(kurir.outbound().is_empty());
    let stored = the_only_message(kurir.mailbox("budi@beta.example"));
    assert!(stored.starts_with(b"Return-Path: <ani@alpha.example>\r\nReceived: "));
    assert!(stored.ends_with(MESSAGE));
    assert!(kurir.wait_for_log("relayed to mx1.beta.example: 250", common::LOG_DELAY));
}

#[test]
fn a_wrong_password_gets_535() {
    let kurir = Kurir::start();
    run_case(&kurir, "submission_rejects_a_wrong_password");
}

#[test]
fn submission_without_auth_gets_530() {
    let kurir = Kurir::start();
    run_case(&kurir, "submission_requires_auth");
    assert!(kurir.all_stored().is_empty());
}

#[test]
fn vrfy_confirms_a_user_and_denies_a_stranger() {
    let kurir = Kurir::start();
    run_case(&kurir, "vrfy_answers");
}

#[test]
fn help_answers_214() {
    let kurir = Kurir::start();
    run_case(&kurir, "help_answers");
}

#[test]
fn ehlo_lists_the_extensions_and_auth_only_on_submission() {
    let kurir = Kurir::start();
    run_case(&kurir, "ehlo_advertises_extensions");
}

/// The line each concurrent session appends to MESSAGE to tell its message apart.
fn session_line(stored: &[u8]) -> String {
    let message = Delivered::parse(stored).message;
    let line = message
        .strip_prefix(MESSAGE)
        .expect("the message, then its session line");
    String::from_utf8_lossy(line).into_owned()
}

#[test]
fn twenty_concurrent_sessions_all_deliver() {
    let kurir = Kurir::start_with(&["--quiet"]);
    run_case(&kurir, "concurrent_sessions_all_succeed");
    let mut sessions: Vec<String> = kurir
        .mailbox("budi@beta.example")
        .iter()
        .map(|stored| session_line(stored))
        .collect();
    sessions.sort();
    let mut expected: Vec<String> = (0..20).map(|n| format!("Session {n}\r\n")).collect();
    expected.sort();
    assert_eq!(sessions, expected);
}
