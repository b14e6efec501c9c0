//! Every named scenario's capture is one a learner can open in Wireshark: tshark finds no
//! malformed packet and no bad IPv4, TCP or UDP checksum, decodes the DNS MX queries the log
//! says were made, and following each TCP stream shows the same SMTP dialogue as the
//! transcript `kurir scenario run` prints (RFC 5321 §4.1 command and reply lines).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::tshark;
use kurir::sim::event::EventKind;
use kurir::sim::id::MessageId;
use kurir::sim::scenario::{self, Action, SCENARIOS};
use kurir::sim::world::World;
use kurir::sim::zone::RecordType;

/// Signs of a broken frame in `tshark -V`: the malformed-packet marker, checksum verdicts,
/// and expert infos of severity Error (where both land).
const PROBLEMS: [&str; 5] = [
    "Malformed",
    "[Checksum Status: Bad]",
    "Bad checksum",
    "incorrect, should be",
    "[Expert Info (Error",
];

fn args(file: &str, rest: &[&str]) -> Vec<String> {
    ["-r", file]
        .iter()
        .chain(rest)
        .map(|a| a.to_string())
        .collect()
}

/// A capture file that is removed when the check ends, pass or fail.
struct Capture(PathBuf);

impl Capture {
    fn write(name: &str, world: &World) -> Capture {
        let path =
            std::env::temp_dir().join(format!("kurir-scenario-{name}-{}.pcap", std::process::id()));
        std::fs::write(&path, world.pcap()).expect("write the capture");
        Capture(path)
    }

    fn file(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        std::fs::remove_file(&self.0).ok();
    }
}

/// One SMTP session as the transcript shows it: the client's command lines in order and the
/// lines of the server's replies in order. (With PIPELINING the two interleave on the wire
/// differently from the log, so each side is checked on its own.)
#[derive(Debug, Default)]
struct Transcript {
    commands: Vec<String>,
    replies: Vec<String>,
}

/// Every session's transcript, by the message it carried: client and server log under
/// their own connection ids but the same message id, as `kurir scenario run` groups them.
fn transcripts(world: &World) -> BTreeMap<MessageId, Transcript> {
    let mut sessions: BTreeMap<MessageId, Transcript> = BTreeMap::new();
    for event in world.events() {
        match &event.kind {
            EventKind::SmtpCommand {
                message: Some(message),
                line,
                ..
            } => sessions
                .entry(*message)
                .or_default()
                .commands
                .push(line.to_string()),
            EventKind::SmtpReply {
                message: Some(message),
                text,
                ..
            } => sessions
                .entry(*message)
                .or_default()
                .replies
                .extend(text.lines().map(str::to_string)),
            _ => {}
        }
    }
    sessions
}

/// Whether `lines` appear in `text` in this order.
fn contains_in_order(text: &str, lines: &[String]) -> bool {
    let mut rest = text;
    for line in lines {
        match rest.find(line.as_str()) {
            Some(at) => rest = &rest[at + line.len()..],
            None => return false,
        }
    }
    true
}

/// Whether the scenario hands mail to beta.example through mail.alpha's queue.
fn relays_to_beta(name: &str) -> bool {
    let scenario = scenario::find(name).unwrap();
    scenario.steps.iter().any(|step| match step.action {
        Action::Submit { to, .. } => to.iter().any(|t| t.ends_with("@beta.example")),
        _ => false,
    })
}

