//! One line per header field and layer that says what it is for, in English and Bahasa
//! Indonesia, as the layer inspector shows beside each field of the dissector
//! ([`crate::wire::layers`]). The notes follow the specifications: Ethernet II (RFC 894), ARP
//! (RFC 826), IPv4 (RFC 791, 2474, 3168), TCP (RFC 9293), UDP (RFC 768), DNS (RFC 1035), SMTP
//! (RFC 5321, 4954), and POP3 (RFC 1939) and IMAP (RFC 9051) in `reading`.

use crate::lang::Lang;
use crate::wire::layers::LayerKind;

mod reading;

/// The layer's name in the five-layer model.
pub fn layer_name(kind: LayerKind, lang: Lang) -> &'static str {
    match kind {
        LayerKind::Application => lang.pick("Application", "Aplikasi"),
        LayerKind::Transport => "Transport",
        LayerKind::Network => lang.pick("Network", "Jaringan"),
        LayerKind::DataLink => "Data link",
        LayerKind::Physical => lang.pick("Physical", "Fisik"),
    }
}

/// What the layer does, in one line.
pub fn layer_note(kind: LayerKind, lang: Lang) -> &'static str {
    match kind {
        LayerKind::Application => lang.pick(
            "What the programs say to each other: here the mail conversation or the DNS question.",
            "Apa yang dikatakan program satu sama lain: di sini percakapan email atau pertanyaan DNS.",
        ),
        LayerKind::Transport => lang.pick(
            "Carries data between two programs, chosen by port; TCP also numbers every byte so none is lost.",
            "Membawa data antara dua program, dipilih lewat port; TCP juga memberi nomor setiap byte agar tidak ada yang hilang.",
        ),
        LayerKind::Network => lang.pick(
            "Carries the packet from the first sender to the last receiver, across routers, by IP address.",
            "Membawa paket dari pengirim pertama sampai penerima terakhir, melewati router, berdasarkan alamat IP.",
        ),
        LayerKind::DataLink => lang.pick(
            "Carries the frame across one link only, from one MAC address to the next.",
            "Membawa frame hanya melewati satu link, dari satu alamat MAC ke alamat MAC berikutnya.",
        ),
        LayerKind::Physical => lang.pick(
            "Sends the frame as bits over the cable or the air.",
            "Mengirim frame sebagai bit lewat kabel atau udara.",
        ),
    }
}

