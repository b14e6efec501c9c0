//! The text an event carries (an SMTP command line, a reply, a mailbox name): [`Text`], a
//! shared, immutable string one pointer wide, so a [`SimEvent`](super::SimEvent) stays small;
//! and [`TextTable`], which gives every distinct text of a log one shared copy, as the same
//! lines (`EHLO …`, `250 2.1.0 Ok`, `QUIT`) come back in every session.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use rustc_hash::FxBuildHasher;

/// An event's text: reads as a `&str`, prints (`Display` and `Debug`) as the `str` does, and
/// compares with `str` and `String`. Cloning shares it.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<String>);

impl Text {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Arc::new(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Arc::new(text.to_string()))
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

/// One shared copy of every distinct text given to [`TextTable::text`].
#[derive(Clone, Debug, Default)]
pub struct TextTable {
    texts: HashSet<Text, FxBuildHasher>,
}

impl TextTable {
    /// `text` as a [`Text`]: the copy already in the table, or a new one kept there.
    pub fn text(&mut self, text: &str) -> Text {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let shared = Text::from(text);
        self.texts.insert(shared.clone());
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_prints_and_compares_as_its_string() {
        let text = Text::from("C: \"QUIT\"");
        assert_eq!(text.as_str(), "C: \"QUIT\"");
        assert_eq!(text.to_string(), "C: \"QUIT\"");
        assert_eq!(format!("{text:?}"), format!("{:?}", "C: \"QUIT\""));
        assert_eq!(text, "C: \"QUIT\"");
        assert_eq!(text, String::from("C: \"QUIT\""));
        assert_eq!(String::from("C: \"QUIT\""), text);
        assert_eq!("C: \"QUIT\"", text);
        assert_eq!(text.len(), 9);
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn the_table_keeps_one_copy_of_each_text() {
        let mut table = TextTable::default();
        let first = table.text("250 2.1.0 Ok");
        let again = table.text("250 2.1.0 Ok");
        let other = table.text("QUIT");
        assert!(Arc::ptr_eq(&first.0, &again.0));
        assert_eq!(other, "QUIT");
        assert_eq!(table.texts.len(), 2);
    }
}
