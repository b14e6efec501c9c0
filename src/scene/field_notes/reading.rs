//! One-line notes for the lines of POP3 (RFC 1939) and IMAP (RFC 9051) in the inspector's
//! application layer: a client line by its command, a server line by its status.

/// A POP3 client line, by its keyword.
pub(super) fn pop3_command_note(line: &str) -> (&'static str, &'static str) {
    let keyword = line
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    match keyword.as_str() {
        "USER" => (
            "Names the mailbox to open; the password follows with PASS.",
            "Menyebut kotak surat yang ingin dibuka; password menyusul dengan PASS.",
        ),
        "PASS" => (
            "The password, sent as plain text: POP3 on port 110 does not hide it.",
            "Password, dikirim apa adanya: POP3 di port 110 tidak menyembunyikannya.",
        ),
        "APOP" => (
            "Logs in with a digest of the greeting's timestamp and the password, not the password itself.",
            "Login dengan digest dari timestamp salam server dan password, bukan password itu sendiri.",
        ),
        "STAT" => (
            "Asks how many messages the mailbox holds and their total size.",
            "Menanyakan berapa pesan di kotak surat dan total ukurannya.",
        ),
        "LIST" => (
            "Asks for each message's number and size.",
            "Meminta nomor dan ukuran setiap pesan.",
        ),
        "UIDL" => (
            "Asks for each message's unique id, which stays the same across sessions.",
            "Meminta id unik setiap pesan, yang tetap sama dari sesi ke sesi.",
        ),
        "RETR" => (
            "Downloads one whole message; it ends with a line holding only a dot.",
            "Mengunduh satu pesan utuh; diakhiri baris yang hanya berisi titik.",
        ),
        "TOP" => (
            "Downloads a message's header and the first lines of its body.",
            "Mengunduh header pesan dan beberapa baris pertama isinya.",
        ),
        "DELE" => (
            "Marks a message for deletion; it is really deleted only at QUIT.",
            "Menandai pesan untuk dihapus; baru benar-benar dihapus saat QUIT.",
        ),
        "RSET" => (
            "Unmarks every message marked for deletion in this session.",
            "Membatalkan semua tanda hapus di sesi ini.",
        ),
        "QUIT" => (
            "Ends the session: now the marked messages are deleted for good.",
            "Mengakhiri sesi: sekarang pesan yang ditandai benar-benar dihapus.",
        ),
        "CAPA" => (
            "Asks which extensions the server offers.",
            "Menanyakan ekstensi apa saja yang ditawarkan server.",
        ),
        "NOOP" => (
            "Does nothing: the server only answers +OK.",
            "Tidak melakukan apa-apa: server hanya menjawab +OK.",
        ),
        _ => (
            "A line the client sent to the POP3 server.",
            "Satu baris yang dikirim klien ke server POP3.",
        ),
    }
}

/// A POP3 server line: a status line, or a line of a multi-line answer.
pub(super) fn pop3_reply_note(line: &str) -> (&'static str, &'static str) {
    if line.starts_with("+OK") {
        (
            "+OK: the command worked; a listing or a message may follow.",
            "+OK: perintahnya berhasil; daftar atau isi pesan bisa menyusul.",
        )
    } else if line.starts_with("-ERR") {
        (
            "-ERR: the command failed; the text says why.",
            "-ERR: perintahnya gagal; teksnya menjelaskan alasannya.",
        )
    } else if line == "." {
        (
            "The end of a multi-line answer: a line with only a dot.",
            "Akhir jawaban yang panjangnya beberapa baris: baris yang hanya berisi titik.",
        )
    } else {
        (
            "A line of a listing or of a downloaded message.",
            "Satu baris daftar atau isi pesan yang diunduh.",
        )
    }
}

/// An IMAP client line: a tag the client chose, then the command.
pub(super) fn imap_command_note(line: &str) -> (&'static str, &'static str) {
    let mut words = line.split(' ').skip(1);
    let mut command = words.next().unwrap_or_default().to_ascii_uppercase();
    if command == "UID" {
        command = words.next().unwrap_or_default().to_ascii_uppercase();
    }
    match command.as_str() {
        "LOGIN" => (
            "Logs in with user and password; the tag in front pairs the answer with this command.",
            "Login dengan user dan password; tag di depan memasangkan jawaban dengan perintah ini.",
        ),
        "SELECT" | "EXAMINE" => (
            "Opens a folder; the server answers with how many messages it holds and its UIDVALIDITY.",
            "Membuka folder; server menjawab berapa pesan di dalamnya dan UIDVALIDITY-nya.",
        ),
        "FETCH" => (
            "Asks for data of messages: flags, size, header or the whole message.",
            "Meminta data pesan: flag, ukuran, header, atau pesan utuh.",
        ),
        "STORE" => (
            "Changes flags on the server, such as \\Seen for read: every device will see it.",
            "Mengubah flag di server, misalnya \\Seen untuk sudah dibaca: semua perangkat akan melihatnya.",
        ),
        "MOVE" | "COPY" => (
            "Puts messages into another folder on the server.",
            "Memindahkan pesan ke folder lain di server.",
        ),
        "EXPUNGE" => (
            "Removes for good the messages flagged \\Deleted.",
            "Menghapus permanen pesan yang diberi flag \\Deleted.",
        ),
        "CREATE" | "DELETE" | "RENAME" | "LIST" => (
            "Works with the folders kept on the server.",
            "Mengelola folder yang tersimpan di server.",
        ),
        "SEARCH" => (
            "Asks the server which messages match, without downloading them.",
            "Menanyakan ke server pesan mana yang cocok, tanpa mengunduhnya.",
        ),
        "IDLE" => (
            "Waits for the server to announce changes at once, such as new mail.",
            "Menunggu server langsung mengabarkan perubahan, misalnya surat baru.",
        ),
        "LOGOUT" => (
            "Ends the session; the mail stays on the server.",
            "Mengakhiri sesi; suratnya tetap tersimpan di server.",
        ),
        _ => (
            "A tagged command to the IMAP server.",
            "Perintah bertag untuk server IMAP.",
        ),
    }
}

/// An IMAP server line: untagged data, a request for more, or a tagged result.
pub(super) fn imap_reply_note(line: &str) -> (&'static str, &'static str) {
    let status = line.split(' ').nth(1).unwrap_or_default();
    if line.starts_with("* ") {
        (
            "An untagged line (*): data or news from the server, such as EXISTS for new mail.",
            "Baris tanpa tag (*): data atau kabar dari server, misalnya EXISTS untuk surat baru.",
        )
    } else if line.starts_with('+') {
        (
            "The server waits for more from the client.",
            "Server menunggu kelanjutan dari klien.",
        )
    } else if status == "OK" {
        (
            "The tagged result: OK, the command with this tag is done.",
            "Hasil bertag: OK, perintah dengan tag ini selesai.",
        )
    } else if status == "NO" {
        (
            "The tagged result: NO, the command was understood but failed.",
            "Hasil bertag: NO, perintahnya dipahami tetapi gagal.",
        )
    } else if status == "BAD" {
        (
            "The tagged result: BAD, the command was not understood.",
            "Hasil bertag: BAD, perintahnya tidak dipahami.",
        )
    } else {
        (
            "A line of a message the server sends.",
            "Satu baris pesan yang dikirim server.",
        )
    }
}
