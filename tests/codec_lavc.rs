//! The libavcodec backend with the system's libavcodec (Debian 12: FFmpeg 5.1, lavc 59):
//! encoded through `codec::Pipeline`, written with the passthrough path, checked with
//! ffprobe, ffmpeg (against its own encoder on the same input) and GStreamer.

mod common;
mod lavc_util;

use common::*;
use lavc_util::*;
use wmwriter::codec::convert_video::{VideoConverter, SUBTYPE_NV12};
use wmwriter::codec::lavc::{self, SUBTYPE_H264};
use wmwriter::codec::{Backend, Pipeline};
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::MediaType;

const TOOLS: [&str; 3] = ["ffprobe", "ffmpeg", "gst-launch-1.0"];

fn lavc_or_skip() -> bool {
    lavc_and_tools(&TOOLS)
}

#[test]
fn wmav2_128k_stereo_aligned_complete_and_as_good_as_ffmpeg() {
    if !lavc_or_skip() {
        return;
    }
    println!("{}", lavc::describe().unwrap());
    let dir = TempDir::new("lavc-wmav2");
    let (ours, _) = wma_roundtrip(&dir, "wmav2", 0x0161, 44100, 2, 128_000, 10.0);
    // This MIX has more noise than the reference document's (18.7 dB there for both encoders).
    assert!(ours > 15.0, "SNR {ours:.2} dB");
}

#[test]
fn wma_rates_channels_and_v1() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-wma-matrix");
    for (codec, tag, rate, ch, br) in [
        ("wmav2", 0x0161, 22050, 2, 64_000),
        ("wmav2", 0x0161, 16000, 1, 32_000),
        ("wmav2", 0x0161, 48000, 1, 64_000),
        ("wmav1", 0x0160, 44100, 2, 128_000),
    ] {
        wma_roundtrip(&dir, codec, tag, rate, ch, br, 3.0);
    }
}

/// 48 kHz 5.1 float input into a 44.1 kHz stereo WMA stream: resampled and mixed down,
/// still aligned.
#[test]
fn resampled_downmixed_float_input() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-resample");
    let secs = 3.0;
    let x = mix_signal(48000, 1, secs);
    // 5.1 with the signal in FL and FR only (C, LFE, surrounds silent).
    let mut six = Vec::with_capacity(x.len() * 6);
    for &s in &x {
        six.extend_from_slice(&[s, s, 0.0, 0.0, 0.0, 0.0]);
    }
    let mut input = MediaType::pcm(6, 48000, 32);
    let mut wfx = input.wave_format().unwrap();
    wfx.format_tag = 3;
    input.format = wfx.to_bytes();
    let cfg = audio_cfg(0x0161, 44100, 2, 128_000);
    let (out_type, units) = encode_all(&input, &cfg, &f32_bytes(&six), 4800 * 24, SEC / 10);
    let f = dir.path("resampled.wma");
    write_units(&f, &cfg, &out_type, &units);
    let y = decode_f32(&f);
    // The reference: the same mono signal resampled by ffmpeg (soxr-free swr default),
    // at the downmix gain (FL weight after normalisation).
    let raw = dir.path("x.f32");
    std::fs::write(&raw, f32_bytes(&x)).unwrap();
    let r441 = read_f32(
        &run(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-f",
                "f32le",
                "-ar",
                "48000",
                "-ch_layout",
                "mono",
                "-i",
                raw.to_str().unwrap(),
                "-ar",
                "44100",
                "-f",
                "f32le",
                "-",
            ],
        )
        .ok()
        .stdout,
    );
    let left: Vec<f32> = y.iter().step_by(2).copied().collect();
    assert!(left.len() >= r441.len(), "decoded {} frames < {} expected", left.len(), r441.len());
    let lag = best_lag(&r441, &left, 1, 200);
    assert_eq!(lag, 0, "resampled audio stays aligned");
    let gain = left.iter().skip(8000).take(80000).map(|v| v.abs() as f64).sum::<f64>()
        / r441.iter().skip(8000).take(80000).map(|v| v.abs() as f64).sum::<f64>();
    // FL's weight: L = FL + ½√2·(FC + BL), normalised by 1 + √2.
    let expect = 1.0 / (1.0 + 2.0 * std::f64::consts::FRAC_1_SQRT_2);
    assert!((gain / expect - 1.0).abs() < 0.05, "downmix gain {gain:.3}, expected {expect:.3}");
    let scaled: Vec<f32> = r441.iter().map(|v| (*v as f64 * expect) as f32).collect();
    let s = snr(&scaled, &left, 1, 0);
    println!("48k 5.1 float → 44.1k stereo wmav2: SNR {s:.2} dB vs ffmpeg's resampler");
    assert!(s > 20.0, "SNR {s:.2} dB");
}

