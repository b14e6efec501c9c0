//! One command line in, one handler called (RFC 5321 §4.1.1); malformed lines answered with
//! 500/501 and the expected syntax (RFC 5321 §4.2.2, §4.5.3.1.4, enhanced codes of RFC 3463).

use super::*;
use crate::proto::smtp::command::{
    parse_command_ref, CommandError, CommandErrorKind, CommandRef, Verb, MAX_COMMAND_LINE,
};
use crate::proto::smtp::status::EnhancedStatus;

impl SmtpServer {
    pub(super) fn handle_line(&mut self, line: &[u8]) {
        if self.state == SessionState::Authenticating {
            self.continue_auth(line);
            return;
        }
        match parse_command_ref(line) {
            Ok(command) => self.handle_command(command),
            Err(error) => self.command_error(&error),
        }
    }

    pub(super) fn line_too_long(&mut self) {
        if self.state == SessionState::Authenticating {
            self.end_auth_exchange();
            self.reply(
                Some(Verb::Auth),
                500,
                EnhancedStatus::new(5, 5, 6),
                "Authentication exchange line is too long; AUTH cancelled",
            );
        } else {
            let text = format!(
                "Line too long: a command line is at most {MAX_COMMAND_LINE} octets with its CRLF"
            );
            self.reply(None, 500, EnhancedStatus::SYNTAX_ERROR, text);
        }
    }

    pub(super) fn command_error(&mut self, error: &CommandError) {
        let (code, status) = match error.kind {
            CommandErrorKind::Unknown | CommandErrorKind::LineTooLong => {
                (500, EnhancedStatus::SYNTAX_ERROR)
            }
            CommandErrorKind::Syntax => (501, EnhancedStatus::SYNTAX_ERROR),
            CommandErrorKind::BadParameter => (501, EnhancedStatus::INVALID_ARGUMENTS),
            CommandErrorKind::BadAddress if error.verb == Some(Verb::Mail) => {
                (501, EnhancedStatus::BAD_SENDER_SYNTAX)
            }
            CommandErrorKind::BadAddress => (501, EnhancedStatus::BAD_DESTINATION_SYNTAX),
        };
        self.reply(error.verb, code, status, error.to_string());
    }

    pub(super) fn handle_command(&mut self, command: CommandRef<'_>) {
        match command {
            CommandRef::Helo { domain } => self.hello(domain, false),
            CommandRef::Ehlo { domain } => self.hello(domain, true),
            CommandRef::Mail { from, size, body_8bit, other_params } => self.mail(from, size, body_8bit, other_params),
            CommandRef::Rcpt { to, params } => self.rcpt(to, params),
            CommandRef::Data => self.data(),
            CommandRef::Rset => {
                self.reset_transaction();
                self.reply(Some(Verb::Rset), 250, EnhancedStatus::OK, "Ok, transaction reset");
            }
            CommandRef::Noop => self.reply(Some(Verb::Noop), 250, EnhancedStatus::OK, "Ok"),
            CommandRef::Quit => {
                let text = joined(&[&self.policy.host_name, " Service closing transmission channel"]);
                self.reply(Some(Verb::Quit), 221, EnhancedStatus::OK, text);
                self.close();
            }
            CommandRef::Vrfy { target } => self.vrfy(target),
            CommandRef::Expn { list } => {
                let text = format!("{list}: no such mailing list; this server has no lists (try VRFY for a user)");
                self.reply(Some(Verb::Expn), 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, text);
            }
            CommandRef::Help { topic } => self.help(topic),
            CommandRef::Auth { mechanism, initial_response } => self.auth(mechanism, initial_response),
            CommandRef::StartTls => self.reply(
                Some(Verb::StartTls),
                502,
                EnhancedStatus::INVALID_COMMAND,
                "STARTTLS not offered: this simulated network has no TLS (a real port 587 requires it)",
            ),
        }
    }

    /// Clears the envelope; an open transaction goes back to Ready (RFC 5321 §4.1.1.5).
    pub(super) fn reset_transaction(&mut self) {
        self.envelope = Envelope::default();
        if matches!(
            self.state,
            SessionState::MailFrom | SessionState::RcptTo | SessionState::Data
        ) {
            self.state = SessionState::Ready;
        }
    }
}
