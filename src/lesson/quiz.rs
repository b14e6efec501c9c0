//! The quiz at the end of a lesson: a multiple-choice answer or a typed one (a reply code, a
//! port) checked, with the explanation that goes with the answer given.

use super::model::{Question, Words};

/// What the learner answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The index of the choice she picked.
    Chose(usize),
    Typed(String),
}

/// Whether an answer is right, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict<'a> {
    pub correct: bool,
    pub why: &'a Words,
}

/// Checks `answer` to `question`; `None` when it does not fit the question (a choice that
/// is not there, a typed answer to a choice question).
pub fn check<'a>(question: &'a Question, answer: &Answer) -> Option<Verdict<'a>> {
    match (question, answer) {
        (Question::Choose { choices, .. }, Answer::Chose(index)) => {
            let choice = choices.get(*index)?;
            Some(Verdict {
                correct: choice.correct,
                why: &choice.why,
            })
        }
        (Question::Type { answers, why, .. }, Answer::Typed(typed)) => {
            let typed = typed.trim();
            Some(Verdict {
                correct: answers.iter().any(|a| a.trim().eq_ignore_ascii_case(typed)),
                why,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::Choice;

    fn words(text: &str) -> Words {
        Words {
            en: text.into(),
            id: text.into(),
        }
    }

    #[test]
    fn a_choice_is_right_or_wrong_with_its_own_reason() {
        let question = Question::Choose {
            question: words("Which port?"),
            choices: vec![
                Choice {
                    text: words("25"),
                    correct: true,
                    why: words("relay"),
                },
                Choice {
                    text: words("80"),
                    correct: false,
                    why: words("web"),
                },
            ],
        };
        let right = check(&question, &Answer::Chose(0)).unwrap();
        assert!(right.correct);
        let wrong = check(&question, &Answer::Chose(1)).unwrap();
        assert_eq!((wrong.correct, wrong.why.en.as_str()), (false, "web"));
        assert!(check(&question, &Answer::Chose(2)).is_none());
        assert!(check(&question, &Answer::Typed("25".into())).is_none());
    }

    #[test]
    fn a_typed_answer_ignores_case_and_spaces() {
        let question = Question::Type {
            question: words("Reply to a wrong order?"),
            answers: vec!["503".into()],
            why: words("bad sequence"),
        };
        assert!(
            check(&question, &Answer::Typed(" 503 ".into()))
                .unwrap()
                .correct
        );
        assert!(
            !check(&question, &Answer::Typed("550".into()))
                .unwrap()
                .correct
        );
    }
}
