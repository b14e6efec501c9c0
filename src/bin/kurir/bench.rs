//! `kurir bench`: how fast the simulated world delivers mail, measured on the wall clock, with
//! Postfix's `smtp-source` → `smtp-sink` over loopback as the real-world anchor (issue 3, §7).
//!
//! The simulated run is [`kurir::sim::campaign`], end to end: laptop-ani opens simulated TCP
//! connections to mx1.beta.example:25, one per message or one per `--per-session` messages
//! (a transaction each, as an MTA with a backlog for one server sends them, and as
//! `smtp-source -d` does for the anchor), every frame is emitted as bytes and logged, and the
//! server files each message in its mail store once per recipient, every recipient a mailbox
//! of its own (as smtp-source's numbered recipients are distinct addresses). Messages go in
//! batches of [`BATCH`] started at the same virtual moment on one World, which then runs
//! until idle (TIME-WAIT included), so the World's memory after the run is what that many
//! messages cost: it keeps every frame, every event and every stored message, and nothing is
//! ever dropped.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use kurir::sim::campaign::{self, Campaign};
use kurir::sim::event::SimEvent;
use kurir::sim::time::SimDuration;

use crate::cli::BenchOptions;

/// Messages per run when `--messages` is not given.
const DEFAULT_MESSAGES: usize = 2_000;
/// Messages per run with `--quick`: enough to exercise every path, fast enough for a test.
const QUICK_MESSAGES: usize = 20;
/// Recipient counts measured when `--recipients` is not given.
const DEFAULT_RECIPIENTS: [usize; 2] = [1, 100];
/// Messages per SMTP session measured when `--per-session` is not given: a connection per
/// message, and a batch's worth over one connection.
const DEFAULT_PER_SESSION: [usize; 2] = [1, BATCH];
/// Messages started at one virtual moment, before the World runs until idle.
const BATCH: usize = 100;
/// Sessions `smtp-source` keeps open at once (its `-s`).
const POSTFIX_SESSIONS: &str = "10";
/// The RSS growth of a run after the first, which reuses what earlier runs freed.
const RSS_NOT_MEASURED: &str = "n/a (1st run only)";
/// How long to wait for `smtp-sink` to listen.
const SINK_START_TIMEOUT: Duration = Duration::from_secs(3);

/// What one simulated run measured.
struct SimRun {
    messages: usize,
    recipients: usize,
    per_session: usize,
    delivered: usize,
    stored: usize,
    wall: Duration,
    sim_elapsed: SimDuration,
    frames: usize,
    frame_bytes: usize,
    events: usize,
    /// Heap bytes of the World's frame store (frame bytes and their records).
    frame_store_bytes: usize,
    /// Bytes of the event log's entries (their text on the heap not counted).
    event_log_bytes: usize,
    /// Resident-set growth over the run, in bytes: `None` without /proc, and for every run
    /// but the first, which reuse memory an earlier run freed (the allocator keeps it).
    rss_growth: Option<i64>,
}

impl SimRun {
    fn messages_per_second(&self) -> f64 {
        self.messages as f64 / self.wall.as_secs_f64()
    }

    fn recipients_per_second(&self) -> f64 {
        (self.messages * self.recipients) as f64 / self.wall.as_secs_f64()
    }

    fn rss_per_10k_messages(&self) -> Option<f64> {
        self.rss_growth
            .map(|growth| per_10k(growth as f64, self.messages))
    }
}

/// `amount` for `messages` messages, scaled to 10,000 messages.
fn per_10k(amount: f64, messages: usize) -> f64 {
    amount / messages as f64 * 10_000.0
}

/// What the Postfix anchor measured, or why it did not run.
enum Anchor {
    Ran {
        recipients: usize,
        /// smtp-source sent every message of a session over one connection (its `-d`).
        reuse: bool,
        messages: usize,
        wall: Duration,
    },
    Skipped(String),
}

pub fn run(options: BenchOptions) -> Result<(), String> {
    let messages = options.messages.unwrap_or(if options.quick {
        QUICK_MESSAGES
    } else {
        DEFAULT_MESSAGES
    });
    let recipient_counts: Vec<usize> = match options.recipients {
        Some(count) => vec![count],
        None => DEFAULT_RECIPIENTS.to_vec(),
    };

    let session_sizes: Vec<usize> = match options.per_session {
        Some(size) => vec![size],
        None => DEFAULT_PER_SESSION.to_vec(),
    };

    println!("kurir bench: {messages} messages from laptop-ani to mx1.beta.example:25 per run");
    println!("one World per run, messages in batches of {BATCH} started together, run until idle");
    let mut runs = Vec::new();
    for &per_session in &session_sizes {
        for &recipients in &recipient_counts {
            let first_run = runs.is_empty();
            let run = simulate(messages, recipients, per_session, first_run)?;
            println!(
                "  simulated {recipients:>3} recipient(s), {per_session:>3} message(s) per session: {:.0} messages/s",
                run.messages_per_second()
            );
            runs.push(run);
        }
    }

    let anchors: Vec<Anchor> = match &options.postfix_dir {
        None => vec![Anchor::Skipped(
            "no --postfix-dir given (apt-get download postfix; dpkg-deb -x it into DIR)".into(),
        )],
        Some(dir) => session_sizes
            .iter()
            .flat_map(|&per_session| {
                recipient_counts.iter().map(move |&recipients| {
                    postfix_anchor(dir, messages, recipients, per_session > 1)
                })
            })
            .collect(),
    };

    print_table(&runs, &anchors);
    Ok(())
}

