//! Command history for the terminal prompt: ↑ walks back, ↓ walks forward, and the line the
//! learner was typing before pressing ↑ comes back when she walks past the newest entry.

/// The lines entered so far and where ↑/↓ browsing currently is.
#[derive(Clone, Debug, Default)]
pub struct History {
    entries: Vec<String>,
    /// `Some(i)` while browsing (showing `entries[i]`), `None` while editing a fresh line.
    cursor: Option<usize>,
    /// What was in the prompt when browsing began.
    draft: String,
}

/// How many lines the history keeps; older ones fall off.
const CAPACITY: usize = 200;

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a submitted line (not blank lines, not an immediate repeat) and stops browsing.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.draft.clear();
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return;
        }
        if self.entries.len() == CAPACITY {
            self.entries.remove(0);
        }
        self.entries.push(line.to_string());
    }

    /// ↑: the previous entry, given what the prompt shows now. `None` when there is nothing older.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let next = match self.cursor {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(next);
        Some(&self.entries[next])
    }

    /// ↓: the next newer entry, or the saved draft after the newest. `None` when not browsing.
    pub fn newer(&mut self) -> Option<&str> {
        let i = self.cursor?;
        if i + 1 < self.entries.len() {
            self.cursor = Some(i + 1);
            Some(&self.entries[i + 1])
        } else {
            self.cursor = None;
            Some(&self.draft)
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(lines: &[&str]) -> History {
        let mut history = History::new();
        for line in lines {
            history.push(line);
        }
        history
    }

    #[test]
    fn up_walks_back_and_stops_at_the_oldest() {
        let mut h = with(&["EHLO a", "MAIL FROM:<a@b>"]);
        assert_eq!(h.older(""), Some("MAIL FROM:<a@b>"));
        assert_eq!(h.older(""), Some("EHLO a"));
        assert_eq!(h.older(""), None);
    }

    #[test]
    fn down_past_the_newest_restores_what_was_being_typed() {
        let mut h = with(&["EHLO a", "NOOP"]);
        assert_eq!(h.older("RCPT TO:<bu"), Some("NOOP"));
        assert_eq!(h.older("NOOP"), Some("EHLO a"));
        assert_eq!(h.newer(), Some("NOOP"));
        assert_eq!(h.newer(), Some("RCPT TO:<bu"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn empty_history_has_nothing_to_show() {
        let mut h = History::new();
        assert_eq!(h.older("x"), None);
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn blank_lines_and_repeats_are_not_recorded() {
        let h = with(&["NOOP", "NOOP", "  ", "QUIT"]);
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn submitting_ends_browsing() {
        let mut h = with(&["EHLO a"]);
        h.older("");
        h.push("NOOP");
        assert_eq!(h.newer(), None);
        assert_eq!(h.older(""), Some("NOOP"));
    }

    #[test]
    fn the_oldest_entries_fall_off_at_capacity() {
        let mut h = History::new();
        for i in 0..CAPACITY + 5 {
            h.push(&format!("NOOP {i}"));
        }
        assert_eq!(h.len(), CAPACITY);
        let mut oldest = None;
        while let Some(line) = h.older("") {
            oldest = Some(line.to_string());
        }
        assert_eq!(oldest.as_deref(), Some("NOOP 5"));
    }
}
