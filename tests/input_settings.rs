//! `wm_writer_set_input_setting` / `wm_writer_get_input_setting` (IWMWriterAdvanced2) and
//! what the settings do to an encoded video stream, measured on ffmpeg's decode:
//!
//! - `DeinterlaceMode` = 1 on an interlaced comb pattern (vertical bars whose bottom field
//!   lags the top one by 8 pixels): the decoded frames' line-to-line difference energy
//!   falls to the level of the same pattern shot progressively;
//! - `DeinterlaceMode` = 2 (half size): a 320x240 input into a 160x120 stream decodes
//!   to the top field; into a 320x240 stream it is refused (`NS_E_INVALID_REQUEST`);
//!   an encoded stream's input takes raw video of any format and size (RGB24 640x480);
//! - `DeinterlaceMode` 0 → 1 while writing: the frames after the change lose the comb;
//! - `FixedFrameRate` = FALSE on 30 fps input of a 15 fps stream keeps half the frames,
//!   TRUE keeps them all;
//! - `InterlacedCoding` = TRUE on MPEG-4 Part 2: ffprobe sees interlaced frames; on WMV2
//!   it is refused;
//! - the codes: `NS_E_NOT_CONFIGURED` before a profile, `NS_E_INVALID_REQUEST` for the
//!   settings nothing here can act on (watermarks, JPEG quality, inverse telecine), for
//!   video settings on an audio input and for `FixedFrameRate` while writing,
//!   `E_INVALIDARG` for a bad name, type or value, `ASF_E_NOTFOUND` for a refused one.
#![allow(clippy::undocumented_unsafe_blocks)]

mod common;

use std::ffi::CString;
use std::path::Path;
use std::ptr::null_mut;

use common::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::writer::*;
use wmwriter::ffi::writer_advanced::*;
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::codec_info::video_format;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::{AttrType, AttrValue, Writer, SF_CLEANPOINT};

const W: usize = 320;
const H: usize = 240;

fn lavc_or_skip() -> bool {
    lavc_and_tools(&["ffprobe", "ffmpeg"])
}

fn dword(v: u32) -> AttrValue {
    AttrValue::Raw(AttrType::Dword, v.to_le_bytes().to_vec())
}

fn boolean(v: bool) -> AttrValue {
    AttrValue::Raw(AttrType::Bool, (v as u32).to_le_bytes().to_vec())
}

/// One encoded video stream of `subtype`, `w`x`h`, `frame_time`, 2 Mbit/s (enough that
/// the coding leaves a comb visible).
fn video_profile(subtype: Guid, w: usize, h: usize, frame_time: i64) -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    s.connection_name = "Video".into();
    s.bitrate = 2_000_000;
    s.buffer_window = 3000;
    s.media_type = Some(video_format(subtype, w as i32, h as i32, frame_time, 2_000_000));
    p.add_stream(s).unwrap();
    p
}

/// An I420 `w`x`h` frame of vertical bars (a sine across x, period 32) moving right by
/// 16 px per frame over a still vertical wave (period 60 rows); with `interlaced` the
/// bottom field is captured half a frame later (8 px further), so every moving edge is
/// combed. The chroma is flat.
fn bars(i: usize, w: usize, h: usize, interlaced: bool) -> Vec<u8> {
    let mut f = vec![128u8; w * h + 2 * (w / 2) * (h / 2)];
    for y in 0..h {
        let x0 = i * 16 + if interlaced && y % 2 == 1 { 8 } else { 0 };
        let still = 25.0 * (y as f64 * std::f64::consts::TAU / 60.0).sin();
        for x in 0..w {
            let phase = (x + 10_000 - x0 % 10_000) as f64 * std::f64::consts::TAU / 32.0;
            f[y * w + x] = (128.0 + still + 75.0 * phase.sin()).round() as u8;
        }
    }
    f
}

/// The top field of luma plane `y` (`w`x`h`), every pair of columns averaged.
fn top_field_half(y: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(w * h / 4);
    for r in 0..h / 2 {
        for x in 0..w / 2 {
            out.push((y[2 * r * w + 2 * x] as u16 + y[2 * r * w + 2 * x + 1] as u16).div_ceil(2) as u8);
        }
    }
    out
}

