//! Random sequences of C API calls against a model of the references this program owns:
//! every call must return without crashing, every reference the model holds is released
//! exactly once, and no call may hand back a reference the model then leaks. Files go
//! to a callback sink that keeps nothing, so the target never touches the disk.
#![no_main]

use std::ffi::c_void;
use std::ptr::null_mut;

use libfuzzer_sys::fuzz_target;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::sink::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;
use wmwriter::ffi::writer_advanced::*;
use wmwriter::ffi::header_info::*;

unsafe extern "C" fn discard(_: *mut c_void, _: *const u8, _: u32) -> HRESULT {
    S_OK
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied();
    let mut next = move || bytes.next();
    unsafe {
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut profile = null_mut();
        assert_eq!(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &mut profile), S_OK);
        let mut writer = null_mut();
        assert_eq!(wm_create_writer(&mut writer), S_OK);
        let cb = WMWriterSinkCallbacks { context: null_mut(), on_header: Some(discard), on_data_unit: Some(discard), on_end_writing: Some(discard), can_seek: 1, destroy: None };
        let mut sink = null_mut();
        assert_eq!(wm_create_writer_callback_sink(&cb, &mut sink), S_OK);
        let mut buffers: Vec<*mut wmwriter::buffer::SampleBuffer> = Vec::new();
        let mut time = 0u64;
        let mut ops = 0;
        while let Some(op) = next() {
            ops += 1;
            if ops > 400 {
                break;
            }
            let a = next().unwrap_or(0);
            let b = next().unwrap_or(0);
            match op % 16 {
                0 => {
                    // a PCM stream with a fuzzed layout
                    let mut sc = null_mut();
                    if wm_profile_create_new_stream(profile, &WMMEDIATYPE_Audio, &mut sc) == S_OK {
                        let ch = (a % 3 + 1) as u16;
                        let bits = [8u16, 16, 24][(b % 3) as usize];
                        let rate = [8000u32, 44100, 48000][(a % 3) as usize];
                        let align = ch * bits / 8;
                        let mut wfx = [0u8; 18];
                        wfx[0] = 1;
                        wfx[2..4].copy_from_slice(&ch.to_le_bytes());
                        wfx[4..8].copy_from_slice(&rate.to_le_bytes());
                        wfx[8..12].copy_from_slice(&(rate * align as u32).to_le_bytes());
                        wfx[12..14].copy_from_slice(&align.to_le_bytes());
                        wfx[14..16].copy_from_slice(&bits.to_le_bytes());
                        let mt = WM_MEDIA_TYPE { majortype: WMMEDIATYPE_Audio, subtype: WMMEDIASUBTYPE_PCM, bFixedSizeSamples: 1, bTemporalCompression: 0, lSampleSize: align as u32, formattype: WMFORMAT_WaveFormatEx, pUnk: null_mut(), cbFormat: 18, pbFormat: wfx.as_mut_ptr() };
                        wm_stream_config_set_media_type(sc, &mt);
                        wm_stream_config_set_bitrate(sc, if b & 0x80 != 0 { 0 } else { rate * align as u32 * 8 });
                        wm_stream_config_set_buffer_window(sc, a as u32 * 1000);
                        wm_profile_add_stream(profile, sc);
                        assert_eq!(wm_stream_config_release(sc), 0);
                    }
                }
                1 => {
                    wm_writer_set_profile(writer, profile);
                }
                2 => {
                    wm_writer_add_sink(writer, sink);
                }
                3 => {
                    wm_writer_begin_writing(writer);
                }
                4 | 5 | 6 => {
                    let mut buf = null_mut();
                    let size = (a as u32) * 32 + b as u32;
                    if wm_writer_allocate_sample(writer, size, &mut buf) == S_OK {
                        assert!(!buf.is_null());
                        wm_buffer_set_length(buf, size.min(b as u32 * 16));
                        buffers.push(buf);
                    } else {
                        assert!(buf.is_null());
                    }
                }
                7 | 8 => {
                    if let Some(&buf) = buffers.get(a as usize % buffers.len().max(1)) {
                        time += b as u64 * 10_000;
                        wm_writer_write_sample(writer, (a % 3) as u32, time, 0, buf);
                    }
                }
                9 => {
                    if !buffers.is_empty() {
                        let buf = buffers.swap_remove(a as usize % buffers.len());
                        wm_buffer_release(buf);
                    }
                }
                10 => {
                    wm_writer_end_writing(writer);
                }
                11 => {
                    let name = if a & 1 == 0 { c"Title".as_ptr() } else { c"Duration".as_ptr() };
                    let v = *b"value\0";
                    wm_writer_set_attribute(writer, (b % 3) as u16, name, WMT_TYPE_STRING, v.as_ptr(), v.len() as u16);
                }
                12 => {
                    wm_writer_add_marker(writer, c"m".as_ptr(), b as u64 * 100_000);
                }
                13 => {
                    let mut st = WM_WRITER_STATISTICS::default();
                    wm_writer_get_statistics(writer, (a % 3) as u16, &mut st);
                }
                14 => {
                    wm_writer_remove_sink(writer, sink);
                }
                _ => {
                    wm_profile_remove_stream_by_number(profile, (a % 4) as u16);
                    wm_writer_set_sync_tolerance(writer, b as u32 * 10);
                }
            }
        }
        for buf in buffers {
            wm_buffer_release(buf);
        }
        // The writer ends an open session when its last reference goes.
        assert_eq!(wm_writer_release(writer), 0);
        assert_eq!(wm_writer_sink_release(sink), 0);
        assert_eq!(wm_profile_release(profile), 0);
        assert_eq!(wm_profile_manager_release(pm), 0);
    }
});
