use super::*;

const HOST: &str = "mx1.beta.example";

fn budi() -> Vec<Login> {
    vec![Login {
        user: "budi".into(),
        password: "budi123".into(),
    }]
}

fn message(uid: &str, text: &str) -> MaildropMessage {
    MaildropMessage {
        uid: uid.into(),
        content: text.as_bytes().to_vec(),
    }
}

/// Two messages: a short one, and one with a line that starts with a dot.
fn maildrop() -> Vec<MaildropMessage> {
    vec![
        message(
            "uid-1",
            "Subject: Halo\r\nFrom: ani@alpha.example\r\n\r\nApa kabar?\r\n",
        ),
        message(
            "uid-2",
            "Subject: Titik\r\n\r\nbaris satu\r\n.baris dengan titik\r\nbaris tiga\r\n",
        ),
    ]
}

/// Sends `input`, returns what the server wrote.
fn send(server: &mut Pop3Server, input: &str) -> String {
    server.handle_input(input.as_bytes());
    String::from_utf8(server.poll_output().unwrap_or_default()).unwrap()
}

fn events(server: &mut Pop3Server) -> Vec<Pop3Event> {
    std::iter::from_fn(|| server.poll_event()).collect()
}

/// A session logged in as budi with [`maildrop`] granted; greeting and login output drained.
fn logged_in() -> Pop3Server {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    send(&mut server, "USER budi\r\nPASS budi123\r\n");
    assert!(events(&mut server).contains(&Pop3Event::MaildropWanted {
        user: "budi".into()
    }));
    server.grant_maildrop(maildrop());
    server.poll_output();
    events(&mut server);
    server
}

#[test]
fn the_greeting_is_ok_and_names_the_host() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    let greeting = String::from_utf8(server.poll_output().unwrap()).unwrap();
    assert_eq!(
        greeting,
        "+OK mx1.beta.example POP3 server ready <session.1@mx1.beta.example>\r\n"
    );
    assert_eq!(server.state(), Pop3State::Authorization);
}

#[test]
fn user_and_pass_open_the_maildrop_once_it_is_granted() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    server.poll_output();
    assert_eq!(
        send(&mut server, "USER budi\r\n"),
        "+OK budi: now send PASS\r\n"
    );
    assert_eq!(send(&mut server, "PASS budi123\r\n"), "");
    assert_eq!(server.state(), Pop3State::OpeningMaildrop);
    // Pipelined commands wait for the maildrop.
    assert_eq!(send(&mut server, "STAT\r\n"), "");
    server.grant_maildrop(maildrop());
    let out = String::from_utf8(server.poll_output().unwrap()).unwrap();
    assert_eq!(
        out,
        "+OK maildrop locked and ready, 2 messages (117 octets)\r\n+OK 2 117\r\n"
    );
    assert_eq!(server.state(), Pop3State::Transaction);
    assert_eq!(server.user(), Some("budi"));
}

#[test]
fn apop_logs_in_with_the_digest_of_timestamp_and_password() {
    // RFC 1939 §7's own example: timestamp <1896.697170952@dbc.mtview.ca.us>, secret tanstaaf.
    let accounts = vec![Login {
        user: "mrose".into(),
        password: "tanstaaf".into(),
    }];
    let mut server = Pop3Server::new(HOST, accounts.clone(), 1);
    server.timestamp = "<1896.697170952@dbc.mtview.ca.us>".into();
    server.poll_output();
    assert_eq!(
        send(
            &mut server,
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
        ),
        ""
    );
    assert!(events(&mut server).contains(&Pop3Event::MaildropWanted {
        user: "mrose".into()
    }));
    let mut other = Pop3Server::new(HOST, accounts, 2);
    other.poll_output();
    assert_eq!(
        send(
            &mut other,
            "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n"
        ),
        "-ERR [AUTH] wrong user name or password; start again with USER\r\n",
        "another session's timestamp makes another digest"
    );
}

#[test]
fn every_session_greets_with_its_own_timestamp() {
    let greeting = |session| {
        let mut server = Pop3Server::new(HOST, budi(), session);
        String::from_utf8(server.poll_output().unwrap()).unwrap()
    };
    assert_ne!(greeting(1), greeting(2));
}

#[test]
fn a_wrong_password_or_an_unknown_user_gets_the_same_answer() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    server.poll_output();
    let wrong = send(&mut server, "USER budi\r\nPASS salah\r\n");
    let unknown = send(&mut server, "USER nobody\r\nPASS budi123\r\n");
    let tail = "-ERR [AUTH] wrong user name or password; start again with USER\r\n";
    assert!(wrong.ends_with(tail) && unknown.ends_with(tail));
    assert!(unknown.starts_with("+OK nobody: now send PASS"));
    assert_eq!(server.state(), Pop3State::Authorization);
    assert_eq!(
        send(&mut server, "PASS budi123\r\n"),
        "-ERR give USER first, then PASS\r\n"
    );
}

