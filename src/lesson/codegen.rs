//! Writes the course, as read with serde from `lessons/*.json`, as Rust source
//! (`course_data.rs`): the page gets the lessons as compiled values, with no JSON parser and no
//! JSON text in the WebAssembly. `tests/lessons.rs` checks that the compiled course is exactly
//! what the data files say, and rewrites it when asked (`KURIR_WRITE_COURSE=1`).

use std::fmt::Write;

use super::catalog::Course;
use super::check::{Check, LearnerAction};
use super::glossary::Entry;
use super::model::{Choice, Hint, Lesson, Prose, Question, Step, Words, WorldEdit};
use super::moves::Move;

/// The source of `course_data.rs` for `course`.
pub fn course_source(course: &Course) -> String {
    let mut out = String::from(
        "//! The course as compiled values: written from `lessons/*.json` by `src/lesson/codegen.rs`\n\
         //! (`KURIR_WRITE_COURSE=1 cargo test --test lessons`); edit the data files, not this.\n\n\
         use super::catalog::Course;\n\
         use super::check::{Check, LearnerAction};\n\
         use super::glossary::{Entry, Glossary};\n\
         use super::model::*;\n\
         use super::moves::Move;\n\
         use crate::sim::event::{MailboxChange, MailboxProtocol};\n\n\
         fn s(text: &str) -> String {\n    text.to_string()\n}\n\n\
         fn w(en: &str, id: &str) -> Words {\n    Words { en: s(en), id: s(id) }\n}\n\n\
         fn p(en: &[&str], id: &[&str]) -> Prose {\n    \
             Prose { en: en.iter().map(|l| s(l)).collect(), id: id.iter().map(|l| s(l)).collect() }\n}\n\n\
         /// The shipped course.\n\
         pub fn course() -> Course {\n    Course {\n        lessons: vec![\n",
    );
    for lesson in &course.lessons {
        let _ = writeln!(out, "            {},", lesson_source(lesson));
    }
    out.push_str("        ],\n        glossary: Glossary {\n            entries: vec![\n");
    for entry in &course.glossary.entries {
        let _ = writeln!(out, "                {},", entry_source(entry));
    }
    out.push_str("            ],\n        },\n    }\n}\n");
    out
}

fn text(value: &str) -> String {
    format!("{value:?}")
}

fn string(value: &str) -> String {
    format!("s({value:?})")
}

fn words(value: &Words) -> String {
    format!("w({:?}, {:?})", value.en, value.id)
}

fn lines(value: &[String]) -> String {
    let lines: Vec<String> = value.iter().map(|l| text(l)).collect();
    format!("&[{}]", lines.join(", "))
}

fn prose(value: &Prose) -> String {
    format!("p({}, {})", lines(&value.en), lines(&value.id))
}

fn optional(value: &Option<String>) -> String {
    value
        .as_deref()
        .map_or_else(|| "None".to_string(), |v| format!("Some({})", string(v)))
}

fn list<T>(items: &[T], each: impl Fn(&T) -> String) -> String {
    let items: Vec<String> = items.iter().map(each).collect();
    format!("vec![{}]", items.join(", "))
}

fn lesson_source(lesson: &Lesson) -> String {
    format!(
        "Lesson {{ id: {}, version: {}, topics: vec!{:?}, title: {}, goals: {}, \
         world: LessonWorld {{ seed: {}, edits: {} }}, steps: {}, quiz: {} }}",
        string(&lesson.id),
        lesson.version,
        lesson.topics,
        words(&lesson.title),
        list(&lesson.goals, words),
        lesson.world.seed,
        list(&lesson.world.edits, edit),
        list(&lesson.steps, step),
        list(&lesson.quiz, question),
    )
}

fn edit(value: &WorldEdit) -> String {
    match value {
        WorldEdit::FillMailbox { address } => {
            format!("WorldEdit::FillMailbox {{ address: {} }}", string(address))
        }
        WorldEdit::HostDown { host } => format!("WorldEdit::HostDown {{ host: {} }}", string(host)),
    }
}

fn step(value: &Step) -> String {
    format!(
        "Step {{ id: {}, title: {}, text: {}, task: {}, checks: {}, hints: {}, prepare: {}, \
         solution: {} }}",
        string(&value.id),
        words(&value.title),
        prose(&value.text),
        words(&value.task),
        list(&value.checks, check),
        list(&value.hints, hint),
        list(&value.prepare, play),
        list(&value.solution, play),
    )
}

fn hint(value: &Hint) -> String {
    let when = value
        .when
        .as_ref()
        .map_or_else(|| "None".to_string(), |c| format!("Some({})", check(c)));
    format!("Hint {{ when: {when}, text: {} }}", words(&value.text))
}

fn learner(value: &LearnerAction) -> String {
    match value {
        LearnerAction::Inspected { protocol } => {
            format!(
                "LearnerAction::Inspected {{ protocol: {} }}",
                string(protocol)
            )
        }
        LearnerAction::Viewed { view } => {
            format!("LearnerAction::Viewed {{ view: {} }}", string(view))
        }
        LearnerAction::Compared => "LearnerAction::Compared".into(),
        LearnerAction::OpenedMessage => "LearnerAction::OpenedMessage".into(),
    }
}

