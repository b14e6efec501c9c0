//! What an SMTP reply means and what the learner can type next, in English and Indonesian.
//!
//! Three parts, each one or two sentences: the reply code (its class, RFC 5321 §4.2.1, then the
//! code itself, §4.2.2–4.2.3 and RFC 4954 §6 for the AUTH codes), the enhanced status code
//! (RFC 3463 titles of class, subject and detail), and a next step that depends on which
//! command was answered. Examples use the default teaching world (ani on alpha.example, budi
//! on beta.example). Protocol keywords stay English in both languages.

use super::{command::Verb, reply::Reply, status::EnhancedStatus};
use crate::lang::Lang;

/// What a reply means, for a learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// What the 3-digit code says ("2xx: success — …", then the code's own meaning).
    pub code: String,
    /// What class.subject.detail says, with the RFC 3463 titles, when the reply has one.
    pub status: Option<String>,
    /// What the learner can do next, e.g. "Now give the recipients: RCPT TO:<budi@beta.example>".
    pub next_step: String,
}

/// Explains `reply`, knowing which command it answered (`None`: the greeting or a shutdown).
pub fn explain(reply: &Reply, answered: Option<Verb>, lang: Lang) -> Explanation {
    let code = reply.code.get();
    let own_meaning = code_meaning(code).map_or_else(
        || {
            lang.pick(
                "this exact code has no standard meaning; go by its first digit",
                "kode persis ini tidak punya arti baku; lihat saja digit pertamanya",
            )
        },
        |(en, id)| lang.pick(en, id),
    );
    Explanation {
        code: format!(
            "{} {code}: {own_meaning}.",
            class_meaning(reply.code.class(), lang)
        ),
        status: reply.status.map(|status| status_meaning(status, lang)),
        next_step: next_step(reply, answered, lang),
    }
}

fn class_meaning(class: u8, lang: Lang) -> &'static str {
    match class {
        2 => lang.pick(
            "2xx: success, the server did what you asked.",
            "2xx: berhasil, server sudah menjalankan perintahmu.",
        ),
        3 => lang.pick(
            "3xx: go on, the server is waiting for the rest.",
            "3xx: lanjutkan, server menunggu kelanjutannya.",
        ),
        4 => lang.pick(
            "4xx: temporary failure, the same command may work if you try again later.",
            "4xx: gagal sementara, perintah yang sama bisa berhasil kalau dicoba lagi nanti.",
        ),
        _ => lang.pick(
            "5xx: permanent failure, change something before you try again.",
            "5xx: gagal permanen, ada yang harus diubah dulu sebelum mencoba lagi.",
        ),
    }
}

