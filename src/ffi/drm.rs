//! `IWMDRMWriter`, `IWMDRMWriter2`, `IWMDRMWriter3` on the writer: refused by design.
//!
//! Windows Media DRM needs Microsoft's DRM components (individualised keys, a license
//! server); none exists on the platforms this library runs on, and faking one would
//! produce files no player can open. Every method therefore returns the SDK's
//! `NS_E_DRM_UNABLE_TO_INITIALIZE` with a message, zeroes its out-params, and changes
//! nothing: the writer goes on writing unprotected files.

use std::ffi::c_char;

use super::boundary::boundary;
use super::header_info::WMT_ATTR_DATATYPE;
use super::hresult::{set_last_error, NS_E_DRM_UNABLE_TO_INITIALIZE};
use super::writer::{writer, WMWriter};
use super::HRESULT;

/// The shared refusal: a live writer handle (NULL → `E_POINTER`), then the DRM code.
fn refuse(name: &str, w: *mut WMWriter) -> HRESULT {
    boundary(name, || {
        // SAFETY: NULL or a live handle.
        drop(unsafe { writer(w)? });
        set_last_error(&format!(
            "{name}: Windows Media DRM is not available: no DRM system exists to bind to on this platform; the file is written unprotected"
        ));
        Ok(NS_E_DRM_UNABLE_TO_INITIALIZE)
    })
}

/// Zero a size out-param if the caller gave one.
///
/// # Safety
/// `len` is NULL or writable.
unsafe fn zero(len: *mut u32) {
    // SAFETY: the caller promises NULL or writable.
    if let Some(l) = unsafe { len.as_mut() } {
        *l = 0;
    }
}

/// `IWMDRMWriter::GenerateKeySeed`: refused by design.
///
/// `*len` is set to 0. Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_generate_key_seed(w: *mut WMWriter, seed: *mut c_char, len: *mut u32) -> HRESULT {
    let _ = seed;
    // SAFETY: NULL or writable, as documented.
    unsafe { zero(len) };
    refuse("wm_writer_generate_key_seed", w)
}

/// `IWMDRMWriter::GenerateKeyID`: refused by design.
///
/// `*len` is set to 0. Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_generate_key_id(w: *mut WMWriter, key_id: *mut c_char, len: *mut u32) -> HRESULT {
    let _ = key_id;
    // SAFETY: NULL or writable, as documented.
    unsafe { zero(len) };
    refuse("wm_writer_generate_key_id", w)
}

/// `IWMDRMWriter::GenerateSigningKeyPair`: refused by design.
///
/// Both lengths are set to 0. Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_generate_signing_key_pair(
    w: *mut WMWriter,
    private_key: *mut c_char,
    private_len: *mut u32,
    public_key: *mut c_char,
    public_len: *mut u32,
) -> HRESULT {
    let _ = (private_key, public_key);
    // SAFETY: NULL or writable, as documented.
    unsafe {
        zero(private_len);
        zero(public_len);
    }
    refuse("wm_writer_generate_signing_key_pair", w)
}

/// `IWMDRMWriter::SetDRMAttribute`: refused by design (nothing is stored).
///
/// Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_drm_attribute(
    w: *mut WMWriter,
    stream: u16,
    name: *const c_char,
    kind: WMT_ATTR_DATATYPE,
    value: *const u8,
    size: u16,
) -> HRESULT {
    let _ = (stream, name, kind, value, size);
    refuse("wm_writer_set_drm_attribute", w)
}

/// `IWMDRMWriter2::SetWMDRMNetEncryption`: refused by design.
///
/// Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_wmdrm_net_encryption(
    w: *mut WMWriter,
    samples_encrypted: i32,
    key_id: *const u8,
    key_id_size: u32,
) -> HRESULT {
    let _ = (samples_encrypted, key_id, key_id_size);
    refuse("wm_writer_set_wmdrm_net_encryption", w)
}

/// `IWMDRMWriter3::SetProtectStreamSamples` (`init` is the caller's
/// `WMDRM_IMPORT_INIT_STRUCT`, `size` its byte size): refused by design.
///
/// Returns `E_POINTER` (writer NULL) or `NS_E_DRM_UNABLE_TO_INITIALIZE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_protect_stream_samples(w: *mut WMWriter, init: *const u8, size: u32) -> HRESULT {
    let _ = (init, size);
    refuse("wm_writer_set_protect_stream_samples", w)
}
