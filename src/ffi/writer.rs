//! `WMWriter` (`IWMWriter`, `IWMWriterAdvanced`). The handle guards the domain writer
//! with a mutex, so every function may be called from any thread.
//!
//! Sinks run outside that mutex. The writer only queues sink events (header, packet
//! runs, end) while locked; `writer_call` then releases the lock and hands them to the
//! sinks. Why not a sink thread with a bounded queue: `write_sample` would have to
//! block on a full queue while holding the writer lock, and a callback calling back
//! into the writer would then deadlock; and the SDK (and this API's docs) run sink
//! callbacks on the calling thread. Ordering across threads: a second mutex admits one
//! deliverer at a time, which drains the queue until it is empty, so events reach the
//! sinks in the order the writer made them and every call returns only after its own
//! events were delivered. A callback that calls a writer function that queues events
//! (re-entrant use) does not deliver them itself: the outer loop does, right after.

use std::cell::RefCell;
use std::ffi::c_char;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, clone_arc, input, into_handle, out, release};
use super::strings::read_str;
use super::HRESULT;
use crate::buffer::SampleBuffer;
use crate::err;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::error::Result;
use crate::profile::{lock, InputMediaProps, Profile};
use crate::writer::Writer;

/// `WM_SF_CLEANPOINT`: the sample is a key frame / clean point.
pub const WM_SF_CLEANPOINT: u32 = 0x1;
/// `WM_SF_DISCONTINUITY`: the first sample after a gap.
pub const WM_SF_DISCONTINUITY: u32 = 0x2;
/// `WM_SF_DATALOSS`: ignored by the writer.
pub const WM_SF_DATALOSS: u32 = 0x4;

/// An opaque writer handle.
#[derive(Debug)]
pub struct WMWriter {
    inner: Mutex<Writer>,
    /// Held by the one thread that hands queued events to the sinks (see the module docs).
    delivery: Mutex<()>,
    /// The post-view callbacks (`wm_writer_set_post_view_callback`).
    post_view: super::post_view::PostViewSlot,
    /// The status callbacks (`wm_writer_advise`).
    pub(crate) status: super::status::StatusRegistry,
}

impl WMWriter {
    fn new() -> Self {
        let mut w = Writer::new();
        w.set_deferred_delivery(true);
        WMWriter { inner: Mutex::new(w), delivery: Mutex::new(()), post_view: Default::default(), status: Default::default() }
    }

    pub(crate) fn post_view(&self) -> &super::post_view::PostViewSlot {
        &self.post_view
    }

    fn lock(&self) -> Result<MutexGuard<'_, Writer>> {
        self.inner.lock().map_err(|_| err!(Unexpected, "the writer is unusable after an internal error in an earlier call"))
    }

    /// Hand every queued event to the sinks, with the writer unlocked.
    fn deliver(&self, what: &str) -> Result<()> {
        let me = self as *const WMWriter as usize;
        if DELIVERING.with(|d| d.borrow().contains(&me)) {
            // Called from inside one of this writer's sink callbacks: the outer loop
            // delivers these events too, right after the callback returns.
            return Ok(());
        }
        let _order = self.delivery.lock().unwrap_or_else(PoisonError::into_inner);
        struct Reset(usize);
        impl Drop for Reset {
            fn drop(&mut self) {
                DELIVERING.with(|d| d.borrow_mut().retain(|w| *w != self.0));
            }
        }
        DELIVERING.with(|d| d.borrow_mut().push(me));
        let _reset = Reset(me);
        let mut result = Ok(());
        loop {
            // Sink events and post-view samples, taken under the lock, delivered without it.
            let (d, post) = {
                let mut g = self.lock()?;
                (g.take_delivery(), g.take_post_view_samples())
            };
            if d.is_none() && post.is_empty() {
                break;
            }
            if let Some(d) = d {
                if let Err(e) = d.run() {
                    let e = self.lock()?.delivery_failed(what, e);
                    if result.is_ok() {
                        result = Err(e);
                    }
                }
            }
            self.post_view.deliver(post);
        }
        result
    }
}

