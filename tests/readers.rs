//! Files written by the library, checked with independent readers: ffprobe/ffmpeg
//! (libavformat's `asf` demuxer), GStreamer (asfdemux, gst-discoverer), exiftool, and
//! a minimal ASF walker in `common::asf` written from the format reference.
//!
//! The tools are required when `WMWRITER_REQUIRE_TOOLS=1` (CI); otherwise a test
//! without its tools prints "skipped: no <tool>" and returns.

mod av_source;
mod common;

use std::path::{Path, PathBuf};

use common::asf::{self, Layout};
use common::*;
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::SF_CLEANPOINT;

const MS: u64 = 10_000;
const SEC: u64 = 10_000_000;

const ALL_TOOLS: [&str; 5] = ["ffprobe", "ffmpeg", "gst-launch-1.0", "gst-discoverer-1.0", "exiftool"];

// ---------------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------------

/// One A/V(/script) file's content: the profile, the samples in write order, and what
/// each stream carries.
struct Av {
    profile: ProfileData,
    samples: Vec<Sample>,
    /// (time 100 ns, stored frame bytes).
    frames: Vec<(u64, Vec<u8>)>,
    /// (time 100 ns, PCM bytes).
    audio: Vec<(u64, Vec<u8>)>,
    /// (time 100 ns, two NUL-terminated UTF-16LE strings).
    script: Vec<(u64, Vec<u8>)>,
    frame_len: usize,
    width: i32,
    height: i32,
}

/// A stored frame as FFmpeg's rawvideo decoder returns it: for packed RGB the 4-byte
/// row padding of a BI_RGB bitmap is dropped; YUV frames come back as stored.
fn unpad_rows(stored: &[u8], pix_fmt: &str, w: usize, h: usize) -> Vec<u8> {
    if pix_fmt != "bgr24" {
        return stored.to_vec();
    }
    let stride = stored.len() / h;
    assert_eq!(stride, (w * 3).div_ceil(4) * 4, "BI_RGB stride");
    stored.chunks(stride).flat_map(|r| r[..w * 3].iter().copied()).collect()
}

/// A deterministic frame that differs per frame and per row (so a vertical flip or a
/// frame mix-up shows).
fn frame(len: usize, f: usize, row: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let (y, x) = (i / row, i % row);
            ((x + 3 * y + 5 * f) as u8) ^ (y as u8).wrapping_mul((f as u8) | 1)
        })
        .collect()
}

/// Stream 1 = PCM 44.1 kHz stereo 16-bit ("Audio", input 0), stream 2 = raw video
/// ("Video", input 1), stream 3 = script ("Script", input 2) when `script`.
fn av(subtype: Guid, w: i32, h: i32, fps: u64, secs: u64, script: bool) -> Av {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let mt = MediaType::raw_video(subtype, w, h, (SEC / fps) as i64);
    let frame_len = mt.sample_size as usize;
    assert!(frame_len > 0);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(mt);
    v.bitrate = (frame_len as u64 * 8 * fps) as u32;
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    if script {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_SCRIPT, 3);
        s.media_type = Some(MediaType::script());
        s.connection_name = "Script".into();
        p.add_stream(s).unwrap();
    }
    let row = frame_len / h as usize;
    let frames: Vec<(u64, Vec<u8>)> = (0..(fps * secs) as usize).map(|f| (f as u64 * SEC / fps, frame(frame_len, f, row))).collect();
    // 100 ms of 44.1 kHz stereo 16-bit = 4410 frames × 4 bytes.
    let audio: Vec<(u64, Vec<u8>)> = (0..secs * 10).map(|i| (i * 100 * MS, noise(i + 1, 4410 * 4))).collect();
    let script: Vec<(u64, Vec<u8>)> = if script {
        [(1000, "URL", "http://example.com/one"), (4000, "TEXT", "hello at four"), (7500, "TEXT", "seven and a half")]
            .iter()
            .map(|(ms, t, c)| (ms * MS, [asf::wstr(t), asf::wstr(c)].concat()))
            .collect()
    } else {
        Vec::new()
    };
    // Interleave in time order (audio, then video, then script at equal times).
    let mut all: Vec<(u64, u32, Sample)> = Vec::new();
    for (t, d) in &audio {
        all.push((*t, 0, Sample::Input { input: 0, time: *t, flags: 0, data: d.clone() }));
    }
    for (t, d) in &frames {
        all.push((*t, 1, Sample::Input { input: 1, time: *t, flags: SF_CLEANPOINT, data: d.clone() }));
    }
    for (t, d) in &script {
        all.push((*t, 2, Sample::Input { input: 2, time: *t, flags: 0, data: d.clone() }));
    }
    all.sort_by_key(|s| (s.0, s.1));
    Av { profile: p, samples: all.into_iter().map(|s| s.2).collect(), frames, audio, script, frame_len, width: w, height: h }
}

// ---------------------------------------------------------------------------------
// Checks shared by the tests
// ---------------------------------------------------------------------------------

/// Test 6's check, run on every file the tests produce: the walker in `common::asf`
/// checks the header object count against the children found by size, every object
/// and sub-object size, File Size / packet counts / Data Object size against the real
/// file, the index objects up to the exact end of file, and every data packet down to
/// its padding. Returns the bytes and the layout.
fn check_structure(path: &Path) -> (Vec<u8>, Layout) {
    let (bytes, l) = walk_file(path);
    assert_eq!(l.header_count as usize, l.children.len());
    assert_eq!(u32::from_le_bytes(bytes[24..28].try_into().unwrap()) as usize, l.children.len(), "header object count at bytes 24..28");
    let end_of_children = l.children.last().map(|c| c.offset + c.size).unwrap();
    assert_eq!(end_of_children, l.header_size, "header children end at the Header Object's end");
    if !l.broadcast() {
        let trailing: usize = l.trailing.iter().map(|t| t.size).sum();
        assert_eq!(l.header_size + l.data_object_size as usize + trailing, bytes.len(), "header + data + index == file size");
        assert_eq!(l.packet_bytes, l.props.data_packets as usize * l.props.max_packet as usize);
        l.check_simple_indexes(&bytes);
    }
    // Extended Stream Properties: one per stream; a finished file records the largest
    // object of each stream.
    assert_eq!(l.esp.len(), l.streams.len(), "one Extended Stream Properties Object per stream");
    for s in &l.streams {
        let e = l.esp.iter().find(|e| e.stream == s.number).unwrap_or_else(|| panic!("no ESP for stream {}", s.number));
        let largest = l.payloads.iter().filter(|p| p.stream as u16 == s.number).map(|p| p.object_size).max().unwrap_or(0);
        if !l.broadcast() {
            assert_eq!(e.max_object_size, largest, "ESP Maximum Object Size of stream {}", s.number);
        }
    }
    (bytes, l)
}

