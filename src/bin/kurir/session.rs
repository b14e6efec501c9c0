//! One TCP connection driving one sans-IO `SmtpServer`.
//!
//! The loop: read what the client sent, hand it to the engine one line at a time (so the log
//! shows each command next to its reply), act on the engine's events (store accepted mail),
//! then write the engine's output. Accepted mail is stored before the `250` that confirms it
//! leaves, so a client that has its `250` finds the file. A session that stays silent longer
//! than the idle timeout is closed with the engine's `421` (RFC 5321 §3.8, §4.5.3.2.7).

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};

use kurir::proto::smtp::{PeerInfo, ServerEvent, SessionState, SmtpServer};

use crate::clock::unix_now;
use crate::delivery;
use crate::log;
use crate::serve::Service;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;

/// Why a session ended, as the log says it.
enum Ending {
    /// The engine closed the session: QUIT answered, or 421 sent.
    ServerClosed,
    ClientDisconnected,
    IdleTimeout,
    Failed(io::Error),
}

impl Ending {
    fn describe(&self) -> String {
        match self {
            Ending::ServerClosed => "closed by the server".into(),
            Ending::ClientDisconnected => "the client disconnected".into(),
            Ending::IdleTimeout => "idle timeout, sent 421".into(),
            Ending::Failed(e) => format!("connection error: {e}"),
        }
    }
}

/// Serves one connection until it ends; logs its opening and closing.
pub fn run(stream: TcpStream, peer: SocketAddr, session_id: u64, service: &Service) {
    let mut session = Session::new(stream, peer, session_id, service);
    session.log(format!(
        "session opened: {peer} → {} {}",
        service.policy.host_name, service.label
    ));
    let ending = session.serve();
    session.log(format!("session closed: {}", ending.describe()));
}

struct Session<'a> {
    stream: TcpStream,
    server: SmtpServer,
    service: &'a Service,
    prefix: String,
    transcript: Transcript,
}

impl<'a> Session<'a> {
    fn new(stream: TcpStream, peer: SocketAddr, session_id: u64, service: &'a Service) -> Self {
        let peer_info = PeerInfo {
            address: peer.ip().to_string(),
            name: None,
            session_id,
        };
        Self {
            stream,
            server: SmtpServer::new(service.policy.clone(), peer_info, unix_now()),
            service,
            prefix: format!("[#{session_id}]"),
            transcript: Transcript::default(),
        }
    }

    fn serve(&mut self) -> Ending {
        if let Err(e) = self.configure_socket() {
            return Ending::Failed(e);
        }
        let ending = self.exchange();
        let _ = self.stream.shutdown(Shutdown::Both);
        ending
    }

    fn configure_socket(&self) -> io::Result<()> {
        self.stream
            .set_read_timeout(Some(self.service.idle_timeout))?;
        self.stream
            .set_write_timeout(Some(self.service.idle_timeout))?;
        self.stream.set_nodelay(true)
    }

    fn exchange(&mut self) -> Ending {
        let mut buffer = vec![0; READ_CHUNK];
        loop {
            self.handle_events();
            if let Err(e) = self.write_output() {
                return Ending::Failed(e);
            }
            if self.server.is_closed() {
                return Ending::ServerClosed;
            }
            match self.stream.read(&mut buffer) {
                Ok(0) => return Ending::ClientDisconnected,
                Ok(n) => self.feed(&buffer[..n]),
                Err(e) if is_timeout(&e) => return self.close_idle(),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Ending::Failed(e),
            }
        }
    }

