//! Every response the IMAP server engine writes, for random command sequences, must be read
//! by imap-codec, an IMAP implementation no one here wrote — the responses are well formed
//! whatever the learner or a client sends.

use imap_codec::decode::{Decoder, ResponseDecodeError};
use imap_codec::ResponseCodec;
use kurir::mail::maildrop::{DomainMail, Maildrops};
use kurir::proto::imap::server::ImapServer;
use kurir::proto::login::Login;
use proptest::prelude::*;

const DATE: &str = "28-Nov-2026 10:00:00 +0000";

/// Commands good and bad, in every state, with numbers in and out of range.
fn command() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        Just("1".to_string()),
        Just("2".into()),
        Just("*".into()),
        Just("1:*".into()),
        Just("7".into())
    ];
    let fetch_items = prop::sample::select(vec![
        "FLAGS",
        "(UID FLAGS)",
        "(BODY.PEEK[] RFC822.SIZE)",
        "BODY[HEADER]",
        "ENVELOPE",
        "FAST",
        "(INTERNALDATE BODY[TEXT])",
        "RFC822",
        "RFC822.HEADER",
        "BOGUS",
    ]);
    prop_oneof![
        Just("LOGIN budi budi123".to_string()),
        Just("LOGIN budi salah".to_string()),
        Just("SELECT INBOX".to_string()),
        Just("EXAMINE INBOX".to_string()),
        Just("SELECT Nowhere".to_string()),
        (number.clone(), fetch_items).prop_map(|(n, items)| format!("FETCH {n} {items}")),
        number
            .clone()
            .prop_map(|n| format!("UID FETCH {n} (FLAGS)")),
        number
            .clone()
            .prop_map(|n| format!("STORE {n} +FLAGS (\\Seen \\Deleted)")),
        number
            .clone()
            .prop_map(|n| format!("STORE {n} -FLAGS.SILENT (\\Seen)")),
        prop::sample::select(vec![
            "ALL",
            "UNSEEN",
            "FROM ani",
            "OR SEEN NOT DELETED",
            "SUBJECT \"Halo\"",
            "LARGER 10"
        ])
        .prop_map(|key| format!("SEARCH {key}")),
        number.clone().prop_map(|n| format!("COPY {n} Arsip")),
        number.prop_map(|n| format!("MOVE {n} Arsip")),
        Just("CREATE Arsip".to_string()),
        Just("LIST \"\" *".to_string()),
        Just("LIST \"\" \"\"".to_string()),
        Just("STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY)".to_string()),
        Just("APPEND INBOX (\\Seen) {12+}\r\nSubject: x\r\n".to_string()),
        Just("EXPUNGE".to_string()),
        Just("CLOSE".to_string()),
        Just("UNSELECT".to_string()),
        Just("NOOP".to_string()),
        Just("CAPABILITY".to_string()),
        Just("FROB x".to_string()),
        "[ -~]{0,30}",
    ]
}

/// Reads every response in `bytes`; the first one imap-codec cannot read, as an error.
fn read_all(mut bytes: &[u8]) -> Result<usize, String> {
    let codec = ResponseCodec::default();
    let mut count = 0;
    while !bytes.is_empty() {
        match codec.decode(bytes) {
            Ok((rest, _)) => {
                bytes = rest;
                count += 1;
            }
            Err(ResponseDecodeError::LiteralFound { .. }) | Err(_) => {
                let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
                return Err(String::from_utf8_lossy(line).into_owned());
            }
        }
    }
    Ok(count)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn imap_codec_reads_every_response(commands in prop::collection::vec(command(), 1..25)) {
        let mut maildrops = Maildrops::default();
        maildrops.deliver(
            "budi@beta.example",
            b"From: Ani <ani@alpha.example>\r\nSubject: Halo\r\n\r\nApa kabar?\r\n".to_vec(),
            DATE.into(),
        );
        maildrops.deliver("budi@beta.example", b"Subject: Dua\r\n\r\n.titik\r\n".to_vec(), DATE.into());
        let mut mail = DomainMail { maildrops: &mut maildrops, domain: "beta.example", now: DATE.into() };
        let accounts = vec![Login { user: "budi".into(), password: "budi123".into() }];
        let mut server = ImapServer::new("mx1.beta.example", accounts);
        let mut written = server.poll_output().unwrap_or_default();
        for (i, command) in commands.iter().enumerate() {
            server.handle_input(format!("t{i} {command}\r\n").as_bytes(), &mut mail);
            written.extend(server.poll_output().unwrap_or_default());
        }
        if let Err(line) = read_all(&written) {
            prop_assert!(false, "imap-codec cannot read {line:?}\nafter {commands:?}");
        }
    }
}