/// The objects of `stream` (reassembled by the walker) must be exactly `expected`
/// (time 100 ns, bytes), with PT = ms + preroll, all clean points.
fn check_objects(bytes: &[u8], l: &Layout, stream: u8, expected: &[(u64, Vec<u8>)], all_key: bool) {
    let objs = l.objects(bytes, stream);
    assert_eq!(objs.len(), expected.len(), "stream {stream}: media objects in the file");
    for (i, ((pt, key, data), (t, d))) in objs.iter().zip(expected).enumerate() {
        assert_eq!(*pt as u64, t / MS + l.props.preroll_ms, "stream {stream} object {i}: presentation time");
        if all_key {
            assert!(*key, "stream {stream} object {i}: key-frame bit not set");
        }
        assert!(data == d, "stream {stream} object {i}: bytes differ from the sample written");
    }
}

/// ffprobe's packets of one codec type must be exactly `expected` (time, size, key) in
/// order: pts in ms (time base 1/1000), pts_time = sample time.
fn check_packets(pkts: &[Pkt], codec_type: &str, expected: &[(u64, usize, bool)]) {
    let got: Vec<&Pkt> = pkts.iter().filter(|p| p.codec_type == codec_type).collect();
    assert_eq!(got.len(), expected.len(), "ffprobe: number of {codec_type} packets");
    let si = got.first().map(|p| p.stream_index);
    for (i, (p, (t, size, key))) in got.iter().zip(expected).enumerate() {
        assert_eq!(Some(p.stream_index), si, "{codec_type} packet {i}: stream index changes");
        // ASF stores whole milliseconds: the sample time truncated to ms.
        assert_eq!(p.ts as u64, t / MS, "{codec_type} packet {i}: pts (ms)");
        let t_ms = (t / MS * MS) as f64;
        assert!((p.ts_time * 1e7 - t_ms).abs() < 1.0, "{codec_type} packet {i}: pts_time {} != {} s", p.ts_time, t_ms / 1e7);
        assert_eq!(p.size, *size, "{codec_type} packet {i}: size");
        assert_eq!(p.key, *key, "{codec_type} packet {i}: key flag");
    }
}

/// `GST_DEBUG=asfdemux:2 gst-launch-1.0 filesrc ! asfdemux` with each named pad into a
/// filesink; must exit 0 with no WARN/ERROR line from asfdemux except lines containing
/// one of `tolerated`. Returns the bytes each pad produced.
fn gst_demux(file: &Path, dir: &TempDir, pads: &[&str], tolerated: &[&str]) -> Vec<Vec<u8>> {
    let loc = format!("location={}", file.display());
    let outs: Vec<PathBuf> = pads.iter().map(|p| dir.path(&format!("gst-{p}.raw"))).collect();
    let mut args: Vec<String> = vec!["filesrc".into(), loc, "!".into(), "asfdemux".into(), "name=d".into()];
    for (p, o) in pads.iter().zip(&outs) {
        args.extend([format!("d.{p}"), "!".into(), "queue".into(), "!".into(), "filesink".into(), format!("location={}", o.display())]);
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run_env("gst-launch-1.0", &a, &[("GST_DEBUG", "asfdemux:2"), ("GST_DEBUG_NO_COLOR", "1")]);
    let all = format!("{}\n{}", r.text(), r.stderr);
    assert_eq!(r.code, Some(0), "`{}` failed:\n{all}", r.cmdline);
    for line in all.lines() {
        let bad = (line.contains("asfdemux") && (line.contains(" WARN ") || line.contains(" ERROR "))) || line.starts_with("ERROR");
        if bad && !tolerated.iter().any(|t| line.contains(t)) {
            panic!("GStreamer complained about {}:\n{line}\n(full output:\n{all})", file.display());
        }
    }
    assert!(all.contains("Got EOS"), "GStreamer did not reach EOS:\n{all}");
    outs.iter().map(|o| std::fs::read(o).unwrap_or_else(|e| panic!("gst output {}: {e}", o.display()))).collect()
}

/// The checks every A/V file gets: structure, the walker's objects, ffprobe streams
/// and packets, bit-exact decode of audio and video with ffmpeg and GStreamer.
fn check_av(path: &Path, dir: &TempDir, c: &Av, pix_fmt: &str, gst_tolerated: &[&str]) -> (Vec<u8>, Layout) {
    let (w, h) = (c.width as usize, c.height as usize);
    let f = path.to_str().unwrap();
    let (bytes, l) = check_structure(path);
    assert_eq!(l.props.flags, 2, "a finished file is seekable, not broadcast");
    check_objects(&bytes, &l, 1, &c.audio, true);
    check_objects(&bytes, &l, 2, &c.frames, true);
    if !c.script.is_empty() {
        check_objects(&bytes, &l, 3, &c.script, true);
    }
    // One Simple Index for the video stream, after the Data Object.
    assert_eq!(l.trailing.iter().filter(|t| t.id == asf::simple_index_object()).count(), 1, "one Simple Index Object");

    // ffprobe: streams and every packet.
    let (streams, pkts) = ffprobe_packets(path, false);
    let a = probe_stream(&streams, "audio");
    assert_eq!(a.get("codec_name").str(), Some("pcm_s16le"));
    assert_eq!(a.get("sample_rate").int(), Some(44100));
    assert_eq!(a.get("channels").int(), Some(2));
    assert_eq!(a.get("time_base").str(), Some("1/1000"));
    let v = probe_stream(&streams, "video");
    assert_eq!(v.get("codec_name").str(), Some("rawvideo"));
    assert_eq!(v.get("pix_fmt").str(), Some(pix_fmt));
    assert_eq!((v.get("width").int(), v.get("height").int()), (Some(w as i64), Some(h as i64)));
    assert_eq!(v.get("time_base").str(), Some("1/1000"));
    let expect_a: Vec<(u64, usize, bool)> = c.audio.iter().map(|(t, d)| (*t, d.len(), true)).collect();
    let expect_v: Vec<(u64, usize, bool)> = c.frames.iter().map(|(t, d)| (*t, d.len(), true)).collect();
    check_packets(&pkts, "audio", &expect_a);
    check_packets(&pkts, "video", &expect_v);
    let others = pkts.iter().filter(|p| p.codec_type != "audio" && p.codec_type != "video").count();
    assert_eq!(others, c.script.len(), "ffprobe: packets that are neither audio nor video");

    // ffmpeg: decoded audio and video are the bytes written. `-guess_layout_max 0`
    // stops the CLI's "Guessed Channel Layout" note for a plain WAVEFORMATEX.
    let pcm: Vec<u8> = c.audio.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f, "-map", "0:a", "-f", "s16le", "-"]);
    assert!(got == pcm, "ffmpeg's decoded audio differs ({} bytes vs {} written)", got.len(), pcm.len());
    // No flip for RGB either: FFmpeg's ASF demuxer, unlike its AVI demuxer (which adds
    // "BottomUp" extradata for BI_RGB with a positive height), does not tell the rawvideo
    // decoder that the rows are bottom-up, so FFmpeg hands out the stored rows as they
    // are (GStreamer's asfdemux too). The frames are compared with the stored bytes.
    // BI_RGB rows are padded to 4 bytes in the file; FFmpeg's output rows are not.
    let decoded: Vec<Vec<u8>> = c.frames.iter().map(|(_, d)| unpad_rows(d, pix_fmt, w, h)).collect();
    let decoded_len = decoded[0].len();
    let raw: Vec<u8> = decoded.concat();
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f, "-map", "0:v", "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"]);
    assert_eq!(got.len(), raw.len(), "ffmpeg's decoded video length");
    if got != raw {
        let bad = got.chunks(decoded_len).zip(raw.chunks(decoded_len)).position(|(x, y)| x != y).unwrap();
        panic!("ffmpeg's decoded frame {bad} differs from the frame written");
    }
    let raw: Vec<u8> = c.frames.iter().flat_map(|(_, d)| d.iter().copied()).collect();

    // GStreamer: demuxes to the same bytes, without warnings.
    let out = gst_demux(path, dir, &["audio_0", "video_0"], gst_tolerated);
    assert!(out[0] == pcm, "GStreamer's audio differs ({} bytes vs {})", out[0].len(), pcm.len());
    assert!(out[1] == raw, "GStreamer's video differs ({} bytes vs {})", out[1].len(), raw.len());
    (bytes, l)
}

