//! Ready and MailFrom: MAIL and RCPT (RFC 5321 §4.1.1.2, §4.1.1.3, §3.6, §4.5.3.1.8).

use super::*;

// ---- Ready ----

#[test]
fn test_ready_mail_from_opens_a_transaction() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    let reply = client.one("MAIL FROM:<ani@alpha.example> SIZE=500 BODY=8BITMIME\r\n");
    assert_reply(&reply, 250, "2.1.0");
    assert_eq!(client.server.state(), SessionState::MailFrom);
    assert_eq!(
        client.server.envelope().reverse_path.as_deref(),
        Some("ani@alpha.example")
    );
}

#[test]
fn test_ready_null_reverse_path_is_accepted_for_bounces() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    assert_reply(&client.one("MAIL FROM:<>\r\n"), 250, "2.1.0");
    assert_eq!(client.server.envelope().reverse_path.as_deref(), Some(""));
}

#[test]
fn test_ready_mail_declared_size_over_the_limit_is_552() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    assert_reply(
        &client.one("MAIL FROM:<ani@alpha.example> SIZE=10001\r\n"),
        552,
        "5.3.4",
    );
    assert_reply(
        &client.one("MAIL FROM:<ani@alpha.example> SIZE=10000\r\n"),
        250,
        "2.1.0",
    );
}

#[test]
fn test_ready_mail_bad_parameters_are_501_5_5_4_with_syntax() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    for line in [
        "MAIL FROM:<a@alpha.example> RET=HDRS\r\n",
        "MAIL FROM:<a@alpha.example> SIZE=lots\r\n",
    ] {
        let reply = client.one(line);
        assert_reply(&reply, 501, "5.5.4");
        assert!(
            reply.lines[0].starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]"),
            "{reply}"
        );
    }
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_ready_mail_parameter_of_a_disabled_extension_is_refused() {
    let mut policy = relay_policy();
    policy.extensions.size = false;
    let mut client = Client::new(policy);
    client.say("EHLO x\r\n");
    assert_reply(
        &client.one("MAIL FROM:<a@alpha.example> SIZE=10\r\n"),
        501,
        "5.5.4",
    );
}

#[test]
fn test_ready_mail_malformed_is_501_5_5_2() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    let reply = client.one("MAIL FROM ani@alpha.example\r\n");
    assert_reply(&reply, 501, "5.5.2");
    assert!(reply.lines[0].starts_with("Syntax: MAIL FROM:<reverse-path> [SP <mail-parameters>]"));
}

#[test]
fn test_ready_mail_bad_sender_address_is_501_5_1_7() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    let long_local = "a".repeat(65);
    assert_reply(
        &client.one(&format!("MAIL FROM:<{long_local}@alpha.example>\r\n")),
        501,
        "5.1.7",
    );
}

#[test]
fn test_ready_submission_mail_before_auth_is_530() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    let reply = client.one("MAIL FROM:<ani@alpha.example>\r\n");
    assert_reply(&reply, 530, "5.7.0");
    assert!(reply.lines[0].contains("Authentication required"));
}

#[test]
fn test_ready_rcpt_before_mail_is_503() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    assert_reply(&client.one("RCPT TO:<budi@beta.example>\r\n"), 503, "5.5.1");
}

// ---- MailFrom ----

#[test]
fn test_mail_from_nested_mail_is_503() {
    assert_reply(
        &Client::relay_in_transaction().one("MAIL FROM:<x@alpha.example>\r\n"),
        503,
        "5.5.1",
    );
}

#[test]
fn test_mail_from_data_without_recipient_is_503() {
    let mut client = Client::relay_in_transaction();
    assert_reply(&client.one("DATA\r\n"), 503, "5.5.1");
    assert_eq!(client.server.state(), SessionState::MailFrom);
}

#[test]
fn test_mail_from_rcpt_local_user_is_250_2_1_5() {
    let mut client = Client::relay_in_transaction();
    assert_reply(&client.one("RCPT TO:<Budi@BETA.example>\r\n"), 250, "2.1.5");
    assert_eq!(client.server.state(), SessionState::RcptTo);
    assert_eq!(client.server.envelope().recipients, ["Budi@BETA.example"]);
}

#[test]
fn test_mail_from_rcpt_unknown_local_user_is_550_5_1_1_naming_the_address() {
    let mut client = Client::relay_in_transaction();
    let reply = client.one("RCPT TO:<eko@beta.example>\r\n");
    assert_reply(&reply, 550, "5.1.1");
    assert!(reply.lines[0].contains("eko@beta.example"));
    assert_eq!(client.server.state(), SessionState::MailFrom);
}

