//! The glossary: every term the lessons use, explained in English and Bahasa Indonesia, read
//! from `lessons/glossary.json`. Lesson texts link to an entry by its key (`[[mx]]`).

use serde::Deserialize;

use super::model::Words;

/// One term.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// What lesson texts link with: `[[key]]`.
    pub key: String,
    pub term: Words,
    pub meaning: Words,
}

/// Every entry, in the order of the file (alphabetical by English term).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Glossary {
    pub entries: Vec<Entry>,
}

impl Glossary {
    /// Reads `lessons/glossary.json`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse(json: &str) -> Result<Glossary, String> {
        let entries: Vec<Entry> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Ok(Glossary { entries })
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}
