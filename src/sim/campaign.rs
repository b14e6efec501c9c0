//! A mass mailing through the default world: laptop-ani sends `messages` messages of
//! `recipients_per_message` recipients each straight to mx1.beta.example:25, every recipient
//! a mailbox of its own (budi, dewi, then `member003@beta.example` and on, opened on mx1 for
//! the campaign with [`Command::AddAccount`]), so each message is filed once per recipient;
//! `batch` at a time started at one virtual moment, on a connection each or
//! `messages_per_session` to a connection ([`Command::SendMails`]), the world running until
//! every message of the batch has its answer and every connection it opened is closed.
//! Every frame is emitted as bytes and kept, every event logged, every message stored — it is
//! the load `kurir bench` measures natively, and the page's mass mailing panel runs it in the
//! learner's own world ([`run_in`]) to show that a 100,000-recipient campaign fits in a tab.
//!
//! Deterministic (no clock): the caller measures the wall-clock time around [`run`], then
//! asks [`CampaignRun::outcome`] for the counts (which walks every frame, so it is kept out of
//! the measured time).

use super::id::{ConnectionId, FrameId, HostId, MessageId};
use super::time::{SimDuration, SimTime};
use super::world::{Applied, Command, World};
use crate::proto::smtp::{Account, ClientConfig, ForwardPath, MailJob, Mailbox, ReversePath};

/// The mailboxes beta.example has already; the campaign's first two recipients.
const BETA_USERS: [&str; 2] = ["budi", "dewi"];

/// The user of beta.example who is recipient `index` (from 0) of every message.
fn recipient_user(index: usize) -> String {
    match BETA_USERS.get(index) {
        Some(user) => (*user).to_string(),
        None => format!("member{:03}", index + 1),
    }
}

/// What to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Campaign {
    pub messages: usize,
    pub recipients_per_message: usize,
    /// Messages started together before the world runs until each has its answer and its
    /// connection is closed.
    pub batch: usize,
    /// Messages one SMTP session hands over, a transaction each (RFC 5321 §3.3), as an MTA
    /// does with a backlog for one server and `smtp-source -d` does; 1 opens a connection per
    /// message.
    pub messages_per_session: usize,
}

/// What the run did, for a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignOutcome {
    pub messages: usize,
    pub recipients: usize,
    /// Messages the server took (250 after the final `.`).
    pub delivered: usize,
    /// SMTP connections the campaign opened.
    pub connections: usize,
    /// Copies in mx1's mailboxes: one per distinct mailbox of each message.
    pub stored: usize,
    pub events: usize,
    pub frames: usize,
    pub frame_bytes: usize,
    pub sim_elapsed: SimDuration,
}

fn mailbox(local: &str, domain: &str) -> Mailbox {
    Mailbox {
        local: local.into(),
        domain: domain.into(),
    }
}

/// Message `number` of the campaign.
fn job(number: usize, recipients: usize) -> MailJob {
    let forward_paths = (0..recipients)
        .map(|i| ForwardPath::Mailbox(mailbox(&recipient_user(i), "beta.example")))
        .collect();
    MailJob {
        reverse_path: ReversePath::Mailbox(mailbox("ani", "alpha.example")),
        recipients: forward_paths,
        content: format!(
            "From: ani@alpha.example\r\nTo: budi@beta.example\r\nSubject: Bench {number}\r\n\r\nHalo, ini pesan nomor {number}.\r\n"
        )
        .into_bytes(),
    }
}

fn host(world: &World, name: &str) -> Result<HostId, String> {
    world
        .topology()
        .host_id(name)
        .ok_or_else(|| format!("the default world has no {name}"))
}

/// Where a world stood when a campaign began on it, so its outcome counts only what the
/// campaign added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartMark {
    events: usize,
    frames: usize,
    stored: usize,
    at: SimTime,
}

impl StartMark {
    /// Where `world` stands now.
    pub fn of(world: &World) -> StartMark {
        StartMark {
            events: world.events().len(),
            frames: world.frame_count(),
            stored: stored_on_mx1(world),
            at: world.now(),
        }
    }
}

/// The messages mx1.beta.example holds, one per copy in a mailbox.
fn stored_on_mx1(world: &World) -> usize {
    world
        .topology()
        .host_id("mx1.beta.example")
        .and_then(|mx1| world.mail_store(mx1))
        .map_or(0, |store| store.message_count())
}

/// What sending a campaign came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Messages the server took.
    pub delivered: usize,
    /// SMTP connections opened for them.
    pub connections: usize,
}

/// A campaign that ran: the world with all it kept, and what its sending came to.
pub struct CampaignRun {
    pub campaign: Campaign,
    pub world: World,
    pub sent: Sent,
    pub start: StartMark,
}

impl CampaignRun {
    /// The counts of the run.
    pub fn outcome(&self) -> CampaignOutcome {
        outcome(&self.world, self.campaign, self.start, self.sent)
    }
}

