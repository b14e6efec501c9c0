//! One step of a lesson: where it is in the lesson, its title (the page's heading), the
//! lesson's goals on the first step, the text with glossary terms linked, the task, the checks
//! as they stand (announced politely as they tick), the hint when asked for, and the way on.

use std::fmt::Write;

use super::{button, escape, link, CourseAct, CourseText};
use crate::lang::Lang;
use crate::lesson::glossary::Glossary;
use crate::lesson::markup::blocks;
use crate::lesson::model::Lesson;
use crate::scene::lesson_html::blocks_html;

/// A step as the learner has it now.
pub struct StepView<'a> {
    pub lesson: &'a Lesson,
    /// The step on screen, by its place in the lesson.
    pub step: usize,
    /// Whether each of its checks holds.
    pub passed: &'a [bool],
    /// The hint, once she asked for it.
    pub hint: Option<&'a str>,
}

/// `template` with `{0}` and `{1}` replaced.
fn fill2(template: &str, first: usize, second: usize) -> String {
    template
        .replace("{0}", &first.to_string())
        .replace("{1}", &second.to_string())
}

/// The step's page; `glossary` gives the meanings of the terms its text links.
pub fn step_markup(view: &StepView, glossary: &Glossary, lang: Lang, t: &CourseText) -> String {
    let lesson = view.lesson;
    let Some(step) = lesson.steps.get(view.step) else {
        return String::new();
    };
    let mut html = String::from("<nav class=\"kr-lesson__top\">");
    link(
        &mut html,
        "#/",
        " data-testid=\"back-to-course\"",
        t.back_to_course,
    );
    let _ = write!(
        html,
        "<span class=\"kr-lesson__title\">{}</span><span class=\"kr-lesson__count\">{}</span></nav>\
         <h2 id=\"kr-lesson-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">{}</h2>",
        escape(lesson.title.get(lang)),
        escape(&fill2(t.step_of, view.step + 1, lesson.steps.len())),
        escape(step.title.get(lang))
    );
    if view.step == 0 {
        let _ = write!(
            html,
            "<div class=\"kr-lesson__goals\"><p>{}</p><ul>",
            escape(t.goals)
        );
        for goal in &lesson.goals {
            let _ = write!(html, "<li>{}</li>", escape(goal.get(lang)));
        }
        html.push_str("</ul></div>");
    }
    let _ = write!(
        html,
        "<div class=\"kr-lesson__text\">{}</div>\
         <p class=\"kr-lesson__task\"><strong>{}</strong> {}</p>",
        blocks_html(&blocks(step.text.lines(lang)), glossary, lang),
        escape(t.to_do),
        escape(step.task.get(lang))
    );
    // A step whose task is reading has nothing to check.
    let hidden = if view.passed.is_empty() {
        " hidden"
    } else {
        ""
    };
    let _ = write!(
        html,
        "<h3 class=\"kr-lesson__checks-heading\"{hidden}>{}</h3>\
         <ul class=\"kr-lesson__checks\" aria-live=\"polite\"{hidden}>",
        escape(t.checks)
    );
    for (check, ok) in step.checks.iter().zip(view.passed) {
        let _ = write!(
            html,
            "<li class=\"kr-lesson__check\" data-testid=\"lesson-check\" data-done=\"{ok}\">\
             <span class=\"kr-lesson__mark\" aria-hidden=\"true\">{}</span>{}\
             <span class=\"kr-visually-hidden\"> ({})</span></li>",
            if *ok { "✓" } else { "○" },
            escape(&check.describe(lang)),
            escape(if *ok { t.done } else { t.not_yet })
        );
    }
    let all_done = view.passed.iter().all(|ok| *ok);
    let _ = write!(
        html,
        "</ul><p class=\"kr-lesson__done\" role=\"status\" data-testid=\"step-done\">{}</p>\
         <button type=\"button\" class=\"kr-button\" data-testid=\"hint\" data-act=\"{}\" \
         aria-expanded=\"{}\">{}</button>\
         <p class=\"kr-lesson__hint\" role=\"status\" data-testid=\"hint-text\">{}</p>",
        if all_done {
            escape(t.step_done)
        } else {
            String::new()
        },
        CourseAct::Hint.code(),
        view.hint.is_some(),
        escape(t.hint),
        escape(view.hint.unwrap_or_default())
    );
    let _ = write!(
        html,
        "<div class=\"kr-lesson__nav\"><button type=\"button\" class=\"kr-button\" \
         data-testid=\"previous\" data-act=\"{}\"{}>{}</button>",
        CourseAct::Previous.code(),
        if view.step == 0 { " disabled" } else { "" },
        escape(t.previous)
    );
    let last = view.step + 1 >= lesson.steps.len();
    button(
        &mut html,
        "kr-button kr-button--primary",
        Some("next"),
        CourseAct::Next,
        if last { t.to_quiz } else { t.next },
    );
    html.push_str("</div>");
    html
}

/// The page for a lesson that does not exist: the way back to the course.
pub fn missing_lesson_markup(t: &CourseText) -> String {
    let mut html = format!("<p>{}</p>", escape(t.not_found));
    link(&mut html, "#/", " class=\"kr-button\"", t.back_to_course);
    html
}

