//! Repair of a truncated ASF file (a writer killed mid-write, a copy cut short): keep the
//! header and every whole, well-formed data packet, drop a torn last packet and anything
//! after the data, and write sizes, counts and durations that describe exactly what is
//! left. The result has no index (it is not marked seekable); `wmwrite index` or
//! `wm_create_indexer` can add one.
//!
//! Pure Rust over bytes; beside the writing path like the reader (and built on its packet
//! parser). The input is never modified: [`repair`] returns new bytes.
#![forbid(unsafe_code)]

use crate::asf::guids;
use crate::guid::Guid;
use crate::reader::{parse_packet, ReadError};

/// Bytes of the Data Object's fixed part.
const DATA_PREFIX: usize = 50;

/// What [`repair`] found and kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Bytes of the input.
    pub input_bytes: u64,
    /// Bytes of the repaired file.
    pub output_bytes: u64,
    /// The data packet count the input's header claimed (0 for a header in the
    /// streaming layout, as a writer leaves it before its first flush).
    pub claimed_packets: u64,
    /// Whole, well-formed packets kept.
    pub packets: u64,
    /// Bytes dropped after the last kept packet (a torn packet, a partial index…).
    pub dropped_bytes: u64,
    /// The packet size (File Properties' minimum = maximum).
    pub packet_size: u32,
    /// Play duration written (100 ns, preroll included).
    pub play_duration: u64,
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or([0; 4]))
}

fn guid_at(b: &[u8], at: usize) -> Guid {
    let mut g = [0u8; 16];
    g.copy_from_slice(&b[at..at + 16]);
    Guid::from_bytes(&g)
}

