//! Tests grouped by the state the connection is in when the input arrives
//! (`test_<state>_<event>`), then end-to-end runs on a [`Pair`].

use proptest::prelude::*;

use super::pair::{Pair, Side, CLIENT_ISS, CLIENT_PORT, LATENCY_US, SERVER_ISS, SERVER_PORT};
use super::*;

const MSS: u16 = 1460;
const SECOND: u64 = 1_000_000;

fn flags(names: &str) -> TcpFlags {
    let mut flags = TcpFlags::default();
    for name in names.split('|') {
        match name {
            "SYN" => flags.syn = true,
            "ACK" => flags.ack = true,
            "FIN" => flags.fin = true,
            "RST" => flags.rst = true,
            "PSH" => flags.psh = true,
            other => panic!("unknown flag {other}"),
        }
    }
    flags
}

/// A segment from the server's port to the client under test.
fn to_client(seq: u32, ack: u32, names: &str, payload: &[u8]) -> TcpRepr {
    TcpRepr {
        src_port: SERVER_PORT,
        dst_port: CLIENT_PORT,
        seq,
        ack,
        flags: flags(names),
        window: 65_535,
        mss: None,
        payload: payload.to_vec(),
    }
}

/// A segment from the client's port to the server under test.
fn to_server(seq: u32, ack: u32, names: &str, payload: &[u8]) -> TcpRepr {
    TcpRepr {
        src_port: CLIENT_PORT,
        dst_port: SERVER_PORT,
        ..to_client(seq, ack, names, payload)
    }
}

fn with_mss(segment: TcpRepr, mss: u16) -> TcpRepr {
    TcpRepr {
        mss: Some(mss),
        ..segment
    }
}

fn with_window(segment: TcpRepr, window: u16) -> TcpRepr {
    TcpRepr { window, ..segment }
}

fn drain_segments(connection: &mut TcpConnection, now: u64) -> Vec<TcpRepr> {
    std::iter::from_fn(|| connection.poll_segment(now)).collect()
}

fn drain_events(connection: &mut TcpConnection) -> Vec<TcpEvent> {
    std::iter::from_fn(|| connection.poll_event()).collect()
}

fn changed(from: TcpState, to: TcpState) -> TcpEvent {
    TcpEvent::StateChanged { from, to }
}

/// (seq, ack, flags, payload length) of a segment, for compact assertions.
fn summary(segment: &TcpRepr) -> (u32, u32, TcpFlags, usize) {
    (
        segment.seq,
        segment.ack,
        segment.flags,
        segment.payload.len(),
    )
}

/// Summaries of the segments `connection` sends at `now`.
fn sent_summaries(connection: &mut TcpConnection, now: u64) -> Vec<(u32, u32, TcpFlags, usize)> {
    drain_segments(connection, now)
        .iter()
        .map(summary)
        .collect()
}

/// Throws away what `connection` has to send and report, to start a test from its state.
fn discard_output(connection: &mut TcpConnection, now: u64) {
    let _ = drain_segments(connection, now);
    let _ = drain_events(connection);
}

fn client_in_syn_sent() -> TcpConnection {
    let mut client = TcpConnection::connect(CLIENT_PORT, SERVER_PORT, CLIENT_ISS, MSS);
    discard_output(&mut client, 0);
    client
}

fn client_established() -> TcpConnection {
    let mut client = client_in_syn_sent();
    client.handle_segment(with_mss(to_client(5000, 1001, "SYN|ACK", b""), MSS), 0);
    discard_output(&mut client, 0);
    client
}

fn server_in_syn_received() -> TcpConnection {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    server.handle_segment(with_mss(to_server(1000, 0, "SYN", b""), MSS), 0);
    discard_output(&mut server, 0);
    server
}

fn server_established() -> TcpConnection {
    let mut server = server_in_syn_received();
    server.handle_segment(to_server(1001, 5001, "ACK", b""), 0);
    discard_output(&mut server, 0);
    server
}

/// The client after close(): its FIN (seq 1001) is out, unacknowledged.
fn client_in_fin_wait_1() -> TcpConnection {
    let mut client = client_established();
    client.close().unwrap();
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1001, 5001, flags("FIN|ACK"), 0)]
    );
    let _ = drain_events(&mut client);
    client
}

fn client_in_fin_wait_2() -> TcpConnection {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1002, "ACK", b""), 0);
    assert_eq!(client.state(), TcpState::FinWait2);
    let _ = drain_events(&mut client);
    client
}

fn client_in_time_wait(now: u64) -> TcpConnection {
    let mut client = client_in_fin_wait_2();
    client.handle_segment(to_client(5001, 1002, "FIN|ACK", b""), now);
    discard_output(&mut client, now);
    client
}

fn server_in_close_wait() -> TcpConnection {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "FIN|ACK", b""), 0);
    discard_output(&mut server, 0);
    server
}

// ----- names -----------------------------------------------------------------------------

#[test]
fn test_states_display_rfc_names() {
    let names: Vec<String> = [
        TcpState::Closed,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names,
        [
            "CLOSED",
            "LISTEN",
            "SYN-SENT",
            "SYN-RECEIVED",
            "ESTABLISHED",
            "FIN-WAIT-1",
            "FIN-WAIT-2",
            "CLOSE-WAIT",
            "CLOSING",
            "LAST-ACK",
            "TIME-WAIT"
        ]
    );
    let change = changed(TcpState::SynSent, TcpState::Established);
    assert_eq!(change.to_string(), "SYN-SENT → ESTABLISHED");
    assert_eq!(TcpEvent::Refused.to_string(), "connection refused");
}

// ----- CLOSED (no connection: RFC 9293 §3.10.7.1) ----------------------------------------

#[test]
fn test_closed_port_syn_gets_rst_ack() {
    let reply = reply_to_closed_port(&to_server(1000, 0, "SYN", b"")).unwrap();
    assert_eq!((reply.src_port, reply.dst_port), (SERVER_PORT, CLIENT_PORT));
    assert_eq!(summary(&reply), (0, 1001, flags("RST|ACK"), 0));
}

#[test]
fn test_closed_port_data_without_ack_is_acknowledged_in_rst() {
    let reply = reply_to_closed_port(&to_server(1000, 0, "FIN", b"hello")).unwrap();
    assert_eq!(summary(&reply), (0, 1006, flags("RST|ACK"), 0));
}

#[test]
fn test_closed_port_ack_gets_rst_at_its_ack_number() {
    let reply = reply_to_closed_port(&to_server(1001, 77, "ACK", b"x")).unwrap();
    assert_eq!(summary(&reply), (77, 0, flags("RST"), 0));
}

