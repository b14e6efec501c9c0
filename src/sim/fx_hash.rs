//! FxHash, the hasher rustc uses for its own tables: quick on small keys, and the same in
//! every run (std's default hasher is keyed from the OS, which the world never reads). For
//! hashed tables whose order nothing depends on: a host's connections by flow, the event
//! log's texts.

use std::hash::{BuildHasherDefault, Hasher};

/// Builds [`FxHasher`]s, for `HashMap` and `HashSet`.
pub type FxBuildHasher = BuildHasherDefault<FxHasher>;

#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    /// Eight bytes at a time, then what is left.
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in words.by_ref() {
            let mut le = [0u8; 8];
            le.copy_from_slice(word);
            self.add(u64::from_le_bytes(le));
        }
        for &byte in words.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_u16(&mut self, value: u16) {
        self.add(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash(value: impl Hash) -> u64 {
        FxBuildHasher::default().hash_one(value)
    }

    #[test]
    fn the_same_value_hashes_the_same_in_every_run() {
        assert_eq!(
            hash("EHLO laptop-ani.alpha.example"),
            hash("EHLO laptop-ani.alpha.example")
        );
        assert_ne!(
            hash("MAIL FROM:<ani@alpha.example>"),
            hash("MAIL FROM:<ani@alpha.example")
        );
        assert_ne!(hash((1u16, 2u16)), hash((2u16, 1u16)));
    }
}
