//! Sinks: where the writer's bytes go. Every sink implements the typed protocol of
//! [`protocol::PacketSink`]: the header, runs of data packets (each with its send time,
//! duration and key-frame starts), and the end (trailing index objects + final header).
//! No sink parses ASF bytes.
//!
//! Threading: the writer queues [`protocol::SinkEvent`]s while it holds its own state
//! and hands them to the sinks afterwards ([`FanOut::deliver`]), so a sink (an
//! application callback) may call any writer function from inside a callback.
#![forbid(unsafe_code)]

pub mod network;
pub mod protocol;
pub mod push;

use std::fmt::Debug;
use std::fs::{File, OpenOptions};
use std::io::{self, IoSlice, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use protocol::{EndEvent, HeaderEvent, HeaderPatcher, KeyPacket, Packet, PacketInfo, PacketLog, PacketRun, PacketSink, SinkEvent};

/// Write every packet of `packets` to `w` with vectored writes (one system call for
/// many packets on a file).
pub fn write_all_packets(w: &mut impl Write, packets: &[Packet<'_>]) -> io::Result<()> {
    // writev takes at most IOV_MAX (1024 on Linux) slices per call.
    const MAX_SLICES: usize = 1024;
    let (mut i, mut skip) = (0usize, 0usize); // next packet, bytes of it already written
    while i < packets.len() {
        let end = (i + MAX_SLICES).min(packets.len());
        let slices: Vec<IoSlice<'_>> = std::iter::once(IoSlice::new(&packets[i].bytes[skip..]))
            .chain(packets[i + 1..end].iter().map(|p| IoSlice::new(p.bytes)))
            .collect();
        let mut n = match w.write_vectored(&slices) {
            Ok(0) => return Err(io::Error::new(io::ErrorKind::WriteZero, "the sink accepted no bytes")),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        while n > 0 && i < packets.len() {
            let left = packets[i].bytes.len() - skip;
            if n >= left {
                n -= left;
                i += 1;
                skip = 0;
            } else {
                skip += n;
                n = 0;
            }
        }
        while i < packets.len() && packets[i].bytes.len() == skip {
            i += 1;
            skip = 0;
        }
    }
    Ok(())
}

#[cfg(test)]
mod write_tests {
    use super::*;

    /// Accepts at most 7 bytes per call.
    struct Trickle(Vec<u8>);
    impl Write for Trickle {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let n = b.len().min(7);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn partial_vectored_writes_write_everything_in_order() {
        let data: Vec<Vec<u8>> = (0..2100u32).map(|i| vec![(i % 251) as u8; 3 + (i % 5) as usize]).collect();
        let packets: Vec<Packet<'_>> = data.iter().map(|d| Packet { bytes: d, send_time_ms: 0, duration_ms: 0, key_starts: 0 }).collect();
        let mut t = Trickle(Vec::new());
        write_all_packets(&mut t, &packets).unwrap();
        assert_eq!(t.0, data.concat());
        let mut v = Vec::new();
        write_all_packets(&mut v, &packets).unwrap();
        assert_eq!(v, data.concat());
    }
}

/// Writes to a file on disk (or a FIFO / device, without the final header patch).
#[derive(Debug)]
pub struct FileSink {
    path: PathBuf,
    file: File,
    seekable: bool,
    /// Whether this sink created the file (it did not exist before).
    created: bool,
    /// Unbuffered (`O_DIRECT`) writing, when asked for and the file system takes it.
    direct: Option<DirectIo>,
    /// Unbuffered writing asked for (staging bytes), set up at the header.
    want_direct: Option<usize>,
    /// Why unbuffered I/O was asked for but is not used (buffered I/O instead).
    fallback: Option<String>,
}

/// `O_DIRECT` (Linux).
#[cfg(all(target_os = "linux", any(target_arch = "aarch64", target_arch = "arm", target_arch = "powerpc64")))]
const O_DIRECT: i32 = 0o200000;
/// `O_DIRECT` (Linux).
#[cfg(all(target_os = "linux", not(any(target_arch = "aarch64", target_arch = "arm", target_arch = "powerpc64"))))]
const O_DIRECT: i32 = 0o40000;

/// Alignment of unbuffered writes (buffer address, file offset and length).
pub(crate) const DIRECT_ALIGN: usize = 4096;

/// Unbuffered writing: bytes are staged in an aligned buffer and written in whole
/// aligned blocks through a second, `O_DIRECT` handle; the unaligned tail, the index
/// and the header patch go through the ordinary handle at the end.
#[derive(Debug)]
struct DirectIo {
    file: File,
    /// Backing store: `cap + DIRECT_ALIGN` bytes; the staging area starts at `start`.
    buf: Vec<u8>,
    start: usize,
    cap: usize,
    /// Bytes staged.
    len: usize,
    /// File offset of the staging area (a multiple of the alignment).
    pos: u64,
}

impl DirectIo {
    fn new(path: &Path, cap: usize) -> io::Result<DirectIo> {
        #[cfg(target_os = "linux")]
        let file = {
            use std::os::unix::fs::OpenOptionsExt;
            OpenOptions::new().write(true).custom_flags(O_DIRECT).open(path)?
        };
        #[cfg(not(target_os = "linux"))]
        let file: File = return Err(io::Error::new(io::ErrorKind::Unsupported, "unbuffered I/O is implemented for Linux only"));
        let buf = vec![0u8; cap + DIRECT_ALIGN];
        let start = (DIRECT_ALIGN - buf.as_ptr() as usize % DIRECT_ALIGN) % DIRECT_ALIGN;
        Ok(DirectIo { file, buf, start, cap, len: 0, pos: 0 })
    }

    /// Stage `data`, writing every full staging area.
    fn put(&mut self, mut data: &[u8]) -> io::Result<()> {
        while !data.is_empty() {
            let n = (self.cap - self.len).min(data.len());
            let at = self.start + self.len;
            self.buf[at..at + n].copy_from_slice(&data[..n]);
            self.len += n;
            data = &data[n..];
            if self.len == self.cap {
                self.write_aligned()?;
            }
        }
        Ok(())
    }

    /// Write the staged whole blocks; the partial block stays staged (moved to the front).
    fn write_aligned(&mut self) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        let whole = self.len / DIRECT_ALIGN * DIRECT_ALIGN;
        if whole == 0 {
            return Ok(());
        }
        self.file.write_all_at(&self.buf[self.start..self.start + whole], self.pos)?;
        self.pos += whole as u64;
        self.buf.copy_within(self.start + whole..self.start + self.len, self.start);
        self.len -= whole;
        Ok(())
    }

    /// Write everything staged: whole blocks unbuffered, the tail through `buffered`
    /// (kept staged, so later blocks rewrite it aligned). Returns the end offset.
    fn write_all_staged(&mut self, buffered: &File) -> io::Result<u64> {
        use std::os::unix::fs::FileExt;
        self.write_aligned()?;
        buffered.write_all_at(&self.buf[self.start..self.start + self.len], self.pos)?;
        Ok(self.pos + self.len as u64)
    }
}

impl FileSink {
    /// Create `path`, or truncate it if it exists (remembering which, see [`FileSink::created`]).
    pub fn create(path: &Path) -> io::Result<Self> {
        let f = FileSink::open(path)?;
        f.truncate()?;
        Ok(f)
    }

    /// Open `path` for writing, creating it if it does not exist, without truncating an
    /// existing file yet ([`FileSink::truncate`] does, once the session is sure to start).
    pub fn open(path: &Path) -> io::Result<Self> {
        let (file, created) = match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(f) => (f, true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => (OpenOptions::new().write(true).open(path)?, false),
            Err(e) => return Err(e),
        };
        let seekable = file.metadata().map(|m| m.file_type().is_file()).unwrap_or(false);
        Ok(FileSink { path: path.to_path_buf(), file, seekable, created, direct: None, want_direct: None, fallback: None })
    }

    /// Write through `O_DIRECT` (staging `cap` bytes, rounded up to the alignment)
    /// from the header on. At the header the file system is tried with one aligned
    /// block; when the file is not a regular file or its file system refuses `O_DIRECT`,
    /// the sink stays buffered and says why ([`FileSink::unbuffered_fallback`]).
    pub fn use_unbuffered(&mut self, cap: usize) {
        self.want_direct = Some(cap.div_ceil(DIRECT_ALIGN).max(1) * DIRECT_ALIGN);
    }

    fn setup_direct(&mut self, cap: usize) {
        use std::os::unix::fs::FileExt;
        if !self.seekable {
            self.fallback = Some("not a regular file: buffered I/O is used".into());
            return;
        }
        let probe = DirectIo::new(&self.path, cap).and_then(|d| {
            // The file is empty (this session's): one aligned block shows whether the
            // file system takes unbuffered writes.
            d.file.write_all_at(&d.buf[d.start..d.start + DIRECT_ALIGN], 0)?;
            self.file.set_len(0)?;
            Ok(d)
        });
        match probe {
            Ok(d) => self.direct = Some(d),
            Err(e) => {
                let _ = self.file.set_len(0);
                self.fallback = Some(format!("the file system refused O_DIRECT ({e}): buffered I/O is used"))
            }
        }
    }

    /// Whether writes bypass the page cache (`O_DIRECT` in use).
    pub fn is_unbuffered(&self) -> bool {
        self.direct.is_some()
    }

    /// Why unbuffered I/O was asked for but buffered I/O is used.
    pub fn unbuffered_fallback(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// `IWMWriterFileSink3::CompleteOperations`: everything handed to the sink so far
    /// is on the disk when this returns (staged bytes written, then `fdatasync`).
    pub fn complete(&mut self) -> io::Result<()> {
        if let Some(d) = &mut self.direct {
            d.write_all_staged(&self.file)?;
            d.file.sync_data()?;
        }
        self.file.flush()?;
        if self.seekable {
            self.file.sync_data()?;
        }
        Ok(())
    }

    /// Rewrite the file's beginning with `header` while writing (same length as the
    /// first; a regular file). Staged unbuffered bytes there are updated too, so a later
    /// aligned write does not put the old header back.
    pub fn write_header_now(&mut self, header: &[u8]) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        if let Some(d) = &mut self.direct {
            let pos = d.pos as usize;
            if pos < header.len() {
                let n = (header.len() - pos).min(d.len);
                d.buf[d.start..d.start + n].copy_from_slice(&header[pos..pos + n]);
            }
        }
        self.file.write_all_at(header, 0)
    }

    /// The path written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empty the file (a regular file; a FIFO or device is left as it is).
    pub fn truncate(&self) -> io::Result<()> {
        if self.seekable {
            self.file.set_len(0)?;
        }
        Ok(())
    }

    /// Whether the file did not exist before [`FileSink::create`] / [`FileSink::open`].
    pub fn created(&self) -> bool {
        self.created
    }
}

impl PacketSink for FileSink {
    fn can_seek(&self) -> bool {
        self.seekable
    }

    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()> {
        // A FIFO or device cannot be patched at the end: it gets the live layout.
        let bytes = if self.seekable { header.bytes } else { header.live_bytes };
        if let Some(cap) = self.want_direct.take() {
            self.setup_direct(cap);
        }
        if let Some(d) = &mut self.direct {
            return d.put(bytes);
        }
        self.file.write_all(bytes)
    }

    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()> {
        if let Some(d) = &mut self.direct {
            return packets.iter().try_for_each(|p| d.put(p.bytes));
        }
        write_all_packets(&mut self.file, packets)
    }

    fn on_end(&mut self, end: &EndEvent<'_>) -> io::Result<()> {
        if let Some(mut d) = self.direct.take() {
            let at = d.write_all_staged(&self.file)?;
            self.file.seek(SeekFrom::Start(at))?;
        }
        if self.seekable {
            self.file.write_all(end.trailer)?;
            self.file.seek(SeekFrom::Start(0))?;
            self.file.write_all(end.final_header)?;
            self.file.seek(SeekFrom::End(0))?;
        }
        self.file.flush()
    }
}

/// Collects the file in memory (tests, and callers that want the bytes).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    /// The bytes so far (shared, so the caller can read them after the writer is done).
    pub bytes: Arc<Mutex<Vec<u8>>>,
    /// Whether to behave as seekable (a non-seekable one keeps the live layout).
    pub seekable: bool,
}

impl MemorySink {
    fn buf(&self) -> MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PacketSink for MemorySink {
    fn can_seek(&self) -> bool {
        self.seekable
    }
    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()> {
        self.buf().extend_from_slice(if self.seekable { header.bytes } else { header.live_bytes });
        Ok(())
    }
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()> {
        let mut b = self.buf();
        packets.iter().for_each(|p| b.extend_from_slice(p.bytes));
        Ok(())
    }
    fn on_end(&mut self, end: &EndEvent<'_>) -> io::Result<()> {
        if self.seekable {
            let mut b = self.buf();
            b.extend_from_slice(end.trailer);
            b[..end.final_header.len()].copy_from_slice(end.final_header);
        }
        Ok(())
    }
}

/// A sink object the application can hold and attach to writers
/// (`IWMWriterSink`): a file sink (created at `begin_writing` from its file name) or a
/// custom one. Shared: the writer and the application each hold a reference.
#[derive(Debug)]
pub struct WriterSink {
    state: Mutex<SinkTarget>,
    /// Bytes handed to the target in this session (`IWMWriterFileSink2::GetFileSize`).
    bytes: AtomicU64,
    /// Send time + duration of the last packet, ms (`GetFileDuration`).
    duration_ms: AtomicU64,
    /// Packet size, from the header event.
    packet_size: AtomicU32,
    /// Whether the target can seek, fixed at `start` (read without the target's lock).
    seekable: AtomicBool,
    /// Closed early (`IWMWriterFileSink2::Close`): gets nothing more this session.
    closed: AtomicBool,
    /// `IWMWriterSink::IsRealTime`, fixed at creation (read without the target's lock:
    /// a callback running under that lock may ask the writer).
    real_time: bool,
    /// What a file sink writes of the session (start/stop segments) and what it wrote.
    rec: Mutex<Recorder>,
    /// `IWMWriterFileSink3::SetAutoIndexing` (default on): off, a file sink writes no
    /// index objects at the end, and a header that says so.
    auto_index: AtomicBool,
    /// A start, stop or control stream is pending: the muxer should begin media objects
    /// on packet boundaries so the cut can fall between whole objects (read lock-free by
    /// the writer for every sample).
    clean_cuts: AtomicBool,
    /// The application's status hook (`IWMRegisterCallback::Advise` on the sink).
    status_hook: HookSlot,
}

/// The slot of a [`SinkStatusHook`].
#[derive(Default)]
struct HookSlot(Mutex<Option<SinkStatusHook>>, Mutex<Option<Arc<dyn std::any::Any + Send + Sync>>>);

impl std::fmt::Debug for HookSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HookSlot")
    }
}

/// What a sink tells its status hook (`IWMStatusCallback` on a sink): a session
/// started (`WMT_STARTED`), ended (`WMT_CLOSED`), an error (`WMT_ERROR`: writing
/// failed), or a network client came or went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SinkStatus {
    /// `begin_writing` started the sink.
    Started,
    /// The session ended (`end_writing`, or the sink was closed early).
    Closed,
    /// Handing data to the target failed: the message.
    Error(String),
    /// A network client connected or disconnected.
    Client(network::ClientEvent),
}