/// gst-discoverer-1.0: (duration in seconds, seekable).
fn discover(path: &Path) -> (f64, bool) {
    let out = stdout_of("gst-discoverer-1.0", &[path.to_str().unwrap()]);
    let dur = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("Duration: "))
        .unwrap_or_else(|| panic!("gst-discoverer printed no duration:\n{out}"));
    let parts: Vec<f64> = dur.split(':').map(|x| x.parse::<f64>().unwrap()).collect();
    let secs = parts[0] * 3600.0 + parts[1] * 60.0 + parts[2];
    let seekable = out.lines().find_map(|l| l.trim().strip_prefix("Seekable: ")).unwrap_or_else(|| panic!("no Seekable line:\n{out}"));
    (secs, seekable == "yes")
}

// ---------------------------------------------------------------------------------
// 1. RGB24 + PCM + script, 10 s
// ---------------------------------------------------------------------------------

#[test]
fn av_rgb24_pcm_script_10s() {
    if !have_tools(&ALL_TOOLS) {
        return;
    }
    let dir = TempDir::new("av-rgb24");
    let path = dir.path("av.wmv");
    let f = path.to_str().unwrap();
    let c = av(sdk::WMMEDIASUBTYPE_RGB24, 320, 240, 25, 10, true);
    assert_eq!(c.frames.len(), 250);
    assert_eq!(c.frame_len, 320 * 240 * 3);
    let summary = write_file(&path, &c.profile, &[], &c.samples);
    assert_eq!(summary.objects, (250 + 100 + 3) as u64);

    // GStreamer ignores ASF command (script) streams and says so for stream 3, both
    // when it meets its Stream Properties and its Stream Bitrate Properties entry;
    // those two warnings name the script stream and are tolerated, nothing else is.
    let (bytes, l) = check_av(&path, &dir, &c, "bgr24", &["Unknown stream type for stream 3", "Stream id 3 wasn't found"]);
    assert_eq!(summary.file_size, bytes.len() as u64);

    // Script stream: our walker sees an ASF_Command_Media Stream Properties Object.
    assert_eq!(l.stream(3).stream_type, asf::command_media(), "stream 3 is ASF_Command_Media");
    assert_eq!(l.stream(1).stream_type, asf::audio_media());
    assert_eq!(l.stream(2).stream_type, asf::video_media());
    // FFmpeg reads command streams as a data stream (no codec) and returns their
    // payloads as packets: check them, bytes included.
    let j = ffprobe_json(&path, &["-select_streams", "d", "-show_streams", "-show_packets", "-show_data"]);
    assert_eq!(j.get("streams").arr().len(), 1, "ffprobe lists the script stream as a data stream");
    assert_eq!(j.get("streams").arr()[0].get("codec_type").str(), Some("data"));
    let sp = j.get("packets").arr();
    assert_eq!(sp.len(), c.script.len(), "script packets");
    for (p, (t, d)) in sp.iter().zip(&c.script) {
        assert_eq!(p.get("pts").int(), Some((t / MS) as i64), "script pts");
        assert_eq!(p.get("size").int(), Some(d.len() as i64));
        assert_eq!(json::ffprobe_hexdump(p.get("data").str().unwrap()), *d, "script command bytes");
    }

    // Format-level duration: FFmpeg uses Play Duration − Preroll only when File Size is
    // right, so this checks both.
    let fmt = ffprobe_json(&path, &["-show_format"]);
    assert_eq!(fmt.get("format").get("format_name").str(), Some("asf"));
    assert!((fmt.get("format").get("duration").float().unwrap() - 10.0).abs() < 0.001, "ffprobe format duration {}", fmt.get("format"));

    // Seek: the frame at 6.0 s is frame 150 (stored rows, see check_av).
    let got = ffmpeg_clean(&[
        "-guess_layout_max",
        "0",
        "-ss",
        "6",
        "-i",
        f,
        "-map",
        "0:v",
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "bgr24",
        "-",
    ]);
    assert_eq!(c.frames[150].0, 6 * SEC);
    assert!(got == c.frames[150].1, "ffmpeg -ss 6 did not return frame 150 ({} bytes)", got.len());

    // gst-discoverer: duration (Play Duration − Preroll) and seekable.
    let (secs, seekable) = discover(&path);
    assert!((secs - 10.0).abs() <= 0.05, "gst-discoverer duration {secs}");
    assert!(seekable, "gst-discoverer: not seekable");

    // exiftool shows the raw File Properties.
    let e = run("exiftool", &["-j", f]).ok().json();
    let e = &e.arr()[0];
    let n = run("exiftool", &["-j", "-n", f]).ok().json();
    let n = &n.arr()[0];
    assert_eq!(n.get("FileLength").int(), Some(bytes.len() as i64), "exiftool FileLength");
    let hs = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    let data_size = u64::from_le_bytes(bytes[hs + 16..hs + 24].try_into().unwrap()) as i64;
    let psize = u32::from_le_bytes(bytes[l.children[0].offset + 96..][..4].try_into().unwrap()) as i64;
    assert_eq!(l.children[0].id, asf::file_properties(), "File Properties is the first header child");
    assert_eq!(n.get("DataPackets").int(), Some((data_size - 50) / psize), "exiftool DataPackets");
    assert_eq!(n.get("MaxPacketSize").int(), Some(psize));
    assert_eq!(n.get("MinPacketSize").int(), Some(psize));
    // exiftool's Duration is the raw Play Duration: preroll included.
    assert_eq!(e.get("Duration").str(), Some("13.00 s"), "exiftool Duration");
    assert_eq!(n.get("Duration").float(), Some(13.0));
    assert_eq!(e.get("SendDuration").str(), Some("10.00 s"), "exiftool SendDuration");
    assert_eq!(n.get("Preroll").int(), Some(3000));
    assert!(n.get("MaxBitrate").int().unwrap_or(0) > 0, "exiftool MaxBitrate {}", n.get("MaxBitrate"));
    assert_eq!(n.get("Flags").int(), Some(2), "exiftool Flags");
    assert_eq!(e.get("StreamType").str(), Some("Command"), "exiftool sees the command stream");
    assert_eq!(n.get("ImageWidth").int(), Some(320));
    assert_eq!(n.get("AudioSampleRate").int(), Some(44100));
    assert_eq!(n.get("AudioChannels").int(), Some(2));
    // Creation Date: a FILETIME (100 ns since 1601, UTC) of about now, which exiftool
    // shows as the same calendar time.
    let now_ft = wmwriter::reader::filetime_from_system_time(std::time::SystemTime::now());
    let ft = l.props.creation_date;
    assert!(ft <= now_ft + SEC && now_ft - ft < 600 * SEC, "Creation Date {ft} is not about now ({now_ft})");
    assert_eq!(e.get("CreationDate").str(), Some(filetime_text(ft).as_str()), "exiftool CreationDate");
}

