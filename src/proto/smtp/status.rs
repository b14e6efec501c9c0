//! Enhanced mail system status codes: `class.subject.detail` (RFC 3463, registry of RFC 5248).
//!
//! With ENHANCEDSTATUSCODES (RFC 2034) a server puts one right after the reply code, e.g.
//! `550 5.1.1`. The class repeats the reply's first digit (2 success, 4 persistent transient
//! failure, 5 permanent failure); the subject says what part of the system is concerned
//! (RFC 3463 §3: 1 addressing, 2 mailbox, 3 mail system, 4 network and routing, 5 mail delivery
//! protocol, 6 message content, 7 security); the detail narrows it down (RFC 3463 §3.1–3.8,
//! RFC 4954 for 5.7.8 and 5.7.11, RFC 7505 for 5.1.10, RFC 7372 for 5.7.26).

use std::fmt;

use crate::lang::Lang;

/// class.subject.detail (RFC 3463).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedStatus {
    pub class: u8,
    pub subject: u16,
    pub detail: u16,
}

impl EnhancedStatus {
    /// 2.0.0: the command or the message was accepted.
    pub const OK: Self = Self::new(2, 0, 0);
    /// 2.1.0: the sender address is fine.
    pub const SENDER_OK: Self = Self::new(2, 1, 0);
    /// 2.1.5: the recipient address is fine (also VRFY answers).
    pub const DESTINATION_VALID: Self = Self::new(2, 1, 5);
    /// 2.7.0: authentication succeeded.
    pub const AUTH_SUCCEEDED: Self = Self::new(2, 7, 0);
    /// 4.2.2: the recipient's mailbox is full.
    pub const MAILBOX_FULL: Self = Self::new(4, 2, 2);
    /// 4.3.2: the server is shutting down.
    pub const SYSTEM_NOT_ACCEPTING: Self = Self::new(4, 3, 2);
    /// 4.7.1: policy refuses it for now, e.g. an account over its sending limit.
    pub const REFUSED_FOR_NOW: Self = Self::new(4, 7, 1);
    /// 4.5.3: more recipients than the server takes in one transaction.
    pub const TOO_MANY_RECIPIENTS: Self = Self::new(4, 5, 3);
    /// 5.1.1: no such mailbox here.
    pub const BAD_DESTINATION_MAILBOX: Self = Self::new(5, 1, 1);
    /// 5.1.3: the recipient address is malformed.
    pub const BAD_DESTINATION_SYNTAX: Self = Self::new(5, 1, 3);
    /// 5.1.7: the sender address is malformed.
    pub const BAD_SENDER_SYNTAX: Self = Self::new(5, 1, 7);
    /// 5.3.4: the message is bigger than the server takes.
    pub const MESSAGE_TOO_BIG: Self = Self::new(5, 3, 4);
    /// 5.5.1: a command the server does not know or that came in the wrong order.
    pub const INVALID_COMMAND: Self = Self::new(5, 5, 1);
    /// 5.5.2: the command line is malformed.
    pub const SYNTAX_ERROR: Self = Self::new(5, 5, 2);
    /// 5.5.4: a parameter or argument is not acceptable.
    pub const INVALID_ARGUMENTS: Self = Self::new(5, 5, 4);
    /// 5.6.0: something is wrong with the message content itself.
    pub const MEDIA_ERROR: Self = Self::new(5, 6, 0);
    /// 5.7.0: a security problem, e.g. authentication required or cancelled.
    pub const SECURITY_OTHER: Self = Self::new(5, 7, 0);
    /// 5.7.1: not allowed, e.g. relaying to a foreign domain.
    pub const NOT_AUTHORIZED: Self = Self::new(5, 7, 1);
    /// 5.7.8: wrong user name or password (RFC 4954).
    pub const BAD_CREDENTIALS: Self = Self::new(5, 7, 8);

    pub const fn new(class: u8, subject: u16, detail: u16) -> Self {
        Self {
            class,
            subject,
            detail,
        }
    }

    /// Reads `class.subject.detail`: class 2, 4 or 5; subject and detail 1–3 digits each.
    pub fn parse(text: &str) -> Option<Self> {
        let [class @ (b'2' | b'4' | b'5'), b'.', rest @ ..] = text.as_bytes() else {
            return None;
        };
        let dot = rest.iter().position(|&b| b == b'.')?;
        // Another dot leaves `detail` with a non-digit in it, so it fails.
        let (subject, detail) = (&rest[..dot], &rest[dot + 1..]);
        Some(Self::new(
            class - b'0',
            parse_digits(subject)?,
            parse_digits(detail)?,
        ))
    }

