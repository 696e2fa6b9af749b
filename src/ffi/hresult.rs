//! HRESULT values (the SDK's exact numbers), the one `ErrorKind → HRESULT` mapping,
//! names, and the thread-local last-error message.

use std::cell::RefCell;
use std::ffi::{c_char, CString};

use crate::error::{Error, ErrorKind};

/// A COM result code: negative = failure.
pub type HRESULT = i32;

/// Success.
pub const S_OK: HRESULT = 0x0000_0000;
/// Success with a negative answer.
pub const S_FALSE: HRESULT = 0x0000_0001;
/// Not implemented.
pub const E_NOTIMPL: HRESULT = 0x8000_4001_u32 as i32;
/// No such interface.
pub const E_NOINTERFACE: HRESULT = 0x8000_4002_u32 as i32;
/// A required pointer was NULL.
pub const E_POINTER: HRESULT = 0x8000_4003_u32 as i32;
/// The operation was aborted (the indexer: cancelled).
pub const E_ABORT: HRESULT = 0x8000_4004_u32 as i32;
/// Unspecified failure.
pub const E_FAIL: HRESULT = 0x8000_4005_u32 as i32;
/// Unexpected failure (also: a caught internal panic).
pub const E_UNEXPECTED: HRESULT = 0x8000_FFFF_u32 as i32;
/// Out of memory.
pub const E_OUTOFMEMORY: HRESULT = 0x8007_000E_u32 as i32;
/// An argument is invalid (NULL in-pointer, index out of range, bad value).
pub const E_INVALIDARG: HRESULT = 0x8007_0057_u32 as i32;
/// Writing the output failed.
pub const NS_E_FILE_WRITE: HRESULT = 0xC00D_0018_u32 as i32;
/// Reading a file failed.
pub const NS_E_FILE_READ: HRESULT = 0xC00D_0019_u32 as i32;
/// File not found.
pub const NS_E_FILE_NOT_FOUND: HRESULT = 0xC00D_001A_u32 as i32;
/// File already exists.
pub const NS_E_FILE_EXISTS: HRESULT = 0xC00D_001B_u32 as i32;
/// Bad name.
pub const NS_E_INVALID_NAME: HRESULT = 0xC00D_001C_u32 as i32;
/// The output file could not be opened.
pub const NS_E_FILE_OPEN_FAILED: HRESULT = 0xC00D_001D_u32 as i32;
/// File space could not be allocated.
pub const NS_E_FILE_ALLOCATION_FAILED: HRESULT = 0xC00D_001E_u32 as i32;
/// The file could not be initialised.
pub const NS_E_FILE_INIT_FAILED: HRESULT = 0xC00D_001F_u32 as i32;
/// Network resource failure (port in use).
pub const NS_E_NETWORK_RESOURCE_FAILURE: HRESULT = 0xC00D_0028_u32 as i32;
/// The requested resource is in use (the indexer is already indexing).
pub const NS_E_BUSY: HRESULT = 0xC00D_0025_u32 as i32;
/// The call is not valid in the object's current state.
pub const NS_E_INVALID_REQUEST: HRESULT = 0xC00D_002B_u32 as i32;
/// Inputs drifted apart more than the sync tolerance.
pub const NS_E_LATE_OPERATION: HRESULT = 0xC00D_002E_u32 as i32;
/// The sample is not valid.
pub const NS_E_INVALID_DATA: HRESULT = 0xC00D_002F_u32 as i32;
/// No stream with that number.
pub const NS_E_NO_STREAM: HRESULT = 0xC00D_0033_u32 as i32;
/// The stream configuration is invalid.
pub const NS_E_INVALID_STREAM: HRESULT = 0xC00D_003C_u32 as i32;
/// The format is not compatible.
pub const NS_E_INCOMPATIBLE_FORMAT: HRESULT = 0xC00D_0041_u32 as i32;
/// The input media format is invalid.
pub const NS_E_INVALID_INPUT_FORMAT: HRESULT = 0xC00D_0BB8_u32 as i32;
/// The output format is invalid.
pub const NS_E_INVALID_OUTPUT_FORMAT: HRESULT = 0xC00D_0BBB_u32 as i32;
/// The object is not fully configured.
pub const NS_E_NOT_CONFIGURED: HRESULT = 0xC00D_0BBC_u32 as i32;
/// A required audio encoder is not installed.
pub const NS_E_AUDIO_CODEC_NOT_INSTALLED: HRESULT = 0xC00D_0BC2_u32 as i32;
/// The audio encoder failed.
pub const NS_E_AUDIO_CODEC_ERROR: HRESULT = 0xC00D_0BC3_u32 as i32;
/// A required video encoder is not installed.
pub const NS_E_VIDEO_CODEC_NOT_INSTALLED: HRESULT = 0xC00D_0BC4_u32 as i32;
/// The video encoder failed.
pub const NS_E_VIDEO_CODEC_ERROR: HRESULT = 0xC00D_0BC5_u32 as i32;
/// The profile is invalid.
pub const NS_E_INVALIDPROFILE: HRESULT = 0xC00D_0BC6_u32 as i32;
/// A newer SDK version is needed.
pub const NS_E_INCOMPATIBLE_VERSION: HRESULT = 0xC00D_0BC7_u32 as i32;
/// A live source delivers faster than real time.
pub const NS_E_TOO_MUCH_DATA: HRESULT = 0xC00D_0BCC_u32 as i32;
/// Buffer property not set.
pub const NS_E_UNSUPPORTED_PROPERTY: HRESULT = 0xC00D_0BCD_u32 as i32;
/// Bad sampling rate.
pub const NS_E_INVALID_SAMPLING_RATE: HRESULT = 0xC00D_0BD0_u32 as i32;
/// Max packet size too small for the profile.
pub const NS_E_MAX_PACKET_SIZE_TOO_SMALL: HRESULT = 0xC00D_0BD1_u32 as i32;
/// A supplied buffer is too small.
pub const NS_E_SDK_BUFFERTOOSMALL: HRESULT = 0xC00D_0BD4_u32 as i32;
/// Wrong number of preprocessing passes.
pub const NS_E_INVALID_NUM_PASSES: HRESULT = 0xC00D_0BD5_u32 as i32;
/// The attribute is read-only.
pub const NS_E_ATTRIBUTE_READ_ONLY: HRESULT = 0xC00D_0BD6_u32 as i32;
/// The attribute is not allowed here.
pub const NS_E_ATTRIBUTE_NOT_ALLOWED: HRESULT = 0xC00D_0BD7_u32 as i32;
/// A sample property is larger than its declared data-unit extension.
pub const NS_E_DATA_UNIT_EXTENSION_TOO_LARGE: HRESULT = 0xC00D_0BD9_u32 as i32;
/// The DRM components could not be initialised (every IWMDRMWriter method: no DRM system exists here).
pub const NS_E_DRM_UNABLE_TO_INITIALIZE: HRESULT = 0xC00D_271D_u32 as i32;
/// The caller's buffer is too small (size-query protocols).
pub const ASF_E_BUFFERTOOSMALL: HRESULT = 0xC00D_07D1_u32 as i32;
/// Not found (attributes).
pub const ASF_E_NOTFOUND: HRESULT = 0xC00D_07F0_u32 as i32;
/// ASF layer: invalid state.
pub const ASF_E_INVALIDSTATE: HRESULT = 0xC00D_07F5_u32 as i32;
/// Two streams share a number.
pub const ASF_E_STREAMNUMBERINUSE: HRESULT = 0xC00D_0806_u32 as i32;
/// Media type not valid here.
pub const ASF_E_BADMEDIATYPE: HRESULT = 0xC00D_0807_u32 as i32;
/// ASF write failed.
pub const ASF_E_WRITEFAILED: HRESULT = 0xC00D_0808_u32 as i32;