/// A FILETIME as exiftool prints it: "YYYY:MM:DD HH:MM:SSZ" (UTC).
fn filetime_text(ft: u64) -> String {
    let iso = wmwriter::reader::filetime_iso(ft).expect("a non-zero FILETIME");
    iso.replace('-', ":").replace('T', " ")
}

// ---------------------------------------------------------------------------------
// 2. YUV video
// ---------------------------------------------------------------------------------

#[test]
fn yuv_variants() {
    if !have_tools(&ALL_TOOLS) {
        return;
    }
    for (name, subtype, pix_fmt, frame_len) in
        [("i420", sdk::WMMEDIASUBTYPE_I420, "yuv420p", 320 * 240 * 3 / 2), ("yuy2", sdk::WMMEDIASUBTYPE_YUY2, "yuyv422", 320 * 240 * 2)]
    {
        let dir = TempDir::new(&format!("yuv-{name}"));
        let path = dir.path(&format!("{name}.wmv"));
        let c = av(subtype, 320, 240, 25, 3, false);
        assert_eq!(c.frame_len, frame_len, "{name}: frame size");
        write_file(&path, &c.profile, &[], &c.samples);
        check_av(&path, &dir, &c, pix_fmt, &[]);
        let (secs, seekable) = discover(&path);
        assert!((secs - 3.0).abs() <= 0.05 && seekable, "{name}: gst-discoverer {secs} s, seekable {seekable}");
    }
}

/// Not in the original list: a width whose BI_RGB rows need padding (322 × 3 = 966
/// bytes, stored as 968) and 30 fps, whose frame times (333 333 × 100 ns) are not whole
/// milliseconds and are stored truncated.
#[test]
fn rgb24_odd_width_30fps() {
    if !have_tools(&ALL_TOOLS) {
        return;
    }
    let dir = TempDir::new("rgb24-odd");
    let path = dir.path("odd.wmv");
    let c = av(sdk::WMMEDIASUBTYPE_RGB24, 322, 240, 30, 2, false);
    assert_eq!(c.frame_len, 968 * 240);
    assert_eq!(c.frames[1].0, 333_333);
    write_file(&path, &c.profile, &[], &c.samples);
    check_av(&path, &dir, &c, "bgr24", &[]);
    let (secs, seekable) = discover(&path);
    assert!((secs - 2.0).abs() <= 0.05 && seekable, "gst-discoverer {secs} s, seekable {seekable}");
}

// ---------------------------------------------------------------------------------
// 3. PCM layouts
// ---------------------------------------------------------------------------------

#[test]
fn audio_matrix() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    // Every channel count with every sample size, every rate at least once.
    let matrix: [(u16, u16, u32); 10] = [
        (1, 8, 8000),
        (2, 8, 22050),
        (6, 8, 48000),
        (1, 16, 22050),
        (2, 16, 44100),
        (6, 16, 96000),
        (2, 16, 8000),
        (1, 24, 96000),
        (2, 24, 48000),
        (6, 24, 44100),
    ];
    for (ch, bits, rate) in matrix {
        let name = format!("{ch}ch-{bits}bit-{rate}");
        let dir = TempDir::new(&name);
        let path = dir.path(&format!("{name}.wma"));
        let f = path.to_str().unwrap();
        let mut p = ProfileData::new(0x0009_0000);
        let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
        a.media_type = Some(MediaType::pcm(ch, rate, bits));
        let block = ch as usize * bits as usize / 8;
        a.bitrate = rate * block as u32 * 8;
        a.connection_name = "Audio".into();
        p.add_stream(a).unwrap();
        // Samples of 100 ms and 40 ms alternately (whole milliseconds at every rate).
        let mut t_ms = 0u64;
        let mut chunks: Vec<(u64, Vec<u8>)> = Vec::new();
        for i in 0..10u64 {
            let ms = if i % 2 == 0 { 100 } else { 40 };
            let frames = rate as u64 * ms / 1000;
            chunks.push((t_ms * MS, noise(1000 + i + rate as u64 + ch as u64 * 7 + bits as u64, frames as usize * block)));
            t_ms += ms;
        }
        let samples: Vec<Sample> = chunks.iter().map(|(t, d)| Sample::Input { input: 0, time: *t, flags: 0, data: d.clone() }).collect();
        write_file(&path, &p, &[], &samples);
        let (bytes, l) = check_structure(&path);
        check_objects(&bytes, &l, 1, &chunks, true);
        assert_eq!(l.props.flags, 2, "{name}: seekable");
        assert!(l.trailing.is_empty(), "{name}: audio-only files have no index");

        let (streams, pkts) = ffprobe_packets(&path, false);
        let s = probe_stream(&streams, "audio");
        let (codec, fmt) = match bits {
            8 => ("pcm_u8", "u8"),
            16 => ("pcm_s16le", "s16le"),
            _ => ("pcm_s24le", "s24le"),
        };
        assert_eq!(s.get("codec_name").str(), Some(codec), "{name}");
        assert_eq!(s.get("sample_rate").int(), Some(rate as i64), "{name}");
        assert_eq!(s.get("channels").int(), Some(ch as i64), "{name}");
        assert_eq!(s.get("bits_per_sample").int(), Some(bits as i64), "{name}");
        let expect: Vec<(u64, usize, bool)> = chunks.iter().map(|(t, d)| (*t, d.len(), true)).collect();
        assert_eq!(pkts.len(), chunks.len(), "{name}: packet count = samples written");
        check_packets(&pkts, "audio", &expect);
        let fmt_dur = ffprobe_json(&path, &["-show_format"]).get("format").get("duration").float().unwrap();
        assert!((fmt_dur - t_ms as f64 / 1000.0).abs() < 0.0015, "{name}: ffprobe duration {fmt_dur}, expected {t_ms} ms");

        let pcm: Vec<u8> = chunks.iter().flat_map(|(_, d)| d.iter().copied()).collect();
        let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f, "-map", "0:a", "-f", fmt, "-"]);
        assert!(got == pcm, "{name}: ffmpeg's decoded audio differs ({} bytes vs {})", got.len(), pcm.len());
        let out = gst_demux(&path, &dir, &["audio_0"], &[]);
        assert!(out[0] == pcm, "{name}: GStreamer's audio differs ({} bytes vs {})", out[0].len(), pcm.len());
    }
}