/// PSNR (dB) of `a` against `b`.
fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let mse = a.iter().zip(b).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum::<f64>() / a.len() as f64;
    10.0 * (255.0 * 255.0 / mse.max(1e-9)).log10()
}

/// Write `frames` (every `frame_time`) through the Rust API with `settings`, the input
/// format `input` (None: the default), and `change` = (frame, name, value) applied while
/// writing. Returns the writer's error if any.
fn write(
    path: &Path,
    profile: &ProfileData,
    input: Option<MediaType>,
    settings: &[(&str, AttrValue)],
    frames: &[Vec<u8>],
    frame_time: u64,
    change: Option<(usize, &str, AttrValue)>,
) -> wmwriter::error::Result<()> {
    let mut w = Writer::new();
    w.set_profile(profile)?;
    if let Some(mt) = &input {
        w.set_input_props(0, Some(mt))?;
    }
    for (n, v) in settings {
        w.set_input_setting(0, n, v.clone())?;
    }
    w.set_output_filename(path.to_str().unwrap())?;
    w.begin_writing()?;
    for (i, f) in frames.iter().enumerate() {
        if let Some((at, n, v)) = &change {
            if *at == i {
                w.set_input_setting(0, n, v.clone())?;
            }
        }
        let b = w.allocate_sample(f.len() as u32)?;
        b.copy_from(f)?;
        w.write_sample(0, i as u64 * frame_time, SF_CLEANPOINT, &b)?;
    }
    w.end_writing()
}

