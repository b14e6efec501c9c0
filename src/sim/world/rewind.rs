//! Rewind (docs/ARCHITECTURE.md rule 4): rebuild from the seed and replay the commands.
//!
//! The World keeps what it was built from (the topology as given to [`World::new`] and the
//! seed) and a [`CommandLog`]: every command [`World::apply`] accepted, with the virtual time
//! it was applied at and how many internal events ([`World::step`]s that did something) had
//! been processed before it. That pair pins the command's place exactly: a command applied
//! between two events due at the same instant replays between the same two.
//!
//! [`World::replay_to`] builds a fresh world from the same topology and seed and plays the
//! recorded history (steps and commands, in their original order) until the log holds at
//! least `position` events. A single step can log several events (a frame arriving makes a
//! TCP segment, an SMTP reply and the next frame), so when the target falls inside one, the
//! world is at the end of that step and the surplus events are *held back*: [`World::events`]
//! has exactly `position` entries, equal one for one to the original's (same
//! [`stable_hash`](crate::sim::event::stable_hash) of the prefix, same frame bytes), and the
//! held events are appended, in order, before anything else at the next [`World::step`] or
//! [`World::apply`]. While events are held the world's state (snapshot, stores, frame store)
//! is already that of the end of the step.
//!
//! The commands that came later are kept as the rebuilt world's *script*: stepping it
//! (`step`, `run_until`, `run_until_idle`) re-applies each at its recorded place, so playing
//! forward from a rewound world reproduces the original log to its end. Applying a new
//! command to a rewound world drops the script: the timeline branches there.
//!
//! A position past the end of the log is an error ([`RewindError::PastEnd`]); the world is
//! not changed. Position `events().len()` is allowed and gives every event of the original.
//!
//! Cost: a rewind replays from the start, so it costs the steps up to the position, not the
//! steps back from now (no periodic snapshots are kept). Counted by `tests/world_rewind.rs`:
//! the cross-domain scenario (ani → budi: submission, MX lookup, relay) logs 358 events in
//! 123 steps after one command; rewinding to its middle (event 179) replays 61 steps. That
//! whole test file, some forty rebuilds each played on to the end, runs in about 0.1 s in a
//! debug build.

use std::collections::VecDeque;
use std::fmt;

use super::{Applied, Command, CommandError, World};
use crate::sim::event::{EventLog, SimEvent};
use crate::sim::time::SimTime;

/// One accepted command and its place on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedCommand {
    /// The virtual time it was applied at.
    pub at: SimTime,
    /// How many internal events had been processed before it.
    pub after_steps: u64,
    pub command: Command,
}

/// Every command a world accepted, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLog {
    entries: Vec<LoggedCommand>,
}

impl CommandLog {
    pub fn entries(&self) -> &[LoggedCommand] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(super) fn push(&mut self, entry: LoggedCommand) {
        self.entries.push(entry);
    }
}

/// Why a rewind was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewindError {
    /// The log has only `len` events.
    PastEnd { position: usize, len: usize },
}

impl fmt::Display for RewindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewindError::PastEnd { position, len } => write!(
                f,
                "cannot rewind to event {position}: the log has only {len} events"
            ),
        }
    }
}

impl std::error::Error for RewindError {}

/// What the rewind machinery adds to a world.
#[derive(Clone, Debug, Default)]
pub(super) struct History {
    pub(super) seed: u64,
    /// Internal events processed so far.
    pub(super) steps: u64,
    pub(super) commands: CommandLog,
    /// Commands still to re-apply, after a rewind.
    pub(super) script: VecDeque<LoggedCommand>,
    /// Events of the last replayed step past the rewind position.
    pub(super) held: Vec<SimEvent>,
}

impl World {
    /// Every command this world accepted, with its time and place.
    pub fn command_log(&self) -> &CommandLog {
        &self.history.commands
    }

    /// Commands recorded after the rewind point that stepping will re-apply.
    pub fn scripted_commands(&self) -> impl Iterator<Item = &LoggedCommand> {
        self.history.script.iter()
    }

    /// How many internal events this world has processed.
    pub fn steps_taken(&self) -> u64 {
        self.history.steps
    }

    /// A new world rebuilt from this one's topology and seed, with the recorded history played
    /// until its log holds exactly the first `position` events of this one's; see the module
    /// doc for held events and the script of later commands.
    pub fn replay_to(&self, position: usize) -> Result<World, RewindError> {
        let len = self.events().len();
        if position > len {
            return Err(RewindError::PastEnd { position, len });
        }
        let mut world = World::new(self.initial.clone(), self.history.seed);
        world.history.script = self
            .history
            .commands
            .entries()
            .iter()
            .chain(self.history.script.iter())
            .cloned()
            .collect();
        while world.log.len() < position {
            if !world.step() {
                break;
            }
        }
        if world.log.len() > position {
            let events = world.log.events();
            world.history.held = events[position..].to_vec();
            let mut log = EventLog::new();
            for event in &events[..position] {
                log.push(event.clone());
            }
            world.log = log;
        }
        Ok(world)
    }

    /// Rewinds this world in place; see [`World::replay_to`].
    pub fn rewind_to(&mut self, position: usize) -> Result<(), RewindError> {
        *self = self.replay_to(position)?;
        Ok(())
    }

    /// Appends the events held back by a rewind.
    pub(super) fn release_held(&mut self) {
        if self.history.held.is_empty() {
            return;
        }
        for event in std::mem::take(&mut self.history.held) {
            self.log.push(event);
        }
    }

    /// Applies and records a command.
    pub(super) fn apply_logged(&mut self, command: Command) -> Result<Applied, CommandError> {
        let entry = LoggedCommand {
            at: self.now,
            after_steps: self.history.steps,
            command: command.clone(),
        };
        let applied = self.apply_now(command)?;
        self.history.commands.push(entry);
        Ok(applied)
    }

    /// The scripted command due now (at this step count), if any, re-applied.
    pub(super) fn apply_scripted(&mut self) -> bool {
        let due = self
            .history
            .script
            .front()
            .is_some_and(|c| c.after_steps <= self.history.steps);
        if !due {
            return false;
        }
        if let Some(entry) = self.history.script.pop_front() {
            self.now = self.now.max(entry.at);
            // It was accepted when recorded, and the world is the same, so it is again.
            let _ = self.apply_logged(entry.command);
        }
        true
    }

    /// When the next thing (a scripted command or an internal event) happens.
    pub(super) fn next_action_at(&self) -> Option<SimTime> {
        match self.history.script.front() {
            Some(c) if c.after_steps <= self.history.steps => Some(c.at.max(self.now)),
            _ => self.queue.peek_time(),
        }
    }
}
