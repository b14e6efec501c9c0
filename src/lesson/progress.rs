//! The learner's progress as the page saves it (in localStorage, as a few lines of text with
//! a schema version): per lesson the step she is on, the steps done and her quiz score, and
//! where she was last. Reading never fails the page: data that is corrupt, from another
//! schema, or for a lesson whose steps changed since, gives a clean start and says why.
//!
//! ```text
//! kurir-progress 1
//! lesson commands 1 ehlo quiz=2/3 done=connect,ehlo
//! last commands ehlo
//! ```

use std::collections::BTreeMap;
use std::fmt::Write;

use super::model::Lesson;

/// The shape of the saved data; raised when it changes.
pub const SCHEMA: u32 = 1;

/// The key the page saves under.
pub const STORAGE_KEY: &str = "kurir.progress";

/// Quiz answers right, out of how many questions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuizScore {
    pub right: u32,
    pub of: u32,
}

/// One lesson's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonProgress {
    /// The lesson's version when this was saved.
    pub version: u32,
    /// The step she is on, by id; empty when she has only been to the quiz.
    pub step: String,
    /// Steps whose checks passed, by id.
    pub done: Vec<String>,
    pub quiz: Option<QuizScore>,
}

/// A lesson and step, where she was last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub lesson: String,
    pub step: String,
}

/// Everything saved.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// The first word of the saved text.
const MAGIC: &str = "kurir-progress";

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
    let mut progress = match parse(saved) {
        Ok(progress) => progress,
        Err(discarded) => return fresh(Some(discarded)),
    };
    let mut outdated = Vec::new();
    progress.lessons.retain(|id, saved| {
        let fits = course.iter().any(|lesson| {
            lesson.id == *id
                && lesson.version == saved.version
                && (saved.step.is_empty() || lesson.step_index(&saved.step).is_some())
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

fn corrupt(why: &str) -> Discarded {
    Discarded::Corrupt(why.to_string())
}

/// A name as saved: lesson and step ids are letters, digits and `-`.
fn name(word: Option<&str>) -> Result<String, Discarded> {
    match word {
        Some(word)
            if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            Ok(word.to_string())
        }
        _ => Err(corrupt("a lesson or step name is missing or malformed")),
    }
}

fn parse(saved: &str) -> Result<Progress, Discarded> {
    let mut lines = saved.lines();
    let mut head = lines.next().unwrap_or_default().split(' ');
    if head.next() != Some(MAGIC) {
        return Err(corrupt("not Kurir's progress"));
    }
    let schema: u32 = head
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| corrupt("no schema version"))?;
    if schema != SCHEMA {
        return Err(Discarded::OtherSchema(schema));
    }
    let mut progress = Progress::default();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let mut words = line.split(' ');
        match words.next() {
            Some("lesson") => {
                let id = name(words.next())?;
                let version = words
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| corrupt("a lesson version is not a number"))?;
                // `-`: she has not been on a step yet (only the quiz).
                let step = match words.next() {
                    Some("-") => String::new(),
                    word => name(word)?,
                };
                let mut entry = LessonProgress {
                    version,
                    step,
                    done: Vec::new(),
                    quiz: None,
                };
                for field in words {
                    match field.split_once('=') {
                        Some(("done", list)) => {
                            for done in list.split(',').filter(|d| !d.is_empty()) {
                                entry.done.push(name(Some(done))?);
                            }
                        }
                        Some(("quiz", score)) => {
                            let (right, of) = score
                                .split_once('/')
                                .and_then(|(r, o)| Some((r.parse().ok()?, o.parse().ok()?)))
                                .ok_or_else(|| corrupt("a quiz score is malformed"))?;
                            entry.quiz = Some(QuizScore { right, of });
                        }
                        _ => return Err(corrupt("an unknown field")),
                    }
                }
                progress.lessons.insert(id, entry);
            }
            Some("last") => {
                progress.last = Some(Place {
                    lesson: name(words.next())?,
                    step: name(words.next())?,
                });
            }
            _ => return Err(corrupt("an unknown line")),
        }
    }
    Ok(progress)
}

/// What the page stores.
pub fn save(progress: &Progress) -> String {
    let mut out = format!("{MAGIC} {SCHEMA}\n");
    for (id, entry) in &progress.lessons {
        let step = if entry.step.is_empty() {
            "-"
        } else {
            &entry.step
        };
        let _ = write!(out, "lesson {id} {} {step}", entry.version);
        if let Some(QuizScore { right, of }) = entry.quiz {
            let _ = write!(out, " quiz={right}/{of}");
        }
        if !entry.done.is_empty() {
            let _ = write!(out, " done={}", entry.done.join(","));
        }
        out.push('\n');
    }
    if let Some(last) = &progress.last {
        let _ = writeln!(out, "last {} {}", last.lesson, last.step);
    }
    out
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
