//! Codec enumeration on the profile manager (`IWMCodecInfo`, `IWMCodecInfo2`,
//! `IWMCodecInfo3`). Only codecs an available encoder can produce are listed
//! (`crate::codec::can_encode`), so an index means "the n-th codec that encodes here".

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::call;
use super::guids::WMGuid;
use super::handle::{borrow, clear, input, into_handle, out};
use super::strings::{read_str, write_bytes, write_str};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::codec_info::{self, Availability, CodecDef, PropValue};
use crate::profile::{lock, ProfileManager, StreamConfig};

/// Borrow the manager and read the major type.
///
/// # Safety
/// `pm` is NULL or a live handle; `major` is NULL or readable.
unsafe fn args<'a>(pm: *mut ProfileManager, major: *const WMGuid) -> Result<(&'a ProfileManager, crate::guid::Guid)> {
    // SAFETY: per the caller.
    let m = unsafe { borrow(pm, "profile manager")? };
    // SAFETY: per the caller.
    let g = unsafe { input(major, "the major type", InvalidArg)? }.guid();
    Ok((m, g))
}

fn codec_at(major: &crate::guid::Guid, index: u32) -> Result<&'static CodecDef> {
    codec_info::codec(major, index, &Availability::current())
}

/// Write a typed value with the size-query protocol.
///
/// # Safety
/// `data_type` NULL or writable; `value` NULL or writable for `*size` bytes; `size` NULL or writable.
unsafe fn write_prop(v: PropValue, data_type: *mut u32, value: *mut u8, size: *mut u32) -> Result<()> {
    // SAFETY: per the caller.
    let t = unsafe { out(data_type, "type", InvalidArg)? };
    // SAFETY: per the caller.
    unsafe { write_bytes(&v.bytes(), value, size, "property value")? };
    *t = v.data_type;
    Ok(())
}

/// Clear the type and size out-params of a failed property read.
///
/// # Safety
/// Each pointer is NULL or writable.
unsafe fn clear_prop(data_type: *mut u32, size: *mut u32) {
    // SAFETY: per the caller.
    unsafe {
        clear(data_type, 0);
        clear(size, 0);
    }
}

/// The number of codecs of a major type that can encode here
/// (`IWMCodecInfo::GetCodecInfoCount`). `major` is `WMMEDIATYPE_Audio` or `_Video`.
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG`
/// (major or count NULL, major neither audio nor video). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_info_count(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    count: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_info_count", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: per the C contract.
        let (_, g) = unsafe { args(pm, major)? };
        *o = codec_info::codec_count(&g, &Availability::current())?;
        Ok(())
    })
}

/// The number of formats of codec `codec` under its enumeration settings
/// (`IWMCodecInfo::GetCodecFormatCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG`
/// (NULL argument, bad major type, codec index out of range). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_format_count(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    count: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_format_count", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: per the C contract.
        let (m, g) = unsafe { args(pm, major)? };
        let c = codec_at(&g, codec)?;
        *o = codec_info::formats(c, lock(&m.codec_settings).get(&c.subtype)).len() as u32;
        Ok(())
    })
}

/// Format `format` of codec `codec` as a new stream configuration ready for
/// `wm_profile_add_stream` (`IWMCodecInfo::GetCodecFormat`): media type, bit rate,
/// buffer window, VBR settings; stream number 1 and no connection name (set both).
///
/// Ownership: `*out` transfer full (`wm_stream_config_release`). On failure `*out` is
/// NULL. Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (NULL argument, bad
/// major type, index out of range), `E_OUTOFMEMORY`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_format(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    format: u32,
    out_config: *mut *mut StreamConfig,
) -> HRESULT {
    call("wm_profile_manager_get_codec_format", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_config, "stream config", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: per the C contract.
        let (m, g) = unsafe { args(pm, major)? };
        let f = codec_info::format(&g, codec, format, &Availability::current(), &lock(&m.codec_settings))?;
        *o = into_handle(Arc::new(StreamConfig::new(f.stream)));
        Ok(())
    })
}

/// The codec's name, UTF-8, with the size-query protocol (`IWMCodecInfo2::GetCodecName`):
/// `name` NULL → `*length` = bytes needed incl. NUL; too small → `ASF_E_BUFFERTOOSMALL`
/// with `*length` set. E.g. "Windows Media Audio 8".
///
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (major or length NULL, bad
/// major type, index out of range), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_name(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    name: *mut c_char,
    length: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_name", || {
        // SAFETY: per the C contract.
        let (_, g) = unsafe { args(pm, major)? };
        let c = codec_at(&g, codec)?;
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(c.name, name, length, "codec name") }
    })
}

/// A format's description, UTF-8, with the size-query protocol, and optionally its
/// stream configuration (`IWMCodecInfo2::GetCodecFormatDesc`): `out_config` may be NULL;
/// otherwise it receives what `wm_profile_manager_get_codec_format` gives. E.g.
/// "64 kbps, 44 kHz, stereo 1-pass CBR".
///
/// Ownership: `*out_config` transfer full. On failure `*out_config` is NULL.
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (major or length NULL, bad
/// major type, index out of range), `ASF_E_BUFFERTOOSMALL` (`*length` set; no config is
/// returned). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_format_desc(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    format: u32,
    out_config: *mut *mut StreamConfig,
    desc: *mut c_char,
    length: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_format_desc", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe { clear(out_config, std::ptr::null_mut()) };
        // SAFETY: per the C contract.
        let (m, g) = unsafe { args(pm, major)? };
        let f = codec_info::format(&g, codec, format, &Availability::current(), &lock(&m.codec_settings))?;
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&f.description, desc, length, "format description")? };
        if !out_config.is_null() {
            // SAFETY: non-NULL and writable per the C contract.
            unsafe { *out_config = into_handle(Arc::new(StreamConfig::new(f.stream))) };
        }
        Ok(())
    })
}

/// A codec property (`IWMCodecInfo3::GetCodecProp`): `"_ISVBRSUPPORTED"` (BOOL) for
/// every codec; `"_COMPLEXITYEXMAX"`, `"_COMPLEXITYEXOFFLINE"`, `"_COMPLEXITYEXLIVE"`
/// (DWORD) for video. `*data_type` gets the `WMT_ATTR_DATATYPE`; the 4 value bytes use
/// the size-query protocol (`value` NULL → `*size` = 4).
///
/// On failure `*data_type` and `*size` are 0 (except `ASF_E_BUFFERTOOSMALL`, which sets
/// `*size`). Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (NULL argument,
/// bad major type, index out of range), `NS_E_UNSUPPORTED_PROPERTY` (another name),
/// `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_prop(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    name: *const c_char,
    data_type: *mut u32,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_prop", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe { clear(data_type, 0) };
        let r = (|| {
            // SAFETY: per the C contract.
            let (_, g) = unsafe { args(pm, major)? };
            // SAFETY: NULL or a NUL-terminated string.
            let n = unsafe { read_str(name, "the property name")? };
            codec_info::codec_prop(codec_at(&g, codec)?, n)
        })();
        match r {
            // SAFETY: per the C contract.
            Ok(v) => unsafe { write_prop(v, data_type, value, size) },
            Err(e) => {
                // SAFETY: per the C contract.
                unsafe { clear_prop(data_type, size) };
                Err(e)
            }
        }
    })
}