/// The application's sink status hook: called on the thread that caused the status
/// (the writer's caller, or a network server thread), never under the sink's lock.
pub type SinkStatusHook = Arc<dyn Fn(&SinkStatus) + Send + Sync>;

/// The start/stop schedule of a file sink (`IWMWriterFileSink2::Start` / `Stop`,
/// `IWMWriterFileSink3::SetControlStream`) and the packets it wrote this session.
///
/// A start or stop takes effect at the first packet at or after its time that does
/// not continue a media object begun in an earlier packet, so every media object in the
/// file is whole. Without a control stream a packet's time is its send time; with
/// control streams it is the presentation time (preroll taken off) of a control
/// stream's key frame (clean point) starting in the packet: a request applies at the
/// first packet beginning with a whole object from the packet where the first such
/// clean point at or after its time starts. A request whose time is not after the
/// session's first packet applies at that packet.
#[derive(Debug, Default)]
struct Recorder {
    /// Start (`true`) / stop (`false`) requests not yet reached: (time ms, start).
    pending: std::collections::VecDeque<(u64, bool)>,
    /// The time of the last stop asked for (100 ns): a start before it is refused.
    last_stop: Option<u64>,
    /// Not writing (a stop took effect).
    stopped: bool,
    /// The first pending request's time was reached (with a control stream: a control
    /// stream's clean point at or after it was seen); it applies at the next packet that
    /// begins with a whole object.
    armed: bool,
    /// Bit `n`: stream `n` is a control stream.
    control: u128,
    /// The packets written this session, in file order (what the patcher needs of them).
    kept: PacketLog,
    /// Some packet of this session was left out (the header and index are then rebuilt
    /// by the patcher).
    dropped: bool,
    /// From the header event (then from the end event).
    patcher: Option<Arc<dyn HeaderPatcher>>,
    preroll_ms: u64,
    /// The header of this session was written (unbuffered I/O can no longer change).
    header_seen: bool,
    /// `IWMWriterFileSink3::SetUnbufferedIO`: Some(restrict memory use) when asked for.
    unbuffered: Option<bool>,
    /// Whether this session's file really is written unbuffered, and if not, why.
    direct_in_use: bool,
    fallback: Option<String>,
    /// Flush interval (ms of send time; 0 = off): see [`WriterSink::set_flush_interval`].
    flush_ms: u32,
    /// Send time of the packet the header was last rewritten after.
    last_flush_ms: Option<u32>,
    /// Packets the header says the file holds after the last flush, and the file's bytes then.
    flushed: (u64, u64),
}

