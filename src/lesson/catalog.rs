//! The course as it ships: every lesson's data file and the glossary, compiled into the app
//! and read with serde when the page (or a test) asks for them.

use super::glossary::Glossary;
use super::model::Lesson;

/// The lessons in course order.
const LESSONS: [&str; 5] = [
    include_str!("../../lessons/01-layers.json"),
    include_str!("../../lessons/02-delivery.json"),
    include_str!("../../lessons/03-commands.json"),
    include_str!("../../lessons/04-errors.json"),
    include_str!("../../lessons/05-reading.json"),
];

const GLOSSARY: &str = include_str!("../../lessons/glossary.json");

/// Every lesson and the glossary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub lessons: Vec<Lesson>,
    pub glossary: Glossary,
}

impl Course {
    /// Reads the shipped course; an error names the file part that is wrong.
    pub fn load() -> Result<Course, String> {
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
