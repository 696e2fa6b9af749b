//! Issue 12's user path: a system profile loaded by ID (`wm_profile_manager_load_profile_by_id`),
//! raw PCM and I420 given to `wm_writer_write_sample`, the file read by ffprobe, ffmpeg
//! and GStreamer, and the quality measured against libavcodec's own encoder on the same
//! input at the same bit rate.
//!
//! - `WMProfile_V80_128StereoAudio`: wmav2 44.1 kHz stereo, 128 kbit/s ± 10 %, 10 s,
//!   decoded with no message, sample-aligned (lag 0), SNR ≥ ffmpeg's own.
//! - `WMProfile_V80_256Video`: wmv2 + wmav2, every frame decoded, key frames in the
//!   Simple Index, a seek lands on a key frame, PSNR ≥ ffmpeg's own wmv2 at the rate.
//! - every v4/v7/v8 system profile writes a file that ffmpeg decodes, every stream of it.
#![allow(clippy::undocumented_unsafe_blocks)]

mod common;
mod lavc_util;

use std::ffi::CString;
use std::path::Path;
use std::ptr::null_mut;

use common::*;
use lavc_util::*;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::WMGuid;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::writer::*;
use wmwriter::profile::system::{by_ident, SystemProfileDef, SYSTEM_PROFILES};

fn lavc_or_skip() -> bool {
    lavc_and_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"])
}

/// Raw input for one writer input: the bytes, the size of one sample, its duration.
struct Feed<'a> {
    input: u32,
    data: &'a [u8],
    chunk: usize,
    chunk_time: u64,
}

/// Load `def` through the profile manager, write every feed through
/// `wm_writer_write_sample` in time order, end. Returns the HRESULT of the first failure.
unsafe fn write_with_profile(path: &Path, def: &SystemProfileDef, feeds: &[Feed]) -> Result<(), (HRESULT, String)> {
    unsafe { write_with_edited_profile(path, def, feeds, &|_| {}) }
}

/// [`write_with_profile`] with `edit` applied to the loaded profile before `set_profile`.
unsafe fn write_with_edited_profile(
    path: &Path,
    def: &SystemProfileDef,
    feeds: &[Feed],
    edit: &dyn Fn(*mut wmwriter::profile::Profile),
) -> Result<(), (HRESULT, String)> {
    let mut pm = null_mut();
    assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
    let mut p = null_mut();
    let g = wm_guid(def.guid);
    assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), S_OK, "{}: {}", def.ident, last_error());
    edit(p);
    let mut w = null_mut();
    assert_eq!(wm_create_writer(&mut w), S_OK);
    assert_eq!(wm_writer_set_profile(w, p), S_OK, "{}: {}", def.ident, last_error());
    wm_profile_release(p);
    wm_profile_manager_release(pm);
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(wm_writer_set_output_filename(w, cpath.as_ptr()), S_OK);
    let hr = wm_writer_begin_writing(w);
    if hr != S_OK {
        let msg = last_error();
        wm_writer_release(w);
        return Err((hr, msg));
    }
    // Merge the feeds by time.
    let mut next = vec![0usize; feeds.len()];
    loop {
        let pick = (0..feeds.len())
            .filter(|&i| next[i] * feeds[i].chunk < feeds[i].data.len())
            .min_by_key(|&i| next[i] as u64 * feeds[i].chunk_time);
        let Some(i) = pick else { break };
        let f = &feeds[i];
        let at = next[i] * f.chunk;
        let part = &f.data[at..(at + f.chunk).min(f.data.len())];
        let mut b = null_mut();
        assert_eq!(wm_writer_allocate_sample(w, part.len() as u32, &mut b), S_OK);
        let mut d = null_mut();
        assert_eq!(wm_buffer_get_buffer(b, &mut d), S_OK);
        std::ptr::copy_nonoverlapping(part.as_ptr(), d, part.len());
        assert_eq!(wm_buffer_set_length(b, part.len() as u32), S_OK);
        let hr = wm_writer_write_sample(w, f.input, next[i] as u64 * f.chunk_time, 0, b);
        wm_buffer_release(b);
        if hr != S_OK {
            let msg = last_error();
            wm_writer_end_writing(w);
            wm_writer_release(w);
            return Err((hr, msg));
        }
        next[i] += 1;
    }
    let hr = wm_writer_end_writing(w);
    let msg = last_error();
    assert_eq!(wm_writer_release(w), 0);
    if hr != S_OK {
        return Err((hr, msg));
    }
    Ok(())
}

