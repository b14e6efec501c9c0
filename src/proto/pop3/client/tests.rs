use super::*;
use crate::proto::login::Login;
use crate::proto::pop3::server::{MaildropMessage, Pop3Event, Pop3Server};

fn message(uid: &str, text: &str) -> MaildropMessage {
    MaildropMessage {
        uid: uid.into(),
        content: text.as_bytes().to_vec(),
    }
}

fn two_messages() -> Vec<MaildropMessage> {
    vec![
        message("u1", "Subject: Satu\r\n\r\nHalo Budi\r\n"),
        message(
            "u2",
            "Subject: Dua\r\n\r\n.titik di depan\r\n..dua titik\r\n",
        ),
    ]
}

/// What one client session did against a server with `maildrop`: the client's events and
/// the indexes the server deleted at QUIT.
struct Run {
    events: Vec<Pop3ClientEvent>,
    deleted: Vec<usize>,
    seen: BTreeSet<String>,
}

/// Runs `client` against a server that grants `maildrop` (or refuses it when `None`),
/// passing bytes both ways until neither has more to say.
fn run(mut client: Pop3Client, maildrop: Option<Vec<MaildropMessage>>) -> Run {
    let accounts = vec![Login {
        user: "budi".into(),
        password: "budi123".into(),
    }];
    let mut server = Pop3Server::new("mx1.beta.example", accounts, 1);
    let mut deleted = Vec::new();
    for _ in 0..1000 {
        let mut moved = false;
        while let Some(bytes) = server.poll_output() {
            client.handle_input(&bytes);
            moved = true;
        }
        while let Some(bytes) = client.poll_output() {
            server.handle_input(&bytes);
            moved = true;
        }
        while let Some(event) = server.poll_event() {
            match event {
                Pop3Event::MaildropWanted { .. } => match &maildrop {
                    Some(messages) => server.grant_maildrop(messages.clone()),
                    None => server.refuse_maildrop(),
                },
                Pop3Event::Committed { deleted: gone, .. } => deleted = gone,
                _ => {}
            }
            moved = true;
        }
        if !moved {
            break;
        }
    }
    Run {
        events: std::iter::from_fn(|| client.poll_event()).collect(),
        deleted,
        seen: client.seen().clone(),
    }
}

fn outcome(run: &Run) -> &FetchOutcome {
    match run.events.last() {
        Some(Pop3ClientEvent::Finished(outcome)) => outcome,
        other => panic!("not finished: {other:?}"),
    }
}

fn downloaded(run: &Run) -> Vec<(String, Vec<u8>)> {
    run.events
        .iter()
        .filter_map(|event| match event {
            Pop3ClientEvent::Downloaded { uid, content } => Some((uid.clone(), content.clone())),
            _ => None,
        })
        .collect()
}

fn sent(run: &Run) -> Vec<String> {
    run.events
        .iter()
        .filter_map(|event| match event {
            Pop3ClientEvent::Sent { line } => Some(line.clone()),
            _ => None,
        })
        .collect()
}

fn budi(mode: FetchMode, seen: &[&str]) -> Pop3Client {
    let seen = seen.iter().map(|uid| uid.to_string()).collect();
    Pop3Client::new("budi", "budi123", mode, seen)
}

#[test]
fn download_and_delete_takes_everything_and_the_server_deletes_it_at_quit() {
    let run = run(
        budi(FetchMode::DownloadAndDelete, &[]),
        Some(two_messages()),
    );
    assert_eq!(
        sent(&run),
        [
            "USER budi",
            "PASS ****",
            "UIDL",
            "RETR 1",
            "DELE 1",
            "RETR 2",
            "DELE 2",
            "QUIT"
        ]
    );
    let got = downloaded(&run);
    assert_eq!(got.len(), 2);
    // Byte for byte as stored: the dots the server added are taken off again.
    for ((uid, content), stored) in got.iter().zip(two_messages()) {
        assert_eq!(uid, &stored.uid);
        assert_eq!(content, &stored.content);
    }
    assert_eq!(
        outcome(&run),
        &FetchOutcome::Fetched {
            downloaded: 2,
            deleted: 2,
            left: 0
        }
    );
    assert_eq!(run.deleted, [0, 1]);
}

