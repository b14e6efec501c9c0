use super::*;
use crate::proto::smtp::{RejectedRecipient, Stage, TransactionFailure};

const MINUTE: u64 = 60 * 1_000_000;

fn at(minutes: u64) -> SimTime {
    SimTime::from_micros(minutes * MINUTE)
}

fn calendar() -> Calendar {
    Calendar {
        epoch_unix_seconds: 1_704_067_200,
        format: |seconds| format!("unix {seconds}"),
    }
}

fn queue() -> OutboundQueue {
    OutboundQueue::new("mail.alpha.example", MtaPolicy::default(), calendar())
}

fn reply(code: u16, status: (u8, u16, u16), text: &str) -> Reply {
    let (class, subject, detail) = status;
    Reply::new(
        ReplyCode::new(code).unwrap(),
        Some(EnhancedStatus::new(class, subject, detail)),
        text,
    )
}

fn rejected(address: &str, reply: Reply) -> RejectedRecipient {
    RejectedRecipient {
        address: address.into(),
        reply,
    }
}

fn smtp(outcome: Outcome) -> DeliveryResult {
    DeliveryResult::Smtp {
        exchange: "mx1.beta.example".into(),
        outcome,
    }
}

fn delivered(accepted: &[&str], rejected: Vec<RejectedRecipient>) -> DeliveryResult {
    smtp(Outcome::Delivered {
        accepted: accepted.iter().map(|a| a.to_string()).collect(),
        rejected,
        queue_id: None,
    })
}

fn refused() -> DeliveryResult {
    DeliveryResult::Unreachable {
        exchange: "mx1.beta.example".into(),
        failure: ConnectionFailure::Refused,
    }
}

fn enqueue(queue: &mut OutboundQueue, recipients: &[&str], now: SimTime) -> MessageId {
    let recipients: Vec<String> = recipients.iter().map(|r| r.to_string()).collect();
    let content = b"From: ani@alpha.example\r\nSubject: Halo\r\n\r\nIsi\r\n".to_vec();
    queue
        .enqueue("ani@alpha.example", &recipients, content, now)
        .0
}

/// One attempt on `id` at `now` in which every route gets `result`.
fn attempt(
    queue: &mut OutboundQueue,
    id: MessageId,
    now: SimTime,
    result: impl Fn() -> DeliveryResult,
) -> Vec<MtaEvent> {
    let (attempt, mut events) = queue.start_attempt(id, now).expect("attempt");
    for route in attempt.routes {
        events.extend(queue.record_result(id, &route.domain, result(), now));
    }
    events
}

fn bounces(events: &[MtaEvent]) -> Vec<MessageId> {
    events
        .iter()
        .filter_map(|e| match e {
            MtaEvent::BounceGenerated { bounce, .. } => Some(*bounce),
            _ => None,
        })
        .collect()
}

fn bounce_text(queue: &OutboundQueue, id: MessageId) -> String {
    String::from_utf8(queue.get(id).unwrap().content.clone()).unwrap()
}

// ---- enqueue and attempts ---------------------------------------------------------------

#[test]
fn a_new_message_is_due_at_once() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(5));
    assert_eq!(q.next_wakeup(), Some(at(5)));
    assert_eq!(q.due(at(5)), [id]);
    assert!(q.due(at(4)).is_empty());
}

#[test]
fn an_attempt_groups_recipients_by_domain_with_a_ready_job() {
    let mut q = queue();
    let id = enqueue(
        &mut q,
        &["budi@Beta.example", "x@gamma.example", "dewi@beta.example"],
        at(0),
    );
    let (attempt, events) = q.start_attempt(id, at(0)).unwrap();
    assert_eq!(attempt.attempt, 1);
    let domains: Vec<&str> = attempt.routes.iter().map(|r| r.domain.as_str()).collect();
    assert_eq!(domains, ["beta.example", "gamma.example"]);
    assert_eq!(
        attempt.routes[0].recipients,
        ["budi@Beta.example", "dewi@beta.example"]
    );
    let job = &attempt.routes[0].job;
    assert_eq!(job.recipients.len(), 2);
    assert!(
        matches!(&job.reverse_path, ReversePath::Mailbox(m) if m.to_string() == "ani@alpha.example")
    );
    assert!(job.content.starts_with(b"From: ani@alpha.example\r\n"));
    assert!(
        matches!(&events[0], MtaEvent::AttemptStarted { attempt: 1, domains, .. } if domains.len() == 2)
    );
}

