//! `IWMWriterPreprocess` through the C ABI: two-pass encoding of a WMV2 input.
//!
//! `WMProfile_V80_256Video` (WMV2 320×240 at 224 kbit/s, 15 frame/s, + WMA v2) is
//! written from the same 10 s of I420 once in one pass and once with a preprocessing
//! pass. The content alternates 2 s of a still, detailed picture with 2 s of a rotating,
//! zooming one: easy and hard segments, where the rate control's knowledge of the whole
//! sequence (pass 2) moves bits to where they buy the most. Both files decode cleanly
//! with ffmpeg, frame for frame; the two-pass one is within ±10 % of the one-pass size
//! and has a better Y PSNR against the input. The video stream's header entry (the
//! format block with the codec data, written at `begin_writing` from the analysis
//! encoder) is the same in both files.
//!
//! And the codes: passes over the maximum, an audio input (maximum 0), a pass asked
//! while writing, `write_sample` before the pass has been run (`NS_E_INVALID_NUM_PASSES`),
//! the pass calls out of order (`NS_E_INVALID_REQUEST`).

mod common;
mod lavc_util;

use std::ffi::CString;
use std::path::Path;
use std::ptr::null_mut;

use common::*;
use lavc_util::*;
use wmwriter::codec::lavc;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::writer::*;
use wmwriter::ffi::writer_advanced::*;
use wmwriter::profile::system::by_ident;

const W: usize = 320;
const H: usize = 240;
const FPS: u64 = 15;
const FRAMES: usize = 150;
const AUDIO: u32 = 0;
const VIDEO: u32 = 1;

fn lavc_or_skip() -> bool {
    lavc_and_tools(&["ffprobe", "ffmpeg"])
}