#[test]
fn wmv2_i420_every_frame_and_psnr_as_good_as_ffmpeg() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-wmv2");
    wmv_roundtrip(&dir, "wmv2", sdk::WMMEDIASUBTYPE_WMV2, 320, 240, 400_000);
}

#[test]
fn wmv1_msmpeg4_mpeg4_h264() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-video-codecs");
    wmv_roundtrip(&dir, "wmv1", sdk::WMMEDIASUBTYPE_WMV1, 320, 240, 400_000);
    wmv_roundtrip(&dir, "msmpeg4v3", sdk::WMMEDIASUBTYPE_MP43, 320, 240, 400_000);
    if lavc::BACKEND.supports(&sdk::WMMEDIASUBTYPE_MP4S) {
        wmv_roundtrip(&dir, "mpeg4", sdk::WMMEDIASUBTYPE_MP4S, 320, 240, 400_000);
    }
    if lavc::BACKEND.supports(&SUBTYPE_H264) {
        let cfg = video_cfg(SUBTYPE_H264, 320, 240, 25, 400_000);
        let src = yuv_frames(&dir, 320, 240, 25, 50, "yuv420p", false);
        let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 320, 240, (SEC / 25) as i64);
        let (out_type, units) = encode_all(&input, &cfg, &src, 320 * 240 * 3 / 2, SEC / 25);
        assert_eq!(units.len(), 50);
        let f = dir.path("h264.wmv");
        write_units(&f, &cfg, &out_type, &units);
        let dec = decode_yuv(&f);
        assert_eq!(dec.len(), src.len(), "every H.264 frame decoded");
        assert!(psnr_y(&src, &dec) > 30.0);
    }
}

#[test]
fn mp3_when_lame_is_present() {
    if !lavc_or_skip() {
        return;
    }
    if !lavc::BACKEND.supports(&sdk::WMMEDIASUBTYPE_MP3) {
        println!("skipped: no libmp3lame");
        return;
    }
    let dir = TempDir::new("lavc-mp3");
    let x = mix_signal(44100, 2, 3.0);
    let cfg = audio_cfg(0x0055, 44100, 2, 128_000);
    let (out_type, units) = encode_all(&MediaType::pcm(2, 44100, 16), &cfg, &to_s16(&x), 4410 * 4, SEC / 10);
    let f = dir.path("mp3.wma");
    write_units(&f, &cfg, &out_type, &units);
    let probe = ffprobe_json(&f, &["-show_streams", "-count_packets"]);
    let s = &probe.get("streams").arr()[0];
    assert_eq!(s.get("codec_name").str(), Some("mp3"));
    assert_eq!(s.get("nb_read_packets").int(), Some(units.len() as i64));
    let y = decode_f32(&f);
    assert!(y.len() >= x.len(), "decoded {} < {} samples", y.len(), x.len());
}

