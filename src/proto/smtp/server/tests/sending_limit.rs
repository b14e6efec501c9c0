//! Ready, on a submission port with a sending limit per account: MAIL over the limit is
//! `451 4.7.1` (RFC 5321 §4.3.2, RFC 3463 §3.8), counted across sessions and within one.

use super::*;

/// The time the tests' sessions start at: 2023-11-14T22:13:20Z.
const NOW: i64 = 1_700_000_000;
/// The next full hour after NOW.
const NEXT_HOUR: i64 = 1_700_002_800;

const ONE_MESSAGE: &str =
    "MAIL FROM:<ani@alpha.example>\r\nRCPT TO:<budi@beta.example>\r\nDATA\r\nHalo\r\n.\r\n";

fn limited(messages_per_hour: u32) -> ServerPolicy {
    ServerPolicy {
        sending_limit: Some(SendingLimit { messages_per_hour }),
        ..submission_policy()
    }
}

/// A session on a port limited to `messages_per_hour`, logged in with `auth` after EHLO.
fn logged_in(messages_per_hour: u32, ledger: &SendingLedger, auth: &str) -> Client {
    let mut client = Client::new(limited(messages_per_hour));
    client.server.set_sending_ledger(ledger);
    let replies = client.say(&format!(
        "EHLO laptop-ani.alpha.example\r\nAUTH PLAIN {auth}\r\n"
    ));
    assert_eq!(codes(&replies), [250, 235]);
    client.events();
    client
}

const ANI: &str = "AGFuaQBhbmkxMjM=";
const CITRA: &str = "AGNpdHJhAGNpdHJhMTIz";

#[test]
fn test_ready_mail_under_the_limit_is_accepted_and_counted() {
    let mut client = logged_in(2, &SendingLedger::default(), ANI);
    let replies = client.say(ONE_MESSAGE);
    assert_eq!(codes(&replies), [250, 250, 354, 250]);
    assert_eq!(accepted(&mut client).len(), 1);
    assert_reply(
        &client.one("MAIL FROM:<ani@alpha.example>\r\n"),
        250,
        "2.1.0",
    );
}

#[test]
fn test_ready_mail_at_the_limit_is_451_4_7_1_with_the_time_to_try_again() {
    let mut client = logged_in(2, &SendingLedger::default(), ANI);
    client.say(ONE_MESSAGE);
    client.say(ONE_MESSAGE);
    assert_eq!(accepted(&mut client).len(), 2);
    let reply = client.one("MAIL FROM:<ani@alpha.example>\r\n");
    assert_reply(&reply, 451, "4.7.1");
    assert_eq!(
        reply.lines,
        [
            "Sending limit reached: ani may send 2 messages per hour through \
          mail.alpha.example; try again after 23:00 UTC (in 47 min)"
        ]
    );
    assert_eq!(client.server.state(), SessionState::Ready);
    assert_eq!(client.server.envelope().reverse_path, None);
}

#[test]
fn test_ready_mail_counts_what_other_sessions_sent() {
    let mut ledger = SendingLedger::default();
    for _ in 0..3 {
        ledger.record("ani", NOW - 60);
    }
    let mut client = logged_in(3, &ledger, ANI);
    assert_reply(
        &client.one("MAIL FROM:<ani@alpha.example>\r\n"),
        451,
        "4.7.1",
    );
    ledger.record("citra", NOW - 60);
    let mut citra = logged_in(3, &ledger, CITRA);
    assert_reply(
        &citra.one("MAIL FROM:<citra@alpha.example>\r\n"),
        250,
        "2.1.0",
    );
}

#[test]
fn test_ready_pipelined_messages_are_counted_within_one_input() {
    let mut client = logged_in(2, &SendingLedger::default(), ANI);
    let replies = client.say(&ONE_MESSAGE.repeat(3));
    assert_eq!(
        codes(&replies),
        [250, 250, 354, 250, 250, 250, 354, 250, 451, 503, 503, 500, 500],
        "the third MAIL is refused, so its RCPT, DATA and text lines are out of order"
    );
    assert_eq!(accepted(&mut client).len(), 2);
}

#[test]
fn test_ready_mail_in_a_new_hour_is_accepted_again() {
    let mut client = logged_in(1, &SendingLedger::default(), ANI);
    client.say(ONE_MESSAGE);
    client.server.set_time(NEXT_HOUR - 1);
    assert_eq!(
        client.one("MAIL FROM:<ani@alpha.example>\r\n").code.get(),
        451
    );
    client.server.set_time(NEXT_HOUR);
    assert_reply(
        &client.one("MAIL FROM:<ani@alpha.example>\r\n"),
        250,
        "2.1.0",
    );
}

#[test]
fn test_ready_without_a_limit_nothing_is_counted_or_refused() {
    let mut client = Client::submission_authenticated();
    let replies = client.say(&ONE_MESSAGE.repeat(8));
    assert!(!codes(&replies).contains(&451));
    assert_eq!(accepted(&mut client).len(), 8);
}
