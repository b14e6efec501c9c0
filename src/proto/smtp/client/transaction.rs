//! The mail transaction (RFC 5321 §3.3), one per job: MAIL with SIZE and BODY (RFC 1870 §6,
//! RFC 6152 §3), RCPT per recipient, DATA and the dot-stuffed content (§4.1.1.4, §4.5.2), one
//! command at a time or, with PIPELINING, as one group whose replies are read in order (RFC
//! 2920 §3.1).

use super::*;
use crate::proto::smtp::decimal::Decimal;

impl SmtpClient {
    /// Opens the current job's transaction: checks what can be refused without asking (SIZE,
    /// 8BITMIME), then sends MAIL, and with pipelining every RCPT and DATA after it in the same
    /// write. A job refused here fails alone, and the next one is tried at once.
    pub(super) fn start_transaction(&mut self) {
        loop {
            let Some(reason) = self.refused_before_mail() else {
                return self.send_envelope();
            };
            // Nothing was sent for this job, so the next needs no RSET.
            self.decide_failure(Stage::MailFrom, reason);
            if !self.take_next_job() {
                return self.quit();
            }
        }
    }

    /// Why the server must not even be asked to take the current job, if it must not.
    fn refused_before_mail(&self) -> Option<FailureReason> {
        let size = self.job.message.size;
        if let Some(limit) = self.offered.size_limit().filter(|&limit| size > limit) {
            // RFC 1870 §6: a client that knows the message is too big does not try.
            return Some(FailureReason::MessageTooBig { size, limit });
        }
        if self.job.message_has_8bit && !self.offered.eight_bit_mime {
            return Some(FailureReason::EightBitNotOffered);
        }
        None
    }

    /// MAIL with SIZE and BODY, and with pipelining every RCPT and DATA in the same write.
    fn send_envelope(&mut self) {
        let size = self.job.message.size;
        // Room for ` SIZE=` and 20 digits, and ` BODY=8BITMIME`.
        let mut mail = path_line("MAIL FROM:<", &self.job.reverse_path, 40);
        if self.offered.size.is_some() {
            mail.push_str(" SIZE=");
            mail.push_str(Decimal::of(size).as_str());
        }
        if self.job.message_has_8bit {
            mail.push_str(" BODY=8BITMIME");
        }
        self.pipelining = self.config.use_pipelining && self.offered.pipelining;
        // Room for everything this write carries, so the group is written without growing.
        let mut group = mail.len() + 2;
        if self.pipelining {
            let rcpt_lines: usize = self
                .job
                .recipients
                .iter()
                .map(|to| "RCPT TO:<>\r\n".len() + to.len())
                .sum();
            group += rcpt_lines + "DATA\r\n".len();
        }
        self.output.reserve(group);
        self.send_command(Awaiting::Mail, mail);
        self.transaction_open = true;
        if self.pipelining {
            for index in 0..self.job.recipients.len() {
                self.send_rcpt(index);
            }
            self.send_command(Awaiting::Data, "DATA".into());
        }
        self.set_state(ClientState::Envelope);
    }

    pub(super) fn on_mail_reply(&mut self, reply: &Reply) {
        match reply.code.class() {
            2 if !self.pipelining => self.send_rcpt(0),
            2 => {}
            // The rest of the group is answered 503; wait for those replies, then report.
            4 | 5 if self.pipelining => {
                self.envelope_failure = Some(TransactionFailure {
                    stage: Stage::MailFrom,
                    reason: FailureReason::Rejected(reply.clone()),
                });
            }
            _ => self.give_up(Stage::MailFrom, reply),
        }
    }

    pub(super) fn on_rcpt_reply(&mut self, index: usize, reply: &Reply) {
        // After a failed MAIL the RCPT replies only say "need MAIL first".
        if self.envelope_failure.is_none() {
            // Each RCPT is answered once, so its address moves out of the job here.
            let address = std::mem::take(&mut self.job.recipients[index]);
            match reply.code.class() {
                // 250, or 251 "will forward" (RFC 5321 §3.4).
                2 => {
                    self.accepted.push(address.clone());
                    self.events
                        .push_back(ClientEvent::RecipientAccepted { address });
                }
                4 | 5 => {
                    let rejected = RejectedRecipient {
                        address,
                        reply: reply.clone(),
                    };
                    self.events.push_back(ClientEvent::RecipientRejected {
                        address: rejected.address.clone(),
                        reply: rejected.reply.clone(),
                        severity: rejected.severity(),
                    });
                    self.rejected.push(rejected);
                }
                _ => return self.give_up(Stage::Recipients, reply),
            }
        }
        if self.pipelining {
            return;
        }
        if index + 1 < self.job.recipients.len() {
            self.send_rcpt(index + 1);
        } else if self.accepted.is_empty() {
            self.no_recipient_accepted();
        } else {
            self.send_command(Awaiting::Data, "DATA".to_string());
        }
    }

