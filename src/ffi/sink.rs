//! `WMWriterSink` (`IWMWriterSink`, `IWMWriterFileSink`) and the writer's sink list
//! (`IWMWriterAdvanced::AddSink` / `RemoveSink` / `GetSinkCount` / `GetSink`).
//!
//! A sink is a file sink (`wm_create_writer_file_sink` + `wm_writer_file_sink_open`) or
//! a callback sink (`wm_create_writer_callback_sink`), the C form of an
//! application-implemented `IWMWriterSink`. `wm_writer_set_output_filename` makes a
//! file sink that is sink 0.

use std::ffi::{c_char, c_void};
use std::io;
use std::sync::Arc;

use super::boundary::{boundary, call, count};
use super::handle::{add_ref, borrow, clone_arc, input, into_handle, out, release};
use super::hresult::{S_FALSE, S_OK};
use super::strings::read_str;
use super::writer::{writer, WMWriter};
use super::HRESULT;
use crate::buffer::SampleBuffer;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::sink::{EndEvent, HeaderEvent, Packet, PacketSink, WriterSink};

/// The callbacks of an application sink (the C form of `IWMWriterSink`). Every
/// callback returns an HRESULT; a failure ends the writing session with
/// `NS_E_FILE_WRITE`.
///
/// Threading rules: callbacks run on a thread that called a writer function
/// (`begin_writing`, `write_sample`, `write_stream_sample`, `end_writing`, or the last
/// `wm_writer_release`), after that function released the writer's lock, and never on
/// two threads at once for one writer; events arrive in order. A callback may call any
/// writer or sink function (statistics, writer time, `get_sink`, the file-sink
/// getters, even `write_sample`: the events that call makes are delivered right after
/// the callback returns, not from inside it). A writer function returns only after the
/// events it made were delivered; if another thread's events fail to deliver, the
/// session ends and the next call reports `NS_E_FILE_WRITE`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WMWriterSinkCallbacks {
    /// Passed to every callback.
    pub context: *mut c_void,
    /// The ASF header (Header Object + 50-byte Data Object start): first, before any
    /// data. When `can_seek` is non-zero it is called again at the end with the final
    /// header (same length, real sizes and durations) to be written over the first.
    pub on_header: Option<unsafe extern "C" fn(context: *mut c_void, data: *const u8, length: u32) -> HRESULT>,
    /// One data unit: exactly one ASF data packet.
    pub on_data_unit: Option<unsafe extern "C" fn(context: *mut c_void, data: *const u8, length: u32) -> HRESULT>,
    /// End of the file: `data` holds the index objects to append after the packets
    /// (length 0 when `can_seek` is 0: a streamed file has no index).
    pub on_end_writing: Option<unsafe extern "C" fn(context: *mut c_void, data: *const u8, length: u32) -> HRESULT>,
    /// Non-zero if the sink can go back and rewrite the header (a seekable file);
    /// zero gives the live layout (broadcast flag, sizes, counts and creation date 0,
    /// no index).
    pub can_seek: i32,
    /// Called once when the sink object is freed (may be NULL).
    pub destroy: Option<unsafe extern "C" fn(context: *mut c_void)>,
}

#[derive(Debug)]
struct CallbackSink {
    cb: WMWriterSinkCallbacks,
}

// SAFETY: the application promises its callbacks and context may be used from the
// threads that call the writer (documented on wm_create_writer_callback_sink).
unsafe impl Send for CallbackSink {}

impl CallbackSink {
    fn invoke(&self, f: Option<unsafe extern "C" fn(*mut c_void, *const u8, u32) -> HRESULT>, data: &[u8], what: &str) -> io::Result<()> {
        let Some(f) = f else { return Ok(()) };
        // SAFETY: the application's callback with its own context; data is valid for the call.
        let hr = unsafe { f(self.cb.context, data.as_ptr(), data.len() as u32) };
        if hr < 0 {
            let name = super::hresult::wm_hresult_name(hr);
            // SAFETY: wm_hresult_name returns a static NUL-terminated string.
            let name = unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy();
            return Err(io::Error::other(format!("the sink's {what} callback returned {name} (0x{:08X})", hr as u32)));
        }
        Ok(())
    }
}

impl Drop for CallbackSink {
    fn drop(&mut self) {
        if let Some(d) = self.cb.destroy {
            // SAFETY: called once, with the application's context.
            unsafe { d(self.cb.context) };
        }
    }
}

