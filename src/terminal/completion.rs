//! Tab completion for the terminal prompt: local commands and the world's host names while
//! disconnected; once connected, the commands of the protocol spoken (SMTP verbs with the
//! world's addresses, POP3 keywords with the world's users, IMAP commands after their tag).

use super::imap_talk::COMMAND_NAMES;
use crate::proto::smtp::Verb;
use crate::sim::default_world::{
    accounts_of, ALPHA_DOMAIN, BETA_DOMAIN, HOSTS, LEARNER_HOST, MAILBOX_SERVERS, SMTP_SERVICES,
};
use crate::sim::event::MailboxProtocol;

/// Where the prompt is, which decides what can be completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompletionContext {
    /// Not connected: local commands.
    Local,
    /// Connected to an SMTP server, between commands.
    Smtp,
    /// Typing message lines after 354, or an IMAP literal's data: nothing is completed.
    Data,
    /// Connected to a POP3 server.
    Pop3,
    /// Connected to an IMAP server; a command typed without a tag gets `next_tag`.
    Imap { next_tag: String },
    /// In IMAP IDLE: only DONE.
    Idle,
}

/// What pressing Tab does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    /// The new prompt text, when Tab could extend what was typed.
    pub line: Option<String>,
    /// The possible completions to show, when Tab could not choose between them.
    pub candidates: Vec<String>,
}

/// Local commands, as offered for completion.
pub const LOCAL_COMMANDS: [&str; 5] = ["help", "clear", "telnet ", "connect ", "quit"];

fn world_addresses() -> Vec<String> {
    [ALPHA_DOMAIN, BETA_DOMAIN]
        .into_iter()
        .flat_map(accounts_of)
        .map(|account| format!("{}@{}", account.user, account.domain))
        .collect()
}

fn local_candidates() -> Vec<String> {
    let mut all: Vec<String> = LOCAL_COMMANDS.iter().map(|c| c.to_string()).collect();
    for verb in ["telnet", "connect"] {
        for host in HOSTS {
            all.push(format!("{verb} {} ", host.name));
        }
        for (host, port) in SMTP_SERVICES {
            all.push(format!("{verb} {host} {port}"));
        }
        for (host, _) in MAILBOX_SERVERS {
            for protocol in [MailboxProtocol::Pop3, MailboxProtocol::Imap] {
                all.push(format!("{verb} {host} {}", protocol.port()));
            }
        }
    }
    all
}

/// What a verb looks like when offered: with the punctuation or space its argument needs.
fn verb_template(verb: Verb) -> String {
    let keyword = verb.keyword();
    match verb {
        Verb::Mail | Verb::Rcpt => format!("{keyword}<"),
        Verb::Helo | Verb::Ehlo | Verb::Vrfy | Verb::Expn | Verb::Auth => format!("{keyword} "),
        _ => keyword.to_string(),
    }
}

fn smtp_candidates() -> Vec<String> {
    let mut all: Vec<String> = Verb::ALL.into_iter().map(verb_template).collect();
    let learner_fqdn = format!("{LEARNER_HOST}.{ALPHA_DOMAIN}");
    all.push(format!("{} {learner_fqdn}", Verb::Ehlo.keyword()));
    all.push(format!("{} {learner_fqdn}", Verb::Helo.keyword()));
    all.push(format!("{} PLAIN", Verb::Auth.keyword()));
    all.push(format!("{} LOGIN", Verb::Auth.keyword()));
    for address in world_addresses() {
        all.push(format!("{}<{address}>", Verb::Mail.keyword()));
        all.push(format!("{}<{address}>", Verb::Rcpt.keyword()));
        all.push(format!("{} {address}", Verb::Vrfy.keyword()));
    }
    all
}

fn world_users() -> Vec<(String, String)> {
    [ALPHA_DOMAIN, BETA_DOMAIN]
        .into_iter()
        .flat_map(accounts_of)
        .map(|account| (account.user, account.password))
        .collect()
}

