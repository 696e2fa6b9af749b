//! `WMStreamConfig` (`IWMStreamConfig` + `IWMMediaProps`). Setters act on this object
//! only; nothing reaches a profile until `wm_profile_add_stream` / `wm_profile_reconfig_stream`.

use std::ffi::c_char;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, out, release};
use super::media_type::{self, WM_MEDIA_TYPE};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::{lock, StreamConfig, StreamConfigData};
use crate::{bail, err};

unsafe fn with<R>(c: *mut StreamConfig, f: impl FnOnce(&mut StreamConfigData) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let c = unsafe { borrow(c, "stream config")? };
    f(&mut lock(&c.data))
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_add_ref(config: *mut StreamConfig) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(config) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_release(config: *mut StreamConfig) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(config) })
}

/// The stream's major type (`IWMStreamConfig::GetStreamType`).
///
/// On failure `*type` is all zero. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (type NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_stream_type(config: *mut StreamConfig, stream_type: *mut WMGuid) -> HRESULT {
    call("wm_stream_config_get_stream_type", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(stream_type, "type", InvalidArg)? };
        *o = WMGuid::default();
        // SAFETY: see `with`.
        *o = WMGuid::of(unsafe { with(config, |d| Ok(d.stream_type))? });
        Ok(())
    })
}

/// The major type of the media type (`IWMMediaProps::GetType`); same as the stream type.
///
/// On failure `*type` is all zero. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_type(config: *mut StreamConfig, major_type: *mut WMGuid) -> HRESULT {
    // SAFETY: forwarded with the same contract.
    unsafe { wm_stream_config_get_stream_type(config, major_type) }
}

/// Get the stream number (1..63) (`IWMStreamConfig::GetStreamNumber`).
///
/// On failure the out value is 0. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_stream_number(config: *mut StreamConfig, value: *mut u16) -> HRESULT {
    call("wm_stream_config_get_stream_number", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(value, "value", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.number))? };
        Ok(())
    })
}

/// Set the stream number (1..63) (`IWMStreamConfig::SetStreamNumber`); it takes effect in a profile at add_stream / reconfig_stream.
///
/// Returns `S_OK`, `E_POINTER` (config NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_stream_number(config: *mut StreamConfig, value: u16) -> HRESULT {
    call("wm_stream_config_set_stream_number", || {
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.number = value;
                Ok(())
            })
        }
    })
}

/// Get the bit rate in bits per second (`IWMStreamConfig::GetBitrate`).
///
/// On failure the out value is 0. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_bitrate(config: *mut StreamConfig, value: *mut u32) -> HRESULT {
    call("wm_stream_config_get_bitrate", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(value, "value", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.bitrate))? };
        Ok(())
    })
}

/// Set the bit rate in bits per second (`IWMStreamConfig::SetBitrate`); it takes effect in a profile at add_stream / reconfig_stream.
///
/// Returns `S_OK`, `E_POINTER` (config NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_bitrate(config: *mut StreamConfig, value: u32) -> HRESULT {
    call("wm_stream_config_set_bitrate", || {
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.bitrate = value;
                Ok(())
            })
        }
    })
}

/// Get the buffer window in ms (0xFFFFFFFF = writer chooses) (`IWMStreamConfig::GetBufferWindow`).
///
/// On failure the out value is 0. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_buffer_window(config: *mut StreamConfig, value: *mut u32) -> HRESULT {
    call("wm_stream_config_get_buffer_window", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(value, "value", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.buffer_window))? };
        Ok(())
    })
}

/// Set the buffer window in ms (0xFFFFFFFF = writer chooses) (`IWMStreamConfig::SetBufferWindow`); it takes effect in a profile at add_stream / reconfig_stream.
///
/// Returns `S_OK`, `E_POINTER` (config NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_buffer_window(config: *mut StreamConfig, value: u32) -> HRESULT {
    call("wm_stream_config_set_buffer_window", || {
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.buffer_window = value;
                Ok(())
            })
        }
    })
}

