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
use crate::guid::Guid;
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

/// Load a system profile by ID (`IWMProfileManager::LoadProfileByID`): any of the 74
/// `WMProfile_V40/V70/V80_*` GUIDs of `wmsysprf.h`, whatever the system-profile version.
/// Names, descriptions and GUIDs are the SDK's; the stream settings are this library's
/// (the SDK's are not published).
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL.
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (id or out NULL, or no
/// system profile has that ID), `E_OUTOFMEMORY`. Thread safety: any thread.
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
        let o = unsafe { out(out_profile, "profile", InvalidArg)? };
        // SAFETY: NULL or a live handle.
        let pm = unsafe { borrow(manager, "profile manager")? };
        // SAFETY: NULL or readable.
        let id = unsafe { super::handle::input(id, "the profile ID", InvalidArg)? }.guid();
        *o = into_handle(Arc::new(pm.load_profile_by_id(&id)?));
        Ok(())
    })
}

/// The number of system profiles of the current system-profile version
/// (`IWMProfileManager::GetSystemProfileCount`): 21 for `WMT_VER_4_0` (the default),
/// 26 for 7.0, 27 for 8.0, 0 for 9.0 (as the SDK).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_system_profile_count(manager: *mut ProfileManager, count_out: *mut u32) -> HRESULT {
    call("wm_profile_manager_get_system_profile_count", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(manager, "profile manager")? }.system_profile_count();
        Ok(())
    })
}

/// The system profile at `index` of the current system-profile version
/// (`IWMProfileManager::LoadSystemProfile`), in `wmsysprf.h` order.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (manager NULL), `E_INVALIDARG` (index out of range, out NULL),
/// `E_OUTOFMEMORY`. Thread safety: any thread.
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
        let pm = unsafe { borrow(manager, "profile manager")? };
        *o = into_handle(Arc::new(pm.load_system_profile(index)?));
        Ok(())
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

/// The user language of localized system-profile names
/// (`IWMProfileManagerLanguage::GetUserLanguageID`); default 0x409 (en-US). This library's
/// system profiles exist in English only, whatever the language.
///
/// On failure `*language` is 0. Returns `S_OK`, `E_POINTER` (manager NULL),
/// `E_INVALIDARG` (language NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_user_language_id(manager: *mut ProfileManager, language: *mut u16) -> HRESULT {
    call("wm_profile_manager_get_user_language_id", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(language, "language", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = *lock(&unsafe { borrow(manager, "profile manager")? }.language);
        Ok(())
    })
}

/// Set the user language (`IWMProfileManagerLanguage::SetUserLanguageID`), a LANGID;
/// kept and returned by `wm_profile_manager_get_user_language_id` (names stay English).
///
/// Returns `S_OK`, `E_POINTER` (manager NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_set_user_language_id(manager: *mut ProfileManager, language: u16) -> HRESULT {
    call("wm_profile_manager_set_user_language_id", || {
        // SAFETY: NULL or a live handle.
        *lock(&unsafe { borrow(manager, "profile manager")? }.language) = language;
        Ok(())
    })
}

// The system-profile IDs of `wmsysprf.h`, under their SDK names (generated from
// `src/profile/system.rs`'s table; a unit test checks they agree).

/// System profile "Windows Media Video 8 for Color Pocket PCs (225 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_255VideoPDA: WMGuid =
    WMGuid::of(Guid::new(0xFEEDBCDF, 0x3FAC, 0x4C93, [0xAC, 0x0D, 0x47, 0x94, 0x1E, 0xC7, 0x2C, 0x0B]));

/// System profile "Windows Media Video 8 for Color Pocket PCs (150 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_150VideoPDA: WMGuid =
    WMGuid::of(Guid::new(0xAEE16DFA, 0x2C14, 0x4A2F, [0xAD, 0x3F, 0xA3, 0x03, 0x40, 0x31, 0x78, 0x4F]));

/// System profile "Windows Media Video 8 for Dial-up Modems or Single-channel ISDN (28.8 to 56 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_28856VideoMBR: WMGuid =
    WMGuid::of(Guid::new(0xD66920C4, 0xC21F, 0x4EC8, [0xA0, 0xB4, 0x95, 0xCF, 0x2B, 0xD5, 0x7F, 0xC4]));

/// System profile "Windows Media Video 8 for LAN, Cable Modem, or xDSL (100 to 768 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_100768VideoMBR: WMGuid =
    WMGuid::of(Guid::new(0x5BDB5A0E, 0x979E, 0x47D3, [0x95, 0x96, 0x73, 0xB3, 0x86, 0x39, 0x2A, 0x55]));

