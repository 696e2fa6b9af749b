//! `IWMPropertyVault` on stream configs through the C ABI (`wm_stream_config_set_property`
//! and friends), and its effect: `_VBRENABLED` + `_VBRQUALITY` on a WMV2 stream make
//! the writer's libavcodec encoder run quality-based VBR, so quality 100 gives a much
//! larger (and better) file than quality 5 from the same frames; both decode cleanly.
//! The properties also reach a saved PRX (`vbrenabled` / `vbrquality`).

mod common;
mod lavc_util;

use std::ffi::{c_char, CStr, CString};
use std::path::Path;
use std::ptr::null_mut;
use std::sync::Arc;

use common::*;
use lavc_util::*;
use wmwriter::codec::lavc;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::property_vault::*;
use wmwriter::ffi::stream_config::wm_stream_config_release;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfig, StreamConfigData};
use wmwriter::writer::Writer;

const W: usize = 320;
const H: usize = 240;
const FRAMES: usize = 50;
const TYPE_DWORD: u32 = 0;
const TYPE_STRING: u32 = 1;
const TYPE_BOOL: u32 = 3;

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn wmv2_stream() -> StreamConfigData {
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, W as i32, H as i32, 400_000);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    mt.temporal_compression = true;
    mt.fixed_size_samples = false;
    mt.format[64..68].copy_from_slice(b"WMV2");
    s.media_type = Some(mt);
    s.bitrate = 400_000;
    s.connection_name = "Video".into();
    s
}

fn handle(s: StreamConfigData) -> *mut StreamConfig {
    Arc::into_raw(Arc::new(StreamConfig::new(s))) as *mut StreamConfig
}

/// The vault calls, their size-query protocols and error codes; leaves `_VBRENABLED`
/// TRUE and `_VBRQUALITY` = `quality` on the returned config's data.
unsafe fn configure(quality: u32) -> StreamConfigData {
    let sc = handle(wmv2_stream());
    let mut n = 9u32;
    assert_eq!(wm_stream_config_get_property_count(sc, &mut n), S_OK);
    assert_eq!(n, 0);
    assert_eq!(wm_stream_config_set_property(sc, c("Note").as_ptr(), TYPE_STRING, b"hi\0".as_ptr(), 3), S_OK);
    assert_eq!(wm_stream_config_set_property(sc, c("_VBRQUALITY").as_ptr(), TYPE_DWORD, quality.to_le_bytes().as_ptr(), 4), S_OK);
    assert_eq!(wm_stream_config_set_property(sc, c("_VBRENABLED").as_ptr(), TYPE_BOOL, 1u32.to_le_bytes().as_ptr(), 4), S_OK);
    // Wrong types, sizes, ranges, NULLs.
    assert_eq!(wm_stream_config_set_property(sc, c("_VBRENABLED").as_ptr(), TYPE_DWORD, 1u32.to_le_bytes().as_ptr(), 4), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(sc, c("_VBRQUALITY").as_ptr(), TYPE_DWORD, 101u32.to_le_bytes().as_ptr(), 4), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(sc, c("_RMAX").as_ptr(), TYPE_DWORD, [1u8, 2].as_ptr(), 2), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(sc, c("X").as_ptr(), 7, [0u8].as_ptr(), 1), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(sc, std::ptr::null(), TYPE_DWORD, [0u8; 4].as_ptr(), 4), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(sc, c("X").as_ptr(), TYPE_DWORD, std::ptr::null(), 4), E_INVALIDARG);
    assert_eq!(wm_stream_config_set_property(null_mut(), c("X").as_ptr(), TYPE_DWORD, [0u8; 4].as_ptr(), 4), E_POINTER);
    assert_eq!(wm_stream_config_get_property_count(sc, &mut n), S_OK);
    assert_eq!(n, 3);
    assert_eq!(wm_stream_config_get_property_count(sc, null_mut()), E_INVALIDARG);

    // By name.
    let (mut ty, mut size) = (99u32, 0u32);
    assert_eq!(wm_stream_config_get_property_by_name(sc, c("_VBRQUALITY").as_ptr(), &mut ty, null_mut(), &mut size), S_OK);
    assert_eq!((ty, size), (TYPE_DWORD, 4));
    let mut v = [0u8; 4];
    assert_eq!(wm_stream_config_get_property_by_name(sc, c("_VBRQUALITY").as_ptr(), &mut ty, v.as_mut_ptr(), &mut size), S_OK);
    assert_eq!(u32::from_le_bytes(v), quality);
    let mut one = [0u8; 1];
    size = 1;
    assert_eq!(wm_stream_config_get_property_by_name(sc, c("Note").as_ptr(), &mut ty, one.as_mut_ptr(), &mut size), ASF_E_BUFFERTOOSMALL);
    assert_eq!(size, 3);
    let (mut ty, mut size) = (99u32, 99u32);
    assert_eq!(wm_stream_config_get_property_by_name(sc, c("_BMAX").as_ptr(), &mut ty, null_mut(), &mut size), NS_E_UNSUPPORTED_PROPERTY);
    assert_eq!((ty, size), (0, 0));
    assert_eq!(wm_stream_config_get_property_by_name(sc, std::ptr::null(), &mut ty, null_mut(), &mut size), E_INVALIDARG);
    assert_eq!(wm_stream_config_get_property_by_name(null_mut(), c("Note").as_ptr(), &mut ty, null_mut(), &mut size), E_POINTER);

    // By index: the VBR ones first, then the others.
    let mut names = Vec::new();
    for i in 0..3 {
        let (mut nl, mut ty, mut size) = (0u32, 0u32, 0u32);
        assert_eq!(wm_stream_config_get_property_by_index(sc, i, null_mut(), &mut nl, &mut ty, null_mut(), &mut size), S_OK);
        let mut buf = vec![0 as c_char; nl as usize];
        let mut val = vec![0u8; size as usize];
        assert_eq!(wm_stream_config_get_property_by_index(sc, i, buf.as_mut_ptr(), &mut nl, &mut ty, val.as_mut_ptr(), &mut size), S_OK);
        names.push((CStr::from_ptr(buf.as_ptr()).to_str().unwrap().to_string(), ty, val));
    }
    assert_eq!(
        names,
        vec![
            ("_VBRENABLED".to_string(), TYPE_BOOL, 1u32.to_le_bytes().to_vec()),
            ("_VBRQUALITY".to_string(), TYPE_DWORD, quality.to_le_bytes().to_vec()),
            ("Note".to_string(), TYPE_STRING, b"hi\0".to_vec()),
        ]
    );
    let (mut nl, mut ty, mut size) = (5u32, 5u32, 5u32);
    assert_eq!(wm_stream_config_get_property_by_index(sc, 3, null_mut(), &mut nl, &mut ty, null_mut(), &mut size), E_INVALIDARG);
    assert_eq!((nl, ty, size), (0, 0, 0));
    assert_eq!(wm_stream_config_get_property_by_index(sc, 0, null_mut(), null_mut(), &mut ty, null_mut(), &mut size), E_INVALIDARG);

    // Copy into a fresh config, clear the copy; the original keeps its properties.
    let other = handle(wmv2_stream());
    assert_eq!(wm_stream_config_copy_properties_from(other, sc), S_OK);
    assert_eq!(wm_stream_config_get_property_count(other, &mut n), S_OK);
    assert_eq!(n, 3);
    assert_eq!((*other).snapshot().vbr, (*sc).snapshot().vbr);
    assert_eq!(wm_stream_config_clear(other), S_OK);
    assert_eq!(wm_stream_config_get_property_count(other, &mut n), S_OK);
    assert_eq!(n, 0);
    assert_eq!((*other).snapshot().vbr, Default::default());
    assert_eq!(wm_stream_config_copy_properties_from(other, null_mut()), E_INVALIDARG);
    assert_eq!(wm_stream_config_copy_properties_from(null_mut(), sc), E_POINTER);
    assert_eq!(wm_stream_config_clear(null_mut()), E_POINTER);
    wm_stream_config_release(other);

    let d = (*sc).snapshot();
    assert_eq!(wm_stream_config_release(sc), 0);
    d
}

