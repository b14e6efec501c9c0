//! Named teaching scenarios as data: the default world, a few edits to it, commands at fixed
//! moments of virtual time, and how long to let it run. The CLI's `kurir scenario run`, the
//! lessons and the tests run the same values, so what a learner watches is what is tested.
//!
//! Each one shows one piece of RFC 5321: local delivery and relaying by MX (§5.1), the bounce
//! with the null reverse-path (§4.5.5, RFC 3464), retries at least 30 minutes apart (§4.5.4.1),
//! the backup MX, the refused open relay, and expiry after 5 days with `4.4.7` (RFC 3463).

use super::id::HostId;
use super::time::{SimDuration, SimTime};
use super::topology::{Topology, TopologyError};
use super::world::{Command, CommandError, World};
use crate::proto::smtp::{ClientConfig, ForwardPath, MailJob, Mailbox, ReversePath};

/// A change to the default world before the scenario starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The mailbox answers `452 4.2.2 Mailbox full` until emptied.
    FillMailbox(&'static str),
    /// The host starts switched off.
    HostDown(&'static str),
}

/// What happens at a moment of the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// A user sends from their laptop: submission with AUTH (the UI's "Send").
    Submit {
        from_host: &'static str,
        user: &'static str,
        password: &'static str,
        from: &'static str,
        to: &'static [&'static str],
        subject: &'static str,
        body: &'static str,
    },
    /// A client talks SMTP to `to_host:port` without AUTH (e.g. to try an open relay).
    SendMail {
        from_host: &'static str,
        to_host: &'static str,
        port: u16,
        from: &'static str,
        to: &'static str,
    },
    SetHostUp {
        host: &'static str,
        up: bool,
    },
    SetMailboxFull {
        address: &'static str,
        full: bool,
    },
}

/// An action at a time since the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: SimDuration,
    pub action: Action,
}

/// One named scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub name: &'static str,
    /// One line, English.
    pub description: &'static str,
    pub seed: u64,
    pub edits: &'static [Edit],
    /// In time order.
    pub steps: &'static [Step],
    /// How much virtual time to run in all.
    pub run_for: SimDuration,
}

/// Why a scenario could not run: its data names something the world does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    UnknownHost(String),
    Topology(TopologyError),
    Command(CommandError),
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScenarioError::UnknownHost(name) => write!(f, "the world has no host {name}"),
            ScenarioError::Topology(error) => error.fmt(f),
            ScenarioError::Command(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ScenarioError {}

const fn mins(minutes: u64) -> SimDuration {
    SimDuration::from_mins(minutes)
}

const fn ani_sends(to: &'static [&'static str], subject: &'static str) -> Action {
    Action::Submit {
        from_host: "laptop-ani",
        user: "ani",
        password: "ani123",
        from: "ani@alpha.example",
        to,
        subject,
        body: "Halo! Apa kabar?\nSalam, Ani",
    }
}

const fn at_start(action: Action) -> Step {
    Step {
        at: SimDuration::from_secs(0),
        action,
    }
}

/// Every scenario, in teaching order.
pub const SCENARIOS: [Scenario; 7] = [
    Scenario {
        name: "local-delivery",
        description: "ani writes to citra: mail.alpha.example stores it itself, no relay",
        seed: 1,
        edits: &[],
        steps: &[at_start(ani_sends(
            &["citra@alpha.example"],
            "Makan siang?",
        ))],
        run_for: mins(5),
    },
    Scenario {
        name: "cross-domain",
        description: "ani writes to budi: submission on 587, MX lookup, relay over 25 to mx1",
        seed: 2,
        edits: &[],
        steps: &[at_start(ani_sends(&["budi@beta.example"], "Halo Budi"))],
        run_for: mins(5),
    },
    Scenario {
        name: "unknown-user-bounce",
        description: "ani writes to nobody@beta.example: 550 5.1.1, a bounce comes back to ani",
        seed: 3,
        edits: &[],
        steps: &[at_start(ani_sends(&["nobody@beta.example"], "Siapa?"))],
        run_for: mins(5),
    },
    Scenario {
        name: "mailbox-full-retry",
        description:
            "dewi's mailbox is full: 452 4.2.2, retried after 30 min and 1 h, then delivered",
        seed: 4,
        edits: &[Edit::FillMailbox("dewi@beta.example")],
        steps: &[
            at_start(ani_sends(&["dewi@beta.example"], "Untuk Dewi")),
            Step {
                at: mins(45),
                action: Action::SetMailboxFull {
                    address: "dewi@beta.example",
                    full: false,
                },
            },
        ],
        run_for: mins(3 * 60),
    },
    Scenario {
        name: "primary-mx-down-backup-mx",
        description:
            "mx1 is down: the backup MX mx2 queues the mail and forwards it when mx1 is back",
        seed: 5,
        edits: &[Edit::HostDown("mx1.beta.example")],
        steps: &[
            at_start(ani_sends(&["budi@beta.example"], "Lewat cadangan")),
            Step {
                at: mins(60),
                action: Action::SetHostUp {
                    host: "mx1.beta.example",
                    up: true,
                },
            },
        ],
        run_for: mins(3 * 60),
    },
    Scenario {
        name: "open-relay-refused",
        description: "a client asks mx1 to relay to gamma.example: 554 5.7.1 relay access denied",
        seed: 6,
        edits: &[],
        steps: &[at_start(Action::SendMail {
            from_host: "laptop-ani",
            to_host: "mx1.beta.example",
            port: 25,
            from: "ani@alpha.example",
            to: "someone@gamma.example",
        })],
        run_for: mins(5),
    },
    Scenario {
        name: "server-down-expiry",
        description: "mx1 and mx2 stay down: retries for 5 days, then a 4.4.7 bounce to ani",
        seed: 7,
        edits: &[
            Edit::HostDown("mx1.beta.example"),
            Edit::HostDown("mx2.beta.example"),
        ],
        steps: &[at_start(ani_sends(&["budi@beta.example"], "Halo?"))],
        run_for: mins(5 * 24 * 60 + 60),
    },
];