/// System profile "Windows Media Video 8 for Dial-up Modems or LAN (28.8 to 100 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_288100VideoMBR: WMGuid =
    WMGuid::of(Guid::new(0xD8722C69, 0x2419, 0x4B36, [0xB4, 0xE0, 0x6E, 0x17, 0xB6, 0x05, 0x64, 0xE5]));

/// System profile "Windows Media Video 8 for Dial-up Modems (28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_288Video: WMGuid =
    WMGuid::of(Guid::new(0x3DF678D9, 0x1352, 0x4186, [0xBB, 0xF8, 0x74, 0xF0, 0xC1, 0x9B, 0x6A, 0xE2]));

/// System profile "Windows Media Video 8 for Dial-up Modems (56 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_56Video: WMGuid =
    WMGuid::of(Guid::new(0x254E8A96, 0x2612, 0x405C, [0x80, 0x39, 0xF0, 0xBF, 0x72, 0x5C, 0xED, 0x7D]));

/// System profile "Windows Media Video 8 for Local Area Network (100 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_100Video: WMGuid =
    WMGuid::of(Guid::new(0xA2E300B4, 0xC2D4, 0x4FC0, [0xB5, 0xDD, 0xEC, 0xBD, 0x94, 0x8D, 0xC0, 0xDF]));

/// System profile "Windows Media Video 8 for Local Area Network (256 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_256Video: WMGuid =
    WMGuid::of(Guid::new(0xBBC75500, 0x33D2, 0x4466, [0xB8, 0x6B, 0x12, 0x2B, 0x20, 0x1C, 0xC9, 0xAE]));

/// System profile "Windows Media Video 8 for Local Area Network (384 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_384Video: WMGuid =
    WMGuid::of(Guid::new(0x29B00C2B, 0x09A9, 0x48BD, [0xAD, 0x09, 0xCD, 0xAE, 0x11, 0x7D, 0x1D, 0xA7]));

/// System profile "Windows Media Video 8 for Local Area Network (768 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_768Video: WMGuid =
    WMGuid::of(Guid::new(0x74D01102, 0xE71A, 0x4820, [0x8F, 0x0D, 0x13, 0xD2, 0xEC, 0x1E, 0x48, 0x72]));

/// System profile "Windows Media Video 8 for Broadband (NTSC, 700 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_700NTSCVideo: WMGuid =
    WMGuid::of(Guid::new(0xC8C2985F, 0xE5D9, 0x4538, [0x9E, 0x23, 0x9B, 0x21, 0xBF, 0x78, 0xF7, 0x45]));

/// System profile "Windows Media Video 8 for Broadband (NTSC, 1400 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_1400NTSCVideo: WMGuid =
    WMGuid::of(Guid::new(0x931D1BEE, 0x617A, 0x4BCD, [0x99, 0x05, 0xCC, 0xD0, 0x78, 0x66, 0x83, 0xEE]));

/// System profile "Windows Media Video 8 for Broadband (PAL, 384 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_384PALVideo: WMGuid =
    WMGuid::of(Guid::new(0x9227C692, 0xAE62, 0x4F72, [0xA7, 0xEA, 0x73, 0x60, 0x62, 0xD0, 0xE2, 0x1E]));

/// System profile "Windows Media Video 8 for Broadband (PAL, 700 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_700PALVideo: WMGuid =
    WMGuid::of(Guid::new(0xEC298949, 0x639B, 0x45E2, [0x96, 0xFD, 0x4A, 0xB3, 0x2D, 0x59, 0x19, 0xC2]));

/// System profile "Windows Media Audio 8 for Dial-up Modem (Mono, 28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_288MonoAudio: WMGuid =
    WMGuid::of(Guid::new(0x7EA3126D, 0xE1BA, 0x4716, [0x89, 0xAF, 0xF6, 0x5C, 0xEE, 0x0C, 0x0C, 0x67]));

/// System profile "Windows Media Audio 8 for Dial-up Modem (FM Radio Stereo, 28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_288StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x7E4CAB5C, 0x35DC, 0x45BB, [0xA7, 0xC0, 0x19, 0xB2, 0x80, 0x70, 0xD0, 0xCC]));

/// System profile "Windows Media Audio 8 for Dial-up Modem (32 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_32StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x60907F9F, 0xB352, 0x47E5, [0xB2, 0x10, 0x0E, 0xF1, 0xF4, 0x7E, 0x9F, 0x9D]));

