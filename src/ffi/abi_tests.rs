//! Whole C-API sequences called from Rust, so that the FFI layer's raw-pointer code runs
//! under Miri (`cargo +nightly miri test --lib ffi::abi_tests`): handles made and
//! released, out-params, the size-query protocol, NULL arguments, and a writing session
//! into a callback sink (no file, no dlopen: both are outside what Miri can run).

use std::ffi::{c_char, c_void, CStr};
use std::ptr::null_mut;

use super::buffer::*;
use super::hresult::*;
use super::profile::*;
use super::profile_manager::*;
use super::sink::*;
use super::writer::*;

const PRX: &CStr = c"<profile version=\"589824\" storageformat=\"1\" name=\"pcm\" description=\"\"><streamconfig majortype=\"{73647561-0000-0010-8000-00AA00389B71}\" streamnumber=\"1\" streamname=\"Audio\" inputname=\"Audio\" bitrate=\"1411200\" bufferwindow=\"0\" reliabletransport=\"0\" decodercomplexity=\"\" rfc1766langid=\"en-us\"><wmmediatype subtype=\"{00000001-0000-0010-8000-00AA00389B71}\" bfixedsizesamples=\"1\" btemporalcompression=\"0\" lsamplesize=\"4\"><waveformatex wFormatTag=\"1\" nChannels=\"2\" nSamplesPerSec=\"44100\" nAvgBytesPerSec=\"176400\" nBlockAlign=\"4\" wBitsPerSample=\"16\"/></wmmediatype></streamconfig></profile>";

#[derive(Default)]
struct Seen {
    header: usize,
    units: usize,
    unit_bytes: usize,
    end: usize,
}

unsafe extern "C" fn on_header(ctx: *mut c_void, _data: *const u8, len: u32) -> HRESULT {
    // SAFETY: ctx is the test's `Seen`, alive for the whole session.
    unsafe { (*(ctx as *mut Seen)).header += len as usize };
    S_OK
}
unsafe extern "C" fn on_unit(ctx: *mut c_void, data: *const u8, len: u32) -> HRESULT {
    // SAFETY: as above; data is readable for len bytes during the call.
    let s = unsafe { &mut *(ctx as *mut Seen) };
    let bytes = unsafe { std::slice::from_raw_parts(data, len as usize) };
    s.units += 1;
    s.unit_bytes += bytes.len();
    S_OK
}
unsafe extern "C" fn on_end(ctx: *mut c_void, _data: *const u8, _len: u32) -> HRESULT {
    // SAFETY: as above.
    unsafe { (*(ctx as *mut Seen)).end += 1 };
    S_OK
}

fn last_error() -> String {
    // SAFETY: the library keeps the message alive until the next failing call on this thread.
    unsafe { CStr::from_ptr(wm_get_last_error_message()) }.to_string_lossy().into_owned()
}

#[test]
fn buffers_refcounts_and_null_arguments() {
    let mut b = null_mut();
    // SAFETY (whole test): every pointer is NULL, a live handle, or valid local memory.
    unsafe {
        assert_eq!(wm_create_buffer(64, &mut b), S_OK);
        assert_eq!(wm_buffer_add_ref(b), 2);
        let mut data = null_mut();
        assert_eq!(wm_buffer_get_buffer(b, &mut data), S_OK);
        std::ptr::write_bytes(data, 0xAB, 64);
        assert_eq!(wm_buffer_set_length(b, 10), S_OK);
        let mut len = 0;
        assert_eq!(wm_buffer_get_length(b, &mut len), S_OK);
        assert_eq!(len, 10);
        assert_eq!(wm_buffer_set_length(b, 65), E_INVALIDARG);
        assert!(!last_error().is_empty());
        assert_eq!(wm_buffer_get_length(b, null_mut()), E_POINTER);
        assert_eq!(wm_buffer_get_length(null_mut(), &mut len), E_POINTER);
        assert_eq!(wm_buffer_release(b), 1);
        assert_eq!(wm_buffer_release(b), 0);
        assert_eq!(wm_buffer_release(null_mut()), 0);
        assert_eq!(wm_create_buffer(64, null_mut()), E_POINTER);
    }
}

