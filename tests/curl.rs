//! curl's SMTP client against `kurir serve` over loopback.
//!
//! curl uploads the file as it is, stuffing every line that starts with "." and ending the
//! data with CRLF "." CRLF (adding a CRLF first if the file lacks one). It changes line
//! endings only with `--crlf`, which turns each LF into CRLF.

mod common;

use std::net::SocketAddr;
use std::process::Command;

use common::{run_client, run_client_ok, Delivered, Kurir};

/// CRLF line endings, a dot line and a lone "." line: stored byte for byte.
const CRLF_MESSAGE: &[u8] = b"From: Ani <ani@alpha.example>\r\n\
Subject: lewat curl\r\n\
\r\n\
.dot at the start\r\n\
.\r\n\
Ani\r\n";

/// The same kind of message as a Unix text file, sent with `--crlf`.
const LF_MESSAGE: &str =
    "From: Ani <ani@alpha.example>\nSubject: lewat curl\n\n.dot at the start\nAni\n";

fn curl(kurir: &Kurir, server: SocketAddr, from: &str, to: &str, message: &[u8]) -> Command {
    let file = kurir.scratch_file("message.eml", message);
    let mut command = Command::new("curl");
    command.args(["--silent", "--show-error", "--max-time", "10"]);
    // The URL's path is the name curl gives in EHLO.
    command.arg(format!("smtp://{server}/laptop-ani.alpha.example"));
    command.args(["--mail-from", from, "--mail-rcpt", to]);
    command.arg("--upload-file").arg(file);
    command
}

/// ani's upload of `message` to citra@alpha.example on the submission port.
fn submission_to_citra(kurir: &Kurir, message: &[u8]) -> Command {
    curl(
        kurir,
        kurir.submission,
        "ani@alpha.example",
        "citra@alpha.example",
        message,
    )
}

fn the_only_delivery(kurir: &Kurir, recipient: &str) -> Delivered {
    let stored = kurir.mailbox(recipient);
    assert_eq!(stored.len(), 1, "expected one message for {recipient}");
    Delivered::parse(&stored[0])
}

#[test]
fn an_upload_arrives_byte_exact() {
    let kurir = Kurir::start();
    run_client_ok(&mut curl(
        &kurir,
        kurir.relay,
        "ani@alpha.example",
        "budi@beta.example",
        CRLF_MESSAGE,
    ));
    let delivered = the_only_delivery(&kurir, "budi@beta.example");
    assert_eq!(
        delivered.return_path,
        "Return-Path: <ani@alpha.example>\r\n"
    );
    assert!(
        delivered
            .received
            .starts_with("Received: from laptop-ani.alpha.example"),
        "{}",
        delivered.received
    );
    assert_eq!(
        String::from_utf8_lossy(&delivered.message),
        String::from_utf8_lossy(CRLF_MESSAGE)
    );
}

#[test]
fn an_authenticated_upload_with_crlf_conversion_arrives() {
    let kurir = Kurir::start();
    let mut command = submission_to_citra(&kurir, LF_MESSAGE.as_bytes());
    command.args(["--crlf", "--user", "ani:ani123"]);
    run_client_ok(&mut command);
    let delivered = the_only_delivery(&kurir, "citra@alpha.example");
    assert_eq!(
        String::from_utf8_lossy(&delivered.message),
        LF_MESSAGE.replace('\n', "\r\n")
    );
}

#[test]
fn a_wrong_password_is_refused() {
    let kurir = Kurir::start();
    let mut command = submission_to_citra(&kurir, CRLF_MESSAGE);
    command.args(["--user", "ani:wrong"]);
    let output = run_client(&mut command);
    // curl's exit code 67: "The remote server denied curl to login".
    assert_eq!(
        output.status.code(),
        Some(67),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(kurir.all_stored().is_empty());
}