fn pop3_candidates() -> Vec<String> {
    let mut all: Vec<String> = [
        "USER ", "PASS ", "APOP ", "STAT", "LIST", "RETR ", "DELE ", "TOP ", "UIDL", "NOOP",
        "RSET", "CAPA", "QUIT",
    ]
    .map(String::from)
    .to_vec();
    for (user, password) in world_users() {
        all.push(format!("USER {user}"));
        all.push(format!("PASS {password}"));
    }
    all
}

/// IMAP commands as offered after a tag, with their usual arguments.
fn imap_candidates() -> Vec<String> {
    let mut all: Vec<String> = COMMAND_NAMES
        .iter()
        .map(|name| match *name {
            "CAPABILITY" | "NOOP" | "LOGOUT" | "CLOSE" | "UNSELECT" | "EXPUNGE" | "IDLE" => {
                name.to_string()
            }
            _ => format!("{name} "),
        })
        .collect();
    for (user, password) in world_users() {
        all.push(format!("LOGIN {user} {password}"));
    }
    all.extend(
        [
            "SELECT INBOX",
            "EXAMINE INBOX",
            "LIST \"\" *",
            "STATUS INBOX (MESSAGES UNSEEN)",
            "FETCH 1 BODY[]",
            "FETCH 1:* (FLAGS ENVELOPE)",
            "STORE 1 +FLAGS (\\Seen)",
            "STORE 1 +FLAGS (\\Flagged)",
            "STORE 1 +FLAGS (\\Deleted)",
            "SEARCH UNSEEN",
        ]
        .map(String::from),
    );
    all
}

/// IMAP completion: after a tag, the command; a command started without a tag gets one.
fn complete_imap(input: &str, next_tag: &str) -> Completion {
    let (tag, command) = match input.split_once(' ') {
        Some((tag, command)) => (tag, command),
        None => (next_tag, input),
    };
    let found = complete_from(command, &imap_candidates());
    let tagged = |command: String| format!("{tag} {command}");
    let line = match (found.line, found.candidates.is_empty()) {
        (Some(line), _) => Some(tagged(line)),
        // One exact command typed without its tag: Tab puts the tag in front.
        (None, true)
            if !input.contains(' ') && imap_candidates().contains(&input.to_ascii_uppercase()) =>
        {
            Some(tagged(input.to_ascii_uppercase()))
        }
        (None, _) => None,
    };
    Completion {
        line,
        candidates: found.candidates.into_iter().map(tagged).collect(),
    }
}

/// The longest prefix every candidate shares (compared ignoring ASCII case, kept as spelled).
fn common_prefix<'a>(candidates: &[&'a str]) -> &'a str {
    let first = candidates[0];
    let mut end = first.len();
    for other in &candidates[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a.eq_ignore_ascii_case(b))
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    &first[..end]
}

/// Completes `input` in `context`.
pub fn complete(input: &str, context: CompletionContext) -> Completion {
    let pool = match context {
        CompletionContext::Local => local_candidates(),
        CompletionContext::Smtp => smtp_candidates(),
        CompletionContext::Pop3 => pop3_candidates(),
        CompletionContext::Imap { next_tag } => return complete_imap(input, &next_tag),
        CompletionContext::Idle => vec!["DONE".to_string()],
        CompletionContext::Data => return Completion::default(),
    };
    complete_from(input, &pool)
}

