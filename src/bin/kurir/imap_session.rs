//! One TCP connection driving one sans-IO `ImapServer` over serve's mailboxes.
//!
//! Every session of the process works on the same mailboxes, so what one client does (mark a
//! message read, move it, expunge it) the others hear about at their next command, or at once
//! while they IDLE: the session wakes every [`IDLE_POLL`] to ask the engine whether anything
//! changed.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use kurir::mail::maildrop::DomainMail;
use kurir::proto::imap::response::date_time;
use kurir::proto::imap::server::{ImapServer, ImapState};

use crate::clock::unix_now;
use crate::log;
use crate::mailbox_service::MailboxService;

/// How often a waiting session looks for changes other sessions made.
const IDLE_POLL: Duration = Duration::from_millis(200);
/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 16 * 1024;

/// Serves one connection until it ends; logs its opening and closing.
pub fn run(mut stream: TcpStream, peer: SocketAddr, session_id: u64, service: &MailboxService) {
    let prefix = format!("[#{session_id}]");
    log::line(format!(
        "{prefix} session opened: {peer} → {} IMAP",
        service.host_name
    ));
    let mut server = ImapServer::new(&service.host_name, service.accounts.clone());
    let ending = serve(&mut stream, &mut server, service, &prefix);
    let _ = stream.shutdown(Shutdown::Both);
    log::line(format!("{prefix} session closed: {ending}"));
}

fn serve(
    stream: &mut TcpStream,
    server: &mut ImapServer,
    service: &MailboxService,
    prefix: &str,
) -> String {
    if let Err(e) = stream.set_read_timeout(Some(IDLE_POLL)) {
        return format!("connection error: {e}");
    }
    let mut buffer = vec![0; READ_CHUNK];
    let mut last_heard = Instant::now();
    loop {
        while let Some(bytes) = server.poll_output() {
            if service.transcript {
                log_lines(prefix, "S", &bytes);
            }
            if let Err(e) = stream.write_all(&bytes) {
                return format!("connection error: {e}");
            }
        }
        if server.state() == ImapState::Logout {
            return "logged out".into();
        }
        match stream.read(&mut buffer) {
            Ok(0) => return "the client disconnected".into(),
            Ok(n) => {
                last_heard = Instant::now();
                if service.transcript {
                    log_lines(prefix, "C", &buffer[..n]);
                }
                with_mail(service, |mail| server.handle_input(&buffer[..n], mail));
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if last_heard.elapsed() >= service.idle_timeout {
                    let _ = stream.write_all(b"* BYE idle for too long\r\n");
                    return "idle timeout".into();
                }
                with_mail(service, |mail| server.notify(mail));
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return format!("connection error: {e}"),
        }
    }
}

/// Runs `act` with the domain's mailboxes locked.
fn with_mail(service: &MailboxService, act: impl FnOnce(&mut DomainMail)) {
    let mut maildrops = service.maildrops.lock().unwrap_or_else(|p| p.into_inner());
    let mut mail = DomainMail {
        maildrops: &mut maildrops,
        domain: &service.domain,
        now: date_time(unix_now()),
    };
    act(&mut mail);
}

/// Logs what crossed the wire, a line each; LOGIN's password and literal data are not shown.
fn log_lines(prefix: &str, side: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for line in text.lines().take(20) {
        let shown = match line.split(' ').nth(1) {
            Some(command) if command.eq_ignore_ascii_case("LOGIN") => {
                let user = line.split(' ').nth(2).unwrap_or_default();
                format!(
                    "{} LOGIN {user} ****",
                    line.split(' ').next().unwrap_or_default()
                )
            }
            _ => line.chars().take(200).collect(),
        };
        log::line(format!("{prefix} {side}: {shown}"));
    }
}
