//! The course as shipped: every lesson reads, says everything in both languages, links only to
//! glossary terms that exist, and its model solution passes every step's checks in order —
//! while no step passes before its own moves are made.

use std::collections::BTreeSet;

use kurir::lang::Lang;
use kurir::lesson::catalog::Course;
use kurir::lesson::check::Observed;
use kurir::lesson::markup::{blocks, terms, Block};
use kurir::lesson::model::{Lesson, Question};
use kurir::lesson::moves::{Move, Sandbox};
use kurir::lesson::{hint, step_done};

fn course() -> Course {
    Course::load().expect("the shipped course reads")
}

#[test]
fn ids_are_unique_and_every_lesson_covers_a_topic() {
    let course = course();
    let ids: BTreeSet<&str> = course.lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids.len(), course.lessons.len());
    for lesson in &course.lessons {
        assert!(!lesson.topics.is_empty(), "{}", lesson.id);
        assert!(!lesson.goals.is_empty(), "{}", lesson.id);
        let steps: BTreeSet<&str> = lesson.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(steps.len(), lesson.steps.len(), "{}: step ids", lesson.id);
    }
    let keys: BTreeSet<&str> = course
        .glossary
        .entries
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    assert_eq!(keys.len(), course.glossary.entries.len(), "glossary keys");
}

/// Every text of a lesson in `lang`, with where it is.
fn texts(lesson: &Lesson, lang: Lang) -> Vec<(String, String)> {
    let mut all = vec![("title".to_string(), lesson.title.get(lang).to_string())];
    for (n, goal) in lesson.goals.iter().enumerate() {
        all.push((format!("goal {n}"), goal.get(lang).to_string()));
    }
    for step in &lesson.steps {
        all.push((format!("{} title", step.id), step.title.get(lang).into()));
        all.push((format!("{} task", step.id), step.task.get(lang).into()));
        all.push((
            format!("{} text", step.id),
            step.text.lines(lang).join("\n"),
        ));
        for (n, hint) in step.hints.iter().enumerate() {
            all.push((format!("{} hint {n}", step.id), hint.text.get(lang).into()));
        }
    }
    for (n, question) in lesson.quiz.iter().enumerate() {
        match question {
            Question::Choose { question, choices } => {
                all.push((format!("quiz {n}"), question.get(lang).into()));
                for choice in choices {
                    all.push((format!("quiz {n} choice"), choice.text.get(lang).into()));
                    all.push((format!("quiz {n} why"), choice.why.get(lang).into()));
                }
            }
            Question::Type { question, why, .. } => {
                all.push((format!("quiz {n}"), question.get(lang).into()));
                all.push((format!("quiz {n} why"), why.get(lang).into()));
            }
        }
    }
    all
}

#[test]
fn everything_is_said_in_both_languages_and_the_code_is_the_same() {
    for lesson in course().lessons {
        let (en, id) = (texts(&lesson, Lang::En), texts(&lesson, Lang::Id));
        assert_eq!(en.len(), id.len());
        for ((place, english), (_, indonesian)) in en.iter().zip(&id) {
            assert!(!english.trim().is_empty(), "{}: {place} (en)", lesson.id);
            assert!(!indonesian.trim().is_empty(), "{}: {place} (id)", lesson.id);
        }
        for step in &lesson.steps {
            let code = |lang| -> Vec<Block> {
                blocks(step.text.lines(lang))
                    .into_iter()
                    .filter(|b| matches!(b, Block::Code(_)))
                    .collect()
            };
            assert_eq!(
                code(Lang::En),
                code(Lang::Id),
                "{}/{}: what to type",
                lesson.id,
                step.id
            );
        }
    }
}

