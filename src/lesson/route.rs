//! Where the learner is, as the page's address says it after `#`, so a teacher can share
//! "lesson 3, step 2" as a link that works on any static server:
//!
//! - `#/` the course (home), `#/sim` the simulator without a lesson,
//! - `#/lesson/commands` a lesson (at the step saved, or its first),
//! - `#/lesson/commands/ehlo` one step, `#/lesson/commands/quiz` its quiz,
//! - `#/glossary` the glossary, `#/glossary/mx` at one of its terms.
//!
//! Anything else is the course, so an old or mistyped link never breaks the page.

use super::progress::Place;

/// A place in the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Simulator,
    Lesson {
        id: String,
        step: Option<String>,
    },
    Quiz {
        id: String,
    },
    /// The glossary, at `term` if given (its key).
    Glossary {
        term: Option<String>,
    },
}

/// The name of the quiz in a lesson's address.
const QUIZ: &str = "quiz";

impl Route {
    /// The step a learner was last at.
    pub fn of_place(place: &Place) -> Route {
        Route::Lesson {
            id: place.lesson.clone(),
            step: Some(place.step.clone()),
        }
    }

    /// Reads the part of the address after `#` (with or without the `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_matches('/');
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let word = |part: &str| {
            (!part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                .then(|| part.to_string())
        };
        match parts.as_slice() {
            ["sim"] => Route::Simulator,
            ["glossary"] => Route::Glossary { term: None },
            ["glossary", term] => Route::Glossary { term: word(term) },
            ["lesson", id] => match word(id) {
                Some(id) => Route::Lesson { id, step: None },
                None => Route::Home,
            },
            ["lesson", id, step] => match (word(id), word(step)) {
                (Some(id), Some(step)) if step == QUIZ => Route::Quiz { id },
                (Some(id), Some(step)) => Route::Lesson {
                    id,
                    step: Some(step),
                },
                _ => Route::Home,
            },
            _ => Route::Home,
        }
    }

    /// The address for this place, `#` included.
    pub fn hash(&self) -> String {
        match self {
            Route::Home => "#/".into(),
            Route::Simulator => "#/sim".into(),
            Route::Glossary { term: None } => "#/glossary".into(),
            Route::Glossary { term: Some(term) } => format!("#/glossary/{term}"),
            Route::Lesson { id, step: None } => format!("#/lesson/{id}"),
            Route::Lesson {
                id,
                step: Some(step),
            } => format!("#/lesson/{id}/{step}"),
            Route::Quiz { id } => format!("#/lesson/{id}/{QUIZ}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_reads_back_from_its_address() {
        let places = [
            Route::Home,
            Route::Simulator,
            Route::Glossary { term: None },
            Route::Glossary {
                term: Some("mx".into()),
            },
            Route::Lesson {
                id: "commands".into(),
                step: None,
            },
            Route::Lesson {
                id: "commands".into(),
                step: Some("ehlo".into()),
            },
            Route::Quiz {
                id: "commands".into(),
            },
        ];
        for place in places {
            assert_eq!(Route::parse(&place.hash()), place);
        }
    }

    #[test]
    fn odd_addresses_lead_home() {
        for hash in [
            "",
            "#",
            "#/nowhere",
            "#/lesson",
            "#/lesson/<script>",
            "#/lesson/a/b/c",
            "#/lesson/a/b c",
        ] {
            assert_eq!(Route::parse(hash), Route::Home, "{hash}");
        }
        assert_eq!(
            Route::parse("lesson/layers/"),
            Route::parse("#/lesson/layers")
        );
    }
}