#[test]
fn leave_on_server_downloads_only_what_is_new_and_deletes_nothing() {
    let first = run(budi(FetchMode::LeaveOnServer, &[]), Some(two_messages()));
    assert_eq!(downloaded(&first).len(), 2);
    assert!(first.deleted.is_empty());
    assert_eq!(
        outcome(&first),
        &FetchOutcome::Fetched {
            downloaded: 2,
            deleted: 0,
            left: 2
        }
    );
    let mut maildrop = two_messages();
    maildrop.push(message("u3", "Subject: Tiga\r\n\r\nBaru\r\n"));
    let client = Pop3Client::new(
        "budi",
        "budi123",
        FetchMode::LeaveOnServer,
        first.seen.clone(),
    );
    let second = run(client, Some(maildrop));
    let got = downloaded(&second);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "u3");
    assert_eq!(
        sent(&second),
        ["USER budi", "PASS ****", "UIDL", "RETR 3", "QUIT"]
    );
    assert_eq!(second.seen.len(), 3);
}

#[test]
fn a_wrong_password_is_reported_and_the_session_quits() {
    let client = Pop3Client::new(
        "budi",
        "salah",
        FetchMode::DownloadAndDelete,
        BTreeSet::new(),
    );
    let run = run(client, Some(two_messages()));
    match outcome(&run) {
        FetchOutcome::Refused { command, reply } => {
            assert_eq!(command, "PASS ****");
            assert!(reply.starts_with("-ERR [AUTH]"), "{reply}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sent(&run).last().map(String::as_str), Some("QUIT"));
    assert!(downloaded(&run).is_empty());
}

#[test]
fn a_locked_maildrop_is_reported_as_in_use() {
    let run = run(budi(FetchMode::DownloadAndDelete, &[]), None);
    match outcome(&run) {
        FetchOutcome::Refused { reply, .. } => assert!(reply.starts_with("-ERR [IN-USE]")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_empty_maildrop_downloads_nothing() {
    let run = run(budi(FetchMode::DownloadAndDelete, &[]), Some(Vec::new()));
    assert_eq!(sent(&run), ["USER budi", "PASS ****", "UIDL", "QUIT"]);
    assert_eq!(
        outcome(&run),
        &FetchOutcome::Fetched {
            downloaded: 0,
            deleted: 0,
            left: 0
        }
    );
}

#[test]
fn something_that_is_no_pop3_reply_ends_the_session() {
    let mut client = budi(FetchMode::DownloadAndDelete, &[]);
    client.handle_input(b"220 mx1.beta.example ESMTP\r\n");
    assert!(client.is_finished());
    let events: Vec<_> = std::iter::from_fn(|| client.poll_event()).collect();
    assert_eq!(
        events.last(),
        Some(&Pop3ClientEvent::Finished(FetchOutcome::ProtocolError {
            line: "220 mx1.beta.example ESMTP".into()
        }))
    );
}

#[test]
fn a_connection_that_closes_early_ends_the_session() {
    let mut client = budi(FetchMode::DownloadAndDelete, &[]);
    client.handle_input(b"+OK ready\r\n");
    client.connection_closed();
    assert!(client.is_finished());
}

#[test]
fn server_bytes_split_anywhere_give_the_same_session() {
    let script = "+OK hi\r\n+OK\r\n+OK in\r\n+OK ids\r\n1 u1\r\n.\r\n+OK 5\r\nab\r\n..c\r\n.\r\n+OK\r\n+OK bye\r\n";
    let mut whole = budi(FetchMode::DownloadAndDelete, &[]);
    whole.handle_input(script.as_bytes());
    let mut split = budi(FetchMode::DownloadAndDelete, &[]);
    for byte in script.bytes() {
        split.handle_input(&[byte]);
    }
    let events = |c: &mut Pop3Client| std::iter::from_fn(|| c.poll_event()).collect::<Vec<_>>();
    let (a, b) = (events(&mut whole), events(&mut split));
    assert_eq!(a, b);
    assert!(a.contains(&Pop3ClientEvent::Downloaded {
        uid: "u1".into(),
        content: b"ab\r\n.c\r\n".to_vec()
    }));
}
