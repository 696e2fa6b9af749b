//! `WMStreamConfig` (`IWMStreamConfig` + `IWMMediaProps`). Setters act on this object
//! only; nothing reaches a profile until `wm_profile_add_stream` / `wm_profile_reconfig_stream`.

use std::ffi::c_char;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, clear, input, out, release};
use super::media_type::{self, WM_MEDIA_TYPE};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::{lock, DataUnitExtension, StreamConfig, StreamConfigData};
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

/// `WMT_Transport_Type_Unreliable` (`WMT_TRANSPORT_TYPE`).
#[allow(non_upper_case_globals)]
pub const WMT_Transport_Type_Unreliable: u32 = 0;
/// `WMT_Transport_Type_Reliable` (`WMT_TRANSPORT_TYPE`; PRX `reliabletransport="1"`).
#[allow(non_upper_case_globals)]
pub const WMT_Transport_Type_Reliable: u32 = 1;

/// The transport type, `WMT_Transport_Type_Unreliable` (default) or `_Reliable`
/// (`IWMStreamConfig2::GetTransportType`).
///
/// On failure `*transport` is 0. Returns `S_OK`, `E_POINTER` (config NULL),
/// `E_INVALIDARG` (transport NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_transport_type(config: *mut StreamConfig, transport: *mut u32) -> HRESULT {
    call("wm_stream_config_get_transport_type", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(transport, "transport type", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.reliable as u32))? };
        Ok(())
    })
}

/// Set the transport type (`IWMStreamConfig2::SetTransportType`); it takes effect in a
/// profile at add_stream / reconfig_stream.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (not 0 or 1). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_transport_type(config: *mut StreamConfig, transport: u32) -> HRESULT {
    call("wm_stream_config_set_transport_type", || {
        if transport > WMT_Transport_Type_Reliable {
            bail!(InvalidArg, "transport type {transport} is not a WMT_TRANSPORT_TYPE (0 = unreliable, 1 = reliable)");
        }
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.reliable = transport == WMT_Transport_Type_Reliable;
                Ok(())
            })
        }
    })
}

/// Declare a per-sample data unit extension (`IWMStreamConfig2::AddDataUnitExtension`):
/// samples of this stream may then carry a property `system_id` of `data_size` bytes
/// (`0xFFFF` = variable size). Declaring the same `system_id` again replaces the earlier
/// declaration. `info` (`info_len` bytes, may be NULL when 0) is the extension
/// system's info, copied.
///
/// Ownership: `info` transfer none. Returns `S_OK`, `E_POINTER` (config NULL),
/// `E_INVALIDARG` (system_id NULL; info NULL with `info_len` > 0), `E_OUTOFMEMORY`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_add_data_unit_extension(
    config: *mut StreamConfig,
    system_id: *const WMGuid,
    data_size: u16,
    info: *const u8,
    info_len: u32,
) -> HRESULT {
    call("wm_stream_config_add_data_unit_extension", || {
        // SAFETY: NULL or readable.
        let id = unsafe { input(system_id, "the extension system ID", InvalidArg)? }.guid();
        if info.is_null() && info_len > 0 {
            bail!(InvalidArg, "the info pointer is NULL while its length is {info_len}");
        }
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(info_len as usize).map_err(|_| err!(OutOfMemory, "cannot copy {info_len} bytes of extension info"))?;
        if info_len > 0 {
            // SAFETY: `info` is non-NULL and holds `info_len` bytes per the caller.
            bytes.extend_from_slice(unsafe { std::slice::from_raw_parts(info, info_len as usize) });
        }
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.add_data_unit_extension(DataUnitExtension { system_id: id, data_size, info: bytes });
                Ok(())
            })
        }
    })
}

/// The number of declared data unit extensions (`IWMStreamConfig2::GetDataUnitExtensionCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_data_unit_extension_count(config: *mut StreamConfig, count_out: *mut u16) -> HRESULT {
    call("wm_stream_config_get_data_unit_extension_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.data_unit_extensions.len() as u16))? };
        Ok(())
    })
}