thread_local! {
    /// The writers (by address) this thread is handing events to right now: their sink
    /// callbacks may call them again. Another writer called from a callback delivers
    /// its own events as usual.
    static DELIVERING: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

pub(crate) unsafe fn writer<'a>(w: *mut WMWriter) -> Result<MutexGuard<'a, Writer>> {
    // SAFETY: NULL or a live handle per the C contract.
    let w = unsafe { borrow(w, "writer")? };
    w.lock()
}

/// Run `f` on the locked writer, then (unlocked) hand the sink events it queued to the
/// sinks; a sink failure is this call's error unless `f` failed first.
pub(crate) unsafe fn writer_call<R>(w: *mut WMWriter, what: &str, f: impl FnOnce(&mut Writer) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let h = unsafe { borrow(w, "writer")? };
    let r = f(&mut *h.lock()?);
    let d = h.deliver(what);
    // Status callbacks (`wm_writer_advise`), with the writer unlocked: a session
    // started, ended, or output failed.
    if !h.status.is_empty() {
        use super::status::{WMT_CLOSED, WMT_ERROR, WMT_STARTED};
        let failure = r.as_ref().err().or(d.as_ref().err()).map(|e| super::hresult::hresult_of(e.kind));
        let t = super::header_info::WMT_TYPE_DWORD;
        match (what, failure) {
            ("begin_writing", None) => h.status.notify(WMT_STARTED, super::hresult::S_OK, t, &[]),
            ("end_writing", hr) => h.status.notify(WMT_CLOSED, hr.unwrap_or(super::hresult::S_OK), t, &[]),
            (_, Some(hr)) if hr == super::hresult::NS_E_FILE_WRITE => h.status.notify(WMT_ERROR, hr, t, &[]),
            _ => {}
        }
    }
    let v = r?;
    d?;
    Ok(v)
}

/// Create a writer (`WMCreateWriter`).
///
/// Ownership: `*out` transfer full (release with `wm_writer_release`). On failure
/// `*out` is NULL. Returns `S_OK`, `E_POINTER` (out NULL), `E_OUTOFMEMORY`.
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_create_writer(out_writer: *mut *mut WMWriter) -> HRESULT {
    call("wm_create_writer", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_writer, "writer", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(WMWriter::new()));
        Ok(())
    })
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_ref(w: *mut WMWriter) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(w) })
}

/// Drop a reference; returns the new count (NULL → 0). At 0 the writer is freed; a
/// session still open is ended first so the file is complete.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_release(w: *mut WMWriter) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(w) })
}

impl Drop for WMWriter {
    fn drop(&mut self) {
        if let Ok(w) = self.inner.get_mut() {
            if w.state() == crate::writer::State::Writing {
                let _ = w.end_writing();
            }
            while let Some(d) = w.take_delivery() {
                if let Err(e) = d.run() {
                    let _ = w.delivery_failed("wm_writer_release", e);
                }
            }
        }
    }
}

/// Use this profile (`IWMWriter::SetProfile`). The writer validates it and keeps a
/// snapshot (later edits need another call); one input is made per connection name.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (profile NULL),
/// `NS_E_INVALID_REQUEST` (while writing), `NS_E_INVALIDPROFILE` (no streams, bit rate
/// 0, more than one script stream), `ASF_E_STREAMNUMBERINUSE`, `NS_E_INVALID_STREAM`
/// (a stream's number, buffer window or format is invalid).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_profile(w: *mut WMWriter, profile: *mut Profile) -> HRESULT {
    call("wm_writer_set_profile", || {
        // SAFETY: NULL or a live handle.
        let p = unsafe { input(profile, "the profile", InvalidArg)? };
        let data = lock(&p.data).clone();
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_profile(&data)
    })
}

/// Use a system profile by ID (`IWMWriter::SetProfileByID`): the profile
/// `wm_profile_manager_load_profile_by_id` gives for that GUID (any version), as
/// `wm_writer_set_profile` would take it.
///
/// Returns `S_OK`, `E_INVALIDARG` (ID NULL or no system profile has it), `E_POINTER`
/// (writer NULL), `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_profile_by_id(w: *mut WMWriter, id: *const WMGuid) -> HRESULT {
    call("wm_writer_set_profile_by_id", || {
        // SAFETY: NULL or readable.
        let g = unsafe { input(id, "the profile ID", InvalidArg)? }.guid();
        // SAFETY: see `writer`.
        let mut wr = unsafe { writer(w)? };
        match crate::profile::system::by_id(&g) {
            Ok(data) => wr.set_profile(&data),
            // While writing, the writer's NS_E_INVALID_REQUEST comes first.
            Err(e) => match wr.set_profile_by_id(&g) {
                Err(s) if s.kind == crate::error::ErrorKind::InvalidRequest => Err(s),
                _ => Err(e),
            },
        }
    })
}

/// Write to this file (UTF-8 path) (`IWMWriter::SetOutputFilename`). The file is
/// created at `wm_writer_begin_writing`. After `wm_writer_end_writing` a new name may be
/// set and the writer run again.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (name NULL, empty or not
/// UTF-8), `NS_E_INVALID_REQUEST` (while writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_output_filename(w: *mut WMWriter, filename: *const c_char) -> HRESULT {
    call("wm_writer_set_output_filename", || {
        // SAFETY: NULL or NUL-terminated.
        let name = unsafe { read_str(filename, "the file name")? };
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_output_filename(name)
    })
}

