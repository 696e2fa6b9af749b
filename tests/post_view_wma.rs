//! Issue 18's "Done when" for post view: `WMProfile_V80_128StereoAudio` (WMA v2,
//! 128 kbit/s, 44.1 kHz stereo) written from 10 s of PCM through the C API with post
//! view on; the post view delivers decoded PCM s16 (its listed format) whose SNR
//! against the input matches (within 0.5 dB) the SNR of ffmpeg decoding the written
//! file. Both numbers are printed.
#![allow(clippy::undocumented_unsafe_blocks)]

mod common;
mod lavc_util;

use std::ffi::{c_void, CString};
use std::ptr::null_mut;

use common::*;
use lavc_util::*;
use wmwriter::buffer::SampleBuffer;
use wmwriter::codec::lavc;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::input_media_props::*;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::post_view::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::writer::*;
use wmwriter::ffi::HRESULT;
use wmwriter::profile::system::by_ident;

#[derive(Default)]
struct Got {
    pcm: Vec<u8>,
    times: Vec<(u64, u64)>,
    other_streams: usize,
}

unsafe extern "C" fn on_sample(ctx: *mut c_void, stream: u16, time: u64, duration: u64, _flags: u32, b: *mut SampleBuffer) -> HRESULT {
    let g = &mut *(ctx as *mut Got);
    if stream != 1 {
        g.other_streams += 1;
        return S_OK;
    }
    let (mut p, mut n) = (null_mut(), 0u32);
    assert_eq!(wm_buffer_get_buffer_and_length(b, &mut p, &mut n), S_OK);
    g.pcm.extend_from_slice(std::slice::from_raw_parts(p, n as usize));
    g.times.push((time, duration));
    S_OK
}

fn s16_to_f32(pcm: &[u8]) -> Vec<f32> {
    pcm.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32767.0).collect()
}

#[test]
fn wma_post_view_snr_matches_the_file() {
    if let Some(e) = lavc::load_error() {
        assert!(!tools_required(), "libavcodec is required (WMWRITER_REQUIRE_TOOLS=1): {e}");
        println!("skipped: {e}");
        return;
    }
    if !have_tools(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("post-view-wma");
    let f = dir.path("pv128.wma");
    let x = mix_signal(44100, 2, 10.0);
    let pcm = to_s16(&x);
    let xq = s16_to_f32(&pcm);
    let mut got = Got::default();
    unsafe {
        let def = by_ident("V80_128StereoAudio").unwrap();
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut p = null_mut();
        let g = wm_guid(def.guid);
        assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), S_OK, "{}", last_error());
        wm_profile_manager_release(pm);
        let mut w = null_mut();
        assert_eq!(wm_create_writer(&mut w), S_OK);
        assert_eq!(wm_writer_set_profile(w, p), S_OK, "{}", last_error());
        wm_profile_release(p);

        // The post-view format of the WMA stream: what the decoder gives, PCM s16.
        let mut count = 0;
        assert_eq!(wm_writer_get_post_view_format_count(w, 1, &mut count), S_OK);
        assert_eq!(count, 1);
        let mut props = null_mut();
        assert_eq!(wm_writer_get_post_view_format(w, 1, 0, &mut props), S_OK);
        let mut size = 0u32;
        assert_eq!(wm_input_media_props_get_media_type(props, null_mut(), &mut size), S_OK);
        let mut mt_buf = vec![0u64; (size as usize).div_ceil(8)];
        let mt = mt_buf.as_mut_ptr() as *mut WM_MEDIA_TYPE;
        assert_eq!(wm_input_media_props_get_media_type(props, mt, &mut size), S_OK);
        let fmt = std::slice::from_raw_parts((*mt).pbFormat, (*mt).cbFormat as usize);
        let word = |o: usize| u16::from_le_bytes([fmt[o], fmt[o + 1]]);
        assert_eq!((word(0), word(2), u32::from_le_bytes(fmt[4..8].try_into().unwrap()), word(14)), (1, 2, 44100, 16));
        assert_eq!(wm_writer_set_post_view_props(w, 1, props), S_OK, "{}", last_error());
        wm_input_media_props_release(props);

        assert_eq!(wm_writer_set_post_view_callback(w, Some(on_sample), None, &mut got as *mut Got as *mut c_void), S_OK);
        assert_eq!(wm_writer_set_receive_post_view_samples(w, 1, 1), S_OK, "{}", last_error());
        let cpath = CString::new(f.to_str().unwrap()).unwrap();
        assert_eq!(wm_writer_set_output_filename(w, cpath.as_ptr()), S_OK);
        assert_eq!(wm_writer_begin_writing(w), S_OK, "{}", last_error());
        let chunk = 4410 * 4;
        for (i, part) in pcm.chunks(chunk).enumerate() {
            let mut b = null_mut();
            assert_eq!(wm_writer_allocate_sample(w, part.len() as u32, &mut b), S_OK);
            let mut d = null_mut();
            assert_eq!(wm_buffer_get_buffer(b, &mut d), S_OK);
            std::ptr::copy_nonoverlapping(part.as_ptr(), d, part.len());
            assert_eq!(wm_buffer_set_length(b, part.len() as u32), S_OK);
            assert_eq!(wm_writer_write_sample(w, 0, i as u64 * 1_000_000, 0, b), S_OK, "{}", last_error());
            wm_buffer_release(b);
        }
        assert_eq!(wm_writer_end_writing(w), S_OK, "{}", last_error());
        assert_eq!(wm_writer_release(w), 0);
    }
    assert_eq!(got.other_streams, 0);
    assert!(!got.times.is_empty());
    // Times run on without gaps from 0.
    let mut next = got.times[0].0;
    assert!(next < 1_000_000, "first post-view time {next}");
    for (t, d) in &got.times {
        assert!(t.abs_diff(next) <= 1, "post-view time {t}, expected {next}");
        next = t + d;
    }
    let ours = s16_to_f32(&got.pcm);
    let file = decode_f32(&f); // ffmpeg_clean: nothing on stderr
    assert!(ours.len() >= xq.len() && ours.len() <= xq.len() + 2 * 2048 * 2, "post view has {} samples for {}", ours.len(), xq.len());
    let lag_pv = best_lag(&xq, &ours, 2, 3000);
    let lag_file = best_lag(&xq, &file, 2, 3000);
    let snr_pv = snr(&xq, &ours, 2, lag_pv);
    let snr_file = snr(&xq, &file, 2, lag_file);
    println!("post view SNR {snr_pv:.2} dB (lag {lag_pv}), ffmpeg on the file {snr_file:.2} dB (lag {lag_file})");
    assert_eq!(lag_pv, lag_file, "the post view lines up with the file's decoding");
    assert!((snr_pv - snr_file).abs() <= 0.5, "post view {snr_pv:.2} dB vs file {snr_file:.2} dB");
    assert!(snr_file > 10.0, "the file decodes to the input ({snr_file:.2} dB)");
}

