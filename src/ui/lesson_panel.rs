//! One step of a lesson beside the simulator: its text (glossary terms linked), the task,
//! the live check list, a hint chosen by what happened during the step, and the way on.
//! A step whose checks all hold is saved as done.

use leptos::prelude::*;

use super::course::{go, CourseState, Simulator};
use super::course_text::{course_text, fill2};
use crate::lang::Lang;
use crate::lesson::check::Observed;
use crate::lesson::markup::blocks;
use crate::lesson::model::Lesson;
use crate::lesson::route::Route;
use crate::lesson::{checks_passed, hint, step_done};
use crate::scene::lesson_html::blocks_html;

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
            <section class="kr-panel kr-lesson" data-testid="lesson">
                <p>{move || course_text(lang.get()).not_found}</p>
                <a class="kr-button" href="#/">{move || course_text(lang.get()).back_to_course}</a>
            </section>
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
    let hint_text = move || {
        let lang = lang.get();
        let (from_event, from_action) = state.step_began.get();
        sim.world.with(|world| {
            state.learner.0.with(|learner| {
                let seen = Observed {
                    world,
                    learner,
                    from_event,
                    from_action,
                };
                lesson.with_value(|l| {
                    hint(&l.steps[shown.get()], &seen)
                        .map(|h| h.get(lang).to_string())
                        .unwrap_or_else(|| course_text(lang).no_hint.to_string())
                })
            })
        })
    };
    let text_html = move || {
        let lang = lang.get();
        let step = shown.get();
        state.course.with_value(|c| {
            let Ok(course) = c else { return String::new() };
            lesson.with_value(|l| {
                blocks_html(
                    &blocks(l.steps[step].text.lines(lang)),
                    &course.glossary,
                    lang,
                )
            })
        })
    };
    let step_route = move |step: usize| {
        lesson.with_value(|l| match l.steps.get(step) {
            Some(s) => Route::Lesson {
                id: l.id.clone(),
                step: Some(s.id.clone()),
            },
            None => Route::Quiz { id: l.id.clone() },
        })
    };
    let count = lesson.with_value(|l| l.steps.len());
    let t = move || course_text(lang.get());
    let checks = move || {
        let lang = lang.get();
        let t = course_text(lang);
        let passed = passed.get();
        lesson.with_value(|l| {
            l.steps[shown.get()]
                .checks
                .iter()
                .zip(passed)
                .map(|(check, ok)| {
                    view! {
                        <li class="kr-lesson__check" data-testid="lesson-check" data-done=ok.to_string()>
                            <span class="kr-lesson__mark" aria-hidden="true">{if ok { "✓" } else { "○" }}</span>
                            {check.describe(lang)}
                            <span class="kr-visually-hidden">{format!(" ({})", if ok { t.done } else { t.not_yet })}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let all_done = move || passed.get().iter().all(|ok| *ok);
    // A step whose task is reading has nothing to check.
    let no_checks = move || passed.with(Vec::is_empty);
    view! {
        <section class="kr-panel kr-lesson" aria-labelledby="kr-lesson-heading" data-testid="lesson"
            data-lesson=lesson.with_value(|l| l.id.clone()) data-step=move || lesson.with_value(|l| l.steps[shown.get()].id.clone())>
            <nav class="kr-lesson__top">
                <a href="#/" data-testid="back-to-course">{move || t().back_to_course}</a>
                <span class="kr-lesson__title">{move || lesson.with_value(|l| l.title.get(lang.get()).to_string())}</span>
                <span class="kr-lesson__count">{move || fill2(t().step_of, shown.get() + 1, count)}</span>
            </nav>
            <h2 id="kr-lesson-heading" class="kr-panel__heading" tabindex="-1">
                {move || lesson.with_value(|l| l.steps[shown.get()].title.get(lang.get()).to_string())}
            </h2>
            {move || (shown.get() == 0).then(|| {
                let lang = lang.get();
                view! {
                    <div class="kr-lesson__goals">
                        <p>{course_text(lang).goals}</p>
                        <ul>{lesson.with_value(|l| l.goals.iter().map(|g| view! { <li>{g.get(lang).to_string()}</li> }).collect_view())}</ul>
                    </div>
                }
            })}
            <div class="kr-lesson__text" inner_html=text_html></div>
            <p class="kr-lesson__task"><strong>{move || t().to_do}</strong> " "
                {move || lesson.with_value(|l| l.steps[shown.get()].task.get(lang.get()).to_string())}</p>
            <h3 class="kr-lesson__checks-heading" hidden=no_checks>{move || t().checks}</h3>
            <ul class="kr-lesson__checks" aria-live="polite" hidden=no_checks>{checks}</ul>
            <p class="kr-lesson__done" role="status" data-testid="step-done">
                {move || all_done().then(|| t().step_done)}
            </p>
            <button type="button" class="kr-button" data-testid="hint" aria-expanded=move || hint_shown.get().to_string()
                on:click=move |_| hint_shown.update(|s| *s = !*s)>{move || t().hint}</button>
            <p class="kr-lesson__hint" role="status" data-testid="hint-text">
                {move || hint_shown.get().then(hint_text)}
            </p>
            <div class="kr-lesson__nav">
                <button type="button" class="kr-button" data-testid="previous"
                    disabled=move || shown.get() == 0
                    on:click=move |_| go(&step_route(shown.get_untracked().saturating_sub(1)))>{move || t().previous}</button>
                <button type="button" class="kr-button kr-button--primary" data-testid="next"
                    on:click=move |_| go(&step_route(shown.get_untracked() + 1))>
                    {move || if shown.get() + 1 >= count { t().to_quiz } else { t().next }}
                </button>
            </div>
        </section>
    }
    .into_any()
}