/// The counts of `campaign`, which began on `world` at `start` and came to `sent`: what the
/// log, the frame store and mx1's mailboxes gained since.
pub fn outcome(world: &World, campaign: Campaign, start: StartMark, sent: Sent) -> CampaignOutcome {
    let frames = world.frame_count();
    let frame_bytes = (start.frames..frames)
        .filter_map(|i| u32::try_from(i).ok())
        .filter_map(|i| world.frame(FrameId(i)))
        .map(<[u8]>::len)
        .sum();
    CampaignOutcome {
        messages: campaign.messages,
        recipients: campaign.messages * campaign.recipients_per_message,
        delivered: sent.delivered,
        connections: sent.connections,
        stored: stored_on_mx1(world).saturating_sub(start.stored),
        events: world.events().len().saturating_sub(start.events),
        frames: frames.saturating_sub(start.frames),
        frame_bytes,
        sim_elapsed: world.now().saturating_duration_since(start.at),
    }
}

/// Runs `campaign` on a default world seeded with `seed`.
pub fn run(campaign: Campaign, seed: u64) -> Result<CampaignRun, String> {
    let mut world = World::default_world(seed);
    let start = StartMark::of(&world);
    let sent = run_in(&mut world, campaign)?;
    Ok(CampaignRun {
        campaign,
        world,
        sent,
        start,
    })
}

/// Steps `world` until every message in `started` has its result (the server's answer to it,
/// or the failure of its connection) and every connection in `opened` is gone, its TIME-WAIT
/// over. Not until idle: a learner's world may hold a queue's retry half an hour ahead, or a
/// terminal session waiting for a command, which a campaign must not hurry along. `false` if
/// the world ran out of events first.
fn run_until_done(world: &mut World, started: &[MessageId], opened: &[ConnectionId]) -> bool {
    let (mut answered, mut closed) = (0, 0);
    loop {
        while started
            .get(answered)
            .is_some_and(|&id| world.mail_result(id).is_some())
        {
            answered += 1;
        }
        while opened
            .get(closed)
            .is_some_and(|&id| !world.holds_connection(id))
        {
            closed += 1;
        }
        if answered == started.len() && closed == opened.len() {
            return true;
        }
        if !world.step() {
            return false;
        }
    }
}

