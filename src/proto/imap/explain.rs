//! What an IMAP response means and what the learner can type next, in English and Indonesian.
//!
//! IMAP answers a command with a line that starts with the command's own tag, then `OK`
//! (done), `NO` (refused: the command was fine, the situation is not) or `BAD` (not
//! understood), sometimes with a response code in brackets (RFC 9051 §7.1: `[TRYCREATE]`,
//! `[READ-ONLY]`, `[AUTHENTICATIONFAILED]`). Lines starting with `*` are data or news,
//! `+` asks for more. Examples use budi/budi123 on mx1.beta.example; commands stay English.

use crate::lang::Lang;

/// What a response means, for a learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub meaning: &'static str,
    pub next_step: &'static str,
}

type Both = (&'static str, &'static str);

const LOG_IN: Both = (
    "Log in: a1 LOGIN budi budi123 (any tag will do instead of a1).",
    "Masuk dulu: a1 LOGIN budi budi123 (tag apa saja boleh, tidak harus a1).",
);
const OPEN_INBOX: Both = (
    "Open your inbox: a2 SELECT INBOX.",
    "Buka kotak masukmu: a2 SELECT INBOX.",
);
const READ_ON: Both = (
    "a3 FETCH 1 (FLAGS BODY[]) reads message 1; a4 SEARCH UNSEEN finds unread mail; a5 STORE 1 +FLAGS (\\Flagged) flags it.",
    "a3 FETCH 1 (FLAGS BODY[]) membaca pesan 1; a4 SEARCH UNSEEN mencari surat yang belum dibaca; a5 STORE 1 +FLAGS (\\Flagged) menandainya.",
);

/// Explains `line`, one line the server sent (`a1 OK …`, `* OK …`, `+ …`), answering
/// `command` (its name, e.g. `FETCH`; `None` for the greeting).
pub fn explain(line: &str, command: Option<&str>, lang: Lang) -> Explanation {
    let mut words = line.splitn(3, ' ');
    let (tag, status) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or_default(),
    );
    let text = words.next().unwrap_or_default();
    let command = command.map(str::to_ascii_uppercase);
    let (meaning, next_step) = match (tag, status.to_ascii_uppercase().as_str()) {
        ("+", _) => continuation(command.as_deref()),
        ("*", "OK") if command.is_none() => (
            (
                "The IMAP server is ready. Every command starts with a tag you choose (a1, a2, …); the server's answer to it starts with the same tag.",
                "Server IMAP siap. Setiap perintah diawali tag pilihanmu (a1, a2, …); jawaban server untuk perintah itu diawali tag yang sama.",
            ),
            LOG_IN,
        ),
        ("*", "BAD") => not_understood(text),
        ("*", "BYE") => (
            (
                "* BYE: the server is closing the connection (after LOGOUT, that is how it should be).",
                "* BYE: server menutup koneksinya (sesudah LOGOUT, memang begitu seharusnya).",
            ),
            (
                "Connect again to see the mail still there: telnet mx1.beta.example 143.",
                "Sambungkan lagi untuk melihat surat yang masih ada: telnet mx1.beta.example 143.",
            ),
        ),
        ("*", _) => (
            (
                "A line starting with * is data or news from the server, not yet the answer: the answer is the line with your tag.",
                "Baris yang diawali * adalah data atau kabar dari server, belum jawabannya: jawabannya adalah baris dengan tag-mu.",
            ),
            READ_ON,
        ),
        (_, "OK") => done(command.as_deref()),
        (_, "NO") => refused(text),
        _ => not_understood(text),
    };
    Explanation {
        meaning: lang.pick(meaning.0, meaning.1),
        next_step: lang.pick(next_step.0, next_step.1),
    }
}

fn continuation(command: Option<&str>) -> (Both, Both) {
    match command {
        Some("IDLE") => (
            (
                "+: the server now tells you of new mail and changes as they happen, without being asked.",
                "+: server sekarang langsung memberi kabar surat baru dan perubahan, tanpa diminta.",
            ),
            ("Type DONE to end IDLE.", "Ketik DONE untuk mengakhiri IDLE."),
        ),
        _ => (
            (
                "+: the server waits for the rest of your command, e.g. the octets of a literal {n}.",
                "+: server menunggu sisa perintahmu, misalnya oktet-oktet sebuah literal {n}.",
            ),
            (
                "Send exactly as many octets as you announced.",
                "Kirim oktet persis sebanyak yang kamu umumkan.",
            ),
        ),
    }
}

