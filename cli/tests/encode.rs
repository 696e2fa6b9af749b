//! `wmwrite wav IN OUT --codec …`: the CLI encodes through the writer's codec layer.
//! WMA Lossless decodes (ffmpeg) to exactly the WAV's samples; WMA v2 at 128 kbit/s is
//! wmav2 at 128k ± 10 % and decodes with no message.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

fn tools() -> bool {
    let ok = Command::new("ffmpeg").arg("-version").output().is_ok() && Command::new("ffprobe").arg("-version").output().is_ok();
    assert!(ok || std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() != Ok("1"), "ffmpeg missing (WMWRITER_REQUIRE_TOOLS=1)");
    ok
}

fn wav(path: &PathBuf, pcm: &[u8]) {
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + pcm.len() as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    for v in [1u16, 2] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&44100u32.to_le_bytes());
    h.extend_from_slice(&(44100u32 * 4).to_le_bytes());
    h.extend_from_slice(&4u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(pcm.len() as u32).to_le_bytes());
    h.extend_from_slice(pcm);
    std::fs::write(path, h).unwrap();
}

#[test]
fn wav_encodes_to_wma_lossless_bit_exact_and_to_wmav2() {
    if !tools() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("wmwrite-encode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.wav");
    let mut pcm = Vec::new();
    for n in 0..441_000u32 {
        let t = n as f64 / 44100.0;
        pcm.extend_from_slice(&((8000.0 * (6.283 * 440.0 * t).sin()) as i16).to_le_bytes());
        pcm.extend_from_slice(&((6000.0 * (6.283 * 660.0 * t).sin()) as i16).to_le_bytes());
    }
    wav(&input, &pcm);

    let lossless = dir.join("l.wma");
    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(&lossless).args(["--codec", "wmalossless"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dec = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-i"]).arg(&lossless).args(["-f", "s16le", "-"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&dec.stderr), "");
    assert!(dec.stdout == pcm, "WMA Lossless from the CLI does not decode to the WAV's samples");
    assert!(std::fs::metadata(&lossless).unwrap().len() < pcm.len() as u64);

    let lossy = dir.join("v2.wma");
    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(&lossy).args(["--codec", "wmav2", "--bitrate", "128k"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name,bit_rate", "-of", "csv=p=0"])
        .arg(&lossy)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    let (codec, rate) = text.split_once(',').unwrap();
    assert_eq!(codec, "wmav2");
    let rate: f64 = rate.parse().unwrap();
    assert!((rate - 128_000.0).abs() <= 12_800.0, "bit rate {rate}");
    let dec = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-i"]).arg(&lossy).args(["-f", "null", "-"]).output().unwrap();
    assert!(dec.status.success());
    assert_eq!(String::from_utf8_lossy(&dec.stderr), "");

    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(dir.join("x.wma")).args(["--codec", "opus"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "an unknown codec is a usage error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("wmalossless"), "the error lists the codecs");
    std::fs::remove_dir_all(dir).ok();
}
