//! Helpers for the reader tests: external tools, temp dirs, a JSON reader, an
//! independent ASF walker, and thin wrappers over the writer's Rust API.
#![allow(dead_code)]

pub mod asf;
pub mod json;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use wmwriter::buffer::SampleBuffer;
use wmwriter::profile::ProfileData;
use wmwriter::writer::{WriteSummary, Writer};

pub use json::Json;

/// Whether CI demands the tools (`WMWRITER_REQUIRE_TOOLS=1`).
pub fn tools_required() -> bool {
    std::env::var("WMWRITER_REQUIRE_TOOLS").map(|v| v == "1").unwrap_or(false)
}

fn on_path(tool: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|d| {
        let f = d.join(tool);
        std::fs::metadata(&f).map(|m| m.is_file()).unwrap_or(false)
    })
}

/// True when every tool is installed. Otherwise: panic if tools are required, else
/// print "skipped: no <tool>" and return false (the test then returns early).
#[must_use]
/// libavcodec loads (else skipped with its reason, or a failure under
/// `WMWRITER_REQUIRE_TOOLS=1`) and `tools` are on `PATH` (as [`have_tools`]).
pub fn lavc_and_tools(tools: &[&str]) -> bool {
    if let Some(e) = wmwriter::codec::lavc::load_error() {
        assert!(!tools_required(), "libavcodec is required (WMWRITER_REQUIRE_TOOLS=1): {e}");
        println!("skipped: {e}");
        return false;
    }
    have_tools(tools)
}

pub fn have_tools(tools: &[&str]) -> bool {
    for t in tools {
        if !on_path(t) {
            if tools_required() {
                panic!("{t} is not installed but WMWRITER_REQUIRE_TOOLS=1");
            }
            println!("skipped: no {t}");
            eprintln!("skipped: no {t}");
            return false;
        }
    }
    true
}

/// A finished tool run.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub cmdline: String,
}

impl Run {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// Panic (with the command and its stderr) unless it exited 0.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "`{}` failed ({:?}); stderr:\n{}", self.cmdline, self.code, self.stderr);
        self
    }
    pub fn json(&self) -> Json {
        Json::parse(&self.text()).unwrap_or_else(|e| panic!("`{}` printed invalid JSON: {e}", self.cmdline))
    }
}

/// Run `prog args…` with extra environment variables; capture stdout and stderr. A tool
/// still running after [`tool_timeout_secs`] is killed and the test fails with its
/// command line (a hang must not stall CI).
pub fn run_env(prog: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let limit = std::time::Duration::from_secs(tool_timeout_secs());
    run_limited(prog, args, env, limit).unwrap_or_else(|e| panic!("{e}"))
}

/// Like [`run_env`], but a tool still running after `limit` is killed and reported as
/// `Err` (with its command line and stderr) instead of failing the test.
pub fn run_limited(prog: &str, args: &[&str], env: &[(&str, &str)], limit: std::time::Duration) -> Result<Run, String> {
    let cmdline = std::iter::once(prog).chain(args.iter().copied()).collect::<Vec<_>>().join(" ");
    let mut c = Command::new(prog);
    c.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    let mut child = c.spawn().unwrap_or_else(|e| panic!("cannot run `{cmdline}`: {e}"));
    // Both pipes are drained on threads so a chatty tool never blocks on a full pipe.
    fn drain<R: std::io::Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut v);
            }
            v
        })
    }
    let out_t = drain(child.stdout.take());
    let err_t = drain(child.stderr.take());
    let start = std::time::Instant::now();
    let status = loop {
        match child.try_wait().unwrap_or_else(|e| panic!("cannot wait for `{cmdline}`: {e}")) {
            Some(s) => break s,
            None if start.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                let err = err_t.join().unwrap_or_default();
                return Err(format!(
                    "`{cmdline}` did not finish within {} s; killed. stderr:\n{}",
                    limit.as_secs(),
                    String::from_utf8_lossy(&err)
                ));
            }
            None => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    };
    let stdout = out_t.join().unwrap_or_default();
    let stderr = err_t.join().unwrap_or_default();
    Ok(Run { code: status.code(), stdout, stderr: String::from_utf8_lossy(&stderr).into_owned(), cmdline })
}

