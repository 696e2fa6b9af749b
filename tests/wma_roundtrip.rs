//! The built-in WMA v2 encoder against independent readers: FFmpeg decodes what it writes
//! (no error line, gain 1.00, sample-aligned, complete) and its SNR is compared with
//! libavcodec's own wmav2 encoder on the same input, across the rate matrix.
//!
//! Quick inner loop: units are wrapped in a WAV file with the encoder's WAVEFORMATEX
//! (ffmpeg reads wmav2 in WAV); `asf_passthrough_*` wraps them in an ASF through the
//! writer's passthrough path.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{Sample, TempDir};
use wmwriter::codec::wma::WmaEncoder;
use wmwriter::codec::{EncodedUnit, Encoder, RawInput};
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::SF_CLEANPOINT;

fn have(tools: &[&str]) -> bool {
    common::have_tools(tools)
}

/// Test signals, interleaved, ±1.0 full scale.
#[derive(Clone, Copy, Debug)]
enum Signal {
    Sine,
    Chord,
    Mix,
    Noise,
    Transient,
}

fn lcg(seed: &mut u64) -> f32 {
    *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    ((*seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
}

fn signal(kind: Signal, rate: u32, ch: usize, secs: f32) -> Vec<f32> {
    let n = (rate as f32 * secs) as usize;
    let tau = 2.0 * std::f64::consts::PI;
    let tones = [220.0, 440.0, 880.0, 1320.0, 1760.0, 3520.0];
    let mut seed = 0x1234_5678u64;
    // Pink noise (Paul Kellet's economy filter) for MIX.
    let (mut b0, mut b1, mut b2) = (0f32, 0f32, 0f32);
    let mut out = Vec::with_capacity(n * ch);
    for i in 0..n {
        let t = i as f64 / rate as f64;
        for c in 0..ch {
            let v = match kind {
                Signal::Sine => 0.5 * (tau * 997.0 * t + c as f64 * 0.3).sin() as f32,
                Signal::Chord | Signal::Mix => {
                    let env = 0.6 + 0.4 * (tau * 2.0 * t).sin();
                    let s: f64 = tones.iter().enumerate().map(|(k, f)| (tau * f * t + k as f64 + c as f64).sin()).sum::<f64>() / 6.0;
                    let tonal = (s * env) as f32 * 0.8;
                    if matches!(kind, Signal::Mix) {
                        let w = lcg(&mut seed);
                        b0 = 0.99765 * b0 + w * 0.0990460;
                        b1 = 0.96300 * b1 + w * 0.2965164;
                        b2 = 0.57000 * b2 + w * 1.0526913;
                        let pink = (b0 + b1 + b2 + w * 0.1848) * 0.25;
                        tonal * 0.8 + 0.2 * pink.clamp(-1.0, 1.0)
                    } else {
                        tonal
                    }
                }
                Signal::Noise => 0.1 * 1.7 * lcg(&mut seed),
                Signal::Transient => {
                    // A click train: decaying 2 kHz bursts every 0.25 s on near silence.
                    let ph = t % 0.25;
                    let burst = if ph > 0.1 { (-(ph - 0.1) * 60.0).exp() * (tau * 2000.0 * ph).sin() } else { 0.0 };
                    0.7 * burst as f32 + 0.001 * lcg(&mut seed)
                }
            };
            out.push(v);
        }
    }
    out
}

fn to_i32(x: &[f32]) -> Vec<i32> {
    x.iter().map(|&v| (v.clamp(-1.0, 1.0) as f64 * 2_147_483_647.0) as i32).collect()
}

/// Encode with the built-in encoder, feeding uneven chunks.
fn encode_builtin(x: &[f32], version: u8, ch: usize, rate: u32, br: u32) -> (MediaType, Vec<EncodedUnit>) {
    let mut e = WmaEncoder::new(version, ch as u16, rate, br).unwrap();
    let pcm = to_i32(x);
    let mut out = Vec::new();
    let mut pos = 0;
    let mut k = 0;
    while pos < pcm.len() {
        let len = ((1000 + 377 * k) % 4000 + 1) * ch;
        let end = (pos + len).min(pcm.len());
        e.encode(RawInput::Audio(&pcm[pos..end]), 0, &mut out).unwrap();
        pos = end;
        k += 1;
    }
    e.flush(&mut out).unwrap();
    (e.output_type().clone(), out)
}

/// Wrap encoded units in an ASF file through the writer's passthrough path.
fn write_asf(path: &Path, mt: &MediaType, br: u32, units: &[EncodedUnit]) {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(mt.clone());
    a.bitrate = br;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let samples: Vec<Sample> = units
        .iter()
        .map(|u| Sample::Stream { stream: 1, time: u.time, duration: u.duration, flags: SF_CLEANPOINT, data: u.data.clone() })
        .collect();
    common::write_file(path, &p, &[0], &samples);
}

/// ffmpeg's decode of `file` as interleaved f32, and its stderr (warnings and errors).
fn ffmpeg_decode(file: &Path) -> (Vec<f32>, String) {
    let o = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "warning", "-guess_layout_max", "0"])
        // WAV: one block_align per packet (the demuxer's smallest packet), as ASF has it.
        .args(if file.extension().is_some_and(|e| e == "wav") { &["-max_size", "1"][..] } else { &[][..] })
        .arg("-i")
        .arg(file)
        .args(["-f", "f32le", "-c:a", "pcm_f32le", "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "ffmpeg failed on {}: {}", file.display(), String::from_utf8_lossy(&o.stderr));
    let y = o.stdout.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    // The WAV demuxer's note about compressed data is not a decoding problem.
    let err = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| !l.contains("Estimating duration from bitrate"))
        .collect::<Vec<_>>()
        .join("\n");
    (y, err)
}

/// libavcodec's wmav2 encode (ffmpeg CLI) of `x`, decoded by ffmpeg; None where it refuses.
fn lavc_roundtrip(dir: &TempDir, x: &[f32], ch: usize, rate: u32, br: u32) -> Option<Vec<f32>> {
    let raw: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
    let out = dir.path(&format!("lavc-{rate}-{ch}-{br}.asf"));
    let mut child = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "f32le", "-ar", &rate.to_string(), "-ac", &ch.to_string(), "-i", "-"])
        .args(["-c:a", "wmav2", "-b:a", &br.to_string()])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(&raw);
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    if !o.status.success() {
        return None;
    }
    Some(ffmpeg_decode(&out).0)
}

