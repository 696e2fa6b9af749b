//! Sinks: where the writer's bytes go. The writer hands a sink the header, runs of
//! data packets, and at the end the trailing index objects and the final header.
#![forbid(unsafe_code)]

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
}

#[derive(Debug)]
enum SinkTarget {
    File { path: Option<PathBuf>, file: Option<FileSink> },
    Custom(Box<dyn Sink>),
}

impl WriterSink {
    /// A file sink with no file name yet (`WMCreateWriterFileSink`).
    pub fn file(path: Option<PathBuf>) -> Self {
        WriterSink { state: std::sync::Mutex::new(SinkTarget::File { path, file: None }) }
    }

    /// A sink that hands the bytes to `sink`.
    pub fn custom(sink: Box<dyn Sink>) -> Self {
        WriterSink { state: std::sync::Mutex::new(SinkTarget::Custom(sink)) }
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
            SinkTarget::Custom(_) => Err(crate::err!(InvalidRequest, "not a file sink")),
        }
    }

    /// The file name of a file sink.
    pub fn path(&self) -> Option<PathBuf> {
        match &*self.lock() {
            SinkTarget::File { path, .. } => path.clone(),
            SinkTarget::Custom(_) => None,
        }
    }

    /// Start a session: a file sink creates its file.
    pub fn start(&self) -> crate::error::Result<()> {
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
        self.sinks.iter().any(|s| s.with(|x| Ok(x.can_seek())).unwrap_or(false))
    }
    fn header(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sinks.iter().try_for_each(|s| s.with(|x| x.header(bytes)))
    }
    fn packets(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sinks.iter().try_for_each(|s| s.with(|x| x.packets(bytes)))
    }
    fn end(&mut self, trailer: &[u8], final_header: &[u8]) -> io::Result<()> {
        let r = self
            .sinks
            .iter()
            .try_for_each(|s| s.with(|x| if x.can_seek() { x.end(trailer, final_header) } else { x.end(&[], final_header) }));
        for s in &self.sinks {
            s.stop();
        }
        r
    }
}