impl Recorder {
    /// Whether the packet `p` is written, applying the requests it reaches.
    fn admit(&mut self, p: &PacketInfo) -> bool {
        while let Some(&(t, start)) = self.pending.front() {
            if start != self.stopped {
                // Already in that state (a start while writing, a stop while stopped).
                self.pending.pop_front();
                continue;
            }
            let first = self.kept.is_empty() && !self.dropped;
            let reached = if self.control == 0 || (first && p.send_time_ms as u64 >= t) {
                p.send_time_ms as u64 >= t
            } else {
                self.armed || (p.key_starts & self.control != 0 && (p.key_pt_ms as u64).saturating_sub(self.preroll_ms) >= t)
            };
            self.armed = reached;
            if !reached || p.continues {
                break;
            }
            self.armed = false;
            self.pending.pop_front();
            self.stopped = !start;
        }
        !self.stopped
    }

    /// Back to the default for the next session: writing from time 0.
    fn reset(&mut self) {
        self.pending.clear();
        self.last_stop = None;
        self.stopped = false;
        self.armed = false;
        self.kept = PacketLog::default();
        self.dropped = false;
        self.patcher = None;
        self.header_seen = false;
        self.last_flush_ms = None;
    }
}

/// Staging buffer of unbuffered writing (`fRestrictMemUsage` picks the small one).
const DIRECT_STAGING: usize = 1 << 20;
const DIRECT_STAGING_SMALL: usize = 64 << 10;

