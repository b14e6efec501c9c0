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
    ImapClient::new("budi", "budi123", state, actions)
}

fn fetched(events: &[ImapClientEvent]) -> Vec<(u32, Vec<u8>)> {
    events
        .iter()
        .filter_map(|event| match event {
            ImapClientEvent::Fetched { uid, content, .. } => Some((*uid, content.clone())),
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
    assert_eq!(laptop.state().uid_validity, Some(1));
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
        uid: 1,
        flags: ["\\Seen".to_string()].into()
    }));
    assert!(phone.state().messages[&1].contains("\\Seen"));
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
    assert!(laptop.state().messages.is_empty());
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
    assert!(events.contains(&ImapClientEvent::Gone { uid: 1 }));
    assert!(events.contains(&ImapClientEvent::Gone { uid: 2 }));
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
    let stale = SyncState {
        uid_validity: Some(99),
        messages: again.state().messages.clone(),
    };
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
    let sent: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            ImapClientEvent::Sent { line } => Some(line.split_once(' ').unwrap().1),
            _ => None,
        })
        .collect();
    assert_eq!(
        sent[3..],
        [
            "UID MOVE 1 \"Arsip\"",
            "CREATE \"Arsip\"",
            "UID MOVE 1 \"Arsip\"",
            "LOGOUT"
        ]
    );
    let archive = mail(&mut maildrops).status("budi", "Arsip").unwrap();
    assert_eq!(archive.messages.len(), 1);
}
