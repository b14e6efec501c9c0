//! The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
//! data as 16-bit big-endian words. IPv4 covers its header with it (RFC 791 §3.1); TCP
//! (RFC 9293 §3.1) and UDP (RFC 768) cover a pseudo-header of IP addresses, protocol and
//! length plus the whole segment. RFC 1624 gives the incremental update a router uses when it
//! changes one word (the TTL) without summing the header again.
//!
//! Sums are kept *folded but not complemented* (`u16`) so pieces can be added in any order
//! with [`combine`]; [`finish`] complements the total into the value written on the wire.
//! A piece of odd length is padded with a zero byte, so only the last piece may be odd.

use std::net::Ipv4Addr;

/// The folded ones' complement sum of `data`, read as big-endian 16-bit words (RFC 1071 §4.1);
/// an odd last byte counts as the high byte of a word whose low byte is zero.
///
/// It adds 32-bit words, two 16-bit words at a time (RFC 1071 §2(C)): a carry out of the low
/// half lands in the high half, and folding adds the halves back together, so the folded sum
/// is the one 16-bit words give.
pub fn data_sum(data: &[u8]) -> u16 {
    let mut pairs = data.chunks_exact(4);
    let mut sum: u64 = pairs
        .by_ref()
        .map(|pair| u64::from(u32::from_be_bytes([pair[0], pair[1], pair[2], pair[3]])))
        .sum();
    match *pairs.remainder() {
        [high, low, last] => {
            sum += u64::from(u16::from_be_bytes([high, low])) + (u64::from(last) << 8)
        }
        [high, low] => sum += u64::from(u16::from_be_bytes([high, low])),
        [last] => sum += u64::from(last) << 8,
        _ => {}
    }
    fold(sum)
}

/// Adds folded sums with end-around carry: the sum of the pieces is the sum of the whole.
pub fn combine(sums: &[u16]) -> u16 {
    fold(sums.iter().map(|&sum| u64::from(sum)).sum())
}

/// The checksum to write into a header: the complement of the folded sum.
pub fn finish(sum: u16) -> u16 {
    !sum
}

/// The checksum of `data` alone, as written into an IPv4 header whose checksum field is zero.
pub fn internet_checksum(data: &[u8]) -> u16 {
    finish(data_sum(data))
}

/// Whether data that includes its own checksum field is intact: its sum is all ones.
pub fn is_valid(sum: u16) -> bool {
    sum == 0xffff
}

/// The folded sum of the IPv4 pseudo-header that TCP and UDP checksums cover:
/// source address, destination address, a zero byte, the protocol number and the
/// TCP/UDP length (header plus data) — RFC 9293 §3.1, RFC 768.
pub fn pseudo_header_sum(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, length: u16) -> u16 {
    let mut pseudo = [0u8; 12];
    pseudo[0..4].copy_from_slice(&src.octets());
    pseudo[4..8].copy_from_slice(&dst.octets());
    pseudo[9] = protocol;
    pseudo[10..12].copy_from_slice(&length.to_be_bytes());
    data_sum(&pseudo)
}

/// The new checksum after one 16-bit word of the covered data changes from `old_word` to
/// `new_word` (RFC 1624 eqn. 3: `HC' = ~(~HC + ~m + m')`), as a router does after
/// decrementing the TTL.
pub fn update(checksum: u16, old_word: u16, new_word: u16) -> u16 {
    finish(combine(&[!checksum, !old_word, new_word]))
}

/// Folds a sum of words into 16 bits with end-around carries: each step adds the high part
/// to the low part, which keeps the value modulo 0xffff (and a sum that was not zero from
/// becoming zero), until what is left fits 16 bits: 64 bits → at most 33 → 18 → 17 → 16.
fn fold(sum: u64) -> u16 {
    let sum = (sum & 0xffff_ffff) + (sum >> 32);
    let sum = (sum & 0xffff) + (sum >> 16);
    let sum = (sum & 0xffff) + (sum >> 16);
    let sum = (sum & 0xffff) + (sum >> 16);
    sum as u16
}