#[test]
fn test_closed_port_rst_gets_no_answer() {
    assert_eq!(reply_to_closed_port(&to_server(1, 2, "RST|ACK", b"")), None);
}

#[test]
fn test_closed_connection_answers_like_a_closed_port() {
    let mut client = client_established();
    client.abort();
    let _ = drain_segments(&mut client, 0);
    client.handle_segment(to_client(5001, 1001, "ACK", b"late"), 0);
    assert_eq!(sent_summaries(&mut client, 0), [(1001, 0, flags("RST"), 0)]);
}

#[test]
fn test_closed_send_and_close_are_errors() {
    let mut client = client_established();
    client.abort();
    assert_eq!(client.send(b"x"), Err(TcpError::ConnectionDoesNotExist));
    assert_eq!(client.close(), Err(TcpError::ConnectionDoesNotExist));
}

// ----- LISTEN ----------------------------------------------------------------------------

#[test]
fn test_listen_syn_answers_syn_ack() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    assert_eq!(
        drain_events(&mut server),
        [changed(TcpState::Closed, TcpState::Listen)]
    );
    server.handle_segment(with_mss(to_server(1000, 0, "SYN", b""), MSS), 0);
    let replies = drain_segments(&mut server, 0);
    assert_eq!(replies.len(), 1);
    assert_eq!(summary(&replies[0]), (5000, 1001, flags("SYN|ACK"), 0));
    assert_eq!(replies[0].mss, Some(MSS));
    assert_eq!(replies[0].window, 65_535);
    assert_eq!(
        (replies[0].src_port, replies[0].dst_port),
        (SERVER_PORT, CLIENT_PORT)
    );
    assert_eq!(server.remote_port(), CLIENT_PORT);
    assert_eq!(
        drain_events(&mut server),
        [changed(TcpState::Listen, TcpState::SynReceived)]
    );
}

#[test]
fn test_listen_ack_gets_rst() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    server.handle_segment(to_server(1001, 9999, "ACK", b""), 0);
    assert_eq!(sent_summaries(&mut server, 0), [(9999, 0, flags("RST"), 0)]);
    assert_eq!(server.state(), TcpState::Listen);
}

#[test]
fn test_listen_rst_is_ignored() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    server.handle_segment(to_server(1001, 0, "RST", b""), 0);
    assert_eq!(drain_segments(&mut server, 0), []);
    assert_eq!(server.state(), TcpState::Listen);
}

#[test]
fn test_listen_close_goes_closed() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    let _ = drain_events(&mut server);
    server.close().unwrap();
    assert_eq!(
        drain_events(&mut server),
        [
            changed(TcpState::Listen, TcpState::Closed),
            TcpEvent::Closed
        ]
    );
}

#[test]
fn test_listen_send_is_error() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    assert_eq!(server.send(b"hi"), Err(TcpError::ForeignSocketUnspecified));
}

#[test]
fn test_listen_segment_for_another_port_is_ignored() {
    let mut server = TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS);
    let stray = TcpRepr {
        dst_port: 80,
        ..to_server(1000, 0, "SYN", b"")
    };
    server.handle_segment(stray, 0);
    assert_eq!(server.state(), TcpState::Listen);
    assert_eq!(drain_segments(&mut server, 0), []);
}

// ----- SYN-SENT --------------------------------------------------------------------------

#[test]
fn test_syn_sent_connect_emits_syn() {
    let mut client = TcpConnection::connect(CLIENT_PORT, SERVER_PORT, CLIENT_ISS, MSS);
    assert_eq!(
        drain_events(&mut client),
        [changed(TcpState::Closed, TcpState::SynSent)]
    );
    let syn = client.poll_segment(0).unwrap();
    assert_eq!(summary(&syn), (1000, 0, flags("SYN"), 0));
    assert_eq!(syn.mss, Some(MSS));
    assert_eq!(syn.window, 65_535);
    assert_eq!(client.poll_segment(0), None);
    assert_eq!(client.poll_timeout(), Some(SECOND));
}

#[test]
fn test_syn_sent_syn_ack_establishes_and_acks() {
    let mut client = client_in_syn_sent();
    client.handle_segment(with_mss(to_client(5000, 1001, "SYN|ACK", b""), MSS), 0);
    let replies = drain_segments(&mut client, 0);
    assert_eq!(
        replies.iter().map(summary).collect::<Vec<_>>(),
        [(1001, 5001, flags("ACK"), 0)]
    );
    assert_eq!(replies[0].mss, None);
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::SynSent, TcpState::Established),
            TcpEvent::Connected
        ]
    );
    assert_eq!(client.poll_timeout(), None);
}

#[test]
fn test_syn_sent_syn_ack_without_mss_assumes_536() {
    let mut client = client_in_syn_sent();
    client.handle_segment(to_client(5000, 1001, "SYN|ACK", b""), 0);
    assert_eq!(client.mss(), DEFAULT_MSS);
}

#[test]
fn test_syn_sent_rst_ack_is_refused() {
    let mut client = client_in_syn_sent();
    client.handle_segment(to_client(0, 1001, "RST|ACK", b""), 0);
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::SynSent, TcpState::Closed),
            TcpEvent::Refused
        ]
    );
    assert_eq!(client.poll_timeout(), None);
    assert_eq!(drain_segments(&mut client, 0), []);
}

#[test]
fn test_syn_sent_rst_without_ack_is_ignored() {
    let mut client = client_in_syn_sent();
    client.handle_segment(to_client(0, 0, "RST", b""), 0);
    assert_eq!(client.state(), TcpState::SynSent);
}

#[test]
fn test_syn_sent_rst_with_wrong_ack_is_ignored() {
    let mut client = client_in_syn_sent();
    client.handle_segment(to_client(0, 4242, "RST|ACK", b""), 0);
    assert_eq!(client.state(), TcpState::SynSent);
    assert_eq!(drain_segments(&mut client, 0), []);
}

#[test]
fn test_syn_sent_wrong_ack_gets_rst() {
    let mut client = client_in_syn_sent();
    client.handle_segment(to_client(5000, 4242, "SYN|ACK", b""), 0);
    assert_eq!(sent_summaries(&mut client, 0), [(4242, 0, flags("RST"), 0)]);
    assert_eq!(client.state(), TcpState::SynSent);
}

#[test]
fn test_syn_sent_syn_without_ack_is_simultaneous_open() {
    let mut client = client_in_syn_sent();
    client.handle_segment(with_mss(to_client(5000, 0, "SYN", b""), MSS), 0);
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1000, 5001, flags("SYN|ACK"), 0)]
    );
    assert_eq!(
        drain_events(&mut client),
        [changed(TcpState::SynSent, TcpState::SynReceived)]
    );
}

