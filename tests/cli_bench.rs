//! `kurir bench --quick` as a script meets it: it exits 0 and prints the `KURIR_METRIC` lines
//! for both recipient counts and both session sizes with positive numbers. No wall-clock
//! threshold is asserted: the speed depends on the machine, the lines must not.

use std::process::Command;

/// The value of `KURIR_METRIC name=value recipients=R per_session=S`, if the output has that
/// line.
fn metric(output: &str, name: &str, recipients: usize, per_session: usize) -> Option<f64> {
    let suffix = format!(" recipients={recipients} per_session={per_session}");
    output.lines().find_map(|line| {
        let rest = line.strip_prefix("KURIR_METRIC ")?.strip_suffix(&suffix)?;
        rest.strip_prefix(name)?.strip_prefix('=')?.parse().ok()
    })
}

#[test]
fn quick_bench_reports_positive_metrics_for_every_recipient_count_and_session_size() {
    let output = Command::new(env!("CARGO_BIN_EXE_kurir"))
        .args(["bench", "--quick"])
        .output()
        .expect("run the kurir binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for (recipients, per_session) in [(1, 1), (100, 1), (1, 100), (100, 100)] {
        for name in [
            "sim_messages_per_second",
            "sim_recipients_per_second",
            "sim_frames",
            "sim_bytes",
            "sim_events",
        ] {
            let value = metric(&stdout, name, recipients, per_session).unwrap_or_else(|| {
                panic!("no {name} for {recipients} recipients, {per_session} per session in:\n{stdout}")
            });
            assert!(value > 0.0, "{name} = {value} for {recipients} recipients");
        }
    }
    assert!(
        stdout.contains("skipped: no --postfix-dir given"),
        "the anchor says why it did not run:\n{stdout}"
    );
}

#[test]
fn a_hundred_recipients_carry_more_bytes_than_one() {
    let output = Command::new(env!("CARGO_BIN_EXE_kurir"))
        .args(["bench", "--quick", "--messages", "3"])
        .output()
        .expect("run the kurir binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let one = metric(&stdout, "sim_bytes", 1, 1).expect("bytes for 1 recipient");
    let hundred = metric(&stdout, "sim_bytes", 100, 1).expect("bytes for 100 recipients");
    assert!(hundred > one, "1: {one}, 100: {hundred}");
}

#[test]
fn messages_sharing_a_connection_take_fewer_frames() {
    let output = Command::new(env!("CARGO_BIN_EXE_kurir"))
        .args(["bench", "--quick", "--recipients", "1"])
        .output()
        .expect("run the kurir binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let alone = metric(&stdout, "sim_frames", 1, 1).expect("frames, a connection each");
    let shared = metric(&stdout, "sim_frames", 1, 100).expect("frames, one connection");
    // No handshake, greeting, EHLO, QUIT or teardown for all but the first message.
    assert!(
        shared * 2.0 < alone,
        "a connection each: {alone}, shared: {shared}"
    );
}
