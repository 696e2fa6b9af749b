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
use crate::profile::{lock, BandwidthSharing, MutualExclusion, Profile, StreamConfig, StreamPrioritization};

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

/// The minimum data packet size in bytes, 0 = none (`IWMPacketSize2::GetMinPacketSize`).
///
/// On failure `*size` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (size NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_min_packet_size(p: *mut Profile, size: *mut u32) -> HRESULT {
    call("wm_profile_get_min_packet_size", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(size, "size", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).min_packet_size;
        Ok(())
    })
}

/// Set the minimum data packet size (`IWMPacketSize2::SetMinPacketSize`): when the
/// writer chooses the packet size (max packet size 0) its packets are at least this big
/// (at most 65527); an explicit maximum packet size still wins. As in the SDK, any value
/// is accepted.
///
/// Returns `S_OK`, `E_POINTER` (profile NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_min_packet_size(p: *mut Profile, size: u32) -> HRESULT {
    call("wm_profile_set_min_packet_size", || {
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).min_packet_size = size;
        Ok(())
    })
}

/// `WMT_Storage_Format_MP3` (`WMT_STORAGE_FORMAT`).
#[allow(non_upper_case_globals)]
pub const WMT_Storage_Format_MP3: u32 = 0;
/// `WMT_Storage_Format_V1`: ASF, the default (`WMT_STORAGE_FORMAT`).
#[allow(non_upper_case_globals)]
pub const WMT_Storage_Format_V1: u32 = 1;

fn new_handle<T>(v: T) -> *mut T {
    into_handle(Arc::new(v))
}

/// The number of mutual exclusions (`IWMProfile::GetMutualExclusionCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_mutual_exclusion_count(p: *mut Profile, count_out: *mut u32) -> HRESULT {
    call("wm_profile_get_mutual_exclusion_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).mutual_exclusions.len() as u32;
        Ok(())
    })
}

/// A copy of the mutual exclusion at `index` (`IWMProfile::GetMutualExclusion`): a new
/// object each call; edits to it stay local.
///
/// Ownership: `*out` transfer full (release with `wm_mutual_exclusion_release`). On
/// failure `*out` is NULL. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (out NULL, index out of range). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_mutual_exclusion(p: *mut Profile, index: u32, out_mutex: *mut *mut MutualExclusion) -> HRESULT {
    call("wm_profile_get_mutual_exclusion", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_mutex, "mutual exclusion", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        let m = lock(&unsafe { profile(p)? }.data).mutual_exclusion(index)?.clone();
        *o = new_handle(MutualExclusion::new(m));
        Ok(())
    })
}

/// Remove the profile's first mutual exclusion equal to `mutex` (same type, streams,
/// name and records), e.g. one got from `wm_profile_get_mutual_exclusion`
/// (`IWMProfile::RemoveMutualExclusion`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (mutex NULL or not in the
/// profile). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_remove_mutual_exclusion(p: *mut Profile, mutex: *mut MutualExclusion) -> HRESULT {
    call("wm_profile_remove_mutual_exclusion", || {
        // SAFETY: NULL or a live handle.
        let m = unsafe { input(mutex, "the mutual exclusion", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).remove_mutual_exclusion(&m)
    })
}

/// Copy a configured mutual exclusion into the profile (`IWMProfile::AddMutualExclusion`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (mutex NULL, type not
/// `CLSID_WMMUTEX_Bitrate`), `NS_E_INVALID_STREAM` (a stream number not in the profile).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_add_mutual_exclusion(p: *mut Profile, mutex: *mut MutualExclusion) -> HRESULT {
    call("wm_profile_add_mutual_exclusion", || {
        // SAFETY: NULL or a live handle.
        let m = unsafe { input(mutex, "the mutual exclusion", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).add_mutual_exclusion(m)
    })
}

/// A new, empty mutual exclusion (type all zero: call `wm_mutual_exclusion_set_type`)
/// (`IWMProfile::CreateNewMutualExclusion`); it is not in the profile until
/// `wm_profile_add_mutual_exclusion`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (profile NULL), `E_INVALIDARG` (out NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_create_new_mutual_exclusion(p: *mut Profile, out_mutex: *mut *mut MutualExclusion) -> HRESULT {
    call("wm_profile_create_new_mutual_exclusion", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_mutex, "mutual exclusion", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        unsafe { profile(p)? };
        *o = new_handle(MutualExclusion::default());
        Ok(())
    })
}

