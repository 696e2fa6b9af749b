//! Sinks: where the writer's bytes go. The writer hands a sink the header, runs of
//! data packets, and at the end the trailing index objects and the final header.
#![forbid(unsafe_code)]

pub mod network;
pub mod protocol;

use std::fmt::Debug;
use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A destination for one ASF file.
pub trait Sink: Send + Debug {
    /// Whether the sink can go back and rewrite the header at the end.
    fn can_seek(&self) -> bool;
    /// The header (Header Object + Data Object prefix): always first.
    fn header(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// A run of complete data packets.
    fn packets(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// End of the file: `trailer` (index objects) follows the packets; if the sink can
    /// seek, `final_header` (same length as the first) replaces the first header.
    fn end(&mut self, trailer: &[u8], final_header: &[u8]) -> io::Result<()>;
}

/// Writes to a file on disk (or a FIFO / device, without the final header patch).
#[derive(Debug)]
pub struct FileSink {
    path: PathBuf,
    file: File,
    seekable: bool,
}

impl FileSink {
    /// Create (truncate) `path`.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = File::create(path)?;
        let seekable = file.metadata().map(|m| m.file_type().is_file()).unwrap_or(false);
        Ok(FileSink { path: path.to_path_buf(), file, seekable })
    }

    /// The path written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Sink for FileSink {
    fn can_seek(&self) -> bool {
        self.seekable
    }

    fn header(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    fn packets(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)
    }

    fn end(&mut self, trailer: &[u8], final_header: &[u8]) -> io::Result<()> {
        self.file.write_all(trailer)?;
        if self.seekable {
            self.file.seek(SeekFrom::Start(0))?;
            self.file.write_all(final_header)?;
            self.file.seek(SeekFrom::End(0))?;
        }
        self.file.flush()
    }
}

/// Collects the file in memory (tests, and callers that want the bytes).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    /// The bytes so far (shared, so the caller can read them after the writer is done).
    pub bytes: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    /// Whether to behave as seekable.
    pub seekable: bool,
}

