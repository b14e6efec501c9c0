//! The `Received:` trace header a server puts on top of every message it accepts
//! (RFC 5321 §4.4, protocol names from RFC 3848), with its date in RFC 5322 §3.3 form.
//!
//! Time comes in as Unix seconds (the simulation's virtual clock); no clock is read here.

use super::decimal::{push_two_digits, Decimal};

/// How the client spoke, as the `with` clause names it (RFC 3848).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TraceProtocol {
    /// After HELO.
    Smtp,
    /// After EHLO.
    Esmtp,
    /// After EHLO and a successful AUTH.
    Esmtpa,
}

impl TraceProtocol {
    fn keyword(self) -> &'static str {
        match self {
            TraceProtocol::Smtp => "SMTP",
            TraceProtocol::Esmtp => "ESMTP",
            TraceProtocol::Esmtpa => "ESMTPA",
        }
    }
}

/// Everything one `Received:` header records.
pub(super) struct TraceFields<'a> {
    pub helo_domain: &'a str,
    pub peer_name: Option<&'a str>,
    pub peer_address: &'a str,
    pub host_name: &'a str,
    pub protocol: TraceProtocol,
    pub queue_id: &'a str,
    pub first_recipient: &'a str,
    pub now: i64,
}

/// `Received: from … by … with … id … for …; date` folded over three lines, CRLF-terminated.
#[cfg(test)]
fn received_header(fields: &TraceFields<'_>) -> String {
    let mut header = String::with_capacity(received_header_len(fields));
    write_received_header(fields, &mut header);
    header
}

/// The most octets [`write_received_header`] writes for `fields`.
pub(super) fn received_header_len(fields: &TraceFields<'_>) -> usize {
    const FIXED: &str = "Received: from  ( [])\r\n\tby  (Kurir) with  id \r\n\tfor <>; \r\n";
    FIXED.len()
        + fields.helo_domain.len()
        + fields.peer_name.unwrap_or(fields.peer_address).len()
        + fields.peer_address.len()
        + fields.host_name.len()
        + fields.protocol.keyword().len()
        + fields.queue_id.len()
        + fields.first_recipient.len()
        + RFC5322_DATE_MAX
}

/// Appends the `Received:` header of `fields` to `out`, piece by piece.
pub(super) fn write_received_header(fields: &TraceFields<'_>, out: &mut String) {
    let TraceFields {
        helo_domain,
        peer_name,
        peer_address,
        host_name,
        protocol,
        queue_id,
        first_recipient,
        now,
    } = *fields;
    for piece in [
        "Received: from ",
        helo_domain,
        " (",
        peer_name.unwrap_or(peer_address),
        " [",
        peer_address,
        "])\r\n\tby ",
        host_name,
        " (Kurir) with ",
        protocol.keyword(),
        " id ",
        queue_id,
        "\r\n\tfor <",
        first_recipient,
        ">; ",
    ] {
        out.push_str(piece);
    }
    write_rfc5322_date(now, out);
    out.push_str("\r\n");
}

/// The longest date [`rfc5322_date`] writes: `Thu, 31 Dec 9999 23:59:59 +0000`.
const RFC5322_DATE_MAX: usize = 31;

/// `Thu, 1 Jan 1970 00:00:00 +0000` (RFC 5322 §3.3), clamped to years 1970–9999.
pub(crate) fn rfc5322_date(unix_seconds: i64) -> String {
    let mut date = String::with_capacity(RFC5322_DATE_MAX);
    write_rfc5322_date(unix_seconds, &mut date);
    date
}

/// Appends what [`rfc5322_date`] gives to `out`, digit by digit.
fn write_rfc5322_date(unix_seconds: i64, out: &mut String) {
    const LAST_SECOND_OF_9999: i64 = 253_402_300_799;
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let seconds = unix_seconds.clamp(0, LAST_SECOND_OF_9999);
    let days = seconds / 86_400;
    let of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    out.push_str(WEEKDAYS[(days % 7) as usize]);
    out.push_str(", ");
    out.push_str(Decimal::of(u64::from(day)).as_str());
    out.push(' ');
    out.push_str(MONTHS[(month - 1) as usize]);
    out.push(' ');
    // Clamped above: the year is 1970..=9999.
    out.push_str(Decimal::of(year as u64).as_str());
    out.push(' ');
    push_two_digits(out, (of_day / 3600) as u8);
    out.push(':');
    push_two_digits(out, (of_day % 3600 / 60) as u8);
    out.push(':');
    push_two_digits(out, (of_day % 60) as u8);
    out.push_str(" +0000");
}

/// English month abbreviations, as both RFC 5322 and IMAP dates write them.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Proleptic Gregorian (year, month 1–12, day 1–31) of a day count since 1970-01-01 (≥ 0),
/// after Howard Hinnant's `civil_from_days`: count in 400-year eras starting on 1 March.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_a_thursday() {
        assert_eq!(rfc5322_date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
    }

    #[test]
    fn known_dates() {
        assert_eq!(rfc5322_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(
            rfc5322_date(1_700_000_000),
            "Tue, 14 Nov 2023 22:13:20 +0000"
        );
        assert_eq!(
            rfc5322_date(1_709_251_199),
            "Thu, 29 Feb 2024 23:59:59 +0000"
        );
        assert_eq!(
            rfc5322_date(4_102_444_800),
            "Fri, 1 Jan 2100 00:00:00 +0000"
        );
    }

    #[test]
    fn out_of_range_times_are_clamped() {
        assert_eq!(rfc5322_date(-5), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc5322_date(i64::MAX), "Fri, 31 Dec 9999 23:59:59 +0000");
    }

    #[test]
    fn received_header_has_the_rfc_5321_clauses() {
        let header = received_header(&TraceFields {
            helo_domain: "laptop-ani.alpha.example",
            peer_name: Some("laptop-ani.alpha.example"),
            peer_address: "192.0.2.10",
            host_name: "mail.alpha.example",
            protocol: TraceProtocol::Esmtpa,
            queue_id: "0000000100001",
            first_recipient: "budi@beta.example",
            now: 0,
        });
        assert_eq!(
            header,
            "Received: from laptop-ani.alpha.example (laptop-ani.alpha.example [192.0.2.10])\r\n\tby mail.alpha.example (Kurir) with ESMTPA id 0000000100001\r\n\tfor <budi@beta.example>; Thu, 1 Jan 1970 00:00:00 +0000\r\n"
        );
    }

    #[test]
    fn received_header_without_reverse_name_shows_the_address() {
        let header = received_header(&TraceFields {
            helo_domain: "x",
            peer_name: None,
            peer_address: "127.0.0.1",
            host_name: "mx1.beta.example",
            protocol: TraceProtocol::Smtp,
            queue_id: "1",
            first_recipient: "Postmaster",
            now: 0,
        });
        assert!(header.starts_with("Received: from x (127.0.0.1 [127.0.0.1])\r\n"));
        assert!(header.contains(" with SMTP id 1\r\n"));
    }
}
