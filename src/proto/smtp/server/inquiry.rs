//! Commands that ask instead of send: VRFY (RFC 5321 §3.5.3, §4.1.1.6), EXPN (§3.5.2,
//! §4.1.1.7, answered in dispatch: this server has no lists) and HELP (§4.1.1.8).

use super::*;
use crate::proto::smtp::command::{parse_mailbox, Verb};
use crate::proto::smtp::reply::{Reply, ReplyCode};
use crate::proto::smtp::status::EnhancedStatus;

impl SmtpServer {
    pub(super) fn vrfy(&mut self, target: &str) {
        let to = Some(Verb::Vrfy);
        let name = target
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(target);
        if name.contains('@') {
            let mailbox = match parse_mailbox(Verb::Vrfy, name) {
                Ok(mailbox) => mailbox,
                Err(error) => return self.command_error(&error),
            };
            if !self.policy.is_local_domain(mailbox.domain) {
                return match self.policy.role {
                    PortRole::Submission => {
                        let text = format!(
                            "Cannot VRFY <{mailbox}>, but will accept message and attempt delivery"
                        );
                        self.reply(to, 252, EnhancedStatus::DESTINATION_VALID, &text)
                    }
                    PortRole::Relay => {
                        let text = format!(
                            "<{mailbox}>: not a domain of this server, and it does not relay"
                        );
                        self.reply(to, 550, EnhancedStatus::NOT_AUTHORIZED, &text)
                    }
                };
            }
            return match self.policy.account_for(&mailbox) {
                Some(account) => {
                    let text = format!("{} <{}>", account.display_name, account.address());
                    self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, &text)
                }
                None => {
                    let text = format!("<{mailbox}>: no such user here");
                    self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, &text)
                }
            };
        }
        let matches: Vec<&Account> = self
            .policy
            .accounts
            .iter()
            .filter(|a| a.user.eq_ignore_ascii_case(name))
            .collect();
        match matches.as_slice() {
            [account] => {
                let text = format!("{} <{}>", account.display_name, account.address());
                self.reply(to, 250, EnhancedStatus::DESTINATION_VALID, text);
            }
            [] if name.eq_ignore_ascii_case("postmaster") => {
                self.reply(
                    to,
                    252,
                    EnhancedStatus::DESTINATION_VALID,
                    "Cannot VRFY Postmaster, but will accept message and attempt delivery",
                );
            }
            [] => {
                let text = format!("{name}: no such user here");
                self.reply(to, 550, EnhancedStatus::BAD_DESTINATION_MAILBOX, text);
            }
            several => {
                let addresses: Vec<String> = several
                    .iter()
                    .map(|a| format!("<{}>", a.address()))
                    .collect();
                let text = format!("User ambiguous: {name} could be {}", addresses.join(" or "));
                self.reply(to, 553, EnhancedStatus::new(5, 1, 4), text);
            }
        }
    }

    // ---- HELP (RFC 5321 §4.1.1.8) -------------------------------------------------------------

    pub(super) fn help(&mut self, topic: Option<&str>) {
        let to = Some(Verb::Help);
        if !self.policy.extensions.help {
            return self.reply(
                to,
                502,
                EnhancedStatus::INVALID_COMMAND,
                "HELP is not available on this server",
            );
        }
        let status = self.status_for(ReplyCode::known(214), EnhancedStatus::OK);
        let Some(topic) = topic else {
            let mut lines = vec!["Commands (HELP <command> explains one):".to_string()];
            lines.extend(Verb::ALL.iter().map(|verb| verb.syntax().to_string()));
            lines.push("End of HELP".to_string());
            let reply = Reply::multiline(
                ReplyCode::known(214),
                status,
                lines.iter().map(String::as_str),
            );
            return self.send(to, reply);
        };
        let word = topic.split([' ', ':']).next().unwrap_or(topic);
        match Verb::from_word(word.as_bytes()) {
            Some(verb) => {
                let text = format!("{} - {}", verb.syntax(), what_it_does(verb));
                self.send(to, Reply::new(ReplyCode::known(214), status, &text));
            }
            None => {
                let text = format!(
                    "HELP topic \"{topic}\" not recognized; type HELP for the list of commands"
                );
                self.reply(to, 504, EnhancedStatus::INVALID_COMMAND, text);
            }
        }
    }
}

/// One line for `HELP <command>`.
fn what_it_does(verb: Verb) -> &'static str {
    match verb {
        Verb::Helo => "says hello with your host name (plain SMTP, no extensions)",
        Verb::Ehlo => "says hello with your host name; the reply lists the extensions offered",
        Verb::Mail => "starts a message and names the sender (<> for bounces)",
        Verb::Rcpt => "names one recipient; repeat it for each recipient",
        Verb::Data => "after 354, send the message; end it with a line holding only \".\"",
        Verb::Rset => "cancels the current message, keeps the connection",
        Verb::Noop => "does nothing; checks that the server is still there",
        Verb::Quit => "ends the session; the server closes the connection",
        Verb::Vrfy => "asks whether a user or address exists here",
        Verb::Expn => "asks for the members of a mailing list",
        Verb::Help => "shows the commands, or explains one",
        Verb::Auth => "logs in on the submission port 587 (PLAIN or LOGIN)",
        Verb::StartTls => "would switch to TLS encryption; not offered in this simulation",
    }
}
