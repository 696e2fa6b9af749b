//! Container overhead with the writer's DEFAULT packet size (the profile sets none) for
//! every PCM layout `wmwrite wav` accepts: 1, 2 and 6 channels × 8, 16, 24 and 32 bits
//! × 8–96 kHz, in three sample groupings:
//!
//! - 100 ms samples (what a WAV reader typically hands over): ≤ 2 % (except the two
//!   layouts whose 100 ms are under 1200 bytes: see `Grouping::limit`);
//! - about 200-byte samples (whole blocks): ≤ 2 % where a sample lasts at least 1 ms
//!   (shorter objects cannot share a compressed payload, whose time delta is whole
//!   milliseconds: each then costs a 17-byte payload header, see `asf::packet`);
//! - about 4096-byte samples (whole blocks): ≤ 1 %.
//!
//! Overhead = (file size − payload bytes) / payload bytes, header and all. Every file is
//! checked with ffprobe (one packet per written sample) and decoded by ffmpeg to the
//! layout's raw format (u8 / s16le / s24le / s32le), which must equal the input bytes
//! (objects shorter than 1 ms excepted: they share millisecond time stamps, which
//! ffmpeg's raw muxer warns about); the library's reader must give back every object
//! bit-exact.
//!
//! Run with `--nocapture` to see the table; it also shows, for comparison, the overhead
//! with the SDK's packet size (what the writer chose before the dense default, and
//! still chooses when writing in real time).

mod common;

use std::path::Path;

use common::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::reader;
use wmwriter::writer::{default_packet_size, StreamPlan};

const SEC: u64 = 10_000_000;
const CHANNELS: [u16; 3] = [1, 2, 6];
const BITS: [u16; 4] = [8, 16, 24, 32];
const RATES: [u32; 9] = [8_000, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 88_200, 96_000];
/// Payload per file: large enough that the header (about 800 bytes) and the padding of
/// the last packet (up to 16 KiB) weigh little (under 0.02 % and 0.4 %).
const PAYLOAD: u64 = 4 << 20;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Grouping {
    Ms100,
    B200,
    B4096,
}

impl Grouping {
    fn name(self) -> &'static str {
        match self {
            Grouping::Ms100 => "100 ms",
            Grouping::B200 => "200 B",
            Grouping::B4096 => "4096 B",
        }
    }

    /// Bytes per sample for a layout (whole blocks).
    fn sample_bytes(self, align: u64, rate: u64) -> u64 {
        match self {
            Grouping::Ms100 => rate / 10 * align,
            Grouping::B200 => (200 / align).max(1) * align,
            Grouping::B4096 => 4096 / align * align,
        }
    }

    /// The overhead asserted, or `None` (printed only) for objects shorter than 1 ms.
    fn limit(self, sample_bytes: u64, bytes_per_sec: u64) -> Option<f64> {
        match self {
            // Objects of 256 bytes or more take a 17-byte payload header each (they are
            // too large for a compressed payload): 100 ms of 8-bit mono at 8 and
            // 11.025 kHz (800 and 1102 bytes) pay 2.1 and 1.5 % for those alone, plus
            // the packet headers and the second header of the object split at each
            // packet's end (about 0.5 %). `wmwrite wav` writes 0.5 s samples there.
            Grouping::Ms100 if sample_bytes < 1200 => Some(17.0 / sample_bytes as f64 + 0.006),
            Grouping::Ms100 => Some(0.02),
            Grouping::B200 if sample_bytes * 1000 < bytes_per_sec => None,
            Grouping::B200 => Some(0.02),
            Grouping::B4096 => Some(0.01),
        }
    }
}

fn profile(channels: u16, rate: u32, bits: u16) -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    let mt = MediaType::pcm(channels, rate, bits);
    a.bitrate = mt.wave_format().unwrap().avg_bytes_per_sec * 8;
    a.media_type = Some(mt);
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    p
}

fn raw_format(bits: u16) -> &'static str {
    match bits {
        8 => "u8",
        16 => "s16le",
        24 => "s24le",
        _ => "s32le",
    }
}

struct Case {
    channels: u16,
    rate: u32,
    bits: u16,
    grouping: Grouping,
}

struct Measured {
    sample_bytes: u64,
    samples: usize,
    packet_size: u32,
    overhead: f64,
    limit: Option<f64>,
    /// The SDK's packet size (what the writer chose before the dense default, and still
    /// chooses in real time) and the overhead with it, for comparison (not asserted).
    sdk: (u32, f64),
}

