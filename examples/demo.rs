//! The project's main job: write 10-second ASF files through the C ABI, encoded with
//! the SDK's system profiles, then say what was written.
//!
//! ```text
//! cargo run --release --example demo -- [OUT_DIR]     (default: the current directory)
//! ```
//!
//! Writes, from a stereo tone (16-bit 44.1 kHz PCM) and a moving test pattern:
//! - `OUT_DIR/demo.wma`: `WMProfile_V80_128StereoAudio` (WMA v2, 128 kbit/s) — libavcodec's
//!   encoder when it is installed, the built-in one otherwise, so this always works;
//! - `OUT_DIR/demo.wmv`: `WMProfile_V80_256Video` (WMV2 320x240 15 fps + WMA v2) from I420
//!   frames; without libavcodec (`NS_E_VIDEO_CODEC_NOT_INSTALLED`) the demo says so and
//!   writes the same tone plus uncompressed RGB24 video instead;
//! - `OUT_DIR/demo-pcm.wma`: the tone as uncompressed PCM, from a profile built stream by
//!   stream (`wm_profile_create_new_stream` + a WAVEFORMATEX).
//!
//! Every call goes through the `extern "C"` functions of `include/wmwriter.h`, exactly as
//! a C program would make them; nothing here touches the Rust domain API.
//!
//! A stream is one [`StreamSpec`]: its media type, bit rate, connection name and a
//! function that renders sample `i`. [`write_asf`] turns a list of them into a profile,
//! [`write_system`] writes them through a system profile; both feed time-ordered samples.

use std::ffi::{c_char, CStr, CString};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::ptr::null_mut;

use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::input_media_props::*;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;

/// Length of both files, in 100-ns units (10 s).
const DURATION: u64 = 10 * 10_000_000;

// ---------------------------------------------------------------------------------------
// Errors: an HRESULT with the call that returned it and the library's own sentence.

/// One failed C call.
#[derive(Debug)]
struct CallError {
    call: &'static str,
    hr: HRESULT,
    message: String,
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SAFETY: wm_hresult_name returns a static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(wm_hresult_name(self.hr)) }.to_string_lossy();
        write!(f, "{} failed: 0x{:08X} {}", self.call, self.hr as u32, name)?;
        if !self.message.is_empty() {
            write!(f, " ({})", self.message)?;
        }
        Ok(())
    }
}

/// Turn an HRESULT into a `Result`, capturing `wm_get_last_error_message()` on failure.
fn check(call: &'static str, hr: HRESULT) -> Result<(), CallError> {
    if hr >= 0 {
        return Ok(());
    }
    // SAFETY: the message is a NUL-terminated string valid until the next failing call
    // on this thread; it is copied at once.
    let message = unsafe { CStr::from_ptr(wm_get_last_error_message()) }.to_string_lossy().into_owned();
    Err(CallError { call, hr, message })
}

/// Where a session failed: while the writer was judging the profile (the place where a
/// library without video support says no), or anywhere else.
#[derive(Debug)]
enum WriteError {
    Rejected(CallError),
    Failed(CallError),
}

impl From<CallError> for WriteError {
    fn from(e: CallError) -> Self {
        WriteError::Failed(e)
    }
}

// ---------------------------------------------------------------------------------------
// Owned handles: each releases its one reference on drop, like a C program's cleanup.
// The handle type is inferred from the release function, so the demo names no Rust types.

struct Owned<T> {
    ptr: *mut T,
    release: unsafe extern "C" fn(*mut T) -> u32,
}