/// Not in the original list: packetization corner cases read back by the readers —
/// (a) 1 ms PCM samples in 8000-byte packets (more objects than the 63 payloads a
/// packet can hold: compressed payloads), (b) the smallest packet size (100 bytes): every video frame and
/// most audio samples span many packets.
#[test]
fn edge_packetization() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    let dir = TempDir::new("edge");
    // (a)
    let path = dir.path("tiny.wma");
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(1, 8000, 8));
    a.bitrate = 64_000;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    p.max_packet_size = 8000;
    let chunks: Vec<(u64, Vec<u8>)> = (0..500u64).map(|i| (i * MS, noise(i + 7, 8))).collect();
    let samples: Vec<Sample> = chunks.iter().map(|(t, d)| Sample::Input { input: 0, time: *t, flags: 0, data: d.clone() }).collect();
    write_file(&path, &p, &[], &samples);
    let (bytes, l) = check_structure(&path);
    assert_eq!(l.props.max_packet, 8000);
    let mut per_packet = std::collections::HashMap::new();
    for pl in &l.payloads {
        *per_packet.entry(pl.packet).or_insert(0) += 1;
    }
    // 8-byte objects 1 ms apart share compressed payloads: a packet holds more of them
    // than its 63 payloads could.
    let most = per_packet.values().copied().max().unwrap();
    assert!(most > 63, "at most {most} objects per packet: compressed payloads expected");
    check_objects(&bytes, &l, 1, &chunks, true);
    let (_, pkts) = ffprobe_packets(&path, false);
    check_packets(&pkts, "audio", &chunks.iter().map(|(t, d)| (*t, d.len(), true)).collect::<Vec<_>>());
    let pcm: Vec<u8> = chunks.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", path.to_str().unwrap(), "-map", "0:a", "-f", "u8", "-"]);
    assert!(got == pcm, "ffmpeg's decoded audio differs ({} bytes vs {})", got.len(), pcm.len());
    let out = gst_demux(&path, &dir, &["audio_0"], &[]);
    assert!(out[0] == pcm, "GStreamer's audio differs ({} bytes vs {})", out[0].len(), pcm.len());

    // (b)
    let path = dir.path("small.wmv");
    let mut c = av(sdk::WMMEDIASUBTYPE_I420, 64, 48, 25, 1, false);
    c.profile.max_packet_size = 100;
    write_file(&path, &c.profile, &[], &c.samples);
    let (bytes, l) = check_structure(&path);
    assert_eq!(l.props.max_packet, 100);
    check_objects(&bytes, &l, 1, &c.audio, true);
    check_objects(&bytes, &l, 2, &c.frames, true);
    let (_, pkts) = ffprobe_packets(&path, false);
    check_packets(&pkts, "audio", &c.audio.iter().map(|(t, d)| (*t, d.len(), true)).collect::<Vec<_>>());
    check_packets(&pkts, "video", &c.frames.iter().map(|(t, d)| (*t, d.len(), true)).collect::<Vec<_>>());
    let f = path.to_str().unwrap();
    let pcm: Vec<u8> = c.audio.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let raw: Vec<u8> = c.frames.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f, "-map", "0:a", "-f", "s16le", "-"]);
    assert!(got == pcm, "ffmpeg's decoded audio differs");
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f, "-map", "0:v", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
    assert!(got == raw, "ffmpeg's decoded video differs");
    let out = gst_demux(&path, &dir, &["audio_0", "video_0"], &[]);
    assert!(out[0] == pcm && out[1] == raw, "GStreamer's output differs");
}

// ---------------------------------------------------------------------------------
// 4. Writing into a FIFO (non-seekable sink)
// ---------------------------------------------------------------------------------

fn mkfifo(path: &Path) {
    let st = std::process::Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(st.success(), "mkfifo {}", path.display());
}

#[test]
fn pipe_streaming_layout() {
    if !have_tools(&["ffprobe", "mkfifo", "gst-discoverer-1.0"]) {
        return;
    }
    let dir = TempDir::new("pipe");
    let c = av(sdk::WMMEDIASUBTYPE_I420, 320, 240, 25, 2, false);

    // (a) A thread drains the FIFO into memory while the writer writes.
    let fifo = dir.path("live.wmv");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read the FIFO"))
    };
    write_file(&fifo, &c.profile, &[], &c.samples);
    let captured = reader.join().unwrap();
    let copy = dir.path("captured.wmv");
    std::fs::write(&copy, &captured).unwrap();
    let (bytes, l) = check_structure(&copy);
    assert_eq!(l.props.flags & 1, 1, "the broadcast flag must stay set when the sink cannot seek");
    assert_eq!(l.props.flags & 2, 0, "a live stream is not marked seekable");
    assert!(l.trailing.is_empty(), "no index after a live stream");
    assert_eq!(l.packet_bytes, bytes.len() - l.header_size - 50);
    check_objects(&bytes, &l, 1, &c.audio, true);
    check_objects(&bytes, &l, 2, &c.frames, true);
    let (_, pkts) = ffprobe_packets(&copy, false);
    check_packets(&pkts, "audio", &c.audio.iter().map(|(t, d)| (*t, d.len(), true)).collect::<Vec<_>>());
    check_packets(&pkts, "video", &c.frames.iter().map(|(t, d)| (*t, d.len(), true)).collect::<Vec<_>>());
    assert_eq!(pkts.len(), c.audio.len() + c.frames.len());
    // GStreamer: a broadcast file is not seekable.
    let (_, seekable) = discover(&copy);
    assert!(!seekable, "gst-discoverer calls a broadcast stream seekable");

    // (b) ffprobe itself reads the FIFO while the writer writes. Its stdout is drained
    // by a thread so a full pipe cannot stall it (and with it the writer).
    let fifo2 = dir.path("live2.wmv");
    mkfifo(&fifo2);
    let child = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-of", "json", "-show_packets", "-i"])
        .arg(&fifo2)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn ffprobe");
    let waiter = std::thread::spawn(move || child.wait_with_output().expect("ffprobe output"));
    write_file(&fifo2, &c.profile, &[], &c.samples);
    let out = waiter.join().unwrap();
    assert!(out.status.success(), "ffprobe on the FIFO failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "ffprobe on the FIFO: {}", String::from_utf8_lossy(&out.stderr));
    let j = Json::parse(&String::from_utf8_lossy(&out.stdout)).unwrap();
    let live: Vec<(String, i64, i64)> = j
        .get("packets")
        .arr()
        .iter()
        .map(|p| (p.get("codec_type").str().unwrap().to_string(), p.get("pts").int().unwrap(), p.get("size").int().unwrap()))
        .collect();
    let from_file: Vec<(String, i64, i64)> = pkts.iter().map(|p| (p.codec_type.clone(), p.ts, p.size as i64)).collect();
    assert_eq!(live.len(), c.audio.len() + c.frames.len(), "ffprobe reading the FIFO: packet count");
    assert_eq!(live, from_file, "ffprobe on the FIFO and on the captured copy disagree");
}

