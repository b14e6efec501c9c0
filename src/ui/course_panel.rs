//! The course panel beside the simulator: the course as a path of lessons with progress
//! (home), a lesson's step, its quiz, or the glossary, as the page address says. Also the
//! progress notice, "continue where I left off", the report download and the reset.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::course::{go, CourseState, ProgressNotice, Simulator};
use super::course_text::{course_text, CourseText};
use super::glossary_view::GlossaryView;
use super::lesson_panel::LessonPanel;
use super::quiz_view::QuizView;
use crate::lang::Lang;
use crate::lesson::report::report;
use crate::lesson::route::Route;
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

    let t = move || course_text(lang.get());
    let page = move || match state.route.get() {
        Route::Home => view! { <Home state sim lang/> }.into_any(),
        Route::Simulator => ().into_any(),
        Route::Lesson { id, .. } => view! { <LessonPanel state sim lang id/> }.into_any(),
        Route::Quiz { id } => view! { <QuizView state lang id/> }.into_any(),
        Route::Glossary { .. } => view! { <GlossaryView state lang/> }.into_any(),
    };
    // Above any page: a shared link to a lesson is where a learner may first meet it.
    view! {
        {move || state.notice.get().map(|notice| view! {
            <div class="kr-panel kr-course__notice" role="alert" data-testid="progress-notice">
                <p>{notice_text(&notice, t())}</p>
                <button type="button" class="kr-button" on:click=move |_| state.notice.set(None)>{t().dismiss}</button>
            </div>
        })}
        {page}
    }
}

/// Focuses the heading of the page `route` shows, once it is drawn.
fn focus_heading(route: &Route) {
    let id = match route {
        Route::Home => "kr-course-heading".to_string(),
        Route::Simulator => return,
        Route::Lesson { .. } => "kr-lesson-heading".to_string(),
        Route::Quiz { .. } => "kr-quiz-heading".to_string(),
        // A term's link: the term itself (focusing it scrolls it into view).
        Route::Glossary { term: Some(term) } => format!("kr-term-{term}"),
        Route::Glossary { term: None } => "kr-glossary-heading".to_string(),
    };
    request_animation_frame(move || {
        let heading = document()
            .get_element_by_id(&id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(heading) = heading {
            let _ = heading.focus();
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

fn notice_text(notice: &ProgressNotice, t: &CourseText) -> String {
    match notice {
        ProgressNotice::Corrupt => t.corrupt_notice.to_string(),
        ProgressNotice::OtherSchema => t.schema_notice.to_string(),
        ProgressNotice::Outdated(lessons) => {
            format!("{} {}", t.outdated_notice, lessons.join(", "))
        }
    }
}

#[component]
fn Home(state: CourseState, sim: Simulator, lang: RwSignal<Lang>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let t = move || course_text(lang.get());
    let lessons = move || {
        let lang = lang.get();
        let t = course_text(lang);
        state.course.with_value(|course| match course {
            Err(error) => view! { <p class="kr-course__error">{t.load_failed} " " {error.clone()}</p> }.into_any(),
            Ok(course) => {
                let progress = state.progress.get();
                course
                    .lessons
                    .iter()
                    .enumerate()
                    .map(|(number, lesson)| {
                        let done = lesson
                            .steps
                            .iter()
                            .filter(|s| progress.is_done(&lesson.id, &s.id))
                            .count();
                        let total = lesson.steps.len();
                        let quiz = progress.lessons.get(&lesson.id).and_then(|l| l.quiz);
                        let action = if done == total {
                            t.review
                        } else if progress.lessons.contains_key(&lesson.id) {
                            t.resume
                        } else {
                            t.start
                        };
                        let href = Route::Lesson { id: lesson.id.clone(), step: None }.hash();
                        // One link per lesson; its title describes it for a screen reader.
                        let title_id = format!("kr-course-{}", lesson.id);
                        view! {
                            <li class="kr-course__lesson" data-testid="course-lesson" data-lesson=lesson.id.clone()
                                data-finished=(done == total).to_string()>
                                <span class="kr-course__number" aria-hidden="true">{number + 1}</span>
                                <div class="kr-course__body">
                                    <h3 class="kr-course__title" id=title_id.clone()>{lesson.title.get(lang).to_string()}</h3>
                                    <progress max=total value=done aria-label=t.steps_done></progress>
                                    <span class="kr-course__meta">
                                        {format!("{done}/{total} {}", t.steps_done)}
                                        {quiz.map(|q| format!(" · {} {}/{}", t.quiz, q.right, q.of))}
                                    </span>
                                </div>
                                <a class="kr-button" href=href aria-describedby=title_id>{action}</a>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }
        })
    };
    let last = move || state.progress.with(|p| p.last.clone());
    let download_report = move |_| {
        let lang = lang.get_untracked();
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
    };
    view! {
        <section class="kr-panel kr-course" aria-labelledby="kr-course-heading" data-testid="course">
            <h2 id="kr-course-heading" class="kr-panel__heading" tabindex="-1">{move || t().heading}</h2>
            <p class="kr-course__intro">{move || t().intro}</p>
            {move || last().map(|place| {
                let href = Route::Lesson { id: place.lesson, step: Some(place.step) }.hash();
                view! { <a class="kr-button kr-button--primary" data-testid="continue" href=href>{t().continue_where}</a> }
            })}
            <ol class="kr-course__path">{lessons}</ol>
            <div class="kr-course__tools">
                <a class="kr-button" href="#/glossary" data-testid="glossary-link">{move || t().glossary}</a>
                <button type="button" class="kr-button" data-testid="report" on:click=download_report>{move || t().report}</button>
                <button type="button" class="kr-button" data-testid="reset-progress" on:click=move |_| confirming.set(true)>{move || t().reset}</button>
            </div>
            {move || confirming.get().then(|| view! {
                <div class="kr-course__confirm" role="alertdialog" aria-labelledby="kr-reset-question">
                    <p id="kr-reset-question">{t().reset_confirm}</p>
                    <button type="button" class="kr-button kr-button--primary" data-testid="reset-yes"
                        on:click=move |_| { state.reset(); confirming.set(false); go(&Route::Home); }>{t().reset_yes}</button>
                    <button type="button" class="kr-button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                </div>
            })}
        </section>
    }
}