#[test]
fn test_mail_from_rcpt_foreign_domain_on_relay_is_denied() {
    let reply = Client::relay_in_transaction().one("RCPT TO:<ani@alpha.example>\r\n");
    assert_reply(&reply, 554, "5.7.1");
    assert!(reply.lines[0].contains("Relay access denied"));
}

#[test]
fn test_mail_from_rcpt_postmaster_is_accepted() {
    let mut client = Client::relay_in_transaction();
    assert_eq!(
        codes(&client.say("RCPT TO:<Postmaster>\r\nRCPT TO:<postmaster@beta.example>\r\n")),
        [250, 250]
    );
    assert_eq!(
        client.server.envelope().recipients,
        ["Postmaster", "postmaster@beta.example"]
    );
}

#[test]
fn test_mail_from_rcpt_full_mailbox_is_452_4_2_2() {
    assert_reply(
        &Client::relay_in_transaction().one("RCPT TO:<dewi@beta.example>\r\n"),
        452,
        "4.2.2",
    );
}

#[test]
fn test_mail_from_rcpt_bad_address_is_501_5_1_3() {
    let long_local = "b".repeat(65);
    assert_reply(
        &Client::relay_in_transaction().one(&format!("RCPT TO:<{long_local}@beta.example>\r\n")),
        501,
        "5.1.3",
    );
}

#[test]
fn test_mail_from_rcpt_parameters_are_refused() {
    assert_reply(
        &Client::relay_in_transaction().one("RCPT TO:<budi@beta.example> NOTIFY=NEVER\r\n"),
        501,
        "5.5.4",
    );
}

#[test]
fn test_mail_from_recipient_101_is_452_4_5_3() {
    let mut client = Client::submission_authenticated();
    client.say("MAIL FROM:<ani@alpha.example>\r\n");
    let hundred: String = (0..100)
        .map(|n| format!("RCPT TO:<user{n}@beta.example>\r\n"))
        .collect();
    assert!(client.say(&hundred).iter().all(|r| r.code.get() == 250));
    assert_reply(&client.one("RCPT TO:<eko@beta.example>\r\n"), 452, "4.5.3");
    assert_eq!(client.server.envelope().recipients.len(), 100);
}

#[test]
fn test_mail_from_rcpt_twice_is_250_but_kept_once() {
    let mut client = Client::relay_in_transaction();
    let replies = client.say(
        "RCPT TO:<budi@beta.example>\r\nRCPT TO:<budi@beta.example>\r\nRCPT TO:<BUDI@Beta.Example>\r\n",
    );
    assert_eq!(codes(&replies), [250, 250, 250]);
    assert!(replies[1].lines[0].contains("already a recipient"));
    assert_eq!(client.server.envelope().recipients, ["budi@beta.example"]);
}

#[test]
fn test_mail_from_a_recipient_of_the_last_transaction_is_new_in_the_next() {
    let mut client = Client::relay_in_transaction();
    client.say("RCPT TO:<budi@beta.example>\r\nRSET\r\nMAIL FROM:<>\r\n");
    let again = client.one("RCPT TO:<budi@beta.example>\r\n");
    assert_reply(&again, 250, "2.1.5");
    assert!(!again.lines[0].contains("already"), "{:?}", again.lines);
    assert_eq!(client.server.envelope().recipients, ["budi@beta.example"]);
}

#[test]
fn test_mail_from_rcpt_duplicates_do_not_count_toward_the_limit() {
    let mut client = Client::submission_authenticated();
    client.say("MAIL FROM:<ani@alpha.example>\r\n");
    let hundred: String = (0..100)
        .map(|n| format!("RCPT TO:<user{n}@beta.example>\r\n"))
        .collect();
    client.say(&hundred);
    assert_reply(
        &client.one("RCPT TO:<user7@BETA.example>\r\n"),
        250,
        "2.1.5",
    );
    assert_eq!(client.server.envelope().recipients.len(), 100);
}

#[test]
fn test_mail_from_rcpt_foreign_local_parts_keep_their_case() {
    let mut client = Client::submission_authenticated();
    client.say("MAIL FROM:<ani@alpha.example>\r\n");
    client.say("RCPT TO:<Budi@beta.example>\r\nRCPT TO:<budi@BETA.example>\r\n");
    assert_eq!(
        client.server.envelope().recipients,
        ["Budi@beta.example", "budi@BETA.example"]
    );
}

#[test]
fn test_mail_from_submission_foreign_recipient_is_queued_for_relay() {
    let mut client = Client::submission_authenticated();
    client.say("MAIL FROM:<ani@alpha.example>\r\n");
    let reply = client.one("RCPT TO:<budi@beta.example>\r\n");
    assert_reply(&reply, 250, "2.1.5");
    assert!(reply.lines[0].contains("relay"));
    assert_reply(&client.one("RCPT TO:<eko@alpha.example>\r\n"), 550, "5.1.1");
}
