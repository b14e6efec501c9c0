//! Sessions that carry several jobs, a transaction each (RFC 5321 §3.3): the next MAIL right
//! after the last job's outcome, RSET first when the server may still hold part of a failed
//! transaction (§4.1.1.5), a refused job failing alone, and what ends the session failing
//! every job left.

use super::*;

fn letter_to(to: &str) -> MailJob {
    job("ani@alpha.example", &[to], LETTER)
}

/// Every job's outcome, in the order they came.
fn outcomes(events: &[ClientEvent]) -> Vec<&Outcome> {
    events
        .iter()
        .filter_map(|event| match event {
            ClientEvent::Finished(outcome) => Some(outcome),
            _ => None,
        })
        .collect()
}

/// A pair whose client has letters to budi, dewi and budi again for mx1.
fn three_letters_to_beta() -> Pair {
    let jobs = ["budi", "dewi", "budi"]
        .map(|user| letter_to(&format!("{user}@beta.example")))
        .to_vec();
    Pair::with_jobs(mx1_beta_relay(), relaying_mta(), jobs)
}

fn failure_of(outcome: &Outcome) -> &TransactionFailure {
    match outcome {
        Outcome::Failed { failure, .. } => failure,
        other => panic!("not a failure: {other:?}"),
    }
}

#[test]
fn test_three_jobs_go_over_one_session_one_transaction_each() {
    let mut pair = three_letters_to_beta();
    pair.drive();
    assert!(pair.client.is_closed());
    use Verb::{Data, Ehlo, Mail, Quit, Rcpt};
    assert_eq!(
        pair.verbs_sent(),
        [Ehlo, Mail, Rcpt, Data, Mail, Rcpt, Data, Mail, Rcpt, Data, Quit],
        "one EHLO and one QUIT, no RSET after a message was taken"
    );
    let accepted = pair.accepted_messages();
    let recipients: Vec<&str> = accepted.iter().map(|m| m.recipients[0].as_str()).collect();
    assert_eq!(
        recipients,
        [
            "budi@beta.example",
            "dewi@beta.example",
            "budi@beta.example"
        ]
    );
    let outcomes = outcomes(&pair.client_events);
    assert_eq!(outcomes.len(), 3);
    for (outcome, message) in outcomes.iter().zip(&accepted) {
        assert!(matches!(
            outcome,
            Outcome::Delivered { queue_id: Some(id), .. } if *id == message.queue_id
        ));
    }
    assert_ne!(accepted[0].queue_id, accepted[1].queue_id);
    assert_eq!(pair.client.outcome(), Some(outcomes[2]), "the last one");
}

#[test]
fn test_a_job_refused_at_rcpt_fails_alone_and_rset_comes_before_the_next() {
    let jobs = vec![
        letter_to("nobody@beta.example"),
        letter_to("budi@beta.example"),
    ];
    let mut pair = Pair::with_jobs(mx1_beta_relay(), relaying_mta(), jobs);
    pair.drive();
    use Verb::{Data, Ehlo, Mail, Quit, Rcpt, Rset};
    assert_eq!(
        pair.verbs_sent(),
        [Ehlo, Mail, Rcpt, Data, Rset, Mail, Rcpt, Data, Quit]
    );
    let outcomes = outcomes(&pair.client_events);
    assert!(
        matches!(outcomes[0], Outcome::NoRecipientAccepted { rejected } if rejected[0].reply.code.get() == 550)
    );
    assert!(matches!(outcomes[1], Outcome::Delivered { .. }));
    assert_eq!(pair.accepted_messages().len(), 1);
}

#[test]
fn test_without_pipelining_a_refused_rcpt_is_followed_by_rset_then_the_next_mail() {
    let config = ClientConfig {
        use_pipelining: false,
        ..relaying_mta()
    };
    let jobs = vec![
        letter_to("nobody@beta.example"),
        letter_to("dewi@beta.example"),
    ];
    let mut pair = Pair::with_jobs(mx1_beta_relay(), config, jobs);
    pair.drive();
    use Verb::{Data, Ehlo, Mail, Quit, Rcpt, Rset};
    assert_eq!(
        pair.verbs_sent(),
        [Ehlo, Mail, Rcpt, Rset, Mail, Rcpt, Data, Quit]
    );
    let outcomes = outcomes(&pair.client_events);
    assert!(matches!(outcomes[0], Outcome::NoRecipientAccepted { .. }));
    assert!(matches!(outcomes[1], Outcome::Delivered { .. }));
}

#[test]
fn test_a_job_too_big_for_size_fails_without_mail_and_the_next_needs_no_rset() {
    let mut policy = mx1_beta_relay();
    policy.max_message_size = 200;
    let big = job(
        "ani@alpha.example",
        &["budi@beta.example"],
        &format!("Subject: big\r\n\r\n{}\r\n", "x".repeat(300)),
    );
    let small = job(
        "ani@alpha.example",
        &["dewi@beta.example"],
        "Subject: s\r\n\r\nhi\r\n",
    );
    let mut pair = Pair::with_jobs(policy, relaying_mta(), vec![big, small]);
    pair.drive();
    use Verb::{Data, Ehlo, Mail, Quit, Rcpt};
    assert_eq!(pair.verbs_sent(), [Ehlo, Mail, Rcpt, Data, Quit]);
    let outcomes = outcomes(&pair.client_events);
    let failure = failure_of(outcomes[0]);
    assert_eq!(failure.stage, Stage::MailFrom);
    assert!(matches!(
        failure.reason,
        FailureReason::MessageTooBig { limit: 200, .. }
    ));
    assert!(matches!(outcomes[1], Outcome::Delivered { .. }));
}