fn done(command: Option<&str>) -> (Both, Both) {
    match command {
        Some("LOGIN" | "AUTHENTICATE") => (
            ("OK: you are logged in.", "OK: kamu sudah masuk."),
            OPEN_INBOX,
        ),
        Some("SELECT" | "EXAMINE") => (
            (
                "OK: the folder is open. * n EXISTS says how many messages it holds; UIDVALIDITY and UIDNEXT let a client remember messages by UID from one session to the next.",
                "OK: folder sudah terbuka. * n EXISTS menyebut jumlah pesannya; UIDVALIDITY dan UIDNEXT membuat klien bisa mengingat pesan lewat UID dari sesi ke sesi.",
            ),
            READ_ON,
        ),
        Some("FETCH") => (
            (
                "OK: the message data came in the * FETCH lines. BODY[] marks a message \\Seen; BODY.PEEK[] reads it without doing so.",
                "OK: data pesannya ada di baris * FETCH. BODY[] menandai pesan \\Seen; BODY.PEEK[] membacanya tanpa menandai.",
            ),
            READ_ON,
        ),
        Some("STORE") => (
            (
                "OK: the flags changed, on the server: your other devices see it at their next command.",
                "OK: flag-nya berubah, di server: perangkatmu yang lain melihatnya pada perintah berikutnya.",
            ),
            READ_ON,
        ),
        Some("SEARCH") => (
            (
                "OK: * SEARCH lists the message numbers that match (UIDs after UID SEARCH).",
                "OK: * SEARCH mendaftar nomor pesan yang cocok (UID kalau memakai UID SEARCH).",
            ),
            READ_ON,
        ),
        Some("EXPUNGE" | "CLOSE") => (
            (
                "OK: the messages flagged \\Deleted are gone for good; each * n EXPUNGE renumbers the messages after it.",
                "OK: pesan yang ditandai \\Deleted sudah hilang untuk selamanya; setiap * n EXPUNGE menomori ulang pesan sesudahnya.",
            ),
            OPEN_INBOX,
        ),
        Some("COPY" | "MOVE" | "APPEND" | "CREATE" | "DELETE" | "RENAME") => (
            (
                "OK: the folders changed on the server, so every device sees the same folders.",
                "OK: folder di server berubah, jadi semua perangkat melihat folder yang sama.",
            ),
            (
                "a6 LIST \"\" * shows the folders; a7 STATUS INBOX (MESSAGES UNSEEN) counts without opening.",
                "a6 LIST \"\" * menampilkan folder; a7 STATUS INBOX (MESSAGES UNSEEN) menghitung tanpa membuka.",
            ),
        ),
        Some("LOGOUT") => (
            ("OK: the session has ended.", "OK: sesinya sudah berakhir."),
            (
                "The mail stays on the server: connect again from any device to find it.",
                "Suratnya tetap di server: sambungkan lagi dari perangkat mana pun untuk menemukannya.",
            ),
        ),
        _ => (("OK: done.", "OK: selesai."), READ_ON),
    }
}

fn refused(text: &str) -> (Both, Both) {
    if text.starts_with("[AUTHENTICATIONFAILED]") {
        return (
            (
                "NO: the user name or the password is wrong.",
                "NO: nama pengguna atau kata sandinya salah.",
            ),
            LOG_IN,
        );
    }
    if text.starts_with("[TRYCREATE]") {
        return (
            (
                "NO [TRYCREATE]: there is no such folder yet.",
                "NO [TRYCREATE]: folder itu belum ada.",
            ),
            (
                "Make it first: a8 CREATE Arsip, then try again.",
                "Buat dulu: a8 CREATE Arsip, lalu coba lagi.",
            ),
        );
    }
    if text.starts_with("[READ-ONLY]") {
        return (
            (
                "NO [READ-ONLY]: the folder was opened with EXAMINE, which only looks.",
                "NO [READ-ONLY]: folder dibuka dengan EXAMINE, yang hanya melihat.",
            ),
            (
                "Open it with SELECT to change flags or delete.",
                "Buka dengan SELECT untuk mengubah flag atau menghapus.",
            ),
        );
    }
    (
        (
            "NO: the command was understood but cannot be done now; the words after NO say why.",
            "NO: perintahnya dimengerti tetapi tidak bisa dijalankan sekarang; kata-kata sesudah NO menjelaskan alasannya.",
        ),
        (
            "a6 LIST \"\" * shows the folders there are.",
            "a6 LIST \"\" * menampilkan folder yang ada.",
        ),
    )
}

