//! The course's home page: a way back to the last step, one row per lesson (its title as a
//! heading, steps done, the quiz score, and one link that starts, continues or reviews it),
//! the glossary, the report and the reset, which asks first.

use std::fmt::Write;

use super::{button, escape, link, CourseAct, CourseText};
use crate::lang::Lang;
use crate::lesson::model::Lesson;
use crate::lesson::progress::Progress;
use crate::lesson::route::Route;

/// The home page for `lessons` (or the reason the course could not be read) and the
/// learner's `progress`; `confirming` while the reset waits for a yes or a no.
pub fn home_markup(
    lessons: Result<&[Lesson], &str>,
    progress: &Progress,
    confirming: bool,
    lang: Lang,
    t: &CourseText,
) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<h2 id=\"kr-course-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">{}</h2>\
         <p class=\"kr-course__intro\">{}</p>",
        escape(t.heading),
        escape(t.intro)
    );
    if let Some(place) = &progress.last {
        let href = Route::of_place(place).hash();
        link(
            &mut html,
            &href,
            " class=\"kr-button kr-button--primary\" data-testid=\"continue\"",
            t.continue_where,
        );
    }
    html.push_str("<ol class=\"kr-course__path\">");
    match lessons {
        Err(error) => {
            let _ = write!(
                html,
                "<p class=\"kr-course__error\">{} {}</p>",
                escape(t.load_failed),
                escape(error)
            );
        }
        Ok(lessons) => {
            for (number, lesson) in lessons.iter().enumerate() {
                lesson_row(&mut html, number + 1, lesson, progress, lang, t);
            }
        }
    }
    html.push_str("</ol><div class=\"kr-course__tools\">");
    link(
        &mut html,
        "#/glossary",
        " class=\"kr-button\" data-testid=\"glossary-link\"",
        t.glossary,
    );
    button(
        &mut html,
        "kr-button",
        Some("report"),
        CourseAct::Report,
        t.report,
    );
    button(
        &mut html,
        "kr-button",
        Some("reset-progress"),
        CourseAct::Reset,
        t.reset,
    );
    html.push_str("</div>");
    if confirming {
        let _ = write!(
            html,
            "<div class=\"kr-course__confirm\" role=\"alertdialog\" \
             aria-labelledby=\"kr-reset-question\"><p id=\"kr-reset-question\">{}</p>",
            escape(t.reset_confirm)
        );
        button(
            &mut html,
            "kr-button kr-button--primary",
            Some("reset-yes"),
            CourseAct::ResetConfirmed,
            t.reset_yes,
        );
        button(
            &mut html,
            "kr-button",
            None,
            CourseAct::ResetCancelled,
            t.cancel,
        );
        html.push_str("</div>");
    }
    html
}

/// One lesson on the path, numbered `number`.
fn lesson_row(
    html: &mut String,
    number: usize,
    lesson: &Lesson,
    progress: &Progress,
    lang: Lang,
    t: &CourseText,
) {
    let done = lesson
        .steps
        .iter()
        .filter(|step| progress.is_done(&lesson.id, &step.id))
        .count();
    let total = lesson.steps.len();
    let action = if done == total {
        t.review
    } else if progress.lessons.contains_key(&lesson.id) {
        t.resume
    } else {
        t.start
    };
    let id = escape(&lesson.id);
    let mut meta = format!("{done}/{total} {}", t.steps_done);
    if let Some(quiz) = progress.lessons.get(&lesson.id).and_then(|l| l.quiz) {
        let _ = write!(meta, " · {} {}/{}", t.quiz, quiz.right, quiz.of);
    }
    let _ = write!(
        html,
        "<li class=\"kr-course__lesson\" data-testid=\"course-lesson\" data-lesson=\"{id}\" \
         data-finished=\"{}\"><span class=\"kr-course__number\" aria-hidden=\"true\">{number}</span>\
         <div class=\"kr-course__body\"><h3 class=\"kr-course__title\" id=\"kr-course-{id}\">{}</h3>\
         <progress max=\"{total}\" value=\"{done}\" aria-label=\"{}\"></progress>\
         <span class=\"kr-course__meta\">{}</span></div>",
        done == total,
        escape(lesson.title.get(lang)),
        escape(t.steps_done),
        escape(&meta)
    );
    // One link per lesson; its title describes it for a screen reader.
    let href = Route::Lesson {
        id: lesson.id.clone(),
        step: None,
    }
    .hash();
    link(
        html,
        &href,
        &format!(" class=\"kr-button\" aria-describedby=\"kr-course-{id}\""),
        action,
    );
    html.push_str("</li>");
}