/// Seconds an external tool may run before the test fails (`WMWRITER_TOOL_TIMEOUT`,
/// default 300).
pub fn tool_timeout_secs() -> u64 {
    std::env::var("WMWRITER_TOOL_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

pub fn run(prog: &str, args: &[&str]) -> Run {
    run_env(prog, args, &[])
}

/// Run a tool that must succeed; returns stdout as text.
pub fn stdout_of(prog: &str, args: &[&str]) -> String {
    run(prog, args).ok().text()
}

/// `ffmpeg -v warning` that must exit 0 and print nothing on stderr; returns stdout.
pub fn ffmpeg_clean(args: &[&str]) -> Vec<u8> {
    let mut a = vec!["-hide_banner", "-nostdin", "-v", "warning"];
    a.extend_from_slice(args);
    let r = run("ffmpeg", &a).ok();
    assert!(r.stderr.trim().is_empty(), "`{}` printed warnings:\n{}", r.cmdline, r.stderr);
    r.stdout
}

/// `ffprobe -of json …` parsed.
pub fn ffprobe_json(file: &Path, what: &[&str]) -> Json {
    let f = file.to_str().unwrap();
    let mut a = vec!["-v", "error", "-of", "json"];
    a.extend_from_slice(what);
    a.push(f);
    let r = run("ffprobe", &a).ok();
    // ffprobe (the CLI, not the demuxer) tries to open a decoder for every stream and
    // says so for data streams such as ASF script (command) streams; nothing else may
    // be printed.
    let unexpected: Vec<&str> =
        r.stderr.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("Unsupported codec with id 0 for input stream")).collect();
    assert!(unexpected.is_empty(), "`{}` printed errors:\n{}", r.cmdline, r.stderr);
    r.json()
}

/// A fresh directory under the system temp dir, removed on drop (set
/// `WMWRITER_KEEP_TMP=1` to keep it for inspection).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "wmwriter-readers-{name}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("WMWRITER_KEEP_TMP").is_some() {
            eprintln!("kept {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// One sample to hand to the writer.
#[derive(Clone, Debug)]
pub enum Sample {
    /// `write_sample(input, time, flags)`.
    Input { input: u32, time: u64, flags: u32, data: Vec<u8> },
    /// `write_stream_sample(stream, time, duration, flags)`.
    Stream { stream: u16, time: u64, duration: u64, flags: u32, data: Vec<u8> },
}

impl Sample {
    pub fn time(&self) -> u64 {
        match self {
            Sample::Input { time, .. } | Sample::Stream { time, .. } => *time,
        }
    }
}

fn buffer(w: &Writer, data: &[u8]) -> Arc<SampleBuffer> {
    let b = w.allocate_sample(data.len() as u32).expect("allocate_sample");
    b.copy_from(data).expect("copy_from");
    b
}

/// Write `samples` in the given order into `path` (a file or FIFO); inputs listed in
/// `passthrough` are set to compressed passthrough first.
pub fn write_file(path: &Path, profile: &ProfileData, passthrough: &[u32], samples: &[Sample]) -> WriteSummary {
    let mut w = Writer::new();
    w.set_profile(profile).expect("set_profile");
    w.set_output_filename(path.to_str().unwrap()).expect("set_output_filename");
    for i in passthrough {
        w.set_input_props(*i, None).expect("set_input_props(NULL)");
    }
    w.begin_writing().expect("begin_writing");
    for (k, s) in samples.iter().enumerate() {
        match s {
            Sample::Input { input, time, flags, data } => {
                let b = buffer(&w, data);
                w.write_sample(*input, *time, *flags, &b).unwrap_or_else(|e| panic!("write_sample #{k} (input {input}, t {time}): {e:?}"));
            }
            Sample::Stream { stream, time, duration, flags, data } => {
                let b = buffer(&w, data);
                w.write_stream_sample(*stream, *time, *duration, *flags, &b)
                    .unwrap_or_else(|e| panic!("write_stream_sample #{k} (stream {stream}, t {time}): {e:?}"));
            }
        }
    }
    w.end_writing().expect("end_writing");
    w.last_summary().cloned().expect("a summary after end_writing")
}

/// Read a file and run the structural check (test 6) on it.
pub fn walk_file(path: &Path) -> (Vec<u8>, asf::Layout) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let layout = asf::walk(&bytes);
    (bytes, layout)
}

/// Deterministic pseudo-random bytes (xorshift), different per `seed`.
pub fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The packets of one ffprobe `-show_packets` JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct Pkt {
    pub stream_index: i64,
    pub codec_type: String,
    /// pts (or dts when the demuxer gives none) in the stream time base.
    pub ts: i64,
    pub ts_time: f64,
    pub duration: Option<i64>,
    pub size: usize,
    pub key: bool,
    pub data: Option<Vec<u8>>,
}

/// A stream of ffprobe `-show_streams` by codec type.
pub fn probe_stream<'a>(streams: &'a json::Json, codec_type: &str) -> &'a json::Json {
    let v: Vec<&Json> = streams.arr().iter().filter(|s| s.get("codec_type").str() == Some(codec_type)).collect();
    assert_eq!(v.len(), 1, "ffprobe: one {codec_type} stream expected in {streams}");
    v[0]
}

