//! Reading mail in the world: budi's laptop and phone fetch from mx1.beta.example with POP3
//! (port 110) and IMAP (port 143) over simulated TCP, and the two protocols show their
//! difference — download-and-delete leaves the phone nothing, IMAP keeps both devices in step.

mod common;

use common::tshark;
use kurir::mail::maildrop::SEEN;
use kurir::proto::imap::client::{Action, FolderAction, INBOX};
use kurir::sim::default_world::ani_presses_send;
use kurir::sim::event::{EventKind, MailboxChange, MailboxProtocol};
use kurir::sim::id::{ConnectionId, HostId};
use kurir::sim::world::{Applied, Command, DeviceMail, World};

fn host(world: &World, name: &str) -> HostId {
    world.topology().host_id(name).unwrap()
}

/// A world where ani has sent budi `count` messages and all were delivered.
fn budi_has_mail(count: usize) -> World {
    let mut world = World::default_world(5);
    for n in 0..count {
        let send = ani_presses_send(
            world.topology(),
            &["budi@beta.example"],
            &format!("Pesan {n}"),
            "Halo Budi",
        )
        .unwrap();
        world.apply(send).unwrap();
        world.run_until_idle();
    }
    assert_eq!(inbox(&world).len(), count);
    world
}

/// budi's INBOX on mx1: (uid, seen) per message.
fn inbox(world: &World) -> Vec<(u32, bool)> {
    world
        .mail_store(host(world, "mx1.beta.example"))
        .unwrap()
        .maildrops()
        .get("budi@beta.example")
        .map(|maildrop| {
            maildrop
                .messages()
                .iter()
                .map(|m| (m.uid, m.is_seen()))
                .collect()
        })
        .unwrap_or_default()
}

fn check_mail(
    world: &mut World,
    device: &str,
    protocol: MailboxProtocol,
    keep_on_server: bool,
    actions: Vec<Action>,
) -> DeviceMail {
    let command = Command::CheckMail {
        host: host(world, device),
        server: host(world, "mx1.beta.example"),
        user: "budi".into(),
        password: "budi123".into(),
        protocol,
        keep_on_server,
        actions: actions
            .into_iter()
            .map(|action| FolderAction {
                folder: INBOX.into(),
                action,
            })
            .collect(),
    };
    assert!(matches!(
        world.apply(command),
        Ok(Applied::Connected { .. })
    ));
    world.run_until_idle();
    let device = world.device_mail(host(world, device)).unwrap().clone();
    assert!(!device.busy);
    device
}

/// `device` checks mail with POP3, deleting from the server unless `keep_on_server`.
fn pop3(world: &mut World, device: &str, keep_on_server: bool) -> DeviceMail {
    check_mail(world, device, MailboxProtocol::Pop3, keep_on_server, vec![])
}

/// `device` syncs with IMAP, then does `actions` on INBOX's messages on the server.
fn imap(world: &mut World, device: &str, actions: Vec<Action>) -> DeviceMail {
    check_mail(world, device, MailboxProtocol::Imap, false, actions)
}

fn changes(world: &World, by: MailboxProtocol) -> Vec<MailboxChange> {
    world
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MailboxChanged {
                change,
                by: Some(p),
                ..
            } if *p == by => Some(*change),
            _ => None,
        })
        .collect()
}

#[test]
fn pop3_download_and_delete_leaves_the_phone_nothing() {
    let mut world = budi_has_mail(2);
    let laptop = pop3(&mut world, "laptop-budi", false);
    assert_eq!(laptop.messages.len(), 2);
    assert!(laptop.messages[0]
        .content
        .starts_with(b"Return-Path: <ani@alpha.example>\r\n"));
    let last = laptop.last.clone().unwrap();
    assert!(last.ok, "{last:?}");
    assert_eq!(
        last.outcome,
        "2 downloaded, 2 deleted from the server, 0 left there"
    );
    assert!(inbox(&world).is_empty(), "deleted at QUIT");
    assert_eq!(
        changes(&world, MailboxProtocol::Pop3),
        [MailboxChange::Deleted, MailboxChange::Deleted]
    );

    let phone = pop3(&mut world, "phone-budi", false);
    assert!(phone.messages.is_empty());
    assert_eq!(
        phone.last.as_ref().unwrap().outcome,
        "0 downloaded, 0 deleted from the server, 0 left there"
    );

    let lines: Vec<String> = world
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MailboxCommand { line, .. } => Some(line.to_string()),
            _ => None,
        })
        .take(6)
        .collect();
    assert_eq!(
        lines,
        [
            "USER budi",
            "PASS ****",
            "UIDL",
            "RETR 1",
            "DELE 1",
            "RETR 2"
        ]
    );
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::MailboxReply { protocol: MailboxProtocol::Pop3, line, .. }
            if line.starts_with("+OK") && line.contains("mx1.beta.example")
    )));
}