#[cfg(test)]
mod tests {
    use super::super::{test_glossary, test_lesson, TEST_WORDS};
    use super::*;

    fn step(step: usize, passed: &[bool], hint: Option<&str>, lang: Lang) -> String {
        let lesson = test_lesson();
        let view = StepView {
            lesson: &lesson,
            step,
            passed,
            hint,
        };
        step_markup(&view, &test_glossary(), lang, &TEST_WORDS)
    }

    #[test]
    fn the_first_step_shows_the_goals_and_cannot_go_back() {
        let html = step(0, &[], None, Lang::En);
        assert!(html.starts_with(
            "<nav class=\"kr-lesson__top\"><a href=\"#/\" data-testid=\"back-to-course\">back_to_course</a>\
             <span class=\"kr-lesson__title\">Speak &lt;SMTP&gt;</span>\
             <span class=\"kr-lesson__count\">step 1 of 2</span></nav>\
             <h2 id=\"kr-lesson-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">Connect</h2>\
             <div class=\"kr-lesson__goals\"><p>goals</p><ul><li>Greet a server</li></ul></div>"
        ));
        assert!(html.contains("<div class=\"kr-lesson__text\"><p>Open a line.</p></div>"));
        assert!(html.contains("<p class=\"kr-lesson__task\"><strong>to_do</strong> Connect.</p>"));
        // Nothing to check: the list and its heading are hidden, and reading is enough.
        assert!(html.contains("<h3 class=\"kr-lesson__checks-heading\" hidden>checks</h3>"));
        assert!(html.contains("aria-live=\"polite\" hidden></ul>"));
        assert!(html.contains("data-testid=\"step-done\">step_done</p>"));
        assert!(html
            .contains("data-testid=\"previous\" data-act=\"previous\" disabled>previous</button>"));
        assert!(html.contains("data-testid=\"next\" data-act=\"next\">next</button></div>"));
    }

    #[test]
    fn checks_show_what_holds_in_marks_and_in_words() {
        let html = step(1, &[true, false], None, Lang::En);
        assert!(!html.contains("kr-lesson__goals"));
        assert!(html.contains("<h3 class=\"kr-lesson__checks-heading\">checks</h3>"));
        assert!(html.contains(
            "<li class=\"kr-lesson__check\" data-testid=\"lesson-check\" data-done=\"true\">\
             <span class=\"kr-lesson__mark\" aria-hidden=\"true\">✓</span>You sent EHLO\
             <span class=\"kr-visually-hidden\"> (done)</span></li>"
        ));
        assert!(html.contains(
            "data-done=\"false\"><span class=\"kr-lesson__mark\" aria-hidden=\"true\">○</span>"
        ));
        assert!(html.contains("<span class=\"kr-visually-hidden\"> (not_yet)</span>"));
        // Not every check holds: the step is not done yet.
        assert!(html.contains("data-testid=\"step-done\"></p>"));
        assert!(!html.contains(" disabled"));
        // The last step leads to the quiz.
        assert!(html.contains("data-act=\"next\">to_quiz</button>"));
    }

    #[test]
    fn the_text_links_glossary_terms_and_escapes_the_rest() {
        let html = step(1, &[false, false], None, Lang::En);
        assert!(html.contains(
            "<div class=\"kr-lesson__text\"><p>Ask the <a class=\"kr-lesson__term\" \
             href=\"#/glossary/mx\" data-term=\"mx\" title=\"Names the &lt;mail&gt; servers\">MX</a> \
             &amp; wait.</p></div>"
        ));
        assert!(html.contains(
            "id=\"kr-lesson-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">Say &quot;hello&quot;</h2>"
        ));
    }

    #[test]
    fn the_hint_shows_once_asked_for_and_says_so_to_assistive_technology() {
        let hidden = step(1, &[false, false], None, Lang::En);
        assert!(hidden.contains("data-act=\"hint\" aria-expanded=\"false\">hint</button>"));
        assert!(hidden.contains("data-testid=\"hint-text\"></p>"));
        let shown = step(1, &[false, false], Some("Type <EHLO>"), Lang::En);
        assert!(shown.contains("data-act=\"hint\" aria-expanded=\"true\">hint</button>"));
        assert!(shown.contains(
            "<p class=\"kr-lesson__hint\" role=\"status\" data-testid=\"hint-text\">Type &lt;EHLO&gt;</p>"
        ));
    }

    #[test]
    fn the_step_speaks_the_chosen_language() {
        let html = step(1, &[true, true], None, Lang::Id);
        assert!(html.contains(">Bicara &lt;SMTP&gt;</span>"));
        assert!(html.contains(">Menyapa</h2>"));
        assert!(html.contains("<strong>to_do</strong> Ketik EHLO.</p>"));
        assert!(html.contains("title=\"Menyebut server email\""));
        assert!(html.contains("data-testid=\"step-done\">step_done</p>"));
    }

    #[test]
    fn a_step_that_is_not_there_draws_nothing() {
        assert_eq!(step(2, &[], None, Lang::En), "");
    }

    #[test]
    fn a_missing_lesson_leads_back_to_the_course() {
        assert_eq!(
            missing_lesson_markup(&TEST_WORDS),
            "<p>not_found</p><a href=\"#/\" class=\"kr-button\">back_to_course</a>"
        );
    }
}
