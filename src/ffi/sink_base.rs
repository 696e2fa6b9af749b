//! `IWMWriterSink`'s own methods on every sink handle (file, callback, network):
//! `IsRealTime` and `AllocateDataUnit`. (`OnHeader` / `OnDataUnit` / `OnEndWriting` are
//! the callbacks of `wm_create_writer_callback_sink`.)

use std::sync::Arc;

use super::boundary::call;
use super::handle::{borrow, into_handle, out};
use super::HRESULT;
use crate::buffer::SampleBuffer;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::sink::WriterSink;

/// Whether the sink is real time (`IWMWriterSink::IsRealTime`): non-zero for a network
/// sink (it serves clients as data arrives; a writer with one reports
/// `wm_writer_is_real_time` non-zero), zero for file and callback sinks.
///
/// On failure `*real_time` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG`
/// (real_time NULL). Thread safety: any thread, also from inside a sink callback.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_is_real_time(sink: *mut WriterSink, real_time: *mut i32) -> HRESULT {
    call("wm_writer_sink_is_real_time", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(real_time, "real-time flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.is_real_time() as i32;
        Ok(())
    })
}

/// A buffer for a data unit of `size` bytes (`IWMWriterSink::AllocateDataUnit`): a new
/// buffer whose maximum length is `size` and whose length is 0, for the caller to fill
/// (the writer here hands its packets to sinks itself, so this serves code that builds
/// data units for a sink of its own).
///
/// Ownership: `*out_buffer` holds one reference; release it with `wm_buffer_release`.
/// On failure `*out_buffer` is NULL. Returns `S_OK`, `E_POINTER` (sink or out NULL),
/// `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_allocate_data_unit(
    sink: *mut WriterSink,
    size: u32,
    out_buffer: *mut *mut SampleBuffer,
) -> HRESULT {
    call("wm_writer_sink_allocate_data_unit", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_buffer, "buffer", Pointer)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? };
        *o = into_handle(Arc::new(SampleBuffer::new(size)?));
        Ok(())
    })
}