fn check(name: &str) {
    let world = scenario::find(name)
        .unwrap_or_else(|| panic!("no scenario {name}"))
        .run(None)
        .unwrap();
    let capture = Capture::write(name, &world);
    let file = capture.file();

    let verbose = tshark(&args(
        file,
        &[
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "ip.check_checksum:TRUE",
            "-o",
            "udp.check_checksum:TRUE",
            "-V",
        ],
    ));
    for problem in PROBLEMS {
        if let Some(at) = verbose.find(problem) {
            let from = verbose[..at].rfind("\nFrame ").unwrap_or(0);
            panic!(
                "{name}: tshark reports {problem:?} in\n{}",
                &verbose[from..(at + 200).min(verbose.len())]
            );
        }
    }

    // One pass for the stream numbers and the DNS questions.
    let fields = tshark(&args(
        file,
        &[
            "-T",
            "fields",
            "-E",
            "separator=|",
            "-e",
            "tcp.stream",
            "-e",
            "dns.flags.response",
            "-e",
            "dns.qry.type",
            "-e",
            "dns.qry.name",
            "-e",
            "ip.src",
            "-e",
            "ip.id",
            "-e",
            "dns.id",
        ],
    ));
    let mut streams = Vec::new();
    let mut mx_queries = Vec::new();
    // A datagram crossing routers is in the capture once per link; the copies share the
    // sender's address, IP identification and DNS query id.
    let mut seen_datagrams = Vec::new();
    for row in fields.lines() {
        let columns: Vec<&str> = row.split('|').collect();
        assert_eq!(columns.len(), 7, "{name}: {row:?}");
        if let Ok(stream) = columns[0].parse::<u32>() {
            if !streams.contains(&stream) {
                streams.push(stream);
            }
        }
        let datagram = (columns[4], columns[5], columns[6]);
        if matches!(columns[1], "0" | "False")
            && columns[2] == "15"
            && !seen_datagrams.contains(&datagram)
        {
            seen_datagrams.push(datagram);
            mx_queries.push(columns[3].to_string());
        }
    }
    let logged_mx_queries: Vec<String> = world
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DnsQuery {
                name,
                record_type: RecordType::Mx,
                ..
            } => Some(name.trim_end_matches('.').to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        mx_queries, logged_mx_queries,
        "{name}: tshark's MX queries against the log's"
    );
    if relays_to_beta(name) {
        assert!(
            mx_queries.iter().any(|q| q == "beta.example"),
            "{name} relays to beta.example without asking for its MX: {mx_queries:?}"
        );
    }

    let sessions = transcripts(&world);
    assert!(!sessions.is_empty(), "{name} has no SMTP session");
    let mut follow_args = args(file, &["-q"]);
    for stream in &streams {
        follow_args.push("-z".into());
        follow_args.push(format!("follow,tcp,ascii,{stream}"));
    }
    let followed = tshark(&follow_args);
    // tshark prints one block per -z, each opening with a line of '=' and a "Follow:" header.
    let blocks: Vec<&str> = followed
        .split("===================================================================\nFollow: ")
        .skip(1)
        .collect();
    assert_eq!(blocks.len(), streams.len(), "{name}: {followed}");
    let carrying: Vec<&str> = blocks
        .iter()
        .copied()
        .filter(|block| block.lines().any(|l| l.starts_with("Node 1:")) && block.contains("220 "))
        .collect();
    for block in &carrying {
        assert!(
            block.contains("QUIT"),
            "{name}: a stream without QUIT:\n{block}"
        );
    }
    // Each session's transcript is one stream's text, line by line, in order.
    let mut unmatched: Vec<&str> = carrying.clone();
    for (message, transcript) in &sessions {
        assert!(
            transcript.commands.iter().any(|c| c.starts_with("EHLO "))
                && transcript
                    .commands
                    .iter()
                    .any(|c| c.starts_with("MAIL FROM:"))
                && transcript
                    .commands
                    .iter()
                    .any(|c| c.starts_with("RCPT TO:")),
            "{name}: {message:?} is not a whole session: {transcript:#?}"
        );
        let at = unmatched
            .iter()
            .position(|block| {
                contains_in_order(block, &transcript.commands)
                    && contains_in_order(block, &transcript.replies)
            })
            .unwrap_or_else(|| {
                panic!(
                    "{name}: no TCP stream carries the transcript of {message:?}:\n\
                     {transcript:#?}\nstreams:\n{}",
                    carrying.join("\n")
                )
            });
        unmatched.remove(at);
    }
    assert!(
        unmatched.is_empty(),
        "{name}: streams with SMTP that no transcript shows: {unmatched:#?}"
    );
}

#[test]
fn every_scenario_is_listed_here() {
    let covered = [
        "local-delivery",
        "cross-domain",
        "unknown-user-bounce",
        "mailbox-full-retry",
        "primary-mx-down-backup-mx",
        "open-relay-refused",
        "server-down-expiry",
    ];
    let names: Vec<&str> = SCENARIOS.iter().map(|s| s.name).collect();
    assert_eq!(
        names, covered,
        "a new scenario needs its capture test below"
    );
}

#[test]
fn local_delivery_capture() {
    check("local-delivery");
}

#[test]
fn cross_domain_capture() {
    check("cross-domain");
}

#[test]
fn unknown_user_bounce_capture() {
    check("unknown-user-bounce");
}

#[test]
fn mailbox_full_retry_capture() {
    check("mailbox-full-retry");
}

#[test]
fn primary_mx_down_backup_mx_capture() {
    check("primary-mx-down-backup-mx");
}

#[test]
fn open_relay_refused_capture() {
    check("open-relay-refused");
}

#[test]
fn server_down_expiry_capture() {
    check("server-down-expiry");
}