fn checked_name(s: &str, what: &str) -> Result<String> {
    if s.chars().count() > 256 {
        bail!(InvalidArg, "the {what} has {} characters; at most 256 are allowed", s.chars().count());
    }
    Ok(s.to_string())
}

/// The stream name, UTF-8, with the size-query protocol (`IWMStreamConfig::GetStreamName`): `name`
/// NULL → `*length` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (length NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*length` set to the bytes needed).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_stream_name(config: *mut StreamConfig, name: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_stream_config_get_stream_name", || {
        // SAFETY: see `with`.
        let s = unsafe { with(config, |d| Ok(d.name.clone()))? };
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, name, length, "stream name") }
    })
}

/// Set the stream name (UTF-8, at most 256 characters) (`IWMStreamConfig::SetStreamName`).
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (NULL, not UTF-8, too long).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_stream_name(config: *mut StreamConfig, name: *const c_char) -> HRESULT {
    call("wm_stream_config_set_stream_name", || {
        // SAFETY: NULL or NUL-terminated.
        let s = unsafe { read_str(name, "the stream name")? };
        let s = checked_name(s, "stream name")?;
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.name = s;
                Ok(())
            })
        }
    })
}

/// The connection name, UTF-8, with the size-query protocol (`IWMStreamConfig::GetConnectionName`): `name`
/// NULL → `*length` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (length NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*length` set to the bytes needed).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_connection_name(config: *mut StreamConfig, name: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_stream_config_get_connection_name", || {
        // SAFETY: see `with`.
        let s = unsafe { with(config, |d| Ok(d.connection_name.clone()))? };
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, name, length, "connection name") }
    })
}

/// Set the connection name (UTF-8, at most 256 characters) (`IWMStreamConfig::SetConnectionName`).
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (NULL, not UTF-8, too long).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_connection_name(config: *mut StreamConfig, name: *const c_char) -> HRESULT {
    call("wm_stream_config_set_connection_name", || {
        // SAFETY: NULL or NUL-terminated.
        let s = unsafe { read_str(name, "the connection name")? };
        let s = checked_name(s, "connection name")?;
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.connection_name = s;
                Ok(())
            })
        }
    })
}

/// Set the stream's media type (`IWMMediaProps::SetMediaType`): a deep copy of the
/// struct and its format block. Validity is checked by `wm_writer_set_profile`.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (type NULL, `cbFormat` 0
/// or over 1 MiB, `pbFormat` NULL, major type differs from the stream type), `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_media_type(config: *mut StreamConfig, mt: *const WM_MEDIA_TYPE) -> HRESULT {
    call("wm_stream_config_set_media_type", || {
        // SAFETY: NULL or a valid WM_MEDIA_TYPE per the C contract.
        let m = unsafe { media_type::read(mt)? };
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                if m.major_type != d.stream_type {
                    return Err(err!(
                        InvalidArg,
                        "the media type's major type {{{}}} differs from the stream's type {{{}}}",
                        m.major_type,
                        d.stream_type
                    ));
                }
                d.media_type = Some(m);
                Ok(())
            })
        }
    })
}

/// The stream's media type with the size-query protocol (`IWMMediaProps::GetMediaType`):
/// `type` NULL → `*size` = `sizeof(WM_MEDIA_TYPE)` + `cbFormat`; otherwise the struct is
/// written with its format block right after it (`pbFormat` points there). The buffer
/// must be aligned for `WM_MEDIA_TYPE`.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (size NULL; no media type
/// set yet), `ASF_E_BUFFERTOOSMALL` (`*size` set to the bytes needed).
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_media_type(config: *mut StreamConfig, mt: *mut WM_MEDIA_TYPE, size: *mut u32) -> HRESULT {
    call("wm_stream_config_get_media_type", || {
        // SAFETY: see `with`.
        let m = unsafe { with(config, |d| d.media_type.clone().ok_or_else(|| err!(InvalidArg, "the stream has no media type yet")))? };
        // SAFETY: NULL or writable per the C contract.
        unsafe { media_type::write(&m, mt, size) }
    })
}