#[test]
fn a_message_in_flight_is_not_due_and_cannot_start_twice() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    q.start_attempt(id, at(0)).unwrap();
    assert!(q.due(at(0)).is_empty());
    assert_eq!(q.next_wakeup(), None);
    assert!(q.start_attempt(id, at(0)).is_none());
}

#[test]
fn all_recipients_delivered_leaves_the_queue() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example", "dewi@beta.example"], at(0));
    let events = attempt(&mut q, id, at(0), || {
        delivered(&["budi@beta.example", "dewi@beta.example"], vec![])
    });
    assert!(events.contains(&MtaEvent::Delivered {
        message: id,
        recipients: vec!["budi@beta.example".into(), "dewi@beta.example".into()],
        remote_mta: Some("mx1.beta.example".into()),
    }));
    assert_eq!(events.last(), Some(&MtaEvent::Finished { message: id }));
    assert!(q.is_empty());
}

#[test]
fn a_result_for_a_domain_not_outstanding_changes_nothing() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    assert!(q
        .record_result(id, "beta.example", DeliveryResult::DeliveredLocally, at(0))
        .is_empty());
    q.start_attempt(id, at(0)).unwrap();
    assert!(q
        .record_result(id, "gamma.example", DeliveryResult::DeliveredLocally, at(0))
        .is_empty());
    assert_eq!(q.len(), 1);
}

// ---- retry timing -------------------------------------------------------------------------

#[test]
fn the_default_back_off_doubles_from_30_minutes_to_a_4_hour_cap() {
    let policy = MtaPolicy::default();
    let waits: Vec<SimDuration> = (1..=6).map(|n| policy.retry_interval(n)).collect();
    let minutes = [30, 60, 120, 240, 240, 240].map(SimDuration::from_mins);
    assert_eq!(waits, minutes);
    assert_eq!(policy.retry_interval(u32::MAX), SimDuration::from_mins(240));
}

#[test]
fn connection_refused_defers_and_retries_in_30_minutes() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    let events = attempt(&mut q, id, at(0), refused);
    let deferred = events
        .iter()
        .find_map(|e| match e {
            MtaEvent::Deferred {
                reply,
                next_attempt,
                ..
            } => Some((reply.clone(), *next_attempt)),
            _ => None,
        })
        .expect("deferred");
    assert_eq!(deferred.0.code.get(), 421);
    assert_eq!(deferred.0.status, Some(EnhancedStatus::new(4, 4, 1)));
    assert_eq!(deferred.1, at(30));
    assert_eq!(q.next_wakeup(), Some(at(30)));
    assert!(bounces(&events).is_empty());
    assert!(matches!(
        q.get(id).unwrap().recipients[0].state,
        RecipientState::Deferred(_)
    ));
}

#[test]
fn retries_come_at_30_60_120_240_minute_gaps_never_closer_than_30() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    let mut times = Vec::new();
    for _ in 0..6 {
        let now = q.next_wakeup().unwrap();
        assert_eq!(q.due(now), [id]);
        times.push(now);
        attempt(&mut q, id, now, refused);
    }
    let minutes: Vec<u64> = times.iter().map(|t| t.as_micros() / MINUTE).collect();
    assert_eq!(minutes, [0, 30, 90, 210, 450, 690]);
    assert!(times
        .windows(2)
        .all(|w| w[1].saturating_duration_since(w[0]) >= SimDuration::from_mins(30)));
}

#[test]
fn a_452_recipient_is_deferred_and_retried_alone() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example", "dewi@beta.example"], at(0));
    let full = reply(452, (4, 2, 2), "Mailbox full");
    attempt(&mut q, id, at(0), || {
        delivered(
            &["budi@beta.example"],
            vec![rejected("dewi@beta.example", full.clone())],
        )
    });
    let (retry, _) = q.start_attempt(id, at(30)).unwrap();
    assert_eq!(retry.attempt, 2);
    assert_eq!(retry.routes[0].recipients, ["dewi@beta.example"]);
}

// ---- mixed outcomes and bounces -----------------------------------------------------------