#[test]
fn pop3_leave_on_server_downloads_only_what_is_new() {
    let mut world = budi_has_mail(1);
    let laptop = pop3(&mut world, "laptop-budi", true);
    assert_eq!(laptop.messages.len(), 1);
    assert_eq!(inbox(&world).len(), 1, "left on the server");
    let phone = pop3(&mut world, "phone-budi", true);
    assert_eq!(phone.messages.len(), 1, "the phone finds it too");
    let again = pop3(&mut world, "laptop-budi", true);
    assert_eq!(again.messages.len(), 1, "nothing new to download");
    assert_eq!(
        again.last.as_ref().unwrap().outcome,
        "0 downloaded, 0 deleted from the server, 1 left there"
    );
}

#[test]
fn reading_a_pop3_message_is_known_on_that_device_only() {
    let mut world = budi_has_mail(1);
    pop3(&mut world, "laptop-budi", true);
    pop3(&mut world, "phone-budi", true);
    let laptop = host(&world, "laptop-budi");
    let id = world.device_mail(laptop).unwrap().messages[0].id.clone();
    world
        .apply(Command::ReadOnDevice { host: laptop, id })
        .unwrap();
    assert!(world.device_mail(laptop).unwrap().messages[0].is_seen());
    let phone = world.device_mail(host(&world, "phone-budi")).unwrap();
    assert!(!phone.messages[0].is_seen());
    assert_eq!(
        inbox(&world),
        [(1, false)],
        "the server knows nothing of it"
    );
    let nothing = Command::ReadOnDevice {
        host: laptop,
        id: "9.9".into(),
    };
    assert!(world.apply(nothing).is_err());
}

#[test]
fn imap_read_on_the_phone_is_read_on_the_laptop() {
    let mut world = budi_has_mail(1);
    let laptop = imap(&mut world, "laptop-budi", vec![]);
    assert_eq!(laptop.messages.len(), 1);
    assert!(!laptop.messages[0].is_seen(), "BODY.PEEK leaves it unread");
    let phone = imap(&mut world, "phone-budi", vec![]);
    let uid = phone.messages[0].uid().unwrap();

    let read = vec![Action::AddFlag {
        uid,
        flag: SEEN.into(),
    }];
    let phone = imap(&mut world, "phone-budi", read);
    assert!(phone.messages[0].is_seen());
    assert_eq!(inbox(&world), [(uid, true)], "the flag is on the server");
    assert_eq!(
        changes(&world, MailboxProtocol::Imap),
        [MailboxChange::Read]
    );

    let laptop = imap(&mut world, "laptop-budi", vec![]);
    assert!(laptop.messages[0].is_seen(), "the laptop sees it read");
    assert_eq!(
        laptop.last.as_ref().unwrap().outcome,
        "0 new, 1 changed elsewhere, 0 gone"
    );
}

