//! Scenario tests of the learner's terminal, connected through the simulated world to the
//! real SMTP, POP3 and IMAP engines: what she types, what she sees, what crosses the network,
//! and what ends up in the servers' mail stores.

use kurir::lang::Lang;
use kurir::mail::mailbox::MailStore;
use kurir::net::tcp::TcpState;
use kurir::proto::imap::server::ImapState;
use kurir::proto::pop3::Pop3State;
use kurir::proto::smtp::{explain, SessionState};
use kurir::proto::{imap, pop3};
use kurir::sim::default_world::ani_presses_send;
use kurir::sim::event::{EventKind, SimEvent};
use kurir::sim::rng::Probability;
use kurir::sim::time::SimDuration;
use kurir::sim::world::{Command, World};
use kurir::terminal::{Entry, ImapResponse, LineKind, Notice, Pop3Reply, SessionDetails, Terminal};

fn fresh() -> (Terminal, World) {
    (Terminal::new(), World::default_world(1))
}

fn typed(terminal: &mut Terminal, world: &mut World, lines: &[&str]) {
    for line in lines {
        terminal.submit(world, line);
    }
}

fn store<'w>(world: &'w World, host: &str) -> &'w MailStore {
    let id = world.topology().host_id(host).expect("a host of the world");
    world.mail_store(id).expect("a mail server")
}

/// What `pick` takes from the terminal's entries, in order.
fn entries<'t, T>(terminal: &'t Terminal, pick: impl Fn(&'t Entry) -> Option<T>) -> Vec<T> {
    terminal
        .lines()
        .iter()
        .filter_map(|line| pick(&line.entry))
        .collect()
}

fn reply_codes(terminal: &Terminal) -> Vec<u16> {
    entries(terminal, |entry| match entry {
        Entry::Reply { reply, .. } => Some(reply.code.get()),
        _ => None,
    })
}

fn notices(terminal: &Terminal) -> Vec<&Notice> {
    entries(terminal, |entry| match entry {
        Entry::Notice(notice) => Some(notice),
        _ => None,
    })
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
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION);
    assert_eq!(reply_codes(&terminal), [220, 250, 250, 250, 354, 250, 221]);
    assert!(!terminal.is_connected());

    let store = store(&world, "mx1.beta.example");
    let (address, messages) = store.mailboxes().next().expect("a mailbox");
    assert_eq!(address, "budi@beta.example");
    assert_eq!(messages.len(), 1);
    let text = String::from_utf8(messages[0].message.content.clone()).unwrap();
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
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION[..6]);
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
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION[..4]);
    let session = terminal.session(&world).expect("connected");
    assert_eq!(session.host, "mx1.beta.example");
    let SessionDetails::Smtp {
        state, envelope, ..
    } = session.details
    else {
        panic!("an SMTP session: {session:?}");
    };
    assert_eq!(state, SessionState::RcptTo);
    assert_eq!(envelope.reverse_path.as_deref(), Some("ani@alpha.example"));
    assert_eq!(envelope.recipients, ["budi@beta.example"]);
}

#[test]
fn a_wrong_order_gets_503_with_a_hint_naming_the_missing_step() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
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
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
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
    let store = store(&world, "mail.alpha.example");
    assert_eq!(
        store.mailboxes().map(|(a, _)| a).collect::<Vec<_>>(),
        ["citra@alpha.example"]
    );
    assert_eq!(store.outbound().len(), 1);
    assert_eq!(store.outbound()[0].envelope_to, ["budi@beta.example"]);
    let Some(SessionDetails::Smtp {
        authenticated_as, ..
    }) = terminal.session(&world).map(|s| s.details)
    else {
        panic!("an SMTP session");
    };
    assert_eq!(authenticated_as.as_deref(), Some("ani"));
}

