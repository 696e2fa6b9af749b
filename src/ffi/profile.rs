//! `WMProfile` (`IWMProfile`, `IWMPacketSize`). Getters hand out new stream-config
//! objects (copies); edits to them reach the profile only through `add_stream` /
//! `reconfig_stream`.

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, input, into_handle, out, release};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::bail;
use crate::error::ErrorKind::InvalidArg;
use crate::profile::{lock, Profile, StreamConfig};

unsafe fn profile<'a>(p: *mut Profile) -> crate::error::Result<&'a Profile> {
    // SAFETY: NULL or a live handle per the C contract.
    unsafe { borrow(p, "profile") }
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_add_ref(p: *mut Profile) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(p) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_release(p: *mut Profile) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(p) })
}

/// The profile's `WMT_VER_*` version (`IWMProfile::GetVersion`).
///
/// On failure `*version` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (version NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_version(p: *mut Profile, version: *mut u32) -> HRESULT {
    call("wm_profile_get_version", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(version, "version", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).version;
        Ok(())
    })
}

/// The profile name, UTF-8, with the size-query protocol (`IWMProfile::GetName`):
/// `name` NULL → `*length` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (length NULL), `ASF_E_BUFFERTOOSMALL`
/// (`*length` set to the bytes needed).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_name(p: *mut Profile, name: *mut c_char, length: *mut u32) -> HRESULT {
    call("wm_profile_get_name", || {
        // SAFETY: see `profile`.
        let s = lock(&unsafe { profile(p)? }.data).name.clone();
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, name, length, "profile name") }
    })
}

/// Set the profile name (UTF-8, at most 256 characters) (`IWMProfile::SetName`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (NULL, not UTF-8, too long).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_name(p: *mut Profile, name: *const c_char) -> HRESULT {
    call("wm_profile_set_name", || {
        // SAFETY: NULL or a NUL-terminated string.
        let s = unsafe { read_str(name, "the name")? };
        if s.chars().count() > 256 {
            bail!(InvalidArg, "the name has {} characters; at most 256 are allowed", s.chars().count());
        }
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).name = s.to_string();
        Ok(())
    })
}

/// The profile description (`IWMProfile::GetDescription`); same protocol as `wm_profile_get_name`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_description(p: *mut Profile, description: *mut c_char, length: *mut u32) -> HRESULT {
    call("wm_profile_get_description", || {
        // SAFETY: see `profile`.
        let s = lock(&unsafe { profile(p)? }.data).description.clone();
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, description, length, "profile description") }
    })
}

/// Set the description (UTF-8, at most 1024 characters) (`IWMProfile::SetDescription`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_description(p: *mut Profile, description: *const c_char) -> HRESULT {
    call("wm_profile_set_description", || {
        // SAFETY: NULL or a NUL-terminated string.
        let s = unsafe { read_str(description, "the description")? };
        if s.chars().count() > 1024 {
            bail!(InvalidArg, "the description has {} characters; at most 1024 are allowed", s.chars().count());
        }
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).description = s.to_string();
        Ok(())
    })
}

/// The number of streams (`IWMProfile::GetStreamCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (count NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_stream_count(p: *mut Profile, count_out: *mut u32) -> HRESULT {
    call("wm_profile_get_stream_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).streams.len() as u32;
        Ok(())
    })
}

/// A copy of the stream at `index` (`IWMProfile::GetStream`): a new object each call.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (out NULL or index out of range).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_stream(p: *mut Profile, index: u32, out_config: *mut *mut StreamConfig) -> HRESULT {
    call("wm_profile_get_stream", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_config, "stream config", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        let s = lock(&unsafe { profile(p)? }.data).stream(index)?.clone();
        *o = into_handle(Arc::new(StreamConfig::new(s)));
        Ok(())
    })
}

