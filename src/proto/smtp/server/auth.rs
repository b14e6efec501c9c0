//! AUTH on the submission port (RFC 4954 §4, §6; RFC 6409 §4.3) with the PLAIN (RFC 4616)
//! and LOGIN mechanisms.

use base64::Engine as _;

use super::*;
use crate::proto::smtp::command::Verb;
use crate::proto::smtp::status::EnhancedStatus;
/// RFC 4954 §4 challenges for LOGIN: base64 of "Username:" and "Password:".
const LOGIN_USERNAME_CHALLENGE: &str = "VXNlcm5hbWU6";
const LOGIN_PASSWORD_CHALLENGE: &str = "UGFzc3dvcmQ6";

/// Where an AUTH exchange stands (RFC 4954 §4).
#[derive(Clone, Debug)]
pub(super) enum AuthExchange {
    /// Sent `334 ` for PLAIN; waiting for `authzid NUL authcid NUL password` in base64.
    Plain,
    /// Sent the LOGIN username challenge.
    LoginUser,
    /// Sent the LOGIN password challenge.
    LoginPassword { user: String },
}

impl SmtpServer {
    pub(super) fn auth(&mut self, mechanism: &str, initial_response: Option<&str>) {
        let to = Some(Verb::Auth);
        if self.policy.role == PortRole::Relay {
            return self.reply(
                to,
                502,
                EnhancedStatus::INVALID_COMMAND,
                "AUTH not available on this port: submit mail on port 587",
            );
        }
        if !self.hello.as_ref().is_some_and(|hello| hello.extended) {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: say EHLO first, AUTH is an ESMTP extension",
            );
        }
        if self.authenticated_user.is_some() {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: already authenticated",
            );
        }
        if self.state != SessionState::Ready {
            return self.reply(
                to,
                503,
                EnhancedStatus::INVALID_COMMAND,
                "Bad sequence of commands: AUTH is not allowed inside a mail transaction",
            );
        }
        // Mechanism names ignore case (RFC 4954 §4).
        let (exchange, challenge) = if mechanism.eq_ignore_ascii_case("PLAIN") {
            (AuthExchange::Plain, "")
        } else if mechanism.eq_ignore_ascii_case("LOGIN") {
            (AuthExchange::LoginUser, LOGIN_USERNAME_CHALLENGE)
        } else {
            let text = format!(
                "Unrecognized authentication type {}; this server offers PLAIN and LOGIN",
                mechanism.to_ascii_uppercase()
            );
            return self.reply(to, 504, EnhancedStatus::INVALID_ARGUMENTS, text);
        };
        match initial_response {
            Some(response) => self.auth_response(exchange, response.as_bytes()),
            None => self.challenge(exchange, challenge),
        }
    }

    pub(super) fn challenge(&mut self, exchange: AuthExchange, challenge: &str) {
        self.auth_exchange = Some(exchange);
        self.state = SessionState::Authenticating;
        self.reply_plain(Some(Verb::Auth), 334, challenge);
    }

    pub(super) fn end_auth_exchange(&mut self) {
        self.auth_exchange = None;
        self.state = SessionState::Ready;
    }

    /// A line while Authenticating: the exchange ends here unless a new challenge follows.
    pub(super) fn continue_auth(&mut self, line: &[u8]) {
        self.state = SessionState::Ready;
        if let Some(exchange) = self.auth_exchange.take() {
            self.auth_response(exchange, line);
        }
    }

    /// One base64 line of the client's side of the exchange; `*` cancels (RFC 4954 §4).
    pub(super) fn auth_response(&mut self, exchange: AuthExchange, line: &[u8]) {
        let to = Some(Verb::Auth);
        let line = line.trim_ascii();
        if line == b"*" {
            return self.reply(
                to,
                501,
                EnhancedStatus::SECURITY_OTHER,
                "Authentication cancelled",
            );
        }
        // RFC 4954 §4: "=" is an empty initial response.
        let decoded = if line == b"=" {
            Ok(Vec::new())
        } else {
            base64::engine::general_purpose::STANDARD.decode(line)
        };
        let Ok(decoded) = decoded else {
            return self.reply(
                to,
                501,
                EnhancedStatus::SYNTAX_ERROR,
                "Invalid base64 data; AUTH cancelled",
            );
        };
        let Ok(text) = String::from_utf8(decoded) else {
            return self.reply(
                to,
                501,
                EnhancedStatus::SYNTAX_ERROR,
                "The decoded response is not UTF-8 text; AUTH cancelled",
            );
        };
        match exchange {
            AuthExchange::Plain => {
                let mut parts = text.split('\0');
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(authzid), Some(user), Some(password), None)
                        if authzid.is_empty() || authzid == user =>
                    {
                        self.verify(user, password)
                    }
                    (Some(_), Some(_), Some(_), None) => self.verify_failed(),
                    _ => self.reply(
                        to,
                        501,
                        EnhancedStatus::SYNTAX_ERROR,
                        "PLAIN expects base64 of: authorization-id NUL user NUL password",
                    ),
                }
            }
            AuthExchange::LoginUser => self.challenge(
                AuthExchange::LoginPassword { user: text },
                LOGIN_PASSWORD_CHALLENGE,
            ),
            AuthExchange::LoginPassword { user } => self.verify(&user, &text),
        }
    }

    /// `user` may be the login name (`ani`) or the full address (`ani@alpha.example`).
    pub(super) fn verify(&mut self, user: &str, password: &str) {
        let account = self.policy.accounts.iter().find(|a| {
            (a.user.eq_ignore_ascii_case(user) || a.address().eq_ignore_ascii_case(user))
                && a.password == password
        });
        let Some(user) = account.map(|a| a.user.clone()) else {
            return self.verify_failed();
        };
        self.authenticated_user = Some(user.clone());
        self.reply(
            Some(Verb::Auth),
            235,
            EnhancedStatus::AUTH_SUCCEEDED,
            "Authentication successful",
        );
        self.events.push_back(ServerEvent::Authenticated { user });
    }

    pub(super) fn verify_failed(&mut self) {
        self.reply(
            Some(Verb::Auth),
            535,
            EnhancedStatus::BAD_CREDENTIALS,
            "Authentication credentials invalid",
        );
    }
}
