//! What a POP3 reply means and what the learner can type next, in English and Indonesian.
//!
//! POP3 has no reply codes: `+OK` or `-ERR`, then text (RFC 1939 §3), sometimes with a
//! response code in brackets (RFC 2449 §8: `[IN-USE]`, `[AUTH]`). So the meaning comes from
//! which command was answered and, for `-ERR`, from the words this server uses. Examples use
//! the default teaching world (budi/budi123 on mx1.beta.example). Commands stay English.

use crate::lang::Lang;

/// What a reply means, for a learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// What the reply says.
    pub meaning: &'static str,
    /// What the learner can type next.
    pub next_step: &'static str,
}

/// Explains the status line `status` (`+OK …` or `-ERR …`) that answered `command` (its
/// keyword, e.g. `RETR`; `None` for the greeting).
pub fn explain(status: &str, command: Option<&str>, lang: Lang) -> Explanation {
    let ok = status.starts_with("+OK");
    let command = command.map(str::to_ascii_uppercase);
    let (meaning, next_step) = if ok {
        success(command.as_deref())
    } else {
        refusal(status, command.as_deref())
    };
    Explanation {
        meaning: lang.pick(meaning.0, meaning.1),
        next_step: lang.pick(next_step.0, next_step.1),
    }
}

type Both = (&'static str, &'static str);

const LOG_IN: Both = (
    "Log in: USER budi, then PASS budi123.",
    "Masuk dulu: USER budi, lalu PASS budi123.",
);
const READ_NEXT: Both = (
    "STAT counts your mail, LIST lists it, RETR 1 reads message 1, DELE 1 marks it for deletion, QUIT ends the session.",
    "STAT menghitung suratmu, LIST mendaftarnya, RETR 1 membaca pesan 1, DELE 1 menandainya untuk dihapus, QUIT mengakhiri sesi.",
);

fn success(command: Option<&str>) -> (Both, Both) {
    match command {
        None => (
            (
                "+OK: the POP3 server is ready. The <…> at the end is a timestamp for APOP, a login that never sends the password.",
                "+OK: server POP3 siap. <…> di akhir adalah cap waktu untuk APOP, cara masuk yang tidak pernah mengirim kata sandinya.",
            ),
            LOG_IN,
        ),
        Some("USER") => (
            (
                "+OK: the server noted the name. It says +OK to any name, so a stranger cannot find out which accounts exist.",
                "+OK: server mencatat namanya. Server menjawab +OK untuk nama apa pun, supaya orang asing tidak bisa menebak akun mana yang ada.",
            ),
            ("Now send the password: PASS budi123.", "Sekarang kirim kata sandinya: PASS budi123."),
        ),
        Some("PASS" | "APOP") => (
            (
                "+OK: you are logged in, and the maildrop is locked for you: the TRANSACTION state.",
                "+OK: kamu sudah masuk dan kotak suratmu dikunci untukmu: state TRANSACTION.",
            ),
            READ_NEXT,
        ),
        Some("STAT") => (
            (
                "+OK: how many messages, then their size in octets (every line end counted as two, CR and LF).",
                "+OK: jumlah pesan, lalu ukurannya dalam oktet (setiap akhir baris dihitung dua, CR dan LF).",
            ),
            ("LIST shows each message's size; RETR 1 reads the first.", "LIST menampilkan ukuran tiap pesan; RETR 1 membaca yang pertama."),
        ),
        Some("LIST") => (
            (
                "+OK: one line per message, its number and its size; a line with only a dot ends the list.",
                "+OK: satu baris per pesan, nomor dan ukurannya; baris yang isinya hanya titik menutup daftar.",
            ),
            ("RETR and a number downloads that message, e.g. RETR 1.", "RETR dan sebuah nomor mengunduh pesan itu, misalnya RETR 1."),
        ),
        Some("RETR") => (
            (
                "+OK: the whole message follows, ending with a line that is only a dot. A line of the message that starts with a dot was sent with one more dot (dot-stuffing).",
                "+OK: seluruh pesan menyusul, diakhiri baris yang isinya hanya titik. Baris pesan yang diawali titik dikirim dengan satu titik tambahan (dot-stuffing).",
            ),
            (
                "Keep it on the server, or DELE 1 to have it deleted when you QUIT: download and delete.",
                "Biarkan tetap di server, atau DELE 1 supaya dihapus saat kamu QUIT: unduh lalu hapus.",
            ),
        ),
        Some("TOP") => (
            (
                "+OK: the header and as many lines of the body as you asked for, ending with a lone dot.",
                "+OK: header dan sebanyak baris isi yang kamu minta, diakhiri satu titik.",
            ),
            ("RETR reads the whole message.", "RETR membaca seluruh pesan."),
        ),
        Some("UIDL") => (
            (
                "+OK: each message's unique id. Numbers change between sessions, ids never do: a client that leaves mail on the server uses them to fetch only what is new.",
                "+OK: id unik tiap pesan. Nomor bisa berubah antar sesi, id tidak: klien yang membiarkan surat di server memakainya untuk mengambil yang baru saja.",
            ),
            READ_NEXT,
        ),
        Some("DELE") => (
            (
                "+OK: marked only. Nothing is deleted before QUIT, and not at all if the connection just drops.",
                "+OK: baru ditandai. Tidak ada yang dihapus sebelum QUIT, dan tidak sama sekali kalau koneksinya putus begitu saja.",
            ),
            ("RSET removes every mark; QUIT deletes what is marked.", "RSET menghapus semua tanda; QUIT menghapus yang ditandai."),
        ),
        Some("RSET") => (
            ("+OK: every deletion mark is gone.", "+OK: semua tanda hapus sudah dilepas."),
            READ_NEXT,
        ),
        Some("NOOP") => (
            ("+OK: nothing to do; the server is still there.", "+OK: tidak ada yang dikerjakan; server masih ada."),
            READ_NEXT,
        ),
        Some("CAPA") => (
            (
                "+OK: what this server can do beyond the basics (RFC 2449), one per line, ending with a lone dot.",
                "+OK: kemampuan server ini di luar yang dasar (RFC 2449), satu per baris, diakhiri satu titik.",
            ),
            LOG_IN,
        ),
        Some("QUIT") => (
            (
                "+OK: the UPDATE state. The messages you marked are deleted now, and the session ends.",
                "+OK: state UPDATE. Pesan yang kamu tandai dihapus sekarang, dan sesinya berakhir.",
            ),
            (
                "Connect again to see what is left: telnet mx1.beta.example 110.",
                "Sambungkan lagi untuk melihat sisanya: telnet mx1.beta.example 110.",
            ),
        ),
        Some(_) => (("+OK: done.", "+OK: selesai."), READ_NEXT),
    }
}

