//! The `kurir` command line as a user meets it: help texts, and clear errors with exit
//! status 2 for what it does not understand.

mod common;

use std::net::TcpListener;

use common::{run_kurir, stderr, stdout};

#[test]
fn help_names_the_serve_command() {
    let output = run_kurir(&["--help"]);
    assert!(output.status.success());
    assert!(
        stdout(&output).contains("kurir serve [OPTIONS]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn serve_help_lists_every_option_with_its_default() {
    let output = run_kurir(&["serve", "--help"]);
    assert!(output.status.success());
    let usage = stdout(&output);
    for option in [
        "--smtp ADDR",
        "[default: 127.0.0.1:2525]",
        "--submission ADDR",
        "[default: 127.0.0.1:2587]",
        "--mail-dir DIR",
        "--idle-timeout SECS",
        "[default: 300]",
        "--quiet",
    ] {
        assert!(usage.contains(option), "missing {option:?} in:\n{usage}");
    }
}

#[test]
fn an_unknown_option_is_a_usage_error() {
    let output = run_kurir(&["serve", "--port", "25"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "kurir: unknown option `--port`; see `kurir serve --help`\n"
    );
}

#[test]
fn a_missing_or_unknown_command_is_a_usage_error() {
    for args in [&[][..], &["send"][..]] {
        let output = run_kurir(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains("see `kurir --help`"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_bad_value_says_what_was_expected() {
    let output = run_kurir(&["serve", "--idle-timeout", "soon"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`--idle-timeout soon`: expected a whole number of seconds"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_port_in_use_fails_with_the_reason() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = run_kurir(&["serve", "--smtp", &address, "--submission", "127.0.0.1:0"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(&format!(
            "cannot listen on {address} for mx1.beta.example SMTP relay"
        )),
        "{}",
        stderr(&output)
    );
}
