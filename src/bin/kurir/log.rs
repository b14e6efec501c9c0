//! The server's log: one line per event on stdout.
//!
//! Each line is written whole under the stdout lock and flushed, so lines from concurrent
//! sessions never interleave and a reader (a test, `tee`) sees them at once. Write errors are
//! ignored on purpose: serving mail matters more than whoever stopped reading the log.

use std::fmt::Display;
use std::io::{self, Write};

/// Longest client or server line the log shows before shortening it.
const MAX_SHOWN_CHARS: usize = 160;

/// Writes one log line.
pub fn line(text: impl Display) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// A line from the wire made safe to print: without its line ending, control characters
/// escaped (a bare CR shows as `\r`), and long lines cut with their full length noted.
pub fn printable(bytes: &[u8]) -> String {
    let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = String::from_utf8_lossy(line);
    let mut shown = String::new();
    for c in text.chars().take(MAX_SHOWN_CHARS) {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    if text.chars().count() > MAX_SHOWN_CHARS {
        shown.push_str(&format!("… ({} bytes)", line.len()));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn line_endings_go_and_control_characters_show() {
        assert_eq!(printable(b"EHLO x\r\n"), "EHLO x");
        assert_eq!(printable(b"a\rb\x00\n"), "a\\rb\\u{0}");
        assert_eq!(printable("Salam, Budi – ok".as_bytes()), "Salam, Budi – ok");
    }

    #[test]
    fn long_lines_are_cut_with_their_length() {
        let shown = printable(&[b'x'; 10_000]);
        assert!(shown.starts_with(&"x".repeat(160)));
        assert!(shown.ends_with("… (10000 bytes)"));
    }
}
