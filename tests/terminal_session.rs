//! Scenario tests of the learner's terminal, connected through the simulated world to the
//! real SMTP engine: what she types, what she sees, what crosses the network, and what ends up
//! in the servers' mail stores.

use kurir::lang::Lang;
use kurir::mail::mailbox::MailStore;
use kurir::net::tcp::TcpState;
use kurir::proto::smtp::{explain, SessionState};
use kurir::sim::event::{EventKind, SimEvent};
use kurir::sim::rng::Probability;
use kurir::sim::world::{Command, World};
use kurir::terminal::{Entry, LineKind, Notice, Terminal};

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
    assert_eq!(session.state, SessionState::RcptTo);
    assert_eq!(
        session.envelope.reverse_path.as_deref(),
        Some("ani@alpha.example")
    );
    assert_eq!(session.envelope.recipients, ["budi@beta.example"]);
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
    assert_eq!(
        terminal
            .session(&world)
            .unwrap()
            .authenticated_as
            .as_deref(),
        Some("ani")
    );
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
