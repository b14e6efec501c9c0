//! What a learner does, as a lesson's model solution writes it down, and a sandbox that plays
//! it: the lesson's world, ani's terminal and the page actions, exactly as the page would
//! apply them (the terminal through [`Terminal::submit`], Send as ani's mail client, budi's
//! devices through [`Command::CheckMail`], another sender's client through
//! [`Command::SendMail`]).

use serde::Deserialize;

use super::check::LearnerAction;
use super::model::{Lesson, LessonWorld, WorldEdit};
use crate::mail::maildrop::SEEN;
use crate::proto::imap::client::{Action, FolderAction};
use crate::sim::default_world::{self, ani_presses_send, reader_of, sends_through};
use crate::sim::event::MailboxProtocol;
use crate::sim::time::SimDuration;
use crate::sim::topology::Topology;
use crate::sim::world::{Command, World};
use crate::terminal::Terminal;

/// Virtual time a move lets pass after it, so what it set off (a relay, a sync) is done.
const SETTLE: SimDuration = SimDuration::from_micros(120_000_000);

/// One thing the learner does.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
pub enum Move {
    /// Lines typed into the terminal, one after the other.
    Type { lines: Vec<String> },
    /// ani writes a message in her mail client and presses Send.
    Send {
        to: Vec<String>,
        subject: String,
        body: String,
    },
    /// The mail client of `sender` (an address of `default_world::SENDERS`) sends through
    /// `server`'s submission port, e.g. a shop's through the shared relay (a step's
    /// preparation: the page's Send is only ani's, through her own server).
    SendThrough {
        sender: String,
        server: String,
        to: Vec<String>,
        subject: String,
        body: String,
    },
    /// One of budi's devices checks mail (POP3 deletes from the server unless `keep`).
    CheckMail {
        device: String,
        protocol: MailboxProtocol,
        #[serde(default)]
        keep: bool,
    },
    /// Opens message `index` (from 0) on a device: read there only (POP3), or read on the
    /// server and so on every device (IMAP).
    Open { device: String, index: usize },
    /// Something done in the page: the inspector, the map's view, the comparison.
    Learner { action: LearnerAction },
    /// Time passes (a retry is due 30 minutes later).
    Wait { minutes: u64 },
    /// A host is switched off or on again (a step's preparation).
    SwitchHost { host: String, up: bool },
    /// A mailbox is made full, or emptied (a step's preparation).
    FillMailbox { address: String, full: bool },
}

/// A lesson's world with ani's terminal and the page actions so far.
pub struct Sandbox {
    pub world: World,
    pub terminal: Terminal,
    pub learner: Vec<LearnerAction>,
}

/// The default world with a lesson's edits made.
pub fn lesson_world(spec: &LessonWorld) -> Result<World, String> {
    let mut topology = Topology::default_world();
    for edit in &spec.edits {
        match edit {
            WorldEdit::FillMailbox { address } => topology
                .fill_mailbox(address)
                .map_err(|error| error.to_string())?,
            WorldEdit::HostDown { host } => {
                let id = topology
                    .host_id(host)
                    .ok_or_else(|| format!("there is no host {host}"))?;
                topology
                    .set_host_up(id, false)
                    .map_err(|error| error.to_string())?;
            }
        }
    }
    Ok(World::new(topology, spec.seed))
}

impl Sandbox {
    pub fn new(spec: &LessonWorld) -> Result<Sandbox, String> {
        Ok(Sandbox {
            world: lesson_world(spec)?,
            terminal: Terminal::new(),
            learner: Vec::new(),
        })
    }

    /// The lesson prepared for step `index`: every earlier step done as the model solution
    /// does it, and this step's preparation made — where a learner who comes back to a
    /// lesson resumes, with the world as that step needs it.
    pub fn at_step(lesson: &Lesson, index: usize) -> Result<Sandbox, String> {
        let mut sandbox = Sandbox::new(&lesson.world)?;
        for step in lesson.steps.iter().take(index) {
            for play in step.prepare.iter().chain(&step.solution) {
                sandbox.play(play)?;
            }
        }
        if let Some(step) = lesson.steps.get(index) {
            for play in &step.prepare {
                sandbox.play(play)?;
            }
        }
        Ok(sandbox)
    }

    /// Does `step`; an error names what could not be done.
    pub fn play(&mut self, step: &Move) -> Result<(), String> {
        play(&mut self.world, &mut self.terminal, &mut self.learner, step)
    }
}

