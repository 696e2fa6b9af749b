//! The rest of `IWMWriterAdvanced` 1–3 on the writer: live source, real-time, writer
//! time, statistics, non-blocking mode, and the named input settings.

use std::ffi::c_char;

use super::boundary::call;
use super::handle::{clear, clone_arc, out};
use super::header_info::WMT_ATTR_DATATYPE;
use super::strings::{read_str, write_bytes};
use super::writer::{writer, WMWriter};
use super::HRESULT;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::writer::{AttrType, AttrValue};

/// `WM_WRITER_STATISTICS`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct WM_WRITER_STATISTICS {
    /// Samples accepted so far.
    pub qwSampleCount: u64,
    /// Bytes accepted so far.
    pub qwByteCount: u64,
    /// Samples dropped (always 0: the writer does not drop).
    pub qwDroppedSampleCount: u64,
    /// Bytes dropped (always 0).
    pub qwDroppedByteCount: u64,
    /// Bit rate of the samples so far (bit/s).
    pub dwCurrentBitrate: u32,
    /// Same as `dwCurrentBitrate`.
    pub dwAverageBitrate: u32,
    /// The profile's bit rate (bit/s).
    pub dwExpectedBitrate: u32,
    /// Samples per second so far (the SDK page says kHz; this library reports samples/s).
    pub dwCurrentSampleRate: u32,
    /// Same as `dwCurrentSampleRate`.
    pub dwAverageSampleRate: u32,
    /// Expected samples per second (video frame rate; 0 when unknown).
    pub dwExpectedSampleRate: u32,
}

/// `WM_WRITER_STATISTICS_EX`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct WM_WRITER_STATISTICS_EX {
    /// Bit rate including ASF packet overhead (bit/s).
    pub dwBitratePlusOverhead: u32,
    /// Always 0 (no queue drops).
    pub dwCurrentSampleDropRateInQueue: u32,
    /// Always 0 (no codec).
    pub dwCurrentSampleDropRateInCodec: u32,
    /// Always 0.
    pub dwCurrentSampleDropRateInMultiplexer: u32,
    /// Always 0.
    pub dwTotalSampleDropsInQueue: u32,
    /// Always 0.
    pub dwTotalSampleDropsInCodec: u32,
    /// Always 0.
    pub dwTotalSampleDropsInMultiplexer: u32,
}

/// Declare a live source (`IWMWriterAdvanced::SetLiveSource`); default FALSE.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_live_source(w: *mut WMWriter, is_live_source: i32) -> HRESULT {
    call("wm_writer_set_live_source", || {
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.set_live_source(is_live_source != 0);
        Ok(())
    })
}

/// Whether the writer runs in real time (`IWMWriterAdvanced::IsRealTime`): TRUE only for a
/// live source.
///
/// On failure `*real_time` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_is_real_time(w: *mut WMWriter, real_time: *mut i32) -> HRESULT {
    call("wm_writer_is_real_time", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(real_time, "real-time flag", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.is_real_time() as i32;
        Ok(())
    })
}

/// The latest sample time the writer has accepted in this session, 100 ns
/// (`IWMWriterAdvanced::GetWriterTime`); 0 when not writing.
///
/// On failure `*time` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_writer_time(w: *mut WMWriter, time: *mut u64) -> HRESULT {
    call("wm_writer_get_writer_time", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(time, "time", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.writer_time();
        Ok(())
    })
}

/// Statistics of stream `stream` (1..63) or the whole file (0) in this session
/// (`IWMWriterAdvanced::GetStatistics`); all zero when not writing.
///
/// On failure `*stats` is zeroed. Returns `S_OK`, `E_POINTER` (writer or stats NULL, as the
/// SDK documents), `E_INVALIDARG` (no such stream).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_statistics(w: *mut WMWriter, stream: u16, stats: *mut WM_WRITER_STATISTICS) -> HRESULT {
    call("wm_writer_get_statistics", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(stats, "statistics", Pointer)? };
        *o = WM_WRITER_STATISTICS::default();
        // SAFETY: NULL or a live handle.
        let s = unsafe { writer(w)? }.statistics(stream)?;
        *o = WM_WRITER_STATISTICS {
            qwSampleCount: s.sample_count,
            qwByteCount: s.byte_count,
            qwDroppedSampleCount: s.dropped_sample_count,
            qwDroppedByteCount: s.dropped_byte_count,
            dwCurrentBitrate: s.current_bitrate,
            dwAverageBitrate: s.average_bitrate,
            dwExpectedBitrate: s.expected_bitrate,
            dwCurrentSampleRate: s.current_sample_rate,
            dwAverageSampleRate: s.average_sample_rate,
            dwExpectedSampleRate: s.expected_sample_rate,
        };
        Ok(())
    })
}