#[test]
fn test_syn_sent_unanswered_syn_is_retransmitted_then_times_out() {
    let mut client = TcpConnection::connect(CLIENT_PORT, SERVER_PORT, CLIENT_ISS, MSS);
    let mut sent_at = Vec::new();
    let mut now = 0;
    loop {
        for segment in drain_segments(&mut client, now) {
            assert_eq!(summary(&segment), (1000, 0, flags("SYN"), 0));
            sent_at.push(now / SECOND);
        }
        let Some(deadline) = client.poll_timeout() else {
            break;
        };
        now = deadline;
        client.handle_timeout(now);
    }
    assert_eq!(sent_at, [0, 1, 3, 7, 15, 31]);
    assert_eq!(now, 63 * SECOND);
    let events = drain_events(&mut client);
    assert_eq!(
        events[events.len() - 2..],
        [
            changed(TcpState::SynSent, TcpState::Closed),
            TcpEvent::TimedOut
        ]
    );
}

#[test]
fn test_syn_sent_early_timeout_call_does_nothing() {
    let mut client = client_in_syn_sent();
    client.handle_timeout(SECOND - 1);
    assert_eq!(drain_segments(&mut client, SECOND - 1), []);
    assert_eq!(client.poll_timeout(), Some(SECOND));
}

#[test]
fn test_syn_sent_close_goes_closed() {
    let mut client = client_in_syn_sent();
    client.close().unwrap();
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::SynSent, TcpState::Closed),
            TcpEvent::Closed
        ]
    );
    assert_eq!(drain_segments(&mut client, 0), []);
}

#[test]
fn test_syn_sent_data_queued_goes_out_after_handshake() {
    let mut client = client_in_syn_sent();
    client.send(b"EHLO").unwrap();
    assert_eq!(drain_segments(&mut client, 0), []);
    client.handle_segment(with_mss(to_client(5000, 1001, "SYN|ACK", b""), MSS), 0);
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1001, 5001, flags("ACK|PSH"), 4)]
    );
}

// ----- SYN-RECEIVED ----------------------------------------------------------------------

#[test]
fn test_syn_received_ack_establishes() {
    let mut server = server_in_syn_received();
    server.handle_segment(to_server(1001, 5001, "ACK", b""), 0);
    assert_eq!(
        drain_events(&mut server),
        [
            changed(TcpState::SynReceived, TcpState::Established),
            TcpEvent::Connected
        ]
    );
    assert_eq!(server.poll_timeout(), None);
    assert_eq!(drain_segments(&mut server, 0), []);
}

#[test]
fn test_syn_received_ack_with_data_establishes_and_delivers() {
    let mut server = server_in_syn_received();
    server.handle_segment(to_server(1001, 5001, "ACK|PSH", b"EHLO"), 0);
    assert_eq!(server.state(), TcpState::Established);
    assert_eq!(server.recv(), b"EHLO");
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1005, flags("ACK"), 0)]
    );
}

#[test]
fn test_syn_received_duplicate_syn_resends_syn_ack() {
    let mut server = server_in_syn_received();
    server.handle_segment(with_mss(to_server(1000, 0, "SYN", b""), MSS), 10);
    assert_eq!(
        sent_summaries(&mut server, 10),
        [(5000, 1001, flags("SYN|ACK"), 0)]
    );
    assert_eq!(server.state(), TcpState::SynReceived);
}

#[test]
fn test_syn_received_timeout_resends_syn_ack() {
    let mut server = server_in_syn_received();
    assert_eq!(server.poll_timeout(), Some(SECOND));
    server.handle_timeout(SECOND);
    assert_eq!(
        sent_summaries(&mut server, SECOND),
        [(5000, 1001, flags("SYN|ACK"), 0)]
    );
    assert_eq!(server.poll_timeout(), Some(3 * SECOND));
}

#[test]
fn test_syn_received_rst_returns_to_listen() {
    let mut server = server_in_syn_received();
    server.handle_segment(to_server(1001, 0, "RST", b""), 0);
    assert_eq!(
        drain_events(&mut server),
        [changed(TcpState::SynReceived, TcpState::Listen)]
    );
    assert_eq!(server.poll_timeout(), None);
    assert_eq!(server.remote_port(), 0);
    // And it can take the next SYN.
    server.handle_segment(with_mss(to_server(7000, 0, "SYN", b""), MSS), 0);
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5000, 7001, flags("SYN|ACK"), 0)]
    );
}

#[test]
fn test_syn_received_wrong_ack_gets_rst() {
    let mut server = server_in_syn_received();
    server.handle_segment(to_server(1001, 777, "ACK", b""), 0);
    assert_eq!(sent_summaries(&mut server, 0), [(777, 0, flags("RST"), 0)]);
    assert_eq!(server.state(), TcpState::SynReceived);
}

#[test]
fn test_syn_received_close_sends_fin_once_established() {
    let mut server = server_in_syn_received();
    server.close().unwrap();
    assert_eq!(server.state(), TcpState::SynReceived);
    assert_eq!(server.send(b"late"), Err(TcpError::ConnectionClosing));
    server.handle_segment(to_server(1001, 5001, "ACK", b""), 0);
    assert_eq!(
        drain_events(&mut server),
        [
            changed(TcpState::SynReceived, TcpState::Established),
            TcpEvent::Connected,
            changed(TcpState::Established, TcpState::FinWait1)
        ]
    );
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("FIN|ACK"), 0)]
    );
}

// ----- ESTABLISHED -----------------------------------------------------------------------

#[test]
fn test_established_data_is_acknowledged_by_bytes() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "ACK|PSH", b"HELO a\r\n"), 0);
    assert_eq!(
        drain_events(&mut server),
        [TcpEvent::DataReceived { len: 8 }]
    );
    let replies = drain_segments(&mut server, 0);
    assert_eq!(
        replies.iter().map(summary).collect::<Vec<_>>(),
        [(5001, 1009, flags("ACK"), 0)]
    );
    assert_eq!(replies[0].window, 65_535 - 8);
    assert_eq!(server.recv(), b"HELO a\r\n");
    assert_eq!(server.recv(), b"");
}

#[test]
fn test_established_send_is_cut_at_mss() {
    let mut client = client_established();
    client.send(&[7; 4000]).unwrap();
    assert_eq!(
        sent_summaries(&mut client, 0),
        [
            (1001, 5001, flags("ACK"), 1460),
            (2461, 5001, flags("ACK"), 1460),
            (3921, 5001, flags("ACK|PSH"), 1080)
        ]
    );
    assert_eq!(client.poll_timeout(), Some(SECOND));
}

