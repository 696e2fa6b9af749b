//! Codec and media-type blocks given to `wm_stream_config_set_media_type`: a major type
//! and subtype from the SDK's lists (or random), a format type, and a format block of
//! random bytes and length (with plausible WAVEFORMATEX / WMVIDEOINFOHEADER prefixes
//! mixed in). The stream then goes through add_stream, set_profile, the input formats,
//! begin_writing and one sample into a memory sink. Every call returns S_OK or a code
//! its page documents; nothing panics; references balance.
#![no_main]

use std::ffi::c_void;
use std::ptr::null_mut;

use libfuzzer_sys::fuzz_target;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::input_media_props::*;
use wmwriter::ffi::guids::WMGuid;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::sink::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;

unsafe extern "C" fn discard(_: *mut c_void, _: *const u8, _: u32) -> HRESULT {
    S_OK
}

fn allowed(hr: HRESULT, codes: &[HRESULT]) -> bool {
    hr == S_OK || codes.contains(&hr)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let majors = [WMMEDIATYPE_Audio, WMMEDIATYPE_Video, WMMEDIATYPE_Script, WMMEDIATYPE_Image, WMMEDIATYPE_FileTransfer, WMMEDIATYPE_Text];
    let subtypes = [WMMEDIASUBTYPE_PCM, WMMEDIASUBTYPE_RGB24, WMMEDIASUBTYPE_I420, WMMEDIASUBTYPE_YUY2, WMMEDIASUBTYPE_WMAudioV8, WMMEDIASUBTYPE_WMV2, WMMEDIASUBTYPE_MP3, WMMEDIASUBTYPE_RGB32];
    let formats = [WMFORMAT_WaveFormatEx, WMFORMAT_VideoInfo, WMFORMAT_Script, WMFORMAT_MPEG2Video, WMFORMAT_WebStream];
    let major = majors[data[0] as usize % majors.len()];
    let mut subtype: WMGuid = subtypes[data[1] as usize % subtypes.len()];
    if data[1] >= 0xF0 {
        subtype.Data1 ^= u32::from(data[2]) << 8; // a subtype nobody knows
    }
    let formattype = formats[data[2] as usize % formats.len()];
    let mut block = data[4..].to_vec();
    match data[3] % 4 {
        0 if block.len() >= 18 => {
            // a WAVEFORMATEX whose cbSize may lie
            block[16] = data[3];
            block[17] = 0;
        }
        1 if block.len() >= 88 => {
            // a WMVIDEOINFOHEADER with a small positive size
            block[48..52].copy_from_slice(&40u32.to_le_bytes());
            block[52..56].copy_from_slice(&(i32::from(data[3] % 64) + 1).to_le_bytes());
            block[56..60].copy_from_slice(&(i32::from(data[2] % 64) - 8).to_le_bytes());
        }
        _ => {}
    }
    unsafe {
        let (mut pm, mut p, mut sc, mut w, mut sink) = (null_mut(), null_mut(), null_mut(), null_mut(), null_mut());
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        assert_eq!(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &mut p), S_OK);
        assert_eq!(wm_profile_create_new_stream(p, &major, &mut sc), S_OK);
        let mt = WM_MEDIA_TYPE { majortype: major, subtype, bFixedSizeSamples: (data[3] & 1) as i32, bTemporalCompression: (data[3] >> 1 & 1) as i32, lSampleSize: u32::from(data[3]), formattype, pUnk: null_mut(), cbFormat: block.len() as u32, pbFormat: block.as_mut_ptr() };
        let hr = wm_stream_config_set_media_type(sc, &mt);
        assert!(allowed(hr, &[E_INVALIDARG]), "set_media_type: 0x{:08X}", hr as u32);
        wm_stream_config_set_bitrate(sc, 128_000);
        let hr = wm_profile_add_stream(p, sc);
        assert!(allowed(hr, &[NS_E_INVALID_STREAM, E_INVALIDARG]), "add_stream: 0x{:08X}", hr as u32);
        assert_eq!(wm_create_writer(&mut w), S_OK);
        let hr = wm_writer_set_profile(w, p);
        assert!(allowed(hr, &[NS_E_INVALID_STREAM, NS_E_INVALIDPROFILE, E_INVALIDARG, ASF_E_STREAMNUMBERINUSE]), "set_profile: 0x{:08X}", hr as u32);
        if hr == S_OK {
            let mut n = 0u32;
            if wm_writer_get_input_count(w, &mut n) == S_OK && n > 0 {
                let mut count = 0u32;
                assert_eq!(wm_writer_get_input_format_count(w, 0, &mut count), S_OK);
                for i in 0..count.min(8) {
                    let mut ip = null_mut();
                    assert_eq!(wm_writer_get_input_format(w, 0, i, &mut ip), S_OK);
                    let mut size = 0u32;
                    assert_eq!(wm_input_media_props_get_media_type(ip, null_mut(), &mut size), S_OK);
                    assert_eq!(wm_input_media_props_release(ip), 0);
                }
            }
            let cb = WMWriterSinkCallbacks { context: null_mut(), on_header: Some(discard), on_data_unit: Some(discard), on_end_writing: Some(discard), can_seek: (data[3] & 4) as i32, destroy: None };
            assert_eq!(wm_create_writer_callback_sink(&cb, &mut sink), S_OK);
            assert_eq!(wm_writer_add_sink(w, sink), S_OK);
            let hr = wm_writer_begin_writing(w);
            assert!(
                allowed(hr, &[NS_E_AUDIO_CODEC_NOT_INSTALLED, NS_E_VIDEO_CODEC_NOT_INSTALLED, NS_E_INVALID_OUTPUT_FORMAT, NS_E_INVALID_INPUT_FORMAT, NS_E_MAX_PACKET_SIZE_TOO_SMALL, NS_E_INVALIDPROFILE, NS_E_INVALID_STREAM]),
                "begin_writing: 0x{:08X}",
                hr as u32
            );
            if hr == S_OK {
                let mut b = null_mut();
                assert_eq!(wm_writer_allocate_sample(w, 256, &mut b), S_OK);
                assert_eq!(wm_buffer_set_length(b, 256), S_OK);
                let hr = wm_writer_write_sample(w, 0, 0, 0, b);
                assert!(allowed(hr, &[NS_E_INVALID_DATA, E_INVALIDARG]), "write_sample: 0x{:08X}", hr as u32);
                wm_buffer_release(b);
                assert_eq!(wm_writer_end_writing(w), S_OK);
            }
        }
        assert_eq!(wm_writer_release(w), 0);
        if !sink.is_null() {
            assert_eq!(wm_writer_sink_release(sink), 0);
        }
        assert_eq!(wm_stream_config_release(sc), 0);
        assert_eq!(wm_profile_release(p), 0);
        wm_profile_manager_release(pm);
    }
});