    /// RFC 3463/5248 title of the whole code ("Bad destination mailbox address"), in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        match detail_title(self.subject, self.detail) {
            Some((en, id)) => lang.pick(en, id).to_string(),
            None => match subject_title(self.subject) {
                Some((en, id)) => lang.pick(
                    format!("{en} (detail {})", self.detail),
                    format!("{id} (detail {})", self.detail),
                ),
                None => lang
                    .pick(
                        "Unregistered status code",
                        "Kode status yang tidak terdaftar",
                    )
                    .to_string(),
            },
        }
    }

    /// What the class digit means ("Permanent failure").
    pub fn class_title(&self, lang: Lang) -> &'static str {
        match self.class {
            2 => lang.pick("Success", "Berhasil"),
            4 => lang.pick("Persistent transient failure", "Gagal sementara"),
            5 => lang.pick("Permanent failure", "Gagal permanen"),
            _ => lang.pick("Unknown class", "Kelas tidak dikenal"),
        }
    }

    /// What the subject digit is about ("Addressing"), RFC 3463 §3.
    pub fn subject_title(&self, lang: Lang) -> &'static str {
        match subject_title(self.subject) {
            Some((en, id)) => lang.pick(en, id),
            None => lang.pick("Unknown subject", "Subjek tidak dikenal"),
        }
    }
}

impl fmt::Display for EnhancedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// 1–3 ASCII digits, as RFC 3463 §2 allows for subject and detail.
fn parse_digits(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0, |number, digit| number * 10 + u16::from(digit - b'0')),
    )
}

/// (English, Indonesian) names of the subjects, RFC 3463 §3.
fn subject_title(subject: u16) -> Option<(&'static str, &'static str)> {
    Some(match subject {
        0 => (
            "Other or undefined status",
            "Status lain atau tidak terdefinisi",
        ),
        1 => ("Addressing", "Alamat"),
        2 => ("Mailbox", "Kotak surat"),
        3 => ("Mail system", "Sistem surat"),
        4 => ("Network and routing", "Jaringan dan rute"),
        5 => ("Mail delivery protocol", "Protokol pengiriman surat"),
        6 => ("Message content or media", "Isi pesan atau media"),
        7 => ("Security or policy", "Keamanan atau kebijakan"),
        _ => return None,
    })
}