/// System profile "Windows Media Audio 8 for Dial-up Modem (Near CD quality, 48 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_48StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x5EE06BE5, 0x492B, 0x480A, [0x8A, 0x8F, 0x12, 0xF3, 0x73, 0xEC, 0xF9, 0xD4]));

/// System profile "Windows Media Audio 8 for Dial-up Modem (CD quality, 64 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_64StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x09BB5BC4, 0x3176, 0x457F, [0x8D, 0xD6, 0x3C, 0xD9, 0x19, 0x12, 0x3E, 0x2D]));

/// System profile "Windows Media Audio 8 for ISDN (Better than CD quality, 96 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_96StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x1FC81930, 0x61F2, 0x436F, [0x9D, 0x33, 0x34, 0x9F, 0x2A, 0x1C, 0x0F, 0x10]));

/// System profile "Windows Media Audio 8 for ISDN (Better than CD quality, 128 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_128StereoAudio: WMGuid =
    WMGuid::of(Guid::new(0x407B9450, 0x8BDC, 0x4EE5, [0x88, 0xB8, 0x6F, 0x52, 0x7B, 0xD9, 0x41, 0xF2]));

/// System profile "Windows Media Video 8 for Dial-up Modem (No audio, 28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_288VideoOnly: WMGuid =
    WMGuid::of(Guid::new(0x8C45B4C7, 0x4AEB, 0x4F78, [0xA5, 0xEC, 0x88, 0x42, 0x0B, 0x9D, 0xAD, 0xEF]));

/// System profile "Windows Media Video 8 for Dial-up Modem (No audio, 56 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_56VideoOnly: WMGuid =
    WMGuid::of(Guid::new(0x6E2A6955, 0x81DF, 0x4943, [0xBA, 0x50, 0x68, 0xA9, 0x86, 0xA7, 0x08, 0xF6]));

/// System profile "Windows Media 8 Fair Quality based VBR for Broadband" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_FAIRVBRVideo: WMGuid =
    WMGuid::of(Guid::new(0x3510A862, 0x5850, 0x4886, [0x83, 0x5F, 0xD7, 0x8E, 0xC6, 0xA6, 0x40, 0x42]));

/// System profile "Windows Media 8 High Quality based VBR for Broadband." (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_HIGHVBRVideo: WMGuid =
    WMGuid::of(Guid::new(0x0F10D9D3, 0x3B04, 0x4FB0, [0xA3, 0xD3, 0x88, 0xD4, 0xAC, 0x85, 0x4A, 0xCC]));

/// System profile "Windows Media 8 Best Quality based VBR for Broadband." (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V80_BESTVBRVideo: WMGuid =
    WMGuid::of(Guid::new(0x048439BA, 0x309C, 0x440E, [0x9C, 0xB4, 0x3D, 0xCC, 0xA3, 0x75, 0x64, 0x23]));

/// System profile "Video for dial-up modems or single channel ISDN (28.8 to 56 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_DialUpMBR: WMGuid =
    WMGuid::of(Guid::new(0x5B16E74B, 0x4068, 0x45B5, [0xB8, 0x0E, 0x7B, 0xF8, 0xC8, 0x0D, 0x2C, 0x2F]));

/// System profile "Video for LAN, cable modem, or xDSL (100 to 768 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_IntranetMBR: WMGuid =
    WMGuid::of(Guid::new(0x045880DC, 0x34B6, 0x4CA9, [0xA3, 0x26, 0x73, 0x55, 0x7E, 0xD1, 0x43, 0xF3]));

/// System profile "Video for dial-up modems or LAN (28.8 to 100 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_2856100MBR: WMGuid =
    WMGuid::of(Guid::new(0x07DF7A25, 0x3FE2, 0x4A5B, [0x8B, 0x1E, 0x34, 0x8B, 0x07, 0x21, 0xCA, 0x70]));

/// System profile "Video with voice emphasis for dial-up modems (28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_288VideoVoice: WMGuid =
    WMGuid::of(Guid::new(0xB952F38E, 0x7DBC, 0x4533, [0xA9, 0xCA, 0xB0, 0x0B, 0x1C, 0x6E, 0x98, 0x00]));

/// System profile "Video with audio emphasis for dial-up modems (28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_288VideoAudio: WMGuid =
    WMGuid::of(Guid::new(0x58BBA0EE, 0x896A, 0x4948, [0x99, 0x53, 0x85, 0xB7, 0x36, 0xF8, 0x39, 0x47]));

