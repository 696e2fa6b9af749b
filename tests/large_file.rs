//! Opt-in: a file over 4 GiB is valid (64-bit sizes and counts). Run with
//! `cargo test --release --test large_file -- --ignored` (needs ~5 GB of disk in the
//! temp dir; takes ~10–60 s). Uses ffprobe/ffmpeg when installed.

use std::process::Command;

use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::Writer;

#[test]
#[ignore = "writes 4.6 GB; run explicitly"]
fn file_over_4_gib_is_valid() {
    let dir = std::env::var("WMWRITER_LARGE_DIR").map(std::path::PathBuf::from).unwrap_or_else(|_| std::env::temp_dir());
    let path = dir.join(format!("wmwriter-large-{}.wma", std::process::id()));
    let mut p = ProfileData::new(0x0009_0000);
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    let mt = MediaType::pcm(8, 192_000, 32);
    s.bitrate = 8 * 4 * 192_000 * 8;
    s.media_type = Some(mt);
    p.add_stream(s).unwrap();
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    let sample = 1 << 20; // 1 MiB = 4096 frames of 8 ch × 32 bit
    let n = 4400u64; // 4.6 GB
    let frames_per_sample = sample as u64 / 32;
    for i in 0..n {
        let b = w.allocate_sample(sample).unwrap();
        let mut bytes = vec![0u8; sample as usize];
        bytes[..8].copy_from_slice(&i.to_le_bytes());
        b.copy_from(&bytes).unwrap();
        w.write_sample(0, i * frames_per_sample * 10_000_000 / 192_000, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
    let summary = w.last_summary().unwrap().clone();
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len > 4 << 30, "file is {len} bytes");
    assert_eq!(summary.file_size, len);
    // File Properties: file size and packet count as 64-bit values.
    let head = std::fs::read(&path).map(|_| ()).ok();
    let _ = head;
    let mut f = std::fs::File::open(&path).unwrap();
    let mut hdr = vec![0u8; 4096];
    use std::io::Read;
    f.read_exact(&mut hdr).unwrap();
    let fp = 30;
    assert_eq!(u64::from_le_bytes(hdr[fp + 40..fp + 48].try_into().unwrap()), len);
    assert_eq!(u64::from_le_bytes(hdr[fp + 56..fp + 64].try_into().unwrap()), summary.packets);
    if Command::new("ffprobe").arg("-version").output().is_ok() {
        let out = Command::new("ffprobe")
            .args(["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"])
            .arg(&path)
            .output()
            .unwrap();
        let dur: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        let expect = (n * frames_per_sample) as f64 / 192_000.0;
        assert!((dur - expect).abs() < 0.05, "duration {dur} vs {expect}");
        // Decode the last second: the reader must address data beyond 4 GiB.
        let out = Command::new("ffmpeg")
            .args(["-v", "error", "-guess_layout_max", "0", "-ss"])
            .arg(format!("{}", expect - 1.0))
            .arg("-i")
            .arg(&path)
            .args(["-f", "s32le", "-"])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(out.stdout.len() >= 192_000 * 32 / 2, "decoded {} bytes from the end", out.stdout.len());
    }
    std::fs::remove_file(&path).unwrap();
}
