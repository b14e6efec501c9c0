//! Shared plumbing for the conformance tests: start the real `kurir serve` on free loopback
//! ports with a fresh mail directory, run real clients against it, and read what it stored;
//! and for the command-line and capture tests, run the `kurir` binary or `tshark`.
//!
//! Ports: the server binds port 0 and its log names the ports it got, so tests running in
//! parallel never clash. A missing client tool fails the test (with a hint), never skips it.

// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long the server may take to start listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a raw test client waits for a reply before the test fails.
const REPLY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the log may run behind what a client has already seen.
pub const LOG_DELAY: Duration = Duration::from_secs(5);

pub const RELAY_HOST: &str = "mx1.beta.example";
pub const SUBMISSION_HOST: &str = "mail.alpha.example";

/// A running `kurir serve`, killed when dropped. Its log is kept and printed if a test fails.
pub struct Kurir {
    child: Child,
    pub relay: SocketAddr,
    pub submission: SocketAddr,
    /// mx1.beta.example's POP3.
    pub pop3: SocketAddr,
    /// mx1.beta.example's IMAP.
    pub imap: SocketAddr,
    scratch: ScratchDir,
    log: Arc<Mutex<Vec<String>>>,
}

impl Kurir {
    /// Starts the server with a fresh mail directory.
    pub fn start() -> Kurir {
        Kurir::start_with(&[])
    }

    /// Starts the server with extra `serve` flags (e.g. `--idle-timeout 1`).
    pub fn start_with(extra_args: &[&str]) -> Kurir {
        let scratch = ScratchDir::new();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kurir"))
            .args([
                "serve",
                "--smtp",
                "127.0.0.1:0",
                "--submission",
                "127.0.0.1:0",
                "--pop3",
                "127.0.0.1:0",
                "--imap",
                "127.0.0.1:0",
                "--mail-dir",
            ])
            .arg(scratch.path().join("mail"))
            .args(extra_args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the kurir binary");
        let log = Arc::new(Mutex::new(Vec::new()));
        let [relay, submission, pop3, imap] =
            match wait_for_listeners(child.stdout.take().expect("piped stdout"), &log) {
                Ok(addresses) => addresses,
                Err(why) => {
                    let _ = child.kill();
                    panic!(
                        "kurir serve did not start: {why}; log: {:#?}",
                        log.lock().unwrap()
                    );
                }
            };
        Kurir {
            child,
            relay,
            submission,
            pop3,
            imap,
            scratch,
            log,
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.scratch.path().join("mail")
    }

    /// The stored messages of one mailbox, oldest queue id first.
    pub fn mailbox(&self, recipient: &str) -> Vec<Vec<u8>> {
        read_messages(&self.mail_dir().join(recipient))
    }

    /// Messages parked for relay to other domains.
    pub fn outbound(&self) -> Vec<Vec<u8>> {
        read_messages(&self.mail_dir().join("outbound"))
    }

    /// Every message stored anywhere in the mail directory.
    pub fn all_stored(&self) -> Vec<Vec<u8>> {
        let Ok(folders) = fs::read_dir(self.mail_dir()) else {
            return Vec::new();
        };
        folders
            .flatten()
            .flat_map(|folder| read_messages(&folder.path()))
            .collect()
    }

    /// Writes a file next to the mail directory (a message for a client to send).
    pub fn scratch_file(&self, name: &str, contents: &[u8]) -> PathBuf {
        let path = self.scratch.path().join(name);
        fs::write(&path, contents).expect("write scratch file");
        path
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until a log line contains `needle`; the log runs slightly behind the sockets.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.log().iter().any(|line| line.contains(needle)) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for Kurir {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            eprintln!("--- kurir serve log ---\n{}", self.log().join("\n"));
        }
    }
}

/// Reads the server's stdout into `log` (in a thread, for the server's whole life) and returns
/// the two addresses the startup lines announce.
/// The addresses of the SMTP relay, submission, POP3 and IMAP listeners, from the log.
fn wait_for_listeners(
    stdout: ChildStdout,
    log: &Arc<Mutex<Vec<String>>>,
) -> Result<[SocketAddr; 4], String> {
    let (lines_tx, lines_rx) = mpsc::channel();
    let log_for_reader = Arc::clone(log);
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            log_for_reader.lock().unwrap().push(line.clone());
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let announcements = [
        "mx1.beta.example SMTP relay on ",
        "mail.alpha.example submission on ",
        "mx1.beta.example POP3 on ",
        "mx1.beta.example IMAP on ",
    ];
    let mut found: [Option<SocketAddr>; 4] = [None; 4];
    while found.iter().any(Option::is_none) {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines_rx
            .recv_timeout(left)
            .map_err(|_| "no listening lines in time".to_string())?;
        for (slot, announcement) in found.iter_mut().zip(announcements) {
            *slot = slot.or(listening_address(&line, announcement));
        }
    }
    Ok(found.map(Option::unwrap))
}

fn listening_address(line: &str, announcement: &str) -> Option<SocketAddr> {
    line.strip_prefix("kurir: ")?
        .strip_prefix(announcement)?
        .parse()
        .ok()
}

fn read_messages(folder: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| fs::read(path).expect("read stored message"))
        .collect()
}

/// A fresh directory under the system temp dir, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> ScratchDir {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "kurir-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create scratch dir");
        ScratchDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A message as final delivery stored it: the `Return-Path:` line, the server's `Received:`
/// header (with its folded continuation lines), then exactly the message the client sent.
#[derive(Debug)]
pub struct Delivered {
    pub return_path: String,
    pub received: String,
    pub message: Vec<u8>,
}

impl Delivered {
    pub fn parse(stored: &[u8]) -> Delivered {
        let (return_path, rest) = split_line(stored);
        assert!(
            return_path.starts_with("Return-Path: <"),
            "stored file must start with Return-Path:, got {return_path:?}"
        );
        let (mut received, mut rest) = split_line(rest);
        assert!(
            received.starts_with("Received: "),
            "the Received: header must follow, got {received:?}"
        );
        while rest.starts_with(b" ") || rest.starts_with(b"\t") {
            let (continuation, after) = split_line(rest);
            received.push_str(&continuation);
            rest = after;
        }
        Delivered {
            return_path,
            received,
            message: rest.to_vec(),
        }
    }
}

/// Splits off one CRLF-terminated line (kept with its CRLF).
fn split_line(bytes: &[u8]) -> (String, &[u8]) {
    let end = bytes
        .windows(2)
        .position(|w| w == b"\r\n")
        .map(|at| at + 2)
        .expect("a CRLF-terminated line");
    (
        String::from_utf8_lossy(&bytes[..end]).into_owned(),
        &bytes[end..],
    )
}

/// Runs an external client; a missing tool fails the test with a hint.
pub fn run_client(command: &mut Command) -> Output {
    let program = command.get_program().to_string_lossy().into_owned();
    match command.stdin(Stdio::null()).output() {
        Ok(output) => output,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            panic!("`{program}` is not installed; the conformance tests need it (run scripts/setup --test)")
        }
        Err(e) => panic!("cannot run `{program}`: {e}"),
    }
}