/// The decoded luma planes of `path` (ffmpeg, no message allowed), `w`x`h` each.
fn decode_luma(path: &Path, w: usize, h: usize) -> Vec<Vec<u8>> {
    // yuv420p, not gray: swscale would expand gray to full range.
    let y = ffmpeg_clean(&["-i", path.to_str().unwrap(), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
    let frame = w * h + 2 * (w / 2) * (h / 2);
    assert_eq!(y.len() % frame, 0, "{} bytes of {w}x{h} frames", y.len());
    y.chunks_exact(frame).map(|c| c[..w * h].to_vec()).collect()
}

/// Mean squared difference of vertically adjacent luma pixels.
fn interline(y: &[u8], w: usize, h: usize) -> f64 {
    let mut s = 0.0;
    for r in 0..h - 1 {
        for x in 0..w {
            let d = y[r * w + x] as f64 - y[(r + 1) * w + x] as f64;
            s += d * d;
        }
    }
    s / ((h - 1) * w) as f64
}

fn mean_interline(frames: &[Vec<u8>], w: usize, h: usize) -> f64 {
    frames.iter().map(|f| interline(f, w, h)).sum::<f64>() / frames.len() as f64
}

#[test]
fn deinterlacing_removes_the_comb() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("input-settings-deint");
    let ft = 400_000u64; // 25 fps
    let combed: Vec<Vec<u8>> = (0..25).map(|i| bars(i, W, H, true)).collect();
    let progressive: Vec<Vec<u8>> = (0..25).map(|i| bars(i, W, H, false)).collect();
    let profile = video_profile(sdk::WMMEDIASUBTYPE_WMV2, W, H, ft as i64);
    let (plain, deint, prog) = (dir.path("combed.wmv"), dir.path("deint.wmv"), dir.path("progressive.wmv"));
    write(&plain, &profile, None, &[], &combed, ft, None).unwrap();
    write(&deint, &profile, None, &[("DeinterlaceMode", dword(1))], &combed, ft, None).unwrap();
    write(&prog, &profile, None, &[], &progressive, ft, None).unwrap();
    let e_plain = mean_interline(&decode_luma(&plain, W, H), W, H);
    let e_deint = mean_interline(&decode_luma(&deint, W, H), W, H);
    let e_prog = mean_interline(&decode_luma(&prog, W, H), W, H);
    println!("line-to-line energy: combed {e_plain:.1}, DeinterlaceMode=1 {e_deint:.1}, progressive source {e_prog:.1}");
    assert!(e_plain > 1000.0, "the comb survives coding without the setting: {e_plain}");
    assert!(e_deint < e_plain / 20.0, "deinterlaced {e_deint} vs combed {e_plain}");
    assert!(e_deint < 2.0 * e_prog + 1.0, "deinterlaced {e_deint} vs the progressive source {e_prog}");
    // A progressive input goes through the deinterlacer unharmed.
    let prog_deint = dir.path("progressive-deint.wmv");
    write(&prog_deint, &profile, None, &[("DeinterlaceMode", dword(1))], &progressive, ft, None).unwrap();
    let (a, b) = (decode_luma(&prog, W, H), decode_luma(&prog_deint, W, H));
    let same = a.iter().zip(&b).map(|(x, y)| psnr(x, y)).fold(f64::INFINITY, f64::min);
    println!("progressive input with and without DeinterlaceMode=1: PSNR {same:.1} dB (lowest frame)");
    assert!(same > 45.0, "{same} dB");

    // 0 → 1 while writing: the frames from the change on have no comb.
    let live = dir.path("live.wmv");
    write(&live, &profile, None, &[], &combed, ft, Some((12, "DeinterlaceMode", dword(1)))).unwrap();
    let y = decode_luma(&live, W, H);
    assert_eq!(y.len(), 25);
    let (before, after) = (mean_interline(&y[2..11], W, H), mean_interline(&y[13..], W, H));
    println!("live change at frame 12: before {before:.1}, after {after:.1}");
    assert!(before > 1000.0 && after < before / 20.0, "before {before}, after {after}");
    std::fs::remove_dir_all(&dir.0).ok();
}

#[test]
fn half_size_takes_one_field_when_the_stream_is_half_the_input() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("input-settings-half");
    let ft = 400_000u64;
    let combed: Vec<Vec<u8>> = (0..10).map(|i| bars(i, W, H, true)).collect();
    let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, W as i32, H as i32, ft as i64);
    let half = video_profile(sdk::WMMEDIASUBTYPE_WMV2, W / 2, H / 2, ft as i64);
    // Without the setting the 320x240 input is scaled to 160x120 (comb and all).
    let (scaled, field) = (dir.path("scaled.wmv"), dir.path("field.wmv"));
    write(&scaled, &half, Some(input.clone()), &[], &combed, ft, None).unwrap();
    write(&field, &half, Some(input.clone()), &[("DeinterlaceMode", dword(2))], &combed, ft, None).unwrap();
    let probe = ffprobe_json(&field, &["-show_entries", "stream=codec_name,width,height"]);
    let st = &probe.get("streams").arr()[0];
    assert_eq!((st.get("codec_name").str(), st.get("width").int(), st.get("height").int()), (Some("wmv2"), Some(160), Some(120)));
    // The field path shows the top field itself; the scaler blends both fields into a
    // ghost (the bars of the two fields, 8 px apart, average to a weaker image).
    let (w2, h2) = (W / 2, H / 2);
    let expect: Vec<Vec<u8>> = combed.iter().map(|f| top_field_half(&f[..W * H], W, H)).collect();
    let p = |path: &Path| {
        let y = decode_luma(path, w2, h2);
        assert_eq!(y.len(), 10);
        y.iter().zip(&expect).map(|(a, b)| psnr(a, b)).sum::<f64>() / 10.0
    };
    let (p_field, p_scaled) = (p(&field), p(&scaled));
    println!("160x120 PSNR against the top field: half-size field {p_field:.2} dB, scaled {p_scaled:.2} dB");
    assert!(p_field > 35.0 && p_field > p_scaled + 10.0, "field {p_field} dB, scaled {p_scaled} dB");

    // Any raw video at any size feeds an encoded stream (the SDK's writer resizes too):
    // RGB24 640x480 into the 160x120 stream; a compressed type is still refused.
    let rgb = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB24, 640, 480, ft as i64);
    let frames: Vec<Vec<u8>> = (0..5).map(|i| vec![(i * 40) as u8; 640 * 480 * 3]).collect();
    let scaled_rgb = dir.path("rgb.wmv");
    write(&scaled_rgb, &half, Some(rgb), &[], &frames, ft, None).unwrap();
    assert_eq!(decode_luma(&scaled_rgb, w2, h2).len(), 5);
    let mut w = Writer::new();
    w.set_profile(&half).unwrap();
    let wmv2 = video_format(sdk::WMMEDIASUBTYPE_WMV2, 320, 240, ft as i64, 500_000);
    assert_eq!(w.set_input_props(0, Some(&wmv2)).unwrap_err().kind, wmwriter::error::ErrorKind::InvalidInputFormat);

    // A stream of the input's own size: half size cannot apply.
    let full = video_profile(sdk::WMMEDIASUBTYPE_WMV2, W, H, ft as i64);
    let mut w = Writer::new();
    w.set_profile(&full).unwrap();
    let e = w.set_input_setting(0, "DeinterlaceMode", dword(2)).unwrap_err();
    assert_eq!(e.kind, wmwriter::error::ErrorKind::InvalidRequest);
    assert!(e.message.contains("160x120") && e.message.contains("320x240"), "{}", e.message);
    assert_eq!(w.input_setting(0, "DeinterlaceMode").unwrap_err().kind, wmwriter::error::ErrorKind::NotFound);
    // Half size and back is refused while writing (the frame size would change).
    let mut w = Writer::new();
    w.set_profile(&half).unwrap();
    w.set_input_props(0, Some(&input)).unwrap();
    w.set_output_filename(dir.path("x.wmv").to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    assert_eq!(w.set_input_setting(0, "DeinterlaceMode", dword(2)).unwrap_err().kind, wmwriter::error::ErrorKind::InvalidRequest);
    w.set_input_setting(0, "DeinterlaceMode", dword(0)).unwrap();
    w.end_writing().unwrap();
    std::fs::remove_dir_all(&dir.0).ok();
}

