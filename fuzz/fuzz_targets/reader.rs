//! Arbitrary bytes into the library's ASF reader (`wmwriter::reader`): the structure
//! walk, then the data packets at the packet size the header gives (or arbitrary
//! sizes), then media-object reassembly. Nothing may panic, loop or allocate without
//! bound; every payload range the packet parser returns must lie inside its input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wmwriter::reader;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = reader::read(data) {
        let _ = f.duration();
        let _ = f.file_tags();
        if let (Some((start, len)), Some(ps)) = (f.packet_range(), f.packet_size()) {
            let start = start as usize;
            if let Some(body) = data.get(start..start.saturating_add(len as usize).min(data.len())) {
                let ps = ps as usize;
                if ps > 0 {
                    let whole = &body[..body.len() - body.len() % ps];
                    if let Ok(packets) = reader::parse_packets(whole, ps) {
                        check_ranges(&packets, whole.len());
                        let _ = reader::media_objects(&packets, whole);
                    }
                }
            }
        }
    }
    // The bytes as packets of a size taken from the first two bytes.
    if data.len() > 2 {
        let ps = (u16::from_le_bytes([data[0], data[1]]) as usize % 512).max(1);
        let body = &data[2..];
        let whole = &body[..body.len() - body.len() % ps];
        if let Ok(packets) = reader::parse_packets(whole, ps) {
            check_ranges(&packets, whole.len());
            let _ = reader::media_objects(&packets, whole);
        }
    }
});

fn check_ranges(packets: &[reader::Packet], len: usize) {
    for p in packets {
        for pl in &p.payloads {
            assert!(pl.data.start <= pl.data.end && pl.data.end <= len, "payload range {:?} outside {len}", pl.data);
            for r in pl.compressed.iter().flatten() {
                assert!(r.start <= r.end && r.end <= len);
            }
        }
    }
}
