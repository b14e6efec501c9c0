//! The course panel as markup: the course's home (the path of lessons with progress), a
//! lesson's step with its live checks, the quiz and the glossary ([`home_markup`],
//! [`step_markup`], [`quiz_markup`], [`glossary_markup`]), and the notice about saved progress
//! that was set aside ([`notice_markup`]). Every text passes through [`escape`], so nothing a
//! learner typed or a data file holds can become a tag.
//!
//! Each function draws what goes inside its page's `<section>`; its buttons carry a `data-act`
//! for the page's one delegated listener. The words come in a [`CourseText`] per language.

mod glossary;
mod home;
mod quiz;
mod step;

use std::fmt::Write;

use super::markup::escape;

pub use glossary::glossary_markup;
pub use home::home_markup;
pub use quiz::{missing_quiz_markup, quiz_markup, quiz_score};
pub use step::{missing_lesson_markup, step_markup, StepView};

/// The words of the course panel, the lesson, the quiz and the glossary in one language.
pub struct CourseText {
    pub heading: &'static str,
    pub intro: &'static str,
    pub continue_where: &'static str,
    pub start: &'static str,
    pub resume: &'static str,
    pub review: &'static str,
    pub steps_done: &'static str,
    pub quiz: &'static str,
    pub glossary: &'static str,
    pub report: &'static str,
    pub reset: &'static str,
    pub reset_confirm: &'static str,
    pub reset_yes: &'static str,
    pub cancel: &'static str,
    pub corrupt_notice: &'static str,
    pub schema_notice: &'static str,
    pub outdated_notice: &'static str,
    pub dismiss: &'static str,
    pub back_to_course: &'static str,
    pub back_to_lesson: &'static str,
    /// "Step {0} of {1}".
    pub step_of: &'static str,
    pub to_do: &'static str,
    pub checks: &'static str,
    pub done: &'static str,
    pub not_yet: &'static str,
    pub step_done: &'static str,
    pub hint: &'static str,
    pub no_hint: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub to_quiz: &'static str,
    pub quiz_heading: &'static str,
    pub check_answer: &'static str,
    pub right: &'static str,
    pub wrong: &'static str,
    pub score: &'static str,
    pub glossary_heading: &'static str,
    pub goals: &'static str,
    pub not_found: &'static str,
    pub load_failed: &'static str,
}

/// What a page's buttons ask for, by their `data-act`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CourseAct {
    /// Download the learner's report.
    Report,
    /// Ask before forgetting the progress.
    Reset,
    ResetConfirmed,
    ResetCancelled,
    /// Show or hide the step's hint.
    Hint,
    Previous,
    Next,
    /// Close the progress notice.
    Dismiss,
}

impl CourseAct {
    const ALL: [CourseAct; 8] = [
        CourseAct::Report,
        CourseAct::Reset,
        CourseAct::ResetConfirmed,
        CourseAct::ResetCancelled,
        CourseAct::Hint,
        CourseAct::Previous,
        CourseAct::Next,
        CourseAct::Dismiss,
    ];

    /// Its name in the markup (`data-act`).
    pub fn code(self) -> &'static str {
        match self {
            CourseAct::Report => "report",
            CourseAct::Reset => "reset",
            CourseAct::ResetConfirmed => "reset-yes",
            CourseAct::ResetCancelled => "reset-no",
            CourseAct::Hint => "hint",
            CourseAct::Previous => "previous",
            CourseAct::Next => "next",
            CourseAct::Dismiss => "dismiss",
        }
    }

    pub fn from_code(code: &str) -> Option<CourseAct> {
        CourseAct::ALL.into_iter().find(|act| act.code() == code)
    }
}

/// Why the saved progress was set aside, for the notice above the course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgressNotice {
    Corrupt,
    OtherSchema,
    /// These lessons changed since the progress was saved.
    Outdated(Vec<String>),
}

/// The notice's content: what happened, and the button that closes it.
pub fn notice_markup(notice: &ProgressNotice, t: &CourseText) -> String {
    let text = match notice {
        ProgressNotice::Corrupt => t.corrupt_notice.to_string(),
        ProgressNotice::OtherSchema => t.schema_notice.to_string(),
        ProgressNotice::Outdated(lessons) => {
            format!("{} {}", t.outdated_notice, lessons.join(", "))
        }
    };
    let mut html = String::new();
    let _ = write!(html, "<p>{}</p>", escape(&text));
    button(&mut html, "kr-button", None, CourseAct::Dismiss, t.dismiss);
    html
}

/// Appends a `<button type="button">` that asks for `act`; `class` and `testid` are names
/// written in the code, `label` is escaped.
fn button(html: &mut String, class: &str, testid: Option<&str>, act: CourseAct, label: &str) {
    let _ = write!(html, "<button type=\"button\" class=\"{class}\"");
    if let Some(testid) = testid {
        let _ = write!(html, " data-testid=\"{testid}\"");
    }
    let _ = write!(
        html,
        " data-act=\"{}\">{}</button>",
        act.code(),
        escape(label)
    );
}