impl PacketSink for CallbackSink {
    fn can_seek(&self) -> bool {
        self.cb.can_seek != 0
    }
    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()> {
        let bytes = if self.can_seek() { header.bytes } else { header.live_bytes };
        self.invoke(self.cb.on_header, bytes, "on_header")
    }
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()> {
        packets.iter().try_for_each(|p| self.invoke(self.cb.on_data_unit, p.bytes, "on_data_unit"))
    }
    fn on_end(&mut self, end: &EndEvent<'_>) -> io::Result<()> {
        if self.can_seek() {
            self.invoke(self.cb.on_header, end.final_header, "on_header")?;
        }
        self.invoke(self.cb.on_end_writing, if self.can_seek() { end.trailer } else { &[] }, "on_end_writing")
    }
}

/// Create a file sink (`WMCreateWriterFileSink`); give it a file with
/// `wm_writer_file_sink_open` and attach it with `wm_writer_add_sink`.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (out NULL), `E_OUTOFMEMORY`.
#[no_mangle]
pub unsafe extern "C" fn wm_create_writer_file_sink(out_sink: *mut *mut WriterSink) -> HRESULT {
    call("wm_create_writer_file_sink", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sink, "sink", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(WriterSink::file(None)));
        Ok(())
    })
}

/// Create a sink that hands the file to the application's callbacks (an
/// application-implemented `IWMWriterSink`). The callbacks are copied; `context` must
/// stay valid until `destroy` is called. Callbacks run on the threads that call the
/// writer, outside the writer's lock (see `WMWriterSinkCallbacks` for the rules). A
/// sink with `can_seek` 0 gets the live (broadcast) layout of the header.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (out NULL), `E_INVALIDARG` (callbacks NULL or `on_data_unit` NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_create_writer_callback_sink(
    callbacks: *const WMWriterSinkCallbacks,
    out_sink: *mut *mut WriterSink,
) -> HRESULT {
    call("wm_create_writer_callback_sink", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sink, "sink", Pointer)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or readable.
        let cb = *unsafe { input(callbacks, "the callbacks", InvalidArg)? };
        if cb.on_data_unit.is_none() {
            crate::bail!(InvalidArg, "the callbacks need at least on_data_unit");
        }
        *o = into_handle(Arc::new(WriterSink::custom(Box::new(CallbackSink { cb }))));
        Ok(())
    })
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_add_ref(sink: *mut WriterSink) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(sink) })
}

/// Drop a reference; frees at 0 (a callback sink then calls `destroy`); returns the new
/// count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_sink_release(sink: *mut WriterSink) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(sink) })
}

/// Set the file a file sink creates at the next `begin_writing` (UTF-8 path)
/// (`IWMWriterFileSink::Open`). Closing is automatic at `end_writing`.
///
/// Returns `S_OK`, `E_POINTER` (sink or file name NULL, as the SDK documents),
/// `E_INVALIDARG` (not UTF-8 or empty), `NS_E_INVALID_REQUEST` (not a file sink, or
/// writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_open(sink: *mut WriterSink, filename: *const c_char) -> HRESULT {
    call("wm_writer_file_sink_open", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { borrow(sink, "sink")? };
        if filename.is_null() {
            crate::bail!(Pointer, "the file name is NULL");
        }
        // SAFETY: non-NULL and NUL-terminated.
        let name = unsafe { read_str(filename, "the file name")? };
        if name.is_empty() {
            crate::bail!(InvalidArg, "the file name is empty");
        }
        s.set_path(name.as_ref())
    })
}

/// Attach a sink (`IWMWriterAdvanced::AddSink`); the writer keeps its own reference.
/// Every attached sink receives the same file. Not while writing.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (sink NULL or already
/// attached), `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_sink(w: *mut WMWriter, sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_add_sink", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { clone_arc(sink, "sink", InvalidArg)? };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.add_sink(s)
    })
}

/// Detach a sink (`IWMWriterAdvanced::RemoveSink`).
///
/// Returns `S_OK`, `S_FALSE` (the sink was not attached), `E_POINTER`, `E_INVALIDARG`
/// (sink NULL), `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_remove_sink(w: *mut WMWriter, sink: *mut WriterSink) -> HRESULT {
    boundary("wm_writer_remove_sink", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { clone_arc(sink, "sink", InvalidArg)? };
        // SAFETY: NULL or a live handle.
        let removed = unsafe { writer(w)? }.remove_sink(&s)?;
        Ok(if removed { S_OK } else { S_FALSE })
    })
}