/// What a [`WriterSink`] writes to. A network sink (held in an `Arc`, shared with its
/// server threads) becomes one more variant here.
#[derive(Debug)]
enum SinkTarget {
    File { path: Option<PathBuf>, file: Option<FileSink> },
    Custom(Box<dyn PacketSink>),
    Network(network::NetworkSink),
    Push(push::PushSink),
}

impl WriterSink {
    /// A file sink with no file name yet (`WMCreateWriterFileSink`).
    pub fn file(path: Option<PathBuf>) -> Self {
        WriterSink::with_target(SinkTarget::File { path, file: None })
    }

    /// A sink that hands the events to `sink`.
    pub fn custom(sink: Box<dyn PacketSink>) -> Self {
        WriterSink::with_target(SinkTarget::Custom(sink))
    }

    /// A network sink (`WMCreateWriterNetworkSink`).
    pub fn network(sink: network::NetworkSink) -> Self {
        WriterSink::with_target(SinkTarget::Network(sink))
    }

    /// A push sink (`WMCreateWriterPushSink`).
    pub fn push(sink: push::PushSink) -> Self {
        WriterSink::with_target(SinkTarget::Push(sink))
    }

    /// The push sink behind this sink object, if it is one.
    pub fn as_push(&self) -> Option<push::PushSink> {
        match &*self.lock() {
            SinkTarget::Push(p) => Some(p.clone()),
            _ => None,
        }
    }

    /// The network sink behind this sink object, if it is one.
    pub fn as_network(&self) -> Option<network::NetworkSink> {
        match &*self.lock() {
            SinkTarget::Network(n) => Some(n.clone()),
            _ => None,
        }
    }

    fn with_target(t: SinkTarget) -> Self {
        WriterSink {
            real_time: matches!(t, SinkTarget::Network(_) | SinkTarget::Push(_)),
            state: Mutex::new(t),
            bytes: Default::default(),
            duration_ms: Default::default(),
            packet_size: Default::default(),
            seekable: Default::default(),
            closed: Default::default(),
            rec: Default::default(),
            auto_index: AtomicBool::new(true),
            clean_cuts: AtomicBool::new(false),
            status_hook: HookSlot::default(),
        }
    }

