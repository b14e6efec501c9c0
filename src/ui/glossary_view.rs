//! The glossary: every term the lessons use, in the learner's language, each with an anchor
//! a lesson's term links lead to.

use leptos::prelude::*;

use super::course::CourseState;
use super::course_text::course_text;
use crate::lang::Lang;
use crate::lesson::route::Route;

#[component]
pub fn GlossaryView(state: CourseState, lang: RwSignal<Lang>) -> impl IntoView {
    let entries = move || {
        let lang = lang.get();
        state.course.with_value(|c| {
            c.as_ref()
                .map(|course| {
                    course
                        .glossary
                        .entries
                        .iter()
                        .map(|entry| {
                            view! {
                                <dt id=format!("kr-term-{}", entry.key) tabindex="-1">{entry.term.get(lang).to_string()}</dt>
                                <dd>{entry.meaning.get(lang).to_string()}</dd>
                            }
                        })
                        .collect_view()
                })
                .ok()
        })
    };
    // A lesson's term links here: the way back to where she was reading.
    let back_to_lesson = move || {
        state.progress.with(|p| p.last.clone()).map(|place| {
            let href = Route::Lesson {
                id: place.lesson,
                step: Some(place.step),
            }
            .hash();
            view! { <a href=href data-testid="back-to-lesson">{move || course_text(lang.get()).back_to_lesson}</a> }
        })
    };
    view! {
        <section class="kr-panel kr-glossary" aria-labelledby="kr-glossary-heading" data-testid="glossary">
            <nav class="kr-lesson__top">
                <a href="#/">{move || course_text(lang.get()).back_to_course}</a>
                {back_to_lesson}
            </nav>
            <h2 id="kr-glossary-heading" class="kr-panel__heading" tabindex="-1">{move || course_text(lang.get()).glossary_heading}</h2>
            <dl class="kr-glossary__list">{entries}</dl>
        </section>
    }
}