/// System profile "Video for Web servers (28.8 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_288VideoWebServer: WMGuid =
    WMGuid::of(Guid::new(0x70A32E2B, 0xE2DF, 0x4EBD, [0x91, 0x05, 0xD9, 0xCA, 0x19, 0x4A, 0x2D, 0x50]));

/// System profile "Video for Web servers (56 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_56VideoWebServer: WMGuid =
    WMGuid::of(Guid::new(0xDEF99E40, 0x57BC, 0x4AB3, [0xB2, 0xD1, 0xB6, 0xE3, 0xCA, 0xF6, 0x42, 0x57]));

/// System profile "Video for single-channel ISDN (64 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_64VideoISDN: WMGuid =
    WMGuid::of(Guid::new(0xC2B7A7E9, 0x7B8E, 0x4992, [0xA1, 0xA1, 0x06, 0x82, 0x17, 0xA3, 0xB3, 0x11]));

/// System profile "Video for e-mail and dual-channel ISDN (128 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_100Video: WMGuid =
    WMGuid::of(Guid::new(0xD9F3C932, 0x5EA9, 0x4C6D, [0x89, 0xB4, 0x26, 0x86, 0xE5, 0x15, 0x42, 0x6E]));

/// System profile "Video for broadband NTSC (256 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_256Video: WMGuid =
    WMGuid::of(Guid::new(0xAFE69B3A, 0x403F, 0x4A1B, [0x80, 0x07, 0x0E, 0x21, 0xCF, 0xB3, 0xDF, 0x84]));

/// System profile "Video for broadband NTSC (384 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_384Video: WMGuid =
    WMGuid::of(Guid::new(0xF3D45FBB, 0x8782, 0x44DF, [0x97, 0xC6, 0x86, 0x78, 0xE2, 0xF9, 0xB1, 0x3D]));

/// System profile "Video for broadband NTSC (768 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_768Video: WMGuid =
    WMGuid::of(Guid::new(0x0326EBB6, 0xF76E, 0x4964, [0xB0, 0xDB, 0xE7, 0x29, 0x97, 0x8D, 0x35, 0xEE]));

/// System profile "Video for broadband NTSC (1500 Kbps total)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_1500Video: WMGuid =
    WMGuid::of(Guid::new(0x0B89164A, 0x5490, 0x4686, [0x9E, 0x37, 0x5A, 0x80, 0x88, 0x4E, 0x51, 0x46]));

/// System profile "Video for broadband NTSC (2 Mbps total)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_2000Video: WMGuid =
    WMGuid::of(Guid::new(0xAA980124, 0xBF10, 0x4E4F, [0x9A, 0xFD, 0x43, 0x29, 0xA7, 0x39, 0x5C, 0xFF]));

/// System profile "Video for broadband film content (768 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_700FilmContentVideo: WMGuid =
    WMGuid::of(Guid::new(0x7A747920, 0x2449, 0x4D76, [0x99, 0xCB, 0xFD, 0xB0, 0xC9, 0x04, 0x84, 0xD4]));

/// System profile "Video for broadband film content (1500 Kbps total)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_1500FilmContentVideo: WMGuid =
    WMGuid::of(Guid::new(0xF6A5F6DF, 0xEE3F, 0x434C, [0xA4, 0x33, 0x52, 0x3C, 0xE5, 0x5F, 0x51, 0x6B]));

/// System profile "Audio for low bit rate voice-oriented content (6.5 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_6VoiceAudio: WMGuid =
    WMGuid::of(Guid::new(0xEABA9FBF, 0xB64F, 0x49B3, [0xAA, 0x0C, 0x73, 0xFB, 0xDD, 0x15, 0x0A, 0xD0]));

/// System profile "Audio for FM radio quality for dial-up modems (28.8 Kbps mono)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_288FMRadioMono: WMGuid =
    WMGuid::of(Guid::new(0xC012A833, 0xA03B, 0x44A5, [0x96, 0xDC, 0xED, 0x95, 0xCC, 0x65, 0x58, 0x2D]));

/// System profile "Audio for FM radio quality for dial-up modems (28.8 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_288FMRadioStereo: WMGuid =
    WMGuid::of(Guid::new(0xE96D67C9, 0x1A39, 0x4DC4, [0xB9, 0x00, 0xB1, 0x18, 0x4D, 0xC8, 0x36, 0x20]));

/// System profile "Audio for dial-up modems (56 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_56DialUpStereo: WMGuid =
    WMGuid::of(Guid::new(0x674EE767, 0x0949, 0x4FAC, [0x87, 0x5E, 0xF4, 0xC9, 0xC2, 0x92, 0x01, 0x3B]));

