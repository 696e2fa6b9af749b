//! Issue 17's user path: with libavcodec hidden (`WMWRITER_LIBAVCODEC` names nothing),
//! codec enumeration still offers WMA Lossless; a format taken from it goes into a
//! profile (saved as PRX and loaded back), 10 s of stereo 16-bit 44.1 kHz PCM goes through `wm_writer_write_sample`,
//! and ffprobe sees `wmalossless` while ffmpeg decodes it, with no message, to exactly
//! the input bytes. (A process of its own: the library search happens once.)

use std::path::PathBuf;
use std::process::Command;
use std::ptr::null_mut;

use wmwriter::ffi::buffer::*;
use wmwriter::ffi::codec_info::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;

fn tools() -> bool {
    let ok = ["ffmpeg", "ffprobe"].iter().all(|t| Command::new(t).arg("-version").output().is_ok());
    if !ok && std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("ffmpeg/ffprobe missing (WMWRITER_REQUIRE_TOOLS=1)");
    }
    ok
}

/// Interleaved PCM of `bits` (16 or 24) for `frames` frames: tones plus LCG noise.
fn signal(frames: usize, channels: u16, bits: u16) -> Vec<u8> {
    let mut pcm = Vec::new();
    let mut seed = 12345u32;
    let scale = if bits == 24 { 256.0 } else { 1.0 };
    for n in 0..frames {
        for c in 0..channels {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = ((seed >> 24) as i32 - 128) * 4;
            let t = n as f64 / 44100.0;
            let f = 220.0 * (c as f64 + 2.0);
            let v = ((9000.0 * (2.0 * std::f64::consts::PI * f * t).sin() + noise as f64) * scale) as i32;
            pcm.extend_from_slice(&v.to_le_bytes()[..bits as usize / 8]);
        }
    }
    pcm
}

/// Every WMA Lossless format codec enumeration offers (with `_VBRENABLED`), as
/// (codec index, format index, rate, channels, bits).
unsafe fn lossless_formats(pm: *mut wmwriter::profile::ProfileManager) -> Vec<(u32, u32, u32, u16, u16)> {
    let mut count = 0u32;
    assert_eq!(wm_profile_manager_get_codec_info_count(pm, &WMMEDIATYPE_Audio, &mut count), S_OK);
    let on = 1u32.to_le_bytes();
    let mut found = Vec::new();
    for c in 0..count {
        // codecs without VBR (WMA v1/v2) refuse the setting: they offer no lossless formats anyway
        let hr = wm_profile_manager_set_codec_enumeration_setting(pm, &WMMEDIATYPE_Audio, c, c"_VBRENABLED".as_ptr(), 3, on.as_ptr(), 4);
        assert!(hr == S_OK || hr == NS_E_UNSUPPORTED_PROPERTY, "0x{:08X}", hr as u32);
        let mut nf = 0u32;
        assert_eq!(wm_profile_manager_get_codec_format_count(pm, &WMMEDIATYPE_Audio, c, &mut nf), S_OK);
        for f in 0..nf {
            let mut sc = null_mut();
            assert_eq!(wm_profile_manager_get_codec_format(pm, &WMMEDIATYPE_Audio, c, f, &mut sc), S_OK);
            let mut size = 0u32;
            assert_eq!(wm_stream_config_get_media_type(sc, null_mut(), &mut size), S_OK);
            let mut buf = vec![0u64; size as usize / 8 + 1];
            let mt = buf.as_mut_ptr().cast::<wmwriter::ffi::media_type::WM_MEDIA_TYPE>();
            assert_eq!(wm_stream_config_get_media_type(sc, mt, &mut size), S_OK);
            let wfx = std::slice::from_raw_parts((*mt).pbFormat, (*mt).cbFormat as usize);
            if u16::from_le_bytes([wfx[0], wfx[1]]) == 0x0163 {
                found.push((
                    c,
                    f,
                    u32::from_le_bytes([wfx[4], wfx[5], wfx[6], wfx[7]]),
                    u16::from_le_bytes([wfx[2], wfx[3]]),
                    u16::from_le_bytes([wfx[14], wfx[15]]),
                ));
            }
            wm_stream_config_release(sc);
        }
    }
    found
}

