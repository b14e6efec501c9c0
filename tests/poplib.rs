//! Real POP3 clients against `kurir serve` over loopback: Python's poplib (the standard
//! library client; its cases are in tests/clients/poplib_cases.py) and curl's pop3://.
//! Mail reaches budi's mailbox over SMTP on the relay port — from smtplib, or from swaks —
//! and must come back over POP3 byte for byte.

mod common;

use std::process::Command;

use common::{python_case, run_client_ok, swaks_to_budi, Kurir};

/// What breaks naive POP3 servers: a line that starts with a dot (stuffed again for POP3,
/// unstuffed by the client), a lone-dot-like line, trailing spaces, UTF-8.
const MESSAGE: &[u8] = b"From: Ani <ani@alpha.example>\r\n\
To: Budi <budi@beta.example>\r\n\
Subject: Halo lewat POP3\r\n\
\r\n\
Hai Budi,  \r\n\
.baris yang diawali titik\r\n\
..dua titik\r\n\
\r\n\
Salam, Ani \xe2\x80\x93 sampai jumpa\r\n";

fn poplib_case(kurir: &Kurir, case: &str) -> Command {
    python_case(kurir, "poplib", case, "--pop3", kurir.pop3, MESSAGE)
}

#[test]
fn poplib_lists_reads_and_deletes_at_quit() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(&kurir, "read_list_and_delete"));
    assert!(kurir
        .log()
        .iter()
        .any(|line| line.ends_with("budi@beta.example: 1 deleted at QUIT")));
}

#[test]
fn poplib_second_session_is_locked_out_while_the_first_is_open() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(&kurir, "second_session_is_locked_out"));
}

#[test]
fn poplib_wrong_password_is_refused() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(&kurir, "wrong_password_is_refused"));
}

#[test]
fn poplib_apop_logs_in_without_sending_the_password() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(
        &kurir,
        "apop_logs_in_without_sending_the_password",
    ));
    assert!(
        !kurir.log().iter().any(|line| line.contains("budi123")),
        "the password never crosses the wire"
    );
}

#[test]
fn poplib_dropped_connection_deletes_nothing() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(
        &kurir,
        "dropped_connection_deletes_nothing",
    ));
}

#[test]
fn mail_sent_with_swaks_is_read_back_byte_exact_with_poplib() {
    let kurir = Kurir::start();
    swaks_to_budi(&kurir, MESSAGE);
    run_client_ok(&mut poplib_case(&kurir, "retr_matches_file"));
}

#[test]
fn curl_lists_and_retrieves_over_pop3() {
    let kurir = Kurir::start();
    run_client_ok(&mut poplib_case(&kurir, "second_session_is_locked_out"));
    let curl = |path: &str| {
        let output = run_client_ok(
            Command::new("curl")
                .args(["--silent", "--show-error", "--max-time", "10"])
                .args(["--user", "budi:budi123"])
                .arg(format!("pop3://{}/{path}", kurir.pop3)),
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // Without a number, curl sends LIST; with one, RETR.
    let listing = curl("");
    assert!(listing.starts_with("1 "), "{listing}");
    let message = curl("1");
    assert!(
        message.starts_with("Return-Path: <ani@alpha.example>\r\n"),
        "{message}"
    );
    assert!(
        message.ends_with("Subject: satu\r\n\r\nHalo\r\n"),
        "{message}"
    );
}