/// (English, Indonesian) meaning of each reply code (RFC 5321 §4.2.2–4.2.3, RFC 4954 §6,
/// RFC 3207 §4, RFC 7505 §4.3).
fn code_meaning(code: u16) -> Option<(&'static str, &'static str)> {
    Some(match code {
        211 => ("system status", "status sistem"),
        214 => ("help message", "pesan bantuan"),
        220 => ("the service is ready", "layanan siap dipakai"),
        221 => ("the server is closing the connection", "server menutup koneksi"),
        235 => ("authentication succeeded", "login (autentikasi) berhasil"),
        250 => ("requested action okay, completed", "perintah diterima dan selesai dikerjakan"),
        251 => ("user not local, the server will forward the message", "penerima bukan di server ini, pesan akan diteruskan"),
        252 => ("cannot verify the user, but will accept the message and try to deliver it", "server tidak mau memastikan penggunanya, tetapi pesan tetap diterima dan dicoba dikirim"),
        334 => ("the server asks for the next AUTH line, in base64", "server meminta baris AUTH berikutnya dalam base64"),
        354 => ("start the message; end it with a line holding only \".\"", "mulai ketik pesan; akhiri dengan baris yang isinya hanya \".\""),
        421 => ("the service is not available and the connection is closing", "layanan tidak tersedia dan koneksi ditutup"),
        450 => ("the mailbox is unavailable for now", "kotak surat sedang tidak bisa dipakai"),
        451 => ("the server gave up on this for now: a local error, or a local rule such as a sending limit", "server membatalkan perintah ini untuk sementara: ada kesalahan di server, atau aturan setempat seperti batas pengiriman"),
        452 => ("not enough storage, or too many recipients", "ruang penyimpanan kurang, atau penerimanya terlalu banyak"),
        454 => ("temporary failure: TLS or authentication is not available right now", "gagal sementara: TLS atau login sedang tidak tersedia"),
        455 => ("the server cannot handle these parameters now", "server belum bisa memproses parameter itu sekarang"),
        500 => ("syntax error: command not recognised, or the line is too long", "kesalahan penulisan: perintah tidak dikenal, atau barisnya terlalu panjang"),
        501 => ("syntax error in the parameters or arguments", "kesalahan penulisan pada parameter atau argumen"),
        502 => ("command not implemented here", "perintah ini tidak disediakan di server ini"),
        503 => ("bad sequence of commands", "urutan perintah salah"),
        504 => ("command parameter not implemented", "parameter perintah ini tidak didukung"),
        530 => ("authentication required", "harus login (AUTH) dulu"),
        534 => ("authentication mechanism is too weak", "cara login ini terlalu lemah"),
        535 => ("authentication credentials invalid", "nama pengguna atau kata sandi salah"),
        538 => ("encryption required for this authentication mechanism", "cara login ini wajib memakai enkripsi"),
        550 => ("mailbox unavailable, or the request was refused", "kotak surat tidak tersedia, atau permintaan ditolak"),
        551 => ("user not local", "penerima bukan pengguna di server ini"),
        552 => ("storage allocation exceeded: the message is too big", "batas penyimpanan terlampaui: pesannya terlalu besar"),
        553 => ("mailbox name not allowed or ambiguous", "nama kotak surat tidak diizinkan atau ambigu"),
        554 => ("transaction failed or refused", "transaksi gagal atau ditolak"),
        555 => ("MAIL FROM/RCPT TO parameters not recognised", "parameter MAIL FROM/RCPT TO tidak dikenal"),
        556 => ("the domain does not accept mail (null MX)", "domain itu memang tidak menerima surat (null MX)"),
        _ => return None,
    })
}

fn status_meaning(status: EnhancedStatus, lang: Lang) -> String {
    let (class, subject, title) = (
        status.class_title(lang),
        status.subject_title(lang),
        status.title(lang),
    );
    match lang {
        Lang::En => format!(
            "{status} = class {} ({class}), subject {} ({subject}): {title}.",
            status.class, status.subject
        ),
        Lang::Id => format!(
            "{status} = kelas {} ({class}), subjek {} ({subject}): {title}.",
            status.class, status.subject
        ),
    }
}

/// The first word of the reply, when it is the server's host name ("mx1.beta.example …").
fn host_in(reply: &Reply) -> &str {
    reply
        .lines
        .first()
        .and_then(|line| line.split(' ').next())
        .filter(|word| word.contains('.'))
        .unwrap_or("HOST")
}

