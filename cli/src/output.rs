//! Where the CLI's bytes go: files that are written beside their target under a
//! temporary name and renamed into place only when complete, and stdout that treats a
//! closed pipe as a quiet end.
//!
//! A user's file is never opened for writing: before anything is written, the output
//! is compared (device + inode, through symbolic and hard links) with every input, and
//! a run that fails or is interrupted (SIGINT, SIGTERM, SIGHUP) removes only the
//! temporary file it created. A SIGKILL can leave that file behind, under a name that
//! says what it is (`.NAME.wmwrite-partial-PID-N`), never a half-written `NAME`.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use crate::error::{CliError, Result};

/// Temporary files this process created and has not yet renamed or removed.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Set while `wmwrite index` modifies a file in place: a signal then asks the indexer
/// to stop (it leaves the file as it was) instead of exiting at once.
static INDEX_CANCEL: Mutex<Option<std::sync::Arc<std::sync::atomic::AtomicBool>>> = Mutex::new(None);

/// Route SIGINT/SIGTERM/SIGHUP to `flag` (Some) or back to the exit (None).
pub fn set_index_cancel(flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
    *INDEX_CANCEL.lock().unwrap_or_else(|p| p.into_inner()) = flag;
}

/// Install the SIGINT/SIGTERM/SIGHUP handler that removes the pending temporary files
/// and exits with 128 + the signal's number (130 for SIGINT), as a shell reports it.
/// While a file is being indexed it only cancels the indexing.
pub fn install_signal_cleanup() {
    let _ = ctrlc::set_handler(|| {
        if let Some(c) = INDEX_CANCEL.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            c.store(true, Ordering::Release);
            return;
        }
        for p in pending().drain(..) {
            let _ = std::fs::remove_file(p);
        }
        let _ = writeln!(io::stderr(), "wmwrite: interrupted; the incomplete output was removed");
        std::process::exit(130);
    });
}

/// The identity of an existing file (device, inode), following symbolic links.
#[cfg(unix)]
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(p: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(p).ok()
}

/// An output file being written: the caller writes to [`OutputFile::temp`], then
/// [`OutputFile::commit`] renames it onto the target. Dropping it uncommitted removes
/// the temporary file.
#[derive(Debug)]
pub struct OutputFile {
    target: PathBuf,
    temp: PathBuf,
    done: bool,
}

impl OutputFile {
    /// Check `target` against `inputs` and pick a temporary name beside it. Fails when
    /// the target is one of the inputs (by any name) or a directory.
    pub fn prepare(target: &Path, inputs: &[&Path]) -> Result<OutputFile> {
        // A symbolic link as the output: write the file it points to (the link stays).
        let mut real = target.to_path_buf();
        for _ in 0..40 {
            match std::fs::symlink_metadata(&real) {
                Ok(m) if m.file_type().is_symlink() => {
                    let link = std::fs::read_link(&real)
                        .map_err(|e| CliError::new("NS_E_FILE_OPEN_FAILED", format!("cannot read the link {}: {e}", real.display())))?;
                    real = real.parent().map(|d| d.join(&link)).unwrap_or(link);
                }
                _ => break,
            }
        }
        if real.is_dir() {
            return Err(CliError::new(
                "NS_E_FILE_OPEN_FAILED",
                format!("the output {} is a directory; give a file name", target.display()),
            ));
        }
        if let Some(out_id) = identity(&real) {
            for input in inputs {
                if identity(input).as_ref() == Some(&out_id) {
                    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
                    let same_path = std::fs::canonicalize(&real).ok() == std::fs::canonicalize(input).ok();
                    let how = if !same_path {
                        "a hard link to the same file"
                    } else if is_link(target) || is_link(input) {
                        "a symbolic link to the same file"
                    } else {
                        "the same file"
                    };
                    return Err(CliError::new(
                        "E_INVALIDARG",
                        format!(
                            "the output {} is the input {} ({how}); writing it would destroy the input, so nothing was written; choose another output name",
                            target.display(),
                            input.display()
                        ),
                    ));
                }
            }
        }
        let name = real.file_name().ok_or_else(|| CliError::new("NS_E_INVALID_NAME", format!("{} names no file", target.display())))?;
        let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        static N: AtomicU32 = AtomicU32::new(0);
        let temp = loop {
            let n = N.fetch_add(1, Ordering::Relaxed);
            let t = dir.join(format!(".{}.wmwrite-partial-{}-{n}", name.to_string_lossy(), std::process::id()));
            if std::fs::symlink_metadata(&t).is_err() {
                break t;
            }
        };
        pending().push(temp.clone());
        Ok(OutputFile { target: real, temp, done: false })
    }

    /// The temporary file to write.
    pub fn temp(&self) -> &Path {
        &self.temp
    }

    /// Rename the finished temporary file onto the target.
    pub fn commit(mut self) -> Result<()> {
        let r = std::fs::rename(&self.temp, &self.target);
        self.forget();
        r.map_err(|e| CliError::new("NS_E_FILE_WRITE", format!("cannot move the finished file to {}: {e}", self.target.display())))?;
        self.done = true;
        Ok(())
    }

    fn forget(&self) {
        pending().retain(|p| *p != self.temp);
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temp);
            self.forget();
        }
    }
}

/// Write `text` to stdout. A closed pipe (`| head -c1`) ends the run quietly with
/// status 0: [`CliError::quiet`].
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(stdout_error)
}

/// The error for a failed write to stdout.
pub fn stdout_error(e: io::Error) -> CliError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        CliError::quiet()
    } else {
        CliError::new("NS_E_FILE_WRITE", format!("cannot write to stdout: {e}"))
    }
}

/// A warning on stderr ("wmwrite: warning: ..."); a closed stderr is ignored.
pub fn warn(text: &str) {
    let _ = writeln!(io::stderr(), "wmwrite: warning: {text}");
}
