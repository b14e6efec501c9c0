//! A mail client's POP3 session as a sans-IO state machine (RFC 1939): log in with USER and
//! PASS, list the maildrop with UIDL, download each message with RETR and then either delete
//! it (the classic "download and delete") or leave it on the server and remember its unique id,
//! so the next session downloads only what is new ("leave on server"). Then QUIT, which is
//! when the server really deletes.
//!
//! Feed server bytes with [`Pop3Client::handle_input`] (split anywhere), then drain
//! [`Pop3Client::poll_output`] (lines to send) and [`Pop3Client::poll_event`].

use std::collections::{BTreeSet, VecDeque};

/// What the client does with a message once it has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FetchMode {
    /// DELE after RETR: the mail lives on this device only.
    DownloadAndDelete,
    /// Keep it on the server; download only ids not seen before.
    LeaveOnServer,
}

/// What happened, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pop3ClientEvent {
    /// A command line went out (without CRLF; the password shown as `PASS ****`).
    Sent { line: String },
    /// The status line of a reply came in (without CRLF).
    Received { line: String },
    /// A whole message, dot-unstuffed, with its unique id.
    Downloaded { uid: String, content: Vec<u8> },
    /// The session is over.
    Finished(FetchOutcome),
}

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchOutcome {
    /// Logged in and fetched: `downloaded` messages, `deleted` of them marked for deletion
    /// (gone once the server answered QUIT), `left` on the server.
    Fetched {
        downloaded: usize,
        deleted: usize,
        left: usize,
    },
    /// The server said `-ERR` to `command`; `reply` is its line.
    Refused { command: String, reply: String },
    /// The server sent something that is no POP3 reply.
    ProtocolError { line: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Greeting,
    User,
    Pass,
    /// The `+OK` of UIDL, then its lines.
    Uidl {
        listing: bool,
    },
    /// The `+OK` of RETR, then the message's lines.
    Retr {
        number: u32,
        uid: String,
        body: Option<Vec<u8>>,
    },
    Dele,
    Quit,
    Done,
}

/// One POP3 client session (sans-IO).
pub struct Pop3Client {
    user: String,
    password: String,
    mode: FetchMode,
    /// Unique ids downloaded in earlier sessions (used when leaving mail on the server).
    seen: BTreeSet<String>,
    step: Step,
    /// Messages still to download: number and unique id.
    wanted: VecDeque<(u32, String)>,
    listed: usize,
    downloaded: usize,
    deleted: usize,
    outcome: Option<FetchOutcome>,
    /// The last command sent, as shown (for a refusal's report).
    last_command: String,
    input: Vec<u8>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<Pop3ClientEvent>,
}

impl Pop3Client {
    /// A session for `user`; `seen` holds the unique ids already downloaded from this maildrop.
    pub fn new(user: &str, password: &str, mode: FetchMode, seen: BTreeSet<String>) -> Self {
        Pop3Client {
            user: user.to_string(),
            password: password.to_string(),
            mode,
            seen,
            step: Step::Greeting,
            wanted: VecDeque::new(),
            listed: 0,
            downloaded: 0,
            deleted: 0,
            outcome: None,
            last_command: "greeting".to_string(),
            input: Vec::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.step == Step::Done
    }

    /// The unique ids this client has downloaded, earlier sessions included.
    pub fn seen(&self) -> &BTreeSet<String> {
        &self.seen
    }

    pub fn handle_input(&mut self, bytes: &[u8]) {
        self.input.extend_from_slice(bytes);
        while self.step != Step::Done {
            let Some(lf) = self.input.iter().position(|&b| b == b'\n') else {
                return;
            };
            let mut line: Vec<u8> = self.input.drain(..=lf).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            self.line(line);
        }
    }

    /// The connection closed: a session that had not finished ends with what it has.
    pub fn connection_closed(&mut self) {
        if self.step != Step::Done {
            let line = "connection closed before the session ended".to_string();
            self.finish(FetchOutcome::ProtocolError { line });
        }
    }

    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Pop3ClientEvent> {
        self.events.pop_front()
    }

    fn line(&mut self, line: Vec<u8>) {
        match &mut self.step {
            Step::Uidl { listing: true } => return self.uidl_line(&line),
            Step::Retr {
                body: Some(body), ..
            } => {
                if line == b"." {
                    return self.message_done();
                }
                // A line that starts with a dot had one added (RFC 1939 §3).
                let line = line.strip_prefix(b".").unwrap_or(&line);
                body.extend_from_slice(line);
                body.extend_from_slice(b"\r\n");
                return;
            }
            _ => {}
        }
        let text = String::from_utf8_lossy(&line).into_owned();
        self.events
            .push_back(Pop3ClientEvent::Received { line: text.clone() });
        let ok = if text.starts_with("+OK") {
            true
        } else if text.starts_with("-ERR") {
            false
        } else {
            return self.finish(FetchOutcome::ProtocolError { line: text });
        };
        if !ok && self.step != Step::Quit {
            let command = self.last_command.clone();
            self.outcome = Some(FetchOutcome::Refused {
                command,
                reply: text,
            });
            return self.send_quit();
        }
        match std::mem::replace(&mut self.step, Step::Done) {
            Step::Greeting => {
                self.step = Step::User;
                self.send(format!("USER {}", self.user), None);
            }
            Step::User => {
                self.step = Step::Pass;
                self.send(format!("PASS {}", self.password), Some("PASS ****"));
            }
            Step::Pass => {
                self.step = Step::Uidl { listing: true };
                self.send("UIDL".into(), None);
            }
            Step::Retr { number, uid, .. } => {
                self.step = Step::Retr {
                    number,
                    uid,
                    body: Some(Vec::new()),
                };
            }
            Step::Dele => {
                self.deleted += 1;
                self.next_message();
            }
            Step::Quit => {
                let outcome = self.outcome.take().unwrap_or(FetchOutcome::Fetched {
                    downloaded: self.downloaded,
                    deleted: self.deleted,
                    left: self.listed - self.deleted,
                });
                self.finish(outcome);
            }
            Step::Uidl { .. } | Step::Done => {}
        }
    }

    /// One line of the UIDL listing: `number uid`, or the closing dot.
    fn uidl_line(&mut self, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        if text == "." {
            self.step = Step::Uidl { listing: false };
            return self.next_message();
        }
        if text.starts_with("+OK") {
            self.events.push_back(Pop3ClientEvent::Received {
                line: text.into_owned(),
            });
            return;
        }
        if text.starts_with("-ERR") {
            self.events.push_back(Pop3ClientEvent::Received {
                line: text.to_string(),
            });
            self.outcome = Some(FetchOutcome::Refused {
                command: "UIDL".into(),
                reply: text.into_owned(),
            });
            return self.send_quit();
        }
        let mut words = text.split_whitespace();
        let (Some(number), Some(uid)) = (words.next().and_then(|n| n.parse().ok()), words.next())
        else {
            let line = text.into_owned();
            return self.finish(FetchOutcome::ProtocolError { line });
        };
        self.listed += 1;
        if self.mode == FetchMode::DownloadAndDelete || !self.seen.contains(uid) {
            self.wanted.push_back((number, uid.to_string()));
        }
    }

    fn message_done(&mut self) {
        let Step::Retr { number, uid, body } = std::mem::replace(&mut self.step, Step::Done) else {
            return;
        };
        self.downloaded += 1;
        self.seen.insert(uid.clone());
        self.events.push_back(Pop3ClientEvent::Downloaded {
            uid,
            content: body.unwrap_or_default(),
        });
        if self.mode == FetchMode::DownloadAndDelete {
            self.step = Step::Dele;
            self.send(format!("DELE {number}"), None);
        } else {
            self.next_message();
        }
    }

    fn next_message(&mut self) {
        match self.wanted.pop_front() {
            Some((number, uid)) => {
                self.step = Step::Retr {
                    number,
                    uid,
                    body: None,
                };
                self.send(format!("RETR {number}"), None);
            }
            None => self.send_quit(),
        }
    }

    fn send_quit(&mut self) {
        self.step = Step::Quit;
        self.send("QUIT".into(), None);
    }

    fn send(&mut self, line: String, shown: Option<&str>) {
        self.last_command = shown.map_or_else(|| line.clone(), str::to_string);
        self.events.push_back(Pop3ClientEvent::Sent {
            line: self.last_command.clone(),
        });
        let mut bytes = line.into_bytes();
        bytes.extend_from_slice(b"\r\n");
        self.output.push_back(bytes);
    }

    fn finish(&mut self, outcome: FetchOutcome) {
        self.step = Step::Done;
        self.events.push_back(Pop3ClientEvent::Finished(outcome));
    }
}

#[cfg(test)]
mod tests;