/// The HRESULT of each error kind (exhaustive: a new kind must choose its code).
/// Safe to call from Rust (used by the CLI to print codes).
pub fn hresult_of(kind: ErrorKind) -> HRESULT {
    match kind {
        ErrorKind::InvalidArg => E_INVALIDARG,
        ErrorKind::Pointer => E_POINTER,
        ErrorKind::OutOfMemory => E_OUTOFMEMORY,
        ErrorKind::InvalidRequest => NS_E_INVALID_REQUEST,
        ErrorKind::NotConfigured => NS_E_NOT_CONFIGURED,
        ErrorKind::InvalidInputFormat => NS_E_INVALID_INPUT_FORMAT,
        ErrorKind::InvalidStream => NS_E_INVALID_STREAM,
        ErrorKind::InvalidProfile => NS_E_INVALIDPROFILE,
        ErrorKind::StreamNumberInUse => ASF_E_STREAMNUMBERINUSE,
        ErrorKind::NoStream => NS_E_NO_STREAM,
        ErrorKind::FileOpenFailed => NS_E_FILE_OPEN_FAILED,
        ErrorKind::FileWrite => NS_E_FILE_WRITE,
        ErrorKind::LateOperation => NS_E_LATE_OPERATION,
        ErrorKind::InvalidData => NS_E_INVALID_DATA,
        ErrorKind::BufferTooSmall => ASF_E_BUFFERTOOSMALL,
        ErrorKind::Unexpected => E_UNEXPECTED,
        ErrorKind::Fail => E_FAIL,
        ErrorKind::NotImpl => E_NOTIMPL,
        ErrorKind::AudioCodecNotInstalled => NS_E_AUDIO_CODEC_NOT_INSTALLED,
        ErrorKind::AttributeReadOnly => NS_E_ATTRIBUTE_READ_ONLY,
        ErrorKind::NotFound => ASF_E_NOTFOUND,
        ErrorKind::DataUnitExtensionTooLarge => NS_E_DATA_UNIT_EXTENSION_TOO_LARGE,
        ErrorKind::UnsupportedProperty => NS_E_UNSUPPORTED_PROPERTY,
        ErrorKind::MaxPacketSizeTooSmall => NS_E_MAX_PACKET_SIZE_TOO_SMALL,
        ErrorKind::VideoCodecNotInstalled => NS_E_VIDEO_CODEC_NOT_INSTALLED,
        ErrorKind::NetworkResourceFailure => NS_E_NETWORK_RESOURCE_FAILURE,
        ErrorKind::InvalidName => NS_E_INVALID_NAME,
        ErrorKind::TooMuchData => NS_E_TOO_MUCH_DATA,
        ErrorKind::FileNotFound => NS_E_FILE_NOT_FOUND,
        ErrorKind::FileRead => NS_E_FILE_READ,
        ErrorKind::Busy => NS_E_BUSY,
        ErrorKind::Aborted => E_ABORT,
        ErrorKind::InvalidNumPasses => NS_E_INVALID_NUM_PASSES,
    }
}