fn check(value: &Check) -> String {
    match value {
        Check::SmtpCommand { verb, from } => format!(
            "Check::SmtpCommand {{ verb: {}, from: {} }}",
            string(verb),
            optional(from)
        ),
        Check::SmtpReply { code, after, from } => format!(
            "Check::SmtpReply {{ code: {code}, after: {}, from: {} }}",
            optional(after),
            optional(from)
        ),
        Check::DataAccepted {
            from,
            server,
            after_reply,
        } => format!(
            "Check::DataAccepted {{ from: {}, server: {}, after_reply: {after_reply:?} }}",
            optional(from),
            optional(server)
        ),
        Check::MessageDelivered { mailbox } => {
            format!("Check::MessageDelivered {{ mailbox: {} }}", string(mailbox))
        }
        Check::MessageBounced { status } => {
            format!("Check::MessageBounced {{ status: {} }}", optional(status))
        }
        Check::MessageDeferred { recipient } => format!(
            "Check::MessageDeferred {{ recipient: {} }}",
            optional(recipient)
        ),
        Check::MessageRelayed { next_hop } => {
            format!(
                "Check::MessageRelayed {{ next_hop: {} }}",
                optional(next_hop)
            )
        }
        Check::MxLookup { domain } => format!("Check::MxLookup {{ domain: {} }}", string(domain)),
        Check::DeliveryAttempt { attempt } => {
            format!("Check::DeliveryAttempt {{ attempt: {attempt} }}")
        }
        Check::PacketForwarded { router } => {
            format!("Check::PacketForwarded {{ router: {} }}", string(router))
        }
        Check::MailboxChanged { change, by } => format!(
            "Check::MailboxChanged {{ change: MailboxChange::{change:?}, by: {} }}",
            by.map_or_else(
                || "None".to_string(),
                |p| format!("Some(MailboxProtocol::{p:?})")
            )
        ),
        Check::MailboxSynced { device, protocol } => format!(
            "Check::MailboxSynced {{ device: {}, protocol: MailboxProtocol::{protocol:?} }}",
            string(device)
        ),
        Check::DeviceMessages {
            device,
            count,
            read,
        } => format!(
            "Check::DeviceMessages {{ device: {}, count: {count}, read: {read:?} }}",
            string(device)
        ),
        Check::ReceivedHeaders { mailbox, count } => format!(
            "Check::ReceivedHeaders {{ mailbox: {}, count: {count} }}",
            string(mailbox)
        ),
        Check::ReceivedFrom { mailbox, host } => format!(
            "Check::ReceivedFrom {{ mailbox: {}, host: {} }}",
            string(mailbox),
            string(host)
        ),
        Check::Learner { action } => format!("Check::Learner {{ action: {} }}", learner(action)),
    }
}

fn play(value: &Move) -> String {
    match value {
        Move::Type { lines } => format!("Move::Type {{ lines: {} }}", list(lines, |l| string(l))),
        Move::Send { to, subject, body } => format!(
            "Move::Send {{ to: {}, subject: {}, body: {} }}",
            list(to, |t| string(t)),
            string(subject),
            string(body)
        ),
        Move::SendThrough {
            sender,
            server,
            to,
            subject,
            body,
        } => format!(
            "Move::SendThrough {{ sender: {}, server: {}, to: {}, subject: {}, body: {} }}",
            string(sender),
            string(server),
            list(to, |t| string(t)),
            string(subject),
            string(body)
        ),
        Move::CheckMail {
            device,
            protocol,
            keep,
        } => format!(
            "Move::CheckMail {{ device: {}, protocol: MailboxProtocol::{protocol:?}, keep: {keep} }}",
            string(device)
        ),
        Move::Open { device, index } => {
            format!("Move::Open {{ device: {}, index: {index} }}", string(device))
        }
        Move::Learner { action } => format!("Move::Learner {{ action: {} }}", learner(action)),
        Move::Wait { minutes } => format!("Move::Wait {{ minutes: {minutes} }}"),
        Move::SwitchHost { host, up } => {
            format!("Move::SwitchHost {{ host: {}, up: {up} }}", string(host))
        }
        Move::FillMailbox { address, full } => format!(
            "Move::FillMailbox {{ address: {}, full: {full} }}",
            string(address)
        ),
    }
}

fn question(value: &Question) -> String {
    match value {
        Question::Choose { question, choices } => format!(
            "Question::Choose {{ question: {}, choices: {} }}",
            words(question),
            list(choices, choice)
        ),
        Question::Type {
            question,
            answers,
            why,
        } => format!(
            "Question::Type {{ question: {}, answers: {}, why: {} }}",
            words(question),
            list(answers, |a| string(a)),
            words(why)
        ),
    }
}

fn choice(value: &Choice) -> String {
    format!(
        "Choice {{ text: {}, correct: {}, why: {} }}",
        words(&value.text),
        value.correct,
        words(&value.why)
    )
}

fn entry_source(entry: &Entry) -> String {
    format!(
        "Entry {{ key: {}, term: {}, meaning: {} }}",
        string(&entry.key),
        words(&entry.term),
        words(&entry.meaning)
    )
}
