//! `wmwrite` never destroys a user's file, never panics on a closed pipe, says what it
//! wrote when the input is short or the streams differ in length, keeps the container
//! overhead of PCM small, and explains its usage errors (issue 11).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("wmwrite-safety-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
    /// Every name in the directory, sorted.
    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(&self.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn wmwrite(args: &[&str]) -> Output {
    Command::new(BIN).args(args).env("WMWRITE_NO_PROGRESS", "1").stdin(Stdio::null()).output().expect("run wmwrite")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A plain PCM WAV of `frames` frames; `claim` overrides the data chunk's size field.
fn wav(channels: u16, rate: u32, bits: u16, frames: usize, claim: Option<u32>) -> Vec<u8> {
    let align = channels * bits / 8;
    let data: Vec<u8> = (0..frames * align as usize).map(|i| (i * 7 + i / 251) as u8).collect();
    let mut fmt = Vec::new();
    for v in [1u16, channels] {
        fmt.extend_from_slice(&v.to_le_bytes());
    }
    fmt.extend_from_slice(&rate.to_le_bytes());
    fmt.extend_from_slice(&(rate * align as u32).to_le_bytes());
    fmt.extend_from_slice(&align.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    let mut w = b"RIFF".to_vec();
    w.extend_from_slice(&(4 + 8 + 16 + 8 + claim.unwrap_or(data.len() as u32)).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&fmt);
    w.extend_from_slice(b"data");
    w.extend_from_slice(&claim.unwrap_or(data.len() as u32).to_le_bytes());
    w.extend_from_slice(&data);
    w
}

/// A 4:2:0 YUV4MPEG2 file of `frames` frames of `w`x`h` at `fps`.
fn y4m(w: usize, h: usize, fps: u32, frames: usize) -> Vec<u8> {
    let mut v = format!("YUV4MPEG2 W{w} H{h} F{fps}:1 C420jpeg\n").into_bytes();
    for i in 0..frames {
        v.extend_from_slice(b"FRAME\n");
        v.extend((0..w * h * 3 / 2).map(|k| (k + i) as u8));
    }
    v
}

fn snapshot(p: &Path) -> (Vec<u8>, SystemTime) {
    (std::fs::read(p).unwrap(), std::fs::metadata(p).unwrap().modified().unwrap())
}

/// Every subcommand that writes a file, run with its output = one of its inputs (same
/// path, hard link, symbolic link, either direction): exit 1, a message that says why,
/// the input untouched (bytes and mtime), no file created.
#[test]
fn output_over_an_input_is_refused() {
    let dir = Scratch::new("same");
    let w = dir.path("in.wav");
    std::fs::write(&w, wav(2, 8000, 16, 8000, None)).unwrap();
    let v = dir.path("in.y4m");
    std::fs::write(&v, y4m(16, 16, 10, 10)).unwrap();
    std::os::unix::fs::symlink("in.wav", dir.path("wav-link")).unwrap();
    std::fs::hard_link(&w, dir.path("wav-hard")).unwrap();
    std::os::unix::fs::symlink("in.y4m", dir.path("y4m-link")).unwrap();
    std::fs::hard_link(&v, dir.path("y4m-hard")).unwrap();
    let before = dir.names();
    let (wav_snap, y4m_snap) = (snapshot(&w), snapshot(&v));
    let p = |n: &str| dir.path(n).to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["wav".into(), p("in.wav"), p("in.wav")], "the same file"),
        (vec!["wav".into(), p("in.wav"), dir.0.join(".").join("in.wav").to_str().unwrap().into()], "the same file"),
        (vec!["wav".into(), p("in.wav"), p("wav-hard")], "a hard link"),
        (vec!["wav".into(), p("wav-hard"), p("in.wav")], "a hard link"),
        (vec!["wav".into(), p("in.wav"), p("wav-link")], "a symbolic link"),
        (vec!["wav".into(), p("wav-link"), p("in.wav")], "a symbolic link"),
        (vec!["y4m".into(), p("in.y4m"), p("in.y4m")], "the same file"),
        (vec!["y4m".into(), p("in.y4m"), p("y4m-hard")], "a hard link"),
        (vec!["y4m".into(), p("in.y4m"), p("y4m-link")], "a symbolic link"),
        (vec!["y4m".into(), p("in.y4m"), "--audio".into(), p("in.wav"), p("in.wav")], "the same file"),
        (vec!["y4m".into(), p("in.y4m"), "--audio".into(), p("in.wav"), p("wav-hard")], "a hard link"),
        (vec!["y4m".into(), p("in.y4m"), "--audio".into(), p("wav-link"), p("in.wav")], "a symbolic link"),
    ];
    for (args, how) in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = wmwrite(&a);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{a:?}: {err}");
        assert!(err.contains("is the input") && err.contains(how) && err.contains("nothing was written"), "{a:?}: {err}");
        assert_eq!(snapshot(&w), wav_snap, "{a:?} changed the WAV");
        assert_eq!(snapshot(&v), y4m_snap, "{a:?} changed the Y4M");
        assert_eq!(dir.names(), before, "{a:?} left a file behind");
    }
    // demo and prx read no file; an output that is a directory is refused with a sentence.
    for args in [&["demo", s(&dir.0)][..], &["prx", s(&dir.0), "--audio", "8000:1:16"]] {
        let o = wmwrite(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains("is a directory"), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(dir.names(), before);
}

/// A successful run replaces the target by rename (a symbolic link as the output keeps
/// pointing at the new file); a failing run leaves the previous output as it was.
#[test]
fn outputs_are_replaced_only_when_complete() {
    let dir = Scratch::new("replace");
    let w = dir.path("in.wav");
    std::fs::write(&w, wav(1, 8000, 16, 4000, None)).unwrap();
    let out = dir.path("out.wma");
    std::fs::write(&out, b"previous output").unwrap();
    // A failing run (a cut-short Y4M frame): the old file stays.
    let bad = dir.path("bad.y4m");
    let mut b = y4m(16, 16, 10, 2);
    b.truncate(b.len() - 5);
    std::fs::write(&bad, b).unwrap();
    let o = wmwrite(&["y4m", s(&bad), s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("frame 1 is cut short") && stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&out).unwrap(), b"previous output");
    assert_eq!(dir.names(), ["bad.y4m", "in.wav", "out.wma"]);
    // Success through a symbolic link: the link stays a link to the new file.
    std::os::unix::fs::symlink("out.wma", dir.path("link.wma")).unwrap();
    let o = wmwrite(&["wav", s(&w), s(&dir.path("link.wma"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(dir.path("link.wma")).unwrap().file_type().is_symlink());
    assert_eq!(&std::fs::read(&out).unwrap()[..4], &[0x30, 0x26, 0xB2, 0x75]);
    assert_eq!(dir.names(), ["bad.y4m", "in.wav", "link.wma", "out.wma"]);
    // prx too.
    let prx = dir.path("p.prx");
    std::fs::write(&prx, b"old").unwrap();
    assert!(wmwrite(&["prx", s(&prx), "--audio", "8000:1:16"]).status.success());
    assert!(std::fs::read_to_string(&prx).unwrap().starts_with("<profile"));
}

/// Start `wmwrite y4m FIFO out.wmv` on a FIFO that never ends, wait until it writes,
/// then signal it. Returns (status, names in the directory afterwards).
fn interrupted_run(signal: &str) -> (Option<i32>, Vec<String>, Vec<u8>) {
    let dir = Scratch::new(&format!("kill{signal}"));
    let fifo = dir.path("in.y4m");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = dir.path("out.wmv");
    std::fs::write(&out, b"previous output").unwrap();
    let child = Command::new(BIN)
        .args(["y4m", s(&fifo), s(&out)])
        .env("WMWRITE_NO_PROGRESS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut feed = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let frame = y4m(64, 64, 25, 1);
    let header_len = frame.iter().position(|&b| b == b'\n').unwrap() + 1;
    use std::io::Write;
    feed.write_all(&frame).unwrap();
    // Feed frames until a partial file exists and holds data.
    let start = Instant::now();
    loop {
        for _ in 0..50 {
            feed.write_all(&frame[header_len..]).unwrap();
        }
        let partial = dir.names().into_iter().find(|n| n.contains("wmwrite-partial"));
        if let Some(p) = partial {
            if std::fs::metadata(dir.path(&p)).map(|m| m.len()).unwrap_or(0) > 0 {
                break;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no partial output appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap().success());
    // The FIFO stays open (the run cannot end by itself) until the signal has ended it.
    let o = child.wait_with_output().unwrap();
    drop(feed);
    use std::os::unix::process::ExitStatusExt;
    let code = o.status.code().or(o.status.signal().map(|s| 128 + s));
    let names = dir.names();
    (code, names, std::fs::read(&out).unwrap())
}

#[test]
fn an_interrupted_run_leaves_no_partial_output() {
    for sig in ["-INT", "-TERM"] {
        let (code, names, out) = interrupted_run(sig);
        assert_eq!(code, Some(130), "{sig}");
        assert_eq!(names, ["in.y4m", "out.wmv"], "{sig}: the temporary file must be removed");
        assert_eq!(out, b"previous output", "{sig}: the previous output must stay");
    }
    // SIGKILL cannot be handled: the previous output stays and only a file with a
    // temporary name remains.
    let (code, names, out) = interrupted_run("-KILL");
    assert_eq!(code, Some(128 + 9));
    assert_eq!(out, b"previous output");
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].starts_with(".out.wmv.wmwrite-partial-"), "{names:?}");
}

/// Run as `(sleep 0.3; wmwrite ARGS) | true`: the pipe's reader has gone before wmwrite
/// writes, so every write to stdout fails with EPIPE. Returns (wmwrite's exit status,
/// its stderr).
fn closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new("sh")
        .arg("-c")
        .arg("(sleep 0.3; \"$0\" \"$@\"; echo \"status=$?\" >&2) | true")
        .arg(BIN)
        .args(args)
        .env("WMWRITE_NO_PROGRESS", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let (rest, status) = err.trim_end().rsplit_once("status=").unwrap_or((&err, ""));
    (status.parse().ok(), rest.to_string())
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = Scratch::new("epipe");
    let w = dir.path("in.wav");
    std::fs::write(&w, wav(2, 8000, 16, 8000, None)).unwrap();
    let v = dir.path("in.y4m");
    std::fs::write(&v, y4m(16, 16, 10, 10)).unwrap();
    let asf = dir.path("a.wma");
    assert!(wmwrite(&["demo", s(&asf), "--duration", "0.5"]).status.success());
    let o = |n: &str| dir.path(n).to_str().unwrap().to_string();
    let runs: Vec<Vec<String>> = vec![
        vec!["info".into(), o("a.wma")],
        vec!["info".into(), o("a.wma"), "--json".into()],
        vec!["prx".into(), "-".into(), "--audio".into(), "44100:2:16".into()],
        vec!["prx".into(), o("p.prx"), "--audio".into(), "44100:2:16".into()],
        vec!["demo".into(), o("d.wmv"), "--duration".into(), "0.3".into()],
        vec!["wav".into(), o("in.wav"), o("w.wma")],
        vec!["y4m".into(), o("in.y4m"), o("v.wmv")],
        vec!["--help".into()],
        vec!["info".into(), "--help".into()],
        vec!["--version".into()],
        vec!["profiles".into()],
        vec!["profiles".into(), "--json".into()],
        vec!["profiles".into(), "--codecs".into()],
        vec!["profiles".into(), "--prx".into(), "V80_256Video".into()],
        vec!["repair".into(), o("a.wma"), o("r.wma")],
        vec!["serve".into(), "--seconds".into(), "0.3".into()],
    ];
    for args in runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (status, err) = closed_stdout(&a);
        assert_eq!(status, Some(0), "{a:?}: {err}");
        assert!(err.is_empty(), "{a:?} printed: {err}");
    }
    // The files were still written in full.
    assert!(std::fs::read_to_string(dir.path("p.prx")).unwrap().trim_end().ends_with("</profile>"));
    for f in ["d.wmv", "w.wma", "v.wmv"] {
        assert!(wmwrite(&["info", &o(f)]).status.success(), "{f}");
    }
    // `| head -c1` as a shell runs it.
    let sh = Command::new("sh").arg("-c").arg(format!("'{BIN}' info --json '{}' | head -c1; echo \" $?\"", s(&asf))).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&sh.stdout), "{ 0\n");
    assert!(sh.stderr.is_empty(), "{}", String::from_utf8_lossy(&sh.stderr));
}

fn info_field(file: &Path, key: &str) -> serde_json::Value {
    let o = wmwrite(&["info", s(file), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v[key].clone()
}

#[test]
fn short_inputs_warn_or_fail_with_strict() {
    let dir = Scratch::new("short");
    // A WAV cut to 1000 bytes whose header claims 441,000 bytes of data.
    let mut full = wav(1, 44_100, 16, 220_500, None);
    full.truncate(1000);
    let cut = dir.path("cut.wav");
    std::fs::write(&cut, &full).unwrap();
    let out = dir.path("cut.wma");
    let o = wmwrite(&["wav", s(&cut), s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("wmwrite: warning: "), "{err}");
    assert!(err.contains("says 441000 bytes (5.000 s)") && err.contains("only 956 bytes") && err.contains("writing the 0.011 s"), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("0.011 s"), "the summary says what was written");
    assert!((info_field(&out, "duration").as_f64().unwrap() - 478.0 / 44_100.0).abs() < 0.001);
    let strict = dir.path("strict.wma");
    let o = wmwrite(&["wav", "--strict", s(&cut), s(&strict)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cut short (--strict); nothing was written (NS_E_INVALID_DATA)"), "{}", stderr(&o));
    assert!(!strict.exists());

    // y4m with 6 s of audio beside 1 s of video.
    let v = dir.path("v.y4m");
    std::fs::write(&v, y4m(16, 16, 10, 10)).unwrap();
    let a = dir.path("a.wav");
    std::fs::write(&a, wav(1, 8000, 16, 48_000, None)).unwrap();
    let out = dir.path("av.wmv");
    let o = wmwrite(&["y4m", s(&v), "--audio", s(&a), s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the audio lasts 6.000 s but the video 1.000 s")
            && err.contains("the file plays 6.000 s and the video ends at 1.000 s"),
        "{err}"
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("16-bit, 6.000 s") && text.contains("fps (Y4M C420jpeg), 1.000 s"), "{text}");
    assert!((info_field(&out, "duration").as_f64().unwrap() - 6.0).abs() < 0.01);
    let o = wmwrite(&["y4m", "--strict", s(&v), "--audio", s(&a), s(&dir.path("strict.wmv"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("the audio lasts 6.000 s but the video 1.000 s (--strict)"), "{}", stderr(&o));
    assert!(!dir.path("strict.wmv").exists());
    // Lengths within a frame: no warning.
    let a1 = dir.path("a1.wav");
    std::fs::write(&a1, wav(1, 8000, 16, 8000, None)).unwrap();
    let o = wmwrite(&["y4m", "--strict", s(&v), "--audio", s(&a1), s(&dir.path("ok.wmv"))]);
    assert!(o.status.success() && stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn usage_messages_say_what_is_wrong() {
    let dir = Scratch::new("msgs");
    let w = dir.path("t.wav");
    std::fs::write(&w, wav(1, 8000, 16, 800, None)).unwrap();
    let o = wmwrite(&["y4m", s(&w), s(&dir.path("o.wmv"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a YUV4MPEG2 file") && stderr(&o).contains("--audio"), "{}", stderr(&o));
    let o = wmwrite(&["info", s(&dir.0)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a directory, not an ASF file"), "{}", stderr(&o));
    for d in ["0", "-1", "0.0"] {
        let o = wmwrite(&["demo", s(&dir.path("d.wmv")), "--duration", d]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("the duration must be more than 0 seconds"), "{d}: {}", stderr(&o));
    }
    let o = wmwrite(&["demo", s(&dir.path("d.wmv")), "--duration", "90000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("more than the 86400 s (24 hours)"), "{}", stderr(&o));
    assert_eq!(dir.names(), ["t.wav"]);
}

/// Container overhead of `wmwrite wav` for every PCM layout: (file size - PCM bytes) /
/// PCM bytes <= 2 % for files of at least 120 packets (the header and the padded last
/// packet are fixed costs), and for the case (5 s of 44.1 kHz mono 16-bit,
/// 441,000 bytes: 512,615 bytes before).
#[test]
fn pcm_overhead_is_at_most_two_percent() {
    let dir = Scratch::new("overhead");
    let mut worst = (0.0f64, String::new());
    for ch in [1u16, 2, 6] {
        for bits in [8u16, 16, 24] {
            for rate in [8000u32, 11_025, 22_050, 44_100, 48_000, 96_000] {
                let align = (ch * bits / 8) as usize;
                // 6 s, but at least 120 packets (4000..16384 bytes each) and at most 2 MB.
                let frames = (rate as usize * align * 6).clamp(480_000, 2_000_000) / align;
                let input = dir.path("in.wav");
                std::fs::write(&input, wav(ch, rate, bits, frames, None)).unwrap();
                let out = dir.path("out.wma");
                let o = wmwrite(&["wav", s(&input), s(&out)]);
                assert!(o.status.success(), "{}", stderr(&o));
                let size = std::fs::metadata(&out).unwrap().len() as f64;
                let pcm = (frames * align) as f64;
                let overhead = size / pcm - 1.0;
                let what = format!("{ch} ch {bits}-bit {rate} Hz: {size} bytes for {pcm} of PCM = {:.2} %", overhead * 100.0);
                if overhead > worst.0 {
                    worst = (overhead, what.clone());
                }
                assert!(overhead <= 0.02, "{what}");
            }
        }
    }
    eprintln!("worst: {}", worst.1);
    let input = dir.path("issue.wav");
    std::fs::write(&input, wav(1, 44_100, 16, 220_500, None)).unwrap();
    let out = dir.path("issue.wma");
    assert!(wmwrite(&["wav", s(&input), s(&out)]).status.success());
    let size = std::fs::metadata(&out).unwrap().len();
    assert!(size as f64 <= 441_000.0 * 1.02, "{size} bytes for 441,000 bytes of PCM");
}

/// `wmwrite repair IN OUT`: a cut file becomes a valid one with every whole packet;
/// IN is never written, and OUT may not be IN by any name (device + inode compared).
#[test]
fn repair_writes_a_new_file_and_never_its_input() {
    let d = Scratch::new("repair");
    let good = d.path("good.wma");
    let o = wmwrite(&["demo", s(&good), "--duration", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let full = std::fs::read(&good).unwrap();
    let cut = d.path("cut.wma");
    std::fs::write(&cut, &full[..full.len() * 2 / 3 + 7]).unwrap();
    let before = snapshot(&cut);
    let fixed = d.path("fixed.wma");
    let o = wmwrite(&["repair", s(&cut), s(&fixed), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let (packets, ps) = (r["packets"].as_u64().unwrap(), r["packet_size"].as_u64().unwrap());
    assert!(packets > 0);
    assert_eq!(snapshot(&cut), before, "the input is untouched");
    let out = std::fs::read(&fixed).unwrap();
    assert_eq!(out.len() as u64, r["output_bytes"].as_u64().unwrap());
    assert_eq!(info_field(&fixed, "packets"), serde_json::json!(packets), "wmwrite info reads the header's count");
    assert!(r["dropped_bytes"].as_u64().unwrap() < ps);
    // OUT = IN, through a hard link and through the same name: refused, nothing written.
    let link = d.path("link.wma");
    std::fs::hard_link(&cut, &link).unwrap();
    let symlink = d.path("symlink.wma");
    std::os::unix::fs::symlink("cut.wma", &symlink).unwrap();
    for target in [&cut, &link, &symlink] {
        let o = wmwrite(&["repair", s(&cut), s(target)]);
        assert!(!o.status.success(), "repair onto its own input succeeded");
        assert!(stderr(&o).contains("is the input"), "{}", stderr(&o));
        assert_eq!(snapshot(&cut), before);
    }
    // Not ASF: a clear failure, no output.
    let junk = d.path("junk.bin");
    std::fs::write(&junk, vec![7u8; 5000]).unwrap();
    let o = wmwrite(&["repair", s(&junk), s(&d.path("nothing.wma"))]);
    assert!(!o.status.success());
    assert!(!d.path("nothing.wma").exists());
}
