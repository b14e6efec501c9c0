//! The short report a learner hands in: which lessons and steps she completed, her quiz
//! scores, and the lines she typed in the terminal, as plain text in her language.

use std::fmt::Write;

use super::catalog::Course;
use super::progress::Progress;
use crate::lang::Lang;

/// The report, one plain-text document; `typed` is what she typed in the terminal, oldest
/// first.
pub fn report(course: &Course, progress: &Progress, typed: &[String], lang: Lang) -> String {
    let pick = |en, id| lang.pick(en, id);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        pick("Kurir — learning report", "Kurir — laporan belajar")
    );
    let _ = writeln!(out);
    for (number, lesson) in course.lessons.iter().enumerate() {
        let done = lesson
            .steps
            .iter()
            .filter(|step| progress.is_done(&lesson.id, &step.id))
            .count();
        let _ = write!(
            out,
            "{}. {} — {done}/{} {}",
            number + 1,
            lesson.title.get(lang),
            lesson.steps.len(),
            pick("steps", "langkah")
        );
        if let Some(score) = progress.lessons.get(&lesson.id).and_then(|l| l.quiz) {
            let _ = write!(
                out,
                ", {} {}/{}",
                pick("quiz", "kuis"),
                score.right,
                score.of
            );
        }
        let _ = writeln!(out);
        for step in &lesson.steps {
            if progress.is_done(&lesson.id, &step.id) {
                let _ = writeln!(out, "   ✓ {}", step.title.get(lang));
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        pick(
            "What I typed in the terminal:",
            "Yang saya ketik di terminal:"
        )
    );
    if typed.is_empty() {
        let _ = writeln!(out, "   {}", pick("(nothing yet)", "(belum ada)"));
    }
    for line in typed {
        let _ = writeln!(out, "   {line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lists_what_was_done_and_typed() {
        let course = Course::load().unwrap();
        let commands = course.lesson("commands").unwrap();
        let mut progress = Progress::default();
        progress.complete(commands, "connect");
        progress.lessons.get_mut("commands").unwrap().quiz =
            Some(crate::lesson::progress::QuizScore { right: 2, of: 3 });
        let typed = vec!["telnet mx1.beta.example 25".to_string()];
        let text = report(&course, &progress, &typed, Lang::Id);
        assert!(text.starts_with("Kurir — laporan belajar"));
        assert!(text.contains("Berbicara SMTP sendiri — 1/5 langkah, kuis 2/3"));
        assert!(text.contains("✓ Mengetuk port 25"));
        assert!(text.contains("   telnet mx1.beta.example 25"));
        let empty = report(&course, &Progress::default(), &[], Lang::En);
        assert!(empty.contains("(nothing yet)"));
    }
}
