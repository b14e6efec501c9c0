//! The browser UI (Leptos 0.8, client-side rendering). Thin: it renders what the plain-Rust
//! core computes (the `World`, the `Terminal`, and the view models of `scene`) and forwards
//! what the learner does as commands; all logic lives outside `ui/`.

mod app;
mod campaign_panel;
mod capture;
mod comparison;
mod compose;
mod course;
mod course_panel;
mod course_text;
mod devices;
mod event_list;
mod event_text;
mod glossary_view;
mod i18n;
mod inspector;
mod lesson_panel;
mod mail_panel;
mod map;
mod playback;
mod prefs;
mod quiz_view;
mod session_panel;
mod terminal_view;

pub use app::App;