#[test]
fn imap_move_and_delete_reach_the_other_device() {
    let mut world = budi_has_mail(2);
    imap(&mut world, "laptop-budi", vec![]);
    let phone = imap(&mut world, "phone-budi", vec![]);
    let (first, second) = (
        phone.messages[0].uid().unwrap(),
        phone.messages[1].uid().unwrap(),
    );
    let actions = vec![
        Action::MoveTo {
            uid: first,
            folder: "Archive".into(),
        },
        Action::Delete { uid: second },
    ];
    let mx1 = host(&world, "mx1.beta.example");
    world
        .mail_store(mx1)
        .unwrap()
        .maildrops()
        .get("budi@beta.example")
        .unwrap();
    // A folder to move into: made over IMAP by hand (CREATE), as a learner would.
    create_folder(&mut world, "Archive");
    let phone = imap(&mut world, "phone-budi", actions);
    assert!(inbox(&world).is_empty());
    // The phone shows the moved message in Archive, as the server has it.
    assert_eq!(phone.folders, ["INBOX", "Archive"]);
    let folders: Vec<&str> = phone.messages.iter().map(|m| m.folder.as_str()).collect();
    assert_eq!(folders, ["Archive"]);
    assert_eq!(
        changes(&world, MailboxProtocol::Imap),
        [MailboxChange::Moved, MailboxChange::Deleted]
    );
    let laptop = imap(&mut world, "laptop-budi", vec![]);
    let folders: Vec<&str> = laptop.messages.iter().map(|m| m.folder.as_str()).collect();
    assert_eq!(folders, ["Archive"], "gone from INBOX, new in Archive");
    assert_eq!(
        laptop.last.as_ref().unwrap().outcome,
        "1 new, 0 changed elsewhere, 2 gone"
    );
    let archive = world
        .mail_store(mx1)
        .unwrap()
        .maildrops()
        .get("budi@beta.example")
        .unwrap()
        .folder("Archive")
        .unwrap()
        .messages()
        .len();
    assert_eq!(archive, 1);
}

/// Opens a hand-driven connection from laptop-budi to mx1's `port`.
fn connect(world: &mut World, port: u16) -> ConnectionId {
    let command = Command::Connect {
        from_host: host(world, "laptop-budi"),
        to_host: host(world, "mx1.beta.example"),
        port,
    };
    let Ok(Applied::Connected { connection }) = world.apply(command) else {
        panic!("no connection");
    };
    settle(world, connection);
    connection
}

fn settle(world: &mut World, connection: ConnectionId) {
    for _ in 0..10_000 {
        if world.interactive_settled(connection) {
            return;
        }
        world.step();
    }
    panic!("the connection never settled");
}

fn type_line(world: &mut World, connection: ConnectionId, line: &str) {
    let bytes = format!("{line}\r\n").into_bytes();
    world.apply(Command::Type { connection, bytes }).unwrap();
    settle(world, connection);
}

fn received(world: &World, connection: ConnectionId) -> String {
    String::from_utf8_lossy(&world.interactive(connection).unwrap().received).into_owned()
}

fn create_folder(world: &mut World, name: &str) {
    let connection = connect(world, 143);
    type_line(world, connection, "a1 LOGIN budi budi123");
    type_line(world, connection, &format!("a2 CREATE {name}"));
    type_line(world, connection, "a3 LOGOUT");
    assert!(received(world, connection).contains("a2 OK"));
}

