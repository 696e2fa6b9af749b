//! `IWMRegisterCallback` on the writer and on every sink: `Advise` / `Unadvise` of a
//! C status callback (`WMStatusCallback`, the form of `IWMStatusCallback::OnStatus`).
//!
//! What is reported (the SDK's `WMT_STATUS` values; no value unless said):
//! - the writer: `WMT_STARTED` after `wm_writer_begin_writing` succeeded, `WMT_CLOSED`
//!   after `wm_writer_end_writing` (`hr` = its result), `WMT_ERROR` with
//!   `NS_E_FILE_WRITE` when writing a sample failed on the output. As the SDK documents,
//!   the writer does not forward its sinks' statuses: advise each sink.
//! - a sink: `WMT_STARTED` when it received the header of a session, `WMT_CLOSED` when
//!   it received the end, `WMT_ERROR` when handing it data failed (`NS_E_FILE_WRITE` for
//!   a file sink, `E_FAIL` for others); a network sink also `WMT_CLIENT_CONNECT` /
//!   `WMT_CLIENT_DISCONNECT` with a `WMT_TYPE_BINARY` `WM_CLIENT_PROPERTIES`.
//!
//! Threads: writer and sink session statuses are called on the thread of the writer
//! call that caused them, after the writer's lock is released (a callback may call the
//! writer); network client statuses on the sink's server threads. Callbacks of one
//! object are called in the order they were advised; the context must stay valid until
//! unadvised.

use std::ffi::c_void;
use std::sync::Arc;

use super::boundary::call;
use super::handle::borrow;
use super::header_info::{WMT_TYPE_BINARY, WMT_TYPE_DWORD};
use super::hresult::{E_FAIL, NS_E_FILE_WRITE, S_OK};
use super::network_sink::WM_CLIENT_PROPERTIES;
use super::status::{StatusRegistry, WMStatusCallback, WMT_CLIENT_CONNECT, WMT_CLIENT_DISCONNECT, WMT_CLOSED, WMT_ERROR, WMT_STARTED};
use super::writer::WMWriter;
use super::HRESULT;
use crate::sink::network::ClientEventKind;
use crate::sink::{SinkStatus, WriterSink};

/// Advise `callback` with `context` on the writer (`IWMRegisterCallback::Advise`).
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (callback NULL, or this
/// pair is advised already). Thread safety: any thread, also from a callback.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_advise(w: *mut WMWriter, callback: WMStatusCallback, context: *mut c_void) -> HRESULT {
    call("wm_writer_advise", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(w, "writer")? }.status.advise(callback, context)
    })
}

/// Stop calling `callback` with `context` (`IWMRegisterCallback::Unadvise`).
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (callback NULL, or the pair
/// is not advised).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_unadvise(w: *mut WMWriter, callback: WMStatusCallback, context: *mut c_void) -> HRESULT {
    call("wm_writer_unadvise", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(w, "writer")? }.status.unadvise(callback, context)
    })
}

/// The sink's list of advised callbacks (kept with the sink, freed with it).
fn registry(s: &WriterSink) -> Option<Arc<StatusRegistry>> {
    s.status_data().and_then(|d| d.downcast::<StatusRegistry>().ok())
}

fn sink_status(reg: &StatusRegistry, file: bool, s: &SinkStatus) {
    match s {
        SinkStatus::Started => reg.notify(WMT_STARTED, S_OK, WMT_TYPE_DWORD, &[]),
        SinkStatus::Closed => reg.notify(WMT_CLOSED, S_OK, WMT_TYPE_DWORD, &[]),
        SinkStatus::Error(_) => reg.notify(WMT_ERROR, if file { NS_E_FILE_WRITE } else { E_FAIL }, WMT_TYPE_DWORD, &[]),
        SinkStatus::Client(e) => {
            let p = WM_CLIENT_PROPERTIES { dwIPAddress: e.client.ipv4(), dwPort: e.client.address.port() as u32 };
            let mut b = [0u8; 8];
            b[..4].copy_from_slice(&p.dwIPAddress.to_ne_bytes());
            b[4..].copy_from_slice(&p.dwPort.to_ne_bytes());
            let status = match e.kind {
                ClientEventKind::Connected => WMT_CLIENT_CONNECT,
                ClientEventKind::Disconnected(_) => WMT_CLIENT_DISCONNECT,
            };
            reg.notify(status, S_OK, WMT_TYPE_BINARY, &b);
        }
    }
}

/// Advise `callback` with `context` on a sink (file, callback, network or push sink;
/// `IWMRegisterCallback::Advise` on the sink object).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (callback NULL, or this pair
/// is advised already). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_advise(sink: *mut WriterSink, callback: WMStatusCallback, context: *mut c_void) -> HRESULT {
    call("wm_writer_sink_advise", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { borrow(sink, "sink")? };
        let reg = match registry(s) {
            Some(r) => r,
            None => {
                let r = Arc::new(StatusRegistry::default());
                s.set_status_data(Some(r.clone()));
                r
            }
        };
        reg.advise(callback, context)?;
        let (r, file) = (Arc::clone(&reg), s.is_file());
        s.set_status_hook(Some(Arc::new(move |st: &SinkStatus| sink_status(&r, file, st))));
        Ok(())
    })
}

/// Stop calling `callback` with `context` on a sink (`IWMRegisterCallback::Unadvise`).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (callback NULL, or the pair
/// is not advised).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_unadvise(sink: *mut WriterSink, callback: WMStatusCallback, context: *mut c_void) -> HRESULT {
    call("wm_writer_sink_unadvise", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { borrow(sink, "sink")? };
        let Some(reg) = registry(s) else { crate::bail!(InvalidArg, "this callback is not advised with this context") };
        reg.unadvise(callback, context)?;
        if reg.is_empty() {
            s.set_status_hook(None);
            s.set_status_data(None);
        }
        Ok(())
    })
}
