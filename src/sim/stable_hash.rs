//! A hash that is the same in every run, on every platform: 64-bit FNV-1a (Fowler, Noll and
//! Vo; draft-eastlake-fnv). For determinism tests, "same seed, same log" as one number; std's
//! `DefaultHasher` is randomly keyed per process and may change between releases, so it
//! cannot serve.

use std::fmt;

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a over bytes. It is a `fmt::Write`, so text can be hashed as it is rendered,
/// without building the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv1a64 {
    state: u64,
}

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64 {
            state: OFFSET_BASIS,
        }
    }
}

impl Fnv1a64 {
    pub fn new() -> Fnv1a64 {
        Fnv1a64::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.state = (self.state ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }

    pub fn finish(self) -> u64 {
        self.state
    }
}

impl fmt::Write for Fnv1a64 {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.update(text.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    fn hash(text: &str) -> u64 {
        let mut hasher = Fnv1a64::new();
        hasher.update(text.as_bytes());
        hasher.finish()
    }

    #[test]
    fn matches_the_published_test_vectors() {
        // draft-eastlake-fnv, appendix C.
        assert_eq!(hash(""), 0xcbf29ce484222325);
        assert_eq!(hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash("foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn hashing_formatted_text_equals_hashing_its_bytes() {
        let mut hasher = Fnv1a64::new();
        let tail = "bar";
        write!(hasher, "foo{tail}").unwrap();
        assert_eq!(hasher.finish(), hash("foobar"));
    }

    #[test]
    fn split_input_hashes_like_whole_input() {
        let mut hasher = Fnv1a64::new();
        hasher.update(b"foo");
        hasher.update(b"bar");
        assert_eq!(hasher.finish(), hash("foobar"));
        assert_ne!(hash("foobar"), hash("foobaz"));
    }
}
