//! Checks for the libavcodec backend, shared by the test binaries that load different
//! libavcodec builds (the backend loads one library per process).
#![allow(dead_code)]

use std::path::Path;

use crate::common::*;
use wmwriter::codec::{EncodedUnit, EncoderConfig, Pipeline};
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::media::WaveFormatEx;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::SF_CLEANPOINT;

pub const SEC: u64 = 10_000_000;

/// The reference's MIX signal: a six-tone chord with a 2 Hz envelope plus pink-ish
/// noise (deterministic), interleaved f32 at `rate` × `ch`.
pub fn mix_signal(rate: u32, ch: usize, secs: f64) -> Vec<f32> {
    let n = (rate as f64 * secs) as usize;
    let mut v = Vec::with_capacity(n * ch);
    let tones = [220.0, 440.0, 880.0, 1320.0, 1760.0, 3520.0];
    let mut seed = 0x1234_5678u32;
    let mut b = [0f32; 3];
    for k in 0..n {
        let t = k as f64 / rate as f64;
        let env = 0.5 + 0.5 * (2.0 * std::f64::consts::PI * 2.0 * t).sin();
        let chord: f64 = tones.iter().map(|f| (2.0 * std::f64::consts::PI * f * t).sin()).sum::<f64>() / 6.0;
        for c in 0..ch {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let white = (seed >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0;
            b[0] = 0.997 * b[0] + 0.029 * white;
            b[1] = 0.985 * b[1] + 0.032 * white;
            b[2] = 0.950 * b[2] + 0.048 * white;
            let pink = b[0] + b[1] + b[2] + 0.02 * white;
            let phase = if c == 1 { 0.9 } else { 1.0 };
            v.push((0.2 * chord * env * phase) as f32 + 0.2 * pink);
        }
    }
    v
}

pub fn to_s16(x: &[f32]) -> Vec<u8> {
    x.iter().flat_map(|&s| ((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes()).collect()
}

pub fn f32_bytes(x: &[f32]) -> Vec<u8> {
    x.iter().flat_map(|s| s.to_le_bytes()).collect()
}

pub fn read_f32(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// A WMA (or MP3) target as a profile would describe it (block align etc. are the
/// profile's; the encoder replaces them).
pub fn audio_cfg(tag: u16, rate: u32, ch: u16, bitrate: u32) -> EncoderConfig {
    let wfx = WaveFormatEx {
        format_tag: tag,
        channels: ch,
        samples_per_sec: rate,
        avg_bytes_per_sec: bitrate / 8,
        block_align: 2973,
        bits_per_sample: 16,
        extra: vec![0, 0x88, 0, 0, 0x0F, 0, 0x36, 8, 0, 0],
    };
    let mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(tag as u32),
        fixed_size_samples: true,
        temporal_compression: false,
        sample_size: 2973,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx.to_bytes(),
    };
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    s.media_type = Some(mt);
    s.bitrate = bitrate;
    s.connection_name = "Audio".into();
    EncoderConfig { stream: s, settings: Vec::new(), pass: Default::default() }
}

pub fn video_cfg(subtype: Guid, w: i32, h: i32, fps: u64, bitrate: u32) -> EncoderConfig {
    let mut mt = MediaType::raw_video(subtype, w, h, (SEC / fps) as i64);
    mt.temporal_compression = true;
    mt.fixed_size_samples = false;
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    s.media_type = Some(mt);
    s.bitrate = bitrate;
    s.buffer_window = 3000;
    s.max_key_frame_spacing = (2 * SEC) as i64;
    s.connection_name = "Video".into();
    EncoderConfig { stream: s, settings: Vec::new(), pass: Default::default() }
}

/// Write `units` of one stream into `path` with the passthrough path.
pub fn write_units(path: &Path, cfg: &EncoderConfig, output: &MediaType, units: &[EncodedUnit]) {
    let mut p = ProfileData::new(0x0009_0000);
    let mut s = cfg.stream.clone();
    s.number = 1;
    s.media_type = Some(output.clone());
    p.add_stream(s).unwrap();
    let samples: Vec<Sample> = units
        .iter()
        .map(|u| Sample::Stream {
            stream: 1,
            time: u.time,
            duration: u.duration,
            flags: if u.key_frame { SF_CLEANPOINT } else { 0 },
            data: u.data.clone(),
        })
        .collect();
    write_file(path, &p, &[0], &samples);
}

/// Push `data` through a pipeline in `chunk`-byte samples of `chunk_time` each.
pub fn encode_all(input: &MediaType, cfg: &EncoderConfig, data: &[u8], chunk: usize, chunk_time: u64) -> (MediaType, Vec<EncodedUnit>) {
    let mut p = Pipeline::open(input, cfg).unwrap_or_else(|e| panic!("Pipeline::open: {e}"));
    let mut units = Vec::new();
    for (i, c) in data.chunks(chunk).enumerate() {
        p.push(c, i as u64 * chunk_time, &mut units).unwrap();
    }
    p.finish(&mut units).unwrap();
    (p.output_type().clone(), units)
}

/// Best lag (decoded[k + lag] ≈ input[k]) in −range..=range, by cross-correlation of channel 0.
pub fn best_lag(input: &[f32], decoded: &[f32], ch: usize, range: i64) -> i64 {
    let x: Vec<f32> = input.iter().step_by(ch).copied().collect();
    let y: Vec<f32> = decoded.iter().step_by(ch).copied().collect();
    let mut best = (f64::MIN, 0);
    let start = (x.len() / 3).max(range as usize);
    let probe = start..(start + 8192).min(x.len().min(y.len()).saturating_sub(range as usize)).max(start + 1);
    for lag in -range..=range {
        let mut s = 0.0f64;
        for k in probe.clone() {
            let j = k as i64 + lag;
            if j >= 0 && (j as usize) < y.len() {
                s += x[k] as f64 * y[j as usize] as f64;
            }
        }
        if s > best.0 {
            best = (s, lag);
        }
    }
    best.1
}

/// SNR (dB) of `decoded` against `input` at `lag`, 4096 edge samples excluded.
pub fn snr(input: &[f32], decoded: &[f32], ch: usize, lag: i64) -> f64 {
    let frames = input.len() / ch;
    let (mut sig, mut err) = (0.0f64, 0.0f64);
    for k in 4096..frames.saturating_sub(4096) {
        let j = k as i64 + lag;
        if j < 0 || (j as usize + 1) * ch > decoded.len() {
            continue;
        }
        for c in 0..ch {
            let a = input[k * ch + c] as f64;
            let b = decoded[j as usize * ch + c] as f64;
            sig += a * a;
            err += (a - b) * (a - b);
        }
    }
    10.0 * (sig / err.max(1e-30)).log10()
}

pub fn decode_f32(path: &Path) -> Vec<f32> {
    read_f32(&ffmpeg_clean(&["-guess_layout_max", "0", "-i", path.to_str().unwrap(), "-f", "f32le", "-"]))
}

pub fn gst_decodes(path: &Path) {
    let loc = format!("location={}", path.display());
    let r = run("gst-launch-1.0", &["-q", "filesrc", &loc, "!", "decodebin", "!", "fakesink"]);
    assert_eq!(r.code, Some(0), "GStreamer failed on {}:\n{}{}", path.display(), r.text(), r.stderr);
    assert!(!r.stderr.contains("ERROR") && !r.text().contains("ERROR"), "GStreamer: {}", r.stderr);
}

/// The WMA acceptance check: 10 s stereo MIX at `rate`, `bitrate`, through the
/// pipeline and the passthrough writer path, against ffmpeg's own wmav2 encode.
pub fn wma_roundtrip(dir: &TempDir, codec: &str, tag: u16, rate: u32, ch: u16, bitrate: u32, secs: f64) -> (f64, f64) {
    let x = mix_signal(rate, ch as usize, secs);
    let input = MediaType::pcm(ch, rate, 16);
    let pcm = to_s16(&x);
    let xq: Vec<f32> = pcm.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32767.0).collect();
    let chunk_frames = rate as usize / 10;
    let (out_type, units) = encode_all(&input, &audio_cfg(tag, rate, ch, bitrate), &pcm, chunk_frames * 2 * ch as usize, SEC / 10);
    let wfx = out_type.wave_format().unwrap();
    assert_eq!(wfx.format_tag, tag);
    assert!(wfx.block_align > 0 && wfx.block_align != 2973, "block align {} is the encoder's, not the profile's", wfx.block_align);
    assert!(units.iter().all(|u| u.data.len() == wfx.block_align as usize), "every WMA packet is block_align bytes");
    for w in units.windows(2) {
        assert!(w[1].time > w[0].time, "unit times increase");
    }
    assert_eq!(units[0].time, 0);
    let f = dir.path(&format!("{codec}-{rate}-{ch}-{bitrate}.wma"));
    write_units(&f, &audio_cfg(tag, rate, ch, bitrate), &out_type, &units);

    let probe = ffprobe_json(&f, &["-show_streams", "-count_packets"]);
    let s = &probe.get("streams").arr()[0];
    assert_eq!(s.get("codec_name").str(), Some(codec));
    assert_eq!(s.get("sample_rate").str().and_then(|v| v.parse::<u32>().ok()), Some(rate));
    assert_eq!(s.get("channels").int(), Some(ch as i64));
    let br = s.get("bit_rate").str().and_then(|v| v.parse::<f64>().ok()).unwrap();
    assert!((br - bitrate as f64).abs() <= 0.1 * bitrate as f64, "bit rate {br} vs {bitrate}");
    let npk = s.get("nb_read_packets").str().and_then(|v| v.parse::<usize>().ok()).unwrap();
    assert_eq!(npk, units.len(), "packet count");

    let y = decode_f32(&f);
    let frames_in = x.len() / ch as usize;
    let frames_out = y.len() / ch as usize;
    let n = wfx.block_align as usize; // not samples; frame size below
    let _ = n;
    assert!(frames_out >= frames_in, "decoded {frames_out} frames < {frames_in} input frames (incomplete)");
    assert!(frames_out <= frames_in + 2 * 2048 + 1, "decoded {frames_out} frames, far more than {frames_in}");
    let lag = best_lag(&xq, &y, ch as usize, 3000);
    assert_eq!(lag, 0, "decoded audio is sample-aligned");
    let ours = snr(&xq, &y, ch as usize, 0);

    // libavcodec's own encoder on the same input at the same bit rate (ffmpeg CLI).
    let raw = dir.path("in.f32");
    std::fs::write(&raw, f32_bytes(&xq)).unwrap();
    let refp = dir.path(&format!("ref-{codec}-{rate}-{ch}.asf"));
    let (r, c, b) = (rate.to_string(), ch.to_string(), bitrate.to_string());
    let layout = if ch == 1 { "mono" } else { "stereo" };
    let _ = &c;
    ffmpeg_quiet(&[
        "-y",
        "-f",
        "f32le",
        "-ar",
        &r,
        "-ch_layout",
        layout,
        "-i",
        raw.to_str().unwrap(),
        "-c:a",
        codec,
        "-b:a",
        &b,
        refp.to_str().unwrap(),
    ]);
    let yr = decode_f32(&refp);
    let rlag = best_lag(&xq, &yr, ch as usize, 3000);
    let theirs = snr(&xq, &yr, ch as usize, rlag);
    println!("{codec} {rate} Hz {ch} ch {bitrate} bit/s: ours {ours:.2} dB (lag 0), ffmpeg {theirs:.2} dB (lag {rlag})");
    assert!(ours >= theirs - 0.05, "SNR {ours:.2} dB is worse than libavcodec's own {theirs:.2} dB");
    gst_decodes(&f);
    (ours, theirs)
}

/// testsrc2 frames as I420 from ffmpeg.
pub fn yuv_frames(dir: &TempDir, w: usize, h: usize, fps: u64, n: usize, pix_fmt: &str, flip: bool) -> Vec<u8> {
    let out = dir.path(&format!("src-{pix_fmt}-{w}x{h}-{flip}.raw"));
    let size = format!("testsrc2=size={w}x{h}:rate={fps}");
    let frames = n.to_string();
    let mut args = vec!["-y", "-f", "lavfi", "-i", &size, "-frames:v", &frames];
    if flip {
        args.extend(["-vf", "vflip"]);
    }
    args.extend(["-pix_fmt", pix_fmt, "-f", "rawvideo", out.to_str().unwrap()]);
    ffmpeg_clean(&args);
    std::fs::read(&out).unwrap()
}

pub fn psnr_y(a: &[u8], b: &[u8]) -> f64 {
    let mse = a.iter().zip(b).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum::<f64>() / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
}

/// Decoded frames as tight I420.
pub fn decode_yuv(path: &Path) -> Vec<u8> {
    ffmpeg_clean(&["-guess_layout_max", "0", "-i", path.to_str().unwrap(), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"])
}

/// The WMV acceptance check at `w`×`h`: I420 in, every frame decoded, key frames, PSNR
/// against ffmpeg's own encoder at the same bit rate.
pub fn wmv_roundtrip(dir: &TempDir, codec: &str, subtype: Guid, w: usize, h: usize, bitrate: u32) -> (f64, f64) {
    let fps = 25u64;
    let n = 100usize;
    let src = yuv_frames(dir, w, h, fps, n, "yuv420p", false);
    let fsz = w * h * 3 / 2;
    let cfg = video_cfg(subtype, w as i32, h as i32, fps, bitrate);
    let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, w as i32, h as i32, (SEC / fps) as i64);
    let (out_type, units) = encode_all(&input, &cfg, &src, fsz, SEC / fps);
    assert_eq!(units.len(), n, "one unit per frame");
    assert!(units[0].key_frame, "the first frame is a key frame");
    let keys: Vec<usize> = units.iter().enumerate().filter(|(_, u)| u.key_frame).map(|(i, _)| i).collect();
    assert!(keys.len() >= 2 && keys.windows(2).all(|k| k[1] - k[0] <= 50), "key frames every ≤ 2 s: {keys:?}");
    for (i, u) in units.iter().enumerate() {
        assert_eq!(u.time, i as u64 * SEC / fps, "unit {i} keeps its input time");
    }
    let vi = out_type.video_info().unwrap();
    assert_eq!((vi.width, vi.height), (w as i32, h as i32));
    assert_eq!(vi.compression, subtype.data1);
    let f = dir.path(&format!("{codec}.wmv"));
    write_units(&f, &cfg, &out_type, &units);
    let probe = ffprobe_json(&f, &["-show_streams", "-count_packets"]);
    let s = &probe.get("streams").arr()[0];
    assert_eq!(s.get("codec_name").str(), Some(codec));
    assert_eq!(s.get("nb_read_packets").str().and_then(|v| v.parse::<usize>().ok()), Some(n));
    let dec = decode_yuv(&f);
    assert_eq!(dec.len(), src.len(), "every frame decoded");
    let ours = psnr_y(&src, &dec);
    let bytes: usize = units.iter().map(|u| u.data.len()).sum();
    let rate = bytes as f64 * 8.0 / (n as f64 / fps as f64);

    let raw = dir.path("in.yuv");
    std::fs::write(&raw, &src).unwrap();
    let refp = dir.path(&format!("ref-{codec}.asf"));
    let (size, r, b) = (format!("{w}x{h}"), fps.to_string(), bitrate.to_string());
    let bufsize = (bitrate as u64 * 3).to_string();
    ffmpeg_quiet(&[
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "-s",
        &size,
        "-r",
        &r,
        "-i",
        raw.to_str().unwrap(),
        "-c:v",
        codec,
        "-b:v",
        &b,
        "-bufsize",
        &bufsize,
        "-maxrate",
        &b,
        "-g",
        "50",
        refp.to_str().unwrap(),
    ]);
    let theirs = psnr_y(&src, &decode_yuv(&refp));
    let (_, rpk) = ffprobe_packets(&refp, false);
    let rbytes: usize = rpk.iter().map(|p| p.size).sum();
    let rrate = rbytes as f64 * 8.0 / (n as f64 / fps as f64);
    println!("{codec} {w}x{h} {bitrate} bit/s: ours {ours:.2} dB at {rate:.0} bit/s, ffmpeg {theirs:.2} dB at {rrate:.0} bit/s");
    // The same rate control, so the same size (±10 %) as libavcodec's own encode.
    assert!((rate - rrate).abs() <= 0.1 * rrate, "{codec}: {rate:.0} bit/s vs ffmpeg's {rrate:.0}");
    assert!(ours >= theirs - 0.5, "PSNR {ours:.2} dB is worse than libavcodec's own {theirs:.2} dB");
    gst_decodes(&f);
    (ours, theirs)
}

/// ffmpeg making a reference file: must succeed; its warnings (rate control notes,
/// duration estimates for raw input) do not matter here.
pub fn ffmpeg_quiet(args: &[&str]) {
    let mut a = vec!["-hide_banner", "-nostdin", "-v", "error"];
    a.extend_from_slice(args);
    run("ffmpeg", &a).ok();
}