/// A detailed 960×720 texture: ffmpeg's mandelbrot plus blurred noise.
fn texture() -> Vec<u8> {
    let m = ffmpeg_clean(&["-f", "lavfi", "-i", "mandelbrot=s=960x720", "-frames:v", "1", "-pix_fmt", "gray", "-f", "rawvideo", "-"]);
    assert_eq!(m.len(), 960 * 720);
    let mut seed = 0x2545_F491u32;
    let mut noise = vec![0f32; 960 * 720];
    for v in &mut noise {
        let mut s = 0.0;
        for _ in 0..4 {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            s += (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
        }
        *v = s * 70.0;
    }
    let mut out = vec![0u8; 960 * 720];
    for y in 0..720 {
        for x in 0..960 {
            let mut s = 0.0;
            for dy in -1i32..=1 {
                for dx in -1i32..=1 {
                    let (yy, xx) = ((y as i32 + dy).clamp(0, 719) as usize, (x as i32 + dx).clamp(0, 959) as usize);
                    s += noise[yy * 960 + xx];
                }
            }
            out[y * 960 + x] = (m[y * 960 + x] as f32 * 0.6 + s / 9.0 + 50.0).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// `FRAMES` I420 frames: 2 s still, 2 s rotating and zooming, and so on.
fn content() -> Vec<u8> {
    let big = texture();
    let fsz = W * H * 3 / 2;
    let mut v = Vec::with_capacity(fsz * FRAMES);
    for n in 0..FRAMES {
        let seg = n / (2 * FPS as usize);
        for y in 0..H {
            for x in 0..W {
                let p = if seg % 2 == 0 {
                    big[(100 + y) * 960 + 100 + x]
                } else {
                    let (a, s) = (0.03 * n as f64, 1.0 + 0.3 * (0.45 * n as f64).sin());
                    let (dx, dy) = (x as f64 - 160.0, y as f64 - 120.0);
                    let u = ((dx * a.cos() - dy * a.sin()) * s + 480.0).clamp(0.0, 959.0) as usize;
                    let w = ((dx * a.sin() + dy * a.cos()) * s + 360.0).clamp(0.0, 719.0) as usize;
                    big[w * 960 + u]
                };
                v.push(p);
            }
        }
        v.resize(v.len() + 2 * (W / 2) * (H / 2), 128);
    }
    v
}

unsafe fn new_writer(path: &Path) -> *mut WMWriter {
    let def = by_ident("V80_256Video").unwrap();
    let mut pm = null_mut();
    assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
    let mut p = null_mut();
    let g = wm_guid(def.guid);
    assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), S_OK, "{}", last_error());
    let mut w = null_mut();
    assert_eq!(wm_create_writer(&mut w), S_OK);
    assert_eq!(wm_writer_set_profile(w, p), S_OK, "{}", last_error());
    wm_profile_release(p);
    wm_profile_manager_release(pm);
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(wm_writer_set_output_filename(w, cpath.as_ptr()), S_OK);
    w
}

unsafe fn sample(w: *mut WMWriter, data: &[u8]) -> *mut wmwriter::buffer::SampleBuffer {
    let mut b = null_mut();
    assert_eq!(wm_writer_allocate_sample(w, data.len() as u32, &mut b), S_OK);
    let mut d = null_mut();
    assert_eq!(wm_buffer_get_buffer(b, &mut d), S_OK);
    std::ptr::copy_nonoverlapping(data.as_ptr(), d, data.len());
    assert_eq!(wm_buffer_set_length(b, data.len() as u32), S_OK);
    b
}

/// Write the video frames (and the audio) into `path`, with the preprocessing pass when
/// `two_pass`; the pass's error codes are checked along the way.
unsafe fn encode(path: &Path, video: &[u8], pcm: &[u8], arate: usize, two_pass: bool) {
    let w = new_writer(path);
    let fsz = W * H * 3 / 2;
    let ftime = 10_000_000 / FPS;
    let mut max = 9u32;
    assert_eq!(wm_writer_get_max_preprocessing_passes(w, VIDEO, 0, &mut max), S_OK, "{}", last_error());
    assert_eq!(max, 1, "a libavcodec WMV2 input takes one preprocessing pass");
    assert_eq!(wm_writer_get_max_preprocessing_passes(w, AUDIO, 0, &mut max), S_OK);
    assert_eq!(max, 0, "an audio input takes none");
    if two_pass {
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 2), NS_E_INVALID_NUM_PASSES);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, AUDIO, 0, 1), NS_E_INVALID_NUM_PASSES);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, AUDIO, 0, 0), S_OK);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, 7, 0, 1), E_INVALIDARG);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 1), S_OK, "{}", last_error());
        assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), NS_E_INVALID_REQUEST, "not writing yet");
    }
    assert_eq!(wm_writer_begin_writing(w), S_OK, "{}", last_error());
    if two_pass {
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 0), NS_E_INVALID_REQUEST, "not while writing");
        let b = sample(w, &video[..fsz]);
        assert_eq!(wm_writer_write_sample(w, VIDEO, 0, 0, b), NS_E_INVALID_NUM_PASSES, "the pass has not been run");
        assert_eq!(wm_writer_preprocess_sample(w, VIDEO, 0, 0, b), NS_E_INVALID_REQUEST, "no pass running");
        assert_eq!(wm_writer_end_preprocessing_pass(w, VIDEO, 0), NS_E_INVALID_REQUEST, "no pass running");
        assert_eq!(wm_writer_begin_preprocessing_pass(w, AUDIO, 0), NS_E_INVALID_REQUEST, "no pass set on the audio input");
        assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), S_OK, "{}", last_error());
        assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), NS_E_INVALID_REQUEST, "already running");
        assert_eq!(wm_writer_write_sample(w, VIDEO, 0, 0, b), NS_E_INVALID_NUM_PASSES, "the pass has not ended");
        assert_eq!(wm_writer_preprocess_sample(w, VIDEO, 0, 0, null_mut()), E_INVALIDARG);
        wm_buffer_release(b);
        for (i, f) in video.chunks(fsz).enumerate() {
            let b = sample(w, f);
            assert_eq!(wm_writer_preprocess_sample(w, VIDEO, i as u64 * ftime, 0, b), S_OK, "{}", last_error());
            wm_buffer_release(b);
        }
        assert_eq!(wm_writer_end_preprocessing_pass(w, VIDEO, 0), S_OK, "{}", last_error());
        assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), NS_E_INVALID_REQUEST, "the pass has been run");
    }
    // The samples, merged by time (audio in 100 ms pieces).
    let achunk = arate / 10 * 4;
    let (mut a, mut v) = (0usize, 0usize);
    while a * achunk < pcm.len() || v < FRAMES {
        let (ta, tv) = (a as u64 * 1_000_000, v as u64 * ftime);
        let (input, t, data) = if v >= FRAMES || (a * achunk < pcm.len() && ta <= tv) {
            a += 1;
            (AUDIO, ta, &pcm[(a - 1) * achunk..(a * achunk).min(pcm.len())])
        } else {
            v += 1;
            (VIDEO, tv, &video[(v - 1) * fsz..v * fsz])
        };
        let b = sample(w, data);
        assert_eq!(wm_writer_write_sample(w, input, t, 0, b), S_OK, "input {input} at {t}: {}", last_error());
        wm_buffer_release(b);
    }
    assert_eq!(wm_writer_end_writing(w), S_OK, "{}", last_error());
    assert_eq!(wm_writer_release(w), 0);
}