fn s16_to_f32(pcm: &[u8]) -> Vec<f32> {
    pcm.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32767.0).collect()
}

/// SNR of libavcodec's own `codec` at `bitrate` on the same (quantized) input.
fn ffmpeg_own_snr(dir: &TempDir, xq: &[f32], rate: u32, ch: usize, bitrate: u32) -> f64 {
    let raw = dir.path("ref-in.f32");
    std::fs::write(&raw, f32_bytes(xq)).unwrap();
    let refp = dir.path("ref.wma");
    let (r, b) = (rate.to_string(), bitrate.to_string());
    ffmpeg_quiet(&[
        "-y",
        "-f",
        "f32le",
        "-ar",
        &r,
        "-ch_layout",
        if ch == 1 { "mono" } else { "stereo" },
        "-i",
        raw.to_str().unwrap(),
        "-c:a",
        "wmav2",
        "-b:a",
        &b,
        refp.to_str().unwrap(),
    ]);
    let yr = decode_f32(&refp);
    let lag = best_lag(xq, &yr, ch, 3000);
    snr(xq, &yr, ch, lag)
}

fn stream_of<'a>(probe: &'a Json, kind: &str) -> &'a Json {
    probe.get("streams").arr().iter().find(|s| s.get("codec_type").str() == Some(kind)).unwrap_or_else(|| panic!("no {kind} stream"))
}

fn num(j: &Json, key: &str) -> f64 {
    j.get(key).str().and_then(|v| v.parse().ok()).or_else(|| j.get(key).int().map(|v| v as f64)).unwrap_or(f64::NAN)
}

#[test]
fn v80_128_stereo_audio_from_pcm() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("sysprof-e2e-audio");
    let def = by_ident("V80_128StereoAudio").unwrap();
    let x = mix_signal(44100, 2, 10.0);
    let pcm = to_s16(&x);
    let xq = s16_to_f32(&pcm);
    let f = dir.path("v80_128.wma");
    let feeds = [Feed { input: 0, data: &pcm, chunk: 4410 * 4, chunk_time: 1_000_000 }];
    unsafe { write_with_profile(&f, def, &feeds) }.unwrap_or_else(|(hr, m)| panic!("0x{:08X} {m}", hr as u32));

    let probe = ffprobe_json(&f, &["-show_streams", "-show_format"]);
    assert_eq!(probe.get("streams").arr().len(), 1);
    let s = stream_of(&probe, "audio");
    assert_eq!(s.get("codec_name").str(), Some("wmav2"));
    assert_eq!(num(s, "sample_rate"), 44100.0);
    assert_eq!(s.get("channels").int(), Some(2));
    let br = num(s, "bit_rate");
    assert!((br - 128_000.0).abs() <= 12_800.0, "bit rate {br}");
    let dur = num(probe.get("format"), "duration");
    // 10 s: the stream ends within two 2048-sample WMA frames (93 ms) of the input's end
    // (the leading frame of silence that aligns the decoded audio, and the last frame's padding).
    assert!((10.0..10.093).contains(&dur), "duration {dur} s");

    let y = decode_f32(&f); // ffmpeg_clean: no line on stderr
    let frames_in = xq.len() / 2;
    let frames_out = y.len() / 2;
    assert!(frames_out >= frames_in && frames_out <= frames_in + 2 * 2048, "decoded {frames_out} frames for {frames_in}");
    assert_eq!(best_lag(&xq, &y, 2, 3000), 0, "decoded audio is sample-aligned");
    let ours = snr(&xq, &y, 2, 0);
    let theirs = ffmpeg_own_snr(&dir, &xq, 44100, 2, 128_000);
    println!("V80_128StereoAudio: {br:.0} bit/s, {dur:.3} s, SNR ours {ours:.2} dB, ffmpeg's own wmav2 {theirs:.2} dB");
    assert!(ours >= theirs - 0.05, "SNR {ours:.2} dB is worse than libavcodec's own {theirs:.2} dB");
    gst_decodes(&f);
}

/// (pts, key) of every packet of stream `sel` (e.g. "v:0").
fn packets(f: &Path, sel: &str) -> Vec<(f64, bool)> {
    let out = stdout_of(
        "ffprobe",
        &["-v", "error", "-select_streams", sel, "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", f.to_str().unwrap()],
    );
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut it = l.split(',');
            let t: f64 = it.next().unwrap().parse().unwrap();
            (t, it.next().unwrap_or("").contains('K'))
        })
        .collect()
}