/// Repair `input` (see the module docs): the repaired file's bytes and what was done.
pub fn repair(input: &[u8]) -> Result<(Vec<u8>, RepairReport), ReadError> {
    let err = |m: String| ReadError(m);
    if input.len() < 30 || guid_at(input, 0) != guids::HEADER {
        return Err(err("not an ASF file: no Header Object at the start".into()));
    }
    let header_len = u64_at(input, 16);
    if header_len < 30 || header_len > input.len() as u64 {
        return Err(err(format!("the Header Object claims {header_len} bytes; the file has {}", input.len())));
    }
    let header_len = header_len as usize;
    // File Properties among the header's children.
    let mut at = 30usize;
    let mut props = None;
    while at + 24 <= header_len {
        let size = u64_at(input, at + 16) as usize;
        if size < 24 || at + size > header_len {
            return Err(err(format!("a header object at byte {at} has an invalid size {size}")));
        }
        if guid_at(input, at) == guids::FILE_PROPERTIES {
            if size < 104 {
                return Err(err("the File Properties Object is too short".into()));
            }
            props = Some(at);
        }
        at += size;
    }
    let props = props.ok_or_else(|| err("the header has no File Properties Object".into()))?;
    let (min_packet, max_packet) = (u32_at(input, props + 92), u32_at(input, props + 96));
    if min_packet != max_packet || min_packet == 0 {
        return Err(err(format!("packets of variable size ({min_packet}..{max_packet}) cannot be repaired")));
    }
    let ps = max_packet as usize;
    let preroll_ms = u64_at(input, props + 80);
    let claimed = u64_at(input, props + 56);
    if input.len() < header_len + DATA_PREFIX || guid_at(input, header_len) != guids::DATA {
        return Err(err("no Data Object after the header (the file ends inside the header)".into()));
    }
    // The data runs to the Data Object's end when its size is known and present (a
    // finished file: an index follows), else to the end of the file.
    let data_size = u64_at(input, header_len + 16) as usize;
    let first = header_len + DATA_PREFIX;
    // The packets run to the end of the file, or to an index object where the Data
    // Object's size says the data ends (a finished file; a header rewritten while
    // writing also has a size, with more packets after it).
    let claimed_end = header_len.saturating_add(data_size);
    let index_follows = data_size > DATA_PREFIX
        && claimed_end.saturating_add(16) <= input.len()
        && [guids::SIMPLE_INDEX, guids::INDEX].contains(&guid_at(input, claimed_end));
    let data_end = if index_follows { claimed_end } else { input.len() };
    let mut kept = 0usize;
    let (mut last_send, mut end_ms, mut max_pt) = (0u32, 0u64, 0u64);
    while first + (kept + 1) * ps <= data_end {
        let at = first + kept * ps;
        let Ok(p) = parse_packet(&input[at..at + ps], kept, at) else { break };
        if p.send_ms < last_send || p.packet_length as usize > ps && p.packet_length != 0 {
            break;
        }
        last_send = p.send_ms;
        end_ms = end_ms.max(p.send_ms as u64 + p.duration_ms as u64);
        max_pt = max_pt.max(p.payloads.iter().map(|x| x.pt_ms as u64).max().unwrap_or(0));
        kept += 1;
    }
    let mut out = Vec::with_capacity(first + kept * ps);
    out.extend_from_slice(&input[..first]);
    out.extend_from_slice(&input[first..first + kept * ps]);
    let file_size = out.len() as u64;
    // Play duration: the last presentation time (preroll included), at least the send
    // duration + preroll; one packet duration more covers the last object's span.
    let play = (max_pt.max(end_ms + preroll_ms) + 1) * 10_000;
    let put = |o: &mut Vec<u8>, at: usize, v: u64| o[at..at + 8].copy_from_slice(&v.to_le_bytes());
    put(&mut out, props + 40, file_size);
    put(&mut out, props + 56, kept as u64);
    put(&mut out, props + 64, play);
    put(&mut out, props + 72, end_ms * 10_000);
    // Flags: neither broadcast (sizes are known now) nor seekable (no index).
    out[props + 88..props + 92].copy_from_slice(&0u32.to_le_bytes());
    put(&mut out, header_len + 16, (DATA_PREFIX + kept * ps) as u64);
    put(&mut out, header_len + 40, kept as u64);
    let report = RepairReport {
        input_bytes: input.len() as u64,
        output_bytes: file_size,
        claimed_packets: claimed,
        packets: kept as u64,
        dropped_bytes: (input.len() - first - kept * ps) as u64,
        packet_size: max_packet,
        play_duration: play,
    };
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::{MemorySink, WriterSink};
    use std::sync::Arc;

    fn file() -> Vec<u8> {
        let mut p = crate::profile::ProfileData::new(0x0009_0000);
        let mut a = crate::profile::StreamConfigData::new(crate::guid::sdk::WMMEDIATYPE_AUDIO, 1);
        a.media_type = Some(crate::profile::MediaType::pcm(1, 8000, 16));
        a.bitrate = 128_000;
        p.add_stream(a).unwrap();
        let mem = MemorySink { seekable: true, ..Default::default() };
        let bytes = Arc::clone(&mem.bytes);
        let mut w = crate::writer::Writer::new();
        w.set_profile(&p).unwrap();
        w.add_sink(Arc::new(WriterSink::custom(Box::new(mem)))).unwrap();
        w.begin_writing().unwrap();
        for i in 0..40u64 {
            let b = w.allocate_sample(1600).unwrap();
            b.copy_from(&vec![(i * 3) as u8; 1600]).unwrap();
            w.write_sample(0, i * 1_000_000, 0, &b).unwrap();
        }
        w.end_writing().unwrap();
        let v = bytes.lock().unwrap().clone();
        v
    }

    #[test]
    fn a_finished_file_keeps_its_packets_and_loses_what_follows() {
        let mut f = file();
        let n = f.len();
        f.extend_from_slice(&[0xAB; 333]); // junk after the data: not a packet
        let (out, r) = repair(&f).unwrap();
        assert_eq!(r.packets, r.claimed_packets);
        assert_eq!(r.dropped_bytes, 333);
        assert_eq!(out.len(), n);
        assert_eq!(out[n - 100..], f[n - 100..n]);
    }

    #[test]
    fn a_cut_file_keeps_the_whole_packets_only() {
        let f = file();
        let (full, r) = repair(&f).unwrap();
        let ps = r.packet_size as usize;
        let header = full.len() - r.packets as usize * ps;
        for cut in [header, header + 1, header + ps, header + 2 * ps + 17, full.len() - 1] {
            let (out, rr) = repair(&f[..cut]).unwrap();
            assert_eq!(rr.packets as usize, (cut - header) / ps, "cut at {cut}");
            assert_eq!(out.len(), header + rr.packets as usize * ps);
            assert_eq!(out[header..], full[header..out.len()]);
            assert_eq!(rr.dropped_bytes as usize, (cut - header) % ps);
        }
        assert!(repair(&f[..header - 1]).is_err(), "the header is incomplete");
        assert!(repair(b"not asf at all, not at all, no").is_err());
    }
}
