//! Throughput benchmark: 1 GiB of PCM through the C ABI into one ASF file.
//!
//! ```text
//! cargo run --release --example bench_throughput -- OUT_FILE [SAMPLES] [SAMPLE_BYTES]
//! ```
//!
//! One PCM stream, 8 channels × 32 bits × 192 kHz (block align 32, so a 1 MiB sample is
//! a whole number of blocks). Each sample gets a fresh `wm_writer_allocate_sample`
//! buffer, is filled with zeros (dd's payload), written with `wm_writer_write_sample` and released at once, as
//! the SDK asks. The clock runs from `wm_writer_begin_writing` to the end of an
//! `fdatasync` of the finished file (the same end-of-run sync as `dd conv=fdatasync`).
//! `bench/throughput.sh` runs this next to `dd` and prints the comparison.
//!
//! Prints one line: `bytes=<payload> file_bytes=<size> seconds=<s> mb_per_s=<10^6 B/s>
//! peak_rss_kb=<VmHWM>`.

use std::ffi::{CStr, CString};
use std::process::ExitCode;
use std::ptr::null_mut;
use std::time::Instant;

use wmwriter::ffi::buffer::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::media_type::WM_MEDIA_TYPE;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::ffi::stream_config::*;
use wmwriter::ffi::writer::*;

const CHANNELS: u16 = 8;
const BITS: u16 = 32;
const RATE: u32 = 192_000;
const BLOCK: u16 = CHANNELS * BITS / 8;
const BYTES_PER_SEC: u32 = RATE * BLOCK as u32;

fn check(call: &str, hr: HRESULT) -> Result<(), String> {
    if hr >= 0 {
        return Ok(());
    }
    // SAFETY: both functions return NUL-terminated strings, copied at once.
    let (name, msg) =
        unsafe { (CStr::from_ptr(wm_hresult_name(hr)).to_string_lossy(), CStr::from_ptr(wm_get_last_error_message()).to_string_lossy()) };
    Err(format!("{call} failed: 0x{:08X} {name} ({msg})", hr as u32))
}

/// Peak resident set size of this process in KiB (`VmHWM`), 0 if unknown.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn run(path: &str, samples: u64, sample_bytes: u32) -> Result<(), String> {
    if sample_bytes == 0 || sample_bytes % BLOCK as u32 != 0 {
        return Err(format!("SAMPLE_BYTES must be a positive multiple of {BLOCK}"));
    }
    let mut wfx = Vec::with_capacity(18);
    wfx.extend_from_slice(&1u16.to_le_bytes());
    wfx.extend_from_slice(&CHANNELS.to_le_bytes());
    wfx.extend_from_slice(&RATE.to_le_bytes());
    wfx.extend_from_slice(&BYTES_PER_SEC.to_le_bytes());
    wfx.extend_from_slice(&BLOCK.to_le_bytes());
    wfx.extend_from_slice(&BITS.to_le_bytes());
    wfx.extend_from_slice(&0u16.to_le_bytes());

    // SAFETY (whole block): handles come from the library and are released exactly once;
    // out-params point at locals; a buffer is written only within the size it was
    // allocated with.
    unsafe {
        let (mut mgr, mut profile, mut config, mut w) = (null_mut(), null_mut(), null_mut(), null_mut());
        check("wm_create_profile_manager", wm_create_profile_manager(&mut mgr))?;
        check("wm_profile_manager_create_empty_profile", wm_profile_manager_create_empty_profile(mgr, WMT_VER_9_0, &mut profile))?;
        check("wm_profile_create_new_stream", wm_profile_create_new_stream(profile, &WMMEDIATYPE_Audio, &mut config))?;
        let mt = WM_MEDIA_TYPE {
            majortype: WMMEDIATYPE_Audio,
            subtype: WMMEDIASUBTYPE_PCM,
            bFixedSizeSamples: 1,
            bTemporalCompression: 0,
            lSampleSize: BLOCK as u32,
            formattype: WMFORMAT_WaveFormatEx,
            pUnk: null_mut(),
            cbFormat: wfx.len() as u32,
            pbFormat: wfx.as_mut_ptr(),
        };
        check("wm_stream_config_set_media_type", wm_stream_config_set_media_type(config, &mt))?;
        check("wm_stream_config_set_bitrate", wm_stream_config_set_bitrate(config, BYTES_PER_SEC * 8))?;
        let name = CString::new("Audio").unwrap();
        check("wm_stream_config_set_connection_name", wm_stream_config_set_connection_name(config, name.as_ptr()))?;
        check("wm_profile_add_stream", wm_profile_add_stream(profile, config))?;
        wm_stream_config_release(config);
        check("wm_create_writer", wm_create_writer(&mut w))?;
        check("wm_writer_set_profile", wm_writer_set_profile(w, profile))?;
        wm_profile_release(profile);
        wm_profile_manager_release(mgr);
        let file = CString::new(path).map_err(|_| "NUL in the path".to_string())?;
        check("wm_writer_set_output_filename", wm_writer_set_output_filename(w, file.as_ptr()))?;

        let start = Instant::now();
        check("wm_writer_begin_writing", wm_writer_begin_writing(w))?;
        for i in 0..samples {
            let time = i * sample_bytes as u64 * 10_000_000 / BYTES_PER_SEC as u64;
            let mut buf = null_mut();
            check("wm_writer_allocate_sample", wm_writer_allocate_sample(w, sample_bytes, &mut buf))?;
            let mut data: *mut u8 = null_mut();
            check("wm_buffer_get_buffer", wm_buffer_get_buffer(buf, &mut data))?;
            // Zeros, like dd's /dev/zero: this VM's disk writes zero blocks more slowly
            // than other data (bench/README.md), so the payload must match to compare.
            std::ptr::write_bytes(data, 0, sample_bytes as usize);
            check("wm_buffer_set_length", wm_buffer_set_length(buf, sample_bytes))?;
            let hr = wm_writer_write_sample(w, 0, time, 0, buf);
            wm_buffer_release(buf);
            check("wm_writer_write_sample", hr)?;
        }
        check("wm_writer_end_writing", wm_writer_end_writing(w))?;
        wm_writer_release(w);
        std::fs::File::open(path).and_then(|f| f.sync_data()).map_err(|e| format!("fdatasync {path}: {e}"))?;
        let secs = start.elapsed().as_secs_f64();

        let bytes = samples * sample_bytes as u64;
        let file_bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!(
            "bytes={bytes} file_bytes={file_bytes} seconds={secs:.3} mb_per_s={:.1} peak_rss_kb={}",
            bytes as f64 / secs / 1e6,
            peak_rss_kb()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench_throughput OUT_FILE [SAMPLES=1024] [SAMPLE_BYTES=1048576]");
        return ExitCode::from(2);
    };
    let samples = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1024);
    let sample_bytes = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1 << 20);
    match run(path, samples, sample_bytes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_throughput: {e}");
            ExitCode::FAILURE
        }
    }
}
