//! Scenario tests of the learner's terminal against the real SMTP engine: what she types,
//! what she sees, and what ends up in the servers' mail stores.

use kurir::lang::Lang;
use kurir::proto::smtp::{explain, SessionState};
use kurir::terminal::{Entry, LineKind, Notice, Terminal};

const NOW: i64 = 1_795_000_000;

fn typed(terminal: &mut Terminal, lines: &[&str]) {
    for line in lines {
        terminal.submit(line, NOW);
    }
}

fn reply_codes(terminal: &Terminal) -> Vec<u16> {
    terminal
        .lines()
        .iter()
        .filter_map(|line| match &line.entry {
            Entry::Reply { reply, .. } => Some(reply.code.get()),
            _ => None,
        })
        .collect()
}

fn notices(terminal: &Terminal) -> Vec<&Notice> {
    terminal
        .lines()
        .iter()
        .filter_map(|line| match &line.entry {
            Entry::Notice(notice) => Some(notice),
            _ => None,
        })
        .collect()
}

const SESSION: [&str; 12] = [
    "telnet mx1.beta.example 25",
    "EHLO laptop-ani.alpha.example",
    "MAIL FROM:<ani@alpha.example>",
    "RCPT TO:<budi@beta.example>",
    "DATA",
    "From: Ani <ani@alpha.example>",
    "Subject: Halo",
    "",
    "..titik di awal",
    "Sampai besok.",
    ".",
    "QUIT",
];

#[test]
fn a_full_session_delivers_one_message_to_budi() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION);
    assert_eq!(reply_codes(&terminal), [220, 250, 250, 250, 354, 250, 221]);
    assert!(!terminal.is_connected());

    let store = terminal.store("mx1.beta.example").expect("mx1 holds mail");
    let (address, messages) = store.mailboxes().next().expect("a mailbox");
    assert_eq!(address, "budi@beta.example");
    assert_eq!(messages.len(), 1);
    let text = String::from_utf8(messages[0].content.clone()).unwrap();
    assert!(
        text.starts_with(
            "Return-Path: <ani@alpha.example>\r\nReceived: from laptop-ani.alpha.example"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Subject: Halo\r\n\r\n.titik di awal\r\nSampai besok.\r\n"),
        "{text}"
    );
    assert!(notices(&terminal)
        .iter()
        .any(|n| matches!(n, Notice::DotUnstuffed { line: 4 })));
    assert!(notices(&terminal)
        .iter()
        .any(|n| matches!(n, Notice::Delivered { .. })));
}

#[test]
fn message_lines_are_marked_as_such_and_not_kept_in_history() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION[..6]);
    assert!(terminal.in_data_mode());
    assert_eq!(terminal.prompt(), "data>");
    let last = terminal.lines().last().unwrap();
    assert!(matches!(
        &last.entry,
        Entry::Typed {
            kind: LineKind::MessageLine,
            ..
        }
    ));
    assert_eq!(terminal.history_older("").as_deref(), Some("DATA"));
}

#[test]
fn the_session_view_shows_the_envelope_so_far() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION[..4]);
    let session = terminal.session().expect("connected");
    assert_eq!(session.host, "mx1.beta.example");
    assert_eq!(session.state, SessionState::RcptTo);
    assert_eq!(
        session.envelope.reverse_path.as_deref(),
        Some("ani@alpha.example")
    );
    assert_eq!(session.envelope.recipients, ["budi@beta.example"]);
}

#[test]
fn a_wrong_order_gets_503_with_a_hint_naming_the_missing_step() {
    let mut terminal = Terminal::new();
    typed(
        &mut terminal,
        &[
            "telnet mx1.beta.example 25",
            "EHLO x.example",
            "RCPT TO:<budi@beta.example>",
        ],
    );
    let Entry::Reply { reply, answered } = &terminal.lines().last().unwrap().entry else {
        panic!("no reply")
    };
    assert_eq!(reply.code.get(), 503);
    for lang in Lang::ALL {
        assert!(explain(reply, *answered, lang)
            .next_step
            .contains("MAIL FROM"));
    }
}

