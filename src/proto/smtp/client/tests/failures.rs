//! Sessions with the real server that do not deliver to everyone: refused recipients (RFC 5321
//! §4.1.1.3, §3.6 relaying), bad credentials (RFC 4954 §6), SIZE (RFC 1870 §6), a server that
//! shuts down (§3.8), a lost connection and a silent server (§4.5.3.2).

use super::*;

fn rejection(outcome: &Outcome, address: &str) -> (Severity, (u16, Option<String>)) {
    match outcome.recipient_status(address) {
        Some(RecipientStatus::Failed {
            severity,
            reply: Some(reply),
        }) => (severity, code_and_status(reply)),
        other => panic!("{address}: {other:?}"),
    }
}

#[test]
fn test_rcpt_unknown_recipient_is_permanent_and_the_other_gets_the_message() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["eko@beta.example", "budi@beta.example"],
            LETTER,
        ),
    );
    assert!(pair.client_events.iter().any(|event| matches!(
        event,
        ClientEvent::RecipientRejected { address, reply, severity: Severity::Permanent }
            if address == "eko@beta.example" && reply.code.get() == 550
    )));
    assert!(pair
        .client_events
        .contains(&ClientEvent::RecipientAccepted {
            address: "budi@beta.example".into()
        }));
    let Outcome::Delivered {
        accepted, rejected, ..
    } = pair.outcome()
    else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(accepted, &["budi@beta.example"]);
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejection(pair.outcome(), "eko@beta.example"),
        (Severity::Permanent, (550, Some("5.1.1".into())))
    );
    assert_eq!(
        pair.accepted_messages()[0].recipients,
        ["budi@beta.example"]
    );
}

#[test]
fn test_rcpt_all_unknown_sends_no_content_and_fails_permanently() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["eko@beta.example", "fajar@beta.example"],
            LETTER,
        ),
    );
    assert!(!pair.sent_message());
    assert!(pair.accepted_messages().is_empty());
    let Outcome::NoRecipientAccepted { rejected } = pair.outcome() else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(rejected.len(), 2);
    for address in ["eko@beta.example", "fajar@beta.example"] {
        assert_eq!(rejection(pair.outcome(), address).0, Severity::Permanent);
    }
    // The pipelined DATA was answered 503 and the session ended politely.
    assert_eq!(pair.verbs_sent().last(), Some(&Verb::Quit));
    assert!(pair.client_events.iter().any(|event| matches!(
        event,
        ClientEvent::Received { reply, answered: Some(Verb::Data) } if reply.code.get() == 503
    )));
}

#[test]
fn test_rcpt_all_unknown_without_pipelining_never_sends_data() {
    let mut policy = mx1_beta_relay();
    policy.extensions.pipelining = false;
    let pair = Pair::run(
        policy,
        relaying_mta(),
        job("ani@alpha.example", &["eko@beta.example"], LETTER),
    );
    assert_eq!(
        pair.verbs_sent(),
        [Verb::Ehlo, Verb::Mail, Verb::Rcpt, Verb::Quit]
    );
    assert!(matches!(
        pair.outcome(),
        Outcome::NoRecipientAccepted { .. }
    ));
}

#[test]
fn test_rcpt_full_mailbox_is_452_temporary() {
    let mut policy = mx1_beta_relay();
    policy.full_mailboxes = vec!["dewi@beta.example".into()];
    let pair = Pair::run(
        policy,
        relaying_mta(),
        job("ani@alpha.example", &["dewi@beta.example"], LETTER),
    );
    assert_eq!(
        rejection(pair.outcome(), "dewi@beta.example"),
        (Severity::Temporary, (452, Some("4.2.2".into())))
    );
    assert!(pair.accepted_messages().is_empty());
}

#[test]
fn test_rcpt_foreign_domain_on_the_relay_port_is_554_5_7_1_permanent() {
    let pair = Pair::run(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["citra@alpha.example"], LETTER),
    );
    assert_eq!(
        rejection(pair.outcome(), "citra@alpha.example"),
        (Severity::Permanent, (554, Some("5.7.1".into())))
    );
}

