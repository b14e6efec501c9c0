//! A lesson's quiz: each question a form (pick one answer, or type one) with its own Check
//! button and a verdict that says right or not and why; the score once all are answered.

use std::fmt::Write;

use super::{escape, link, CourseText};
use crate::lang::Lang;
use crate::lesson::model::{Lesson, Question};
use crate::lesson::progress::QuizScore;
use crate::lesson::quiz::{check, Answer};

/// The score once every question of `lesson` has an answer checked in `answers`.
pub fn quiz_score(lesson: &Lesson, answers: &[Option<Answer>]) -> Option<QuizScore> {
    let mut right = 0;
    for (n, question) in lesson.quiz.iter().enumerate() {
        let answer = answers.get(n)?.as_ref()?;
        right += u32::from(check(question, answer)?.correct);
    }
    Some(QuizScore {
        right,
        of: lesson.quiz.len() as u32,
    })
}

/// The quiz of `lesson`; `answers` holds, per question, the answer last checked.
pub fn quiz_markup(
    lesson: &Lesson,
    answers: &[Option<Answer>],
    lang: Lang,
    t: &CourseText,
) -> String {
    let mut html = String::from("<nav class=\"kr-lesson__top\">");
    link(&mut html, "#/", "", t.back_to_course);
    let _ = write!(
        html,
        "</nav><h2 id=\"kr-quiz-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">{} — {}</h2>\
         <ol class=\"kr-quiz__questions\">",
        escape(t.quiz_heading),
        escape(lesson.title.get(lang))
    );
    for (n, question) in lesson.quiz.iter().enumerate() {
        let answer = answers.get(n).and_then(Option::as_ref);
        let verdict = answer.and_then(|answer| check(question, answer));
        let _ = write!(
            html,
            "<li class=\"kr-quiz__question\" data-testid=\"quiz-question\"><form data-question=\"{n}\">"
        );
        match question {
            Question::Choose { question, choices } => {
                let _ = write!(
                    html,
                    "<fieldset><legend class=\"kr-quiz__text\">{}</legend>",
                    escape(question.get(lang))
                );
                for (index, choice) in choices.iter().enumerate() {
                    let checked = if answer == Some(&Answer::Chose(index)) {
                        " checked"
                    } else {
                        ""
                    };
                    let _ = write!(
                        html,
                        "<label class=\"kr-quiz__choice\"><input type=\"radio\" name=\"kr-quiz-{n}\" \
                         value=\"{index}\" data-testid=\"quiz-choice\"{checked}>{}</label>",
                        escape(choice.text.get(lang))
                    );
                }
                html.push_str("</fieldset>");
            }
            Question::Type { question, .. } => {
                let typed = match answer {
                    Some(Answer::Typed(typed)) => typed.as_str(),
                    _ => "",
                };
                let _ = write!(
                    html,
                    "<label class=\"kr-quiz__typed\"><span class=\"kr-quiz__text\">{}</span>\
                     <input type=\"text\" data-testid=\"quiz-typed\" autocomplete=\"off\" \
                     value=\"{}\"></label>",
                    escape(question.get(lang)),
                    escape(typed)
                );
            }
        }
        let _ = write!(
            html,
            "<button type=\"submit\" class=\"kr-button\" data-testid=\"quiz-check\">{}</button>\
             <p class=\"kr-quiz__verdict\" role=\"status\" data-testid=\"quiz-verdict\"",
            escape(t.check_answer)
        );
        match verdict {
            Some(verdict) => {
                let _ = write!(
                    html,
                    " data-correct=\"{}\">{} {}</p>",
                    verdict.correct,
                    escape(if verdict.correct { t.right } else { t.wrong }),
                    escape(verdict.why.get(lang))
                );
            }
            None => html.push_str("></p>"),
        }
        html.push_str("</form></li>");
    }
    let _ = write!(
        html,
        "</ol><p class=\"kr-quiz__score\" role=\"status\" data-testid=\"quiz-score\">"
    );
    if let Some(score) = quiz_score(lesson, answers) {
        let _ = write!(html, "{}: {}/{}", escape(t.score), score.right, score.of);
    }
    html.push_str("</p>");
    html
}

