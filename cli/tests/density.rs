//! `wmwrite wav` (PCM) for every layout it accepts — 1, 2 and 6 channels × 8, 16, 24
//! and 32 bits × 8–96 kHz — with the CLI's own packet size and sample grouping
//! (`write::pcm_geometry`): the file's overhead over the WAV's data bytes is at most
//! 2 %, ffprobe counts as many packets as the media objects `wmwrite info --packets`
//! finds (the CLI's samples: about 100 ms each, in whole packets),
//! and ffmpeg decodes the WAV's data bit-exact. Without ffmpeg/ffprobe the reader
//! checks are skipped with a message (a failure with WMWRITER_REQUIRE_TOOLS=1).
//!
//! Run with `--nocapture` to see the table.

mod common;
use common::{noise, wave_format, Scratch};

use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");
/// Data bytes per WAV: large enough that the header and the last, partly filled packet
/// weigh little.
const DATA: usize = 4 << 20;

fn have_tools() -> bool {
    let ok = ["ffmpeg", "ffprobe"]
        .iter()
        .all(|t| Command::new(t).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()));
    if !ok {
        if std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("ffmpeg/ffprobe are required (WMWRITER_REQUIRE_TOOLS=1) but cannot be run");
        }
        let _ =
            std::io::Write::write_all(&mut std::io::stderr(), b"density: SKIPPED the ffmpeg/ffprobe checks: ffmpeg/ffprobe not found\n");
    }
    ok
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{cmd} {args:?} printed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A canonical WAV (plain WAVEFORMATEX up to 2 channels and 16 bits, else extensible,
/// as WAV writers do) of `data`.
fn wav(channels: u16, rate: u32, bits: u16, data: &[u8]) -> Vec<u8> {
    let extensible = channels > 2 || bits > 16;
    let fmt = wave_format(channels, rate, bits, extensible);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((4 + 8 + fmt.len() + 8 + data.len()) as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    out.extend_from_slice(&fmt);
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn wav_pcm_overhead_at_most_2_percent_for_every_layout() {
    let tools = have_tools();
    let dir = Scratch::new("density");
    let (input, output) = (dir.path("in.wav"), dir.path("out.wma"));
    let mut failures = Vec::new();
    println!("{:>2} {:>2} {:>6} {:>9} {:>9} {:>6} {:>7} {:>9}", "ch", "bit", "rate", "data", "asf", "packet", "samples", "overhead");
    for channels in [1u16, 2, 6] {
        for bits in [8u16, 16, 24, 32] {
            for rate in [8_000u32, 11_025, 16_000, 22_050, 32_000, 44_100, 48_000, 88_200, 96_000] {
                let align = (channels * bits / 8) as usize;
                let data = noise((channels as u64) << 40 | (bits as u64) << 32 | rate as u64, DATA / align * align);
                std::fs::write(&input, wav(channels, rate, bits, &data)).unwrap();
                let out = Command::new(BIN)
                    .args(["wav", s(&input), s(&output)])
                    .env("WMWRITE_NO_PROGRESS", "1")
                    .stdin(Stdio::null())
                    .output()
                    .expect("run wmwrite");
                assert!(out.status.success(), "wmwrite wav failed: {}", String::from_utf8_lossy(&out.stderr));
                let asf = std::fs::metadata(&output).unwrap().len();
                let overhead = (asf - data.len() as u64) as f64 / data.len() as f64;
                let info: serde_json::Value = serde_json::from_slice(
                    &Command::new(BIN).args(["info", s(&output), "--json", "--packets"]).output().expect("wmwrite info").stdout,
                )
                .expect("info --json");
                let packet = info["packet_size"].as_u64().unwrap_or(0);
                let objects = info["packet_check"]["media_objects"]["1"].as_u64().expect("media objects of stream 1");
                let mut samples = String::from("-");
                if tools {
                    let o = s(&output);
                    let n =
                        tool("ffprobe", &["-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", o]);
                    let n: u64 = n.trim().parse().unwrap();
                    assert_eq!(n, objects, "ffprobe's packets against the media objects `wmwrite info --packets` counts");
                    // The CLI's grouping: about 100 ms per sample in whole packets (up to
                    // 0.5 s where a packet holds more than 100 ms).
                    let secs = data.len() as f64 / align as f64 / rate as f64;
                    assert!((n as f64) <= secs * 20.0 + 1.0 && (n as f64) >= secs / 0.6, "{n} samples for {secs} s");
                    samples = n.to_string();
                    let fmt = match bits {
                        8 => "u8",
                        16 => "s16le",
                        24 => "s24le",
                        _ => "s32le",
                    };
                    let dec = Command::new("ffmpeg")
                        .args(["-nostdin", "-v", "error", "-guess_layout_max", "0", "-i", o, "-f", fmt, "-"])
                        .stdin(Stdio::null())
                        .output()
                        .expect("ffmpeg");
                    assert!(dec.status.success() && dec.stderr.is_empty(), "ffmpeg: {}", String::from_utf8_lossy(&dec.stderr));
                    assert!(
                        dec.stdout == data,
                        "{channels} ch {bits}-bit {rate} Hz: ffmpeg's decode differs ({} vs {} bytes)",
                        dec.stdout.len(),
                        data.len()
                    );
                }
                let flag = if overhead > 0.02 { " FAIL" } else { "" };
                if overhead > 0.02 {
                    failures.push(format!("{channels} ch {bits}-bit {rate} Hz: {:.3} %", overhead * 100.0));
                }
                println!(
                    "{channels:>2} {bits:>2} {rate:>6} {:>9} {asf:>9} {packet:>6} {samples:>7} {:>8.3}%{flag}",
                    data.len(),
                    overhead * 100.0
                );
            }
        }
    }
    assert!(failures.is_empty(), "overhead above 2 %:\n{}", failures.join("\n"));
}
