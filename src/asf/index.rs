//! Simple Index Objects: per video stream, for each time interval, the packet where the
//! last key frame at or before that time starts.

use super::{begin_object, end_object, guids, Put};
use crate::guid::Guid;

/// Default index interval: 1 s in 100 ns.
pub const DEFAULT_INTERVAL: u64 = 10_000_000;

/// The most entries one Simple Index Object gets (6 bytes each: 6 MiB). A longer file
/// (over 12 days at the default 1 s) gets a coarser interval instead, so a sample time
/// far in the future can never make the index exhaust memory.
pub const MAX_ENTRIES: u64 = 1 << 20;

/// The interval actually used for a file of `play_duration`: `interval`, or the smallest
/// whole multiple of it that keeps the entry count within [`MAX_ENTRIES`].
pub fn effective_interval(interval: u64, play_duration: u64) -> u64 {
    let interval = interval.max(1);
    let n = play_duration / interval + 1;
    if n <= MAX_ENTRIES {
        interval
    } else {
        interval.saturating_mul(n.div_ceil(MAX_ENTRIES))
    }
}

/// Collects key frames of one stream while packets are written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleIndexBuilder {
    /// Stream number.
    pub stream: u16,
    /// (presentation time in ms incl. preroll, first packet, packet count) per key frame.
    keys: Vec<(u32, u32, u16)>,
}

impl SimpleIndexBuilder {
    /// A builder for `stream`.
    pub fn new(stream: u16) -> Self {
        SimpleIndexBuilder { stream, keys: Vec::new() }
    }

    /// Record a key frame at `pt_ms` (preroll included) in packets `first..=last`.
    pub fn add_key_frame(&mut self, pt_ms: u32, first: u64, last: u64) {
        let count = (last - first + 1).min(u16::MAX as u64) as u16;
        self.keys.push((pt_ms, first.min(u32::MAX as u64) as u32, count));
    }

    /// Whether any key frame was seen.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The entries for a file whose play duration (100 ns, incl. preroll) is `play_duration`.
    pub fn entries(&self, interval: u64, play_duration: u64) -> Vec<(u32, u16)> {
        if self.keys.is_empty() {
            return Vec::new();
        }
        let interval = effective_interval(interval, play_duration);
        let n = play_duration / interval + 1;
        let mut out = Vec::with_capacity(n as usize);
        let mut k = 0usize;
        for i in 0..n {
            let t = i * interval;
            while k + 1 < self.keys.len() && (self.keys[k + 1].0 as u64) * 10_000 <= t {
                k += 1;
            }
            out.push((self.keys[k].1, self.keys[k].2));
        }
        out
    }

    /// The complete Simple Index Object.
    pub fn to_bytes(&self, file_id: &Guid, interval: u64, play_duration: u64) -> Vec<u8> {
        let entries = self.entries(interval, play_duration);
        let mut out = Vec::with_capacity(56 + 6 * entries.len());
        let s = begin_object(&mut out, &guids::SIMPLE_INDEX);
        out.guid(file_id);
        out.u64(effective_interval(interval, play_duration));
        out.u32(entries.iter().map(|e| e.1 as u32).max().unwrap_or(0));
        out.u32(entries.len() as u32);
        for (p, c) in &entries {
            out.u32(*p);
            out.u16(*c);
        }
        end_object(&mut out, s);
        out
    }
}

/// One stream of a Media Object Index Object (frame-number index): its number, its
/// index type (1 nearest past data packet, 2 nearest past media object, 3 nearest past
/// clean point) and one offset per entry (bytes from the first data packet to the
/// packet the entry points at; `u32::MAX` = no entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaObjectIndexStream {
    /// Stream number.
    pub stream: u16,
    /// Index type.
    pub index_type: u16,
    /// Entry `i` is media object (frame) `i × interval` of the stream.
    pub offsets: Vec<u32>,
}