#[test]
fn mixed_recipients_are_delivered_bounced_and_deferred() {
    let mut q = queue();
    let id = enqueue(
        &mut q,
        &[
            "budi@beta.example",
            "nobody@beta.example",
            "dewi@beta.example",
        ],
        at(0),
    );
    let no_user = reply(550, (5, 1, 1), "No such user");
    let full = reply(452, (4, 2, 2), "Mailbox full");
    let events = attempt(&mut q, id, at(0), || {
        delivered(
            &["budi@beta.example"],
            vec![
                rejected("nobody@beta.example", no_user.clone()),
                rejected("dewi@beta.example", full.clone()),
            ],
        )
    });
    let states: Vec<&RecipientState> = q
        .get(id)
        .unwrap()
        .recipients
        .iter()
        .map(|r| &r.state)
        .collect();
    assert!(matches!(states[0], RecipientState::Delivered { .. }));
    assert!(matches!(states[1], RecipientState::Failed(d) if d.reply == no_user));
    assert!(matches!(states[2], RecipientState::Deferred(d) if d.reply == full));
    assert!(events.contains(&MtaEvent::Failed {
        message: id,
        recipients: vec!["nobody@beta.example".into()],
        reply: no_user,
    }));
    assert!(events.contains(&MtaEvent::Deferred {
        message: id,
        recipients: vec!["dewi@beta.example".into()],
        reply: full,
        next_attempt: at(30),
    }));
    let bounce = bounces(&events);
    assert_eq!(bounce.len(), 1);
    let text = bounce_text(&q, bounce[0]);
    assert!(text.contains("Final-Recipient: rfc822; nobody@beta.example"));
    assert!(!text.contains("Final-Recipient: rfc822; dewi@beta.example"));
    assert!(!text.contains("Final-Recipient: rfc822; budi@beta.example"));
    assert_eq!(
        q.len(),
        2,
        "the original waits for dewi, the bounce for ani"
    );
}

#[test]
fn a_550_makes_exactly_one_dsn_with_status_and_diagnostic_code() {
    let mut q = queue();
    let id = enqueue(&mut q, &["nobody@beta.example"], at(0));
    let no_user = reply(550, (5, 1, 1), "No such user here");
    let events = attempt(&mut q, id, at(0), || {
        smtp(Outcome::NoRecipientAccepted {
            rejected: vec![rejected("nobody@beta.example", no_user.clone())],
        })
    });
    let bounce = bounces(&events);
    assert_eq!(bounce.len(), 1);
    assert!(events.contains(&MtaEvent::Finished { message: id }));
    let queued = q.get(bounce[0]).unwrap();
    assert!(queued.is_bounce());
    assert_eq!(queued.recipients[0].address, "ani@alpha.example");
    let text = bounce_text(&q, bounce[0]);
    assert_eq!(text.matches("Final-Recipient:").count(), 1);
    assert!(text.contains("Status: 5.1.1\r\n"));
    assert!(text.contains("Remote-MTA: dns; mx1.beta.example\r\n"));
    assert!(text.contains("Diagnostic-Code: smtp; 550 5.1.1 No such user here\r\n"));
    assert!(text.contains("To: <ani@alpha.example>\r\n"));
    assert!(text.contains("Date: unix 1704067200\r\n"));
}

#[test]
fn failures_in_several_domains_of_one_round_share_one_dsn() {
    let mut q = queue();
    let id = enqueue(&mut q, &["a@beta.example", "b@gamma.example"], at(0));
    let events = attempt(&mut q, id, at(0), || DeliveryResult::NoSuchDomain);
    let bounce = bounces(&events);
    assert_eq!(bounce.len(), 1);
    assert_eq!(
        bounce_text(&q, bounce[0])
            .matches("Final-Recipient:")
            .count(),
        2
    );
}

#[test]
fn the_bounce_job_uses_the_null_reverse_path() {
    let mut q = queue();
    let id = enqueue(&mut q, &["nobody@beta.example"], at(0));
    let events = attempt(&mut q, id, at(0), || DeliveryResult::NoSuchDomain);
    let bounce = bounces(&events)[0];
    let (attempt, _) = q.start_attempt(bounce, at(0)).unwrap();
    assert_eq!(attempt.routes[0].domain, "alpha.example");
    assert_eq!(attempt.routes[0].job.reverse_path, ReversePath::Null);
}

