//! The header/metadata path: random attributes (names, types, languages, values of any
//! size, WM/Picture structs), markers and script commands on a one-stream PCM writer,
//! then a short session into a memory sink. Every call returns a documented code or
//! S_OK; whatever was accepted must produce a header whose objects nest exactly (the
//! Header Object's size and child count agree with its children), and the file must end
//! with the header rewritten at the same length.
#![no_main]

use std::ffi::{c_void, CString};
use std::ptr::null_mut;
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::header_info::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::sink::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;

static FILE: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static HEADERS: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());

unsafe extern "C" fn on_header(_: *mut c_void, d: *const u8, n: u32) -> HRESULT {
    let h = std::slice::from_raw_parts(d, n as usize).to_vec();
    HEADERS.lock().unwrap().push(h.clone());
    let mut f = FILE.lock().unwrap();
    if f.is_empty() {
        f.extend_from_slice(&h);
    }
    S_OK
}
unsafe extern "C" fn on_data(_: *mut c_void, d: *const u8, n: u32) -> HRESULT {
    FILE.lock().unwrap().extend_from_slice(std::slice::from_raw_parts(d, n as usize));
    S_OK
}

const NAMES: &[&str] = &[
    "Title", "Author", "Copyright", "Description", "Rating", "WM/AlbumTitle", "WM/Genre", "WM/TrackNumber", "WM/Year",
    "WM/Picture", "WM/Lyrics", "Duration", "Bitrate", "Seekable", "Stridable", "Broadcast", "Is_Protected", "IsVBR",
    "WM/StreamTypeInfo", "WM/Codec", "FileSize", "WM/SharedUserRating", "x", "",
];

fn check_header(h: &[u8]) {
    assert!(h.len() >= 30 + 50, "header of {} bytes", h.len());
    let size = u64::from_le_bytes(h[16..24].try_into().unwrap()) as usize;
    let count = u32::from_le_bytes(h[24..28].try_into().unwrap());
    assert_eq!(size + 50, h.len(), "Header Object size {size} + Data Object prefix != {} bytes", h.len());
    let (mut at, mut n) = (30usize, 0u32);
    while at < size {
        assert!(at + 24 <= size, "a child object header crosses the Header Object's end");
        let s = u64::from_le_bytes(h[at + 16..at + 24].try_into().unwrap()) as usize;
        assert!(s >= 24 && at + s <= size, "child {n} has size {s} at {at} of {size}");
        at += s;
        n += 1;
    }
    assert_eq!(at, size);
    assert_eq!(n, count, "the Header Object says {count} children, it has {n}");
}

