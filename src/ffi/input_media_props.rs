//! `WMInputMediaProps` (`IWMInputMediaProps`): a writer input's format and connection
//! name. The writer hands out copies; changes take effect through `wm_writer_set_input_props`.

use std::ffi::c_char;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, out, release};
use super::media_type::{self, WM_MEDIA_TYPE};
use super::strings::write_str;
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::{lock, InputMediaProps, InputPropsData};

unsafe fn with<R>(p: *mut InputMediaProps, f: impl FnOnce(&mut InputPropsData) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let p = unsafe { borrow(p, "input media props")? };
    f(&mut lock(&p.data))
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_add_ref(props: *mut InputMediaProps) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(props) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_release(props: *mut InputMediaProps) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(props) })
}

/// The major type (`IWMMediaProps::GetType`).
///
/// On failure `*type` is all zero. Returns `S_OK`, `E_POINTER` (props NULL), `E_INVALIDARG` (type NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_get_type(props: *mut InputMediaProps, major_type: *mut WMGuid) -> HRESULT {
    call("wm_input_media_props_get_type", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(major_type, "type", InvalidArg)? };
        *o = WMGuid::default();
        // SAFETY: see `with`.
        *o = WMGuid::of(unsafe { with(props, |d| Ok(d.media_type.major_type))? });
        Ok(())
    })
}

/// The media type with the size-query protocol (`IWMMediaProps::GetMediaType`); see
/// `wm_stream_config_get_media_type`.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (size NULL), `ASF_E_BUFFERTOOSMALL`.
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_get_media_type(
    props: *mut InputMediaProps,
    mt: *mut WM_MEDIA_TYPE,
    size: *mut u32,
) -> HRESULT {
    call("wm_input_media_props_get_media_type", || {
        // SAFETY: see `with`.
        let m = unsafe { with(props, |d| Ok(d.media_type.clone()))? };
        // SAFETY: NULL or writable per the C contract.
        unsafe { media_type::write(&m, mt, size) }
    })
}

/// Replace the media type (deep copy) (`IWMMediaProps::SetMediaType`); the writer
/// checks it at `wm_writer_set_input_props`.
///
/// Returns `S_OK`, `E_POINTER` (props NULL), `E_INVALIDARG` (type NULL, `cbFormat` 0 or
/// too large, `pbFormat` NULL), `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_set_media_type(props: *mut InputMediaProps, mt: *const WM_MEDIA_TYPE) -> HRESULT {
    call("wm_input_media_props_set_media_type", || {
        // SAFETY: NULL or a valid WM_MEDIA_TYPE.
        let m = unsafe { media_type::read(mt)? };
        // SAFETY: see `with`.
        unsafe {
            with(props, |d| {
                d.media_type = m;
                Ok(())
            })
        }
    })
}

/// The input's connection name, UTF-8, size-query protocol (`IWMInputMediaProps::GetConnectionName`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (length NULL), `ASF_E_BUFFERTOOSMALL`.
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_get_connection_name(
    props: *mut InputMediaProps,
    name: *mut c_char,
    length: *mut u16,
) -> HRESULT {
    call("wm_input_media_props_get_connection_name", || {
        // SAFETY: see `with`.
        let s = unsafe { with(props, |d| Ok(d.connection_name.clone()))? };
        // SAFETY: NULL or writable.
        unsafe { write_str(&s, name, length, "connection name") }
    })
}

/// The group name (`IWMInputMediaProps::GetGroupName`): always the empty string, as
/// the SDK documents.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (length NULL), `ASF_E_BUFFERTOOSMALL`.
#[no_mangle]
pub unsafe extern "C" fn wm_input_media_props_get_group_name(props: *mut InputMediaProps, name: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_input_media_props_get_group_name", || {
        // SAFETY: see `with`.
        unsafe { with(props, |_| Ok(()))? };
        // SAFETY: NULL or writable.
        unsafe { write_str("", name, length, "group name") }
    })
}
