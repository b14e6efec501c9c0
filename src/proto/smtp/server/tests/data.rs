//! RcptTo and Data: the message, its end, its limits and SMTP smuggling (RFC 5321 §4.1.1.4,
//! §4.5.2, §4.5.3.1.6, §2.3.8; CVE-2023-51764).

use super::*;

// ---- RcptTo and Data ----

#[test]
fn test_rcpt_to_data_is_354_without_enhanced_code() {
    let mut client = Client::relay_ready_for_data();
    client.server.handle_input(b"DATA\r\n");
    assert_eq!(client.output(), "354 End data with <CR><LF>.<CR><LF>\r\n");
    assert_eq!(client.server.state(), SessionState::Data);
}

#[test]
fn test_data_end_accepts_the_message_with_a_received_header() {
    let mut client = Client::relay_ready_for_data();
    client.say("DATA\r\n");
    let reply = client.one("Subject: hi\r\n\r\nHalo Budi\r\n.\r\n");
    assert_reply(&reply, 250, "2.0.0");
    assert_eq!(reply.lines, ["Ok: queued as 000000070001"]);
    let messages = accepted(&mut client);
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message.queue_id, "000000070001");
    assert_eq!(message.reverse_path, "ani@alpha.example");
    assert_eq!(message.recipients, ["budi@beta.example"]);
    assert_eq!(message.authenticated_as, None);
    let content = String::from_utf8(message.content.clone()).expect("text");
    assert_eq!(
        content,
        "Received: from mx.alpha.example (laptop-ani.alpha.example [192.0.2.10])\r\n\tby mx1.beta.example (Kurir) with ESMTP id 000000070001\r\n\tfor <budi@beta.example>; Tue, 14 Nov 2023 22:13:20 +0000\r\nSubject: hi\r\n\r\nHalo Budi\r\n"
    );
    assert_eq!(client.server.state(), SessionState::Ready);
    assert_eq!(client.server.envelope(), &Envelope::default());
}

#[test]
fn test_data_reply_comes_before_message_accepted() {
    let mut client = Client::relay_ready_for_data();
    client.say("DATA\r\n");
    client.server.handle_input(b"x\r\n.\r\n");
    let events = client.events();
    assert!(
        matches!(
            events.as_slice(),
            [
                ServerEvent::Replied {
                    to: Some(Verb::Data),
                    ..
                },
                ServerEvent::MessageAccepted(_)
            ]
        ),
        "{events:?}"
    );
}

#[test]
fn test_data_queue_ids_count_messages_per_session() {
    let mut client = Client::relay_ready_for_data();
    client.say(
        "DATA\r\none\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\ntwo\r\n.\r\n",
    );
    let ids: Vec<String> = accepted(&mut client)
        .into_iter()
        .map(|m| m.queue_id)
        .collect();
    assert_eq!(ids, ["000000070001", "000000070002"]);
}