/// Runs a client and fails the test, showing its output, unless it exits with success.
pub fn run_client_ok(command: &mut Command) -> Output {
    let output = run_client(command);
    assert!(
        output.status.success(),
        "{command:?} failed ({})\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs the `kurir` binary under test with `args` and waits for it to exit.
pub fn run_kurir(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kurir"))
        .args(args)
        .output()
        .expect("run the kurir binary")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// What `tshark` (Wireshark's command line) prints for `args`; it must succeed.
pub fn tshark<S: AsRef<OsStr>>(args: &[S]) -> String {
    stdout(&run_client_ok(Command::new("tshark").args(args)))
}

/// `host:port` as the clients spell a server.
pub fn server_arg(address: SocketAddr) -> String {
    format!("{}:{}", address.ip(), address.port())
}

/// A hand-driven SMTP client over a raw socket, for what well-behaved clients never send.
pub struct RawSmtp {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl RawSmtp {
    /// Connects and reads the greeting, which must be `220`.
    pub fn connect(address: SocketAddr) -> RawSmtp {
        let stream = TcpStream::connect(address).expect("connect to kurir");
        stream.set_read_timeout(Some(REPLY_TIMEOUT)).unwrap();
        let mut client = RawSmtp {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        };
        let greeting = client.read_reply();
        assert!(greeting.starts_with("220 "), "greeting: {greeting:?}");
        client
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("send to kurir");
    }

    /// Reads one whole reply (all lines of a multi-line reply), CRLFs kept.
    pub fn read_reply(&mut self) -> String {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            let read = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("reading a reply (so far {reply:?}): {e}"));
            assert!(
                read > 0,
                "connection closed in the middle of a reply (so far {reply:?})"
            );
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    /// Sends a command line and returns its reply, which must start with `expected_code`.
    pub fn expect(&mut self, line: &str, expected_code: &str) -> String {
        self.send(format!("{line}\r\n").as_bytes());
        let reply = self.read_reply();
        assert!(
            reply.starts_with(expected_code),
            "`{line}` → {reply:?}, expected {expected_code}"
        );
        reply
    }

    /// True once the server has closed the connection (reads to the end, within the timeout).
    pub fn is_closed_by_server(&mut self) -> bool {
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).is_ok()
    }

    /// Drops the connection without QUIT, as a crashing client would.
    pub fn vanish(self) {
        let _ = self.writer.shutdown(std::net::Shutdown::Both);
    }
}

/// A case of one of the Python client scripts in tests/clients (`<client>_cases.py`), run
/// against `kurir`: the relay port for putting mail in, `server_flag` (`--pop3`, `--imap`) at
/// `server` for reading it, and `message` in a file for `--message`.
pub fn python_case(
    kurir: &Kurir,
    client: &str,
    case: &str,
    server_flag: &str,
    server: SocketAddr,
    message: &[u8],
) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients")
        .join(format!("{client}_cases.py"));
    let message = kurir.scratch_file("message.eml", message);
    let mut command = Command::new("python3");
    command.arg(script).arg(case);
    command.args(["--relay", &server_arg(kurir.relay)]);
    command.args([server_flag, &server_arg(server)]);
    command.arg("--message").arg(message);
    command
}

/// Sends `message` (CRLF line endings) to budi on the relay port with swaks, which reads a
/// Unix text file, sends it as CRLF with its dots stuffed, and ends the last line itself.
pub fn swaks_to_budi(kurir: &Kurir, message: &[u8]) {
    let text = String::from_utf8_lossy(message).replace("\r\n", "\n");
    let file = kurir.scratch_file("swaks.txt", text.trim_end_matches('\n').as_bytes());
    run_client_ok(
        Command::new("swaks")
            .args(["--server", &server_arg(kurir.relay)])
            .args(["--helo", "laptop-ani.alpha.example"])
            .args(["--from", "ani@alpha.example", "--to", "budi@beta.example"])
            .arg("--data")
            .arg(format!("@{}", file.display())),
    );
}