#[test]
fn v80_256_video_from_i420() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("sysprof-e2e-video");
    let def = by_ident("V80_256Video").unwrap();
    let (vbitrate, vw, vh, _) = def.video[0];
    let (w, h, fps) = (vw as usize, vh as usize, 15u64);
    assert_eq!((w, h), (320, 240));
    let n = 150usize; // 10 s
    let src = yuv_frames(&dir, w, h, fps, n, "yuv420p", false);
    let (_, _, arate, ach) = def.audio.unwrap();
    let x = mix_signal(arate, ach as usize, 10.0);
    let pcm = to_s16(&x);
    let f = dir.path("v80_256.wmv");
    let fsz = w * h * 3 / 2;
    let feeds = [
        Feed { input: 0, data: &pcm, chunk: arate as usize / 10 * 2 * ach as usize, chunk_time: 1_000_000 },
        Feed { input: 1, data: &src, chunk: fsz, chunk_time: 10_000_000 / fps },
    ];
    unsafe { write_with_profile(&f, def, &feeds) }.unwrap_or_else(|(hr, m)| panic!("0x{:08X} {m}", hr as u32));

    let probe = ffprobe_json(&f, &["-show_streams", "-count_frames"]);
    assert_eq!(probe.get("streams").arr().len(), 2);
    let vs = stream_of(&probe, "video");
    assert_eq!(vs.get("codec_name").str(), Some("wmv2"));
    assert_eq!((vs.get("width").int(), vs.get("height").int()), (Some(w as i64), Some(h as i64)));
    assert_eq!(num(vs, "nb_read_frames"), n as f64, "every frame decoded");
    assert_eq!(stream_of(&probe, "audio").get("codec_name").str(), Some("wmav2"));

    // Key frames: flagged in the packets, at most every max_key_frame_spacing apart.
    let pk = packets(&f, "v:0");
    assert_eq!(pk.len(), n);
    let keys: Vec<f64> = pk.iter().filter(|p| p.1).map(|p| p.0).collect();
    assert!(keys.len() >= 2 && keys[0] == 0.0, "key frames {keys:?}");
    // Seekable: the header says so, the Simple Index lists the key frames, and a seek
    // to 5 s without accurate seeking starts decoding on a key frame at or before 5 s.
    let bytes = std::fs::read(&f).unwrap();
    let info = wmwriter::reader::read(&bytes).expect("our reader reads it");
    assert_eq!(info.props.as_ref().unwrap().flags & 2, 2, "the File Properties seekable flag is set");
    assert!(info.simple_indexes.iter().any(|i| !i.entries.is_empty()), "a Simple Index with entries");
    let first = stdout_of(
        "ffprobe",
        &[
            "-v",
            "error",
            "-read_intervals",
            "5%+#1",
            "-select_streams",
            "v:0",
            "-show_entries",
            "packet=pts_time,flags",
            "-of",
            "csv=p=0",
            f.to_str().unwrap(),
        ],
    );
    let line = first.lines().next().unwrap_or("");
    let t: f64 = line.split(',').next().unwrap().parse().unwrap_or(-1.0);
    assert!(line.contains('K') && t <= 5.0 && t >= 5.0 - 10.0, "seek to 5 s read {line:?}; key frames at {keys:?}");

    // PSNR against ffmpeg's own wmv2 at the profile's video bit rate.
    let dec = decode_yuv(&f);
    assert_eq!(dec.len(), src.len(), "every frame decoded");
    let ours = psnr_y(&src, &dec);
    let vbytes: usize = ffprobe_packets(&f, false).1.iter().filter(|p| p.codec_type == "video").map(|p| p.size).sum();
    let our_rate = vbytes as f64 * 8.0 / 10.0;
    let raw = dir.path("in.yuv");
    std::fs::write(&raw, &src).unwrap();
    let refp = dir.path("ref.wmv");
    let (size, r, b) = (format!("{w}x{h}"), fps.to_string(), vbitrate.to_string());
    let bufsize = (vbitrate as u64 * 3).to_string();
    let g = (keys.get(1).copied().unwrap_or(10.0) * fps as f64).round().max(1.0).to_string();
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
        "wmv2",
        "-b:v",
        &b,
        "-bufsize",
        &bufsize,
        "-maxrate",
        &b,
        "-g",
        &g,
        refp.to_str().unwrap(),
    ]);
    let theirs = psnr_y(&src, &decode_yuv(&refp));
    let rbytes: usize = ffprobe_packets(&refp, false).1.iter().map(|p| p.size).sum();
    let their_rate = rbytes as f64 * 8.0 / 10.0;
    println!(
        "V80_256Video: {n} frames, keys at {keys:?}, PSNR ours {ours:.2} dB at {our_rate:.0} bit/s, ffmpeg's own {theirs:.2} dB at {their_rate:.0} bit/s"
    );
    assert!(our_rate <= their_rate * 1.1, "{our_rate:.0} bit/s vs ffmpeg's {their_rate:.0}");
    assert!(ours >= theirs - 0.5, "PSNR {ours:.2} dB is worse than libavcodec's own {theirs:.2} dB");
    gst_decodes(&f);
}