#[test]
fn a_bounce_that_fails_is_dropped_never_bounced() {
    let mut q = queue();
    let (bounce, events) = q.enqueue(
        "",
        &["ani@alpha.example".to_string()],
        b"Subject: x\r\n\r\n".to_vec(),
        at(0),
    );
    assert!(matches!(
        &events[0],
        MtaEvent::Queued {
            is_bounce: true,
            ..
        }
    ));
    let no_user = reply(550, (5, 1, 1), "No such user");
    let events = attempt(&mut q, bounce, at(0), || {
        smtp(Outcome::NoRecipientAccepted {
            rejected: vec![rejected("ani@alpha.example", no_user.clone())],
        })
    });
    assert!(bounces(&events).is_empty());
    assert!(events.contains(&MtaEvent::DoubleBounceDropped {
        message: bounce,
        recipients: vec!["ani@alpha.example".into()],
    }));
    assert!(q.is_empty());
}

#[test]
fn null_mx_fails_permanently_with_556_5_1_10() {
    let mut q = queue();
    let id = enqueue(&mut q, &["x@nomail.example"], at(0));
    let events = attempt(&mut q, id, at(0), || DeliveryResult::NullMx);
    let failed = events.iter().find_map(|e| match e {
        MtaEvent::Failed { reply, .. } => Some(reply.clone()),
        _ => None,
    });
    let failed = failed.expect("failed");
    assert_eq!(failed.code.get(), 556);
    assert_eq!(failed.status, Some(EnhancedStatus::new(5, 1, 10)));
    let text = bounce_text(&q, bounces(&events)[0]);
    assert!(text.contains("Status: 5.1.10\r\n"));
    assert!(!text.contains("Remote-MTA"));
}

#[test]
fn no_such_domain_fails_permanently_with_5_1_2() {
    let mut q = queue();
    let id = enqueue(&mut q, &["x@nowhere.example"], at(0));
    let events = attempt(&mut q, id, at(0), || DeliveryResult::NoSuchDomain);
    assert!(events.contains(&MtaEvent::Finished { message: id }));
    let text = bounce_text(&q, bounces(&events)[0]);
    assert!(text.contains("Status: 5.1.2\r\n"));
    assert!(text.contains("Diagnostic-Code: smtp; 550 5.1.2 the domain nowhere.example"));
}

#[test]
fn a_transaction_that_fails_temporarily_defers_every_recipient() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example", "dewi@beta.example"], at(0));
    let busy = reply(421, (4, 3, 2), "Shutting down");
    let events = attempt(&mut q, id, at(0), || {
        smtp(Outcome::Failed {
            failure: TransactionFailure {
                stage: Stage::Greeting,
                reason: FailureReason::Rejected(busy.clone()),
            },
            rejected: vec![],
        })
    });
    assert!(events.contains(&MtaEvent::Deferred {
        message: id,
        recipients: vec!["budi@beta.example".into(), "dewi@beta.example".into()],
        reply: busy,
        next_attempt: at(30),
    }));
}

#[test]
fn a_lost_connection_is_deferred_with_a_made_up_4_4_2_reply() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    attempt(&mut q, id, at(0), || {
        smtp(Outcome::Failed {
            failure: TransactionFailure {
                stage: Stage::EndOfData,
                reason: FailureReason::ConnectionLost,
            },
            rejected: vec![],
        })
    });
    let RecipientState::Deferred(diagnosis) = &q.get(id).unwrap().recipients[0].state else {
        panic!("not deferred");
    };
    assert_eq!(diagnosis.status, EnhancedStatus::new(4, 4, 2));
    assert_eq!(diagnosis.remote_mta.as_deref(), Some("mx1.beta.example"));
}

#[test]
fn the_world_tries_the_next_exchange_only_on_connection_or_temporary_failure() {
    assert!(refused().try_next_exchange());
    let temporary = smtp(Outcome::Failed {
        failure: TransactionFailure {
            stage: Stage::Greeting,
            reason: FailureReason::Rejected(reply(421, (4, 3, 2), "busy")),
        },
        rejected: vec![],
    });
    assert!(temporary.try_next_exchange());
    let permanent = smtp(Outcome::Failed {
        failure: TransactionFailure {
            stage: Stage::MailFrom,
            reason: FailureReason::Rejected(reply(550, (5, 7, 1), "no")),
        },
        rejected: vec![],
    });
    assert!(!permanent.try_next_exchange());
    assert!(!delivered(&["a@b.example"], vec![]).try_next_exchange());
    assert!(!DeliveryResult::NullMx.try_next_exchange());
}

