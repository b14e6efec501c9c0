//! SMTP, POP3 and IMAP side by side, in the learner's language: a cell lights up once she has
//! seen it happen in the simulator ([`crate::scene::comparison::experienced`]).

use leptos::prelude::*;

use super::course::LearnerLog;
use super::i18n::{text, tr};
use crate::lang::Lang;
use crate::lesson::check::LearnerAction;
use crate::scene::comparison::{comparison_markup, experienced, TableWords};
use crate::sim::world::World;

#[component]
pub fn Comparison(world: RwSignal<World>, lang: RwSignal<Lang>) -> impl IntoView {
    let learner = use_context::<LearnerLog>();
    let looked = move || {
        if let Some(learner) = learner {
            learner.record(LearnerAction::Compared);
        }
    };
    let lit = Memo::new(move |_| world.with(experienced));
    let html = Memo::new(move |_| {
        let t = text(lang.get());
        let words = TableWords {
            caption: t.compare_caption,
            corner: t.compare_corner,
            rows: &t.compare_rows,
            cells: &t.compare_cells,
            experienced: t.experienced,
            not_yet: t.not_yet,
            not_applicable: t.not_applicable,
        };
        comparison_markup(&lit.get(), &words)
    });
    view! {
        <section class="kr-panel kr-compare" aria-labelledby="kr-compare-heading" data-testid="comparison">
            <h2 id="kr-compare-heading" class="kr-panel__heading">{tr(lang, |t| t.compare_heading)}</h2>
            <p class="kr-compare__intro">{tr(lang, |t| t.compare_intro)}</p>
            <div class="kr-compare__scroll" inner_html=html tabindex="0"
                aria-labelledby="kr-compare-heading" data-testid="comparison-table"
                on:click=move |_| looked() on:focusin=move |_| looked()></div>
        </section>
    }
}