/// The profile's system-profile ID (`IWMProfile2::GetProfileID`): the GUID of a
/// profile loaded with `wm_profile_manager_load_profile_by_id` / `_load_system_profile`,
/// GUID_NULL for a custom profile (empty, or loaded from PRX data).
///
/// On failure `*id` is all zero. Returns `S_OK`, `E_POINTER` (profile NULL),
/// `E_INVALIDARG` (id NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_profile_id(p: *mut Profile, id: *mut WMGuid) -> HRESULT {
    call("wm_profile_get_profile_id", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(id, "id", InvalidArg)? };
        *o = WMGuid::default();
        // SAFETY: see `profile`.
        *o = WMGuid::of(lock(&unsafe { profile(p)? }.data).profile_id);
        Ok(())
    })
}

/// The storage format, `WMT_Storage_Format_V1` (ASF, the default) or `_MP3`
/// (`IWMProfile3::GetStorageFormat`; superseded by the `WM/ContainerFormat` attribute).
///
/// On failure `*format` is 0. Returns `S_OK`, `E_POINTER` (profile NULL),
/// `E_INVALIDARG` (format NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_storage_format(p: *mut Profile, format: *mut u32) -> HRESULT {
    call("wm_profile_get_storage_format", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(format, "format", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).storage_format;
        Ok(())
    })
}

/// Set the storage format (`IWMProfile3::SetStorageFormat`): `WMT_Storage_Format_V1`
/// (ASF) is the only one a writer writes. `WMT_Storage_Format_MP3` is refused: the SDK
/// supports MP3 storage for reading only, and this library does not accept a setting it
/// would then ignore. (A PRX that says MP3 loads, and `wm_writer_set_profile` refuses it
/// with `NS_E_INVALIDPROFILE`.)
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (MP3, or not a
/// WMT_STORAGE_FORMAT). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_storage_format(p: *mut Profile, format: u32) -> HRESULT {
    // SAFETY: see `profile`.
    call("wm_profile_set_storage_format", || lock(&unsafe { profile(p)? }.data).set_storage_format(format))
}

/// The number of bandwidth sharings (`IWMProfile3::GetBandwidthSharingCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_bandwidth_sharing_count(p: *mut Profile, count_out: *mut u32) -> HRESULT {
    call("wm_profile_get_bandwidth_sharing_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        *o = lock(&unsafe { profile(p)? }.data).bandwidth_sharings.len() as u32;
        Ok(())
    })
}

/// A copy of the bandwidth sharing at `index` (`IWMProfile3::GetBandwidthSharing`): a
/// new object each call; edits to it stay local.
///
/// Ownership: `*out` transfer full (release with `wm_bandwidth_sharing_release`). On
/// failure `*out` is NULL. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (out NULL, index out of range). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_bandwidth_sharing(p: *mut Profile, index: u32, out_sharing: *mut *mut BandwidthSharing) -> HRESULT {
    call("wm_profile_get_bandwidth_sharing", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sharing, "bandwidth sharing", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        let b = lock(&unsafe { profile(p)? }.data).bandwidth_sharing(index)?.clone();
        *o = new_handle(BandwidthSharing::new(b));
        Ok(())
    })
}

/// Remove the profile's first bandwidth sharing equal to `sharing` (same type, bit
/// rate, buffer window and streams) (`IWMProfile3::RemoveBandwidthSharing`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (sharing NULL or not in
/// the profile). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_remove_bandwidth_sharing(p: *mut Profile, sharing: *mut BandwidthSharing) -> HRESULT {
    call("wm_profile_remove_bandwidth_sharing", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { input(sharing, "the bandwidth sharing", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).remove_bandwidth_sharing(&b)
    })
}

/// Copy a configured bandwidth sharing into the profile (`IWMProfile3::AddBandwidthSharing`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (sharing NULL, type not
/// set), `NS_E_INVALID_STREAM` (a stream number not in the profile). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_add_bandwidth_sharing(p: *mut Profile, sharing: *mut BandwidthSharing) -> HRESULT {
    call("wm_profile_add_bandwidth_sharing", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { input(sharing, "the bandwidth sharing", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).add_bandwidth_sharing(b)
    })
}