/// Write one case into `path` with default settings; check it with every reader.
fn measure(path: &Path, c: &Case, tools: bool) -> Measured {
    let align = (c.channels * c.bits / 8) as u64;
    let bytes_per_sec = c.rate as u64 * align;
    let sample_bytes = c.grouping.sample_bytes(align, c.rate as u64);
    let n = (PAYLOAD / sample_bytes).max(8) as usize;
    let seed = (c.channels as u64) << 40 | (c.bits as u64) << 32 | c.rate as u64;
    let data = noise(seed, n * sample_bytes as usize);
    let samples: Vec<Sample> = (0..n)
        .map(|k| {
            let at = k as u64 * sample_bytes;
            let time = at / align * SEC / c.rate as u64;
            Sample::Input { input: 0, time, flags: 0, data: data[at as usize..(at + sample_bytes) as usize].to_vec() }
        })
        .collect();
    let profile = profile(c.channels, c.rate, c.bits);
    let summary = write_file(path, &profile, &[], &samples);
    let payload = data.len() as u64;
    let overhead = (summary.file_size - payload) as f64 / payload as f64;
    let plans: Vec<StreamPlan> = profile.streams.iter().map(StreamPlan::new).collect();
    let mut sdk_profile = profile.clone();
    sdk_profile.max_packet_size = default_packet_size(bytes_per_sec * 8, &plans, 3000, true);
    let sdk_file = write_file(&path.with_extension("sdk.wma"), &sdk_profile, &[], &samples).file_size;
    std::fs::remove_file(path.with_extension("sdk.wma")).unwrap();
    let sdk = (sdk_profile.max_packet_size, (sdk_file - payload) as f64 / payload as f64);
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(bytes.len() as u64, summary.file_size);
    // The library's reader: every object, bit-exact, in order.
    let f = reader::read(&bytes).unwrap_or_else(|e| panic!("reader: {e}"));
    let (start, len) = f.packet_range().expect("packets");
    let body = &bytes[start as usize..(start + len) as usize];
    let packets = reader::parse_packets(body, f.packet_size().unwrap() as usize).unwrap();
    let objs = reader::media_objects(&packets, body).unwrap();
    assert_eq!(objs.len(), n, "the reader's object count");
    for (k, o) in objs.iter().enumerate() {
        let at = k * sample_bytes as usize;
        assert!(o.data == data[at..at + sample_bytes as usize], "object {k}: bytes differ");
    }
    let _ = walk_file(path);
    if tools {
        let p = path.to_str().unwrap();
        let r = run("ffprobe", &["-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", p]).ok();
        assert!(r.stderr.trim().is_empty(), "ffprobe: {}", r.stderr);
        assert_eq!(r.text().trim(), n.to_string(), "ffprobe's packet count");
        // Objects shorter than 1 ms share millisecond time stamps, and ffmpeg's raw
        // muxer then warns about equal dts: their bytes are checked by our reader only.
        let sub_ms = sample_bytes * 1000 < bytes_per_sec;
        if sub_ms {
            return Measured { sample_bytes, samples: n, packet_size: summary.packet_size, overhead, limit: None, sdk };
        }
        let decoded = ffmpeg_clean(&["-guess_layout_max", "0", "-i", p, "-f", raw_format(c.bits), "-"]);
        assert!(
            decoded == data,
            "ffmpeg's {} decode differs from the input ({} vs {} bytes)",
            raw_format(c.bits),
            decoded.len(),
            data.len()
        );
    }
    Measured {
        sample_bytes,
        samples: n,
        packet_size: summary.packet_size,
        overhead,
        limit: c.grouping.limit(sample_bytes, bytes_per_sec),
        sdk,
    }
}

fn table(groupings: &[Grouping]) {
    let tools = have_tools(&["ffprobe", "ffmpeg"]);
    let dir = TempDir::new("density-layouts");
    let path = dir.path("pcm.wma");
    let mut failures = Vec::new();
    println!(
        "{:>2} {:>2} {:>6} {:>7} {:>7} {:>6} {:>6} {:>9}  {:>10} {:>12}",
        "ch", "bit", "rate", "group", "sample", "n", "packet", "overhead", "SDK packet", "SDK overhead"
    );
    for &grouping in groupings {
        for channels in CHANNELS {
            for bits in BITS {
                for rate in RATES {
                    let c = Case { channels, rate, bits, grouping };
                    let m = measure(&path, &c, tools);
                    let flag = match m.limit {
                        Some(l) if m.overhead > l => {
                            failures.push(format!(
                                "{channels} ch {bits}-bit {rate} Hz, {}: {:.3} % > {:.0} %",
                                grouping.name(),
                                m.overhead * 100.0,
                                l * 100.0
                            ));
                            " FAIL"
                        }
                        None => " (not asserted: < 1 ms)",
                        _ => "",
                    };
                    println!(
                        "{channels:>2} {bits:>2} {rate:>6} {:>7} {:>7} {:>6} {:>6} {:>8.3}%  {:>10} {:>11.3}%{flag}",
                        grouping.name(),
                        m.sample_bytes,
                        m.samples,
                        m.packet_size,
                        m.overhead * 100.0,
                        m.sdk.0,
                        m.sdk.1 * 100.0
                    );
                }
            }
        }
    }
    assert!(failures.is_empty(), "overhead above the limit:\n{}", failures.join("\n"));
}

#[test]
fn every_layout_100ms_samples_default_packets() {
    table(&[Grouping::Ms100]);
}

#[test]
fn every_layout_200_byte_samples_default_packets() {
    table(&[Grouping::B200]);
}

#[test]
fn every_layout_4096_byte_samples_default_packets() {
    table(&[Grouping::B4096]);
}
