//! One TCP connection driving one sans-IO `Pop3Server` over serve's mailboxes.
//!
//! After a good password the session locks the user's maildrop (a second session for the
//! same user gets `-ERR [IN-USE]` meanwhile) and hands the engine a snapshot of it. `QUIT`
//! removes what was marked; a session that ends any other way — the client vanishes, the
//! idle timeout strikes, the thread panics — unlocks the maildrop and deletes nothing
//! (RFC 1939 §6), because the hold lives in a guard that unlocks when dropped.

use std::io::{self, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};

use kurir::mail::maildrop::{LockError, Maildrops};
use kurir::proto::pop3::{MaildropMessage, Pop3Event, Pop3Server, Pop3State};

use crate::log;
use crate::mailbox_service::MailboxService;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 4 * 1024;

/// Serves one connection until it ends; logs its opening and closing.
pub fn run(stream: TcpStream, peer: SocketAddr, session_id: u64, service: &MailboxService) {
    let prefix = format!("[#{session_id}]");
    log::line(format!(
        "{prefix} session opened: {peer} → {} POP3",
        service.host_name
    ));
    let mut session = Session {
        server: Pop3Server::new(&service.host_name, service.accounts.clone(), session_id),
        stream,
        service,
        session_id,
        prefix: prefix.clone(),
        hold: None,
    };
    let ending = session.serve();
    drop(session);
    log::line(format!("{prefix} session closed: {ending}"));
}

/// A maildrop this session has locked, with the snapshot the engine was given.
struct Hold {
    maildrops: Arc<Mutex<Maildrops>>,
    address: String,
    session_id: u64,
    snapshot: Vec<MaildropMessage>,
    /// Set by `QUIT`: what to delete as the lock goes.
    deleted: Vec<usize>,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut maildrops = self.maildrops.lock().unwrap_or_else(|p| p.into_inner());
        maildrops
            .maildrop(&self.address)
            .unlock(self.session_id, &self.snapshot, &self.deleted);
    }
}

struct Session<'a> {
    server: Pop3Server,
    stream: TcpStream,
    service: &'a MailboxService,
    session_id: u64,
    prefix: String,
    hold: Option<Hold>,
}

impl Session<'_> {
    fn serve(&mut self) -> String {
        let configured = self
            .stream
            .set_read_timeout(Some(self.service.idle_timeout))
            .and_then(|()| {
                self.stream
                    .set_write_timeout(Some(self.service.idle_timeout))
            });
        if let Err(e) = configured {
            return format!("connection error: {e}");
        }
        let ending = self.exchange();
        let _ = self.stream.shutdown(Shutdown::Both);
        ending
    }

    fn exchange(&mut self) -> String {
        let mut buffer = vec![0; READ_CHUNK];
        loop {
            self.handle_events();
            if let Err(e) = self.write_output() {
                self.server.connection_lost();
                return format!("connection error: {e}");
            }
            if self.server.state() == Pop3State::Update {
                return "closed by the server".into();
            }
            match self.stream.read(&mut buffer) {
                Ok(0) => {
                    self.server.connection_lost();
                    return "the client disconnected (nothing deleted)".into();
                }
                Ok(n) => self.feed(&buffer[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    self.server.connection_lost();
                    return "idle timeout (nothing deleted)".into();
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.server.connection_lost();
                    return format!("connection error: {e}");
                }
            }
        }
    }

    /// Gives the engine the bytes a line at a time, so each logged command precedes its reply.
    fn feed(&mut self, bytes: &[u8]) {
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            if self.service.transcript && piece.ends_with(b"\n") {
                let line = String::from_utf8_lossy(piece);
                let line = line.trim_end();
                let shown = match line.get(..5) {
                    Some(keyword) if keyword.eq_ignore_ascii_case("PASS ") => "PASS ****",
                    _ => line,
                };
                log::line(format!("{} C: {shown}", self.prefix));
            }
            self.server.handle_input(piece);
            self.handle_events();
        }
    }

    fn handle_events(&mut self) {
        while let Some(event) = self.server.poll_event() {
            match event {
                Pop3Event::Replied { ok, text, .. } if self.service.transcript => {
                    let sign = if ok { "+OK" } else { "-ERR" };
                    log::line(format!("{} S: {sign} {text}", self.prefix));
                }
                Pop3Event::Replied { .. } => {}
                Pop3Event::MaildropWanted { user } => self.open_maildrop(&user),
                Pop3Event::Committed { deleted, .. } => {
                    if let Some(hold) = &mut self.hold {
                        log::line(format!(
                            "{} {}: {} deleted at QUIT",
                            self.prefix,
                            hold.address,
                            deleted.len()
                        ));
                        hold.deleted = deleted;
                    }
                    self.hold = None;
                }
                Pop3Event::Closed { .. } => self.hold = None,
            }
        }
    }

    fn open_maildrop(&mut self, user: &str) {
        let address = format!("{user}@{}", self.service.domain);
        let locked = {
            let mut maildrops = self
                .service
                .maildrops
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            maildrops.maildrop(&address).lock(self.session_id)
        };
        match locked {
            Ok(snapshot) => {
                log::line(format!(
                    "{} {address}: maildrop locked, {} messages",
                    self.prefix,
                    snapshot.len()
                ));
                self.hold = Some(Hold {
                    maildrops: Arc::clone(&self.service.maildrops),
                    address,
                    session_id: self.session_id,
                    snapshot: snapshot.clone(),
                    deleted: Vec::new(),
                });
                self.server.grant_maildrop(snapshot);
            }
            Err(LockError::InUse { holder }) => {
                log::line(format!(
                    "{} {address}: maildrop in use by session #{holder}",
                    self.prefix
                ));
                self.server.refuse_maildrop();
            }
        }
    }

    fn write_output(&mut self) -> io::Result<()> {
        while let Some(bytes) = self.server.poll_output() {
            self.stream.write_all(&bytes)?;
        }
        self.stream.flush()
    }
}