/// Every v4/v7/v8 system profile: 2 s of PCM and I420 at the profile's sizes through
/// write_sample; ffmpeg decodes every stream of the file with no message, and each
/// stream has packets. A codec nobody has gives the documented code instead.
#[test]
fn every_system_profile_writes_a_file_ffmpeg_decodes() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("sysprof-e2e-all");
    let mut frames_cache: std::collections::HashMap<(usize, usize), Vec<u8>> = Default::default();
    let mut written = 0;
    let mut refused = Vec::new();
    for def in SYSTEM_PROFILES.iter() {
        let secs = 2.0;
        let pcm = def.audio.map(|(_, _, rate, ch)| to_s16(&mix_signal(rate, ch as usize, secs)));
        // An MBR profile's video streams share one input: the first stream's size.
        let video = def.video.first().map(|&(_, vw, vh, _)| {
            let (w, h) = (vw as usize, vh as usize);
            let fps = 15u64;
            let frames = frames_cache
                .entry((w, h))
                .or_insert_with(|| yuv_frames(&dir, w, h, fps, (secs as usize) * fps as usize, "yuv420p", false))
                .clone();
            (frames, w * h * 3 / 2, 10_000_000 / fps)
        });
        let mut feeds = Vec::new();
        if let (Some(p), Some((_, _, rate, ch))) = (&pcm, def.audio) {
            feeds.push(Feed { input: 0, data: p, chunk: rate as usize / 10 * 2 * ch as usize, chunk_time: 1_000_000 });
        }
        if let Some((fr, sz, t)) = &video {
            feeds.push(Feed { input: pcm.is_some() as u32, data: fr, chunk: *sz, chunk_time: *t });
        }
        let f = dir.path(&format!("{}.asf", def.ident));
        match unsafe { write_with_profile(&f, def, &feeds) } {
            Ok(()) => {}
            Err((hr, msg)) => {
                assert!(
                    hr == NS_E_AUDIO_CODEC_NOT_INSTALLED || hr == NS_E_VIDEO_CODEC_NOT_INSTALLED,
                    "{}: 0x{:08X} {msg}",
                    def.ident,
                    hr as u32
                );
                assert!(msg.contains("passthrough"), "{}: {msg}", def.ident);
                assert!(!f.exists(), "{}: no half-written file is left", def.ident);
                refused.push(def.ident);
                continue;
            }
        }
        let want = def.audio.is_some() as usize + def.video.len();
        let (_, pk) = ffprobe_packets(&f, false);
        for s in 0..want as i64 {
            assert!(pk.iter().any(|p| p.stream_index == s), "{}: stream index {s} has packets", def.ident);
        }
        let probe = ffprobe_json(&f, &["-show_streams"]);
        assert_eq!(probe.get("streams").arr().len(), want, "{}: streams", def.ident);
        ffmpeg_clean(&["-guess_layout_max", "0", "-i", f.to_str().unwrap(), "-map", "0", "-f", "null", "-"]);
        written += 1;
        std::fs::remove_file(&f).ok();
    }
    println!("{written} system profiles written and decoded; refused with NOT_INSTALLED: {refused:?}");
    assert_eq!(written + refused.len(), SYSTEM_PROFILES.len());
    assert_eq!(SYSTEM_PROFILES.len(), 74);
    assert!(written >= 60, "only {written} profiles could be written: {refused:?}");
}