/// The scenario called `name`.
pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// The names of every scenario, in order.
pub fn names() -> Vec<&'static str> {
    SCENARIOS.iter().map(|s| s.name).collect()
}

impl Scenario {
    /// The default world with this scenario's edits made, before anything runs.
    pub fn topology(&self) -> Result<Topology, ScenarioError> {
        let mut topology = Topology::default_world();
        for edit in self.edits {
            match *edit {
                Edit::FillMailbox(address) => topology
                    .fill_mailbox(address)
                    .map_err(ScenarioError::Topology)?,
                Edit::HostDown(name) => {
                    let host = host_in(&topology, name)?;
                    topology
                        .set_host_up(host, false)
                        .map_err(ScenarioError::Topology)?;
                }
            }
        }
        Ok(topology)
    }

    /// Runs the scenario to its end (with `seed` instead of its own, if given) and returns the
    /// finished world: its log, capture, mail stores and queues.
    pub fn run(&self, seed: Option<u64>) -> Result<World, ScenarioError> {
        let mut world = World::new(self.topology()?, seed.unwrap_or(self.seed));
        for step in self.steps {
            world.run_until(SimTime::ZERO + step.at);
            let command = command_for(&world, step.action)?;
            world.apply(command).map_err(ScenarioError::Command)?;
        }
        world.run_until(SimTime::ZERO + self.run_for);
        Ok(world)
    }
}

fn host_in(topology: &Topology, name: &str) -> Result<HostId, ScenarioError> {
    topology
        .host_id(name)
        .ok_or_else(|| ScenarioError::UnknownHost(name.to_string()))
}

fn mailbox(address: &str) -> Mailbox {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    Mailbox {
        local: local.to_string(),
        domain: domain.to_string(),
    }
}

/// The world command an action stands for.
fn command_for(world: &World, action: Action) -> Result<Command, ScenarioError> {
    let topology = world.topology();
    Ok(match action {
        Action::Submit {
            from_host,
            user,
            password,
            from,
            to,
            subject,
            body,
        } => Command::Submit {
            from_host: host_in(topology, from_host)?,
            user: user.to_string(),
            password: password.to_string(),
            from: from.to_string(),
            to: to.iter().map(|t| t.to_string()).collect(),
            subject: subject.to_string(),
            body: body.to_string(),
        },
        Action::SendMail {
            from_host,
            to_host,
            port,
            from,
            to,
        } => Command::SendMail {
            from_host: host_in(topology, from_host)?,
            to_host: host_in(topology, to_host)?,
            port,
            client: ClientConfig::new(from_host),
            job: MailJob {
                reverse_path: ReversePath::Mailbox(mailbox(from)),
                recipients: vec![ForwardPath::Mailbox(mailbox(to))],
                content: format!("From: <{from}>\r\nTo: <{to}>\r\nSubject: Relay?\r\n\r\nHi\r\n")
                    .into_bytes(),
            },
        },
        Action::SetHostUp { host, up } => Command::SetHostUp {
            host: host_in(topology, host)?,
            up,
        },
        Action::SetMailboxFull { address, full } => Command::SetMailboxFull {
            address: address.to_string(),
            full,
        },
    })
}
