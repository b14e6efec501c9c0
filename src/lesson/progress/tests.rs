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
    let loaded = load(Some(&save(&progress)), &lessons);
    assert_eq!(loaded.progress, progress);
    assert!(loaded.progress.is_done("commands", "connect"));
    assert!(!loaded.progress.is_done("commands", "ehlo"));
    assert_eq!(
        loaded.progress.last,
        Some(Place {
            lesson: "commands".into(),
            step: "ehlo".into()
        })
    );
}

#[test]
fn corrupt_or_foreign_data_gives_a_clean_start_and_says_why() {
    let lessons = course();
    for garbage in [
        "{",
        "null",
        "[1,2]",
        "{\"lessons\":{}}",
        "\u{0}\u{1}",
        "{\"schema\":\"one\"}",
    ] {
        let loaded = load(Some(garbage), &lessons);
        assert_eq!(loaded.progress, Progress::default(), "{garbage}");
        assert!(
            matches!(loaded.discarded, Some(Discarded::Corrupt(_))),
            "{garbage}: {:?}",
            loaded.discarded
        );
    }
    let loaded = load(Some(r#"{"schema":99,"lessons":{}}"#), &lessons);
    assert_eq!(loaded.discarded, Some(Discarded::OtherSchema(99)));
    let wrong_shape = r#"{"schema":1,"lessons":{"commands":{"version":"x"}}}"#;
    assert!(matches!(
        load(Some(wrong_shape), &lessons).discarded,
        Some(Discarded::Corrupt(_))
    ));
}

#[test]
fn progress_for_steps_that_changed_is_reset_for_that_lesson_only() {
    let lessons = course();
    let mut progress = Progress::default();
    progress.complete(&lessons[0], "welcome");
    progress.visit(&lessons[2], "ehlo");
    let mut saved = save(&progress);
    saved = saved.replace("\"ehlo\"", "\"no-such-step\"");
    let loaded = load(Some(&saved), &lessons);
    assert_eq!(loaded.outdated, ["commands"]);
    assert!(loaded.progress.is_done("layers", "welcome"));
    assert_eq!(
        loaded.progress.last, None,
        "the last place was in the reset lesson"
    );
    let old_version = save(&progress).replace("\"version\":1", "\"version\":0");
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
    assert!(!progress.finished(&lessons[2]));
}