#[test]
fn test_established_mss_is_the_smaller_of_both() {
    let mut client = client_in_syn_sent();
    client.handle_segment(with_mss(to_client(5000, 1001, "SYN|ACK", b""), 536), 0);
    let _ = drain_segments(&mut client, 0);
    assert_eq!(client.mss(), 536);
    client.send(&[1; 1000]).unwrap();
    let lengths: Vec<usize> = drain_segments(&mut client, 0)
        .iter()
        .map(|segment| segment.payload.len())
        .collect();
    assert_eq!(lengths, [536, 464]);
}

#[test]
fn test_established_peer_mss_of_zero_still_sends_one_byte_segments() {
    let mut client = client_in_syn_sent();
    client.handle_segment(with_mss(to_client(5000, 1001, "SYN|ACK", b""), 0), 0);
    let _ = drain_segments(&mut client, 0);
    client.send(b"ab").unwrap();
    let lengths: Vec<usize> = drain_segments(&mut client, 0)
        .iter()
        .map(|segment| segment.payload.len())
        .collect();
    assert_eq!(lengths, [1, 1]);
}

#[test]
fn test_established_ack_stops_the_timer_and_frees_the_buffer() {
    let mut client = client_established();
    client.send(b"hello").unwrap();
    let _ = drain_segments(&mut client, 0);
    client.handle_segment(to_client(5001, 1004, "ACK", b""), 20);
    assert_eq!(
        client.poll_timeout(),
        Some(20 + SECOND),
        "restarted for the rest"
    );
    client.handle_segment(to_client(5001, 1006, "ACK", b""), 30);
    assert_eq!(client.poll_timeout(), None);
    client.handle_timeout(10 * SECOND);
    assert_eq!(drain_segments(&mut client, 10 * SECOND), []);
}

#[test]
fn test_established_timeout_goes_back_to_the_oldest_unacknowledged_byte() {
    let mut client = client_established();
    client.send(&[9; 3000]).unwrap();
    let _ = drain_segments(&mut client, 0);
    // The first segment arrived, the other two were lost.
    client.handle_segment(to_client(5001, 2461, "ACK", b""), 10);
    client.handle_timeout(10 + SECOND);
    assert_eq!(
        sent_summaries(&mut client, 10 + SECOND),
        [
            (2461, 5001, flags("ACK"), 1460),
            (3921, 5001, flags("ACK|PSH"), 80)
        ]
    );
    assert_eq!(client.poll_timeout(), Some(10 + 3 * SECOND), "RTO doubled");
}

#[test]
fn test_established_duplicate_segment_is_acknowledged_not_delivered() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "ACK", b"abc"), 0);
    server.handle_segment(to_server(1001, 5001, "ACK", b"abc"), 0);
    assert_eq!(server.recv(), b"abc");
    let replies = drain_segments(&mut server, 0);
    assert!(replies
        .iter()
        .all(|reply| summary(reply) == (5001, 1004, flags("ACK"), 0)));
    assert!(!replies.is_empty());
}

#[test]
fn test_established_overlapping_segment_delivers_only_new_bytes() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "ACK", b"abc"), 0);
    server.handle_segment(to_server(1002, 5001, "ACK", b"bcdef"), 0);
    assert_eq!(server.recv(), b"abcdef");
}

#[test]
fn test_established_out_of_order_segment_is_dropped_and_reacknowledged() {
    let mut server = server_established();
    server.handle_segment(to_server(1004, 5001, "ACK", b"def"), 0);
    assert_eq!(server.recv(), b"");
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("ACK"), 0)]
    );
}

#[test]
fn test_established_pure_ack_is_not_acknowledged() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "ACK", b""), 0);
    assert_eq!(drain_segments(&mut server, 0), []);
}

#[test]
fn test_established_segment_outside_window_gets_ack() {
    let mut server = server_established();
    server.handle_segment(to_server(900_000, 5001, "ACK", b"x"), 0);
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("ACK"), 0)]
    );
    assert_eq!(server.recv(), b"");
}

#[test]
fn test_established_ack_of_unsent_data_gets_ack() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 9000, "ACK", b"x"), 0);
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("ACK"), 0)]
    );
    assert_eq!(server.recv(), b"", "the segment is dropped");
}

#[test]
fn test_established_segment_without_ack_is_dropped() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 0, "PSH", b"x"), 0);
    assert_eq!(server.recv(), b"");
    assert_eq!(drain_segments(&mut server, 0), []);
}

#[test]
fn test_established_exact_rst_resets() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 0, "RST", b""), 0);
    assert_eq!(
        drain_events(&mut server),
        [
            changed(TcpState::Established, TcpState::Closed),
            TcpEvent::Reset
        ]
    );
}

#[test]
fn test_established_rst_inside_window_gets_challenge_ack() {
    let mut server = server_established();
    server.handle_segment(to_server(1500, 0, "RST", b""), 0);
    assert_eq!(server.state(), TcpState::Established);
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("ACK"), 0)]
    );
}

#[test]
fn test_established_rst_outside_window_is_dropped_silently() {
    let mut server = server_established();
    server.handle_segment(to_server(999, 0, "RST", b""), 0);
    assert_eq!(server.state(), TcpState::Established);
    assert_eq!(drain_segments(&mut server, 0), []);
}

#[test]
fn test_established_syn_gets_challenge_ack() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 0, "SYN", b""), 0);
    assert_eq!(server.state(), TcpState::Established);
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1001, flags("ACK"), 0)]
    );
}

#[test]
fn test_established_fin_goes_close_wait() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "FIN|ACK", b"QUIT"), 0);
    assert_eq!(
        drain_events(&mut server),
        [
            TcpEvent::DataReceived { len: 4 },
            TcpEvent::PeerClosed,
            changed(TcpState::Established, TcpState::CloseWait)
        ]
    );
    assert_eq!(
        sent_summaries(&mut server, 0),
        [(5001, 1006, flags("ACK"), 0)]
    );
    assert_eq!(server.recv(), b"QUIT");
}

#[test]
fn test_established_out_of_order_fin_is_not_taken() {
    let mut server = server_established();
    server.handle_segment(to_server(1005, 5001, "FIN|ACK", b""), 0);
    assert_eq!(server.state(), TcpState::Established);
}

#[test]
fn test_established_close_sends_fin_after_queued_data() {
    let mut client = client_established();
    client.send(b"QUIT\r\n").unwrap();
    client.close().unwrap();
    assert_eq!(
        drain_events(&mut client),
        [changed(TcpState::Established, TcpState::FinWait1)]
    );
    assert_eq!(
        sent_summaries(&mut client, 0),
        [
            (1001, 5001, flags("ACK|PSH"), 6),
            (1007, 5001, flags("FIN|ACK"), 0)
        ]
    );
}

