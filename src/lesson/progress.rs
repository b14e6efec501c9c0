//! The learner's progress as the page saves it (in localStorage, as JSON with a schema
//! version): per lesson the step she is on, the steps done and her quiz score, and where she
//! was last. Reading never fails the page: data that is corrupt, from another schema, or for
//! a lesson whose steps changed since, gives a clean start and says why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::Lesson;

/// The shape of the saved data; raised when it changes.
pub const SCHEMA: u32 = 1;

/// The key the page saves under.
pub const STORAGE_KEY: &str = "kurir.progress";

/// Quiz answers right, out of how many questions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizScore {
    pub right: u32,
    pub of: u32,
}

/// One lesson's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The lesson's version when this was saved.
    pub version: u32,
    /// The step she is on, by id.
    pub step: String,
    /// Steps whose checks passed, by id.
    pub done: Vec<String>,
    pub quiz: Option<QuizScore>,
}

/// A lesson and step, where she was last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub lesson: String,
    pub step: String,
}

/// Everything saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub schema: u32,
    pub lessons: BTreeMap<String, LessonProgress>,
    pub last: Option<Place>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            schema: SCHEMA,
            lessons: BTreeMap::new(),
            last: None,
        }
    }
}

/// Why saved progress was set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discarded {
    /// Not readable as progress at all.
    Corrupt(String),
    /// Saved by a version of Kurir with another schema.
    OtherSchema(u32),
}

/// What reading the saved data gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub progress: Progress,
    /// Set when the saved data could not be used (the page tells the learner).
    pub discarded: Option<Discarded>,
    /// Lessons whose saved progress no longer fits their steps, reset.
    pub outdated: Vec<String>,
}

/// Reads `saved` (what the page stored, if anything) against the `course`.
pub fn load(saved: Option<&str>, course: &[Lesson]) -> Loaded {
    let fresh = |discarded| Loaded {
        progress: Progress::default(),
        discarded,
        outdated: Vec::new(),
    };
    let Some(saved) = saved.filter(|s| !s.trim().is_empty()) else {
        return fresh(None);
    };
    let value: serde_json::Value = match serde_json::from_str(saved) {
        Ok(value) => value,
        Err(error) => return fresh(Some(Discarded::Corrupt(error.to_string()))),
    };
    match value.get("schema").and_then(serde_json::Value::as_u64) {
        Some(schema) if schema == u64::from(SCHEMA) => {}
        Some(other) => {
            let other = u32::try_from(other).unwrap_or(u32::MAX);
            return fresh(Some(Discarded::OtherSchema(other)));
        }
        None => return fresh(Some(Discarded::Corrupt("no schema version".into()))),
    }
    let mut progress: Progress = match serde_json::from_value(value) {
        Ok(progress) => progress,
        Err(error) => return fresh(Some(Discarded::Corrupt(error.to_string()))),
    };
    let mut outdated = Vec::new();
    progress.lessons.retain(|id, saved| {
        let fits = course.iter().any(|lesson| {
            lesson.id == *id
                && lesson.version == saved.version
                && lesson.step_index(&saved.step).is_some()
                && saved
                    .done
                    .iter()
                    .all(|done| lesson.step_index(done).is_some())
        });
        if !fits {
            outdated.push(id.clone());
        }
        fits
    });
    if let Some(last) = &progress.last {
        if !progress.lessons.contains_key(&last.lesson) {
            progress.last = None;
        }
    }
    Loaded {
        progress,
        discarded: None,
        outdated,
    }
}

/// What the page stores.
pub fn save(progress: &Progress) -> String {
    serde_json::to_string(progress).unwrap_or_default()
}

impl Progress {
    /// She is on `step` of `lesson` now.
    pub fn visit(&mut self, lesson: &Lesson, step: &str) {
        let entry = self.lessons.entry(lesson.id.clone()).or_default();
        if entry.version != lesson.version {
            *entry = LessonProgress::default();
            entry.version = lesson.version;
        }
        entry.step = step.to_string();
        self.last = Some(Place {
            lesson: lesson.id.clone(),
            step: step.to_string(),
        });
    }

    /// Step `step` of `lesson` passed its checks.
    pub fn complete(&mut self, lesson: &Lesson, step: &str) {
        if !self.lessons.contains_key(&lesson.id) {
            self.visit(lesson, step);
        }
        if let Some(entry) = self.lessons.get_mut(&lesson.id) {
            if !entry.done.iter().any(|done| done == step) {
                entry.done.push(step.to_string());
            }
        }
    }

    pub fn is_done(&self, lesson: &str, step: &str) -> bool {
        self.lessons
            .get(lesson)
            .is_some_and(|entry| entry.done.iter().any(|done| done == step))
    }

    /// Every step of `lesson` done.
    pub fn finished(&self, lesson: &Lesson) -> bool {
        lesson
            .steps
            .iter()
            .all(|step| self.is_done(&lesson.id, &step.id))
    }
}

#[cfg(test)]
mod tests;
