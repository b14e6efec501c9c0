use super::*;

fn ok(text: &str) -> CommandKind {
    let command = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(command.tag, text.split(' ').next().unwrap());
    command.kind
}

fn bad(text: &[u8]) -> ParseError {
    parse(text).expect_err("should not parse")
}

fn set(ranges: &[(Option<u32>, Option<u32>)]) -> SequenceSet {
    SequenceSet(
        ranges
            .iter()
            .map(|&(from, to)| SeqRange { from, to })
            .collect(),
    )
}

#[test]
fn the_commands_without_arguments_in_any_case() {
    assert_eq!(ok("a1 CAPABILITY"), CommandKind::Capability);
    assert_eq!(ok("a2 noop"), CommandKind::Noop);
    assert_eq!(ok("x LOGOUT"), CommandKind::Logout);
    assert_eq!(ok("t.1 Close"), CommandKind::Close);
    assert_eq!(ok("t UNSELECT"), CommandKind::Unselect);
    assert_eq!(ok("t EXPUNGE"), CommandKind::Expunge);
    assert_eq!(ok("t IDLE"), CommandKind::Idle);
}

#[test]
fn login_takes_atoms_quoted_strings_and_literals() {
    let login = |user: &str, password: &str| CommandKind::Login {
        user: user.into(),
        password: password.into(),
    };
    assert_eq!(ok("a LOGIN budi budi123"), login("budi", "budi123"));
    assert_eq!(
        ok(r#"a LOGIN "budi" "pass with \"quotes\" and \\""#),
        login("budi", r#"pass with "quotes" and \"#)
    );
    assert_eq!(
        parse(b"a LOGIN {4}\r\nbudi {7+}\r\nbudi123").unwrap().kind,
        login("budi", "budi123")
    );
}

#[test]
fn mailboxes_and_inbox_in_any_case() {
    assert_eq!(ok("a SELECT inbox"), CommandKind::Select("INBOX".into()));
    assert_eq!(
        ok("a EXAMINE \"Arsip\""),
        CommandKind::Examine("Arsip".into())
    );
    assert_eq!(
        ok("a RENAME Lama Baru"),
        CommandKind::Rename {
            from: "Lama".into(),
            to: "Baru".into()
        }
    );
    assert_eq!(
        ok("a LIST \"\" *"),
        CommandKind::List {
            reference: "".into(),
            pattern: "*".into()
        }
    );
    assert_eq!(
        ok("a STATUS INBOX (MESSAGES unseen UIDNEXT)"),
        CommandKind::Status {
            mailbox: "INBOX".into(),
            items: vec!["MESSAGES".into(), "UNSEEN".into(), "UIDNEXT".into()]
        }
    );
}

#[test]
fn append_takes_flags_a_date_and_the_message_as_a_literal() {
    let command =
        parse(b"a APPEND Sent (\\Seen) \"28-Nov-2026 10:00:00 +0700\" {10}\r\nHi\r\n\r\nBody")
            .unwrap();
    assert_eq!(
        command.kind,
        CommandKind::Append {
            mailbox: "Sent".into(),
            flags: vec!["\\Seen".into()],
            message: b"Hi\r\n\r\nBody".to_vec()
        }
    );
}

#[test]
fn fetch_items_macros_and_uid() {
    use FetchItem::*;
    assert_eq!(
        ok("a FETCH 1:* (FLAGS UID RFC822.SIZE BODY.PEEK[])"),
        CommandKind::Fetch {
            set: set(&[(Some(1), None)]),
            items: vec![
                Flags,
                Uid,
                Rfc822Size,
                Body {
                    section: Section::Whole,
                    peek: true
                }
            ],
            uid: false
        }
    );
    assert_eq!(
        ok("a UID FETCH 4,7:9 FAST"),
        CommandKind::Fetch {
            set: set(&[(Some(4), Some(4)), (Some(7), Some(9))]),
            items: vec![Flags, InternalDate, Rfc822Size],
            uid: true
        }
    );
    assert_eq!(
        ok("a FETCH 2 body[header]"),
        CommandKind::Fetch {
            set: set(&[(Some(2), Some(2))]),
            items: vec![Body {
                section: Section::Header,
                peek: false
            }],
            uid: false
        }
    );
}

#[test]
fn store_modes_silent_and_flags() {
    assert_eq!(
        ok("a STORE 1 +FLAGS.SILENT (\\Seen \\Flagged)"),
        CommandKind::Store {
            set: set(&[(Some(1), Some(1))]),
            mode: StoreMode::Add,
            silent: true,
            flags: vec!["\\Seen".into(), "\\Flagged".into()],
            uid: false
        }
    );
    assert_eq!(
        ok("a UID STORE 3 -FLAGS \\Deleted"),
        CommandKind::Store {
            set: set(&[(Some(3), Some(3))]),
            mode: StoreMode::Remove,
            silent: false,
            flags: vec!["\\Deleted".into()],
            uid: true
        }
    );
}

#[test]
fn search_keys_nest() {
    assert_eq!(
        ok("a SEARCH UNSEEN"),
        CommandKind::Search {
            keys: SearchKey::Flag {
                flag: "\\Seen".into(),
                set: false
            },
            uid: false
        }
    );
    assert_eq!(
        ok("a UID SEARCH OR FROM ani NOT SEEN SUBJECT \"halo budi\""),
        CommandKind::Search {
            keys: SearchKey::And(vec![
                SearchKey::Or(
                    Box::new(SearchKey::From("ani".into())),
                    Box::new(SearchKey::Not(Box::new(SearchKey::Flag {
                        flag: "\\Seen".into(),
                        set: true
                    })))
                ),
                SearchKey::Subject("halo budi".into())
            ]),
            uid: true
        }
    );
    assert_eq!(
        ok("a SEARCH 2:4 LARGER 100"),
        CommandKind::Search {
            keys: SearchKey::And(vec![
                SearchKey::Sequence(set(&[(Some(2), Some(4))])),
                SearchKey::Larger(100)
            ]),
            uid: false
        }
    );
}

#[test]
fn copy_and_move() {
    assert_eq!(
        ok("a UID MOVE 5 Arsip"),
        CommandKind::Move {
            set: set(&[(Some(5), Some(5))]),
            mailbox: "Arsip".into(),
            uid: true
        }
    );
    assert_eq!(
        ok("a COPY 1:2 \"Surat Lama\""),
        CommandKind::Copy {
            set: set(&[(Some(1), Some(2))]),
            mailbox: "Surat Lama".into(),
            uid: false
        }
    );
}

#[test]
fn sequence_sets_know_star_and_reversed_ranges() {
    let s = set(&[(Some(5), None), (Some(2), Some(2))]);
    assert!(s.contains(2, 9) && s.contains(5, 9) && s.contains(9, 9));
    assert!(!s.contains(3, 9));
    assert!(set(&[(Some(4), Some(2))]).contains(3, 9));
}

#[test]
fn bad_commands_keep_their_tag_and_say_what_was_expected() {
    let e = bad(b"a1 FROB");
    assert_eq!(e.tag.as_deref(), Some("a1"));
    assert_eq!(e.message, "unknown command FROB");
    assert_eq!(bad(b"a2 LOGIN budi").message, "use: LOGIN user password");
    assert!(bad(b"a3 FETCH 0 FLAGS").message.contains("from 1"));
    assert!(bad(b"a4 UID LOGIN x y")
        .message
        .starts_with("UID goes only before"));
    assert!(bad(b"a5 SELECT \"INBOX").message.contains("not closed"));
    assert!(bad(b"a6 NOOP extra").message.starts_with("unexpected text"));
    assert_eq!(bad(b"+ NOOP").tag, None);
    assert_eq!(
        bad(b"noop").message,
        "a command starts with a tag, e.g. a1 NOOP"
    );
    assert_eq!(bad(b"").tag, None);
    assert_eq!(
        bad(b"a7 LOGIN {10}\r\nabc").message,
        "the literal has fewer octets than it announced"
    );
    assert!(bad(b"a8 SEARCH").message.starts_with("SEARCH needs a key"));
    assert!(bad(b"a9 AUTHENTICATE CRAM-MD5").message.contains("PLAIN"));
}

mod random_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_parse_or_fail_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn command_like_text_never_panics(text in "[a-z0-9]{1,4} (UID )?(FETCH|STORE|SEARCH|COPY|LOGIN|APPEND|LIST|STATUS) [ -~]{0,60}") {
            let _ = parse(text.as_bytes());
        }
    }
}