/// Every raw layout the SDK accepts converts to the I420 ffmpeg makes of the same
/// picture (RGB from a bottom-up DIB, YUV top-down; one case scales 640×480 → 320×240).
#[test]
fn every_raw_video_input_converts() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-convert");
    let (w, h) = (320usize, 240usize);
    let want = yuv_frames(&dir, w, h, 25, 1, "yuv420p", false);
    let cases: [(&str, Guid, &str, bool, f64); 9] = [
        ("I420", sdk::WMMEDIASUBTYPE_I420, "yuv420p", false, 99.0),
        ("IYUV", sdk::WMMEDIASUBTYPE_IYUV, "yuv420p", false, 99.0),
        ("YV12", sdk::WMMEDIASUBTYPE_YV12, "yuv420p", false, 99.0),
        ("YUY2", sdk::WMMEDIASUBTYPE_YUY2, "yuyv422", false, 40.0),
        ("UYVY", sdk::WMMEDIASUBTYPE_UYVY, "uyvy422", false, 40.0),
        ("NV12", SUBTYPE_NV12, "nv12", false, 40.0),
        ("RGB24", sdk::WMMEDIASUBTYPE_RGB24, "bgr24", true, 32.0),
        ("RGB32", sdk::WMMEDIASUBTYPE_RGB32, "bgra", true, 32.0),
        ("RGB565", sdk::WMMEDIASUBTYPE_RGB565, "rgb565le", true, 28.0),
    ];
    for (name, subtype, pix, flip, min) in cases {
        let mut data = yuv_frames(&dir, w, h, 25, 1, pix, flip);
        if name == "YV12" {
            let (y, c) = (w * h, w * h / 4);
            let (u, v) = (data[y..y + c].to_vec(), data[y + c..].to_vec());
            data[y..y + c].copy_from_slice(&v);
            data[y + c..].copy_from_slice(&u);
        }
        let vi = MediaType::raw_video(subtype, w as i32, h as i32, 400_000).video_info().unwrap();
        let mut c = VideoConverter::new(subtype, &vi, w, h).unwrap();
        let mut out = Vec::new();
        c.convert(&data, &mut out).unwrap();
        assert_eq!(out.len(), want.len(), "{name}");
        let p = psnr_y(&want[..w * h], &out[..w * h]);
        println!("{name}: Y PSNR {p:.1} dB");
        assert!(p >= min, "{name}: Y PSNR {p:.1} dB < {min}");
    }
    // RGB555 and a scale.
    let data = yuv_frames(&dir, w, h, 25, 1, "rgb555le", true);
    let vi = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB555, w as i32, h as i32, 400_000).video_info().unwrap();
    let mut out = Vec::new();
    VideoConverter::new(sdk::WMMEDIASUBTYPE_RGB555, &vi, w, h).unwrap().convert(&data, &mut out).unwrap();
    assert!(psnr_y(&want[..w * h], &out[..w * h]) >= 26.0);
    let big = yuv_frames(&dir, 640, 480, 25, 1, "yuv420p", false);
    let bigf = dir.path("big.yuv");
    std::fs::write(&bigf, &big).unwrap();
    let scaled = run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            "-s",
            "640x480",
            "-i",
            bigf.to_str().unwrap(),
            "-vf",
            "scale=320:240:flags=bicubic",
            "-f",
            "rawvideo",
            "-",
        ],
    )
    .ok()
    .stdout;
    let vi = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 640, 480, 400_000).video_info().unwrap();
    VideoConverter::new(sdk::WMMEDIASUBTYPE_I420, &vi, w, h).unwrap().convert(&big, &mut out).unwrap();
    let p = psnr_y(&scaled[..w * h], &out[..w * h]);
    println!("640x480 → 320x240: Y PSNR {p:.1} dB vs ffmpeg's bicubic scale");
    assert!(p >= 40.0, "640x480 → 320x240: Y PSNR {p:.1}");
}

/// RGB24 frames (bottom-up DIB) encoded to WMV2: converted on the worker, decoded.
#[test]
fn rgb24_input_encodes() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("lavc-rgb24");
    let (w, h) = (320usize, 240usize);
    let rgb = yuv_frames(&dir, w, h, 25, 25, "bgr24", true);
    let want = yuv_frames(&dir, w, h, 25, 25, "yuv420p", false);
    let cfg = video_cfg(sdk::WMMEDIASUBTYPE_WMV2, w as i32, h as i32, 25, 600_000);
    let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB24, w as i32, h as i32, 400_000);
    let (out_type, units) = encode_all(&input, &cfg, &rgb, w * h * 3, SEC / 25);
    let f = dir.path("rgb.wmv");
    write_units(&f, &cfg, &out_type, &units);
    let dec = decode_yuv(&f);
    assert_eq!(dec.len(), want.len());
    let p = psnr_y(&want, &dec);
    assert!(p > 28.0, "PSNR {p:.1}");
}