fn next_step(reply: &Reply, answered: Option<Verb>, lang: Lang) -> String {
    let code = reply.code.get();
    let detail = reply.status.map(|s| (s.subject, s.detail));
    let first_line = reply.lines.first().map_or("", String::as_str);
    let text = match (answered, code) {
        (None, 220) => lang.pick("Say hello: EHLO laptop-ani.alpha.example", "Sapa server dulu: EHLO laptop-ani.alpha.example"),
        (_, 421) => {
            return lang.pick(
                format!("The server has closed the connection. Wait a little, then connect again: telnet {} 25", host_in(reply)),
                format!("Server sudah menutup koneksi. Tunggu sebentar, lalu sambung lagi: telnet {} 25", host_in(reply)),
            )
        }
        (_, 221) => {
            return lang.pick(
                format!("The session is over. To start again, type: telnet {} 25 (or 587 to send as a user)", host_in(reply)),
                format!("Sesi sudah selesai. Untuk mulai lagi, ketik: telnet {} 25 (atau 587 untuk mengirim sebagai pengguna)", host_in(reply)),
            )
        }
        (Some(Verb::Ehlo | Verb::Helo), 250) if reply.lines.iter().any(|line| line.starts_with("AUTH")) => lang.pick(
            "Log in first: AUTH PLAIN AGFuaQBhbmkxMjM= (base64 of \\0ani\\0ani123), then MAIL FROM:<ani@alpha.example>",
            "Login dulu: AUTH PLAIN AGFuaQBhbmkxMjM= (base64 dari \\0ani\\0ani123), lalu MAIL FROM:<ani@alpha.example>",
        ),
        (Some(Verb::Ehlo), 250) => lang.pick(
            "Start a message with the sender's address: MAIL FROM:<ani@alpha.example>",
            "Mulai pesan dengan alamat pengirim: MAIL FROM:<ani@alpha.example>",
        ),
        (Some(Verb::Helo), 250) => lang.pick(
            "Start a message: MAIL FROM:<ani@alpha.example> (HELO hides the extensions; EHLO would list them)",
            "Mulai pesan: MAIL FROM:<ani@alpha.example> (HELO tidak menampilkan ekstensi; EHLO menampilkannya)",
        ),
        (Some(Verb::Mail), 250) => lang.pick("Now give a recipient: RCPT TO:<budi@beta.example>", "Sekarang sebutkan penerimanya: RCPT TO:<budi@beta.example>"),
        (Some(Verb::Rcpt), 250 | 251) => lang.pick(
            "Add another RCPT TO for more recipients, or type DATA to write the message.",
            "Tambah RCPT TO lagi kalau penerimanya lebih dari satu, atau ketik DATA untuk menulis pesan.",
        ),
        (Some(Verb::Data), 250) => lang.pick(
            "The message is queued. Send another with MAIL FROM, or end with QUIT.",
            "Pesan sudah masuk antrean. Kirim pesan lain dengan MAIL FROM, atau akhiri dengan QUIT.",
        ),
        (Some(Verb::Rset), 250) => lang.pick("Clean slate: start again with MAIL FROM:<ani@alpha.example>", "Transaksi dikosongkan: mulai lagi dengan MAIL FROM:<ani@alpha.example>"),
        (Some(Verb::Noop), 250) => lang.pick("The server is alive; carry on where you were.", "Server masih aktif; lanjutkan dari langkah terakhirmu."),
        (Some(Verb::Vrfy), 250 | 251) => lang.pick("That address exists; you can use it in RCPT TO.", "Alamat itu ada; kamu bisa memakainya di RCPT TO."),
        (Some(Verb::Vrfy | Verb::Rcpt), 252) => lang.pick(
            "The server will not confirm the user; just try RCPT TO with that address.",
            "Server tidak mau memastikan penggunanya; langsung saja coba RCPT TO dengan alamat itu.",
        ),
        (_, 214) => lang.pick("Pick a command from the list; HELP MAIL explains one in detail.", "Pilih perintah dari daftar; HELP MAIL menjelaskan satu perintah lebih rinci."),
        (_, 235) => lang.pick("You are logged in. Start a message: MAIL FROM:<ani@alpha.example>", "Kamu sudah login. Mulai pesan: MAIL FROM:<ani@alpha.example>"),
        (_, 334) if first_line == "VXNlcm5hbWU6" => {
            lang.pick("\"VXNlcm5hbWU6\" is base64 for \"Username:\". For ani, type YW5p", "\"VXNlcm5hbWU6\" adalah base64 dari \"Username:\". Untuk ani, ketik YW5p")
        }
        (_, 334) if first_line == "UGFzc3dvcmQ6" => lang.pick(
            "\"UGFzc3dvcmQ6\" is base64 for \"Password:\". For ani123, type YW5pMTIz",
            "\"UGFzc3dvcmQ6\" adalah base64 dari \"Password:\". Untuk ani123, ketik YW5pMTIz",
        ),
        (_, 334) => lang.pick(
            "Send base64 of \\0user\\0password, e.g. AGFuaQBhbmkxMjM= for ani; a lone * cancels.",
            "Kirim base64 dari \\0user\\0password, misalnya AGFuaQBhbmkxMjM= untuk ani; * saja untuk membatalkan.",
        ),
        (_, 354) => lang.pick(
            "Type the message: headers like Subject: Halo, an empty line, the body. End with a line holding only \".\"",
            "Ketik pesannya: header seperti Subject: Halo, satu baris kosong, lalu isi pesan. Akhiri dengan baris yang isinya hanya \".\"",
        ),
        (Some(Verb::Mail), 451) if detail == Some((7, 1)) => lang.pick(
            "This account has used up the messages its hour allows. A mail client keeps the message in its outbox and tries again after the time in the reply; or send through a server without this limit, such as your own: telnet mail.alpha.example 587",
            "Akun ini sudah menghabiskan jatah pesan jam ini. Aplikasi email menyimpan pesannya di kotak keluar lalu mencoba lagi setelah jam yang disebut di balasan; atau kirim lewat server tanpa batas ini, misalnya server milikmu sendiri: telnet mail.alpha.example 587",
        ),
        (_, 452) if detail == Some((5, 3)) => lang.pick(
            "Send this message now with DATA, and put the other recipients in a second message.",
            "Kirim pesan ini dulu dengan DATA, lalu masukkan penerima sisanya ke pesan kedua.",
        ),
        (_, 452) if detail == Some((2, 2)) => lang.pick(
            "That mailbox is full. Try again later, or reach the person another way.",
            "Kotak surat itu penuh. Coba lagi nanti, atau hubungi orangnya lewat cara lain.",
        ),
        (_, 500) if first_line.starts_with("Line too long") => {
            lang.pick("Keep each command line under 512 octets and send it again.", "Buat setiap baris perintah kurang dari 512 oktet, lalu kirim ulang.")
        }
        (_, 500) => lang.pick("Check the spelling of the command; HELP lists the ones this server knows.", "Periksa ejaan perintahnya; HELP menampilkan perintah yang dikenal server ini."),
        (Some(Verb::Auth), 501) => lang.pick(
            "The login was cancelled. Start again: AUTH PLAIN AGFuaQBhbmkxMjM=",
            "Login dibatalkan. Ulangi dari awal: AUTH PLAIN AGFuaQBhbmkxMjM=",
        ),
        (_, 501) if matches!(detail, Some((1, _))) => lang.pick(
            "Fix the address: local-part@domain inside angle brackets, e.g. <budi@beta.example>.",
            "Perbaiki alamatnya: local-part@domain di dalam kurung sudut, misalnya <budi@beta.example>.",
        ),
        (Some(verb), 501) => {
            return lang.pick(format!("Follow the syntax: {}", verb.syntax()), format!("Ikuti aturan penulisan: {}", verb.syntax()));
        }
        (Some(Verb::StartTls), 502) => lang.pick(
            "Carry on without TLS here. A real server on port 587 wants STARTTLS before AUTH.",
            "Lanjutkan tanpa TLS di sini. Server sungguhan di port 587 meminta STARTTLS sebelum AUTH.",
        ),
        (Some(Verb::Auth), 502) => lang.pick(
            "AUTH is for the submission port. Connect there: telnet mail.alpha.example 587",
            "AUTH dipakai di port submission. Sambung ke sana: telnet mail.alpha.example 587",
        ),
        (_, 502) => lang.pick("This server does not offer that command; HELP lists what it does offer.", "Server ini tidak menyediakan perintah itu; HELP menampilkan yang tersedia."),
        (Some(Verb::Mail), 503) => lang.pick(
            "Say EHLO first; if a message is already open, finish it with DATA or cancel it with RSET.",
            "Sapa dulu dengan EHLO; kalau masih ada pesan yang terbuka, selesaikan dengan DATA atau batalkan dengan RSET.",
        ),
        (Some(Verb::Rcpt), 503) => lang.pick("Give the sender first: MAIL FROM:<ani@alpha.example>, then RCPT TO.", "Sebutkan pengirimnya dulu: MAIL FROM:<ani@alpha.example>, baru RCPT TO."),
        (Some(Verb::Data), 503) => lang.pick(
            "DATA needs MAIL FROM and at least one accepted RCPT TO first.",
            "DATA baru bisa setelah MAIL FROM dan minimal satu RCPT TO yang diterima.",
        ),
        (Some(Verb::Auth), 503) => lang.pick(
            "AUTH goes once per session, after EHLO and before MAIL FROM.",
            "AUTH cukup sekali per sesi, setelah EHLO dan sebelum MAIL FROM.",
        ),
        (_, 503) => lang.pick("The order is EHLO, MAIL FROM, RCPT TO, DATA.", "Urutannya: EHLO, MAIL FROM, RCPT TO, DATA."),
        (Some(Verb::Help), 504) => lang.pick("Type HELP alone for the list of commands.", "Ketik HELP saja untuk melihat daftar perintah."),
        (Some(Verb::Auth), 504) => lang.pick("Use a mechanism the server offers: AUTH PLAIN or AUTH LOGIN.", "Pakai cara login yang ditawarkan server: AUTH PLAIN atau AUTH LOGIN."),
        (_, 530) => lang.pick(
            "Log in first: AUTH PLAIN AGFuaQBhbmkxMjM= (that is \\0ani\\0ani123 in base64).",
            "Login dulu: AUTH PLAIN AGFuaQBhbmkxMjM= (itu base64 dari \\0ani\\0ani123).",
        ),
        (_, 535) => lang.pick(
            "Check the user name and password, then encode again: \\0ani\\0ani123 is AGFuaQBhbmkxMjM=",
            "Periksa nama pengguna dan kata sandinya, lalu encode ulang: \\0ani\\0ani123 menjadi AGFuaQBhbmkxMjM=",
        ),
        (Some(Verb::Expn), 550) => lang.pick(
            "There are no mailing lists here; name each person with RCPT TO.",
            "Di server ini tidak ada milis; sebutkan setiap penerima dengan RCPT TO.",
        ),
        (_, 550 | 554) if detail == Some((7, 1)) => lang.pick(
            "This server only takes mail for its own domains. To send elsewhere, use your own server on port 587 with AUTH.",
            "Server ini hanya menerima surat untuk domainnya sendiri. Untuk mengirim ke domain lain, pakai server milikmu di port 587 dengan AUTH.",
        ),
        (_, 550) if detail == Some((6, 0)) => lang.pick(
            "Send the message again with every line ending in CRLF and at most 1000 octets long.",
            "Kirim ulang pesannya dengan setiap baris diakhiri CRLF dan panjangnya paling banyak 1000 oktet.",
        ),
        (_, 550 | 551 | 553) => lang.pick(
            "Check the address for typos; VRFY budi asks whether a user exists.",
            "Periksa lagi alamatnya, siapa tahu salah ketik; VRFY budi bisa dipakai untuk mengecek apakah penggunanya ada.",
        ),
        (_, 552) => lang.pick(
            "Make the message smaller; the limit is the number after SIZE in the EHLO reply.",
            "Perkecil pesannya; batasnya adalah angka setelah SIZE di balasan EHLO.",
        ),
        (_, 555 | 455) => lang.pick("Leave out the parameters the server does not know.", "Hapus parameter yang tidak dikenal server."),
        (_, 556) => lang.pick("That domain accepts no mail at all; nothing sent there will arrive.", "Domain itu sama sekali tidak menerima surat; pesan ke sana tidak akan sampai."),
        (_, 554) => lang.pick(
            "The server refused this transaction; read its text, fix the cause, and start again with MAIL FROM.",
            "Server menolak transaksi ini; baca teks balasannya, perbaiki penyebabnya, lalu mulai lagi dengan MAIL FROM.",
        ),
        _ => match code / 100 {
            2 => lang.pick("Carry on with the next command.", "Lanjutkan ke perintah berikutnya."),
            3 => lang.pick("Send what the server asks for.", "Kirim yang diminta server."),
            4 => lang.pick("Wait a little and send the same command again.", "Tunggu sebentar, lalu kirim lagi perintah yang sama."),
            _ => lang.pick("Read the reply text, change the command, and try again.", "Baca teks balasannya, ubah perintahnya, lalu coba lagi."),
        },
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::smtp::reply::ReplyCode;

    fn reply(code: u16, status: Option<EnhancedStatus>, text: &str) -> Reply {
        Reply::new(ReplyCode::new(code).expect("code"), status, text)
    }

    fn next(
        code: u16,
        status: Option<EnhancedStatus>,
        text: &str,
        answered: Option<Verb>,
    ) -> String {
        explain(&reply(code, status, text), answered, Lang::En).next_step
    }

    #[test]
    fn code_part_names_the_class_and_the_code() {
        let explanation = explain(
            &reply(550, Some(EnhancedStatus::BAD_DESTINATION_MAILBOX), "x"),
            Some(Verb::Rcpt),
            Lang::En,
        );
        assert!(explanation.code.starts_with("5xx: permanent failure"));
        assert!(explanation.code.contains("550: mailbox unavailable"));
        let explanation = explain(&reply(354, None, "go"), Some(Verb::Data), Lang::Id);
        assert!(explanation.code.starts_with("3xx: lanjutkan"));
    }

    #[test]
    fn every_code_the_server_sends_has_its_own_meaning() {
        for code in [
            214, 220, 221, 235, 250, 252, 334, 354, 421, 450, 451, 452, 454, 500, 501, 502, 503,
            504, 530, 535, 550, 551, 552, 553, 554, 555,
        ] {
            assert!(code_meaning(code).is_some(), "{code}");
        }
        let odd = explain(&reply(299, None, ""), None, Lang::En);
        assert!(odd.code.contains("no standard meaning"));
    }

    #[test]
    fn status_part_uses_rfc_3463_titles() {
        let explanation = explain(
            &reply(550, Some(EnhancedStatus::BAD_DESTINATION_MAILBOX), "x"),
            Some(Verb::Rcpt),
            Lang::En,
        );
        assert_eq!(explanation.status.as_deref(), Some("5.1.1 = class 5 (Permanent failure), subject 1 (Addressing): Bad destination mailbox address."));
        let explanation = explain(
            &reply(452, Some(EnhancedStatus::MAILBOX_FULL), "x"),
            Some(Verb::Rcpt),
            Lang::Id,
        );
        assert_eq!(
            explanation.status.as_deref(),
            Some("4.2.2 = kelas 4 (Gagal sementara), subjek 2 (Kotak surat): Kotak surat penuh.")
        );
        assert_eq!(
            explain(&reply(354, None, ""), Some(Verb::Data), Lang::En).status,
            None
        );
    }

    #[test]
    fn next_step_after_greeting_is_ehlo() {
        assert!(next(220, None, "mx1.beta.example ESMTP", None)
            .contains("EHLO laptop-ani.alpha.example"));
    }

    #[test]
    fn next_step_after_ehlo_depends_on_auth_being_offered() {
        let relay = Reply::multiline(
            ReplyCode::new(250).expect("code"),
            None,
            ["mx1 greets x", "PIPELINING"],
        );
        assert!(explain(&relay, Some(Verb::Ehlo), Lang::En)
            .next_step
            .contains("MAIL FROM:<"));
        let submission = Reply::multiline(
            ReplyCode::new(250).expect("code"),
            None,
            ["mail greets x", "AUTH PLAIN LOGIN"],
        );
        assert!(explain(&submission, Some(Verb::Ehlo), Lang::En)
            .next_step
            .contains("AUTH PLAIN AGFuaQBhbmkxMjM="));
    }

    #[test]
    fn next_step_follows_the_transaction() {
        assert!(
            next(250, Some(EnhancedStatus::SENDER_OK), "ok", Some(Verb::Mail))
                .contains("RCPT TO:<budi@beta.example>")
        );
        let after_rcpt = next(
            250,
            Some(EnhancedStatus::DESTINATION_VALID),
            "ok",
            Some(Verb::Rcpt),
        );
        assert!(after_rcpt.contains("RCPT TO") && after_rcpt.contains("DATA"));
        assert!(next(354, None, "go", Some(Verb::Data)).contains("\".\""));
        assert!(next(250, Some(EnhancedStatus::OK), "queued", Some(Verb::Data)).contains("QUIT"));
    }

    #[test]
    fn next_step_for_errors_teaches_the_fix() {
        assert!(next(
            503,
            Some(EnhancedStatus::INVALID_COMMAND),
            "",
            Some(Verb::Data)
        )
        .contains("RCPT TO"));
        assert!(next(
            501,
            Some(EnhancedStatus::SYNTAX_ERROR),
            "",
            Some(Verb::Mail)
        )
        .contains("MAIL FROM:<reverse-path>"));
        assert!(next(
            550,
            Some(EnhancedStatus::BAD_DESTINATION_MAILBOX),
            "",
            Some(Verb::Rcpt)
        )
        .contains("VRFY"));
        assert!(next(
            554,
            Some(EnhancedStatus::NOT_AUTHORIZED),
            "",
            Some(Verb::Rcpt)
        )
        .contains("587"));
        assert!(next(
            530,
            Some(EnhancedStatus::SECURITY_OTHER),
            "",
            Some(Verb::Mail)
        )
        .contains("AUTH"));
        assert!(next(
            452,
            Some(EnhancedStatus::TOO_MANY_RECIPIENTS),
            "",
            Some(Verb::Rcpt)
        )
        .contains("second message"));
        assert!(next(
            552,
            Some(EnhancedStatus::MESSAGE_TOO_BIG),
            "",
            Some(Verb::Data)
        )
        .contains("SIZE"));
        let limit = next(
            451,
            Some(EnhancedStatus::REFUSED_FOR_NOW),
            "Sending limit reached",
            Some(Verb::Mail),
        );
        assert!(
            limit.contains("tries again") && limit.contains("587"),
            "{limit}"
        );
        assert!(!next(
            451,
            Some(EnhancedStatus::new(4, 3, 0)),
            "",
            Some(Verb::Mail)
        )
        .contains("outbox"));
    }

    #[test]
    fn next_step_after_quit_reconnects_to_the_same_host() {
        assert!(next(
            221,
            Some(EnhancedStatus::OK),
            "mx1.beta.example Service closing",
            Some(Verb::Quit)
        )
        .contains("telnet mx1.beta.example 25"));
        assert!(
            next(421, Some(EnhancedStatus::SYSTEM_NOT_ACCEPTING), "bye", None)
                .contains("telnet HOST 25")
        );
    }

    #[test]
    fn next_step_decodes_login_challenges() {
        assert!(next(334, None, "VXNlcm5hbWU6", Some(Verb::Auth)).contains("Username:"));
        assert!(next(334, None, "UGFzc3dvcmQ6", Some(Verb::Auth)).contains("Password:"));
    }

    #[test]
    fn indonesian_keeps_protocol_keywords() {
        let id = explain(
            &reply(250, Some(EnhancedStatus::SENDER_OK), "ok"),
            Some(Verb::Mail),
            Lang::Id,
        );
        assert!(id.next_step.contains("RCPT TO:<budi@beta.example>"));
        assert!(id.next_step.starts_with("Sekarang"));
        let en = explain(
            &reply(250, Some(EnhancedStatus::SENDER_OK), "ok"),
            Some(Verb::Mail),
            Lang::En,
        );
        assert_ne!(en, id);
    }

    #[test]
    fn both_languages_explain_every_pair_differently() {
        let cases = [
            (220, None),
            (221, Some(Verb::Quit)),
            (250, Some(Verb::Rset)),
            (354, Some(Verb::Data)),
            (503, Some(Verb::Auth)),
            (550, Some(Verb::Expn)),
            (599, None),
        ];
        for (code, verb) in cases {
            let en = explain(&reply(code, None, "x"), verb, Lang::En);
            let id = explain(&reply(code, None, "x"), verb, Lang::Id);
            assert_ne!(en.code, id.code, "{code}");
            assert_ne!(en.next_step, id.next_step, "{code}");
        }
    }
}
