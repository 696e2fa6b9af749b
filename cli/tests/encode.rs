//! `wmwrite wav IN OUT --codec …`: the CLI encodes through the writer's codec layer.
//! WMA Lossless decodes (ffmpeg) to exactly the WAV's samples; WMA v2 at 128 kbit/s is
//! wmav2 at 128k ± 10 % and decodes with no message.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

fn tools() -> bool {
    let ok = Command::new("ffmpeg").arg("-version").output().is_ok() && Command::new("ffprobe").arg("-version").output().is_ok();
    assert!(ok || std::env::var("WMWRITER_REQUIRE_TOOLS").as_deref() != Ok("1"), "ffmpeg missing (WMWRITER_REQUIRE_TOOLS=1)");
    ok
}

fn wav(path: &PathBuf, pcm: &[u8]) {
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + pcm.len() as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    for v in [1u16, 2] {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&44100u32.to_le_bytes());
    h.extend_from_slice(&(44100u32 * 4).to_le_bytes());
    h.extend_from_slice(&4u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(pcm.len() as u32).to_le_bytes());
    h.extend_from_slice(pcm);
    std::fs::write(path, h).unwrap();
}

#[test]
fn wav_encodes_to_wma_lossless_bit_exact_and_to_wmav2() {
    if !tools() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("wmwrite-encode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.wav");
    let mut pcm = Vec::new();
    for n in 0..441_000u32 {
        let t = n as f64 / 44100.0;
        pcm.extend_from_slice(&((8000.0 * (std::f64::consts::TAU * 440.0 * t).sin()) as i16).to_le_bytes());
        pcm.extend_from_slice(&((6000.0 * (std::f64::consts::TAU * 660.0 * t).sin()) as i16).to_le_bytes());
    }
    wav(&input, &pcm);

    let lossless = dir.join("l.wma");
    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(&lossless).args(["--codec", "wmalossless"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dec = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-i"]).arg(&lossless).args(["-f", "s16le", "-"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&dec.stderr), "");
    assert!(dec.stdout == pcm, "WMA Lossless from the CLI does not decode to the WAV's samples");
    assert!(std::fs::metadata(&lossless).unwrap().len() < pcm.len() as u64);

    let lossy = dir.join("v2.wma");
    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(&lossy).args(["--codec", "wmav2", "--bitrate", "128k"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let probe = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "stream=codec_name,bit_rate", "-of", "csv=p=0"])
        .arg(&lossy)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    let (codec, rate) = text.split_once(',').unwrap();
    assert_eq!(codec, "wmav2");
    let rate: f64 = rate.parse().unwrap();
    assert!((rate - 128_000.0).abs() <= 12_800.0, "bit rate {rate}");
    let dec = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-i"]).arg(&lossy).args(["-f", "null", "-"]).output().unwrap();
    assert!(dec.status.success());
    assert_eq!(String::from_utf8_lossy(&dec.stderr), "");

    let o = Command::new(BIN).args(["wav"]).arg(&input).arg(dir.join("x.wma")).args(["--codec", "opus"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "an unknown codec is a usage error");
    assert!(String::from_utf8_lossy(&o.stderr).contains("wmalossless"), "the error lists the codecs");
    std::fs::remove_dir_all(dir).ok();
}

fn ffmpeg_make(args: &[&str], out: &PathBuf) {
    let o = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-y"]).args(args).arg(out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn probe(file: &PathBuf, args: &[&str]) -> String {
    let o = Command::new("ffprobe").args(["-v", "error"]).args(args).args(["-of", "csv=p=0"]).arg(file).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// ffmpeg's messages (at `level`) decoding all of `file`.
fn decode_messages(file: &PathBuf, level: &str) -> String {
    let o = Command::new("ffmpeg").args(["-nostdin", "-v", level, "-i"]).arg(file).args(["-f", "null", "-"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Bytes of stream `sel` (v / a) per ffprobe's packets.
fn stream_bytes(file: &PathBuf, sel: &str) -> u64 {
    probe(file, &["-select_streams", sel, "-show_entries", "packet=size"]).lines().map(|l| l.trim().parse::<u64>().unwrap()).sum()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wmwrite-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn y4m_encodes_to_wmv2_at_the_bit_rate_with_every_frame() {
    if !tools() {
        return;
    }
    let dir = scratch("y4m-wmv2");
    let input = dir.join("in.y4m");
    ffmpeg_make(&["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "10", "-pix_fmt", "yuv420p"], &input);
    let out = dir.join("out.wmv");
    let o = Command::new(BIN).arg("y4m").arg(&input).arg(&out).args(["--codec", "wmv2", "--bitrate", "500k"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("encoded as wmv2 (500 kbit/s)"));
    assert_eq!(probe(&out, &["-show_entries", "stream=codec_name,width,height"]), "wmv2,320,240");
    let frames: u64 = probe(&out, &["-count_frames", "-show_entries", "stream=nb_read_frames"]).parse().unwrap();
    assert_eq!(frames, 250, "every input frame is in the file");
    let rate = stream_bytes(&out, "v") as f64 * 8.0 / 10.0;
    assert!((rate - 500_000.0).abs() <= 75_000.0, "video data rate {rate} bit/s, asked for 500k");
    assert_eq!(decode_messages(&out, "warning"), "", "ffmpeg decodes the WMV2 stream without a message");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn y4m_with_a_system_profile_and_audio_is_wmv2_and_wmav2() {
    if !tools() {
        return;
    }
    let dir = scratch("y4m-profile");
    let video = dir.join("in.y4m");
    // Another size, rate and sample rate than the profile's: scaled, resampled, remixed.
    ffmpeg_make(&["-f", "lavfi", "-i", "testsrc2=size=176x144:rate=25", "-t", "4", "-pix_fmt", "yuv420p"], &video);
    let audio = dir.join("in.wav");
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=f=440:r=48000", "-ac", "1", "-t", "4"], &audio);
    let out = dir.join("out.wmv");
    let o =
        Command::new(BIN).arg("y4m").arg(&video).arg("--audio").arg(&audio).arg(&out).args(["--profile", "V80_256Video"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let streams = probe(&out, &["-show_entries", "stream=codec_name,width,height,sample_rate,channels,bit_rate"]);
    let lines: Vec<&str> = streams.lines().collect();
    assert_eq!(lines.len(), 2, "{streams}");
    assert!(lines[0].starts_with("wmav2,44100,2,") && lines[0].ends_with(",32000"), "{}", lines[0]);
    assert!(lines[1].starts_with("wmv2,320,240,") && lines[1].ends_with(",224000"), "{}", lines[1]);
    let frames: u64 = probe(&out, &["-select_streams", "v", "-count_frames", "-show_entries", "stream=nb_read_frames"]).parse().unwrap();
    assert_eq!(frames, 100);
    // ffmpeg guesses the stereo layout of any plain WAVEFORMATEX; nothing else is said.
    let msgs = decode_messages(&out, "warning");
    assert!(msgs.lines().all(|l| l.starts_with("Guessed Channel Layout")), "{msgs}");

    // wav --profile: an audio-only system profile.
    let wma = dir.join("out.wma");
    let o = Command::new(BIN).arg("wav").arg(&audio).arg(&wma).args(["--profile", "V80_128StereoAudio"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(probe(&wma, &["-show_entries", "stream=codec_name,sample_rate,channels,bit_rate"]), "wmav2,44100,2,128000");
    assert_eq!(decode_messages(&wma, "error"), "");

    // --audio-codec beside --codec.
    let mixed = dir.join("mixed.wmv");
    let o = Command::new(BIN)
        .arg("y4m")
        .arg(&video)
        .arg("--audio")
        .arg(&audio)
        .arg(&mixed)
        .args(["--codec", "msmpeg4v3", "--bitrate", "300k", "--audio-codec", "wmav2", "--audio-bitrate", "64k"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(probe(&mixed, &["-show_entries", "stream=codec_name,bit_rate"]), "wmav2,64000\nmsmpeg4v3,300000");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn missing_codecs_and_unfit_profiles_fail_leaving_every_file_as_it_was() {
    if !tools() {
        return;
    }
    let dir = scratch("y4m-errors");
    let video = dir.join("in.y4m");
    ffmpeg_make(&["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "1", "-pix_fmt", "yuv420p"], &video);
    let audio = dir.join("in.wav");
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=f=440:r=44100", "-ac", "2", "-t", "1"], &audio);
    let out = dir.join("out.wmv");
    std::fs::write(&out, b"the previous file").unwrap();
    let before = |p: &PathBuf| (std::fs::read(p).unwrap(), std::fs::metadata(p).unwrap().modified().unwrap());
    let (v0, a0, o0) = (before(&video), before(&audio), before(&out));
    let run = |args: &[&str], env: Option<&str>| {
        let mut c = Command::new(BIN);
        c.args(args);
        if let Some(v) = env {
            c.env("WMWRITER_LIBAVCODEC", v);
        }
        let o = c.output().unwrap();
        (o.status.code(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (v, a, o) = (video.to_str().unwrap(), audio.to_str().unwrap(), out.to_str().unwrap());

    let (code, err) = run(&["y4m", v, o, "--codec", "wmv2", "--bitrate", "500k"], Some("/nonexistent"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("wmwrite: error: stream 1 "), "{err}");
    assert!(err.contains("Windows Media Video 8") && err.contains("/nonexistent"), "{err}");
    assert!(err.trim_end().ends_with("(NS_E_VIDEO_CODEC_NOT_INSTALLED)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let (code, err) = run(&["y4m", v, "--audio", a, o, "--profile", "V80_256Video"], Some("/nonexistent"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.trim_end().ends_with("(NS_E_VIDEO_CODEC_NOT_INSTALLED)"), "{err}");

    let (code, err) = run(&["y4m", v, o, "--profile", "V80_256Video"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("has an audio stream (#1) but no audio input") && err.contains("--audio"), "{err}");
    assert!(err.trim_end().ends_with("(NS_E_INVALIDPROFILE)"), "{err}");

    let (code, err) = run(&["y4m", v, "--audio", a, o, "--profile", "V80_288VideoOnly"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("has no audio stream for") && err.trim_end().ends_with("(NS_E_INVALIDPROFILE)"), "{err}");

    let (code, err) = run(&["wav", a, o, "--profile", "V80_256Video"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("has a video stream (#2) but no video input") && err.contains("wmwrite y4m"), "{err}");
    assert!(err.trim_end().ends_with("(NS_E_INVALIDPROFILE)"), "{err}");

    let (code, err) = run(&["y4m", v, o, "--profile", "NoSuchProfile"], None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not a system profile") && err.trim_end().ends_with("(E_INVALIDARG)"), "{err}");

    // Usage errors (2): a profile fixes the codecs; an audio codec needs --audio.
    assert_eq!(run(&["y4m", v, o, "--profile", "V80_256Video", "--codec", "wmv2"], None).0, Some(2));
    assert_eq!(run(&["wav", a, o, "--profile", "V80_128StereoAudio", "--bitrate", "64k"], None).0, Some(2));
    assert_eq!(run(&["y4m", v, o, "--audio-codec", "wmav2"], None).0, Some(2));
    assert_eq!(run(&["y4m", v, o, "--codec", "wmv3"], None).0, Some(2));

    assert!(before(&video) == v0 && before(&audio) == a0, "the inputs are untouched");
    assert!(before(&out) == o0, "the previous output is untouched");
    let left: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().contains("partial")).collect();
    assert!(left.is_empty(), "partial files left: {left:?}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_24_bit_wav_is_encoded_from_its_samples() {
    if !tools() {
        return;
    }
    // The writer's WMA input is 16-bit PCM: a 24-bit WAV is converted first (it used to
    // be fed as 16-bit frames: 1.5 times too long, and noise).
    let dir = scratch("wav24");
    let input = dir.join("in24.wav");
    ffmpeg_make(&["-f", "lavfi", "-i", "sine=f=440:r=44100", "-ac", "2", "-t", "3", "-c:a", "pcm_s24le"], &input);
    let out = dir.join("out.wma");
    let o = Command::new(BIN).arg("wav").arg(&input).arg(&out).args(["--codec", "wmav2"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let duration: f64 = probe(&out, &["-show_entries", "format=duration"]).parse().unwrap();
    assert!((3.0..3.2).contains(&duration), "duration {duration}");
    let rms = |f: &PathBuf| {
        let d = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-i"]).arg(f).args(["-f", "s16le", "-"]).output().unwrap();
        let s: Vec<f64> = d.stdout.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as f64).collect();
        (s.iter().map(|x| x * x).sum::<f64>() / s.len() as f64).sqrt()
    };
    let (a, b) = (rms(&input), rms(&out));
    assert!((b / a - 1.0).abs() < 0.1, "decoded RMS {b} vs the WAV's {a}");
    std::fs::remove_dir_all(dir).ok();
}

/// Mean squared difference of vertically adjacent luma pixels over every decoded frame.
fn interline_energy(file: &PathBuf, w: usize, h: usize) -> (f64, usize) {
    let d = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-i"])
        .arg(file)
        .args(["-f", "rawvideo", "-pix_fmt", "yuv420p", "-"])
        .output()
        .unwrap();
    let frame = w * h * 3 / 2;
    let frames: Vec<&[u8]> = d.stdout.chunks_exact(frame).collect();
    let mut total = 0.0;
    for y in &frames {
        let mut s = 0.0;
        for r in 0..h - 1 {
            for x in 0..w {
                let v = y[r * w + x] as f64 - y[(r + 1) * w + x] as f64;
                s += v * v;
            }
        }
        total += s / ((h - 1) * w) as f64;
    }
    (total / frames.len() as f64, frames.len())
}

#[test]
fn y4m_deinterlace_removes_the_comb() {
    if !tools() {
        return;
    }
    let dir = scratch("y4m-deinterlace");
    // 50 fields/s woven into 25 interlaced frames (top field first): the header says It.
    let input = dir.join("il.y4m");
    ffmpeg_make(
        &[
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=50",
            "-vf",
            "tinterlace=mode=interleave_top,setfield=tff",
            "-t",
            "2",
            "-pix_fmt",
            "yuv420p",
        ],
        &input,
    );
    let (plain, deint) = (dir.join("plain.wmv"), dir.join("deint.wmv"));
    let o = Command::new(BIN).arg("y4m").arg(&input).arg(&plain).args(["--codec", "wmv2", "--bitrate", "2M"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("interlaced (It); --deinterlace"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(BIN)
        .arg("y4m")
        .arg(&input)
        .arg(&deint)
        .args(["--codec", "wmv2", "--bitrate", "2M", "--deinterlace"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    let ((e_plain, n_plain), (e_deint, n_deint)) = (interline_energy(&plain, 320, 240), interline_energy(&deint, 320, 240));
    println!("line-to-line energy: {e_plain:.1} without --deinterlace, {e_deint:.1} with ({n_plain}/{n_deint} frames)");
    assert_eq!((n_plain, n_deint), (50, 50));
    assert!(e_deint < 0.7 * e_plain, "{e_deint} vs {e_plain}");
    assert_eq!(decode_messages(&deint, "warning"), "");
    // Raw video is stored as it is: nothing to deinterlace.
    let o = Command::new(BIN).arg("y4m").arg(&input).arg(dir.join("raw.wmv")).arg("--deinterlace").output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(E_INVALIDARG)"));
    std::fs::remove_dir_all(dir).ok();
}