/// Subtypes no FFmpeg encoder has are not supported, and opening one says so.
#[test]
fn codecs_nobody_has_are_not_installed() {
    if !lavc_or_skip() {
        return;
    }
    for (sub, video) in [
        (sdk::WMMEDIASUBTYPE_WMV3, true),
        (sdk::WMMEDIASUBTYPE_WMAUDIOV9, false),
        (sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS, false),
        (sdk::WMMEDIASUBTYPE_WMSP1, false),
    ] {
        assert!(!lavc::BACKEND.supports(&sub), "{sub}");
        let cfg = if video { video_cfg(sub, 320, 240, 25, 100_000) } else { audio_cfg(sub.data1 as u16, 44100, 2, 64_000) };
        let e = lavc::BACKEND.open(&cfg).err().expect("open fails");
        let kind =
            if video { wmwriter::error::ErrorKind::VideoCodecNotInstalled } else { wmwriter::error::ErrorKind::AudioCodecNotInstalled };
        assert_eq!(e.kind, kind, "{}", e.message);
        assert!(e.message.contains("passthrough"), "{}", e.message);
    }
    assert!(lavc::BACKEND.supports(&sdk::WMMEDIASUBTYPE_WMAUDIOV8));
    assert!(lavc::BACKEND.supports(&sdk::WMMEDIASUBTYPE_WMV2));
    let _ = Pipeline::open;
}

/// No FFmpeg library in the cdylib's DT_NEEDED (it is only ever dlopened).
#[test]
fn cdylib_does_not_link_ffmpeg() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let mut found = Vec::new();
    for profile in ["debug", "release"] {
        let so = root.join(profile).join("libwmwriter.so");
        if so.exists() {
            found.push(so);
        }
    }
    if found.is_empty() {
        println!("skipped: no target/*/libwmwriter.so built yet");
        return;
    }
    for so in found {
        let needed = elf_needed(&std::fs::read(&so).unwrap());
        assert!(!needed.is_empty(), "{}: no DT_NEEDED parsed", so.display());
        for n in &needed {
            assert!(!n.starts_with("libav") && !n.starts_with("libsw"), "{} links {n}", so.display());
        }
        println!("{}: DT_NEEDED {needed:?}", so.display());
    }
}

/// DT_NEEDED names of a 64-bit little-endian ELF (enough for this check).
fn elf_needed(b: &[u8]) -> Vec<String> {
    let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap()) as usize;
    assert_eq!(&b[..4], b"\x7fELF");
    assert_eq!(b[4], 2, "64-bit ELF");
    let (shoff, shentsize, shnum) = (u64_at(0x28), u16_at(0x3A), u16_at(0x3C));
    let sh = |i: usize| shoff + i * shentsize;
    let mut out = Vec::new();
    for i in 0..shnum {
        let s = sh(i);
        let ty = u32::from_le_bytes(b[s + 4..s + 8].try_into().unwrap());
        if ty != 6 {
            continue; // SHT_DYNAMIC
        }
        let (off, size, link) =
            (u64_at(s + 0x18), u64_at(s + 0x20), u32::from_le_bytes(b[s + 0x28..s + 0x2C].try_into().unwrap()) as usize);
        let strtab = u64_at(sh(link) + 0x18);
        for e in (off..off + size).step_by(16) {
            let (tag, val) = (u64_at(e), u64_at(e + 8));
            if tag == 1 {
                let start = strtab + val;
                let end = start + b[start..].iter().position(|&c| c == 0).unwrap();
                out.push(String::from_utf8_lossy(&b[start..end]).into_owned());
            }
        }
    }
    out
}
