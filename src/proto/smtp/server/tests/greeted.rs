//! The greeting and the Greeted state: only EHLO/HELO opens the way (RFC 5321 §3.1, §4.1.1.1, §4.3.2).

use super::*;

// ---- greeting and Greeted ----

#[test]
fn test_new_greets_with_220_and_no_enhanced_code() {
    let mut server = SmtpServer::new(relay_policy(), peer(), 0);
    assert_eq!(
        server.poll_output(),
        Some(b"220 mx1.beta.example ESMTP Kurir ready\r\n".to_vec())
    );
    assert!(
        matches!(server.poll_event(), Some(ServerEvent::Replied { to: None, reply }) if reply.code.get() == 220)
    );
    assert_eq!(server.state(), SessionState::Greeted);
}

#[test]
fn test_greeted_mail_is_a_sequence_error() {
    let reply = Client::relay().one("MAIL FROM:<ani@alpha.example>\r\n");
    assert_reply(&reply, 503, "5.5.1");
    assert!(reply.lines[0].contains("EHLO"));
}

#[test]
fn test_greeted_rcpt_and_data_are_sequence_errors() {
    let mut client = Client::relay();
    for line in ["RCPT TO:<budi@beta.example>\r\n", "DATA\r\n"] {
        assert_reply(&client.one(line), 503, "5.5.1");
    }
    assert_eq!(client.server.state(), SessionState::Greeted);
}

#[test]
fn test_greeted_allows_noop_rset_help_vrfy() {
    let mut client = Client::relay();
    assert_eq!(
        codes(&client.say("NOOP\r\nRSET\r\nHELP MAIL\r\nVRFY budi\r\n")),
        [250, 250, 214, 250]
    );
    assert_eq!(client.server.state(), SessionState::Greeted);
}

#[test]
fn test_greeted_ehlo_on_relay_lists_extensions_without_auth() {
    let reply = Client::relay().one("EHLO mx.alpha.example\r\n");
    assert_eq!(reply.code.get(), 250);
    assert_eq!(reply.status, None);
    assert_eq!(
        reply.lines,
        [
            "mx1.beta.example greets mx.alpha.example",
            "SIZE 10000",
            "8BITMIME",
            "PIPELINING",
            "ENHANCEDSTATUSCODES",
            "HELP"
        ]
    );
}

#[test]
fn test_greeted_ehlo_on_submission_offers_auth() {
    let reply = Client::submission().one("EHLO laptop-ani.alpha.example\r\n");
    assert_eq!(
        reply.lines.last().map(String::as_str),
        Some("AUTH PLAIN LOGIN")
    );
}

#[test]
fn test_greeted_ehlo_advertises_only_enabled_extensions() {
    let mut policy = relay_policy();
    policy.extensions = Extensions {
        size: false,
        eight_bit_mime: false,
        pipelining: true,
        enhanced_status_codes: false,
        help: false,
    };
    let reply = Client::new(policy).one("EHLO x\r\n");
    assert_eq!(reply.lines, ["mx1.beta.example greets x", "PIPELINING"]);
}

#[test]
fn test_greeted_helo_is_one_line() {
    let mut client = Client::relay();
    client.server.handle_input(b"HELO old.example\r\n");
    assert_eq!(
        client.output(),
        "250 mx1.beta.example greets old.example\r\n"
    );
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_greeted_auth_before_ehlo_is_a_sequence_error() {
    assert_reply(
        &Client::submission().one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"),
        503,
        "5.5.1",
    );
}