macro_rules! names {
    ($code:expr, $($name:ident),* $(,)?) => {
        match $code {
            $( $name => concat!(stringify!($name), "\0"), )*
            _ => "unknown HRESULT\0",
        }
    };
}

/// The symbolic name of an HRESULT ("NS_E_INVALID_REQUEST"), or "unknown HRESULT".
///
/// Ownership: transfer none (a static string). Thread safety: any thread.
#[no_mangle]
pub extern "C" fn wm_hresult_name(hr: HRESULT) -> *const c_char {
    let s: &'static str = names!(
        hr,
        S_OK,
        S_FALSE,
        E_NOTIMPL,
        E_NOINTERFACE,
        E_POINTER,
        E_ABORT,
        E_FAIL,
        E_UNEXPECTED,
        E_OUTOFMEMORY,
        E_INVALIDARG,
        NS_E_FILE_WRITE,
        NS_E_FILE_READ,
        NS_E_FILE_NOT_FOUND,
        NS_E_FILE_EXISTS,
        NS_E_INVALID_NAME,
        NS_E_FILE_OPEN_FAILED,
        NS_E_FILE_ALLOCATION_FAILED,
        NS_E_FILE_INIT_FAILED,
        NS_E_NETWORK_RESOURCE_FAILURE,
        NS_E_BUSY,
        NS_E_INVALID_REQUEST,
        NS_E_LATE_OPERATION,
        NS_E_INVALID_DATA,
        NS_E_NO_STREAM,
        NS_E_INVALID_STREAM,
        NS_E_INCOMPATIBLE_FORMAT,
        NS_E_INVALID_INPUT_FORMAT,
        NS_E_INVALID_OUTPUT_FORMAT,
        NS_E_NOT_CONFIGURED,
        NS_E_AUDIO_CODEC_NOT_INSTALLED,
        NS_E_AUDIO_CODEC_ERROR,
        NS_E_VIDEO_CODEC_NOT_INSTALLED,
        NS_E_VIDEO_CODEC_ERROR,
        NS_E_INVALIDPROFILE,
        NS_E_INCOMPATIBLE_VERSION,
        NS_E_TOO_MUCH_DATA,
        NS_E_UNSUPPORTED_PROPERTY,
        NS_E_INVALID_SAMPLING_RATE,
        NS_E_MAX_PACKET_SIZE_TOO_SMALL,
        NS_E_SDK_BUFFERTOOSMALL,
        NS_E_INVALID_NUM_PASSES,
        NS_E_ATTRIBUTE_READ_ONLY,
        NS_E_ATTRIBUTE_NOT_ALLOWED,
        NS_E_DATA_UNIT_EXTENSION_TOO_LARGE,
        NS_E_DRM_UNABLE_TO_INITIALIZE,
        ASF_E_BUFFERTOOSMALL,
        ASF_E_NOTFOUND,
        ASF_E_INVALIDSTATE,
        ASF_E_STREAMNUMBERINUSE,
        ASF_E_BADMEDIATYPE,
        ASF_E_WRITEFAILED,
    );
    s.as_ptr().cast()
}

/// The symbolic name of an HRESULT, for Rust callers ("unknown HRESULT" if not known).
pub fn hresult_name(hr: HRESULT) -> &'static str {
    let p = wm_hresult_name(hr);
    // SAFETY: wm_hresult_name returns a pointer into a static NUL-terminated string literal.
    let c = unsafe { std::ffi::CStr::from_ptr(p) };
    c.to_str().unwrap_or("unknown HRESULT")
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Record `e` as this thread's last error and return its HRESULT.
pub(crate) fn fail(e: &Error) -> HRESULT {
    set_last_error(&e.message);
    hresult_of(e.kind)
}

/// Record a message as this thread's last error.
pub(crate) fn set_last_error(msg: &str) {
    let c = CString::new(msg.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|l| *l.borrow_mut() = c);
}

/// A sentence saying what the last failing call on this thread objected to, e.g.
/// "write_sample: input 3 does not exist; the profile has 1 input". Empty if no call
/// on this thread has failed. Successful calls do not clear it.
///
/// Ownership: transfer none; valid until the next failing call on this thread.
/// Thread safety: per thread.
#[no_mangle]
pub extern "C" fn wm_get_last_error_message() -> *const c_char {
    LAST_ERROR.with(|l| l.borrow().as_ptr())
}