/// `ffprobe -show_packets [-show_data] -show_streams` → (streams json, packets).
pub fn ffprobe_packets(file: &Path, with_data: bool) -> (Json, Vec<Pkt>) {
    let mut what = vec!["-show_packets", "-show_streams"];
    if with_data {
        what.push("-show_data");
    }
    let j = ffprobe_json(file, &what);
    let streams = j.get("streams").clone();
    let types: Vec<(i64, String)> =
        streams.arr().iter().map(|s| (s.get("index").int().unwrap(), s.get("codec_type").str().unwrap_or("").to_string())).collect();
    let pkts = j
        .get("packets")
        .arr()
        .iter()
        .map(|p| {
            let si = p.get("stream_index").int().expect("stream_index");
            let (ts, tt) = if p.get("pts").int().is_some() {
                (p.get("pts").int().unwrap(), p.get("pts_time").float().unwrap())
            } else {
                (p.get("dts").int().expect("pts or dts"), p.get("dts_time").float().unwrap())
            };
            Pkt {
                stream_index: si,
                codec_type: p
                    .get("codec_type")
                    .str()
                    .map(str::to_string)
                    .unwrap_or_else(|| types.iter().find(|t| t.0 == si).map(|t| t.1.clone()).unwrap_or_default()),
                ts,
                ts_time: tt,
                duration: p.get("duration").int(),
                size: p.get("size").int().expect("size") as usize,
                key: p.get("flags").str().is_some_and(|f| f.starts_with('K')),
                data: p.get("data").str().map(json::ffprobe_hexdump),
            }
        })
        .collect();
    (streams, pkts)
}

/// A GUID in text form (`XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`) as the C API's `WMGuid`.
pub fn wm_guid(s: &str) -> wmwriter::ffi::guids::WMGuid {
    let g = wmwriter::guid::Guid::parse(s).unwrap_or_else(|| panic!("{s} is not a GUID"));
    let b = g.to_bytes();
    let mut d4 = [0u8; 8];
    d4.copy_from_slice(&b[8..16]);
    wmwriter::ffi::guids::WMGuid {
        Data1: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        Data2: u16::from_le_bytes([b[4], b[5]]),
        Data3: u16::from_le_bytes([b[6], b[7]]),
        Data4: d4,
    }
}

/// The calling thread's last error message (`wm_get_last_error_message`).
pub fn last_error() -> String {
    let p = wmwriter::ffi::hresult::wm_get_last_error_message();
    if p.is_null() {
        return String::new();
    }
    // SAFETY: a NUL-terminated thread-local string the library keeps until the next call.
    unsafe { std::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned()
}
