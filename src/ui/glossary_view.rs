//! The glossary: every term the lessons use, in the learner's language, each with an anchor
//! a lesson's term links lead to (drawn by [`glossary_markup`]).

use leptos::html;
use leptos::prelude::*;

use super::course::{draw, CourseState};
use super::course_text::course_text;
use crate::lang::Lang;
use crate::scene::course_markup::glossary_markup;

#[component]
pub fn GlossaryView(state: CourseState, lang: RwSignal<Lang>) -> impl IntoView {
    let html = Memo::new(move |_| {
        let lang = lang.get();
        // A lesson's term links here: the way back is to where she was reading.
        state.progress.with(|p| {
            state.course.with_value(|c| {
                let glossary = c.as_ref().ok().map(|course| &course.glossary);
                glossary_markup(glossary, p.last.as_ref(), lang, course_text(lang))
            })
        })
    });
    let section = NodeRef::<html::Section>::new();
    draw(section, html);
    view! {
        <section class="kr-panel kr-glossary" aria-labelledby="kr-glossary-heading" data-testid="glossary"
            node_ref=section></section>
    }
}
