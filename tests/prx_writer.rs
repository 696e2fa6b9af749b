//! Every valid PRX document of `c_tests/data` drives the writer to a file that ffprobe
//! reads with the profile's streams. Uncompressed streams (PCM, raw video, script) get
//! real samples through `write_sample`; compressed ones (WMA, WMV) are set to
//! passthrough and get arbitrary bytes through `write_stream_sample` (the muxer does not
//! look inside them). Skips with a message when ffprobe is missing, unless
//! `WMWRITER_REQUIRE_TOOLS=1`.

use std::path::{Path, PathBuf};
use std::process::Command;

use wmwriter::guid::sdk;
use wmwriter::profile::{prx, ProfileData, StreamConfigData};
use wmwriter::writer::Writer;

const TICK: u64 = 2_000_000; // 200 ms in 100-ns units
const TICKS: u64 = 5;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c_tests/data")
}

fn valid_documents() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "prx"))
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("broken_"))
        .collect();
    v.sort();
    v
}

fn ffprobe_available() -> bool {
    let ok = Command::new("ffprobe").arg("-version").output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        if std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("ffprobe is not installed but WMWRITER_REQUIRE_TOOLS=1");
        }
        eprintln!("skipped: ffprobe is not installed");
    }
    ok
}

/// Whether the writer takes this stream uncompressed (PCM audio, raw video, script).
fn uncompressed(s: &StreamConfigData) -> bool {
    let mt = s.media_type.as_ref().unwrap();
    if s.stream_type == sdk::WMMEDIATYPE_AUDIO {
        return mt.wave_format().is_some_and(|w| w.is_pcm());
    }
    if s.stream_type == sdk::WMMEDIATYPE_VIDEO {
        return [sdk::WMMEDIASUBTYPE_RGB24, sdk::WMMEDIASUBTYPE_I420].contains(&mt.subtype);
    }
    true
}

/// One sample of stream `s` for the tick starting at `t`.
fn sample(s: &StreamConfigData, t: u64) -> Vec<u8> {
    let mt = s.media_type.as_ref().unwrap();
    if !uncompressed(s) {
        return vec![(t / TICK) as u8; 300];
    }
    if let Some(w) = mt.wave_format() {
        let blocks = w.avg_bytes_per_sec as u64 * TICK / 10_000_000 / w.block_align as u64;
        return (0..blocks * w.block_align as u64).map(|i| (i * 7 + t / TICK) as u8).collect();
    }
    if let Some(v) = mt.video_info() {
        return vec![(t / TICK * 40) as u8; v.size_image as usize];
    }
    // Script: command type and command, two NUL-terminated UTF-16 strings.
    let mut b = Vec::new();
    for s in ["TEXT", &format!("caption {}", t / TICK)] {
        for u in s.encode_utf16().chain([0]) {
            b.extend_from_slice(&u.to_le_bytes());
        }
    }
    b
}

fn write(p: &ProfileData, out: &Path) {
    let mut w = Writer::new();
    w.set_profile(p).unwrap_or_else(|e| panic!("set_profile: {}", e.message));
    // Inputs of compressed streams go to passthrough.
    for i in 0..w.input_count().unwrap() {
        let name = w.input_props(i).unwrap().connection_name;
        let s = p.streams.iter().find(|s| s.connection_name == name).unwrap();
        if !uncompressed(s) {
            w.set_input_props(i, None).unwrap();
        }
    }
    w.set_output_filename(out.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap_or_else(|e| panic!("begin_writing: {}", e.message));
    let input_of = |w: &Writer, s: &StreamConfigData| -> u32 {
        (0..w.input_count().unwrap()).find(|i| w.input_props(*i).unwrap().connection_name == s.connection_name).unwrap()
    };
    for k in 0..TICKS {
        let t = k * TICK;
        for s in &p.streams {
            let bytes = sample(s, t);
            let buf = w.allocate_sample(bytes.len() as u32).unwrap();
            buf.copy_from(&bytes).unwrap();
            // Streams declaring data-unit extensions get a value for each (a timecode is
            // required by the SDK's rules; the others would be written as zeros anyway).
            for ext in &s.data_unit_extensions {
                let n = if ext.data_size == 0xFFFF { 4 } else { ext.data_size as usize };
                let value: Vec<u8> = (0..n).map(|i| (i as u64 + k) as u8).collect();
                buf.set_property(ext.system_id, &value).unwrap();
            }
            let r = if uncompressed(s) {
                w.write_sample(input_of(&w, s), t, 0, &buf)
            } else {
                w.write_stream_sample(s.number, t, TICK, 1, &buf)
            };
            r.unwrap_or_else(|e| panic!("stream {} at {t}: {}", s.number, e.message));
        }
    }
    w.end_writing().unwrap();
}

#[test]
fn every_valid_prx_writes_a_file_ffprobe_reads() {
    if !ffprobe_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("wmwriter-prx-writer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let docs = valid_documents();
    assert!(docs.len() >= 10, "{} valid documents", docs.len());
    for doc in docs {
        let name = doc.file_stem().unwrap().to_string_lossy().into_owned();
        let p = prx::load(&std::fs::read_to_string(&doc).unwrap()).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let out = dir.join(format!("{name}.asf"));
        write(&p, &out);
        let probe = Command::new("ffprobe")
            .args(["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(probe.status.success(), "{name}: ffprobe failed: {}", String::from_utf8_lossy(&probe.stderr));
        let types: Vec<String> = String::from_utf8_lossy(&probe.stdout).lines().map(|l| l.trim().to_string()).collect();
        let count = |t: &str| types.iter().filter(|x| *x == t).count();
        let want_audio = p.streams.iter().filter(|s| s.stream_type == sdk::WMMEDIATYPE_AUDIO).count();
        let want_video = p.streams.iter().filter(|s| s.stream_type == sdk::WMMEDIATYPE_VIDEO).count();
        assert_eq!(count("audio"), want_audio, "{name}: ffprobe streams {types:?}");
        assert_eq!(count("video"), want_video, "{name}: ffprobe streams {types:?}");
        assert_eq!(types.len(), p.streams.len(), "{name}: ffprobe streams {types:?} for {} profile streams", p.streams.len());
    }
    std::fs::remove_dir_all(&dir).ok();
}
