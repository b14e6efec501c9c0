use super::*;
use crate::mail::maildrop::{DomainMail, Maildrops};

/// budi's mail on beta.example, as the engine's caller keeps it.
struct TestStore {
    maildrops: Maildrops,
}

impl TestStore {
    fn with_inbox(messages: &[&str]) -> TestStore {
        let mut maildrops = Maildrops::default();
        for message in messages {
            maildrops.deliver(
                "budi@beta.example",
                message.as_bytes().to_vec(),
                DATE.into(),
            );
        }
        TestStore { maildrops }
    }

    fn mail(&mut self) -> DomainMail<'_> {
        DomainMail {
            maildrops: &mut self.maildrops,
            domain: "beta.example",
            now: DATE.into(),
        }
    }

    /// The messages of `folder`, in order.
    fn messages(&mut self, folder: &str) -> Vec<MessageMeta> {
        self.mail().status("budi", folder).unwrap().messages
    }

    fn append(&mut self, content: &str) {
        self.mail().append(
            "budi",
            "INBOX",
            content.as_bytes().to_vec(),
            BTreeSet::new(),
        );
    }
}

const DATE: &str = "28-Nov-2026 10:00:00 +0000";
const HALO: &str = "From: Ani <ani@alpha.example>\r\nSubject: Halo Budi\r\n\r\nApa kabar?\r\n";
const RAPAT: &str = "From: Citra <citra@alpha.example>\r\nSubject: Rapat\r\n\r\nBesok jam 9.\r\n";

fn accounts() -> Vec<Login> {
    vec![Login {
        user: "budi".into(),
        password: "budi123".into(),
    }]
}

/// Sends `input` and returns what the server wrote.
fn send(server: &mut ImapServer, store: &mut TestStore, input: &str) -> String {
    server.handle_input(input.as_bytes(), &mut store.mail());
    String::from_utf8(server.poll_output().unwrap_or_default()).unwrap()
}

/// Logged in as budi with INBOX selected; greeting and replies drained.
fn selected(store: &mut TestStore) -> ImapServer {
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    let out = send(
        &mut server,
        store,
        "a LOGIN budi budi123\r\nb SELECT INBOX\r\n",
    );
    assert!(out.contains("b OK [READ-WRITE]"), "{out}");
    server
}

#[test]
fn the_greeting_names_the_capabilities() {
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    let greeting = String::from_utf8(server.poll_output().unwrap()).unwrap();
    assert!(greeting.starts_with("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN"));
    assert_eq!(server.state(), ImapState::NotAuthenticated);
}

#[test]
fn login_then_select_reports_the_folder() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    assert_eq!(
        send(&mut server, &mut store, "a1 LOGIN budi salah\r\n"),
        "a1 NO [AUTHENTICATIONFAILED] wrong user name or password\r\n"
    );
    assert!(send(&mut server, &mut store, "a2 LOGIN budi budi123\r\n").starts_with("a2 OK"));
    let out = send(&mut server, &mut store, "a3 SELECT inbox\r\n");
    for line in [
        "* 2 EXISTS\r\n",
        "* OK [UNSEEN 1]",
        "* OK [UIDVALIDITY 1]",
        "* OK [UIDNEXT 3]",
        "a3 OK [READ-WRITE] SELECT completed\r\n",
    ] {
        assert!(out.contains(line), "{line} missing in {out}");
    }
    assert_eq!(server.selected_folder(), Some("INBOX"));
}

#[test]
fn commands_in_the_wrong_state_say_what_comes_first() {
    let mut store = TestStore::with_inbox(&[]);
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    assert_eq!(
        send(&mut server, &mut store, "x SELECT INBOX\r\n"),
        "x BAD log in first: a1 LOGIN budi budi123\r\n"
    );
    send(&mut server, &mut store, "a LOGIN budi budi123\r\n");
    assert_eq!(
        send(&mut server, &mut store, "y FETCH 1 FLAGS\r\n"),
        "y BAD no folder selected: SELECT INBOX first\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "z FROB\r\n"),
        "z BAD unknown command FROB\r\n"
    );
}

