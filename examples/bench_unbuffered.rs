//! Unbuffered (`O_DIRECT`) against buffered file-sink writing:
//!
//! ```text
//! cargo run --release --example bench_unbuffered -- OUT_FILE buffered|unbuffered|unbuffered-small [MIB]
//! ```
//!
//! One PCM stream (8 channels × 32 bits × 192 kHz), `MIB` samples of 1 MiB (default
//! 512) through a file sink made with `WriterSink::file`, unbuffered when asked
//! (`IWMWriterFileSink3::SetUnbufferedIO`; `unbuffered-small` = `fRestrictMemUsage`).
//! The clock runs from `begin_writing` to the end of an `fdatasync` of the finished
//! file (as `dd conv=fdatasync`). `bench/unbuffered.sh` runs it next to `dd`.
//!
//! Prints: `mode=<m> o_direct=<0|1> bytes=<file> seconds=<s> mb_per_s=<10^6 B/s>`.

use std::sync::Arc;
use std::time::Instant;

use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(out), Some(mode)) = (args.get(1), args.get(2)) else {
        return Err("usage: bench_unbuffered OUT_FILE buffered|unbuffered|unbuffered-small [MIB]".into());
    };
    let mib: u64 = args.get(3).map(|s| s.parse().map_err(|e| format!("MIB: {e}"))).transpose()?.unwrap_or(512);
    fn e(what: &'static str) -> impl Fn(wmwriter::error::Error) -> String {
        move |err| format!("{what}: {err:?}")
    }
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(8, 192_000, 32));
    a.bitrate = 192_000 * 32 * 8;
    p.add_stream(a).map_err(e("add_stream"))?;
    let sink = Arc::new(WriterSink::file(Some(out.into())));
    match mode.as_str() {
        "buffered" => {}
        "unbuffered" => sink.set_unbuffered_io(true, false).map_err(e("set_unbuffered_io"))?,
        "unbuffered-small" => sink.set_unbuffered_io(true, true).map_err(e("set_unbuffered_io"))?,
        m => return Err(format!("unknown mode {m}")),
    }
    let mut w = Writer::new();
    w.set_profile(&p).map_err(e("set_profile"))?;
    w.add_sink(Arc::clone(&sink)).map_err(e("add_sink"))?;
    let zeros = vec![0u8; 1 << 20];
    let per_sample = (1u64 << 20) * 10_000_000 / (192_000 * 32);
    let t0 = Instant::now();
    w.begin_writing().map_err(e("begin_writing"))?;
    let mut direct = false;
    for i in 0..mib {
        let b = w.allocate_sample(1 << 20).map_err(e("allocate_sample"))?;
        b.copy_from(&zeros).map_err(e("copy_from"))?;
        w.write_sample(0, i * per_sample, 0, &b).map_err(e("write_sample"))?;
        if i == 0 {
            direct = sink.unbuffered_io().0;
        }
    }
    w.end_writing().map_err(e("end_writing"))?;
    std::fs::File::open(out).and_then(|f| f.sync_data()).map_err(|err| format!("fdatasync: {err}"))?;
    let secs = t0.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(out).map_err(|err| err.to_string())?.len();
    if mode != "buffered" && !direct {
        eprintln!("note: {}", sink.unbuffered_io().1.unwrap_or_default());
    }
    println!("mode={mode} o_direct={} bytes={bytes} seconds={secs:.3} mb_per_s={:.1}", direct as u8, bytes as f64 / secs / 1e6);
    Ok(())
}
