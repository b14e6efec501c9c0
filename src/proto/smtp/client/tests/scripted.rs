//! The client against replies typed here: what the server engine never says — a 554 or 421
//! greeting (RFC 5321 §3.1, §3.8), no EHLO (§3.2), a 354 to a pipelined DATA although no
//! recipient was accepted (RFC 2920 §3.1), a malformed reply — and the checks made before
//! anything is sent.

use super::*;

/// A client for one message to budi, fed by hand.
struct Script {
    client: SmtpClient,
    events: Vec<ClientEvent>,
}

impl Script {
    fn new() -> Self {
        Self::with(relaying_mta())
    }

    fn with(config: ClientConfig) -> Self {
        let job = job("ani@alpha.example", &["budi@beta.example"], LETTER);
        Self {
            client: SmtpClient::new(config, job).expect("valid job"),
            events: Vec::new(),
        }
    }

    /// Feeds `replies`; returns what the client wrote in answer.
    fn reply(&mut self, replies: &str) -> String {
        self.client.handle_input(replies.as_bytes());
        self.events
            .extend(std::iter::from_fn(|| self.client.poll_event()));
        String::from_utf8(self.client.poll_output().unwrap_or_default()).expect("ASCII commands")
    }

    fn failure(&self) -> &TransactionFailure {
        match self.client.outcome() {
            Some(Outcome::Failed { failure, .. }) => failure,
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn test_awaiting_greeting_554_quits_with_a_permanent_failure() {
    let mut script = Script::new();
    assert_eq!(
        script.reply("554 5.3.2 No SMTP service here\r\n"),
        "QUIT\r\n"
    );
    assert_eq!(script.failure().stage, Stage::Greeting);
    assert_eq!(script.failure().severity(), Severity::Permanent);
    assert_eq!(script.client.state(), ClientState::Quitting);
    assert_eq!(script.reply("221 2.0.0 Bye\r\n"), "");
    assert!(script.client.is_closed());
    assert_eq!(script.events.last(), Some(&ClientEvent::Closed));
}

#[test]
fn test_awaiting_greeting_421_is_temporary_and_closes_without_quit() {
    let mut script = Script::new();
    assert_eq!(script.reply("421 4.3.2 Too busy, try later\r\n"), "");
    assert_eq!(script.failure().severity(), Severity::Temporary);
    assert!(script.client.is_closed());
}

#[test]
fn test_awaiting_greeting_multiline_split_anywhere_then_ehlo() {
    let mut script = Script::new();
    assert_eq!(script.reply("220-mx1.beta.example ESMTP\r\n22"), "");
    assert_eq!(script.reply("0 welcome\r\n"), "EHLO mail.alpha.example\r\n");
    assert_eq!(script.client.state(), ClientState::Hello);
}

#[test]
fn test_hello_ehlo_5xx_falls_back_to_helo_without_extensions() {
    let mut script = Script::new();
    script.reply("220 old.example SMTP\r\n");
    assert_eq!(
        script.reply("502 Command not implemented\r\n"),
        "HELO mail.alpha.example\r\n"
    );
    // No SIZE, no PIPELINING after HELO: MAIL alone, without parameters.
    assert_eq!(
        script.reply("250 old.example\r\n"),
        "MAIL FROM:<ani@alpha.example>\r\n"
    );
    assert_eq!(
        script.client.offered_extensions(),
        &OfferedExtensions::default()
    );
}

#[test]
fn test_hello_ehlo_4xx_is_a_temporary_failure() {
    let mut script = Script::new();
    script.reply("220 mx ESMTP\r\n");
    assert_eq!(script.reply("451 4.3.0 Try again\r\n"), "QUIT\r\n");
    assert_eq!(script.failure().stage, Stage::Hello);
    assert_eq!(script.failure().severity(), Severity::Temporary);
}

#[test]
fn test_envelope_354_without_accepted_recipient_sends_only_the_dot() {
    let mut script = Script::new();
    script.reply("220 mx ESMTP\r\n");
    let group = script.reply("250-mx greets you\r\n250 PIPELINING\r\n");
    assert_eq!(
        group,
        "MAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\n"
    );
    assert_eq!(
        script.reply("250 ok\r\n550 5.1.1 no such user\r\n354 go ahead\r\n"),
        ".\r\n"
    );
    assert!(script.events.contains(&ClientEvent::SentMessage {
        size: 0,
        dot_stuffed_lines: Vec::new()
    }));
    assert_eq!(script.reply("250 ok, nothing\r\n"), "QUIT\r\n");
    assert!(matches!(
        script.client.outcome(),
        Some(Outcome::NoRecipientAccepted { rejected }) if rejected.len() == 1
    ));
}

#[test]
fn test_envelope_end_of_data_452_is_a_temporary_failure_for_accepted_recipients() {
    let mut script = Script::with(ClientConfig {
        use_pipelining: false,
        ..relaying_mta()
    });
    script.reply("220 mx ESMTP\r\n250 mx\r\n250 ok\r\n250 ok\r\n354 go\r\n");
    assert_eq!(
        script.reply("452 4.3.1 Insufficient system storage\r\n"),
        "QUIT\r\n"
    );
    assert_eq!(script.failure().stage, Stage::EndOfData);
    assert_eq!(
        script
            .client
            .outcome()
            .and_then(|outcome| outcome.recipient_status("budi@beta.example")),
        Some(RecipientStatus::Failed {
            severity: Severity::Temporary,
            reply: script.failure().reply(),
        })
    );
}

#[test]
fn test_envelope_rcpt_552_too_many_recipients_is_temporary() {
    let mut script = Script::with(ClientConfig {
        use_pipelining: false,
        ..relaying_mta()
    });
    script.reply("220 mx ESMTP\r\n250 mx\r\n250 ok\r\n");
    assert_eq!(script.reply("552 Too many recipients\r\n"), "QUIT\r\n");
    assert!(script.events.iter().any(|event| matches!(
        event,
        ClientEvent::RecipientRejected {
            severity: Severity::Temporary,
            ..
        }
    )));
    assert!(matches!(
        script
            .client
            .outcome()
            .and_then(|outcome| outcome.recipient_status("budi@beta.example")),
        Some(RecipientStatus::Failed {
            severity: Severity::Temporary,
            ..
        })
    ));
}

#[test]
fn test_malformed_reply_is_a_temporary_protocol_error_then_quit() {
    let mut script = Script::new();
    assert_eq!(script.reply("hello there\r\n"), "QUIT\r\n");
    assert!(matches!(
        script.failure().reason,
        FailureReason::ProtocolError(_)
    ));
    assert_eq!(script.failure().severity(), Severity::Temporary);
    assert!(script
        .events
        .iter()
        .any(|event| matches!(event, ClientEvent::MalformedReply(_))));
    // More garbage while quitting ends the session.
    assert_eq!(script.reply("\u{1F4E7}\r\n"), "");
    assert!(script.client.is_closed());
}

#[test]
fn test_out_of_place_reply_code_is_a_protocol_error() {
    let mut script = Script::new();
    script.reply("220 mx ESMTP\r\n");
    assert_eq!(script.reply("354 what?\r\n"), "QUIT\r\n");
    assert!(matches!(
        script.failure().reason,
        FailureReason::ProtocolError(_)
    ));
}

#[test]
fn test_new_refuses_commands_that_would_be_malformed() {
    let crlf_in_name = SmtpClient::new(
        ClientConfig::new("mail.alpha.example\r\nRCPT TO:<x@y>"),
        job("ani@alpha.example", &["budi@beta.example"], LETTER),
    );
    assert!(matches!(crlf_in_name, Err(InvalidJob::BadCommand { .. })));
    let mut bad_recipient = job("ani@alpha.example", &["budi@beta.example"], LETTER);
    bad_recipient.recipients.push(ForwardPath::Mailbox(Mailbox {
        local: "eko\r\nDATA".into(),
        domain: "beta.example".into(),
    }));
    assert!(matches!(
        SmtpClient::new(relaying_mta(), bad_recipient),
        Err(InvalidJob::BadCommand { .. })
    ));
    assert_eq!(
        SmtpClient::new(relaying_mta(), job("ani@alpha.example", &[], LETTER)).err(),
        Some(InvalidJob::NoRecipients)
    );
    assert_eq!(
        SmtpClient::new(
            ClientConfig::new("x.example").with_credentials("ani", "a\0b"),
            job("ani@alpha.example", &["budi@beta.example"], LETTER)
        )
        .err(),
        Some(InvalidJob::NulInCredentials)
    );
}