#[test]
fn local_mistakes_get_local_answers() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
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
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION[..5]);
    let before_paste = world.events().len();
    let last_line_from =
        terminal.submit_pasted(&mut world, "Subject: paste\r\n\r\nline one\nline two\n.\n");
    assert_eq!(reply_codes(&terminal).last(), Some(&250));
    assert!(
        last_line_from > before_paste,
        "the lines before the dot sent frames"
    );
    let replied_250 = |events: &[SimEvent]| {
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::SmtpReply { code: 250, .. }))
    };
    assert!(
        replied_250(&world.events()[last_line_from..]),
        "the dot's 250 comes after the position before the last line"
    );
    assert!(!replied_250(&world.events()[before_paste..last_line_from]));
    let store = store(&world, "mx1.beta.example");
    let (_, messages) = store.mailboxes().next().unwrap();
    assert!(messages[0]
        .message
        .content
        .ends_with(b"Subject: paste\r\n\r\nline one\r\nline two\r\n"));
}

#[test]
fn dropping_the_connection_forgets_the_unfinished_message() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION[..7]);
    terminal.disconnect(&mut world);
    assert!(!terminal.is_connected());
    assert_eq!(store(&world, "mx1.beta.example").message_count(), 0);
    assert!(matches!(
        notices(&terminal).last(),
        Some(Notice::Disconnected { .. })
    ));
}

#[test]
fn clear_empties_the_screen_but_keeps_the_connection() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION[..2]);
    typed(&mut terminal, &mut world, &["clear"]);
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
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION);
    typed(&mut terminal, &mut world, &SESSION);
    let store = store(&world, "mx1.beta.example");
    let (_, messages) = store.mailboxes().next().unwrap();
    assert_eq!(messages.len(), 2);
    assert_ne!(messages[0].message.queue_id, messages[1].message.queue_id);
}

fn host_id(world: &World, name: &str) -> kurir::sim::id::HostId {
    world.topology().host_id(name).expect("a host of the world")
}

#[test]
fn telnet_opens_a_tcp_connection_whose_handshake_is_in_the_log() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &["telnet mx1.beta.example 25"]);
    let ani = host_id(&world, "laptop-ani");
    let mx1 = host_id(&world, "mx1.beta.example");
    let transitions: Vec<_> = world
        .events()
        .iter()
        .filter_map(|event| match event.kind {
            EventKind::TcpStateChanged { host, from, to, .. } => Some((host, from, to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        transitions,
        [
            (ani, TcpState::Closed, TcpState::SynSent),
            (mx1, TcpState::Closed, TcpState::Listen),
            (mx1, TcpState::Listen, TcpState::SynReceived),
            (ani, TcpState::SynSent, TcpState::Established),
            (mx1, TcpState::SynReceived, TcpState::Established),
        ]
    );
    let Some(Notice::Connected {
        handshake_micros, ..
    }) = notices(&terminal).into_iter().nth(1)
    else {
        panic!("no Connected notice: {:?}", notices(&terminal));
    };
    assert!(*handshake_micros > 0, "a handshake takes time on the wire");
    assert_eq!(reply_codes(&terminal), [220]);
    assert!(
        world.frame_count() >= 6,
        "SYN, SYN-ACK, ACK, 220 and its ACK, hop by hop"
    );
}

#[test]
fn a_port_nobody_listens_on_is_refused_by_a_rst_from_the_host() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &["telnet mx1.beta.example 80"]);
    assert_eq!(
        notices(&terminal).last(),
        Some(&&Notice::ConnectionRefused {
            host: "mx1.beta.example".into(),
            port: 80
        })
    );
    assert!(!terminal.is_connected());
    assert!(
        world.frame_count() > 0,
        "the SYN and the RST crossed the network"
    );
}

