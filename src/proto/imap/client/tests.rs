use super::*;
use crate::mail::maildrop::{DomainMail, Maildrops};
use crate::proto::imap::server::ImapServer;
use crate::proto::imap::store::MailStore;
use crate::proto::login::Login;

const DATE: &str = "28-Nov-2026 10:00:00 +0000";
const HALO: &[u8] = b"Subject: Halo\r\n\r\nApa kabar?\r\n";
const RAPAT: &[u8] = b"Subject: Rapat\r\n\r\n.titik di depan\r\n";

/// budi's mailboxes on mx1.beta.example.
fn mailboxes(messages: &[&[u8]]) -> Maildrops {
    let mut maildrops = Maildrops::default();
    for message in messages {
        maildrops.deliver("budi@beta.example", message.to_vec(), DATE.into());
    }
    maildrops
}

fn mail(maildrops: &mut Maildrops) -> DomainMail<'_> {
    DomainMail {
        maildrops,
        domain: "beta.example",
        now: DATE.into(),
    }
}

/// One session of `client` against a fresh server session over `maildrops`: its events.
fn session(client: &mut ImapClient, maildrops: &mut Maildrops) -> Vec<ImapClientEvent> {
    let accounts = vec![Login {
        user: "budi".into(),
        password: "budi123".into(),
    }];
    let mut server = ImapServer::new("mx1.beta.example", accounts);
    for _ in 0..100 {
        let mut moved = false;
        while let Some(bytes) = server.poll_output() {
            client.handle_input(&bytes);
            moved = true;
        }
        while let Some(bytes) = client.poll_output() {
            server.handle_input(&bytes, &mut mail(maildrops));
            moved = true;
        }
        if !moved {
            break;
        }
    }
    std::iter::from_fn(|| client.poll_event()).collect()
}

fn device(state: SyncState, actions: Vec<Action>) -> ImapClient {
    let in_inbox = |action| FolderAction {
        folder: INBOX.into(),
        action,
    };
    ImapClient::new(
        "budi",
        "budi123",
        state,
        actions.into_iter().map(in_inbox).collect(),
    )
}

fn inbox(client: &ImapClient) -> &FolderState {
    &client.state().folders[INBOX]
}

fn sent(events: &[ImapClientEvent]) -> Vec<&str> {
    events
        .iter()
        .filter_map(|e| match e {
            ImapClientEvent::Sent { line } => Some(line.split_once(' ').unwrap().1),
            _ => None,
        })
        .collect()
}

fn fetched(events: &[ImapClientEvent]) -> Vec<(u32, Vec<u8>)> {
    events
        .iter()
        .filter_map(|event| match event {
            ImapClientEvent::Fetched {
                folder,
                uid,
                content,
                ..
            } if folder == INBOX => Some((*uid, content.clone())),
            _ => None,
        })
        .collect()
}

fn finished(events: &[ImapClientEvent]) -> &SyncOutcome {
    events
        .iter()
        .find_map(|event| match event {
            ImapClientEvent::Finished(outcome) => Some(outcome),
            _ => None,
        })
        .expect("the session finished")
}

fn server_flags(maildrops: &mut Maildrops, uid: u32) -> BTreeSet<String> {
    let status = mail(maildrops).status("budi", "INBOX").unwrap();
    status
        .messages
        .into_iter()
        .find(|m| m.uid == uid)
        .unwrap()
        .flags
}