#[test]
fn submission_needs_auth_then_queues_foreign_mail_for_relay() {
    let mut terminal = Terminal::new();
    typed(
        &mut terminal,
        &[
            "telnet mail.alpha.example 587",
            "EHLO laptop-ani.alpha.example",
            "MAIL FROM:<ani@alpha.example>",
            // "\0ani\0ani123" in base64
            "AUTH PLAIN AGFuaQBhbmkxMjM=",
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<budi@beta.example>",
            "RCPT TO:<citra@alpha.example>",
            "DATA",
            "Subject: dua penerima",
            "",
            "Halo.",
            ".",
        ],
    );
    assert_eq!(
        reply_codes(&terminal),
        [220, 250, 530, 235, 250, 250, 250, 354, 250]
    );
    let store = terminal.store("mail.alpha.example").unwrap();
    assert_eq!(
        store.mailboxes().map(|(a, _)| a).collect::<Vec<_>>(),
        ["citra@alpha.example"]
    );
    assert_eq!(store.outbound().len(), 1);
    assert_eq!(store.outbound()[0].envelope_to, ["budi@beta.example"]);
    assert_eq!(
        terminal.session().unwrap().authenticated_as.as_deref(),
        Some("ani")
    );
}

#[test]
fn local_mistakes_get_local_answers() {
    let mut terminal = Terminal::new();
    typed(
        &mut terminal,
        &[
            "EHLO me",
            "telnet nowhere.example 25",
            "telnet r2 25",
            "telnet mx1.beta.example",
            "ls",
            "quit",
        ],
    );
    let got: Vec<_> = notices(&terminal).into_iter().skip(1).cloned().collect();
    assert_eq!(
        got,
        [
            Notice::SmtpWhileDisconnected(kurir::proto::smtp::Verb::Ehlo),
            Notice::UnknownHost {
                host: "nowhere.example".into()
            },
            Notice::ConnectionRefused {
                host: "r2".into(),
                port: 25
            },
            Notice::ConnectUsage,
            Notice::UnknownLocal("ls".into()),
            Notice::NotConnected,
        ]
    );
    assert!(reply_codes(&terminal).is_empty());
}

#[test]
fn pasted_text_is_sent_line_by_line() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION[..5]);
    terminal.submit_pasted("Subject: paste\r\n\r\nline one\nline two\n.\n", NOW);
    assert_eq!(reply_codes(&terminal).last(), Some(&250));
    let store = terminal.store("mx1.beta.example").unwrap();
    let (_, messages) = store.mailboxes().next().unwrap();
    assert!(messages[0]
        .content
        .ends_with(b"Subject: paste\r\n\r\nline one\r\nline two\r\n"));
}

#[test]
fn dropping_the_connection_forgets_the_unfinished_message() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION[..7]);
    terminal.disconnect();
    assert!(!terminal.is_connected());
    assert!(terminal.store("mx1.beta.example").is_none());
    assert!(matches!(
        notices(&terminal).last(),
        Some(Notice::Disconnected { .. })
    ));
}

#[test]
fn clear_empties_the_screen_but_keeps_the_connection() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION[..2]);
    typed(&mut terminal, &["clear"]);
    assert!(terminal.is_connected());
    assert_eq!(
        reply_codes(&terminal).last(),
        Some(&500),
        "once connected, `clear` goes to the server"
    );
    terminal.clear();
    assert!(terminal.lines().is_empty());
}

#[test]
fn mail_persists_across_connections() {
    let mut terminal = Terminal::new();
    typed(&mut terminal, &SESSION);
    typed(&mut terminal, &SESSION);
    let store = terminal.store("mx1.beta.example").unwrap();
    let (_, messages) = store.mailboxes().next().unwrap();
    assert_eq!(messages.len(), 2);
    assert_ne!(messages[0].queue_id, messages[1].queue_id);
}
