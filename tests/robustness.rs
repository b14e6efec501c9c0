//! Misbehaving clients over real sockets: garbage, an over-long line, a client that vanishes
//! in the middle of DATA, a client that goes silent. None of them may disturb anyone else.

mod common;

use std::time::{Duration, Instant};

use common::{Delivered, Kurir, RawSmtp};

const GOOD_MESSAGE: &[u8] = b"Subject: still here\r\n\r\nDelivered while others misbehaved.\r\n";

/// Opens a session that has a transaction ready for DATA.
fn session_ready_for_data(kurir: &Kurir) -> RawSmtp {
    let mut client = RawSmtp::connect(kurir.relay);
    client.expect("EHLO laptop-ani.alpha.example", "250");
    client.expect("MAIL FROM:<ani@alpha.example>", "250");
    client.expect("RCPT TO:<budi@beta.example>", "250");
    client
}

fn send_garbage_and_vanish(kurir: &Kurir) {
    let mut client = RawSmtp::connect(kurir.relay);
    let garbage: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    client.send(&garbage);
    client.send(&vec![b'x'; 1 << 20]);
    client.vanish();
}

fn send_a_10_kb_line(kurir: &Kurir) {
    let mut client = RawSmtp::connect(kurir.relay);
    let long_line = format!("MAIL FROM:<{}@alpha.example>", "a".repeat(10 * 1024));
    let reply = client.expect(&long_line, "5");
    assert!(
        reply.starts_with("500") || reply.starts_with("501"),
        "a 10 kB command line: {reply:?}"
    );
    client.expect("NOOP", "250");
    client.vanish();
}

fn vanish_in_the_middle_of_data(kurir: &Kurir) {
    let mut client = session_ready_for_data(kurir);
    client.expect("DATA", "354");
    client.send(b"Subject: half a message\r\n\r\nThis never ends");
    client.vanish();
}

#[test]
fn misbehaving_clients_do_not_disturb_a_concurrent_session() {
    let kurir = Kurir::start();
    let mut good = session_ready_for_data(&kurir);

    send_garbage_and_vanish(&kurir);
    send_a_10_kb_line(&kurir);
    vanish_in_the_middle_of_data(&kurir);

    good.expect("DATA", "354");
    good.send(GOOD_MESSAGE);
    good.expect(".", "250");
    good.expect("QUIT", "221");
    let stored = kurir.mailbox("budi@beta.example");
    assert_eq!(
        stored.len(),
        1,
        "only the good session's message, not the half one"
    );
    assert_eq!(Delivered::parse(&stored[0]).message, GOOD_MESSAGE);
    RawSmtp::connect(kurir.relay).expect("QUIT", "221");
}

#[test]
fn a_silent_client_gets_421_after_the_idle_timeout() {
    let kurir = Kurir::start_with(&["--idle-timeout", "1"]);
    let mut client = RawSmtp::connect(kurir.submission);
    client.expect("EHLO laptop-ani.alpha.example", "250");
    let silent_since = Instant::now();
    let reply = client.read_reply();
    let waited = silent_since.elapsed();
    assert!(
        reply.starts_with("421 4."),
        "after the idle timeout: {reply:?}"
    );
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "421 after {waited:?}"
    );
    assert!(client.is_closed_by_server());
    assert!(kurir.wait_for_log("session closed: idle timeout, sent 421", common::LOG_DELAY));
}

#[test]
fn a_busy_client_is_not_cut_off_by_the_idle_timeout() {
    let kurir = Kurir::start_with(&["--idle-timeout", "1"]);
    let mut client = RawSmtp::connect(kurir.relay);
    for _ in 0..4 {
        std::thread::sleep(Duration::from_millis(400));
        client.expect("NOOP", "250");
    }
    client.expect("QUIT", "221");
}
