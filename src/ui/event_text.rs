//! The texts of the event list and the capture download, in English and Bahasa Indonesia:
//! one struct, one constant per language, so a missing string is a compile error.

use leptos::prelude::*;

use crate::lang::Lang;

/// The event list's and the capture button's texts in one language.
pub struct EventText {
    pub heading: &'static str,
    pub list_label: &'static str,
    pub keys_hint: &'static str,
    pub filter_label: &'static str,
    pub layer_filter_label: &'static str,
    pub all: &'static str,
    pub follow: &'static str,
    pub earlier: &'static str,
    pub later: &'static str,
    /// Shown in the list while no event matches.
    pub empty: &'static str,
    /// Column titles: number, time, host, layer, protocol, what happened.
    pub columns: [&'static str; 6],
    pub download: &'static str,
    pub download_hint: &'static str,
}

pub const EN: EventText = EventText {
    heading: "What happened",
    list_label: "Events, oldest first",
    keys_hint: "↑/↓ move · Page Up/Down jump · Home/End first/last · Enter shows the event",
    filter_label: "Show only",
    layer_filter_label: "Show only the layers",
    all: "All",
    follow: "Follow the newest",
    earlier: "▲ Earlier",
    later: "▼ Later",
    empty: "Nothing yet. Send an email and press Play: every frame, packet and SMTP line shows up here.",
    columns: ["No.", "Time", "Host", "Layer", "Protocol", "What happened"],
    download: "Download capture (.pcap)",
    download_hint: "Every frame so far, to open in Wireshark.",
};

pub const ID: EventText = EventText {
    heading: "Apa yang terjadi",
    list_label: "Peristiwa, dari yang paling lama",
    keys_hint: "↑/↓ pindah · Page Up/Down lompat · Home/End awal/akhir · Enter menampilkan peristiwanya",
    filter_label: "Tampilkan hanya",
    layer_filter_label: "Tampilkan hanya lapisan",
    all: "Semua",
    follow: "Ikuti yang terbaru",
    earlier: "▲ Sebelumnya",
    later: "▼ Sesudahnya",
    empty: "Belum ada apa-apa. Kirim email lalu tekan Jalankan: setiap frame, paket, dan baris SMTP muncul di sini.",
    columns: ["No.", "Waktu", "Host", "Lapisan", "Protokol", "Yang terjadi"],
    download: "Unduh capture (.pcap)",
    download_hint: "Semua frame sejauh ini, untuk kamu buka di Wireshark.",
};

/// The texts for `lang`.
pub fn event_text(lang: Lang) -> &'static EventText {
    match lang {
        Lang::En => &EN,
        Lang::Id => &ID,
    }
}

/// One text in the language the learner picked, kept up to date: `pick` chooses the field.
/// Every text of the list goes through this one closure type, so the page's code for a
/// reactive text is built once, not once per text.
pub fn reactive(
    lang: RwSignal<Lang>,
    pick: fn(&EventText) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(event_text(lang.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_languages_differ_where_they_should() {
        assert_ne!(EN.heading, ID.heading);
        assert_ne!(EN.empty, ID.empty);
        assert_ne!(EN.download, ID.download);
        assert_eq!(EN.columns[0], ID.columns[0]);
    }
}
