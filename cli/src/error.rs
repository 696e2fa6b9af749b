//! The CLI's one error type: a sentence plus the HRESULT name the failure maps to, so
//! every failure prints as `wmwrite: error: <what> (<HRESULT name>)`.

use std::fmt;

use wmwriter::error::{Error, ErrorKind};

const QUIET: &str = "(closed stdout)";

/// A failure of a command.
#[derive(Debug)]
pub struct CliError {
    /// What went wrong, as a sentence.
    pub message: String,
    /// The HRESULT's symbolic name (`NS_E_FILE_WRITE`, `E_INVALIDARG`, ...).
    pub hresult: &'static str,
}

impl CliError {
    /// A failure with an explicit HRESULT name.
    pub fn new(hresult: &'static str, message: impl Into<String>) -> Self {
        CliError { message: message.into(), hresult }
    }

    /// Not a failure: stdout was closed by its reader (`| head -c1`); the run ends
    /// quietly with status 0.
    pub fn quiet() -> Self {
        CliError { message: String::new(), hresult: QUIET }
    }

    /// Whether this is [`CliError::quiet`].
    pub fn is_quiet(&self) -> bool {
        self.hresult == QUIET
    }

    /// Add context in front of the message ("reading in.wav: ...").
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hresult)
    }
}

/// The HRESULT name of a library error kind: the same mapping as the C ABI's
/// (`src/ffi/hresult.rs`), which the library keeps crate-private.
pub fn hresult_name(kind: ErrorKind) -> &'static str {
    #[allow(unreachable_patterns)]
    match kind {
        ErrorKind::InvalidArg => "E_INVALIDARG",
        ErrorKind::Pointer => "E_POINTER",
        ErrorKind::OutOfMemory => "E_OUTOFMEMORY",
        ErrorKind::InvalidRequest => "NS_E_INVALID_REQUEST",
        ErrorKind::NotConfigured => "NS_E_NOT_CONFIGURED",
        ErrorKind::InvalidInputFormat => "NS_E_INVALID_INPUT_FORMAT",
        ErrorKind::InvalidStream => "NS_E_INVALID_STREAM",
        ErrorKind::InvalidProfile => "NS_E_INVALIDPROFILE",
        ErrorKind::StreamNumberInUse => "ASF_E_STREAMNUMBERINUSE",
        ErrorKind::NoStream => "NS_E_NO_STREAM",
        ErrorKind::FileOpenFailed => "NS_E_FILE_OPEN_FAILED",
        ErrorKind::FileWrite => "NS_E_FILE_WRITE",
        ErrorKind::LateOperation => "NS_E_LATE_OPERATION",
        ErrorKind::InvalidData => "NS_E_INVALID_DATA",
        ErrorKind::BufferTooSmall => "ASF_E_BUFFERTOOSMALL",
        ErrorKind::Unexpected => "E_UNEXPECTED",
        ErrorKind::Fail => "E_FAIL",
        ErrorKind::NotImpl => "E_NOTIMPL",
        ErrorKind::AttributeReadOnly => "NS_E_ATTRIBUTE_READ_ONLY",
        ErrorKind::NotFound => "ASF_E_NOTFOUND",
        ErrorKind::AudioCodecNotInstalled => "NS_E_AUDIO_CODEC_NOT_INSTALLED",
        ErrorKind::VideoCodecNotInstalled => "NS_E_VIDEO_CODEC_NOT_INSTALLED",
        ErrorKind::TooMuchData => "NS_E_TOO_MUCH_DATA",
        ErrorKind::FileNotFound => "NS_E_FILE_NOT_FOUND",
        ErrorKind::FileRead => "NS_E_FILE_READ",
        ErrorKind::Busy => "NS_E_BUSY",
        ErrorKind::Aborted => "E_ABORT",
        // A kind added to the library after this tool was written.
        _ => "E_FAIL",
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        CliError { hresult: hresult_name(e.kind), message: e.message }
    }
}

/// An I/O error reading `path`.
pub fn read_error(path: &std::path::Path, e: std::io::Error) -> CliError {
    let hr = if e.kind() == std::io::ErrorKind::NotFound { "NS_E_FILE_NOT_FOUND" } else { "NS_E_FILE_READ" };
    CliError::new(hr, format!("cannot read {}: {e}", path.display()))
}

/// An I/O error writing `path`.
pub fn write_error(path: &std::path::Path, e: std::io::Error) -> CliError {
    CliError::new("NS_E_FILE_WRITE", format!("cannot write {}: {e}", path.display()))
}

/// A malformed input file.
pub fn bad_input(path: &std::path::Path, what: impl fmt::Display) -> CliError {
    CliError::new("NS_E_INVALID_DATA", format!("{}: {what}", path.display()))
}

/// Shorthand result type.
pub type Result<T> = std::result::Result<T, CliError>;