#[test]
fn authenticate_plain_with_and_without_an_initial_response() {
    let mut store = TestStore::with_inbox(&[]);
    let credentials = base64::engine::general_purpose::STANDARD.encode(b"\0budi\0budi123");
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    let out = send(
        &mut server,
        &mut store,
        &format!("a AUTHENTICATE PLAIN {credentials}\r\n"),
    );
    assert!(out.starts_with("a OK"), "{out}");
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    assert_eq!(
        send(&mut server, &mut store, "b AUTHENTICATE PLAIN\r\n"),
        "+ \r\n"
    );
    let out = send(&mut server, &mut store, &format!("{credentials}\r\n"));
    assert!(out.starts_with("b OK"), "{out}");
    assert_eq!(server.user(), Some("budi"));
}

#[test]
fn fetch_body_sets_seen_and_peek_does_not() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    let out = send(
        &mut server,
        &mut store,
        "f1 FETCH 1 (UID RFC822.SIZE BODY.PEEK[])\r\n",
    );
    assert_eq!(
        out,
        format!(
            "* 1 FETCH (UID 1 RFC822.SIZE {} BODY[] {{{}}}\r\n{HALO})\r\nf1 OK FETCH completed\r\n",
            HALO.len(),
            HALO.len()
        )
    );
    assert!(store.messages("INBOX")[0].flags.is_empty());
    let out = send(&mut server, &mut store, "f2 FETCH 1 BODY[TEXT]\r\n");
    assert!(
        out.starts_with("* 1 FETCH (FLAGS (\\Seen) BODY[TEXT] {12}\r\nApa kabar?\r\n)"),
        "{out}"
    );
    assert!(store.messages("INBOX")[0].flags.contains("\\Seen"));
}

#[test]
fn rfc3501_names_are_answered_under_the_same_names() {
    let mut store = TestStore::with_inbox(&[HALO]);
    let mut server = selected(&mut store);
    let out = send(&mut server, &mut store, "h FETCH 1 RFC822.HEADER\r\n");
    let header_len = HALO.find("\r\n\r\n").unwrap() + 4;
    assert!(
        out.starts_with(&format!("* 1 FETCH (RFC822.HEADER {{{header_len}}}\r\n")),
        "{out}"
    );
    assert!(
        store.messages("INBOX")[0].flags.is_empty(),
        "RFC822.HEADER peeks"
    );
    let out = send(&mut server, &mut store, "r FETCH 1 RFC822\r\n");
    assert!(
        out.starts_with("* 1 FETCH (FLAGS (\\Seen) RFC822 {"),
        "{out}"
    );
}

#[test]
fn uid_fetch_always_names_the_uid_and_envelope_reads_the_header() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    let out = send(
        &mut server,
        &mut store,
        "u UID FETCH 2 (FLAGS ENVELOPE)\r\n",
    );
    assert!(out.starts_with("* 2 FETCH (UID 2 FLAGS () ENVELOPE (NIL \"Rapat\" ((\"Citra\" NIL \"citra\" \"alpha.example\"))"), "{out}");
}

#[test]
fn store_adds_removes_and_replaces_flags() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    assert_eq!(
        send(&mut server, &mut store, "s1 STORE 1:2 +FLAGS (\\Flagged)\r\n"),
        "* 1 FETCH (FLAGS (\\Flagged))\r\n* 2 FETCH (FLAGS (\\Flagged))\r\ns1 OK STORE completed\r\n"
    );
    assert_eq!(
        send(
            &mut server,
            &mut store,
            "s2 UID STORE 2 -FLAGS.SILENT (\\Flagged)\r\n"
        ),
        "s2 OK STORE completed\r\n"
    );
    assert!(store.messages("INBOX")[1].flags.is_empty());
    assert_eq!(
        send(&mut server, &mut store, "s3 STORE 1 FLAGS (\\Seen)\r\n"),
        "* 1 FETCH (FLAGS (\\Seen))\r\ns3 OK STORE completed\r\n"
    );
}