/// A new, empty bandwidth sharing (type all zero: call `wm_bandwidth_sharing_set_type`)
/// (`IWMProfile3::CreateNewBandwidthSharing`); not in the profile until
/// `wm_profile_add_bandwidth_sharing`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (profile NULL), `E_INVALIDARG` (out NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_create_new_bandwidth_sharing(p: *mut Profile, out_sharing: *mut *mut BandwidthSharing) -> HRESULT {
    call("wm_profile_create_new_bandwidth_sharing", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sharing, "bandwidth sharing", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        unsafe { profile(p)? };
        *o = new_handle(BandwidthSharing::default());
        Ok(())
    })
}

/// A copy of the profile's stream prioritization (`IWMProfile3::GetStreamPrioritization`):
/// a new object each call. A profile without one gives `S_OK` with `*out` NULL, as the
/// SDK documents.
///
/// Ownership: `*out` transfer full (release with `wm_stream_prioritization_release`).
/// On failure `*out` is NULL. Returns `S_OK`, `E_POINTER` (profile NULL),
/// `E_INVALIDARG` (out NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_stream_prioritization(p: *mut Profile, out_sp: *mut *mut StreamPrioritization) -> HRESULT {
    call("wm_profile_get_stream_prioritization", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sp, "stream prioritization", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        if let Some(sp) = lock(&unsafe { profile(p)? }.data).stream_prioritization.clone() {
            *o = new_handle(StreamPrioritization::new(sp));
        }
        Ok(())
    })
}

/// Copy a stream prioritization into the profile, replacing any earlier one
/// (`IWMProfile3::SetStreamPrioritization`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (sp NULL, or it names a
/// stream not in the profile). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_set_stream_prioritization(p: *mut Profile, sp: *mut StreamPrioritization) -> HRESULT {
    call("wm_profile_set_stream_prioritization", || {
        // SAFETY: NULL or a live handle.
        let d = unsafe { input(sp, "the stream prioritization", InvalidArg)? }.snapshot();
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).set_stream_prioritization(d)
    })
}

/// Remove the profile's stream prioritization, if any (`IWMProfile3::RemoveStreamPrioritization`).
///
/// Returns `S_OK`, `E_POINTER` (profile NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_remove_stream_prioritization(p: *mut Profile) -> HRESULT {
    call("wm_profile_remove_stream_prioritization", || {
        // SAFETY: see `profile`.
        lock(&unsafe { profile(p)? }.data).stream_prioritization = None;
        Ok(())
    })
}

/// A new, empty stream prioritization (`IWMProfile3::CreateNewStreamPrioritization`);
/// not in the profile until `wm_profile_set_stream_prioritization`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (profile NULL), `E_INVALIDARG` (out NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_create_new_stream_prioritization(p: *mut Profile, out_sp: *mut *mut StreamPrioritization) -> HRESULT {
    call("wm_profile_create_new_stream_prioritization", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sp, "stream prioritization", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `profile`.
        unsafe { profile(p)? };
        *o = new_handle(StreamPrioritization::default());
        Ok(())
    })
}

/// How many data packets `duration_ms` milliseconds of this profile need: the streams'
/// bit rates over the duration, in packets of the profile's packet size (or the size
/// the writer would choose for a session that is not real time), rounded up (`IWMProfile3::GetExpectedPacketCount`; the
/// duration is in **milliseconds** as the SDK documents).
///
/// On failure `*packets` is 0. Returns `S_OK`, `E_POINTER` (profile NULL),
/// `E_INVALIDARG` (packets NULL), `E_NOTIMPL` (the profile has no streams). Thread
/// safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_expected_packet_count(p: *mut Profile, duration_ms: u64, packets: *mut u64) -> HRESULT {
    call("wm_profile_get_expected_packet_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(packets, "packet count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `profile`.
        let d = lock(&unsafe { profile(p)? }.data).clone();
        let size = if d.max_packet_size != 0 {
            d.max_packet_size
        } else {
            let total: u64 = d.streams.iter().map(|s| s.bitrate as u64).sum();
            let plans: Vec<crate::writer::StreamPlan> = d.streams.iter().map(crate::writer::StreamPlan::new).collect();
            let preroll = d.streams.iter().map(|s| s.effective_buffer_window()).max().unwrap_or(0);
            crate::writer::default_packet_size(total, &plans, preroll, false)
                .max(d.min_packet_size.min(crate::asf::packet::MAX_PACKET_SIZE))
        };
        *o = d.expected_packet_count(duration_ms, size)?;
        Ok(())
    })
}
