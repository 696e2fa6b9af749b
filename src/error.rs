//! The one domain error type. The FFI layer alone maps [`ErrorKind`] to HRESULTs.
#![forbid(unsafe_code)]

use std::fmt;

/// What kind of failure; each kind has exactly one HRESULT (chosen in `ffi::hresult`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A bad argument value (`E_INVALIDARG`).
    InvalidArg,
    /// A required pointer was NULL where the SDK documents `E_POINTER`.
    Pointer,
    /// An allocation failed (`E_OUTOFMEMORY`).
    OutOfMemory,
    /// The call is not valid in the object's current state (`NS_E_INVALID_REQUEST`).
    InvalidRequest,
    /// The object is not configured enough for this call (`NS_E_NOT_CONFIGURED`).
    NotConfigured,
    /// The input format does not match what the input accepts (`NS_E_INVALID_INPUT_FORMAT`).
    InvalidInputFormat,
    /// A stream configuration is invalid (`NS_E_INVALID_STREAM`).
    InvalidStream,
    /// The profile as a whole is invalid (`NS_E_INVALIDPROFILE`).
    InvalidProfile,
    /// Two streams share a number (`ASF_E_STREAMNUMBERINUSE`).
    StreamNumberInUse,
    /// No stream has that number (`NS_E_NO_STREAM`).
    NoStream,
    /// The output file could not be opened (`NS_E_FILE_OPEN_FAILED`).
    FileOpenFailed,
    /// Writing the output failed (`NS_E_FILE_WRITE`).
    FileWrite,
    /// A sample arrived later than the sync tolerance allows (`NS_E_LATE_OPERATION`).
    LateOperation,
    /// The sample's contents are not valid for its stream (`NS_E_INVALID_DATA`).
    InvalidData,
    /// The caller's buffer is too small (`ASF_E_BUFFERTOOSMALL`).
    BufferTooSmall,
    /// Internal failure (`E_UNEXPECTED`), e.g. a caught panic or a poisoned object.
    Unexpected,
    /// Unspecified failure (`E_FAIL`).
    Fail,
    /// Not implemented (`E_NOTIMPL`).
    NotImpl,
    /// The attribute is computed by the writer and cannot be set (`NS_E_ATTRIBUTE_READ_ONLY`).
    AttributeReadOnly,
    /// A sample property is larger than its declared data-unit extension
    /// (`NS_E_DATA_UNIT_EXTENSION_TOO_LARGE`).
    DataUnitExtensionTooLarge,
    /// The buffer has no property with that ID (`NS_E_UNSUPPORTED_PROPERTY`).
    UnsupportedProperty,
    /// The packet size cannot hold the profile's payloads (`NS_E_MAX_PACKET_SIZE_TOO_SMALL`).
    MaxPacketSizeTooSmall,
    /// No attribute has that name (`ASF_E_NOTFOUND`).
    NotFound,
    /// The stream needs an audio encoder this library does not have (`NS_E_AUDIO_CODEC_NOT_INSTALLED`).
    AudioCodecNotInstalled,
    /// The stream needs a video encoder this library does not have (`NS_E_VIDEO_CODEC_NOT_INSTALLED`).
    VideoCodecNotInstalled,
    /// A network resource (a port) could not be used (`NS_E_NETWORK_RESOURCE_FAILURE`).
    NetworkResourceFailure,
    /// A URL or host name is not valid (`NS_E_INVALID_NAME`).
    InvalidName,
    /// A live source delivers samples faster than real time (`NS_E_TOO_MUCH_DATA`).
    TooMuchData,
    /// The file does not exist (`NS_E_FILE_NOT_FOUND`).
    FileNotFound,
    /// Reading a file failed (`NS_E_FILE_READ`).
    FileRead,
    /// The object is already doing this (`NS_E_BUSY`: an indexer that is indexing).
    Busy,
    /// The operation was cancelled (`E_ABORT`).
    Aborted,
    /// Preprocessing passes: more than the input's encoder supports, or a configured
    /// pass not run before the samples are written (`NS_E_INVALID_NUM_PASSES`).
    InvalidNumPasses,
}

/// A domain error: a kind plus a sentence saying what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The kind, which decides the HRESULT.
    pub kind: ErrorKind,
    /// A human sentence: what the call objected to.
    pub message: String,
}

impl Error {
    /// A new error of `kind` saying `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Build an `Err(Error)` of the given kind with a formatted message.
#[macro_export]
macro_rules! bail {
    ($kind:ident, $($arg:tt)*) => {
        return Err($crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)*)))
    };
}

/// Build an `Error` of the given kind with a formatted message.
#[macro_export]
macro_rules! err {
    ($kind:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::ErrorKind::$kind, format!($($arg)*))
    };
}
