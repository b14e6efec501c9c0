//! Text made safe to put inside HTML or SVG markup: `&`, `<`, `>`, `"` and `'` become
//! character references, so a name can never open a tag or leave an attribute. The map's
//! drawing and the host card are built as markup strings (one DOM update instead of many
//! reactive nodes, which keeps the page small); everything they show passes through here.

use std::fmt::Write;

/// `text` with the five markup-significant characters escaped.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Appends `<tag>escaped text</tag>`.
pub fn element(out: &mut String, tag: &str, text: &str) {
    let _ = write!(out, "<{tag}>{}</{tag}>", escape(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_others_kept() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y' · é"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; · é"
        );
    }

    #[test]
    fn an_element_holds_only_escaped_text() {
        let mut out = String::new();
        element(&mut out, "li", "<b>");
        assert_eq!(out, "<li>&lt;b&gt;</li>");
    }
}