/// The number of inputs (`IWMWriter::GetInputCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (count NULL),
/// `NS_E_NOT_CONFIGURED` (no profile).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_input_count(w: *mut WMWriter, count_out: *mut u32) -> HRESULT {
    call("wm_writer_get_input_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.input_count()?;
        Ok(())
    })
}

/// A copy of input `input`'s current format (`IWMWriter::GetInputProps`); edit it and
/// pass it to `wm_writer_set_input_props`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER`, `E_INVALIDARG` (out NULL, no such input), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_input_props(w: *mut WMWriter, input_number: u32, out_props: *mut *mut InputMediaProps) -> HRESULT {
    call("wm_writer_get_input_props", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_props, "input props", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `writer`.
        let d = unsafe { writer(w)? }.input_props(input_number)?;
        *o = into_handle(Arc::new(InputMediaProps::new(d)));
        Ok(())
    })
}

/// Set the format the caller will deliver on `input` (`IWMWriter::SetInputProps`); it
/// must be one of the input's formats (`wm_writer_get_input_format`), or, for a video
/// input of encoded streams, any raw video the writer converts (I420, IYUV, YV12, NV12,
/// YUY2, UYVY, RGB24/32/555/565) at any size up to 8192x8192: it is scaled to each
/// stream's size. NULL selects
/// compressed passthrough: samples then come through `wm_writer_write_stream_sample`
/// (before `wm_writer_begin_writing` only).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such input), `NS_E_NOT_CONFIGURED`,
/// `NS_E_INVALID_INPUT_FORMAT`, `NS_E_INVALID_REQUEST` (NULL while writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_input_props(w: *mut WMWriter, input_number: u32, props: *mut InputMediaProps) -> HRESULT {
    call("wm_writer_set_input_props", || {
        // SAFETY: NULL or a live handle.
        let mt = unsafe { props.as_ref() }.map(|p| lock(&p.data).media_type.clone());
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_input_props(input_number, mt.as_ref())
    })
}

/// How many formats input `input` accepts (`IWMWriter::GetInputFormatCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (NULL, no such
/// input), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_input_format_count(w: *mut WMWriter, input_number: u32, count_out: *mut u32) -> HRESULT {
    call("wm_writer_get_input_format_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.input_format_count(input_number)?;
        Ok(())
    })
}

/// One format input `input` accepts (`IWMWriter::GetInputFormat`), a new object.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER`, `E_INVALIDARG` (out NULL, input or format out of range), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_input_format(
    w: *mut WMWriter,
    input_number: u32,
    format_number: u32,
    out_props: *mut *mut InputMediaProps,
) -> HRESULT {
    call("wm_writer_get_input_format", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_props, "input props", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `writer`.
        let d = unsafe { writer(w)? }.input_format(input_number, format_number)?;
        *o = into_handle(Arc::new(InputMediaProps::new(d)));
        Ok(())
    })
}

/// Start writing (`IWMWriter::BeginWriting`): checks the profile, opens the encoders,
/// then creates the files and writes the header. Files are created (or an existing
/// file truncated) only after everything else was checked; if a sink then fails, the
/// files this call created are removed again (a file that existed before is never
/// removed).
///
/// Returns `S_OK`, `E_POINTER`, `NS_E_NOT_CONFIGURED` (no profile, no output, a file
/// sink without a file name), `NS_E_INVALID_REQUEST` (already writing),
/// `NS_E_MAX_PACKET_SIZE_TOO_SMALL` (the profile's packet size cannot hold a payload of
/// some stream, e.g. with its data-unit extensions; the message names the sizes),
/// `NS_E_FILE_OPEN_FAILED`, `NS_E_FILE_WRITE`,
/// `NS_E_AUDIO_CODEC_NOT_INSTALLED` / `NS_E_VIDEO_CODEC_NOT_INSTALLED` (a compressed
/// stream whose input is not in passthrough mode and no encoder is available).
/// Thread safety: any thread; sinks are called after the writer's lock is released.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_begin_writing(w: *mut WMWriter) -> HRESULT {
    // SAFETY: see `writer`.
    call("wm_writer_begin_writing", || unsafe { writer_call(w, "begin_writing", |w| w.begin_writing()) })
}

/// A new sample buffer of `size` bytes, from the writer's pool (`IWMWriter::AllocateSample`).
/// Fill it (`wm_buffer_get_buffer`, `wm_buffer_set_length`), write it, release it.
/// Use a new buffer for every sample.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (writer NULL), `E_INVALIDARG` (out NULL), `NS_E_INVALID_REQUEST` (not
/// writing), `E_OUTOFMEMORY`, `NS_E_FILE_WRITE` (the output failed earlier in this
/// session; call `wm_writer_end_writing`).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_allocate_sample(w: *mut WMWriter, size: u32, out_buffer: *mut *mut SampleBuffer) -> HRESULT {
    call("wm_writer_allocate_sample", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_buffer, "buffer", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `writer`.
        *o = into_handle(unsafe { writer(w)? }.allocate_sample(size)?);
        Ok(())
    })
}

