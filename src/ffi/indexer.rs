//! `WMIndexer` (`IWMIndexer`, `IWMIndexer2`; `WMCreateIndexer`): adds the index to an
//! existing ASF file, on a thread of its own, reporting through a status callback.
//! The work is done by the pure-Rust `crate::indexer` (see its docs for what is
//! written and how the file is kept safe).

use std::ffi::{c_char, c_void};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::boundary::{boundary, call, count};
use super::handle::{add_ref, borrow, into_handle, out, release};
use super::header_info::{WMT_ATTR_DATATYPE, WMT_TYPE_DWORD};
use super::hresult::{hresult_of, set_last_error, NS_E_BUSY, S_FALSE, S_OK};
use super::status::{WMStatusCallback, WMT_CLOSED, WMT_INDEX_PROGRESS, WMT_STARTED, WMT_STATUS};
use super::strings::read_str;
use super::HRESULT;
use crate::bail;
use crate::error::ErrorKind::Pointer;
use crate::indexer::{self, IndexConfig, IndexType, IndexerType, StreamIndex};

/// `WMT_INDEXER_TYPE` (`IWMIndexer2::Configure`): what an index maps from.
pub type WMT_INDEXER_TYPE = u32;
/// A temporal index: presentation time → packet (a Simple Index Object).
pub const WMT_IT_PRESENTATION_TIME: WMT_INDEXER_TYPE = 0;
/// Frame number → packet.
pub const WMT_IT_FRAME_NUMBERS: WMT_INDEXER_TYPE = 1;
/// SMPTE time code → packet.
pub const WMT_IT_TIMECODE: WMT_INDEXER_TYPE = 2;

/// `WMT_INDEX_TYPE` (`IWMIndexer2::Configure`): which object an index entry points at.
pub type WMT_INDEX_TYPE = u32;
/// The nearest data unit (packet).
pub const WMT_IT_NEAREST_DATA_UNIT: WMT_INDEX_TYPE = 1;
/// The nearest media object (sample).
pub const WMT_IT_NEAREST_OBJECT: WMT_INDEX_TYPE = 2;
/// The nearest clean point (key frame); the default.
pub const WMT_IT_NEAREST_CLEAN_POINT: WMT_INDEX_TYPE = 3;

/// An indexer object (opaque).
#[derive(Debug, Default)]
pub struct WMIndexer {
    /// Shared with a running indexing thread (which does not hold a handle reference).
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<IndexerState>,
    finished: Condvar,
    cancel: Arc<AtomicBool>,
}

#[derive(Debug, Default)]
struct IndexerState {
    /// `IWMIndexer2::Configure` calls (empty = the default temporal index).
    configs: Vec<StreamIndex>,
    /// Between `start_indexing` and the end of the work (before `WMT_CLOSED`).
    running: bool,
    /// Threads that have not returned from their `WMT_CLOSED` callback yet.
    threads: u32,
    /// The last finished run: its HRESULT and message.
    last: Option<(HRESULT, String)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, IndexerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The callback and its context, moved to the indexing thread.
struct Status {
    cb: unsafe extern "C" fn(*mut c_void, WMT_STATUS, HRESULT, WMT_ATTR_DATATYPE, *const u8, u32),
    context: *mut c_void,
}

// SAFETY: the application promises its callback and context may be used from the
// indexer's thread (documented on wm_indexer_start_indexing).
unsafe impl Send for Status {}

impl Status {
    fn send(&self, status: WMT_STATUS, hr: HRESULT, value: Option<u32>) {
        let bytes = value.map(u32::to_le_bytes);
        let (p, n) = match &bytes {
            Some(b) => (b.as_ptr(), 4),
            None => (std::ptr::null(), 0),
        };
        // SAFETY: the application's callback with its own context; `p` is valid for the call.
        unsafe { (self.cb)(self.context, status, hr, WMT_TYPE_DWORD, p, n) };
    }
}

/// Create an indexer (`WMCreateIndexer`).
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_create_indexer(out_indexer: *mut *mut WMIndexer) -> HRESULT {
    call("wm_create_indexer", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_indexer, "indexer", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(WMIndexer::default()));
        Ok(())
    })
}

