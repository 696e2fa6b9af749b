//! Muxing throughput and container overhead on small and large PCM samples: wmwriter
//! (this program) against libavformat's ASF muxer (`ffmpeg -c copy -f asf`), driven by
//! `bench/density.sh`.
//!
//! ```text
//! cargo run --release --example density_bench -- RAW_IN OUT SAMPLE_BYTES PACKET_SIZE
//! ```
//!
//! Reads `RAW_IN` (s16le, 44.1 kHz, stereo) in `SAMPLE_BYTES` pieces, writes each as one
//! sample of a PCM stream into the ASF file `OUT` with `PACKET_SIZE`-byte packets (0:
//! the writer's default) through the writer's Rust API (`allocate_sample`, copy,
//! `write_sample`, release). The clock runs from opening the input to the end of
//! `end_writing`.
//!
//! Prints one line: `payload=<bytes> file=<bytes> packet=<bytes> seconds=<s> mb_per_s=<10^6 B/s>`.

use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::Writer;

const BYTES_PER_SEC: u64 = 44_100 * 4;

fn run(input: &str, out: &str, sample_bytes: usize, packet_size: u32) -> Result<(), String> {
    if sample_bytes == 0 || sample_bytes % 4 != 0 {
        return Err("SAMPLE_BYTES must be a positive multiple of 4".into());
    }
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44_100, 16));
    a.bitrate = (BYTES_PER_SEC * 8) as u32;
    a.connection_name = "Audio".into();
    p.add_stream(a).map_err(|e| format!("add_stream: {e:?}"))?;
    p.max_packet_size = packet_size;
    let start = Instant::now();
    let mut src = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(input).map_err(|e| format!("{input}: {e}"))?);
    let mut w = Writer::new();
    w.set_profile(&p).map_err(|e| format!("set_profile: {e:?}"))?;
    w.set_output_filename(out).map_err(|e| format!("set_output_filename: {e:?}"))?;
    w.begin_writing().map_err(|e| format!("begin_writing: {e:?}"))?;
    let mut chunk = vec![0u8; sample_bytes];
    let mut payload = 0u64;
    loop {
        let mut got = 0;
        while got < sample_bytes {
            let n = src.read(&mut chunk[got..]).map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                break;
            }
            got += n;
        }
        if got < sample_bytes {
            break;
        }
        let b = w.allocate_sample(sample_bytes as u32).map_err(|e| format!("allocate_sample: {e:?}"))?;
        b.copy_from(&chunk).map_err(|e| format!("copy_from: {e:?}"))?;
        let time = payload * 10_000_000 / BYTES_PER_SEC;
        w.write_sample(0, time, 0, &b).map_err(|e| format!("write_sample: {e:?}"))?;
        payload += sample_bytes as u64;
    }
    w.end_writing().map_err(|e| format!("end_writing: {e:?}"))?;
    let secs = start.elapsed().as_secs_f64();
    let file = std::fs::metadata(out).map_err(|e| format!("{out}: {e}"))?.len();
    let packet = w.last_summary().map_or(0, |s| s.packet_size);
    println!("payload={payload} file={file} packet={packet} seconds={secs:.4} mb_per_s={:.1}", payload as f64 / secs / 1e6);
    Ok(())
}

fn main() -> ExitCode {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 5 {
        eprintln!("usage: density_bench RAW_IN OUT SAMPLE_BYTES PACKET_SIZE");
        return ExitCode::from(2);
    }
    let (Ok(size), Ok(ps)) = (a[3].parse(), a[4].parse()) else {
        eprintln!("SAMPLE_BYTES and PACKET_SIZE are numbers");
        return ExitCode::from(2);
    };
    match run(&a[1], &a[2], size, ps) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
