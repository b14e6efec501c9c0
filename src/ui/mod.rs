//! The browser UI (Leptos 0.8, client-side rendering). Thin: it renders the plain-Rust
//! `Terminal` and forwards what the learner does; all logic lives outside `ui/`.

mod app;
mod compose;
mod i18n;
mod mail_panel;
mod map;
mod playback;
mod prefs;
mod session_panel;
mod terminal_view;

pub use app::App;
