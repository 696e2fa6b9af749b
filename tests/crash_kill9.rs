//! Crash safety (issue 16): a child process writes a 60 s A/V file (PCM + raw video)
//! through a file sink with a 500 ms flush interval and is killed with SIGKILL at a
//! random point, 20 times. Each killed file is repaired (`wmwriter::repair`, what
//! `wmwrite repair` runs); then:
//! - the repaired file keeps at least every packet the last flushed header counted;
//! - its header's counts and sizes describe exactly its bytes;
//! - ffprobe counts exactly the complete media objects per stream that the packets hold;
//! - `ffmpeg -v warning` decodes it without a message;
//! - the decoded PCM is exactly the prefix of the PCM written.
//!
//! The child is this test binary run again with `WMWRITER_CRASH_CHILD=<file>`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::WriterSink;
use wmwriter::writer::{Writer, SF_CLEANPOINT};

const SEC: u64 = 10_000_000;
const MS: u64 = 10_000;
const FPS: u64 = 25;
const SECS: u64 = 60;
const AUDIO_BYTES: usize = 4410 * 4;

fn audio(i: u64) -> Vec<u8> {
    noise(i + 1, AUDIO_BYTES)
}

/// The child: write the file slowly (a sleep per sample) so a kill lands mid-write.
#[test]
fn child_writer() {
    let Some(path) = std::env::var_os("WMWRITER_CRASH_CHILD") else { return };
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    p.add_stream(a).unwrap();
    let mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB24, 64, 48, (SEC / FPS) as i64);
    let frame_len = mt.sample_size as usize;
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(mt);
    v.bitrate = (frame_len as u64 * 8 * FPS) as u32;
    p.add_stream(v).unwrap();
    let sink = Arc::new(WriterSink::file(Some(path.into())));
    sink.set_flush_interval(500);
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.add_sink(sink).unwrap();
    w.begin_writing().unwrap();
    let mut all: Vec<(u64, u32, Vec<u8>)> = (0..SECS * 10).map(|i| (i * 100 * MS, 0, audio(i))).collect();
    all.extend((0..SECS * FPS).map(|f| (f * SEC / FPS, 1, noise(10_000 + f, frame_len))));
    all.sort_by_key(|s| (s.0, s.1));
    for (t, input, data) in all {
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(&data).unwrap();
        w.write_sample(input, t, if input == 1 { SF_CLEANPOINT } else { 0 }, &b).unwrap();
        std::thread::sleep(Duration::from_micros(300));
    }
    w.end_writing().unwrap();
}

/// Complete media objects per stream (1, 2) in the packets of `file`, and the bytes of
/// the complete audio objects in order.
fn complete_objects(file: &[u8], header_len: usize, packets: usize, ps: usize) -> ([usize; 2], Vec<u8>) {
    let base = header_len + 50;
    let pk = wmwriter::reader::parse_packets(&file[base..base + packets * ps], ps).expect("the repaired packets parse");
    let mut counts = [0usize; 2];
    let mut pcm = Vec::new();
    let mut cur: [Option<(u32, Vec<u8>)>; 2] = [None, None];
    for p in &pk {
        for pl in &p.payloads {
            let s = (pl.stream as usize).clamp(1, 2) - 1;
            if pl.offset == 0 {
                cur[s] = Some((pl.object_size, Vec::new()));
            }
            if let Some((size, bytes)) = &mut cur[s] {
                if bytes.len() as u32 == pl.offset {
                    bytes.extend_from_slice(&file[base..][pl.data.clone()]);
                }
                if bytes.len() as u32 == *size {
                    counts[s] += 1;
                    if s == 0 {
                        pcm.extend_from_slice(bytes);
                    }
                    cur[s] = None;
                }
            }
        }
    }
    (counts, pcm)
}