/// The page for the quiz of a lesson that does not exist: the way back to the course.
pub fn missing_quiz_markup(t: &CourseText) -> String {
    let mut html = String::new();
    link(&mut html, "#/", "", t.back_to_course);
    html
}

#[cfg(test)]
mod tests {
    use super::super::{test_lesson, TEST_WORDS};
    use super::*;

    fn quiz(answers: &[Option<Answer>], lang: Lang) -> String {
        quiz_markup(&test_lesson(), answers, lang, &TEST_WORDS)
    }

    #[test]
    fn an_unanswered_quiz_has_a_form_per_question_and_no_verdicts() {
        let html = quiz(&[None, None], Lang::En);
        assert!(html.starts_with(
            "<nav class=\"kr-lesson__top\"><a href=\"#/\">back_to_course</a></nav>\
             <h2 id=\"kr-quiz-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">quiz_heading — \
             Speak &lt;SMTP&gt;</h2>"
        ));
        assert_eq!(html.matches("data-testid=\"quiz-question\"").count(), 2);
        assert!(html.contains(
            "<form data-question=\"0\"><fieldset><legend class=\"kr-quiz__text\">Which &lt;port&gt;?</legend>\
             <label class=\"kr-quiz__choice\"><input type=\"radio\" name=\"kr-quiz-0\" value=\"0\" \
             data-testid=\"quiz-choice\">25</label>"
        ));
        assert!(html.contains(
            "<form data-question=\"1\"><label class=\"kr-quiz__typed\"><span class=\"kr-quiz__text\">\
             Reply code?</span><input type=\"text\" data-testid=\"quiz-typed\" autocomplete=\"off\" value=\"\">"
        ));
        assert_eq!(
            html.matches(
                "<p class=\"kr-quiz__verdict\" role=\"status\" data-testid=\"quiz-verdict\"></p>"
            )
            .count(),
            2
        );
        assert!(!html.contains(" checked"));
        assert!(html.ends_with("data-testid=\"quiz-score\"></p>"));
    }

    #[test]
    fn a_checked_answer_stays_picked_with_its_verdict_and_reason() {
        let html = quiz(&[Some(Answer::Chose(1)), None], Lang::En);
        assert!(html.contains("value=\"1\" data-testid=\"quiz-choice\" checked>587</label>"));
        assert_eq!(html.matches(" checked").count(), 1);
        assert!(html
            .contains("data-testid=\"quiz-verdict\" data-correct=\"true\">right Submission.</p>"));
        // One question still open: no score yet.
        assert!(html.ends_with("data-testid=\"quiz-score\"></p>"));
    }

    #[test]
    fn the_score_counts_right_answers_once_all_are_checked() {
        let answers = [Some(Answer::Chose(0)), Some(Answer::Typed(" 250 ".into()))];
        let html = quiz(&answers, Lang::Id);
        assert!(html.contains("data-correct=\"false\">wrong Antar server.</p>"));
        assert!(html.contains("value=\" 250 \"></label>"));
        assert!(html.contains("data-correct=\"true\">right 250 artinya OK.</p>"));
        assert!(html.ends_with("data-testid=\"quiz-score\">score: 1/2</p>"));
    }

    #[test]
    fn the_score_waits_for_every_question() {
        let lesson = test_lesson();
        assert_eq!(quiz_score(&lesson, &[Some(Answer::Chose(1)), None]), None);
        assert_eq!(quiz_score(&lesson, &[Some(Answer::Chose(1))]), None);
        let answers = [Some(Answer::Chose(1)), Some(Answer::Typed("250".into()))];
        assert_eq!(
            quiz_score(&lesson, &answers),
            Some(QuizScore { right: 2, of: 2 })
        );
    }

    #[test]
    fn a_typed_answer_is_shown_as_text() {
        let typed = "\"><script>alert(1)</script>";
        let html = quiz(&[None, Some(Answer::Typed(typed.into()))], Lang::En);
        assert!(!html.contains("<script"));
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
        assert!(html.contains("data-correct=\"false\">wrong 250 is OK.</p>"));
    }

    #[test]
    fn a_missing_quiz_leads_back_to_the_course() {
        assert_eq!(
            missing_quiz_markup(&TEST_WORDS),
            "<a href=\"#/\">back_to_course</a>"
        );
    }
}