/// The video stream's header entry (type-specific data: the format block with the codec data).
fn video_header(path: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let info = wmwriter::reader::read(&bytes).expect("our reader reads it");
    info.streams.iter().find(|s| s.kind.contains("ideo")).expect("a video stream").type_specific.clone()
}

#[test]
fn two_pass_wmv2_spends_the_same_bits_better() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("preprocess");
    let src = content();
    let (_, _, arate, ach) = by_ident("V80_256Video").unwrap().audio.unwrap();
    assert_eq!(ach, 2);
    let pcm = to_s16(&mix_signal(arate, 2, 10.0));
    let (f1, f2) = (dir.path("one-pass.wmv"), dir.path("two-pass.wmv"));
    unsafe {
        encode(&f1, &src, &pcm, arate as usize, false);
        encode(&f2, &src, &pcm, arate as usize, true);
    }
    let mut results = Vec::new();
    for f in [&f1, &f2] {
        let probe = ffprobe_json(f, &["-show_streams", "-count_frames"]);
        let vs = probe.get("streams").arr().iter().find(|s| s.get("codec_type").str() == Some("video")).unwrap().clone();
        assert_eq!(vs.get("codec_name").str(), Some("wmv2"));
        assert_eq!(vs.get("nb_read_frames").str().and_then(|n| n.parse::<usize>().ok()), Some(FRAMES), "every frame decoded");
        let vbytes: usize = ffprobe_packets(f, false).1.iter().filter(|p| p.codec_type == "video").map(|p| p.size).sum();
        let dec = decode_yuv(f);
        assert_eq!(dec.len(), src.len(), "every frame decoded");
        let size = std::fs::metadata(f).unwrap().len();
        results.push((size, vbytes, psnr_y(&src, &dec)));
    }
    let ((s1, v1, p1), (s2, v2, p2)) = (results[0], results[1]);
    println!(
        "{}: one pass: {s1} bytes (video {v1}, {:.0} bit/s), Y PSNR {p1:.2} dB; two passes: {s2} bytes (video {v2}, {:.0} bit/s), Y PSNR {p2:.2} dB",
        lavc::describe().unwrap_or_default(),
        v1 as f64 * 0.8,
        v2 as f64 * 0.8
    );
    assert_eq!(video_header(&f1), video_header(&f2), "the header's video format (with the codec data) is the same");
    assert!((s2 as f64 - s1 as f64).abs() <= 0.1 * s1 as f64, "two-pass size {s2} vs one-pass {s1}");
    assert!(p2 >= p1 + MARGIN_DB, "two-pass PSNR {p2:.2} dB is not {MARGIN_DB} dB better than one-pass {p1:.2} dB");
}

/// The PSNR gain asserted (measured: see the README).
const MARGIN_DB: f64 = 0.4;

