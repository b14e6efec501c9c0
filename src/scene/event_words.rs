//! The simulation's own sentences in the learner's language. Some log events carry a reason
//! or an outcome in English words made by the simulation (`temporary failure at RCPT TO: …`,
//! `no such domain (NXDOMAIN)`, `TTL exceeded in transit`). In Bahasa Indonesia the event
//! list swaps those words; what a server said (an SMTP reply such as `550 5.1.1 …`), host
//! names, addresses and status codes stay as they were on the wire.

use std::borrow::Cow;

use crate::lang::Lang;

/// English words and their Indonesian, swapped wherever they occur, in this order (longer
/// phrases before the shorter ones they contain).
const PHRASES: [(&str, &str); 36] = [
    // How a mail client's attempt ended (proto::smtp::client::Failure, sim MailResult).
    ("temporary failure at ", "gagal sementara saat "),
    ("permanent failure at ", "gagal permanen saat "),
    ("saat greeting: ", "saat salam pembuka: "),
    ("saat end of data: ", "saat akhir data: "),
    (
        "connection timed out (no answer to SYN)",
        "waktu koneksi habis (SYN tidak dijawab)",
    ),
    ("temporary failure: ", "gagal sementara: "),
    ("connection refused", "koneksi ditolak"),
    ("the sender went down", "pengirim mati"),
    ("the connection was lost", "koneksi terputus"),
    ("no reply in time", "tidak ada balasan tepat waktu"),
    ("protocol error: ", "kesalahan protokol: "),
    (
        "the message has 8-bit octets and the server does not offer 8BITMIME",
        "pesan berisi oktet 8-bit, padahal server tidak menawarkan 8BITMIME",
    ),
    (
        " octets, the server takes at most ",
        " oktet, server menerima paling banyak ",
    ),
    ("the message has ", "ukuran pesan "),
    (
        "no recipient accepted:",
        "tidak ada penerima yang diterima:",
    ),
    ("delivered to ", "terkirim ke "),
    // MX lookups (net::dns::MxResolution).
    (
        "null MX: the domain accepts no mail",
        "null MX: domain ini tidak menerima surat",
    ),
    ("no such domain (NXDOMAIN)", "domain tidak ada (NXDOMAIN)"),
    (
        "no answer from DNS: retry later",
        "DNS tidak menjawab: coba lagi nanti",
    ),
    // Packets dropped on the way (sim::world::network, sim::topology).
    ("host unreachable: no ARP reply from ", NO_ARP_REPLY),
    (" requests", " permintaan"),
    ("TTL exceeded in transit", "TTL habis di perjalanan"),
    (" has no route to ", " tidak punya rute ke "),
    ("(network unreachable)", "(jaringan tak terjangkau)"),
    (
        " finds nobody with address ",
        " tidak menemukan siapa pun dengan alamat ",
    ),
    (
        " on the link (host unreachable)",
        " di link itu (host tak terjangkau)",
    ),
    // How a device's POP3 or IMAP session ended (sim::world::devices).
    ("refused at ", "ditolak saat "),
    (" downloaded, ", " diunduh, "),
    (" deleted from the server, ", " dihapus dari server, "),
    (" left there", " tetap tersimpan di sana"),
    (" changed elsewhere, ", " diubah di perangkat lain, "),
    (" new, ", " baru, "),
    (" gone", " tidak ada lagi di server"),
    (
        "connection closed before the session ended",
        "koneksi ditutup sebelum sesi selesai",
    ),
    (
        "connection closed before LOGOUT",
        "koneksi ditutup sebelum LOGOUT",
    ),
    // A queue giving up (sim::world::relay).
    (
        "delivery time expired: still undeliverable after the queue's maximum lifetime",
        "waktu pengiriman habis: masih belum terkirim setelah batas umur antrean",
    ),
];

const NO_ARP_REPLY: &str = "host tak terjangkau: tidak ada balasan ARP dari ";

/// `text`, one of the simulation's reasons or outcomes, as the event list shows it in `lang`.
pub fn prose_in(text: &str, lang: Lang) -> Cow<'_, str> {
    let mut shown = Cow::Borrowed(text);
    if lang == Lang::En {
        return shown;
    }
    for (en, id) in PHRASES {
        if shown.contains(en) {
            shown = Cow::Owned(shown.replace(en, id));
        }
    }
    // "… from 10.0.0.9 after 3 requests": only in this sentence is "after" ours to change.
    if shown.starts_with(NO_ARP_REPLY) {
        shown = Cow::Owned(shown.replace(" after ", " setelah "));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stays_as_the_simulation_wrote_it() {
        let text = "temporary failure: connection refused";
        assert_eq!(prose_in(text, Lang::En), text);
    }

    #[test]
    fn the_simulations_words_become_indonesian_and_the_servers_stay() {
        let cases = [
            (
                "temporary failure: connection refused",
                "gagal sementara: koneksi ditolak",
            ),
            (
                "permanent failure at RCPT TO: 550 5.1.1 <nobody@beta.example>: no such user here",
                "gagal permanen saat RCPT TO: 550 5.1.1 <nobody@beta.example>: no such user here",
            ),
            (
                "temporary failure at greeting: the connection was lost",
                "gagal sementara saat salam pembuka: koneksi terputus",
            ),
            ("no such domain (NXDOMAIN)", "domain tidak ada (NXDOMAIN)"),
            (
                "delivered to <budi@beta.example>",
                "terkirim ke <budi@beta.example>",
            ),
            (
                "host unreachable: no ARP reply from 10.0.0.9 after 3 requests",
                "host tak terjangkau: tidak ada balasan ARP dari 10.0.0.9 setelah 3 permintaan",
            ),
            ("TTL exceeded in transit", "TTL habis di perjalanan"),
            (
                "2 downloaded, 2 deleted from the server, 0 left there",
                "2 diunduh, 2 dihapus dari server, 0 tetap tersimpan di sana",
            ),
            (
                "1 new, 2 changed elsewhere, 0 gone",
                "1 baru, 2 diubah di perangkat lain, 0 tidak ada lagi di server",
            ),
            (
                "refused at PASS ****: -ERR [IN-USE] the maildrop is open in another session",
                "ditolak saat PASS ****: -ERR [IN-USE] the maildrop is open in another session",
            ),
        ];
        for (en, id) in cases {
            assert_eq!(prose_in(en, Lang::Id), id, "{en}");
        }
    }
}
