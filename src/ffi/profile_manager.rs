//! `WMProfileManager` (`IWMProfileManager`, `IWMProfileManager2`).

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, clear, input, into_handle, out, release};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::bail;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::profile::{lock, Profile, ProfileManager, WMT_VERSIONS};

/// `WMT_VER_4_0`.
pub const WMT_VER_4_0: u32 = 0x0004_0000;
/// `WMT_VER_7_0`.
pub const WMT_VER_7_0: u32 = 0x0007_0000;
/// `WMT_VER_8_0`.
pub const WMT_VER_8_0: u32 = 0x0008_0000;
/// `WMT_VER_9_0`: the version to build profiles with.
pub const WMT_VER_9_0: u32 = 0x0009_0000;

/// Create a profile manager (`WMCreateProfileManager`).
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER` (out NULL), `E_OUTOFMEMORY`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_create_profile_manager(out_manager: *mut *mut ProfileManager) -> HRESULT {
    call("wm_create_profile_manager", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_manager, "profile manager", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(ProfileManager::default()));
        Ok(())
    })
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_add_ref(manager: *mut ProfileManager) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(manager) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_release(manager: *mut ProfileManager) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(manager) })
}

/// A new profile with no streams (`IWMProfileManager::CreateEmptyProfile`); `version`
/// is a `WMT_VER_*` value (use `WMT_VER_9_0`).
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (out NULL or unknown
/// version), `E_OUTOFMEMORY`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_create_empty_profile(
    manager: *mut ProfileManager,
    version: u32,
    out_profile: *mut *mut Profile,
) -> HRESULT {
    call("wm_profile_manager_create_empty_profile", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_profile, "profile", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or a live handle.
        let pm = unsafe { borrow(manager, "profile manager")? };
        *o = into_handle(Arc::new(pm.create_empty_profile(version)?));
        Ok(())
    })
}

/// Load a system profile by ID (`IWMProfileManager::LoadProfileByID`). Like the WM9
/// SDK this library ships no system profiles, so every ID is refused.
///
/// On failure `*out` is NULL. Returns `E_INVALIDARG` (always: unknown ID or NULL
/// arguments), `E_POINTER` (manager NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_load_profile_by_id(
    manager: *mut ProfileManager,
    id: *const WMGuid,
    out_profile: *mut *mut Profile,
) -> HRESULT {
    call("wm_profile_manager_load_profile_by_id", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe { clear(out_profile, std::ptr::null_mut()) };
        // SAFETY: NULL or writable.
        unsafe { out(out_profile, "profile", InvalidArg)? };
        // SAFETY: NULL or a live handle.
        unsafe { borrow(manager, "profile manager")? };
        // SAFETY: NULL or readable.
        let id = unsafe { super::handle::input(id, "the profile ID", InvalidArg)? }.guid();
        bail!(
            InvalidArg,
            "no system profile has ID {{{id}}}: this library ships none (as the WM9 SDK); build profiles with create_empty_profile"
        )
    })
}

/// The number of system profiles (`IWMProfileManager::GetSystemProfileCount`): 0.
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (count NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_system_profile_count(manager: *mut ProfileManager, count_out: *mut u32) -> HRESULT {
    call("wm_profile_manager_get_system_profile_count", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        unsafe { borrow(manager, "profile manager")? };
        Ok(())
    })
}

/// A system profile by index (`IWMProfileManager::LoadSystemProfile`): there are none.
///
/// On failure `*out` is NULL. Returns `E_INVALIDARG` (index out of range / out NULL), `E_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_load_system_profile(
    manager: *mut ProfileManager,
    index: u32,
    out_profile: *mut *mut Profile,
) -> HRESULT {
    call("wm_profile_manager_load_system_profile", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_profile, "profile", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or a live handle.
        unsafe { borrow(manager, "profile manager")? };
        bail!(InvalidArg, "system profile {index} does not exist: there are 0 system profiles")
    })
}

