//! `kurir scenario` as a user meets it: the list, a run's timeline, transcripts and capture,
//! and a clear error (exit status 2) for a name it does not know.

mod common;

use std::path::PathBuf;

use common::{run_kurir, stderr, stdout};
use kurir::sim::scenario::SCENARIOS;

#[test]
fn list_names_and_describes_every_scenario() {
    let output = run_kurir(&["scenario", "list"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), SCENARIOS.len(), "{text}");
    for scenario in &SCENARIOS {
        let line = text
            .lines()
            .find(|l| l.starts_with(scenario.name))
            .unwrap_or_else(|| panic!("{} missing from\n{text}", scenario.name));
        assert!(line.ends_with(scenario.description), "{line}");
    }
}

#[test]
fn run_cross_domain_prints_the_timeline_and_writes_the_capture() {
    let pcap = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cross-domain.pcap");
    let _ = std::fs::remove_file(&pcap);
    let output = run_kurir(&[
        "scenario",
        "run",
        "cross-domain",
        "--pcap",
        pcap.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let timeline_line = |needle: &[&str]| {
        text.lines()
            .any(|line| needle.iter().all(|part| line.contains(part)))
    };
    assert!(
        timeline_line(&[
            "mail.alpha.example",
            "application",
            "DNS query",
            "MX beta.example"
        ]),
        "{text}"
    );
    assert!(timeline_line(&["r2", "network", "forwards"]), "{text}");
    assert!(
        timeline_line(&["mx1.beta.example", "S: 250 2.0.0"]),
        "{text}"
    );
    assert!(
        timeline_line(&["msg#0 relayed to mx1.beta.example"]),
        "{text}"
    );
    let transcripts = text.split_once("SMTP transcripts").unwrap().1;
    assert!(
        transcripts.contains("mail.alpha.example -> mx1.beta.example"),
        "{transcripts}"
    );
    assert!(
        transcripts.contains("  C: RCPT TO:<budi@beta.example>"),
        "{transcripts}"
    );

    let bytes = std::fs::read(&pcap).unwrap();
    assert!(bytes.len() > 24, "a header and frames");
    assert_eq!(&bytes[..4], &0xa1b2_c3d4u32.to_le_bytes(), "pcap magic");
}

#[test]
fn a_seed_changes_nothing_but_what_chance_decides() {
    let a = run_kurir(&["scenario", "run", "local-delivery", "--seed", "42"]);
    let b = run_kurir(&["scenario", "run", "local-delivery", "--seed=42"]);
    assert!(a.status.success(), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
}

#[test]
fn an_unknown_name_is_a_usage_error_listing_the_names() {
    let output = run_kurir(&["scenario", "run", "no-such-thing"]);
    assert_eq!(output.status.code(), Some(2));
    let error = stderr(&output);
    assert!(error.contains("no-such-thing"), "{error}");
    for scenario in &SCENARIOS {
        assert!(error.contains(scenario.name), "{error}");
    }
    let bad_seed = run_kurir(&["scenario", "run", "cross-domain", "--seed", "soon"]);
    assert_eq!(bad_seed.status.code(), Some(2));
    assert!(stderr(&bad_seed).contains("--seed"));
}