/// IWMVideoMediaProps on a stream config reach the video encoder:
/// `wm_stream_config_set_max_key_frame_spacing` bounds the distance between key frames
/// in the file (ffprobe's key flags), and `wm_stream_config_set_quality` (smooth 0 …
/// crisp 100) trades bit rate for picture quality (PSNR measured on ffmpeg's decoding).
#[test]
fn video_key_frame_spacing_and_quality_reach_the_encoder() {
    if !lavc_or_skip() {
        return;
    }
    use wmwriter::ffi::stream_config::*;
    let dir = TempDir::new("sysprof-video-props");
    let def = by_ident("V80_256Video").unwrap();
    let (w, h, fps, n) = (320usize, 240usize, 15u64, 90usize); // 6 s
    let src = yuv_frames(&dir, w, h, fps, n, "yuv420p", false);
    let feeds = [Feed { input: 1, data: &src, chunk: w * h * 3 / 2, chunk_time: 10_000_000 / fps }];
    // Set spacing (100 ns; 0 = leave) and quality (None = leave) on the video stream.
    let edit = |spacing: i64, quality: Option<u32>| {
        move |p: *mut wmwriter::profile::Profile| unsafe {
            let mut count = 0;
            assert_eq!(wm_profile_get_stream_count(p, &mut count), S_OK);
            for i in 0..count {
                let mut sc = null_mut();
                assert_eq!(wm_profile_get_stream(p, i, &mut sc), S_OK);
                let mut ty = WMGuid::default();
                assert_eq!(wm_stream_config_get_stream_type(sc, &mut ty), S_OK);
                if ty == wmwriter::ffi::guids::WMMEDIATYPE_Video {
                    if spacing > 0 {
                        assert_eq!(wm_stream_config_set_max_key_frame_spacing(sc, spacing), S_OK);
                        let mut back = 0i64;
                        assert_eq!(wm_stream_config_get_max_key_frame_spacing(sc, &mut back), S_OK);
                        assert_eq!(back, spacing);
                    }
                    if let Some(q) = quality {
                        // A low rate, where the encoder must choose between coarse
                        // frames (smooth) and going over the rate (crisp).
                        assert_eq!(wm_stream_config_set_bitrate(sc, 60_000), S_OK);
                        assert_eq!(wm_stream_config_set_quality(sc, q), S_OK);
                        let mut back = 0u32;
                        assert_eq!(wm_stream_config_get_quality(sc, &mut back), S_OK);
                        assert_eq!(back, q);
                    }
                    assert_eq!(wm_profile_reconfig_stream(p, sc), S_OK, "{}", last_error());
                }
                wm_stream_config_release(sc);
            }
        }
    };
    let mut keys_by_spacing = Vec::new();
    for secs in [1i64, 3] {
        let f = dir.path(&format!("spacing{secs}.wmv"));
        unsafe { write_with_edited_profile(&f, def, &feeds, &edit(secs * 10_000_000, None)) }
            .unwrap_or_else(|(hr, m)| panic!("0x{:08X} {m}", hr as u32));
        let pk = packets(&f, "v:0");
        assert_eq!(pk.len(), n, "every frame written");
        let keys: Vec<f64> = pk.iter().filter(|p| p.1).map(|p| p.0).collect();
        let mut prev = 0.0;
        for k in keys.iter().chain(std::iter::once(&(n as f64 / fps as f64))) {
            assert!(k - prev <= secs as f64 + 1e-6, "spacing {secs} s: key frames at {keys:?}");
            prev = *k;
        }
        keys_by_spacing.push(keys);
    }
    assert!(keys_by_spacing[0].len() >= 6, "1 s spacing: key frames at {:?}", keys_by_spacing[0]);
    assert!(keys_by_spacing[1].len() < keys_by_spacing[0].len(), "3 s spacing gives fewer key frames: {keys_by_spacing:?}");

    let mut results = Vec::new();
    for q in [0u32, 100] {
        let f = dir.path(&format!("quality{q}.wmv"));
        unsafe { write_with_edited_profile(&f, def, &feeds, &edit(0, Some(q))) }
            .unwrap_or_else(|(hr, m)| panic!("0x{:08X} {m}", hr as u32));
        let dec = decode_yuv(&f);
        assert_eq!(dec.len(), src.len(), "every frame decoded");
        results.push((psnr_y(&src, &dec), std::fs::metadata(&f).unwrap().len()));
    }
    println!(
        "key frames: 1 s spacing {:?}, 3 s spacing {:?}; quality 0: {:.2} dB {} bytes, quality 100: {:.2} dB {} bytes",
        keys_by_spacing[0], keys_by_spacing[1], results[0].0, results[0].1, results[1].0, results[1].1
    );
    assert!(results[1].0 > results[0].0 + 0.3, "quality 100 is crisper than quality 0: {results:?}");
}
