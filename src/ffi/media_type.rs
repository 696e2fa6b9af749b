//! `WM_MEDIA_TYPE` (field for field the SDK struct) and its copy-in / size-query copy-out.

use std::ffi::c_void;

use super::guids::WMGuid;
use crate::error::{ErrorKind, Result};
use crate::profile::MediaType;
use crate::{bail, err};

/// Largest format block accepted by `set_media_type` (bytes).
pub const WM_MAX_FORMAT_SIZE: u32 = 1 << 20;

/// A media type, laid out exactly like the SDK's `WM_MEDIA_TYPE` (88 bytes on 64-bit).
/// `pbFormat` points at `cbFormat` bytes of the SDK's format block (e.g. an 18-byte
/// WAVEFORMATEX + `cbSize` extra bytes, or an 88-byte WMVIDEOINFOHEADER).
#[repr(C)]
#[derive(Debug)]
pub struct WM_MEDIA_TYPE {
    /// Major type (`WMMEDIATYPE_*`).
    pub majortype: WMGuid,
    /// Subtype (`WMMEDIASUBTYPE_*`).
    pub subtype: WMGuid,
    /// Samples have a fixed size (BOOL).
    pub bFixedSizeSamples: i32,
    /// Temporal compression (BOOL).
    pub bTemporalCompression: i32,
    /// Sample size when fixed.
    pub lSampleSize: u32,
    /// Format type (`WMFORMAT_*`).
    pub formattype: WMGuid,
    /// Unused; NULL.
    pub pUnk: *mut c_void,
    /// Bytes at `pbFormat`.
    pub cbFormat: u32,
    /// The format block.
    pub pbFormat: *mut u8,
}

/// Deep-copy a caller's media type.
///
/// # Safety
/// `mt` is NULL or a valid `WM_MEDIA_TYPE` whose `pbFormat` holds `cbFormat` bytes.
pub(crate) unsafe fn read(mt: *const WM_MEDIA_TYPE) -> Result<MediaType> {
    // SAFETY: NULL or valid per the caller.
    let Some(m) = (unsafe { mt.as_ref() }) else { bail!(InvalidArg, "the media type is NULL") };
    if m.cbFormat == 0 {
        bail!(InvalidArg, "the media type's cbFormat is 0; a format block (e.g. WAVEFORMATEX) is required");
    }
    if m.cbFormat > WM_MAX_FORMAT_SIZE {
        bail!(InvalidArg, "the media type's cbFormat {} is larger than {WM_MAX_FORMAT_SIZE}", m.cbFormat);
    }
    if m.pbFormat.is_null() {
        bail!(InvalidArg, "the media type's pbFormat is NULL while cbFormat is {}", m.cbFormat);
    }
    let mut format = Vec::new();
    format.try_reserve_exact(m.cbFormat as usize).map_err(|_| err!(OutOfMemory, "cannot copy a {}-byte format block", m.cbFormat))?;
    // SAFETY: pbFormat is non-NULL and holds cbFormat bytes per the caller.
    format.extend_from_slice(unsafe { std::slice::from_raw_parts(m.pbFormat, m.cbFormat as usize) });
    Ok(MediaType {
        major_type: m.majortype.guid(),
        subtype: m.subtype.guid(),
        fixed_size_samples: m.bFixedSizeSamples != 0,
        temporal_compression: m.bTemporalCompression != 0,
        sample_size: m.lSampleSize,
        format_type: m.formattype.guid(),
        format,
    })
}

/// The size-query copy-out: `size` NULL → `E_INVALIDARG`; `out` NULL → `*size` = bytes
/// needed; `*size` too small → `ASF_E_BUFFERTOOSMALL` with `*size` = bytes needed; else
/// the struct is written at `out` with the format block right after it (`pbFormat`
/// points there) and `*size` = bytes used.
///
/// # Safety
/// `out` is NULL or writable for `*size` bytes and aligned for `WM_MEDIA_TYPE`; `size`
/// is NULL or writable.
pub(crate) unsafe fn write(mt: &MediaType, out: *mut WM_MEDIA_TYPE, size: *mut u32) -> Result<()> {
    if size.is_null() {
        bail!(InvalidArg, "the size pointer is NULL");
    }
    let need = std::mem::size_of::<WM_MEDIA_TYPE>() + mt.format.len();
    // SAFETY: `size` is non-NULL and writable per the caller.
    let have = unsafe { *size } as usize;
    // SAFETY: as above.
    unsafe { *size = need as u32 };
    if out.is_null() {
        return Ok(());
    }
    if have < need {
        return Err(crate::error::Error::new(
            ErrorKind::BufferTooSmall,
            format!("the buffer holds {have} bytes; this media type needs {need} (size written back)"),
        ));
    }
    if (out as usize) % std::mem::align_of::<WM_MEDIA_TYPE>() != 0 {
        bail!(InvalidArg, "the media type buffer is not aligned to {} bytes", std::mem::align_of::<WM_MEDIA_TYPE>());
    }
    // SAFETY: `out` is writable for `need` bytes and aligned; the format goes right after the struct.
    unsafe {
        let fmt = out.cast::<u8>().add(std::mem::size_of::<WM_MEDIA_TYPE>());
        std::ptr::copy_nonoverlapping(mt.format.as_ptr(), fmt, mt.format.len());
        out.write(WM_MEDIA_TYPE {
            majortype: WMGuid::of(mt.major_type),
            subtype: WMGuid::of(mt.subtype),
            bFixedSizeSamples: mt.fixed_size_samples as i32,
            bTemporalCompression: mt.temporal_compression as i32,
            lSampleSize: mt.sample_size,
            formattype: WMGuid::of(mt.format_type),
            pUnk: std::ptr::null_mut(),
            cbFormat: mt.format.len() as u32,
            pbFormat: fmt,
        });
    }
    Ok(())
}
