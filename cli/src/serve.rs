//! `wmwrite serve`: broadcast a WAV / Y4M file (or the demo test source) live, in real
//! time, through the network sink; players pull `http://HOST:PORT/` (mmsh:// too).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use wmwriter::guid::sdk;
use wmwriter::profile::{ProfileData, StreamConfigData};
use wmwriter::sink::network::{ClientEvent, ClientEventKind, NetworkSink};
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

use crate::error::{CliError, Result};
use crate::write::{PatternSource, Source, ToneSource, WavSource, Y4mSource};
use crate::{wav, y4m};

/// What `serve` was asked for.
pub struct ServeOptions {
    /// A .wav or .y4m file; `None` = the demo test source (tone + pattern).
    pub input: Option<PathBuf>,
    /// Port (0 = any free one).
    pub port: u16,
    /// Most clients at once.
    pub max_clients: u32,
    /// Address to listen on.
    pub bind: std::net::IpAddr,
    /// Start again at the end, forever (the test source loops in 10 s pieces).
    pub repeat: bool,
    /// Stop after this many seconds of stream (0 = no limit).
    pub seconds: f64,
}

fn open_sources(input: Option<&Path>) -> Result<Vec<Box<dyn Source>>> {
    let Some(p) = input else {
        return Ok(vec![
            Box::new(ToneSource::new(100_000_000, crate::write::TONE_RATE / 10)),
            Box::new(PatternSource::new(320, 240, 25, 100_000_000)),
        ]);
    };
    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "wav" => Ok(vec![Box::new(WavSource::new(wav::WavReader::open(p)?, 0))]),
        "y4m" => Ok(vec![Box::new(Y4mSource::new(y4m::Y4mReader::open(p)?))]),
        _ => Err(CliError::new("E_INVALIDARG", format!("{}: serve reads .wav or .y4m files", p.display()))),
    }
}

/// Run the server until the input ends (or forever with `repeat`).
pub fn serve(o: &ServeOptions) -> Result<()> {
    let mut sources = open_sources(o.input.as_deref())?;
    let mut profile = ProfileData::new(0x0009_0000);
    profile.name = "wmwrite serve".into();
    for (i, src) in sources.iter().enumerate() {
        let number = i as u16 + 1;
        let mut s = StreamConfigData::new(src.major_type(), number);
        let kind = if src.major_type() == sdk::WMMEDIATYPE_AUDIO { "Audio" } else { "Video" };
        s.name = format!("{kind} Stream");
        s.connection_name = format!("{kind}{number}");
        s.bitrate = src.bitrate();
        s.media_type = Some(src.media_type());
        profile.add_stream(s)?;
    }
    let net = NetworkSink::new();
    net.set_bind_address(o.bind)?;
    net.set_maximum_clients(o.max_clients)?;
    net.set_status_hook(Some(std::sync::Arc::new(|e: &ClientEvent| match &e.kind {
        ClientEventKind::Connected => eprintln!("client {} connected ({})", e.client.address, e.client.user_agent),
        ClientEventKind::Disconnected(why) => eprintln!("client {} disconnected: {why}", e.client.address),
    })));
    let port = net.open(o.port)?;
    let what = o.input.as_ref().map_or("the test source".into(), |p| p.display().to_string());
    crate::output::print(&format!("serving {what} at {}\n  (mmsh://{}:{port}/ for MMSH players)\n", net.host_url()?, o.bind))?;
    let mut w = Writer::new();
    w.set_profile(&profile)?;
    w.add_sink(std::sync::Arc::new(WriterSink::network(net.clone())))?;
    w.begin_writing()?;
    let start = Instant::now();
    let limit = (o.seconds * 1e7) as u64;
    let mut offset = 0u64;
    let mut bufs: Vec<Vec<u8>> = sources.iter().map(|_| Vec::new()).collect();
    'outer: loop {
        let mut pending = Vec::new();
        for (s, b) in sources.iter_mut().zip(&mut bufs) {
            pending.push(s.next(b)?);
        }
        let mut last = offset;
        while let Some(k) = (0..sources.len()).filter(|&k| pending[k].is_some()).min_by_key(|&k| pending[k].map(|p| p.0)) {
            let (t, flags) = pending[k].expect("filtered");
            let time = offset + t;
            if limit != 0 && time >= limit {
                break 'outer;
            }
            if let Some(d) = Duration::from_nanos(time * 100).checked_sub(start.elapsed()) {
                std::thread::sleep(d);
            }
            let buf = w.allocate_sample(bufs[k].len() as u32)?;
            buf.copy_from(&bufs[k])?;
            w.write_sample(k as u32, time, flags, &buf)?;
            last = last.max(time);
            pending[k] = sources[k].next(&mut bufs[k])?;
        }
        if !o.repeat {
            break;
        }
        offset = last + 1_000_000;
        sources = open_sources(o.input.as_deref())?;
    }
    w.end_writing()?;
    // Let the clients drain what is queued, then close.
    let t = Instant::now();
    while net.client_count() > 0 && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    net.close()?;
    crate::output::print(&format!("served {:.1} s\n", start.elapsed().as_secs_f64()))?;
    Ok(())
}