#[test]
fn search_finds_by_flag_header_and_number() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    send(
        &mut server,
        &mut store,
        "a STORE 2 +FLAGS.SILENT (\\Seen)\r\n",
    );
    assert_eq!(
        send(&mut server, &mut store, "b SEARCH UNSEEN\r\n"),
        "* SEARCH 1\r\nb OK SEARCH completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "c SEARCH FROM citra\r\n"),
        "* SEARCH 2\r\nc OK SEARCH completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "d UID SEARCH ALL\r\n"),
        "* SEARCH 1 2\r\nd OK SEARCH completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "e SEARCH SUBJECT zzz\r\n"),
        "* SEARCH\r\ne OK SEARCH completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "f SEARCH OR 1 BODY jam\r\n"),
        "* SEARCH 1 2\r\nf OK SEARCH completed\r\n"
    );
}

#[test]
fn expunge_removes_deleted_messages_and_renumbers() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT, HALO]);
    let mut server = selected(&mut store);
    send(
        &mut server,
        &mut store,
        "a STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n",
    );
    assert_eq!(
        send(&mut server, &mut store, "b EXPUNGE\r\n"),
        "* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nb OK EXPUNGE completed\r\n"
    );
    let uids: Vec<u32> = store.messages("INBOX").iter().map(|m| m.uid).collect();
    assert_eq!(uids, [3]);
}

#[test]
fn examine_is_read_only() {
    let mut store = TestStore::with_inbox(&[HALO]);
    let mut server = ImapServer::new("mx1.beta.example", accounts());
    server.poll_output();
    let out = send(
        &mut server,
        &mut store,
        "a LOGIN budi budi123\r\nb EXAMINE INBOX\r\n",
    );
    assert!(out.contains("b OK [READ-ONLY] EXAMINE completed"));
    assert_eq!(
        send(&mut server, &mut store, "c STORE 1 +FLAGS (\\Deleted)\r\n"),
        "c NO [READ-ONLY] the folder was opened with EXAMINE\r\n"
    );
    send(&mut server, &mut store, "d FETCH 1 BODY[]\r\n");
    assert!(
        store.messages("INBOX")[0].flags.is_empty(),
        "no \\Seen when read-only"
    );
}

#[test]
fn folders_are_created_listed_renamed_and_mail_moved_between_them() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    assert_eq!(
        send(&mut server, &mut store, "a CREATE Arsip\r\n"),
        "a OK CREATE completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "b LIST \"\" *\r\n"),
        "* LIST (\\HasNoChildren) \"/\" \"Arsip\"\r\n* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\nb OK LIST completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "c MOVE 1 Arsip\r\n"),
        "* 1 EXPUNGE\r\nc OK MOVE completed\r\n"
    );
    assert_eq!(store.messages("Arsip").len(), 1);
    assert_eq!(store.messages("INBOX").len(), 1);
    assert_eq!(
        send(&mut server, &mut store, "d COPY 1 Nowhere\r\n"),
        "d NO [TRYCREATE] no such folder; CREATE it first\r\n"
    );
    assert_eq!(
        send(
            &mut server,
            &mut store,
            "e STATUS Arsip (MESSAGES UNSEEN UIDNEXT)\r\n"
        ),
        "* STATUS \"Arsip\" (MESSAGES 1 UNSEEN 1 UIDNEXT 2)\r\ne OK STATUS completed\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "f DELETE INBOX\r\n"),
        "f NO INBOX cannot be deleted\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "g RENAME Arsip Lama\r\n"),
        "g OK RENAME completed\r\n"
    );
}

#[test]
fn append_takes_a_literal_after_a_continuation() {
    let mut store = TestStore::with_inbox(&[]);
    let mut server = selected(&mut store);
    assert_eq!(
        send(&mut server, &mut store, "a APPEND INBOX (\\Seen) {14}\r\n"),
        "+ go ahead\r\n"
    );
    assert_eq!(
        send(&mut server, &mut store, "Subject: x\r\n\r\n\r\n"),
        "* 1 EXISTS\r\na OK APPEND completed\r\n"
    );
    assert!(store.messages("INBOX")[0].flags.contains("\\Seen"));
    assert_eq!(
        store.mail().content("budi", "INBOX", 1),
        Some(b"Subject: x\r\n\r\n".to_vec())
    );
}