/// System profile "Audio for single-channel ISDN (64 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_64AudioISDN: WMGuid =
    WMGuid::of(Guid::new(0x91DEA458, 0x9D60, 0x4212, [0x9C, 0x59, 0xD4, 0x09, 0x19, 0xC9, 0x39, 0xE4]));

/// System profile "Audio for near-CD quality (64 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_64Audio: WMGuid =
    WMGuid::of(Guid::new(0xB29CFFC6, 0xF131, 0x41DB, [0xB5, 0xE8, 0x99, 0xD8, 0xB0, 0xB9, 0x45, 0xF4]));

/// System profile "Audio for CD-quality (96 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_96Audio: WMGuid =
    WMGuid::of(Guid::new(0xA9D4B819, 0x16CC, 0x4A59, [0x9F, 0x37, 0x69, 0x3D, 0xBB, 0x03, 0x02, 0xD6]));

/// System profile "Audio for CD-quality transparency (128 Kbps stereo)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_128Audio: WMGuid =
    WMGuid::of(Guid::new(0xC64CF5DA, 0xDF45, 0x40D3, [0x80, 0x27, 0xDE, 0x69, 0x8D, 0x68, 0xDC, 0x66]));

/// System profile "Video for Color Pocket PCs (225 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_225VideoPDA: WMGuid =
    WMGuid::of(Guid::new(0xF55EA573, 0x4C02, 0x42B5, [0x90, 0x26, 0xA8, 0x26, 0x0C, 0x43, 0x8A, 0x9F]));

/// System profile "Video for Color Pocket PCs (150 Kbps)" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V70_150VideoPDA: WMGuid =
    WMGuid::of(Guid::new(0x0F472967, 0xE3C6, 0x4797, [0x96, 0x94, 0xF0, 0x30, 0x4C, 0x5E, 0x2F, 0x17]));

/// System profile "Dial-up Modems - ISDN Multiple Bit Rate Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_DialUpMBR: WMGuid =
    WMGuid::of(Guid::new(0xFD7F47F1, 0x72A6, 0x45A4, [0x80, 0xF0, 0x3A, 0xEC, 0xEF, 0xC3, 0x2C, 0x07]));

/// System profile "Intranet - High Speed LAN Multiple Bit Rate Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_IntranetMBR: WMGuid =
    WMGuid::of(Guid::new(0x82CD3321, 0xA94A, 0x4FFC, [0x9C, 0x2B, 0x09, 0x2C, 0x10, 0xCA, 0x16, 0xE7]));

/// System profile "28.8, 56, and 100 Multiple Bit Rate Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_2856100MBR: WMGuid =
    WMGuid::of(Guid::new(0x5A1C2206, 0xDC5E, 0x4186, [0xBE, 0xB2, 0x4C, 0x5A, 0x99, 0x4B, 0x13, 0x2E]));

/// System profile "6.5 voice audio" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_6VoiceAudio: WMGuid =
    WMGuid::of(Guid::new(0xD508978A, 0x11A0, 0x4D15, [0xB0, 0xDA, 0xAC, 0xDC, 0x99, 0xD4, 0xF8, 0x90]));

/// System profile "16 AM Radio" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_16AMRadio: WMGuid =
    WMGuid::of(Guid::new(0x0F4BE81F, 0xD57D, 0x41E1, [0xB2, 0xE3, 0x2F, 0xAD, 0x98, 0x6B, 0xFE, 0xC2]));

/// System profile "28.8 FM Radio Mono" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_288FMRadioMono: WMGuid =
    WMGuid::of(Guid::new(0x7FA57FC8, 0x6EA4, 0x4645, [0x8A, 0xBF, 0xB6, 0xE5, 0xA8, 0xF8, 0x14, 0xA1]));

/// System profile "28.8 FM Radio Stereo" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_288FMRadioStereo: WMGuid =
    WMGuid::of(Guid::new(0x22FCF466, 0xAA40, 0x431F, [0xA2, 0x89, 0x06, 0xD0, 0xEA, 0x1A, 0x1E, 0x40]));

/// System profile "56 Dial-up High Quality Stereo" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_56DialUpStereo: WMGuid =
    WMGuid::of(Guid::new(0xE8026F87, 0xE905, 0x4594, [0xA3, 0xC7, 0x00, 0xD0, 0x00, 0x41, 0xD1, 0xD9]));