#[test]
fn a_switched_off_server_lets_the_connect_time_out() {
    let (mut terminal, mut world) = fresh();
    let mx1 = host_id(&world, "mx1.beta.example");
    world
        .apply(Command::SetHostUp {
            host: mx1,
            up: false,
        })
        .unwrap();
    typed(&mut terminal, &mut world, &["telnet mx1.beta.example 25"]);
    let Some(Notice::ConnectTimedOut { seconds, .. }) = notices(&terminal).last() else {
        panic!("no time-out: {:?}", notices(&terminal));
    };
    assert!(*seconds >= 63, "SYN retransmitted for {seconds} s");
    assert!(!terminal.is_connected());
}

#[test]
fn a_server_can_be_reached_by_its_address() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &["telnet 198.51.100.25 25"]);
    assert_eq!(reply_codes(&terminal), [220]);
    assert_eq!(terminal.prompt(), "mx1.beta.example:25>");
}

#[test]
fn commands_are_logged_at_laptop_ani_but_the_message_text_is_not() {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION);
    let ani = host_id(&world, "laptop-ani");
    let commands: Vec<&str> = world
        .events()
        .iter()
        .filter_map(|event| match &event.kind {
            EventKind::SmtpCommand { host, line, .. } if *host == ani => Some(line.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        commands,
        [
            "EHLO laptop-ani.alpha.example",
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<budi@beta.example>",
            "DATA",
            "QUIT"
        ]
    );
}

#[test]
fn mail_submitted_by_hand_is_relayed_to_budi_as_time_runs_on() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mail.alpha.example 587",
            "EHLO laptop-ani.alpha.example",
            "AUTH PLAIN AGFuaQBhbmkxMjM=",
            "MAIL FROM:<ani@alpha.example>",
            "RCPT TO:<budi@beta.example>",
            "DATA",
            "Subject: lewat relay",
            "",
            "Halo Budi.",
            ".",
            "QUIT",
        ],
    );
    assert!(notices(&terminal)
        .iter()
        .any(|n| matches!(n, Notice::QueuedForRelay { .. })));
    assert!(world.run_until_idle());
    let mx1 = store(&world, "mx1.beta.example");
    let (address, messages) = mx1.mailboxes().next().expect("budi got mail");
    assert_eq!(address, "budi@beta.example");
    let text = String::from_utf8_lossy(&messages[0].message.content);
    assert_eq!(text.matches("Received: ").count(), 2, "{text}");
    assert!(
        text.ends_with("Subject: lewat relay\r\n\r\nHalo Budi.\r\n"),
        "{text}"
    );
}