#[test]
fn test_every_job_refused_locally_ends_in_quit_after_hello() {
    let mut policy = mx1_beta_relay();
    policy.max_message_size = 10;
    let mut pair = Pair::with_jobs(
        policy,
        relaying_mta(),
        vec![
            letter_to("budi@beta.example"),
            letter_to("dewi@beta.example"),
        ],
    );
    pair.drive();
    assert_eq!(pair.verbs_sent(), [Verb::Ehlo, Verb::Quit]);
    assert_eq!(outcomes(&pair.client_events).len(), 2);
    assert!(pair.client.is_closed());
}

#[test]
fn test_a_554_greeting_fails_every_job_at_the_greeting() {
    let jobs = vec![
        letter_to("budi@beta.example"),
        letter_to("dewi@beta.example"),
    ];
    let mut client = SmtpClient::with_jobs(relaying_mta(), jobs).unwrap();
    client.handle_input(b"554 5.3.2 No SMTP service here\r\n");
    assert_eq!(client.poll_output().as_deref(), Some(&b"QUIT\r\n"[..]));
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    let outcomes = outcomes(&events);
    assert_eq!(outcomes.len(), 2);
    for outcome in outcomes {
        let failure = failure_of(outcome);
        assert_eq!(failure.stage, Stage::Greeting);
        assert_eq!(failure.severity(), Severity::Permanent);
    }
}

#[test]
fn test_a_lost_connection_fails_the_job_under_way_and_those_after_it() {
    let mut pair = three_letters_to_beta();
    // Until the first message is taken and the second's MAIL group is out.
    while outcomes(&pair.client_events).is_empty() {
        assert!(pair.step(), "the first job ends");
    }
    assert_eq!(pair.client.state(), ClientState::Envelope);
    pair.client.connection_closed();
    let events: Vec<ClientEvent> = std::iter::from_fn(|| pair.client.poll_event()).collect();
    pair.client_events.extend(events);
    let outcomes = outcomes(&pair.client_events);
    assert!(matches!(outcomes[0], Outcome::Delivered { .. }));
    let (second, third) = (failure_of(outcomes[1]), failure_of(outcomes[2]));
    assert_eq!(second.reason, FailureReason::ConnectionLost);
    assert_eq!(second.severity(), Severity::Temporary);
    assert_eq!(
        (third.stage, &third.reason),
        (Stage::MailFrom, &FailureReason::ConnectionLost)
    );
    assert_eq!(pair.client_events.last(), Some(&ClientEvent::Closed));
}

#[test]
fn test_a_refused_rset_ends_the_session_and_fails_the_jobs_left() {
    let jobs = vec![
        letter_to("nobody@beta.example"),
        letter_to("budi@beta.example"),
    ];
    let mut client = SmtpClient::with_jobs(relaying_mta(), jobs).unwrap();
    let mut feed = |replies: &str| {
        client.handle_input(replies.as_bytes());
        String::from_utf8(client.poll_output().unwrap_or_default()).unwrap()
    };
    feed("220 mx1.beta.example ESMTP\r\n");
    assert!(feed("250-mx1.beta.example\r\n250 PIPELINING\r\n").starts_with("MAIL FROM:"));
    let after_group =
        feed("250 2.1.0 Ok\r\n550 5.1.1 No such user\r\n554 5.5.1 No valid recipients\r\n");
    assert_eq!(after_group, "RSET\r\n");
    assert_eq!(feed("502 5.5.1 Not implemented\r\n"), "QUIT\r\n");
    let events: Vec<ClientEvent> = std::iter::from_fn(|| client.poll_event()).collect();
    let outcomes = outcomes(&events);
    assert!(matches!(outcomes[0], Outcome::NoRecipientAccepted { .. }));
    let failure = failure_of(outcomes[1]);
    assert_eq!(failure.stage, Stage::MailFrom);
    assert!(matches!(failure.reason, FailureReason::ProtocolError(_)));
}

#[test]
fn test_a_session_needs_a_job_and_every_job_a_recipient() {
    assert_eq!(
        SmtpClient::with_jobs(relaying_mta(), Vec::new()).err(),
        Some(InvalidJob::NoJobs)
    );
    let no_recipient = job("ani@alpha.example", &[], LETTER);
    assert_eq!(
        SmtpClient::with_jobs(
            relaying_mta(),
            vec![letter_to("budi@beta.example"), no_recipient]
        )
        .err(),
        Some(InvalidJob::NoRecipients)
    );
    let bad = job("ani@alpha.example", &["bu di@beta.example"], LETTER);
    assert!(matches!(
        SmtpClient::with_jobs(relaying_mta(), vec![letter_to("budi@beta.example"), bad]).err(),
        Some(InvalidJob::BadCommand { .. })
    ));
}
