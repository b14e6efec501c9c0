//! The mail view's envelopes: every time a message moved from one mail agent to the next
//! (MUA → MSA, MTA → MX, …, and at last from the mailbox to a device), read from the event
//! log. An SMTP hop starts when the client sends `DATA` and ends when the server answers the
//! message's final `.` with 250 — the moment the server took responsibility and added its
//! `Received:` line (RFC 5321 §4.4, §6.1). A download starts with the device's command that
//! asks for the message (`RETR`, `FETCH`) and ends when the whole message has arrived.

use crate::sim::event::{EventKind, SimEvent};
use crate::sim::id::{ConnectionId, HostId, MessageId};
use crate::sim::time::SimTime;

/// One message handed from one host to another over SMTP.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailHop {
    /// The id the SMTP session carried (each relay session has its own); `None` for a
    /// download, whose session names the message by its number in the mailbox only.
    pub message: Option<MessageId>,
    pub from: HostId,
    pub to: HostId,
    pub started: SimTime,
    /// `None` while the message is still on its way (or the hop failed before 250).
    pub arrived: Option<SimTime>,
    /// Where in the log the hop started, for the timeline.
    pub start_event: usize,
}

impl MailHop {
    /// How far along the hop is at `now`: 0 at the start, 1 once the server said 250, and
    /// halfway while the text is still on its way. `None` before the hop started.
    pub fn progress(&self, now: SimTime) -> Option<f32> {
        if now < self.started {
            return None;
        }
        match self.arrived {
            Some(arrived) if now >= arrived => Some(1.0),
            Some(arrived) => {
                let whole = arrived.saturating_duration_since(self.started).as_micros();
                let done = now.saturating_duration_since(self.started).as_micros();
                Some(done as f32 / whole.max(1) as f32)
            }
            None => Some(0.5),
        }
    }
}

