//! `IWMWriterPostView` on the writer: the samples a player would see, handed to an
//! application callback (the C form of `IWMWriterPostViewCallback`) while writing.
//!
//! Post-view props are `WMInputMediaProps` objects (an `IWMMediaProps` with the stream's
//! connection name); only their media type matters here.
//!
//! Threading: the writer queues post-view samples under its lock; the callbacks run
//! after the writer function that made them (`write_sample`, `write_stream_sample`,
//! `end_writing`) released the lock, on that thread, in order, like sink callbacks (see
//! `WMWriterSinkCallbacks`). A callback may call any writer function, including
//! `write_sample`: what that call makes is delivered right after the callback returns.

use std::ffi::c_void;
use std::sync::{Arc, Mutex, PoisonError};

use super::boundary::call;
use super::handle::{into_handle, out, release};
use super::writer::{writer, WMWriter};
use super::HRESULT;
use crate::buffer::SampleBuffer;
use crate::error::ErrorKind::InvalidArg;
use crate::profile::{lock, InputMediaProps, InputPropsData};
use crate::writer::PostViewSample;

/// `IWMWriterPostViewCallback::OnPostViewSample`: one post-view sample of stream
/// `stream_number` at `sample_time` (100 ns) lasting `sample_duration`, `flags`
/// `WM_SF_CLEANPOINT` / `WM_SF_DISCONTINUITY`. `sample` is borrowed for the call
/// (`wm_buffer_add_ref` it to keep it). The return value is ignored (as the SDK's
/// writer does).
pub type WMPostViewSampleCallback = Option<
    unsafe extern "C" fn(
        context: *mut c_void,
        stream_number: u16,
        sample_time: u64,
        sample_duration: u64,
        flags: u32,
        sample: *mut SampleBuffer,
    ) -> HRESULT,
>;

/// `IWMWriterPostViewCallback::AllocateForPostView`: for a stream with
/// `wm_writer_set_allocate_for_post_view` on, give the writer a buffer of at least
/// `size` bytes in `*buffer` (transfer full, e.g. from `wm_create_buffer`); the writer
/// fills it, passes it to the sample callback and releases it. If it fails, returns
/// NULL or a buffer that is too small, that sample is not delivered.
pub type WMPostViewAllocateCallback =
    Option<unsafe extern "C" fn(context: *mut c_void, stream_number: u16, size: u32, buffer: *mut *mut SampleBuffer) -> HRESULT>;

/// The callbacks set with `wm_writer_set_post_view_callback`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PostViewCallbacks {
    on_sample: WMPostViewSampleCallback,
    allocate: WMPostViewAllocateCallback,
    context: *mut c_void,
}

// SAFETY: the application promises its callbacks and context may be used from the
// threads that call the writer (documented on wm_writer_set_post_view_callback).
unsafe impl Send for PostViewCallbacks {}

/// The writer's post-view callback slot (its own lock: never held while calling out).
#[derive(Debug, Default)]
pub(crate) struct PostViewSlot(Mutex<Option<PostViewCallbacks>>);

impl PostViewSlot {
    fn set(&self, cb: Option<PostViewCallbacks>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = cb;
    }

    /// Hand `samples` to the application (the writer is not locked here).
    pub(crate) fn deliver(&self, samples: Vec<PostViewSample>) {
        if samples.is_empty() {
            return;
        }
        let Some(cb) = *self.0.lock().unwrap_or_else(PoisonError::into_inner) else { return };
        let Some(on_sample) = cb.on_sample else { return };
        for s in samples {
            let len = s.data.len() as u32;
            let buffer = if s.allocate {
                let Some(alloc) = cb.allocate else { continue };
                let mut p: *mut SampleBuffer = std::ptr::null_mut();
                // SAFETY: the application's callback with its own context; `p` is writable.
                let hr = unsafe { alloc(cb.context, s.stream, len, &mut p) };
                if hr < 0 || p.is_null() {
                    continue;
                }
                // SAFETY: the callback handed us one reference to a live buffer (transfer full).
                let b = unsafe { Arc::from_raw(p.cast_const()) };
                if b.copy_from(&s.data).is_err() {
                    continue;
                }
                b
            } else {
                match SampleBuffer::new(len) {
                    Ok(b) if b.copy_from(&s.data).is_ok() => Arc::new(b),
                    _ => continue,
                }
            };
            let h = into_handle(buffer);
            // SAFETY: the application's callback; `h` is a live handle for the call.
            let _ = unsafe { on_sample(cb.context, s.stream, s.time, s.duration, s.flags, h) };
            // SAFETY: we own the reference into_handle made.
            unsafe { release(h) };
        }
    }
}