/// Runs `campaign` on `world`, a default world in any state (the page runs it on a copy of
/// the learner's): opens the mailboxes it needs on mx1 (one that exists already stays as it
/// is), sends, and returns how many messages mx1 took over how many connections.
pub fn run_in(world: &mut World, campaign: Campaign) -> Result<Sent, String> {
    let laptop = host(world, "laptop-ani")?;
    let mx1 = host(world, "mx1.beta.example")?;
    let client = ClientConfig::new("laptop-ani.alpha.example");
    let batch_size = campaign.batch.max(1);
    for index in BETA_USERS.len()..campaign.recipients_per_message {
        let user = recipient_user(index);
        let account = Account {
            password: format!("{user}123"),
            display_name: user.clone(),
            user,
            domain: "beta.example".into(),
        };
        world
            .apply(Command::AddAccount { host: mx1, account })
            .map_err(|e| e.to_string())?;
    }

    let before = (world.events().len(), world.frame_count());
    let mut delivered = 0;
    let mut connections = 0;
    let mut sent = 0;
    let per_session = campaign.messages_per_session.max(1);
    while sent < campaign.messages {
        let batch = batch_size.min(campaign.messages - sent);
        let mut started = Vec::with_capacity(batch);
        let mut opened = Vec::with_capacity(batch);
        let numbers: Vec<usize> = (sent..sent + batch).collect();
        for session in numbers.chunks(per_session) {
            connections += 1;
            let mut jobs: Vec<MailJob> = session
                .iter()
                .map(|&number| job(number, campaign.recipients_per_message))
                .collect();
            let command = match jobs.len() {
                1 => Command::SendMail {
                    from_host: laptop,
                    to_host: mx1,
                    port: 25,
                    client: client.clone(),
                    job: jobs.remove(0),
                },
                _ => Command::SendMails {
                    from_host: laptop,
                    to_host: mx1,
                    port: 25,
                    client: client.clone(),
                    jobs,
                },
            };
            match world.apply(command).map_err(|e| e.to_string())? {
                Applied::MailStarted {
                    message,
                    connection,
                } => {
                    started.push(message);
                    opened.push(connection);
                }
                Applied::MailsStarted {
                    first,
                    count,
                    connection,
                } => {
                    started.extend(
                        std::iter::successors(Some(first), |id| Some(id.next())).take(count),
                    );
                    opened.push(connection);
                }
                other => return Err(format!("expected a mail attempt, got {other:?}")),
            }
        }
        if !run_until_done(world, &started, &opened) {
            return Err("the world stopped before every message had its answer".into());
        }
        delivered += started
            .iter()
            .filter(|&&id| world.mail_result(id).is_some_and(|r| r.is_delivered()))
            .count();
        if sent == 0 && batch < campaign.messages {
            // Every message of a campaign costs about what the first batch's did: room for
            // the rest now, with a sixteenth to spare, saves the log its doublings.
            let rest = campaign.messages - batch;
            let per_message = |count: usize| (count / batch + 1) * rest * 17 / 16;
            world.reserve(
                per_message(world.events().len() - before.0),
                per_message(world.frame_count() - before.1),
            );
        }
        sent += batch;
    }
    Ok(Sent {
        delivered,
        connections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_of_a_small_campaign_is_delivered_to_every_recipient() {
        let campaign = Campaign {
            messages: 7,
            recipients_per_message: 3,
            batch: 3,
            messages_per_session: 1,
        };
        let done = run(campaign, 1).unwrap();
        let (world, outcome) = (&done.world, done.outcome());
        assert_eq!(outcome.delivered, 7);
        assert_eq!(outcome.recipients, 21);
        // budi, dewi and member003, a mailbox opened for the campaign: a copy each.
        assert_eq!(outcome.stored, 21, "one copy per recipient");
        let mx1 = world.topology().host_id("mx1.beta.example").unwrap();
        let maildrops = world.mail_store(mx1).unwrap().maildrops();
        let member = maildrops.get("member003@beta.example").unwrap();
        assert_eq!(member.messages().len(), 7);
        assert_eq!(outcome.events, world.events().len());
        assert!(outcome.frames > 7 * 10 && outcome.frame_bytes > outcome.frames * 54);
        assert_eq!(
            (outcome.messages, outcome.delivered, outcome.connections),
            (7, 7, 7)
        );
    }

    #[test]
    fn messages_sharing_sessions_reach_every_recipient_in_fewer_frames() {
        let campaign = |messages_per_session| Campaign {
            messages: 7,
            recipients_per_message: 3,
            batch: 4,
            messages_per_session,
        };
        let alone = run(campaign(1), 1).unwrap().outcome();
        let shared = run(campaign(3), 1).unwrap();
        let outcome = shared.outcome();
        assert_eq!((outcome.delivered, outcome.stored), (7, 21));
        // Batches of 4 and 3 in sessions of up to 3: 3 connections, where there were 7.
        let syns = shared
            .world
            .events()
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    crate::sim::event::EventKind::TcpStateChanged {
                        to: crate::net::tcp::TcpState::SynSent,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(syns, 3);
        assert_eq!((outcome.connections, alone.connections), (3, 7));
        assert!(
            outcome.frames < alone.frames * 2 / 3,
            "{outcome:?} {alone:?}"
        );
    }

    #[test]
    fn the_same_campaign_and_seed_give_the_same_run() {
        let campaign = Campaign {
            messages: 4,
            recipients_per_message: 2,
            batch: 4,
            messages_per_session: 1,
        };
        let a = run(campaign, 9).unwrap();
        let b = run(campaign, 9).unwrap();
        assert_eq!(a.world.log().stable_hash(), b.world.log().stable_hash());
    }

    #[test]
    fn a_campaign_on_a_world_in_use_counts_only_what_it_added() {
        let mut world = run(
            Campaign {
                messages: 2,
                recipients_per_message: 2,
                batch: 2,
                messages_per_session: 1,
            },
            3,
        )
        .unwrap()
        .world;
        let start = StartMark::of(&world);
        let campaign = Campaign {
            messages: 3,
            recipients_per_message: 4,
            batch: 2,
            messages_per_session: 2,
        };
        let sent = run_in(&mut world, campaign).unwrap();
        let counted = outcome(&world, campaign, start, sent);
        // Batches of 2 and 1, 2 to a connection: 2 connections.
        assert_eq!(
            (counted.delivered, counted.connections, counted.stored),
            (3, 2, 12)
        );
        assert_eq!(counted.events, world.events().len() - start.events);
        assert_eq!(counted.frames, world.frame_count() - start.frames);
        // Run again, the mailboxes it opened are there already: nothing fails.
        assert_eq!(
            run_in(&mut world, campaign).map(|sent| sent.delivered),
            Ok(3)
        );
    }

    #[test]
    fn a_campaign_does_not_hurry_along_what_else_waits_in_the_world() {
        use crate::sim::default_world::ani_presses_send;

        let mut world = World::default_world(5);
        let full = Command::SetMailboxFull {
            address: "dewi@beta.example".into(),
            full: true,
        };
        world.apply(full).unwrap();
        let send = ani_presses_send(world.topology(), &["dewi@beta.example"], "Hi", "x").unwrap();
        world.apply(send).unwrap();
        world.run_until(
            SimTime::ZERO
                .checked_add(SimDuration::from_secs(60))
                .unwrap(),
        );
        let alpha = world.topology().host_id("mail.alpha.example").unwrap();
        assert_eq!(
            world.outbound_queue(alpha).unwrap().len(),
            1,
            "452: deferred"
        );

        let campaign = Campaign {
            messages: 20,
            recipients_per_message: 1,
            batch: 5,
            messages_per_session: 1,
        };
        assert_eq!(run_in(&mut world, campaign).unwrap().delivered, 20);
        // The retry is 30 minutes after the first attempt: still waiting, not tried again.
        assert_eq!(world.outbound_queue(alpha).unwrap().len(), 1);
        assert!(world.now().since_start() < SimDuration::from_mins(30));
        assert!(world.next_event_at().is_some(), "the retry is still ahead");
    }
}