/// Completes `input` from `pool`, ignoring ASCII case.
fn complete_from(input: &str, pool: &[String]) -> Completion {
    let typed = input.to_ascii_lowercase();
    let mut matches: Vec<&str> = pool
        .iter()
        .map(String::as_str)
        .filter(|candidate| {
            candidate.len() > input.len() && candidate.to_ascii_lowercase().starts_with(&typed)
        })
        .collect();
    matches.dedup();
    if matches.is_empty() {
        return Completion::default();
    }
    let prefix = common_prefix(&matches);
    if prefix.len() > input.len() {
        Completion {
            line: Some(prefix.to_string()),
            candidates: Vec::new(),
        }
    } else {
        Completion {
            line: None,
            candidates: matches.into_iter().map(str::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(input: &str, context: CompletionContext) -> Option<String> {
        complete(input, context).line
    }

    #[test]
    fn local_commands_complete_from_their_first_letters() {
        assert_eq!(
            line("he", CompletionContext::Local).as_deref(),
            Some("help")
        );
        assert_eq!(
            line("tel", CompletionContext::Local).as_deref(),
            Some("telnet ")
        );
    }

    #[test]
    fn host_names_complete_after_telnet() {
        assert_eq!(
            line("telnet mx1", CompletionContext::Local).as_deref(),
            Some("telnet mx1.beta.example ")
        );
        assert_eq!(
            complete("telnet mx1.beta.example ", CompletionContext::Local).candidates,
            [
                "telnet mx1.beta.example 25",
                "telnet mx1.beta.example 110",
                "telnet mx1.beta.example 143"
            ]
        );
        assert_eq!(
            line("telnet mx1.beta.example 1", CompletionContext::Local).as_deref(),
            None,
            "110 or 143"
        );
        assert_eq!(
            line("connect mail.a", CompletionContext::Local).as_deref(),
            Some("connect mail.alpha.example ")
        );
        assert_eq!(
            line("telnet relay.example ", CompletionContext::Local).as_deref(),
            Some("telnet relay.example 587"),
            "the shared relay's one service"
        );
    }

    #[test]
    fn smtp_verbs_complete_whatever_case_was_typed() {
        assert_eq!(
            line("ma", CompletionContext::Smtp).as_deref(),
            Some("MAIL FROM:<")
        );
        assert_eq!(
            line("RC", CompletionContext::Smtp).as_deref(),
            Some("RCPT TO:<")
        );
        assert_eq!(line("da", CompletionContext::Smtp).as_deref(), Some("DATA"));
    }

    #[test]
    fn addresses_complete_inside_paths() {
        assert_eq!(
            line("RCPT TO:<b", CompletionContext::Smtp).as_deref(),
            Some("RCPT TO:<budi@beta.example>")
        );
    }

    #[test]
    fn ambiguous_input_lists_the_choices() {
        let result = complete("RCPT TO:<", CompletionContext::Smtp);
        assert_eq!(result.line, None);
        assert!(result
            .candidates
            .contains(&"RCPT TO:<dewi@beta.example>".to_string()));
        assert_eq!(result.candidates.len(), 4);
    }

    #[test]
    fn pop3_keywords_and_users_complete() {
        assert_eq!(
            line("re", CompletionContext::Pop3).as_deref(),
            Some("RETR ")
        );
        assert_eq!(
            line("USER b", CompletionContext::Pop3).as_deref(),
            Some("USER budi")
        );
    }

    #[test]
    fn imap_commands_complete_after_the_tag_and_get_one_when_it_is_missing() {
        let imap = || CompletionContext::Imap {
            next_tag: "a3".into(),
        };
        assert_eq!(line("x1 SEL", imap()).as_deref(), Some("x1 SELECT "));
        assert_eq!(line("logo", imap()).as_deref(), Some("a3 LOGOUT"));
        assert_eq!(line("idle", imap()).as_deref(), Some("a3 IDLE"));
        assert_eq!(
            line("a1 LOGIN b", imap()).as_deref(),
            Some("a1 LOGIN budi budi123")
        );
        assert_eq!(line("do", CompletionContext::Idle).as_deref(), Some("DONE"));
    }

    #[test]
    fn message_lines_are_never_completed() {
        assert_eq!(
            complete("he", CompletionContext::Data),
            Completion::default()
        );
    }

    #[test]
    fn nothing_matches_nothing_changes() {
        assert_eq!(
            complete("xyz", CompletionContext::Smtp),
            Completion::default()
        );
        assert_eq!(
            complete("DATA", CompletionContext::Smtp),
            Completion::default()
        );
    }
}