#[test]
fn a_pop3_session_open_by_hand_locks_the_device_out() {
    let mut world = budi_has_mail(1);
    let connection = connect(&mut world, 110);
    assert!(received(&world, connection).starts_with("+OK"));
    type_line(&mut world, connection, "USER budi");
    type_line(&mut world, connection, "PASS budi123");
    type_line(&mut world, connection, "DELE 1");
    let laptop = pop3(&mut world, "laptop-budi", false);
    let last = laptop.last.clone().unwrap();
    assert!(!last.ok);
    assert!(
        last.outcome
            .starts_with("refused at PASS ****: -ERR [IN-USE]"),
        "{last:?}"
    );

    // Hanging up without QUIT deletes nothing (RFC 1939 §6) and frees the maildrop.
    world.apply(Command::Hangup { connection }).unwrap();
    world.run_until_idle();
    assert_eq!(inbox(&world).len(), 1);
    let laptop = pop3(&mut world, "laptop-budi", false);
    assert_eq!(laptop.messages.len(), 1);
    let typed: Vec<String> = world
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MailboxCommand {
                connection: c,
                protocol: MailboxProtocol::Pop3,
                line,
                ..
            } if *c == connection => Some(line.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(typed, ["USER budi", "PASS budi123", "DELE 1"]);
}

#[test]
fn an_idle_imap_session_hears_of_new_mail_at_once() {
    let mut world = budi_has_mail(1);
    let connection = connect(&mut world, 143);
    type_line(&mut world, connection, "a1 LOGIN budi budi123");
    type_line(&mut world, connection, "a2 SELECT INBOX");
    type_line(&mut world, connection, "a3 IDLE");
    assert!(received(&world, connection).ends_with("+ idling\r\n"));
    let send = ani_presses_send(world.topology(), &["budi@beta.example"], "Baru", "x").unwrap();
    world.apply(send).unwrap();
    world.run_until(world.now() + kurir::sim::time::SimDuration::from_micros(5_000_000));
    assert!(
        received(&world, connection).ends_with("* 2 EXISTS\r\n"),
        "{}",
        received(&world, connection)
    );
    // The phone marks it read: the idling session hears the flag change too.
    let read = vec![Action::AddFlag {
        uid: 1,
        flag: SEEN.into(),
    }];
    imap(&mut world, "phone-budi", read);
    assert!(received(&world, connection).contains("* 1 FETCH (FLAGS (\\Seen))"));
}

#[test]
fn a_wrong_password_ends_the_session_with_a_clear_outcome() {
    let mut world = budi_has_mail(1);
    let command = Command::CheckMail {
        host: host(&world, "phone-budi"),
        server: host(&world, "mx1.beta.example"),
        user: "budi".into(),
        password: "salah".into(),
        protocol: MailboxProtocol::Imap,
        keep_on_server: false,
        actions: vec![],
    };
    world.apply(command).unwrap();
    world.run_until_idle();
    let phone = world.device_mail(host(&world, "phone-budi")).unwrap();
    let last = phone.last.clone().unwrap();
    assert!(!last.ok);
    assert!(
        last.outcome.starts_with("refused at LOGIN \"budi\" ****: "),
        "{last:?}"
    );
    assert!(world.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::MailboxSynced {
            ok: false,
            protocol: MailboxProtocol::Imap,
            ..
        }
    )));
}

#[test]
fn reading_is_deterministic_and_rewinds_exactly() {
    let run = || {
        let mut world = budi_has_mail(2);
        pop3(&mut world, "laptop-budi", false);
        imap(&mut world, "phone-budi", vec![]);
        world
    };
    let (a, b) = (run(), run());
    assert_eq!(a.log().stable_hash(), b.log().stable_hash());
    let middle = a.events().len() * 3 / 4;
    let rewound = a.replay_to(middle).unwrap();
    assert_eq!(rewound.events(), &a.events()[..middle]);
}

#[test]
fn tshark_reads_pop3_and_imap_in_the_capture() {
    let mut world = budi_has_mail(1);
    pop3(&mut world, "laptop-budi", true);
    imap(&mut world, "phone-budi", vec![]);
    let path = std::env::temp_dir().join(format!("kurir-reading-{}.pcap", std::process::id()));
    std::fs::write(&path, world.pcap()).unwrap();
    let file = path.to_str().unwrap();
    let pop = tshark(&[
        "-r",
        file,
        "-Y",
        "pop.request",
        "-T",
        "fields",
        "-e",
        "pop.request.command",
    ]);
    let imap = tshark(&[
        "-r",
        file,
        "-Y",
        "imap.request",
        "-T",
        "fields",
        "-e",
        "imap.request.command",
    ]);
    let verbose = tshark(&["-r", file, "-o", "tcp.check_checksum:TRUE", "-V"]);
    std::fs::remove_file(&path).unwrap();
    let pop: Vec<&str> = pop.lines().collect();
    assert_eq!(pop, ["USER", "PASS", "UIDL", "RETR", "QUIT"]);
    let imap: Vec<String> = imap.lines().map(str::to_ascii_uppercase).collect();
    assert_eq!(
        imap,
        ["LOGIN", "LIST", "SELECT", "FETCH", "FETCH", "LOGOUT"]
    );
    assert!(!verbose.contains("Malformed"));
    assert!(!verbose.contains("[Checksum Status: Bad]"));
}