/// Extended statistics (`IWMWriterAdvanced3::GetStatisticsEx`): the bit rate including
/// packet overhead; drop counters are 0 (the writer never drops).
///
/// On failure `*stats` is zeroed. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such
/// stream), `NS_E_INVALID_REQUEST` (not writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_statistics_ex(w: *mut WMWriter, stream: u16, stats: *mut WM_WRITER_STATISTICS_EX) -> HRESULT {
    call("wm_writer_get_statistics_ex", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(stats, "statistics", Pointer)? };
        *o = WM_WRITER_STATISTICS_EX::default();
        // SAFETY: NULL or a live handle.
        let b = unsafe { writer(w)? }.statistics_ex(stream)?;
        o.dwBitratePlusOverhead = b;
        Ok(())
    })
}

/// Non-blocking mode (`IWMWriterAdvanced3::SetNonBlocking`): this writer never blocks the
/// caller anyway; always succeeds.
///
/// Returns `S_OK`, `E_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_non_blocking(w: *mut WMWriter) -> HRESULT {
    call("wm_writer_set_non_blocking", || {
        // SAFETY: NULL or a live handle.
        drop(unsafe { writer(w)? });
        Ok(())
    })
}

/// Set a named input setting (`IWMWriterAdvanced2::SetInputSetting`) of a video input
/// whose streams are encoded; not stored in the file:
/// - "DeinterlaceMode" (DWORD): 0 none; 1 `WM_DM_DEINTERLACE_NORMAL` (combed lines
///   interpolated before encoding; 0 and 1 may alternate while writing); 2
///   `WM_DM_DEINTERLACE_HALFSIZE` (the top field at half width and height: the streams
///   must be half the input's size); 3, 4, 5 not implemented.
/// - "InterlacedCoding" (BOOL): interlaced coding (MPEG-4 Part 2, H.264 only); fixed
///   once writing.
/// - "FixedFrameRate" (BOOL): TRUE / unset every frame is encoded; FALSE frames faster
///   than the stream's frame rate are dropped. Before `begin_writing` only.
/// - "InitialPatternForInverseTelecine", "JPEGCompressionQuality" (DWORD),
///   "WatermarkCLSID" (GUID), "WatermarkConfig" (STRING): nothing here acts on them
///   (no inverse telecine, no JPEG encoder, no watermark DMOs): refused.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (NULL name/value, bad input,
/// unknown name, wrong type or size, a value out of range), `NS_E_NOT_CONFIGURED` (no
/// profile), `NS_E_INVALID_REQUEST` (a setting nothing here can act on, a video setting
/// on an audio or uncompressed input, a mode the streams cannot take, or one that cannot
/// change while writing); the last error message says which. A refused setting is not
/// stored.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_input_setting(
    w: *mut WMWriter,
    input: u32,
    name: *const c_char,
    setting_type: WMT_ATTR_DATATYPE,
    value: *const u8,
    length: u16,
) -> HRESULT {
    call("wm_writer_set_input_setting", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the setting name")? };
        if value.is_null() {
            crate::bail!(InvalidArg, "the value is NULL");
        }
        // SAFETY: readable for `length` bytes per the caller.
        let v = AttrValue::from_caller(AttrType::from_u32(setting_type)?, unsafe { std::slice::from_raw_parts(value, length as usize) })?;
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.set_input_setting(input, n, v)
    })
}

/// Read a named input setting (`IWMWriterAdvanced2::GetInputSetting`); `value` NULL →
/// `*length` = bytes needed.
///
/// On failure `*type` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (NULL name, type or
/// length; bad input), `NS_E_NOT_CONFIGURED`, `ASF_E_NOTFOUND` (never set),
/// `ASF_E_BUFFERTOOSMALL`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_input_setting(
    w: *mut WMWriter,
    input: u32,
    name: *const c_char,
    setting_type: *mut WMT_ATTR_DATATYPE,
    value: *mut u8,
    length: *mut u16,
) -> HRESULT {
    call("wm_writer_get_input_setting", || {
        // SAFETY: NULL or writable; zeroed first.
        unsafe { clear(setting_type, 0) };
        // SAFETY: NULL or writable.
        let t = unsafe { out(setting_type, "type", InvalidArg)? };
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the setting name")? };
        // SAFETY: NULL or a live handle.
        let v = unsafe { writer(w)? }.input_setting(input, n)?;
        // SAFETY: NULL or writable for `*length` bytes.
        unsafe { write_bytes(&v.caller_bytes(), value, length, "setting value")? };
        *t = v.ty() as u32;
        Ok(())
    })
}