/// Appends a link to `href` showing `label`, with `attributes` (already escaped) after the
/// `href`.
fn link(html: &mut String, href: &str, attributes: &str, label: &str) {
    let _ = write!(
        html,
        "<a href=\"{}\"{attributes}>{}</a>",
        escape(href),
        escape(label)
    );
}

/// Words whose every field is its own name, so a test sees which one was used where.
#[cfg(test)]
const TEST_WORDS: CourseText = CourseText {
    heading: "heading",
    intro: "intro",
    continue_where: "continue_where",
    start: "start",
    resume: "resume",
    review: "review",
    steps_done: "steps_done",
    quiz: "quiz",
    glossary: "glossary",
    report: "report",
    reset: "reset",
    reset_confirm: "reset_confirm",
    reset_yes: "reset_yes",
    cancel: "cancel",
    corrupt_notice: "corrupt_notice",
    schema_notice: "schema_notice",
    outdated_notice: "outdated_notice",
    dismiss: "dismiss",
    back_to_course: "back_to_course",
    back_to_lesson: "back_to_lesson",
    step_of: "step {0} of {1}",
    to_do: "to_do",
    checks: "checks",
    done: "done",
    not_yet: "not_yet",
    step_done: "step_done",
    hint: "hint",
    no_hint: "no_hint",
    previous: "previous",
    next: "next",
    to_quiz: "to_quiz",
    quiz_heading: "quiz_heading",
    check_answer: "check_answer",
    right: "right",
    wrong: "wrong",
    score: "score",
    glossary_heading: "glossary_heading",
    goals: "goals",
    not_found: "not_found",
    load_failed: "load_failed",
};

/// A lesson for the tests: two steps (the first with goals, the second with two checks and a
/// glossary term), a choice question and a typed one.
/// One glossary entry whose meaning holds markup, which must stay text.
#[cfg(test)]
fn test_glossary() -> crate::lesson::glossary::Glossary {
    crate::lesson::glossary::Glossary::parse(
        r#"[{"key":"mx","term":{"en":"MX record","id":"record MX"},
            "meaning":{"en":"Names the <mail> servers","id":"Menyebut server email"}}]"#,
    )
    .unwrap()
}

#[cfg(test)]
fn test_lesson() -> crate::lesson::model::Lesson {
    serde_json::from_str(
        r#"{
          "id": "commands", "version": 1, "topics": [6],
          "title": { "en": "Speak <SMTP>", "id": "Bicara <SMTP>" },
          "goals": [{ "en": "Greet a server", "id": "Menyapa server" }],
          "world": { "seed": 1 },
          "steps": [
            { "id": "connect", "title": { "en": "Connect", "id": "Sambung" },
              "text": { "en": ["Open a line."], "id": ["Buka sambungan."] },
              "task": { "en": "Connect.", "id": "Sambung." } },
            { "id": "ehlo", "title": { "en": "Say \"hello\"", "id": "Menyapa" },
              "text": { "en": ["Ask the [[mx|MX]] & wait."], "id": ["Tanya [[mx|MX]]."] },
              "task": { "en": "Type EHLO.", "id": "Ketik EHLO." },
              "checks": [
                { "kind": "smtp_command", "verb": "EHLO" },
                { "kind": "smtp_reply", "code": 250, "after": "EHLO" }
              ] }
          ],
          "quiz": [
            { "kind": "choose", "question": { "en": "Which <port>?", "id": "Port mana?" },
              "choices": [
                { "text": { "en": "25", "id": "25" }, "why": { "en": "Between servers.", "id": "Antar server." } },
                { "text": { "en": "587", "id": "587" }, "correct": true,
                  "why": { "en": "Submission.", "id": "Pengiriman." } }
              ] },
            { "kind": "type", "question": { "en": "Reply code?", "id": "Kode balasan?" },
              "answers": ["250"], "why": { "en": "250 is OK.", "id": "250 artinya OK." } }
          ]
        }"#,
    )
    .expect("the test lesson reads")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_act_reads_back_from_its_code() {
        for act in CourseAct::ALL {
            assert_eq!(CourseAct::from_code(act.code()), Some(act));
        }
        assert_eq!(CourseAct::from_code("delete-everything"), None);
    }

    #[test]
    fn the_notice_says_why_and_names_changed_lessons_as_text() {
        let outdated = ProgressNotice::Outdated(vec!["layers".into(), "<b>".into()]);
        assert_eq!(
            notice_markup(&outdated, &TEST_WORDS),
            "<p>outdated_notice layers, &lt;b&gt;</p><button type=\"button\" class=\"kr-button\" \
             data-act=\"dismiss\">dismiss</button>"
        );
        assert!(notice_markup(&ProgressNotice::Corrupt, &TEST_WORDS)
            .starts_with("<p>corrupt_notice</p>"));
        assert!(notice_markup(&ProgressNotice::OtherSchema, &TEST_WORDS)
            .starts_with("<p>schema_notice</p>"));
    }
}