/// Does `step` on a world, ani's terminal and the page actions (the page's own, or a
/// [`Sandbox`]'s); an error names what could not be done.
pub fn play(
    world: &mut World,
    terminal: &mut Terminal,
    learner: &mut Vec<LearnerAction>,
    step: &Move,
) -> Result<(), String> {
    Player {
        world,
        terminal,
        learner,
    }
    .play(step)
}

struct Player<'a> {
    world: &'a mut World,
    terminal: &'a mut Terminal,
    learner: &'a mut Vec<LearnerAction>,
}

impl Player<'_> {
    fn play(&mut self, step: &Move) -> Result<(), String> {
        match step {
            Move::Type { lines } => {
                for line in lines {
                    self.terminal.submit(self.world, line);
                }
            }
            Move::Send { to, subject, body } => {
                let to: Vec<&str> = to.iter().map(String::as_str).collect();
                let command = ani_presses_send(self.world.topology(), &to, subject, body)
                    .ok_or("the world has no laptop-ani")?;
                self.apply(command)?;
            }
            Move::SendThrough {
                sender,
                server,
                to,
                subject,
                body,
            } => {
                let who = default_world::sender(sender)
                    .ok_or_else(|| format!("{sender} sends from no device of the world"))?;
                let command = sends_through(self.world, who, server, to, subject, body)
                    .ok_or_else(|| format!("the world lacks {} or {server}", who.device))?;
                self.apply(command)?;
            }
            Move::CheckMail {
                device,
                protocol,
                keep,
            } => self.check_mail(device, *protocol, *keep, Vec::new())?,
            Move::Open { device, index } => self.open(device, *index)?,
            Move::Learner { action } => self.learner.push(action.clone()),
            Move::SwitchHost { host, up } => {
                let host = self
                    .world
                    .topology()
                    .host_id(host)
                    .ok_or_else(|| format!("there is no host {host}"))?;
                self.apply(Command::SetHostUp { host, up: *up })?;
                return Ok(());
            }
            Move::FillMailbox { address, full } => {
                self.apply(Command::SetMailboxFull {
                    address: address.clone(),
                    full: *full,
                })?;
                return Ok(());
            }
            Move::Wait { minutes } => {
                let until = self.world.now() + SimDuration::from_micros(minutes * 60_000_000);
                self.world.run_until(until);
                return Ok(());
            }
        }
        let until = self.world.now() + SETTLE;
        self.world.run_until(until);
        Ok(())
    }

    fn apply(&mut self, command: Command) -> Result<(), String> {
        self.world
            .apply(command)
            .map(|_| ())
            .map_err(|error| error.to_string())
    }

    fn check_mail(
        &mut self,
        device: &str,
        protocol: MailboxProtocol,
        keep_on_server: bool,
        actions: Vec<FolderAction>,
    ) -> Result<(), String> {
        let topology = self.world.topology();
        let host = topology
            .host_id(device)
            .ok_or_else(|| format!("there is no host {device}"))?;
        let reader = reader_of(device).ok_or_else(|| format!("{device} reads no mail"))?;
        let server = topology
            .host_id(reader.server)
            .ok_or_else(|| format!("there is no host {}", reader.server))?;
        self.apply(Command::CheckMail {
            host,
            server,
            user: reader.user.to_string(),
            password: reader.password.to_string(),
            protocol,
            keep_on_server,
            actions,
        })
    }

    fn open(&mut self, device: &str, index: usize) -> Result<(), String> {
        let host = self
            .world
            .topology()
            .host_id(device)
            .ok_or_else(|| format!("there is no host {device}"))?;
        let message = self
            .world
            .device_mail(host)
            .and_then(|mail| mail.messages.get(index))
            .ok_or_else(|| format!("{device} has no message {index}"))?;
        match (message.protocol, message.uid()) {
            (MailboxProtocol::Imap, Some(uid)) => {
                let read = FolderAction {
                    folder: message.folder.clone(),
                    action: Action::AddFlag {
                        uid,
                        flag: SEEN.to_string(),
                    },
                };
                self.check_mail(device, MailboxProtocol::Imap, false, vec![read])
            }
            _ => {
                let id = message.id.clone();
                self.apply(Command::ReadOnDevice { host, id })
            }
        }
    }
}