/// Write `seconds` of PCM through format (codec, format) and check ffprobe + ffmpeg.
unsafe fn write_and_check(
    pm: *mut wmwriter::profile::ProfileManager,
    dir: &std::path::Path,
    fmt: (u32, u32, u32, u16, u16),
    seconds: usize,
) {
    let (c, f, rate, ch, bits) = fmt;
    let out: PathBuf = dir.join(format!("lossless_{rate}_{ch}_{bits}.wma"));
    let frame_bytes = ch as usize * bits as usize / 8;
    let pcm = signal(rate as usize * seconds, ch, bits);
    let mut sc = null_mut();
    assert_eq!(wm_profile_manager_get_codec_format(pm, &WMMEDIATYPE_Audio, c, f, &mut sc), S_OK);
    let mut p = null_mut();
    assert_eq!(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &mut p), S_OK);
    assert_eq!(wm_stream_config_set_connection_name(sc, c"Audio".as_ptr()), S_OK);
    assert_eq!(wm_profile_add_stream(p, sc), S_OK);
    // Through a PRX file, as a user saving the profile would: save, load, write with the loaded one.
    let mut len = 0u32;
    assert_eq!(wm_profile_manager_save_profile(pm, p, null_mut(), &mut len), S_OK);
    let mut prx = vec![0u8; len as usize];
    assert_eq!(wm_profile_manager_save_profile(pm, p, prx.as_mut_ptr().cast(), &mut len), S_OK);
    let prx_text = std::ffi::CStr::from_bytes_until_nul(&prx).unwrap().to_owned();
    assert!(
        prx_text.to_string_lossy().contains("00000163-0000-0010-8000-00AA00389B71"),
        "the PRX names the WMA Lossless subtype: {}",
        prx_text.to_string_lossy()
    );
    let mut loaded = null_mut();
    assert_eq!(wm_profile_manager_load_profile_by_data(pm, prx_text.as_ptr(), &mut loaded), S_OK);
    wm_profile_release(p);
    let p = loaded;
    let mut w = null_mut();
    assert_eq!(wm_create_writer(&mut w), S_OK);
    assert_eq!(wm_writer_set_profile(w, p), S_OK);
    let path = std::ffi::CString::new(out.to_str().unwrap()).unwrap();
    assert_eq!(wm_writer_set_output_filename(w, path.as_ptr()), S_OK);
    let hr = wm_writer_begin_writing(w);
    assert_eq!(hr, S_OK, "{}", std::ffi::CStr::from_ptr(wm_get_last_error_message()).to_string_lossy());
    let chunk = rate as usize / 10 * frame_bytes; // 100 ms
    for (i, part) in pcm.chunks(chunk).enumerate() {
        let mut b = null_mut();
        assert_eq!(wm_writer_allocate_sample(w, part.len() as u32, &mut b), S_OK);
        let mut d = null_mut();
        assert_eq!(wm_buffer_get_buffer(b, &mut d), S_OK);
        std::ptr::copy_nonoverlapping(part.as_ptr(), d, part.len());
        assert_eq!(wm_buffer_set_length(b, part.len() as u32), S_OK);
        let hr = wm_writer_write_sample(w, 0, i as u64 * 1_000_000, 0, b);
        assert_eq!(hr, S_OK, "{}", std::ffi::CStr::from_ptr(wm_get_last_error_message()).to_string_lossy());
        wm_buffer_release(b);
    }
    assert_eq!(wm_writer_end_writing(w), S_OK);
    assert_eq!(wm_writer_release(w), 0);
    wm_stream_config_release(sc);
    wm_profile_release(p);
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "csv=p=0"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&probe.stdout).trim(), format!("wmalossless,{rate},{ch}"));
    let (fmt_name, ffmt) = if bits == 24 { ("s32le", 4) } else { ("s16le", 2) };
    let dec = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "warning", "-guess_layout_max", "0", "-i"])
        .arg(&out)
        .args(["-f", fmt_name, "-"])
        .output()
        .unwrap();
    assert!(dec.status.success());
    assert_eq!(String::from_utf8_lossy(&dec.stderr), "", "ffmpeg printed something for {rate}/{ch}/{bits}");
    // 24-bit decodes to s32 with the sample in the high 24 bits
    let decoded: Vec<u8> = if bits == 24 { dec.stdout.chunks(ffmt).flat_map(|s| s[1..4].to_vec()).collect() } else { dec.stdout };
    assert_eq!(decoded.len(), pcm.len(), "decoded length for {rate}/{ch}/{bits}");
    assert!(decoded == pcm, "decoded PCM differs from the input for {rate}/{ch}/{bits}");
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size < pcm.len() as u64, "{size} bytes for {} of PCM", pcm.len());
}

#[test]
fn lossless_from_codec_enumeration_without_libavcodec_decodes_bit_exact() {
    std::env::set_var("WMWRITER_LIBAVCODEC", "/nonexistent/libavcodec.so");
    if !tools() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("wmwriter-wmal-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    unsafe {
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let formats = lossless_formats(pm);
        for want in [(44100, 2, 16), (44100, 1, 16), (48000, 2, 16), (48000, 2, 24), (96000, 2, 24), (48000, 6, 24)] {
            assert!(formats.iter().any(|f| (f.2, f.3, f.4) == want), "codec enumeration lacks WMA Lossless {want:?}: {formats:?}");
        }
        for f in &formats {
            // 10 s for the CD format, 2 s for the others
            write_and_check(pm, &dir, *f, if (f.2, f.3, f.4) == (44100, 2, 16) { 10 } else { 2 });
        }
        wm_profile_manager_release(pm);
    }
    std::fs::remove_dir_all(dir).ok();
}
