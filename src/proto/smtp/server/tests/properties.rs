//! Random input must never panic the server, and everything it writes must be a well-formed
//! reply by our parser and by an independent one, smtp-proto (RFC 5321 §4.2).

use super::*;
use proptest::prelude::*;

const PLAUSIBLE_LINES: &[&str] = &[
    "EHLO laptop-ani.alpha.example",
    "HELO x",
    "EHLO",
    "MAIL FROM:<ani@alpha.example>",
    "MAIL FROM:<> SIZE=100",
    "MAIL FROM:<ani@alpha.example> SIZE=99999999",
    "MAIL FROM:<ani@alpha.example> FOO=BAR",
    "MAIL FROM:ani",
    "RCPT TO:<budi@beta.example>",
    "RCPT TO:<dewi@beta.example>",
    "RCPT TO:<eko@beta.example>",
    "RCPT TO:<ani@alpha.example>",
    "RCPT TO:<Postmaster>",
    "RCPT TO:<>",
    "DATA",
    "Subject: hi",
    "",
    ".",
    "..dot",
    "RSET",
    "NOOP",
    "VRFY budi",
    "VRFY <ani@alpha.example>",
    "EXPN staff",
    "HELP",
    "HELP RCPT",
    "AUTH PLAIN AGFuaQBhbmkxMjM=",
    "AUTH PLAIN",
    "AUTH LOGIN",
    "YW5p",
    "YW5pMTIz",
    "*",
    "AUTH XOAUTH2",
    "STARTTLS",
    "QUIT",
];

fn line() -> impl Strategy<Value = Vec<u8>> {
    let text = prop_oneof![
        4 => proptest::sample::select(PLAUSIBLE_LINES).prop_map(|l| l.as_bytes().to_vec()),
        1 => "[ -~]{0,80}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
        1 => (proptest::sample::select(PLAUSIBLE_LINES), "[ -~\u{e9}\u{1F4E7}]{0,600}").prop_map(|(l, tail)| format!("{l}{tail}").into_bytes()),
    ];
    let ending = prop_oneof![6 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b"\r"[..])];
    (text, ending).prop_map(|(mut text, ending)| {
        text.extend_from_slice(ending);
        text
    })
}

fn session_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => proptest::collection::vec(line(), 0..30).prop_map(|lines| lines.concat()),
        1 => proptest::collection::vec(any::<u8>(), 0..1500),
    ]
}

/// Feeds `input` in pieces of the given sizes and checks every reply written.
fn check_session(
    policy: ServerPolicy,
    input: &[u8],
    piece_sizes: &[usize],
) -> Result<(), TestCaseError> {
    let mut server = SmtpServer::new(policy, peer(), 0);
    let mut rest = input;
    for &size in piece_sizes.iter().cycle().take(input.len() + 1) {
        let (piece, tail) = rest.split_at(size.clamp(1, 64).min(rest.len()));
        server.handle_input(piece);
        rest = tail;
        if rest.is_empty() {
            break;
        }
    }
    server.shutdown();
    let wire = server.poll_output().unwrap_or_default();
    let mut expected_wire = Vec::new();
    while let Some(event) = server.poll_event() {
        let ServerEvent::Replied { reply, .. } = event else {
            continue;
        };
        let text = reply.to_wire();
        expected_wire.extend_from_slice(text.as_bytes());
        prop_assert_eq!(Reply::parse(&text), Ok(reply.clone()));
        for line in text.split_inclusive("\r\n") {
            prop_assert!(line.len() <= 512, "line of {} octets", line.len());
        }
        let class = reply.code.class();
        prop_assert!((2..=5).contains(&class));
        match reply.status {
            Some(status) => {
                prop_assert_eq!(status.class, class);
                prop_assert_ne!(class, 3);
            }
            None => prop_assert!(
                matches!(reply.code.get(), 220 | 250 | 334 | 354),
                "{}",
                reply
            ),
        }
        let oracle = smtp_proto::response::parser::ResponseReceiver::default()
            .parse(&mut text.as_bytes().iter());
        let oracle = oracle
            .map_err(|e| TestCaseError::fail(format!("smtp-proto rejects {text:?}: {e:?}")))?;
        prop_assert_eq!(oracle.code, reply.code.get());
        if let Some(status) = reply.status {
            prop_assert_eq!(
                oracle.esc.map(u16::from),
                [u16::from(status.class), status.subject, status.detail]
            );
        }
    }
    prop_assert_eq!(
        wire,
        expected_wire,
        "wire bytes are exactly the replies, in order"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn relay_never_panics_and_writes_well_formed_replies(input in session_input(), pieces in proptest::collection::vec(1usize..64, 1..8)) {
        check_session(relay_policy(), &input, &pieces)?;
    }

    #[test]
    fn submission_never_panics_and_writes_well_formed_replies(input in session_input(), pieces in proptest::collection::vec(1usize..64, 1..8)) {
        check_session(submission_policy(), &input, &pieces)?;
    }
}