/// System profile "64 Near CD Quality Audio" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_64Audio: WMGuid =
    WMGuid::of(Guid::new(0x4820B3F7, 0xCBEC, 0x41DC, [0x93, 0x91, 0x78, 0x59, 0x87, 0x14, 0xC8, 0xE5]));

/// System profile "96 CD Quality Audio" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_96Audio: WMGuid =
    WMGuid::of(Guid::new(0x0EFA0EE3, 0x9E64, 0x41E2, [0x83, 0x7F, 0x3C, 0x00, 0x38, 0xF3, 0x27, 0xBA]));

/// System profile "128 CD Quality Audio" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_128Audio: WMGuid =
    WMGuid::of(Guid::new(0x93DDBE12, 0x13DC, 0x4E32, [0xA3, 0x5E, 0x40, 0x37, 0x8E, 0x34, 0x27, 0x9A]));

/// System profile "28.8 Video - Voice" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_288VideoVoice: WMGuid =
    WMGuid::of(Guid::new(0xBB2BC274, 0x0EB6, 0x4DA9, [0xB5, 0x50, 0xEC, 0xF7, 0xF2, 0xB9, 0x94, 0x8F]));

/// System profile "28.8 Video - Audio Emphasis" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_288VideoAudio: WMGuid =
    WMGuid::of(Guid::new(0xAC617F2D, 0x6CBE, 0x4E84, [0x8E, 0x9A, 0xCE, 0x15, 0x1A, 0x12, 0xA3, 0x54]));

/// System profile "28.8 Video for Web Server" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_288VideoWebServer: WMGuid =
    WMGuid::of(Guid::new(0xABF2F00D, 0xD555, 0x4815, [0x94, 0xCE, 0x82, 0x75, 0xF3, 0xA7, 0x0B, 0xFE]));

/// System profile "56 Dial-up Modem Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_56DialUpVideo: WMGuid =
    WMGuid::of(Guid::new(0xE21713BB, 0x652F, 0x4DAB, [0x99, 0xDE, 0x71, 0xE0, 0x44, 0x00, 0x27, 0x0F]));

/// System profile "56 Dial-up Video for Web Server" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_56DialUpVideoWebServer: WMGuid =
    WMGuid::of(Guid::new(0xB756FF10, 0x520F, 0x4749, [0xA3, 0x99, 0xB7, 0x80, 0xE2, 0xFC, 0x92, 0x50]));

/// System profile "100 Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_100Video: WMGuid =
    WMGuid::of(Guid::new(0x8F99DDD8, 0x6684, 0x456B, [0xA0, 0xA3, 0x33, 0xE1, 0x31, 0x68, 0x95, 0xF0]));

/// System profile "250 Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_250Video: WMGuid =
    WMGuid::of(Guid::new(0x541841C3, 0x9339, 0x4F7B, [0x9A, 0x22, 0xB1, 0x15, 0x40, 0x89, 0x4E, 0x42]));

/// System profile "512 Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_512Video: WMGuid =
    WMGuid::of(Guid::new(0x70440E6D, 0xC4EF, 0x4F84, [0x8C, 0xD0, 0xD5, 0xC2, 0x86, 0x86, 0xE7, 0x84]));

/// System profile "1Mb Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_1MBVideo: WMGuid =
    WMGuid::of(Guid::new(0xB4482A4C, 0xCC17, 0x4B07, [0xA9, 0x4E, 0x98, 0x18, 0xD5, 0xE0, 0xF1, 0x3F]));

/// System profile "3Mb Video" (`wmsysprf.h`).
#[no_mangle]
pub static WMProfile_V40_3MBVideo: WMGuid =
    WMGuid::of(Guid::new(0x55374AC0, 0x309B, 0x4396, [0xB8, 0x8F, 0xE6, 0xE2, 0x92, 0x11, 0x3F, 0x28]));
#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::system::SYSTEM_PROFILES;

    #[test]
    fn exported_ids_match_the_table() {
        let exported = [
            WMProfile_V80_255VideoPDA,
            WMProfile_V80_BESTVBRVideo,
            WMProfile_V70_DialUpMBR,
            WMProfile_V70_150VideoPDA,
            WMProfile_V40_DialUpMBR,
            WMProfile_V40_3MBVideo,
        ];
        let want: Vec<Guid> = [0, 26, 27, 52, 53, 73].iter().map(|i| SYSTEM_PROFILES[*i].id()).collect();
        assert_eq!(exported.iter().map(|g| g.guid()).collect::<Vec<_>>(), want);
    }
}
