//! Whole sessions that deliver: relay to beta's MX, submission with AUTH PLAIN, dot-stuffing,
//! pipelining on and off, the null reverse-path (RFC 5321 §3.3, §4.5.2, §4.5.5; RFC 2920;
//! RFC 4954).

use super::*;

#[test]
fn test_session_delivers_to_budi_byte_exact() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    let messages = pair.accepted_messages();
    assert_eq!(messages.len(), 1);
    let message = messages[0];
    assert_eq!(message.reverse_path, "ani@alpha.example");
    assert_eq!(message.recipients, ["budi@beta.example"]);
    assert_eq!(content_after_received_line(message), LETTER.as_bytes());
    assert_eq!(
        pair.outcome(),
        &Outcome::Delivered {
            accepted: vec!["budi@beta.example".into()],
            rejected: Vec::new(),
            queue_id: Some(message.queue_id.clone()),
        }
    );
    assert_eq!(
        pair.verbs_sent(),
        [Verb::Ehlo, Verb::Mail, Verb::Rcpt, Verb::Data, Verb::Quit]
    );
    assert_eq!(pair.finished_events(), 1);
    assert_eq!(pair.client_events.last(), Some(&ClientEvent::Closed));
}

#[test]
fn test_received_events_name_the_command_they_answer() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    let answered: Vec<(Option<Verb>, u16)> = pair
        .client_events
        .iter()
        .filter_map(|event| match event {
            ClientEvent::Received { reply, answered } => Some((*answered, reply.code.get())),
            _ => None,
        })
        .collect();
    assert_eq!(
        answered,
        [
            (None, 220),
            (Some(Verb::Ehlo), 250),
            (Some(Verb::Mail), 250),
            (Some(Verb::Rcpt), 250),
            (Some(Verb::Data), 354),
            (Some(Verb::Data), 250),
            (Some(Verb::Quit), 221),
        ]
    );
}

#[test]
fn test_sent_message_dot_stuffs_and_the_server_unstuffs_byte_exact() {
    let content = "Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nnot.a.dot\r\n";
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], content),
    );
    let message = pair.accepted_messages()[0];
    assert_eq!(content_after_received_line(message), content.as_bytes());
    let data_write = pair
        .client_writes
        .iter()
        .find(|write| write.ends_with(b"\r\n.\r\n"))
        .expect("the content went out");
    assert_eq!(
        data_write.as_slice(),
        b"Subject: dots\r\n\r\n..\r\n...\r\n..x\r\nnot.a.dot\r\n.\r\n"
    );
    assert!(pair.client_events.contains(&ClientEvent::SentMessage {
        size: content.len() as u64,
        dot_stuffed_lines: vec![3, 4, 5],
    }));
}

#[test]
fn test_sent_message_without_final_crlf_gets_one() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["budi@beta.example"],
            "Subject: x\r\n\r\nno newline",
        ),
    );
    let message = pair.accepted_messages()[0];
    assert_eq!(
        content_after_received_line(message),
        b"Subject: x\r\n\r\nno newline\r\n"
    );
}

#[test]
fn test_envelope_is_one_write_when_pipelining_is_offered() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["budi@beta.example", "dewi@beta.example"],
            LETTER,
        ),
    );
    assert!(pair.client.offered_extensions().pipelining);
    let group = format!(
        "MAIL FROM:<ani@alpha.example> SIZE={}\r\nRCPT TO:<budi@beta.example>\r\nRCPT TO:<dewi@beta.example>\r\nDATA\r\n",
        LETTER.len()
    );
    assert!(pair.client_writes.contains(&group.into_bytes()));
    assert_eq!(
        pair.accepted_messages()[0].recipients,
        ["budi@beta.example", "dewi@beta.example"]
    );
}

/// Every client write of the session, as text, one command per write.
fn assert_one_command_per_write(pair: &Pair) {
    for write in &pair.client_writes {
        let text = String::from_utf8_lossy(write);
        if !text.ends_with("\r\n.\r\n") {
            assert_eq!(text.matches("\r\n").count(), 1, "{text:?}");
        }
    }
}