/// Add a reference; returns the new count (NULL → 0).
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_add_ref(ix: *mut WMIndexer) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(ix) })
}

/// Drop a reference; returns the new count (NULL → 0). An indexing run in progress
/// goes on to its end (its thread keeps what it needs; the callback still gets
/// `WMT_CLOSED`).
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_release(ix: *mut WMIndexer) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(ix) })
}

/// Index the ASF file `url_utf8` (a local file name, UTF-8; a `file://` prefix is
/// accepted) (`IWMIndexer::StartIndexing`). Asynchronous, as in the SDK: the file is
/// opened here (so a missing file fails at once), then the work runs on a new thread
/// and this returns. That thread calls `callback(context, ...)` with `WMT_STARTED`,
/// then `WMT_INDEX_PROGRESS` with a `WMT_TYPE_DWORD` percent (0..100, each value once,
/// rising), then — always, also after a failure or `wm_indexer_cancel` — `WMT_CLOSED`
/// with `hr` = `S_OK` (index written), `E_ABORT` (cancelled; the file was left
/// byte-identical) or the failure (`NS_E_INVALID_DATA` not an ASF file that can be
/// indexed, `NS_E_FILE_READ`, `NS_E_FILE_WRITE` — the file restored). `WMT_STARTED` and
/// `WMT_CLOSED` carry no value (NULL, 0). Without `wm_indexer_configure` every video
/// stream gets a temporal index (Simple Index Object, 1 s); an index already in the
/// file is discarded (replaced), as the SDK documents.
///
/// Threading: the callback runs on the indexer's thread, one call at a time, never
/// inside this function; `context` must stay valid until `WMT_CLOSED` returned. The
/// callback may call any indexer function; from `WMT_CLOSED` it may start the next run.
///
/// Returns `S_OK`, `E_POINTER` (indexer NULL), `E_INVALIDARG` (url or callback NULL,
/// as the SDK documents; empty or not UTF-8), `NS_E_BUSY` (already indexing),
/// `NS_E_FILE_NOT_FOUND`, `NS_E_FILE_OPEN_FAILED` (cannot be opened for writing).
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_start_indexing(
    ix: *mut WMIndexer,
    url_utf8: *const c_char,
    callback: WMStatusCallback,
    context: *mut c_void,
) -> HRESULT {
    call("wm_indexer_start_indexing", || {
        // SAFETY: NULL or a live handle.
        let me = &unsafe { borrow(ix, "indexer")? }.shared;
        if url_utf8.is_null() {
            bail!(InvalidArg, "the URL is NULL");
        }
        let Some(cb) = callback else { bail!(InvalidArg, "the status callback is NULL") };
        // SAFETY: non-NULL and NUL-terminated.
        let url = unsafe { read_str(url_utf8, "the URL")? };
        let name = url.strip_prefix("file://").unwrap_or(url);
        if name.is_empty() {
            bail!(InvalidArg, "the URL is empty");
        }
        let path = PathBuf::from(name);
        let mut st = me.lock();
        if st.running {
            bail!(Busy, "the indexer is already indexing a file (wait for WMT_CLOSED, or wm_indexer_cancel)");
        }
        let file = indexer::open(&path)?;
        let cfg = IndexConfig { streams: st.configs.clone(), ..Default::default() };
        st.running = true;
        st.threads += 1;
        me.cancel.store(false, Ordering::Release);
        drop(st);
        let me_arc = me.clone();
        let status = Status { cb, context };
        let spawned = std::thread::Builder::new().name("wm-indexer".into()).spawn(move || run(me_arc, status, file, path, cfg));
        if let Err(e) = spawned {
            let mut st = me.lock();
            st.running = false;
            st.threads -= 1;
            bail!(OutOfMemory, "cannot start the indexing thread: {e}");
        }
        Ok(())
    })
}