#[test]
fn two_messages_on_one_connection_are_filed_under_their_own_ids() {
    let (mut terminal, mut world) = fresh();
    let transaction = [
        "MAIL FROM:<ani@alpha.example>",
        "RCPT TO:<dewi@beta.example>",
        "DATA",
        "Subject: satu",
        "",
        ".",
    ];
    typed(&mut terminal, &mut world, &SESSION[..2]);
    typed(&mut terminal, &mut world, &transaction);
    typed(&mut terminal, &mut world, &transaction);
    let delivered = notices(&terminal)
        .into_iter()
        .filter(|n| matches!(n, Notice::Delivered { .. }))
        .count();
    assert_eq!(delivered, 2);
    let ids: Vec<_> = world
        .events()
        .iter()
        .filter_map(|event| match event.kind {
            EventKind::MessageDelivered { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn a_lossy_network_slows_the_session_but_loses_nothing() {
    let (mut terminal, mut world) = fresh();
    let links: Vec<_> = world.topology().links().map(|(id, _)| id).collect();
    for link in links {
        world
            .apply(Command::SetLinkLoss {
                link,
                loss: Probability::from_percent(5),
            })
            .unwrap();
    }
    typed(&mut terminal, &mut world, &SESSION);
    assert_eq!(reply_codes(&terminal), [220, 250, 250, 250, 354, 250, 221]);
    let (_, messages) = store(&world, "mx1.beta.example")
        .mailboxes()
        .next()
        .unwrap();
    assert_eq!(messages.len(), 1);
}

#[test]
fn the_same_session_gives_the_same_log() {
    let run = || {
        let (mut terminal, mut world) = fresh();
        typed(&mut terminal, &mut world, &SESSION);
        world.log().stable_hash()
    };
    assert_eq!(run(), run());
}

// ---- POP3 (port 110) and IMAP (port 143) ----

fn pop3_replies(terminal: &Terminal) -> Vec<&Pop3Reply> {
    entries(terminal, |entry| match entry {
        Entry::Pop3(reply) => Some(reply),
        _ => None,
    })
}

fn imap_responses(terminal: &Terminal) -> Vec<&ImapResponse> {
    entries(terminal, |entry| match entry {
        Entry::Imap(response) => Some(response),
        _ => None,
    })
}

/// The tagged completions on screen: (first line, the command it was matched to).
fn completions(terminal: &Terminal) -> Vec<(String, Option<String>)> {
    imap_responses(terminal)
        .into_iter()
        .filter(|r| !r.text.starts_with('*') && !r.text.starts_with('+'))
        .map(|r| (r.first_line().to_string(), r.answered.clone()))
        .collect()
}

/// budi's INBOX on mx1: the flags of each message.
fn budi_inbox(world: &World) -> Vec<Vec<String>> {
    store(world, "mx1.beta.example")
        .maildrops()
        .get("budi@beta.example")
        .map(|maildrop| {
            maildrop
                .messages()
                .iter()
                .map(|m| m.flags.iter().cloned().collect())
                .collect()
        })
        .unwrap_or_default()
}

/// A world where the learner has sent budi the SESSION message (with its line that starts
/// with a dot), and a terminal ready for the next connection.
fn budi_has_mail() -> (Terminal, World) {
    let (mut terminal, mut world) = fresh();
    typed(&mut terminal, &mut world, &SESSION);
    assert_eq!(budi_inbox(&world).len(), 1);
    (terminal, world)
}

#[test]
fn a_full_pop3_session_reads_unstuffed_and_deletes_budis_message() {
    let (mut terminal, mut world) = budi_has_mail();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mx1.beta.example 110",
            "USER budi",
            "PASS budi123",
            "STAT",
            "LIST",
            "RETR 1",
        ],
    );
    assert_eq!(terminal.prompt(), "mx1.beta.example:110>");
    let session = terminal.session(&world).expect("connected");
    let SessionDetails::Pop3 {
        state,
        user,
        messages,
    } = session.details
    else {
        panic!("a POP3 session: {session:?}");
    };
    assert_eq!(state, Pop3State::Transaction);
    assert_eq!(user.as_deref(), Some("budi"));
    assert_eq!(messages.map(|(count, _)| count), Some(1));

    let replies = pop3_replies(&terminal);
    let answered: Vec<_> = replies.iter().map(|r| r.answered.as_deref()).collect();
    assert_eq!(
        answered,
        [
            None,
            Some("USER"),
            Some("PASS"),
            Some("STAT"),
            Some("LIST"),
            Some("RETR")
        ]
    );
    assert!(replies.iter().all(|r| r.is_ok()), "{replies:?}");
    assert_eq!(replies[4].body.as_ref().map(Vec::len), Some(1), "LIST 1 n");
    let retr = replies[5];
    let body = retr.body.as_ref().expect("a multi-line reply");
    assert!(body.iter().any(|l| l == "Subject: Halo"), "{body:?}");
    assert!(
        body.iter().any(|l| l == ".titik di awal"),
        "one dot taken off: {body:?}"
    );
    assert_eq!(body.last().map(String::as_str), Some("Sampai besok."));
    assert_eq!(retr.unstuffed, 1);
    assert!(matches!(
        notices(&terminal).last(),
        Some(Notice::DotsTakenOff { lines: 1 })
    ));

    typed(&mut terminal, &mut world, &["DELE 1"]);
    assert_eq!(budi_inbox(&world).len(), 1, "only marked before QUIT");
    typed(&mut terminal, &mut world, &["QUIT"]);
    assert!(pop3_replies(&terminal).last().unwrap().is_ok());
    assert!(!terminal.is_connected());
    assert!(budi_inbox(&world).is_empty(), "deleted at QUIT");
}

#[test]
fn every_pop3_refusal_is_explained_with_what_to_type_instead() {
    let (mut terminal, mut world) = budi_has_mail();
    let long = "X".repeat(1000);
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mx1.beta.example 110",
            "RETR 1",
            "PASS budi123",
            "EHLO laptop-ani.alpha.example",
            &long,
            "",
            "\u{1F4E7} \u{0}garbage",
            "USER budi",
            "PASS salah",
            "USER budi",
            "PASS budi123",
            "RETR 9",
        ],
    );
    assert!(terminal.is_connected());
    let replies = pop3_replies(&terminal);
    assert_eq!(replies.len(), 12, "one reply per line");
    let refusals: Vec<_> = replies.iter().filter(|r| !r.is_ok()).collect();
    assert_eq!(refusals.len(), 8, "{refusals:?}");
    for reply in refusals {
        for lang in Lang::ALL {
            let explanation =
                pop3::explain::explain(&reply.status, reply.answered.as_deref(), lang);
            assert!(!explanation.next_step.is_empty());
            assert!(
                !explanation.meaning.contains("its words say why")
                    && !explanation.meaning.contains("kata-katanya"),
                "{} has no explanation of its own",
                reply.status
            );
        }
    }
    let retr_first = pop3::explain::explain(&replies[1].status, Some("RETR"), Lang::En);
    assert!(retr_first.next_step.contains("USER budi"), "{retr_first:?}");
}

