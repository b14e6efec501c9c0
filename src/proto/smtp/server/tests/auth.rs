//! AUTH PLAIN and LOGIN on the submission port (RFC 4954 §4, RFC 4616).

use super::*;

// ---- Authenticating ----

#[test]
fn test_ready_auth_plain_with_initial_response() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    let reply = client.one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n");
    assert_reply(&reply, 235, "2.7.0");
    assert_eq!(client.server.authenticated_user(), Some("ani"));
    assert!(client
        .events()
        .contains(&ServerEvent::Authenticated { user: "ani".into() }));
}

#[test]
fn test_ready_auth_plain_with_empty_challenge() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    client.server.handle_input(b"AUTH PLAIN\r\n");
    assert_eq!(client.output(), "334 \r\n");
    client.events();
    assert_eq!(client.server.state(), SessionState::Authenticating);
    assert_reply(&client.one("AGFuaQBhbmkxMjM=\r\n"), 235, "2.7.0");
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_ready_auth_login_challenges_for_user_then_password() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    let user_prompt = client.one("AUTH LOGIN\r\n");
    assert_eq!(
        (
            user_prompt.code.get(),
            user_prompt.status,
            user_prompt.lines
        ),
        (334, None, vec!["VXNlcm5hbWU6".to_string()])
    );
    let password_prompt = client.one("Y2l0cmE=\r\n");
    assert_eq!(password_prompt.lines, ["UGFzc3dvcmQ6"]);
    assert_reply(&client.one("Y2l0cmExMjM=\r\n"), 235, "2.7.0");
    assert_eq!(client.server.authenticated_user(), Some("citra"));
}

#[test]
fn test_authenticating_star_cancels() {
    let mut client = Client::submission();
    client.say("EHLO x\r\nAUTH LOGIN\r\n");
    assert_reply(&client.one("*\r\n"), 501, "5.7.0");
    assert_eq!(client.server.state(), SessionState::Ready);
    assert_eq!(client.server.authenticated_user(), None);
}

#[test]
fn test_authenticating_bad_base64_is_501() {
    let mut client = Client::submission();
    client.say("EHLO x\r\nAUTH PLAIN\r\n");
    assert_reply(&client.one("not base64!\r\n"), 501, "5.5.2");
    assert_eq!(client.server.state(), SessionState::Ready);
}

#[test]
fn test_ready_auth_bad_credentials_is_535() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    // "\0ani\0wrong"
    assert_reply(&client.one("AUTH PLAIN AGFuaQB3cm9uZw==\r\n"), 535, "5.7.8");
    assert_eq!(client.server.authenticated_user(), None);
}

#[test]
fn test_ready_auth_with_full_address_as_user() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    // "\0ani@alpha.example\0ani123"
    assert_reply(
        &client.one("AUTH PLAIN AGFuaUBhbHBoYS5leGFtcGxlAGFuaTEyMw==\r\n"),
        235,
        "2.7.0",
    );
}

#[test]
fn test_ready_auth_unknown_mechanism_is_504() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    assert_reply(&client.one("AUTH CRAM-MD5\r\n"), 504, "5.5.4");
}

#[test]
fn test_authenticated_auth_again_is_503() {
    assert_reply(
        &Client::submission_authenticated().one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"),
        503,
        "5.5.1",
    );
}

#[test]
fn test_mail_from_auth_inside_a_transaction_is_503() {
    let mut client = Client::submission();
    client.say("EHLO x\r\n");
    // A transaction needs AUTH first here; forget the login to reach the transaction check.
    client.say("AUTH PLAIN AGFuaQBhbmkxMjM=\r\nMAIL FROM:<ani@alpha.example>\r\n");
    client.server.authenticated_user = None;
    assert_reply(&client.one("AUTH LOGIN\r\n"), 503, "5.5.1");
}

#[test]
fn test_relay_auth_is_502() {
    let mut client = Client::relay();
    client.say("EHLO x\r\n");
    assert_reply(&client.one("AUTH PLAIN AGFuaQBhbmkxMjM=\r\n"), 502, "5.5.1");
}

#[test]
fn test_authenticating_line_too_long_cancels() {
    let mut client = Client::submission();
    client.say("EHLO x\r\nAUTH PLAIN\r\n");
    assert_reply(
        &client.one(&format!("{}\r\n", "A".repeat(600))),
        500,
        "5.5.6",
    );
    assert_eq!(client.server.state(), SessionState::Ready);
}
