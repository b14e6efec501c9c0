use super::*;
use crate::lesson::catalog::Course;

fn course() -> Vec<Lesson> {
    Course::load().unwrap().lessons
}

#[test]
fn nothing_saved_is_a_fresh_start_without_a_notice() {
    let loaded = load(None, &course());
    assert_eq!(loaded.progress, Progress::default());
    assert_eq!(loaded.discarded, None);
    assert_eq!(load(Some("  "), &course()).discarded, None);
}

#[test]
fn saved_progress_comes_back_as_it_was() {
    let lessons = course();
    let mut progress = Progress::default();
    progress.visit(&lessons[2], "ehlo");
    progress.complete(&lessons[2], "connect");
    progress.lessons.get_mut("commands").unwrap().quiz = Some(QuizScore { right: 2, of: 3 });
    let saved = save(&progress);
    assert_eq!(
        saved,
        "kurir-progress 1\nlesson commands 1 ehlo quiz=2/3 done=connect\nlast commands ehlo\n"
    );
    let loaded = load(Some(&saved), &lessons);
    assert_eq!(loaded.progress, progress);
    assert!(loaded.progress.is_done("commands", "connect"));
    assert!(!loaded.progress.is_done("commands", "ehlo"));
}

#[test]
fn a_quiz_taken_before_any_step_is_kept() {
    let lessons = course();
    let mut progress = Progress::default();
    let entry = progress.lessons.entry("layers".into()).or_default();
    entry.version = 1;
    entry.quiz = Some(QuizScore { right: 3, of: 3 });
    let loaded = load(Some(&save(&progress)), &lessons);
    assert_eq!(loaded.progress, progress);
    assert!(loaded.outdated.is_empty());
}

#[test]
fn corrupt_or_foreign_data_gives_a_clean_start_and_says_why() {
    let lessons = course();
    let garbage = [
        "{",
        "null",
        "{\"schema\":1}",
        "kurir-progress",
        "kurir-progress one",
        "kurir-progress 1\nlesson",
        "kurir-progress 1\nlesson commands x ehlo",
        "kurir-progress 1\nlesson commands 1 <script>",
        "kurir-progress 1\nlesson commands 1 ehlo quiz=2",
        "kurir-progress 1\nlesson commands 1 ehlo colour=blue",
        "kurir-progress 1\nlast commands",
        "kurir-progress 1\nsomething else",
        "\u{0}\u{1}",
    ];
    for garbage in garbage {
        let loaded = load(Some(garbage), &lessons);
        assert_eq!(loaded.progress, Progress::default(), "{garbage}");
        assert!(
            matches!(loaded.discarded, Some(Discarded::Corrupt(_))),
            "{garbage}: {:?}",
            loaded.discarded
        );
    }
    let loaded = load(Some("kurir-progress 99\nwhatever"), &lessons);
    assert_eq!(loaded.discarded, Some(Discarded::OtherSchema(99)));
}

#[test]
fn progress_for_steps_that_changed_is_reset_for_that_lesson_only() {
    let lessons = course();
    let mut progress = Progress::default();
    progress.complete(&lessons[0], "welcome");
    progress.visit(&lessons[2], "ehlo");
    let saved = save(&progress).replace(" ehlo", " no-such-step");
    let loaded = load(Some(&saved), &lessons);
    assert_eq!(loaded.outdated, ["commands"]);
    assert!(loaded.progress.is_done("layers", "welcome"));
    assert_eq!(
        loaded.progress.last, None,
        "the last place was in the reset lesson"
    );
    let old_version = save(&progress).replace(" 1 ", " 0 ");
    assert_eq!(load(Some(&old_version), &lessons).outdated.len(), 2);
}

#[test]
fn a_lesson_is_finished_when_every_step_is_done() {
    let lessons = course();
    let mut progress = Progress::default();
    for step in &lessons[0].steps {
        assert!(!progress.finished(&lessons[0]));
        progress.complete(&lessons[0], &step.id);
    }
    assert!(progress.finished(&lessons[0]));
    assert!(!progress.finished(&lessons[1]));
}
