//! The course in the page: the lessons (read once), the learner's progress (kept in
//! localStorage, corrupt data met with a notice and a clean start), the page address as the
//! place in the course (`#/lesson/commands/ehlo`), and what the learner does in the page that
//! lessons check (the inspector, the map's view, the comparison, a stored message opened).
//!
//! Entering a lesson at a step prepares the simulator for it: a fresh world from the
//! lesson's seed, with the earlier steps done as the model learner does them
//! ([`Sandbox::at_step`]); going on to the next step only makes that step's preparation.
//!
//! Each page of the course is markup ([`crate::scene::course_markup`]) that [`draw`] brings
//! up to date in place, and its buttons are read by one listener ([`act_of`]).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::playback::Clock;
use crate::lesson::catalog::Course;
use crate::lesson::check::LearnerAction;
use crate::lesson::moves::{play, Sandbox};
use crate::lesson::progress::{self, Discarded, Progress, STORAGE_KEY};
use crate::lesson::route::Route;
use crate::scene::course_markup::{CourseAct, ProgressNotice};
use crate::sim::event::SimEvent;
use crate::sim::id::HostId;
use crate::sim::world::World;
use crate::terminal::Terminal;

/// What the learner did in the page, for the lessons' checks.
#[derive(Clone, Copy)]
pub struct LearnerLog(pub RwSignal<Vec<LearnerAction>>);

impl LearnerLog {
    /// Notes `action` once in a row (a second click on the same view adds nothing).
    pub fn record(self, action: LearnerAction) {
        if self.0.with_untracked(|done| done.last() != Some(&action)) {
            self.0.update(|done| done.push(action));
        }
    }
}

/// The simulator's parts a lesson prepares.
#[derive(Clone, Copy)]
pub struct Simulator {
    pub world: RwSignal<World>,
    pub terminal: RwSignal<Terminal>,
    pub clock: Clock,
    pub selected_host: RwSignal<Option<HostId>>,
    pub selected_event: RwSignal<Option<usize>>,
}

/// The course's state in the page.
#[derive(Clone, Copy)]
pub struct CourseState {
    pub course: StoredValue<Result<Course, String>>,
    pub progress: RwSignal<Progress>,
    pub learner: LearnerLog,
    pub route: RwSignal<Route>,
    pub notice: RwSignal<Option<ProgressNotice>>,
    /// The lesson whose world the simulator holds, and the last step prepared in it.
    pub active: RwSignal<Option<(String, usize)>>,
    /// Where the log and the learner's actions stood when the step on screen began: the
    /// hint looks at what happened since.
    pub step_began: RwSignal<(usize, usize)>,
    /// Steps of the active lesson the learner went on from before they were done, as (lesson,
    /// step) ids: one she left while her answer was still playing is done once its checks
    /// hold.
    pub left_unfinished: RwSignal<Vec<(String, String)>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Moves the page to `route`; the address changes, and with it [`CourseState::route`].
pub fn go(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.hash());
    }
}

impl CourseState {
    /// Reads the course and the saved progress, and follows the page address.
    pub fn new() -> CourseState {
        let course = Course::load();
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let lessons = course.as_ref().map(|c| c.lessons.as_slice()).unwrap_or(&[]);
        let loaded = progress::load(saved.as_deref(), lessons);
        let notice = match loaded.discarded {
            Some(Discarded::Corrupt(_)) => Some(ProgressNotice::Corrupt),
            Some(Discarded::OtherSchema(_)) => Some(ProgressNotice::OtherSchema),
            None if !loaded.outdated.is_empty() => {
                Some(ProgressNotice::Outdated(loaded.outdated.clone()))
            }
            None => None,
        };
        let state = CourseState {
            course: StoredValue::new(course),
            progress: RwSignal::new(loaded.progress),
            learner: LearnerLog(RwSignal::new(Vec::new())),
            route: RwSignal::new(Route::parse(&current_hash())),
            notice: RwSignal::new(notice),
            active: RwSignal::new(None),
            step_began: RwSignal::new((0, 0)),
            left_unfinished: RwSignal::new(Vec::new()),
        };
        provide_context(state.learner);
        // Unreadable data is replaced at once, so the notice shows only this once.
        if state.notice.get_untracked().is_some() {
            state.save();
        }
        let route = state.route;
        let on_hash = Closure::<dyn Fn()>::new(move || route.set(Route::parse(&current_hash())));
        if let Some(window) = web_sys::window() {
            let _ = window
                .add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
        }
        on_hash.forget();
        state
    }

    /// Writes the progress to localStorage (failing only costs the memory of it).
    pub fn save(self) {
        if let Some(storage) = storage() {
            let saved = self.progress.with_untracked(progress::save);
            let _ = storage.set_item(STORAGE_KEY, &saved);
        }
    }

    /// Forgets all progress.
    pub fn reset(self) {
        self.progress.set(Progress::default());
        self.save();
    }