/// The system-profile version (`IWMProfileManager2::GetSystemProfileVersion`).
///
/// On failure `*version` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (version NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_system_profile_version(manager: *mut ProfileManager, version: *mut u32) -> HRESULT {
    call("wm_profile_manager_get_system_profile_version", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(version, "version", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = *lock(&unsafe { borrow(manager, "profile manager")? }.system_profile_version);
        Ok(())
    })
}

/// Set the system-profile version (`IWMProfileManager2::SetSystemProfileVersion`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (not a `WMT_VER_*`).
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_set_system_profile_version(manager: *mut ProfileManager, version: u32) -> HRESULT {
    call("wm_profile_manager_set_system_profile_version", || {
        // SAFETY: NULL or a live handle.
        let pm = unsafe { borrow(manager, "profile manager")? };
        if !WMT_VERSIONS.contains(&version) {
            bail!(InvalidArg, "0x{version:08X} is not a WMT_VERSION");
        }
        *lock(&pm.system_profile_version) = version;
        Ok(())
    })
}

/// Parse a PRX profile (UTF-8 XML text, NUL-terminated) into a new profile
/// (`IWMProfileManager::LoadProfileByData`). Accepts what real `.prx` files carry
/// (profile, streamconfig, videomediaprops, wmmediatype, waveformatex, videoinfoheader,
/// bitmapinfoheader, dataunitextension, mutualexclusion, bandwidthsharing,
/// streamprioritization), a byte-order mark, comments, CRLF, either quote style, and
/// ignores unknown elements and attributes.
///
/// Ownership: `*out` transfer full (release with `wm_profile_release`). On failure
/// `*out` is NULL and `wm_get_last_error_message()` names the line and the field.
/// Returns `S_OK`; `E_POINTER` (manager NULL); `E_INVALIDARG` (text or out NULL, text
/// not UTF-8, longer than 153,600 characters); `NS_E_INVALIDPROFILE` (malformed XML, a
/// number that does not parse or fit, a missing required attribute, an impossible value
/// such as stream number 0 or 64, a number used twice, more than 63 streams, a group
/// naming an absent stream); `E_OUTOFMEMORY`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_load_profile_by_data(
    manager: *mut ProfileManager,
    prx: *const c_char,
    out_profile: *mut *mut Profile,
) -> HRESULT {
    call("wm_profile_manager_load_profile_by_data", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_profile, "profile", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or a live handle.
        let pm = unsafe { borrow(manager, "profile manager")? };
        // SAFETY: NULL or a NUL-terminated string.
        let text = unsafe { read_str(prx, "the profile text")? };
        *o = into_handle(Arc::new(pm.load_profile_by_data(text)?));
        Ok(())
    })
}

/// Serialize a profile as PRX XML (UTF-8) with the size-query protocol
/// (`IWMProfileManager::SaveProfile`): `buffer` NULL → `*length` = bytes needed
/// including the NUL; `*length` too small → `ASF_E_BUFFERTOOSMALL` with `*length` set
/// to the bytes needed (buffer untouched); else the text and a NUL are written and
/// `*length` = bytes written. Loading the text gives an equal profile, and saving
/// that gives the same bytes.
///
/// Ownership: the caller owns `buffer`. Returns `S_OK`; `E_POINTER` (manager NULL);
/// `E_INVALIDARG` (profile or length NULL); `ASF_E_BUFFERTOOSMALL`. Thread safety: any
/// thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_save_profile(
    manager: *mut ProfileManager,
    profile: *mut Profile,
    buffer: *mut c_char,
    length: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_save_profile", || {
        // SAFETY: NULL or a live handle.
        let pm = unsafe { borrow(manager, "profile manager")? };
        // SAFETY: NULL or a live handle.
        let p = unsafe { input(profile, "the profile", InvalidArg)? };
        let text = pm.save_profile(p);
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&text, buffer, length, "profile text") }
    })
}
