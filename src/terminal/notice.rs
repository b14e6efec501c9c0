//! What the learner's own machine says in the terminal (as opposed to what a server replies),
//! in English and Bahasa Indonesia. Kept as typed values so switching language re-renders them.

use crate::lang::Lang;
use crate::proto::smtp::Verb;
use crate::sim::default_world::SMTP_SERVICES;

/// One message from the local machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Welcome,
    Help,
    Connecting {
        host: String,
        port: u16,
        address: String,
    },
    UnknownHost {
        host: String,
    },
    ConnectionRefused {
        host: String,
        port: u16,
    },
    ConnectUsage,
    AlreadyConnected {
        host: String,
    },
    NotConnected,
    SmtpWhileDisconnected(Verb),
    UnknownLocal(String),
    ConnectionClosed {
        host: String,
    },
    Disconnected {
        host: String,
    },
    DotUnstuffed {
        line: usize,
    },
    Delivered {
        queue_id: String,
        recipients: Vec<String>,
    },
    QueuedForRelay {
        queue_id: String,
        recipients: Vec<String>,
    },
}

fn services_list() -> String {
    SMTP_SERVICES
        .iter()
        .map(|(host, port)| format!("  telnet {host} {port}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Notice {
    /// The text to show, in `lang`. May span several lines.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Welcome => lang.pick(
                format!("Welcome to Kurir. You are on laptop-ani. Connect to a mail server and speak SMTP yourself:\n{}\nType help for more.", services_list()),
                format!("Selamat datang di Kurir. Kamu sedang memakai laptop-ani. Sambungkan ke server surat dan cobalah berbicara SMTP sendiri:\n{}\nKetik help untuk bantuan.", services_list()),
            ),
            Notice::Help => lang.pick(
                format!(
                    "Commands on this machine:\n  telnet HOST PORT   open a connection (also: connect HOST PORT)\n  clear              clear the screen (Ctrl+L)\n  help               this text\nServers you can reach:\n{}\n  mx1.beta.example:25 is beta's mail exchanger: it takes mail for budi and dewi from anyone.\n  mail.alpha.example:587 is alpha's submission server: log in (AUTH) as ani/ani123 or citra/citra123, then send anywhere.\nOnce connected, every line goes to the server: EHLO, MAIL FROM, RCPT TO, DATA, QUIT …\nKeys: ↑/↓ history, Tab completes, Esc leaves the prompt.",
                    services_list()
                ),
                format!(
                    "Perintah di komputer ini:\n  telnet HOST PORT   membuka koneksi (bisa juga: connect HOST PORT)\n  clear              membersihkan layar (Ctrl+L)\n  help               teks ini\nServer yang bisa dihubungi:\n{}\n  mx1.beta.example:25 adalah mail exchanger milik beta: menerima surat untuk budi dan dewi dari siapa saja.\n  mail.alpha.example:587 adalah server submission milik alpha: login (AUTH) sebagai ani/ani123 atau citra/citra123, lalu kirim ke mana saja.\nSetelah terhubung, setiap baris dikirim ke server: EHLO, MAIL FROM, RCPT TO, DATA, QUIT …\nTombol: ↑/↓ riwayat, Tab melengkapi, Esc keluar dari prompt.",
                    services_list()
                ),
            ),
            Notice::Connecting { host, port, address } => lang.pick(
                format!("Trying {address}...\nConnected to {host} ({address}) port {port}. Everything you type now goes to the server."),
                format!("Mencoba {address}...\nTerhubung ke {host} ({address}) port {port}. Semua yang kamu ketik sekarang dikirim ke server."),
            ),
            Notice::UnknownHost { host } => lang.pick(
                format!("telnet: could not resolve {host}: Name or service not known. Known mail servers:\n{}", services_list()),
                format!("telnet: nama {host} tidak dapat di-resolve (tidak dikenal). Server surat yang ada:\n{}", services_list()),
            ),
            Notice::ConnectionRefused { host, port } => lang.pick(
                format!("telnet: Unable to connect to {host} port {port}: Connection refused. No SMTP service listens there. Try:\n{}", services_list()),
                format!("telnet: Tidak bisa terhubung ke {host} port {port}: koneksi ditolak. Tidak ada layanan SMTP di sana. Coba:\n{}", services_list()),
            ),
            Notice::ConnectUsage => lang.pick(
                "Usage: telnet HOST PORT   for example: telnet mx1.beta.example 25".to_string(),
                "Cara pakai: telnet HOST PORT   contohnya: telnet mx1.beta.example 25".to_string(),
            ),
            Notice::AlreadyConnected { host } => lang.pick(
                format!("Already connected to {host}. Send QUIT to close this connection first."),
                format!("Masih terhubung ke {host}. Kirim QUIT untuk menutup koneksi ini dulu."),
            ),
            Notice::NotConnected => lang.pick(
                "No connection is open, so there is nothing to quit. Open one with: telnet mx1.beta.example 25".to_string(),
                "Tidak ada koneksi yang terbuka, jadi tidak ada yang perlu ditutup. Buka koneksi dengan: telnet mx1.beta.example 25".to_string(),
            ),
            Notice::SmtpWhileDisconnected(verb) => lang.pick(
                format!("{} is an SMTP command, but no server is listening yet. Connect first: telnet mx1.beta.example 25", verb.keyword()),
                format!("{} adalah perintah SMTP, tetapi belum ada server yang mendengarkan. Hubungkan dulu: telnet mx1.beta.example 25", verb.keyword()),
            ),
            Notice::UnknownLocal(word) => lang.pick(
                format!("{word}: command not found. Type help to see what this machine understands."),
                format!("{word}: perintah tidak dikenal. Ketik help untuk melihat perintah yang tersedia."),
            ),
            Notice::ConnectionClosed { host } => lang.pick(
                format!("Connection closed by {host}."),
                format!("Koneksi ditutup oleh {host}."),
            ),
            Notice::Disconnected { host } => lang.pick(
                format!("You dropped the connection to {host} without QUIT. The server forgets the unfinished transaction."),
                format!("Kamu memutus koneksi ke {host} tanpa QUIT. Server melupakan transaksi yang belum selesai."),
            ),
            Notice::DotUnstuffed { line } => lang.pick(
                format!("Line {line} starts with a dot. On the wire a client doubles it (dot-stuffing), so that a lone \".\" can only mean the end; the server removes one dot again (RFC 5321 §4.5.2)."),
                format!("Baris {line} diawali titik. Di jaringan, klien menggandakan titik itu (dot-stuffing) supaya \".\" sendirian hanya berarti akhir pesan; server membuang satu titik lagi (RFC 5321 §4.5.2)."),
            ),
            Notice::Delivered { queue_id, recipients } => lang.pick(
                format!("Message {queue_id} was put in the mailbox of {}. See it in the mailbox panel.", recipients.join(", ")),
                format!("Pesan {queue_id} dimasukkan ke kotak surat {}. Lihat di panel kotak surat.", recipients.join(", ")),
            ),
            Notice::QueuedForRelay { queue_id, recipients } => lang.pick(
                format!("Message {queue_id} waits in the outbound queue for {}: this server will look up their domain's MX and relay it.", recipients.join(", ")),
                format!("Pesan {queue_id} menunggu di antrean keluar untuk {}: server ini akan mencari MX domain tujuan lalu meneruskannya.", recipients.join(", ")),
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
            Notice::Connecting {
                host: "h".into(),
                port: 25,
                address: "192.0.2.1".into(),
            },
            Notice::UnknownHost { host: "h".into() },
            Notice::ConnectionRefused {
                host: "h".into(),
                port: 1,
            },
            Notice::ConnectUsage,
            Notice::AlreadyConnected { host: "h".into() },
            Notice::NotConnected,
            Notice::SmtpWhileDisconnected(Verb::Ehlo),
            Notice::UnknownLocal("ls".into()),
            Notice::ConnectionClosed { host: "h".into() },
            Notice::Disconnected { host: "h".into() },
            Notice::DotUnstuffed { line: 2 },
            Notice::Delivered {
                queue_id: "Q".into(),
                recipients: vec!["a@b".into()],
            },
            Notice::QueuedForRelay {
                queue_id: "Q".into(),
                recipients: vec!["a@b".into()],
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
            }
        }
    }
}