fn simulate(
    messages: usize,
    recipients: usize,
    per_session: usize,
    first_run: bool,
) -> Result<SimRun, String> {
    let campaign = Campaign {
        messages,
        recipients_per_message: recipients,
        batch: BATCH,
        messages_per_session: per_session,
    };
    let rss_before = proc_status_bytes("VmRSS");
    let started = Instant::now();
    let done = campaign::run(campaign, 1)?;
    let wall = started.elapsed();
    let rss_after = proc_status_bytes("VmRSS");
    let outcome = done.outcome();
    if outcome.delivered != messages {
        return Err(format!(
            "only {} of {messages} messages were delivered",
            outcome.delivered
        ));
    }
    Ok(SimRun {
        messages,
        recipients,
        per_session,
        delivered: outcome.delivered,
        stored: outcome.stored,
        wall,
        sim_elapsed: outcome.sim_elapsed,
        frames: outcome.frames,
        frame_bytes: outcome.frame_bytes,
        events: outcome.events,
        frame_store_bytes: done.world.frame_store_bytes(),
        event_log_bytes: std::mem::size_of_val(done.world.events()),
        rss_growth: rss_before
            .zip(rss_after)
            .filter(|_| first_run)
            .map(|(before, after)| after as i64 - before as i64),
    })
}

/// A field of /proc/self/status given in kB (`VmRSS`, `VmHWM`), in bytes; `None` off Linux.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kib: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
        Some(kib * 1024)
    })
}