#[cfg(test)]
mod test {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn test_rfc1071_example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded).
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(data_sum(&data), 0xddf2);
        assert_eq!(internet_checksum(&data), 0x220d);
    }

    #[test]
    fn test_odd_length_pads_with_zero() {
        assert_eq!(data_sum(&[0x12, 0x34, 0x56]), 0x1234 + 0x5600);
    }

    #[test]
    fn test_data_with_its_checksum_sums_to_all_ones() {
        let mut header = [
            0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 10, 0, 0, 1,
            10, 0, 0, 2,
        ];
        let checksum = internet_checksum(&header);
        header[10..12].copy_from_slice(&checksum.to_be_bytes());
        assert!(is_valid(data_sum(&header)));
        header[8] ^= 0x01;
        assert!(!is_valid(data_sum(&header)));
    }

    #[test]
    fn test_pseudo_header_sum() {
        // 0a00 0001 0a00 0002 0006 0014 by hand: 0a00+0001+0a00+0002+0006+0014 = 141d
        let sum = pseudo_header_sum(
            Ipv4Addr::new(10, 0, 0, 1),
            Ipv4Addr::new(10, 0, 0, 2),
            6,
            20,
        );
        assert_eq!(sum, 0x141d);
    }

    #[test]
    fn test_update_matches_full_recompute_after_ttl_decrement() {
        let mut header = [
            0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0xac, 0x10,
            0x0a, 0x63, 0xac, 0x10, 0x0a, 0x0c,
        ];
        let before = internet_checksum(&header);
        let old_word = u16::from_be_bytes([header[8], header[9]]);
        header[8] -= 1;
        let new_word = u16::from_be_bytes([header[8], header[9]]);
        assert_eq!(
            update(before, old_word, new_word),
            internet_checksum(&header)
        );
    }

    proptest! {
        #[test]
        fn prop_the_sum_is_the_sum_of_16_bit_words(data in proptest::collection::vec(any::<u8>(), 0..80)) {
            let mut words = data.chunks(2);
            let by_words: u64 = words
                .by_ref()
                .map(|word| u64::from(u16::from_be_bytes([word[0], *word.get(1).unwrap_or(&0)])))
                .sum();
            let mut folded = by_words;
            while folded > 0xffff {
                folded = (folded & 0xffff) + (folded >> 16);
            }
            prop_assert_eq!(data_sum(&data), folded as u16);
        }

        #[test]
        fn prop_folding_keeps_the_value_modulo_0xffff_and_never_makes_zero(sum in any::<u64>()) {
            let folded = u64::from(fold(sum));
            prop_assert_eq!(folded % 0xffff, sum % 0xffff);
            prop_assert_eq!(folded == 0, sum == 0);
        }

        #[test]
        fn prop_pieces_sum_like_the_whole(a in proptest::collection::vec(any::<u8>(), 0..64).prop_map(|mut v| { v.truncate(v.len() & !1); v }),
                                          b in proptest::collection::vec(any::<u8>(), 0..64)) {
            let whole: Vec<u8> = a.iter().chain(b.iter()).copied().collect();
            prop_assert_eq!(combine(&[data_sum(&a), data_sum(&b)]), data_sum(&whole));
        }

        #[test]
        fn prop_update_matches_recompute(data in proptest::collection::vec(any::<u8>(), 2..64), index in any::<prop::sample::Index>(), new_word in any::<u16>()) {
            let mut data = data;
            data.truncate(data.len() & !1);
            let at = index.index(data.len() / 2) * 2;
            let before = internet_checksum(&data);
            let old_word = u16::from_be_bytes([data[at], data[at + 1]]);
            data[at..at + 2].copy_from_slice(&new_word.to_be_bytes());
            let after = internet_checksum(&data);
            // 0x0000 and 0xffff are the same number in ones' complement (RFC 1624 §3).
            let updated = update(before, old_word, new_word);
            prop_assert!(updated == after || (updated == 0 && after == 0xffff) || (updated == 0xffff && after == 0));
        }
    }
}
