//! The writer's throughput with a network sink and 0 or N loopback clients, driven by
//! `bench/network.sh`.
//!
//! ```text
//! cargo run --release --example network_bench -- CLIENTS SECONDS OUT
//! ```
//!
//! Writes SECONDS of 44.1 kHz stereo 16-bit PCM (100 ms samples, as fast as it can)
//! through the writer's Rust API to the file `OUT` and to a network sink on 127.0.0.1
//! that CLIENTS plain-HTTP clients (threads of this process, each reading to the end of
//! the stream) are connected to before `begin_writing`. The sink's buffer holds the whole
//! stream, so no client is dropped and each must receive every byte (checked).
//!
//! Prints one line: `clients=N stream_bytes=B seconds=S mb_per_s=M writer_cpu_s=C
//! client_bytes=MIN..MAX complete=K` — seconds and MB/s (10^6 bytes of file per second)
//! from `begin_writing` to the end of `end_writing`; writer_cpu_s is the writing thread's
//! CPU time over the same span (`CLOCK_THREAD_CPUTIME_ID`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::network::NetworkSink;
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

const BYTES_PER_SEC: u64 = 44_100 * 4;

fn thread_cpu() -> f64 {
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3; // Linux
    let mut ts = [0i64; 2];
    // SAFETY: ts is a valid timespec (two 64-bit fields on 64-bit Linux).
    if unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return 0.0;
    }
    ts[0] as f64 + ts[1] as f64 / 1e9
}

fn run(clients: usize, seconds: u64, out: &str) -> Result<(), String> {
    fn e(what: &'static str) -> impl Fn(wmwriter::error::Error) -> String {
        move |err| format!("{what}: {err:?}")
    }
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44_100, 16));
    a.bitrate = (BYTES_PER_SEC * 8) as u32;
    a.connection_name = "Audio".into();
    p.add_stream(a).map_err(e("add_stream"))?;

    let net = NetworkSink::new();
    net.set_maximum_clients(50).map_err(e("set_maximum_clients"))?;
    let stream_guess = seconds * BYTES_PER_SEC * 2 + (1 << 20);
    net.set_buffer_size(stream_guess.min(u32::MAX as u64) as u32).map_err(e("set_buffer_size"))?;
    let port = net.open(0).map_err(e("open"))?;
    let readers: Vec<_> = (0..clients)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|err| format!("connect: {err}"))?;
            s.set_read_timeout(Some(Duration::from_secs(60))).map_err(|err| format!("timeout: {err}"))?;
            s.write_all(b"GET / HTTP/1.0\r\nUser-Agent: bench\r\n\r\n").map_err(|err| format!("request: {err}"))?;
            Ok(std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 << 10];
                let mut n = 0usize;
                while let Ok(k) = s.read(&mut buf) {
                    if k == 0 {
                        break;
                    }
                    n += k;
                }
                n
            }))
        })
        .collect::<Result<_, String>>()?;
    let t0 = Instant::now();
    while net.client_count() as usize != clients {
        if t0.elapsed() > Duration::from_secs(20) {
            return Err(format!("only {} of {clients} clients connected", net.client_count()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }

    let mut w = Writer::new();
    w.set_profile(&p).map_err(e("set_profile"))?;
    w.set_output_filename(out).map_err(e("set_output_filename"))?;
    w.add_sink(Arc::new(WriterSink::network(net.clone()))).map_err(e("add_sink"))?;
    let sample = vec![0x5Au8; (BYTES_PER_SEC / 10) as usize];
    let (start, cpu0) = (Instant::now(), thread_cpu());
    w.begin_writing().map_err(e("begin_writing"))?;
    for i in 0..seconds * 10 {
        let b = w.allocate_sample(sample.len() as u32).map_err(e("allocate_sample"))?;
        b.copy_from(&sample).map_err(e("copy_from"))?;
        w.write_sample(0, i * 1_000_000, 0, &b).map_err(e("write_sample"))?;
    }
    w.end_writing().map_err(e("end_writing"))?;
    let (secs, cpu) = (start.elapsed().as_secs_f64(), thread_cpu() - cpu0);
    let got: Vec<usize> = readers.into_iter().map(|r| r.join().unwrap_or(0)).collect();
    let file = std::fs::metadata(out).map_err(|err| format!("{out}: {err}"))?.len();
    let (lo, hi) = (got.iter().min().copied().unwrap_or(0), got.iter().max().copied().unwrap_or(0));
    // A plain client gets the live header and every packet: at least the file's packets.
    let complete = got.iter().filter(|&&n| n == hi && hi > 0).count();
    net.close().map_err(e("close"))?;
    println!(
        "clients={clients} stream_bytes={file} seconds={secs:.4} mb_per_s={:.1} writer_cpu_s={cpu:.4} client_bytes={lo}..{hi} complete={complete}",
        file as f64 / secs / 1e6
    );
    if complete != clients {
        return Err(format!("{} of {clients} clients received the whole stream", complete));
    }
    Ok(())
}

fn main() -> ExitCode {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 4 {
        eprintln!("usage: network_bench CLIENTS SECONDS OUT");
        return ExitCode::from(2);
    }
    let (Ok(clients), Ok(seconds)) = (a[1].parse::<usize>(), a[2].parse::<u64>()) else {
        eprintln!("CLIENTS and SECONDS are numbers");
        return ExitCode::from(2);
    };
    if clients > 50 {
        eprintln!("at most 50 clients (the SDK's limit)");
        return ExitCode::from(2);
    }
    match run(clients, seconds, &a[3]) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