/// Best lag (y[m] ≈ x[m - lag]) within ±`range` frames, from a middle segment.
fn best_lag(x: &[f32], y: &[f32], ch: usize, range: isize) -> isize {
    let frames = (x.len() / ch).min(y.len() / ch) as isize;
    let (s, len) = (frames / 3, 4096.min(frames / 3));
    let mut best = (f64::MIN, 0);
    for lag in -range..=range {
        let mut acc = 0f64;
        let mut e = 0f64;
        for m in s..s + len {
            let k = m - lag;
            if k < 0 || k >= frames || m >= y.len() as isize / ch as isize {
                continue;
            }
            let (a, b) = (x[(k as usize) * ch] as f64, y[m as usize * ch] as f64);
            acc += a * b;
            e += b * b;
        }
        let score = acc / e.sqrt().max(1e-12);
        if score > best.0 {
            best = (score, lag);
        }
    }
    best.1
}

/// (SNR dB, gain) of y against x at `lag`, 4096 frames excluded at each edge.
fn snr(x: &[f32], y: &[f32], ch: usize, lag: isize) -> (f64, f64) {
    let frames = (x.len() / ch) as isize;
    let (mut sx, mut sxy, mut se) = (0f64, 0f64, 0f64);
    for m in 4096..frames - 4096 {
        let k = m - lag;
        for c in 0..ch {
            let a = x[k as usize * ch + c] as f64;
            let b = y.get(m as usize * ch + c).copied().unwrap_or(0.0) as f64;
            sx += a * a;
            sxy += a * b;
            se += (a - b) * (a - b);
        }
    }
    (10.0 * (sx / se.max(1e-30)).log10(), sxy / sx)
}

struct Cell {
    ours: f64,
    gain: f64,
    lag: isize,
    reference: Option<f64>,
}