/// A copy of the stream numbered `number` (`IWMProfile::GetStreamByNumber`).
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL), `NS_E_NO_STREAM`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_stream_by_number(p: *mut Profile, number: u16, out_config: *mut *mut StreamConfig) -> HRESULT {
    call("wm_profile_get_stream_by_number", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_config, "stream config", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        let s = lock(&unsafe { profile(p)? }.data).stream_by_number(number)?.clone();
        *o = into_handle(Arc::new(StreamConfig::new(s)));
        Ok(())
    })
}

/// Remove the stream that `config` describes (by its number) (`IWMProfile::RemoveStream`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (config NULL), `NS_E_NO_STREAM`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_remove_stream(p: *mut Profile, config: *mut StreamConfig) -> HRESULT {
    call("wm_profile_remove_stream", || {
        // SAFETY: NULL or a live handle.
        let n = lock(&unsafe { input(config, "the stream config", InvalidArg)? }.data).number;
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).remove_stream_by_number(n)
    })
}

/// Remove the stream numbered `number` (`IWMProfile::RemoveStreamByNumber`).
///
/// Returns `S_OK`, `E_POINTER`, `NS_E_NO_STREAM`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_remove_stream_by_number(p: *mut Profile, number: u16) -> HRESULT {
    // SAFETY: see `profile`.
    call("wm_profile_remove_stream_by_number", || lock(&unsafe { profile(p)? }.data).remove_stream_by_number(number))
}

/// Copy a new stream into the profile (`IWMProfile::AddStream`); later edits to
/// `config` do not affect the profile.
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (config NULL),
/// `NS_E_INVALID_STREAM` (number in use or out of 1..63, no media type, 63 streams already).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_add_stream(p: *mut Profile, config: *mut StreamConfig) -> HRESULT {
    call("wm_profile_add_stream", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { input(config, "the stream config", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).add_stream(s)
    })
}

/// Commit edits of a stream already in the profile, matched by number (`IWMProfile::ReconfigStream`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (config NULL), `NS_E_INVALID_STREAM` (no such stream).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_reconfig_stream(p: *mut Profile, config: *mut StreamConfig) -> HRESULT {
    call("wm_profile_reconfig_stream", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { input(config, "the stream config", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).reconfig_stream(s)
    })
}

/// A new stream config of `stream_type` (`WMMEDIATYPE_*`) with an unused stream number
/// (`IWMProfile::CreateNewStream`). It is not in the profile until `wm_profile_add_stream`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (NULL type or out,
/// unknown type, all numbers used).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_create_new_stream(
    p: *mut Profile,
    stream_type: *const WMGuid,
    out_config: *mut *mut StreamConfig,
) -> HRESULT {
    call("wm_profile_create_new_stream", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_config, "stream config", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or readable.
        let t = unsafe { input(stream_type, "the stream type", InvalidArg)? }.guid();
        // SAFETY: see `profile`.
        let s = lock(&unsafe { profile(p)? }.data).new_stream(t)?;
        *o = into_handle(Arc::new(StreamConfig::new(s)));
        Ok(())
    })
}

/// The maximum data packet size in bytes, 0 = the writer chooses (`IWMPacketSize::GetMaxPacketSize`).
///
/// On failure `*size` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (size NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_max_packet_size(p: *mut Profile, size: *mut u32) -> HRESULT {
    call("wm_profile_get_max_packet_size", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(size, "size", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).max_packet_size;
        Ok(())
    })
}

/// Set the data packet size in bytes: 100..=65527, or 0 to let the writer choose
/// (`IWMPacketSize::SetMaxPacketSize`). Every packet of the file has this size.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out of range).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_max_packet_size(p: *mut Profile, size: u32) -> HRESULT {
    call("wm_profile_set_max_packet_size", || {
        use crate::asf::packet::{MAX_PACKET_SIZE, MIN_PACKET_SIZE};
        if size != 0 && !(MIN_PACKET_SIZE..=MAX_PACKET_SIZE).contains(&size) {
            bail!(InvalidArg, "packet size {size} is outside {MIN_PACKET_SIZE}..={MAX_PACKET_SIZE} (0 = writer chooses)");
        }
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).max_packet_size = size;
        Ok(())
    })
}