fuzz_target!(|data: &[u8]| {
    FILE.lock().unwrap().clear();
    HEADERS.lock().unwrap().clear();
    let mut it = data.iter().copied();
    let mut next = move || it.next();
    unsafe {
        let (mut pm, mut p, mut sc, mut w, mut sink) = (null_mut(), null_mut(), null_mut(), null_mut(), null_mut());
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        assert_eq!(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &mut p), S_OK);
        assert_eq!(wm_profile_create_new_stream(p, &WMMEDIATYPE_Audio, &mut sc), S_OK);
        let mut wfx = [1u8, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x40, 0x1F, 0, 0, 1, 0, 8, 0, 0, 0];
        let mt = WM_MEDIA_TYPE { majortype: WMMEDIATYPE_Audio, subtype: WMMEDIASUBTYPE_PCM, bFixedSizeSamples: 1, bTemporalCompression: 0, lSampleSize: 1, formattype: WMFORMAT_WaveFormatEx, pUnk: null_mut(), cbFormat: 18, pbFormat: wfx.as_mut_ptr() };
        assert_eq!(wm_stream_config_set_media_type(sc, &mt), S_OK);
        assert_eq!(wm_stream_config_set_bitrate(sc, 64000), S_OK);
        assert_eq!(wm_profile_add_stream(p, sc), S_OK);
        assert_eq!(wm_create_writer(&mut w), S_OK);
        assert_eq!(wm_writer_set_profile(w, p), S_OK);
        let cb = WMWriterSinkCallbacks { context: null_mut(), on_header: Some(on_header), on_data_unit: Some(on_data), on_end_writing: Some(on_data), can_seek: 1, destroy: None };
        assert_eq!(wm_create_writer_callback_sink(&cb, &mut sink), S_OK);
        assert_eq!(wm_writer_add_sink(w, sink), S_OK);
        let mut ops = 0;
        while let Some(op) = next() {
            ops += 1;
            if ops > 64 {
                break;
            }
            let a = next().unwrap_or(0);
            let len = next().unwrap_or(0) as usize * 4 + next().unwrap_or(0) as usize % 4;
            let mut value: Vec<u8> = (0..len).map(|_| next().unwrap_or(0)).collect();
            let name = CString::new(NAMES[a as usize % NAMES.len()]).unwrap();
            let stream = (a >> 6) as u16 % 3; // 0, 1 (exists), 2 (does not)
            let hr = match op % 6 {
                0 | 1 => {
                    let kind = (op / 6) as u32 % 8; // DWORD STRING BINARY BOOL QWORD WORD GUID, 7 = bad
                    if name.to_bytes() == b"WM/Picture" && value.len() >= 4 && kind == WMT_TYPE_BINARY {
                        let img = value.clone();
                        let pic = WM_PICTURE { pwszMIMEType: c"image/png".as_ptr(), bPictureType: value[0], pwszDescription: c"d".as_ptr(), dwDataLen: img.len() as u32, pbData: img.as_ptr() };
                        wm_writer_set_attribute(w, stream, name.as_ptr(), kind, (&pic as *const WM_PICTURE).cast(), std::mem::size_of::<WM_PICTURE>() as u16)
                    } else {
                        if name.to_bytes() == b"WM/Picture" && value.len() == std::mem::size_of::<WM_PICTURE>() {
                            value.push(0); // see op 2
                        }
                        if kind == WMT_TYPE_STRING {
                            value.retain(|b| *b != 0);
                            value.push(0);
                        }
                        let l = value.len().min(u16::MAX as usize) as u16;
                        wm_writer_set_attribute(w, stream, name.as_ptr(), kind, value.as_ptr(), l)
                    }
                }
                2 => {
                    // A WM/Picture value of sizeof(WM_PICTURE) bytes IS a WM_PICTURE (with
                    // pointers), by the API's contract: never hand it random bytes.
                    if name.to_bytes() == b"WM/Picture" && value.len() == std::mem::size_of::<WM_PICTURE>() {
                        value.push(0);
                    }
                    let mut idx = 0u16;
                    wm_writer_add_attribute(w, stream, name.as_ptr(), &mut idx, WMT_TYPE_BINARY, (a & 3) as u16, value.as_ptr(), value.len() as u32)
                }
                3 => {
                    value.retain(|b| *b != 0);
                    let m = CString::new(value).unwrap();
                    wm_writer_add_marker(w, m.as_ptr(), a as u64 * 1_000_000)
                }
                4 => {
                    value.retain(|b| *b != 0);
                    let c = CString::new(value).unwrap();
                    wm_writer_add_script(w, c"URL".as_ptr(), c.as_ptr(), a as u64 * 100_000)
                }
                _ => wm_writer_remove_marker(w, (a % 4) as u16),
            };
            const OK: &[HRESULT] = &[S_OK, E_INVALIDARG, E_POINTER, NS_E_ATTRIBUTE_READ_ONLY, NS_E_ATTRIBUTE_NOT_ALLOWED, NS_E_INVALID_REQUEST, NS_E_SDK_BUFFERTOOSMALL, ASF_E_NOTFOUND, E_OUTOFMEMORY];
            assert!(OK.contains(&hr), "op {} returned 0x{:08X}: {}", op % 6, hr as u32, std::ffi::CStr::from_ptr(wm_get_last_error_message()).to_string_lossy());
        }
        if wm_writer_begin_writing(w) == S_OK {
            let mut b = null_mut();
            assert_eq!(wm_writer_allocate_sample(w, 800, &mut b), S_OK);
            assert_eq!(wm_buffer_set_length(b, 800), S_OK);
            assert_eq!(wm_writer_write_sample(w, 0, 0, 0, b), S_OK);
            wm_buffer_release(b);
            assert_eq!(wm_writer_end_writing(w), S_OK);
            let hs = HEADERS.lock().unwrap();
            assert!(!hs.is_empty());
            for h in hs.iter() {
                check_header(h);
                assert_eq!(h.len(), hs[0].len(), "the final header has another length than the first");
            }
        }
        assert_eq!(wm_writer_release(w), 0);
        assert_eq!(wm_writer_sink_release(sink), 0);
        wm_stream_config_release(sc);
        wm_profile_release(p);
        wm_profile_manager_release(pm);
    }
});
