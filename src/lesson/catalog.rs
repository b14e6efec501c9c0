//! The course as it ships. The lessons are data files (`lessons/*.json`, one per lesson, both
//! languages) read with serde; the page gets them as compiled values (`course_data.rs`,
//! written from the files by [`super::codegen`]), so it carries neither JSON text nor a JSON
//! parser. `tests/lessons.rs` checks that the two are the same course.

use super::glossary::Glossary;
use super::model::Lesson;

/// Every lesson and the glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub lessons: Vec<Lesson>,
    pub glossary: Glossary,
}

/// The lessons' data files, in course order.
#[cfg(not(target_arch = "wasm32"))]
const LESSONS: [&str; 6] = [
    include_str!("../../lessons/01-layers.json"),
    include_str!("../../lessons/02-delivery.json"),
    include_str!("../../lessons/03-commands.json"),
    include_str!("../../lessons/04-errors.json"),
    include_str!("../../lessons/05-reading.json"),
    include_str!("../../lessons/06-shared-relay.json"),
];

#[cfg(not(target_arch = "wasm32"))]
const GLOSSARY: &str = include_str!("../../lessons/glossary.json");

impl Course {
    /// The shipped course, as compiled into the app.
    pub fn load() -> Result<Course, String> {
        Ok(super::course_data::course())
    }

    /// Reads the data files with serde; an error names the file part that is wrong.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_data_files() -> Result<Course, String> {
        let lessons = LESSONS
            .iter()
            .enumerate()
            .map(|(number, json)| {
                serde_json::from_str(json).map_err(|e| format!("lesson {}: {e}", number + 1))
            })
            .collect::<Result<Vec<Lesson>, String>>()?;
        let glossary = Glossary::parse(GLOSSARY).map_err(|e| format!("glossary: {e}"))?;
        Ok(Course { lessons, glossary })
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|lesson| lesson.id == id)
    }
}