// ---------------------------------------------------------------------------------
// 5. Compressed passthrough: remux FFmpeg-encoded files
// ---------------------------------------------------------------------------------

fn le16(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}
fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// framemd5 lines without the comment header.
fn framemd5(path: &Path) -> Vec<String> {
    let out = ffmpeg_clean(&["-guess_layout_max", "0", "-i", path.to_str().unwrap(), "-f", "framemd5", "-"]);
    let lines: Vec<String> = String::from_utf8(out).unwrap().lines().filter(|l| !l.starts_with('#')).map(str::to_string).collect();
    lines
}

/// Encode a 4 s source with FFmpeg, rebuild a profile from what ffprobe reports, write
/// every packet through `write_stream_sample`, and compare with the source.
fn remux(name: &str, vcodec: &[&str], acodec: &[&str], expect: (&str, &str)) {
    let dir = TempDir::new(&format!("remux-{name}"));
    let src = dir.path("src.wmv");
    let mut args =
        vec!["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "4"];
    args.extend_from_slice(vcodec);
    args.extend_from_slice(acodec);
    let s = src.to_str().unwrap();
    args.push(s);
    ffmpeg_clean(&args);
    let av_source::Passthrough { profile: p, samples, pkts, v_extra, a_extra, .. } = av_source::passthrough(&src, name);
    let (streams, _) = ffprobe_packets(&src, false);
    let codec = |ty| probe_stream(&streams, ty).get("codec_name").str().map(str::to_string);
    assert_eq!((codec("video").as_deref(), codec("audio").as_deref()), (Some(expect.0), Some(expect.1)), "{name}: source codecs");
    let hex = |j: &Json| j.get("extradata").str().map(json::ffprobe_hexdump).unwrap_or_default();
    assert!(samples.len() > 150, "{name}: only {} source packets", samples.len());
    let out = dir.path("remux.wmv");
    write_file(&out, &p, &[0, 1], &samples);
    let (bytes, l) = check_structure(&out);
    assert_eq!(l.props.flags, 2, "{name}: seekable");

    // Packet level: same payloads, timestamps and key flags per stream.
    let (ostreams, opkts) = ffprobe_packets(&out, true);
    assert_eq!(probe_stream(&ostreams, "video").get("codec_name").str(), Some(expect.0));
    assert_eq!(probe_stream(&ostreams, "audio").get("codec_name").str(), Some(expect.1));
    assert_eq!(hex(probe_stream(&ostreams, "video")), v_extra, "{name}: video extradata");
    assert_eq!(hex(probe_stream(&ostreams, "audio")), a_extra, "{name}: audio extradata");
    for ty in ["audio", "video"] {
        let a: Vec<(i64, bool, &Vec<u8>)> =
            pkts.iter().filter(|p| p.codec_type == ty).map(|p| (p.ts, p.key, p.data.as_ref().unwrap())).collect();
        let b: Vec<(i64, bool, &Vec<u8>)> =
            opkts.iter().filter(|p| p.codec_type == ty).map(|p| (p.ts, p.key, p.data.as_ref().unwrap())).collect();
        assert_eq!(a.len(), b.len(), "{name}: {ty} packet count");
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert!(
                x == y,
                "{name}: {ty} packet {i} differs: source pts {} key {} {} bytes, remux pts {} key {} {} bytes",
                x.0,
                x.1,
                x.2.len(),
                y.0,
                y.1,
                y.2.len()
            );
        }
    }
    // Our walker agrees on the objects.
    let v_objs: Vec<(u64, Vec<u8>)> =
        pkts.iter().filter(|p| p.codec_type == "video").map(|p| (p.ts as u64 * MS, p.data.clone().unwrap())).collect();
    check_objects(&bytes, &l, 2, &v_objs, false);

    // Decoded frames: identical checksums.
    let a = framemd5(&src);
    let b = framemd5(&out);
    assert!(a.len() > 150, "{name}: framemd5 of the source has only {} lines", a.len());
    assert_eq!(a.len(), b.len(), "{name}: decoded frame count");
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "{name}: framemd5 line {i}");
    }

    // Seeking (through our Simple Index) lands on the same decoded frame.
    let seek = |p: &Path| {
        ffmpeg_clean(&[
            "-guess_layout_max",
            "0",
            "-ss",
            "2.5",
            "-i",
            p.to_str().unwrap(),
            "-map",
            "0:v",
            "-frames:v",
            "1",
            "-f",
            "framemd5",
            "-",
        ])
    };
    let strip = |b: Vec<u8>| String::from_utf8(b).unwrap().lines().filter(|l| !l.starts_with('#')).map(str::to_string).collect::<Vec<_>>();
    let (x, y) = (strip(seek(&src)), strip(seek(&out)));
    assert_eq!(x.len(), 1, "{name}: one frame after -ss 2.5");
    assert_eq!(x, y, "{name}: frame after -ss 2.5");

    // GStreamer demuxes it cleanly (no asfdemux warnings for our file) to the same
    // bytes as it gets from the source. (Not compared with ffprobe's packet bytes: for
    // H.264 GStreamer's output differs from the raw payloads for both files.)
    let ours = gst_demux(&out, &dir, &["audio_0", "video_0"], &[]);
    let gdir = TempDir::new(&format!("remux-{name}-gst-src"));
    let theirs = gst_demux(&src, &gdir, &["audio_0", "video_0"], &[""]);
    let a_len: usize = pkts.iter().filter(|p| p.codec_type == "audio").map(|p| p.size).sum();
    assert!(ours[0].len() >= a_len, "{name}: GStreamer's audio is only {} bytes", ours[0].len());
    assert!(ours[0] == theirs[0], "{name}: GStreamer's audio differs between source and remux ({} vs {})", theirs[0].len(), ours[0].len());
    assert!(ours[1] == theirs[1], "{name}: GStreamer's video differs between source and remux ({} vs {})", theirs[1].len(), ours[1].len());
}