#[test]
fn profile_names_use_the_size_query_protocol() {
    // SAFETY (whole test): as above.
    unsafe {
        let mut pm = null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let mut p = null_mut();
        assert_eq!(wm_profile_manager_load_profile_by_data(pm, PRX.as_ptr(), &mut p), S_OK, "{}", last_error());
        assert_eq!(wm_profile_set_name(p, c"Zoë".as_ptr()), S_OK);
        let mut len = 0u32;
        assert_eq!(wm_profile_get_name(p, null_mut(), &mut len), S_OK);
        assert_eq!(len, 5, "four UTF-8 bytes and the NUL");
        let mut small = [0 as c_char; 2];
        let mut two = 2u32;
        assert_ne!(wm_profile_get_name(p, small.as_mut_ptr(), &mut two), S_OK);
        let mut buf = vec![0 as c_char; len as usize];
        assert_eq!(wm_profile_get_name(p, buf.as_mut_ptr(), &mut len), S_OK);
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), "Zoë");
        let mut n = 0;
        assert_eq!(wm_profile_get_stream_count(p, &mut n), S_OK);
        assert_eq!(n, 1);
        let mut bad = null_mut();
        assert_ne!(wm_profile_manager_load_profile_by_data(pm, c"<profile".as_ptr(), &mut bad), S_OK);
        assert!(bad.is_null(), "a failed call leaves the out-param NULL");
        assert_eq!(wm_profile_release(p), 0);
        assert_eq!(wm_profile_manager_release(pm), 0);
    }
}

#[test]
fn a_session_into_a_callback_sink() {
    let mut seen = Seen::default();
    // SAFETY (whole test): as above; `seen` outlives the sink, released before it goes.
    unsafe {
        let (mut pm, mut p, mut w, mut sink) = (null_mut(), null_mut(), null_mut(), null_mut());
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        assert_eq!(wm_profile_manager_load_profile_by_data(pm, PRX.as_ptr(), &mut p), S_OK, "{}", last_error());
        assert_eq!(wm_create_writer(&mut w), S_OK);
        assert_eq!(wm_writer_set_profile(w, p), S_OK, "{}", last_error());
        let cb = WMWriterSinkCallbacks {
            context: &mut seen as *mut Seen as *mut c_void,
            on_header: Some(on_header),
            on_data_unit: Some(on_unit),
            on_end_writing: Some(on_end),
            can_seek: 1,
            destroy: None,
        };
        assert_eq!(wm_create_writer_callback_sink(&cb, &mut sink), S_OK);
        assert_eq!(wm_writer_add_sink(w, sink), S_OK, "{}", last_error());
        assert_eq!(wm_writer_begin_writing(w), S_OK, "{}", last_error());
        for i in 0..3u64 {
            let mut b = null_mut();
            assert_eq!(wm_writer_allocate_sample(w, 4410 * 4, &mut b), S_OK);
            let mut data = null_mut();
            assert_eq!(wm_buffer_get_buffer(b, &mut data), S_OK);
            std::ptr::write_bytes(data, i as u8, 4410 * 4);
            assert_eq!(wm_buffer_set_length(b, 4410 * 4), S_OK);
            assert_eq!(wm_writer_write_sample(w, 0, i * 1_000_000, 0, b), S_OK, "{}", last_error());
            assert_eq!(wm_buffer_release(b), 0);
        }
        assert_eq!(wm_writer_write_sample(w, 0, 0, 0, null_mut()), E_INVALIDARG);
        assert_eq!(wm_writer_end_writing(w), S_OK, "{}", last_error());
        wm_writer_sink_release(sink);
        assert_eq!(wm_writer_release(w), 0);
        wm_profile_release(p);
        wm_profile_manager_release(pm);
    }
    assert!(seen.header > 0 && seen.end == 1, "header {} bytes, {} ends", seen.header, seen.end);
    assert!(seen.unit_bytes >= 3 * 4410 * 4, "{} packets, {} bytes", seen.units, seen.unit_bytes);
}