fn run(me: Arc<Shared>, status: Status, mut file: std::fs::File, path: PathBuf, cfg: IndexConfig) {
    let work = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        status.send(WMT_STARTED, S_OK, None);
        let cancel = me.cancel.clone();
        indexer::index_open_file(&mut file, &path, &cfg, &mut |p| status.send(WMT_INDEX_PROGRESS, S_OK, Some(p)), &cancel)
    }));
    drop(file);
    let (hr, msg) = match work {
        Ok(Ok(_)) => (S_OK, String::new()),
        Ok(Err(e)) => (hresult_of(e.kind), format!("wm_indexer_start_indexing: {}", e.message)),
        Err(_) => (super::hresult::E_UNEXPECTED, "wm_indexer_start_indexing: internal error (caught panic)".into()),
    };
    {
        let mut st = me.lock();
        st.running = false;
        st.last = Some((hr, msg));
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| status.send(WMT_CLOSED, hr, None)));
    let mut st = me.lock();
    st.threads -= 1;
    drop(st);
    me.finished.notify_all();
}

/// Stop indexing (`IWMIndexer::Cancel`): the run stops before the next data packet,
/// leaves the file byte-identical and reports `WMT_CLOSED` with `E_ABORT`. The SDK
/// starts again from the beginning on the next `start_indexing`.
///
/// Returns `S_OK` always (also when not indexing), as the SDK documents; `E_POINTER`
/// for a NULL indexer.
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_cancel(ix: *mut WMIndexer) -> HRESULT {
    call("wm_indexer_cancel", || {
        // SAFETY: NULL or a live handle.
        let me = &unsafe { borrow(ix, "indexer")? }.shared;
        if me.lock().running {
            me.cancel.store(true, Ordering::Release);
        }
        Ok(())
    })
}