#[test]
fn remux_wmv2_wmav2_passthrough() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    remux("wmv2-wmav2", &["-c:v", "wmv2"], &["-c:a", "wmav2"], ("wmv2", "wmav2"));
}

fn has_encoders(names: &[&str]) -> bool {
    let list = stdout_of("ffmpeg", &["-hide_banner", "-encoders"]);
    names.iter().all(|n| list.lines().any(|l| l.split_whitespace().nth(1) == Some(*n)))
}

#[test]
fn remux_mpeg4_mp3_passthrough() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    if !has_encoders(&["mpeg4", "libmp3lame"]) {
        assert!(!tools_required(), "ffmpeg lacks the mpeg4 / libmp3lame encoders");
        println!("skipped: no mpeg4/libmp3lame encoder");
        return;
    }
    remux("mpeg4-mp3", &["-c:v", "mpeg4"], &["-c:a", "libmp3lame"], ("mpeg4", "mp3"));
}

#[test]
fn remux_h264_mp3_passthrough() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    if !has_encoders(&["libx264", "libmp3lame"]) {
        assert!(!tools_required(), "ffmpeg lacks the libx264 / libmp3lame encoders");
        println!("skipped: no libx264/libmp3lame encoder");
        return;
    }
    remux("h264-mp3", &["-c:v", "libx264", "-preset", "ultrafast"], &["-c:a", "libmp3lame"], ("h264", "mp3"));
}

// ---------------------------------------------------------------------------------
// 6. Structure: object counts and sizes
// ---------------------------------------------------------------------------------