/// A format property (`IWMCodecInfo3::GetCodecFormatProp`): `"_VBRENABLED"` (BOOL),
/// `"_PASSESUSED"` (DWORD), and for VBR formats `"_VBRQUALITY"` (DWORD). Value protocol
/// as `wm_profile_manager_get_codec_prop`.
///
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (NULL argument, bad major
/// type, index out of range), `NS_E_UNSUPPORTED_PROPERTY`, `ASF_E_BUFFERTOOSMALL`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_format_prop(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    format: u32,
    name: *const c_char,
    data_type: *mut u32,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_format_prop", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe { clear(data_type, 0) };
        let r = (|| {
            // SAFETY: per the C contract.
            let (m, g) = unsafe { args(pm, major)? };
            // SAFETY: NULL or a NUL-terminated string.
            let n = unsafe { read_str(name, "the property name")? };
            let settings = lock(&m.codec_settings).clone();
            let c = codec_at(&g, codec)?;
            let f = codec_info::format(&g, codec, format, &Availability::current(), &settings)?;
            codec_info::format_prop(&f, settings.get(&c.subtype), n)
        })();
        match r {
            // SAFETY: per the C contract.
            Ok(v) => unsafe { write_prop(v, data_type, value, size) },
            Err(e) => {
                // SAFETY: per the C contract.
                unsafe { clear_prop(data_type, size) };
                Err(e)
            }
        }
    })
}

/// Set what a codec's format enumeration lists (`IWMCodecInfo3::SetCodecEnumerationSetting`):
/// `"_VBRENABLED"` (`WMT_TYPE_BOOL` = 3, 4 bytes: VBR formats instead of CBR ones; WMA
/// Lossless lists its formats only with it) or `"_PASSESUSED"` (`WMT_TYPE_DWORD` = 0,
/// 1 or 2). The setting stays on this manager.
///
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (NULL argument, bad major
/// type, index out of range, wrong type or size, passes not 1 or 2),
/// `NS_E_UNSUPPORTED_PROPERTY` (another name, or VBR on a codec without VBR). Thread
/// safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_set_codec_enumeration_setting(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    name: *const c_char,
    data_type: u32,
    value: *const u8,
    size: u32,
) -> HRESULT {
    call("wm_profile_manager_set_codec_enumeration_setting", || {
        // SAFETY: per the C contract.
        let (m, g) = unsafe { args(pm, major)? };
        // SAFETY: NULL or a NUL-terminated string.
        let n = unsafe { read_str(name, "the setting name")? };
        if value.is_null() {
            crate::bail!(InvalidArg, "the value of \"{n}\" is NULL");
        }
        // SAFETY: non-NULL and readable for `size` bytes per the C contract.
        let bytes = unsafe { std::slice::from_raw_parts(value, size as usize) };
        let c = codec_at(&g, codec)?;
        codec_info::set_setting(&mut lock(&m.codec_settings), c, n, data_type, bytes)
    })
}