#[test]
fn test_established_abort_sends_rst() {
    let mut client = client_established();
    client.abort();
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1001, 5001, flags("RST|ACK"), 0)]
    );
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::Established, TcpState::Closed),
            TcpEvent::Closed
        ]
    );
}

#[test]
fn test_established_window_shows_free_buffer() {
    let mut server = server_established();
    server.handle_segment(to_server(1001, 5001, "ACK", &[0; 1000]), 0);
    let replies = drain_segments(&mut server, 0);
    assert_eq!(replies[0].window, 64_535);
    let _ = server.recv();
    server.send(b"250 ok").unwrap();
    let replies = drain_segments(&mut server, 0);
    assert_eq!(replies[0].window, 65_535);
}

#[test]
fn test_established_full_buffer_trims_and_closes_window() {
    let mut server = server_established();
    let mut seq = 1001;
    for _ in 0..45 {
        server.handle_segment(to_server(seq, 5001, "ACK", &[1; 1460]), 0);
        seq += 1460;
    }
    let replies = drain_segments(&mut server, 0);
    let last = replies.last().unwrap();
    assert_eq!(last.window, 0);
    assert_eq!(last.ack, 1001 + 65_535);
    // Reading reopens the window with an update.
    assert_eq!(server.recv().len(), 65_535);
    let update = drain_segments(&mut server, 0);
    assert_eq!(
        update.iter().map(summary).collect::<Vec<_>>(),
        [(5001, 66_536, flags("ACK"), 0)]
    );
    assert_eq!(update[0].window, 65_535);
}

#[test]
fn test_established_zero_window_is_probed_with_one_byte() {
    let mut client = client_established();
    client.handle_segment(with_window(to_client(5001, 1001, "ACK", b""), 0), 0);
    client.send(b"abc").unwrap();
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1001, 5001, flags("ACK"), 1)]
    );
    // The peer keeps answering with a closed window: the client keeps probing past the
    // retransmission limit instead of timing out.
    let mut now = 0;
    for _ in 0..(MAX_RETRANSMISSIONS + 3) {
        now = client.poll_timeout().unwrap();
        client.handle_timeout(now);
        assert_eq!(
            sent_summaries(&mut client, now),
            [(1001, 5001, flags("ACK"), 1)]
        );
        client.handle_segment(with_window(to_client(5001, 1001, "ACK", b""), 0), now);
    }
    assert_eq!(client.state(), TcpState::Established);
    // The window opens: everything goes out at once.
    client.handle_segment(to_client(5001, 1001, "ACK", b""), now);
    assert_eq!(
        sent_summaries(&mut client, now),
        [(1001, 5001, flags("ACK|PSH"), 3)]
    );
}

#[test]
fn test_established_send_respects_peer_window() {
    let mut client = client_established();
    client.handle_segment(with_window(to_client(5001, 1001, "ACK", b""), 2000), 0);
    client.send(&[5; 4000]).unwrap();
    let lengths: Vec<usize> = drain_segments(&mut client, 0)
        .iter()
        .map(|segment| segment.payload.len())
        .collect();
    assert_eq!(lengths, [1460, 540]);
}

// ----- FIN-WAIT-1 ------------------------------------------------------------------------

#[test]
fn test_fin_wait_1_ack_of_fin_goes_fin_wait_2() {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1002, "ACK", b""), 0);
    assert_eq!(
        drain_events(&mut client),
        [changed(TcpState::FinWait1, TcpState::FinWait2)]
    );
    assert_eq!(client.poll_timeout(), None);
}

#[test]
fn test_fin_wait_1_fin_goes_closing() {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1001, "FIN|ACK", b""), 0);
    assert_eq!(
        drain_events(&mut client),
        [
            TcpEvent::PeerClosed,
            changed(TcpState::FinWait1, TcpState::Closing)
        ]
    );
    assert_eq!(
        sent_summaries(&mut client, 0),
        [(1002, 5002, flags("ACK"), 0)]
    );
}

#[test]
fn test_fin_wait_1_fin_with_ack_of_fin_goes_time_wait() {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1002, "FIN|ACK", b""), 0);
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::FinWait1, TcpState::FinWait2),
            TcpEvent::PeerClosed,
            changed(TcpState::FinWait2, TcpState::TimeWait)
        ]
    );
}

#[test]
fn test_fin_wait_1_unacknowledged_fin_is_retransmitted() {
    let mut client = client_in_fin_wait_1();
    client.handle_timeout(SECOND);
    assert_eq!(
        sent_summaries(&mut client, SECOND),
        [(1001, 5001, flags("FIN|ACK"), 0)]
    );
}

#[test]
fn test_fin_wait_1_send_and_close_are_errors() {
    let mut client = client_in_fin_wait_1();
    assert_eq!(client.send(b"more"), Err(TcpError::ConnectionClosing));
    assert_eq!(client.close(), Err(TcpError::ConnectionClosing));
}

#[test]
fn test_fin_wait_1_still_receives_data() {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1001, "ACK", b"221 bye"), 0);
    assert_eq!(client.recv(), b"221 bye");
}

// ----- FIN-WAIT-2 ------------------------------------------------------------------------

#[test]
fn test_fin_wait_2_fin_goes_time_wait_and_acks() {
    let mut client = client_in_fin_wait_2();
    client.handle_segment(to_client(5001, 1002, "FIN|ACK", b""), 7);
    assert_eq!(
        drain_events(&mut client),
        [
            TcpEvent::PeerClosed,
            changed(TcpState::FinWait2, TcpState::TimeWait)
        ]
    );
    assert_eq!(
        sent_summaries(&mut client, 7),
        [(1002, 5002, flags("ACK"), 0)]
    );
    assert_eq!(client.poll_timeout(), Some(7 + TIME_WAIT_US));
}

// ----- CLOSE-WAIT ------------------------------------------------------------------------

#[test]
fn test_close_wait_close_goes_last_ack_with_fin() {
    let mut server = server_in_close_wait();
    server.send(b"221 bye").unwrap();
    server.close().unwrap();
    assert_eq!(
        drain_events(&mut server),
        [changed(TcpState::CloseWait, TcpState::LastAck)]
    );
    assert_eq!(
        sent_summaries(&mut server, 0),
        [
            (5001, 1002, flags("ACK|PSH"), 7),
            (5008, 1002, flags("FIN|ACK"), 0)
        ]
    );
}