/// Every hop in `events` whose server took the message text (354), in the order they
/// started; a hop refused after its text is left out, as is one whose `DATA` was refused.
pub fn mail_hops(events: &[SimEvent]) -> Vec<MailHop> {
    // Each hop with whether its server said 354, and whether it then refused the text.
    let mut hops: Vec<(MailHop, bool, bool)> = Vec::new();
    // The hop each message has open, by message index.
    let mut open: Vec<Option<usize>> = Vec::new();
    // Each device connection's last command: where a download starts.
    let mut asked: Vec<(ConnectionId, SimTime, usize)> = Vec::new();
    for (index, event) in events.iter().enumerate() {
        match &event.kind {
            EventKind::MailboxCommand { connection, .. } => {
                asked.retain(|(c, _, _)| c != connection);
                asked.push((*connection, event.at, index));
            }
            EventKind::MessageDownloaded {
                host,
                server,
                connection,
                ..
            } => {
                let (started, start_event) = asked
                    .iter()
                    .find(|(c, _, _)| c == connection)
                    .map_or((event.at, index), |(_, at, i)| (*at, *i));
                let hop = MailHop {
                    message: None,
                    from: *server,
                    to: *host,
                    started,
                    arrived: Some(event.at),
                    start_event,
                };
                hops.push((hop, true, false));
            }
            EventKind::SmtpCommand {
                host,
                message: Some(message),
                line,
                ..
            } if line.eq_ignore_ascii_case("DATA") => {
                if open.len() <= message.index() {
                    open.resize(message.index() + 1, None);
                }
                open[message.index()] = Some(hops.len());
                let hop = MailHop {
                    message: Some(*message),
                    from: *host,
                    to: *host,
                    started: event.at,
                    arrived: None,
                    start_event: index,
                };
                hops.push((hop, false, false));
            }
            EventKind::SmtpReply {
                host,
                message: Some(message),
                code,
                ..
            } => {
                let Some(&Some(slot)) = open.get(message.index()) else {
                    continue;
                };
                let (hop, text_accepted, refused) = &mut hops[slot];
                hop.to = *host;
                match (*code, *text_accepted) {
                    (354, false) => *text_accepted = true,
                    (250, true) => {
                        hop.arrived = Some(event.at);
                        open[message.index()] = None;
                    }
                    (_, true) => {
                        *refused = true;
                        open[message.index()] = None;
                    }
                    // Replies to the commands pipelined before DATA.
                    (_, false) => {}
                }
            }
            _ => {}
        }
    }
    hops.into_iter()
        .filter(|(_, text_accepted, refused)| *text_accepted && !refused)
        .map(|(hop, _, _)| hop)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::default_world::ani_presses_send;
    use crate::sim::world::World;

    fn world_after_ani_writes_to(to: &str) -> World {
        let mut world = World::default_world(5);
        let send = ani_presses_send(world.topology(), &[to], "Halo", "Apa kabar?");
        world.apply(send.unwrap()).unwrap();
        world.run_until_idle();
        world
    }

    fn names(world: &World, hops: &[MailHop]) -> Vec<(String, String)> {
        hops.iter()
            .map(|hop| {
                (
                    world.topology().host_name(hop.from),
                    world.topology().host_name(hop.to),
                )
            })
            .collect()
    }

    #[test]
    fn mail_to_budi_hops_from_the_laptop_to_alpha_and_on_to_beta_s_mx() {
        let world = world_after_ani_writes_to("budi@beta.example");
        let hops = mail_hops(world.events());
        assert_eq!(
            names(&world, &hops),
            [
                ("laptop-ani".into(), "mail.alpha.example".into()),
                ("mail.alpha.example".into(), "mx1.beta.example".into()),
            ]
        );
        assert!(hops.iter().all(|hop| hop.arrived.is_some()));
        assert!(hops[0].arrived.unwrap() <= hops[1].started);
    }

    #[test]
    fn mail_to_citra_stays_on_alpha_after_one_hop() {
        let world = world_after_ani_writes_to("citra@alpha.example");
        let hops = mail_hops(world.events());
        assert_eq!(
            names(&world, &hops),
            [("laptop-ani".into(), "mail.alpha.example".into())]
        );
    }

    #[test]
    fn progress_runs_from_zero_to_one_between_data_and_250() {
        let hop = MailHop {
            message: Some(MessageId(1)),
            from: HostId(0),
            to: HostId(1),
            started: SimTime::from_micros(100),
            arrived: Some(SimTime::from_micros(300)),
            start_event: 0,
        };
        assert_eq!(hop.progress(SimTime::from_micros(99)), None);
        assert_eq!(hop.progress(SimTime::from_micros(100)), Some(0.0));
        assert_eq!(hop.progress(SimTime::from_micros(200)), Some(0.5));
        assert_eq!(hop.progress(SimTime::from_micros(900)), Some(1.0));
    }

    #[test]
    fn a_download_hops_from_the_mailbox_server_to_the_device() {
        let mut world = world_after_ani_writes_to("budi@beta.example");
        let host = |name| world.topology().host_id(name).unwrap();
        let (laptop, mx1) = (host("laptop-budi"), host("mx1.beta.example"));
        world
            .apply(crate::sim::world::Command::CheckMail {
                host: laptop,
                server: mx1,
                user: "budi".into(),
                password: "budi123".into(),
                protocol: crate::sim::event::MailboxProtocol::Pop3,
                keep_on_server: false,
                actions: Vec::new(),
            })
            .unwrap();
        world.run_until_idle();
        let hops = mail_hops(world.events());
        let download = hops.last().unwrap();
        assert_eq!(
            names(&world, &hops).last().unwrap(),
            &("mx1.beta.example".to_string(), "laptop-budi".to_string())
        );
        assert_eq!(download.message, None);
        assert!(
            download.started < download.arrived.unwrap(),
            "RETR, then the message"
        );
        assert!(hops[1].arrived.unwrap() <= download.started);
    }

    #[test]
    fn a_refused_message_makes_no_hop_to_the_mailbox() {
        let world = world_after_ani_writes_to("nobody@beta.example");
        let hops = mail_hops(world.events());
        // Submission works; mx1 refuses the recipient at RCPT, so nothing moves on (the
        // bounce is a message of its own, from alpha to ani's own mailbox, delivered locally).
        assert_eq!(
            names(&world, &hops),
            [("laptop-ani".into(), "mail.alpha.example".into())]
        );
    }
}
