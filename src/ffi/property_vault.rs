//! `IWMPropertyVault` on `WMStreamConfig`: named, typed properties of a stream. The
//! VBR ones (`_VBRENABLED` BOOL, `_VBRQUALITY` DWORD 0..100, `_RMAX`, `_BMAX` DWORD)
//! are the stream's VBR settings: the video encoder reads them (quality-based VBR) and
//! a saved PRX carries them. Like every stream-config setter, they act on this object
//! until `wm_profile_add_stream` / `wm_profile_reconfig_stream`.

use std::ffi::c_char;

use super::boundary::call;
use super::handle::{borrow, clear, out};
use super::strings::{read_str, write_bytes, write_str};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::vault::VaultProperty;
use crate::profile::{lock, StreamConfig, StreamConfigData};
use crate::{bail, err};

unsafe fn with<R>(c: *mut StreamConfig, f: impl FnOnce(&mut StreamConfigData) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let c = unsafe { borrow(c, "stream config")? };
    f(&mut lock(&c.data))
}

/// Write a property's type and value with the size-query protocol; on failure the
/// type and size are 0.
///
/// # Safety
/// Each pointer is NULL or writable (`value` for `*size` bytes).
unsafe fn write_value(p: &VaultProperty, data_type: *mut u32, value: *mut u8, size: *mut u32) -> Result<()> {
    // SAFETY: per the caller.
    let t = unsafe { out(data_type, "type", InvalidArg)? };
    *t = 0;
    // SAFETY: per the caller.
    unsafe { write_bytes(&p.2, value, size, "property value")? };
    *t = p.1;
    Ok(())
}

/// The number of properties set (`IWMPropertyVault::GetPropertyCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_property_count(config: *mut StreamConfig, count_out: *mut u32) -> HRESULT {
    call("wm_stream_config_get_property_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(config, |d| Ok(d.vault_properties().len() as u32))? };
        Ok(())
    })
}

/// The property called `name` (UTF-8) (`IWMPropertyVault::GetPropertyByName`):
/// `*data_type` = its `WMT_ATTR_DATATYPE`; value with the size-query protocol (`value`
/// NULL → `*size` = bytes needed; `*size` too small → `ASF_E_BUFFERTOOSMALL` with
/// `*size` set).
///
/// On failure `*data_type` and `*size` are 0 (except `ASF_E_BUFFERTOOSMALL`). Returns
/// `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (name, type or size NULL),
/// `NS_E_UNSUPPORTED_PROPERTY` (no such property), `ASF_E_BUFFERTOOSMALL`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_property_by_name(
    config: *mut StreamConfig,
    name: *const c_char,
    data_type: *mut u32,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_stream_config_get_property_by_name", || {
        let r = (|| {
            // SAFETY: NULL or NUL-terminated.
            let n = unsafe { read_str(name, "the property name")? };
            // SAFETY: see `with`.
            let p = unsafe { with(config, |d| Ok(d.vault_property(n)))? };
            p.ok_or_else(|| err!(UnsupportedProperty, "the stream config has no property \"{n}\""))
        })();
        match r {
            // SAFETY: per the C contract.
            Ok(p) => unsafe { write_value(&p, data_type, value, size) },
            Err(e) => {
                // SAFETY: NULL or writable per the C contract.
                unsafe {
                    clear(data_type, 0);
                    clear(size, 0);
                }
                Err(e)
            }
        }
    })
}

/// Set a property (`IWMPropertyVault::SetProperty`): `name` UTF-8, `data_type` a
/// `WMT_ATTR_DATATYPE` (0..6), `size` bytes at `value`. `_VBRENABLED` must be a BOOL
/// (3) and `_VBRQUALITY` (0..100), `_RMAX`, `_BMAX` DWORDs (0), 4 bytes each.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (name NULL or empty,
/// value NULL with size > 0, bad type, a VBR property of the wrong type, size or
/// range). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_set_property(
    config: *mut StreamConfig,
    name: *const c_char,
    data_type: u32,
    value: *const u8,
    size: u32,
) -> HRESULT {
    call("wm_stream_config_set_property", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the property name")? };
        if value.is_null() && size > 0 {
            bail!(InvalidArg, "the value is NULL but its size is {size}");
        }
        let bytes: &[u8] = if size == 0 {
            &[]
        } else {
            // SAFETY: non-NULL and readable for `size` bytes per the C contract.
            unsafe { std::slice::from_raw_parts(value, size as usize) }
        };
        // SAFETY: see `with`.
        unsafe { with(config, |d| d.set_vault_property(n, data_type, bytes)) }
    })
}

/// The property at `index` (`IWMPropertyVault::GetPropertyByIndex`; the VBR ones first,
/// then the others in the order they were set): its name (UTF-8, size-query protocol
/// on `*name_len`, bytes incl. NUL), type and value (size-query protocol on `*size`).
///
/// On failure the lengths and the type are 0 (except `ASF_E_BUFFERTOOSMALL`). Returns
/// `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (name_len, type or size NULL, or
/// index out of range), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_get_property_by_index(
    config: *mut StreamConfig,
    index: u32,
    name: *mut c_char,
    name_len: *mut u32,
    data_type: *mut u32,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_stream_config_get_property_by_index", || {
        let r = (|| {
            // SAFETY: see `with`.
            let all = unsafe { with(config, |d| Ok(d.vault_properties()))? };
            let n = all.len();
            all.into_iter()
                .nth(index as usize)
                .ok_or_else(|| err!(InvalidArg, "property index {index} is out of range; the stream config has {n}"))
        })();
        match r {
            Ok(p) => {
                if name_len.is_null() || data_type.is_null() || size.is_null() {
                    // SAFETY: NULL or writable per the C contract.
                    unsafe {
                        clear(name_len, 0);
                        clear(data_type, 0);
                        clear(size, 0);
                    }
                    bail!(InvalidArg, "the name length, type and size pointers must not be NULL");
                }
                // SAFETY: per the C contract.
                unsafe {
                    write_str(&p.0, name, name_len, "property name")?;
                    write_value(&p, data_type, value, size)
                }
            }
            Err(e) => {
                // SAFETY: NULL or writable per the C contract.
                unsafe {
                    clear(name_len, 0);
                    clear(data_type, 0);
                    clear(size, 0);
                }
                Err(e)
            }
        }
    })
}

/// Set every property of `from` on `config` (`IWMPropertyVault::CopyPropertiesFrom`);
/// properties of other names stay.
///
/// Returns `S_OK`, `E_POINTER` (config NULL), `E_INVALIDARG` (from NULL).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_copy_properties_from(config: *mut StreamConfig, from: *mut StreamConfig) -> HRESULT {
    call("wm_stream_config_copy_properties_from", || {
        // SAFETY: NULL or a live handle per the C contract.
        let c = unsafe { borrow(config, "stream config")? };
        if from.is_null() {
            bail!(InvalidArg, "the stream config to copy from is NULL");
        }
        // SAFETY: non-NULL, a live handle per the C contract.
        let f = unsafe { borrow(from, "stream config to copy from")? };
        if std::ptr::eq(c, f) {
            return Ok(());
        }
        let src = lock(&f.data).clone();
        let r = lock(&c.data).copy_vault_from(&src);
        r
    })
}

/// Remove every property (`IWMPropertyVault::Clear`), the VBR settings included.
///
/// Returns `S_OK`, `E_POINTER` (config NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_config_clear(config: *mut StreamConfig) -> HRESULT {
    call("wm_stream_config_clear", || {
        // SAFETY: see `with`.
        unsafe {
            with(config, |d| {
                d.clear_vault();
                Ok(())
            })
        }
    })
}
