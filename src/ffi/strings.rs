//! UTF-8 strings across the ABI: reading `const char *` and the SDK's size-query
//! protocol for returning strings.

use std::ffi::{c_char, CStr};

use crate::error::{ErrorKind, Result};
use crate::{bail, err};

/// Read a NUL-terminated UTF-8 string; NULL or invalid UTF-8 → `E_INVALIDARG`.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub(crate) unsafe fn read_str<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        bail!(InvalidArg, "{name} is NULL");
    }
    // SAFETY: non-NULL and NUL-terminated per the caller.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|e| err!(InvalidArg, "{name} is not valid UTF-8 (at byte {})", e.valid_up_to()))
}

/// The size-query protocol: `len` NULL → `E_INVALIDARG`; `buf` NULL → `*len` = bytes
/// needed (incl. NUL), S_OK; `*len` too small → `ASF_E_BUFFERTOOSMALL` with `*len` =
/// bytes needed; else the string is copied and `*len` = bytes written incl. NUL.
///
/// # Safety
/// `buf` is NULL or writable for `*len` bytes; `len` is NULL or writable.
pub(crate) unsafe fn write_str<L: Copy + TryFrom<usize> + Into<u64>>(s: &str, buf: *mut c_char, len: *mut L, name: &str) -> Result<()> {
    if len.is_null() {
        bail!(InvalidArg, "the {name} length pointer is NULL");
    }
    let need = s.len() + 1;
    let need_l: L = L::try_from(need).map_err(|_| err!(InvalidArg, "the {name} is too long for the length type"))?;
    // SAFETY: `len` is non-NULL and writable per the caller.
    let have = unsafe { *len }.into();
    // SAFETY: as above.
    unsafe { *len = need_l };
    if buf.is_null() {
        return Ok(());
    }
    if have < need as u64 {
        return Err(crate::error::Error::new(
            ErrorKind::BufferTooSmall,
            format!("the buffer holds {have} bytes; the {name} needs {need} (length written back)"),
        ));
    }
    // SAFETY: `buf` is writable for `have` ≥ `need` bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), buf.cast::<u8>(), s.len());
        *buf.add(s.len()) = 0;
    }
    Ok(())
}

/// The size-query protocol for bytes: `len` NULL → `E_INVALIDARG`; `buf` NULL →
/// `*len` = bytes needed, S_OK; `*len` too small → `ASF_E_BUFFERTOOSMALL` with `*len` =
/// bytes needed; else copied and `*len` = bytes written.
///
/// # Safety
/// `buf` is NULL or writable for `*len` bytes; `len` is NULL or writable.
pub(crate) unsafe fn write_bytes<L: Copy + TryFrom<usize> + Into<u64>>(bytes: &[u8], buf: *mut u8, len: *mut L, name: &str) -> Result<()> {
    if len.is_null() {
        bail!(InvalidArg, "the {name} length pointer is NULL");
    }
    let Ok(need) = L::try_from(bytes.len()) else {
        // SAFETY: `len` is non-NULL and writable per the caller.
        unsafe { *len = L::try_from(0).map_err(|_| err!(Unexpected, "length type"))? };
        bail!(BufferTooSmall, "the {name} is {} bytes, more than this function's length type can express (length set to 0); use the _ex function with a 32-bit length", bytes.len());
    };
    // SAFETY: `len` is non-NULL and writable per the caller.
    let have = unsafe { *len }.into();
    // SAFETY: as above.
    unsafe { *len = need };
    if buf.is_null() {
        return Ok(());
    }
    if have < bytes.len() as u64 {
        return Err(crate::error::Error::new(
            ErrorKind::BufferTooSmall,
            format!("the buffer holds {have} bytes; the {name} needs {} (length written back)", bytes.len()),
        ));
    }
    // SAFETY: `buf` is writable for `have` ≥ `bytes.len()` bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len()) };
    Ok(())
}