#[cfg(test)]
mod tests {
    use super::super::{test_lesson, TEST_WORDS};
    use super::*;
    use crate::lesson::progress::QuizScore;

    fn home(progress: &Progress, confirming: bool) -> String {
        let lessons = [test_lesson()];
        home_markup(Ok(&lessons), progress, confirming, Lang::En, &TEST_WORDS)
    }

    #[test]
    fn a_new_learner_sees_each_lesson_to_start_and_no_way_back() {
        let html = home(&Progress::default(), false);
        assert!(html.starts_with(
            "<h2 id=\"kr-course-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">heading</h2>"
        ));
        assert!(!html.contains("data-testid=\"continue\""));
        assert!(html.contains(
            "<li class=\"kr-course__lesson\" data-testid=\"course-lesson\" data-lesson=\"commands\" \
             data-finished=\"false\"><span class=\"kr-course__number\" aria-hidden=\"true\">1</span>"
        ));
        // The title is text, not markup.
        assert!(html.contains(
            "<h3 class=\"kr-course__title\" id=\"kr-course-commands\">Speak &lt;SMTP&gt;</h3>"
        ));
        assert!(html.contains(
            "<progress max=\"2\" value=\"0\" aria-label=\"steps_done\"></progress>\
             <span class=\"kr-course__meta\">0/2 steps_done</span>"
        ));
        assert!(html.contains(
            "<a href=\"#/lesson/commands\" class=\"kr-button\" \
             aria-describedby=\"kr-course-commands\">start</a></li>"
        ));
        assert!(html
            .contains("<a href=\"#/glossary\" class=\"kr-button\" data-testid=\"glossary-link\">"));
        assert!(html.contains("data-testid=\"report\" data-act=\"report\">report</button>"));
        assert!(html.contains("data-testid=\"reset-progress\" data-act=\"reset\">reset</button>"));
        assert!(!html.contains("alertdialog"));
    }

    #[test]
    fn progress_shows_as_steps_done_quiz_score_and_the_way_back() {
        let lesson = test_lesson();
        let mut progress = Progress::default();
        progress.visit(&lesson, "ehlo");
        progress.complete(&lesson, "connect");
        let html = home(&progress, false);
        assert!(html.contains(
            "<a href=\"#/lesson/commands/ehlo\" class=\"kr-button kr-button--primary\" \
             data-testid=\"continue\">continue_where</a>"
        ));
        assert!(html.contains("<span class=\"kr-course__meta\">1/2 steps_done</span>"));
        assert!(html.contains("aria-describedby=\"kr-course-commands\">resume</a>"));

        progress.complete(&lesson, "ehlo");
        if let Some(entry) = progress.lessons.get_mut("commands") {
            entry.quiz = Some(QuizScore { right: 1, of: 2 });
        }
        let html = home(&progress, false);
        assert!(html.contains("data-finished=\"true\""));
        assert!(html.contains("value=\"2\""));
        assert!(html.contains("2/2 steps_done · quiz 1/2</span>"));
        assert!(html.contains(">review</a>"));
    }

    #[test]
    fn the_reset_asks_first() {
        let html = home(&Progress::default(), true);
        assert!(html.ends_with(
            "<div class=\"kr-course__confirm\" role=\"alertdialog\" aria-labelledby=\"kr-reset-question\">\
             <p id=\"kr-reset-question\">reset_confirm</p>\
             <button type=\"button\" class=\"kr-button kr-button--primary\" data-testid=\"reset-yes\" \
             data-act=\"reset-yes\">reset_yes</button>\
             <button type=\"button\" class=\"kr-button\" data-act=\"reset-no\">cancel</button></div>"
        ));
    }

    #[test]
    fn a_course_that_cannot_be_read_says_why_as_text() {
        let html = home_markup(
            Err("bad <json>"),
            &Progress::default(),
            false,
            Lang::Id,
            &TEST_WORDS,
        );
        assert!(html.contains(
            "<ol class=\"kr-course__path\"><p class=\"kr-course__error\">load_failed bad &lt;json&gt;</p></ol>"
        ));
    }

    #[test]
    fn titles_follow_the_language() {
        let lessons = [test_lesson()];
        let html = home_markup(
            Ok(&lessons),
            &Progress::default(),
            false,
            Lang::Id,
            &TEST_WORDS,
        );
        assert!(html.contains(">Bicara &lt;SMTP&gt;</h3>"));
    }
}
