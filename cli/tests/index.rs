//! `wmwrite index FILE` end to end: a file made by `ffmpeg -f asf` (WMV2, 25 fps, key
//! frame every 25) with its index stripped gets a Simple Index; ffprobe reads every
//! packet, ffmpeg reads the index and `ffmpeg -ss 2` decodes exactly the source's frame
//! 50. Exit codes as `--help` says: 0, 1 (file left byte-identical), 2 usage.

mod common;
use common::Scratch;

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

fn have_tools(test: &str) -> bool {
    let ok = ["ffmpeg", "ffprobe"]
        .iter()
        .all(|t| Command::new(t).arg("-version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success()));
    if !ok {
        if std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("{test}: ffmpeg/ffprobe are required (WMWRITER_REQUIRE_TOOLS=1) but cannot be run");
        }
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("{test}: SKIPPED: ffmpeg/ffprobe not found\n").as_bytes());
    }
    ok
}

fn wmwrite(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("WMWRITE_NO_PROGRESS", "1").stdin(Stdio::null()).output().expect("run wmwrite")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Run a tool quietly; stdout. Panics on failure or on anything printed to stderr.
fn tool(cmd: &str, args: &[&str]) -> Vec<u8> {
    let mut a = vec!["-hide_banner", "-nostdin", "-v", "warning"];
    if cmd == "ffprobe" {
        a = vec!["-v", "error"];
    }
    a.extend_from_slice(args);
    let out = Command::new(cmd).args(&a).output().expect(cmd);
    assert!(out.status.success(), "{cmd} {a:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{cmd} {a:?} printed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn frame(args: &[&str]) -> Vec<u8> {
    let mut a: Vec<&str> = args.to_vec();
    a.extend_from_slice(&["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
    tool("ffmpeg", &a)
}

#[test]
fn index_an_ffmpeg_file_then_ffmpeg_seeks_to_frame_50() {
    if !have_tools("index") {
        return;
    }
    let dir = Scratch::new("index");
    let src = dir.path("src.asf");
    tool("ffmpeg", &["-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=6", "-c:v", "wmv2", "-g", "25", "-f", "asf", "-y", s(&src)]);
    let b = std::fs::read(&src).unwrap();
    let r = wmwriter::reader::read(&b).unwrap();
    assert_eq!(r.simple_indexes.len(), 1, "ffmpeg wrote an index");
    let d = r.data.as_ref().unwrap();
    let f = dir.path("stripped.asf");
    std::fs::write(&f, &b[..(d.offset + d.size) as usize]).unwrap();
    assert!(wmwriter::reader::read(&std::fs::read(&f).unwrap()).unwrap().index_objects.is_empty());

    let out = wmwrite(&["index", s(&f)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("150 packets") || text.contains("packets"), "{text}");
    assert!(text.contains("Simple Index for stream 1") && text.contains("seekable"), "{text}");
    assert!(out.stderr.is_empty(), "no progress line when stderr is not a terminal: {}", String::from_utf8_lossy(&out.stderr));
    let after = std::fs::read(&f).unwrap();
    let r2 = wmwriter::reader::read(&after).unwrap();
    assert_eq!(r2.simple_indexes.len(), 1);
    assert_eq!(r2.props.as_ref().unwrap().file_size, after.len() as u64);
    assert_eq!(r2.props.as_ref().unwrap().flags & 2, 2);
    // ffprobe: every packet.
    let pk = tool("ffprobe", &["-select_streams", "v", "-show_entries", "packet=flags", "-of", "csv=p=0", s(&f)]);
    let lines: Vec<&str> = std::str::from_utf8(&pk).unwrap().lines().collect();
    assert_eq!(lines.len(), 150);
    assert_eq!(lines.iter().filter(|l| l.starts_with('K')).count(), 6);
    tool("ffmpeg", &["-i", s(&f), "-f", "null", "-"]);
    // ffmpeg -ss 2 lands on frame 50.
    let want = frame(&["-i", s(&src), "-vf", "select=eq(n\\,50)"]);
    assert!(want != frame(&["-i", s(&src), "-vf", "select=eq(n\\,49)"]));
    assert!(frame(&["-ss", "2", "-i", s(&f)]) == want, "ffmpeg -ss 2 lands on frame 50");
    // --frames 10: a Media Object Index as well (the header grows); ffmpeg still seeks.
    let fr = dir.path("frames.asf");
    std::fs::copy(&f, &fr).unwrap();
    let out = wmwrite(&["index", s(&fr), "--frames", "10"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r3 = wmwriter::reader::read(&std::fs::read(&fr).unwrap()).unwrap();
    assert_eq!(r3.media_object_indexes.len(), 1);
    assert_eq!(r3.media_object_indexes[0].blocks[0].1.len(), 15, "150 frames, every 10th");
    assert_eq!(r3.media_object_index_parameters.len(), 1);
    assert!(frame(&["-ss", "2", "-i", s(&fr)]) == want);
    // --timecode on a file without time codes: exit 1, the file as it was.
    let before = std::fs::read(&fr).unwrap();
    let out = wmwrite(&["index", s(&fr), "--timecode"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NS_E_INVALID_REQUEST"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&fr).unwrap(), before);
    assert_eq!(wmwrite(&["index", s(&fr), "--timecode", "--frames", "5"]).status.code(), Some(2), "one or the other");
    // Again: the index is replaced, the same bytes.
    let again = wmwrite(&["index", s(&f)]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stdout).contains("replaced 1 old index"));
    assert_eq!(std::fs::read(&f).unwrap(), after);
}

#[test]
fn index_exit_codes_and_untouched_files() {
    let dir = Scratch::new("index-errors");
    let missing = dir.path("missing.wmv");
    let out = wmwrite(&["index", s(&missing)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("NS_E_FILE_NOT_FOUND") && err.starts_with("wmwrite: error: "), "{err}");
    assert!(!missing.exists(), "never created");
    let junk = dir.path("junk.wmv");
    std::fs::write(&junk, b"this is not an ASF file, the indexer must leave it alone").unwrap();
    let out = wmwrite(&["index", s(&junk)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NS_E_INVALID_DATA"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&junk).unwrap(), b"this is not an ASF file, the indexer must leave it alone");
    assert_eq!(wmwrite(&["index"]).status.code(), Some(2), "usage error");
    let help = wmwrite(&["index", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("130 interrupted"));
}
