//! What the learner's own machine says in the terminal (as opposed to what a server replies),
//! in English and Bahasa Indonesia. Kept as typed values so switching language re-renders them.

use crate::lang::Lang;
use crate::proto::smtp::Verb;
use crate::sim::default_world::{MAILBOX_SERVERS, RELAY_MESSAGES_PER_HOUR, SMTP_SERVICES};
use crate::sim::event::MailboxProtocol;

/// One message from the local machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Welcome,
    Help,
    /// The three-way handshake completed, after `handshake_micros` of simulated time.
    Connected {
        host: String,
        port: u16,
        address: String,
        handshake_micros: u64,
    },
    /// No answer to the SYN, however often it was sent (the host or the path is down).
    ConnectTimedOut {
        host: String,
        port: u16,
        address: String,
        seconds: u64,
    },
    /// laptop-ani itself is switched off.
    LearnerHostDown,
    /// The world has no laptop-ani (a scenario removed it).
    NoLearnerHost,
    /// laptop-ani has no route to the host.
    NoRoute {
        host: String,
    },
    /// The server sent something that is not an SMTP reply.
    UnreadableReply {
        detail: String,
    },
    UnknownHost {
        host: String,
    },
    ConnectionRefused {
        host: String,
        port: u16,
    },
    ConnectUsage,
    NotConnected,
    SmtpWhileDisconnected(Verb),
    /// A POP3 or IMAP command typed before connecting.
    ReadingWhileDisconnected {
        protocol: MailboxProtocol,
        command: String,
    },
    UnknownLocal(String),
    ConnectionClosed {
        host: String,
    },
    Disconnected {
        host: String,
    },
    /// The connection broke: reset by the peer, or TCP gave up retransmitting.
    ConnectionLost {
        host: String,
    },
    DotUnstuffed {
        line: usize,
    },
    /// A POP3 multi-line reply had `lines` lines that came with a doubled dot.
    DotsTakenOff {
        lines: usize,
    },
    /// An IMAP command was typed where its tag belongs: the server reads `command` as the tag.
    ImapTagMissing {
        command: String,
        example: String,
    },
    /// The server sent an IMAP literal of `size` octets (a message, mostly).
    ImapLiteral {
        size: usize,
    },
    /// IMAP IDLE began: news arrives unasked until DONE.
    Idling,
    Delivered {
        recipients: Vec<String>,
    },
    QueuedForRelay {
        queue_id: String,
    },
}

/// Microseconds as milliseconds with three decimals: `1.234`.
fn format_millis(micros: u64) -> String {
    format!("{}.{:03}", micros / 1000, micros % 1000)
}

/// Every service of the world as a `telnet` line with what it speaks, SMTP first.
fn services_list() -> String {
    let smtp = SMTP_SERVICES
        .iter()
        .map(|(host, port)| format!("  telnet {host} {port}   SMTP"));
    let reading = MAILBOX_SERVERS.iter().flat_map(|(host, _)| {
        [MailboxProtocol::Pop3, MailboxProtocol::Imap]
            .map(|protocol| format!("  telnet {host} {}   {protocol}", protocol.port()))
    });
    smtp.chain(reading).collect::<Vec<_>>().join("\n")
}

