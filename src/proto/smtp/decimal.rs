//! Numbers as decimal digits, written without the formatting machinery: the engines write a
//! reply code and an enhanced status code on every reply line, a SIZE in MAIL and EHLO, a date
//! and a queue id on every message.

use std::ops::Deref;

/// A number's decimal digits, as `Display` prints them.
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn of(number: u64) -> Decimal {
        let mut decimal = Decimal {
            digits: [b'0'; 20],
            start: 20,
        };
        let mut rest = number;
        loop {
            decimal.start -= 1;
            decimal.digits[decimal.start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                return decimal;
            }
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(self).expect("decimal digits are ASCII")
    }
}

impl Deref for Decimal {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.digits[self.start..]
    }
}

/// Appends `number` (below 100) as two digits, `07` for 7: how times of day are written.
pub(crate) fn push_two_digits(out: &mut String, number: u8) {
    out.push(char::from(b'0' + number / 10 % 10));
    out.push(char::from(b'0' + number % 10));
}

/// Appends `number` in upper-case hexadecimal, at least `width` digits (zeros in front), as
/// `{:0width$X}` prints it.
pub(crate) fn push_upper_hex(out: &mut String, number: u64, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let significant = (64 - number.leading_zeros() as usize).div_ceil(4).max(1);
    for place in (0..significant.max(width)).rev() {
        let nibble = if place < 16 {
            (number >> (place * 4)) & 0xF
        } else {
            0
        };
        out.push(char::from(DIGITS[nibble as usize]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_those_display_prints() {
        for number in [0, 7, 10, 99, 250, 65_535, 1_767_225_600, u64::MAX] {
            assert_eq!(Decimal::of(number).as_str(), number.to_string());
        }
    }

    #[test]
    fn two_digits_keep_the_leading_zero() {
        let mut out = String::new();
        for number in [0, 7, 10, 59] {
            push_two_digits(&mut out, number);
        }
        assert_eq!(out, "00071059");
    }

    #[test]
    fn hex_is_padded_as_format_pads_it() {
        for (number, width) in [
            (0, 4),
            (1, 8),
            (0xABC, 4),
            (0x1_2345, 4),
            (u64::MAX, 8),
            (7, 0),
        ] {
            let mut out = String::new();
            push_upper_hex(&mut out, number, width);
            assert_eq!(out, format!("{number:0width$X}"));
        }
    }
}
