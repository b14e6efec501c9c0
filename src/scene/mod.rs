//! What the page shows, as plain values computed from the world; the UI draws these and
//! computes no geometry, pacing or text of its own.
//!
//! - The map: where hosts and links sit ([`layout`]), the drawing ([`map_svg`]), what moves
//!   at this instant ([`motion`], mail hops from [`mail_hops`]), how fast virtual time runs
//!   while it plays ([`playback`]) and what a picked host holds ([`host_card`]).
//! - The event list: every log event as a row in both languages, filtered ([`event_list`]),
//!   the simulation's own reasons in Bahasa Indonesia too ([`event_words`]).
//! - The layer inspector: one frame's layers, fields and hex dump ([`inspector`], notes in
//!   [`field_notes`]), what its layers go through where it is ([`encapsulation`]) and its
//!   TCP conversation ([`transcript`]); its values' words in Bahasa Indonesia
//!   ([`value_words`]).
//! - budi's two devices reading mail ([`devices`]) and SMTP, POP3 and IMAP compared, with
//!   what the learner has seen happen ([`comparison`]).
//! - The course: its home page, a lesson step, the quiz and the glossary as markup
//!   ([`course_markup`], lesson text from [`lesson_html`]).
//! - A mass mailing run in the page, as a report of labelled figures ([`campaign_report`]).
//! - Display-only text is built as markup with every value escaped ([`markup`]).

pub mod campaign_report;
pub mod comparison;
pub mod course_markup;
pub mod devices;
pub mod encapsulation;
pub mod event_list;
pub mod event_words;
pub mod field_notes;
pub mod host_card;
pub mod inspector;
pub mod layout;
pub mod lesson_html;
pub mod mail_hops;
pub mod map_svg;
pub mod markup;
pub mod motion;
pub mod playback;
pub mod transcript;
pub mod value_words;