/// The number of attached sinks, including the one `set_output_filename` made
/// (`IWMWriterAdvanced::GetSinkCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (count NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_sink_count(w: *mut WMWriter, count_out: *mut u32) -> HRESULT {
    call("wm_writer_get_sink_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.sink_count();
        Ok(())
    })
}

/// Sink `index` (`IWMWriterAdvanced::GetSink`); the `set_output_filename` sink is 0.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER`, `E_INVALIDARG` (out NULL or index out of range).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_sink(w: *mut WMWriter, index: u32, out_sink: *mut *mut WriterSink) -> HRESULT {
    call("wm_writer_get_sink", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sink, "sink", InvalidArg)? };
        *o = std::ptr::null_mut();
        // SAFETY: NULL or a live handle.
        *o = into_handle(unsafe { writer(w)? }.sink(index)?);
        Ok(())
    })
}

/// Bytes written to the file in the current (or last) session, header and index
/// included; packets a stop left out are not counted (`IWMWriterFileSink2::GetFileSize`).
///
/// On failure `*size` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_file_size(sink: *mut WriterSink, size: *mut u64) -> HRESULT {
    call("wm_writer_file_sink_get_file_size", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(size, "size", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.file_size();
        Ok(())
    })
}

/// The time written so far, 100 ns: the last data packet written's send time plus its
/// duration (`IWMWriterFileSink2::GetFileDuration`).
///
/// On failure `*duration` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_file_duration(sink: *mut WriterSink, duration: *mut u64) -> HRESULT {
    call("wm_writer_file_sink_get_file_duration", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(duration, "duration", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.file_duration();
        Ok(())
    })
}

/// Write again from `start_time` (100 ns, presentation time) on
/// (`IWMWriterFileSink2::Start`). A sink writes from time 0 when a session begins, so
/// this is needed only after `wm_writer_file_sink_stop`. The sink starts at the first
/// data packet at or after that time that begins with a whole media object (with a
/// control stream: at that stream's first clean point at or after it, see
/// `wm_writer_file_sink_set_control_stream`), so every media object in the file is
/// whole; the header, counts, durations and index describe exactly the packets written.
/// May be called before or while writing, from any thread; the schedule goes back to
/// "write from 0" at `end_writing`.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `NS_E_INVALID_REQUEST` (the time precedes
/// the last stop time, as the SDK documents).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_start(sink: *mut WriterSink, start_time: u64) -> HRESULT {
    call("wm_writer_file_sink_start", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.start_at(start_time)
    })
}

/// Stop writing at `stop_time` (100 ns, presentation time) (`IWMWriterFileSink2::Stop`):
/// data packets from the first one at or after that time that begins with a whole
/// media object are left out until a later `wm_writer_file_sink_start`. Several
/// start/stop segments make one valid file. Any thread, before or while writing.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_stop(sink: *mut WriterSink, stop_time: u64) -> HRESULT {
    call("wm_writer_file_sink_stop", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.stop_at(stop_time);
        Ok(())
    })
}

/// Whether the sink has stopped writing (`IWMWriterFileSink2::IsStopped`): non-zero
/// once a stop took effect (a packet at or after its time arrived) and until a start
/// does.
///
/// On failure `*stopped` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG`
/// (out NULL, as the SDK documents).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_is_stopped(sink: *mut WriterSink, stopped: *mut i32) -> HRESULT {
    call("wm_writer_file_sink_is_stopped", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(stopped, "stopped flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.is_stopped() as i32;
        Ok(())
    })
}

/// Close this sink early (`IWMWriterFileSink2::Close`): it receives nothing more in this
/// session and a file sink closes its file, which keeps the streaming layout (header
/// not patched, no index); the writer and its other sinks go on. The next
/// `begin_writing` opens it again.
///
/// Returns `S_OK`, `E_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_close(sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_file_sink_close", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.close();
        Ok(())
    })
}

/// Whether the sink was closed early (`IWMWriterFileSink2::IsClosed`).
///
/// On failure `*closed` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_is_closed(sink: *mut WriterSink, closed: *mut i32) -> HRESULT {
    call("wm_writer_file_sink_is_closed", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(closed, "closed flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.is_closed() as i32;
        Ok(())
    })
}