impl MemorySink {
    fn buf(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for MemorySink {
    fn can_seek(&self) -> bool {
        self.seekable
    }
    fn header(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf().extend_from_slice(bytes);
        Ok(())
    }
    fn packets(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf().extend_from_slice(bytes);
        Ok(())
    }
    fn end(&mut self, trailer: &[u8], final_header: &[u8]) -> io::Result<()> {
        let seekable = self.seekable;
        let mut b = self.buf();
        b.extend_from_slice(trailer);
        if seekable {
            b[..final_header.len()].copy_from_slice(final_header);
        }
        Ok(())
    }
}

/// A sink object the application can hold and attach to writers
/// (`IWMWriterSink`): a file sink (created at `begin_writing` from its file name) or a
/// custom one. Shared: the writer and the application each hold a reference.
#[derive(Debug)]
pub struct WriterSink {
    state: std::sync::Mutex<SinkTarget>,
    /// Bytes handed to the target in this session (`IWMWriterFileSink2::GetFileSize`).
    bytes: std::sync::atomic::AtomicU64,
    /// Send time + duration of the last packet, ms (`GetFileDuration`).
    duration_ms: std::sync::atomic::AtomicU64,
    /// Packet size, from the header.
    packet_size: std::sync::atomic::AtomicU32,
    /// Closed early (`IWMWriterFileSink2::Close`): gets nothing more this session.
    closed: std::sync::atomic::AtomicBool,
}

#[derive(Debug)]
enum SinkTarget {
    File { path: Option<PathBuf>, file: Option<FileSink> },
    Custom(Box<dyn Sink>),
    Network(network::NetworkSink),
}

impl WriterSink {
    /// A file sink with no file name yet (`WMCreateWriterFileSink`).
    pub fn file(path: Option<PathBuf>) -> Self {
        WriterSink::with_target(SinkTarget::File { path, file: None })
    }

    /// A sink that hands the bytes to `sink`.
    pub fn custom(sink: Box<dyn Sink>) -> Self {
        WriterSink::with_target(SinkTarget::Custom(sink))
    }

    /// A network sink (`WMCreateWriterNetworkSink`).
    pub fn network(sink: network::NetworkSink) -> Self {
        WriterSink::with_target(SinkTarget::Network(sink))
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
            state: std::sync::Mutex::new(t),
            bytes: Default::default(),
            duration_ms: Default::default(),
            packet_size: Default::default(),
            closed: Default::default(),
        }
    }

    /// Bytes written in the current (or last) session.
    pub fn file_size(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Duration written so far in 100 ns (the last packet's send time + duration).
    pub fn file_duration(&self) -> u64 {
        self.duration_ms.load(std::sync::atomic::Ordering::Relaxed) * 10_000
    }

    /// `IWMWriterFileSink2::Close`: stop receiving data now (the file keeps what it has,
    /// in the streaming layout if the session was still running); other sinks go on.
    pub fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::Release);
        self.stop();
    }

    /// Whether the sink was closed early and has not been started again.
    pub fn is_closed(&self) -> bool {
        self.closed.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Hand `bytes` to the target unless closed; count them.
    fn feed(&self, bytes: usize, f: impl FnOnce(&mut dyn Sink) -> io::Result<()>) -> io::Result<()> {
        if self.is_closed() {
            return Ok(());
        }
        self.with(f)?;
        self.bytes.fetch_add(bytes as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SinkTarget> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
            SinkTarget::Custom(_) | SinkTarget::Network(_) => Err(crate::err!(InvalidRequest, "not a file sink")),
        }
    }

    /// The file name of a file sink.
    pub fn path(&self) -> Option<PathBuf> {
        match &*self.lock() {
            SinkTarget::File { path, .. } => path.clone(),
            SinkTarget::Custom(_) | SinkTarget::Network(_) => None,
        }
    }

    /// Start a session: a file sink creates its file.
    pub fn start(&self) -> crate::error::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        self.closed.store(false, Relaxed);
        self.bytes.store(0, Relaxed);
        self.duration_ms.store(0, Relaxed);
        if let SinkTarget::File { path, file } = &mut *self.lock() {
            let p = path.clone().ok_or_else(|| {
                crate::err!(NotConfigured, "a file sink has no file name (set_output_filename or wm_writer_file_sink_open)")
            })?;
            *file = Some(FileSink::create(&p).map_err(|e| crate::err!(FileOpenFailed, "cannot create {}: {e}", p.display()))?);
        }
        Ok(())
    }

    /// End a session: a file sink closes its file.
    pub fn stop(&self) {
        if let SinkTarget::File { file, .. } = &mut *self.lock() {
            *file = None;
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut dyn Sink) -> io::Result<R>) -> io::Result<R> {
        match &mut *self.lock() {
            SinkTarget::File { file: Some(f2), .. } => f(f2),
            SinkTarget::File { file: None, .. } => Err(io::Error::new(io::ErrorKind::NotConnected, "the file sink is not open")),
            SinkTarget::Custom(s) => f(s.as_mut()),
            SinkTarget::Network(n) => f(n),
        }
    }
}

/// Several sink objects fed with the same bytes. It can seek if any of them can;
/// the final header and the index go only to those that can.
#[derive(Debug)]
pub struct FanOut {
    /// The sinks, in order.
    pub sinks: Vec<std::sync::Arc<WriterSink>>,
}

impl Sink for FanOut {
    fn can_seek(&self) -> bool {
        self.sinks.iter().any(|s| !s.is_closed() && s.with(|x| Ok(x.can_seek())).unwrap_or(false))
    }
    fn header(&mut self, bytes: &[u8]) -> io::Result<()> {
        // File Properties is the first child: its Maximum Data Packet Size is at 30 + 96.
        let ps = bytes.get(126..130).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        self.sinks.iter().try_for_each(|s| {
            s.packet_size.store(ps, std::sync::atomic::Ordering::Relaxed);
            s.feed(bytes.len(), |x| x.header(bytes))
        })
    }
    fn packets(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sinks.iter().try_for_each(|s| {
            s.feed(bytes.len(), |x| x.packets(bytes))?;
            let ps = s.packet_size.load(std::sync::atomic::Ordering::Relaxed) as usize;
            if ps >= 14 && bytes.len() >= ps {
                let last = &bytes[bytes.len() - ps..];
                let send = u32::from_le_bytes([last[7], last[8], last[9], last[10]]) as u64;
                let dur = u16::from_le_bytes([last[11], last[12]]) as u64;
                s.duration_ms.fetch_max(send + dur, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
    }
    fn end(&mut self, trailer: &[u8], final_header: &[u8]) -> io::Result<()> {
        let r = self.sinks.iter().try_for_each(|s| {
            let seek = s.with(|x| Ok(x.can_seek())).unwrap_or(false);
            let t = if seek { trailer } else { &[][..] };
            s.feed(t.len(), |x| x.end(t, final_header))
        });
        for s in &self.sinks {
            s.stop();
        }
        r
    }
}
