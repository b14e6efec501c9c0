//! The glossary: every term the lessons use, in the learner's language, each with an anchor
//! a lesson's term links lead to.

use leptos::prelude::*;

use super::course::CourseState;
use super::course_text::course_text;
use crate::lang::Lang;

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
                                <dt id=format!("kr-term-{}", entry.key)>{entry.term.get(lang).to_string()}</dt>
                                <dd>{entry.meaning.get(lang).to_string()}</dd>
                            }
                        })
                        .collect_view()
                })
                .ok()
        })
    };
    view! {
        <section class="kr-panel kr-glossary" aria-labelledby="kr-glossary-heading" data-testid="glossary">
            <nav class="kr-lesson__top">
                <a href="#/">{move || course_text(lang.get()).back_to_course}</a>
            </nav>
            <h2 id="kr-glossary-heading" class="kr-panel__heading">{move || course_text(lang.get()).glossary_heading}</h2>
            <dl class="kr-glossary__list">{entries}</dl>
        </section>
    }
}