#[test]
fn test_envelope_is_one_command_per_write_when_the_server_has_no_pipelining() {
    let mut policy = mx1_beta_relay();
    policy.extensions.pipelining = false;
    let pair = Pair::run(
        policy,
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["budi@beta.example", "dewi@beta.example"],
            LETTER,
        ),
    );
    assert!(!pair.client.offered_extensions().pipelining);
    assert_one_command_per_write(&pair);
    assert_eq!(
        pair.verbs_sent(),
        [
            Verb::Ehlo,
            Verb::Mail,
            Verb::Rcpt,
            Verb::Rcpt,
            Verb::Data,
            Verb::Quit
        ]
    );
    assert!(matches!(pair.outcome(), Outcome::Delivered { accepted, .. } if accepted.len() == 2));
}

#[test]
fn test_envelope_is_one_command_per_write_when_the_client_turns_pipelining_off() {
    let config = ClientConfig {
        use_pipelining: false,
        ..relaying_mta()
    };
    let pair = Pair::run(
        mx1_beta_relay(),
        config,
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    assert!(pair.client.offered_extensions().pipelining);
    assert_one_command_per_write(&pair);
    assert!(matches!(pair.outcome(), Outcome::Delivered { .. }));
}

#[test]
fn test_mail_from_null_reverse_path_delivers_a_bounce() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("", &["budi@beta.example"], LETTER),
    );
    assert!(pair.client_events.iter().any(|event| matches!(
        event,
        ClientEvent::Sent { verb: Verb::Mail, line } if line.starts_with("MAIL FROM:<> ")
    )));
    assert_eq!(pair.accepted_messages()[0].reverse_path, "");
    assert!(matches!(pair.outcome(), Outcome::Delivered { .. }));
}

#[test]
fn test_submission_authenticates_with_auth_plain_and_delivers() {
    let pair = Pair::run(
        mail_alpha_submission(),
        mail_client_of_ani("ani123"),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    assert!(pair.client_events.contains(&ClientEvent::Sent {
        verb: Verb::Auth,
        line: "AUTH PLAIN AGFuaQBhbmkxMjM=".into(),
    }));
    assert!(pair
        .server_events
        .contains(&ServerEvent::Authenticated { user: "ani".into() }));
    let message = pair.accepted_messages()[0];
    assert_eq!(message.authenticated_as.as_deref(), Some("ani"));
    assert_eq!(content_after_received_line(message), LETTER.as_bytes());
    assert_eq!(
        pair.outcome().recipient_status("budi@beta.example"),
        Some(RecipientStatus::Delivered)
    );
}

#[test]
fn test_submission_sends_auth_alone_before_the_envelope() {
    let pair = Pair::run(
        mail_alpha_submission(),
        mail_client_of_ani("ani123"),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    // RFC 4954 §4: AUTH is the last command of a pipelined group.
    assert!(pair
        .client_writes
        .contains(&b"AUTH PLAIN AGFuaQBhbmkxMjM=\r\n".to_vec()));
}

#[test]
fn test_credentials_are_not_used_where_auth_is_not_offered() {
    let pair = Pair::run(
        mx1_beta_relay(),
        mail_client_of_ani("ani123"),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    assert!(!pair.verbs_sent().contains(&Verb::Auth));
    assert!(matches!(pair.outcome(), Outcome::Delivered { .. }));
}

#[test]
fn test_mail_from_declares_body_8bitmime_for_8bit_content() {
    let content = "Subject: kabar\r\n\r\nSampai jumpa, caf\u{e9}!\r\n";
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], content),
    );
    assert!(pair.client_events.iter().any(|event| matches!(
        event,
        ClientEvent::Sent { verb: Verb::Mail, line } if line.ends_with(" BODY=8BITMIME")
    )));
    assert_eq!(
        content_after_received_line(pair.accepted_messages()[0]),
        content.as_bytes()
    );
}
