//! Words the session panel and the prompt use for POP3 (RFC 1939 §3) and IMAP (RFC 9051 §3)
//! sessions, in English and Bahasa Indonesia. The state names stay as the RFCs write them.

use crate::lang::Lang;
use crate::proto::imap::server::ImapState;
use crate::proto::pop3::Pop3State;

/// A POP3 state, with what it allows.
pub fn pop3_state(state: Pop3State, lang: Lang) -> &'static str {
    match state {
        Pop3State::Authorization => lang.pick(
            "AUTHORIZATION: log in with USER and PASS",
            "AUTHORIZATION: masuk dengan USER dan PASS",
        ),
        Pop3State::OpeningMaildrop => lang.pick(
            "AUTHORIZATION: opening the maildrop",
            "AUTHORIZATION: membuka kotak surat",
        ),
        Pop3State::Transaction => lang.pick(
            "TRANSACTION: list, read, mark for deletion",
            "TRANSACTION: mendaftar, membaca, menandai untuk dihapus",
        ),
        Pop3State::Update => lang.pick(
            "UPDATE: marked messages deleted, session over",
            "UPDATE: pesan bertanda dihapus, sesi selesai",
        ),
    }
}

/// An IMAP state, with what it allows.
pub fn imap_state(state: ImapState, lang: Lang) -> &'static str {
    match state {
        ImapState::NotAuthenticated => {
            lang.pick("Not authenticated: LOGIN first", "Belum masuk: LOGIN dulu")
        }
        ImapState::Authenticated => lang.pick(
            "Authenticated: SELECT a folder",
            "Sudah masuk: pilih folder dengan SELECT",
        ),
        ImapState::Selected => lang.pick(
            "Selected: FETCH, STORE, SEARCH, COPY, MOVE",
            "Folder terpilih: FETCH, STORE, SEARCH, COPY, MOVE",
        ),
        ImapState::Logout => lang.pick("Logout", "Keluar"),
    }
}

pub fn protocol(lang: Lang) -> &'static str {
    lang.pick("Protocol", "Protokol")
}

pub fn folder(lang: Lang) -> &'static str {
    lang.pick("Selected folder", "Folder terpilih")
}

pub fn no_folder(lang: Lang) -> &'static str {
    lang.pick("none yet", "belum ada")
}

pub fn mailbox(lang: Lang) -> &'static str {
    lang.pick("Maildrop", "Kotak surat")
}

/// What a locked maildrop holds: `count` messages not marked deleted, `octets` in all.
pub fn messages(count: usize, octets: usize, lang: Lang) -> String {
    lang.pick(
        format!("{count} message(s), {octets} octets, not counting those marked with DELE"),
        format!("{count} pesan, {octets} oktet, tanpa yang ditandai DELE"),
    )
}

pub fn not_open(lang: Lang) -> &'static str {
    lang.pick("not open before login", "belum dibuka sebelum masuk")
}

pub fn idle(lang: Lang) -> &'static str {
    lang.pick(
        "IDLE: waiting for news from the server",
        "IDLE: menunggu kabar dari server",
    )
}

/// The hint under the prompt during IDLE.
pub fn idle_hint(lang: Lang) -> &'static str {
    lang.pick(
        "IDLE: the server reports new mail as it arrives. Type DONE to end IDLE.",
        "IDLE: server melaporkan surat baru begitu tiba. Ketik DONE untuk mengakhiri IDLE.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_words_in_both_languages() {
        for state in [
            Pop3State::Authorization,
            Pop3State::OpeningMaildrop,
            Pop3State::Transaction,
            Pop3State::Update,
        ] {
            assert_ne!(pop3_state(state, Lang::En), pop3_state(state, Lang::Id));
        }
        for state in [
            ImapState::NotAuthenticated,
            ImapState::Authenticated,
            ImapState::Selected,
            ImapState::Logout,
        ] {
            assert_ne!(imap_state(state, Lang::En), imap_state(state, Lang::Id));
        }
    }
}