fn not_understood(text: &str) -> (Both, Both) {
    if text.starts_with("log in first") {
        return (
            (
                "BAD: only CAPABILITY, NOOP, LOGOUT, LOGIN and AUTHENTICATE work before logging in.",
                "BAD: sebelum masuk hanya CAPABILITY, NOOP, LOGOUT, LOGIN, dan AUTHENTICATE yang bisa dipakai.",
            ),
            LOG_IN,
        );
    }
    if text.starts_with("no folder selected") {
        return (
            (
                "BAD: messages live in folders; open one before working with its messages.",
                "BAD: pesan tinggal di dalam folder; buka dulu foldernya sebelum mengolah pesannya.",
            ),
            OPEN_INBOX,
        );
    }
    if text.starts_with("unknown command") {
        return (
            (
                "BAD: IMAP does not know that command. EHLO and MAIL FROM are SMTP (port 25); USER and RETR are POP3 (port 110).",
                "BAD: IMAP tidak mengenal perintah itu. EHLO dan MAIL FROM adalah SMTP (port 25); USER dan RETR adalah POP3 (port 110).",
            ),
            READ_ON,
        );
    }
    if text.starts_with("only DONE ends IDLE") {
        return (
            (
                "BAD: during IDLE the server only listens for DONE; other commands wait until IDLE ends.",
                "BAD: selama IDLE server hanya menunggu DONE; perintah lain menunggu sampai IDLE selesai.",
            ),
            ("Type DONE to end IDLE.", "Ketik DONE untuk mengakhiri IDLE."),
        );
    }
    if text.starts_with("command line or literal too long") {
        return (
            (
                "BAD: the line (or the literal it announced) is longer than this server takes.",
                "BAD: barisnya (atau literal yang diumumkannya) lebih panjang dari yang diterima server ini.",
            ),
            ("Send a short command, e.g. a1 NOOP.", "Kirim perintah yang pendek, misalnya a1 NOOP."),
        );
    }
    if text.starts_with("already logged in") {
        return (
            (
                "BAD: you are logged in already; LOGIN works only once per session.",
                "BAD: kamu sudah masuk; LOGIN hanya bisa sekali per sesi.",
            ),
            OPEN_INBOX,
        );
    }
    if text.starts_with("a command starts with a tag") {
        return (
            (
                "BAD: every IMAP command starts with a tag, a word of your choice, then a space.",
                "BAD: setiap perintah IMAP diawali tag, kata pilihanmu sendiri, lalu spasi.",
            ),
            ("For example: a1 CAPABILITY.", "Misalnya: a1 CAPABILITY."),
        );
    }
    (
        (
            "BAD: the server could not read the command; the words after BAD say what it expected.",
            "BAD: server tidak bisa membaca perintahnya; kata-kata sesudah BAD menyebut apa yang diharapkan.",
        ),
        READ_ON,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::maildrop::{DomainMail, Maildrops};
    use crate::proto::imap::server::ImapServer;
    use crate::proto::login::Login;

    #[test]
    fn the_greeting_tells_about_tags() {
        let greeting = explain("* OK [CAPABILITY IMAP4rev1] ready", None, Lang::En);
        assert!(greeting.meaning.contains("tag"));
        assert_eq!(greeting.next_step, LOG_IN.0);
        let id = explain("* OK ready", None, Lang::Id);
        assert!(id.meaning.contains("tag"));
        assert_ne!(id.meaning, greeting.meaning);
    }

    #[test]
    fn ok_no_bad_and_continuations_are_told_apart() {
        let fetch = explain("a3 OK FETCH completed", Some("fetch"), Lang::En);
        assert!(fetch.meaning.contains("BODY.PEEK[]"));
        let idle = explain("+ idling", Some("IDLE"), Lang::En);
        assert!(idle.next_step.contains("DONE"));
        let create = explain("c NO [TRYCREATE] no such folder", Some("COPY"), Lang::En);
        assert!(create.next_step.contains("CREATE"));
        let smtp = explain("z BAD unknown command EHLO", Some("EHLO"), Lang::En);
        assert!(smtp.meaning.contains("SMTP"));
    }

    /// Every NO and BAD the server engine gives has an explanation of its own.
    #[test]
    fn every_refusal_of_the_server_engine_is_explained_specifically() {
        let mut maildrops = Maildrops::default();
        let mut mail = DomainMail {
            maildrops: &mut maildrops,
            domain: "beta.example",
            now: "28-Nov-2026 10:00:00 +0000".into(),
        };
        let accounts = vec![Login {
            user: "budi".into(),
            password: "budi123".into(),
        }];
        let mut server = ImapServer::new("mx1.beta.example", accounts);
        server.poll_output();
        let script = "a SELECT INBOX\r\nb LOGIN budi x\r\nNOOP\r\nc LOGIN budi budi123\r\n\
d FETCH 1 FLAGS\r\ne EHLO x\r\nf EXAMINE INBOX\r\ng STORE 1 +FLAGS (\\Seen)\r\n\
h COPY 1 Nowhere\r\n";
        server.handle_input(script.as_bytes(), &mut mail);
        let out = String::from_utf8(server.poll_output().unwrap()).unwrap();
        let refusals: Vec<&str> = out
            .lines()
            .filter(|line| line.contains(" NO ") || line.contains(" BAD "))
            .collect();
        assert!(refusals.len() >= 6, "{out}");
        for line in refusals {
            let explanation = explain(line, None, Lang::En);
            assert!(
                !explanation.meaning.contains("the words after"),
                "{line} has no explanation of its own"
            );
        }
    }
}