/// `WMProfile_V80_256Video` (WMV2 320×240 + WMA v2) with post view on both streams:
/// the video post view is I420 (its listed format), one frame per input frame at the
/// input's time, equal to what ffmpeg decodes from the written file.
#[test]
fn wmv_post_view_matches_the_file() {
    use wmwriter::guid::sdk;
    use wmwriter::writer::Writer;
    if let Some(e) = lavc::load_error() {
        assert!(!tools_required(), "libavcodec is required (WMWRITER_REQUIRE_TOOLS=1): {e}");
        println!("skipped: {e}");
        return;
    }
    if !have_tools(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("post-view-wmv");
    let def = by_ident("V80_256Video").unwrap();
    let profile = def.build();
    let vnum = profile.streams.iter().find(|s| s.media_type.as_ref().unwrap().major_type == sdk::WMMEDIATYPE_VIDEO).unwrap().number;
    let anum = profile.streams.iter().find(|s| s.number != vnum).unwrap().number;
    let (w, h, fps, n) = (320usize, 240usize, 15u64, 45usize);
    let src = yuv_frames(&dir, w, h, fps, n, "yuv420p", false);
    let (_, _, arate, ach) = def.audio.unwrap();
    let pcm = to_s16(&mix_signal(arate, ach as usize, n as f64 / fps as f64));
    let f = dir.path("pv256.wmv");
    let mut wr = Writer::new();
    wr.set_profile(&profile).unwrap();
    let vf = wr.post_view_formats(vnum).unwrap();
    assert_eq!(vf.len(), 1);
    assert_eq!(vf[0].subtype, sdk::WMMEDIASUBTYPE_I420);
    let vi = vf[0].video_info().unwrap();
    assert_eq!((vi.width, vi.height.abs()), (w as i32, h as i32));
    wr.set_receive_post_view_samples(vnum, true).unwrap();
    wr.set_receive_post_view_samples(anum, true).unwrap();
    wr.set_output_filename(f.to_str().unwrap()).unwrap();
    wr.begin_writing().unwrap();
    let fsz = w * h * 3 / 2;
    let achunk = arate as usize / 10 * 2 * ach as usize;
    let (mut ai, mut vi_n, mut post) = (0usize, 0usize, Vec::new());
    loop {
        let at = ai as u64 * 1_000_000;
        let vt = vi_n as u64 * 10_000_000 / fps;
        let audio_left = ai * achunk < pcm.len();
        if !audio_left && vi_n >= n {
            break;
        }
        let (input, time, data) = if audio_left && (vi_n >= n || at <= vt) {
            ai += 1;
            (0, at, &pcm[(ai - 1) * achunk..(ai * achunk).min(pcm.len())])
        } else {
            vi_n += 1;
            (1, vt, &src[(vi_n - 1) * fsz..vi_n * fsz])
        };
        let b = wr.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(data).unwrap();
        wr.write_sample(input, time, if input == 1 { 1 } else { 0 }, &b).unwrap();
        post.extend(wr.take_post_view_samples());
    }
    wr.end_writing().unwrap();
    post.extend(wr.take_post_view_samples());
    let frames: Vec<_> = post.iter().filter(|s| s.stream == vnum).collect();
    assert_eq!(frames.len(), n, "one post-view frame per input frame");
    for (i, s) in frames.iter().enumerate() {
        assert_eq!(s.time, i as u64 * 10_000_000 / fps, "frame {i}");
        assert_eq!(s.data.len(), fsz);
    }
    assert!(post.iter().any(|s| s.stream == anum), "the audio post view runs too");
    let ours: Vec<u8> = frames.iter().flat_map(|s| s.data.iter().copied()).collect();
    let file = decode_yuv(&f);
    assert_eq!(file.len(), ours.len(), "ffmpeg decoded {} bytes, post view {}", file.len(), ours.len());
    let (p_ours, p_file) = (psnr_y(&src, &ours), psnr_y(&src, &file));
    println!("video post view PSNR {p_ours:.2} dB, ffmpeg on the file {p_file:.2} dB");
    assert!(ours == file, "the post view frames equal ffmpeg's decoding of the file");
    assert!(p_file > 25.0, "{p_file}");
}

/// Compressed passthrough (`set_input_props(NULL)` + `write_stream_sample`): the post
/// view decodes the samples written, and gives what ffmpeg decodes from the file.
#[test]
fn passthrough_wma_post_view_matches_the_file() {
    use wmwriter::profile::{MediaType, ProfileData};
    use wmwriter::writer::Writer;
    if lavc::load_error().is_some() || !have_tools(&["ffmpeg"]) {
        assert!(!tools_required(), "libavcodec and ffmpeg are required (WMWRITER_REQUIRE_TOOLS=1)");
        return;
    }
    let dir = TempDir::new("post-view-passthrough");
    let x = mix_signal(44100, 2, 3.0);
    let pcm = to_s16(&x);
    let cfg = audio_cfg(0x161, 44100, 2, 128_000);
    let (output, units) = encode_all(&MediaType::pcm(2, 44100, 16), &cfg, &pcm, 4410 * 4, 1_000_000);
    let mut p = ProfileData::new(0x0009_0000);
    let mut s = cfg.stream.clone();
    s.media_type = Some(output);
    p.add_stream(s).unwrap();
    let f = dir.path("pt.wma");
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_input_props(0, None).unwrap();
    w.set_receive_post_view_samples(1, true).unwrap();
    w.set_output_filename(f.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    let mut post = Vec::new();
    for u in &units {
        let b = w.allocate_sample(u.data.len() as u32).unwrap();
        b.copy_from(&u.data).unwrap();
        w.write_stream_sample(1, u.time, u.duration, 1, &b).unwrap();
        post.extend(w.take_post_view_samples());
    }
    w.end_writing().unwrap();
    post.extend(w.take_post_view_samples());
    let ours: Vec<u8> = post.iter().flat_map(|s| s.data.iter().copied()).collect();
    let ours = s16_to_f32(&ours);
    let file = decode_f32(&f);
    let xq = s16_to_f32(&pcm);
    let (a, b) = (snr(&xq, &ours, 2, 0), snr(&xq, &file, 2, 0));
    println!("passthrough post view SNR {a:.2} dB, ffmpeg on the file {b:.2} dB");
    assert!((a - b).abs() <= 0.5 && b > 10.0, "{a} vs {b}");
}
