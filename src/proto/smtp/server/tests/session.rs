//! Whole-session behaviour: pipelining (RFC 2920), commands valid in any state (RFC 5321
//! §4.1.1.5–§4.1.1.10), QUIT and shutdown (§3.8), line limits (§4.5.3.1).

use super::*;

// ---- pipelining ----

#[test]
fn test_pipelined_commands_are_answered_in_order() {
    let mut client = Client::relay_ready_for_data();
    let replies = client.say("RSET\r\nMAIL FROM:<>\r\nRCPT TO:<budi@beta.example>\r\nRCPT TO:<eko@beta.example>\r\nDATA\r\nhi\r\n.\r\nNOOP\r\n");
    assert_eq!(codes(&replies), [250, 250, 250, 550, 354, 250, 250]);
}

#[test]
fn test_pipelined_lines_after_a_refused_data_are_commands() {
    let mut client = Client::relay_in_transaction();
    let replies = client.say("RCPT TO:<eko@beta.example>\r\nDATA\r\nSubject: x\r\nQUIT\r\n");
    assert_eq!(codes(&replies), [550, 503, 500, 221]);
    assert!(client.server.is_closed());
}

// ---- any state ----

#[test]
fn test_rset_clears_the_envelope() {
    let mut client = Client::relay_ready_for_data();
    assert_reply(&client.one("RSET\r\n"), 250, "2.0.0");
    assert_eq!(client.server.envelope(), &Envelope::default());
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_second_ehlo_resets_the_transaction() {
    let mut client = Client::relay_ready_for_data();
    client.say("EHLO again.example\r\n");
    assert_eq!(client.server.state(), SessionState::Ready);
    assert!(client.server.envelope().recipients.is_empty());
}

#[test]
fn test_noop_is_250_2_0_0() {
    assert_reply(&Client::relay().one("NOOP hello\r\n"), 250, "2.0.0");
}

#[test]
fn test_quit_closes_and_ignores_later_input() {
    let mut client = Client::relay();
    client.server.handle_input(b"QUIT\r\nNOOP\r\n");
    assert_eq!(
        client.output(),
        "221 2.0.0 mx1.beta.example Service closing transmission channel\r\n"
    );
    assert!(client.events().ends_with(&[ServerEvent::Closed]));
    client.server.handle_input(b"NOOP\r\n");
    assert_eq!(client.server.poll_output(), None);
    assert_eq!(client.server.state(), SessionState::Closed);
}

#[test]
fn test_shutdown_sends_421_and_closes() {
    let mut client = Client::relay_ready_for_data();
    client.server.shutdown();
    assert_eq!(
        client.output(),
        "421 4.3.2 mx1.beta.example Service shutting down, closing transmission channel\r\n"
    );
    let events = client.events();
    assert!(matches!(
        events.as_slice(),
        [ServerEvent::Replied { to: None, .. }, ServerEvent::Closed]
    ));
    client.server.shutdown();
    assert_eq!(client.server.poll_output(), None, "only once");
}

#[test]
fn test_vrfy_local_user_shows_the_mailbox() {
    let mut client = Client::relay();
    let reply = client.one("VRFY budi\r\n");
    assert_reply(&reply, 250, "2.1.5");
    assert_eq!(reply.lines, ["Budi <budi@beta.example>"]);
    assert_eq!(
        client.one("VRFY <Dewi@beta.example>\r\n").lines,
        ["Dewi <dewi@beta.example>"]
    );
}

#[test]
fn test_vrfy_unknown_and_foreign() {
    let mut client = Client::relay();
    assert_reply(&client.one("VRFY eko\r\n"), 550, "5.1.1");
    assert_reply(&client.one("VRFY eko@beta.example\r\n"), 550, "5.1.1");
    assert_reply(&client.one("VRFY ani@alpha.example\r\n"), 550, "5.7.1");
    let mut submission = Client::submission();
    let reply = submission.one("VRFY budi@beta.example\r\n");
    assert_reply(&reply, 252, "2.1.5");
    assert!(reply.lines[0].starts_with("Cannot VRFY"));
}

#[test]
fn test_vrfy_ambiguous_user_is_553() {
    let mut policy = relay_policy();
    policy.local_domains.push("gamma.example".into());
    policy.accounts = policy
        .accounts
        .with(account("budi", "gamma.example", "Budi G"));
    assert_reply(&Client::new(policy).one("VRFY budi\r\n"), 553, "5.1.4");
}

#[test]
fn test_vrfy_without_argument_teaches_syntax() {
    let reply = Client::relay().one("VRFY\r\n");
    assert_reply(&reply, 501, "5.5.2");
    assert!(reply.lines[0].starts_with("Syntax: VRFY"));
}

#[test]
fn test_expn_says_there_are_no_lists() {
    let reply = Client::relay().one("EXPN staff\r\n");
    assert_reply(&reply, 550, "5.1.1");
    assert!(reply.lines[0].contains("no such mailing list"));
}

#[test]
fn test_help_lists_every_command() {
    let reply = Client::relay().one("HELP\r\n");
    assert_eq!(reply.code.get(), 214);
    assert_eq!(status(&reply).as_deref(), Some("2.0.0"));
    for verb in Verb::ALL {
        assert!(
            reply.lines.iter().any(|line| line == verb.syntax()),
            "{verb}"
        );
    }
}

#[test]
fn test_help_topic_explains_one_command() {
    let mut client = Client::relay();
    let reply = client.one("HELP mail\r\n");
    assert_reply(&reply, 214, "2.0.0");
    assert!(reply.lines[0].starts_with("MAIL FROM:<reverse-path>"));
    assert_reply(&client.one("HELP teleport\r\n"), 504, "5.5.1");
}

#[test]
fn test_help_disabled_is_502() {
    let mut policy = relay_policy();
    policy.extensions.help = false;
    assert_reply(&Client::new(policy).one("HELP\r\n"), 502, "5.5.1");
}

#[test]
fn test_starttls_is_recognised_but_not_offered() {
    let reply = Client::submission().one("STARTTLS\r\n");
    assert_reply(&reply, 502, "5.5.1");
    assert!(reply.lines[0].contains("not offered"));
}

#[test]
fn test_unknown_command_is_500() {
    assert_reply(&Client::relay().one("HACK the planet\r\n"), 500, "5.5.2");
}

#[test]
fn test_line_too_long_is_500_and_the_session_goes_on() {
    let mut client = Client::relay();
    let replies = client.say(&format!("NOOP {}\r\nNOOP\r\n", "x".repeat(600)));
    assert_reply(&replies[0], 500, "5.5.2");
    assert!(replies[0].lines[0].starts_with("Line too long"));
    assert_eq!(codes(&replies), [500, 250]);
}

#[test]
fn test_bare_lf_command_lines_are_accepted() {
    assert_eq!(codes(&Client::relay().say("EHLO x\nNOOP\n")), [250, 250]);
}

#[test]
fn test_non_utf8_command_is_refused_without_panic() {
    let mut client = Client::relay();
    client.server.handle_input(b"EHLO \xff\xfe\r\n\xc3\x28\r\n");
    let replies = replies_of(&client.output());
    assert_eq!(codes(&replies), [501, 500]);
}

#[test]
fn test_echoed_text_is_sanitised() {
    let mut client = Client::relay();
    client.server.handle_input(b"VRFY a\x07b\x1b[31m\r\n");
    assert_eq!(client.output(), "550 5.1.1 a?b?[31m: no such user here\r\n");
}

#[test]
fn test_without_enhanced_status_codes_no_reply_carries_one() {
    let mut policy = relay_policy();
    policy.extensions.enhanced_status_codes = false;
    let mut client = Client::new(policy);
    let replies = client
        .say("EHLO x\r\nMAIL FROM:<>\r\nRCPT TO:<eko@beta.example>\r\nRSET\r\nHELP\r\nQUIT\r\n");
    assert_eq!(codes(&replies), [250, 250, 550, 250, 214, 221]);
    assert!(replies.iter().all(|r| r.status.is_none()));
}

#[test]
fn test_session_state_display_is_readable() {
    assert_eq!(
        SessionState::Greeted.to_string(),
        "greeted, waiting for EHLO"
    );
    assert_eq!(SessionState::Closed.to_string(), "closed");
}