#[test]
fn fixed_frame_rate_false_drops_to_the_stream_rate() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("input-settings-ffr");
    let frames: Vec<Vec<u8>> = (0..30).map(|i| bars(i, W, H, false)).collect();
    let in_ft = 333_333u64; // 30 fps input
    let profile = video_profile(sdk::WMMEDIASUBTYPE_WMV2, W, H, 666_667); // a 15 fps stream
    let count = |p: &Path| -> u64 {
        let j = ffprobe_json(p, &["-count_frames", "-show_entries", "stream=nb_read_frames"]);
        j.get("streams").arr()[0].get("nb_read_frames").int().unwrap() as u64
    };
    let (all, unset, dropped) = (dir.path("true.wmv"), dir.path("unset.wmv"), dir.path("false.wmv"));
    write(&all, &profile, None, &[("FixedFrameRate", boolean(true))], &frames, in_ft, None).unwrap();
    write(&unset, &profile, None, &[], &frames, in_ft, None).unwrap();
    write(&dropped, &profile, None, &[("FixedFrameRate", boolean(false))], &frames, in_ft, None).unwrap();
    let (n_all, n_unset, n_dropped) = (count(&all), count(&unset), count(&dropped));
    println!("frames decoded: TRUE {n_all}, unset {n_unset}, FALSE {n_dropped}");
    assert_eq!((n_all, n_unset, n_dropped), (30, 30, 15));
    std::fs::remove_dir_all(&dir.0).ok();
}

#[test]
fn interlaced_coding_on_mpeg4_and_refused_on_wmv2() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("input-settings-ilace");
    let ft = 400_000u64;
    let frames: Vec<Vec<u8>> = (0..10).map(|i| bars(i, W, H, true)).collect();
    let interlaced = |p: &Path| -> (usize, usize) {
        let j = ffprobe_json(p, &["-show_frames", "-show_entries", "frame=interlaced_frame"]);
        let f = j.get("frames").arr();
        (f.iter().filter(|x| x.get("interlaced_frame").int() == Some(1)).count(), f.len())
    };
    let mp4 = video_profile(sdk::WMMEDIASUBTYPE_MP4S, W, H, ft as i64);
    let (on, off) = (dir.path("on.asf"), dir.path("off.asf"));
    write(&on, &mp4, None, &[("InterlacedCoding", boolean(true))], &frames, ft, None).unwrap();
    write(&off, &mp4, None, &[("InterlacedCoding", boolean(false))], &frames, ft, None).unwrap();
    let (i_on, n_on) = interlaced(&on);
    let (i_off, n_off) = interlaced(&off);
    println!("interlaced frames: TRUE {i_on}/{n_on}, FALSE {i_off}/{n_off}");
    assert_eq!((i_on, n_on, i_off, n_off), (10, 10, 0, 10));
    ffmpeg_clean(&["-i", on.to_str().unwrap(), "-f", "null", "-"]);

    let mut w = Writer::new();
    w.set_profile(&video_profile(sdk::WMMEDIASUBTYPE_WMV2, W, H, ft as i64)).unwrap();
    let e = w.set_input_setting(0, "InterlacedCoding", boolean(true)).unwrap_err();
    assert_eq!(e.kind, wmwriter::error::ErrorKind::InvalidRequest, "{}", e.message);
    w.set_input_setting(0, "InterlacedCoding", boolean(false)).unwrap();
    // While writing it cannot change (the encoder fixed it at begin_writing).
    let mut w = Writer::new();
    w.set_profile(&mp4).unwrap();
    w.set_output_filename(dir.path("y.asf").to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    assert_eq!(w.set_input_setting(0, "InterlacedCoding", boolean(true)).unwrap_err().kind, wmwriter::error::ErrorKind::InvalidRequest);
    w.set_input_setting(0, "InterlacedCoding", boolean(false)).unwrap();
    w.end_writing().unwrap();
    std::fs::remove_dir_all(&dir.0).ok();
}

