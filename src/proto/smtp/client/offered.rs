//! What the server offers, read from its EHLO reply (RFC 5321 §4.1.1.1: the first line greets,
//! each further line is `keyword [params]`): PIPELINING (RFC 2920), SIZE (RFC 1870 §4),
//! 8BITMIME (RFC 6152), ENHANCEDSTATUSCODES (RFC 2034) and AUTH mechanisms (RFC 4954 §3).

use crate::proto::smtp::reply::Reply;

/// The ESMTP extensions a server announced. After HELO (or before any hello) nothing is offered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OfferedExtensions {
    pub pipelining: bool,
    /// `Some(limit)` when SIZE is offered; `Some(0)` means no fixed limit (RFC 1870 §4).
    pub size: Option<u64>,
    pub eight_bit_mime: bool,
    pub enhanced_status_codes: bool,
    /// SASL mechanisms, upper case, in the server's order.
    pub auth_mechanisms: Vec<String>,
}

impl OfferedExtensions {
    /// Reads the keywords of a 250 EHLO reply. Keywords ignore case; unknown ones are skipped.
    pub fn from_ehlo_reply(reply: &Reply) -> Self {
        let mut offered = Self::default();
        for line in reply.lines.iter().skip(1) {
            let mut words = line.split_ascii_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            let is = |name: &str| keyword.eq_ignore_ascii_case(name);
            if is("PIPELINING") {
                offered.pipelining = true;
            } else if is("SIZE") {
                offered.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0));
            } else if is("8BITMIME") {
                offered.eight_bit_mime = true;
            } else if is("ENHANCEDSTATUSCODES") {
                offered.enhanced_status_codes = true;
            } else if let Some(first) = auth_keyword(keyword) {
                // Some servers also announce the pre-standard `AUTH=PLAIN LOGIN` form.
                let first = first.filter(|m| !m.is_empty()).map(str::to_ascii_uppercase);
                for mechanism in first.into_iter().chain(words.map(str::to_ascii_uppercase)) {
                    if !offered.auth_mechanisms.contains(&mechanism) {
                        offered.auth_mechanisms.push(mechanism);
                    }
                }
            }
        }
        offered
    }

    pub fn offers_auth(&self, mechanism: &str) -> bool {
        self.auth_mechanisms
            .iter()
            .any(|offered| offered.eq_ignore_ascii_case(mechanism))
    }

    /// The SIZE limit, when the server announced a fixed one.
    pub fn size_limit(&self) -> Option<u64> {
        self.size.filter(|&limit| limit > 0)
    }
}

/// For `AUTH` (any case): `Some(None)`; for `AUTH=…`: `Some(Some(…))`, what follows the `=`.
fn auth_keyword(keyword: &str) -> Option<Option<&str>> {
    let bytes = keyword.as_bytes();
    if !bytes.get(..4)?.eq_ignore_ascii_case(b"AUTH") {
        return None;
    }
    match bytes.get(4) {
        None => Some(None),
        // The byte after the ASCII `AUTH=` starts a char.
        Some(b'=') => Some(Some(&keyword[5..])),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ehlo_keywords_are_read_ignoring_case() {
        let reply = Reply::parse(
            "250-mx1.beta.example greets x\r\n250-size 10240\r\n250-8BITMIME\r\n250-Pipelining\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH PLAIN login\r\n250-AUTH=PLAIN CRAM-MD5\r\n250 HELP\r\n",
        )
        .expect("well-formed");
        let offered = OfferedExtensions::from_ehlo_reply(&reply);
        assert_eq!(
            offered,
            OfferedExtensions {
                pipelining: true,
                size: Some(10240),
                eight_bit_mime: true,
                enhanced_status_codes: true,
                auth_mechanisms: vec!["PLAIN".into(), "LOGIN".into(), "CRAM-MD5".into()],
            }
        );
        assert!(offered.offers_auth("plain"));
    }

    #[test]
    fn size_without_a_number_has_no_limit() {
        let reply = Reply::parse("250-x\r\n250 SIZE\r\n").expect("well-formed");
        let offered = OfferedExtensions::from_ehlo_reply(&reply);
        assert_eq!(offered.size, Some(0));
        assert_eq!(offered.size_limit(), None);
    }

    #[test]
    fn the_greeting_line_is_not_a_keyword() {
        let reply = Reply::parse("250 PIPELINING\r\n").expect("well-formed");
        assert!(!OfferedExtensions::from_ehlo_reply(&reply).pipelining);
    }
}