/// Read an enumeration setting (`IWMCodecInfo3::GetCodecEnumerationSetting`):
/// `"_VBRENABLED"` (BOOL, default false) or `"_PASSESUSED"` (DWORD, default 1). Value
/// protocol as `wm_profile_manager_get_codec_prop`.
///
/// Returns `S_OK`, `E_POINTER` (manager NULL), `E_INVALIDARG` (NULL argument, bad major
/// type, index out of range), `NS_E_UNSUPPORTED_PROPERTY`, `ASF_E_BUFFERTOOSMALL`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_manager_get_codec_enumeration_setting(
    pm: *mut ProfileManager,
    major: *const WMGuid,
    codec: u32,
    name: *const c_char,
    data_type: *mut u32,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_profile_manager_get_codec_enumeration_setting", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe { clear(data_type, 0) };
        let r = (|| {
            // SAFETY: per the C contract.
            let (m, g) = unsafe { args(pm, major)? };
            // SAFETY: NULL or a NUL-terminated string.
            let n = unsafe { read_str(name, "the setting name")? };
            let c = codec_at(&g, codec)?;
            codec_info::get_setting(&lock(&m.codec_settings), c, n)
        })();
        match r {
            // SAFETY: per the C contract.
            Ok(v) => unsafe { write_prop(v, data_type, value, size) },
            Err(e) => {
                // SAFETY: per the C contract.
                unsafe { clear_prop(data_type, size) };
                Err(e)
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ffi::hresult::{E_INVALIDARG, E_POINTER, S_OK};
    use crate::guid::sdk;
    use crate::profile::codec_info::{codecs, formats};
    use crate::profile::ProfileManager;

    fn pm() -> *mut ProfileManager {
        into_handle(Arc::new(ProfileManager::default()))
    }

    /// The C API lists exactly what the table gives for the encoders available here.
    #[test]
    fn c_api_matches_the_table_for_what_is_available() {
        let m = pm();
        let avail = Availability::current();
        for major in [sdk::WMMEDIATYPE_AUDIO, sdk::WMMEDIATYPE_VIDEO] {
            let g = WMGuid::of(major);
            let mut n = 99;
            // SAFETY: live handle and valid pointers.
            assert_eq!(unsafe { wm_profile_manager_get_codec_info_count(m, &g, &mut n) }, S_OK);
            let table = codecs(&major, &avail);
            assert_eq!(n as usize, table.len());
            for (i, c) in table.iter().enumerate() {
                let mut len = 0u32;
                // SAFETY: as above; NULL buffer = size query.
                assert_eq!(unsafe { wm_profile_manager_get_codec_name(m, &g, i as u32, std::ptr::null_mut(), &mut len) }, S_OK);
                assert_eq!(len as usize, c.name.len() + 1);
                let mut fc = 0;
                // SAFETY: as above.
                assert_eq!(unsafe { wm_profile_manager_get_codec_format_count(m, &g, i as u32, &mut fc) }, S_OK);
                assert_eq!(fc as usize, formats(c, Default::default()).len());
                for f in 0..fc {
                    let mut sc = std::ptr::null_mut();
                    // SAFETY: as above.
                    assert_eq!(unsafe { wm_profile_manager_get_codec_format(m, &g, i as u32, f, &mut sc) }, S_OK);
                    // SAFETY: a handle we own.
                    let data = unsafe { &*sc }.snapshot();
                    data.validate().unwrap();
                    // SAFETY: release our reference.
                    unsafe { crate::ffi::handle::release(sc) };
                }
            }
            let mut sc = 0xdead_beef_usize as *mut StreamConfig;
            // SAFETY: as above; index out of range.
            assert_eq!(unsafe { wm_profile_manager_get_codec_format(m, &g, n, 0, &mut sc) }, E_INVALIDARG);
            assert!(sc.is_null());
        }
        let script = WMGuid::of(sdk::WMMEDIATYPE_SCRIPT);
        let mut n = 7;
        // SAFETY: as above.
        assert_eq!(unsafe { wm_profile_manager_get_codec_info_count(m, &script, &mut n) }, E_INVALIDARG);
        assert_eq!(n, 0);
        // SAFETY: NULL manager.
        assert_eq!(unsafe { wm_profile_manager_get_codec_info_count(std::ptr::null_mut(), &script, &mut n) }, E_POINTER);
        // SAFETY: release.
        unsafe { crate::ffi::handle::release(m) };
    }
}
