//! One step of a lesson beside the simulator: its text (glossary terms linked), the task,
//! the live check list, a hint chosen by what happened during the step, and the way on
//! (drawn by [`step_markup`]). A step whose checks all hold is saved as done.

use leptos::html;
use leptos::prelude::*;

use super::course::{act_of, draw, go, CourseState, Simulator};
use super::course_text::course_text;
use crate::lang::Lang;
use crate::lesson::check::Observed;
use crate::lesson::model::Lesson;
use crate::lesson::route::Route;
use crate::lesson::{checks_passed, hint, step_done};
use crate::scene::course_markup::{missing_lesson_markup, step_markup, CourseAct, StepView};

#[component]
pub fn LessonPanel(
    state: CourseState,
    sim: Simulator,
    lang: RwSignal<Lang>,
    id: String,
) -> impl IntoView {
    let lesson: Option<Lesson> = state
        .course
        .with_value(|c| c.as_ref().ok().and_then(|c| c.lesson(&id).cloned()));
    let Some(lesson) = lesson else {
        return view! {
            <section class="kr-panel kr-lesson" data-testid="lesson"
                inner_html=move || missing_lesson_markup(course_text(lang.get()))></section>
        }
        .into_any();
    };
    let lesson = StoredValue::new(lesson);
    let index = Memo::new(move |_| {
        state
            .active
            .get()
            .map_or(0, |(_, prepared)| prepared)
            .min(lesson.with_value(|l| l.steps.len().saturating_sub(1)))
    });
    // The step on screen: the one the address names, else the last prepared.
    let shown = Memo::new(move |_| {
        let named = match state.route.get() {
            Route::Lesson {
                step: Some(step), ..
            } => lesson.with_value(|l| l.step_index(&step)),
            _ => None,
        };
        named.unwrap_or_else(|| index.get())
    });
    let passed = Memo::new(move |_| {
        let step = shown.get();
        sim.world.with(|world| {
            state.learner.0.with(|learner| {
                lesson.with_value(|l| checks_passed(&l.steps[step], &Observed::all(world, learner)))
            })
        })
    });
    Effect::new(move |_| {
        let all = passed.get();
        if all.iter().all(|ok| *ok) {
            let step = shown.get_untracked();
            lesson.with_value(|l| {
                let id = l.steps[step].id.clone();
                if !state.progress.with_untracked(|p| p.is_done(&l.id, &id)) {
                    state.progress.update(|p| p.complete(l, &id));
                    state.save();
                }
            });
        }
    });
    // A step left before the world had played her answer counts once it has.
    Effect::new(move |_| {
        let left = state.left_unfinished.get();
        if left.is_empty() {
            return;
        }
        let caught_up: Vec<String> = sim.world.with(|world| {
            state.learner.0.with(|learner| {
                let seen = Observed::all(world, learner);
                lesson.with_value(|l| {
                    l.steps
                        .iter()
                        .filter(|step| {
                            left.iter()
                                .any(|(id, left)| *id == l.id && *left == step.id)
                        })
                        .filter(|step| step_done(step, &seen))
                        .map(|step| step.id.clone())
                        .collect()
                })
            })
        });
        if caught_up.is_empty() {
            return;
        }
        lesson.with_value(|l| {
            state.left_unfinished.update(|left| {
                left.retain(|(lesson, step)| *lesson != l.id || !caught_up.contains(step))
            });
            state.progress.update(|p| {
                for step in &caught_up {
                    p.complete(l, step);
                }
            });
        });
        state.save();
    });
    let hint_shown = RwSignal::new(false);
    Effect::new(move |_| {
        shown.track();
        hint_shown.set(false);
    });
    // The hint for what happened since the step began, once she asked for it.
    let hint_text = Memo::new(move |_| {
        if !hint_shown.get() {
            return None;
        }
        let lang = lang.get();
        let (from_event, from_action) = state.step_began.get();
        let step = shown.get();
        sim.world.with(|world| {
            state.learner.0.with(|learner| {
                let seen = Observed {
                    world,
                    learner,
                    from_event,
                    from_action,
                };
                lesson.with_value(|l| {
                    let hint = hint(&l.steps[step], &seen).map(|h| h.get(lang));
                    Some(hint.unwrap_or(course_text(lang).no_hint).to_string())
                })
            })
        })
    });
    let html = Memo::new(move |_| {
        let lang = lang.get();
        let step = shown.get();
        let hint = hint_text.get();
        passed.with(|passed| {
            state.course.with_value(|c| {
                let Ok(course) = c else { return String::new() };
                lesson.with_value(|lesson| {
                    let view = StepView {
                        lesson,
                        step,
                        passed,
                        hint: hint.as_deref(),
                    };
                    step_markup(&view, &course.glossary, lang, course_text(lang))
                })
            })
        })
    });
    let section = NodeRef::<html::Section>::new();
    draw(section, html);
    let step_route = move |step: usize| {
        lesson.with_value(|l| match l.steps.get(step) {
            Some(s) => Route::Lesson {
                id: l.id.clone(),
                step: Some(s.id.clone()),
            },
            None => Route::Quiz { id: l.id.clone() },
        })
    };
    let act = move |ev: leptos::ev::MouseEvent| match act_of(&ev) {
        Some(CourseAct::Hint) => hint_shown.update(|shown| *shown = !*shown),
        Some(CourseAct::Previous) => go(&step_route(shown.get_untracked().saturating_sub(1))),
        Some(CourseAct::Next) => go(&step_route(shown.get_untracked() + 1)),
        _ => {}
    };
    view! {
        <section class="kr-panel kr-lesson" aria-labelledby="kr-lesson-heading" data-testid="lesson"
            data-lesson=lesson.with_value(|l| l.id.clone())
            data-step=move || lesson.with_value(|l| l.steps[shown.get()].id.clone())
            node_ref=section on:click=act></section>
    }
    .into_any()
}
