//! Opening a mail transaction: MAIL (RFC 5321 §4.1.1.2, SIZE of RFC 1870, BODY of RFC 6152,
//! a sending limit's `451 4.7.1`) and RCPT (RFC 5321 §4.1.1.3, relaying rules of §3.6,
//! recipient limit of §4.5.3.1.8).

use super::*;
use crate::proto::smtp::command::{ForwardPathRef, MailboxRef, Parameters, ReversePathRef, Verb};
use crate::proto::smtp::status::EnhancedStatus;

impl SmtpServer {
    pub(super) fn mail(
        &mut self,
        from: ReversePathRef<'_>,
        size: Option<u64>,
        body_8bit: bool,
        other_params: Parameters<'_>,
    ) {
        let to = Some(Verb::Mail);
        match self.state {
            SessionState::Greeted => return self.reply(to, 503, EnhancedStatus::INVALID_COMMAND, "Bad sequence of commands: say EHLO first"),
            SessionState::MailFrom | SessionState::RcptTo => {
                return self.reply(to, 503, EnhancedStatus::INVALID_COMMAND, "Bad sequence of commands: a transaction is already open (finish it with DATA or RSET)")
            }
            _ => {}
        }
        if self.policy.role == PortRole::Submission && self.authenticated_user.is_none() {
            return self.reply(
                to,
                530,
                EnhancedStatus::SECURITY_OTHER,
                "Authentication required: AUTH first",
            );
        }
        let extensions = self.policy.extensions;
        let unsupported = other_params
            .first()
            .or(size.filter(|_| !extensions.size).map(|_| "SIZE"))
            .or(body_8bit
                .then_some("BODY=8BITMIME")
                .filter(|_| !extensions.eight_bit_mime));
        if let Some(param) = unsupported {
            let text = format!(
                "Syntax: {} (parameter {param} is not supported here)",
                Verb::Mail.syntax()
            );
            return self.reply(to, 501, EnhancedStatus::INVALID_ARGUMENTS, text);
        }
        let max = self.policy.max_message_size;
        if size.is_some_and(|declared| declared > max) {
            let text = format!("Message size exceeds fixed maximum message size of {max} octets");
            return self.reply(to, 552, EnhancedStatus::MESSAGE_TOO_BIG, text);
        }
        if let (Some(limit), Some(user)) = (self.policy.sending_limit, &self.authenticated_user) {
            if let Err(reached) = limit.check(&self.sent, user, self.now) {
                let text = reached.reply_text(&self.policy.host_name);
                return self.reply(to, 451, EnhancedStatus::REFUSED_FOR_NOW, text);
            }
        }
        let sender = match from {
            ReversePathRef::Null => String::new(),
            ReversePathRef::Mailbox(mailbox) => address_of(mailbox),
        };
        let text = joined(&["Sender <", &sender, "> ok"]);
        self.envelope = Envelope {
            reverse_path: Some(sender),
            recipients: Vec::new(),
            data_size: 0,
        };
        self.state = SessionState::MailFrom;
        self.reply(to, 250, EnhancedStatus::SENDER_OK, text);
    }

    // ---- RCPT (RFC 5321 §4.1.1.3, relay rules §3.6, limits §4.5.3.1.8) ----------------------

    pub(super) fn rcpt(&mut self, forward_path: ForwardPathRef<'_>, params: Parameters<'_>) {
        let to = Some(Verb::Rcpt);
        if !matches!(self.state, SessionState::MailFrom | SessionState::RcptTo) {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: need MAIL FROM before RCPT TO",
            );
        }
        if let Some(param) = params.first() {
            let text = format!(
                "Syntax: {} (parameter {param} is not supported here)",
                Verb::Rcpt.syntax()
            );
            return self.reply(to, 501, EnhancedStatus::INVALID_ARGUMENTS, text);
        }
        let address = match forward_path {
            ForwardPathRef::Postmaster => "Postmaster".to_string(),
            ForwardPathRef::Mailbox(mailbox) => address_of(mailbox),
        };
        if self.envelope.recipients.is_empty() {
            // A new transaction: the keys still name the last one's recipients.
            self.recipient_keys.clear();
        }
        let key = self.recipient_key(&address);
        if self.recipient_keys.contains(&key) {
            // RFC 5321 §3.3 lets a client name a recipient twice; the message is still
            // delivered once per mailbox, so the envelope keeps one copy and the limit below
            // does not count the repeat.
            let text = format!("Recipient <{address}> ok (already a recipient)");
            return self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, text);
        }
        if self.envelope.recipients.len() >= self.policy.max_recipients {
            let text = format!(
                "Too many recipients: at most {} per message",
                self.policy.max_recipients
            );
            return self.reply(to, 452, EnhancedStatus::TOO_MANY_RECIPIENTS, text);
        }
        let note = match forward_path {
            ForwardPathRef::Postmaster => "",
            ForwardPathRef::Mailbox(mailbox) => {
                if self.policy.is_local_domain(mailbox.domain) {
                    let is_postmaster = mailbox.local.eq_ignore_ascii_case("postmaster");
                    if self.policy.account_for(&mailbox).is_none() && !is_postmaster {
                        let text =
                            format!("<{address}>: Recipient address rejected: no such user here");
                        return self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, text);
                    }
                    if self.policy.is_mailbox_full(&address) {
                        let text = format!("<{address}>: Mailbox full, try again later");
                        return self.reply(to, 452, EnhancedStatus::MAILBOX_FULL, text);
                    }
                    ""
                } else if self.policy.role == PortRole::Relay {
                    let text = format!("<{address}>: Relay access denied");
                    return self.reply(to, 554, EnhancedStatus::NOT_AUTHORIZED, text);
                } else {
                    ", queued for relay"
                }
            }
        };
        let text = joined(&["Recipient <", &address, "> ok", note]);
        self.envelope.recipients.push(address);
        self.recipient_keys.insert(key);
        self.state = SessionState::RcptTo;
        self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, text);
    }

    /// The mailbox `address` names, written so that two addresses of one mailbox are equal:
    /// the domain without regard to case (RFC 5321 §2.4); the local part too for our own
    /// domains, whose users we know are matched without regard to case, but as it is
    /// elsewhere, where a local part may be case-sensitive (`Ani@x` and `ani@x` stay two
    /// recipients). `Postmaster` (no domain) in any case.
    fn recipient_key(&self, address: &str) -> String {
        match address.rsplit_once('@') {
            Some((_, domain)) if self.policy.is_local_domain(domain) => {
                address.to_ascii_lowercase()
            }
            Some((local, domain)) => joined(&[local, "@", &domain.to_ascii_lowercase()]),
            None => address.to_ascii_lowercase(),
        }
    }
}

/// `local@domain`, as the mailbox's `Display` writes it.
fn address_of(mailbox: MailboxRef<'_>) -> String {
    joined(&[mailbox.local, "@", mailbox.domain])
}