/// The pass is per session and per input format: a passthrough input has none (and a
/// pass set before the switch makes `begin_writing` fail), the next session must run
/// the pass again, `set_profile` clears it, and a final pass cannot encode more frames
/// than its preprocessing pass saw.
#[test]
fn passes_follow_the_input_format_and_the_session() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("preprocess-codes");
    let fsz = W * H * 3 / 2;
    let frames: Vec<u8> = (0..6 * fsz).map(|i| ((i * 7) % 251) as u8).collect();
    unsafe {
        let w = new_writer(&dir.path("a.wmv"));
        let mut max = 9u32;
        assert_eq!(wm_writer_get_max_preprocessing_passes(w, VIDEO, 0, null_mut()), E_INVALIDARG);
        assert_eq!(wm_writer_get_max_preprocessing_passes(w, 5, 0, &mut max), E_INVALIDARG);
        assert_eq!(max, 0);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 1), S_OK);
        // Passthrough: no encoder, no pass; begin_writing refuses the pass set before.
        assert_eq!(wm_writer_set_input_props(w, VIDEO, null_mut()), S_OK);
        assert_eq!(wm_writer_get_max_preprocessing_passes(w, VIDEO, 0, &mut max), S_OK);
        assert_eq!(max, 0);
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 1), NS_E_INVALID_NUM_PASSES);
        assert_eq!(wm_writer_begin_writing(w), NS_E_INVALID_NUM_PASSES, "{}", last_error());
        assert_eq!(wm_writer_release(w), 0);

        // Two sessions of one writer: the pass is run in each.
        let w = new_writer(&dir.path("b.wmv"));
        assert_eq!(wm_writer_set_num_preprocessing_passes(w, VIDEO, 0, 1), S_OK);
        for session in 0..2 {
            assert_eq!(wm_writer_begin_writing(w), S_OK, "{}", last_error());
            let b = sample(w, &frames[..fsz]);
            assert_eq!(wm_writer_write_sample(w, VIDEO, 0, 0, b), NS_E_INVALID_NUM_PASSES, "session {session}");
            assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), S_OK);
            assert_eq!(wm_writer_end_preprocessing_pass(w, VIDEO, 0), NS_E_INVALID_REQUEST, "a pass with no samples");
            wm_buffer_release(b);
            assert_eq!(wm_writer_end_writing(w), S_OK, "{}", last_error());
        }
        // A pass over 5 frames, then 6 written: the sixth is refused (by the encoder's
        // thread: at the next write or at the end).
        assert_eq!(wm_writer_begin_writing(w), S_OK);
        assert_eq!(wm_writer_begin_preprocessing_pass(w, VIDEO, 0), S_OK);
        for (i, f) in frames.chunks(fsz).take(5).enumerate() {
            let b = sample(w, f);
            assert_eq!(wm_writer_preprocess_sample(w, VIDEO, i as u64 * 666_666, 0, b), S_OK, "{}", last_error());
            wm_buffer_release(b);
        }
        assert_eq!(wm_writer_end_preprocessing_pass(w, VIDEO, 0), S_OK, "{}", last_error());
        let mut failed = None;
        for (i, f) in frames.chunks(fsz).enumerate() {
            let b = sample(w, f);
            let hr = wm_writer_write_sample(w, VIDEO, i as u64 * 666_666, 0, b);
            wm_buffer_release(b);
            if hr != S_OK {
                failed = Some((i, hr, last_error()));
                break;
            }
        }
        let hr = wm_writer_end_writing(w);
        let (at, hr, msg) = failed.unwrap_or((6, hr, last_error()));
        assert_eq!(hr, NS_E_INVALID_REQUEST, "{msg}");
        assert!(at >= 5 && msg.contains("5 frames"), "frame {at}: {msg}");
        // set_profile clears the passes.
        let def = by_ident("V80_256Video").unwrap();
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut p = null_mut();
        assert_eq!(wm_profile_manager_load_profile_by_id(pm, &wm_guid(def.guid), &mut p), S_OK);
        assert_eq!(wm_writer_set_profile(w, p), S_OK);
        wm_profile_release(p);
        wm_profile_manager_release(pm);
        assert_eq!(wm_writer_begin_writing(w), S_OK);
        let b = sample(w, &frames[..fsz]);
        assert_eq!(wm_writer_write_sample(w, VIDEO, 0, 0, b), S_OK, "no pass after set_profile: {}", last_error());
        wm_buffer_release(b);
        assert_eq!(wm_writer_end_writing(w), S_OK);
        assert_eq!(wm_writer_release(w), 0);
    }
}