fn run_cell(dir: &TempDir, kind: Signal, rate: u32, ch: usize, br: u32, secs: f32) -> Cell {
    let x = signal(kind, rate, ch, secs);
    let (mt, units) = encode_builtin(&x, 2, ch, rate, br);
    let asf = dir.path(&format!("ours-{kind:?}-{rate}-{ch}-{br}.wma"));
    write_asf(&asf, &mt, br, &units);
    let (y, err) = ffmpeg_decode(&asf);
    assert!(err.trim().is_empty(), "{kind:?} {rate} Hz {ch} ch {br}: ffmpeg said: {err}");
    assert!(y.len() >= x.len(), "{kind:?} {rate} {ch} {br}: decoded {} < input {} samples", y.len(), x.len());
    let lag = best_lag(&x, &y, ch, 2048);
    let (ours, gain) = snr(&x, &y, ch, 0);
    // libavcodec's output lags by one frame (y[m] = x[m + frame_len]); the lag search
    // confirms it on non-periodic signals.
    let n = mt.wave_format().map(|w| wmwriter::codec::wma::Params::new(2, ch, rate, w.avg_bytes_per_sec * 8).unwrap().frame_len).unwrap();
    let reference = lavc_roundtrip(dir, &x, ch, rate, br).map(|r| {
        let lag = best_lag(&x, &r, ch, 4096);
        snr(&x, &r, ch, lag).0.max(snr(&x, &r, ch, -(n as isize)).0)
    });
    Cell { ours, gain, lag, reference }
}

#[test]
#[ignore = "open (issue 13): this MIX is noisier than encoders.md's (both encoders reach ~14 dB), so the 29.5 dB absolute target is not measured as specified yet"]
fn wmav2_44100_stereo_128k_mix() {
    if !have(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("wma-mix");
    let c = run_cell(&dir, Signal::Mix, 44100, 2, 128_000, 3.0);
    println!("ours {:.2} dB gain {:.4} lag {} lavc {:?}", c.ours, c.gain, c.lag, c.reference);
    assert_eq!(c.lag, 0);
    assert!((c.gain - 1.0).abs() <= 0.01, "gain {}", c.gain);
    assert!(c.ours >= 29.5, "MIX 128k stereo: {:.2} dB", c.ours);
}

/// The rate matrix: every cell must be within 1 dB of libavcodec (where it accepts the
/// cell), sample-aligned, at unit gain on tonal input. Prints the README table.
#[test]
#[cfg_attr(debug_assertions, ignore = "minutes in a debug build: scripts/test-all.sh runs it with --release")]
fn wmav2_rate_matrix() {
    if !have(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("wma-matrix");
    let kinds = [Signal::Chord, Signal::Mix, Signal::Noise, Signal::Transient];
    let mut table = String::from("| rate | ch | kbit/s | chord | MIX | noise | transient |\n|---|---|---|---|---|---|---|\n");
    let mut failures = Vec::new();
    for rate in [8000, 11025, 16000, 22050, 32000, 44100, 48000] {
        for ch in [1, 2] {
            for kbps in [32, 64, 128, 192] {
                let br = kbps * 1000;
                let mut row = format!("| {rate} | {ch} | {kbps} |");
                for kind in kinds {
                    let c = run_cell(&dir, kind, rate, ch, br, 2.0);
                    let cell = format!("{kind:?} {rate} Hz {ch} ch {kbps}k");
                    match c.reference {
                        Some(r) => {
                            row += &format!(" {:.1} / {:.1} |", c.ours, r);
                            if c.ours < r - 1.0 {
                                failures.push(format!("{cell}: {:.2} dB < libavcodec {:.2} - 1", c.ours, r));
                            }
                        }
                        None => row += &format!(" {:.1} / - |", c.ours),
                    }
                    if matches!(kind, Signal::Mix | Signal::Noise) && c.lag != 0 {
                        failures.push(format!("{cell}: lag {} (want 0)", c.lag));
                    }
                    if matches!(kind, Signal::Chord) && c.ours > 30.0 && (c.gain - 1.0).abs() > 0.01 {
                        failures.push(format!("{cell}: gain {:.4}", c.gain));
                    }
                }
                table += &row;
                table.push('\n');
            }
        }
    }
    println!("SNR dB, built-in / libavcodec (ffmpeg 5.1 -c:a wmav2), 2 s, ffmpeg decode:\n{table}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn wmav2_44100_stereo_128k_sine() {
    if !have(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("wma-sine");
    for kind in [Signal::Sine, Signal::Chord, Signal::Noise, Signal::Transient] {
        let c = run_cell(&dir, kind, 44100, 2, 128_000, 3.0);
        println!("{kind:?} ours {:.2} dB gain {:.4} lag {} lavc {:?}", c.ours, c.gain, c.lag, c.reference);
    }
}
