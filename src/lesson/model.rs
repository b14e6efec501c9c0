//! A lesson as its data file says it: both languages side by side, the world it starts from,
//! its steps (text, what to do, checks, hints, the model learner's moves) and its quiz.
//! Read with serde from JSON; texts are lists of lines so a file stays readable.

use serde::Deserialize;

use super::check::Check;
use super::moves::Move;
use crate::lang::Lang;

/// One short text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    pub en: String,
    pub id: String,
}

impl Words {
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.id)
    }
}

/// A longer text in both languages, one string per line, in the lessons' markup
/// ([`super::markup`]).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prose {
    pub en: Vec<String>,
    pub id: Vec<String>,
}

impl Prose {
    pub fn lines(&self, lang: Lang) -> &[String] {
        lang.pick(&self.en, &self.id)
    }
}

/// A change to the default world before the lesson starts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case", deny_unknown_fields)]
pub enum WorldEdit {
    /// The mailbox answers `452 4.2.2` until emptied.
    FillMailbox { address: String },
    /// The host starts switched off.
    HostDown { host: String },
}

/// The world a lesson starts from: the default teaching world, edited, with its seed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonWorld {
    pub seed: u64,
    #[serde(default)]
    pub edits: Vec<WorldEdit>,
}

/// A hint, shown when the learner asks; the first whose `when` happened during the step is
/// chosen, else the first without `when`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    #[serde(default)]
    pub when: Option<Check>,
    pub text: Words,
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable within the lesson: saved progress and links name steps by it.
    pub id: String,
    pub title: Words,
    pub text: Prose,
    /// What to do, in one sentence.
    pub task: Words,
    /// All must hold for the step to be done; none means reading is the task.
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub hints: Vec<Hint>,
    /// What the simulator does as the step begins (a server switched off, a mailbox
    /// filled), as a teacher would set the class up.
    #[serde(default)]
    pub prepare: Vec<Move>,
    /// What a model learner does to pass the checks.
    #[serde(default)]
    pub solution: Vec<Move>,
}

/// One answer of a multiple-choice question.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: Words,
    #[serde(default)]
    pub correct: bool,
    /// Why this answer is right or wrong.
    pub why: Words,
}

/// A quiz question: pick one answer, or type one (a reply code, a port).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Question {
    Choose {
        question: Words,
        choices: Vec<Choice>,
    },
    Type {
        question: Words,
        /// Every accepted answer, compared without case and surrounding spaces.
        answers: Vec<String>,
        /// Shown after any answer.
        why: Words,
    },
}

/// One lesson.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable: saved progress and links name lessons by it.
    pub id: String,
    /// Raised when the steps change so that old progress no longer fits.
    pub version: u32,
    /// The curriculum topics it covers (CURRICULUM.md numbers).
    pub topics: Vec<u32>,
    pub title: Words,
    /// What the learner will be able to do, one per line.
    pub goals: Vec<Words>,
    pub world: LessonWorld,
    pub steps: Vec<Step>,
    #[serde(default)]
    pub quiz: Vec<Question>,
}

impl Lesson {
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|step| step.id == id)
    }
}
