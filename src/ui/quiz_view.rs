//! A lesson's quiz: each question answered by picking or typing, checked at once with the
//! explanation for the answer given (drawn by [`quiz_markup`]); the score is saved once every
//! question is answered.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::course::{draw, CourseState};
use super::course_text::course_text;
use crate::lang::Lang;
use crate::lesson::model::{Lesson, Question};
use crate::lesson::quiz::{check, Answer};
use crate::scene::course_markup::{missing_quiz_markup, quiz_markup, quiz_score};

#[component]
pub fn QuizView(state: CourseState, lang: RwSignal<Lang>, id: String) -> impl IntoView {
    let lesson: Option<Lesson> = state
        .course
        .with_value(|c| c.as_ref().ok().and_then(|c| c.lesson(&id).cloned()));
    let Some(lesson) = lesson else {
        return view! {
            <section class="kr-panel" inner_html=move || missing_quiz_markup(course_text(lang.get()))></section>
        }
        .into_any();
    };
    // Per question: the answer last checked.
    let answers: RwSignal<Vec<Option<Answer>>> = RwSignal::new(vec![None; lesson.quiz.len()]);
    let lesson = StoredValue::new(lesson);
    Effect::new(move |_| {
        let score = answers.with(|answers| lesson.with_value(|l| quiz_score(l, answers)));
        let Some(score) = score.filter(|score| score.of > 0) else {
            return;
        };
        lesson.with_value(|l| {
            state.progress.update(|p| {
                let entry = p.lessons.entry(l.id.clone()).or_default();
                entry.version = l.version;
                entry.quiz = Some(score);
            });
        });
        state.save();
    });
    let html = Memo::new(move |_| {
        let lang = lang.get();
        answers
            .with(|answers| lesson.with_value(|l| quiz_markup(l, answers, lang, course_text(lang))))
    });
    let section = NodeRef::<html::Section>::new();
    draw(section, html);
    // A question's form is sent with its Check button or Enter: its answer is read from it.
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(n) = form
            .get_attribute("data-question")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            return;
        };
        let input = |selector: &str| {
            form.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let choose = lesson.with_value(|l| matches!(l.quiz.get(n), Some(Question::Choose { .. })));
        let answer = if choose {
            // Checking without an answer picked does nothing.
            let Some(index) = input("input:checked").and_then(|i| i.value().parse().ok()) else {
                return;
            };
            Answer::Chose(index)
        } else {
            Answer::Typed(
                input("input[type=text]")
                    .map(|i| i.value())
                    .unwrap_or_default(),
            )
        };
        let fits = lesson.with_value(|l| l.quiz.get(n).and_then(|q| check(q, &answer)).is_some());
        if fits {
            answers.update(|answers| answers[n] = Some(answer));
        }
    };
    view! {
        <section class="kr-panel kr-quiz" aria-labelledby="kr-quiz-heading" data-testid="quiz"
            node_ref=section on:submit=submit></section>
    }
    .into_any()
}