/// Configure the next `start_indexing` (`IWMIndexer2::Configure`): an index for stream
/// `stream_num` (0 = every video stream) of type `indexer_type`. `interval` points at a
/// `uint32_t` (ms for `WMT_IT_PRESENTATION_TIME`, frames — media objects — for
/// `WMT_IT_FRAME_NUMBERS`; NULL = this library's default, 1000 ms / 10 frames);
/// `index_type` points at a `WMT_INDEX_TYPE` (NULL = `WMT_IT_NEAREST_CLEAN_POINT`):
/// `NEAREST_CLEAN_POINT` entries point at the packet of the key frame at or before,
/// `NEAREST_OBJECT` / `NEAREST_DATA_UNIT` at the packet of the sample itself.
///
/// `WMT_IT_PRESENTATION_TIME` makes a Simple Index Object with that interval.
/// `WMT_IT_FRAME_NUMBERS` makes a Media Object Index Object (one block; entry `i` =
/// frame `i × interval`, offset from the first data packet) with its Media Object Index
/// Parameters Object in the Header Extension. `WMT_IT_TIMECODE` (one stream; interval
/// NULL = every time code) makes a Timecode Index Object from the SMPTE time codes the
/// samples carry in their `WM_SampleExtensionGUID_Timecode` payload extension (a block
/// per time-code range) with its Timecode Index Parameters Object; a stream without
/// that extension makes the run end with `NS_E_INVALID_REQUEST`. For both, the header
/// grows, so the file is rewritten beside itself and renamed over the original
/// (permissions kept), and the stream also gets the default Simple Index (players seek
/// by time only with it). A second call for the same stream replaces the first; every
/// configured index is made by the one next run (the SDK: configure them all, then
/// index).
///
/// Returns `S_OK`, `E_POINTER` (indexer NULL), `E_INVALIDARG` (unknown indexer or index
/// type, interval 0), `NS_E_BUSY` (indexing).
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_configure(
    ix: *mut WMIndexer,
    stream_num: u16,
    indexer_type: WMT_INDEXER_TYPE,
    interval: *mut c_void,
    index_type: *mut c_void,
) -> HRESULT {
    call("wm_indexer_configure", || {
        // SAFETY: NULL or a live handle.
        let me = &unsafe { borrow(ix, "indexer")? }.shared;
        let kind = match indexer_type {
            WMT_IT_PRESENTATION_TIME => IndexerType::PresentationTime,
            WMT_IT_FRAME_NUMBERS => IndexerType::FrameNumbers,
            WMT_IT_TIMECODE => IndexerType::Timecode,
            t => bail!(InvalidArg, "{t} is not a WMT_INDEXER_TYPE (0 presentation time, 1 frame numbers, 2 time code)"),
        };
        let iv = if interval.is_null() {
            match kind {
                IndexerType::FrameNumbers => indexer::DEFAULT_FRAME_INTERVAL,
                IndexerType::Timecode => 1,
                _ => (indexer::DEFAULT_INTERVAL / crate::TICKS_PER_MS) as u32,
            }
        } else {
            // SAFETY: the caller's pointer to a DWORD (the SDK's contract); read unaligned.
            unsafe { interval.cast::<u32>().read_unaligned() }
        };
        if iv == 0 {
            bail!(InvalidArg, "the interval is 0");
        }
        let it = if index_type.is_null() {
            IndexType::NearestCleanPoint
        } else {
            // SAFETY: the caller's pointer to a WMT_INDEX_TYPE.
            match unsafe { index_type.cast::<u32>().read_unaligned() } {
                WMT_IT_NEAREST_DATA_UNIT => IndexType::NearestDataUnit,
                WMT_IT_NEAREST_OBJECT => IndexType::NearestObject,
                WMT_IT_NEAREST_CLEAN_POINT => IndexType::NearestCleanPoint,
                t => bail!(InvalidArg, "{t} is not a WMT_INDEX_TYPE (1 data unit, 2 object, 3 clean point)"),
            }
        };
        let mut st = me.lock();
        if st.running {
            bail!(Busy, "the indexer is indexing; configure it before start_indexing");
        }
        st.configs.retain(|c| c.stream != stream_num);
        st.configs.push(StreamIndex { stream: stream_num, indexer_type: kind, interval: iv, index_type: it });
        Ok(())
    })
}

/// Not in the SDK: wait up to `timeout_ms` (`0xFFFFFFFF` = forever) for the current
/// run to finish (its `WMT_CLOSED` callback returned). Returns that run's HRESULT
/// (`S_OK`, `E_ABORT`, the failure — with its message in `wm_get_last_error_message`),
/// `S_FALSE` if nothing was ever indexed, `NS_E_BUSY` if still indexing at the
/// timeout, `E_POINTER` (indexer NULL). Do not call it from the callback.
#[no_mangle]
pub unsafe extern "C" fn wm_indexer_wait(ix: *mut WMIndexer, timeout_ms: u32) -> HRESULT {
    boundary("wm_indexer_wait", || {
        // SAFETY: NULL or a live handle.
        let me = &unsafe { borrow(ix, "indexer")? }.shared;
        let deadline = (timeout_ms != u32::MAX).then(|| Instant::now() + Duration::from_millis(timeout_ms as u64));
        let mut st = me.lock();
        while st.threads > 0 {
            match deadline {
                None => st = me.finished.wait(st).unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        set_last_error("wm_indexer_wait: still indexing at the timeout");
                        return Ok(NS_E_BUSY);
                    }
                    st = me.finished.wait_timeout(st, d - now).unwrap_or_else(PoisonError::into_inner).0;
                }
            }
        }
        Ok(match &st.last {
            None => S_FALSE,
            Some((hr, msg)) => {
                if *hr < 0 {
                    set_last_error(msg);
                }
                *hr
            }
        })
    })
}