#[test]
fn a_second_session_hears_of_new_mail_flags_and_expunges() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut laptop = selected(&mut store);
    let mut phone = selected(&mut store);
    send(&mut laptop, &mut store, "a STORE 1 +FLAGS (\\Seen)\r\n");
    assert_eq!(
        send(&mut phone, &mut store, "b NOOP\r\n"),
        "* 1 FETCH (FLAGS (\\Seen))\r\nb OK NOOP completed\r\n"
    );
    store.append(HALO);
    send(
        &mut laptop,
        &mut store,
        "c STORE 2 +FLAGS.SILENT (\\Deleted)\r\nd EXPUNGE\r\n",
    );
    assert_eq!(
        send(&mut phone, &mut store, "e NOOP\r\n"),
        "* 2 EXPUNGE\r\n* 2 EXISTS\r\ne OK NOOP completed\r\n"
    );
}

#[test]
fn idle_reports_changes_at_once_until_done() {
    let mut store = TestStore::with_inbox(&[HALO]);
    let mut phone = selected(&mut store);
    assert_eq!(send(&mut phone, &mut store, "i IDLE\r\n"), "+ idling\r\n");
    store.append(RAPAT);
    phone.notify(&store.mail());
    assert_eq!(
        String::from_utf8(phone.poll_output().unwrap()).unwrap(),
        "* 2 EXISTS\r\n"
    );
    assert_eq!(
        send(&mut phone, &mut store, "DONE\r\n"),
        "i OK IDLE terminated\r\n"
    );
}

#[test]
fn close_expunges_and_logout_says_bye() {
    let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
    let mut server = selected(&mut store);
    send(
        &mut server,
        &mut store,
        "a STORE 1 +FLAGS.SILENT (\\Deleted)\r\n",
    );
    assert_eq!(
        send(&mut server, &mut store, "b CLOSE\r\n"),
        "b OK CLOSE completed\r\n"
    );
    assert_eq!(store.messages("INBOX").len(), 1);
    assert_eq!(server.state(), ImapState::Authenticated);
    let out = send(&mut server, &mut store, "c LOGOUT\r\n");
    assert!(out.starts_with("* BYE") && out.ends_with("c OK LOGOUT completed\r\n"));
    assert_eq!(send(&mut server, &mut store, "d NOOP\r\n"), "");
}

mod random_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_never_panic_and_every_tagged_line_has_a_status(
            chunks in prop::collection::vec(
                prop_oneof![
                    "[a-z]{1,3} (NOOP|FETCH [0-9*:,]{1,5} \\(FLAGS UID BODY\\[\\]\\)|STORE [0-9*:]{1,3} [+-]?FLAGS \\(\\\\Seen\\)|SEARCH (ALL|UNSEEN|FROM a)|EXPUNGE|CLOSE|SELECT INBOX|MOVE 1 INBOX|COPY 1:* INBOX)\r\n".prop_map(String::into_bytes),
                    prop::collection::vec(any::<u8>(), 0..80),
                ],
                0..20,
            )
        ) {
            let mut store = TestStore::with_inbox(&[HALO, RAPAT]);
            let mut server = selected(&mut store);
            for chunk in chunks {
                server.handle_input(&chunk, &mut store.mail());
                let out = server.poll_output().unwrap_or_default();
                // Every line the server writes is untagged, a continuation, or tag + status.
                let text = String::from_utf8_lossy(&out);
                for line in text.split("\r\n").filter(|l| !l.is_empty()) {
                    let mut words = line.split(' ');
                    let first = words.next().unwrap_or_default();
                    let second = words.next().unwrap_or_default();
                    prop_assert!(
                        first == "*" || first == "+" || matches!(second, "OK" | "NO" | "BAD")
                            || !line.is_ascii() || line.starts_with("From:") || line.starts_with("Subject:")
                            || line.is_empty() || line.starts_with("Apa") || line.starts_with("Besok")
                            || line == ")",
                        "{line:?}"
                    );
                }
            }
        }
    }
}
