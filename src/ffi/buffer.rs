//! `WMBuffer` (`INSSBuffer`): a sample buffer. NULL arguments return `E_POINTER`, as
//! the INSSBuffer pages document.

use std::sync::Arc;

use super::boundary::{call, count};
use super::handle::{add_ref, borrow, clear, into_handle, out, release};
use super::HRESULT;
use crate::buffer::SampleBuffer;
use crate::error::ErrorKind::Pointer;

/// Create a stand-alone buffer of `max_length` bytes (length 0). Writers hand out
/// pooled buffers with `wm_writer_allocate_sample`; this one is for callers that make
/// their own.
///
/// Ownership: `*out` is transfer full (release with `wm_buffer_release`).
/// On failure `*out` is NULL. Returns `S_OK`, `E_POINTER` (out NULL), `E_OUTOFMEMORY`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_create_buffer(max_length: u32, out_buffer: *mut *mut SampleBuffer) -> HRESULT {
    call("wm_create_buffer", || {
        // SAFETY: NULL or writable per the C contract.
        let o = unsafe { out(out_buffer, "buffer", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(SampleBuffer::new(max_length)?));
        Ok(())
    })
}

/// Add a reference (`IUnknown::AddRef`). Returns the new count; NULL → 0.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_add_ref(buffer: *mut SampleBuffer) -> u32 {
    // SAFETY: NULL or a live handle per the C contract.
    count(|| unsafe { add_ref(buffer) })
}

/// Drop a reference (`IUnknown::Release`); the buffer is freed (or returns to its
/// writer's pool) at 0. Returns the new count; NULL → 0. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_release(buffer: *mut SampleBuffer) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(buffer) })
}

/// The used length in bytes (`INSSBuffer::GetLength`).
///
/// On failure `*length` is 0. Returns `S_OK`, `E_POINTER` (buffer or length NULL).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_length(buffer: *mut SampleBuffer, length: *mut u32) -> HRESULT {
    call("wm_buffer_get_length", || {
        // SAFETY: NULL or writable/live per the C contract.
        let o = unsafe { out(length, "length", Pointer)? };
        *o = 0;
        // SAFETY: as above.
        *o = unsafe { borrow(buffer, "buffer")? }.length();
        Ok(())
    })
}

/// Set the used length after filling the buffer (`INSSBuffer::SetLength`).
///
/// Returns `S_OK`, `E_POINTER` (buffer NULL), `E_INVALIDARG` (length > max length).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_set_length(buffer: *mut SampleBuffer, length: u32) -> HRESULT {
    // SAFETY: NULL or a live handle per the C contract.
    call("wm_buffer_set_length", || unsafe { borrow(buffer, "buffer")? }.set_length(length))
}

/// The capacity in bytes (`INSSBuffer::GetMaxLength`).
///
/// On failure `*length` is 0. Returns `S_OK`, `E_POINTER`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_max_length(buffer: *mut SampleBuffer, length: *mut u32) -> HRESULT {
    call("wm_buffer_get_max_length", || {
        // SAFETY: NULL or writable/live per the C contract.
        let o = unsafe { out(length, "length", Pointer)? };
        *o = 0;
        // SAFETY: as above.
        *o = unsafe { borrow(buffer, "buffer")? }.max_length();
        Ok(())
    })
}

/// The data pointer (`INSSBuffer::GetBuffer`): `max_length` writable bytes, valid while
/// the buffer lives. Copy the sample here, then `wm_buffer_set_length`.
///
/// Ownership: transfer none. On failure `*data` is NULL. Returns `S_OK`, `E_POINTER`.
/// Thread safety: any thread; do not write to the bytes after passing the buffer to
/// `wm_writer_write_sample`.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_buffer(buffer: *mut SampleBuffer, data: *mut *mut u8) -> HRESULT {
    call("wm_buffer_get_buffer", || {
        // SAFETY: NULL or writable/live per the C contract.
        let o = unsafe { out(data, "data", Pointer)? };
        *o = std::ptr::null_mut();
        // SAFETY: as above.
        *o = unsafe { borrow(buffer, "buffer")? }.data_ptr();
        Ok(())
    })
}

/// The data pointer and used length at once (`INSSBuffer::GetBufferAndLength`).
///
/// On failure `*data` is NULL and `*length` 0. Returns `S_OK`, `E_POINTER` (any NULL).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_buffer_and_length(buffer: *mut SampleBuffer, data: *mut *mut u8, length: *mut u32) -> HRESULT {
    call("wm_buffer_get_buffer_and_length", || {
        // SAFETY: NULL or writable per the C contract.
        unsafe {
            clear(data, std::ptr::null_mut());
            clear(length, 0);
        }
        // SAFETY: as above.
        let d = unsafe { out(data, "data", Pointer)? };
        // SAFETY: as above.
        let l = unsafe { out(length, "length", Pointer)? };
        // SAFETY: NULL or a live handle.
        let b = unsafe { borrow(buffer, "buffer")? };
        *d = b.data_ptr();
        *l = b.length();
        Ok(())
    })
}
