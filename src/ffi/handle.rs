//! The only file that turns `Arc<T>` into a raw handle and back, and that dereferences
//! caller pointers.

use std::sync::Arc;

use crate::err;
use crate::error::{ErrorKind, Result};

/// Hand `obj` to C: one reference, owned by the caller (transfer full).
pub(crate) fn into_handle<T>(obj: Arc<T>) -> *mut T {
    Arc::into_raw(obj).cast_mut()
}

/// Borrow the object behind a handle; NULL → `E_POINTER`.
///
/// # Safety
/// `p` is NULL or a live handle from [`into_handle`].
pub(crate) unsafe fn borrow<'a, T>(p: *const T, what: &str) -> Result<&'a T> {
    // SAFETY: the caller promises `p` is NULL or a live handle (an Arc's data pointer).
    unsafe { p.as_ref() }.ok_or_else(|| err!(Pointer, "the {what} handle is NULL"))
}

/// A new owned `Arc` for a handle (the callee keeps its own reference).
///
/// # Safety
/// `p` is NULL or a live handle from [`into_handle`].
pub(crate) unsafe fn clone_arc<T>(p: *const T, what: &str, null_kind: ErrorKind) -> Result<Arc<T>> {
    if p.is_null() {
        return Err(crate::error::Error::new(null_kind, format!("the {what} is NULL")));
    }
    // SAFETY: `p` came from Arc::into_raw and the caller holds a reference, so the count is ≥ 1.
    unsafe {
        Arc::increment_strong_count(p);
        Ok(Arc::from_raw(p))
    }
}

/// `AddRef`: the new count; NULL → 0.
///
/// # Safety
/// `p` is NULL or a live handle.
pub(crate) unsafe fn add_ref<T>(p: *const T) -> u32 {
    if p.is_null() {
        return 0;
    }
    // SAFETY: live handle, count ≥ 1; we add one and read the count without dropping.
    unsafe {
        Arc::increment_strong_count(p);
        let a = std::mem::ManuallyDrop::new(Arc::from_raw(p));
        Arc::strong_count(&a) as u32
    }
}

/// `Release`: the new count; frees the object at 0; NULL → 0.
///
/// # Safety
/// `p` is NULL or a live handle the caller owns one reference of.
pub(crate) unsafe fn release<T>(p: *const T) -> u32 {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the caller gives up one reference it owns.
    let a = unsafe { Arc::from_raw(p) };
    let n = Arc::strong_count(&a) as u32 - 1;
    drop(a);
    n
}

/// Check an out-pointer: NULL → an error of `kind`; otherwise the place to write.
///
/// # Safety
/// `p` is NULL or valid for writes of `T`.
pub(crate) unsafe fn out<'a, T>(p: *mut T, name: &str, kind: ErrorKind) -> Result<&'a mut T> {
    // SAFETY: the caller promises `p` is NULL or writable.
    unsafe { p.as_mut() }.ok_or_else(|| crate::error::Error::new(kind, format!("the {name} out-pointer is NULL")))
}

/// Check an in-pointer: NULL → an error of `kind`.
///
/// # Safety
/// `p` is NULL or valid for reads of `T`.
pub(crate) unsafe fn input<'a, T>(p: *const T, name: &str, kind: ErrorKind) -> Result<&'a T> {
    // SAFETY: the caller promises `p` is NULL or readable.
    unsafe { p.as_ref() }.ok_or_else(|| crate::error::Error::new(kind, format!("{name} is NULL")))
}

/// Write `v` to `p` if it is not NULL (used to null out-params first).
///
/// # Safety
/// `p` is NULL or valid for writes of `T`.
pub(crate) unsafe fn clear<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: non-NULL and writable per the caller.
        unsafe { p.write(v) };
    }
}