#[test]
fn a_maildrop_held_by_another_session_is_refused_with_in_use() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    server.poll_output();
    send(&mut server, "USER budi\r\nPASS budi123\r\n");
    server.refuse_maildrop();
    let out = String::from_utf8(server.poll_output().unwrap()).unwrap();
    assert!(out.starts_with("-ERR [IN-USE]"), "{out}");
    assert_eq!(server.state(), Pop3State::Authorization);
    assert_eq!(server.user(), None);
}

#[test]
fn transaction_commands_before_login_say_how_to_log_in() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    server.poll_output();
    for command in [
        "STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "UIDL", "TOP 1 0",
    ] {
        let out = send(&mut server, &format!("{command}\r\n"));
        assert_eq!(
            out, "-ERR log in first: USER name, then PASS secret\r\n",
            "{command}"
        );
    }
}

#[test]
fn stat_and_list_count_octets_with_crlf() {
    let mut server = logged_in();
    assert_eq!(send(&mut server, "STAT\r\n"), "+OK 2 117\r\n");
    assert_eq!(
        send(&mut server, "LIST\r\n"),
        "+OK 2 messages (117 octets)\r\n1 54\r\n2 63\r\n.\r\n"
    );
    assert_eq!(send(&mut server, "LIST 2\r\n"), "+OK 2 63\r\n");
    assert_eq!(
        send(&mut server, "LIST 3\r\n"),
        "-ERR no message 3: the maildrop has 2\r\n"
    );
}

#[test]
fn retr_sends_the_message_dot_stuffed_and_ends_with_a_lone_dot() {
    let mut server = logged_in();
    let out = send(&mut server, "RETR 2\r\n");
    assert_eq!(
        out,
        "+OK 63 octets\r\nSubject: Titik\r\n\r\nbaris satu\r\n..baris dengan titik\r\nbaris tiga\r\n.\r\n"
    );
}

#[test]
fn top_sends_the_header_and_as_many_body_lines_as_asked() {
    let mut server = logged_in();
    assert_eq!(
        send(&mut server, "TOP 2 0\r\n"),
        "+OK top of message follows\r\nSubject: Titik\r\n\r\n.\r\n"
    );
    assert_eq!(
        send(&mut server, "TOP 2 2\r\n"),
        "+OK top of message follows\r\nSubject: Titik\r\n\r\nbaris satu\r\n..baris dengan titik\r\n.\r\n"
    );
}

#[test]
fn uidl_gives_the_ids_that_stay() {
    let mut server = logged_in();
    assert_eq!(
        send(&mut server, "UIDL\r\n"),
        "+OK unique ids follow\r\n1 uid-1\r\n2 uid-2\r\n.\r\n"
    );
    assert_eq!(send(&mut server, "UIDL 1\r\n"), "+OK 1 uid-1\r\n");
}

#[test]
fn dele_only_marks_and_rset_unmarks() {
    let mut server = logged_in();
    assert_eq!(
        send(&mut server, "DELE 1\r\n"),
        "+OK message 1 marked; it goes at QUIT\r\n"
    );
    assert_eq!(
        send(&mut server, "DELE 1\r\n"),
        "-ERR message 1 is already deleted\r\n"
    );
    assert_eq!(
        send(&mut server, "RETR 1\r\n"),
        "-ERR message 1 is already deleted\r\n"
    );
    assert_eq!(send(&mut server, "STAT\r\n"), "+OK 1 63\r\n");
    assert_eq!(
        send(&mut server, "LIST\r\n"),
        "+OK 1 message (63 octets)\r\n2 63\r\n.\r\n"
    );
    assert_eq!(
        send(&mut server, "RSET\r\n"),
        "+OK nothing is marked now, 2 messages (117 octets)\r\n"
    );
    assert_eq!(send(&mut server, "STAT\r\n"), "+OK 2 117\r\n");
}

#[test]
fn quit_deletes_what_was_marked() {
    let mut server = logged_in();
    send(&mut server, "DELE 2\r\n");
    events(&mut server);
    assert_eq!(
        send(&mut server, "QUIT\r\n"),
        "+OK mx1.beta.example POP3 server signing off (1 deleted, 1 left)\r\n"
    );
    let events = events(&mut server);
    assert!(events.contains(&Pop3Event::Committed {
        user: "budi".into(),
        deleted: vec![1]
    }));
    assert_eq!(events.last(), Some(&Pop3Event::Closed { committed: true }));
    assert_eq!(server.state(), Pop3State::Update);
    assert_eq!(
        send(&mut server, "STAT\r\n"),
        "",
        "nothing is read after QUIT"
    );
}

