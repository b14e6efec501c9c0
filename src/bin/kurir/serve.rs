//! `kurir serve`: the native loopback bridge. Real mail clients (Python's smtplib, poplib and
//! imaplib, swaks, curl, Thunderbird) talk over real TCP to the same SMTP and POP3 engines the
//! simulated world runs.
//!
//! Mail the SMTP relay port delivers to budi and dewi goes into mx1.beta.example's mailboxes,
//! which its POP3 (`pop3_session`) and IMAP (`imap_session`) ports serve.
//!
//! Mail the submission port accepts for other domains is relayed inside one simulated world
//! per process (`world_relay`): it lands in the recipient's mailbox as the world's MX stored it.
//!
//! Four listeners, one per service of the default world, each accepting in its own thread; every
//! connection gets its own thread, so a slow or broken client only ever holds up itself. A
//! panic in a session (a bug) ends that session and is logged; the server keeps serving.

use std::any::Any;
use std::io;
use std::net::TcpStream;
use std::net::{SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use kurir::mail::maildrop::Maildrops;
use kurir::proto::smtp::ServerPolicy;
use kurir::sim::default_world::{mail_alpha_submission, mx1_beta_relay};

use crate::cli::ServeOptions;
use crate::imap_session;
use crate::log;
use crate::mailbox_service::MailboxService;
use crate::maildir::MailDir;
use crate::pop3_session;
use crate::session;
use crate::world_relay::WorldRelay;

/// Session numbers, unique across the listeners; the engine derives queue ids from them.
static NEXT_SESSION_ID: AtomicU64 = AtomicU64::new(1);

/// A pause after a failed accept (e.g. out of file descriptors), so the loop does not spin.
const ACCEPT_RETRY_PAUSE: Duration = Duration::from_millis(100);

/// Everything a session needs to know about the service it belongs to.
pub struct Service {
    /// "SMTP relay" or "submission", for the log.
    pub label: &'static str,
    pub policy: ServerPolicy,
    pub mail_dir: Option<MailDir>,
    /// The mailboxes its POP3 service reads, for the service that has one.
    pub maildrops: Option<Arc<Mutex<Maildrops>>>,
    pub idle_timeout: Duration,
    pub transcript: bool,
    /// The process's one world, which relays mail for other domains.
    pub world: Arc<WorldRelay>,
}

/// Serves one accepted connection: the stream, the peer, the session number.
type Handler = Arc<dyn Fn(TcpStream, SocketAddr, u64) + Send + Sync>;

/// Binds the listeners, logs where they are, and serves until the process is stopped.
pub fn run(options: ServeOptions) -> io::Result<()> {
    let mail_dir = options.mail_dir.clone().map(MailDir::open).transpose();
    let mail_dir = mail_dir.map_err(|e| with_context(e, "cannot use the mail directory"))?;
    let world = Arc::new(WorldRelay::default());
    let mx1_maildrops = Arc::new(Mutex::new(Maildrops::default()));
    let service = |label, policy, maildrops| {
        Arc::new(Service {
            label,
            policy,
            mail_dir: mail_dir.clone(),
            maildrops,
            idle_timeout: options.idle_timeout,
            transcript: options.transcript,
            world: Arc::clone(&world),
        })
    };
    let relay = service(
        "SMTP relay",
        mx1_beta_relay(),
        Some(Arc::clone(&mx1_maildrops)),
    );
    let submission = service("submission", mail_alpha_submission(), None);
    let mailboxes = Arc::new(MailboxService::of(&relay.policy, mx1_maildrops, &options));
    let listeners = [
        bind(
            options.smtp,
            &relay.policy.host_name,
            relay.label,
            smtp_handler(&relay),
        )?,
        bind(
            options.submission,
            &submission.policy.host_name,
            submission.label,
            smtp_handler(&submission),
        )?,
        bind(options.pop3, &mailboxes.host_name, "POP3", {
            let mailboxes = Arc::clone(&mailboxes);
            Arc::new(move |stream, peer, id| pop3_session::run(stream, peer, id, &mailboxes))
        })?,
        bind(options.imap, &mailboxes.host_name, "IMAP", {
            let mailboxes = Arc::clone(&mailboxes);
            Arc::new(move |stream, peer, id| imap_session::run(stream, peer, id, &mailboxes))
        })?,
    ];
    match &mail_dir {
        Some(dir) => log::line(format!(
            "kurir: storing mail under {}",
            dir.root().display()
        )),
        None => {
            log::line("kurir: no --mail-dir: mail is kept in memory for POP3 and IMAP, not on disk")
        }
    }
    let accept_threads: Vec<_> = listeners
        .into_iter()
        .map(|(listener, label, handler)| {
            thread::spawn(move || accept_loop(listener, label, handler))
        })
        .collect();
    for accept_thread in accept_threads {
        let _ = accept_thread.join();
    }
    Ok(())
}

fn smtp_handler(service: &Arc<Service>) -> Handler {
    let service = Arc::clone(service);
    Arc::new(move |stream, peer, id| session::run(stream, peer, id, &service))
}

fn bind(
    address: SocketAddr,
    host_name: &str,
    label: &'static str,
    handler: Handler,
) -> io::Result<(TcpListener, &'static str, Handler)> {
    let what = format!("{host_name} {label}");
    let listener = TcpListener::bind(address)
        .map_err(|e| with_context(e, &format!("cannot listen on {address} for {what}")))?;
    let bound = listener.local_addr()?;
    log::line(format!("kurir: {what} on {bound}"));
    if !bound.ip().is_loopback() {
        log::line(format!("kurir: warning: {bound} is not a loopback address; anyone who reaches it can use this service"));
    }
    Ok((listener, label, handler))
}

fn accept_loop(listener: TcpListener, label: &str, handler: Handler) {
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                let session_id = NEXT_SESSION_ID.fetch_add(1, Ordering::Relaxed);
                let handler = Arc::clone(&handler);
                let spawned = thread::Builder::new()
                    .name(format!("session-{session_id}"))
                    .spawn(move || run_isolated(session_id, || handler(stream, peer, session_id)));
                if let Err(e) = spawned {
                    log::line(format!(
                        "[#{session_id}] refused {peer}: cannot start a session thread: {e}"
                    ));
                }
            }
            Err(e) => {
                log::line(format!("kurir: accept failed on {label}: {e}"));
                thread::sleep(ACCEPT_RETRY_PAUSE);
            }
        }
    }
}

/// Runs a session so that a panic in it is logged and goes no further than its own thread.
fn run_isolated(session_id: u64, session: impl FnOnce()) {
    if let Err(panic) = panic::catch_unwind(AssertUnwindSafe(session)) {
        log::line(format!(
            "[#{session_id}] session ended by an internal error (a bug in kurir): {}",
            panic_message(&panic)
        ));
    }
}

fn panic_message(panic: &Box<dyn Any + Send>) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

fn with_context(e: io::Error, context: &str) -> io::Error {
    io::Error::new(e.kind(), format!("{context}: {e}"))
}
