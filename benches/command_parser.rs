//! Command-line parsing speed: Kurir's parsers against smtp-proto's `Request::parse` (an
//! independent, production RFC 5321 parser) on the same realistic mix of lines, in one run.
//!
//! - `kurir::parse_command_ref` borrows its text from the line, as smtp-proto's parse does
//!   (`Request<Cow<str>>`): the like-for-like comparison.
//! - `kurir::parse_command` also copies the text into an owned `Command`.
//!
//! Throughput is reported in lines per second. Every parser sees the same lines; smtp-proto
//! wants the CRLF (it reads up to LF), ours take the line without it, as the server hands it.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kurir::proto::smtp::{parse_command, parse_command_ref};
use smtp_proto::Request;

/// What a busy relay sees: mostly valid commands, some typos and bad parameters.
const LINES: &[&str] = &[
    "EHLO laptop-ani.alpha.example",
    "MAIL FROM:<ani@alpha.example> SIZE=2048",
    "RCPT TO:<budi@beta.example>",
    "RCPT TO:<dewi@beta.example>",
    "DATA",
    "RSET",
    "MAIL FROM:<citra@alpha.example> SIZE=1048576 BODY=8BITMIME",
    "RCPT TO:<Postmaster>",
    "NOOP",
    "VRFY budi",
    "QUIT",
    "HELO mx.alpha.example",
    "MAIL FROM:<>",
    "RCPT TO:<very.long.local-part+tag@subdomain.mail.beta.example>",
    "mail from:<ani@alpha.example>",
    "MAIL FROM:<ani@alpha.example> SIZE=lots",
    "RCPT TO:budi@beta.example",
    "HACK the planet",
    "DATA now",
    "EHLO",
];

fn parsers(c: &mut Criterion) {
    let ours: Vec<&[u8]> = LINES.iter().map(|line| line.as_bytes()).collect();
    let theirs: Vec<Vec<u8>> = LINES
        .iter()
        .map(|line| format!("{line}\r\n").into_bytes())
        .collect();
    let mut group = c.benchmark_group("command_parser");
    group.throughput(Throughput::Elements(LINES.len() as u64));
    group.bench_function("kurir::parse_command_ref", |b| {
        b.iter(|| {
            for line in &ours {
                let _ = black_box(parse_command_ref(black_box(line)));
            }
        })
    });
    group.bench_function("kurir::parse_command", |b| {
        b.iter(|| {
            for line in &ours {
                let _ = black_box(parse_command(black_box(line)));
            }
        })
    });
    group.bench_function("smtp_proto::Request::parse", |b| {
        b.iter(|| {
            for line in &theirs {
                let _ = black_box(Request::parse(&mut black_box(line.as_slice()).iter()));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parsers);
criterion_main!(benches);
