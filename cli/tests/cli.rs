//! End-to-end tests of the `wmwrite` binary, checked against ffprobe/ffmpeg (independent
//! readers). Without those tools the reader checks are skipped with a message, unless
//! WMWRITER_REQUIRE_TOOLS=1, which makes their absence a failure.

mod common;
use common::{wave_format, Scratch};

use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

/// Whether ffmpeg and ffprobe can be run; panics when they are required.
fn have_tools(test: &str) -> bool {
    let ok = ["ffmpeg", "ffprobe"]
        .iter()
        .all(|t| Command::new(t).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()));
    if !ok {
        if std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{test}: ffmpeg/ffprobe are required (WMWRITER_REQUIRE_TOOLS=1) but cannot be run");
        }
        // Straight to the process's stderr: the test harness captures eprintln!.
        let msg =
            format!("{test}: SKIPPED the ffmpeg/ffprobe checks: ffmpeg/ffprobe not found (set WMWRITER_REQUIRE_TOOLS=1 to fail instead)\n");
        let _ = std::io::Write::write_all(&mut std::io::stderr(), msg.as_bytes());
    }
    ok
}

fn wmwrite(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("WMWRITE_NO_PROGRESS", "1").stdin(Stdio::null()).output().expect("run wmwrite")
}

fn ok(args: &[&str]) -> String {
    let out = wmwrite(args);
    assert!(
        out.status.success(),
        "wmwrite {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run a tool, return stdout; panics with its stderr on failure.
fn tool(cmd: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(cmd).arg("-nostdin").args(args).stdin(Stdio::null()).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(out.status.success(), "{cmd} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn ffprobe_json(file: &Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", s(file)])
        .output()
        .expect("ffprobe");
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn info_json(file: &Path) -> Value {
    serde_json::from_str(&ok(&["info", s(file), "--json"])).expect("info --json is JSON")
}

fn num(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().unwrap(),
        v => v.as_f64().unwrap(),
    }
}

/// A canonical WAV: RIFF, a LIST chunk to skip, fmt (plain or extensible), odd-sized
/// junk chunk, data.
fn make_wav(channels: u16, rate: u32, bits: u16, extensible: bool, frames: usize) -> (Vec<u8>, Vec<u8>) {
    let align = channels * bits / 8;
    let mut data = Vec::with_capacity(frames * align as usize);
    let mut x: u32 = 12345;
    for i in 0..frames * align as usize {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        data.push(((x >> 16) as u8).wrapping_add(i as u8));
    }
    let fmt = wave_format(channels, rate, bits, extensible);
    let mut body = b"WAVE".to_vec();
    let mut chunk = |id: &[u8], b: &[u8]| {
        body.extend_from_slice(id);
        body.extend_from_slice(&(b.len() as u32).to_le_bytes());
        body.extend_from_slice(b);
        if b.len() % 2 == 1 {
            body.push(0);
        }
    };
    chunk(b"LIST", b"INFOISFT\x04\x00\x00\x00abc\x00");
    chunk(b"fmt ", &fmt);
    chunk(b"junk", b"odd");
    chunk(b"data", &data);
    let mut wav = b"RIFF".to_vec();
    wav.extend_from_slice(&(body.len() as u32).to_le_bytes());
    wav.extend_from_slice(&body);
    (wav, data)
}

#[test]
fn demo_wmv_agrees_with_ffprobe() {
    let dir = Scratch::new("demo");
    let out = dir.path("out.wmv");
    let printed = ok(&["demo", s(&out), "--author", "Tester"]);
    assert!(printed.contains("streams:  2") && printed.contains("duration: 10.000 s"), "{printed}");
    let info = info_json(&out);
    assert_eq!(info["streams"].as_array().unwrap().len(), 2);
    assert_eq!(info["streams"][0]["type"], "audio");
    assert_eq!(info["streams"][0]["format_tag"], 1);
    assert_eq!(info["streams"][0]["channels"], 2);
    assert_eq!(info["streams"][0]["sample_rate"], 44100);
    assert_eq!(info["streams"][1]["type"], "video");
    assert_eq!(info["streams"][1]["fourcc"], "I420");
    assert_eq!((info["streams"][1]["width"].as_i64(), info["streams"][1]["height"].as_i64()), (Some(320), Some(240)));
    assert_eq!(info["tags"]["Title"], "wmwrite demo");
    assert_eq!(info["tags"]["Author"], "Tester");
    assert_eq!(info["file_size"].as_u64(), Some(std::fs::metadata(&out).unwrap().len()));
    assert!(info["flags"].as_array().unwrap().contains(&Value::from("seekable")));
    assert!((num(&info["duration"]) - 10.0).abs() < 0.05, "{}", info["duration"]);
    assert_eq!(info["warnings"].as_array().unwrap().len(), 0, "{}", info["warnings"]);
    let names: Vec<&str> = info["header_objects"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    for want in ["File Properties", "Header Extension", "Stream Properties", "Content Description"] {
        assert!(names.contains(&want), "{names:?}");
    }
    assert_eq!(info["index_objects"][0]["name"], "Simple Index");
    let text = ok(&["info", s(&out)]);
    assert!(text.contains("Title: wmwrite demo") && text.contains("#2   video  I420 320x240"), "{text}");

    if !have_tools("demo_wmv_agrees_with_ffprobe") {
        return;
    }
    let probe = ffprobe_json(&out);
    let streams = probe["streams"].as_array().unwrap();
    assert_eq!(streams.len(), info["streams"].as_array().unwrap().len());
    for (p, i) in streams.iter().zip(info["streams"].as_array().unwrap()) {
        assert_eq!(p["codec_type"], i["type"]);
    }
    let audio = streams.iter().find(|s| s["codec_type"] == "audio").unwrap();
    assert_eq!(audio["codec_name"], "pcm_s16le");
    assert_eq!(audio["channels"], 2);
    let video = streams.iter().find(|s| s["codec_type"] == "video").unwrap();
    assert_eq!(video["codec_name"], "rawvideo");
    assert_eq!(video["pix_fmt"], "yuv420p");
    assert_eq!((video["width"].as_i64(), video["height"].as_i64()), (Some(320), Some(240)));
    let pd = num(&probe["format"]["duration"]);
    assert!((pd - 10.0).abs() < 0.05, "ffprobe duration {pd}");
    assert!((pd - num(&info["duration"])).abs() < 0.05, "ffprobe {pd} vs info {}", info["duration"]);
    // FFmpeg maps Title → title and Author → artist.
    assert_eq!(probe["format"]["tags"]["title"], info["tags"]["Title"]);
    assert_eq!(probe["format"]["tags"]["artist"], info["tags"]["Author"]);
}

#[test]
fn demo_wma_is_audio_only() {
    let dir = Scratch::new("demo-wma");
    let out = dir.path("tone.WMA");
    ok(&["demo", s(&out), "--duration", "1.5", "--title", "Tone"]);
    let info = info_json(&out);
    assert_eq!(info["streams"].as_array().unwrap().len(), 1);
    assert_eq!(info["streams"][0]["type"], "audio");
    assert!((num(&info["duration"]) - 1.5).abs() < 0.05);
    assert_eq!(info["tags"]["Title"], "Tone");
    if have_tools("demo_wma_is_audio_only") {
        let probe = ffprobe_json(&out);
        assert_eq!(probe["format"]["nb_streams"], 1);
        assert!((num(&probe["format"]["duration"]) - 1.5).abs() < 0.05);
    }
}

#[test]
fn wav_round_trip_is_bit_exact() {
    let dir = Scratch::new("wav");
    // (channels, rate, bits, extensible, ffmpeg raw format)
    let cases = [
        (2u16, 44_100u32, 16u16, false, "s16le"),
        (3, 48_000, 24, true, "s24le"),
        (1, 8_000, 8, false, "u8"),
        (2, 22_050, 32, false, "s32le"),
    ];
    let tools = have_tools("wav_round_trip_is_bit_exact");
    for (ch, rate, bits, ext, fmt) in cases {
        let frames = rate as usize * 13 / 10 + 7; // 1.3 s and a partial last sample
        let (wav, data) = make_wav(ch, rate, bits, ext, frames);
        let input = dir.path(&format!("in{bits}.wav"));
        let output = dir.path(&format!("out{bits}.wma"));
        std::fs::write(&input, &wav).unwrap();
        ok(&["wav", s(&input), s(&output)]);
        let info = info_json(&output);
        let st = &info["streams"][0];
        assert_eq!(
            (st["channels"].as_u64(), st["sample_rate"].as_u64(), st["bits_per_sample"].as_u64()),
            (Some(ch as u64), Some(rate as u64), Some(bits as u64))
        );
        let want = frames as f64 / rate as f64;
        assert!((num(&info["duration"]) - want).abs() < 0.002, "{} vs {want}", info["duration"]);
        if tools {
            let decoded = tool("ffmpeg", &["-v", "error", "-i", s(&output), "-f", fmt, "-"]);
            assert_eq!(decoded.len(), data.len(), "{bits}-bit: decoded length");
            assert!(decoded == data, "{bits}-bit: decoded samples differ from the WAV's data");
        }
    }
}

#[test]
fn y4m_round_trip_with_audio() {
    let dir = Scratch::new("y4m");
    if !have_tools("y4m_round_trip_with_audio") {
        return;
    }
    let y4m = dir.path("x.y4m");
    tool("ffmpeg", &["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-t", "2", "-pix_fmt", "yuv420p", s(&y4m)]);
    let (wav, pcm) = make_wav(2, 44_100, 16, false, 44_100 * 2);
    let wav_path = dir.path("x.wav");
    std::fs::write(&wav_path, wav).unwrap();
    let out = dir.path("out.wmv");
    ok(&["y4m", s(&y4m), "--audio", s(&wav_path), s(&out), "--title", "Y4M"]);
    // The y4m's frame bytes: every FRAME header line removed.
    let raw = std::fs::read(&y4m).unwrap();
    let header_end = raw.iter().position(|&b| b == b'\n').unwrap() + 1;
    let frame = 160 * 120 * 3 / 2;
    let mut frames = Vec::new();
    let mut at = header_end;
    while at < raw.len() {
        assert_eq!(&raw[at..at + 6], b"FRAME\n");
        frames.extend_from_slice(&raw[at + 6..at + 6 + frame]);
        at += 6 + frame;
    }
    assert_eq!(frames.len(), 50 * frame);
    let decoded = tool("ffmpeg", &["-v", "error", "-i", s(&out), "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
    assert!(decoded == frames, "decoded video ({} bytes) differs from the y4m frames ({} bytes)", decoded.len(), frames.len());
    let audio = tool("ffmpeg", &["-v", "error", "-i", s(&out), "-map", "0:a", "-f", "s16le", "-"]);
    assert!(audio == pcm, "decoded audio differs from the WAV");
    let info = info_json(&out);
    let probe = ffprobe_json(&out);
    assert_eq!(info["streams"].as_array().unwrap().len(), 2);
    assert_eq!(probe["streams"].as_array().unwrap().len(), 2);
    assert!((num(&info["duration"]) - 2.0).abs() < 0.05);
    assert!((num(&probe["format"]["duration"]) - 2.0).abs() < 0.05);
    assert_eq!(probe["format"]["tags"]["title"], "Y4M");
}

#[test]
fn y4m_422_becomes_yuy2() {
    let dir = Scratch::new("y4m422");
    if !have_tools("y4m_422_becomes_yuy2") {
        return;
    }
    let y4m = dir.path("x.y4m");
    tool("ffmpeg", &["-v", "error", "-f", "lavfi", "-i", "testsrc=size=96x64:rate=10", "-t", "1", "-pix_fmt", "yuv422p", s(&y4m)]);
    let out = dir.path("out.wmv");
    ok(&["y4m", s(&y4m), s(&out)]);
    assert_eq!(info_json(&out)["streams"][0]["fourcc"], "YUY2");
    let ours = tool("ffmpeg", &["-v", "error", "-i", s(&out), "-f", "rawvideo", "-pix_fmt", "yuv422p", "-"]);
    let theirs = tool("ffmpeg", &["-v", "error", "-i", s(&y4m), "-f", "rawvideo", "-pix_fmt", "yuv422p", "-"]);
    assert!(ours == theirs, "4:2:2 frames differ after the YUY2 round trip");
}

#[test]
fn prx_is_well_formed_and_loads_back() {
    let dir = Scratch::new("prx");
    let out = dir.path("av.prx");
    ok(&["prx", s(&out), "--audio", "44100:2:16", "--video", "320x240@25", "--name", "A & V <test>"]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("<profile ") && text.trim_end().ends_with("</profile>"), "{text}");
    assert!(text.contains("name=\"A &amp; V &lt;test&gt;\""), "{text}");
    let p = wmwriter::profile::prx::load(&text).expect("the PRX loads");
    assert_eq!(p.name, "A & V <test>");
    assert_eq!(p.streams.len(), 2);
    assert_eq!(p.streams[0].media_type.as_ref().unwrap().wave_format().unwrap().samples_per_sec, 44_100);
    let vi = p.streams[1].media_type.as_ref().unwrap().video_info().unwrap();
    assert_eq!((vi.width, vi.height, vi.avg_time_per_frame, vi.compression), (320, 240, 400_000, u32::from_le_bytes(*b"I420")));
    // The profile writes: it is usable, not only parseable.
    let mut w = wmwriter::writer::Writer::new();
    w.set_profile(&p).expect("set_profile accepts the loaded PRX");
    // Compressed video (passthrough) and stdout.
    let stdout = ok(&["prx", "-", "--video", "640x480@30000/1001:WMV3", "--video-bitrate", "800000"]);
    let p = wmwriter::profile::prx::load(&stdout).unwrap();
    assert_eq!(p.streams[0].bitrate, 800_000);
    assert_eq!(p.streams[0].media_type.as_ref().unwrap().video_info().unwrap().avg_time_per_frame, 333_667);
    if Command::new("python3").arg("--version").output().is_ok() {
        let st = Command::new("python3")
            .args(["-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])", s(&out)])
            .status()
            .unwrap();
        assert!(st.success(), "python's XML parser rejects the PRX");
    }
}

#[test]
fn errors_and_exit_codes() {
    let dir = Scratch::new("errors");
    // Usage errors: 2.
    for args in
        [&["bogus"][..], &["prx", "x.prx"], &["prx", "x.prx", "--video", "320x240"], &["demo"], &["demo", "x.wmv", "--duration", "-1"]]
    {
        let out = wmwrite(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // --help with examples for every subcommand: 0.
    for sub in ["demo", "wav", "y4m", "prx", "info"] {
        let out = wmwrite(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Examples:") && text.contains(&format!("wmwrite {sub} ")), "{sub} --help: {text}");
    }
    // Failures: 1, "wmwrite: error: <what> (<HRESULT>)".
    let missing = dir.path("missing.wav");
    let out = wmwrite(&["wav", s(&missing), s(&dir.path("o.wma"))]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("wmwrite: error: ") && err.trim_end().ends_with("(NS_E_FILE_NOT_FOUND)"), "{err}");
    let not_asf = dir.path("not.asf");
    std::fs::write(&not_asf, b"RIFF....WAVE and more bytes than thirty").unwrap();
    let out = wmwrite(&["info", s(&not_asf)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an ASF file"));
    let y4m = dir.path("x.y4m");
    std::fs::write(&y4m, b"YUV4MPEG2 W4 H4 F25:1 C444\nFRAME\n").unwrap();
    let out = wmwrite(&["y4m", s(&y4m), s(&dir.path("o.wmv"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("C444 is not supported"));
    // A cut-short frame fails and leaves no half-written file behind.
    std::fs::write(&y4m, b"YUV4MPEG2 W4 H4 F25:1\nFRAME\n0123456789abcdefghijklmnFRAME\nshort").unwrap();
    let o = dir.path("cut.wmv");
    let out = wmwrite(&["y4m", s(&y4m), s(&o)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("frame 1 is cut short"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!o.exists());
    // The library's own errors carry its HRESULT: an output in a missing directory.
    let (wav, _) = make_wav(1, 8000, 16, false, 800);
    let w = dir.path("a.wav");
    std::fs::write(&w, wav).unwrap();
    let out = wmwrite(&["wav", s(&w), s(&dir.path("no/such/dir/o.wma"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).trim_end().ends_with("(NS_E_FILE_OPEN_FAILED)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn info_packets_parses_every_packet() {
    let dir = Scratch::new("packets");
    let out = dir.path("d.wmv");
    ok(&["demo", s(&out), "--duration", "1"]);
    let v: Value = serde_json::from_str(&ok(&["info", s(&out), "--json", "--packets"])).unwrap();
    let c = &v["packet_check"];
    assert_eq!(c["packets"], v["packets"]);
    assert_eq!(c["media_objects"]["1"], 10, "ten 100 ms audio samples");
    assert_eq!(c["media_objects"]["2"], 25, "25 video frames");
    assert!(c["error"].is_null(), "{c}");
    // A non-zero padding byte in the last packet is found.
    let mut b = std::fs::read(&out).unwrap();
    let header = v["header_size"].as_u64().unwrap() as usize;
    let ps = v["packet_size"].as_u64().unwrap() as usize;
    let n = v["packets"].as_u64().unwrap() as usize;
    let last_end = header + 50 + n * ps;
    b[last_end - 1] = 0xAA;
    let bad = dir.path("bad.wmv");
    std::fs::write(&bad, b).unwrap();
    let v: Value = serde_json::from_str(&ok(&["info", s(&bad), "--json", "--packets"])).unwrap();
    assert_eq!(v["packet_check"]["error"], format!("packet {}: padding is not zero", n - 1));
    assert!(ok(&["info", s(&bad), "--packets"]).contains("warning: data packets: packet"));
}