fn refusal(status: &str, command: Option<&str>) -> (Both, Both) {
    let text = status.trim_start_matches("-ERR").trim_start();
    if text.starts_with("[IN-USE]") {
        return (
            (
                "-ERR [IN-USE]: another session has this maildrop open (another device, another mail client). POP3 lets one in at a time, so two never delete under each other.",
                "-ERR [IN-USE]: sesi lain sedang membuka kotak surat ini (perangkat lain, klien surat lain). POP3 hanya mengizinkan satu sesi, supaya keduanya tidak saling menghapus.",
            ),
            (
                "QUIT the other session first, then log in again.",
                "Akhiri dulu sesi yang lain dengan QUIT, lalu masuk lagi.",
            ),
        );
    }
    if text.starts_with("[AUTH]") {
        return (
            (
                "-ERR [AUTH]: the name or the password is wrong (the server does not say which).",
                "-ERR [AUTH]: nama atau kata sandinya salah (server tidak bilang yang mana).",
            ),
            LOG_IN,
        );
    }
    if text.starts_with("log in first") {
        return (
            (
                "-ERR: that command works only after logging in (the AUTHORIZATION state allows USER, PASS, APOP, CAPA and QUIT).",
                "-ERR: perintah itu baru bisa dipakai setelah masuk (state AUTHORIZATION hanya menerima USER, PASS, APOP, CAPA, dan QUIT).",
            ),
            LOG_IN,
        );
    }
    if text.starts_with("give USER first") {
        return (
            (
                "-ERR: PASS comes after USER.",
                "-ERR: PASS dikirim setelah USER.",
            ),
            LOG_IN,
        );
    }
    if text.starts_with("no message") {
        return (
            (
                "-ERR: there is no message with that number.",
                "-ERR: tidak ada pesan dengan nomor itu.",
            ),
            (
                "LIST shows the numbers there are.",
                "LIST menampilkan nomor yang ada.",
            ),
        );
    }
    if text.contains("already deleted") {
        return (
            (
                "-ERR: you marked that message with DELE.",
                "-ERR: pesan itu sudah kamu tandai dengan DELE.",
            ),
            (
                "RSET removes the marks if you want it back.",
                "RSET melepas tanda itu kalau kamu ingin pesannya kembali.",
            ),
        );
    }
    if text.starts_with("unknown command") {
        return (
            (
                "-ERR: POP3 does not know that command. EHLO, MAIL FROM and DATA are SMTP, which sends mail on port 25; POP3 on port 110 fetches it.",
                "-ERR: POP3 tidak mengenal perintah itu. EHLO, MAIL FROM, dan DATA adalah SMTP, yang mengirim surat di port 25; POP3 di port 110 mengambilnya.",
            ),
            (
                "POP3 knows USER, PASS, APOP, STAT, LIST, RETR, DELE, TOP, UIDL, NOOP, RSET, CAPA and QUIT.",
                "POP3 mengenal USER, PASS, APOP, STAT, LIST, RETR, DELE, TOP, UIDL, NOOP, RSET, CAPA, dan QUIT.",
            ),
        );
    }
    if text.starts_with("wrong arguments") || text.starts_with("message numbers") {
        return (
            (
                "-ERR: the command is right but its arguments are not; the reply shows how it goes.",
                "-ERR: perintahnya benar tetapi argumennya tidak; balasannya menunjukkan cara menulisnya.",
            ),
            ("Message numbers start at 1, e.g. RETR 1.", "Nomor pesan mulai dari 1, misalnya RETR 1."),
        );
    }
    if text.starts_with("line too long") || text.starts_with("argument longer") {
        return (
            (
                "-ERR: the line is too long. A POP3 command line is at most 255 octets, an argument at most 40 (RFC 2449 §4).",
                "-ERR: barisnya terlalu panjang. Satu baris perintah POP3 paling banyak 255 oktet, satu argumen paling banyak 40 (RFC 2449 §4).",
            ),
            (
                "Send a short command, e.g. STAT or LIST.",
                "Kirim perintah yang pendek, misalnya STAT atau LIST.",
            ),
        );
    }
    if text.starts_with("empty command") {
        return (
            (
                "-ERR: the line was empty; the server waits for a command.",
                "-ERR: barisnya kosong; server menunggu sebuah perintah.",
            ),
            READ_NEXT,
        );
    }
    if text.starts_with("already logged in") {
        return (
            (
                "-ERR: you are logged in already.",
                "-ERR: kamu sudah masuk.",
            ),
            READ_NEXT,
        );
    }
    let meaning = match command {
        Some(_) => (
            "-ERR: the server refused the command; its words say why.",
            "-ERR: server menolak perintah itu; kata-katanya menjelaskan alasannya.",
        ),
        None => ("-ERR: the server refused.", "-ERR: server menolak."),
    };
    (meaning, READ_NEXT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::login::Login;
    use crate::proto::pop3::{MaildropMessage, Pop3Server};

    #[test]
    fn the_answer_to_a_command_explains_itself_in_both_languages() {
        let en = explain(
            "+OK message 1 marked; it goes at QUIT",
            Some("dele"),
            Lang::En,
        );
        assert!(en.meaning.contains("Nothing is deleted before QUIT"));
        let id = explain(
            "+OK message 1 marked; it goes at QUIT",
            Some("DELE"),
            Lang::Id,
        );
        assert!(id.meaning.contains("sebelum QUIT"));
        assert_ne!(en.next_step, id.next_step);
    }

    #[test]
    fn refusals_are_told_apart_by_their_response_code_and_words() {
        let in_use = explain("-ERR [IN-USE] the maildrop is open", Some("PASS"), Lang::En);
        assert!(in_use.next_step.starts_with("QUIT the other session"));
        let auth = explain(
            "-ERR [AUTH] wrong user name or password",
            Some("PASS"),
            Lang::En,
        );
        assert_eq!(auth.next_step, LOG_IN.0);
        let smtp = explain("-ERR unknown command EHLO", Some("EHLO"), Lang::En);
        assert!(smtp.meaning.contains("SMTP"));
    }

    /// Every reply the server engine can give gets a specific explanation, not the fallback.
    #[test]
    fn every_refusal_of_the_server_engine_is_explained_specifically() {
        let accounts = vec![Login {
            user: "budi".into(),
            password: "budi123".into(),
        }];
        let mut server = Pop3Server::new("mx1.beta.example", accounts, 1);
        let script = [
            "STAT",
            "PASS x",
            "USER budi",
            "PASS wrong",
            "FROB",
            "USER budi",
            "PASS budi123",
            "RETR 9",
            "DELE 1",
            "DELE 1",
            "RETR",
            "RETR 0",
            "USER budi",
        ];
        let mut refusals = Vec::new();
        for line in script {
            server.handle_input(format!("{line}\r\n").as_bytes());
            if server.state() == crate::proto::pop3::Pop3State::OpeningMaildrop {
                server.grant_maildrop(vec![MaildropMessage {
                    uid: "1.1".into(),
                    content: b"Subject: x\r\n\r\ny\r\n".to_vec(),
                }]);
            }
            let out = String::from_utf8(server.poll_output().unwrap_or_default()).unwrap();
            for status in out.lines().filter(|l| l.starts_with("-ERR")) {
                refusals.push((status.to_string(), line.split(' ').next().unwrap()));
            }
        }
        assert_eq!(refusals.len(), 9, "{refusals:?}");
        for (status, command) in refusals {
            let explanation = explain(&status, Some(command), Lang::En);
            assert!(
                !explanation.meaning.contains("its words say why"),
                "{status} has no explanation of its own"
            );
        }
    }
}