#[test]
fn a_dropped_connection_deletes_nothing() {
    let mut server = logged_in();
    send(&mut server, "DELE 1\r\n");
    events(&mut server);
    server.connection_lost();
    assert_eq!(
        events(&mut server),
        [Pop3Event::Closed { committed: false }]
    );
}

#[test]
fn capa_lists_the_extensions_in_either_state() {
    let mut server = Pop3Server::new(HOST, budi(), 1);
    server.poll_output();
    let capa = send(&mut server, "CAPA\r\n");
    assert!(capa.starts_with("+OK capability list follows\r\n"));
    for line in ["USER\r\n", "TOP\r\n", "UIDL\r\n", "RESP-CODES\r\n"] {
        assert!(capa.contains(line), "{line}");
    }
    assert!(capa.ends_with("\r\n.\r\n"));
    let mut server = logged_in();
    assert_eq!(send(&mut server, "CAPA\r\n"), capa);
}

#[test]
fn garbage_and_long_lines_get_an_err_and_the_session_goes_on() {
    let mut server = logged_in();
    assert_eq!(
        send(&mut server, "EHLO x\r\n"),
        "-ERR unknown command EHLO\r\n"
    );
    assert_eq!(
        send(&mut server, "RETR\r\n"),
        "-ERR wrong arguments for RETR, use: RETR msg\r\n"
    );
    let long = format!("NOOP {}\r\n", "x".repeat(300));
    assert_eq!(
        send(&mut server, &long),
        "-ERR line too long: a command is at most 255 octets\r\n"
    );
    server.handle_input(b"\xff\xfe\r\n");
    let out = String::from_utf8(server.poll_output().unwrap()).unwrap();
    assert_eq!(out, "-ERR unknown command \u{fffd}\u{fffd}\r\n");
    assert_eq!(
        send(&mut server, "noop\n"),
        "+OK\r\n",
        "a bare LF ends a line too"
    );
}

#[test]
fn input_split_anywhere_reads_the_same() {
    let script = "USER budi\r\nPASS budi123\r\n";
    let mut whole = Pop3Server::new(HOST, budi(), 1);
    whole.handle_input(script.as_bytes());
    let mut split = Pop3Server::new(HOST, budi(), 1);
    for byte in script.bytes() {
        split.handle_input(&[byte]);
    }
    assert_eq!(whole.poll_output(), split.poll_output());
    assert_eq!(events(&mut whole), events(&mut split));
}

mod random_input {
    use super::*;
    use proptest::prelude::*;

    /// Lines a client might send, good and bad, with message numbers in and out of range.
    fn line() -> impl Strategy<Value = String> {
        let keyword = prop::sample::select(vec![
            "USER", "PASS", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "CAPA",
            "QUIT", "APOP", "list", "",
        ]);
        let argument = prop_oneof![
            (0u32..5).prop_map(|n| n.to_string()),
            Just("budi".to_string()),
            Just("budi123".to_string()),
            "[ -~]{0,50}",
        ];
        (keyword, prop::collection::vec(argument, 0..3)).prop_map(|(keyword, args)| {
            format!("{keyword} {}", args.join(" "))
                .trim_end()
                .to_string()
        })
    }

    proptest! {
        #[test]
        fn every_line_gets_one_status_line_and_nothing_panics(
            lines in prop::collection::vec(line(), 1..30),
            granted in any::<bool>(),
        ) {
            let mut server = Pop3Server::new(HOST, budi(), 1);
            server.poll_output();
            for line in lines {
                server.handle_input(format!("{line}\r\n").as_bytes());
                if server.state() == Pop3State::OpeningMaildrop {
                    if granted {
                        server.grant_maildrop(maildrop());
                    } else {
                        server.refuse_maildrop();
                    }
                }
                let out = String::from_utf8(server.poll_output().unwrap_or_default()).unwrap();
                if server.state() != Pop3State::Update || !out.is_empty() {
                    prop_assert!(
                        out.starts_with("+OK") || out.starts_with("-ERR"),
                        "{line:?} got {out:?}"
                    );
                }
            }
        }

        #[test]
        fn any_bytes_at_all_never_panic(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..10)) {
            let mut server = Pop3Server::new(HOST, budi(), 1);
            for chunk in chunks {
                server.handle_input(&chunk);
                if server.state() == Pop3State::OpeningMaildrop {
                    server.grant_maildrop(maildrop());
                }
            }
            while server.poll_event().is_some() {}
        }
    }
}