#[test]
fn a_first_sync_fetches_everything_without_marking_it_read() {
    let mut maildrops = mailboxes(&[HALO, RAPAT]);
    let mut laptop = device(SyncState::default(), Vec::new());
    let events = session(&mut laptop, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    assert_eq!(fetched(&events), [(1, HALO.to_vec()), (2, RAPAT.to_vec())]);
    assert!(
        server_flags(&mut maildrops, 1).is_empty(),
        "BODY.PEEK[] leaves \\Seen alone"
    );
    assert_eq!(inbox(&laptop).uid_validity, Some(1));
    assert!(laptop.is_finished());
}

#[test]
fn read_on_one_device_becomes_read_on_the_other() {
    let mut maildrops = mailboxes(&[HALO, RAPAT]);
    let mut laptop = device(SyncState::default(), Vec::new());
    session(&mut laptop, &mut maildrops);
    let mut phone = device(SyncState::default(), Vec::new());
    session(&mut phone, &mut maildrops);
    // budi reads message 1 on the laptop.
    let read = Action::AddFlag {
        uid: 1,
        flag: "\\Seen".into(),
    };
    let mut laptop = device(laptop.state().clone(), vec![read]);
    let events = session(&mut laptop, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    assert!(server_flags(&mut maildrops, 1).contains("\\Seen"));
    // The phone's next sync takes the flag over and fetches nothing again.
    let mut phone = device(phone.state().clone(), Vec::new());
    let events = session(&mut phone, &mut maildrops);
    assert!(fetched(&events).is_empty());
    assert!(events.contains(&ImapClientEvent::FlagsChanged {
        folder: INBOX.into(),
        uid: 1,
        flags: ["\\Seen".to_string()].into()
    }));
    assert!(inbox(&phone).messages[&1].contains("\\Seen"));
}

#[test]
fn deleted_or_moved_on_one_device_is_gone_from_the_others_inbox() {
    let mut maildrops = mailboxes(&[HALO, RAPAT]);
    let mut phone = device(SyncState::default(), Vec::new());
    session(&mut phone, &mut maildrops);
    mail(&mut maildrops).create("budi", "Arsip").unwrap();
    let actions = vec![
        Action::Delete { uid: 1 },
        Action::MoveTo {
            uid: 2,
            folder: "Arsip".into(),
        },
    ];
    let mut laptop = device(phone.state().clone(), actions);
    let events = session(&mut laptop, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    assert!(inbox(&laptop).messages.is_empty());
    assert_eq!(
        mail(&mut maildrops)
            .status("budi", "INBOX")
            .unwrap()
            .messages
            .len(),
        0
    );
    assert_eq!(
        mail(&mut maildrops)
            .status("budi", "Arsip")
            .unwrap()
            .messages
            .len(),
        1
    );
    let mut phone = device(phone.state().clone(), Vec::new());
    let events = session(&mut phone, &mut maildrops);
    let gone = |uid| ImapClientEvent::Gone {
        folder: INBOX.into(),
        uid,
    };
    assert!(events.contains(&gone(1)));
    assert!(events.contains(&gone(2)));
    // Both devices show the moved message in Arsip, where it has a UID of its own.
    for client in [&laptop, &phone] {
        assert_eq!(client.state().folder_names(), ["INBOX", "Arsip"]);
        assert_eq!(client.state().folders["Arsip"].messages.len(), 1);
    }
}

#[test]
fn only_new_mail_is_fetched_and_a_new_uidvalidity_starts_over() {
    let mut maildrops = mailboxes(&[HALO]);
    let mut laptop = device(SyncState::default(), Vec::new());
    session(&mut laptop, &mut maildrops);
    maildrops.deliver("budi@beta.example", RAPAT.to_vec(), DATE.into());
    let mut again = device(laptop.state().clone(), Vec::new());
    let events = session(&mut again, &mut maildrops);
    assert_eq!(fetched(&events), [(2, RAPAT.to_vec())]);
    let mut stale = again.state().clone();
    stale.folders.get_mut(INBOX).unwrap().uid_validity = Some(99);
    let mut other = device(stale, Vec::new());
    let events = session(&mut other, &mut maildrops);
    assert_eq!(
        fetched(&events).len(),
        2,
        "nothing known holds under another UIDVALIDITY"
    );
}

#[test]
fn a_wrong_password_is_reported() {
    let mut maildrops = mailboxes(&[HALO]);
    let mut client = ImapClient::new("budi", "salah", SyncState::default(), Vec::new());
    let events = session(&mut client, &mut maildrops);
    match finished(&events) {
        SyncOutcome::Refused { command, reply } => {
            assert_eq!(command, "LOGIN \"budi\" ****");
            assert!(reply.contains("AUTHENTICATIONFAILED"), "{reply}");
        }
        other => panic!("{other:?}"),
    }
    assert!(events
        .iter()
        .all(|e| !matches!(e, ImapClientEvent::Sent { line } if line.contains("salah"))));
}

#[test]
fn something_that_is_no_imap_ends_the_session() {
    let mut client = device(SyncState::default(), Vec::new());
    client.handle_input(b"+OK POP3 server ready\r\n");
    assert!(client.is_finished());
    let mut client = device(SyncState::default(), Vec::new());
    client.handle_input(b"* OK ready\r\n");
    client.connection_closed();
    assert!(client.is_finished());
}

#[test]
fn a_move_to_a_missing_folder_makes_it_first() {
    let mut maildrops = mailboxes(&[HALO]);
    let actions = vec![Action::MoveTo {
        uid: 1,
        folder: "Arsip".into(),
    }];
    let mut laptop = device(SyncState::default(), Vec::new());
    session(&mut laptop, &mut maildrops);
    let mut laptop = device(laptop.state().clone(), actions);
    let events = session(&mut laptop, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    assert_eq!(
        sent(&events)[4..],
        [
            "UID MOVE 1 Arsip",
            "CREATE Arsip",
            "UID MOVE 1 Arsip",
            "SELECT Arsip",
            "UID FETCH 1:* (FLAGS)",
            "UID FETCH 1 (FLAGS BODY.PEEK[])",
            "LOGOUT"
        ]
    );
    let archive = mail(&mut maildrops).status("budi", "Arsip").unwrap();
    assert_eq!(archive.messages.len(), 1);
    assert_eq!(laptop.state().folder_names(), ["INBOX", "Arsip"]);
}

#[test]
fn every_folder_is_listed_and_synced_inbox_first() {
    let mut maildrops = mailboxes(&[HALO, RAPAT]);
    let mut mail = mail(&mut maildrops);
    mail.create("budi", "Arsip").unwrap();
    mail.create("budi", "Kerja \"penting\"").unwrap();
    let mut laptop = device(SyncState::default(), Vec::new());
    let events = session(&mut laptop, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    assert_eq!(
        sent(&events),
        [
            "LOGIN \"budi\" ****",
            "LIST \"\" \"*\"",
            "SELECT INBOX",
            "UID FETCH 1:* (FLAGS)",
            "UID FETCH 1,2 (FLAGS BODY.PEEK[])",
            "SELECT Arsip",
            "UID FETCH 1:* (FLAGS)",
            "SELECT \"Kerja \\\"penting\\\"\"",
            "UID FETCH 1:* (FLAGS)",
            "LOGOUT"
        ]
    );
    let names = ["INBOX", "Arsip", "Kerja \"penting\""]
        .map(String::from)
        .to_vec();
    assert!(events.contains(&ImapClientEvent::Folders {
        names: names.clone()
    }));
    assert_eq!(laptop.state().folder_names(), names);
    assert!(laptop.state().folders["Arsip"].messages.is_empty());
}

/// A laptop's first sync, which moves message 1 to Arsip (made on the way).
fn moved_to_arsip(maildrops: &mut Maildrops) -> ImapClient {
    let move_it = Action::MoveTo {
        uid: 1,
        folder: "Arsip".into(),
    };
    let mut laptop = device(SyncState::default(), vec![move_it]);
    session(&mut laptop, maildrops);
    laptop
}

#[test]
fn an_action_is_done_in_its_own_folder() {
    let mut maildrops = mailboxes(&[HALO]);
    let laptop = moved_to_arsip(&mut maildrops);
    // In Arsip the message has UID 1 too, but flagging it there leaves INBOX alone.
    maildrops.deliver("budi@beta.example", RAPAT.to_vec(), DATE.into());
    let flag = FolderAction {
        folder: "Arsip".into(),
        action: Action::AddFlag {
            uid: 1,
            flag: "\\Flagged".into(),
        },
    };
    let mut again = ImapClient::new("budi", "budi123", laptop.state().clone(), vec![flag]);
    let events = session(&mut again, &mut maildrops);
    assert_eq!(finished(&events), &SyncOutcome::Synced);
    let archive = mail(&mut maildrops).status("budi", "Arsip").unwrap();
    assert!(archive.messages[0].flags.contains("\\Flagged"));
    assert!(server_flags(&mut maildrops, 2).is_empty());
    let order = sent(&events);
    let select = order.iter().position(|l| *l == "SELECT Arsip").unwrap();
    assert_eq!(order[select + 2], "UID STORE 1 +FLAGS.SILENT (\\Flagged)");
}

#[test]
fn a_folder_deleted_elsewhere_is_forgotten_with_its_messages() {
    let mut maildrops = mailboxes(&[HALO]);
    let laptop = moved_to_arsip(&mut maildrops);
    mail(&mut maildrops).delete("budi", "Arsip").unwrap();
    let mut again = device(laptop.state().clone(), Vec::new());
    let events = session(&mut again, &mut maildrops);
    assert!(events.contains(&ImapClientEvent::Gone {
        folder: "Arsip".into(),
        uid: 1
    }));
    assert_eq!(again.state().folder_names(), ["INBOX"]);
}

#[test]
fn list_responses_are_read_with_quoting_and_unselectable_folders_skipped() {
    assert_eq!(
        list_response("LIST (\\HasNoChildren) \"/\" \"Arsip\"").as_deref(),
        Some("Arsip")
    );
    assert_eq!(
        list_response("LIST () \"/\" INBOX").as_deref(),
        Some("INBOX")
    );
    assert_eq!(
        list_response("LIST () NIL \"a \\\"b\\\"\"").as_deref(),
        Some("a \"b\"")
    );
    assert_eq!(
        list_response("LIST () \"\\\\\" Arsip").as_deref(),
        Some("Arsip")
    );
    assert_eq!(list_response("LIST (\\Noselect) \"/\" \"\""), None);
    assert_eq!(list_response("LIST () \"/\" {5}"), None);
    assert_eq!(list_response("LIST (\\HasNoChildren \"/\" x"), None);
}
