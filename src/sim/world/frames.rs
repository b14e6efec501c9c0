//! Every frame the world ever put on a link, as the bytes that went on the wire. The bytes of
//! all frames sit one after another in chunks of [`CHUNK_BYTES`] (a frame never straddles two),
//! and a small record per frame says where, on which link and when. A frame so costs its bytes
//! plus 24 bytes, instead of a heap block of its own; and the store grows a chunk at a time,
//! never copying what it holds into a block twice the size (which, in a browser's linear
//! memory, would need both at once).
//!
//! The store also lends out scratch buffers, so the hot path of the network (building a
//! packet, reading an arriving frame while sending others) allocates nothing once the buffers
//! have grown.

use crate::sim::id::{FrameId, LinkId};
use crate::sim::time::SimTime;

/// The size of one chunk of frame bytes; a frame larger than this gets a chunk of its own.
const CHUNK_BYTES: usize = 1 << 20;

/// Where a frame is and when it was sent.
#[derive(Clone, Copy, Debug)]
struct FrameRecord {
    sent_at: SimTime,
    chunk: u32,
    /// Where the frame starts in its chunk.
    offset: u32,
    len: u32,
    link: LinkId,
}

/// The frames, in the order sent: a [`FrameId`] is an index into them.
#[derive(Clone, Debug, Default)]
pub(super) struct FrameStore {
    chunks: Vec<Vec<u8>>,
    records: Vec<FrameRecord>,
    /// Buffers handed back after use, to be lent again.
    spare_buffers: Vec<Vec<u8>>,
}

impl FrameStore {
    /// How many frames were sent.
    pub(super) fn len(&self) -> usize {
        self.records.len()
    }

    /// Stores a frame whose bytes are `parts` one after the other (a header, then its
    /// payload), sent on `link` at `sent_at`; returns its id.
    /// Makes room for the records of `additional` more frames (their bytes go in chunks,
    /// which never copy).
    pub(super) fn reserve(&mut self, additional: usize) {
        self.records.reserve_exact(additional);
    }

    pub(super) fn push(&mut self, link: LinkId, sent_at: SimTime, parts: &[&[u8]]) -> FrameId {
        let id = FrameId(u32::try_from(self.records.len()).expect("fewer than 2^32 frames"));
        let len: usize = parts.iter().map(|part| part.len()).sum();
        let fits = self
            .chunks
            .last()
            .is_some_and(|chunk| chunk.capacity() - chunk.len() >= len);
        if !fits {
            self.chunks.push(Vec::with_capacity(CHUNK_BYTES.max(len)));
        }
        let chunk_index = self.chunks.len() - 1;
        let chunk = &mut self.chunks[chunk_index];
        let offset = chunk.len();
        for part in parts {
            chunk.extend_from_slice(part);
        }
        self.records.push(FrameRecord {
            sent_at,
            chunk: u32::try_from(chunk_index).expect("fewer than 2^32 chunks"),
            offset: u32::try_from(offset).expect("a chunk is smaller than 4 GiB"),
            len: u32::try_from(len).expect("a frame is smaller than 4 GiB"),
            link,
        });
        id
    }

    fn slice(&self, record: &FrameRecord) -> &[u8] {
        let start = record.offset as usize;
        &self.chunks[record.chunk as usize][start..start + record.len as usize]
    }

    /// The bytes of a frame.
    pub(super) fn bytes(&self, id: FrameId) -> Option<&[u8]> {
        self.records
            .get(id.index())
            .map(|record| self.slice(record))
    }

    /// The link a frame was sent on.
    pub(super) fn link(&self, id: FrameId) -> Option<LinkId> {
        self.records.get(id.index()).map(|r| r.link)
    }

    /// Every frame in the order sent: its link, send time and bytes.
    pub(super) fn iter(&self) -> impl Iterator<Item = (LinkId, SimTime, &[u8])> + '_ {
        self.records
            .iter()
            .map(|record| (record.link, record.sent_at, self.slice(record)))
    }

    /// Bytes held on the heap: the chunks (allocated in full) and the records.
    pub(super) fn heap_bytes(&self) -> usize {
        let chunks: usize = self.chunks.iter().map(Vec::capacity).sum();
        chunks + self.records.capacity() * std::mem::size_of::<FrameRecord>()
    }

    /// An empty buffer to build bytes in; give it back with
    /// [`return_buffer`](Self::return_buffer).
    pub(super) fn lend_buffer(&mut self) -> Vec<u8> {
        self.spare_buffers.pop().unwrap_or_default()
    }

    /// Takes a lent buffer back, emptied, for the next [`lend_buffer`](Self::lend_buffer).
    pub(super) fn return_buffer(&mut self, mut buffer: Vec<u8>) {
        buffer.clear();
        self.spare_buffers.push(buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_come_back_as_they_were_stored() {
        let mut store = FrameStore::default();
        let first = store.push(LinkId(2), SimTime::from_micros(5), &[b"head", b"er"]);
        let empty = store.push(LinkId(0), SimTime::from_micros(6), &[]);
        let last = store.push(LinkId(1), SimTime::from_micros(7), &[b"xyz"]);
        assert_eq!((first, empty, last), (FrameId(0), FrameId(1), FrameId(2)));
        assert_eq!(store.bytes(first), Some(&b"header"[..]));
        assert_eq!(store.bytes(empty), Some(&b""[..]));
        assert_eq!(store.bytes(last), Some(&b"xyz"[..]));
        assert_eq!(store.bytes(FrameId(3)), None);
        assert_eq!(store.link(last), Some(LinkId(1)));
        assert_eq!(store.len(), 3);
        let all: Vec<(LinkId, u64, &[u8])> = store
            .iter()
            .map(|(link, at, bytes)| (link, at.as_micros(), bytes))
            .collect();
        assert_eq!(
            all,
            [
                (LinkId(2), 5, &b"header"[..]),
                (LinkId(0), 6, &b""[..]),
                (LinkId(1), 7, &b"xyz"[..])
            ]
        );
    }

    #[test]
    fn a_frame_never_straddles_two_chunks() {
        let mut store = FrameStore::default();
        let filler = vec![7u8; CHUNK_BYTES - 10];
        store.push(LinkId(0), SimTime::ZERO, &[&filler]);
        let second = store.push(LinkId(0), SimTime::ZERO, &[&[1u8; 20]]);
        let huge = vec![9u8; CHUNK_BYTES + 1];
        let third = store.push(LinkId(0), SimTime::ZERO, &[&huge]);
        assert_eq!(store.bytes(FrameId(0)), Some(&filler[..]));
        assert_eq!(store.bytes(second), Some(&[1u8; 20][..]));
        assert_eq!(store.bytes(third), Some(&huge[..]));
        assert_eq!(store.chunks.len(), 3);
    }

    #[test]
    fn a_returned_buffer_is_lent_again_empty() {
        let mut store = FrameStore::default();
        let mut buffer = store.lend_buffer();
        buffer.extend_from_slice(&[1; 100]);
        store.return_buffer(buffer);
        let again = store.lend_buffer();
        assert!(again.is_empty());
        assert!(again.capacity() >= 100);
    }
}
