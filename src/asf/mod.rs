//! Pure ASF byte layout: GUIDs, header objects, the packetizer and the simple index.
//! Nothing here does I/O; bytes are handed to the caller.
#![forbid(unsafe_code)]

pub mod guids;
pub mod header;
pub mod index;
pub mod metadata;
pub mod packet;
#[cfg(any(test, feature = "test-reader"))]
pub mod reader;

use crate::guid::Guid;

/// Little-endian appends on a byte vector.
pub(crate) trait Put {
    fn u8(&mut self, v: u8);
    fn u16(&mut self, v: u16);
    fn u32(&mut self, v: u32);
    fn u64(&mut self, v: u64);
    fn guid(&mut self, g: &Guid);
    /// UTF-16LE with a terminating NUL.
    fn wstr(&mut self, s: &str);
}

impl Put for Vec<u8> {
    fn u8(&mut self, v: u8) {
        self.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.extend_from_slice(&v.to_le_bytes());
    }
    fn guid(&mut self, g: &Guid) {
        self.extend_from_slice(&g.to_bytes());
    }
    fn wstr(&mut self, s: &str) {
        for u in s.encode_utf16() {
            self.u16(u);
        }
        self.u16(0);
    }
}

/// Bytes of `s` as UTF-16LE including the terminating NUL.
pub(crate) fn wstr_len(s: &str) -> usize {
    (s.encode_utf16().count() + 1) * 2
}

/// Start an object: GUID + a size placeholder; returns the object's start offset.
pub(crate) fn begin_object(out: &mut Vec<u8>, id: &Guid) -> usize {
    let start = out.len();
    out.guid(id);
    out.u64(0);
    start
}

/// Close an object begun with [`begin_object`]: patch its size.
pub(crate) fn end_object(out: &mut [u8], start: usize) {
    let size = (out.len() - start) as u64;
    out[start + 16..start + 24].copy_from_slice(&size.to_le_bytes());
}