#[test]
fn every_glossary_link_resolves() {
    let course = course();
    for lesson in &course.lessons {
        for step in &lesson.steps {
            for lang in Lang::ALL {
                for key in terms(&blocks(step.text.lines(lang))) {
                    assert!(
                        course.glossary.get(key).is_some(),
                        "{}/{} ({lang:?}) links to [[{key}]], which the glossary lacks",
                        lesson.id,
                        step.id
                    );
                }
            }
        }
    }
    for entry in &course.glossary.entries {
        for lang in Lang::ALL {
            assert!(!entry.term.get(lang).is_empty() && !entry.meaning.get(lang).is_empty());
        }
    }
}

#[test]
fn every_quiz_question_can_be_answered() {
    for lesson in course().lessons {
        assert!(!lesson.quiz.is_empty(), "{} has a quiz", lesson.id);
        for question in &lesson.quiz {
            match question {
                Question::Choose { choices, .. } => {
                    assert_eq!(
                        choices.iter().filter(|c| c.correct).count(),
                        1,
                        "{}",
                        lesson.id
                    );
                    assert!(choices.len() >= 2);
                }
                Question::Type { answers, .. } => assert!(!answers.is_empty()),
            }
        }
    }
}

/// A learner who always picks the first answer must not score: in every lesson with more
/// than one multiple-choice question, the right answer is not always in the same place.
#[test]
fn the_right_answer_moves_from_question_to_question() {
    for lesson in course().lessons {
        let places: Vec<usize> = lesson
            .quiz
            .iter()
            .filter_map(|question| match question {
                Question::Choose { choices, .. } => choices.iter().position(|c| c.correct),
                Question::Type { .. } => None,
            })
            .collect();
        if places.len() > 1 {
            assert!(
                places.iter().any(|place| *place != places[0]),
                "{}: the right answer is always choice {}",
                lesson.id,
                places[0] + 1
            );
        }
    }
}

#[test]
fn every_solution_passes_its_steps_in_order_and_no_step_passes_early() {
    for lesson in course().lessons {
        let mut sandbox = Sandbox::new(&lesson.world).unwrap();
        for step in &lesson.steps {
            for (n, play) in step.prepare.iter().enumerate() {
                sandbox
                    .play(play)
                    .unwrap_or_else(|e| panic!("{}/{} preparation {n}: {e}", lesson.id, step.id));
            }
            let from_event = sandbox.world.events().len();
            let from_action = sandbox.learner.len();
            if !step.checks.is_empty() {
                let before = Observed::all(&sandbox.world, &sandbox.learner);
                assert!(
                    !step_done(step, &before),
                    "{}/{} passes before its moves",
                    lesson.id,
                    step.id
                );
            }
            for (n, play) in step.solution.iter().enumerate() {
                sandbox
                    .play(play)
                    .unwrap_or_else(|e| panic!("{}/{} move {n}: {e}", lesson.id, step.id));
            }
            let after = Observed::all(&sandbox.world, &sandbox.learner);
            for check in &step.checks {
                assert!(
                    check.holds(&after),
                    "{}/{}: {check:?} does not hold after the solution",
                    lesson.id,
                    step.id
                );
            }
            let during = Observed {
                world: &sandbox.world,
                learner: &sandbox.learner,
                from_event,
                from_action,
            };
            for lang in Lang::ALL {
                if !step.hints.is_empty() {
                    assert!(hint(step, &during).is_some_and(|h| !h.get(lang).is_empty()));
                }
            }
        }
    }
}

#[test]
fn a_hint_answers_what_went_wrong() {
    let course = course();
    let lesson = course.lesson("commands").unwrap();
    let mut sandbox = Sandbox::new(&lesson.world).unwrap();
    let envelope = &lesson.steps[lesson.step_index("envelope").unwrap()];
    for step in &lesson.steps[..lesson.step_index("envelope").unwrap()] {
        for play in &step.solution {
            sandbox.play(play).unwrap();
        }
    }
    let from_event = sandbox.world.events().len();
    let typed = |line: &str| Move::Type {
        lines: vec![line.to_string()],
    };
    let during = |sandbox: &Sandbox| {
        let seen = Observed {
            world: &sandbox.world,
            learner: &sandbox.learner,
            from_event,
            from_action: 0,
        };
        hint(envelope, &seen).unwrap().en.clone()
    };
    assert!(
        during(&sandbox).starts_with("Type MAIL FROM"),
        "nothing yet: the plain hint"
    );
    sandbox.play(&typed("MAIL FROM ani@alpha.example")).unwrap();
    assert!(during(&sandbox).starts_with("501"), "{}", during(&sandbox));
    sandbox.play(&typed("RCPT TO:<budi@beta.example>")).unwrap();
    assert!(during(&sandbox).starts_with("503"), "{}", during(&sandbox));
}

