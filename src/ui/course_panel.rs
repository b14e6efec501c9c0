//! The course panel beside the simulator: the course as a path of lessons with progress
//! (home), a lesson's step, its quiz, or the glossary, as the page address says. Also the
//! progress notice, "continue where I left off", the report download and the reset.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::course::{act_of, draw, go, CourseState, Simulator};
use super::course_text::course_text;
use super::glossary_view::GlossaryView;
use super::lesson_panel::LessonPanel;
use super::quiz_view::QuizView;
use crate::lang::Lang;
use crate::lesson::report::report;
use crate::lesson::route::Route;
use crate::scene::course_markup::{home_markup, notice_markup, CourseAct};
use crate::terminal::{Entry, LineKind};

#[component]
pub fn CoursePanel(state: CourseState, sim: Simulator, lang: RwSignal<Lang>) -> impl IntoView {
    // Following the address: a lesson's step is prepared when it is shown.
    Effect::new(move |_| {
        if let Route::Lesson { id, step } = state.route.get() {
            let index = state.course.with_value(|c| {
                let lesson = c.as_ref().ok()?.lesson(&id)?;
                let saved = state
                    .progress
                    .with_untracked(|p| p.lessons.get(&id).map(|l| l.step.clone()));
                step.or(saved)
                    .and_then(|s| lesson.step_index(&s))
                    .or(Some(0))
            });
            if let Some(index) = index {
                state.enter(&id, index, sim);
            }
        }
    });

    // Moving in the course replaces the panel the focus was in, so the focus goes to the new
    // page's heading; when the page first loads it stays where the browser puts it.
    Effect::new(move |shown_before: Option<()>| {
        let route = state.route.get();
        if shown_before.is_some() {
            focus_heading(&route);
        }
    });

    let page = move || match state.route.get() {
        Route::Home => view! { <Home state sim lang/> }.into_any(),
        Route::Simulator => ().into_any(),
        Route::Lesson { id, .. } => view! { <LessonPanel state sim lang id/> }.into_any(),
        Route::Quiz { id } => view! { <QuizView state lang id/> }.into_any(),
        Route::Glossary { .. } => view! { <GlossaryView state lang/> }.into_any(),
    };
    // Closing the notice takes its button away: the focus goes to the page's heading.
    let dismiss = move |ev: leptos::ev::MouseEvent| {
        if act_of(&ev) == Some(CourseAct::Dismiss) {
            state.notice.set(None);
            focus_heading(&state.route.get_untracked());
        }
    };
    // Above any page: a shared link to a lesson is where a learner may first meet it.
    view! {
        {move || state.notice.get().map(|notice| view! {
            <div class="kr-panel kr-course__notice" role="alert" data-testid="progress-notice"
                inner_html=move || notice_markup(&notice, course_text(lang.get())) on:click=dismiss></div>
        })}
        {page}
    }
}

/// Focuses the heading of the page `route` shows, once it is drawn.
fn focus_heading(route: &Route) {
    let selector = match route {
        Route::Home => "#kr-course-heading".to_string(),
        Route::Simulator => return,
        Route::Lesson { .. } => "#kr-lesson-heading".to_string(),
        Route::Quiz { .. } => "#kr-quiz-heading".to_string(),
        // A term's link: the term itself (focusing it scrolls it into view). A term in the
        // address is letters, digits and dashes only (`Route::parse`).
        Route::Glossary { term: Some(term) } => format!("#kr-term-{term}"),
        Route::Glossary { term: None } => "#kr-glossary-heading".to_string(),
    };
    focus_when_drawn(selector);
}

/// Focuses the first element `selector` finds once the page is drawn again.
fn focus_when_drawn(selector: String) {
    request_animation_frame(move || {
        let element = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// The lines the learner typed in the terminal, for her report.
fn typed_lines(sim: &crate::terminal::Terminal) -> Vec<String> {
    sim.lines()
        .iter()
        .filter_map(|line| match &line.entry {
            Entry::Typed { text, kind }
                if *kind != LineKind::Local || text.starts_with("telnet") =>
            {
                Some(text.clone())
            }
            _ => None,
        })
        .collect()
}

/// Saves `text` as a file the browser downloads.
fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Downloads the learner's report: her progress and what she typed.
fn download_report(state: CourseState, sim: Simulator, lang: Lang) {
    let typed = sim.terminal.with_untracked(typed_lines);
    let text = state.course.with_value(|course| {
        course
            .as_ref()
            .map(|c| {
                state
                    .progress
                    .with_untracked(|p| report(c, p, &typed, lang))
            })
            .unwrap_or_default()
    });
    download("kurir-report.txt", &text);
}

#[component]
fn Home(state: CourseState, sim: Simulator, lang: RwSignal<Lang>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let html = Memo::new(move |_| {
        let lang = lang.get();
        let confirming = confirming.get();
        state.progress.with(|progress| {
            state.course.with_value(|course| {
                let lessons = course
                    .as_ref()
                    .map(|c| c.lessons.as_slice())
                    .map_err(String::as_str);
                home_markup(lessons, progress, confirming, lang, course_text(lang))
            })
        })
    });
    let section = NodeRef::<html::Section>::new();
    draw(section, html);
    let act = move |ev: leptos::ev::MouseEvent| match act_of(&ev) {
        Some(CourseAct::Report) => download_report(state, sim, lang.get_untracked()),
        Some(CourseAct::Reset) => confirming.set(true),
        // The question goes away with its buttons: the focus goes back to "Reset progress".
        Some(CourseAct::ResetConfirmed) => {
            state.reset();
            confirming.set(false);
            focus_when_drawn("[data-act=reset]".to_string());
            go(&Route::Home);
        }
        Some(CourseAct::ResetCancelled) => {
            confirming.set(false);
            focus_when_drawn("[data-act=reset]".to_string());
        }
        _ => {}
    };
    view! {
        <section class="kr-panel kr-course" aria-labelledby="kr-course-heading" data-testid="course"
            node_ref=section on:click=act></section>
    }
}