#[test]
fn test_close_wait_more_text_is_ignored() {
    let mut server = server_in_close_wait();
    server.handle_segment(to_server(1002, 5001, "ACK", b"late"), 0);
    assert_eq!(server.recv(), b"");
}

// ----- LAST-ACK --------------------------------------------------------------------------

#[test]
fn test_last_ack_ack_of_fin_goes_closed() {
    let mut server = server_in_close_wait();
    server.close().unwrap();
    discard_output(&mut server, 0);
    server.handle_segment(to_server(1002, 5002, "ACK", b""), 0);
    assert_eq!(
        drain_events(&mut server),
        [
            changed(TcpState::LastAck, TcpState::Closed),
            TcpEvent::Closed
        ]
    );
    assert_eq!(server.poll_timeout(), None);
}

#[test]
fn test_last_ack_unanswered_fin_times_out() {
    let mut server = server_in_close_wait();
    server.close().unwrap();
    let mut now = 0;
    let mut fins = drain_segments(&mut server, now).len();
    while let Some(deadline) = server.poll_timeout() {
        now = deadline;
        server.handle_timeout(now);
        fins += drain_segments(&mut server, now).len();
    }
    assert_eq!(fins, 1 + MAX_RETRANSMISSIONS as usize);
    assert_eq!(drain_events(&mut server).last(), Some(&TcpEvent::TimedOut));
}

// ----- CLOSING ---------------------------------------------------------------------------

#[test]
fn test_closing_ack_of_fin_goes_time_wait() {
    let mut client = client_in_fin_wait_1();
    client.handle_segment(to_client(5001, 1001, "FIN|ACK", b""), 0);
    let _ = drain_events(&mut client);
    client.handle_segment(to_client(5002, 1002, "ACK", b""), 5);
    assert_eq!(
        drain_events(&mut client),
        [changed(TcpState::Closing, TcpState::TimeWait)]
    );
    assert_eq!(client.poll_timeout(), Some(5 + TIME_WAIT_US));
}

// ----- TIME-WAIT -------------------------------------------------------------------------

#[test]
fn test_time_wait_expires_after_two_msl() {
    let mut client = client_in_time_wait(0);
    assert_eq!(TIME_WAIT_US, 10 * SECOND);
    client.handle_timeout(TIME_WAIT_US - 1);
    assert_eq!(client.state(), TcpState::TimeWait);
    client.handle_timeout(TIME_WAIT_US);
    assert_eq!(
        drain_events(&mut client),
        [
            changed(TcpState::TimeWait, TcpState::Closed),
            TcpEvent::Closed
        ]
    );
}

#[test]
fn test_time_wait_retransmitted_fin_is_reacknowledged_and_restarts_timer() {
    let mut client = client_in_time_wait(0);
    client.handle_segment(to_client(5001, 1002, "FIN|ACK", b""), 3 * SECOND);
    assert_eq!(
        sent_summaries(&mut client, 3 * SECOND),
        [(1002, 5002, flags("ACK"), 0)]
    );
    assert_eq!(client.poll_timeout(), Some(3 * SECOND + TIME_WAIT_US));
    assert_eq!(client.state(), TcpState::TimeWait);
}

#[test]
fn test_time_wait_abort_goes_closed_without_rst() {
    let mut client = client_in_time_wait(0);
    client.abort();
    assert_eq!(drain_segments(&mut client, 0), []);
    assert_eq!(drain_events(&mut client).last(), Some(&TcpEvent::Closed));
}

// ----- end to end on a Pair --------------------------------------------------------------

/// A drop rule that loses only the first segment `matches` picks.
fn lose_first(matches: impl Fn(Side, &TcpRepr) -> bool) -> impl FnMut(Side, &TcpRepr) -> bool {
    let mut lost = false;
    move |from, segment| {
        let lose = !lost && matches(from, segment);
        lost |= lose;
        lose
    }
}

fn connected_pair(client_mss: u16, server_mss: u16) -> Pair {
    let mut pair = Pair::new(client_mss, server_mss);
    pair.drive();
    assert_eq!(pair.client.state(), TcpState::Established);
    assert_eq!(pair.server.state(), TcpState::Established);
    pair
}

#[test]
fn test_pair_three_way_handshake_numbers() {
    let pair = connected_pair(MSS, MSS);
    let wire: Vec<(Side, u32, u32, TcpFlags)> = pair
        .wire
        .iter()
        .map(|sent| {
            (
                sent.from,
                sent.segment.seq,
                sent.segment.ack,
                sent.segment.flags,
            )
        })
        .collect();
    assert_eq!(
        wire,
        [
            (Side::Client, 1000, 0, flags("SYN")),
            (Side::Server, 5000, 1001, flags("SYN|ACK")),
            (Side::Client, 1001, 5001, flags("ACK"))
        ]
    );
    assert_eq!(pair.client_seen.signals(), [TcpEvent::Connected]);
    assert_eq!(pair.server_seen.signals(), [TcpEvent::Connected]);
    assert_eq!(
        pair.now,
        3 * LATENCY_US,
        "idle once the client's ACK has arrived"
    );
}

#[test]
fn test_pair_mss_negotiation_and_segmentation() {
    let mut pair = connected_pair(1460, 1200);
    assert_eq!((pair.client.mss(), pair.server.mss()), (1200, 1200));
    pair.client.send(&[3; 3000]).unwrap();
    pair.drive();
    let data: Vec<(u32, usize)> = pair
        .sent_by(Side::Client)
        .iter()
        .filter(|segment| !segment.payload.is_empty())
        .map(|segment| (segment.seq, segment.payload.len()))
        .collect();
    assert_eq!(data, [(1001, 1200), (2201, 1200), (3401, 600)]);
    assert_eq!(pair.server_seen.received, vec![3; 3000]);
}

#[test]
fn test_pair_data_both_ways() {
    let mut pair = connected_pair(MSS, MSS);
    pair.server.send(b"220 mx1.beta.example ESMTP\r\n").unwrap();
    pair.drive();
    pair.client.send(b"EHLO mail.alpha.example\r\n").unwrap();
    pair.drive();
    pair.server.send(b"250 mx1.beta.example\r\n").unwrap();
    pair.drive();
    assert_eq!(pair.server_seen.received, b"EHLO mail.alpha.example\r\n");
    assert_eq!(
        pair.client_seen.received,
        b"220 mx1.beta.example ESMTP\r\n250 mx1.beta.example\r\n"
    );
    let last_server_segment = pair
        .sent_by(Side::Server)
        .last()
        .map(|s| (s.seq, s.ack))
        .unwrap();
    assert_eq!(last_server_segment, (5001 + 28, 1001 + 25));
}

