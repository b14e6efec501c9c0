//! Every string the app shell shows, in English and Bahasa Indonesia.
//!
//! One struct, one constant per language: a missing string is a compile error, and nothing
//! is parsed at run time. Protocol keywords stay English in both languages.

use leptos::prelude::*;

use crate::lang::Lang;
use crate::proto::smtp::SessionState;
use crate::sim::default_world::HostRole;

/// The app shell's texts in one language.
pub struct UiText {
    pub app_title: &'static str,
    pub tagline: &'static str,
    pub skip_to_terminal: &'static str,
    pub language: &'static str,
    /// The switch that enlarges everything and gives the map the whole width, for a
    /// projector.
    pub big_screen: &'static str,
    pub terminal_heading: &'static str,
    pub terminal_log_label: &'static str,
    pub input_label: &'static str,
    pub input_hint: &'static str,
    pub data_mode_hint: &'static str,
    pub you_typed: &'static str,
    pub server_replied: &'static str,
    pub explain: &'static str,
    pub what_next: &'static str,
    pub candidates: &'static str,
    pub clear: &'static str,
    pub disconnect: &'static str,
    pub session_heading: &'static str,
    pub not_connected: &'static str,
    pub connection: &'static str,
    pub state: &'static str,
    pub sender: &'static str,
    pub null_sender: &'static str,
    pub recipients: &'static str,
    pub none_yet: &'static str,
    pub message_size: &'static str,
    pub logged_in_as: &'static str,
    pub not_logged_in: &'static str,
    pub mail_heading: &'static str,
    pub no_mail: &'static str,
    pub outbound_queue: &'static str,
    pub envelope_to: &'static str,
    pub no_subject: &'static str,
    pub octets: &'static str,
    pub footer: &'static str,
    pub map_heading: &'static str,
    pub map_label: &'static str,
    pub internet: &'static str,
    pub pick_a_host: &'static str,
    pub host_up: &'static str,
    pub host_down: &'static str,
    pub interfaces: &'static str,
    pub routing_table: &'static str,
    pub dns_records: &'static str,
    pub mailboxes: &'static str,
    pub attempts: &'static str,
    pub time_controls: &'static str,
    pub restart: &'static str,
    pub step_back: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub step: &'static str,
    pub skip_hour: &'static str,
    pub skip_hour_label: &'static str,
    pub speed: &'static str,
    pub timeline: &'static str,
    pub map_views: &'static str,
    pub mail_view: &'static str,
    pub packet_view: &'static str,
    pub hop_done: &'static str,
    pub compose_heading: &'static str,
    pub compose_from: &'static str,
    pub compose_to: &'static str,
    pub compose_subject: &'static str,
    pub compose_body: &'static str,
    pub compose_send: &'static str,
    pub compose_sent: &'static str,
    pub compose_failed: &'static str,
    pub compose_no_recipient: &'static str,
    /// The mail panel: a message read on the server (IMAP `\\Seen`), or not yet.
    pub read: &'static str,
    pub unread: &'static str,
    pub folder: &'static str,
    pub devices_heading: &'static str,
    pub devices_intro: &'static str,
    pub protocol: &'static str,
    pub keep_on_server: &'static str,
    pub check_mail: &'static str,
    pub device_empty: &'static str,
    pub device_folder_empty: &'static str,
    pub flagged: &'static str,
    /// The buttons of a message on a device: read, flag, unflag, archive, delete.
    pub device_actions: [&'static str; 5],
    pub last_session: &'static str,
    pub session_ok: &'static str,
    pub session_failed: &'static str,
    pub checking: &'static str,
    pub compare_heading: &'static str,
    pub compare_intro: &'static str,
    pub compare_caption: &'static str,
    pub compare_corner: &'static str,
    /// The rows: port, direction, where mail is kept, several devices, folders and flags,
    /// offline use.
    pub compare_rows: [&'static str; 6],
    /// Per row, the SMTP, POP3 and IMAP cells.
    pub compare_cells: [[&'static str; 3]; 6],
    pub experienced: &'static str,
    pub not_yet: &'static str,
    pub not_applicable: &'static str,
}

pub const EN: UiText = UiText {
    app_title: "Kurir",
    tagline: "Watch email travel across a small internet in your browser, and speak SMTP to its servers yourself.",
    skip_to_terminal: "Skip to the terminal",
    language: "Language",
    big_screen: "Big screen",
    terminal_heading: "Terminal on laptop-ani",
    terminal_log_label: "Terminal output",
    input_label: "Type a command",
    input_hint: "Enter sends · ↑/↓ history · Tab completes · Ctrl+L clears · Esc leaves",
    data_mode_hint: "Writing the message: headers, an empty line, the body. A line with only \".\" ends it.",
    you_typed: "You typed:",
    server_replied: "Server replied:",
    explain: "What does this mean?",
    what_next: "Try",
    candidates: "Possible completions",
    clear: "Clear screen",
    disconnect: "Drop connection",
    session_heading: "SMTP session",
    not_connected: "Not connected. Type telnet mx1.beta.example 25 to begin.",
    connection: "Connected to",
    state: "State",
    sender: "Sender (MAIL FROM)",
    null_sender: "<> (null sender, used by bounces)",
    recipients: "Recipients (RCPT TO)",
    none_yet: "none yet",
    message_size: "Message so far",
    logged_in_as: "Logged in as",
    not_logged_in: "not logged in",
    mail_heading: "Mail on the servers",
    no_mail: "No mail stored yet. When a server answers 250 to the end of your message, it shows up here.",
    outbound_queue: "Outbound queue (waiting to be relayed)",
    envelope_to: "to",
    no_subject: "(no subject)",
    octets: "octets",
    footer: "Kurir runs entirely in this tab: the hosts, routers and servers, the mailboxes and your session.",
    map_heading: "The network",
    map_label: "Map of the network: hosts grouped by domain, joined by links",
    internet: "the internet",
    pick_a_host: "Pick a host on the map to see its addresses, routes and mail.",
    host_up: "switched on",
    host_down: "switched off",
    interfaces: "Interfaces",
    routing_table: "Routing table",
    dns_records: "DNS records it serves",
    mailboxes: "Mailboxes",
    attempts: "attempt(s)",
    time_controls: "Control of time",
    restart: "↺ Restart",
    step_back: "◀ Step back",
    play: "▶ Play",
    pause: "■ Pause",
    step: "Step ▶",
    skip_hour: "+1 h",
    skip_hour_label: "+1 h: let one hour of simulated time pass",
    speed: "Speed",
    timeline: "Timeline: events so far",
    map_views: "What the map shows",
    mail_view: "Mail view",
    packet_view: "Packet view",
    hop_done: "the server took the message and added its Received: line",
    compose_heading: "Write an email (ani's mail client)",
    compose_from: "From",
    compose_to: "To",
    compose_subject: "Subject",
    compose_body: "Message",
    compose_send: "Send",
    compose_sent: "Sent to mail.alpha.example on port 587: watch it travel on the map",
    compose_failed: "Not sent",
    compose_no_recipient: "Not sent: write at least one address in To.",
    read: "read",
    unread: "unread",
    folder: "folder",
    devices_heading: "Budi's devices",
    devices_intro: "Budi reads his mail on mx1.beta.example from a laptop and a phone. Check mail with POP3 or IMAP on each and compare what each device ends up with.",
    protocol: "Protocol",
    keep_on_server: "Leave a copy on the server",
    check_mail: "Check mail",
    device_empty: "No mail on this device.",
    device_folder_empty: "No messages in this folder.",
    flagged: "flagged",
    device_actions: ["Read", "Flag", "Unflag", "Archive", "Delete"],
    last_session: "Last session",
    session_ok: "done",
    session_failed: "failed",
    checking: "Checking mail…",
    compare_heading: "SMTP, POP3 and IMAP compared",
    compare_intro: "A cell lights up with ✓ once you have seen it happen in the simulator.",
    compare_caption: "What each protocol does",
    compare_corner: "Point",
    compare_rows: [
        "Port",
        "Direction of mail",
        "Where mail is kept",
        "Several devices",
        "Folders and flags",
        "Offline use",
    ],
    compare_cells: [
        [
            "25 between servers, 587 for sending from a mail client (with login)",
            "110 (995 with TLS)",
            "143 (993 with TLS)",
        ],
        [
            "Push: the sender hands the message on to the next server",
            "Pull: the device fetches its mail from the server",
            "Pull: the device asks the server and copies what is new",
        ],
        [
            "Only on its way: it carries mail into the recipient's mailbox on the server",
            "On the device: downloaded, then usually deleted from the server",
            "On the server: the devices hold copies",
        ],
        [
            "Not its job: any device sends through its server",
            "Awkward: once one device has downloaded and deleted, the other finds nothing",
            "Made for it: what one device does, the others see at their next sync",
        ],
        [
            "None: SMTP only delivers to the mailbox",
            "Only the inbox; a read mark stays on the device that read it",
            "Folders and flags (read, flagged) live on the server",
        ],
        [
            "A server that cannot pass mail on keeps it in its queue and tries again later",
            "Downloaded mail can be read with no connection at all",
            "The device works on its copies; changes reach the server at the next connection",
        ],
    ],
    experienced: "experienced",
    not_yet: "not experienced yet",
    not_applicable: "does not apply",
};

pub const ID: UiText = UiText {
    app_title: "Kurir",
    tagline: "Lihat email berjalan melintasi internet kecil di peramban kamu, dan bicaralah SMTP sendiri dengan servernya.",
    skip_to_terminal: "Langsung ke terminal",
    language: "Bahasa",
    big_screen: "Layar besar",
    terminal_heading: "Terminal di laptop-ani",
    terminal_log_label: "Keluaran terminal",
    input_label: "Ketik perintah",
    input_hint: "Enter mengirim · ↑/↓ riwayat · Tab melengkapi · Ctrl+L membersihkan · Esc keluar",
    data_mode_hint: "Sedang menulis pesan: header, satu baris kosong, lalu isi. Baris berisi \".\" saja mengakhirinya.",
    you_typed: "Kamu mengetik:",
    server_replied: "Balasan server:",
    explain: "Apa artinya?",
    what_next: "Coba",
    candidates: "Pilihan pelengkap",
    clear: "Bersihkan layar",
    disconnect: "Putuskan koneksi",
    session_heading: "Sesi SMTP",
    not_connected: "Belum terhubung. Ketik telnet mx1.beta.example 25 untuk mulai.",
    connection: "Terhubung ke",
    state: "Status",
    sender: "Pengirim (MAIL FROM)",
    null_sender: "<> (pengirim kosong, dipakai oleh bounce)",
    recipients: "Penerima (RCPT TO)",
    none_yet: "belum ada",
    message_size: "Pesan sejauh ini",
    logged_in_as: "Login sebagai",
    not_logged_in: "belum login",
    mail_heading: "Surat di server",
    no_mail: "Belum ada surat yang tersimpan. Begitu server menjawab 250 di akhir pesanmu, surat itu muncul di sini.",
    outbound_queue: "Antrean keluar (menunggu diteruskan)",
    envelope_to: "untuk",
    no_subject: "(tanpa subjek)",
    octets: "oktet",
    footer: "Kurir berjalan sepenuhnya di tab ini: host, router, server, kotak surat, dan sesimu.",
    map_heading: "Jaringan",
    map_label: "Peta jaringan: host dikelompokkan per domain, dihubungkan oleh link",
    internet: "internet",
    pick_a_host: "Pilih sebuah host di peta untuk melihat alamat, rute, dan suratnya.",
    host_up: "menyala",
    host_down: "mati",
    interfaces: "Antarmuka jaringan",
    routing_table: "Tabel routing",
    dns_records: "Record DNS yang dilayaninya",
    mailboxes: "Kotak surat",
    attempts: "kali percobaan",
    time_controls: "Kendali waktu",
    restart: "↺ Ulang",
    step_back: "◀ Mundur",
    play: "▶ Jalankan",
    pause: "■ Jeda",
    step: "Maju ▶",
    skip_hour: "+1 jam",
    skip_hour_label: "+1 jam: lewati satu jam waktu simulasi",
    speed: "Kecepatan",
    timeline: "Lini masa: peristiwa sejauh ini",
    map_views: "Yang ditampilkan peta",
    mail_view: "Tampilan surat",
    packet_view: "Tampilan paket",
    hop_done: "server menerima pesan itu dan menambahkan baris Received: miliknya",
    compose_heading: "Tulis email (klien surat milik ani)",
    compose_from: "Dari",
    compose_to: "Kepada",
    compose_subject: "Subjek",
    compose_body: "Pesan",
    compose_send: "Kirim",
    compose_sent: "Terkirim ke mail.alpha.example di port 587: lihat perjalanannya di peta",
    compose_failed: "Tidak terkirim",
    compose_no_recipient: "Tidak terkirim: tulis paling sedikit satu alamat di Kepada.",
    read: "sudah dibaca",
    unread: "belum dibaca",
    folder: "folder",
    devices_heading: "Perangkat milik Budi",
    devices_intro: "Budi membaca suratnya di mx1.beta.example dari laptop dan ponsel. Periksa surat dengan POP3 atau IMAP di masing-masing perangkat, lalu bandingkan apa yang ada di tiap perangkat.",
    protocol: "Protokol",
    keep_on_server: "Simpan salinan di server",
    check_mail: "Periksa surat",
    device_empty: "Belum ada surat di perangkat ini.",
    device_folder_empty: "Tidak ada pesan di folder ini.",
    flagged: "ditandai",
    device_actions: ["Baca", "Tandai", "Lepas tanda", "Arsipkan", "Hapus"],
    last_session: "Sesi terakhir",
    session_ok: "berhasil",
    session_failed: "gagal",
    checking: "Sedang memeriksa surat…",
    compare_heading: "Membandingkan SMTP, POP3, dan IMAP",
    compare_intro: "Sel akan menyala dengan tanda ✓ setelah kamu melihatnya sendiri terjadi di simulator.",
    compare_caption: "Apa yang dilakukan tiap protokol",
    compare_corner: "Hal",
    compare_rows: [
        "Port",
        "Arah surat",
        "Tempat surat disimpan",
        "Beberapa perangkat",
        "Folder dan tanda",
        "Dipakai tanpa koneksi",
    ],
    compare_cells: [
        [
            "25 antarserver, 587 untuk mengirim dari aplikasi surel (dengan login)",
            "110 (995 dengan TLS)",
            "143 (993 dengan TLS)",
        ],
        [
            "Dorong (push): pengirim menyerahkan pesan ke server berikutnya",
            "Tarik (pull): perangkat mengambil suratnya dari server",
            "Tarik (pull): perangkat bertanya ke server lalu menyalin yang baru",
        ],
        [
            "Hanya dalam perjalanan: SMTP mengantar surat ke kotak surat penerima di server",
            "Di perangkat: diunduh, lalu biasanya dihapus dari server",
            "Di server: perangkat hanya menyimpan salinannya",
        ],
        [
            "Bukan tugasnya: perangkat mana pun mengirim lewat servernya",
            "Merepotkan: setelah satu perangkat mengunduh lalu menghapus, perangkat lain tidak menemukan apa-apa",
            "Memang dirancang untuk itu: apa yang dilakukan satu perangkat terlihat di perangkat lain saat sinkron berikutnya",
        ],
        [
            "Tidak ada: SMTP hanya mengantar sampai ke kotak surat",
            "Hanya kotak masuk; tanda sudah dibaca tersimpan di perangkat yang membacanya saja",
            "Folder dan tanda (sudah dibaca, ditandai) tersimpan di server",
        ],
        [
            "Server yang belum bisa meneruskan surat menyimpannya di antrean dan mencoba lagi nanti",
            "Surat yang sudah diunduh bisa dibaca tanpa koneksi sama sekali",
            "Perangkat bekerja dengan salinannya; perubahan sampai ke server saat terhubung lagi",
        ],
    ],
    experienced: "sudah kamu alami",
    not_yet: "belum kamu alami",
    not_applicable: "tidak berlaku",
};

/// The texts for `lang`.
pub fn text(lang: Lang) -> &'static UiText {
    match lang {
        Lang::En => &EN,
        Lang::Id => &ID,
    }
}

/// A UI string that follows the language. Every label goes through this one closure type, so
/// the view code that keeps a text up to date is compiled once, not once per label.
pub(super) fn tr(
    lang: RwSignal<Lang>,
    pick: fn(&UiText) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(text(lang.get()))
}

/// What a host does, as the map names it.
pub fn role_label(role: HostRole, lang: Lang) -> &'static str {
    match role {
        HostRole::MailClient => lang.pick("mail client", "klien surat"),
        HostRole::MailServer => lang.pick("mail server", "server surat"),
        HostRole::Router => lang.pick("router", "router"),
        HostRole::Dns => lang.pick("DNS server", "server DNS"),
    }
}

/// The session state as a learner reads it.
pub fn state_label(state: SessionState, lang: Lang) -> &'static str {
    match state {
        SessionState::Greeted => lang.pick("greeted — say EHLO", "sudah disapa — kirim EHLO"),
        SessionState::Ready => lang.pick(
            "ready — no mail transaction yet",
            "siap — belum ada transaksi surat",
        ),
        SessionState::Authenticating => lang.pick("logging in (AUTH)", "sedang login (AUTH)"),
        SessionState::MailFrom => lang.pick(
            "sender given — add recipients",
            "pengirim diterima — tambahkan penerima",
        ),
        SessionState::RcptTo => lang.pick(
            "recipients given — more, or DATA",
            "penerima diterima — tambah lagi, atau DATA",
        ),
        SessionState::Data => {
            lang.pick("receiving the message (DATA)", "menerima isi pesan (DATA)")
        }
        SessionState::Closed => lang.pick("closed", "ditutup"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_label_in_both_languages() {
        let states = [
            SessionState::Greeted,
            SessionState::Ready,
            SessionState::Authenticating,
            SessionState::MailFrom,
            SessionState::RcptTo,
            SessionState::Data,
            SessionState::Closed,
        ];
        for state in states {
            assert_ne!(state_label(state, Lang::En), state_label(state, Lang::Id));
        }
    }

    #[test]
    fn the_two_languages_differ_where_they_should() {
        assert_ne!(EN.tagline, ID.tagline);
        assert_ne!(EN.not_connected, ID.not_connected);
        assert_eq!(EN.app_title, ID.app_title);
    }
}