/// Every test above runs `check_structure` on each file it writes. This one needs no
/// tools: it writes layouts the other tests do not (odd-length codec private data,
/// stream languages, a non-seekable sink), checks them, cross-checks the writer's own
/// summary, and shows the walker does catch a wrong count or size.
#[test]
fn header_object_count_and_sizes_exact() {
    let dir = TempDir::new("structure");

    // Passthrough streams with odd-length private data (WAVEFORMATEX cbSize 7, 5 bytes
    // after the BITMAPINFOHEADER) and languages.
    let mut wfx = MediaType::pcm(2, 44100, 16).format;
    wfx[0..2].copy_from_slice(&0x161u16.to_le_bytes());
    wfx[8..12].copy_from_slice(&16_000u32.to_le_bytes());
    wfx[12..14].copy_from_slice(&743u16.to_le_bytes());
    wfx[16..18].copy_from_slice(&7u16.to_le_bytes());
    wfx.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7]);
    let audio_mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(0x161),
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx,
        ..MediaType::default()
    };
    let mut vmt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 176, 144, 400_000);
    vmt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    vmt.format[48..52].copy_from_slice(&45u32.to_le_bytes()); // biSize = 40 + 5
    vmt.format[64..68].copy_from_slice(b"WMV2");
    vmt.format.extend_from_slice(&[9, 8, 7, 6, 5]);
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(audio_mt);
    a.bitrate = 128_000;
    a.connection_name = "Audio".into();
    a.language = "en-us".into();
    p.add_stream(a).unwrap();
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(vmt);
    v.bitrate = 300_000;
    v.connection_name = "Video".into();
    v.language = "de".into();
    p.add_stream(v).unwrap();
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_SCRIPT, 3);
    s.media_type = Some(MediaType::script());
    s.connection_name = "Script".into();
    p.add_stream(s).unwrap();
    let mut samples = Vec::new();
    for i in 0..50u64 {
        samples.push(Sample::Stream { stream: 1, time: i * 46 * MS, duration: 46 * MS, flags: SF_CLEANPOINT, data: noise(i, 743) });
        samples.push(Sample::Stream {
            stream: 2,
            time: i * 46 * MS,
            duration: 40 * MS,
            flags: if i % 12 == 0 { SF_CLEANPOINT } else { 0 },
            data: noise(100 + i, 300 + 97 * (i as usize % 13)),
        });
        if i % 20 == 5 {
            samples.push(Sample::Input { input: 2, time: i * 46 * MS, flags: 0, data: [asf::wstr("TEXT"), asf::wstr("x")].concat() });
        }
    }
    let path = dir.path("mixed.wmv");
    let summary = write_file(&path, &p, &[0, 1], &samples);
    let (bytes, l) = check_structure(&path);
    assert_eq!(summary.file_size, bytes.len() as u64);
    assert_eq!(summary.packets, l.props.data_packets);
    assert_eq!(summary.packet_size, l.props.max_packet);
    assert_eq!(summary.play_duration, l.props.play_duration);
    assert_eq!(summary.preroll_ms, l.props.preroll_ms);
    assert_eq!(summary.objects, 50 + 50 + 3);
    assert_eq!(l.props.play_duration, 3000 * MS + 49 * 46 * MS + 46 * MS, "Play Duration = preroll + end of the last object");
    assert_eq!(l.stream(1).type_specific.len(), 18 + 7);
    assert_eq!(&l.stream(1).type_specific[18..], &[1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(l.stream(2).type_specific.len(), 11 + 45);
    assert_eq!(&l.stream(2).type_specific[51..], &[9, 8, 7, 6, 5]);
    assert!(l.extension_children.iter().any(|c| c.id == asf::language_list()), "a Language List for the stream languages");
    let keys: Vec<bool> = l.objects(&bytes, 2).iter().map(|o| o.1).collect();
    assert_eq!(keys, (0..50).map(|i| i % 12 == 0).collect::<Vec<_>>(), "video key-frame bits");

    // A non-seekable sink: broadcast layout.
    let sink = wmwriter::sink::MemorySink { seekable: false, ..Default::default() };
    let mem = sink.bytes.clone();
    let mut w = wmwriter::writer::Writer::new();
    let c = av(sdk::WMMEDIASUBTYPE_YUY2, 32, 16, 25, 1, true);
    w.set_profile(&c.profile).unwrap();
    w.set_sink(Box::new(sink)).unwrap();
    w.begin_writing().unwrap();
    for smp in &c.samples {
        if let Sample::Input { input, time, flags, data } = smp {
            let b = w.allocate_sample(data.len() as u32).unwrap();
            b.copy_from(data).unwrap();
            w.write_sample(*input, *time, *flags, &b).unwrap();
        }
    }
    w.end_writing().unwrap();
    let live = mem.lock().unwrap().clone();
    let ll = asf::walk(&live);
    assert!(ll.broadcast());
    assert_eq!(ll.objects(&live, 2).len(), c.frames.len());
    assert_eq!(ll.objects(&live, 3).len(), 3);

    // The walker is not a rubber stamp: each of these corruptions must be caught.
    let fp = l.children.iter().find(|c| c.id == asf::file_properties()).unwrap().offset;
    let d = l.header_size;
    type Corrupt = Box<dyn Fn(&mut Vec<u8>)>;
    let corruptions: Vec<(&str, Corrupt)> = vec![
        ("header count + 1", Box::new(|b: &mut Vec<u8>| b[24] += 1)),
        ("header count − 1", Box::new(|b: &mut Vec<u8>| b[24] -= 1)),
        ("first child size + 1", Box::new(|b: &mut Vec<u8>| b[30 + 16] += 1)),
        ("File Size + 1", Box::new(move |b: &mut Vec<u8>| b[fp + 40] ^= 1)),
        ("Data Packets Count + 1", Box::new(move |b: &mut Vec<u8>| b[fp + 56] ^= 1)),
        ("Data Object size", Box::new(move |b: &mut Vec<u8>| b[d + 17] ^= 1)),
        ("trailing byte", Box::new(|b: &mut Vec<u8>| b.push(0))),
    ];
    for (what, corrupt) in corruptions {
        let mut b = bytes.clone();
        corrupt(&mut b);
        let r = std::panic::catch_unwind(|| asf::walk(&b));
        assert!(r.is_err(), "the walker accepted a file with a wrong {what}");
    }
}

/// Not in the original list: H.264 with B-frames, written the way a WMF application
/// does — in decode order, each sample stamped with its *presentation* time (so video
/// times go back and forth). The source is MPEG-TS (Annex B payloads, real PTS/DTS).
/// FFmpeg's ASF demuxer exports the stored time as DTS (pts N/A), so the ffmpeg CLI's
/// default frame-rate logic drops frames whose "DTS" goes backwards; with
/// `-fps_mode passthrough` every frame decodes, identical to the source.
#[test]
fn remux_h264_bframes_presentation_times() {
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    if !has_encoders(&["libx264"]) {
        assert!(!tools_required(), "ffmpeg lacks the libx264 encoder");
        println!("skipped: no libx264 encoder");
        return;
    }
    let dir = TempDir::new("bframes");
    let src = dir.path("src.ts");
    let s = src.to_str().unwrap();
    ffmpeg_clean(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25",
        "-t",
        "4",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-x264-params",
        "bframes=2:b-adapt=0:keyint=25",
        "-f",
        "mpegts",
        s,
    ]);
    let (_, pkts) = ffprobe_packets(&src, true);
    assert_eq!(pkts.len(), 100);
    // 90 kHz → 100 ns, from the first presentation time.
    let t0 = pkts.iter().map(|p| p.ts).min().unwrap();
    let times: Vec<u64> = pkts.iter().map(|p| (p.ts - t0) as u64 * 1000 / 9).collect();
    assert!(times.windows(2).any(|w| w[1] < w[0]), "the source has no reordered frames");

    let mut vih = Vec::new();
    for v in [0i32, 0, 320, 240, 0, 0, 320, 240] {
        vih.extend_from_slice(&v.to_le_bytes());
    }
    vih.extend_from_slice(&le32(400_000));
    vih.extend_from_slice(&le32(0));
    vih.extend_from_slice(&400_000i64.to_le_bytes());
    vih.extend_from_slice(&le32(40));
    vih.extend_from_slice(&320i32.to_le_bytes());
    vih.extend_from_slice(&240i32.to_le_bytes());
    vih.extend_from_slice(&le16(1));
    vih.extend_from_slice(&le16(24));
    vih.extend_from_slice(b"H264");
    vih.extend_from_slice(&[0u8; 20]);
    let mt = MediaType {
        major_type: sdk::WMMEDIATYPE_VIDEO,
        subtype: Guid::fourcc(u32::from_le_bytes(*b"H264")),
        temporal_compression: true,
        format_type: sdk::WMFORMAT_VIDEOINFO,
        format: vih,
        ..MediaType::default()
    };
    let mut p = ProfileData::new(0x0009_0000);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    v.media_type = Some(mt);
    v.bitrate = 400_000;
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    let samples: Vec<Sample> = pkts
        .iter()
        .zip(&times)
        .map(|(p, t)| Sample::Stream {
            stream: 1,
            time: *t,
            duration: 400_000,
            flags: if p.key { SF_CLEANPOINT } else { 0 },
            data: p.data.clone().unwrap(),
        })
        .collect();
    let out = dir.path("bframes.wmv");
    write_file(&out, &p, &[0], &samples);
    let (bytes, l) = check_structure(&out);
    let expect: Vec<(u64, Vec<u8>)> = times.iter().zip(&pkts).map(|(t, p)| (*t, p.data.clone().unwrap())).collect();
    check_objects(&bytes, &l, 1, &expect, false);
    assert_eq!(l.props.play_duration, 3000 * MS + times.iter().max().unwrap() + 400_000, "Play Duration ends with the latest frame");

    // ffprobe: every packet in decode order, the stored presentation time as dts.
    let (_, got) = ffprobe_packets(&out, true);
    assert_eq!(got.len(), pkts.len(), "ffprobe packet count");
    for (i, ((g, p), t)) in got.iter().zip(&pkts).zip(&times).enumerate() {
        assert_eq!(g.ts as u64, t / MS, "packet {i}: time");
        assert_eq!(g.key, p.key, "packet {i}: key flag");
        assert!(g.data == p.data, "packet {i}: bytes");
    }
    let hashes = |f: &Path| -> Vec<String> {
        // `-v error`: on our file the framemd5 muxer warns "Non-monotonous DTS" — the
        // same FFmpeg limitation (it takes the presentation times for DTS).
        let r =
            run("ffmpeg", &["-v", "error", "-nostdin", "-i", f.to_str().unwrap(), "-fps_mode", "passthrough", "-f", "framemd5", "-"]).ok();
        assert!(r.stderr.trim().is_empty(), "ffmpeg errors: {}", r.stderr);
        let o = r.stdout;
        String::from_utf8(o)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.rsplit(',').next().unwrap().trim().to_string())
            .collect()
    };
    let (a, b) = (hashes(&src), hashes(&out));
    assert_eq!(a.len(), 100, "decoded source frames");
    assert_eq!(a, b, "decoded frames (in output order) differ from the source");
    let g = gst_demux(&out, &dir, &["video_0"], &[]);
    assert!(g[0].len() >= pkts.iter().map(|p| p.size).sum::<usize>(), "GStreamer's video output is short");
}