/// `smtp-sink` needs `-u USER` when run as root, to drop privileges.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|uids| uids.split_whitespace().next().map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// The Postfix programs under an extracted package root, with the library path they need.
fn postfix_program(root: &Path, name: &str) -> Process {
    let mut command = Process::new(root.join("usr/sbin").join(name));
    command
        .env("LD_LIBRARY_PATH", root.join("usr/lib/postfix"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn free_loopback_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Kills the sink when dropped, so no early return leaves it running.
struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn postfix_anchor(root: &Path, messages: usize, recipients: usize, reuse: bool) -> Anchor {
    match run_postfix(root, messages, recipients, reuse) {
        Ok(wall) => Anchor::Ran {
            recipients,
            reuse,
            messages,
            wall,
        },
        Err(why) => Anchor::Skipped(format!("{recipients} recipient(s): {why}")),
    }
}

fn run_postfix(
    root: &Path,
    messages: usize,
    recipients: usize,
    reuse: bool,
) -> Result<Duration, String> {
    for program in ["smtp-sink", "smtp-source"] {
        let path: PathBuf = root.join("usr/sbin").join(program);
        if !path.is_file() {
            return Err(format!("{} not found", path.display()));
        }
    }
    let port = free_loopback_port().map_err(|e| format!("no free loopback port: {e}"))?;
    let address = format!("127.0.0.1:{port}");
    let mut sink = postfix_program(root, "smtp-sink");
    if running_as_root() {
        sink.args(["-u", "nobody"]);
    }
    sink.args(["-c", &address, "1000"]);
    let mut sink = Sink(
        sink.spawn()
            .map_err(|e| format!("smtp-sink cannot start: {e}"))?,
    );

    let deadline = Instant::now() + SINK_START_TIMEOUT;
    let socket: SocketAddr = (Ipv4Addr::LOCALHOST, port).into();
    while TcpStream::connect_timeout(&socket, Duration::from_millis(100)).is_err() {
        if let Ok(Some(status)) = sink.0.try_wait() {
            let mut why = String::new();
            if let Some(mut stderr) = sink.0.stderr.take() {
                let _ = io::Read::read_to_string(&mut stderr, &mut why);
            }
            return Err(format!("smtp-sink exited ({status}): {}", why.trim()));
        }
        if Instant::now() > deadline {
            return Err("smtp-sink did not start listening".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    let started = Instant::now();
    let mut source = postfix_program(root, "smtp-source");
    if reuse {
        // Don't disconnect after a message: the next goes over the same connection.
        source.arg("-d");
    }
    let output = source
        .args([
            "-c",
            "-m",
            &messages.to_string(),
            "-s",
            POSTFIX_SESSIONS,
            "-r",
            &recipients.to_string(),
            "-f",
            "ani@alpha.example",
            "-t",
            "budi@beta.example",
            &address,
        ])
        .output()
        .map_err(|e| format!("smtp-source cannot start: {e}"))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "smtp-source failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(wall)
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn print_table(runs: &[SimRun], anchors: &[Anchor]) {
    println!();
    println!(
        "{:<44} {}",
        "simulated (one World per run)",
        runs.iter()
            .map(|r| format!(
                "{:>23}",
                format!("{} rcpt, {}/session", r.recipients, r.per_session)
            ))
            .collect::<String>()
    );
    let row = |label: &str, cell: &dyn Fn(&SimRun) -> String| {
        println!(
            "{label:<44} {}",
            runs.iter()
                .map(|r| format!("{:>23}", cell(r)))
                .collect::<String>()
        );
    };
    row("messages", &|r| r.messages.to_string());
    row("delivered (server said 250 after DATA)", &|r| {
        r.delivered.to_string()
    });
    row("copies filed in mx1's mail store", &|r| {
        r.stored.to_string()
    });
    row("wall time", &|r| format!("{:.3} s", r.wall.as_secs_f64()));
    row("messages/s (wall)", &|r| {
        format!("{:.0}", r.messages_per_second())
    });
    row("recipients/s (wall)", &|r| {
        format!("{:.0}", r.recipients_per_second())
    });
    row("simulated time elapsed", &|r| r.sim_elapsed.to_string());
    row("frames emitted", &|r| r.frames.to_string());
    row("bytes emitted (frames, no FCS)", &|r| {
        r.frame_bytes.to_string()
    });
    row("events logged", &|r| r.events.to_string());
    row("frame store (bytes + 24 B record per frame)", &|r| {
        mib(r.frame_store_bytes as f64)
    });
    let event_size = std::mem::size_of::<SimEvent>();
    row(
        &format!("event log ({event_size} B per event, text aside)"),
        &|r| mib(r.event_log_bytes as f64),
    );
    row("  both, per 10,000 messages", &|r| {
        mib(per_10k(
            (r.frame_store_bytes + r.event_log_bytes) as f64,
            r.messages,
        ))
    });
    row("RSS growth over the run", &|r| {
        r.rss_growth
            .map_or(RSS_NOT_MEASURED.into(), |g| mib(g as f64))
    });
    row("RSS growth per 10,000 messages", &|r| {
        r.rss_per_10k_messages()
            .map_or(RSS_NOT_MEASURED.into(), mib)
    });
    let peak = proc_status_bytes("VmHWM");
    println!(
        "{:<44} {:>23}",
        "peak resident set (VmHWM, whole process)",
        peak.map_or("n/a".into(), |p| mib(p as f64))
    );
    println!(
        "note: the World keeps every frame, every event and every stored message for as long \
         as it lives; its memory grows without bound with the messages sent"
    );

    println!();
    println!("real-world anchor: Postfix smtp-source -> smtp-sink over loopback");
    for anchor in anchors {
        match anchor {
            Anchor::Ran {
                recipients,
                reuse,
                messages,
                wall,
            } => println!(
                "  {recipients:>3} recipient(s), {}: {messages} messages in {:.3} s = {:.0} messages/s, \
                 {POSTFIX_SESSIONS} sessions in parallel",
                if *reuse {
                    "all messages of a session over one connection (-d)"
                } else {
                    "a connection per message"
                },
                wall.as_secs_f64(),
                *messages as f64 / wall.as_secs_f64()
            ),
            Anchor::Skipped(why) => println!("  skipped: {why}"),
        }
    }

    println!();
    for r in runs {
        let recipients = format!("{} per_session={}", r.recipients, r.per_session);
        println!(
            "KURIR_METRIC sim_messages_per_second={:.1} recipients={recipients}",
            r.messages_per_second()
        );
        println!(
            "KURIR_METRIC sim_recipients_per_second={:.1} recipients={recipients}",
            r.recipients_per_second()
        );
        println!(
            "KURIR_METRIC sim_frames={} recipients={recipients}",
            r.frames
        );
        println!(
            "KURIR_METRIC sim_bytes={} recipients={recipients}",
            r.frame_bytes
        );
        println!(
            "KURIR_METRIC sim_events={} recipients={recipients}",
            r.events
        );
        println!(
            "KURIR_METRIC sim_frame_store_bytes={} recipients={recipients}",
            r.frame_store_bytes
        );
        println!(
            "KURIR_METRIC sim_event_log_bytes={} recipients={recipients}",
            r.event_log_bytes
        );
        if let Some(per_10k) = r.rss_per_10k_messages() {
            println!(
                "KURIR_METRIC sim_rss_growth_bytes_per_10k_messages={per_10k:.0} recipients={recipients}"
            );
        }
    }
    if let Some(peak) = peak {
        println!("KURIR_METRIC peak_rss_bytes={peak}");
    }
    for anchor in anchors {
        if let Anchor::Ran {
            recipients,
            reuse,
            messages,
            wall,
        } = anchor
        {
            println!(
                "KURIR_METRIC postfix_messages_per_second={:.1} recipients={recipients} reused_connections={reuse}",
                *messages as f64 / wall.as_secs_f64()
            );
        }
    }
}