/// ffprobe's packet count per stream; ffprobe leaves `nb_read_packets` out when it read
/// none at all (a file of one packet holding only part of an object: a kill right after
/// the first 16 KiB packet was flushed).
fn ffprobe_counts(path: &Path) -> Vec<usize> {
    let j = ffprobe_json(path, &["-count_packets", "-show_streams"]);
    j.get("streams").arr().iter().map(|s| s.get("nb_read_packets").str().map_or(0, |n| n.parse().unwrap())).collect()
}

#[test]
fn kill9_at_random_points_then_repair_recovers_every_flushed_packet() {
    if std::env::var_os("WMWRITER_CRASH_CHILD").is_some() || !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("kill9");
    let exe = std::env::current_exe().unwrap();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let started = Instant::now();
    let mut with_data = 0;
    for trial in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let kill_ms = 150 + seed % 4500;
        let path = dir.path(&format!("killed-{trial}.wmv"));
        let mut child = Command::new(&exe)
            .args(["child_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env("WMWRITER_CRASH_CHILD", &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(kill_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let bytes = std::fs::read(&path).unwrap_or_default();
        let repaired = wmwriter::repair::repair(&bytes);
        let Ok((fixed, r)) = repaired else {
            // Killed before the header was complete: nothing was ever flushed.
            eprintln!(
                "trial {trial:2}: killed at {kill_ms:3} ms ({status}); {} bytes, no complete header: nothing to recover",
                bytes.len()
            );
            assert!(bytes.len() < 2000, "a {}-byte file could not be repaired: {:?}", bytes.len(), repaired.err());
            continue;
        };
        let header_len = (r.output_bytes - r.packets * r.packet_size as u64 - 50) as usize;
        let flushed_bytes = if r.claimed_packets > 0 { header_len as u64 + 50 + r.claimed_packets * r.packet_size as u64 } else { 0 };
        eprintln!(
            "trial {trial:2}: killed at {kill_ms:3} ms: file {:8} B; flushed {:4} packets ({:8} B); recovered {:4} packets ({:8} B), {} B dropped",
            bytes.len(),
            r.claimed_packets,
            flushed_bytes,
            r.packets,
            r.output_bytes,
            r.dropped_bytes
        );
        assert!(r.packets >= r.claimed_packets, "every flushed packet is recovered");
        assert!(r.dropped_bytes < r.packet_size as u64, "only a torn last packet is dropped");
        let out = dir.path(&format!("repaired-{trial}.wmv"));
        std::fs::write(&out, &fixed).unwrap();
        // The header describes exactly the bytes (our reader as a helper).
        let f = wmwriter::reader::read(&fixed).unwrap();
        assert_eq!(f.props.as_ref().unwrap().file_size, fixed.len() as u64);
        assert_eq!(f.props.as_ref().unwrap().data_packets, r.packets);
        if r.packets == 0 {
            continue;
        }
        with_data += 1;
        let (counts, pcm) = complete_objects(&fixed, header_len, r.packets as usize, r.packet_size as usize);
        assert_eq!(ffprobe_counts(&out), counts.to_vec(), "trial {trial}: ffprobe -count_packets per stream");
        if counts[0] == 0 {
            // No whole audio object yet (the first one spans two 16 KiB packets): ffmpeg
            // would only say that its output is empty.
            continue;
        }
        let o = out.to_str().unwrap();
        ffmpeg_clean(&["-guess_layout_max", "0", "-i", o, "-f", "null", "-"]);
        let decoded = ffmpeg_clean(&["-guess_layout_max", "0", "-i", o, "-map", "0:a", "-f", "s16le", "-"]);
        let written: Vec<u8> = (0..counts[0] as u64).flat_map(audio).collect();
        assert_eq!(pcm, written, "trial {trial}: the file's audio objects are the written prefix");
        assert!(decoded == written, "trial {trial}: decoded PCM ({} B) != the written prefix ({} B)", decoded.len(), written.len());
        assert!(started.elapsed() < Duration::from_secs(240), "the trials take too long");
    }
    assert!(with_data >= 10, "only {with_data} of 20 kills left data to recover");
}