#[test]
fn an_imap_session_logs_in_selects_fetches_a_literal_flags_and_logs_out() {
    let (mut terminal, mut world) = budi_has_mail();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mx1.beta.example 143",
            "a1 LOGIN budi budi123",
            "a2 SELECT INBOX",
        ],
    );
    let session = terminal.session(&world).expect("connected");
    assert_eq!(
        session.details,
        SessionDetails::Imap {
            state: ImapState::Selected,
            user: Some("budi".into()),
            folder: Some("INBOX".into()),
            idling: false,
        }
    );
    typed(
        &mut terminal,
        &mut world,
        &["a3 FETCH 1 BODY[]", "a4 STORE 1 +FLAGS (\\Flagged)"],
    );
    let fetched = imap_responses(&terminal)
        .into_iter()
        .find(|r| r.text.starts_with("* 1 FETCH") && !r.literals.is_empty())
        .expect("the message as a literal");
    assert!(
        fetched.text.contains("\n.titik di awal\n"),
        "{}",
        fetched.text
    );
    assert_eq!(fetched.answered.as_deref(), Some("FETCH"));
    assert!(notices(&terminal)
        .iter()
        .any(|n| matches!(n, Notice::ImapLiteral { .. })));
    typed(&mut terminal, &mut world, &["a5 LOGOUT"]);
    let tagged = completions(&terminal);
    let names: Vec<_> = tagged.iter().map(|(_, name)| name.as_deref()).collect();
    assert_eq!(
        names,
        [
            Some("LOGIN"),
            Some("SELECT"),
            Some("FETCH"),
            Some("STORE"),
            Some("LOGOUT")
        ]
    );
    assert!(tagged
        .iter()
        .all(|(line, _)| line.split(' ').nth(1) == Some("OK")));
    assert!(imap_responses(&terminal)
        .iter()
        .any(|r| r.text.starts_with("* BYE")));
    assert!(!terminal.is_connected());
    let flags = &budi_inbox(&world)[0];
    assert!(flags.contains(&"\\Seen".to_string()) && flags.contains(&"\\Flagged".to_string()));
}