/// The Media Object Index Object (ASF 1.20 §6.3): `{GUID; QWORD size; DWORD Index Entry
/// Count Interval; WORD Index Specifiers Count; DWORD Index Blocks Count; specifiers
/// {WORD Stream Number; WORD Index Type}; blocks {DWORD Index Entry Count; QWORD Block
/// Positions × specifiers; DWORD Offsets × specifiers × entries}}`. One block (block
/// position 0: the offsets are from the first data packet).
pub fn media_object_index_bytes(interval: u32, streams: &[MediaObjectIndexStream]) -> Vec<u8> {
    let rows = streams.iter().map(|s| s.offsets.len()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(34 + 4 * streams.len() + 4 + 8 * streams.len() + 4 * rows * streams.len());
    let st = begin_object(&mut out, &guids::MEDIA_OBJECT_INDEX);
    out.u32(interval);
    out.u16(streams.len() as u16);
    out.u32(1);
    for s in streams {
        out.u16(s.stream);
        out.u16(s.index_type);
    }
    out.u32(rows as u32);
    for _ in streams {
        out.u64(0);
    }
    for r in 0..rows {
        for s in streams {
            out.u32(s.offsets.get(r).copied().unwrap_or(u32::MAX));
        }
    }
    end_object(&mut out, st);
    out
}

/// The Media Object Index Parameters Object (Header Extension; required when a Media
/// Object Index Object exists): `{GUID; QWORD size; DWORD Index Entry Count Interval;
/// WORD Index Specifiers Count; specifiers {WORD Stream Number; WORD Index Type}}`.
pub fn media_object_index_parameters_bytes(interval: u32, streams: &[MediaObjectIndexStream]) -> Vec<u8> {
    let mut out = Vec::with_capacity(30 + 4 * streams.len());
    let st = begin_object(&mut out, &guids::MEDIA_OBJECT_INDEX_PARAMETERS);
    out.u32(interval);
    out.u16(streams.len() as u16);
    for s in streams {
        out.u16(s.stream);
        out.u16(s.index_type);
    }
    end_object(&mut out, st);
    out
}

/// The Timecode Index Object (ASF 1.20 §6.4) for one stream: `{GUID; QWORD size; DWORD
/// Reserved (1); WORD Index Specifiers Count; DWORD Index Blocks Count; specifiers {WORD
/// Stream Number; WORD Index Type}; blocks {DWORD Index Entry Count; WORD Timecode Range;
/// QWORD Block Positions × specifiers; entries {DWORD Timecode; DWORD Offsets ×
/// specifiers}}}`. `entries` are (range, time code, offset from the first data packet),
/// in file order; a new block starts wherever the range changes (block position 0).
pub fn timecode_index_bytes(stream: u16, index_type: u16, entries: &[(u16, u32, u32)]) -> Vec<u8> {
    let mut blocks: Vec<(u16, Vec<(u32, u32)>)> = Vec::new();
    for &(range, tc, off) in entries {
        match blocks.last_mut() {
            Some((r, v)) if *r == range => v.push((tc, off)),
            _ => blocks.push((range, vec![(tc, off)])),
        }
    }
    let mut out = Vec::new();
    let st = begin_object(&mut out, &guids::TIMECODE_INDEX);
    out.u32(1);
    out.u16(1);
    out.u32(blocks.len() as u32);
    out.u16(stream);
    out.u16(index_type);
    for (range, v) in &blocks {
        out.u32(v.len() as u32);
        out.u16(*range);
        out.u64(0);
        for (tc, off) in v {
            out.u32(*tc);
            out.u32(*off);
        }
    }
    end_object(&mut out, st);
    out
}

/// The Timecode Index Parameters Object (Header Extension; required with a Timecode
/// Index Object): `{GUID; QWORD size; DWORD Index Entry Count Interval; WORD Index
/// Specifiers Count; specifiers {WORD Stream Number; WORD Index Type}}`.
pub fn timecode_index_parameters_bytes(interval: u32, stream: u16, index_type: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(34);
    let st = begin_object(&mut out, &guids::TIMECODE_INDEX_PARAMETERS);
    out.u32(interval);
    out.u16(1);
    out.u16(stream);
    out.u16(index_type);
    end_object(&mut out, st);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecode_index_layout() {
        let b = timecode_index_bytes(2, 3, &[(0, 0x0100_0000, 0), (0, 0x0100_0001, 800), (1, 0x0100_0002, 1600)]);
        assert_eq!(b[..16], guids::TIMECODE_INDEX.to_bytes());
        // 34 fixed + 4 specifier + two blocks (4 + 2 + 8 + 8n)
        assert_eq!(b.len(), 34 + 4 + (14 + 16) + (14 + 8));
        assert_eq!(u32::from_le_bytes(b[24..28].try_into().unwrap()), 1, "reserved");
        assert_eq!(u32::from_le_bytes(b[30..34].try_into().unwrap()), 2, "blocks");
        assert_eq!(b[34..38], [2, 0, 3, 0]);
        assert_eq!(u32::from_le_bytes(b[38..42].try_into().unwrap()), 2, "entries in block 0");
        assert_eq!(u16::from_le_bytes(b[42..44].try_into().unwrap()), 0, "range of block 0");
        assert_eq!(u32::from_le_bytes(b[60..64].try_into().unwrap()), 0x0100_0001);
        assert_eq!(u32::from_le_bytes(b[64..68].try_into().unwrap()), 800);
        assert_eq!(timecode_index_parameters_bytes(1, 2, 3).len(), 34);
    }

    #[test]
    fn media_object_index_layout() {
        let s = [
            MediaObjectIndexStream { stream: 2, index_type: 3, offsets: vec![0, 800, 1600] },
            MediaObjectIndexStream { stream: 3, index_type: 2, offsets: vec![0] },
        ];
        let b = media_object_index_bytes(10, &s);
        assert_eq!(b[..16], guids::MEDIA_OBJECT_INDEX.to_bytes());
        assert_eq!(b.len(), 34 + 8 + 4 + 16 + 3 * 8);
        assert_eq!(u64::from_le_bytes(b[16..24].try_into().unwrap()), b.len() as u64);
        assert_eq!(u32::from_le_bytes(b[24..28].try_into().unwrap()), 10);
        assert_eq!(u16::from_le_bytes(b[28..30].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(b[30..34].try_into().unwrap()), 1);
        assert_eq!(b[34..42], [2, 0, 3, 0, 3, 0, 2, 0]);
        assert_eq!(u32::from_le_bytes(b[42..46].try_into().unwrap()), 3, "entries in the block");
        // row 1: stream 2 → 800, stream 3 → none
        assert_eq!(u32::from_le_bytes(b[70..74].try_into().unwrap()), 800);
        assert_eq!(u32::from_le_bytes(b[74..78].try_into().unwrap()), u32::MAX);
        let p = media_object_index_parameters_bytes(10, &s);
        assert_eq!(p.len(), 30 + 8);
        assert_eq!(p[..16], guids::MEDIA_OBJECT_INDEX_PARAMETERS.to_bytes());
    }

    #[test]
    fn entries_point_at_last_key_at_or_before() {
        let mut b = SimpleIndexBuilder::new(2);
        b.add_key_frame(3000, 0, 1); // t = 3.0 s incl preroll
        b.add_key_frame(5000, 10, 12);
        b.add_key_frame(7500, 20, 20);
        let e = b.entries(DEFAULT_INTERVAL, 9 * DEFAULT_INTERVAL);
        assert_eq!(e.len(), 10);
        assert_eq!(e[0], (0, 2)); // before the first key: the first key
        assert_eq!(e[3], (0, 2));
        assert_eq!(e[4], (0, 2));
        assert_eq!(e[5], (10, 3));
        assert_eq!(e[7], (10, 3));
        assert_eq!(e[8], (20, 1));
        let bytes = b.to_bytes(&Guid::NULL, DEFAULT_INTERVAL, 9 * DEFAULT_INTERVAL);
        assert_eq!(bytes.len(), 56 + 60);
        assert_eq!(u32::from_le_bytes(bytes[48..52].try_into().unwrap()), 3);
    }

    #[test]
    fn a_far_future_time_coarsens_the_interval_instead_of_exhausting_memory() {
        let mut b = SimpleIndexBuilder::new(1);
        b.add_key_frame(0, 0, 0);
        b.add_key_frame(u32::MAX, 5, 5);
        let play = 1u64 << 60; // 3,650 years
        let bytes = b.to_bytes(&Guid::NULL, DEFAULT_INTERVAL, play);
        let interval = u64::from_le_bytes(bytes[40..48].try_into().unwrap());
        let count = u32::from_le_bytes(bytes[52..56].try_into().unwrap()) as u64;
        assert!(count <= MAX_ENTRIES, "{count} entries");
        assert_eq!(interval, effective_interval(DEFAULT_INTERVAL, play));
        assert!(interval % DEFAULT_INTERVAL == 0 && interval * (count - 1) <= play && play < interval * count);
        assert_eq!(bytes.len() as u64, 56 + 6 * count);
        // ordinary files keep the asked interval
        assert_eq!(effective_interval(DEFAULT_INTERVAL, 3600 * DEFAULT_INTERVAL), DEFAULT_INTERVAL);
    }
}