#[test]
fn test_pair_client_closes_first() {
    let mut pair = connected_pair(MSS, MSS);
    pair.client.close().unwrap();
    pair.drive_until(|pair| pair.server.state() == TcpState::CloseWait);
    pair.server.close().unwrap();
    pair.drive();
    use TcpState::*;
    assert_eq!(
        pair.client_seen.states(),
        [
            Closed,
            SynSent,
            Established,
            FinWait1,
            FinWait2,
            TimeWait,
            Closed
        ]
    );
    assert_eq!(
        pair.server_seen.states(),
        [
            Closed,
            Listen,
            SynReceived,
            Established,
            CloseWait,
            LastAck,
            Closed
        ]
    );
    assert_eq!(pair.client_seen.signals().last(), Some(&TcpEvent::Closed));
    assert_eq!(pair.server_seen.signals().last(), Some(&TcpEvent::Closed));
    let client_fin = pair
        .sent_by(Side::Client)
        .into_iter()
        .find(|s| s.flags.fin)
        .unwrap();
    let server_fin = pair
        .sent_by(Side::Server)
        .into_iter()
        .find(|s| s.flags.fin)
        .unwrap();
    assert_eq!(
        (client_fin.seq, server_fin.seq, server_fin.ack),
        (1001, 5001, 1002)
    );
    let last = pair
        .sent_by(Side::Client)
        .last()
        .map(|s| summary(s))
        .unwrap();
    assert_eq!(last, (1002, 5002, flags("ACK"), 0));
}

#[test]
fn test_pair_server_closes_first() {
    let mut pair = connected_pair(MSS, MSS);
    pair.server.send(b"221 bye\r\n").unwrap();
    pair.server.close().unwrap();
    pair.drive_until(|pair| pair.client.state() == TcpState::CloseWait);
    pair.client.close().unwrap();
    pair.drive();
    use TcpState::*;
    assert_eq!(
        pair.server_seen.states(),
        [
            Closed,
            Listen,
            SynReceived,
            Established,
            FinWait1,
            FinWait2,
            TimeWait,
            Closed
        ]
    );
    assert_eq!(
        pair.client_seen.states(),
        [Closed, SynSent, Established, CloseWait, LastAck, Closed]
    );
    assert_eq!(pair.client_seen.received, b"221 bye\r\n");
}

#[test]
fn test_pair_simultaneous_close() {
    let mut pair = connected_pair(MSS, MSS);
    pair.client.close().unwrap();
    pair.server.close().unwrap();
    pair.drive();
    use TcpState::*;
    assert_eq!(
        pair.client_seen.states(),
        [
            Closed,
            SynSent,
            Established,
            FinWait1,
            Closing,
            TimeWait,
            Closed
        ]
    );
    assert_eq!(
        pair.server_seen.states(),
        [
            Closed,
            Listen,
            SynReceived,
            Established,
            FinWait1,
            Closing,
            TimeWait,
            Closed
        ]
    );
}

#[test]
fn test_pair_lost_data_segment_is_retransmitted_after_rto_and_delivered_once() {
    let mut pair = Pair::new(MSS, MSS).with_drop_rule(lose_first(|from, segment| {
        from == Side::Client && segment.seq == 2461
    }));
    pair.drive();
    let sent_at = pair.now;
    let message: Vec<u8> = (0..4000u32).map(|n| n as u8).collect();
    pair.client.send(&message).unwrap();
    pair.drive();
    assert_eq!(pair.server_seen.received, message);
    let second_segment: Vec<(u64, bool)> = pair
        .wire
        .iter()
        .filter(|sent| sent.from == Side::Client && sent.segment.seq == 2461)
        .map(|sent| (sent.at, sent.dropped))
        .collect();
    // The timer restarts when the first segment's ACK comes back (RFC 6298 §5.3), so the
    // retransmission leaves one RTO after that ACK.
    let first_ack_at = sent_at + 2 * LATENCY_US;
    assert_eq!(
        second_segment,
        [(sent_at, true), (first_ack_at + SECOND, false)]
    );
    let data_events = pair
        .server_seen
        .events
        .iter()
        .filter(|event| matches!(event, TcpEvent::DataReceived { .. }))
        .count();
    assert_eq!(
        data_events, 3,
        "1460 at once, then the other two after the gap is filled"
    );
}

#[test]
fn test_pair_lost_syn_is_retransmitted() {
    let mut pair = Pair::new(MSS, MSS).with_drop_rule(lose_first(|from, segment| {
        from == Side::Client && segment.flags.syn
    }));
    pair.drive();
    assert_eq!(pair.client.state(), TcpState::Established);
    let syns: Vec<u64> = pair
        .wire
        .iter()
        .filter(|sent| sent.segment.flags.syn && sent.from == Side::Client)
        .map(|sent| sent.at)
        .collect();
    assert_eq!(syns, [0, SECOND]);
}

#[test]
fn test_pair_lost_syn_ack_is_answered_by_the_retransmitted_syn() {
    let mut pair = Pair::new(MSS, MSS).with_drop_rule(lose_first(|from, segment| {
        from == Side::Server && segment.flags.syn
    }));
    pair.drive();
    assert_eq!(pair.client.state(), TcpState::Established);
    assert_eq!(pair.server.state(), TcpState::Established);
    let syn_acks = pair
        .sent_by(Side::Server)
        .iter()
        .filter(|s| s.flags.syn)
        .count();
    assert_eq!(syn_acks, 2, "one lost, one resent");
}

#[test]
fn test_pair_lost_final_ack_is_recovered_from_time_wait() {
    let mut pair = connected_pair(MSS, MSS);
    pair = pair.with_drop_rule(lose_first(|from, segment| {
        // The server's ACK of the client's FIN: the last segment of the connection.
        from == Side::Server && segment.ack == 1002 && !segment.flags.fin
    }));
    pair.server.close().unwrap();
    pair.drive_until(|pair| pair.client.state() == TcpState::CloseWait);
    pair.client.close().unwrap();
    pair.drive();
    assert_eq!(pair.client_seen.signals().last(), Some(&TcpEvent::Closed));
    assert_eq!(pair.server_seen.signals().last(), Some(&TcpEvent::Closed));
    let client_fins = pair
        .sent_by(Side::Client)
        .iter()
        .filter(|s| s.flags.fin)
        .count();
    assert_eq!(client_fins, 2);
}

