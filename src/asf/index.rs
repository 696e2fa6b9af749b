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

#[cfg(test)]
mod tests {
    use super::*;

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
