//! Guided lessons: the course as data files in both languages ([`model`], [`catalog`]), the
//! checks that read what the learner made happen in the world ([`check`]), the model
//! learner's moves that prove each lesson can be done ([`moves`]), the text markup
//! ([`markup`]), the glossary, the quiz, the saved progress, the page addresses ([`route`])
//! and the report a learner hands in. Plain Rust: no browser, no
//! clock; the page only draws and records.

pub mod catalog;
pub mod check;
#[cfg(not(target_arch = "wasm32"))]
pub mod codegen;
#[rustfmt::skip]
mod course_data;
pub mod describe;
pub mod glossary;
pub mod markup;
pub mod model;
pub mod moves;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod route;

use check::Observed;
use model::{Step, Words};

/// Each check of `step`: whether it holds now.
pub fn checks_passed(step: &Step, seen: &Observed) -> Vec<bool> {
    step.checks.iter().map(|check| check.holds(seen)).collect()
}

/// The step is done: every check holds (a step without checks is done once read).
pub fn step_done(step: &Step, seen: &Observed) -> bool {
    step.checks.iter().all(|check| check.holds(seen))
}

/// The hint for what happened during the step (`seen` starting where the step began): the
/// first whose condition happened, else the first without one.
pub fn hint<'a>(step: &'a Step, seen: &Observed) -> Option<&'a Words> {
    step.hints
        .iter()
        .find(|hint| hint.when.as_ref().is_some_and(|when| when.holds(seen)))
        .or_else(|| step.hints.iter().find(|hint| hint.when.is_none()))
        .map(|hint| &hint.text)
}