    pub(super) fn on_data_reply(&mut self, reply: &Reply) {
        if reply.code.get() == 354 {
            return self.send_message();
        }
        if let Some(failure) = self.envelope_failure.take() {
            self.fail(failure.stage, failure.reason);
        } else if self.accepted.is_empty() {
            // RFC 2920 §3.1: the pipelined DATA is refused (503/554) when no RCPT succeeded.
            self.no_recipient_accepted();
        } else {
            self.give_up(Stage::Data, reply);
        }
    }

    pub(super) fn on_end_of_data_reply(&mut self, reply: &Reply) {
        // Whatever it says, the reply to the final `.` ends the transaction (§4.1.1.4).
        self.transaction_open = false;
        if let Some(failure) = self.envelope_failure.take() {
            self.fail(failure.stage, failure.reason);
        } else if self.accepted.is_empty() {
            self.no_recipient_accepted();
        } else if reply.code.class() == 2 {
            let delivered = Outcome::Delivered {
                accepted: std::mem::take(&mut self.accepted),
                rejected: std::mem::take(&mut self.rejected),
                queue_id: queue_id_in(reply),
            };
            self.decide(delivered);
            self.next_job_or_quit();
        } else {
            self.give_up(Stage::EndOfData, reply);
        }
    }

    fn send_rcpt(&mut self, index: usize) {
        let line = path_line("RCPT TO:<", &self.job.recipients[index], 0);
        self.send_command(Awaiting::Rcpt(index), line);
    }

    /// After 354: the content, or, when nobody is left to receive it (a pipelined DATA that
    /// got 354 anyway), only the final `.` so that nothing is delivered (RFC 2920 §3.1).
    fn send_message(&mut self) {
        let nobody_to_deliver_to = self.envelope_failure.is_some() || self.accepted.is_empty();
        let (wire, size, dot_stuffed_lines) = if nobody_to_deliver_to {
            (&b".\r\n"[..], 0, Vec::new())
        } else {
            let message = &self.job.message;
            (
                &message.wire[..],
                message.size,
                message.dot_stuffed_lines.clone(),
            )
        };
        self.output.extend_from_slice(wire);
        self.awaiting.push_back(Awaiting::EndOfData);
        self.events.push_back(ClientEvent::SentMessage {
            size,
            dot_stuffed_lines,
        });
        self.set_state(ClientState::MessageSent);
    }

    fn no_recipient_accepted(&mut self) {
        let rejected = std::mem::take(&mut self.rejected);
        self.decide(Outcome::NoRecipientAccepted { rejected });
        self.next_job_or_quit();
    }
}

/// The queue id in a 250 reply to the end of data, as Postfix (`queued as 4F2B41234`), Kurir
/// and Exim (`id=1rX2ab-000Cde-12`) write it.
fn queue_id_in(reply: &Reply) -> Option<String> {
    reply.lines.iter().find_map(|line| {
        let start = ["queued as ", "id="]
            .iter()
            .find_map(|marker| find_ignoring_case(line, marker).map(|at| at + marker.len()))?;
        let id: &str = line[start..]
            .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .next()?
            .trim_end_matches('.');
        (!id.is_empty()).then(|| id.to_string())
    })
}

/// Where `marker` (ASCII) first occurs in `line`, ignoring ASCII case. A match starts and
/// ends at ASCII bytes, so the offsets are char boundaries of `line`.
fn find_ignoring_case(line: &str, marker: &str) -> Option<usize> {
    line.as_bytes()
        .windows(marker.len())
        .position(|window| window.eq_ignore_ascii_case(marker.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::smtp::reply::ReplyCode;

    fn ok(text: &str) -> Reply {
        Reply::new(ReplyCode::known(250), None, text)
    }

    #[test]
    fn queue_id_is_read_from_the_usual_wordings() {
        assert_eq!(
            queue_id_in(&ok("Ok: queued as 000000070001")).as_deref(),
            Some("000000070001")
        );
        assert_eq!(
            queue_id_in(&ok("OK id=1rX2ab-000Cde-12")).as_deref(),
            Some("1rX2ab-000Cde-12")
        );
        assert_eq!(
            queue_id_in(&ok("Queued as ABC123.")).as_deref(),
            Some("ABC123")
        );
        assert_eq!(queue_id_in(&ok("Ok")), None);
        assert_eq!(queue_id_in(&ok("queued as ")), None);
    }
}