/// `WMT_FILESINK_MODE`: the sink takes data units as single buffers (`OnDataUnit`).
pub const WMT_FM_SINGLE_BUFFERS: u32 = 0x1;
/// `WMT_FILESINK_MODE`: the sink takes `WMT_FILESINK_DATA_UNIT`s
/// (`wm_writer_file_sink_on_data_unit_ex`).
pub const WMT_FM_FILESINK_DATA_UNITS: u32 = 0x2;
/// `WMT_FILESINK_MODE`: the sink can write unbuffered (`wm_writer_file_sink_set_unbuffered_io`).
pub const WMT_FM_FILESINK_UNBUFFERED: u32 = 0x4;

/// The sink's `WMT_FILESINK_MODE` bits (`IWMWriterFileSink3::GetMode`): a file sink
/// takes single buffers, `WMT_FILESINK_DATA_UNIT`s and unbuffered I/O
/// (`WMT_FM_SINGLE_BUFFERS | WMT_FM_FILESINK_DATA_UNITS | WMT_FM_FILESINK_UNBUFFERED`);
/// other sinks single buffers only.
///
/// On failure `*mode` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_mode(sink: *mut WriterSink, mode: *mut u32) -> HRESULT {
    call("wm_writer_file_sink_get_mode", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(mode, "mode", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        let s = unsafe { borrow(sink, "sink")? };
        *o = if s.is_file() {
            WMT_FM_SINGLE_BUFFERS | WMT_FM_FILESINK_DATA_UNITS | WMT_FM_FILESINK_UNBUFFERED
        } else {
            WMT_FM_SINGLE_BUFFERS
        };
        Ok(())
    })
}

/// Make `stream` a control stream, or no longer one (`IWMWriterFileSink3::SetControlStream`):
/// start and stop times then apply at that stream's clean points (the first one at or
/// after the time, from the first packet there that begins with a whole media object)
/// instead of at packet send times. Several control streams may be set.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (stream not 1..63, as the SDK documents).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_set_control_stream(sink: *mut WriterSink, stream: u16, should_control: i32) -> HRESULT {
    call("wm_writer_file_sink_set_control_stream", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.set_control_stream(stream, should_control != 0)
    })
}

/// Whether `stream` is a control stream (the getter of `IWMWriterFileSink3::SetControlStream`).
///
/// On failure `*should_control` is 0. Returns `S_OK`, `E_POINTER` (sink NULL),
/// `E_INVALIDARG` (out NULL or stream not 1..63).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_control_stream(sink: *mut WriterSink, stream: u16, should_control: *mut i32) -> HRESULT {
    call("wm_writer_file_sink_get_control_stream", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(should_control, "control flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.control_stream(stream)? as i32;
        Ok(())
    })
}

/// Write the next file unbuffered (`IWMWriterFileSink3::SetUnbufferedIO`): `O_DIRECT`
/// with 4096-byte-aligned buffers, offsets and lengths (a 1 MiB staging buffer, 64 KiB
/// when `restrict_mem` is non-zero); the unaligned tail, the index and the header patch
/// go through the ordinary handle at the end. Where the file is not a regular file or
/// its file system refuses `O_DIRECT`, buffered I/O is used (see
/// `wm_writer_file_sink_get_unbuffered_io`).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `NS_E_INVALID_REQUEST` (not a file sink, or
/// this session's header was already written, as the SDK documents).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_set_unbuffered_io(sink: *mut WriterSink, unbuffered: i32, restrict_mem: i32) -> HRESULT {
    call("wm_writer_file_sink_set_unbuffered_io", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.set_unbuffered_io(unbuffered != 0, restrict_mem != 0)
    })
}

/// Whether the sink writes unbuffered (`IWMWriterFileSink3::GetUnbufferedIO`): before
/// the session's header, what was asked for; from the header on, whether `O_DIRECT` is
/// really in use. When it was asked for but buffered I/O is used, `*unbuffered` is 0
/// and `wm_get_last_error_message` tells why (beyond the SDK: a note, the call still
/// succeeds).
///
/// On failure `*unbuffered` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_unbuffered_io(sink: *mut WriterSink, unbuffered: *mut i32) -> HRESULT {
    call("wm_writer_file_sink_get_unbuffered_io", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(unbuffered, "unbuffered flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        let (on, note) = unsafe { borrow(sink, "sink")? }.unbuffered_io();
        if let Some(n) = note {
            super::hresult::set_last_error(&format!("wm_writer_file_sink_get_unbuffered_io: {n}"));
        }
        *o = on as i32;
        Ok(())
    })
}

