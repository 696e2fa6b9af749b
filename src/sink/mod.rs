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
