//! `WMBuffer` (`INSSBuffer`): a sample buffer. NULL arguments return `E_POINTER`, as
//! the INSSBuffer pages document.

use std::sync::Arc;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, clear, input, into_handle, out, release};
use super::strings::write_bytes;
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

/// Attach a sample property (`INSSBuffer3::SetProperty`): the value of a data-unit
/// extension the stream declares (e.g. `WM_SampleExtensionGUID_Timecode`), replacing
/// an earlier value with the same ID. The writer puts it in every payload of the
/// sample; a value larger than the declared size fails at `wm_writer_write_sample`
/// with `NS_E_DATA_UNIT_EXTENSION_TOO_LARGE`.
///
/// Returns `S_OK`, `E_POINTER` (buffer or ID NULL, or value NULL with a size),
/// `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_set_property(buffer: *mut SampleBuffer, id: *const WMGuid, value: *const u8, size: u32) -> HRESULT {
    call("wm_buffer_set_property", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { borrow(buffer, "buffer")? };
        // SAFETY: NULL or readable.
        let g = unsafe { input(id, "the property ID", Pointer)? }.guid();
        if value.is_null() && size > 0 {
            crate::bail!(Pointer, "the value is NULL while its size is {size}");
        }
        // SAFETY: readable for `size` bytes per the caller.
        let v = if size == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(value, size as usize) } };
        b.set_property(g, v)
    })
}

/// A sample property's value with the size-query protocol (`INSSBuffer3::GetProperty`):
/// `value` NULL → `*size` = bytes needed.
///
/// Returns `S_OK`, `E_POINTER` (buffer, ID or size NULL), `NS_E_UNSUPPORTED_PROPERTY`
/// (not set), `ASF_E_BUFFERTOOSMALL` (`*size` written back).
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_property(buffer: *mut SampleBuffer, id: *const WMGuid, value: *mut u8, size: *mut u32) -> HRESULT {
    call("wm_buffer_get_property", || {
        if size.is_null() {
            crate::bail!(Pointer, "the size pointer is NULL");
        }
        // SAFETY: NULL or a live handle.
        let b = unsafe { borrow(buffer, "buffer")? };
        // SAFETY: NULL or readable.
        let g = unsafe { input(id, "the property ID", Pointer)? }.guid();
        let v = b.property(&g).ok_or_else(|| crate::err!(UnsupportedProperty, "the buffer has no property {{{g}}}"))?;
        // SAFETY: NULL or writable for `*size` bytes.
        unsafe { write_bytes(&v, value, size, "property value") }
    })
}

/// Store a block of sample properties with the buffer (`INSSBuffer2::SetSampleProperties`),
/// replacing any earlier block; `size` 0 clears it. The SDK documents these two methods
/// as not implemented: here the block travels with the buffer and comes back from
/// `wm_buffer_get_sample_properties`; the ASF file has no place for it (per-sample data
/// that must reach the file goes in `wm_buffer_set_property`'s data-unit extensions).
///
/// Returns `S_OK`, `E_POINTER` (buffer NULL, or properties NULL with a size),
/// `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_set_sample_properties(buffer: *mut SampleBuffer, size: u32, properties: *const u8) -> HRESULT {
    call("wm_buffer_set_sample_properties", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { borrow(buffer, "buffer")? };
        if properties.is_null() && size > 0 {
            crate::bail!(Pointer, "the properties pointer is NULL while the size is {size}");
        }
        // SAFETY: readable for `size` bytes per the caller.
        let v = if size == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(properties, size as usize) } };
        b.set_sample_properties(v)
    })
}

/// Copy the buffer's sample-properties block (`INSSBuffer2::GetSampleProperties`) into
/// `properties`, which has room for `size` bytes; bytes past the block are left alone.
///
/// Returns `S_OK`, `E_POINTER` (buffer NULL, or properties NULL with a size),
/// `ASF_E_BUFFERTOOSMALL` (the block is longer than `size`; nothing is copied).
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_sample_properties(buffer: *mut SampleBuffer, size: u32, properties: *mut u8) -> HRESULT {
    call("wm_buffer_get_sample_properties", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { borrow(buffer, "buffer")? };
        if properties.is_null() && size > 0 {
            crate::bail!(Pointer, "the properties pointer is NULL while the size is {size}");
        }
        let v = b.sample_properties();
        if v.len() > size as usize {
            crate::bail!(BufferTooSmall, "the sample properties are {} bytes; the buffer given has {size}", v.len());
        }
        if !v.is_empty() {
            // SAFETY: writable for `size` ≥ v.len() bytes per the caller.
            unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), properties, v.len()) };
        }
        Ok(())
    })
}

/// How many properties the buffer carries (`INSSBuffer4::GetPropertyCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_property_count(buffer: *mut SampleBuffer, count: *mut u32) -> HRESULT {
    call("wm_buffer_get_property_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", Pointer)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(buffer, "buffer")? }.properties().len() as u32;
        Ok(())
    })
}

/// Property `index` in the order they were first set (`INSSBuffer4::GetPropertyByIndex`):
/// its ID and value (size-query protocol).
///
/// On failure `*id` is all zero. Returns `S_OK`, `E_POINTER` (buffer, ID or size NULL),
/// `E_INVALIDARG` (index out of range), `ASF_E_BUFFERTOOSMALL`.
#[no_mangle]
pub unsafe extern "C" fn wm_buffer_get_property_by_index(
    buffer: *mut SampleBuffer,
    index: u32,
    id: *mut WMGuid,
    value: *mut u8,
    size: *mut u32,
) -> HRESULT {
    call("wm_buffer_get_property_by_index", || {
        // SAFETY: NULL or writable.
        let g = unsafe { out(id, "ID", Pointer)? };
        *g = WMGuid::default();
        if size.is_null() {
            crate::bail!(Pointer, "the size pointer is NULL");
        }
        // SAFETY: NULL or a live handle.
        let props = unsafe { borrow(buffer, "buffer")? }.properties();
        let n = props.len();
        let (pid, v) = props
            .into_iter()
            .nth(index as usize)
            .ok_or_else(|| crate::err!(InvalidArg, "the buffer has {n} properties; index {index} is out of range"))?;
        // SAFETY: NULL or writable for `*size` bytes.
        unsafe { write_bytes(&v, value, size, "property value")? };
        *g = WMGuid::of(pid);
        Ok(())
    })
}