/// (English, Indonesian) titles of the registered codes (RFC 3463 §3.1–3.8, RFC 5248 registry).
fn detail_title(subject: u16, detail: u16) -> Option<(&'static str, &'static str)> {
    Some(match (subject, detail) {
        (0, 0) => (
            "Other undefined status",
            "Status lain yang tidak terdefinisi",
        ),
        (1, 0) => ("Other address status", "Status alamat lainnya"),
        (1, 1) => (
            "Bad destination mailbox address",
            "Alamat kotak surat tujuan salah",
        ),
        (1, 2) => (
            "Bad destination system address",
            "Alamat sistem tujuan salah",
        ),
        (1, 3) => (
            "Bad destination mailbox address syntax",
            "Penulisan alamat tujuan tidak sesuai aturan",
        ),
        (1, 4) => (
            "Destination mailbox address ambiguous",
            "Alamat tujuan ambigu",
        ),
        (1, 5) => ("Destination address valid", "Alamat tujuan valid"),
        (1, 6) => (
            "Destination mailbox has moved, no forwarding address",
            "Kotak surat tujuan sudah pindah, tanpa alamat terusan",
        ),
        (1, 7) => (
            "Bad sender's mailbox address syntax",
            "Penulisan alamat pengirim tidak sesuai aturan",
        ),
        (1, 8) => (
            "Bad sender's system address",
            "Alamat sistem pengirim salah",
        ),
        (1, 10) => (
            "Recipient address has null MX",
            "Domain penerima memakai null MX (tidak menerima surat)",
        ),
        (2, 0) => (
            "Other or undefined mailbox status",
            "Status kotak surat lainnya",
        ),
        (2, 1) => (
            "Mailbox disabled, not accepting messages",
            "Kotak surat dinonaktifkan, tidak menerima pesan",
        ),
        (2, 2) => ("Mailbox full", "Kotak surat penuh"),
        (2, 3) => (
            "Message length exceeds administrative limit",
            "Panjang pesan melebihi batas yang ditetapkan admin",
        ),
        (2, 4) => (
            "Mailing list expansion problem",
            "Masalah saat membuka daftar milis",
        ),
        (3, 0) => (
            "Other or undefined mail system status",
            "Status sistem surat lainnya",
        ),
        (3, 1) => ("Mail system full", "Sistem surat penuh"),
        (3, 2) => (
            "System not accepting network messages",
            "Sistem sedang tidak menerima pesan dari jaringan",
        ),
        (3, 3) => (
            "System not capable of selected features",
            "Sistem tidak mendukung fitur yang diminta",
        ),
        (3, 4) => (
            "Message too big for system",
            "Pesan terlalu besar untuk sistem ini",
        ),
        (3, 5) => ("System incorrectly configured", "Konfigurasi sistem salah"),
        (4, 0) => (
            "Other or undefined network or routing status",
            "Status jaringan atau rute lainnya",
        ),
        (4, 1) => ("No answer from host", "Host tidak menjawab"),
        (4, 2) => ("Bad connection", "Koneksi bermasalah"),
        (4, 3) => (
            "Directory server failure",
            "Server direktori (misalnya DNS) gagal",
        ),
        (4, 4) => ("Unable to route", "Tidak bisa menentukan rute"),
        (4, 5) => ("Mail system congestion", "Sistem surat sedang padat"),
        (4, 6) => ("Routing loop detected", "Terdeteksi putaran rute (loop)"),
        (4, 7) => ("Delivery time expired", "Waktu pengiriman habis"),
        (5, 0) => (
            "Other or undefined protocol status",
            "Status protokol lainnya",
        ),
        (5, 1) => ("Invalid command", "Perintah tidak valid"),
        (5, 2) => ("Syntax error", "Kesalahan penulisan perintah"),
        (5, 3) => ("Too many recipients", "Penerima terlalu banyak"),
        (5, 4) => ("Invalid command arguments", "Argumen perintah tidak valid"),
        (5, 5) => ("Wrong protocol version", "Versi protokol salah"),
        (5, 6) => (
            "Authentication exchange line is too long",
            "Baris pertukaran autentikasi terlalu panjang",
        ),
        (6, 0) => (
            "Other or undefined media error",
            "Masalah isi pesan lainnya",
        ),
        (6, 1) => ("Media not supported", "Jenis isi tidak didukung"),
        (6, 2) => (
            "Conversion required and prohibited",
            "Perlu konversi, tetapi konversi dilarang",
        ),
        (6, 3) => (
            "Conversion required but not supported",
            "Perlu konversi, tetapi tidak didukung",
        ),
        (6, 4) => (
            "Conversion with loss performed",
            "Konversi dilakukan dengan sebagian isi hilang",
        ),
        (6, 5) => ("Conversion failed", "Konversi gagal"),
        (6, 6) => ("Message content not available", "Isi pesan tidak tersedia"),
        (6, 7) => (
            "Non-ASCII addresses not permitted for that sender/recipient",
            "Alamat non-ASCII tidak diizinkan untuk pengirim/penerima itu",
        ),
        (7, 0) => (
            "Other or undefined security status",
            "Status keamanan lainnya",
        ),
        (7, 1) => (
            "Delivery not authorized, message refused",
            "Pengiriman tidak diizinkan, pesan ditolak",
        ),
        (7, 2) => (
            "Mailing list expansion prohibited",
            "Membuka daftar milis tidak diizinkan",
        ),
        (7, 3) => (
            "Security conversion required but not possible",
            "Perlu konversi keamanan, tetapi tidak bisa",
        ),
        (7, 4) => (
            "Security features not supported",
            "Fitur keamanan tidak didukung",
        ),
        (7, 5) => ("Cryptographic failure", "Kegagalan kriptografi"),
        (7, 6) => (
            "Cryptographic algorithm not supported",
            "Algoritma kriptografi tidak didukung",
        ),
        (7, 7) => ("Message integrity failure", "Keutuhan pesan rusak"),
        (7, 8) => (
            "Authentication credentials invalid",
            "Nama pengguna atau kata sandi salah",
        ),
        (7, 9) => (
            "Authentication mechanism is too weak",
            "Mekanisme autentikasi terlalu lemah",
        ),
        (7, 10) => ("Encryption needed", "Perlu enkripsi"),
        (7, 11) => (
            "Encryption required for requested authentication mechanism",
            "Mekanisme autentikasi ini wajib memakai enkripsi",
        ),
        (7, 12) => (
            "A password transition is needed",
            "Kata sandi perlu diganti",
        ),
        (7, 13) => ("User account disabled", "Akun pengguna dinonaktifkan"),
        (7, 14) => (
            "Trust relationship required",
            "Perlu hubungan saling percaya antarserver",
        ),
        (7, 26) => (
            "Multiple authentication checks failed",
            "Beberapa pemeriksaan keaslian (SPF/DKIM/DMARC) gagal",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_class_subject_detail() {
        assert_eq!(
            EnhancedStatus::parse("5.1.1"),
            Some(EnhancedStatus::new(5, 1, 1))
        );
        assert_eq!(
            EnhancedStatus::parse("5.1.10"),
            Some(EnhancedStatus::new(5, 1, 10))
        );
        assert_eq!(
            EnhancedStatus::parse("5.7.26"),
            Some(EnhancedStatus::new(5, 7, 26))
        );
        assert_eq!(EnhancedStatus::parse("2.0.0"), Some(EnhancedStatus::OK));
    }

    #[test]
    fn parse_rejects_what_rfc_3463_does_not_allow() {
        for bad in [
            "", "5", "5.1", "3.0.0", "5.1.1.1", "5.1234.1", "55.1.1", "5.a.1", "5..1", "+5.1.1",
            "5.1. 1",
        ] {
            assert_eq!(EnhancedStatus::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips_through_parse() {
        for status in [
            EnhancedStatus::OK,
            EnhancedStatus::BAD_CREDENTIALS,
            EnhancedStatus::new(5, 1, 10),
        ] {
            assert_eq!(EnhancedStatus::parse(&status.to_string()), Some(status));
        }
    }

    #[test]
    fn titles_follow_rfc_3463_in_both_languages() {
        let no_such_user = EnhancedStatus::BAD_DESTINATION_MAILBOX;
        assert_eq!(
            no_such_user.title(Lang::En),
            "Bad destination mailbox address"
        );
        assert_eq!(
            no_such_user.title(Lang::Id),
            "Alamat kotak surat tujuan salah"
        );
        assert_eq!(EnhancedStatus::MAILBOX_FULL.title(Lang::En), "Mailbox full");
        assert_eq!(
            EnhancedStatus::BAD_CREDENTIALS.title(Lang::En),
            "Authentication credentials invalid"
        );
        assert_eq!(
            EnhancedStatus::new(5, 7, 26).title(Lang::En),
            "Multiple authentication checks failed"
        );
    }

    #[test]
    fn unregistered_details_fall_back_to_the_subject() {
        assert_eq!(
            EnhancedStatus::new(5, 1, 99).title(Lang::En),
            "Addressing (detail 99)"
        );
        assert_eq!(
            EnhancedStatus::new(5, 9, 0).title(Lang::En),
            "Unregistered status code"
        );
    }

    #[test]
    fn every_code_the_server_sends_has_a_title() {
        for status in [
            EnhancedStatus::OK,
            EnhancedStatus::SENDER_OK,
            EnhancedStatus::DESTINATION_VALID,
            EnhancedStatus::AUTH_SUCCEEDED,
            EnhancedStatus::MAILBOX_FULL,
            EnhancedStatus::SYSTEM_NOT_ACCEPTING,
            EnhancedStatus::TOO_MANY_RECIPIENTS,
            EnhancedStatus::BAD_DESTINATION_MAILBOX,
            EnhancedStatus::BAD_DESTINATION_SYNTAX,
            EnhancedStatus::BAD_SENDER_SYNTAX,
            EnhancedStatus::MESSAGE_TOO_BIG,
            EnhancedStatus::INVALID_COMMAND,
            EnhancedStatus::SYNTAX_ERROR,
            EnhancedStatus::INVALID_ARGUMENTS,
            EnhancedStatus::MEDIA_ERROR,
            EnhancedStatus::SECURITY_OTHER,
            EnhancedStatus::NOT_AUTHORIZED,
            EnhancedStatus::BAD_CREDENTIALS,
        ] {
            for lang in Lang::ALL {
                assert!(
                    detail_title(status.subject, status.detail).is_some(),
                    "{status}"
                );
                assert!(!status.title(lang).contains("detail"), "{status} {lang}");
            }
        }
    }

    #[test]
    fn class_and_subject_titles() {
        let status = EnhancedStatus::TOO_MANY_RECIPIENTS;
        assert_eq!(status.class_title(Lang::En), "Persistent transient failure");
        assert_eq!(status.subject_title(Lang::En), "Mail delivery protocol");
        assert_eq!(status.subject_title(Lang::Id), "Protokol pengiriman surat");
    }
}