/// Set a setting through the C ABI.
unsafe fn set(w: *mut WMWriter, input: u32, name: &str, ty: u32, value: &[u8]) -> HRESULT {
    let n = CString::new(name).unwrap();
    unsafe { wm_writer_set_input_setting(w, input, n.as_ptr(), ty, value.as_ptr(), value.len() as u16) }
}

/// Read one through the C ABI: (HRESULT, type, bytes).
unsafe fn get(w: *mut WMWriter, input: u32, name: &str) -> (HRESULT, u32, Vec<u8>) {
    let n = CString::new(name).unwrap();
    let (mut ty, mut len) = (77u32, 0u16);
    let hr = unsafe { wm_writer_get_input_setting(w, input, n.as_ptr(), &mut ty, null_mut(), &mut len) };
    if hr != S_OK {
        return (hr, ty, Vec::new());
    }
    let mut buf = vec![0u8; len as usize];
    let hr = unsafe { wm_writer_get_input_setting(w, input, n.as_ptr(), &mut ty, buf.as_mut_ptr(), &mut len) };
    (hr, ty, buf)
}

#[test]
fn the_c_abi_codes() {
    use wmwriter::ffi::header_info::{WMT_TYPE_BOOL as BOOL, WMT_TYPE_DWORD as DWORD, WMT_TYPE_GUID as GUID, WMT_TYPE_STRING as STRING};
    use wmwriter::ffi::header_info::{WM_DM_DEINTERLACE_HALFSIZE, WM_DM_DEINTERLACE_INVERSETELECINE, WM_DM_DEINTERLACE_NORMAL};
    unsafe {
        let mut w = null_mut();
        assert_eq!(wm_create_writer(&mut w), S_OK);
        assert_eq!(set(w, 0, "DeinterlaceMode", DWORD, &1u32.to_le_bytes()), NS_E_NOT_CONFIGURED);
        assert_eq!(get(w, 0, "DeinterlaceMode").0, NS_E_NOT_CONFIGURED);
        // WMProfile_V80_256Video: input 0 audio (WMA), input 1 video (WMV2 320x240).
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut p = null_mut();
        let g = wm_guid("BBC75500-33D2-4466-B86B-122B201CC9AE");
        assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), S_OK, "{}", last_error());
        assert_eq!(wm_writer_set_profile(w, p), S_OK, "{}", last_error());
        wm_profile_release(p);
        wm_profile_manager_release(pm);

        let on = WM_DM_DEINTERLACE_NORMAL.to_le_bytes();
        // Round trips on the video input.
        assert_eq!(set(w, 1, "DeinterlaceMode", DWORD, &on), S_OK, "{}", last_error());
        assert_eq!(get(w, 1, "DeinterlaceMode"), (S_OK, DWORD, on.to_vec()));
        assert_eq!(set(w, 1, "FixedFrameRate", BOOL, &0u32.to_le_bytes()), S_OK, "{}", last_error());
        assert_eq!(get(w, 1, "FixedFrameRate"), (S_OK, BOOL, vec![0; 4]));
        assert_eq!(set(w, 1, "InterlacedCoding", BOOL, &0u32.to_le_bytes()), S_OK);
        // Refused with a reason, and not stored.
        for (name, ty, value, hr, says) in [
            ("DeinterlaceMode", DWORD, WM_DM_DEINTERLACE_HALFSIZE.to_le_bytes().to_vec(), NS_E_INVALID_REQUEST, "half"),
            ("DeinterlaceMode", DWORD, WM_DM_DEINTERLACE_INVERSETELECINE.to_le_bytes().to_vec(), NS_E_INVALID_REQUEST, "telecine"),
            ("DeinterlaceMode", DWORD, 9u32.to_le_bytes().to_vec(), E_INVALIDARG, "0..5"),
            ("InterlacedCoding", BOOL, on.to_vec(), NS_E_INVALID_REQUEST, "interlaced coding"),
            ("InitialPatternForInverseTelecine", DWORD, on.to_vec(), NS_E_INVALID_REQUEST, "telecine"),
            ("JPEGCompressionQuality", DWORD, 50u32.to_le_bytes().to_vec(), NS_E_INVALID_REQUEST, "JPEG"),
            ("JPEGCompressionQuality", DWORD, 0u32.to_le_bytes().to_vec(), E_INVALIDARG, "1..100"),
            ("WatermarkCLSID", GUID, vec![7; 16], NS_E_INVALID_REQUEST, "DirectX Media Objects"),
            ("WatermarkConfig", STRING, b"x\0".to_vec(), NS_E_INVALID_REQUEST, "watermarks"),
            ("DeinterlaceMode", BOOL, on.to_vec(), E_INVALIDARG, "Dword"),
            ("NoSuchSetting", DWORD, on.to_vec(), E_INVALIDARG, "not an input setting"),
        ] {
            assert_eq!(set(w, 1, name, ty, &value), hr, "{name}: {}", last_error());
            assert!(last_error().contains(says), "{name}: {}", last_error());
        }
        assert_eq!(get(w, 1, "DeinterlaceMode"), (S_OK, DWORD, on.to_vec()), "a refused value leaves the old one");
        assert_eq!(get(w, 1, "WatermarkConfig").0, ASF_E_NOTFOUND);
        assert_eq!(get(w, 1, "JPEGCompressionQuality").0, ASF_E_NOTFOUND);
        // The audio input takes no video setting.
        assert_eq!(set(w, 0, "DeinterlaceMode", DWORD, &on), NS_E_INVALID_REQUEST);
        assert!(last_error().contains("not a video input"), "{}", last_error());
        assert_eq!(get(w, 0, "DeinterlaceMode").0, ASF_E_NOTFOUND);
        assert_eq!(set(w, 2, "DeinterlaceMode", DWORD, &on), E_INVALIDARG);
        assert_eq!(get(w, 2, "DeinterlaceMode").0, E_INVALIDARG);
        assert_eq!(wm_writer_release(w), 0);
    }
}