#[test]
fn test_auth_bad_password_is_535_permanent_and_no_mail_is_sent() {
    let pair = Pair::run(
        mail_alpha_submission(),
        mail_client_of_ani("wrong"),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    let Outcome::Failed { failure, .. } = pair.outcome() else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(failure.stage, Stage::Authentication);
    assert_eq!(failure.severity(), Severity::Permanent);
    assert_eq!(
        failure.reply().map(code_and_status),
        Some((535, Some("5.7.8".into())))
    );
    assert_eq!(pair.verbs_sent(), [Verb::Ehlo, Verb::Auth, Verb::Quit]);
    assert_eq!(
        rejection(pair.outcome(), "budi@beta.example").0,
        Severity::Permanent
    );
}

#[test]
fn test_mail_rejected_in_a_pipeline_reports_the_mail_reply_not_the_rcpt_503s() {
    // Submission without credentials: MAIL gets 530, the rest of the group 503.
    let pair = Pair::run(
        mail_alpha_submission(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    let Outcome::Failed { failure, rejected } = pair.outcome() else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(failure.stage, Stage::MailFrom);
    assert_eq!(failure.reply().map(|reply| reply.code.get()), Some(530));
    assert!(rejected.is_empty());
    assert!(!pair.client_events.iter().any(|event| matches!(
        event,
        ClientEvent::RecipientRejected { .. } | ClientEvent::RecipientAccepted { .. }
    )));
    assert!(!pair.sent_message());
}

#[test]
fn test_mail_size_over_the_limit_is_refused_locally() {
    let mut policy = mx1_beta_relay();
    policy.max_message_size = 50;
    let pair = Pair::run(
        policy,
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    assert_eq!(pair.client.offered_extensions().size, Some(50));
    assert_eq!(pair.verbs_sent(), [Verb::Ehlo, Verb::Quit]);
    let Outcome::Failed { failure, .. } = pair.outcome() else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(
        failure,
        &TransactionFailure {
            stage: Stage::MailFrom,
            reason: FailureReason::MessageTooBig {
                size: LETTER.len() as u64,
                limit: 50
            },
        }
    );
    assert_eq!(failure.severity(), Severity::Permanent);
}

#[test]
fn test_mail_with_8bit_content_is_refused_locally_without_8bitmime() {
    let mut policy = mx1_beta_relay();
    policy.extensions.eight_bit_mime = false;
    let pair = Pair::run(
        policy,
        relaying_mta(),
        job(
            "ani@alpha.example",
            &["budi@beta.example"],
            "Subject: caf\u{e9}\r\n\r\nx\r\n",
        ),
    );
    assert_eq!(pair.verbs_sent(), [Verb::Ehlo, Verb::Quit]);
    assert!(matches!(
        pair.outcome(),
        Outcome::Failed { failure, .. } if failure.reason == FailureReason::EightBitNotOffered
    ));
}

#[test]
fn test_shutdown_mid_transaction_is_421_temporary_without_quit() {
    let config = ClientConfig {
        use_pipelining: false,
        ..relaying_mta()
    };
    let mut pair = Pair::new(
        mx1_beta_relay(),
        config,
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    while pair.server.envelope().reverse_path.is_none() {
        assert!(pair.step(), "MAIL was never accepted");
    }
    pair.server.shutdown();
    pair.drive();
    assert!(pair.client.is_closed());
    let Outcome::Failed { failure, .. } = pair.outcome() else {
        panic!("{:?}", pair.outcome());
    };
    assert_eq!(
        failure.reply().map(code_and_status),
        Some((421, Some("4.3.2".into())))
    );
    assert_eq!(failure.severity(), Severity::Temporary);
    assert!(!pair.verbs_sent().contains(&Verb::Quit));
    assert!(pair.accepted_messages().is_empty());
    assert_eq!(
        pair.outcome().recipient_status("budi@beta.example"),
        Some(RecipientStatus::Failed {
            severity: Severity::Temporary,
            reply: failure.reply(),
        })
    );
}

#[test]
fn test_connection_lost_before_the_end_of_data_reply_is_temporary() {
    let mut pair = Pair::new(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    while pair.client.state() != ClientState::MessageSent {
        assert!(pair.step(), "the content was never sent");
    }
    pair.client.connection_closed();
    let Some(Outcome::Failed { failure, .. }) = pair.client.outcome() else {
        panic!("{:?}", pair.client.outcome());
    };
    assert_eq!(
        (failure.stage, &failure.reason, failure.severity()),
        (
            Stage::EndOfData,
            &FailureReason::ConnectionLost,
            Severity::Temporary
        )
    );
    assert!(pair.client.is_closed());
    assert_eq!(pair.client.poll_output(), None);
}

#[test]
fn test_awaiting_greeting_times_out_after_five_minutes_as_temporary() {
    let mut client = SmtpClient::new(
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    )
    .expect("valid job");
    assert_eq!(client.reply_timeout(), Some(Duration::from_secs(300)));
    client.handle_timeout();
    assert!(client.is_closed());
    assert_eq!(client.reply_timeout(), None);
    assert!(matches!(
        client.outcome(),
        Some(Outcome::Failed { failure, .. })
            if failure.reason == FailureReason::TimedOut && failure.severity() == Severity::Temporary
    ));
}

#[test]
fn test_message_sent_waits_ten_minutes_for_the_end_of_data_reply() {
    let mut pair = Pair::new(
        mx1_beta_relay(),
        relaying_mta(),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    while pair.client.state() != ClientState::MessageSent {
        assert!(pair.step());
    }
    assert_eq!(pair.client.reply_timeout(), Some(Duration::from_secs(600)));
}