/// Write one uncompressed sample to input `input` at `sample_time` (100 ns)
/// (`IWMWriter::WriteSample`). The writer takes its own reference to `sample` until its
/// bytes are in the output, so the caller may release it as soon as this returns (and
/// must not write to it again). `flags`: `WM_SF_CLEANPOINT` (key frame),
/// `WM_SF_DISCONTINUITY`, `WM_SF_DATALOSS` (ignored).
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (sample NULL, no such
/// input, time earlier than the input's previous sample, buffer still queued from an
/// earlier write), `NS_E_INVALID_REQUEST` (not writing; passthrough input),
/// `NS_E_INVALID_NUM_PASSES` (the input is set to a preprocessing pass that this session
/// has not run; see `wm_writer_set_num_preprocessing_passes`),
/// `NS_E_INVALID_DATA` (empty sample, not whole PCM blocks, wrong frame size),
/// `NS_E_LATE_OPERATION` (more than the sync tolerance behind what is written),
/// `NS_E_FILE_WRITE` (output failed; the session is over).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_write_sample(
    w: *mut WMWriter,
    input_number: u32,
    sample_time: u64,
    flags: u32,
    sample: *mut SampleBuffer,
) -> HRESULT {
    call("wm_writer_write_sample", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { clone_arc(sample, "sample", InvalidArg)? };
        // SAFETY: see `writer`.
        unsafe { writer_call(w, "write_sample", |w| w.write_sample(input_number, sample_time, flags, &b)) }
    })
}

/// Write one already-compressed sample to stream `stream_number`
/// (`IWMWriterAdvanced::WriteStreamSample`); the stream's input must have been set to
/// passthrough with `wm_writer_set_input_props(w, n, NULL)`. `sample_duration` (100 ns)
/// is used for the file's duration when non-zero; `send_time_ms` is unused (as in the
/// SDK). Mark key frames with `WM_SF_CLEANPOINT`.
///
/// Returns as `wm_writer_write_sample`, with `E_INVALIDARG` for an unknown stream.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_write_stream_sample(
    w: *mut WMWriter,
    stream_number: u16,
    sample_time: u64,
    send_time_ms: u32,
    sample_duration: u64,
    flags: u32,
    sample: *mut SampleBuffer,
) -> HRESULT {
    let _ = send_time_ms;
    call("wm_writer_write_stream_sample", || {
        // SAFETY: NULL or a live handle.
        let b = unsafe { clone_arc(sample, "sample", InvalidArg)? };
        // SAFETY: see `writer`.
        unsafe { writer_call(w, "write_stream_sample", |w| w.write_stream_sample(stream_number, sample_time, sample_duration, flags, &b)) }
    })
}

/// Does nothing and succeeds, as the SDK documents (`IWMWriter::Flush`); `end_writing`
/// writes everything.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_flush(w: *mut WMWriter) -> HRESULT {
    // SAFETY: see `writer`.
    call("wm_writer_flush", || unsafe { writer(w)? }.flush())
}

/// Finish the file (`IWMWriter::EndWriting`): write queued samples, the index, and the
/// final header (sizes, counts, durations); close the file. The writer is then
/// configured again and can write another file.
///
/// Returns `S_OK`, `E_POINTER`, `NS_E_INVALID_REQUEST` (not writing), `NS_E_FILE_WRITE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_end_writing(w: *mut WMWriter) -> HRESULT {
    // SAFETY: see `writer`.
    call("wm_writer_end_writing", || unsafe { writer_call(w, "end_writing", |w| w.end_writing()) })
}

/// Set how far inputs may drift apart, in ms (`IWMWriterAdvanced::SetSyncTolerance`,
/// default 3000); used from the next `begin_writing`.
///
/// Returns `S_OK`, `E_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_sync_tolerance(w: *mut WMWriter, window_ms: u32) -> HRESULT {
    call("wm_writer_set_sync_tolerance", || {
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_sync_tolerance(window_ms);
        Ok(())
    })
}

/// The sync tolerance in ms (`IWMWriterAdvanced::GetSyncTolerance`).
///
/// On failure `*window_ms` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_sync_tolerance(w: *mut WMWriter, window_ms: *mut u32) -> HRESULT {
    call("wm_writer_get_sync_tolerance", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(window_ms, "window", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.sync_tolerance();
        Ok(())
    })
}
