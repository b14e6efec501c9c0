//! Integers in network byte order (big-endian, RFC 791 Appendix B) at a header field's byte
//! range: how every header in this module stores its multi-byte numbers. The packet views
//! read and write their fields through this trait on the bytes they wrap.

use std::ops::Range;

/// Reads and writes a big-endian integer that fills the byte range `field`.
pub(super) trait NetworkOrder {
    fn read_u16(&self, field: Range<usize>) -> u16;
    fn read_u32(&self, field: Range<usize>) -> u32;
    fn write_u16(&mut self, field: Range<usize>, value: u16);
    fn write_u32(&mut self, field: Range<usize>, value: u32);
}

impl NetworkOrder for [u8] {
    fn read_u16(&self, field: Range<usize>) -> u16 {
        let bytes = &self[field];
        u16::from_be_bytes([bytes[0], bytes[1]])
    }

    fn read_u32(&self, field: Range<usize>) -> u32 {
        let bytes = &self[field];
        u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }

    fn write_u16(&mut self, field: Range<usize>, value: u16) {
        self[field].copy_from_slice(&value.to_be_bytes());
    }

    fn write_u32(&mut self, field: Range<usize>, value: u32) {
        self[field].copy_from_slice(&value.to_be_bytes());
    }
}
