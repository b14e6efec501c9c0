//! Whatever the server sends, the client never panics, decides once per job, and stops
//! writing once closed; a real session's replies split at any offset give the same session.

use super::*;
use proptest::prelude::*;

const PLAUSIBLE_REPLIES: &[&str] = &[
    "220 mx1.beta.example ESMTP\r\n",
    "220-mx1\r\n220 ready\r\n",
    "250-mx1 greets you\r\n250-PIPELINING\r\n250-SIZE 100\r\n250 AUTH PLAIN\r\n",
    "250-mx1\r\n250 SIZE\r\n",
    "250 2.1.0 ok\r\n",
    "250 2.0.0 Ok: queued as ABC\r\n",
    "251 will forward\r\n",
    "235 2.7.0 ok\r\n",
    "354 go\r\n",
    "334 \r\n",
    "421 4.3.2 bye\r\n",
    "452 4.2.2 full\r\n",
    "503 5.5.1 sequence\r\n",
    "535 5.7.8 no\r\n",
    "550 5.1.1 no such user\r\n",
    "554 5.7.1 relay denied\r\n",
    "221 2.0.0 bye\r\n",
    "250-unfinished\r\n",
    "999 what\r\n",
    "25",
];

fn server_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PLAUSIBLE_REPLIES).prop_map(|r| r.as_bytes().to_vec()),
        1 => "[ -~]{0,40}\r\n".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..40),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Feeds `input` in pieces to a client with `jobs` jobs; checks the invariants after each.
fn check_client(
    config: ClientConfig,
    jobs: usize,
    input: &[u8],
    piece_sizes: &[usize],
) -> Result<(), TestCaseError> {
    let job = job(
        "ani@alpha.example",
        &["budi@beta.example", "dewi@beta.example"],
        LETTER,
    );
    let mut client = SmtpClient::with_jobs(config, vec![job; jobs]).expect("valid jobs");
    let mut finished = 0;
    let mut rest = input;
    for &size in piece_sizes.iter().cycle() {
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        let was_closed = client.is_closed();
        client.handle_input(piece);
        rest = tail;
        let output = client.poll_output().unwrap_or_default();
        if was_closed {
            prop_assert!(output.is_empty(), "wrote after closing");
        }
        let text = String::from_utf8(output).expect("ASCII output");
        for line in text.split_inclusive("\r\n") {
            prop_assert!(line.ends_with("\r\n"), "{line:?}");
            prop_assert!(!line[..line.len() - 2].contains(['\r', '\n']), "{line:?}");
        }
        while let Some(event) = client.poll_event() {
            if matches!(event, ClientEvent::Finished(_)) {
                finished += 1;
            }
        }
        if rest.is_empty() {
            break;
        }
    }
    client.connection_closed();
    while let Some(event) = client.poll_event() {
        if matches!(event, ClientEvent::Finished(_)) {
            finished += 1;
        }
    }
    prop_assert_eq!(finished, jobs, "exactly one outcome per job");
    prop_assert!(client.outcome().is_some());
    prop_assert!(client.is_closed());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn relaying_client_never_panics_and_decides_once(input in server_bytes(), pieces in proptest::collection::vec(1usize..32, 1..6)) {
        check_client(relaying_mta(), 1, &input, &pieces)?;
    }

    #[test]
    fn client_with_several_jobs_never_panics_and_decides_each_once(input in server_bytes(), pieces in proptest::collection::vec(1usize..32, 1..6), jobs in 2usize..5) {
        check_client(relaying_mta(), jobs, &input, &pieces)?;
    }

    #[test]
    fn submitting_client_never_panics_and_decides_once(input in server_bytes(), pieces in proptest::collection::vec(1usize..32, 1..6)) {
        check_client(mail_client_of_ani("ani123"), 1, &input, &pieces)?;
    }
}

#[test]
fn test_replies_split_at_every_offset_give_the_same_session() {
    let job = || {
        job(
            "ani@alpha.example",
            &["budi@beta.example", "eko@beta.example"],
            LETTER,
        )
    };
    let pair = Pair::run(mx1_beta_relay(), relaying_mta(), job());
    let server_wire: Vec<u8> = {
        // The server's replies, in order, as the client received them.
        let mut server = SmtpServer::new(mx1_beta_relay(), peer(), NOW);
        let mut wire = server.poll_output().unwrap_or_default();
        for write in &pair.client_writes {
            server.handle_input(write);
            wire.extend(server.poll_output().unwrap_or_default());
        }
        wire
    };
    let client_wire = pair.client_writes.concat();
    for split in 0..=server_wire.len() {
        let mut client = SmtpClient::new(relaying_mta(), job()).expect("valid job");
        let mut written = Vec::new();
        for piece in [&server_wire[..split], &server_wire[split..]] {
            client.handle_input(piece);
            written.extend(client.poll_output().unwrap_or_default());
        }
        assert_eq!(written, client_wire, "split at {split}");
        assert_eq!(client.outcome(), Some(pair.outcome()), "split at {split}");
        assert!(client.is_closed());
    }
}