    /// Gives the engine the bytes line by line, so each logged command precedes its reply.
    fn feed(&mut self, bytes: &[u8]) {
        self.server.set_time(unix_now());
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            if self.server.is_closed() {
                break;
            }
            let shown = self.transcript.client_bytes(piece, self.server.state());
            self.log_transcript(shown);
            self.server.handle_input(piece);
            let shown = self.transcript.after_input(self.server.state());
            self.log_transcript(shown);
            self.handle_events();
        }
    }

    fn close_idle(&mut self) -> Ending {
        self.server.shutdown();
        self.handle_events();
        let _ = self.write_output();
        Ending::IdleTimeout
    }

    fn handle_events(&mut self) {
        while let Some(event) = self.server.poll_event() {
            match event {
                ServerEvent::Replied { reply, .. } => {
                    let wire = reply.to_wire();
                    for line in wire.lines() {
                        self.log_transcript(Some(format!("S: {line}")));
                    }
                }
                ServerEvent::DotUnstuffed { line } => {
                    self.log_transcript(Some(format!(
                        "   (removed the stuffed dot of message line {line})"
                    )));
                }
                ServerEvent::MessageAccepted(message) => {
                    self.log(delivery::summary(&message));
                    let local_domains = &self.service.policy.local_domains;
                    let stores = delivery::Stores {
                        mail_dir: self.service.mail_dir.as_ref(),
                        maildrops: self.service.maildrops.as_deref(),
                        world: Some(&self.service.world),
                    };
                    for outcome in delivery::deliver(&message, local_domains, stores) {
                        self.log(outcome);
                    }
                }
                ServerEvent::Authenticated { user } => self.log(format!("authenticated as {user}")),
                ServerEvent::Closed => {}
            }
        }
    }

    fn write_output(&mut self) -> io::Result<()> {
        let mut pending = Vec::new();
        while let Some(bytes) = self.server.poll_output() {
            pending.extend_from_slice(&bytes);
        }
        if pending.is_empty() {
            return Ok(());
        }
        self.stream.write_all(&pending)?;
        self.stream.flush()
    }

    fn log(&self, text: impl std::fmt::Display) {
        log::line(format!("{} {text}", self.prefix));
    }

    fn log_transcript(&self, line: Option<String>) {
        if let (true, Some(line)) = (self.service.transcript, line) {
            self.log(line);
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// What the client said, as the log shows it: commands verbatim, credentials hidden, message
/// data summed up in one line once the final "." has ended it.
#[derive(Default)]
struct Transcript {
    /// The start of the line being received (a line can arrive in several reads).
    line_start: Vec<u8>,
    line_kind: Option<LineKind>,
    message_lines: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Command,
    Credentials,
    MessageData,
}

/// Enough of a line to log it; the rest of a 10 kB line only adds to its length.
const KEPT_LINE_START: usize = 512;

impl Transcript {
    /// Takes a piece of client input that ends at a line end or at the end of a read; returns
    /// the line to log when the piece completes a command line.
    fn client_bytes(&mut self, piece: &[u8], state: SessionState) -> Option<String> {
        let kind = *self.line_kind.get_or_insert(match state {
            SessionState::Data => LineKind::MessageData,
            SessionState::Authenticating => LineKind::Credentials,
            _ => LineKind::Command,
        });
        let room = KEPT_LINE_START.saturating_sub(self.line_start.len());
        self.line_start
            .extend_from_slice(&piece[..piece.len().min(room)]);
        if !piece.ends_with(b"\n") {
            return None;
        }
        self.line_kind = None;
        let line = std::mem::take(&mut self.line_start);
        match kind {
            LineKind::Command => Some(format!("C: {}", hide_auth_response(&log::printable(&line)))),
            LineKind::Credentials => Some("C: (credentials, not logged)".into()),
            LineKind::MessageData => {
                self.message_lines += 1;
                None
            }
        }
    }

    /// After the engine took the input: once DATA has ended, one line sums up the message.
    fn after_input(&mut self, state: SessionState) -> Option<String> {
        if self.message_lines == 0 || state == SessionState::Data {
            return None;
        }
        let lines = std::mem::take(&mut self.message_lines);
        Some(format!(
            "C: (message data: {} lines, then \".\")",
            lines - 1
        ))
    }
}

/// `AUTH PLAIN dGVzdAB0ZXN0ADEyMw==` → `AUTH PLAIN (credentials, not logged)`.
fn hide_auth_response(command: &str) -> String {
    let mut words = command.splitn(3, ' ');
    match (words.next(), words.next(), words.next()) {
        (Some(verb), Some(mechanism), Some(_)) if verb.eq_ignore_ascii_case("AUTH") => {
            format!("{verb} {mechanism} (credentials, not logged)")
        }
        _ => command.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_the_log() {
        assert_eq!(
            hide_auth_response("AUTH PLAIN AGFuaQBhbmkxMjM="),
            "AUTH PLAIN (credentials, not logged)"
        );
        assert_eq!(hide_auth_response("AUTH LOGIN"), "AUTH LOGIN");
        let mut transcript = Transcript::default();
        assert_eq!(
            transcript
                .client_bytes(b"YW5pMTIz\r\n", SessionState::Authenticating)
                .as_deref(),
            Some("C: (credentials, not logged)")
        );
    }

    #[test]
    fn a_command_split_across_reads_is_logged_once_whole() {
        let mut transcript = Transcript::default();
        assert_eq!(
            transcript.client_bytes(b"EHLO lap", SessionState::Greeted),
            None
        );
        assert_eq!(
            transcript
                .client_bytes(b"top\r\n", SessionState::Greeted)
                .as_deref(),
            Some("C: EHLO laptop")
        );
    }

    #[test]
    fn message_data_is_summed_up_when_it_ends() {
        let mut transcript = Transcript::default();
        for line in [&b"Subject: hi\r\n"[..], b"\r\n", b"hello\r\n", b".\r\n"] {
            assert_eq!(transcript.client_bytes(line, SessionState::Data), None);
        }
        assert_eq!(
            transcript.after_input(SessionState::Ready).as_deref(),
            Some("C: (message data: 3 lines, then \".\")")
        );
        assert_eq!(transcript.after_input(SessionState::Ready), None);
    }
}