impl Notice {
    /// The text to show, in `lang`. May span several lines.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Welcome => lang.pick(
                format!("Welcome to Kurir. You are on laptop-ani. Connect to a mail server and speak its protocol yourself: SMTP sends mail, POP3 and IMAP read it.\n{}\nType help for more.", services_list()),
                format!("Selamat datang di Kurir. Kamu sedang memakai laptop-ani. Sambungkan ke server surat dan cobalah berbicara dengan protokolnya sendiri: SMTP mengirim surat, POP3 dan IMAP membacanya.\n{}\nKetik help untuk bantuan.", services_list()),
            ),
            Notice::Help => lang.pick(
                format!(
                    "Commands on this machine:\n  telnet HOST PORT   open a connection (also: connect HOST PORT)\n  clear              clear the screen (Ctrl+L)\n  help               this text\nServers you can reach:\n{}\n  mx1.beta.example:25 is beta's mail exchanger: it takes mail for budi and dewi from anyone.\n  mail.alpha.example:587 is alpha's submission server: log in (AUTH) as ani/ani123 or citra/citra123, then send anywhere.\n  relay.example:587 is a shared relay (smarthost) for many customers, ani among them: log in as ani/ani123; each account may send {RELAY_MESSAGES_PER_HOUR} messages an hour, then 451 4.7.1.\n  Port 110 (POP3) and port 143 (IMAP) read the mailboxes: budi/budi123 and dewi/dewi123 on mx1.beta.example, ani/ani123 and citra/citra123 on mail.alpha.example.\nOnce connected, every line goes to the server. SMTP: EHLO, MAIL FROM, RCPT TO, DATA, QUIT. POP3: USER budi, PASS budi123, LIST, RETR 1, DELE 1, QUIT. IMAP: a tag first, then the command: a1 LOGIN budi budi123, a2 SELECT INBOX, a3 FETCH 1 BODY[], a4 LOGOUT.\nKeys: ↑/↓ history, Tab completes, Esc leaves the prompt.",
                    services_list()
                ),
                format!(
                    "Perintah di komputer ini:\n  telnet HOST PORT   membuka koneksi (bisa juga: connect HOST PORT)\n  clear              membersihkan layar (Ctrl+L)\n  help               teks ini\nServer yang bisa dihubungi:\n{}\n  mx1.beta.example:25 adalah mail exchanger milik beta: menerima surat untuk budi dan dewi dari siapa saja.\n  mail.alpha.example:587 adalah server submission milik alpha: login (AUTH) sebagai ani/ani123 atau citra/citra123, lalu kirim ke mana saja.\n  relay.example:587 adalah relay bersama (smarthost) untuk banyak pelanggan, salah satunya ani: login sebagai ani/ani123; setiap akun boleh mengirim {RELAY_MESSAGES_PER_HOUR} pesan per jam, selebihnya 451 4.7.1.\n  Port 110 (POP3) dan port 143 (IMAP) untuk membaca kotak surat: budi/budi123 dan dewi/dewi123 di mx1.beta.example, ani/ani123 dan citra/citra123 di mail.alpha.example.\nSetelah terhubung, setiap baris dikirim ke server. SMTP: EHLO, MAIL FROM, RCPT TO, DATA, QUIT. POP3: USER budi, PASS budi123, LIST, RETR 1, DELE 1, QUIT. IMAP: tag dulu, lalu perintahnya: a1 LOGIN budi budi123, a2 SELECT INBOX, a3 FETCH 1 BODY[], a4 LOGOUT.\nTombol: ↑/↓ riwayat, Tab melengkapi, Esc keluar dari prompt.",
                    services_list()
                ),
            ),
            Notice::Connected { host, port, address, handshake_micros } => {
                let time = format_millis(*handshake_micros);
                lang.pick(
                    format!("Trying {address}...\nConnected to {host} ({address}) port {port}: the TCP three-way handshake (SYN, SYN-ACK, ACK) took {time} ms of simulated time. Everything you type now goes to the server."),
                    format!("Mencoba {address}...\nTerhubung ke {host} ({address}) port {port}: jabat tangan tiga langkah TCP (SYN, SYN-ACK, ACK) memakan {time} ms waktu simulasi. Semua yang kamu ketik sekarang dikirim ke server."),
                )
            }
            Notice::ConnectTimedOut { host, port, address, seconds } => lang.pick(
                format!("Trying {address}...\ntelnet: Unable to connect to {host} port {port}: Connection timed out. Nobody answered the SYN in {seconds} s of simulated time, though it was sent again and again: the host is switched off or the path to it is cut."),
                format!("Mencoba {address}...\ntelnet: Tidak bisa terhubung ke {host} port {port}: waktu koneksi habis. Tidak ada yang menjawab SYN selama {seconds} detik waktu simulasi, padahal sudah dikirim berulang kali: host itu mati atau jalurnya terputus."),
            ),
            Notice::LearnerHostDown => lang.pick(
                "laptop-ani is switched off, so it cannot open a connection. Switch it on first.".to_string(),
                "laptop-ani sedang mati, jadi tidak bisa membuka koneksi. Nyalakan dulu.".to_string(),
            ),
            Notice::NoLearnerHost => lang.pick(
                "This world has no laptop-ani to type on.".to_string(),
                "Dunia ini tidak punya laptop-ani untuk dipakai mengetik.".to_string(),
            ),
            Notice::NoRoute { host } => lang.pick(
                format!("telnet: {host}: No route to host. laptop-ani has no way to reach it."),
                format!("telnet: {host}: tidak ada rute ke host itu. laptop-ani tidak punya jalan untuk mencapainya."),
            ),
            Notice::UnreadableReply { detail } => lang.pick(
                format!("The server sent something that is not an SMTP reply ({detail})."),
                format!("Server mengirim sesuatu yang bukan balasan SMTP ({detail})."),
            ),
            Notice::UnknownHost { host } => lang.pick(
                format!("telnet: could not resolve {host}: Name or service not known. Known mail servers:\n{}", services_list()),
                format!("telnet: nama {host} tidak dapat di-resolve (tidak dikenal). Server surat yang ada:\n{}", services_list()),
            ),
            Notice::ConnectionRefused { host, port } => lang.pick(
                format!("telnet: Unable to connect to {host} port {port}: Connection refused. The host answered the SYN with a RST: nothing listens on that port. Try:\n{}", services_list()),
                format!("telnet: Tidak bisa terhubung ke {host} port {port}: koneksi ditolak. Host itu menjawab SYN dengan RST: tidak ada layanan yang mendengarkan di port itu. Coba:\n{}", services_list()),
            ),
            Notice::ConnectUsage => lang.pick(
                "Usage: telnet HOST PORT   for example: telnet mx1.beta.example 25".to_string(),
                "Cara pakai: telnet HOST PORT   contohnya: telnet mx1.beta.example 25".to_string(),
            ),
            Notice::NotConnected => lang.pick(
                "No connection is open, so there is nothing to quit. Open one with: telnet mx1.beta.example 25".to_string(),
                "Tidak ada koneksi yang terbuka, jadi tidak ada yang perlu ditutup. Buka koneksi dengan: telnet mx1.beta.example 25".to_string(),
            ),
            Notice::SmtpWhileDisconnected(verb) => lang.pick(
                format!("{} is an SMTP command, but no server is listening yet. Connect first: telnet mx1.beta.example 25", verb.keyword()),
                format!("{} adalah perintah SMTP, tetapi belum ada server yang mendengarkan. Hubungkan dulu: telnet mx1.beta.example 25", verb.keyword()),
            ),
            Notice::ReadingWhileDisconnected { protocol, command } => {
                let port = protocol.port();
                lang.pick(
                    format!("{command} is a {protocol} command, but no server is listening yet. Connect first: telnet mx1.beta.example {port}"),
                    format!("{command} adalah perintah {protocol}, tetapi belum ada server yang mendengarkan. Hubungkan dulu: telnet mx1.beta.example {port}"),
                )
            }
            Notice::UnknownLocal(word) => lang.pick(
                format!("{word}: command not found. Type help to see what this machine understands."),
                format!("{word}: perintah tidak dikenal. Ketik help untuk melihat perintah yang tersedia."),
            ),
            Notice::ConnectionClosed { host } => lang.pick(
                format!("Connection closed by {host}."),
                format!("Koneksi ditutup oleh {host}."),
            ),
            Notice::ConnectionLost { host } => lang.pick(
                format!("The connection to {host} broke: TCP gave up when its segments stayed unacknowledged after every retransmission, or the other end reset it. Whatever the server had not acknowledged is lost; connect again."),
                format!("Koneksi ke {host} putus: TCP menyerah karena segmennya tetap tidak di-ACK setelah dikirim ulang berkali-kali, atau ujung lainnya me-reset koneksi. Apa pun yang belum di-ACK server hilang; sambungkan lagi."),
            ),
            Notice::Disconnected { host } => lang.pick(
                format!("You dropped the connection to {host} without QUIT. The server forgets the unfinished transaction."),
                format!("Kamu memutus koneksi ke {host} tanpa QUIT. Server melupakan transaksi yang belum selesai."),
            ),
            Notice::DotUnstuffed { line } => lang.pick(
                format!("Line {line} starts with a dot. On the wire a client doubles it (dot-stuffing), so that a lone \".\" can only mean the end; the server removes one dot again (RFC 5321 §4.5.2)."),
                format!("Baris {line} diawali titik. Di jaringan, klien menggandakan titik itu (dot-stuffing) supaya \".\" sendirian hanya berarti akhir pesan; server membuang satu titik lagi (RFC 5321 §4.5.2)."),
            ),
            Notice::DotsTakenOff { lines } => lang.pick(
                format!("{lines} line(s) of this reply began with a dot. The server doubled that dot on the wire (dot-stuffing), so that a lone \".\" can only mean the end; the lines are shown here with one dot taken off again, as the message has them (RFC 1939 §3)."),
                format!("{lines} baris balasan ini diawali titik. Server menggandakan titik itu di jaringan (dot-stuffing) supaya \".\" sendirian hanya berarti akhir; di sini baris-baris itu ditampilkan dengan satu titik dibuang lagi, seperti isi pesannya (RFC 1939 §3)."),
            ),
            Notice::ImapTagMissing { command, example } => lang.pick(
                format!("This line has no tag. Every IMAP command starts with a tag you choose — a1, a2, x7 — then a space, then the command; the server puts the same tag on its answer, so you know which command it completes. The server reads {command} as the tag here. Try: {example}"),
                format!("Baris ini tidak punya tag. Setiap perintah IMAP diawali tag pilihanmu sendiri — a1, a2, x7 — lalu spasi, lalu perintahnya; server memasang tag yang sama pada jawabannya, supaya kamu tahu perintah mana yang selesai. Di sini server membaca {command} sebagai tag. Coba: {example}"),
            ),
            Notice::ImapLiteral { size } => lang.pick(
                format!("{{{size}}} at the end of a line announces a literal: exactly {size} octets follow as they are, line breaks and all, then the response goes on. This is how IMAP sends a whole message (RFC 9051 §4.3)."),
                format!("{{{size}}} di akhir baris mengumumkan sebuah literal: tepat {size} oktet menyusul apa adanya, termasuk pergantian barisnya, lalu responsnya berlanjut. Begitulah IMAP mengirim seluruh pesan (RFC 9051 §4.3)."),
            ),
            Notice::Idling => lang.pick(
                "IDLE: the server now tells you of new mail and changes as they happen (* n EXISTS, * n FETCH, * n EXPUNGE). Send budi a message from ani's mail client and watch it arrive here. Type DONE to end IDLE.".to_string(),
                "IDLE: server sekarang langsung memberi tahu surat baru dan perubahan saat terjadi (* n EXISTS, * n FETCH, * n EXPUNGE). Kirim pesan untuk budi dari klien surat ani dan lihat kabarnya muncul di sini. Ketik DONE untuk mengakhiri IDLE.".to_string(),
            ),
            Notice::Delivered { recipients } => lang.pick(
                format!("The server put the message in the mailbox of {}. See it in the mailbox panel.", recipients.join(", ")),
                format!("Server memasukkan pesan itu ke kotak surat {}. Lihat di panel kotak surat.", recipients.join(", ")),
            ),
            Notice::QueuedForRelay { queue_id } => lang.pick(
                format!("Message {queue_id} waits in this server's outbound queue: the server will look up the MX of each recipient's domain and relay it there."),
                format!("Pesan {queue_id} menunggu di antrean keluar server ini: server akan mencari MX domain setiap penerima lalu meneruskannya ke sana."),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_notice() -> Vec<Notice> {
        vec![
            Notice::Welcome,
            Notice::Help,
            Notice::Connected {
                host: "h".into(),
                port: 25,
                address: "192.0.2.1".into(),
                handshake_micros: 1_234,
            },
            Notice::ConnectTimedOut {
                host: "h".into(),
                port: 25,
                address: "192.0.2.1".into(),
                seconds: 63,
            },
            Notice::LearnerHostDown,
            Notice::NoLearnerHost,
            Notice::NoRoute { host: "h".into() },
            Notice::UnreadableReply { detail: "x".into() },
            Notice::UnknownHost { host: "h".into() },
            Notice::ConnectionRefused {
                host: "h".into(),
                port: 1,
            },
            Notice::ConnectUsage,
            Notice::NotConnected,
            Notice::SmtpWhileDisconnected(Verb::Ehlo),
            Notice::ReadingWhileDisconnected {
                protocol: MailboxProtocol::Pop3,
                command: "RETR".into(),
            },
            Notice::UnknownLocal("ls".into()),
            Notice::ConnectionClosed { host: "h".into() },
            Notice::Disconnected { host: "h".into() },
            Notice::ConnectionLost { host: "h".into() },
            Notice::DotUnstuffed { line: 2 },
            Notice::DotsTakenOff { lines: 1 },
            Notice::ImapTagMissing {
                command: "LOGIN".into(),
                example: "a1 LOGIN budi budi123".into(),
            },
            Notice::ImapLiteral { size: 12 },
            Notice::Idling,
            Notice::Delivered {
                recipients: vec!["a@b".into()],
            },
            Notice::QueuedForRelay {
                queue_id: "Q".into(),
            },
        ]
    }

    #[test]
    fn every_notice_is_written_in_both_languages() {
        for notice in every_notice() {
            let (en, id) = (notice.text(Lang::En), notice.text(Lang::Id));
            assert!(!en.is_empty() && !id.is_empty());
            assert_ne!(en, id, "{notice:?} is not translated");
        }
    }

    #[test]
    fn help_names_every_reachable_service() {
        for lang in Lang::ALL {
            let help = Notice::Help.text(lang);
            for (host, port) in SMTP_SERVICES {
                assert!(help.contains(&format!("telnet {host} {port}")));
                assert!(
                    help.contains(&format!("  {host}:{port} ")),
                    "{host}:{port} explained"
                );
            }
            for (host, _) in MAILBOX_SERVERS {
                assert!(help.contains(&format!("telnet {host} 110   POP3")));
                assert!(help.contains(&format!("telnet {host} 143   IMAP")));
            }
        }
    }
}