    /// `IWMWriterFileSink3::SetAutoIndexing`: only a file sink, and only while it is not
    /// writing (the SDK: `NS_E_INVALID_REQUEST` once the header was received).
    pub fn set_auto_indexing(&self, on: bool) -> crate::error::Result<()> {
        match &*self.lock() {
            SinkTarget::File { file: None, .. } => {
                self.auto_index.store(on, Ordering::Release);
                Ok(())
            }
            SinkTarget::File { .. } => Err(crate::err!(
                InvalidRequest,
                "the file sink is writing (its header was already received); auto-indexing can change only before begin_writing"
            )),
            _ => Err(crate::err!(InvalidRequest, "not a file sink")),
        }
    }

    /// Set (or clear) the status hook; a network sink also reports its clients to it.
    pub fn set_status_hook(&self, hook: Option<SinkStatusHook>) {
        if let Some(n) = self.as_network() {
            let h = hook.clone();
            n.set_status_hook(
                h.map(|h| -> network::StatusHook { Arc::new(move |e: &network::ClientEvent| h(&SinkStatus::Client(e.clone()))) }),
            );
        }
        *self.status_hook.0.lock().unwrap_or_else(PoisonError::into_inner) = hook;
    }

    /// Data the application layer keeps with the sink's status hook (the C layer's
    /// list of advised callbacks); freed with the sink.
    pub fn status_data(&self) -> Option<Arc<dyn std::any::Any + Send + Sync>> {
        self.status_hook.1.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// See [`WriterSink::status_data`].
    pub fn set_status_data(&self, data: Option<Arc<dyn std::any::Any + Send + Sync>>) {
        *self.status_hook.1.lock().unwrap_or_else(PoisonError::into_inner) = data;
    }

    fn emit(&self, s: SinkStatus) {
        let hook = self.status_hook.0.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(h) = hook {
            h(&s);
        }
    }

    /// Whether this sink needs media objects to begin on packet boundaries now (a start,
    /// stop or control stream is pending: see [`WriterSink::start_at`]).
    pub fn wants_clean_cuts(&self) -> bool {
        self.clean_cuts.load(Ordering::Acquire)
    }

    /// `IWMWriterFileSink3::GetAutoIndexing` (default true).
    pub fn auto_indexing(&self) -> bool {
        self.auto_index.load(Ordering::Acquire)
    }

    fn rec(&self) -> MutexGuard<'_, Recorder> {
        self.rec.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `IWMWriterFileSink2::Start`: write again from `time` (100 ns) on. A sink writes
    /// from time 0 when a session begins, so this is needed only after [`WriterSink::stop_at`].
    /// A time before the last stop time is refused (`NS_E_INVALID_REQUEST`).
    pub fn start_at(&self, time: u64) -> crate::error::Result<()> {
        let mut r = self.rec();
        if let Some(stop) = r.last_stop {
            if time < stop {
                crate::bail!(
                    InvalidRequest,
                    "the start time {} ms precedes the last stop time {} ms",
                    time / crate::TICKS_PER_MS,
                    stop / crate::TICKS_PER_MS
                );
            }
        }
        r.pending.push_back((time / crate::TICKS_PER_MS, true));
        self.clean_cuts.store(true, Ordering::Release);
        Ok(())
    }

    /// `IWMWriterFileSink2::Stop`: write nothing from `time` (100 ns) on, until a later start.
    pub fn stop_at(&self, time: u64) {
        let mut r = self.rec();
        r.pending.push_back((time / crate::TICKS_PER_MS, false));
        self.clean_cuts.store(true, Ordering::Release);
        r.last_stop = Some(r.last_stop.map_or(time, |t| t.max(time)));
    }

    /// `IWMWriterFileSink2::IsStopped`: whether a stop took effect (and no start after it yet).
    pub fn is_stopped(&self) -> bool {
        self.rec().stopped
    }

    /// `IWMWriterFileSink3::SetControlStream` (stream 1..=63).
    pub fn set_control_stream(&self, stream: u16, control: bool) -> crate::error::Result<()> {
        if !(1..=63).contains(&stream) {
            crate::bail!(InvalidArg, "stream number {stream} is not 1..63");
        }
        let mut r = self.rec();
        if control {
            r.control |= 1u128 << stream;
            self.clean_cuts.store(true, Ordering::Release);
        } else {
            r.control &= !(1u128 << stream);
        }
        Ok(())
    }

    /// `IWMWriterFileSink3::GetControlStream`: whether `stream` is a control stream.
    pub fn control_stream(&self, stream: u16) -> crate::error::Result<bool> {
        if !(1..=63).contains(&stream) {
            crate::bail!(InvalidArg, "stream number {stream} is not 1..63");
        }
        Ok(self.rec().control & (1u128 << stream) != 0)
    }

    /// `IWMWriterFileSink3::SetUnbufferedIO`: write the next file with `O_DIRECT`
    /// (`restrict_mem`: a 64 KiB staging buffer instead of 1 MiB). Refused once this
    /// session's header was written (`NS_E_INVALID_REQUEST`, as the SDK documents).
    pub fn set_unbuffered_io(&self, unbuffered: bool, restrict_mem: bool) -> crate::error::Result<()> {
        if !self.is_file() {
            crate::bail!(InvalidRequest, "not a file sink");
        }
        let mut r = self.rec();
        if r.header_seen {
            crate::bail!(InvalidRequest, "the header was already written; unbuffered I/O is chosen before begin_writing");
        }
        r.unbuffered = unbuffered.then_some(restrict_mem);
        Ok(())
    }

    /// `IWMWriterFileSink3::GetUnbufferedIO`: before the header, what was asked for;
    /// from the header on, whether the file really is written unbuffered — with the
    /// reason when it was asked for but buffered I/O is used.
    pub fn unbuffered_io(&self) -> (bool, Option<String>) {
        let r = self.rec();
        if r.header_seen || r.fallback.is_some() || r.direct_in_use {
            (r.direct_in_use, if r.unbuffered.is_some() { r.fallback.clone() } else { None })
        } else {
            (r.unbuffered.is_some(), None)
        }
    }

    /// `IWMWriterFileSink3::CompleteOperations`: everything this sink accepted is on the
    /// disk when this returns (staged unbuffered bytes written, `fdatasync`). Nothing to
    /// do when the sink is not writing.
    pub fn complete_operations(&self) -> crate::error::Result<()> {
        if let SinkTarget::File { file: Some(f), .. } = &mut *self.lock() {
            f.complete().map_err(|e| crate::err!(FileWrite, "cannot complete the writes to {}: {e}", f.path().display()))?;
        }
        Ok(())
    }

    /// `IWMWriterFileSink3::OnDataUnitEx`: append one data packet the caller assembled
    /// (`bytes`, shorter ones padded with zeros to the session's packet size) with its
    /// facts `info`. Only while the sink is writing (its header written).
    pub fn write_data_unit(&self, bytes: &[u8], info: PacketInfo) -> crate::error::Result<()> {
        let ps = self.packet_size() as usize;
        match &mut *self.lock() {
            SinkTarget::File { file: Some(f), .. } if self.rec().header_seen && !self.is_closed() => {
                if bytes.len() > ps {
                    crate::bail!(InvalidArg, "the data unit is {} bytes; this file's packets are {ps}", bytes.len());
                }
                let mut p = bytes.to_vec();
                p.resize(ps, 0);
                f.on_packets(&[Packet {
                    bytes: &p,
                    send_time_ms: info.send_time_ms,
                    duration_ms: info.duration_ms,
                    key_starts: info.key_starts,
                }])
                .map_err(|e| crate::err!(FileWrite, "cannot write to {}: {e}", f.path().display()))?;
                let mut r = self.rec();
                r.kept.push(&info);
                r.dropped = true; // the session's own header no longer describes the file
                drop(r);
                self.bytes.fetch_add(ps as u64, Ordering::Relaxed);
                self.duration_ms.fetch_max(info.send_time_ms as u64 + info.duration_ms as u64, Ordering::Relaxed);
                Ok(())
            }
            SinkTarget::File { .. } => Err(crate::err!(InvalidRequest, "the file sink is not writing (no header yet, or closed)")),
            _ => Err(crate::err!(InvalidRequest, "not a file sink")),
        }
    }

    /// Rewrite the header every `ms` milliseconds of send time while writing (0 = never,
    /// the default; beyond the SDK): the packets written so far are synced to the disk,
    /// then a header whose sizes, counts and durations describe exactly them, synced
    /// too. A file whose writer is killed then still says how many packets it holds, and
    /// `wmwrite repair` restores the ones written after the last flush.
    pub fn set_flush_interval(&self, ms: u32) {
        self.rec().flush_ms = ms;
    }

    /// See [`WriterSink::set_flush_interval`].
    pub fn flush_interval(&self) -> u32 {
        self.rec().flush_ms
    }

    /// (packets, bytes) the file held at the last header rewrite of this session.
    pub fn flushed(&self) -> (u64, u64) {
        self.rec().flushed
    }

    /// Packets written to the file this session (or the last).
    pub fn packets_written(&self) -> u64 {
        self.rec().kept.len()
    }

    /// `IWMWriterSink::IsRealTime`: a network sink serves its clients as the data comes
    /// (real time); file and callback sinks take data as fast as it is written.
    pub fn is_real_time(&self) -> bool {
        self.real_time
    }

    /// Bytes written in the current (or last) session.
    pub fn file_size(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Duration written so far in 100 ns (the last packet's send time + duration).
    pub fn file_duration(&self) -> u64 {
        self.duration_ms.load(Ordering::Relaxed) * 10_000
    }

    /// The packet size of the current (or last) session (0 before the first header).
    pub fn packet_size(&self) -> u32 {
        self.packet_size.load(Ordering::Relaxed)
    }

    /// Whether the target can seek (known from `start` on).
    pub fn can_seek(&self) -> bool {
        self.seekable.load(Ordering::Acquire)
    }

    /// `IWMWriterFileSink2::Close`: stop receiving data now (the file keeps what it has,
    /// in the streaming layout if the session was still running); other sinks go on.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        // Busy: this sink is being handed an event right now (perhaps Close was called
        // from inside its own callback); `deliver` closes the file after that event.
        if let Ok(mut t) = self.state.try_lock() {
            if let SinkTarget::File { file, .. } = &mut *t {
                *file = None;
            }
        }
    }

    /// Whether the sink was closed early and has not been started again.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    fn lock(&self) -> MutexGuard<'_, SinkTarget> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether this is a file sink.
    pub fn is_file(&self) -> bool {
        matches!(*self.lock(), SinkTarget::File { .. })
    }

    /// `IWMWriterFileSink::Open`: the file to create at the next `begin_writing`.
    pub fn set_path(&self, path: &Path) -> crate::error::Result<()> {
        match &mut *self.lock() {
            SinkTarget::File { path: p, file: None } => {
                *p = Some(path.to_path_buf());
                Ok(())
            }
            SinkTarget::File { .. } => {
                Err(crate::err!(InvalidRequest, "the file sink is writing; its file name cannot change until end_writing"))
            }
            SinkTarget::Custom(_) | SinkTarget::Network(_) | SinkTarget::Push(_) => Err(crate::err!(InvalidRequest, "not a file sink")),
        }
    }

    /// The file name of a file sink.
    pub fn path(&self) -> Option<PathBuf> {
        match &*self.lock() {
            SinkTarget::File { path, .. } => path.clone(),
            SinkTarget::Custom(_) | SinkTarget::Network(_) | SinkTarget::Push(_) => None,
        }
    }

    /// Check, without touching the disk, that `start` has what it needs (a file sink
    /// needs a file name).
    pub fn check_ready(&self) -> crate::error::Result<()> {
        match &*self.lock() {
            SinkTarget::File { path: None, .. } => {
                crate::bail!(NotConfigured, "a file sink has no file name (set_output_filename or wm_writer_file_sink_open)")
            }
            SinkTarget::Push(p) if !p.is_connected() => {
                crate::bail!(NotConfigured, "the push sink is not connected (wm_writer_push_sink_connect)")
            }
            _ => {}
        }
        Ok(())
    }

    /// Start a session: a file sink opens (or creates) its file; an existing file is
    /// emptied only by [`WriterSink::commit`], once every sink has started.
    pub fn start(&self) -> crate::error::Result<()> {
        self.closed.store(false, Ordering::Relaxed);
        self.bytes.store(0, Ordering::Relaxed);
        self.duration_ms.store(0, Ordering::Relaxed);
        let seekable = match &mut *self.lock() {
            SinkTarget::File { path, file } => {
                let p = path.clone().ok_or_else(|| {
                    crate::err!(NotConfigured, "a file sink has no file name (set_output_filename or wm_writer_file_sink_open)")
                })?;
                let mut f = FileSink::open(&p).map_err(|e| crate::err!(FileOpenFailed, "cannot create {}: {e}", p.display()))?;
                if let Some(restrict) = self.rec().unbuffered {
                    f.use_unbuffered(if restrict { DIRECT_STAGING_SMALL } else { DIRECT_STAGING });
                }
                let s = f.can_seek();
                *file = Some(f);
                s
            }
            SinkTarget::Custom(s) => s.can_seek(),
            SinkTarget::Network(_) | SinkTarget::Push(_) => false,
        };
        self.seekable.store(seekable, Ordering::Release);
        Ok(())
    }

    /// Every sink started: a file sink empties an existing file now.
    pub fn commit(&self) -> crate::error::Result<()> {
        if let SinkTarget::File { file: Some(f), .. } = &*self.lock() {
            f.truncate().map_err(|e| crate::err!(FileOpenFailed, "cannot empty {}: {e}", f.path().display()))?;
        }
        Ok(())
    }

    /// Undo `start` after a failed `begin_writing`: a file sink closes its file and
    /// removes it if this session created it (a file that existed before is left).
    pub fn abort(&self) {
        if let SinkTarget::File { file, .. } = &mut *self.lock() {
            if let Some(f) = file.take() {
                let (path, created) = (f.path().to_path_buf(), f.created());
                drop(f);
                if created {
                    let _ = std::fs::remove_file(path);
                }
            }
        }
    }

    /// End a session: a file sink closes its file (and its start/stop schedule goes
    /// back to writing from time 0).
    pub fn stop(&self) {
        if let SinkTarget::File { file, .. } = &mut *self.lock() {
            if file.take().is_some() {
                let mut r = self.rec();
                let kept = std::mem::take(&mut r.kept);
                r.reset();
                r.kept = kept; // packets_written still answers for the last session
            }
        }
    }

    /// Hand one event to the target (unless closed) and keep the statistics.
    pub fn deliver(&self, ev: &SinkEvent) -> io::Result<()> {
        // Statuses go out with the events, which the writer hands over with its lock
        // released, so a status callback may call the writer.
        let was_closed = self.is_closed();
        let r = self.deliver_inner(ev);
        match (&r, ev) {
            (Err(e), _) => self.emit(SinkStatus::Error(e.to_string())),
            (Ok(()), SinkEvent::Header { .. }) if !was_closed => self.emit(SinkStatus::Started),
            (Ok(()), SinkEvent::End { .. }) if !was_closed => self.emit(SinkStatus::Closed),
            _ => {}
        }
        r
    }

    fn deliver_inner(&self, ev: &SinkEvent) -> io::Result<()> {
        if self.is_closed() {
            return Ok(());
        }
        if let SinkEvent::Header { packet_size, .. } = ev {
            self.packet_size.store(*packet_size, Ordering::Relaxed);
        }
        let n = match &mut *self.lock() {
            SinkTarget::File { file: Some(f), .. } => self.deliver_file(f, ev)?,
            SinkTarget::File { file: None, .. } => return Err(io::Error::new(io::ErrorKind::NotConnected, "the file sink is not open")),
            SinkTarget::Custom(s) => {
                ev.send_to(s.as_mut())?;
                self.event_stats(ev)
            }
            SinkTarget::Network(n) => {
                ev.send_to(n)?;
                self.event_stats(ev)
            }
            SinkTarget::Push(p) => {
                ev.send_to(p)?;
                self.event_stats(ev)
            }
        };
        self.bytes.fetch_add(n, Ordering::Relaxed);
        if self.is_closed() {
            self.stop();
        }
        Ok(())
    }
}

impl WriterSink {
    /// Bytes of `ev` a sink that takes every event receives (and the duration so far).
    fn event_stats(&self, ev: &SinkEvent) -> u64 {
        match ev {
            SinkEvent::Header { bytes, .. } => bytes.len() as u64,
            SinkEvent::Packets(run) => {
                if let Some(last) = run.info.last() {
                    self.duration_ms.fetch_max(last.send_time_ms as u64 + last.duration_ms as u64, Ordering::Relaxed);
                }
                run.bytes.len() as u64
            }
            SinkEvent::End { trailer, .. } => {
                if self.can_seek() {
                    trailer.len() as u64
                } else {
                    0
                }
            }
        }
    }

    /// A file sink's share of one event: the packets its schedule admits; at the end the
    /// session's header and index when it wrote every packet, else ones rebuilt for what
    /// it wrote. Returns the bytes written.
    fn deliver_file(&self, f: &mut FileSink, ev: &SinkEvent) -> io::Result<u64> {
        let mut r = self.rec();
        match ev {
            SinkEvent::Header { bytes, live_bytes, patcher, preroll_ms, .. } => {
                r.kept = PacketLog::new(patcher.as_ref().map_or(0, |p| p.key_mask()));
                r.dropped = false;
                r.patcher = patcher.clone();
                r.preroll_ms = *preroll_ms;
                r.header_seen = true;
                r.last_flush_ms = None;
                r.flushed = (0, 0);
                drop(r);
                ev.send_to(f)?;
                let mut r = self.rec();
                r.direct_in_use = f.is_unbuffered();
                r.fallback = f.unbuffered_fallback().map(str::to_string);
                Ok(if f.can_seek() { bytes.len() } else { live_bytes.len() } as u64)
            }
            SinkEvent::Packets(run) => {
                let all = run.packets();
                let mut keep = Vec::with_capacity(all.len());
                for (p, info) in all.into_iter().zip(&run.info) {
                    if r.admit(info) {
                        keep.push(p);
                        r.kept.push(info);
                        self.duration_ms.fetch_max(info.send_time_ms as u64 + info.duration_ms as u64, Ordering::Relaxed);
                    } else {
                        r.dropped = true;
                    }
                }
                if r.pending.is_empty() && r.control == 0 {
                    self.clean_cuts.store(false, Ordering::Release);
                }
                if keep.is_empty() {
                    return Ok(0);
                }
                f.on_packets(&keep)?;
                let n: u64 = keep.iter().map(|p| p.bytes.len() as u64).sum();
                let last = keep.last().map_or(0, |p| p.send_time_ms);
                let due = r.flush_ms > 0 && r.last_flush_ms.map_or(true, |t| last.saturating_sub(t) >= r.flush_ms);
                if due && f.can_seek() {
                    if let Some(p) = r.patcher.clone() {
                        // Packets first, on the disk; then a header that counts exactly them.
                        f.complete()?;
                        let (header, _) = p.patch(&r.kept, false);
                        f.write_header_now(&header)?;
                        f.complete()?;
                        r.last_flush_ms = Some(last);
                        let bytes = self.bytes.load(Ordering::Relaxed) + n;
                        r.flushed = (r.kept.len(), bytes);
                    }
                }
                Ok(n)
            }
            SinkEvent::End { trailer, final_header, patcher } => {
                if !f.can_seek() {
                    drop(r);
                    f.on_end(&EndEvent { trailer: &[], final_header: &[] })?;
                    return Ok(0);
                }
                let patcher = patcher.clone().or_else(|| r.patcher.clone());
                // Auto-indexing off: no index objects, and the header that says so.
                let auto = self.auto_indexing();
                match patcher {
                    Some(p) if r.dropped || !auto => {
                        let (header, index) = p.patch(&r.kept, auto);
                        drop(r);
                        f.on_end(&EndEvent { trailer: &index, final_header: &header })?;
                        Ok(index.len() as u64)
                    }
                    _ => {
                        drop(r);
                        f.on_end(&EndEvent { trailer, final_header })?;
                        Ok(trailer.len() as u64)
                    }
                }
            }
        }
    }
}

/// The sinks of one session, fed with the same events. The index and the final header
/// go only to those that can seek (each sink decides in its `on_end`).
#[derive(Debug, Clone, Default)]
pub struct FanOut {
    /// The sinks, in order.
    pub sinks: Vec<Arc<WriterSink>>,
}

impl FanOut {
    /// Whether any open sink can seek (known from `start` on; takes no sink lock).
    pub fn can_seek(&self) -> bool {
        self.sinks.iter().any(|s| !s.is_closed() && s.can_seek())
    }

    /// Hand `ev` to every sink; after [`SinkEvent::End`] every sink is stopped.
    pub fn deliver(&self, ev: &SinkEvent) -> io::Result<()> {
        let r = self.sinks.iter().try_for_each(|s| s.deliver(ev));
        if matches!(ev, SinkEvent::End { .. }) {
            self.stop();
        }
        r
    }

    /// Close every sink's file.
    pub fn stop(&self) {
        self.sinks.iter().for_each(|s| s.stop());
    }

    /// Undo `start` on every sink (see [`WriterSink::abort`]).
    pub fn abort(&self) {
        self.sinks.iter().for_each(|s| s.abort());
    }
}