/// Set the post-view callbacks (`IWMWriterPostView::SetPostViewCallback`); NULL
/// `on_sample` removes them. `allocate` may be NULL (then streams with
/// allocate-for-post-view on deliver nothing). `context` is passed to both and must stay
/// valid until the callbacks are replaced or the writer is freed. Callbacks run on the
/// threads that call the writer, outside its lock (see the module docs). Samples are
/// made only for streams with `wm_writer_set_receive_post_view_samples` on. A session
/// that the last `wm_writer_release` ends delivers no further post-view samples.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_post_view_callback(
    w: *mut WMWriter,
    on_sample: WMPostViewSampleCallback,
    allocate: WMPostViewAllocateCallback,
    context: *mut c_void,
) -> HRESULT {
    call("wm_writer_set_post_view_callback", || {
        // SAFETY: NULL or a live handle.
        let h = unsafe { super::handle::borrow(w, "writer")? };
        h.post_view().set(on_sample.map(|f| PostViewCallbacks { on_sample: Some(f), allocate, context }));
        Ok(())
    })
}

/// Turn post view of stream `stream_number` on or off
/// (`IWMWriterPostView::SetReceivePostViewSamples`); any time, from the next sample.
/// For a compressed stream the writer decodes each unit again with libavcodec (WMA v1/v2
/// and MP3 to PCM 16-bit; WMV1/2, MPEG-4 v3 and MPEG-4 part 2 to I420); without
/// libavcodec or a decoder for the codec this returns `NS_E_AUDIO_CODEC_NOT_INSTALLED` /
/// `NS_E_VIDEO_CODEC_NOT_INSTALLED` and post view stays off (`begin_writing` returns the
/// same if the decoder cannot be opened then). Never `E_NOTIMPL`.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such stream), `NS_E_NOT_CONFIGURED`
/// (no profile), `NS_E_AUDIO_CODEC_NOT_INSTALLED`, `NS_E_VIDEO_CODEC_NOT_INSTALLED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_receive_post_view_samples(w: *mut WMWriter, stream_number: u16, receive: i32) -> HRESULT {
    call("wm_writer_set_receive_post_view_samples", || {
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_receive_post_view_samples(stream_number, receive != 0)
    })
}

/// Whether post view of stream `stream_number` is on (`IWMWriterPostView::GetReceivePostViewSamples`).
///
/// On failure `*receive` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL, no
/// such stream), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_receive_post_view_samples(w: *mut WMWriter, stream_number: u16, receive: *mut i32) -> HRESULT {
    call("wm_writer_get_receive_post_view_samples", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(receive, "receive flag", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.receive_post_view_samples(stream_number)? as i32;
        Ok(())
    })
}

fn props_object(w: &crate::writer::Writer, stream_number: u16, media_type: crate::profile::MediaType) -> *mut InputMediaProps {
    let connection_name = w.stream_connection_name(stream_number).unwrap_or_default();
    into_handle(Arc::new(InputMediaProps::new(InputPropsData { media_type, connection_name })))
}

