//! What became of one message: delivered, refused per recipient, or the whole transaction failed,
//! always with what an MTA needs to choose between retrying and bouncing (RFC 5321 §4.2.1 reply
//! classes, §4.5.4.1 retry, §6.1 responsibility; RFC 3463 classes 4 and 5).

use std::fmt;

use crate::proto::smtp::reply::Reply;

/// Whether trying again later can help (RFC 5321 §4.2.1: 4yz transient, 5yz permanent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Keep the message queued and retry later.
    Temporary,
    /// Do not retry: return the message to its sender.
    Permanent,
}

impl Severity {
    /// The severity a failure reply carries: class 5 is permanent, anything else temporary.
    pub fn of_reply(reply: &Reply) -> Self {
        if reply.code.class() == 5 {
            Severity::Permanent
        } else {
            Severity::Temporary
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Temporary => "temporary failure",
            Severity::Permanent => "permanent failure",
        })
    }
}

/// Where in the session something went wrong (RFC 5321 §3.1–§3.3, §4.1.1, RFC 4954).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Waiting for the 220 greeting (§3.1).
    Greeting,
    /// EHLO or HELO (§4.1.1.1).
    Hello,
    /// AUTH (RFC 4954 §4).
    Authentication,
    /// MAIL FROM, or the checks made before sending it (§4.1.1.2, RFC 1870 SIZE).
    MailFrom,
    /// RCPT TO (§4.1.1.3).
    Recipients,
    /// The DATA command itself (§4.1.1.4), before any content.
    Data,
    /// The reply to the content's final `.` (§4.1.1.4): the server takes responsibility here.
    EndOfData,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Greeting => "greeting",
            Stage::Hello => "EHLO/HELO",
            Stage::Authentication => "AUTH",
            Stage::MailFrom => "MAIL FROM",
            Stage::Recipients => "RCPT TO",
            Stage::Data => "DATA",
            Stage::EndOfData => "end of data",
        })
    }
}

/// Why the transaction as a whole failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureReason {
    /// The server answered with a 4xx or 5xx reply.
    Rejected(Reply),
    /// The server's SIZE limit (RFC 1870 §4) is smaller than the message; MAIL was not sent.
    MessageTooBig { size: u64, limit: u64 },
    /// The message has 8-bit octets and the server does not offer 8BITMIME (RFC 6152 §3).
    EightBitNotOffered,
    /// A reply that is malformed or makes no sense at this point.
    ProtocolError(String),
    /// The connection ended before the outcome was known.
    ConnectionLost,
    /// No reply within RFC 5321 §4.5.3.2's time limit.
    TimedOut,
}

/// The transaction failed at `stage` for `reason`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionFailure {
    pub stage: Stage,
    pub reason: FailureReason,
}

impl TransactionFailure {
    /// Permanent for a 5xx reply and for what no retry can change (size, 8-bit); temporary for
    /// 4xx replies, lost connections, timeouts and protocol errors.
    pub fn severity(&self) -> Severity {
        match &self.reason {
            FailureReason::Rejected(reply) => Severity::of_reply(reply),
            FailureReason::MessageTooBig { .. } | FailureReason::EightBitNotOffered => {
                Severity::Permanent
            }
            FailureReason::ProtocolError(_)
            | FailureReason::ConnectionLost
            | FailureReason::TimedOut => Severity::Temporary,
        }
    }

    /// The server's reply, when the server said no.
    pub fn reply(&self) -> Option<&Reply> {
        match &self.reason {
            FailureReason::Rejected(reply) => Some(reply),
            _ => None,
        }
    }
}

impl fmt::Display for TransactionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: ", self.severity(), self.stage)?;
        match &self.reason {
            FailureReason::Rejected(reply) => write!(f, "{reply}"),
            FailureReason::MessageTooBig { size, limit } => write!(
                f,
                "the message has {size} octets, the server takes at most {limit}"
            ),
            FailureReason::EightBitNotOffered => {
                f.write_str("the message has 8-bit octets and the server does not offer 8BITMIME")
            }
            FailureReason::ProtocolError(detail) => write!(f, "protocol error: {detail}"),
            FailureReason::ConnectionLost => f.write_str("the connection was lost"),
            FailureReason::TimedOut => f.write_str("no reply in time"),
        }
    }
}

/// A recipient the server refused with a 4xx or 5xx reply to RCPT TO.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedRecipient {
    pub address: String,
    pub reply: Reply,
}

impl RejectedRecipient {
    /// As the reply class says, except that `552` is temporary: old servers use it for "too many
    /// recipients", and RFC 5321 §4.5.3.1.10 asks clients to retry those later.
    pub fn severity(&self) -> Severity {
        if self.reply.code.get() == 552 {
            Severity::Temporary
        } else {
            Severity::of_reply(&self.reply)
        }
    }
}

/// The end of one job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server took responsibility for the message (250 after the final `.`) for `accepted`;
    /// the recipients in `rejected` were refused one by one.
    Delivered {
        accepted: Vec<String>,
        rejected: Vec<RejectedRecipient>,
        /// The server's queue id, when its reply names one (`queued as X`, `id=X`).
        queue_id: Option<String>,
    },
    /// Every recipient was refused; no message content was sent.
    NoRecipientAccepted { rejected: Vec<RejectedRecipient> },
    /// The transaction failed as a whole; recipients not in `rejected` share `failure`.
    Failed {
        failure: TransactionFailure,
        rejected: Vec<RejectedRecipient>,
    },
}

/// What became of one recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecipientStatus<'a> {
    Delivered,
    /// Not delivered; `reply` is the server's answer when there was one.
    Failed {
        severity: Severity,
        reply: Option<&'a Reply>,
    },
}

impl Outcome {
    /// What became of `address` (as the job's recipient, e.g. `budi@beta.example`); `None` for an
    /// address this outcome does not mention.
    pub fn recipient_status(&self, address: &str) -> Option<RecipientStatus<'_>> {
        let (accepted, rejected, failure): (&[String], _, _) = match self {
            Outcome::Delivered {
                accepted, rejected, ..
            } => (accepted, rejected, None),
            Outcome::NoRecipientAccepted { rejected } => (&[], rejected, None),
            Outcome::Failed { failure, rejected } => (&[], rejected, Some(failure)),
        };
        let same = |other: &str| other.eq_ignore_ascii_case(address);
        if let Some(refused) = rejected.iter().find(|r| same(&r.address)) {
            return Some(RecipientStatus::Failed {
                severity: refused.severity(),
                reply: Some(&refused.reply),
            });
        }
        if accepted.iter().any(|a| same(a)) {
            return Some(RecipientStatus::Delivered);
        }
        failure.map(|failure| RecipientStatus::Failed {
            severity: failure.severity(),
            reply: failure.reply(),
        })
    }
}
