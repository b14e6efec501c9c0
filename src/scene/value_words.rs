//! Dissector values in the learner's language. The dissector (`wire::layers`, `wire::arp`)
//! writes each value as Wireshark would — numbers, addresses and names first, a few English
//! words around them (`42 bytes`, `0x3c5e (correct)`, `Who has 192.0.2.25? Tell
//! 192.0.2.10`). In Bahasa Indonesia those words are swapped here; the numbers, addresses and
//! protocol names (`Don't fragment`, `NOERROR`, SMTP lines) stay as they are on the wire.

use std::borrow::Cow;

use crate::lang::Lang;

/// Whole values that are only words.
const WHOLE: [(&str, &str); 5] = [
    ("none", "tidak ada"),
    (
        "unknown (no bandwidth given)",
        "tidak diketahui (kecepatan link tidak diberikan)",
    ),
    ("request (1)", "permintaan (1)"),
    ("reply (2)", "balasan (2)"),
    ("Query", "Pertanyaan"),
];

/// Words inside a value, swapped wherever they occur, in this order.
const PARTS: [(&str, &str); 12] = [
    (
        " (broadcast: every host on the link)",
        " (broadcast: semua host di link)",
    ),
    (
        " (incorrect: the bytes were damaged)",
        " (salah: byte-nya rusak)",
    ),
    (
        " (none: the sender did not compute one)",
        " (tidak ada: pengirim tidak menghitungnya)",
    ),
    (
        " (continues in the next segment)",
        " (berlanjut di segmen berikutnya)",
    ),
    (" (correct)", " (benar)"),
    ("Who has ", "Siapa punya "),
    ("? Tell ", "? Beri tahu "),
    (" is at ", " ada di "),
    ("Response, ", "Jawaban, "),
    (" µs at ", " µs pada "),
    (" bytes", " byte"),
    (" bits", " bit"),
];

/// `value` as the page shows it in `lang`.
pub fn value_in(value: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(value);
    }
    if let Some((_, id)) = WHOLE.iter().find(|(en, _)| *en == value) {
        return Cow::Borrowed(id);
    }
    let mut shown = Cow::Borrowed(value);
    for (en, id) in PARTS {
        if shown.contains(en) {
            shown = Cow::Owned(shown.replace(en, id));
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::layers::dissect;

    #[test]
    fn english_values_stay_as_the_dissector_wrote_them() {
        assert_eq!(value_in("42 bytes", Lang::En), "42 bytes");
        assert!(matches!(value_in("42 bytes", Lang::En), Cow::Borrowed(_)));
    }

    #[test]
    fn the_words_around_numbers_and_addresses_become_indonesian() {
        let cases = [
            ("42 bytes", "42 byte"),
            ("336 bits", "336 bit"),
            ("3.360 µs at 100 Mbit/s", "3.360 µs pada 100 Mbit/s"),
            ("0x3c5e (correct)", "0x3c5e (benar)"),
            (
                "ff:ff:ff:ff:ff:ff (broadcast: every host on the link)",
                "ff:ff:ff:ff:ff:ff (broadcast: semua host di link)",
            ),
            (
                "Who has 192.0.2.25? Tell 192.0.2.10",
                "Siapa punya 192.0.2.25? Beri tahu 192.0.2.10",
            ),
            (
                "192.0.2.25 is at 02:00:00:00:02:00",
                "192.0.2.25 ada di 02:00:00:00:02:00",
            ),
            ("request (1)", "permintaan (1)"),
            ("Response, NOERROR", "Jawaban, NOERROR"),
            ("none", "tidak ada"),
        ];
        for (en, id) in cases {
            assert_eq!(value_in(en, Lang::Id), id, "{en}");
        }
    }

    #[test]
    fn names_and_protocol_text_are_left_alone() {
        for kept in [
            "Don't fragment",
            "EHLO laptop-ani.alpha.example",
            "64",
            "none of it",
        ] {
            assert_eq!(value_in(kept, Lang::Id), kept);
        }
    }

    #[test]
    fn no_english_word_of_an_arp_frame_is_left_in_indonesian() {
        // laptop-ani asks for mail.alpha.example's MAC address, as on the default world.
        let mut frame = vec![0xff; 6];
        frame.extend([2, 0, 0, 0, 1, 0, 0x08, 0x06]);
        frame.extend([0, 1, 0x08, 0, 6, 4, 0, 1]);
        frame.extend([2, 0, 0, 0, 1, 0, 192, 0, 2, 10]);
        frame.extend([0, 0, 0, 0, 0, 0, 192, 0, 2, 25]);
        let tree = dissect(&frame, 100_000_000);
        let shown: Vec<String> = tree
            .layers
            .iter()
            .flat_map(|layer| &layer.fields)
            .map(|field| value_in(&field.value, Lang::Id).into_owned())
            .collect();
        for english in [
            "bytes",
            "bits",
            " at ",
            "broadcast: every",
            "Who has",
            "Tell",
            "request",
        ] {
            assert!(
                shown.iter().all(|value| !value.contains(english)),
                "{english} in {shown:?}"
            );
        }
    }
}
