//! EHLO and HELO (RFC 5321 §4.1.1.1): the greeting reply and the list of extensions
//! (RFC 5321 §4.1.4 for what a second EHLO resets).

use super::*;
use crate::proto::smtp::command::Verb;
use crate::proto::smtp::decimal::Decimal;
use crate::proto::smtp::reply::{Reply, ReplyCode};

impl SmtpServer {
    pub(super) fn hello(&mut self, domain: &str, extended: bool) {
        self.envelope = Envelope::default();
        self.state = SessionState::Ready;
        let greeting = joined(&[&self.policy.host_name, " greets ", domain]);
        self.hello = Some(ClientHello {
            domain: domain.to_string(),
            extended,
        });
        if !extended {
            self.reply_plain(Some(Verb::Helo), 250, greeting);
            return;
        }
        let extensions = self.policy.extensions;
        let mut lines = Vec::with_capacity(7);
        lines.push(greeting);
        if extensions.size {
            lines.push(joined(&[
                "SIZE ",
                Decimal::of(self.policy.max_message_size).as_str(),
            ]));
        }
        let advertised = [
            (extensions.eight_bit_mime, "8BITMIME"),
            (extensions.pipelining, "PIPELINING"),
            (extensions.enhanced_status_codes, "ENHANCEDSTATUSCODES"),
            (extensions.help, "HELP"),
            (self.policy.role == PortRole::Submission, "AUTH PLAIN LOGIN"),
        ];
        lines.extend(
            advertised
                .into_iter()
                .filter(|(offered, _)| *offered)
                .map(|(_, keyword)| keyword.to_string()),
        );
        let reply = Reply::multiline(ReplyCode::known(250), None, lines);
        self.send(Some(Verb::Ehlo), reply);
    }
}
