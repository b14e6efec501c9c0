//! swaks, the SMTP test tool, against `kurir serve` over loopback: plain sends, PIPELINING,
//! dot-stuffing, and AUTH PLAIN / LOGIN on the submission port.
//!
//! swaks reads the message from a file with LF line endings, sends them as CRLF, stuffs every
//! line that starts with "." (RFC 5321 §4.5.2), and ends the data with CRLF "." CRLF after the
//! last line. So what the server must store is the file with CRLF endings plus a final CRLF.

mod common;

use std::process::Command;

use common::{run_client_ok, server_arg, Delivered, Kurir};

/// Lines that start with a dot: swaks doubles each first dot and the server removes it again.
/// A line of a single "." would end the message if it were not stuffed.
const MESSAGE_LINES: [&str; 9] = [
    "From: Ani <ani@alpha.example>",
    "Subject: dots",
    "",
    "Hai,",
    ".hidden line",
    "..two dots",
    ".",
    "...",
    "Ani",
];

fn message_file_contents() -> String {
    MESSAGE_LINES.join("\n")
}

fn expected_message() -> Vec<u8> {
    format!("{}\r\n", MESSAGE_LINES.join("\r\n")).into_bytes()
}

fn swaks(kurir: &Kurir, server: std::net::SocketAddr, from: &str, to: &str) -> Command {
    let message = kurir.scratch_file("message.txt", message_file_contents().as_bytes());
    let mut command = Command::new("swaks");
    command.args([
        "--server",
        &server_arg(server),
        "--helo",
        "laptop-ani.alpha.example",
    ]);
    command.args(["--from", from, "--to", to]);
    command.arg("--data").arg(format!("@{}", message.display()));
    command
}

/// ani submitting to citra@alpha.example, authenticating with `mechanism` and `password`.
fn submission_as_ani(kurir: &Kurir, mechanism: &str, password: &str) -> Command {
    let mut command = swaks(
        kurir,
        kurir.submission,
        "ani@alpha.example",
        "citra@alpha.example",
    );
    command.args([
        "--auth",
        mechanism,
        "--auth-user",
        "ani",
        "--auth-password",
        password,
    ]);
    command
}

fn assert_delivered_once(kurir: &Kurir, recipient: &str) {
    let stored = kurir.mailbox(recipient);
    assert_eq!(stored.len(), 1, "expected one message for {recipient}");
    let delivered = Delivered::parse(&stored[0]);
    assert_eq!(
        delivered.return_path,
        "Return-Path: <ani@alpha.example>\r\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&delivered.message),
        String::from_utf8_lossy(&expected_message())
    );
}

#[test]
fn a_plain_send_arrives_with_its_dots_as_the_client_meant_them() {
    let kurir = Kurir::start();
    run_client_ok(&mut swaks(
        &kurir,
        kurir.relay,
        "ani@alpha.example",
        "budi@beta.example",
    ));
    assert_delivered_once(&kurir, "budi@beta.example");
}

#[test]
fn a_pipelined_send_arrives() {
    let kurir = Kurir::start();
    let output = run_client_ok(
        swaks(
            &kurir,
            kurir.relay,
            "ani@alpha.example",
            "budi@beta.example",
        )
        .arg("--pipeline"),
    );
    let transcript = String::from_utf8_lossy(&output.stdout);
    assert!(
        transcript.contains("MAIL FROM:<ani@alpha.example>\n -> RCPT TO:<budi@beta.example>"),
        "swaks should send MAIL and RCPT as one group:\n{transcript}"
    );
    assert_delivered_once(&kurir, "budi@beta.example");
}

fn submit_with_auth(mechanism: &str) {
    let kurir = Kurir::start();
    let mut command = submission_as_ani(&kurir, mechanism, "ani123");
    run_client_ok(&mut command);
    assert_delivered_once(&kurir, "citra@alpha.example");
    assert!(kurir.wait_for_log("authenticated as ani", common::LOG_DELAY));
}

#[test]
fn auth_plain_on_submission_sends() {
    submit_with_auth("PLAIN");
}

#[test]
fn auth_login_on_submission_sends() {
    submit_with_auth("LOGIN");
}

#[test]
fn a_wrong_password_stops_swaks() {
    let kurir = Kurir::start();
    let mut command = submission_as_ani(&kurir, "PLAIN", "wrong");
    let output = common::run_client(&mut command);
    assert!(
        !output.status.success(),
        "swaks must report the failed AUTH"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("<** 535 5.7.8"),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(kurir.all_stored().is_empty());
}
