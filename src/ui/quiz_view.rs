//! A lesson's quiz: each question answered by picking or typing, checked at once with the
//! explanation for the answer given; the score is saved once every question is answered.

use leptos::prelude::*;

use super::course::CourseState;
use super::course_text::course_text;
use crate::lang::Lang;
use crate::lesson::model::{Lesson, Question, Words};
use crate::lesson::progress::QuizScore;
use crate::lesson::quiz::{check, Answer};

#[component]
pub fn QuizView(state: CourseState, lang: RwSignal<Lang>, id: String) -> impl IntoView {
    let lesson: Option<Lesson> = state
        .course
        .with_value(|c| c.as_ref().ok().and_then(|c| c.lesson(&id).cloned()));
    let Some(lesson) = lesson else {
        return view! { <section class="kr-panel"><a href="#/">{move || course_text(lang.get()).back_to_course}</a></section> }.into_any();
    };
    let count = lesson.quiz.len();
    // Per question: was it answered right, once checked.
    let results: RwSignal<Vec<Option<bool>>> = RwSignal::new(vec![None; count]);
    let lesson = StoredValue::new(lesson);
    Effect::new(move |_| {
        let results = results.get();
        if results.iter().all(Option::is_some) && !results.is_empty() {
            let right = results.iter().filter(|r| **r == Some(true)).count() as u32;
            lesson.with_value(|l| {
                state.progress.update(|p| {
                    let entry = p.lessons.entry(l.id.clone()).or_default();
                    entry.version = l.version;
                    entry.quiz = Some(QuizScore {
                        right,
                        of: results.len() as u32,
                    });
                });
            });
            state.save();
        }
    });
    let t = move || course_text(lang.get());
    let questions = move || {
        lesson.with_value(|l| {
            l.quiz
                .iter()
                .enumerate()
                .map(|(n, question)| view! { <QuestionView lang question=question.clone() n results/> })
                .collect_view()
        })
    };
    let score = move || {
        let results = results.get();
        results.iter().all(Option::is_some).then(|| {
            let right = results.iter().filter(|r| **r == Some(true)).count();
            format!("{}: {right}/{}", t().score, results.len())
        })
    };
    view! {
        <section class="kr-panel kr-quiz" aria-labelledby="kr-quiz-heading" data-testid="quiz">
            <nav class="kr-lesson__top"><a href="#/">{move || t().back_to_course}</a></nav>
            <h2 id="kr-quiz-heading" class="kr-panel__heading" tabindex="-1">
                {move || format!("{} — {}", t().quiz_heading, lesson.with_value(|l| l.title.get(lang.get()).to_string()))}
            </h2>
            <ol class="kr-quiz__questions">{questions}</ol>
            <p class="kr-quiz__score" role="status" data-testid="quiz-score">{score}</p>
        </section>
    }
    .into_any()
}

#[component]
fn QuestionView(
    lang: RwSignal<Lang>,
    question: Question,
    n: usize,
    results: RwSignal<Vec<Option<bool>>>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<usize>);
    let typed = RwSignal::new(String::new());
    // Right or not, and why: shown in the language of the moment.
    let verdict = RwSignal::new(None::<(bool, Words)>);
    let question = StoredValue::new(question);
    let t = move || course_text(lang.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answer = match question.with_value(|q| matches!(q, Question::Choose { .. })) {
            true => match chosen.get_untracked() {
                Some(index) => Answer::Chose(index),
                None => return,
            },
            false => Answer::Typed(typed.get_untracked()),
        };
        let got = question.with_value(|q| check(q, &answer).map(|v| (v.correct, v.why.clone())));
        if let Some((correct, why)) = got {
            verdict.set(Some((correct, why)));
            results.update(|r| r[n] = Some(correct));
        }
    };
    let name = format!("kr-quiz-{n}");
    let body = move || {
        let lang = lang.get();
        question.with_value(|q| match q {
            Question::Choose { question, choices } => {
                let name = name.clone();
                view! {
                    <fieldset>
                        <legend class="kr-quiz__text">{question.get(lang).to_string()}</legend>
                        {choices.iter().enumerate().map(|(index, choice)| view! {
                            <label class="kr-quiz__choice">
                                <input type="radio" name=name.clone() data-testid="quiz-choice"
                                    prop:checked=move || chosen.get() == Some(index)
                                    on:change=move |_| chosen.set(Some(index))/>
                                {choice.text.get(lang).to_string()}
                            </label>
                        }).collect_view()}
                    </fieldset>
                }
                .into_any()
            }
            Question::Type { question, .. } => view! {
                <label class="kr-quiz__typed">
                    <span class="kr-quiz__text">{question.get(lang).to_string()}</span>
                    <input type="text" data-testid="quiz-typed" bind:value=typed autocomplete="off"/>
                </label>
            }
            .into_any(),
        })
    };
    view! {
        <li class="kr-quiz__question" data-testid="quiz-question">
            <form on:submit=submit>
                {body}
                <button type="submit" class="kr-button" data-testid="quiz-check">{move || t().check_answer}</button>
                <p class="kr-quiz__verdict" role="status" data-testid="quiz-verdict"
                    data-correct=move || verdict.get().map(|(c, _)| c.to_string())>
                    {move || verdict.get().map(|(correct, why)| {
                        format!("{} {}", if correct { t().right } else { t().wrong }, why.get(lang.get()))
                    })}
                </p>
            </form>
        </li>
    }
}