/// Make sure everything the sink accepted is on the disk
/// (`IWMWriterFileSink3::CompleteOperations`): staged unbuffered bytes are written and
/// the file is synced (`fdatasync`) before this returns. The SDK's writer calls it
/// itself; here an application may too (any thread). Nothing to do when not writing.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `NS_E_FILE_WRITE` (a write or sync failed).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_complete_operations(sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_file_sink_complete_operations", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.complete_operations()
    })
}

/// A segment of a buffer (`WMT_BUFFER_SEGMENT`): `cbLength` bytes at `cbOffset` of
/// `pBuffer`'s used bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WMT_BUFFER_SEGMENT {
    /// The buffer (transfer none).
    pub pBuffer: *mut SampleBuffer,
    /// Offset in bytes from the start of the buffer.
    pub cbOffset: u32,
    /// Length in bytes.
    pub cbLength: u32,
}

/// One payload data fragment of a data unit (`WMT_PAYLOAD_FRAGMENT`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WMT_PAYLOAD_FRAGMENT {
    /// The payload (index into `pPayloadHeaderBuffers`) this fragment belongs to.
    pub dwPayloadIndex: u32,
    /// Where the fragment's bytes are.
    pub segmentData: WMT_BUFFER_SEGMENT,
}

/// One data packet as segments (`WMT_FILESINK_DATA_UNIT`): the packet header, each
/// payload's header, and the payload data fragments.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WMT_FILESINK_DATA_UNIT {
    /// The packet header (error correction, parsing information, payload flags).
    pub packetHeaderBuffer: WMT_BUFFER_SEGMENT,
    /// Number of payloads (elements of `pPayloadHeaderBuffers`).
    pub cPayloads: u32,
    /// Each payload's header.
    pub pPayloadHeaderBuffers: *mut WMT_BUFFER_SEGMENT,
    /// Number of elements of `pPayloadDataFragments`.
    pub cPayloadDataFragments: u32,
    /// The payloads' data, each fragment naming its payload.
    pub pPayloadDataFragments: *mut WMT_PAYLOAD_FRAGMENT,
}

/// The bytes of one segment.
///
/// # Safety
/// `seg.pBuffer` is NULL or a live buffer handle.
unsafe fn segment_bytes(seg: &WMT_BUFFER_SEGMENT, out: &mut Vec<u8>) -> crate::error::Result<()> {
    // SAFETY: NULL or a live handle (the caller's promise).
    let b = unsafe { borrow(seg.pBuffer, "a segment's buffer") }.map_err(|e| crate::err!(InvalidArg, "{}", e.message))?;
    b.with_bytes(|bytes| {
        let end = seg.cbOffset as usize + seg.cbLength as usize;
        let part = bytes.get(seg.cbOffset as usize..end).ok_or_else(|| {
            crate::err!(InvalidArg, "a segment ({} bytes at {}) runs past its buffer's {} bytes", seg.cbLength, seg.cbOffset, bytes.len())
        })?;
        out.extend_from_slice(part);
        Ok(())
    })
}

