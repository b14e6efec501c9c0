//! The glossary: every term the lessons use with its meaning, each term an anchor that a
//! lesson's term links lead to (`kr-term-<key>`), and the way back to the step she was reading.

use std::fmt::Write;

use super::{escape, link, CourseText};
use crate::lang::Lang;
use crate::lesson::glossary::Glossary;
use crate::lesson::progress::Place;
use crate::lesson::route::Route;

/// The glossary's page; `glossary` is `None` when the course could not be read, and `last` is
/// where the learner was reading.
pub fn glossary_markup(
    glossary: Option<&Glossary>,
    last: Option<&Place>,
    lang: Lang,
    t: &CourseText,
) -> String {
    let mut html = String::from("<nav class=\"kr-lesson__top\">");
    link(&mut html, "#/", "", t.back_to_course);
    if let Some(place) = last {
        let href = Route::of_place(place).hash();
        link(
            &mut html,
            &href,
            " data-testid=\"back-to-lesson\"",
            t.back_to_lesson,
        );
    }
    let _ = write!(
        html,
        "</nav><h2 id=\"kr-glossary-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">{}</h2>\
         <dl class=\"kr-glossary__list\">",
        escape(t.glossary_heading)
    );
    for entry in glossary.iter().flat_map(|glossary| &glossary.entries) {
        let _ = write!(
            html,
            "<dt id=\"kr-term-{}\" tabindex=\"-1\">{}</dt><dd>{}</dd>",
            escape(&entry.key),
            escape(entry.term.get(lang)),
            escape(entry.meaning.get(lang))
        );
    }
    html.push_str("</dl>");
    html
}

#[cfg(test)]
mod tests {
    use super::super::{test_glossary, TEST_WORDS};
    use super::*;

    #[test]
    fn each_term_is_an_anchor_with_its_meaning_as_text() {
        let html = glossary_markup(Some(&test_glossary()), None, Lang::En, &TEST_WORDS);
        assert_eq!(
            html,
            "<nav class=\"kr-lesson__top\"><a href=\"#/\">back_to_course</a></nav>\
             <h2 id=\"kr-glossary-heading\" class=\"kr-panel__heading\" tabindex=\"-1\">glossary_heading</h2>\
             <dl class=\"kr-glossary__list\"><dt id=\"kr-term-mx\" tabindex=\"-1\">MX record</dt>\
             <dd>Names the &lt;mail&gt; servers</dd></dl>"
        );
    }

    #[test]
    fn the_way_back_leads_to_the_step_she_was_reading() {
        let place = Place {
            lesson: "commands".into(),
            step: "ehlo".into(),
        };
        let html = glossary_markup(Some(&test_glossary()), Some(&place), Lang::Id, &TEST_WORDS);
        assert!(html.contains(
            "<a href=\"#/\">back_to_course</a><a href=\"#/lesson/commands/ehlo\" \
             data-testid=\"back-to-lesson\">back_to_lesson</a></nav>"
        ));
        assert!(html.contains(">record MX</dt><dd>Menyebut server email</dd>"));
    }

    #[test]
    fn without_a_course_the_list_is_empty() {
        let html = glossary_markup(None, None, Lang::En, &TEST_WORDS);
        assert!(html.ends_with("<dl class=\"kr-glossary__list\"></dl>"));
    }
}