#[test]
fn test_pair_syn_to_closed_port_is_refused() {
    let mut client = TcpConnection::connect(CLIENT_PORT, SERVER_PORT, CLIENT_ISS, MSS);
    let syn = client.poll_segment(0).unwrap();
    let rst = reply_to_closed_port(&syn).unwrap();
    assert_eq!(summary(&rst), (0, 1001, flags("RST|ACK"), 0));
    client.handle_segment(rst, LATENCY_US * 2);
    assert_eq!(drain_events(&mut client).last(), Some(&TcpEvent::Refused));
    assert_eq!(client.state(), TcpState::Closed);
    assert_eq!(client.poll_timeout(), None);
}

#[test]
fn test_pair_syn_into_the_void_times_out() {
    let mut pair = Pair::new(MSS, MSS).with_drop_rule(|from, _| from == Side::Client);
    pair.drive();
    let syn_seconds: Vec<u64> = pair.wire.iter().map(|sent| sent.at / SECOND).collect();
    assert_eq!(syn_seconds, [0, 1, 3, 7, 15, 31]);
    assert!(pair
        .wire
        .iter()
        .all(|sent| sent.segment.flags == flags("SYN")));
    assert_eq!(pair.now, 63 * SECOND);
    assert_eq!(pair.client_seen.signals(), [TcpEvent::TimedOut]);
    assert_eq!(pair.server.state(), TcpState::Listen);
}

#[test]
fn test_pair_reset_by_abort() {
    let mut pair = connected_pair(MSS, MSS);
    pair.client.abort();
    pair.drive();
    assert_eq!(pair.server_seen.signals().last(), Some(&TcpEvent::Reset));
    assert_eq!(pair.server.state(), TcpState::Closed);
}

#[test]
fn test_pair_slow_reader_closes_window_and_transfer_resumes() {
    let mut pair = connected_pair(MSS, MSS);
    pair.server_reads = false;
    let message: Vec<u8> = (0..100_000u32).map(|n| (n % 251) as u8).collect();
    pair.client.send(&message).unwrap();
    pair.drive_until(|pair| pair.now > 5 * SECOND);
    let zero_window_acks = pair
        .sent_by(Side::Server)
        .iter()
        .filter(|segment| segment.window == 0)
        .count();
    assert!(zero_window_acks > 0);
    assert_eq!(pair.client.state(), TcpState::Established);
    pair.server_reads = true;
    pair.drive();
    assert_eq!(pair.server_seen.received, message);
}

// ----- random loss -----------------------------------------------------------------------

proptest! {
    #[test]
    fn prop_random_loss_never_panics_and_delivers_in_order(
        losses in prop::collection::vec(prop::bool::weighted(0.3), 0..80),
        client_chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2500), 0..5),
        server_chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..2500), 0..5),
        client_mss in 64u16..=1460,
        server_mss in 64u16..=1460,
    ) {
        let mut loss_pattern = losses.into_iter();
        let mut pair = Pair::new(client_mss, server_mss)
            .with_drop_rule(move |_, _| loss_pattern.next().unwrap_or(false));
        pair.drive_until(|pair| pair.server.state() != TcpState::Listen
            && pair.server.state() != TcpState::SynReceived);
        let mut client_sent = Vec::new();
        let mut server_sent = Vec::new();
        for index in 0..client_chunks.len().max(server_chunks.len()) {
            if let Some(chunk) = client_chunks.get(index) {
                if pair.client.send(chunk).is_ok() {
                    client_sent.extend_from_slice(chunk);
                }
            }
            if let Some(chunk) = server_chunks.get(index) {
                if pair.server.send(chunk).is_ok() {
                    server_sent.extend_from_slice(chunk);
                }
            }
            pair.step();
        }
        let _ = pair.client.close();
        let _ = pair.server.close();
        pair.drive();

        for (seen, peer_sent) in [(&pair.client_seen, &server_sent), (&pair.server_seen, &client_sent)] {
            prop_assert!(peer_sent.starts_with(&seen.received));
            if seen.events.contains(&TcpEvent::PeerClosed) {
                prop_assert_eq!(&seen.received, peer_sent);
            }
            let endings = seen.signals().iter().filter(|event| matches!(
                event, TcpEvent::Closed | TcpEvent::Reset | TcpEvent::Refused | TcpEvent::TimedOut
            )).count();
            prop_assert!(endings <= 1);
        }
        prop_assert_eq!(
            pair.client_seen.signals().iter().any(|e| matches!(e, TcpEvent::Closed | TcpEvent::Reset | TcpEvent::Refused | TcpEvent::TimedOut)),
            pair.client.state() == TcpState::Closed
        );
    }

    #[test]
    fn prop_any_segment_in_any_state_never_panics(
        seq in any::<u32>(),
        ack in any::<u32>(),
        syn in any::<bool>(),
        fin in any::<bool>(),
        rst in any::<bool>(),
        ack_flag in any::<bool>(),
        window in any::<u16>(),
        mss in proptest::option::of(any::<u16>()),
        payload in prop::collection::vec(any::<u8>(), 0..3000),
        fixture in 0usize..8,
    ) {
        let mut connection = match fixture {
            0 => TcpConnection::listen(SERVER_PORT, SERVER_ISS, MSS),
            1 => server_in_syn_received(),
            2 => server_established(),
            3 => server_in_close_wait(),
            4 => client_in_syn_sent(),
            5 => client_in_fin_wait_1(),
            6 => client_in_fin_wait_2(),
            _ => client_in_time_wait(0),
        };
        let (src_port, dst_port) = (connection.remote_port(), connection.local_port());
        let src_port = if src_port == 0 { CLIENT_PORT } else { src_port };
        let segment = TcpRepr {
            src_port,
            dst_port,
            seq,
            ack,
            flags: TcpFlags { syn, fin, rst, ack: ack_flag, ..TcpFlags::default() },
            window,
            mss,
            payload,
        };
        connection.handle_segment(segment, 1);
        connection.send(b"x").ok();
        let _ = drain_segments(&mut connection, 1);
        connection.handle_timeout(u64::MAX);
        discard_output(&mut connection, u64::MAX);
    }
}

#[test]
fn test_bytes_of_reads_across_the_wrap_of_the_buffer() {
    let mut buffer: VecDeque<u8> = VecDeque::with_capacity(8);
    buffer.extend(0..6u8);
    buffer.drain(..4);
    buffer.extend(6..12u8);
    let (front, back) = buffer.as_slices();
    assert!(!front.is_empty() && !back.is_empty(), "the buffer wraps");
    let all: Vec<u8> = buffer.iter().copied().collect();
    for start in 0..=all.len() {
        for end in start..=all.len() {
            assert_eq!(
                bytes_of(&buffer, start..end),
                all[start..end],
                "{start}..{end}"
            );
        }
    }
}