/// The note for field `name` of `protocol` whose value is `value`; empty for an unknown field.
pub fn field_note(protocol: &str, name: &str, value: &str, lang: Lang) -> &'static str {
    let (en, id) = match (protocol, name) {
        ("Physical", "Frame length") => (
            "How many bytes the frame has, as a capture shows it (without preamble and frame check sequence).",
            "Berapa byte panjang frame ini, seperti yang terlihat di capture (tanpa preamble dan frame check sequence).",
        ),
        ("Physical", "Bits") => (
            "The physical layer sends the frame as bits: 8 for every byte, one after another.",
            "Lapisan fisik mengirim frame sebagai bit: 8 untuk setiap byte, satu per satu.",
        ),
        ("Physical", "Time on the wire") => (
            "How long the sender needs to put every bit on this link: the bits divided by the link's speed.",
            "Berapa lama pengirim butuh untuk menaruh semua bit di link ini: jumlah bit dibagi kecepatan link.",
        ),
        ("Ethernet II", "Destination") => (
            "The MAC address of the next machine on this link; it changes at every hop, unlike the IP addresses.",
            "Alamat MAC mesin berikutnya di link ini; alamat ini berganti di setiap hop, tidak seperti alamat IP.",
        ),
        ("Ethernet II", "Source") => (
            "The MAC address of the interface that put the frame on this link; a router writes its own here.",
            "Alamat MAC antarmuka yang menaruh frame di link ini; router menulis alamat MAC-nya sendiri di sini.",
        ),
        ("Ethernet II", "Type") => (
            "Which protocol is inside: 0x0800 is IPv4, 0x0806 is ARP.",
            "Protokol apa yang ada di dalamnya: 0x0800 adalah IPv4, 0x0806 adalah ARP.",
        ),
        ("Ethernet II", "Padding") => (
            "Zero bytes that fill a short frame up to Ethernet's minimum of 60 bytes.",
            "Byte nol yang mengisi frame pendek sampai batas minimum Ethernet, 60 byte.",
        ),
        ("ARP", "Hardware type") => (
            "1 means Ethernet: the kind of link address being asked for.",
            "1 berarti Ethernet: jenis alamat link yang ditanyakan.",
        ),
        ("ARP", "Protocol type") => (
            "0x0800: the address to resolve is an IPv4 address.",
            "0x0800: alamat yang dicari adalah alamat IPv4.",
        ),
        ("ARP", "Hardware size") => (
            "A MAC address is 6 bytes long.",
            "Alamat MAC panjangnya 6 byte.",
        ),
        ("ARP", "Protocol size") => (
            "An IPv4 address is 4 bytes long.",
            "Alamat IPv4 panjangnya 4 byte.",
        ),
        ("ARP", "Operation") => (
            "1 is a request (who has this IP address?), 2 is a reply (it is at this MAC).",
            "1 adalah permintaan (siapa punya alamat IP ini?), 2 adalah balasan (ada di MAC ini).",
        ),
        ("ARP", "Sender MAC address") => (
            "The MAC address of the machine that asks or answers.",
            "Alamat MAC mesin yang bertanya atau menjawab.",
        ),
        ("ARP", "Sender IP address") => (
            "The IP address of the machine that asks or answers.",
            "Alamat IP mesin yang bertanya atau menjawab.",
        ),
        ("ARP", "Target MAC address") => (
            "In a request still unknown (all zeros): finding it is the whole point of ARP.",
            "Pada permintaan masih belum diketahui (semua nol): justru itulah yang dicari ARP.",
        ),
        ("ARP", "Target IP address") => (
            "The IP address whose MAC address the asker wants to know.",
            "Alamat IP yang alamat MAC-nya ingin diketahui si penanya.",
        ),
        ("ARP", "Meaning") => (
            "The whole ARP packet in words.",
            "Seluruh paket ARP dalam kata-kata.",
        ),
        ("IPv4", "Version") => (
            "4 for IPv4: the first half byte tells a router how to read the rest.",
            "4 untuk IPv4: setengah byte pertama memberi tahu router cara membaca sisanya.",
        ),
        ("IPv4", "Header length") => (
            "The header's size in 4-byte words: 5 words are 20 bytes, a header without options.",
            "Ukuran header dalam satuan 4 byte: 5 satuan berarti 20 byte, header tanpa opsi.",
        ),
        ("IPv4", "Differentiated services") => (
            "Priority marks (DSCP) and congestion signals (ECN); 0 means ordinary traffic.",
            "Tanda prioritas (DSCP) dan sinyal kemacetan (ECN); 0 berarti lalu lintas biasa.",
        ),
        ("IPv4", "Total length") => (
            "The size of the whole IP packet: header plus data.",
            "Ukuran seluruh paket IP: header ditambah data.",
        ),
        ("IPv4", "Identification") => (
            "A number shared by all the pieces of one packet if it is split, so the receiver can join them.",
            "Nomor yang sama untuk semua potongan satu paket jika dipecah, agar penerima bisa menyatukannya.",
        ),
        ("IPv4", "Flags") => (
            "Don't fragment forbids routers to split the packet; More fragments says more pieces follow.",
            "Don't fragment melarang router memecah paket; More fragments berarti masih ada potongan berikutnya.",
        ),
        ("IPv4", "Fragment offset") => (
            "Where this piece sits in the original packet, in 8-byte units; 0 for a packet in one piece.",
            "Posisi potongan ini di paket aslinya, dalam satuan 8 byte; 0 untuk paket yang utuh.",
        ),
        ("IPv4", "Time to live") => (
            "Decreases by one at every router; at 0 the packet is dropped, so it can never loop forever.",
            "Berkurang satu di setiap router; kalau sampai 0 paket dibuang, jadi paket tidak bisa berputar selamanya.",
        ),
        ("IPv4", "Protocol") => (
            "What the packet carries: 6 is TCP, 17 is UDP.",
            "Apa yang dibawa paket ini: 6 adalah TCP, 17 adalah UDP.",
        ),
        ("IPv4", "Header checksum") => (
            "Catches damaged header bytes; every router computes it again because the TTL changed.",
            "Mendeteksi byte header yang rusak; setiap router menghitungnya ulang karena TTL berubah.",
        ),
        ("IPv4", "Source address") => (
            "The IP address of the first sender; it stays the same all the way.",
            "Alamat IP pengirim pertama; alamat ini tetap sama sepanjang jalan.",
        ),
        ("IPv4", "Destination address") => (
            "The IP address of the last receiver; every router reads it to choose the next hop.",
            "Alamat IP penerima terakhir; setiap router membacanya untuk memilih hop berikutnya.",
        ),
        ("IPv4", "Options") => (
            "Rarely used extras that make the header longer than 20 bytes.",
            "Tambahan yang jarang dipakai, membuat header lebih panjang dari 20 byte.",
        ),
        ("TCP", "Source port") => (
            "Which program on the sending host the data comes from; a client uses a temporary (ephemeral) port.",
            "Dari program mana di host pengirim data ini berasal; klien memakai port sementara (ephemeral).",
        ),
        ("TCP", "Destination port") => (
            "Which program on the receiving host gets the data: 25 is SMTP between servers, 587 is submission, 110 POP3, 143 IMAP.",
            "Program mana di host penerima yang mendapat data: 25 adalah SMTP antarserver, 587 adalah submission, 110 POP3, 143 IMAP.",
        ),
        ("TCP", "Sequence number") => (
            "The number of this segment's first byte in the stream; the receiver puts bytes in order with it.",
            "Nomor byte pertama segmen ini dalam aliran; penerima memakainya untuk menyusun byte sesuai urutan.",
        ),
        ("TCP", "Acknowledgment number") => (
            "The next byte the sender expects from the other side: everything before it has arrived.",
            "Byte berikutnya yang ditunggu pengirim dari pihak lain: semua byte sebelumnya sudah sampai.",
        ),
        ("TCP", "Header length") => (
            "The TCP header's size: 20 bytes plus options.",
            "Ukuran header TCP: 20 byte ditambah opsi.",
        ),
        ("TCP", "Flags") => (
            "SYN opens a connection, ACK acknowledges, PSH hands data over now, FIN closes, RST aborts.",
            "SYN membuka koneksi, ACK mengonfirmasi, PSH minta data langsung diteruskan, FIN menutup, RST membatalkan.",
        ),
        ("TCP", "Window") => (
            "How many more bytes the sender of this segment can take in right now (flow control).",
            "Berapa byte lagi yang sanggup diterima pengirim segmen ini saat ini (flow control).",
        ),
        ("TCP", "Checksum") => (
            "Covers the TCP header, the data and the IP addresses; a damaged segment is thrown away.",
            "Mencakup header TCP, data, dan alamat IP; segmen yang rusak dibuang.",
        ),
        ("TCP", "Urgent pointer") => (
            "Only means something with the URG flag; SMTP never uses it.",
            "Hanya berarti jika ada flag URG; SMTP tidak pernah memakainya.",
        ),
        ("TCP", "Option") => (
            "An extra setting; on a SYN, the maximum segment size says how much data fits in one segment.",
            "Pengaturan tambahan; pada SYN, maximum segment size menyebut berapa banyak data muat dalam satu segmen.",
        ),
        ("UDP", "Source port") => (
            "The sending program's port; the answer comes back to it.",
            "Port program pengirim; jawabannya akan kembali ke port ini.",
        ),
        ("UDP", "Destination port") => (
            "Which program receives the datagram: 53 is DNS.",
            "Program mana yang menerima datagram ini: 53 adalah DNS.",
        ),
        ("UDP", "Length") => (
            "The size of the UDP header (8 bytes) plus its data.",
            "Ukuran header UDP (8 byte) ditambah datanya.",
        ),
        ("UDP", "Checksum") => (
            "Catches damage in header and data; 0 means the sender did not compute one.",
            "Mendeteksi kerusakan di header dan data; 0 berarti pengirim tidak menghitungnya.",
        ),
        ("DNS", "Transaction ID") => (
            "A random number the answer repeats, so the asker can match the answer to its question.",
            "Angka acak yang diulang di jawaban, agar penanya bisa mencocokkan jawaban dengan pertanyaannya.",
        ),
        ("DNS", "Flags") => (
            "Query or response, whether the answer is authoritative, and the result code.",
            "Pertanyaan atau jawaban, apakah jawabannya otoritatif, dan kode hasilnya.",
        ),
        ("DNS", "Questions") => (
            "How many questions follow, almost always 1.",
            "Berapa pertanyaan yang menyusul, hampir selalu 1.",
        ),
        ("DNS", "Answer RRs") => (
            "How many records answer the question.",
            "Berapa record yang menjawab pertanyaan.",
        ),
        ("DNS", "Authority RRs") => (
            "How many records name the servers responsible for the domain.",
            "Berapa record yang menyebut server yang bertanggung jawab atas domain itu.",
        ),
        ("DNS", "Additional RRs") => (
            "How many extra records help, such as the addresses of the mail exchangers.",
            "Berapa record tambahan yang membantu, misalnya alamat server email tujuan.",
        ),
        ("DNS", "Message") => (
            "The message in words: a query, or a response with its result code.",
            "Pesan ini dalam kata-kata: pertanyaan, atau jawaban dengan kode hasilnya.",
        ),
        ("DNS", "Question") => (
            "The name and record type asked for; MX asks where a domain's mail goes.",
            "Nama dan jenis record yang ditanyakan; MX menanyakan ke mana email sebuah domain dikirim.",
        ),
        ("DNS", "Answer" | "Authority" | "Additional") => (
            "A record: name, time to live in seconds, class, type and data.",
            "Sebuah record: nama, masa berlaku dalam detik, kelas, jenis, dan data.",
        ),
        ("SMTP", "Command") => command_note(value),
        ("SMTP", "Reply") => reply_note(value),
        ("POP3", "Command") => reading::pop3_command_note(value),
        ("POP3", "Reply") => reading::pop3_reply_note(value),
        ("IMAP", "Command") => reading::imap_command_note(value),
        ("IMAP", "Reply") => reading::imap_reply_note(value),
        (_, "Command" | "Reply") => (
            "One line of the conversation between client and server.",
            "Satu baris percakapan antara klien dan server.",
        ),
        (_, "Data") => (
            "Bytes this frame carries that are not read as a protocol here.",
            "Byte yang dibawa frame ini yang tidak dibaca sebagai protokol di sini.",
        ),
        _ => ("", ""),
    };
    lang.pick(en, id)
}