// ---- expiry -------------------------------------------------------------------------------

#[test]
fn after_5_days_of_failures_the_message_expires_with_a_4_4_7_bounce() {
    let mut q = queue();
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    let five_days = at(5 * 24 * 60);
    let mut last = Vec::new();
    let mut attempts = 0;
    while q.get(id).is_some() {
        let now = q.next_wakeup().unwrap();
        assert!(now <= five_days, "no attempt after the deadline");
        last = attempt(&mut q, id, now, refused);
        attempts += 1;
        if q.get(id).is_none() {
            assert_eq!(now, five_days, "the last attempt is at the deadline");
        }
    }
    assert_eq!(
        attempts, 34,
        "0, 30, 90, 210 min, every 4 h from 450 min to 7170, then 7200"
    );
    assert!(last.contains(&MtaEvent::Expired {
        message: id,
        recipients: vec!["budi@beta.example".into()],
    }));
    let bounce = bounces(&last);
    assert_eq!(bounce.len(), 1);
    let text = bounce_text(&q, bounce[0]);
    assert!(text.contains("Status: 4.4.7\r\n"));
    assert!(text.contains("Diagnostic-Code: smtp; 421 4.4.1 connection to mx1.beta.example"));
    assert!(text.contains("Arrival-Date: unix 1704067200\r\n"));
}

#[test]
fn a_short_lifetime_still_keeps_attempts_30_minutes_apart() {
    let policy = MtaPolicy {
        max_lifetime: SimDuration::from_mins(40),
        ..MtaPolicy::default()
    };
    let mut q = OutboundQueue::new("h.example", policy, calendar());
    let id = enqueue(&mut q, &["budi@beta.example"], at(0));
    attempt(&mut q, id, at(0), refused);
    assert_eq!(q.next_wakeup(), Some(at(30)));
    attempt(&mut q, id, at(30), refused);
    assert_eq!(q.next_wakeup(), Some(at(60)));
    let events = attempt(&mut q, id, at(60), refused);
    assert!(events.iter().any(|e| matches!(e, MtaEvent::Expired { .. })));
}

#[test]
fn an_expiring_bounce_is_dropped_not_bounced() {
    let policy = MtaPolicy {
        max_lifetime: SimDuration::from_mins(30),
        ..MtaPolicy::default()
    };
    let mut q = OutboundQueue::new("h.example", policy, calendar());
    let (bounce, _) = q.enqueue("", &["ani@alpha.example".into()], Vec::new(), at(0));
    attempt(&mut q, bounce, at(0), refused);
    let events = attempt(&mut q, bounce, at(30), refused);
    assert!(events
        .iter()
        .any(|e| matches!(e, MtaEvent::DoubleBounceDropped { .. })));
    assert!(bounces(&events).is_empty());
    assert!(q.is_empty());
}

#[test]
fn local_delivery_of_a_route_counts_as_delivered() {
    let mut q = queue();
    let id = enqueue(&mut q, &["citra@alpha.example"], at(0));
    let events = attempt(&mut q, id, at(0), || DeliveryResult::DeliveredLocally);
    assert!(events.contains(&MtaEvent::Delivered {
        message: id,
        recipients: vec!["citra@alpha.example".into()],
        remote_mta: None,
    }));
    assert!(q.is_empty());
}

#[test]
fn an_invalid_job_fails_with_5_1_3() {
    let mut q = queue();
    let id = enqueue(&mut q, &["bad address@beta.example"], at(0));
    let (attempt, _) = q.start_attempt(id, at(0)).unwrap();
    let error = crate::proto::smtp::SmtpClient::new(
        crate::proto::smtp::ClientConfig::new("mail.alpha.example"),
        attempt.routes[0].job.clone(),
    )
    .err()
    .expect("the client refuses the job");
    let events = q.record_result(id, "beta.example", DeliveryResult::InvalidJob(error), at(0));
    let text = bounce_text(&q, bounces(&events)[0]);
    assert!(text.contains("Status: 5.1.3\r\n"));
}
