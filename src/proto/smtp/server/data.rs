//! DATA and the message after it (RFC 5321 §4.1.1.4, dot-stuffing §4.5.2, line limit
//! §4.5.3.1.6, bare CR/LF §2.3.8), and accepting the message with its trace header (§4.4).

use super::*;
use crate::proto::line::{DataReader, ReceivedData};
use crate::proto::smtp::command::Verb;
use crate::proto::smtp::decimal::push_upper_hex;
use crate::proto::smtp::status::EnhancedStatus;
use crate::proto::smtp::trace::{
    received_header_len, write_received_header, TraceFields, TraceProtocol,
};
/// Longest line of message data, CRLF included (RFC 5321 §4.5.3.1.6).
const MAX_TEXT_LINE: usize = 1000;

impl SmtpServer {
    pub(super) fn data(&mut self) {
        let to = Some(Verb::Data);
        match self.state {
            SessionState::RcptTo => {
                self.data = Some(DataReader::new(self.policy.max_message_size, MAX_TEXT_LINE));
                self.state = SessionState::Data;
                self.reply_plain(to, 354, "End data with <CR><LF>.<CR><LF>");
            }
            SessionState::MailFrom => self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: no valid recipients yet, need RCPT TO before DATA",
            ),
            _ => self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: need MAIL FROM and RCPT TO before DATA",
            ),
        }
    }

    pub(super) fn end_of_data(&mut self) {
        let Some(reader) = self.data.take() else {
            return;
        };
        let received = reader.finish();
        let to = Some(Verb::Data);
        if received.too_big {
            let text = format!(
                "Message too big: {} octets, the limit is {}",
                received.size, self.policy.max_message_size
            );
            self.reply(to, 552, EnhancedStatus::MESSAGE_TOO_BIG, text);
        } else if received.bare_line_ending {
            self.reply(
                to,
                550,
                EnhancedStatus::MEDIA_ERROR,
                "Message contains bare CR or LF; every line must end with CRLF (RFC 5321 §2.3.8)",
            );
        } else if let Some(line) = received.first_long_line {
            let text = format!("Line {line} of the message is longer than {MAX_TEXT_LINE} octets (RFC 5321 §4.5.3.1.6)");
            self.reply(to, 550, EnhancedStatus::MEDIA_ERROR, text);
        } else {
            self.accept_message(received);
        }
        self.reset_transaction();
    }

    pub(super) fn accept_message(&mut self, received: ReceivedData) {
        self.messages_accepted += 1;
        if let (Some(_), Some(user)) = (self.policy.sending_limit, &self.authenticated_user) {
            self.sent.record(user, self.now);
        }
        let mut queue_id = String::with_capacity(12);
        push_upper_hex(&mut queue_id, self.peer.session_id, 8);
        push_upper_hex(&mut queue_id, self.messages_accepted, 4);
        let protocol = match (&self.hello, &self.authenticated_user) {
            (Some(hello), _) if !hello.extended => TraceProtocol::Smtp,
            (_, Some(_)) => TraceProtocol::Esmtpa,
            _ => TraceProtocol::Esmtp,
        };
        // The transaction ends here (`end_of_data` resets it): its envelope moves into the
        // message.
        let envelope = std::mem::take(&mut self.envelope);
        let fields = TraceFields {
            helo_domain: self
                .hello
                .as_ref()
                .map_or("unknown", |hello| hello.domain.as_str()),
            peer_name: self.peer.name.as_deref(),
            peer_address: &self.peer.address,
            host_name: &self.policy.host_name,
            protocol,
            queue_id: &queue_id,
            first_recipient: envelope.recipients.first().map_or("", String::as_str),
            now: self.now,
        };
        let mut header =
            String::with_capacity(received_header_len(&fields) + received.content.len());
        write_received_header(&fields, &mut header);
        let mut content = header.into_bytes();
        content.extend_from_slice(&received.content);
        let reply_text = joined(&["Ok: queued as ", &queue_id]);
        let message = AcceptedMessage {
            queue_id,
            reverse_path: envelope.reverse_path.unwrap_or_default(),
            recipients: envelope.recipients,
            content,
            authenticated_as: self.authenticated_user.clone(),
        };
        self.reply(Some(Verb::Data), 250, EnhancedStatus::OK, reply_text);
        self.events.push_back(ServerEvent::MessageAccepted(message));
    }
}