    /// Shows step `index` of lesson `id`, preparing the simulator as needed: the next step
    /// is prepared on the world as it is; a step further on (a shared link, a lesson opened
    /// again) rebuilds the world with the earlier steps done; a step already prepared is only
    /// shown. Returns false when there is no such lesson.
    pub fn enter(self, id: &str, index: usize, sim: Simulator) -> bool {
        let Some(lesson) = self
            .course
            .with_value(|c| c.as_ref().ok().and_then(|c| c.lesson(id).cloned()))
        else {
            return false;
        };
        let index = index.min(lesson.steps.len().saturating_sub(1));
        let prepared = self
            .active
            .get_untracked()
            .filter(|(active, _)| active == id)
            .map(|(_, prepared)| prepared);
        match prepared {
            Some(prepared) if index <= prepared => {}
            Some(prepared) if index == prepared + 1 => {
                sim.clock.catch_up(sim.world);
                let moves = &lesson.steps[index].prepare;
                sim.world.update(|world| {
                    sim.terminal.update(|terminal| {
                        self.learner.0.update(|learner| {
                            for step in moves {
                                let _ = play(world, terminal, learner, step);
                            }
                        })
                    })
                });
                sim.clock.catch_up(sim.world);
                self.active.set(Some((id.to_string(), index)));
                let step_left = lesson.steps[prepared].id.clone();
                if !self.progress.with_untracked(|p| p.is_done(id, &step_left)) {
                    self.left_unfinished
                        .update(|left| left.push((id.to_string(), step_left)));
                }
            }
            _ => {
                let Ok(sandbox) = Sandbox::at_step(&lesson, index) else {
                    return false;
                };
                sim.clock.playing.set(false);
                sim.selected_event.set(None);
                sim.selected_host.set(None);
                sim.clock.horizon.set(sandbox.world.events().len());
                sim.world.set(sandbox.world);
                sim.terminal.set(sandbox.terminal);
                self.learner.0.set(sandbox.learner);
                self.active.set(Some((id.to_string(), index)));
                self.left_unfinished.set(Vec::new());
            }
        }
        let events = sim.world.with_untracked(|w| w.events().len());
        let actions = self.learner.0.with_untracked(Vec::len);
        self.step_began.set((events, actions));
        let step = lesson.steps[index].id.clone();
        self.progress.update(|p| p.visit(&lesson, &step));
        self.save();
        true
    }
}

/// Keeps the content of `section` equal to the markup `html`, changing in place only what
/// differs: the control with the focus keeps it, a live region announces only what changed in
/// it, a table scrolled sideways stays scrolled and a quiz answer being picked stays picked.
pub fn draw(section: NodeRef<html::Section>, html: Memo<String>) {
    Effect::new(move |_| {
        let html = html.get();
        let Some(section) = section.get() else {
            return;
        };
        // A template's content is inert: nothing in it loads or runs while it is compared.
        let Ok(template) = document().create_element("template") else {
            return;
        };
        let template: web_sys::HtmlTemplateElement = template.unchecked_into();
        template.set_inner_html(&html);
        morph_children(&section, &template.content());
    });
}

/// Makes the children of `old` like those of `new`, child by child: a node of the same kind
/// is updated, another is replaced by the new one, and the rest is added or removed.
fn morph_children(old: &Node, new: &Node) {
    let mut current = old.first_child();
    let mut next_new = new.first_child();
    while let Some(wanted) = next_new {
        next_new = wanted.next_sibling();
        match current {
            Some(node) if node.node_name() == wanted.node_name() => {
                morph_node(&node, &wanted);
                current = node.next_sibling();
            }
            Some(node) => {
                let _ = old.replace_child(&wanted, &node);
                current = wanted.next_sibling();
            }
            None => {
                let _ = old.append_child(&wanted);
            }
        }
    }
    while let Some(node) = current {
        current = node.next_sibling();
        let _ = old.remove_child(&node);
    }
}

/// Makes `old` like `new`, a node of the same kind: its text, or its attributes and children.
fn morph_node(old: &Node, new: &Node) {
    if old.node_type() != Node::ELEMENT_NODE {
        let text = new.node_value();
        if old.node_value() != text {
            old.set_node_value(text.as_deref());
        }
        return;
    }
    let (old_element, new_element) = (
        old.unchecked_ref::<Element>(),
        new.unchecked_ref::<Element>(),
    );
    for name in old_element.get_attribute_names().iter() {
        if let Some(name) = name.as_string() {
            if !new_element.has_attribute(&name) {
                let _ = old_element.remove_attribute(&name);
            }
        }
    }
    for name in new_element.get_attribute_names().iter() {
        if let Some(name) = name.as_string() {
            let value = new_element.get_attribute(&name).unwrap_or_default();
            if old_element.get_attribute(&name).as_ref() != Some(&value) {
                let _ = old_element.set_attribute(&name, &value);
            }
        }
    }
    morph_children(old, new);
}

/// What the button the learner pressed in a course page asks for (its `data-act`).
pub fn act_of(ev: &web_sys::Event) -> Option<CourseAct> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let button = target.closest("button[data-act]").ok()??;
    CourseAct::from_code(&button.get_attribute("data-act")?)
}

/// Notes the inspector opened on a frame, by the frame's highest protocol, whenever the
/// picked event changes.
pub fn watch_inspections(
    world: RwSignal<World>,
    selected: RwSignal<Option<usize>>,
    log: LearnerLog,
) {
    Effect::new(move |_| {
        let Some(index) = selected.get() else {
            return;
        };
        let protocol = world.with_untracked(|w| {
            let event: &SimEvent = w.events().get(index)?;
            let bytes = w.frame(event.frame()?)?;
            Some(crate::scene::event_list::frame_protocol(bytes).name())
        });
        if let Some(protocol) = protocol {
            log.record(LearnerAction::Inspected {
                protocol: protocol.to_string(),
            });
        }
    });
}