#[test]
fn test_data_dot_unstuffing_emits_events() {
    let mut client = Client::relay_ready_for_data();
    client.say("DATA\r\n");
    client.say("..hidden\r\nplain\r\n.x\r\n.\r\n");
    let events = client.events();
    let unstuffed: Vec<usize> = events
        .iter()
        .filter_map(|e| {
            if let ServerEvent::DotUnstuffed { line } = e {
                Some(*line)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(unstuffed, [1, 3]);
    let message = events
        .into_iter()
        .find_map(|e| {
            if let ServerEvent::MessageAccepted(m) = e {
                Some(m)
            } else {
                None
            }
        })
        .expect("accepted");
    assert!(message.content.ends_with(b"\r\n.hidden\r\nplain\r\nx\r\n"));
}

#[test]
fn test_data_too_big_is_552_after_the_end() {
    let mut client = Client::relay_ready_for_data();
    client.say("DATA\r\n");
    let line = format!("{}\r\n", "x".repeat(98));
    assert!(client.say(&line.repeat(101)).is_empty(), "keeps reading");
    assert_eq!(client.server.envelope().data_size, 10_100);
    assert_reply(&client.one(".\r\n"), 552, "5.3.4");
    assert!(accepted(&mut client).is_empty());
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_data_line_over_1000_octets_is_refused_at_the_end() {
    let mut client = Client::relay_ready_for_data();
    client.say("DATA\r\n");
    let ok_line = format!("{}\r\n", "a".repeat(998));
    let long_line = format!("{}\r\n", "a".repeat(999));
    let reply = client.one(&format!("{ok_line}{long_line}.\r\n"));
    assert_reply(&reply, 550, "5.6.0");
    assert!(reply.lines[0].contains("Line 2"), "{reply}");
}

#[test]
fn test_data_after_helo_is_traced_as_smtp() {
    let mut client = Client::relay();
    client.say(
        "HELO old.example\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nx\r\n.\r\n",
    );
    let content = accepted(&mut client).remove(0).content;
    assert!(String::from_utf8_lossy(&content).contains(" with SMTP id "));
}

#[test]
fn test_data_after_auth_is_traced_as_esmtpa() {
    let mut client = Client::submission_authenticated();
    client
        .say("MAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nx\r\n.\r\n");
    let message = accepted(&mut client).remove(0);
    assert!(String::from_utf8_lossy(&message.content).contains(" with ESMTPA id "));
    assert_eq!(message.authenticated_as.as_deref(), Some("ani"));
}

// ---- SMTP smuggling (CVE-2023-51764) ----

const SMUGGLING_ENDINGS: [&str; 7] = [
    "\n.\n", "\n.\r\n", "\r.\r", "\r\n.\n", "\r\n.\r", "\r.\r\n", "\n.\r",
];

/// One DATA that tries to smuggle a second message behind a fake end of data.
fn smuggling_session(ending: &str) -> String {
    format!(
        "EHLO x\r\nMAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nSubject: one\r\n\r\nfirst{ending}MAIL FROM:<admin@beta.example>\r\nRCPT TO:<dewi@beta.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nsecond\r\n.\r\nQUIT\r\n"
    )
}

fn run_split(input: &[u8], split: &[usize]) -> (Vec<Reply>, Vec<AcceptedMessage>) {
    let mut client = Client::relay();
    let mut replies = Vec::new();
    let mut from = 0;
    for &to in split.iter().chain(std::iter::once(&input.len())) {
        client.server.handle_input(&input[from..to]);
        from = to;
    }
    for event in client.events() {
        match event {
            ServerEvent::Replied { reply, .. } => replies.push(reply),
            ServerEvent::MessageAccepted(message) => return (replies, vec![message]),
            _ => {}
        }
    }
    (replies, Vec::new())
}

#[test]
fn test_data_smuggled_endings_never_split_a_message() {
    for ending in SMUGGLING_ENDINGS {
        let (replies, messages) = run_split(smuggling_session(ending).as_bytes(), &[]);
        assert!(messages.is_empty(), "{ending:?}: nothing is accepted");
        assert_eq!(
            codes(&replies),
            [250, 250, 250, 354, 550, 221],
            "{ending:?}"
        );
        assert_eq!(status(&replies[4]).as_deref(), Some("5.6.0"));
    }
}

#[test]
fn test_data_smuggling_split_at_every_byte_gives_the_same_replies() {
    for ending in SMUGGLING_ENDINGS {
        let input = smuggling_session(ending);
        let whole = run_split(input.as_bytes(), &[]);
        for at in 0..=input.len() {
            assert_eq!(
                run_split(input.as_bytes(), &[at]),
                whole,
                "{ending:?} split at {at}"
            );
        }
    }
}

#[test]
fn test_data_session_fed_one_byte_at_a_time() {
    let input = "EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\n..a\r\nb\r\n.\r\nQUIT\r\n";
    let whole = run_split(input.as_bytes(), &[]);
    assert_eq!(whole.1.len(), 1);
    let every_byte: Vec<usize> = (1..input.len()).collect();
    assert_eq!(run_split(input.as_bytes(), &every_byte), whole);
}
