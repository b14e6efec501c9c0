//! Real IMAP clients against `kurir serve` over loopback: Python's imaplib (its cases are in
//! tests/clients/imaplib_cases.py), curl's imap:// and, as a whole mail program from Debian,
//! fetchmail over both IMAP and POP3. Mail reaches budi's mailbox over SMTP on the relay port
//! and must come back byte for byte.

mod common;

use std::process::Command;

use common::{python_case, run_client_ok, swaks_to_budi, Kurir};

/// A dot line, a lone-dot-like line, trailing spaces, UTF-8 (sent as a literal by IMAP).
const MESSAGE: &[u8] = b"From: Ani <ani@alpha.example>\r\n\
To: Budi <budi@beta.example>\r\n\
Subject: Halo lewat IMAP\r\n\
\r\n\
Hai Budi,  \r\n\
.baris yang diawali titik\r\n\
\r\n\
Salam, Ani \xe2\x80\x93 sampai jumpa\r\n";

fn imaplib_case(kurir: &Kurir, case: &str) -> Command {
    python_case(kurir, "imaplib", case, "--imap", kurir.imap, MESSAGE)
}

#[test]
fn imaplib_reads_flags_copies_expunges_and_appends() {
    let kurir = Kurir::start();
    run_client_ok(&mut imaplib_case(&kurir, "read_flag_copy_expunge_append"));
}

#[test]
fn imaplib_two_sessions_see_each_others_changes() {
    let kurir = Kurir::start();
    run_client_ok(&mut imaplib_case(
        &kurir,
        "two_sessions_see_each_others_flags",
    ));
}

#[test]
fn imaplib_wrong_password_is_refused() {
    let kurir = Kurir::start();
    run_client_ok(&mut imaplib_case(&kurir, "wrong_password_is_refused"));
}

#[test]
fn mail_sent_with_swaks_is_read_back_byte_exact_with_imaplib() {
    let kurir = Kurir::start();
    swaks_to_budi(&kurir, MESSAGE);
    run_client_ok(&mut imaplib_case(&kurir, "body_matches_file"));
}

#[test]
fn curl_reads_a_message_over_imap() {
    let kurir = Kurir::start();
    swaks_to_budi(&kurir, MESSAGE);
    let output = run_client_ok(
        Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "10"])
            .args(["--user", "budi:budi123"])
            .arg(format!("imap://{}/INBOX;UID=1", kurir.imap)),
    );
    assert!(
        output.stdout.ends_with(MESSAGE),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// fetchmail, a whole mail program, fetching budi's mail over `protocol` into a file.
fn fetchmail(kurir: &Kurir, protocol: &str, port: u16) -> Vec<u8> {
    let delivered = kurir.scratch_file("delivered.eml", b"");
    let home = delivered.parent().unwrap();
    let rc = format!(
        "poll 127.0.0.1 with proto {protocol} port {port} user \"budi\" password \"budi123\" \
         sslproto '' mda \"cat >> {}\"\n",
        delivered.display()
    );
    let rc_file = kurir.scratch_file("fetchmailrc", rc.as_bytes());
    // fetchmail refuses a run-control file others may read.
    run_client_ok(Command::new("chmod").arg("600").arg(&rc_file));
    run_client_ok(Command::new("chmod").arg("700").arg(home));
    run_client_ok(
        Command::new("fetchmail")
            .env("FETCHMAILHOME", home)
            .arg("--nodetach")
            .arg("-f")
            .arg(&rc_file),
    );
    std::fs::read(&delivered).expect("fetchmail delivered the message")
}

#[test]
fn fetchmail_fetches_over_imap() {
    let kurir = Kurir::start();
    swaks_to_budi(&kurir, MESSAGE);
    let delivered = fetchmail(&kurir, "IMAP", kurir.imap.port());
    // fetchmail's MDA gets LF line endings and a Received: of its own on top.
    let expected = std::str::from_utf8(MESSAGE).unwrap().replace("\r\n", "\n");
    assert!(
        String::from_utf8_lossy(&delivered).ends_with(&expected),
        "{}",
        String::from_utf8_lossy(&delivered)
    );
}

#[test]
fn fetchmail_fetches_over_pop3_and_deletes_what_it_took() {
    let kurir = Kurir::start();
    swaks_to_budi(&kurir, MESSAGE);
    let delivered = fetchmail(&kurir, "POP3", kurir.pop3.port());
    let expected = std::str::from_utf8(MESSAGE).unwrap().replace("\r\n", "\n");
    assert!(String::from_utf8_lossy(&delivered).ends_with(&expected));
    assert!(kurir
        .log()
        .iter()
        .any(|line| line.ends_with("budi@beta.example: 1 deleted at QUIT")));
}
