//! The app shell: header with the language switch; the map, the time controls, the terminal,
//! budi's devices and the protocol comparison; and the panels beside them.

use leptos::prelude::*;

use super::campaign_panel::CampaignPanel;
use super::capture::CaptureDownload;
use super::comparison::Comparison;
use super::compose::Compose;
use super::course::{watch_inspections, CourseState, Simulator};
use super::course_panel::CoursePanel;
use super::devices::Devices;
use super::event_list::EventList;
use super::i18n::{text, tr};
use super::inspector::Inspector;
use super::mail_panel::MailPanel;
use super::map::NetworkMap;
use super::playback::{Clock, PlaybackBar};
use super::prefs::{initial_big_screen, initial_lang, save_big_screen, save_lang};
use super::session_panel::SessionPanel;
use super::terminal_view::TerminalView;
use crate::lang::Lang;
use crate::sim::world::World;
use crate::terminal::Terminal;

/// The seed of the learner's world: the same page load after load, so what a lesson says
/// about it holds.
const WORLD_SEED: u64 = 1;

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(initial_lang());
    let world = RwSignal::new(World::default_world(WORLD_SEED));
    let terminal = RwSignal::new(Terminal::new());
    let selected_host = RwSignal::new(None);
    let clock = Clock::new();
    let selected_event = RwSignal::new(None);
    let big_screen = RwSignal::new(initial_big_screen());
    let course = CourseState::new();
    let sim = Simulator {
        world,
        terminal,
        clock,
        selected_host,
        selected_event,
    };
    watch_inspections(world, selected_event, course.learner);

    Effect::new(move |_| {
        let lang = lang.get();
        save_lang(lang);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        document().set_title(&format!(
            "{} — {}",
            text(lang).app_title,
            text(lang).tagline
        ));
    });

    // For a projector: everything larger, and the map across the whole width.
    Effect::new(move |_| {
        let on = big_screen.get();
        save_big_screen(on);
        if let Some(root) = document().document_element() {
            let _ = root.class_list().toggle_with_force("kr-big", on);
        }
    });

    view! {
        <a class="kr-skip" href="#kr-terminal-input">{tr(lang, |t| t.skip_to_terminal)}</a>
        <header class="kr-header">
            <div class="kr-header__brand">
                <img class="kr-header__logo" src="icon.svg" alt="" width="32" height="32"/>
                <div>
                    <h1 class="kr-header__title">{tr(lang, |t| t.app_title)}</h1>
                    <p class="kr-header__tagline">{tr(lang, |t| t.tagline)}</p>
                </div>
            </div>
            <div class="kr-header__tools">
                <button
                    type="button"
                    class="kr-button"
                    data-testid="big-screen"
                    aria-pressed=move || big_screen.get().to_string()
                    on:click=move |_| big_screen.update(|on| *on = !*on)
                >
                    {tr(lang, |t| t.big_screen)}
                </button>
                <LanguageSwitch lang/>
            </div>
        </header>
        <main class="kr-main">
            <div class="kr-stage">
                <NetworkMap world lang selected_host selected_event/>
                <PlaybackBar world lang clock/>
                <TerminalView terminal world lang clock/>
                <Devices world lang clock/>
                <Comparison world lang/>
                <Inspector world lang selected_event/>
            </div>
            <aside class="kr-side">
                <CoursePanel state=course sim lang/>
                <Compose world lang clock/>
                <EventList world lang selected_event clock/>
                <CaptureDownload world lang/>
                <SessionPanel terminal world lang/>
                <CampaignPanel sim lang/>
                <MailPanel world lang/>
            </aside>
        </main>
        <footer class="kr-footer">{tr(lang, |t| t.footer)}</footer>
    }
}

/// Two buttons, one per language; the pressed one is marked for assistive technology.
#[component]
fn LanguageSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <div class="kr-lang" role="group" aria-label=tr(lang, |t| t.language)>
            {Lang::ALL
                .into_iter()
                .map(|option| {
                    view! {
                        <button
                            type="button"
                            class="kr-lang__option"
                            lang=option.code()
                            data-testid=format!("lang-{}", option.code())
                            aria-pressed=move || (lang.get() == option).to_string()
                            on:click=move |_| lang.set(option)
                        >
                            {option.to_string()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