fn encode(path: &Path, s: StreamConfigData, frames: &[u8]) {
    let mut p = ProfileData::new(0x0009_0000);
    p.add_stream(s).unwrap();
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    let len = W * H * 3 / 2;
    for (i, f) in frames.chunks(len).enumerate() {
        let b = w.allocate_sample(len as u32).unwrap();
        b.copy_from(f).unwrap();
        w.write_sample(0, i as u64 * SEC / 25, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
}

#[test]
fn vbr_quality_set_through_the_vault_drives_the_encoder() {
    // SAFETY: every handle is created here and used per the C contract.
    let (hi, lo) = unsafe { (configure(100), configure(5)) };
    assert_eq!((hi.vbr.enabled, hi.vbr.quality), (Some(true), Some(100)));

    // A saved PRX carries them.
    let mut p = ProfileData::new(0x0009_0000);
    p.add_stream(hi.clone()).unwrap();
    let prx = wmwriter::profile::prx::save(&p);
    assert!(prx.contains("vbrenabled=\"1\"") && prx.contains("vbrquality=\"100\""), "{prx}");

    if let Some(e) = lavc::load_error() {
        assert!(!tools_required(), "libavcodec is required (WMWRITER_REQUIRE_TOOLS=1): {e}");
        println!("skipped: {e}");
        return;
    }
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("vault");
    let frames = yuv_frames(&dir, W, H, 25, FRAMES, "yuv420p", false);
    let (fh, fl) = (dir.path("q100.wmv"), dir.path("q5.wmv"));
    encode(&fh, hi, &frames);
    encode(&fl, lo, &frames);
    let (sh, sl) = (std::fs::metadata(&fh).unwrap().len(), std::fs::metadata(&fl).unwrap().len());
    println!("quality 100: {sh} bytes, quality 5: {sl} bytes");
    assert!(sh > 3 * sl, "quality 100 gives {sh} bytes, quality 5 {sl}: the vault's VBR quality did not reach the encoder");
    let (ph, pl) = (psnr_y(&frames, &decode_yuv(&fh)), psnr_y(&frames, &decode_yuv(&fl)));
    println!("PSNR quality 100: {ph:.1} dB, quality 5: {pl:.1} dB");
    assert!(ph > pl + 3.0, "PSNR {ph:.1} vs {pl:.1}");
    for f in [&fh, &fl] {
        ffmpeg_clean(&["-i", f.to_str().unwrap(), "-f", "null", "-"]);
        let j = ffprobe_json(f, &["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"]);
        assert_eq!(j.get("streams").arr()[0].get("nb_read_frames").str(), Some(FRAMES.to_string().as_str()));
    }
}
