//! The little markup of lesson texts, read into blocks the page draws:
//!
//! - a blank line between paragraphs;
//! - `- ` starts a list item;
//! - a line of three backquotes opens and closes a code block (kept as typed);
//! - `| a | b |` rows make a table, the first row its head, a `|---|` row skipped;
//! - inline: `` `code` ``, `**strong**`, and `[[key]]` or `[[key|shown words]]` for a
//!   glossary term.

/// A piece of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    /// A glossary entry, by key, with the words shown.
    Term {
        key: String,
        shown: String,
    },
}

/// A block of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
    Code(Vec<String>),
    Table {
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// Reads `lines` into blocks.
pub fn blocks(lines: &[String]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<Vec<Inline>> = Vec::new();
    let mut table: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut code: Option<Vec<String>> = None;
    for line in lines {
        if let Some(open) = &mut code {
            if line.trim() == "```" {
                blocks.push(Block::Code(std::mem::take(open)));
                code = None;
            } else {
                open.push(line.clone());
            }
            continue;
        }
        let trimmed = line.trim();
        let kind = if trimmed == "```" {
            Kind::Fence
        } else if let Some(item) = trimmed.strip_prefix("- ") {
            Kind::Item(item)
        } else if trimmed.starts_with('|') {
            Kind::Row(trimmed)
        } else if trimmed.is_empty() {
            Kind::Blank
        } else {
            Kind::Words(trimmed)
        };
        if !matches!(kind, Kind::Words(_)) && !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
            paragraph.clear();
        }
        if !matches!(kind, Kind::Item(_)) && !list.is_empty() {
            blocks.push(Block::List(std::mem::take(&mut list)));
        }
        if !matches!(kind, Kind::Row(_)) && !table.is_empty() {
            blocks.push(table_block(std::mem::take(&mut table)));
        }
        match kind {
            Kind::Fence => code = Some(Vec::new()),
            Kind::Item(item) => list.push(inlines(item)),
            Kind::Row(row) => {
                let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
                let rule = cells
                    .iter()
                    .all(|cell| !cell.is_empty() && cell.chars().all(|c| c == '-' || c == ':'));
                if !rule {
                    table.push(cells.into_iter().map(inlines).collect());
                }
            }
            Kind::Words(words) => paragraph.push(words),
            Kind::Blank => {}
        }
    }
    if !paragraph.is_empty() {
        blocks.push(Block::Paragraph(inlines(&paragraph.join(" "))));
    }
    if !list.is_empty() {
        blocks.push(Block::List(list));
    }
    if !table.is_empty() {
        blocks.push(table_block(table));
    }
    if let Some(open) = code {
        blocks.push(Block::Code(open));
    }
    blocks
}

enum Kind<'a> {
    Fence,
    Item(&'a str),
    Row(&'a str),
    Words(&'a str),
    Blank,
}

fn table_block(mut rows: Vec<Vec<Vec<Inline>>>) -> Block {
    let head = rows.remove(0);
    Block::Table { head, rows }
}

/// Reads the inline marks of one line; an unclosed mark stays as text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['`', '*', '[']) {
        let (before, from) = rest.split_at(at);
        plain.push_str(before);
        let marked = if let Some(body) = from.strip_prefix('`') {
            body.split_once('`')
                .map(|(code, after)| (Inline::Code(code.to_string()), after))
        } else if let Some(body) = from.strip_prefix("**") {
            body.split_once("**")
                .map(|(strong, after)| (Inline::Strong(strong.to_string()), after))
        } else if let Some(body) = from.strip_prefix("[[") {
            body.split_once("]]").map(|(term, after)| {
                let (key, shown) = term.split_once('|').unwrap_or((term, term));
                let term = Inline::Term {
                    key: key.trim().to_string(),
                    shown: shown.trim().to_string(),
                };
                (term, after)
            })
        } else {
            None
        };
        match marked {
            Some((inline, after)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(inline);
                rest = after;
            }
            None => {
                let mark_len = from.chars().next().map_or(1, char::len_utf8);
                plain.push_str(&from[..mark_len]);
                rest = &from[mark_len..];
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// Every glossary key the blocks link to.
pub fn terms(blocks: &[Block]) -> Vec<&str> {
    fn visit<'a>(inlines: &'a [Inline], keys: &mut Vec<&'a str>) {
        for inline in inlines {
            if let Inline::Term { key, .. } = inline {
                keys.push(key.as_str());
            }
        }
    }
    let mut keys = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph(line) => visit(line, &mut keys),
            Block::List(items) => items.iter().for_each(|item| visit(item, &mut keys)),
            Block::Table { head, rows } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|cell| visit(cell, &mut keys)),
            Block::Code(_) => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn paragraphs_lists_code_and_tables() {
        let text = lines(
            "First line\ngoes on.\n\n- one\n- two\n```\nEHLO  x\n```\n| a | b |\n|---|---|\n| 1 | 2 |\nEnd",
        );
        let got = blocks(&text);
        assert_eq!(
            got[0],
            Block::Paragraph(vec![Inline::Text("First line goes on.".into())])
        );
        assert_eq!(
            got[1],
            Block::List(vec![
                vec![Inline::Text("one".into())],
                vec![Inline::Text("two".into())]
            ])
        );
        assert_eq!(got[2], Block::Code(vec!["EHLO  x".into()]));
        let Block::Table { head, rows } = &got[3] else {
            panic!("{got:?}");
        };
        assert_eq!(head.len(), 2);
        assert_eq!(
            rows,
            &vec![vec![
                vec![Inline::Text("1".into())],
                vec![Inline::Text("2".into())]
            ]]
        );
        assert_eq!(got[4], Block::Paragraph(vec![Inline::Text("End".into())]));
    }

    #[test]
    fn inline_marks_and_glossary_terms() {
        assert_eq!(
            inlines("Type `EHLO`, a **[[smtp|SMTP]]** word and [[mx]]."),
            [
                Inline::Text("Type ".into()),
                Inline::Code("EHLO".into()),
                Inline::Text(", a ".into()),
                Inline::Strong("[[smtp|SMTP]]".into()),
                Inline::Text(" word and ".into()),
                Inline::Term {
                    key: "mx".into(),
                    shown: "mx".into()
                },
                Inline::Text(".".into()),
            ]
        );
    }

    #[test]
    fn unclosed_marks_stay_as_text() {
        assert_eq!(inlines("5 * 3 [x `y"), [Inline::Text("5 * 3 [x `y".into())]);
        let blocks = blocks(&lines("```\nnever closed"));
        assert_eq!(blocks, [Block::Code(vec!["never closed".into()])]);
    }

    #[test]
    fn terms_are_found_everywhere_but_in_code() {
        let got = blocks(&lines("[[a]]\n- [[b|B]]\n| [[c]] |\n```\n[[d]]\n```"));
        assert_eq!(terms(&got), ["a", "b", "c"]);
    }
}