/// The most preprocessing passes input `input` supports (`IWMWriterPreprocess::GetMaxPreprocessingPasses`):
/// 1 when every stream of the input is encoded by an encoder with an analysis pass
/// (libavcodec's WMV1, WMV2, MP43 and MPEG-4 encoders: two-pass encoding), else 0
/// (audio, uncompressed and passthrough inputs, one-pass encoders). `flags` is unused.
///
/// On failure `*passes` is 0. Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG`
/// (out NULL, no such input), `NS_E_NOT_CONFIGURED` (no profile).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_max_preprocessing_passes(w: *mut WMWriter, input: u32, flags: u32, passes: *mut u32) -> HRESULT {
    let _ = flags;
    call("wm_writer_get_max_preprocessing_passes", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(passes, "passes", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.max_preprocessing_passes(input)?;
        Ok(())
    })
}

/// Set the number of preprocessing passes of input `input` before `wm_writer_begin_writing`
/// (`IWMWriterPreprocess::SetNumPreprocessingPasses`): 0 (one-pass encoding, the default)
/// or up to `wm_writer_get_max_preprocessing_passes`. With 1, each session must run the
/// pass (`wm_writer_begin_preprocessing_pass`, `wm_writer_preprocess_sample` for every
/// sample, `wm_writer_end_preprocessing_pass`) before `wm_writer_write_sample` takes the
/// same samples. `flags` is unused. Cleared by `wm_writer_set_profile`.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such input), `NS_E_NOT_CONFIGURED`,
/// `NS_E_INVALID_REQUEST` (while writing), `NS_E_INVALID_NUM_PASSES` (more than the maximum).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_num_preprocessing_passes(w: *mut WMWriter, input: u32, flags: u32, passes: u32) -> HRESULT {
    let _ = flags;
    call("wm_writer_set_num_preprocessing_passes", || {
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.set_num_preprocessing_passes(input, passes)
    })
}

/// Start the preprocessing pass of input `input` (`IWMWriterPreprocess::BeginPreprocessingPass`),
/// after `wm_writer_begin_writing`. `flags` is unused.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such input), `NS_E_NOT_CONFIGURED`,
/// `NS_E_INVALID_REQUEST` (not writing; no pass set on the input; the pass is running or
/// has been run).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_begin_preprocessing_pass(w: *mut WMWriter, input: u32, flags: u32) -> HRESULT {
    let _ = flags;
    call("wm_writer_begin_preprocessing_pass", || {
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.begin_preprocessing_pass(input)
    })
}

/// Feed one sample (in the input's format, as `wm_writer_write_sample` takes it) to the
/// running preprocessing pass of input `input` (`IWMWriterPreprocess::PreprocessSample`).
/// The encoder analyses it; nothing is written. The writer does not keep `sample`.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such input; sample NULL while the pass
/// runs), `NS_E_NOT_CONFIGURED`, `NS_E_INVALID_REQUEST` (no pass running), `NS_E_INVALID_DATA`
/// (empty sample, wrong frame size).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_preprocess_sample(
    w: *mut WMWriter,
    input: u32,
    sample_time: u64,
    flags: u32,
    sample: *mut crate::buffer::SampleBuffer,
) -> HRESULT {
    call("wm_writer_preprocess_sample", || {
        // SAFETY: NULL or a live handle.
        let b = if sample.is_null() { None } else { Some(unsafe { clone_arc(sample, "sample", InvalidArg)? }) };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.preprocess_sample(input, sample_time, flags, b.as_ref())
    })
}

/// End the preprocessing pass of input `input` (`IWMWriterPreprocess::EndPreprocessingPass`):
/// the final encoder is opened with the pass's statistics, and `wm_writer_write_sample`
/// on the input is accepted from now on. `flags` is unused.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (no such input), `NS_E_NOT_CONFIGURED`,
/// `NS_E_INVALID_REQUEST` (no pass running; the pass had no samples), `E_FAIL` (the
/// encoder refused its statistics).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_end_preprocessing_pass(w: *mut WMWriter, input: u32, flags: u32) -> HRESULT {
    let _ = flags;
    call("wm_writer_end_preprocessing_pass", || {
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.end_preprocessing_pass(input)
    })
}
