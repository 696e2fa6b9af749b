//! `WMWriterSink` as a push sink: `IWMWriterPushSink`. The live stream is pushed to a
//! publishing point on a Windows Media server over HTTP POST (MS-WMHTTP): `connect`
//! sets the push up, every writing session of a writer the sink is attached to
//! (`wm_writer_add_sink`) is one PushStart stream. See `src/sink/push.rs` for the
//! protocol facts and the decisions where the SDK is silent.

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::call;
use super::handle::{borrow, into_handle, out};
use super::strings::read_str;
use super::HRESULT;
use crate::error::ErrorKind::Pointer;
use crate::error::Result;
use crate::sink::push::PushSink;
use crate::sink::WriterSink;

/// The push sink behind a sink handle.
///
/// # Safety
/// `sink` is NULL or a live handle.
unsafe fn push(sink: *mut WriterSink) -> Result<PushSink> {
    // SAFETY: NULL or a live handle, per the caller.
    let s = unsafe { borrow(sink, "sink")? };
    s.as_push().ok_or_else(|| crate::err!(InvalidArg, "the sink is not a push sink (make one with wm_create_writer_push_sink)"))
}

/// Create a push sink (`WMCreateWriterPushSink`), not connected. Connect it with
/// `wm_writer_push_sink_connect`, attach it with `wm_writer_add_sink`. It is a real-time
/// sink (`wm_writer_sink_is_real_time` gives 1).
///
/// Ownership: `*out_sink` transfer full. On failure `*out_sink` is NULL. Returns `S_OK`,
/// `E_POINTER` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_create_writer_push_sink(out_sink: *mut *mut WriterSink) -> HRESULT {
    call("wm_create_writer_push_sink", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sink, "sink", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(WriterSink::push(PushSink::new())));
        Ok(())
    })
}

/// Connect to the publishing point `url` (`IWMWriterPushSink::Connect`):
/// `http://server[:port]/point`, port 80 by default. `template_url` (may be NULL) names
/// an existing publishing point the server copies the settings of when it creates
/// `point`; `auto_destroy` non-zero asks the server to remove the point when the push
/// ends. Blocks until the server answers (at most 10 s).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (url NULL or not UTF-8, not a
/// push sink), `NS_E_INVALID_NAME` (not an http:// URL with a server and a publishing
/// point, a bad port, a name that does not resolve), `NS_E_INVALID_REQUEST` (a stream
/// is being pushed), `E_FAIL` (the server cannot be reached, refuses, asks for
/// authentication, or is not a Windows Media server; the message says which).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_push_sink_connect(
    sink: *mut WriterSink,
    url: *const c_char,
    template_url: *const c_char,
    auto_destroy: i32,
) -> HRESULT {
    call("wm_writer_push_sink_connect", || {
        // SAFETY: NULL or a live handle.
        let p = unsafe { push(sink)? };
        // SAFETY: NULL or NUL-terminated.
        let u = unsafe { read_str(url, "the URL")? };
        let t = if template_url.is_null() {
            None
        } else {
            // SAFETY: non-NULL and NUL-terminated per the caller.
            Some(unsafe { read_str(template_url, "the template URL")? })
        };
        p.connect(u, t, auto_destroy != 0)
    })
}

/// Close the connection to the server (`IWMWriterPushSink::Disconnect`); a stream
/// still being pushed is cut off. Connect again before the next session.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (not a push sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_push_sink_disconnect(sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_push_sink_disconnect", || {
        // SAFETY: NULL or a live handle.
        unsafe { push(sink)? }.disconnect();
        Ok(())
    })
}

/// End the push session (`IWMWriterPushSink::EndSession`): a stream still being pushed
/// ends now with the end-of-stream chunk and the server's reply; the connection stays
/// (`wm_writer_end_writing` ends each stream the same way by itself).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (not a push sink), `E_FAIL`
/// (the server reported an error or the connection broke).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_push_sink_end_session(sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_push_sink_end_session", || {
        // SAFETY: NULL or a live handle.
        unsafe { push(sink)? }.end_session()
    })
}