impl<T> Owned<T> {
    /// An empty slot to pass as an out-param (`&mut slot.ptr`).
    fn slot(release: unsafe extern "C" fn(*mut T) -> u32) -> Self {
        Owned { ptr: null_mut(), release }
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` is NULL (a no-op) or a reference this wrapper owns.
        unsafe { (self.release)(self.ptr) };
    }
}

// ---------------------------------------------------------------------------------------
// Stream descriptions.

/// Everything the demo needs to know to configure and feed one stream.
struct StreamSpec {
    /// Connection name: identifies the writer input that feeds this stream.
    connection: &'static str,
    /// `WMMEDIATYPE_*`.
    major_type: &'static WMGuid,
    /// `WMMEDIASUBTYPE_*`.
    subtype: &'static WMGuid,
    /// `WMFORMAT_*`.
    format_type: &'static WMGuid,
    /// The format block (WAVEFORMATEX or WMVIDEOINFOHEADER bytes).
    format: Vec<u8>,
    /// `lSampleSize` (block align for audio, frame size for video).
    sample_size: u32,
    /// Bits per second.
    bitrate: u32,
    /// Bytes per sample written.
    sample_bytes: usize,
    /// Time between samples, 100 ns.
    sample_duration: u64,
    /// `WM_SF_*` flags for every sample.
    flags: u32,
    /// Renders each sample.
    render: Render,
}

/// Fills sample number `i` (the whole slice).
type Render = Box<dyn FnMut(u64, &mut [u8])>;

/// 16-bit 44.1 kHz stereo PCM: 440 Hz left, 660 Hz right, in 100 ms samples.
fn tone_stream() -> StreamSpec {
    const RATE: u32 = 44_100;
    const CHANNELS: u16 = 2;
    const BITS: u16 = 16;
    const BLOCK: u16 = CHANNELS * BITS / 8;
    const FRAMES_PER_SAMPLE: usize = RATE as usize / 10;

    let mut wfx = Vec::with_capacity(18);
    wfx.extend_from_slice(&1u16.to_le_bytes()); // wFormatTag: WAVE_FORMAT_PCM
    wfx.extend_from_slice(&CHANNELS.to_le_bytes()); // nChannels
    wfx.extend_from_slice(&RATE.to_le_bytes()); // nSamplesPerSec
    wfx.extend_from_slice(&(RATE * BLOCK as u32).to_le_bytes()); // nAvgBytesPerSec
    wfx.extend_from_slice(&BLOCK.to_le_bytes()); // nBlockAlign
    wfx.extend_from_slice(&BITS.to_le_bytes()); // wBitsPerSample
    wfx.extend_from_slice(&0u16.to_le_bytes()); // cbSize

    StreamSpec {
        connection: "Audio",
        major_type: &WMMEDIATYPE_Audio,
        subtype: &WMMEDIASUBTYPE_PCM,
        format_type: &WMFORMAT_WaveFormatEx,
        format: wfx,
        sample_size: BLOCK as u32,
        bitrate: RATE * BLOCK as u32 * 8,
        sample_bytes: FRAMES_PER_SAMPLE * BLOCK as usize,
        sample_duration: 1_000_000,
        flags: 0,
        render: Box::new(|i, out| {
            let first = i as usize * FRAMES_PER_SAMPLE;
            for (k, frame) in out.chunks_exact_mut(BLOCK as usize).enumerate() {
                let t = (first + k) as f64 / RATE as f64;
                let left = (0.3 * (2.0 * std::f64::consts::PI * 440.0 * t).sin() * 32767.0) as i16;
                let right = (0.3 * (2.0 * std::f64::consts::PI * 660.0 * t).sin() * 32767.0) as i16;
                frame[..2].copy_from_slice(&left.to_le_bytes());
                frame[2..].copy_from_slice(&right.to_le_bytes());
            }
        }),
    }
}

/// Uncompressed RGB24 320x240 at 25 fps: scrolling colour bars with a bouncing white
/// square. Every frame is a key frame (`WM_SF_CLEANPOINT`).
fn test_pattern_stream() -> StreamSpec {
    const W: i32 = 320;
    const H: i32 = 240;
    const FRAME_TIME: u64 = 400_000; // 40 ms in 100 ns
    const STRIDE: usize = (W as usize * 3 + 3) & !3; // BI_RGB rows are DWORD-aligned
    const FRAME: usize = STRIDE * H as usize;
    let bitrate = (FRAME as u64 * 8 * 10_000_000 / FRAME_TIME) as u32;

    let mut vih = Vec::with_capacity(88);
    for v in [0, 0, W, H, 0, 0, W, H] {
        vih.extend_from_slice(&v.to_le_bytes()); // rcSource, rcTarget
    }
    vih.extend_from_slice(&bitrate.to_le_bytes()); // dwBitRate (= the stream's bit rate)
    vih.extend_from_slice(&0u32.to_le_bytes()); // dwBitErrorRate
    vih.extend_from_slice(&(FRAME_TIME as i64).to_le_bytes()); // AvgTimePerFrame
    vih.extend_from_slice(&40u32.to_le_bytes()); // biSize
    vih.extend_from_slice(&W.to_le_bytes()); // biWidth
    vih.extend_from_slice(&H.to_le_bytes()); // biHeight (> 0: bottom-up)
    vih.extend_from_slice(&1u16.to_le_bytes()); // biPlanes
    vih.extend_from_slice(&24u16.to_le_bytes()); // biBitCount
    vih.extend_from_slice(&0u32.to_le_bytes()); // biCompression: BI_RGB
    vih.extend_from_slice(&(FRAME as u32).to_le_bytes()); // biSizeImage
    vih.extend_from_slice(&[0u8; 16]); // biXPelsPerMeter, biYPelsPerMeter, biClrUsed, biClrImportant
    debug_assert_eq!(vih.len(), 88);

    // Colour bars as B, G, R (RGB24 memory order).
    const BARS: [[u8; 3]; 8] =
        [[255, 255, 255], [0, 255, 255], [255, 255, 0], [0, 255, 0], [255, 0, 255], [0, 0, 255], [255, 0, 0], [16, 16, 16]];
    StreamSpec {
        connection: "Video",
        major_type: &WMMEDIATYPE_Video,
        subtype: &WMMEDIASUBTYPE_RGB24,
        format_type: &WMFORMAT_VideoInfo,
        format: vih,
        sample_size: FRAME as u32,
        bitrate,
        sample_bytes: FRAME,
        sample_duration: FRAME_TIME,
        flags: WM_SF_CLEANPOINT,
        render: Box::new(|i, out| {
            let shift = (i as usize * 4) % W as usize;
            let bounce = |pos: usize, span: usize| if (pos / span) % 2 == 0 { pos % span } else { span - pos % span };
            let (sx, sy) = (bounce(i as usize * 5, W as usize - 40), bounce(i as usize * 3, H as usize - 40));
            for (row, line) in out.chunks_exact_mut(STRIDE).enumerate() {
                let y = H as usize - 1 - row; // bottom-up: the first row in memory is the bottom line
                for x in 0..W as usize {
                    let inside = (sx..sx + 40).contains(&x) && (sy..sy + 40).contains(&y);
                    let px = if inside { [255, 255, 255] } else { BARS[(x + shift) % W as usize * 8 / W as usize] };
                    line[x * 3..x * 3 + 3].copy_from_slice(&px);
                }
            }
        }),
    }
}

/// The same pattern as [`test_pattern_stream`] as I420 (Y plane, then U, then V, top
/// row first) at `fps`, the input an encoded video stream of a system profile takes.
fn test_pattern_i420(w: usize, h: usize, frame_time: u64) -> StreamSpec {
    let frame = w * h * 3 / 2;
    // Colour bars as (Y, U, V), BT.601 studio range.
    const BARS: [[u8; 3]; 8] =
        [[235, 128, 128], [210, 16, 146], [170, 166, 16], [145, 54, 34], [106, 202, 222], [81, 90, 240], [41, 240, 110], [16, 128, 128]];
    StreamSpec {
        connection: "Video",
        major_type: &WMMEDIATYPE_Video,
        subtype: &WMMEDIASUBTYPE_I420,
        format_type: &WMFORMAT_VideoInfo,
        format: Vec::new(),
        sample_size: frame as u32,
        bitrate: 0,
        sample_bytes: frame,
        sample_duration: frame_time,
        flags: 0,
        render: Box::new(move |i, out| {
            let shift = (i as usize * 4) % w;
            let bounce = |pos: usize, span: usize| if (pos / span) % 2 == 0 { pos % span } else { span - pos % span };
            let (sx, sy) = (bounce(i as usize * 5, w - 40), bounce(i as usize * 3, h - 40));
            let px = |x: usize, y: usize| {
                if (sx..sx + 40).contains(&x) && (sy..sy + 40).contains(&y) {
                    [235, 128, 128]
                } else {
                    BARS[(x + shift) % w * 8 / w]
                }
            };
            let (luma, chroma) = out.split_at_mut(w * h);
            let (u, v) = chroma.split_at_mut(w * h / 4);
            for y in 0..h {
                for x in 0..w {
                    luma[y * w + x] = px(x, y)[0];
                }
            }
            for y in 0..h / 2 {
                for x in 0..w / 2 {
                    let p = px(x * 2, y * 2);
                    u[y * (w / 2) + x] = p[1];
                    v[y * (w / 2) + x] = p[2];
                }
            }
        }),
    }
}

// ---------------------------------------------------------------------------------------
// The writer session.

/// Build a profile from `streams`, write `DURATION` of samples to `path`, finish the file.
fn write_asf(path: &Path, streams: &mut [StreamSpec]) -> Result<(), WriteError> {
    // SAFETY (whole function): every pointer passed is either a live handle owned by one of
    // the wrappers above, a pointer to a local that outlives the call, or NULL where the
    // header allows it; buffers are written only within their max length.
    unsafe {
        let mut mgr = Owned::slot(wm_profile_manager_release);
        check("wm_create_profile_manager", wm_create_profile_manager(&mut mgr.ptr))?;
        let mut profile = Owned::slot(wm_profile_release);
        check("wm_profile_manager_create_empty_profile", wm_profile_manager_create_empty_profile(mgr.ptr, WMT_VER_9_0, &mut profile.ptr))?;

        for s in streams.iter_mut() {
            let mut config = Owned::slot(wm_stream_config_release);
            check("wm_profile_create_new_stream", wm_profile_create_new_stream(profile.ptr, s.major_type, &mut config.ptr))?;
            let mt = WM_MEDIA_TYPE {
                majortype: *s.major_type,
                subtype: *s.subtype,
                bFixedSizeSamples: 1,
                bTemporalCompression: 0,
                lSampleSize: s.sample_size,
                formattype: *s.format_type,
                pUnk: null_mut(),
                cbFormat: s.format.len() as u32,
                pbFormat: s.format.as_mut_ptr(),
            };
            check("wm_stream_config_set_media_type", wm_stream_config_set_media_type(config.ptr, &mt))?;
            check("wm_stream_config_set_bitrate", wm_stream_config_set_bitrate(config.ptr, s.bitrate))?;
            let name = CString::new(s.connection).expect("no NUL in connection names");
            check("wm_stream_config_set_connection_name", wm_stream_config_set_connection_name(config.ptr, name.as_ptr()))?;
            check("wm_profile_add_stream", wm_profile_add_stream(profile.ptr, config.ptr))?;
        }

        let mut writer = Owned::slot(wm_writer_release);
        check("wm_create_writer", wm_create_writer(&mut writer.ptr))?;
        check("wm_writer_set_profile", wm_writer_set_profile(writer.ptr, profile.ptr)).map_err(WriteError::Rejected)?;
        let inputs = input_numbers(writer.ptr, streams)?;
        let file = CString::new(path.to_string_lossy().as_bytes()).expect("no NUL in the path");
        check("wm_writer_set_output_filename", wm_writer_set_output_filename(writer.ptr, file.as_ptr()))?;
        check("wm_writer_begin_writing", wm_writer_begin_writing(writer.ptr)).map_err(WriteError::Rejected)?;

        feed(writer.ptr, streams, &inputs)?;
        check("wm_writer_end_writing", wm_writer_end_writing(writer.ptr))?;
    }
    Ok(())
}

/// Deliver `DURATION` of samples in presentation-time order across streams (audio first
/// on ties).
///
/// # Safety
/// `writer` is a live writer handle in a writing session.
unsafe fn feed(writer: *mut WMWriter, streams: &mut [StreamSpec], inputs: &[u32]) -> Result<(), CallError> {
    let durations: Vec<u64> = streams.iter().map(|s| s.sample_duration).collect();
    let mut next = vec![0u64; streams.len()];
    let due = |next: &[u64], k: usize| next[k] * durations[k];
    while let Some(k) = (0..next.len()).filter(|&k| due(&next, k) < DURATION).min_by_key(|&k| due(&next, k)) {
        let s = &mut streams[k];
        let time = due(&next, k);
        let mut buf = Owned::slot(wm_buffer_release);
        check("wm_writer_allocate_sample", wm_writer_allocate_sample(writer, s.sample_bytes as u32, &mut buf.ptr))?;
        let mut data: *mut u8 = null_mut();
        check("wm_buffer_get_buffer", wm_buffer_get_buffer(buf.ptr, &mut data))?;
        (s.render)(next[k], std::slice::from_raw_parts_mut(data, s.sample_bytes));
        check("wm_buffer_set_length", wm_buffer_set_length(buf.ptr, s.sample_bytes as u32))?;
        check("wm_writer_write_sample", wm_writer_write_sample(writer, inputs[k], time, s.flags, buf.ptr))?;
        drop(buf); // the writer holds its own reference until the bytes are out
        next[k] += 1;
    }
    Ok(())
}

/// Write `streams` (raw PCM / I420, in the input formats the profile's inputs take by
/// default) through the system profile `id` (`wm_writer_set_profile_by_id`): the writer
/// encodes them.
fn write_system(path: &Path, id: &WMGuid, streams: &mut [StreamSpec]) -> Result<(), WriteError> {
    // SAFETY: as in `write_asf`.
    unsafe {
        let mut writer = Owned::slot(wm_writer_release);
        check("wm_create_writer", wm_create_writer(&mut writer.ptr))?;
        check("wm_writer_set_profile_by_id", wm_writer_set_profile_by_id(writer.ptr, id)).map_err(WriteError::Rejected)?;
        let inputs = input_numbers(writer.ptr, streams)?;
        let file = CString::new(path.to_string_lossy().as_bytes()).expect("no NUL in the path");
        check("wm_writer_set_output_filename", wm_writer_set_output_filename(writer.ptr, file.as_ptr()))?;
        check("wm_writer_begin_writing", wm_writer_begin_writing(writer.ptr)).map_err(WriteError::Rejected)?;
        feed(writer.ptr, streams, &inputs)?;
        check("wm_writer_end_writing", wm_writer_end_writing(writer.ptr))?;
    }
    Ok(())
}

/// The writer input of each stream, found by connection name (the SDK does not promise
/// that inputs follow the profile's stream order).
unsafe fn input_numbers(writer: *mut WMWriter, streams: &[StreamSpec]) -> Result<Vec<u32>, CallError> {
    let mut count = 0u32;
    check("wm_writer_get_input_count", wm_writer_get_input_count(writer, &mut count))?;
    let mut numbers = vec![u32::MAX; streams.len()];
    for input in 0..count {
        let mut props = Owned::slot(wm_input_media_props_release);
        check("wm_writer_get_input_props", wm_writer_get_input_props(writer, input, &mut props.ptr))?;
        let mut len = 0u16;
        check("wm_input_media_props_get_connection_name", wm_input_media_props_get_connection_name(props.ptr, null_mut(), &mut len))?;
        let mut name = vec![0 as c_char; len as usize];
        check(
            "wm_input_media_props_get_connection_name",
            wm_input_media_props_get_connection_name(props.ptr, name.as_mut_ptr(), &mut len),
        )?;
        let name = CStr::from_ptr(name.as_ptr()).to_string_lossy();
        if let Some(k) = streams.iter().position(|s| s.connection == name) {
            numbers[k] = input;
        }
    }
    Ok(numbers)
}

// ---------------------------------------------------------------------------------------
// Reading back what was written (ASF header, File Properties Object).

const HEADER_OBJECT: [u8; 16] = [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C];
const FILE_PROPERTIES: [u8; 16] = [0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
const STREAM_PROPERTIES: [u8; 16] = [0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11, 0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];

/// What the header says about a file.
struct Summary {
    file_size: u64,
    header_file_size: u64,
    streams: usize,
    packets: u64,
    packet_size: u32,
    duration_s: f64,
}

fn summarize(path: &Path) -> Result<Summary, String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file_size = f.metadata().map_err(|e| e.to_string())?.len();
    let mut head = [0u8; 30];
    f.read_exact(&mut head).map_err(|e| format!("{}: {e}", path.display()))?;
    let u64_at = |b: &[u8], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap());
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    if head[..16] != HEADER_OBJECT {
        return Err(format!("{} does not start with an ASF Header Object", path.display()));
    }
    let header_size = u64_at(&head, 16) as usize;
    let mut header = vec![0u8; header_size.saturating_sub(30)];
    f.read_exact(&mut header).map_err(|e| format!("{}: header: {e}", path.display()))?;

    let (mut streams, mut fpo) = (0, None);
    let mut o = 0;
    while o + 24 <= header.len() {
        let size = u64_at(&header, o + 16) as usize;
        if size < 24 || o + size > header.len() {
            return Err(format!("bad header child object size {size} at offset {}", o + 30));
        }
        let obj = &header[o..o + size];
        if obj[..16] == FILE_PROPERTIES && size >= 104 {
            fpo = Some(obj);
        } else if obj[..16] == STREAM_PROPERTIES {
            streams += 1;
        }
        o += size;
    }
    let fpo = fpo.ok_or("no File Properties Object in the header")?;
    // asf-format.md §3.2: 40 File Size, 56 Data Packets Count, 64 Play Duration (100 ns,
    // includes preroll), 80 Preroll (ms), 96 Maximum Data Packet Size.
    let play = u64_at(fpo, 64);
    let preroll_ms = u64_at(fpo, 80);
    Ok(Summary {
        file_size,
        header_file_size: u64_at(fpo, 40),
        streams,
        packets: u64_at(fpo, 56),
        packet_size: u32_at(fpo, 96),
        duration_s: play.saturating_sub(preroll_ms * 10_000) as f64 / 1e7,
    })
}

fn report(path: &Path) -> Result<(), String> {
    let s = summarize(path)?;
    println!("wrote {}", path.display());
    println!("  size:     {} bytes (header says {})", s.file_size, s.header_file_size);
    println!("  streams:  {}", s.streams);
    println!("  duration: {:.3} s", s.duration_s);
    println!("  packets:  {} x {} bytes", s.packets, s.packet_size);
    if s.header_file_size != s.file_size {
        return Err(format!("{}: File Properties says {} bytes but the file has {}", path.display(), s.header_file_size, s.file_size));
    }
    Ok(())
}

/// `WMProfile_V80_128StereoAudio` {407B9450-8BDC-4ee5-88B8-6F527BD941F2}.
const V80_128_STEREO_AUDIO: WMGuid =
    WMGuid { Data1: 0x407B9450, Data2: 0x8BDC, Data3: 0x4ee5, Data4: [0x88, 0xB8, 0x6F, 0x52, 0x7B, 0xD9, 0x41, 0xF2] };
/// `WMProfile_V80_256Video` {BBC75500-33D2-4466-B86B-122B201CC9AE}: WMV2 320x240 15 fps.
const V80_256_VIDEO: WMGuid =
    WMGuid { Data1: 0xBBC75500, Data2: 0x33D2, Data3: 0x4466, Data4: [0xB8, 0x6B, 0x12, 0x2B, 0x20, 0x1C, 0xC9, 0xAE] };

fn main() -> ExitCode {
    let dir = PathBuf::from(std::env::args_os().nth(1).unwrap_or_else(|| ".".into()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("demo: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let written = |path: &Path, r: Result<(), WriteError>| -> bool {
        match r {
            Ok(()) => match report(path) {
                Ok(()) => true,
                Err(e) => {
                    eprintln!("demo: {e}");
                    false
                }
            },
            Err(WriteError::Rejected(e) | WriteError::Failed(e)) => {
                eprintln!("demo: writing {} failed: {e}", path.display());
                false
            }
        }
    };

    // 1. WMA v2 through a system profile: must work (the built-in encoder needs nothing).
    let wma = dir.join("demo.wma");
    if !written(&wma, write_system(&wma, &V80_128_STEREO_AUDIO, &mut [tone_stream()])) {
        return ExitCode::FAILURE;
    }

    // 2. WMV2 + WMA v2 through a system profile; raw RGB24 video when no video encoder exists.
    let wmv = dir.join("demo.wmv");
    match write_system(&wmv, &V80_256_VIDEO, &mut [tone_stream(), test_pattern_i420(320, 240, 666_667)]) {
        Ok(()) => {
            if !written(&wmv, Ok(())) {
                return ExitCode::FAILURE;
            }
        }
        Err(WriteError::Rejected(e)) if e.hr == NS_E_VIDEO_CODEC_NOT_INSTALLED => {
            println!("note: no WMV2 encoder here (libavcodec is not installed), so {} gets uncompressed video", wmv.display());
            println!("      ({e})");
            if !written(&wmv, write_asf(&wmv, &mut [tone_stream(), test_pattern_stream()])) {
                return ExitCode::FAILURE;
            }
        }
        Err(e) => {
            let (WriteError::Rejected(e) | WriteError::Failed(e)) = e;
            eprintln!("demo: writing {} failed: {e}", wmv.display());
            return ExitCode::FAILURE;
        }
    }

    // 3. Uncompressed PCM from a profile built stream by stream.
    let pcm = dir.join("demo-pcm.wma");
    if !written(&pcm, write_asf(&pcm, &mut [tone_stream()])) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