/// The format post-view samples of stream `stream_number` come in
/// (`IWMWriterPostView::GetPostViewProps`): the input's format for an uncompressed
/// stream, the decoder's output (PCM 16-bit / I420) for a compressed one, unless
/// `wm_writer_set_post_view_props` chose another listed format.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER`, `E_INVALIDARG` (out NULL, no such stream), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_post_view_props(
    w: *mut WMWriter,
    stream_number: u16,
    out_props: *mut *mut InputMediaProps,
) -> HRESULT {
    call("wm_writer_get_post_view_props", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_props, "post view props", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `writer`.
        let wr = unsafe { writer(w)? };
        let mt = wr.post_view_props(stream_number)?;
        *o = props_object(&wr, stream_number, mt);
        Ok(())
    })
}

/// Choose the post-view format of stream `stream_number`
/// (`IWMWriterPostView::SetPostViewProps`): one of `wm_writer_get_post_view_format`'s;
/// NULL goes back to the default. Before `begin_writing` only.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such stream), `NS_E_NOT_CONFIGURED`,
/// `NS_E_INVALID_REQUEST` (writing), `NS_E_INVALID_INPUT_FORMAT` (not a listed format).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_post_view_props(w: *mut WMWriter, stream_number: u16, props: *mut InputMediaProps) -> HRESULT {
    call("wm_writer_set_post_view_props", || {
        // SAFETY: NULL or a live handle.
        let mt = unsafe { props.as_ref() }.map(|p| lock(&p.data).media_type.clone());
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_post_view_props(stream_number, mt.as_ref())
    })
}

/// How many formats the post view of stream `stream_number` can take
/// (`IWMWriterPostView::GetPostViewFormatCount`): 1.
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL, no
/// such stream), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_post_view_format_count(w: *mut WMWriter, stream_number: u16, count_out: *mut u32) -> HRESULT {
    call("wm_writer_get_post_view_format_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.post_view_formats(stream_number)?.len() as u32;
        Ok(())
    })
}

/// Post-view format `format_number` of stream `stream_number`
/// (`IWMWriterPostView::GetPostViewFormat`), a new object.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER`, `E_INVALIDARG` (out NULL, no such stream, index out of range),
/// `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_post_view_format(
    w: *mut WMWriter,
    stream_number: u16,
    format_number: u32,
    out_props: *mut *mut InputMediaProps,
) -> HRESULT {
    call("wm_writer_get_post_view_format", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_props, "post view props", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: see `writer`.
        let wr = unsafe { writer(w)? };
        let formats = wr.post_view_formats(stream_number)?;
        let n = formats.len();
        let mt = formats.into_iter().nth(format_number as usize).ok_or_else(|| {
            crate::err!(InvalidArg, "stream {stream_number} has {n} post-view format(s); {format_number} is out of range")
        })?;
        *o = props_object(&wr, stream_number, mt);
        Ok(())
    })
}

/// Let the application allocate the post-view buffers of stream `stream_number`
/// through the allocate callback (`IWMWriterPostView::SetAllocateForPostView`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such stream), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_allocate_for_post_view(w: *mut WMWriter, stream_number: u16, allocate: i32) -> HRESULT {
    call("wm_writer_set_allocate_for_post_view", || {
        // SAFETY: see `writer`.
        unsafe { writer(w)? }.set_allocate_for_post_view(stream_number, allocate != 0)
    })
}

/// Whether the application allocates stream `stream_number`'s post-view buffers
/// (`IWMWriterPostView::GetAllocateForPostView`).
///
/// On failure `*allocate` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL, no
/// such stream), `NS_E_NOT_CONFIGURED`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_allocate_for_post_view(w: *mut WMWriter, stream_number: u16, allocate: *mut i32) -> HRESULT {
    call("wm_writer_get_allocate_for_post_view", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(allocate, "allocate flag", InvalidArg)? };
        *o = 0;
        // SAFETY: see `writer`.
        *o = unsafe { writer(w)? }.allocate_for_post_view(stream_number)? as i32;
        Ok(())
    })
}