#[test]
fn an_imap_line_without_a_tag_gets_bad_and_a_word_about_tags() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mx1.beta.example 143",
            "LOGIN budi budi123",
            "NOOP",
            "",
            &"y".repeat(10_000),
            "a1 FETCH 1 BODY[]",
            "a2 LOGIN budi salah",
        ],
    );
    assert!(terminal.is_connected());
    assert!(notices(&terminal).iter().any(|n| matches!(
        n,
        Notice::ImapTagMissing { command, example } if command == "LOGIN" && example == "a1 LOGIN budi budi123"
    )));
    let refusals: Vec<_> = imap_responses(&terminal)
        .into_iter()
        .filter(|r| r.is_refusal())
        .collect();
    assert_eq!(refusals.len(), 6, "one per line: {refusals:?}");
    for response in refusals {
        let explanation = imap::explain::explain(
            response.first_line(),
            response.answered.as_deref(),
            Lang::En,
        );
        assert!(!explanation.next_step.is_empty());
    }
    let noop = imap_responses(&terminal)
        .into_iter()
        .find(|r| r.first_line().starts_with("NOOP BAD"))
        .expect("NOOP read as a tag");
    let explanation = imap::explain::explain(noop.first_line(), None, Lang::Id);
    assert!(explanation.meaning.contains("tag"), "{explanation:?}");
    let fetch = completions(&terminal);
    assert!(
        fetch
            .iter()
            .any(|(line, name)| line.starts_with("a1 BAD log in first")
                && name.as_deref() == Some("FETCH")),
        "{fetch:?}"
    );
}

#[test]
fn idle_shows_new_mail_as_it_arrives_and_done_ends_it() {
    let (mut terminal, mut world) = budi_has_mail();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mx1.beta.example 143",
            "a1 LOGIN budi budi123",
            "a2 SELECT INBOX",
            "a3 IDLE",
        ],
    );
    assert!(terminal.is_idling());
    assert_eq!(terminal.prompt(), "idle>");
    assert!(notices(&terminal).contains(&&Notice::Idling));
    assert!(!terminal.poll(&world), "nothing new yet");

    let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Baru", "x").unwrap();
    world.apply(send).unwrap();
    world.run_until(world.now() + SimDuration::from_micros(5_000_000));
    assert!(terminal.has_news(&world));
    assert!(terminal.poll(&world));
    let last = *imap_responses(&terminal).last().unwrap();
    assert_eq!(last.text, "* 2 EXISTS");
    assert_eq!(last.answered.as_deref(), Some("IDLE"));

    typed(&mut terminal, &mut world, &["DONE"]);
    assert!(!terminal.is_idling());
    assert_eq!(
        completions(&terminal).last().cloned(),
        Some((
            "a3 OK IDLE terminated".to_string(),
            Some("IDLE".to_string())
        ))
    );
}

#[test]
fn reading_commands_before_connecting_say_where_to_connect() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
        &["RETR 1", "a1 LOGIN budi budi123"],
    );
    let got: Vec<String> = notices(&terminal)
        .into_iter()
        .skip(1)
        .map(|n| n.text(Lang::En))
        .collect();
    assert!(got[0].contains("POP3") && got[0].contains("110"), "{got:?}");
    assert!(got[1].contains("IMAP") && got[1].contains("143"), "{got:?}");
}

#[test]
fn mail_alpha_serves_pop3_and_imap_to_ani() {
    let (mut terminal, mut world) = fresh();
    typed(
        &mut terminal,
        &mut world,
        &[
            "telnet mail.alpha.example 110",
            "USER ani",
            "PASS ani123",
            "QUIT",
            "telnet mail.alpha.example 143",
            "x LOGIN ani ani123",
            "y LOGOUT",
        ],
    );
    assert!(pop3_replies(&terminal).iter().all(|r| r.is_ok()));
    assert_eq!(completions(&terminal).len(), 2);
    assert!(completions(&terminal)
        .iter()
        .all(|(line, _)| line.contains(" OK ")));
}