#[test]
fn settings_while_writing() {
    if !lavc_or_skip() {
        return;
    }
    let dir = TempDir::new("input-settings-writing");
    unsafe {
        let mut w = null_mut();
        assert_eq!(wm_create_writer(&mut w), S_OK);
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut p = null_mut();
        let g = wm_guid("BBC75500-33D2-4466-B86B-122B201CC9AE");
        assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), S_OK);
        assert_eq!(wm_writer_set_profile(w, p), S_OK);
        wm_profile_release(p);
        wm_profile_manager_release(pm);
        let path = CString::new(dir.path("w.wmv").to_str().unwrap()).unwrap();
        assert_eq!(wm_writer_set_output_filename(w, path.as_ptr()), S_OK);
        assert_eq!(wm_writer_begin_writing(w), S_OK, "{}", last_error());
        use wmwriter::ffi::header_info::{WMT_TYPE_BOOL, WMT_TYPE_DWORD};
        let on = 1u32.to_le_bytes();
        assert_eq!(set(w, 1, "FixedFrameRate", WMT_TYPE_BOOL, &on), NS_E_INVALID_REQUEST);
        assert!(last_error().contains("while writing"), "{}", last_error());
        assert_eq!(set(w, 1, "DeinterlaceMode", WMT_TYPE_DWORD, &on), S_OK, "{}", last_error());
        assert_eq!(get(w, 1, "DeinterlaceMode"), (S_OK, WMT_TYPE_DWORD, on.to_vec()));
        assert_eq!(set(w, 1, "DeinterlaceMode", WMT_TYPE_DWORD, &0u32.to_le_bytes()), S_OK);
        assert_eq!(wm_writer_end_writing(w), S_OK, "{}", last_error());
        assert_eq!(wm_writer_release(w), 0);
    }
    std::fs::remove_dir_all(&dir.0).ok();
}