/// Hand the file sink one data packet as segments (`IWMWriterFileSink3::OnDataUnitEx`):
/// the packet is the packet header, then each payload's header followed by that
/// payload's data fragments (in array order), padded with zeros to the session's
/// packet size; the sink appends it to its file and the final header, counts and index
/// include it. Only while the sink is writing (after the writer handed it the header).
/// The buffers are read during the call only (transfer none).
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (unit NULL, a NULL array
/// with a non-zero count, a NULL buffer, a segment outside its buffer, a fragment of a
/// payload that does not exist, more bytes than a packet, or not an ASF data packet),
/// `NS_E_INVALID_REQUEST` (not a file sink, or not writing), `NS_E_FILE_WRITE`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_on_data_unit_ex(sink: *mut WriterSink, unit: *const WMT_FILESINK_DATA_UNIT) -> HRESULT {
    call("wm_writer_file_sink_on_data_unit_ex", || {
        // SAFETY: NULL or a live handle.
        let s = unsafe { borrow(sink, "sink")? };
        // SAFETY: NULL or readable.
        let u = *unsafe { input(unit, "the data unit", InvalidArg)? };
        let array = |p: *const u8, n: u32, what: &str| -> crate::error::Result<()> {
            if p.is_null() && n > 0 {
                crate::bail!(InvalidArg, "{what} is NULL with a count of {n}");
            }
            Ok(())
        };
        array(u.pPayloadHeaderBuffers as *const u8, u.cPayloads, "pPayloadHeaderBuffers")?;
        array(u.pPayloadDataFragments as *const u8, u.cPayloadDataFragments, "pPayloadDataFragments")?;
        let heads: &[WMT_BUFFER_SEGMENT] = if u.cPayloads == 0 {
            &[]
        } else {
            // SAFETY: non-NULL, cPayloads readable elements (the caller's promise).
            unsafe { std::slice::from_raw_parts(u.pPayloadHeaderBuffers, u.cPayloads as usize) }
        };
        let frags: &[WMT_PAYLOAD_FRAGMENT] = if u.cPayloadDataFragments == 0 {
            &[]
        } else {
            // SAFETY: non-NULL, cPayloadDataFragments readable elements.
            unsafe { std::slice::from_raw_parts(u.pPayloadDataFragments, u.cPayloadDataFragments as usize) }
        };
        if let Some(f) = frags.iter().find(|f| f.dwPayloadIndex >= u.cPayloads) {
            crate::bail!(InvalidArg, "a fragment names payload {} of {}", f.dwPayloadIndex, u.cPayloads);
        }
        let mut bytes = Vec::new();
        // SAFETY: buffer handles from the caller, checked for NULL.
        unsafe { segment_bytes(&u.packetHeaderBuffer, &mut bytes)? };
        for (i, h) in heads.iter().enumerate() {
            // SAFETY: as above.
            unsafe { segment_bytes(h, &mut bytes)? };
            for f in frags.iter().filter(|f| f.dwPayloadIndex as usize == i) {
                // SAFETY: as above.
                unsafe { segment_bytes(&f.segmentData, &mut bytes)? };
            }
        }
        let ps = s.packet_size() as usize;
        let mut padded = bytes.clone();
        if ps > 0 && padded.len() < ps {
            padded.resize(ps, 0);
        }
        let info = crate::reader::packet_info(&padded).map_err(|e| crate::err!(InvalidArg, "not an ASF data packet: {e}"))?;
        s.write_data_unit(&bytes, info)
    })
}

/// Rewrite the file's header every `interval_ms` milliseconds of send time while
/// writing (0 = never, the default; beyond the SDK, for crash safety): the packets
/// written so far are synced to the disk, then a header whose sizes, counts and
/// durations describe exactly them (no index yet), synced too. A writer killed mid-file
/// leaves a file every reader opens, and `wmwrite repair` (`crate::repair`) restores
/// the packets written after the last flush. Any time; applies from the next packet.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_set_flush_interval(sink: *mut WriterSink, interval_ms: u32) -> HRESULT {
    call("wm_writer_file_sink_set_flush_interval", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.set_flush_interval(interval_ms);
        Ok(())
    })
}

/// The flush interval set by `wm_writer_file_sink_set_flush_interval` (ms, 0 = never).
///
/// On failure `*interval_ms` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_flush_interval(sink: *mut WriterSink, interval_ms: *mut u32) -> HRESULT {
    call("wm_writer_file_sink_get_flush_interval", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(interval_ms, "interval", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.flush_interval();
        Ok(())
    })
}

/// Whether the file sink writes the index at the end (`IWMWriterFileSink3::SetAutoIndexing`;
/// default on). Off, the file gets no Simple Index Object and its File Properties say
/// so: file size without an index, and the seekable flag clear when the file has a
/// video stream (the ASF specification sets it for such a file only with an index;
/// an audio-only file stays seekable). `wm_indexer_start_indexing` can add the index
/// later.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `NS_E_INVALID_REQUEST` (not a file sink, or
/// writing: the header was already received).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_set_auto_indexing(sink: *mut WriterSink, do_auto_indexing: i32) -> HRESULT {
    call("wm_writer_file_sink_set_auto_indexing", || {
        // SAFETY: NULL or a live handle.
        unsafe { borrow(sink, "sink")? }.set_auto_indexing(do_auto_indexing != 0)
    })
}

/// Whether the file sink writes the index (`IWMWriterFileSink3::GetAutoIndexing`).
///
/// On failure `*auto_indexing` is 0. Returns `S_OK`, `E_POINTER` (sink NULL),
/// `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_file_sink_get_auto_indexing(sink: *mut WriterSink, auto_indexing: *mut i32) -> HRESULT {
    call("wm_writer_file_sink_get_auto_indexing", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(auto_indexing, "auto-indexing flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { borrow(sink, "sink")? }.auto_indexing() as i32;
        Ok(())
    })
}