/// A client line: an SMTP command by its verb, or a line of the message after `DATA`.
fn command_note(line: &str) -> (&'static str, &'static str) {
    let upper = line.to_ascii_uppercase();
    let starts = |prefix: &str| upper.starts_with(prefix);
    if starts("EHLO ") {
        (
            "The client greets the server with its own name and asks which extensions it offers.",
            "Klien menyapa server dengan namanya sendiri dan menanyakan ekstensi apa saja yang tersedia.",
        )
    } else if starts("HELO ") {
        (
            "The older greeting, without extensions.",
            "Sapaan versi lama, tanpa ekstensi.",
        )
    } else if starts("MAIL FROM:") {
        (
            "Starts a message and names the envelope sender: where a bounce would go.",
            "Memulai pesan dan menyebut pengirim amplop: ke sanalah bounce akan dikirim.",
        )
    } else if starts("RCPT TO:") {
        (
            "Names one recipient of the envelope; the server says whether it takes it.",
            "Menyebut satu penerima amplop; server menjawab apakah penerima itu diterima.",
        )
    } else if upper == "DATA" {
        (
            "Asks to send the message itself; it will end with a line holding only a dot.",
            "Minta izin mengirim isi pesan; isinya nanti diakhiri baris yang hanya berisi titik.",
        )
    } else if upper == "." {
        (
            "The end of the message: a line with only a dot.",
            "Akhir pesan: baris yang hanya berisi titik.",
        )
    } else if upper == "QUIT" {
        (
            "Ends the session; the server answers 221 and closes the connection.",
            "Mengakhiri sesi; server menjawab 221 lalu menutup koneksi.",
        )
    } else if starts("AUTH ") {
        (
            "Logs in; PLAIN carries user and password in base64, which is an encoding, not encryption.",
            "Login; PLAIN membawa user dan password dalam base64, yang hanya pengodean, bukan enkripsi.",
        )
    } else if upper == "RSET" {
        (
            "Forgets the message begun so far; the session stays open.",
            "Melupakan pesan yang sedang dibuat; sesinya tetap terbuka.",
        )
    } else if upper == "NOOP" {
        (
            "Does nothing: the server only answers 250.",
            "Tidak melakukan apa-apa: server hanya menjawab 250.",
        )
    } else {
        (
            "A line of the message itself (a header or the body), sent after DATA.",
            "Satu baris isi pesan (header atau body), dikirim setelah DATA.",
        )
    }
}

