//! What a mass mailing run in the page did ([`crate::sim::campaign`]), as labelled figures in
//! English or Bahasa Indonesia: how many messages and copies arrived, how much the log and the
//! links gained, and what it cost the tab in time and memory. Numbers are grouped by thousands
//! the way each language writes them (100,000 and 100.000).

use std::fmt::Write;

use super::markup::escape;
use crate::lang::Lang;
use crate::sim::campaign::CampaignOutcome;

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// What the figure is, stable across languages (for tests and styling).
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// What the tab spent on the run, measured by the page around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabCost {
    /// Wall-clock milliseconds the run took.
    pub millis: u64,
    /// The page's WebAssembly memory after the run, in bytes; `None` outside a browser.
    pub memory_bytes: Option<u64>,
}

/// `n` with its thousands grouped: `100,000` in English, `100.000` in Bahasa Indonesia.
pub fn grouped(n: u64, lang: Lang) -> String {
    let separator = lang.pick(',', '.');
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// `bytes` in megabytes with one decimal, written the language's way (`138.2` or `138,2`).
fn megabytes(bytes: u64, lang: Lang) -> String {
    let tenths = (bytes * 10 + 524_288) / 1_048_576;
    let point = lang.pick('.', ',');
    format!("{}{point}{} MB", grouped(tenths / 10, lang), tenths % 10)
}

/// The report of `outcome`, which cost the tab `cost`.
pub fn report(outcome: &CampaignOutcome, cost: TabCost, lang: Lang) -> Vec<Figure> {
    let n = |count: usize| grouped(count as u64, lang);
    let mut figures = vec![
        Figure {
            key: "delivered",
            label: lang.pick("Messages mx1 took (250)", "Pesan yang diterima mx1 (250)"),
            value: format!(
                "{} {} {}",
                n(outcome.delivered),
                lang.pick("of", "dari"),
                n(outcome.messages)
            ),
        },
        Figure {
            key: "connections",
            label: lang.pick("SMTP connections opened", "Koneksi SMTP yang dibuka"),
            value: n(outcome.connections),
        },
        Figure {
            key: "stored",
            label: lang.pick(
                "Copies filed in mx1's mailboxes",
                "Salinan yang tersimpan di kotak surat mx1",
            ),
            value: format!(
                "{} {} {}",
                n(outcome.stored),
                lang.pick("for", "untuk"),
                lang.pick(
                    format!("{} recipients", n(outcome.recipients)),
                    format!("{} penerima", n(outcome.recipients))
                )
            ),
        },
        Figure {
            key: "events",
            label: lang.pick("Events added to the log", "Kejadian yang masuk log"),
            value: n(outcome.events),
        },
        Figure {
            key: "frames",
            label: lang.pick("Frames on the links", "Frame di kabel"),
            value: format!(
                "{} ({})",
                n(outcome.frames),
                megabytes(outcome.frame_bytes as u64, lang)
            ),
        },
        Figure {
            key: "simulated",
            label: lang.pick("Simulated time", "Waktu simulasi"),
            value: outcome.sim_elapsed.to_string(),
        },
        Figure {
            key: "tab_time",
            label: lang.pick("Time it took this tab", "Waktu yang dipakai tab ini"),
            value: format!("{} ms", grouped(cost.millis, lang)),
        },
    ];
    if let Some(bytes) = cost.memory_bytes {
        figures.push(Figure {
            key: "memory",
            label: lang.pick(
                "The page's memory (WebAssembly) now",
                "Memori halaman (WebAssembly) sekarang",
            ),
            value: megabytes(bytes, lang),
        });
    }
    figures
}

/// The report as a description list, every text escaped; each figure is marked with
/// `data-key` for tests.
pub fn markup(figures: &[Figure]) -> String {
    let mut html = String::from("<dl class=\"kr-campaign__report\">");
    for figure in figures {
        let _ = write!(
            html,
            "<div data-testid=\"campaign-figure\" data-key=\"{}\"><dt>{}</dt><dd>{}</dd></div>",
            figure.key,
            escape(figure.label),
            escape(&figure.value)
        );
    }
    html.push_str("</dl>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::campaign::{self, Campaign};

    #[test]
    fn thousands_are_grouped_as_each_language_writes_them() {
        assert_eq!(grouped(0, Lang::En), "0");
        assert_eq!(grouped(999, Lang::En), "999");
        assert_eq!(grouped(1_000, Lang::En), "1,000");
        assert_eq!(grouped(100_000, Lang::En), "100,000");
        assert_eq!(grouped(1_234_567, Lang::Id), "1.234.567");
    }

    #[test]
    fn megabytes_have_one_decimal_in_the_language_s_way() {
        assert_eq!(megabytes(144_913_203, Lang::En), "138.2 MB");
        assert_eq!(megabytes(144_913_203, Lang::Id), "138,2 MB");
        assert_eq!(megabytes(0, Lang::En), "0.0 MB");
    }

    #[test]
    fn a_small_campaign_is_reported_with_its_own_counts() {
        let campaign = Campaign {
            messages: 3,
            recipients_per_message: 2,
            batch: 3,
            messages_per_session: 1,
        };
        let outcome = campaign::run(campaign, 1).unwrap().outcome();
        let cost = TabCost {
            millis: 1_722,
            memory_bytes: Some(144_913_203),
        };
        let figures = report(&outcome, cost, Lang::En);
        let value = |key: &str| {
            figures
                .iter()
                .find(|figure| figure.key == key)
                .map(|figure| figure.value.clone())
                .unwrap()
        };
        assert_eq!(value("delivered"), "3 of 3");
        assert_eq!(value("connections"), "3");
        assert_eq!(value("stored"), "6 for 6 recipients");
        assert_eq!(value("events"), grouped(outcome.events as u64, Lang::En));
        assert_eq!(value("tab_time"), "1,722 ms");
        assert_eq!(value("memory"), "138.2 MB");
        let indonesian = report(&outcome, cost, Lang::Id);
        assert_eq!(indonesian[0].value, "3 dari 3");
        assert_eq!(indonesian[7].value, "138,2 MB");
        let native = TabCost {
            memory_bytes: None,
            ..cost
        };
        assert_eq!(report(&outcome, native, Lang::En).len(), 7);
        let html = markup(&figures);
        assert!(html.starts_with("<dl class=\"kr-campaign__report\"><div data-testid=\"campaign-figure\" data-key=\"delivered\"><dt>"));
        assert!(html
            .contains("<dt>Copies filed in mx1&#39;s mailboxes</dt><dd>6 for 6 recipients</dd>"));
        assert_eq!(html.matches("<div ").count(), figures.len());
    }
}
