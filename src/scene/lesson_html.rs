//! A lesson text as HTML for the lesson panel: the blocks of [`crate::lesson::markup`] as
//! paragraphs, lists, code and tables, every word escaped, and each glossary term a link to
//! its entry (`#/glossary/<key>`) that also carries the
//! term's meaning as a title, for a quick look.

use std::fmt::Write;

use super::markup::escape;
use crate::lang::Lang;
use crate::lesson::glossary::Glossary;
use crate::lesson::markup::{Block, Inline};

/// `blocks` as HTML; `glossary` gives the terms' meanings in `lang`.
pub fn blocks_html(blocks: &[Block], glossary: &Glossary, lang: Lang) -> String {
    let mut html = String::new();
    let wrapped = |html: &mut String, open: &str, close: &str, inlines: &[Inline]| {
        html.push_str(open);
        inlines_html(html, inlines, glossary, lang);
        html.push_str(close);
    };
    for block in blocks {
        match block {
            Block::Paragraph(line) => wrapped(&mut html, "<p>", "</p>", line),
            Block::List(items) => {
                html.push_str("<ul>");
                for item in items {
                    wrapped(&mut html, "<li>", "</li>", item);
                }
                html.push_str("</ul>");
            }
            Block::Code(lines) => {
                html.push_str("<pre class=\"kr-lesson__code\"><code>");
                html.push_str(&escape(&lines.join("\n")));
                html.push_str("</code></pre>");
            }
            Block::Table { head, rows } => {
                html.push_str("<div class=\"kr-lesson__table\"><table><thead><tr>");
                for cell in head {
                    wrapped(&mut html, "<th scope=\"col\">", "</th>", cell);
                }
                html.push_str("</tr></thead><tbody>");
                for row in rows {
                    html.push_str("<tr>");
                    for cell in row {
                        wrapped(&mut html, "<td>", "</td>", cell);
                    }
                    html.push_str("</tr>");
                }
                html.push_str("</tbody></table></div>");
            }
        }
    }
    html
}

fn inlines_html(html: &mut String, inlines: &[Inline], glossary: &Glossary, lang: Lang) {
    for inline in inlines {
        match inline {
            Inline::Text(text) => html.push_str(&escape(text)),
            Inline::Code(code) => {
                let _ = write!(html, "<code>{}</code>", escape(code));
            }
            Inline::Strong(text) => {
                let _ = write!(html, "<strong>{}</strong>", escape(text));
            }
            Inline::Term { key, shown } => {
                let meaning = glossary
                    .get(key)
                    .map_or("", |entry| entry.meaning.get(lang));
                let _ = write!(
                    html,
                    "<a class=\"kr-lesson__term\" href=\"#/glossary/{0}\" data-term=\"{0}\" title=\"{1}\">{2}</a>",
                    escape(key),
                    escape(meaning),
                    escape(shown)
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::markup::blocks;

    fn html(lines: &[&str]) -> String {
        let glossary = Glossary::parse(
            r#"[{"key":"mx","term":{"en":"MX record","id":"record MX"},
                "meaning":{"en":"Names the <mail> servers","id":"Menyebut server email"}}]"#,
        )
        .unwrap();
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        blocks_html(&blocks(&lines), &glossary, Lang::En)
    }

    #[test]
    fn text_is_escaped_and_terms_link_to_the_glossary() {
        let out = html(&["Type `<b>` then [[mx|the MX]] & go"]);
        assert_eq!(
            out,
            "<p>Type <code>&lt;b&gt;</code> then <a class=\"kr-lesson__term\" href=\"#/glossary/mx\" \
             data-term=\"mx\" title=\"Names the &lt;mail&gt; servers\">the MX</a> &amp; go</p>"
        );
    }

    #[test]
    fn lists_code_and_tables_have_their_elements() {
        let out = html(&["- a", "```", "EHLO x", "```", "| h |", "|---|", "| c |"]);
        assert!(out.starts_with("<ul><li>a</li></ul><pre class=\"kr-lesson__code\"><code>EHLO x"));
        assert!(out.contains("<th scope=\"col\">h</th>"));
        assert!(out.contains("<td>c</td>"));
        assert!(!out.contains("<script"));
    }
}