#[test]
fn the_shared_relay_lesson_hints_at_the_login_and_the_hour() {
    let course = course();
    let lesson = course.lesson("shared-relay").unwrap();
    let hint_after = |step: &str, lines: &[&str]| {
        let index = lesson.step_index(step).unwrap();
        let mut sandbox = Sandbox::at_step(lesson, index).unwrap();
        let from_event = sandbox.world.events().len();
        sandbox
            .play(&Move::Type {
                lines: lines.iter().map(|line| line.to_string()).collect(),
            })
            .unwrap();
        let seen = Observed {
            world: &sandbox.world,
            learner: &sandbox.learner,
            from_event,
            from_action: 0,
        };
        hint(&lesson.steps[index], &seen).unwrap().en.clone()
    };
    let session = ["telnet relay.example 587", "EHLO laptop-ani.alpha.example"];
    let wrong_password = [&session[..], &["AUTH PLAIN AGFuaQBhbmkxMjQ="]].concat();
    assert!(hint_after("relay", &wrong_password).starts_with("535"));
    let no_login = [&session[..], &["MAIL FROM:<ani@alpha.example>"]].concat();
    assert!(hint_after("relay", &no_login).starts_with("530"));
    assert!(hint_after("relay", &[]).starts_with("Type the lines"));
    let too_soon = [
        &session[..],
        &[
            "AUTH PLAIN AGFuaQBhbmkxMjM=",
            "MAIL FROM:<ani@alpha.example>",
        ],
    ]
    .concat();
    assert!(
        hint_after("later", &too_soon).starts_with("Still 451"),
        "retried within the same hour"
    );
}

#[test]
fn preparation_moves_never_stand_in_a_solution() {
    for lesson in course().lessons {
        for step in &lesson.steps {
            for play in &step.solution {
                assert!(
                    !matches!(
                        play,
                        Move::SwitchHost { .. }
                            | Move::FillMailbox { .. }
                            | Move::SendThrough { .. }
                    ),
                    "{}/{}: the page gives the learner no way to do {play:?}",
                    lesson.id,
                    step.id
                );
            }
        }
    }
}

#[test]
fn a_learner_who_comes_back_resumes_at_any_step_with_the_world_it_needs() {
    for lesson in course().lessons {
        for (index, step) in lesson.steps.iter().enumerate() {
            let mut sandbox = Sandbox::at_step(&lesson, index)
                .unwrap_or_else(|e| panic!("{}/{}: {e}", lesson.id, step.id));
            for play in &step.solution {
                sandbox.play(play).unwrap();
            }
            let seen = Observed::all(&sandbox.world, &sandbox.learner);
            assert!(
                step_done(step, &seen),
                "{}/{} after resuming",
                lesson.id,
                step.id
            );
        }
    }
}

#[test]
fn the_compiled_course_is_what_the_data_files_say() {
    let read = Course::from_data_files().expect("the data files read");
    let source = kurir::lesson::codegen::course_source(&read);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/lesson/course_data.rs");
    if std::env::var_os("KURIR_WRITE_COURSE").is_some() {
        std::fs::write(path, &source).unwrap();
    }
    assert!(
        std::fs::read_to_string(path).unwrap() == source,
        "src/lesson/course_data.rs is out of date: run KURIR_WRITE_COURSE=1 cargo test --test lessons"
    );
    assert!(
        course() == read,
        "the compiled course differs from the data files: run KURIR_WRITE_COURSE=1 cargo test --test lessons, then again"
    );
}