/// A server line, by the first digit of its reply code (RFC 5321 §4.2.1).
fn reply_note(line: &str) -> (&'static str, &'static str) {
    match line.bytes().next() {
        Some(b'2') => (
            "A reply starting with 2: done, the command succeeded.",
            "Balasan berawalan 2: beres, perintahnya berhasil.",
        ),
        Some(b'3') => (
            "A reply starting with 3: go on, the server waits for more (after DATA, the message).",
            "Balasan berawalan 3: lanjutkan, server menunggu kelanjutannya (setelah DATA, isi pesan).",
        ),
        Some(b'4') => (
            "A reply starting with 4: a temporary failure; trying again later may work.",
            "Balasan berawalan 4: gagal sementara; mencoba lagi nanti mungkin berhasil.",
        ),
        Some(b'5') => (
            "A reply starting with 5: a permanent failure; the same command will fail again.",
            "Balasan berawalan 5: gagal permanen; perintah yang sama akan gagal lagi.",
        ),
        _ => (
            "A line of the server's reply.",
            "Satu baris balasan server.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::inspector::tests::submitted_world;
    use crate::sim::id::FrameId;
    use crate::wire::layers::dissect;

    #[test]
    fn every_field_of_a_mail_run_has_a_note_in_both_languages() {
        // The run has ARP, DNS over UDP, TCP with options, and SMTP both ways.
        let world = submitted_world();
        for id in 0..world.frame_count() {
            let frame = world.frame(FrameId(id as u32)).unwrap();
            for layer in dissect(frame, 100_000_000).layers {
                for field in &layer.fields {
                    for lang in Lang::ALL {
                        assert!(
                            !field_note(&layer.protocol, &field.name, &field.value, lang)
                                .is_empty(),
                            "{} {} in {lang}",
                            layer.protocol,
                            field.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ttl_and_mac_notes_say_what_routers_do() {
        let ttl = field_note("IPv4", "Time to live", "64", Lang::En);
        assert!(ttl.contains("every router") && ttl.contains("dropped"));
        let mac = field_note("Ethernet II", "Destination", "", Lang::Id);
        assert!(mac.contains("berganti di setiap hop"));
    }

    #[test]
    fn smtp_lines_are_explained_by_verb_and_reply_class() {
        let note = |name, value| field_note("SMTP", name, value, Lang::En);
        let pop3 = |name, value| field_note("POP3", name, value, Lang::En);
        let imap = |name, value| field_note("IMAP", name, value, Lang::Id);
        assert!(pop3("Command", "DELE 1").contains("only at QUIT"));
        assert!(pop3("Command", "PASS budi123").contains("plain text"));
        assert!(pop3("Reply", "-ERR no such message").contains("failed"));
        assert!(
            imap("Command", "k5 UID STORE 1 +FLAGS.SILENT (\\Seen)").contains("semua perangkat")
        );
        assert!(imap("Reply", "* 2 EXISTS").contains("tanpa tag"));
        assert!(imap("Reply", "a1 NO [AUTHENTICATIONFAILED] wrong").contains("gagal"));
        assert!(note("Command", "rcpt to:<budi@beta.example>").contains("recipient"));
        assert!(note("Command", "DATA").contains("dot"));
        assert!(note("Command", "Subject: Halo").contains("after DATA"));
        assert!(note("Reply", "354 End data with <CR><LF>.<CR><LF>")
            .starts_with("A reply starting with 3"));
        assert!(note("Reply", "550 5.1.1 No such user").contains("permanent"));
        assert_eq!(field_note("IPv4", "No such field", "", Lang::En), "");
    }
}