/// Data unit extension `index` (`IWMStreamConfig2::GetDataUnitExtension`): its system
/// ID, per-sample size and info bytes, the info with the size-query protocol (`info`
/// NULL → `*info_len` = bytes needed; too small → `ASF_E_BUFFERTOOSMALL` with
/// `*info_len` set).
///
/// On failure `*system_id` and `*data_size` are zero. Returns `S_OK`, `E_POINTER`
/// (config NULL), `E_INVALIDARG` (system_id, data_size or info_len NULL; no such
/// extension), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_data_unit_extension(
    config: *mut StreamConfig,
    index: u16,
    system_id: *mut WMGuid,
    data_size: *mut u16,
    info: *mut u8,
    info_len: *mut u32,
) -> HRESULT {
    call("wm_stream_config_get_data_unit_extension", || {
        // SAFETY: NULL or writable.
        unsafe {
            clear(system_id, WMGuid::default());
            clear(data_size, 0);
        }
        // SAFETY: NULL or writable.
        let id_out = unsafe { out(system_id, "system ID", InvalidArg)? };
        // SAFETY: NULL or writable.
        let size_out = unsafe { out(data_size, "data size", InvalidArg)? };
        // SAFETY: NULL or writable.
        let len_out = unsafe { out(info_len, "info length", InvalidArg)? };
        // SAFETY: see `with`.
        let ext = unsafe { with(config, |d| Ok(d.data_unit_extension(index)?.clone()))? };
        let have = *len_out as usize;
        *len_out = ext.info.len() as u32;
        if !info.is_null() {
            if have < ext.info.len() {
                return Err(crate::error::Error::new(
                    crate::error::ErrorKind::BufferTooSmall,
                    format!("the info buffer holds {have} bytes; {} are needed (length written back)", ext.info.len()),
                ));
            }
            // SAFETY: `info` is writable for `have` ≥ len bytes.
            unsafe { std::ptr::copy_nonoverlapping(ext.info.as_ptr(), info, ext.info.len()) };
        }
        *id_out = WMGuid::of(ext.system_id);
        *size_out = ext.data_size;
        Ok(())
    })
}

/// Remove every declared data unit extension (`IWMStreamConfig2::RemoveAllDataUnitExtensions`).
///
/// Returns `S_OK`, `E_POINTER` (config NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_remove_all_data_unit_extensions(config: *mut StreamConfig) -> HRESULT {
    call("wm_stream_config_remove_all_data_unit_extensions", || {
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.data_unit_extensions.clear();
                Ok(())
            })
        }
    })
}

/// The stream's RFC 1766 language tag ("" = none), UTF-8, size-query protocol
/// (`IWMStreamConfig3::GetLanguage`): `language` NULL → `*length` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (length NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*length` set). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_language(config: *mut StreamConfig, language: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_stream_config_get_language", || {
        // SAFETY: see `with`.
        let s = unsafe { with(config, |d| Ok(d.language.clone()))? };
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, language, length, "language") }
    })
}

/// Set the RFC 1766 language tag, e.g. "en-us" ("" = none; at most 256 characters)
/// (`IWMStreamConfig3::SetLanguage`). The writer lists it in the file's language list.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (NULL, not UTF-8, too
/// long). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_language(config: *mut StreamConfig, language: *const c_char) -> HRESULT {
    call("wm_stream_config_set_language", || {
        // SAFETY: NULL or NUL-terminated.
        let s = checked_name(unsafe { read_str(language, "the language")? }, "language")?;
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.language = s;
                Ok(())
            })
        }
    })
}

/// The maximum time between key frames, 100-ns units (`IWMVideoMediaProps::GetMaxKeyFrameSpacing`).
///
/// On failure `*spacing` is 0. Returns `S_OK`, `E_POINTER` (config NULL),
/// `E_INVALIDARG` (spacing NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_max_key_frame_spacing(config: *mut StreamConfig, spacing: *mut i64) -> HRESULT {
    call("wm_stream_config_get_max_key_frame_spacing", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(spacing, "spacing", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.max_key_frame_spacing))? };
        Ok(())
    })
}

/// Set the maximum time between key frames, 100-ns units, 0 = codec decides
/// (`IWMVideoMediaProps::SetMaxKeyFrameSpacing`). Kept for video encoders (this
/// library has none) and saved in PRX.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (negative). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_max_key_frame_spacing(config: *mut StreamConfig, spacing: i64) -> HRESULT {
    call("wm_stream_config_set_max_key_frame_spacing", || {
        if spacing < 0 {
            bail!(InvalidArg, "key frame spacing {spacing} is negative");
        }
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.max_key_frame_spacing = spacing;
                Ok(())
            })
        }
    })
}

/// The video quality setting, 0..100 (`IWMVideoMediaProps::GetQuality`).
///
/// On failure `*quality` is 0. Returns `S_OK`, `E_POINTER` (config NULL),
/// `E_INVALIDARG` (quality NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_quality(config: *mut StreamConfig, quality: *mut u32) -> HRESULT {
    call("wm_stream_config_get_quality", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(quality, "quality", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.quality))? };
        Ok(())
    })
}

/// Set the video quality, 0 (smoothest motion) ..100 (sharpest frames)
/// (`IWMVideoMediaProps::SetQuality`). Kept for video encoders and saved in PRX.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (over 100). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_quality(config: *mut StreamConfig, quality: u32) -> HRESULT {
    call("wm_stream_config_set_quality", || {
        if quality > 100 {
            bail!(InvalidArg, "quality {quality} is outside 0..100");
        }
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.quality = quality;
                Ok(())
            })
        }
    })
}