/// The codec layer: which encoders take an analysis pass, its statistics (one
/// rate-control line per frame), the final pass with them, and the final pass that
/// runs with the one-pass rate control when the statistics ask for more bits than the
/// bit rate gives at the coarsest quantiser (libavcodec would refuse them, and FFmpeg
/// 4–5 abort the process doing so).
#[test]
fn lavc_analysis_and_final_passes() {
    use wmwriter::codec::{max_preprocessing_passes, Pass, Pipeline};
    use wmwriter::error::ErrorKind;
    use wmwriter::guid::sdk;
    use wmwriter::profile::MediaType;
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("preprocess-codec");
    let cfg = video_cfg(sdk::WMMEDIASUBTYPE_WMV2, 320, 240, 25, 400_000);
    assert_eq!(max_preprocessing_passes(&cfg).unwrap(), 1);
    assert_eq!(max_preprocessing_passes(&video_cfg(sdk::WMMEDIASUBTYPE_MP43, 320, 240, 25, 400_000)).unwrap(), 1);
    assert_eq!(max_preprocessing_passes(&video_cfg(lavc::SUBTYPE_H264, 320, 240, 25, 400_000)).unwrap(), 0);
    let audio = audio_cfg(0x0161, 44_100, 2, 128_000);
    assert_eq!(max_preprocessing_passes(&audio).unwrap(), 0);
    let pcm = MediaType::pcm(2, 44_100, 16);
    let e = Pipeline::open(&pcm, &wmwriter::codec::EncoderConfig { pass: Pass::Analysis, ..audio }).err().unwrap();
    assert_eq!(e.kind, ErrorKind::InvalidNumPasses, "{}", e.message);

    let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 320, 240, (SEC / 25) as i64);
    let fsz = 320 * 240 * 3 / 2;
    let run = |cfg: &wmwriter::codec::EncoderConfig, src: &[u8]| -> (String, usize) {
        let mut p = Pipeline::open(&input, &wmwriter::codec::EncoderConfig { pass: Pass::Analysis, ..cfg.clone() }).unwrap();
        let mut units = Vec::new();
        for (i, f) in src.chunks(fsz).enumerate() {
            p.push(f, i as u64 * SEC / 25, &mut units).unwrap();
        }
        p.finish(&mut units).unwrap();
        let stats = p.take_pass_stats().expect("statistics after the analysis pass");
        let mut fin =
            Pipeline::open(&input, &wmwriter::codec::EncoderConfig { pass: Pass::Final(stats.clone().into()), ..cfg.clone() }).unwrap();
        assert_eq!(fin.output_type(), p.output_type(), "the final pass has the analysis pass's format");
        let mut units = Vec::new();
        for (i, f) in src.chunks(fsz).enumerate() {
            fin.push(f, i as u64 * SEC / 25, &mut units).unwrap();
        }
        fin.finish(&mut units).unwrap();
        assert_eq!(units.len(), src.len() / fsz, "one unit per frame");
        (fin.encoder_name(), stats.matches(';').count())
    };
    let src = yuv_frames(&dir, 320, 240, 25, 50, "yuv420p", false);
    let (name, lines) = run(&cfg, &src);
    assert_eq!((name.as_str(), lines), ("libavcodec wmv2", 50));
    // Noise at 20 kbit/s: far more bits than the rate gives, even at quantiser 31.
    let noise = noise(7, 10 * fsz);
    let (name, lines) = run(&video_cfg(sdk::WMMEDIASUBTYPE_WMV2, 320, 240, 25, 20_000), &noise);
    assert_eq!(lines, 10);
    assert!(name.contains("one-pass rate control") && name.contains("coarsest quantiser"), "{name}");
}
